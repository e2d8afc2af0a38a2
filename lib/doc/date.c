/*
 * date.c: dates as Vietnamese documents write them.
 *
 *   "ngày 22 tháng 12 năm 2024"   the header and running text
 *   "ngày 5 tháng 3 năm 2021"     unpadded
 *   "ngày03 tháng 12 năm 2004"    scraped pages lose the space
 *   "tháng Mười hai", "tháng Giêng"  written-out months
 *   "22/12/2024", "22-12-2024", "22.12.2024", "2024-12-22"
 *
 * Day comes before month everywhere except in the ISO form.
 */
#include "polsearch/doc.h"
#include "doc/docint.h"

/* Reads 1..max digits at s[*i] (not followed by another digit). */
static int read_num(const char *s, size_t n, size_t *i, int max, int *out)
{
    size_t k = *i;
    int v = 0, d = 0;
    while (k < n && dv_is_digit((unsigned char)s[k]) && d < max) {
        v = v * 10 + (s[k] - '0');
        k++;
        d++;
    }
    if (!d || (k < n && dv_is_digit((unsigned char)s[k])))
        return 0;
    *i = k;
    *out = v;
    return d;
}

static int valid_date(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap, max;
    if (y < 1800 || y > 2199 || m < 1 || m > 12 || d < 1)
        return 0;
    leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    max = mdays[m - 1] + (m == 2 && leap);
    return d <= max;
}

/* Written-out months, longest first ("mười hai" before "mười", "một");
 * "tư" and "bốn" both name April, "giêng" January and "chạp" December. */
static const struct {
    const char *word;
    int month;
} month_words[] = {
    {"mười một", 11}, {"mười hai", 12}, {"mười", 10}, {"giêng", 1}, {"một", 1},
    {"hai", 2},       {"ba", 3},        {"tư", 4},    {"bốn", 4},   {"năm", 5},
    {"sáu", 6},       {"bảy", 7},       {"bẩy", 7},   {"tám", 8},   {"chín", 9},
    {"chạp", 12},
};

/* "năm 2024" at s[i]: returns the end, 0 when absent. */
static size_t year_clause(const char *s, size_t n, size_t i, int *y)
{
    size_t k = dv_skip_space(s, n, i), e;
    if (k == i)
        return 0;
    /* "tháng 3, năm 2021" happens in typed text */
    if (k < n && s[k] == ',')
        k = dv_skip_space(s, n, k + 1);
    e = dv_match(s, n, k, "năm", DV_VN);
    if (!e)
        return 0;
    k = dv_skip_space(s, n, e);
    if (read_num(s, n, &k, 4, y) != 4)
        return 0;
    return k;
}

/* The long form after "ngày": "22 tháng 12 năm 2024". */
static size_t long_form(const char *s, size_t n, size_t i, int *y, int *m, int *d)
{
    size_t k = i, e;
    if (!read_num(s, n, &k, 2, d))
        return 0;
    e = dv_skip_space(s, n, k);
    if (e == k)
        return 0;
    k = dv_match(s, n, e, "tháng", DV_VN);
    if (!k)
        return 0;
    e = dv_skip_space(s, n, k);
    if (e == k)
        return 0;
    k = e;
    /* the month in figures, else in words */
    if (read_num(s, n, &k, 2, m))
        return year_clause(s, n, k, y);
    {
        size_t w;
        for (w = 0; w < sizeof month_words / sizeof month_words[0]; w++) {
            size_t me = dv_match(s, n, e, month_words[w].word, DV_VN), ye;
            /* "tháng Năm năm 2024": try each reading until the year fits */
            if (me && (ye = year_clause(s, n, me, y))) {
                *m = month_words[w].month;
                return ye;
            }
        }
    }
    return 0;
}

/* "22/12/2024", "22-12-2024", "22.12.2024" (one separator throughout), or
 * "2024-12-22". */
static size_t numeric_form(const char *s, size_t n, size_t i, int *y, int *m, int *d)
{
    size_t k = i;
    int a, b, c, da;
    char sep;
    /* four digits first: the ISO form; one or two: day first */
    da = read_num(s, n, &k, 4, &a);
    if (!da || k >= n)
        return 0;
    sep = s[k];
    if (sep != '/' && sep != '-' && sep != '.')
        return 0;
    k++;
    if (!read_num(s, n, &k, 2, &b) || k >= n || s[k] != sep)
        return 0;
    k++;
    if (da == 4) {
        if (sep != '-' || read_num(s, n, &k, 2, &c) != 2)
            return 0;
        *y = a;
        *m = b;
        *d = c;
    } else if (da <= 2) {
        if (read_num(s, n, &k, 4, &c) != 4)
            return 0;
        *y = c;
        *m = b;
        *d = a;
    } else {
        return 0;
    }
    /* "22.12.2024.5" is not a date followed by something */
    if (k + 1 < n && (s[k] == '/' || s[k] == '.' || s[k] == '-') &&
        dv_is_digit((unsigned char)s[k + 1]))
        return 0;
    return k;
}

/* "YYYY-MM-DD" of a validated date. */
static void iso_write(char out[11], int y, int m, int d)
{
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

size_t ps_date_parse(const char *s, size_t n, char out[11])
{
    size_t i = 0, e;
    int y = 0, m = 0, d = 0;
    if (!s || !n)
        return 0;
    e = dv_match(s, n, 0, "ngày", DV_VN);
    /* "ngày03": a scraped page lost the space, the word still counts */
    if (!e && (e = dv_match(s, n, 0, "ngày", DV_VN | DV_PREFIX)) &&
        !(e < n && dv_is_digit((unsigned char)s[e])))
        e = 0;
    /* "ngày" is optional: a bare "22/12/2024" is a date too */
    if (e)
        i = dv_skip_space(s, n, e);
    {
        size_t k = long_form(s, n, i, &y, &m, &d);
        if (!k)
            k = numeric_form(s, n, i, &y, &m, &d);
        if (!k || !valid_date(y, m, d))
            return 0;
        iso_write(out, y, m, d);
        return k;
    }
}
