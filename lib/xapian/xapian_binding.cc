/* xapian_binding.cc — the only C++ in ptsearch: a C binding over xapian-core
 * (after Cyrus IMAP's xapian_wrap and notmuch's lib/). Every exported body
 * ends in PTX_CATCH, and map_exception() is the one place that turns a
 * Xapian exception (or std::bad_alloc) into a PT_E* status while keeping
 * Xapian's message for pt_error_last(). */
#include "xapian/xapian_binding.h"

#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

extern "C" {
#include "rank/bm25.h"
#include "util/deadline.h"
#include "util/error.h"
#include "ptsearch.h"
#include "store/schema.h"
}

/* The writer always works inside a Xapian transaction, so Xapian never
 * auto-flushes half a batch: readers see exactly the states that
 * ptx_writer_commit made. The first failure to write sticks (see
 * writer_failure). */
struct ptx_writer {
    Xapian::WritableDatabase db;
    int failed = 0;      /* PT_E* status of the first failure, or 0 */
    std::string failure; /* its message */
    /* Article statistics (schema.h, PT_META_EXCESS): how many passages of
     * the article being written hold each word, and the change of each
     * word's excess since the last commit (written by the commit). */
    std::unordered_map<std::string, unsigned> article_passages;
    std::unordered_map<std::string, long long> excess_delta;
};

namespace {
/* A reader's time limit, shared by every source that watches it. */
struct deadline_state {
    double at = 0;      /* pt_clock_now() seconds; 0 = none */
    bool fired = false; /* something stopped early because of it */
    unsigned calls = 0;

    bool passed()
    {
        if (at <= 0)
            return false;
        if (!fired && pt_deadline_passed(at))
            fired = true;
        return fired;
    }
    /* For callers in the matcher's inner loop: reads the clock once in 64. */
    bool passed_sometimes() { return at > 0 && (fired || (++calls % 64 == 0 && passed())); }
};

/* The deadline of the search running on this thread, for the positional
 * checks inside it: they are made with the query, before any reader. */
thread_local deadline_state *running_deadline = nullptr;

struct deadline_scope {
    deadline_state *saved;
    explicit deadline_scope(deadline_state *d) : saved(running_deadline) { running_deadline = d; }
    ~deadline_scope() { running_deadline = saved; }
    deadline_scope(const deadline_scope &) = delete;
    deadline_scope &operator=(const deadline_scope &) = delete;
};

bool running_out_of_time()
{
    return running_deadline && running_deadline->passed();
}
}

struct ptx_reader {
    Xapian::Database db;
    std::string path;
    bool remote = false; /* a shard is remote: no PostingSource of ours */
    deadline_state deadline;
    /* The shards of a stub file, each alone (sharing db's connections):
     * Xapian reads metadata from the first shard only, and counts kept as
     * metadata add up. shard_names: as the stub names them. */
    std::vector<Xapian::Database> shards;
    /* Counts the moves to another commit (ptx_reader_generation): what
     * callers keep of one commit (article.c's caches) is stale after. */
    uint64_t generation = 0;
    std::vector<std::string> shard_names;
    std::string unreachable; /* shards skipped by a partial open, ", "-separated */
};
struct ptx_doc {
    Xapian::Document doc;
};
/* The side table of --explain: nodes of q that the query's builder
 * labelled (ptx_query_label) with what they stand for, so that an
 * explanation names its parts from what was built, never from Xapian's
 * description. Combinators carry their parts' labels along. */
namespace {
struct positional_spec;
}
struct part_label {
    Xapian::Query node;
    int kind; /* ptx_part_kind, or SCALE_NODE: node is SCALE_WEIGHT by factor,
               * or CHECK_NODE: node is the positional query of check */
    std::string text;
    double factor;
    std::shared_ptr<const positional_spec> check; /* CHECK_NODE only */
};
enum { SCALE_NODE = -1, CHECK_NODE = -2 };
namespace {
/* What article evidence weighs (ptx_query_leaves hands it to
 * rank/article.c): a word or a synonym group of words, scaled as the query
 * scales it, or a constant weight for the documents holding a term (a
 * title word). */
struct score_leaf {
    std::vector<std::string> terms;
    double mult = 1.0;
    bool constant = false;
    double weight = 0; /* constant only */
};
}

struct ptx_query {
    Xapian::Query q;
    std::vector<part_label> labels;
    std::vector<score_leaf> leaves; /* the additive parts of its weight */
    /* It holds a positional check, which the stock xapian-tcpsrv of a
     * remote shard cannot rebuild (it knows only Xapian's own sources). */
    bool local_only = false;
    ptx_query(const Xapian::Query &query, std::vector<part_label> l = {}, std::vector<score_leaf> parts = {},
              bool local = false)
        : q(query), labels(std::move(l)), leaves(std::move(parts)), local_only(local) {}
};

/* Whether one of parts[0..n) is local only (ptx_query::local_only). */
static bool any_local_only(ptx_query *const *parts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (parts[i]->local_only)
            return true;
    return false;
}

/* The labels of parts[0..n), for the query combined from them. */
static std::vector<part_label> labels_of(ptx_query *const *parts, size_t n)
{
    std::vector<part_label> out;
    for (size_t i = 0; i < n; i++)
        out.insert(out.end(), parts[i]->labels.begin(), parts[i]->labels.end());
    return out;
}

namespace {
/* A PT_E* status from a C callback called inside Xapian (a positional
 * check), carried out of the matcher; its message is already set. */
struct status_error {
    int rc;
};
}

/* The errno a Xapian error carries, among those the binding tells apart
 * (else -1; 0 when it carries none). Xapian 1.4 keeps the number private
 * and gives only its strerror() text (get_error_string), which is what is
 * compared here: the errno's own text, never the message. */
static int error_errno(const Xapian::Error &e)
{
    const char *why = e.get_error_string();
    if (!why)
        return 0;
    for (int code : {ENOSPC, EDQUOT, EFBIG, ENOENT})
        if (std::strcmp(why, std::strerror(code)) == 0)
            return code;
    return -1;
}

/* Why a write failed for want of room, or NULL: the disk or the user's
 * quota is full, or (EFBIG) a file-size limit was reached. code is the
 * error's errno, or for an error without one the errno the failing call
 * left: a failed commit that could not roll back either throws a new
 * error that keeps the first one (say ENOSPC writing a block) only in its
 * message, while errno still holds the last write's failure. */
static const char *no_room(int code)
{
    if (code == ENOSPC || code == EDQUOT)
        return "the disk is full";
    if (code == EFBIG)
        return "a file-size limit was reached";
    return NULL;
}

/* A table shorter than its B-tree says (truncated): Xapian 1.4 throws a
 * plain DatabaseError without errno for it (io_utils.cc,
 * throw_block_error), so its message is the only sign there is. Neither
 * 1.4.22 nor Xapian's development branch (checked 2026-12) has a subclass
 * or an errno for it (a short io_read is a DatabaseCorruptError, mapped
 * by class): this is the one error the binding recognises by its text,
 * and only here. */
static bool truncated_table(const Xapian::DatabaseError &e)
{
    return e.get_msg().compare(0, 17, "EOF reading block") == 0;
}

static int database_error(const Xapian::DatabaseError &e, int call_errno)
{
    int code = error_errno(e);
    const char *why = e.get_error_string();
    if (const char *phrase = no_room(code ? code : call_errno))
        return pt_fail(PT_ENOSPC, "%s: %s%s%s%s", phrase, e.get_msg().c_str(), why ? " (" : "", why ? why : "",
                       why ? ")" : "");
    if (code == 0 && truncated_table(e))
        return pt_fail(PT_ECORRUPT, "index is damaged: %s", e.get_msg().c_str());
    /* Write failures (I/O errors) carry an errno string. */
    if (why && *why)
        return pt_fail(PT_EIO, "%s (%s)", e.get_msg().c_str(), why);
    return pt_fail(PT_ERROR, "%s: %s", e.get_type(), e.get_msg().c_str());
}

/* Called first thing inside a catch block: rethrows the exception in
 * flight and maps it by its class. errno is what the failing call left
 * (every exported call clears it first: PTX_TRY). Order matters:
 * subclasses before their bases. */
static int map_exception()
{
    int call_errno = errno;
    try {
        throw;
    } catch (const status_error &e) {
        return e.rc;
    } catch (const Xapian::DatabaseLockError &e) {
        return pt_fail(PT_ELOCKED, "index is locked by another writer (%s)", e.get_msg().c_str());
    } catch (const Xapian::DatabaseModifiedError &e) {
        return pt_fail(PT_EMODIFIED, "index changed while reading: %s", e.get_msg().c_str());
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return pt_fail(PT_ENOTFOUND, "no index: %s", e.get_msg().c_str());
    } catch (const Xapian::DatabaseCorruptError &e) {
        return pt_fail(PT_ECORRUPT, "index is damaged: %s", e.get_msg().c_str());
    } catch (const Xapian::DatabaseVersionError &e) {
        return pt_fail(PT_EVERSION, "index format not supported: %s", e.get_msg().c_str());
    } catch (const Xapian::DatabaseOpeningError &e) {
        return pt_fail(PT_ENOTFOUND, "cannot open index: %s", e.get_msg().c_str());
    } catch (const Xapian::DatabaseError &e) {
        return database_error(e, call_errno);
    } catch (const Xapian::InvalidArgumentError &e) {
        return pt_fail(PT_EINVAL, "%s", e.get_msg().c_str());
    } catch (const Xapian::Error &e) {
        return pt_fail(PT_ERROR, "%s: %s", e.get_type(), e.get_msg().c_str());
    } catch (const std::bad_alloc &) {
        return pt_fail(PT_ENOMEM, "out of memory");
    } catch (const std::exception &e) {
        return pt_fail(PT_ERROR, "%s", e.what());
    } catch (...) {
        return pt_fail(PT_ERROR, "unknown C++ exception");
    }
}

