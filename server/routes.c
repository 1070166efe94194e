/* routes.c — ptserve's request handler: GET (or HEAD) of /, /page.js,
 * /api/search and /api/article, a JSON 404 for any other path and a 405
 * for any other method (nothing is ever read from disk by path), and one
 * log line per request on stderr: client, method, path, q, status, bytes
 * and milliseconds. */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "hit_json.h"
#include "routes.h"
#include "serve.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The client's address, numeric ("?" when unknown). */
static void client_address(struct MHD_Connection *conn, char *host, size_t size)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = info ? info->client_addr : NULL;
    socklen_t len = sa && sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    if (!sa || getnameinfo(sa, len, host, (socklen_t)size, NULL, 0, NI_NUMERICHOST) != 0)
        snprintf(host, size, "?");
}

/* One line: `ptserve: 127.0.0.1 GET /api/search q="..." 200 1234 B 5.2 ms`.
 * Request text is written as JSON strings (ASCII, escaped): a query can
 * hold any byte, and the log is read on terminals. */
static void log_request(const pt_request *r, const char *method, const char *url, double ms)
{
    char host[NI_MAXHOST];
    client_address(r->conn, host, sizeof host);
    const char *q = pt_request_arg(r, "q"), *id = pt_request_arg(r, "id");
    json_t *ju = pt_json_text(url), *jq = q ? pt_json_text(q) : id ? pt_json_text(id) : NULL;
    size_t flags = JSON_ENCODE_ANY | JSON_ENSURE_ASCII;
    char *u = ju ? json_dumps(ju, flags) : NULL;
    char *a = jq ? json_dumps(jq, flags) : NULL;
    flockfile(stderr);
    /* a method is a token of letters (GET); any other is not shown */
    int plain = *method && strspn(method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == strlen(method) && strlen(method) < 16;
    fprintf(stderr, "ptserve: %s %s %s", host, plain ? method : "?", u ? u : "?");
    if (a)
        fprintf(stderr, " %s=%s", q ? "q" : "id", a);
    fprintf(stderr, " %u %zu B %.1f ms\n", r->status, r->bytes, ms);
    funlockfile(stderr);
    free(u);
    free(a);
    json_decref(ju);
    json_decref(jq);
}

static enum MHD_Result route(pt_request *r, const char *url)
{
    if (strcmp(url, "/") == 0)
        return pt_reply_static(r, "text/html; charset=utf-8", pt_page_html, pt_page_html_len);
    if (strcmp(url, "/page.js") == 0)
        return pt_reply_static(r, "text/javascript; charset=utf-8", pt_page_js, pt_page_js_len);
    if (strcmp(url, "/api/search") == 0)
        return pt_api_search(r);
    if (strcmp(url, "/api/article") == 0)
        return pt_api_article(r);
    return pt_reply_error(r, MHD_HTTP_NOT_FOUND, "no such page: ptserve serves /, /api/search and /api/article");
}

enum MHD_Result pt_serve_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                 const char *version, const char *upload, size_t *upload_size, void **state)
{
    (void)version;
    (void)upload;
    (void)upload_size;
    (void)state;
    pt_request r = {conn, cls, 0, 0};
    double started = now_ms();
    enum MHD_Result ok;
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        ok = pt_reply_error(&r, MHD_HTTP_METHOD_NOT_ALLOWED, "ptserve answers GET requests only");
    else
        ok = route(&r, url);
    log_request(&r, method, url, now_ms() - started);
    return ok;
}
