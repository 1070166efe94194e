/* xapian_binding.h — the project's C binding over xapian-core (the one
 * C++ file, xapian_binding.cc, is behind it). Write side: writers (a part
 * of a parallel build too), documents, metadata, commits, per-article
 * counts. Read side: readers (reopen, deadlines, statistics), query
 * objects built node by node, search, count, the parts, windows and node
 * tree that remote_check.h reads, article scores and relevance feedback. Maintenance: check, snapshot, probe, compact, merge.
 * Handles are opaque; no C++ type and no exception crosses this header:
 * every function returns 0 or a negative PT_E* status (message in
 * pt_error_last()), or NULL for constructors that failed. */
#ifndef PT_XAPIAN_BINDING_H
#define PT_XAPIAN_BINDING_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ptx_writer ptx_writer;
typedef struct ptx_reader ptx_reader;
typedef struct ptx_doc ptx_doc;
typedef struct ptx_query ptx_query;

/* ------------------------------------------------------------ write side */

/* Opens a writable glass database at path. create: create it when missing
 * (else PT_ENOTFOUND). wait: block on another writer's lock (else
 * PT_ELOCKED at once). */
int ptx_writer_open(ptx_writer **out, const char *path, int create, int wait);

/* Creates (or empties) a glass database at path for one part of a
 * parallel build: written without fsync, as it is merged into the index
 * (ptx_compact_many) before anything relies on it. */
int ptx_writer_open_part(ptx_writer **out, const char *path);

/* Closes without committing (pending changes are dropped); NULL-safe. */
void ptx_writer_close(ptx_writer *w);

/* Adds doc; its contents are copied. *docid_out may be NULL. */
int ptx_writer_add(ptx_writer *w, const ptx_doc *doc, uint32_t *docid_out);

/* Deletes every document indexed by term (e.g. all passages of an article).
 * Deleting a term no document has is not an error. */
int ptx_writer_delete_term(ptx_writer *w, const char *term);

/* Sets a user metadata entry; an empty value (len 0) deletes it. Written by
 * the same commit as the documents. */
int ptx_writer_set_metadata(ptx_writer *w, const char *key, const void *value, size_t len);

/* Reads a metadata entry as the writer sees it (committed or pending).
 * *out is malloc'd (NUL-terminated, *len_out excludes the NUL): caller
 * frees. PT_ENOTFOUND when absent. */
int ptx_writer_get_metadata(ptx_writer *w, const char *key, char **out, size_t *len_out);

/* Number of documents indexed by term (0 when none). */
int ptx_writer_termfreq(ptx_writer *w, const char *term, uint64_t *out);
int ptx_writer_doccount(ptx_writer *w, uint64_t *out);

/* Commits all pending changes atomically. After a failure (of this or any
 * other writer call but PT_EINVAL) the writer returns that failure from
 * every call and can only be closed; the database stays at its last
 * commit. */
int ptx_writer_commit(ptx_writer *w);
/* Article statistics (schema.h, PT_META_EXCESS), written by the next
 * commit: count_passage notes the words of a passage of the article being
 * written (before ptx_writer_add), end_article adds that article to the
 * excess; uncount_article takes away the indexed article whose passages
 * carry article_term (call it before deleting them). */
int ptx_writer_count_passage(ptx_writer *w, const ptx_doc *doc);
int ptx_writer_end_article(ptx_writer *w);
int ptx_writer_uncount_article(ptx_writer *w, const char *article_term);

/* Calls cb with the record (value PT_SLOT_RECORD, else the data) of each
 * document indexed by term, as the writer sees them (pending changes
 * included), in docid order; stops at cb's first non-zero return, which it
 * returns. The data is valid during the call only. */
typedef int (*ptx_record_cb)(const char *data, size_t len, void *ctx);
int ptx_writer_records(ptx_writer *w, const char *term, ptx_record_cb cb, void *ctx);

/* A write failure Xapian cannot report (a full disk while a commit writes
 * value chunks ends in std::terminate) calls fn(status, ctx) first, in the
 * thread that failed, with the message in pt_error_last(). fn should not
 * return (the process is then aborted). The database is at its last
 * commit. One handler per process; a new call replaces it. */
