/* flood.c - a runaway guest: writes up to 1 GiB to stdout in 64 KiB
 * fd_write calls and stops at the first error, reporting its errno on
 * stderr and exiting 4; when the reader goes away the write must fail
 * (EPIPE) rather than kill or hang the host. */
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

int main(void)
{
    static unsigned char buf[1 << 16];
    memset(buf, 'x', sizeof buf);
    for (unsigned long total = 0; total < (1ul << 30); total += sizeof buf) {
        __wasi_ciovec_t iov = {buf, sizeof buf};
        __wasi_size_t n;
        __wasi_errno_t e = __wasi_fd_write(1, &iov, 1, &n);
        if (e) {
            fprintf(stderr, "flood: fd_write failed with errno %d after %lu bytes\n", e, total);
            return 4;
        }
    }
    fprintf(stderr, "flood: wrote 1 GiB\n");
    return 0;
}
