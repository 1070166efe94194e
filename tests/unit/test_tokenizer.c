/* test_tokenizer.c — unit tests of the tokenizer as seen through
 * pt_analyze: words and offsets, normalization, apostrophes, compounds,
 * abbreviations, numbers, Cyrillic, broken input, and the corpus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "analysis/analyzer.h"
#include "analysis/tokenizer.h"

#define MAX_TERMS 4096

typedef struct {
    char word[PT_TOKEN_MAX_BYTES * 4 + 1];
    char term[PT_TOKEN_MAX_BYTES * 4 + 1];
    uint32_t pos;
    size_t start, end;
    unsigned flags;
} seen_term;

typedef struct {
    seen_term terms[MAX_TERMS];
    size_t n;
    size_t text_len;
} seen;

static int collect(const pt_term *t, void *ctx)
{
    seen *s = ctx;
    assert_true(t->start < t->end);
    assert_true(t->end <= s->text_len);
    assert_int_equal(strlen(t->term), t->term_len);
    assert_int_equal(strlen(t->word), t->word_len);
    if (s->n == MAX_TERMS)
        return 0;
    seen_term *st = &s->terms[s->n++];
    assert_true(t->word_len < sizeof st->word && t->term_len < sizeof st->term);
    memcpy(st->word, t->word, t->word_len + 1);
    memcpy(st->term, t->term, t->term_len + 1);
    st->pos = t->pos;
    st->start = t->start;
    st->end = t->end;
    st->flags = t->flags;
    return 0;
}

static seen *analyze_n(const char *text, size_t len)
{
    static seen s;
    pt_analyzer *an;
    assert_int_equal(pt_analyzer_new(&an), 0);
    memset(&s, 0, sizeof s);
    s.text_len = len;
    uint32_t next_pos = 99;
    assert_int_equal(pt_analyze(an, text, len, 0, collect, &s, &next_pos), 0);
    pt_analyzer_free(an);
    return &s;
}

static seen *analyze(const char *text)
{
    return analyze_n(text, strlen(text));
}

static void expect(const seen *s, size_t i, const char *word, uint32_t pos, size_t start,
                   size_t end, unsigned flags)
{
    assert_true(i < s->n);
    assert_string_equal(s->terms[i].word, word);
    assert_int_equal(s->terms[i].pos, pos);
    assert_int_equal(s->terms[i].start, start);
    assert_int_equal(s->terms[i].end, end);
    assert_int_equal(s->terms[i].flags, flags);
}

enum {
    C = PT_TERM_COMPOUND,
    P = PT_TERM_PART,
    U = PT_TERM_CAPITALIZED,
    Y = PT_TERM_CYRILLIC,
    N = PT_TERM_NUMERIC,
};

static void test_tokenizer__ascii_words_with_offsets(void **state)
{
    (void)state;
    seen *s = analyze("Hello, world!  foo");
    assert_int_equal(s->n, 3);
    expect(s, 0, "hello", 0, 0, 5, U);
    expect(s, 1, "world", 1, 7, 12, 0);
    expect(s, 2, "foo", 2, 15, 18, 0);
}

static void test_tokenizer__case_folding(void **state)
{
    (void)state;
    seen *s = analyze("HELLO Hello hello");
    assert_int_equal(s->n, 3);
    expect(s, 0, "hello", 0, 0, 5, U);
    expect(s, 1, "hello", 1, 6, 11, U);
    expect(s, 2, "hello", 2, 12, 17, 0);
    assert_string_equal(s->terms[0].term, s->terms[2].term);
}

static void test_tokenizer__curly_and_straight_apostrophes_match(void **state)
{
    (void)state;
    seen *s = analyze("Ukraine’s Ukraine's Ukraineʼs 'quoted' dogs'");
    assert_int_equal(s->n, 5);
    expect(s, 0, "ukraine's", 0, 0, 11, U);
    expect(s, 1, "ukraine's", 1, 12, 21, U);
    expect(s, 2, "ukraine's", 2, 22, 32, U);
    assert_string_equal(s->terms[0].term, s->terms[1].term);
    assert_string_equal(s->terms[1].term, s->terms[2].term);
    expect(s, 3, "quoted", 3, 34, 40, 0); /* quotes are not part of it */
    expect(s, 4, "dogs", 4, 42, 46, 0);
}

