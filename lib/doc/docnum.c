/*
 * docnum.c: document numbers ("số hiệu văn bản") and document types.
 *
 * A number is a digit run followed by parts joined with '/', '-' or '.':
 *   Party   "57-NQ/TW"       number - type abbreviation / issuer
 *           "234-TB/T.Ư"     older Party spelling of TW (Trung ương)
 *   State   "30/2020/NĐ-CP"  number / year / type abbreviation - issuer
 *           "109/NQ-CP"      without the year
 *           "45/2019/QH14"   laws: no type abbreviation, issuer + term
 *           "123/BTC-CST"    letters (Công văn): issuer - unit
 * What tells a number from a date ("22/12/2024"), a sum ("5.000.000") or
 * a fraction ("1/2") is the letter part: an abbreviation, so it starts
 * with a capital and has no more small letters than capitals ("NQ",
 * "TTg", "QĐi", not "Nhà" in "1.Nhà"), two letters at least in all
 * ("18-L/CTN", not "3-O-acetyl"). Only after a type word and "số" ("Luật
 * số 45/2019") is a number without letters taken.
 */
#include <string.h>

#include "polsearch/doc.h"
#include "doc/docint.h"

/* ---- the type table ------------------------------------------------- */

/* Longest words first: a title line is matched against the entries in
 * order and the first hit wins. */
static const dv_doctype doctypes[] = {
    {"Thông tư liên tịch", "TTLT", "thông tư liên tịch", 0},
    {"Nghị quyết liên tịch", "NQLT", "nghị quyết liên tịch", 0},
    {"Bộ luật", NULL, "bộ luật", 1},
    {"Hiến pháp", NULL, "hiến pháp", 1},
    {"Pháp lệnh", "PL", "pháp lệnh", 1},
    {"Luật", "L", "luật", 1},
    {"Nghị quyết", "NQ", "nghị quyết", 0},
    {"Nghị định", "NĐ", "nghị định", 0},
    {"Chỉ thị", "CT", "chỉ thị", 0},
    {"Kết luận", "KL", "kết luận", 0},
    {"Quyết định", "QĐ", "quyết định", 0},
    {"Quy định", "QĐi", "quy định", 0},
    {"Quy chế", "QC", "quy chế", 0},
    {"Thông báo", "TB", "thông báo", 0},
    {"Hướng dẫn", "HD", "hướng dẫn", 0},
    {"Kế hoạch", "KH", "kế hoạch", 0},
    {"Thông tư", "TT", "thông tư", 0},
    {"Công văn", "CV", "công văn", 0},
    {"Công điện", "CĐ", "công điện", 0},
    {"Chương trình", "CTr", "chương trình", 0},
    {"Đề án", "ĐA", "đề án", 0},
    {"Báo cáo", "BC", "báo cáo", 0},
    {"Tờ trình", "TTr", "tờ trình", 0},
};

/* Other spellings of an abbreviation, folded to ASCII capitals: the Party
 * has written Quy định both "QĐi" and "QyĐ". */
static const struct {
    const char *folded;
    const char *display;
} abbrev_alias[] = {
    {"QYD", "Quy định"},
    {"QDI", "Quy định"},
};

const dv_doctype *dv_doctypes(size_t *count)
{
    *count = sizeof doctypes / sizeof doctypes[0];
    return doctypes;
}

const dv_doctype *dv_doctype_at(const char *s, size_t n, size_t i, size_t *end)
{
    size_t k;
    for (k = 0; k < sizeof doctypes / sizeof doctypes[0]; k++) {
        size_t e = dv_match(s, n, i, doctypes[k].word, DV_VN);
        if (e) {
            *end = e;
            return &doctypes[k];
        }
    }
    return NULL;
}

/* Folds s (letters of any case, with or without diacritics) into out as
 * ASCII capitals, dropping everything but letters and digits; returns the
 * length written (at most cap - 1, NUL-terminated). */
