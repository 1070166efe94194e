/* test_positional.c — PHRASE and NEAR without indexed positions: the
 * matchers alone on lists of positions (phrases, NEAR windows, repeated
 * words, overlapping matches, a word in two parts), then whole queries
 * over a small index whose documents' data are their words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "query/positional.h"
#include "ptsearch.h"
#include "test_util.h"
#include "test_words_index.h"
#include "xapian/xapian_binding.h"

/* ------------------------------------------------------------ matchers */

/* The positions of parts in words: "a b a" with parts "a" and "b" gives
 * (0,a) (1,b) (2,a); a part "x|y" is at a position when x or y is; a word
 * in two parts gives two entries. Returns how many (at most cap). */
static size_t positions_of(const char *text, const char *const *parts, size_t n_parts, pt_position *out, size_t cap)
{
    size_t n = 0;
    uint32_t pos = 0;
    for (const char *w = text; *w; pos++) {
        size_t len = strcspn(w, " ");
        for (size_t p = 0; p < n_parts; p++) {
            for (const char *alt = parts[p]; *alt;) {
                size_t alen = strcspn(alt, "|");
                if (alen == len && memcmp(alt, w, len) == 0 && n < cap)
                    out[n++] = (pt_position){pos, (uint32_t)p};
                alt += alen + (alt[alen] == '|');
            }
        }
        w += len + (w[len] == ' ');
    }
    return n;
}

static int phrase(const char *text, const char *const *parts, size_t n_parts, unsigned window)
{
    pt_position ps[64];
    size_t n = positions_of(text, parts, n_parts, ps, 64);
    return pt_phrase_matches(ps, n, n_parts, window ? window : (unsigned)n_parts);
}

static int near(const char *text, const char *const *parts, size_t n_parts, unsigned window)
{
    pt_position ps[64];
    size_t n = positions_of(text, parts, n_parts, ps, 64);
    return pt_near_matches(ps, n, n_parts, window ? window : (unsigned)n_parts);
}

static void test_positional__phrase_in_order(void **state)
{
    (void)state;
    const char *bc[] = {"b", "c"};
    assert_int_equal(phrase("a b c", bc, 2, 0), 1);
    assert_int_equal(phrase("c b a", bc, 2, 0), 0);
    assert_int_equal(phrase("b x c", bc, 2, 0), 0);
    assert_int_equal(phrase("b x c", bc, 2, 3), 1); /* c within 3 positions of b */
    assert_int_equal(phrase("b x x c", bc, 2, 3), 0);
    assert_int_equal(phrase("b", bc, 2, 0), 0);     /* a part nowhere */
    const char *abc[] = {"a", "b", "c"};
    assert_int_equal(phrase("a b x c", abc, 3, 0), 0);
    assert_int_equal(phrase("a b x c", abc, 3, 4), 1);
    /* a later start completes where the first does not */
    assert_int_equal(phrase("a x x x a b c", abc, 3, 0), 1);
    /* alternatives: a part is where any of its words is */
    const char *alt[] = {"a", "b|y", "c"};
    assert_int_equal(phrase("a y c", alt, 3, 0), 1);
    assert_int_equal(phrase("a z c", alt, 3, 0), 0);
}

static void test_positional__phrase_repeated_and_overlapping(void **state)
{
    (void)state;
    /* A word twice takes two positions. */
    const char *aa[] = {"a", "a"};
    assert_int_equal(phrase("a a b", aa, 2, 0), 1);
    assert_int_equal(phrase("a x a", aa, 2, 0), 0);
    assert_int_equal(phrase("a b c", aa, 2, 0), 0);
    const char *aaa[] = {"a", "a", "a"};
    assert_int_equal(phrase("a a x a a", aaa, 3, 0), 0);
    assert_int_equal(phrase("x a a a", aaa, 3, 0), 1);
    /* Overlapping candidates: "a b a b c" holds "a b c" from its second a. */
    const char *abc[] = {"a", "b", "c"};
    assert_int_equal(phrase("a b a b c", abc, 3, 0), 1);
    const char *aba[] = {"a", "b", "a"};
    assert_int_equal(phrase("a b a", aba, 3, 0), 1);
    assert_int_equal(phrase("a b b a", aba, 3, 0), 0);
}

