/* tune.h — the ranking constants as measured, and a development hook to
 * try others without a rebuild: PTSEARCH_TUNE="name=value,name=value"
 * (read once per process) overrides the named defaults. scripts/eval.sh
 * --loco uses it to choose each constant leave-one-collection-out; users
 * never need it, and a malformed entry is ignored. */
#ifndef PT_TUNE_H
#define PT_TUNE_H

/* The value of the constant name: PTSEARCH_TUNE's, or def. */
double pt_tune(const char *name, double def);

#endif
