/* test_binding.c — the Xapian C binding: Xapian's errors come back as
 * status codes with a message, one writer at a time, nothing uncommitted
 * is visible, and searches return what was added. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "util/error.h"
#include "ptsearch.h"
#include "store/schema.h"
#include "test_util.h"
#include "xapian/xapian_binding.h"

static void add_doc(ptx_writer *w, const char *word, const char *data)
{
    ptx_doc *doc = NULL;
    assert_int_equal(ptx_doc_new(&doc), PT_OK);
    assert_int_equal(ptx_doc_add_posting(doc, word, strlen(word), 1, 1), PT_OK);
    assert_int_equal(ptx_doc_add_boolean_term(doc, "Aone", 4), PT_OK);
    assert_int_equal(ptx_doc_set_value(doc, 0, "one", 3), PT_OK);
    assert_int_equal(ptx_doc_set_data(doc, data, strlen(data)), PT_OK);
    assert_int_equal(ptx_writer_add(w, doc, NULL), PT_OK);
    ptx_doc_free(doc);
}

static void test_binding__missing_index_is_not_found(void **state)
{
    (void)state;
    ptx_reader *r = NULL;
    assert_int_equal(ptx_reader_open(&r, "/nonexistent/pt-index"), PT_ENOTFOUND);
    assert_null(r);
    assert_non_null(strstr(pt_error_last(), "/nonexistent/pt-index"));
    ptx_writer *w = NULL;
    assert_int_equal(ptx_writer_open(&w, "/nonexistent/pt-index", 0, 0), PT_ENOTFOUND);
}

static void test_binding__second_writer_is_locked(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    ptx_writer *w1 = NULL, *w2 = NULL;
    assert_int_equal(ptx_writer_open(&w1, dir, 1, 0), PT_OK);
    assert_int_equal(ptx_writer_open(&w2, dir, 1, 0), PT_ELOCKED);
    assert_null(w2);
    assert_non_null(strstr(pt_error_last(), "locked"));
    ptx_writer_close(w1);
    assert_int_equal(ptx_writer_open(&w2, dir, 1, 0), PT_OK); /* released */
    ptx_writer_close(w2);
    test_rmdir(dir);
}

static int count_hit(const ptx_hit *hit, void *ctx)
{
    int *n = ctx;
    assert_string_equal(hit->data, "payload");
    assert_true(hit->weight > 0);
    (*n)++;
    return 0;
}

static int search_count(const char *dir, const char *word)
{
    ptx_reader *r = NULL;
    assert_int_equal(ptx_reader_open(&r, dir), PT_OK);
    ptx_query *q = ptx_query_term(word, strlen(word), 1, 0);
    assert_non_null(q);
    ptx_search_opts opts = PTX_SEARCH_OPTS_INIT;
    int n = 0;
    assert_int_equal(ptx_reader_search(r, q, &opts, count_hit, &n, NULL), PT_OK);
    ptx_query_free(q);
    ptx_reader_close(r);
    return n;
}

static void test_binding__only_commits_are_visible(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    ptx_writer *w = NULL;
    assert_int_equal(ptx_writer_open(&w, dir, 1, 0), PT_OK);
    add_doc(w, "berlin", "payload");
    assert_int_equal(ptx_writer_commit(w), PT_OK);
    add_doc(w, "miami", "payload");
    assert_int_equal(search_count(dir, "berlin"), 1);
    assert_int_equal(search_count(dir, "miami"), 0); /* not committed */
    ptx_writer_close(w);                              /* drops it */
    assert_int_equal(search_count(dir, "miami"), 0);
    assert_int_equal(ptx_writer_open(&w, dir, 0, 0), PT_OK);
    assert_int_equal(ptx_writer_delete_term(w, "Aone"), PT_OK);
    assert_int_equal(ptx_writer_commit(w), PT_OK);
    ptx_writer_close(w);
    assert_int_equal(search_count(dir, "berlin"), 0);
    test_rmdir(dir);
}

static int take_hit_data(const ptx_hit *hit, void *ctx)
{
    snprintf(ctx, 32, "%.*s", (int)hit->data_len, hit->data);
    return 0;
}

/* Schema 5 keeps the passage record in a value slot; documents of older
 * indexes have it as their data, and must still read. */
