/* count.c — ptsearch --count: how many matching articles each source or
 * month has (facets.c tallies them), printed as text (most first, months
 * in order) or as JSON lines. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "facets.h"
#include "hit_json.h"
#include "output.h"

static int print_bucket(FILE *out, const pt_output *o, const pt_facet *b, const char *qid)
{
    const char *field = o->count_by == PT_COUNT_SOURCE ? "source" : "month";
    if (o->format != PT_FORMAT_JSON) {
        fprintf(out, "%7llu  ", (unsigned long long)b->articles);
        pt_put_visible_string(out, b->key ? b->key : o->count_by == PT_COUNT_SOURCE ? "(no source)" : "(no date)");
        fputc('\n', out);
        return 0;
    }
    json_t *obj = json_pack("{s:o,s:I}", field, pt_json_text(b->key), "articles", (json_int_t)b->articles);
    return pt_put_json_line(out, obj, qid);
}

int pt_output_counts(FILE *out, const pt_output *o, const pt_hits *hits, uint64_t matched, const char *qid,
                     const char *query)
{
    pt_output_header(out, o, qid, query);
    pt_facet *b = NULL;
    size_t n = 0;
    int rc = pt_facets_count(hits, o->count_by, &b, &n);
    for (size_t i = 0; !rc && i < n; i++)
        rc = print_bucket(out, o, &b[i], qid);
    if (!rc && o->format != PT_FORMAT_JSON && n) {
        fputs("  (", out);
        pt_put_grouped(out, pt_hits_count(hits));
        fputs(" matching articles", out);
        if (matched > pt_hits_count(hits)) {
            fputs("; counted: the best of about ", out);
            pt_put_grouped(out, matched);
        }
        fputs(")\n", out);
    }
    pt_facets_free(b, n);
    return rc;
}
