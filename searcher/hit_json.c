/* hit_json.c — builds the JSON object of one hit (hit_json.h) with
 * jansson: ranges and their kinds, the other outlets that carry the
 * passage, the score's parts. Strings from the index are repaired to
 * valid UTF-8 rather than failing the object. */
#include "hit_json.h"

#include <stdlib.h>
#include <string.h>

#include "ptsearch.h"

json_t *pt_json_textn(const char *s, size_t len)
{
    json_t *j = json_stringn(s, len);
    if (j)
        return j;
    char *copy = malloc(len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    if (pt_utf8_repair(&copy, &len, NULL) == 0)
        j = json_stringn(copy, len);
    free(copy);
    return j;
}

json_t *pt_json_text(const char *s)
{
    return s ? pt_json_textn(s, strlen(s)) : json_null();
}

json_t *pt_totals_json(const pt_hits *hits)
{
    return json_pack("{s:I,s:I}", "passages", (json_int_t)pt_hits_matches_estimated(hits), "articles",
                     (json_int_t)pt_hits_articles_estimated(hits));
}

/* [[start, end], ...] and ["typed", ...]: the highlights and their kinds
 * (the keys in the order ptsearch always printed them, qid between). */
static int set_highlights(json_t *o, const pt_hit *hit, const char *qid)
{
    json_t *ranges = json_array(), *kinds = json_array();
    for (size_t i = 0; ranges && i < hit->n_highlights; i++)
        json_array_append_new(ranges, json_pack("[I,I]", (json_int_t)hit->highlights[i].start,
                                                (json_int_t)hit->highlights[i].end));
    for (size_t i = 0; kinds && i < hit->n_highlights; i++) {
        const char *kind = hit->highlight_kinds ? pt_mark_kind_name(hit->highlight_kinds[i]) : NULL;
        json_array_append_new(kinds, json_string(kind ? kind : "typed"));
    }
    int rc = json_object_set_new(o, "highlights", ranges);
    rc |= json_object_set_new(o, "title_is_first_sentence", json_boolean(hit->title_is_first_sentence));
    if (qid)
        rc |= json_object_set_new(o, "qid", pt_json_text(qid));
    return rc | json_object_set_new(o, "highlight_kinds", kinds);
}

static json_t *also_in_json(const pt_hit *hit)
{
    json_t *also = json_array();
    for (size_t i = 0; also && i < hit->n_also_in; i++) {
        const pt_also *a = &hit->also_in[i];
        json_array_append_new(also, json_pack("{s:o,s:o,s:o,s:o,s:o,s:I,s:f}", "article", pt_json_text(a->article),
                                              "path", pt_json_text(a->path), "title", pt_json_text(a->title),
                                              "source", pt_json_text(a->source), "date", pt_json_text(a->date),
                                              "line", (json_int_t)a->line, "score", a->score));
    }
    return also;
}

static json_t *explain_json(const pt_hit *hit)
{
    json_t *parts = json_array();
    for (size_t i = 0; parts && i < hit->n_explain; i++)
        json_array_append_new(parts, json_pack("{s:o,s:f,s:s}", "part", pt_json_text(hit->explain[i].part),
                                               "score", hit->explain[i].score, "kind",
                                               hit->explain[i].kind ? hit->explain[i].kind : "other"));
    return parts;
}

json_t *pt_hit_json(const pt_hit *hit, const char *qid, const json_t *total)
{
    json_t *o = json_pack("{s:I,s:f,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:I,s:I}",
                          "rank", (json_int_t)hit->rank, "score", hit->score,
                          "article", pt_json_text(hit->article), "path", pt_json_text(hit->path),
                          "title", pt_json_text(hit->title), "source", pt_json_text(hit->source),
                          "date", pt_json_text(hit->date),
                          "passage", pt_json_textn(hit->passage, hit->passage_len),
                          "start", (json_int_t)hit->start, "end", (json_int_t)hit->end,
                          "line", (json_int_t)hit->line);
    int rc = o ? set_highlights(o, hit, qid) : -1;
    if (!rc && total)
        rc = json_object_set(o, "total", (json_t *)total);
    if (!rc && hit->also_in)
        rc = json_object_set_new(o, "also_in", also_in_json(hit));
    if (!rc && hit->explain)
        rc = json_object_set_new(o, "explain", explain_json(hit));
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}
