/* buf.h — a growable byte buffer (the one dynamic string of libptsearch). */
#ifndef PT_BUF_H
#define PT_BUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    char *data; /* NUL-terminated after every append; NULL before the first */
    size_t len;
    size_t cap;
} pt_buf;

#define PT_BUF_INIT { NULL, 0, 0 }

/* Each returns 0 or PT_ENOMEM (the buffer is unchanged then). */
int pt_buf_append(pt_buf *b, const void *data, size_t len);
int pt_buf_append_str(pt_buf *b, const char *s);
int pt_buf_append_byte(pt_buf *b, uint8_t byte);
/* LEB128-style unsigned varint: 7 bits a byte, high bit = more follows. */
int pt_buf_append_varint(pt_buf *b, uint64_t v);
/* A varint length followed by the bytes. */
int pt_buf_append_lenstr(pt_buf *b, const char *s, size_t len);
/* printf-style text, whatever its length. */
int pt_buf_appendf(pt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int pt_buf_reserve(pt_buf *b, size_t extra);
void pt_buf_reset(pt_buf *b); /* len = 0, keeps the memory */
void pt_buf_free(pt_buf *b);  /* frees the memory, back to PT_BUF_INIT */

/* A malloc'd string formatted as printf would (the caller frees it), or
 * NULL when out of memory: for paths and keys of any length. */
char *pt_strdupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reading side: a cursor over bytes. Every read checks bounds and returns
 * 0, or PT_ECORRUPT when the input ends early or a varint is too long. */
typedef struct {
    const uint8_t *p, *end;
} pt_reader;

int pt_read_varint(pt_reader *r, uint64_t *out);
int pt_read_byte(pt_reader *r, uint8_t *out);
/* A varint length and that many bytes; *s points into the input. */
int pt_read_lenstr(pt_reader *r, const char **s, size_t *len);

#endif
