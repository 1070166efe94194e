/* test_text_fields.c — unit tests of the fields read from article text
 * (indexer/text_fields.c): title, date and source of each seed article, the date
 * parser's formats and calendar checks, and what must stay absent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_fields.h"
#include "ptsearch.h"
#include "test_util.h"

/* ------------------------------------------------------------ helpers */

/* Reads the fields from a string copied into an exact-size buffer. */
static void fields_of(pt_text_fields *m, const char *bytes, size_t len)
{
    test_bytes copy = test_copy_bytes(bytes, len);
    assert_int_equal(pt_text_fields_read(m, copy.data, copy.len), 0);
    free(copy.data);
}

static void fields_of_corpus(pt_text_fields *m, const char *name)
{
    test_bytes b = test_read_corpus(name);
    assert_int_equal(pt_text_fields_read(m, b.data, b.len), 0);
    free(b.data);
}

/* Number of UTF-8 characters in s. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

#define ELLIPSIS "\xE2\x80\xA6"

/* ------------------------------------------------------------ corpus */

static void test_text_fields__corpus_000_caption_title(void **state)
{
    (void)state;
    pt_text_fields m = { 0 };
    fields_of_corpus(&m, "000_f4220b2ff6c08dc0.txt");
    /* The first line is a photo caption (its credit follows): no title.
     * The text has no headline, so the title is the lede's first sentence,
     * flagged; the date inside the caption is not the article's date. */
    assert_true(m.title_is_first_sentence);
    assert_true(strncmp(m.title, "American officials said Monday that a deal with Ukrainian leaders", 65) == 0);
    assert_true(utf8_chars(m.title) <= 150);
    assert_null(m.date);
    assert_null(m.source); /* "| Afp | Getty Images" credits the photo, not the text */
    pt_text_fields_clear(&m);
}

static void test_text_fields__corpus_001_date_line_then_title(void **state)
{
    (void)state;
    pt_text_fields m = { 0 };
    fields_of_corpus(&m, "001_ed0bf67eabdc8bc4.txt");
    assert_string_equal(m.date, "2025-12-16"); /* the first date line, not "Dec 15, 2025" */
    assert_string_equal(m.title, "Zelensky Says Berlin Talks With Trump Envoys Show \xE2\x80\x98"
                                 "Real Progress\xE2\x80\x99 Despite Differences");
    assert_false(m.title_is_first_sentence);
    assert_null(m.source);
    pt_text_fields_clear(&m);
}

static void test_text_fields__corpus_002_long_first_line(void **state)
{
    (void)state;
    pt_text_fields m = { 0 };
    fields_of_corpus(&m, "002_fa79ad35558de7c7.txt");
    assert_non_null(m.title);
    assert_true(strncmp(m.title, "A senior Ukrainian negotiator stated that", 41) == 0);
    assert_true(m.title_is_first_sentence); /* a lede, not a headline */
    assert_true(ends_with(m.title, ELLIPSIS));
    assert_in_range(utf8_chars(m.title), 100, 150);
    assert_null(m.date);
    assert_null(m.source); /* "told Reuters" in the text is not a credit */
    pt_text_fields_clear(&m);
}

static void test_text_fields__corpus_003_with_ap(void **state)
{
    (void)state;
    pt_text_fields m = { 0 };
    fields_of_corpus(&m, "003_d7a71e417279a752.txt");
    assert_string_equal(m.title, "Ninety per cent of Ukraine-Russia issues resolved: US");
    assert_false(m.title_is_first_sentence);
    assert_string_equal(m.source, "AP");
    assert_null(m.date);
    pt_text_fields_clear(&m);
}

static void test_text_fields__corpus_004_date_field_line(void **state)
{
    (void)state;
    pt_text_fields m = { 0 };
    fields_of_corpus(&m, "004_e43b9b220f213307.txt");
    assert_string_equal(m.date, "2025-12-15");
    assert_string_equal(m.source, "Radio Free Europe/Radio Liberty (RFE/RL)");
    /* The date field line is no title: the next line is, cut to length. */
    assert_non_null(m.title);
    assert_true(strncmp(m.title, "US and Ukrainian officials are expected", 39) == 0);
    assert_true(ends_with(m.title, ELLIPSIS));
    assert_true(utf8_chars(m.title) <= 150);
    assert_false(ends_with(m.title, " " ELLIPSIS));
    pt_text_fields_clear(&m);
}

/* ------------------------------------------------------ other shapes */

