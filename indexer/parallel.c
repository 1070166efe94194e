/* parallel.c — the workers of a parallel full build (parallel.h). Each
 * worker has a bounded queue of copied articles; the reading thread waits
 * when the queue of the article's worker is full, so memory stays bounded
 * by the queues plus each part's uncommitted batch. */
#include "parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "ptsearch.h"

/* A worker's queue holds at most this many articles, or this much text
 * (one article, however large, always fits in an empty queue). */
#define QUEUE_ARTICLES 64
#define QUEUE_BYTES (4u * 1024 * 1024)

typedef struct job {
    struct job *next;
    size_t bytes;
    const char *input; /* the input's name, for messages */
    pt_article a;      /* strings in the same allocation, after the struct */
} job;

typedef struct {
    struct pt_par *par;
    pt_index *ix;
    pthread_t thread;
    int started;
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
    job *head, *tail;
    size_t queued, queued_bytes;
    int closed;
    unsigned long since_commit;
    size_t bytes_since_commit;
} worker;

/* Part numbers by 64-bit key (open addressing; 0 is free, so a key 0 is
 * stored as 1: two keys then share a part, which is only slower). */
typedef struct {
    uint64_t *keys;
    unsigned *parts;
    size_t n, cap;
} part_map;

struct pt_par {
    pt_index *manifest;
    /* Articles of one content go to one part, where the later ones become
     * copies of the first (pt_article_content_hash); an id given again
     * goes where it went first, whatever its content now. */
    part_map by_content, by_id;
    worker *workers;
    unsigned n;
    pt_index **parts; /* manifest, then each worker's part */
    unsigned long commit_every;
    size_t commit_bytes;
    atomic_ulong added, updated, unchanged, passages;
    atomic_int failed;
    pthread_mutex_t error_lock; /* the first failure */
    int error_status;
    char *error_msg; /* malloc'd; NULL when there was no memory to copy it */
    char *error_input;
};

/* ------------------------------------------------------------ part maps */

static size_t slot_of(const part_map *m, uint64_t key)
{
    size_t i = (size_t)(key * 0x9e3779b97f4a7c15ULL) & (m->cap - 1);
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    return i;
}

/* The part of key, or -1. */
static long part_map_get(const part_map *m, uint64_t key)
{
    if (!m->cap)
        return -1;
    size_t i = slot_of(m, key ? key : 1);
    return m->keys[i] ? (long)m->parts[i] : -1;
}

