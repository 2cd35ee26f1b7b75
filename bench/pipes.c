/*
 * pipes.c - the native baseline for the component examples: the same
 * work between two host processes over plain pipes.
 *
 *   pipes throughput MIB   a child writes MIB MiB (64 KiB writes) into a
 *                          pipe, the parent reads it all; prints GB/s
 *   pipes pingpong ROUNDS  parent and child send one byte back and forth
 *                          over two pipes; prints microseconds per round
 *
 * bench/compose.sh runs it beside `b8g compose` on examples/pipeline.json
 * and examples/pingpong.json.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (64u << 10)

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static void write_all(int fd, const void *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) die("write");
        p = (const char *)p + w;
        n -= (size_t)w;
    }
}

static int throughput(unsigned long mib)
{
    int p[2];
    if (pipe(p)) die("pipe");
    static char buf[CHUNK];
    double t0 = now_s();
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        close(p[0]);
        memset(buf, 'x', sizeof buf);
        for (unsigned long i = 0; i < mib * 16; i++) write_all(p[1], buf, sizeof buf);
        _exit(0);
    }
    close(p[1]);
    unsigned long long total = 0;
    ssize_t r;
    while ((r = read(p[0], buf, sizeof buf)) > 0) total += (unsigned long long)r;
    waitpid(pid, NULL, 0);
    double s = now_s() - t0;
    if (total != (unsigned long long)mib << 20) {
        fprintf(stderr, "pipes: read %llu bytes\n", total);
        return 1;
    }
    printf("pipes: %lu MiB through a pipe between two processes in %.3f s, %.2f GB/s\n", mib, s,
           (double)total / s / 1e9);
    return 0;
}

static int pingpong(long rounds)
{
    int to[2], from[2];
    if (pipe(to) || pipe(from)) die("pipe");
    pid_t pid = fork();
    if (pid < 0) die("fork");
    char c = 0;
    if (pid == 0) {
        for (long i = 0; i < rounds; i++) {
            if (read(to[0], &c, 1) != 1) _exit(1);
            c++;
            write_all(from[1], &c, 1);
        }
        _exit(0);
    }
    double t0 = now_s();
    for (long i = 0; i < rounds; i++) {
        char sent = (char)i;
        write_all(to[1], &sent, 1);
        if (read(from[0], &c, 1) != 1 || c != (char)(sent + 1)) {
            fprintf(stderr, "pipes: bad answer\n");
            return 1;
        }
    }
    double us = (now_s() - t0) * 1e6 / (double)rounds;
    waitpid(pid, NULL, 0);
    printf("pipes: %ld round trips over two pipes between two processes, %.2f us each\n", rounds,
           us);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "throughput") == 0) return throughput(strtoul(argv[2], NULL, 10));
    if (argc == 3 && strcmp(argv[1], "pingpong") == 0) return pingpong(strtol(argv[2], NULL, 10));
    fprintf(stderr, "usage: pipes throughput MIB | pipes pingpong ROUNDS\n");
    return 2;
}
