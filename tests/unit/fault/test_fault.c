/*
 * test_fault: every allocation failure ends in a clean error.
 *
 * SQLite's fault injection and curl's torture mode, on polsearch: for each
 * component (the cleaner, the analyzer, the structure parser with the
 * passage cutter, the query parser, and the index writer) one run with no
 * fault counts the allocations it makes through ps_malloc; then for every
 * N from 0 to that count, ps_alloc_fail_after(N) makes allocation N+1 and
 * all later ones fail and the run is repeated. Each run must return an
 * error code (PS_ENOMEM, or another code within ps_rc) and hand back
 * nothing half-built, or succeed with exactly the result of the run with
 * no fault (a failed allocation some code can do without). That nothing
 * leaks on the error paths is shown by running this test under
 * AddressSanitizer (`make check`) or valgrind.
 *
 * Called with no error object (a NULL ps_error *), the query parser and
 * ps_suggest must still return PS_ENOMEM itself, not another code.
 *
 * ICU's and Xapian's own allocations do not go through ps_malloc and are
 * not failed here.
 *
 * For the writer, each run starts from an index holding one committed
 * document, opens it, adds three more (a caller that gets an error from
 * ps_writer_add goes on with the next, as the indexer does for a document
 * it skips), and closes it. Whatever failed, the index must then open,
 * still hold the first document, and hold every other document whole or
 * not at all: its passages all there, its text back in full, every term,
 * position, value and data of its records as with no fault (compared with
 * dump_records() of tests/tools/dumpindex.c), the searcher's counts
 * matching, every hit of a search naming a stored document.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "polsearch/doc.h"
#include "polsearch/index.h"
#include "polsearch/search.h"
#include "polsearch/text.h"

/* dump_records(): every record of a document, terms, positions, values */
#define DUMPINDEX_NO_MAIN
#include "tests/tools/dumpindex.c"

/* ---- sample documents --------------------------------------------------- */

static const char party_doc[] =
    "BAN CHẤP HÀNH TRUNG ƯƠNG\n"
    "*\n"
    "Số 57-NQ/TW\n"
    "ĐẢNG CỘNG SẢN VIỆT NAM\n"
    "Hà Nội, ngày 22 tháng 12 năm 2024\n"
    "\n"
    "NGHỊ QUYẾT\n"
    "CỦA BỘ CHÍNH TRỊ\n"
    "về đột phá phát triển khoa học, công nghệ,\n"
    "đổi mới sáng tạo và chuyển đổi số quốc gia\n"
    "-----\n"
    "I- TÌNH HÌNH VÀ NGUYÊN NHÂN\n"
    "1- Kết quả đạt được\n"
    "Sau 5 năm thực hiện Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị, "
    "nhận thức được nâng lên; hoà bình, thuỷ lợi, khoẻ mạnh.\n"
    "a) Thể chế được hoàn thiện một bước.\n"
    "b) Hạ tầng số phát triển nhanh.\n"
    "II- QUAN ĐIỂM, MỤC TIÊU\n"
    "1. Phát triển khoa học, công nghệ là đột phá quan trọng hàng đầu.\n"
    "\n"
    "T/M BỘ CHÍNH TRỊ\n"
    "TỔNG BÍ THƯ\n"
    "Tô Lâm\n";

static const char law_doc[] =
    "QUỐC HỘI\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n"
    "Luật số: 60/2024/QH15\n"
    "\n"
    "LUẬT\n"
    "DỮ LIỆU\n"
    "\n"
    "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n"
    "Căn cứ Nghị định số 13/2023/NĐ-CP ngày 17/4/2023 của Chính phủ;\n"
    "\n"
    "Chương I\n"
    "NHỮNG QUY ĐỊNH CHUNG\n"
    "\n"
    "Điều 1. Phạm vi điều chỉnh\n"
    "Luật này quy định về dữ liệu số; xây dựng, phát triển, bảo vệ dữ liệu số.\n"
    "\n"
    "Điều 2. Đối tượng áp dụng\n"
    "1. Cơ quan, tổ chức, cá nhân Việt Nam.\n"
    "2. Cơ quan, tổ chức, cá nhân nước ngoài:\n"
    "a) trực tiếp tham gia;\n"
    "b) có liên quan.\n"
    "\n"
    "Chương II\n"
    "ĐIỀU KHOẢN THI HÀNH\n"
    "\n"
    "Điều 3. Hiệu lực thi hành\n"
    "Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2025.\n"
    "\n"
    "CHỦ TỊCH QUỐC HỘI\n"
    "Trần Thanh Mẫn\n";

