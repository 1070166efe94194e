/* update.c — the incremental pass behind ptindex. For each file under a
 * root it compares size and mtime with the index's manifest (sources.c):
 * equal → not read; else the file's bytes are hashed: equal → only the
 * stamp is renewed; else the file is read again by the extractor for its
 * format inside a source pass, so articles it no longer has are removed.
 * Files of the root that are gone are removed last — never those under a
 * folder, or a file, that could not be read: those keep their articles. */
#include "update.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extractor.h"
#include "walk.h"
#include "ptsearch.h"

double pt_update_seconds(const pt_update *u)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - u->started.tv_sec) + (double)(now.tv_nsec - u->started.tv_nsec) / 1e9;
}

/* ------------------------------------------------------------- messages */

static void show_progress(pt_update *u)
{
    if (!u->show_progress)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double since = (double)(now.tv_sec - u->last_progress.tv_sec) +
                   (double)(now.tv_nsec - u->last_progress.tv_nsec) / 1e9;
    if (since < 0.25)
        return;
    u->last_progress = now;
    pt_par_counts c = {0, 0, 0, 0};
    if (u->par)
        pt_par_counts_get(u->par, &c);
    fprintf(stderr, "\rptindex: %lu added, %lu updated, %lu unchanged, %lu passages%s, %.1f s ",
            u->added + c.added, u->updated + c.updated, u->unchanged + c.unchanged,
            u->passages + c.passages, u->shards ? " (sharded)" : "", pt_update_seconds(u));
}

/* Ends the progress line before a message is printed. */
static void clear_progress(const pt_update *u)
{
    if (u->show_progress)
        fputs("\r\033[K", stderr);
}

/* The kind of a skip reason, for the summary: its text before the first
 * ':', '(' or ',', where extractors put what varies ("too large: body is
 * 28.6 MB, ..." → "too large"; "binary file (a PNG image), not text" →
 * "binary file"). Kinds are copied whole; NULL is "other". */
static void count_reason(pt_update *u, const char *reason)
{
    size_t n = strcspn(reason, ":(,");
    while (n && reason[n - 1] == ' ')
        n--;
    if (!n)
        n = strlen(reason);
    for (size_t i = 0; i < PT_MAX_REASONS; i++) {
        pt_reason_count *r = &u->reasons[i];
        int last = i == PT_MAX_REASONS - 1; /* the last slot counts all the rest */
        if (r->count == 0 && !last)
            r->kind = strndup(reason, n); /* out of memory: counted as "other" */
        if (last || !r->kind || (strncmp(r->kind, reason, n) == 0 && r->kind[n] == '\0')) {
            r->count++;
            return;
        }
    }
}

static void print_located(const char *path, unsigned long line, const char *what, const char *reason)
{
    if (line)
        fprintf(stderr, "ptindex: %s:%lu: %s%s\n", path, line, what, reason);
    else
        fprintf(stderr, "ptindex: %s: %s%s\n", path, what, reason);
}

static void skip_input(pt_update *u, const char *path, unsigned long line, const char *reason)
{
    clear_progress(u);
    print_located(path, line, "", reason);
    u->skipped++;
    count_reason(u, reason);
}

/* An input that could not be read: skipped, and what the index holds from
 * it is kept (never taken for deleted). */
static void skip_unread(pt_update *u, const char *path, const char *reason)
{
    clear_progress(u);
    fprintf(stderr, "ptindex: %s: %s (what the index holds from it is kept)\n", path, reason);
    u->skipped++;
    u->unread++;
    count_reason(u, reason);
}

void pt_report_index_error(const char *index_name, const char *what, int rc)
{
    const char *msg = pt_error_last();
    if (rc == PT_ENOSPC)
        fprintf(stderr, "ptindex: %s: %s; the index keeps its last commit: make room and run ptindex again\n",
                index_name, msg);
    else if (rc == PT_ECORRUPT)
        fprintf(stderr, "ptindex: %s: %s; ptindex --index %s --rebuild builds it again from its sources\n",
                index_name, msg, index_name);
    else
        fprintf(stderr, "ptindex: %s: %s\n", what, msg);
}

static void index_error(pt_update *u, const char *what, int rc)
{
    clear_progress(u);
    pt_report_index_error(u->index_name, what, rc);
    if (!u->fatal)
        u->fatal = rc;
}

