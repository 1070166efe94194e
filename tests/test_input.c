/* test_input.c — unit tests of indexer/input.c: plain and gzip inputs read
 * alike, line splitting (CRLF, last line, over-long lines), truncated gzip
 * streams, the binary sniff, unreadable paths and the read_all bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "input.h"
#include "test_util.h"

/* ------------------------------------------------------------ helpers */

typedef struct {
    char *dir;
    char path[600];
} tmpfile_t;

static void write_plain(tmpfile_t *t, const char *name, const void *data, size_t len)
{
    snprintf(t->path, sizeof t->path, "%s/%s", t->dir, name);
    FILE *f = fopen(t->path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void write_gz(tmpfile_t *t, const char *name, const void *data, size_t len)
{
    snprintf(t->path, sizeof t->path, "%s/%s", t->dir, name);
    gzFile gz = gzopen(t->path, "wb");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, data, (unsigned)len), (int)len);
    assert_int_equal(gzclose(gz), Z_OK);
}

static int setup(void **state)
{
    tmpfile_t *t = calloc(1, sizeof *t);
    t->dir = test_tmpdir();
    *state = t;
    return t->dir ? 0 : -1;
}

static int teardown(void **state)
{
    tmpfile_t *t = *state;
    test_rmdir(t->dir);
    free(t);
    return 0;
}

static pt_input *open_ok(const char *path)
{
    pt_input *in = NULL;
    char why[256];
    assert_int_equal(pt_input_open(&in, path, why, sizeof why), PT_INPUT_OK);
    return in;
}

/* Reads every line of path, joined with "|", into out. */
static void join_lines(const char *path, char *out, size_t out_size)
{
    pt_input *in = open_ok(path);
    char *line, why[256];
    size_t len;
    unsigned long no, expect_no = 1;
    out[0] = '\0';
    int rc;
    while ((rc = pt_input_next_line(in, 1000, &line, &len, &no, why, sizeof why)) == PT_INPUT_OK) {
        assert_int_equal(no, expect_no++);
        assert_int_equal(strlen(line), len);
        strncat(out, line, out_size - strlen(out) - 1);
        strncat(out, "|", out_size - strlen(out) - 1);
    }
    assert_int_equal(rc, PT_INPUT_EOF);
    pt_input_close(in);
}

static const char LINES[] = "first line\r\nsecond\n\nfourth after a blank\nlast without newline";
static const char JOINED[] = "first line|second||fourth after a blank|last without newline|";

/* ------------------------------------------------------------ lines */

static void test_input__plain_lines_crlf_and_last_line(void **state)
{
    tmpfile_t *t = *state;
    char joined[512];
    write_plain(t, "a.txt", LINES, strlen(LINES));
    join_lines(t->path, joined, sizeof joined);
    assert_string_equal(joined, JOINED);
}

static void test_input__gzip_reads_like_plain(void **state)
{
    tmpfile_t *t = *state;
    char joined[512];
    write_gz(t, "a.txt.gz", LINES, strlen(LINES));
    join_lines(t->path, joined, sizeof joined);
    assert_string_equal(joined, JOINED);

    pt_input *in = open_ok(t->path);
    char *all = NULL, why[256];
    size_t len = 0;
    assert_int_equal(pt_input_read_all(in, 1 << 20, &all, &len, why, sizeof why), PT_INPUT_OK);
    assert_int_equal(len, strlen(LINES));
    assert_memory_equal(all, LINES, len);
    assert_int_equal(all[len], '\0');
    free(all);
    pt_input_close(in);
}

