/* test_api.c — the public API end to end on a temporary index of corpus/:
 * the passages that must rank first do, K per article holds, highlights
 * point at the matched words, replace/remove keep the counts right, a
 * search reads the latest commit, a writer waits for a reader holding the
 * commit gate, and older option structs and the time limit work. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <string.h>
#include <strings.h>

#include "store/commit_gate.h"
#include "store/record.h"
#include "xapian/xapian_binding.h"
#include "text_fields.h"
#include "ptsearch.h"
#include "test_corpus.h"

static void add_corpus_file(pt_index *ix, const char *name)
{
    const char *corpus = getenv("PT_CORPUS") ? getenv("PT_CORPUS") : "corpus";
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", corpus, name);
    size_t len;
    char *text = corpus_read(path, &len);
    pt_text_fields fields = {0};
    assert_int_equal(pt_text_fields_read(&fields, text, len), PT_OK);
    pt_article a = PT_ARTICLE_INIT;
    a.id = name;
    a.path = path;
    a.text = text;
    a.text_len = len;
    a.title = fields.title;
    a.source = fields.source;
    a.date = fields.date;
    pt_add_result result;
    assert_int_equal(pt_index_add(ix, &a, &result), PT_OK);
    assert_true(result.passages >= 2);
    pt_text_fields_clear(&fields);
    free(text);
}

static int setup_index(void **state)
{
    char *dir = test_tmpdir();
    pt_index *ix = NULL;
    assert_int_equal(pt_index_open(&ix, dir, PT_INDEX_CREATE), PT_OK);
    for (size_t i = 0; i < 5; i++)
        add_corpus_file(ix, corpus_files[i]);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    pt_index_free(ix);
    *state = dir;
    return 0;
}

static int teardown_index(void **state)
{
    test_rmdir(*state);
    return 0;
}

static pt_hits *search(const char *dir, const char *query, unsigned n, unsigned k)
{
    pt_searcher *s = NULL;
    assert_int_equal(pt_searcher_open(&s, dir), PT_OK);
    pt_search_opts opts = PT_SEARCH_OPTS_INIT;
    opts.max_hits = n;
    opts.per_article = k;
    pt_hits *hits = NULL;
    assert_int_equal(pt_search(&hits, s, query, &opts), PT_OK);
    pt_searcher_free(s);
    return hits;
}

static int highlighted(const pt_hit *h, const char *word)
{
    for (size_t i = 0; i < h->n_highlights; i++) {
        size_t len = h->highlights[i].end - h->highlights[i].start;
        if (len == strlen(word) && strncmp(h->passage + h->highlights[i].start, word, len) == 0)
            return 1;
    }
    return 0;
}

static void test_api__frozen_assets_ranks_eu_loan_first(void **state)
{
    pt_hits *hits = search(*state, "frozen Russian assets", 10, 2);
    assert_true(pt_hits_count(hits) > 0);
    const pt_hit *top = pt_hits_get(hits, 0);
    assert_string_equal(top->article, "004_e43b9b220f213307.txt");
    assert_non_null(strstr(top->passage, "frozen Russian assets"));
    assert_non_null(strstr(top->passage, "loan"));
    assert_true(highlighted(top, "frozen") && highlighted(top, "assets"));
    assert_string_equal(top->date, "2025-12-15");
    pt_hits_free(hits);
}

static void test_api__miami_finds_exactly_two_passages(void **state)
{
    pt_hits *hits = search(*state, "Miami", 10, 0);
    assert_int_equal(pt_hits_count(hits), 2);
    for (size_t i = 0; i < 2; i++) {
        const pt_hit *h = pt_hits_get(hits, i);
        assert_non_null(strstr(h->passage, "Miami"));
        assert_true(highlighted(h, "Miami"));
    }
    pt_hits_free(hits);
}

/* README, "Query language": a query of only negations lists the passages
 * without them, unranked. */
static void test_api__only_negations_list_passages_without_them(void **state)
{
    const char *queries[] = {"-Witkoff", "NOT Witkoff", "-Witkoff -Miami"};
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        pt_hits *hits = search(*state, queries[q], 1000, 0);
        assert_true(pt_hits_count(hits) > 0);
        for (size_t i = 0; i < pt_hits_count(hits); i++) {
            const pt_hit *h = pt_hits_get(hits, i);
            assert_null(strstr(h->passage, "Witkoff"));
            assert_true(h->score == 0);
        }
        pt_hits_free(hits);
    }
}