static void test_tokenizer__hyphen_compounds(void **state)
{
    (void)state;
    seen *s = analyze("a 20-point lead, two-thirds of it");
    assert_int_equal(s->n, 10);
    expect(s, 0, "a", 0, 0, 1, 0);
    expect(s, 1, "20point", 1, 2, 10, C);
    expect(s, 2, "20", 1, 2, 4, P | N);
    expect(s, 3, "point", 2, 5, 10, P);
    expect(s, 4, "lead", 3, 11, 15, 0);
    expect(s, 5, "twothirds", 4, 17, 27, C);
    expect(s, 6, "two", 4, 17, 20, P);
    expect(s, 7, "thirds", 5, 21, 27, P);
    expect(s, 8, "of", 6, 28, 30, 0);
}

static void test_tokenizer__son_in_law_and_article_5_like(void **state)
{
    (void)state;
    seen *s = analyze("son-in-law Article 5-like");
    assert_int_equal(s->n, 8);
    expect(s, 0, "soninlaw", 0, 0, 10, C);
    expect(s, 1, "son", 0, 0, 3, P);
    expect(s, 2, "in", 1, 4, 6, P);
    expect(s, 3, "law", 2, 7, 10, P);
    expect(s, 4, "article", 3, 11, 18, U);
    expect(s, 5, "5like", 4, 19, 25, C);
    expect(s, 6, "5", 4, 19, 20, P | N);
    expect(s, 7, "like", 5, 21, 25, P);
}

static void test_tokenizer__lone_hyphens_separate(void **state)
{
    (void)state;
    seen *s = analyze("a--b c - d -5 x-");
    assert_int_equal(s->n, 6);
    const char *words[] = { "a", "b", "c", "d", "5", "x" };
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(s->terms[i].word, words[i]);
        assert_int_equal(s->terms[i].pos, i);
        assert_int_equal(s->terms[i].flags & (C | P), 0);
    }
}

static void test_tokenizer__abbreviation_whole_and_parts(void **state)
{
    (void)state;
    seen *s = analyze("U.S. officials, e.g. them");
    assert_int_equal(s->n, 8);
    expect(s, 0, "us", 0, 0, 4, C | U);
    expect(s, 1, "u", 0, 0, 1, P | U);
    expect(s, 2, "s", 1, 2, 3, P | U);
    expect(s, 3, "officials", 2, 5, 14, 0);
    expect(s, 4, "eg", 3, 16, 20, C);
    expect(s, 5, "e", 3, 16, 17, P);
    expect(s, 6, "g", 4, 18, 19, P);
    expect(s, 7, "them", 5, 21, 25, 0);
}

static void test_tokenizer__single_initial_is_a_word(void **state)
{
    (void)state;
    seen *s = analyze("A. Smith");
    assert_int_equal(s->n, 2);
    expect(s, 0, "a", 0, 0, 1, U);
    expect(s, 1, "smith", 1, 3, 8, U);
}

static void test_tokenizer__abbreviation_inside_compound(void **state)
{
    (void)state;
    seen *s = analyze("U.S.-backed");
    assert_int_equal(s->n, 5);
    expect(s, 0, "usbacked", 0, 0, 11, C | U);
    expect(s, 1, "us", 0, 0, 4, C | U);
    expect(s, 2, "u", 0, 0, 1, P | U);
    expect(s, 3, "s", 1, 2, 3, P | U);
    expect(s, 4, "backed", 2, 5, 11, P);
}

static void test_tokenizer__en_dash_joins(void **state)
{
    (void)state;
    seen *s = analyze("Ukraine–U.S. talks"); /* – is 3 bytes */
    assert_int_equal(s->n, 6);
    expect(s, 0, "ukraineus", 0, 0, 14, C | U);
    expect(s, 1, "ukraine", 0, 0, 7, P | U);
    expect(s, 2, "us", 1, 10, 14, C | U);
    expect(s, 3, "u", 1, 10, 11, P | U);
    expect(s, 4, "s", 2, 12, 13, P | U);
    expect(s, 5, "talks", 3, 15, 20, 0);
}

static void test_tokenizer__cyrillic(void **state)
{
    (void)state;
    seen *s = analyze("Президент Зеленский заявил");
    assert_int_equal(s->n, 3);
    expect(s, 0, "президент", 0, 0, 18, U | Y);
    expect(s, 1, "зеленский", 1, 19, 37, U | Y);
    expect(s, 2, "заявил", 2, 38, 50, Y);
}

static void test_tokenizer__yo_is_ye_but_short_i_stays(void **state)
{
    (void)state;
    seen *s = analyze("ёлка Ёж елка йод ЙОД и\xcc\x86");
    assert_int_equal(s->n, 6);
    assert_string_equal(s->terms[0].word, "елка");
    assert_string_equal(s->terms[1].word, "еж");
    assert_string_equal(s->terms[0].term, s->terms[2].term);
    assert_string_equal(s->terms[3].word, "йод");
    assert_string_equal(s->terms[4].word, "йод");
    assert_string_equal(s->terms[5].word, "й"); /* и + combining breve */
}

