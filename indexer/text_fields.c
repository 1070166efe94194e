/* text_fields.c — owns reading an article's fields out of its text: the title
 * (first content line), the date (a line that is only a date, or a leading
 * "date YYYY-MM-DD"), the outlet ("originally published in X.", a "(Reuters) -"
 * dateline, a closing "with AP" line); dates are read by lib/analysis/date.c.
 * Only the first lines and the last lines are read, so cost does not grow
 * with the article. Anything not clearly stated is left NULL. */
#include "text_fields.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ptsearch.h"

/* Lines read from the start (title, date, source) and from the end
 * (source). Non-blank lines only. */
enum { HEADER_LINES = 12, TRAILER_LINES = 3 };

/* Longest title kept, in characters (code points), "…" included. */
enum { TITLE_MAX_CHARS = 150 };

/* Longest outlet name accepted; longer is prose, not a name. */
enum { SOURCE_MAX_BYTES = 80, WITH_SOURCE_MAX_WORDS = 4 };

/* ------------------------------------------------------------ bytes */

/* ptindex runs in the C locale: <ctype.h> classifies ASCII bytes only. */
static int is_space(unsigned char c) { return isspace(c); }
static int is_digit(unsigned char c) { return isdigit(c); }
static int is_alpha(unsigned char c) { return isalpha(c); }
static int is_upper(unsigned char c) { return isupper(c); }

/* Is c one of the bytes of set? (strchr would also match a NUL byte.) */
static int is_one_of(char c, const char *set)
{
    return c != '\0' && strchr(set, c) != NULL;
}

/* Does s[0..len) start with word (lower case ASCII), ignoring case?
 * (ptindex runs in the C locale: strncasecmp is ASCII there.) */
static int starts_with_ci(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    return len >= n && strncasecmp(s, word, n) == 0;
}

/* Offset of the first occurrence of word (lower case) in s[0..len),
 * ignoring case, or len. */
static size_t find_ci(const char *s, size_t len, const char *word)
{
    for (size_t i = 0; i < len; i++)
        if (starts_with_ci(s + i, len - i, word))
            return i;
    return len;
}

/* A line: [start, end) trimmed of surrounding space. */
typedef struct {
    size_t start, end;
} span;

/* The line [start, end) trimmed of surrounding space into *out; 0 when
 * nothing is left of it. */
static int trimmed(const char *text, size_t start, size_t end, span *out)
{
    while (start < end && is_space((unsigned char)text[start]))
        start++;
    while (end > start && is_space((unsigned char)text[end - 1]))
        end--;
    *out = (span){ start, end };
    return start < end;
}

/* Finds the next non-blank line at or after *pos; 0 when there is none. */
static int next_line(const char *text, size_t len, size_t *pos, span *out)
{
    while (*pos < len) {
        size_t start = *pos, end = start;
        while (end < len && text[end] != '\n' && text[end] != '\r')
            end++;
        *pos = end + 1;
        if (trimmed(text, start, end, out))
            return 1;
    }
    return 0;
}

/* Finds the previous non-blank line ending at or before *pos, reading
 * backwards; 0 when there is none. */
static int prev_line(const char *text, size_t *pos, span *out)
{
    while (*pos > 0) {
        size_t end = *pos, start = end;
        while (start > 0 && text[start - 1] != '\n' && text[start - 1] != '\r')
            start--;
        *pos = start > 0 ? start - 1 : 0;
        if (trimmed(text, start, end, out))
            return 1;
    }
    return 0;
}

/* ------------------------------------------------------------ blanks */

