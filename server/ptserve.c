/* ptserve.c — the search page and JSON API's command line: parses the
 * options, opens its own listening socket (so a busy port is reported
 * plainly, and port 0 picks a free one), runs libmicrohttpd with a thread
 * per connection (routes.c answers), and stops cleanly on SIGINT or
 * SIGTERM. Exit status: 0 stopped by a signal, 2 an error. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pool.h"
#include "routes.h"
#include "serve.h"

enum { EXIT_STOPPED = 0, EXIT_ERROR = 2 };

static const char usage[] =
    "Usage: ptserve [--index DIR] [--listen ADDR:PORT] [--timeout SECONDS]\n"
    "               [--max-connections N]\n"
    "Serve one index read-only: a search page at / and a JSON API.\n"
    "\n"
    "  -i, --index DIR          index directory (default: $PTSEARCH_INDEX, else\n"
    "                           $XDG_DATA_HOME/ptsearch/index, else\n"
    "                           ~/.local/share/ptsearch/index); it may appear\n"
    "                           later: until it can be read, searches answer 503\n"
    "  -l, --listen ADDR:PORT   where to listen (default 127.0.0.1:8080; [::1]:PORT\n"
    "                           for IPv6; port 0 picks a free port). The address\n"
    "                           actually used is printed on stderr.\n"
    "  -t, --timeout SECONDS    time limit of each search (default 5; 0 = none); at\n"
    "                           the limit the passages found are answered with\n"
    "                           \"incomplete\": true\n"
    "      --max-connections N  connections served at once, a thread each (default 64)\n"
    "  -h, --help               show this help and exit\n"
    "      --version            show the version and exit\n"
    "\n"
    "Routes (GET):\n"
    "  /                        the search page\n"
    "  /api/search?q=QUERY      the best passages: n (1-100, default 10), offset\n"
    "                           (0-10000), per_article (0-100, default 2),\n"
    "                           sort=score|date, exact=1, source=OUTLET,\n"
    "                           month=YYYY-MM, facets=0 (facets: the outlets and\n"
    "                           months of the best 1000 matching articles)\n"
    "  /api/article?id=ID       an article's passages in order\n"
    "Anything else is a 404. Errors are JSON {\"error\", \"status\"}: 400 a bad\n"
    "query or argument, 404 no such article, 503 the index cannot be read now.\n"
    "\n"
    "Limits: q at most 4096 bytes, n at most 100, offset at most 10000, a\n"
    "request line and headers at most 64 KiB, idle connections closed after 30 s.\n"
    "Each request is logged on stderr as one line.\n"
    "\n"
    "Exit status: 0 stopped by SIGINT or SIGTERM; 2 an error (a bad option, an\n"
    "address that cannot be listened on).\n";

#define DEFAULT_LISTEN "127.0.0.1:8080"
#define MAX_QUERY_BYTES 4096
#define MAX_N 100
#define MAX_OFFSET 10000
#define IDLE_SECONDS 30
#define REQUEST_MEMORY (64 * 1024)

typedef struct {
    char *dir;
    const char *listen;
    double timeout;
    unsigned max_connections;
} options;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ptserve: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static int parse_seconds(const char *arg, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (errno || *end || end == arg || !isfinite(v) || v < 0 || v > 3600) {
        say("--timeout must be a number of seconds from 0 (no limit) to 3600, not '%s'", arg);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_connections(const char *arg, unsigned *out)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (errno || *end || end == arg || v < 1 || v > 10000) {
        say("--max-connections must be a number from 1 to 10000, not '%s'", arg);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

/* Returns -1 to exit with EXIT_ERROR, 1 to exit with 0 (help). */
static int parse_args(int argc, char **argv, options *o)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'},   {"listen", required_argument, NULL, 'l'},
        {"timeout", required_argument, NULL, 't'}, {"max-connections", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},          {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    for (int c; (c = getopt_long(argc, argv, "i:l:t:h", longopts, NULL)) != -1;) {
        switch (c) {
        case 'i': free(o->dir); o->dir = strdup(optarg); break;
        case 'l': o->listen = optarg; break;
        case 't': if (parse_seconds(optarg, &o->timeout)) return -1; break;
        case 'c': if (parse_connections(optarg, &o->max_connections)) return -1; break;
        case 'h': fputs(usage, stdout); return 1;
        case 'V': puts("ptserve " PTSEARCH_VERSION); return 1;
        default: fputs("Try 'ptserve --help'.\n", stderr); return -1;
        }
    }
    if (optind < argc) {
        say("unexpected argument '%s' (the index is given with --index DIR)", argv[optind]);
        fputs("Try 'ptserve --help'.\n", stderr);
        return -1;
    }
    if (!o->dir && pt_default_index_dir(&o->dir) != 0) {
        say("%s", pt_error_last());
        return -1;
    }
    return 0;
}

