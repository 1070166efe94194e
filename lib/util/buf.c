/* buf.c — growable byte buffer and bounds-checked varint reading. */
#include "util/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "ptsearch.h"

int pt_buf_reserve(pt_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        return pt_fail(PT_ENOMEM, "buffer too large");
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return PT_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return pt_fail(PT_ENOMEM, "out of memory (%zu bytes)", cap);
    b->data = p;
    b->cap = cap;
    return PT_OK;
}

int pt_buf_append(pt_buf *b, const void *data, size_t len)
{
    int rc = pt_buf_reserve(b, len);
    if (rc)
        return rc;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return PT_OK;
}

static int buf_vappendf(pt_buf *b, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    int rc = n < 0 ? pt_fail(PT_EINVAL, "bad format") : pt_buf_reserve(b, (size_t)n);
    if (!rc) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
        b->len += (size_t)n;
    }
    va_end(again);
    return rc;
}

int pt_buf_appendf(pt_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = buf_vappendf(b, fmt, ap);
    va_end(ap);
    return rc;
}

char *pt_vstrdupf(const char *fmt, va_list ap)
{
    pt_buf b = PT_BUF_INIT;
    if (buf_vappendf(&b, fmt, ap)) {
        pt_buf_free(&b);
        return NULL;
    }
    return b.data;
}

char *pt_strdupf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = pt_vstrdupf(fmt, ap);
    va_end(ap);
    return s;
}

int pt_buf_append_str(pt_buf *b, const char *s)
{
    return pt_buf_append(b, s, strlen(s));
}

int pt_buf_append_byte(pt_buf *b, uint8_t byte)
{
    return pt_buf_append(b, &byte, 1);
}

int pt_buf_append_varint(pt_buf *b, uint64_t v)
{
    uint8_t tmp[10];
    size_t n = 0;
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        tmp[n++] = byte | (v ? 0x80 : 0);
    } while (v);
    return pt_buf_append(b, tmp, n);
}

int pt_buf_append_lenstr(pt_buf *b, const char *s, size_t len)
{
    int rc = pt_buf_append_varint(b, len);
    return rc ? rc : pt_buf_append(b, s, len);
}

void pt_buf_reset(pt_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void pt_buf_free(pt_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int pt_read_varint(pt_cursor *r, uint64_t *out)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end)
            return pt_fail(PT_ECORRUPT, "record ends inside a number");
        uint8_t byte = *r->p++;
        v |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *out = v;
            return PT_OK;
        }
    }
    return pt_fail(PT_ECORRUPT, "number too long in record");
}

int pt_read_byte(pt_cursor *r, uint8_t *out)
{
    if (r->p >= r->end)
        return pt_fail(PT_ECORRUPT, "record ends early");
    *out = *r->p++;
    return PT_OK;
}

int pt_read_lenstr(pt_cursor *r, const char **s, size_t *len)
{
    uint64_t n = 0; /* -O3 cannot see that every success path sets it */
    int rc = pt_read_varint(r, &n);
    if (rc)
        return rc;
    if (n > (uint64_t)(r->end - r->p))
        return pt_fail(PT_ECORRUPT, "string runs past the end of the record");
    *s = (const char *)r->p;
    *len = (size_t)n;
    r->p += n;
    return PT_OK;
}
