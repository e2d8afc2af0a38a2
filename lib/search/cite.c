/*
 * cite.c: where a quote comes from.
 *
 * A quote arrives exact, half-remembered, without diacritics, in the other
 * tone placement, decomposed, with a word changed or dropped, or as a
 * whole paragraph whose line breaks and numbering the paste mangled. So:
 *
 *   1. candidates: passages sharing the quote's rarest folded bigrams and
 *      words (diacritics and tone placement do not matter to folds); not
 *      collapsed, so each piece of a long article competes;
 *   2. alignment: each candidate (or, when very long, the region densest in
 *      the quote's bigrams) is aligned with the quote word by word (local alignment,
 *      folds equal = match, a little more when the diacritics agree too),
 *      which tolerates changed, dropped and added words;
 *   3. ranking by alignment score, the earliest document first among equal
 *      scores (the source of a formulation precedes its repetitions);
 *   4. location: the deepest unit of the document's structure holding the
 *      match (điểm, khoản, Điều, or a section and its paragraph number),
 *      and the citation in the standard form.
 * ps_similar runs the same alignment for each sentence of a passage over
 * the other documents: the later texts that repeat it.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "index/schema.h"
#include "polsearch/doc.h"
#include "polsearch/index.h"
#include "search/internal.h"

#define CITE_MAX_QUOTE_BYTES 16384
#define CITE_MAX_TOKENS 1200      /* of the quote */
#define CITE_MAX_PTOKENS 40000    /* of a passage */
#define CITE_CANDIDATES 24
#define CITE_ELITE 40             /* bigrams kept to find candidates */
/* Passages up to this many (quote x passage) tokens are aligned whole;
 * longer ones only around their densest cluster of the quote's bigrams. */
#define ALIGN_WHOLE_CELLS 2000000
/* alignment scores, in tenths */
#define S_MATCH 20
#define S_EXACT 1                 /* diacritics agree too */
#define S_MISMATCH -10
#define S_GAP -10

typedef struct tok {
    uint64_t fold;   /* hash of the fold */
    uint64_t term;   /* hash of the canonical term */
    size_t start, end;
} tok;

static uint64_t mix(uint64_t a, uint64_t b)
{
    return a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL + (a << 6) + (a >> 2));
}

/* Tokens of text, at most max; *out caller-freed. */
static size_t tokenize(ps_analyzer *an, const char *text, size_t len, size_t max, tok **out)
{
    ps_error e;
    ps_token t;
    size_t n = 0, cap = 256;
    tok *v = ps_malloc(cap * sizeof *v);
    *out = NULL;
    if (!v || ps_analyzer_start(an, text, len, 0, &e)) {
        ps_free(v);
        return 0;
    }
    while (n < max && ps_analyzer_next(an, &t)) {
        if (n == cap) {
            tok *nv = ps_realloc(v, cap * 2 * sizeof *v);
            if (!nv)
                break;
            v = nv;
            cap *= 2;
        }
        v[n].fold = ps_hash64(t.fold, t.fold_len);
        v[n].term = ps_hash64(t.term, t.term_len);
        v[n].start = t.start;
        v[n].end = t.end;
        n++;
    }
    *out = v;
    return n;
}

/* ---- a small hash set of bigram hashes ---------------------------- */

typedef struct hset {
    uint64_t *v;
    size_t cap;
} hset;

static int hset_init(hset *h, size_t n)
{
    h->cap = 16;
    while (h->cap < n * 2 + 2)
        h->cap *= 2;
    h->v = ps_calloc(h->cap, sizeof *h->v);
    return h->v ? 0 : -1;
}

static void hset_add(hset *h, uint64_t k)
{
    size_t i = (size_t)k & (h->cap - 1);
    k |= 1; /* 0 marks an empty slot */
    while (h->v[i] && h->v[i] != k)
        i = (i + 1) & (h->cap - 1);
    h->v[i] = k;
}