void ptx_on_fatal_write(void (*fn)(int status, void *ctx), void *ctx);

/* Calls cb for every metadata key starting with prefix, in key order; a
 * non-zero return from cb stops and is returned. */
typedef int (*ptx_key_cb)(const char *key, size_t len, void *ctx);
int ptx_writer_metadata_keys(ptx_writer *w, const char *prefix, ptx_key_cb cb, void *ctx);

/* The same over a reader's view. */
int ptx_reader_metadata_keys(ptx_reader *r, const char *prefix, ptx_key_cb cb, void *ctx);

/* -------------------------------------------------------------- documents */

int ptx_doc_new(ptx_doc **out);
void ptx_doc_free(ptx_doc *doc); /* NULL-safe */
/* Empties terms, values and data so the document can be reused. */
void ptx_doc_clear(ptx_doc *doc);
/* A term at a position (wdf grows by wdf_inc). */
int ptx_doc_add_posting(ptx_doc *doc, const char *term, size_t len, uint32_t pos, unsigned wdf_inc);
/* A term without position. */
int ptx_doc_add_term(ptx_doc *doc, const char *term, size_t len, unsigned wdf_inc);
/* A filter term (wdf 0: does not change the document length). */
int ptx_doc_add_boolean_term(ptx_doc *doc, const char *term, size_t len);
int ptx_doc_set_value(ptx_doc *doc, unsigned slot, const void *value, size_t len);
int ptx_doc_set_data(ptx_doc *doc, const void *data, size_t len);

/* -------------------------------------------------------------- read side */

/* Opens a database for reading: a glass directory or a stub file listing
 * shards (local or remote). PT_ENOTFOUND when path holds no database. */
int ptx_reader_open(ptx_reader **out, const char *path);
/* The same; a stub's shards are opened one by one (remote ones with
 * Xapian::Remote::open's time limits), and one that cannot be opened
 * fails the open naming it (PT_ESHARD for a remote shard), or with
 * partial is skipped (PT_ESHARD only when none opens). */
int ptx_reader_open_shards(ptx_reader **out, const char *path, int partial);
/* The shards a partial open skipped, ", "-separated ("HOST:PORT, ..."),
 * or NULL when none. */
const char *ptx_reader_unreachable(const ptx_reader *r);
void ptx_reader_close(ptx_reader *r); /* NULL-safe */

/* Moves the reader to the latest commit. *changed_out (may be NULL) is
 * set to 0 when the index has certainly not changed since the reader was
 * opened or last reopened (no commit since), else to 1. */
int ptx_reader_reopen(ptx_reader *r, int *changed_out);
/* How many times the reader moved to another commit (or may have: a
 * reopen that failed): what a caller keeps of one commit is stale once
 * this changes. */
uint64_t ptx_reader_generation(const ptx_reader *r);

/* A time limit for what the reader does from now on: deadline is
 * pt_clock_now() seconds (deadline.h), 0 for none. Past it, searches and
 * explanations end early with the hits found so far (a FILTER on a source
 * that ends at the deadline wraps each query, unless a shard is remote:
 * the stock xapian-tcpsrv cannot rebuild it), and a positional check
 * stops reading passages. Resets ptx_reader_timed_out. */
void ptx_reader_set_deadline(ptx_reader *r, double deadline);
/* Non-zero when something stopped early at the deadline since it was set. */
int ptx_reader_timed_out(const ptx_reader *r);
/* Non-zero when the deadline has passed (and records it for
 * ptx_reader_timed_out): for the caller's own loops. */
int ptx_reader_out_of_time(ptx_reader *r);

int ptx_reader_get_metadata(ptx_reader *r, const char *key, char **out, size_t *len_out);
int ptx_reader_termfreq(ptx_reader *r, const char *term, uint64_t *out);
/* Reads term's posting list once, skipping forward through docids[0..n)
 * (ascending): has_out[i] is 1 when document docids[i] holds term (a
 * filter term has wdf 0), wdf_out[i] its wdf there (0 when it lacks it). */
int ptx_reader_wdf_at(ptx_reader *r, const char *term, const uint32_t *docids, size_t n, uint32_t *wdf_out,
                      unsigned char *has_out);
