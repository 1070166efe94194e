/* watchdog.h — ptsearch's hard stop: the library ends a search at its
 * time limit between documents, but a damaged index can stall inside one
 * Xapian call. Armed around each search, the watchdog ends the process
 * with a message and exit status 2 when the search overruns by far. */
#ifndef PT_WATCHDOG_H
#define PT_WATCHDOG_H

/* After seconds (> 0), prints message on stderr and exits with status 2
 * (stdout is not flushed: flush what must survive first). message is
 * copied; a later call replaces the earlier one. seconds <= 0 disarms. */
void pt_watchdog_arm(double seconds, const char *message);
void pt_watchdog_disarm(void);

/* When the watchdog of a search with this time limit fires, in seconds
 * after it starts: twice the limit plus two seconds, so that a slow
 * machine finishing what a search does after its limit (fetching records,
 * grouping) is never cut short. */
double pt_watchdog_after(double timeout);

#endif