/* errno = 0 first, so that map_exception reads the call's own. */
#define PTX_TRY                                                                             \
    errno = 0;                                                                              \
    try {
#define PTX_CATCH                                                                           \
    }                                                                                       \
    catch (...) { return map_exception(); }
/* For constructors that return a pointer. */
#define PTX_CATCH_NULL                                                                      \
    }                                                                                       \
    catch (...) { map_exception(); return NULL; }

/* Glass (xapian-core 1.4) writes the value chunks of a commit from a
 * destructor (ValueUpdater in glass_values.cc): when such a write fails (a
 * full disk) the exception leaves a destructor and C++ calls
 * std::terminate, past every catch. The files are then still at the last
 * commit (the new revision is written after the values), so the failure
 * is an ordinary one: on_terminate hands it to the program's handler. */
static void (*fatal_write_fn)(int status, void *ctx);
static void *fatal_write_ctx;
static std::terminate_handler previous_terminate;

/* Set while a commit runs: Xapian may also end a failed commit in
 * std::terminate with no exception left to inspect (one thrown while
 * another unwinds); errno then still says why the write failed. */
static thread_local int committing;

[[noreturn]] static void on_terminate()
{
    std::exception_ptr e = std::current_exception();
    if (!e && fatal_write_fn && committing && errno == ENOSPC)
        fatal_write_fn(pt_fail(PT_ENOSPC, "the disk is full: a write failed while committing (%s)", strerror(ENOSPC)),
                       fatal_write_ctx);
    if (e && fatal_write_fn) {
        int rc = 0;
        try {
            std::rethrow_exception(e);
        } catch (const Xapian::DatabaseError &) {
            rc = map_exception();
        } catch (...) {
            /* anything else is a bug: abort as C++ would */
        }
        if (rc)
            fatal_write_fn(rc, fatal_write_ctx);
    }
    if (previous_terminate)
        previous_terminate();
    std::abort();
}

extern "C" void ptx_on_fatal_write(void (*fn)(int status, void *ctx), void *ctx)
{
    fatal_write_fn = fn;
    fatal_write_ctx = ctx;
    std::terminate_handler previous = std::set_terminate(on_terminate);
    if (previous != on_terminate)
        previous_terminate = previous;
}

static int copy_out(const std::string &s, char **out, size_t *len_out)
{
    char *buf = static_cast<char *>(std::malloc(s.size() + 1));
    if (!buf)
        return pt_fail(PT_ENOMEM, "out of memory");
    std::memcpy(buf, s.data(), s.size());
    buf[s.size()] = '\0';
    *out = buf;
    if (len_out)
        *len_out = s.size();
    return PT_OK;
}

/* The read operations both handles offer (a WritableDatabase is a
 * Database), written once. They throw; the exported wrappers catch. */
static int get_metadata(const Xapian::Database &db, const char *key, char **out, size_t *len_out)
{
    std::string v = db.get_metadata(key);
    if (v.empty())
        return pt_fail(PT_ENOTFOUND, "no metadata %s", key);
    return copy_out(v, out, len_out);
}

static int each_metadata_key(const Xapian::Database &db, const char *prefix, ptx_key_cb cb, void *ctx)
{
    for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
        const std::string &k = *it;
        int rc = cb(k.c_str(), k.size(), ctx);
        if (rc)
            return rc;
    }
    return PT_OK;
}

/* ------------------------------------------------------------ write side */

/* Called inside a catch block of a writer call. A failed write leaves
 * Xapian's memory in a state nothing should build on (a failed flush has
 * cancelled the whole transaction; a failed commit may have closed the
 * tables) while the files are still at the last commit. So the first
 * failure sticks: every later call returns it, and the writer can only be
 * closed. An invalid argument changed nothing and does not stick. */
static int writer_failure(ptx_writer *w)
{
    int rc = map_exception();
    if (rc != PT_EINVAL && !w->failed) {
        w->failed = rc;
        w->failure = pt_error_last();
    }
    return rc;
}

static int writer_refusal(const ptx_writer *w)
{
    return pt_fail(w->failed, "%s", w->failure.c_str());
}

#define PTX_WRITER_TRY(w)                                                                   \
    if ((w)->failed)                                                                        \
        return writer_refusal(w);                                                           \
    errno = 0;                                                                              \
    try {
#define PTX_WRITER_CATCH(w)                                                                 \
    }                                                                                       \
    catch (...) { return writer_failure(w); }

static bool has_version_file(const char *path)
{
    return access((std::string(path) + "/iamglass").c_str(), F_OK) == 0;
}

/* Whether this process may create or open path's lock file: Xapian 1.4
 * raises the same DatabaseLockError for a lock another writer holds and for
 * a lock file it may not open (EACCES, EROFS), with no errno; a user who
 * may not write the index must not be told to wait for another writer. */
static bool may_lock(const char *path)
{
    std::string lock = std::string(path) + "/flintlock";
    if (access(lock.c_str(), W_OK) == 0)
        return true;
    return errno == ENOENT && access(path, W_OK) == 0;
}

/* Called inside the catch block of an open: a version file whose tables
 * are missing is a damaged index, not an absent one; a lock this process
 * may not take is a write failure, not another writer. */
static int open_failure(const char *path)
{
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &) {
        if (!may_lock(path))
            return pt_fail(PT_EIO, "cannot write the index %s (%s)", path, strerror(errno));
        return map_exception();
    } catch (const Xapian::DatabaseVersionError &) {
        return map_exception();
    } catch (const Xapian::DatabaseOpeningError &e) {
        if (error_errno(e) == ENOENT && has_version_file(path))
            return pt_fail(PT_ECORRUPT, "index is damaged: %s (%s)", e.get_msg().c_str(), e.get_error_string());
        return map_exception();
    } catch (...) {
        return map_exception();
    }
}

extern "C" int ptx_writer_open(ptx_writer **out, const char *path, int create, int wait)
{
    *out = NULL;
    errno = 0;
    try {
        int flags = (create ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN) | Xapian::DB_BACKEND_GLASS;
        if (wait)
            flags |= Xapian::DB_RETRY_LOCK;
        *out = new ptx_writer{Xapian::WritableDatabase(path, flags), 0, std::string(), {}, {}};
        (*out)->db.begin_transaction(true);
        return PT_OK;
    } catch (...) {
        return open_failure(path);
    }
}

extern "C" int ptx_writer_open_part(ptx_writer **out, const char *path)
{
    *out = NULL;
    PTX_TRY
    /* A part lives only until its build merges it: no fsync. */
    int flags = Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS | Xapian::DB_NO_SYNC;
    *out = new ptx_writer{Xapian::WritableDatabase(path, flags), 0, std::string(), {}, {}};
    (*out)->db.begin_transaction(true);
    return PT_OK;
    PTX_CATCH
}

extern "C" void ptx_writer_close(ptx_writer *w)
{
    if (!w)
        return;
    /* Closing a database outside a transaction commits (and so does its
     * destructor), which must never happen here: cancel the transaction,
     * then open an unflushed one (which commits nothing) to close inside.
     * Closing never fails from the caller's view: the index on disk is at
     * its last commit whatever happens here. */
    try {
        w->db.cancel_transaction();
    } catch (...) {
    }
    try {
        w->db.begin_transaction(false);
        w->db.close();
    } catch (...) {
    }
    delete w;
}

extern "C" int ptx_writer_add(ptx_writer *w, const ptx_doc *doc, uint32_t *docid_out)
{
    PTX_WRITER_TRY(w)
    Xapian::docid id = w->db.add_document(doc->doc);
    if (docid_out)
        *docid_out = id;
    return PT_OK;
    PTX_WRITER_CATCH(w)
}

extern "C" int ptx_writer_delete_term(ptx_writer *w, const char *term)
{
    PTX_WRITER_TRY(w)
    w->db.delete_document(std::string(term));
    return PT_OK;
    PTX_WRITER_CATCH(w)
}

extern "C" int ptx_writer_set_metadata(ptx_writer *w, const char *key, const void *value, size_t len)
{
    PTX_WRITER_TRY(w)
    w->db.set_metadata(key, std::string(static_cast<const char *>(value), len));
    return PT_OK;
    PTX_WRITER_CATCH(w)
}

extern "C" int ptx_writer_get_metadata(ptx_writer *w, const char *key, char **out, size_t *len_out)
{
    *out = NULL;
    PTX_WRITER_TRY(w)
    return get_metadata(w->db, key, out, len_out);
    PTX_WRITER_CATCH(w)
}

