/*
 * docsets.c: the documents a query matches, worked out at the level of
 * documents, for exact facets and document totals without a second match
 * over every passage.
 *
 * A plain query (words, phrases, numbers, article names, with filters on
 * type, issuer, year, number, date and access) matches a passage when one
 * of its leaves does and the passage passes the filters. Every filter is
 * the same for all the passages of a document, so a document has a
 * matching passage exactly when it is in the union of its leaves'
 * document sets and passes the filters. The query builder records that
 * shape in a ps_plan as it builds the Xapian query; a query that does not
 * have it (+word, -word, article: or cites: filters) is counted by Xapian
 * as before.
 *
 * A leaf's document set is a bitmap over the index's documents, made by
 * one walk of its postings that skips to the next document at its first
 * passage, and kept in a cache bounded in bytes (least recently used
 * first out). Common words come back in most questions, so a new question
 * mostly finds its leaves there. Everything is dropped when the index
 * changes.
 *
 * Docids: a document's passages are added in one go, so they are runs of
 * consecutive docids; the map keeps the runs (first, last, document) in
 * docid order. An index of shards interleaves docids; its facets are left
 * to Xapian (the caller's choice).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "index/schema.h"
#include "search/internal.h"

/* Bytes of leaf sets a searcher keeps. */
#define DS_CACHE_BYTES (8u << 20)

typedef struct ds_run {
    xc_docid first, last;
    uint32_t doc;
} ds_run;

typedef struct ds_entry {
    struct ds_entry *hnext;       /* hash chain */
    struct ds_entry *prev, *next; /* recency list, most recent first */
    uint64_t hash;
    size_t klen;
    uint64_t *bits;
    char key[];
} ds_entry;

struct ps_docsets {
    unsigned epoch;    /* the searcher's epoch the map was built at */
    uint64_t rev;      /* and the index revision */
    uint32_t n_docs;
    size_t words;      /* 64-bit words of a set */
    ds_run *runs;
    size_t n_runs;
    char **dockey;     /* per document: its collapse value (key US type US issuer US year) */
    size_t *dockey_len;
    char (*date)[8];   /* per document: YYYYMMDD, or zeros */
    uint64_t *any;     /* the documents that have a passage */
    ds_entry **table;
    size_t tsize, n_entries, bytes;
    ds_entry *head, *tail;
};

/* A document's bit in a set of documents. */
static int has_doc(const uint64_t *bits, uint32_t doc)
{
    return (bits[doc >> 6] >> (doc & 63)) & 1;
}

static void set_doc(uint64_t *bits, uint32_t doc)
{
    bits[doc >> 6] |= 1ull << (doc & 63);
}

/* ---- plans (filled by the query builder) ------------------------------ */

ps_plan *ps_plan_new(void)
{
    ps_plan *p = ps_calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->exact = 1;
    ps_buf_init(&p->pool, 1 << 20);
    return p;
}

void ps_plan_free(ps_plan *p)
{
    if (!p)
        return;
    ps_buf_fin(&p->pool);
    ps_free(p);
}

void ps_plan_inexact(ps_plan *p)
{
    if (p)
        p->exact = 0;
}

static void add_leaf(ps_plan *p, int mode, const char *key, size_t klen, xc_query *q)
{
    ps_plan_leaf *l;
    size_t *n;
    ps_plan_leaf *list;
    size_t cap;
    if (mode == PS_PLAN_POS) {
        list = p->leaves, n = &p->n_leaves, cap = PS_PLAN_LEAVES;
    } else if (mode == PS_PLAN_FILTER) {
        list = p->filters, n = &p->n_filters, cap = PS_PLAN_SIDE;
    } else if (mode == PS_PLAN_NOT) {
        list = p->nots, n = &p->n_nots, cap = PS_PLAN_SIDE;
    } else {
        return;
    }
    if (*n >= cap) {
        p->exact = 0;
        return;
    }
    l = &list[(*n)++];
    l->off = p->pool.len;
    l->klen = klen;
    l->q = q;
    l->group = p->group;
    l->part = p->part;
    l->pinned = p->pinned;
    l->scale = p->scale;
    ps_buf_add(&p->pool, key, klen);
    ps_buf_addc(&p->pool, 0);
    if (p->pool.err)
        p->exact = 0;
}

void ps_plan_term(ps_plan *p, const char *term, size_t len)
{
    if (p && p->mode != PS_PLAN_OFF)
        add_leaf(p, p->mode, term, len, NULL);
}

