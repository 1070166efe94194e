/* jsonl_reader.h — the benchmark peers' reader of the news JSON Lines files
 * (id, title, body per line), and of query files (one query a line). Not part
 * of the product: ptindex has its own reader. */
#ifndef BENCH_JSONL_READER_H
#define BENCH_JSONL_READER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    const char *id, *title, *body; /* never NULL; "" when absent */
    size_t title_len, body_len;
} bench_article;

/* Calls cb for every article of path (a .jsonl file); the strings are valid
 * during the call only. Lines that do not parse are skipped and counted in
 * *skipped. A non-zero return from cb stops the walk and is returned.
 * Returns -1 when the file cannot be read. */
typedef int (*bench_article_cb)(const bench_article *a, void *ctx);
int bench_read_articles(const char *path, bench_article_cb cb, void *ctx, size_t *skipped);

/* Reads the non-empty lines of path into a malloc'd array of malloc'd
 * strings (line ends stripped); *n_out gets the count. NULL on failure. */
char **bench_read_lines(const char *path, size_t *n_out);
void bench_free_lines(char **lines, size_t n);

#ifdef __cplusplus
}
#endif
#endif
