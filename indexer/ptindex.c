/* ptindex.c — the indexer's command line. By default it brings the index
 * up to date for the given paths (update.c); --watch keeps doing so as
 * files change (watch.c); --rebuild builds a fresh index from the sources
 * and swaps it in atomically; --remove, --check and --print-index-dir are
 * the small maintenance jobs. */
#define _GNU_SOURCE /* renameat2 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "parallel.h"
#include "ptsearch.h"
#include "update.h"
#include "watch.h"

enum {
    EXIT_OK = 0,
    EXIT_SKIPPED = 1, /* finished, but some inputs were skipped */
    EXIT_ERROR = 2,
    EXIT_LOCKED = 75, /* EX_TEMPFAIL: another writer holds the index */
    EXIT_INTERRUPTED = 130,
};

/* Commit batches, chosen by measurement (Reuters and CNN, CPU time of a
 * full build): 500 articles or 2 MiB of text beat 2,000 articles by 20%
 * and use a third of the memory; below 250 the fsyncs dominate. The byte
 * cap bounds memory whatever the article sizes. */
#define DEFAULT_COMMIT_EVERY 500
#define DEFAULT_COMMIT_MB 2.0

/* Threads of a full build: one per core, at most this many. */
#define MAX_DEFAULT_JOBS 4
#define MAX_JOBS 64

static const char usage[] =
    "Usage: ptindex [--index DIR] [OPTIONS] PATH...\n"
    "       ptindex [--index DIR] --rebuild [PATH...]\n"
    "       ptindex [--index DIR] --remove ID_OR_PATH...\n"
    "       ptindex [--index DIR] --check\n"
    "Bring the passage index up to date with the articles under each PATH (files,\n"
    "or directories searched recursively; - reads JSON Lines from standard input).\n"
    "Only what changed is redone: new files are added, changed files read again\n"
    "(their changed articles replaced, vanished ones removed), files deleted under\n"
    "a PATH removed, and unchanged files not read at all. The index keeps a\n"
    "manifest of its sources (size, mtime, content hash) for this.\n"
    "\n"
    "  -i, --index DIR       index directory (default: $PTSEARCH_INDEX, else\n"
    "                        $XDG_DATA_HOME/ptsearch/index, else\n"
    "                        ~/.local/share/ptsearch/index); created when missing\n"
    "  -w, --watch           keep running: index files as they appear or change\n"
    "                        (inotify), one commit per burst of changes; a file is\n"
    "                        read once it was closed and then left alone for the\n"
    "                        settle time; Ctrl-C commits and stops (exit 130)\n"
    "      --settle SECONDS  --watch's settle time (default 1)\n"
    "      --wait            wait for another writer's lock instead of exiting 75\n"
    "      --rebuild         build a new index from the sources (the PATHs, or the\n"
    "                        roots the index was built from) and swap it in\n"
    "      --remove          remove the articles with these ids (a run over their\n"
    "                        file reads it again: what it still has comes back),\n"
    "                        or from these files\n"
    "      --check           check the index (its tables, Xapian's check, a search,\n"
    "                        and the project's own) on one committed state; exits\n"
    "                        75 if a writer commits all the time (--wait: wait for\n"
    "                        the writer lock and check while holding it)\n"
    "      --commit-every N  commit after every N changed articles (default 500)\n"
    "      --commit-mb MB    ... or after MB megabytes of their text, whichever\n"
    "                        comes first (default 2); bounds the memory used\n"
    "      --no-compact      skip the finishing step: after a run that wrote a\n"
    "                        quarter or more of the index's passages (a first build,\n"
    "                        --rebuild), the index is rewritten compactly (about half\n"
    "                        the size; needs room for a second copy while it runs);\n"
    "                        implies --jobs 1\n"
    "  -j, --jobs N          threads for a full build (a new or empty index, or\n"
    "                        --rebuild): each writes a part in DIR.part-* beside the\n"
    "                        index, and the finishing step merges them (default: one\n"
    "                        per core, at most 4; 1 writes the index directly). A\n"
    "                        full build stopped before the merge leaves the index\n"
    "                        as it was. Updates of a filled index use one thread.\n"
    "      --shards N        make DIR a sharded index: N indexes DIR/shard-K and\n"
    "                        the Xapian stub DIR/XAPIANDB listing them (ptsearch\n"
    "                        --index DIR searches them all); an article goes to\n"
    "                        shard FNV-1a-64(id) mod N; later runs route each\n"
    "                        article to its shard without --shards; another N\n"
    "                        needs --rebuild (which reshards); one thread\n"
    "  -q, --quiet           no progress line and no summary\n"
    "      --print-index-dir print the index directory that would be used, and exit\n"
    "  -h, --help            show this help and exit\n"
    "      --version         show the version and exit\n"
    "\n"
    "Formats, each also gzip-compressed (name.gz):\n"
    "  .txt         one article per file; title, date and source read from the text\n"
    "  .md          one article per file, Markdown read as plain text; title, date\n"
    "               and source from YAML front matter (title:, date:, source:),\n"
    "               else the first '# heading', else as for .txt\n"
    "  .html .htm   one article per file; text with its paragraphs, title and date\n"
    "               from the usual meta tags; scripts, navigation, headers and\n"
    "               footers dropped\n"
    "  .jsonl       one article per line: id, title, date|published, source|outlet,\n"
    "               body|text|content (the headline leads the article text)\n"
    "An article's id is the JSON 'id' field, else its path relative to the PATH\n"
    "it was found under (JSON Lines without ids: path:line). Inputs that cannot be\n"
    "indexed (binary, empty, too large, unreadable, malformed JSON lines...) are\n"
    "reported on stderr as 'ptindex: FILE[:LINE]: reason', skipped, and counted in\n"
    "the summary; invalid UTF-8 and NUL bytes are replaced, with a warning.\n"
    "\n"
    "Work is committed in batches; searches see the index before or after a\n"
    "commit, never between (a sharded index commits shard by shard: between two,\n"
    "a search sees some shards' changes and not yet the others'). After a crash\n"
    "or kill, run ptindex again to finish.\n"
    "\n"
    "A folder or file that cannot be read keeps what the index holds from it\n"
    "(named on stderr, exit 1); only files gone from a readable folder are removed.\n"
    "\n"
    "Exit status: 0 all indexed; 1 done, but something was skipped (or --remove\n"
    "found nothing to remove); 2 error (the index keeps its last commit; a PATH\n"
    "that does not exist; --check: problems found); 75 the index is locked by\n"
    "another writer (--check: a writer kept committing); 130 interrupted (work\n"
    "done so far is committed).\n";

