/*
 * suggest.c: completions for search as you type.
 *
 * Runs on document records only: their S terms hold the folded words of
 * the type, title and issuer. Every finished word of the prefix must be
 * there; the unfinished last word is expanded over the S terms that start
 * with it (a wildcard, bounded); a prefix that reads as a document number
 * ("57-NQ", "13/2023") also expands over the number keys. Ranked by
 * BM25 on those short records, newest first among equals.
 */
#include <jansson.h>
#include <string.h>

#include "index/schema.h"
#include "polsearch/doc.h"
#include "search/internal.h"

#define SUGGEST_MAX 20
#define EXPANSION_MAX 64   /* terms a partial word may expand to */

void ps_suggestions_free(ps_suggestions *sg)
{
    if (!sg)
        return;
    ps_arena_free(sg->arena);
    ps_free(sg);
}

static xc_query *own(xc_query **owned, size_t *n, xc_query *q)
{
    if (q)
        owned[(*n)++] = q;
    return q;
}

static const char *jget(ps_arena *a, json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? ps_arena_strdup(a, json_string_value(v)) : NULL;
}

int ps_suggest(ps_searcher *s, const char *prefix, int access, unsigned max,
               ps_suggestions **out, ps_error *err)
{
    ps_suggestions *sg;
    xc_query *owned[PS_QUERY_MAX_WORDS * 2 + 32];
    xc_query *must[PS_QUERY_MAX_WORDS + 8], *nots[8];
    size_t nown = 0, nm = 0, nn = 0, i;
    xc_error xe;
    ps_buf clean, key;
    ps_token t;
    xc_query *q = NULL, *words = NULL, *num = NULL;
    xc_enquire *e = NULL;
    xc_mset *m = NULL;
    int rc = PS_OK, partial;
    size_t len;

    *out = NULL;
    if (max == 0 || max > SUGGEST_MAX)
        max = SUGGEST_MAX;
    sg = ps_calloc(1, sizeof *sg);
    if (!sg || !(sg->arena = ps_arena_new())) {
        ps_free(sg);
        return ps_error_set(err, PS_ENOMEM, "out of memory");
    }
    ps_buf_init(&clean, PS_QUERY_MAX_BYTES * 4);
    ps_buf_init(&key, 256);
    len = prefix ? strlen(prefix) : 0;
    if (len > 256)
        len = 256; /* suggestions look at the start of what is typed */
    rc = ps_text_clean(prefix ? prefix : "", len, &clean, NULL, err);
    if (rc)
        goto done; /* also when err is NULL: not EINVAL for ENOMEM */
    /* the last word is unfinished unless the prefix ends in a space */
    partial = clean.len > 0 && clean.data[clean.len - 1] != ' ';
    if (clean.len && ps_analyzer_start(s->an, clean.data, clean.len, 0, err) == PS_OK) {
        char last[PS_TERM_MAX + 2] = "";
        int have_last = 0;
        while (ps_analyzer_next(s->an, &t) && nm + 1 < sizeof must / sizeof must[0]) {
            char term[PS_TERM_MAX + 2];
            int n;
            if (have_last) {
                n = snprintf(term, sizeof term, "S%s", last);
                must[nm++] = own(owned, &nown, xc_query_term(term, (size_t)n, 1, 0, &xe));
            }
            snprintf(last, sizeof last, "%s", t.fold);
            have_last = 1;
        }
        if (have_last) {
            char term[PS_TERM_MAX + 2];
            int n = snprintf(term, sizeof term, "S%s", last);
            if (partial)
                must[nm++] = own(owned, &nown,
                                 xc_query_wildcard(term, (size_t)n, EXPANSION_MAX, &xe));
            else
                must[nm++] = own(owned, &nown, xc_query_term(term, (size_t)n, 1, 0, &xe));
        }
    }
    for (i = 0; i < nm; i++)
        if (!must[i]) {
            rc = ps_from_xc(err, &xe, "building suggestions");
            goto done;
        }
    if (nm)
        words = own(owned, &nown, xc_query_combine(XC_OP_AND, must, nm, 0, &xe));
    /* a number being typed: "57-NQ", "13/2023/NĐ" */
    if (ps_docnum_key(clean.data ? clean.data : "", clean.len, &key) == PS_OK &&
        strpbrk(clean.data, "0123456789")) {
        ps_buf pk;
        ps_buf_init(&pk, 300);
        ps_buf_adds(&pk, PFX_NUMBER);
        ps_buf_add(&pk, key.data, key.len);
        if (!pk.err)
            num = own(owned, &nown, xc_query_wildcard(pk.data, pk.len, EXPANSION_MAX, &xe));
        /* the document with that number before those that mention it */
        if (num)
            num = own(owned, &nown, xc_query_scale(num, 10.0, &xe));
        ps_buf_fin(&pk);
    }
    if (words && num) {
        xc_query *two[2] = {words, num};
        q = own(owned, &nown, xc_query_combine(XC_OP_OR, two, 2, 0, &xe));
    } else {
        q = words ? words : num;
    }
    if (!q)
        goto done; /* nothing typed that could complete */
    {
        /* document records the reader may see */
        xc_query *kd = own(owned, &nown, xc_query_term(KIND_DOC, 2, 1, 0, &xe));
        xc_query *f[2] = {q, kd};
        q = own(owned, &nown, xc_query_combine(XC_OP_FILTER, f, 2, 0, &xe));
        for (i = (size_t)access + 1; i <= PS_ACCESS_SECRET; i++) {
            char a[3] = {'A', (char)('0' + i), 0};
            nots[nn++] = own(owned, &nown, xc_query_term(a, 2, 1, 0, &xe));
        }
        if (nn) {
            xc_query *no = own(owned, &nown, xc_query_combine(XC_OP_OR, nots, nn, 0, &xe));
            xc_query *an[2] = {q, no};
            q = own(owned, &nown, xc_query_combine(XC_OP_AND_NOT, an, 2, 0, &xe));
        }
    }
    if (!q) {
        rc = ps_from_xc(err, &xe, "building suggestions");
        goto done;
    }
    e = xc_enquire_new(s->db, &xe);
    if (!e || xc_enquire_set_query(e, q, 0, &xe) ||
        xc_enquire_set_sort(e, XC_SORT_RELEVANCE_THEN_VALUE, SLOT_DATE, 1, &xe) ||
        !(m = xc_enquire_mset(e, 0, max, 0, &xe))) {
        rc = ps_from_xc(err, &xe, "running suggestions");
        goto done;
    }
    sg->items = ps_arena_calloc(sg->arena, (xc_mset_size(m) + 1) * sizeof *sg->items);
    if (!sg->items) {
        rc = ps_error_set(err, PS_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < xc_mset_size(m); i++) {
        xc_doc *d = NULL;
        const char *data, *nl;
        size_t dl;
        json_error_t je;
        json_t *o;
        ps_suggestion *it = &sg->items[sg->n];
        if (xc_mset_document(m, (uint32_t)i, &d, &xe)) {
            rc = ps_from_xc(err, &xe, "reading suggestions");
            goto done;
        }
        data = xc_doc_data(d, &dl);
        nl = data ? memchr(data, '\n', dl) : NULL;
        o = data ? json_loadb(data, nl ? (size_t)(nl - data) : dl, 0, &je) : NULL;
        xc_doc_free(d);
        if (!o)
            continue;
        it->id = jget(sg->arena, o, "id");
        it->title = jget(sg->arena, o, "title");
        it->number = jget(sg->arena, o, "number");
        it->type = jget(sg->arena, o, "type");
        it->date = jget(sg->arena, o, "date");
        json_decref(o);
        it->text = ps_arena_sprintf(sg->arena, "%s%s%s%s%s", it->type ? it->type : "",
                                    it->number ? " " : "", it->number ? it->number : "",
                                    it->title ? " — " : "", it->title ? it->title : "");
        if (it->id && it->text)
            sg->n++;
    }
done:
    xc_mset_free(m);
    xc_enquire_free(e);
    for (i = 0; i < nown; i++)
        xc_query_free(owned[i]);
    ps_buf_fin(&clean);
    ps_buf_fin(&key);
    if (rc) {
        ps_suggestions_free(sg);
        return rc;
    }
    *out = sg;
    return PS_OK;
}

int ps_suggestions_json(const ps_suggestions *sg, const char *prefix, ps_buf *out)
{
    ps_jw j;
    size_t i;
    ps_jw_init(&j, out);
    ps_jw_obj(&j);
    ps_jw_kstr(&j, "query", prefix ? prefix : "");
    ps_jw_key(&j, "suggestions");
    ps_jw_arr(&j);
    for (i = 0; sg && i < sg->n; i++) {
        const ps_suggestion *it = &sg->items[i];
        ps_jw_obj(&j);
        ps_jw_kstr(&j, "id", it->id);
        ps_jw_kstr(&j, "text", it->text);
        ps_jw_kstr(&j, "title", it->title);
        ps_jw_kstr(&j, "number", it->number);
        ps_jw_kstr(&j, "type", it->type);
        ps_jw_kstr(&j, "date", it->date);
        ps_jw_obj_end(&j);
    }
    ps_jw_arr_end(&j);
    ps_jw_obj_end(&j);
    return out->err;
}
