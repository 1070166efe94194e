/* test_query.c — the query language on a temporary index of corpus/: each
 * operator and field, name variants (which articles each spelling finds),
 * the typed spelling ranking first, "did you mean", and bad queries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "analysis/analyzer.h"
#include "query/expand.h"
#include "rank/highlight.h"
#include "query/query.h"
#include "util/utf8_clean.h"
#include "test_corpus.h"

static int setup(void **state)
{
    *state = corpus_index();
    return 0;
}

static int teardown(void **state)
{
    test_rmdir(*state);
    return 0;
}

/* Runs query; returns its status; *articles gets a bitmask of the corpus
 * articles found (bit i = corpus_files[i]), *hits_out (may be NULL) the hits. */
static int run(const char *dir, const char *query, unsigned flags, unsigned *articles, pt_hits **hits_out)
{
    pt_searcher *s = NULL;
    assert_int_equal(pt_searcher_open(&s, dir), PT_OK);
    pt_search_opts opts = PT_SEARCH_OPTS_INIT;
    opts.max_hits = 1000;
    opts.per_article = 0;
    opts.flags = flags;
    pt_hits *hits = NULL;
    int rc = pt_search(&hits, s, query, &opts);
    *articles = 0;
    for (size_t i = 0; i < pt_hits_count(hits); i++)
        for (unsigned a = 0; a < 5; a++)
            if (strcmp(pt_hits_get(hits, i)->article, corpus_files[a]) == 0)
                *articles |= 1u << a;
    if (hits_out)
        *hits_out = hits;
    else
        pt_hits_free(hits);
    pt_searcher_free(s);
    return rc;
}

static unsigned found(const char *dir, const char *query, unsigned flags)
{
    unsigned a;
    assert_int_equal(run(dir, query, flags, &a, NULL), PT_OK);
    return a;
}

/* Bits for articles 000..004. */
#define A0 1u
#define A1 2u
#define A2 4u
#define A3 8u
#define A4 16u
#define ALL 31u

/* --------------------------------------------------------------- variants */

static void test_query__zelensky_family(void **state)
{
    /* The corpus spells him Zelensky (001, 002; 000 only in its photo
     * caption, which is no passage), Zelenskyy (000, 004), Zelenskiy (003). */
    assert_int_equal(found(*state, "Zelensky", PT_SEARCH_EXACT), A1 | A2);
    assert_int_equal(found(*state, "Zelenskyy", PT_SEARCH_EXACT), A0 | A4);
    assert_int_equal(found(*state, "Zelenskiy", PT_SEARCH_EXACT), A3);
    assert_int_equal(found(*state, "Zelenskyi", PT_SEARCH_EXACT), 0);
    const char *spellings[] = {"Zelensky", "Zelenskyy", "Zelenskiy", "Zelenskyi", "zelenskiy"};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(found(*state, spellings[i], 0), ALL);
}

static void test_query__place_families(void **state)
{
    assert_int_equal(found(*state, "Luhansk", PT_SEARCH_EXACT), A2 | A3 | A4);
    assert_int_equal(found(*state, "Lugansk", PT_SEARCH_EXACT), A1);
    assert_int_equal(found(*state, "Luhansk", 0), A1 | A2 | A3 | A4);
    assert_int_equal(found(*state, "Lugansk", 0), A1 | A2 | A3 | A4);
    assert_int_equal(found(*state, "Kyiv", PT_SEARCH_EXACT), A1 | A2 | A4);
    assert_int_equal(found(*state, "Kiev", PT_SEARCH_EXACT), 0);
    assert_int_equal(found(*state, "Kiev", 0), A1 | A2 | A4);
    assert_int_equal(found(*state, "Donbas", PT_SEARCH_EXACT), A1 | A2 | A3 | A4);
    assert_int_equal(found(*state, "Donbass", PT_SEARCH_EXACT), 0);
    assert_int_equal(found(*state, "Donbass", 0), A1 | A2 | A3 | A4);
    /* Not in the corpus under any spelling: nothing, and no error. */
    const char *absent[] = {"Kharkiv", "Kharkov", "Odesa", "Odessa"};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(found(*state, absent[i], 0), 0);
        assert_int_equal(found(*state, absent[i], PT_SEARCH_EXACT), 0);
    }
}

static void test_query__article_five(void **state)
{
    assert_int_equal(found(*state, "\"Article Five\"", PT_SEARCH_EXACT), A0 | A1 | A3);
    assert_int_equal(found(*state, "\"Article 5\"", PT_SEARCH_EXACT), A2 | A3 | A4);
    assert_int_equal(found(*state, "\"Article Five\"", 0), ALL);
    assert_int_equal(found(*state, "\"Article 5\"", 0), ALL);
}

