/* test_corpus.h — builds a temporary index of corpus/ (five articles) for
 * tests of searching, through the public API as ptindex would. */
#ifndef PT_TEST_CORPUS_H
#define PT_TEST_CORPUS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_fields.h"
#include "ptsearch.h"
#include "test_util.h"

static const char *const corpus_files[] = {
    "000_f4220b2ff6c08dc0.txt", "001_ed0bf67eabdc8bc4.txt", "002_fa79ad35558de7c7.txt",
    "003_d7a71e417279a752.txt", "004_e43b9b220f213307.txt",
};

static inline char *corpus_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Adds article id with text and optional fields. */
static inline void corpus_add_text(pt_index *ix, const char *id, const char *text, const char *title,
                            const char *source, const char *date)
{
    pt_article a = PT_ARTICLE_INIT;
    a.id = id;
    a.text = text;
    a.text_len = strlen(text);
    a.title = title;
    a.source = source;
    a.date = date;
    assert_int_equal(pt_index_add(ix, &a, NULL), PT_OK);
}

/* A fresh index of corpus/ in a temporary directory (test_rmdir it). */
static inline char *corpus_index(void)
{
    char *dir = test_tmpdir();
    pt_index *ix = NULL;
    assert_int_equal(pt_index_open(&ix, dir, PT_INDEX_CREATE), PT_OK);
    const char *corpus = getenv("PT_CORPUS") ? getenv("PT_CORPUS") : "corpus";
    for (size_t i = 0; i < sizeof corpus_files / sizeof *corpus_files; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", corpus, corpus_files[i]);
        size_t len;
        char *text = corpus_read(path, &len);
        pt_text_fields fields = {0};
        assert_int_equal(pt_text_fields_read(&fields, text, len), PT_OK);
        pt_article a = PT_ARTICLE_INIT;
        a.id = corpus_files[i];
        a.path = path;
        a.text = text;
        a.text_len = len;
        a.title = fields.title;
        a.source = fields.source;
        a.date = fields.date;
        assert_int_equal(pt_index_add(ix, &a, NULL), PT_OK);
        pt_text_fields_clear(&fields);
        free(text);
    }
    assert_int_equal(pt_index_commit(ix), PT_OK);
    pt_index_free(ix);
    return dir;
}

#endif
