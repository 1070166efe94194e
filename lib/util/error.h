/* error.h — the thread's last error message behind pt_error_last(). */
#ifndef PT_ERROR_H
#define PT_ERROR_H

/* The longest message kept, NUL included: room for an article id and a
 * path at their limits; a longer one ends in "..." so a cut is visible. */
#define PT_ERROR_MAX 8192

/* pt_fail (in ptsearch.h, for the programs too) records a message. */
#include "ptsearch.h"

/* Forgets the last message. */
void pt_error_clear(void);

#endif
