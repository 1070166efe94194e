/* test_boilerplate.c — unit tests of the paragraph filter
 * (lib/analysis/boilerplate.c): the boilerplate of the seed corpus is dropped,
 * every other line of it is kept, and near misses (prose that mentions
 * Getty Images, "leave a reply" in a sentence, CamelCase brand names) are
 * kept too; captions, date lines, and with a context the lines a source
 * repeats (recurring.c) and the repeated headline. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/boilerplate.h"
#include "util/buf.h"
#include "ptsearch.h"
#include "analysis/recurring.h"
#include "store/schema.h"
#include "xapian/xapian_binding.h"
#include "test_util.h"

/* ------------------------------------------------------------ helpers */

static const char *const corpus_files[] = {
    "000_f4220b2ff6c08dc0.txt", "001_ed0bf67eabdc8bc4.txt", "002_fa79ad35558de7c7.txt",
    "003_d7a71e417279a752.txt", "004_e43b9b220f213307.txt",
};

/* The seed lines that are boilerplate, exactly (after trimming). The run
 * of headlines in 000 is matched by its beginning. */
static const char *const dropped_lines[] = {
    "Spread the love",
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
    "See Also: How A State-Backed Russian Outfit Financed Pro-Kremlin Activities In Ukraine",
    "See Also: Zelenskyy Open To Wartime Elections In Ukraine If US, Allies Can Guarantee Security",
    "John Macdougall | Afp | Getty Images",
    "President Volodymyr Zelenskiy says after talks with Steve Witkoff that differences remain over land. -AP",
    "date 2025-12-15 This article was originally published in Radio Free Europe/Radio Liberty (RFE/RL). "
    "Read the original article.",
};
static const char headline_run_start[] = "TSA is giving airline passenger data to ICE";

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Calls fn on each non-blank line of text, trimmed, as passage.c does. */
static void each_line(const char *text, size_t len,
                      void (*fn)(const char *text, size_t start, size_t end, void *arg), void *arg)
{
    size_t line = 0;
    while (line < len) {
        size_t line_end = line;
        while (line_end < len && text[line_end] != '\n' && text[line_end] != '\r')
            line_end++;
        size_t start = line, end = line_end;
        while (start < end && is_space(text[start]))
            start++;
        while (end > start && is_space(text[end - 1]))
            end--;
        if (start < end)
            fn(text, start, end, arg);
        line = line_end + 1;
    }
}

static int is_dropped_line(const char *text, size_t start, size_t end)
{
    size_t n = end - start;
    for (size_t k = 0; k < sizeof dropped_lines / sizeof dropped_lines[0]; k++) {
        if (strlen(dropped_lines[k]) == n && memcmp(text + start, dropped_lines[k], n) == 0)
            return 1;
    }
    size_t h = sizeof headline_run_start - 1;
    return n > h && memcmp(text + start, headline_run_start, h) == 0;
}

typedef struct {
    const char *file;
    size_t kept, dropped;
} corpus_tally;

static void check_line(const char *text, size_t start, size_t end, void *arg)
{
    corpus_tally *tally = arg;
    int want = !is_dropped_line(text, start, end);
    int got = pt_boilerplate_keep(text, start, end, NULL);
    if (got != want)
        fail_msg("%s: expected %s: \"%.*s\"", tally->file, want ? "kept" : "dropped",
                 (int)(end - start), text + start);
    if (want)
        tally->kept++;
    else
        tally->dropped++;
}

/* pt_boilerplate_keep on a whole string, passed without its NUL. */
static int keep(const char *s)
{
    size_t n = strlen(s);
    char *copy = malloc(n ? n : 1);
    assert_non_null(copy);
    memcpy(copy, s, n);
    int kept = pt_boilerplate_keep(copy, 0, n, NULL);
    free(copy);
    return kept;
}

#define assert_kept(s) \
    do { if (!keep(s)) fail_msg("dropped but should be kept: \"%s\"", s); } while (0)
