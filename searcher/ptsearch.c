/* ptsearch.c — the searcher's command line: opens the index once through
 * the public API (ptsearch.h), runs one query made of the words given, or
 * every query of a batch file (batch.c), and prints the ranked passages
 * (output.c). Exit status as grep. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "output.h"
#include "ptsearch.h"

static const char usage[] =
    "Usage: ptsearch [--index DIR] [-n N] [--per-article K] [--format text|json|trec] QUERY...\n"
    "       ptsearch [--index DIR] [OPTIONS] --batch FILE\n"
    "Search an index built by ptindex and print the best passages.\n"
    "\n"
    "  -i, --index DIR        index directory (default: $PTSEARCH_INDEX, else\n"
    "                         $XDG_DATA_HOME/ptsearch/index, else\n"
    "                         ~/.local/share/ptsearch/index)\n"
    "  -n N                   show the best N passages (default 10; trec: 1000)\n"
    "  -k, --per-article K    at most K passages per article (default 2; 0 = no limit)\n"
    "  -f, --format FORMAT    text (default); json: one JSON object per hit per line;\n"
    "                         trec: 'qid Q0 article rank score ptsearch', one line per\n"
    "                         article, ranked by its best passage (for evaluation)\n"
    "  -b, --batch FILE       run every query of FILE (- for standard input), one per\n"
    "                         line, as 'query' or 'qid<TAB>query'; the index is opened\n"
    "                         once. Without a qid, the line number is the qid.\n"
    "  -h, --help             show this help and exit\n"
    "      --version          show the version and exit\n"
    "\n"
    "The words of QUERY form one query. Every word is stemmed like the articles\n"
    "(\"guarantees\" finds \"guarantee\"); a passage matches when it has any of\n"
    "the words, and passages with more, rarer words rank higher (BM25).\n"
    "Hyphenated words and abbreviations match whole or by their parts.\n"
    "Matched words are bold on a terminal (unless NO_COLOR is set).\n"
    "\n"
    "Exit status: 0 passages found (batch: for some query); 1 nothing found;\n"
    "2 error (batch: a query line that could not be run, named as FILE:LINE).\n";

typedef struct {
    char *dir;
    const char *batch;
    unsigned n, per_article;
    int n_given;
    pt_format format;
} options;

static int parse_count(const char *arg, const char *what, unsigned *out)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (errno || *end || end == arg || v < 0 || v > 100000) {
        fprintf(stderr, "ptsearch: %s must be a number from 0 to 100000, not '%s'\n", what, arg);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

static int parse_format(const char *arg, pt_format *out)
{
    static const char *const names[] = {"text", "json", "trec"};
    for (int i = 0; i < 3; i++) {
        if (strcmp(arg, names[i]) == 0) {
            *out = (pt_format)i;
            return 0;
        }
    }
    fprintf(stderr, "ptsearch: unknown format '%s' (text, json or trec)\n", arg);
    return -1;
}

/* Returns -1 to exit with PT_EXIT_ERROR, 1 to exit with 0 (help). */
static int parse_args(int argc, char **argv, options *o)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'}, {"per-article", required_argument, NULL, 'k'},
        {"format", required_argument, NULL, 'f'}, {"batch", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    for (int c; (c = getopt_long(argc, argv, "i:n:k:f:b:h", longopts, NULL)) != -1;) {
        switch (c) {
        case 'i': free(o->dir); o->dir = strdup(optarg); break;
        case 'n': if (parse_count(optarg, "-n", &o->n)) return -1; o->n_given = 1; break;
        case 'k': if (parse_count(optarg, "--per-article", &o->per_article)) return -1; break;
        case 'f': if (parse_format(optarg, &o->format)) return -1; break;
        case 'b': o->batch = optarg; break;
        case 'h': fputs(usage, stdout); return 1;
        case 'V': puts("ptsearch " PTSEARCH_VERSION); return 1;
        default: fputs("Try 'ptsearch --help'.\n", stderr); return -1;
        }
    }
    if (!o->batch && optind == argc) {
        fputs("ptsearch: no QUERY given\nTry 'ptsearch --help'.\n", stderr);
        return -1;
    }
    if (o->batch && optind < argc) {
        fputs("ptsearch: give either QUERY words or --batch FILE, not both\n", stderr);
        return -1;
    }
    if (o->format == PT_FORMAT_TREC) {
        o->per_article = 1; /* one line per article, ranked by its best passage */
        if (!o->n_given)
            o->n = 1000;
    }
    if (!o->dir && pt_default_index_dir(&o->dir) != 0) {
        fprintf(stderr, "ptsearch: %s\n", pt_error_last());
        return -1;
    }
    return 0;
}

static char *join_words(int n, char **words)
{
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += strlen(words[i]) + 1;
    char *q = malloc(len);
    if (!q)
        return NULL;
    q[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(q, " ");
        strcat(q, words[i]);
    }
    return q;
}

static int run_single(pt_searcher *s, const pt_search_opts *opts, const pt_output *out,
                      const char *dir, int argc, char **argv)
{
    char *query = join_words(argc, argv);
    if (!query) {
        fputs("ptsearch: out of memory\n", stderr);
        return PT_EXIT_ERROR;
    }
    pt_hits *hits = NULL;
    int status, rc = pt_search(&hits, s, query, opts);
    if (rc == PT_EQUERY) {
        fprintf(stderr, "ptsearch: %s\n", pt_error_last());
        status = PT_EXIT_ERROR;
    } else if (rc) {
        fprintf(stderr, "ptsearch: %s: %s\n", dir, pt_error_last());
        status = PT_EXIT_ERROR;
    } else if (pt_output_hits(stdout, out, hits, NULL, query) != 0) {
        status = PT_EXIT_ERROR;
    } else {
        status = pt_hits_count(hits) ? PT_EXIT_FOUND : PT_EXIT_NOTHING;
    }
    pt_hits_free(hits);
    free(query);
    return status;
}

int main(int argc, char **argv)
{
    options o = {NULL, NULL, 10, 2, 0, PT_FORMAT_TEXT};
    int rc = parse_args(argc, argv, &o);
    if (rc) {
        free(o.dir);
        return rc > 0 ? PT_EXIT_FOUND : PT_EXIT_ERROR;
    }
    pt_searcher *s = NULL;
    if (pt_searcher_open(&s, o.dir) != 0) {
        fprintf(stderr, "ptsearch: %s\n", pt_error_last());
        free(o.dir);
        return PT_EXIT_ERROR;
    }
    const char *no_color = getenv("NO_COLOR");
    char *cwd = getcwd(NULL, 0);
    pt_output out = {o.format, isatty(STDOUT_FILENO) && !(no_color && *no_color), 78, cwd};
    pt_search_opts opts = PT_SEARCH_OPTS_INIT;
    opts.max_hits = o.n;
    opts.per_article = o.per_article;
    int status = o.batch ? pt_run_batch(s, o.batch, &opts, &out)
                         : run_single(s, &opts, &out, o.dir, argc - optind, argv + optind);
    pt_searcher_free(s);
    free(cwd);
    free(o.dir);
    return fflush(stdout) == 0 ? status : PT_EXIT_ERROR;
}
