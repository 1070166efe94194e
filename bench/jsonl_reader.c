/* jsonl_reader.c — reads the news JSON Lines files for the benchmark peers
 * with jansson (the parser ptindex uses too, so parsing costs the same), and
 * plain query files. */
#include "jsonl_reader.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

static const char *field(json_t *obj, const char *name, size_t *len)
{
    json_t *v = json_object_get(obj, name);
    if (!json_is_string(v)) {
        if (len)
            *len = 0;
        return "";
    }
    if (len)
        *len = json_string_length(v);
    return json_string_value(v);
}

int bench_read_articles(const char *path, bench_article_cb cb, void *ctx, size_t *skipped)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = 0;
    *skipped = 0;
    while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
        if (len <= 1)
            continue;
        json_t *obj = json_loadb(line, (size_t)len, JSON_ALLOW_NUL, NULL);
        if (!json_is_object(obj)) {
            json_decref(obj);
            ++*skipped;
            continue;
        }
        bench_article a;
        a.id = field(obj, "id", NULL);
        a.title = field(obj, "title", &a.title_len);
        a.body = field(obj, "body", &a.body_len);
        rc = cb(&a, ctx);
        json_decref(obj);
    }
    free(line);
    if (ferror(f))
        rc = -1;
    fclose(f);
    return rc;
}

char **bench_read_lines(const char *path, size_t *n_out)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char **lines = NULL, *line = NULL;
    size_t n = 0, cap = 0, lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            char **grown = realloc(lines, cap * sizeof *lines);
            if (!grown)
                break;
            lines = grown;
        }
        lines[n++] = strdup(line);
    }
    free(line);
    fclose(f);
    *n_out = n;
    if (!lines)
        lines = calloc(1, sizeof *lines);
    return lines;
}

void bench_free_lines(char **lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}
