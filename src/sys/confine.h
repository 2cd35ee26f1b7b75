/*
 * confine.h - process confinement (internal): the layers behind
 * b8g_confine_process (confine.c).
 *
 * landlock.c builds a Landlock ruleset from directory descriptors and
 * enforces it; seccomp.c builds the seccomp-bpf allow-list and loads it.
 * confine.c puts them in place in the one order that works: the filter is
 * built first (the only step that can fail for want of memory), then
 * no_new_privs (required by both), Landlock (its own system calls are not
 * on the allow-list), and the filter last.  Nothing here can be undone.
 */
#ifndef B8G_SYS_CONFINE_H
#define B8G_SYS_CONFINE_H

#include "b8g.h"
#include "util/common.h"

/* Sanitizer builds (make san, make tsan): LeakSanitizer's check at exit
 * and ThreadSanitizer's runtime need more than the engine does (seccomp.c
 * add_sanitizer, confine.c). */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SYS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SYS_SANITIZER 1
#endif
#endif
#ifndef SYS_SANITIZER
#define SYS_SANITIZER 0
#endif

/* ---- landlock.c ----------------------------------------------------------- */

/* The kernel's Landlock ABI version; 0 when it has none or it is off. */
int sys_landlock_abi(void);

/*
 * Enforces a ruleset handling every access right ABI `abi` knows (file
 * system rights; from ABI 4 TCP bind and connect, with no rule, so both
 * are denied; from ABI 6 the abstract-unix-socket and signal scopes), in
 * which dirs[i] grants read-file and read-dir, everything but execute
 * when writable, or only make-regular-file and remove-file when
 * create_only (where the CLI writes an image atomically).  abi 0 enforces nothing.  *whole_process says whether the
 * ruleset binds every thread: before ABI 8 (no LANDLOCK_RESTRICT_SELF_TSYNC)
 * it binds only the calling thread and threads it starts later, so it is
 * false when others already ran.  Errors are the kernel's, in err.
 */
b8g_status sys_landlock_restrict(const b8g_confine_dir *dirs, uint32_t ndirs,
                                 int abi, bool *whole_process, b8g_error *err);

/* ---- seccomp.c ------------------------------------------------------------ */

/* True if the kernel takes seccomp filters that kill the process. */
bool sys_seccomp_available(void);

/* The allow-list (docs/security.md, "Process confinement"), built but not
 * loaded: an opaque libseccomp context for sys_seccomp_load. */
b8g_status sys_seccomp_build(void **filter, b8g_error *err);
/* Loads it for every thread of the process (TSYNC) and frees it. */
b8g_status sys_seccomp_load(void *filter, b8g_error *err);
/* Frees a filter that will not be loaded (NULL is fine). */
void sys_seccomp_free(void *filter);

#endif
