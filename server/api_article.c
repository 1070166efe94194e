/* api_article.c — GET /api/article?id=ID: the article's passages in its
 * order (pt_article_passages), as {"article", "path", "title", "source",
 * "date", "title_is_first_sentence", "passages": [{"n", "passage",
 * "start", "end", "line"}], "more"}. */
#include <string.h>

#include "hit_json.h"
#include "serve.h"

/* Passages shown of one article; "more" says when it has others. */
#define ARTICLE_MAX_PASSAGES 5000

static json_t *passages_json(const pt_hits *hits, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++) {
        const pt_hit *h = pt_hits_get(hits, i);
        if (json_array_append_new(list, json_pack("{s:I,s:o,s:I,s:I,s:I}", "n", (json_int_t)h->rank, "passage",
                                                  pt_json_textn(h->passage, h->passage_len), "start",
                                                  (json_int_t)h->start, "end", (json_int_t)h->end, "line",
                                                  (json_int_t)h->line)) != 0) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

static json_t *article_json(const pt_hits *hits)
{
    const pt_hit *first = pt_hits_get(hits, 0);
    size_t n = pt_hits_count(hits);
    size_t shown = n > ARTICLE_MAX_PASSAGES ? ARTICLE_MAX_PASSAGES : n;
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:b}", "article", pt_json_text(first->article), "path",
                     pt_json_text(first->path), "title", pt_json_text(first->title), "source",
                     pt_json_text(first->source), "date", pt_json_text(first->date), "title_is_first_sentence",
                     first->title_is_first_sentence, "passages", passages_json(hits, shown), "more", n > shown);
}

enum MHD_Result pt_api_article(pt_request *r)
{
    const char *id = pt_request_arg(r, "id");
    if (!id || !*id)
        return pt_reply_error(r, MHD_HTTP_BAD_REQUEST, "no article: give one as id=ARTICLE");
    if (strlen(id) > PT_MAX_ID_BYTES)
        return pt_reply_error(r, MHD_HTTP_BAD_REQUEST, "the article id is longer than the limit (%d bytes)",
                              PT_MAX_ID_BYTES);
    pt_searcher *s = NULL;
    int rc = pt_pool_borrow(r->cfg->pool, &s);
    if (rc)
        return pt_reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "the index cannot be read now: %s", pt_error_last());
    pt_hits *hits = NULL;
    rc = pt_article_passages(&hits, s, id, ARTICLE_MAX_PASSAGES + 1);
    enum MHD_Result ok;
    if (rc == PT_ENOTFOUND)
        ok = pt_reply_error(r, MHD_HTTP_NOT_FOUND, "no article with this id");
    else if (rc)
        ok = pt_reply_error(r, pt_http_status(rc), "%s", pt_error_last());
    else
        ok = pt_reply_json(r, MHD_HTTP_OK, article_json(hits));
    pt_hits_free(hits);
    pt_pool_give_back(r->cfg->pool, s, rc == PT_ENOTFOUND ? PT_OK : rc);
    return ok;
}