int pt_update_commit(pt_update *u)
{
    int rc = pt_index_commit(u->index);
    if (rc)
        index_error(u, "commit failed", rc);
    else if (!u->par) /* a parallel build reaches the index only when merged */
        u->committed = (pt_written){u->added, u->updated, u->removed, u->passages};
    u->since_commit = 0;
    u->bytes_since_commit = 0;
    return rc;
}

void pt_update_keep_committed(pt_update *u)
{
    u->added = u->committed.added;
    u->updated = u->committed.updated;
    u->removed = u->committed.removed;
    u->passages = u->committed.passages;
}

void pt_update_finish_parts(pt_update *u)
{
    const char *where = NULL;
    int rc = pt_par_finish(u->par, &where);
    if (rc && !u->fatal) /* else reported when the reading thread met it */
        index_error(u, *where ? where : "indexing failed", rc);
    pt_par_counts c;
    pt_par_counts_get(u->par, &c);
    u->added += c.added;
    u->updated += c.updated;
    u->unchanged += c.unchanged;
    u->passages += c.passages;
    u->par = NULL;
}

/* ------------------------------------------------------ extractor callbacks */

/* A parallel build: the article goes to its worker, its id to the source
 * pass of the manifest part. */
static int on_article_par(pt_read_env *env, const pt_article *a)
{
    pt_update *u = env->ctx;
    const char *where = env->path;
    int rc = pt_par_add(u->par, env->path, a, &where);
    if (!rc)
        rc = pt_index_source_add_id(u->index, a->id);
    if (rc) {
        index_error(u, *where ? where : env->path, rc);
        return 1;
    }
    show_progress(u);
    return 0;
}

static int on_article(pt_read_env *env, const pt_article *a)
{
    pt_update *u = env->ctx;
    if (*u->interrupted || u->fatal)
        return 1;
    if (strlen(a->id) > PT_MAX_ID_BYTES) {
        char why[80];
        snprintf(why, sizeof why, "article id longer than the limit (%d bytes)", PT_MAX_ID_BYTES);
        skip_input(u, env->path, a->file_line, why);
        return 0;
    }
    if (u->par)
        return on_article_par(env, a);
    pt_add_result result;
    int rc = pt_index_add(u->index, a, &result);
    if (rc) {
        index_error(u, env->path, rc);
        return 1;
    }
    if (result.kind == PT_ADD_UNCHANGED) {
        u->unchanged++;
    } else {
        if (result.kind == PT_ADD_NEW)
            u->added++;
        else
            u->updated++;
        u->passages += result.passages;
        u->bytes_since_commit += a->text_len;
        if ((++u->since_commit >= u->commit_every || u->bytes_since_commit >= u->commit_bytes) &&
            pt_update_commit(u))
            return 1;
    }
    show_progress(u);
    return 0;
}

static void on_skip(pt_read_env *env, unsigned long line, const char *reason)
{
    skip_input(env->ctx, env->path, line, reason);
}

static void on_warn(pt_read_env *env, unsigned long line, const char *reason)
{
    pt_update *u = env->ctx;
    clear_progress(u);
    print_located(env->path, line, "warning: ", reason);
    u->warnings++;
}

/* ------------------------------------------------------------ one input */

typedef int (*extractor_fn)(pt_read_env *env, pt_input *in);

static int has_suffix(const char *s, size_t len, const char *suffix)
{
    size_t m = strlen(suffix);
    return len >= m && strncasecmp(s + len - m, suffix, m) == 0;
}

/* The extractor for a file name (".gz" looked through), or NULL. */
static extractor_fn extractor_for(const char *path)
{
    size_t len = strlen(path);
    if (strcmp(path, "-") == 0)
        return pt_read_jsonl_input;
    if (has_suffix(path, len, ".gz"))
        len -= 3;
    if (has_suffix(path, len, ".txt"))
        return pt_read_text_input;
    if (has_suffix(path, len, ".md"))
        return pt_read_markdown_input;
    if (has_suffix(path, len, ".html") || has_suffix(path, len, ".htm"))
        return pt_read_html_input;
    if (has_suffix(path, len, ".jsonl") || has_suffix(path, len, ".ndjson"))
        return pt_read_jsonl_input;
    return NULL;
}

/* Runs extractor over path. Returns 0, or -1 when the input could not be
 * read whole (it could not be opened, or a read failed part way; the
 * reason is reported). */