extern "C" int ptx_writer_termfreq(ptx_writer *w, const char *term, uint64_t *out)
{
    PTX_WRITER_TRY(w)
    *out = w->db.get_termfreq(term);
    return PT_OK;
    PTX_WRITER_CATCH(w)
}

extern "C" int ptx_writer_doccount(ptx_writer *w, uint64_t *out)
{
    PTX_WRITER_TRY(w)
    *out = w->db.get_doccount();
    return PT_OK;
    PTX_WRITER_CATCH(w)
}

/* ------------------------------------------------- article statistics */

/* Words too long for a metadata key beside the prefix are left out of the
 * excess at add and at remove alike (such a word is in one passage). */
static bool counted_word(const std::string &t, Xapian::termcount wdf)
{
    return wdf > 0 && !t.empty() && t.size() <= PT_EXCESS_TERM_MAX;
}

extern "C" int ptx_writer_count_passage(ptx_writer *w, const ptx_doc *doc)
{
    PTX_WRITER_TRY(w)
    for (auto t = doc->doc.termlist_begin(); t != doc->doc.termlist_end(); ++t)
        if (counted_word(*t, t.get_wdf()))
            w->article_passages[*t]++;
    return PT_OK;
    PTX_WRITER_CATCH(w)
}

extern "C" int ptx_writer_end_article(ptx_writer *w)
{
    PTX_WRITER_TRY(w)
    for (const auto &tc : w->article_passages)
        if (tc.second > 1)
            w->excess_delta[tc.first] += tc.second - 1;
    w->article_passages.clear();
    return PT_OK;
    PTX_WRITER_CATCH(w)
}

extern "C" int ptx_writer_uncount_article(ptx_writer *w, const char *article_term)
{
    PTX_WRITER_TRY(w)
    std::unordered_map<std::string, unsigned> passages;
    for (auto d = w->db.postlist_begin(article_term); d != w->db.postlist_end(article_term); ++d)
        for (auto t = w->db.termlist_begin(*d); t != w->db.termlist_end(*d); ++t)
            if (counted_word(*t, t.get_wdf()))
                passages[*t]++;
    for (const auto &tc : passages)
        if (tc.second > 1)
            w->excess_delta[tc.first] -= tc.second - 1;
    return PT_OK;
    PTX_WRITER_CATCH(w)
}

/* Writes the pending changes of the excess into the metadata (a key whose
 * excess falls to 0 is deleted). */
static void flush_excess(ptx_writer *w)
{
    for (const auto &td : w->excess_delta) {
        if (td.second == 0)
            continue;
        std::string key = PT_META_EXCESS + td.first;
        long long value = std::strtoll(w->db.get_metadata(key).c_str(), nullptr, 10) + td.second;
        w->db.set_metadata(key, value > 0 ? std::to_string(value) : std::string());
    }
    w->excess_delta.clear();
}

extern "C" int ptx_writer_commit(ptx_writer *w)
{
    PTX_WRITER_TRY(w)
    flush_excess(w);
    try {
        committing = 1;
        w->db.commit_transaction();
        committing = 0;
    } catch (...) {
        committing = 0;
        int failed_errno = errno; /* for map_exception */
        /* The failed commit ended the transaction, and Xapian dropped (or
         * could not roll back) its changes. begin_transaction(true) would
         * commit what is left first; an unflushed transaction does not. */
        try {
            w->db.begin_transaction(false);
        } catch (...) {
        }
        errno = failed_errno;
        throw;
    }
    w->db.begin_transaction(true);
    return PT_OK;
    PTX_WRITER_CATCH(w)
}

extern "C" int ptx_writer_metadata_keys(ptx_writer *w, const char *prefix, ptx_key_cb cb, void *ctx)
{
    PTX_WRITER_TRY(w)
    return each_metadata_key(w->db, prefix, cb, ctx);
    PTX_WRITER_CATCH(w)
}

extern "C" int ptx_reader_metadata_keys(ptx_reader *r, const char *prefix, ptx_key_cb cb, void *ctx)
{
    PTX_TRY
    return each_metadata_key(r->db, prefix, cb, ctx);
    PTX_CATCH
}

/* -------------------------------------------------------------- documents */

extern "C" int ptx_doc_new(ptx_doc **out)
{
    *out = NULL;
    PTX_TRY
    *out = new ptx_doc;
    return PT_OK;
    PTX_CATCH
}

extern "C" void ptx_doc_free(ptx_doc *doc)
{
    delete doc;
}

extern "C" void ptx_doc_clear(ptx_doc *doc)
{
    try {
        doc->doc = Xapian::Document();
    } catch (...) {
        /* Only bad_alloc is possible; the old document then stays and
         * the next add reports the failure. */
    }
}

extern "C" int ptx_doc_add_posting(ptx_doc *doc, const char *term, size_t len, uint32_t pos, unsigned wdf_inc)
{
    PTX_TRY
    doc->doc.add_posting(std::string(term, len), pos, wdf_inc);
    return PT_OK;
    PTX_CATCH
}

extern "C" int ptx_doc_add_term(ptx_doc *doc, const char *term, size_t len, unsigned wdf_inc)
{
    PTX_TRY
    doc->doc.add_term(std::string(term, len), wdf_inc);
    return PT_OK;
    PTX_CATCH
}

extern "C" int ptx_doc_add_boolean_term(ptx_doc *doc, const char *term, size_t len)
{
    PTX_TRY
    doc->doc.add_boolean_term(std::string(term, len));
    return PT_OK;
    PTX_CATCH
}

extern "C" int ptx_doc_set_value(ptx_doc *doc, unsigned slot, const void *value, size_t len)
{
    PTX_TRY
    doc->doc.add_value(slot, std::string(static_cast<const char *>(value), len));
    return PT_OK;
    PTX_CATCH
}

extern "C" int ptx_doc_set_data(ptx_doc *doc, const void *data, size_t len)
{
    PTX_TRY
    doc->doc.set_data(std::string(static_cast<const char *>(data), len));
    return PT_OK;
    PTX_CATCH
}

/* -------------------------------------------------------------- read side */

namespace {
/* One line of a stub file, as ptx_reader_open reads it: a local index
 * ("auto PATH", "glass PATH" or a bare PATH, relative to the stub's
 * directory) or one served by xapian-tcpsrv ("remote HOST:PORT"). */
struct stub_line {
    std::string name; /* HOST:PORT, or the path as written */
    bool remote = false;
    std::string host, path;
    unsigned port = 0;
};
}

/* How long a remote shard may take to accept a connection, and to answer
 * one request, before it counts as down (Xapian::Remote::open's
 * arguments; Xapian's defaults are 10 s each). A killed server refuses at
 * once; a machine that is off only times out. */
#define REMOTE_CONNECT_MS 3000
#define REMOTE_REQUEST_MS 10000

/* "remote HOST:PORT" (or "remote tcp HOST:PORT"... as Xapian spells it). */
static bool parse_remote(std::istringstream &words, stub_line &out)
{
    std::string where;
    words >> where;
    size_t colon = where.rfind(':');
    if (colon == std::string::npos || colon == 0)
        return false;
    out.remote = true;
    out.name = where;
    out.host = where.substr(0, colon);
    out.port = static_cast<unsigned>(std::strtoul(where.c_str() + colon + 1, NULL, 10));
    return out.port > 0;
}

/* The shards a stub file lists; none when path is no regular file, or a
 * line is one this reader does not know (Xapian then reads the stub). */
static std::vector<stub_line> read_stub(const char *path)
{
    std::vector<stub_line> shards;
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return shards;
    std::string dir(path);
    size_t slash = dir.rfind('/');
    dir = slash == std::string::npos ? std::string() : dir.substr(0, slash + 1);
    std::ifstream stub(path);
    std::string line;
    while (std::getline(stub, line)) {
        std::istringstream words(line);
        std::string first, second;
        words >> first;
        if (first.empty() || first[0] == '#')
            continue;
        stub_line s;
        if (first == "remote") {
            if (!parse_remote(words, s))
                return {};
        } else {
            std::string where = first;
            if ((first == "auto" || first == "glass") && !(words >> where))
                return {};
            if (first == "inmemory" || first == "chert" || (words >> second))
                return {}; /* a line for Xapian to read */
            s.name = where;
            s.path = where[0] == '/' ? where : dir + where;
        }
        shards.push_back(s);
    }
    return shards;
}

/* The stub file a path opens: path itself, or in a directory holding
 * XAPIANDB (a sharded index: Xapian opens such a directory as that stub)
 * path/XAPIANDB. */
static std::string stub_file_of(const char *path)
{
    std::string stub = std::string(path) + "/XAPIANDB";
    struct stat st;
    return stat(stub.c_str(), &st) == 0 && S_ISREG(st.st_mode) ? stub : std::string(path);
}

static Xapian::Database open_shard(const stub_line &s)
{
    if (!s.remote)
        return Xapian::Database(s.path);
    return Xapian::Remote::open(s.host, s.port, REMOTE_REQUEST_MS, REMOTE_CONNECT_MS);
}

/* Opens the shards of stub into r (r->db their union, r->shards each
 * alone, sharing the connections). A shard that fails to open stops the
 * open with its name, PT_ESHARD for a remote one; with partial it is
 * skipped and named in r->unreachable, unless none opens. */
