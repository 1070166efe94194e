/* test_passage.c — unit tests of the passage splitter (lib/analysis/passage.c):
 * sentence ends, word limits on the seed corpus, the cap on 000's run of
 * headlines, the paragraph filter (with the boilerplate filter's context:
 * the first passage starts at the lede, every kept paragraph is in a
 * passage whole), and hostile input (NUL bytes, invalid
 * UTF-8, a 1 MB text without a full stop). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/boilerplate.h"
#include "analysis/passage.h"

/* ------------------------------------------------------------ helpers */

typedef struct {
    char *data;
    size_t len;
} buffer;

/* Reads corpus/<name> from $PT_CORPUS (or ./corpus) into an exact-size
 * buffer with no NUL after it, so a read past the end trips ASan. */
static buffer read_corpus(const char *name)
{
    const char *dir = getenv("PT_CORPUS");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "corpus", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (set PT_CORPUS)", path);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    buffer b = { malloc(size > 0 ? (size_t)size : 1), (size_t)size };
    assert_non_null(b.data);
    assert_int_equal(fread(b.data, 1, b.len, f), b.len);
    fclose(f);
    return b;
}

/* Copies a string literal (which may hold NUL bytes) into an exact-size
 * heap buffer. */
static buffer copy_bytes(const char *bytes, size_t len)
{
    buffer b = { malloc(len ? len : 1), len };
    assert_non_null(b.data);
    memcpy(b.data, bytes, len);
    return b;
}

/* Appends n filler words and then tail (may be "") to a growing string. */
static void append_words(char *buf, size_t cap, unsigned n, const char *tail)
{
    size_t len = strlen(buf);
    for (unsigned i = 0; i < n; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%sword%u", len ? " " : "", i);
    snprintf(buf + len, cap - len, "%s", tail);
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* The invariants every split must keep: passages in order, not
 * overlapping, trimmed, non-empty, within HARD_MAX; and nothing but space
 * between them, so every word of the text is in exactly one passage.
 * Returns the sum of the passages' word counts. */
static size_t check_passages(const char *text, size_t len, const pt_passage *p, size_t n)
{
    size_t words = 0, prev_end = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(p[i].start < p[i].end);
        assert_true(p[i].end <= len);
        assert_true(p[i].start >= prev_end);
        assert_false(is_space((unsigned char)text[p[i].start]));
        assert_false(is_space((unsigned char)text[p[i].end - 1]));
        assert_in_range(p[i].words, 1, PT_PASSAGE_HARD_MAX);
        for (size_t k = prev_end; k < p[i].start; k++)
            assert_true(is_space((unsigned char)text[k]));
        words += p[i].words;
        prev_end = p[i].end;
    }
    for (size_t k = prev_end; k < len; k++)
        assert_true(is_space((unsigned char)text[k]));
    return words;
}

/* Counts whitespace-separated tokens that hold an ASCII letter or digit. */
static size_t count_ascii_words(const char *text, size_t len)
{
    size_t words = 0;
    int in_token = 0, has_alnum = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || is_space((unsigned char)text[i])) {
            words += in_token && has_alnum;
            in_token = has_alnum = 0;
            continue;
        }
        unsigned char c = (unsigned char)text[i];
        in_token = 1;
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            has_alnum = 1;
    }
    return words;
}

/* ---------------------------------------------------- sentence ends */

/* A 60-word sentence, then a 100-word sentence with `middle` after its
 * 50th word. If `middle` ends a sentence, the first 50 words fit with the
 * 60 before (110 ≤ MAX) and passage 0 ends at `middle`; if not, the
 * 100-word sentence cannot join and passage 0 ends after the first one. */
static int first_passage_ends_at_middle(const char *middle)
{
    static char text[8192];
    text[0] = '\0';
    append_words(text, sizeof text, 60, ".");
    append_words(text, sizeof text, 50, " ");
    size_t middle_end = strlen(text) + strlen(middle);
    strncat(text, middle, sizeof text - strlen(text) - 1);
    append_words(text, sizeof text, 50, ".");

    pt_passage *p = NULL;
    size_t n = 0;
    assert_int_equal(pt_passages_split(&p, &n, text, strlen(text), NULL, NULL), 0);
    check_passages(text, strlen(text), p, n);
    assert_true(n >= 2);
    int at_middle = p[0].end == middle_end;
    if (!at_middle)
        assert_memory_equal(text + p[0].end - 7, "word59.", 7);
    free(p);
    return at_middle;
}

