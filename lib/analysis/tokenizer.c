/* tokenizer.c — owns the scan of UTF-8 text into tokens and the
 * normalization of each token. Text is read one "group" at a time: a run of
 * word pieces joined by hyphens; a group turns into a small queue of tokens
 * (compound forms and parts) that pt_tokenizer_next hands out one by one.
 * All buffers live in the tokenizer and are reused: no malloc per token.
 *
 * Rules:
 *  - Word characters are letters (L*), digits (N*) and combining marks (M*)
 *    of any script; a word starts with a letter or digit. Everything else,
 *    invalid UTF-8 and NUL included, separates words. Default-ignorable
 *    format characters (soft hyphen, ZWJ...) inside a word are dropped.
 *  - ' ’ ʼ between two letters stay in the word as ASCII ' ("Ukraine’s" →
 *    "ukraine's"); elsewhere they separate.
 *  - Numbers: '.' between digits stays ("3.5"); ',' between digits is a
 *    thousands separator, dropped, when exactly three digits follow
 *    ("1,000" → "1000"; "1,5" is two tokens). "90%" → "90".
 *  - Abbreviation: two or more single letters each followed by '.' (the
 *    last '.' may be missing): "U.S." → COMPOUND "us" + PARTS "u", "s".
 *  - Hyphen compound: - U+2010 U+2011 U+2013 between two word pieces (an
 *    abbreviation's final '.' counts as the end of a piece). "20-point" →
 *    COMPOUND "20point" + PARTS "20", "point". When a piece is itself an
 *    abbreviation, its letters are parts of the whole compound and the
 *    abbreviation also gets its own COMPOUND right before its first letter:
 *    "U.S.-backed" → "usbacked"(C) "us"(C) "u" "s" "backed" — so "U.S.",
 *    "backed" and "U.S.-backed" are all findable. "--" and " - " separate.
 *  - Normalization: NFKC, case fold, combining marks dropped ("café" →
 *    "cafe", "ё" → "е") except that Cyrillic й stays й. Characters that
 *    are not letters or digits after compatibility mapping are dropped.
 *    Tokens are cut to PT_TOKEN_MAX_BYTES at a character boundary. */
#include "analysis/tokenizer.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "analysis/analyzer.h"
#include "util/error.h"
#include "ptsearch.h"

/* One word piece of a group, e.g. "20" or "point" in "20-point". */
typedef struct {
    size_t start, end;       /* source bytes */
    size_t norm_off, norm_len; /* normalized text in tok->chars */
    unsigned flags;          /* CAPITALIZED, CYRILLIC, NUMERIC */
} part;

/* A hyphen-separated member of a group: a word, or an abbreviation whose
 * letters are separate parts. */
typedef struct {
    size_t first_part, n_parts;
    size_t start, end; /* source bytes, an abbreviation's final '.' included */
    bool abbreviation;
} element;

/* A token waiting in the queue; text is an offset into tok->chars because
 * chars may move when it grows. */
typedef struct {
    size_t off, len, start, end;
    unsigned flags;
} queued;

/* Room to normalize one token: PT_TOKEN_MAX_BYTES code points, plus the
 * longest single decomposition, plus the NUL utf8proc_reencode writes. */
#define SCRATCH_CPS (PT_TOKEN_MAX_BYTES + 64)

struct pt_tokenizer {
    const uint8_t *text;
    size_t len, at;
    part *parts;
    size_t n_parts, cap_parts;
    element *elems;
    size_t n_elems, cap_elems;
    queued *queue;
    size_t n_queue, cap_queue, next_queued;
    char *chars;
    size_t n_chars, cap_chars;
    utf8proc_int32_t scratch[SCRATCH_CPS];
};

/* ------------------------------------------------------ character classes */

/* ASCII fast paths: most news text is ASCII, and a property lookup per
 * character is most of the tokenizer's time otherwise. */
