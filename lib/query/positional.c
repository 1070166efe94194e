/* positional.c — PHRASE and NEAR checked in a candidate passage's text
 * (positional.h): which part each of its terms stands for, where each part
 * is, and whether those positions hold the phrase (one cursor per part) or
 * the NEAR window (a sliding window, or a bipartite matching of parts to
 * positions when a word is in two parts). */
#include "query/positional.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "ptsearch.h"

/* ------------------------------------------------------------- PHRASE */

/* The earliest chain from each position of part 0 (pos[start[i]..start[i+1])
 * are part i's positions, ascending): as the start moves right, each part's
 * earliest position only moves right too, so one cursor (at) per part
 * suffices. */
static int chain_within(const uint32_t *pos, const size_t *start, size_t *at, size_t n_parts, unsigned window)
{
    for (size_t i = 0; i < n_parts; i++)
        at[i] = start[i];
    for (size_t f = start[0]; f < start[1]; f++) {
        uint32_t first = pos[f], last = first;
        for (size_t i = 1; i < n_parts; i++) {
            while (at[i] < start[i + 1] && pos[at[i]] <= last)
                at[i]++;
            if (at[i] == start[i + 1])
                return 0;
            last = pos[at[i]];
        }
        if (last - first < window)
            return 1;
    }
    return 0;
}