static void test_query__phrase_with_variant(void **state)
{
    /* 003 writes "President Volodymyr Zelenskiy": a phrase without the first name. */
    assert_int_equal(found(*state, "\"Volodymyr Zelenskiy\"", PT_SEARCH_EXACT), A3);
    unsigned all = found(*state, "\"Volodymyr Zelenskiy\"", 0);
    assert_true((all & (A0 | A1 | A2 | A3 | A4)) == ALL);
}

/* Two passages alike but for the spelling: the typed one ranks first,
 * whichever is typed, as a word and in a phrase. */
static void test_query__typed_spelling_ranks_first(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    pt_index *ix = NULL;
    assert_int_equal(pt_index_open(&ix, dir, PT_INDEX_CREATE), PT_OK);
    corpus_add_text(ix, "a", "Talks in Berlin with President Zelensky went on.", NULL, NULL, NULL);
    corpus_add_text(ix, "b", "Talks in Berlin with President Zelenskiy went on.", NULL, NULL, NULL);
    corpus_add_text(ix, "c", "Nothing about the war here at all.", NULL, NULL, NULL);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    pt_index_free(ix);
    const char *queries[][2] = {
        {"Zelensky", "a"}, {"Zelenskiy", "b"}, {"\"President Zelensky\"", "a"},
        {"\"President Zelenskiy\"", "b"}, {"Berlin NEAR/4 Zelenskiy", "b"},
    };
    for (size_t i = 0; i < 5; i++) {
        pt_hits *hits = NULL;
        unsigned a;
        assert_int_equal(run(dir, queries[i][0], 0, &a, &hits), PT_OK);
        assert_int_equal(pt_hits_count(hits), 2);
        assert_string_equal(pt_hits_get(hits, 0)->article, queries[i][1]);
        assert_true(pt_hits_get(hits, 0)->score > pt_hits_get(hits, 1)->score);
        pt_hits_free(hits);
    }
    test_rmdir(dir);
}

/* -------------------------------------------------------------- operators */

static int passages_have(pt_hits *hits, const char *word, int want)
{
    for (size_t i = 0; i < pt_hits_count(hits); i++)
        if ((strstr(pt_hits_get(hits, i)->passage, word) != NULL) != want)
            return 0;
    return 1;
}

static void test_query__not_and_or(void **state)
{
    pt_hits *hits = NULL;
    unsigned a;
    /* Putin: every passage naming Witkoff names Kushner since 003's photo
     * caption is no passage (issue 16). */
    assert_int_equal(run(*state, "Putin -Kushner", 0, &a, &hits), PT_OK);
    assert_true(pt_hits_count(hits) > 0);
    assert_true(passages_have(hits, "Kushner", 0) && passages_have(hits, "Putin", 1));
    pt_hits_free(hits);
    assert_int_equal(run(*state, "Putin NOT Kushner", 0, &a, &hits), PT_OK);
    assert_true(pt_hits_count(hits) > 0 && passages_have(hits, "Kushner", 0));
    pt_hits_free(hits);
    assert_int_equal(run(*state, "Witkoff AND Kushner", 0, &a, &hits), PT_OK);
    assert_true(pt_hits_count(hits) > 0);
    assert_true(passages_have(hits, "Kushner", 1) && passages_have(hits, "Witkoff", 1));
    pt_hits_free(hits);
    /* Miami is in two passages, Politico in one of them. */
    assert_int_equal(run(*state, "Miami OR Politico", 0, &a, &hits), PT_OK);
    assert_int_equal(pt_hits_count(hits), 2);
    pt_hits_free(hits);
    assert_int_equal(run(*state, "(Miami OR Politico) AND Politico", 0, &a, &hits), PT_OK);
    assert_int_equal(pt_hits_count(hits), 1);
    pt_hits_free(hits);
}

static void test_query__batch_mode_reads_operators_as_words(void **state)
{
    /* As an operator, NOT excludes Kushner; as a word (batch), it is a
     * stopword and Kushner is searched. */
    pt_hits *hits = NULL;
    unsigned a;
    assert_int_equal(run(*state, "Witkoff NOT Kushner", PT_SEARCH_NO_OPERATORS, &a, &hits), PT_OK);
    assert_false(passages_have(hits, "Kushner", 0));
    pt_hits_free(hits);
    /* A lone capitalised word is still stemmed. */
    assert_int_equal(found(*state, "GUARANTEES", PT_SEARCH_NO_OPERATORS), found(*state, "guarantee", 0));
}