#define assert_dropped(s) \
    do { if (keep(s)) fail_msg("kept but should be dropped: \"%s\"", s); } while (0)

/* -------------------------------------------------------------- corpus */

static void test_boilerplate__seed_corpus_lines(void **state)
{
    (void)state;
    size_t dropped = 0;
    for (size_t k = 0; k < sizeof corpus_files / sizeof corpus_files[0]; k++) {
        test_bytes file = test_read_corpus(corpus_files[k]);
        char *text = file.data;
        size_t len = file.len;
        corpus_tally tally = { corpus_files[k], 0, 0 };
        each_line(text, len, check_line, &tally);
        assert_true(tally.kept > 0);
        dropped += tally.dropped;
        free(text);
    }
    /* Every entry of the drop list was met, and the run of headlines. */
    assert_int_equal(dropped, sizeof dropped_lines / sizeof dropped_lines[0] + 1);
}

static void test_boilerplate__headline_run_dropped(void **state)
{
    (void)state;
    test_bytes file = test_read_corpus("000_f4220b2ff6c08dc0.txt");
    char *text = file.data;
    size_t len = file.len;
    char *run = strstr(text, headline_run_start);
    assert_non_null(run);
    size_t start = (size_t)(run - text);
    size_t end = start;
    while (end < len && text[end] != '\n')
        end++;
    assert_int_equal(pt_boilerplate_keep(text, start, end, NULL), 0);
    /* A piece of it that still holds several seams is dropped too. */
    assert_dropped("Trump sued by preservation group seeking to halt White House ballroom "
                   "projectTrump says \xE2\x80\x98no big deal\xE2\x80\x99 after new Epstein photos "
                   "showing him releasedPutin can fund war for years, ex-official says as "
                   "Trump\xE2\x80\x99s resolve is testedIndiana redistricting bill that Trump "
                   "demanded defeated in state SenateHouse passes INVEST Act");
    free(text);
}

/* -------------------------------------------------------------- prompts */

static void test_boilerplate__share_and_comment_prompts(void **state)
{
    (void)state;
    assert_dropped("Spread the love");
    assert_dropped("  SPREAD THE LOVE  ");
    assert_dropped("Leave a Reply");
    assert_dropped("Leave a comment.");
    assert_dropped("Share this:");
    assert_dropped("Share this article");
    assert_dropped("Like this:");
    assert_dropped("Related");
    assert_dropped("Advertisement");
    assert_dropped("Click to share on Facebook (Opens in new window)");
    assert_dropped("Your email address will not be published. Required fields are marked *");
    assert_dropped("Your email address will not be published.");
    assert_dropped("Subscribe to our newsletter");
    assert_dropped("Sign up for our daily newsletter");
    assert_dropped("Read more:");
    assert_dropped("Read the original article.");
}

static void test_boilerplate__link_lines(void **state)
{
    (void)state;
    assert_dropped("See Also: How A State-Backed Russian Outfit Financed Pro-Kremlin Activities In Ukraine");
    assert_dropped("See also: Kyiv says talks are constructive");
    assert_dropped("Read also: EU leaders meet in Brussels");
    assert_dropped("Related: Zelensky meets Merz in Berlin");
    assert_dropped("READ MORE: Ukraine peace talks continue");
    /* A long paragraph after the label is text, not a link. */
    assert_kept("See also: the officials said the talks would continue through the weekend, "
                "and that the negotiators would meet in Miami to discuss the territorial "
                "questions that remain open, including Donetsk and the security guarantees.");
}

/* -------------------------------------------------------- photo credits */

static void test_boilerplate__photo_credits(void **state)
{
    (void)state;
    assert_dropped("John Macdougall | Afp | Getty Images");
    assert_dropped("Sean Gallup / Getty Images");
    assert_dropped("Sean Gallup/Getty Images");
    assert_dropped("Bloomberg | Bloomberg | Getty Images");
    assert_dropped("Andrew Harnik | Bloomberg via Getty Images");
    assert_dropped("AP Photo/Efrem Lukatsky");
    assert_dropped("REUTERS/Gleb Garanich");
    assert_dropped("Photo: Reuters");
    assert_dropped("Credit: Shutterstock");
    assert_dropped("(Photo by Tobias Schwarz/AFP via Getty Images)");
}