/* The passages of query with these options, in order, as "article@start ". */
static void ranking(const char *dir, const char *query, const pt_search_opts *opts, char *out, size_t cap)
{
    pt_searcher *s = NULL;
    assert_int_equal(pt_searcher_open(&s, dir), PT_OK);
    pt_hits *hits = NULL;
    assert_int_equal(pt_search(&hits, s, query, opts), PT_OK);
    size_t used = 0;
    out[0] = 0;
    for (size_t i = 0; i < pt_hits_count(hits) && used < cap; i++) {
        const pt_hit *h = pt_hits_get(hits, i);
        used += (size_t)snprintf(out + used, cap - used, "%s@%zu ", h->article, h->start);
    }
    assert_true(used > 0 && used < cap);
    pt_hits_free(hits);
    pt_searcher_free(s);
}

/* PT_SEARCH_OPTS_INIT, NULL options and a version 1 struct rank as
 * ptsearch does by default (related words and feedback on). */
static void test_api__library_default_ranks_as_the_cli(void **state)
{
    static char cli[4096], got[4096];
    pt_search_opts opts = PT_SEARCH_OPTS_INIT;
    opts.flags = PT_SEARCH_EXPAND | PT_SEARCH_FEEDBACK; /* ptsearch's default */
    ranking(*state, "Donbas concessions", &opts, cli, sizeof cli);
    pt_search_opts init = PT_SEARCH_OPTS_INIT;
    ranking(*state, "Donbas concessions", &init, got, sizeof got);
    assert_string_equal(got, cli);
    ranking(*state, "Donbas concessions", NULL, got, sizeof got);
    assert_string_equal(got, cli);
    pt_search_opts v1 = {1, 10, 2, 0, 0, 0, 0, PT_SORT_SCORE};
    ranking(*state, "Donbas concessions", &v1, got, sizeof got);
    assert_string_equal(got, cli);
    opts.flags = 0; /* and the flags still change it */
    ranking(*state, "Donbas concessions", &opts, got, sizeof got);
    assert_string_not_equal(got, cli);
}

static void test_api__passage_offsets_point_into_the_file(void **state)
{
    pt_hits *hits = search(*state, "security guarantees", 10, 2);
    assert_true(pt_hits_count(hits) >= 8);
    for (size_t i = 0; i < pt_hits_count(hits); i++) {
        const pt_hit *h = pt_hits_get(hits, i);
        size_t len;
        char *file = corpus_read(h->path, &len);
        assert_true(h->end <= len && h->start < h->end);
        assert_memory_equal(file + h->start, h->passage, h->passage_len);
        size_t line = 1;
        for (size_t j = 0; j < h->start; j++)
            line += file[j] == '\n';
        assert_int_equal(h->line, line);
        free(file);
        if (i)
            assert_true(pt_hits_get(hits, i - 1)->score >= h->score);
    }
    pt_hits_free(hits);
}

static void test_api__at_most_k_per_article(void **state)
{
    for (unsigned k = 1; k <= 3; k++) {
        pt_hits *hits = search(*state, "security guarantees", 50, k);
        unsigned per[5] = {0};
        for (size_t i = 0; i < pt_hits_count(hits); i++)
            per[pt_hits_get(hits, i)->article[2] - '0']++;
        for (size_t a = 0; a < 5; a++)
            assert_true(per[a] <= k);
        assert_true(pt_hits_count(hits) >= 5); /* every article speaks of them */
        pt_hits_free(hits);
    }
}

static void test_api__replace_and_remove(void **state)
{
    pt_index *ix = NULL;
    assert_int_equal(pt_index_open(&ix, *state, 0), PT_OK);
    pt_index_stats before, after;
    assert_int_equal(pt_index_get_stats(ix, &before), PT_OK);
    assert_int_equal(before.articles, 5);
    add_corpus_file(ix, corpus_files[0]); /* same id: replaces */
    assert_int_equal(pt_index_commit(ix), PT_OK);
    assert_int_equal(pt_index_get_stats(ix, &after), PT_OK);
    assert_int_equal(after.articles, 5);
    assert_int_equal(after.passages, before.passages);
    assert_int_equal(pt_index_remove(ix, corpus_files[4]), PT_OK);
    assert_int_equal(pt_index_remove(ix, corpus_files[4]), PT_ENOTFOUND);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    assert_int_equal(pt_index_get_stats(ix, &after), PT_OK);
    assert_int_equal(after.articles, 4);
    pt_index_free(ix);
    pt_hits *hits = search(*state, "frozen Russian assets", 10, 2);
    for (size_t i = 0; i < pt_hits_count(hits); i++)
        assert_string_not_equal(pt_hits_get(hits, i)->article, corpus_files[4]);
    pt_hits_free(hits);
    ix = NULL;
    assert_int_equal(pt_index_open(&ix, *state, 0), PT_OK);
    add_corpus_file(ix, corpus_files[4]);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    pt_index_free(ix);
}