static size_t fold_upper(const char *s, size_t n, char *out, size_t cap)
{
    size_t i = 0, o = 0;
    uint32_t c;
    while (i < n && o + 1 < cap) {
        i += dv_dec(s, n, i, &c);
        if (dv_is_digit(c)) {
            out[o++] = (char)c;
        } else {
            char b = dv_base(c);
            if (b)
                out[o++] = (char)(b - 32);
        }
    }
    out[o] = '\0';
    return o;
}

const char *ps_doctype_from_abbrev(const char *abbr, size_t n)
{
    char want[16], have[16];
    size_t k;
    if (!abbr || !n || n > 12)
        return NULL;
    fold_upper(abbr, n, want, sizeof want);
    if (!want[0])
        return NULL;
    for (k = 0; k < sizeof doctypes / sizeof doctypes[0]; k++) {
        if (!doctypes[k].abbrev)
            continue;
        fold_upper(doctypes[k].abbrev, strlen(doctypes[k].abbrev), have, sizeof have);
        if (strcmp(want, have) == 0)
            return doctypes[k].display;
    }
    for (k = 0; k < sizeof abbrev_alias / sizeof abbrev_alias[0]; k++)
        if (strcmp(want, abbrev_alias[k].folded) == 0)
            return abbrev_alias[k].display;
    return NULL;
}

/* Canonical ASCII abbreviation of each type, the form keys use ("NĐ" ->
 * "ND"). Quy định gets the Party's current "QĐi" ("QDI"); Bộ luật and
 * Hiến pháp, whose numbers carry no abbreviation, get "BL" and "HP" so a
 * query word still maps to something. Index-aligned with doctypes[]. */
static const char *const ascii_abbrev[] = {
    "TTLT", "NQLT", "BL", "HP", "PL", "L",  "NQ", "ND",  "CT", "KL", "QD", "QDI",
    "QC",   "TB",   "HD", "KH", "TT", "CV", "CD", "CTR", "DA", "BC", "TTR",
};
_Static_assert(sizeof ascii_abbrev / sizeof ascii_abbrev[0] == sizeof doctypes / sizeof doctypes[0],
               "one ASCII abbreviation per type");

const char *ps_doctype_abbrev(const char *type, size_t n)
{
    size_t k, a = 0, b = n;
    uint32_t c;
    if (!type)
        return NULL;
    /* trim, then the whole string must be one type word */
    while (a < b) {
        size_t l = dv_dec(type, n, a, &c);
        if (!dv_is_space(c))
            break;
        a += l;
    }
    while (b > a && (type[b - 1] == ' ' || type[b - 1] == '\t' || type[b - 1] == '\n'))
        b--;
    for (k = 0; k < sizeof doctypes / sizeof doctypes[0]; k++) {
        /* DV_FOLD: a query typed without diacritics or with another tone
         * placement still names the type */
        size_t e = dv_match(type, b, a, doctypes[k].word, DV_FOLD);
        if (e == b && e > a)
            return ascii_abbrev[k];
    }
    return NULL;
}

/* ---- parsing one number --------------------------------------------- */

/* Separators inside a number: '/', '-', '.', and the dashes word
 * processors substitute for '-'. */
static int is_sep(uint32_t c)
{
    return c == '/' || c == '-' || c == '.' || c == 0x2010 || c == 0x2011 || c == 0x2013;
}

/* Whether the code point before offset i ends a word, number or
 * separator: a number starting there would be the tail of another token
 * ("2019/QH14" inside "45/2019/QH14"). */
static int glued_before(const char *s, size_t i)
{
    uint32_t c;
    if (i == 0)
        return 0;
    dv_dec(s, i, i - dv_prev_len(s, i), &c);
    return dv_is_alnum(c) || is_sep(c) || c == ',';
}

/* Whether a letter or digit starts at s[i]. */
static int alnum_at(const char *s, size_t n, size_t i)
{
    uint32_t c;
    if (i >= n)
        return 0;
    dv_dec(s, n, i, &c);
    return dv_is_alnum(c);
}

/* Scans one part (letters and digits) at s[i]; reports whether it has a
 * letter, a capital, a small letter. Returns its end (== i when empty). */
