/* Unit tests of lib/search on a small real index built here: citations,
 * snippets, number lookups, tone and diacritic rules, filters, access
 * levels, facets, suggestions, cite and kwic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "polsearch/doc.h"
#include "polsearch/index.h"
#include "polsearch/search.h"

static char dir[] = "/tmp/ps-search-XXXXXX";
static ps_searcher *S;

static const struct {
    const char *id, *text;
    int access;
} docs[] = {
    {"nq57", "BAN CHẤP HÀNH TRUNG ƯƠNG\nSố 57-NQ/TW\nHà Nội, ngày 22 tháng 12 năm 2024\n"
             "NGHỊ QUYẾT\nCỦA BỘ CHÍNH TRỊ\nvề đột phá phát triển khoa học, công nghệ\n"
             "I- QUAN ĐIỂM\n1- Khoa học, công nghệ và chuyển đổi số là đột phá quan trọng "
             "hàng đầu.\n2- Hòa bình và hợp tác là xu thế lớn.\n"
             "T/M BỘ CHÍNH TRỊ\nTỔNG BÍ THƯ\nTô Lâm\n", 0},
    {"nd13", "CHÍNH PHỦ\nSố: 13/2023/NĐ-CP\nHà Nội, ngày 17 tháng 4 năm 2023\nNGHỊ ĐỊNH\n"
             "BẢO VỆ DỮ LIỆU CÁ NHÂN\nCăn cứ Nghị quyết số 57-NQ/TW;\n"
             "Điều 1. Phạm vi điều chỉnh\nNghị định này quy định về bảo vệ dữ liệu cá nhân.\n"
             "Điều 2. Hóa đơn điện tử\n1. Hóa đơn được lập theo mẫu.\n"
             "Điều 3. Hiệu lực thi hành\nNghị định này có hiệu lực từ ngày ký.\n"
             "TM. CHÍNH PHỦ\nTHỦ TƯỚNG\nPhạm Minh Chính\n", 0},
    {"kl85", "BAN CHẤP HÀNH TRUNG ƯƠNG\nMẬT\nSố 85-KL/TW\nHà Nội, ngày 10 tháng 7 năm 2024\n"
             "KẾT LUẬN\nCỦA BỘ CHÍNH TRỊ\nvề bảo vệ chính trị nội bộ\n"
             "1- Bảo vệ chính trị nội bộ là nhiệm vụ bí mật quan trọng.\n"
             "T/M BỘ CHÍNH TRỊ\nTô Lâm\n", 2},
};

static int setup(void **state)
{
    ps_writer *w;
    ps_writer_opts o;
    size_t i;
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    ps_writer_opts_default(&o);
    o.no_sync = 1;
    if (ps_writer_open(dir, &o, &w, NULL))
        return -1;
    for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        ps_doc *d = ps_doc_new();
        d->id = docs[i].id;
        ps_doc_set_text(d, docs[i].text, strlen(docs[i].text), NULL, NULL);
        ps_doc_parse(d, NULL);
        if (ps_writer_add(w, d, NULL))
            return -1;
        ps_doc_free(d);
    }
    if (ps_writer_close(w, NULL))
        return -1;
    return ps_searcher_open(dir, &S, NULL) ? -1 : 0;
}

static int teardown(void **state)
{
    char cmd[128];
    (void)state;
    ps_searcher_close(S);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static ps_results *run(const char *q, int unit, int access)
{
    ps_search_opts o;
    ps_results *r = NULL;
    ps_error e;
    ps_search_opts_default(&o);
    o.query = q;
    o.unit = unit;
    o.access = access;
    o.facets = 1;
    assert_int_equal(ps_search(S, &o, &r, &e), PS_OK);
    return r;
}

static void citation_forms(void **state)
{
    ps_buf b;
    ps_cite_meta nq = {"Nghị quyết", "57-NQ/TW", "2024-12-22", "Bộ Chính trị",
                       "về đột phá phát triển khoa học"};
    ps_cite_meta law = {"Luật", "60/2024/QH15", "2024-11-30", "Quốc hội", "Luật Dữ liệu"};
    ps_cite_meta nd = {"Nghị định", "13/2023/NĐ-CP", "2023-04-17", "Chính phủ",
                       "Bảo vệ dữ liệu cá nhân"};
    ps_cite_meta qd = {"Quyết định", "749/QĐ-TTg", "2020-06-03", "Thủ tướng Chính phủ",
                       "Phê duyệt Chương trình"};
    ps_cite_meta bare = {NULL, NULL, NULL, NULL, NULL};
    (void)state;
    ps_buf_init(&b, 0);
    ps_citation(&nq, "Phần II > khoản 1 > điểm a", &b);
    assert_string_equal(ps_buf_cstr(&b), "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính "
                                         "trị về đột phá phát triển khoa học, điểm a khoản 1 Phần II");
    ps_buf_reset(&b);
    ps_citation(&law, "Chương II > Điều 5 > khoản 2", &b);
    assert_string_equal(ps_buf_cstr(&b), "Luật Dữ liệu số 60/2024/QH15 ngày 30/11/2024, khoản 2 Điều 5");
    ps_buf_reset(&b);
    ps_citation(&nd, "Phần mở đầu", &b);
    assert_string_equal(ps_buf_cstr(&b), "Nghị định số 13/2023/NĐ-CP ngày 17/04/2023 của Chính "
                                         "phủ về bảo vệ dữ liệu cá nhân");
    ps_buf_reset(&b);
    ps_citation(&qd, NULL, &b);
    assert_string_equal(ps_buf_cstr(&b), "Quyết định số 749/QĐ-TTg ngày 03/06/2020 của Thủ tướng "
                                         "Chính phủ phê duyệt Chương trình");
    ps_buf_reset(&b);
    ps_citation(&bare, "Điều 1", &b);
    assert_string_equal(ps_buf_cstr(&b), "Văn bản, Điều 1");
    ps_buf_fin(&b);
}

static void number_lookups(void **state)
{
    const char *qs[] = {"57-NQ/TW", "57/NQ-TW", "57 NQ TW", "nq 57", "nghị quyết 57",
                        "nghi quyet so 57"};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        ps_results *r = run(qs[i], PS_UNIT_DOCUMENT, 0);
        assert_true(r->n > 0);
        assert_string_equal(r->hits[0].id, "nq57");
        ps_results_free(r);
    }
}

static void tones_and_diacritics(void **state)
{
    ps_results *r;
    (void)state;
    /* hòa finds the hòa passage first, not the hóa ones */
    r = run("hòa", PS_UNIT_PASSAGE, 0);
    assert_true(r->n > 0);
    assert_string_equal(r->hits[0].id, "nq57");
    assert_non_null(strstr(r->hits[0].snippet, "<mark>Hòa</mark>"));
    ps_results_free(r);
    /* hoá (new placement) is hóa */
    r = run("hoá đơn", PS_UNIT_PASSAGE, 0);
    assert_string_equal(r->hits[0].id, "nd13");
    ps_results_free(r);
    /* without diacritics: every form */
    r = run("hoa", PS_UNIT_PASSAGE, 0);
    assert_true(r->n >= 2);
    ps_results_free(r);
}

