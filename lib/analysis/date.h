/* date.h — reading a date as articles write it into "YYYY-MM-DD" (the
 * indexer's metadata readers and the boilerplate filter's date lines). */
#ifndef PT_DATE_H
#define PT_DATE_H

#include <stddef.h>

/* Parses one date written as YYYY-MM-DD (also with a time after it, as in
 * ISO 8601), "December 16, 2025", "Dec 15, 2025", "15 December 2025" or
 * "2025/12/15". On success writes "YYYY-MM-DD" and a NUL into out and returns
 * the number of bytes of s consumed; returns 0 when s does not start with a
 * valid date (including impossible ones like 2025-02-30). */
size_t pt_date_parse(const char *s, size_t len, char out[11]);

#endif
