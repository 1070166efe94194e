/* fuzz_gzip.c — libFuzzer target for the input layer (indexer/input.c):
 * a file, gzipped or not, read whole and line by line within a bound.
 * Byte 0 picks the case: bit 0 gzip the payload, bit 1 cut the file at a
 * point byte 1 gives, bits 2-3 the bound; the payload follows. Checked:
 * a whole file reads back exactly (decompressed when gzipped), or says it
 * is too long; a cut gzip file is an error, never silently short data;
 * lines come back numbered 1, 2, ... exactly as the bytes split them; the
 * binary check consumes nothing. */
#include <stdint.h>
#include <string.h>
#include <zlib.h>

#include "fuzz.h"
#include "input.h"
#include "sniff.h"

typedef struct {
    uint8_t *bytes; /* the file */
    size_t len;
    const uint8_t *want; /* what reading it must give, or NULL when unknown */
    size_t want_len;
    int cut_gzip;   /* a gzip stream cut after its header: must fail */
    size_t max;
} fuzz_case;

static size_t gzip_into(uint8_t **out, const uint8_t *src, size_t len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    FUZZ_CHECK(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    size_t cap = deflateBound(&z, (uLong)len) + 32;
    *out = malloc(cap);
    FUZZ_CHECK(*out != NULL);
    z.next_in = (Bytef *)src;
    z.avail_in = (uInt)len;
    z.next_out = *out;
    z.avail_out = (uInt)cap;
    FUZZ_CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END);
    size_t n = cap - z.avail_out;
    deflateEnd(&z);
    return n;
}

/* A payload that starts with a byte-order mark (or reads as UTF-16) comes
 * back decoded, not as its bytes. */
static int decoded(const uint8_t *payload, size_t len)
{
    size_t bom = 0;
    return pt_sniff_encoding(payload, len, &bom) != PT_ENC_UTF8 || bom > 0;
}

static void make_case(fuzz_case *c, const uint8_t *data, size_t size)
{
    static const size_t bounds[] = {1u << 20, 16, 1, 200};
    uint8_t flags = size > 0 ? data[0] : 0, cut = size > 1 ? data[1] : 0;
    const uint8_t *payload = data + (size < 2 ? size : 2);
    size_t payload_len = size < 2 ? 0 : size - 2;
    memset(c, 0, sizeof *c);
    c->max = bounds[(flags >> 2) & 3];
    if (flags & 1) {
        c->len = gzip_into(&c->bytes, payload, payload_len);
    } else {
        c->bytes = malloc(payload_len ? payload_len : 1);
        FUZZ_CHECK(c->bytes != NULL);
        memcpy(c->bytes, payload, payload_len);
        c->len = payload_len;
    }
    int looks_gzip = c->len >= 2 && c->bytes[0] == 0x1f && c->bytes[1] == 0x8b;
    if (flags & 2) {
        size_t at = c->len * cut / 256; /* always short of the end */
        c->cut_gzip = (flags & 1) && at >= 10; /* past the gzip header */
        c->len = at;
    } else if (((flags & 1) || !looks_gzip) && !decoded(payload, payload_len)) {
        c->want = payload;
        c->want_len = payload_len;
    }
}

static void check_read_all(const fuzz_case *c, const char *path)
{
    pt_input *in = NULL;
    char why[256], *all = NULL;
    size_t len = 0;
    FUZZ_CHECK(pt_input_open(&in, path, why, sizeof why) == PT_INPUT_OK);
    const char *binary = pt_input_looks_binary(in);
    FUZZ_CHECK((pt_input_looks_binary(in) == NULL) == (binary == NULL)); /* nothing consumed */
    int rc = pt_input_read_all(in, c->max, &all, &len, why, sizeof why);
    FUZZ_CHECK(rc == PT_INPUT_OK || rc == PT_INPUT_TOO_LONG || rc == PT_INPUT_ERROR);
    if (rc == PT_INPUT_OK)
        FUZZ_CHECK(all && len <= c->max && all[len] == '\0');
    if (rc == PT_INPUT_ERROR)
        FUZZ_CHECK(why[0]);
    if (c->want && c->want_len > c->max)
        FUZZ_CHECK(rc == PT_INPUT_TOO_LONG);
    else if (c->want)
        FUZZ_CHECK(rc == PT_INPUT_OK && len == c->want_len && memcmp(all, c->want, len) == 0);
    if (c->cut_gzip)
        FUZZ_CHECK(rc != PT_INPUT_OK);
    free(all);
    pt_input_close(in);
}

/* The next line of want, as pt_input_next_line must return it: its
 * status, its bytes want[*start..*start + *len), and its length before a
 * "\r" was dropped (what a line too long reports). */
static int expect_line(const fuzz_case *c, size_t *at, size_t *start, size_t *raw_len, size_t *len)
{
    if (*at >= c->want_len)
        return PT_INPUT_EOF;
    *start = *at;
    const uint8_t *p = c->want + *at;
    const uint8_t *nl = memchr(p, '\n', c->want_len - *at);
    *raw_len = nl ? (size_t)(nl - p) : c->want_len - *at;
    *len = *raw_len - (nl && *raw_len > 0 && p[*raw_len - 1] == '\r');
    *at += *raw_len + (nl != NULL);
    return *raw_len > c->max ? PT_INPUT_TOO_LONG : PT_INPUT_OK;
}

static void check_lines(const fuzz_case *c, const char *path)
{
    pt_input *in = NULL;
    char why[256];
    FUZZ_CHECK(pt_input_open(&in, path, why, sizeof why) == PT_INPUT_OK);
    size_t at = 0;
    for (unsigned long want_no = 1;; want_no++) {
        char *line;
        size_t len;
        unsigned long no;
        int rc = pt_input_next_line(in, c->max, &line, &len, &no, why, sizeof why);
        FUZZ_CHECK(no == want_no);
        if (rc == PT_INPUT_OK)
            FUZZ_CHECK(line && len <= c->max && line[len] == '\0');
        if (rc == PT_INPUT_TOO_LONG)
            FUZZ_CHECK(!line && len > c->max);
        if (c->want) {
            size_t start = 0, raw_len = 0, want_len = 0;
            FUZZ_CHECK(rc == expect_line(c, &at, &start, &raw_len, &want_len));
            if (rc == PT_INPUT_OK)
                FUZZ_CHECK(len == want_len && memcmp(line, c->want + start, len) == 0);
            if (rc == PT_INPUT_TOO_LONG)
                FUZZ_CHECK(len == raw_len);
        }
        if (rc == PT_INPUT_ERROR) { /* sticky */
            FUZZ_CHECK(pt_input_next_line(in, c->max, &line, &len, &no, why, sizeof why) == PT_INPUT_ERROR);
            break;
        }
        if (rc == PT_INPUT_EOF)
            break;
    }
    pt_input_close(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_case c;
    make_case(&c, data, size);
    const char *path = fuzz_scratch_file(c.bytes, c.len);
    check_read_all(&c, path);
    check_lines(&c, path);
    free(c.bytes);
    return 0;
}