/* Decomposed (NFD) lines, CRLF, a BOM, invalid bytes, control characters
 * and one line longer than the cleaner's stack buffers, so its heap paths
 * run too. Filled by make_odd_doc(). */
static char odd_doc[16384];
static size_t odd_len;

static void make_odd_doc(void)
{
    static const char head[] =
        "\xEF\xBB\xBF"
        "CHÍNH PHỦ\r\n"
        "Số: 13/2023/NĐ-CP\r\n"
        "NGHỊ ĐỊNH\r\n"
        "ve\xCC\x82\xCC\x80 ba\xCC\x89o ve\xCC\x82\xCC\xA3 du\xCC\x9B\xCC\x83 lie\xCC\x82\xCC\xA3u\r\n"
        "Đie\xCC\x82\xCC\x80u 1. Pha\xCC\xA3m vi \xFF\xFE \x01\x02 tho\xCC\x89\r\n";
    size_t n = sizeof head - 1;
    memcpy(odd_doc, head, n);
    /* one long NFD line: "hoà bình trường " decomposed, about 6 KB */
    while (n + 32 < 6200) {
        static const char w[] = "hoa\xCC\x80 bi\xCC\x80nh tru\xCC\x9B\xCC\x80\xC6\xA1ng ";
        memcpy(odd_doc + n, w, sizeof w - 1);
        n += sizeof w - 1;
    }
    odd_doc[n++] = '\n';
    {
        static const char tail[] = "Điều 2. Hiệu lực\nNghị định này có hiệu lực từ ngày ký.\n";
        memcpy(odd_doc + n, tail, sizeof tail - 1);
        n += sizeof tail - 1;
    }
    odd_len = n;
}

/* ---- the fault loop ----------------------------------------------------- */

/* One run of a component under test. It prepares what it needs with no
 * fault, opens the fault window with ps_alloc_fail_after(n) (n < 0: no
 * fault), calls the library, closes the window with window_end(), then
 * checks and describes the result into out with faults off (the
 * description is compared with the run with no fault). Returns the
 * library's result code. */
typedef int (*run_fn)(long n, ps_buf *out);

static long window_allocs; /* allocations the last window made */
static long current_n;     /* the allocation failing now (-1: none), for messages */

static void window_end(void)
{
    window_allocs = ps_alloc_fail_after(-1);
}

/* Runs fn once with no fault, then once for each N = 0 .. count. */
static void fault_loop(const char *what, run_fn fn)
{
    ps_buf ref, got;
    long total, n, failures = 0, tolerated = 0;
    int rc;

    ps_buf_init(&ref, 0);
    current_n = -1;
    rc = fn(-1, &ref);
    total = window_allocs;
    assert_int_equal(rc, PS_OK);
    assert_true(total > 0);
    for (n = 0; n <= total; n++) {
        ps_buf_init(&got, 0);
        current_n = n;
        rc = fn(n, &got);
        if (rc == PS_OK) {
            /* success despite a failed allocation: the result must be whole */
            if (got.len != ref.len || memcmp(ps_buf_cstr(&got), ps_buf_cstr(&ref), ref.len) != 0) {
                fprintf(stderr, "%s: failing allocation %ld gave success with another result:\n"
                                "--- expected\n%s\n--- got\n%s\n",
                        what, n + 1, ps_buf_cstr(&ref), ps_buf_cstr(&got));
                fail();
            }
            if (n < total)
                tolerated++;
        } else {
            if (rc <= PS_OK || rc > PS_EINTERNAL) {
                fprintf(stderr, "%s: failing allocation %ld: result code %d\n", what, n + 1, rc);
                fail();
            }
            if (n >= total) {
                fprintf(stderr, "%s: failed with %s with no allocation failing\n", what,
                        ps_rc_name(rc));
                fail();
            }
            failures++;
        }
        ps_buf_fin(&got);
    }
    printf("%s: %ld allocations; %ld runs failed cleanly, %ld succeeded whole\n", what, total,
           failures, tolerated);
    ps_buf_fin(&ref);
}

