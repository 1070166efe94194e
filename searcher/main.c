/* main.c — ptsearch, the searcher's command line: opens the index once through
 * the public API (ptsearch.h), runs one query made of the words given, or
 * every query of a batch file (batch.c), and prints the ranked passages
 * (output.c), each search within its time limit (watchdog.c). Exit status
 * as grep. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "batch.h"
#include "output.h"
#include "ptsearch.h"
#include "watchdog.h"

static const char usage[] =
    "Usage: ptsearch [--index DIR] [-n N] [--offset N] [--per-article K]\n"
    "                [--format text|line|json|trec] [--context N] [--sort score|date]\n"
    "                [--count source|month] [--color[=WHEN]] [--runtag TAG]\n"
    "                [--exact] [--all-words] [--no-feedback] [--stopwords phrase|keep|drop]\n"
    "                QUERY...\n"
    "       ptsearch [--index DIR] [OPTIONS] --batch FILE\n"
    "Search an index built by ptindex and print the best passages.\n"
    "\n"
    "  -i, --index DIR        index directory (default: $PTSEARCH_INDEX, else\n"
    "                         $XDG_DATA_HOME/ptsearch/index, else\n"
    "                         ~/.local/share/ptsearch/index)\n"
    "  -n N                   show the best N passages (default 10; trec: 1000)\n"
    "      --offset N         skip the best N first (the next page: --offset 10);\n"
    "                         ranks count on from N + 1\n"
    "  -k, --per-article K    at most K passages per article (default 2; 0 = no limit)\n"
    "  -f, --format FORMAT    text (default): each hit's title, source, date, path:line\n"
    "                         and passage, wrapped to the terminal's width ($COLUMNS,\n"
    "                         else the terminal's, else 78), then the number of\n"
    "                         matching passages and articles;\n"
    "                         line: 'path:line: first words of the passage...', a hit\n"
    "                         a line; json: one JSON object per hit per line (with\n"
    "                         \"total\": passages and articles matching);\n"
    "                         trec: 'qid Q0 article rank score ptsearch', one line per\n"
    "                         article, ranked by its article evidence (for evaluation)\n"
    "  -C, --context N        text: only the sentences with a match and N sentences\n"
    "                         around each ('...' where some are left out); default:\n"
    "                         the whole passage (json always has it whole)\n"
    "      --sort ORDER       score (default): best first; date: newest article\n"
    "                         first (then best first; undated last)\n"
    "      --count BY         instead of hits, how many matching articles each\n"
    "                         source (BY = source, most first) or month (month,\n"
    "                         YYYY-MM in order) has (text or json)\n"
    "      --color[=WHEN]     mark matched words: auto (default; on a terminal unless\n"
    "                         NO_COLOR is set), always, never; words typed and\n"
    "                         phrases bold, other spellings bold underlined, related\n"
    "                         words underlined\n"
    "      --runtag TAG       trec: the run's name in the last column (default ptsearch)\n"
    "  -b, --batch FILE       run every query of FILE (- for standard input), one per\n"
    "                         line, as 'query' or 'qid<TAB>query'; the index is opened\n"
    "                         once. Without a qid, the line number is the qid.\n"
    "  -e, --exact            only the words typed: no name variants\n"
    "                         (Zelensky/Zelenskyy/Zelenskiy, Kyiv/Kiev, five/5) and\n"
    "                         no related words\n"
    "      --expand, --no-expand  also find words related in meaning through\n"
    "                         WordNet (concessions: concede, cede), weighted below\n"
    "                         the words typed; never for names (default: on;\n"
    "                         --exact turns it off too)\n"
    "      --feedback, --no-feedback  pseudo-relevance feedback: a second search\n"
    "                         in which the words that set the best two passages\n"
    "                         apart rank what the query matches (it matches no\n"
    "                         more); about +25% per query (default: on)\n"
    "      --all-words        passages must have every word (default: any word)\n"
    "      --no-group         show every outlet's copy of a passage as its own hit\n"
    "                         (default: once, with 'also in' the others; trec: never\n"
    "                         grouped, as judgments are per article)\n"
    "      --explain          show each hit's score as the sum of its parts, each\n"
    "                         with its kind: typed, variant (the word or its other\n"
    "                         spellings), related, phrase, proximity, title, and\n"
    "                         feedback (its words summed on one line)\n"
    "      --stopwords MODE   phrase (default): stopwords (the, of, and...) are\n"
    "                         searched only inside \"phrases\" or when the query\n"
    "                         has nothing else; keep: always; drop: never\n"
    "      --partial          when --index is a stub file and some of its remote\n"
    "                         shards cannot be reached, answer from the others\n"
    "                         with a warning (default: name the shard, exit 2)\n"
    "  -t, --timeout SECONDS  time limit of each search (default 5; 0 = none): at\n"
    "                         the limit the passages found so far are printed,\n"
    "                         a message says they may be incomplete, and the exit\n"
    "                         status is 2; a search still running at twice the\n"
    "                         limit plus 2 s (a damaged index) is stopped\n"
    "  -h, --help             show this help and exit\n"
    "      --version          show the version and exit\n"
    "\n"
    "Query language (the words of QUERY form one query):\n"
    "  word               stemmed like the articles (\"guarantees\" finds\n"
    "                     \"guarantee\"); a passage matches when it has ANY of the\n"
    "                     words (chosen by measurement, see the README); BM25\n"
    "                     ranks passages with more, rarer words first\n"
    "  \"a phrase\"         the words in this order (an unclosed quote runs to the end)\n"
    "  -word, NOT word    passages without it; a query of only these lists\n"
    "                     passages without them, unranked (a query starting\n"
    "                     with - goes after --: ptsearch -- -word)\n"
    "  a AND b, a OR b    both, either; ( ) group; AND binds tighter than the\n"
    "                     default, OR looser; unbalanced parentheses are closed\n"
    "                     or ignored; an operator with nothing to apply to is ignored\n"
    "  a NEAR/n b         a and b at most n words apart (NEAR alone: 10)\n"
    "  prefix*            any word starting so (at most 100 of them)\n"
    "  title:w source:w   articles whose title / outlet has the word(s);\n"
    "                     title:\"two words\" for several\n"
    "  lang:ru lang:en    by script: passages with / without Cyrillic words\n"
    "                     (the index records no language)\n"
    "  date:2025-12-15    that day; date:2025-12 a month, date:2025 a year;\n"
    "                     date:A..B, date:A.. and date:..B ranges (inclusive)\n"
    "  Fields filter and do not change the ranking; other word:word text (Note:,\n"
    "  10:30, foo:bar) is searched as words. Names match their other spellings\n"
    "  found in the index (typed spelling first) unless --exact is given. Control\n"
    "  characters and invalid UTF-8 separate words. Operators are upper case; in\n"
    "  --batch files AND, OR, NOT and NEAR are ordinary words.\n"
    "When little is found, \"did you mean\" goes to standard error (text) or a\n"
    "last JSON line {\"suggestion\": ...}.\n"
    "Matched words are marked on a terminal (unless NO_COLOR is set; see --color).\n"
    "\n"
    "Limits: a query of at most 32768 bytes, 2000 words, 10 prefix*, 64 nested\n"
    "parentheses or NOT, 64 field:value filters.\n"
    "\n"
    "Exit status: 0 passages found (batch: for some query); 1 nothing found;\n"
    "2 error: a bad option value, an empty query, a bad or reversed date range, an unknown language,\n"
    "a query over a limit (the message names it), the time limit reached;\n"
    "batch: a query line that could not be run or was stopped, named as\n"
    "FILE:LINE (the other lines still run).\n";

#define SHORT_OPTIONS "i:n:k:f:b:het:C:"

/* Long options without a letter. */
enum { OPT_OFFSET = 256, OPT_SORT, OPT_COUNT, OPT_COLOR, OPT_RUNTAG, OPT_PARTIAL };