typedef enum { MODE_UPDATE, MODE_WATCH, MODE_REBUILD, MODE_REMOVE, MODE_CHECK, MODE_PRINT_DIR } run_mode;

typedef struct {
    char *dir;
    run_mode mode;
    int quiet, wait, no_compact;
    unsigned jobs;
    unsigned shards; /* --shards N; 0: the index as it is (a new one unsharded) */
    unsigned long commit_every;
    double commit_mb;
    double settle; /* --watch: seconds a written file must be left alone */
} options;

/* --watch reads a file once it was closed and then left alone this long. */
#define DEFAULT_SETTLE_SECONDS 1.0

static volatile sig_atomic_t interrupted;

/* The run in progress, for on_fatal_write: it cannot unwind to the
 * functions that own these. */
static struct {
    const char *dir;   /* the index */
    char *fresh;       /* --rebuild's new index (DIR.rebuild-PID), or NULL */
    pt_update *update; /* the pass running, or NULL */
    int quiet;
} current;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* ------------------------------------------------------------- arguments */

static int set_mode(options *o, run_mode mode)
{
    if (o->mode != MODE_UPDATE && o->mode != mode) {
        fputs("ptindex: --watch, --rebuild, --remove and --check do not combine\n", stderr);
        return -1;
    }
    o->mode = mode;
    return 0;
}

/* The parsers of option values (--commit-mb, --settle, --jobs): 0 with
 * *out set, or -1 after saying on stderr what is wrong. */
static int parse_megabytes(const char *arg, double *out)
{
    char *end;
    double mb = strtod(arg, &end);
    if (end == arg || *end || !(mb > 0 && mb <= 1 << 20)) {
        fprintf(stderr, "ptindex: --commit-mb needs a positive number of megabytes, not '%s'\n", arg);
        return -1;
    }
    *out = mb;
    return 0;
}