static void test_api__errors_are_codes_with_messages(void **state)
{
    pt_searcher *s = NULL;
    assert_int_equal(pt_searcher_open(&s, "/nonexistent/idx"), PT_ENOTFOUND);
    assert_non_null(strstr(pt_error_last(), "/nonexistent/idx"));
    assert_int_equal(pt_searcher_open(&s, *state), PT_OK);
    pt_hits *hits = NULL;
    assert_int_equal(pt_search(&hits, s, "  ,;!  ", NULL), PT_EQUERY);
    assert_null(hits);
    pt_searcher_free(s);
    pt_index *ix = NULL;
    assert_int_equal(pt_index_open(&ix, *state, 0), PT_OK);
    pt_index *second = NULL;
    assert_int_equal(pt_index_open(&second, *state, 0), PT_ELOCKED);
    pt_article a = PT_ARTICLE_INIT;
    assert_int_equal(pt_index_add(ix, &a, NULL), PT_EINVAL); /* no id */
    pt_index_free(ix);
}

static int exists(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return access(path, F_OK) == 0;
}

/* What a kill -9 during a creation leaves: a sibling DIR.new-PID with
 * tables and no version file, whose process is gone. */
static void make_killed_creation(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s.new-2147483647", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s.new-2147483647/postlist.glass", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
}