typedef enum { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } color_when;

/* --count looks at the best this many articles. */
#define COUNT_MAX_ARTICLES 100000

typedef struct {
    char *dir;
    const char *batch;
    unsigned n, per_article;
    int n_given;
    pt_format format;
    unsigned flags; /* PT_SEARCH_* */
    double timeout; /* seconds; 0 = none */
    unsigned offset;
    int context;    /* -1: whole passages */
    pt_sort sort;
    pt_count_by count_by;
    color_when color;
    const char *runtag;
    int partial; /* --partial: answer from the reachable shards */
} options;

#define DEFAULT_TIMEOUT 5.0
#define MAX_TIMEOUT 86400.0

static int parse_count(const char *arg, const char *what, unsigned *out)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (errno || *end || end == arg || v < 0 || v > 100000) {
        pt_say("%s must be a number from 0 to 100000, not '%s'", what, arg);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

static int parse_seconds(const char *arg, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (errno || *end || end == arg || !isfinite(v) || v < 0 || v > MAX_TIMEOUT) {
        pt_say("--timeout must be a number of seconds from 0 (no limit) to %.0f, not '%s'", MAX_TIMEOUT, arg);
        return -1;
    }
    *out = v;
    return 0;
}

/* The index of arg in names[0..n), or -1 after saying what is allowed. */
static int parse_choice(const char *arg, const char *option, const char *const *names, int n, const char *allowed)
{
    for (int i = 0; i < n; i++)
        if (strcmp(arg, names[i]) == 0)
            return i;
    pt_say("unknown %s '%s' (%s)", option, arg, allowed);
    return -1;
}

static int parse_format(const char *arg, pt_format *out)
{
    static const char *const names[] = {"text", "json", "trec", "line"};
    int i = parse_choice(arg, "format", names, 4, "text, line, json or trec");
    *out = i >= 0 ? (pt_format)i : *out;
    return i < 0 ? -1 : 0;
}

static int parse_sort(const char *arg, pt_sort *out)
{
    static const char *const names[] = {"score", "date"};
    int i = parse_choice(arg, "--sort order", names, 2, "score or date");
    *out = i == 1 ? PT_SORT_DATE : PT_SORT_SCORE;
    return i < 0 ? -1 : 0;
}

static int parse_count_by(const char *arg, pt_count_by *out)
{
    static const char *const names[] = {"source", "month"};
    int i = parse_choice(arg, "--count field", names, 2, "source or month");
    *out = i == 0 ? PT_COUNT_SOURCE : PT_COUNT_MONTH;
    return i < 0 ? -1 : 0;
}

static int parse_color(const char *arg, color_when *out)
{
    static const char *const names[] = {"auto", "always", "never"};
    int i = arg ? parse_choice(arg, "--color value", names, 3, "auto, always or never") : COLOR_AUTO;
    *out = i >= 0 ? (color_when)i : *out;
    return i < 0 ? -1 : 0;
}

/* A run tag is one word: TREC lines are split at white space. */
static int parse_runtag(const char *arg, const char **out)
{
    if (!*arg || strpbrk(arg, " \t\r\n\v\f")) {
        pt_say("--runtag must be one word without spaces (a TREC run's name), not '%s'", arg);
        return -1;
    }
    *out = arg;
    return 0;
}

static int parse_stopwords(const char *arg, unsigned *flags)
{
    *flags &= ~(unsigned)(PT_SEARCH_KEEP_STOPWORDS | PT_SEARCH_DROP_STOPWORDS);
    if (strcmp(arg, "keep") == 0)
        *flags |= PT_SEARCH_KEEP_STOPWORDS;
    else if (strcmp(arg, "drop") == 0)
        *flags |= PT_SEARCH_DROP_STOPWORDS;
    else if (strcmp(arg, "phrase") != 0) {
        pt_say("unknown --stopwords mode '%s' (phrase, keep or drop)", arg);
        return -1;
    }
    return 0;
}

/* After getopt's own message: an unknown letter option (not a missing
 * argument, which names a known letter) is likely a negated query word,
 * as in "ptsearch -Witkoff". */
static void unknown_option(int letter)
{
    if (letter > 0 && !strchr(SHORT_OPTIONS, letter))
        fputs("ptsearch: to search for a query starting with '-' (a negation), put '--' before it: "
              "ptsearch -- -word\n", stderr);
    fputs("Try 'ptsearch --help'.\n", stderr);
}

/* Returns -1 to exit with PT_EXIT_ERROR, 1 to exit with 0 (help). */
static int parse_args(int argc, char **argv, options *o)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'}, {"per-article", required_argument, NULL, 'k'},
        {"format", required_argument, NULL, 'f'}, {"batch", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},        {"version", no_argument, NULL, 'V'},
        {"exact", no_argument, NULL, 'e'},       {"all-words", no_argument, NULL, 'A'},
        {"stopwords", required_argument, NULL, 'S'},
        {"explain", no_argument, NULL, 'E'},     {"no-group", no_argument, NULL, 'G'},
        {"expand", no_argument, NULL, 'X'},      {"no-expand", no_argument, NULL, 'x'},
        {"feedback", no_argument, NULL, 'F'},    {"no-feedback", no_argument, NULL, 'N'},
        {"timeout", required_argument, NULL, 't'},
        {"context", required_argument, NULL, 'C'}, {"offset", required_argument, NULL, OPT_OFFSET},
        {"sort", required_argument, NULL, OPT_SORT}, {"count", required_argument, NULL, OPT_COUNT},
        {"color", optional_argument, NULL, OPT_COLOR}, {"colour", optional_argument, NULL, OPT_COLOR},
        {"runtag", required_argument, NULL, OPT_RUNTAG},
        {"partial", no_argument, NULL, OPT_PARTIAL},
        {NULL, 0, NULL, 0},
    };
    unsigned context = 0;
    for (int c; (c = getopt_long(argc, argv, SHORT_OPTIONS, longopts, NULL)) != -1;) {
        switch (c) {
        case 'i': free(o->dir); o->dir = strdup(optarg); break;
        case 'n': if (parse_count(optarg, "-n", &o->n)) return -1; o->n_given = 1; break;
        case 'k': if (parse_count(optarg, "--per-article", &o->per_article)) return -1; break;
        case 'f': if (parse_format(optarg, &o->format)) return -1; break;
        case 'b': o->batch = optarg; break;
        case 'e': o->flags |= PT_SEARCH_EXACT; break;
        case 'A': o->flags |= PT_SEARCH_ALL_WORDS; break;
        case 'X': o->flags |= PT_SEARCH_EXPAND; break;
        case 'E': o->flags |= PT_SEARCH_EXPLAIN; break;
        case 'G': o->flags |= PT_SEARCH_NO_GROUP; break;
        case 'x': o->flags &= ~(unsigned)PT_SEARCH_EXPAND; break;
        case 'F': o->flags |= PT_SEARCH_FEEDBACK; break;
        case 'N': o->flags &= ~(unsigned)PT_SEARCH_FEEDBACK; break;
        case 'S': if (parse_stopwords(optarg, &o->flags)) return -1; break;
        case 't': if (parse_seconds(optarg, &o->timeout)) return -1; break;
        case 'C': if (parse_count(optarg, "--context", &context)) return -1; o->context = (int)context; break;
        case OPT_OFFSET: if (parse_count(optarg, "--offset", &o->offset)) return -1; break;
        case OPT_SORT: if (parse_sort(optarg, &o->sort)) return -1; break;
        case OPT_COUNT: if (parse_count_by(optarg, &o->count_by)) return -1; break;
        case OPT_COLOR: if (parse_color(optarg, &o->color)) return -1; break;
        case OPT_RUNTAG: if (parse_runtag(optarg, &o->runtag)) return -1; break;
        case OPT_PARTIAL: o->partial = 1; break;
        case 'h': fputs(usage, stdout); return 1;
        case 'V': puts("ptsearch " PTSEARCH_VERSION); return 1;
        default: unknown_option(optopt); return -1;
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
    if (o->count_by != PT_COUNT_NONE && o->format != PT_FORMAT_TEXT && o->format != PT_FORMAT_JSON) {
        fputs("ptsearch: --count prints text or json, not --format line or trec\n", stderr);
        return -1;
    }
    if (o->format == PT_FORMAT_TREC) {
        o->per_article = 1; /* one line per article, ranked by its evidence (search.c) */
        o->flags |= PT_SEARCH_NO_GROUP;
        if (!o->n_given)
            o->n = 1000;
    }
    if (!o->dir && pt_default_index_dir(&o->dir) != 0) {
        pt_say("%s", pt_error_last());
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

/* Columns to wrap text at: $COLUMNS, else the terminal's, else 78. */
static unsigned output_width(void)
{
    const char *env = getenv("COLUMNS");
    char *end;
    long v = env ? strtol(env, &end, 10) : 0;
    if (env && *env && !*end && v > 20 && v < 10000)
        return (unsigned)v;
    struct winsize w;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 20)
        return w.ws_col;
    return 78;
}

static int use_color(color_when when)
{
    const char *no_color = getenv("NO_COLOR");
    if (when != COLOR_AUTO)
        return when == COLOR_ALWAYS;
    return isatty(STDOUT_FILENO) && !(no_color && *no_color);
}

/* The search options of o: --count ranks every matching article once
 * (feedback changes no match, only the order, so it is skipped). */
static pt_search_opts search_opts_of(const options *o)
{
    pt_search_opts opts = PT_SEARCH_OPTS_INIT;
    opts.max_hits = o->n;
    opts.per_article = o->per_article;
    opts.flags = o->flags | (o->batch ? PT_SEARCH_NO_OPERATORS : 0);
    opts.timeout = o->timeout;
    opts.first = o->offset;
    opts.sort = o->sort;
    if (o->format != PT_FORMAT_TREC)
        opts.flags |= PT_SEARCH_TOTALS;
    if (o->format == PT_FORMAT_TREC)
        opts.suggest_below = 0; /* runs for evaluation want no suggestions */
    if (o->count_by != PT_COUNT_NONE) {
        opts.max_hits = COUNT_MAX_ARTICLES;
        opts.per_article = 1;
        opts.first = 0;
        opts.flags |= PT_SEARCH_NO_GROUP;
        opts.flags &= ~(unsigned)(PT_SEARCH_EXPLAIN | PT_SEARCH_FEEDBACK);
    }
    return opts;
}

static int run_single(pt_searcher *s, const pt_search_opts *opts, const pt_output *out,
                      const char *dir, int argc, char **argv)
{
    char *query = join_words(argc, argv);
    if (!query) {
        pt_say("out of memory");
        return PT_EXIT_ERROR;
    }
    int status = pt_run_query(s, opts, out, query, NULL, NULL, dir);
    free(query);
    return status;
}

/* --partial: which shards the results leave out, on stderr and, in JSON,
 * as a first line {"unreachable": "HOST:PORT, ..."}. */
static void warn_unreachable(const pt_output *out, const char *names)
{
    if (!names)
        return;
    pt_say("warning: shards %s cannot be reached: the results come from the other shards", names);
    if (out->format == PT_FORMAT_JSON)
        pt_put_json_line(stdout, json_pack("{s:s, s:b}", "unreachable", names, "partial", 1), NULL);
}

int main(int argc, char **argv)
{
    options o = {NULL, NULL, 10, 2, 0, PT_FORMAT_TEXT, PT_SEARCH_DEFAULT, DEFAULT_TIMEOUT,
                 0, -1, PT_SORT_SCORE, PT_COUNT_NONE, COLOR_AUTO, NULL, 0};
    int rc = parse_args(argc, argv, &o);
    if (rc) {
        free(o.dir);
        return rc > 0 ? PT_EXIT_FOUND : PT_EXIT_ERROR;
    }
    pt_searcher *s = NULL;
    if ((rc = pt_searcher_open_partial(&s, o.dir, o.partial)) != 0) {
        pt_say("%s%s", pt_error_last(), pt_damage_hint(rc));
        free(o.dir);
        return PT_EXIT_ERROR;
    }
    char *cwd = getcwd(NULL, 0);
    pt_output out = {o.format, use_color(o.color), output_width(), cwd, o.context, o.runtag, 1,
                     o.offset, o.count_by};
    pt_search_opts opts = search_opts_of(&o);
    warn_unreachable(&out, pt_searcher_unreachable(s));
    int status = o.batch ? pt_run_batch(s, o.batch, &opts, &out)
                         : run_single(s, &opts, &out, o.dir, argc - optind, argv + optind);
    pt_searcher_free(s);
    free(cwd);
    free(o.dir);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        pt_say("cannot write the results: %s", strerror(errno));
        return PT_EXIT_ERROR;
    }
    return status;
}
