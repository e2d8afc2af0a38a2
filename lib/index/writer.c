/*
 * writer.c: storing documents in the Xapian index.
 *
 * Durability: the writer keeps a Xapian transaction open and commits it
 * when flush_bytes of text have been added (and on close). Inside a
 * transaction Xapian never flushes on its own, so a crash at any moment
 * leaves the index at its last commit, with every document either wholly
 * in or wholly out, and memory stays bounded by flush_bytes.
 *
 * Bulk loads: an index that is empty when opened is written in segments
 * of segment_bytes of text. The first segment is the index itself; the
 * next ones are databases in PATH.segments/, and closing merges them all
 * into a new folder (Xapian's compaction, which renumbers each source's
 * docids after the previous ones) swapped in for the index. Each batch
 * then goes into a B-tree of at most one segment, so the time per byte
 * no longer grows with the collection. A document id met again in an
 * earlier segment, a deletion or a listing merges first and goes on in
 * one database.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "index/schema.h"
#include "polsearch/index.h"
#include "polsearch/text.h"
#include "xapian-c/xc.h"

/* Small batches index faster than big ones: Xapian's inverter keeps a
 * batch's postings in ordered maps that grow slower per insert as they
 * grow (shared corpus, one core: 4 MB 24-26 s CPU and 100 MB resident,
 * 64 MB 35-37 s and 246 MB; bench/run-index.sh) */
#define DEFAULT_FLUSH_BYTES ((size_t)4 << 20)
#define DEFAULT_SEGMENT_BYTES ((size_t)256 << 20)

/* Document keys added during a bulk load, with their segment. */
typedef struct seen_set {
    uint64_t *hash;
    uint32_t *seg;     /* segment + 1; 0 empty */
    size_t *off;       /* key in pool, NUL-terminated */
    size_t size, n;
    ps_buf pool;
} seen_set;

struct ps_writer {
    xc_wdb *db;           /* where documents go: the index or a segment */
    xc_wdb *main;         /* the index, while a segment is written */
    ps_analyzer *an;
    ps_writer_opts opts;
    size_t pending;       /* text bytes since the last commit */
    int in_txn;
    ps_writer_stats st;
    ps_buf scratch;       /* data blobs */
    ps_buf key;           /* document key */
    char *path;
    int bulk;             /* began empty: segments allowed */
    unsigned seg;         /* the segment written: 0 the index itself */
    size_t seg_bytes;     /* text in it */
    seen_set seen;
};

void ps_writer_opts_default(ps_writer_opts *o)
{
    memset(o, 0, sizeof *o);
    o->flush_bytes = DEFAULT_FLUSH_BYTES;
    o->segment_bytes = DEFAULT_SEGMENT_BYTES;
    o->create = 1;
}

/* Xapian errors as polsearch errors. */
static int from_xc(ps_error *err, const xc_error *xe, const char *what)
{
    int code;
    switch (xe->code) {
    case XC_ENOMEM: code = PS_ENOMEM; break;
    case XC_ELOCK: code = PS_ELOCKED; break;
    case XC_EMODIFIED: code = PS_EMODIFIED; break;
    case XC_ENETWORK: code = PS_ENETWORK; break;
    case XC_EOPENING: code = PS_ENOTFOUND; break;
    case XC_EVERSION: code = PS_EVERSION; break;
    default: code = PS_EDB; break;
    }
    if (xe->code == XC_ELOCK)
        return ps_error_set(err, code, "%s: the index is locked by another indexer", what);
    return ps_error_set(err, code, "%s: %s: %s", what, xe->type, xe->msg);
}

int ps_doc_key(const char *id, ps_buf *out)
{
    size_t n = strlen(id);
    if (n <= 200)
        return ps_buf_add(out, id, n);
    /* Xapian terms stop at 245 bytes: keep a readable head and a hash */
    {
        size_t head = 180;
        while (head > 0 && ((unsigned char)id[head] & 0xC0) == 0x80)
            head--;
        ps_buf_add(out, id, head);
        return ps_buf_addf(out, "#%016llx", (unsigned long long)ps_hash64(id, n));
    }
}

/* ---- bulk loads in segments ------------------------------------------ */

static int settle(ps_writer *w, ps_error *err);

/* PATH.segments, or PATH.segments/NNNN for n > 0. */
static void seg_path(const ps_writer *w, unsigned n, char *out, size_t size)
{
    if (n)
        snprintf(out, size, "%s.segments/%04u", w->path, n);
    else
        snprintf(out, size, "%s.segments", w->path);
}

static void rm_segments(ps_writer *w)
{
    char p[4096];
    seg_path(w, 0, p, sizeof p);
    ps_rmtree(p);
}

/* The segment + 1 key was added to during this load, 0 when none. */
static uint32_t seen_get(const seen_set *s, const char *k, size_t n)
{
    uint64_t h = ps_hash64(k, n);
    size_t j;
    if (!s->size)
        return 0;
    for (j = h & (s->size - 1); s->seg[j]; j = (j + 1) & (s->size - 1))
        if (s->hash[j] == h && strcmp(s->pool.data + s->off[j], k) == 0)
            return s->seg[j];
    return 0;
}

