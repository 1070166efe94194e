/* latency.h — the timing every benchmark program shares: a monotonic clock,
 * the timed query loop, per-query latencies, and the one summary line
 * bench/run parses. */
#ifndef BENCH_LATENCY_H
#define BENCH_LATENCY_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Seconds on CLOCK_MONOTONIC. */
double bench_now(void);

/* Prints, on stdout, one line:
 *   search queries=N open_ms=O p50_ms=.. p95_ms=.. p99_ms=.. mean_ms=..
 *          qps=.. hits=H shown_bytes=B
 * from the n per-query latencies (seconds; sorted in place), the time to
 * open the index, the wall time of the whole query loop (for qps), the total
 * hits returned and the bytes of highlighted text produced. Percentiles are
 * nearest-rank. */
void bench_print_search(double *lat, size_t n, double open_s, double loop_s,
                        unsigned long hits, unsigned long long shown_bytes);

/* What one query of a timed loop returned: hits, and bytes of highlighted
 * text shown (added to by the engine's query function). */
typedef struct {
    unsigned long hits;
    unsigned long long shown_bytes;
} bench_tally;

/* Runs query i (its text: query) and adds what it returned to *t; non-zero
 * stops the loop (the function has said why on stderr). */
typedef int (*bench_query_fn)(size_t i, const char *query, bench_tally *t, void *ctx);

/* The timed loop of every engine's search mode: calls fn on queries[0..n)
 * in order, timing each, then prints the summary line (bench_print_search)
 * with open_s, the time the engine took to open its index. trace (may be
 * NULL) gets each query's milliseconds and text, a line each. Returns 0,
 * or fn's non-zero (and prints nothing). */
int bench_search_loop(char *const *queries, size_t n, double open_s, bench_query_fn fn, void *ctx,
                      FILE *trace);

#ifdef __cplusplus
}
#endif
#endif
