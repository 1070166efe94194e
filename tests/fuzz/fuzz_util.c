/* fuzz_util.c — the helpers of fuzz.h, linked into every fuzz target and
 * replay program. */
#define _GNU_SOURCE /* memfd_create */
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "text_fields.h"

static char scratch_path[4096];
static int scratch_fd = -1;

static void remove_scratch(void)
{
    if (scratch_fd >= 0) {
        close(scratch_fd);
        unlink(scratch_path);
    }
}

/* An in-memory file where Linux has them: rewriting a file on disk
 * thousands of times a second is slower than the readers under test. */
static void open_scratch(void)
{
    scratch_fd = memfd_create("ptfuzz-input", MFD_CLOEXEC);
    if (scratch_fd >= 0) {
        snprintf(scratch_path, sizeof scratch_path, "/proc/self/fd/%d", scratch_fd);
        return;
    }
    const char *tmp = getenv("TMPDIR");
    int n = snprintf(scratch_path, sizeof scratch_path, "%s/ptfuzz-input-XXXXXX",
                     tmp && *tmp ? tmp : "/tmp");
    FUZZ_CHECK(n > 0 && (size_t)n < sizeof scratch_path);
    scratch_fd = mkstemp(scratch_path);
    FUZZ_CHECK(scratch_fd >= 0);
    atexit(remove_scratch);
}

const char *fuzz_scratch_file(const void *data, size_t size)
{
    if (scratch_fd < 0)
        open_scratch();
    FUZZ_CHECK(ftruncate(scratch_fd, 0) == 0);
    const char *p = data;
    for (size_t done = 0; done < size;) {
        ssize_t n = pwrite(scratch_fd, p + done, size - done, (off_t)done);
        FUZZ_CHECK(n > 0);
        done += (size_t)n;
    }
    return scratch_path;
}

int fuzz_is_iso_date(const char *s)
{
    for (int i = 0; i < 10; i++) {
        int dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : s[i] < '0' || s[i] > '9')
            return 0;
    }
    /* The shape is right; pt_date_parse knows the calendar. */
    char again[11];
    return pt_date_parse(s, 10, again) == 10 && memcmp(again, s, 10) == 0;
}