static void test_api__creation_is_whole_or_absent(void **state)
{
    (void)state;
    char *top = test_tmpdir();
    char dir[600], slashed[700];
    snprintf(dir, sizeof dir, "%s/idx", top);
    snprintf(slashed, sizeof slashed, "%s/", dir);
    make_killed_creation(dir);
    pt_index *ix = NULL;
    assert_int_equal(pt_index_open(&ix, slashed, PT_INDEX_CREATE), PT_OK);
    pt_index_free(ix);
    assert_true(exists(dir, "iamglass"));
    assert_false(exists(top, "idx.new-2147483647")); /* the leftover is gone */
    char own[64];
    snprintf(own, sizeof own, "idx.new-%ld", (long)getpid());
    assert_false(exists(top, own));

    snprintf(dir, sizeof dir, "%s/notes", top); /* a directory that is not an index */
    assert_int_equal(mkdir(dir, 0755), 0);
    char note[700];
    snprintf(note, sizeof note, "%s/todo.txt", dir);
    FILE *f = fopen(note, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(pt_index_open(&ix, dir, PT_INDEX_CREATE), PT_EINVAL);
    assert_non_null(strstr(pt_error_last(), "not a ptsearch index"));
    assert_true(exists(dir, "todo.txt"));
    assert_false(exists(dir, "iamglass"));
    test_rmdir(top);
}

static size_t count_hits(pt_searcher *s, const char *query, const pt_search_opts *opts)
{
    pt_hits *hits = NULL;
    assert_int_equal(pt_search(&hits, s, query, opts), PT_OK);
    size_t n = pt_hits_count(hits);
    pt_hits_free(hits);
    return n;
}

static void add_note(pt_index *ix, const char *id, const char *text)
{
    pt_article a = PT_ARTICLE_INIT;
    a.id = id;
    a.text = text;
    a.text_len = strlen(text);
    assert_int_equal(pt_index_add(ix, &a, NULL), PT_OK);
}

static void add_text(pt_index *ix, const char *id, const char *path, const char *text)
{
    pt_article a = PT_ARTICLE_INIT;
    a.id = id;
    a.path = path;
    a.text = text;
    a.text_len = strlen(text);
    assert_int_equal(pt_index_add(ix, &a, NULL), PT_OK);
}

static void assert_check_passes(const char *dir, uint64_t articles)
{
    pt_index_stats stats = {0, 0};
    assert_int_equal(pt_index_check(dir, NULL, NULL, &stats), PT_OK);
    assert_int_equal(stats.articles, articles);
}

/* pt_index_remove takes the article off its source's list and makes the
 * source's stamp stale; a source read only in part keeps what it had. */
static void test_api__the_manifest_follows_removals_and_partial_reads(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    pt_index *ix = NULL;
    assert_int_equal(pt_index_open(&ix, dir, PT_INDEX_CREATE), PT_OK);
    pt_source_stamp stamp = {10, 5, 77, 0}, got;
    assert_int_equal(pt_index_source_begin(ix, "/src/a"), PT_OK);
    add_text(ix, "a1", "/src/a", "Walruses rest on the ice floe.");
    add_text(ix, "a2", "/src/a", "Seals rest on the rocks.");
    assert_int_equal(pt_index_source_end(ix, &stamp, NULL), PT_OK);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    assert_int_equal(pt_index_remove(ix, "a1"), PT_OK);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    assert_check_passes(dir, 1); /* the source no longer lists a1 */
    assert_int_equal(pt_index_source_stamp(ix, "/src/a", &got), PT_OK);
    assert_true(got.size != 10); /* read again by the next pass */
    assert_int_equal(got.articles, 1);

    assert_int_equal(pt_index_source_begin(ix, "/src/a"), PT_OK); /* a read failing part way */
    add_text(ix, "a3", "/src/a", "Terns nest on the cliffs.");
    assert_int_equal(pt_index_source_keep(ix), PT_OK);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    assert_check_passes(dir, 2);
    assert_int_equal(pt_index_source_stamp(ix, "/src/a", &got), PT_OK);
    assert_int_equal(got.articles, 2); /* a2 kept, a3 added */
    assert_int_equal(pt_index_source_begin(ix, "/src/a"), PT_OK); /* read whole: now empty */
    size_t removed = 0;
    assert_int_equal(pt_index_source_end(ix, &stamp, &removed), PT_OK);
    assert_int_equal(removed, 2);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    assert_check_passes(dir, 0);
    pt_index_free(ix);
    test_rmdir(dir);
}

/* Ids up to PT_MAX_ID_BYTES are kept whole and removed like any other;
 * longer ones are refused. */
static void test_api__long_ids(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char *id = malloc(PT_MAX_ID_BYTES + 2);
    assert_non_null(id);
    memset(id, 'x', PT_MAX_ID_BYTES + 1);
    id[PT_MAX_ID_BYTES + 1] = '\0';
    pt_index *ix = NULL;
    assert_int_equal(pt_index_open(&ix, dir, PT_INDEX_CREATE), PT_OK);
    pt_article a = PT_ARTICLE_INIT;
    a.id = id;
    a.text = "Too long an id.";
    a.text_len = strlen(a.text);
    assert_int_equal(pt_index_add(ix, &a, NULL), PT_EINVAL);
    id[PT_MAX_ID_BYTES] = '\0';
    assert_int_equal(pt_index_source_begin(ix, "/src/long"), PT_OK);
    add_text(ix, id, "/src/long", "Quokkas smile at the long id.");
    pt_source_stamp stamp = {1, 1, 1, 0};
    assert_int_equal(pt_index_source_end(ix, &stamp, NULL), PT_OK);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    assert_check_passes(dir, 1);
    assert_int_equal(pt_index_source_begin(ix, "/src/long"), PT_OK); /* the file lost it */
    size_t removed = 0;
    assert_int_equal(pt_index_source_end(ix, &stamp, &removed), PT_OK);
    assert_int_equal(removed, 1);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    assert_check_passes(dir, 0);
    pt_index_free(ix);
    free(id);
    test_rmdir(dir);
}

static int count_ids_left_out(const ptx_hit *hit, void *ctx)
{
    pt_passage_record rec;
    assert_int_equal(pt_record_decode_passage(&rec, hit->data, hit->data_len), PT_OK);
    free((char *)rec.text);
    if (rec.article_id_len == 0) {
        assert_int_equal(hit->key_len, 7);
        assert_memory_equal(hit->key, "short-7", 7); /* slot 0 holds it */
        ++*(int *)ctx;
    } else {
        assert_int_equal(rec.article_id_len, PT_MAX_ID_IN_TERM + 40); /* a hashed key: the id stays */
    }
    return 0;
}

/* A passage record leaves out the article id when it is the key the
 * passage carries in slot 0 (schema 6: 4% of CNN/Daily Mail's index);
 * an id too long to be its key stays. Searches show both ids whole. */
static void test_api__record_leaves_out_an_id_that_is_its_key(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char long_id[PT_MAX_ID_IN_TERM + 41];
    memset(long_id, 'y', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    pt_index *ix = NULL;
    assert_int_equal(pt_index_open(&ix, dir, PT_INDEX_CREATE), PT_OK);
    add_text(ix, "short-7", "/src/s", "Walrus herds gather on the ice.");
    add_text(ix, long_id, "/src/l", "A walrus sleeps on the floe.");
    assert_int_equal(pt_index_commit(ix), PT_OK);
    pt_index_free(ix);

    ptx_reader *r = NULL;
    assert_int_equal(ptx_reader_open(&r, dir), PT_OK);
    ptx_query *q = ptx_query_term("walrus", 6, 1, 0);
    ptx_search_opts xo = PTX_SEARCH_OPTS_INIT;
    int left_out = 0;
    assert_int_equal(ptx_reader_search(r, q, &xo, count_ids_left_out, &left_out, NULL), PT_OK);
    assert_int_equal(left_out, 1);
    ptx_query_free(q);
    ptx_reader_close(r);

    pt_hits *hits = search(dir, "walrus", 10, 1);
    assert_int_equal(pt_hits_count(hits), 2);
    int short_seen = 0, long_seen = 0;
    for (size_t i = 0; i < pt_hits_count(hits); i++) {
        short_seen += strcmp(pt_hits_get(hits, i)->article, "short-7") == 0;
        long_seen += strcmp(pt_hits_get(hits, i)->article, long_id) == 0;
    }
    assert_true(short_seen == 1 && long_seen == 1);
    pt_hits_free(hits);
    test_rmdir(dir);
}

/* A searcher opened before a commit finds what the commit added. */
static void test_api__search_reads_the_latest_commit(void **state)
{
    pt_searcher *s = NULL;
    assert_int_equal(pt_searcher_open(&s, *state), PT_OK);
    assert_int_equal(count_hits(s, "Quokkaville", NULL), 0);
    pt_index *ix = NULL;
    assert_int_equal(pt_index_open(&ix, *state, 0), PT_OK);
    add_note(ix, "note-1", "The Quokkaville ferry resumed on Monday after the strike ended.");
    assert_int_equal(pt_index_commit(ix), PT_OK);
    assert_int_equal(count_hits(s, "Quokkaville", NULL), 1);
    assert_int_equal(pt_index_remove(ix, "note-1"), PT_OK);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    assert_int_equal(count_hits(s, "Quokkaville", NULL), 0);
    pt_index_free(ix);
    pt_searcher_free(s);
}

typedef struct {
    pt_index *ix;
    atomic_int done;
} commit_job;

static void *commit_in_thread(void *arg)
{
    commit_job *job = arg;
    assert_int_equal(pt_index_commit(job->ix), PT_OK);
    atomic_store(&job->done, 1);
    return NULL;
}

/* A reader holding the commit gate (what pt_search does once the index
 * changed under two attempts) holds the writer's commit back until it
 * lets go. */
static void test_api__commit_waits_for_a_gated_reader(void **state)
{
    commit_job job = {NULL, 0};
    assert_int_equal(pt_index_open(&job.ix, *state, 0), PT_OK);
    add_note(job.ix, "note-2", "Ferry timetables for Quokkaville were printed again.");
    int gate = pt_gate_take(*state, 0, 1.0);
    assert_true(gate >= 0);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, commit_in_thread, &job), 0);
    struct timespec pause = {0, 300000000};
    nanosleep(&pause, NULL);
    assert_int_equal(atomic_load(&job.done), 0);
    pt_gate_release(gate);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(atomic_load(&job.done), 1);
    assert_int_equal(pt_index_remove(job.ix, "note-2"), PT_OK);
    assert_int_equal(pt_index_commit(job.ix), PT_OK);
    pt_index_free(job.ix);
}