/* Room reserved before a window, so that describing the result while the
 * window is open makes no allocation of its own. */
#define DESCRIBE_ROOM ((size_t)1 << 20)

/* ---- the cleaner -------------------------------------------------------- */

static int run_clean(long n, ps_buf *out)
{
    ps_buf b;
    ps_clean_stats st;
    ps_error err;
    int rc;
    ps_buf_init(&b, 0);
    ps_alloc_fail_after(n);
    rc = ps_text_clean(odd_doc, odd_len, &b, &st, &err);
    window_end();
    if (rc == PS_OK) {
        assert_int_equal(b.err, PS_OK);
        ps_buf_addf(out, "%zu %zu %zu\n", st.invalid_bytes, st.dropped, st.renormalized);
        ps_buf_add(out, ps_buf_cstr(&b), b.len);
    } else {
        assert_int_equal(err.code, rc);
    }
    ps_buf_fin(&b);
    return rc;
}

/* ---- the analyzer ------------------------------------------------------- */

static int run_analyzer(long n, ps_buf *out)
{
    ps_analyzer *an = (ps_analyzer *)out; /* must be reset to NULL on failure */
    ps_error err;
    ps_token t;
    const char *texts[3] = {party_doc, law_doc, odd_doc};
    size_t lens[3] = {sizeof party_doc - 1, sizeof law_doc - 1, 0};
    int rc, k;

    lens[2] = odd_len;
    ps_buf_reserve(out, DESCRIBE_ROOM);
    ps_alloc_fail_after(n);
    rc = ps_analyzer_new(&an, &err);
    if (rc) {
        window_end();
        assert_null(an);
        assert_int_equal(err.code, rc);
        return rc;
    }
    for (k = 0; k < 3 && rc == PS_OK; k++) {
        rc = ps_analyzer_start(an, texts[k], lens[k], 0, &err);
        while (rc == PS_OK && ps_analyzer_next(an, &t))
            ps_buf_addf(out, "%s/%s@%zu-%zu#%u:%x\n", t.term, t.fold, t.start, t.end,
                        (unsigned)t.pos, t.flags);
    }
    ps_analyzer_free(an);
    window_end();
    assert_int_equal(out->err, PS_OK);
    return rc;
}

/* ---- the parser --------------------------------------------------------- */

static void describe_tree(ps_buf *out, const ps_node *n, int depth)
{
    const ps_node *c;
    ps_buf_addf(out, "%*s%s %s [%s] %zu-%zu-%zu\n", depth * 2, "", ps_node_kind_name(n->kind),
                n->label ? n->label : "-", n->title ? n->title : "", n->start, n->body,
                n->end);
    for (c = n->child; c; c = c->next)
        describe_tree(out, c, depth + 1);
}