/* Each commit, Xapian frees and then reallocates its large posting
 * buffers. With glibc's default (dynamic) thresholds these are mmap'd and
 * unmapped again every time: on Reuters 2.9 s of system time of 13. Fixed
 * thresholds keep them in the heap (0.6 s); peak memory is unchanged. */
static void keep_freed_memory(void)
{
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
}

static int parse_settle(const char *arg, double *out)
{
    char *end;
    double seconds = strtod(arg, &end);
    if (end == arg || *end || !(seconds >= 0 && seconds <= 3600)) {
        fprintf(stderr, "ptindex: --settle needs a number of seconds from 0 to 3600, not '%s'\n", arg);
        return -1;
    }
    *out = seconds;
    return 0;
}

static int parse_jobs(const char *arg, unsigned *out)
{
    char *end;
    unsigned long n = strtoul(arg, &end, 10);
    if (end == arg || *end || n < 1 || n > MAX_JOBS) {
        fprintf(stderr, "ptindex: --jobs needs a number of threads from 1 to %d, not '%s'\n", MAX_JOBS, arg);
        return -1;
    }
    *out = (unsigned)n;
    return 0;
}

/* More shards than this is a typo, not a plan (each is a Xapian database
 * with its own files and lock). */
#define MAX_SHARDS 256

static int parse_shards(const char *arg, unsigned *out)
{
    char *end;
    unsigned long n = strtoul(arg, &end, 10);
    if (*arg == '-' || end == arg || *end || n < 1 || n > MAX_SHARDS) {
        fprintf(stderr, "ptindex: --shards needs a number from 1 to %d, not '%s'\n", MAX_SHARDS, arg);
        return -1;
    }
    *out = (unsigned)n;
    return 0;
}

static unsigned default_jobs(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores < 1 ? 1 : cores > MAX_DEFAULT_JOBS ? MAX_DEFAULT_JOBS : (unsigned)cores;
}

/* Returns -1 on a usage error, 1 when the program should exit 0 now
 * (--help, --version), else 0. */
static int parse_args(int argc, char **argv, options *o)
{
    enum { OPT_WAIT = 256, OPT_REBUILD, OPT_REMOVE, OPT_CHECK, OPT_COMMIT_EVERY, OPT_COMMIT_MB, OPT_PRINT_DIR, OPT_VERSION,
           OPT_NO_COMPACT, OPT_SETTLE, OPT_SHARDS };
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'}, {"quiet", no_argument, NULL, 'q'},
        {"watch", no_argument, NULL, 'w'},       {"wait", no_argument, NULL, OPT_WAIT},
        {"rebuild", no_argument, NULL, OPT_REBUILD}, {"remove", no_argument, NULL, OPT_REMOVE},
        {"check", no_argument, NULL, OPT_CHECK}, {"commit-every", required_argument, NULL, OPT_COMMIT_EVERY},
        {"commit-mb", required_argument, NULL, OPT_COMMIT_MB},
        {"print-index-dir", no_argument, NULL, OPT_PRINT_DIR}, {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION}, {"no-compact", no_argument, NULL, OPT_NO_COMPACT},
        {"jobs", required_argument, NULL, 'j'}, {"settle", required_argument, NULL, OPT_SETTLE},
        {"shards", required_argument, NULL, OPT_SHARDS},
        {NULL, 0, NULL, 0},
    };
    int rc = 0;
    for (int c; rc == 0 && (c = getopt_long(argc, argv, "i:qwhj:", longopts, NULL)) != -1;) {
        switch (c) {
        case 'i': free(o->dir); o->dir = strdup(optarg); break;
        case 'q': o->quiet = 1; break;
        case 'w': rc = set_mode(o, MODE_WATCH); break;
        case OPT_WAIT: o->wait = 1; break;
        case OPT_NO_COMPACT: o->no_compact = 1; break;
        case OPT_REBUILD: rc = set_mode(o, MODE_REBUILD); break;
        case OPT_REMOVE: rc = set_mode(o, MODE_REMOVE); break;
        case OPT_CHECK: rc = set_mode(o, MODE_CHECK); break;
        case OPT_PRINT_DIR: rc = set_mode(o, MODE_PRINT_DIR); break;
        case OPT_COMMIT_EVERY:
            o->commit_every = strtoul(optarg, NULL, 10);
            if (o->commit_every == 0) {
                fprintf(stderr, "ptindex: --commit-every needs a positive number, not '%s'\n", optarg);
                rc = -1;
            }
            break;
        case OPT_COMMIT_MB: rc = parse_megabytes(optarg, &o->commit_mb); break;
        case 'j': rc = parse_jobs(optarg, &o->jobs); break;
        case OPT_SETTLE: rc = parse_settle(optarg, &o->settle); break;
        case OPT_SHARDS: rc = parse_shards(optarg, &o->shards); break;
        case 'h': fputs(usage, stdout); return 1;
        case OPT_VERSION: puts("ptindex " PTSEARCH_VERSION); return 1;
        default: rc = -1; break;
        }
    }
    if (rc)
        return rc;
    int needs_paths = o->mode == MODE_UPDATE || o->mode == MODE_WATCH || o->mode == MODE_REMOVE;
    if (needs_paths && optind == argc) {
        fputs(o->mode == MODE_REMOVE ? "ptindex: --remove needs an ID or PATH\n" : "ptindex: no PATH to index\n",
              stderr);
        return -1;
    }
    if (!o->dir && pt_default_index_dir(&o->dir) != 0) {
        fprintf(stderr, "ptindex: %s\n", pt_error_last());
        return -1;
    }
    return 0;
}