static int seen_put(seen_set *s, const char *k, size_t n, unsigned seg)
{
    uint64_t h = ps_hash64(k, n);
    size_t j, off;
    if ((s->n + 1) * 2 > s->size) {
        size_t ns = s->size ? s->size * 2 : 4096, i;
        uint64_t *nh = ps_calloc(ns, sizeof *nh);
        uint32_t *nseg = ps_calloc(ns, sizeof *nseg);
        size_t *noff = ps_calloc(ns, sizeof *noff);
        if (!nh || !nseg || !noff) {
            ps_free(nh);
            ps_free(nseg);
            ps_free(noff);
            return PS_ENOMEM;
        }
        for (i = 0; i < s->size; i++) {
            if (!s->seg[i])
                continue;
            for (j = s->hash[i] & (ns - 1); nseg[j]; j = (j + 1) & (ns - 1))
                ;
            nh[j] = s->hash[i];
            nseg[j] = s->seg[i];
            noff[j] = s->off[i];
        }
        ps_free(s->hash);
        ps_free(s->seg);
        ps_free(s->off);
        s->hash = nh;
        s->seg = nseg;
        s->off = noff;
        s->size = ns;
    }
    for (j = h & (s->size - 1); s->seg[j]; j = (j + 1) & (s->size - 1))
        if (s->hash[j] == h && strcmp(s->pool.data + s->off[j], k) == 0) {
            s->seg[j] = seg + 1;
            return PS_OK;
        }
    off = s->pool.len;
    if (ps_buf_add(&s->pool, k, n) || ps_buf_addc(&s->pool, 0))
        return PS_ENOMEM;
    s->hash[j] = h;
    s->seg[j] = seg + 1;
    s->off[j] = off;
    s->n++;
    return PS_OK;
}

static int begin(ps_writer *w, xc_wdb *db, const char *what, ps_error *err)
{
    xc_error xe;
    char v[16];
    if (xc_wdb_begin_transaction(db, 1, &xe))
        return from_xc(err, &xe, what);
    w->in_txn = 1;
    snprintf(v, sizeof v, "%d", PS_INDEX_FORMAT);
    if (xc_wdb_set_metadata(db, META_FORMAT, v, strlen(v), &xe))
        return from_xc(err, &xe, what);
    return PS_OK;
}

/* Ends the segment written and starts the next one. The index itself
 * stays open, idle, so that no other writer takes it meanwhile. */
static int next_segment(ps_writer *w, ps_error *err)
{
    char p[4096];
    xc_error xe;
    xc_wdb *db;
    int rc = settle(w, err);
    if (rc)
        return rc;
    if (w->seg == 0) {
        w->main = w->db;
        seg_path(w, 0, p, sizeof p);
        ps_rmtree(p);
        if (mkdir(p, 0777) != 0)
            return ps_error_set(err, PS_EIO, "cannot create %s", p);
    } else {
        xc_wdb_free(w->db);
    }
    w->db = NULL;
    seg_path(w, w->seg + 1, p, sizeof p);
    /* a segment is scratch until merged: never worth an fsync */
    db = xc_wdb_open(p, XC_DB_CREATE_OR_OVERWRITE | XC_DB_NO_SYNC, &xe);
    if (!db)
        return from_xc(err, &xe, p);
    w->db = db;
    w->seg++;
    w->seg_bytes = 0;
    return begin(w, db, p, err);
}

/* Merges the index and its segments into a new folder and swaps it in.
 * With reopen, the writer goes on in the merged index, in one database. */
static int merge_segments(ps_writer *w, int reopen, ps_error *err)
{
    char tmp[4096], old[4096], p[4096], when[32];
    xc_error xe;
    xc_db *src = NULL;
    unsigned i, n = w->seg;
    int rc = PS_OK;

    /* the merged index is as new as its newest part: the first source's
     * metadata is kept */
    snprintf(when, sizeof when, "%lld", (long long)time(NULL));
    if (xc_wdb_set_metadata(w->main, META_UPDATED, when, strlen(when), &xe) ||
        xc_wdb_commit(w->main, &xe))
        return from_xc(err, &xe, "recording the update time");
    xc_wdb_free(w->db);
    w->db = NULL;
    snprintf(tmp, sizeof tmp, "%s.merge-tmp", w->path);
    snprintf(old, sizeof old, "%s.merge-old", w->path);
    ps_rmtree(tmp);
    ps_rmtree(old);
    src = xc_db_new(&xe);
    if (!src || xc_db_add_path(src, w->path, &xe)) {
        rc = from_xc(err, &xe, "merging the segments");
        goto out;
    }
    for (i = 1; i <= n; i++) {
        seg_path(w, i, p, sizeof p);
        if (xc_db_add_path(src, p, &xe)) {
            rc = from_xc(err, &xe, "merging the segments");
            goto out;
        }
    }
    if (xc_db_compact(src, tmp, 0, &xe)) {
        rc = from_xc(err, &xe, "merging the segments");
        goto out;
    }
    xc_db_free(src);
    src = NULL;
    /* swapped while the index's writer still holds its lock, so no other
     * writer gets in between; closed after (it has nothing to write) */
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, w->path, RENAME_EXCHANGE) == 0) {
        xc_wdb_free(w->main);
        w->main = NULL;
        ps_rmtree(tmp);
    } else if (rename(w->path, old) != 0 || rename(tmp, w->path) != 0) {
        rc = ps_error_set(err, PS_EIO, "swapping in the merged index at %s", w->path);
        goto out;
    } else {
        xc_wdb_free(w->main);
        w->main = NULL;
        ps_rmtree(old);
    }
    w->st.segments += n + 1;
