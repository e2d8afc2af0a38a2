/*
 * result.c: results and documents as JSON (the shape docs/API.md gives),
 * and reading a stored document back whole.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "index/schema.h"
#include "polsearch/doc.h"
#include "polsearch/index.h"
#include "search/internal.h"

void ps_hit_json_fields(ps_jw *j, const ps_hit *h, double score, const char *snippet)
{
    ps_jw_kstr(j, "id", h->id);
    ps_jw_key(j, "score");
    ps_jw_double(j, score);
    ps_jw_kstr(j, "title", h->title);
    ps_jw_kstr(j, "number", h->number);
    ps_jw_kstr(j, "type", h->type);
    ps_jw_kstr(j, "issuer", h->issuer);
    ps_jw_kstr(j, "date", h->date);
    ps_jw_kstr(j, "snippet", snippet);
    ps_jw_kstr(j, "citation", h->citation);
    ps_jw_key(j, "passage");
    ps_jw_obj(j);
    ps_jw_kstr(j, "article", h->article);
    ps_jw_kstr(j, "path", h->path);
    ps_jw_kstr(j, "label", h->label);
    ps_jw_kstr(j, "kind", h->kind);
    ps_jw_kint(j, "ordinal", h->ordinal);
    ps_jw_kint(j, "start", (long long)h->start);
    ps_jw_kint(j, "end", (long long)h->end);
    if (h->page)
        ps_jw_kint(j, "page", h->page);
    ps_jw_obj_end(j);
}

int ps_results_json(const ps_results *r, ps_buf *out)
{
    ps_jw j;
    size_t i, k;
    ps_jw_init(&j, out);
    ps_jw_obj(&j);
    ps_jw_kstr(&j, "query", r->query);
    ps_jw_kstr(&j, "unit", r->unit == PS_UNIT_PASSAGE ? "passage" : "document");
    ps_jw_kint(&j, "total", r->total);
    ps_jw_key(&j, "total_exact");
    ps_jw_bool(&j, r->total_exact);
    ps_jw_kint(&j, "offset", r->offset);
    ps_jw_kint(&j, "limit", r->limit);
    ps_jw_key(&j, "took_ms");
    ps_jw_double(&j, r->took_ms);
    ps_jw_kstr(&j, "parsed", r->parsed);
    ps_jw_key(&j, "hits");
    ps_jw_arr(&j);
    for (i = 0; i < r->n; i++) {
        const ps_hit *h = &r->hits[i];
        ps_jw_obj(&j);
        ps_hit_json_fields(&j, h, h->score, h->snippet);
        ps_jw_obj_end(&j);
    }
    ps_jw_arr_end(&j);
    if (r->n_facets) {
        ps_jw_key(&j, "facets");
        ps_jw_obj(&j);
        for (i = 0; i < r->n_facets; i++) {
            const ps_facet *f = &r->facets[i];
            ps_jw_key(&j, f->name);
            ps_jw_arr(&j);
            for (k = 0; k < f->n; k++) {
                ps_jw_obj(&j);
                ps_jw_kstr(&j, "value", f->values[k].value);
                ps_jw_kint(&j, "count", f->values[k].count);
                ps_jw_obj_end(&j);
            }
            ps_jw_arr_end(&j);
        }
        ps_jw_obj_end(&j);
    }
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

/* ---- documents ------------------------------------------------------ */

typedef struct pas {
    uint32_t ordinal;
    size_t start;
    char *label;
    char *text;
    size_t len;
} pas;

static int cmp_pas(const void *a, const void *b)
{
    const pas *x = a, *y = b;
    return x->ordinal < y->ordinal ? -1 : x->ordinal > y->ordinal;
}

void ps_docview_free(ps_docview *d)
{
    if (!d)
        return;
    ps_arena_free(d->arena);
    ps_free(d);
}

