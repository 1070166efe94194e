/* routes.h — the handler ptserve gives libmicrohttpd (routes.c): each
 * request is answered on the first call, logged, and never reads a body. */
#ifndef PT_SERVE_ROUTES_H
#define PT_SERVE_ROUTES_H

#include <microhttpd.h>

/* cls: the server's pt_serve_config. */
enum MHD_Result pt_serve_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                 const char *version, const char *upload, size_t *upload_size, void **state);

#endif