static void test_positional__near_windows(void **state)
{
    (void)state;
    const char *ab[] = {"a", "b"};
    /* Window 3: at most 2 positions apart, in either order. */
    assert_int_equal(near("a x b", ab, 2, 3), 1);
    assert_int_equal(near("b x a", ab, 2, 3), 1);
    assert_int_equal(near("a b", ab, 2, 3), 1);
    assert_int_equal(near("a x x b", ab, 2, 3), 0);
    assert_int_equal(near("a x x b", ab, 2, 4), 1);
    /* the closest pair counts, wherever it is */
    assert_int_equal(near("a x x x x b x a", ab, 2, 3), 1);
    const char *abc[] = {"a", "b", "c"};
    assert_int_equal(near("c x a x b", abc, 3, 5), 1);
    assert_int_equal(near("c x a x b", abc, 3, 4), 0);
    assert_int_equal(near("c x a x x b a x c", abc, 3, 4), 1); /* b a x c */
    assert_int_equal(near("c x a x x b x c", abc, 3, 3), 0);
    assert_int_equal(near("c x a x x b c", abc, 3, 3), 0);
    assert_int_equal(near("c x a x b c", abc, 3, 3), 0);
    assert_int_equal(near("c x a b c", abc, 3, 3), 1);
}

static void test_positional__near_repeated_words(void **state)
{
    (void)state;
    /* A word twice needs two distinct positions. */
    const char *aa[] = {"a", "a"};
    assert_int_equal(near("a a", aa, 2, 2), 1);
    assert_int_equal(near("a x a", aa, 2, 2), 0);
    assert_int_equal(near("a x a", aa, 2, 3), 1);
    assert_int_equal(near("a b", aa, 2, 3), 0);
    /* A word in two parts, and a part of its own: each part its own
     * position (a bipartite matching). */
    const char *a_ab_b[] = {"a", "a|b", "b"};
    assert_int_equal(near("a b", a_ab_b, 3, 5), 0);
    assert_int_equal(near("a x b", a_ab_b, 3, 5), 0);
    assert_int_equal(near("a b b", a_ab_b, 3, 3), 1);
    assert_int_equal(near("a a b", a_ab_b, 3, 3), 1);
    assert_int_equal(near("a x a x x b", a_ab_b, 3, 4), 0);
    assert_int_equal(near("a x a x x b", a_ab_b, 3, 6), 1);
    /* the first part's only word is the one the second needs: the matching
     * must move the second to its other word */
    const char *ab_a[] = {"a|b", "a"};
    assert_int_equal(near("a b", ab_a, 2, 2), 1);
    assert_int_equal(near("b a", ab_a, 2, 2), 1);
    assert_int_equal(near("a", ab_a, 2, 2), 0);
}

static void test_positional__bad_parts_are_refused(void **state)
{
    (void)state;
    pt_position ps[] = {{0, 0}, {1, 2}};
    assert_int_equal(pt_phrase_matches(ps, 2, 2, 2), PT_EINVAL);
    assert_int_equal(pt_near_matches(ps, 2, 2, 2), PT_EINVAL);
    assert_int_equal(pt_phrase_matches(ps, 0, 2, 2), 0);
    assert_int_equal(pt_near_matches(ps, 0, 2, 2), 0);
}

/* ---------------------------------------------------- whole queries */