static size_t skip_blanks(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

/* ------------------------------------------------------------ strings */

/* Length of the valid UTF-8 sequence at s[i], or 0 if it is not valid:
 * strict, as utf8_clean.c (no overlong forms, no surrogates, nothing
 * above U+10FFFF), so what copy_clean keeps is valid UTF-8. */
static size_t utf8_len(const unsigned char *s, size_t i, size_t end)
{
    unsigned char c = s[i];
    size_t n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
             : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (n == 0 || i + n > end)
        return 0;
    unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    if (n > 1 && (s[i + 1] < lo || s[i + 1] > hi))
        return 0;
    for (size_t k = 2; k < n; k++)
        if ((s[i + k] & 0xC0) != 0x80)
            return 0;
    return n;
}

/* Copies s[start..end) as a NUL-terminated string, with control bytes
 * (NUL included) turned into spaces and invalid UTF-8 into U+FFFD, then
 * appends suffix. NULL when out of memory. */
static char *copy_clean(const char *s, size_t start, size_t end, const char *suffix)
{
    const unsigned char *u = (const unsigned char *)s;
    char *out = malloc((end - start) * 3 + strlen(suffix) + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = start; i < end;) {
        size_t n = utf8_len(u, i, end);
        if (n == 0) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        } else if (n == 1 && (u[i] < 0x20 || u[i] == 0x7F)) {
            out[o++] = ' ';
            i++;
        } else {
            memcpy(out + o, s + i, n);
            o += n;
            i += n;
        }
    }
    strcpy(out + o, suffix);
    return out;
}

static int set_field(char **field, const char *s, size_t start, size_t end, const char *suffix)
{
    *field = copy_clean(s, start, end, suffix);
    return *field ? 0 : pt_fail(PT_ENOMEM, "out of memory");
}

/* -------------------------------------------------------------- title */

/* Sets the title from a line; a line longer than TITLE_MAX_CHARS is cut at
 * the last space that leaves room for "…", with trailing punctuation
 * dropped so it does not read "word,…". */
static int set_title(pt_text_fields *out, const char *text, span line)
{
    size_t chars = 0, cut = line.end;
    for (size_t i = line.start; i < line.end; chars++) {
        if (chars == TITLE_MAX_CHARS - 1)
            cut = i; /* room for TITLE_MAX_CHARS - 1 characters and "…" */
        /* Counted as copy_clean writes it: an invalid byte is one U+FFFD. */
        size_t n = utf8_len((const unsigned char *)text, i, line.end);
        i += n ? n : 1;
    }
    if (chars <= TITLE_MAX_CHARS)
        return set_field(&out->title, text, line.start, line.end, "");

    size_t end = cut;
    while (end > line.start && !is_space((unsigned char)text[end]))
        end--;
    if (end == line.start)
        end = cut; /* one long word: cut it between characters */
    while (end > line.start && (is_space((unsigned char)text[end - 1]) ||
                                is_one_of(text[end - 1], ",;:-(")))
        end--;
    return set_field(&out->title, text, line.start, end, "\xE2\x80\xA6");
}

/* A headline is short and rarely ends in a full stop; a longer line or a
 * sentence of more than a few words is the lede of a text without one. */
enum { HEADLINE_MAX_WORDS = 20, HEADLINE_SENTENCE_MAX_WORDS = 12 };

static int is_headline(const char *text, span line)
{
    size_t words = 0;
    for (size_t i = line.start; i < line.end; i++)
        words += !is_space((unsigned char)text[i]) && (i == line.start || is_space((unsigned char)text[i - 1]));
    return words <= HEADLINE_MAX_WORDS && (text[line.end - 1] != '.' || words <= HEADLINE_SENTENCE_MAX_WORDS);
}

/* Titles that take a full stop inside a sentence ("Mr. Trump", "Gen.
 * Syrskyi"): the first sentence does not end there. */
static int ends_abbreviation(const char *text, size_t start, size_t dot)
{
    static const char *const abbreviations[] = { "Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Sen", "Rep", "Gov",
                                                 "Jr", "Sr", "No", "vs", "Lt", "Col", "Prof", "Rev" };
    size_t w = dot;
    while (w > start && !is_space((unsigned char)text[w - 1]))
        w--;
    /* "U.S.", "J.": a single letter before the dot. */
    if (dot - w == 1 || (dot >= w + 2 && text[dot - 2] == '.'))
        return 1;
    for (size_t k = 0; k < sizeof abbreviations / sizeof abbreviations[0]; k++) {
        if (strlen(abbreviations[k]) == dot - w && memcmp(text + w, abbreviations[k], dot - w) == 0)
            return 1;
    }
    return 0;
}

/* The first sentence of the line: up to the first . ! or ? (and closing
 * quotes) followed by a space that does not end an abbreviation. */
