/*
 * peer_fts5: SQLite FTS5 as a user would set it up for Vietnamese, on the
 * shared corpus cut into articles (bench/peer.h), for bench/run-peers.sh.
 *
 *   peer_fts5 --data DIR --work DIR [--variants given,nodiac]
 *
 * Setup: one FTS5 table (doc and article UNINDEXED, body indexed) with
 * tokenize = 'unicode61 remove_diacritics 2' (case and diacritics folded,
 * đ kept), filled in one transaction with synchronous=OFF (as polsearch
 * indexes with --no-sync), ranked by FTS5's bm25 (k1 1.2, b 0.75).
 *
 * Queries: FTS5 joins bare words with AND, which finds nothing for a
 * twenty-word question, so each word is quoted (FTS5 then tokenizes it as
 * a phrase) and the words are joined with OR -- the plain bag-of-words
 * query a user writes. Documents: each law ranked by its best article
 * (GROUP BY over the ranked articles).
 */
#include <sqlite3.h>

#include "peer.h"

typedef struct fts5 {
    sqlite3 *db;
    sqlite3_stmt *art, *doc;
    char path[4096];
    ps_buf q;
} fts5;

static int fail(fts5 *f, const char *what)
{
    fprintf(stderr, "peer_fts5: %s: %s\n", what, sqlite3_errmsg(f->db));
    return -1;
}

static int build(void *ctx, const peer_corpus *c, const char *work)
{
    fts5 *f = ctx;
    sqlite3_stmt *ins = NULL;
    snprintf(f->path, sizeof f->path, "%s/fts5.db", work);
    remove(f->path);
    if (sqlite3_open(f->path, &f->db) != SQLITE_OK)
        return fail(f, "open");
    if (sqlite3_exec(f->db,
                     "PRAGMA synchronous=OFF;"
                     "CREATE VIRTUAL TABLE art USING fts5(doc UNINDEXED, article UNINDEXED, "
                     "body, tokenize = 'unicode61 remove_diacritics 2');"
                     "BEGIN;",
                     NULL, NULL, NULL) != SQLITE_OK)
        return fail(f, "create");
    if (sqlite3_prepare_v2(f->db, "INSERT INTO art(doc, article, body) VALUES (?1, ?2, ?3)", -1,
                           &ins, NULL) != SQLITE_OK)
        return fail(f, "prepare insert");
    for (size_t i = 0; i < c->n_units; i++) {
        const peer_unit *u = &c->units[i];
        sqlite3_bind_text(ins, 1, c->docs[u->doc].id, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, u->article, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, u->text, (int)u->len, SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE)
            return fail(f, "insert");
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    if (sqlite3_exec(f->db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
        return fail(f, "commit");
    if (sqlite3_prepare_v2(f->db,
                           "SELECT doc, article FROM art WHERE art MATCH ?1 ORDER BY rank "
                           "LIMIT ?2",
                           -1, &f->art, NULL) != SQLITE_OK)
        return fail(f, "prepare search");
    /* The inner ORDER BY keeps SQLite from flattening the subquery, which
     * would take rank (bm25) out of the context FTS5 allows it in. */
    if (sqlite3_prepare_v2(f->db,
                           "SELECT doc, min(s) FROM (SELECT doc, rank AS s FROM art WHERE art "
                           "MATCH ?1 ORDER BY rank LIMIT -1) GROUP BY doc ORDER BY 2 LIMIT ?2",
                           -1, &f->doc, NULL) != SQLITE_OK)
        return fail(f, "prepare document search");
    ps_buf_init(&f->q, 0);
    return 0;
}

static unsigned long long size(void *ctx, const char *work)
{
    fts5 *f = ctx;
    (void)work;
    return peer_disk_bytes(f->path);
}

/* The question as an OR of quoted words (peer_or_query): FTS5 doubles a
 * quote inside a string; "" (no token) matches nothing. */
static const char *or_query(fts5 *f, const char *text)
{
    ps_buf_reset(&f->q);
    peer_or_query(text, &f->q, "\"\"", "\\");
    return f->q.len ? ps_buf_cstr(&f->q) : "\"\"";
}

static int articles(void *ctx, const char *query, peer_hit *hits, size_t max, size_t *n,
                    double *engine_ms)
{
    fts5 *f = ctx;
    int rc;
    *n = 0;
    *engine_ms = -1;
    sqlite3_bind_text(f->art, 1, or_query(f, query), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(f->art, 2, (int)max);
    while ((rc = sqlite3_step(f->art)) == SQLITE_ROW && *n < max) {
        snprintf(hits[*n].doc, PEER_ID_MAX, "%s", (const char *)sqlite3_column_text(f->art, 0));
        snprintf(hits[*n].article, PEER_ART_MAX, "%s",
                 (const char *)sqlite3_column_text(f->art, 1));
        (*n)++;
    }
    sqlite3_reset(f->art);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(f, "search");
}

static int documents(void *ctx, const char *query, char (*docs)[PEER_ID_MAX], size_t max,
                     size_t *n)
{
    fts5 *f = ctx;
    int rc;
    *n = 0;
    sqlite3_bind_text(f->doc, 1, or_query(f, query), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(f->doc, 2, (int)max);
    while ((rc = sqlite3_step(f->doc)) == SQLITE_ROW && *n < max)
        snprintf(docs[(*n)++], PEER_ID_MAX, "%s", (const char *)sqlite3_column_text(f->doc, 0));
    sqlite3_reset(f->doc);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(f, "document search");
}

static void close_fts5(void *ctx)
{
    fts5 *f = ctx;
    sqlite3_finalize(f->art);
    sqlite3_finalize(f->doc);
    sqlite3_close(f->db);
    ps_buf_fin(&f->q);
}

int main(int argc, char **argv)
{
    static fts5 f;
    char label[64];
    snprintf(label, sizeof label, "SQLite FTS5 %s", sqlite3_libversion());
    peer_engine e = {
        .name = "fts5",
        .label = label,
        .setup = "unicode61 remove_diacritics 2, bm25, words OR-ed, articles as rows",
        .ctx = &f,
        .build = build,
        .size = size,
        .articles = articles,
        .documents = documents,
        .close = close_fts5,
    };
    return peer_main(argc, argv, &e);
}