static void test_input__long_line_skipped_next_line_kept(void **state)
{
    tmpfile_t *t = *state;
    size_t big = 300000; /* longer than the chunk buffer, too */
    char *data = malloc(big + 32);
    memset(data, 'x', big);
    strcpy(data + big, "\nafter\n");
    write_plain(t, "long.txt", data, strlen(data));
    free(data);

    pt_input *in = open_ok(t->path);
    char *line, why[256];
    size_t len;
    unsigned long no;
    assert_int_equal(pt_input_next_line(in, 1000, &line, &len, &no, why, sizeof why), PT_INPUT_TOO_LONG);
    assert_int_equal(len, big);
    assert_int_equal(no, 1);
    assert_null(line);
    assert_int_equal(pt_input_next_line(in, 1000, &line, &len, &no, why, sizeof why), PT_INPUT_OK);
    assert_string_equal(line, "after");
    assert_int_equal(no, 2);
    assert_int_equal(pt_input_next_line(in, 1000, &line, &len, &no, why, sizeof why), PT_INPUT_EOF);
    pt_input_close(in);
}

static void test_input__line_of_exactly_max_is_kept(void **state)
{
    tmpfile_t *t = *state;
    write_plain(t, "max.txt", "12345\n123456\n", 13);
    pt_input *in = open_ok(t->path);
    char *line, why[256];
    size_t len;
    unsigned long no;
    assert_int_equal(pt_input_next_line(in, 5, &line, &len, &no, why, sizeof why), PT_INPUT_OK);
    assert_string_equal(line, "12345");
    assert_int_equal(pt_input_next_line(in, 5, &line, &len, &no, why, sizeof why), PT_INPUT_TOO_LONG);
    assert_int_equal(len, 6);
    assert_int_equal(pt_input_next_line(in, 5, &line, &len, &no, why, sizeof why), PT_INPUT_EOF);
    pt_input_close(in);
}

static void test_input__truncated_gzip_is_an_error_after_the_good_lines(void **state)
{
    tmpfile_t *t = *state;
    /* Enough varied lines that the cut falls well after the first ones. */
    char *data = malloc(200000);
    size_t n = 0;
    for (int i = 1; i <= 5000; i++)
        n += (size_t)sprintf(data + n, "line %d of the test, value %d\n", i, i * 7919 % 10007);
    write_gz(t, "cut.jsonl.gz", data, n);
    free(data);
    struct stat sb;
    assert_int_equal(stat(t->path, &sb), 0);
    assert_int_equal(truncate(t->path, sb.st_size - 20), 0);

    pt_input *in = open_ok(t->path);
    char *line, why[256];
    size_t len;
    unsigned long no, lines = 0;
    int rc;
    while ((rc = pt_input_next_line(in, 1000, &line, &len, &no, why, sizeof why)) == PT_INPUT_OK) {
        if (lines == 0)
            assert_string_equal(line, "line 1 of the test, value 7919");
        lines++;
    }
    assert_int_equal(rc, PT_INPUT_ERROR);
    assert_non_null(strstr(why, "truncated gzip data"));
    assert_true(lines > 100 && lines < 5000);
    assert_int_equal(no, lines + 1);
    /* The error sticks. */
    assert_int_equal(pt_input_next_line(in, 1000, &line, &len, &no, why, sizeof why), PT_INPUT_ERROR);
    pt_input_close(in);

    in = open_ok(t->path);
    char *all = NULL;
    assert_int_equal(pt_input_read_all(in, 1 << 20, &all, &len, why, sizeof why), PT_INPUT_ERROR);
    assert_non_null(strstr(why, "truncated"));
    free(all);
    pt_input_close(in);
}

