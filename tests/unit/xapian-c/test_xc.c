/*
 * test_xc.c: unit tests of the C binding over Xapian (lib/xapian-c/xc.h).
 *
 * Every test works on real glass databases in a temporary folder under /tmp
 * that the group teardown removes; the remote-shard tests start a real
 * xapian-tcpsrv on a free loopback port.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* mkdtemp, clock_gettime, setsid */
#endif

#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <setjmp.h> /* cmocka.h needs stdarg.h, stddef.h and setjmp.h first */
#include <cmocka.h>

#include "polsearch/util.h" /* ps_rmtree */
#include "xapian-c/xc.h"

/* Xapian::Database::check() in libxapian 1.4.22 frees a 440-byte object
 * through a 432-byte type (a sized-delete mismatch inside the library, not
 * in the binding), which would abort AddressSanitizer builds of this test.
 * This hook is only read by ASan builds. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "new_delete_type_mismatch=0";
}

/* ---- fixture ------------------------------------------------------------ */

static char g_root[64];        /* the temporary folder of this run */
static char g_corpus[128];     /* one shard holding the whole sample corpus */

/* Six short documents. Slot 0 holds the year, slot 1 the kind; each also has
 * boolean terms K<kind>, Y<year> and a unique id term Q<n>. */
typedef struct sample_doc {
    const char *text;
    const char *year;
    const char *kind;
} sample_doc;

static const sample_doc corpus[6] = {
    {"party resolution on land reform", "2001", "NQ"},
    {"land law amendment resolution", "2005", "LUAT"},
    {"resolution of the central committee on party building", "2010", "NQ"},
    {"decree on land prices", "2012", "ND"},
    {"party building and rectification", "2015", "NQ"},
    {"central committee conclusion on land", "2018", "KL"},
};

static void path_in_root(char *buf, size_t size, const char *name)
{
    int n = snprintf(buf, size, "%s/%s", g_root, name);
    assert_true(n > 0 && (size_t)n < size);
}

static void expect_ok(int rc, const xc_error *err)
{
    if (rc != XC_OK)
        fail_msg("xc call failed: %s %s: %s", xc_rc_name(rc), err->type, err->msg);
}

/* A document from corpus[i]: one posting per word, positions from 1. */
static xc_doc *build_doc(size_t i)
{
    xc_error err = {0};
    xc_doc *doc = xc_doc_new(&err);
    assert_non_null(doc);
    const char *text = corpus[i].text;
    expect_ok(xc_doc_set_data(doc, text, strlen(text), &err), &err);
    xc_termpos pos = 1;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, " ");
        if (n)
            expect_ok(xc_doc_add_posting(doc, p, n, pos++, 1, &err), &err);
        p += n;
        p += strspn(p, " ");
    }
    char term[32];
    snprintf(term, sizeof term, "K%s", corpus[i].kind);
    expect_ok(xc_doc_add_boolean_term(doc, term, strlen(term), &err), &err);
    snprintf(term, sizeof term, "Y%s", corpus[i].year);
    expect_ok(xc_doc_add_boolean_term(doc, term, strlen(term), &err), &err);
    snprintf(term, sizeof term, "Q%zu", i + 1);
    expect_ok(xc_doc_add_boolean_term(doc, term, strlen(term), &err), &err);
    expect_ok(xc_doc_set_value(doc, 0, corpus[i].year, 4, &err), &err);
    expect_ok(xc_doc_set_value(doc, 1, corpus[i].kind, strlen(corpus[i].kind), &err), &err);
    return doc;
}

/* Writes corpus[from..to) into a new database at path and commits. */
static void write_shard(const char *path, size_t from, size_t to)
{
    xc_error err = {0};
    xc_wdb *w = xc_wdb_open(path, XC_DB_CREATE_OR_OVERWRITE | XC_DB_NO_SYNC, &err);
    if (!w)
        fail_msg("xc_wdb_open: %s", err.msg);
    for (size_t i = from; i < to; i++) {
        xc_doc *doc = build_doc(i);
        expect_ok(xc_wdb_add_document(w, doc, NULL, &err), &err);
        xc_doc_free(doc);
    }
    expect_ok(xc_wdb_commit(w, &err), &err);
    xc_wdb_free(w);
}

static int group_setup(void **state)
{
    (void)state;
    snprintf(g_root, sizeof g_root, "/tmp/test_xc-XXXXXX");
    if (!mkdtemp(g_root))
        return -1;
    path_in_root(g_corpus, sizeof g_corpus, "corpus");
    write_shard(g_corpus, 0, 6);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    ps_rmtree(g_root);
    return 0;
}

static xc_db *open_corpus(void)
{
    xc_error err = {0};
    xc_db *db = xc_db_open(g_corpus, &err);
    if (!db)
        fail_msg("xc_db_open: %s", err.msg);
    return db;
}

/* ---- query helpers ------------------------------------------------------ */

static xc_query *T(const char *term)
{
    xc_error err = {0};
    xc_query *q = xc_query_term(term, strlen(term), 1, 0, &err);
    assert_non_null(q);
    return q;
}

/* Combines the n queries that follow and frees them. */
static xc_query *combine(xc_op op, unsigned param, size_t n, ...)
{
    xc_query *subs[8];
    assert_true(n <= 8);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        subs[i] = va_arg(ap, xc_query *);
    va_end(ap);
    xc_error err = {0};
    xc_query *q = xc_query_combine(op, subs, n, param, &err);
    if (!q)
        fail_msg("xc_query_combine: %s", err.msg);
    for (size_t i = 0; i < n; i++)
        xc_query_free(subs[i]);
    return q;
}

typedef struct ranked {
    uint32_t n;
    xc_docid id[16];
    double weight[16];
} ranked;

/* Runs q (freed here) on db with default settings. */
static ranked run_query(xc_db *db, xc_query *q)
{
    xc_error err = {0};
    ranked r;
    memset(&r, 0, sizeof r);
    xc_enquire *e = xc_enquire_new(db, &err);
    assert_non_null(e);
    expect_ok(xc_enquire_set_query(e, q, 0, &err), &err);
    xc_mset *m = xc_enquire_mset(e, 0, 16, 100, &err);
    if (!m)
        fail_msg("xc_enquire_mset: %s", err.msg);
    r.n = xc_mset_size(m);
    for (uint32_t i = 0; i < r.n; i++) {
        r.id[i] = xc_mset_docid(m, i);
        r.weight[i] = xc_mset_weight(m, i);
    }
    xc_mset_free(m);
    xc_enquire_free(e);
    xc_query_free(q);
    return r;
}

/* "1 3 5" -> {1, 3, 5} */
static uint32_t parse_ids(const char *s, xc_docid *ids, uint32_t max)
{
    uint32_t n = 0;
    char *end;
    for (unsigned long v = strtoul(s, &end, 10); end != s; v = strtoul(s, &end, 10)) {
        assert_true(n < max);
        ids[n++] = (xc_docid)v;
        s = end;
    }
    return n;
}

static int cmp_docid(const void *a, const void *b)
{
    xc_docid x = *(const xc_docid *)a, y = *(const xc_docid *)b;
    return (x > y) - (x < y);
}

/* The set of documents matching q (freed here) must be exactly expect. */
static void expect_set(xc_db *db, xc_query *q, const char *expect)
{
    xc_docid want[16];
    uint32_t nwant = parse_ids(expect, want, 16);
    ranked r = run_query(db, q);
    qsort(r.id, r.n, sizeof r.id[0], cmp_docid);
    assert_int_equal(r.n, nwant);
    for (uint32_t i = 0; i < nwant; i++)
        assert_int_equal(r.id[i], want[i]);
}

/* The ranked docids of an MSet must be exactly expect, in order. */
static void expect_order(const xc_mset *m, const char *expect)
{
    xc_docid want[16];
    uint32_t nwant = parse_ids(expect, want, 16);
    assert_int_equal(xc_mset_size(m), nwant);
    for (uint32_t i = 0; i < nwant; i++)
        assert_int_equal(xc_mset_docid(m, i), want[i]);
}

static const char *data_of(xc_db *db, xc_docid did, char *buf, size_t size)
{
    xc_error err = {0};
    xc_doc *doc = NULL;
    expect_ok(xc_db_get_document(db, did, &doc, &err), &err);
    size_t len;
    const char *data = xc_doc_data(doc, &len);
    assert_non_null(data);
    snprintf(buf, size, "%.*s", (int)len, data);
    xc_doc_free(doc);
    return buf;
}

