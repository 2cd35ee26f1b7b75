/*
 * sandbox.c - an ordinary C program, as an agent might write it, that
 * reads its input, writes a report, and then pokes at the walls: it sees
 * only the directories it was given, the read-only one stays read-only,
 * and no path leads outside them.
 *
 * Build: clang --target=wasm32-wasi --sysroot=/usr -O2 sandbox.c -o sandbox.wasm
 * Run:   b8g run --dir IN::/in:ro --dir OUT::/out sandbox.wasm
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static void attempt(const char *what, const char *path, const char *mode)
{
    FILE *f = fopen(path, mode);
    if (f) {
        printf("  %-40s ALLOWED (this would be a hole)\n", what);
        fclose(f);
    } else {
        printf("  %-40s denied: %s\n", what, strerror(errno));
    }
}

int main(int argc, char **argv)
{
    printf("argv[0] = %s, %d argument(s)\n", argv[0], argc - 1);

    /* The work: count the words of every file in /in. */
    DIR *d = opendir("/in");
    if (!d) {
        perror("/in");
        return 1;
    }
    FILE *report = fopen("/out/report.txt", "w");
    if (!report) {
        perror("/out/report.txt");
        return 1;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[512];
        snprintf(path, sizeof path, "/in/%s", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        int c, words = 0, inword = 0;
        while ((c = fgetc(f)) != EOF) {
            int space = c == ' ' || c == '\n' || c == '\t';
            if (!space && !inword) words++;
            inword = !space;
        }
        fclose(f);
        fprintf(report, "%s: %d words\n", e->d_name, words);
        printf("read %s: %d words\n", path, words);
    }
    closedir(d);
    fclose(report);
    printf("wrote /out/report.txt\n");

    /* The walls. */
    printf("trying to get out:\n");
    attempt("read /etc/passwd", "/etc/passwd", "r");
    attempt("read /in/../../etc/passwd", "/in/../../etc/passwd", "r");
    attempt("follow /in/escape -> /etc/passwd", "/in/escape", "r");
    attempt("write into the read-only /in", "/in/new.txt", "w");
    attempt("write /out/../escaped.txt", "/out/../escaped.txt", "w");
    return 0;
}
