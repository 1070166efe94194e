/* ptsearch.c — the searcher's command line: opens the index through the
 * public API (ptsearch.h), runs one query made of the words given, and
 * prints the ranked passages as text or JSON Lines. Exit status as grep. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "ptsearch.h"

enum { EXIT_FOUND = 0, EXIT_NOTHING = 1, EXIT_ERROR = 2 };

static const char usage[] =
    "Usage: ptsearch [--index DIR] [-n N] [--per-article K] [--format text|json] QUERY...\n"
    "Search an index built by ptindex and print the best passages.\n"
    "\n"
    "  -i, --index DIR        index directory (default: $PTSEARCH_INDEX, else\n"
    "                         $XDG_DATA_HOME/ptsearch/index, else\n"
    "                         ~/.local/share/ptsearch/index)\n"
    "  -n N                   show the best N passages (default 10)\n"
    "  -k, --per-article K    at most K passages per article (default 2; 0 = no limit)\n"
    "  -f, --format FORMAT    text (default) or json: one JSON object per hit per line\n"
    "  -h, --help             show this help and exit\n"
    "      --version          show the version and exit\n"
    "\n"
    "The words of QUERY form one query. Every word is stemmed like the articles\n"
    "(\"guarantees\" finds \"guarantee\"); a passage matches when it has any of\n"
    "the words, and passages with more, rarer words rank higher (BM25).\n"
    "Hyphenated words and abbreviations match whole or by their parts.\n"
    "Matched words are bold on a terminal (unless NO_COLOR is set).\n"
    "\n"
    "Exit status: 0 passages found; 1 nothing found; 2 error.\n";

typedef struct {
    char *dir;
    unsigned n, per_article;
    int json;
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

/* Returns -1 to exit with EXIT_ERROR, 1 to exit with EXIT_FOUND (help). */
static int parse_args(int argc, char **argv, options *o)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'}, {"per-article", required_argument, NULL, 'k'},
        {"format", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},     {NULL, 0, NULL, 0},
    };
    for (int c; (c = getopt_long(argc, argv, "i:n:k:f:h", longopts, NULL)) != -1;) {
        switch (c) {
        case 'i': free(o->dir); o->dir = strdup(optarg); break;
        case 'n': if (parse_count(optarg, "-n", &o->n)) return -1; break;
        case 'k': if (parse_count(optarg, "--per-article", &o->per_article)) return -1; break;
        case 'f':
            if (strcmp(optarg, "json") && strcmp(optarg, "text")) {
                fprintf(stderr, "ptsearch: unknown format '%s' (text or json)\n", optarg);
                return -1;
            }
            o->json = strcmp(optarg, "json") == 0;
            break;
        case 'h': fputs(usage, stdout); return 1;
        case 'V': puts("ptsearch " PTSEARCH_VERSION); return 1;
        default: fputs("Try 'ptsearch --help'.\n", stderr); return -1;
        }
    }
    if (optind == argc) {
        fputs("ptsearch: no QUERY given\nTry 'ptsearch --help'.\n", stderr);
        return -1;
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

static int print_hits(const pt_hits *hits, const options *o)
{
    pt_text_style style = {0};
    const char *no_color = getenv("NO_COLOR");
    style.bold = isatty(STDOUT_FILENO) && !(no_color && *no_color);
    style.width = 78;
    char *cwd = getcwd(NULL, 0);
    style.cwd = cwd;
    int rc = 0;
    for (size_t i = 0; i < pt_hits_count(hits) && !rc; i++) {
        const pt_hit *hit = pt_hits_get(hits, i);
        if (o->json)
            rc = pt_print_hit_json(stdout, hit);
        else
            pt_print_hit_text(stdout, hit, &style);
    }
    free(cwd);
    if (rc)
        fputs("ptsearch: cannot write a hit as JSON\n", stderr);
    return rc;
}

static int run(const options *o, const char *query)
{
    pt_searcher *s = NULL;
    pt_hits *hits = NULL;
    int rc = pt_searcher_open(&s, o->dir);
    if (rc) {
        fprintf(stderr, "ptsearch: %s\n", pt_error_last());
        return EXIT_ERROR;
    }
    pt_search_opts opts = PT_SEARCH_OPTS_INIT;
    opts.max_hits = o->n;
    opts.per_article = o->per_article;
    rc = pt_search(&hits, s, query, &opts);
    int status;
    if (rc == PT_EQUERY) {
        fprintf(stderr, "ptsearch: %s\n", pt_error_last());
        status = EXIT_ERROR;
    } else if (rc) {
        fprintf(stderr, "ptsearch: %s: %s\n", o->dir, pt_error_last());
        status = EXIT_ERROR;
    } else if (print_hits(hits, o)) {
        status = EXIT_ERROR;
    } else {
        status = pt_hits_count(hits) ? EXIT_FOUND : EXIT_NOTHING;
    }
    pt_hits_free(hits);
    pt_searcher_free(s);
    return status;
}

int main(int argc, char **argv)
{
    options o = {NULL, 10, 2, 0};
    int rc = parse_args(argc, argv, &o);
    if (rc) {
        free(o.dir);
        return rc > 0 ? EXIT_FOUND : EXIT_ERROR;
    }
    char *query = join_words(argc - optind, argv + optind);
    int status = query ? run(&o, query) : EXIT_ERROR;
    if (!query)
        fputs("ptsearch: out of memory\n", stderr);
    free(query);
    free(o.dir);
    return fflush(stdout) == 0 ? status : EXIT_ERROR;
}