int ps_searcher_doc(ps_searcher *s, const char *id, int access, ps_docview **out,
                    ps_error *err)
{
    ps_buf key;
    xc_error xe;
    xc_postiter *it = NULL;
    xc_docid did;
    uint32_t wdf;
    ps_docview *d = NULL;
    pas *ps = NULL;
    size_t np = 0, cap = 0, i;
    int r, rc = PS_OK, found = 0;
    ps_buf text;

    *out = NULL;
    ps_buf_init(&key, 4096);
    ps_buf_init(&text, 0);
    ps_buf_adds(&key, PFX_GROUP);
    ps_doc_key(id, &key);
    d = ps_calloc(1, sizeof *d);
    if (!d || !(d->arena = ps_arena_new()) || key.err) {
        rc = ps_error_set(err, PS_ENOMEM, "out of memory");
        goto fail;
    }
    it = xc_db_postlist(s->db, key.data, key.len, &xe);
    if (!it) {
        rc = ps_from_xc(err, &xe, "looking up the document");
        goto fail;
    }
    while ((r = xc_postiter_next(it, &did, &wdf, &xe)) == 1) {
        xc_doc *xd = NULL;
        const char *data;
        size_t len;
        const char *nl;
        size_t olen = 0;
        if (xc_db_get_document(s->db, did, &xd, &xe)) {
            rc = ps_from_xc(err, &xe, "reading the document");
            goto fail;
        }
        data = xc_doc_data(xd, &len);
        {
            size_t al;
            const char *acc = xc_doc_value(xd, SLOT_ACCESS, &al);
            int level = al ? acc[0] - '0' : 0;
            if (level > access) {
                xc_doc_free(xd);
                continue; /* as if it were not there */
            }
            d->access = level;
        }
        d->reader_access = access;
        nl = memchr(data, '\n', len);
        xc_doc_value(xd, SLOT_ORDINAL, &olen);
        if (olen == 0 && nl) {
            /* the document record (passages have an ordinal): metadata,
             * structure, relations */
            const char *nl2 = memchr(nl + 1, '\n', len - (size_t)(nl + 1 - data));
            d->meta_json = ps_arena_strndup(d->arena, data, (size_t)(nl - data));
            if (nl2) {
                d->structure_json = ps_arena_strndup(d->arena, nl + 1, (size_t)(nl2 - nl - 1));
                d->relations_json =
                    ps_arena_strndup(d->arena, nl2 + 1, len - (size_t)(nl2 + 1 - data));
            }
            found = 1;
        } else if (nl) {
            json_error_t je;
            json_t *o = json_loadb(data, (size_t)(nl - data), 0, &je);
            if (o) {
                if (np == cap) {
                    size_t ncap = cap ? cap * 2 : 32;
                    pas *n2 = ps_realloc(ps, ncap * sizeof *ps);
                    if (!n2) {
                        json_decref(o);
                        xc_doc_free(xd);
                        rc = ps_error_set(err, PS_ENOMEM, "out of memory");
                        goto fail;
                    }
                    ps = n2;
                    cap = ncap;
                }
                ps[np].ordinal = (uint32_t)json_integer_value(json_object_get(o, "ordinal"));
                ps[np].start = (size_t)json_integer_value(json_object_get(o, "start"));
                ps[np].label = ps_arena_strdup(
                    d->arena, json_string_value(json_object_get(o, "label"))
                                  ? json_string_value(json_object_get(o, "label"))
                                  : "");
                ps[np].len = len - (size_t)(nl + 1 - data);
                ps[np].text = ps_arena_strndup(d->arena, nl + 1, ps[np].len);
                json_decref(o);
                if (!ps[np].text || !ps[np].label) {
                    xc_doc_free(xd);
                    rc = ps_error_set(err, PS_ENOMEM, "out of memory");
                    goto fail;
                }
                np++;
            }
        }
        xc_doc_free(xd);
    }
    if (r < 0) {
        rc = ps_from_xc(err, &xe, "reading the document");
        goto fail;
    }
    if (!found) {
        rc = ps_error_set(err, PS_ENOTFOUND, "no document with id %s", id);
        goto fail;
    }
    qsort(ps, np, sizeof *ps, cmp_pas);
    d->passage_starts = ps_arena_alloc(d->arena, (np ? np : 1) * sizeof(size_t));
    d->passage_labels = ps_arena_alloc(d->arena, (np ? np : 1) * sizeof(char *));
    if (!d->passage_starts || !d->passage_labels) {
        rc = ps_error_set(err, PS_ENOMEM, "out of memory");
        goto fail;
    }
    for (i = 0; i < np; i++) {
        d->passage_starts[i] = text.len;
        d->passage_labels[i] = ps[i].label;
        ps_buf_add(&text, ps[i].text, ps[i].len);
    }
    d->n_passages = np;
    d->text = ps_arena_strndup(d->arena, ps_buf_cstr(&text), text.len);
    d->text_len = text.len;
    d->id = ps_arena_strdup(d->arena, id);
    if (!d->text || !d->id || text.err) {
        rc = ps_error_set(err, PS_ENOMEM, "out of memory");
        goto fail;
    }
    ps_buf_fin(&text);
    ps_buf_fin(&key);
    xc_postiter_free(it);
    ps_free(ps);
    *out = d;
    return PS_OK;
fail:
    ps_buf_fin(&text);
    ps_buf_fin(&key);
    xc_postiter_free(it);
    ps_free(ps);
    ps_docview_free(d);
    return rc;
}