static void test_passage__sentence_bounds(void **state)
{
    (void)state;
    /* Control: these do end a sentence. */
    assert_true(first_passage_ends_at_middle("over."));
    assert_true(first_passage_ends_at_middle("over!"));
    assert_true(first_passage_ends_at_middle("over?"));
    assert_true(first_passage_ends_at_middle("is losing.\xE2\x80\x9D"));
    assert_true(first_passage_ends_at_middle("said \"no.\""));
    /* These do not. */
    assert_false(first_passage_ends_at_middle("the U.S."));
    assert_false(first_passage_ends_at_middle("(U.S.)"));
    assert_false(first_passage_ends_at_middle("Donald J."));
    assert_false(first_passage_ends_at_middle("Mr."));
    assert_false(first_passage_ends_at_middle("\xE2\x80\x9C" "Dr."));
    assert_false(first_passage_ends_at_middle("St."));
    assert_false(first_passage_ends_at_middle("Gen."));
    assert_false(first_passage_ends_at_middle("Dec."));
    assert_false(first_passage_ends_at_middle("rose 3.5 percent"));
    assert_false(first_passage_ends_at_middle("U.S.-backed"));
}

static void test_passage__sentence_ends_at_paragraph_end(void **state)
{
    (void)state;
    /* Paragraph 1 (60 words) has no full stop, paragraph 2 has 100 words:
     * they cannot share a passage, so the line end closed the sentence. */
    static char text[8192];
    text[0] = '\0';
    append_words(text, sizeof text, 60, "\n");
    append_words(text, sizeof text, 100, "");
    pt_passage *p = NULL;
    size_t n = 0;
    assert_int_equal(pt_passages_split(&p, &n, text, strlen(text), NULL, NULL), 0);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].words, 60);
    assert_int_equal(p[1].words, 100);
    assert_int_equal(check_passages(text, strlen(text), p, n), 160);
    free(p);
}

/* ------------------------------------------------------------ corpus */

static const char *const corpus_files[] = {
    "000_f4220b2ff6c08dc0.txt", "001_ed0bf67eabdc8bc4.txt", "002_fa79ad35558de7c7.txt",
    "003_d7a71e417279a752.txt", "004_e43b9b220f213307.txt",
};

static void test_passage__corpus_word_counts(void **state)
{
    (void)state;
    for (size_t f = 0; f < sizeof corpus_files / sizeof corpus_files[0]; f++) {
        buffer b = read_corpus(corpus_files[f]);
        pt_passage *p = NULL;
        size_t n = 0;
        assert_int_equal(pt_passages_split(&p, &n, b.data, b.len, NULL, NULL), 0);
        assert_true(n >= 2);
        check_passages(b.data, b.len, p, n);
        for (size_t i = 0; i < n; i++) {
            /* Every seed article is long enough that each passage reaches
             * MIN; MAX is passed only by a passage that was still short. */
            assert_in_range(p[i].words, PT_PASSAGE_MIN_WORDS, PT_PASSAGE_HARD_MAX);
            /* A passage's own word count is the words in its range. */
            assert_true(p[i].words >= count_ascii_words(b.data + p[i].start, p[i].end - p[i].start));
        }
        free(p);
        free(b.data);
    }
}

static void test_passage__headline_run_is_capped(void **state)
{
    (void)state;
    buffer b = read_corpus("000_f4220b2ff6c08dc0.txt");
    pt_passage *p = NULL;
    size_t n = 0;
    assert_int_equal(pt_passages_split(&p, &n, b.data, b.len, NULL, NULL), 0);
    size_t words = check_passages(b.data, b.len, p, n);
    /* Every token of this file holds an ASCII letter or digit except for
     * the lone "…" in line 8, which is punctuation. */
    assert_int_equal(words, count_ascii_words(b.data, b.len));

    /* The 2,700-byte line without a full stop is cut, not kept whole. */
    const char *run = strstr(b.data, "TSA is giving airline");
    assert_non_null(run);
    size_t run_start = (size_t)(run - b.data);
    size_t inside = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(p[i].words <= PT_PASSAGE_HARD_MAX);
        if (p[i].end > run_start && p[i].start < run_start + 2700)
            inside++;
    }
    assert_true(inside >= 3);
    free(p);
    free(b.data);
}

static void test_passage__crlf_lines(void **state)
{
    (void)state;
    buffer b = read_corpus("002_fa79ad35558de7c7.txt");
    char *crlf = malloc(b.len * 2);
    assert_non_null(crlf);
    size_t len = 0;
    for (size_t i = 0; i < b.len; i++) {
        if (b.data[i] == '\n')
            crlf[len++] = '\r';
        crlf[len++] = b.data[i];
    }
    pt_passage *p = NULL, *q = NULL;
    size_t n = 0, m = 0;
    assert_int_equal(pt_passages_split(&p, &n, b.data, b.len, NULL, NULL), 0);
    assert_int_equal(pt_passages_split(&q, &m, crlf, len, NULL, NULL), 0);
    check_passages(crlf, len, q, m);
    assert_int_equal(n, m);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(p[i].words, q[i].words);
    free(p);
    free(q);
    free(crlf);
    free(b.data);
}