static uint32_t doccount(xc_db *db)
{
    xc_error err = {0};
    uint32_t n = 0;
    expect_ok(xc_db_doccount(db, &n, &err), &err);
    return n;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- basics and errors --------------------------------------------------- */

static void test_version_names_and_null_frees(void **state)
{
    (void)state;
    assert_string_equal(xc_rc_name(XC_OK), "OK");
    assert_string_equal(xc_rc_name(XC_ELOCK), "ELOCK");
    assert_string_equal(xc_rc_name(XC_ENETWORK), "ENETWORK");
    assert_string_equal(xc_rc_name(999), "EUNKNOWN");
    assert_true(strncmp(xc_version(), "1.4.", 4) == 0);
    /* Freeing NULL is a no-op for every handle type. */
    xc_free(NULL);
    xc_db_free(NULL);
    xc_wdb_free(NULL);
    xc_doc_free(NULL);
    xc_termiter_free(NULL);
    xc_postiter_free(NULL);
    xc_valueiter_free(NULL);
    xc_query_free(NULL);
    xc_enquire_free(NULL);
    xc_mset_free(NULL);
    /* NULL handles are argument errors, not crashes. */
    xc_error err = {0};
    uint32_t n;
    assert_int_equal(xc_db_doccount(NULL, &n, &err), XC_EINVALIDARG);
    assert_int_equal(err.code, XC_EINVALIDARG);
    assert_string_equal(err.type, "InvalidArgumentError");
}

static void test_open_missing(void **state)
{
    (void)state;
    char path[160];
    path_in_root(path, sizeof path, "no-such-db");
    xc_error err = {0};
    xc_db *db = xc_db_open(path, &err);
    assert_null(db);
    assert_int_equal(err.code, XC_EOPENING);
    assert_true(strlen(err.msg) > 0);
    assert_true(strlen(err.type) > 0);
    /* The writer refuses DB_OPEN on a missing folder the same way. */
    memset(&err, 0, sizeof err);
    assert_null(xc_wdb_open(path, XC_DB_OPEN, &err));
    assert_int_equal(err.code, XC_EOPENING);
    /* An action outside the enum is refused before Xapian sees it. */
    memset(&err, 0, sizeof err);
    assert_null(xc_wdb_open(path, 0, &err));
    assert_int_equal(err.code, XC_EINVALIDARG);
    assert_null(xc_wdb_open(path, XC_DB_CREATE | 0x1000u, &err));
    assert_int_equal(err.code, XC_EINVALIDARG);
}

static void test_create_commit_reopen(void **state)
{
    (void)state;
    char path[160];
    path_in_root(path, sizeof path, "lifecycle");
    xc_error err = {0};
    xc_wdb *w = xc_wdb_open(path, XC_DB_CREATE | XC_DB_NO_SYNC, &err);
    assert_non_null(w);
    xc_doc *doc = build_doc(0);
    xc_docid did = 0;
    expect_ok(xc_wdb_add_document(w, doc, &did, &err), &err);
    assert_int_equal(did, 1);
    expect_ok(xc_wdb_commit(w, &err), &err);

    xc_db *reader = xc_db_open(path, &err);
    assert_non_null(reader);
    assert_int_equal(doccount(reader), 1);
    uint64_t rev1 = 0;
    expect_ok(xc_db_revision(reader, &rev1, &err), &err);

    /* The writer's view sees uncommitted changes; the reader does not. */
    expect_ok(xc_wdb_add_document(w, doc, &did, &err), &err);
    assert_int_equal(did, 2);
    assert_int_equal(doccount(xc_wdb_db(w)), 2);
    assert_int_equal(doccount(reader), 1);

    expect_ok(xc_wdb_commit(w, &err), &err);
    int changed = -1;
    expect_ok(xc_db_reopen(reader, &changed, &err), &err);
    assert_int_equal(changed, 1);
    assert_int_equal(doccount(reader), 2);
    expect_ok(xc_db_reopen(reader, &changed, &err), &err);
    assert_int_equal(changed, 0);
    uint64_t rev2 = 0;
    expect_ok(xc_db_revision(reader, &rev2, &err), &err);
    assert_true(rev2 > rev1);

    xc_docid last = 0;
    expect_ok(xc_db_lastdocid(reader, &last, &err), &err);
    assert_int_equal(last, 2);
    uint32_t len = 0;
    expect_ok(xc_db_doclength(reader, 1, &len, &err), &err);
    assert_int_equal(len, 5); /* five words; the boolean terms weigh nothing */
    double av = 0;
    expect_ok(xc_db_avlength(reader, &av, &err), &err);
    assert_true(fabs(av - 5.0) < 1e-9);

    /* Freeing the writer commits what is pending. */
    expect_ok(xc_wdb_add_document(w, doc, NULL, &err), &err);
    xc_wdb_free(w);
    xc_doc_free(doc);
    expect_ok(xc_db_reopen(reader, NULL, &err), &err);
    assert_int_equal(doccount(reader), 3);

    /* After close() every call fails with EDATABASE. */
    expect_ok(xc_db_close(reader, &err), &err);
    uint32_t n;
    assert_int_equal(xc_db_doccount(reader, &n, &err), XC_EDATABASE);
    assert_true(strlen(err.msg) > 0);
    xc_db_free(reader);

    /* CREATE on an existing database fails; OPEN and CREATE_OR_OPEN work. */
    memset(&err, 0, sizeof err);
    assert_null(xc_wdb_open(path, XC_DB_CREATE, &err));
    assert_int_equal(err.code, XC_EDATABASE);
    w = xc_wdb_open(path, XC_DB_OPEN | XC_DB_RETRY_LOCK, &err);
    assert_non_null(w);
    assert_int_equal(doccount(xc_wdb_db(w)), 3);
    xc_wdb_free(w);
    w = xc_wdb_open(path, XC_DB_CREATE_OR_OVERWRITE | XC_DB_FULL_SYNC, &err);
    assert_non_null(w);
    assert_int_equal(doccount(xc_wdb_db(w)), 0);
    xc_wdb_free(w);
}

static void test_second_writer_is_locked_out(void **state)
{
    (void)state;
    char path[160];
    path_in_root(path, sizeof path, "locked");
    xc_error err = {0};
    xc_wdb *w = xc_wdb_open(path, XC_DB_CREATE_OR_OPEN | XC_DB_NO_SYNC, &err);
    assert_non_null(w);
    xc_wdb *w2 = xc_wdb_open(path, XC_DB_CREATE_OR_OPEN, &err);
    assert_null(w2);
    assert_int_equal(err.code, XC_ELOCK);
    assert_string_equal(err.type, "DatabaseLockError");
    assert_true(strlen(err.msg) > 0);
    xc_wdb_free(w);
    /* Once the first writer is gone the lock is free. */
    w2 = xc_wdb_open(path, XC_DB_OPEN, &err);
    assert_non_null(w2);
    xc_wdb_free(w2);
}

/* ---- documents ----------------------------------------------------------- */

static void test_documents(void **state)
{
    (void)state;
    char path[160];
    path_in_root(path, sizeof path, "documents");
    xc_error err = {0};
    xc_wdb *w = xc_wdb_open(path, XC_DB_CREATE_OR_OVERWRITE | XC_DB_NO_SYNC, &err);
    assert_non_null(w);
    xc_db *view = xc_wdb_db(w);

    xc_doc *a = xc_doc_new(&err);
    assert_non_null(a);
    assert_int_equal(xc_doc_docid(a), 0);
    expect_ok(xc_doc_set_data(a, "alpha\0beta", 10, &err), &err);
    expect_ok(xc_doc_add_posting(a, "x", 1, 1, 1, &err), &err);
    expect_ok(xc_doc_add_term(a, "y", 1, 2, &err), &err);
    expect_ok(xc_doc_set_value(a, 3, "v3", 2, &err), &err);
    size_t len = 99;
    const char *val = xc_doc_value(a, 7, &len);
    assert_non_null(val);
    assert_int_equal(len, 0); /* unset slot reads as "" */
    val = xc_doc_value(a, 3, &len);
    assert_int_equal(len, 2);
    assert_memory_equal(val, "v3", 2);
    /* Empty terms are Xapian argument errors. */
    assert_int_equal(xc_doc_add_posting(a, "", 0, 1, 1, &err), XC_EINVALIDARG);
    assert_int_equal(xc_doc_add_term(a, NULL, 3, 1, &err), XC_EINVALIDARG);

    /* A boolean term (wdf 0) leaves the document length unchanged. */
    xc_docid id_plain = 0, id_bool = 0;
    expect_ok(xc_wdb_add_document(w, a, &id_plain, &err), &err);
    expect_ok(xc_doc_add_boolean_term(a, "Bflag", 5, &err), &err);
    expect_ok(xc_wdb_add_document(w, a, &id_bool, &err), &err);
    uint32_t l1 = 0, l2 = 0;
    expect_ok(xc_db_doclength(view, id_plain, &l1, &err), &err);
    expect_ok(xc_db_doclength(view, id_bool, &l2, &err), &err);
    assert_int_equal(l1, 3);
    assert_int_equal(l2, 3);

    /* The in-memory term list: sorted, with wdf; it outlives the handle. */
    xc_termiter *it = xc_doc_termlist(a, &err);
    assert_non_null(it);
    xc_doc_free(a);
    xc_term t;
    assert_int_equal(xc_termiter_next(it, &t, &err), 1);
    assert_int_equal(t.len, 5);
    assert_memory_equal(t.term, "Bflag", 5);
    assert_int_equal(t.wdf, 0);
    assert_int_equal(xc_termiter_next(it, &t, &err), 1);
    assert_memory_equal(t.term, "x", 1);
    assert_int_equal(t.wdf, 1);
    assert_int_equal(xc_termiter_next(it, &t, &err), 1);
    assert_memory_equal(t.term, "y", 1);
    assert_int_equal(t.wdf, 2);
    assert_int_equal(xc_termiter_next(it, &t, &err), 0);
    assert_int_equal(xc_termiter_next(it, &t, &err), 0); /* stays at the end */
    xc_termiter_free(it);

    /* Fetched documents carry their id, data (binary-safe) and values. */
    xc_doc *got = NULL;
    expect_ok(xc_db_get_document(view, id_bool, &got, &err), &err);
    assert_int_equal(xc_doc_docid(got), id_bool);
    const char *data = xc_doc_data(got, &len);
    assert_int_equal(len, 10);
    assert_memory_equal(data, "alpha\0beta", 10);
    /* Borrowed until the document changes: asking again keeps it valid. */
    assert_ptr_equal(xc_doc_data(got, &len), data);
    val = xc_doc_value(got, 3, &len);
    assert_int_equal(len, 2);
    assert_memory_equal(val, "v3", 2);
    xc_doc_free(got);

    uint32_t tf = 0;
    uint64_t cf = 0;
    expect_ok(xc_db_termfreq(view, "y", 1, &tf, &err), &err);
    expect_ok(xc_db_collfreq(view, "y", 1, &cf, &err), &err);
    assert_int_equal(tf, 2);
    assert_int_equal(cf, 4);
    expect_ok(xc_db_termfreq(view, "absent", 6, &tf, &err), &err);
    assert_int_equal(tf, 0);

    /* Replace by id. */
    xc_doc *b = xc_doc_new(&err);
    expect_ok(xc_doc_set_data(b, "bravo", 5, &err), &err);
    expect_ok(xc_doc_add_term(b, "z", 1, 1, &err), &err);
    expect_ok(xc_wdb_replace_document(w, id_plain, b, &err), &err);
    char buf[64];
    assert_string_equal(data_of(view, id_plain, buf, sizeof buf), "bravo");
    assert_int_equal(doccount(view), 2);

    /* Replace by unique term: adds when none has it, then replaces. */
    xc_doc *c = xc_doc_new(&err);
    expect_ok(xc_doc_add_boolean_term(c, "Qid7", 4, &err), &err);
    expect_ok(xc_doc_set_data(c, "first", 5, &err), &err);
    xc_docid id_c = 0, id_c2 = 0;
    expect_ok(xc_wdb_replace_document_term(w, "Qid7", 4, c, &id_c, &err), &err);
    assert_int_equal(id_c, 3);
    assert_int_equal(doccount(view), 3);
    expect_ok(xc_doc_set_data(c, "second", 6, &err), &err);
    expect_ok(xc_wdb_replace_document_term(w, "Qid7", 4, c, &id_c2, &err), &err);
    assert_int_equal(id_c2, id_c);
    assert_int_equal(doccount(view), 3);
    assert_string_equal(data_of(view, id_c, buf, sizeof buf), "second");

    /* Delete by term (an absent term is not an error), then by id. */
    expect_ok(xc_wdb_delete_documents_term(w, "Qid7", 4, &err), &err);
    assert_int_equal(doccount(view), 2);
    expect_ok(xc_wdb_delete_documents_term(w, "Qnone", 5, &err), &err);
    expect_ok(xc_wdb_delete_document(w, id_plain, &err), &err);
    assert_int_equal(doccount(view), 1);

    /* A deleted docid is not found, whichever way it is asked for. */
    memset(&err, 0, sizeof err);
    got = NULL;
    assert_int_equal(xc_db_get_document(view, id_plain, &got, &err), XC_EDOCNOTFOUND);
    assert_null(got);
    assert_string_equal(err.type, "DocNotFoundError");
    assert_true(strlen(err.msg) > 0);
    assert_int_equal(xc_db_doclength(view, id_plain, &l1, &err), XC_EDOCNOTFOUND);
    assert_int_equal(xc_wdb_delete_document(w, id_plain, &err), XC_EDOCNOTFOUND);

    /* Setting a value to "" removes it; clear_terms empties the term list. */
    expect_ok(xc_doc_set_value(b, 3, "x", 1, &err), &err);
    expect_ok(xc_doc_set_value(b, 3, "", 0, &err), &err);
    xc_doc_value(b, 3, &len);
    assert_int_equal(len, 0);
    expect_ok(xc_doc_clear_terms(b, &err), &err);
    it = xc_doc_termlist(b, &err);
    assert_int_equal(xc_termiter_next(it, &t, &err), 0);
    xc_termiter_free(it);

    xc_doc_free(b);
    xc_doc_free(c);
    xc_wdb_free(w);
}

static void test_sortable_serialise(void **state)
{
    (void)state;
    char a[9], b[9];
    size_t na = xc_sortable_serialise(-3.5, a);
    size_t nb = xc_sortable_serialise(1234.25, b);
    assert_true(na > 0 && na <= 9);
    assert_true(nb > 0 && nb <= 9);
    /* Bytewise order follows numeric order. */
    size_t n = na < nb ? na : nb;
    int c = memcmp(a, b, n);
    assert_true(c < 0 || (c == 0 && na < nb));
    assert_true(xc_sortable_unserialise(a, na) == -3.5);
    assert_true(xc_sortable_unserialise(b, nb) == 1234.25);
}

/* ---- iterators ------------------------------------------------------------ */

static void test_termlist_allterms(void **state)
{
    (void)state;
    xc_error err = {0};
    xc_db *db = open_corpus();
    static const char *const want[] = {"KNQ",  "Q1",     "Y2001",     "land",
                                       "on",   "party",  "reform",    "resolution"};
    xc_termiter *it = xc_db_termlist(db, 1, &err);
    assert_non_null(it);
    xc_term t;
    size_t i = 0;
    int r;
    while ((r = xc_termiter_next(it, &t, &err)) == 1) {
        assert_true(i < 8);
        assert_int_equal(t.len, strlen(want[i]));
        assert_memory_equal(t.term, want[i], t.len);
        assert_int_equal(t.wdf, want[i][0] >= 'a' ? 1 : 0);
        assert_int_equal(t.freq, 0);
        i++;
    }
    assert_int_equal(r, 0);
    assert_int_equal(i, 8);
    xc_termiter_free(it);

    /* A missing document has no term list. */
    assert_null(xc_db_termlist(db, 99, &err));
    assert_int_equal(err.code, XC_EDOCNOTFOUND);

    /* All terms with a prefix, sorted, with term frequencies. */
    it = xc_db_allterms(db, "re", 2, &err);
    assert_non_null(it);
    assert_int_equal(xc_termiter_next(it, &t, &err), 1);
    assert_memory_equal(t.term, "rectification", t.len);
    assert_int_equal(t.freq, 1);
    assert_int_equal(xc_termiter_next(it, &t, &err), 1);
    assert_memory_equal(t.term, "reform", t.len);
    assert_int_equal(t.freq, 1);
    assert_int_equal(xc_termiter_next(it, &t, &err), 1);
    assert_int_equal(t.len, 10);
    assert_memory_equal(t.term, "resolution", 10);
    assert_int_equal(t.freq, 3);
    assert_int_equal(xc_termiter_next(it, &t, &err), 0);
    xc_termiter_free(it);

    /* No prefix: every term; boolean K terms sort first (uppercase). */
    it = xc_db_allterms(db, NULL, 0, &err);
    assert_non_null(it);
    size_t count = 0;
    while (xc_termiter_next(it, &t, &err) == 1) {
        if (count == 0)
            assert_memory_equal(t.term, "KKL", 3);
        count++;
    }
    /* 4 kinds + 6 ids + 6 years + 17 distinct words */
    assert_int_equal(count, 33);
    xc_termiter_free(it);
    xc_db_free(db);
}

static void test_postlist_values_positions(void **state)
{
    (void)state;
    xc_error err = {0};
    xc_db *db = open_corpus();

    xc_postiter *p = xc_db_postlist(db, "land", 4, &err);
    assert_non_null(p);
    xc_docid did = 0;
    uint32_t wdf = 0;
    assert_int_equal(xc_postiter_next(p, &did, &wdf, &err), 1);
    assert_int_equal(did, 1);
    assert_int_equal(wdf, 1);
    expect_ok(xc_postiter_skip_to(p, 3, &err), &err);
    assert_int_equal(xc_postiter_next(p, &did, &wdf, &err), 1);
    assert_int_equal(did, 4);
    /* Skipping backwards does not rewind: next() gives the following item. */
    expect_ok(xc_postiter_skip_to(p, 2, &err), &err);
    assert_int_equal(xc_postiter_next(p, &did, &wdf, &err), 1);
    assert_int_equal(did, 6);
    assert_int_equal(xc_postiter_next(p, &did, &wdf, &err), 0);
    assert_int_equal(xc_postiter_next(p, &did, &wdf, &err), 0);
    expect_ok(xc_postiter_skip_to(p, 9, &err), &err);
    xc_postiter_free(p);

    /* skip_to before the first next(); an exact hit is returned. */
    p = xc_db_postlist(db, "land", 4, &err);
    expect_ok(xc_postiter_skip_to(p, 2, &err), &err);
    assert_int_equal(xc_postiter_next(p, &did, NULL, &err), 1);
    assert_int_equal(did, 2);
    xc_postiter_free(p);

    /* "" walks every document. */
    p = xc_db_postlist(db, "", 0, &err);
    uint32_t n = 0;
    while (xc_postiter_next(p, &did, NULL, &err) == 1)
        assert_int_equal(did, ++n);
    assert_int_equal(n, 6);
    xc_postiter_free(p);

    /* An absent term gives an empty list, and skip_to on it is harmless. */
    p = xc_db_postlist(db, "absent", 6, &err);
    assert_non_null(p);
    expect_ok(xc_postiter_skip_to(p, 3, &err), &err);
    assert_int_equal(xc_postiter_next(p, &did, NULL, &err), 0);
    xc_postiter_free(p);

    /* The year slot over all documents, ascending docid. */
    xc_valueiter *v = xc_db_values(db, 0, &err);
    assert_non_null(v);
    const char *val;
    size_t len;
    n = 0;
    while (xc_valueiter_next(v, &did, &val, &len, &err) == 1) {
        assert_int_equal(did, n + 1);
        assert_int_equal(len, 4);
        assert_memory_equal(val, corpus[n].year, 4);
        n++;
    }
    assert_int_equal(n, 6);
    assert_int_equal(xc_valueiter_next(v, &did, &val, &len, &err), 0);
    xc_valueiter_free(v);
    v = xc_db_values(db, 9, &err); /* an unused slot */
    assert_int_equal(xc_valueiter_next(v, &did, &val, &len, &err), 0);
    xc_valueiter_free(v);

    /* Positions are 1-based word numbers from build_doc(). */
    xc_termpos *pos = NULL;
    size_t npos = 0;
    expect_ok(xc_db_positions(db, 3, "party", 5, &pos, &npos, &err), &err);
    assert_int_equal(npos, 1);
    assert_int_equal(pos[0], 7);
    xc_free(pos);
    expect_ok(xc_db_positions(db, 3, "land", 4, &pos, &npos, &err), &err);
    assert_int_equal(npos, 0);
    assert_null(pos);
    /* Boolean terms have no positions. */
    expect_ok(xc_db_positions(db, 3, "KNQ", 3, &pos, &npos, &err), &err);
    assert_int_equal(npos, 0);
    xc_db_free(db);
}

/* ---- metadata, spelling, synonyms, transactions --------------------------- */

static void test_metadata_spelling_synonyms(void **state)
{
    (void)state;
    char path[160];
    path_in_root(path, sizeof path, "meta");
    xc_error err = {0};
    xc_wdb *w = xc_wdb_open(path, XC_DB_CREATE_OR_OVERWRITE | XC_DB_NO_SYNC, &err);
    assert_non_null(w);
    xc_db *view = xc_wdb_db(w);

    expect_ok(xc_wdb_set_metadata(w, "format", "v1\0x", 4, &err), &err);
    char *out = NULL;
    size_t len = 0;
    expect_ok(xc_db_get_metadata(view, "format", &out, &len, &err), &err);
    assert_int_equal(len, 4);
    assert_memory_equal(out, "v1\0x", 4);
    xc_free(out);
    expect_ok(xc_db_get_metadata(view, "unset", &out, &len, &err), &err);
    assert_null(out);
    assert_int_equal(len, 0);
    assert_int_equal(xc_db_get_metadata(view, "", &out, &len, &err), XC_EINVALIDARG);

    expect_ok(xc_wdb_add_spelling(w, "resolution", 10, 3, &err), &err);
    expect_ok(xc_wdb_add_spelling(w, "revolution", 10, 1, &err), &err);
    expect_ok(xc_wdb_add_synonym(w, "law", "statute", &err), &err);
    expect_ok(xc_wdb_add_synonym(w, "law", "luat", &err), &err);
    expect_ok(xc_wdb_commit(w, &err), &err);

    /* Read back through a separate reader after the commit. */
    xc_db *db = xc_db_open(path, &err);
    assert_non_null(db);
    expect_ok(xc_db_get_metadata(db, "format", &out, &len, &err), &err);
    assert_int_equal(len, 4);
    xc_free(out);

    size_t slen = 0;
    expect_ok(xc_db_spelling(db, "resolutoin", 10, 2, &out, &slen, &err), &err);
    assert_non_null(out);
    assert_int_equal(slen, 10);
    assert_string_equal(out, "resolution");
    xc_free(out);
    expect_ok(xc_db_spelling(db, "zzzzzz", 6, 2, &out, &slen, &err), &err);
    assert_null(out);
    assert_int_equal(slen, 0);

    xc_termiter *it = xc_db_synonyms(db, "law", 3, &err);
    assert_non_null(it);
    xc_term t;
    assert_int_equal(xc_termiter_next(it, &t, &err), 1);
    assert_int_equal(t.len, 4);
    assert_memory_equal(t.term, "luat", 4);
    assert_int_equal(xc_termiter_next(it, &t, &err), 1);
    assert_memory_equal(t.term, "statute", 7);
    assert_int_equal(xc_termiter_next(it, &t, &err), 0);
    xc_termiter_free(it);

    /* Remove the word and the synonyms again. */
    expect_ok(xc_wdb_remove_spelling(w, "resolution", 10, 3, &err), &err);
    expect_ok(xc_wdb_clear_synonyms(w, "law", &err), &err);
    expect_ok(xc_wdb_set_metadata(w, "format", "", 0, &err), &err);
    expect_ok(xc_wdb_commit(w, &err), &err);
    expect_ok(xc_db_reopen(db, NULL, &err), &err);
    expect_ok(xc_db_spelling(db, "resolutoin", 10, 1, &out, &slen, &err), &err);
    assert_null(out);
    it = xc_db_synonyms(db, "law", 3, &err);
    assert_int_equal(xc_termiter_next(it, &t, &err), 0);
    xc_termiter_free(it);
    expect_ok(xc_db_get_metadata(db, "format", &out, &len, &err), &err);
    assert_null(out);

    xc_db_free(db);
    xc_wdb_free(w);
}

static void test_transactions(void **state)
{
    (void)state;
    char path[160];
    path_in_root(path, sizeof path, "txn");
    xc_error err = {0};
    xc_wdb *w = xc_wdb_open(path, XC_DB_CREATE_OR_OVERWRITE | XC_DB_NO_SYNC, &err);
    assert_non_null(w);
    xc_doc *doc = build_doc(1);

    /* Cancel discards the transaction's changes. */
    expect_ok(xc_wdb_begin_transaction(w, 1, &err), &err);
    expect_ok(xc_wdb_add_document(w, doc, NULL, &err), &err);
    assert_int_equal(doccount(xc_wdb_db(w)), 1);
    expect_ok(xc_wdb_cancel_transaction(w, &err), &err);
    assert_int_equal(doccount(xc_wdb_db(w)), 0);

    /* Commit keeps them, and a flushed transaction is on disk at once. */
    expect_ok(xc_wdb_begin_transaction(w, 1, &err), &err);
    expect_ok(xc_wdb_add_document(w, doc, NULL, &err), &err);
    expect_ok(xc_wdb_commit_transaction(w, &err), &err);
    xc_db *reader = xc_db_open(path, &err);
    assert_non_null(reader);
    assert_int_equal(doccount(reader), 1);

    /* Transactions don't nest, and there is nothing to commit outside one. */
    expect_ok(xc_wdb_begin_transaction(w, 0, &err), &err);
    assert_int_equal(xc_wdb_begin_transaction(w, 0, &err), XC_EINVALIDARG);
    expect_ok(xc_wdb_commit_transaction(w, &err), &err);
    assert_int_equal(xc_wdb_commit_transaction(w, &err), XC_EINVALIDARG);

    /* Freeing the writer inside a transaction discards it. */
    expect_ok(xc_wdb_begin_transaction(w, 1, &err), &err);
    expect_ok(xc_wdb_add_document(w, doc, NULL, &err), &err);
    xc_wdb_free(w);
    expect_ok(xc_db_reopen(reader, NULL, &err), &err);
    assert_int_equal(doccount(reader), 1);

    xc_db_free(reader);
    xc_doc_free(doc);
}

/* ---- queries -------------------------------------------------------------- */

static void test_boolean_operators(void **state)
{
    (void)state;
    xc_db *db = open_corpus();
    expect_set(db, combine(XC_OP_AND, 0, 2, T("party"), T("resolution")), "1 3");
    expect_set(db, combine(XC_OP_OR, 0, 2, T("decree"), T("law")), "2 4");
    expect_set(db, combine(XC_OP_AND_NOT, 0, 2, T("land"), T("party")), "2 4 6");
    expect_set(db, combine(XC_OP_XOR, 0, 2, T("party"), T("land")), "2 3 4 5 6");
    expect_set(db, combine(XC_OP_FILTER, 0, 2, T("land"), T("KNQ")), "1");
    expect_set(db, combine(XC_OP_SYNONYM, 0, 2, T("law"), T("decree")), "2 4");
    expect_set(db, combine(XC_OP_MAX, 0, 2, T("law"), T("decree")), "2 4");
    /* No subqueries: matches nothing. */
    expect_set(db, combine(XC_OP_OR, 0, 0), "");

    /* AND_MAYBE: the matches of the left side, ranked up by the right. */
    ranked r = run_query(db, combine(XC_OP_AND_MAYBE, 0, 2, T("land"), T("party")));
    assert_int_equal(r.n, 4);
    assert_int_equal(r.id[0], 1);

    /* FILTER adds no weight: same weight as the bare term. */
    ranked bare = run_query(db, T("land"));
    r = run_query(db, combine(XC_OP_FILTER, 0, 2, T("land"), T("KNQ")));
    double w_land_1 = 0;
    for (uint32_t i = 0; i < bare.n; i++)
        if (bare.id[i] == 1)
            w_land_1 = bare.weight[i];
    assert_true(fabs(r.weight[0] - w_land_1) < 1e-9);

    /* MAX weighs a document by its best subquery, OR by the sum. */
    ranked mx = run_query(db, combine(XC_OP_MAX, 0, 2, T("party"), T("land")));
    ranked sum = run_query(db, combine(XC_OP_OR, 0, 2, T("party"), T("land")));
    assert_int_equal(mx.n, 6);
    assert_int_equal(sum.id[0], 1);
    double w_max_1 = 0;
    for (uint32_t i = 0; i < mx.n; i++)
        if (mx.id[i] == 1)
            w_max_1 = mx.weight[i];
    assert_true(w_max_1 > 0 && w_max_1 < sum.weight[0]);

    /* SYNONYM weighs the group as one term found in two documents, so a
     * match weighs less than under OR, where each term alone is rarer. */
    ranked syn = run_query(db, combine(XC_OP_SYNONYM, 0, 2, T("law"), T("decree")));
    ranked orr = run_query(db, combine(XC_OP_OR, 0, 2, T("law"), T("decree")));
    assert_true(syn.weight[0] < orr.weight[0]);
    xc_db_free(db);
}

static void test_positional_operators(void **state)
{
    (void)state;
    xc_db *db = open_corpus();
    /* Doc 3 and 5 have "party building" side by side. */
    expect_set(db, combine(XC_OP_NEAR, 2, 2, T("building"), T("party")), "3 5");
    /* "central ... land" in doc 6 spans five positions. */
    expect_set(db, combine(XC_OP_NEAR, 3, 2, T("central"), T("land")), "");
    expect_set(db, combine(XC_OP_NEAR, 5, 2, T("central"), T("land")), "6");
    /* PHRASE keeps the order. */
    expect_set(db, combine(XC_OP_PHRASE, 0, 2, T("central"), T("committee")), "3 6");
    expect_set(db, combine(XC_OP_PHRASE, 0, 2, T("committee"), T("central")), "");
    /* Doc 1: "resolution on land" fits a window of 3, not the default 2. */
    expect_set(db, combine(XC_OP_PHRASE, 0, 2, T("resolution"), T("land")), "");
    expect_set(db, combine(XC_OP_PHRASE, 3, 2, T("resolution"), T("land")), "1");
    /* ...while doc 2's "land ... resolution" is in the wrong order. */
    expect_set(db, combine(XC_OP_NEAR, 4, 2, T("resolution"), T("land")), "1 2");
    xc_db_free(db);
}

/* xc_db_walk: every match once, in docid order; skips leave documents. */
typedef struct walk_log {
    xc_docid skip_from, skip_to; /* asked for a docid in [from, to): answer to */
    xc_docid stop_at;            /* asked for this or later: no more (0: never) */
    xc_docid matched[16];
    size_t n, asked;
    xc_docid last_asked;
} walk_log;

static xc_docid walk_skip_cb(void *ctx, xc_docid did)
{
    walk_log *w = ctx;
    w->asked++;
    w->last_asked = did;
    if (w->stop_at && did >= w->stop_at)
        return 0;
    if (did >= w->skip_from && did < w->skip_to)
        return w->skip_to;
    return did;
}

static void walk_match_cb(void *ctx, xc_docid did)
{
    walk_log *w = ctx;
    assert_true(w->n == 0 || did > w->matched[w->n - 1]); /* ascending, once each */
    assert_true(w->n < 16);
    w->matched[w->n++] = did;
}

static void expect_walk(xc_db *db, const xc_query *q, walk_log *w, const char *expect)
{
    xc_error err = {0};
    xc_docid want[16];
    uint32_t nwant = parse_ids(expect, want, 16);
    w->n = w->asked = 0;
    expect_ok(xc_db_walk(db, q, walk_skip_cb, walk_match_cb, w, &err), &err);
    assert_int_equal(w->n, nwant);
    for (uint32_t i = 0; i < nwant; i++)
        assert_int_equal(w->matched[i], want[i]);
    assert_true(w->asked > 0);
}

static void test_walk_with_skips(void **state)
{
    (void)state;
    xc_db *db = open_corpus();
    xc_error err = {0};
    walk_log w;
    xc_query *all = combine(XC_OP_OR, 0, 6, T("Q1"), T("Q2"), T("Q3"), T("Q4"), T("Q5"), T("Q6"));
    xc_query *ph = combine(XC_OP_PHRASE, 0, 2, T("central"), T("committee"));
    memset(&w, 0, sizeof w);
    expect_walk(db, all, &w, "1 2 3 4 5 6");
    expect_walk(db, ph, &w, "3 6");
    /* docids 2 to 4 are left: the query is not tested there */
    w.skip_from = 2, w.skip_to = 5;
    expect_walk(db, all, &w, "1 5 6");
    w.skip_from = 3, w.skip_to = 4;
    expect_walk(db, ph, &w, "6");
    /* nothing more from 4 on; a skip past the last docid ends the walk too */
    w.skip_from = w.skip_to = 0;
    w.stop_at = 4;
    expect_walk(db, all, &w, "1 2 3");
    w.stop_at = 0;
    w.skip_from = 1, w.skip_to = 100;
    expect_walk(db, all, &w, "");
    assert_int_equal(xc_db_walk(db, all, NULL, walk_match_cb, &w, &err), XC_EINVALIDARG);
    xc_query_free(all);
    xc_query_free(ph);
    xc_db_free(db);
}

static void test_phrase_over_synonym_is_an_error(void **state)
{
    (void)state;
    xc_error err = {0};
    xc_query *syn = combine(XC_OP_SYNONYM, 0, 2, T("land"), T("law"));
    xc_query *subs[2] = {T("resolution"), syn};
    /* 1.4 refuses the tree when it is built (UnimplementedError: "OP_NEAR
     * and OP_PHRASE only currently support leaf subqueries"). */
    xc_query *q = xc_query_combine(XC_OP_PHRASE, subs, 2, 0, &err);
    assert_null(q);
    assert_int_equal(err.code, XC_EUNIMPLEMENTED);
    assert_string_equal(err.type, "UnimplementedError");
    assert_true(strlen(err.msg) > 0);
    /* NEAR alike. */
    memset(&err, 0, sizeof err);
    assert_null(xc_query_combine(XC_OP_NEAR, subs, 2, 3, &err));
    assert_int_equal(err.code, XC_EUNIMPLEMENTED);
    xc_query_free(subs[0]);
    xc_query_free(syn);
}

static void test_elite_set_scale_and_specials(void **state)
{
    (void)state;
    xc_error err = {0};
    xc_db *db = open_corpus();
    /* A set of one keeps the rarer (heavier) term only. */
    expect_set(db, combine(XC_OP_ELITE_SET, 1, 2, T("party"), T("decree")), "4");
    expect_set(db, combine(XC_OP_ELITE_SET, 0, 2, T("party"), T("decree")), "1 3 4 5");

    /* decree is rare, so it ranks first in OR; scaling party up reverses it. */
    ranked r = run_query(db, combine(XC_OP_OR, 0, 2, T("decree"), T("party")));
    assert_int_equal(r.id[0], 4);
    xc_query *party = T("party");
    xc_query *scaled = xc_query_scale(party, 10.0, &err);
    assert_non_null(scaled);
    xc_query_free(party);
    r = run_query(db, combine(XC_OP_OR, 0, 2, T("decree"), scaled));
    assert_int_not_equal(r.id[0], 4);
    assert_int_equal(r.id[r.n - 1], 4);
    /* A negative factor is an argument error. */
    party = T("party");
    assert_null(xc_query_scale(party, -1.0, &err));
    assert_int_equal(err.code, XC_EINVALIDARG);
    /* Factor 0 keeps the matches and drops the weights. */
    scaled = xc_query_scale(party, 0.0, &err);
    xc_query_free(party);
    r = run_query(db, scaled);
    assert_int_equal(r.n, 3);
    assert_true(r.weight[0] == 0.0);

    xc_query *all = xc_query_match_all(&err);
    assert_int_equal(xc_query_empty(all), 0);
    expect_set(db, all, "1 2 3 4 5 6");
    xc_query *none = xc_query_match_nothing(&err);
    assert_non_null(none);
    assert_int_equal(xc_query_empty(none), 1);
    expect_set(db, none, "");

    /* A term query's wqf and position show in the description. */
    xc_query *q = xc_query_term("land", 4, 2, 7, &err);
    char *desc = xc_query_describe(q);
    assert_non_null(desc);
    assert_non_null(strstr(desc, "land#2@7"));
    xc_free(desc);
    xc_query_free(q);
    q = combine(XC_OP_AND, 0, 2, T("a"), T("b"));
    desc = xc_query_describe(q);
    assert_non_null(strstr(desc, "AND"));
    xc_free(desc);
    xc_query_free(q);

    /* Unknown operators and NULL subqueries are refused. */
    xc_query *subs[2] = {T("a"), NULL};
    assert_null(xc_query_combine((xc_op)99, subs, 1, 0, &err));
    assert_int_equal(err.code, XC_EINVALIDARG);
    assert_null(xc_query_combine(XC_OP_AND, subs, 2, 0, &err));
    assert_int_equal(err.code, XC_EINVALIDARG);
    xc_query_free(subs[0]);
    xc_db_free(db);
}

static void test_value_range_and_wildcard(void **state)
{
    (void)state;
    xc_error err = {0};
    xc_db *db = open_corpus();
    expect_set(db, xc_query_value_range(0, "2005", 4, "2012", 4, &err), "2 3 4");
    expect_set(db, xc_query_value_range(0, "2012", 4, NULL, 0, &err), "4 5 6");
    expect_set(db, xc_query_value_range(0, NULL, 0, "2005", 4, &err), "1 2");
    expect_set(db, xc_query_value_range(0, NULL, 0, NULL, 0, &err), "1 2 3 4 5 6");
    expect_set(db, xc_query_value_range(0, "2019", 4, "2030", 4, &err), "");
    /* Documents without a value in the slot never match, whichever end is
     * open (Xapian alone would match them all for ">= empty"). */
    expect_set(db, xc_query_value_range(7, NULL, 0, NULL, 0, &err), "");
    expect_set(db, xc_query_value_range(7, "", 0, NULL, 0, &err), "");
    expect_set(db, xc_query_value_range(7, NULL, 0, "zzzz", 4, &err), "");
    expect_set(db, xc_query_value_range(7, "", 0, "zzzz", 4, &err), "");

    /* re* = rectification, reform, resolution */
    expect_set(db, xc_query_wildcard("re", 2, 0, &err), "1 2 3 5");
    /* Limited to one expansion, the most frequent (resolution) is kept. */
    expect_set(db, xc_query_wildcard("re", 2, 1, &err), "1 2 3");
    expect_set(db, xc_query_wildcard("zz", 2, 0, &err), "");
    xc_db_free(db);
}

/* ---- enquire ---------------------------------------------------------------- */

static xc_enquire *enquire_for(xc_db *db, xc_query *q)
{
    xc_error err = {0};
    xc_enquire *e = xc_enquire_new(db, &err);
    assert_non_null(e);
    expect_ok(xc_enquire_set_query(e, q, 0, &err), &err);
    xc_query_free(q);
    return e;
}

static xc_mset *mset_of(xc_enquire *e, uint32_t first, uint32_t max)
{
    xc_error err = {0};
    xc_mset *m = xc_enquire_mset(e, first, max, 100, &err);
    if (!m)
        fail_msg("xc_enquire_mset: %s %s", xc_rc_name(err.code), err.msg);
    return m;
}

static void test_weighting(void **state)
{
    (void)state;
    xc_error err = {0};
    xc_db *db = open_corpus();
    xc_enquire *e = enquire_for(db, T("land"));
    xc_mset *m = mset_of(e, 0, 10);
    /* Docs 2 and 4 are the shortest land documents (4 words), so default
     * BM25 (b=0.5) ranks them first, the tie going to the lower docid. */
    assert_int_equal(xc_mset_docid(m, 0), 2);
    assert_int_equal(xc_mset_docid(m, 1), 4);
    assert_true(xc_mset_weight(m, 1) > xc_mset_weight(m, 2));
    double w_default = xc_mset_weight(m, 0);
    xc_mset_free(m);

    /* Explicit defaults give the same weight; other parameters don't. */
    expect_ok(xc_enquire_set_bm25(e, 1, 0, 1, 0.5, 0.5, &err), &err);
    m = mset_of(e, 0, 10);
    assert_true(fabs(xc_mset_weight(m, 0) - w_default) < 1e-9);
    xc_mset_free(m);
    /* b = 0: no length normalisation, every land document ties. */
    expect_ok(xc_enquire_set_bm25(e, 1, 0, 1, 0.0, 0.5, &err), &err);
    m = mset_of(e, 0, 10);
    assert_true(fabs(xc_mset_weight(m, 0) - w_default) > 1e-6);
    assert_true(fabs(xc_mset_weight(m, 0) - xc_mset_weight(m, 3)) < 1e-9);
    xc_mset_free(m);
    /* Xapian clamps a negative k1 to 0 rather than refusing it: the weight
     * then ignores wdf, so every land document (wdf 1) weighs the same as
     * with k1 = 0. */
    expect_ok(xc_enquire_set_bm25(e, -1, 0, 1, 0.5, 0.5, &err), &err);
    m = mset_of(e, 0, 10);
    double w_negative = xc_mset_weight(m, 0);
    xc_mset_free(m);
    expect_ok(xc_enquire_set_bm25(e, 0, 0, 1, 0.5, 0.5, &err), &err);
    m = mset_of(e, 0, 10);
    assert_true(fabs(xc_mset_weight(m, 0) - w_negative) < 1e-9);
    xc_mset_free(m);

    /* Boolean weighting: all zero, ties in docid order. */
    expect_ok(xc_enquire_set_bool_weight(e, &err), &err);
    m = mset_of(e, 0, 10);
    expect_order(m, "1 2 4 6");
    assert_true(xc_mset_weight(m, 0) == 0.0);
    xc_mset_free(m);
    expect_ok(xc_enquire_set_docid_order(e, 1, &err), &err);
    m = mset_of(e, 0, 10);
    expect_order(m, "6 4 2 1");
    xc_mset_free(m);
    expect_ok(xc_enquire_set_docid_order(e, 2, &err), &err);
    assert_int_equal(xc_enquire_set_docid_order(e, 3, &err), XC_EINVALIDARG);

    xc_enquire_free(e);
    xc_db_free(db);
}

/* Runs a match under a time limit and returns its size, or -1. */
static int timed_match_size(void)
{
    xc_error err = {0};
    xc_db *db = xc_db_open(g_corpus, &err);
    if (!db)
        return -1;
    xc_enquire *e = xc_enquire_new(db, &err);
    xc_query *q = xc_query_term("land", 4, 1, 0, &err);
    int size = -1;
    if (e && q && xc_enquire_set_query(e, q, 0, &err) == XC_OK &&
        xc_enquire_set_time_limit(e, 5.0, &err) == XC_OK) {
        xc_mset *m = xc_enquire_mset(e, 0, 10, 0, &err);
        if (m)
            size = (int)xc_mset_size(m);
        xc_mset_free(m);
    }
    xc_query_free(q);
    xc_enquire_free(e);
    xc_db_free(db);
    return size;
}

static void test_time_limit(void **state)
{
    (void)state;
    xc_error err = {0};
    xc_db *db = open_corpus();
    xc_enquire *e = enquire_for(db, T("land"));
    expect_ok(xc_enquire_set_time_limit(e, 0.5, &err), &err);
    expect_ok(xc_enquire_set_time_limit(e, 0, &err), &err);
    assert_int_equal(xc_enquire_set_time_limit(e, -1, &err), XC_EINVALIDARG);
    assert_int_equal(xc_enquire_set_time_limit(e, NAN, &err), XC_EINVALIDARG);
    xc_enquire_free(e);
    xc_db_free(db);

    /* Xapian arms the limit with a SIGEV_THREAD timer, for which glibc
     * starts a helper thread that lives until exit; valgrind reports its
     * thread storage as possibly lost. The timed match runs in a child that
     * reports through a pipe, so that thread never exists in the test
     * process and valgrind's exit code judges the binding's code only (the
     * child may still print its own leak summary). */
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        int size = timed_match_size();
        ssize_t wrote = write(fds[1], &size, sizeof size);
        _exit(wrote == (ssize_t)sizeof size ? 0 : 1);
    }
    close(fds[1]);
    int size = -2;
    ssize_t got = read(fds[0], &size, sizeof size);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(got, (ssize_t)sizeof size);
    /* A quick query finishes well inside the limit with every match. */
    assert_int_equal(size, 4);
}