void ps_plan_query(ps_plan *p, xc_query *q)
{
    char *d;
    ps_buf k;
    if (!p || p->mode == PS_PLAN_OFF)
        return;
    d = q ? xc_query_describe(q) : NULL;
    if (!d) {
        p->exact = 0;
        return;
    }
    ps_buf_init(&k, 64 * 1024);
    ps_buf_addc(&k, '\x01'); /* no term starts so */
    ps_buf_adds(&k, d);
    xc_free(d);
    if (k.err)
        p->exact = 0;
    else
        add_leaf(p, p->mode, k.data, k.len, q);
    ps_buf_fin(&k);
}

const char *ps_plan_key(const ps_plan *p, const ps_plan_leaf *l)
{
    return p->pool.data + l->off;
}

/* BM25's term weight as Xapian 1.4 sets it (the log of the odds, raised
 * where it would be small), times the leaf's scale: what Xapian's elite
 * set ranks subqueries by, up to the wdf and length factor every term
 * shares. A term the index lacks weighs nothing. */
static double leaf_weight(const ps_plan_leaf *l, uint32_t df, uint32_t n)
{
    double tw;
    if (df == 0)
        return 0;
    tw = ((double)n - df + 0.5) / (df + 0.5);
    if (tw < 2)
        tw = tw * 0.5 + 1;
    return l->scale * log(tw);
}

void ps_plan_choose(ps_plan *p, ps_qb *b, size_t n_groups, size_t keep, double common,
                    size_t *gen, size_t *n_gen, size_t *boost, size_t *n_boost)
{
    double w[PS_PLAN_GROUPS];
    uint32_t maxdf[PS_PLAN_GROUPS];
    unsigned char pinned[PS_PLAN_GROUPS];
    unsigned char pick[PS_PLAN_GROUPS];
    size_t i, k;
    uint32_t n = 1, df;
    xc_error xe;
    int all_common = 1;
    if (n_groups > PS_PLAN_GROUPS)
        n_groups = PS_PLAN_GROUPS;
    xc_db_doccount(b->db, &n, &xe);
    for (i = 0; i < n_groups; i++) {
        w[i] = 0;
        maxdf[i] = 0;
        pinned[i] = 0;
        pick[i] = 0;
    }
    for (i = 0; i < p->n_leaves; i++) {
        ps_plan_leaf *l = &p->leaves[i];
        if (l->group >= n_groups)
            continue;
        /* (phrases are required clauses: never in a group) */
        if (l->q || ps_qb_termfreq(b, ps_plan_key(p, l), l->klen, &df) != XC_OK)
            df = 0;
        w[l->group] += leaf_weight(l, df, n);
        if (df > maxdf[l->group])
            maxdf[l->group] = df;
        pinned[l->group] |= l->pinned;
    }
    /* the keep heaviest, ties to the earlier group */
    for (k = 0; k < keep && k < n_groups; k++) {
        size_t best = n_groups;
        for (i = 0; i < n_groups; i++)
            if (!pick[i] && (best == n_groups || w[i] > w[best]))
                best = i;
        pick[best] = 1;
        /* (a group of terms the index lacks matches nothing either way) */
        if (maxdf[best] > 0 && !(common > 0 && !pinned[best] && maxdf[best] > common * n))
            all_common = 0;
    }
    *n_gen = *n_boost = 0;
    for (i = 0; i < n_groups; i++) {
        int is_common;
        p->chosen[i] = 0;
        if (!pick[i])
            continue;
        is_common = !all_common && common > 0 && !pinned[i] && maxdf[i] > common * n;
        if (is_common) {
            boost[(*n_boost)++] = i;
        } else {
            gen[(*n_gen)++] = i;
            p->chosen[i] = 1;
        }
    }
    p->n_groups = n_groups;
}

/* ---- the map of documents ---------------------------------------------- */

static void entries_free(ps_docsets *d)
{
    ds_entry *e = d->head, *nx;
    for (; e; e = nx) {
        nx = e->next;
        ps_free(e);
    }
    d->head = d->tail = NULL;
    if (d->table)
        memset(d->table, 0, d->tsize * sizeof *d->table);
    d->n_entries = 0;
    d->bytes = 0;
}

