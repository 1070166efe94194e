/* boilerplate_diff.c — prints the passages ptindex would make of each
 * article of a news JSON Lines file (gzipped or not), for measuring what a
 * change to the boilerplate filter moves (bench/results/boilerplate-*.md).
 * Not part of the product. Text is composed as ptindex's JSON Lines reader
 * does (headline, blank line, body). Built with -DPT_OLD_FILTER it uses the
 * filter's interface before the table of recurring lines.
 *
 * Usage: boilerplate_diff FILE.jsonl[.gz]
 * Output: "P\tid\ttext" per passage ("\n" written as "\\n"), and (new
 * filter) "D\tid\tkind\tline" per dropped line, kind recurring|headline|rule. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/boilerplate.h"
#include "analysis/passage.h"

typedef struct {
    char *id, *title, *source, *text;
    size_t len;
} article;

static const char *field(json_t *o, const char *name)
{
    json_t *v = json_object_get(o, name);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Reads one line's article; 0 at the end of the file. */
static int next_article(FILE *in, article *a)
{
    static char *line;
    static size_t cap;
    for (;;) {
        if (getline(&line, &cap, in) < 0)
            return 0;
        json_t *o = json_loads(line, 0, NULL);
        if (!o)
            continue;
        const char *id = field(o, "id"), *title = field(o, "title"), *body = field(o, "body");
        const char *source = field(o, "source");
        if (!id) {
            json_decref(o);
            continue;
        }
        body = body ? body : "";
        size_t tl = title ? strlen(title) : 0, bl = strlen(body);
        a->text = malloc(tl + bl + 3);
        if (tl && strncmp(body, title, tl) != 0)
            a->len = (size_t)sprintf(a->text, "%s\n\n%s", title, body);
        else
            a->len = (size_t)sprintf(a->text, "%s", tl && !bl ? title : body);
        a->id = strdup(id);
        a->title = title ? strdup(title) : NULL;
        a->source = source ? strdup(source) : NULL;
        json_decref(o);
        return 1;
    }
}

static void article_free(article *a)
{
    free(a->id), free(a->title), free(a->source), free(a->text);
}

static FILE *open_input(const char *path)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "gzip -dcf '%s'", path);
    return popen(cmd, "r");
}

static void print_escaped(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            fputs("\\n", stdout);
        else if (s[i] != '\r' && s[i] != '\t')
            putchar(s[i]);
        else
            putchar(' ');
    }
}

#ifndef PT_OLD_FILTER
typedef struct {
    pt_boilerplate_ctx bp;
    const article *a;
} logging_ctx;

/* The filter, printing what it drops and why. */
static int logging_keep(const char *text, size_t start, size_t end, void *ctx)
{
    logging_ctx *lc = ctx;
    size_t before = lc->bp.recurring_dropped;
    int lede_seen = lc->bp.lede_seen;
    if (pt_boilerplate_keep(text, start, end, &lc->bp))
        return 1;
    const char *kind = lc->bp.recurring_dropped > before ? "recurring"
                       : !lede_seen && lc->a->title && strlen(lc->a->title) == end - start &&
                               memcmp(lc->a->title, text + start, end - start) == 0
                           ? "headline" : "rule";
    printf("D\t%s\t%s\t", lc->a->id, kind);
    print_escaped(text + start, end - start);
    putchar('\n');
    return 0;
}
#endif

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: boilerplate_diff FILE.jsonl[.gz]\n");
        return 2;
    }
    article a;
#ifndef PT_OLD_FILTER
    pt_recurring *table = pt_recurring_new();
    FILE *in = open_input(argv[1]);
    while (in && next_article(in, &a)) {
        pt_recurring_learn(table, a.source, a.title, a.text, a.len);
        article_free(&a);
    }
    if (in)
        pclose(in);
#endif
    FILE *f = open_input(argv[1]);
    while (f && next_article(f, &a)) {
        pt_passage *p = NULL;
        size_t n = 0;
#ifdef PT_OLD_FILTER
        pt_passages_split(&p, &n, a.text, a.len, pt_boilerplate_keep, NULL);
#else
        logging_ctx lc = { .a = &a };
        pt_boilerplate_ctx_init(&lc.bp, a.title, a.len, table, a.source);
        pt_passages_split(&p, &n, a.text, a.len, logging_keep, &lc);
#endif
        for (size_t i = 0; i < n; i++) {
            printf("P\t%s\t", a.id);
            print_escaped(a.text + p[i].start, p[i].end - p[i].start);
            putchar('\n');
        }
        free(p);
        article_free(&a);
    }
    if (f)
        pclose(f);
#ifndef PT_OLD_FILTER
    pt_recurring_free(table);
#endif
    return 0;
}
