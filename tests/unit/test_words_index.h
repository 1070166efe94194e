/* test_words_index.h — a tiny index for positional-query tests
 * (test_binding.c, test_positional.c): one document per string, its
 * words as terms without positions and the string as its data. */
#ifndef TEST_WORDS_INDEX_H
#define TEST_WORDS_INDEX_H

#include <string.h>

#include "test_util.h"
#include "xapian/xapian_binding.h"

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

#endif
