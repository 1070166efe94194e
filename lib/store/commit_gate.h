/* commit_gate.h — lets a search that cannot finish between two commits of
 * a writer (Xapian's glass keeps only the commit before the last one
 * readable) ask the writer to wait: a flock(2) on the index directory,
 * shared for such a reader while it searches, exclusive for the writer
 * while it commits. Both waits are bounded, so a stuck reader only slows a
 * writer down. Readers that finish between commits never touch it. */
#ifndef PT_COMMIT_GATE_H
#define PT_COMMIT_GATE_H

/* How long a writer waits for readers before committing anyway. */
#define PT_GATE_WRITER_WAIT 10.0

/* Takes the gate of the index directory dir, shared (a reader) or
 * exclusive (a writer), waiting at most max_wait seconds. Returns a
 * descriptor for pt_gate_release, or -1 when it could not be had in time
 * or dir is no directory (a stub file of shards): go on without it. */
int pt_gate_take(const char *dir, int exclusive, double max_wait);

/* Releases what pt_gate_take returned; -1 is ignored. */
void pt_gate_release(int fd);

#endif