static int hset_has(const hset *h, uint64_t k)
{
    size_t i = (size_t)k & (h->cap - 1);
    k |= 1;
    while (h->v[i]) {
        if (h->v[i] == k)
            return 1;
        i = (i + 1) & (h->cap - 1);
    }
    return 0;
}

/* ---- alignment ------------------------------------------------------- */

enum { OP_EQUAL = 0, OP_INSERT = 1, OP_DELETE = 2 };

typedef struct step {
    int op;        /* OP_* ; a mismatch is a DELETE then an INSERT */
    size_t qi, pi; /* quote and passage token of the step */
} step;

typedef struct alignment {
    int score;
    size_t q_from, q_to;   /* aligned quote tokens [from, to) */
    size_t p_from, p_to;   /* aligned passage tokens [from, to) */
    size_t matches;        /* tokens with equal folds */
    step *steps;           /* caller-freed */
    size_t n_steps;
} alignment;

/* Local alignment of quote q[0..qn) with passage p[lo..hi). */
static int align(const tok *q, size_t qn, const tok *p, size_t lo, size_t hi, alignment *a)
{
    size_t rn = hi - lo, i, j, bi = 0, bj = 0;
    int *H, best = 0;
    unsigned char *dir; /* 0 stop, 1 diag, 2 up (quote gap), 3 left (passage gap) */
    memset(a, 0, sizeof *a);
    if (qn == 0 || rn == 0)
        return 0;
    if ((qn + 1) > ((size_t)1 << 40) / (rn + 1))
        return -1;
    H = ps_calloc((qn + 1) * (rn + 1), sizeof *H);
    dir = ps_calloc((qn + 1) * (rn + 1), 1);
    if (!H || !dir) {
        ps_free(H);
        ps_free(dir);
        return -1;
    }
#define AT(x, y) ((x) * (rn + 1) + (y))
    for (i = 1; i <= qn; i++) {
        for (j = 1; j <= rn; j++) {
            const tok *qt = &q[i - 1], *pt = &p[lo + j - 1];
            int s = qt->fold == pt->fold ? S_MATCH + (qt->term == pt->term ? S_EXACT : 0)
                                         : S_MISMATCH;
            int d = H[AT(i - 1, j - 1)] + s;
            int u = H[AT(i - 1, j)] + S_GAP;
            int l = H[AT(i, j - 1)] + S_GAP;
            int v = 0;
            unsigned char w = 0;
            if (d > v) { v = d; w = 1; }
            if (u > v) { v = u; w = 2; }
            if (l > v) { v = l; w = 3; }
            H[AT(i, j)] = v;
            dir[AT(i, j)] = w;
            if (v > best) {
                best = v;
                bi = i;
                bj = j;
            }
        }
    }
    a->score = best;
    if (best > 0) {
        size_t cap = bi + bj + 2, n = 0, k;
        step *st = ps_malloc(cap * sizeof *st);
        if (!st) {
            ps_free(H);
            ps_free(dir);
            return -1;
        }
        i = bi;
        j = bj;
        while (i > 0 && j > 0 && dir[AT(i, j)] && n + 2 <= cap) {
            unsigned char w = dir[AT(i, j)];
            if (w == 1) {
                if (q[i - 1].fold == p[lo + j - 1].fold) {
                    st[n].op = OP_EQUAL;
                    st[n].qi = i - 1;
                    st[n].pi = lo + j - 1;
                    n++;
                    a->matches++;
                } else {
                    /* reversed below: the delete must come first */
                    st[n].op = OP_INSERT;
                    st[n].qi = i - 1;
                    st[n].pi = lo + j - 1;
                    n++;
                    st[n].op = OP_DELETE;
                    st[n].qi = i - 1;
                    st[n].pi = lo + j - 1;
                    n++;
                }
                i--;
                j--;
            } else if (w == 2) {
                st[n].op = OP_DELETE;
                st[n].qi = i - 1;
                st[n].pi = lo + j;
                n++;
                i--;
            } else {
                st[n].op = OP_INSERT;
                st[n].qi = i;
                st[n].pi = lo + j - 1;
                n++;
                j--;
            }
        }
        /* the path was walked backwards */
        for (k = 0; k < n / 2; k++) {
            step t = st[k];
            st[k] = st[n - 1 - k];
            st[n - 1 - k] = t;
        }
        a->steps = st;
        a->n_steps = n;
        a->q_from = i;
        a->q_to = bi;
        a->p_from = lo + j;
        a->p_to = lo + bj;
    }
#undef AT
    ps_free(H);
    ps_free(dir);
    return 0;
}

