/* ptsearch.h — the public C API of libptsearch: open a passage index, add and
 * remove articles, commit, search, iterate hits; and, at the end, the text
 * tools the programs share with the library. ptindex and ptsearch use
 * nothing else (tests/check_layering.sh fails when they include lib/).
 *
 * Conventions (after libgit2 and notmuch):
 *  - Functions return 0 (PT_OK) or a negative PT_E* status; the message for
 *    the last failure of the calling thread is pt_error_last().
 *  - Out-parameters come first and are named out. What a caller receives
 *    through **out it frees with the matching NULL-safe pt_*_free.
 *  - Getters return borrowed pointers; each says how long they stay valid.
 *  - Option structs carry a version; initialise them with their _INIT macro.
 */
#ifndef PTSEARCH_H
#define PTSEARCH_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. */
enum {
    PT_OK = 0,
    PT_ERROR = -1,     /* any other failure */
    PT_ENOTFOUND = -2, /* index (or article) does not exist */
    PT_ELOCKED = -3,   /* the index is locked by another writer */
    PT_EMODIFIED = -4, /* the index changed under a reader: reopen and retry */
    PT_ECORRUPT = -5,  /* the index is damaged */
    PT_ENOMEM = -6,    /* out of memory */
    PT_EINVAL = -7,    /* invalid argument (for example an empty article id) */
    PT_EIO = -8,       /* input/output failure, for example a full disk */
    PT_EQUERY = -9,    /* the query cannot be run (or is over a PT_QUERY_MAX_* limit) */
    PT_EVERSION = -10, /* the index was written by an incompatible version */
    PT_ENOSPC = -11,   /* no room to write: the disk or a quota is full (or a file-size limit) */
    PT_ESHARD = -12,   /* a shard of a stub file (a remote server) cannot be reached */
};

/* The message of the calling thread's last failure; "" when none. Valid
 * until the next libptsearch call on the same thread. Never NULL. */
const char *pt_error_last(void);

/* The index both programs use when none is named: $PTSEARCH_INDEX, else
 * $XDG_DATA_HOME/ptsearch/index, else $HOME/.local/share/ptsearch/index.
 * *out is malloc'd; the caller frees it. PT_ENOTFOUND when none of these
 * variables is set. */
int pt_default_index_dir(char **out);

/* ---------------------------------------------------------------- writing */

typedef struct pt_index pt_index;

enum {
    PT_INDEX_CREATE = 1u << 0, /* create the index if it does not exist */
    PT_INDEX_WAIT = 1u << 1,   /* wait for another writer's lock instead of PT_ELOCKED */
};

/* Opens (or with PT_INDEX_CREATE creates) the index in directory dir for
 * writing. Only one writer at a time: returns PT_ELOCKED when another process
 * holds the index, PT_ENOTFOUND when it does not exist and CREATE was not
 * given. Free with pt_index_free. */
int pt_index_open(pt_index **out, const char *dir, unsigned flags);

/* Sharded indexes: dir holds shards dir/shard-0 .. dir/shard-(N-1), each an
 * ordinary index, and the Xapian stub file dir/XAPIANDB listing them, which
 * readers open as one index. An article goes to shard pt_index_shard_of(its
 * id, N); shard 0 also keeps the manifest, the roots and the table of
 * recurring lines. pt_index_open opens either kind. This opens dir with
 * n_shards shards, creating a sharded index (with PT_INDEX_CREATE) where
 * dir is absent or empty; n_shards 0 takes dir as it is. PT_EINVAL when
 * dir has another shard count or none. One writer: shard 0's lock is the
 * whole index's. pt_index_commit commits shard by shard, shard 0 last. */
int pt_index_open_sharded(pt_index **out, const char *dir, unsigned flags, unsigned n_shards);

/* The number of shards of ix; 0 for an index without shards. */
unsigned pt_index_shard_count(const pt_index *ix);

/* The shard (0 .. n_shards-1) of the article id: FNV-1a 64 of its key (the
 * id, or the hash that stands for an id over 160 bytes) mod n_shards. */
