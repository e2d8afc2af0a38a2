/*
 * kwic.c: every occurrence of a phrase, with its context (keyword in
 * context), in date or index order, streamed.
 *
 * The phrase query finds the passages (positions on folds make it work
 * without diacritics); each passage is read and scanned for the phrase's
 * token sequence to cut the lines. Passages are fetched a page at a time
 * so the first lines are out long before the last passage is found.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/schema.h"
#include "polsearch/doc.h"
#include "search/internal.h"

#define KWIC_PAGE 100
#define KWIC_PAGE_MAX 25600
#define KWIC_MAX_WORDS 64
#define KWIC_CONTEXT_MAX 400

void ps_kwic_opts_default(ps_kwic_opts *o)
{
    memset(o, 0, sizeof *o);
    o->sort = PS_KWIC_DATE;
    o->context = 60;
    o->access = PS_ACCESS_PUBLIC;
}

void ps_kwic_stats_fin(ps_kwic_stats *st)
{
    if (!st)
        return;
    ps_free(st->years);
    st->years = NULL;
    st->n_years = 0;
}

static void count_year(ps_kwic_stats *st, const char *date)
{
    int y = 0;
    size_t i;
    if (!date || strlen(date) < 4)
        return;
    y = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 + (date[3] - '0');
    for (i = 0; i < st->n_years; i++)
        if (st->years[i].year == y) {
            st->years[i].count++;
            return;
        }
    {
        ps_kwic_year *ny = ps_realloc(st->years, (st->n_years + 1) * sizeof *ny);
        if (!ny)
            return;
        st->years = ny;
        for (i = st->n_years; i > 0 && st->years[i - 1].year > y; i--)
            st->years[i] = st->years[i - 1];
        st->years[i].year = y;
        st->years[i].count = 1;
        st->n_years++;
    }
}

/* text[from, to) on one line, whitespace runs as single spaces. */
static void squeeze(ps_buf *out, const char *t, size_t from, size_t to)
{
    size_t i;
    int sp = 0;
    for (i = from; i < to; i++) {
        char c = t[i];
        if (c == '\n' || c == '\t' || c == '\f' || c == ' ') {
            sp = 1;
            continue;
        }
        if (sp && out->len)
            ps_buf_addc(out, ' ');
        sp = 0;
        ps_buf_addc(out, c);
    }
    if (sp)
        ps_buf_addc(out, ' ');
}

/* The phrase's words (canonical term and fold), from every non-field
 * clause of the parsed query, in order. */
static size_t phrase_words(const ps_query *q, ps_qword *w, size_t cap)
{
    size_t i, k, n = 0;
    for (i = 0; i < q->n; i++) {
        const ps_qclause *c = &q->clauses[i];
        if (c->kind == PS_QC_FIELD || c->mod == PS_QM_NOT)
            continue;
        for (k = 0; k < c->n && n < cap; k++)
            w[n++] = c->words[k];
    }
    return n;
}

typedef struct seen_docs {
    uint64_t *v;
    size_t cap, n;
} seen_docs;

/* Counts a document once (by a hash of its id). */
static void see_doc(seen_docs *s, ps_kwic_stats *st, const char *id)
{
    uint64_t h = ps_hash64(id, strlen(id)) | 1;
    size_t i;
    if (s->n * 2 + 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 1024, k;
        uint64_t *nv = ps_calloc(ncap, sizeof *nv);
        if (!nv)
            return;
        for (k = 0; k < s->cap; k++)
            if (s->v[k]) {
                size_t j = (size_t)s->v[k] & (ncap - 1);
                while (nv[j])
                    j = (j + 1) & (ncap - 1);
                nv[j] = s->v[k];
            }
        ps_free(s->v);
        s->v = nv;
        s->cap = ncap;
    }
    i = (size_t)h & (s->cap - 1);
    while (s->v[i]) {
        if (s->v[i] == h)
            return;
        i = (i + 1) & (s->cap - 1);
    }
    s->v[i] = h;
    s->n++;
    st->documents++;
}

/* Emits the occurrences of words in one passage; returns the callback's
 * stop request, or a negative error. */
