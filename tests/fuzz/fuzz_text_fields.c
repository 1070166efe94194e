/* fuzz_text_fields.c — libFuzzer target for the fields read from an article's
 * own text (indexer/text_fields.c: title, date, source) and the date parser under
 * it. Checked: every string is valid UTF-8 without NUL or line breaks, the
 * title is at most 150 characters, a date is a real YYYY-MM-DD, and
 * pt_date_parse never claims more bytes than it was given. */
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "text_fields.h"
#include "ptsearch.h"

static size_t code_points(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void check_line(const char *s)
{
    if (!s)
        return;
    size_t len = strlen(s);
    FUZZ_CHECK(len > 0 && pt_utf8_is_clean(s, len));
    FUZZ_CHECK(!memchr(s, '\n', len) && !memchr(s, '\r', len));
}

/* pt_date_parse at every offset of the text (bounded, as the cost is
 * quadratic): what it consumes lies inside what it was given, and what it
 * writes is a valid date. */
static void check_date_parse(const char *text, size_t len)
{
    for (size_t i = 0; i < len && i < 256; i++) {
        char out[11];
        memset(out, 'x', sizeof out);
        size_t used = pt_date_parse(text + i, len - i, out);
        FUZZ_CHECK(used <= len - i);
        if (used)
            FUZZ_CHECK(out[10] == '\0' && fuzz_is_iso_date(out));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1); /* exactly size bytes, no NUL after */
    FUZZ_CHECK(text != NULL);
    memcpy(text, data, size);
    pt_text_fields fields;
    memset(&fields, 0x5A, sizeof fields); /* "overwritten, not freed" */
    FUZZ_CHECK(pt_text_fields_read(&fields, text, size) == 0);
    check_line(fields.title);
    check_line(fields.source);
    FUZZ_CHECK(!fields.title || code_points(fields.title) <= 150);
    FUZZ_CHECK(!fields.date || (strlen(fields.date) == 10 && fuzz_is_iso_date(fields.date)));
    pt_text_fields_clear(&fields);
    FUZZ_CHECK(!fields.title && !fields.source && !fields.date);
    check_date_parse(text, size);
    free(text);
    return 0;
}
