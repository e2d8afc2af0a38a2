/*
 * peer_xapian: Xapian used with its default settings, on the shared
 * corpus cut into articles (bench/peer.h), for bench/run-peers.sh.
 *
 *   peer_xapian --data DIR --work DIR [--variants given,nodiac]
 *
 * Setup: one document per article; its text through a TermGenerator with
 * no stemmer (lowercased words with positions); the document id in value
 * slot 0 and "doc TAB article NL text" as document data (so the index
 * holds the text, as FTS5's and Groonga's do, for snippets); committed
 * once at the end, no fsync (as polsearch --no-sync), Xapian's automatic
 * flush every 10,000 documents left as it is. Queries: a QueryParser
 * with its default flags and default operator (OR), BM25 with Xapian's
 * defaults (k1 1, b 0.5). Documents: the same query with collapse on
 * slot 0, so each law is ranked by its best article.
 *
 * Also prints the writer's share of the indexing time: CPU seconds inside
 * add_document and commit, the (document, distinct term) pairs written,
 * and the cost of one pair -- the unit that bounds any Xapian indexer,
 * polsearch's included.
 */
#include "peer.h"
#include "xapian-c/xc.h"

typedef struct xapian {
    xc_wdb *w;
    xc_qparser *qp;
    char path[4096];
    double writer_seconds;
} xapian;

static int fail(const char *what, const xc_error *err)
{
    fprintf(stderr, "peer_xapian: %s: %s %s\n", what, err->type, err->msg);
    return -1;
}

static int build(void *ctx, const peer_corpus *c, const char *work)
{
    xapian *x = ctx;
    xc_error err = {0};
    xc_termgen *tg = xc_termgen_new(&err);
    ps_buf data;
    double t;
    snprintf(x->path, sizeof x->path, "%s/xapian.db", work);
    x->w = xc_wdb_open(x->path, XC_DB_CREATE_OR_OVERWRITE | XC_DB_NO_SYNC, &err);
    if (!x->w || !tg)
        return fail("open", &err);
    ps_buf_init(&data, 0);
    for (size_t i = 0; i < c->n_units; i++) {
        const peer_unit *u = &c->units[i];
        const char *id = c->docs[u->doc].id;
        xc_doc *doc = xc_doc_new(&err);
        if (!doc || xc_termgen_set_document(tg, doc, &err) ||
            xc_termgen_index_text(tg, u->text, u->len, 1, NULL, 1, &err) ||
            xc_doc_set_value(doc, 0, id, strlen(id), &err))
            return fail("document", &err);
        ps_buf_reset(&data);
        ps_buf_adds(&data, id);
        ps_buf_addc(&data, '\t');
        ps_buf_adds(&data, u->article);
        ps_buf_addc(&data, '\n');
        ps_buf_add(&data, u->text, u->len);
        if (xc_doc_set_data(doc, data.data, data.len, &err))
            return fail("data", &err);
        t = peer_cpu_now();
        if (xc_wdb_add_document(x->w, doc, NULL, &err))
            return fail("add_document", &err);
        x->writer_seconds += peer_cpu_now() - t;
        xc_doc_free(doc);
    }
    t = peer_cpu_now();
    if (xc_wdb_commit(x->w, &err))
        return fail("commit", &err);
    x->writer_seconds += peer_cpu_now() - t;
    ps_buf_fin(&data);
    xc_termgen_free(tg);
    if (!(x->qp = xc_qparser_new(&err)))
        return fail("query parser", &err);
    return 0;
}

static unsigned long long size(void *ctx, const char *work)
{
    xapian *x = ctx;
    (void)work;
    return peer_disk_bytes(x->path);
}

/* Runs query for the top max documents, collapsed on slot 0 or not, and
 * hands each hit's document data to take(). */
