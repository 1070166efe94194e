/* info.c — what a parsed query tells its caller besides the query itself
 * (query.h, pt_query_info): the terms to highlight and their kinds, the
 * words typed (for "did you mean"), typed words no passage holds, phrases
 * to mark whole, pairs for the proximity bonus, and the OR of what holds a
 * typed word (typed_any, the gate of title and feedback words). */
#include "query/build.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "ptsearch.h"

/* ------------------------------------------------------------ highlighting */

/* Adds term to the phrase word being collected (p->phrase_word). */
static int remember_phrase_term(builder *p, const char *term)
{
    pt_query_phrase_word *w = p->phrase_word;
    char **grown = realloc(w->terms, (w->n_terms + 2) * sizeof *grown);
    if (!grown)
        return qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
    w->terms = grown;
    if (!(w->terms[w->n_terms] = strdup(term)))
        return qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
    w->terms[++w->n_terms] = NULL;
    return PT_OK;
}

/* Remembers term for highlighting as kind (pt_mark_kind; in a phrase,
 * every term is a phrase word). */
int qb_remember_term(builder *p, const char *term, pt_mark_kind kind)
{
    pt_query_terms *t = &p->info->terms;
    if (p->negated)
        return PT_OK;
    if (p->phrase_word && remember_phrase_term(p, term))
        return p->err;
    if (p->in_phrase)
        kind = PT_MARK_PHRASE;
    for (size_t i = 0; i < t->n; i++) {
        if (strcmp(t->terms[i], term) == 0) {
            if (kind < t->kinds[i])
                t->kinds[i] = (unsigned char)kind;
            return PT_OK;
        }
    }
    if (t->n + 1 >= t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8;
        char **np = realloc(t->terms, cap * sizeof *np);
        unsigned char *nk = np ? realloc(t->kinds, cap) : NULL;
        if (np)
            t->terms = np;
        if (!nk)
            return qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
        t->kinds = nk;
        t->cap = cap;
    }
    if (!(t->terms[t->n] = strdup(term)))
        return qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
    t->kinds[t->n] = (unsigned char)kind;
    t->terms[++t->n] = NULL;
    return PT_OK;
}

void qb_remember_word(builder *p, size_t base, const pt_term *t)
{
    pt_query_info *in = p->info;
    if (p->negated || p->err)
        return;
    if (in->n_words == in->cap_words) {
        size_t cap = in->cap_words ? in->cap_words * 2 : 8;
        pt_query_word *w = realloc(in->words, cap * sizeof *w);
        if (!w) {
            qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
            return;
        }
        in->words = w;
        in->cap_words = cap;
    }
    pt_query_word *w = &in->words[in->n_words];
    if (!(w->stem = strdup(t->term))) {
        qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
        return;
    }
    w->start = base + t->start;
    w->end = base + t->end;
    w->flags = t->flags;
    in->n_words++;
}

/* ----------------------------------------------------------- typed words */

/* Records a copy of q as holding a word typed (info->typed_any). */
void qb_gate_add(builder *p, const pt_plan *q)
{
    if (p->negated || p->err || !q)
        return;
    if (p->n_gate == p->cap_gate) {
        size_t cap = p->cap_gate ? p->cap_gate * 2 : 16;
        pt_plan **g = realloc(p->gate, cap * sizeof *g);
        if (!g) {
            qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
            return;
        }
        p->gate = g;
        p->cap_gate = cap;
    }
    if ((p->gate[p->n_gate] = qb_copied(p, q)) != NULL)
        p->n_gate++;
}

void qb_gate_free(builder *p)
{
    for (size_t i = 0; i < p->n_gate; i++)
        pt_plan_free(p->gate[i]);
    free(p->gate);
    p->gate = NULL;
    p->n_gate = p->cap_gate = 0;
}

/* ------------------------------------------------------- absent words */

/* Whether list (space-separated) has word. */
static int listed(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *at = list; (at = strstr(at, word)) != NULL; at += n)
        if ((at == list || at[-1] == ' ') && (at[n] == ' ' || at[n] == '\0'))
            return 1;
    return 0;
}

/* Records that typed word t, when no passage holds it, is searched through
 * stems[0..n) (its variants or related words), for "no passage has".
 * stride is the size of one entry of stems. */