static void test_sorting(void **state)
{
    (void)state;
    xc_error err = {0};
    xc_db *db = open_corpus();
    xc_enquire *e = enquire_for(db, xc_query_match_all(&err));
    expect_ok(xc_enquire_set_sort(e, XC_SORT_VALUE, 0, 1, &err), &err);
    xc_mset *m = mset_of(e, 0, 10);
    expect_order(m, "6 5 4 3 2 1"); /* newest first */
    xc_mset_free(m);
    expect_ok(xc_enquire_set_sort(e, XC_SORT_VALUE, 0, 0, &err), &err);
    m = mset_of(e, 0, 10);
    expect_order(m, "1 2 3 4 5 6");
    xc_mset_free(m);
    assert_int_equal(xc_enquire_set_sort(e, (xc_sort)42, 0, 0, &err), XC_EINVALIDARG);
    xc_enquire_free(e);

    /* By kind, then relevance within a kind: KL(6) LUAT(2) ND(4) then the
     * NQ documents with doc 1 (party and land) first. */
    e = enquire_for(db, combine(XC_OP_OR, 0, 2, T("party"), T("land")));
    expect_ok(xc_enquire_set_sort(e, XC_SORT_VALUE_THEN_RELEVANCE, 1, 0, &err), &err);
    m = mset_of(e, 0, 10);
    assert_int_equal(xc_mset_size(m), 6);
    assert_int_equal(xc_mset_docid(m, 0), 6);
    assert_int_equal(xc_mset_docid(m, 1), 2);
    assert_int_equal(xc_mset_docid(m, 2), 4);
    assert_int_equal(xc_mset_docid(m, 3), 1);
    assert_true(xc_mset_weight(m, 3) > xc_mset_weight(m, 4));
    assert_true(xc_mset_weight(m, 4) >= xc_mset_weight(m, 5));
    xc_mset_free(m);

    /* Relevance first; with BoolWeight all tie and the value decides. */
    expect_ok(xc_enquire_set_bool_weight(e, &err), &err);
    expect_ok(xc_enquire_set_sort(e, XC_SORT_RELEVANCE_THEN_VALUE, 0, 1, &err), &err);
    m = mset_of(e, 0, 10);
    expect_order(m, "6 5 4 3 2 1");
    xc_mset_free(m);
    expect_ok(xc_enquire_set_sort(e, XC_SORT_RELEVANCE, 0, 0, &err), &err);
    m = mset_of(e, 0, 10);
    expect_order(m, "1 2 3 4 5 6");
    xc_mset_free(m);
    xc_enquire_free(e);
    xc_db_free(db);
}