/* The passage region most dense in the quote's bigrams: [*lo, *hi). */
static void best_region(const tok *q, size_t qn, const hset *bigrams, const tok *p, size_t pn,
                        size_t *lo, size_t *hi)
{
    size_t *seeds, ns = 0, i, a = 0, best_a = 0, best_b = 0, best_n = 0;
    size_t span = qn + qn / 2 + 10;
    *lo = 0;
    *hi = pn;
    if (pn <= qn * 3 + 40 || pn * qn <= ALIGN_WHOLE_CELLS)
        return; /* cheap enough to align whole: no region to guess */
    seeds = ps_malloc((pn ? pn : 1) * sizeof *seeds);
    if (!seeds)
        return;
    for (i = 0; i + 1 < pn; i++)
        if (hset_has(bigrams, mix(p[i].fold, p[i + 1].fold)))
            seeds[ns++] = i;
    if (ns == 0) {
        /* no bigram in common: fall back to single words */
        for (i = 0; i < pn; i++) {
            size_t k;
            for (k = 0; k < qn; k++)
                if (p[i].fold == q[k].fold) {
                    seeds[ns++] = i;
                    break;
                }
        }
    }
    for (i = 0; i < ns; i++) {
        while (seeds[i] - seeds[a] > span)
            a++;
        if (i - a + 1 > best_n) {
            best_n = i - a + 1;
            best_a = seeds[a];
            best_b = seeds[i];
        }
    }
    ps_free(seeds);
    if (best_n) {
        *lo = best_a > qn / 2 + 5 ? best_a - qn / 2 - 5 : 0;
        *hi = best_b + qn / 2 + 6 < pn ? best_b + qn / 2 + 6 : pn;
    }
}

/* ---- the document's structure at an offset -------------------------- */

/* Fetches the document record's first two lines (metadata, structure). */
static int doc_record(ps_searcher *s, const char *id, ps_arena *a, const char **meta,
                      const char **structure, ps_error *err)
{
    ps_buf key;
    xc_error xe;
    xc_postiter *it;
    xc_docid did;
    uint32_t wdf;
    int r, rc = PS_ENOTFOUND;
    *meta = *structure = NULL;
    ps_buf_init(&key, 4096);
    ps_buf_adds(&key, PFX_ID);
    ps_doc_key(id, &key);
    it = xc_db_postlist(s->db, key.data, key.len, &xe);
    ps_buf_fin(&key);
    if (!it)
        return ps_from_xc(err, &xe, "looking up a document");
    if ((r = xc_postiter_next(it, &did, &wdf, &xe)) == 1) {
        xc_doc *d = NULL;
        if (xc_db_get_document(s->db, did, &d, &xe) == XC_OK) {
            size_t len;
            const char *data = xc_doc_data(d, &len);
            const char *nl = data ? memchr(data, '\n', len) : NULL;
            if (nl) {
                const char *nl2 = memchr(nl + 1, '\n', len - (size_t)(nl + 1 - data));
                *meta = ps_arena_strndup(a, data, (size_t)(nl - data));
                *structure = ps_arena_strndup(a, nl + 1, nl2 ? (size_t)(nl2 - nl - 1)
                                                             : len - (size_t)(nl + 1 - data));
                rc = PS_OK;
            }
            xc_doc_free(d);
        } else {
            rc = ps_from_xc(err, &xe, "reading a document");
        }
    } else if (r < 0) {
        rc = ps_from_xc(err, &xe, "looking up a document");
    }
    xc_postiter_free(it);
    return rc;
}

