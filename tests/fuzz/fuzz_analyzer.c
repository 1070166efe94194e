/* fuzz_analyzer.c — libFuzzer target for the tokenizer and analyzer
 * (lib/analysis/tokenizer.c, lib/analysis/analyzer.c) on any bytes. Besides not crashing,
 * every term must lie inside the text, in order, with the positions the
 * header promises, in valid UTF-8 of bounded length; and the query side
 * (pt_analyzer_stem_word on the term's own bytes) must stem a word as the
 * article side did, or a query would miss what was indexed. */
#include <stdint.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "fuzz.h"
#include "analysis/tokenizer.h"
#include "util/utf8_clean.h"

typedef struct {
    pt_analyzer *an;
    size_t len;
    uint32_t next_pos;     /* position the next non-compound term must have */
    size_t last_end;       /* end of the previous non-compound term */
    int compound_pending;  /* the previous term was a COMPOUND ... */
    pt_term compound;      /* ... with this range and position */
    const char *text;
} walk_state;

static void check_strings(const pt_term *t)
{
    FUZZ_CHECK(t->word_len > 0 && t->word_len <= PT_TOKEN_MAX_BYTES);
    FUZZ_CHECK(strlen(t->word) == t->word_len && pt_utf8_is_clean(t->word, t->word_len));
    FUZZ_CHECK(t->term_len > 0 && strlen(t->term) == t->term_len);
    FUZZ_CHECK(pt_utf8_is_clean(t->term, t->term_len));
}

/* A word analyzed alone stems as it did in the text. */
static void check_query_side(walk_state *s, const pt_term *t)
{
    char want[PT_TOKEN_MAX_BYTES * 4 + 1];
    FUZZ_CHECK(t->term_len < sizeof want);
    memcpy(want, t->term, t->term_len + 1);
    char got[PT_TOKEN_MAX_BYTES * 4 + 1];
    int n = pt_analyzer_stem_word(s->an, s->text + t->start, t->end - t->start, got, sizeof got);
    FUZZ_CHECK(n == (int)t->term_len && memcmp(got, want, t->term_len) == 0);
}

static int on_term(const pt_term *t, void *ctx)
{
    walk_state *s = ctx;
    FUZZ_CHECK(t->start < t->end && t->end <= s->len);
    check_strings(t);
    /* A COMPOUND comes right before its first part, which it covers (and
     * starts at, unless a piece before it normalized to nothing: "ͺ-a-b"). */
    if (s->compound_pending) {
        FUZZ_CHECK(t->start >= s->compound.start && t->end <= s->compound.end);
        FUZZ_CHECK(t->pos == s->compound.pos);
    }
    s->compound_pending = (t->flags & PT_TERM_COMPOUND) != 0;
    if (s->compound_pending) {
        s->compound = *t;
        FUZZ_CHECK(t->pos == s->next_pos);
    } else {
        FUZZ_CHECK(t->pos == s->next_pos);
        FUZZ_CHECK(t->start >= s->last_end);
        s->last_end = t->end;
        s->next_pos++;
    }
    if (!(t->flags & PT_TERM_PART))
        check_query_side(s, t);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pt_analyzer *an;
    if (!an)
        FUZZ_CHECK(pt_analyzer_new(&an) == 0);
    /* A copy of exactly size bytes, so ASan sees any read past the end. */
    char *text = malloc(size ? size : 1);
    FUZZ_CHECK(text != NULL);
    memcpy(text, data, size);
    walk_state s = {an, size, 7, 0, 0, {0}, text};
    uint32_t next = 0;
    FUZZ_CHECK(pt_analyze(an, text, size, 7, on_term, &s, &next) == 0);
    FUZZ_CHECK(!s.compound_pending && next == s.next_pos);
    free(text);
    return 0;
}