static void access_levels(void **state)
{
    ps_results *r;
    ps_docview *d = NULL;
    size_t i;
    (void)state;
    r = run("bảo vệ chính trị nội bộ", PS_UNIT_DOCUMENT, 0);
    for (i = 0; i < r->n; i++)
        assert_string_not_equal(r->hits[i].id, "kl85");
    for (i = 0; i < r->n_facets; i++) {
        size_t k;
        for (k = 0; k < r->facets[i].n; k++)
            assert_string_not_equal(r->facets[i].values[k].value, "Kết luận");
    }
    ps_results_free(r);
    assert_int_equal(ps_searcher_doc(S, "kl85", PS_ACCESS_PUBLIC, &d, NULL), PS_ENOTFOUND);
    assert_int_equal(ps_searcher_doc(S, "kl85", PS_ACCESS_RESTRICTED, &d, NULL), PS_OK);
    ps_docview_free(d);
    r = run("bảo vệ chính trị nội bộ", PS_UNIT_DOCUMENT, PS_ACCESS_RESTRICTED);
    assert_string_equal(r->hits[0].id, "kl85");
    ps_results_free(r);
}

static void facets_count_documents(void **state)
{
    ps_results *r = run("khoa học OR dữ liệu OR bảo vệ", PS_UNIT_DOCUMENT, 0);
    size_t i;
    uint32_t sum = 0;
    (void)state;
    assert_int_equal(r->n_facets, 3);
    for (i = 0; i < r->facets[0].n; i++)
        sum += r->facets[0].values[i].count;
    assert_int_equal(sum, r->total);
    ps_results_free(r);
}