/* Version 2 of pt_search_opts (no timeout) still works; version 3 adds
 * the time limit, past which the hits are marked incomplete. */
typedef struct {
    int version;
    unsigned max_hits, per_article, flags, suggest_below;
} search_opts_v2;

static void test_api__options_versions_and_time_limit(void **state)
{
    pt_searcher *s = NULL;
    assert_int_equal(pt_searcher_open(&s, *state), PT_OK);
    search_opts_v2 v2 = {2, 10, 0, 0, 3};
    assert_int_equal(count_hits(s, "Miami", (const pt_search_opts *)&v2), 2);
    pt_search_opts opts = PT_SEARCH_OPTS_INIT;
    assert_int_equal(opts.version, 4);
    assert_true(opts.timeout == 0);
    opts.per_article = 0;
    opts.timeout = 60;
    pt_hits *hits = NULL;
    assert_int_equal(pt_search(&hits, s, "Miami", &opts), PT_OK);
    assert_int_equal(pt_hits_count(hits), 2);
    assert_false(pt_hits_incomplete(hits));
    pt_hits_free(hits);
    opts.timeout = 1e-9; /* over before the ranking starts */
    assert_int_equal(pt_search(&hits, s, "Miami", &opts), PT_OK);
    assert_int_equal(pt_hits_count(hits), 0);
    assert_true(pt_hits_incomplete(hits));
    pt_hits_free(hits);
    opts.timeout = -1;
    assert_int_equal(pt_search(&hits, s, "Miami", &opts), PT_EINVAL);
    opts.timeout = 0;
    opts.version = PT_SEARCH_OPTS_VERSION + 1;
    assert_int_equal(pt_search(&hits, s, "Miami", &opts), PT_EINVAL);
    assert_int_equal(pt_search(&hits, s, "Miami Miami Miami (((", NULL), PT_OK);
    pt_hits_free(hits);
    pt_searcher_free(s);
}

