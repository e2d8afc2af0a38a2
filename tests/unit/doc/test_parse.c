/*
 * test_parse: ps_doc_parse on small documents in the Party and the State
 * layouts: header, signature, title, dates, access marking, structure tree,
 * relations, and the tree walking functions. Includes parse.c to reach the
 * recasing helpers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "doc/parse.c"

/* ---- fixtures ----------------------------------------------------------- */

/* A Bộ Chính trị resolution: the header names only the Central Committee,
 * "CỦA BỘ CHÍNH TRỊ" and the signature name the real issuer. */
static const char party_nq[] =
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
    "\n"
    "I- TÌNH HÌNH VÀ NGUYÊN NHÂN\n"
    "1- Kết quả đạt được\n"
    "Sau 5 năm thực hiện Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị, "
    "nhận thức được nâng lên.\n"
    "a) Thể chế được hoàn thiện một bước.\n"
    "b) Hạ tầng số phát triển nhanh.\n"
    "2- Hạn chế\n"
    "Việc bảo vệ bí mật nhà nước trên không gian mạng còn bất cập.\n"
    "II- QUAN ĐIỂM, MỤC TIÊU\n"
    "1. Phát triển khoa học, công nghệ là đột phá quan trọng hàng đầu.\n"
    "\n"
    "T/M BỘ CHÍNH TRỊ\n"
    "TỔNG BÍ THƯ\n"
    "(đã ký)\n"
    "Tô Lâm\n"
    "\n"
    "Nơi nhận:\n"
    "- Các tỉnh ủy, thành ủy,\n"
    "- Lưu Văn phòng Trung ương Đảng.\n";

/* A decree: State header, "Căn cứ" lines, Chương / Mục / Điều / khoản /
 * điểm, article forms "Điều 3" alone, "Điều 4:", "Điều 4a.", a wrapped
 * article reference, a quoted amendment, relations of every kind. */
static const char state_nd[] =
    "CHÍNH PHỦ\n"
    "-------\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n"
    "---------------\n"
    "Số: 30/2020/NĐ-CP\n"
    "Hà Nội, ngày 5 tháng 3 năm 2020\n"
    "\n"
    "NGHỊ ĐỊNH\n"
    "Về công tác văn thư\n"
    "\n"
    "Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;\n"
    "Căn cứ Nghị định số 09/2010/NĐ-CP ngày 08 tháng 02 năm 2010 của Chính phủ;\n"
    "Theo đề nghị của Bộ trưởng Bộ Nội vụ;\n"
    "Chính phủ ban hành Nghị định về công tác văn thư.\n"
    "\n"
    "Chương I\n"
    "QUY ĐỊNH CHUNG\n"
    "Điều 1. Phạm vi điều chỉnh\n"
    "Nghị định này quy định về công tác văn thư.\n"
    "Điều 2. Giải thích từ ngữ\n"
    "1. Văn bản là thông tin thành văn.\n"
    "2. Văn bản điện tử gồm:\n"
    "a) Văn bản được tạo lập trên hệ thống;\n"
    "b) Văn bản được số hóa.\n"
    "Chương II\n"
    "THỂ THỨC VĂN BẢN\n"
    "Mục 1\n"
    "THỂ THỨC\n"
    "Điều 3\n"
    "Thể thức văn bản\n"
    "Thể thức văn bản gồm các thành phần chính.\n"
    "Điều 4: Kỹ thuật trình bày\n"
    "Văn bản được trình bày theo quy định tại\n"
    "Điều 3 của Nghị định này.\n"
    "Điều 4a. Phông chữ\n"
    "Phông chữ tiếng Việt.\n"
    "Chương III\n"
    "ĐIỀU KHOẢN THI HÀNH\n"
    "Điều 5. Hiệu lực thi hành\n"
    "1. Nghị định này có hiệu lực thi hành kể từ ngày ký ban hành.\n"
    "2. Nghị định này thay thế Nghị định số 110/2004/NĐ-CP ngày 08 tháng 4 năm 2004 của "
    "Chính phủ về công tác văn thư.\n"
    "3. Bãi bỏ Thông tư số 01/2011/TT-BNV ngày 19 tháng 01 năm 2011.\n"
    "Điều 6. Sửa đổi, bổ sung\n"
    "Sửa đổi, bổ sung Điều 7 của Nghị định số 99/2016/NĐ-CP như sau:\n"
    "“Điều 7. Quản lý con dấu\n"
    "1. Con dấu được quản lý chặt chẽ.\n"
    "Điều 8. Sử dụng con dấu\n"
    "2. Con dấu được đóng rõ ràng.”\n"
    "Điều 7. Trách nhiệm thi hành\n"
    "Bộ Nội vụ hướng dẫn thi hành Nghị định số 30/2020/NĐ-CP.\n"
    "\n"
    "TM. CHÍNH PHỦ\n"
    "THỦ TƯỚNG\n"
    "Nguyễn Xuân Phúc\n"
    "\n"
    "Nơi nhận:\n"
    "- Ban Bí thư Trung ương Đảng;\n"
    "- Lưu: VT, VTLT (2b).\n";

/* A code as scraped pages have it: no place/date line, the date in the
 * adoption formula, "PHẦN THỨ NHẤT". */
static const char law_bl[] =
    "QUỐC HỘI\n"
    "--------\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ---------------\n"
    "Bộ luật số: 45/2019/QH14\n"
    "BỘ LUẬT\n"
    "LAO ĐỘNG\n"
    "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n"
    "Quốc hội ban hành Bộ luật Lao động.\n"
    "PHẦN THỨ NHẤT\n"
    "NHỮNG QUY ĐỊNH CHUNG\n"
    "Chương I\n"
    "PHẠM VI\n"
    "Điều 1. Phạm vi điều chỉnh\n"
    "Bộ luật này quy định tiêu chuẩn lao động.\n"
    "Điều 2. Hiệu lực thi hành\n"
    "Bộ luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2021. Bộ luật Lao động số "
    "10/2012/QH13 hết hiệu lực kể từ ngày Bộ luật này có hiệu lực thi hành.\n"
    "Bộ luật này được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XIV, kỳ họp thứ 8 "
    "thông qua ngày 20 tháng 11 năm 2019.\n"
    "CHỦ TỊCH QUỐC HỘI\n"
    "Nguyễn Thị Kim Ngân\n";

