/* suggest.c — "did you mean" (see suggest.h). A typed word the index does
 * not hold (neither its stem nor a spelling variant: a correct rare word
 * stays) is replaced by the most frequent vocabulary term within 1 edit (2
 * for words of 7 letters or more). The index holds stems, so the replacement is spelled as the
 * best passage holding that stem spells it (found by analyzing that
 * passage again), and that word too must be within SUGGEST_MAX_EDITS of
 * the word typed (stems close, words not: Donbass, Doncaster).
 * The query text around the replaced words is copied with control
 * characters and invalid UTF-8 (which separate words, as in the query) as
 * one space: the suggestion is valid UTF-8, safe to print on a terminal. */
#include "rank/suggest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "util/error.h"
#include "ptsearch.h"
#include "store/record.h"
#include "query/variants.h"

#define SUGGEST_MAX_EDITS 2
#define CANDIDATES 4

typedef struct {
    pt_analyzer *an;
    const char *stem;
    char surface[PT_VARIANT_STEM_MAX];
    char folded[PT_VARIANT_STEM_MAX]; /* the analyzer's case-folded word */
    const char *text; /* the passage being analyzed */
    int found;
} surface_ctx;

/* n less a trailing 's ('s, \u2019s): "showing 'Kyiv'", not "'Kyiv\u2019s'". */
static size_t without_possessive(const char *w, size_t n)
{
    if (n > 2 && (w[n - 1] == 's' || w[n - 1] == 'S') && w[n - 2] == '\'')
        return n - 2;
    if (n > 4 && (w[n - 1] == 's' || w[n - 1] == 'S') && memcmp(w + n - 4, "\xE2\x80\x99", 3) == 0)
        return n - 4;
    return n;
}

static int surface_term_cb(const pt_term *t, void *ctx)
{
    surface_ctx *c = ctx;
    if ((t->flags & PT_TERM_COMPOUND) || strcmp(t->term, c->stem) != 0)
        return 0;
    size_t n = t->end - t->start;
    if (n >= sizeof c->surface || t->word_len >= sizeof c->folded)
        return 0;
    n = without_possessive(c->text + t->start, n);
    memcpy(c->surface, c->text + t->start, n);
    c->surface[n] = '\0';
    memcpy(c->folded, t->word, t->word_len);
    c->folded[t->word_len] = '\0';
    c->found = 1;
    return 1;
}

/* The typed word as the analyzer reads it: the term of stem in text. */
static int typed_word(surface_ctx *c, const char *text, size_t len)
{
    c->text = text;
    int rc = pt_analyze(c->an, text, len, 0, surface_term_cb, c, NULL);
    return rc < 0 ? rc : PT_OK;
}

/* 1 when the index holds the typed word: its stem (freq) or a spelling
 * variant (variants.h; not the near terms of a name, which are guesses). */
static int index_holds(int *held, const surface_ctx *typed, ptx_reader *r, uint64_t freq)
{
    *held = freq > 0;
    if (*held || !typed->found)
        return PT_OK;
    pt_variants v;
    int rc = pt_variants_find(&v, typed->an, r, typed->folded, strlen(typed->folded), typed->stem, 0);
    *held = v.n > 0;
    return rc;
}

static int surface_hit_cb(const ptx_hit *hit, void *ctx)
{
    surface_ctx *c = ctx;
    pt_passage_record rec;
    int rc = pt_record_decode_passage(&rec, hit->data, hit->data_len);
    if (rc)
        return rc;
    c->text = rec.text;
    rc = pt_analyze(c->an, rec.text, rec.text_len, 0, surface_term_cb, c, NULL);
    free((char *)rec.text);
    return rc < 0 ? rc : 1;
}

/* How the articles write stem: the word of the best passage holding it. */
static int surface_of(surface_ctx *c, ptx_reader *r)
{
    ptx_query *q = ptx_query_term(c->stem, strlen(c->stem), 1, 0);
    if (!q)
        return PT_ENOMEM;
    ptx_search_opts o = PTX_SEARCH_OPTS_INIT;
    o.max = 1;
    int rc = ptx_reader_search(r, q, &o, surface_hit_cb, c, NULL);
    ptx_query_free(q);
    return rc < 0 ? rc : PT_OK;
}

int pt_surface_form(char *out, size_t cap, pt_analyzer *an, ptx_reader *r, const char *stem)
{
    surface_ctx c = {.an = an, .stem = stem};
    int rc = surface_of(&c, r);
    if (rc)
        return rc;
    snprintf(out, cap, "%s", c.found ? c.surface : stem);
    return PT_OK;
}

static int is_upper(char ch)
{
    return ch >= 'A' && ch <= 'Z';
}

/* The replacement, in the typed word's case: all capitals, capitalised, or
 * lower-case (ASCII letters only; other letters stay as the article has them). */