/* Version 4: pages (first), newest first (sort), and the counts. */
static void test_api__pages_dates_and_totals(void **state)
{
    pt_searcher *s = NULL;
    assert_int_equal(pt_searcher_open(&s, *state), PT_OK);
    pt_search_opts opts = PT_SEARCH_OPTS_INIT;
    opts.max_hits = 4;
    opts.flags |= PT_SEARCH_TOTALS;
    pt_hits *all = NULL, *page = NULL;
    assert_int_equal(pt_search(&all, s, "Zelensky talks", &opts), PT_OK);
    assert_int_equal(pt_hits_count(all), 4);
    assert_true(pt_hits_articles_estimated(all) >= 3);
    assert_true(pt_hits_articles_estimated(all) <= pt_hits_matches_estimated(all));
    opts.first = 2;
    opts.max_hits = 2;
    assert_int_equal(pt_search(&page, s, "Zelensky talks", &opts), PT_OK);
    assert_int_equal(pt_hits_count(page), 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(pt_hits_get(page, i)->rank, i + 3);
        assert_string_equal(pt_hits_get(page, i)->article, pt_hits_get(all, i + 2)->article);
        assert_int_equal(pt_hits_get(page, i)->start, pt_hits_get(all, i + 2)->start);
    }
    pt_hits_free(page);
    pt_hits_free(all);
    opts.first = 0;
    opts.max_hits = 20;
    opts.sort = PT_SORT_DATE;
    assert_int_equal(pt_search(&all, s, "Zelensky talks", &opts), PT_OK);
    const char *last = "9999-99-99";
    int undated = 0;
    for (size_t i = 0; i < pt_hits_count(all); i++) {
        const char *d = pt_hits_get(all, i)->date;
        assert_false(undated && d); /* undated last */
        undated |= !d;
        if (d) {
            assert_true(strcmp(d, last) <= 0);
            last = d;
        }
    }
    pt_hits_free(all);
    opts.sort = (pt_sort)7;
    assert_int_equal(pt_search(&all, s, "Zelensky", &opts), PT_EINVAL);
    pt_searcher_free(s);
}

/* Highlights say why they matched; a phrase is one range where it stands
 * whole; explanations label each part with its kind. */
