/* output.c — text, JSON and TREC renderings of hits, and ptsearch's
 * messages. Text output collapses the passage's white space, wraps it, and
 * marks the highlighted byte ranges; JSON output is built with jansson,
 * one object per line; TREC is `qid Q0 article rank score ptsearch`. Text
 * that came from the index or the query never reaches a terminal raw:
 * control characters and invalid UTF-8 are shown as \xHH escapes (an ESC
 * would be obeyed), and JSON strings are repaired to valid UTF-8. */
#include "output.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"
#include "utf8_clean.h"

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

/* Length of the character at s[0..n) when it is valid UTF-8 and no control
 * character, else 0. */
static size_t visible_char(const char *s, size_t n)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &c);
    return k > 0 && utf8proc_category(c) != UTF8PROC_CATEGORY_CC ? (size_t)k : 0;
}

void pt_put_visible(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k = visible_char(s + i, n - i);
        if (k) {
            fwrite(s + i, 1, k, out);
            i += k;
        } else {
            fprintf(out, "\\x%02x", (unsigned char)s[i++]);
        }
    }
}

void pt_say(const char *fmt, ...)
{
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (text)
        vsnprintf(text, (size_t)n + 1, fmt, again);
    va_end(again);
    va_end(ap);
    fputs("ptsearch: ", stderr);
    if (text)
        pt_put_visible(stderr, text, (size_t)n);
    else
        fputs("(no memory left for this message)", stderr);
    fputc('\n', stderr);
    free(text);
}

static void put_string(FILE *out, const char *s)
{
    pt_put_visible(out, s, strlen(s));
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
    for (size_t i = ws; i < we;) {
        int want = bold && in_highlight(hit, i, cursor);
        if (want != on) {
            fputs(want ? BOLD_ON : BOLD_OFF, out);
            on = want;
        }
        size_t k = visible_char(hit->passage + i, we - i);
        pt_put_visible(out, hit->passage + i, k ? k : 1);
        i += k ? k : 1;
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
        fprintf(out, INDENT "%s %.3f  ", i ? "+" : "=", hit->explain[i].score);
        put_string(out, hit->explain[i].part);
        fputc('\n', out);
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
        fputs(i ? ", " : "", out);
        put_string(out, a->source ? a->source : "(no source)");
        fputs(" (", out);
        put_string(out, a->article);
        fprintf(out, ":%u)", a->line);
    }
    fputc('\n', out);
}

static void print_text(FILE *out, const pt_hit *hit, const pt_output *style)
{
    fprintf(out, "%u. %s", hit->rank, style->bold ? BOLD_ON : "");
    put_string(out, hit->title && *hit->title ? hit->title : "(untitled)");
    fputs(style->bold ? BOLD_OFF : "", out);
    if (hit->title_is_first_sentence)
        fputs(" (no headline; first sentence)", out);
    if (hit->source) {
        fputs(" · ", out);
        put_string(out, hit->source);
    }
    if (hit->date) {
        fputs(" · ", out);
        put_string(out, hit->date);
    }
    fputs("\n" INDENT, out);
    put_string(out, shown_path(hit, style));
    fprintf(out, ":%u  (score %.3f)\n", hit->line, hit->score);
    print_explain(out, hit);
    print_also_in(out, hit);
    print_passage(out, hit, style);
    fputc('\n', out);
}

/* A JSON string of s[0..len). Invalid UTF-8 (which a damaged index, or an
 * index another program wrote, could hold) becomes U+FFFD instead of
 * failing the whole line. */