/* ------------------------------------------------------------ filter */

static int drop_marked(const char *text, size_t start, size_t end, void *ctx)
{
    int *calls = ctx;
    (*calls)++;
    return !(end - start >= 4 && memcmp(text + start, "DROP", 4) == 0);
}

static void test_passage__filter_excludes_paragraph(void **state)
{
    (void)state;
    /* Three 10-word paragraphs: kept whole they would form one passage. */
    static char text[4096];
    text[0] = '\0';
    append_words(text, sizeof text, 10, ".\n");
    size_t dropped_start = strlen(text);
    strncat(text, "DROP ", sizeof text - strlen(text) - 1);
    append_words(text, sizeof text, 9, ".");
    size_t dropped_end = strlen(text);
    strncat(text, "\n\n  ", sizeof text - strlen(text) - 1);
    append_words(text, sizeof text, 10, ".\n");

    pt_passage *p = NULL;
    size_t n = 0;
    assert_int_equal(pt_passages_split(&p, &n, text, strlen(text), NULL, NULL), 0);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].words, 30);
    free(p);

    int calls = 0;
    assert_int_equal(pt_passages_split(&p, &n, text, strlen(text), drop_marked, &calls), 0);
    assert_int_equal(calls, 3); /* blank lines are not paragraphs */
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(p[i].words, 10);
        assert_true(p[i].end <= dropped_start || p[i].start >= dropped_end);
    }
    free(p);
}

/* ------------------------------------------------------ hostile input */

static void test_passage__empty_text(void **state)
{
    (void)state;
    const char *inputs[] = { "", " ", "\n\n\r\n", " \t\n  \r\n\f\v ", "\xE2\x80\x94 \xE2\x80\xA6 ..." };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        pt_passage *p = (pt_passage *)1;
        size_t n = 99;
        buffer b = copy_bytes(inputs[i], strlen(inputs[i]));
        assert_int_equal(pt_passages_split(&p, &n, b.data, b.len, NULL, NULL), 0);
        assert_null(p);
        assert_int_equal(n, 0);
        free(b.data);
    }
}

static void test_passage__nul_bytes_and_invalid_utf8(void **state)
{
    (void)state;
    static const char raw[] = "Start\0with a NUL. \xff\xfe bad bytes \xC3 here.\n"
                              "\0\0\0\n"
                              "Truncated quote at the end?\xE2\x80";
    buffer b = copy_bytes(raw, sizeof raw - 1);
    pt_passage *p = NULL;
    size_t n = 0;
    assert_int_equal(pt_passages_split(&p, &n, b.data, b.len, NULL, NULL), 0);
    assert_int_equal(n, 1);
    check_passages(b.data, b.len, p, n);
    assert_int_equal(p[0].start, 0);
    assert_int_equal(p[0].end, b.len);
    free(p);

    /* Every possible truncation must stay in bounds. */
    for (size_t len = 0; len <= b.len; len++) {
        buffer cut = copy_bytes(b.data, len);
        assert_int_equal(pt_passages_split(&p, &n, cut.data, cut.len, NULL, NULL), 0);
        check_passages(cut.data, cut.len, p, n);
        free(p);
        free(cut.data);
    }
    free(b.data);
}

/* Found by fuzz_passage's long run: a cut dash ("\xE2\x80") took the
 * digit after it for its third byte, so "\xE2\x80" "0!" was no word and
 * its paragraph, all punctuation otherwise, was dropped with the 0. */
static void test_passage__cut_dash_hides_no_digit(void **state)
{
    (void)state;
    static const char raw[] = "\xE2\x80\x94 \xE2\x80" "0! \xE2\x80\x93 !";
    buffer b = copy_bytes(raw, sizeof raw - 1);
    pt_passage *p = NULL;
    size_t n = 0;
    assert_int_equal(pt_passages_split(&p, &n, b.data, b.len, NULL, NULL), 0);
    assert_int_equal(n, 1);
    check_passages(b.data, b.len, p, n);
    const char *zero = memchr(b.data, '0', b.len);
    assert_true(p[0].start <= (size_t)(zero - b.data) && (size_t)(zero - b.data) < p[0].end);
    free(p);
    free(b.data);
}