static void test_collapse(void **state)
{
    (void)state;
    xc_error err = {0};
    xc_db *db = open_corpus();
    xc_enquire *e = enquire_for(db, xc_query_match_all(&err));
    expect_ok(xc_enquire_set_collapse(e, 1, 1, &err), &err);
    xc_mset *m = mset_of(e, 0, 10);
    /* One document per kind: NQ 1, LUAT 2, ND 4, KL 6. */
    expect_order(m, "1 2 4 6");
    assert_int_equal(xc_mset_collapse_count(m, 0), 2); /* docs 3 and 5 */
    assert_int_equal(xc_mset_collapse_count(m, 1), 0);
    assert_int_equal(xc_mset_matches_estimated(m), 4);
    assert_int_equal(xc_mset_uncollapsed_estimated(m), 6);
    xc_mset_free(m);

    expect_ok(xc_enquire_set_collapse(e, 1, 2, &err), &err);
    m = mset_of(e, 0, 10);
    expect_order(m, "1 2 3 4 6");
    assert_int_equal(xc_mset_collapse_count(m, 0), 1);
    xc_mset_free(m);

    expect_ok(xc_enquire_set_collapse(e, 1, 0, &err), &err);
    m = mset_of(e, 0, 10);
    assert_int_equal(xc_mset_size(m), 6);
    xc_mset_free(m);
    xc_enquire_free(e);
    xc_db_free(db);
}

