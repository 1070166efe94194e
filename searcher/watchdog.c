/* watchdog.c — the hard stop of watchdog.h: an interval timer whose
 * SIGALRM handler writes the prepared message and _exits (nothing but
 * async-signal-safe calls in the handler). */
#include "watchdog.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static char *armed_message;
static size_t armed_len;

static void on_alarm(int sig)
{
    (void)sig;
    if (armed_message && write(STDERR_FILENO, armed_message, armed_len) < 0) {
        /* nothing more can be said */
    }
    _exit(2);
}

static void set_timer(double seconds)
{
    struct itimerval t;
    memset(&t, 0, sizeof t);
    if (seconds > 0) {
        t.it_value.tv_sec = (time_t)seconds;
        t.it_value.tv_usec = (suseconds_t)((seconds - (double)t.it_value.tv_sec) * 1e6);
        if (t.it_value.tv_sec == 0 && t.it_value.tv_usec == 0)
            t.it_value.tv_usec = 1;
    }
    setitimer(ITIMER_REAL, &t, NULL);
}

void pt_watchdog_arm(double seconds, const char *message)
{
    set_timer(0); /* no alarm while the message changes */
    if (seconds <= 0)
        return;
    char *copy = strdup(message);
    if (!copy)
        return; /* out of memory: no hard stop, the time limit still holds */
    free(armed_message);
    armed_message = copy;
    armed_len = strlen(copy);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    set_timer(seconds);
}

void pt_watchdog_disarm(void)
{
    set_timer(0);
}

double pt_watchdog_after(double timeout)
{
    return timeout + timeout + 2;
}