static int run(xapian *x, const char *query, size_t max, int collapse,
               void (*take)(void *arg, size_t i, const char *data, size_t len), void *arg,
               size_t *n)
{
    xc_error err = {0};
    xc_query *q = xc_qparser_parse(x->qp, query, strlen(query), XC_QP_DEFAULT, &err);
    xc_enquire *e = NULL;
    xc_mset *m = NULL;
    int rc = -1;
    *n = 0;
    if (!q)
        return fail("parse", &err);
    if (!(e = xc_enquire_new(xc_wdb_db(x->w), &err)) || xc_enquire_set_query(e, q, 0, &err) ||
        (collapse && xc_enquire_set_collapse(e, 0, 1, &err)) ||
        !(m = xc_enquire_mset(e, 0, (uint32_t)max, 0, &err))) {
        fail("search", &err);
        goto done;
    }
    for (uint32_t i = 0; i < xc_mset_size(m) && *n < max; i++) {
        xc_doc *d = NULL;
        size_t len;
        const char *data;
        if (xc_mset_document(m, i, &d, &err)) {
            fail("document", &err);
            goto done;
        }
        data = xc_doc_data(d, &len);
        take(arg, (*n)++, data, len);
        xc_doc_free(d);
    }
    rc = 0;
done:
    xc_mset_free(m);
    xc_enquire_free(e);
    xc_query_free(q);
    return rc;
}

/* "doc TAB article NL ..." -> hit i */
static void take_hit(void *arg, size_t i, const char *data, size_t len)
{
    peer_hit *h = &((peer_hit *)arg)[i];
    const char *tab = memchr(data, '\t', len), *nl;
    if (!tab)
        tab = data + len;
    nl = memchr(tab, '\n', len - (size_t)(tab - data));
    if (!nl)
        nl = data + len;
    snprintf(h->doc, sizeof h->doc, "%.*s", (int)(tab - data), data);
    snprintf(h->article, sizeof h->article, "%.*s",
             tab < nl ? (int)(nl - tab - 1) : 0, tab < nl ? tab + 1 : "");
}

static void take_doc(void *arg, size_t i, const char *data, size_t len)
{
    char(*docs)[PEER_ID_MAX] = arg;
    const char *tab = memchr(data, '\t', len);
    snprintf(docs[i], PEER_ID_MAX, "%.*s", (int)(tab ? (size_t)(tab - data) : len), data);
}

static int articles(void *ctx, const char *query, peer_hit *hits, size_t max, size_t *n,
                    double *engine_ms)
{
    *engine_ms = -1;
    return run(ctx, query, max, 0, take_hit, hits, n);
}

static int documents(void *ctx, const char *query, char (*docs)[PEER_ID_MAX], size_t max,
                     size_t *n)
{
    return run(ctx, query, max, 1, take_doc, docs, n);
}

/* The writer's cost per (document, distinct term) pair: every term's
 * termfreq summed is the number of pairs add_document had to invert. */
static void extra(void *ctx, const peer_corpus *c, const char *work, double index_seconds)
{
    xapian *x = ctx;
    xc_error err = {0};
    xc_termiter *it = xc_db_allterms(xc_wdb_db(x->w), NULL, 0, &err);
    unsigned long long pairs = 0, terms = 0;
    xc_term t;
    (void)c;
    (void)work;
    while (it && xc_termiter_next(it, &t, &err) == 1) {
        pairs += t.freq;
        terms++;
    }
    xc_termiter_free(it);
    printf("extra terms=%llu pairs=%llu writer_seconds=%.3f writer_us_per_pair=%.2f "
           "analysis_seconds=%.3f\n",
           terms, pairs, x->writer_seconds,
           pairs ? x->writer_seconds * 1e6 / (double)pairs : 0.0,
           index_seconds - x->writer_seconds);
}

static void close_xapian(void *ctx)
{
    xapian *x = ctx;
    xc_qparser_free(x->qp);
    xc_wdb_free(x->w);
}

int main(int argc, char **argv)
{
    static xapian x;
    char label[64];
    snprintf(label, sizeof label, "Xapian %s", xc_version());
    peer_engine e = {
        .name = "xapian",
        .label = label,
        .setup = "TermGenerator (no stemmer), QueryParser (default flags, OR), BM25 defaults, "
                 "articles as documents",
        .ctx = &x,
        .build = build,
        .size = size,
        .articles = articles,
        .documents = documents,
        .extra = extra,
        .close = close_xapian,
    };
    return peer_main(argc, argv, &e);
}
