/* pollfd.c - poll_oneoff beyond relative clocks: absolute deadlines (future
 * and past), no subscriptions at all, descriptors that are ready at once
 * (a regular file for reading and writing), a bad descriptor, and stdin as
 * a pipe that stays empty for a while and then delivers a line.
 *
 * Not compared with Node: its poll_oneoff fails with EPERM on regular
 * files, waits far past an absolute deadline, and hangs after a call with
 * no subscriptions. */
#include "pollsub.h"

static void deadlines(void)
{
    __wasi_subscription_t in[2];
    __wasi_event_t ev[2];
    __wasi_size_t n = 0;
    SHOW("no subscriptions", __wasi_poll_oneoff(in, ev, 0, &n));

    __wasi_timestamp_t t0 = now();
    in[0] = clock_sub(7, t0 + 30 * MS, __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
    SHOW("absolute now+30 ms", __wasi_poll_oneoff(in, ev, 1, &n));
    __wasi_timestamp_t dt = now() - t0;
    print_events(ev, n);
    FACT("  slept at least 30 ms", dt >= 30 * MS);
    FACT("  and less than 1 s", dt < 1000 * MS);

    in[0] = clock_sub(8, 1, __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
    t0 = now();
    SHOW("absolute time in the past", __wasi_poll_oneoff(in, ev, 1, &n));
    print_events(ev, n);
    FACT("  at once", now() - t0 < 500 * MS);

    in[0] = clock_sub(9, 20 * MS, 0);
    in[0].u.u.clock.id = __WASI_CLOCKID_REALTIME;
    t0 = now();
    SHOW("realtime clock, relative 20 ms", __wasi_poll_oneoff(in, ev, 1, &n));
    print_events(ev, n);
    FACT("  slept at least 20 ms", now() - t0 >= 20 * MS);
}

static void files(void)
{
    __wasi_subscription_t in[2];
    __wasi_event_t ev[2];
    __wasi_size_t n = 0, w = 0;
    __wasi_filesize_t pos;
    __wasi_fd_t f;
    SHOW("create f", guest_open(3, "f", __WASI_OFLAGS_CREAT,
                                __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK |
                                __WASI_RIGHTS_POLL_FD_READWRITE, 0, &f));
    SHOW("write 10 bytes", guest_write(f, "0123456789", &w));
    SHOW("seek to 4", __wasi_fd_seek(f, 4, __WASI_WHENCE_SET, &pos));

    in[0] = fd_sub(10, __WASI_EVENTTYPE_FD_READ, f);
    in[1] = clock_sub(11, 1000 * MS, 0);
    __wasi_timestamp_t t0 = now();
    SHOW("fd_read on a file, 1 s clock", __wasi_poll_oneoff(in, ev, 2, &n));
    print_events(ev, n);
    if (n >= 1 && ev[0].type == __WASI_EVENTTYPE_FD_READ)
        printf("  nbytes: %llu\n", (unsigned long long)ev[0].fd_readwrite.nbytes);
    FACT("  at once", now() - t0 < 500 * MS);

    in[0] = fd_sub(20, __WASI_EVENTTYPE_FD_WRITE, f);
    SHOW("fd_write on a file, 1 s clock", __wasi_poll_oneoff(in, ev, 2, &n));
    print_events(ev, n);

    in[0] = fd_sub(40, __WASI_EVENTTYPE_FD_READ, 99);
    in[1] = clock_sub(41, 1000 * MS, 0);
    t0 = now();
    SHOW("fd_read on fd 99, 1 s clock", __wasi_poll_oneoff(in, ev, 2, &n));
    print_events(ev, n);
    FACT("  at once", now() - t0 < 500 * MS);
    guest_close(f);
}

/* The driver feeds stdin from a pipe that writes "late\n" after 0.5 s. */
static void pipe_stdin(void)
{
    __wasi_subscription_t in[2];
    __wasi_event_t ev[2];
    __wasi_size_t n = 0;
    in[0] = fd_sub(50, __WASI_EVENTTYPE_FD_READ, 0);
    in[1] = clock_sub(51, 100 * MS, 0);
    SHOW("fd_read on empty stdin, 100 ms clock", __wasi_poll_oneoff(in, ev, 2, &n));
    print_events(ev, n);

    in[1] = clock_sub(52, 10000 * MS, 0);
    __wasi_timestamp_t t0 = now();
    SHOW("fd_read on stdin, 10 s clock", __wasi_poll_oneoff(in, ev, 2, &n));
    print_events(ev, n);
    FACT("  woke when the line came", now() - t0 < 5000 * MS);
    char buf[16] = {0};
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf - 1};
    SHOW("fd_read stdin", __wasi_fd_read(0, &iov, 1, &n));
    printf("  got: %s", buf);
}

int main(void)
{
    deadlines();
    files();
    pipe_stdin();
    return 0;
}