out:
    xc_db_free(src);
    ps_rmtree(tmp);
    rm_segments(w);
    w->seg = 0;
    w->bulk = 0;
    if (w->main) {
        /* merging failed: the index keeps its first segment */
        w->db = w->main;
        w->main = NULL;
    }
    if (rc == PS_OK && reopen) {
        w->db = xc_wdb_open(w->path, XC_DB_OPEN | (w->opts.no_sync ? XC_DB_NO_SYNC : 0u), &xe);
        if (!w->db)
            return from_xc(err, &xe, w->path);
        rc = begin(w, w->db, w->path, err);
    } else if (rc != PS_OK && reopen && w->db) {
        /* go on in the index as it is, in a transaction as before; the
         * merge's error is the one reported */
        (void)begin(w, w->db, w->path, NULL);
    }
    return rc;
}

int ps_writer_open(const char *path, const ps_writer_opts *opts, ps_writer **out,
                   ps_error *err)
{
    ps_writer *w;
    xc_error xe;
    unsigned flags;
    char *fmt = NULL;
    size_t fmtlen = 0;
    uint32_t ndocs = 0;
    int rc;

    *out = NULL;
    w = ps_calloc(1, sizeof *w);
    if (!w)
        return ps_error_set(err, PS_ENOMEM, "out of memory opening the index");
    if (opts)
        w->opts = *opts;
    else
        ps_writer_opts_default(&w->opts);
    if (!w->opts.flush_bytes)
        w->opts.flush_bytes = DEFAULT_FLUSH_BYTES;
    ps_buf_init(&w->scratch, 0);
    ps_buf_init(&w->key, 4096);
    ps_buf_init(&w->seen.pool, 0);
    w->path = ps_strdup(path);
    if (!w->path) {
        rc = ps_error_set(err, PS_ENOMEM, "out of memory opening the index");
        goto fail;
    }

    rc = ps_analyzer_new(&w->an, err);
    if (rc)
        goto fail;
    flags = (w->opts.create ? XC_DB_CREATE_OR_OPEN : XC_DB_OPEN) |
            (w->opts.no_sync ? XC_DB_NO_SYNC : 0u);
    w->db = xc_wdb_open(path, flags, &xe);
    if (!w->db) {
        rc = from_xc(err, &xe, path);
        goto fail;
    }
    if (xc_db_get_metadata(xc_wdb_db(w->db), META_FORMAT, &fmt, &fmtlen, &xe) ||
        xc_db_doccount(xc_wdb_db(w->db), &ndocs, &xe)) {
        rc = from_xc(err, &xe, path);
        goto fail;
    }
    if (!fmt && ndocs > 0) {
        rc = ps_error_set(err, PS_EVERSION, "%s holds a Xapian database not made by polsearch",
                          path);
        goto fail;
    }
    if (fmt) {
        char want[16];
        snprintf(want, sizeof want, "%d", PS_INDEX_FORMAT);
        if (fmtlen != strlen(want) || memcmp(fmt, want, fmtlen) != 0) {
            rc = ps_error_set(err, PS_EVERSION,
                              "%s has index format %.*s, this program writes %s: "
                              "index into a new folder",
                              path, (int)(fmtlen < 16 ? fmtlen : 16), fmt, want);
            goto fail;
        }
    }
    xc_free(fmt);
    fmt = NULL;
    w->bulk = ndocs == 0 && w->opts.segment_bytes > 0;
    {
        /* what a killed bulk load left: ours to remove, now that we hold
         * the index's lock */
        char p[4096];
        rm_segments(w);
        snprintf(p, sizeof p, "%s.merge-tmp", path);
        ps_rmtree(p);
        /* (PATH.merge-old is left alone: where the filesystem could not
         * exchange folders, a kill between two renames leaves the index
         * there) */
    }
    if (xc_wdb_begin_transaction(w->db, 1, &xe)) {
        rc = from_xc(err, &xe, path);
        goto fail;
    }
    w->in_txn = 1;
    {
        char v[16];
        snprintf(v, sizeof v, "%d", PS_INDEX_FORMAT);
        if (xc_wdb_set_metadata(w->db, META_FORMAT, v, strlen(v), &xe)) {
            rc = from_xc(err, &xe, path);
            goto fail;
        }
    }
    *out = w;
    return PS_OK;
fail:
    xc_free(fmt);
    ps_writer_abort(w);
    return rc;
}

void ps_writer_abort(ps_writer *w)
{
    xc_error xe;
    if (!w)
        return;
    if (w->db && w->in_txn)
        xc_wdb_cancel_transaction(w->db, &xe);
    xc_wdb_free(w->db);
    xc_wdb_free(w->main);
    if (w->seg > 0)
        rm_segments(w);
    ps_analyzer_free(w->an);
    ps_buf_fin(&w->scratch);
    ps_buf_fin(&w->key);
    ps_free(w->seen.hash);
    ps_free(w->seen.seg);
    ps_free(w->seen.off);
    ps_buf_fin(&w->seen.pool);
    ps_free(w->path);
    ps_free(w);
}

