/* test_tmpdir.c — the temporary directories of the unit tests
 * (test_util.h): test_rmdir removes a whole tree, whatever its names hold
 * (quotes, spaces, shell metacharacters), and never follows a symbolic
 * link out of it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_util.h"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static char *path_join(const char *dir, const char *name)
{
    size_t size = strlen(dir) + strlen(name) + 2;
    char *path = malloc(size);
    assert_non_null(path);
    snprintf(path, size, "%s/%s", dir, name);
    return path;
}

/* A tree under a name a shell would split, with a link to a file outside
 * it: the tree goes, the file the link points at stays. */
static void test_tmpdir__rmdir_removes_the_tree_and_follows_no_link(void **state)
{
    (void)state;
    char *outside = test_tmpdir();
    assert_non_null(outside);
    char *kept = path_join(outside, "kept.txt");
    write_file(kept, "not to be removed");

    char *top = path_join(outside, "it's a $(dir); `x`");
    assert_int_equal(mkdir(top, 0700), 0);
    char *sub = path_join(top, "sub dir");
    assert_int_equal(mkdir(sub, 0700), 0);
    char *deep = path_join(sub, "deeper");
    assert_int_equal(mkdir(deep, 0700), 0);
    char *file = path_join(sub, "file 'quoted'.txt");
    write_file(file, "x");
    char *link = path_join(sub, "link");
    assert_int_equal(symlink(outside, link), 0);

    test_rmdir(top);
    struct stat st;
    assert_int_equal(lstat(sub, &st), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(stat(kept, &st), 0); /* the link was not followed */

    for (char **p = (char *[]){sub, deep, file, link, kept, NULL}; *p; p++)
        free(*p);
    test_rmdir(outside);
}

static void test_tmpdir__a_missing_tree_is_removed_already(void **state)
{
    (void)state;
    assert_int_equal(test_remove_tree("/nonexistent/pttest-none"), 0);
    char *dir = test_tmpdir();
    assert_non_null(dir);
    assert_int_equal(test_remove_tree(dir), 0);
    struct stat st;
    assert_int_equal(stat(dir, &st), -1);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tmpdir__rmdir_removes_the_tree_and_follows_no_link),
        cmocka_unit_test(test_tmpdir__a_missing_tree_is_removed_already),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
