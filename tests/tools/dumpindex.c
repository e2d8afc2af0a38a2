/*
 * dumpindex: what an index holds, record by record, in a form two indexes
 * can be compared by (tests/integration/kill9.sh compares an index that
 * survived kill -9 and a re-run with a clean build of the same input).
 *
 *   dumpindex [--full] [--no-positions] DB
 *
 * One line per record (the document record and each passage), sorted, so
 * that Xapian's document ids, which differ between two builds, do not
 * matter:
 *
 *   <group term> <kind term> <ordinal> <hash>
 *
 * where the hash covers the record's sorted terms with their wdf and
 * positions, its values and its data. --full prints all of that instead
 * of the hash (long). The last line counts documents and records:
 *
 *   documents 41 records 312
 *
 * The database's own metadata (the time of the last update) is left out:
 * it differs between any two builds.
 *
 * The test of allocation failures includes this file with
 * DUMPINDEX_NO_MAIN defined to reuse dump_records().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/schema.h"
#include "polsearch/util.h"
#include "xapian-c/xc.h"

#define DUMP_MAX_SLOT 16

/* Appends bytes as printable text: other bytes as \xNN. */
static void dump_bytes(ps_buf *b, const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c > 0x20 && c != '\\' && c != 0x7F)
            ps_buf_addc(b, (char)c);
        else
            ps_buf_addf(b, "\\x%02x", c);
    }
}

/* The description of record did: its terms, values and data. Sets *group,
 * *kind (borrowed from rec: caller-provided buffers) for the line. */
static int dump_record(xc_db *db, xc_docid did, int positions, ps_buf *rec, ps_buf *group,
                       ps_buf *kind, xc_error *xe)
{
    xc_doc *doc = NULL;
    xc_termiter *it;
    xc_term t;
    const char *v;
    size_t len;
    unsigned slot;
    int r;

    if (xc_db_get_document(db, did, &doc, xe))
        return -1;
    it = xc_db_termlist(db, did, xe);
    if (!it) {
        xc_doc_free(doc);
        return -1;
    }
    while ((r = xc_termiter_next(it, &t, xe)) == 1) {
        ps_buf_adds(rec, "term ");
        dump_bytes(rec, t.term, t.len);
        ps_buf_addf(rec, " %u", t.wdf);
        if (t.len > strlen(PFX_GROUP) && memcmp(t.term, PFX_GROUP, strlen(PFX_GROUP)) == 0) {
            ps_buf_reset(group);
            dump_bytes(group, t.term, t.len);
        }
        if (t.len == 2 && t.term[0] == 'K') {
            ps_buf_reset(kind);
            ps_buf_add(kind, t.term, t.len);
        }
        if (positions) {
            xc_termpos *pos = NULL;
            size_t n = 0, k;
            if (xc_db_positions(db, did, t.term, t.len, &pos, &n, xe)) {
                xc_termiter_free(it);
                xc_doc_free(doc);
                return -1;
            }
            for (k = 0; k < n; k++)
                ps_buf_addf(rec, " %u", (unsigned)pos[k]);
            xc_free(pos);
        }
        ps_buf_addc(rec, '\n');
    }
    xc_termiter_free(it);
    if (r < 0) {
        xc_doc_free(doc);
        return -1;
    }
    for (slot = 0; slot < DUMP_MAX_SLOT; slot++) {
        v = xc_doc_value(doc, slot, &len);
        if (v && len) {
            ps_buf_addf(rec, "value %u ", slot);
            dump_bytes(rec, v, len);
            ps_buf_addc(rec, '\n');
        }
    }
    v = xc_doc_data(doc, &len);
    ps_buf_adds(rec, "data ");
    dump_bytes(rec, v ? v : "", v ? len : 0);
    ps_buf_addc(rec, '\n');
    xc_doc_free(doc);
    return 0;
}

static int cmp_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends to out one line per record of the index at path (only those of
 * the document whose group term is `group` when non-NULL), sorted, then
 * the counts. full: the whole record instead of its hash. Returns 0, or
 * -1 with a message in errmsg. */