static size_t scan_part(const char *s, size_t n, size_t i, int *letter, int *upper, int *lower)
{
    uint32_t c;
    *letter = *upper = *lower = 0;
    while (i < n) {
        size_t l = dv_dec(s, n, i, &c);
        if (!dv_is_alnum(c))
            break;
        if (dv_is_letter(c)) {
            *letter = 1;
            if (dv_is_upper(c))
                *upper = 1;
            else if (dv_is_lower(c))
                *lower = 1;
        }
        i += l;
    }
    return i;
}

/* Capitals and small letters in [s, e). */
static void count_letters(const char *s, size_t i, size_t e, size_t *up, size_t *lo)
{
    uint32_t c;
    *up = *lo = 0;
    while (i < e) {
        i += dv_dec(s, e, i, &c);
        if (dv_is_upper(c))
            (*up)++;
        else if (dv_is_lower(c))
            (*lo)++;
    }
}

/* Length of the code point at s[i]. */
static size_t first_cp_len(const char *s, size_t n, size_t i)
{
    uint32_t c;
    return dv_dec(s, n, i, &c);
}

/* The number parser behind ps_docnum_scan and the header: see docint.h.
 * has_letter (may be NULL) tells whether a letter part was found. */
static size_t docnum_parse(const char *s, size_t n, size_t i, int loose, int *has_letter,
                           int *parts)
{
    size_t j = i, end;
    int letter = 0, nparts = 1, first_letter_seen = 0, prev_single_letter = 0;
    size_t letters = 0;
    uint32_t c;
    int pl, pu, pw;
    if (has_letter)
        *has_letter = 0;
    if (parts)
        *parts = 0;
    if (i >= n || !dv_is_digit((unsigned char)s[i]) || glued_before(s, i))
        return 0;
    while (j < n && dv_is_digit((unsigned char)s[j]))
        j++;
    /* "3G", "5a": digits glued to letters are not a number's first part */
    if (j < n) {
        dv_dec(s, n, j, &c);
        if (dv_is_letter(c))
            return 0;
    }
    end = j;
    /* then parts, each after one separator: "57" "-NQ" "/TW" */
    for (;;) {
        size_t k = end, sep_at, part_end;
        int spaced = 0;
        if (loose) {
            size_t k2 = dv_skip_space(s, n, k);
            spaced = k2 > k;
            k = k2;
        }
        if (k >= n)
            break;
        sep_at = k;
        k += dv_dec(s, n, k, &c);
        if (!is_sep(c)) {
            /* "QH 11": a scraped header split the issuer from its term */
            if (loose && spaced && first_letter_seen && dv_is_digit(c)) {
                size_t d = sep_at;
                while (d < n && dv_is_digit((unsigned char)s[d]))
                    d++;
                if (d - sep_at <= 2 && !alnum_at(s, n, d)) {
                    end = d;
                    continue;
                }
            }
            break;
        }
        if (loose) {
            size_t k2 = dv_skip_space(s, n, k);
            spaced |= k2 > k;
            k = k2;
        }
        part_end = scan_part(s, n, k, &pl, &pu, &pw);
        if (part_end == k)
            break; /* a trailing '.' or '-' ends the sentence, not the number */
        /* a '.' joins digits ("L.003") or the letters of an abbreviation
         * ("T.Ư"); "1.Nhà" is a list item that lost its space */
        if (c == '.' && pl && !prev_single_letter)
            break;
        if (pl) {
            /* a letter part is an abbreviation: at least as many capitals
             * as small letters ("NQ", "TTg", "QĐi"), so no word ("Thiết") */
            size_t up = 0, lo = 0;
            count_letters(s, k, part_end, &up, &lo);
            if (up < lo)
                break;
            letters += up + lo;
            /* the first letter part starts with a capital ("NQ", "QĐi",
             * "TTg"): "50/ha" or "tấn/năm" are units, not numbers */
            if (!first_letter_seen) {
                uint32_t f;
                dv_dec(s, n, k, &f);
                if (dv_is_letter(f) && !dv_is_upper(f))
                    break;
            }
            /* spaced separators only before capitals: "57-NQ/TW - Hà Nội"
             * must stop before "Hà" */
            if (spaced && pw)
                break;
            first_letter_seen = 1;
            letter = 1;
        }
        prev_single_letter = pl && part_end - k <= 2 && first_cp_len(s, n, k) == part_end - k;
        end = part_end;
        nparts++;
    }
    if (has_letter)
        *has_letter = letter;
    if (parts)
        *parts = nparts;
    /* one letter alone is a chemical's or a road's name ("3-O-acetyl",
     * "1-A"); numbers carry two at least ("18-L/CTN") */
    if (!loose && (!letter || nparts < 2 || letters < 2))
        return 0;
    return end;
}

