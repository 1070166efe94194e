/* boilerplate.c — owns the paragraph filter that drops what is not the
 * article: share and comment prompts, "See Also:" link lines, photo
 * credits and captions, date and "originally published" lines, runs of
 * other headlines glued together by a scraper, and (with a context) the
 * lines a source repeats and a first line repeating the headline. Each
 * rule drops only clear cases; a paragraph no rule claims is kept. ASCII
 * case folding only: the prompts and credits it knows are English. */
#include "analysis/boilerplate.h"

#include <stddef.h>
#include <string.h>

#include "ptsearch.h" /* pt_date_parse */

/* --------------------------------------------------------------- bytes */

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int is_lower(unsigned char c)
{
    return c >= 'a' && c <= 'z';
}

static int is_upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

static int is_alpha(unsigned char c)
{
    return is_lower(c) || is_upper(c);
}

static unsigned char to_lower(unsigned char c)
{
    return is_upper(c) ? (unsigned char)(c + ('a' - 'A')) : c;
}

static size_t count_words(const unsigned char *t, size_t start, size_t end)
{
    size_t words = 0;
    for (size_t i = start; i < end; i++) {
        if (!is_space(t[i]) && (i == start || is_space(t[i - 1])))
            words++;
    }
    return words;
}

/* ------------------------------------------------- normalised paragraph */

/* Paragraphs longer than this are never a prompt or a credit; the
 * normalised copy keeps only their beginning (for prefix rules). */
enum { NORM_MAX = 512 };

/* The paragraph lower-cased (ASCII), each run of spaces made one space,
 * and trailing punctuation (". : ! ? * … — | > » )") removed, so
 * "Share this:" and "SHARE THIS" both read "share this". */
typedef struct {
    char s[NORM_MAX + 1];
    size_t len;
    int truncated; /* the paragraph did not fit: only prefixes are valid */
    size_t words;
} norm_text;

/* Length of a trailing punctuation sequence ending at s[len), or 0. */
static size_t trailing_punct_len(const char *s, size_t len)
{
    static const char *const marks[] = { "\xE2\x80\xA6" /* … */, "\xE2\x80\x94" /* — */,
                                         "\xE2\x80\x93" /* – */, "\xC2\xBB" /* » */ };
    unsigned char c = (unsigned char)s[len - 1];
    if (c == ' ' || (c != '\0' && strchr(".:!?*|>)-;,", c)))
        return 1;
    for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++) {
        size_t n = strlen(marks[k]);
        if (len >= n && memcmp(s + len - n, marks[k], n) == 0)
            return n;
    }
    return 0;
}

static void normalise(norm_text *nt, const unsigned char *t, size_t start, size_t end)
{
    size_t o = 0;
    nt->truncated = 0;
    for (size_t i = start; i < end; i++) {
        if (o == NORM_MAX) {
            nt->truncated = 1;
            break;
        }
        if (is_space(t[i])) {
            if (o > 0 && nt->s[o - 1] != ' ')
                nt->s[o++] = ' ';
        } else {
            nt->s[o++] = (char)to_lower(t[i]);
        }
    }
    if (!nt->truncated) {
        for (size_t n; o > 0 && (n = trailing_punct_len(nt->s, o)) != 0;)
            o -= n;
    }
    nt->s[o] = '\0';
    nt->len = o;
    nt->words = count_words(t, start, end);
}

static int starts_with(const norm_text *nt, const char *prefix)
{
    size_t n = strlen(prefix);
    return nt->len >= n && memcmp(nt->s, prefix, n) == 0;
}

static int ends_with(const norm_text *nt, const char *suffix)
{
    size_t n = strlen(suffix);
    return !nt->truncated && nt->len >= n && memcmp(nt->s + nt->len - n, suffix, n) == 0;
}

static int equals_one_of(const norm_text *nt, const char *const *list, size_t n)
{
    if (nt->truncated)
        return 0;
    for (size_t k = 0; k < n; k++) {
        if (strcmp(nt->s, list[k]) == 0)
            return 1;
    }
    return 0;
}

