/* output.c — text, line, JSON and TREC renderings of hits, --count's
 * tables, and ptsearch's messages. Text output collapses the passage's
 * white space, wraps it (or shows only the sentences around the matches),
 * and marks the highlighted byte ranges, each kind in its style; line
 * output is `path:line: first words…`; JSON output is built with jansson,
 * one object per line; TREC is `qid Q0 article rank score RUNTAG`. Text
 * that came from the index or the query never reaches a terminal raw:
 * control characters and invalid UTF-8 are shown as \xHH escapes (an ESC
 * would be obeyed), and JSON strings are repaired to valid UTF-8. */
#include "output.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "hit_json.h"
#include "sentences.h"
#include "ptsearch.h"

#define BOLD_ON "\033[1m"
#define BOLD_OFF "\033[0m"
#define INDENT "   "
#define ELLIPSIS "\xe2\x80\xa6"

/* The terminal style of each pt_mark_kind: words typed and phrases bold,
 * other spellings bold and underlined, related words underlined only. */
static const char *const mark_style[] = {"\033[1m", "\033[1;4m", "\033[4m", "\033[1m"};

static const char *style_of(pt_mark_kind kind)
{
    return (unsigned)kind < sizeof mark_style / sizeof *mark_style ? mark_style[kind] : BOLD_ON;
}

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
    va_list ap;
    va_start(ap, fmt);
    char *text = pt_vstrdupf(fmt, ap);
    va_end(ap);
    fputs("ptsearch: ", stderr);
    if (text)
        pt_put_visible(stderr, text, strlen(text));
    else
        fputs("(no memory left for this message)", stderr);
    fputc('\n', stderr);
    free(text);
}

void pt_put_visible_string(FILE *out, const char *s)
{
    pt_put_visible(out, s, strlen(s));
}

/* The style of the highlight at byte at of the passage (NULL: none);
 * *cursor walks the ranges forward. */
static const char *highlight_at(const pt_hit *hit, size_t at, size_t *cursor)
{
    while (*cursor < hit->n_highlights && hit->highlights[*cursor].end <= at)
        (*cursor)++;
    if (*cursor >= hit->n_highlights || hit->highlights[*cursor].start > at)
        return NULL;
    return hit->highlight_kinds ? style_of(hit->highlight_kinds[*cursor]) : BOLD_ON;
}

/* Prints passage[ws, we) with styles switched at highlight boundaries. */
static void print_word(FILE *out, const pt_hit *hit, size_t ws, size_t we, int bold, size_t *cursor)
{
    const char *on = NULL;
    for (size_t i = ws; i < we;) {
        const char *want = bold ? highlight_at(hit, i, cursor) : NULL;
        if (want != on) {
            if (on)
                fputs(BOLD_OFF, out);
            if (want)
                fputs(want, out);
            on = want;
        }
        size_t k = visible_char(hit->passage + i, we - i);
        pt_put_visible(out, hit->passage + i, k ? k : 1);
        i += k ? k : 1;
    }
    if (on)
        fputs(BOLD_OFF, out);
}

/* Where wrapped text stands: its column, the highlight it reached, the
 * end of the last word printed. */
typedef struct {
    size_t col, cursor;
    unsigned width;
    size_t last_end;
} wrap_state;

/* The style of the highlight that covers both bytes a and b, or NULL. */
static const char *spanning(const pt_hit *hit, size_t a, size_t b)
{
    for (size_t i = 0; i < hit->n_highlights; i++)
        if (hit->highlights[i].start <= a && b < hit->highlights[i].end)
            return hit->highlight_kinds ? style_of(hit->highlight_kinds[i]) : BOLD_ON;
    return NULL;
}