/* mkdir -p for the index's parent directories (Xapian makes the last). */
static void make_parents(const char *dir)
{
    char *copy = strdup(dir);
    for (char *p = copy ? copy + 1 : NULL; p && *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        mkdir(copy, 0777);
        *p = '/';
    }
    free(copy);
}

/* The exit status of a failure to open the index, reported. */
static int open_failed(const char *dir, int rc)
{
    if (rc == PT_ELOCKED) {
        fprintf(stderr, "ptindex: %s: the index is locked by another writer; try again later, or use --wait\n", dir);
        return EXIT_LOCKED;
    }
    pt_report_index_error(dir, dir, rc);
    return EXIT_ERROR;
}

static int open_index(pt_index **out, const char *dir, const options *o, unsigned flags)
{
    if (o->wait)
        flags |= PT_INDEX_WAIT;
    make_parents(dir);
    int rc = pt_index_open_sharded(out, dir, flags, o->shards);
    return rc ? open_failed(dir, rc) : EXIT_OK;
}

/* A write failure Xapian could only end the process on (a full disk while
 * a commit writes values; see pt_set_fatal_write_handler): report it as
 * any other, remove this process's temporary directories and exit 2. The
 * index is at its last commit, which the summary counts. */
static void on_fatal_write(int status, void *ctx)
{
    (void)ctx;
    pt_report_index_error(current.dir, current.dir, status);
    if (current.fresh)
        pt_index_remove_own_temps(current.fresh);
    pt_index_remove_own_temps(current.dir);
    if (current.update && !current.quiet) {
        if (current.fresh || current.update->par)
            current.update->committed = (pt_written){0, 0, 0, 0}; /* nothing reached the index */
        pt_update_keep_committed(current.update);
        pt_update_print_summary(current.update);
    }
    fflush(stderr);
    _exit(EXIT_ERROR);
}

/* ---------------------------------------------------------------- update */

static void update_init(pt_update *u, pt_index *ix, const options *o)
{
    memset(u, 0, sizeof *u);
    u->index_name = o->dir;
    u->index = ix;
    u->shards = pt_index_shard_count(ix);
    u->show_progress = !o->quiet && isatty(STDERR_FILENO);
    u->commit_every = o->commit_every;
    u->commit_bytes = (size_t)(o->commit_mb * 1024 * 1024);
    u->interrupted = &interrupted;
    clock_gettime(CLOCK_MONOTONIC, &u->started);
    u->last_progress = u->started;
}

static int update_status(const pt_update *u)
{
    if (u->fatal)
        return EXIT_ERROR;
    if (interrupted)
        return EXIT_INTERRUPTED;
    return u->skipped ? EXIT_SKIPPED : EXIT_OK;
}

/* The finishing step: a run that wrote a quarter or more of the index's
 * passages (at least COMPACT_MIN_PASSAGES) leaves Xapian's B-trees about
 * half empty; compacting halves the index (bench/README.md). */
#define COMPACT_MIN_PASSAGES 1000