static int open_stub(ptx_reader *r, const std::vector<stub_line> &stub, bool partial)
{
    for (const stub_line &s : stub) {
        try {
            Xapian::Database one = open_shard(s);
            r->db.add_database(one);
            r->shards.push_back(one);
            r->shard_names.push_back(s.name);
            r->remote = r->remote || s.remote;
        } catch (const Xapian::Error &e) {
            if (!partial && !s.remote)
                throw;
            if (!partial)
                return pt_fail(PT_ESHARD, "shard %s cannot be reached: %s", s.name.c_str(), e.get_msg().c_str());
            r->unreachable += (r->unreachable.empty() ? "" : ", ") + s.name;
        }
    }
    if (r->shards.empty())
        return pt_fail(PT_ESHARD, "no shard of %s can be reached (%s)", r->path.c_str(), r->unreachable.c_str());
    return PT_OK;
}

extern "C" int ptx_reader_open_shards(ptx_reader **out, const char *path, int partial)
{
    *out = NULL;
    PTX_TRY
    std::unique_ptr<ptx_reader> r(new ptx_reader());
    r->path = path;
    std::vector<stub_line> stub = read_stub(stub_file_of(path).c_str());
    if (stub.empty())
        r->db = Xapian::Database(path);
    else if (int rc = open_stub(r.get(), stub, partial != 0))
        return rc;
    *out = r.release();
    return PT_OK;
    PTX_CATCH
}

extern "C" int ptx_reader_open(ptx_reader **out, const char *path)
{
    return ptx_reader_open_shards(out, path, 0);
}

extern "C" const char *ptx_reader_unreachable(const ptx_reader *r)
{
    return r->unreachable.empty() ? NULL : r->unreachable.c_str();
}

/* The shard that stopped answering when a request failed with a network
 * error: PT_ESHARD naming the first remote shard that does not answer a
 * keep-alive (or, when all answer again, naming none). */
static int shard_failure(ptx_reader *r, const Xapian::NetworkError &e)
{
    for (size_t i = 0; i < r->shards.size(); i++) {
        try {
            r->shards[i].keep_alive();
        } catch (const Xapian::Error &) {
            return pt_fail(PT_ESHARD, "shard %s cannot be reached: %s", r->shard_names[i].c_str(),
                           e.get_msg().c_str());
        }
    }
    return pt_fail(PT_ESHARD, "a remote shard failed: %s", e.get_msg().c_str());
}

/* PTX_CATCH for a reader's calls: a network error names its shard. */
#define PTX_CATCH_READER(r)                                                                  \
    }                                                                                        \
    catch (const Xapian::NetworkError &e) { return shard_failure(r, e); }                    \
    catch (...) { return map_exception(); }

/* metadata key of a stub: Xapian reads only the first shard's; an article
 * record lives in the shard that holds the article, so the first shard
 * holding the key answers. */
static std::string any_shard_metadata(const ptx_reader *r, const std::string &key)
{
    if (r->shards.size() < 2)
        return r->db.get_metadata(key);
    for (const Xapian::Database &shard : r->shards) {
        std::string v = shard.get_metadata(key);
        if (!v.empty())
            return v;
    }
    return std::string();
}

static int64_t metadata_sum(const ptx_reader *r, const std::string &key)
{
    if (r->shards.empty())
        return std::strtoll(r->db.get_metadata(key).c_str(), nullptr, 10);
    int64_t sum = 0;
    for (const Xapian::Database &shard : r->shards)
        sum += std::strtoll(shard.get_metadata(key).c_str(), nullptr, 10);
    return sum;
}

extern "C" int ptx_reader_metadata_sum(ptx_reader *r, const char *key, int64_t *out)
{
    PTX_TRY
    *out = metadata_sum(r, key);
    return PT_OK;
    PTX_CATCH_READER(r)
}

extern "C" void ptx_reader_close(ptx_reader *r)
{
    delete r;
}

static void clear_caches(ptx_reader *r)
{
    r->generation++;
}

extern "C" uint64_t ptx_reader_generation(const ptx_reader *r)
{
    return r->generation;
}

extern "C" int ptx_reader_reopen(ptx_reader *r, int *changed_out)
{
    if (changed_out)
        *changed_out = 1;
    PTX_TRY
    bool changed = true;
    try {
        changed = r->db.reopen(); /* r->shards share its connections */
    } catch (...) {
        changed = true;
        clear_caches(r);
        throw;
    }
    if (changed)
        clear_caches(r);
    if (changed_out)
        *changed_out = changed;
    return PT_OK;
    PTX_CATCH
}

extern "C" void ptx_reader_set_deadline(ptx_reader *r, double deadline)
{
    r->deadline = deadline_state();
    r->deadline.at = deadline;
}

extern "C" int ptx_reader_timed_out(const ptx_reader *r)
{
    return r->deadline.fired;
}

extern "C" int ptx_reader_out_of_time(ptx_reader *r)
{
    return r->deadline.passed();
}

extern "C" int ptx_reader_get_metadata(ptx_reader *r, const char *key, char **out, size_t *len_out)
{
    *out = NULL;
    PTX_TRY
    std::string v = any_shard_metadata(r, key);
    if (v.empty())
        return pt_fail(PT_ENOTFOUND, "no metadata %s", key);
    return copy_out(v, out, len_out);
    PTX_CATCH_READER(r)
}

extern "C" int ptx_reader_termfreq(ptx_reader *r, const char *term, uint64_t *out)
{
    PTX_TRY
    *out = r->db.get_termfreq(term);
    return PT_OK;
    PTX_CATCH
}

extern "C" int ptx_reader_wdf_at(ptx_reader *r, const char *term, const uint32_t *docids, size_t n,
                                 uint32_t *wdf_out, unsigned char *has_out)
{
    PTX_TRY
    std::fill(wdf_out, wdf_out + n, 0);
    std::fill(has_out, has_out + n, 0);
    Xapian::PostingIterator p = r->db.postlist_begin(term), end = r->db.postlist_end(term);
    for (size_t i = 0; i < n && p != end; i++) {
        p.skip_to(docids[i]);
        if (p != end && *p == docids[i]) {
            wdf_out[i] = p.get_wdf();
            has_out[i] = 1;
        }
    }
    return PT_OK;
    PTX_CATCH
}

extern "C" int ptx_reader_postlist(ptx_reader *r, const char *term, ptx_doc_length_cb cb, void *ctx)
{
    PTX_TRY
    for (auto d = r->db.postlist_begin(term); d != r->db.postlist_end(term); ++d) {
        int rc = cb(*d, r->db.get_doclength(*d), ctx);
        if (rc)
            return rc;
    }
    return PT_OK;
    PTX_CATCH
}

extern "C" int ptx_reader_doccount(ptx_reader *r, uint64_t *out)
{
    PTX_TRY
    *out = r->db.get_doccount();
    return PT_OK;
    PTX_CATCH
}

extern "C" int ptx_reader_avlength(ptx_reader *r, double *out)
{
    PTX_TRY
    *out = r->db.get_avlength();
    return PT_OK;
    PTX_CATCH
}

extern "C" int ptx_reader_allterms(ptx_reader *r, const char *prefix, ptx_term_cb cb, void *ctx)
{
    PTX_TRY
    for (auto it = r->db.allterms_begin(prefix); it != r->db.allterms_end(prefix); ++it) {
        const std::string &t = *it;
        int rc = cb(t.c_str(), t.size(), it.get_termfreq(), ctx);
        if (rc)
            return rc;
    }
    return PT_OK;
    PTX_CATCH
}

/* ---------------------------------------------------------------- queries */

static Xapian::Query::op to_xapian_op(enum ptx_op op)
{
    switch (op) {
    case PTX_OP_AND: return Xapian::Query::OP_AND;
    case PTX_OP_OR: return Xapian::Query::OP_OR;
    case PTX_OP_AND_NOT: return Xapian::Query::OP_AND_NOT;
    case PTX_OP_AND_MAYBE: return Xapian::Query::OP_AND_MAYBE;
    case PTX_OP_FILTER: return Xapian::Query::OP_FILTER;
    case PTX_OP_NEAR: return Xapian::Query::OP_NEAR;
    case PTX_OP_PHRASE: return Xapian::Query::OP_PHRASE;
    case PTX_OP_SYNONYM: return Xapian::Query::OP_SYNONYM;
    case PTX_OP_MAX: return Xapian::Query::OP_MAX;
    }
    return Xapian::Query::OP_INVALID;
}

extern "C" ptx_query *ptx_query_term(const char *term, size_t len, unsigned wqf, uint32_t pos)
{
    PTX_TRY
    score_leaf leaf;
    leaf.terms.emplace_back(term, len);
    return new ptx_query{Xapian::Query(std::string(term, len), wqf, pos), {}, {leaf}};
    PTX_CATCH_NULL
}

/* The leaves of a combination: a synonym weighs its words as one; the
 * filter side of FILTER and the excluded side of AND_NOT weigh nothing;
 * the other operators add their parts' weights (MAX, at most). */