unsigned pt_index_shard_of(const char *id, unsigned n_shards);

/* The shard count of the sharded index at dir (as its stub XAPIANDB
 * lists), 0 when dir is none. */
unsigned pt_index_is_sharded(const char *dir);

/* Uncommitted changes are abandoned; NULL-safe. */
void pt_index_free(pt_index *ix);

/* The longest article id accepted, in bytes (pt_index_add refuses longer
 * ones with PT_EINVAL). Ids up to it are kept whole; in terms and keys an
 * id over 160 bytes goes by a hash of it. */
#define PT_MAX_ID_BYTES 4096

#define PT_ARTICLE_VERSION 1
typedef struct {
    int version;         /* PT_ARTICLE_VERSION */
    const char *id;      /* stable id, unique in the index (required, non-empty,
                            at most PT_MAX_ID_BYTES) */
    const char *path;    /* file the article came from, for display (may be NULL) */
    const char *text;    /* article text, UTF-8; need not be NUL-terminated */
    size_t text_len;
    size_t file_offset;  /* byte offset of text[0] in its file (0 for a whole file) */
    uint32_t file_line;  /* line number of text[0] in its file, from 1 */
    const char *title;   /* NULL or "" when unknown */
    const char *source;  /* outlet, NULL when unknown */
    const char *date;    /* ISO 8601 YYYY-MM-DD, NULL when unknown */
    int title_is_first_sentence; /* the text has no headline: title is its
                                    first sentence (shown marked as such) */
    int one_file_line;   /* the whole text stands on line file_line of its
                            file (a JSON Lines article): every passage is
                            there, whatever line breaks the text has */
} pt_article;
#define PT_ARTICLE_INIT { PT_ARTICLE_VERSION, NULL, NULL, NULL, 0, 0, 1, NULL, NULL, NULL, 0, 0 }

/* What pt_index_add did with an article. */
typedef enum {
    PT_ADD_NEW = 0,   /* no article had this id */
    PT_ADD_UPDATED,   /* an article with this id was replaced */
    PT_ADD_UNCHANGED, /* the same id with the same text and metadata: nothing written */
} pt_add_kind;

typedef struct {
    pt_add_kind kind;
    size_t passages; /* passages the article has now */
} pt_add_result;

/* Cuts the article into passages and adds them, replacing any article with
 * the same id unless it is unchanged (same text, title, source, date and
 * path: then nothing is written). The strings are copied; the caller keeps
 * ownership. Nothing is visible to readers before pt_index_commit.
 * *result_out (may be NULL) says what happened. Inside a source pass
 * (pt_index_source_begin) the article is counted as that source's.
 * Errors: PT_EINVAL (no id, an id over PT_MAX_ID_BYTES, bad version),
 * PT_EIO, PT_ENOMEM, PT_ERROR. */
int pt_index_add(pt_index *ix, const pt_article *article, pt_add_result *result_out);

/* Learns from an article without adding it: each short line of its text
 * is counted for its source (a->source, or the unknown source), and a line
 * that recurs across enough of the source's articles is boilerplate,
 * never a passage of the articles added afterwards (the table is stored
 * with the next commit). An article already in the index is not counted
 * again (so reading a changed file twice does not inflate counts). ptindex
 * learns from every new article of a run before it adds the first.
 * Errors: PT_EINVAL, PT_ENOMEM, PT_EIO. */
int pt_index_learn(pt_index *ix, const pt_article *article);

/* Removes the article with this id. Returns PT_ENOTFOUND when there is
 * none. The source file it came from (see the manifest below) no longer
 * lists it and is marked for reading again: the next pass over that file
 * adds the article back if the file still has it. */
int pt_index_remove(pt_index *ix, const char *id);

/* Makes all changes since the last commit visible, atomically. Errors:
 * PT_ENOSPC (the disk is full), PT_EIO, PT_ECORRUPT, PT_ERROR: the index
 * stays at its previous commit, and ix refuses every further change with
 * the same error (free it; open the index again to go on). A failed
 * write in pt_index_add or pt_index_remove (PT_ENOSPC, PT_EIO,
 * PT_ECORRUPT) does the same. */