static void test_binding__record_is_the_slot_else_the_data(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    ptx_writer *w = NULL;
    assert_int_equal(ptx_writer_open(&w, dir, 1, 0), PT_OK);
    add_doc(w, "berlin", "old layout");
    ptx_doc *doc = NULL;
    assert_int_equal(ptx_doc_new(&doc), PT_OK);
    assert_int_equal(ptx_doc_add_posting(doc, "miami", 5, 1, 1), PT_OK);
    assert_int_equal(ptx_doc_set_data(doc, "ignored", 7), PT_OK);
    assert_int_equal(ptx_doc_set_value(doc, PT_SLOT_RECORD, "record", 6), PT_OK);
    assert_int_equal(ptx_writer_add(w, doc, NULL), PT_OK);
    ptx_doc_free(doc);
    assert_int_equal(ptx_writer_commit(w), PT_OK);
    ptx_writer_close(w);
    ptx_reader *r = NULL;
    assert_int_equal(ptx_reader_open(&r, dir), PT_OK);
    const char *words[] = {"berlin", "miami"}, *want[] = {"old layout", "record"};
    for (int i = 0; i < 2; i++) {
        ptx_query *q = ptx_query_term(words[i], strlen(words[i]), 1, 0);
        ptx_search_opts opts = PTX_SEARCH_OPTS_INIT;
        char got[32] = "";
        assert_int_equal(ptx_reader_search(r, q, &opts, take_hit_data, got, NULL), PT_OK);
        assert_string_equal(got, want[i]);
        ptx_query_free(q);
    }
    ptx_reader_close(r);
    test_rmdir(dir);
}

static void test_binding__metadata_round_trip(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    ptx_writer *w = NULL;
    assert_int_equal(ptx_writer_open(&w, dir, 1, 0), PT_OK);
    assert_int_equal(ptx_writer_set_metadata(w, "a:x", "v\0w", 3), PT_OK);
    assert_int_equal(ptx_writer_commit(w), PT_OK);
    ptx_writer_close(w);
    ptx_reader *r = NULL;
    assert_int_equal(ptx_reader_open(&r, dir), PT_OK);
    char *v = NULL;
    size_t len = 0;
    assert_int_equal(ptx_reader_get_metadata(r, "a:x", &v, &len), PT_OK);
    assert_int_equal(len, 3);
    assert_memory_equal(v, "v\0w", 3);
    free(v);
    assert_int_equal(ptx_reader_get_metadata(r, "a:missing", &v, &len), PT_ENOTFOUND);
    ptx_reader_close(r);
    assert_int_equal(ptx_check(dir, NULL), PT_OK);
    test_rmdir(dir);
}

static void test_binding__queries_describe_and_combine(void **state)
{
    (void)state;
    ptx_query *a = ptx_query_term("secur", 5, 1, 1);
    ptx_query *b = ptx_query_term("guarante", 8, 1, 2);
    ptx_query *parts[] = {a, b};
    ptx_query *phrase = ptx_query_combine(PTX_OP_PHRASE, parts, 2, 0);
    char *text = ptx_query_describe(phrase);
    assert_non_null(strstr(text, "PHRASE"));
    assert_non_null(strstr(text, "guarante"));
    free(text);
    assert_false(ptx_query_is_empty(phrase));
    ptx_query *none = ptx_query_match_nothing();
    assert_true(ptx_query_is_empty(none));
    ptx_query_free(none);
    ptx_query_free(phrase);
    ptx_query_free(a);
    ptx_query_free(b);
}

/* ------------------------------------------------ positional queries */

/* Documents for positional queries: their data is their words, space
 * separated, and their terms carry no positions. */
static char *words_index(const char *const *docs, size_t n)
{
    char *dir = test_tmpdir();
    ptx_writer *w = NULL;
    assert_int_equal(ptx_writer_open(&w, dir, 1, 0), PT_OK);
    for (size_t i = 0; i < n; i++) {
        ptx_doc *doc = NULL;
        assert_int_equal(ptx_doc_new(&doc), PT_OK);
        for (const char *p = docs[i]; *p;) {
            size_t len = strcspn(p, " ");
            assert_int_equal(ptx_doc_add_term(doc, p, len, 1), PT_OK);
            p += len + (p[len] == ' ');
        }
        assert_int_equal(ptx_doc_set_data(doc, docs[i], strlen(docs[i])), PT_OK);
        assert_int_equal(ptx_writer_add(w, doc, NULL), PT_OK);
        ptx_doc_free(doc);
    }
    assert_int_equal(ptx_writer_commit(w), PT_OK);
    ptx_writer_close(w);
    return dir;
}

/* The positions of words_index documents; "bad" fails as a corrupt record. */
static int words_positions(const char *data, size_t len, ptx_posting_cb cb, void *cb_ctx, void *ctx)
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
    ptx_query *q = ptx_query_positional(op, parts, n, window, NULL, words_positions, &calls);
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

static void test_binding__positional_phrase(void **state)
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

static void test_binding__positional_near(void **state)
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

