/* test_binding.c — the Xapian C binding: Xapian's errors come back as
 * status codes with a message, one writer at a time, nothing uncommitted
 * is visible, and searches return what was added. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ptsearch.h"
#include "test_util.h"
#include "xapian_binding.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binding__missing_index_is_not_found),
        cmocka_unit_test(test_binding__second_writer_is_locked),
        cmocka_unit_test(test_binding__only_commits_are_visible),
        cmocka_unit_test(test_binding__metadata_round_trip),
        cmocka_unit_test(test_binding__queries_describe_and_combine),
        cmocka_unit_test(test_binding__corrupt_index_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
