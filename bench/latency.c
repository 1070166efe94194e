/* latency.c — monotonic clock, the timed query loop, nearest-rank
 * percentiles and the summary line of a benchmark search run (format in
 * latency.h). */
#include "latency.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* PT_BENCH_CLOCK=cpu: the process's CPU time instead (bench/run's second
 * pass on a shared machine, where wall time is mostly waiting for a core). */
double bench_now(void)
{
    static int cpu = -1;
    if (cpu < 0) {
        const char *c = getenv("PT_BENCH_CLOCK");
        cpu = c && strcmp(c, "cpu") == 0;
    }
    struct timespec ts;
    clock_gettime(cpu ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(const double *sorted, size_t n, double p)
{
    if (n == 0)
        return 0;
    size_t rank = (size_t)ceil(p / 100.0 * (double)n);
    if (rank < 1)
        rank = 1;
    return sorted[rank - 1];
}

void bench_print_search(double *lat, size_t n, double open_s, double loop_s,
                        unsigned long hits, unsigned long long shown_bytes)
{
    qsort(lat, n, sizeof *lat, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += lat[i];
    printf("search queries=%zu open_ms=%.3f p50_ms=%.4f p95_ms=%.4f p99_ms=%.4f mean_ms=%.4f "
           "qps=%.1f hits=%lu shown_bytes=%llu\n",
           n, open_s * 1e3, pct(lat, n, 50) * 1e3, pct(lat, n, 95) * 1e3, pct(lat, n, 99) * 1e3,
           n ? sum / (double)n * 1e3 : 0.0, loop_s > 0 ? (double)n / loop_s : 0.0, hits,
           shown_bytes);
}

int bench_search_loop(char *const *queries, size_t n, double open_s, bench_query_fn fn, void *ctx,
                      FILE *trace)
{
    double *lat = calloc(n ? n : 1, sizeof *lat);
    if (!lat) {
        fprintf(stderr, "bench: out of memory\n");
        return 2;
    }
    bench_tally t = {0, 0};
    double loop0 = bench_now();
    for (size_t i = 0; i < n; i++) {
        double q0 = bench_now();
        int rc = fn(i, queries[i], &t, ctx);
        if (rc) {
            free(lat);
            return rc;
        }
        lat[i] = bench_now() - q0;
        if (trace)
            fprintf(trace, "%.3f\t%s\n", lat[i] * 1e3, queries[i]);
    }
    double loop_s = bench_now() - loop0;
    bench_print_search(lat, n, open_s, loop_s, t.hits, t.shown_bytes);
    free(lat);
    return 0;
}
