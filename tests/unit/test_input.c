/* test_input.c — unit tests of indexer/input.c: plain and gzip inputs read
 * alike, line splitting (CRLF, last line, over-long lines), truncated gzip
 * streams, the binary sniff, unreadable paths and the read_all bound,
 * and UTF-16 read as UTF-8 (with or without a byte-order mark). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
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
    int binary = pt_input_looks_binary(in) != NULL;
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

/* English with 40 NUL bytes scattered through 1,460 bytes (a bad copy, a
 * damaged sector): text, whose NULs the readers replace with a warning. */
static void test_input__scattered_nuls_are_text(void **state)
{
    tmpfile_t *t = *state;
    const char *sentence = "The committee approved the harbour budget after a long debate. ";
    char text[1460];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = sentence[i % strlen(sentence)];
    for (size_t k = 0; k < 40; k++)
        text[17 + k * 36] = '\0';
    assert_false(binary_of(t, text, sizeof text));
}

/* Binary formats known by their first bytes are binary even when the
 * bytes after the signature would pass for text (a PDF's header and
 * dictionary, a stored ZIP member, a file gzipped twice). */
static void test_input__known_signatures_are_binary(void **state)
{
    tmpfile_t *t = *state;
    static const struct { const char *magic; size_t len; } formats[] = {
        {"%PDF-1.7\n", 9}, {"PK\x03\x04", 4}, {"\x89PNG\r\n\x1a\n", 8}, {"\xff\xd8\xff\xe0", 4},
        {"GIF89a", 6}, {"\x7f" "ELF", 4}, {"SQLite format 3", 16},
    };
    const char *filler = "This text only follows a binary signature.\n";
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        char data[4096];
        size_t n = formats[i].len;
        memcpy(data, formats[i].magic, n);
        while (n + strlen(filler) < sizeof data) {
            memcpy(data + n, filler, strlen(filler));
            n += strlen(filler);
        }
        if (!binary_of(t, data, n))
            fail_msg("format %zu (%.4s) was taken for text", i, formats[i].magic);
    }
    /* zlib decompresses one layer; the gzip inside is binary. */
    write_gz(t, "once.gz", filler, strlen(filler));
    char twice[512];
    FILE *f = fopen(t->path, "rb");
    assert_non_null(f);
    size_t n = fread(twice, 1, sizeof twice, f);
    fclose(f);
    write_gz(t, "twice.txt.gz", twice, n);
    pt_input *in = open_ok(t->path);
    const char *what = pt_input_looks_binary(in);
    assert_non_null(what);
    assert_non_null(strstr(what, "gzip"));
    pt_input_close(in);
}

/* UTF-32 (three NULs a character) is not decoded: binary, as before. */
static void test_input__utf32_is_binary(void **state)
{
    tmpfile_t *t = *state;
    const char *ascii = "Plain words spelled in UTF-32, little-endian.\n";
    char data[1024] = "\xff\xfe\0\0";
    size_t n = 4;
    for (const char *c = ascii; *c && n + 4 <= sizeof data; c++, n += 4)
        memcpy(data + n, (char[4]){*c, 0, 0, 0}, 4);
    assert_true(binary_of(t, data, n));
}

/* ------------------------------------------------------------ encodings */

/* text (UTF-8) as UTF-16, big- or little-endian, after bom[0..bom_len). */
static size_t to_utf16(const char *text, int big_endian, const char *bom, size_t bom_len, char *out)
{
    memcpy(out, bom, bom_len);
    size_t n = bom_len;
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        uint32_t c;
        if (*s < 0x80) c = *s++;
        else if (*s < 0xE0) c = (uint32_t)(*s & 0x1F) << 6 | (s[1] & 0x3F), s += 2;
        else if (*s < 0xF0) c = (uint32_t)(*s & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F), s += 3;
        else c = (uint32_t)(*s & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 | (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F), s += 4;
        uint16_t units[2] = {(uint16_t)c, 0};
        size_t k = 1;
        if (c >= 0x10000) {
            units[0] = (uint16_t)(0xD800 + ((c - 0x10000) >> 10));
            units[1] = (uint16_t)(0xDC00 + ((c - 0x10000) & 0x3FF));
            k = 2;
        }
        for (size_t i = 0; i < k; i++) {
            out[n++] = (char)(big_endian ? units[i] >> 8 : units[i] & 0xFF);
            out[n++] = (char)(big_endian ? units[i] & 0xFF : units[i] >> 8);
        }
    }
    return n;
}

/* Reads path whole; the caller frees. */
static char *read_whole(const char *path, size_t *len)
{
    pt_input *in = open_ok(path);
    assert_false(pt_input_looks_binary(in));
    char *all = NULL, why[256];
    assert_int_equal(pt_input_read_all(in, 1 << 20, &all, len, why, sizeof why), PT_INPUT_OK);
    pt_input_close(in);
    return all;
}

static const char UTF16_TEXT[] = "Київ and Zürich\r\nsecond line \xf0\x9f\x98\x80 end\nlast";

