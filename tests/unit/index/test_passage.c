/* Unit tests of passages: they tile the text exactly, an article is one
 * passage (a very long one is cut into pieces that keep its label), the
 * header is the preamble and the signature the closing, and texts without
 * structure or with Party sections are cut into readable units. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "polsearch/doc.h"
#include "polsearch/index.h"

static ps_doc *parsed(const char *text)
{
    ps_doc *d = ps_doc_new();
    assert_non_null(d);
    d->id = "t";
    assert_int_equal(ps_doc_set_text(d, text, strlen(text), NULL, NULL), PS_OK);
    assert_int_equal(ps_doc_parse(d, NULL), PS_OK);
    return d;
}

/* Every byte in exactly one passage, in order. */
static void assert_tiles(const ps_doc *d, const ps_passage *p, size_t n)
{
    size_t i, at = 0;
    assert_true(n > 0);
    for (i = 0; i < n; i++) {
        assert_int_equal(p[i].ordinal, i);
        assert_int_equal(p[i].start, at);
        assert_true(p[i].end > p[i].start);
        assert_non_null(p[i].label);
        assert_non_null(p[i].path);
        at = p[i].end;
    }
    assert_int_equal(at, d->text_len);
}

static const char law[] =
    "QUỐC HỘI\n"
    "Luật số: 60/2024/QH15\n"
    "LUẬT\nDỮ LIỆU\n"
    "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n"
    "Chương I\nQUY ĐỊNH CHUNG\n"
    "Điều 1. Phạm vi điều chỉnh\nLuật này quy định về dữ liệu số.\n"
    "Điều 2. Đối tượng áp dụng\n1. Cơ quan nhà nước.\n2. Tổ chức, cá nhân.\n"
    "Chương II\nCƠ SỞ DỮ LIỆU\n"
    "Điều 3. Cơ sở dữ liệu quốc gia\nCơ sở dữ liệu quốc gia được xây dựng thống nhất.\n"
    "Luật này đã được Quốc hội thông qua ngày 30 tháng 11 năm 2024.\n"
    "CHỦ TỊCH QUỐC HỘI\nTrần Thanh Mẫn\n";

static void articles_are_passages(void **state)
{
    ps_doc *d = parsed(law);
    ps_passage *p;
    size_t n, i, articles = 0;
    (void)state;
    assert_int_equal(ps_passages(d, &p, &n, NULL), PS_OK);
    assert_tiles(d, p, n);
    assert_string_equal(p[0].kind, "preamble");
    assert_null(p[0].article);
    for (i = 0; i < n; i++)
        if (p[i].article)
            articles++;
    assert_int_equal(articles, 3);
    /* the chapter heading goes with the article that follows it */
    for (i = 0; i < n; i++)
        if (p[i].article && strcmp(p[i].article, "3") == 0) {
            assert_string_equal(p[i].label, "Điều 3");
            assert_non_null(strstr(p[i].path, "Chương II"));
            assert_non_null(strstr(d->text + p[i].start, "CƠ SỞ DỮ LIỆU"));
            assert_true((size_t)(strstr(d->text + p[i].start, "CƠ SỞ DỮ LIỆU") - d->text) <
                        p[i].end);
        }
    ps_doc_free(d);
}

static void long_article_is_cut_with_its_label(void **state)
{
    ps_buf t;
    ps_doc *d;
    ps_passage *p;
    size_t n, i, pieces = 0;
    (void)state;
    ps_buf_init(&t, 0);
    ps_buf_adds(&t, "Điều 1. Một điều rất dài\n");
    for (i = 1; i <= 120; i++)
        ps_buf_addf(&t, "%zu. Khoản thứ %zu quy định trách nhiệm của cơ quan, tổ chức, cá nhân "
                        "trong việc thực hiện các nhiệm vụ được giao theo quy định của pháp "
                        "luật hiện hành.\n", i, i);
    ps_buf_adds(&t, "Điều 2. Ngắn\nNội dung.\n");
    d = parsed(ps_buf_cstr(&t));
    assert_int_equal(ps_passages(d, &p, &n, NULL), PS_OK);
    assert_tiles(d, p, n);
    for (i = 0; i < n; i++) {
        if (p[i].article && strcmp(p[i].article, "1") == 0) {
            pieces++;
            assert_string_equal(p[i].label, "Điều 1");
            assert_true(p[i].end - p[i].start <= 12000);
        }
    }
    assert_true(pieces > 1);
    ps_doc_free(d);
    ps_buf_fin(&t);
}

static void plain_text_is_chunked(void **state)
{
    ps_buf t;
    ps_doc *d;
    ps_passage *p;
    size_t n, i;
    (void)state;
    ps_buf_init(&t, 0);
    for (i = 0; i < 400; i++)
        ps_buf_adds(&t, "Một đoạn văn không có cấu trúc nào, chỉ là lời văn liền mạch. ");
    d = parsed(ps_buf_cstr(&t)); /* one line of 26 KB, no heading */
    assert_int_equal(ps_passages(d, &p, &n, NULL), PS_OK);
    assert_tiles(d, p, n);
    assert_true(n > 3);
    for (i = 0; i < n; i++) {
        assert_true(p[i].end - p[i].start <= 6100);
        /* cut at a space, never inside a character */
        assert_true(((unsigned char)d->text[p[i].start] & 0xC0) != 0x80);
    }
    ps_doc_free(d);
    ps_buf_fin(&t);
}

static void party_sections(void **state)
{
    const char txt[] = "BAN CHẤP HÀNH TRUNG ƯƠNG\nSố 57-NQ/TW\nNGHỊ QUYẾT\nvề khoa học\n"
                       "I- TÌNH HÌNH\n1- Kết quả\nĐã đạt nhiều kết quả.\n2- Hạn chế\nCòn hạn chế.\n"
                       "II- NHIỆM VỤ\nPhát triển khoa học.\n"
                       "T/M BỘ CHÍNH TRỊ\nTỔNG BÍ THƯ\nTô Lâm\n";
    ps_doc *d = parsed(txt);
    ps_passage *p;
    size_t n, i;
    int saw_part = 0;
    (void)state;
    assert_int_equal(ps_passages(d, &p, &n, NULL), PS_OK);
    assert_tiles(d, p, n);
    for (i = 0; i < n; i++) {
        assert_null(p[i].article);
        if (strstr(p[i].path, "Phần"))
            saw_part = 1;
    }
    assert_true(saw_part);
    ps_doc_free(d);
}

static void empty_text(void **state)
{
    ps_doc *d = parsed("");
    ps_passage *p;
    size_t n;
    (void)state;
    assert_int_equal(ps_passages(d, &p, &n, NULL), PS_OK);
    assert_int_equal(n, 0);
    ps_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(articles_are_passages), cmocka_unit_test(long_article_is_cut_with_its_label),
        cmocka_unit_test(plain_text_is_chunked), cmocka_unit_test(party_sections),
        cmocka_unit_test(empty_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