static void test_query__near_and_phrase(void **state)
{
    pt_hits *hits = NULL;
    unsigned a;
    /* "Steve Witkoff and Jared Kushner": three words apart. */
    assert_int_equal(run(*state, "Witkoff NEAR/2 Kushner", 0, &a, &hits), PT_OK);
    assert_int_equal(pt_hits_count(hits), 0);
    pt_hits_free(hits);
    assert_int_equal(run(*state, "Witkoff NEAR/3 Kushner", 0, &a, &hits), PT_OK);
    size_t near2 = pt_hits_count(hits);
    pt_hits_free(hits);
    assert_int_equal(run(*state, "Witkoff NEAR/30 Kushner", 0, &a, &hits), PT_OK);
    size_t near30 = pt_hits_count(hits);
    pt_hits_free(hits);
    assert_true(near2 > 0 && near30 > near2);
    assert_int_equal(run(*state, "\"frozen Russian assets\"", 0, &a, &hits), PT_OK);
    assert_true(pt_hits_count(hits) > 0 && passages_have(hits, "frozen Russian assets", 1));
    pt_hits_free(hits);
}

/* Passages of a small index, one article each; returns the hits of query
 * in rank order as "id id ...". */
static const char *ranked(const char *dir, const char *query, unsigned flags, pt_hits **hits_out)
{
    static char out[512];
    unsigned a;
    pt_hits *hits = NULL;
    assert_int_equal(run(dir, query, flags, &a, &hits), PT_OK);
    out[0] = '\0';
    for (size_t i = 0; i < pt_hits_count(hits); i++) {
        if (i)
            strcat(out, " ");
        strcat(out, pt_hits_get(hits, i)->article);
    }
    if (hits_out)
        *hits_out = hits;
    else
        pt_hits_free(hits);
    return out;
}

static char *small_index(const char *const (*docs)[2], size_t n)
{
    char *dir = test_tmpdir();
    pt_index *ix = NULL;
    assert_int_equal(pt_index_open(&ix, dir, PT_INDEX_CREATE), PT_OK);
    for (size_t i = 0; i < n; i++)
        corpus_add_text(ix, docs[i][0], docs[i][1], NULL, NULL, NULL);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    pt_index_free(ix);
    return dir;
}

/* The index has no positions: phrases and NEAR read them from the text. */
static void test_query__positions_from_text(void **state)
{
    (void)state;
    const char *const docs[][2] = {
        {"a", "The red apple fell from the tree."},
        {"b", "The apple on the tree was red."},
        {"c", "Alpha one two three beta."},
        {"d", "Beta one two three four alpha."},
        {"e", "President Zelensky spoke in Berlin."},
        {"f", "President Zelenskiy spoke in Berlin."},
        {"g", "Zelensky met the President in Berlin."},
    };
    char *dir = small_index(docs, 7);
    /* Both words in b, but not side by side. */
    assert_string_equal(ranked(dir, "\"red apple\"", 0, NULL), "a");
    assert_string_equal(ranked(dir, "\"apple red\"", 0, NULL), "");
    /* NEAR/n: at most n positions apart, in either order. */
    assert_string_equal(ranked(dir, "alpha NEAR/3 beta", 0, NULL), "");
    assert_string_equal(ranked(dir, "alpha NEAR/4 beta", 0, NULL), "c");
    assert_string_equal(ranked(dir, "beta NEAR/4 alpha", 0, NULL), "c");
    assert_string_equal(ranked(dir, "alpha NEAR/5 beta", 0, NULL), "c d");
    /* A phrase with a name variant: either spelling, in order, typed first. */
    assert_string_equal(ranked(dir, "\"President Zelenskiy\"", 0, NULL), "f e");
    assert_string_equal(ranked(dir, "\"President Zelenskiy\"", PT_SEARCH_EXACT, NULL), "f");
    assert_string_equal(ranked(dir, "\"Zelensky President\"", 0, NULL), "");
    test_rmdir(dir);
}

/* Juxtaposed words score more where they stand together. */
static void test_query__proximity_orders_passages(void **state)
{
    (void)state;
    /* The same words, as often, in passages as long: only the order differs. */
    const char *const docs[][2] = {
        {"apart", "Oil markets saw prices rise."},
        {"together", "Markets saw oil prices rise."},
        {"neither", "Markets saw wheat rise."},
    };
    char *dir = small_index(docs, 3);
    pt_hits *hits = NULL;
    assert_string_equal(ranked(dir, "oil prices", PT_SEARCH_EXPLAIN, &hits), "together apart");
    const pt_hit *first = pt_hits_get(hits, 0), *second = pt_hits_get(hits, 1);
    assert_true(first->score > second->score);
    /* The bonus is its own part of the explanation, and the parts add up. */
    double sum = 0, bonus = 0;
    for (size_t i = 0; i < first->n_explain; i++) {
        sum += first->explain[i].score;
        if (strcmp(first->explain[i].part, "near:oil price") == 0)
            bonus = first->explain[i].score;
    }
    assert_true(bonus > 0);
    assert_true(fabs(sum - first->score) < 1e-9);
    assert_true(fabs(first->score - bonus - second->score) < 1e-9);
    for (size_t i = 0; i < second->n_explain; i++)
        assert_null(strstr(second->explain[i].part, "near:"));
    pt_hits_free(hits);
    /* --all-words has no proximity: the two tie, in index order. */
    assert_string_equal(ranked(dir, "oil prices", PT_SEARCH_ALL_WORDS, NULL), "apart together");
    test_rmdir(dir);
}