static void describe_doc(ps_buf *out, const ps_doc *doc, const ps_passage *ps, size_t np)
{
    size_t i;
#define S(x) ((x) ? (x) : "-")
    ps_buf_addf(out, "type=%s number=%s issuer=%s signer=%s/%s place=%s date=%s eff=%s "
                     "title=%s access=%d\n",
                S(doc->meta.type), S(doc->meta.number), S(doc->meta.issuer),
                S(doc->meta.signer), S(doc->meta.signer_title), S(doc->meta.place),
                S(doc->meta.date), S(doc->meta.effective_date), S(doc->meta.title),
                doc->meta.access);
    describe_tree(out, doc->root, 0);
    for (i = 0; i < doc->n_rels; i++)
        ps_buf_addf(out, "rel %s %s %s %zu-%zu\n", ps_rel_kind_name(doc->rels[i].kind),
                    S(doc->rels[i].number), S(doc->rels[i].key), doc->rels[i].start,
                    doc->rels[i].end);
    for (i = 0; i < np; i++)
        ps_buf_addf(out, "passage %u %zu-%zu %s %s | %s | %s\n", ps[i].ordinal, ps[i].start,
                    ps[i].end, S(ps[i].kind), S(ps[i].label), S(ps[i].path), S(ps[i].article));
#undef S
}

static int run_parse(long n, ps_buf *out)
{
    const char *texts[3] = {party_doc, law_doc, odd_doc};
    size_t lens[3] = {sizeof party_doc - 1, sizeof law_doc - 1, 0};
    ps_doc *docs[3] = {NULL, NULL, NULL};
    ps_passage *ps[3] = {NULL, NULL, NULL};
    size_t np[3] = {0, 0, 0};
    ps_error err;
    int rc = PS_OK, k;

    lens[2] = odd_len;
    ps_alloc_fail_after(n);
    for (k = 0; k < 3 && rc == PS_OK; k++) {
        docs[k] = ps_doc_new();
        if (!docs[k]) {
            rc = PS_ENOMEM;
            break;
        }
        docs[k]->id = "sample";
        rc = ps_doc_set_text(docs[k], texts[k], lens[k], NULL, &err);
        if (rc == PS_OK)
            rc = ps_doc_parse(docs[k], &err);
        if (rc == PS_OK)
            rc = ps_passages(docs[k], &ps[k], &np[k], &err);
        if (rc)
            assert_int_equal(err.code, rc);
    }
    window_end();
    for (k = 0; k < 3; k++) {
        if (rc == PS_OK)
            describe_doc(out, docs[k], ps[k], np[k]);
        ps_doc_free(docs[k]);
    }
    return rc;
}

/* ---- the query parser --------------------------------------------------- */

static const char *const queries[] = {
    "nghị quyết 57",
    "nghi quyet so 57 chuyen doi so",
    "57-NQ/TW OR 13/2023/ND-CP",
    "\"khoa học và công nghệ\" đổi mới -\"kinh tế\" +tư -nhân",
    "type:nq year:2024 issuer:\"Bộ Chính trị\" number:57-NQ/TW cites:13/2023/NĐ-CP article:5",
    "Điều 5 Luật Đất đai \"unbalanced quote",
    "ho\xCC\x80" "a bi\xCC\x80" "nh OR thuỷ lợi \xFF\xFE",
    NULL, /* a query of 400 words, past the caps, filled in at run time */
};
#define N_QUERIES (sizeof queries / sizeof queries[0])

static int run_query(long n, ps_buf *out)
{
    ps_analyzer *an = NULL;
    ps_error err;
    ps_buf many;
    ps_query *q[N_QUERIES];
    size_t k;
    int rc = PS_OK;

    ps_buf_init(&many, 0);
    for (k = 0; k < 400; k++)
        ps_buf_adds(&many, k % 2 ? "phát " : "triển ");
    memset(q, 0, sizeof q);
    ps_alloc_fail_after(n);
    rc = ps_analyzer_new(&an, &err);
    for (k = 0; k < N_QUERIES && rc == PS_OK; k++) {
        const char *s = queries[k] ? queries[k] : ps_buf_cstr(&many);
        q[k] = (ps_query *)&many; /* must be reset to NULL on failure */
        rc = ps_query_parse(an, s, strlen(s), &q[k], &err);
        if (rc) {
            assert_null(q[k]);
            assert_int_equal(err.code, rc);
        }
    }
    window_end();
    for (k = 0; k < N_QUERIES; k++) {
        if (rc == PS_OK) {
            assert_int_equal(ps_query_describe(q[k], out), PS_OK);
            ps_buf_addf(out, " truncated=%d\n", q[k]->truncated);
        }
        ps_query_free(q[k]);
    }
    /* describing is part of the query module: its own fault loop */
    ps_analyzer_free(an);
    ps_buf_fin(&many);
    return rc;
}