static void test_binding__positional_failure_is_reported(void **state)
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
    assert_null(ptx_query_positional(PTX_OP_AND, one, 2, 0, NULL, words_positions, NULL));
    assert_null(ptx_query_positional(PTX_OP_PHRASE, one, 1, 0, NULL, words_positions, NULL));
    ptx_query *q = ptx_query_positional(PTX_OP_PHRASE, one, 2, 0, NULL, words_positions, NULL);
    char *text = ptx_query_describe(q);
    assert_non_null(strstr(text, "a PHRASE 2 a"));
    free(text);
    ptx_query_free(q);
    ptx_query_free(a);
    test_rmdir(dir);
}

static void test_binding__corrupt_index_is_reported(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char path[600];
    snprintf(path, sizeof path, "%s/iamglass", dir);
    FILE *f = fopen(path, "w");
    fputs("not a glass database", f);
    fclose(f);
    ptx_reader *r = NULL;
    int rc = ptx_reader_open(&r, dir);
    assert_true(rc == PT_ECORRUPT || rc == PT_EVERSION || rc == PT_ENOTFOUND);
    assert_true(strlen(pt_error_last()) > 0);
    test_rmdir(dir);
}

/* A commit that cannot write (here a file-size limit, as a full disk)
 * fails with PT_ENOSPC; the writer then refuses everything with that
 * failure, and closing it commits nothing: the database keeps its last
 * commit. (No values: Xapian writes those from a destructor, where a
 * failure ends the process; ptx_on_fatal_write is for that.) */
static void test_binding__failed_commit_sticks_and_keeps_the_last_commit(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    ptx_writer *w = NULL;
    assert_int_equal(ptx_writer_open(&w, dir, 1, 0), PT_OK);
    ptx_doc *doc = NULL;
    assert_int_equal(ptx_doc_new(&doc), PT_OK);
    assert_int_equal(ptx_doc_add_term(doc, "first", 5, 1), PT_OK);
    assert_int_equal(ptx_writer_add(w, doc, NULL), PT_OK);
    assert_int_equal(ptx_writer_commit(w), PT_OK);
    char term[32];
    for (int i = 0; i < 3000; i++) {
        ptx_doc_clear(doc);
        for (int k = 0; k < 40; k++) {
            int n = snprintf(term, sizeof term, "t%d", (i * 40 + k) % 50000);
            assert_int_equal(ptx_doc_add_term(doc, term, (size_t)n, 1), PT_OK);
        }
        assert_int_equal(ptx_writer_add(w, doc, NULL), PT_OK);
    }
    struct rlimit old_limit, small = {64 * 1024, 0};
    getrlimit(RLIMIT_FSIZE, &old_limit);
    small.rlim_max = old_limit.rlim_max;
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &small);
    int rc = ptx_writer_commit(w);
    setrlimit(RLIMIT_FSIZE, &old_limit);
    signal(SIGXFSZ, old_handler);
    assert_int_equal(rc, PT_ENOSPC);
    assert_non_null(strstr(pt_error_last(), "File too large"));
    assert_int_equal(ptx_writer_add(w, doc, NULL), PT_ENOSPC); /* sticks */
    assert_int_equal(ptx_writer_commit(w), PT_ENOSPC);
    ptx_doc_free(doc);
    ptx_writer_close(w);
    ptx_reader *r = NULL;
    assert_int_equal(ptx_reader_open(&r, dir), PT_OK);
    uint64_t docs = 0;
    assert_int_equal(ptx_reader_doccount(r, &docs), PT_OK);
    assert_int_equal(docs, 1);
    ptx_reader_close(r);
    test_rmdir(dir);
}

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

static void test_binding__feedback_skips_words_only_the_set_has(void **state)
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
    assert_int_equal(ptx_reader_feedback(r, docids, weights, 2, 10, NULL, feedback_term, seen), PT_OK);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binding__missing_index_is_not_found),
        cmocka_unit_test(test_binding__second_writer_is_locked),
        cmocka_unit_test(test_binding__only_commits_are_visible),
        cmocka_unit_test(test_binding__record_is_the_slot_else_the_data),
        cmocka_unit_test(test_binding__metadata_round_trip),
        cmocka_unit_test(test_binding__queries_describe_and_combine),
        cmocka_unit_test(test_binding__positional_phrase),
        cmocka_unit_test(test_binding__positional_near),
        cmocka_unit_test(test_binding__positional_failure_is_reported),
        cmocka_unit_test(test_binding__corrupt_index_is_reported),
        cmocka_unit_test(test_binding__failed_commit_sticks_and_keeps_the_last_commit),
        cmocka_unit_test(test_binding__feedback_skips_words_only_the_set_has),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