size_t dv_docnum_at(const char *s, size_t n, size_t i, int loose, int *has_letter, int *parts)
{
    return docnum_parse(s, n, i, loose, has_letter, parts);
}

/* ---- keys ------------------------------------------------------------ */

/* One part of a number for keys: [s, e) of letters and digits. */
typedef struct part {
    size_t s, e;
    int digits_only;
} part;

#define MAX_PARTS 16

/* Splits s into its letter/digit parts. Single letters joined by '.' are
 * one part ("T.Ư", "T.W"): the dots are part of the abbreviation. */
static size_t split_parts(const char *s, size_t n, part *pp, size_t max)
{
    size_t i = 0, np = 0;
    uint32_t c;
    while (i < n && np < max) {
        size_t l = dv_dec(s, n, i, &c), e;
        int le, up, lo;
        if (!dv_is_alnum(c)) {
            i += l;
            continue;
        }
        e = scan_part(s, n, i, &le, &up, &lo);
        /* "T.Ư": one letter, '.', one letter, ... is one abbreviation */
        if (le && dv_dec(s, n, i, &c) == e - i) {
            while (e + 1 < n && s[e] == '.') {
                uint32_t c2;
                size_t l2 = dv_dec(s, n, e + 1, &c2), e2;
                int le2, up2, lo2;
                if (!dv_is_letter(c2))
                    break;
                e2 = scan_part(s, n, e + 1, &le2, &up2, &lo2);
                if (e2 != e + 1 + l2)
                    break;
                e = e2;
            }
        }
        pp[np].s = i;
        pp[np].e = e;
        pp[np].digits_only = !le;
        np++;
        i = e;
    }
    return np;
}

/* Appends one part in key form: digits without leading zeros ("08" ->
 * "8", so "08/2017/QH14" and "8/2017/QH14" meet), letters as ASCII
 * capitals, "TƯ" (Trung ương) as "TW". */
static void add_part(ps_buf *out, const char *s, const part *p)
{
    char tmp[64];
    size_t len, k = 0;
    if (p->digits_only) {
        size_t a = p->s;
        while (a + 1 < p->e && s[a] == '0')
            a++;
        ps_buf_add(out, s + a, p->e - a);
        return;
    }
    len = fold_upper(s + p->s, p->e - p->s, tmp, sizeof tmp);
    /* letters with no Latin base fold to nothing: what is left may be
     * digits only, which then lose their leading zeros as above */
    if (len && strspn(tmp, "0123456789") == len) {
        while (k + 1 < len && tmp[k] == '0')
            k++;
        ps_buf_add(out, tmp + k, len - k);
        return;
    }
    /* "TƯ", "T.Ư" fold to "TU", which is also Tỉnh ủy's "TU": tell them
     * apart by the horn on the raw letter */
    if (len == 2 && strcmp(tmp, "TU") == 0) {
        uint32_t c;
        size_t i = p->s;
        while (i < p->e) {
            i += dv_dec(s, p->e, i, &c);
            if (dv_lower(c) == 0x1B0)
                k = 1;
        }
        if (k) {
            ps_buf_adds(out, "TW");
            return;
        }
    }
    ps_buf_add(out, tmp, len);
}

