/* recurring.c — owns the per-source table of recurring lines (recurring.h):
 * an open-addressing hash map from (source, normalised line) to the number
 * of the source's articles holding that line, plus each source's article
 * count. Lines are normalised as boilerplate.c does: ASCII lower case, runs
 * of space made one, trailing punctuation dropped; and leading spaces and
 * ASCII punctuation dropped.
 *
 * A line quoted through a thread is not boilerplate: articles with the
 * headline of the first article that had the line ("Re:" aside) add
 * nothing to its count, so the replies of one thread count once.
 *
 * Stored form (metadata PT_META_RECURRING): byte 1 (version), varint n,
 * then n entries of { 8-byte little-endian key, varint count, 8-byte
 * little-endian hash of the first headline }. */
#include "analysis/recurring.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"
#include "ptsearch.h"

/* Beyond this many entries new lines are no longer counted (known ones
 * still are): bounds memory at 32 MB on a corpus of millions of lines. */
enum { RECUR_MAX_ENTRIES = 1 << 21 };

enum { FORMAT_VERSION = 1 };

typedef struct {
    uint64_t key;   /* 0: empty slot */
    uint64_t title; /* headline hash of the first article counted */
    uint32_t count;
} slot;

struct pt_recurring {
    slot *slots;
    size_t cap, n; /* cap is a power of two */
    int dirty;
};

/* -------------------------------------------------------------- hashing */

static uint64_t mix(uint64_t a, uint64_t b)
{
    uint64_t h = a ^ (b + 0x9E3779B97F4A7C15ull + (a << 6) + (a >> 2));
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    return h ? h : 1; /* 0 marks an empty slot */
}

uint64_t pt_recurring_source(const char *source)
{
    return pt_hash_bytes(PT_HASH_SEED, source ? source : "", source ? strlen(source) : 0);
}

/* The hash of a headline, "Re: " and "Fwd: " prefixes and case aside; 0
 * when there is none (then every article counts). */
static uint64_t title_hash(const char *title)
{
    if (!title)
        return 0;
    for (;;) {
        while (*title == ' ')
            title++;
        if (strncasecmp(title, "re:", 3) == 0)
            title += 3;
        else if (strncasecmp(title, "fwd:", 4) == 0)
            title += 4;
        else
            break;
    }
    uint64_t h = PT_HASH_SEED;
    for (; *title; title++) {
        unsigned char c = (unsigned char)*title;
        c = c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
        h = pt_hash_bytes(h, &c, 1);
    }
    return h == PT_HASH_SEED ? 0 : h;
}

