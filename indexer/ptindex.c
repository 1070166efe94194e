/* ptindex.c — the indexer's command line: walks the given paths, hands each
 * input to the reader for its format (reader.h), adds the articles through
 * the public API (ptsearch.h), commits in batches, shows progress on a
 * terminal, and ends with one summary line that counts what was skipped and
 * why. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ptsearch.h"
#include "reader.h"
#include "walk.h"

enum {
    EXIT_OK = 0,
    EXIT_SKIPPED = 1, /* finished, but some inputs were skipped */
    EXIT_ERROR = 2,
    EXIT_LOCKED = 75, /* EX_TEMPFAIL: another writer holds the index */
    EXIT_INTERRUPTED = 130,
};

/* Articles per commit: bounds the memory Xapian holds for pending work. */
#define COMMIT_EVERY 2000

/* Distinct skip reasons counted separately in the summary. */
#define MAX_REASONS 16

static const char usage[] =
    "Usage: ptindex [--index DIR] [OPTIONS] PATH...\n"
    "Index the articles under each PATH (files, or directories searched\n"
    "recursively; - reads JSON Lines from standard input) into a passage\n"
    "index that ptsearch searches.\n"
    "\n"
    "  -i, --index DIR  index directory (default: $PTSEARCH_INDEX, else\n"
    "                   $XDG_DATA_HOME/ptsearch/index, else\n"
    "                   ~/.local/share/ptsearch/index); created when missing\n"
    "  -q, --quiet      no progress line and no summary\n"
    "      --print-index-dir  print the index directory that would be used, and exit\n"
    "  -h, --help       show this help and exit\n"
    "      --version    show the version and exit\n"
    "\n"
    "Formats, each also gzip-compressed (name.gz):\n"
    "  .txt .md     one article per file; title, date and source read from the text\n"
    "  .html .htm   one article per file; text with its paragraphs, title and date\n"
    "               from the usual meta tags; scripts, navigation, headers and\n"
    "               footers dropped\n"
    "  .jsonl       one article per line: id, title, date|published, source|outlet,\n"
    "               url, body|text|content\n"
    "An article's id is the JSON 'id' field, else its path relative to the PATH\n"
    "it was found under (JSON Lines without ids: path:line). Adding an article\n"
    "again replaces it. Inputs that cannot be indexed (binary, empty, too large,\n"
    "unreadable, malformed JSON lines...) are reported on stderr as\n"
    "'ptindex: FILE[:LINE]: reason', skipped, and counted in the summary;\n"
    "invalid UTF-8 and NUL bytes are replaced, with a warning.\n"
    "\n"
    "Exit status: 0 all indexed; 1 done, but something was skipped; 2 error\n"
    "(the index keeps its last commit); 75 the index is locked by another\n"
    "writer; 130 interrupted (work done so far is committed).\n";

typedef struct {
    char kind[64];
    unsigned long count;
} reason_count;

typedef struct {
    pt_index *index;
    int quiet, show_progress;
    unsigned long articles, passages, skipped, ignored, warnings, since_commit;
    reason_count reasons[MAX_REASONS];
    struct timespec started, last_progress;
    int fatal; /* sticky first fatal error (a PT_E* status) */
} run_state;

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static void show_progress(run_state *st)
{
    if (!st->show_progress || seconds_since(&st->last_progress) < 0.25)
        return;
    clock_gettime(CLOCK_MONOTONIC, &st->last_progress);
    fprintf(stderr, "\rptindex: %lu articles, %lu passages, %.1f s ", st->articles, st->passages,
            seconds_since(&st->started));
}

/* Ends the progress line before a message is printed. */
static void clear_progress(const run_state *st)
{
    if (st->show_progress)
        fputs("\r\033[K", stderr);
}

/* The kind of a skip reason, for the summary: its text before the first
 * ':' or digit ("malformed JSON: ..." → "malformed JSON"). */
