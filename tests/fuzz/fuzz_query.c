/* fuzz_query.c — libFuzzer target for the query parser and the analyzer
 * under it: any bytes are parsed against a small index (so name variants,
 * wildcards and "did you mean" run too) and must neither crash nor leak;
 * a suggestion must be valid UTF-8.
 * A libFuzzer binary with -DPT_FUZZ=ON (tests/fuzz/CMakeLists.txt);
 * replay.c runs the same function over the saved corpus in every build. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/analyzer.h"
#include "fuzz.h"
#include "ptsearch.h"
#include "query/query.h"
#include "rank/suggest.h"
#include "test_util.h"
#include "util/utf8_clean.h"
#include "xapian/xapian_binding.h"

static pt_analyzer *an;
static ptx_reader *reader;
static char *index_dir;

static void remove_index(void)
{
    ptx_reader_close(reader);
    pt_analyzer_free(an);
    test_rmdir(index_dir);
}

static void setup(void)
{
    static const char *const texts[] = {
        "President Volodymyr Zelensky met Steve Witkoff in Berlin; Zelenskyy said Kyiv and Luhansk.",
        "Zelenskiy spoke of Article 5 and Article Five guarantees, the Donbas and Lugansk.",
        "Негативные новости из Киева: переговоры в Берлине. 20-point plan, U.S. officials.",
    };
    index_dir = test_tmpdir();
    if (!index_dir)
        abort();
    pt_index *ix = NULL;
    if (pt_index_open(&ix, index_dir, PT_INDEX_CREATE) != 0)
        abort();
    for (size_t i = 0; i < 3; i++) {
        char id[8];
        snprintf(id, sizeof id, "a%zu", i);
        pt_article a = PT_ARTICLE_INIT;
        a.id = id;
        a.text = texts[i];
        a.text_len = strlen(texts[i]);
        a.title = "Berlin talks";
        a.source = "AP";
        a.date = i ? "2025-12-15" : NULL;
        if (pt_index_add(ix, &a, NULL) != 0)
            abort();
    }
    if (pt_index_commit(ix) != 0)
        abort();
    pt_index_free(ix);
    if (pt_analyzer_new(&an) != 0 || ptx_reader_open(&reader, index_dir) != 0)
        abort();
    atexit(remove_index);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!an)
        setup();
    if (size > 20000)
        return 0;
    /* The first byte picks the flags; the rest is the query text. */
    unsigned flags = size ? data[0] & 0x3f : 0; /* PT_QUERY_* up to EXPAND */
    const char *text = size ? (const char *)data + 1 : "";
    size_t len = size ? size - 1 : 0;
    char *copy = malloc(len + 1); /* NUL-terminated, as pt_search gets it */
    if (!copy)
        return 0;
    memcpy(copy, text, len);
    copy[len] = '\0';
    ptx_query *q = NULL;
    pt_query_info info;
    if (pt_query_parse(&q, &info, an, reader, copy, len, flags) == 0) {
        char *d = ptx_query_describe(q);
        free(d);
        char *s = NULL;
        if (pt_suggest(&s, an, reader, copy, len, &info) == 0) {
            /* Shown, and written as JSON: always valid UTF-8. */
            FUZZ_CHECK(!s || pt_utf8_is_clean(s, strlen(s)));
            free(s);
        }
        ptx_query_free(q);
        pt_query_info_free(&info);
    }
    free(copy);
    return 0;
}