/* ---- helpers ------------------------------------------------------------ */

static ps_doc *parse_text(const char *text)
{
    ps_doc *doc = ps_doc_new();
    ps_error err;
    assert_non_null(doc);
    assert_int_equal(ps_doc_set_text(doc, text, strlen(text), NULL, &err), PS_OK);
    assert_int_equal(ps_doc_parse(doc, &err), PS_OK);
    return doc;
}

/* Offset of the first occurrence of s in the document's text. */
static size_t at(const ps_doc *doc, const char *s)
{
    const char *p = strstr(doc->text, s);
    assert_non_null(p);
    return (size_t)(p - doc->text);
}

/* The n-th child (0-based) of node. */
static const ps_node *child(const ps_node *node, int n)
{
    const ps_node *c;
    assert_non_null(node);
    for (c = node->child; c && n > 0; c = c->next)
        n--;
    assert_non_null(c);
    return c;
}

static size_t children(const ps_node *node)
{
    size_t k = 0;
    const ps_node *c;
    for (c = node->child; c; c = c->next)
        k++;
    return k;
}

static const char *path_of(const ps_node *node, char *buf, size_t cap)
{
    ps_buf b;
    ps_buf_init(&b, 0);
    assert_int_equal(ps_node_path(node, &b), PS_OK);
    snprintf(buf, cap, "%s", ps_buf_cstr(&b));
    ps_buf_fin(&b);
    return buf;
}

/* The relation whose number is num, or NULL. */
static const ps_relation *rel(const ps_doc *doc, const char *num)
{
    size_t i;
    for (i = 0; i < doc->n_rels; i++)
        if (strcmp(doc->rels[i].number, num) == 0)
            return &doc->rels[i];
    return NULL;
}

/* Checks that every node's span holds its children's, in order, and that
 * body lies within the span. */
static void check_spans(const ps_node *n)
{
    const ps_node *c;
    size_t prev_end = n->start;
    assert_true(n->start <= n->body);
    assert_true(n->body <= n->end);
    for (c = n->child; c; c = c->next) {
        assert_ptr_equal(c->parent, n);
        assert_true(c->start >= prev_end);
        assert_true(c->start >= n->start);
        assert_true(c->end <= n->end);
        prev_end = c->end;
        check_spans(c);
    }
}

/* ---- Party document ------------------------------------------------------ */

static void test_party_header(void **state)
{
    ps_doc *doc = parse_text(party_nq);
    (void)state;
    assert_string_equal(doc->meta.type, "Nghị quyết");
    assert_string_equal(doc->meta.number, "57-NQ/TW");
    assert_string_equal(doc->meta.issuer, "Bộ Chính trị");
    assert_string_equal(doc->meta.place, "Hà Nội");
    assert_string_equal(doc->meta.date, "2024-12-22");
    assert_string_equal(doc->meta.title, "về đột phá phát triển khoa học, công nghệ, đổi mới sáng "
                                         "tạo và chuyển đổi số quốc gia");
    assert_string_equal(doc->meta.signer, "Tô Lâm");
    assert_string_equal(doc->meta.signer_title, "Tổng Bí thư");
    assert_null(doc->meta.effective_date);
    /* "bí mật nhà nước" in a sentence is no marking */
    assert_int_equal(doc->meta.access, PS_ACCESS_PUBLIC);
    ps_doc_free(doc);
}

static void test_party_structure(void **state)
{
    ps_doc *doc = parse_text(party_nq);
    const ps_node *p1, *p2, *k1, *a;
    char buf[256];
    (void)state;
    assert_int_equal(children(doc->root), 2);
    p1 = child(doc->root, 0);
    assert_int_equal(p1->kind, PS_NODE_PHAN);
    assert_string_equal(p1->label, "Phần I");
    assert_string_equal(p1->num, "I");
    assert_string_equal(p1->title, "TÌNH HÌNH VÀ NGUYÊN NHÂN");
    assert_int_equal(p1->start, at(doc, "I- TÌNH HÌNH"));
    assert_int_equal(p1->body, at(doc, "1- Kết quả"));
    /* the part ends where the next starts, without the line break */
    p2 = child(doc->root, 1);
    assert_int_equal(p1->end, p2->start - 1);
    assert_string_equal(p2->label, "Phần II");
    assert_int_equal(children(p1), 2);
    k1 = child(p1, 0);
    assert_int_equal(k1->kind, PS_NODE_KHOAN);
    assert_string_equal(k1->label, "khoản 1");
    assert_int_equal(k1->body, at(doc, "Kết quả đạt được"));
    assert_int_equal(children(k1), 2);
    a = child(k1, 0);
    assert_int_equal(a->kind, PS_NODE_DIEM);
    assert_string_equal(a->label, "điểm a");
    assert_string_equal(path_of(a, buf, sizeof buf), "Phần I > khoản 1 > điểm a");
    /* numbering starts again under the next part: "1." after "2-" */
    assert_int_equal(children(p2), 1);
    assert_string_equal(child(p2, 0)->label, "khoản 1");
    /* the signature and "Nơi nhận" are no part of the last unit */
    assert_int_equal(p2->end, at(doc, "\n\nT/M BỘ CHÍNH TRỊ"));
    assert_int_equal(ps_doc_count_nodes(doc, PS_NODE_PHAN), 2);
    assert_int_equal(ps_doc_count_nodes(doc, PS_NODE_KHOAN), 3);
    assert_int_equal(ps_doc_count_nodes(doc, PS_NODE_DIEM), 2);
    assert_int_equal(ps_doc_count_nodes(doc, PS_NODE_DIEU), 0);
    check_spans(doc->root);
    ps_doc_free(doc);
}

