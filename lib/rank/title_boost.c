/* title_boost.c — the title boost (title_boost.h). Title words are filter
 * terms (XT + stem, wdf 0: BM25 gives them nothing), so a typed word found
 * in a title weighs TITLE_WEIGHT times its BM25 idf among passages, as a
 * constant (ptx_query_constant), added with AND_MAYBE. */
#include "rank/title_boost.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "ptsearch.h"
#include "store/schema.h"
#include "rank/tune.h"
#include "query/variants.h"

/* Chosen on the judged collections (README, "Ranking"): 0.3 and 1.0 gain
 * less on cranfield, the one collection this moves most. */
#define TITLE_WEIGHT 0.6
#define MAX_TITLE_PARTS 32

/* The title part for one stem, or *out = NULL when no title has it. */
static int title_part(ptx_query **out, ptx_reader *r, const char *stem, uint64_t passages)
{
    char term[PT_VARIANT_STEM_MAX + sizeof PT_PREFIX_TITLE], label[PT_VARIANT_STEM_MAX + 8];
    *out = NULL;
    snprintf(term, sizeof term, "%s%s", PT_PREFIX_TITLE, stem);
    uint64_t n = 0;
    int rc = ptx_reader_termfreq(r, term, &n);
    double idf = n ? log((passages - n + 0.5) / (n + 0.5)) : 0;
    double weight = pt_tune("title", TITLE_WEIGHT);
    if (rc || idf <= 0 || weight <= 0)
        return rc;
    snprintf(label, sizeof label, "title:%s", stem);
    *out = ptx_query_constant(term, strlen(term), weight * idf, label);
    return *out ? PT_OK : PT_ENOMEM;
}

/* AND_MAYBE(*q, OR(parts)); takes *q and frees the parts. */
static int add_parts(ptx_query **q, ptx_query **parts, size_t n, const pt_query_info *info)
{
    ptx_query *or = ptx_query_combine(PTX_OP_OR, parts, n, 0);
    ptx_query *any = or ? pt_query_gated(info, or) : NULL; /* only passages with a word typed */
    ptx_query_free(or);
    ptx_query *both[2] = {*q, any};
    ptx_query *out = any ? ptx_query_combine(PTX_OP_AND_MAYBE, both, 2, 0) : NULL;
    ptx_query_free(any);
    for (size_t i = 0; i < n; i++)
        ptx_query_free(parts[i]);
    if (!out)
        return PT_ENOMEM;
    ptx_query_free(*q);
    *q = out;
    return PT_OK;
}

int pt_title_boost(ptx_query **q, ptx_reader *r, const pt_query_info *info)
{
    uint64_t passages = 0;
    int rc = ptx_reader_doccount(r, &passages);
    ptx_query *parts[MAX_TITLE_PARTS];
    size_t n = 0;
    for (size_t i = 0; !rc && i < info->n_words && n < MAX_TITLE_PARTS; i++) {
        int seen = 0; /* a word typed twice counts once */
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(info->words[j].stem, info->words[i].stem) == 0;
        if (!seen && !(rc = title_part(&parts[n], r, info->words[i].stem, passages)) && parts[n])
            n++;
    }
    if (!rc && n)
        return add_parts(q, parts, n, info);
    for (size_t i = 0; i < n; i++)
        ptx_query_free(parts[i]);
    return rc;
}