/* ------------------------------------------------ share/comment prompts */

/* Whole paragraphs, normalised. */
static const char *const prompts[] = {
    "spread the love", "leave a reply", "leave a reply cancel reply", "leave a comment",
    "post a comment", "share this", "share this article", "share this story", "share this post",
    "share on facebook", "share on twitter", "share on x", "like this", "like loading",
    "related", "related posts", "related articles", "related stories", "related news",
    "advertisement", "subscribe to our newsletter", "read more", "read the original article",
    "see also", "read also", "also read", "you may also like",
};

/* Labels that introduce a link to another story: "See Also: <headline>". */
static const char *const link_labels[] = {
    "see also:", "read also:", "also read:", "related:", "read more:", "more on this:",
};

/* A link line after its label is a headline, not a paragraph. */
enum { LINK_MAX_WORDS = 25 };

static int is_prompt(const norm_text *nt)
{
    if (equals_one_of(nt, prompts, sizeof prompts / sizeof prompts[0]))
        return 1;
    /* "Your email address will not be published. Required fields are
     * marked *" and its variants. */
    if (starts_with(nt, "your email address will not be published") && nt->words <= 30)
        return 1;
    /* "Click to share on Facebook (Opens in new window)". */
    if ((starts_with(nt, "click to share") || starts_with(nt, "click to email") ||
         starts_with(nt, "click to print")) &&
        nt->words <= 12)
        return 1;
    /* "Sign up for our daily newsletter", "Subscribe to our free newsletters". */
    if ((starts_with(nt, "sign up for ") || starts_with(nt, "sign up to ") ||
         starts_with(nt, "subscribe to ")) &&
        (ends_with(nt, "newsletter") || ends_with(nt, "newsletters")) && nt->words <= 15)
        return 1;
    for (size_t k = 0; k < sizeof link_labels / sizeof link_labels[0]; k++) {
        size_t n = strlen(link_labels[k]);
        if (starts_with(nt, link_labels[k]) && nt->len > n && nt->words <= LINK_MAX_WORDS)
            return 1;
    }
    return 0;
}

/* --------------------------------------------------------- photo credits */

/* Captions and credits introduced by a label. */
static const char *const credit_labels[] = {
    "photo:", "photos:", "photograph:", "image:", "credit:", "photo credit:", "image credit:",
    "picture:", "(photo by ", "(photo:", "(image:", "(credit:",
};

/* A labelled caption longer than this is kept (it may be prose). */
enum { CREDIT_LABEL_MAX_WORDS = 40, CREDIT_MAX_WORDS = 12 };

/* Photo agencies, normalised; matched at the end of a credit's last
 * segment ("Afp | Getty Images", "Bloomberg via Getty Images"). */
static const char *const agencies[] = {
    "getty images", "getty", "afp", "reuters", "ap", "ap photo", "associated press", "epa",
    "epa-efe", "efe", "shutterstock", "alamy", "alamy stock photo", "bloomberg", "anadolu",
    "anadolu agency", "xinhua", "tass", "sputnik", "ria novosti", "pa", "pa wire", "pa images",
    "zuma", "zuma press", "zuma wire", "sipa", "sipa usa", "dpa", "picture alliance", "nurphoto",
    "sopa images", "lightrocket", "istock", "istockphoto", "unsplash", "wikimedia commons",
    "ukrinform", "kyodo", "yonhap", "imago", "abaca", "rex",
};

/* Agencies that also lead a credit: "AP Photo/Efrem Lukatsky",
 * "REUTERS/Gleb Garanich". */
static const char *const leading_agencies[] = { "ap photo", "reuters", "afp", "epa" };

/* s[start..end) trimmed of spaces and closing punctuation. */
static void trim_segment(const char *s, size_t *start, size_t *end)
{
    while (*start < *end && s[*start] == ' ')
        (*start)++;
    while (*end > *start && (s[*end - 1] == ' ' || s[*end - 1] == ')' || s[*end - 1] == '.' ||
                             s[*end - 1] == ','))
        (*end)--;
}