static void test_party_relations(void **state)
{
    ps_doc *doc = parse_text(party_nq);
    const ps_relation *r;
    (void)state;
    /* its own number is no relation */
    assert_int_equal(doc->n_rels, 1);
    r = rel(doc, "52-NQ/TW");
    assert_non_null(r);
    assert_int_equal(r->kind, PS_REL_CITES);
    assert_string_equal(r->key, "52-NQ-TW");
    assert_string_equal(r->type, "Nghị quyết");
    assert_string_equal(r->date, "2019-09-27");
    assert_int_equal(r->start, at(doc, "Nghị quyết số 52"));
    assert_int_equal(r->end, at(doc, " của Bộ Chính trị, nhận thức"));
    ps_doc_free(doc);
}

static void test_party_issuer_from_signature(void **state)
{
    /* no "CỦA BỘ CHÍNH TRỊ" line: "T/M BỘ CHÍNH TRỊ" names the issuer of a
     * "/TW" document whose header only names the Central Committee */
    const char *text = "BAN CHẤP HÀNH TRUNG ƯƠNG\n*\nSố 05-CT/TW\nĐẢNG CỘNG SẢN VIỆT NAM\n"
                       "Hà Nội, ngày 15 tháng 5 năm 2016\n\nCHỈ THỊ\nvề đẩy mạnh học tập\n-----\n"
                       "1- Các cấp ủy lãnh đạo.\n\nT/M BỘ CHÍNH TRỊ\nTỔNG BÍ THƯ\n(Đã ký)\n"
                       "Nguyễn Phú Trọng\n";
    ps_doc *doc = parse_text(text);
    (void)state;
    assert_string_equal(doc->meta.type, "Chỉ thị");
    assert_string_equal(doc->meta.issuer, "Bộ Chính trị");
    assert_string_equal(doc->meta.signer, "Nguyễn Phú Trọng");
    assert_string_equal(doc->meta.date, "2016-05-15");
    ps_doc_free(doc);
    /* signed for the Central Committee itself, it stays the issuer */
    text = "BAN CHẤP HÀNH TRUNG ƯƠNG\n*\nSố 18-NQ/TW\nĐẢNG CỘNG SẢN VIỆT NAM\n"
           "Hà Nội, ngày 25 tháng 10 năm 2017\n\nNGHỊ QUYẾT\nHỘI NGHỊ LẦN THỨ SÁU\n"
           "BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG KHÓA XII\nMột số vấn đề về tiếp tục đổi mới\n-----\n"
           "I- TÌNH HÌNH\n\nT/M BAN CHẤP HÀNH TRUNG ƯƠNG\nTỔNG BÍ THƯ\nNguyễn Phú Trọng\n";
    doc = parse_text(text);
    assert_string_equal(doc->meta.issuer, "Ban Chấp hành Trung ương");
    /* the plenum's name is no title: the subject under it is */
    assert_string_equal(doc->meta.title, "Một số vấn đề về tiếp tục đổi mới");
    ps_doc_free(doc);
}

static void test_party_old_form(void **state)
{
    const char *text = "BAN CHẤP HÀNH TRUNG ƯƠNG\n*\nSố 234-TB/T.Ư\nHà Nội, ngày 5 tháng 3 năm 1999\n\n"
                       "THÔNG BÁO\nKẾT LUẬN CỦA BAN BÍ THƯ\nvề tình hình kinh tế tư nhân\n-----\n"
                       "1- Kinh tế tư nhân phát triển.\n2- Còn hạn chế.\n\nT/L BAN BÍ THƯ\n"
                       "CHÁNH VĂN PHÒNG\n(đã ký)\nNguyễn Văn Chiến\n";
    ps_doc *doc = parse_text(text);
    (void)state;
    assert_string_equal(doc->meta.type, "Thông báo");
    assert_string_equal(doc->meta.number, "234-TB/T.Ư");
    assert_string_equal(doc->meta.issuer, "Ban Bí thư");
    assert_string_equal(doc->meta.title, "về tình hình kinh tế tư nhân");
    assert_string_equal(doc->meta.signer, "Nguyễn Văn Chiến");
    assert_string_equal(doc->meta.signer_title, "Chánh Văn phòng");
    assert_string_equal(doc->meta.date, "1999-03-05");
    assert_int_equal(ps_doc_count_nodes(doc, PS_NODE_KHOAN), 2);
    ps_doc_free(doc);
}

static void test_party_committees(void **state)
{
    /* a department under the Central Committee */
    const char *text = "BAN CHẤP HÀNH TRUNG ƯƠNG\nBAN TUYÊN GIÁO\n*\nSố 01-HD/BTGTW\n"
                       "ĐẢNG CỘNG SẢN VIỆT NAM\nHà Nội, ngày 6 tháng 6 năm 2016\n\nHƯỚNG DẪN\n"
                       "thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị\n-----\n"
                       "I- MỤC ĐÍCH\n\nK/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN THƯỜNG TRỰC\n(đã ký)\n"
                       "Vũ Ngọc Lâm\n";
    ps_doc *doc = parse_text(text);
    (void)state;
    assert_string_equal(doc->meta.type, "Hướng dẫn");
    assert_string_equal(doc->meta.issuer, "Ban Tuyên giáo Trung ương");
    assert_string_equal(doc->meta.signer_title, "Phó Trưởng ban Thường trực");
    assert_string_equal(doc->meta.title,
                        "thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị");
    /* a number in the title is a relation too */
    assert_non_null(rel(doc, "05-CT/TW"));
    ps_doc_free(doc);
    /* a provincial committee's standing board */
    text = "TỈNH ỦY NGHỆ AN\n*\nSố 12-NQ/TU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
           "Nghệ An, ngày 08 tháng 7 năm 2025\n\nNGHỊ QUYẾT\nCỦA BAN THƯỜNG VỤ TỈNH ỦY\n"
           "về phát triển kinh tế tư nhân\n-----\nI- TÌNH HÌNH\n\nT/M BAN THƯỜNG VỤ\nBÍ THƯ\n"
           "Hồ Văn Thành\n";
    doc = parse_text(text);
    assert_string_equal(doc->meta.issuer, "Ban Thường vụ Tỉnh ủy Nghệ An");
    assert_string_equal(doc->meta.place, "Nghệ An");
    assert_string_equal(doc->meta.signer_title, "Bí thư");
    assert_string_equal(doc->meta.number, "12-NQ/TU");
    ps_doc_free(doc);
}

