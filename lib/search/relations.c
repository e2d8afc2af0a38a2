/*
 * relations.c: a document's links to the others, resolved when it is
 * shown.
 *
 * The indexer stores the numbers a text mentions (with the type word and
 * date beside them) but cannot resolve them: the document named may be
 * indexed later. So they are resolved here, against the index as it is:
 *   - each mention's number key is looked up among the document records;
 *     when several documents share the number (Party numbers restart each
 *     term), the mention's date picks one;
 *   - "cited by": the passages of other documents whose text mentions this
 *     document's number, again told apart by date when numbers are shared;
 *   - a subject quoted without its number (“về đột phá phát triển ...”) is
 *     matched against the titles.
 * Everything shown passes the reader's access level.
 */
#include <jansson.h>
#include <string.h>

#include "index/schema.h"
#include "polsearch/doc.h"
#include "polsearch/index.h"
#include "search/internal.h"

#define MAX_TARGETS 8
#define MAX_CITED_BY 200
#define QUOTE_MIN_WORDS 6
#define QUOTE_MAX_BYTES 600

typedef struct target {
    char id[512];
    char date[16];
} target;

/* Document records the reader may see holding term; at most max. A
 * number's term is on every passage of its document too, so the records
 * are picked by a filtered query rather than by walking the postings. */
static size_t docs_with(ps_searcher *s, const char *term, int access, target *out, size_t max)
{
    xc_error xe;
    xc_query *t = xc_query_term(term, strlen(term), 1, 0, &xe);
    xc_query *kd = xc_query_term(KIND_DOC, 2, 1, 0, &xe);
    xc_query *f[2] = {t, kd}, *q = t && kd ? xc_query_combine(XC_OP_FILTER, f, 2, 0, &xe) : NULL;
    xc_enquire *e = q ? xc_enquire_new(s->db, &xe) : NULL;
    xc_mset *m = NULL;
    size_t n = 0;
    uint32_t i;
    if (e && xc_enquire_set_query(e, q, 0, &xe) == XC_OK &&
        xc_enquire_set_bool_weight(e, &xe) == XC_OK)
        m = xc_enquire_mset(e, 0, (uint32_t)max * 2, 0, &xe);
    for (i = 0; m && i < xc_mset_size(m) && n < max; i++) {
        xc_doc *d = NULL;
        const char *data, *acc;
        size_t len, al;
        if (xc_mset_document(m, i, &d, &xe))
            continue;
        acc = xc_doc_value(d, SLOT_ACCESS, &al);
        data = xc_doc_data(d, &len);
        if (data && !(al && acc[0] - '0' > access)) {
            const char *nl = memchr(data, '\n', len);
            json_error_t je;
            json_t *o = json_loadb(data, nl ? (size_t)(nl - data) : len, 0, &je);
            const char *id = json_string_value(json_object_get(o, "id"));
            const char *date = json_string_value(json_object_get(o, "date"));
            if (id) {
                snprintf(out[n].id, sizeof out[n].id, "%s", id);
                snprintf(out[n].date, sizeof out[n].date, "%s", date ? date : "");
                n++;
            }
            json_decref(o);
        }
        xc_doc_free(d);
    }
    xc_mset_free(m);
    xc_enquire_free(e);
    xc_query_free(q);
    xc_query_free(t);
    xc_query_free(kd);
    return n;
}

/* The indexed document a mention names: the only one with its number,
 * or the one with the mention's date. */
static const char *resolve(ps_searcher *s, const char *key, const char *date, int access,
                           const char *self, target *buf)
{
    char term[300];
    size_t n, i;
    snprintf(term, sizeof term, "%s%s", PFX_NUMBER, key);
    n = docs_with(s, term, access, buf, MAX_TARGETS);
    for (i = 0; i < n; i++)
        if (strcmp(buf[i].id, self) == 0) {
            /* a document does not cite itself */
            memmove(&buf[i], &buf[i + 1], (n - i - 1) * sizeof *buf);
            n--;
            i--;
        }
    if (n == 1 && (!date || !buf[0].date[0] || strcmp(date, buf[0].date) == 0))
        return buf[0].id;
    for (i = 0; date && i < n; i++)
        if (strcmp(buf[i].date, date) == 0)
            return buf[i].id;
    return n == 1 ? buf[0].id : NULL;
}

/* Quoted spans of the text that may be titles: “...” or "...", long
 * enough to name a document, short enough to be a title. */