int pt_phrase_matches(const pt_position *ps, size_t n, size_t n_parts, unsigned window)
{
    if (n_parts == 0 || n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (ps[i].part >= n_parts)
            return pt_fail(PT_EINVAL, "a position of part %u of %zu", ps[i].part, n_parts);
    size_t *start = calloc(2 * n_parts + 1, sizeof *start);
    uint32_t *pos = malloc(n * sizeof *pos);
    if (!start || !pos) {
        free(start);
        free(pos);
        return pt_fail(PT_ENOMEM, "out of memory");
    }
    size_t *at = start + n_parts + 1;
    /* Each part's positions together, in order (a counting sort). */
    for (size_t i = 0; i < n; i++)
        start[ps[i].part + 1]++;
    int every_part = 1;
    for (size_t p = 0; p < n_parts; p++) {
        every_part &= start[p + 1] > 0;
        start[p + 1] += start[p];
        at[p] = start[p];
    }
    for (size_t i = 0; i < n; i++)
        pos[at[ps[i].part]++] = ps[i].pos;
    int found = every_part && chain_within(pos, start, at, n_parts, window);
    free(start);
    free(pos);
    return found;
}

/* --------------------------------------------------------------- NEAR */

/* Scratch of one NEAR check, over ps[lo..hi) (one window). */
typedef struct {
    const pt_position *ps;
    size_t lo, hi;
    uint32_t *distinct; /* the window's distinct positions, ascending */
    size_t n_distinct;
    long *owner;        /* per distinct position: the part matched to it, or -1 */
    unsigned char *seen;
} matching;

static size_t distinct_index(const matching *m, uint32_t pos)
{
    size_t lo = 0, hi = m->n_distinct;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->distinct[mid] < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Kuhn's augmenting path for part: a free position of it, or one whose
 * owner can move to another. */
static int augment(matching *m, size_t part)
{
    for (size_t e = m->lo; e < m->hi; e++) {
        if (m->ps[e].part != part)
            continue;
        size_t k = distinct_index(m, m->ps[e].pos);
        if (m->seen[k])
            continue;
        m->seen[k] = 1;
        if (m->owner[k] < 0 || augment(m, (size_t)m->owner[k])) {
            m->owner[k] = (long)part;
            return 1;
        }
    }
    return 0;
}

/* Whether every part has a position of its own in ps[lo..hi). */
static int matches_all(matching *m, size_t n_parts)
{
    m->n_distinct = 0;
    for (size_t e = m->lo; e < m->hi; e++)
        if (m->n_distinct == 0 || m->distinct[m->n_distinct - 1] != m->ps[e].pos)
            m->distinct[m->n_distinct++] = m->ps[e].pos;
    if (m->n_distinct < n_parts)
        return 0;
    for (size_t k = 0; k < m->n_distinct; k++)
        m->owner[k] = -1;
    for (size_t part = 0; part < n_parts; part++) {
        memset(m->seen, 0, m->n_distinct);
        if (!augment(m, part))
            return 0;
    }
    return 1;
}

/* Each window start (a distinct position) tries a matching of parts to
 * the positions of its window. */
static int near_by_matching(const pt_position *ps, size_t n, size_t n_parts, unsigned window)
{
    matching m = {.ps = ps};
    m.distinct = malloc(n * sizeof *m.distinct);
    m.owner = malloc(n * sizeof *m.owner);
    m.seen = malloc(n);
    int found = 0;
    if (!m.distinct || !m.owner || !m.seen)
        found = pt_fail(PT_ENOMEM, "out of memory");
    for (size_t lo = 0; !found && lo < n; lo++) {
        if (lo > 0 && ps[lo].pos == ps[lo - 1].pos)
            continue;
        size_t hi = lo;
        while (hi < n && ps[hi].pos - ps[lo].pos < window)
            hi++;
        m.lo = lo;
        m.hi = hi;
        found = matches_all(&m, n_parts);
    }
    free(m.distinct);
    free(m.owner);
    free(m.seen);
    return found;
}

/* With no two parts at one position, positions are distinct by
 * themselves: the shortest span holding every part (count: per part, its
 * positions in the span). */
static int near_by_span(const pt_position *ps, size_t n, size_t n_parts, unsigned window, size_t *count)
{
    size_t covered = 0, lo = 0;
    for (size_t hi = 0; hi < n; hi++) {
        if (count[ps[hi].part]++ == 0)
            covered++;
        while (covered == n_parts) {
            if (ps[hi].pos - ps[lo].pos < window)
                return 1;
            if (--count[ps[lo].part] == 0)
                covered--;
            lo++;
        }
    }
    return 0;
}

int pt_near_matches(const pt_position *ps, size_t n, size_t n_parts, unsigned window)
{
    if (n_parts == 0 || n == 0)
        return 0;
    size_t *count = calloc(n_parts, sizeof *count);
    if (!count)
        return pt_fail(PT_ENOMEM, "out of memory");
    int shared = 0; /* two parts at one position */
    for (size_t i = 0; i < n; i++) {
        if (ps[i].part >= n_parts) {
            free(count);
            return pt_fail(PT_EINVAL, "a position of part %u of %zu", ps[i].part, n_parts);
        }
        count[ps[i].part] = 1;
        shared |= i > 0 && ps[i].pos == ps[i - 1].pos && ps[i].part != ps[i - 1].part;
    }
    int every_part = 1;
    for (size_t p = 0; p < n_parts; p++) {
        every_part &= count[p] > 0;
        count[p] = 0;
    }
    int found = !every_part ? 0
                : shared    ? near_by_matching(ps, n, n_parts, window)
                            : near_by_span(ps, n, n_parts, window, count);
    free(count);
    return found;
}

/* ------------------------------------------------- the check of a query */

/* One term of the query and the part it is in. */
typedef struct {
    char *term;
    size_t len;
    uint32_t part;
} part_term;

/* What a positional query checks, and the scratch of one candidate. */
typedef struct {
    int near;
    unsigned window;
    size_t n_parts;
    pt_buf terms;     /* part_term[], each part's terms in turn */
    pt_postings_fn fn;
    void *fn_ctx;
    pt_buf positions; /* pt_position[] of the candidate being checked */
    int status;       /* of the first failure inside fn's callback */
} positional;

static size_t n_terms(const positional *c)
{
    return c->terms.len / sizeof(part_term);
}

static void positional_free(void *ctx)
{
    positional *c = ctx;
    if (!c)
        return;
    part_term *t = (part_term *)c->terms.data;
    for (size_t i = 0; i < n_terms(c); i++)
        free(t[i].term);
    pt_buf_free(&c->terms);
    pt_buf_free(&c->positions);
    free(c);
}

typedef struct {
    positional *c;
    uint32_t part;
} adding;

static int add_term(const char *term, size_t len, void *ctx)
{
    adding *a = ctx;
    part_term t = {strndup(term, len), len, a->part};
    if (!t.term || pt_buf_append(&a->c->terms, &t, sizeof t)) {
        free(t.term);
        return pt_fail(PT_ENOMEM, "out of memory");
    }
    return 0;
}

/* Notes the parts a term of the candidate stands in (a word may be in
 * several parts). */
static int note_posting(const char *term, size_t len, uint32_t pos, void *ctx)
{
    positional *c = ctx;
    const part_term *t = (const part_term *)c->terms.data;
    for (size_t i = 0; i < n_terms(c); i++) {
        if (t[i].len != len || memcmp(t[i].term, term, len) != 0)
            continue;
        pt_position p = {pos, t[i].part};
        if (pt_buf_append(&c->positions, &p, sizeof p))
            return c->status = pt_fail(PT_ENOMEM, "out of memory");
    }
    return 0;
}

/* The ptx_doc_check_fn of the query: 1 keeps the candidate. */
static int check_candidate(const char *data, size_t len, void *ctx)
{
    positional *c = ctx;
    pt_buf_reset(&c->positions);
    c->status = 0;
    int rc = c->fn(data, len, note_posting, c, c->fn_ctx);
    if (c->status)
        return c->status;
    if (rc < 0)
        return rc;
    const pt_position *ps = (const pt_position *)c->positions.data;
    size_t n = c->positions.len / sizeof *ps;
    return c->near ? pt_near_matches(ps, n, c->n_parts, c->window)
                   : pt_phrase_matches(ps, n, c->n_parts, c->window);
}

ptx_query *pt_positional_query(enum ptx_op op, ptx_query *const *parts, size_t n, unsigned window,
                               const char *unless, pt_postings_fn fn, void *ctx)
{
    if ((op != PTX_OP_PHRASE && op != PTX_OP_NEAR) || n < 2 || !fn) {
        pt_fail(PT_EINVAL, "a positional query is a PHRASE or NEAR of two parts or more");
        return NULL;
    }
    positional *c = calloc(1, sizeof *c);
    if (!c) {
        pt_fail(PT_ENOMEM, "out of memory");
        return NULL;
    }
    c->near = op == PTX_OP_NEAR;
    c->window = window ? window : (unsigned)n;
    c->n_parts = n;
    c->fn = fn;
    c->fn_ctx = ctx;
    for (size_t i = 0; i < n; i++) {
        adding a = {c, (uint32_t)i};
        if (ptx_query_terms(parts[i], add_term, &a)) {
            positional_free(c);
            return NULL;
        }
    }
    /* The binding owns c from here, and frees it with the query. */
    return ptx_query_positional(op, parts, n, window, unless, check_candidate, c, positional_free);
}