/* ---------------------------------------------------------- near misses */

static void test_boilerplate__near_misses_kept(void **state)
{
    (void)state;
    assert_kept("The photograph, distributed by Getty Images, showed Zelensky and Merz "
                "shaking hands at the Chancellery.");
    assert_kept("He said: leave a reply by Friday.");
    assert_kept("Zelenskyy said in a WhatsApp chat that he would send the plan to his team by "
                "iPhone, and the WhatsApp group later shared it on YouTube and LinkedIn.");
    assert_kept("Officials from McDonald's, DeSantis's office and the MacArthur Foundation, "
                "each with a PhD, met on eBay's campus.");
    assert_kept("Related coverage of the talks appeared in several newspapers on Monday.");
    assert_kept("Advertisement revenue fell sharply in the third quarter, the company said.");
    assert_kept("Share this with your friends, Zelensky told the crowd in Kyiv on Monday.");
    assert_kept("Reuters reported that the talks in Berlin would continue on Tuesday.");
    assert_kept("The deal was reported by Reuters / Ipsos pollsters and by several other "
                "organisations that track public opinion in Europe and in the United States.");
    assert_kept("with AP");
    assert_kept("Radio Free Europe/Radio Liberty (RFE/RL)");
    /* Two glued headlines are not enough to be sure. */
    assert_kept("Trump sued by preservation group seeking to halt White House ballroom "
                "projectTrump says no big deal after new photos showing him released");
}

static void test_boilerplate__empty_and_offsets(void **state)
{
    (void)state;
    const char text[] = "Real sentence here.\nSpread the love\nAnother one.";
    assert_int_equal(pt_boilerplate_keep(text, 0, 19, NULL), 1);
    assert_int_equal(pt_boilerplate_keep(text, 20, 35, NULL), 0);
    assert_int_equal(pt_boilerplate_keep(text, 36, sizeof text - 1, NULL), 1);
    assert_int_equal(pt_boilerplate_keep(text, 5, 5, NULL), 1);
}


/* ------------------------------------------------------ captions, dates */

static void test_boilerplate__captions_ending_in_credit(void **state)
{
    (void)state;
    assert_dropped("President Volodymyr Zelenskiy says after talks with Steve Witkoff that "
                   "differences remain over land. -AP");
    assert_dropped("Rescuers search the rubble in Kyiv on Monday. \xE2\x80\x94 Reuters");
    assert_dropped("Rescuers search the rubble in Kyiv on Monday. (AP Photo/Efrem Lukatsky)");
    /* A name after a dash signs a post as often as a photo: kept. */
    assert_kept("If interested please send E-mail to the address below. - Mike Smith");
    assert_kept("I will accept the best offer. (Offer does not include shipping from Bethlehem, PA)");
    assert_kept("The talks ended late, the AP reported. -AP reporters said more would follow soon, "
                "and that the next round would be held in Miami after the weekend break, as officials "
                "in Berlin and Washington said on Monday evening in a joint statement to the press.");
}

static void test_boilerplate__date_and_notice_lines(void **state)
{
    (void)state;
    assert_dropped(" date 2025-12-15 This article was originally published in Radio Free "
                   "Europe/Radio Liberty (RFE/RL). Read the original article.");
    assert_dropped("date 2025-12-15");
    assert_dropped("Date: December 16, 2025");
    assert_dropped("This article was originally published in The Conversation. Read the original article.");
    assert_kept("The report was originally published in 2019 by the ministry and revised twice since.");
    assert_kept("Dates for the next talks have not been set.");
    /* Without a context a date alone is kept: it may head a timeline entry. */
    assert_kept("December 16, 2025");
}

/* ---------------------------------------------------- with a context */

