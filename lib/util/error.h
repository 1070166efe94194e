/* error.h — the thread's last error message behind pt_error_last(). */
#ifndef PT_ERROR_H
#define PT_ERROR_H

/* The longest message kept, NUL included: room for an article id and a
 * path at their limits; a longer one ends in "..." so a cut is visible. */
#define PT_ERROR_MAX 8192

/* Records a message (printf format) for pt_error_last() and returns status,
 * so callers can write `return pt_fail(PT_EINVAL, "bad id: %s", id);`. */
int pt_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Forgets the last message. */
void pt_error_clear(void);

#endif