static span first_sentence(const char *text, span line)
{
    for (size_t i = line.start; i < line.end; i++) {
        char c = text[i];
        if (c != '.' && c != '!' && c != '?')
            continue;
        size_t j = i + 1;
        while (j < line.end && (text[j] == '"' || text[j] == '\'' || (unsigned char)text[j] >= 0x80) &&
               !is_space((unsigned char)text[j]))
            j++;
        if (j < line.end && is_space((unsigned char)text[j]) && !(c == '.' && ends_abbreviation(text, line.start, i)))
            return (span){ line.start, j };
    }
    return line;
}

/* The title from the first line that may hold one: a headline, or the
 * first sentence of a text without one (flagged). */
static int choose_title(pt_text_fields *out, const char *text, span line)
{
    if (is_headline(text, line))
        return set_title(out, text, line);
    out->title_is_first_sentence = 1;
    return set_title(out, text, first_sentence(text, line));
}

/* --------------------------------------------------------------- date */

/* If the line is only a date, returns 1 and writes it. */
static int date_line(const char *text, span line, char date[11])
{
    size_t n = line.end - line.start;
    size_t used = pt_date_parse(text + line.start, n, date);
    return used > 0 && used == n;
}

/* If the line starts "date 2025-12-15" or "Date: December 16, 2025",
 * returns where the rest of the line begins (after the date) and writes
 * the date; 0 otherwise. */
static size_t date_field_line(const char *text, span line, char date[11])
{
    const char *s = text + line.start;
    size_t n = line.end - line.start;
    if (!starts_with_ci(s, n, "date") || n == 4)
        return 0;
    size_t i = 4;
    if (s[i] == ':')
        i++;
    size_t j = skip_blanks(s, n, i);
    if (j == i && s[i - 1] != ':')
        return 0;
    size_t used = pt_date_parse(s + j, n - j, date);
    return used ? line.start + j + used : 0;
}

/* ------------------------------------------------------------- source */

/* End of the name that starts at s[i]: the first full stop that ends a
 * sentence (followed by a space or the line end, and not after a single
 * letter, as in "U.S. News"), or the line end. */
static size_t name_end(const char *s, size_t i, size_t end)
{
    for (size_t k = i; k < end; k++) {
        if (s[k] != '.' || (k + 1 < end && !is_space((unsigned char)s[k + 1])))
            continue;
        int single_letter = k >= i + 1 && is_alpha((unsigned char)s[k - 1]) &&
                            (k == i + 1 || s[k - 2] == '.' || is_space((unsigned char)s[k - 2]));
        if (!single_letter)
            return k;
    }
    return end;
}

/* Accepts s[start..end) as an outlet name: short, starting with a capital
 * letter or digit. Trailing space and full stops are trimmed. */
static int set_source(pt_text_fields *out, const char *s, size_t start, size_t end)
{
    while (end > start && (is_space((unsigned char)s[end - 1]) || s[end - 1] == '.'))
        end--;
    if (end == start || end - start > SOURCE_MAX_BYTES ||
        !(is_upper((unsigned char)s[start]) || is_digit((unsigned char)s[start])))
        return 1; /* not a name: no source, no error */
    return set_field(&out->source, s, start, end, "");
}

/* "This article was originally published in Radio Free Europe. …",
 * "originally appeared on The Conversation." Returns 0 (found or not) or
 * PT_ENOMEM. */
static int source_originally(pt_text_fields *out, const char *text, span line)
{
    static const char *const phrases[] = { "originally published ", "originally appeared " };
    static const char *const links[] = { "in ", "on ", "by " };
    for (size_t p = 0; p < 2; p++) {
        size_t at = line.start + find_ci(text + line.start, line.end - line.start, phrases[p]);
        if (at == line.end)
            continue;
        size_t i = at + strlen(phrases[p]);
        for (size_t l = 0; l < 3; l++) {
            if (!starts_with_ci(text + i, line.end - i, links[l]))
                continue;
            i = skip_blanks(text, line.end, i + strlen(links[l]));
            int rc = set_source(out, text, i, name_end(text, i, line.end));
            return rc > 0 ? 0 : rc;
        }
    }
    return 0;
}

