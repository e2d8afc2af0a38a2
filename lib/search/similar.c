/*
 * similar.c: the later texts that repeat a passage — a formulation
 * followed through the years.
 *
 * Each sentence of the passage (of 8 syllables or more) is cited over the
 * other documents with the quote machinery of cite.c; a document that
 * repeats it (a match covering most of the sentence, in order) counts it
 * once. Documents come out earliest first, with how many sentences they
 * repeat and a few examples.
 */
#include <stdlib.h>
#include <string.h>

#include "search/internal.h"

#define SIM_MIN_WORDS 8
#define SIM_MAX_SENTENCES 200
#define SIM_PER_SENTENCE 10
#define SIM_MAX_DOCS 100

void ps_similar_results_free(ps_similar_results *r)
{
    if (!r)
        return;
    ps_arena_free(r->arena);
    ps_free(r);
}

/* Counts the words of s[0..n) (cheaply: runs of non-space). */
static size_t words(const char *s, size_t n)
{
    size_t i, w = 0;
    int in = 0;
    for (i = 0; i < n; i++) {
        int sp = s[i] == ' ' || s[i] == '\n' || s[i] == '\t';
        if (!sp && !in)
            w++;
        in = !sp;
    }
    return w;
}

static int cmp_hit(const void *x, const void *y)
{
    const ps_similar_hit *a = x, *b = y;
    int c = strcmp(a->date ? a->date : "9999", b->date ? b->date : "9999");
    return c ? c : strcmp(a->id, b->id);
}

int ps_similar(ps_searcher *s, const char *id, long ordinal, int access, double min_coverage,
               ps_similar_results **out, ps_error *err)
{
    ps_docview *d = NULL;
    ps_similar_results *r;
    const char *text;
    size_t len, i, from = 0, cap = SIM_MAX_DOCS;
    const char *last[SIM_MAX_DOCS] = {0}; /* the sentence each hit last counted */
    int rc;
    double t0 = ps_now();

    *out = NULL;
    if (min_coverage <= 0 || min_coverage > 1)
        min_coverage = 0.8;
    if ((rc = ps_searcher_doc(s, id, access, &d, err)))
        return rc;
    if (ordinal >= (long)d->n_passages) {
        ps_docview_free(d);
        return ps_error_set(err, PS_ENOTFOUND, "%s has no passage %ld", id, ordinal);
    }
    r = ps_calloc(1, sizeof *r);
    if (!r || !(r->arena = ps_arena_new()) ||
        !(r->hits = ps_arena_calloc(r->arena, cap * sizeof *r->hits))) {
        if (r)
            ps_arena_free(r->arena);
        ps_free(r);
        ps_docview_free(d);
        return ps_error_set(err, PS_ENOMEM, "out of memory");
    }
    r->id = ps_arena_strdup(r->arena, id);
    r->ordinal = ordinal;
    if (ordinal >= 0) {
        size_t st = d->passage_starts[ordinal];
        size_t en = (size_t)ordinal + 1 < d->n_passages ? d->passage_starts[ordinal + 1]
                                                         : d->text_len;
        text = d->text + st;
        len = en - st;
    } else {
        text = d->text;
        len = d->text_len;
    }
    /* sentences: up to . ; ! ? or a line end */
    for (i = 0; i <= len && r->sentences < SIM_MAX_SENTENCES && rc == PS_OK; i++) {
        int end = i == len || text[i] == '\n' ||
                  ((text[i] == '.' || text[i] == ';' || text[i] == '!' || text[i] == '?') &&
                   (i + 1 == len || text[i + 1] == ' ' || text[i + 1] == '\n'));
        ps_cite_opts o;
        ps_cite_results *cr = NULL;
        size_t k, n = i - from;
        const char *sent = text + from;
        if (!end)
            continue;
        from = i + 1;
        if (words(sent, n) < SIM_MIN_WORDS)
            continue;
        r->sentences++;
        ps_cite_opts_default(&o);
        o.quote = ps_arena_strndup(r->arena, sent, n);
        o.limit = SIM_PER_SENTENCE;
        o.access = access;
        o.exclude_id = id;
        if (!o.quote) {
            rc = ps_error_set(err, PS_ENOMEM, "out of memory");
            break;
        }
        if ((rc = ps_cite(s, &o, &cr, err)))
            break;
        for (k = 0; k < cr->n; k++) {
            const ps_cite_hit *c = &cr->hits[k];
            ps_similar_hit *h = NULL;
            size_t j;
            if (c->coverage < min_coverage)
                continue;
            for (j = 0; j < r->n; j++)
                if (strcmp(r->hits[j].id, c->hit.id) == 0)
                    h = &r->hits[j];
            if (h && last[h - r->hits] == o.quote)
                continue; /* this sentence already counted for it */
            if (!h) {
                if (r->n == cap)
                    continue;
                h = &r->hits[r->n++];
                h->id = ps_arena_strdup(r->arena, c->hit.id);
                h->title = ps_arena_strdup(r->arena, c->hit.title);
                h->number = ps_arena_strdup(r->arena, c->hit.number);
                h->type = ps_arena_strdup(r->arena, c->hit.type);
                h->issuer = ps_arena_strdup(r->arena, c->hit.issuer);
                h->date = ps_arena_strdup(r->arena, c->hit.date);
                h->citation = ps_hit_citation(r->arena, &c->hit, NULL);
                h->examples = ps_arena_calloc(r->arena, 3 * sizeof *h->examples);
                if (!h->id || !h->examples || !h->citation) {
                    rc = ps_error_set(err, PS_ENOMEM, "out of memory");
                    break;
                }
            }
            h->repeated++;
            last[h - r->hits] = o.quote;
            if (h->n_examples < 3) {
                ps_similar_example *ex = &h->examples[h->n_examples++];
                ex->sentence = o.quote;
                ex->match = ps_arena_strdup(r->arena, c->match);
                ex->location = ps_arena_strdup(r->arena, c->location_text);
                ex->coverage = c->coverage;
            }
        }
        ps_cite_results_free(cr);
    }
    ps_docview_free(d);
    if (rc) {
        ps_similar_results_free(r);
        return rc;
    }
    qsort(r->hits, r->n, sizeof *r->hits, cmp_hit);
    r->took_ms = (ps_now() - t0) * 1000.0;
    *out = r;
    return PS_OK;
}

