/* date.c — owns reading a date as articles write it (2025-12-15 with or
 * without a time, "December 16, 2025", "Dec 15, 2025", "15 December 2025",
 * 2025/12/15) into "YYYY-MM-DD". The indexer's extractors
 * (indexer/text_fields.c, the HTML, Markdown and JSON Lines ones) and the
 * boilerplate filter's date lines (boilerplate.c) share it; ptsearch.h
 * declares it. */
#include "ptsearch.h"

#include <string.h>

/* ------------------------------------------------------------ bytes */

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

static unsigned char lower(unsigned char c)
{
    return is_upper(c) ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Does s[0..n) equal word[0..n), ignoring case? word is lower case. */
static int same_ci(const char *s, const char *word, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (lower((unsigned char)s[k]) != (unsigned char)word[k])
            return 0;
    return 1;
}

/* Does s[0..len) start with word (lower case ASCII), ignoring case? */
static int starts_with_ci(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    return len >= n && same_ci(s, word, n);
}

/* ------------------------------------------------------------- dates */

static const char *const month_names[12] = {
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
};

static int days_in_month(int year, int month)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

static int valid_date(int year, int month, int day)
{
    return year >= 1000 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
           day <= days_in_month(year, month);
}

/* Reads between min and max digits at s[*i]; fails on a longer run. */
static int read_number(const char *s, size_t len, size_t *i, int min, int max, int *value)
{
    int n = 0, v = 0;
    while (*i < len && is_digit((unsigned char)s[*i])) {
        if (++n > max)
            return 0;
        v = v * 10 + (s[*i] - '0');
        (*i)++;
    }
    *value = v;
    return n >= min;
}

/* Reads a month name ("December", "Dec", "Dec.", "Sept.") at s[*i]. */
static int read_month(const char *s, size_t len, size_t *i, int *month)
{
    size_t j = *i;
    while (j < len && is_alpha((unsigned char)s[j]))
        j++;
    size_t n = j - *i;
    for (int m = 0; m < 12; m++) {
        size_t full = strlen(month_names[m]);
        int abbreviated = n == 3 || (m == 8 && n == 4); /* "Sept" */
        if ((n != full && !abbreviated) || !same_ci(s + *i, month_names[m], n))
            continue;
        *month = m + 1;
        *i = j;
        if (n < full && *i < len && s[*i] == '.')
            (*i)++;
        return 1;
    }
    return 0;
}

static size_t skip_blanks(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

/* Skips "st", "nd", "rd" or "th" after a day number. */
static size_t skip_ordinal(const char *s, size_t len, size_t i)
{
    static const char *const suffixes[] = { "st", "nd", "rd", "th" };
    for (size_t k = 0; k < 4; k++)
        if (starts_with_ci(s + i, len - i, suffixes[k]))
            return i + 2;
    return i;
}

/* Reads ", " or " " between the parts of a written date. */
static int read_separator(const char *s, size_t len, size_t *i)
{
    size_t j = *i;
    if (j < len && s[j] == ',')
        j++;
    size_t k = skip_blanks(s, len, j);
    if (k == j && !(j > *i && k < len && is_digit((unsigned char)s[k])))
        return 0; /* need a space, or a comma right before the year */
    *i = k;
    return 1;
}

/* Skips an ISO 8601 time after a date: "T09:30", " 09:30:15.5Z",
 * "T09:30:15+01:00". Returns i unchanged when none follows. */
static size_t skip_iso_time(const char *s, size_t len, size_t i)
{
    int v;
    size_t j = i;
    if (j >= len || (s[j] != 'T' && s[j] != ' '))
        return i;
    j++;
    if (!read_number(s, len, &j, 2, 2, &v) || v > 23 || j >= len || s[j] != ':')
        return i;
    j++;
    if (!read_number(s, len, &j, 2, 2, &v) || v > 59)
        return i;
    if (j < len && s[j] == ':') {
        size_t k = j + 1;
        if (read_number(s, len, &k, 2, 2, &v) && v <= 60)
            j = k;
        if (j < len && (s[j] == '.' || s[j] == ',') && j + 1 < len && is_digit((unsigned char)s[j + 1]))
            for (j++; j < len && is_digit((unsigned char)s[j]); j++) {
            }
    }
    if (j < len && s[j] == 'Z')
        return j + 1;
    if (j < len && (s[j] == '+' || s[j] == '-')) {
        size_t k = j + 1;
        if (read_number(s, len, &k, 2, 2, &v) && v <= 14) {
            j = k;
            if (j < len && s[j] == ':') {
                k = j + 1;
                if (read_number(s, len, &k, 2, 2, &v) && v <= 59)
                    j = k;
            }
        }
    }
    return j;
}

/* "2025-12-15" (time allowed after) or "2025/12/15". */
static size_t parse_numeric_date(const char *s, size_t len, int *y, int *m, int *d)
{
    size_t i = 0;
    if (!read_number(s, len, &i, 4, 4, y) || i >= len || (s[i] != '-' && s[i] != '/'))
        return 0;
    char sep = s[i++];
    if (!read_number(s, len, &i, 2, 2, m) || i >= len || s[i] != sep)
        return 0;
    i++;
    if (!read_number(s, len, &i, 2, 2, d))
        return 0;
    return sep == '-' ? skip_iso_time(s, len, i) : i;
}

/* "December 16, 2025", "Dec 15, 2025", "Dec. 15 2025", "December 16th, 2025". */
static size_t parse_month_first(const char *s, size_t len, int *y, int *m, int *d)
{
    size_t i = 0;
    if (!read_month(s, len, &i, m))
        return 0;
    size_t j = skip_blanks(s, len, i);
    if (j == i)
        return 0;
    i = j;
    if (!read_number(s, len, &i, 1, 2, d))
        return 0;
    i = skip_ordinal(s, len, i);
    if (!read_separator(s, len, &i) || !read_number(s, len, &i, 4, 4, y))
        return 0;
    return i;
}

/* "15 December 2025", "15 Dec. 2025". */
static size_t parse_day_first(const char *s, size_t len, int *y, int *m, int *d)
{
    size_t i = 0;
    if (!read_number(s, len, &i, 1, 2, d))
        return 0;
    i = skip_ordinal(s, len, i);
    size_t j = skip_blanks(s, len, i);
    if (j == i)
        return 0;
    i = j;
    if (!read_month(s, len, &i, m) || !read_separator(s, len, &i) ||
        !read_number(s, len, &i, 4, 4, y))
        return 0;
    return i;
}

/* Writes "YYYY-MM-DD" and a NUL; the parts were validated first. (By hand
 * rather than snprintf, which GCC cannot prove fits in 11 bytes.) */
static void write_iso_date(char out[11], int year, int month, int day)
{
    const int parts[3][2] = { { year, 4 }, { month, 2 }, { day, 2 } };
    size_t o = 0;
    for (int p = 0; p < 3; p++) {
        if (p > 0)
            out[o++] = '-';
        for (int k = parts[p][1] - 1, v = parts[p][0]; k >= 0; k--, v /= 10)
            out[o + (size_t)k] = (char)('0' + v % 10);
        o += (size_t)parts[p][1];
    }
    out[o] = '\0';
}

size_t pt_date_parse(const char *s, size_t len, char out[11])
{
    size_t (*const parsers[])(const char *, size_t, int *, int *, int *) = {
        parse_numeric_date, parse_month_first, parse_day_first,
    };
    for (size_t k = 0; k < sizeof parsers / sizeof parsers[0]; k++) {
        int y = 0, m = 0, d = 0;
        size_t used = parsers[k](s, len, &y, &m, &d);
        /* A date must end at a word boundary: not "2025-12-150", "Dec 15, 20251". */
        if (used == 0 || (used < len && (is_alpha((unsigned char)s[used]) ||
                                         is_digit((unsigned char)s[used]))))
            continue;
        if (!valid_date(y, m, d))
            return 0;
        write_iso_date(out, y, m, d);
        return used;
    }
    return 0;
}
