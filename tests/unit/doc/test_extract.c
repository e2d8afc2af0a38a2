/*
 * test_extract: the format extractors behind ps_extract_buffer and
 * ps_extract_file: HTML, DOCX, ODT, RTF, PDF, DOC, the format dispatch,
 * the limits, and every allocation failure on the way (fault injection;
 * run under ASan or valgrind to see that nothing leaks).
 *
 * DOCX and ODT archives are built in memory with libzip, PDFs with
 * cairo's PDF surface; .doc files come from tests/fixtures/formats (their
 * make-fixtures.sh says how they were made). The encodings have their own
 * test, test_extract_encoding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/testroot.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "polsearch/doc.h"
#include "polsearch/extract.h"
#include "polsearch/text.h"


#include "tests/tools/lsan_fontconfig.h"

/* ---- helpers ------------------------------------------------------------ */

/* Extracts; returns the code, the document in *out (caller frees). */
static int extract(const char *data, size_t n, const char *format, ps_doc **out, ps_error *err)
{
    ps_doc *doc = ps_doc_new();
    int rc;
    assert_non_null(doc);
    rc = ps_extract_buffer(data, n, format, doc, err);
    *out = doc;
    return rc;
}

/* Extracts and checks the text. */
static void expect_text(const char *data, size_t n, const char *format, const char *want)
{
    ps_doc *doc;
    ps_error err;
    int rc = extract(data, n, format, &doc, &err);
    if (rc)
        fprintf(stderr, "%s: %s\n", format, err.msg);
    assert_int_equal(rc, PS_OK);
    if (strcmp(doc->text, want) != 0)
        fprintf(stderr, "%s: got\n[%s]\nexpected\n[%s]\n", format, doc->text, want);
    assert_string_equal(doc->text, want);
    ps_doc_free(doc);
}

/* Extracts and checks the failure and its message. */
static void expect_error(const char *data, size_t n, const char *format, int code,
                         const char *msg_part)
{
    ps_doc *doc;
    ps_error err;
    int rc = extract(data, n, format, &doc, &err);
    if (rc != code || !strstr(err.msg, msg_part))
        fprintf(stderr, "%s: got %s [%s], expected %s [%s]\n", format, ps_rc_name(rc),
                rc ? err.msg : "", ps_rc_name(code), msg_part);
    assert_int_equal(rc, code);
    assert_non_null(strstr(err.msg, msg_part));
    ps_doc_free(doc);
}

