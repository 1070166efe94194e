/* reply.c — ptserve's responses (serve.h): JSON bodies with jansson,
 * errors as {"error", "status"} JSON, the built-in page and script with
 * headers that keep a browser from guessing types or loading anything
 * from elsewhere; and the map from library statuses to HTTP statuses. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hit_json.h"
#include "serve.h"

/* The page loads only its own script and talks only to its own API. */
#define PAGE_CSP                                                                                       \
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; "          \
    "img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

const char *pt_request_arg(const pt_request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result send_response(pt_request *r, unsigned status, struct MHD_Response *resp, const char *type, size_t len)
{
    if (!resp)
        return MHD_NO; /* no memory even for the response: MHD closes the connection */
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(resp, "Content-Security-Policy", PAGE_CSP);
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result ok = MHD_queue_response(r->conn, status, resp);
    MHD_destroy_response(resp);
    r->status = status;
    r->bytes = len;
    return ok;
}

enum MHD_Result pt_reply_json(pt_request *r, unsigned status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text) {
        static const char oom[] = "{\"error\":\"out of memory\",\"status\":500}";
        return send_response(r, MHD_HTTP_INTERNAL_SERVER_ERROR,
                    MHD_create_response_from_buffer(sizeof oom - 1, (void *)oom, MHD_RESPMEM_PERSISTENT),
                    "application/json", sizeof oom - 1);
    }
    size_t len = strlen(text);
    return send_response(r, status, MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE),
                "application/json; charset=utf-8", len);
}

enum MHD_Result pt_reply_error(pt_request *r, unsigned status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = pt_vstrdupf(fmt, ap);
    va_end(ap);
    json_t *body = msg ? json_pack("{s:o,s:i}", "error", pt_json_text(msg), "status", (int)status) : NULL;
    free(msg);
    return pt_reply_json(r, status, body);
}

enum MHD_Result pt_reply_static(pt_request *r, const char *type, const char *data, size_t len)
{
    return send_response(r, MHD_HTTP_OK, MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT), type,
                len);
}

unsigned pt_http_status(int rc)
{
    switch (rc) {
    case PT_EQUERY:
    case PT_EINVAL:
        return MHD_HTTP_BAD_REQUEST;
    case PT_ENOTFOUND:
    case PT_ECORRUPT:
    case PT_EVERSION:
    case PT_EMODIFIED:
    case PT_EIO:
    case PT_ESHARD: /* a remote shard is down */
        return MHD_HTTP_SERVICE_UNAVAILABLE;
    default:
        return MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
}