static void test_api__marks_and_explain_kinds(void **state)
{
    pt_searcher *s = NULL;
    assert_int_equal(pt_searcher_open(&s, *state), PT_OK);
    pt_search_opts opts = PT_SEARCH_OPTS_INIT;
    opts.flags |= PT_SEARCH_EXPLAIN;
    pt_hits *hits = NULL;
    assert_int_equal(pt_search(&hits, s, "\"security guarantees\" Donbas concessions", &opts), PT_OK);
    int phrases = 0, related = 0;
    int kinds[8] = {0};
    for (size_t i = 0; i < pt_hits_count(hits); i++) {
        const pt_hit *h = pt_hits_get(hits, i);
        assert_non_null(h->highlight_kinds);
        for (size_t k = 0; k < h->n_highlights; k++) {
            const char *text = h->passage + h->highlights[k].start;
            size_t len = h->highlights[k].end - h->highlights[k].start;
            if (h->highlight_kinds[k] == PT_MARK_PHRASE) {
                phrases++;
                /* "security guarantee" too: stems match */
                assert_true(len == 18 || len == 19);
                assert_int_equal(strncasecmp(text, "security guarantees", len), 0);
            } else {
                /* a phrase word alone is not marked */
                assert_false(len == 8 && strncasecmp(text, "security", 8) == 0);
            }
            related += h->highlight_kinds[k] == PT_MARK_RELATED;
        }
        static const char *const names[] = {"typed", "variant", "related", "phrase", "proximity", "title", "feedback", "other"};
        for (size_t p = 0; p < h->n_explain; p++)
            for (int n = 0; n < 8; n++)
                kinds[n] += strcmp(h->explain[p].kind, names[n]) == 0;
    }
    assert_true(phrases >= 2);
    assert_true(related >= 1); /* concede */
    assert_true(kinds[0] && kinds[2] && kinds[3] && kinds[6]); /* typed, related, phrase, feedback */
    assert_int_equal(kinds[7], 0);                             /* nothing unlabelled */
    assert_string_equal(pt_mark_kind_name(PT_MARK_VARIANT), "variant");
    pt_hits_free(hits);
    pt_searcher_free(s);
}

/* The first passage starts at the lede, its headline left out of the text
 * (boilerplate.c): a phrase of the headline's words still finds the
 * article, and shows that first passage; the words in another order do
 * not. 003's headline: "Ninety per cent of Ukraine-Russia issues resolved: US". */
static void test_api__headline_phrase_finds_the_first_passage(void **state)
{
    static const char *const phrases[] = {"\"Ninety per cent of Ukraine-Russia issues resolved: US\"",
                                          "\"Ukraine-Russia issues resolved\"", "\"resolved: US\""};
    for (size_t q = 0; q < sizeof phrases / sizeof *phrases; q++) {
        pt_hits *hits = search(*state, phrases[q], 10, 0);
        if (pt_hits_count(hits) != 1)
            fail_msg("%s: %zu hits, 1 expected", phrases[q], pt_hits_count(hits));
        const pt_hit *h = pt_hits_get(hits, 0);
        assert_string_equal(h->article, "003_d7a71e417279a752.txt");
        assert_string_equal(h->title, "Ninety per cent of Ukraine-Russia issues resolved: US");
        assert_null(strstr(h->passage, "Ninety per cent")); /* the lede, not the headline */
        pt_hits_free(hits);
    }
    pt_hits *hits = search(*state, "\"issues Ukraine-Russia resolved\"", 10, 0);
    assert_int_equal(pt_hits_count(hits), 0);
    pt_hits_free(hits);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api__frozen_assets_ranks_eu_loan_first),
        cmocka_unit_test(test_api__miami_finds_exactly_two_passages),
        cmocka_unit_test(test_api__only_negations_list_passages_without_them),
        cmocka_unit_test(test_api__headline_phrase_finds_the_first_passage),
        cmocka_unit_test(test_api__library_default_ranks_as_the_cli),
        cmocka_unit_test(test_api__passage_offsets_point_into_the_file),
        cmocka_unit_test(test_api__at_most_k_per_article),
        cmocka_unit_test(test_api__replace_and_remove),
        cmocka_unit_test(test_api__errors_are_codes_with_messages),
        cmocka_unit_test(test_api__creation_is_whole_or_absent),
        cmocka_unit_test(test_api__the_manifest_follows_removals_and_partial_reads),
        cmocka_unit_test(test_api__long_ids),
        cmocka_unit_test(test_api__record_leaves_out_an_id_that_is_its_key),
        cmocka_unit_test(test_api__search_reads_the_latest_commit),
        cmocka_unit_test(test_api__pages_dates_and_totals),
        cmocka_unit_test(test_api__marks_and_explain_kinds),
        cmocka_unit_test(test_api__commit_waits_for_a_gated_reader),
        cmocka_unit_test(test_api__options_versions_and_time_limit),
    };
    return cmocka_run_group_tests(tests, setup_index, teardown_index);
}