static bool is_ascii_alpha(utf8proc_int32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_ascii_digit(utf8proc_int32_t c)
{
    return c >= '0' && c <= '9';
}

enum { END_OF_TEXT = -1, INVALID = -2 };

/* Decodes the code point at byte at: returns it and sets *next, or returns
 * END_OF_TEXT, or INVALID with *next one byte further. */
static utf8proc_int32_t decode(const pt_tokenizer *tok, size_t at, size_t *next)
{
    if (at >= tok->len) {
        *next = at;
        return END_OF_TEXT;
    }
    utf8proc_int32_t c;
    utf8proc_ssize_t n = utf8proc_iterate(tok->text + at, (utf8proc_ssize_t)(tok->len - at), &c);
    if (n <= 0) {
        *next = at + 1;
        return INVALID;
    }
    *next = at + (size_t)n;
    return c;
}

static bool is_letter(utf8proc_int32_t c)
{
    if (c < 0x80)
        return is_ascii_alpha(c);
    utf8proc_category_t cat = utf8proc_category(c);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

static bool is_mark(utf8proc_int32_t c)
{
    if (c < 0x300) /* the first combining mark */
        return false;
    utf8proc_category_t cat = utf8proc_category(c);
    return cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME;
}

static bool is_number(utf8proc_int32_t c)
{
    if (c < 0x80)
        return is_ascii_digit(c);
    utf8proc_category_t cat = utf8proc_category(c);
    return cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO;
}

static bool is_digit(utf8proc_int32_t c)
{
    if (c < 0x80)
        return is_ascii_digit(c);
    return utf8proc_category(c) == UTF8PROC_CATEGORY_ND;
}

static bool is_upper(utf8proc_int32_t c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z';
    utf8proc_category_t cat = utf8proc_category(c);
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

static bool is_word_start(utf8proc_int32_t c)
{
    return is_letter(c) || is_number(c);
}

static bool is_word_char(utf8proc_int32_t c)
{
    return is_word_start(c) || is_mark(c);
}

static bool is_apostrophe(utf8proc_int32_t c)
{
    return c == 0x27 || c == 0x2019 || c == 0x2BC;
}

static bool is_hyphen(utf8proc_int32_t c)
{
    return c == '-' || c == 0x2010 || c == 0x2011 || c == 0x2013;
}

/* Soft hyphen, zero-width joiners and the like: invisible inside a word. */
static bool is_ignorable(utf8proc_int32_t c)
{
    return c >= 0x80 && utf8proc_category(c) == UTF8PROC_CATEGORY_CF &&
           utf8proc_get_property(c)->ignorable;
}

static bool is_cyrillic(utf8proc_int32_t c)
{
    return c >= 0x400 && c <= 0x52F; /* Cyrillic + Cyrillic Supplement */
}

static utf8proc_int32_t peek(const pt_tokenizer *tok, size_t at)
{
    size_t next;
    return decode(tok, at, &next);
}

/* ',' at byte at (between digits) is a thousands separator when exactly
 * three digits follow it. */
static bool is_thousands_comma(const pt_tokenizer *tok, size_t at)
{
    size_t p = at + 1;
    for (int i = 0; i < 3; i++) {
        if (!is_digit(decode(tok, p, &p)))
            return false;
    }
    return !is_digit(peek(tok, p));
}

/* ------------------------------------------------------------ scanning */

/* Scans one word piece starting at a word-start character; returns its end.
 * *n_bases receives the number of non-mark characters in it. */
static size_t scan_piece(const pt_tokenizer *tok, size_t at, size_t *n_bases)
{
    size_t pos;
    utf8proc_int32_t last_base = decode(tok, at, &pos);
    *n_bases = 1;
    for (;;) {
        size_t next;
        utf8proc_int32_t c = decode(tok, pos, &next);
        utf8proc_int32_t after = peek(tok, next);
        bool joins = false;
        if (is_word_char(c)) {
            joins = true;
        } else if (is_apostrophe(c)) {
            joins = is_letter(last_base) && is_letter(after);
        } else if (is_ignorable(c)) {
            joins = is_word_char(after);
        } else if (c == '.' || c == ',') {
            joins = is_digit(last_base) && is_digit(after) &&
                    (c == '.' || is_thousands_comma(tok, pos));
        }
        if (!joins)
            return pos;
        if (!is_mark(c) && !is_ignorable(c)) {
            last_base = c;
            (*n_bases)++;
        }
        pos = next;
    }
}

static bool is_single_letter_piece(const pt_tokenizer *tok, size_t at, size_t *end)
{
    size_t n_bases;
    if (!is_letter(peek(tok, at)))
        return false;
    *end = scan_piece(tok, at, &n_bases);
    return n_bases == 1;
}

/* If an abbreviation ("U.S.", "e.g.") starts at at, stores its end (past
 * the final '.', if any) in *end and returns the number of letters;
 * returns 0 otherwise. */
static size_t scan_abbreviation(const pt_tokenizer *tok, size_t at, size_t *end)
{
    size_t n = 0, piece_end, pos = at;
    while (is_single_letter_piece(tok, pos, &piece_end)) {
        n++;
        pos = piece_end;
        if (peek(tok, pos) != '.')
            break;
        pos++; /* the '.' is one byte */
        if (!is_letter(peek(tok, pos)))
            break;
    }
    if (n < 2)
        return 0;
    *end = pos;
    return n;
}

/* ------------------------------------------------------------ buffers */

static int grow(void **buf, size_t *cap, size_t need, size_t elem_size)
{
    if (need <= *cap)
        return PT_OK;
    size_t new_cap = *cap ? *cap : 16;
    while (new_cap < need)
        new_cap *= 2;
    void *p = realloc(*buf, new_cap * elem_size);
    if (!p)
        return pt_fail(PT_ENOMEM, "tokenizer: out of memory");
    *buf = p;
    *cap = new_cap;
    return PT_OK;
}

/* Appends s[0..n) to chars and writes a NUL after it that the next append
 * overwrites; finish_string keeps it. */
static int append_chars(pt_tokenizer *tok, const char *s, size_t n)
{
    int rc = grow((void **)&tok->chars, &tok->cap_chars, tok->n_chars + n + 1, 1);
    if (rc)
        return rc;
    memcpy(tok->chars + tok->n_chars, s, n);
    tok->n_chars += n;
    tok->chars[tok->n_chars] = '\0';
    return PT_OK;
}

static void finish_string(pt_tokenizer *tok)
{
    tok->n_chars++;
}

/* ------------------------------------------------------- normalization */

typedef struct {
    size_t n_cps, n_bytes; /* in tok->scratch; bytes once encoded */
    bool cyrillic, all_digits, full, ascii;
} norm_state;

static void push_cp(pt_tokenizer *tok, norm_state *st, utf8proc_int32_t c)
{
    utf8proc_uint8_t enc[4];
    size_t bytes = (size_t)utf8proc_encode_char(c, enc);
    if (st->full || st->n_bytes + bytes > PT_TOKEN_MAX_BYTES) {
        st->full = true; /* cut here: later characters are dropped too */
        return;
    }
    tok->scratch[st->n_cps++] = c;
    st->n_bytes += bytes;
    st->cyrillic |= is_cyrillic(c);
    st->all_digits &= is_digit(c);
    st->ascii &= c < 0x80;
}

/* Appends the normalized form of source code point c. */
static void normalize_cp(pt_tokenizer *tok, norm_state *st, utf8proc_int32_t c)
{
    if (is_ascii_alpha(c) || is_ascii_digit(c)) {
        push_cp(tok, st, c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        return;
    }
    if (c == ',' || is_ignorable(c))
        return;
    if (c == '.' || is_apostrophe(c)) {
        push_cp(tok, st, c == '.' ? '.' : '\'');
        return;
    }
    /* Keep й: decomposition would make it и + breve, and the breve is a
     * mark we strip. A decomposed и + breve is put back together too. */
    if (c == 0x419 || c == 0x439) {
        push_cp(tok, st, 0x439);
        return;
    }
    if (c == 0x306 && st->n_cps > 0 && tok->scratch[st->n_cps - 1] == 0x438) {
        tok->scratch[st->n_cps - 1] = 0x439;
        return;
    }
    utf8proc_int32_t out[32];
    int boundclass = UTF8PROC_BOUNDCLASS_START;
    utf8proc_ssize_t n = utf8proc_decompose_char(
        c, out, 32,
        UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
            UTF8PROC_IGNORE,
        &boundclass);
    if (n < 0 || n > 32)
        return; /* no code point decomposes that far; treat as garbage */
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        if (is_word_start(out[i])) /* compatibility forms may bring spaces */
            push_cp(tok, st, out[i]);
    }
}

/* Recomposes (NFKC) and encodes the scratch code points in place as UTF-8;
 * returns the byte length, never longer than PT_TOKEN_MAX_BYTES. */
static utf8proc_ssize_t encode_scratch(pt_tokenizer *tok, const norm_state *st)
{
    if (st->ascii) { /* nothing to compose: skip utf8proc */
        char *bytes = (char *)tok->scratch;
        for (size_t i = 0; i < st->n_cps; i++)
            bytes[i] = (char)tok->scratch[i]; /* byte i never passes int i */
        return (utf8proc_ssize_t)st->n_cps;
    }
    utf8proc_ssize_t n = utf8proc_reencode(tok->scratch, (utf8proc_ssize_t)st->n_cps,
                                           UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    return n < 0 ? 0 : n;
}

/* Normalizes source bytes [start, end) of one piece into tok->chars and
 * records the result in p. */
static int normalize_part(pt_tokenizer *tok, part *p)
{
    norm_state st = { 0, 0, false, true, false, true };
    size_t pos = p->start;
    while (pos < p->end && !st.full) {
        utf8proc_int32_t c = decode(tok, pos, &pos);
        if (c >= 0)
            normalize_cp(tok, &st, c);
    }
    utf8proc_ssize_t n = encode_scratch(tok, &st);
    p->norm_off = tok->n_chars;
    p->norm_len = (size_t)n;
    p->flags = 0;
    if (is_upper(peek(tok, p->start)))
        p->flags |= PT_TERM_CAPITALIZED;
    if (st.cyrillic)
        p->flags |= PT_TERM_CYRILLIC;
    if (st.all_digits && n > 0)
        p->flags |= PT_TERM_NUMERIC;
    int rc = append_chars(tok, (const char *)tok->scratch, (size_t)n);
    if (rc == PT_OK)
        finish_string(tok);
    return rc;
}

/* ------------------------------------------------------------- groups */

static int add_part(pt_tokenizer *tok, size_t start, size_t end)
{
    int rc = grow((void **)&tok->parts, &tok->cap_parts, tok->n_parts + 1, sizeof(part));
    if (rc)
        return rc;
    part *p = &tok->parts[tok->n_parts];
    p->start = start;
    p->end = end;
    if ((rc = normalize_part(tok, p)))
        return rc;
    if (p->norm_len > 0) /* a piece may normalize to nothing */
        tok->n_parts++;
    return PT_OK;
}

static int add_abbreviation_parts(pt_tokenizer *tok, size_t at, size_t n_letters)
{
    for (size_t i = 0; i < n_letters; i++) {
        size_t end = at;
        is_single_letter_piece(tok, at, &end);
        int rc = add_part(tok, at, end);
        if (rc)
            return rc;
        at = end + 1; /* skip the '.' */
    }
    return PT_OK;
}

/* Scans one element (abbreviation or word piece) at at; returns its end
 * through *end. */
static int add_element(pt_tokenizer *tok, size_t at, size_t *end)
{
    int rc = grow((void **)&tok->elems, &tok->cap_elems, tok->n_elems + 1, sizeof(element));
    if (rc)
        return rc;
    element *e = &tok->elems[tok->n_elems++];
    e->first_part = tok->n_parts;
    size_t n_letters = scan_abbreviation(tok, at, end);
    e->abbreviation = n_letters > 0;
    if (e->abbreviation) {
        rc = add_abbreviation_parts(tok, at, n_letters);
    } else {
        size_t n_bases;
        *end = scan_piece(tok, at, &n_bases);
        rc = add_part(tok, at, *end);
    }
    e->n_parts = tok->n_parts - e->first_part;
    e->start = at;
    e->end = *end;
    return rc;
}

/* Moves tok->at to the next word start; returns false at the end. */
static bool skip_separators(pt_tokenizer *tok)
{
    for (;;) {
        size_t next;
        utf8proc_int32_t c = decode(tok, tok->at, &next);
        if (c == END_OF_TEXT)
            return false;
        if (is_word_start(c))
            return true;
        tok->at = next;
    }
}

/* Reads the group at tok->at (a word start) into parts and elements. */
static int scan_group(pt_tokenizer *tok, size_t *group_start, size_t *group_end)
{
    tok->n_parts = tok->n_elems = tok->n_chars = 0;
    size_t at = tok->at, end;
    *group_start = at;
    for (;;) {
        int rc = add_element(tok, at, &end);
        if (rc)
            return rc;
        size_t next;
        utf8proc_int32_t c = decode(tok, end, &next);
        if (!is_hyphen(c) || !is_word_start(peek(tok, next)))
            break;
        at = next;
    }
    *group_end = tok->at = end;
    return PT_OK;
}

/* ------------------------------------------------------------- queue */

static int enqueue(pt_tokenizer *tok, size_t off, size_t len, size_t start, size_t end,
                   unsigned flags)
{
    int rc = grow((void **)&tok->queue, &tok->cap_queue, tok->n_queue + 1, sizeof(queued));
    if (rc)
        return rc;
    tok->queue[tok->n_queue++] = (queued){ off, len, start, end, flags };
    return PT_OK;
}

/* Length of the longest prefix of s[0..len) that fits max bytes and ends on
 * a character boundary. */
static size_t cut_utf8(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

/* Queues the compound of parts [first, first+n): their texts joined. */
static int enqueue_compound(pt_tokenizer *tok, size_t first, size_t n, size_t start,
                            size_t end)
{
    size_t off = tok->n_chars, len = 0;
    unsigned flags = PT_TERM_COMPOUND | PT_TERM_NUMERIC;
    flags |= tok->parts[first].flags & PT_TERM_CAPITALIZED;
    for (size_t i = first; i < first + n; i++) {
        const part *p = &tok->parts[i];
        size_t take = cut_utf8(tok->chars + p->norm_off, p->norm_len, PT_TOKEN_MAX_BYTES - len);
        /* chars may move in append_chars: copy through an offset */
        char piece[PT_TOKEN_MAX_BYTES];
        memcpy(piece, tok->chars + p->norm_off, take);
        int rc = append_chars(tok, piece, take);
        if (rc)
            return rc;
        len += take;
        flags |= p->flags & PT_TERM_CYRILLIC;
        if (!(p->flags & PT_TERM_NUMERIC))
            flags &= ~(unsigned)PT_TERM_NUMERIC;
    }
    finish_string(tok);
    return enqueue(tok, off, len, start, end, flags);
}

static int enqueue_part(pt_tokenizer *tok, const part *p, unsigned extra_flags)
{
    return enqueue(tok, p->norm_off, p->norm_len, p->start, p->end, p->flags | extra_flags);
}

/* Queues the parts of one element, preceded by the element's own compound
 * when it is an abbreviation inside a larger compound. */
static int enqueue_element(pt_tokenizer *tok, const element *e)
{
    int rc = PT_OK;
    const part *first = &tok->parts[e->first_part];
    if (e->abbreviation && e->n_parts >= 2 && e->n_parts < tok->n_parts)
        rc = enqueue_compound(tok, e->first_part, e->n_parts, e->start, e->end);
    for (size_t i = 0; i < e->n_parts && !rc; i++)
        rc = enqueue_part(tok, first + i, PT_TERM_PART);
    return rc;
}

static int fill_queue(pt_tokenizer *tok)
{
    tok->n_queue = tok->next_queued = 0;
    while (tok->n_parts == 0) {
        if (!skip_separators(tok))
            return PT_OK;
        size_t start, end;
        int rc = scan_group(tok, &start, &end);
        if (rc)
            return rc;
        if (tok->n_parts == 1)
            return enqueue_part(tok, &tok->parts[0], 0);
        if (tok->n_parts > 1) {
            rc = enqueue_compound(tok, 0, tok->n_parts, start, end);
            for (size_t i = 0; i < tok->n_elems && !rc; i++)
                rc = enqueue_element(tok, &tok->elems[i]);
            return rc;
        }
    }
    return PT_OK;
}

/* ------------------------------------------------------------- public */

int pt_tokenizer_new(pt_tokenizer **out)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return pt_fail(PT_ENOMEM, "tokenizer: out of memory");
    return PT_OK;
}

void pt_tokenizer_free(pt_tokenizer *tok)
{
    if (!tok)
        return;
    free(tok->parts);
    free(tok->elems);
    free(tok->queue);
    free(tok->chars);
    free(tok);
}

void pt_tokenizer_reset(pt_tokenizer *tok, const char *text, size_t len)
{
    tok->text = (const uint8_t *)text;
    tok->len = text ? len : 0;
    tok->at = 0;
    tok->n_parts = tok->n_elems = tok->n_chars = 0;
    tok->n_queue = tok->next_queued = 0;
}

int pt_tokenizer_next(pt_tokenizer *tok, pt_token *out)
{
    if (tok->next_queued == tok->n_queue) {
        tok->n_parts = 0;
        int rc = fill_queue(tok);
        if (rc)
            return rc;
        if (tok->n_queue == 0)
            return 0;
    }
    const queued *q = &tok->queue[tok->next_queued++];
    out->text = tok->chars + q->off;
    out->len = q->len;
    out->start = q->start;
    out->end = q->end;
    out->flags = q->flags;
    return 1;
}