/* ---- State document ------------------------------------------------------ */

static void test_state_header(void **state)
{
    ps_doc *doc = parse_text(state_nd);
    (void)state;
    assert_string_equal(doc->meta.type, "Nghị định");
    assert_string_equal(doc->meta.number, "30/2020/NĐ-CP");
    assert_string_equal(doc->meta.issuer, "Chính phủ");
    assert_string_equal(doc->meta.place, "Hà Nội");
    assert_string_equal(doc->meta.date, "2020-03-05");
    assert_string_equal(doc->meta.title, "Về công tác văn thư");
    assert_string_equal(doc->meta.signer, "Nguyễn Xuân Phúc");
    assert_string_equal(doc->meta.signer_title, "Thủ tướng");
    /* "có hiệu lực ... kể từ ngày ký ban hành": its own date */
    assert_string_equal(doc->meta.effective_date, "2020-03-05");
    assert_int_equal(doc->meta.access, PS_ACCESS_PUBLIC);
    ps_doc_free(doc);
}

static void test_state_structure(void **state)
{
    ps_doc *doc = parse_text(state_nd);
    const ps_node *c1, *c2, *d2, *m1, *d3, *d4, *d4a, *a, *d6;
    char buf[256];
    (void)state;
    /* the "Căn cứ" lines and "Nơi nhận" are no nodes */
    assert_int_equal(children(doc->root), 3);
    c1 = child(doc->root, 0);
    assert_int_equal(c1->kind, PS_NODE_CHUONG);
    assert_string_equal(c1->label, "Chương I");
    assert_string_equal(c1->title, "QUY ĐỊNH CHUNG");
    assert_int_equal(c1->body, at(doc, "Điều 1."));
    d2 = child(c1, 1);
    assert_string_equal(d2->label, "Điều 2");
    assert_string_equal(d2->num, "2");
    assert_string_equal(d2->title, "Giải thích từ ngữ");
    assert_int_equal(d2->start, at(doc, "Điều 2."));
    assert_int_equal(d2->body, at(doc, "1. Văn bản là"));
    assert_int_equal(children(d2), 2);
    a = child(child(d2, 1), 0);
    assert_string_equal(a->label, "điểm a");
    assert_string_equal(a->num, "a");
    assert_int_equal(a->body, at(doc, "Văn bản được tạo lập"));
    assert_string_equal(path_of(a, buf, sizeof buf), "Chương I > Điều 2 > khoản 2 > điểm a");
    /* Mục inside Chương; "Điều 3" alone with its title on the next line */
    c2 = child(doc->root, 1);
    m1 = child(c2, 0);
    assert_int_equal(m1->kind, PS_NODE_MUC);
    assert_string_equal(m1->label, "Mục 1");
    assert_string_equal(m1->title, "THỂ THỨC");
    d3 = child(m1, 0);
    assert_string_equal(d3->label, "Điều 3");
    assert_string_equal(d3->title, "Thể thức văn bản");
    assert_int_equal(d3->body, at(doc, "Thể thức văn bản gồm"));
    d4 = child(m1, 1);
    assert_string_equal(d4->label, "Điều 4");
    assert_string_equal(d4->title, "Kỹ thuật trình bày");
    /* "Điều 3 của Nghị định này." wrapped onto a line is in Điều 4's body */
    assert_true(at(doc, "Điều 3 của") < d4->end);
    d4a = child(m1, 2);
    assert_string_equal(d4a->num, "4a");
    assert_string_equal(d4a->label, "Điều 4a");
    /* the quoted "Điều 7." and "Điều 8." belong to Điều 6 */
    d6 = child(child(doc->root, 2), 1);
    assert_string_equal(d6->label, "Điều 6");
    assert_int_equal(children(d6), 0);
    assert_true(d6->end > at(doc, "Điều 8. Sử dụng"));
    assert_string_equal(child(child(doc->root, 2), 2)->label, "Điều 7");
    assert_int_equal(ps_doc_count_nodes(doc, PS_NODE_DIEU), 8);
    assert_int_equal(ps_doc_count_nodes(doc, PS_NODE_CHUONG), 3);
    assert_int_equal(ps_doc_count_nodes(doc, PS_NODE_MUC), 1);
    assert_int_equal(ps_doc_count_nodes(doc, PS_NODE_ROOT), 1);
    /* the last article ends before the signature */
    assert_int_equal(child(child(doc->root, 2), 2)->end, at(doc, "\n\nTM. CHÍNH PHỦ"));
    check_spans(doc->root);
    ps_doc_free(doc);
}