static void test_query__prefix(void **state)
{
    /* negotiat* reaches the stem "negoti" (negotiations, negotiators). */
    unsigned a = found(*state, "negotiat*", 0);
    assert_int_equal(a, found(*state, "negotiations OR negotiators OR negotiate OR negotiating", 0));
    assert_true(a != 0);
}

static void test_query__fields(void **state)
{
    /* 004 is dated 2025-12-15, 001 2025-12-16; 000 and 003 have no date. */
    assert_int_equal(found(*state, "date:2025-12-15", 0), A4);
    unsigned december = found(*state, "date:2025-12-01..2025-12-31", 0);
    assert_int_equal(december & (A0 | A1 | A3 | A4), A1 | A4);
    assert_int_equal(found(*state, "date:2025-12", 0), december);
    assert_int_equal(found(*state, "Zelensky date:2025-12-01..2025-12-31", 0), december & found(*state, "Zelensky", 0));
    assert_int_equal(found(*state, "date:2025-12-16..", 0) & (A1 | A4), A1);
    assert_int_equal(found(*state, "date:..2025-12-15", 0) & (A1 | A4), A4);
    assert_int_equal(found(*state, "date:2024", 0), 0);
    assert_int_equal(found(*state, "source:AP", 0), A3);
    assert_int_equal(found(*state, "Witkoff source:AP", 0), A3);
    assert_int_equal(found(*state, "Witkoff -source:AP", 0) & A3, 0);
    assert_int_equal(found(*state, "title:Ninety", 0), A3);
    /* Titles have no positions: title:"a b" wants both words. */
    assert_int_equal(found(*state, "title:\"Berlin Talks\"", 0), A1 | A2 | A4);
    assert_int_equal(found(*state, "title:\"Zelensky Says\"", 0), A1);
    assert_int_equal(found(*state, "lang:ru", 0), 0);
    assert_int_equal(found(*state, "Witkoff lang:en", 0), found(*state, "Witkoff", 0));
}

/* ---------------------------------------------------------- did you mean */

static void test_query__did_you_mean(void **state)
{
    pt_hits *hits = NULL;
    unsigned a;
    assert_int_equal(run(*state, "Zelenskee peece", PT_SEARCH_EXACT, &a, &hits), PT_OK);
    assert_int_equal(pt_hits_count(hits), 0);
    assert_non_null(pt_hits_suggestion(hits));
    assert_string_equal(pt_hits_suggestion(hits), "Zelensky peace");
    pt_hits_free(hits);
    assert_int_equal(run(*state, "security guarantees", 0, &a, &hits), PT_OK);
    assert_null(pt_hits_suggestion(hits));
    pt_hits_free(hits);
}

/* Found by cli_bad_input.sh: the suggestion keeps the text around the
 * corrected words, and with it invalid UTF-8, which --format json then
 * could not write (exit 2, no message). It must be valid UTF-8: invalid
 * bytes separate words, in the suggestion as in the query. */
static void test_query__did_you_mean_is_valid_utf8(void **state)
{
    pt_hits *hits = NULL;
    unsigned a;
    assert_int_equal(run(*state, "\xff Zelenskee \xc3 peece\xe2\x82", PT_SEARCH_EXACT, &a, &hits), PT_OK);
    const char *s = pt_hits_suggestion(hits);
    assert_non_null(s);
    assert_true(pt_utf8_is_clean(s, strlen(s)));
    assert_string_equal(s, "Zelensky   peace");
    pt_hits_free(hits);
}

/* ------------------------------------------------------------ bad queries */

