/* test_binding.c — the Xapian C binding: Xapian's errors come back as
 * status codes with a message, one writer at a time, nothing uncommitted
 * is visible, and searches return what was added. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "util/error.h"
#include "ptsearch.h"
#include "store/schema.h"
#include "test_util.h"
#include "test_words_index.h"
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


/* The check of a positional query: keeps documents whose data starts
 * with "keep", fails on "bad"; counts its calls and frees. */
typedef struct {
    int calls, frees, fail_bad;
} check_count;

static int keep_check(const char *data, size_t len, void *ctx)
{
    check_count *c = ctx;
    c->calls++;
    if (c->fail_bad && len >= 3 && memcmp(data, "bad", 3) == 0)
        return pt_fail(PT_ECORRUPT, "bad record");
    return len >= 4 && memcmp(data, "keep", 4) == 0;
}

static void count_free(void *ctx)
{
    ((check_count *)ctx)->frees++;
}

static int collect_data(const ptx_hit *hit, void *ctx)
{
    char *out = ctx;
    strcat(out, "[");
    strncat(out, hit->data, hit->data_len);
    strcat(out, "]");
    return 0;
}

/* The binding only hands each candidate (every part matched, unless the
 * excluded term did) to the caller's check, and frees the check's context
 * with the last copy of the query; positional.c does the matching. */
static void test_binding__positional_hands_candidates_to_the_check(void **state)
{
    (void)state;
    const char *docs[] = {"keep a b", "drop a b", "keep a", "keep a b u", "bad a b"};
    char *dir = words_index(docs, 5);
    check_count c = {0, 0, 1};
    ptx_query *parts[] = {ptx_query_term("a", 1, 1, 0), ptx_query_term("b", 1, 1, 0)};
    ptx_query *q = ptx_query_positional(PTX_OP_NEAR, parts, 2, 5, "u", keep_check, &c, count_free);
    assert_non_null(q);
    ptx_query *copy = ptx_query_copy(q);
    ptx_query_free(q);
    assert_int_equal(c.frees, 0);
    ptx_reader *r = NULL;
    assert_int_equal(ptx_reader_open(&r, dir), PT_OK);
    ptx_search_opts o = PTX_SEARCH_OPTS_INIT;
    o.max = 100;
    char out[256] = "";
    /* "bad a b" fails the search with the check's status and message. */
    assert_int_equal(ptx_reader_search(r, copy, &o, collect_data, out, NULL), PT_ECORRUPT);
    assert_non_null(strstr(pt_error_last(), "bad record"));
    ptx_query_free(copy);
    assert_int_equal(c.frees, 1);
    /* "keep a" lacks b, and "keep a b u" has u: neither is checked. */
    c.calls = c.fail_bad = 0;
    q = ptx_query_positional(PTX_OP_PHRASE, parts, 2, 0, "u", keep_check, &c, count_free);
    out[0] = '\0';
    assert_int_equal(ptx_reader_search(r, q, &o, collect_data, out, NULL), PT_OK);
    assert_string_equal(out, "[keep a b]");
    assert_int_equal(c.calls, 3); /* "keep a b", "drop a b", "bad a b" */
    char *text = ptx_query_describe(q);
    assert_non_null(strstr(text, "a PHRASE 2 b"));
    free(text);
    ptx_query_free(q);
    assert_int_equal(c.frees, 2);
    /* Only PHRASE and NEAR of two parts or more; the context is freed. */
    assert_null(ptx_query_positional(PTX_OP_AND, parts, 2, 0, NULL, keep_check, &c, count_free));
    assert_null(ptx_query_positional(PTX_OP_PHRASE, parts, 1, 0, NULL, keep_check, &c, count_free));
    assert_int_equal(c.frees, 4);
    ptx_reader_close(r);
    ptx_query_free(parts[0]);
    ptx_query_free(parts[1]);
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

/* A full disk is known by the errno of the failure, not by words in its
 * message: an index that cannot be created because its parent directory
 * is missing is no full disk, even when its path quotes one. */
static void test_binding__full_disk_is_told_by_errno_not_by_message(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char path[700];
    snprintf(path, sizeof path, "%s/gone/%s", dir, strerror(ENOSPC));
    ptx_writer *w = NULL;
    int rc = ptx_writer_open(&w, path, 1, 0);
    assert_null(w);
    assert_true(rc < 0);
    assert_int_not_equal(rc, PT_ENOSPC);
    assert_null(strstr(pt_error_last(), "disk is full"));
    assert_non_null(strstr(pt_error_last(), strerror(ENOENT)));
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binding__missing_index_is_not_found),
        cmocka_unit_test(test_binding__second_writer_is_locked),
        cmocka_unit_test(test_binding__only_commits_are_visible),
        cmocka_unit_test(test_binding__record_is_the_slot_else_the_data),
        cmocka_unit_test(test_binding__metadata_round_trip),
        cmocka_unit_test(test_binding__queries_describe_and_combine),
        cmocka_unit_test(test_binding__positional_hands_candidates_to_the_check),
        cmocka_unit_test(test_binding__corrupt_index_is_reported),
        cmocka_unit_test(test_binding__full_disk_is_told_by_errno_not_by_message),
        cmocka_unit_test(test_binding__failed_commit_sticks_and_keeps_the_last_commit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