/* A wire dateline near the start of a line: "(Reuters) -", "KYIV (AP) —". */
static int source_dateline(pt_text_fields *out, const char *text, span line)
{
    enum { DATELINE_MAX_OFFSET = 60, DATELINE_NAME_MAX = 30 };
    const char *s = text + line.start;
    size_t n = line.end - line.start;
    size_t open = 0;
    while (open < n && open < DATELINE_MAX_OFFSET && s[open] != '(') {
        /* Only a place and date may come before ("KYIV, Dec 15"): no
         * sentence, no word starting in lower case. */
        int word_start = open == 0 || is_space((unsigned char)s[open - 1]);
        if (is_one_of(s[open], "!?\"") || (word_start && s[open] >= 'a' && s[open] <= 'z'))
            return 0;
        open++;
    }
    if (open >= n || s[open] != '(')
        return 0;
    size_t close = open + 1;
    while (close < n && close - open <= DATELINE_NAME_MAX && s[close] != ')' && s[close] != '(')
        close++;
    if (close >= n || s[close] != ')' || close == open + 1)
        return 0;
    size_t after = skip_blanks(s, n, close + 1);
    int dash = (after < n && s[after] == '-') ||
               (after + 2 < n && memcmp(s + after, "\xE2\x80", 2) == 0 &&
                (s[after + 2] == '\x93' || s[after + 2] == '\x94'));
    if (!dash || after == close + 1)
        return 0;
    int rc = set_source(out, text, line.start + open + 1, line.start + close);
    return rc > 0 ? 0 : rc;
}

/* A closing credit line: "with AP", "With Reuters and AFP". */
static int source_with_line(pt_text_fields *out, const char *text, span line)
{
    const char *s = text + line.start;
    size_t n = line.end - line.start;
    if (!starts_with_ci(s, n, "with ") || n > 5 + SOURCE_MAX_BYTES / 2)
        return 0;
    size_t i = skip_blanks(s, n, 5), words = 0;
    for (size_t k = i; k < n; k++) {
        if (is_one_of(s[k], "!?:;\""))
            return 0; /* a sentence, not a credit */
        words += !is_space((unsigned char)s[k]) && (k == i || is_space((unsigned char)s[k - 1]));
    }
    if (words == 0 || words > WITH_SOURCE_MAX_WORDS)
        return 0;
    int rc = set_source(out, text, line.start + i, line.end);
    return rc > 0 ? 0 : rc;
}

/* ------------------------------------------------------------- driver */

/* Reads the first HEADER_LINES lines: date, title, and a stated source. */
static int read_header(pt_text_fields *out, const char *text, size_t len)
{
    char date[11];
    size_t pos = 0;
    span line;
    for (int k = 0; k < HEADER_LINES && next_line(text, len, &pos, &line); k++) {
        int rc = 0;
        size_t rest = 0;
        if (date_line(text, line, date)) {
            if (!out->date)
                rc = set_field(&out->date, date, 0, 10, "");
        } else if ((rest = date_field_line(text, line, date)) != 0) {
            /* A date field line: its date counts, it is no title, and the
             * rest of it may name the outlet. */
            if (!out->date)
                rc = set_field(&out->date, date, 0, 10, "");
            if (rc == 0 && !out->source)
                rc = source_originally(out, text, (span){ rest, line.end });
        } else {
            /* A photo's caption and credit are not the article's title. */
            if (!out->title && !pt_boilerplate_is_credit(text, line.start, line.end) &&
                !pt_boilerplate_is_caption(text, line.start, line.end, len))
                rc = choose_title(out, text, line);
            if (rc == 0 && !out->source)
                rc = source_originally(out, text, line);
            if (rc == 0 && !out->source)
                rc = source_dateline(out, text, line);
        }
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Reads the last TRAILER_LINES lines for a stated source. */
static int read_trailer(pt_text_fields *out, const char *text, size_t len)
{
    size_t pos = len;
    span line;
    for (int k = 0; k < TRAILER_LINES && !out->source && prev_line(text, &pos, &line); k++) {
        int rc = k == 0 ? source_with_line(out, text, line) : 0;
        if (rc == 0 && !out->source)
            rc = source_originally(out, text, line);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int pt_text_fields_read(pt_text_fields *out, const char *text, size_t len)
{
    out->title = out->source = out->date = NULL;
    out->title_is_first_sentence = 0;
    int rc = read_header(out, text, len);
    if (rc == 0)
        rc = read_trailer(out, text, len);
    return rc;
}

void pt_text_fields_clear(pt_text_fields *fields)
{
    if (!fields)
        return;
    free(fields->title);
    free(fields->source);
    free(fields->date);
    fields->title = fields->source = fields->date = NULL;
    fields->title_is_first_sentence = 0;
}