/* Prints the words of passage[from, to), wrapped, after what ws printed. */
static void print_words(FILE *out, const pt_hit *hit, size_t from, size_t to, const pt_output *style,
                        wrap_state *ws_)
{
    const char *p = hit->passage;
    for (size_t i = from; i < to;) {
        while (i < to && is_space(p[i]))
            i++;
        size_t ws = i;
        while (i < to && !is_space(p[i]))
            i++;
        if (ws == i)
            break;
        size_t w = columns(p + ws, i - ws);
        if (ws_->col && ws_->col + 1 + w > ws_->width - strlen(INDENT)) {
            fputs("\n" INDENT, out);
            ws_->col = 0;
        } else if (ws_->col) {
            /* inside one range (a phrase), the space is marked too */
            const char *span = style->bold && ws_->last_end ? spanning(hit, ws_->last_end - 1, ws) : NULL;
            fprintf(out, span ? "%s " BOLD_OFF : " ", span);
            ws_->col++;
        }
        print_word(out, hit, ws, i, style->bold, &ws_->cursor);
        ws_->col += w;
        ws_->last_end = i;
    }
}

/* Prints a literal piece (" … ") where wrapped text stands. */
static void print_piece(FILE *out, const char *text, size_t cols, wrap_state *ws)
{
    if (ws->col && ws->col + 1 + cols > ws->width - strlen(INDENT)) {
        fputs("\n" INDENT, out);
        ws->col = 0;
    } else if (ws->col) {
        fputc(' ', out);
        ws->col++;
    }
    fputs(text, out);
    ws->col += cols;
}

static unsigned text_width(const pt_output *style)
{
    return style->width > 20 ? style->width : 78;
}

/* Marks in keep[] the sentences with a highlight and context around them
 * (or, without highlights, the first context + 1). */
static void sentences_to_keep(const pt_hit *hit, const pt_range *sent, size_t n, unsigned context, char *keep)
{
    int any = 0;
    for (size_t s = 0, h = 0; s < n; s++) {
        while (h < hit->n_highlights && hit->highlights[h].end <= sent[s].start)
            h++;
        if (h < hit->n_highlights && hit->highlights[h].start < sent[s].end) {
            any = 1;
            size_t lo = s > context ? s - context : 0;
            for (size_t k = lo; k < n && k <= s + context; k++)
                keep[k] = 1;
        }
    }
    for (size_t k = 0; !any && k < n && k <= context; k++)
        keep[k] = 1;
}

/* --context N: the sentences around the matches, "…" where some are left out. */
static int print_snippet(FILE *out, const pt_hit *hit, const pt_output *style, wrap_state *ws)
{
    pt_range *sent = NULL;
    size_t n = pt_split_sentences(hit->passage, hit->passage_len, &sent);
    char *keep = n ? calloc(n, 1) : NULL;
    if (!keep) {
        free(sent);
        return -1;
    }
    sentences_to_keep(hit, sent, n, (unsigned)style->context, keep);
    for (size_t s = 0; s < n; s++) {
        if (!keep[s])
            continue;
        if (s > 0 && !keep[s - 1])
            print_piece(out, ELLIPSIS, 1, ws);
        print_words(out, hit, sent[s].start, sent[s].end, style, ws);
    }
    if (!keep[n - 1])
        print_piece(out, ELLIPSIS, 1, ws);
    free(keep);
    free(sent);
    return 0;
}

