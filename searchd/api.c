/*
 * api.c: the JSON endpoints over one ps_searcher per worker thread
 * (/api/kwic, which streams, is in kwic.c).
 *
 * A searcher (a Xapian reader and an ICU analyzer, neither of them safe
 * to share) is opened by the first request a thread serves and kept in
 * thread-local storage until the thread ends. Each request first moves
 * it to the index's latest commit: ps_searcher_reopen is a revision
 * check when nothing changed, so a re-index shows up at the next request
 * without a restart, and the library retries a search whose revision was
 * overwritten meanwhile (PS_EMODIFIED); the other calls retry here,
 * with ps_searcher_retry.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "polsearch/doc.h"
#include "searchd/searchd.h"

#define SUGGEST_MAX 10

static pthread_key_t searcher_key;

static void searcher_destroy(void *p)
{
    ps_searcher_close(p);
}

int sd_api_init(void)
{
    return pthread_key_create(&searcher_key, searcher_destroy) ? PS_EINTERNAL : PS_OK;
}

ps_searcher *sd_searcher(ps_error *err)
{
    ps_searcher *s = pthread_getspecific(searcher_key), *fresh = NULL;
    if (s) {
        if (ps_searcher_reopen(s, NULL, err) == PS_OK)
            return s;
        /* the index was removed or replaced by another: start afresh;
         * while that fails (a swap in progress), the revision this
         * searcher holds open still answers, correct if a little old */
        if (ps_searcher_open(sd_cfg.db, &fresh, err)) {
            ps_error_clear(err);
            return s;
        }
        ps_searcher_close(s);
        pthread_setspecific(searcher_key, NULL);
        s = fresh;
    } else {
        /* a folder swapped by two renames is missing for an instant:
         * look again for up to a second before answering 503 */
        int tries = 0;
        while (ps_searcher_open(sd_cfg.db, &s, err)) {
            if (err->code != PS_ENOTFOUND || ++tries > 10)
                return NULL;
            usleep(100000);
        }
    }
    if (pthread_setspecific(searcher_key, s)) {
        ps_searcher_close(s);
        ps_error_set(err, PS_ENOMEM, "out of memory");
        return NULL;
    }
    return s;
}

/* The answer to a library error that is not the reader's fault: 503 when
 * there is no usable index, else 500; the detail (paths, Xapian's words)
 * goes to stderr, not to the client. */
enum MHD_Result sd_api_server_error(struct MHD_Connection *c, sd_request *r, const ps_error *err)
{
    if (err->code == PS_ENOTFOUND || err->code == PS_EVERSION) {
        fprintf(stderr, "polsearch serve: no usable index: %s\n", err->msg);
        return sd_respond_error(c, r, 503, "ENOINDEX", "the index is not available");
    }
    fprintf(stderr, "polsearch serve: %s %s: %s\n", r->method, r->path, err->msg);
    return sd_respond_error(c, r, 500, ps_rc_name(err->code), "the search failed");
}

/* The searcher, or an answer queued (503/500) and NULL. */
static ps_searcher *searcher_or_answer(struct MHD_Connection *c, sd_request *r,
                                       enum MHD_Result *ret)
{
    ps_error err;
    ps_searcher *s;
    ps_error_clear(&err);
    s = sd_searcher(&err);
    if (!s)
        *ret = sd_api_server_error(c, r, &err);
    return s;
}

const char *sd_api_param(struct MHD_Connection *c, sd_request *r, const char *name, size_t max,
                         int *bad)
{
    size_t len = 0;
    const char *v = sd_param_get(c, r, name, &len, bad);
    if (*bad)
        return NULL;
    if (v && len > max) {
        *bad = 1;
        sd_respond_error(c, r, 413, "ETOOBIG", "%s is longer than %zu bytes", name, max);
        return NULL;
    }
    return v;
}

static int parse_bool(const char *s, int *out)
{
    if (!*s || strcmp(s, "1") == 0 || strcmp(s, "true") == 0 || strcmp(s, "yes") == 0 ||
        strcmp(s, "on") == 0)
        *out = 1;
    else if (strcmp(s, "0") == 0 || strcmp(s, "false") == 0 || strcmp(s, "no") == 0 ||
             strcmp(s, "off") == 0)
        *out = 0;
    else
        return -1;
    return 0;
}

static const char *const cache_hit[] = {"X-Cache", "hit", NULL};
static const char *const cache_miss[] = {"X-Cache", "miss", NULL};

