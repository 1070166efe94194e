/* test_rank.c — the ranking steps after the query parser, each on a tiny
 * index made for it, through the public API: pseudo-relevance feedback,
 * the title boost, "did you mean", WordNet expansion, highlights, the
 * proximity bonus and the grouping of copies (also_in). Each test builds
 * passages that differ only in what the step looks at, so that a step that
 * stops working (or starts doing more) changes a score or an order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "analysis/analyzer.h"
#include "query/expand.h"
#include "rank/highlight.h"
#include "ptsearch.h"
#include "test_util.h"

/* An article of a test index: one short paragraph makes one passage. */
typedef struct {
    const char *id, *title, *source, *text;
} doc;

/* Unrelated articles, so that the words under test are rare (BM25 gives a
 * word in most passages almost nothing). */
static const doc filler[] = {
    {"f1", NULL, NULL, "Farmers in the valley harvested wheat before the early frost arrived."},
    {"f2", NULL, NULL, "The city council approved a new budget for public libraries and parks."},
    {"f3", NULL, NULL, "A museum exhibition of medieval maps opened to large crowds on Sunday."},
    {"f4", NULL, NULL, "Fishermen reported record catches of herring along the northern coast."},
    {"f5", NULL, NULL, "Teachers held a conference about mathematics lessons for young pupils."},
    {"f6", NULL, NULL, "The orchestra rehearsed a symphony by a forgotten baroque composer."},
};

static void add_docs(pt_index *ix, const doc *docs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        pt_article a = PT_ARTICLE_INIT;
        a.id = docs[i].id;
        a.title = docs[i].title;
        a.source = docs[i].source;
        a.text = docs[i].text;
        a.text_len = strlen(docs[i].text);
        assert_int_equal(pt_index_add(ix, &a, NULL), PT_OK);
    }
}

/* A new index of docs and the filler, open for searching. */
static pt_searcher *make_index(char **dir, const doc *docs, size_t n)
{
    *dir = test_tmpdir();
    assert_non_null(*dir);
    pt_index *ix = NULL;
    assert_int_equal(pt_index_open(&ix, *dir, PT_INDEX_CREATE), PT_OK);
    add_docs(ix, docs, n);
    add_docs(ix, filler, sizeof filler / sizeof *filler);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    pt_index_free(ix);
    pt_searcher *s = NULL;
    assert_int_equal(pt_searcher_open(&s, *dir), PT_OK);
    return s;
}

static void drop_index(pt_searcher *s, char *dir)
{
    pt_searcher_free(s);
    test_rmdir(dir);
}

/* Every passage query matches (up to 50, any number per article). */
static pt_hits *search_all(pt_searcher *s, const char *query, unsigned flags)
{
    pt_search_opts o = PT_SEARCH_OPTS_INIT;
    o.max_hits = 50;
    o.per_article = 0;
    o.flags = flags;
    pt_hits *hits = NULL;
    assert_int_equal(pt_search(&hits, s, query, &o), PT_OK);
    return hits;
}

/* The hit of article id, or NULL. */
static const pt_hit *hit_of(const pt_hits *hits, const char *id)
{
    for (size_t i = 0; i < pt_hits_count(hits); i++)
        if (strcmp(pt_hits_get(hits, i)->article, id) == 0)
            return pt_hits_get(hits, i);
    return NULL;
}

static double score_of(const pt_hits *hits, const char *id)
{
    const pt_hit *h = hit_of(hits, id);
    assert_non_null(h);
    return h->score;
}

static unsigned rank_of(const pt_hits *hits, const char *id)
{
    const pt_hit *h = hit_of(hits, id);
    assert_non_null(h);
    return h->rank;
}

/* Two scores equal but for rounding. */
static int same_score(double a, double b)
{
    return fabs(a - b) <= 1e-9 * (fabs(a) + fabs(b) + 1);
}

/* ------------------------------------------------------------ feedback */