int pt_index_commit(pt_index *ix);

/* Xapian 1.4 cannot report one write failure: a disk filling up while a
 * commit writes its value chunks ends the process (std::terminate). With
 * a handler set, fn(status, ctx) is called first, in the thread that
 * failed, with the message in pt_error_last(); the index is then at its
 * last commit. fn should report, clean up and _exit: if it returns, the
 * process aborts. One handler per process. */
void pt_set_fatal_write_handler(void (*fn)(int status, void *ctx), void *ctx);

/* Rewrites the committed index compactly (Xapian's compaction: full
 * blocks, no free space; about half the size after a full build) and swaps
 * it into place in one rename while ix still holds the lock, so searchers
 * see the old files or the new ones. Work not committed is dropped: commit
 * first. Needs disk space for a second copy. Afterwards ix can only be
 * freed. Errors: PT_EIO, PT_ERROR (the index is then as it was). */
int pt_index_compact(pt_index *ix);

/* Parallel full builds. Each thread writes its own part, a fresh index in
 * a temporary directory beside dir (DIR.part-PID-K; pt_index_free removes
 * it), and pt_index_merge_parts then compacts ix and its parts into ix.
 * An article id must go to one part only (with all its replacements);
 * the source manifest and roots may be kept in one more part. */
int pt_index_open_part(pt_index **out, const char *dir, unsigned k);

/* Like pt_index_compact, the compacted index also holding the committed
 * work of parts[0..n) (work they did not commit is dropped): documents
 * follow ix's in the order of the parts, article counts add up, and other
 * metadata more than one holds (the schema) keeps ix's value. Afterwards
 * ix and the parts can only be freed. */
int pt_index_merge_parts(pt_index *ix, pt_index *const *parts, size_t n);

/* Index-wide statistics as this writer sees them (committed and pending). */
typedef struct {
    uint64_t articles;
    uint64_t passages;
} pt_index_stats;
int pt_index_get_stats(pt_index *ix, pt_index_stats *out);

/* ------------------------------------------------------ sources (manifest)
 *
 * The index remembers every file it read articles from — size, mtime, a
 * hash of its bytes, and the ids of its articles — in the same commits as
 * the articles, so an indexer can tell unchanged files from changed ones
 * and remove the articles of deleted files. */

typedef struct {
    uint64_t size;
    int64_t mtime_ns;
    uint64_t hash;     /* pt_hash_bytes of the file's bytes as stored on disk */
    uint64_t articles; /* pt_index_source_stamp only: articles the source gave */
} pt_source_stamp;

/* 64-bit FNV-1a of data, continuing from seed (start with PT_HASH_SEED). */
#define PT_HASH_SEED 14695981039346656037ull
uint64_t pt_hash_bytes(uint64_t seed, const void *data, size_t len);

/* The stamp recorded for path; PT_ENOTFOUND when the index has none. */
int pt_index_source_stamp(pt_index *ix, const char *path, pt_source_stamp *out);

/* Starts a pass over the source path: the articles added until
 * pt_index_source_end are that source's articles. One pass at a time. */
int pt_index_source_begin(pt_index *ix, const char *path);

/* Ends the pass: articles the source had before and did not give in this
 * pass are removed, and the stamp and article list are recorded.
 * *removed_out (may be NULL) counts the removed articles. */
int pt_index_source_end(pt_index *ix, const pt_source_stamp *stamp, size_t *removed_out);

/* Counts id as an article of the open source pass without adding it here
 * (a parallel build adds it to a part). */
int pt_index_source_add_id(pt_index *ix, const char *id);

/* Ends the pass without changing the source's record or removing anything
 * (the pass was interrupted). NULL-safe, never fails. */
void pt_index_source_abort(pt_index *ix);