/* Does s[start..end) end with an agency name at a word boundary? */
static int segment_ends_with_agency(const char *s, size_t start, size_t end)
{
    for (size_t k = 0; k < sizeof agencies / sizeof agencies[0]; k++) {
        size_t n = strlen(agencies[k]);
        if (end - start < n || memcmp(s + end - n, agencies[k], n) != 0)
            continue;
        if (end - n == start || s[end - n - 1] == ' ')
            return 1;
    }
    return 0;
}

/* Does a credit start with a leading agency that is followed by a
 * photographer's name (a few words, no digits, no colon)? */
static int is_leading_agency_credit(const char *s, size_t first_end, size_t rest, size_t len)
{
    size_t a = 0, b = first_end;
    trim_segment(s, &a, &b);
    int agency = 0;
    for (size_t k = 0; k < sizeof leading_agencies / sizeof leading_agencies[0]; k++) {
        if (strlen(leading_agencies[k]) == b - a && memcmp(s + a, leading_agencies[k], b - a) == 0)
            agency = 1;
    }
    if (!agency)
        return 0;
    size_t words = 0;
    for (size_t i = rest; i < len; i++) {
        if (s[i] == ':' || (s[i] >= '0' && s[i] <= '9'))
            return 0;
        if (s[i] != ' ' && (i == rest || s[i - 1] == ' '))
            words++;
    }
    return words >= 1 && words <= 4;
}

/* "John Macdougall | Afp | Getty Images", "Sean Gallup/Getty Images",
 * "AP Photo/Efrem Lukatsky": a short line cut by | or / whose last segment
 * names an agency (or whose first segment is one). */
static int is_segmented_credit(const norm_text *nt)
{
    if (nt->truncated || nt->words > CREDIT_MAX_WORDS)
        return 0;
    const char *s = nt->s;
    size_t first_end = 0, last_start = 0, segments = 1;
    for (size_t i = 0; i < nt->len; i++) {
        if (s[i] == '|' || s[i] == '/') {
            if (segments == 1)
                first_end = i;
            segments++;
            last_start = i + 1;
        }
    }
    if (segments < 2)
        return 0;
    size_t a = last_start, b = nt->len;
    trim_segment(s, &a, &b);
    if (a < b && segment_ends_with_agency(s, a, b))
        return 1;
    return is_leading_agency_credit(s, first_end, first_end + 1, nt->len);
}

static int is_photo_credit(const norm_text *nt)
{
    for (size_t k = 0; k < sizeof credit_labels / sizeof credit_labels[0]; k++) {
        if (starts_with(nt, credit_labels[k]) && nt->words <= CREDIT_LABEL_MAX_WORDS)
            return 1;
    }
    return is_segmented_credit(nt);
}

/* --------------------------------------------------------- field lines */

/* A line that is only a date ("December 16, 2025", "Dec 15, 2025"):
 * a field above the lede (text_fields.c reads the first into the article's
 * date). Further down it may head an entry of a timeline: kept there. */
static int is_date_only(const unsigned char *t, size_t start, size_t end)
{
    char date[11];
    const char *s = (const char *)t + start;
    size_t n = end - start;
    while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ','))
        n--;
    size_t used = pt_date_parse(s, n, date);
    return used > 0 && used == n;
}

/* A date field ("date 2025-12-15", "Date: …") whose rest is empty or an
 * "originally published" notice: a field, not text, wherever it is. */
static int is_originally_notice(const norm_text *nt);

static int is_date_field_line(const unsigned char *t, size_t start, size_t end)
{
    char date[11];
    const char *s = (const char *)t + start;
    size_t n = end - start, used;
    if (n < 5)
        return 0;
    norm_text head;
    normalise(&head, t, start, start + 4);
    if (strcmp(head.s, "date") != 0)
        return 0;
    size_t i = 4;
    if (s[i] == ':')
        i++;
    while (i < n && is_space((unsigned char)s[i]))
        i++;
    if (i == 4 || (used = pt_date_parse(s + i, n - i, date)) == 0)
        return 0;
    size_t rest = start + i + used;
    while (rest < end && is_space(t[rest]))
        rest++;
    if (rest == end)
        return 1;
    norm_text nt;
    normalise(&nt, t, rest, end);
    return is_originally_notice(&nt);
}

