/*
 * internal.h: internal to lib/search. The searcher's state and helpers
 * its files share.
 */
#ifndef PS_SEARCH_INTERNAL_H
#define PS_SEARCH_INTERNAL_H

#include <sys/types.h>
#include "polsearch/search.h"
#include "xapian-c/xc.h"

/* One shard of an index, as its stub file names it. */
typedef struct ps_shard {
    char *spec;      /* what the warnings call it: a path or HOST:PORT */
    int remote;
    char *path;      /* local: the folder */
    char *host;      /* remote: xapian-tcpsrv's host and port */
    unsigned port;
    int down;        /* left out of the database */
    char *why;       /* the last error, when down */
    double checked;  /* when it was last opened or probed */
} ps_shard;

struct ps_searcher {
    char *path;
    dev_t dev;         /* what path named when it was opened: a folder */
    ino_t ino;         /* renamed over it is another index */
    xc_db *db;
    ps_analyzer *an;
    ps_shard *shards;  /* set when the index is a stub of shards */
    size_t n_shards;
    unsigned epoch;    /* counts the times db was replaced or reopened anew */
    struct ps_docsets *docsets; /* documents matched, by leaf (docsets.c) */
};

/* ---- shards (shards.c) ---- */

/* Reads the stub file's shard lines into s->shards. */
int ps_shards_load(ps_searcher *s, const char *stub, ps_error *err);
/* (Re)builds s->db from the shards that open; PS_ENETWORK when none. */
int ps_shards_open(ps_searcher *s, ps_error *err);
/* Probes the shards (all when force, else the down ones not probed for a
 * while) and rebuilds s->db when one went down or came back. */
int ps_shards_recheck(ps_searcher *s, int force, ps_error *err);
/* Adds a warning to r for every shard that is down. */
void ps_shards_warn(ps_searcher *s, ps_results *r);
void ps_shards_free(ps_searcher *s);

struct ps_qb;

/* ---- the documents a query matches (docsets.c) ---- */

/* What the query builder records next to the Xapian query it builds: the
 * query's match set as a union of groups of leaves (terms, phrases), each
 * group the union of its part-0 leaves, intersected with the union of its
 * part-1 leaves when it has any; then document-level filters (AND), terms
 * to exclude (AND NOT) and a date range. exact is cleared by anything
 * that does not fit that shape; the facets are then left to Xapian. */
#define PS_PLAN_LEAVES 1024
#define PS_PLAN_SIDE 64
#define PS_PLAN_GROUPS (PS_QUERY_MAX_WORDS * 2 + 64)

enum { PS_PLAN_OFF, PS_PLAN_POS, PS_PLAN_FILTER, PS_PLAN_NOT };

typedef struct ps_plan_leaf {
    size_t off, klen;   /* the key in the plan's pool: a term, or 0x01 + a query's description */
    xc_query *q;        /* NULL: a term; else the query (the builder owns it) */
    double scale;       /* the leaf's weight factor in the ranked query */
    unsigned group;
    unsigned char part;
    unsigned char pinned;  /* its group always matches (numbers, articles) */
} ps_plan_leaf;

typedef struct ps_plan {
    int exact;          /* the shape above holds */
    int none;           /* a filter matches nothing */
    int all;            /* no ranked part: every passage */
    int boosted;        /* some groups only add weight */
    int mode;           /* where recorded leaves go (PS_PLAN_*) */
    unsigned group;     /* the group and part, and the scale, they get */
    unsigned char part, pinned;
    double scale;
    size_t n_groups;
    unsigned char chosen[PS_PLAN_GROUPS];
    ps_plan_leaf leaves[PS_PLAN_LEAVES];
    ps_plan_leaf filters[PS_PLAN_SIDE];
    ps_plan_leaf nots[PS_PLAN_SIDE];
    size_t n_leaves, n_filters, n_nots;
    char lo[9], hi[9];  /* date bounds, YYYYMMDD, "" when open */
    ps_buf pool;
} ps_plan;

/* A new plan (exact until told otherwise); NULL when out of memory. */
ps_plan *ps_plan_new(void);
void ps_plan_free(ps_plan *p);
void ps_plan_inexact(ps_plan *p);
/* Records a term, or a query by its description, where p->mode says
 * (NULL p: nothing). */
void ps_plan_term(ps_plan *p, const char *term, size_t len);
void ps_plan_query(ps_plan *p, xc_query *q);
const char *ps_plan_key(const ps_plan *p, const ps_plan_leaf *l);
/* Picks the keep groups of the n_groups that weigh most by their terms'
 * BM25 term weights (what Xapian's elite set ranks by). Of those, a group
 * of words with a term in more than common * N records (common > 0) is a
 * booster: it adds weight to what the others match and matches nothing
 * alone, unless every pick the index has terms of is so common. Writes
 * the matching groups to gen and the boosters to boost, ascending, and
 * marks the matching ones chosen. */