int ps_writer_commit(ps_writer *w, ps_error *err)
{
    xc_error xe;
    char when[32];
    snprintf(when, sizeof when, "%lld", (long long)time(NULL));
    if (xc_wdb_set_metadata(w->db, META_UPDATED, when, strlen(when), &xe))
        return from_xc(err, &xe, "recording the update time");
    if (w->in_txn) {
        w->in_txn = 0;
        if (xc_wdb_commit_transaction(w->db, &xe))
            return from_xc(err, &xe, "committing the index");
    } else if (xc_wdb_commit(w->db, &xe)) {
        return from_xc(err, &xe, "committing the index");
    }
    w->st.commits++;
    w->pending = 0;
    if (xc_wdb_begin_transaction(w->db, 1, &xe))
        return from_xc(err, &xe, "starting a transaction");
    w->in_txn = 1;
    return PS_OK;
}

/* Commits and ends the transaction: the database is idle. */
static int settle(ps_writer *w, ps_error *err)
{
    xc_error xe;
    int rc = ps_writer_commit(w, err);
    if (rc == PS_OK && w->in_txn) {
        /* the commit opened a new, empty transaction: end it cleanly */
        w->in_txn = 0;
        if (xc_wdb_commit_transaction(w->db, &xe))
            rc = from_xc(err, &xe, "closing the index");
    }
    return rc;
}

int ps_writer_close(ps_writer *w, ps_error *err)
{
    int rc;
    if (!w)
        return PS_OK;
    rc = settle(w, err);
    if (rc == PS_OK && w->seg > 0)
        rc = merge_segments(w, 0, err);
    ps_writer_abort(w);
    return rc;
}

void ps_writer_get_stats(const ps_writer *w, ps_writer_stats *out)
{
    *out = w->st;
    if (w->seg > 0) /* to be merged on close */
        out->segments += w->seg + 1;
}

/* ---- building records ---------------------------------------------- */

/* A sticky-error context for the many calls that build one record. */
typedef struct rec {
    xc_doc *doc;
    xc_error xe;
    int rc;  /* first failure (xc_rc), 0 while fine */
} rec;

static void term(rec *r, const char *prefix, const char *t, size_t n, uint32_t wdf)
{
    char buf[256];
    size_t pl = strlen(prefix);
    if (r->rc || n == 0)
        return;
    if (pl + n > 245)
        n = 245 - pl; /* Xapian's limit; keys are short, this is a guard */
    memcpy(buf, prefix, pl);
    memcpy(buf + pl, t, n);
    if (wdf)
        r->rc = xc_doc_add_term(r->doc, buf, pl + n, wdf, &r->xe);
    else
        r->rc = xc_doc_add_boolean_term(r->doc, buf, pl + n, &r->xe);
}

static void value(rec *r, unsigned slot, const char *v, size_t n)
{
    if (!r->rc && n)
        r->rc = xc_doc_set_value(r->doc, slot, v, n, &r->xe);
}

static void vstr(rec *r, unsigned slot, const char *v)
{
    if (v)
        value(r, slot, v, strlen(v));
}

/* A buffer of the record ran out of memory: fail the record with ENOMEM
 * (a missing term would go unnoticed). A cap (ETOOBIG) only drops what
 * passed it, as before. */
static void buf_check(rec *r, const ps_buf *b)
{
    if (!r->rc && b->err == PS_ENOMEM) {
        r->rc = r->xe.code = XC_ENOMEM;
        snprintf(r->xe.type, sizeof r->xe.type, "%s", "polsearch");
        snprintf(r->xe.msg, sizeof r->xe.msg, "%s", "out of memory building a record");
    }
}

/* Number keys of a document number, appended NUL-separated to keys. */
static void number_keys(const ps_doc *doc, ps_buf *full, ps_buf *shortk)
{
    const char *num = doc->meta.number;
    if (!num || !*num)
        return;
    ps_docnum_key(num, strlen(num), full);
    ps_docnum_short_key(num, strlen(num), shortk);
    /* "luật 45", "nghị quyết 57": the number with the type's abbreviation
     * reaches documents whose number has none (laws) */
    if (doc->meta.type) {
        const char *ab = ps_doctype_abbrev(doc->meta.type, strlen(doc->meta.type));
        size_t i = 0;
        while (num[i] >= '0' && num[i] <= '9')
            i++;
        if (ab && i > 0) {
            if (shortk->len)
                ps_buf_addc(shortk, '\0');
            ps_buf_add(shortk, num, i);
            ps_buf_addc(shortk, '-');
            ps_buf_adds(shortk, ab);
        }
    }
}

/* Appends US and v with any US in it made a space. */
static void facet_part(ps_buf *b, const char *v)
{
    ps_buf_addc(b, '\x1f');
    for (; v && *v; v++)
        ps_buf_addc(b, *v == '\x1f' ? ' ' : *v);
}