int ps_similar_results_json(const ps_similar_results *r, ps_buf *out)
{
    ps_jw j;
    size_t i, k;
    ps_jw_init(&j, out);
    ps_jw_obj(&j);
    ps_jw_kstr(&j, "id", r->id);
    ps_jw_key(&j, "passage");
    if (r->ordinal >= 0)
        ps_jw_int(&j, r->ordinal);
    else
        ps_jw_null(&j);
    ps_jw_kint(&j, "sentences", (long long)r->sentences);
    ps_jw_key(&j, "took_ms");
    ps_jw_double(&j, r->took_ms);
    ps_jw_key(&j, "similar");
    ps_jw_arr(&j);
    for (i = 0; i < r->n; i++) {
        const ps_similar_hit *h = &r->hits[i];
        ps_jw_obj(&j);
        ps_jw_kstr(&j, "id", h->id);
        ps_jw_kstr(&j, "title", h->title);
        ps_jw_kstr(&j, "number", h->number);
        ps_jw_kstr(&j, "type", h->type);
        ps_jw_kstr(&j, "issuer", h->issuer);
        ps_jw_kstr(&j, "date", h->date);
        ps_jw_kstr(&j, "citation", h->citation);
        ps_jw_kint(&j, "repeated", (long long)h->repeated);
        ps_jw_key(&j, "examples");
        ps_jw_arr(&j);
        for (k = 0; k < h->n_examples; k++) {
            ps_jw_obj(&j);
            ps_jw_kstr(&j, "sentence", h->examples[k].sentence);
            ps_jw_kstr(&j, "match", h->examples[k].match);
            ps_jw_kstr(&j, "location", h->examples[k].location);
            ps_jw_key(&j, "coverage");
            ps_jw_double(&j, h->examples[k].coverage);
            ps_jw_obj_end(&j);
        }
        ps_jw_arr_end(&j);
        ps_jw_obj_end(&j);
    }
    ps_jw_arr_end(&j);
    ps_jw_obj_end(&j);
    return out->err;
}