static void expect_spy_values(xc_enquire *e, int spy, unsigned max, const char *expect)
{
    /* expect: "NQ=3 KL=1 ..." */
    xc_error err = {0};
    xc_termiter *it = xc_enquire_spy_values(e, spy, max, &err);
    assert_non_null(it);
    char got[256] = "";
    size_t used = 0;
    xc_term t;
    while (xc_termiter_next(it, &t, &err) == 1) {
        int n = snprintf(got + used, sizeof got - used, "%s%.*s=%u", used ? " " : "",
                         (int)t.len, t.term, (unsigned)t.freq);
        assert_true(n > 0 && (size_t)n < sizeof got - used);
        used += (size_t)n;
    }
    xc_termiter_free(it);
    assert_string_equal(got, expect);
}

static void test_value_spy(void **state)
{
    (void)state;
    xc_error err = {0};
    xc_db *db = open_corpus();
    xc_enquire *e = enquire_for(db, xc_query_match_all(&err));
    int kinds = xc_enquire_add_value_spy(e, 1, &err);
    int years = xc_enquire_add_value_spy(e, 0, &err);
    assert_int_equal(kinds, 0);
    assert_int_equal(years, 1);
    xc_mset *m = mset_of(e, 0, 2);
    xc_mset_free(m);
    uint32_t total = 0;
    expect_ok(xc_enquire_spy_total(e, kinds, &total, &err), &err);
    assert_int_equal(total, 6);
    /* Most frequent first, ties alphabetical. */
    expect_spy_values(e, kinds, 0, "NQ=3 KL=1 LUAT=1 ND=1");
    expect_spy_values(e, kinds, 2, "NQ=3 KL=1");
    expect_spy_values(e, years, 1, "2001=1");

    /* A second match (the next page) replaces the counts, not adds to them. */
    m = mset_of(e, 2, 2);
    xc_mset_free(m);
    expect_ok(xc_enquire_spy_total(e, kinds, &total, &err), &err);
    assert_int_equal(total, 6);
    expect_spy_values(e, kinds, 1, "NQ=3");

    /* The spy counts documents before collapsing. */
    expect_ok(xc_enquire_set_collapse(e, 1, 1, &err), &err);
    m = mset_of(e, 0, 10);
    assert_int_equal(xc_mset_size(m), 4);
    xc_mset_free(m);
    expect_ok(xc_enquire_spy_total(e, kinds, &total, &err), &err);
    assert_int_equal(total, 6);
    expect_spy_values(e, kinds, 1, "NQ=3");

    /* Unknown handles are argument errors. */
    assert_int_equal(xc_enquire_spy_total(e, 5, &total, &err), XC_EINVALIDARG);
    assert_null(xc_enquire_spy_values(e, -1, 0, &err));
    assert_int_equal(err.code, XC_EINVALIDARG);
    xc_enquire_free(e);

    /* Without check_at_least the matcher may stop early: the spy sees
     * only the documents the match considered. */
    e = enquire_for(db, T("resolution"));
    kinds = xc_enquire_add_value_spy(e, 1, &err);
    m = xc_enquire_mset(e, 0, 1, 0, &err);
    assert_non_null(m);
    xc_mset_free(m);
    expect_ok(xc_enquire_spy_total(e, kinds, &total, &err), &err);
    assert_true(total >= 1 && total <= 3);
    xc_enquire_free(e);
    xc_db_free(db);
}