/* The count of facet value v in facet f of r (0 when absent). */
static uint32_t facet_count(const ps_results *r, size_t f, const char *v)
{
    size_t k;
    for (k = 0; k < r->facets[f].n; k++)
        if (strcmp(r->facets[f].values[k].value, v) == 0)
            return r->facets[f].values[k].count;
    return 0;
}

static ps_results *run_opts(const char *q, const char *from, const char *to)
{
    ps_search_opts o;
    ps_results *r = NULL;
    ps_search_opts_default(&o);
    o.query = q;
    o.facets = 1;
    o.from = from;
    o.to = to;
    assert_int_equal(ps_search(S, &o, &r, NULL), PS_OK);
    return r;
}

/* Facets and document totals by query shape: ranked words, a required
 * phrase, filters in the query and in the options, an excluded word
 * (counted another way), nothing to match; then after the index grows
 * and the searcher reopens. */
static void facets_by_query_shape(void **state)
{
    ps_results *r;
    ps_writer *w;
    ps_writer_opts wo;
    ps_doc *d;
    int changed = 0;
    static const char more[] = "QUỐC HỘI\nSố: 60/2024/QH15\nHà Nội, ngày 30 tháng 11 năm 2024\n"
                               "LUẬT\nDỮ LIỆU\nĐiều 1. Phạm vi điều chỉnh\n"
                               "Luật này quy định về dữ liệu số và chuyển đổi số.\n";
    (void)state;
    r = run("\"chuyển đổi số\"", PS_UNIT_DOCUMENT, 0);
    assert_int_equal(r->total, 1);
    assert_int_equal(facet_count(r, 0, "Nghị quyết"), 1);
    ps_results_free(r);
    r = run("dữ liệu khoa học", PS_UNIT_DOCUMENT, 0);
    assert_int_equal(r->total, 2);
    assert_int_equal(facet_count(r, 0, "Nghị định"), 1);
    assert_int_equal(facet_count(r, 2, "2024"), 1);
    ps_results_free(r);
    r = run("khoa học +\"hóa đơn\"", PS_UNIT_DOCUMENT, 0);
    assert_int_equal(r->total, 1);
    assert_int_equal(facet_count(r, 0, "Nghị định"), 1);
    assert_int_equal(facet_count(r, 0, "Nghị quyết"), 0);
    ps_results_free(r);
    r = run("type:nd dữ liệu khoa học", PS_UNIT_DOCUMENT, 0);
    assert_int_equal(r->total, 1);
    ps_results_free(r);
    r = run("dữ liệu khoa học -hóa", PS_UNIT_DOCUMENT, 0);
    assert_int_equal(r->total, 2); /* nd13's Điều 1 has no "hóa" */
    ps_results_free(r);
    r = run_opts("dữ liệu khoa học", "2024", NULL);
    assert_int_equal(r->total, 1);
    assert_int_equal(facet_count(r, 2, "2024"), 1);
    ps_results_free(r);
    r = run_opts("dữ liệu khoa học", NULL, "2023-04-16");
    assert_int_equal(r->total, 0);
    assert_int_equal(r->facets[0].n, 0);
    ps_results_free(r);
    r = run("number:1/1111/XX dữ liệu", PS_UNIT_DOCUMENT, 0);
    assert_int_equal(r->total, 0);
    ps_results_free(r);

    /* a fourth document: the reopened searcher counts it */
    ps_writer_opts_default(&wo);
    wo.no_sync = 1;
    assert_int_equal(ps_writer_open(dir, &wo, &w, NULL), PS_OK);
    d = ps_doc_new();
    d->id = "luat60";
    ps_doc_set_text(d, more, strlen(more), NULL, NULL);
    ps_doc_parse(d, NULL);
    assert_int_equal(ps_writer_add(w, d, NULL), PS_OK);
    ps_doc_free(d);
    assert_int_equal(ps_writer_close(w, NULL), PS_OK);
    assert_int_equal(ps_searcher_reopen(S, &changed, NULL), PS_OK);
    assert_true(changed);
    r = run("\"chuyển đổi số\"", PS_UNIT_DOCUMENT, 0);
    assert_int_equal(r->total, 2);
    assert_int_equal(facet_count(r, 0, "Luật"), 1);
    assert_int_equal(facet_count(r, 1, "Quốc hội"), 1);
    ps_results_free(r);
}

