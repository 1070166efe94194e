/* passage.c — owns the passage splitter: lines → sentences → passages of
 * about 40–120 words. One forward pass over the text: each paragraph (a
 * non-blank line) is cut into sentences, and sentences are packed into
 * passages by a small accumulator. A sentence longer than the cap is cut
 * into even chunks at word boundaries. Never recurses, never rescans. */
#include "analysis/passage.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "ptsearch.h"

/* ------------------------------------------------------------ bytes */

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int is_line_break(unsigned char c)
{
    return c == '\n' || c == '\r';
}

static int is_ascii_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_ascii_alnum(unsigned char c)
{
    return is_ascii_alpha(c) || (c >= '0' && c <= '9');
}

/* Length of the UTF-8 punctuation sequence at t[i] (General Punctuation
 * U+2000–U+207F: dashes, curly quotes, ellipsis; Latin-1 symbols
 * U+00A0–U+00BF: no-break space, «, », °), or 0. These bytes are >= 0x80
 * but are not letters, so a lone "—" or "“" is not counted as a word. */
static size_t punct_seq_len(const unsigned char *t, size_t i, size_t end)
{
    if (t[i] == 0xE2 && i + 2 < end && (t[i + 1] == 0x80 || t[i + 1] == 0x81) &&
        (t[i + 2] & 0xC0) == 0x80) /* a cut sequence ("\xE2\x80" + "0") hides no byte */
        return 3;
    if (t[i] == 0xC2 && i + 1 < end && t[i + 1] >= 0xA0 && t[i + 1] <= 0xBF)
        return 2;
    return 0;
}

/* A token (maximal run of non-space bytes) is a word when it holds a letter
 * or a digit; any other byte >= 0x80 counts as a letter. */
static int token_is_word(const unsigned char *t, size_t start, size_t end)
{
    size_t i = start;
    while (i < end) {
        size_t p = punct_seq_len(t, i, end);
        if (p) {
            i += p;
            continue;
        }
        if (is_ascii_alnum(t[i]) || t[i] >= 0x80)
            return 1;
        i++;
    }
    return 0;
}

static size_t skip_spaces(const unsigned char *t, size_t i, size_t end)
{
    while (i < end && is_space(t[i]))
        i++;
    return i;
}

static size_t skip_token(const unsigned char *t, size_t i, size_t end)
{
    while (i < end && !is_space(t[i]))
        i++;
    return i;
}

static size_t count_words(const unsigned char *t, size_t start, size_t end)
{
    size_t words = 0;
    size_t i = skip_spaces(t, start, end);
    while (i < end) {
        size_t tok_end = skip_token(t, i, end);
        words += (size_t)token_is_word(t, i, tok_end);
        i = skip_spaces(t, tok_end, end);
    }
    return words;
}

/* ------------------------------------------------------- sentence ends */

/* Titles and month abbreviations that take a full stop but almost never end
 * a sentence. Matched case-sensitively, so "said no." still ends one. */
static const char *const abbreviations[] = {
    "Mr", "Mrs", "Ms", "Dr", "St", "Mt", "Ft", "Gen", "Lt", "Col", "Maj", "Capt",
    "Sgt", "Cpl", "Adm", "Cmdr", "Gov", "Sen", "Rep", "Rev", "Prof", "Pres", "Hon",
    "Jr", "Sr", "Sec", "Atty", "Dept", "Bros", "Ave", "No", "Nos", "vs", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
    "Sep", "Sept", "Oct", "Nov", "Dec",
};

/* Longest token examined when deciding whether a full stop ends an
 * abbreviation; anything longer is an ordinary word. */
enum { ABBREV_SCAN_MAX = 32 };

/* Length of an opening quote or bracket at t[i], or 0. */
static size_t opening_punct_len(const unsigned char *t, size_t i, size_t end)
{
    if (t[i] == '(' || t[i] == '"' || t[i] == '\'' || t[i] == '[')
        return 1;
    /* “ U+201C and ‘ U+2018 */
    if (t[i] == 0xE2 && i + 2 < end && t[i + 1] == 0x80 && (t[i + 2] == 0x9C || t[i + 2] == 0x98))
        return 3;
    return 0;
}