static void test_state_relations(void **state)
{
    ps_doc *doc = parse_text(state_nd);
    const ps_relation *r;
    (void)state;
    assert_int_equal(doc->n_rels, 4);
    r = rel(doc, "09/2010/NĐ-CP");
    assert_non_null(r);
    assert_int_equal(r->kind, PS_REL_BASED_ON);
    assert_string_equal(r->date, "2010-02-08");
    assert_string_equal(r->type, "Nghị định");
    r = rel(doc, "110/2004/NĐ-CP");
    assert_non_null(r);
    assert_int_equal(r->kind, PS_REL_REPLACES);
    assert_string_equal(r->date, "2004-04-08");
    assert_string_equal(r->key, "110-2004-ND-CP");
    r = rel(doc, "01/2011/TT-BNV");
    assert_non_null(r);
    assert_int_equal(r->kind, PS_REL_REPEALS);
    assert_string_equal(r->type, "Thông tư");
    r = rel(doc, "99/2016/NĐ-CP");
    assert_non_null(r);
    assert_int_equal(r->kind, PS_REL_AMENDS);
    assert_null(r->date);
    /* in text order */
    assert_true(doc->rels[0].start < doc->rels[1].start);
    assert_true(doc->rels[2].start < doc->rels[3].start);
    ps_doc_free(doc);
}

static void test_relation_kinds(void **state)
{
    const char *text = "Điều 1. Thi hành\n"
                       "1. Thông tư này hướng dẫn thi hành Nghị định số 13/2023/NĐ-CP.\n"
                       "2. Luật Thanh tra số 56/2010/QH12 hết hiệu lực kể từ ngày Luật này có hiệu lực.\n"
                       "3. Theo Luật Kinh doanh bảo hiểm số 24/2000/QH10 đã được sửa đổi, bổ sung "
                       "theo Luật số 61/2010/QH12.\n"
                       "4. Thay thế cụm từ “văn thư” tại Điều 7 Nghị định số 30/2020/NĐ-CP.\n"
                       "Điều 2. Sửa đổi, bổ sung\n"
                       "Điều 21 của Luật Biên giới quốc gia số 06/2003/QH11 như sau:\n";
    ps_doc *doc = parse_text(text);
    (void)state;
    assert_int_equal(rel(doc, "13/2023/NĐ-CP")->kind, PS_REL_GUIDES);
    assert_int_equal(rel(doc, "56/2010/QH12")->kind, PS_REL_REPEALS);
    /* "đã được sửa đổi" tells the law's history: a citation */
    assert_int_equal(rel(doc, "24/2000/QH10")->kind, PS_REL_CITES);
    assert_int_equal(rel(doc, "61/2010/QH12")->kind, PS_REL_CITES);
    /* rewriting words of a decree amends it */
    assert_int_equal(rel(doc, "30/2020/NĐ-CP")->kind, PS_REL_AMENDS);
    /* a heading without punctuation runs on into the next line */
    assert_int_equal(rel(doc, "06/2003/QH11")->kind, PS_REL_AMENDS);
    assert_string_equal(rel(doc, "06/2003/QH11")->type, "Luật");
    ps_doc_free(doc);
}

/* ---- laws ---------------------------------------------------------------- */

static void test_law(void **state)
{
    ps_doc *doc = parse_text(law_bl);
    const ps_node *p1, *d2;
    const ps_relation *r;
    (void)state;
    assert_string_equal(doc->meta.type, "Bộ luật");
    assert_string_equal(doc->meta.number, "45/2019/QH14");
    assert_string_equal(doc->meta.issuer, "Quốc hội");
    assert_string_equal(doc->meta.title, "Bộ luật Lao động");
    /* no date line: the adoption formula gives it */
    assert_string_equal(doc->meta.date, "2019-11-20");
    assert_null(doc->meta.place);
    assert_string_equal(doc->meta.effective_date, "2021-01-01");
    assert_string_equal(doc->meta.signer, "Nguyễn Thị Kim Ngân");
    assert_string_equal(doc->meta.signer_title, "Chủ tịch Quốc hội");
    p1 = child(doc->root, 0);
    assert_int_equal(p1->kind, PS_NODE_PHAN);
    assert_string_equal(p1->label, "Phần thứ nhất");
    assert_string_equal(p1->num, "1");
    assert_string_equal(p1->title, "NHỮNG QUY ĐỊNH CHUNG");
    d2 = child(child(p1, 0), 1);
    assert_string_equal(d2->label, "Điều 2");
    /* the adoption formula closes the last article */
    assert_int_equal(d2->end, at(doc, "\nBộ luật này được Quốc hội"));
    r = rel(doc, "10/2012/QH13");
    assert_non_null(r);
    assert_int_equal(r->kind, PS_REL_REPEALS);
    assert_string_equal(r->type, "Bộ luật");
    check_spans(doc->root);
    ps_doc_free(doc);
}

static void test_law_scraped_numbers(void **state)
{
    /* "QH 11" split by a scrape; a number on the line after "Số:" */
    const char *t1 = "QUỐC HỘI\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nLuật số: 28/2004/QH 11\n"
                     "Hà Nội, ngày03 tháng 12 năm 2004\nLUẬT\nĐIỆN LỰC\nCăn cứ Hiến pháp;\n"
                     "Điều 1. Phạm vi\nLuật này quy định về điện lực.\n";
    const char *t2 = "QUỐC HỘI *****\nSố:\n64/2006/QH11\nHà Nội, ngày 29 tháng 6 năm 2006\nLUẬT\n"
                     "PHÒNG, CHỐNG HIV/AIDS\nCăn cứ Hiến pháp;\nChương I\nQUY ĐỊNH CHUNG\n"
                     "Điều 1\nPhạm vi điều chỉnh\nLuật này quy định.\nĐiều 2\nLuật này áp dụng.\n";
    ps_doc *doc = parse_text(t1);
    (void)state;
    assert_string_equal(doc->meta.number, "28/2004/QH11");
    assert_string_equal(doc->meta.date, "2004-12-03");
    assert_string_equal(doc->meta.title, "Luật Điện lực");
    ps_doc_free(doc);
    doc = parse_text(t2);
    assert_string_equal(doc->meta.number, "64/2006/QH11");
    assert_string_equal(doc->meta.title, "Luật Phòng, chống HIV/AIDS");
    assert_string_equal(child(child(doc->root, 0), 0)->title, "Phạm vi điều chỉnh");
    /* a body line ending in '.' is no title */
    assert_null(child(child(doc->root, 0), 1)->title);
    assert_int_equal(ps_doc_count_nodes(doc, PS_NODE_DIEU), 2);
    ps_doc_free(doc);
}