static void test_mset_and_matching_terms(void **state)
{
    (void)state;
    xc_error err = {0};
    xc_db *db = open_corpus();
    xc_enquire *e = enquire_for(db, combine(XC_OP_OR, 0, 3, T("land"), T("party"), T("decree")));
    xc_mset *m = mset_of(e, 1, 2);
    assert_int_equal(xc_mset_size(m), 2);
    assert_int_equal(xc_mset_matches_estimated(m), 6);
    assert_int_equal(xc_mset_matches_lower(m), 6);
    assert_int_equal(xc_mset_matches_upper(m), 6);
    assert_true(xc_mset_max_attained(m) >= xc_mset_weight(m, 0));
    assert_true(xc_mset_weight(m, 0) >= xc_mset_weight(m, 1));
    assert_true(xc_mset_percent(m, 0) > 0 && xc_mset_percent(m, 0) <= 100);
    /* Out of range items read as zero rather than crash. */
    assert_int_equal(xc_mset_docid(m, 2), 0);
    assert_true(xc_mset_weight(m, 99) == 0.0);
    assert_int_equal(xc_mset_percent(m, 99), 0);
    expect_ok(xc_mset_fetch(m, &err), &err);
    xc_doc *doc = NULL;
    expect_ok(xc_mset_document(m, 0, &doc, &err), &err);
    assert_int_equal(xc_doc_docid(doc), xc_mset_docid(m, 0));
    size_t len;
    const char *data = xc_doc_data(doc, &len);
    assert_true(len > 0);
    assert_memory_equal(data, corpus[xc_mset_docid(m, 0) - 1].text, len);
    xc_doc_free(doc);
    assert_int_equal(xc_mset_document(m, 2, &doc, &err), XC_ERANGE);
    uint32_t tf = 0;
    expect_ok(xc_mset_termfreq(m, "land", 4, &tf, &err), &err);
    assert_int_equal(tf, 4);
    xc_mset_free(m);

    /* The top document is doc 4: the rare "decree" outweighs "party". */
    m = mset_of(e, 0, 1);
    assert_int_equal(xc_mset_docid(m, 0), 4);
    assert_true(xc_mset_percent(m, 0) > 0 && xc_mset_percent(m, 0) <= 100);
    expect_ok(xc_mset_fetch(m, &err), &err);
    assert_true(fabs(xc_mset_max_attained(m) - xc_mset_weight(m, 0)) < 1e-9);
    xc_mset_free(m);

    /* Matching terms come in query order. */
    xc_termiter *it = xc_enquire_matching_terms(e, 1, &err);
    assert_non_null(it);
    xc_term t;
    assert_int_equal(xc_termiter_next(it, &t, &err), 1);
    assert_memory_equal(t.term, "land", 4);
    assert_int_equal(xc_termiter_next(it, &t, &err), 1);
    assert_memory_equal(t.term, "party", 5);
    assert_int_equal(xc_termiter_next(it, &t, &err), 0);
    xc_termiter_free(it);
    it = xc_enquire_matching_terms(e, 4, &err);
    assert_int_equal(xc_termiter_next(it, &t, &err), 1);
    assert_memory_equal(t.term, "land", 4);
    assert_int_equal(xc_termiter_next(it, &t, &err), 1);
    assert_memory_equal(t.term, "decree", 6);
    assert_int_equal(xc_termiter_next(it, &t, &err), 0);
    xc_termiter_free(it);
    xc_enquire_free(e);
    xc_db_free(db);
}

/* ---- shards, stubs, compaction, check -------------------------------------- */

/* Two local shards: A holds corpus docs 1-3, B docs 4-6. */
static void make_shards(char *a, size_t asize, char *b, size_t bsize)
{
    path_in_root(a, asize, "shard-a");
    path_in_root(b, bsize, "shard-b");
    write_shard(a, 0, 3);
    write_shard(b, 3, 6);
}

/* Xapian interleaves shard docids: doc k of shard s (of n) is (k-1)*n+s+1.
 * So corpus docs 1..6 are multi docids 1 3 5 2 4 6. */
static const xc_docid multi_id[7] = {0, 1, 3, 5, 2, 4, 6};

/* Search checks shared by the local and the remote multi-database. */
static void check_sharded_search(xc_db *db)
{
    xc_error err = {0};
    char buf[128];
    assert_int_equal(doccount(db), 6);
    for (size_t i = 1; i <= 6; i++)
        assert_string_equal(data_of(db, multi_id[i], buf, sizeof buf), corpus[i - 1].text);

    /* land: corpus 1 2 4 6 */
    expect_set(db, T("land"), "1 2 3 6");

    /* Sort by year across shards, newest first: corpus 6..1. */
    xc_enquire *e = enquire_for(db, xc_query_match_all(&err));
    expect_ok(xc_enquire_set_sort(e, XC_SORT_VALUE, 0, 1, &err), &err);
    int kinds = xc_enquire_add_value_spy(e, 1, &err);
    assert_true(kinds >= 0);
    xc_mset *m = mset_of(e, 0, 10);
    expect_order(m, "6 4 2 5 3 1");
    xc_mset_free(m);
    uint32_t total = 0;
    expect_ok(xc_enquire_spy_total(e, kinds, &total, &err), &err);
    assert_int_equal(total, 6);
    expect_spy_values(e, kinds, 0, "NQ=3 KL=1 LUAT=1 ND=1");

    /* Collapse by kind across shards: NQ keeps the newest (corpus 5). */
    expect_ok(xc_enquire_set_collapse(e, 1, 1, &err), &err);
    m = mset_of(e, 0, 10);
    expect_order(m, "6 4 2 3");
    assert_int_equal(xc_mset_collapse_count(m, 2), 0);
    assert_int_equal(xc_mset_uncollapsed_estimated(m), 6);
    /* corpus 5 (multi 4) stands for the other two NQ documents. */
    assert_int_equal(xc_mset_collapse_count(m, 1), 2);
    expect_ok(xc_mset_fetch(m, &err), &err);
    xc_doc *doc = NULL;
    expect_ok(xc_mset_document(m, 1, &doc, &err), &err);
    size_t len;
    const char *data = xc_doc_data(doc, &len);
    assert_int_equal(len, strlen(corpus[4].text));
    assert_memory_equal(data, corpus[4].text, len);
    xc_doc_free(doc);
    xc_mset_free(m);
    expect_ok(xc_enquire_spy_total(e, kinds, &total, &err), &err);
    assert_int_equal(total, 6);
    xc_enquire_free(e);
}

