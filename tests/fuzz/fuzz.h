/* fuzz.h — what every fuzz target shares: the libFuzzer entry point, an
 * invariant check that aborts in every build type (assert() is compiled
 * out of release builds, and a fuzzer only sees an abort), and a scratch
 * file for targets whose reader takes a path rather than bytes. */
#ifndef PT_FUZZ_H
#define PT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts, naming the broken invariant, when cond is false. */
#define FUZZ_CHECK(cond)                                                              \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                  \
        }                                                                             \
    } while (0)

/* Replaces the content of a scratch file (one per process, created on the
 * first call in $TMPDIR and removed at exit) with data[0..size) and
 * returns its path. Aborts when the file cannot be written. */
const char *fuzz_scratch_file(const void *data, size_t size);

/* Non-zero when s[0..10) is a calendar date written YYYY-MM-DD. */
int fuzz_is_iso_date(const char *s);

#endif