/* Appends to path the labels of the nodes holding offset, outermost
 * first; returns the deepest node (borrowed from nodes) or NULL. */
static json_t *path_at(json_t *nodes, size_t off, ps_buf *path)
{
    size_t i;
    json_t *n, *deepest = NULL;
    while (nodes) {
        json_t *next = NULL;
        json_array_foreach(nodes, i, n) {
            size_t st = (size_t)json_integer_value(json_object_get(n, "start"));
            size_t en = (size_t)json_integer_value(json_object_get(n, "end"));
            if (st <= off && off < en) {
                const char *label = json_string_value(json_object_get(n, "label"));
                if (label) {
                    if (path->len)
                        ps_buf_adds(path, " > ");
                    ps_buf_adds(path, label);
                }
                deepest = n;
                next = json_object_get(n, "children");
                break;
            }
        }
        nodes = next;
    }
    return deepest;
}

/* The location path of offset in the document (its passage text known):
 * the structure's labels, and "đoạn N" inside a section that has no
 * finer units (Party texts), N counted in the passage when the section
 * starts in it. */
static const char *locate(ps_arena *a, const char *structure, size_t off,
                          const ps_hit *h, size_t local_off)
{
    json_error_t je;
    json_t *tree = structure ? json_loads(structure, 0, &je) : NULL;
    json_t *deep;
    ps_buf path;
    const char *res;
    ps_buf_init(&path, 4096);
    deep = path_at(tree, off, &path);
    {
        const char *kind = deep ? json_string_value(json_object_get(deep, "kind")) : NULL;
        size_t nstart = deep ? (size_t)json_integer_value(json_object_get(deep, "start")) : 0;
        int fine = kind && (strcmp(kind, "dieu") == 0 || strcmp(kind, "khoan") == 0 ||
                            strcmp(kind, "diem") == 0);
        if (!fine && nstart >= h->start && nstart <= off) {
            /* paragraphs: non-empty lines from the unit's start */
            size_t k, para = 1, from = nstart - h->start;
            int seen_text = 0;
            for (k = from; k < local_off && k < h->text_len; k++) {
                if (h->text[k] == '\n') {
                    if (seen_text)
                        para++;
                    seen_text = 0;
                } else if (h->text[k] != ' ' && h->text[k] != '\t') {
                    seen_text = 1;
                }
            }
            if (deep) {
                /* the unit's heading line is not a paragraph */
                para = para > 1 ? para - 1 : 1;
            }
            if (path.len)
                ps_buf_adds(&path, " > ");
            ps_buf_addf(&path, "đoạn %zu", para);
        }
    }
    json_decref(tree);
    res = ps_arena_strndup(a, ps_buf_cstr(&path), path.len);
    ps_buf_fin(&path);
    return res;
}

/* The 1-based page holding offset, from the metadata's "pages" (page
 * starts of a PDF); 0 when the document has none. */
static uint32_t page_of(const char *meta, size_t off)
{
    json_error_t je;
    json_t *m = meta ? json_loads(meta, 0, &je) : NULL;
    json_t *pages = json_object_get(m, "pages");
    size_t i, n = json_array_size(pages);
    uint32_t page = 0;
    for (i = 0; i < n; i++)
        if ((size_t)json_integer_value(json_array_get(pages, i)) <= off)
            page = (uint32_t)i + 1;
    json_decref(m);
    return page;
}

/* ---- the search -------------------------------------------------------- */

typedef struct cand {
    ps_hit h;
    alignment al;
    tok *pt;
    size_t pn;
} cand;