static void quoted_titles(ps_searcher *s, const ps_docview *d, const char *self, ps_jw *j)
{
    const char *t = d->text, *end = d->text + d->text_len, *p = t;
    size_t found = 0;
    while (p < end && found < 32) {
        const char *open = NULL, *close = NULL;
        size_t ol = 0;
        const char *q;
        for (q = p; q < end; q++) {
            if (*q == '"') { open = q; ol = 1; break; }
            if (end - q >= 3 && (unsigned char)q[0] == 0xE2 && (unsigned char)q[1] == 0x80 &&
                (unsigned char)q[2] == 0x9C) { open = q; ol = 3; break; }
        }
        if (!open)
            break;
        for (q = open + ol; q < end && q - open < QUOTE_MAX_BYTES; q++) {
            if (*q == '"' || *q == '\n' ||
                (end - q >= 3 && (unsigned char)q[0] == 0xE2 && (unsigned char)q[1] == 0x80 &&
                 (unsigned char)q[2] == 0x9D)) {
                close = q;
                break;
            }
        }
        if (!close) {
            p = open + ol;
            continue;
        }
        p = close + 1;
        {
            /* every folded word of the quote must be a title word */
            xc_query *terms[64], *qq = NULL, *kd, *f[2];
            xc_error xe;
            ps_token tk;
            ps_error e;
            size_t nt = 0, k;
            ps_buf qf;
            if (ps_analyzer_start(s->an, open + ol, (size_t)(close - open - ol), 0, &e))
                continue;
            while (nt < 64 && ps_analyzer_next(s->an, &tk)) {
                char term[PS_TERM_MAX + 2];
                int n = snprintf(term, sizeof term, "%s%s", PFX_TITLE, tk.fold);
                terms[nt] = xc_query_term(term, (size_t)n, 1, 0, &xe);
                if (terms[nt])
                    nt++;
            }
            if (nt >= QUOTE_MIN_WORDS) {
                kd = xc_query_term(KIND_DOC, 2, 1, 0, &xe);
                f[0] = xc_query_combine(XC_OP_AND, terms, nt, 0, &xe);
                f[1] = kd;
                qq = f[0] && kd ? xc_query_combine(XC_OP_FILTER, f, 2, 0, &xe) : NULL;
                xc_query_free(f[0]);
                xc_query_free(kd);
            }
            for (k = 0; k < nt; k++)
                xc_query_free(terms[k]);
            if (!qq)
                continue;
            ps_buf_init(&qf, 4096);
            ps_text_fold(open + ol, (size_t)(close - open - ol), &qf);
            {
                xc_enquire *en = xc_enquire_new(s->db, &xe);
                xc_mset *m = en && xc_enquire_set_query(en, qq, 0, &xe) == XC_OK
                                 ? xc_enquire_mset(en, 0, 5, 0, &xe)
                                 : NULL;
                uint32_t i;
                for (i = 0; m && i < xc_mset_size(m); i++) {
                    xc_doc *dd = NULL;
                    const char *data, *acc;
                    size_t len, al;
                    if (xc_mset_document(m, i, &dd, &xe))
                        continue;
                    acc = xc_doc_value(dd, SLOT_ACCESS, &al);
                    data = xc_doc_data(dd, &len);
                    if (data && !(al && acc[0] - '0' > d->reader_access)) {
                        const char *nl = memchr(data, '\n', len);
                        json_error_t je;
                        json_t *o = json_loadb(data, nl ? (size_t)(nl - data) : len, 0, &je);
                        const char *id = json_string_value(json_object_get(o, "id"));
                        const char *title = json_string_value(json_object_get(o, "title"));
                        ps_buf tf;
                        ps_buf_init(&tf, 4096);
                        if (title)
                            ps_text_fold(title, strlen(title), &tf);
                        /* the quote is the title, or the title's subject */
                        if (id && strcmp(id, self) != 0 && tf.len && qf.len &&
                            strstr(tf.data, qf.data) && qf.len * 10 >= tf.len * 8) {
                            ps_jw_obj(j);
                            ps_jw_kstr(j, "kind", "cites");
                            ps_jw_key(j, "number");
                            ps_jw_str(j, json_string_value(json_object_get(o, "number")));
                            ps_jw_kstr(j, "type", json_string_value(json_object_get(o, "type")));
                            ps_jw_kstr(j, "date", json_string_value(json_object_get(o, "date")));
                            ps_jw_kint(j, "start", (long long)(open - t));
                            ps_jw_kint(j, "end", (long long)(close - t) + 1);
                            ps_jw_kstr(j, "target", id);
                            ps_jw_key(j, "by_title");
                            ps_jw_bool(j, 1);
                            ps_jw_obj_end(j);
                            found++;
                            i = xc_mset_size(m); /* one document per quote */
                        }
                        ps_buf_fin(&tf);
                        json_decref(o);
                    }
                    xc_doc_free(dd);
                }
                xc_mset_free(m);
                xc_enquire_free(en);
            }
            ps_buf_fin(&qf);
            xc_query_free(qq);
        }
    }
}

/* The passages of other documents that mention key (this document's
 * number); with a shared number, only mentions dated like this one. */