static void test_passage__megabyte_sentence(void **state)
{
    (void)state;
    const size_t len = 1u << 20;
    char *text = malloc(len);
    assert_non_null(text);
    static const char pattern[] = "alpha beta, gamma \xE2\x80\x94 delta\n"; /* no full stop */
    for (size_t i = 0; i < len; i++)
        text[i] = pattern[i % (sizeof pattern - 1)];
    /* Lines would end sentences; make it one line. */
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n')
            text[i] = ' ';

    pt_passage *p = NULL;
    size_t n = 0;
    assert_int_equal(pt_passages_split(&p, &n, text, len, NULL, NULL), 0);
    size_t words = check_passages(text, len, p, n);
    assert_int_equal(words, count_ascii_words(text, len));
    for (size_t i = 0; i < n; i++)
        assert_in_range(p[i].words, PT_PASSAGE_MIN_WORDS, PT_PASSAGE_MAX_WORDS);
    free(p);
    free(text);
}

/* The boilerplate filter, remembering the paragraphs it keeps. */
typedef struct {
    pt_boilerplate_ctx bp;
    size_t kept[256][2];
    size_t n;
} kept_log;

static int keep_and_log(const char *text, size_t start, size_t end, void *ctx)
{
    kept_log *log = ctx;
    if (!pt_boilerplate_keep(text, start, end, &log->bp))
        return 0;
    assert_true(log->n < 256);
    log->kept[log->n][0] = start;
    log->kept[log->n][1] = end;
    log->n++;
    return 1;
}

/* Splits text with the boilerplate filter (headline title) and checks that
 * every byte of every kept paragraph lies in a passage; returns the first
 * passage's start. */
static size_t split_keeping_all(const char *text, size_t len, const char *title)
{
    kept_log log = { .n = 0 };
    pt_boilerplate_ctx_init(&log.bp, title, len, NULL, NULL);
    pt_passage *p = NULL;
    size_t n = 0;
    assert_int_equal(pt_passages_split(&p, &n, text, len, keep_and_log, &log), 0);
    assert_true(n > 0);
    for (size_t k = 0; k < log.n; k++) {
        size_t covered = log.kept[k][0];
        for (size_t i = 0; i < n && covered < log.kept[k][1]; i++) {
            if (p[i].start <= covered && covered < p[i].end) {
                covered = p[i].end; /* then the space between two sentences */
                while (covered < log.kept[k][1] && (text[covered] == ' ' || text[covered] == '\t'))
                    covered++;
            }
        }
        if (covered < log.kept[k][1])
            fail_msg("kept paragraph not whole in passages: \"%.*s\"", (int)(log.kept[k][1] - log.kept[k][0]),
                     text + log.kept[k][0]);
    }
    size_t first = p[0].start;
    free(p);
    return first;
}

static void test_passage__first_passage_starts_at_lede(void **state)
{
    (void)state;
    /* 000 opens with a photo caption and its credit, no headline. */
    buffer b = read_corpus("000_f4220b2ff6c08dc0.txt");
    size_t first = split_keeping_all(b.data, b.len, NULL);
    const char lede[] = "American officials said Monday";
    assert_memory_equal(b.data + first, lede, sizeof lede - 1);
    free(b.data);

    /* A JSON Lines article: headline, blank line, body. */
    const char article[] = "Zelensky says talks show real progress\n\nBerlin: Ukrainian President Volodymyr "
                           "Zelensky said Monday that talks in Berlin with envoys of U.S. President Donald Trump "
                           "were not easy but resulted in real progress.\nScroll down for video\n"
                           "The talks went on for two days.";
    first = split_keeping_all(article, sizeof article - 1, "Zelensky says talks show real progress");
    assert_memory_equal(article + first, "Berlin:", 7);

    for (size_t f = 0; f < sizeof corpus_files / sizeof corpus_files[0]; f++) {
        b = read_corpus(corpus_files[f]);
        split_keeping_all(b.data, b.len, NULL);
        free(b.data);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passage__sentence_bounds),
        cmocka_unit_test(test_passage__sentence_ends_at_paragraph_end),
        cmocka_unit_test(test_passage__corpus_word_counts),
        cmocka_unit_test(test_passage__headline_run_is_capped),
        cmocka_unit_test(test_passage__crlf_lines),
        cmocka_unit_test(test_passage__filter_excludes_paragraph),
        cmocka_unit_test(test_passage__empty_text),
        cmocka_unit_test(test_passage__nul_bytes_and_invalid_utf8),
        cmocka_unit_test(test_passage__megabyte_sentence),
        cmocka_unit_test(test_passage__first_passage_starts_at_lede),
        cmocka_unit_test(test_passage__cut_dash_hides_no_digit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