/* The paragraphs of text that filter keeps, joined by '|'. */
static char *kept_lines(const char *text, pt_boilerplate_ctx *c)
{
    size_t len = strlen(text);
    char *out = calloc(1, len + 2);
    assert_non_null(out);
    size_t line = 0;
    while (line < len) {
        size_t end = line;
        while (end < len && text[end] != '\n')
            end++;
        if (end > line && pt_boilerplate_keep(text, line, end, c)) {
            strncat(out, text + line, end - line);
            strcat(out, "|");
        }
        line = end + 1;
    }
    return out;
}

static const char lede[] = "American officials said Monday that a deal with Ukrainian leaders to end its war "
                           "with Russia was nearly complete, even as territorial disputes remain unresolved.";

static void test_boilerplate__headline_not_repeated(void **state)
{
    (void)state;
    char text[1024];
    snprintf(text, sizeof text, "Deal nearly complete, US says\n\n%s\nDeal nearly complete, US says", lede);
    pt_boilerplate_ctx c;
    pt_boilerplate_ctx_init(&c, "Deal nearly complete, US says", strlen(text), NULL, NULL);
    char *kept = kept_lines(text, &c);
    char want[1024];
    /* Below the lede the same words are text: kept. */
    snprintf(want, sizeof want, "%s|Deal nearly complete, US says|", lede);
    assert_string_equal(kept, want);
    free(kept);

    /* A headline alone is the article: kept. */
    const char alone[] = "Deal nearly complete, US says";
    pt_boilerplate_ctx_init(&c, alone, strlen(alone), NULL, NULL);
    kept = kept_lines(alone, &c);
    assert_string_equal(kept, "Deal nearly complete, US says|");
    free(kept);
}

static void test_boilerplate__caption_before_credit_and_header_dates(void **state)
{
    (void)state;
    char text[1024];
    snprintf(text, sizeof text,
             "December 16, 2025\n"
             "Ukraine's President Volodymyr Zelensky delivers a press conference in Berlin.\n"
             "John Macdougall | Afp | Getty Images\n"
             "%s\nMarch 3, 2022.\nRussia's troops entered Kherson.", lede);
    pt_boilerplate_ctx c;
    pt_boilerplate_ctx_init(&c, NULL, strlen(text), NULL, NULL);
    char *kept = kept_lines(text, &c);
    char want[1024];
    /* The date below the lede heads a timeline entry: kept. */
    snprintf(want, sizeof want, "%s|March 3, 2022.|Russia's troops entered Kherson.|", lede);
    assert_string_equal(kept, want);
    free(kept);
}

/* n articles of source, each with its own text plus the line given. */
static void learn_articles(pt_recurring *t, const char *source, const char *title, int n,
                           const char *line)
{
    for (int i = 0; i < n; i++) {
        char text[512];
        snprintf(text, sizeof text, "Story number %c%c about the talks.\n%s\nMore words of story %c%c.",
                 'a' + i % 26, 'a' + i / 26, line, 'a' + i % 26, 'a' + i / 26);
        char own_title[64];
        snprintf(own_title, sizeof own_title, "Headline %d", i);
        assert_int_equal(pt_recurring_learn(t, source, title ? title : own_title, text, strlen(text)), 0);
    }
}

static int recurring(pt_recurring *t, const char *source, const char *line)
{
    return pt_recurring_is_boilerplate(t, pt_recurring_source(source), line, 0, strlen(line));
}

typedef struct {
    pt_buf data[PT_RECUR_BUCKETS];
    unsigned n_put;
} stored_buckets;

static int keep_bucket(unsigned bucket, const void *data, size_t len, void *ctx)
{
    stored_buckets *b = ctx;
    assert_true(bucket < PT_RECUR_BUCKETS);
    pt_buf_reset(&b->data[bucket]);
    assert_int_equal(pt_buf_append(&b->data[bucket], data, len), 0);
    b->n_put++;
    return 0;
}

static void stored_buckets_free(stored_buckets *b)
{
    for (unsigned k = 0; k < PT_RECUR_BUCKETS; k++)
        pt_buf_free(&b->data[k]);
}