static int run_extractor(pt_update *u, const char *path, const char *abspath, const char *rel,
                         extractor_fn extractor)
{
    char why[256];
    pt_input *in = NULL;
    if (pt_input_open(&in, path, why, sizeof why) != PT_INPUT_OK) {
        skip_unread(u, path, why);
        return -1;
    }
    pt_read_env env = {path, abspath, rel, on_article, on_skip, on_warn, u};
    extractor(&env, in);
    int failed = pt_input_failed(in);
    pt_input_close(in);
    if (failed)
        u->unread++; /* the extractor reported it */
    return failed ? -1 : 0;
}

/* Hash of the file's bytes as stored (compressed or not). */
static int hash_file(const char *path, uint64_t *out, char *why, size_t why_size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, why_size, "%s", strerror(errno));
        return -1;
    }
    char buf[1 << 16];
    uint64_t h = PT_HASH_SEED;
    ssize_t got;
    while ((got = read(fd, buf, sizeof buf)) > 0)
        h = pt_hash_bytes(h, buf, (size_t)got);
    if (got < 0)
        snprintf(why, why_size, "%s", strerror(errno));
    close(fd);
    *out = h;
    return got < 0 ? -1 : 0;
}

static int64_t mtime_ns(const struct stat *sb)
{
    return (int64_t)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec;
}

/* Reads a file again only when its stamp says it changed. */
static void update_file(pt_update *u, const char *path, const char *abspath, const char *rel,
                        const struct stat *sb, extractor_fn extractor)
{
    pt_source_stamp now = {(uint64_t)sb->st_size, mtime_ns(sb), 0, 0}, old;
    int rc = pt_index_source_stamp(u->index, abspath, &old);
    if (rc && rc != PT_ENOTFOUND) {
        index_error(u, abspath, rc);
        return;
    }
    int known = rc == PT_OK;
    if (known && old.size == now.size && old.mtime_ns == now.mtime_ns) {
        if (access(path, R_OK) != 0) /* not read, but it could not be */
            skip_unread(u, path, strerror(errno));
        else
            u->unchanged += old.articles;
        return;
    }
    char why[256];
    if (hash_file(path, &now.hash, why, sizeof why) != 0) {
        skip_unread(u, path, why);
        return;
    }
    if (known && old.hash == now.hash) { /* touched, not changed */
        u->unchanged += old.articles;
        if ((rc = pt_index_source_touch(u->index, abspath, &now)) != 0)
            index_error(u, abspath, rc);
        return;
    }
    if ((rc = pt_index_source_begin(u->index, abspath)) != 0) {
        index_error(u, abspath, rc);
        return;
    }
    int unread = run_extractor(u, path, abspath, rel, extractor);
    size_t removed = 0;
    if (u->fatal || *u->interrupted)
        pt_index_source_abort(u->index); /* the next run reads it again */
    else if (unread && (rc = pt_index_source_keep(u->index)) != 0)
        index_error(u, abspath, rc);
    else if (!unread && (rc = pt_index_source_end(u->index, &now, &removed)) != 0)
        index_error(u, abspath, rc);
    u->removed += removed;
}

/* ----------------------------------------------------------------- roots */

typedef struct {
    pt_update *u;
    char **seen; /* absolute paths of the files met under the root */
    size_t n, cap;
    char **gone; /* recorded sources under the root that were not met */
    size_t n_gone, cap_gone;
    char **unread; /* absolute paths that could not be read: what lies
                    * at or under them is kept */
    size_t n_unread, cap_unread;
    int keep_all; /* something unreadable could not be located: remove nothing */
    const char *exact; /* for a file root: only this path counts */
} root_walk;

static int push_path(char ***list, size_t *n, size_t *cap, const char *path)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        char **p = realloc(*list, c * sizeof *p);
        if (!p)
            return -1;
        *list = p;
        *cap = c;
    }
    if (!((*list)[*n] = strdup(path)))
        return -1;
    (*n)++;
    return 0;
}

/* The absolute path of what path names, even when path itself cannot be
 * resolved (its directory can: the walk came through it); NULL if not. */
static char *absolute_path(const char *path)
{
    char *abs = realpath(path, NULL);
    const char *slash = strrchr(path, '/');
    if (abs || !slash || slash[1] == '\0')
        return abs;
    char *dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
    char *absdir = dir ? realpath(dir, NULL) : NULL;
    if (absdir)
        abs = pt_strdupf("%s%s%s", absdir, strcmp(absdir, "/") ? "/" : "", slash + 1);
    free(absdir);
    free(dir);
    return abs;
}