/* The positions of words_index documents; "bad" fails as a corrupt record. */
static int words_positions(const char *data, size_t len, pt_posting_cb cb, void *cb_ctx, void *ctx)
{
    int *calls = ctx;
    (*calls)++;
    if (len == 3 && memcmp(data, "bad", 3) == 0)
        return pt_fail(PT_ECORRUPT, "bad record");
    uint32_t pos = 0;
    for (size_t at = 0; at < len; pos++) {
        size_t n = 0;
        while (at + n < len && data[at + n] != ' ')
            n++;
        int rc = cb(data + at, n, pos, cb_ctx);
        if (rc)
            return rc;
        at += n + 1;
    }
    return 0;
}

static int collect_data(const ptx_hit *hit, void *ctx)
{
    char *out = ctx;
    strcat(out, "[");
    strncat(out, hit->data, hit->data_len);
    strcat(out, "]");
    return 0;
}

/* The documents op(words...) matches, as "[doc][doc]" in docid order; a
 * word "x|y" is a part OR-ing x and y. */
static const char *positional_run(const char *dir, enum ptx_op op, const char *const *words, size_t n,
                                  unsigned window, int *status)
{
    static char out[4096];
    static int calls;
    out[0] = '\0';
    ptx_query *parts[8];
    for (size_t i = 0; i < n; i++) {
        const char *bar = strchr(words[i], '|');
        if (!bar) {
            parts[i] = ptx_query_term(words[i], strlen(words[i]), 1, 0);
            continue;
        }
        ptx_query *alts[2] = {ptx_query_term(words[i], (size_t)(bar - words[i]), 1, 0),
                              ptx_query_term(bar + 1, strlen(bar + 1), 1, 0)};
        parts[i] = ptx_query_combine(PTX_OP_OR, alts, 2, 0);
        ptx_query_free(alts[0]);
        ptx_query_free(alts[1]);
    }
    ptx_query *q = pt_positional_query(op, parts, n, window, NULL, words_positions, &calls);
    assert_non_null(q);
    ptx_reader *r = NULL;
    assert_int_equal(ptx_reader_open(&r, dir), PT_OK);
    ptx_search_opts o = PTX_SEARCH_OPTS_INIT;
    o.max = 100;
    /* Sorted by docid: the weights of equal documents tie. */
    int rc = ptx_reader_search(r, q, &o, collect_data, out, NULL);
    if (status)
        *status = rc;
    else
        assert_int_equal(rc, PT_OK);
    ptx_reader_close(r);
    ptx_query_free(q);
    for (size_t i = 0; i < n; i++)
        ptx_query_free(parts[i]);
    return out;
}

static int has(const char *result, const char *doc)
{
    char want[256];
    snprintf(want, sizeof want, "[%s]", doc);
    return strstr(result, want) != NULL;
}

static void test_positional__query_phrase(void **state)
{
    (void)state;
    const char *docs[] = {"a b c", "c b a", "b x c", "a a b", "a x a", "a y c"};
    char *dir = words_index(docs, 6);
    const char *bc[] = {"b", "c"};
    const char *r = positional_run(dir, PTX_OP_PHRASE, bc, 2, 0, NULL);
    /* b and c are in three documents, adjacent and in order in one. */
    assert_true(has(r, "a b c") && !has(r, "c b a") && !has(r, "b x c"));
    /* A window: b, then c within 3 positions. */
    r = positional_run(dir, PTX_OP_PHRASE, bc, 2, 3, NULL);
    assert_true(has(r, "a b c") && has(r, "b x c") && !has(r, "c b a"));
    /* A word twice takes two positions. */
    const char *aa[] = {"a", "a"};
    r = positional_run(dir, PTX_OP_PHRASE, aa, 2, 0, NULL);
    assert_true(has(r, "a a b") && !has(r, "a x a") && !has(r, "a b c"));
    /* A part with alternatives is at a position when any of them is. */
    const char *alt[] = {"a", "b|y", "c"};
    r = positional_run(dir, PTX_OP_PHRASE, alt, 3, 0, NULL);
    assert_true(has(r, "a b c") && has(r, "a y c") && !has(r, "c b a"));
    test_rmdir(dir);
    /* Every document has both words: the check's term frequency ties with
     * theirs, so Xapian may walk it with next() rather than check(). */
    const char *all[] = {"a b", "b a", "a b", "b a b"};
    dir = words_index(all, 4);
    const char *ab[] = {"a", "b"};
    r = positional_run(dir, PTX_OP_PHRASE, ab, 2, 0, NULL);
    size_t hits = 0;
    for (const char *c = r; (c = strchr(c, '[')) != NULL; c++)
        hits++;
    assert_int_equal(hits, 3); /* "a b" twice and "b a b", in rank order */
    assert_true(has(r, "a b") && has(r, "b a b") && !has(r, "b a"));
    test_rmdir(dir);
}