/* A table read from b's buckets, bucket damaged (cut short) unless -1. */
static pt_recurring *read_back(const stored_buckets *b, int damaged)
{
    pt_recurring *u = pt_recurring_new();
    assert_non_null(u);
    for (unsigned k = 0; k < PT_RECUR_BUCKETS; k++) {
        if (!b->data[k].len)
            continue;
        int cut = (int)k == damaged;
        assert_int_equal(pt_recurring_decode_bucket(u, k, b->data[k].data, b->data[k].len - cut),
                         cut ? PT_ECORRUPT : 0);
    }
    return u;
}

typedef struct {
    const stored_buckets *from;
    pt_recurring *into;
    unsigned loads;
    int fail; /* the status every load returns, 0 = none */
} bucket_loader;

static int load_bucket(unsigned bucket, void *ctx)
{
    bucket_loader *l = ctx;
    l->loads++;
    if (l->fail || !l->from->data[bucket].len)
        return l->fail;
    return pt_recurring_decode_bucket(l->into, bucket, l->from->data[bucket].data, l->from->data[bucket].len);
}

/* Read through a loader, the table reads only the buckets a lookup needs
 * (adding one article to a big index read all of them), says the same as
 * read whole, and a failed load fails the next store, which then writes
 * nothing (a bucket written without its stored entries would lose them). */
static void test_boilerplate__recurring_buckets_read_as_needed(void **state)
{
    (void)state;
    pt_recurring *t = pt_recurring_new();
    assert_non_null(t);
    learn_articles(t, "Kyiv Post", NULL, 40, "Europe Latest News");
    stored_buckets b = {0};
    assert_int_equal(pt_recurring_store(t, keep_bucket, &b), 0);
    assert_true(b.n_put > 20);
    pt_recurring_free(t);

    pt_recurring *u = pt_recurring_new();
    bucket_loader l = {&b, u, 0, 0};
    pt_recurring_set_loader(u, load_bucket, &l);
    assert_true(recurring(u, "Kyiv Post", "Europe Latest News"));
    assert_true(l.loads >= 1 && l.loads <= 2); /* the line's bucket and the article count's */
    assert_false(recurring(u, "Kyiv Post", "Story number aa about the talks."));
    assert_true(l.loads <= 3);
    learn_articles(u, "Kyiv Post", NULL, 1, "Europe Latest News");
    stored_buckets again = {0};
    assert_int_equal(pt_recurring_store(u, keep_bucket, &again), 0);
    assert_true(again.n_put >= 1 && again.n_put <= 4);
    assert_int_equal(pt_recurring_load_all(u), 0);
    assert_int_equal(l.loads, PT_RECUR_BUCKETS);
    pt_recurring_free(u);

    u = pt_recurring_new();
    bucket_loader failing = {&b, u, 0, PT_EIO};
    pt_recurring_set_loader(u, load_bucket, &failing);
    assert_false(recurring(u, "Kyiv Post", "Europe Latest News"));
    assert_int_equal(pt_recurring_learn(u, "Kyiv Post", NULL, "Europe Latest News", 18), PT_EIO);
    stored_buckets none = {0};
    assert_int_equal(pt_recurring_store(u, keep_bucket, &none), PT_EIO);
    assert_int_equal(none.n_put, 0);
    pt_recurring_free(u);
    stored_buckets_free(&again);
    stored_buckets_free(&b);
}