/* One field of a cache key: its length, then its bytes (no value can
 * pass for two). NULL and "" differ. */
static void key_field(ps_buf *k, const char *v)
{
    if (!v) {
        ps_buf_adds(k, "-|");
        return;
    }
    ps_buf_addf(k, "%zu:", strlen(v));
    ps_buf_adds(k, v);
    ps_buf_addc(k, '|');
}

/* The cache key of a search: the revision its answer comes from, who
 * asks, and every option the answer depends on. PS_EINVAL when the
 * index has no single revision (shards). */
static int cache_key(ps_searcher *s, const sd_request *r, const ps_search_opts *o, ps_buf *k)
{
    char gen[96];
    if (ps_searcher_generation(s, gen, sizeof gen, NULL))
        return PS_EINVAL;
    ps_buf_addf(k, "%s|a%d|u%d|l%u|o%u|s%d|f%d|", gen, r->access, (int)o->unit,
                (unsigned)o->limit, (unsigned)o->offset, (int)o->sort, o->facets);
    key_field(k, o->type);
    key_field(k, o->issuer);
    key_field(k, o->from);
    key_field(k, o->to);
    key_field(k, o->query);
    return k->err ? k->err : PS_OK;
}

/* MHD's result of an answer queued by a helper, kept for its caller: 1. */
static int answered(enum MHD_Result *ret, enum MHD_Result r)
{
    *ret = r;
    return 1;
}

/* The options of a search from its parameters: 0, or 1 with a 400 (or
 * 413) queued and MHD's result in *ret. */
static int search_opts(struct MHD_Connection *c, sd_request *r, ps_search_opts *o,
                       enum MHD_Result *ret)
{
    ps_error err;
    const char *v;
    int bad = 0;
    long n;

    ps_search_opts_default(o);
    o->access = r->access;
    o->facets = 1;
    o->query = sd_api_param(c, r, "q", SD_QUERY_MAX, &bad);
    if (bad)
        return 1;
    if (!o->query)
        o->query = "";
    if ((v = sd_api_param(c, r, "unit", SD_PARAM_MAX, &bad))) {
        if (strcmp(v, "document") == 0 || strcmp(v, "doc") == 0)
            o->unit = PS_UNIT_DOCUMENT;
        else if (strcmp(v, "passage") == 0)
            o->unit = PS_UNIT_PASSAGE;
        else
            return answered(ret, sd_respond_error(c, r, 400, "EINVAL",
                                                  "unit must be document or passage"));
    }
    if (bad)
        return 1;
    if ((v = sd_api_param(c, r, "limit", SD_PARAM_MAX, &bad))) {
        if (ps_parse_long(v, 1, PS_LIMIT_MAX, &n))
            return answered(ret, sd_respond_error(c, r, 400, "EINVAL",
                                                  "limit must be between 1 and %d", PS_LIMIT_MAX));
        o->limit = (uint32_t)n;
    }
    if (bad)
        return 1;
    if ((v = sd_api_param(c, r, "offset", SD_PARAM_MAX, &bad))) {
        if (ps_parse_long(v, 0, PS_OFFSET_MAX, &n))
            return answered(ret, sd_respond_error(c, r, 400, "EINVAL",
                                                  "offset must be between 0 and %d",
                                                  PS_OFFSET_MAX));
        o->offset = (uint32_t)n;
    }
    if (bad)
        return 1;
    if ((v = sd_api_param(c, r, "sort", SD_PARAM_MAX, &bad))) {
        if (strcmp(v, "relevance") == 0 || !*v)
            o->sort = PS_SORT_RELEVANCE;
        else if (strcmp(v, "date") == 0)
            o->sort = PS_SORT_DATE;
        else if (strcmp(v, "-date") == 0)
            o->sort = PS_SORT_DATE_DESC;
        else
            return answered(ret, sd_respond_error(c, r, 400, "EINVAL",
                                                  "sort must be relevance, date or -date"));
    }
    if (bad)
        return 1;
    if ((v = sd_api_param(c, r, "facets", SD_PARAM_MAX, &bad)) && parse_bool(v, &o->facets))
        return answered(ret, sd_respond_error(c, r, 400, "EINVAL", "facets must be 1 or 0"));
    if (bad)
        return 1;
    o->type = sd_api_param(c, r, "type", SD_PARAM_MAX, &bad);
    if (!bad)
        o->issuer = sd_api_param(c, r, "issuer", SD_PARAM_MAX, &bad);
    if (!bad)
        o->from = sd_api_param(c, r, "from", SD_PARAM_MAX, &bad);
    if (!bad)
        o->to = sd_api_param(c, r, "to", SD_PARAM_MAX, &bad);
    if (bad)
        return 1;