static int wants_compaction(pt_index *ix, const options *o, unsigned long written)
{
    pt_index_stats st;
    return !o->no_compact && o->mode != MODE_WATCH && !interrupted && written >= COMPACT_MIN_PASSAGES &&
           pt_index_get_stats(ix, &st) == 0 && written * 4 >= st.passages;
}

static double seconds_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static int compact(pt_index *ix, const options *o)
{
    double t0 = seconds_now();
    int rc = pt_index_compact(ix);
    if (rc == PT_ENOSPC) {
        fprintf(stderr, "ptindex: %s: compacting needs room for a second copy of the index: %s; %s\n", o->dir,
                pt_error_last(), o->mode == MODE_REBUILD ? "the index is as it was"
                                                          : "the index keeps its last commit, uncompacted");
        return EXIT_ERROR;
    }
    if (rc) {
        fprintf(stderr, "ptindex: %s: compacting failed (the index is as it was): %s\n", o->dir,
                pt_error_last());
        return EXIT_ERROR;
    }
    if (!o->quiet)
        fprintf(stderr, "ptindex: compacted (%.2f s)\n", seconds_now() - t0);
    return EXIT_OK;
}

static int any_source(const char *path, void *ctx)
{
    (void)path;
    (void)ctx;
    return 1;
}

/* A full build (the index holds nothing: new, or --rebuild's fresh one)
 * runs in parallel parts; updates of a filled index do not. */
static int builds_in_parts(pt_index *ix, const options *o)
{
    pt_index_stats st;
    /* A sharded index is written shard by shard by one thread. */
    return o->jobs > 1 && !o->no_compact && o->mode != MODE_WATCH && pt_index_shard_count(ix) == 0 &&
           pt_index_get_stats(ix, &st) == 0 &&
           st.articles == 0 && st.passages == 0 && pt_index_sources(ix, "", any_source, NULL) == 0;
}

/* The finishing step of a parallel build: also after an interrupt, so the
 * work done is kept. */
static int merge_parts(pt_index *ix, pt_par *par, const options *o)
{
    double t0 = seconds_now();
    size_t n = 0;
    pt_index *const *parts = pt_par_parts(par, &n);
    int rc = pt_index_merge_parts(ix, parts, n);
    if (rc) {
        fprintf(stderr, "ptindex: %s: merging the parts failed (the index is as it was): %s%s\n", o->dir,
                pt_error_last(), rc == PT_ENOSPC ? "; make room and run ptindex again" : "");
        return EXIT_ERROR;
    }
    if (!o->quiet)
        fprintf(stderr, "ptindex: merged %zu parts and compacted (%.2f s)\n", n - 1, seconds_now() - t0);
    return EXIT_OK;
}

/* One pass over the roots, committed; compacted when it wrote much (not
 * in --watch, which goes on writing with ix). A full build runs in
 * parallel parts that the compaction merges. u receives the counts of
 * what reached ix (the caller prints the summary, then pt_update_free). */
static int update_all(pt_index *ix, const options *o, char *const *roots, int n_roots, pt_watch *watch,
                      pt_update *u)
{
    update_init(u, ix, o);
    if (watch) {
        u->defer = pt_watch_defer;
        u->defer_ctx = watch;
    }
    for (int i = 0; i < n_roots && !interrupted && !u->fatal; i++)
        pt_update_learn_root(u, roots[i]);
    pt_par *par = NULL;
    if (!u->fatal && builds_in_parts(ix, o)) {
        /* The parts use ix's table: it is stored now, as merging keeps it. */
        int rc = pt_index_commit(ix);
        if (!rc) rc = pt_par_start(&par, o->dir, o->jobs, u->commit_every, u->commit_bytes);
        if (rc) {
            pt_report_index_error(o->dir, o->dir, rc);
            return EXIT_ERROR;
        }
        pt_par_share_recurring(par, ix);
        u->index = pt_par_manifest(par);
        u->par = par;
    }
    current.update = u;
    for (int i = 0; i < n_roots && !interrupted && !u->fatal; i++)
        pt_update_root(u, roots[i]);
    if (!u->fatal)
        pt_update_commit(u); /* also after an interrupt: keep the finished work */
    if (par)
        pt_update_finish_parts(u);
    int status = update_status(u);
    if (o->mode == MODE_REBUILD && u->unread && status != EXIT_ERROR) {
        fprintf(stderr, "ptindex: %s: %lu input(s) could not be read (named above): the rebuilt index would "
                        "lack their articles, so the index is left as it was\n", o->dir, u->unread);
        status = EXIT_ERROR;
    }
    if (par) {
        if (status != EXIT_ERROR && merge_parts(ix, par, o) != EXIT_OK)
            status = EXIT_ERROR;
        if (status != EXIT_ERROR)
            u->committed = (pt_written){u->added, u->updated, u->removed, u->passages};
        pt_par_free(par);
    } else if ((status == EXIT_OK || status == EXIT_SKIPPED) && wants_compaction(ix, o, u->passages) &&
               compact(ix, o) != EXIT_OK) {
        status = EXIT_ERROR;
    }
    pt_update_keep_committed(u);
    return status;
}

