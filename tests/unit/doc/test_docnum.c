/*
 * test_docnum: document numbers (keys, short keys, types, scanning).
 * Includes docnum.c to reach the number parser's loose mode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "doc/docnum.c"

/* ---- helpers ---------------------------------------------------------- */

static char keybuf[256];

static const char *key(const char *s)
{
    ps_buf b;
    int rc;
    ps_buf_init(&b, 0);
    rc = ps_docnum_key(s, strlen(s), &b);
    snprintf(keybuf, sizeof keybuf, "%s", rc == PS_OK ? ps_buf_cstr(&b) : "<EINVAL>");
    ps_buf_fin(&b);
    return keybuf;
}

static const char *short_key(const char *s)
{
    ps_buf b;
    int rc;
    ps_buf_init(&b, 0);
    rc = ps_docnum_short_key(s, strlen(s), &b);
    snprintf(keybuf, sizeof keybuf, "%s", rc == PS_OK ? ps_buf_cstr(&b) : "<EINVAL>");
    ps_buf_fin(&b);
    return keybuf;
}

#define MAX_FOUND 16

typedef struct found {
    size_t n;
    char num[MAX_FOUND][64];
    char type_word[MAX_FOUND][64];
    const char *type[MAX_FOUND];
    int stop_after; /* return non-zero after this many (0 = never) */
} found;

static int collect(void *ctx, const ps_docnum_match *m)
{
    found *f = ctx;
    const char *text = (const char *)f->type[MAX_FOUND - 1]; /* stashed text */
    if (f->n < MAX_FOUND - 1) {
        snprintf(f->num[f->n], sizeof f->num[0], "%.*s", (int)(m->end - m->start), text + m->start);
        snprintf(f->type_word[f->n], sizeof f->type_word[0], "%.*s", (int)(m->start - m->type_start),
                 text + m->type_start);
        f->type[f->n] = m->type;
    }
    f->n++;
    if (f->stop_after && f->n >= (size_t)f->stop_after)
        return 42;
    return 0;
}

static int scan(const char *text, found *f)
{
    memset(f, 0, sizeof *f);
    f->type[MAX_FOUND - 1] = text;
    return ps_docnum_scan(text, strlen(text), collect, f);
}

/* ---- keys ------------------------------------------------------------ */

static void test_key_spellings_meet(void **state)
{
    (void)state;
    assert_string_equal(key("57-NQ/TW"), "57-NQ-TW");
    assert_string_equal(key("57/NQ-TW"), "57-NQ-TW");
    assert_string_equal(key("57 NQ TW"), "57-NQ-TW");
    assert_string_equal(key("57-nq/tw"), "57-NQ-TW");
    assert_string_equal(key("13/2023/NĐ-CP"), "13-2023-ND-CP");
    assert_string_equal(key("13/2023/ND-CP"), "13-2023-ND-CP");
    assert_string_equal(key("13/2023/nđ-cp"), "13-2023-ND-CP");
    assert_string_equal(key("02-HD/UBKTTW"), "2-HD-UBKTTW");
    assert_string_equal(key("30/2020/NĐ–CP"), "30-2020-ND-CP"); /* en dash */
}

static void test_key_trung_uong(void **state)
{
    (void)state;
    /* the old spellings of TW (Trung ương) */
    assert_string_equal(key("234-TB/T.Ư"), "234-TB-TW");
    assert_string_equal(key("234-TB/TƯ"), "234-TB-TW");
    assert_string_equal(key("234-TB/T.W"), "234-TB-TW");
    /* TU is Tỉnh ủy, which stays apart */
    assert_string_equal(key("12-NQ/TU"), "12-NQ-TU");
}

static void test_key_leading_zeros_and_dots(void **state)
{
    (void)state;
    assert_string_equal(key("08/2017/QH14"), "8-2017-QH14");
    assert_string_equal(key("8/2017/QH14"), "8-2017-QH14");
    assert_string_equal(key("05-CT/TW"), "5-CT-TW");
    assert_string_equal(key("101-SL/L.003"), key("101-SL/L-003"));
    assert_string_equal(key("0/2020/X"), "0-2020-X");
}

static void test_key_invalid(void **state)
{
    ps_buf b;
    (void)state;
    ps_buf_init(&b, 0);
    assert_int_equal(ps_docnum_key("NQ/TW", 5, &b), PS_EINVAL);
    assert_int_equal(ps_docnum_key("", 0, &b), PS_EINVAL);
    assert_int_equal(ps_docnum_key(NULL, 0, &b), PS_EINVAL);
    assert_int_equal(b.len, 0);
    ps_buf_fin(&b);
}