    ps_error_clear(&err);
    if (ps_search_opts_check(o, &err))
        return answered(ret, sd_respond_error(c, r, 400, "EINVAL", "%s", err.msg));
    return 0;
}

enum MHD_Result sd_api_search(struct MHD_Connection *c, sd_request *r)
{
    ps_search_opts o;
    ps_searcher *s;
    ps_results *res = NULL;
    ps_error err;
    ps_buf b, key;
    enum MHD_Result ret = MHD_YES;
    int res_warned, cacheable;

    if (search_opts(c, r, &o, &ret))
        return ret;
    if (!(s = searcher_or_answer(c, r, &ret)))
        return ret;
    /* the key the answer is kept under (sd_api_search_front looked for
     * it already) */
    ps_buf_init(&key, 4096);
    if (!sd_cache_enabled() || cache_key(s, r, &o, &key) != PS_OK)
        ps_buf_reset(&key); /* not cacheable */
    if (ps_search(s, &o, &res, &err)) {
        ps_buf_fin(&key);
        if (err.code == PS_EINVAL)
            return sd_respond_error(c, r, 400, "EINVAL", "%s", err.msg);
        if (err.code == PS_ETOOBIG)
            return sd_respond_error(c, r, 413, "ETOOBIG", "%s", err.msg);
        return sd_api_server_error(c, r, &err);
    }
    res_warned = res->n_warnings > 0; /* a partial answer is not kept */
    ps_buf_init(&b, SD_JSON_MAX);
    ps_results_json(res, &b);
    ps_results_free(res);
    if (key.len && !key.err && !b.err && !res_warned)
        sd_cache_put(key.data, key.len, b.data, b.len);
    cacheable = key.len > 0;
    ps_buf_fin(&key);
    return sd_respond_json_headers(c, r, 200, &b, cacheable ? cache_miss : NULL);
}

enum MHD_Result sd_api_search_front(struct MHD_Connection *c, sd_request *r)
{
    ps_search_opts o;
    ps_searcher *s;
    ps_error err;
    ps_buf key;
    enum MHD_Result ret = MHD_YES;
    char *hit = NULL;
    size_t len = 0;
    if (!sd_cache_enabled())
        return sd_defer(c, r, sd_api_search);
    if (search_opts(c, r, &o, &ret))
        return ret;
    ps_error_clear(&err);
    if ((s = sd_searcher(&err)) != NULL) {
        ps_buf_init(&key, 4096);
        if (cache_key(s, r, &o, &key) == PS_OK)
            hit = sd_cache_get(key.data, key.len, &len, (ps_now() - r->t0) * 1000.0);
        ps_buf_fin(&key);
    }
    if (hit)
        return sd_respond(c, r, 200, "application/json; charset=utf-8", hit, len, cache_hit);
    return sd_defer(c, r, sd_api_search);
}

/* The document id of /api/doc/ID and /api/similar/ID: the rest of the
 * path when there is one (*id), else the id parameter. 0 when there is
 * one of a sane length; else 1 with the answer queued (*ret). */
static int id_param(struct MHD_Connection *c, sd_request *r, const char **id, size_t *id_len,
                    const char *usage, enum MHD_Result *ret)
{
    int bad = 0;
    *ret = MHD_YES;
    if (!*id) {
        *id = sd_api_param(c, r, "id", SD_PARAM_MAX, &bad);
        if (bad)
            return 1;
        *id_len = *id ? strlen(*id) : 0;
    }
    if (!*id || *id_len == 0) {
        *ret = sd_respond_error(c, r, 400, "EINVAL", "give a document id: %s", usage);
        return 1;
    }
    if (*id_len > SD_PARAM_MAX) {
        *ret = sd_respond_error(c, r, 413, "ETOOBIG", "the document id is too long");
        return 1;
    }
    return 0;
}

enum MHD_Result sd_api_doc(struct MHD_Connection *c, sd_request *r, const char *id, size_t id_len)
{
    ps_searcher *s;
    ps_docview *d = NULL;
    ps_error err;
    ps_buf b;
    enum MHD_Result ret = MHD_YES;
    const char *q;
    int bad = 0, rc = PS_OK, tries = 0;