/* "This article was originally published in The Conversation. Read the
 * original article.": where the text comes from, said by its publisher. */
enum { NOTICE_MAX_WORDS = 30 };

static int is_originally_notice(const norm_text *nt)
{
    if (nt->truncated || nt->words > NOTICE_MAX_WORDS || !starts_with(nt, "this "))
        return 0;
    return strstr(nt->s, " originally published ") != NULL || strstr(nt->s, " originally appeared ") != NULL;
}

/* ------------------------------------------------------------ captions */

/* A caption is short; a credit after its last full stop is a few names. */
enum { CAPTION_MAX_WORDS = 40, CREDIT_TAIL_MAX_BYTES = 40, CREDIT_TAIL_MAX_WORDS = 4 };

/* Is t[a..b) a credit's name list: 1–4 words, each starting with a
 * capital letter ("AP", "Reuters", "Getty Images", "EPA/Str"), no
 * sentence punctuation? */
static int is_credit_names(const unsigned char *t, size_t a, size_t b)
{
    while (a < b && is_space(t[a]))
        a++;
    while (b > a && is_space(t[b - 1]))
        b--;
    if (a == b || b - a > CREDIT_TAIL_MAX_BYTES)
        return 0;
    size_t words = 0;
    for (size_t i = a; i < b; i++) {
        if (t[i] && strchr(".!?,:;\"", t[i]) != NULL)
            return 0;
        if (!is_space(t[i]) && (i == a || is_space(t[i - 1]) || t[i - 1] == '/')) {
            if (!is_upper(t[i]))
                return 0;
            words++;
        }
    }
    return words <= CREDIT_TAIL_MAX_WORDS;
}

/* Does the credit t[a..b) end with an agency ("AP", "Getty Images")? A
 * person's name alone after a dash signs a post as often as a photo. */
static int credit_ends_with_agency(const unsigned char *t, size_t a, size_t b)
{
    norm_text credit;
    normalise(&credit, t, a, b);
    size_t from = 0;
    for (size_t i = 0; i < credit.len; i++) {
        if (credit.s[i] == '/' || credit.s[i] == '|')
            from = i + 1;
    }
    size_t to = credit.len;
    trim_segment(credit.s, &from, &to);
    return from < to && segment_ends_with_agency(credit.s, from, to);
}

/* Does t[i] end a sentence: . ! ? or a closing quote or bracket after one? */
static int ends_sentence(const unsigned char *t, size_t start, size_t i)
{
    while (i > start && (t[i - 1] == ' ' || t[i - 1] == ')' || t[i - 1] == '"' ||
                         (i - start >= 3 && t[i - 3] == 0xE2 && t[i - 2] == 0x80 &&
                          (t[i - 1] == 0x9D || t[i - 1] == 0x99))))
        i -= t[i - 1] >= 0x80 ? 3 : 1;
    return i > start && (t[i - 1] == '.' || t[i - 1] == '!' || t[i - 1] == '?');
}

/* "… differences remain over land. -AP", "… in Kyiv. (AP Photo/Efrem
 * Lukatsky)": a short line whose last sentence is followed by a credit. */
static int ends_in_credit(const unsigned char *t, size_t start, size_t end, size_t words)
{
    if (words > CAPTION_MAX_WORDS)
        return 0;
    size_t from = end > start + CREDIT_TAIL_MAX_BYTES + 8 ? end - CREDIT_TAIL_MAX_BYTES - 8 : start;
    for (size_t i = end; i-- > from;) {
        size_t dash = t[i] == '-' ? 1
                      : i + 2 < end && t[i] == 0xE2 && t[i + 1] == 0x80 && (t[i + 2] == 0x93 || t[i + 2] == 0x94)
                          ? 3 : 0;
        if (dash && ends_sentence(t, start, i) && is_credit_names(t, i + dash, end) &&
            credit_ends_with_agency(t, i + dash, end))
            return 1;
    }
    if (t[end - 1] != ')')
        return 0;
    size_t open = end - 1;
    while (open > start && t[open] != '(')
        open--;
    if (t[open] != '(' || !ends_sentence(t, start, open))
        return 0;
    norm_text inside;
    normalise(&inside, t, open + 1, end - 1);
    return is_photo_credit(&inside) ||
           (inside.words <= CREDIT_TAIL_MAX_WORDS && segment_ends_with_agency(inside.s, 0, inside.len));
}

