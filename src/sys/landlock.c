/*
 * landlock.c - the Landlock ruleset of a confined process (see confine.h).
 *
 * Raw system calls, since libc has no wrappers.  Debian 12's
 * <linux/landlock.h> stops at ABI 2, so the later rights, scopes and flags
 * are defined here with the kernel's values.  Best effort by ABI version:
 * what the running kernel does not know is left out of the ruleset rather
 * than refused, and a kernel without Landlock enforces nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/confine.h"
#include "util/err.h"

#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)     /* ABI 3 */
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)    /* ABI 5 */
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0)     /* ABI 4 */
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0) /* ABI 6 */
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)
#endif
#ifndef LANDLOCK_RESTRICT_SELF_TSYNC
#define LANDLOCK_RESTRICT_SELF_TSYNC (1U << 3)       /* ABI 8 */
#endif

/* struct landlock_ruleset_attr as of ABI 6; older kernels are given only
 * the prefix they know (ll_attr_size). */
typedef struct LlAttr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
} LlAttr;

int sys_landlock_abi(void)
{
    long v = syscall(SYS_landlock_create_ruleset, NULL, 0,
                     LANDLOCK_CREATE_RULESET_VERSION);
    return v > 0 ? (int)v : 0;
}

/* Every file-system right of ABI abi: execute .. make_sym in ABI 1, then
 * refer (2), truncate (3) and ioctl on devices (5). */
static uint64_t fs_rights(int abi)
{
    uint64_t r = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;
    if (abi >= 2) r |= LANDLOCK_ACCESS_FS_REFER;
    if (abi >= 3) r |= LANDLOCK_ACCESS_FS_TRUNCATE;
    if (abi >= 5) r |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
    return r;
}

static size_t ll_attr_size(int abi)
{
    if (abi >= 6) return sizeof(LlAttr);
    if (abi >= 4) return offsetof(LlAttr, scoped);
    return offsetof(LlAttr, handled_access_net);
}

/* Threads of this process, from /proc (read before anything is denied);
 * 0 if it cannot be told. */
static unsigned thread_count(void)
{
    FILE *f = fopen("/proc/self/status", "re");
    if (!f) return 0;
    char line[256];
    unsigned n = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "Threads: %u", &n) == 1) break;
    fclose(f);
    return n;
}

static b8g_status add_dir(int ruleset, const b8g_confine_dir *d, uint32_t i,
                          uint64_t handled, b8g_error *err)
{
    /* Reading needs no execute right (nothing is ever executed), and a
     * read-only directory gets nothing that writes, creates or removes.
     * A create-only directory gets what renaming a file made before
     * confinement over a name there takes, and removing it if the run
     * ends otherwise: make a regular file (the new name) and remove one
     * (the old name, and a file replaced); in the same directory, so no
     * refer right.  Nothing there can be opened, read or listed. */
    uint64_t rw = handled & ~LANDLOCK_ACCESS_FS_EXECUTE;
    uint64_t ro = handled & (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR);
    uint64_t create = handled & (LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_REMOVE_FILE);
    struct landlock_path_beneath_attr pb = {
        .allowed_access = d->create_only ? create : d->writable ? rw : ro,
        .parent_fd = d->fd,
    };
    if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) != 0)
        return err_set(err, B8G_IO, B8G_NO_OFFSET,
                       "cannot add directory %u (fd %d) to the Landlock ruleset: %s",
                       i, d->fd, strerror(errno));
    return B8G_OK;
}

b8g_status sys_landlock_restrict(const b8g_confine_dir *dirs, uint32_t ndirs,
                                 int abi, bool *whole_process, b8g_error *err)
{
    *whole_process = false;
    if (abi <= 0) return B8G_OK;
    LlAttr attr = {.handled_access_fs = fs_rights(abi)};
    /* Handled with no rule: this process may neither bind nor connect a
     * TCP socket, nor reach abstract unix sockets or signal processes
     * outside its own Landlock domain. */
    if (abi >= 4)
        attr.handled_access_net = LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP;
    if (abi >= 6) attr.scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL;
    int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, ll_attr_size(abi), 0);
    if (rs < 0)
        return err_set(err, B8G_IO, B8G_NO_OFFSET, "cannot create a Landlock ruleset: %s",
                       strerror(errno));
    b8g_status st = B8G_OK;
    for (uint32_t i = 0; !st && i < ndirs; i++)
        st = add_dir(rs, &dirs[i], i, attr.handled_access_fs, err);
    unsigned flags = abi >= 8 ? LANDLOCK_RESTRICT_SELF_TSYNC : 0;
    bool alone = flags || thread_count() == 1;
    if (!st && syscall(SYS_landlock_restrict_self, rs, flags) != 0)
        st = err_set(err, B8G_IO, B8G_NO_OFFSET, "cannot enforce the Landlock ruleset: %s",
                     strerror(errno));
    close(rs);
    if (!st) *whole_process = alone;
    return st;
}
