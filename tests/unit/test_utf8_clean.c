/* test_utf8_clean.c — unit tests of lib/utf8_clean.c: clean text stays in
 * place, each kind of invalid UTF-8 becomes U+FFFD and is counted, NUL
 * becomes a space, and the result is always clean (also for random
 * bytes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ptsearch.h"
#include "util/utf8_clean.h"

#define FFFD "\xEF\xBF\xBD"

/* Copies len bytes (which may hold NUL) into a heap buffer with a NUL
 * after them, as a reader hands text to pt_utf8_repair. */
static char *heap_copy(const char *bytes, size_t len)
{
    char *s = malloc(len + 1);
    assert_non_null(s);
    memcpy(s, bytes, len);
    s[len] = '\0';
    return s;
}

/* Repairs in (in_len bytes) and checks the result is want (want_len bytes)
 * with the given counts, NUL-terminated and clean. */
static void check_repair(const char *in, size_t in_len, const char *want, size_t want_len,
                         size_t invalid, size_t nul)
{
    char *text = heap_copy(in, in_len);
    size_t len = in_len;
    pt_utf8_repairs r = { 99, 99 };
    assert_int_equal(pt_utf8_repair(&text, &len, &r), PT_OK);
    assert_int_equal(len, want_len);
    assert_memory_equal(text, want, want_len);
    assert_int_equal(text[len], '\0');
    assert_int_equal(r.invalid, invalid);
    assert_int_equal(r.nul, nul);
    assert_true(pt_utf8_is_clean(text, len));
    free(text);
}

#define REPAIR(in, want, invalid, nul) \
    check_repair(in, sizeof(in) - 1, want, sizeof(want) - 1, invalid, nul)

/* A valid text is left where it is: same pointer, same bytes, no counts. */
static void check_untouched(const char *in)
{
    size_t n = strlen(in);
    char *text = heap_copy(in, n);
    char *before = text;
    size_t len = n;
    pt_utf8_repairs r = { 99, 99 };
    assert_true(pt_utf8_is_clean(text, len));
    assert_int_equal(pt_utf8_repair(&text, &len, &r), PT_OK);
    assert_ptr_equal(text, before);
    assert_int_equal(len, n);
    assert_memory_equal(text, in, n);
    assert_int_equal(r.invalid, 0);
    assert_int_equal(r.nul, 0);
    free(text);
}

static void test_utf8_clean__ascii_untouched(void **state)
{
    (void)state;
    check_untouched("");
    check_untouched("Hello, world.");
    check_untouched("A longer ASCII line that spans several eight-byte words, with tabs\tand\nnewlines.");
}

static void test_utf8_clean__cyrillic_untouched(void **state)
{
    (void)state;
    check_untouched("Зеленский заявил о «реальном прогрессе» на переговорах в Берлине.");
    check_untouched("Україна – ЄС");
}

static void test_utf8_clean__emoji_untouched(void **state)
{
    (void)state;
    check_untouched("peace \xF0\x9F\x95\x8A\xEF\xB8\x8F talks \xF0\x9F\x87\xBA\xF0\x9F\x87\xA6");
    /* The edges of each range are valid. */
    check_untouched("\x7F \xC2\x80 \xDF\xBF \xE0\xA0\x80 \xED\x9F\xBF \xEE\x80\x80 \xEF\xBF\xBF");
    check_untouched("\xF0\x90\x80\x80 \xF4\x8F\xBF\xBF");
}

static void test_utf8_clean__lone_continuation(void **state)
{
    (void)state;
    REPAIR("a\x80z", "a" FFFD "z", 1, 0);
    REPAIR("\xBF\xBF", FFFD FFFD, 2, 0);
    /* A stray continuation byte after a complete character. */
    REPAIR("\xC3\xA9\xA9", "\xC3\xA9" FFFD, 1, 0);
}

static void test_utf8_clean__truncated_at_end(void **state)
{
    (void)state;
    REPAIR("ab\xC3", "ab" FFFD, 1, 0);
    REPAIR("ab\xE2\x82", "ab" FFFD, 2, 0);        /* € cut short: one subpart */
    REPAIR("ab\xF0\x9F\x95", "ab" FFFD, 3, 0);    /* 🕊 cut short */
    /* Cut short in the middle, followed by ASCII. */
    REPAIR("\xE2\x82z", FFFD "z", 2, 0);
}

static void test_utf8_clean__overlong(void **state)
{
    (void)state;
    REPAIR("x\xC0\x80y", "x" FFFD FFFD "y", 2, 0);
    REPAIR("\xC1\xBF", FFFD FFFD, 2, 0);
    REPAIR("\xE0\x80\xAF", FFFD FFFD FFFD, 3, 0);
    REPAIR("\xF0\x80\x80\xAF", FFFD FFFD FFFD FFFD, 4, 0);
}

static void test_utf8_clean__surrogate(void **state)
{
    (void)state;
    REPAIR("\xED\xA0\x80", FFFD FFFD FFFD, 3, 0);
    REPAIR("a\xED\xBF\xBFz", "a" FFFD FFFD FFFD "z", 3, 0);
}