/* Ends the pass of a source that could not be read whole (a read error
 * part way): nothing is removed; the source lists the articles it had and
 * those given in this pass, and keeps its old stamp (a new source gets
 * one no file matches), so the next pass reads it again. */
int pt_index_source_keep(pt_index *ix);

/* Records a new stamp for a source whose content did not change. */
int pt_index_source_touch(pt_index *ix, const char *path, const pt_source_stamp *stamp);

/* Removes the source and every article it gave. PT_ENOTFOUND when the
 * index has no such source. */
int pt_index_source_remove(pt_index *ix, const char *path, size_t *removed_out);

/* Calls cb for every recorded source path that starts with prefix, in byte
 * order; a non-zero return from cb stops and is returned. cb must not
 * change the index; collect the paths and act afterwards. */
typedef int (*pt_source_cb)(const char *path, void *ctx);
int pt_index_sources(pt_index *ix, const char *prefix, pt_source_cb cb, void *ctx);

/* Records path as a root the index was built from (ptindex --rebuild
 * reads them again); recording a root twice is harmless. */
int pt_index_add_root(pt_index *ix, const char *path);

/* Calls cb for every recorded root (paths up to 200 bytes in byte order,
 * then the longer ones). */
int pt_index_roots(pt_index *ix, pt_source_cb cb, void *ctx);

/* The same from the committed index at dir, read-only (no writer, no
 * lock): for an index too damaged to open for writing. */
int pt_index_read_roots(const char *dir, pt_source_cb cb, void *ctx);

/* Removes the temporary directories beside the index at dir that this
 * process made (DIR.new-PID, DIR.rebuild-PID, DIR.compact-PID,
 * DIR.part-PID-K): for a program that ends on a failure it cannot unwind
 * from (pt_set_fatal_write_handler). */
void pt_index_remove_own_temps(const char *dir);

/* Checks the index at dir: the tables it needs are present, Xapian's own
 * consistency check passes, a search runs, then the project's check
 * (every passage belongs to an article record, the article count is
 * right, every source's articles exist). Each problem found is passed to
 * report (may be NULL), once the whole check has seen one committed state.
 * *stats_out (may be NULL) receives the counts of that state. Works while
 * a writer is busy: a commit during the check makes it start again, a few
 * times; PT_EMODIFIED when every attempt saw a commit (no stable view).
 * Returns 0 when all is well, PT_ECORRUPT when a problem was found, or
 * another status when the check could not run. */
int pt_index_check(const char *dir, void (*report)(const char *problem, void *ctx), void *ctx,
                   pt_index_stats *stats_out);

/* -------------------------------------------------------------- searching */

typedef struct pt_searcher pt_searcher;

/* Opens the index in dir for reading. PT_ENOTFOUND when it does not exist,
 * PT_ECORRUPT / PT_EVERSION when it cannot be read (a failure a writer's
 * commit can cause is tried again first). Free with pt_searcher_free.
 * Each pt_search reads the latest commit of the index. A searcher is used
 * by one thread at a time; threads searching at once each use their own
 * (ptserve keeps a pool of them). */
int pt_searcher_open(pt_searcher **out, const char *dir);
/* The same; when dir is a stub file whose shards are not all reachable,
 * PT_ESHARD naming the first one that is not, or with partial (non-zero)
 * a searcher over the shards that are (PT_ESHARD when none is), whose
 * pt_searcher_unreachable names the others. */
int pt_searcher_open_partial(pt_searcher **out, const char *dir, int partial);
/* The shards a partial open left out, ", "-separated (HOST:PORT as the
 * stub names them), or NULL when none. */
const char *pt_searcher_unreachable(const pt_searcher *s);
void pt_searcher_free(pt_searcher *s); /* NULL-safe */

