/* latency.h — the timing every benchmark program shares: a monotonic clock,
 * per-query latencies, and the one summary line bench/run parses. */
#ifndef BENCH_LATENCY_H
#define BENCH_LATENCY_H

#include <stddef.h>

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

#ifdef __cplusplus
}
#endif
#endif