static void test_short_key(void **state)
{
    (void)state;
    assert_string_equal(short_key("57-NQ/TW"), "57-NQ");
    assert_string_equal(short_key("57 NQ TW"), "57-NQ");
    assert_string_equal(short_key("13/2023/NĐ-CP"), "13-ND");
    assert_string_equal(short_key("109/NQ-CP"), "109-NQ");
    assert_string_equal(short_key("05-CT/TW"), "5-CT");
    assert_string_equal(short_key("234-TB/T.Ư"), "234-TB");
    assert_string_equal(short_key("08-QĐi/TW"), "8-QDI");
    assert_string_equal(short_key("01/2021/TT-BTC"), "1-TT");
    /* laws carry no type abbreviation: the issuer's letters ("QH") */
    assert_string_equal(short_key("45/2019/QH14"), "45-QH");
    assert_string_equal(short_key("18-L/CTN"), "18-L");
    /* a letter without a type: the issuer part */
    assert_string_equal(short_key("123/BTC-CST"), "123-BTC");
    assert_string_equal(short_key("NQ/TW"), "<EINVAL>");
    assert_string_equal(short_key("22/12/2024"), "<EINVAL>");
}

/* ---- types ------------------------------------------------------------ */

static void test_type_from_abbrev(void **state)
{
    (void)state;
    assert_string_equal(ps_doctype_from_abbrev("NQ", 2), "Nghị quyết");
    assert_string_equal(ps_doctype_from_abbrev("NĐ", strlen("NĐ")), "Nghị định");
    assert_string_equal(ps_doctype_from_abbrev("ND", 2), "Nghị định");
    assert_string_equal(ps_doctype_from_abbrev("QĐ", strlen("QĐ")), "Quyết định");
    assert_string_equal(ps_doctype_from_abbrev("QĐi", strlen("QĐi")), "Quy định");
    assert_string_equal(ps_doctype_from_abbrev("QyĐ", strlen("QyĐ")), "Quy định");
    assert_string_equal(ps_doctype_from_abbrev("CT", 2), "Chỉ thị");
    assert_string_equal(ps_doctype_from_abbrev("KL", 2), "Kết luận");
    assert_string_equal(ps_doctype_from_abbrev("TB", 2), "Thông báo");
    assert_string_equal(ps_doctype_from_abbrev("HD", 2), "Hướng dẫn");
    assert_string_equal(ps_doctype_from_abbrev("KH", 2), "Kế hoạch");
    assert_string_equal(ps_doctype_from_abbrev("TT", 2), "Thông tư");
    assert_string_equal(ps_doctype_from_abbrev("TTLT", 4), "Thông tư liên tịch");
    assert_string_equal(ps_doctype_from_abbrev("CV", 2), "Công văn");
    assert_string_equal(ps_doctype_from_abbrev("L", 1), "Luật");
    assert_string_equal(ps_doctype_from_abbrev("PL", 2), "Pháp lệnh");
    assert_null(ps_doctype_from_abbrev("TW", 2));
    assert_null(ps_doctype_from_abbrev("QH14", 4));
    assert_null(ps_doctype_from_abbrev("", 0));
    assert_null(ps_doctype_from_abbrev(NULL, 0));
}

static void test_type_abbrev(void **state)
{
    (void)state;
    assert_string_equal(ps_doctype_abbrev("nghị quyết", strlen("nghị quyết")), "NQ");
    assert_string_equal(ps_doctype_abbrev("NGHỊ QUYẾT", strlen("NGHỊ QUYẾT")), "NQ");
    assert_string_equal(ps_doctype_abbrev("nghi dinh", 9), "ND");
    assert_string_equal(ps_doctype_abbrev("luat", 4), "L");
    assert_string_equal(ps_doctype_abbrev(" Luật ", strlen(" Luật ")), "L");
    assert_string_equal(ps_doctype_abbrev("quyết định", strlen("quyết định")), "QD");
    assert_string_equal(ps_doctype_abbrev("quy dinh", 8), "QDI");
    assert_string_equal(ps_doctype_abbrev("thông tư liên tịch", strlen("thông tư liên tịch")), "TTLT");
    assert_string_equal(ps_doctype_abbrev("thong tu", 8), "TT");
    assert_null(ps_doctype_abbrev("luật sư", strlen("luật sư")));
    assert_null(ps_doctype_abbrev("bộ", strlen("bộ")));
    assert_null(ps_doctype_abbrev(NULL, 0));
}

/* ---- scanning ----------------------------------------------------------- */

static void test_scan_forms(void **state)
{
    found f;
    const char *text = "Căn cứ Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị; "
                       "Nghị định 13/2023/NĐ-CP; Luật số 45/2019/QH14 và Chỉ thị 05-CT/TW. "
                       "Thông báo số 234-TB/T.Ư, Công văn số 123/BTC-CST.";
    (void)state;
    assert_int_equal(scan(text, &f), PS_OK);
    assert_int_equal(f.n, 6);
    assert_string_equal(f.num[0], "57-NQ/TW");
    assert_string_equal(f.type_word[0], "Nghị quyết số ");
    assert_string_equal(f.type[0], "Nghị quyết");
    assert_string_equal(f.num[1], "13/2023/NĐ-CP");
    assert_string_equal(f.type_word[1], "Nghị định ");
    assert_string_equal(f.type[1], "Nghị định");
    assert_string_equal(f.num[2], "45/2019/QH14");
    assert_string_equal(f.type[2], "Luật");
    assert_string_equal(f.num[3], "05-CT/TW"); /* the sentence's '.' is not part of it */
    assert_string_equal(f.type[3], "Chỉ thị");
    assert_string_equal(f.num[4], "234-TB/T.Ư");
    assert_string_equal(f.num[5], "123/BTC-CST");
    assert_string_equal(f.type[5], "Công văn");
}