static void test_text_fields__captions_are_not_titles(void **state)
{
    (void)state;
    pt_text_fields m = { 0 };
    /* A caption ending in its credit, then a headline. */
    const char a[] = "Rescuers search the rubble in Kyiv on Monday. -AP\nKyiv counts the cost\nBody text.";
    fields_of(&m, a, sizeof a - 1);
    assert_string_equal(m.title, "Kyiv counts the cost");
    assert_false(m.title_is_first_sentence);
    pt_text_fields_clear(&m);

    /* A headline over a credit line stays the headline (no full stop). */
    const char b[] = "Kyiv counts the cost\nPhoto: Reuters\nBody text.";
    fields_of(&m, b, sizeof b - 1);
    assert_string_equal(m.title, "Kyiv counts the cost");
    assert_false(m.title_is_first_sentence);
    pt_text_fields_clear(&m);

    /* No headline: the first sentence, "Mr." and "U.S." inside it. */
    const char c[] = "Mr. Smith met U.S. envoys on Monday in Berlin to talk about a deal that would end the war "
                     "after nearly four years. The talks went on.";
    fields_of(&m, c, sizeof c - 1);
    assert_string_equal(m.title, "Mr. Smith met U.S. envoys on Monday in Berlin to talk about a deal that would "
                                 "end the war after nearly four years.");
    assert_true(m.title_is_first_sentence);
    pt_text_fields_clear(&m);
}

static void test_text_fields__source_patterns(void **state)
{
    (void)state;
    pt_text_fields m = { 0 };
    static const char dateline[] = "Title here\nKYIV (Reuters) - Ukraine said on Monday it was ready.\n";
    fields_of(&m, dateline, sizeof dateline - 1);
    assert_string_equal(m.source, "Reuters");
    pt_text_fields_clear(&m);

    static const char ap[] = "Title\n(AP) \xE2\x80\x94 Officials said so.\n\nMore text.\n";
    fields_of(&m, ap, sizeof ap - 1);
    assert_string_equal(m.source, "AP");
    pt_text_fields_clear(&m);

    static const char trailer[] = "Title\r\nBody text.\r\n\r\nThis story originally appeared on "
                                  "U.S. News. Used with permission.\r\n";
    fields_of(&m, trailer, sizeof trailer - 1);
    assert_string_equal(m.source, "U.S. News");
    pt_text_fields_clear(&m);

    /* Not credits: a sentence starting "With", a parenthesis in a
     * sentence, a lower-case "with love". */
    static const char prose[] = "Title\nOfficials in the (US) - said to be late.\nBody.\nWith that, the talks "
                                "ended without a deal.\n";
    fields_of(&m, prose, sizeof prose - 1);
    assert_null(m.source);
    pt_text_fields_clear(&m);
    static const char love[] = "Title\nBody.\nwith love\n";
    fields_of(&m, love, sizeof love - 1);
    assert_null(m.source);
    pt_text_fields_clear(&m);
}

static void test_text_fields__date_only_from_date_lines(void **state)
{
    (void)state;
    pt_text_fields m = { 0 };
    static const char in_sentence[] = "Talks in Berlin\nLeaders met on December 15, 2025.\n"
                                      "2025-12-15 was a Monday.\n";
    fields_of(&m, in_sentence, sizeof in_sentence - 1);
    assert_null(m.date);
    assert_string_equal(m.title, "Talks in Berlin");
    pt_text_fields_clear(&m);

    static const char field[] = "Date: 15 December 2025\n\nHeadline\n";
    fields_of(&m, field, sizeof field - 1);
    assert_string_equal(m.date, "2025-12-15");
    assert_string_equal(m.title, "Headline");
    pt_text_fields_clear(&m);

    static const char impossible[] = "2025-02-30\nHeadline\n";
    fields_of(&m, impossible, sizeof impossible - 1);
    assert_null(m.date);
    pt_text_fields_clear(&m);
}

static void test_text_fields__empty_and_hostile_text(void **state)
{
    (void)state;
    pt_text_fields m = { 0 };
    fields_of(&m, "", 0);
    assert_null(m.title);
    assert_null(m.source);
    assert_null(m.date);
    pt_text_fields_clear(&m);
    pt_text_fields_clear(&m); /* twice is fine */
    pt_text_fields_clear(NULL);

    static const char raw[] = " \n\t\r\nA\0B \xff title \xE2\x80\n with";
    for (size_t len = 0; len <= sizeof raw - 1; len++) {
        fields_of(&m, raw, len);
        if (m.title) {
            /* NUL and invalid bytes never reach the string. */
            assert_null(strchr(m.title, '\xff'));
            assert_true(strlen(m.title) >= 1);
        }
        pt_text_fields_clear(&m);
    }
    fields_of(&m, raw, sizeof raw - 1);
    assert_string_equal(m.title, "A B \xEF\xBF\xBD title \xEF\xBF\xBD\xEF\xBF\xBD");
    pt_text_fields_clear(&m);
}

static void test_text_fields__long_title_without_spaces(void **state)
{
    (void)state;
    char line[400];
    for (size_t i = 0; i < 200; i++)
        memcpy(line + 2 * i, "\xD0\x96", 2); /* Cyrillic Ж */
    size_t len = sizeof line;
    pt_text_fields m = { 0 };
    fields_of(&m, line, len);
    assert_non_null(m.title);
    assert_true(ends_with(m.title, ELLIPSIS));
    assert_int_equal(utf8_chars(m.title), 150);
    pt_text_fields_clear(&m);
}

