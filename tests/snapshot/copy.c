/* copy.c - a guest with files open across a suspension: copies
 * /data/in.txt to /data/out.txt upper-cased, 16 bytes at a time through
 * raw read and write (no stdio buffer: the file positions are the only
 * state that says how far it got), with some work between chunks so that
 * fuel points land mid-copy.  Restored with /data mapped to another host
 * directory holding a copy of the files, it must go on reading and
 * writing at the positions it had. */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static volatile unsigned work;

int main(void)
{
    int in = open("/data/in.txt", O_RDONLY);
    int out = open("/data/out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0) {
        perror("open");
        return 1;
    }
    char buf[16];
    long total = 0, chunks = 0;
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) buf[i] = (char)toupper((unsigned char)buf[i]);
        if (write(out, buf, (size_t)n) != n) {
            perror("write");
            return 1;
        }
        for (int k = 0; k < 200; k++) work += (unsigned)k;
        total += n;
        chunks++;
    }
    close(in);
    close(out);
    printf("copied %ld bytes in %ld chunks\n", total, chunks);
    return 0;
}