/* Terms and values every record of a document carries. */
static void common_terms(rec *r, const ps_doc *doc, const char *key, size_t keylen,
                         const ps_buf *full, const ps_buf *shortk, uint32_t numwdf)
{
    ps_buf b;
    char acc[2] = {(char)('0' + doc->meta.access), 0};
    ps_buf_init(&b, 4096);
    term(r, PFX_GROUP, key, keylen, 0);
    /* The document's collapse key also carries its facet values, so a
     * collapsed result list can be counted by type, issuer and year
     * without fetching a single record. */
    ps_buf_add(&b, key, keylen);
    facet_part(&b, doc->meta.type);
    facet_part(&b, doc->meta.issuer);
    ps_buf_addc(&b, '\x1f');
    if (doc->meta.date && strlen(doc->meta.date) >= 4)
        ps_buf_add(&b, doc->meta.date, 4);
    value(r, SLOT_DOCKEY, b.data, b.len);
    buf_check(r, &b);
    ps_buf_reset(&b);
    if (doc->meta.type) {
        ps_text_slug(doc->meta.type, strlen(doc->meta.type), &b);
        term(r, PFX_TYPE, b.data, b.len, 0);
        vstr(r, SLOT_TYPE, doc->meta.type);
        buf_check(r, &b);
        ps_buf_reset(&b);
    }
    if (doc->meta.issuer) {
        ps_text_slug(doc->meta.issuer, strlen(doc->meta.issuer), &b);
        term(r, PFX_ISSUER, b.data, b.len, 0);
        vstr(r, SLOT_ISSUER, doc->meta.issuer);
        buf_check(r, &b);
        ps_buf_reset(&b);
    }
    if (doc->meta.date && strlen(doc->meta.date) == 10) {
        char ymd[9];
        memcpy(ymd, doc->meta.date, 4);
        memcpy(ymd + 4, doc->meta.date + 5, 2);
        memcpy(ymd + 6, doc->meta.date + 8, 2);
        ymd[8] = 0;
        value(r, SLOT_DATE, ymd, 8);
        value(r, SLOT_YEAR, doc->meta.date, 4);
        term(r, PFX_YEAR, doc->meta.date, 4, 0);
    }
    term(r, PFX_ACCESS, acc, 1, 0);
    value(r, SLOT_ACCESS, acc, 1);
    if (full->len)
        term(r, PFX_NUMBER, full->data, full->len, numwdf);
    if (shortk->len) {
        size_t s = 0;
        while (s < shortk->len) {
            size_t l = strlen(shortk->data + s);
            term(r, PFX_NUMBER_SHORT, shortk->data + s, l, numwdf);
            s += l + 1;
        }
    }
    ps_buf_fin(&b);
}

static void json_tree(ps_jw *j, const ps_node *n)
{
    const ps_node *c;
    for (c = n->child; c; c = c->next) {
        ps_jw_obj(j);
        ps_jw_kstr(j, "kind", ps_node_kind_name(c->kind));
        ps_jw_kstr(j, "label", c->label);
        ps_jw_kstr(j, "num", c->num);
        ps_jw_kstr(j, "title", c->title);
        ps_jw_kint(j, "start", (long long)c->start);
        ps_jw_kint(j, "end", (long long)c->end);
        ps_jw_key(j, "children");
        ps_jw_arr(j);
        json_tree(j, c);
        ps_jw_arr_end(j);
        ps_jw_obj_end(j);
    }
}

/* The document record's data: three JSON lines (metadata; structure;
 * relations), so a reader of hits parses only the first. */
static void doc_data(ps_buf *b, const ps_doc *doc, size_t npassages)
{
    ps_jw j;
    size_t i;
    ps_jw_init(&j, b);
    ps_jw_obj(&j);
    ps_jw_kstr(&j, "id", doc->id);
    ps_jw_kstr(&j, "title", doc->meta.title);
    ps_jw_kstr(&j, "number", doc->meta.number);
    ps_jw_kstr(&j, "type", doc->meta.type);
    ps_jw_kstr(&j, "issuer", doc->meta.issuer);
    ps_jw_kstr(&j, "signer", doc->meta.signer);
    ps_jw_kstr(&j, "signer_title", doc->meta.signer_title);
    ps_jw_kstr(&j, "place", doc->meta.place);
    ps_jw_kstr(&j, "date", doc->meta.date);
    ps_jw_kstr(&j, "effective_date", doc->meta.effective_date);
    ps_jw_kstr(&j, "access", ps_access_name(doc->meta.access));
    ps_jw_kstr(&j, "source", doc->source);
    ps_jw_kstr(&j, "format", doc->format);
    ps_jw_kstr(&j, "encoding", doc->encoding);
    ps_jw_kint(&j, "n_passages", (long long)npassages);
    ps_jw_kint(&j, "text_len", (long long)doc->text_len);
    if (doc->n_pages) {
        /* where each page of a paged source (PDF) starts in the text */
        size_t k;
        ps_jw_key(&j, "pages");
        ps_jw_arr(&j);
        for (k = 0; k < doc->n_pages; k++)
            ps_jw_int(&j, (long long)doc->page_starts[k]);
        ps_jw_arr_end(&j);
    }
    ps_jw_obj_end(&j);
    ps_buf_addc(b, '\n');
    ps_jw_init(&j, b);
    ps_jw_arr(&j);
    if (doc->root)
        json_tree(&j, doc->root);
    ps_jw_arr_end(&j);
    ps_buf_addc(b, '\n');
    ps_jw_init(&j, b);
    ps_jw_arr(&j);
    for (i = 0; i < doc->n_rels; i++) {
        const ps_relation *r = &doc->rels[i];
        ps_jw_obj(&j);
        ps_jw_kstr(&j, "kind", ps_rel_kind_name(r->kind));
        ps_jw_kstr(&j, "number", r->number);
        ps_jw_kstr(&j, "key", r->key);
        ps_jw_kstr(&j, "type", r->type);
        ps_jw_kstr(&j, "date", r->date);
        ps_jw_kint(&j, "start", (long long)r->start);
        ps_jw_kint(&j, "end", (long long)r->end);
        ps_jw_obj_end(&j);
    }
    ps_jw_arr_end(&j);
}