/* The two best passages for "reactor" (top1, top2) share a content word
 * (cooling), a stopword of the list that stems to itself (against), one
 * that does not (yourselves), and a number (1987). Of three passages that
 * match the query equally, x has the content word, y the stopwords and the
 * number, z none of them: feedback must raise x alone, and add neither
 * the query's own word nor stopwords nor numbers. */
static const doc feedback_docs[] = {
    {"top1", NULL, NULL, "Reactor reactor cooling against yourselves 1987 alpha."},
    {"top2", NULL, NULL, "Reactor reactor cooling against yourselves 1987 bravo."},
    {"x", NULL, NULL, "Reactor cooling charlie delta echo foxtrot golf."},
    {"y", NULL, NULL, "Reactor against yourselves 1987 hotel india juliet."},
    {"z", NULL, NULL, "Reactor kilo lima mike november oscar papa."},
};

static void test_rank__feedback_adds_content_words_of_the_best_passages(void **state)
{
    (void)state;
    char *dir;
    pt_searcher *s = make_index(&dir, feedback_docs, 5);
    pt_hits *plain = search_all(s, "reactor", PT_SEARCH_NO_GROUP);
    pt_hits *fb = search_all(s, "reactor", PT_SEARCH_NO_GROUP | PT_SEARCH_FEEDBACK);
    assert_int_equal(pt_hits_count(plain), 5);
    assert_int_equal(pt_hits_count(fb), 5); /* feedback only ranks: no new passage */
    /* The stopwords are index terms: feedback could have taken them. */
    pt_hits *stop = search_all(s, "yourselves", PT_SEARCH_KEEP_STOPWORDS);
    assert_non_null(hit_of(stop, "y"));
    pt_hits_free(stop);

    assert_true(same_score(score_of(plain, "x"), score_of(plain, "y")));
    assert_true(same_score(score_of(plain, "x"), score_of(plain, "z")));
    assert_true(score_of(fb, "x") > score_of(plain, "x") * 1.01);
    assert_true(same_score(score_of(fb, "y"), score_of(plain, "y")));
    assert_true(same_score(score_of(fb, "z"), score_of(plain, "z")));
    assert_int_equal(rank_of(fb, "x"), 3); /* right after the two best */
    pt_hits_free(plain);
    pt_hits_free(fb);
    drop_index(s, dir);
}

/* Feedback's words only rank: they are not highlighted. */
static void test_rank__feedback_words_are_not_highlighted(void **state)
{
    (void)state;
    char *dir;
    pt_searcher *s = make_index(&dir, feedback_docs, 5);
    pt_hits *fb = search_all(s, "reactor", PT_SEARCH_NO_GROUP | PT_SEARCH_FEEDBACK);
    const pt_hit *x = hit_of(fb, "x");
    assert_non_null(x);
    assert_int_equal(x->n_highlights, 1);
    assert_int_equal(x->highlights[0].start, 0);
    assert_int_equal(x->highlights[0].end, strlen("Reactor"));
    pt_hits_free(fb);
    drop_index(s, dir);
}

/* ------------------------------------------------------------ title boost */

/* t and u have "harbour" and "storm" once each in their bodies; u's body is
 * shorter, so BM25 ranks it first. Only t's title holds "harbour"; v's
 * title holds it but its body does not. */
static const doc title_docs[] = {
    {"t", "Harbour reopens", NULL,
     "The harbour reopened after the storm passed over the little town late yesterday evening."},
    {"u", "Weather report", NULL, "The harbour reopened after the storm."},
    {"v", "Harbour cranes", NULL, "Dockworkers repaired the cranes all week."},
};