void qb_note_absent(builder *p, const pt_term *t, const char *stems, size_t stride, size_t n)
{
    pt_query_info *in = p->info;
    uint64_t freq = 0;
    if (p->negated || p->err || n == 0 || !p->r)
        return;
    int rc = ptx_reader_termfreq(p->r, t->term, &freq);
    if (rc || freq) {
        if (rc)
            qb_fail(p, rc);
        return;
    }
    size_t at = 0;
    while (at < in->n_absent && (strlen(in->absent[at].word) != t->word_len ||
                                 memcmp(in->absent[at].word, t->word, t->word_len) != 0))
        at++;
    if (at == in->n_absent) {
        pt_query_absent *a = realloc(in->absent, (in->n_absent + 1) * sizeof *a);
        if (!a) {
            qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
            return;
        }
        in->absent = a;
        a[at].word = pt_strdupf("%.*s", (int)t->word_len, t->word);
        a[at].shown = strdup("");
        in->n_absent++;
    }
    for (size_t i = 0; i < n && in->absent[at].word && in->absent[at].shown; i++) {
        const char *stem = stems + i * stride;
        if (listed(in->absent[at].shown, stem))
            continue;
        char *more = pt_strdupf("%s%s%s", in->absent[at].shown, in->absent[at].shown[0] ? " " : "", stem);
        free(in->absent[at].shown);
        in->absent[at].shown = more;
    }
    if (!in->absent[at].word || !in->absent[at].shown)
        qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
}

void qb_phrase_free(pt_query_phrase *ph)
{
    for (size_t i = 0; i < ph->n_words; i++) {
        for (size_t k = 0; k < ph->words[i].n_terms; k++)
            free(ph->words[i].terms[k]);
        free(ph->words[i].terms);
    }
    free(ph->words);
    memset(ph, 0, sizeof *ph);
}

/* Starts collecting the terms of the phrase word at pos (remember_term). */
int qb_begin_phrase_word(builder *p, pt_query_phrase *ph, uint32_t offset)
{
    pt_query_phrase_word *grown = realloc(ph->words, (ph->n_words + 1) * sizeof *grown);
    if (!grown)
        return qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
    ph->words = grown;
    ph->words[ph->n_words] = (pt_query_phrase_word){offset, NULL, 0};
    p->phrase_word = &ph->words[ph->n_words++];
    return PT_OK;
}

void qb_keep_phrase(builder *p, pt_query_phrase *ph)
{
    pt_query_info *in = p->info;
    pt_query_phrase *grown = ph->n_words >= 2 && !p->err ? realloc(in->phrases, (in->n_phrases + 1) * sizeof *grown) : NULL;
    if (!grown) {
        qb_phrase_free(ph);
        return;
    }
    in->phrases = grown;
    in->phrases[in->n_phrases++] = *ph;
}

/* "secur guarante" from a phrase's items, for --explain. */
/* Proximity: each pair of juxtaposed words (the last typed term of one
 * item, the first of the next) is recorded for the proximity bonus, which
 * search.c adds to the passages it fetched (query.h). */
void qb_add_proximity(builder *p, node *items, size_t n)
{
    pt_query_info *in = p->info;
    for (size_t i = 0; i + 1 < n && !p->err && !p->negated; i++) {
        node *a = &items[i], *b = &items[i + 1];
        if (a->kind != K_POS || b->kind != K_POS || !a->n_items || !b->n_items)
            continue;
        if (in->n_pairs == in->cap_pairs) {
            size_t cap = in->cap_pairs ? in->cap_pairs * 2 : 4;
            pt_query_pair *grown = realloc(in->pairs, cap * sizeof *grown);
            if (!grown) {
                qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
                return;
            }
            in->pairs = grown;
            in->cap_pairs = cap;
        }
        pt_query_pair *pair = &in->pairs[in->n_pairs];
        pair->a = strdup(a->items[a->n_items - 1].term);
        pair->b = strdup(b->items[0].term);
        in->n_pairs++;
        if (!pair->a || !pair->b)
            qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
    }
}

void pt_query_info_free(pt_query_info *info)
{
    for (size_t i = 0; i < info->terms.n; i++)
        free(info->terms.terms[i]);
    free(info->terms.terms);
    for (size_t i = 0; i < info->n_words; i++)
        free(info->words[i].stem);
    free(info->words);
    for (size_t i = 0; i < info->n_pairs; i++) {
        free(info->pairs[i].a);
        free(info->pairs[i].b);
    }
    free(info->pairs);
    for (size_t i = 0; i < info->n_absent; i++) {
        free(info->absent[i].word);
        free(info->absent[i].shown);
    }
    free(info->absent);
    pt_translated_free(info->typed_any);
    for (size_t i = 0; i < info->n_phrases; i++)
        qb_phrase_free(&info->phrases[i]);
    free(info->phrases);
    free(info->terms.kinds);
    memset(info, 0, sizeof *info);
}