static int scan_passage(ps_analyzer *an, const ps_query *q, const ps_qword *w, size_t nw,
                        const ps_hit *h, const ps_kwic_opts *o, ps_kwic_fn fn, void *ctx,
                        ps_kwic_stats *st, ps_buf *scratch)
{
    size_t tn = 0, cap = 256, i, k, ctxb = o->context;
    ps_token t;
    ps_error e;
    struct { size_t s, e; uint64_t term, fold; } *tk = ps_malloc(cap * sizeof *tk);
    uint64_t wt[KWIC_MAX_WORDS], wf[KWIC_MAX_WORDS];
    int rc = 0, any = 0;
    if (!tk)
        return -PS_ENOMEM;
    for (k = 0; k < nw; k++) {
        wt[k] = ps_hash64(w[k].term, strlen(w[k].term));
        wf[k] = ps_hash64(w[k].fold, strlen(w[k].fold));
    }
    if (ps_analyzer_start(an, h->text, h->text_len, 0, &e)) {
        ps_free(tk);
        return -PS_EICU;
    }
    while (ps_analyzer_next(an, &t)) {
        if (tn == cap) {
            void *nt = ps_realloc(tk, cap * 2 * sizeof *tk);
            if (!nt)
                break;
            tk = nt;
            cap *= 2;
        }
        tk[tn].s = t.start;
        tk[tn].e = t.end;
        tk[tn].term = ps_hash64(t.term, t.term_len);
        tk[tn].fold = ps_hash64(t.fold, t.fold_len);
        tn++;
    }
    for (i = 0; i + nw <= tn && rc == 0; i++) {
        ps_kwic_line l;
        size_t ms, me, ls, re, lpos, mpos, rpos;
        for (k = 0; k < nw; k++) {
            /* typed with diacritics, words match as written; typed
             * without any, every diacritic form matches (as the query) */
            if (q->folded ? tk[i + k].fold != wf[k] : tk[i + k].term != wt[k])
                break;
        }
        if (k < nw)
            continue;
        any = 1;
        ms = tk[i].s;
        me = tk[i + nw - 1].e;
        ls = ms > ctxb ? ms - ctxb : 0;
        while (ls > 0 && ls < ms && h->text[ls - 1] != ' ' && h->text[ls - 1] != '\n')
            ls++; /* start on a word */
        while (ls < ms && ((unsigned char)h->text[ls] & 0xC0) == 0x80)
            ls++;
        re = me + ctxb < h->text_len ? me + ctxb : h->text_len;
        while (re < h->text_len && re > me && h->text[re] != ' ' && h->text[re] != '\n')
            re--; /* end on a word */
        ps_buf_reset(scratch);
        squeeze(scratch, h->text, ls, ms);
        ps_buf_addc(scratch, '\0');
        mpos = scratch->len;
        ps_buf_add(scratch, h->text + ms, me - ms);
        ps_buf_addc(scratch, '\0');
        rpos = scratch->len;
        squeeze(scratch, h->text, me, re);
        ps_buf_addc(scratch, '\0');
        lpos = 0;
        if (scratch->err)
            break;
        memset(&l, 0, sizeof l);
        l.id = h->id;
        l.title = h->title;
        l.number = h->number;
        l.type = h->type;
        l.issuer = h->issuer;
        l.date = h->date;
        l.path = h->path;
        l.citation = h->citation;
        l.left = scratch->data + lpos;
        l.match = scratch->data + mpos;
        l.right = scratch->data + rpos;
        l.start = h->start + ms;
        l.end = h->start + me;
        st->lines++;
        count_year(st, h->date);
        rc = fn(ctx, &l);
        if (o->max && st->lines >= o->max) {
            st->truncated = 1;
            rc = 1;
        }
        i += nw - 1;
    }
    if (any)
        st->passages++;
    ps_free(tk);
    return rc;
}

