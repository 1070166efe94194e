/* variants.c — spellings of one word the index may hold (see variants.h).
 * Candidates come from transliteration rules applied up to twice, from the
 * table, and from number words; each is stemmed by the analyzer and kept
 * only when the index holds its stem. Rare capitalised words also get the
 * index's own terms within edit distance 1 (2 for long words). */
#include "query/variants.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "ptsearch.h"

#define WORD_MAX 64        /* longer words get no rule variants */
#define CANDIDATES_MAX 96
#define CODEPOINTS_MAX 64
#define DOUBLED "slnrtfm"  /* consonants that transliterations double */
#define DOUBLED_LAST "s"   /* ... and double at the end of a word */

/* Spellings of one name that no rule joins; one group a line. */
static const char *const table[] = {
    "kyiv kiev",
    "chornobyl chernobyl",
    "zaporizhzhia zaporizhia zaporozhye zaporizhzhya",
    "dnipro dnepr",
    "mykolaiv nikolaev nikolayev",
    "chisinau kishinev",
    "belarus byelorussia",
    "moldova moldavia",
    "gaddafi qaddafi kadhafi gadhafi",
    "hezbollah hizballah hizbollah",
    "muhammad mohammed mohamed muhammed",
    "tbilisi tiflis",
    "almaty alma-ata",
    NULL,
};

static const char *const numbers[][2] = {
    {"zero", "0"}, {"one", "1"}, {"two", "2"}, {"three", "3"}, {"four", "4"},
    {"five", "5"}, {"six", "6"}, {"seven", "7"}, {"eight", "8"}, {"nine", "9"},
    {"ten", "10"}, {"eleven", "11"}, {"twelve", "12"}, {"thirteen", "13"},
    {"fourteen", "14"}, {"fifteen", "15"}, {"sixteen", "16"}, {"seventeen", "17"},
    {"eighteen", "18"}, {"nineteen", "19"}, {"twenty", "20"}, {"thirty", "30"},
    {"forty", "40"}, {"fifty", "50"}, {"sixty", "60"}, {"seventy", "70"},
    {"eighty", "80"}, {"ninety", "90"}, {"hundred", "100"}, {"thousand", "1000"},
};

/* Name endings that transliterate one another: -sky, -skyy, -skiy, -skyi, -ski, -skij. */
static const char *const endings[] = {"yy", "iy", "yi", "ij", "ii", "y", "i"};

typedef struct {
    char words[CANDIDATES_MAX][WORD_MAX + 2];
    size_t n;
} candidates;

static void add_candidate(candidates *c, const char *w, size_t len)
{
    if (len == 0 || len > WORD_MAX + 1 || c->n == CANDIDATES_MAX)
        return;
    for (size_t i = 0; i < c->n; i++)
        if (strlen(c->words[i]) == len && memcmp(c->words[i], w, len) == 0)
            return;
    memcpy(c->words[c->n], w, len);
    c->words[c->n][len] = '\0';
    c->n++;
}

/* w with [at, at+cut) replaced by rep. */
static void add_replaced(candidates *c, const char *w, size_t len, size_t at, size_t cut, const char *rep)
{
    size_t rlen = strlen(rep);
    if (len - cut + rlen > WORD_MAX + 1)
        return;
    char buf[WORD_MAX + 2];
    memcpy(buf, w, at);
    memcpy(buf + at, rep, rlen);
    memcpy(buf + at + rlen, w + at + cut, len - at - cut);
    add_candidate(c, buf, len - cut + rlen);
}

static int is_vowel(char ch)
{
    return ch == 'a' || ch == 'e' || ch == 'i' || ch == 'o' || ch == 'u' || ch == 'y';
}

static int is_latin(const char *w, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (w[i] < 'a' || w[i] > 'z')
            return 0;
    return 1;
}