/* path (a directory or a file) could not be read: reported, and the
 * recorded sources at or under it are not taken for deleted. */
static void keep_unread(root_walk *w, const char *path, const char *reason)
{
    skip_unread(w->u, path, reason);
    char *abs = absolute_path(path);
    if (!abs || push_path(&w->unread, &w->n_unread, &w->cap_unread, abs) != 0)
        w->keep_all = 1;
    free(abs);
}

static int on_walk_file(const char *path, const char *rel, const struct stat *sb, void *ctx)
{
    root_walk *w = ctx;
    pt_update *u = w->u;
    if (*u->interrupted || u->fatal)
        return 1;
    extractor_fn extractor = extractor_for(path);
    if (!extractor) {
        u->ignored++; /* a directory's other files: images, scripts... */
        return 0;
    }
    char *abspath = realpath(path, NULL);
    if (!abspath || push_path(&w->seen, &w->n, &w->cap, abspath) != 0) {
        keep_unread(w, path, abspath ? "out of memory" : strerror(errno));
    } else if (u->defer && u->defer(u->defer_ctx, abspath, sb)) {
        u->deferred++; /* still being written: a later pass reads it */
    } else {
        update_file(u, path, abspath, rel, sb, extractor);
    }
    free(abspath);
    return *u->interrupted || u->fatal;
}