static void print_passage(FILE *out, const pt_hit *hit, const pt_output *style)
{
    wrap_state ws = {0, 0, text_width(style), 0};
    fputs(INDENT, out);
    if (style->context < 0 || print_snippet(out, hit, style, &ws) != 0)
        print_words(out, hit, 0, hit->passage_len, style, &ws);
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

/* How many feedback words --explain names before "and N more". */
#define EXPLAIN_FEEDBACK_NAMED 4

static int is_feedback(const pt_explain_part *part)
{
    return part->kind && strcmp(part->kind, "feedback") == 0;
}

/* The feedback parts as one line: their sum, the first few words. */
static void print_feedback_parts(FILE *out, const pt_hit *hit, int first)
{
    double sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < hit->n_explain; i++)
        if (is_feedback(&hit->explain[i]))
            sum += hit->explain[i].score, n++;
    if (!n)
        return;
    fprintf(out, INDENT "%s %.3f  feedback: ", first ? "=" : "+", sum);
    for (size_t i = 0, shown = 0; i < hit->n_explain && shown < EXPLAIN_FEEDBACK_NAMED; i++) {
        if (!is_feedback(&hit->explain[i]))
            continue;
        fputs(shown++ ? ", " : "", out);
        pt_put_visible_string(out, hit->explain[i].part);
    }
    if (n > EXPLAIN_FEEDBACK_NAMED)
        fprintf(out, " and %zu more word%s", n - EXPLAIN_FEEDBACK_NAMED, n - EXPLAIN_FEEDBACK_NAMED > 1 ? "s" : "");
    fputc('\n', out);
}

/* --explain: a part a line with its kind ("= 1.023  typed: donba"), the
 * feedback words summed on one line (JSON lists each). */
static void print_explain(FILE *out, const pt_hit *hit)
{
    if (!hit->explain)
        return;
    double sum = 0;
    size_t shown = 0;
    for (size_t i = 0; i < hit->n_explain; i++) {
        sum += hit->explain[i].score;
        if (is_feedback(&hit->explain[i]))
            continue;
        fprintf(out, INDENT "%s %.3f  ", shown++ ? "+" : "=", hit->explain[i].score);
        if (hit->explain[i].kind)
            fprintf(out, "%s: ", hit->explain[i].kind);
        pt_put_visible_string(out, hit->explain[i].part);
        fputc('\n', out);
    }
    print_feedback_parts(out, hit, shown == 0);
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
        pt_put_visible_string(out, a->source ? a->source : "(no source)");
        fputs(" (", out);
        pt_put_visible_string(out, a->article);
        fprintf(out, ":%u)", a->line);
    }
    fputc('\n', out);
}

static void print_text(FILE *out, const pt_hit *hit, const pt_output *style)
{
    fprintf(out, "%u. %s", hit->rank, style->bold ? BOLD_ON : "");
    pt_put_visible_string(out, hit->title && *hit->title ? hit->title : "(untitled)");
    fputs(style->bold ? BOLD_OFF : "", out);
    if (hit->title_is_first_sentence)
        fputs(" (no headline; first sentence)", out);
    if (hit->source) {
        fputs(" · ", out);
        pt_put_visible_string(out, hit->source);
    }
    if (hit->date) {
        fputs(" · ", out);
        pt_put_visible_string(out, hit->date);
    }
    fputs("\n" INDENT, out);
    pt_put_visible_string(out, shown_path(hit, style));
    fprintf(out, ":%u  (score %.3f)\n", hit->line, hit->score);
    print_explain(out, hit);
    print_also_in(out, hit);
    print_passage(out, hit, style);
    fputc('\n', out);
}

/* --format line: "path:line: first words of the passage…", cut to the width. */
static void print_line(FILE *out, const pt_hit *hit, const pt_output *style)
{
    const char *path = shown_path(hit, style);
    pt_put_visible_string(out, path);
    int head = fprintf(out, ":%u: ", hit->line);
    size_t used = columns(path, strlen(path)) + (head > 0 ? (size_t)head : 0), width = text_width(style), cursor = 0;
    const char *p = hit->passage;
    size_t len = hit->passage_len, i = 0;
    int first = 1;
    while (i < len) {
        while (i < len && is_space(p[i]))
            i++;
        size_t ws = i;
        while (i < len && !is_space(p[i]))
            i++;
        if (ws == i)
            break;
        size_t w = columns(p + ws, i - ws);
        if (!first && used + 1 + w + 1 > width) {
            fputs(ELLIPSIS, out);
            break;
        }
        if (!first)
            fputc(' ', out);
        print_word(out, hit, ws, i, style->bold, &cursor);
        used += w + !first;
        first = 0;
    }
    fputc('\n', out);
}