static void map_free(ps_docsets *d)
{
    uint32_t i;
    entries_free(d);
    for (i = 0; i < d->n_docs; i++)
        ps_free(d->dockey[i]);
    ps_free(d->dockey);
    ps_free(d->dockey_len);
    ps_free(d->date);
    ps_free(d->any);
    ps_free(d->runs);
    d->dockey = NULL;
    d->dockey_len = NULL;
    d->date = NULL;
    d->any = NULL;
    d->runs = NULL;
    d->n_runs = 0;
    d->n_docs = 0;
    d->words = 0;
}

void ps_docsets_free(ps_docsets *d)
{
    if (!d)
        return;
    map_free(d);
    ps_free(d->table);
    ps_free(d);
}

/* Document keys to ordinals while the map is built: open addressing. */
typedef struct keymap {
    uint32_t *slot; /* ordinal + 1, 0 empty */
    uint64_t *hash;
    size_t size;
} keymap;

static int grow_docs(ps_docsets *d, size_t *cap)
{
    size_t nc = *cap ? *cap * 2 : 1024;
    char **k = ps_realloc(d->dockey, nc * sizeof *k);
    size_t *kl;
    char(*dt)[8];
    if (!k)
        return PS_ENOMEM;
    d->dockey = k;
    kl = ps_realloc(d->dockey_len, nc * sizeof *kl);
    if (!kl)
        return PS_ENOMEM;
    d->dockey_len = kl;
    dt = ps_realloc(d->date, nc * sizeof *dt);
    if (!dt)
        return PS_ENOMEM;
    d->date = dt;
    *cap = nc;
    return PS_OK;
}

static int keymap_grow(keymap *m)
{
    size_t ns = m->size ? m->size * 2 : 2048, i;
    uint32_t *slot = ps_calloc(ns, sizeof *slot);
    uint64_t *hash = ps_calloc(ns, sizeof *hash);
    if (!slot || !hash) {
        ps_free(slot);
        ps_free(hash);
        return PS_ENOMEM;
    }
    for (i = 0; i < m->size; i++) {
        size_t j;
        if (!m->slot[i])
            continue;
        for (j = m->hash[i] & (ns - 1); slot[j]; j = (j + 1) & (ns - 1))
            ;
        slot[j] = m->slot[i];
        hash[j] = m->hash[i];
    }
    ps_free(m->slot);
    ps_free(m->hash);
    m->slot = slot;
    m->hash = hash;
    m->size = ns;
    return PS_OK;
}

/* The document of a collapse value, added when new; its ordinal or -1. */
static long doc_of(ps_docsets *d, keymap *m, size_t *cap, const char *v, size_t len)
{
    const char *us = memchr(v, '\x1f', len);
    size_t kl = us ? (size_t)(us - v) : len, j;
    uint64_t h = ps_hash64(v, kl);
    if ((d->n_docs + 1) * 2 > m->size && keymap_grow(m))
        return -1;
    for (j = h & (m->size - 1); m->slot[j]; j = (j + 1) & (m->size - 1)) {
        uint32_t o = m->slot[j] - 1;
        const char *k = d->dockey[o];
        const char *kus = memchr(k, '\x1f', d->dockey_len[o]);
        size_t okl = kus ? (size_t)(kus - k) : d->dockey_len[o];
        if (m->hash[j] == h && okl == kl && memcmp(k, v, kl) == 0)
            return o;
    }
    if (d->n_docs == *cap && grow_docs(d, cap))
        return -1;
    d->dockey[d->n_docs] = ps_malloc(len + 1);
    if (!d->dockey[d->n_docs])
        return -1;
    memcpy(d->dockey[d->n_docs], v, len);
    d->dockey[d->n_docs][len] = 0;
    d->dockey_len[d->n_docs] = len;
    memset(d->date[d->n_docs], 0, 8);
    m->slot[j] = d->n_docs + 1;
    m->hash[j] = h;
    return d->n_docs++;
}