/* The key of a source's article count: no line hashes to this tag. */
static uint64_t articles_key(uint64_t source)
{
    return mix(source, 0x41525449434c4553ull /* "ARTICLES" */);
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int is_trailing_punct(unsigned char c)
{
    return is_space(c) || (c != '\0' && strchr(".:!?*|>)-;,", c) != NULL);
}

/* Leading spaces and ASCII punctuation: a scraper leaves quote marks
 * before a line ("''' Scroll down for video.") that do not make it
 * another line. */
static int is_leading_junk(unsigned char c)
{
    return is_space(c) || (c > ' ' && c < 0x7F && !(c >= '0' && c <= '9') && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z'));
}

/* The normalised hash of the line t[start..end) and whether it is a
 * candidate (PT_RECUR_MIN_WORDS..MAX_WORDS words, no digit). */
static int line_hash(const unsigned char *t, size_t start, size_t end, uint64_t *out)
{
    while (start < end && is_leading_junk(t[start]))
        start++;
    while (end > start && is_trailing_punct(t[end - 1]))
        end--;
    uint64_t h = PT_HASH_SEED;
    size_t words = 0;
    int in_word = 0, word_has_letter = 0;
    for (size_t i = start; i <= end; i++) {
        if (i == end || is_space(t[i])) {
            words += in_word && word_has_letter;
            if (in_word && i < end)
                h = pt_hash_bytes(h, " ", 1);
            in_word = word_has_letter = 0;
            if (words > PT_RECUR_MAX_WORDS)
                return 0;
            continue;
        }
        unsigned char c = t[i];
        if (c >= '0' && c <= '9')
            return 0;
        c = c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
        word_has_letter |= (c >= 'a' && c <= 'z') || c >= 0x80;
        in_word = 1;
        h = pt_hash_bytes(h, &c, 1);
    }
    *out = h;
    return words >= PT_RECUR_MIN_WORDS;
}

/* ------------------------------------------------------------ the map */

pt_recurring *pt_recurring_new(void)
{
    pt_recurring *t = calloc(1, sizeof *t);
    if (!t)
        pt_fail(PT_ENOMEM, "out of memory");
    return t;
}

void pt_recurring_free(pt_recurring *t)
{
    if (!t)
        return;
    free(t->slots);
    free(t);
}

static slot *find(const pt_recurring *t, uint64_t key)
{
    if (!t->cap)
        return NULL;
    for (size_t i = key & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        if (t->slots[i].key == key || t->slots[i].key == 0)
            return &t->slots[i];
    }
}

static int grow(pt_recurring *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    slot *old = t->slots;
    size_t old_cap = t->cap;
    t->slots = calloc(cap, sizeof *t->slots);
    if (!t->slots) {
        t->slots = old;
        return pt_fail(PT_ENOMEM, "out of memory (table of recurring lines)");
    }
    t->cap = cap;
    for (size_t i = 0; i < old_cap; i++) {
        if (old[i].key)
            *find(t, old[i].key) = old[i];
    }
    free(old);
    return PT_OK;
}

/* Adds n to key's count (a new key only while there is room), unless an
 * article with the same headline (title, not 0) was counted first. */
static int add(pt_recurring *t, uint64_t key, uint32_t n, uint64_t title)
{
    if ((t->n + 1) * 4 > t->cap * 3 && t->n < RECUR_MAX_ENTRIES) {
        int rc = grow(t);
        if (rc)
            return rc;
    }
    slot *s = find(t, key);
    if (!s || (s->key == 0 && t->n >= RECUR_MAX_ENTRIES))
        return PT_OK;
    if (s->key == 0) {
        s->key = key;
        s->title = title;
        t->n++;
    } else if (title && title == s->title) {
        return PT_OK;
    }
    s->count = s->count > UINT32_MAX - n ? UINT32_MAX : s->count + n;
    t->dirty = 1;
    return PT_OK;
}

static uint32_t count_of(const pt_recurring *t, uint64_t key)
{
    const slot *s = find(t, key);
    return s && s->key == key ? s->count : 0;
}

/* ------------------------------------------------------------ learning */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The distinct candidate line hashes of text, sorted, into *out. */
static int article_lines(const char *text, size_t len, uint64_t **out, size_t *n_out)
{
    const unsigned char *t = (const unsigned char *)text;
    uint64_t *hashes = NULL;
    size_t n = 0, cap = 0;
    for (size_t line = 0; line < len;) {
        const unsigned char *nl = memchr(t + line, '\n', len - line);
        size_t end = nl ? (size_t)(nl - t) : len;
        uint64_t h;
        if (line_hash(t, line, end, &h)) {
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                uint64_t *grown = realloc(hashes, cap * sizeof *grown);
                if (!grown) {
                    free(hashes);
                    return pt_fail(PT_ENOMEM, "out of memory");
                }
                hashes = grown;
            }
            hashes[n++] = h;
        }
        line = end + 1;
    }
    if (n)
        qsort(hashes, n, sizeof *hashes, cmp_u64);
    size_t unique = 0;
    for (size_t i = 0; i < n; i++) {
        if (unique == 0 || hashes[unique - 1] != hashes[i])
            hashes[unique++] = hashes[i];
    }
    *out = hashes;
    *n_out = unique;
    return PT_OK;
}

int pt_recurring_learn(pt_recurring *t, const char *source, const char *title, const char *text,
                       size_t len)
{
    uint64_t src = pt_recurring_source(source), headline = title_hash(title);
    uint64_t *hashes = NULL;
    size_t n = 0;
    int rc = article_lines(text, len, &hashes, &n);
    if (!rc)
        rc = add(t, articles_key(src), 1, 0);
    for (size_t i = 0; !rc && i < n; i++)
        rc = add(t, mix(src, hashes[i]), 1, headline);
    free(hashes);
    return rc;
}

int pt_recurring_is_boilerplate(const pt_recurring *t, uint64_t source, const char *text, size_t start,
                                size_t end)
{
    uint64_t h;
    if (!t || !line_hash((const unsigned char *)text, start, end, &h))
        return 0;
    uint64_t seen = count_of(t, mix(source, h));
    return seen >= PT_RECUR_MIN_ARTICLES &&
           seen * PT_RECUR_SHARE >= count_of(t, articles_key(source));
}

/* -------------------------------------------------------------- storage */

int pt_recurring_dirty(const pt_recurring *t)
{
    return t && t->dirty;
}

static int append_u64(pt_buf *out, uint64_t v)
{
    uint8_t bytes[8];
    for (int b = 0; b < 8; b++)
        bytes[b] = (uint8_t)(v >> (8 * b));
    return pt_buf_append(out, bytes, sizeof bytes);
}

static int read_u64(pt_cursor *r, uint64_t *out)
{
    if (r->end - r->p < 8)
        return pt_fail(PT_ECORRUPT, "table of recurring lines: truncated");
    *out = 0;
    for (int b = 0; b < 8; b++)
        *out |= (uint64_t)r->p[b] << (8 * b);
    r->p += 8;
    return PT_OK;
}

int pt_recurring_encode(pt_recurring *t, pt_buf *out)
{
    int rc = pt_buf_append_byte(out, FORMAT_VERSION);
    if (!rc) rc = pt_buf_append_varint(out, t->n);
    for (size_t i = 0; !rc && i < t->cap; i++) {
        if (!t->slots[i].key)
            continue;
        rc = append_u64(out, t->slots[i].key);
        if (!rc) rc = pt_buf_append_varint(out, t->slots[i].count);
        if (!rc) rc = append_u64(out, t->slots[i].title);
    }
    if (!rc)
        t->dirty = 0;
    return rc;
}

static void clear(pt_recurring *t)
{
    if (t->slots)
        memset(t->slots, 0, t->cap * sizeof *t->slots);
    t->n = 0;
}

int pt_recurring_decode(pt_recurring *t, const void *data, size_t len)
{
    pt_cursor r = {data, (const uint8_t *)data + len};
    uint8_t version = 0;
    uint64_t n = 0;
    clear(t);
    int rc = pt_read_byte(&r, &version);
    if (!rc) rc = pt_read_varint(&r, &n);
    if (!rc && (version != FORMAT_VERSION || n > (uint64_t)(r.end - r.p) / 17))
        rc = pt_fail(PT_ECORRUPT, "table of recurring lines: bad header");
    for (uint64_t i = 0; !rc && i < n; i++) {
        uint64_t key = 0, count = 0, title = 0;
        rc = read_u64(&r, &key);
        if (!rc) rc = pt_read_varint(&r, &count);
        if (!rc) rc = read_u64(&r, &title);
        if (!rc && key)
            rc = add(t, key, count > UINT32_MAX ? UINT32_MAX : (uint32_t)count, 0);
        slot *s = !rc && key ? find(t, key) : NULL;
        if (s && s->key == key)
            s->title = title;
    }
    if (rc == PT_ECORRUPT)
        clear(t);
    t->dirty = rc != 0; /* a damaged table is written anew */
    return rc;
}