static void test_multi_database(void **state)
{
    (void)state;
    xc_error err = {0};
    char a[160], b[160];
    make_shards(a, sizeof a, b, sizeof b);

    xc_db *db = xc_db_new(&err);
    assert_non_null(db);
    assert_int_equal(doccount(db), 0);
    expect_ok(xc_db_add_path(db, a, &err), &err);
    expect_ok(xc_db_add_path(db, b, &err), &err);
    check_sharded_search(db);
    /* Weights are computed with the statistics of both shards, so the
     * sharded ranking equals the single-database one. */
    xc_db *whole = open_corpus();
    ranked one = run_query(whole, T("land"));
    ranked two = run_query(db, T("land"));
    assert_int_equal(one.n, two.n);
    for (uint32_t i = 0; i < one.n; i++) {
        /* Equal weights may rank in another order: ties go by docid, and
         * the docids differ. So compare each document's weight. */
        uint32_t j = 0;
        while (j < two.n && two.id[j] != multi_id[one.id[i]])
            j++;
        assert_true(j < two.n);
        assert_true(fabs(one.weight[i] - two.weight[j]) < 1e-9);
    }
    xc_db_free(whole);

    uint64_t rev;
    assert_int_equal(xc_db_revision(db, &rev, &err), XC_EINVALIDARG);
    /* A shard that doesn't exist can't be added. */
    char missing[160];
    path_in_root(missing, sizeof missing, "no-such-shard");
    assert_int_equal(xc_db_add_path(db, missing, &err), XC_EOPENING);
    assert_int_equal(xc_db_add_db(db, db, &err), XC_EINVALIDARG);

    /* add_db copies the shard list: the new handle stands alone. */
    xc_db *copy = xc_db_new(&err);
    expect_ok(xc_db_add_db(copy, db, &err), &err);
    xc_db_free(db);
    assert_int_equal(doccount(copy), 6);
    xc_db_free(copy);

    /* A stub file with two "auto" lines opens as the same two shards. */
    char stub[160];
    path_in_root(stub, sizeof stub, "two.stub");
    FILE *f = fopen(stub, "w");
    assert_non_null(f);
    fprintf(f, "auto %s\nauto %s\n", a, b);
    fclose(f);
    db = xc_db_open(stub, &err);
    if (!db)
        fail_msg("stub: %s", err.msg);
    check_sharded_search(db);
    xc_db_free(db);

    /* A bad stub line is an opening error. */
    path_in_root(stub, sizeof stub, "bad.stub");
    f = fopen(stub, "w");
    assert_non_null(f);
    fprintf(f, "nonsense here\n");
    fclose(f);
    assert_null(xc_db_open(stub, &err));
    assert_int_equal(err.code, XC_EOPENING);
}

static void test_compact_and_check(void **state)
{
    (void)state;
    xc_error err = {0};
    char a[160], b[160], dest[160];
    make_shards(a, sizeof a, b, sizeof b);
    xc_db *db = xc_db_new(&err);
    expect_ok(xc_db_add_path(db, a, &err), &err);
    expect_ok(xc_db_add_path(db, b, &err), &err);

    /* Renumbering concatenates the shards: B's docs follow A's. */
    path_in_root(dest, sizeof dest, "compacted");
    expect_ok(xc_db_compact(db, dest, 0, &err), &err);
    xc_db *out = xc_db_open(dest, &err);
    assert_non_null(out);
    assert_int_equal(doccount(out), 6);
    char buf[128];
    assert_string_equal(data_of(out, 4, buf, sizeof buf), corpus[3].text);
    xc_db_free(out);

    path_in_root(dest, sizeof dest, "compacted-multipass");
    expect_ok(xc_db_compact(db, dest, XC_COMPACT_MULTIPASS, &err), &err);
    out = xc_db_open(dest, &err);
    assert_int_equal(doccount(out), 6);
    xc_db_free(out);

    /* Both shards use docids 1-3, so they can't keep them. */
    path_in_root(dest, sizeof dest, "compacted-overlap");
    int rc = xc_db_compact(db, dest, XC_COMPACT_NO_RENUMBER, &err);
    assert_int_equal(rc, XC_EINVALIDARG);
    assert_int_equal(xc_db_compact(db, dest, 0x100u, &err), XC_EINVALIDARG);
    xc_db_free(db);

    /* A single shard keeps its docids with NO_RENUMBER. */
    db = open_corpus();
    path_in_root(dest, sizeof dest, "compacted-single");
    expect_ok(xc_db_compact(db, dest, XC_COMPACT_NO_RENUMBER, &err), &err);
    xc_db_free(db);
    out = xc_db_open(dest, &err);
    assert_int_equal(doccount(out), 6);
    xc_db_free(out);

    size_t errors = 99;
    char *report = NULL;
    expect_ok(xc_db_check(dest, &errors, &report, &err), &err);
    assert_int_equal(errors, 0);
    assert_non_null(report);
    assert_true(strlen(report) > 0);
    xc_free(report);
    errors = 99;
    expect_ok(xc_db_check(g_corpus, &errors, NULL, &err), &err);
    assert_int_equal(errors, 0);

    char missing[160];
    path_in_root(missing, sizeof missing, "no-such-db");
    rc = xc_db_check(missing, &errors, NULL, &err);
    assert_int_not_equal(rc, XC_OK);
}

/* ---- remote shards ------------------------------------------------------- */

/* A free loopback port: bind port 0 and read back what the kernel chose. */
static unsigned free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s >= 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
    socklen_t len = sizeof sa;
    assert_int_equal(getsockname(s, (struct sockaddr *)&sa, &len), 0);
    close(s);
    return ntohs(sa.sin_port);
}

static int port_accepts(unsigned port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0)
        return 0;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int ok = connect(s, (struct sockaddr *)&sa, sizeof sa) == 0;
    close(s);
    return ok;
}

/* Starts xapian-tcpsrv on port in its own session and process group: it
 * signals its whole group on SIGTERM, which must not reach this test. */
static pid_t start_tcpsrv(unsigned port, const char *dbpath)
{
    char portstr[16];
    snprintf(portstr, sizeof portstr, "%u", port);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setsid();
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) {
            dup2(devnull, STDOUT_FILENO);
            dup2(devnull, STDERR_FILENO);
        }
        execlp("xapian-tcpsrv", "xapian-tcpsrv", "--port", portstr, "--interface", "127.0.0.1",
               dbpath, (char *)NULL);
        _exit(127);
    }
    /* Wait until it listens (or has died). */
    for (int i = 0; i < 200; i++) {
        if (port_accepts(port))
            return pid;
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid)
            fail_msg("xapian-tcpsrv exited early (status %d)", status);
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    fail_msg("xapian-tcpsrv did not start listening on port %u", port);
    return -1;
}

static void stop_tcpsrv(pid_t pid)
{
    /* The server and its per-connection children share the group pid. */
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

static void test_remote_shard(void **state)
{
    (void)state;
    xc_error err = {0};
    char a[160], b[160];
    make_shards(a, sizeof a, b, sizeof b);
    unsigned port = free_port();
    pid_t srv = start_tcpsrv(port, b);

    xc_db *db = xc_db_new(&err);
    expect_ok(xc_db_add_path(db, a, &err), &err);
    int rc = xc_db_add_remote(db, "127.0.0.1", port, 5000, 2000, &err);
    if (rc != XC_OK) {
        stop_tcpsrv(srv);
        fail_msg("add_remote: %s %s", xc_rc_name(rc), err.msg);
    }
    check_sharded_search(db);

    /* The ranking matches the single local database, weights included. */
    xc_db *whole = open_corpus();
    ranked one = run_query(whole, combine(XC_OP_OR, 0, 2, T("land"), T("party")));
    ranked two = run_query(db, combine(XC_OP_OR, 0, 2, T("land"), T("party")));
    assert_int_equal(one.n, two.n);
    for (uint32_t i = 0; i < one.n; i++)
        assert_true(fabs(one.weight[i] - two.weight[i]) < 1e-9);
    xc_db_free(whole);

    /* Once the server is gone, requests fail with ENETWORK. */
    stop_tcpsrv(srv);
    xc_enquire *e = enquire_for(db, T("land"));
    xc_mset *m = xc_enquire_mset(e, 0, 10, 0, &err);
    assert_null(m);
    assert_int_equal(err.code, XC_ENETWORK);
    xc_enquire_free(e);
    xc_db_free(db);

    assert_int_equal(xc_db_add_remote(NULL, "127.0.0.1", port, 1, 1, &err), XC_EINVALIDARG);
    db = xc_db_new(&err);
    assert_int_equal(xc_db_add_remote(db, "127.0.0.1", 70000, 1, 1, &err), XC_EINVALIDARG);
    xc_db_free(db);
}

static void test_remote_errors_and_timeouts(void **state)
{
    (void)state;
    xc_error err = {0};
    xc_db *db = xc_db_new(&err);

    /* Nothing listens on a port just released: refused within the
     * connect timeout. */
    unsigned port = free_port();
    double t0 = now_seconds();
    int rc = xc_db_add_remote(db, "127.0.0.1", port, 5000, 1000, &err);
    double elapsed = now_seconds() - t0;
    assert_int_equal(rc, XC_ENETWORK);
    assert_string_equal(err.type, "NetworkError");
    assert_true(elapsed < 1.5);

    /* A peer that accepts the connection (the kernel's backlog does) but
     * never speaks: the wait for the greeting is bounded by timeout_ms, not
     * by connect_timeout_ms. */
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(s, 4), 0);
    socklen_t len = sizeof sa;
    getsockname(s, (struct sockaddr *)&sa, &len);
    t0 = now_seconds();
    rc = xc_db_add_remote(db, "127.0.0.1", ntohs(sa.sin_port), 300, 5000, &err);
    elapsed = now_seconds() - t0;
    close(s);
    assert_int_equal(rc, XC_ENETWORK);
    assert_string_equal(err.type, "NetworkTimeoutError");
    assert_true(elapsed >= 0.25 && elapsed < 2.0);

    assert_int_equal(doccount(db), 0);
    xc_db_free(db);
}

/* ---- term generator and query parser ------------------------------------ */

/* The wdf of term in doc's term list, or -1 when absent. */
static int wdf_in(xc_doc *doc, const char *term)
{
    xc_error err = {0};
    xc_termiter *it = xc_doc_termlist(doc, &err);
    assert_non_null(it);
    xc_term t;
    int wdf = -1;
    while (xc_termiter_next(it, &t, &err) == 1)
        if (t.len == strlen(term) && memcmp(t.term, term, t.len) == 0)
            wdf = (int)t.wdf;
    xc_termiter_free(it);
    return wdf;
}