static void test_law_old_title_clauses(void **state)
{
    /* "CỦA QUỐC HỘI ... SỐ ... NGÀY ... VỀ ...": the name is what follows */
    const char *text = "QUỐC HỘI\nSố: 24/2000/QH10\nHà Nội, ngày 09 tháng 12 năm 2000\nLUẬT\n"
                       "CỦA QUỐC HỘI NƯỚC CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM SỐ 24/2000/QH10 "
                       "NGÀY 09 THÁNG 12 NĂM 2000 VỀ KINH DOANH BẢO HIỂM\n"
                       "Để bảo vệ quyền và lợi ích hợp pháp của tổ chức, cá nhân tham gia bảo hiểm;\n"
                       "Chương I\nNHỮNG QUY ĐỊNH CHUNG\nĐiều 1. Phạm vi\nLuật này quy định.\n";
    ps_doc *doc = parse_text(text);
    (void)state;
    assert_string_equal(doc->meta.title, "Luật Kinh doanh bảo hiểm");
    assert_string_equal(doc->meta.issuer, "Quốc hội");
    ps_doc_free(doc);
    /* a law with no header at all: type from how it names itself */
    text = "Điều 1.\nNước Cộng hòa xã hội chủ nghĩa Việt Nam là một nước độc lập.\nĐiều 2.\n"
           "Hiến pháp này là luật cơ bản.\nHiến pháp này đã được Quốc hội nước Cộng hòa xã hội "
           "chủ nghĩa Việt Nam khóa XIII, kỳ họp thứ 6 thông qua ngày 28 tháng 11 năm 2013.\n"
           "CHỦ TỊCH QUỐC HỘI\n(Đã ký)\nNguyễn Sinh Hùng\n";
    doc = parse_text(text);
    assert_string_equal(doc->meta.type, "Hiến pháp");
    assert_string_equal(doc->meta.date, "2013-11-28");
    assert_string_equal(doc->meta.issuer, "Quốc hội");
    assert_string_equal(doc->meta.signer, "Nguyễn Sinh Hùng");
    assert_null(doc->meta.number);
    assert_int_equal(ps_doc_count_nodes(doc, PS_NODE_DIEU), 2);
    ps_doc_free(doc);
}

/* ---- other State forms ------------------------------------------------- */

static void test_letter(void **state)
{
    const char *text = "BỘ TÀI CHÍNH\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                       "Độc lập - Tự do - Hạnh phúc\n---------------\nSố: 1234/BTC-CST\n"
                       "V/v hướng dẫn chính sách thuế\nđối với hộ kinh doanh\n"
                       "Hà Nội, ngày 05 tháng 03 năm 2021\n\nKính gửi: Cục Thuế các tỉnh.\n\n"
                       "Bộ Tài chính nhận được công văn của các địa phương.\n\nKT. BỘ TRƯỞNG\n"
                       "THỨ TRƯỞNG\nCao Anh Tuấn\n";
    ps_doc *doc = parse_text(text);
    (void)state;
    assert_string_equal(doc->meta.type, "Công văn");
    assert_string_equal(doc->meta.number, "1234/BTC-CST");
    assert_string_equal(doc->meta.title, "hướng dẫn chính sách thuế đối với hộ kinh doanh");
    assert_string_equal(doc->meta.issuer, "Bộ Tài chính");
    assert_string_equal(doc->meta.signer_title, "Thứ trưởng");
    assert_string_equal(doc->meta.signer, "Cao Anh Tuấn");
    assert_string_equal(doc->meta.date, "2021-03-05");
    ps_doc_free(doc);
}

static void test_province(void **state)
{
    const char *text = "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                       "Độc lập - Tự do - Hạnh phúc\n---------------\nSố: 3120/QĐ-UBND\n"
                       "Nghệ An, ngày 12 tháng 11 năm 2024\n\nQUYẾT ĐỊNH\n"
                       "Ban hành Quy chế công tác văn thư\n\nỦY BAN NHÂN DÂN TỈNH NGHỆ AN\n\n"
                       "Căn cứ Luật Tổ chức chính quyền địa phương;\n\nQUYẾT ĐỊNH:\n\n"
                       "Điều 1. Ban hành kèm theo Quyết định này Quy chế công tác văn thư.\n"
                       "Điều 2. Quyết định này có hiệu lực từ ngày 25 tháng 11 năm 2024.\n\n"
                       "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nHoàng Minh Tuấn\n";
    ps_doc *doc = parse_text(text);
    (void)state;
    assert_string_equal(doc->meta.type, "Quyết định");
    assert_string_equal(doc->meta.issuer, "Ủy ban nhân dân tỉnh Nghệ An");
    assert_string_equal(doc->meta.place, "Nghệ An");
    assert_string_equal(doc->meta.title, "Ban hành Quy chế công tác văn thư");
    assert_string_equal(doc->meta.signer_title, "Phó Chủ tịch");
    assert_string_equal(doc->meta.signer, "Hoàng Minh Tuấn");
    assert_string_equal(doc->meta.effective_date, "2024-11-25");
    assert_int_equal(ps_doc_count_nodes(doc, PS_NODE_DIEU), 2);
    ps_doc_free(doc);
}