/* Query flags (pt_search_opts.flags). */
enum {
    PT_SEARCH_NO_OPERATORS = 1u << 0,  /* AND, OR, NOT, NEAR are words (batch files) */
    PT_SEARCH_EXACT = 1u << 1,         /* no name variants: only the spelling typed */
    PT_SEARCH_ALL_WORDS = 1u << 2,     /* juxtaposed words are AND-ed (default: OR) */
    PT_SEARCH_KEEP_STOPWORDS = 1u << 3, /* search stopwords (default: only in phrases) */
    PT_SEARCH_DROP_STOPWORDS = 1u << 4, /* drop stopwords inside phrases too */
    PT_SEARCH_EXPAND = 1u << 5,        /* also find words related in meaning (WordNet),
                                          weighted below the words typed; EXACT wins */
    PT_SEARCH_EXPLAIN = 1u << 6,       /* fill pt_hit.explain (costs a search per part) */
    PT_SEARCH_NO_GROUP = 1u << 7,      /* list the same passage of several outlets as
                                          separate hits, not once with also_in */
    PT_SEARCH_FEEDBACK = 1u << 8,      /* pseudo-relevance feedback: the words that
                                          set the best passages apart rank the
                                          passages the query matches (a second
                                          search); they are not highlighted */
    PT_SEARCH_TOTALS = 1u << 9,        /* count the matching passages and articles
                                          (pt_hits_articles_estimated; a second,
                                          unranked match) */
};
/* The default flags of PT_SEARCH_OPTS_INIT and of ptsearch: the ranking
 * measured best (README, "Ranking"). Clear them for plain BM25. */
#define PT_SEARCH_DEFAULT (PT_SEARCH_EXPAND | PT_SEARCH_FEEDBACK)

/* The order of hits (pt_search_opts.sort, version 4). */
typedef enum {
    PT_SORT_SCORE = 0, /* best first (the default) */
    PT_SORT_DATE = 1,  /* newest article first, then best first; undated last */
} pt_sort;

/* Version 2 added flags and suggest_below, version 3 timeout, version 4
 * first and sort; a version 1 struct still works and searches with
 * PT_SEARCH_DEFAULT, a version 1 or 2 one with no time limit, a version 1
 * to 3 one from the first hit, best first. */
#define PT_SEARCH_OPTS_VERSION 4
typedef struct {
    int version;          /* PT_SEARCH_OPTS_VERSION */
    unsigned max_hits;    /* best N passages (default 10) */
    unsigned per_article; /* at most K passages per article (default 2; 0 = no limit) */
    unsigned flags;       /* PT_SEARCH_* (default PT_SEARCH_DEFAULT) */
    unsigned suggest_below; /* look for a "did you mean" when fewer passages match
                             * (default 3; 0 = never) */
    double timeout;       /* seconds the search may take (default 0 = no limit;
                           * ptsearch: 5). At the limit the ranking ends with
                           * the passages found so far, and wider grouping
                           * windows, explanations and suggestions are
                           * skipped: pt_hits_incomplete says so. The limit is
                           * checked between documents, so a damaged index
                           * can still stall inside Xapian (ptsearch adds a
                           * hard stop of its own). */
    unsigned first;       /* skip this many hits (pages: first = page * max_hits);
                           * ranks count from first + 1 */
    pt_sort sort;         /* PT_SORT_SCORE (default) or PT_SORT_DATE */
} pt_search_opts;
#define PT_SEARCH_MAX_FIRST 100000 /* pt_search_opts.first at most */
#define PT_SEARCH_OPTS_INIT { PT_SEARCH_OPTS_VERSION, 10, 2, PT_SEARCH_DEFAULT, 3, 0, 0, PT_SORT_SCORE }

/* Limits of a query (pt_search fails with PT_EQUERY, the message naming
 * the limit): its length in bytes; words (in phrases and fields too,
 * stopwords included; a pasted text of 1,000 words is well within it);
 * prefix* wildcards (each matches at most its 100 most frequent words);
 * parentheses and NOT nested; field:value filters. Past the first 64
 * words no word gets name variants, past the first 32 none gets related
 * words (caps, not errors). */
#define PT_QUERY_MAX_BYTES 32768
#define PT_QUERY_MAX_WORDS 2000
#define PT_QUERY_MAX_WILDCARDS 10
#define PT_QUERY_MAX_DEPTH 64
#define PT_QUERY_MAX_FIELDS 64