static std::vector<score_leaf> combined_leaves(enum ptx_op op, ptx_query *const *parts, size_t n)
{
    std::vector<score_leaf> out;
    if (op == PTX_OP_SYNONYM) {
        score_leaf group;
        for (size_t i = 0; i < n; i++)
            for (const score_leaf &l : parts[i]->leaves)
                if (!l.constant)
                    group.terms.insert(group.terms.end(), l.terms.begin(), l.terms.end());
        if (!group.terms.empty())
            out.push_back(group);
        return out;
    }
    size_t used = op == PTX_OP_FILTER || op == PTX_OP_AND_NOT ? std::min<size_t>(n, 1) : n;
    for (size_t i = 0; i < used; i++)
        out.insert(out.end(), parts[i]->leaves.begin(), parts[i]->leaves.end());
    return out;
}

extern "C" ptx_query *ptx_query_combine(enum ptx_op op, ptx_query *const *parts, size_t n, unsigned window)
{
    PTX_TRY
    std::vector<Xapian::Query> subs;
    subs.reserve(n);
    for (size_t i = 0; i < n; i++)
        subs.push_back(parts[i]->q);
    return new ptx_query{Xapian::Query(to_xapian_op(op), subs.begin(), subs.end(), window), labels_of(parts, n),
                         combined_leaves(op, parts, n), any_local_only(parts, n)};
    PTX_CATCH_NULL
}

extern "C" ptx_query *ptx_query_copy(const ptx_query *q)
{
    PTX_TRY
    return new ptx_query{q->q, q->labels, q->leaves, q->local_only};
    PTX_CATCH_NULL
}

extern "C" ptx_query *ptx_query_scale(const ptx_query *q, double factor)
{
    PTX_TRY
    if (factor == 1.0) /* a copy: no node that --explain would have to see through */
        return ptx_query_copy(q);
    std::vector<score_leaf> leaves = q->leaves;
    for (score_leaf &l : leaves)
        l.mult *= factor;
    /* --explain sees through it (Xapian 1.4 tells no factor but in text) */
    Xapian::Query scaled(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor);
    ptx_query *out = new ptx_query{scaled, q->labels, leaves, q->local_only};
    out->labels.push_back({scaled, SCALE_NODE, std::string(), factor, nullptr});
    return out;
    PTX_CATCH_NULL
}

extern "C" ptx_query *ptx_query_label(const ptx_query *q, enum ptx_part_kind kind, const char *text)
{
    PTX_TRY
    ptx_query *out = new ptx_query{q->q, q->labels, q->leaves, q->local_only};
    out->labels.push_back({q->q, kind, text, 1.0, nullptr});
    return out;
    PTX_CATCH_NULL
}

extern "C" ptx_query *ptx_query_value_range(unsigned slot, const char *lo, const char *hi)
{
    PTX_TRY
    if (lo && hi)
        return new ptx_query{Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi)};
    if (lo)
        return new ptx_query{Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo)};
    if (hi)
        return new ptx_query{Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi)};
    return new ptx_query{Xapian::Query::MatchAll};
    PTX_CATCH_NULL
}

extern "C" ptx_query *ptx_query_wildcard(const char *prefix, unsigned max_expansion)
{
    PTX_TRY
    /* Xapian reads 0 as "no limit" only with WILDCARD_LIMIT_ERROR: with
     * MOST_FREQUENT it keeps no term at all (lang:ru matched nothing). */
    return new ptx_query{Xapian::Query(Xapian::Query::OP_WILDCARD, prefix, max_expansion,
                                       max_expansion ? Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT
                                                     : Xapian::Query::WILDCARD_LIMIT_ERROR,
                                       Xapian::Query::OP_SYNONYM)};
    PTX_CATCH_NULL
}

namespace {
/* The weight of ptx_query_constant: Xapian's FixedWeightPostingSource
 * under a label for explanations ("title:wing"). It keeps that class's
 * name() and serialise(), so the stock xapian-tcpsrv of a remote shard,
 * whose registry knows only Xapian's own sources, rebuilds it as the
 * standard one: a query with a title boost can go to a remote shard. */
struct labelled_weight : Xapian::FixedWeightPostingSource {
    double weight;
    std::string label;
    labelled_weight(double w, const std::string &l) : FixedWeightPostingSource(w), weight(w), label(l) {}
    labelled_weight *clone() const override { return new labelled_weight(weight, label); }
    std::string get_description() const override { return label; }
};
}

/* FILTER(weight, term): the term's documents, each weighing weight. */
extern "C" ptx_query *ptx_query_constant(const char *term, size_t len, double weight, const char *label)
{
    PTX_TRY
    Xapian::Query source((new labelled_weight(weight, label))->release());
    score_leaf leaf;
    leaf.terms.emplace_back(term, len);
    leaf.constant = true;
    leaf.weight = weight;
    Xapian::Query q(Xapian::Query::OP_FILTER, source, Xapian::Query(std::string(term, len)));
    return new ptx_query{q, {{q, PTX_PART_TITLE, label, 1.0, nullptr}}, {leaf}};
    PTX_CATCH_NULL
}

namespace {
/* What a positional check runs; shared by a source and its clones, and
 * the last of them frees the caller's context. */
struct positional_spec {
    std::string unless; /* "": none */
    ptx_doc_check_fn check = nullptr;
    void *ctx = nullptr;
    void (*free_ctx)(void *) = nullptr;
    std::string label; /* Xapian's description of the PHRASE or NEAR */
    positional_spec() = default;
    positional_spec(const positional_spec &) = delete;
    positional_spec &operator=(const positional_spec &) = delete;
    ~positional_spec()
    {
        if (free_ctx)
            free_ctx(ctx);
    }
};

/* A document's record: value slot PT_SLOT_RECORD (schema 5, see
 * schema.h for why), else its data (older indexes, and documents other
 * programs wrote). */
static std::string record_of(const Xapian::Document &doc)
{
    std::string record = doc.get_value(PT_SLOT_RECORD);
    return record.empty() ? doc.get_data() : record;
}

/* The positional filter of ptx_query_positional: weight 0, and a term
 * frequency as high as the database's so that the AND around it always
 * drives with its parts and only check()s here. check() hands the
 * candidate's record to the caller's check (positional.c decides);
 * next() and skip_to() (only used if something drives with this source)
 * walk every document. */
struct positional_check : Xapian::PostingSource {
    std::shared_ptr<const positional_spec> spec;
    Xapian::Database db;
    Xapian::doccount doccount = 0;
    Xapian::PostingIterator all; /* every document, for next() */
    bool walking = false;
    Xapian::PostingIterator unless; /* spec->unless, once needed */
    bool unless_open = false;
    Xapian::docid cur = 0;
    bool matched = false; /* cur matched (else check() left it indeterminate) */
    bool ended = false;

    explicit positional_check(std::shared_ptr<const positional_spec> s) : spec(std::move(s)) {}
    positional_check *clone() const override { return new positional_check(spec); }
    std::string name() const override { return "ptsearch.positional"; }
    std::string get_description() const override { return spec->label; }
    void init(const Xapian::Database &d) override
    {
        db = d;
        doccount = d.get_doccount();
        all = unless = Xapian::PostingIterator();
        walking = unless_open = false;
        cur = 0;
        matched = ended = false;
        set_maxweight(0);
    }
    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return doccount; }
    Xapian::doccount get_termfreq_max() const override { return doccount; }
    Xapian::docid get_docid() const override { return cur; }
    bool at_end() const override { return ended; }

    void next(double) override { walk_from(cur + 1); }
    void skip_to(Xapian::docid did, double) override
    {
        if (did <= cur) {
            if (matched)
                return;
            did = cur + 1;
        }
        walk_from(did);
    }
    bool check(Xapian::docid did, double) override
    {
        cur = did;
        ended = false;
        matched = verify(did);
        return matched;
    }

    void walk_from(Xapian::docid did)
    {
        if (!walking) {
            all = db.postlist_begin("");
            walking = true;
        }
        if (all != db.postlist_end("") && *all < did)
            all.skip_to(did);
        for (; all != db.postlist_end("") && !running_out_of_time(); ++all) {
            if (verify(*all)) {
                cur = *all;
                matched = true;
                return;
            }
        }
        ended = true;
    }

    /* Whether did has spec->unless; dids only grow between calls. */
    bool excluded(Xapian::docid did)
    {
        if (spec->unless.empty())
            return false;
        if (!unless_open) {
            unless = db.postlist_begin(spec->unless);
            unless_open = true;
        }
        if (unless == db.postlist_end(spec->unless))
            return false;
        if (*unless < did)
            unless.skip_to(did);
        return unless != db.postlist_end(spec->unless) && *unless == did;
    }

    bool verify(Xapian::docid did)
    {
        /* Past the deadline every candidate fails unread: reading and
         * analyzing passages is what makes a phrase of common words slow. */
        if (excluded(did) || running_out_of_time())
            return false;
        std::string data = record_of(db.get_document(did, Xapian::DOC_ASSUME_VALID));
        int rc = spec->check(data.data(), data.size(), spec->ctx);
        if (rc < 0)
            throw status_error{rc};
        return rc > 0;
    }
};

/* "(secur PHRASE 2 guarante)" for positional_check's label. */
static std::string strip_query(const std::string &d)
{
    if (d.compare(0, 6, "Query(") == 0 && d.back() == ')')
        return d.substr(6, d.size() - 7);
    return d;
}
}

