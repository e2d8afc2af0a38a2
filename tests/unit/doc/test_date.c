/*
 * test_date: ps_date_parse on the ways Vietnamese documents write dates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "polsearch/doc.h"

static char iso[11];

/* Parses s; returns the ISO date, or "" when it is no date. */
static const char *date(const char *s)
{
    size_t k;
    memset(iso, 0, sizeof iso);
    k = ps_date_parse(s, strlen(s), iso);
    return k ? iso : "";
}

static void test_long_form(void **state)
{
    (void)state;
    assert_string_equal(date("ngày 22 tháng 12 năm 2024"), "2024-12-22");
    assert_string_equal(date("ngày 5 tháng 3 năm 2021"), "2021-03-05");
    assert_string_equal(date("ngày 05 tháng 03 năm 2021"), "2021-03-05");
    assert_string_equal(date("Ngày 26 tháng 11 năm 2019"), "2019-11-26");
    assert_string_equal(date("NGÀY 15 THÁNG 6 NĂM 2004"), "2004-06-15");
    assert_string_equal(date("22 tháng 12 năm 2024"), "2024-12-22");
    /* typed without diacritics, or with the space lost in a scrape */
    assert_string_equal(date("ngay 22 thang 12 nam 2024"), "2024-12-22");
    assert_string_equal(date("ngày03 tháng 12 năm 2004"), "2004-12-03");
    assert_string_equal(date("ngày  9   tháng 5 năm 2024"), "2024-05-09");
}

static void test_written_months(void **state)
{
    (void)state;
    assert_string_equal(date("ngày 1 tháng Giêng năm 2020"), "2020-01-01");
    assert_string_equal(date("ngày 2 tháng Hai năm 2020"), "2020-02-02");
    assert_string_equal(date("ngày 30 tháng Tư năm 1975"), "1975-04-30");
    assert_string_equal(date("ngày 19 tháng Năm năm 1890"), "1890-05-19");
    assert_string_equal(date("ngày 2 tháng Chín năm 1945"), "1945-09-02");
    assert_string_equal(date("ngày 9 tháng Mười năm 2019"), "2019-10-09");
    assert_string_equal(date("ngày 9 tháng Mười một năm 2019"), "2019-11-09");
    assert_string_equal(date("ngày 22 tháng Mười hai năm 2024"), "2024-12-22");
    assert_string_equal(date("ngày 22 tháng mười hai năm 2024"), "2024-12-22");
}

static void test_numeric_forms(void **state)
{
    (void)state;
    assert_string_equal(date("22/12/2024"), "2024-12-22");
    assert_string_equal(date("22-12-2024"), "2024-12-22");
    assert_string_equal(date("22.12.2024"), "2024-12-22");
    assert_string_equal(date("2024-12-22"), "2024-12-22");
    assert_string_equal(date("ngày 30/06/1989"), "1989-06-30");
    assert_string_equal(date("NGÀY 20-5-1957"), "1957-05-20");
    assert_string_equal(date("ngày 25/10/2017 của Ban Chấp hành"), "2017-10-25");
}

static void test_consumed(void **state)
{
    const char *s = "ngày 22 tháng 12 năm 2024, Bộ Chính trị";
    (void)state;
    assert_int_equal(ps_date_parse(s, strlen(s), iso), strlen("ngày 22 tháng 12 năm 2024"));
    s = "22/12/2024 và";
    assert_int_equal(ps_date_parse(s, strlen(s), iso), 10);
    /* n limits the input: the year cut short is no date */
    s = "ngày 22 tháng 12 năm 2024";
    assert_int_equal(ps_date_parse(s, strlen(s) - 1, iso), 0);
}

static void test_invalid(void **state)
{
    (void)state;
    assert_string_equal(date("ngày 31 tháng 2 năm 2024"), "");
    assert_string_equal(date("ngày 29 tháng 2 năm 2023"), "");
    assert_string_equal(date("ngày 29 tháng 2 năm 2024"), "2024-02-29");
    assert_string_equal(date("ngày 29 tháng 2 năm 1900"), "");
    assert_string_equal(date("ngày 29 tháng 2 năm 2000"), "2000-02-29");
    assert_string_equal(date("ngày 0 tháng 1 năm 2024"), "");
    assert_string_equal(date("ngày 1 tháng 13 năm 2024"), "");
    assert_string_equal(date("13/13/2024"), "");
    assert_string_equal(date("22/12/24"), "");
    assert_string_equal(date("22/12-2024"), "");
    assert_string_equal(date("22.12.2024.5"), "");
    assert_string_equal(date("1.234.567"), "");
    assert_string_equal(date("123/12/2024"), "");
    assert_string_equal(date("khoản 2 Điều 5"), "");
    assert_string_equal(date("ngày ký"), "");
    assert_string_equal(date("ngày 22 tháng 12"), "");
    assert_string_equal(date("ngàyký"), "");
    assert_string_equal(date(""), "");
    assert_int_equal(ps_date_parse(NULL, 0, iso), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_form),    cmocka_unit_test(test_written_months),
        cmocka_unit_test(test_numeric_forms), cmocka_unit_test(test_consumed),
        cmocka_unit_test(test_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