    if (id_param(c, r, &id, &id_len, "/api/doc/ID", &ret))
        return ret;
    q = sd_api_param(c, r, "q", SD_QUERY_MAX, &bad);
    if (bad)
        return MHD_YES;
    if (!(s = searcher_or_answer(c, r, &ret)))
        return ret;
    ps_error_clear(&err);
    do
        rc = ps_searcher_doc(s, id, r->access, &d, &err);
    while (ps_searcher_retry(s, rc, &tries, &err));
    if (rc == PS_ENOTFOUND)
        /* also what a reader below the document's level gets */
        return sd_respond_error(c, r, 404, "ENOTFOUND", "no document with this id");
    if (rc)
        return sd_api_server_error(c, r, &err);
    ps_buf_init(&b, SD_JSON_MAX);
    ps_docview_json(s, d, q && *q ? q : NULL, 0, &b);
    ps_docview_free(d);
    return sd_respond_json(c, r, 200, &b);
}

enum MHD_Result sd_api_suggest(struct MHD_Connection *c, sd_request *r)
{
    ps_searcher *s;
    ps_suggestions *sg = NULL;
    ps_error err;
    ps_buf b;
    enum MHD_Result ret = MHD_YES;
    const char *q, *v;
    int bad = 0, rc = PS_OK, tries = 0;
    long max = SUGGEST_MAX;

    q = sd_api_param(c, r, "q", SD_PARAM_MAX, &bad);
    if (bad)
        return MHD_YES;
    if ((v = sd_api_param(c, r, "limit", SD_PARAM_MAX, &bad)) &&
        ps_parse_long(v, 1, SUGGEST_MAX, &max))
        return sd_respond_error(c, r, 400, "EINVAL", "limit must be between 1 and %d",
                                SUGGEST_MAX);
    if (bad)
        return MHD_YES;
    if (!q)
        q = "";
    if (!(s = searcher_or_answer(c, r, &ret)))
        return ret;
    ps_error_clear(&err);
    do
        rc = ps_suggest(s, q, r->access, (unsigned)max, &sg, &err);
    while (ps_searcher_retry(s, rc, &tries, &err));
    if (rc == PS_EINVAL)
        return sd_respond_error(c, r, 400, "EINVAL", "%s", err.msg);
    if (rc)
        return sd_api_server_error(c, r, &err);
    ps_buf_init(&b, SD_JSON_MAX);
    ps_suggestions_json(sg, q, &b);
    ps_suggestions_free(sg);
    return sd_respond_json(c, r, 200, &b);
}

int sd_api_check_filters(struct MHD_Connection *c, sd_request *r, const char *type,
                         const char *from, const char *to)
{
    ps_search_opts so;
    ps_error err;
    ps_search_opts_default(&so);
    so.access = r->access;
    so.type = type;
    so.from = from;
    so.to = to;
    ps_error_clear(&err);
    if (ps_search_opts_check(&so, &err)) {
        sd_respond_error(c, r, 400, "EINVAL", "%s", err.msg);
        return -1;
    }
    return 0;
}

/* GET /api/cite?q=QUOTE, or POST with the quote as the text/plain body
 * or a form's q. The same JSON as `polsearch cite --json`, with the
 * reader's level passed on: the library never ranks a passage the
 * reader may not see. */
enum MHD_Result sd_api_cite(struct MHD_Connection *c, sd_request *r)
{
    ps_cite_opts o;
    ps_searcher *s;
    ps_cite_results *res = NULL;
    ps_error err;
    ps_buf b;
    enum MHD_Result ret = MHD_YES;
    const char *v;
    int bad = 0, rc = PS_OK, tries = 0;
    long n;