static void cited_by(ps_searcher *s, const ps_docview *d, const char *key, const char *date,
                     int shared, const char *self, ps_jw *j)
{
    char term[300];
    xc_error xe;
    xc_postiter *it;
    xc_docid did;
    uint32_t wdf;
    size_t n = 0;
    snprintf(term, sizeof term, "%s%s", PFX_CITES, key);
    it = xc_db_postlist(s->db, term, strlen(term), &xe);
    while (it && n < MAX_CITED_BY && xc_postiter_next(it, &did, &wdf, &xe) == 1) {
        xc_doc *dd = NULL;
        const char *data, *acc;
        size_t len, al;
        int level;
        ps_hit h;
        ps_arena *a;
        if (xc_db_get_document(s->db, did, &dd, &xe))
            continue;
        /* read the level before the next call: xc_doc_value's string
         * lives only until then */
        acc = xc_doc_value(dd, SLOT_ACCESS, &al);
        level = al ? acc[0] - '0' : 0;
        xc_doc_value(dd, SLOT_ORDINAL, &len);
        if (len == 0 || level > d->reader_access) {
            xc_doc_free(dd); /* a document record, or not for this reader */
            continue;
        }
        data = xc_doc_data(dd, &len);
        a = ps_arena_new();
        memset(&h, 0, sizeof h);
        if (a && data && ps_read_passage(a, &h, data, len) == PS_OK && strcmp(h.id, self) != 0) {
            int ok = 1;
            if (shared && date) {
                /* the mention must carry this document's date, written
                 * the way the text writes dates */
                char want[64];
                ps_buf f;
                ps_buf_init(&f, 0);
                ps_text_fold(h.text, h.text_len, &f);
                snprintf(want, sizeof want, "%.4s", date);
                ok = f.data && strstr(f.data, want) != NULL;
                ps_buf_fin(&f);
            }
            if (ok) {
                ps_jw_obj(j);
                ps_jw_kstr(j, "id", h.id);
                ps_jw_kstr(j, "title", h.title);
                ps_jw_kstr(j, "number", h.number);
                ps_jw_kstr(j, "type", h.type);
                ps_jw_kstr(j, "date", h.date);
                ps_jw_kstr(j, "article", h.article);
                ps_jw_kstr(j, "path", h.path);
                ps_jw_kstr(j, "citation", ps_hit_citation(a, &h, h.path));
                ps_jw_obj_end(j);
                n++;
            }
        }
        ps_arena_free(a);
        xc_doc_free(dd);
    }
    xc_postiter_free(it);
}

void ps_relations_json(ps_searcher *s, const ps_docview *d, ps_jw *j)
{
    json_error_t je;
    json_t *rels = json_loads(d->relations_json ? d->relations_json : "[]", 0, &je);
    json_t *meta = json_loads(d->meta_json ? d->meta_json : "{}", 0, &je);
    const char *number = json_string_value(json_object_get(meta, "number"));
    const char *date = json_string_value(json_object_get(meta, "date"));
    const char *self = d->id;
    target buf[MAX_TARGETS];
    size_t i;
    json_t *r;

    ps_jw_key(j, "relations");
    ps_jw_arr(j);
    json_array_foreach(rels, i, r) {
        const char *key = json_string_value(json_object_get(r, "key"));
        const char *rdate = json_string_value(json_object_get(r, "date"));
        const char *tgt = key ? resolve(s, key, rdate, d->reader_access, self, buf) : NULL;
        ps_jw_obj(j);
        ps_jw_kstr(j, "kind", json_string_value(json_object_get(r, "kind")));
        ps_jw_kstr(j, "number", json_string_value(json_object_get(r, "number")));
        ps_jw_kstr(j, "key", key);
        ps_jw_kstr(j, "type", json_string_value(json_object_get(r, "type")));
        ps_jw_kstr(j, "date", rdate);
        ps_jw_kint(j, "start", json_integer_value(json_object_get(r, "start")));
        ps_jw_kint(j, "end", json_integer_value(json_object_get(r, "end")));
        ps_jw_kstr(j, "target", tgt);
        ps_jw_obj_end(j);
    }
    quoted_titles(s, d, self, j);
    ps_jw_arr_end(j);

    ps_jw_key(j, "cited_by");
    ps_jw_arr(j);
    if (number) {
        ps_buf key;
        ps_buf_init(&key, 256);
        if (ps_docnum_key(number, strlen(number), &key) == PS_OK) {
            char term[300];
            size_t shared;
            snprintf(term, sizeof term, "%s%s", PFX_NUMBER, key.data);
            shared = docs_with(s, term, PS_ACCESS_SECRET, buf, MAX_TARGETS) > 1;
            cited_by(s, d, key.data, date, (int)shared, self, j);
        }
        ps_buf_fin(&key);
    }
    ps_jw_arr_end(j);
    json_decref(rels);
    json_decref(meta);
}