int ps_docnum_key(const char *s, size_t n, ps_buf *out)
{
    part pp[MAX_PARTS];
    size_t np, k, i, start = out->len, sep;
    int digit = 0;
    if (!s)
        return PS_EINVAL;
    for (i = 0; i < n; i++)
        if (dv_is_digit((unsigned char)s[i]))
            digit = 1;
    if (!digit)
        return PS_EINVAL;
    /* whatever separated the parts (/, -, ., spaces) becomes one '-'; a
     * part of letters with no Latin base (other scripts) folds to nothing
     * and leaves no empty part behind, so a key is its own key */
    np = split_parts(s, n, pp, MAX_PARTS);
    for (k = 0; k < np; k++) {
        size_t mark = out->len;
        if (out->len > start)
            ps_buf_addc(out, '-');
        sep = out->len;
        add_part(out, s, &pp[k]);
        if (!out->err && out->len == sep) {
            out->len = mark;
            if (out->data)
                out->data[mark] = '\0';
        }
    }
    return out->err;
}

/* Short key: the first number and the type abbreviation ("57-NQ",
 * "13-ND"). Laws carry none: their issuer part ("QH14") gives its letters
 * ("45-QH"), which is what a query "luật 45" or "luật số 45/2019" has to
 * be turned into by the query side (laws and the National Assembly's
 * resolutions share that short key; the full key tells them apart). */
int ps_docnum_short_key(const char *s, size_t n, ps_buf *out)
{
    part pp[MAX_PARTS];
    size_t np, k, num = MAX_PARTS, abbr = MAX_PARTS;
    char tmp[64];
    if (!s)
        return PS_EINVAL;
    /* the first digits are the number (the year comes second in
     * "13/2023/NĐ-CP"); a known abbreviation beats the first letters */
    np = split_parts(s, n, pp, MAX_PARTS);
    for (k = 0; k < np; k++) {
        if (pp[k].digits_only) {
            if (num == MAX_PARTS)
                num = k;
            continue;
        }
        if (abbr == MAX_PARTS)
            abbr = k; /* first letter part: the fallback */
        if (ps_doctype_from_abbrev(s + pp[k].s, pp[k].e - pp[k].s)) {
            abbr = k;
            break;
        }
    }
    if (num == MAX_PARTS || abbr == MAX_PARTS)
        return PS_EINVAL;
    add_part(out, s, &pp[num]);
    ps_buf_addc(out, '-');
    {
        /* letters only: "QH14" -> "QH" */
        size_t len = fold_upper(s + pp[abbr].s, pp[abbr].e - pp[abbr].s, tmp, sizeof tmp), o = 0;
        for (k = 0; k < len; k++)
            if (tmp[k] >= 'A' && tmp[k] <= 'Z')
                tmp[o++] = tmp[k];
        if (!o)
            return PS_EINVAL;
        if (o == 2 && tmp[0] == 'T' && tmp[1] == 'U')
            add_part(out, s, &pp[abbr]);
        else
            ps_buf_add(out, tmp, o);
    }
    return out->err;
}

/* ---- scanning running text ------------------------------------------ */

/* Start of the word that ends at i (i just after it), or i when no word
 * ends there. */
static size_t word_start_before(const char *s, size_t i)
{
    uint32_t c;
    while (i > 0) {
        size_t l = dv_prev_len(s, i);
        dv_dec(s, i, i - l, &c);
        if (!dv_is_alnum(c))
            break;
        i -= l;
    }
    return i;
}

/* Skips white space backwards from i. */
static size_t skip_space_back(const char *s, size_t i)
{
    uint32_t c;
    while (i > 0) {
        size_t l = dv_prev_len(s, i);
        dv_dec(s, i, i - l, &c);
        if (!dv_is_space(c))
            break;
        i -= l;
    }
    return i;
}

/* Looks for the type word in front of a number at `at`: "Nghị quyết số
 * 57-NQ/TW", "Nghị định 13/2023/NĐ-CP", or a law's name between them
 * ("Luật Đầu tư số 61/2020/QH14", "Luật Phòng, chống ma túy số ..."). Sets
 * *type_start and *had_so (whether "số" stood before the number); returns
 * the type, or NULL. */