static void test_query__bad_queries(void **state)
{
    unsigned a;
    assert_int_equal(run(*state, "", 0, &a, NULL), PT_EQUERY);
    assert_int_equal(run(*state, "  \t ", 0, &a, NULL), PT_EQUERY);
    assert_int_equal(run(*state, "()\"\"", 0, &a, NULL), PT_EQUERY);
    /* Only stopwords: searched after all. */
    assert_int_equal(run(*state, "the of and", 0, &a, NULL), PT_OK);
    assert_int_equal(a, ALL);
    /* Unbalanced: the quote runs to the end, the parenthesis closes there. */
    assert_int_equal(found(*state, "\"frozen Russian assets", 0), found(*state, "\"frozen Russian assets\"", 0));
    assert_int_equal(found(*state, "(Miami OR Politico", 0), found(*state, "Miami OR Politico", 0));
    assert_int_equal(found(*state, "Miami) OR Politico)", 0), found(*state, "Miami OR Politico", 0));
    /* Control characters separate words; invalid UTF-8 too. */
    assert_int_equal(found(*state, "Miami\x01\x7f\x1b[1m", 0), found(*state, "Miami", 0));
    assert_int_equal(found(*state, "Mia\xff\xfe" "mi \xc3", 0) & found(*state, "Miami", 0), 0);
    assert_int_equal(run(*state, "\xff\xfe\xc0\x80", 0, &a, NULL), PT_EQUERY);
    /* Unknown fields are words. */
    assert_int_equal(found(*state, "foo:Miami", 0), found(*state, "Miami", 0));
    /* Dates: reversed and malformed ranges, an unknown language. */
    assert_int_equal(run(*state, "date:2025-12-31..2025-12-01", 0, &a, NULL), PT_EQUERY);
    assert_non_null(strstr(pt_error_last(), "reversed"));
    assert_int_equal(run(*state, "Miami date:2025-13-01", 0, &a, NULL), PT_EQUERY);
    assert_non_null(strstr(pt_error_last(), "2025-13-01"));
    assert_int_equal(run(*state, "date:2025-02-30", 0, &a, NULL), PT_EQUERY);
    assert_int_equal(run(*state, "date:..", 0, &a, NULL), PT_EQUERY);
    assert_int_equal(run(*state, "lang:xx", 0, &a, NULL), PT_EQUERY);
    assert_non_null(strstr(pt_error_last(), "xx"));
    /* 10,000 characters, and deep nesting: past PT_QUERY_MAX_DEPTH an
     * error naming the limit. */
    char *big = malloc(10001);
    for (size_t i = 0; i < 10000; i++)
        big[i] = "Miami peace (\"-*:"[i % 17];
    big[10000] = '\0';
    assert_int_equal(run(*state, big, 0, &a, NULL), PT_EQUERY); /* 588 '(' never closed */
    assert_non_null(strstr(pt_error_last(), "nested more than 64 deep"));
    memset(big, '(', 10000);
    memcpy(big + 5000, "Miami", 5);
    assert_int_equal(run(*state, big, 0, &a, NULL), PT_EQUERY);
    memcpy(big + 5000 - 64, "Miami", 6); /* 64 '(' before it, none after */
    assert_int_equal(run(*state, big + 5000 - 128, 0, &a, NULL), PT_OK);
    assert_int_equal(a, found(*state, "Miami", 0));
    for (size_t i = 0; i < 10000; i += 4)
        memcpy(big + i, "NOT ", 4);
    assert_int_equal(run(*state, big, 0, &a, NULL), PT_EQUERY);
    free(big);
    /* Operators with nothing to apply to are ignored. */
    assert_int_equal(found(*state, "OR Miami AND", 0), found(*state, "Miami", 0));
    assert_int_equal(found(*state, "NEAR/3 Miami NEAR", 0), found(*state, "Miami", 0));
}

/* n copies of unit, joined; malloc'd. */
static char *repeated(const char *unit, size_t n)
{
    size_t len = strlen(unit);
    char *s = malloc(len * n + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * len, unit, len);
    s[len * n] = '\0';
    return s;
}

/* Runs unit repeated n times (after prefix) and returns the status; when it
 * is PT_EQUERY the message must name the limit. */
static int run_repeated(const char *dir, const char *prefix, const char *unit, size_t n, const char *limit)
{
    char *body = repeated(unit, n);
    char *q = malloc(strlen(prefix) + strlen(body) + 1);
    assert_non_null(q);
    strcpy(q, prefix);
    strcat(q, body);
    unsigned a;
    int rc = run(dir, q, 0, &a, NULL);
    if (rc == PT_EQUERY && !strstr(pt_error_last(), limit))
        fail_msg("'%s' does not name the limit %s", pt_error_last(), limit);
    free(body);
    free(q);
    return rc;
}