static void test_boilerplate__recurring_lines_learned(void **state)
{
    (void)state;
    pt_recurring *t = pt_recurring_new();
    assert_non_null(t);
    learn_articles(t, "Kyiv Post", NULL, 40, "Europe Latest News");
    learn_articles(t, "Kyiv Post", NULL, 40, "Share this article on Facebook");
    learn_articles(t, "Kyiv Post", NULL, 7, "The hearing continues on Friday.");
    learn_articles(t, "Kyiv Post", NULL, 40, "Record April 30");     /* a digit: a fact */
    learn_articles(t, "Kyiv Post", NULL, 40, "Nine mths");           /* two words: a label */
    learn_articles(t, "Kyiv Post", "Re: Land for peace?", 40, "Satan does not have free will."); /* a thread */
    assert_true(recurring(t, "Kyiv Post", "Europe Latest News"));
    assert_true(recurring(t, "Kyiv Post", "  SHARE THIS ARTICLE ON FACEBOOK. "));
    assert_false(recurring(t, "Kyiv Post", "The hearing continues on Friday."));
    assert_false(recurring(t, "Kyiv Post", "Record April 30"));
    assert_false(recurring(t, "Kyiv Post", "Nine mths"));
    assert_false(recurring(t, "Kyiv Post", "Satan does not have free will."));
    assert_false(recurring(t, "Other Outlet", "Europe Latest News")); /* per source */

    /* Stored and read back, it says the same. */
    stored_buckets b = {0};
    assert_true(pt_recurring_dirty(t));
    assert_int_equal(pt_recurring_store(t, keep_bucket, &b), 0);
    assert_false(pt_recurring_dirty(t));
    assert_true(b.n_put > 4);
    pt_recurring *u = read_back(&b, -1);

    /* A commit after one more article writes only the buckets its keys
     * fell in: three lines and the source's article count. */
    stored_buckets one = {0};
    assert_int_equal(pt_recurring_store(u, keep_bucket, &one), 0);
    assert_int_equal(one.n_put, 0); /* nothing learned: nothing written */
    learn_articles(u, "Kyiv Post", NULL, 1, "Europe Latest News");
    assert_int_equal(pt_recurring_store(u, keep_bucket, &one), 0);
    assert_true(one.n_put >= 1 && one.n_put <= 4);
    stored_buckets_free(&one);
    pt_recurring_free(u);
    u = read_back(&b, -1);
    assert_true(recurring(u, "Kyiv Post", "Europe Latest News"));
    assert_false(recurring(u, "Kyiv Post", "The hearing continues on Friday."));
    assert_false(pt_recurring_dirty(u));
    learn_articles(u, "Kyiv Post", "Re: Land for peace?", 10, "Satan does not have free will.");
    assert_false(recurring(u, "Kyiv Post", "Satan does not have free will."));
    pt_recurring_free(u);

    /* A damaged bucket reads as empty and is written anew; the others stay. */
    unsigned news = 0; /* the bucket holding "Europe Latest News" */
    for (unsigned k = 0; k < PT_RECUR_BUCKETS; k++) {
        if (!b.data[k].len)
            continue;
        u = read_back(&b, (int)k);
        if (!recurring(u, "Kyiv Post", "Europe Latest News"))
            news = k;
        pt_recurring_free(u);
    }
    u = read_back(&b, (int)news);
    assert_false(recurring(u, "Kyiv Post", "Europe Latest News"));
    assert_true(pt_recurring_dirty(u));
    stored_buckets again = {0};
    assert_int_equal(pt_recurring_store(u, keep_bucket, &again), 0);
    assert_int_equal(again.n_put, 1);
    assert_true(again.data[news].len > 0);
    assert_int_equal(pt_recurring_decode_bucket(u, news, "\x01\x00", 2), PT_ECORRUPT); /* another version */
    assert_int_equal(pt_recurring_decode_bucket(u, PT_RECUR_BUCKETS, "\x02\x00", 2), PT_ECORRUPT);
    stored_buckets_free(&again);
    stored_buckets_free(&b);
    pt_recurring_free(u);

    /* Through the filter's context. */
    const char text[] = "Europe Latest News\nThe hearing continues on Friday.";
    pt_boilerplate_ctx c;
    pt_boilerplate_ctx_init(&c, NULL, sizeof text - 1, t, "Kyiv Post");
    char *kept = kept_lines(text, &c);
    assert_string_equal(kept, "The hearing continues on Friday.|");
    assert_int_equal(c.recurring_dropped, 1);
    free(kept);
    pt_recurring_free(t);
}

/* ------------------------------------------- glued recurring lines, end to end */