/* The next non-blank line after t[end], within len: its bounds, or 0. */
static int next_line(const unsigned char *t, size_t end, size_t len, size_t *a, size_t *b)
{
    size_t i = end;
    while (i < len && t[i] != '\n' && t[i] != '\r')
        i++;
    while (i < len && is_space(t[i]))
        i++;
    if (i >= len)
        return 0;
    size_t j = i;
    while (j < len && t[j] != '\n' && t[j] != '\r')
        j++;
    while (j > i && is_space(t[j - 1]))
        j--;
    *a = i;
    *b = j;
    return 1;
}

/* A short sentence followed by a photo credit is the caption it credits
 * (a line without a full stop there may be a headline: kept). */
static int is_caption_before_credit(const unsigned char *t, size_t start, size_t end, size_t words,
                                    size_t len)
{
    size_t a, b;
    if (words > CAPTION_MAX_WORDS || !ends_sentence(t, start, end) || !next_line(t, end, len, &a, &b))
        return 0;
    norm_text credit;
    normalise(&credit, t, a, b);
    return is_photo_credit(&credit);
}

/* "Volodymyr Zelenskiy and Steve Witkoff" over "President Volodymyr
 * Zelenskiy says ... over land. -AP": a few words without a full stop
 * just above a caption name the photo; they belong to it. */
enum { PHOTO_LABEL_MAX_WORDS = 10 };

static int is_photo_label(const unsigned char *t, size_t start, size_t end, size_t words, size_t len)
{
    size_t a, b;
    if (words > PHOTO_LABEL_MAX_WORDS || ends_sentence(t, start, end) || !next_line(t, end, len, &a, &b))
        return 0;
    size_t next_words = count_words(t, a, b);
    return ends_in_credit(t, a, b, next_words) || is_caption_before_credit(t, a, b, next_words, len);
}

/* ------------------------------------------------------- headline runs */

/* A scraper that drops the separators between a list of headlines leaves
 * "...for deportation push: NYTTrump’s AI order... claimTrump sued by...".
 * The seam is a "glue point": a capitalised word stuck to the end of the
 * word before. Strong glue points are stuck to an all-lowercase word of 3+
 * letters ("claimTrump", "releasedPutin") or to a closing quote after a
 * lowercase word ("orders’Trump"); real CamelCase names start with a
 * capital ("WhatsApp", "YouTube", "McDonald", "DeSantis") or with a single
 * lowercase letter ("iPhone", "eBay") and so are never strong. Weak glue
 * points follow a capitalised word of 5+ letters ("SenateHouse", and also
 * "WhatsApp"). A paragraph is a headline run when it has at least
 * RUN_MIN_STRONG tokens with a strong glue point and one glued token per
 * RUN_WORDS_PER_GLUE words or more; prose does not come near that. */
enum { RUN_MIN_STRONG = 3, RUN_WORDS_PER_GLUE = 20, GLUE_MIN_LOWER = 3, GLUE_MIN_CAPITALISED = 5 };

/* Length of a closing quote ending just before t[i] (i > from), or 0. */
static size_t quote_before(const unsigned char *t, size_t from, size_t i)
{
    if (i - from >= 1 && (t[i - 1] == '"' || t[i - 1] == '\''))
        return 1;
    /* ’ U+2019 and ” U+201D */
    if (i - from >= 3 && t[i - 3] == 0xE2 && t[i - 2] == 0x80 && (t[i - 1] == 0x99 || t[i - 1] == 0x9D))
        return 3;
    return 0;
}

/* 2 when the capitalised word at t[i] is stuck to the word before it by a
 * strong glue point, 1 for a weak one, else 0. The token starts at from. */
