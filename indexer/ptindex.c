/* ptindex.c — the indexer's command line: walks the given paths, reads each
 * article file, adds it through the public API (ptsearch.h), commits in
 * batches, shows progress on a terminal and ends with one summary line. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ptsearch.h"
#include "read_text.h"
#include "walk.h"

enum {
    EXIT_OK = 0,
    EXIT_SKIPPED = 1, /* finished, but some inputs were skipped */
    EXIT_ERROR = 2,
    EXIT_LOCKED = 75, /* EX_TEMPFAIL: another writer holds the index */
    EXIT_INTERRUPTED = 130,
};

/* Articles per commit: bounds the memory Xapian holds for pending work. */
#define COMMIT_EVERY 1000

static const char usage[] =
    "Usage: ptindex [--index DIR] [OPTIONS] PATH...\n"
    "Index the articles under each PATH (files, or directories searched\n"
    "recursively) into a passage index that ptsearch searches.\n"
    "\n"
    "  -i, --index DIR  index directory (default: $PTSEARCH_INDEX, else\n"
    "                   $XDG_DATA_HOME/ptsearch/index, else\n"
    "                   ~/.local/share/ptsearch/index); created when missing\n"
    "  -q, --quiet      no progress line and no summary\n"
    "      --print-index-dir  print the index directory that would be used, and exit\n"
    "  -h, --help       show this help and exit\n"
    "      --version    show the version and exit\n"
    "\n"
    "Reads .txt and .md files (UTF-8). Each file is one article; its id is its\n"
    "path relative to the PATH it was found under. Adding an article again\n"
    "replaces it. Files that cannot be read are reported on stderr as\n"
    "'ptindex: FILE: reason', skipped, and counted in the summary.\n"
    "\n"
    "Exit status: 0 all indexed; 1 done, but some files were skipped;\n"
    "2 error (nothing after the last commit is kept); 75 the index is locked\n"
    "by another ptindex; 130 interrupted (work done so far is committed).\n";

typedef struct {
    pt_index *index;
    int quiet, show_progress;
    unsigned long articles, passages, skipped, ignored, since_commit;
    struct timespec started, last_progress;
    int fatal; /* sticky first fatal error (a PT_E* status) */
} run_state;

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
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

static void report_skip(const char *path, const char *reason, void *ctx)
{
    run_state *st = ctx;
    if (st->show_progress)
        fputc('\n', stderr);
    fprintf(stderr, "ptindex: %s: %s\n", path, reason);
    st->skipped++;
}

static int commit(run_state *st)
{
    int rc = pt_index_commit(st->index);
    if (rc) {
        fprintf(stderr, "ptindex: commit failed: %s\n", pt_error_last());
        st->fatal = rc;
    }
    st->since_commit = 0;
    return rc;
}

static int index_file(const char *path, const char *rel, const struct stat *sb, void *ctx)
{
    run_state *st = ctx;
    (void)sb;
    if (interrupted || st->fatal)
        return 1;
    if (!pt_is_text_name(path)) {
        st->ignored++;
        return 0;
    }
    pt_text_file file;
    char why[256];
    char *abs = realpath(path, NULL);
    if (pt_text_file_read(&file, path, why, sizeof why) != 0) {
        report_skip(path, why, st);
    } else {
        pt_article a = PT_ARTICLE_INIT;
        a.id = rel;
        a.path = abs ? abs : path;
        a.text = file.text;
        a.text_len = file.len;
        a.title = file.meta.title;
        a.source = file.meta.source;
        a.date = file.meta.date;
        size_t n = 0;
        int rc = pt_index_add(st->index, &a, &n);
        if (rc) {
            fprintf(stderr, "ptindex: %s: %s\n", path, pt_error_last());
            st->fatal = rc;
        } else {
            st->articles++;
            st->passages += n;
            if (++st->since_commit >= COMMIT_EVERY)
                commit(st);
        }
    }
    pt_text_file_clear(&file);
    free(abs);
    show_progress(st);
    return st->fatal ? 1 : 0;
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

static void print_summary(const run_state *st)
{
    if (st->quiet)
        return;
    if (st->show_progress)
        fputc('\r', stderr);
    fprintf(stderr, "ptindex: %lu articles, %lu passages, %.2f s", st->articles, st->passages,
            seconds_since(&st->started));
    if (st->skipped)
        fprintf(stderr, "; %lu skipped (see messages above)", st->skipped);
    if (st->ignored)
        fprintf(stderr, "; %lu files ignored (not .txt or .md)", st->ignored);
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

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'}, {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},        {"version", no_argument, NULL, 'V'},
        {"print-index-dir", no_argument, NULL, 'P'}, {NULL, 0, NULL, 0},
    };
    char *dir = NULL;
    int print_dir = 0;
    run_state st = {0};
    for (int c; (c = getopt_long(argc, argv, "i:qh", longopts, NULL)) != -1;) {
        switch (c) {
        case 'i': free(dir); dir = strdup(optarg); break;
        case 'q': st.quiet = 1; break;
        case 'h': fputs(usage, stdout); free(dir); return EXIT_OK;
        case 'V': puts("ptindex " PTSEARCH_VERSION); free(dir); return EXIT_OK;
        case 'P': print_dir = 1; break;
        default: fputs("Try 'ptindex --help'.\n", stderr); free(dir); return EXIT_ERROR;
        }
    }
    if (!print_dir && optind == argc) {
        fputs("ptindex: no PATH to index\nTry 'ptindex --help'.\n", stderr);
        free(dir);
        return EXIT_ERROR;
    }
    if (!dir && pt_default_index_dir(&dir) != 0) {
        fprintf(stderr, "ptindex: %s\n", pt_error_last());
        return EXIT_ERROR;
    }
    if (print_dir) {
        puts(dir);
        free(dir);
        return EXIT_OK;
    }
    make_parents(dir);
    int rc = pt_index_open(&st.index, dir, PT_INDEX_CREATE);
    if (rc) {
        fprintf(stderr, "ptindex: %s: %s\n", dir, pt_error_last());
        free(dir);
        return exit_status(&st, rc);
    }
    signal(SIGINT, on_sigint);
    signal(SIGTERM, on_sigint);
    st.show_progress = !st.quiet && isatty(STDERR_FILENO);
    clock_gettime(CLOCK_MONOTONIC, &st.started);
    st.last_progress = st.started;
    for (int i = optind; i < argc && !interrupted && !st.fatal; i++)
        pt_walk(argv[i], index_file, report_skip, &st);
    if (!st.fatal)
        commit(&st);
    print_summary(&st);
    pt_index_free(st.index);
    free(dir);
    return exit_status(&st, 0);
}