int ps_kwic(ps_searcher *s, const ps_kwic_opts *o, ps_kwic_fn fn, void *ctx, ps_kwic_stats *st,
            ps_error *err)
{
    ps_query *q = NULL;
    ps_qword words[KWIC_MAX_WORDS];
    size_t nw;
    ps_qb b;
    xc_query *xq;
    xc_enquire *e = NULL;
    xc_error xe;
    ps_search_opts so;
    ps_arena *a = NULL;
    ps_buf scratch;
    seen_docs seen = {NULL, 0, 0};
    uint32_t first = 0, page = KWIC_PAGE;
    int rc = PS_OK, stop = 0;
    double t0 = ps_now();
    ps_kwic_opts oo = *o;

    memset(st, 0, sizeof *st);
    memset(&b, 0, sizeof b);
    ps_buf_init(&scratch, 64 * 1024);
    if (oo.context == 0)
        oo.context = 60;
    if (oo.context > KWIC_CONTEXT_MAX)
        oo.context = KWIC_CONTEXT_MAX;
    if ((rc = ps_query_parse(s->an, o->phrase ? o->phrase : "",
                             o->phrase ? strlen(o->phrase) : 0, &q, err)))
        return rc;
    nw = phrase_words(q, words, KWIC_MAX_WORDS);
    if (nw == 0)
        goto done; /* nothing to look for */
    xq = nw == 1 ? ps_qb_word(&b, q, &words[0]) : ps_qb_phrase(&b, q, words, nw);
    ps_search_opts_default(&so);
    so.access = o->access;
    so.type = o->type;
    so.from = o->from;
    so.to = o->to;
    xq = xq ? ps_qb_restrict(&b, xq, &so) : NULL;
    if (!xq) {
        rc = ps_from_xc(err, &b.xe, "building the phrase query");
        goto done;
    }
    e = xc_enquire_new(s->db, &xe);
    if (!e || xc_enquire_set_query(e, xq, 0, &xe) || xc_enquire_set_bool_weight(e, &xe) ||
        xc_enquire_set_docid_order(e, 0, &xe) ||
        (o->sort != PS_KWIC_DOC &&
         xc_enquire_set_sort(e, XC_SORT_VALUE, SLOT_DATE, o->sort == PS_KWIC_DATE_DESC, &xe))) {
        rc = ps_from_xc(err, &xe, "preparing the concordance");
        goto done;
    }
    if (!(a = ps_arena_new())) {
        rc = ps_error_set(err, PS_ENOMEM, "out of memory");
        goto done;
    }
    while (!stop) {
        xc_mset *m = xc_enquire_mset(e, first, page, 0, &xe);
        uint32_t i, n;
        if (!m) {
            rc = ps_from_xc(err, &xe, "finding the phrase");
            break;
        }
        n = xc_mset_size(m);
        for (i = 0; i < n && !stop; i++) {
            xc_doc *d = NULL;
            const char *data;
            size_t dl;
            ps_hit h;
            int r;
            memset(&h, 0, sizeof h);
            if (xc_mset_document(m, i, &d, &xe)) {
                rc = ps_from_xc(err, &xe, "reading a passage");
                stop = 1;
                break;
            }
            data = xc_doc_data(d, &dl);
            ps_arena_reset(a);
            r = data ? ps_read_passage(a, &h, data, dl) : PS_EFORMAT;
            xc_doc_free(d);
            if (r)
                continue; /* a record we cannot read is not an occurrence */
            h.citation = ps_hit_citation(a, &h, h.path);
            if (st->lines == 0)
                st->first_ms = (ps_now() - t0) * 1000.0;
            r = scan_passage(s->an, q, words, nw, &h, &oo, fn, ctx, st, &scratch);
            if (r > 0)
                stop = 1;
            else if (r < 0) {
                rc = ps_error_set(err, -r, "scanning a passage");
                stop = 1;
            }
            see_doc(&seen, st, h.id);
        }
        xc_mset_free(m);
        if (n < page)
            break;
        first += n;
        /* each page runs the match again: grow them so a phrase on
         * every page of the corpus takes a handful of runs, while the
         * first lines still come after the first small page */
        if (page < KWIC_PAGE_MAX)
            page *= 4;
    }
done:
    st->took_ms = (ps_now() - t0) * 1000.0;
    ps_free(seen.v);
    ps_arena_free(a);
    ps_buf_fin(&scratch);
    xc_enquire_free(e);
    ps_qb_free(&b);
    ps_query_free(q);
    return rc;
}

int ps_kwic_line_json(const ps_kwic_line *l, ps_buf *out)
{
    ps_jw j;
    ps_jw_init(&j, out);
    ps_jw_obj(&j);
    ps_jw_kstr(&j, "id", l->id);
    ps_jw_kstr(&j, "title", l->title);
    ps_jw_kstr(&j, "number", l->number);
    ps_jw_kstr(&j, "type", l->type);
    ps_jw_kstr(&j, "issuer", l->issuer);
    ps_jw_kstr(&j, "date", l->date);
    ps_jw_kstr(&j, "path", l->path);
    ps_jw_kstr(&j, "citation", l->citation);
    ps_jw_kstr(&j, "left", l->left);
    ps_jw_kstr(&j, "match", l->match);
    ps_jw_kstr(&j, "right", l->right);
    ps_jw_kint(&j, "start", (long long)l->start);
    ps_jw_kint(&j, "end", (long long)l->end);
    ps_jw_obj_end(&j);
    return out->err;
}

int ps_kwic_stats_json(const ps_kwic_stats *st, const char *phrase, ps_buf *out)
{
    ps_jw j;
    size_t i;
    char y[8];
    ps_jw_init(&j, out);
    ps_jw_obj(&j);
    ps_jw_key(&j, "summary");
    ps_jw_obj(&j);
    ps_jw_kstr(&j, "phrase", phrase);
    ps_jw_kint(&j, "lines", (long long)st->lines);
    ps_jw_kint(&j, "passages", (long long)st->passages);
    ps_jw_kint(&j, "documents", (long long)st->documents);
    ps_jw_key(&j, "truncated");
    ps_jw_bool(&j, st->truncated);
    ps_jw_key(&j, "first_ms");
    ps_jw_double(&j, st->first_ms);
    ps_jw_key(&j, "took_ms");
    ps_jw_double(&j, st->took_ms);
    ps_jw_key(&j, "years");
    ps_jw_obj(&j);
    for (i = 0; i < st->n_years; i++) {
        snprintf(y, sizeof y, "%d", st->years[i].year);
        ps_jw_kint(&j, y, (long long)st->years[i].count);
    }
    ps_jw_obj_end(&j);
    ps_jw_obj_end(&j);
    ps_jw_obj_end(&j);
    return out->err;
}