    ps_cite_opts_default(&o);
    o.access = r->access;
    if (r->body_kind == SD_BODY_TEXT)
        o.quote = r->body;
    else
        /* a posted form may carry a quote up to the body's cap */
        o.quote = sd_api_param(c, r, "q", r->body ? SD_BODY_MAX : SD_QUERY_MAX, &bad);
    if (bad)
        return MHD_YES;
    if (!o.quote || !*o.quote)
        return sd_respond_error(c, r, 400, "EINVAL",
                                "give the quote: q=... (or POST it as text/plain)");
    if ((v = sd_api_param(c, r, "limit", SD_PARAM_MAX, &bad))) {
        if (ps_parse_long(v, 1, PS_LIMIT_MAX, &n))
            return sd_respond_error(c, r, 400, "EINVAL", "limit must be between 1 and %d",
                                    PS_LIMIT_MAX);
        o.limit = (uint32_t)n;
    }
    if (bad)
        return MHD_YES;
    o.type = sd_api_param(c, r, "type", SD_PARAM_MAX, &bad);
    if (!bad)
        o.from = sd_api_param(c, r, "from", SD_PARAM_MAX, &bad);
    if (!bad)
        o.to = sd_api_param(c, r, "to", SD_PARAM_MAX, &bad);
    if (bad || sd_api_check_filters(c, r, o.type, o.from, o.to))
        return MHD_YES;
    if (!(s = searcher_or_answer(c, r, &ret)))
        return ret;
    ps_error_clear(&err);
    do
        rc = ps_cite(s, &o, &res, &err);
    while (ps_searcher_retry(s, rc, &tries, &err));
    if (rc == PS_EINVAL)
        return sd_respond_error(c, r, 400, "EINVAL", "%s", err.msg);
    if (rc)
        return sd_api_server_error(c, r, &err);
    ps_buf_init(&b, SD_JSON_MAX);
    ps_cite_results_json(res, &b);
    ps_cite_results_free(res);
    return sd_respond_json(c, r, 200, &b);
}

/* GET /api/similar/ID?passage=N: the later (and earlier) documents that
 * repeat the sentences of one passage. Only a passage: the whole
 * document's 200 sentences would hold a worker thread for seconds. */
enum MHD_Result sd_api_similar(struct MHD_Connection *c, sd_request *r, const char *id,
                               size_t id_len)
{
    ps_searcher *s;
    ps_similar_results *res = NULL;
    ps_error err;
    ps_buf b;
    enum MHD_Result ret = MHD_YES;
    const char *v;
    int bad = 0, rc = PS_OK, tries = 0;
    long ordinal;
    double cov = 0.8;

    if (id_param(c, r, &id, &id_len, "/api/similar/ID", &ret))
        return ret;
    v = sd_api_param(c, r, "passage", SD_PARAM_MAX, &bad);
    if (bad)
        return MHD_YES;
    if (!v || ps_parse_long(v, 0, 1000000, &ordinal))
        return sd_respond_error(c, r, 400, "EINVAL",
                                "give the passage: passage=N (0 to 1000000, a search hit's "
                                "passage ordinal)");
    if ((v = sd_api_param(c, r, "min_coverage", SD_PARAM_MAX, &bad))) {
        char *end;
        cov = strtod(v, &end);
        if (end == v || *end || !(cov >= 0.5 && cov <= 1))
            return sd_respond_error(c, r, 400, "EINVAL", "min_coverage must be from 0.5 to 1");
    }
    if (bad)
        return MHD_YES;
    if (!(s = searcher_or_answer(c, r, &ret)))
        return ret;
    ps_error_clear(&err);
    do
        rc = ps_similar(s, id, ordinal, r->access, cov, &res, &err);
    while (ps_searcher_retry(s, rc, &tries, &err));
    if (rc == PS_ENOTFOUND)
        /* a document above the reader's level is as missing as one that
         * is not there; the two answers are the same */
        return sd_respond_error(c, r, 404, "ENOTFOUND", "no document with this id and passage");
    if (rc == PS_EINVAL)
        return sd_respond_error(c, r, 400, "EINVAL", "%s", err.msg);
    if (rc)
        return sd_api_server_error(c, r, &err);
    ps_buf_init(&b, SD_JSON_MAX);
    ps_similar_results_json(res, &b);
    ps_similar_results_free(res);
    return sd_respond_json(c, r, 200, &b);
}

enum MHD_Result sd_api_healthz(struct MHD_Connection *c, sd_request *r)
{
    ps_error err;
    ps_buf b;
    ps_jw j;
    ps_error_clear(&err);
    if (!sd_searcher(&err))
        return sd_api_server_error(c, r, &err);
    ps_buf_init(&b, 4096);
    ps_jw_init(&j, &b);
    ps_jw_obj(&j);
    ps_jw_kstr(&j, "status", "ok");
    ps_jw_obj_end(&j);
    return sd_respond_json(c, r, 200, &b);
}
