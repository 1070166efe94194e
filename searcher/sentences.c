/* sentences.c — cuts a passage into sentences for --context: a sentence
 * ends at . ! or ? (and closing quotes or brackets) before white space,
 * unless the full stop follows an initial or a title (U.S., Mr.), and at a
 * line break (headlines and datelines stand on lines of their own). */
#include "sentences.h"

#include <stdlib.h>
#include <string.h>

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* A short word before a full stop that does not end a sentence: initials
 * (U.S., J.) and the usual titles. */
static int abbreviation(const char *p, size_t dot)
{
    static const char *const titles[] = {"Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Gen", "Gov",
                                         "Sen", "Rep", "Lt", "Col", "Prof", "No", "vs", "Mt", "Sgt"};
    size_t b = dot;
    while (b > 0 && !is_space(p[b - 1]) && p[b - 1] != '(' && p[b - 1] != '"')
        b--;
    size_t n = dot - b;
    if (n == 1 || (n >= 2 && p[dot - 2] == '.'))
        return 1;
    for (size_t i = 0; i < sizeof titles / sizeof *titles; i++)
        if (strlen(titles[i]) == n && strncmp(p + b, titles[i], n) == 0)
            return 1;
    return 0;
}

/* The end of the sentence starting at from in p[0..len): after . ! or ?
 * (and closing quotes or brackets) followed by white space, or at a line
 * break (headlines and datelines stand on lines of their own). */
static size_t sentence_end(const char *p, size_t len, size_t from)
{
    for (size_t i = from; i < len; i++) {
        if (p[i] == '\n' && i > from)
            return i;
        if (p[i] != '.' && p[i] != '!' && p[i] != '?')
            continue;
        size_t e = i + 1;
        while (e < len && (p[e] == '"' || p[e] == '\'' || p[e] == ')' ||
                           ((unsigned char)p[e] == 0xe2 && e + 2 < len && (unsigned char)p[e + 1] == 0x80 &&
                            ((unsigned char)p[e + 2] == 0x9d || (unsigned char)p[e + 2] == 0x99))))
            e += (unsigned char)p[e] == 0xe2 ? 3 : 1;
        if ((e == len || is_space(p[e])) && !(p[i] == '.' && abbreviation(p, i)))
            return e;
    }
    return len;
}

/* The passage's sentences as [start, end) pairs in *out (malloc'd);
 * returns how many, 0 when out of memory. */
size_t pt_split_sentences(const char *p, size_t len, pt_range **out)
{
    size_t n = 0, cap = 0;
    *out = NULL;
    for (size_t i = 0; i < len;) {
        while (i < len && is_space(p[i]))
            i++;
        if (i == len)
            break;
        size_t e = sentence_end(p, len, i);
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            pt_range *grown = realloc(*out, cap * sizeof *grown);
            if (!grown) {
                free(*out);
                *out = NULL;
                return 0;
            }
            *out = grown;
        }
        (*out)[n++] = (pt_range){i, e};
        i = e;
    }
    return n;
}
