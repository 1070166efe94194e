/* deadline.h — the clock a search's time limit is measured on: seconds
 * on CLOCK_MONOTONIC (immune to the wall clock being set), and the test
 * whether a deadline has passed. A deadline of 0 means none. Header only:
 * the binding (C++) and the C side share it. */
#ifndef PT_DEADLINE_H
#define PT_DEADLINE_H

#include <time.h>

static inline double pt_clock_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Non-zero when deadline (from pt_clock_now) is set and has passed. */
static inline int pt_deadline_passed(double deadline)
{
    return deadline > 0 && pt_clock_now() >= deadline;
}

#endif