static int cmp_cand(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    int c;
    if (a->al.score != b->al.score)
        return a->al.score > b->al.score ? -1 : 1;
    /* the earliest document first: the source precedes repetitions */
    c = strcmp(a->h.date ? a->h.date : "9999", b->h.date ? b->h.date : "9999");
    if (c)
        return c;
    c = strcmp(a->h.id, b->h.id);
    return c ? c : (a->h.ordinal > b->h.ordinal) - (a->h.ordinal < b->h.ordinal);
}

/* Builds the candidate query: the quote's rarest folded bigrams, and its
 * words at a lower weight. */
static xc_query *candidate_query(ps_qb *b, ps_analyzer *an, const char *q, size_t len,
                                 const ps_cite_opts *o)
{
    xc_query *bi[CITE_MAX_TOKENS], *uni[CITE_MAX_TOKENS], *main = NULL;
    size_t nb = 0, nu = 0;
    ps_token t;
    ps_error e;
    char prev[PS_TERM_MAX + 1] = "";
    int have_prev = 0;
    ps_search_opts so;
    if (ps_analyzer_start(an, q, len, 0, &e))
        return NULL;
    while (ps_analyzer_next(an, &t) && nu < CITE_MAX_TOKENS) {
        xc_query *s2[2];
        if (have_prev)
            bi[nb++] = ps_qb_term2(b, PFX_FOLD_BIGRAM, prev, t.fold);
        s2[0] = ps_qb_term(b, PFX_FOLD, t.fold);
        s2[1] = ps_qb_term(b, "", t.fold);
        uni[nu++] = ps_qb_op(b, XC_OP_SYNONYM, s2, 2, 0);
        memcpy(prev, t.fold, t.fold_len + 1);
        have_prev = 1;
    }
    if (nb)
        main = nb > CITE_ELITE ? ps_qb_op(b, XC_OP_ELITE_SET, bi, nb, CITE_ELITE)
                               : ps_qb_op(b, XC_OP_OR, bi, nb, 0);
    if (nu) {
        xc_query *w = nu > 20 ? ps_qb_op(b, XC_OP_ELITE_SET, uni, nu, 20)
                              : ps_qb_op(b, XC_OP_OR, uni, nu, 0);
        main = ps_qb_op2(b, XC_OP_OR, main, ps_qb_scale(b, w, 0.3));
    }
    if (!main)
        return NULL;
    ps_search_opts_default(&so);
    so.access = o->access;
    so.type = o->type;
    so.from = o->from;
    so.to = o->to;
    main = ps_qb_restrict(b, main, &so);
    if (main && o->exclude_id) {
        ps_buf g;
        ps_buf_init(&g, 4096);
        ps_doc_key(o->exclude_id, &g);
        main = ps_qb_op2(b, XC_OP_AND_NOT, main, ps_qb_term(b, PFX_GROUP, ps_buf_cstr(&g)));
        ps_buf_fin(&g);
    }
    return main;
}

void ps_cite_opts_default(ps_cite_opts *o)
{
    memset(o, 0, sizeof *o);
    o->limit = 5;
    o->access = PS_ACCESS_PUBLIC;
}

void ps_cite_results_free(ps_cite_results *r)
{
    if (!r)
        return;
    ps_arena_free(r->arena);
    ps_free(r);
}

/* A copy of s[0..n) with runs of whitespace (line breaks of the source
 * or of a mangled paste) made single spaces, for display. */
static const char *one_line(ps_arena *a, const char *s, size_t n)
{
    char *d = ps_arena_alloc(a, n + 1);
    size_t i, k = 0;
    int sp = 0;
    if (!d)
        return NULL;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\n' || c == '\t' || c == '\f' || c == ' ') {
            sp = 1;
            continue;
        }
        if (sp && k)
            d[k++] = ' ';
        sp = 0;
        d[k++] = c;
    }
    d[k] = '\0';
    return d;
}

