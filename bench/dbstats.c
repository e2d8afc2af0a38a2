/*
 * dbstats: what a Xapian index holds, in the unit that bounds indexing
 * time -- (document, distinct term) pairs, the postings add_document has
 * to invert -- split by term prefix.
 *
 *   dbstats DB [--replay OUT [--batch N]]
 *
 * Prints key=value lines:
 *   db docs=... terms=... pairs=... wdf=...
 *   prefix name=F terms=... pairs=... wdf=...    (one line per prefix, most
 *                                                 pairs first; "-" is no prefix)
 * With --replay, also writes every document of DB again into a new
 * database OUT (same terms, wdf, positions and data; no values), timing
 * only Xapian's add_document and the commits, without fsync, committing
 * every N records (--batch; 0, the default, is one transaction: a corpus
 * smaller than polsearch index's --flush-mb) -- and prints
 *   replay docs=... pairs=... writer_seconds=... writer_us_per_pair=...
 * -- the part of an indexing run that is Xapian's writer alone, in CPU
 * seconds.
 * A prefix is the run of capital ASCII letters a term starts with
 * (Xapian's convention; polsearch's registry is docs/TERMS.md). Boolean
 * terms count as pairs too (wdf 0): add_document pays for them alike.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xapian-c/xc.h"

#define MAXPREFIX 64

typedef struct prefix_count {
    char name[8];
    unsigned long long terms, pairs, wdf;
} prefix_count;

static int by_pairs(const void *a, const void *b)
{
    const prefix_count *x = a, *y = b;
    return x->pairs < y->pairs ? 1 : x->pairs > y->pairs ? -1 : strcmp(x->name, y->name);
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A copy of document did of db: terms with their wdf and positions,
 * boolean terms, data. Caller frees. */
static xc_doc *copy_doc(xc_db *db, xc_docid did, unsigned long long *pairs, xc_error *err)
{
    xc_doc *src = NULL, *d;
    xc_termiter *it;
    xc_term t;
    size_t len;
    const char *data;
    int r;
    if (xc_db_get_document(db, did, &src, err))
        return NULL;
    d = xc_doc_new(err);
    data = xc_doc_data(src, &len);
    if (!d || xc_doc_set_data(d, data, len, err) || !(it = xc_db_termlist(db, did, err))) {
        xc_doc_free(src);
        xc_doc_free(d);
        return NULL;
    }
    while ((r = xc_termiter_next(it, &t, err)) == 1) {
        xc_termpos *pos = NULL;
        size_t npos = 0;
        (*pairs)++;
        if (t.wdf == 0) {
            r = xc_doc_add_boolean_term(d, t.term, t.len, err);
        } else {
            r = xc_db_positions(db, did, t.term, t.len, &pos, &npos, err);
            for (size_t k = 0; r == 0 && k < npos; k++)
                r = xc_doc_add_posting(d, t.term, t.len, pos[k], 1, err);
            if (r == 0 && t.wdf > npos)
                r = xc_doc_add_term(d, t.term, t.len, t.wdf - (uint32_t)npos, err);
            xc_free(pos);
        }
        if (r)
            break;
    }
    xc_termiter_free(it);
    xc_doc_free(src);
    if (r) {
        xc_doc_free(d);
        return NULL;
    }
    return d;
}

/* Writes every document of db into a new database at out; prints the
 * writer's CPU time. */
