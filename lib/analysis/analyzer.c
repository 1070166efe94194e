/* analyzer.c — owns the pipeline behind analyzer.h: tokenizer → stemmer →
 * pt_term callbacks, and the position numbering (a COMPOUND shares the
 * position of the part after it; every other token takes the next one).
 * Articles and queries both come through here, so they get the same terms. */
#include "analysis/analyzer.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "ptsearch.h"
#include "analysis/stemmer.h"
#include "analysis/tokenizer.h"

struct pt_analyzer {
    pt_tokenizer *text_tok; /* for pt_analyze */
    pt_tokenizer *word_tok; /* for pt_analyzer_stem_word, which a callback
                             * of pt_analyze may call */
    pt_stemmer *stemmer;
    char term[PT_TOKEN_MAX_BYTES * 4]; /* the stem handed to the callback */
};

int pt_analyzer_new(pt_analyzer **out)
{
    *out = NULL;
    pt_analyzer *an = calloc(1, sizeof *an);
    if (!an)
        return pt_fail(PT_ENOMEM, "analyzer: out of memory");
    int rc = pt_tokenizer_new(&an->text_tok);
    if (!rc)
        rc = pt_tokenizer_new(&an->word_tok);
    if (!rc)
        rc = pt_stemmer_new(&an->stemmer);
    if (rc) {
        pt_analyzer_free(an);
        return rc;
    }
    *out = an;
    return PT_OK;
}

void pt_analyzer_free(pt_analyzer *an)
{
    if (!an)
        return;
    pt_tokenizer_free(an->text_tok);
    pt_tokenizer_free(an->word_tok);
    pt_stemmer_free(an->stemmer);
    free(an);
}

static int stem_token(pt_analyzer *an, const pt_token *t, const char **stem, size_t *len)
{
    bool cyrillic = (t->flags & PT_TERM_CYRILLIC) != 0;
    return pt_stemmer_stem(an->stemmer, t->text, t->len, cyrillic, stem, len);
}

/* Fills *term from token t at position pos, the stem copied into an->term
 * so that it survives stemmer calls made by the callback. */
static int make_term(pt_analyzer *an, const pt_token *t, uint32_t pos, pt_term *term)
{
    const char *stem;
    size_t stem_len;
    int rc = stem_token(an, t, &stem, &stem_len);
    if (rc)
        return rc;
    if (stem_len >= sizeof an->term)
        stem_len = sizeof an->term - 1;
    memcpy(an->term, stem, stem_len);
    an->term[stem_len] = '\0';
    *term = (pt_term){
        .term = an->term, .term_len = stem_len,
        .word = t->text, .word_len = t->len,
        .pos = pos, .start = t->start, .end = t->end, .flags = t->flags,
    };
    return PT_OK;
}

int pt_analyze(pt_analyzer *an, const char *text, size_t len, uint32_t first_pos,
               pt_term_cb cb, void *ctx, uint32_t *next_pos_out)
{
    uint32_t pos = first_pos;
    pt_token t;
    int rc;
    pt_tokenizer_reset(an->text_tok, text, len);
    while ((rc = pt_tokenizer_next(an->text_tok, &t)) == 1) {
        pt_term term;
        if ((rc = make_term(an, &t, pos, &term)))
            break;
        if (!(t.flags & PT_TERM_COMPOUND))
            pos++;
        if ((rc = cb(&term, ctx)))
            break;
    }
    if (next_pos_out)
        *next_pos_out = pos;
    return rc;
}

/* The word's first token is what counts: for "20-point" or "U.S." that is
 * the compound form, for "Ukraine's" the word itself. */
int pt_analyzer_stem_word(pt_analyzer *an, const char *word, size_t len, char *buf,
                          size_t bufsize)
{
    pt_token t;
    pt_tokenizer_reset(an->word_tok, word, len);
    int rc = pt_tokenizer_next(an->word_tok, &t);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return pt_fail(PT_EINVAL, "analyzer: no word to stem in \"%.*s\"", (int)(len > 64 ? 64 : len), word);
    const char *stem;
    size_t stem_len;
    if ((rc = stem_token(an, &t, &stem, &stem_len)))
        return rc;
    if (stem_len + 1 > bufsize)
        return pt_fail(PT_ERROR, "analyzer: stem of %zu bytes does not fit in %zu", stem_len, bufsize);
    memcpy(buf, stem, stem_len + 1);
    return (int)stem_len;
}