static int build_map(ps_docsets *d, xc_db *db, ps_error *err)
{
    xc_error xe;
    xc_postiter *pl = NULL;
    xc_valueiter *vk = NULL, *vd = NULL;
    keymap m = {NULL, NULL, 0};
    size_t cap = 0, rcap = 0;
    xc_docid did, kd = 0, dd = 0;
    const char *kv = NULL, *dv = NULL;
    size_t kl = 0, dl = 0;
    int rk = 1, rd = 1, r, rc = PS_OK;

    pl = xc_db_postlist(db, KIND_PASSAGE, strlen(KIND_PASSAGE), &xe);
    vk = pl ? xc_db_values(db, SLOT_DOCKEY, &xe) : NULL;
    vd = vk ? xc_db_values(db, SLOT_DATE, &xe) : NULL;
    if (!vd) {
        rc = ps_from_xc(err, &xe, "mapping passages to documents");
        goto out;
    }
    while ((r = xc_postiter_next(pl, &did, NULL, &xe)) == 1) {
        long o;
        while (rk == 1 && kd < did)
            rk = xc_valueiter_next(vk, &kd, &kv, &kl, &xe);
        while (rd == 1 && dd < did)
            rd = xc_valueiter_next(vd, &dd, &dv, &dl, &xe);
        if (rk < 0 || rd < 0)
            break;
        if (rk != 1 || kd != did)
            continue; /* a passage without a document key: none is written so */
        o = doc_of(d, &m, &cap, kv, kl);
        if (o < 0) {
            rc = ps_error_set(err, PS_ENOMEM, "out of memory mapping passages to documents");
            goto out;
        }
        if (rd == 1 && dd == did && dl == 8)
            memcpy(d->date[o], dv, 8);
        if (d->n_runs && d->runs[d->n_runs - 1].doc == (uint32_t)o &&
            d->runs[d->n_runs - 1].last + 1 == did) {
            d->runs[d->n_runs - 1].last = did;
            continue;
        }
        if (d->n_runs == rcap) {
            size_t nc = rcap ? rcap * 2 : 1024;
            ds_run *nr = ps_realloc(d->runs, nc * sizeof *nr);
            if (!nr) {
                rc = ps_error_set(err, PS_ENOMEM, "out of memory mapping passages to documents");
                goto out;
            }
            d->runs = nr;
            rcap = nc;
        }
        d->runs[d->n_runs].first = d->runs[d->n_runs].last = did;
        d->runs[d->n_runs].doc = (uint32_t)o;
        d->n_runs++;
    }
    if (r < 0 || rk < 0 || rd < 0) {
        rc = ps_from_xc(err, &xe, "mapping passages to documents");
        goto out;
    }
    d->words = (d->n_docs + 63) / 64;
    d->any = ps_calloc(d->words ? d->words : 1, sizeof *d->any);
    if (!d->any) {
        rc = ps_error_set(err, PS_ENOMEM, "out of memory mapping passages to documents");
        goto out;
    }
    {
        size_t i;
        for (i = 0; i < d->n_runs; i++)
            set_doc(d->any, d->runs[i].doc);
    }
out:
    ps_free(m.slot);
    ps_free(m.hash);
    xc_postiter_free(pl);
    xc_valueiter_free(vk);
    xc_valueiter_free(vd);
    return rc;
}

/* The map for the searcher's index as it is now, built when missing or
 * out of date. */
static int map_ready(ps_searcher *s, ps_error *err)
{
    ps_docsets *d = s->docsets;
    uint64_t rev = 0;
    xc_error xe;
    int rc;
    if (xc_db_revision(s->db, &rev, &xe))
        return ps_from_xc(err, &xe, "reading the index revision");
    if (d && d->any && d->epoch == s->epoch && d->rev == rev)
        return PS_OK;
    if (!d) {
        d = ps_calloc(1, sizeof *d);
        if (!d)
            return ps_error_set(err, PS_ENOMEM, "out of memory");
        s->docsets = d;
    }
    map_free(d);
    d->epoch = s->epoch;
    d->rev = rev;
    rc = build_map(d, s->db, err);
    if (rc)
        map_free(d); /* d->any stays NULL: built again next time */
    return rc;
}

/* ---- the cache of leaf sets --------------------------------------------- */

static void lru_unlink(ps_docsets *d, ds_entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        d->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        d->tail = e->prev;
    e->prev = e->next = NULL;
}

static void lru_front(ps_docsets *d, ds_entry *e)
{
    e->prev = NULL;
    e->next = d->head;
    if (d->head)
        d->head->prev = e;
    d->head = e;
    if (!d->tail)
        d->tail = e;
}

static size_t entry_bytes(const ps_docsets *d, size_t klen)
{
    return sizeof(ds_entry) + klen + 8 + d->words * 8;
}