static int run_describe(long n, ps_buf *out)
{
    ps_analyzer *an = NULL;
    ps_error err;
    ps_query *q = NULL;
    ps_buf d;
    int rc;
    assert_int_equal(ps_analyzer_new(&an, &err), PS_OK);
    assert_int_equal(ps_query_parse(an, queries[4], strlen(queries[4]), &q, &err), PS_OK);
    ps_buf_init(&d, 0);
    ps_alloc_fail_after(n);
    rc = ps_query_describe(q, &d);
    window_end();
    if (rc == PS_OK)
        ps_buf_add(out, ps_buf_cstr(&d), d.len);
    ps_buf_fin(&d);
    ps_query_free(q);
    ps_analyzer_free(an);
    return rc;
}

/* With no error object (the caller wants the code only) the code alone
 * must say what failed. */
static int run_query_noerr(long n, ps_buf *out)
{
    ps_analyzer *an = NULL;
    ps_error err;
    ps_query *q = NULL;
    int rc;
    assert_int_equal(ps_analyzer_new(&an, &err), PS_OK);
    ps_alloc_fail_after(n);
    rc = ps_query_parse(an, queries[3], strlen(queries[3]), &q, NULL);
    window_end();
    if (rc == PS_OK) {
        assert_int_equal(ps_query_describe(q, out), PS_OK);
    } else {
        if (rc != PS_ENOMEM)
            fprintf(stderr, "query parser, failing allocation %ld: %s instead of ENOMEM\n",
                    n + 1, ps_rc_name(rc));
        assert_int_equal(rc, PS_ENOMEM);
        assert_null(q);
    }
    ps_query_free(q);
    ps_analyzer_free(an);
    return rc;
}

/* ---- the index writer --------------------------------------------------- */

static char dbdir[4096];

/* A parsed sample document (faults off). */
static ps_doc *sample_doc(const char *id, const char *text, size_t len)
{
    ps_doc *doc = ps_doc_new();
    ps_error err;
    assert_non_null(doc);
    doc->id = ps_doc_strdup(doc, id, strlen(id));
    doc->source = doc->id;
    assert_int_equal(ps_doc_set_text(doc, text, len, NULL, &err), PS_OK);
    assert_int_equal(ps_doc_parse(doc, &err), PS_OK);
    return doc;
}

/* The samples the writer stores, and their cleaned texts. */
static const char *const sample_ids[] = {"base", "party", "law", "odd"};
static ps_doc *sample[4];
/* Each sample's records as the run with no fault stored them. */
static ps_buf sample_records[4];

static void make_samples(void)
{
    sample[0] = sample_doc("base", law_doc, 200);
    sample[1] = sample_doc("party", party_doc, sizeof party_doc - 1);
    sample[2] = sample_doc("law", law_doc, sizeof law_doc - 1);
    sample[3] = sample_doc("odd", odd_doc, odd_len);
}

static void free_samples(void)
{
    size_t k;
    for (k = 0; k < 4; k++) {
        ps_doc_free(sample[k]);
        sample[k] = NULL;
    }
}

/* An index holding the committed document "base". */
static void make_base_index(void)
{
    ps_writer *w;
    ps_writer_opts o;
    ps_error err;
    ps_rmtree(dbdir);
    ps_writer_opts_default(&o);
    o.no_sync = 1;
    assert_int_equal(ps_writer_open(dbdir, &o, &w, &err), PS_OK);
    assert_int_equal(ps_writer_add(w, sample[0], &err), PS_OK);
    assert_int_equal(ps_writer_close(w, &err), PS_OK);
}

/* Checks the index holds "base" and every other sample whole or not at
 * all; describes what it holds into out. */
