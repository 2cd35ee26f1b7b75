/* readdir.c - fd_readdir as preview1 defines it: entries packed as a
 * dirent header plus name, a buffer that ends mid-entry (bufused ==
 * buf_len means "maybe more"), restarting from any entry's d_next cookie,
 * and the file types of entries. */
#include <stdlib.h>

#include "guest.h"

#define NFILES 12
#define MAXE 64

typedef struct Entry {
    char name[64];
    __wasi_dircookie_t next;
    __wasi_filetype_t type;
} Entry;

/* Reads all entries from `cookie` on with a buf_len-byte buffer, resuming
 * after the last whole entry of each call. */
static int read_all(__wasi_fd_t dir, __wasi_dircookie_t cookie, size_t buf_len,
                    Entry *out, int *calls)
{
    static uint8_t buf[4096];
    int n = 0;
    *calls = 0;
    for (;;) {
        __wasi_size_t used = 0;
        __wasi_errno_t e = __wasi_fd_readdir(dir, buf, buf_len, cookie, &used);
        ++*calls;
        if (e) {
            printf("fd_readdir: %s\n", errname(e));
            return n;
        }
        size_t off = 0;
        int whole = 0;
        while (off + sizeof(__wasi_dirent_t) <= used) {
            __wasi_dirent_t d;
            memcpy(&d, buf + off, sizeof d);
            if (off + sizeof d + d.d_namlen > used) break;
            if (n < MAXE && d.d_namlen < sizeof out[n].name) {
                memcpy(out[n].name, buf + off + sizeof d, d.d_namlen);
                out[n].name[d.d_namlen] = 0;
                out[n].next = d.d_next;
                out[n].type = d.d_type;
                n++;
            }
            cookie = d.d_next;
            off += sizeof d + d.d_namlen;
            whole++;
        }
        if (used < buf_len) return n; /* the end of the directory */
        if (whole == 0 && buf_len < sizeof(__wasi_dirent_t) + 64) {
            printf("buffer of %zu bytes holds no whole entry\n", buf_len);
            return n;
        }
    }
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const Entry *)a)->name, ((const Entry *)b)->name);
}

/* Names in sorted order without . and .. (which Node leaves out). */
static void print(const char *what, Entry *e, int n)
{
    qsort(e, n, sizeof *e, by_name);
    printf("%s:", what);
    for (int i = 0; i < n; i++)
        if (strcmp(e[i].name, ".") && strcmp(e[i].name, ".."))
            printf(" %s%s", e[i].name,
                   e[i].type == __WASI_FILETYPE_DIRECTORY ? "/" :
                   e[i].type == __WASI_FILETYPE_SYMBOLIC_LINK ? "@" : "");
    printf("\n");
}

int main(void)
{
    for (int i = 0; i < NFILES; i++) {
        char name[32];
        __wasi_fd_t fd;
        snprintf(name, sizeof name, "f%02d%.*s", i, i, "xxxxxxxxxxxx");
        if (guest_open(3, name, __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, &fd) ||
            __wasi_fd_close(fd))
            printf("cannot create %s\n", name);
    }
    SHOW("mkdir sub", __wasi_path_create_directory(3, "sub"));
    SHOW("symlink", __wasi_path_symlink("sub", 3, "link"));

    static Entry all[MAXE], part[MAXE];
    int calls;
    int n = read_all(3, __WASI_DIRCOOKIE_START, 4096, all, &calls);
    Entry sorted[MAXE];
    memcpy(sorted, all, sizeof all);
    print("entries", sorted, n);

    /* 40 bytes: one entry (24-byte header, names of 3 to 14 bytes) and
     * part of the next, so every call ends mid-entry and the next restarts
     * from the last whole entry's cookie. */
    int m = read_all(3, __WASI_DIRCOOKIE_START, 40, part, &calls);
    FACT("small buffer needs many calls", calls > n / 2);
    print("small buffer", part, m);
    m = read_all(3, __WASI_DIRCOOKIE_START, 60, part, &calls);
    print("60-byte buffer", part, m);

    /* Restarting from the cookie after entry k yields entries k+1... */
    int k = n / 2;
    m = read_all(3, all[k].next, 4096, part, &calls);
    FACT("restart from a middle cookie gives the rest", m == n - k - 1 &&
         strcmp(part[0].name, all[k + 1].name) == 0);
    m = read_all(3, all[n - 1].next, 4096, part, &calls);
    printf("entries after the last cookie: %d\n", m);
    m = read_all(3, __WASI_DIRCOOKIE_START, 4096, part, &calls);
    FACT("reading again from the start gives the same list", m == n);

    uint8_t tiny[8];
    __wasi_size_t used = 0;
    SHOW("fd_readdir into 8 bytes", __wasi_fd_readdir(3, tiny, sizeof tiny, 0, &used));
    FACT("8 bytes filled", used == sizeof tiny);
    __wasi_fd_t f;
    SHOW("open a file", guest_open(3, "f00", 0,
                                   __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR, 0, &f));
    /* A file never holds the readdir right, whatever was asked. */
    SHOW("fd_readdir on a file", __wasi_fd_readdir(f, tiny, sizeof tiny, 0, &used));
    SHOW("fd_readdir on a closed fd", __wasi_fd_readdir(99, tiny, sizeof tiny, 0, &used));
    return 0;
}