/* The transliteration rules, each applied once at every place it fits. */
static void apply_rules(candidates *c, const char *w, size_t len)
{
    if (len < 4 || !is_latin(w, len))
        return;
    /* -sky / -skiy / -skyy / -skyi / -ski: swap the ending after a consonant. */
    for (size_t e = 0; e < sizeof endings / sizeof *endings; e++) {
        size_t el = strlen(endings[e]);
        if (len > el + 2 && memcmp(w + len - el, endings[e], el) == 0 && !is_vowel(w[len - el - 1])) {
            for (size_t f = 0; f < sizeof endings / sizeof *endings; f++)
                if (f != e)
                    add_replaced(c, w, len, len - el, el, endings[f]);
            break;
        }
    }
    for (size_t i = 0; i < len; i++) {
        char prev = i ? w[i - 1] : 0;
        /* h ↔ g (Luhansk/Lugansk), not in kh, zh, sh, ch, th or ng. */
        if (w[i] == 'h' && i && !strchr("kzsctg", prev))
            add_replaced(c, w, len, i, 1, "g");
        if (w[i] == 'g' && i && prev != 'n' && (i + 1 == len || w[i + 1] != 'h'))
            add_replaced(c, w, len, i, 1, "h");
        /* Doubled consonant ↔ single (Donbass/Donbas, Odessa/Odesa), the
         * last letter too: the stemmer cuts Donbas to donba, which no edit
         * of one letter brings to donbass. */
        if (i && w[i] == prev && !is_vowel(w[i]))
            add_replaced(c, w, len, i, 1, "");
        else if (i && strchr(DOUBLED, w[i]) && (i + 1 == len ? !!strchr(DOUBLED_LAST, w[i]) : w[i + 1] != w[i]) &&
                 w[i] != prev) {
            char twice[3] = {w[i], w[i], 0};
            add_replaced(c, w, len, i, 1, twice);
        }
    }
    /* -iv ↔ -ov (Kharkiv/Kharkov, Lviv/Lvov). */
    if (memcmp(w + len - 2, "iv", 2) == 0)
        add_replaced(c, w, len, len - 2, 2, "ov");
    else if (memcmp(w + len - 2, "ov", 2) == 0)
        add_replaced(c, w, len, len - 2, 2, "iv");
    /* Initial ye/e, ya/ia, yu/iu (Yevgeny/Evgeny). */
    if (w[0] == 'y' && w[1] == 'e')
        add_replaced(c, w, len, 0, 1, "");
    else if (w[0] == 'e')
        add_replaced(c, w, len, 0, 0, "y");
    for (size_t i = 0; i + 1 < len; i++) {
        if (w[i] == 'y' && (w[i + 1] == 'a' || w[i + 1] == 'u') && i)
            add_replaced(c, w, len, i, 1, "i");
        if (w[i] == 'i' && (w[i + 1] == 'a' || w[i + 1] == 'u') && i)
            add_replaced(c, w, len, i, 1, "y");
    }
}

static void add_table(candidates *c, const char *w, size_t len)
{
    for (size_t g = 0; table[g]; g++) {
        const char *line = table[g];
        int member = 0;
        for (const char *p = line; *p;) {
            size_t n = strcspn(p, " ");
            if (n == len && memcmp(p, w, len) == 0)
                member = 1;
            p += n + (p[n] == ' ');
        }
        for (const char *p = line; member && *p;) {
            size_t n = strcspn(p, " ");
            add_candidate(c, p, n);
            p += n + (p[n] == ' ');
        }
    }
}

static void add_numbers(candidates *c, const char *w, size_t len)
{
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) {
        for (int side = 0; side < 2; side++)
            if (strlen(numbers[i][side]) == len && memcmp(numbers[i][side], w, len) == 0)
                add_candidate(c, numbers[i][!side], strlen(numbers[i][!side]));
    }
}

static int add_stem(pt_variants *out, const char *typed, const char *stem, size_t len)
{
    if (strcmp(stem, typed) == 0 || out->n == PT_VARIANTS_MAX || len >= PT_VARIANT_STEM_MAX)
        return 0;
    for (size_t i = 0; i < out->n; i++)
        if (strcmp(out->stems[i], stem) == 0)
            return 0;
    memcpy(out->stems[out->n], stem, len + 1);
    out->n++;
    return 1;
}