/* Adds (or, when learn, learns) article i of "Daily Mail" with line as
 * its second paragraph. */
static void add_mail_article(pt_index *ix, int i, const char *line, int learn)
{
    char id[32], title[64], text[1024];
    snprintf(id, sizeof id, "dm%d", i);
    snprintf(title, sizeof title, "Headline number %d", i);
    snprintf(text, sizeof text,
             "Headline number %d\n\nA council in the county of %c%c approved the plan on Tuesday after a long "
             "debate about roads.\n%s\nResidents said the roads of %c%c had waited for repairs for years.",
             i, 'a' + i % 26, 'a' + i / 26, line, 'a' + i % 26, 'a' + i / 26);
    pt_article a = PT_ARTICLE_INIT;
    a.id = id;
    a.title = title;
    a.source = "Daily Mail";
    a.text = text;
    a.text_len = strlen(text);
    if (learn)
        assert_int_equal(pt_index_learn(ix, &a), PT_OK);
    else
        assert_int_equal(pt_index_add(ix, &a, NULL), PT_OK);
}

/* The articles ("dmN") of the passages query finds, in article order,
 * joined by ' ', one per passage. */
static void passages_found(pt_searcher *s, const char *query, char *out, size_t cap)
{
    pt_search_opts o = PT_SEARCH_OPTS_INIT;
    o.max_hits = 100;
    o.per_article = 0;
    o.flags = PT_SEARCH_NO_GROUP;
    pt_hits *hits = NULL;
    assert_int_equal(pt_search(&hits, s, query, &o), PT_OK);
    int seen[64] = {0};
    for (size_t i = 0; i < pt_hits_count(hits); i++)
        seen[atoi(pt_hits_get(hits, i)->article + 2) % 64]++;
    out[0] = '\0';
    for (int i = 0; i < 64; i++)
        for (int k = 0; k < seen[i]; k++)
            snprintf(out + strlen(out), cap - strlen(out), "%sdm%d", out[0] ? " " : "", i);
    pt_hits_free(hits);
}

/* A line the source repeats ("Scroll down for video.", in 40 of its
 * articles on a line of its own) is left out where a scraper glued it to
 * other text on the same line: before a caption, after the last sentence,
 * or behind stray quote marks; the rest of the line stays searchable. A
 * sentence that merely begins with its words is kept. */
static void test_boilerplate__glued_recurring_lines_left_out(void **state)
{
    (void)state;
    static const char *const glued[] = {
        /* 40 */ "Scroll down for video... Busted: Kate Major was arrested again after a row.",
        /* 41 */ "Scroll down for video. 51-year-old Fiona fought off an intruder.",
        /* 42 */ "Here's how she got on... Scroll down for video.",
        /* 43 */ "All I can say is yes the dude!!!!!' Scroll down for video.",
        /* 44 */ "''' Scroll down for video.",
        /* 45 */ "' '' SCROLL DOWN FOR VIDEO.",
        /* 46 */ "Scroll down for video of the body armour in action.",
        /* 47 */ "Readers were told to scroll down for video clips of the match.",
    };
    enum { N_PLAIN = 40, N_GLUED = sizeof glued / sizeof glued[0] };
    char *dir = test_tmpdir();
    assert_non_null(dir);
    pt_index *ix = NULL;
    assert_int_equal(pt_index_open(&ix, dir, PT_INDEX_CREATE), PT_OK);
    for (int learn = 1; learn >= 0; learn--) {
        for (int i = 0; i < N_PLAIN; i++)
            add_mail_article(ix, i, "Scroll down for video.", learn);
        for (int i = 0; i < N_GLUED; i++)
            add_mail_article(ix, N_PLAIN + i, glued[i], learn);
    }
    assert_int_equal(pt_index_commit(ix), PT_OK);
    pt_index_free(ix);
    pt_searcher *s = NULL;
    assert_int_equal(pt_searcher_open(&s, dir), PT_OK);
    char found[512];
    passages_found(s, "\"scroll down for video\"", found, sizeof found);
    assert_string_equal(found, "dm46 dm47");
    passages_found(s, "busted fiona \"got on\" dude", found, sizeof found);
    assert_string_equal(found, "dm40 dm41 dm42 dm43");
    passages_found(s, "council", found, sizeof found);
    assert_int_equal(strlen(found), strlen("dm0 dm1 dm2 dm3 dm4 dm5 dm6 dm7 dm8 dm9") + 38 * 5);
    pt_searcher_free(s);
    test_rmdir(dir);
}

