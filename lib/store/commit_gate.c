/* commit_gate.c — the flock of commit_gate.h, polled (LOCK_NB) so that a
 * wait can end at its limit. */
#include "store/commit_gate.h"

#include <fcntl.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "util/deadline.h"

int pt_gate_take(const char *dir, int exclusive, double max_wait)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    double until = pt_clock_now() + max_wait;
    long pause_ns = 200000; /* 0.2 ms, doubling up to 20 ms */
    while (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
        if (pt_clock_now() >= until) {
            close(fd);
            return -1;
        }
        struct timespec pause = {0, pause_ns};
        nanosleep(&pause, NULL);
        if (pause_ns < 20000000)
            pause_ns *= 2;
    }
    return fd;
}

void pt_gate_release(int fd)
{
    if (fd >= 0)
        close(fd); /* closing drops the lock */
}