/* One hit as one line: the object hit_json.c builds (ptserve's too). */
static int print_json(FILE *out, const pt_hit *hit, const char *qid, const json_t *total)
{
    json_t *o = pt_hit_json(hit, qid, total);
    if (!o)
        return -1;
    int rc = json_dumpf(o, out, JSON_COMPACT);
    fputc('\n', out);
    json_decref(o);
    return rc;
}

int pt_put_json_line(FILE *out, json_t *obj, const char *qid)
{
    if (obj && qid && json_object_set_new(obj, "qid", pt_json_text(qid)) != 0) {
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

void pt_output_header(FILE *out, const pt_output *o, const char *qid, const char *query)
{
    if ((o->format == PT_FORMAT_TEXT || o->format == PT_FORMAT_LINE) && qid) {
        fputs("## ", out);
        pt_put_visible_string(out, qid);
        fputs(": ", out);
        pt_put_visible_string(out, query);
        fputs(o->format == PT_FORMAT_TEXT ? "\n\n" : "\n", out);
    }
}

void pt_put_grouped(FILE *out, uint64_t n)
{
    if (n >= 1000) {
        pt_put_grouped(out, n / 1000);
        fprintf(out, ",%03u", (unsigned)(n % 1000));
    } else {
        fprintf(out, "%u", (unsigned)n);
    }
}

/* Text: "N–M of about P passages in A articles" after the hits. */
static void print_totals(FILE *out, const pt_output *o, const pt_hits *hits)
{
    size_t n = pt_hits_count(hits);
    if (!o->totals || o->format != PT_FORMAT_TEXT || !n)
        return;
    unsigned first = pt_hits_get(hits, 0)->rank;
    fprintf(out, "%u-%u of about ", first, pt_hits_get(hits, n - 1)->rank);
    pt_put_grouped(out, pt_hits_matches_estimated(hits));
    fputs(" matching passages", out);
    if (pt_hits_articles_estimated(hits)) { /* none when the time limit cut the count */
        fputs(" in ", out);
        pt_put_grouped(out, pt_hits_articles_estimated(hits));
        fputs(" articles", out);
    }
    fputc('\n', out);
}

static json_t *totals_json(const pt_output *o, const pt_hits *hits)
{
    return o->totals && o->format == PT_FORMAT_JSON ? pt_totals_json(hits) : NULL;
}

int pt_output_hits(FILE *out, const pt_output *o, const pt_hits *hits, const char *qid, const char *query)
{
    pt_output_header(out, o, qid, query);
    json_t *total = totals_json(o, hits);
    int rc = 0;
    for (size_t i = 0; !rc && i < pt_hits_count(hits); i++) {
        const pt_hit *hit = pt_hits_get(hits, i);
        switch (o->format) {
        case PT_FORMAT_TEXT:
            print_text(out, hit, o);
            break;
        case PT_FORMAT_LINE:
            print_line(out, hit, o);
            break;
        case PT_FORMAT_TREC:
            pt_put_visible_string(out, qid ? qid : "1");
            fputs(" Q0 ", out);
            pt_put_visible_string(out, hit->article);
            fprintf(out, " %u %.6f ", hit->rank, hit->score);
            pt_put_visible_string(out, o->runtag ? o->runtag : "ptsearch");
            fputc('\n', out);
            break;
        case PT_FORMAT_JSON:
            rc = print_json(out, hit, qid, total);
            break;
        }
    }
    json_decref(total);
    if (!rc)
        print_totals(out, o, hits);
    return rc;
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
    json_t *obj = shown ? json_pack("{s:o,s:o}", "no_passage_has", pt_json_text(sub->word), "showing", shown) : NULL;
    return pt_put_json_line(out, obj, qid);
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
    return pt_put_json_line(out, json_pack("{s:o}", "suggestion", pt_json_text(suggestion)), qid);
}
