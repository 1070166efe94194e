/* utf8_clean.c — owns UTF-8 validation and repair before indexing. A
 * strict decoder after Unicode §3.9 Table 3-7 (no overlongs, no surrogates,
 * nothing above U+10FFFF): clean text is left where it is, anything else is
 * copied once into an exact-size buffer, each maximal invalid subpart
 * becoming one U+FFFD and each NUL a space. Linear time, two passes at
 * most over a dirty text. */
#include "util/utf8_clean.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "ptsearch.h"

static const unsigned char replacement[3] = { 0xEF, 0xBF, 0xBD }; /* U+FFFD */

/* Bytes of the valid sequence or maximal invalid subpart at s[i]; *valid
 * says which. A maximal subpart (the Unicode and WHATWG practice) is the
 * longest prefix of a well-formed sequence that is still possible: a lead
 * byte and the continuation bytes that were allowed after it, or a single
 * byte that can start nothing. So "E2 82" cut short is one subpart, but
 * "C0 80" (overlong), "ED A0 80" (surrogate) and "F4 90 80 80"
 * (> U+10FFFF) are one subpart per byte. */
static size_t sequence_at(const unsigned char *s, size_t i, size_t len, int *valid)
{
    unsigned char c = s[i];
    size_t need;                 /* bytes in the whole sequence */
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the 2nd byte */

    if (c < 0x80) {
        *valid = 1;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong below U+0800 */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates U+D800–U+DFFF */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong below U+10000 */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        *valid = 0; /* 80–BF continuation, C0–C1 overlong, F5–FF */
        return 1;
    }

    size_t n = 1;
    while (n < need && i + n < len) {
        unsigned char b = s[i + n];
        if (n == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF))
            break;
        n++;
    }
    *valid = n == need;
    return n;
}

/* Does the 8-byte word hold a byte >= 0x80 or a zero byte? */
static int word_needs_look(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    return ((w | ((w - ones) & ~w)) & highs) != 0;
}

/* Offset of the first invalid byte (or of the first NUL too, unless
 * nul_ok), or len. */
static size_t first_unclean(const unsigned char *s, size_t len, int nul_ok)
{
    size_t i = 0;
    while (i < len) {
        if (len - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!word_needs_look(w)) {
                i += 8;
                continue;
            }
        }
        if (s[i] == 0 && !nul_ok)
            return i;
        int valid;
        size_t n = sequence_at(s, i, len, &valid);
        if (!valid)
            return i;
        i += n;
    }
    return len;
}

int pt_utf8_is_clean(const char *s, size_t len)
{
    return first_unclean((const unsigned char *)s, len, 0) == len;
}

/* Repairs s[from..len) into out (when out is non-NULL) and returns the
 * length of the repaired bytes; counts into *r. */
static size_t repair_into(unsigned char *out, const unsigned char *s, size_t from, size_t len,
                          pt_utf8_repairs *r)
{
    size_t o = 0;
    size_t i = from;
    while (i < len) {
        int valid;
        size_t n = sequence_at(s, i, len, &valid);
        if (!valid) {
            if (out)
                memcpy(out + o, replacement, sizeof replacement);
            o += sizeof replacement;
            r->invalid += n;
        } else if (s[i] == 0) {
            if (out)
                out[o] = ' ';
            o++;
            r->nul++;
        } else {
            if (out)
                memcpy(out + o, s + i, n);
            o += n;
        }
        i += n;
    }
    return o;
}

/* Turns the NUL bytes of s[0..len) into spaces; returns how many. */
static size_t spaces_for_nuls(unsigned char *s, size_t len)
{
    size_t n = 0;
    unsigned char *p = s, *end = s + len;
    while (p < end && (p = memchr(p, 0, (size_t)(end - p))) != NULL) {
        *p++ = ' ';
        n++;
    }
    return n;
}

int pt_utf8_repair(char **text, size_t *len, pt_utf8_repairs *repairs)
{
    pt_utf8_repairs count = { 0, 0 };
    unsigned char *s = (unsigned char *)*text;
    size_t n = *len;
    size_t bad = first_unclean(s, n, 1);

    if (bad == n) {
        /* Valid UTF-8: at most some NUL bytes to mend, in place. */
        count.nul = spaces_for_nuls(s, n);
        if (repairs)
            *repairs = count;
        return 0;
    }

    /* From the first invalid byte on, the text goes to a new buffer, sized
     * by a counting pass. Each invalid byte grows to at most 3, so the size
     * overflows only for a text that fills a third of the address space. */
    pt_utf8_repairs scratch = { 0, 0 };
    size_t tail = repair_into(NULL, s, bad, n, &scratch);
    if (tail > SIZE_MAX - bad - 1)
        return pt_fail(PT_ENOMEM, "utf8 repair: text too large (%zu bytes)", n);
    unsigned char *out = malloc(bad + tail + 1);
    if (!out)
        return pt_fail(PT_ENOMEM, "utf8 repair: out of memory (%zu bytes)", bad + tail + 1);
    memcpy(out, s, bad);
    count.nul = spaces_for_nuls(out, bad);
    repair_into(out + bad, s, bad, n, &count);
    out[bad + tail] = '\0';

    free(*text);
    *text = (char *)out;
    *len = bad + tail;
    if (repairs)
        *repairs = count;
    return 0;
}