extern "C" int ptx_query_terms(const ptx_query *q, ptx_query_term_cb cb, void *ctx)
{
    PTX_TRY
    for (auto t = q->q.get_unique_terms_begin(); t != q->q.get_unique_terms_end(); ++t) {
        const std::string &term = *t;
        int rc = cb(term.data(), term.size(), ctx);
        if (rc)
            return rc;
    }
    return PT_OK;
    PTX_CATCH
}

/* The spec of ptx_query_positional, owning ctx from the start: whatever
 * fails, free_ctx runs once. */
static std::shared_ptr<positional_spec> owning_spec(ptx_doc_check_fn check, void *ctx, void (*free_ctx)(void *))
{
    std::shared_ptr<positional_spec> spec;
    try {
        spec = std::make_shared<positional_spec>();
    } catch (...) {
        if (free_ctx)
            free_ctx(ctx);
        throw;
    }
    spec->check = check;
    spec->ctx = ctx;
    spec->free_ctx = free_ctx;
    return spec;
}

extern "C" ptx_query *ptx_query_positional(enum ptx_op op, ptx_query *const *parts, size_t n, unsigned window,
                                           const char *unless, ptx_doc_check_fn check, void *ctx,
                                           void (*free_ctx)(void *ctx))
{
    PTX_TRY
    std::shared_ptr<positional_spec> spec = owning_spec(check, ctx, free_ctx);
    if ((op != PTX_OP_PHRASE && op != PTX_OP_NEAR) || n < 2 || !check) {
        pt_fail(PT_EINVAL, "a positional query is a PHRASE or NEAR of two parts or more");
        return NULL;
    }
    std::vector<Xapian::Query> subs;
    subs.reserve(n);
    for (size_t i = 0; i < n; i++)
        subs.push_back(parts[i]->q);
    spec->unless = unless ? unless : "";
    spec->label = strip_query(Xapian::Query(to_xapian_op(op), subs.begin(), subs.end(), window).get_description());
    Xapian::Query candidates(Xapian::Query::OP_AND, subs.begin(), subs.end());
    Xapian::Query filter((new positional_check(spec))->release());
    Xapian::Query checked(Xapian::Query::OP_FILTER, candidates, filter);
    /* a remote shard cannot run the check: remote_check.c runs it there */
    return new ptx_query{checked, {{checked, CHECK_NODE, std::string(), 1.0, spec}},
                         combined_leaves(PTX_OP_AND, parts, n), true};
    PTX_CATCH_NULL
}

extern "C" ptx_query *ptx_query_match_all(void)
{
    PTX_TRY
    return new ptx_query{Xapian::Query::MatchAll};
    PTX_CATCH_NULL
}

extern "C" ptx_query *ptx_query_match_nothing(void)
{
    PTX_TRY
    return new ptx_query{Xapian::Query::MatchNothing};
    PTX_CATCH_NULL
}

extern "C" int ptx_query_is_empty(const ptx_query *q)
{
    return q->q.empty();
}

extern "C" char *ptx_query_describe(const ptx_query *q)
{
    char *out = NULL;
    try {
        copy_out(q->q.get_description(), &out, NULL);
    } catch (...) {
        map_exception();
    }
    return out;
}

extern "C" void ptx_query_free(ptx_query *q)
{
    delete q;
}

/* ---------------------------------------------------------------- search */

namespace {
struct fetched_hit {
    Xapian::docid docid;
    double weight;
    std::string data;
    std::string key; /* PT_SLOT_ARTICLE */
};
}

namespace {
/* The right side of FILTER(q, deadline_filter): every document until the
 * deadline, then its end, which ends the AND and so the match, with the
 * hits found so far. Xapian 1.4's own time limit (Enquire::set_time_limit)
 * only stops check_at_least; this stops the match. Weight 0, and a term
 * frequency as high as the database's, so the AND drives with q and only
 * skips this source along. */
struct deadline_filter : Xapian::PostingSource {
    deadline_state *deadline;
    Xapian::docid cur = 0, last = 0;
    Xapian::doccount doccount = 0;
    bool ended = false;

    explicit deadline_filter(deadline_state *d) : deadline(d) {}
    deadline_filter *clone() const override { return new deadline_filter(deadline); }
    std::string name() const override { return "ptsearch.deadline"; }
    std::string get_description() const override { return "deadline"; }
    void init(const Xapian::Database &db) override
    {
        cur = 0;
        ended = false;
        doccount = db.get_doccount();
        last = db.get_lastdocid();
        set_maxweight(0);
    }
    Xapian::doccount get_termfreq_min() const override { return doccount; }
    Xapian::doccount get_termfreq_est() const override { return doccount; }
    Xapian::doccount get_termfreq_max() const override { return doccount; }
    Xapian::docid get_docid() const override { return cur; }
    bool at_end() const override { return ended; }
    void next(double) override { move_to(cur + 1); }
    void skip_to(Xapian::docid did, double) override { move_to(did > cur ? did : cur); }
    void move_to(Xapian::docid did)
    {
        cur = did;
        if (cur > last || deadline->passed_sometimes())
            ended = true;
    }
};
}

/* q, ended at the reader's deadline when it has one (and no remote shard,
 * whose server could not rebuild the filter). */
static Xapian::Query with_deadline(ptx_reader *r, const Xapian::Query &q)
{
    if (r->deadline.at <= 0 || r->remote)
        return q;
    Xapian::Query stop((new deadline_filter(&r->deadline))->release());
    return Xapian::Query(Xapian::Query::OP_FILTER, q, stop);
}

/* The weighting of searches and explanations (bm25.h). */
static Xapian::BM25Weight bm25_weighting(const ptx_search_opts *o)
{
    return Xapian::BM25Weight(o->bm25_k1, PT_BM25_K2, PT_BM25_K3, o->bm25_b, PT_BM25_MIN_NORMLEN);
}

/* A query holding a positional check on a reader with a remote shard:
 * remote_check.c runs it (the stock xapian-tcpsrv cannot rebuild the
 * check). */
static int remote_check_refused()
{
    return pt_fail(PT_EINVAL, "a positional query cannot run on a remote shard (remote_check.h runs it)");
}

extern "C" int ptx_reader_is_remote(const ptx_reader *r)
{
    return r->remote;
}

extern "C" size_t ptx_reader_shard_count(const ptx_reader *r)
{
    return r->shards.size();
}

extern "C" int ptx_query_local_only(const ptx_query *q)
{
    return q->local_only;
}

/* Fetches everything before any callback runs, so a DatabaseModifiedError
 * surfaces as PT_EMODIFIED with no partial output. Past the deadline
 * nothing is searched: no hits. */
static void fetch_hits(ptx_reader *r, const Xapian::Query &q, const ptx_search_opts *o,
                       std::vector<fetched_hit> &hits, uint64_t *estimated_out)
{
    if (estimated_out)
        *estimated_out = 0;
    if (r->deadline.passed())
        return;
    Xapian::Enquire enquire(r->db);
    enquire.set_query(with_deadline(r, q));
    enquire.set_weighting_scheme(bm25_weighting(o));
    if (o->collapse_slot >= 0 && o->collapse_max > 0)
        enquire.set_collapse_key(static_cast<Xapian::valueno>(o->collapse_slot), o->collapse_max);
    if (o->sort_slot >= 0)
        enquire.set_sort_by_value_then_relevance(static_cast<Xapian::valueno>(o->sort_slot), true);
    else if (o->tie_slot >= 0)
        enquire.set_sort_by_relevance_then_value(static_cast<Xapian::valueno>(o->tie_slot), false);
    /* Xapian's own time limit only ends check_at_least (with a POSIX timer
     * per match): where that applies, it applies. */
    if (r->deadline.at > 0 && o->check_at_least > o->first + o->max)
        enquire.set_time_limit(std::max(r->deadline.at - pt_clock_now(), 0.001));
    deadline_scope scope(&r->deadline);
    Xapian::MSet mset = enquire.get_mset(o->first, o->max, o->check_at_least);
    if (estimated_out)
        *estimated_out = mset.get_matches_estimated();
    hits.reserve(mset.size());
    /* The article key the match read already (collapse or tie), else
     * another value lookup: a fifth of the reads of a search. */
    bool by_collapse = o->collapse_slot == PT_SLOT_ARTICLE && o->collapse_max > 0;
    bool by_tie = !by_collapse && o->sort_slot < 0 && o->tie_slot == PT_SLOT_ARTICLE;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Xapian::Document doc = it.get_document();
        std::string key = by_collapse ? it.get_collapse_key() : by_tie ? it.get_sort_key() : std::string();
        if (key.empty())
            key = doc.get_value(PT_SLOT_ARTICLE);
        hits.push_back({*it, it.get_weight(), record_of(doc), key});
    }
}

extern "C" int ptx_reader_search(ptx_reader *r, const ptx_query *q, const ptx_search_opts *opts,
                                 ptx_hit_cb cb, void *ctx, uint64_t *estimated_out)
{
    PTX_TRY
    if (r->remote && q->local_only)
        return remote_check_refused();
    std::vector<fetched_hit> hits;
    fetch_hits(r, q->q, opts, hits, estimated_out);
    for (size_t i = 0; i < hits.size(); i++) {
        ptx_hit h = {hits[i].docid, hits[i].weight, static_cast<unsigned>(i),
                     hits[i].data.data(), hits[i].data.size(), hits[i].key.data(), hits[i].key.size()};
        int rc = cb(&h, ctx);
        if (rc)
            return rc;
    }
    return PT_OK;
    PTX_CATCH_READER(r)
}