static void test_rank__title_boost_raises_articles_titled_with_a_typed_word(void **state)
{
    (void)state;
    char *dir;
    pt_searcher *s = make_index(&dir, title_docs, 3);
    /* No title holds "storm": the shorter passage wins, as BM25 has it. */
    pt_hits *storm = search_all(s, "storm", PT_SEARCH_NO_GROUP);
    assert_int_equal(pt_hits_count(storm), 2);
    assert_true(score_of(storm, "u") > score_of(storm, "t"));
    /* t's title holds "harbour": it now ranks above u. */
    pt_hits *harbour = search_all(s, "harbour", PT_SEARCH_NO_GROUP);
    assert_true(score_of(harbour, "t") > score_of(harbour, "u"));
    assert_int_equal(rank_of(harbour, "t"), 1);
    /* The boost only ranks: a title alone matches nothing. */
    assert_null(hit_of(harbour, "v"));
    assert_int_equal(pt_hits_count(harbour), 2);
    /* u gets nothing from the other titles: its score is storm's share. */
    assert_true(score_of(harbour, "u") < score_of(harbour, "t") * 0.9);
    pt_hits_free(storm);
    pt_hits_free(harbour);
    drop_index(s, dir);
}

/* ------------------------------------------------------------ suggest */

static const doc suggest_docs[] = {
    {"s1", NULL, NULL, "The parliament debated how the nation should pay its debts."},
    {"s2", NULL, NULL, "A parliament committee asked the nation to save energy."},
    {"s3", NULL, NULL, "The parliament voted while the nation watched."},
    {"s4", NULL, NULL, "The notion of fairness was explained to every family."},
};

/* The suggestion for query (NULL: none), copied. */
static char *suggestion_for(pt_searcher *s, const char *query)
{
    pt_hits *hits = search_all(s, query, 0);
    const char *sug = pt_hits_suggestion(hits);
    char *copy = sug ? strdup(sug) : NULL;
    pt_hits_free(hits);
    return copy;
}

static void assert_suggestion(pt_searcher *s, const char *query, const char *expected)
{
    char *got = suggestion_for(s, query);
    if (expected && !got)
        fail_msg("'%s': '%s' expected, got no suggestion", query, expected);
    else if (expected)
        assert_string_equal(got, expected);
    else if (got)
        fail_msg("'%s': no suggestion expected, got '%s'", query, got);
    free(got);
}

static void test_rank__suggest_replaces_unknown_words_within_two_edits(void **state)
{
    (void)state;
    char *dir;
    pt_searcher *s = make_index(&dir, suggest_docs, 4);
    assert_suggestion(s, "parliment", "parliament");      /* 1 edit */
    assert_suggestion(s, "parlement", "parliament");      /* 2 edits, for 7 letters or more */
    assert_suggestion(s, "prlimant", NULL);               /* 3 edits: too far */
    assert_suggestion(s, "natiox", "nation");             /* a shorter word: 1 edit */
    assert_suggestion(s, "natoxn", NULL);                 /* ... and no more */
    /* A word the index holds stays, however rare: notion is not nation. */
    assert_suggestion(s, "notion", NULL);
    assert_suggestion(s, "notion parliment", "notion parliament");
    drop_index(s, dir);
}

/* ------------------------------------------------------------ expand */

static const doc expand_docs[] = {
    {"e1", NULL, NULL, "Kyiv refused to concede territory in the east."},
    {"e2", NULL, NULL, "The concession on territory was rejected by Kyiv."},
    {"e3", NULL, NULL, "A limousine drove the delegation to the airport."},
    {"e4", NULL, NULL, "Officials met in Berlin for the talks."},
};