/* Does the index at dir keep a set of learned articles (learned.h)? */
static int keeps_learned_set(const char *dir)
{
    ptx_reader *r = NULL;
    assert_int_equal(ptx_reader_open(&r, dir), PT_OK);
    char *value = NULL;
    int rc = ptx_reader_get_metadata(r, PT_META_LEARNED, &value, NULL);
    free(value);
    ptx_reader_close(r);
    assert_true(rc == PT_OK || rc == PT_ENOTFOUND);
    return rc == PT_OK;
}

/* A run killed between two commits (the index keeps the first batch; the
 * table of recurring lines was stored with that commit) and run again
 * must count each article's lines once, as one run would: "Scroll down
 * for video." in 6 articles (fewer than PT_RECUR_MIN_ARTICLES) stays
 * searchable in all 6, however the run was cut. */
static void test_boilerplate__recurring_lines_counted_once_after_a_kill(void **state)
{
    (void)state;
    enum { N = 6, FIRST_BATCH = 3 };
    char *dir = test_tmpdir();
    assert_non_null(dir);
    pt_index *ix = NULL;
    assert_int_equal(pt_index_open(&ix, dir, PT_INDEX_CREATE), PT_OK);
    for (int i = 0; i < N; i++) /* the learning pass: every article of the run */
        add_mail_article(ix, i, "Scroll down for video.", 1);
    for (int i = 0; i < FIRST_BATCH; i++)
        add_mail_article(ix, i, "Scroll down for video.", 0);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    pt_index_free(ix); /* killed: nothing after the first commit */
    assert_true(keeps_learned_set(dir));
    assert_int_equal(pt_index_open(&ix, dir, 0), PT_OK);
    for (int i = 0; i < N; i++) /* the rerun learns what is not indexed */
        add_mail_article(ix, i, "Scroll down for video.", 1);
    for (int i = FIRST_BATCH; i < N; i++)
        add_mail_article(ix, i, "Scroll down for video.", 0);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    pt_index_free(ix);
    assert_false(keeps_learned_set(dir)); /* every article learned is indexed */
    pt_searcher *s = NULL;
    assert_int_equal(pt_searcher_open(&s, dir), PT_OK);
    char found[512];
    passages_found(s, "\"scroll down for video\"", found, sizeof found);
    assert_string_equal(found, "dm0 dm1 dm2 dm3 dm4 dm5");
    pt_searcher_free(s);
    test_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boilerplate__seed_corpus_lines),
        cmocka_unit_test(test_boilerplate__headline_run_dropped),
        cmocka_unit_test(test_boilerplate__share_and_comment_prompts),
        cmocka_unit_test(test_boilerplate__link_lines),
        cmocka_unit_test(test_boilerplate__photo_credits),
        cmocka_unit_test(test_boilerplate__near_misses_kept),
        cmocka_unit_test(test_boilerplate__empty_and_offsets),
        cmocka_unit_test(test_boilerplate__captions_ending_in_credit),
        cmocka_unit_test(test_boilerplate__date_and_notice_lines),
        cmocka_unit_test(test_boilerplate__headline_not_repeated),
        cmocka_unit_test(test_boilerplate__caption_before_credit_and_header_dates),
        cmocka_unit_test(test_boilerplate__recurring_lines_learned),
        cmocka_unit_test(test_boilerplate__recurring_buckets_read_as_needed),
        cmocka_unit_test(test_boilerplate__glued_recurring_lines_left_out),
        cmocka_unit_test(test_boilerplate__recurring_lines_counted_once_after_a_kill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
