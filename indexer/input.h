/* input.h — opens one input (a file, gzip-compressed or not, or "-" for
 * standard input) and reads it whole or line by line, always within a
 * memory bound. zlib reads plain files transparently, so callers never
 * branch on compression. */
#ifndef PT_INPUT_H
#define PT_INPUT_H

#include <stddef.h>

typedef struct pt_input pt_input;

/* Results of the read functions. */
enum {
    PT_INPUT_OK = 0,
    PT_INPUT_EOF = 1,       /* no more lines */
    PT_INPUT_TOO_LONG = 2,  /* the line/file exceeded the limit; it was skipped */
    PT_INPUT_ERROR = -1,    /* read error or damaged gzip stream; see why */
};

/* Opens path ("-" = stdin). Returns 0, or PT_INPUT_ERROR with the reason in
 * why (e.g. "Permission denied"). Close with pt_input_close. An input
 * that starts with a UTF-16 byte-order mark, or whose zero bytes show it
 * to be UTF-16 without one, is read as UTF-8 (every offset is then one
 * in the UTF-8 text); a UTF-8 byte-order mark is dropped. */
int pt_input_open(pt_input **out, const char *path, char *why, size_t why_size);
void pt_input_close(pt_input *in); /* NULL-safe */

/* Reads everything that is left, decompressed, up to max bytes: *out is
 * malloc'd and NUL-terminated (the caller frees it). PT_INPUT_TOO_LONG
 * when the content exceeds max (nothing returned, reading stops there; a
 * plain file is refused from its size, without reading it);
 * PT_INPUT_ERROR on a read error or a truncated/damaged gzip stream (why
 * says which; *out then holds what was read before it, or NULL). */
int pt_input_read_all(pt_input *in, size_t max, char **out, size_t *len, char *why, size_t why_size);

/* Reads the next line without its "\n" (and "\r\n" → no "\r"). *line is
 * NUL-terminated and valid until the next call. *line_no is the line's
 * number from 1. A line longer than max is consumed without being kept
 * (memory stays bounded by max) and PT_INPUT_TOO_LONG is returned with
 * *line NULL and *len set to its length. A last line without "\n" is
 * returned normally. On PT_INPUT_ERROR *line_no is the number of the line
 * that could not be read whole (its partial bytes are not returned); every
 * later call repeats the error. */
int pt_input_next_line(pt_input *in, size_t max, char **line, size_t *len,
                       unsigned long *line_no, char *why, size_t why_size);

/* Looks at up to the first 8 KiB (decoded) without consuming them: NULL
 * when the input looks like text, else why it is binary ("a PNG image",
 * "invalid UTF-8"), by pt_sniff_binary's rules (sniff.h). Text with NULs
 * scattered in it is text. */
const char *pt_input_looks_binary(pt_input *in);

/* Code units of a UTF-16 input that were not UTF-16 (an unpaired
 * surrogate, an odd last byte) and were read as U+FFFD, so far. */
size_t pt_input_replaced(const pt_input *in);

/* 1 once a read failed (an I/O error, a truncated or damaged gzip
 * stream): the input was not read whole. */
int pt_input_failed(const pt_input *in);

#endif
