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
#include "rank/tune.h"
#include "util/buf.h"
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

/* The title boost is off by default (issue 15: it lost on the news
 * known-item sets held out); PTSEARCH_TUNE=title=W turns it on, and ctest
 * runs this program both ways (test_rank, test_rank_title_on). */
static int title_boost_on(void)
{
    return pt_tune("title", 0.0) > 0;
}

/* Off, a typed word in a title adds no constant: "harbour" ranks as
 * "storm" does, by BM25. On, t's title raises it above u. Either way a
 * title alone matches nothing. */
static void test_rank__title_boost_off_by_default_on_when_tuned(void **state)
{
    (void)state;
    char *dir;
    pt_searcher *s = make_index(&dir, title_docs, 3);
    pt_hits *storm = search_all(s, "storm", PT_SEARCH_NO_GROUP);
    assert_int_equal(pt_hits_count(storm), 2);
    assert_true(score_of(storm, "u") > score_of(storm, "t"));
    pt_hits *harbour = search_all(s, "harbour", PT_SEARCH_NO_GROUP);
    assert_int_equal(rank_of(harbour, title_boost_on() ? "t" : "u"), 1);
    assert_null(hit_of(harbour, "v"));
    assert_int_equal(pt_hits_count(harbour), 2);
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

/* ------------------------------------------------- feedback: weights */

/* The weight feedback gives stem in hit h's explanation ("0.125 * cool"),
 * or 0 when it is not a feedback word there. */
static double feedback_weight(const pt_hit *h, const char *stem)
{
    for (size_t p = 0; p < h->n_explain; p++) {
        const char *star = strstr(h->explain[p].part, " * ");
        if (strcmp(h->explain[p].kind, "feedback") == 0 && star && strcmp(star + 3, stem) == 0)
            return atof(h->explain[p].part);
    }
    return 0;
}

/* The best two passages for "reactor" share "cooling"; "alpha" is in the
 * best one only; "bravo" in no other passage. The two are as long and
 * score alike, so each counts the same. cooling and alpha are each
 * in three passages (the same rarity), so feedback (a relevance model of
 * the two best, each word by the passages holding it) must weigh cooling
 * about twice alpha and leave bravo out: it finds nothing new. */
static const doc weight_docs[] = {
    {"top1", NULL, NULL, "Reactor reactor cooling alpha bravo."},
    {"top2", NULL, NULL, "Reactor reactor cooling delta echo."},
    {"x", NULL, NULL, "Reactor cooling kilo lima mike."},
    {"w", NULL, NULL, "Reactor alpha kilo lima mike."},
    {"w2", NULL, NULL, "Turbine alpha kilo lima mike."},
    {"z", NULL, NULL, "Reactor oscar kilo lima mike."},
};

static void test_rank__feedback_weighs_words_by_the_passages_holding_them(void **state)
{
    (void)state;
    char *dir;
    pt_searcher *s = make_index(&dir, weight_docs, 6);
    pt_hits *plain = search_all(s, "reactor", PT_SEARCH_NO_GROUP);
    pt_hits *fb = search_all(s, "reactor", PT_SEARCH_NO_GROUP | PT_SEARCH_FEEDBACK | PT_SEARCH_EXPLAIN);
    double cool = feedback_weight(hit_of(fb, "top1"), "cool");
    double alpha = feedback_weight(hit_of(fb, "top1"), "alpha");
    assert_true(alpha > 0);
    assert_true(cool > 1.8 * alpha && cool < 2.2 * alpha);
    assert_true(feedback_weight(hit_of(fb, "top1"), "bravo") == 0);
    assert_true(feedback_weight(hit_of(fb, "top1"), "reactor") == 0); /* the query's own word */
    /* x, w and z score alike without feedback; with it, by their word's weight. */
    assert_true(same_score(score_of(plain, "x"), score_of(plain, "w")));
    double gain_x = score_of(fb, "x") - score_of(plain, "x"), gain_w = score_of(fb, "w") - score_of(plain, "w");
    assert_true(gain_w > 0);
    assert_true(gain_x > 1.5 * gain_w);
    assert_true(same_score(score_of(fb, "z"), score_of(plain, "z")));
    assert_null(hit_of(fb, "w2")); /* alpha without reactor: feedback only ranks */
    pt_hits_free(plain);
    pt_hits_free(fb);
    drop_index(s, dir);
}

/* ------------------------------------------ title boost: typed words only */

/* A typed word in the title raises the article, labelled "title"; but not
 * a passage that holds no typed word: tc's title has "concession", its
 * text only WordNet's "concede" (README: title words add only to passages
 * that hold a word typed). */
static const doc title_kind_docs[] = {
    {"tc", "Concession refused", NULL, "Kyiv refused to concede territory in the east."},
    {"uc", "Weather report", NULL, "Kyiv refused to concede territory in the east."},
    {"tk", "Kyiv talks", NULL, "The delegation from Kyiv arrived on Monday."},
    {"uk", "Weather again", NULL, "The delegation from Kyiv arrived on Monday."},
};

static int has_part_of_kind(const pt_hit *h, const char *kind)
{
    for (size_t p = 0; p < h->n_explain; p++)
        if (strcmp(h->explain[p].kind, kind) == 0)
            return 1;
    return 0;
}

static void test_rank__title_boost_only_for_typed_words(void **state)
{
    (void)state;
    char *dir;
    pt_searcher *s = make_index(&dir, title_kind_docs, 4);
    pt_hits *typed = search_all(s, "delegation", PT_SEARCH_NO_GROUP | PT_SEARCH_EXPLAIN);
    assert_true(same_score(score_of(typed, "tk"), score_of(typed, "uk"))); /* no title has delegation */
    pt_hits_free(typed);
    typed = search_all(s, "Kyiv", PT_SEARCH_NO_GROUP | PT_SEARCH_EXPLAIN);
    if (title_boost_on()) {
        assert_true(score_of(typed, "tk") > score_of(typed, "uk") * 1.05);
        assert_true(has_part_of_kind(hit_of(typed, "tk"), "title"));
    } else { /* off (the default): no title part anywhere */
        assert_false(has_part_of_kind(hit_of(typed, "tk"), "title"));
    }
    assert_false(has_part_of_kind(hit_of(typed, "uk"), "title"));
    pt_hits_free(typed);
    if (pt_expand_available()) {
        pt_hits *related = search_all(s, "concession", PT_SEARCH_NO_GROUP | PT_SEARCH_EXPAND | PT_SEARCH_EXPLAIN);
        assert_int_equal(pt_hits_count(related), 2);
        assert_true(same_score(score_of(related, "tc"), score_of(related, "uc")));
        assert_false(has_part_of_kind(hit_of(related, "tc"), "title"));
        pt_hits_free(related);
    }
    drop_index(s, dir);
}

/* ------------------------------------------ suggest: which word, and when */

static const doc suggest_more_docs[] = {
    {"p1", NULL, NULL, "The parley between the generals lasted all night."},
    {"p2", NULL, NULL, "A second parley of the generals was held at dawn near the river."},
    {"p3", NULL, NULL, "After the parley the generals signed the truce."},
    {"p4", NULL, NULL, "A parcel of letters reached the camp by evening."},
};

static void test_rank__suggest_prefers_the_most_frequent_close_word(void **state)
{
    (void)state;
    char *dir;
    pt_searcher *s = make_index(&dir, suggest_more_docs, 4);
    /* parcey is one edit from parley (3 passages) and from parcel (1). */
    assert_suggestion(s, "parcey", "parley");
    /* One letter off at the start is not the same word. */
    assert_suggestion(s, "qarley", NULL);
    /* Three passages or more match: nothing is suggested. */
    assert_suggestion(s, "generals parcey", NULL);
    drop_index(s, dir);
}

/* ------------------------------------------ expand: weights by relation */

/* The same sentence with the word WordNet relates to "concession" in
 * three ways: derived (concede, ×0.4), a synonym of its sense (yielding,
 * ×0.2), a synonym of the derived form (grant, ×0.2). Each word is in one
 * passage, so only the weight sets the score. */
static const doc relation_docs[] = {
    {"derived", NULL, NULL, "Kyiv refused to concede territory in the east."},
    {"synonym", NULL, NULL, "Kyiv refused to yielding territory in the east."},
    {"second", NULL, NULL, "Kyiv refused to grant territory in the east."},
};

static void test_rank__expand_weighs_derived_forms_above_synonyms(void **state)
{
    (void)state;
    if (!pt_expand_available())
        skip(); /* WordNet's data (Debian wordnet-base) are not installed */
    char *dir;
    pt_searcher *s = make_index(&dir, relation_docs, 3);
    pt_hits *wide = search_all(s, "concession", PT_SEARCH_NO_GROUP | PT_SEARCH_EXPAND);
    assert_int_equal(pt_hits_count(wide), 3);
    double derived = score_of(wide, "derived"), synonym = score_of(wide, "synonym");
    assert_true(derived > 1.8 * synonym && derived < 2.2 * synonym); /* 0.4 / 0.2 */
    assert_true(same_score(synonym, score_of(wide, "second")));
    pt_hits_free(wide);
    drop_index(s, dir);
}

/* ------------------------------------------ highlight: kinds and phrases */

/* Through a search: the phrase whole is one span of kind phrase, its words
 * elsewhere unmarked; Kiev (a variant of Kyiv), progress (typed), advance
 * (WordNet's, related) each with their kind. */
static const doc kinds_docs[] = {
    {"k", NULL, NULL, "Peace talks in Kiev made progress and the army made an advance; talks of peace go on."},
    {"k2", NULL, NULL, "Kyiv said the talks were over."},
};

static void test_rank__highlight_kinds_and_phrase_spans(void **state)
{
    (void)state;
    char *dir;
    pt_searcher *s = make_index(&dir, kinds_docs, 2);
    unsigned flags = PT_SEARCH_NO_GROUP | (pt_expand_available() ? PT_SEARCH_EXPAND : 0);
    pt_hits *hits = search_all(s, "\"peace talks\" Kyiv progress", flags);
    const pt_hit *k = hit_of(hits, "k");
    assert_non_null(k);
    char got[512] = "";
    for (size_t i = 0; i < k->n_highlights; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%.*s=%s", i ? "|" : "",
                 (int)(k->highlights[i].end - k->highlights[i].start), k->passage + k->highlights[i].start,
                 pt_mark_kind_name(k->highlight_kinds[i]));
    assert_string_equal(got, pt_expand_available()
                                 ? "Peace talks=phrase|Kiev=variant|progress=typed|advance=related"
                                 : "Peace talks=phrase|Kiev=variant|progress=typed");
    const pt_hit *k2 = hit_of(hits, "k2");
    assert_int_equal(k2->n_highlights, 1); /* "talks" alone is a phrase word: not marked */
    assert_int_equal(k2->highlight_kinds[0], PT_MARK_TYPED);
    pt_hits_free(hits);
    drop_index(s, dir);
}

/* ------------------------------------------ proximity: how near */

/* grain and corridor side by side, one word apart, and five apart, in
 * passages of the same words: the bonus (PT_PROXIMITY_WINDOW 2: the two
 * words next to each other) reaches the first alone; and only words
 * juxtaposed in the query (not "grain OR corridor") earn it. */
static const doc window_docs[] = {
    {"adjacent", NULL, NULL, "Ships carried the grain corridor cargo from ports across the wide sea today."},
    {"gap1", NULL, NULL, "Ships carried the grain cargo corridor from ports across the wide sea today."},
    {"gap5", NULL, NULL, "Ships carried the grain cargo from ports across the corridor wide sea today."},
};

static void test_rank__proximity_only_for_words_side_by_side(void **state)
{
    (void)state;
    char *dir;
    pt_searcher *s = make_index(&dir, window_docs, 3);
    pt_hits *pair = search_all(s, "grain corridor", PT_SEARCH_NO_GROUP);
    assert_true(score_of(pair, "adjacent") > score_of(pair, "gap1") * 1.05);
    assert_true(same_score(score_of(pair, "gap1"), score_of(pair, "gap5")));
    pt_hits *either = search_all(s, "grain OR corridor", PT_SEARCH_NO_GROUP);
    assert_true(same_score(score_of(either, "adjacent"), score_of(either, "gap1")));
    pt_hits_free(pair);
    pt_hits_free(either);
    drop_index(s, dir);
}

/* ------------------------------------------ per article */

/* An article of three passages (each sentence about 70 words, so no two
 * fit in one) that all hold the word, and one of one passage: K per
 * article caps the first, 0 lists all. */
static char *long_article(void)
{
    static const char *const fillers[] = {"river", "market", "bridge", "station", "harbour", "valley", "tower"};
    pt_buf b = PT_BUF_INIT;
    for (int sentence = 0; sentence < 3; sentence++) {
        assert_int_equal(pt_buf_append_str(&b, "The corridor"), 0);
        for (int w = 0; w < 70; w++) {
            assert_int_equal(pt_buf_append_str(&b, " "), 0);
            assert_int_equal(pt_buf_append_str(&b, fillers[(w + sentence) % 7]), 0);
        }
        assert_int_equal(pt_buf_append_str(&b, sentence < 2 ? ". " : "."), 0);
    }
    assert_int_equal(pt_buf_append_byte(&b, '\0'), 0);
    return b.data;
}

static size_t hits_of(const pt_hits *hits, const char *id)
{
    size_t n = 0;
    for (size_t i = 0; i < pt_hits_count(hits); i++)
        n += strcmp(pt_hits_get(hits, i)->article, id) == 0;
    return n;
}

static void test_rank__at_most_k_passages_per_article(void **state)
{
    (void)state;
    char *text = long_article();
    const doc docs[] = {
        {"long", NULL, NULL, text},
        {"short", NULL, NULL, "Trucks queued at the border corridor for days."},
    };
    char *dir;
    pt_searcher *s = make_index(&dir, docs, 2);
    for (unsigned k = 0; k <= 3; k++) {
        pt_search_opts o = PT_SEARCH_OPTS_INIT;
        o.max_hits = 10;
        o.per_article = k;
        o.flags |= PT_SEARCH_NO_GROUP; /* the three passages are alike enough to be grouped as copies */
        pt_hits *hits = NULL;
        assert_int_equal(pt_search(&hits, s, "corridor", &o), PT_OK);
        assert_int_equal(hits_of(hits, "long"), k == 0 ? 3 : k);
        assert_int_equal(hits_of(hits, "short"), 1);
        for (size_t i = 0; i < pt_hits_count(hits); i++)
            assert_int_equal(pt_hits_get(hits, i)->rank, i + 1);
        pt_hits_free(hits);
    }
    drop_index(s, dir);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rank__feedback_adds_content_words_of_the_best_passages),
        cmocka_unit_test(test_rank__feedback_words_are_not_highlighted),
        cmocka_unit_test(test_rank__title_boost_off_by_default_on_when_tuned),
        cmocka_unit_test(test_rank__suggest_replaces_unknown_words_within_two_edits),
        cmocka_unit_test(test_rank__expand_finds_related_words_ranked_below_the_typed_one),
        cmocka_unit_test(test_rank__highlight_marks_what_matched_and_merges_overlaps),
        cmocka_unit_test(test_rank__proximity_raises_passages_holding_the_words_together),
        cmocka_unit_test(test_rank__grouping_shows_a_copied_passage_once_with_also_in),
        cmocka_unit_test(test_rank__feedback_weighs_words_by_the_passages_holding_them),
        cmocka_unit_test(test_rank__title_boost_only_for_typed_words),
        cmocka_unit_test(test_rank__suggest_prefers_the_most_frequent_close_word),
        cmocka_unit_test(test_rank__expand_weighs_derived_forms_above_synonyms),
        cmocka_unit_test(test_rank__highlight_kinds_and_phrase_spans),
        cmocka_unit_test(test_rank__proximity_only_for_words_side_by_side),
        cmocka_unit_test(test_rank__at_most_k_passages_per_article),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
