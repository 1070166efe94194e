/* read_text.c — loads one .txt/.md article file whole and extracts its
 * metadata from the text. */
#include "read_text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int pt_is_text_name(const char *path)
{
    return has_suffix(path, ".txt") || has_suffix(path, ".md");
}

static int slurp(FILE *f, pt_text_file *out, char *why, size_t why_size)
{
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0 || len < cap)
            break;
        if (cap >= PT_MAX_TEXT_FILE) {
            snprintf(why, why_size, "larger than %u MB, not indexed", PT_MAX_TEXT_FILE >> 20);
            free(buf);
            return -1;
        }
        char *bigger = realloc(buf, cap * 2 + 1);
        if (!bigger)
            break;
        buf = bigger;
        cap *= 2;
    }
    if (!buf) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    if (ferror(f)) {
        snprintf(why, why_size, "read error: %s", strerror(errno));
        free(buf);
        return -1;
    }
    buf[len] = '\0';
    out->text = buf;
    out->len = len;
    return 0;
}

int pt_text_file_read(pt_text_file *out, const char *path, char *why, size_t why_size)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, why_size, "%s", strerror(errno));
        return -1;
    }
    int rc = slurp(f, out, why, why_size);
    fclose(f);
    if (rc)
        return rc;
    if (pt_meta_from_text(&out->meta, out->text, out->len) != 0) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    return 0;
}

void pt_text_file_clear(pt_text_file *f)
{
    free(f->text);
    pt_text_meta_clear(&f->meta);
    memset(f, 0, sizeof *f);
}