static void check_index(ps_buf *out)
{
    ps_searcher *s;
    ps_error err;
    uint32_t docs = 0, passages = 0, want_docs = 0, want_passages = 0;
    long long updated;
    size_t k;
    ps_search_opts o;
    ps_results *res = NULL;

    assert_int_equal(ps_searcher_open(dbdir, &s, &err), PS_OK);
    for (k = 0; k < 4; k++) {
        ps_docview *dv = NULL;
        int rc = ps_searcher_doc(s, sample_ids[k], PS_ACCESS_SECRET, &dv, &err);
        json_t *meta;
        json_error_t je;
        if (rc == PS_ENOTFOUND) {
            assert_true(k != 0); /* the committed document never goes */
            ps_buf_addf(out, "%s absent\n", sample_ids[k]);
            continue;
        }
        assert_int_equal(rc, PS_OK);
        assert_non_null(dv->meta_json);
        meta = json_loads(dv->meta_json, 0, &je);
        assert_non_null(meta);
        /* whole: every passage there and the text back in full */
        if (json_integer_value(json_object_get(meta, "n_passages")) != (json_int_t)dv->n_passages ||
            dv->text_len != sample[k]->text_len)
            fprintf(stderr, "index writer, failing allocation %ld: %s is not whole: %zu of "
                            "%lld passages, %zu of %zu bytes\n",
                    current_n + 1, sample_ids[k], dv->n_passages,
                    (long long)json_integer_value(json_object_get(meta, "n_passages")),
                    dv->text_len, sample[k]->text_len);
        assert_int_equal(json_integer_value(json_object_get(meta, "n_passages")),
                         dv->n_passages);
        assert_int_equal(json_integer_value(json_object_get(meta, "text_len")), dv->text_len);
        assert_int_equal(dv->text_len, sample[k]->text_len);
        assert_memory_equal(dv->text, sample[k]->text, dv->text_len);
        /* and every term, position, value and data as with no fault */
        {
            ps_buf recs, group;
            char msg[600];
            ps_buf_init(&recs, 0);
            ps_buf_init(&group, 0);
            ps_buf_adds(&group, PFX_GROUP);
            ps_doc_key(sample_ids[k], &group);
            assert_int_equal(dump_records(dbdir, ps_buf_cstr(&group), 1, 1, &recs, msg, sizeof msg), 0);
            if (current_n < 0) {
                ps_buf_fin(&sample_records[k]);
                sample_records[k] = recs;
            } else {
                if (recs.len != sample_records[k].len ||
                    memcmp(ps_buf_cstr(&recs), ps_buf_cstr(&sample_records[k]), recs.len) != 0) {
                    fprintf(stderr, "index writer, failing allocation %ld: %s stored otherwise:\n"
                                    "--- expected\n%s--- got\n%s",
                            current_n + 1, sample_ids[k], ps_buf_cstr(&sample_records[k]),
                            ps_buf_cstr(&recs));
                    fail();
                }
                ps_buf_fin(&recs);
            }
            ps_buf_fin(&group);
        }
        want_docs++;
        want_passages += (uint32_t)dv->n_passages;
        ps_buf_addf(out, "%s %zu passages\n", sample_ids[k], dv->n_passages);
        json_decref(meta);
        ps_docview_free(dv);
    }
    /* no record of a document that is not whole */
    assert_int_equal(ps_searcher_stats(s, &docs, &passages, &updated, &err), PS_OK);
    if (docs != want_docs || passages != want_passages)
        fprintf(stderr, "index writer, failing allocation %ld: the index holds %u documents "
                        "and %u passages, the whole ones %u and %u:\n%s",
                current_n + 1, docs, passages, want_docs, want_passages, ps_buf_cstr(out));
    assert_int_equal(docs, want_docs);
    assert_int_equal(passages, want_passages);
    /* a search answers, naming only stored documents */
    ps_search_opts_default(&o);
    o.query = "dữ liệu";
    o.unit = PS_UNIT_PASSAGE;
    o.limit = PS_LIMIT_MAX;
    o.access = PS_ACCESS_SECRET;
    assert_int_equal(ps_search(s, &o, &res, &err), PS_OK);
    assert_true(res->n > 0);
    for (k = 0; k < res->n; k++) {
        ps_docview *dv = NULL;
        assert_int_equal(ps_searcher_doc(s, res->hits[k].id, PS_ACCESS_SECRET, &dv, &err),
                         PS_OK);
        ps_docview_free(dv);
    }
    ps_results_free(res);
    ps_searcher_close(s);
}