typedef struct {
    pt_index *ix;
    const options *o;
    char *const *roots;
    int n_roots;
    int status;
} watch_ctx;

static int on_pass(pt_watch *watch, void *ctx)
{
    watch_ctx *w = ctx;
    pt_update u;
    w->status = update_all(w->ix, w->o, w->roots, w->n_roots, watch, &u);
    if (!w->o->quiet)
        pt_update_print_summary(&u);
    pt_update_free(&u);
    current.update = NULL;
    return w->status == EXIT_ERROR;
}

/* Every PATH must exist: a missing one (an unmounted drive, a typo) is an
 * error before anything is read or removed. what: the message's tail. */
static int paths_exist(char *const *paths, int n, const char *what)
{
    int missing = 0;
    struct stat sb;
    for (int i = 0; i < n; i++) {
        if (strcmp(paths[i], "-") != 0 && stat(paths[i], &sb) != 0) {
            fprintf(stderr, "ptindex: %s: %s%s\n", paths[i], strerror(errno), what);
            missing++;
        }
    }
    return missing ? EXIT_ERROR : EXIT_OK;
}

static int run_update(const options *o, char *const *roots, int n_roots)
{
    pt_index *ix = NULL;
    int status = paths_exist(roots, n_roots, " (nothing was indexed or removed)");
    if (status)
        return status;
    status = open_index(&ix, o->dir, o, PT_INDEX_CREATE);
    if (status)
        return status;
    if (o->mode == MODE_WATCH) {
        watch_ctx w = {ix, o, roots, n_roots, EXIT_OK};
        if (pt_watch_run(roots, n_roots, (long)(o->settle * 1000), &interrupted, on_pass, &w) != 0)
            w.status = EXIT_ERROR;
        /* Stopped by a signal: the last pass committed what it finished. */
        status = w.status == EXIT_ERROR ? EXIT_ERROR : interrupted ? EXIT_INTERRUPTED : EXIT_OK;
    } else {
        pt_update u;
        status = update_all(ix, o, roots, n_roots, NULL, &u);
        if (!o->quiet)
            pt_update_print_summary(&u);
        pt_update_free(&u);
        current.update = NULL;
    }
    pt_index_free(ix);
    return status;
}

/* --------------------------------------------------------------- rebuild */

typedef struct {
    char **paths;
    int n, cap;
} path_list;