static int glue_at(const unsigned char *t, size_t from, size_t i)
{
    size_t q = quote_before(t, from, i);
    if (q) {
        size_t j = i - q;
        return j - from >= 2 && is_lower(t[j - 1]) && is_lower(t[j - 2]) ? 2 : 0;
    }
    size_t j = i;
    while (j > from && is_lower(t[j - 1]))
        j--;
    size_t lower = i - j;
    if (lower == 0)
        return 0;
    if (j == from || !is_alpha(t[j - 1]))
        return lower >= GLUE_MIN_LOWER ? 2 : 0;
    if (is_upper(t[j - 1]) && (j - 1 == from || !is_alpha(t[j - 2])) &&
        lower + 1 >= GLUE_MIN_CAPITALISED)
        return 1;
    return 0;
}

static int is_headline_run(const unsigned char *t, size_t start, size_t end)
{
    size_t words = 0, strong = 0, glued = 0;
    size_t i = start;
    while (i < end) {
        while (i < end && is_space(t[i]))
            i++;
        if (i == end)
            break;
        size_t tok = i;
        int best = 0;
        while (i < end && !is_space(t[i])) {
            if (i > tok && i + 1 < end && is_upper(t[i]) && is_lower(t[i + 1])) {
                int g = glue_at(t, tok, i);
                best = g > best ? g : best;
            }
            i++;
        }
        words++;
        strong += best == 2;
        glued += best != 0;
    }
    return strong >= RUN_MIN_STRONG && glued * RUN_WORDS_PER_GLUE >= words;
}

/* ---------------------------------------------------------------- filter */

int pt_boilerplate_is_credit(const char *text, size_t start, size_t end)
{
    norm_text nt;
    normalise(&nt, (const unsigned char *)text, start, end);
    return is_photo_credit(&nt);
}

int pt_boilerplate_is_caption(const char *text, size_t start, size_t end, size_t text_len)
{
    const unsigned char *t = (const unsigned char *)text;
    size_t words = count_words(t, start, end);
    return start < end &&
           (ends_in_credit(t, start, end, words) || is_caption_before_credit(t, start, end, words, text_len));
}

/* A kept paragraph this long is prose: the header (headline, dates,
 * standfirst, menu lines) is above it. */
enum { LEDE_MIN_WORDS = 20 };

void pt_boilerplate_ctx_init(pt_boilerplate_ctx *c, const char *title, size_t text_len,
                             pt_recurring *recurring, const char *source)
{
    *c = (pt_boilerplate_ctx){ title, text_len, recurring, pt_recurring_source(source), 0, 0, 0 };
}

/* Does t[start..end) say the headline again, with more text after it? */
static int repeats_headline(const pt_boilerplate_ctx *c, const unsigned char *t, size_t start, size_t end)
{
    if (c->lede_seen || !c->title)
        return 0;
    size_t n = strlen(c->title);
    while (n > 0 && is_space((unsigned char)c->title[n - 1]))
        n--;
    size_t a, b;
    return n == end - start && memcmp(c->title, t + start, n) == 0 && next_line(t, end, c->text_len, &a, &b);
}