/* A passage record's data: one JSON line (the passage and the document
 * fields a hit shows, so hits never fetch the document record), then the
 * passage text. */
static void passage_data(ps_buf *b, const ps_doc *doc, const ps_passage *p)
{
    ps_jw j;
    ps_jw_init(&j, b);
    ps_jw_obj(&j);
    ps_jw_kstr(&j, "id", doc->id);
    ps_jw_kint(&j, "ordinal", p->ordinal);
    ps_jw_kint(&j, "start", (long long)p->start);
    ps_jw_kstr(&j, "kind", p->kind);
    ps_jw_kstr(&j, "label", p->label);
    ps_jw_kstr(&j, "path", p->path);
    ps_jw_kstr(&j, "article", p->article);
    ps_jw_kstr(&j, "heading", p->title);
    ps_jw_kstr(&j, "title", doc->meta.title);
    ps_jw_kstr(&j, "number", doc->meta.number);
    ps_jw_kstr(&j, "type", doc->meta.type);
    ps_jw_kstr(&j, "issuer", doc->meta.issuer);
    ps_jw_kstr(&j, "date", doc->meta.date);
    ps_jw_kstr(&j, "access", ps_access_name(doc->meta.access));
    if (doc->n_pages) {
        /* the page the passage starts on (1-based) */
        size_t k = 0;
        while (k + 1 < doc->n_pages && doc->page_starts[k + 1] <= p->start)
            k++;
        ps_jw_kint(&j, "page", (long long)k + 1);
    }
    ps_jw_obj_end(&j);
    ps_buf_addc(b, '\n');
    ps_buf_add(b, doc->text + p->start, p->end - p->start);
}

/* The free-text terms of a passage. A syllable without diacritics is its
 * own fold, so it is stored once, as its exact term with positions; a
 * syllable with diacritics gets its exact term (no positions) and its fold
 * with an F prefix (positions). A query for a fold therefore looks up both
 * "F"+fold and the bare fold. Adjacent syllables add their folded bigram.
 * Xapian's writer costs about the same for every (passage, distinct term)
 * pair, so each term kind here had to earn its place in `make eval`. */
static void text_terms(rec *r, ps_analyzer *an, const char *text, size_t len,
                       uint64_t *ntok)
{
    ps_token t;
    ps_error e;
    char prev_fold[PS_TERM_MAX + 1];
    size_t prev_fl = 0;
    char buf[2 * PS_TERM_MAX + 4];
    int have_prev = 0;

    if (r->rc)
        return;
    if (ps_analyzer_start(an, text, len, 1, &e)) {
        r->rc = XC_EOTHER;
        snprintf(r->xe.msg, sizeof r->xe.msg, "%s", e.msg);
        return;
    }
    while (!r->rc && ps_analyzer_next(an, &t)) {
        (*ntok)++;
        if (t.flags & PS_TOK_MARKS) {
            r->rc = xc_doc_add_term(r->doc, t.term, t.term_len, 1, &r->xe);
            if (r->rc)
                break;
            buf[0] = 'F';
            memcpy(buf + 1, t.fold, t.fold_len);
            r->rc = xc_doc_add_posting(r->doc, buf, t.fold_len + 1, t.pos, 1, &r->xe);
        } else {
            r->rc = xc_doc_add_posting(r->doc, t.term, t.term_len, t.pos, 1, &r->xe);
        }
        if (r->rc)
            break;
        if (have_prev && !(t.flags & PS_TOK_BREAK)) {
            buf[0] = 'C';
            memcpy(buf + 1, prev_fold, prev_fl);
            buf[1 + prev_fl] = ' ';
            memcpy(buf + 2 + prev_fl, t.fold, t.fold_len);
            r->rc = xc_doc_add_term(r->doc, buf, 2 + prev_fl + t.fold_len, 1, &r->xe);
        }
        memcpy(prev_fold, t.fold, t.fold_len + 1);
        prev_fl = t.fold_len;
        have_prev = 1;
    }
}

/* The document record's title terms: folded words of its type and title
 * (and the issuer), which ps_suggest completes on. */
static void title_terms(rec *r, ps_analyzer *an, const ps_doc *doc)
{
    const char *parts[3];
    size_t i;
    ps_token t;
    ps_error e;
    char buf[PS_TERM_MAX + 4];
    parts[0] = doc->meta.type;
    parts[1] = doc->meta.title;
    parts[2] = doc->meta.issuer;
    for (i = 0; i < 3 && !r->rc; i++) {
        if (!parts[i] || ps_analyzer_start(an, parts[i], strlen(parts[i]), 1, &e))
            continue;
        while (!r->rc && ps_analyzer_next(an, &t)) {
            buf[0] = 'S';
            memcpy(buf + 1, t.fold, t.fold_len);
            r->rc = xc_doc_add_term(r->doc, buf, t.fold_len + 1, 1, &r->xe);
        }
    }
}

