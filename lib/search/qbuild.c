/*
 * qbuild.c: building Xapian queries from C without leaking a handle on an
 * error path: every query made goes into the builder and is freed with it;
 * a failure makes every later call a no-op (the builder's sticky flag).
 * Also the filters every search shares (document records out, the access
 * levels the reader may not see out, the options' type, issuer, citation
 * and dates), and reading a passage record into a hit.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "index/schema.h"
#include "polsearch/doc.h"
#include "search/internal.h"


xc_query *ps_qb_own(ps_qb *b, xc_query *q)
{
    if (!q) {
        b->failed = 1;
        return NULL;
    }
    if (b->n == b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 64;
        xc_query **no = ps_realloc(b->owned, ncap * sizeof *no);
        if (!no) {
            xc_query_free(q);
            b->failed = 1;
            return NULL;
        }
        b->owned = no;
        b->cap = ncap;
    }
    b->owned[b->n++] = q;
    return q;
}

void ps_qb_free(ps_qb *b)
{
    size_t i;
    for (i = 0; i < b->n; i++)
        xc_query_free(b->owned[i]);
    ps_free(b->owned);
    if (b->tf) {
        ps_free(b->tf);
        ps_buf_fin(&b->tf_keys);
    }
}

/* The memo of term frequencies: open addressing, TF_SLOTS slots, filled
 * to three quarters at most (then terms are looked up every time). */
#define TF_SLOTS 1024
struct ps_qb_tf {
    uint64_t h;
    size_t off, len;
    uint32_t df;
    int used;
};

int ps_qb_termfreq(ps_qb *b, const char *term, size_t len, uint32_t *df)
{
    uint64_t h = ps_hash64(term, len);
    size_t j = 0;
    xc_error xe;
    int rc;
    if (!b->tf) {
        b->tf = ps_calloc(TF_SLOTS, sizeof *b->tf);
        ps_buf_init(&b->tf_keys, 1 << 20);
    }
    if (b->tf) {
        for (j = h & (TF_SLOTS - 1); b->tf[j].used; j = (j + 1) & (TF_SLOTS - 1))
            if (b->tf[j].h == h && b->tf[j].len == len &&
                memcmp(b->tf_keys.data + b->tf[j].off, term, len) == 0) {
                *df = b->tf[j].df;
                return XC_OK;
            }
    }
    rc = xc_db_termfreq(b->db, term, len, df, &xe);
    if (rc == XC_OK && b->tf && b->n_tf < TF_SLOTS * 3 / 4) {
        size_t off = b->tf_keys.len;
        if (ps_buf_add(&b->tf_keys, term, len) == PS_OK) {
            b->tf[j].h = h;
            b->tf[j].off = off;
            b->tf[j].len = len;
            b->tf[j].df = *df;
            b->tf[j].used = 1;
            b->n_tf++;
        }
    }
    return rc;
}

xc_query *ps_qb_term(ps_qb *b, const char *prefix, const char *t)
{
    char buf[256];
    int n = snprintf(buf, sizeof buf, "%s%s", prefix, t);
    if (n < 0 || (size_t)n >= sizeof buf)
        n = (int)sizeof buf - 1;
    ps_plan_term(b->plan, buf, (size_t)n);
    return ps_qb_own(b, xc_query_term(buf, (size_t)n, 1, 0, &b->xe));
}

xc_query *ps_qb_term2(ps_qb *b, const char *prefix, const char *a, const char *c)
{
    char buf[256];
    int n = snprintf(buf, sizeof buf, "%s%s %s", prefix, a, c);
    if (n < 0 || (size_t)n >= sizeof buf)
        n = (int)sizeof buf - 1;
    ps_plan_term(b->plan, buf, (size_t)n);
    return ps_qb_own(b, xc_query_term(buf, (size_t)n, 1, 0, &b->xe));
}

xc_query *ps_qb_op(ps_qb *b, xc_op op, xc_query **subs, size_t n, unsigned param)
{
    if (b->failed)
        return NULL;
    if (n == 1 && op != XC_OP_PHRASE && op != XC_OP_NEAR)
        return subs[0];
    return ps_qb_own(b, xc_query_combine(op, subs, n, param, &b->xe));
}

xc_query *ps_qb_op2(ps_qb *b, xc_op op, xc_query *l, xc_query *r)
{
    xc_query *s[2];
    if (!l)
        return r;
    if (!r)
        return l;
    s[0] = l;
    s[1] = r;
    return ps_qb_op(b, op, s, 2, 0);
}

xc_query *ps_qb_scale(ps_qb *b, xc_query *q, double f)
{
    if (b->failed || !q)
        return NULL;
    return ps_qb_own(b, xc_query_scale(q, f, &b->xe));
}