/* Unlinks e from the cache and frees it. */
static void cache_drop(ps_docsets *d, ds_entry *e)
{
    ds_entry **pp;
    lru_unlink(d, e);
    for (pp = &d->table[e->hash % d->tsize]; *pp; pp = &(*pp)->hnext)
        if (*pp == e) {
            *pp = e->hnext;
            break;
        }
    d->bytes -= entry_bytes(d, e->klen);
    d->n_entries--;
    ps_free(e);
}

static ds_entry *cache_find(ps_docsets *d, const char *key, size_t klen, uint64_t h)
{
    ds_entry *e;
    if (!d->table)
        return NULL;
    for (e = d->table[h % d->tsize]; e; e = e->hnext)
        if (e->hash == h && e->klen == klen && memcmp(e->key, key, klen) == 0)
            return e;
    return NULL;
}

/* A new entry for key, in the cache (NULL when out of memory). */
static ds_entry *cache_add(ps_docsets *d, const char *key, size_t klen, uint64_t h)
{
    size_t need = entry_bytes(d, klen);
    ds_entry *e;
    if (!d->table) {
        d->tsize = 4093;
        d->table = ps_calloc(d->tsize, sizeof *d->table);
        if (!d->table)
            return NULL;
    }
    while (d->tail && d->bytes + need > DS_CACHE_BYTES)
        cache_drop(d, d->tail); /* least recently used first */
    e = ps_calloc(1, sizeof *e + klen + 8 + d->words * 8);
    if (!e)
        return NULL;
    memcpy(e->key, key, klen);
    e->klen = klen;
    e->hash = h;
    /* the bits after the key, 8-byte aligned */
    e->bits = (uint64_t *)(void *)(e->key + ((klen + 8) & ~(size_t)7));
    e->hnext = d->table[h % d->tsize];
    d->table[h % d->tsize] = e;
    lru_front(d, e);
    d->bytes += need;
    d->n_entries++;
    return e;
}

/* The run holding did, or NULL. */
static const ds_run *run_of(const ps_docsets *d, xc_docid did)
{
    size_t lo = 0, hi = d->n_runs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->runs[mid].last < did)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < d->n_runs && d->runs[lo].first <= did)
        return &d->runs[lo];
    return NULL;
}

static int walk_term(ps_docsets *d, xc_db *db, const char *t, size_t len, uint64_t *bits,
                     ps_error *err)
{
    xc_error xe;
    xc_postiter *pl = xc_db_postlist(db, t, len, &xe);
    xc_docid did;
    int r;
    if (!pl)
        return ps_from_xc(err, &xe, "reading a term's documents");
    while ((r = xc_postiter_next(pl, &did, NULL, &xe)) == 1) {
        const ds_run *run = run_of(d, did);
        if (!run)
            continue; /* a document record */
        set_doc(bits, run->doc);
        /* the rest of this run adds nothing */
        if (xc_postiter_skip_to(pl, run->last + 1, &xe)) {
            r = -1;
            break;
        }
    }
    xc_postiter_free(pl);
    return r < 0 ? ps_from_xc(err, &xe, "reading a term's documents") : PS_OK;
}

/* A query's documents (a phrase's): Xapian's match over its passages in
 * docid order, told to leave a document at its first matching passage. */
typedef struct walk_ctx {
    const ps_docsets *d;
    uint64_t *bits;
    const ds_run *run; /* the run of the last docid asked about */
} walk_ctx;

/* did's run: the last one asked about, most often */
static const ds_run *walk_run(const walk_ctx *w, xc_docid did)
{
    return w->run && w->run->first <= did && did <= w->run->last ? w->run : run_of(w->d, did);
}

static xc_docid walk_skip(void *ctx, xc_docid did)
{
    walk_ctx *w = ctx;
    const ds_run *end = w->d->runs + w->d->n_runs;
    const ds_run *r = walk_run(w, did);
    /* past the runs of matched documents */
    while (r && has_doc(w->bits, r->doc)) {
        did = r->last + 1;
        if (did == 0)
            return 0;
        r = r + 1 < end && r[1].first == did ? r + 1 : run_of(w->d, did);
    }
    w->run = r;
    return did;
}

static void walk_match(void *ctx, xc_docid did)
{
    walk_ctx *w = ctx;
    const ds_run *r = walk_run(w, did);
    if (r)
        set_doc(w->bits, r->doc);
}

static int walk_query(ps_docsets *d, xc_db *db, xc_query *q, uint64_t *bits, ps_error *err)
{
    xc_error xe;
    walk_ctx w = {d, bits, NULL};
    if (xc_db_walk(db, q, walk_skip, walk_match, &w, &xe))
        return ps_from_xc(err, &xe, "matching a phrase");
    return PS_OK;
}