/* Takes the records of a document that failed half-way out of the batch,
 * so a later commit never stores half a document. The term is built on
 * the stack: this runs when memory may be short. */
static void drop_partial(ps_writer *w, const char *key, size_t keylen)
{
    char t[sizeof PFX_GROUP + 256];
    xc_error xe;
    size_t pl = strlen(PFX_GROUP);
    if (keylen > sizeof t - pl)
        keylen = sizeof t - pl;
    memcpy(t, PFX_GROUP, pl);
    memcpy(t + pl, key, keylen);
    xc_wdb_delete_documents_term(w->db, t, pl + keylen, &xe);
}

static int new_rec(rec *r, ps_error *err)
{
    memset(r, 0, sizeof *r);
    r->doc = xc_doc_new(&r->xe);
    if (!r->doc)
        return from_xc(err, &r->xe, "creating a record");
    return PS_OK;
}

static int delete_id(ps_writer *w, const char *id, ps_error *err);

int ps_writer_add(ps_writer *w, ps_doc *doc, ps_error *err)
{
    ps_passage *ps;
    size_t np, i;
    rec r;
    int rc;
    ps_buf full, shortk, tmp;
    const char *key;
    size_t keylen;
    int partial = 0; /* some records of this document are in the batch */

    if (!doc->id || !*doc->id)
        return ps_error_set(err, PS_EINVAL, "a document needs an id");
    rc = ps_passages(doc, &ps, &np, err);
    if (rc)
        return rc;
    ps_buf_reset(&w->key);
    if (ps_doc_key(doc->id, &w->key))
        return ps_error_set(err, PS_ENOMEM, "out of memory");
    key = w->key.data;
    keylen = w->key.len;

    if (w->seg > 0) {
        uint32_t sg = seen_get(&w->seen, key, keylen);
        /* added to an earlier segment: replaced in one database */
        if (sg && sg - 1 != w->seg && ((rc = settle(w, err)) || (rc = merge_segments(w, 1, err))))
            return rc;
    }
    rc = delete_id(w, doc->id, err);
    if (rc)
        return rc;

    ps_buf_init(&full, 256);
    ps_buf_init(&shortk, 1024);
    ps_buf_init(&tmp, 1024);
    number_keys(doc, &full, &shortk);

    /* the document record */
    if ((rc = new_rec(&r, err)))
        goto out;
    term(&r, PFX_ID, key, keylen, 0);
    if (!r.rc)
        r.rc = xc_doc_add_boolean_term(r.doc, KIND_DOC, 2, &r.xe);
    common_terms(&r, doc, key, keylen, &full, &shortk, 1);
    for (i = 0; i < doc->n_rels; i++) {
        const ps_relation *rl = &doc->rels[i];
        if (!rl->key)
            continue;
        ps_buf_reset(&tmp);
        ps_buf_addf(&tmp, "%s:%s", ps_rel_kind_name(rl->kind), rl->key);
        buf_check(&r, &tmp);
        term(&r, PFX_REL, tmp.data, tmp.len, 0);
        term(&r, PFX_CITES, rl->key, strlen(rl->key), 0);
    }
    buf_check(&r, &full);
    buf_check(&r, &shortk);
    buf_check(&r, &tmp);
    /* title words for suggestions (search as you type) */
    if (!r.rc)
        title_terms(&r, w->an, doc);
    ps_buf_reset(&tmp);
    ps_buf_addf(&tmp, "%lld %lld %016llx\x1f%s\x1f%s", (long long)doc->size,
                (long long)doc->mtime, (unsigned long long)doc->hash,
                doc->source ? doc->source : "", doc->id);
    buf_check(&r, &tmp);
    value(&r, SLOT_SOURCE, tmp.data, tmp.len);
    ps_buf_reset(&w->scratch);
    doc_data(&w->scratch, doc, np);
    buf_check(&r, &w->scratch);
    if (!r.rc)
        r.rc = xc_doc_set_data(r.doc, w->scratch.data, w->scratch.len, &r.xe);
    if (!r.rc)
        r.rc = xc_wdb_add_document(w->db, r.doc, NULL, &r.xe);
    xc_doc_free(r.doc);
    if (r.rc) {
        rc = from_xc(err, &r.xe, doc->id);
        goto out;
    }
    partial = 1;

    /* the passages */
    for (i = 0; i < np; i++) {
        const ps_passage *p = &ps[i];
        char ord[4];
        size_t k;
        if ((rc = new_rec(&r, err)))
            goto out;
        if (!r.rc)
            r.rc = xc_doc_add_boolean_term(r.doc, KIND_PASSAGE, 2, &r.xe);
        common_terms(&r, doc, key, keylen, &full, &shortk, 1);
        if (p->article) /* weighted: "điều 5 ..." queries lean on it */
            term(&r, PFX_ARTICLE, p->article, strlen(p->article), 1);
        term(&r, PFX_PKIND, p->kind, strlen(p->kind), 0);
        /* numbers the passage mentions: a query for a number finds the
         * passages that cite it, after the document itself */
        for (k = 0; k < doc->n_rels; k++) {
            const ps_relation *rl = &doc->rels[k];
            if (rl->key && rl->start >= p->start && rl->start < p->end)
                term(&r, PFX_CITES, rl->key, strlen(rl->key), 1);
        }
        ord[0] = (char)(p->ordinal >> 24);
        ord[1] = (char)(p->ordinal >> 16);
        ord[2] = (char)(p->ordinal >> 8);
        ord[3] = (char)p->ordinal;
        value(&r, SLOT_ORDINAL, ord, 4);
        ps_buf_reset(&tmp);
        ps_buf_add(&tmp, key, keylen);
        if (p->article)
            ps_buf_addf(&tmp, "\x1f" "a%s", p->article);
        else
            ps_buf_addf(&tmp, "\x1f" "o%u", p->ordinal);
        buf_check(&r, &tmp);
        value(&r, SLOT_UNITKEY, tmp.data, tmp.len);
        text_terms(&r, w->an, doc->text + p->start, p->end - p->start, &w->st.tokens);
        ps_buf_reset(&w->scratch);
        passage_data(&w->scratch, doc, p);
        buf_check(&r, &w->scratch);
        if (!r.rc)
            r.rc = xc_doc_set_data(r.doc, w->scratch.data, w->scratch.len, &r.xe);
        if (!r.rc)
            r.rc = xc_wdb_add_document(w->db, r.doc, NULL, &r.xe);
        xc_doc_free(r.doc);
        if (r.rc) {
            rc = from_xc(err, &r.xe, doc->id);
            goto out;
        }
        w->st.passages++;
    }
    partial = 0;
    w->st.docs_added++;
    w->st.bytes += doc->text_len;
    w->pending += doc->text_len;
    if (w->bulk) {
        w->seg_bytes += doc->text_len;
        if (seen_put(&w->seen, key, keylen, w->seg)) {
            rc = ps_error_set(err, PS_ENOMEM, "out of memory");
            goto out;
        }
    }
    if (w->pending >= w->opts.flush_bytes)
        rc = ps_writer_commit(w, err);
    if (rc == PS_OK && w->bulk && w->seg_bytes >= w->opts.segment_bytes)
        rc = next_segment(w, err);
out:
    if (partial)
        drop_partial(w, key, keylen);
    ps_buf_fin(&full);
    ps_buf_fin(&shortk);
    ps_buf_fin(&tmp);
    return rc;
}