static void test_rank__expand_finds_related_words_ranked_below_the_typed_one(void **state)
{
    (void)state;
    if (!pt_expand_available())
        skip(); /* WordNet's data (Debian wordnet-base) are not installed */
    char *dir;
    pt_searcher *s = make_index(&dir, expand_docs, 4);
    pt_hits *plain = search_all(s, "concession", 0);
    assert_int_equal(pt_hits_count(plain), 1);
    pt_hits *wide = search_all(s, "concession", PT_SEARCH_EXPAND);
    assert_int_equal(pt_hits_count(wide), 2);
    assert_int_equal(rank_of(wide, "e2"), 1); /* the word typed first */
    assert_true(score_of(wide, "e1") < score_of(wide, "e2") * 0.6);
    const pt_hit *e1 = hit_of(wide, "e1");
    assert_int_equal(e1->n_highlights, 1); /* the related word is marked */
    assert_memory_equal(e1->passage + e1->highlights[0].start, "concede", 7);
    pt_hits *exact = search_all(s, "concession", PT_SEARCH_EXPAND | PT_SEARCH_EXACT);
    assert_int_equal(pt_hits_count(exact), 1); /* EXACT wins */
    pt_hits *name = search_all(s, "Berlin", PT_SEARCH_EXPAND);
    assert_int_equal(pt_hits_count(name), 1); /* not the berlin that is a limousine */
    assert_non_null(hit_of(name, "e4"));
    pt_hits_free(plain);
    pt_hits_free(wide);
    pt_hits_free(exact);
    pt_hits_free(name);
    drop_index(s, dir);
}

/* ------------------------------------------------------------ highlight */

/* The text of each range, joined by "|". */
static char *marked(const char *text, const pt_range *r, size_t n)
{
    size_t size = strlen(text) + n + 1, len = 0;
    char *out = malloc(size);
    assert_non_null(out);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        assert_true(r[i].start < r[i].end && r[i].end <= strlen(text));
        if (i)
            assert_true(r[i].start > r[i - 1].end); /* sorted, merged */
        len += (size_t)snprintf(out + len, size - len, "%s%.*s", i ? "|" : "", (int)(r[i].end - r[i].start),
                                text + r[i].start);
    }
    return out;
}

/* The marks a search for query puts on text: *r[0..*n), malloc'd. */
static void highlight_query(pt_analyzer *an, const char *query, const char *text, pt_range **r, size_t *n)
{
    ptx_query *q = NULL;
    pt_query_info info;
    pt_mark_kind *kinds = NULL;
    assert_int_equal(pt_query_parse(&q, &info, an, NULL, query, strlen(query), 0), PT_OK);
    assert_int_equal(pt_highlight(r, &kinds, n, an, text, strlen(text), &info), PT_OK);
    free(kinds);
    ptx_query_free(q);
    pt_query_info_free(&info);
}

static void test_rank__highlight_marks_what_matched_and_merges_overlaps(void **state)
{
    (void)state;
    pt_analyzer *an = NULL;
    assert_int_equal(pt_analyzer_new(&an), PT_OK);
    const char *text = "Peace-talks resumed; the stalking TALKER talked of peace.";
    pt_range *r = NULL;
    size_t n = 0;
    highlight_query(an, "talk", text, &r, &n);
    char *m = marked(text, r, n);
    assert_string_equal(m, "talks|talked"); /* stems, not substrings: no stalking, no talker */
    free(m);
    free(r);

    highlight_query(an, "peace-talks peace", text, &r, &n);
    m = marked(text, r, n);
    /* the compound covers its parts: one range; its part "talk" is searched too */
    assert_string_equal(m, "Peace-talks|talked|peace");
    free(m);
    free(r);

    highlight_query(an, "negotiations", text, &r, &n);
    assert_int_equal(n, 0);
    assert_null(r);
    pt_analyzer_free(an);
}

/* ------------------------------------------------------------ proximity */

/* The same words, as often, in passages of the same length: near ranks
 * them together (in either order), far apart does not. */
static const doc proximity_docs[] = {
    {"near", NULL, NULL, "Ships carried the grain corridor cargo from southern ports across the sea today."},
    {"reversed", NULL, NULL, "Ships carried the corridor grain cargo from southern ports across the sea today."},
    {"far", NULL, NULL, "Ships carried the grain cargo from southern ports across the corridor sea today."},
};