/* ---------------------------------------------------------- edit distance */

static size_t decode(const char *s, size_t len, uint32_t *cp, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n < max;) {
        unsigned char b = (unsigned char)s[i];
        size_t k = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        uint32_t v = b;
        for (size_t j = 1; j < k && i + j < len; j++)
            v = v << 6 | ((unsigned char)s[i + j] & 0x3F);
        cp[n++] = v;
        i += k;
    }
    return n;
}

unsigned pt_edit_distance(const char *a, size_t alen, const char *b, size_t blen, unsigned max)
{
    uint32_t x[CODEPOINTS_MAX], y[CODEPOINTS_MAX];
    size_t m = decode(a, alen, x, CODEPOINTS_MAX), n = decode(b, blen, y, CODEPOINTS_MAX);
    if ((m > n ? m - n : n - m) > max)
        return max + 1;
    unsigned d[3][CODEPOINTS_MAX + 1]; /* rows i-2, i-1, i */
    for (size_t j = 0; j <= n; j++)
        d[1][j] = (unsigned)j;
    for (size_t i = 1; i <= m; i++) {
        unsigned *prev2 = d[0], *prev = d[1], *cur = d[2];
        cur[0] = (unsigned)i;
        unsigned row_min = cur[0];
        for (size_t j = 1; j <= n; j++) {
            unsigned cost = x[i - 1] != y[j - 1];
            unsigned v = prev[j - 1] + cost;
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] && prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
            if (v < row_min)
                row_min = v;
        }
        if (row_min > max)
            return max + 1;
        memcpy(d[0], d[1], sizeof d[0]);
        memcpy(d[1], d[2], sizeof d[1]);
    }
    return d[1][n] > max ? max + 1 : d[1][n];
}

static int is_vowel_cp(uint32_t c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* Consonants that transliterations put for one another. */
static int sound_alike(uint32_t x, uint32_t y)
{
    static const char *const pairs[] = {"ck", "kq", "sz", "fv", "jy", NULL};
    for (size_t i = 0; pairs[i]; i++)
        if ((x == (uint32_t)pairs[i][0] && y == (uint32_t)pairs[i][1]) ||
            (y == (uint32_t)pairs[i][0] && x == (uint32_t)pairs[i][1]))
            return 1;
    return 0;
}

/* The kind of adding (or dropping) w[at] of a word of n code points. */
static unsigned indel_class(const uint32_t *w, size_t n, size_t at)
{
    if ((at > 0 && w[at - 1] == w[at]) || (at + 1 < n && w[at + 1] == w[at]))
        return PT_EDIT_DOUBLE;
    if (w[at] == 'h')
        return PT_EDIT_H;
    if (at + 1 == n)
        return PT_EDIT_END;
    return PT_EDIT_INDEL;
}

static unsigned substitution_class(uint32_t x, uint32_t y)
{
    if (is_vowel_cp(x) && is_vowel_cp(y))
        return PT_EDIT_VOWEL;
    return sound_alike(x, y) ? PT_EDIT_PHONETIC : PT_EDIT_CONSONANT;
}

/* Walks one cheapest alignment back from (m, n) of the full table d. */
static unsigned backtrace_classes(unsigned d[][CODEPOINTS_MAX + 1], const uint32_t *x, size_t m,
                                  const uint32_t *y, size_t n)
{
    unsigned classes = 0;
    size_t i = m, j = n;
    while (i > 0 || j > 0) {
        if (i > 0 && j > 0 && x[i - 1] == y[j - 1] && d[i][j] == d[i - 1][j - 1]) {
            i--, j--;
        } else if (i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] + 1) {
            classes |= substitution_class(x[i - 1], y[j - 1]);
            i--, j--;
        } else if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] && d[i][j] == d[i - 2][j - 2] + 1) {
            classes |= PT_EDIT_SWAP;
            i -= 2, j -= 2;
        } else if (i > 0 && d[i][j] == d[i - 1][j] + 1) {
            classes |= indel_class(x, m, i - 1);
            i--;
        } else {
            classes |= indel_class(y, n, j - 1);
            j--;
        }
    }
    return classes;
}