static void snippets_mark_and_escape(void **state)
{
    ps_analyzer *a;
    ps_query *q;
    ps_buf b;
    const char text[] = "Điều <1> & \"khoa học\" là đột phá quan trọng của khoa học Việt Nam.";
    (void)state;
    ps_analyzer_new(&a, NULL);
    ps_query_parse(a, "khoa học", strlen("khoa học"), &q, NULL);
    ps_buf_init(&b, 0);
    ps_snippet(a, q, text, sizeof text - 1, 240, &b);
    assert_non_null(strstr(ps_buf_cstr(&b), "&lt;1&gt; &amp; &quot;<mark>khoa học</mark>&quot;"));
    assert_null(strstr(ps_buf_cstr(&b), "<1>"));
    ps_buf_fin(&b);
    ps_query_free(q);
    ps_analyzer_free(a);
}

static void suggestions(void **state)
{
    ps_suggestions *sg = NULL;
    (void)state;
    assert_int_equal(ps_suggest(S, "13/20", PS_ACCESS_PUBLIC, 5, &sg, NULL), PS_OK);
    assert_true(sg->n > 0);
    assert_string_equal(sg->items[0].id, "nd13");
    ps_suggestions_free(sg);
    assert_int_equal(ps_suggest(S, "bao ve chinh tr", PS_ACCESS_PUBLIC, 5, &sg, NULL), PS_OK);
    assert_int_equal(sg->n, 0); /* only the restricted document has that title */
    ps_suggestions_free(sg);
}

static void cite_source(void **state)
{
    ps_cite_opts o;
    ps_cite_results *r = NULL;
    (void)state;
    ps_cite_opts_default(&o);
    o.quote = "khoa hoc cong nghe va chuyen doi so la dot pha hang dau";
    assert_int_equal(ps_cite(S, &o, &r, NULL), PS_OK);
    assert_true(r->n > 0);
    assert_string_equal(r->hits[0].hit.id, "nq57");
    assert_true(r->hits[0].coverage > 0.9);
    assert_string_equal(r->hits[0].location_text, "khoản 1 Phần I");
    ps_cite_results_free(r);
}

static int count_line(void *ctx, const ps_kwic_line *l)
{
    ps_buf low;
    (*(int *)ctx)++;
    /* the occurrence as written (here once in capitals), any diacritics */
    ps_buf_init(&low, 0);
    ps_text_lower(l->match, strlen(l->match), &low);
    assert_string_equal(ps_buf_cstr(&low), "bảo vệ dữ liệu");
    ps_buf_fin(&low);
    return 0;
}

static void kwic_lines(void **state)
{
    ps_kwic_opts ko;
    ps_kwic_stats st;
    int n = 0;
    (void)state;
    ps_kwic_opts_default(&ko);
    ko.phrase = "bao ve du lieu";
    assert_int_equal(ps_kwic(S, &ko, count_line, &n, &st, NULL), PS_OK);
    assert_int_equal(n, 2); /* the title line and Điều 1 */
    assert_int_equal(st.lines, 2);
    assert_int_equal(st.documents, 1);
    ps_kwic_stats_fin(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(citation_forms),      cmocka_unit_test(number_lookups),
        cmocka_unit_test(tones_and_diacritics), cmocka_unit_test(access_levels),
        cmocka_unit_test(facets_count_documents), cmocka_unit_test(snippets_mark_and_escape),
        cmocka_unit_test(suggestions),         cmocka_unit_test(kwic_lines),
        cmocka_unit_test(cite_source),         cmocka_unit_test(facets_by_query_shape),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