static void test_rank__proximity_raises_passages_holding_the_words_together(void **state)
{
    (void)state;
    char *dir;
    pt_searcher *s = make_index(&dir, proximity_docs, 3);
    pt_hits *one = search_all(s, "grain", PT_SEARCH_NO_GROUP);
    assert_true(same_score(score_of(one, "near"), score_of(one, "far")));
    pt_hits *pair = search_all(s, "grain corridor", PT_SEARCH_NO_GROUP);
    assert_int_equal(pt_hits_count(pair), 3);
    assert_true(score_of(pair, "near") > score_of(pair, "far") * 1.05);
    assert_true(same_score(score_of(pair, "near"), score_of(pair, "reversed")));
    assert_int_equal(rank_of(pair, "far"), 3);
    pt_hits_free(one);
    pt_hits_free(pair);
    drop_index(s, dir);
}

/* ------------------------------------------------------------ grouping */

#define WIRE "Exporters welcomed the reopening of the grain corridor at Odesa on Monday, officials said."
static const doc group_docs[] = {
    {"w1", NULL, "AP", WIRE},
    {"w2", NULL, "Reuters", WIRE},
    {"w3", NULL, "AFP", "Exporters welcomed the reopening of the grain corridor at Odesa on Monday, officials said!"},
    {"o1", NULL, "BBC", "Trucks queued at the border corridor for days as the inspections slowed."},
};

static void test_rank__grouping_shows_a_copied_passage_once_with_also_in(void **state)
{
    (void)state;
    char *dir;
    pt_searcher *s = make_index(&dir, group_docs, 4);
    pt_hits *apart = search_all(s, "corridor", PT_SEARCH_NO_GROUP);
    assert_int_equal(pt_hits_count(apart), 4);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(pt_hits_get(apart, i)->n_also_in, 0);

    pt_hits *grouped = search_all(s, "corridor", 0);
    assert_int_equal(pt_hits_count(grouped), 2);
    const pt_hit *wire = NULL;
    for (size_t i = 0; i < 2; i++) {
        const pt_hit *h = pt_hits_get(grouped, i);
        assert_int_equal(h->rank, i + 1);
        if (h->article[0] == 'w')
            wire = h;
    }
    assert_non_null(wire);
    assert_int_equal(wire->n_also_in, 2);
    /* The leader and its copies are the three wire articles, each once,
     * with their own sources; the copies score no higher than the leader. */
    int seen[3] = {0};
    seen[wire->article[1] - '1']++;
    for (size_t k = 0; k < 2; k++) {
        const pt_also *a = &wire->also_in[k];
        assert_true(a->article[0] == 'w');
        seen[a->article[1] - '1']++;
        assert_non_null(a->source);
        assert_string_equal(a->source, group_docs[a->article[1] - '1'].source);
        assert_true(a->score <= wire->score);
    }
    assert_true(seen[0] == 1 && seen[1] == 1 && seen[2] == 1);
    assert_int_equal(hit_of(grouped, "o1")->n_also_in, 0);
    pt_hits_free(apart);
    pt_hits_free(grouped);
    drop_index(s, dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rank__feedback_adds_content_words_of_the_best_passages),
        cmocka_unit_test(test_rank__feedback_words_are_not_highlighted),
        cmocka_unit_test(test_rank__title_boost_raises_articles_titled_with_a_typed_word),
        cmocka_unit_test(test_rank__suggest_replaces_unknown_words_within_two_edits),
        cmocka_unit_test(test_rank__expand_finds_related_words_ranked_below_the_typed_one),
        cmocka_unit_test(test_rank__highlight_marks_what_matched_and_merges_overlaps),
        cmocka_unit_test(test_rank__proximity_raises_passages_holding_the_words_together),
        cmocka_unit_test(test_rank__grouping_shows_a_copied_passage_once_with_also_in),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
