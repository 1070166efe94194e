/* batch.c — batch mode of ptsearch: reads query lines (optionally
 * "qid<TAB>query"), runs each against the already open searcher, and prints
 * the hits tagged with their qid. Query words are never operators here:
 * topics written in capitals ("AND", "OR") are searched as words. */
#include "batch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned long line_no, found, failed;
} batch_counts;

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
    pt_hits *hits = NULL;
    int rc = pt_search(&hits, s, query, opts);
    if (rc) {
        fprintf(stderr, "ptsearch: %s:%lu: %s\n", path, c->line_no, pt_error_last());
        c->failed++;
    } else if (pt_output_hits(stdout, out, hits, qid, query) != 0 ||
               pt_output_suggestion(stdout, out, pt_hits_suggestion(hits), path, qid) != 0) {
        c->failed++;
    } else if (pt_hits_count(hits)) {
        c->found++;
    }
    pt_hits_free(hits);
}

int pt_run_batch(pt_searcher *s, const char *path, const pt_search_opts *opts, const pt_output *out)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(stderr, "ptsearch: %s: %s\n", path, strerror(errno));
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
    free(line);
    if (f != stdin)
        fclose(f);
    if (c.failed)
        return PT_EXIT_ERROR;
    return c.found ? PT_EXIT_FOUND : PT_EXIT_NOTHING;
}