/* A byte range [start, end) inside a hit's passage text. */
typedef struct {
    size_t start, end;
} pt_range;

/* Why a highlighted range matched (pt_hit.highlight_kinds). */
typedef enum {
    PT_MARK_TYPED = 0,   /* a word as typed (its stem) */
    PT_MARK_VARIANT = 1, /* another spelling of a typed name or number */
    PT_MARK_RELATED = 2, /* a word WordNet relates to a typed word */
    PT_MARK_PHRASE = 3,  /* a whole "phrase" match, one range from its first
                          * word to its last */
} pt_mark_kind;
/* "typed", "variant", "related", "phrase"; NULL for an unknown kind. */
const char *pt_mark_kind_name(pt_mark_kind kind);

/* One additive part of a hit's score: a readable form of a sub-query (a
 * word with its variants, a phrase, a related word scaled by its weight...)
 * and what it adds; a hit's parts sum to its score. kind says where the
 * part comes from: "typed" (a word as typed), "variant" (the word or its
 * other spellings), "related" (WordNet), "phrase" (a phrase or NEAR),
 * "proximity" (typed words side by side), "title" (a typed word in the
 * article's title), "feedback" (a word of the best passages), "article"
 * (what the article's evidence adds or takes: see README), "other". */
typedef struct {
    const char *part;
    double score;
    const char *kind; /* static string */
} pt_explain_part;

/* Another article carrying (nearly) the same passage as a hit: a wire copy,
 * a quote repeated verbatim. Strings as in pt_hit. */
typedef struct {
    const char *article;
    const char *path;
    const char *title;
    const char *source;
    const char *date;
    uint32_t line;
    double score;
} pt_also;

/* One ranked passage. Every pointer is borrowed from the pt_hits that holds
 * it and stays valid until pt_hits_free. Strings are NUL-terminated; title,
 * source and date are NULL when unknown. */
typedef struct {
    unsigned rank;           /* 1-based */
    double score;
    const char *article;     /* stable article id */
    const char *path;        /* source file, or NULL */
    const char *title;
    const char *source;
    const char *date;        /* YYYY-MM-DD or NULL */
    const char *passage;     /* passage text */
    size_t passage_len;
    size_t start, end;       /* byte range of the passage in its file */
    uint32_t line;           /* line of the passage start in its file */
    const pt_range *highlights; /* matched words, ranges inside passage */
    size_t n_highlights;
    const pt_explain_part *explain; /* with PT_SEARCH_EXPLAIN, else NULL */
    size_t n_explain;
    const pt_also *also_in;  /* the same passage elsewhere, best first (unless
                              * PT_SEARCH_NO_GROUP); NULL when none */
    size_t n_also_in;
    int title_is_first_sentence; /* the article has no headline: title is
                                    the first sentence of its text */
    const pt_mark_kind *highlight_kinds; /* n_highlights of them: each range's kind */
} pt_hit;

typedef struct pt_hits pt_hits;

/* Runs query (UTF-8 text, analyzed by the same analyzer as the articles;
 * control characters and invalid bytes separate words) and ranks
 * passages. opts may be NULL for the defaults. On success *out holds the
 * hits (possibly none). The query language (words, "phrases", -word, NOT,
 * AND, OR, parentheses, NEAR/n, prefix*, title:, source:, lang:, date:) is
 * described in the README. Each search reads one commit of the index, the
 * latest: when a writer's commit makes it fail (PT_EMODIFIED, or a block
 * rewritten under it), it runs again on the latest commit, up to 30 times
 * within the time limit, from the third time holding the writer's next
 * commit back (for at most 10 s) so that a slow search finishes too.
 * Errors: PT_EQUERY (the query has no searchable
 * word, a bad or reversed date range, an unknown language, a
 * PT_QUERY_MAX_* limit; the message names it), PT_EMODIFIED (the index
 * changed under every attempt), PT_ECORRUPT (the same failure twice on an
 * unchanged index), PT_EINVAL, PT_ENOMEM, PT_ERROR. */
