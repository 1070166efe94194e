/* zdict.h — the preset dictionary (common English words) with which
 * record.c deflates passage text: most passages are a few hundred bytes,
 * too short for deflate to find much to repeat in themselves. */
#ifndef PT_ZDICT_H
#define PT_ZDICT_H

#include <stddef.h>

extern const char pt_zdict[];
extern const size_t pt_zdict_len;

#endif