static void test_input__damaged_gzip_is_an_error(void **state)
{
    tmpfile_t *t = *state;
    char data[4000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (char)('a' + (i * 31 % 26));
    write_gz(t, "bad.gz", data, sizeof data);
    FILE *f = fopen(t->path, "r+b");
    assert_non_null(f);
    fseek(f, 30, SEEK_SET);
    fputs("\xff\xff\xff\xff\xff\xff", f);
    fclose(f);
    pt_input *in = open_ok(t->path);
    char *all = NULL, why[256];
    size_t len;
    assert_int_equal(pt_input_read_all(in, 1 << 20, &all, &len, why, sizeof why), PT_INPUT_ERROR);
    assert_true(strstr(why, "gzip data") != NULL);
    free(all);
    pt_input_close(in);
}

/* ------------------------------------------------------------ binary sniff */

static int binary_of(tmpfile_t *t, const void *data, size_t len)
{
    write_plain(t, "sniff", data, len);
    pt_input *in = open_ok(t->path);
    int binary = pt_input_looks_binary(in);
    /* The peeked bytes are still there for the reader. */
    char *all = NULL, why[256];
    size_t got;
    assert_int_equal(pt_input_read_all(in, 1 << 20, &all, &got, why, sizeof why), PT_INPUT_OK);
    assert_int_equal(got, len);
    assert_memory_equal(all, data, len);
    free(all);
    pt_input_close(in);
    return binary;
}

static void test_input__binary_random_bytes_and_elf(void **state)
{
    tmpfile_t *t = *state;
    unsigned char random_bytes[20000];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof random_bytes; i++) {
        x = x * 1103515245u + 12345u;
        random_bytes[i] = (unsigned char)(x >> 16);
    }
    assert_true(binary_of(t, random_bytes, sizeof random_bytes));

    unsigned char elf[4096] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    for (size_t i = 64; i < sizeof elf; i += 7)
        elf[i] = (unsigned char)i; /* sparse code, mostly zeros */
    assert_true(binary_of(t, elf, sizeof elf));
}

static void test_input__text_with_two_nuls_and_cyrillic_is_text(void **state)
{
    tmpfile_t *t = *state;
    char text[] = "The council met on Tuesday.\nIt voted to approve the budget.\n"
                  "A stray NUL here: \0 and another: \0 end.\n";
    assert_false(binary_of(t, text, sizeof text - 1));

    const char *cyr = "Правительство объявило о новых мерах поддержки экономики.\n"
                      "Решение вступит в силу в январе.\n";
    char big[8192] = "";
    while (strlen(big) + strlen(cyr) < sizeof big)
        strcat(big, cyr);
    assert_false(binary_of(t, big, strlen(big)));
    assert_false(binary_of(t, "", 0));
}

/* ------------------------------------------------------------ errors */

static void test_input__unreadable_file_and_directory(void **state)
{
    tmpfile_t *t = *state;
    pt_input *in = NULL;
    char why[256] = "";
    assert_int_equal(pt_input_open(&in, t->dir, why, sizeof why), PT_INPUT_ERROR);
    assert_null(in);
    assert_string_equal(why, "Is a directory");

    assert_int_equal(pt_input_open(&in, "/nonexistent/file.jsonl", why, sizeof why), PT_INPUT_ERROR);
    assert_string_equal(why, "No such file or directory");

    write_plain(t, "secret.txt", "x\n", 2);
    assert_int_equal(chmod(t->path, 0), 0);
    if (geteuid() != 0) { /* root reads it anyway */
        assert_int_equal(pt_input_open(&in, t->path, why, sizeof why), PT_INPUT_ERROR);
        assert_string_equal(why, "Permission denied");
    }
    chmod(t->path, 0600);
}

static void test_input__read_all_respects_max(void **state)
{
    tmpfile_t *t = *state;
    char data[100000];
    memset(data, 'a', sizeof data);
    write_gz(t, "big.gz", data, sizeof data);
    pt_input *in = open_ok(t->path);
    char *all = (char *)1, why[256];
    size_t len = 1;
    assert_int_equal(pt_input_read_all(in, 99999, &all, &len, why, sizeof why), PT_INPUT_TOO_LONG);
    assert_null(all);
    assert_int_equal(len, 0);
    pt_input_close(in);

    in = open_ok(t->path);
    assert_int_equal(pt_input_read_all(in, 100000, &all, &len, why, sizeof why), PT_INPUT_OK);
    assert_int_equal(len, 100000);
    free(all);
    pt_input_close(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_input__plain_lines_crlf_and_last_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input__gzip_reads_like_plain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input__long_line_skipped_next_line_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input__line_of_exactly_max_is_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input__truncated_gzip_is_an_error_after_the_good_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input__damaged_gzip_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input__binary_random_bytes_and_elf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input__text_with_two_nuls_and_cyrillic_is_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input__unreadable_file_and_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input__read_all_respects_max, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