static int part_map_put(part_map *m, uint64_t key, unsigned part)
{
    key = key ? key : 1;
    if ((m->n + 1) * 2 > m->cap) {
        part_map grown = {NULL, NULL, 0, m->cap ? m->cap * 2 : 1024};
        grown.keys = calloc(grown.cap, sizeof *grown.keys);
        grown.parts = malloc(grown.cap * sizeof *grown.parts);
        if (!grown.keys || !grown.parts) {
            free(grown.keys);
            free(grown.parts);
            return pt_fail(PT_ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (m->keys[i]) {
                size_t j = slot_of(&grown, m->keys[i]);
                grown.keys[j] = m->keys[i];
                grown.parts[j] = m->parts[i];
            }
        }
        grown.n = m->n;
        free(m->keys);
        free(m->parts);
        *m = grown;
    }
    size_t i = slot_of(m, key);
    m->n += !m->keys[i];
    m->keys[i] = key;
    m->parts[i] = part;
    return PT_OK;
}

static void part_map_free(part_map *m)
{
    free(m->keys);
    free(m->parts);
}

/* The part of article a: where its id went before, else its content's if
 * another article had it, else its id's. */
static int part_for(pt_par *p, const pt_article *a, unsigned *part)
{
    uint64_t id_hash = pt_hash_bytes(0, a->id, strlen(a->id));
    long before = part_map_get(&p->by_id, id_hash);
    uint64_t content = pt_article_content_hash(a);
    long same = part_map_get(&p->by_content, content);
    *part = before >= 0 ? (unsigned)before : same >= 0 ? (unsigned)same : pt_index_part_of(a->id, p->n);
    int rc = same < 0 ? part_map_put(&p->by_content, content, *part) : PT_OK;
    if (!rc && before < 0)
        rc = part_map_put(&p->by_id, id_hash, *part);
    return rc;
}

/* ------------------------------------------------------------- failures */

static void record_failure(pt_par *p, int status, const char *input)
{
    pthread_mutex_lock(&p->error_lock);
    if (!p->error_status) {
        p->error_status = status;
        p->error_msg = strdup(pt_error_last());
        p->error_input = input ? strdup(input) : NULL;
    }
    pthread_mutex_unlock(&p->error_lock);
    atomic_store(&p->failed, 1);
}

/* The first failure, as a status of the calling thread. */
static int report_failure(pt_par *p, const char **path_out)
{
    pthread_mutex_lock(&p->error_lock);
    int status = p->error_status;
    if (status)
        pt_fail(status, "%s", p->error_msg ? p->error_msg : "out of memory");
    if (path_out)
        *path_out = p->error_input ? p->error_input : "";
    pthread_mutex_unlock(&p->error_lock);
    return status;
}

/* ------------------------------------------------------------- the jobs */

static size_t opt_len(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

static const char *put(char **at, const char *s, size_t len)
{
    if (!s)
        return NULL;
    char *copy = *at;
    memcpy(copy, s, len);
    copy[len] = '\0';
    *at += len + 1;
    return copy;
}

static job *job_new(const char *input, const pt_article *a)
{
    size_t size = sizeof(job) + opt_len(input) + opt_len(a->id) + opt_len(a->path) + a->text_len + 1 +
                  opt_len(a->title) + opt_len(a->source) + opt_len(a->date);
    job *j = malloc(size);
    if (!j)
        return NULL;
    char *at = (char *)(j + 1);
    j->next = NULL;
    j->bytes = a->text_len;
    j->a = *a;
    j->input = put(&at, input, input ? strlen(input) : 0);
    j->a.id = put(&at, a->id, strlen(a->id));
    j->a.path = put(&at, a->path, a->path ? strlen(a->path) : 0);
    j->a.text = put(&at, a->text ? a->text : "", a->text_len);
    j->a.title = put(&at, a->title, a->title ? strlen(a->title) : 0);
    j->a.source = put(&at, a->source, a->source ? strlen(a->source) : 0);
    j->a.date = put(&at, a->date, a->date ? strlen(a->date) : 0);
    return j;
}

static void push(worker *w, job *j)
{
    pthread_mutex_lock(&w->lock);
    while (w->queued && (w->queued >= QUEUE_ARTICLES || w->queued_bytes + j->bytes > QUEUE_BYTES))
        pthread_cond_wait(&w->not_full, &w->lock);
    if (w->tail)
        w->tail->next = j;
    else
        w->head = j;
    w->tail = j;
    w->queued++;
    w->queued_bytes += j->bytes;
    pthread_cond_signal(&w->not_empty);
    pthread_mutex_unlock(&w->lock);
}

/* The next job, or NULL once the queue is closed and empty. */
static job *pop(worker *w)
{
    pthread_mutex_lock(&w->lock);
    while (!w->head && !w->closed)
        pthread_cond_wait(&w->not_empty, &w->lock);
    job *j = w->head;
    if (j) {
        w->head = j->next;
        if (!w->head)
            w->tail = NULL;
        w->queued--;
        w->queued_bytes -= j->bytes;
        pthread_cond_signal(&w->not_full);
    }
    pthread_mutex_unlock(&w->lock);
    return j;
}

static void close_queue(worker *w)
{
    pthread_mutex_lock(&w->lock);
    w->closed = 1;
    pthread_cond_signal(&w->not_empty);
    pthread_mutex_unlock(&w->lock);
}

/* ------------------------------------------------------------ a worker */

static void add_one(worker *w, const job *j)
{
    pt_par *p = w->par;
    pt_add_result result;
    int rc = pt_index_add(w->ix, &j->a, &result);
    if (rc) {
        record_failure(p, rc, j->input);
        return;
    }
    if (result.kind == PT_ADD_UNCHANGED) {
        atomic_fetch_add(&p->unchanged, 1);
        return;
    }
    atomic_fetch_add(result.kind == PT_ADD_NEW ? &p->added : &p->updated, 1);
    atomic_fetch_add(&p->passages, result.passages);
    w->bytes_since_commit += j->a.text_len;
    if (++w->since_commit >= p->commit_every || w->bytes_since_commit >= p->commit_bytes) {
        w->since_commit = 0;
        w->bytes_since_commit = 0;
        if ((rc = pt_index_commit(w->ix)) != 0)
            record_failure(p, rc, j->input);
    }
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    pt_par *p = w->par;
    job *j;
    while ((j = pop(w)) != NULL) {
        if (!atomic_load(&p->failed))
            add_one(w, j);
        free(j);
    }
    int rc;
    if (!atomic_load(&p->failed) && (rc = pt_index_commit(w->ix)) != 0)
        record_failure(p, rc, NULL);
    return NULL;
}

/* ------------------------------------------------------------ the pool */

static void stop_workers(pt_par *p)
{
    for (unsigned i = 0; i < p->n; i++)
        close_queue(&p->workers[i]);
    for (unsigned i = 0; i < p->n; i++) {
        if (p->workers[i].started)
            pthread_join(p->workers[i].thread, NULL);
        p->workers[i].started = 0;
    }
}

int pt_par_start(pt_par **out, const char *dir, unsigned workers, unsigned long commit_every,
                 size_t commit_bytes)
{
    *out = NULL;
    pt_par *p = calloc(1, sizeof *p);
    if (!p)
        return pt_fail(PT_ENOMEM, "out of memory");
    pthread_mutex_init(&p->error_lock, NULL);
    p->commit_every = commit_every;
    p->commit_bytes = commit_bytes;
    p->workers = calloc(workers, sizeof *p->workers);
    p->parts = calloc(workers + 1, sizeof *p->parts);
    if (!p->workers || !p->parts) {
        pt_par_free(p);
        return pt_fail(PT_ENOMEM, "out of memory");
    }
    int rc = pt_index_open_part(&p->manifest, dir, 0);
    p->parts[0] = p->manifest;
    for (unsigned i = 0; !rc && i < workers; i++) {
        worker *w = &p->workers[i];
        w->par = p;
        pthread_mutex_init(&w->lock, NULL);
        pthread_cond_init(&w->not_empty, NULL);
        pthread_cond_init(&w->not_full, NULL);
        p->n = i + 1;
        rc = pt_index_open_part(&w->ix, dir, i + 1);
        p->parts[i + 1] = w->ix;
        if (!rc && pthread_create(&w->thread, NULL, worker_main, w) != 0)
            rc = pt_fail(PT_ERROR, "cannot start an indexing thread");
        w->started = !rc;
    }
    if (rc) {
        pt_par_free(p);
        return rc;
    }
    *out = p;
    return PT_OK;
}

void pt_par_share_recurring(pt_par *p, pt_index *from)
{
    for (unsigned i = 0; i < p->n; i++)
        pt_index_share_recurring(p->workers[i].ix, from);
}

pt_index *pt_par_manifest(pt_par *p)
{
    return p->manifest;
}

int pt_par_add(pt_par *p, const char *path, const pt_article *a, const char **path_out)
{
    if (atomic_load(&p->failed))
        return report_failure(p, path_out);
    if (!a || a->version != PT_ARTICLE_VERSION || !a->id || !*a->id || (!a->text && a->text_len)) {
        if (path_out)
            *path_out = path;
        return pt_fail(PT_EINVAL, "article has no id, no text or a bad version");
    }
    unsigned k;
    if (part_for(p, a, &k) != PT_OK) {
        if (path_out)
            *path_out = path;
        return PT_ENOMEM;
    }
    job *j = job_new(path, a);
    if (!j) {
        if (path_out)
            *path_out = path;
        return pt_fail(PT_ENOMEM, "out of memory");
    }
    push(&p->workers[k], j);
    return PT_OK;
}

void pt_par_counts_get(pt_par *p, pt_par_counts *out)
{
    out->added = atomic_load(&p->added);
    out->updated = atomic_load(&p->updated);
    out->unchanged = atomic_load(&p->unchanged);
    out->passages = atomic_load(&p->passages);
}

int pt_par_finish(pt_par *p, const char **path_out)
{
    stop_workers(p);
    return report_failure(p, path_out);
}

pt_index *const *pt_par_parts(pt_par *p, size_t *n_out)
{
    *n_out = p->n + 1;
    return p->parts;
}

void pt_par_free(pt_par *p)
{
    if (!p)
        return;
    if (p->workers) {
        stop_workers(p);
        for (unsigned i = 0; i < p->n; i++) {
            worker *w = &p->workers[i];
            for (job *j = w->head, *next; j; j = next) {
                next = j->next;
                free(j);
            }
            pthread_mutex_destroy(&w->lock);
            pthread_cond_destroy(&w->not_empty);
            pthread_cond_destroy(&w->not_full);
            pt_index_free(w->ix);
        }
    }
    pt_index_free(p->manifest);
    part_map_free(&p->by_content);
    part_map_free(&p->by_id);
    free(p->workers);
    free(p->parts);
    free(p->error_input);
    free(p->error_msg);
    pthread_mutex_destroy(&p->error_lock);
    free(p);
}