/* The rules that need the context (c may be NULL). */
static int context_drops(pt_boilerplate_ctx *c, const unsigned char *t, size_t start, size_t end,
                         size_t words)
{
    if (!c)
        return 0;
    if (repeats_headline(c, t, start, end)) {
        c->headline_dropped = 1;
        return 1;
    }
    if (is_caption_before_credit(t, start, end, words, c->text_len) ||
        is_photo_label(t, start, end, words, c->text_len) || (!c->lede_seen && is_date_only(t, start, end)))
        return 1;
    if (pt_recurring_is_boilerplate(c->recurring, c->source, (const char *)t, start, end)) {
        c->recurring_dropped++;
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------- glued lines */

/* Is t[i] the start of a piece of the line after a sentence or a quote
 * ("... got on... Scroll down", "x.' Scroll down", "video: VIEWERS"):
 * after spaces that follow . ! ? : or a closing quote? */
static int piece_starts_at(const unsigned char *t, size_t start, size_t i)
{
    if (i <= start + 1 || is_space(t[i]) || !is_space(t[i - 1]))
        return 0;
    size_t j = i - 1;
    while (j > start && is_space(t[j]))
        j--;
    unsigned char c = t[j];
    if (c == '.' || c == '!' || c == '?' || c == ':' || c == '\'' || c == '"')
        return 1;
    /* ’ U+2019, ” U+201D */
    return j >= start + 2 && t[j - 2] == 0xE2 && t[j - 1] == 0x80 && (c == 0x99 || c == 0x9D);
}

/* The end of t[start..i) without its trailing spaces. */
static size_t before_spaces(const unsigned char *t, size_t start, size_t i)
{
    while (i > start && is_space(t[i - 1]))
        i--;
    return i;
}

/* Longest glued line: one word more than a recurring line can have. */
enum { GLUED_MAX_WORDS = PT_RECUR_MAX_WORDS + 1 };

/* Where the text starts once a line the source repeats, glued at the
 * head of t[start..end), is left out; start when there is none. */
static size_t skip_glued_head(const pt_boilerplate_ctx *c, const unsigned char *t, size_t start, size_t end)
{
    size_t words = 0;
    for (size_t i = start + 1; i < end && words <= GLUED_MAX_WORDS; i++) {
        words += is_space(t[i - 1]) && !is_space(t[i]);
        if (piece_starts_at(t, start, i) &&
            pt_recurring_is_boilerplate(c->recurring, c->source, (const char *)t, start, before_spaces(t, start, i)))
            return i;
    }
    return start;
}

/* Where the text ends once a line the source repeats, glued at the tail
 * of t[start..end) and starting with a capital, is left out; end when
 * there is none. */
static size_t cut_glued_tail(const pt_boilerplate_ctx *c, const unsigned char *t, size_t start, size_t end)
{
    size_t words = 0;
    for (size_t i = end; i-- > start + 1 && words <= GLUED_MAX_WORDS;) {
        words += is_space(t[i - 1]) && !is_space(t[i]);
        if ((is_upper(t[i]) || t[i] >= 0x80) && piece_starts_at(t, start, i) &&
            pt_recurring_is_boilerplate(c->recurring, c->source, (const char *)t, i, end))
            return before_spaces(t, start, i);
    }
    return end;
}

void pt_boilerplate_trim(const char *text, size_t *start, size_t *end, void *ctx)
{
    pt_boilerplate_ctx *c = ctx;
    if (!c || !c->recurring)
        return;
    const unsigned char *t = (const unsigned char *)text;
    size_t s = *start, e = *end, cut;
    while (s < e && (cut = skip_glued_head(c, t, s, e)) != s) {
        s = cut;
        c->recurring_dropped++;
    }
    while (s < e && (cut = cut_glued_tail(c, t, s, e)) != e) {
        e = cut;
        c->recurring_dropped++;
    }
    if (s < e && (s != *start || e != *end) && pt_recurring_is_boilerplate(c->recurring, c->source, text, s, e)) {
        s = e; /* what is left is a repeated line too */
        c->recurring_dropped++;
    }
    *start = s;
    *end = e;
}

int pt_boilerplate_keep(const char *text, size_t start, size_t end, void *ctx)
{
    pt_boilerplate_ctx *c = ctx;
    const unsigned char *t = (const unsigned char *)text;
    while (start < end && is_space(t[start]))
        start++;
    while (end > start && is_space(t[end - 1]))
        end--;
    if (start == end)
        return 1;

    norm_text nt;
    normalise(&nt, t, start, end);
    if (is_prompt(&nt) || is_photo_credit(&nt) || is_originally_notice(&nt) || is_date_field_line(t, start, end) ||
        ends_in_credit(t, start, end, nt.words) || is_headline_run(t, start, end) ||
        context_drops(c, t, start, end, nt.words))
        return 0;
    if (c)
        c->lede_seen |= nt.words >= LEDE_MIN_WORDS;
    return 1;
}