static void match_case(char *s, const char *typed, size_t typed_len)
{
    int all_upper = typed_len > 1, first_upper = typed_len && is_upper(typed[0]);
    for (size_t i = 0; i < typed_len; i++)
        if (typed[i] >= 'a' && typed[i] <= 'z')
            all_upper = 0;
    for (size_t i = 0; s[i]; i++) {
        if (all_upper || (i == 0 && first_upper))
            s[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
        else if (is_upper(s[i]))
            s[i] = (char)(s[i] + 32);
    }
}

static int append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t c = (*len + n + 1) * 2;
        char *b = realloc(*buf, c);
        if (!b)
            return pt_fail(PT_ENOMEM, "out of memory");
        *buf = b;
        *cap = c;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
    return PT_OK;
}

/* Into *sc, the most frequent vocabulary term within max_edits of the
 * typed stem whose word, as the articles spell it, is within
 * SUGGEST_MAX_EDITS of the typed word (sc->found 0: none). sc->stem points
 * into near. */
static int replacement(surface_ctx *sc, char (*near)[PT_VARIANT_STEM_MAX], const surface_ctx *typed,
                       ptx_reader *r, unsigned max_edits)
{
    uint64_t freqs[CANDIDATES];
    size_t n = 0;
    int rc = pt_near_terms(r, typed->stem, max_edits, near, freqs, CANDIDATES, &n);
    int tried[CANDIDATES] = {0};
    for (size_t round = 0; !rc && round < n; round++) {
        size_t best = n;
        for (size_t k = 0; k < n; k++)
            if (!tried[k] && freqs[k] > 0 && (best == n || freqs[k] > freqs[best]))
                best = k;
        if (best == n)
            break;
        tried[best] = 1;
        sc->stem = near[best];
        sc->found = 0;
        if ((rc = surface_of(sc, r)))
            break;
        if (sc->found && pt_edit_distance(typed->folded, strlen(typed->folded), sc->folded,
                                          strlen(sc->folded), SUGGEST_MAX_EDITS) <= SUGGEST_MAX_EDITS)
            return PT_OK;
        sc->found = 0;
    }
    return rc;
}

/* Appends s[0..n) with each run of control characters and invalid UTF-8
 * bytes as one space. */
static int append_visible(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        utf8proc_int32_t c = 0;
        utf8proc_ssize_t k = 0;
        while (run < n) {
            k = utf8proc_iterate((const utf8proc_uint8_t *)s + run, (utf8proc_ssize_t)(n - run), &c);
            if (k > 0 && utf8proc_category(c) != UTF8PROC_CATEGORY_CC)
                break;
            run += k > 0 ? (size_t)k : 1;
        }
        if (run > i && append(buf, len, cap, " ", 1))
            return PT_ENOMEM;
        if (run == n)
            break;
        if (append(buf, len, cap, s + run, (size_t)k))
            return PT_ENOMEM;
        i = run + (size_t)k;
    }
    return PT_OK;
}

/* Drops leading and trailing spaces (what a separator at either end left). */
static void trim_spaces(char *s, size_t *len)
{
    size_t from = 0;
    while (from < *len && s[from] == ' ')
        from++;
    while (*len > from && s[*len - 1] == ' ')
        (*len)--;
    memmove(s, s + from, *len - from);
    *len -= from;
    s[*len] = '\0';
}

int pt_suggest(char **out, pt_analyzer *an, ptx_reader *r, const char *text, size_t len,
               const pt_query_info *info)
{
    *out = NULL;
    char *buf = NULL;
    size_t blen = 0, cap = 0, copied = 0;
    int changed = 0, rc = PT_OK;
    /* Past the time limit the words replaced so far make the suggestion. */
    for (size_t i = 0; i < info->n_words && !rc && !ptx_reader_out_of_time(r); i++) {
        const pt_query_word *w = &info->words[i];
        size_t slen = strlen(w->stem);
        if (slen < 3 || (w->flags & PT_TERM_NUMERIC) || w->end > len || w->start < copied)
            continue;
        uint64_t freq = 0;
        if ((rc = ptx_reader_termfreq(r, w->stem, &freq)))
            break;
        surface_ctx typed = {.an = an, .stem = w->stem};
        int held = 0;
        if ((rc = typed_word(&typed, text + w->start, w->end - w->start)) ||
            (rc = index_holds(&held, &typed, r, freq)))
            break;
        if (held || !typed.found)
            continue;
        surface_ctx sc = {.an = an};
        char near[CANDIDATES][PT_VARIANT_STEM_MAX];
        if ((rc = replacement(&sc, near, &typed, r, slen >= 7 ? 2 : 1)))
            break;
        if (!sc.found)
            continue;
        match_case(sc.surface, text + w->start, w->end - w->start);
        rc = append_visible(&buf, &blen, &cap, text + copied, w->start - copied);
        if (!rc)
            rc = append(&buf, &blen, &cap, sc.surface, strlen(sc.surface));
        copied = w->end;
        changed = 1;
    }
    if (!rc && changed)
        rc = append_visible(&buf, &blen, &cap, text + copied, len - copied);
    if (rc || !changed) {
        free(buf);
        return rc;
    }
    trim_spaces(buf, &blen);
    *out = buf;
    return PT_OK;
}