/* Applies leaf l's document set to acc: op 0 OR, 1 AND, 2 AND NOT. */
static int apply_leaf(ps_searcher *s, const ps_plan *p, const ps_plan_leaf *l, uint64_t *acc,
                      int op, ps_error *err)
{
    ps_docsets *d = s->docsets;
    const char *key = ps_plan_key(p, l);
    uint64_t h = ps_hash64(key, l->klen);
    ds_entry *e = cache_find(d, key, l->klen, h);
    const uint64_t *bits;
    size_t i;
    int rc;
    if (e) {
        lru_unlink(d, e);
        lru_front(d, e);
    } else {
        e = cache_add(d, key, l->klen, h);
        if (!e)
            return ps_error_set(err, PS_ENOMEM, "out of memory");
        rc = l->q ? walk_query(d, s->db, l->q, e->bits, err)
                  : walk_term(d, s->db, key, l->klen, e->bits, err);
        if (rc) {
            cache_drop(d, e);
            return rc;
        }
    }
    bits = e->bits;
    for (i = 0; i < d->words; i++) {
        if (op == 0)
            acc[i] |= bits[i];
        else if (op == 1)
            acc[i] &= bits[i];
        else
            acc[i] &= ~bits[i];
    }
    return PS_OK;
}

int ps_docsets_match(ps_searcher *s, const ps_plan *p, ps_docmatch *out, ps_arena *a,
                     ps_error *err)
{
    ps_docsets *d;
    uint64_t *acc, *grp, *part;
    size_t i, g, w;
    int rc;
    memset(out, 0, sizeof *out);
    if ((rc = map_ready(s, err)))
        return rc;
    d = s->docsets;
    w = d->words ? d->words : 1;
    acc = ps_arena_calloc(a, w * 3 * sizeof *acc);
    if (!acc)
        return ps_error_set(err, PS_ENOMEM, "out of memory");
    grp = acc + w;
    part = grp + w;
    if (p->none) {
        /* nothing matches */
    } else if (p->all) {
        memcpy(acc, d->any, d->words * 8);
    } else {
        for (g = 0; g < p->n_groups; g++) {
            int has1 = 0;
            if (!p->chosen[g])
                continue;
            memset(grp, 0, w * 8);
            memset(part, 0, w * 8);
            for (i = 0; i < p->n_leaves; i++) {
                const ps_plan_leaf *l = &p->leaves[i];
                if (l->group != g)
                    continue;
                if (l->part)
                    has1 = 1;
                if ((rc = apply_leaf(s, p, l, l->part ? part : grp, 0, err)))
                    return rc;
            }
            for (i = 0; i < d->words; i++)
                acc[i] |= has1 ? grp[i] & part[i] : grp[i];
        }
    }
    for (i = 0; i < p->n_filters; i++)
        if ((rc = apply_leaf(s, p, &p->filters[i], acc, 1, err)))
            return rc;
    for (i = 0; i < p->n_nots; i++)
        if ((rc = apply_leaf(s, p, &p->nots[i], acc, 2, err)))
            return rc;
    if (p->lo[0] || p->hi[0]) {
        uint32_t k;
        for (k = 0; k < d->n_docs; k++) {
            const char *dt = d->date[k];
            if (!has_doc(acc, k))
                continue;
            if (!dt[0] || (p->lo[0] && memcmp(dt, p->lo, 8) < 0) ||
                (p->hi[0] && memcmp(dt, p->hi, 8) > 0))
                acc[k >> 6] &= ~(1ull << (k & 63));
        }
    }
    out->n = 0;
    for (i = 0; i < d->words; i++)
        out->n += (uint32_t)__builtin_popcountll(acc[i]);
    out->keys = ps_arena_alloc(a, (out->n ? out->n : 1) * sizeof *out->keys);
    out->lens = ps_arena_alloc(a, (out->n ? out->n : 1) * sizeof *out->lens);
    if (!out->keys || !out->lens)
        return ps_error_set(err, PS_ENOMEM, "out of memory");
    {
        uint32_t k, j = 0;
        for (k = 0; k < d->n_docs; k++)
            if (has_doc(acc, k)) {
                out->keys[j] = d->dockey[k];
                out->lens[j] = d->dockey_len[k];
                j++;
            }
    }
    return PS_OK;
}
