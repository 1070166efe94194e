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
 * Stored form: cut by the top PT_RECUR_BUCKET_BITS bits of each key into
 * PT_RECUR_BUCKETS buckets, each its own metadata entry (PT_META_RECURRING
 * and the bucket in hex), so that a commit rewrites only the buckets that
 * changed (one table of 3.5 MB on CNN/Daily Mail was rewritten whole at
 * every commit: most of what adding one article wrote). A bucket: byte 2
 * (version; 1 was the whole table in one entry), varint n, then n entries
 * in key order of { varint key - the previous key (the first: key - the
 * bucket's first key), varint count, 4-byte little-endian headline hash }. */
#include "analysis/recurring.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"
#include "ptsearch.h"

/* Beyond this many entries new lines are no longer counted (known ones
 * still are): bounds memory at 32 MB on a corpus of millions of lines. */
enum { RECUR_MAX_ENTRIES = 1 << 21 };

enum { FORMAT_VERSION = 2 };

typedef struct {
    uint64_t key;   /* 0: empty slot */
    uint32_t title; /* headline hash of the first article counted */
    uint32_t count;
} slot;

struct pt_recurring {
    slot *slots;
    size_t cap, n; /* cap is a power of two */
    int dirty;
    uint8_t dirty_bucket[PT_RECUR_BUCKETS]; /* written at the next store */
    pt_recurring_load_fn load;              /* reads a stored bucket, or NULL */
    void *load_ctx;
    uint8_t loaded[PT_RECUR_BUCKETS];       /* load was called for it */
    int load_error;                         /* the first failed load */
};

static unsigned bucket_of(uint64_t key)
{
    return (unsigned)(key >> (64 - PT_RECUR_BUCKET_BITS));
}

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

/* The hash of a headline, "Re: " and "Fwd: " prefixes and case aside,
 * folded to 32 bits (two headlines of one line's articles taken for one
 * once in 4 billion); 0 when there is none (then every article counts). */
static uint32_t title_hash(const char *title)
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
    if (h == PT_HASH_SEED)
        return 0;
    uint32_t folded = (uint32_t)(h ^ (h >> 32));
    return folded ? folded : 1;
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

/* Reads key's bucket from the index the first time it is needed: adding
 * one article reads a few dozen buckets, not the whole table (3.5 MB on
 * CNN/Daily Mail, 80% of the instructions of an add). A failure is kept
 * for learn and store to return: a lookup has no way to. */
static void need_bucket(pt_recurring *t, uint64_t key)
{
    unsigned b = bucket_of(key);
    if (!t->load || t->loaded[b])
        return;
    t->loaded[b] = 1; /* before: decoding the bucket looks keys up */
    int rc = t->load(b, t->load_ctx);
    if (rc && !t->load_error)
        t->load_error = rc;
}

void pt_recurring_set_loader(pt_recurring *t, pt_recurring_load_fn load, void *ctx)
{
    t->load = load;
    t->load_ctx = ctx;
}

int pt_recurring_load_all(pt_recurring *t)
{
    for (uint64_t b = 0; b < PT_RECUR_BUCKETS; b++)
        need_bucket(t, b << (64 - PT_RECUR_BUCKET_BITS));
    return t->load_error;
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

/* The slot of key, or of its place when new (growing the table first);
 * *out NULL when key is new and the table is full (RECUR_MAX_ENTRIES). */
static int slot_for(pt_recurring *t, uint64_t key, slot **out)
{
    *out = NULL;
    if ((t->n + 1) * 4 > t->cap * 3 && t->n < RECUR_MAX_ENTRIES) {
        int rc = grow(t);
        if (rc)
            return rc;
    }
    slot *s = find(t, key);
    if (s && !(s->key == 0 && t->n >= RECUR_MAX_ENTRIES))
        *out = s;
    return PT_OK;
}

/* Adds n to key's count (a new key only while there is room), unless an
 * article with the same headline (title, not 0) was counted first. */
static int add(pt_recurring *t, uint64_t key, uint32_t n, uint32_t title)
{
    need_bucket(t, key);
    slot *s = NULL;
    int rc = slot_for(t, key, &s);
    if (rc || !s)
        return rc;
    if (s->key == 0) {
        s->key = key;
        s->title = title;
        t->n++;
    } else if (title && title == s->title) {
        return PT_OK;
    }
    s->count = s->count > UINT32_MAX - n ? UINT32_MAX : s->count + n;
    t->dirty = 1;
    t->dirty_bucket[bucket_of(key)] = 1;
    return PT_OK;
}

static uint32_t count_of(pt_recurring *t, uint64_t key)
{
    need_bucket(t, key);
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
    uint64_t src = pt_recurring_source(source);
    uint32_t headline = title_hash(title);
    uint64_t *hashes = NULL;
    size_t n = 0;
    int rc = article_lines(text, len, &hashes, &n);
    if (!rc)
        rc = add(t, articles_key(src), 1, 0);
    for (size_t i = 0; !rc && i < n; i++)
        rc = add(t, mix(src, hashes[i]), 1, headline);
    free(hashes);
    return rc ? rc : t->load_error;
}

int pt_recurring_is_boilerplate(pt_recurring *t, uint64_t source, const char *text, size_t start,
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

static int append_u32(pt_buf *out, uint32_t v)
{
    uint8_t bytes[4];
    for (int b = 0; b < 4; b++)
        bytes[b] = (uint8_t)(v >> (8 * b));
    return pt_buf_append(out, bytes, sizeof bytes);
}

static int read_u32(pt_cursor *r, uint32_t *out)
{
    if (r->end - r->p < 4)
        return pt_fail(PT_ECORRUPT, "table of recurring lines: truncated");
    *out = 0;
    for (int b = 0; b < 4; b++)
        *out |= (uint32_t)r->p[b] << (8 * b);
    r->p += 4;
    return PT_OK;
}

static int cmp_slot_key(const void *a, const void *b)
{
    return cmp_u64(&((const slot *)a)->key, &((const slot *)b)->key);
}

/* The entries of the dirty buckets, sorted by key (so by bucket). */
static int dirty_entries(const pt_recurring *t, slot **out, size_t *n_out)
{
    slot *e = malloc((t->n ? t->n : 1) * sizeof *e);
    if (!e)
        return pt_fail(PT_ENOMEM, "out of memory (table of recurring lines)");
    size_t n = 0;
    for (size_t i = 0; i < t->cap; i++) {
        if (t->slots[i].key && t->dirty_bucket[bucket_of(t->slots[i].key)])
            e[n++] = t->slots[i];
    }
    if (n)
        qsort(e, n, sizeof *e, cmp_slot_key);
    *out = e;
    *n_out = n;
    return PT_OK;
}

static int encode_bucket(pt_buf *out, unsigned bucket, const slot *e, size_t n)
{
    uint64_t previous = (uint64_t)bucket << (64 - PT_RECUR_BUCKET_BITS);
    pt_buf_reset(out);
    int rc = pt_buf_append_byte(out, FORMAT_VERSION);
    if (!rc) rc = pt_buf_append_varint(out, n);
    for (size_t i = 0; !rc && i < n; i++) {
        rc = pt_buf_append_varint(out, e[i].key - previous);
        if (!rc) rc = pt_buf_append_varint(out, e[i].count);
        if (!rc) rc = append_u32(out, e[i].title);
        previous = e[i].key;
    }
    return rc;
}

int pt_recurring_store(pt_recurring *t, pt_recurring_put_fn put, void *ctx)
{
    if (t->load_error) /* a bucket that failed to load would lose its entries */
        return t->load_error;
    if (!t->dirty)
        return PT_OK;
    slot *e = NULL;
    size_t n = 0, at = 0;
    pt_buf out = PT_BUF_INIT;
    int rc = dirty_entries(t, &e, &n);
    for (unsigned b = 0; !rc && b < PT_RECUR_BUCKETS; b++) {
        size_t from = at;
        while (at < n && bucket_of(e[at].key) == b)
            at++;
        if (!t->dirty_bucket[b])
            continue;
        rc = encode_bucket(&out, b, e + from, at - from);
        if (!rc) rc = put(b, out.data, out.len, ctx);
    }
    if (!rc) {
        memset(t->dirty_bucket, 0, sizeof t->dirty_bucket);
        t->dirty = 0;
    }
    free(e);
    pt_buf_free(&out);
    return rc;
}

/* Sets key's stored count and headline (a new key only while there is room). */
static int insert(pt_recurring *t, uint64_t key, uint32_t count, uint32_t title)
{
    slot *s = NULL;
    int rc = slot_for(t, key, &s);
    if (rc || !s)
        return rc;
    t->n += s->key == 0;
    *s = (slot){key, title, count};
    return PT_OK;
}

/* Reads the n entries of a bucket, checking that each key is in it and
 * keys rise, into e (room for n). */
static int read_bucket(pt_cursor *r, unsigned bucket, slot *e, size_t n)
{
    uint64_t key = (uint64_t)bucket << (64 - PT_RECUR_BUCKET_BITS);
    for (size_t i = 0; i < n; i++) {
        uint64_t delta = 0, count = 0;
        uint32_t title = 0;
        int rc = pt_read_varint(r, &delta);
        if (!rc) rc = pt_read_varint(r, &count);
        if (!rc) rc = read_u32(r, &title);
        if (rc)
            return rc;
        if ((i > 0 && delta == 0) || key + delta < key || bucket_of(key + delta) != bucket || key + delta == 0)
            return pt_fail(PT_ECORRUPT, "table of recurring lines: a key out of place");
        key += delta;
        e[i] = (slot){key, title, count > UINT32_MAX ? UINT32_MAX : (uint32_t)count};
    }
    return r->p == r->end ? PT_OK : pt_fail(PT_ECORRUPT, "table of recurring lines: bytes after the last entry");
}

int pt_recurring_decode_bucket(pt_recurring *t, unsigned bucket, const void *data, size_t len)
{
    pt_cursor r = {data, (const uint8_t *)data + len};
    uint8_t version = 0;
    uint64_t n = 0;
    slot *e = NULL;
    int rc = bucket < PT_RECUR_BUCKETS ? pt_read_byte(&r, &version)
                                       : pt_fail(PT_ECORRUPT, "table of recurring lines: no bucket %u", bucket);
    if (!rc) rc = pt_read_varint(&r, &n);
    if (!rc && (version != FORMAT_VERSION || n > (uint64_t)(r.end - r.p) / 6)) /* 6: an entry's least */
        rc = pt_fail(PT_ECORRUPT, "table of recurring lines: bad header");
    if (!rc && !(e = malloc((n ? n : 1) * sizeof *e)))
        rc = pt_fail(PT_ENOMEM, "out of memory (table of recurring lines)");
    if (!rc) rc = read_bucket(&r, bucket, e, (size_t)n);
    for (size_t i = 0; !rc && i < n; i++)
        rc = insert(t, e[i].key, e[i].count, e[i].title);
    free(e);
    if (rc == PT_ECORRUPT && bucket < PT_RECUR_BUCKETS) {
        t->dirty = 1; /* a damaged bucket is written anew */
        t->dirty_bucket[bucket] = 1;
    }
    return rc;
}
