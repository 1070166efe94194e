/* expand.c — query expansion through WordNet's C library (libwordnet, see
 * expand.h). For each part of speech the word's base form (morphstr) is
 * looked up; of its first SENSES_USED senses (WordNet orders senses by
 * frequency) the synset's other words and the targets of its
 * derivational pointers are kept (NEAR_WEIGHT, DERIV_WEIGHT), and so are
 * the other words of the targets' synsets (FAR_WEIGHT). Each lemma is stemmed by the
 * project's analyzer and kept only when the index holds the stem. */
#include "query/expand.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <wn.h>

#include "util/error.h"
#include "ptsearch.h"

/* Weights relative to the word typed, chosen on the judged collections
 * (scripts/eval.sh; the table is in the README): 0.5 for every related word
 * lost nDCG@10 on four of six collections; these gain on average. */
#define SENSES_USED 2
#define DERIV_WEIGHT 0.4 /* concession → concede */
#define NEAR_WEIGHT 0.2  /* concession → conceding, yielding */
#define FAR_WEIGHT 0.2   /* concede → cede, grant */

/* WordNet's library opens its data files once, for the process. */
static int wordnet_state; /* 0 not tried, 1 open, -1 unavailable */
/* ... and keeps its state in globals: the open FILEs it seeks and reads,
 * static buffers (morphstr's result, its search buffers). Two searches
 * expanding at once (ptserve's threads) read each other's lines and
 * crashed; every call into it is made under this lock. */
static pthread_mutex_t wordnet_lock = PTHREAD_MUTEX_INITIALIZER;

/* libwordnet binary-searches its index and data files with fseek + fgets:
 * on a plain FILE each step is an lseek and a read system call, which made
 * expansion cost more than the search itself (1,000 queries: 4.2 s without,
 * 9.5 s with). Serving the same bytes from a mapping through fmemopen keeps
 * every step in memory. The mappings live as long as the process, as
 * WordNet's own state does. Any failure keeps the original FILE. */
static void map_in_memory(FILE **fp)
{
    struct stat st;
    if (!*fp || fstat(fileno(*fp), &st) != 0 || st.st_size <= 0)
        return;
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fileno(*fp), 0);
    if (map == MAP_FAILED)
        return;
    FILE *mem = fmemopen(map, (size_t)st.st_size, "r");
    if (!mem) {
        munmap(map, (size_t)st.st_size);
        return;
    }
    fclose(*fp);
    *fp = mem;
}

/* pt_expand_available, the lock held. */
static int available_locked(void)
{
    if (wordnet_state == 0) {
        wordnet_state = wninit() == 0 ? 1 : -1;
        for (int pos = 1; wordnet_state == 1 && pos <= NUMPARTS; pos++) {
            map_in_memory(&indexfps[pos]);
            map_in_memory(&datafps[pos]);
        }
    }
    return wordnet_state == 1;
}

int pt_expand_available(void)
{
    pthread_mutex_lock(&wordnet_lock);
    int yes = available_locked();
    pthread_mutex_unlock(&wordnet_lock);
    return yes;
}

typedef struct {
    pt_expansions *out;
    pt_analyzer *an;
    ptx_reader *r;
    const char *typed_stem;
    int err;
} collector;

/* Lemmas of more than one word (give_up), or capitalised (proper nouns),
 * are not expanded to. */
static int usable_lemma(const char *lemma)
{
    if (!lemma[0] || isupper((unsigned char)lemma[0]))
        return 0;
    for (const char *c = lemma; *c; c++)
        if (*c == '_' || *c == ' ' || *c == '-')
            return 0;
    return 1;
}

static void add_lemma(collector *c, const char *lemma, double weight)
{
    pt_expansions *out = c->out;
    char stem[PT_VARIANT_STEM_MAX];
    if (c->err || out->n >= PT_EXPANSIONS_MAX || !usable_lemma(lemma))
        return;
    if (pt_analyzer_stem_word(c->an, lemma, strlen(lemma), stem, sizeof stem) < 0)
        return;
    if (strcmp(stem, c->typed_stem) == 0)
        return;
    for (size_t i = 0; i < out->n; i++) {
        if (strcmp(out->stems[i], stem) == 0) {
            if (weight > out->weights[i])
                out->weights[i] = weight;
            return;
        }
    }
    uint64_t freq = 0;
    int rc = ptx_reader_termfreq(c->r, stem, &freq);
    if (rc) {
        c->err = rc;
        return;
    }
    if (freq == 0)
        return;
    memcpy(out->stems[out->n], stem, strlen(stem) + 1);
    out->weights[out->n++] = weight;
}

/* The derivational targets of the sense ss of the word (ss->whichword). */
static void add_derivations(collector *c, SynsetPtr ss)
{
    for (int i = 0; i < ss->ptrcount; i++) {
        if (ss->ptrtyp[i] != DERIVATION || (ss->pfrm[i] != 0 && ss->pfrm[i] != ss->whichword))
            continue;
        SynsetPtr target = read_synset(ss->ppos[i], ss->ptroff[i], "");
        if (!target)
            continue;
        if (ss->pto[i] >= 1 && ss->pto[i] <= target->wcount)
            add_lemma(c, target->words[ss->pto[i] - 1], DERIV_WEIGHT);
        for (int j = 0; j < target->wcount; j++)
            add_lemma(c, target->words[j], FAR_WEIGHT);
        free_synset(target);
    }
}

static void add_senses(collector *c, char *base, int pos)
{
    IndexPtr idx = index_lookup(base, pos);
    if (!idx)
        return;
    for (int s = 0; s < idx->off_cnt && s < SENSES_USED; s++) {
        SynsetPtr ss = read_synset(pos, (long)idx->offset[s], base);
        if (!ss)
            continue;
        int head = ss->whichword >= 1 && ss->whichword <= ss->wcount ? ss->whichword - 1 : 0;
        if (ss->wcount > 0 && usable_lemma(ss->words[head])) { /* not a name */
            for (int j = 0; j < ss->wcount; j++)
                add_lemma(c, ss->words[j], NEAR_WEIGHT);
            add_derivations(c, ss);
        }
        free_synset(ss);
    }
    free_index(idx);
}

int pt_expansions_find(pt_expansions *out, pt_analyzer *an, ptx_reader *r, const char *word,
                       size_t len, const char *stem)
{
    out->n = 0;
    if (!r || len == 0 || len >= PT_VARIANT_STEM_MAX)
        return PT_OK;
    collector c = {out, an, r, stem, 0};
    pthread_mutex_lock(&wordnet_lock);
    for (int pos = NOUN; pos <= ADV && !c.err && available_locked(); pos++) {
        char typed[PT_VARIANT_STEM_MAX], base[PT_VARIANT_STEM_MAX];
        memcpy(typed, word, len);
        typed[len] = '\0';
        const char *morph = morphstr(typed, pos); /* static storage, or NULL */
        snprintf(base, sizeof base, "%s", morph ? morph : typed);
        add_senses(&c, base, pos);
    }
    pthread_mutex_unlock(&wordnet_lock);
    return c.err;
}