static void test_positional__query_near(void **state)
{
    (void)state;
    const char *docs[] = {"a x b", "b x a", "a x x b", "a a", "a b", "a x a"};
    char *dir = words_index(docs, 6);
    const char *ab[] = {"a", "b"};
    /* Window 3: at most 2 positions apart, in either order. */
    const char *r = positional_run(dir, PTX_OP_NEAR, ab, 2, 3, NULL);
    assert_true(has(r, "a x b") && has(r, "b x a") && has(r, "a b") && !has(r, "a x x b"));
    r = positional_run(dir, PTX_OP_NEAR, ab, 2, 4, NULL);
    assert_true(has(r, "a x x b"));
    /* A word twice needs two distinct positions. */
    const char *aa[] = {"a", "a"};
    r = positional_run(dir, PTX_OP_NEAR, aa, 2, 2, NULL);
    assert_true(has(r, "a a") && !has(r, "a x a") && !has(r, "a b"));
    r = positional_run(dir, PTX_OP_NEAR, aa, 2, 3, NULL);
    assert_true(has(r, "a a") && has(r, "a x a") && !has(r, "a b"));
    test_rmdir(dir);
}

static void test_positional__query_failure_is_reported(void **state)
{
    (void)state;
    const char *docs[] = {"a b", "bad"};
    char *dir = words_index(docs, 2);
    /* "bad" has no term a: its record is never read. */
    const char *ab[] = {"a", "b"};
    int rc = 0;
    positional_run(dir, PTX_OP_PHRASE, ab, 2, 0, &rc);
    assert_int_equal(rc, PT_OK);
    const char *bad[] = {"bad", "bad"};
    positional_run(dir, PTX_OP_NEAR, bad, 2, 5, &rc);
    assert_int_equal(rc, PT_ECORRUPT);
    assert_non_null(strstr(pt_error_last(), "bad record"));
    /* Only PHRASE and NEAR of two parts or more. */
    ptx_query *a = ptx_query_term("a", 1, 1, 0);
    ptx_query *one[] = {a, a};
    assert_null(pt_positional_query(PTX_OP_AND, one, 2, 0, NULL, words_positions, NULL));
    assert_null(pt_positional_query(PTX_OP_PHRASE, one, 1, 0, NULL, words_positions, NULL));
    ptx_query *q = pt_positional_query(PTX_OP_PHRASE, one, 2, 0, NULL, words_positions, NULL);
    char *text = ptx_query_describe(q);
    assert_non_null(strstr(text, "a PHRASE 2 a"));
    free(text);
    ptx_query_free(q);
    ptx_query_free(a);
    test_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positional__phrase_in_order),
        cmocka_unit_test(test_positional__phrase_repeated_and_overlapping),
        cmocka_unit_test(test_positional__near_windows),
        cmocka_unit_test(test_positional__near_repeated_words),
        cmocka_unit_test(test_positional__bad_parts_are_refused),
        cmocka_unit_test(test_positional__query_phrase),
        cmocka_unit_test(test_positional__query_near),
        cmocka_unit_test(test_positional__query_failure_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
