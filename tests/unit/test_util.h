/* test_util.h — temporary directories for tests that write an index: made
 * with mkdtemp, removed with everything in them by a small recursive
 * remover (no shell, so no quoting of paths and no length limit). */
#ifndef PT_TEST_UTIL_H
#define PT_TEST_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Makes a fresh directory under $TMPDIR (or /tmp) and returns its path
 * (malloc'd), or NULL. */
static inline char *test_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    size_t size = strlen(base) + sizeof "/pttest-XXXXXX";
    char *dir = malloc(size);
    if (!dir)
        return NULL;
    snprintf(dir, size, "%s/pttest-XXXXXX", base);
    if (!mkdtemp(dir)) {
        free(dir);
        return NULL;
    }
    return dir;
}

/* Removes every entry of the directory open as dir_fd, subdirectories
 * first, and closes dir_fd. Symbolic links are removed, never followed.
 * Returns 0, or -1 when something stayed. */
static inline int test_remove_entries(int dir_fd)
{
    DIR *d = fdopendir(dir_fd);
    if (!d) {
        close(dir_fd);
        return -1;
    }
    int status = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (unlinkat(dir_fd, e->d_name, 0) == 0)
            continue;
        /* Linux says EISDIR for a directory, POSIX allows EPERM. */
        if (errno != EISDIR && errno != EPERM) {
            status = -1;
            continue;
        }
        int sub = openat(dir_fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
        if (sub < 0 || test_remove_entries(sub) != 0 ||
            unlinkat(dir_fd, e->d_name, AT_REMOVEDIR) != 0)
            status = -1;
    }
    closedir(d);
    return status;
}

/* rm -rf DIR: returns 0, or -1 when DIR or something in it stayed. */
static inline int test_remove_tree(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    if (test_remove_entries(fd) != 0)
        return -1;
    return rmdir(dir);
}

/* Removes dir and everything in it, then frees the string. */
static inline void test_rmdir(char *dir)
{
    if (!dir)
        return;
    if (test_remove_tree(dir) != 0)
        fprintf(stderr, "could not remove %s: %s\n", dir, strerror(errno));
    free(dir);
}

#endif