static void test_termgen(void **state)
{
    (void)state;
    xc_error err = {0};
    xc_termgen *tg = xc_termgen_new(&err);
    assert_non_null(tg);
    xc_termgen_free(NULL);

    /* No document yet: refused, not indexed into a hidden one. */
    assert_int_equal(xc_termgen_index_text(tg, "x", 1, 1, NULL, 1, &err), XC_EINVALIDARG);
    assert_int_equal(xc_termgen_set_document(tg, NULL, &err), XC_EINVALIDARG);
    assert_int_equal(xc_termgen_set_document(NULL, NULL, &err), XC_EINVALIDARG);

    /* Words are lowercased letters and digits (Vietnamese too, any
     * normalisation of case), with positions from 1. */
    xc_doc *doc = xc_doc_new(&err);
    expect_ok(xc_termgen_set_document(tg, doc, &err), &err);
    const char *text = "KHOA HỌC và công nghệ, khoa học";
    expect_ok(xc_termgen_index_text(tg, text, strlen(text), 1, NULL, 1, &err), &err);
    assert_int_equal(xc_termgen_get_termpos(tg), 7);
    assert_int_equal(wdf_in(doc, "khoa"), 2);
    assert_int_equal(wdf_in(doc, "học"), 2);
    assert_int_equal(wdf_in(doc, "nghệ"), 1);
    assert_int_equal(wdf_in(doc, "KHOA"), -1);

    /* A gap, then a prefixed field with wdf 3; then words without
     * positions; (pointer, length) text need not be NUL-terminated. */
    expect_ok(xc_termgen_increase_termpos(tg, 100, &err), &err);
    expect_ok(xc_termgen_index_text(tg, "Luật Đất đai", 13, 3, "S", 1, &err), &err);
    assert_int_equal(xc_termgen_get_termpos(tg), 109);
    assert_int_equal(wdf_in(doc, "Sluật"), 3);
    assert_int_equal(wdf_in(doc, "Sđất"), 3);
    assert_int_equal(wdf_in(doc, "Sđai"), -1); /* 13 bytes: "Luật Đất" */
    expect_ok(xc_termgen_index_text(tg, "unplaced words", 14, 1, "", 0, &err), &err);
    assert_int_equal(xc_termgen_get_termpos(tg), 109);
    expect_ok(xc_termgen_set_termpos(tg, 500, &err), &err);
    expect_ok(xc_termgen_index_text(tg, "late", 4, 1, NULL, 1, &err), &err);
    assert_int_equal(xc_termgen_get_termpos(tg), 501);

    /* Stored and searched: positions as the generator gave them. */
    char path[160];
    path_in_root(path, sizeof path, "termgen");
    xc_wdb *w = xc_wdb_open(path, XC_DB_CREATE_OR_OVERWRITE | XC_DB_NO_SYNC, &err);
    assert_non_null(w);
    expect_ok(xc_wdb_add_document(w, doc, NULL, &err), &err);
    expect_ok(xc_wdb_commit(w, &err), &err);
    xc_db *db = xc_wdb_db(w);
    xc_termpos *pos = NULL;
    size_t npos = 0;
    expect_ok(xc_db_positions(db, 1, "khoa", 4, &pos, &npos, &err), &err);
    assert_int_equal(npos, 2);
    assert_int_equal(pos[0], 1);
    assert_int_equal(pos[1], 6);
    xc_free(pos);
    expect_ok(xc_db_positions(db, 1, "Sđất", strlen("Sđất"), &pos, &npos, &err), &err);
    assert_int_equal(npos, 1);
    assert_int_equal(pos[0], 109);
    xc_free(pos);
    expect_ok(xc_db_positions(db, 1, "unplaced", 8, &pos, &npos, &err), &err);
    assert_int_equal(npos, 0);
    expect_ok(xc_db_positions(db, 1, "late", 4, &pos, &npos, &err), &err);
    assert_int_equal(npos, 1);
    assert_int_equal(pos[0], 501);
    xc_free(pos);
    xc_wdb_free(w);

    /* A new document restarts the positions; the old one is untouched. */
    xc_doc *doc2 = xc_doc_new(&err);
    expect_ok(xc_termgen_set_document(tg, doc2, &err), &err);
    assert_int_equal(xc_termgen_get_termpos(tg), 0);
    expect_ok(xc_termgen_index_text(tg, "running fast", 12, 1, NULL, 1, &err), &err);
    assert_int_equal(wdf_in(doc2, "running"), 1);
    assert_int_equal(wdf_in(doc2, "Zrun"), -1); /* no stemmer by default */
    assert_int_equal(wdf_in(doc, "running"), -1);

    /* A stemmer adds Z-prefixed stems (STEM_SOME), or replaces the words
     * (STEM_ALL); unknown languages and strategies are refused. */
    expect_ok(xc_termgen_set_stemmer(tg, "english", &err), &err);
    expect_ok(xc_termgen_index_text(tg, "jumping", 7, 1, NULL, 1, &err), &err);
    assert_int_equal(wdf_in(doc2, "Zjump"), 1);
    assert_int_equal(wdf_in(doc2, "jumping"), 1);
    expect_ok(xc_termgen_set_stemming_strategy(tg, XC_STEM_ALL, &err), &err);
    expect_ok(xc_termgen_index_text(tg, "walking", 7, 1, NULL, 1, &err), &err);
    assert_int_equal(wdf_in(doc2, "walk"), 1);
    assert_int_equal(wdf_in(doc2, "walking"), -1);
    assert_int_equal(xc_termgen_set_stemmer(tg, "klingon", &err), XC_EINVALIDARG);
    assert_string_equal(err.type, "InvalidArgumentError");
    assert_int_equal(xc_termgen_set_stemming_strategy(tg, (xc_stem_strategy)99, &err),
                     XC_EINVALIDARG);
    expect_ok(xc_termgen_set_stemmer(tg, NULL, &err), &err);
    expect_ok(xc_termgen_set_stemmer(tg, "none", &err), &err);

    /* Freeing the document first is safe: the generator holds its own
     * reference. */
    xc_doc_free(doc2);
    expect_ok(xc_termgen_index_text(tg, "orphan", 6, 1, NULL, 1, &err), &err);
    xc_doc_free(doc);
    xc_termgen_free(tg);
    assert_int_equal(xc_termgen_get_termpos(NULL), 0);
}

/* The description of a parsed query, for exact comparisons. */
static void expect_parsed(xc_qparser *qp, const char *query, unsigned flags, const char *want)
{
    xc_error err = {0};
    xc_query *q = xc_qparser_parse(qp, query, strlen(query), flags, &err);
    if (!q)
        fail_msg("xc_qparser_parse(%s): %s %s", query, xc_rc_name(err.code), err.msg);
    char *d = xc_query_describe(q);
    assert_non_null(d);
    assert_string_equal(d, want);
    xc_free(d);
    xc_query_free(q);
}

static xc_query *parsed(xc_qparser *qp, const char *query, unsigned flags)
{
    xc_error err = {0};
    xc_query *q = xc_qparser_parse(qp, query, strlen(query), flags, &err);
    if (!q)
        fail_msg("xc_qparser_parse(%s): %s %s", query, xc_rc_name(err.code), err.msg);
    return q;
}

static void test_qparser(void **state)
{
    (void)state;
    xc_error err = {0};
    xc_db *db = open_corpus();
    xc_qparser *qp = xc_qparser_new(&err);
    assert_non_null(qp);
    xc_qparser_free(NULL);

    /* Defaults: OR between words, positions kept, lowercased, phrases,
     * +/- and boolean operators. */
    expect_parsed(qp, "Land Reform", XC_QP_DEFAULT, "Query((land@1 OR reform@2))");
    expect_set(db, parsed(qp, "land reform", XC_QP_DEFAULT), "1 2 4 6");
    expect_set(db, parsed(qp, "\"central committee\"", XC_QP_DEFAULT), "3 6");
    expect_set(db, parsed(qp, "land -party", XC_QP_DEFAULT), "2 4 6");
    expect_set(db, parsed(qp, "land AND resolution", XC_QP_DEFAULT), "1 2");
    /* Without BOOLEAN, AND is an ordinary word. */
    expect_parsed(qp, "land AND resolution", XC_QP_PHRASE,
                  "Query((land@1 OR and@2 OR resolution@3))");
    expect_parsed(qp, "Điều 5 Luật", XC_QP_DEFAULT, "Query((điều@1 OR 5@2 OR luật@3))");

    /* Another default operator; one that cannot be a default is refused. */
    expect_ok(xc_qparser_set_default_op(qp, XC_OP_AND, &err), &err);
    expect_set(db, parsed(qp, "land resolution", XC_QP_DEFAULT), "1 2");
    assert_int_equal(xc_qparser_set_default_op(qp, XC_OP_AND_NOT, &err), XC_EINVALIDARG);
    assert_int_equal(xc_qparser_set_default_op(qp, (xc_op)77, &err), XC_EINVALIDARG);
    expect_ok(xc_qparser_set_default_op(qp, XC_OP_OR, &err), &err);

    /* Fields: a prefix for free text and a boolean filter. */
    expect_ok(xc_qparser_add_prefix(qp, "title", "S", &err), &err);
    expect_parsed(qp, "title:Land", XC_QP_DEFAULT, "Query(Sland@1)");
    expect_ok(xc_qparser_add_boolean_prefix(qp, "kind", "K", &err), &err);
    expect_set(db, parsed(qp, "land kind:NQ", XC_QP_DEFAULT), "1");
    assert_int_equal(xc_qparser_add_prefix(qp, NULL, "S", &err), XC_EINVALIDARG);
    assert_int_equal(xc_qparser_add_boolean_prefix(qp, "kind", NULL, &err), XC_EINVALIDARG);

    /* Wildcards expand against the database given. */
    expect_ok(xc_qparser_set_database(qp, db, &err), &err);
    expect_set(db, parsed(qp, "reso*", XC_QP_DEFAULT | XC_QP_WILDCARD), "1 2 3");

    /* Stemming of query words. */
    expect_ok(xc_qparser_set_stemmer(qp, "english", &err), &err);
    expect_ok(xc_qparser_set_stemming_strategy(qp, XC_STEM_ALL, &err), &err);
    expect_parsed(qp, "resolutions", XC_QP_DEFAULT, "Query(resolut@1)");
    assert_int_equal(xc_qparser_set_stemmer(qp, "klingon", &err), XC_EINVALIDARG);
    assert_int_equal(xc_qparser_set_stemming_strategy(qp, (xc_stem_strategy)-1, &err),
                     XC_EINVALIDARG);
    expect_ok(xc_qparser_set_stemmer(qp, "", &err), &err);

    /* Empty input is an empty query; unknown flags are refused; the
     * corrected string is empty without spelling correction. */
    xc_query *q = xc_qparser_parse(qp, "", 0, XC_QP_DEFAULT, &err);
    assert_non_null(q);
    assert_true(xc_query_empty(q));
    xc_query_free(q);
    assert_null(xc_qparser_parse(qp, "land", 4, 1u << 30, &err));
    assert_int_equal(err.code, XC_EINVALIDARG);
    assert_null(xc_qparser_parse(NULL, "land", 4, 0, &err));
    assert_int_equal(err.code, XC_EINVALIDARG);
    assert_null(xc_qparser_parse(qp, NULL, 4, 0, &err));
    assert_int_equal(err.code, XC_EINVALIDARG);
    char *c = xc_qparser_corrected(qp, &err);
    assert_non_null(c);
    assert_string_equal(c, "");
    xc_free(c);

    /* A syntax error Xapian does not recover from (a bare NOT without
     * PURE_NOT) is the caller's argument. */
    err.code = XC_OK;
    q = xc_qparser_parse(qp, "NOT land", 8, XC_QP_BOOLEAN, &err);
    assert_null(q);
    assert_int_equal(err.code, XC_EINVALIDARG);
    assert_string_equal(err.type, "QueryParserError");

    /* The parser keeps its own reference to the database. */
    xc_db_free(db);
    expect_parsed(qp, "land", XC_QP_DEFAULT, "Query(land@1)");
    xc_qparser_free(qp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_names_and_null_frees),
        cmocka_unit_test(test_open_missing),
        cmocka_unit_test(test_create_commit_reopen),
        cmocka_unit_test(test_second_writer_is_locked_out),
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_sortable_serialise),
        cmocka_unit_test(test_termlist_allterms),
        cmocka_unit_test(test_postlist_values_positions),
        cmocka_unit_test(test_metadata_spelling_synonyms),
        cmocka_unit_test(test_transactions),
        cmocka_unit_test(test_boolean_operators),
        cmocka_unit_test(test_positional_operators),
        cmocka_unit_test(test_walk_with_skips),
        cmocka_unit_test(test_phrase_over_synonym_is_an_error),
        cmocka_unit_test(test_elite_set_scale_and_specials),
        cmocka_unit_test(test_value_range_and_wildcard),
        cmocka_unit_test(test_weighting),
        cmocka_unit_test(test_time_limit),
        cmocka_unit_test(test_sorting),
        cmocka_unit_test(test_collapse),
        cmocka_unit_test(test_value_spy),
        cmocka_unit_test(test_mset_and_matching_terms),
        cmocka_unit_test(test_multi_database),
        cmocka_unit_test(test_compact_and_check),
        cmocka_unit_test(test_remote_shard),
        cmocka_unit_test(test_remote_errors_and_timeouts),
        cmocka_unit_test(test_termgen),
        cmocka_unit_test(test_qparser),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