/* Calls cb for every document of term's posting list, in docid order,
 * with its length (sum of wdf); a non-zero return from cb stops and is
 * returned. */
typedef int (*ptx_doc_length_cb)(uint32_t docid, double doclength, void *ctx);
int ptx_reader_postlist(ptx_reader *r, const char *term, ptx_doc_length_cb cb, void *ctx);
int ptx_reader_doccount(ptx_reader *r, uint64_t *out);
/* The average document length (sum of wdf), as BM25 reads it. */
int ptx_reader_avlength(ptx_reader *r, double *out);

/* Calls cb for every term starting with prefix, with its document
 * frequency; a non-zero return from cb stops and is returned. */
typedef int (*ptx_term_cb)(const char *term, size_t len, uint64_t termfreq, void *ctx);
int ptx_reader_allterms(ptx_reader *r, const char *prefix, ptx_term_cb cb, void *ctx);

/* The sum of a decimal count kept as metadata over the shards of a stub
 * file, local and remote (Xapian reads only the first shard's), or its
 * value in a single database; 0 when absent. */
int ptx_reader_metadata_sum(ptx_reader *r, const char *key, int64_t *out);

/* ---------------------------------------------------------------- queries */

/* Query constructors return NULL on failure (out of memory, invalid
 * argument; message in pt_error_last()). A query is a value: combinators
 * copy their parts, so the caller still frees every query it made. */
enum ptx_op {
    PTX_OP_AND, PTX_OP_OR, PTX_OP_AND_NOT, PTX_OP_AND_MAYBE, PTX_OP_FILTER,
    PTX_OP_NEAR, PTX_OP_PHRASE, PTX_OP_SYNONYM, PTX_OP_MAX,
};
ptx_query *ptx_query_term(const char *term, size_t len, unsigned wqf, uint32_t pos);
/* window: for NEAR and PHRASE (0 = number of parts); ignored otherwise.
 * Xapian's own NEAR and PHRASE need positions in the index
 * (ptx_doc_add_posting); over ptsearch's index use positional.h. */
ptx_query *ptx_query_combine(enum ptx_op op, ptx_query *const *parts, size_t n, unsigned window);
/* q with its weight times factor (factor 1.0: a copy, no extra node). */
ptx_query *ptx_query_scale(const ptx_query *q, double factor);
/* A copy of q (queries are values: the copy shares nothing the caller
 * must keep alive). */
ptx_query *ptx_query_copy(const ptx_query *q);
/* Documents whose value in slot lies in [lo, hi]; NULL for an open end. */
ptx_query *ptx_query_value_range(unsigned slot, const char *lo, const char *hi);
/* Every term starting with prefix, OR-ed as one synonym (at most
 * max_expansion terms, 0 = no limit; the most frequent are kept). */
ptx_query *ptx_query_wildcard(const char *prefix, unsigned max_expansion);
/* The documents indexed by term (a filter term, say), each weighing weight
 * whatever its wdf; --explain shows the part as label. */
ptx_query *ptx_query_constant(const char *term, size_t len, double weight, const char *label);
ptx_query *ptx_query_match_all(void);
ptx_query *ptx_query_match_nothing(void);
int ptx_query_is_empty(const ptx_query *q);
/* PHRASE and NEAR without positions in the index (schema.h), the
 * primitive of positional.h, which does the matching: the AND of
 * parts[0..n), filtered by check(data, len, ctx), called for each
 * candidate document (after every part matched it) with its record
 * data[0..len) (value slot PT_SLOT_RECORD, or the document data when that
 * is empty): it returns 1 to keep the document, 0 to drop it, or a
 * negative PT_E* status (with pt_fail) that fails the search. The weight
 * is the AND's, as Xapian's PHRASE and NEAR weigh; op and window (0 = n)
 * only name the query for explanations. op is PTX_OP_PHRASE or
 * PTX_OP_NEAR (else NULL, PT_EINVAL); n >= 2. unless (may be NULL) is a
 * term whose documents are never candidates (nor checked): for a part of
 * a query that another part already covers. The query takes ctx:
 * free_ctx(ctx) (may be NULL) runs once the query and every query built
 * from it are freed, or before this returns NULL. A query holding one
 * cannot search a remote shard (the stock xapian-tcpsrv cannot rebuild
 * the check): on such a reader, ptx_reader_search and ptx_reader_count
 * of it fail with PT_EINVAL; remote_check.h runs it there. */
