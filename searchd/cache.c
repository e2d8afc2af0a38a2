/*
 * cache.c: answers of /api/search kept by request, so that the question
 * a hundred officials ask in the same morning is searched once.
 *
 * The key holds everything the answer depends on: the index generation
 * (which folder, which revision: an answer never outlives the commit it
 * came from), the reader's access level (a restricted document found for
 * one reader is never served to another), and every search parameter. An
 * index made of shards has no single revision and is not cached.
 *
 * One table for the process, under one mutex: a lookup is a hash, a
 * short chain and a copy of a few kilobytes, far less than the search it
 * saves. Least recently used entries go first when the bytes held pass
 * the cap. The "took_ms" of a cached answer is the time of the lookup;
 * the X-Cache response header says whether it was a hit.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "searchd/searchd.h"

typedef struct entry {
    struct entry *hnext;       /* hash chain */
    struct entry *prev, *next; /* use order, most recent after the head */
    uint64_t hash;
    size_t klen, blen;
    size_t took_at, took_len;  /* the value of "took_ms" in the body */
    char *key;                 /* klen bytes, then the body (blen) */
} entry;

#define NBUCKETS 16384u

static struct {
    pthread_mutex_t mu;
    entry *buckets[NBUCKETS];
    entry head; /* sentinel of the use list */
    size_t bytes, max_bytes, n;
    unsigned long long hits, misses, evictions;
    int on;
} C = {.mu = PTHREAD_MUTEX_INITIALIZER};

static size_t cost(const entry *e)
{
    return sizeof *e + e->klen + e->blen;
}

static void unlink_use(entry *e)
{
    e->prev->next = e->next;
    e->next->prev = e->prev;
}

static void push_front(entry *e)
{
    e->next = C.head.next;
    e->prev = &C.head;
    C.head.next->prev = e;
    C.head.next = e;
}

static entry **slot_of(uint64_t h, const char *key, size_t klen)
{
    entry **p = &C.buckets[h % NBUCKETS];
    while (*p && !((*p)->hash == h && (*p)->klen == klen && memcmp((*p)->key, key, klen) == 0))
        p = &(*p)->hnext;
    return p;
}

static void drop(entry *e)
{
    entry **p = slot_of(e->hash, e->key, e->klen);
    *p = e->hnext;
    unlink_use(e);
    C.bytes -= cost(e);
    C.n--;
    ps_free(e->key);
    ps_free(e);
}

void sd_cache_init(size_t max_bytes)
{
    pthread_mutex_lock(&C.mu);
    C.head.next = C.head.prev = &C.head;
    C.max_bytes = max_bytes;
    C.on = max_bytes > 0;
    pthread_mutex_unlock(&C.mu);
}

void sd_cache_free(void)
{
    pthread_mutex_lock(&C.mu);
    while (C.on && C.head.next != &C.head)
        drop(C.head.next);
    C.on = 0;
    pthread_mutex_unlock(&C.mu);
}

int sd_cache_enabled(void)
{
    return C.on;
}

char *sd_cache_get(const char *key, size_t klen, size_t *len, double took_ms)
{
    uint64_t h = ps_hash64(key, klen);
    entry *e;
    char *out = NULL, num[32];
    int nn;
    if (!C.on)
        return NULL;
    nn = snprintf(num, sizeof num, "%.3f", took_ms);
    if (nn <= 0 || (size_t)nn >= sizeof num)
        return NULL;
    pthread_mutex_lock(&C.mu);
    e = *slot_of(h, key, klen);
    if (e) {
        const char *b = e->key + e->klen;
        size_t n = e->blen - e->took_len + (size_t)nn + 1;
        out = ps_malloc(n);
        if (out) {
            memcpy(out, b, e->took_at);
            memcpy(out + e->took_at, num, (size_t)nn);
            memcpy(out + e->took_at + nn, b + e->took_at + e->took_len,
                   e->blen - e->took_at - e->took_len);
            out[n - 1] = '\n'; /* as sd_respond_json ends every answer */
            *len = n;
            unlink_use(e);
            push_front(e);
            C.hits++;
        }
    } else {
        C.misses++;
    }
    pthread_mutex_unlock(&C.mu);
    return out;
}

void sd_cache_put(const char *key, size_t klen, const char *body, size_t blen)
{
    static const char tk[] = "\"took_ms\":";
    uint64_t h = ps_hash64(key, klen);
    const char *at = NULL;
    entry *e, **p;
    size_t i;
    if (!C.on)
        return;
    /* the first "took_ms": is the answer's own: inside a JSON string a
     * quote is escaped, so the pattern cannot start there */
    for (i = 0; i + sizeof tk - 1 <= blen; i++)
        if (body[i] == '"' && memcmp(body + i, tk, sizeof tk - 1) == 0) {
            at = body + i + sizeof tk - 1;
            break;
        }
    if (!at || sizeof(entry) + klen + blen > C.max_bytes / 8)
        return; /* not an answer to keep, or one that would crowd out many */
    e = ps_calloc(1, sizeof *e);
    if (!e)
        return;
    e->key = ps_malloc(klen + blen);
    if (!e->key) {
        ps_free(e);
        return;
    }
    memcpy(e->key, key, klen);
    memcpy(e->key + klen, body, blen);
    e->klen = klen;
    e->blen = blen;
    e->hash = h;
    e->took_at = (size_t)(at - body);
    while (e->took_at + e->took_len < blen && strchr("0123456789.-+eE", at[e->took_len]))
        e->took_len++;
    pthread_mutex_lock(&C.mu);
    p = slot_of(h, key, klen);
    if (*p) {
        /* another thread answered the same question meanwhile */
        pthread_mutex_unlock(&C.mu);
        ps_free(e->key);
        ps_free(e);
        return;
    }
    e->hnext = NULL;
    *p = e;
    push_front(e);
    C.bytes += cost(e);
    C.n++;
    while (C.bytes > C.max_bytes && C.head.prev != &C.head && C.head.prev != e) {
        drop(C.head.prev);
        C.evictions++;
    }
    pthread_mutex_unlock(&C.mu);
}

void sd_cache_stats(sd_cache_stat *st)
{
    pthread_mutex_lock(&C.mu);
    st->hits = C.hits;
    st->misses = C.misses;
    st->evictions = C.evictions;
    st->bytes = C.bytes;
    st->entries = C.n;
    st->max_bytes = C.max_bytes;
    pthread_mutex_unlock(&C.mu);
}
