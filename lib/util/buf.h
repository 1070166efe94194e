/* buf.h — a growable byte buffer (the one dynamic string of libptsearch;
 * declared in ptsearch.h) and the varints of the stored records. */
#ifndef PT_BUF_H
#define PT_BUF_H

#include <stddef.h>
#include <stdint.h>

/* pt_buf, PT_BUF_INIT, the appends of bytes and text, pt_strdupf: in
 * ptsearch.h, for the programs too. The encoding side the records use: */
#include "ptsearch.h"

/* LEB128-style unsigned varint: 7 bits a byte, high bit = more follows.
 * Both return 0 or PT_ENOMEM (the buffer is unchanged then). */
int pt_buf_append_varint(pt_buf *b, uint64_t v);
/* A varint length followed by the bytes. */
int pt_buf_append_lenstr(pt_buf *b, const char *s, size_t len);

/* Reading side: a cursor over bytes. Every read checks bounds and returns
 * 0, or PT_ECORRUPT when the input ends early or a varint is too long. */
typedef struct {
    const uint8_t *p, *end;
} pt_cursor;

int pt_read_varint(pt_cursor *r, uint64_t *out);
int pt_read_byte(pt_cursor *r, uint8_t *out);
/* A varint length and that many bytes; *s points into the input. */
int pt_read_lenstr(pt_cursor *r, const char **s, size_t *len);

#endif