typedef int (*ptx_doc_check_fn)(const char *data, size_t len, void *ctx);
ptx_query *ptx_query_positional(enum ptx_op op, ptx_query *const *parts, size_t n, unsigned window,
                                const char *unless, ptx_doc_check_fn check, void *ctx,
                                void (*free_ctx)(void *ctx));
/* Calls cb for each distinct term of q's leaves, in byte order; a
 * non-zero return from cb stops and is returned. */
typedef int (*ptx_query_term_cb)(const char *term, size_t len, void *ctx);
int ptx_query_terms(const ptx_query *q, ptx_query_term_cb cb, void *ctx);
/* What a part of a query stands for, in explanations (ptx_query_label). */
enum ptx_part_kind {
    PTX_PART_OTHER, PTX_PART_TYPED, PTX_PART_VARIANT, PTX_PART_RELATED, PTX_PART_PHRASE,
    PTX_PART_PROXIMITY, PTX_PART_TITLE, PTX_PART_FEEDBACK,
    PTX_PART_ARTICLE, /* the article evidence (search.c), never a query node */
};
/* q labelled as one part of its explanations: kind and text are kept in a
 * side table the query carries through every combinator, and
 * ptx_query_parts hands the labelled node as one part under that text
 * (a constant weight is labelled PTX_PART_TITLE by its label). */
ptx_query *ptx_query_label(const ptx_query *q, enum ptx_part_kind kind, const char *text);
/* Human-readable form (for --explain and tests); malloc'd, caller frees. */
char *ptx_query_describe(const ptx_query *q);
void ptx_query_free(ptx_query *q); /* NULL-safe */

/* ---------------------------------------------------------------- search */

typedef struct {
    unsigned first;        /* skip this many hits */
    unsigned max;          /* return at most this many */
    int collapse_slot;     /* -1: no collapsing */
    unsigned collapse_max; /* at most this many hits per collapse value */
    double bm25_k1, bm25_b; /* BM25 parameters (Xapian defaults 1.2, 0.75) */
    unsigned check_at_least; /* for a better matches estimate; 0 = default */
    int sort_slot;         /* -1: by weight; else by this value, descending,
                            * then by weight */
    int tie_slot;          /* by weight (sort_slot -1): equal weights by this
                            * value, ascending, then by docid; -1: by docid */
} ptx_search_opts;
#define PTX_SEARCH_OPTS_INIT { 0, 10, -1, 0, 1.2, 0.75, 0, -1, -1 }

typedef struct {
    uint32_t docid;
    double weight;
    unsigned rank;        /* 0-based */
    const char *data;     /* record (as for ptx_doc_check_fn), valid during the callback */
    size_t data_len;
    const char *key;      /* value PT_SLOT_ARTICLE (the article key), valid during the callback */
    size_t key_len;
} ptx_hit;

/* Returning non-zero stops the iteration; ptx_reader_search returns it. */
typedef int (*ptx_hit_cb)(const ptx_hit *hit, void *ctx);

/* Runs q and calls cb for each hit in rank order. The whole result set and
 * its records are fetched before the first callback, so a
 * PT_EMODIFIED (the index changed under the reader: reopen and rerun) comes
 * back before any callback ran. *estimated_out (may be NULL) receives
 * Xapian's estimate of the number of matches. A query holding a positional
 * check on a reader with a remote shard: PT_EINVAL (remote_check.h runs
 * it); the same for ptx_reader_count. */
int ptx_reader_search(ptx_reader *r, const ptx_query *q, const ptx_search_opts *opts,
                      ptx_hit_cb cb, void *ctx, uint64_t *estimated_out);

/* Estimates how many documents match q (*docs_out) and how many distinct
 * values of collapse_slot they have (*groups_out): passages and articles.
 * Exact when the match examines every candidate (few match); both 0 when
 * the reader's deadline cut it short. */