extern "C" int ptx_reader_count(ptx_reader *r, const ptx_query *q, int collapse_slot, uint64_t *docs_out,
                                uint64_t *groups_out)
{
    PTX_TRY
    *docs_out = *groups_out = 0;
    if (r->remote && q->local_only)
        return remote_check_refused();
    if (r->deadline.passed())
        return PT_OK;
    Xapian::Enquire enquire(r->db);
    enquire.set_query(with_deadline(r, q->q));
    /* Not BoolWeight: with it Xapian 1.4.22 reads a long posting list past
     * its end on an index an interrupted update left ("Unexpected end of
     * posting list for 'report'", where BM25 and ptindex --check pass). */
    if (collapse_slot >= 0)
        enquire.set_collapse_key(static_cast<Xapian::valueno>(collapse_slot), 1);
    deadline_scope scope(&r->deadline);
    Xapian::MSet mset = enquire.get_mset(0, 1, PTX_COUNT_CHECK_AT_LEAST);
    if (r->deadline.fired)
        return PT_OK; /* cut short: no count rather than a wrong one */
    *groups_out = mset.get_matches_estimated();
    *docs_out = collapse_slot >= 0 ? mset.get_uncollapsed_matches_estimated() : *groups_out;
    return PT_OK;
    PTX_CATCH_READER(r)
}

/* ---------------------------------------------------------------- explain */

namespace {
/* Accepts one document: weighs a part of a query for it alone. */
struct only_doc : Xapian::MatchDecider {
    Xapian::docid id;
    explicit only_doc(Xapian::docid d) : id(d) {}
    bool operator()(const Xapian::Document &doc) const override { return doc.get_docid() == id; }
};
}

namespace {
/* One additive part of a query: a node, the query that weighs it (the
 * node under the FILTERs above it: a title or feedback word gated on the
 * words typed adds nothing where they are not), the product of the
 * SCALE_WEIGHT factors above it, and its label from the side table (or
 * NULL). */
struct scored_part {
    Xapian::Query node, run;
    double factor;
    const part_label *label;
};
}

/* The label of node q (kind SCALE_NODE: the factor of a scaled node). */
static const part_label *label_of(const ptx_query *pq, const Xapian::Query &q, bool scale)
{
    for (const part_label &l : pq->labels)
        if (l.node.internal.get() == q.internal.get() && l.kind != CHECK_NODE && (l.kind == SCALE_NODE) == scale)
            return &l;
    return NULL;
}

static void additive_parts(const ptx_query *pq, const Xapian::Query &q, double factor,
                           std::vector<scored_part> &out)
{
    /* One part each: a labelled node. The query's builder labels every
     * phrase and NEAR (one part, as Xapian's PHRASE was) and
     * ptx_query_constant its constant weight (which alone, without its
     * FILTER, would match every document). */
    const part_label *label = label_of(pq, q, false);
    if (label) {
        out.push_back({q, q, factor, label});
        return;
    }
    const part_label *scale = label_of(pq, q, true);
    if (scale && q.get_type() == Xapian::Query::OP_SCALE_WEIGHT && q.get_num_subqueries() == 1) {
        additive_parts(pq, q.get_subquery(0), factor * scale->factor, out);
        return;
    }
    switch (q.get_type()) {
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_AND_MAYBE:
        for (size_t i = 0; i < q.get_num_subqueries(); i++)
            additive_parts(pq, q.get_subquery(i), factor, out);
        break;
    case Xapian::Query::OP_FILTER: {
        std::vector<scored_part> inner;
        additive_parts(pq, q.get_subquery(0), factor, inner);
        for (scored_part &p : inner) {
            for (size_t i = 1; i < q.get_num_subqueries(); i++)
                p.run = Xapian::Query(Xapian::Query::OP_FILTER, p.run, q.get_subquery(i));
            out.push_back(p);
        }
        break;
    }
    case Xapian::Query::OP_AND_NOT:
        additive_parts(pq, q.get_subquery(0), factor, out);
        break;
    default:
        out.push_back({q, q, factor, NULL});
    }
}

/* The label of a part the query's builder did not label (every word,
 * phrase, constant and feedback word has one; this is a fallback): its
 * terms as the index holds them, from the query itself, not from the text
 * of Xapian's description. */
static std::string readable(const Xapian::Query &q)
{
    std::string out;
    for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t)
        out += (out.empty() ? "" : " ") + *t;
    return out.empty() ? std::string("(no words)") : out;
}

/* A part's label: the builder's text (a phrase and a word with variants
 * by their own), under the factor of the nodes above it. */
static std::string part_text(const scored_part &p)
{
    std::string text = p.label ? p.label->text : readable(p.node);
    if (p.factor == 1.0)
        return text;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g * ", p.factor);
    return buf + text;
}

/* --------------------------------- parts, windows and weights (remote_check.c) */

extern "C" int ptx_query_parts(const ptx_query *q, ptx_part_cb cb, void *ctx)
{
    PTX_TRY
    std::vector<scored_part> parts;
    additive_parts(q, q->q, 1.0, parts);
    for (const scored_part &p : parts) {
        ptx_query run{p.run, q->labels, {}, q->local_only};
        std::string text = part_text(p);
        ptx_part part = {&run, p.factor, text.c_str(),
                         p.label ? static_cast<enum ptx_part_kind>(p.label->kind) : PTX_PART_OTHER};
        int rc = cb(&part, ctx);
        if (rc)
            return rc;
    }
    return PT_OK;
    PTX_CATCH
}

extern "C" int ptx_reader_weigh_doc(ptx_reader *r, const ptx_query *run, double factor, uint32_t docid,
                                    const ptx_search_opts *opts, double *weight_out)
{
    *weight_out = 0;
    PTX_TRY
    if (r->remote || r->shards.size() > 1)
        return pt_fail(PT_EINVAL, "a MatchDecider over shards sees each shard's own docids");
    Xapian::Enquire enquire(r->db);
    enquire.set_weighting_scheme(bm25_weighting(opts));
    only_doc decider(docid);
    Xapian::Query weighed = factor == 1.0 ? run->q : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, run->q, factor);
    enquire.set_query(with_deadline(r, weighed));
    deadline_scope scope(&r->deadline);
    Xapian::MSet mset = enquire.get_mset(0, 1, 0, NULL, &decider);
    *weight_out = mset.empty() ? 0 : mset.begin().get_weight();
    return PT_OK;
    PTX_CATCH_READER(r)
}

extern "C" int ptx_reader_passage(ptx_reader *r, uint32_t docid, ptx_hit_cb cb, void *ctx)
{
    PTX_TRY
    Xapian::Document doc = r->db.get_document(docid);
    std::string data = record_of(doc), key = doc.get_value(PT_SLOT_ARTICLE);
    ptx_hit h = {docid, 0, 0, data.data(), data.size(), key.data(), key.size()};
    return cb(&h, ctx);
    PTX_CATCH_READER(r)
}

extern "C" int ptx_reader_window(ptx_reader *r, const ptx_query *q, const ptx_search_opts *o, unsigned first,
                                 unsigned max, ptx_window_cb cb, void *ctx, uint64_t *estimated_out,
                                 int *rest_out)
{
    PTX_TRY
    Xapian::Enquire enquire(r->db);
    enquire.set_query(q->q);
    enquire.set_weighting_scheme(bm25_weighting(o));
    int order_slot = o->sort_slot >= 0 ? o->sort_slot : o->tie_slot;
    if (o->sort_slot >= 0)
        enquire.set_sort_by_value_then_relevance(static_cast<Xapian::valueno>(o->sort_slot), true);
    else if (o->tie_slot >= 0)
        enquire.set_sort_by_relevance_then_value(static_cast<Xapian::valueno>(o->tie_slot), false);
    /* From 0: Xapian 1.4.22's MSet::fetch() crashes on an MSet starting
     * past 0, and without it each record is a round trip of its own. */
    Xapian::MSet mset = enquire.get_mset(0, first + max);
    mset.fetch();
    *estimated_out = mset.get_matches_estimated();
    *rest_out = mset.size() < first + max;
    for (auto it = mset[std::min<Xapian::doccount>(first, mset.size())]; it != mset.end(); ++it) {
        Xapian::Document doc = it.get_document();
        std::string data = record_of(doc), key = doc.get_value(PT_SLOT_ARTICLE);
        std::string collapse, order;
        if (o->collapse_slot >= 0)
            collapse = doc.get_value(static_cast<Xapian::valueno>(o->collapse_slot));
        if (order_slot >= 0)
            order = doc.get_value(static_cast<Xapian::valueno>(order_slot));
        ptx_window_hit h = {{*it, it.get_weight(), static_cast<unsigned>(it.get_rank()), data.data(), data.size(),
                             key.data(), key.size()},
                            collapse.data(), collapse.size(), order.data(), order.size()};
        int rc = cb(&h, ctx);
        if (rc)
            return rc;
    }
    return PT_OK;
    PTX_CATCH_READER(r)
}