static void test_query__limits(void **state)
{
    /* Bytes: 1,000 words of 40 letters are 41,000 bytes. */
    char word[42];
    memset(word, 'q', 40);
    strcpy(word + 40, " ");
    assert_int_equal(run_repeated(*state, "", word, 1000, "32768 bytes"), PT_EQUERY);
    assert_int_equal(run_repeated(*state, "Miami ", word, 790, "32768 bytes"), PT_OK); /* 32,396 */
    /* Words, stopwords and words in phrases or fields included. */
    assert_int_equal(run_repeated(*state, "", "Miami ", PT_QUERY_MAX_WORDS, "2000 words"), PT_OK);
    assert_int_equal(run_repeated(*state, "", "Miami ", PT_QUERY_MAX_WORDS + 1, "2000 words"), PT_EQUERY);
    assert_int_equal(run_repeated(*state, "Miami ", "the ", PT_QUERY_MAX_WORDS, "2000 words"), PT_EQUERY);
    assert_int_equal(run_repeated(*state, "Miami \"", "peace ", PT_QUERY_MAX_WORDS, "2000 words"), PT_EQUERY);
    assert_int_equal(run_repeated(*state, "Miami title:\"", "peace ", PT_QUERY_MAX_WORDS, "2000 words"),
                     PT_EQUERY);
    assert_int_equal(run_repeated(*state, "", "U.S. ", PT_QUERY_MAX_WORDS, "2000 words"), PT_OK);
    /* Wildcards. */
    assert_int_equal(run_repeated(*state, "", "secur* ", PT_QUERY_MAX_WILDCARDS, "10 wildcards"), PT_OK);
    assert_int_equal(run_repeated(*state, "", "secur* ", PT_QUERY_MAX_WILDCARDS + 1, "10 wildcards"), PT_EQUERY);
    /* Nesting: parentheses and NOT. */
    assert_int_equal(run_repeated(*state, "Miami ", "(", PT_QUERY_MAX_DEPTH, "64 deep"), PT_OK);
    assert_int_equal(run_repeated(*state, "Miami ", "(", PT_QUERY_MAX_DEPTH + 1, "64 deep"), PT_EQUERY);
    assert_int_equal(run_repeated(*state, "Miami ", "NOT (", PT_QUERY_MAX_DEPTH / 2 + 1, "64 deep"), PT_EQUERY);
    assert_int_equal(run_repeated(*state, "Miami ", "-(", PT_QUERY_MAX_DEPTH / 2, "64 deep"), PT_OK);
    /* Fields. */
    assert_int_equal(run_repeated(*state, "Miami ", "date:2025 ", PT_QUERY_MAX_FIELDS, "64 field"), PT_OK);
    assert_int_equal(run_repeated(*state, "Miami ", "date:2025 ", PT_QUERY_MAX_FIELDS + 1, "64 field"), PT_EQUERY);
}

static void test_query__parser_without_index(void **state)
{
    (void)state;
    pt_analyzer *an = NULL;
    assert_int_equal(pt_analyzer_new(&an), PT_OK);
    ptx_query *q = NULL;
    pt_query_info info;
    const char *text = "\"security guarantees\" -Kushner date:2025-12-01..";
    assert_int_equal(pt_query_parse(&q, &info, an, NULL, text, strlen(text), 0), PT_OK);
    char *d = ptx_query_describe(q);
    assert_non_null(strstr(d, "PHRASE"));
    assert_non_null(strstr(d, "AND_NOT"));
    assert_non_null(strstr(d, "VALUE_GE 1 20251201"));
    free(d);
    /* Highlighting has the phrase's terms, not the negated one. */
    int kushner = 0, secur = 0;
    for (size_t i = 0; i < info.terms.n; i++) {
        kushner |= strcmp(info.terms.terms[i], "kushner") == 0;
        secur |= strcmp(info.terms.terms[i], "secur") == 0;
    }
    assert_true(secur && !kushner);
    ptx_query_free(q);
    pt_query_info_free(&info);
    pt_analyzer_free(an);
}

/* The text of each mark of text under query, as "kind:text" joined by ", ". */
static void marks_of(pt_analyzer *an, const char *query, const char *text, char *out, size_t cap)
{
    ptx_query *q = NULL;
    pt_query_info info;
    assert_int_equal(pt_query_parse(&q, &info, an, NULL, query, strlen(query), 0), PT_OK);
    pt_range *ranges = NULL;
    pt_mark_kind *kinds = NULL;
    size_t n = 0;
    assert_int_equal(pt_highlight(&ranges, &kinds, &n, an, text, strlen(text), &info), PT_OK);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(out + strlen(out), cap - strlen(out), "%s%s:%.*s", i ? ", " : "", pt_mark_kind_name(kinds[i]),
                 (int)(ranges[i].end - ranges[i].start), text + ranges[i].start);
    free(ranges);
    free(kinds);
    ptx_query_free(q);
    pt_query_info_free(&info);
}

/* A phrase is one mark where it stands whole, its words alone none; a
 * word also typed outside the phrase is marked everywhere; negated
 * phrases are not marked. */
static void test_query__phrase_marks_one_span(void **state)
{
    (void)state;
    pt_analyzer *an = NULL;
    assert_int_equal(pt_analyzer_new(&an), PT_OK);
    char got[512];
    const char *text = "Security guarantees, they said. Security first; guarantees later. Land too.";
    marks_of(an, "\"security guarantees\"", text, got, sizeof got);
    assert_string_equal(got, "phrase:Security guarantees");
    marks_of(an, "\"security guarantees\" land", text, got, sizeof got);
    assert_string_equal(got, "phrase:Security guarantees, typed:Land");
    marks_of(an, "\"security guarantees\" security", text, got, sizeof got);
    assert_string_equal(got, "phrase:Security guarantees, typed:Security");
    marks_of(an, "land -\"security guarantees\"", text, got, sizeof got);
    assert_string_equal(got, "typed:Land");
    /* stopwords inside a phrase are spanned */
    marks_of(an, "\"first of all\"", "It was first of all a test; first, all.", got, sizeof got);
    assert_string_equal(got, "phrase:first of all");
    ptx_query *q = NULL;
    pt_query_info info;
    const char *query = "\"guarantees for Ukraine\" Kushner";
    assert_int_equal(pt_query_parse(&q, &info, an, NULL, query, strlen(query), 0), PT_OK);
    assert_int_equal(info.n_phrases, 1);
    assert_int_equal(info.phrases[0].n_words, 3);
    assert_int_equal(info.phrases[0].words[2].offset, 2);
    assert_string_equal(info.phrases[0].words[2].terms[0], "ukrain");
    ptx_query_free(q);
    pt_query_info_free(&info);
    pt_analyzer_free(an);
}

