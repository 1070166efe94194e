/* pool.c — a stack of idle pt_searcher handles under a mutex (pool.h).
 * pt_search already reads the latest commit on each call and retries when
 * a writer's commit gets in the way, so a kept reader sees new articles;
 * only one that failed for damage or a missing index is dropped. */
#include "pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct pt_pool {
    pthread_mutex_t lock;
    char *dir;
    pt_searcher **idle;
    unsigned n_idle, max_idle;
};

pt_pool *pt_pool_new(const char *dir, unsigned max_idle)
{
    pt_pool *pool = calloc(1, sizeof *pool);
    if (!pool)
        return NULL;
    pool->dir = strdup(dir);
    pool->max_idle = max_idle ? max_idle : 1;
    pool->idle = calloc(pool->max_idle, sizeof *pool->idle);
    if (!pool->dir || !pool->idle || pthread_mutex_init(&pool->lock, NULL) != 0) {
        free(pool->dir);
        free(pool->idle);
        free(pool);
        return NULL;
    }
    return pool;
}

void pt_pool_free(pt_pool *pool)
{
    if (!pool)
        return;
    for (unsigned i = 0; i < pool->n_idle; i++)
        pt_searcher_free(pool->idle[i]);
    pthread_mutex_destroy(&pool->lock);
    free(pool->idle);
    free(pool->dir);
    free(pool);
}

int pt_pool_borrow(pt_pool *pool, pt_searcher **out)
{
    pthread_mutex_lock(&pool->lock);
    *out = pool->n_idle ? pool->idle[--pool->n_idle] : NULL;
    pthread_mutex_unlock(&pool->lock);
    if (*out)
        return PT_OK;
    return pt_searcher_open(out, pool->dir); /* outside the lock: it can take a while */
}

void pt_pool_give_back(pt_pool *pool, pt_searcher *s, int status)
{
    if (!s)
        return;
    /* PT_ESHARD: a remote shard went down; the next borrow opens the stub
     * again (the shard back, or named) */
    int keep = status != PT_ECORRUPT && status != PT_ENOTFOUND && status != PT_EVERSION && status != PT_ESHARD;
    pthread_mutex_lock(&pool->lock);
    if (keep && pool->n_idle < pool->max_idle) {
        pool->idle[pool->n_idle++] = s;
        s = NULL;
    }
    pthread_mutex_unlock(&pool->lock);
    pt_searcher_free(s);
}
