/* test_feedback.c — the relevance model of pseudo-relevance feedback
 * (pt_feedback_terms) on small indexes written through the binding: which
 * terms it offers, their weights by the formula, their order, and the
 * vetoes (prefixed terms, terms only the set has, the caller's keep). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "rank/feedback.h"
#include "ptsearch.h"
#include "test_util.h"
#include "xapian/xapian_binding.h"

/* Adds a document holding the space-separated words of text. */
static void add_words(ptx_writer *w, const char *text)
{
    ptx_doc *doc = NULL;
    assert_int_equal(ptx_doc_new(&doc), PT_OK);
    uint32_t pos = 1;
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, " ");
        assert_int_equal(ptx_doc_add_posting(doc, p, len, pos++, 1), PT_OK);
        p += len + (p[len] == ' ');
    }
    assert_int_equal(ptx_writer_add(w, doc, NULL), PT_OK);
    ptx_doc_free(doc);
}

static int feedback_term(const char *term, size_t len, double weight, void *ctx)
{
    char *seen = ctx;
    assert_true(weight > 0);
    strncat(seen, term, len);
    strcat(seen, " ");
    return 0;
}

static void test_feedback__skips_words_only_the_set_has(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    ptx_writer *w = NULL;
    assert_int_equal(ptx_writer_open(&w, dir, 1, 0), PT_OK);
    add_words(w, "ceasefire talks berlin witkoff");
    add_words(w, "ceasefire talks miami witkoff");
    add_words(w, "talks berlin");
    add_words(w, "weather");
    add_words(w, "sport");
    assert_int_equal(ptx_writer_commit(w), PT_OK);
    ptx_writer_close(w);
    ptx_reader *r = NULL;
    assert_int_equal(ptx_reader_open(&r, dir), PT_OK);
    uint32_t docids[] = {1, 2};
    double weights[] = {2.0, 1.5};
    char seen[256] = " ";
    assert_int_equal(pt_feedback_terms(r, docids, weights, 2, 10, NULL, feedback_term, seen), PT_OK);
    /* berlin and talks find the third document; ceasefire, miami and
     * witkoff only re-rank the first two */
    assert_non_null(strstr(seen, " berlin "));
    assert_non_null(strstr(seen, " talks "));
    assert_null(strstr(seen, " ceasefire "));
    assert_null(strstr(seen, " miami "));
    assert_null(strstr(seen, " witkoff "));
    ptx_reader_close(r);
    test_rmdir(dir);
}

/* The terms offered and their weights, as "term=weight " (%.6f). */
typedef struct {
    char text[512];
    double weights[8];
    size_t n;
    int stop_after; /* 0: never */
} offered;

static int offer(const char *term, size_t len, double weight, void *ctx)
{
    offered *o = ctx;
    char line[64];
    snprintf(line, sizeof line, "%.*s ", (int)len, term);
    strcat(o->text, line);
    if (o->n < 8)
        o->weights[o->n] = weight;
    o->n++;
    return o->stop_after && o->n == (size_t)o->stop_after ? 7 : 0;
}

static int not_alpha(const char *term, size_t len, void *ctx)
{
    (void)ctx;
    return !(len == 5 && memcmp(term, "alpha", 5) == 0);
}

static char *model_index(void)
{
    char *dir = test_tmpdir();
    ptx_writer *w = NULL;
    assert_int_equal(ptx_writer_open(&w, dir, 1, 0), PT_OK);
    add_words(w, "alpha alpha beta gamma Xtitle"); /* 1: length 5 */
    add_words(w, "beta delta");                    /* 2: length 2 */
    add_words(w, "alpha beta Xtitle");
    add_words(w, "zeta");
    add_words(w, "eta");
    assert_int_equal(ptx_writer_commit(w), PT_OK);
    ptx_writer_close(w);
    return dir;
}

/* Documents 1 (listed twice: it counts once, at its first weight) and 2
 * weigh 3 and 1: alpha has 3/4 x 2/5 of the model, beta 3/4 x 1/5 + 1/4 x
 * 1/2; each times its idf squared, log(6 / (termfreq + 0.5)). gamma and
 * delta are in one relevant document only, Xtitle is prefixed. */
static void test_feedback__weights_follow_the_model(void **state)
{
    (void)state;
    char *dir = model_index();
    ptx_reader *r = NULL;
    assert_int_equal(ptx_reader_open(&r, dir), PT_OK);
    uint32_t docids[] = {1, 2, 1};
    double weights[] = {3.0, 1.0, 5.0};
    offered o = {"", {0}, 0, 0};
    assert_int_equal(pt_feedback_terms(r, docids, weights, 3, 10, NULL, offer, &o), PT_OK);
    assert_string_equal(o.text, "alpha beta ");
    double idf_alpha = log(6 / 2.5), idf_beta = log(6 / 3.5);
    assert_true(fabs(o.weights[0] - 3.0 / 4 * 2 / 5 * idf_alpha * idf_alpha) < 1e-12);
    assert_true(fabs(o.weights[1] - (3.0 / 4 * 1 / 5 + 1.0 / 4 * 1 / 2) * idf_beta * idf_beta) < 1e-12);
    /* max_terms, the caller's veto, and a callback that stops */
    memset(&o, 0, sizeof o);
    assert_int_equal(pt_feedback_terms(r, docids, weights, 3, 1, NULL, offer, &o), PT_OK);
    assert_string_equal(o.text, "alpha ");
    memset(&o, 0, sizeof o);
    assert_int_equal(pt_feedback_terms(r, docids, weights, 3, 10, not_alpha, offer, &o), PT_OK);
    assert_string_equal(o.text, "beta ");
    memset(&o, 0, sizeof o);
    o.stop_after = 1;
    assert_int_equal(pt_feedback_terms(r, docids, weights, 3, 10, NULL, offer, &o), 7);
    assert_int_equal(o.n, 1);
    /* nothing relevant, nothing asked */
    memset(&o, 0, sizeof o);
    assert_int_equal(pt_feedback_terms(r, docids, weights, 0, 10, NULL, offer, &o), PT_OK);
    assert_int_equal(pt_feedback_terms(r, docids, weights, 3, 0, NULL, offer, &o), PT_OK);
    assert_int_equal(o.n, 0);
    ptx_reader_close(r);
    test_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feedback__skips_words_only_the_set_has),
        cmocka_unit_test(test_feedback__weights_follow_the_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