static void test_utf8_clean__above_max(void **state)
{
    (void)state;
    REPAIR("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD, 4, 0);
    REPAIR("\xF5\x80\x80\x80", FFFD FFFD FFFD FFFD, 4, 0);
    REPAIR("\xFF", FFFD, 1, 0);
}

static void test_utf8_clean__nul_to_space(void **state)
{
    (void)state;
    /* Only NULs: mended in place, no new buffer. */
    const char in[] = "a\0b\0\0c";
    char *text = heap_copy(in, sizeof in - 1);
    char *before = text;
    size_t len = sizeof in - 1;
    pt_utf8_repairs r = { 99, 99 };
    assert_false(pt_utf8_is_clean(text, len));
    assert_int_equal(pt_utf8_repair(&text, &len, &r), PT_OK);
    assert_ptr_equal(text, before);
    assert_int_equal(len, 6);
    assert_memory_equal(text, "a b  c", 6);
    assert_int_equal(r.nul, 3);
    assert_int_equal(r.invalid, 0);
    free(text);

    /* NULs on both sides of an invalid byte. */
    REPAIR("\0x\x80y\0", " x" FFFD "y ", 1, 2);
}

static void test_utf8_clean__repairs_may_be_null(void **state)
{
    (void)state;
    char *text = heap_copy("a\x80", 2);
    size_t len = 2;
    assert_int_equal(pt_utf8_repair(&text, &len, NULL), PT_OK);
    assert_int_equal(len, 4);
    assert_memory_equal(text, "a" FFFD, 4);
    free(text);
}

static void test_utf8_clean__is_clean(void **state)
{
    (void)state;
    assert_true(pt_utf8_is_clean("", 0));
    assert_true(pt_utf8_is_clean("plain", 5));
    assert_false(pt_utf8_is_clean("a\0b", 3));
    assert_false(pt_utf8_is_clean("\xC0\x80", 2));
    assert_false(pt_utf8_is_clean("\xED\xA0\x80", 3));
    assert_false(pt_utf8_is_clean("\xF4\x90\x80\x80", 4));
    /* Only the first len bytes count: a valid prefix of a broken text. */
    assert_true(pt_utf8_is_clean("ok\xE2\x82\xAC\x80", 5));
    assert_false(pt_utf8_is_clean("ok\xE2\x82\xAC", 4));
    /* The ASCII fast path must still find a NUL or high byte late in a word. */
    assert_false(pt_utf8_is_clean("abcdefghijklmno\0", 16));
    assert_false(pt_utf8_is_clean("abcdefghijklmno\x80", 16));
}

/* xorshift64: the same random buffers on every run. */
static uint64_t next_random(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static void test_utf8_clean__random_buffers_become_clean(void **state)
{
    (void)state;
    /* Bytes biased towards UTF-8 lead and continuation bytes, so that
     * valid, truncated and overlong sequences all turn up. */
    static const unsigned char pool[] = {
        'a', ' ', 0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
        0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
    };
    uint64_t seed = 0x9E3779B97F4A7C15u;
    for (int round = 0; round < 10000; round++) {
        size_t n = (size_t)(next_random(&seed) % 64);
        char *text = malloc(n + 1);
        assert_non_null(text);
        for (size_t i = 0; i < n; i++) {
            uint64_t r = next_random(&seed);
            text[i] = (char)(r & 1 ? pool[(r >> 1) % sizeof pool] : (unsigned char)(r >> 8));
        }
        text[n] = '\0';
        int was_clean = pt_utf8_is_clean(text, n);
        char *before = text;
        size_t len = n;
        pt_utf8_repairs r = { 0, 0 };
        assert_int_equal(pt_utf8_repair(&text, &len, &r), PT_OK);
        assert_true(pt_utf8_is_clean(text, len));
        assert_int_equal(text[len], '\0');
        assert_int_equal(was_clean, r.invalid == 0 && r.nul == 0);
        if (r.invalid == 0)
            assert_ptr_equal(text, before);
        /* Every invalid byte becomes at most one U+FFFD; nothing is lost. */
        assert_true(len >= n - r.invalid);
        assert_true(len <= n + 2 * r.invalid);
        /* Repairing again changes nothing. */
        char *again = text;
        pt_utf8_repairs r2 = { 0, 0 };
        assert_int_equal(pt_utf8_repair(&text, &len, &r2), PT_OK);
        assert_ptr_equal(text, again);
        assert_int_equal(r2.invalid + r2.nul, 0);
        free(text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_clean__ascii_untouched),
        cmocka_unit_test(test_utf8_clean__cyrillic_untouched),
        cmocka_unit_test(test_utf8_clean__emoji_untouched),
        cmocka_unit_test(test_utf8_clean__lone_continuation),
        cmocka_unit_test(test_utf8_clean__truncated_at_end),
        cmocka_unit_test(test_utf8_clean__overlong),
        cmocka_unit_test(test_utf8_clean__surrogate),
        cmocka_unit_test(test_utf8_clean__above_max),
        cmocka_unit_test(test_utf8_clean__nul_to_space),
        cmocka_unit_test(test_utf8_clean__repairs_may_be_null),
        cmocka_unit_test(test_utf8_clean__is_clean),
        cmocka_unit_test(test_utf8_clean__random_buffers_become_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