static int run_writer(long n, ps_buf *out)
{
    ps_writer *w = (ps_writer *)out; /* must be reset to NULL on failure */
    ps_writer_opts o;
    ps_error err;
    int rc, first = PS_OK, k;

    /* fresh documents each run: ps_passages allocates in a document's
     * arena, and a reused arena would make fewer allocations each time */
    free_samples();
    make_samples();
    make_base_index();
    ps_writer_opts_default(&o);
    o.no_sync = 1;
    ps_alloc_fail_after(n);
    rc = ps_writer_open(dbdir, &o, &w, &err);
    if (rc) {
        window_end();
        assert_null(w);
        assert_int_equal(err.code, rc);
        first = rc;
    } else {
        for (k = 1; k < 4; k++) {
            rc = ps_writer_add(w, sample[k], &err);
            if (rc && first == PS_OK) {
                assert_int_equal(err.code, rc);
                first = rc;
            }
        }
        rc = ps_writer_close(w, &err);
        if (rc && first == PS_OK)
            first = rc;
        window_end();
    }
    check_index(out);
    return first;
}

/* Suggestions (search as you type) over the index the writer test leaves,
 * with no error object: the code alone must say what failed. */
static int run_suggest_noerr(long n, ps_buf *out)
{
    ps_searcher *s = NULL;
    ps_suggestions *sg = NULL;
    ps_error err;
    int rc;
    size_t k;
    assert_int_equal(ps_searcher_open(dbdir, &s, &err), PS_OK);
    ps_alloc_fail_after(n);
    rc = ps_suggest(s, "luật dữ li", PS_ACCESS_SECRET, 10, &sg, NULL);
    window_end();
    if (rc == PS_OK) {
        for (k = 0; k < sg->n; k++)
            ps_buf_addf(out, "%s %s\n", sg->items[k].id, sg->items[k].text);
    } else {
        if (rc != PS_ENOMEM)
            fprintf(stderr, "suggestions, failing allocation %ld: %s instead of ENOMEM\n",
                    n + 1, ps_rc_name(rc));
        assert_int_equal(rc, PS_ENOMEM);
    }
    ps_suggestions_free(sg);
    ps_searcher_close(s);
    return rc;
}

/* ---- tests ---------------------------------------------------------------- */

static void test_clean(void **state)
{
    (void)state;
    fault_loop("cleaner", run_clean);
}

static void test_analyzer(void **state)
{
    (void)state;
    fault_loop("analyzer", run_analyzer);
}

static void test_parse(void **state)
{
    (void)state;
    fault_loop("parser + passages", run_parse);
}

static void test_query(void **state)
{
    (void)state;
    fault_loop("query parser", run_query);
    fault_loop("query description", run_describe);
    fault_loop("query parser, no error object", run_query_noerr);
}

static void test_writer(void **state)
{
    size_t k;
    (void)state;
    fault_loop("index writer", run_writer);
    fault_loop("suggestions, no error object", run_suggest_noerr);
    free_samples();
    for (k = 0; k < 4; k++)
        ps_buf_fin(&sample_records[k]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean),  cmocka_unit_test(test_analyzer),
        cmocka_unit_test(test_parse),  cmocka_unit_test(test_query),
        cmocka_unit_test(test_writer),
    };
    const char *tmp = getenv("TMPDIR");
    int rc;
    make_odd_doc();
    snprintf(dbdir, sizeof dbdir, "%s/polsearch-fault-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dbdir)) {
        perror("mkdtemp");
        return 1;
    }
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    ps_rmtree(dbdir);
    return rc;
}
