/* fuzz_html.c — libFuzzer target for the HTML reader's extraction
 * (indexer/read_html.c pt_html_extract, over gumbo) on any bytes, as the
 * header allows (bad UTF-8 included). Checked: the text, when there is
 * one, is valid UTF-8 without NUL, its length is what it says, its lines
 * are paragraphs (none empty, no blank at their ends, no "\r"); title and
 * source are valid UTF-8; a date is a real YYYY-MM-DD. */
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "ptsearch.h"
#include "read_html.h"
#include "util/utf8_clean.h"

static void check_string(const char *s)
{
    FUZZ_CHECK(!s || (s[0] && pt_utf8_is_clean(s, strlen(s))));
}

/* The shape the header promises (and tests/unit/test_html.c checks): lines
 * without blanks at their ends, no empty line, no "\r". */
static void check_text(const pt_html_article *a)
{
    if (!a->text) {
        FUZZ_CHECK(a->text_len == 0);
        return;
    }
    const char *t = a->text;
    size_t n = a->text_len;
    FUZZ_CHECK(n > 0 && strlen(t) == n && pt_utf8_is_clean(t, n));
    FUZZ_CHECK(!memchr(t, '\r', n));
    FUZZ_CHECK(!strstr(t, "\n\n") && !strstr(t, " \n") && !strstr(t, "\n "));
    FUZZ_CHECK(t[0] != '\n' && t[0] != ' ' && t[n - 1] != '\n' && t[n - 1] != ' ');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *html = malloc(size ? size : 1); /* exactly size bytes, no NUL after */
    FUZZ_CHECK(html != NULL);
    memcpy(html, data, size);
    pt_html_article a;
    int rc = pt_html_extract(html, size, &a);
    /* A page past the parser's bounds (depth, memory, CPU) is refused whole. */
    FUZZ_CHECK(rc == 0 || rc == PT_EINVAL);
    if (rc != 0) {
        FUZZ_CHECK(!a.text && !a.title && !a.date && !a.source);
        free(html);
        return 0;
    }
    check_text(&a);
    check_string(a.title);
    check_string(a.source);
    FUZZ_CHECK(!a.date || (strlen(a.date) == 10 && fuzz_is_iso_date(a.date)));
    pt_extracted_clear(&a);
    FUZZ_CHECK(!a.text && !a.title && !a.date && !a.source);
    free(html);
    return 0;
}
