/* errno.c - the errors a POSIX program sees through wasi-libc, each named:
 * the WASI errno the engine returns becomes errno unchanged. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest.h"

int main(void)
{
    struct stat sb;
    char buf[8];
    SHOWP("ENOENT open", open("/sandbox/missing", O_RDONLY) < 0);
    SHOWP("ENOENT stat", stat("/sandbox/missing/x", &sb) != 0);
    SHOWP("ENOENT unlink", unlink("/sandbox/missing") != 0);
    SHOWP("mkdir d", mkdir("/sandbox/d", 0755) != 0);
    SHOWP("EEXIST mkdir", mkdir("/sandbox/d", 0755) != 0);
    int fd = open("/sandbox/file", O_WRONLY | O_CREAT, 0644);
    SHOWP("create file", fd < 0);
    SHOWP("EEXIST link", link("/sandbox/file", "/sandbox/d") != 0);
    SHOWP("EEXIST symlink", symlink("x", "/sandbox/file") != 0);
    SHOWP("ENOTDIR open", open("/sandbox/file/x", O_RDONLY) < 0);
    SHOWP("ENOTDIR opendir", opendir("/sandbox/file") == NULL);
    SHOWP("ENOTDIR rmdir", rmdir("/sandbox/file") != 0);
    SHOWP("EISDIR open for writing", open("/sandbox/d", O_WRONLY) < 0);
    SHOWP("EISDIR unlink", unlink("/sandbox/d") != 0);
    SHOWP("EISDIR rename a file onto a directory", rename("/sandbox/file", "/sandbox/d") != 0);
    SHOWP("ENOTDIR rename a directory onto a file", rename("/sandbox/d", "/sandbox/file") != 0);
    close(open("/sandbox/d/inner", O_WRONLY | O_CREAT, 0644));
    SHOWP("ENOTEMPTY rmdir", rmdir("/sandbox/d") != 0);
    SHOWP("EBADF read", read(55, buf, 1) < 0);
    SHOWP("EBADF write", write(55, "x", 1) < 0);
    SHOWP("EBADF close", close(55) != 0);
    SHOWP("EBADF fstat", fstat(55, &sb) != 0);
    SHOWP("EBADF read a write-only fd", read(fd, buf, 1) < 0);
    SHOWP("EINVAL lseek whence", lseek(fd, 0, 42) < 0);
    SHOWP("EINVAL lseek negative", lseek(fd, -5, SEEK_SET) < 0);
    SHOWP("EINVAL rename into itself", rename("/sandbox/d", "/sandbox/d/sub") != 0);
    char longname[300];
    memset(longname, 'n', sizeof longname);
    memcpy(longname, "/sandbox/", 9);
    longname[299] = 0;
    SHOWP("ENAMETOOLONG open", open(longname, O_RDONLY) < 0);
    SHOWP("symlink loop", symlink("loop", "/sandbox/loop") != 0);
    SHOWP("ELOOP open", open("/sandbox/loop", O_RDONLY) < 0);
    SHOWP("ENOTCAPABLE outside the preopens", open("/etc/passwd", O_RDONLY) < 0);
    SHOWP("ENOTCAPABLE relative, no cwd preopen", open("file", O_RDONLY) < 0);
    SHOWP("close", close(fd) != 0);
    return 0;
}