/* A word typed again adds less each time: the first "bone" in full, the
 * repeats scaled down (BM25's query-term saturation). */
static void test_query__repeated_word_saturates(void **state)
{
    (void)state;
    pt_analyzer *an = NULL;
    assert_int_equal(pt_analyzer_new(&an), PT_OK);
    ptx_query *q = NULL;
    pt_query_info info;
    const char *text = "bone cells bone bone";
    assert_int_equal(pt_query_parse(&q, &info, an, NULL, text, strlen(text), 0), PT_OK);
    char *d = ptx_query_describe(q);
    size_t scaled = 0;
    for (const char *at = d; (at = strstr(at, " * bone")) != NULL; at++)
        scaled++;
    assert_int_equal(scaled, 2);
    assert_null(strstr(d, " * cell"));
    free(d);
    ptx_query_free(q);
    pt_query_info_free(&info);
    pt_analyzer_free(an);
}

/* A word typed that no passage holds, searched through its variants, is
 * reported through the API: corpus/ writes Donbas, never Donbass. */
static void test_query__substitutions(void **state)
{
    unsigned a;
    pt_hits *hits = NULL;
    assert_int_equal(run(*state, "Donbass concessions", PT_SEARCH_DEFAULT, &a, &hits), PT_OK);
    assert_int_equal(pt_hits_substitution_count(hits), 1);
    const pt_substitution *sub = pt_hits_substitution(hits, 0);
    assert_non_null(sub);
    assert_string_equal(sub->word, "donbass");
    assert_string_equal(sub->shown, "Donbas");
    assert_null(pt_hits_substitution(hits, 1));
    pt_hits_free(hits);
    assert_int_equal(run(*state, "Donbas concessions", PT_SEARCH_DEFAULT, &a, &hits), PT_OK);
    assert_int_equal(pt_hits_substitution_count(hits), 0);
    pt_hits_free(hits);
    assert_int_equal(run(*state, "Donbass", PT_SEARCH_EXACT, &a, &hits), PT_OK);
    assert_int_equal(pt_hits_substitution_count(hits), 0);
    pt_hits_free(hits);
    assert_int_equal(pt_hits_substitution_count(NULL), 0);
}

/* A passage holding no word typed (here only "warrant", which WordNet
 * relates to guarantee) never ranks above one that holds one because of
 * its title ("McCoy guaranteed...") or feedback words: before, the title
 * boost and the feedback words of its article's first passage put it
 * above the only passage on security guarantees. */
static void test_query__typed_words_rank_first(void **state)
{
    (void)state;
    if (!pt_expand_available())
        skip();
    static const char filler[] = "The trainer spoke about the horses in the yard and the season ahead, "
                                 "and the owners listened. ";
    /* the headline is the title only: a text's first line repeating it
     * would be indexed with the first passage (boilerplate.c) */
    char mccoy[4096] = "";
    for (int i = 0; i < 7; i++)
        strcat(mccoy, filler);
    strcat(mccoy, "\nThe jockey would warrant that the horse was fit, and he would warrant it again. ");
    for (int i = 0; i < 4; i++)
        strcat(mccoy, filler);
    char towns[20][128];
    const char *docs[22][2] = {
        {"mccoy", mccoy},
        {"talks", "Talks in Berlin\nLeaders discussed what guarantees Ukraine could get from its partners, "
                  "among many other points raised over two long days of meetings in the German capital, "
                  "where officials from several countries gathered to talk about trade, energy, migration, "
                  "the budget, farming, roads, schools and the weather in the spring."},
    };
    for (int i = 0; i < 20; i++) {
        snprintf(towns[i], sizeof towns[i], "Rain fell on town %d for the third day in a row, and "
                 "forecasters said more was coming to the valley.", i);
        docs[2 + i][0] = towns[i];
        docs[2 + i][1] = towns[i];
    }
    pt_index *ix = NULL;
    char *dir = test_tmpdir();
    assert_int_equal(pt_index_open(&ix, dir, PT_INDEX_CREATE), PT_OK);
    corpus_add_text(ix, docs[0][0], docs[0][1], "McCoy guaranteed a winner at Cheltenham", NULL, NULL);
    corpus_add_text(ix, docs[1][0], docs[1][1], "Talks in Berlin", NULL, NULL);
    for (int i = 2; i < 22; i++)
        corpus_add_text(ix, docs[i][0], docs[i][1], "Local news", NULL, NULL);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    pt_index_free(ix);
    unsigned a;
    pt_hits *hits = NULL;
    assert_int_equal(run(dir, "security guarantees", PT_SEARCH_DEFAULT | PT_SEARCH_NO_GROUP, &a, &hits), PT_OK);
    int without = 0, warrant_seen = 0;
    for (size_t i = 0; i < pt_hits_count(hits); i++) {
        const pt_hit *h = pt_hits_get(hits, i);
        int typed = strstr(h->passage, "guarant") != NULL || strstr(h->passage, "ecurity") != NULL;
        warrant_seen |= strstr(h->passage, "warrant") != NULL && !typed;
        assert_false(typed && without); /* a passage with a word typed after one without */
        without |= !typed;
    }
    assert_true(warrant_seen); /* the passage without is found, below */
    pt_hits_free(hits);
    test_rmdir(dir);
}