int ptx_reader_count(ptx_reader *r, const ptx_query *q, int collapse_slot, uint64_t *docs_out,
                     uint64_t *groups_out);
/* How many a count examines at least: below it, counts are exact.
 * 10,000 cost CNN/Daily Mail queries 10-17 ms of CPU more (of 19-37 ms),
 * 2,000 about 1 ms. */
#define PTX_COUNT_CHECK_AT_LEAST 2000

/* A reader with a remote shard (no PostingSource of ours runs there), and
 * how many shards its stub file names (0 for a plain database). */
int ptx_reader_is_remote(const ptx_reader *r);
size_t ptx_reader_shard_count(const ptx_reader *r);
/* q holds a positional check (ptx_query_positional). */
int ptx_query_local_only(const ptx_query *q);

/* Receives one additive part of a document's score: its label (or, for a
 * node nobody labelled, a readable form of the sub-query), its kind, and
 * its weight for that document. Non-zero stops. (remote_check.h's
 * pt_checked_explain calls it.) */
typedef int (*ptx_explain_cb)(const char *part, enum ptx_part_kind kind, double weight, void *ctx);

/* One additive part of q: run weighs it (the node under the FILTERs above
 * it; it carries q's labels), times factor (the SCALE_WEIGHT factors
 * above it); text and kind label it. Valid during the callback. */
typedef struct {
    const ptx_query *run;
    double factor;
    const char *text;
    enum ptx_part_kind kind;
} ptx_part;
typedef int (*ptx_part_cb)(const ptx_part *part, void *ctx);
/* Splits q at its OR, AND and AND_MAYBE nodes (and the scored side of
 * FILTER and AND_NOT, and through SCALE_WEIGHT) into parts whose weights
 * add up to a document's weight under q, a labelled node being one part,
 * and calls cb for each, in query order. */
int ptx_query_parts(const ptx_query *q, ptx_part_cb cb, void *ctx);
/* run's weight times factor for document docid alone (0 when run does not
 * match it), with the BM25 parameters of opts, ended at the deadline. On
 * a reader of one local database only (PT_EINVAL else: over shards, a
 * MatchDecider sees each shard's own docids). */
int ptx_reader_weigh_doc(ptx_reader *r, const ptx_query *run, double factor, uint32_t docid,
                         const ptx_search_opts *opts, double *weight_out);
/* Calls cb once with docid's record and article key (weight and rank 0). */
int ptx_reader_passage(ptx_reader *r, uint32_t docid, ptx_hit_cb cb, void *ctx);

/* A hit of ptx_reader_window: with its value in opts' collapse_slot and
 * its order value (sort_slot's, else tie_slot's), "" when no slot. */
typedef struct {
    ptx_hit hit;
    const char *collapse;
    size_t collapse_len;
    const char *order;
    size_t order_len;
} ptx_window_hit;
typedef int (*ptx_window_cb)(const ptx_window_hit *h, void *ctx);
/* q's ranking under opts (weights, sort or tie slot; no collapsing, no
 * deadline) from its hit first on, max of them, records fetched in one
 * go: cb for each. *estimated_out: Xapian's estimate of the matches;
 * *rest_out: 1 when fewer than first + max matched (these are all). */
int ptx_reader_window(ptx_reader *r, const ptx_query *q, const ptx_search_opts *opts, unsigned first,
                      unsigned max, ptx_window_cb cb, void *ctx, uint64_t *estimated_out, int *rest_out);
/* Calls cb(docid, weight) for every document q matches among those
 * indexed by one of the terms terms[i][0..lens[i]) (an article's, say),
 * weighed by q alone under opts' BM25 parameters (the terms filter). */
typedef int (*ptx_weight_cb)(uint32_t docid, double weight, void *ctx);
int ptx_reader_weigh_within(ptx_reader *r, const ptx_query *q, const ptx_search_opts *opts,
                            const char *const *terms, const size_t *lens, size_t n, ptx_weight_cb cb, void *ctx);

/* A node of a query's tree, as remote_check.c walks it. CHECK: the
 * positional query of ptx_query_positional (a FILTER of the AND of its
 * parts, its subquery 0). OTHER: any other operator or a leaf. */