/* A zip in memory of the given entries (name, content pairs, NULL ends). */
static char *make_zip(const char *const *entries, size_t *len)
{
    zip_error_t ze;
    zip_source_t *src;
    zip_t *za;
    zip_stat_t st;
    char *buf;
    zip_error_init(&ze);
    src = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(src);
    zip_source_keep(src);
    za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    for (; entries[0]; entries += 2) {
        zip_source_t *e = zip_source_buffer(za, entries[1], strlen(entries[1]), 0);
        assert_true(zip_file_add(za, entries[0], e, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(za), 0);
    assert_int_equal(zip_source_stat(src, &st), 0);
    buf = malloc(st.size + 1);
    assert_non_null(buf);
    assert_int_equal(zip_source_open(src), 0);
    assert_int_equal(zip_source_read(src, buf, st.size), (zip_int64_t)st.size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    *len = st.size;
    return buf;
}

#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
#define MC_NS "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\""

static char *make_docx(const char *body, size_t *len)
{
    static char xml[65536];
    const char *entries[] = {"word/document.xml", xml, "[Content_Types].xml", "<Types/>", NULL};
    snprintf(xml, sizeof xml,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document " W_NS " " MC_NS
             "><w:body>%s<w:sectPr/></w:body></w:document>",
             body);
    return make_zip(entries, len);
}

#define ODT_NS                                                                       \
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "            \
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "                \
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "              \
    "xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" "             \
    "xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\""

static char *make_odt(const char *body, size_t *len)
{
    static char xml[65536];
    const char *entries[] = {"mimetype", "application/vnd.oasis.opendocument.text",
                             "content.xml", xml, NULL};
    snprintf(xml, sizeof xml,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content " ODT_NS
             "><office:automatic-styles><text:p>NOT BODY</text:p></office:automatic-styles>"
             "<office:body><office:text>%s</office:text></office:body></office:document-content>",
             body);
    return make_zip(entries, len);
}

/* ---- HTML --------------------------------------------------------------- */

static void test_html_visible_text(void **state)
{
    static const char page[] =
        "<!DOCTYPE html><html><head><title>Tiêu đề trang</title>"
        "<style>p{color:red}</style><script>var x = '<p>kịch bản</p>';</script></head><body>"
        "<header>Cổng thông tin</header><nav><a href=/>Trang chủ</a></nav>"
        "<form><input name=q><button>Tìm</button><label>Tìm kiếm</label></form>"
        "<main><article><header><h1>NGHỊ QUYẾT</h1></header>"
        "<p>Về   phát triển\n kinh tế <b>tư</b>&nbsp;nhân<span hidden>ẩn</span></p>"
        "<div>Dòng một<br>Dòng hai<br><br>Dòng bốn</div>"
        "<div style=\"DISPLAY: None\">ẩn hai</div><p aria-hidden=\"true\">ẩn ba</p>"
        "<ul><li>a) điểm a;</li><li>b) điểm b.</li></ul>"
        "<pre>  giữ   khoảng\n  trắng</pre>"
        "<p>C&#7897;ng h&ograve;a &amp; x&atilde; h&#x1ED9;i</p>"
        "<noscript>không script</noscript><template><p>mẫu</p></template>"
        "</article></main><aside>Liên quan</aside><footer>Bản quyền</footer></body></html>";
    (void)state;
    expect_text(page, sizeof page - 1, "html",
                "NGHỊ QUYẾT\nVề phát triển kinh tế tư nhân\nDòng một\nDòng hai\n\nDòng bốn\n"
                "a) điểm a;\nb) điểm b.\n  giữ   khoảng\n  trắng\nCộng hòa & xã hội\n");
}

static void test_html_tables(void **state)
{
    static const char page[] =
        "<html><body><table>"
        "<tr><td><p>CHÍNH PHỦ</p><p>-------</p></td>"
        "<td><p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p><p>Độc lập - Tự do - Hạnh phúc</p></td></tr>"
        "<tr><td>Số: 30/2020/NĐ-CP</td><td>Hà Nội, ngày 05 tháng 3 năm 2020</td></tr>"
        "</table><p>NGHỊ ĐỊNH</p>"
        "<table><tr><th>STT</th><th>Tên</th><th></th></tr><tr><td>1</td><td>Văn bản "
        "<table><tr><td>x</td><td>y</td></tr></table></td></tr></table></body></html>";
    (void)state;
    expect_text(page, sizeof page - 1, "html",
                "CHÍNH PHỦ\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - "
                "Hạnh phúc\nSố: 30/2020/NĐ-CP\tHà Nội, ngày 05 tháng 3 năm 2020\nNGHỊ ĐỊNH\n"
                "STT\tTên\n1\nVăn bản\nx\ty\n");
}

static void test_html_title_and_forms(void **state)
{
    static const char only_title[] = "<html><head><title>Thông báo số 1</title></head>"
                                     "<body><script>x()</script></body></html>";
    char big[4096];
    int k = 0, i;
    (void)state;
    expect_text(only_title, sizeof only_title - 1, "html", "Thông báo số 1\n");
    /* an ASP.NET page: the whole body in one form */
    k += snprintf(big + k, sizeof big - (size_t)k, "<html><body><form id=form1>");
    for (i = 0; i < 30; i++)
        k += snprintf(big + k, sizeof big - (size_t)k, "<p>Điều %d. Nội dung điều khoản.</p>",
                      i + 1);
    k += snprintf(big + k, sizeof big - (size_t)k, "<input type=submit></form></body></html>");
    {
        ps_doc *doc;
        ps_error err;
        assert_int_equal(extract(big, (size_t)k, "htm", &doc, &err), PS_OK);
        assert_non_null(strstr(doc->text, "Điều 30. Nội dung điều khoản."));
        assert_string_equal(doc->format, "html");
        ps_doc_free(doc);
    }
}

static void test_html_charsets(void **state)
{
    /* Windows-1258 declared: combining tone marks, composed */
    static const char cp1258[] = "<html><head><meta charset=\"windows-1258\"></head><body>"
                                 "<p>C\xf4\xf2ng ho\xcc" "a</p></body></html>";
    /* nothing declared, VNI bytes: detected */
    static const char vni[] =
        "<html><body><font face=\"VNI-Times\"><p>Co\xe4ng ho\xf8" "a xa\xf5 ho\xe4i chu\xfb ngh\xf3"
        "a Vie\xe4t Nam</p><p>\xd1o\xe4" "c la\xe4p - T\xf6\xef do - Ha\xefnh phu\xf9" "c</p>"
        "</font></body></html>";
    /* declared Latin-1, TCVN3 in a .VnTime font: detected */
    static const char tcvn3[] =
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">"
        "</head><body><p>C\xe9ng ho\xb5 x\xb7 h\xe9i ch\xf1 ngh\xdc" "a vi\xd6t nam</p><p>\xa7\xe9"
        "c l\xcbp - t\xf9 do - h\xb9nh ph\xf3" "c</p></body></html>";
    /* an XML declaration's encoding, a charset iconv knows */
    static const char xml_decl[] = "<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?>"
                                   "<html><body><p>Euro \xa4</p></body></html>";
    ps_doc *doc;
    ps_error err;
    (void)state;
    expect_text(cp1258, sizeof cp1258 - 1, "html", "Cộng hòa\n");
    assert_int_equal(extract(vni, sizeof vni - 1, "html", &doc, &err), PS_OK);
    assert_string_equal(doc->encoding, "VNI");
    assert_string_equal(doc->text, "Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n");
    ps_doc_free(doc);
    assert_int_equal(extract(tcvn3, sizeof tcvn3 - 1, "html", &doc, &err), PS_OK);
    assert_string_equal(doc->encoding, "TCVN3");
    assert_string_equal(doc->text, "Cộng hoà xã hội chủ nghĩa việt nam\nĐộc lập - tự do - hạnh phúc\n");
    ps_doc_free(doc);
    expect_text(xml_decl, sizeof xml_decl - 1, "html", "Euro €\n");
}

static void test_html_bad(void **state)
{
    static const char broken[] = "<html><body><p>Điều 1. <b>Phạm vi<p>Điều 2. <i>Đối tượng";
    char *huge;
    (void)state;
    expect_text(broken, sizeof broken - 1, "html", "Điều 1. Phạm vi\nĐiều 2. Đối tượng\n");
    expect_error("<html>\0\0\0binary", 16, "html", PS_EFORMAT, "binary content");
    huge = malloc(PS_EXTRACT_MAX_MARKUP + 1);
    assert_non_null(huge);
    memset(huge, 'a', PS_EXTRACT_MAX_MARKUP + 1);
    memcpy(huge, "<html>", 6);
    expect_error(huge, PS_EXTRACT_MAX_MARKUP + 1, "html", PS_ETOOBIG, "over the 64 MB limit");
    free(huge);
}

/* ---- DOCX --------------------------------------------------------------- */

static void test_docx_paragraphs(void **state)
{
    size_t n;
    char *z = make_docx(
        "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"
        "<w:r><w:t>Điều 1. </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>Phạm</w:t></w:r>"
        "<w:r><w:t xml:space=\"preserve\"> vi điều chỉnh</w:t></w:r></w:p>"
        "<w:p/>"
        "<w:p><w:r><w:t>a)</w:t><w:tab/><w:t>điểm</w:t><w:br/><w:t>dòng hai</w:t>"
        "<w:noBreakHyphen/><w:t>x</w:t><w:softHyphen/></w:r></w:p>"
        "<w:p><w:r><w:t>giữ</w:t></w:r><w:del w:id=\"1\"><w:r><w:delText>xóa</w:delText></w:r></w:del>"
        "<w:moveFrom><w:r><w:t>chuyển đi</w:t></w:r></w:moveFrom>"
        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t> 5</w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
        "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent>"
        "<w:p><w:r><w:t>hộp chữ</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>hộp chữ</w:t></w:r></w:p>"
        "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>",
        &n);
    (void)state;
    expect_text(z, n, "docx",
                "Điều 1. Phạm vi điều chỉnh\n\na)\tđiểm\ndòng hai-x\ngiữ 5\nhộp chữ\n");
    free(z);
}

static void test_docx_tables_and_toc(void **state)
{
    size_t n;
    char *z = make_docx(
        "<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val=\"Table of Contents\"/>"
        "</w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:r><w:t>Mục lục 1</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
        "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space="
        "\"preserve\"> TOC \\o \"1-3\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="
        "\"separate\"/></w:r><w:r><w:t>Điều 1 ....... 3</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Điều 2 ....... 4</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/>"
        "</w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>BỘ CHÍNH TRỊ</w:t></w:r></w:p><w:p><w:r><w:t>*"
        "</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>ĐẢNG CỘNG SẢN VIỆT NAM</w:t></w:r></w:p>"
        "</w:tc></w:tr>"
        "<w:tr><w:tc><w:p><w:r><w:t>Số 57-NQ/TW</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>"
        "Hà Nội, ngày 22 tháng 12 năm 2024</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        "<w:p><w:r><w:t>NGHỊ QUYẾT</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:tbl><w:tr><w:tc>"
        "<w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p>"
        "</w:tc></w:tr></w:tbl></w:tc><w:tc/></w:tr></w:tbl>",
        &n);
    (void)state;
    expect_text(z, n, "docx",
                "BỘ CHÍNH TRỊ\n*\nĐẢNG CỘNG SẢN VIỆT NAM\nSố 57-NQ/TW\tHà Nội, ngày 22 tháng 12 "
                "năm 2024\nNGHỊ QUYẾT\n1\ta\tb\n");
    free(z);
}

static void test_docx_bad(void **state)
{
    size_t n;
    char *z;
    const char *no_doc[] = {"word/other.xml", "<x/>", NULL};
    const char *laughs[] = {
        "word/document.xml",
        "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;"
        "&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
        "<w:document " W_NS "><w:body><w:p><w:r><w:t>&c;</w:t></w:r></w:p></w:body></w:document>",
        NULL};
    const char *damaged[] = {"word/document.xml",
                             "<w:document " W_NS "><w:body><w:p><w:r><w:t>Còn đọc được</w:t>"
                             "</w:r></w:p><w:p><w:r><w:t>hỏng</w:bad>",
                             NULL};
    char *bomb;
    (void)state;
    expect_error("not a zip at all", 16, "docx", PS_EFORMAT, "not a DOCX file (not a zip archive)");
    z = make_zip(no_doc, &n);
    expect_error(z, n, "docx", PS_EFORMAT, "not a DOCX file (a zip without the document part)");
    expect_error(z, n, NULL, PS_EFORMAT, "neither DOCX nor ODT");
    free(z);
    z = make_zip(laughs, &n);
    expect_error(z, n, "docx", PS_EFORMAT, "DOCTYPE");
    free(z);
    z = make_zip(damaged, &n);
    expect_error(z, n, "docx", PS_EFORMAT, "not well-formed");
    free(z);
    /* a bomb: 65 MB of spaces packs into some 64 KB */
    bomb = malloc(PS_EXTRACT_MAX_ENTRY + 1024 + 1);
    assert_non_null(bomb);
    memset(bomb, ' ', PS_EXTRACT_MAX_ENTRY + 1024);
    bomb[PS_EXTRACT_MAX_ENTRY + 1024] = '\0';
    {
        const char *entries[] = {"word/document.xml", bomb, NULL};
        z = make_zip(entries, &n);
    }
    free(bomb);
    assert_true(n < 1 << 20);
    expect_error(z, n, "docx", PS_ETOOBIG, "zip bomb?");
    free(z);
}

/* ---- ODT ---------------------------------------------------------------- */

static void test_odt(void **state)
{
    size_t n;
    char *z = make_odt(
        "<text:sequence-decls><text:sequence-decl text:name=\"Bảng\"/></text:sequence-decls>"
        "<text:table-of-content><text:index-body><text:p>Mục lục</text:p></text:index-body>"
        "</text:table-of-content>"
        "<text:h text:outline-level=\"1\">Chương I</text:h>"
        "<text:p>Điều<text:s/>1.<text:s text:c=\"3\"/><text:span>Phạm   vi</text:span>"
        "<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>chú thích"
        "</text:p></text:note-body></text:note> điều chỉnh<office:annotation><text:p>ghi chú"
        "</text:p></office:annotation></text:p>"
        "<text:p/>"
        "<text:list><text:list-item><text:p>a)<text:tab/>một<text:line-break/>hai"
        "<text:soft-page-break/></text:p></text:list-item></text:list>"
        "<table:table><table:table-row><table:table-cell table:number-columns-spanned=\"2\">"
        "<text:p>gộp</text:p></table:table-cell><table:covered-table-cell><text:p>che</text:p>"
        "</table:covered-table-cell><table:table-cell><text:p>c</text:p></table:table-cell>"
        "</table:table-row></table:table>"
        "<draw:frame><draw:text-box><text:p>khung</text:p></draw:text-box><svg:title>tiêu đề ảnh"
        "</svg:title></draw:frame>",
        &n);
    (void)state;
    expect_text(z, n, "odt", "Chương I\nĐiều 1.   Phạm vi điều chỉnh\n\na)\tmột\nhai\ngộp\tc\nkhung\n");
    free(z);
    expect_error("PK\x03\x04 broken", 11, "odt", PS_EFORMAT, "ODT");
}

/* ---- RTF ---------------------------------------------------------------- */

static void test_rtf(void **state)
{
    static const char rtf[] =
        "{\\rtf1\\ansi\\ansicpg1258\\deff0{\\fonttbl{\\f0\\froman\\fcharset163 Times;}"
        "{\\f1\\fnil VNI-Times;}{\\f2\\fnil .VnTime;}}"
        "{\\colortbl;\\red0\\green0\\blue0;}{\\*\\generator x;}{\\info{\\title Ti\\'eau}}"
        "{\\header Trang \\chpgn}{\\footer ch\\'e2n}"
        "\\pard\\plain C\\'f4\\'f2ng ho\\'cc" "a \\u7899?y \\uc2\\u7855??n\\uc1  \\par\n"
        "{\\f1 Co\\'e4ng ho\\'f8" "a}\\line {\\f2 C\\'e9ng}\\tab x\\~y\\emdash z\\par\n"
        "{\\field{\\*\\fldinst HYPERLINK \"http://x\"}{\\fldrslt li\\'ean k\\'eat}}\\par\n"
        "{\\*\\unknowndest bỏ}\\bin3 {}} sau\\par\n"
        "\\trowd\\cellx100\\cellx200\\pard\\intbl A\\cell B\\cell\\row\n"
        "\\trowd\\pard\\intbl Do\\'ccng 1\\par Do\\'ccng 2\\cell E\\cell\\row\n"
        "\\pard cu\\'f4\\'eci\\par}";
    (void)state;
    expect_text(rtf, sizeof rtf - 1, "rtf",
                "Cộng hòa ớy ắn\nCộng hòa\nCộng\tx\xC2\xA0y—z\nliên kêt\n sau\nA\tB\nDòng 1\n"
                "Dòng 2\nE\ncuối\n");
}

static void test_rtf_odd(void **state)
{
    char *deep;
    size_t k, n = 200000;
    ps_doc *doc;
    ps_error err;
    (void)state;
    expect_error("{\\rt", 4, "rtf", PS_EFORMAT, "not an RTF file");
    expect_text("{\\rtf1 a}}}}} b {{{ c", 21, "rtf", "a b  c\n");
    /* groups nested far past the cap */
    deep = malloc(n * 2 + 16);
    assert_non_null(deep);
    memcpy(deep, "{\\rtf1 ", 7);
    for (k = 0; k < n; k++)
        deep[7 + k] = '{';
    memcpy(deep + 7 + n, "sau!", 4);
    for (k = 0; k < n; k++)
        deep[7 + n + 4 + k] = '}';
    assert_int_equal(extract(deep, 7 + n + 4 + n, "rtf", &doc, &err), PS_OK);
    assert_string_equal(doc->text, "sau!\n");
    ps_doc_free(doc);
    free(deep);
    /* \u past the Unicode range and a truncated \' */
    expect_text("{\\rtf1 a\\u99999999?b\\'", 22, "rtf", "a\xEF\xBF\xBD" "b\n");
}

/* ---- PDF ---------------------------------------------------------------- */

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    return ps_buf_add(closure, data, len) ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

/* A PDF of pages of lines ("\f" between pages), set in DejaVu Sans; with
 * text NULL, one page with a picture and no text. */
static void make_pdf(const char *const *lines, ps_buf *out)
{
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, out, 595, 842);
    cairo_t *cr = cairo_create(s);
    int y = 60;
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 10);
    if (!lines) {
        cairo_rectangle(cr, 50, 50, 300, 20);
        cairo_fill(cr);
    }
    for (; lines && *lines; lines++) {
        if (strcmp(*lines, "\f") == 0) {
            cairo_show_page(cr);
            y = 60;
            continue;
        }
        cairo_move_to(cr, 50, y);
        cairo_show_text(cr, *lines);
        y += 15;
    }
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
}

static void test_pdf_pages(void **state)
{
    static const char *const lines[] = {
        "NGHỊ QUYẾT",
        "Luật này được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XV, kỳ họp thứ 8",
        "thông qua ngày 30 tháng 11 năm 2024.",
        "\f",
        "Điều 1. Phạm vi điều chỉnh của văn bản này gồm các quy định về quản lý dữ liệu số",
        "a) điểm a;",
        "\f",
        "\f",
        "Trang bốn",
        NULL,
    };
    ps_buf pdf;
    ps_doc *doc;
    ps_error err;
    (void)state;
    ps_buf_init(&pdf, 0);
    make_pdf(lines, &pdf);
    assert_int_equal(extract(pdf.data, pdf.len, "pdf", &doc, &err), PS_OK);
    assert_string_equal(doc->format, "pdf");
    /* the wrapped sentence is joined; "a)" is not joined to the line
     * before it; the empty page starts where the next one does */
    assert_string_equal(doc->text,
                        "NGHỊ QUYẾT\nLuật này được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam "
                        "khóa XV, kỳ họp thứ 8 thông qua ngày 30 tháng 11 năm 2024.\n"
                        "Điều 1. Phạm vi điều chỉnh của văn bản này gồm các quy định về quản lý "
                        "dữ liệu số\na) điểm a;\nTrang bốn");
    assert_int_equal(doc->n_pages, 4);
    assert_int_equal(doc->page_starts[0], 0);
    assert_memory_equal(doc->text + doc->page_starts[1], "Điều 1.", strlen("Điều 1."));
    assert_int_equal(doc->page_starts[2], doc->page_starts[3]);
    assert_string_equal(doc->text + doc->page_starts[3], "Trang bốn");
    ps_doc_free(doc);
    ps_buf_fin(&pdf);
}

static void test_pdf_bad(void **state)
{
    ps_buf pdf;
    (void)state;
    ps_buf_init(&pdf, 0);
    make_pdf(NULL, &pdf);
    expect_error(pdf.data, pdf.len, "pdf", PS_EFORMAT, "no text layer (scanned PDF?)");
    /* cut short: poppler either gives up or finds no text */
    expect_error(pdf.data, pdf.len / 3, "pdf", PS_EFORMAT, "PDF");
    ps_buf_fin(&pdf);
    expect_error("Văn bản thường", 19, "pdf", PS_EFORMAT, "not a PDF file");
    expect_error("%PDF-1.4\nrác rác rác", 24, "pdf", PS_EFORMAT, "not a readable PDF");
}

/* ---- DOC ---------------------------------------------------------------- */

static char *read_fixture(const char *name, size_t *n)
{
    char path[2400], *data = NULL;
    ps_error err;
    snprintf(path, sizeof path, "%s/tests/fixtures/formats/%s", root, name);
    if (ps_read_file(path, 1 << 24, &data, n, &err))
        return NULL;
    return data;
}

static void test_doc(void **state)
{
    char path[2400], *data;
    size_t n;
    ps_doc *doc;
    ps_error err;
    const char *old_path;
    char saved[4096];
    (void)state;
    snprintf(path, sizeof path, "%s/tests/fixtures/formats/nq-57-2024.doc", root);
    doc = ps_doc_new();
    if (ps_extract_file(path, doc, &err) != PS_OK) {
        fprintf(stderr, "%s\n", err.msg);
        fail();
    }
    assert_string_equal(doc->format, "doc");
    assert_memory_equal(doc->text, "BAN CHẤP HÀNH TRUNG ƯƠNG\n", strlen("BAN CHẤP HÀNH TRUNG ƯƠNG\n"));
    assert_non_null(strstr(doc->text, "Số 57-NQ/TW\n"));
    assert_true(doc->mtime > 0);
    ps_doc_free(doc);

    /* from memory, through a temporary file; the table fixture's header */
    data = read_fixture("nd-30-2020.table.doc", &n);
    assert_non_null(data);
    assert_int_equal(extract(data, n, "doc", &doc, &err), PS_OK);
    assert_memory_equal(doc->text, "CHÍNH PHỦ\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n",
                        strlen("CHÍNH PHỦ\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"));
    assert_non_null(strstr(doc->text, "Số: 30/2020/NĐ-CP\tHà Nội, ngày 05 tháng 3 năm 2020\n"));
    assert_non_null(strstr(doc->text, "Nghị định\tNĐ\n"));
    ps_doc_free(doc);

    /* no converter on PATH: said so */
    old_path = getenv("PATH");
    snprintf(saved, sizeof saved, "%s", old_path ? old_path : "");
    setenv("PATH", "/nonexistent", 1);
    expect_error(data, n, "doc", PS_EFORMAT, "antiword is not installed; catdoc is not installed");
    setenv("PATH", saved, 1);
    ps_free(data);

    expect_error("Không phải Word", 17, "doc", PS_EFORMAT, "not a Word 97-2003 document");
}

/* ---- dispatch ----------------------------------------------------------- */

static void test_supported(void **state)
{
    static const char *const yes[] = {"a.txt", "b.md", "c.HTML", "d.htm", "e.docx", "f.odt",
                                      "g.PDF", "h.doc", "i.rtf", "dir.x/j.markdown", NULL};
    static const char *const no[] = {"a.jsonl", "b.docm", "c.exe", "d", "e.pdf.bak",
                                     "dir.pdf/f", NULL};
    const char *const *p;
    (void)state;
    for (p = yes; *p; p++)
        assert_true(ps_extract_supported(*p));
    for (p = no; *p; p++)
        assert_false(ps_extract_supported(*p));
}

static void test_sniffing(void **state)
{
    static const char rtf[] = "{\\rtf1\\ansi Văn bản RTF\\par}";
    static const char html[] = "\n <!DOCTYPE html><p>Trang web</p>";
    size_t n;
    char *z;
    ps_doc *doc;
    ps_error err;
    (void)state;
    /* no format: the bytes decide */
    assert_int_equal(extract(rtf, sizeof rtf - 1, NULL, &doc, &err), PS_OK);
    assert_string_equal(doc->format, "rtf");
    ps_doc_free(doc);
    assert_int_equal(extract(html, sizeof html - 1, "", &doc, &err), PS_OK);
    assert_string_equal(doc->format, "html");
    assert_string_equal(doc->text, "Trang web\n");
    ps_doc_free(doc);
    /* a .doc that is RTF, as Word saves them */
    assert_int_equal(extract(rtf, sizeof rtf - 1, "doc", &doc, &err), PS_OK);
    assert_string_equal(doc->format, "rtf");
    assert_string_equal(doc->text, "Văn bản RTF\n");
    ps_doc_free(doc);
    /* a .docx that is an ODT; a .txt that is a DOCX */
    z = make_odt("<text:p>ODT thật</text:p>", &n);
    assert_int_equal(extract(z, n, "docx", &doc, &err), PS_OK);
    assert_string_equal(doc->format, "odt");
    ps_doc_free(doc);
    free(z);
    z = make_docx("<w:p><w:r><w:t>DOCX thật</w:t></w:r></w:p>", &n);
    assert_int_equal(extract(z, n, "txt", &doc, &err), PS_OK);
    assert_string_equal(doc->format, "docx");
    assert_string_equal(doc->text, "DOCX thật\n");
    assert_int_equal(doc->size, (int64_t)n);
    assert_true(doc->hash != 0);
    ps_doc_free(doc);
    free(z);
    /* text that is not an RTF */
    expect_error("Văn bản", 9, "rtf", PS_EFORMAT, "not an RTF file");
}

/* ---- allocation failures -------------------------------------------------- */

typedef struct fault_case {
    const char *name;
    const char *format;
    char *data;
    size_t n;
} fault_case;

static void fault_loop(const fault_case *c)
{
    ps_doc *ref, *doc;
    ps_error err;
    long total, k, failed = 0;
    ref = ps_doc_new();
    assert_non_null(ref);
    ps_alloc_fail_after(-1);
    assert_int_equal(ps_extract_buffer(c->data, c->n, c->format, ref, &err), PS_OK);
    ps_alloc_fail_after(1L << 40);
    doc = ps_doc_new();
    ps_extract_buffer(c->data, c->n, c->format, doc, &err);
    total = ps_alloc_fail_after(-1);
    ps_doc_free(doc);
    for (k = 0; k <= total; k++) {
        int rc;
        doc = ps_doc_new();
        assert_non_null(doc);
        ps_alloc_fail_after(k);
        rc = ps_extract_buffer(c->data, c->n, c->format, doc, &err);
        ps_alloc_fail_after(-1);
        if (rc == PS_OK) {
            assert_string_equal(doc->text, ref->text);
        } else {
            assert_true(rc > PS_OK && rc <= PS_EINTERNAL);
            assert_int_equal(err.code, rc);
            failed++;
        }
        ps_doc_free(doc);
    }
    printf("%s: %ld allocations, %ld runs failed cleanly\n", c->name, total, failed);
    ps_doc_free(ref);
}

static void test_faults(void **state)
{
    static const char html[] = "<html><body><table><tr><td><p>Một</p><p>Hai</p></td>"
                               "<td>Ba</td></tr></table><p>Bốn</p></body></html>";
    static const char rtf[] = "{\\rtf1{\\fonttbl{\\f1 VNI-Times;}}{\\f1 Co\\'e4ng}\\par"
                              "\\trowd\\intbl A\\cell B\\cell\\row}";
    static const char vni[] = "Co\xe4ng ho\xf8" "a xa\xf5 ho\xe4i chu\xfb ngh\xf3" "a Vie\xe4t Nam";
    fault_case cases[5];
    size_t i;
    (void)state;
    cases[0] = (fault_case){"html", "html", (char *)html, sizeof html - 1};
    cases[1] = (fault_case){"rtf", "rtf", (char *)rtf, sizeof rtf - 1};
    cases[2] = (fault_case){"vni text", "txt", (char *)vni, sizeof vni - 1};
    cases[3].name = "docx";
    cases[3].format = "docx";
    cases[3].data = make_docx("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Một</w:t></w:r></w:p></w:tc>"
                              "</w:tr></w:tbl><w:p><w:r><w:t>Hai</w:t></w:r></w:p>",
                              &cases[3].n);
    cases[4].name = "odt";
    cases[4].format = "odt";
    cases[4].data = make_odt("<text:p>Một<text:s text:c=\"2\"/>hai</text:p>", &cases[4].n);
    for (i = 0; i < 5; i++)
        fault_loop(&cases[i]);
    free(cases[3].data);
    free(cases[4].data);
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_visible_text),
        cmocka_unit_test(test_html_tables),
        cmocka_unit_test(test_html_title_and_forms),
        cmocka_unit_test(test_html_charsets),
        cmocka_unit_test(test_html_bad),
        cmocka_unit_test(test_docx_paragraphs),
        cmocka_unit_test(test_docx_tables_and_toc),
        cmocka_unit_test(test_docx_bad),
        cmocka_unit_test(test_odt),
        cmocka_unit_test(test_rtf),
        cmocka_unit_test(test_rtf_odd),
        cmocka_unit_test(test_pdf_pages),
        cmocka_unit_test(test_pdf_bad),
        cmocka_unit_test(test_doc),
        cmocka_unit_test(test_supported),
        cmocka_unit_test(test_sniffing),
        cmocka_unit_test(test_faults),
    };
    test_root_init();
    if (!present("tests/fixtures/formats/nq-57-2024.doc")) {
        printf("skipped: no fixtures under %s (set POLSEARCH_ROOT to the repository)\n", root);
        return 77;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