/* Splits "ADDR:PORT" or "[V6ADDR]:PORT" into host and port (malloc'd). */
static int split_listen(const char *arg, char **host, char **port)
{
    const char *colon = strrchr(arg, ':');
    if (!colon || !colon[1] || colon == arg)
        return -1;
    const char *h = arg, *h_end = colon;
    if (*h == '[') {
        if (h_end[-1] != ']')
            return -1;
        h++;
        h_end--;
    }
    *host = strndup(h, (size_t)(h_end - h));
    *port = strdup(colon + 1);
    return *host && *port && strspn(*port, "0123456789") == strlen(*port) ? 0 : -1;
}

/* A listening socket on arg, or -1 after saying why. */
static int listen_on(const char *arg, int *ipv6)
{
    char *host = NULL, *port = NULL;
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV, .ai_socktype = SOCK_STREAM};
    struct addrinfo *ai = NULL;
    int fd = -1, err;
    if (split_listen(arg, &host, &port) != 0) {
        say("--listen wants ADDR:PORT (127.0.0.1:8080, [::1]:8080), not '%s'", arg);
    } else if ((err = getaddrinfo(host, port, &hints, &ai)) != 0) {
        say("--listen %s: %s (a numeric address is needed)", arg, gai_strerror(err));
    } else if ((fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        say("%s: cannot make a socket: %s", arg, strerror(errno));
    } else {
        int on = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 128) != 0) {
            say("cannot listen on %s: %s", arg, strerror(errno));
            close(fd);
            fd = -1;
        }
        *ipv6 = ai->ai_family == AF_INET6;
    }
    if (ai)
        freeaddrinfo(ai);
    free(host);
    free(port);
    return fd;
}

/* "http://127.0.0.1:41234/" for the socket fd listens on. */
static void print_address(int fd, const char *dir)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char host[NI_MAXHOST], port[NI_MAXSERV];
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0 ||
        getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, port, sizeof port,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return;
    int v6 = ss.ss_family == AF_INET6;
    say("listening on http://%s%s%s:%s/ (index %s)", v6 ? "[" : "", host, v6 ? "]" : "", port, dir);
}

/* Opens the index once to say at the start whether it can be read. */
static void check_index(pt_pool *pool, const char *dir)
{
    pt_searcher *s = NULL;
    int rc = pt_pool_borrow(pool, &s);
    if (rc)
        say("%s: %s; searches answer 503 until it can be read", dir, pt_error_last());
    pt_pool_give_back(pool, s, rc);
}

static int serve(const options *o, int fd, int ipv6)
{
    pt_serve_config cfg = {pt_pool_new(o->dir, o->max_connections), MAX_QUERY_BYTES, MAX_N, MAX_OFFSET, o->timeout};
    if (!cfg.pool) {
        say("out of memory");
        close(fd);
        return EXIT_ERROR;
    }
    check_index(cfg.pool, o->dir);
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
                     (ipv6 ? MHD_USE_IPv6 : 0);
    struct MHD_Daemon *d = MHD_start_daemon(flags, 0, NULL, NULL, pt_serve_request, &cfg,
                                            MHD_OPTION_LISTEN_SOCKET, fd,
                                            MHD_OPTION_CONNECTION_LIMIT, o->max_connections,
                                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_SECONDS,
                                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)REQUEST_MEMORY,
                                            MHD_OPTION_END);
    if (!d) {
        say("cannot start the HTTP server on %s", o->listen);
        close(fd);
        pt_pool_free(cfg.pool);
        return EXIT_ERROR;
    }
    print_address(fd, o->dir);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    int sig = 0;
    sigwait(&stop, &sig);
    say("%s: stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
    MHD_stop_daemon(d); /* closes fd too */
    pt_pool_free(cfg.pool);
    return EXIT_STOPPED;
}

int main(int argc, char **argv)
{
    options o = {NULL, DEFAULT_LISTEN, 5.0, 64};
    int rc = parse_args(argc, argv, &o);
    if (rc) {
        free(o.dir);
        return rc > 0 ? EXIT_STOPPED : EXIT_ERROR;
    }
    /* Every thread libmicrohttpd starts inherits this mask: the signals
     * reach sigwait in serve(). */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    int ipv6 = 0, fd = listen_on(o.listen, &ipv6);
    int status = fd < 0 ? EXIT_ERROR : serve(&o, fd, ipv6);
    free(o.dir);
    return status;
}