static void test_tokenizer__diacritics_stripped(void **state)
{
    (void)state;
    seen *s = analyze("café Zelenskyy Zelenský naïve ﬁne");
    assert_int_equal(s->n, 5);
    assert_string_equal(s->terms[0].word, "cafe");
    assert_string_equal(s->terms[1].word, "zelenskyy");
    assert_string_equal(s->terms[2].word, "zelensky");
    assert_string_equal(s->terms[3].word, "naive");
    assert_string_equal(s->terms[4].word, "fine"); /* NFKC of the ligature */
    expect(s, 0, "cafe", 0, 0, 5, 0);
}

static void test_tokenizer__invalid_utf8_separates(void **state)
{
    (void)state;
    const char text[] = "abc\xff\xfe" "def\xc3" "ghi\xe2\x80";
    seen *s = analyze_n(text, sizeof text - 1);
    assert_int_equal(s->n, 3);
    expect(s, 0, "abc", 0, 0, 3, 0);
    expect(s, 1, "def", 1, 5, 8, 0);
    expect(s, 2, "ghi", 2, 9, 12, 0);
}

static void test_tokenizer__nul_bytes_separate(void **state)
{
    (void)state;
    const char text[] = "abc\0def\0\0ghi";
    seen *s = analyze_n(text, sizeof text - 1);
    assert_int_equal(s->n, 3);
    expect(s, 0, "abc", 0, 0, 3, 0);
    expect(s, 1, "def", 1, 4, 7, 0);
    expect(s, 2, "ghi", 2, 9, 12, 0);
}

static void test_tokenizer__empty_input(void **state)
{
    (void)state;
    pt_analyzer *an;
    seen *s = calloc(1, sizeof *s);
    assert_non_null(s);
    assert_int_equal(pt_analyzer_new(&an), 0);
    uint32_t next_pos = 0;
    assert_int_equal(pt_analyze(an, "", 0, 7, collect, s, &next_pos), 0);
    assert_int_equal(next_pos, 7);
    assert_int_equal(pt_analyze(an, " ,;— ", 7, 7, collect, s, &next_pos), 0);
    assert_int_equal(next_pos, 7);
    assert_int_equal(s->n, 0);
    /* and a word afterwards still works with the same analyzer */
    s->text_len = 4;
    assert_int_equal(pt_analyze(an, "word", 4, 7, collect, s, &next_pos), 0);
    assert_int_equal(next_pos, 8);
    assert_int_equal(s->n, 1);
    pt_analyzer_free(an);
    free(s);
}

static void assert_valid_utf8(const char *s, size_t len)
{
    utf8proc_int32_t c;
    for (size_t i = 0; i < len;) {
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &c);
        assert_true(n > 0);
        i += (size_t)n;
    }
}

static void test_tokenizer__very_long_token(void **state)
{
    (void)state;
    size_t n = 100000;
    char *text = malloc(n * 2 + 8);
    assert_non_null(text);
    memset(text, 'a', n);
    memcpy(text + n, " ", 1);
    for (size_t i = 0; i < n / 2; i++) /* ж = d0 b6 */
        memcpy(text + n + 1 + 2 * i, "\xd0\xb6", 2);
    seen *s = analyze_n(text, n + 1 + n);
    assert_int_equal(s->n, 2);
    assert_true(strlen(s->terms[0].word) > 0 && strlen(s->terms[0].word) <= PT_TOKEN_MAX_BYTES);
    assert_int_equal(s->terms[0].end, n);
    size_t len = strlen(s->terms[1].word);
    assert_true(len > 0 && len <= PT_TOKEN_MAX_BYTES);
    assert_valid_utf8(s->terms[1].word, len);
    assert_int_equal(s->terms[1].flags, Y);
    free(text);
}

static void test_tokenizer__very_long_compound(void **state)
{
    (void)state;
    size_t parts = 3000;
    char *text = malloc(parts * 3);
    assert_non_null(text);
    for (size_t i = 0; i < parts; i++)
        memcpy(text + 3 * i, "ab-", 3);
    seen *s = analyze_n(text, parts * 3 - 1); /* drop the last '-' */
    assert_int_equal(s->n, 1 + parts < MAX_TERMS ? 1 + parts : MAX_TERMS);
    assert_int_equal(s->terms[0].flags, C);
    assert_true(strlen(s->terms[0].word) <= PT_TOKEN_MAX_BYTES);
    assert_int_equal(s->terms[0].end, parts * 3 - 1);
    expect(s, 2, "ab", 1, 3, 5, P);
    free(text);
}