static void test_attachment_after_signature(void **state)
{
    /* a decision issuing a regulation: the regulation's articles after the
     * signature are structure too, numbered from 1 again */
    const char *text = "BỘ NỘI VỤ\nSố: 12/QĐ-BNV\nHà Nội, ngày 2 tháng 1 năm 2024\nQUYẾT ĐỊNH\n"
                       "Ban hành Quy chế làm việc\n\nĐiều 1. Ban hành Quy chế.\nĐiều 2. Thi hành.\n\n"
                       "BỘ TRƯỞNG\nPhạm Thị Thanh Trà\n\nQUY CHẾ\nLàm việc của Bộ Nội vụ\n"
                       "Chương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi\nQuy chế này quy định.\n"
                       "Điều 2. Đối tượng\nCán bộ, công chức.\n";
    ps_doc *doc = parse_text(text);
    (void)state;
    assert_string_equal(doc->meta.signer, "Phạm Thị Thanh Trà");
    assert_string_equal(doc->meta.signer_title, "Bộ trưởng");
    assert_int_equal(ps_doc_count_nodes(doc, PS_NODE_DIEU), 4);
    assert_int_equal(ps_doc_count_nodes(doc, PS_NODE_CHUONG), 1);
    /* the decision's last article ends before the signature */
    assert_int_equal(child(doc->root, 1)->end, at(doc, "\n\nBỘ TRƯỞNG"));
    check_spans(doc->root);
    ps_doc_free(doc);
}

/* ---- access markings ------------------------------------------------- */

static int access_of(const char *marking, const char *body)
{
    char text[1024];
    ps_doc *doc;
    int a;
    snprintf(text, sizeof text,
             "BAN CHẤP HÀNH TRUNG ƯƠNG\n*\nSố 85-KL/TW\n%s\nĐẢNG CỘNG SẢN VIỆT NAM\n"
             "Hà Nội, ngày 10 tháng 7 năm 2024\n\nKẾT LUẬN\nCỦA BỘ CHÍNH TRỊ\n"
             "về công tác bảo vệ chính trị nội bộ\n-----\n1. Giữ gìn bí mật nhà nước.\n%s\n",
             marking, body);
    doc = parse_text(text);
    a = doc->meta.access;
    assert_string_equal(doc->meta.issuer, "Bộ Chính trị");
    ps_doc_free(doc);
    return a;
}

static void test_access(void **state)
{
    (void)state;
    assert_int_equal(access_of("MẬT", ""), PS_ACCESS_RESTRICTED);
    assert_int_equal(access_of("TỐI MẬT", ""), PS_ACCESS_SECRET);
    assert_int_equal(access_of("TUYỆT MẬT", ""), PS_ACCESS_SECRET);
    assert_int_equal(access_of("LƯU HÀNH NỘI BỘ", ""), PS_ACCESS_INTERNAL);
    assert_int_equal(access_of("(Lưu hành nội bộ)", ""), PS_ACCESS_INTERNAL);
    /* not a marking: a word in a sentence, a stamp past the header */
    assert_int_equal(access_of("", "Tài liệu này có nội dung mật."), PS_ACCESS_PUBLIC);
    assert_int_equal(access_of("", "MẬT"), PS_ACCESS_PUBLIC);
    assert_int_equal(access_of("Mật thư", ""), PS_ACCESS_PUBLIC);
}

/* ---- what is given is kept; odd input -------------------------------- */

static void test_given_metadata_kept(void **state)
{
    ps_doc *doc = ps_doc_new();
    (void)state;
    assert_int_equal(ps_doc_set_text(doc, party_nq, strlen(party_nq), NULL, NULL), PS_OK);
    doc->meta.number = ps_doc_strdup(doc, "57-NQ/TW", 8);
    doc->meta.title = ps_doc_strdup(doc, "Đột phá", strlen("Đột phá"));
    doc->meta.issuer = ps_doc_strdup(doc, "Bộ Chính trị (BCT)", strlen("Bộ Chính trị (BCT)"));
    assert_int_equal(ps_doc_parse(doc, NULL), PS_OK);
    assert_string_equal(doc->meta.title, "Đột phá");
    assert_string_equal(doc->meta.issuer, "Bộ Chính trị (BCT)");
    assert_string_equal(doc->meta.date, "2024-12-22");
    /* the given number still keeps it out of the relations */
    assert_int_equal(doc->n_rels, 1);
    ps_doc_free(doc);
}

static void test_odd_input(void **state)
{
    static const char *const texts[] = {
        "",
        "\n\n\n",
        "Điều",
        "Điều 1.",
        "Số:",
        "Số: 57-",
        "1-\na)\nI-\nChương\nPhần thứ\n“Điều 1. mở ngoặc không đóng\nĐiều 2. x\n",
        "T/M\nKT.\n(đã ký)\nNơi nhận:\n",
        "ngày 31 tháng 2 năm 2024\nHà Nội, ngày 99 tháng 99 năm 99999\n",
        "\xff\xfe\xfd Điều 1. \xc3\x28 Số \xe2\x82",
    };
    size_t k;
    (void)state;
    for (k = 0; k < sizeof texts / sizeof texts[0]; k++) {
        ps_doc *doc = parse_text(texts[k]);
        assert_non_null(doc->root);
        assert_int_equal(doc->root->kind, PS_NODE_ROOT);
        assert_int_equal(doc->root->end, doc->text_len);
        check_spans(doc->root);
        ps_doc_free(doc);
    }
    assert_int_equal(ps_doc_parse(NULL, NULL), PS_EINVAL);
}

/* Every allocation the parser makes may fail: it reports PS_ENOMEM and
 * the document still frees cleanly (run under valgrind for leaks). */
static void test_allocation_failures(void **state)
{
    long n, total;
    (void)state;
    ps_alloc_fail_after(-1);
    {
        ps_doc *doc = parse_text(state_nd);
        ps_doc_free(doc);
    }
    total = ps_alloc_fail_after(-1);
    assert_true(total > 5);
    for (n = 0; n < total + 5; n++) {
        ps_doc *doc;
        int rc;
        ps_alloc_fail_after(n);
        doc = ps_doc_new();
        if (!doc) {
            ps_alloc_fail_after(-1);
            continue;
        }
        rc = ps_doc_set_text(doc, state_nd, strlen(state_nd), NULL, NULL);
        if (rc == PS_OK)
            rc = ps_doc_parse(doc, NULL);
        ps_alloc_fail_after(-1);
        assert_true(rc == PS_OK || rc == PS_ENOMEM || rc == PS_EICU);
        ps_doc_free(doc);
    }
}

