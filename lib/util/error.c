/* error.c — owns the per-thread "last error" message of libptsearch. */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ptsearch.h"

static _Thread_local char last_error[PT_ERROR_MAX];

int pt_fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof last_error)
        memcpy(last_error + sizeof last_error - 4, "...", 4);
    return status;
}

void pt_error_clear(void)
{
    last_error[0] = '\0';
}

const char *pt_error_last(void)
{
    return last_error;
}