/* Removes every record of the document id. */
static int delete_id(ps_writer *w, const char *id, ps_error *err)
{
    ps_buf k;
    xc_error xe;
    int rc;
    ps_buf_init(&k, 4096);
    ps_buf_adds(&k, PFX_GROUP);
    ps_doc_key(id, &k);
    if (k.err) {
        ps_buf_fin(&k);
        return ps_error_set(err, PS_ENOMEM, "out of memory");
    }
    rc = xc_wdb_delete_documents_term(w->db, k.data, k.len, &xe);
    ps_buf_fin(&k);
    if (rc)
        return from_xc(err, &xe, id);
    return PS_OK;
}

int ps_writer_delete(ps_writer *w, const char *id, ps_error *err)
{
    int rc;
    if (w->seg > 0 && ((rc = settle(w, err)) || (rc = merge_segments(w, 1, err))))
        return rc;
    rc = delete_id(w, id, err);
    if (rc == PS_OK)
        w->st.docs_deleted++;
    return rc;
}

int ps_writer_each_doc(ps_writer *w, ps_writer_doc_fn fn, void *ctx, ps_error *err)
{
    xc_error xe;
    xc_valueiter *it;
    int mrc;
    if (w->seg > 0 && ((mrc = settle(w, err)) || (mrc = merge_segments(w, 1, err))))
        return mrc;
    it = xc_db_values(xc_wdb_db(w->db), SLOT_SOURCE, &xe);
    xc_docid did;
    const char *v;
    size_t len;
    int r, rc = PS_OK;
    ps_buf id;
    if (!it)
        return from_xc(err, &xe, "listing documents");
    ps_buf_init(&id, 0);
    while ((r = xc_valueiter_next(it, &did, &v, &len, &xe)) == 1) {
        /* "size mtime hash" US source US id */
        ps_source_sig sig;
        const char *us1 = memchr(v, '\x1f', len), *us2;
        long long size = 0, mtime = 0;
        unsigned long long hash = 0;
        size_t src_off;
        if (!us1)
            continue;
        us2 = memchr(us1 + 1, '\x1f', len - (size_t)(us1 + 1 - v));
        if (!us2)
            continue;
        ps_buf_reset(&id);
        ps_buf_add(&id, v, (size_t)(us1 - v));
        if (id.err || sscanf(id.data, "%lld %lld %llx", &size, &mtime, &hash) != 3)
            continue;
        /* id and source share one buffer: "id\0source" */
        ps_buf_reset(&id);
        ps_buf_add(&id, us2 + 1, len - (size_t)(us2 + 1 - v));
        ps_buf_addc(&id, '\0');
        src_off = id.len;
        ps_buf_add(&id, us1 + 1, (size_t)(us2 - us1 - 1));
        if (id.err) {
            rc = ps_error_set(err, PS_ENOMEM, "out of memory listing documents");
            break;
        }
        sig.size = size;
        sig.mtime = mtime;
        sig.hash = hash;
        if ((rc = fn(ctx, id.data, id.data + src_off, &sig)) != 0)
            break;
    }
    if (r < 0)
        rc = from_xc(err, &xe, "listing documents");
    xc_valueiter_free(it);
    ps_buf_fin(&id);
    return rc;
}