static void count_reason(run_state *st, const char *reason)
{
    char kind[64];
    size_t n = strcspn(reason, ":(0123456789");
    while (n && (reason[n - 1] == ' ' || reason[n - 1] == ','))
        n--;
    snprintf(kind, sizeof kind, "%.*s", (int)(n ? n : strlen(reason)), reason);
    for (size_t i = 0; i < MAX_REASONS; i++) {
        reason_count *r = &st->reasons[i];
        int last = i == MAX_REASONS - 1; /* the last slot counts all the rest */
        if (r->count == 0)
            snprintf(r->kind, sizeof r->kind, "%s", last ? "other" : kind);
        if (last || strcmp(r->kind, kind) == 0) {
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

static void skip_input(run_state *st, const char *path, unsigned long line, const char *reason)
{
    clear_progress(st);
    print_located(path, line, "", reason);
    st->skipped++;
    count_reason(st, reason);
}

/* ------------------------------------------------------- reader callbacks */

static int commit(run_state *st)
{
    int rc = pt_index_commit(st->index);
    if (rc) {
        clear_progress(st);
        fprintf(stderr, "ptindex: commit failed: %s\n", pt_error_last());
        st->fatal = rc;
    }
    st->since_commit = 0;
    return rc;
}

static int on_article(pt_read_env *env, const pt_article *a)
{
    run_state *st = env->ctx;
    if (interrupted || st->fatal)
        return 1;
    size_t n = 0;
    int rc = pt_index_add(st->index, a, &n);
    if (rc) {
        clear_progress(st);
        fprintf(stderr, "ptindex: %s: %s\n", env->path, pt_error_last());
        st->fatal = rc;
        return 1;
    }
    st->articles++;
    st->passages += n;
    if (++st->since_commit >= COMMIT_EVERY && commit(st))
        return 1;
    show_progress(st);
    return 0;
}

static void on_skip(pt_read_env *env, unsigned long line, const char *reason)
{
    skip_input(env->ctx, env->path, line, reason);
}

static void on_warn(pt_read_env *env, unsigned long line, const char *reason)
{
    run_state *st = env->ctx;
    clear_progress(st);
    print_located(env->path, line, "warning: ", reason);
    st->warnings++;
}

/* ------------------------------------------------------------ one input */

typedef int (*reader_fn)(pt_read_env *env, pt_input *in);

static int has_suffix(const char *s, size_t len, const char *suffix)
{
    size_t m = strlen(suffix);
    return len >= m && strncasecmp(s + len - m, suffix, m) == 0;
}

/* The reader for a file name (".gz" looked through), or NULL. */
static reader_fn reader_for(const char *path)
{
    size_t len = strlen(path);
    if (strcmp(path, "-") == 0)
        return pt_read_jsonl_input;
    if (has_suffix(path, len, ".gz"))
        len -= 3;
    if (has_suffix(path, len, ".txt") || has_suffix(path, len, ".md"))
        return pt_read_text_input;
    if (has_suffix(path, len, ".html") || has_suffix(path, len, ".htm"))
        return pt_read_html_input;
    if (has_suffix(path, len, ".jsonl") || has_suffix(path, len, ".ndjson"))
        return pt_read_jsonl_input;
    return NULL;
}

static void read_input(run_state *st, const char *path, const char *rel, reader_fn reader)
{
    char why[256];
    pt_input *in = NULL;
    if (pt_input_open(&in, path, why, sizeof why) != PT_INPUT_OK) {
        skip_input(st, path, 0, why);
        return;
    }
    char *abs = strcmp(path, "-") == 0 ? NULL : realpath(path, NULL);
    pt_read_env env = {
        .path = path,
        .abspath = abs ? abs : path,
        .rel = strcmp(path, "-") == 0 ? "stdin" : rel,
        .article = on_article,
        .skip = on_skip,
        .warn = on_warn,
        .ctx = st,
    };
    reader(&env, in);
    pt_input_close(in);
    free(abs);
}

static int on_walk_file(const char *path, const char *rel, const struct stat *sb, void *ctx)
{
    run_state *st = ctx;
    (void)sb;
    if (interrupted || st->fatal)
        return 1;
    reader_fn reader = reader_for(path);
    if (reader)
        read_input(st, path, rel, reader);
    else
        st->ignored++; /* a directory's other files: images, scripts... */
    return interrupted || st->fatal;
}

static void on_walk_skip(const char *path, const char *reason, void *ctx)
{
    skip_input(ctx, path, 0, reason);
}

/* A PATH from the command line: an unsupported file named explicitly is
 * an error worth a message, unlike one met inside a directory. */
static void index_root(run_state *st, const char *root)
{
    struct stat sb;
    if (strcmp(root, "-") == 0) {
        read_input(st, root, "stdin", pt_read_jsonl_input);
        return;
    }
    if (stat(root, &sb) == 0 && S_ISREG(sb.st_mode) && !reader_for(root)) {
        skip_input(st, root, 0, "unsupported file type (.txt .md .html .htm .jsonl, or .gz of these)");
        return;
    }
    pt_walk(root, on_walk_file, on_walk_skip, st);
}

/* --------------------------------------------------------------- summary */

static void print_summary(const run_state *st)
{
    if (st->quiet)
        return;
    clear_progress(st);
    fprintf(stderr, "ptindex: %lu articles, %lu passages, %.2f s", st->articles, st->passages,
            seconds_since(&st->started));
    if (st->skipped) {
        fprintf(stderr, "; %lu skipped (", st->skipped);
        for (size_t i = 0; i < MAX_REASONS && st->reasons[i].count; i++)
            fprintf(stderr, "%s%lu %s", i ? ", " : "", st->reasons[i].count, st->reasons[i].kind);
        fputc(')', stderr);
    }
    if (st->warnings)
        fprintf(stderr, "; %lu warnings", st->warnings);
    if (st->ignored)
        fprintf(stderr, "; %lu other files ignored", st->ignored);
    fputs(interrupted ? "; interrupted\n" : "\n", stderr);
}

static int exit_status(const run_state *st, int rc)
{
    if (rc == PT_ELOCKED)
        return EXIT_LOCKED;
    if (rc || st->fatal)
        return EXIT_ERROR;
    if (interrupted)
        return EXIT_INTERRUPTED;
    return st->skipped ? EXIT_SKIPPED : EXIT_OK;
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

typedef struct {
    char *dir;
    int quiet, print_dir;
} options;

/* Returns -1 on a usage error, 1 when the program should exit 0 now. */
static int parse_args(int argc, char **argv, options *o)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'}, {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},        {"version", no_argument, NULL, 'V'},
        {"print-index-dir", no_argument, NULL, 'P'}, {NULL, 0, NULL, 0},
    };
    for (int c; (c = getopt_long(argc, argv, "i:qh", longopts, NULL)) != -1;) {
        switch (c) {
        case 'i': free(o->dir); o->dir = strdup(optarg); break;
        case 'q': o->quiet = 1; break;
        case 'h': fputs(usage, stdout); return 1;
        case 'V': puts("ptindex " PTSEARCH_VERSION); return 1;
        case 'P': o->print_dir = 1; break;
        default: fputs("Try 'ptindex --help'.\n", stderr); return -1;
        }
    }
    if (!o->print_dir && optind == argc) {
        fputs("ptindex: no PATH to index\nTry 'ptindex --help'.\n", stderr);
        return -1;
    }
    if (!o->dir && pt_default_index_dir(&o->dir) != 0) {
        fprintf(stderr, "ptindex: %s\n", pt_error_last());
        return -1;
    }
    if (o->print_dir) {
        puts(o->dir);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    options o = {NULL, 0, 0};
    int rc = parse_args(argc, argv, &o);
    if (rc) {
        free(o.dir);
        return rc > 0 ? EXIT_OK : EXIT_ERROR;
    }
    run_state st = {.quiet = o.quiet};
    make_parents(o.dir);
    rc = pt_index_open(&st.index, o.dir, PT_INDEX_CREATE);
    if (rc) {
        fprintf(stderr, "ptindex: %s: %s\n", o.dir, pt_error_last());
        free(o.dir);
        return exit_status(&st, rc);
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    st.show_progress = !st.quiet && isatty(STDERR_FILENO);
    clock_gettime(CLOCK_MONOTONIC, &st.started);
    st.last_progress = st.started;
    for (int i = optind; i < argc && !interrupted && !st.fatal; i++)
        index_root(&st, argv[i]);
    if (!st.fatal)
        commit(&st);
    print_summary(&st);
    pt_index_free(st.index);
    free(o.dir);
    return exit_status(&st, 0);
}