unsigned pt_edit_classes(const char *a, size_t alen, const char *b, size_t blen)
{
    uint32_t x[CODEPOINTS_MAX], y[CODEPOINTS_MAX];
    size_t m = decode(a, alen, x, CODEPOINTS_MAX), n = decode(b, blen, y, CODEPOINTS_MAX);
    unsigned d[CODEPOINTS_MAX + 1][CODEPOINTS_MAX + 1];
    for (size_t i = 0; i <= m; i++)
        d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= n; j++)
        d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= m; i++) {
        for (size_t j = 1; j <= n; j++) {
            unsigned v = d[i - 1][j - 1] + (x[i - 1] != y[j - 1]);
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return backtrace_classes(d, x, m, y, n);
}

uint64_t pt_rare_threshold(ptx_reader *r)
{
    uint64_t docs = 0;
    if (ptx_reader_doccount(r, &docs) != 0)
        return 0;
    return docs / 1000 > 5 ? docs / 1000 : 5;
}

typedef struct {
    const char *stem;
    size_t stem_len;
    unsigned max;
    unsigned allowed; /* PT_EDIT_* kinds a term's edits may be */
    struct near_term {
        char term[PT_VARIANT_STEM_MAX];
        unsigned dist;
        uint64_t freq;
    } best[4];
    size_t n;
} near_ctx;

static int near_cb(const char *term, size_t len, uint64_t freq, void *ctx)
{
    near_ctx *c = ctx;
    if (len >= PT_VARIANT_STEM_MAX || (len == c->stem_len && memcmp(term, c->stem, len) == 0))
        return 0;
    unsigned d = pt_edit_distance(c->stem, c->stem_len, term, len, c->max);
    if (d > c->max || (c->allowed != PT_EDIT_ALL && (pt_edit_classes(c->stem, c->stem_len, term, len) & ~c->allowed)))
        return 0;
    /* Keep the closest, then the most frequent. */
    size_t at = c->n;
    while (at > 0 && (c->best[at - 1].dist > d || (c->best[at - 1].dist == d && c->best[at - 1].freq < freq)))
        at--;
    size_t cap = sizeof c->best / sizeof *c->best;
    if (at == cap)
        return 0;
    size_t last = c->n < cap ? c->n : cap - 1;
    memmove(&c->best[at + 1], &c->best[at], (last - at) * sizeof c->best[0]);
    memcpy(c->best[at].term, term, len);
    c->best[at].term[len] = '\0';
    c->best[at].dist = d;
    c->best[at].freq = freq;
    if (c->n < cap)
        c->n++;
    return 0;
}

/* The first UTF-8 character of s, as a prefix for the vocabulary scan. */
static size_t first_char(const char *s, size_t len)
{
    unsigned char b = (unsigned char)s[0];
    size_t k = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    return k < len ? k : len;
}

int pt_near_terms(ptx_reader *r, const char *stem, unsigned max, char (*out)[PT_VARIANT_STEM_MAX],
                  uint64_t *freqs, size_t cap, size_t *n_out)
{
    return pt_near_terms_of(r, stem, max, PT_EDIT_ALL, out, freqs, cap, n_out);
}

int pt_near_terms_of(ptx_reader *r, const char *stem, unsigned max, unsigned allowed,
                     char (*out)[PT_VARIANT_STEM_MAX], uint64_t *freqs, size_t cap, size_t *n_out)
{
    *n_out = 0;
    size_t len = strlen(stem);
    if (!len)
        return PT_OK;
    near_ctx c = {.stem = stem, .stem_len = len, .max = max, .allowed = allowed};
    char prefix[5];
    size_t k = first_char(stem, len);
    memcpy(prefix, stem, k);
    prefix[k] = '\0';
    int rc = ptx_reader_allterms(r, prefix, near_cb, &c);
    if (rc)
        return rc;
    for (size_t i = 0; i < c.n && i < cap; i++) {
        memcpy(out[i], c.best[i].term, sizeof out[i]);
        freqs[i] = c.best[i].freq;
        (*n_out)++;
    }
    return PT_OK;
}

/* ------------------------------------------------------------------ find */

/* The edit-distance step, chosen on the labelled list of name spellings
 * (tests/data/name_variants.tsv, bench/variant_eval; the best F0.5 of 37
 * policies, and the choice of 3 of 5 folds): every kind of edit, 1 edit
 * from 6 letters of stem, 2 from 10. On five letters one edit is as often
 * another name (donba → donna) as the same; two edits on eight or nine
 * letters gave 13 same names and 13 others (zelenski → zylinski, slovakia
 * → slovenia), from ten letters 9 same names and no other. No kind of edit was the same name in more
 * than 77% of the pairs, so none is kept or dropped by kind. */
static const pt_edit_policy edit_policy = {PT_EDIT_ALL, 6, 10};

pt_edit_policy pt_edit_policy_default(void)
{
    return edit_policy;
}

int pt_variants_find(pt_variants *out, pt_analyzer *an, ptx_reader *r, const char *word,
                     size_t word_len, const char *stem, unsigned flags)
{
    return pt_variants_find_policy(out, an, r, word, word_len, stem, flags, &edit_policy);
}

int pt_variants_find_policy(pt_variants *out, pt_analyzer *an, ptx_reader *r, const char *word,
                            size_t word_len, const char *stem, unsigned flags, const pt_edit_policy *policy)
{
    out->n = 0;
    if (!r || word_len == 0 || word_len > WORD_MAX)
        return PT_OK;
    uint64_t typed_freq = 0;
    int rc = ptx_reader_termfreq(r, stem, &typed_freq);
    if (rc)
        return rc;
    uint64_t rare = pt_rare_threshold(r);
    int name_like = (flags & PT_VARIANT_NAME) || typed_freq <= rare;

    candidates c;
    c.n = 0;
    add_numbers(&c, word, word_len);
    add_table(&c, word, word_len);
    if (name_like) {
        apply_rules(&c, word, word_len);
        size_t first_round = c.n;
        for (size_t i = 0; i < first_round; i++) {
            char w[WORD_MAX + 2];
            memcpy(w, c.words[i], sizeof w);
            apply_rules(&c, w, strlen(w));
            add_table(&c, w, strlen(w));
        }
    }
    for (size_t i = 0; i < c.n && out->n < PT_VARIANTS_MAX; i++) {
        char s[PT_VARIANT_STEM_MAX];
        int len = pt_analyzer_stem_word(an, c.words[i], strlen(c.words[i]), s, sizeof s);
        if (len <= 0)
            continue;
        uint64_t freq = 0;
        if ((rc = ptx_reader_termfreq(r, s, &freq)))
            return rc;
        if (freq)
            add_stem(out, stem, s, (size_t)len);
    }
    /* Edit distance, for rare capitalised words only. */
    size_t stem_len = strlen(stem);
    if (policy->kinds && (flags & PT_VARIANT_NAME) && typed_freq <= rare && stem_len >= policy->min_len &&
        out->n < PT_VARIANTS_MAX) {
        char near[4][PT_VARIANT_STEM_MAX];
        uint64_t freqs[4];
        size_t n = 0;
        unsigned max = stem_len >= policy->min_len_two ? 2 : 1;
        if ((rc = pt_near_terms_of(r, stem, max, policy->kinds, near, freqs, 4, &n)))
            return rc;
        for (size_t i = 0; i < n; i++)
            add_stem(out, stem, near[i], strlen(near[i]));
    }
    return PT_OK;
}
