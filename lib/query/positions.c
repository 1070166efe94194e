/* positions.c — the positions of a passage's words, from its text (see
 * positions.h). The indexer numbers the words of each passage from 0
 * (index.c); analyzing the stored text from 0 gives the same numbers. */
#include "query/positions.h"

#include <stdlib.h>

#include "analysis/analyzer.h"
#include "store/record.h"

typedef struct {
    ptx_posting_cb cb;
    void *cb_ctx;
} positions_ctx;

static int posting_cb(const pt_term *t, void *ctx)
{
    positions_ctx *c = ctx;
    if (t->flags & PT_TERM_COMPOUND)
        return 0; /* its parts hold the positions */
    return c->cb(t->term, t->term_len, t->pos, c->cb_ctx);
}

int pt_positions_of_passage(const char *data, size_t len, ptx_posting_cb cb, void *cb_ctx, void *ctx)
{
    pt_passage_record rec;
    int rc = pt_record_decode_passage(&rec, data, len);
    if (rc)
        return rc;
    positions_ctx c = {cb, cb_ctx};
    rc = pt_analyze(ctx, rec.text, rec.text_len, 0, posting_cb, &c, NULL);
    free((char *)rec.text);
    return rc;
}
