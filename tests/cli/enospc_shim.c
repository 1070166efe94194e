/* enospc_shim.c — a full disk on demand, for tests that cannot mount a
 * small tmpfs: preloaded (LD_PRELOAD), it makes writes to files under
 * $PT_ENOSPC_PREFIX fail with ENOSPC once $PT_ENOSPC_BUDGET bytes have
 * been written there (a write that does not fit fails whole); after that
 * fsync, fdatasync and rename there fail too. PT_ENOSPC_RENAMEAT2=1 makes
 * renameat2 under the prefix fail with ENOSPC whatever the budget (the
 * swaps of ptindex). PT_ENOSPC_REPORT names a file that receives, at a
 * normal exit, the bytes written under the prefix (to choose budgets).
 * Without PT_ENOSPC_PREFIX it changes nothing. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static const char *prefix;
static size_t prefix_len;
static long long budget;
static atomic_llong budget_left;
static int fail_renameat2;

static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_rename)(const char *, const char *);
static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_renameat2)(int, const char *, int, const char *, unsigned);

__attribute__((constructor)) static void shim_init(void)
{
    real_write = dlsym(RTLD_NEXT, "write");
    real_pwrite = dlsym(RTLD_NEXT, "pwrite");
    real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
    real_writev = dlsym(RTLD_NEXT, "writev");
    real_fsync = dlsym(RTLD_NEXT, "fsync");
    real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
    real_rename = dlsym(RTLD_NEXT, "rename");
    real_renameat = dlsym(RTLD_NEXT, "renameat");
    real_renameat2 = dlsym(RTLD_NEXT, "renameat2");
    prefix = getenv("PT_ENOSPC_PREFIX");
    prefix_len = prefix ? strlen(prefix) : 0;
    const char *b = getenv("PT_ENOSPC_BUDGET");
    budget = b ? atoll(b) : 0;
    atomic_store(&budget_left, budget);
    const char *r = getenv("PT_ENOSPC_RENAMEAT2");
    fail_renameat2 = r && *r == '1';
}

__attribute__((destructor)) static void shim_report(void)
{
    const char *report = getenv("PT_ENOSPC_REPORT");
    FILE *f = report ? fopen(report, "w") : NULL;
    if (f) {
        fprintf(f, "%lld\n", budget - atomic_load(&budget_left));
        fclose(f);
    }
}

static int path_watched(const char *path)
{
    return prefix_len && path && strncmp(path, prefix, prefix_len) == 0;
}

/* Relative paths are resolved against the working directory. */
static int name_watched(const char *path)
{
    if (!prefix_len || !path)
        return 0;
    if (path[0] == '/')
        return path_watched(path);
    char cwd[4096], full[8192];
    if (!getcwd(cwd, sizeof cwd))
        return 0;
    snprintf(full, sizeof full, "%s/%s", cwd, path);
    return path_watched(full);
}

static int fd_watched(int fd)
{
    if (!prefix_len)
        return 0;
    char link[64], path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n <= 0)
        return 0;
    path[n] = '\0';
    return path_watched(path);
}

/* Takes n bytes from the budget: 0, or -1 (errno ENOSPC) when they do not fit. */
static int take(int fd, size_t n)
{
    if (!fd_watched(fd))
        return 0;
    long long left = atomic_load(&budget_left);
    do {
        if (left < (long long)n || (n == 0 && left == 0)) {
            atomic_store(&budget_left, 0);
            errno = ENOSPC;
            return -1;
        }
    } while (!atomic_compare_exchange_weak(&budget_left, &left, left - (long long)n));
    return 0;
}

static int exhausted(void)
{
    return atomic_load(&budget_left) <= 0;
}

ssize_t write(int fd, const void *buf, size_t n)
{
    return take(fd, n) ? -1 : real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    return take(fd, n) ? -1 : real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    return take(fd, n) ? -1 : real_pwrite64(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int count)
{
    size_t n = 0;
    for (int i = 0; i < count; i++)
        n += iov[i].iov_len;
    return take(fd, n) ? -1 : real_writev(fd, iov, count);
}

int fsync(int fd)
{
    if (exhausted() && fd_watched(fd)) {
        errno = ENOSPC;
        return -1;
    }
    return real_fsync(fd);
}

int fdatasync(int fd)
{
    if (exhausted() && fd_watched(fd)) {
        errno = ENOSPC;
        return -1;
    }
    return real_fdatasync(fd);
}

int rename(const char *from, const char *to)
{
    if (exhausted() && name_watched(to)) {
        errno = ENOSPC;
        return -1;
    }
    return real_rename(from, to);
}

int renameat(int fromfd, const char *from, int tofd, const char *to)
{
    if (exhausted() && tofd == AT_FDCWD && name_watched(to)) {
        errno = ENOSPC;
        return -1;
    }
    return real_renameat(fromfd, from, tofd, to);
}

int renameat2(int fromfd, const char *from, int tofd, const char *to, unsigned flags)
{
    if ((fail_renameat2 || exhausted()) && tofd == AT_FDCWD && name_watched(to)) {
        errno = ENOSPC;
        return -1;
    }
    return real_renameat2(fromfd, from, tofd, to, flags);
}
