/* test_util.h — temporary directories for tests that write an index. */
#ifndef PT_TEST_UTIL_H
#define PT_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes a fresh directory under $TMPDIR (or /tmp) and returns its path
 * (malloc'd). */
static inline char *test_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char templ[512];
    snprintf(templ, sizeof templ, "%s/pttest-XXXXXX", base && *base ? base : "/tmp");
    char *dir = mkdtemp(templ);
    return dir ? strdup(dir) : NULL;
}

/* rm -rf dir, then frees the string. */
static inline void test_rmdir(char *dir)
{
    if (!dir)
        return;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    free(dir);
}

#endif