static void test_input__utf16_with_bom_is_read_as_utf8(void **state)
{
    tmpfile_t *t = *state;
    char data[512], joined[512];
    for (int big = 0; big <= 1; big++) {
        size_t n = to_utf16(UTF16_TEXT, big, big ? "\xfe\xff" : "\xff\xfe", 2, data);
        write_plain(t, "u16.txt", data, n);
        size_t len = 0;
        char *all = read_whole(t->path, &len);
        assert_int_equal(len, strlen(UTF16_TEXT));
        assert_string_equal(all, UTF16_TEXT);
        free(all);
        join_lines(t->path, joined, sizeof joined);
        assert_string_equal(joined, "Київ and Zürich|second line \xf0\x9f\x98\x80 end|last|");
        write_gz(t, "u16.txt.gz", data, n); /* gzipped alike */
        all = read_whole(t->path, &len);
        assert_string_equal(all, UTF16_TEXT);
        free(all);
    }
}

/* Decoding across chunk boundaries: a text far longer than the 64 KiB
 * buffer, with a surrogate pair at every possible position. */
static void test_input__long_utf16_is_decoded_whole(void **state)
{
    tmpfile_t *t = *state;
    size_t reps = 20000;
    const char *unit = "ab\xf0\x9f\x98\x80\xd0\x96\n"; /* a b U+1F600 Ж \n: 9 bytes, 6 UTF-16 units */
    char *text = malloc(reps * 9 + 1), *data = malloc(reps * 12 + 2);
    for (size_t i = 0; i < reps; i++)
        memcpy(text + i * 9, unit, 9);
    text[reps * 9] = '\0';
    size_t n = to_utf16(text, 0, "\xff\xfe", 2, data);
    write_plain(t, "long16.txt", data, n);
    size_t len = 0;
    char *all = read_whole(t->path, &len);
    assert_int_equal(len, reps * 9);
    assert_memory_equal(all, text, len);
    free(all);
    free(text);
    free(data);
}

/* Without a byte-order mark, UTF-16 is recognised by its zero bytes when
 * the text is mostly Latin script (one byte of nearly every pair zero). */
static void test_input__utf16_without_bom_is_read_as_utf8(void **state)
{
    tmpfile_t *t = *state;
    const char *text = "The minister said the talks would resume in Geneva next week.\n"
                       "Diplomats from both sides confirmed it.\n";
    char data[1024];
    for (int big = 0; big <= 1; big++) {
        size_t n = to_utf16(text, big, "", 0, data);
        write_plain(t, "nobom.txt", data, n);
        size_t len = 0;
        char *all = read_whole(t->path, &len);
        assert_string_equal(all, text);
        free(all);
    }
}

static void test_input__utf8_bom_is_dropped(void **state)
{
    tmpfile_t *t = *state;
    write_plain(t, "bom.txt", "\xef\xbb\xbfTitle\nbody\n", 14);
    size_t len = 0;
    char *all = read_whole(t->path, &len);
    assert_string_equal(all, "Title\nbody\n");
    free(all);
}

/* An unpaired surrogate, and an odd last byte, become U+FFFD, counted. */
static void test_input__broken_utf16_is_replaced_and_counted(void **state)
{
    tmpfile_t *t = *state;
    const char data[] = "\xff\xfe" "A\0" "\x00\xdc" "B\0" "\x3d\xd8" "C\0" "D";
    write_plain(t, "bad16.txt", data, sizeof data - 1);
    pt_input *in = open_ok(t->path);
    char *all = NULL, why[256];
    size_t len = 0;
    assert_int_equal(pt_input_read_all(in, 1 << 20, &all, &len, why, sizeof why), PT_INPUT_OK);
    assert_string_equal(all, "A\xef\xbf\xbd" "B\xef\xbf\xbd" "C\xef\xbf\xbd");
    assert_int_equal(pt_input_replaced(in), 3);
    free(all);
    pt_input_close(in);
}

/* A plain file over the bound is refused from its size, before a byte of
 * it is read: a sparse file of 1 GiB costs nothing to refuse (reading
 * the 256 MiB allowed first took a third of a second). */
static void test_input__read_all_refuses_big_file_by_size(void **state)
{
    tmpfile_t *t = *state;
    write_plain(t, "sparse.txt", "x", 1);
    assert_int_equal(truncate(t->path, (off_t)1 << 30), 0);
    pt_input *in = open_ok(t->path);
    char *all = NULL, why[256];
    size_t len = 0;
    clock_t before = clock();
    assert_int_equal(pt_input_read_all(in, 256u << 20, &all, &len, why, sizeof why), PT_INPUT_TOO_LONG);
    assert_true((double)(clock() - before) / CLOCKS_PER_SEC < 0.05);
    assert_null(all);
    pt_input_close(in);
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
        cmocka_unit_test_setup_teardown(test_input__scattered_nuls_are_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input__known_signatures_are_binary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input__utf32_is_binary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input__utf16_with_bom_is_read_as_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input__long_utf16_is_decoded_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input__utf16_without_bom_is_read_as_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input__utf8_bom_is_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input__broken_utf16_is_replaced_and_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input__read_all_refuses_big_file_by_size, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