/* Fills a result's diff and match text from a candidate's alignment. */
static int fill_hit(ps_cite_results *res, ps_cite_hit *out, const cand *c, const tok *qt,
                    size_t qn, const char *quote)
{
    const alignment *al = &c->al;
    const char *t = c->h.text;
    ps_diff *d;
    size_t nd = 0, k, cap = al->n_steps + 4;
    d = ps_arena_alloc(res->arena, cap * sizeof *d);
    if (!d)
        return PS_ENOMEM;
    /* quote words before the aligned part: missing from the source */
    if (al->q_from > 0) {
        d[nd].op = PS_DIFF_DELETE;
        d[nd].text = one_line(res->arena, quote + qt[0].start,
                              qt[al->q_from - 1].end - qt[0].start);
        nd++;
    }
    for (k = 0; k < al->n_steps;) {
        int op = al->steps[k].op;
        size_t j = k;
        while (j < al->n_steps && al->steps[j].op == op)
            j++;
        /* a run of one kind: source text for equal/insert, quote text for delete */
        if (op == OP_DELETE) {
            d[nd].op = PS_DIFF_DELETE;
            d[nd].text = one_line(res->arena, quote + qt[al->steps[k].qi].start,
                                  qt[al->steps[j - 1].qi].end - qt[al->steps[k].qi].start);
        } else {
            size_t ps0 = c->pt[al->steps[k].pi].start, pe = c->pt[al->steps[j - 1].pi].end;
            d[nd].op = op == OP_EQUAL ? PS_DIFF_EQUAL : PS_DIFF_INSERT;
            d[nd].text = one_line(res->arena, t + ps0, pe - ps0);
        }
        if (!d[nd].text)
            return PS_ENOMEM;
        nd++;
        k = j;
        if (nd + 2 >= cap)
            break;
    }
    if (al->q_to < qn) {
        d[nd].op = PS_DIFF_DELETE;
        d[nd].text = one_line(res->arena, quote + qt[al->q_to].start,
                              qt[qn - 1].end - qt[al->q_to].start);
        nd++;
    }
    out->diff = d;
    out->n_diff = nd;
    {
        size_t ms = c->pt[al->p_from].start, me = c->pt[al->p_to - 1].end;
        size_t cs = ms, ce = me;
        out->match = ps_arena_strndup(res->arena, t + ms, me - ms);
        out->match_start = c->h.start + ms;
        out->match_end = c->h.start + me;
        /* the sentence around it */
        while (cs > 0 && t[cs - 1] != '\n' && !(cs >= 2 && t[cs - 1] == ' ' &&
                                                (t[cs - 2] == '.' || t[cs - 2] == ';')))
            cs--;
        while (ce < c->h.text_len && t[ce] != '\n' && t[ce] != '.' && t[ce] != ';')
            ce++;
        if (ce < c->h.text_len && t[ce] != '\n')
            ce++;
        out->context = one_line(res->arena, t + cs, ce - cs);
    }
    out->coverage = qn ? (double)al->matches / (double)qn : 0;
    out->score = al->score / 10.0;
    return (out->match && out->context) ? PS_OK : PS_ENOMEM;
}

