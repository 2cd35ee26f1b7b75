/* stdio.c - the three lent descriptors: stdin read to its end with a
 * scatter fd_read, stdout written with a gather fd_write, stderr written
 * (not compared), and fd_fdstat_get succeeding on all three. */
#include <ctype.h>

#include "guest.h"

int main(void)
{
    static char data[1 << 16];
    size_t total = 0;
    for (;;) {
        /* Two buffers per call: the second gets bytes only when the
         * first is full. */
        __wasi_iovec_t iov[2] = {{(uint8_t *)data + total, 7},
                                 {(uint8_t *)data + total + 7, 100}};
        __wasi_size_t got = 0;
        if (total + 107 > sizeof data) break;
        __wasi_errno_t e = __wasi_fd_read(0, iov, 2, &got);
        if (e) {
            printf("fd_read: %s\n", errname(e));
            return 1;
        }
        if (got == 0) break;
        total += got;
    }
    printf("stdin bytes: %zu\n", total);
    int lines = 0;
    for (size_t i = 0; i < total; i++) {
        lines += data[i] == '\n';
        data[i] = (char)toupper((unsigned char)data[i]);
    }
    printf("stdin lines: %d\n", lines);
    fflush(stdout);

    __wasi_ciovec_t out[3] = {{(const uint8_t *)"<<", 2},
                              {(const uint8_t *)data, total},
                              {(const uint8_t *)">>\n", 3}};
    __wasi_size_t put = 0;
    SHOW("fd_write gather", __wasi_fd_write(1, out, 3, &put));
    FACT("wrote every byte", put == total + 5);

    SHOW("fd_write stderr", guest_write(2, "stdio: a line on stderr\n", &put));
    for (int fd = 0; fd < 3; fd++) {
        __wasi_fdstat_t st;
        printf("fd %d ", fd);
        SHOW("fdstat_get", __wasi_fd_fdstat_get(fd, &st));
    }
    return 0;
}
