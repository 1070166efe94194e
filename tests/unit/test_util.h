/* test_util.h — what several tests share: temporary directories for tests
 * that write an index (made with mkdtemp, removed with everything in them
 * by a small recursive remover: no shell, so no quoting of paths and no
 * length limit), and test inputs in exact-size heap blocks (a file of
 * corpus/, or a copy of a literal) so that a read past their end trips
 * ASan. No cmocka here: the fuzz targets include it too. */
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

/* Bytes in an exact-size heap block with no NUL after them; the caller
 * frees data. */
typedef struct {
    char *data;
    size_t len;
} test_bytes;

/* A copy of bytes[0..len) (which may hold NUL bytes). Aborts when out of
 * memory. */
static inline test_bytes test_copy_bytes(const char *bytes, size_t len)
{
    test_bytes b = { malloc(len ? len : 1), len };
    if (!b.data)
        abort();
    memcpy(b.data, bytes, len);
    return b;
}

/* corpus/<name>, from $PT_CORPUS (or ./corpus). Aborts, saying why, when
 * the file cannot be read. */
static inline test_bytes test_read_corpus(const char *name)
{
    const char *dir = getenv("PT_CORPUS");
    if (!dir || !*dir)
        dir = "corpus";
    size_t size = strlen(dir) + strlen(name) + 2;
    char *path = malloc(size);
    if (!path)
        abort();
    snprintf(path, size, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    long n = -1;
    if (f && fseek(f, 0, SEEK_END) == 0)
        n = ftell(f);
    test_bytes b = { NULL, n > 0 ? (size_t)n : 0 };
    if (n < 0 || fseek(f, 0, SEEK_SET) != 0 || !(b.data = malloc(b.len ? b.len : 1)) ||
        fread(b.data, 1, b.len, f) != b.len) {
        fprintf(stderr, "cannot read %s (set PT_CORPUS)\n", path);
        abort();
    }
    fclose(f);
    free(path);
    return b;
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