enum ptx_node_op {
    PTX_NODE_OTHER, PTX_NODE_AND, PTX_NODE_OR, PTX_NODE_AND_NOT, PTX_NODE_AND_MAYBE, PTX_NODE_FILTER,
    PTX_NODE_SCALE, PTX_NODE_CHECK,
};
typedef struct {
    enum ptx_node_op op;
    const void *id;    /* one node, whatever query holds it */
    size_t n_subs;
    int has_factor;    /* SCALE: ptx_query_scale made it, by factor */
    double factor;
    ptx_doc_check_fn check; /* CHECK: its check and unless term (NULL: */
    void *check_ctx;        /* none), valid while q lives */
    const char *unless;
} ptx_node;
void ptx_query_node(const ptx_query *q, ptx_node *out);
/* *out: subquery i of q, carrying q's labels (caller frees). */
int ptx_query_subquery(ptx_query **out, const ptx_query *q, size_t i);
/* *out: a node of like's operator over subs[0..n) (a NULL one matches
 * nothing), carrying like's labels; SCALE: by like's factor (PT_ERROR when
 * ptx_query_scale did not make like). */
int ptx_query_rebuild(ptx_query **out, const ptx_query *like, const ptx_query *const *subs, size_t n);

/* The additive parts of q's weight, for article evidence (article.h): a
 * word or a synonym group of words (terms[0..n_terms)), scaled by mult as
 * q scales it, or a constant weight for the documents holding its term (a
 * title word). Wildcards and value ranges are no part. The strings live
 * until cb returns. */
typedef struct {
    const char *const *terms;
    size_t n_terms;
    double mult;
    int constant;
    double weight; /* constant only */
} ptx_score_leaf;
typedef int (*ptx_leaf_cb)(const ptx_score_leaf *leaf, void *ctx);
/* Calls cb for each part, in query order; a non-zero return stops and is
 * returned. */
int ptx_query_leaves(const ptx_query *q, ptx_leaf_cb cb, void *ctx);

/* ------------------------------------------------------------ termlists */

/* Calls cb for each term of document docid, in byte order, with its wdf
 * (0 for a filter term); a non-zero return from cb stops and is returned.
 * term is NUL-terminated. */
typedef int (*ptx_termlist_cb)(const char *term, size_t len, uint32_t wdf, void *ctx);
int ptx_reader_termlist(ptx_reader *r, uint32_t docid, ptx_termlist_cb cb, void *ctx);
/* Document docid's length (the sum of its wdfs), as BM25 reads it. */
int ptx_reader_doclength(ptx_reader *r, uint32_t docid, uint64_t *out);

/* ------------------------------------------------------------ maintenance */

/* Runs Xapian's consistency check on the database at path. *report_out
 * (may be NULL) receives a malloc'd text report: a few lines per table
 * ("postlist:", "postlist table structure checked OK", "Not present.",
 * "Lazily created, and not yet used.") and a line per error. Returns 0
 * when the check found no error, PT_ECORRUPT (with the report) when it
 * did, or the status of the exception that stopped it. */
int ptx_check(const char *path, char **report_out);

/* Names the commit the reader sees: "UUID:REVISION", malloc'd. Two equal
 * snapshots of one path mean no commit (nor a swapped-in copy) between. */
int ptx_reader_snapshot(ptx_reader *r, char **out);

/* Runs a search for one document and reads its value and term list, as a
 * search with feedback does: fails (with Xapian's message) when the index
 * cannot serve a search, say a table is missing. */
int ptx_reader_probe(ptx_reader *r);

/* Writes a compacted copy of the database at src to dst (which must not
 * exist). */
int ptx_compact(const char *src, const char *dst);

/* Writes to dst (which must not exist) one compacted database holding the
 * documents and metadata of the databases srcs[0..n), documents renumbered
 * in turn. A metadata key several sources hold keeps the first source's
 * value, except sum_key (may be NULL), a decimal count: its values add up. */
int ptx_compact_many(const char *const *srcs, size_t n, const char *dst, const char *sum_key);

#ifdef __cplusplus
}
#endif
#endif