int pt_search(pt_hits **out, pt_searcher *s, const char *query, const pt_search_opts *opts);

size_t pt_hits_count(const pt_hits *hits);
/* Borrowed; i < pt_hits_count. Valid until pt_hits_free. */
const pt_hit *pt_hits_get(const pt_hits *hits, size_t i);
/* Number of passages that matched, estimated by the engine (with
 * PT_SEARCH_TOTALS counted as for pt_hits_articles_estimated; without, as
 * the ranking saw them, at most per_article an article). */
uint64_t pt_hits_matches_estimated(const pt_hits *hits);
/* Number of articles with a passage that matched, estimated by the engine
 * (exact when fewer than 2,000 passages match); 0 unless the search had
 * PT_SEARCH_TOTALS. */
uint64_t pt_hits_articles_estimated(const pt_hits *hits);
/* Non-zero when the search stopped at its time limit (pt_search_opts
 * timeout): the hits are the best found by then, and may miss better ones. */
int pt_hits_incomplete(const pt_hits *hits);
/* "Did you mean": the query with misspelt or unknown words replaced by
 * close, much more frequent words of the index, or NULL when the query
 * found enough (see suggest_below) or nothing better is known. Borrowed;
 * valid until pt_hits_free. */
const char *pt_hits_suggestion(const pt_hits *hits);

/* A word of the query that no passage holds, searched only through its
 * spelling variants or related words ("no passage has 'donbas'; showing
 * 'donbass'"). word is the word as the analyzer reads it (case-folded);
 * shown the index terms searched instead (stems, as the index holds them),
 * separated by one space. Negated words and title: or source: values are
 * not reported. */
typedef struct {
    const char *word;
    const char *shown;
} pt_substitution;
/* The number of such words (0 for NULL hits), in query order. */
size_t pt_hits_substitution_count(const pt_hits *hits);
/* Borrowed, NULL when i is out of range; valid until pt_hits_free. */
const pt_substitution *pt_hits_substitution(const pt_hits *hits, size_t i);
void pt_hits_free(pt_hits *hits); /* NULL-safe */

/* ------------------------------------------------------ parallel builds */

/* Which of n_parts parts of a parallel build the article id goes to
 * (0 .. n_parts-1; n_parts > 0): ids the index takes for one article (a
 * long id is keyed by a hash of it) always go to the same part. */
unsigned pt_index_part_of(const char *id, unsigned n_parts);

/* What makes two articles exact copies of each other: a hash of their
 * text, title, source and date (not the id or the path). The index keeps
 * one copy's passages and lists the others beside it, within one index
 * (and across the shards of one); a parallel build sends articles of one
 * content to one part. Never fails. */
uint64_t pt_article_content_hash(const pt_article *a);

/* From now on part reads from's table of the lines each source repeats
 * (learned by pt_index_learn) instead of its own, which is freed: from
 * must outlive part, and part never writes the table. For the parts of a
 * parallel build (pt_index_open_part), so all filter boilerplate alike. */
void pt_index_share_recurring(pt_index *part, pt_index *from);

/* ----------------------------------------- text tools the programs share
 *
 * Not needed to index or search: the pieces of the library that the
 * indexer's readers and the searcher's output reuse, so that text is
 * repaired, dates are read and messages are kept as the library does. */

/* Records a message (printf format, any length: one past 8 KiB ends in
 * "...") as the calling thread's pt_error_last() and returns status, so a
 * caller can write `return pt_fail(PT_EINVAL, "bad id: %s", id);`. */
int pt_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A growable byte buffer. Start from PT_BUF_INIT; free with pt_buf_free.
 * data is NUL-terminated after every append (NULL before the first); the
 * buffer owns it. Each append returns 0 or PT_ENOMEM (the buffer is
 * unchanged then). */
typedef struct {
    char *data;
    size_t len;
    size_t cap;
} pt_buf;

#define PT_BUF_INIT { NULL, 0, 0 }