/* Parses text without an index; returns ptx_query_describe's text (to
 * free) and leaves the highlight terms in info (to free). */
static char *described(const char *text, pt_query_info *info)
{
    pt_analyzer *an = NULL;
    assert_int_equal(pt_analyzer_new(&an), PT_OK);
    ptx_query *q = NULL;
    assert_int_equal(pt_query_parse(&q, info, an, NULL, text, strlen(text), 0), PT_OK);
    char *d = ptx_query_describe(q);
    ptx_query_free(q);
    pt_analyzer_free(an);
    return d;
}

static int has_term(const pt_query_info *info, const char *term)
{
    for (size_t i = 0; i < info->terms.n; i++)
        if (strcmp(info->terms.terms[i], term) == 0)
            return 1;
    return 0;
}

/* "e.g.", "i.e." and "so-so" (compounds whose parts are all single letters
 * or stopwords) are not searched beside other words, nor highlighted; alone
 * they are, as stopwords are. */
static void test_query__negligible_compounds(void **state)
{
    (void)state;
    pt_query_info info;
    char *d = described("bone e.g. cells, i.e. so-so E.G. marrow", &info);
    assert_null(strstr(d, "eg"));
    assert_null(strstr(d, "ie"));
    assert_null(strstr(d, "soso"));
    assert_null(strstr(d, "PHRASE"));
    assert_non_null(strstr(d, "marrow"));
    assert_false(has_term(&info, "eg") || has_term(&info, "e") || has_term(&info, "g"));
    assert_true(has_term(&info, "bone") && has_term(&info, "cell"));
    free(d);
    d = ptx_query_describe(info.typed_any); /* what title and feedback words may rank */
    assert_string_equal(d, "Query((bone OR cell OR marrow))");
    free(d);
    pt_query_info_free(&info);
    d = described("e.g.", &info);
    assert_non_null(strstr(d, "eg"));
    assert_true(has_term(&info, "eg"));
    free(d);
    pt_query_info_free(&info);
}

/* A compound typed again adds less each time, as a word does: the second
 * "long-term" is scaled, the first is not. */
static void test_query__repeated_compound_saturates(void **state)
{
    (void)state;
    pt_query_info info;
    char *d = described("long-term bone long-term", &info);
    size_t scaled = 0;
    for (const char *at = d; (at = strstr(at, " * ((longterm")) != NULL; at++)
        scaled++;
    assert_int_equal(scaled, 1);
    assert_non_null(strstr(d, "(((longterm"));
    free(d);
    pt_query_info_free(&info);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query__zelensky_family),
        cmocka_unit_test(test_query__place_families),
        cmocka_unit_test(test_query__article_five),
        cmocka_unit_test(test_query__phrase_with_variant),
        cmocka_unit_test(test_query__typed_spelling_ranks_first),
        cmocka_unit_test(test_query__not_and_or),
        cmocka_unit_test(test_query__batch_mode_reads_operators_as_words),
        cmocka_unit_test(test_query__near_and_phrase),
        cmocka_unit_test(test_query__positions_from_text),
        cmocka_unit_test(test_query__proximity_orders_passages),
        cmocka_unit_test(test_query__prefix),
        cmocka_unit_test(test_query__fields),
        cmocka_unit_test(test_query__did_you_mean),
        cmocka_unit_test(test_query__did_you_mean_is_valid_utf8),
        cmocka_unit_test(test_query__bad_queries),
        cmocka_unit_test(test_query__limits),
        cmocka_unit_test(test_query__parser_without_index),
        cmocka_unit_test(test_query__phrase_marks_one_span),
        cmocka_unit_test(test_query__repeated_word_saturates),
        cmocka_unit_test(test_query__negligible_compounds),
        cmocka_unit_test(test_query__substitutions),
        cmocka_unit_test(test_query__typed_words_rank_first),
        cmocka_unit_test(test_query__repeated_compound_saturates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
