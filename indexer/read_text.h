/* read_text.h — reads a plain-text or Markdown article file and the
 * metadata its text shows (title, source, date: meta.h). */
#ifndef PT_READ_TEXT_H
#define PT_READ_TEXT_H

#include <stddef.h>

#include "meta.h"

/* Files larger than this are refused with a message rather than read. */
#define PT_MAX_TEXT_FILE (256u * 1024 * 1024)

typedef struct {
    char *text; /* malloc'd file contents, NUL-terminated */
    size_t len;
    pt_text_meta meta;
} pt_text_file;

/* Reads path. Returns 0, or -1 with a reason (for "ptindex: path: reason")
 * written into why. Free with pt_text_file_clear in both cases. */
int pt_text_file_read(pt_text_file *out, const char *path, char *why, size_t why_size);
void pt_text_file_clear(pt_text_file *f);

/* Non-zero when the name ends in an extension ptindex reads as text. */
int pt_is_text_name(const char *path);

#endif