static void test_tokenizer__numbers(void **state)
{
    (void)state;
    seen *s = analyze("1,000 people, 90% of them, 3.5 times, 9,500.25, 1,5");
    assert_int_equal(s->n, 10);
    expect(s, 0, "1000", 0, 0, 5, N);
    expect(s, 2, "90", 2, 14, 16, N);
    expect(s, 5, "3.5", 5, 27, 30, 0);
    expect(s, 7, "9500.25", 7, 38, 46, 0);
    expect(s, 8, "1", 8, 48, 49, N); /* not a thousands separator */
    expect(s, 9, "5", 9, 50, 51, N);
    assert_string_equal(s->terms[0].term, "1000");
}

static int stop_at_second(const pt_term *t, void *ctx)
{
    (void)t;
    return ++*(int *)ctx == 2 ? 42 : 0;
}

static void test_tokenizer__callback_stops(void **state)
{
    (void)state;
    pt_analyzer *an;
    assert_int_equal(pt_analyzer_new(&an), 0);
    int calls = 0;
    uint32_t next_pos = 0;
    assert_int_equal(pt_analyze(an, "one two three", 13, 0, stop_at_second, &calls, &next_pos), 42);
    assert_int_equal(calls, 2);
    pt_analyzer_free(an);
}

/* Random bytes biased toward the interesting ones: never a crash, every
 * offset inside the text (checked in collect), positions never go back. */
static void test_tokenizer__random_bytes(void **state)
{
    (void)state;
    static const char alphabet[] = "aZ9-.,'\0 \xe2\x80\x93\x99\xd0\xb6\xcc\x81\xff";
    char text[512];
    unsigned seed = 12345;
    for (int round = 0; round < 300; round++) {
        size_t len = (size_t)(round % 97) * 5;
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            text[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        seen *s = analyze_n(text, len);
        for (size_t i = 1; i < s->n; i++)
            assert_true(s->terms[i].pos >= s->terms[i - 1].pos);
    }
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)size + 1)))
            *len = fread(buf, 1, (size_t)size, f);
    }
    fclose(f);
    return buf;
}

/* Every word of the real corpus: offsets in bounds (collect), positions
 * consecutive, and the famous "Ukraine’s" found. */
static void test_tokenizer__corpus(void **state)
{
    (void)state;
    const char *dir = getenv("PT_CORPUS");
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d)
        skip();
    size_t files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len = 0;
        char *text = read_file(path, &len);
        if (!text)
            continue;
        seen *s = analyze_n(text, len);
        assert_true(s->n > 0);
        for (size_t i = 1; i < s->n; i++) {
            uint32_t step = s->terms[i].pos - s->terms[i - 1].pos;
            assert_true(step == 0 || step == 1);
        }
        free(text);
        files++;
    }
    closedir(d);
    assert_true(files > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokenizer__ascii_words_with_offsets),
        cmocka_unit_test(test_tokenizer__case_folding),
        cmocka_unit_test(test_tokenizer__curly_and_straight_apostrophes_match),
        cmocka_unit_test(test_tokenizer__hyphen_compounds),
        cmocka_unit_test(test_tokenizer__son_in_law_and_article_5_like),
        cmocka_unit_test(test_tokenizer__lone_hyphens_separate),
        cmocka_unit_test(test_tokenizer__abbreviation_whole_and_parts),
        cmocka_unit_test(test_tokenizer__single_initial_is_a_word),
        cmocka_unit_test(test_tokenizer__abbreviation_inside_compound),
        cmocka_unit_test(test_tokenizer__en_dash_joins),
        cmocka_unit_test(test_tokenizer__cyrillic),
        cmocka_unit_test(test_tokenizer__yo_is_ye_but_short_i_stays),
        cmocka_unit_test(test_tokenizer__diacritics_stripped),
        cmocka_unit_test(test_tokenizer__invalid_utf8_separates),
        cmocka_unit_test(test_tokenizer__nul_bytes_separate),
        cmocka_unit_test(test_tokenizer__empty_input),
        cmocka_unit_test(test_tokenizer__very_long_token),
        cmocka_unit_test(test_tokenizer__very_long_compound),
        cmocka_unit_test(test_tokenizer__numbers),
        cmocka_unit_test(test_tokenizer__callback_stops),
        cmocka_unit_test(test_tokenizer__random_bytes),
        cmocka_unit_test(test_tokenizer__corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