int ps_cite(ps_searcher *s, const ps_cite_opts *o, ps_cite_results **out, ps_error *err)
{
    ps_cite_results *res;
    ps_buf qbuf;
    ps_qb b;
    xc_query *xq;
    xc_enquire *e = NULL;
    xc_mset *m = NULL;
    xc_error xe;
    tok *qt = NULL;
    size_t qn = 0, i, nc = 0;
    cand *cands = NULL;
    hset bigrams = {NULL, 0};
    int rc = PS_OK;
    double t0 = ps_now();
    size_t qlen;

    *out = NULL;
    memset(&b, 0, sizeof b);
    if (o->limit < 1 || o->limit > PS_LIMIT_MAX)
        return ps_error_set(err, PS_EINVAL, "limit must be between 1 and %d", PS_LIMIT_MAX);
    res = ps_calloc(1, sizeof *res);
    if (!res || !(res->arena = ps_arena_new())) {
        ps_free(res);
        return ps_error_set(err, PS_ENOMEM, "out of memory");
    }
    ps_buf_init(&qbuf, CITE_MAX_QUOTE_BYTES * 4);
    qlen = o->quote ? strlen(o->quote) : 0;
    if (qlen > CITE_MAX_QUOTE_BYTES) {
        qlen = CITE_MAX_QUOTE_BYTES;
        while (qlen > 0 && ((unsigned char)o->quote[qlen] & 0xC0) == 0x80)
            qlen--;
        ps_cite_warn(res, "the quote was too long and was cut");
    }
    if ((rc = ps_text_clean(o->quote ? o->quote : "", qlen, &qbuf, NULL, err)))
        goto done;
    res->quote = ps_arena_strndup(res->arena, ps_buf_cstr(&qbuf), qbuf.len);
    if (!res->quote) {
        rc = ps_error_set(err, PS_ENOMEM, "out of memory");
        goto done;
    }
    qn = tokenize(s->an, res->quote, qbuf.len, CITE_MAX_TOKENS, &qt);
    if (qn == 0)
        goto done; /* nothing to look for */
    if (hset_init(&bigrams, qn)) {
        rc = ps_error_set(err, PS_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i + 1 < qn; i++)
        hset_add(&bigrams, mix(qt[i].fold, qt[i + 1].fold));

    xq = candidate_query(&b, s->an, res->quote, qbuf.len, o);
    if (!xq) {
        rc = b.failed ? ps_from_xc(err, &b.xe, "building the quote's query") : PS_OK;
        goto done;
    }
    e = xc_enquire_new(s->db, &xe);
    if (!e || xc_enquire_set_query(e, xq, 0, &xe) ||
        xc_enquire_set_bm25(e, 1.2, 0, 1, 0.75, 0.5, &xe) ||
        !(m = xc_enquire_mset(e, 0, CITE_CANDIDATES, 0, &xe))) {
        rc = ps_from_xc(err, &xe, "finding candidates");
        goto done;
    }
    cands = ps_calloc(xc_mset_size(m) + 1, sizeof *cands);
    if (!cands) {
        rc = ps_error_set(err, PS_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < xc_mset_size(m); i++) {
        xc_doc *d = NULL;
        const char *data;
        size_t dl, lo, hi;
        cand *c = &cands[nc];
        if (xc_mset_document(m, (uint32_t)i, &d, &xe)) {
            rc = ps_from_xc(err, &xe, "reading a candidate");
            goto done;
        }
        data = xc_doc_data(d, &dl);
        rc = data ? ps_read_passage(res->arena, &c->h, data, dl) : PS_EFORMAT;
        xc_doc_free(d);
        if (rc) {
            rc = ps_error_set(err, rc, "a stored passage could not be read");
            goto done;
        }
        c->pn = tokenize(s->an, c->h.text, c->h.text_len, CITE_MAX_PTOKENS, &c->pt);
        best_region(qt, qn, &bigrams, c->pt, c->pn, &lo, &hi);
        if (align(qt, qn, c->pt, lo, hi, &c->al)) {
            rc = ps_error_set(err, PS_ENOMEM, "out of memory aligning the quote");
            nc++;
            goto done;
        }
        nc++;
    }
    qsort(cands, nc, sizeof *cands, cmp_cand);
    res->hits = ps_arena_calloc(res->arena, (o->limit + 1) * sizeof *res->hits);
    if (!res->hits) {
        rc = ps_error_set(err, PS_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < nc && res->n < o->limit; i++) {
        cand *c = &cands[i];
        ps_cite_hit *h = &res->hits[res->n];
        const char *meta = NULL, *structure = NULL;
        if (c->al.score <= 0 || c->al.n_steps == 0)
            continue;
        h->hit = c->h;
        if ((rc = fill_hit(res, h, c, qt, qn, res->quote))) {
            rc = ps_error_set(err, rc, "out of memory");
            goto done;
        }
        if (doc_record(s, c->h.id, res->arena, &meta, &structure, err) == PS_OK) {
            h->location = locate(res->arena, structure, h->match_start, &c->h,
                                 h->match_start - c->h.start);
            h->page = page_of(meta, h->match_start);
        }
        h->hit.citation = ps_hit_citation(res->arena, &c->h, h->location ? h->location : c->h.path);
        {
            ps_buf cb;
            ps_buf_init(&cb, 1024);
            ps_citation_location(h->location ? h->location : c->h.path, &cb);
            h->location_text = ps_arena_strndup(res->arena, ps_buf_cstr(&cb), cb.len);
            ps_buf_fin(&cb);
        }
        res->n++;
    }
done:
    for (i = 0; i < nc; i++) {
        ps_free(cands[i].pt);
        ps_free(cands[i].al.steps);
    }
    ps_free(cands);
    ps_free(qt);
    ps_free(bigrams.v);
    xc_mset_free(m);
    xc_enquire_free(e);
    ps_qb_free(&b);
    ps_buf_fin(&qbuf);
    if (rc) {
        ps_cite_results_free(res);
        return rc;
    }
    res->took_ms = (ps_now() - t0) * 1000.0;
    *out = res;
    return PS_OK;
}

void ps_cite_warn(ps_cite_results *r, const char *msg)
{
    ps_push_warning(r->arena, &r->warnings, &r->n_warnings, msg);
}

static const char *op_name(int op)
{
    return op == PS_DIFF_EQUAL ? "equal" : op == PS_DIFF_INSERT ? "insert" : "delete";
}

int ps_cite_results_json(const ps_cite_results *r, ps_buf *out)
{
    ps_jw j;
    size_t i, k;
    ps_jw_init(&j, out);
    ps_jw_obj(&j);
    ps_jw_kstr(&j, "quote", r->quote);
    ps_jw_kint(&j, "total", (long long)r->n);
    ps_jw_key(&j, "took_ms");
    ps_jw_double(&j, r->took_ms);
    ps_jw_key(&j, "hits");
    ps_jw_arr(&j);
    for (i = 0; i < r->n; i++) {
        const ps_cite_hit *c = &r->hits[i];
        const ps_hit *h = &c->hit;
        ps_jw_obj(&j);
        {
            /* the matched text, escaped, marked whole, as the snippet */
            ps_buf sn;
            ps_buf_init(&sn, 0);
            ps_buf_adds(&sn, "<mark>");
            ps_html_escape(&sn, c->match, strlen(c->match));
            ps_buf_adds(&sn, "</mark>");
            ps_hit_json_fields(&j, h, c->score, ps_buf_cstr(&sn));
            ps_buf_fin(&sn);
        }
        ps_jw_kstr(&j, "location", c->location);
        ps_jw_kstr(&j, "location_text", c->location_text);
        ps_jw_kstr(&j, "match", c->match);
        ps_jw_kint(&j, "match_start", (long long)c->match_start);
        ps_jw_kint(&j, "match_end", (long long)c->match_end);
        ps_jw_kstr(&j, "context", c->context);
        if (c->page)
            ps_jw_kint(&j, "page", c->page);
        ps_jw_key(&j, "coverage");
        ps_jw_double(&j, c->coverage);
        ps_jw_key(&j, "diff");
        ps_jw_arr(&j);
        for (k = 0; k < c->n_diff; k++) {
            ps_jw_obj(&j);
            ps_jw_kstr(&j, "op", op_name(c->diff[k].op));
            ps_jw_kstr(&j, "text", c->diff[k].text);
            ps_jw_obj_end(&j);
        }
        ps_jw_arr_end(&j);
        ps_jw_obj_end(&j);
    }
    ps_jw_arr_end(&j);
    if (r->n_warnings) {
        ps_jw_key(&j, "warnings");
        ps_jw_arr(&j);
        for (i = 0; i < r->n_warnings; i++)
            ps_jw_str(&j, r->warnings[i]);
        ps_jw_arr_end(&j);
    }
    ps_jw_obj_end(&j);
    return out->err;
}