static void on_walk_skip(const char *path, const char *reason, int unread, void *ctx)
{
    root_walk *w = ctx;
    if (unread)
        keep_unread(w, path, reason);
    else
        skip_input(w->u, path, 0, reason);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* path is one of w->unread or lies under one. */
static int under_unread(const root_walk *w, const char *path)
{
    for (size_t i = 0; i < w->n_unread; i++) {
        size_t len = strlen(w->unread[i]);
        if (strncmp(path, w->unread[i], len) == 0 &&
            (path[len] == '\0' || path[len] == '/' || strcmp(w->unread[i], "/") == 0))
            return 1;
    }
    return 0;
}

static int collect_gone(const char *path, void *ctx)
{
    root_walk *w = ctx;
    if (w->exact && strcmp(path, w->exact) != 0)
        return 0;
    if (under_unread(w, path))
        return 0;
    if (w->n && bsearch(&path, w->seen, w->n, sizeof *w->seen, cmp_str))
        return 0;
    return push_path(&w->gone, &w->n_gone, &w->cap_gone, path) ? PT_ENOMEM : 0;
}

/* Removes the recorded sources under the root that the walk did not meet. */
static void remove_gone(pt_update *u, root_walk *w, const char *prefix)
{
    if (w->n > 1)
        qsort(w->seen, w->n, sizeof *w->seen, cmp_str);
    int rc = pt_index_sources(u->index, prefix, collect_gone, w);
    if (rc) {
        index_error(u, prefix, rc);
        return;
    }
    for (size_t i = 0; i < w->n_gone && !u->fatal; i++) {
        size_t removed = 0;
        rc = pt_index_source_remove(u->index, w->gone[i], &removed);
        if (rc && rc != PT_ENOTFOUND)
            index_error(u, w->gone[i], rc);
        u->removed += removed;
    }
}

static void free_list(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

static void update_tree(pt_update *u, const char *root)
{
    root_walk w = {.u = u};
    char *absroot = realpath(root, NULL);
    if (!absroot) {
        skip_unread(u, root, strerror(errno));
        return;
    }
    int rc = pt_index_add_root(u->index, absroot);
    if (rc)
        index_error(u, absroot, rc);
    struct stat sb;
    int is_dir = stat(absroot, &sb) == 0 && S_ISDIR(sb.st_mode);
    size_t plen = strlen(absroot) + 2;
    char *prefix = malloc(plen);
    if (prefix) {
        snprintf(prefix, plen, "%s%s", absroot, is_dir && strcmp(absroot, "/") ? "/" : "");
        w.exact = is_dir ? NULL : absroot;
        pt_walk(root, on_walk_file, on_walk_skip, &w);
        /* An interrupted walk did not meet every file: remove nothing. */
        if (!*u->interrupted && !u->fatal && !w.keep_all)
            remove_gone(u, &w, prefix);
    }
    free(prefix);
    free_list(w.seen, w.n);
    free_list(w.gone, w.n_gone);
    free_list(w.unread, w.n_unread);
    free(absroot);
}

void pt_update_root(pt_update *u, const char *root)
{
    struct stat sb;
    if (strcmp(root, "-") == 0) {
        run_extractor(u, "-", "-", "stdin", pt_read_jsonl_input);
        return;
    }
    if (stat(root, &sb) == 0 && S_ISREG(sb.st_mode) && !extractor_for(root)) {
        skip_input(u, root, 0, "unsupported file type (.txt .md .html .htm .jsonl, or .gz of these)");
        return;
    }
    update_tree(u, root);
}

/* ---------------------------------------------------------- learning pass */

/* The pass before indexing: every new article of the files this run will
 * read teaches the index which lines its source repeats (pt_index_learn),
 * so the first article of a run is cleaned as well as the last. Quiet:
 * what cannot be read is reported by the indexing pass. */

static int on_article_learn(pt_read_env *env, const pt_article *a)
{
    pt_update *u = env->ctx;
    if (*u->interrupted || u->fatal)
        return 1;
    if (strlen(a->id) > PT_MAX_ID_BYTES)
        return 0; /* the indexing pass reports it */
    int rc = pt_index_learn(u->index, a);
    if (rc && rc != PT_ENOMEM) {
        index_error(u, env->path, rc);
        return 1;
    }
    return 0; /* out of memory: the table is only less complete */
}

static void quiet_skip(pt_read_env *env, unsigned long line, const char *reason)
{
    (void)env, (void)line, (void)reason;
}

static int on_walk_file_learn(const char *path, const char *rel, const struct stat *sb, void *ctx)
{
    pt_update *u = ctx;
    extractor_fn extractor = extractor_for(path);
    char *abspath = extractor ? realpath(path, NULL) : NULL;
    pt_source_stamp old;
    if (abspath && !(u->defer && u->defer(u->defer_ctx, abspath, sb)) &&
        !(pt_index_source_stamp(u->index, abspath, &old) == PT_OK && old.size == (uint64_t)sb->st_size &&
          old.mtime_ns == mtime_ns(sb))) {
        pt_input *in = NULL;
        char why[256];
        if (pt_input_open(&in, path, why, sizeof why) == PT_INPUT_OK) {
            pt_read_env env = {path, abspath, rel, on_article_learn, quiet_skip, quiet_skip, u};
            extractor(&env, in);
            pt_input_close(in);
        }
    }
    free(abspath);
    return *u->interrupted || u->fatal;
}

static void on_walk_skip_learn(const char *path, const char *reason, int unread, void *ctx)
{
    (void)path, (void)reason, (void)unread, (void)ctx;
}

void pt_update_learn_root(pt_update *u, const char *root)
{
    struct stat sb;
    if (strcmp(root, "-") == 0 || stat(root, &sb) != 0)
        return; /* stdin is read once; a missing root is reported later */
    pt_walk(root, on_walk_file_learn, on_walk_skip_learn, u);
}

/* --------------------------------------------------------------- summary */

void pt_update_print_summary(const pt_update *u)
{
    clear_progress(u);
    fprintf(stderr, "ptindex: %lu added, %lu updated, %lu removed, %lu unchanged (%lu passages written", u->added,
            u->updated, u->removed, u->unchanged, u->passages);
    if (u->shards)
        fprintf(stderr, " to %u shards", u->shards);
    fprintf(stderr, ", %.2f s)", pt_update_seconds(u));
    if (u->skipped) {
        fprintf(stderr, "; %lu skipped (", u->skipped);
        for (size_t i = 0; i < PT_MAX_REASONS && u->reasons[i].count; i++)
            fprintf(stderr, "%s%lu %s", i ? ", " : "", u->reasons[i].count,
                    u->reasons[i].kind ? u->reasons[i].kind : "other");
        fputc(')', stderr);
    }
    if (u->warnings)
        fprintf(stderr, "; %lu warnings", u->warnings);
    if (u->ignored)
        fprintf(stderr, "; %lu other files ignored", u->ignored);
    if (u->deferred)
        fprintf(stderr, "; %lu being written (read once they settle)", u->deferred);
    fputs(*u->interrupted ? "; interrupted\n" : "\n", stderr);
}

void pt_update_free(pt_update *u)
{
    for (size_t i = 0; i < PT_MAX_REASONS; i++) {
        free(u->reasons[i].kind);
        u->reasons[i].kind = NULL;
    }
}