extern "C" int ptx_reader_weigh_within(ptx_reader *r, const ptx_query *q, const ptx_search_opts *o,
                                       const char *const *terms, const size_t *lens, size_t n, ptx_weight_cb cb,
                                       void *ctx)
{
    PTX_TRY
    std::vector<Xapian::Query> within;
    for (size_t i = 0; i < n; i++)
        within.emplace_back(std::string(terms[i], lens[i]));
    Xapian::Query only(Xapian::Query::OP_OR, within.begin(), within.end());
    Xapian::Enquire enquire(r->db);
    enquire.set_weighting_scheme(bm25_weighting(o));
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q->q, only));
    Xapian::MSet mset = enquire.get_mset(0, r->db.get_doccount());
    for (auto m = mset.begin(); m != mset.end(); ++m) {
        int rc = cb(*m, m.get_weight(), ctx);
        if (rc)
            return rc;
    }
    return PT_OK;
    PTX_CATCH_READER(r)
}

/* ------------------------------------ the tree of a query (remote_check.c) */

/* The check of node q, when q is the positional query of one. */
static const positional_spec *check_of(const ptx_query *pq, const Xapian::Query &q)
{
    for (const part_label &l : pq->labels)
        if (l.kind == CHECK_NODE && l.node.internal.get() == q.internal.get())
            return l.check.get();
    return nullptr;
}

static enum ptx_node_op node_op(const Xapian::Query &q)
{
    switch (q.get_type()) {
    case Xapian::Query::OP_AND: return PTX_NODE_AND;
    case Xapian::Query::OP_OR: return PTX_NODE_OR;
    case Xapian::Query::OP_AND_NOT: return PTX_NODE_AND_NOT;
    case Xapian::Query::OP_AND_MAYBE: return PTX_NODE_AND_MAYBE;
    case Xapian::Query::OP_FILTER: return PTX_NODE_FILTER;
    case Xapian::Query::OP_SCALE_WEIGHT: return PTX_NODE_SCALE;
    default: return PTX_NODE_OTHER;
    }
}

extern "C" void ptx_query_node(const ptx_query *q, ptx_node *out)
{
    *out = ptx_node{};
    out->id = q->q.internal.get();
    out->n_subs = q->q.get_num_subqueries();
    out->op = node_op(q->q);
    if (const part_label *scale = label_of(q, q->q, true)) {
        out->has_factor = 1;
        out->factor = scale->factor;
    }
    if (const positional_spec *spec = check_of(q, q->q)) {
        out->op = PTX_NODE_CHECK;
        out->check = spec->check;
        out->check_ctx = spec->ctx;
        out->unless = spec->unless.empty() ? NULL : spec->unless.c_str();
    }
}

extern "C" int ptx_query_subquery(ptx_query **out, const ptx_query *q, size_t i)
{
    *out = NULL;
    PTX_TRY
    if (i >= q->q.get_num_subqueries())
        return pt_fail(PT_EINVAL, "no subquery %zu", i);
    *out = new ptx_query{q->q.get_subquery(i), q->labels, {}, q->local_only};
    return PT_OK;
    PTX_CATCH
}

extern "C" int ptx_query_rebuild(ptx_query **out, const ptx_query *like, const ptx_query *const *subs, size_t n)
{
    *out = NULL;
    PTX_TRY
    std::vector<Xapian::Query> qs;
    bool local = false;
    for (size_t i = 0; i < n; i++) {
        qs.push_back(subs[i] ? subs[i]->q : Xapian::Query());
        local = local || (subs[i] && subs[i]->local_only);
    }
    if (like->q.get_type() == Xapian::Query::OP_SCALE_WEIGHT) {
        const part_label *scale = label_of(like, like->q, true);
        if (!scale || n != 1)
            throw Xapian::UnimplementedError("a scaled phrase without its factor");
        *out = new ptx_query{Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, qs[0], scale->factor), like->labels, {},
                             local};
    } else {
        *out = new ptx_query{Xapian::Query(like->q.get_type(), qs.begin(), qs.end()), like->labels, {}, local};
    }
    return PT_OK;
    PTX_CATCH
}

/* ------------------------------------------------------ article evidence */

extern "C" int ptx_query_leaves(const ptx_query *q, ptx_leaf_cb cb, void *ctx)
{
    PTX_TRY
    std::vector<const char *> terms;
    for (const score_leaf &l : q->leaves) {
        terms.clear();
        for (const std::string &t : l.terms)
            terms.push_back(t.c_str());
        ptx_score_leaf leaf = {terms.data(), terms.size(), l.mult, l.constant, l.weight};
        int rc = cb(&leaf, ctx);
        if (rc)
            return rc;
    }
    return PT_OK;
    PTX_CATCH
}

/* ------------------------------------------------------------ termlists */

extern "C" int ptx_reader_termlist(ptx_reader *r, uint32_t docid, ptx_termlist_cb cb, void *ctx)
{
    PTX_TRY
    for (auto t = r->db.termlist_begin(docid); t != r->db.termlist_end(docid); ++t) {
        const std::string &term = *t;
        int rc = cb(term.c_str(), term.size(), t.get_wdf(), ctx);
        if (rc)
            return rc;
    }
    return PT_OK;
    PTX_CATCH
}

extern "C" int ptx_reader_doclength(ptx_reader *r, uint32_t docid, uint64_t *out)
{
    PTX_TRY
    *out = r->db.get_doclength(docid);
    return PT_OK;
    PTX_CATCH
}

/* ------------------------------------------------------------ maintenance */

extern "C" int ptx_check(const char *path, char **report_out)
{
    if (report_out)
        *report_out = NULL;
    std::ostringstream report;
    errno = 0;
    try {
        /* No tree dump: a line per table, and one per error found. */
        size_t errors = Xapian::Database::check(path, 0, &report);
        if (report_out)
            copy_out(report.str(), report_out, NULL);
        if (errors)
            return pt_fail(PT_ECORRUPT, "%zu error(s) in %s", errors, path);
        return PT_OK;
    } catch (...) {
        if (report_out && !*report_out)
            copy_out(report.str(), report_out, NULL);
        return map_exception();
    }
}

extern "C" int ptx_reader_snapshot(ptx_reader *r, char **out)
{
    *out = NULL;
    PTX_TRY
    return copy_out(r->db.get_uuid() + ":" + std::to_string(r->db.get_revision()), out, NULL);
    PTX_CATCH
}

extern "C" int ptx_reader_probe(ptx_reader *r)
{
    PTX_TRY
    Xapian::Enquire enquire(r->db);
    enquire.set_query(Xapian::Query::MatchAll);
    Xapian::MSet mset = enquire.get_mset(0, 1);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Xapian::Document doc = it.get_document();
        (void)doc.get_value(PT_SLOT_RECORD);
        for (auto t = r->db.termlist_begin(*it); t != r->db.termlist_end(*it); ++t)
            (void)r->db.get_termfreq(*t);
    }
    return PT_OK;
    PTX_CATCH
}

extern "C" int ptx_compact(const char *src, const char *dst)
{
    PTX_TRY
    Xapian::Database db(src);
    db.compact(dst, Xapian::DBCOMPACT_NO_RENUMBER);
    return PT_OK;
    PTX_CATCH
}

namespace {
/* Metadata found in several sources: sum_key's values, the copies' count
 * (PT_META_COPY_COUNT) and the excess of each word (PT_META_EXCESS) are
 * decimal counts and add up; any other key keeps the first source's
 * value. */
class merge_compactor : public Xapian::Compactor {
    std::string sum_key;

  public:
    explicit merge_compactor(const char *key) : sum_key(key ? key : "") {}
    std::string resolve_duplicate_metadata(const std::string &key, size_t num_tags,
                                           const std::string tags[]) override
    {
        /* Glass (1.4) passes the key as stored, after a two-byte
         * "\0\xc0" marker of user metadata. */
        std::string name = key;
        if (name.size() >= 2 && name[0] == '\0' && name[1] == '\xc0')
            name.erase(0, 2);
        bool excess = name.compare(0, sizeof PT_META_EXCESS - 1, PT_META_EXCESS) == 0;
        bool counted = name == PT_META_COPY_COUNT || (!sum_key.empty() && name == sum_key);
        if (!excess && !counted)
            return tags[0];
        long long total = 0;
        for (size_t i = 0; i < num_tags; i++)
            total += std::strtoll(tags[i].c_str(), nullptr, 10);
        return std::to_string(total);
    }
};
} // namespace

extern "C" int ptx_compact_many(const char *const *srcs, size_t n, const char *dst, const char *sum_key)
{
    PTX_TRY
    Xapian::Database db;
    for (size_t i = 0; i < n; i++)
        db.add_database(Xapian::Database(srcs[i]));
    merge_compactor compactor(sum_key);
    /* Each source numbers its documents from 1: renumber them in turn. */
    db.compact(dst, 0, 0, compactor);
    return PT_OK;
    PTX_CATCH
}

/* The writer's records of one term (copies.c hands passages on). */
extern "C" int ptx_writer_records(ptx_writer *w, const char *term, ptx_record_cb cb, void *ctx)
{
    PTX_WRITER_TRY(w)
    for (auto d = w->db.postlist_begin(term); d != w->db.postlist_end(term); ++d) {
        std::string record = record_of(w->db.get_document(*d));
        int rc = cb(record.data(), record.size(), ctx);
        if (rc)
            return rc;
    }
    return PT_OK;
    PTX_WRITER_CATCH(w)
}
