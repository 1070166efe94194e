/* batch.c — runs queries: one with its watchdog and its messages
 * (pt_run_query), and batch mode, which reads query lines (optionally
 * "qid<TAB>query"), runs each against the already open searcher, and prints
 * the hits tagged with their qid. Query words are never operators in batch
 * mode: topics written in capitals ("AND", "OR") are searched as words. */
#include "batch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "watchdog.h"

typedef struct {
    unsigned long line_no, found, failed;
} batch_counts;

/* Arms the watchdog for one search, its message naming where. */
static void arm_watchdog(double timeout, const char *where)
{
    char *msg = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&msg, &len);
    if (!m)
        return;
    fputs("ptsearch: ", m);
    if (where) {
        pt_put_visible(m, where, strlen(where));
        fputs(": ", m);
    }
    fprintf(m, "no answer %g s after the time limit (--timeout %g): stopped; a damaged index can do this "
               "(ptindex --check)\n",
            pt_watchdog_after(timeout) - timeout, timeout);
    if (fclose(m) == 0)
        pt_watchdog_arm(pt_watchdog_after(timeout), msg);
    free(msg);
}

const char *pt_damage_hint(int rc)
{
    return rc == PT_ECORRUPT ? " (ptindex --rebuild restores it)" : "";
}

static void report(int rc, const char *where, const char *dir)
{
    if (where)
        pt_say("%s: %s%s", where, pt_error_last(), pt_damage_hint(rc));
    else if (rc == PT_EQUERY)
        pt_say("%s", pt_error_last());
    else
        pt_say("%s: %s%s", dir, pt_error_last(), pt_damage_hint(rc));
}

int pt_run_query(pt_searcher *s, const pt_search_opts *opts, const pt_output *out, const char *query,
                 const char *qid, const char *where, const char *dir)
{
    /* What is printed already survives a hard stop. */
    fflush(stdout);
    if (opts->timeout > 0)
        arm_watchdog(opts->timeout, where);
    pt_hits *hits = NULL;
    int rc = pt_search(&hits, s, query, opts);
    pt_watchdog_disarm();
    if (rc) {
        report(rc, where, dir);
        return PT_EXIT_ERROR;
    }
    int status = pt_hits_count(hits) ? PT_EXIT_FOUND : PT_EXIT_NOTHING;
    /* --count says it counted only the best when it reached its limit */
    uint64_t more = pt_hits_count(hits) >= opts->max_hits ? pt_hits_articles_estimated(hits) : 0;
    int written = out->count_by != PT_COUNT_NONE ? pt_output_counts(stdout, out, hits, more, qid, query)
                                                 : pt_output_hits(stdout, out, hits, qid, query);
    if (written != 0 ||
        pt_output_substitutions(stdout, out, hits, where, qid) != 0 ||
        pt_output_suggestion(stdout, out, pt_hits_suggestion(hits), where, qid) != 0) {
        pt_say("%s%scannot write the results (out of memory)", where ? where : "", where ? ": " : "");
        status = PT_EXIT_ERROR;
    } else if (pt_hits_incomplete(hits)) {
        pt_say("%s%sstopped at the time limit (--timeout %g): the results may be incomplete",
               where ? where : "", where ? ": " : "", opts->timeout);
        status = PT_EXIT_ERROR;
    }
    pt_hits_free(hits);
    return status;
}

static void strip_line_end(char *line, ssize_t *len)
{
    while (*len > 0 && (line[*len - 1] == '\n' || line[*len - 1] == '\r'))
        line[--*len] = '\0';
}

static int is_blank(const char *s)
{
    return s[strspn(s, " \t\r\n\f\v")] == '\0';
}

static void run_line(pt_searcher *s, const char *path, char *line, const pt_search_opts *opts,
                     const pt_output *out, batch_counts *c)
{
    char line_qid[24];
    const char *qid = line_qid, *query = line;
    char *tab = strchr(line, '\t');
    if (tab) {
        *tab = '\0';
        qid = line;
        query = tab + 1;
    } else {
        snprintf(line_qid, sizeof line_qid, "%lu", c->line_no);
    }
    size_t size = strlen(path) + 24;
    char *where = malloc(size);
    if (!where) {
        pt_say("%s:%lu: out of memory", path, c->line_no);
        c->failed++;
        return;
    }
    snprintf(where, size, "%s:%lu", path, c->line_no);
    int status = pt_run_query(s, opts, out, query, qid, where, NULL);
    if (status == PT_EXIT_ERROR)
        c->failed++;
    else if (status == PT_EXIT_FOUND)
        c->found++;
    free(where);
}

int pt_run_batch(pt_searcher *s, const char *path, const pt_search_opts *opts, const pt_output *out)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        pt_say("%s: %s", path, strerror(errno));
        return PT_EXIT_ERROR;
    }
    batch_counts c = {0, 0, 0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) >= 0) {
        c.line_no++;
        strip_line_end(line, &len);
        if (!is_blank(line))
            run_line(s, path, line, opts, out, &c);
    }
    if (ferror(f)) {
        pt_say("%s:%lu: cannot read on: %s", path, c.line_no + 1, strerror(errno));
        c.failed++;
    }
    free(line);
    if (f != stdin)
        fclose(f);
    if (c.failed)
        return PT_EXIT_ERROR;
    return c.found ? PT_EXIT_FOUND : PT_EXIT_NOTHING;
}