/* ---- the tree walkers ---------------------------------------------- */

static void test_tree_walk(void **state)
{
    ps_doc *doc = parse_text(state_nd);
    const ps_node *n;
    char buf[256];
    ps_doc empty;
    (void)state;
    n = ps_doc_node_at(doc, at(doc, "Văn bản được tạo lập"));
    assert_string_equal(n->label, "điểm a");
    assert_string_equal(ps_node_article(n)->label, "Điều 2");
    assert_string_equal(path_of(n, buf, sizeof buf), "Chương I > Điều 2 > khoản 2 > điểm a");
    n = ps_doc_node_at(doc, at(doc, "Nghị định này quy định về"));
    assert_string_equal(path_of(n, buf, sizeof buf), "Chương I > Điều 1");
    /* the header and the signature belong to no unit */
    assert_ptr_equal(ps_doc_node_at(doc, 0), doc->root);
    assert_ptr_equal(ps_doc_node_at(doc, at(doc, "Nguyễn Xuân Phúc")), doc->root);
    assert_null(ps_node_article(doc->root));
    assert_string_equal(path_of(doc->root, buf, sizeof buf), "");
    n = ps_doc_node_at(doc, at(doc, "THỂ THỨC VĂN BẢN"));
    assert_string_equal(n->label, "Chương II");
    assert_null(ps_node_article(n));
    memset(&empty, 0, sizeof empty);
    assert_null(ps_doc_node_at(&empty, 0));
    assert_int_equal(ps_doc_count_nodes(&empty, PS_NODE_DIEU), 0);
    assert_int_equal(ps_node_path(doc->root, NULL), PS_EINVAL);
    ps_doc_free(doc);
}

/* ---- recasing helpers (static in parse.c) ---------------------------- */

static const char *recased(const char *s, char *buf, size_t cap)
{
    size_t n = strlen(s);
    snprintf(buf, cap, "%s", s);
    sentence_case(buf, n, 0);
    return buf;
}

static const char *issuer_of(const char *s)
{
    static char out[256];
    parser p;
    const char *d;
    memset(&p, 0, sizeof p);
    p.doc = ps_doc_new();
    p.t = s;
    p.n = strlen(s);
    d = issuer_display(&p, 0, p.n);
    snprintf(out, sizeof out, "%s", d ? d : "(null)");
    ps_doc_free(p.doc);
    return out;
}

static void test_recasing(void **state)
{
    char buf[512];
    (void)state;
    assert_string_equal(recased("VỀ ĐỘT PHÁ PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ CỦA VIỆT NAM", buf, sizeof buf),
                        "Về đột phá phát triển khoa học, công nghệ của Việt Nam");
    assert_string_equal(recased("HỘI NGHỊ LẦN THỨ SÁU BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG KHÓA XIII", buf,
                                sizeof buf),
                        "Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng khóa XIII");
    assert_string_equal(recased("HỢP TÁC VỚI ASEAN VÀ CÁCH MẠNG 4.0", buf, sizeof buf),
                        "Hợp tác với ASEAN và cách mạng 4.0");
    assert_string_equal(recased("XÂY DỰNG ĐẢNG VÀ ĐẢNG VIÊN", buf, sizeof buf),
                        "Xây dựng Đảng và đảng viên");
    /* text that is not in capitals keeps its case */
    assert_string_equal(recased("về Nhà nước pháp quyền", buf, sizeof buf), "Về Nhà nước pháp quyền");
    assert_string_equal(issuer_of("BỘ KẾ HOẠCH VÀ ĐẦU TƯ"), "Bộ Kế hoạch và Đầu tư");
    assert_string_equal(issuer_of("BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH"), "Bộ Văn hóa, Thể thao và Du lịch");
    assert_string_equal(issuer_of("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"),
                        "Ủy ban nhân dân thành phố Hồ Chí Minh");
    assert_string_equal(issuer_of("UỶ BAN NHÂN DÂN TỈNH KHÁNH HOÀ"), "Uỷ ban nhân dân tỉnh Khánh Hoà");
    assert_string_equal(issuer_of("TỈNH ỦY NGHỆ AN"), "Tỉnh ủy Nghệ An");
    assert_string_equal(issuer_of("UBND TỈNH QUẢNG NINH"), "Ủy ban nhân dân tỉnh Quảng Ninh");
    assert_string_equal(issuer_of("BAN CHẤP HÀNH TRUNG ƯƠNG"), "Ban Chấp hành Trung ương");
    assert_string_equal(issuer_of("THỦ TƯỚNG CHÍNH PHỦ"), "Thủ tướng Chính phủ");
    assert_string_equal(issuer_of("ỦY BAN KIỂM TRA"), "Ủy ban Kiểm tra");
    assert_string_equal(issuer_of("-------"), "(null)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_party_header),
        cmocka_unit_test(test_party_structure),
        cmocka_unit_test(test_party_relations),
        cmocka_unit_test(test_party_issuer_from_signature),
        cmocka_unit_test(test_party_old_form),
        cmocka_unit_test(test_party_committees),
        cmocka_unit_test(test_state_header),
        cmocka_unit_test(test_state_structure),
        cmocka_unit_test(test_state_relations),
        cmocka_unit_test(test_relation_kinds),
        cmocka_unit_test(test_law),
        cmocka_unit_test(test_law_scraped_numbers),
        cmocka_unit_test(test_law_old_title_clauses),
        cmocka_unit_test(test_letter),
        cmocka_unit_test(test_province),
        cmocka_unit_test(test_attachment_after_signature),
        cmocka_unit_test(test_access),
        cmocka_unit_test(test_given_metadata_kept),
        cmocka_unit_test(test_odd_input),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_tree_walk),
        cmocka_unit_test(test_recasing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