static int collect_root(const char *path, void *ctx)
{
    path_list *l = ctx;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        char **p = realloc(l->paths, (size_t)cap * sizeof *p);
        if (!p)
            return PT_ENOMEM;
        l->paths = p;
        l->cap = cap;
    }
    l->paths[l->n] = strdup(path);
    return l->paths[l->n++] ? 0 : PT_ENOMEM;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *at)
{
    (void)st;
    (void)at;
    /* Best effort, as rm -rf: what cannot be removed is left, the walk goes on. */
    if (type == FTW_DP || type == FTW_DNR)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

/* Removes dir and everything in it; symbolic links are removed, never
 * followed. Depth first, so each directory is empty when it goes. */
static void remove_tree(const char *dir)
{
    enum { OPEN_DIRS = 16 }; /* directories nftw keeps open at once */
    nftw(dir, remove_entry, OPEN_DIRS, FTW_DEPTH | FTW_PHYS);
}

/* The old index of a rebuild, locked. A damaged one (*out NULL) does not
 * stop a rebuild, which is its cure; no other writer can open it either. */
static int open_old_index(pt_index **out, const options *o)
{
    make_parents(o->dir);
    int rc = pt_index_open(out, o->dir, PT_INDEX_CREATE | (o->wait ? PT_INDEX_WAIT : 0));
    if (rc == PT_ECORRUPT) {
        fprintf(stderr, "ptindex: %s: %s; building it again\n", o->dir, pt_error_last());
        return EXIT_OK;
    }
    return rc ? open_failed(o->dir, rc) : EXIT_OK;
}

/* The sources to rebuild from: the PATHs given, else the roots the index
 * recorded (read-only when it is too damaged to open for writing). All of
 * them or none: a rebuild from some would drop the others' articles. */
static int rebuild_roots(const options *o, pt_index *old, char *const *paths, int n_paths, path_list *roots)
{
    for (int i = 0; i < n_paths; i++)
        if (collect_root(paths[i], roots) != 0)
            return -1;
    if (n_paths)
        return 0;
    int rc = old ? pt_index_roots(old, collect_root, roots) : pt_index_read_roots(o->dir, collect_root, roots);
    if (rc) {
        fprintf(stderr, "ptindex: %s: cannot read the sources the index was built from (%s): name them: "
                "ptindex --index %s --rebuild PATH...\n", o->dir, rc == PT_ENOMEM ? "out of memory" : pt_error_last(),
                o->dir);
        return -1;
    }
    if (roots->n == 0) {
        fprintf(stderr, "ptindex: %s: no sources recorded; name the PATHs to rebuild from\n", o->dir);
        return -1;
    }
    /* A recorded root that is gone (an unmounted drive) is not a reason
     * to drop its articles: then nothing is rebuilt. */
    return paths_exist(roots->paths, roots->n, ": a recorded root is missing; the index is left as it was "
                                               "(name the PATHs to rebuild from)") == EXIT_OK ? 0 : -1;
}

/* Builds DIR.rebuild-PID from the sources and exchanges it with DIR in one
 * rename, so a searcher opens either the old index or the new one. The old
 * index stays locked meanwhile: no other writer runs during a rebuild. The
 * summary counts what the swap brought in: nothing when it failed. */
static int run_rebuild(const options *o, char *const *paths, int n_paths)
{
    int status = paths_exist(paths, n_paths, " (the index is left as it was)");
    pt_index *old = NULL;
    if (status || (status = open_old_index(&old, o)) != EXIT_OK)
        return status;
    path_list roots = {NULL, 0, 0};
    /* The new index keeps the old one's shards unless --shards says how
     * many (resharding: the swap is one rename whatever the layouts). */
    options fresh_o = *o;
    if (!fresh_o.shards)
        fresh_o.shards = old ? pt_index_shard_count(old) : pt_index_is_sharded(o->dir);
    char *fresh = pt_strdupf("%s.rebuild-%ld", o->dir, (long)getpid());
    current.fresh = fresh;
    pt_index *ix = NULL;
    pt_update u;
    int built = 0, swapped = 0;
    if (!fresh || rebuild_roots(o, old, paths, n_paths, &roots) != 0) {
        status = EXIT_ERROR;
    } else if ((status = open_index(&ix, fresh, &fresh_o, PT_INDEX_CREATE)) == EXIT_OK) {
        status = update_all(ix, o, roots.paths, roots.n, NULL, &u);
        pt_index_free(ix);
        built = 1;
    }
    if (status == EXIT_OK || status == EXIT_SKIPPED) {
        swapped = renameat2(AT_FDCWD, fresh, AT_FDCWD, o->dir, RENAME_EXCHANGE) == 0;
        if (!swapped) {
            int full = errno == ENOSPC || errno == EDQUOT;
            fprintf(stderr, "ptindex: %s: %scannot swap %s in: %s; the index is as it was\n", o->dir,
                    full ? "the disk is full: " : "", fresh, strerror(errno));
            status = EXIT_ERROR;
        }
    }
    pt_index_free(old);
    if (fresh)
        remove_tree(fresh); /* the old index after the swap, or the failed build */
    current.fresh = NULL;
    current.update = NULL;
    if (built) {
        if (!o->quiet) {
            if (!swapped)
                u.committed = (pt_written){0, 0, 0, 0}; /* the index is as it was */
            pt_update_keep_committed(&u);
            pt_update_print_summary(&u);
        }
        pt_update_free(&u);
    }
    free(fresh);
    for (int i = 0; i < roots.n; i++)
        free(roots.paths[i]);
    free(roots.paths);
    return status;
}

/* ---------------------------------------------------- remove and check */

static int remove_one(pt_index *ix, const char *what)
{
    int rc = pt_index_remove(ix, what);
    if (rc == PT_ENOTFOUND) {
        char *abs = realpath(what, NULL);
        size_t removed = 0;
        rc = pt_index_source_remove(ix, abs ? abs : what, &removed);
        free(abs);
    }
    if (rc)
        fprintf(stderr, "ptindex: %s: %s\n", what, rc == PT_ENOTFOUND ? "no such article id or source file in the index" : pt_error_last());
    return rc;
}

static int run_remove(const options *o, char *const *what, int n)
{
    pt_index *ix = NULL;
    int status = open_index(&ix, o->dir, o, 0);
    if (status)
        return status;
    int missing = 0, failed = 0;
    for (int i = 0; i < n && !failed; i++) {
        int rc = remove_one(ix, what[i]);
        missing += rc == PT_ENOTFOUND;
        failed |= rc && rc != PT_ENOTFOUND;
    }
    int rc;
    if (!failed && (rc = pt_index_commit(ix)) != 0) {
        pt_report_index_error(o->dir, "commit failed", rc);
        failed = 1;
    }
    pt_index_free(ix);
    return failed ? EXIT_ERROR : missing ? EXIT_SKIPPED : EXIT_OK;
}

static void print_problem(const char *problem, void *ctx)
{
    fprintf(stderr, "ptindex: %s: %s\n", (const char *)ctx, problem);
}

/* With --wait the check holds the writer lock (waiting for it), so no
 * commit comes during it; else it looks for a moment between commits. */
static int run_check(const options *o)
{
    pt_index *lock = NULL;
    if (o->wait && pt_index_open(&lock, o->dir, PT_INDEX_WAIT) != 0) {
        fprintf(stderr, "ptindex: %s: %s\n", o->dir, pt_error_last());
        return EXIT_ERROR;
    }
    pt_index_stats stats = {0, 0};
    int rc = pt_index_check(o->dir, print_problem, o->dir, &stats);
    pt_index_free(lock);
    if (rc == PT_EMODIFIED) {
        fprintf(stderr, "ptindex: %s: %s; check again when the writer is done, or with --wait\n", o->dir,
                pt_error_last());
        return EXIT_LOCKED;
    }
    if (rc == PT_ECORRUPT) {
        fprintf(stderr, "ptindex: %s: %s; ptindex --index %s --rebuild builds it again from its sources\n",
                o->dir, pt_error_last(), o->dir);
        return EXIT_ERROR;
    }
    if (rc) {
        fprintf(stderr, "ptindex: %s: %s\n", o->dir, pt_error_last());
        return EXIT_ERROR;
    }
    if (!o->quiet)
        fprintf(stderr, "ptindex: %s: no problems found\n", o->dir);
    printf("%llu articles, %llu passages\n", (unsigned long long)stats.articles,
           (unsigned long long)stats.passages);
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    options o = {NULL, MODE_UPDATE, 0, 0, 0, default_jobs(), 0, DEFAULT_COMMIT_EVERY, DEFAULT_COMMIT_MB,
                 DEFAULT_SETTLE_SECONDS};
    int rc = parse_args(argc, argv, &o);
    if (rc) {
        if (rc < 0)
            fputs("Try 'ptindex --help'.\n", stderr);
        free(o.dir);
        return rc > 0 ? EXIT_OK : EXIT_ERROR;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    /* Past a file-size limit writes fail with EFBIG, reported like a full
     * disk, instead of the process being killed mid-commit. */
    signal(SIGXFSZ, SIG_IGN);
    keep_freed_memory();
    current.dir = o.dir;
    current.quiet = o.quiet;
    pt_set_fatal_write_handler(on_fatal_write, NULL);
    char *const *rest = argv + optind;
    int n_rest = argc - optind;
    int status;
    switch (o.mode) {
    case MODE_PRINT_DIR: puts(o.dir); status = EXIT_OK; break;
    case MODE_CHECK: status = run_check(&o); break;
    case MODE_REMOVE: status = run_remove(&o, rest, n_rest); break;
    case MODE_REBUILD: status = run_rebuild(&o, rest, n_rest); break;
    default: status = run_update(&o, rest, n_rest); break;
    }
    free(o.dir);
    return status;
}