/* Length of a closing quote at t[i], or 0: " ' ” (U+201D) ’ (U+2019). */
static size_t closing_quote_len(const unsigned char *t, size_t i, size_t end)
{
    if (t[i] == '"' || t[i] == '\'')
        return 1;
    if (t[i] == 0xE2 && i + 2 < end && t[i + 1] == 0x80 && (t[i + 2] == 0x9D || t[i + 2] == 0x99))
        return 3;
    return 0;
}

/* Does the full stop at t[dot] close an abbreviation ("U.S.", "J.", "Mr.",
 * "Dec.") rather than a sentence? from is where the sentence began. */
static int ends_abbreviation(const unsigned char *t, size_t from, size_t dot)
{
    size_t start = dot;
    while (start > from && !is_space(t[start - 1])) {
        if (dot - start >= ABBREV_SCAN_MAX)
            return 0;
        start--;
    }
    for (size_t q; start < dot && (q = opening_punct_len(t, start, dot)) != 0;)
        start += q;
    if (start == dot)
        return 0;

    /* The last dot-separated piece is a single letter: "U.S", "J", "e.g". */
    size_t piece = dot;
    while (piece > start && t[piece - 1] != '.')
        piece--;
    if (dot - piece == 1 && is_ascii_alpha(t[piece]))
        return 1;

    size_t n = dot - start;
    for (size_t k = 0; k < sizeof abbreviations / sizeof abbreviations[0]; k++) {
        if (strlen(abbreviations[k]) == n && memcmp(abbreviations[k], t + start, n) == 0)
            return 1;
    }
    return 0;
}

/* If a sentence ends at t[i] (a . ! or ? followed by optional closing quotes
 * and then a space), returns the end of the sentence (after the quotes);
 * otherwise 0. A terminator at the very end of the paragraph also returns 0:
 * the paragraph end closes that sentence anyway. */
static size_t sentence_end_at(const unsigned char *t, size_t from, size_t i, size_t end)
{
    if (t[i] != '.' && t[i] != '!' && t[i] != '?')
        return 0;
    size_t j = i + 1;
    for (size_t q; j < end && (q = closing_quote_len(t, j, end)) != 0;)
        j += q;
    if (j >= end || !is_space(t[j]))
        return 0; /* "3.5", "U.S.-backed", "?!" */
    if (t[i] == '.' && ends_abbreviation(t, from, i))
        return 0;
    return j;
}

/* ---------------------------------------------------------- packing */

typedef struct {
    const unsigned char *text;
    pt_passage *items;
    size_t n, cap;
    int failed;
    /* The passage being built; open when cur_open. */
    int cur_open;
    size_t cur_start, cur_end, cur_words;
    /* Index of the first passage of the current run of kept paragraphs:
     * passages before it are on the other side of a dropped paragraph. */
    size_t segment_first;
} packer;

static int push_passage(packer *pk, size_t start, size_t end, size_t words)
{
    if (pk->n == pk->cap) {
        size_t cap = pk->cap ? pk->cap * 2 : 16;
        pt_passage *grown = realloc(pk->items, cap * sizeof *grown);
        if (!grown) {
            pk->failed = 1;
            return pt_fail(PT_ENOMEM, "passage split: out of memory (%zu passages)", pk->n);
        }
        pk->items = grown;
        pk->cap = cap;
    }
    pk->items[pk->n++] = (pt_passage){ start, end, (unsigned)words };
    return 0;
}

/* Closes the passage being built. One without words is dropped; a short one
 * joins the previous passage of the same segment when that stays within the
 * hard cap (this is what tidies a short tail at the end of an article). */
static int close_passage(packer *pk)
{
    if (!pk->cur_open)
        return 0;
    pk->cur_open = 0;
    if (pk->cur_words == 0)
        return 0;
    if (pk->cur_words < PT_PASSAGE_MIN_WORDS && pk->n > pk->segment_first) {
        pt_passage *prev = &pk->items[pk->n - 1];
        if (prev->words + pk->cur_words <= PT_PASSAGE_HARD_MAX) {
            prev->end = pk->cur_end;
            prev->words += (unsigned)pk->cur_words;
            return 0;
        }
    }
    return push_passage(pk, pk->cur_start, pk->cur_end, pk->cur_words);
}

/* Adds a piece of at most PT_PASSAGE_MAX_WORDS words (a sentence or a chunk
 * of one). The piece joins the open passage unless that would pass MAX; a
 * passage still under MIN may take it up to HARD_MAX rather than be left
 * short. */