typedef struct span_ctx {
    ps_jw *j;
} span_ctx;

static int span_cb(void *ctx, size_t start, size_t end)
{
    span_ctx *c = ctx;
    ps_jw_arr(c->j);
    ps_jw_int(c->j, (long long)start);
    ps_jw_int(c->j, (long long)end);
    ps_jw_arr_end(c->j);
    return 0;
}

int ps_docview_json(ps_searcher *s, const ps_docview *d, const char *q, unsigned flags,
                    ps_buf *out)
{
    ps_jw j;
    size_t i;
    json_error_t je;
    json_t *o = json_loads(d->meta_json ? d->meta_json : "{}", 0, &je);
    const char *k;
    json_t *v;
    ps_jw_init(&j, out);
    ps_jw_obj(&j);
    if (!json_object_get(o, "id"))
        ps_jw_kstr(&j, "id", d->id);
    /* the metadata as stored, but the source path only when asked: it
     * names files of the indexing host */
    json_object_foreach(o, k, v) {
        if (strcmp(k, "source") == 0 && !(flags & PS_DOC_SOURCE))
            continue;
        ps_jw_key(&j, k);
        if (json_is_string(v))
            ps_jw_str(&j, json_string_value(v));
        else {
            char *raw = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            if (raw)
                ps_jw_raw(&j, raw, strlen(raw));
            else
                ps_jw_null(&j);
            free(raw);
        }
    }
    {
        /* the document's citation, from its metadata */
        ps_cite_meta cm;
        ps_buf cb;
        cm.type = json_string_value(json_object_get(o, "type"));
        cm.number = json_string_value(json_object_get(o, "number"));
        cm.date = json_string_value(json_object_get(o, "date"));
        cm.issuer = json_string_value(json_object_get(o, "issuer"));
        cm.title = json_string_value(json_object_get(o, "title"));
        ps_buf_init(&cb, 8192);
        ps_citation(&cm, NULL, &cb);
        ps_jw_kstr(&j, "citation", ps_buf_cstr(&cb));
        ps_buf_fin(&cb);
    }
    json_decref(o);
    ps_jw_key(&j, "structure");
    if (d->structure_json)
        ps_jw_raw(&j, d->structure_json, strlen(d->structure_json));
    else
        ps_jw_raw(&j, "[]", 2);
    ps_relations_json(s, d, &j);
    ps_jw_key(&j, "passages");
    ps_jw_arr(&j);
    for (i = 0; i < d->n_passages; i++) {
        ps_jw_obj(&j);
        ps_jw_kstr(&j, "label", d->passage_labels[i]);
        ps_jw_kint(&j, "start", (long long)d->passage_starts[i]);
        ps_jw_obj_end(&j);
    }
    ps_jw_arr_end(&j);
    ps_jw_key(&j, "text");
    ps_jw_strn(&j, d->text, d->text_len);
    if (q && *q) {
        ps_query *pq = NULL;
        ps_error err;
        if (ps_query_parse(s->an, q, strlen(q), &pq, &err) == PS_OK) {
            span_ctx c = {&j};
            ps_jw_key(&j, "highlights");
            ps_jw_arr(&j);
            ps_highlight_spans(s->an, pq, d->text, d->text_len, span_cb, &c);
            ps_jw_arr_end(&j);
            ps_query_free(pq);
        }
    }
    ps_jw_obj_end(&j);
    return out->err;
}