static int replay(xc_db *db, const char *out, unsigned long batch)
{
    xc_error err = {0};
    xc_docid last = 0;
    unsigned long long pairs = 0, docs = 0;
    double writer = 0, t;
    xc_wdb *w = xc_wdb_open(out, XC_DB_CREATE_OR_OVERWRITE | XC_DB_NO_SYNC, &err);
    if (!w || xc_db_lastdocid(db, &last, &err))
        goto fail;
    t = cpu_now();
    if (xc_wdb_begin_transaction(w, 1, &err))
        goto fail;
    writer += cpu_now() - t;
    for (xc_docid did = 1; did <= last; did++) {
        xc_doc *d = copy_doc(db, did, &pairs, &err);
        if (!d) {
            if (err.code == XC_EDOCNOTFOUND)
                continue;
            goto fail;
        }
        t = cpu_now();
        if (xc_wdb_add_document(w, d, NULL, &err)) {
            xc_doc_free(d);
            goto fail;
        }
        writer += cpu_now() - t;
        xc_doc_free(d);
        docs++;
        if (batch && docs % batch == 0) {
            /* a new transaction, as the indexer's writer commits */
            t = cpu_now();
            if (xc_wdb_commit_transaction(w, &err) || xc_wdb_begin_transaction(w, 1, &err))
                goto fail;
            writer += cpu_now() - t;
        }
    }
    t = cpu_now();
    if (xc_wdb_commit_transaction(w, &err))
        goto fail;
    writer += cpu_now() - t;
    xc_wdb_free(w);
    printf("replay docs=%llu pairs=%llu writer_seconds=%.3f writer_us_per_pair=%.2f\n", docs,
           pairs, writer, pairs ? writer * 1e6 / (double)pairs : 0.0);
    return 0;
fail:
    fprintf(stderr, "dbstats: replay into %s: %s\n", out, err.msg);
    xc_wdb_free(w);
    return 1;
}

int main(int argc, char **argv)
{
    static prefix_count pc[MAXPREFIX];
    size_t npc = 0;
    unsigned long long terms = 0, pairs = 0, wdf = 0;
    uint32_t docs = 0;
    xc_error err = {0};
    xc_db *db;
    xc_termiter *it;
    xc_term t;
    int r;
    unsigned long batch = 0;

    if (argc == 6 && strcmp(argv[4], "--batch") == 0) {
        char *end;
        batch = strtoul(argv[5], &end, 10);
        if (*end || !*argv[5])
            argc = 0; /* the usage below */
        else
            argc = 4;
    }
    if ((argc != 2 && !(argc == 4 && strcmp(argv[2], "--replay") == 0)) ||
        argv[1][0] == '-') {
        fprintf(stderr, "usage: dbstats DB [--replay OUT [--batch N]]\n");
        return 2;
    }
    if (!(db = xc_db_open(argv[1], &err)) || xc_db_doccount(db, &docs, &err) ||
        !(it = xc_db_allterms(db, NULL, 0, &err))) {
        fprintf(stderr, "dbstats: %s: %s\n", argv[1], err.msg);
        xc_db_free(db);
        return 1;
    }
    while ((r = xc_termiter_next(it, &t, &err)) == 1) {
        char name[8];
        size_t k = 0, i;
        uint64_t cf = 0;
        while (k < t.len && k < sizeof name - 1 && t.term[k] >= 'A' && t.term[k] <= 'Z')
            k++;
        if (k)
            memcpy(name, t.term, k);
        else
            name[k++] = '-';
        name[k] = '\0';
        for (i = 0; i < npc && strcmp(pc[i].name, name) != 0; i++)
            ;
        if (i == npc && npc < MAXPREFIX)
            snprintf(pc[npc++].name, sizeof pc[0].name, "%s", name);
        xc_db_collfreq(db, t.term, t.len, &cf, NULL);
        if (i < npc) {
            pc[i].terms++;
            pc[i].pairs += t.freq;
            pc[i].wdf += cf;
        }
        terms++;
        pairs += t.freq;
        wdf += cf;
    }
    xc_termiter_free(it);
    if (r < 0) {
        fprintf(stderr, "dbstats: %s: %s\n", argv[1], err.msg);
        xc_db_free(db);
        return 1;
    }
    printf("db docs=%u terms=%llu pairs=%llu wdf=%llu\n", docs, terms, pairs, wdf);
    qsort(pc, npc, sizeof pc[0], by_pairs);
    for (size_t i = 0; i < npc; i++)
        printf("prefix name=%s terms=%llu pairs=%llu wdf=%llu\n", pc[i].name, pc[i].terms,
               pc[i].pairs, pc[i].wdf);
    fflush(stdout);
    r = argc == 4 ? replay(db, argv[3], batch) : 0;
    xc_db_free(db);
    return r;
}