xc_query *ps_qb_restrict(ps_qb *b, xc_query *main, const ps_search_opts *o)
{
    xc_query *filters[8], *nots[8];
    size_t nf = 0, nn = 0, i;
    ps_plan *p = b->plan;
    int mode = p ? p->mode : PS_PLAN_OFF;
    ps_buf tmp;
    ps_buf_init(&tmp, 1024);
    /* type, issuer, dates and access are a document's: the same for all
     * its passages (what the plan needs); a cited number is a passage's */
    if (p)
        p->mode = PS_PLAN_FILTER;
    if (o->type && *o->type) {
        ps_buf_reset(&tmp);
        filters[nf++] = ps_qb_term(b, PFX_TYPE, ps_type_slug(o->type, &tmp));
    }
    if (o->issuer && *o->issuer) {
        ps_buf_reset(&tmp);
        ps_text_slug(o->issuer, strlen(o->issuer), &tmp);
        filters[nf++] = ps_qb_term(b, PFX_ISSUER, ps_buf_cstr(&tmp));
    }
    if (p)
        p->mode = PS_PLAN_OFF;
    if (o->cites && *o->cites) {
        ps_plan_inexact(p);
        ps_buf_reset(&tmp);
        if (ps_docnum_key(o->cites, strlen(o->cites), &tmp) == PS_OK)
            filters[nf++] = ps_qb_term(b, PFX_CITES, tmp.data);
        else
            filters[nf++] = ps_qb_own(b, xc_query_match_nothing(&b->xe));
    }
    if ((o->from && *o->from) || (o->to && *o->to)) {
        char lo[16], hi[16];
        int has_lo = o->from && *o->from && ps_date_bound(o->from, 0, lo) == 0;
        int has_hi = o->to && *o->to && ps_date_bound(o->to, 1, hi) == 0;
        filters[nf++] = ps_qb_own(b, xc_query_value_range(SLOT_DATE, has_lo ? lo : NULL, 8,
                                                           has_hi ? hi : NULL, 8, &b->xe));
        if (p) {
            /* an open range still asks for a date */
            memcpy(p->lo, has_lo ? lo : "00000000", 8);
            memcpy(p->hi, has_hi ? hi : "99999999", 8);
            p->lo[8] = p->hi[8] = 0;
        }
    }
    if (nf)
        main = ps_qb_op2(b, XC_OP_FILTER, main, ps_qb_op(b, XC_OP_AND, filters, nf, 0));
    /* passages only: document records carry no text (and the plan's map
     * of documents knows passages alone) */
    nots[nn++] = ps_qb_term(b, "", KIND_DOC);
    /* what the reader may not see */
    if (p)
        p->mode = PS_PLAN_NOT;
    for (i = (size_t)o->access + 1; i <= PS_ACCESS_SECRET; i++) {
        char a[2] = {(char)('0' + i), 0};
        nots[nn++] = ps_qb_term(b, PFX_ACCESS, a);
    }
    if (p)
        p->mode = mode;
    main = ps_qb_op2(b, XC_OP_AND_NOT, main, ps_qb_op(b, XC_OP_OR, nots, nn, 0));
    ps_buf_fin(&tmp);
    return b->failed ? NULL : main;
}

static const char *jstr(ps_arena *a, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? ps_arena_strdup(a, json_string_value(v)) : NULL;
}

/* Fills hit from a passage record's data (header line + text). */
int ps_read_passage(ps_arena *a, ps_hit *h, const char *data, size_t len)
{
    const char *nl = memchr(data, '\n', len);
    json_error_t je;
    json_t *o;
    size_t hl = nl ? (size_t)(nl - data) : len;
    o = json_loadb(data, hl, 0, &je);
    if (!o)
        return PS_EFORMAT;
    h->id = jstr(a, o, "id");
    h->title = jstr(a, o, "title");
    h->number = jstr(a, o, "number");
    h->type = jstr(a, o, "type");
    h->issuer = jstr(a, o, "issuer");
    h->date = jstr(a, o, "date");
    h->access = jstr(a, o, "access");
    h->article = jstr(a, o, "article");
    h->path = jstr(a, o, "path");
    h->label = jstr(a, o, "label");
    h->kind = jstr(a, o, "kind");
    h->ordinal = (uint32_t)json_integer_value(json_object_get(o, "ordinal"));
    h->page = (uint32_t)json_integer_value(json_object_get(o, "page"));
    h->start = (size_t)json_integer_value(json_object_get(o, "start"));
    json_decref(o);
    if (nl) {
        h->text_len = len - hl - 1;
        h->text = ps_arena_strndup(a, nl + 1, h->text_len);
    } else {
        h->text = "";
        h->text_len = 0;
    }
    h->end = h->start + h->text_len;
    if (!h->id || !h->text)
        return PS_ENOMEM;
    return PS_OK;
}