void ps_plan_choose(ps_plan *p, struct ps_qb *b, size_t n_groups, size_t keep, double common,
                    size_t *gen, size_t *n_gen, size_t *boost, size_t *n_boost);

/* The documents a plan matches: their collapse values (key US type US
 * issuer US year), borrowed from the searcher until its next search. */
typedef struct ps_docmatch {
    uint32_t n;
    const char **keys;
    size_t *lens;
} ps_docmatch;

/* Fills out (arrays in arena a) for an exact plan p on a searcher of one
 * index (not shards). */
int ps_docsets_match(ps_searcher *s, const ps_plan *p, ps_docmatch *out, ps_arena *a,
                     ps_error *err);
typedef struct ps_docsets ps_docsets;
void ps_docsets_free(ps_docsets *d);

/* A binding error as a polsearch error with what was being done. */
int ps_from_xc(ps_error *err, const xc_error *xe, const char *what);

/* Adds a warning to results (copied into their arena). */
void ps_search_warn(ps_results *r, const char *msg);

/* Appends a copy of msg to the array *list of *n strings, in arena a;
 * out of memory drops the warning, never the result. */
void ps_push_warning(ps_arena *a, const char ***list, size_t *n, const char *msg);

/* The citation of hit h's document, located at path (NULL or a passage
 * path), as a string in arena a; NULL when out of memory. */
const char *ps_hit_citation(ps_arena *a, const ps_hit *h, const char *path);

/* Writes the fields a hit shows in JSON (id, score, title, number, type,
 * issuer, date, snippet, citation, passage) into an open object. */
struct ps_jw;
void ps_hit_json_fields(struct ps_jw *j, const ps_hit *h, double score, const char *snippet);

/* Writes the "relations" and "cited_by" members of a document's JSON
 * (relations.c). */
struct ps_jw;
void ps_relations_json(ps_searcher *s, const ps_docview *d, struct ps_jw *j);

/* Adds a warning to citation results. */
void ps_cite_warn(ps_cite_results *r, const char *msg);

/* ---- query building (qbuild.c) ---- */

/* A builder owning every query it makes; once a call fails, later calls
 * return NULL and failed stays set (xe holds the first error). */
struct ps_qb_tf;
typedef struct ps_qb {
    xc_db *db;          /* for term statistics while building (may be NULL) */
    xc_query **owned;
    size_t n, cap;
    xc_error xe;
    int failed;
    ps_plan *plan;      /* records the query's shape when set (search.c) */
    int widen;          /* every word matches: none only adds weight */
    struct ps_qb_tf *tf;   /* term frequencies looked up so far */
    size_t n_tf;
    ps_buf tf_keys;
} ps_qb;

/* A term's document frequency in b->db, each term looked up once per
 * builder; XC_OK or the binding's error code. */
int ps_qb_termfreq(ps_qb *b, const char *term, size_t len, uint32_t *df);

/* Takes q into the builder (NULL marks the builder failed). */
xc_query *ps_qb_own(ps_qb *b, xc_query *q);
void ps_qb_free(ps_qb *b);
/* Term prefix + t, and prefix + a + " " + c. */
xc_query *ps_qb_term(ps_qb *b, const char *prefix, const char *t);
xc_query *ps_qb_term2(ps_qb *b, const char *prefix, const char *a, const char *c);
/* op over subs (one sub alone is returned as is, except for phrases). */
xc_query *ps_qb_op(ps_qb *b, xc_op op, xc_query **subs, size_t n, unsigned param);
/* op over l and r; a NULL side gives the other. */
xc_query *ps_qb_op2(ps_qb *b, xc_op op, xc_query *l, xc_query *r);
xc_query *ps_qb_scale(ps_qb *b, xc_query *q, double f);
/* main restricted to passages the reader may see and the options' type,
 * issuer, cites and date filters. */
xc_query *ps_qb_restrict(ps_qb *b, xc_query *main, const ps_search_opts *o);

/* A word of q: its exact form and its fold at a lower weight (only the
 * fold when q has no diacritics). */
xc_query *ps_qb_word(ps_qb *b, const ps_query *q, const ps_qword *w);
/* A word's fold: "F"+fold or the bare fold (synonym; OR inside phrases). */
xc_query *ps_qb_fold(ps_qb *b, const ps_qword *w, int for_phrase);
/* The words w[0..n) as a phrase (folds in order, exact words too when q
 * has diacritics). */
xc_query *ps_qb_phrase(ps_qb *b, const ps_query *q, const ps_qword *w, size_t n);

/* "2024", "2024-05", "2024-05-17" -> "YYYYMMDD", the low or high end;
 * 0 or -1. */
int ps_date_bound(const char *s, int high, char out[16]);
/* The type filter slug for a value as typed ("NQ", "nghi quyet"). */
const char *ps_type_slug(const char *v, ps_buf *out);

/* Fills hit from a passage record's data (header line + text), strings
 * in arena. PS_EFORMAT when the header does not parse. */
int ps_read_passage(ps_arena *a, ps_hit *h, const char *data, size_t len);

#endif
