/* serve.h — what ptserve's files share: the server's settings, one
 * request as the routes see it, and the replies (reply.c): JSON bodies,
 * JSON errors with their HTTP status, the built-in page. */
#ifndef PT_SERVE_H
#define PT_SERVE_H

#include <jansson.h>
#include <microhttpd.h>
#include <stddef.h>

#include "pool.h"
#include "ptsearch.h"

/* Limits of a request (ptserve --help lists them). */
typedef struct {
    pt_pool *pool;
    unsigned max_query_bytes; /* q at most (the library's own limit is higher) */
    unsigned max_n;           /* n at most */
    unsigned max_offset;      /* offset at most */
    double timeout;           /* seconds a search may take (0: no limit) */
} pt_serve_config;

/* One request: what the log line reports is filled in by the reply. */
typedef struct {
    struct MHD_Connection *conn;
    const pt_serve_config *cfg;
    unsigned status; /* HTTP status sent */
    size_t bytes;    /* body bytes sent */
} pt_request;

/* The value of the query-string argument name, or NULL. */
const char *pt_request_arg(const pt_request *r, const char *name);

/* Sends body (taken; NULL: a 500 for want of memory) as compact JSON. */
enum MHD_Result pt_reply_json(pt_request *r, unsigned status, json_t *body);

/* Sends {"error": MESSAGE, "status": STATUS}. */
enum MHD_Result pt_reply_error(pt_request *r, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sends data[0..len) (static: not copied) as type, with the page's
 * security headers. */
enum MHD_Result pt_reply_static(pt_request *r, const char *type, const char *data, size_t len);

/* The HTTP status for a failed library call: 400 a bad query, 404 no
 * such article, 503 the index cannot be read now, 500 anything else. */
unsigned pt_http_status(int rc);

/* The routes (api_search.c, api_article.c). */
enum MHD_Result pt_api_search(pt_request *r);
enum MHD_Result pt_api_article(pt_request *r);

/* The search page (page.html, made into page.c when ptserve is built). */
extern const char pt_page_html[];
extern const size_t pt_page_html_len;
extern const char pt_page_js[];
extern const size_t pt_page_js_len;

#endif