/* Found by fuzz_text_fields: a title with invalid UTF-8 must come out valid
 * (surrogates, overlong forms and code points past U+10FFFF included) and
 * within 150 characters, each invalid byte counting as the U+FFFD it
 * becomes. */
static void test_text_fields__invalid_utf8_title_valid_and_capped(void **state)
{
    (void)state;
    pt_text_fields m = { 0 };
    static const char bad[] = "a \xED\xA0\x80 \xE0\x80\x80 \xF4\x90\x80\x80 b";
    fields_of(&m, bad, sizeof bad - 1);
    assert_non_null(m.title);
    assert_true(pt_utf8_is_clean(m.title, strlen(m.title)));
    pt_text_fields_clear(&m);

    char line[300];
    for (size_t i = 0; i < sizeof line; i++)
        line[i] = i % 3 == 2 ? '\x80' : 'x'; /* 200 letters, 100 stray bytes */
    fields_of(&m, line, sizeof line);
    assert_non_null(m.title);
    assert_true(pt_utf8_is_clean(m.title, strlen(m.title)));
    assert_true(ends_with(m.title, ELLIPSIS));
    assert_int_equal(utf8_chars(m.title), 150);
    pt_text_fields_clear(&m);
}

/* --------------------------------------------------------- date parse */

static void expect_date(const char *s, const char *iso, size_t used)
{
    char out[11] = "";
    size_t len = strlen(s);
    char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, s, len);
    assert_int_equal(pt_date_parse(copy, len, out), used);
    if (iso)
        assert_string_equal(out, iso);
    free(copy);
}

static void test_text_fields__date_parse_valid(void **state)
{
    (void)state;
    expect_date("2025-12-15", "2025-12-15", 10);
    expect_date("2025-12-15 This article", "2025-12-15", 10);
    expect_date("2025-12-15T09:30:00Z", "2025-12-15", 20);
    expect_date("2025-12-15T09:30:00.123+01:00 x", "2025-12-15", 29);
    expect_date("2025/12/15", "2025-12-15", 10);
    expect_date("2024-02-29", "2024-02-29", 10);
    expect_date("2000-02-29", "2000-02-29", 10);
    expect_date("December 16, 2025", "2025-12-16", 17);
    expect_date("december 16 2025", "2025-12-16", 16);
    expect_date("Dec 15, 2025", "2025-12-15", 12);
    expect_date("Dec. 15, 2025", "2025-12-15", 13);
    expect_date("Sept. 1, 2025", "2025-09-01", 13);
    expect_date("May 5, 2025.", "2025-05-05", 11);
    expect_date("March 3rd, 2024", "2024-03-03", 15);
    expect_date("15 December 2025", "2025-12-15", 16);
    expect_date("1 Feb 2025", "2025-02-01", 10);
}

static void test_text_fields__date_parse_invalid(void **state)
{
    (void)state;
    const char *bad[] = {
        "2025-02-30", "2023-02-29", "1900-02-29", "2025-13-01", "2025-00-10", "2025-12-00",
        "2025-04-31", "2025-1-5", "2025-12-150", "20251215", "2025-12/15", "December 32, 2025",
        "Decembre 16, 2025", "Dec 16", "16 December", "December16, 2025", "Dec 15, 20251",
        "garbage", "", "date 2025-12-15", "Monday", "12/15/2025",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[11] = "unchanged";
        size_t len = strlen(bad[i]);
        char *copy = malloc(len ? len : 1);
        assert_non_null(copy);
        memcpy(copy, bad[i], len);
        if (pt_date_parse(copy, len, out) != 0)
            fail_msg("accepted \"%s\" as %s", bad[i], out);
        free(copy);
    }
    /* Every prefix of a valid date is rejected without reading past it. */
    const char *full = "December 16, 2025";
    for (size_t len = 0; len < strlen(full) - 3; len++) {
        char out[11];
        char *copy = malloc(len ? len : 1);
        assert_non_null(copy);
        memcpy(copy, full, len);
        assert_int_equal(pt_date_parse(copy, len, out), 0);
        free(copy);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_fields__corpus_000_caption_title),
        cmocka_unit_test(test_text_fields__corpus_001_date_line_then_title),
        cmocka_unit_test(test_text_fields__corpus_002_long_first_line),
        cmocka_unit_test(test_text_fields__corpus_003_with_ap),
        cmocka_unit_test(test_text_fields__corpus_004_date_field_line),
        cmocka_unit_test(test_text_fields__source_patterns),
        cmocka_unit_test(test_text_fields__captions_are_not_titles),
        cmocka_unit_test(test_text_fields__date_only_from_date_lines),
        cmocka_unit_test(test_text_fields__empty_and_hostile_text),
        cmocka_unit_test(test_text_fields__long_title_without_spaces),
        cmocka_unit_test(test_text_fields__invalid_utf8_title_valid_and_capped),
        cmocka_unit_test(test_text_fields__date_parse_valid),
        cmocka_unit_test(test_text_fields__date_parse_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