static void test_scan_law_names(void **state)
{
    found f;
    (void)state;
    scan("theo Luật Đầu tư số 61/2020/QH14 và Bộ luật Lao động số 45/2019/QH14; "
         "Luật Phòng, chống ma túy số 73/2021/QH14",
         &f);
    assert_int_equal(f.n, 3);
    assert_string_equal(f.type[0], "Luật");
    assert_string_equal(f.type_word[0], "Luật Đầu tư số ");
    assert_string_equal(f.type[1], "Bộ luật");
    assert_string_equal(f.type_word[1], "Bộ luật Lao động số ");
    assert_string_equal(f.type[2], "Luật");
}

static void test_scan_type_from_abbrev(void **state)
{
    found f;
    (void)state;
    scan("theo 30/2020/NĐ-CP và 45/2019/QH14", &f);
    assert_int_equal(f.n, 2);
    assert_string_equal(f.type[0], "Nghị định");
    assert_string_equal(f.type_word[0], "");
    assert_null(f.type[1]);
}

static void test_scan_bare_numbers_after_type(void **state)
{
    found f;
    (void)state;
    /* without a letter part a number counts only after "<type> số" */
    scan("Luật số 45/2019 và Nghị quyết số 57 của Bộ Chính trị", &f);
    assert_int_equal(f.n, 2);
    assert_string_equal(f.num[0], "45/2019");
    assert_string_equal(f.num[1], "57");
    assert_string_equal(f.type[1], "Nghị quyết");
    scan("Nghị quyết 57 và số 45/2019", &f);
    assert_int_equal(f.n, 0);
}

static void test_scan_ignores_non_numbers(void **state)
{
    found f;
    (void)state;
    scan("ngày 22/12/2024; số tiền 5.000.000 đồng; 1.234.567,89; khoản 2 Điều 5; "
         "1/2 số lượng; 50/ha; 3-O-acetyl; COVID-19; Quốc lộ 1A/2; 15-20%; "
         "năm 2020-2025; ISO 9001:2015; điểm a khoản 1",
         &f);
    assert_int_equal(f.n, 0);
    /* a list item that lost its space ("1.Nhà") is no number either */
    scan("1.Nhà nước bảo đảm\n2.Thông tin", &f);
    assert_int_equal(f.n, 0);
}

static void test_scan_stops(void **state)
{
    found f;
    (void)state;
    memset(&f, 0, sizeof f);
    f.type[MAX_FOUND - 1] = "57-NQ/TW, 58-NQ/TW, 59-NQ/TW";
    f.stop_after = 2;
    assert_int_equal(ps_docnum_scan(f.type[MAX_FOUND - 1], strlen(f.type[MAX_FOUND - 1]), collect, &f),
                     42);
    assert_int_equal(f.n, 2);
    assert_int_equal(ps_docnum_scan(NULL, 0, collect, &f), PS_EINVAL);
}

static void test_parse_loose(void **state)
{
    /* header numbers: spaces inside, "QH 11" split by the scrape */
    const char *s1 = "73/2006/QH 11\n";
    const char *s2 = "45 / 2019 / QH14 Hà Nội";
    const char *s3 = "57-NQ/TW - Hà Nội";
    int letter = 0, parts = 0;
    (void)state;
    assert_int_equal(dv_docnum_at(s1, strlen(s1), 0, 1, &letter, &parts), strlen("73/2006/QH 11"));
    assert_true(letter);
    assert_int_equal(parts, 3);
    assert_int_equal(dv_docnum_at(s2, strlen(s2), 0, 1, &letter, &parts), strlen("45 / 2019 / QH14"));
    assert_int_equal(dv_docnum_at(s3, strlen(s3), 0, 1, &letter, &parts), strlen("57-NQ/TW"));
    /* strict mode takes none of that */
    assert_int_equal(dv_docnum_at(s2, strlen(s2), 0, 0, NULL, NULL), 0);
    assert_int_equal(dv_docnum_at("45/2019", 7, 0, 0, NULL, NULL), 0);
    assert_int_equal(dv_docnum_at("45/2019", 7, 0, 1, &letter, &parts), 7);
    assert_false(letter);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_spellings_meet),
        cmocka_unit_test(test_key_trung_uong),
        cmocka_unit_test(test_key_leading_zeros_and_dots),
        cmocka_unit_test(test_key_invalid),
        cmocka_unit_test(test_short_key),
        cmocka_unit_test(test_type_from_abbrev),
        cmocka_unit_test(test_type_abbrev),
        cmocka_unit_test(test_scan_forms),
        cmocka_unit_test(test_scan_law_names),
        cmocka_unit_test(test_scan_type_from_abbrev),
        cmocka_unit_test(test_scan_bare_numbers_after_type),
        cmocka_unit_test(test_scan_ignores_non_numbers),
        cmocka_unit_test(test_scan_stops),
        cmocka_unit_test(test_parse_loose),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