static int add_piece(packer *pk, size_t start, size_t end, size_t words)
{
    if (pk->cur_open) {
        size_t total = pk->cur_words + words;
        int fits = total <= PT_PASSAGE_MAX_WORDS ||
                   (pk->cur_words < PT_PASSAGE_MIN_WORDS && total <= PT_PASSAGE_HARD_MAX);
        if (!fits && close_passage(pk) != 0)
            return PT_ENOMEM;
    }
    if (!pk->cur_open) {
        pk->cur_open = 1;
        pk->cur_start = start;
        pk->cur_words = 0;
    }
    pk->cur_end = end;
    pk->cur_words += words;
    return 0;
}

/* Cuts a sentence of more than MAX words into the fewest chunks of at most
 * MAX words, all about the same size (so no chunk is left tiny), each cut
 * between two tokens. Punctuation-only tokens stay with the chunk before. */
static int add_long_sentence(packer *pk, size_t start, size_t end, size_t words)
{
    const unsigned char *t = pk->text;
    size_t chunks = (words + PT_PASSAGE_MAX_WORDS - 1) / PT_PASSAGE_MAX_WORDS;
    size_t base = words / chunks, extra = words % chunks;
    size_t target = base + (extra > 0);
    size_t chunk_start = start, chunk_end = start, chunk_words = 0, done = 0;

    size_t i = start;
    while (i < end) {
        size_t tok_end = skip_token(t, i, end);
        if (token_is_word(t, i, tok_end)) {
            if (chunk_words == target) {
                if (add_piece(pk, chunk_start, chunk_end, chunk_words) != 0)
                    return PT_ENOMEM;
                done++;
                target = base + (done < extra);
                chunk_start = i;
                chunk_words = 0;
            }
            chunk_words++;
        }
        chunk_end = tok_end;
        i = skip_spaces(t, tok_end, end);
    }
    return add_piece(pk, chunk_start, chunk_end, chunk_words);
}

static int add_sentence(packer *pk, size_t start, size_t end)
{
    size_t words = count_words(pk->text, start, end);
    if (words > PT_PASSAGE_MAX_WORDS)
        return add_long_sentence(pk, start, end, words);
    return add_piece(pk, start, end, words);
}

/* Feeds the sentences of one paragraph t[start..end) (trimmed) to the
 * packer. */
static int add_paragraph(packer *pk, size_t start, size_t end)
{
    const unsigned char *t = pk->text;
    size_t sentence = start;
    size_t i = start;
    while (i < end) {
        size_t stop = sentence_end_at(t, sentence, i, end);
        if (!stop) {
            i++;
            continue;
        }
        if (add_sentence(pk, sentence, stop) != 0)
            return PT_ENOMEM;
        sentence = i = skip_spaces(t, stop, end);
    }
    if (sentence < end)
        return add_sentence(pk, sentence, end);
    return 0;
}

/* ------------------------------------------------------------- driver */

int pt_passages_split(pt_passage **out, size_t *n_out, const char *text, size_t len,
                      pt_paragraph_filter filter, void *filter_ctx)
{
    packer pk = { .text = (const unsigned char *)text };
    const unsigned char *t = pk.text;
    *out = NULL;
    *n_out = 0;

    size_t line = 0;
    while (line < len && !pk.failed) {
        size_t line_end = line;
        while (line_end < len && !is_line_break(t[line_end]))
            line_end++;
        size_t start = skip_spaces(t, line, line_end);
        size_t end = line_end;
        while (end > start && is_space(t[end - 1]))
            end--;

        if (start < end) {
            if (!filter || filter(text, start, end, filter_ctx)) {
                if (add_paragraph(&pk, start, end) != 0)
                    break;
            } else if (close_passage(&pk) == 0) {
                /* A dropped paragraph: nothing joins across it. */
                pk.segment_first = pk.n;
            }
        }
        line = line_end + 1; /* past "\n" or "\r"; "\r\n" leaves a blank line */
    }
    if (!pk.failed)
        close_passage(&pk);
    if (pk.failed) {
        free(pk.items);
        return PT_ENOMEM;
    }
    if (pk.n == 0) {
        free(pk.items);
        pk.items = NULL;
    }
    *out = pk.items;
    *n_out = pk.n;
    return 0;
}