static int dump_records(const char *path, const char *group, int full, int positions,
                        ps_buf *out, char *errmsg, size_t errcap)
{
    xc_error xe;
    xc_db *db = xc_db_open(path, &xe);
    xc_postiter *pl = NULL;
    xc_docid did = 0, last = 0;
    uint32_t wdf, ndocs = 0;
    char **lines = NULL;
    size_t n = 0, cap = 0, k;
    ps_buf rec, g, kind, line;
    int rc = 0;

    if (!db) {
        snprintf(errmsg, errcap, "%.200s: %.300s", path, xe.msg);
        return -1;
    }
    ps_buf_init(&rec, 0);
    ps_buf_init(&g, 0);
    ps_buf_init(&kind, 0);
    ps_buf_init(&line, 0);
    if (group) {
        pl = xc_db_postlist(db, group, strlen(group), &xe);
        if (!pl)
            rc = -1;
    } else if (xc_db_lastdocid(db, &last, &xe)) {
        rc = -1;
    }
    while (rc == 0) {
        char ord[16] = "-";
        const char *ov;
        size_t ol;
        xc_doc *d = NULL;
        if (group) {
            int r = xc_postiter_next(pl, &did, &wdf, &xe);
            if (r < 0)
                rc = -1;
            if (r <= 0)
                break;
        } else {
            if (++did > last)
                break;
            /* ids of deleted records are gaps */
            if (xc_db_get_document(db, did, &d, &xe)) {
                if (xe.code == XC_EDOCNOTFOUND)
                    continue;
                rc = -1;
                break;
            }
            xc_doc_free(d);
        }
        ps_buf_reset(&rec);
        ps_buf_reset(&g);
        ps_buf_reset(&kind);
        if (dump_record(db, did, positions, &rec, &g, &kind, &xe)) {
            rc = -1;
            break;
        }
        if (xc_db_get_document(db, did, &d, &xe) == 0) {
            ov = xc_doc_value(d, SLOT_ORDINAL, &ol);
            if (ov && ol == 4)
                snprintf(ord, sizeof ord, "%u",
                         (unsigned)((unsigned char)ov[0] << 24 | (unsigned char)ov[1] << 16 |
                                    (unsigned char)ov[2] << 8 | (unsigned char)ov[3]));
            xc_doc_free(d);
        }
        if (strcmp(ps_buf_cstr(&kind), KIND_DOC) == 0)
            ndocs++;
        ps_buf_reset(&line);
        ps_buf_addf(&line, "%s %s %s ", g.len ? ps_buf_cstr(&g) : "-",
                    kind.len ? ps_buf_cstr(&kind) : "-", ord);
        if (full) {
            ps_buf_addc(&line, '\n');
            ps_buf_add(&line, ps_buf_cstr(&rec), rec.len);
        } else {
            ps_buf_addf(&line, "%016llx",
                        (unsigned long long)ps_hash64(ps_buf_cstr(&rec), rec.len));
        }
        if (line.err || rec.err) {
            snprintf(errmsg, errcap, "out of memory");
            rc = -2;
            break;
        }
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 1024;
            char **nl = realloc(lines, ncap * sizeof *nl);
            if (!nl) {
                snprintf(errmsg, errcap, "out of memory");
                rc = -2;
                break;
            }
            lines = nl;
            cap = ncap;
        }
        lines[n++] = ps_buf_steal(&line, NULL);
        ps_buf_init(&line, 0);
        if (!lines[n - 1]) {
            snprintf(errmsg, errcap, "out of memory");
            rc = -2;
            n--;
            break;
        }
    }
    if (rc == -1)
        snprintf(errmsg, errcap, "%.200s: %.40s: %.300s", path, xe.type, xe.msg);
    if (rc == 0) {
        if (n) /* (an index killed before its first record: no lines) */
            qsort(lines, n, sizeof *lines, cmp_lines);
        for (k = 0; k < n; k++) {
            ps_buf_adds(out, lines[k]);
            ps_buf_addc(out, '\n');
        }
        ps_buf_addf(out, "documents %u records %zu\n", ndocs, n);
    }
    for (k = 0; k < n; k++)
        ps_free(lines[k]);
    free(lines);
    xc_postiter_free(pl);
    xc_db_free(db);
    ps_buf_fin(&rec);
    ps_buf_fin(&g);
    ps_buf_fin(&kind);
    ps_buf_fin(&line);
    return rc ? -1 : 0;
}

#ifndef DUMPINDEX_NO_MAIN
int main(int argc, char **argv)
{
    int full = 0, positions = 1, i;
    const char *path = NULL;
    ps_buf out;
    char msg[600];

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--full") == 0)
            full = 1;
        else if (strcmp(argv[i], "--no-positions") == 0)
            positions = 0;
        else if (argv[i][0] == '-' || path) {
            fprintf(stderr, "usage: dumpindex [--full] [--no-positions] DB\n");
            return 2;
        } else
            path = argv[i];
    }
    if (!path) {
        fprintf(stderr, "usage: dumpindex [--full] [--no-positions] DB\n");
        return 2;
    }
    ps_buf_init(&out, 0);
    if (dump_records(path, NULL, full, positions, &out, msg, sizeof msg)) {
        fprintf(stderr, "dumpindex: %s\n", msg);
        ps_buf_fin(&out);
        return 1;
    }
    fwrite(ps_buf_cstr(&out), 1, out.len, stdout);
    ps_buf_fin(&out);
    return fflush(stdout) == 0 ? 0 : 1;
}
#endif