static const dv_doctype *type_before(const char *s, size_t n, size_t at, size_t *type_start,
                                     int *had_so)
{
    size_t p = skip_space_back(s, at), ws[4], nw = 0, k, e;
    const dv_doctype *t;
    *had_so = 0;
    if (p > 0 && s[p - 1] == ':')
        p = skip_space_back(s, p - 1);
    k = word_start_before(s, p);
    if (k < p && dv_match(s, n, k, "số", DV_VN) == p) {
        *had_so = 1;
        p = skip_space_back(s, k);
    }
    /* the type word ends right here: try the last one, two, three words */
    /* the longest type is three words ("thông tư liên tịch") */
    e = p;
    while (nw < 3) {
        size_t w = word_start_before(s, e);
        if (w == e)
            break;
        ws[nw++] = w;
        e = skip_space_back(s, w);
        if (e == w)
            break;
    }
    for (k = nw; k-- > 0;) {
        size_t end;
        t = dv_doctype_at(s, n, ws[k], &end);
        if (t && end == p) {
            *type_start = ws[k];
            return t;
        }
    }
    if (!*had_so)
        return NULL;
    /* "Luật <name> số N": walk back over the name (up to 12 words, commas
     * allowed, no sentence punctuation) to a capitalised type word */
    e = p;
    for (k = 0; k < 12; k++) {
        size_t w = word_start_before(s, e), end;
        uint32_t c;
        if (w == e || dv_is_digit((unsigned char)s[w]))
            break; /* a name has no number in it: "Nghị quyết 57 và số 45" */
        dv_dec(s, n, w, &c);
        if (dv_is_upper(c)) {
            /* "Bộ luật" starts one word earlier than "luật" */
            size_t prev = skip_space_back(s, w), pw = word_start_before(s, prev);
            if (pw < prev && (t = dv_doctype_at(s, n, pw, &end)) && end > w) {
                *type_start = pw;
                return t;
            }
            if ((t = dv_doctype_at(s, n, w, &end))) {
                *type_start = w;
                return t;
            }
        }
        e = skip_space_back(s, w);
        if (e > 0 && s[e - 1] == ',')
            e = skip_space_back(s, e - 1);
        if (e == w)
            break;
    }
    return NULL;
}

/* Type display form from the number's own abbreviation ("NQ" in
 * "57-NQ/TW"), NULL when it has none. */
static const char *type_of_number(const char *s, size_t n)
{
    part pp[MAX_PARTS];
    size_t np = split_parts(s, n, pp, MAX_PARTS), k;
    for (k = 0; k < np; k++) {
        const char *t;
        if (pp[k].digits_only)
            continue;
        if ((t = ps_doctype_from_abbrev(s + pp[k].s, pp[k].e - pp[k].s)))
            return t;
    }
    return NULL;
}

int ps_docnum_scan(const char *text, size_t n, ps_docnum_fn fn, void *ctx)
{
    size_t i = 0;
    if (!text || !fn)
        return PS_EINVAL;
    /* a number starts with a digit that starts a token: scanning bytes is
     * enough, no continuation byte of UTF-8 is a digit */
    while (i < n) {
        size_t end, tstart;
        int had_so = 0, letter = 0, parts = 0, rc;
        const dv_doctype *t;
        ps_docnum_match m;
        if (!dv_is_digit((unsigned char)text[i]) || glued_before(text, i)) {
            i++;
            continue;
        }
        end = docnum_parse(text, n, i, 0, &letter, &parts);
        tstart = i;
        t = type_before(text, n, i, &tstart, &had_so);
        if (!end) {
            /* no letter part: a number only after "<type> số" ("Luật số
             * 45/2019", "Nghị quyết số 57") */
            if (!(t && had_so)) {
                /* skip the whole date or sum: its tail digits are no start */
                while (i < n && (dv_is_digit((unsigned char)text[i]) || text[i] == '/' ||
                                 text[i] == '.' || text[i] == '-' || text[i] == ','))
                    i++;
                continue;
            }
            end = docnum_parse(text, n, i, 1, &letter, &parts);
            /* the loose parse may take spaces: keep the span tight */
            while (end > i && (text[end - 1] == ' ' || text[end - 1] == '\t'))
                end--;
            if (!end) {
                i++;
                continue;
            }
        }
        m.start = i;
        m.end = end;
        m.type_start = t ? tstart : i;
        m.type = t ? t->display : type_of_number(text + i, end - i);
        rc = fn(ctx, &m);
        if (rc)
            return rc;
        i = end;
    }
    return PS_OK;
}
