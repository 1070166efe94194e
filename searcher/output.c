/* output.c — text, JSON and TREC renderings of hits. Text output collapses
 * the passage's white space, wraps it, and marks the highlighted byte
 * ranges; JSON output is built with jansson, one object per line; TREC is
 * `qid Q0 article rank score ptsearch`. */
#include "output.h"

#include <jansson.h>
#include <string.h>

#define BOLD_ON "\033[1m"
#define BOLD_OFF "\033[0m"
#define INDENT "   "

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Display width of UTF-8 bytes: one column per character. */
static size_t columns(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static int in_highlight(const pt_hit *hit, size_t at, size_t *cursor)
{
    while (*cursor < hit->n_highlights && hit->highlights[*cursor].end <= at)
        (*cursor)++;
    return *cursor < hit->n_highlights && hit->highlights[*cursor].start <= at;
}

/* Prints passage[ws, we) with bold toggled at highlight boundaries. */
static void print_word(FILE *out, const pt_hit *hit, size_t ws, size_t we, int bold, size_t *cursor)
{
    int on = 0;
    for (size_t i = ws; i < we; i++) {
        int want = bold && in_highlight(hit, i, cursor);
        if (want != on) {
            fputs(want ? BOLD_ON : BOLD_OFF, out);
            on = want;
        }
        fputc(hit->passage[i], out);
    }
    if (on)
        fputs(BOLD_OFF, out);
}

static void print_passage(FILE *out, const pt_hit *hit, const pt_output *style)
{
    const char *p = hit->passage;
    size_t len = hit->passage_len, i = 0, col = 0, cursor = 0;
    unsigned width = style->width > 20 ? style->width : 78;
    fputs(INDENT, out);
    while (i < len) {
        while (i < len && is_space(p[i]))
            i++;
        size_t ws = i;
        while (i < len && !is_space(p[i]))
            i++;
        if (ws == i)
            break;
        size_t w = columns(p + ws, i - ws);
        if (col && col + 1 + w > width - strlen(INDENT)) {
            fputs("\n" INDENT, out);
            col = 0;
        } else if (col) {
            fputc(' ', out);
            col++;
        }
        print_word(out, hit, ws, i, style->bold, &cursor);
        col += w;
    }
    fputc('\n', out);
}

static const char *shown_path(const pt_hit *hit, const pt_output *style)
{
    if (!hit->path)
        return hit->article;
    size_t n = style->cwd ? strlen(style->cwd) : 0;
    if (n && strncmp(hit->path, style->cwd, n) == 0 && hit->path[n] == '/')
        return hit->path + n + 1;
    return hit->path;
}

/* --explain: "score 2.323 = 1.311 conced + 1.012 donbas", a part a line. */
static void print_explain(FILE *out, const pt_hit *hit)
{
    if (!hit->explain)
        return;
    double sum = 0;
    for (size_t i = 0; i < hit->n_explain; i++) {
        fprintf(out, INDENT "%s %.3f  %s\n", i ? "+" : "=", hit->explain[i].score, hit->explain[i].part);
        sum += hit->explain[i].score;
    }
    fprintf(out, INDENT "  (parts sum to %.3f)\n", sum);
}

/* "also in: AP (003.txt:12), RFE/RL (004.txt:30)" */
static void print_also_in(FILE *out, const pt_hit *hit)
{
    if (!hit->n_also_in)
        return;
    fputs(INDENT "also in: ", out);
    for (size_t i = 0; i < hit->n_also_in; i++) {
        const pt_also *a = &hit->also_in[i];
        fprintf(out, "%s%s (%s:%u)", i ? ", " : "", a->source ? a->source : "(no source)",
                a->article, a->line);
    }
    fputc('\n', out);
}

static void print_text(FILE *out, const pt_hit *hit, const pt_output *style)
{
    fprintf(out, "%u. %s%s%s", hit->rank, style->bold ? BOLD_ON : "",
            hit->title && *hit->title ? hit->title : "(untitled)", style->bold ? BOLD_OFF : "");
    if (hit->source)
        fprintf(out, " · %s", hit->source);
    if (hit->date)
        fprintf(out, " · %s", hit->date);
    fprintf(out, "\n" INDENT "%s:%u  (score %.3f)\n", shown_path(hit, style), hit->line, hit->score);
    print_explain(out, hit);
    print_also_in(out, hit);
    print_passage(out, hit, style);
    fputc('\n', out);
}

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static int print_json(FILE *out, const pt_hit *hit, const char *qid)
{
    json_t *ranges = json_array();
    for (size_t i = 0; ranges && i < hit->n_highlights; i++)
        json_array_append_new(ranges, json_pack("[I,I]", (json_int_t)hit->highlights[i].start,
                                                (json_int_t)hit->highlights[i].end));
    json_t *o = json_pack("{s:I,s:f,s:s,s:o,s:o,s:o,s:o,s:s%,s:I,s:I,s:I,s:o}",
                          "rank", (json_int_t)hit->rank, "score", hit->score,
                          "article", hit->article, "path", string_or_null(hit->path),
                          "title", string_or_null(hit->title), "source", string_or_null(hit->source),
                          "date", string_or_null(hit->date),
                          "passage", hit->passage, hit->passage_len,
                          "start", (json_int_t)hit->start, "end", (json_int_t)hit->end,
                          "line", (json_int_t)hit->line, "highlights", ranges);
    if (o && qid)
        json_object_set_new(o, "qid", json_string(qid));
    if (o && hit->also_in) {
        json_t *also = json_array();
        for (size_t i = 0; also && i < hit->n_also_in; i++) {
            const pt_also *a = &hit->also_in[i];
            json_array_append_new(also, json_pack("{s:s,s:o,s:o,s:o,s:o,s:I,s:f}", "article", a->article,
                                                  "path", string_or_null(a->path), "title",
                                                  string_or_null(a->title), "source",
                                                  string_or_null(a->source), "date",
                                                  string_or_null(a->date), "line", (json_int_t)a->line,
                                                  "score", a->score));
        }
        json_object_set_new(o, "also_in", also);
    }
    if (o && hit->explain) {
        json_t *parts = json_array();
        for (size_t i = 0; parts && i < hit->n_explain; i++)
            json_array_append_new(parts, json_pack("{s:s,s:f}", "part", hit->explain[i].part,
                                                   "score", hit->explain[i].score));
        json_object_set_new(o, "explain", parts);
    }
    if (!o)
        return -1;
    int rc = json_dumpf(o, out, JSON_COMPACT);
    fputc('\n', out);
    json_decref(o);
    return rc;
}

int pt_output_hits(FILE *out, const pt_output *o, const pt_hits *hits, const char *qid, const char *query)
{
    if (o->format == PT_FORMAT_TEXT && qid)
        fprintf(out, "## %s: %s\n\n", qid, query);
    for (size_t i = 0; i < pt_hits_count(hits); i++) {
        const pt_hit *hit = pt_hits_get(hits, i);
        switch (o->format) {
        case PT_FORMAT_TEXT:
            print_text(out, hit, o);
            break;
        case PT_FORMAT_TREC:
            fprintf(out, "%s Q0 %s %u %.6f ptsearch\n", qid ? qid : "1", hit->article, hit->rank, hit->score);
            break;
        case PT_FORMAT_JSON:
            if (print_json(out, hit, qid) != 0) {
                fprintf(stderr, "ptsearch: cannot write hit %u of %s as JSON\n", hit->rank, hit->article);
                return -1;
            }
            break;
        }
    }
    return 0;
}

int pt_output_suggestion(FILE *out, const pt_output *o, const char *suggestion, const char *batch_path,
                         const char *qid)
{
    if (!suggestion)
        return 0;
    if (o->format == PT_FORMAT_TEXT) {
        if (batch_path)
            fprintf(stderr, "ptsearch: %s: %s: did you mean: %s\n", batch_path, qid, suggestion);
        else
            fprintf(stderr, "ptsearch: did you mean: %s\n", suggestion);
        return 0;
    }
    if (o->format != PT_FORMAT_JSON)
        return 0;
    json_t *obj = json_pack("{s:s}", "suggestion", suggestion);
    if (obj && qid)
        json_object_set_new(obj, "qid", json_string(qid));
    if (!obj)
        return -1;
    int rc = json_dumpf(obj, out, JSON_COMPACT);
    fputc('\n', out);
    json_decref(obj);
    return rc;
}