int pt_buf_append(pt_buf *b, const void *data, size_t len);
int pt_buf_append_str(pt_buf *b, const char *s);
int pt_buf_append_byte(pt_buf *b, uint8_t byte);
/* printf-style text, whatever its length. */
int pt_buf_appendf(pt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int pt_buf_reserve(pt_buf *b, size_t extra);
void pt_buf_reset(pt_buf *b); /* len = 0, keeps the memory */
void pt_buf_free(pt_buf *b);  /* frees the memory, back to PT_BUF_INIT */

/* A malloc'd string formatted as printf would (the caller frees it), or
 * NULL when out of memory: for paths and keys of any length. */
char *pt_strdupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same over a va_list (which it consumes, as vsnprintf does). */
char *pt_vstrdupf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* What pt_utf8_repair changed. */
typedef struct {
    size_t invalid; /* invalid bytes replaced by U+FFFD */
    size_t nul;     /* NUL bytes replaced by spaces */
} pt_utf8_repairs;

/* Repairs text before it is indexed or printed, so the index (and the JSON
 * ptsearch prints) only ever holds valid UTF-8: invalid bytes become
 * U+FFFD, NUL bytes spaces. Repairs text[0..*len) in place when it is
 * already valid (the common case: no allocation; NUL bytes become spaces
 * where they are), else into a new malloc'd buffer that replaces *text
 * (the old one is freed). *text stays NUL-terminated: the byte
 * (*text)[*len] is left alone in place and written in a new buffer.
 * Returns 0 or PT_ENOMEM (text unchanged). *repairs (may be NULL) counts
 * what changed.
 *
 * Validation is strict (no overlong forms, no surrogates, nothing above
 * U+10FFFF). Each maximal invalid subpart (Unicode §3.9, as browsers do)
 * becomes one U+FFFD: a truncated "E2 82" is one, but "C0 80", "ED A0 80"
 * and "F4 90 80 80" are one per byte. repairs->invalid counts the bytes
 * replaced, not the U+FFFDs written. */
int pt_utf8_repair(char **text, size_t *len, pt_utf8_repairs *repairs);

/* Non-zero when s[0..len) is valid UTF-8 without NUL bytes. */
int pt_utf8_is_clean(const char *s, size_t len);

/* Parses one date written as YYYY-MM-DD (also with a time after it, as in
 * ISO 8601), "December 16, 2025", "Dec 15, 2025", "15 December 2025" or
 * "2025/12/15" (s need not be NUL-terminated). On success writes
 * "YYYY-MM-DD" and a NUL into out and returns the number of bytes of s
 * consumed; returns 0 when s does not start with a valid date (including
 * impossible ones like 2025-02-30). The boilerplate filter's date lines
 * are read by the same rules. */
size_t pt_date_parse(const char *s, size_t len, char out[11]);

/* Is the line text[start..end) a photo credit ("John Macdougall | Afp |
 * Getty Images", "Photo: Reuters")? Passages leave such lines out. */
int pt_boilerplate_is_credit(const char *text, size_t start, size_t end);

/* Is the line text[start..end) a photo caption: a short line ending in a
 * credit ("... remain over land. -AP"), or a short sentence followed by a
 * credit line (text_len: the whole text's length, to look ahead)? */
int pt_boilerplate_is_caption(const char *text, size_t start, size_t end, size_t text_len);
/* The passages of the article with this id, in the article's order, read
 * from the latest commit (retried as pt_search is when a writer's commit
 * gets in the way): at most max of them (0 counts as 1). Each hit's rank is
 * its passage number from 1, its score 0, with no highlights; title,
 * source, date and path are the article's. Errors: PT_ENOTFOUND (no such
 * article), PT_EINVAL (an empty id, or one over PT_MAX_ID_BYTES),
 * PT_ENOMEM, PT_ECORRUPT, PT_ERROR. */
int pt_article_passages(pt_hits **out, pt_searcher *s, const char *id, unsigned max);

#ifdef __cplusplus
}
#endif
#endif