static json_t *text_json(const char *s, size_t len)
{
    json_t *j = json_stringn(s, len);
    if (j)
        return j;
    char *copy = malloc(len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    if (pt_utf8_repair(&copy, &len, NULL) == 0)
        j = json_stringn(copy, len);
    free(copy);
    return j;
}

static json_t *string_or_null(const char *s)
{
    return s ? text_json(s, strlen(s)) : json_null();
}

static int print_json(FILE *out, const pt_hit *hit, const char *qid)
{
    json_t *ranges = json_array();
    for (size_t i = 0; ranges && i < hit->n_highlights; i++)
        json_array_append_new(ranges, json_pack("[I,I]", (json_int_t)hit->highlights[i].start,
                                                (json_int_t)hit->highlights[i].end));
    json_t *o = json_pack("{s:I,s:f,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:I,s:I,s:o}",
                          "rank", (json_int_t)hit->rank, "score", hit->score,
                          "article", string_or_null(hit->article), "path", string_or_null(hit->path),
                          "title", string_or_null(hit->title), "source", string_or_null(hit->source),
                          "date", string_or_null(hit->date),
                          "passage", text_json(hit->passage, hit->passage_len),
                          "start", (json_int_t)hit->start, "end", (json_int_t)hit->end,
                          "line", (json_int_t)hit->line, "highlights", ranges);
    if (o && json_object_set_new(o, "title_is_first_sentence", json_boolean(hit->title_is_first_sentence)) != 0) {
        json_decref(o);
        return -1;
    }
    if (o && qid && json_object_set_new(o, "qid", string_or_null(qid)) != 0) {
        json_decref(o);
        return -1;
    }
    if (o && hit->also_in) {
        json_t *also = json_array();
        for (size_t i = 0; also && i < hit->n_also_in; i++) {
            const pt_also *a = &hit->also_in[i];
            json_array_append_new(also, json_pack("{s:o,s:o,s:o,s:o,s:o,s:I,s:f}", "article", string_or_null(a->article),
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
            json_array_append_new(parts, json_pack("{s:o,s:f}", "part", string_or_null(hit->explain[i].part),
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
    if (o->format == PT_FORMAT_TEXT && qid) {
        fputs("## ", out);
        put_string(out, qid);
        fputs(": ", out);
        put_string(out, query);
        fputs("\n\n", out);
    }
    for (size_t i = 0; i < pt_hits_count(hits); i++) {
        const pt_hit *hit = pt_hits_get(hits, i);
        switch (o->format) {
        case PT_FORMAT_TEXT:
            print_text(out, hit, o);
            break;
        case PT_FORMAT_TREC:
            put_string(out, qid ? qid : "1");
            fputs(" Q0 ", out);
            put_string(out, hit->article);
            fprintf(out, " %u %.6f ptsearch\n", hit->rank, hit->score);
            break;
        case PT_FORMAT_JSON:
            if (print_json(out, hit, qid) != 0)
                return -1;
            break;
        }
    }
    return 0;
}

/* {"no_passage_has": WORD, "showing": [TERM, ...]} (with "qid"). */
static int print_substitution(FILE *out, const pt_substitution *sub, const char *qid)
{
    json_t *shown = json_array();
    for (const char *w = sub->shown; shown && *w;) {
        size_t n = strcspn(w, " ");
        if (json_array_append_new(shown, json_stringn(w, n)) != 0) {
            json_decref(shown);
            shown = NULL;
        }
        w += n + (w[n] == ' ');
    }
    json_t *obj = shown ? json_pack("{s:o,s:o}", "no_passage_has", string_or_null(sub->word), "showing", shown) : NULL;
    if (obj && qid && json_object_set_new(obj, "qid", string_or_null(qid)) != 0) {
        json_decref(obj);
        return -1;
    }
    if (!obj)
        return -1;
    int rc = json_dumpf(obj, out, JSON_COMPACT);
    fputc('\n', out);
    json_decref(obj);
    return rc;
}

int pt_output_substitutions(FILE *out, const pt_output *o, const pt_hits *hits, const char *where,
                            const char *qid)
{
    for (size_t i = 0; i < pt_hits_substitution_count(hits); i++) {
        const pt_substitution *sub = pt_hits_substitution(hits, i);
        if (o->format == PT_FORMAT_JSON && print_substitution(out, sub, qid) != 0)
            return -1;
        if (o->format != PT_FORMAT_TEXT)
            continue;
        pt_buf list = PT_BUF_INIT; /* 'a', 'b' */
        for (const char *w = sub->shown; *w;) {
            size_t n = strcspn(w, " ");
            if (pt_buf_appendf(&list, "%s'%.*s'", list.len ? ", " : "", (int)n, w) != 0) {
                pt_buf_free(&list);
                return -1;
            }
            w += n + (w[n] == ' ');
        }
        if (where)
            pt_say("%s: %s: no passage has '%s'; showing %s", where, qid, sub->word, list.data ? list.data : "");
        else
            pt_say("no passage has '%s'; showing %s", sub->word, list.data ? list.data : "");
        pt_buf_free(&list);
    }
    return 0;
}

int pt_output_suggestion(FILE *out, const pt_output *o, const char *suggestion, const char *where,
                         const char *qid)
{
    if (!suggestion)
        return 0;
    if (o->format == PT_FORMAT_TEXT) {
        if (where)
            pt_say("%s: %s: did you mean: %s", where, qid, suggestion);
        else
            pt_say("did you mean: %s", suggestion);
        return 0;
    }
    if (o->format != PT_FORMAT_JSON)
        return 0;
    json_t *obj = json_pack("{s:o}", "suggestion", string_or_null(suggestion));
    if (obj && qid && json_object_set_new(obj, "qid", string_or_null(qid)) != 0) {
        json_decref(obj);
        return -1;
    }
    if (!obj)
        return -1;
    int rc = json_dumpf(obj, out, JSON_COMPACT);
    fputc('\n', out);
    json_decref(obj);
    return rc;
}
