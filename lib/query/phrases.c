/* phrases.c — a "phrase" (and the words of title: and source:) as the
 * plan searches it: each word's position item with its variants, the
 * positional query over them (stopwords dropped inside leave gaps the
 * window spans), and the words kept to mark the phrase whole. */
#include "query/build.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "ptsearch.h"
#include "analysis/stopwords.h"

/* Collects the words of a phrase (or of a field's value) as position items. */
int qb_phrase_cb(const pt_term *t, void *ctx)
{
    phrase_ctx *c = ctx;
    builder *p = c->p;
    if (p->err || (!(t->flags & PT_TERM_PART) && !qb_count_word(p)))
        return p->err;
    if (t->flags & PT_TERM_COMPOUND)
        return PT_OK; /* its parts stand for it */
    if ((p->flags & PT_QUERY_DROP_STOPWORDS) && pt_query_is_stopword(t->word, t->word_len)) {
        p->dropped++;
        return PT_OK;
    }
    if (!c->any)
        c->first = t->pos;
    c->any = 1;
    c->last = t->pos;
    if (!(t->flags & PT_TERM_PART))
        qb_remember_word(p, c->base, t);
    if (c->phrase && !p->negated && qb_begin_phrase_word(p, c->phrase, t->pos - c->first))
        return p->err;
    pos_item it;
    if (qb_make_item(p, &it, c->base, t, c->prefix) == PT_OK && qb_push_item(p, c->n, &it))
        qb_item_free(&it);
    p->phrase_word = NULL;
    return p->err;
}

/* Keeps a phrase of two words or more for highlighting (takes ph). */
static char *phrase_label(const node *n)
{
    size_t len = 3;
    for (size_t i = 0; i < n->n_items; i++)
        len += strlen(n->items[i].term) + 1;
    char *label = malloc(len);
    if (!label)
        return NULL;
    strcpy(label, "\"");
    for (size_t i = 0; i < n->n_items; i++) {
        if (i)
            strcat(label, " ");
        strcat(label, n->items[i].term);
    }
    strcat(label, "\"");
    return label;
}

node qb_phrase_node(builder *p, size_t start, size_t end)
{
    node n = {0};
    pt_query_phrase ph = {0};
    phrase_ctx c = {p, start, "", &n, 0, 0, 0, &ph};
    p->in_phrase++;
    int rc = pt_analyze(p->an, p->text + start, end - start, 0, qb_phrase_cb, &c, NULL);
    p->in_phrase--;
    p->phrase_word = NULL;
    qb_keep_phrase(p, &ph);
    if (rc < 0)
        qb_fail(p, rc);
    if (p->err || n.n_items == 0) {
        qb_node_free(&n);
        return n;
    }
    /* Dropped stopwords leave gaps: the window spans them. */
    unsigned window = c.last - c.first + 1 > n.n_items ? c.last - c.first + 1 : 0;
    n.q = qb_positional(p, PTX_OP_PHRASE, n.items, n.n_items, window);
    if (n.q && n.n_items > 1) {
        char *label = phrase_label(&n);
        n.q = qb_labelled(p, n.q, PTX_PART_PHRASE, label);
        free(label);
    }
    n.kind = n.q ? K_POS : K_NONE;
    p->positives++;
    return n;
}

