/*
 * parse.c: reads a Vietnamese document the way a records clerk does.
 *
 * The text is taken line by line (headers, headings and signatures are
 * line-shaped in every source, scraped or typed). The parts, in order:
 *
 *   header zone   the lines before the first "Căn cứ", heading or body
 *                 paragraph: issuer, number, place and date, access marking,
 *                 the type line ("NGHỊ QUYẾT", "LUẬT") and the title block;
 *   signature     "T/M BỘ CHÍNH TRỊ", "TM. CHÍNH PHỦ", "KT. BỘ TRƯỞNG",
 *                 "CHỦ TỊCH QUỐC HỘI", the adoption formula ("Luật này đã
 *                 được Quốc hội ... thông qua ngày ..."), "Nơi nhận:";
 *   structure     the tree of Phần / Chương / Mục / Điều / khoản / điểm
 *                 (and the Party forms "I-", "1-", "a)") over the body;
 *   relations     every other document's number the text mentions.
 *
 * What is already set in doc->meta (a JSON Lines record) is kept; the
 * parser fills only what is NULL. Strings live in doc->arena.
 *
 * Decisions the header leaves open:
 *   - meta.number is the number as written without the white space scraped
 *     pages put in it ("Luật số: 28/2004/QH 11" -> "28/2004/QH11");
 *   - the type comes from the type line, else the number's abbreviation,
 *     else a "V/v" line (Công văn), else the adoption formula or how the
 *     text names itself ("Hiến pháp này");
 *   - the title is the subject as written when the heading in capitals is
 *     followed by one in small letters ("về đột phá ..."), else the lines
 *     in capitals recased; a law's title is its name ("Luật Thủy lợi");
 *   - the date is the header's "Hà Nội, ngày ...", else one in the title
 *     block ("LUẬT SỐ 18-L/CTN NGÀY 06/07/1993"), else the adoption
 *     formula's "thông qua ngày ...";
 *   - the Party's parts "I-", "II." are kind phan with label "Phần I";
 *     "PHẦN THỨ NHẤT" is num "1", label "Phần thứ nhất";
 *   - a khoản or điểm has no title: its text starts at body, right after
 *     the mark ("1. ", "a) ").
 */
#include <stdint.h>
#include <string.h>

#include "polsearch/doc.h"
#include "polsearch/text.h"
#include "doc/docint.h"

#define NONE SIZE_MAX

/* The header zone is looked for in the first lines only: a header longer
 * than this is a body. */
#define HEADER_MAX_LINES 40
/* A header line is short; a longer one is a body paragraph. */
#define HEADER_MAX_LINE 250
/* Longest run of lines an unclosed quotation may hide from the structure:
 * a stray opening quote must not swallow the rest of a law. */
#define QUOTE_MAX_LINES 400

typedef struct line {
    size_t ls;   /* line start */
    size_t s, e; /* content without surrounding white space */
} line;

typedef struct parser {
    ps_doc *doc;
    const char *t;
    size_t n;
    line *L;
    size_t nl;
    size_t hz;          /* header zone: lines [0, hz) */
    size_t type_line;   /* the type line, NONE when none */
    size_t title_end;   /* line after the title block */
    const dv_doctype *type;   /* type named by the type line */
    const char *title_issuer; /* "CỦA BỘ CHÍNH TRỊ" in the title block */
    int has_vv;         /* a letter's "V/v ..." subject line */
    int rc;             /* sticky: first allocation failure */
} parser;

/* ---- small helpers ---------------------------------------------------- */

static const char *pstr(parser *p, const char *s, size_t n)
{
    const char *r = ps_doc_strdup(p->doc, s, n);
    if (!r)
        p->rc = PS_ENOMEM;
    return r;
}

static int is_empty(const parser *p, size_t i)
{
    return p->L[i].s >= p->L[i].e;
}

/* Letters written in capitals and in small letters within [s, e). */
static void count_case(const char *t, size_t s, size_t e, size_t *up, size_t *lo)
{
    uint32_t c;
    *up = *lo = 0;
    while (s < e) {
        s += dv_dec(t, e, s, &c);
        if (dv_is_upper(c))
            (*up)++;
        else if (dv_is_lower(c))
            (*lo)++;
    }
}

/* A line written in capitals (headers, type lines, titles, signatures):
 * at least 85% of its letters, and at least two. */
static int is_caps(const char *t, size_t s, size_t e)
{
    size_t up, lo;
    count_case(t, s, e, &up, &lo);
    return up >= 2 && up * 100 >= (up + lo) * 85;
}

static int first_is_upper(const char *t, size_t s, size_t e)
{
    uint32_t c;
    if (s >= e)
        return 0;
    dv_dec(t, e, s, &c);
    return dv_is_upper(c);
}

static int first_is_lower(const char *t, size_t s, size_t e)
{
    uint32_t c;
    if (s >= e)
        return 0;
    dv_dec(t, e, s, &c);
    return dv_is_lower(c);
}

/* Decoration scraped headers draw under a line: "-------", "*****",
 * "___", "=". */
static int is_decor(uint32_t c)
{
    return c == '-' || c == '*' || c == '_' || c == '=' || c == '~' || c == 0x2013 ||
           c == 0x2014 || c == 0x2500 || c == 0x2022;
}

/* [*s, *e) without leading and trailing decoration and white space. */
static void strip_decor(const char *t, size_t *s, size_t *e)
{
    uint32_t c;
    while (*s < *e) {
        size_t l = dv_dec(t, *e, *s, &c);
        if (!is_decor(c) && !dv_is_space(c))
            break;
        *s += l;
    }
    while (*e > *s) {
        size_t l = dv_prev_len(t, *e);
        dv_dec(t, *e, *e - l, &c);
        if (!is_decor(c) && !dv_is_space(c))
            break;
        *e -= l;
    }
}

/* A line of decoration only. */
static int is_decor_line(const parser *p, size_t i)
{
    size_t s = p->L[i].s, e = p->L[i].e;
    if (s >= e)
        return 0;
    strip_decor(p->t, &s, &e);
    return s >= e;
}

/* Position of pattern pat (DV_VN) at a word start within [s, e), NONE when
 * absent. */
static size_t find_word(const char *t, size_t s, size_t e, const char *pat, int mode)
{
    size_t i = s;
    uint32_t c, prev = ' ';
    while (i < e) {
        size_t l = dv_dec(t, e, i, &c);
        if (!dv_is_alnum(prev) && dv_is_alnum(c) && dv_match(t, e, i, pat, mode))
            return i;
        prev = c;
        i += l;
    }
    return NONE;
}

/* Offset after trimming white space back from i (to end a span cleanly). */
static size_t trim_back(const char *t, size_t lo, size_t i)
{
    while (i > lo && (t[i - 1] == ' ' || t[i - 1] == '\n' || t[i - 1] == '\t' || t[i - 1] == '\r'))
        i--;
    return i;
}

/* ---- recasing --------------------------------------------------------- */

/* Writes cp over the code point at b[i] when both take the same bytes
 * (true for every Vietnamese letter pair). */
static void put_cp(char *b, size_t i, size_t len, uint32_t cp)
{
    char tmp[4];
    if ((size_t)ps_utf8_encode(cp, tmp) == len)
        memcpy(b + i, tmp, len);
}

static void lower_span(char *b, size_t s, size_t e)
{
    uint32_t c;
    while (s < e) {
        size_t l = dv_dec(b, e, s, &c);
        put_cp(b, s, l, dv_lower(c));
        s += l;
    }
}

static void upper_at(char *b, size_t n, size_t i)
{
    uint32_t c;
    size_t l;
    if (i >= n)
        return;
    l = dv_dec(b, n, i, &c);
    put_cp(b, i, l, dv_upper(c));
}

/* Proper nouns a sentence-cased title or an issuer keeps capitalised,
 * longest first; entries whose display is lowercase stop a shorter one
 * ("đảng viên" is not "Đảng viên"). Matched DV_VN, so only the case of
 * the text's own letters changes (its tone placement stays). */
static const struct {
    const char *word;
    const char *display;
} proper_nouns[] = {
    {"đảng cộng sản việt nam", "Đảng Cộng sản Việt Nam"},
    {"ban chấp hành trung ương", "Ban Chấp hành Trung ương"},
    {"ủy ban thường vụ quốc hội", "Ủy ban Thường vụ Quốc hội"},
    {"uỷ ban thường vụ quốc hội", "Uỷ ban Thường vụ Quốc hội"},
    {"mặt trận tổ quốc", "Mặt trận Tổ quốc"},
    {"thủ tướng chính phủ", "Thủ tướng Chính phủ"},
    {"quân đội nhân dân", "Quân đội nhân dân"},
    {"công an nhân dân", "Công an nhân dân"},
    {"liên hợp quốc", "Liên hợp quốc"},
    {"hồ chí minh", "Hồ Chí Minh"},
    {"bộ chính trị", "Bộ Chính trị"},
    {"tổng bí thư", "Tổng Bí thư"},
    {"ban bí thư", "Ban Bí thư"},
    {"việt nam", "Việt Nam"},
    {"quốc hội", "Quốc hội"},
    {"chính phủ", "Chính phủ"},
    {"trung ương", "Trung ương"},
    {"nhà nước", "Nhà nước"},
    {"tổ quốc", "Tổ quốc"},
    {"đảng viên", "đảng viên"},
    {"đảng bộ", "đảng bộ"},
    {"đảng ủy", "đảng ủy"},
    {"đảng uỷ", "đảng uỷ"},
    {"đảng đoàn", "đảng đoàn"},
    {"đảng phái", "đảng phái"},
    {"đảng", "Đảng"},
};

/* Offices a signer holds are capitalised too ("Phó Thủ tướng", "Chủ tịch
 * Quốc hội", "Bí thư Tỉnh ủy"). */
static const struct {
    const char *word;
    const char *display;
} office_nouns[] = {
    {"thủ tướng", "Thủ tướng"}, {"chủ tịch", "Chủ tịch"},     {"bí thư", "Bí thư"},
    {"chủ nhiệm", "Chủ nhiệm"}, {"văn phòng", "Văn phòng"},   {"thường trực", "Thường trực"},
    {"tỉnh ủy", "Tỉnh ủy"},     {"tỉnh uỷ", "Tỉnh uỷ"},       {"thành ủy", "Thành ủy"},
    {"thành uỷ", "Thành uỷ"},
};

/* Applies the case of display to the matched text [i, e). */
static void apply_case(char *b, size_t i, size_t e, const char *display)
{
    size_t di = 0, dn = strlen(display);
    uint32_t dc, c;
    while (i < e && di < dn) {
        size_t l = dv_dec(b, e, i, &c);
        di += dv_dec(display, dn, di, &dc);
        if (dv_is_space(c)) {
            /* runs of spaces in the text match one in the display */
            uint32_t sc;
            size_t sl;
            while (i + l < e && (sl = dv_dec(b, e, i + l, &sc)) > 0 && dv_is_space(sc))
                l += sl;
        } else {
            put_cp(b, i, l, dv_is_upper(dc) ? dv_upper(c) : dv_lower(c));
        }
        i += l;
    }
}

static void apply_nouns(char *b, size_t n, int offices)
{
    size_t i = 0, k;
    uint32_t c, prev = ' ';
    while (i < n) {
        size_t l = dv_dec(b, n, i, &c), e = 0;
        if (dv_is_alnum(c) && !dv_is_alnum(prev)) {
            for (k = 0; k < sizeof proper_nouns / sizeof proper_nouns[0]; k++)
                if ((e = dv_match(b, n, i, proper_nouns[k].word, DV_VN))) {
                    apply_case(b, i, e, proper_nouns[k].display);
                    break;
                }
            for (k = 0; !e && offices && k < sizeof office_nouns / sizeof office_nouns[0]; k++)
                if ((e = dv_match(b, n, i, office_nouns[k].word, DV_VN)))
                    apply_case(b, i, e, office_nouns[k].display);
            /* "Phó Trưởng ban", "Phó Chánh Văn phòng": a deputy's office
             * is written with the capital of the office */
            if (!e && offices && (e = dv_match(b, n, i, "phó", DV_VN))) {
                size_t nx = dv_skip_space(b, n, e);
                upper_at(b, n, i);
                upper_at(b, n, nx);
            }
        }
        if (e) {
            prev = 'x';
            i = e;
            continue;
        }
        prev = c;
        i += l;
    }
}

/* Whether [s, e) is a Roman numeral written in capitals ("XIII"). */
static int is_roman_word(const char *b, size_t s, size_t e)
{
    if (s >= e)
        return 0;
    for (; s < e; s++)
        if (!strchr("IVXLCDM", b[s]) || !b[s])
            return 0;
    return 1;
}

/* Copies [s, e) of the text into the arena with white space collapsed to
 * single spaces; returns the mutable copy and its length. */
static char *collapse(parser *p, const char *src, size_t s, size_t e, size_t *len)
{
    char *b = ps_arena_alloc(p->doc->arena, 2 * (e - s) + 1);
    size_t o = 0;
    int space = 0;
    uint32_t c, prev = 0;
    if (!b) {
        p->rc = PS_ENOMEM;
        return NULL;
    }
    while (s < e) {
        size_t l = dv_dec(src, e, s, &c);
        if (dv_is_space(c) || c == '\n') {
            space = 1;
        } else {
            /* "KÝ KẾT,GIA NHẬP": a comma glued to the next word */
            if ((space && o) || ((prev == ',' || prev == ';') && dv_is_letter(c)))
                b[o++] = ' ';
            space = 0;
            memcpy(b + o, src + s, l);
            o += l;
        }
        prev = c;
        s += l;
    }
    b[o] = '\0';
    *len = o;
    return b;
}

/* Sentence case for a heading written in capitals: "VỀ ĐỘT PHÁ PHÁT TRIỂN
 * KHOA HỌC" -> "Về đột phá phát triển khoa học", keeping proper nouns
 * ("Việt Nam", "Đảng", "Quốc hội" ...), acronyms (words that are no
 * Vietnamese syllable: "ASEAN", "UNCITRAL"), numbers ("4.0") and the
 * Roman numeral of "KHÓA XIII". Text not in capitals keeps its own case
 * and only gets a capital first letter. */
static void sentence_case(char *b, size_t n, int offices)
{
    size_t i = 0, ps = 0, pe = 0;
    uint32_t c;
    if (!is_caps(b, 0, n)) {
        upper_at(b, n, 0);
        return;
    }
    while (i < n) {
        size_t l = dv_dec(b, n, i, &c), we;
        int keep = 0, digit = 0;
        if (!dv_is_alnum(c)) {
            i += l;
            continue;
        }
        we = dv_word_end(b, n, i);
        {
            size_t k;
            for (k = i; k < we; k++)
                if (dv_is_digit((unsigned char)b[k]))
                    digit = 1;
        }
        if (digit) {
            keep = 1;
        } else if (is_roman_word(b, i, we) && pe > ps &&
                   (dv_match(b, pe, ps, "khóa", DV_FOLD) || dv_match(b, pe, ps, "phần", DV_VN) ||
                    dv_match(b, pe, ps, "chương", DV_VN) || dv_match(b, pe, ps, "thứ", DV_VN))) {
            keep = 1;
        } else if (!ps_text_is_syllable(b + i, we - i)) {
            keep = 1;
        }
        if (!keep)
            lower_span(b, i, we);
        ps = i;
        pe = we;
        i = we;
    }
    upper_at(b, n, 0);
    apply_nouns(b, n, offices);
}

/* Arena copy of [s, e) in sentence case (see sentence_case). */
static const char *cased(parser *p, size_t s, size_t e, int offices)
{
    size_t len;
    char *b;
    strip_decor(p->t, &s, &e);
    if (s >= e)
        return NULL;
    b = collapse(p, p->t, s, e, &len);
    if (!b || !len)
        return NULL;
    sentence_case(b, len, offices);
    return b;
}

/* ---- issuers ---------------------------------------------------------- */

/* Folds [s, e) to lowercase ASCII words separated by single spaces. */
static size_t fold_words(const char *t, size_t s, size_t e, char *out, size_t cap)
{
    size_t o = 0;
    int space = 0;
    uint32_t c;
    while (s < e && o + 2 < cap) {
        s += dv_dec(t, e, s, &c);
        if (dv_is_alnum(c)) {
            char b = dv_is_digit(c) ? (char)c : dv_base(dv_lower(c));
            if (!b)
                continue;
            if (space && o)
                out[o++] = ' ';
            space = 0;
            out[o++] = b;
        } else {
            space = 1;
        }
    }
    out[o] = '\0';
    return o;
}

/* The bodies whose names cannot be derived by rule, and those a signature
 * ("T/M BỘ CHÍNH TRỊ") or a title clause ("CỦA BỘ CHÍNH TRỊ") may name as
 * the real issuer (central = 1). A NULL display marks header lines that
 * are no issuer (the Party's and the State's names above the motto). */
static const struct {
    const char *folded;
    const char *display;
    int central;
} issuers[] = {
    {"ban chap hanh trung uong", "Ban Chấp hành Trung ương", 1},
    {"ban chap hanh trung uong dang", "Ban Chấp hành Trung ương", 1},
    {"ban chap hanh trung uong dang cong san viet nam", "Ban Chấp hành Trung ương", 1},
    {"bo chinh tri", "Bộ Chính trị", 1},
    {"ban bi thu", "Ban Bí thư", 1},
    {"ban bi thu trung uong dang", "Ban Bí thư", 1},
    {"quoc hoi", "Quốc hội", 1},
    {"uy ban thuong vu quoc hoi", "Ủy ban Thường vụ Quốc hội", 1},
    {"chinh phu", "Chính phủ", 1},
    {"thu tuong chinh phu", "Thủ tướng Chính phủ", 1},
    {"thu tuong", "Thủ tướng Chính phủ", 1},
    {"chu tich nuoc", "Chủ tịch nước", 1},
    {"van phong trung uong dang", "Văn phòng Trung ương Đảng", 1},
    {"uy ban kiem tra trung uong", "Ủy ban Kiểm tra Trung ương", 1},
    {"toa an nhan dan toi cao", "Tòa án nhân dân tối cao", 1},
    {"vien kiem sat nhan dan toi cao", "Viện kiểm sát nhân dân tối cao", 1},
    {"kiem toan nha nuoc", "Kiểm toán nhà nước", 1},
    {"ngan hang nha nuoc viet nam", "Ngân hàng Nhà nước Việt Nam", 1},
    {"van phong chinh phu", "Văn phòng Chính phủ", 1},
    {"van phong quoc hoi", "Văn phòng Quốc hội", 1},
    {"dang cong san viet nam", NULL, 0},
    {"sac lenh", NULL, 0},
    {"lenh", NULL, 0},
    {"cong hoa xa hoi chu nghia viet nam", NULL, 0},
};

/* Index in issuers[] of the name [s, e) (whole, folded), -1 when unknown. */
static int known_issuer(const char *t, size_t s, size_t e)
{
    char f[160];
    size_t k;
    fold_words(t, s, e, f, sizeof f);
    for (k = 0; k < sizeof issuers / sizeof issuers[0]; k++)
        if (strcmp(f, issuers[k].folded) == 0)
            return (int)k;
    return -1;
}

/* Administrative units: what follows one is a place name, capitalised
 * ("ỦY BAN NHÂN DÂN TỈNH NGHỆ AN" -> "Ủy ban nhân dân tỉnh Nghệ An"). */
static const char *const admin_units[] = {"thành phố", "thị xã", "thị trấn", "tỉnh",
                                          "huyện",     "quận",   "phường",   "xã"};

/* Display form of an issuer named in capitals, by rule: sentence case,
 * then the first word of a ministry's or a board's own name capitalised
 * ("Bộ Tài chính", "Ban Tuyên giáo Trung ương", "Ủy ban Kiểm tra"), each
 * coordinated part of a ministry's name too ("Bộ Kế hoạch và Đầu tư"),
 * and place names after an administrative unit. */
static const char *issuer_display(parser *p, size_t s, size_t e)
{
    size_t len = 0, w[24], nw = 0, i = 0, k;
    char *b = NULL;
    int known;
    uint32_t c, prev = ' ';
    strip_decor(p->t, &s, &e);
    if (s >= e)
        return NULL;
    known = known_issuer(p->t, s, e);
    if (known >= 0)
        return issuers[known].display;
    {
        /* "UBND TỈNH ...", "HĐND ...": the councils' usual abbreviations */
        static const char *const abbr[][2] = {{"ubnd", "Ủy ban nhân dân"}, {"hđnd", "Hội đồng nhân dân"}};
        size_t k2, ae = 0;
        for (k2 = 0; k2 < 2 && !ae; k2++)
            if ((ae = dv_match(p->t, e, s, abbr[k2][0], DV_VN))) {
                char *x = ps_arena_sprintf(p->doc->arena, "%s%.*s", abbr[k2][1], (int)(e - ae), p->t + ae);
                if (!x) {
                    p->rc = PS_ENOMEM;
                    return NULL;
                }
                b = collapse(p, x, 0, strlen(x), &len);
            }
        if (!ae)
            b = collapse(p, p->t, s, e, &len);
    }
    if (!b || !len)
        return NULL;
    /* from capitals to small letters; the rules below put capitals back */
    if (is_caps(p->t, s, e))
        lower_span(b, 0, len);
    while (i < len && nw < sizeof w / sizeof w[0]) {
        size_t l = dv_dec(b, len, i, &c);
        if (dv_is_alnum(c) && !dv_is_alnum(prev))
            w[nw++] = i;
        prev = c;
        i += l;
    }
    if (!nw)
        return NULL;
    /* "Bộ Tài chính", "Ban Tuyên giáo", "Sở Nội vụ", "Cục Thuế": the
     * body's own name starts with a capital */
    upper_at(b, len, w[0]);
    if (nw > 1 && (dv_match(b, len, w[0], "bộ", DV_VN) || dv_match(b, len, w[0], "ban", DV_VN) ||
                   dv_match(b, len, w[0], "sở", DV_VN) || dv_match(b, len, w[0], "cục", DV_VN) ||
                   dv_match(b, len, w[0], "vụ", DV_VN)))
        upper_at(b, len, w[1]);
    /* "Ủy ban Kiểm tra", but "Ủy ban nhân dân" stays a common noun */
    if (nw > 2 && dv_match(b, len, w[0], "ủy ban", DV_FOLD) &&
        !dv_match(b, len, w[2], "nhân dân", DV_VN))
        upper_at(b, len, w[2]);
    /* "Bộ Lao động - Thương binh và Xã hội": each field a ministry joins */
    if (dv_match(b, len, w[0], "bộ", DV_VN)) {
        for (k = 2; k < nw; k++) {
            size_t q = w[k];
            while (q > 0 && b[q - 1] == ' ')
                q--;
            if (dv_match(b, len, w[k - 1], "và", DV_VN) || (q > 0 && (b[q - 1] == ',' || b[q - 1] == '-')))
                upper_at(b, len, w[k]);
        }
    }
    /* "TỈNH ỦY NGHỆ AN": the place follows the committee */
    for (k = 0; k < nw; k++) {
        size_t u, e2 = 0;
        for (u = 0; u < sizeof admin_units / sizeof admin_units[0] && !e2; u++)
            e2 = dv_match(b, len, w[k], admin_units[u], DV_VN);
        if (!e2)
            continue;
        if (k + 1 < nw && dv_match(b, len, w[k + 1], "ủy", DV_FOLD) && w[k + 1] < e2 + 2)
            e2 = dv_word_end(b, len, w[k + 1]);
        while (k + 1 < nw && w[k + 1] < e2)
            k++;
        for (k = k + 1; k < nw; k++)
            upper_at(b, len, w[k]);
        break;
    }
    apply_nouns(b, len, 0);
    return b;
}

/* ---- lines -------------------------------------------------------- */

/* The line table: each line's start and its content without surrounding
 * white space (NBSP and the Unicode spaces included). One allocation. */
static int split_lines(parser *p)
{
    size_t i, count = 1, k = 0, ls = 0;
    for (i = 0; i < p->n; i++)
        if (p->t[i] == '\n')
            count++;
    p->L = ps_malloc(count * sizeof *p->L);
    if (!p->L)
        return PS_ENOMEM;
    for (i = 0; i <= p->n; i++) {
        if (i < p->n && p->t[i] != '\n')
            continue;
        {
            size_t s = ls, e = i;
            s = dv_skip_space(p->t, e, s);
            while (e > s) {
                size_t l = dv_prev_len(p->t, e);
                uint32_t c;
                dv_dec(p->t, e, e - l, &c);
                if (!dv_is_space(c))
                    break;
                e -= l;
            }
            p->L[k].ls = ls;
            p->L[k].s = s;
            p->L[k].e = e;
            k++;
        }
        ls = i + 1;
    }
    p->nl = k;
    return PS_OK;
}

/* ---- headings -------------------------------------------------------- */

enum { H_NONE, H_PHAN, H_CHUONG, H_MUC, H_TIEUMUC, H_DIEU, H_ROMAN, H_KHOAN, H_DIEM };

typedef struct heading {
    int type;            /* H_* */
    size_t num_s, num_e; /* the number as written ("II", "5a", "thứ nhất") */
    long val;            /* its value */
    int suffix;          /* "Điều 5a" */
    int strong;          /* punctuation after the number ("Điều 5.") */
    size_t rest;         /* same-line title or text after the mark */
} heading;

/* Value of a Roman numeral (either case: "Chương l" is a typo for I that
 * real texts carry); 0 when s is none. */
static long roman_value(const char *t, size_t s, size_t e)
{
    long v = 0, prev = 0;
    size_t i;
    if (s >= e || e - s > 8)
        return 0;
    for (i = e; i-- > s;) {
        long d;
        switch (t[i] | 0x20) {
        case 'i': d = 1; break;
        case 'v': d = 5; break;
        case 'x': d = 10; break;
        case 'l': d = 50; break;
        case 'c': d = 100; break;
        default: return 0;
        }
        if (d < prev)
            v -= d;
        else
            v += d;
        if (d > prev)
            prev = d;
    }
    return v > 0 ? v : 0;
}

/* Ordinals of "Phần thứ nhất" ... "Phần thứ mười chín". */
static size_t ordinal_at(const char *t, size_t n, size_t i, long *val)
{
    static const char *const units[] = {"nhất", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín"};
    static const char *const teens[] = {"một", "hai", "ba", "bốn", "lăm", "sáu", "bảy", "tám", "chín"};
    size_t e, k;
    if ((e = dv_match(t, n, i, "mười", DV_VN))) {
        size_t s2 = dv_skip_space(t, n, e);
        for (k = 0; k < 9; k++) {
            size_t e2 = dv_match(t, n, s2, teens[k], DV_VN);
            if (e2 && s2 > e) {
                *val = 11 + (long)k;
                return e2;
            }
        }
        *val = 10;
        return e;
    }
    for (k = 0; k < 9; k++)
        if ((e = dv_match(t, n, i, units[k], DV_VN))) {
            *val = 1 + (long)k;
            return e;
        }
    return 0;
}

/* Reads the number after a heading keyword at i: Arabic (with an article's
 * letter suffix), Roman, or (Phần) "thứ" + ordinal. */
static int heading_number(const char *t, size_t e, size_t i, int type, heading *h)
{
    size_t k = i;
    h->suffix = 0;
    if (k < e && dv_is_digit((unsigned char)t[k])) {
        long v = 0;
        while (k < e && dv_is_digit((unsigned char)t[k]) && k - i < 4)
            v = v * 10 + (t[k++] - '0');
        if (k < e && dv_is_digit((unsigned char)t[k]))
            return 0;
        /* "Điều 5a": one small letter glued to the number */
        if (type == H_DIEU && k < e) {
            uint32_t c;
            size_t l = dv_dec(t, e, k, &c);
            if (dv_is_lower(c) && (k + l >= e || !dv_is_alnum((unsigned char)t[k + l]))) {
                k += l;
                h->suffix = 1;
            }
        }
        h->val = v;
    } else if (type == H_PHAN && dv_match(t, e, k, "thứ", DV_VN)) {
        size_t s2 = dv_skip_space(t, e, dv_match(t, e, k, "thứ", DV_VN));
        size_t e2 = ordinal_at(t, e, s2, &h->val);
        if (!e2)
            return 0;
        k = e2;
    } else if (type != H_DIEU) {
        size_t we = dv_word_end(t, e, k);
        h->val = roman_value(t, k, we);
        if (!h->val)
            return 0;
        k = we;
    } else {
        return 0;
    }
    if (k < e) {
        uint32_t c;
        dv_dec(t, e, k, &c);
        if (dv_is_alnum(c))
            return 0;
    }
    h->num_s = i;
    h->num_e = k;
    return 1;
}

/* Recognises a heading at the start of line i. Keyword headings need a
 * capital ("Điều", not "điều" in a wrapped sentence) and, after the
 * number, punctuation, the end of the line, or a capitalised title: a
 * wrapped reference ("Điều 11 của Luật này", "Điều 8, Điều 9") is none.
 * The caller checks numbering for the weak forms. */
static int detect_heading(const parser *p, size_t i, heading *h)
{
    static const struct {
        const char *word;
        int type;
    } keys[] = {
        {"phần", H_PHAN},  {"chương", H_CHUONG}, {"tiểu mục", H_TIEUMUC},
        {"mục", H_MUC},    {"điều", H_DIEU},
    };
    const char *t = p->t;
    size_t s = p->L[i].s, e = p->L[i].e, k, j;
    uint32_t c;
    memset(h, 0, sizeof *h);
    if (s >= e)
        return 0;
    dv_dec(t, e, s, &c);
    if (dv_is_upper(c)) {
        for (k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            size_t ke = dv_match(t, e, s, keys[k].word, DV_VN), ns;
            if (!ke)
                continue;
            /* "Mục tiêu", "Chương trình", "Phần lớn": no number, no heading */
            ns = dv_skip_space(t, e, ke);
            if (ns == ke || !heading_number(t, e, ns, keys[k].type, h))
                return 0;
            h->type = keys[k].type;
            j = dv_skip_space(t, e, h->num_e);
            if (j >= e) {
                h->rest = e;
                return 1;
            }
            dv_dec(t, e, j, &c);
            if (c == '.' || c == ':' ||
                (keys[k].type != H_DIEU && (c == '-' || c == 0x2013))) {
                h->strong = 1;
                j += dv_dec(t, e, j, &c);
                /* "Chương I.-", "Điều 1.:" */
                while (j < e && (t[j] == '.' || t[j] == ':' || t[j] == '-'))
                    j++;
                h->rest = dv_skip_space(t, e, j);
                return 1;
            }
            if (dv_is_upper(c) && j > h->num_e) {
                h->rest = j;
                return 1;
            }
            return 0;
        }
    }
    /* Party parts "I-", "II." and plans' "I. MỤC ĐÍCH" */
    if (c == 'I' || c == 'V' || c == 'X') {
        size_t we = dv_word_end(t, e, s);
        long v = roman_value(t, s, we);
        if (v && we < e && is_roman_word(t, s, we) &&
            (t[we] == '.' || t[we] == '-' || t[we] == ')' || dv_match(t, e, we, "–", DV_VN))) {
            j = we + (t[we] == '.' || t[we] == '-' || t[we] == ')' ? 1 : 3);
            k = dv_skip_space(t, e, j);
            if (k > j && first_is_upper(t, k, e)) {
                h->type = H_ROMAN;
                h->num_s = s;
                h->num_e = we;
                h->val = v;
                h->strong = 1;
                h->rest = k;
                return 1;
            }
        }
        return 0;
    }
    /* khoản "1." "1)" and the Party's "1-"; "1.1." and "2.000" have a digit
     * after the mark and are no khoản */
    if (dv_is_digit(c)) {
        long v = 0;
        j = s;
        while (j < e && dv_is_digit((unsigned char)t[j]) && j - s < 3)
            v = v * 10 + (t[j++] - '0');
        if (j >= e || !(t[j] == '.' || t[j] == ')' || t[j] == '-'))
            return 0;
        k = dv_skip_space(t, e, j + 1);
        if (k == j + 1 || k >= e || dv_is_digit((unsigned char)t[k]))
            return 0;
        h->type = H_KHOAN;
        h->num_s = s;
        h->num_e = j;
        h->val = v;
        h->strong = 1;
        h->rest = k;
        return 1;
    }
    /* điểm "a)", "đ)" */
    if (dv_is_lower(c)) {
        size_t l = dv_dec(t, e, s, &c);
        if (s + l < e && t[s + l] == ')' && (dv_base(c) == (char)c || c == 0x111)) {
            k = dv_skip_space(t, e, s + l + 1);
            if (k == s + l + 1 || k >= e)
                return 0;
            h->type = H_DIEM;
            h->num_s = s;
            h->num_e = s + l;
            h->val = c == 0x111 ? 'd' * 2 + 1 : (long)c * 2;
            h->strong = 1;
            h->rest = k;
            return 1;
        }
    }
    return 0;
}

/* Order of điểm letters: a b c d đ e g h i k l m n o p q r s t u v x y
 * (the Vietnamese alphabet has no f, j, w, z). val is 2*letter, +1 for đ. */
static int diem_index(long val)
{
    static const char order[] = "abcd_eghiklmnopqrstuvxy";
    const char *q;
    if (val == 'd' * 2 + 1)
        return 4;
    q = strchr(order, (int)(val / 2));
    return q && *q != '_' ? (int)(q - order) : -1;
}

/* ---- signatures --------------------------------------------------------- */

/* A person's name: two to six capitalised words of small letters
 * ("Tô Lâm", "Nguyễn Thị Kim Ngân"), nothing else on the line. */
static int is_name(const char *t, size_t s, size_t e)
{
    size_t words = 0;
    uint32_t c;
    if (s >= e || e - s > 60)
        return 0;
    while (s < e) {
        size_t l = dv_dec(t, e, s, &c), we;
        if (dv_is_space(c)) {
            s += l;
            continue;
        }
        if (!dv_is_upper(c))
            return 0;
        we = dv_word_end(t, e, s);
        /* "Chương I" is no name: each word has two letters at least */
        if (we == s || we == s + l)
            return 0;
        for (s += l; s < we;) {
            s += dv_dec(t, we, s, &c);
            if (!dv_is_lower(c) && !(c >= 0x300 && c <= 0x36F))
                return 0;
        }
        words++;
        /* "Hồ Chí Minh" and "Trần Cẩm Tú" have no punctuation */
        if (s < e) {
            dv_dec(t, e, s, &c);
            if (!dv_is_space(c))
                return 0;
        }
    }
    return words >= 2 && words <= 6;
}

/* Splits a signature line written in capitals from a name that follows it
 * on the same line ("CHỦ TỊCH QUỐC HỘI Vương Đình Huệ"): returns where
 * the name starts, e when there is none. */
static size_t trailing_name(const char *t, size_t s, size_t e)
{
    size_t i = s, start = e;
    uint32_t c;
    /* the name is the first word that is not all capitals, to the end */
    while (i < e) {
        size_t l = dv_dec(t, e, i, &c), we;
        if (!dv_is_alnum(c)) {
            i += l;
            continue;
        }
        we = dv_word_end(t, e, i);
        {
            size_t up, lo;
            count_case(t, i, we, &up, &lo);
            if (lo && up == 1 && dv_is_upper(c)) {
                start = i;
                break;
            }
        }
        i = we;
    }
    if (start < e && start > s && is_name(t, start, e))
        return start;
    return e;
}

enum { SIG_NONE, SIG_TM, SIG_KT, SIG_TL, SIG_Q, SIG_TUQ };

/* "T/M BỘ CHÍNH TRỊ", "TM. CHÍNH PHỦ", "KT. BỘ TRƯỞNG", "T/L BAN BÍ THƯ",
 * "Q. CHỦ TỊCH", "TUQ. BỘ TRƯỞNG": the mark says on whose behalf the
 * signer signs. Written in capitals, followed by a capitalised name.
 * Returns SIG_* and sets *rest to the text after the mark. */
static int sig_mark(const parser *p, size_t i, size_t *rest)
{
    /* bare marks ("TM CHÍNH PHỦ") need the space after them: "TMĐT" or
     * "KTXH" are words, not marks */
    static const struct {
        const char *mark;
        int kind;
        int bare;
    } marks[] = {
        {"T/M", SIG_TM, 0},  {"TM.", SIG_TM, 0},  {"TM", SIG_TM, 1},   {"K/T", SIG_KT, 0},
        {"KT.", SIG_KT, 0},  {"KT", SIG_KT, 1},   {"T/L", SIG_TL, 0},  {"TL.", SIG_TL, 0},
        {"TL", SIG_TL, 1},   {"TUQ.", SIG_TUQ, 0}, {"TUQ", SIG_TUQ, 1}, {"Q.", SIG_Q, 0},
    };
    const char *t = p->t;
    size_t s = p->L[i].s, e = p->L[i].e, k;
    for (k = 0; k < sizeof marks / sizeof marks[0]; k++) {
        size_t ml = strlen(marks[k].mark), j;
        if (e - s <= ml || memcmp(t + s, marks[k].mark, ml) != 0)
            continue;
        j = dv_skip_space(t, e, s + ml);
        if (marks[k].bare && j == s + ml)
            continue;
        if (!first_is_upper(t, j, e) || !is_caps(t, j, trailing_name(t, j, e)))
            continue;
        *rest = j;
        return marks[k].kind;
    }
    return SIG_NONE;
}

/* "(đã ký)", "Đã ký", "(Đã ký và đóng dấu)", "(ký tên)", "[Signed]": the
 * marks copies carry where the signature was. */
static int is_signed_line(const parser *p, size_t i)
{
    const char *t = p->t;
    size_t s = p->L[i].s, e = p->L[i].e;
    while (s < e && (t[s] == '(' || t[s] == '[' || t[s] == ' '))
        s++;
    if (s >= e || e - s > 40)
        return 0;
    return dv_match(t, e, s, "đã ký", DV_VN) || dv_match(t, e, s, "ký tên", DV_VN) ||
           dv_match(t, e, s, "ký", DV_VN) || dv_match(t, e, s, "signed", DV_VN) ||
           dv_match(t, e, s, "đã ký", DV_FOLD);
}

/* Next non-empty line after i within limit lines, NONE when none. */
static size_t next_line(const parser *p, size_t i, size_t limit)
{
    size_t j;
    for (j = i + 1; j < p->nl && j <= i + limit; j++)
        if (!is_empty(p, j) && !is_decor_line(p, j))
            return j;
    return NONE;
}

/* "Luật này đã được Quốc hội ... thông qua ngày ...": the adoption formula
 * that ends a law's body. */
static int is_adoption(const parser *p, size_t i)
{
    const char *t = p->t;
    size_t s = p->L[i].s, e = p->L[i].e, te;
    if (!first_is_upper(t, s, e) || !dv_doctype_at(t, e, s, &te))
        return 0;
    te = dv_skip_space(t, e, te);
    if (!(te = dv_match(t, e, te, "này", DV_VN)))
        return 0;
    /* "... này (đã) được Quốc hội", "... này do Quốc hội": a passive
     * sentence; "Luật này sửa đổi ... thông qua" is the body */
    te = dv_skip_space(t, e, te);
    if (!(dv_match(t, e, te, "đã được", DV_VN) || dv_match(t, e, te, "được", DV_VN) ||
          dv_match(t, e, te, "do", DV_VN) || dv_match(t, e, te, "đã do", DV_VN)))
        return 0;
    return find_word(t, te, e, "thông qua", DV_VN) != NONE;
}

/* Whether line i opens a signature block (or the closing lines before it). */
static int is_sig_opener(const parser *p, size_t i)
{
    const char *t = p->t;
    size_t s = p->L[i].s, e = p->L[i].e, rest, j;
    heading h;
    if (s >= e)
        return 0;
    if (sig_mark(p, i, &rest))
        return 1;
    if (dv_match(t, e, s, "nơi nhận", DV_VN))
        return 1;
    if (is_adoption(p, i))
        return 1;
    if (e - s > 80)
        return 0;
    /* "CHỦ TỊCH QUỐC HỘI" over a name or "(Đã ký)"; "Võ Chí Công" over
     * "(Đã ký)" */
    if (is_caps(t, s, e) && !detect_heading(p, i, &h)) {
        if (trailing_name(t, s, e) < e)
            return 1;
        j = next_line(p, i, 2);
        if (j != NONE && (is_signed_line(p, j) || is_name(t, p->L[j].s, p->L[j].e)))
            return 1;
        if (j != NONE && is_caps(t, p->L[j].s, p->L[j].e) && !detect_heading(p, j, &h)) {
            size_t j2 = next_line(p, j, 2);
            if (j2 != NONE && (is_signed_line(p, j2) || is_name(t, p->L[j2].s, p->L[j2].e)))
                return 1;
        }
        return 0;
    }
    if (is_name(t, s, e)) {
        j = next_line(p, i, 1);
        return j != NONE && is_signed_line(p, j);
    }
    return 0;
}

/* A document attached after a signature (the regulation a decision issues,
 * an appendix): a line in capitals that starts with a type word or
 * "PHỤ LỤC". */
static int is_attachment_start(const parser *p, size_t i)
{
    const char *t = p->t;
    size_t s = p->L[i].s, e = p->L[i].e, te;
    if (s >= e || !is_caps(t, s, e))
        return 0;
    return dv_doctype_at(t, e, s, &te) || dv_match(t, e, s, "phụ lục", DV_VN) ||
           dv_match(t, e, s, "điều lệ", DV_VN) || dv_match(t, e, s, "danh mục", DV_VN);
}

/* ---- the header ---------------------------------------------------- */

/* A body sentence: not in capitals, six words or more, ending in '.',
 * ';' or ':' ("Kính gửi: Cục Thuế các tỉnh.", "Thực hiện Chỉ thị ..., Ban
 * Tuyên giáo hướng dẫn như sau:"). A header line never is one; a
 * "Hà Nội, ngày ..." line that ends with a dot is a header line still. */
static int is_body_sentence(const parser *p, size_t i)
{
    const char *t = p->t;
    size_t s = p->L[i].s, e = p->L[i].e, words = 0, q;
    uint32_t c, prev = ' ';
    char iso[11];
    if (s >= e || !strchr(".;:", t[e - 1]) || is_caps(t, s, e) || dv_match(t, e, s, "số", DV_VN))
        return 0;
    for (q = s; q < e;) {
        size_t l = dv_dec(t, e, q, &c);
        if (dv_is_alnum(c) && !dv_is_alnum(prev))
            words++;
        prev = c;
        q += l;
    }
    if (words < 6)
        return 0;
    q = find_word(t, s, e, "ngày", DV_VN);
    if (q != NONE && q > s + 1 && ps_date_parse(t + q, e - q, iso) &&
        t[trim_back(t, s, q) - 1] == ',')
        return 0;
    return 1;
}

/* Where the header zone ends: the first "Căn cứ" line, heading, body
 * sentence, signature, or line too long for a header. */
static void find_header_zone(parser *p)
{
    size_t i;
    heading h;
    for (i = 0; i < p->nl && i < HEADER_MAX_LINES; i++) {
        const line *l = &p->L[i];
        if (l->s >= l->e)
            continue;
        if (l->e - l->s > HEADER_MAX_LINE)
            break;
        if (dv_match(p->t, l->e, l->s, "căn cứ", DV_VN))
            break;
        if (detect_heading(p, i, &h) || is_body_sentence(p, i) || is_sig_opener(p, i))
            break;
    }
    p->hz = i;
}

/* Access marking: a header line that is only the stamp ("MẬT", "TỐI MẬT",
 * "TUYỆT MẬT", "LƯU HÀNH NỘI BỘ"), possibly in brackets. A word "mật" in
 * a sentence is no marking, nor is anything past the header. */
static void parse_access(parser *p)
{
    size_t i;
    int level = PS_ACCESS_PUBLIC;
    /* the strongest marking found wins ("MẬT" and "TỐI MẬT" together:
     * secret) */
    for (i = 0; i < p->hz; i++) {
        const char *t = p->t;
        size_t s = p->L[i].s, e = p->L[i].e, m;
        while (s < e && (t[s] == '(' || t[s] == '[' || t[s] == '*' || t[s] == ' '))
            s++;
        while (e > s && (t[e - 1] == ')' || t[e - 1] == ']' || t[e - 1] == '*' || t[e - 1] == ' '))
            e--;
        if (s >= e)
            continue;
        if ((m = dv_match(t, e, s, "tuyệt mật", DV_VN)) == e || (m = dv_match(t, e, s, "tối mật", DV_VN)) == e) {
            level = PS_ACCESS_SECRET;
        } else if (dv_match(t, e, s, "mật", DV_VN) == e && is_caps(t, s, e)) {
            if (level < PS_ACCESS_RESTRICTED)
                level = PS_ACCESS_RESTRICTED;
        } else if (dv_match(t, e, s, "lưu hành nội bộ", DV_VN) == e) {
            if (level < PS_ACCESS_INTERNAL)
                level = PS_ACCESS_INTERNAL;
        }
    }
    if (p->doc->meta.access == PS_ACCESS_PUBLIC)
        p->doc->meta.access = level;
}

/* Length of the white space code point that ends at e (> lo), 0 when
 * the code point there is not white space. Whole code points: a byte 0xA0
 * alone is the tail of "à" or "Ạ" (C3 A0, E1 BA A0), not a no-break
 * space (C2 A0), and trimming it would cut the letter in two. */
static size_t space_before(const char *t, size_t lo, size_t e)
{
    size_t l;
    uint32_t c;
    if (e <= lo)
        return 0;
    l = dv_prev_len(t, e);
    if (l > e - lo)
        l = e - lo;
    if (dv_dec(t, e, e - l, &c) != l || !dv_is_space(c))
        return 0;
    return l;
}

/* Copies the number [s, e) without the white space scraped pages put in
 * it ("QH 11" -> "QH11"): a number never holds a space. */
static const char *number_copy(parser *p, size_t s, size_t e)
{
    char *b = ps_arena_alloc(p->doc->arena, e - s + 1);
    size_t o = 0;
    uint32_t c;
    if (!b) {
        p->rc = PS_ENOMEM;
        return NULL;
    }
    while (s < e) {
        size_t l = dv_dec(p->t, e, s, &c);
        if (!dv_is_space(c)) {
            memcpy(b + o, p->t + s, l);
            o += l;
        }
        s += l;
    }
    b[o] = '\0';
    return b;
}

/* The number after a "số" at i in t, NONE when none: "Số 57-NQ/TW", "Số:
 * 30/2020/NĐ-CP", "Luật số: 45/2019/QH14", "LUẬT SỐ 102-SL/L-004". A
 * header number has a letter part or at least a year: "Số: 15" alone is
 * too little to be sure of. Sets *ne to its end. */
static size_t number_after_so(const char *t, size_t i, size_t e, size_t *ne)
{
    size_t k = dv_match(t, e, i, "số", DV_VN), end, l;
    int letter = 0, parts = 0;
    if (!k)
        return NONE;
    k = dv_skip_space(t, e, k);
    if (k < e && t[k] == ':')
        k = dv_skip_space(t, e, k + 1);
    end = dv_docnum_at(t, e, k, 1, &letter, &parts);
    if (!end || (!letter && parts < 2))
        return NONE;
    while ((l = space_before(t, k, end)) > 0)
        end -= l;
    *ne = end;
    return k;
}

static void parse_number(parser *p)
{
    size_t i;
    const char *t = p->t;
    if (p->doc->meta.number)
        return;
    for (i = 0; i < p->hz; i++) {
        size_t s = p->L[i].s, e = p->L[i].e, j = s, te, ns, ne, k;
        uint32_t c, prev = ' ';
        /* "Số:" alone, the number on the next line (a table cell each) */
        if ((k = dv_match(t, e, s, "số", DV_VN)) && t[s] == 'S') {
            k = dv_skip_space(t, e, k);
            if (k < e && t[k] == ':')
                k = dv_skip_space(t, e, k + 1);
            if (k >= e && i + 1 < p->hz) {
                size_t s2 = p->L[i + 1].s, e2 = p->L[i + 1].e;
                int letter = 0, parts = 0;
                ne = dv_docnum_at(t, e2, s2, 1, &letter, &parts);
                if (ne && letter) {
                    while ((k = space_before(t, s2, ne)) > 0)
                        ne -= k;
                    p->doc->meta.number = number_copy(p, s2, ne);
                    return;
                }
            }
        }
        /* "Luật số:", "Bộ luật số:", "Nghị quyết số" at the line start */
        if (first_is_upper(t, s, e) && dv_doctype_at(t, e, s, &te)) {
            ns = number_after_so(t, dv_skip_space(t, e, te), e, &ne);
            if (ns != NONE) {
                p->doc->meta.number = number_copy(p, ns, ne);
                return;
            }
        }
        /* "Số", "SỐ" with a capital anywhere in a header line (flattened
         * headers put it after the issuer: "BỘ CHÍNH TRỊ Số 57-NQ/TW");
         * "số" in small letters belongs to a sentence */
        while (j < e) {
            size_t l = dv_dec(t, e, j, &c);
            if ((c == 'S') && !dv_is_alnum(prev)) {
                ns = number_after_so(t, j, e, &ne);
                if (ns != NONE) {
                    p->doc->meta.number = number_copy(p, ns, ne);
                    return;
                }
            }
            prev = c;
            j += l;
        }
    }
}

/* Place before ", ngày": the capitalised words ending at the comma at
 * `comma` ("Hà Nội", "TP. Hồ Chí Minh"). */
static void parse_place(parser *p, size_t s, size_t comma)
{
    const char *t = p->t;
    size_t start = comma, k = 0;
    uint32_t c;
    if (p->doc->meta.place)
        return;
    /* back word by word while the words are capitalised, six at most
     * ("Thành phố Hồ Chí Minh"); a number or a small word stops it */
    while (k < 6) {
        size_t e = start, w;
        while (e > s) {
            size_t l = dv_prev_len(t, e);
            dv_dec(t, e, e - l, &c);
            if (!dv_is_space(c))
                break;
            e -= l;
        }
        if (e > s && t[e - 1] == '.')
            e--; /* "TP." */
        w = e;
        while (w > s) {
            size_t l = dv_prev_len(t, w);
            dv_dec(t, w, w - l, &c);
            if (!dv_is_letter(c))
                break;
            w -= l;
        }
        if (w == e || !first_is_upper(t, w, e))
            break;
        start = w;
        k++;
    }
    comma = trim_back(t, start, comma);
    if (start < comma)
        p->doc->meta.place = pstr(p, t + start, comma - start);
}

/* "Hà Nội, ngày 22 tháng 12 năm 2024" in the header, or a line that is
 * only a date. "(Từ ngày 17 tháng 10 đến ngày 29 tháng 11 năm 2006)" (a
 * session) is neither. */
static void parse_header_date(parser *p)
{
    size_t i;
    const char *t = p->t;
    char iso[11];
    for (i = 0; i < p->hz; i++) {
        size_t s = p->L[i].s, e = p->L[i].e, j = s;
        uint32_t c, prev = ' ';
        /* "(Từ ngày 17 tháng 10 đến ngày 29 tháng 11 năm 2006)": a session */
        if (s < e && t[s] == '(')
            continue;
        while (j < e) {
            size_t l = dv_dec(t, e, j, &c), k, q;
            if (!dv_is_alnum(prev) && (c == 'n' || c == 'N') &&
                (k = ps_date_parse(t + j, e - j, iso))) {
                /* the place ends with a comma right before "ngày" */
                q = j;
                while (space_before(t, s, q))
                    q -= space_before(t, s, q);
                if ((q > s && t[q - 1] == ',') || (q == s && dv_skip_space(t, e, j + k) >= e - 1)) {
                    if (!p->doc->meta.date)
                        p->doc->meta.date = pstr(p, iso, 10);
                    if (q > s)
                        parse_place(p, s, q - 1);
                    return;
                }
            }
            prev = c;
            j += l;
        }
    }
}

/* The type line: a line in capitals in the header that starts with a type
 * word ("NGHỊ QUYẾT", "LUẬT", "BỘ LUẬT", "LUẬT SỐ 102-SL/L-004 ..."). */
static void find_type_line(parser *p)
{
    size_t i;
    const char *t = p->t;
    p->type_line = NONE;
    for (i = 0; i < p->hz; i++) {
        size_t s = p->L[i].s, e = p->L[i].e, te, up, lo;
        const dv_doctype *dt;
        if (s >= e || !(dt = dv_doctype_at(t, e, s, &te)))
            continue;
        /* the type word in capitals: "Nghị quyết số ..." is a sentence */
        count_case(t, s, te, &up, &lo);
        if (lo)
            continue;
        /* what follows the word: nothing, ":" or more capitals */
        {
            size_t k = dv_skip_space(t, e, te);
            if (k < e && !(t[k] == ':' || first_is_upper(t, k, e) || t[k] == '(' ||
                           dv_is_digit((unsigned char)t[k])))
                continue;
        }
        p->type_line = i;
        p->type = dt;
        return;
    }
}

/* Whether [s, e) starts with the word at i being one of "của", "số",
 * "ngày", "về" (the clauses a title block strings together). */
static int clause_word(const char *t, size_t e, size_t i, const char *w)
{
    return dv_match(t, e, i, w, DV_VN) != 0;
}

/* Issuer named in a title clause "CỦA BỘ CHÍNH TRỊ" ([s, e) after "của"),
 * cut before "NƯỚC", "KHÓA", "SỐ", "NGÀY", "VỀ": accepted only when it is
 * a known central body. */
static void title_issuer(parser *p, const char *t, size_t s, size_t e)
{
    size_t i = s, cut = e;
    static const char *const stops[] = {"nước", "khóa", "khoá", "số", "ngày", "về", "kỳ", "tại", "lần"};
    uint32_t c, prev = ' ';
    int k;
    if (p->title_issuer)
        return;
    while (i < e && cut == e) {
        size_t l = dv_dec(t, e, i, &c), q;
        if (!dv_is_alnum(prev) && dv_is_alnum(c))
            for (q = 0; q < sizeof stops / sizeof stops[0]; q++)
                if (dv_match(t, e, i, stops[q], DV_VN)) {
                    cut = i;
                    break;
                }
        prev = c;
        i += l;
    }
    k = known_issuer(t, s, cut);
    if (k >= 0 && issuers[k].central)
        p->title_issuer = issuers[k].display;
}

/* Strips the clauses old titles put before the name ("CỦA QUỐC HỘI ... SỐ
 * 24/2000/QH10 NGÀY 09 THÁNG 12 NĂM 2000 VỀ KINH DOANH BẢO HIỂM"), noting an
 * issuer named there. Returns where the name or subject starts. */
static size_t skip_title_clauses(parser *p, const char *t, size_t i, size_t e, int law)
{
    char iso[11];
    int skipped = 0;
    for (;; skipped = 1) {
        size_t k;
        i = dv_skip_space(t, e, i);
        if (i >= e)
            return e;
        if (clause_word(t, e, i, "của")) {
            size_t s = dv_skip_space(t, e, dv_match(t, e, i, "của", DV_VN)), q = s;
            uint32_t c, prev = ' ';
            while (q < e) {
                size_t l = dv_dec(t, e, q, &c);
                if (!dv_is_alnum(prev) && (clause_word(t, e, q, "số") || clause_word(t, e, q, "ngày") ||
                                           clause_word(t, e, q, "về")))
                    break;
                prev = c;
                q += l;
            }
            title_issuer(p, t, s, q);
            i = q;
            continue;
        }
        if (clause_word(t, e, i, "số")) {
            size_t ne, ns = number_after_so(t, i, e, &ne);
            if (ns == NONE)
                return i;
            i = ne;
            continue;
        }
        if (clause_word(t, e, i, "ngày") && (k = ps_date_parse(t + i, e - i, iso))) {
            i += k;
            continue;
        }
        break;
    }
    /* "... VỀ KINH DOANH BẢO HIỂM": after those clauses "về" introduces the
     * name; a law titled "VỀ TỔ CHỨC ..." keeps it */
    if (law && skipped && clause_word(t, e, i, "về"))
        i = dv_skip_space(t, e, dv_match(t, e, i, "về", DV_VN));
    return i;
}

/* Where the name ends before clauses that trail it: "DOANH NGHIỆP TƯ
 * NHÂN CỦA QUỐC HỘI SỐ 48-LCT/HĐNN8 NGÀY 21/12/1990" -> "DOANH NGHIỆP TƯ
 * NHÂN". A "của" clause counts only when it names a known body and then
 * ends or goes on with "số", "ngày", "nước", "khóa": "giám sát của Quốc
 * hội và Hội đồng nhân dân" is part of a name. */
static size_t cut_trailing_clauses(parser *p, const char *t, size_t s, size_t e)
{
    static const char *const stops[] = {"số", "ngày", "nước", "khóa", "khoá", "kỳ"};
    size_t i = s;
    uint32_t c, prev = 'x';
    char iso[11];
    while (i < e) {
        size_t l = dv_dec(t, e, i, &c), ne, q, k;
        if (dv_is_alnum(prev) || !dv_is_alnum(c) || i == s) {
            prev = c;
            i += l;
            continue;
        }
        if (clause_word(t, e, i, "số") && number_after_so(t, i, e, &ne) != NONE)
            return trim_back(t, s, i);
        if (clause_word(t, e, i, "ngày") && ps_date_parse(t + i, e - i, iso))
            return trim_back(t, s, i);
        if (clause_word(t, e, i, "của")) {
            size_t bs = dv_skip_space(t, e, dv_match(t, e, i, "của", DV_VN));
            uint32_t c2, pr2 = ' ';
            for (q = bs; q < e;) {
                size_t l2 = dv_dec(t, e, q, &c2), hit = 0;
                if (!dv_is_alnum(pr2) && dv_is_alnum(c2))
                    for (k = 0; k < sizeof stops / sizeof stops[0] && !hit; k++)
                        hit = dv_match(t, e, q, stops[k], DV_VN);
                if (hit)
                    break;
                pr2 = c2;
                q += l2;
            }
            {
                int ki = known_issuer(t, bs, trim_back(t, bs, q));
                if (ki >= 0 && issuers[ki].display) {
                    if (!p->title_issuer && issuers[ki].central)
                        p->title_issuer = issuers[ki].display;
                    return trim_back(t, s, i);
                }
            }
        }
        prev = c;
        i += l;
    }
    return e;
}

/* Whether line i starts with a known body's name ("QUỐC HỘI KHÓA XII, KỲ
 * HỌP THỨ 2", "CHỦ TỊCH NƯỚC VIỆT NAM DÂN CHỦ CỘNG HOÀ"): after a title it
 * is the session or the promulgation, not more title. */
static int starts_with_issuer(const parser *p, size_t i)
{
    const char *t = p->t;
    size_t s = p->L[i].s, e = p->L[i].e, q = s, words = 0;
    uint32_t c, prev = ' ';
    while (q <= e && words < 8) {
        size_t l = q < e ? dv_dec(t, e, q, &c) : 1;
        if (q == e || (!dv_is_alnum(c) && dv_is_alnum(prev))) {
            int k = known_issuer(t, s, q);
            words++;
            if (k >= 0 && issuers[k].display)
                return 1;
        }
        if (q == e)
            break;
        prev = c;
        q += l;
    }
    return 0;
}

/* Whether line i ends like a sentence (';', ':', '.'): a preamble or a
 * body line, never a title. */
static int ends_sentence(const parser *p, size_t i)
{
    size_t e = p->L[i].e;
    return e > p->L[i].s && strchr(";:.", p->t[e - 1]) != NULL;
}

/* "CỦA BỘ CHÍNH TRỊ" opening a line in capitals, or following the type
 * word on one ("KẾT LUẬN CỦA BAN BÍ THƯ"): notes the issuer it names. */
static void caps_line_issuer(parser *p, size_t s, size_t e)
{
    const char *t = p->t;
    size_t te, q;
    if (dv_doctype_at(t, e, s, &te))
        s = dv_skip_space(t, e, te);
    if ((q = dv_match(t, e, s, "của", DV_VN)))
        title_issuer(p, t, dv_skip_space(t, e, q), e);
}

/* Sets the title from the lines in capitals (old layouts and laws): the
 * clauses before and after the name go ("CỦA QUỐC HỘI ... SỐ ... NGÀY ...
 * VỀ ..."), then sentence case; a law's title is its name with its type
 * ("Luật Thủy lợi"). */
static void title_from_caps(parser *p, const char *raw, size_t n, int law)
{
    size_t st = skip_title_clauses(p, raw, 0, n, law), en = n, len, z = 0;
    char *b;
    if (law)
        en = cut_trailing_clauses(p, raw, st, n);
    if (st >= en || p->doc->meta.title)
        return;
    b = collapse(p, raw, st, en, &len);
    if (!b)
        return;
    strip_decor(b, &z, &len);
    if (len <= z)
        return;
    b += z;
    len -= z;
    b[len] = '\0';
    sentence_case(b, len, 0);
    if (law) {
        char *nb;
        upper_at(b, len, 0);
        nb = ps_arena_sprintf(p->doc->arena, "%s %s", p->type->display, b);
        if (!nb)
            p->rc = PS_ENOMEM;
        p->doc->meta.title = nb;
    } else {
        p->doc->meta.title = b;
    }
}

/* The title block: the rest of the type line and the lines after it, up
 * to a blank line, "-----", "Căn cứ", a sentence or a heading. Two layouts:
 *   - a subject in small letters under the heading in capitals ("NGHỊ
 *     QUYẾT" / "CỦA BỘ CHÍNH TRỊ" or "HỘI NGHỊ LẦN THỨ SÁU ..." / "về đột
 *     phá ..."): the title is the subject as written; the capitals above
 *     it name the issuer or the meeting;
 *   - everything in capitals ("LUẬT" / "THỦY LỢI", "NGHỊ QUYẾT" / "VỀ ..."):
 *     the title is those lines, recased.
 * A line in capitals after the subject ("THỦ TƯỚNG CHÍNH PHỦ" over the
 * "Căn cứ" lines) or a session line ("QUỐC HỘI KHÓA XII, KỲ HỌP THỨ 2")
 * after a name closes the block. */
static void parse_title(parser *p)
{
    const char *t = p->t;
    size_t i = p->type_line, lines = 0, k, s, e;
    ps_buf caps, mixed;
    int law, caps_closed = 0;
    if (i == NONE)
        return;
    law = p->type->law;
    ps_buf_init(&caps, 1 << 16);
    ps_buf_init(&mixed, 1 << 16);
    s = p->L[i].s;
    e = p->L[i].e;
    caps_line_issuer(p, s, e);
    dv_doctype_at(t, e, s, &k);
    k = dv_skip_space(t, e, k);
    if (k < e && t[k] == ':')
        k = e; /* "QUYẾT ĐỊNH:" is a formula, never a title */
    if (k < e)
        ps_buf_add(&caps, t + k, e - k);
    for (i = i + 1; i < p->hz && lines < 6; i++) {
        s = p->L[i].s;
        e = p->L[i].e;
        if (s >= e) {
            if (caps.len || mixed.len)
                break;
            continue;
        }
        if (is_decor_line(p, i) || dv_match(t, e, s, "căn cứ", DV_VN) ||
            dv_match(t, e, s, "kính gửi", DV_VN) || e - s > HEADER_MAX_LINE || t[s] == '(')
            break;
        if (is_caps(t, s, e)) {
            if (mixed.len)
                break;
            /* a date line "Hà Nội, ngày ..." in capitals */
            if (find_word(t, s, e, "ngày", DV_VN) != NONE && caps.len &&
                find_word(t, s, e, "số", DV_VN) == NONE)
                break;
            /* "BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG KHÓA XII" under "HỘI NGHỊ LẦN
             * THỨ SÁU", "CỦA QUỐC HỘI KHÓA XII, KỲ HỌP THỨ 5" after a name:
             * no more name, but a subject may still follow */
            caps_line_issuer(p, s, e);
            if (caps.len && (starts_with_issuer(p, i) || dv_match(t, e, s, "của", DV_VN)))
                caps_closed = 1;
            if (caps_closed)
                continue;
            if (caps.len)
                ps_buf_addc(&caps, ' ');
            ps_buf_add(&caps, t + s, e - s);
            lines++;
            continue;
        }
        if (ends_sentence(p, i))
            break;
        if (mixed.len)
            ps_buf_addc(&mixed, ' ');
        ps_buf_add(&mixed, t + s, e - s);
        lines++;
    }
    p->title_end = i;
    if (caps.err == PS_ENOMEM || mixed.err == PS_ENOMEM) {
        p->rc = PS_ENOMEM;
    } else if (mixed.len) {
        if (!p->doc->meta.title) {
            size_t len;
            char *b = collapse(p, mixed.data, 0, mixed.len, &len);
            if (b && len)
                p->doc->meta.title = b;
        }
        /* still read the clauses for the issuer they may name */
        if (caps.len)
            skip_title_clauses(p, caps.data, 0, caps.len, law);
    } else if (caps.len) {
        title_from_caps(p, caps.data, caps.len, law);
    }
    ps_buf_fin(&caps);
    ps_buf_fin(&mixed);
}

/* A letter's subject: "V/v hướng dẫn ..." under its number, possibly
 * wrapped onto a second line. */
static void parse_subject_line(parser *p)
{
    const char *t = p->t;
    size_t i;
    for (i = 0; i < p->hz; i++) {
        size_t s = p->L[i].s, e = p->L[i].e, k, j;
        if (!(k = dv_match(t, e, s, "v/v", DV_VN)))
            continue;
        p->has_vv = 1;
        if (p->doc->meta.title)
            return;
        k = dv_skip_space(t, e, k);
        if (k < e && t[k] == ':')
            k = dv_skip_space(t, e, k + 1);
        j = next_line(p, i, 1);
        if (j != NONE && j < p->hz && first_is_lower(t, p->L[j].s, p->L[j].e))
            e = p->L[j].e;
        {
            size_t len;
            char *b = collapse(p, t, k, e, &len);
            if (b && len)
                p->doc->meta.title = b;
        }
        return;
    }
}

/* Issuer lines: the header lines in capitals before the number, the date
 * and the type line, without the Party's and the State's names above the
 * motto ("ĐẢNG CỘNG SẢN VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
 * "Độc lập - Tự do - Hạnh phúc"). A line naming a province or a city
 * continues the line above ("ỦY BAN NHÂN DÂN" / "TỈNH NGHỆ AN"); of two
 * bodies the lower one issues ("BỘ TÀI CHÍNH" / "TỔNG CỤC THUẾ"). */
/* Whether an issuer's display form names a Party committee: "Tỉnh ủy
 * Nghệ An", "Thành ủy Hà Nội", "Đảng ủy ..." (its boards issue in its
 * name: "Ban Thường vụ Tỉnh ủy Nghệ An"). */
static int is_party_committee(const char *d)
{
    static const char *const c[] = {"tỉnh ủy", "thành ủy", "huyện ủy", "quận ủy", "thị ủy", "đảng ủy"};
    size_t k, n;
    if (!d)
        return 0;
    n = strlen(d);
    for (k = 0; k < sizeof c / sizeof c[0]; k++)
        if (dv_match(d, n, 0, c[k], DV_FOLD))
            return 1;
    return 0;
}

/* "<body> <parent>": a board named under its committee ("Ban Tuyên
 * giáo" under the Central Committee is "Ban Tuyên giáo Trung ương"; "Ban
 * Thường vụ" under "Tỉnh ủy Nghệ An" is "Ban Thường vụ Tỉnh ủy Nghệ An"). */
static const char *under_committee(parser *p, const char *body, const char *parent)
{
    char *r;
    size_t bn;
    if (!body || !parent)
        return body;
    bn = strlen(body);
    if (strcmp(parent, "Ban Chấp hành Trung ương") == 0) {
        if (bn >= 11 && strcmp(body + bn - 11, "Trung ương") == 0)
            return body;
        parent = "Trung ương";
    } else if (!is_party_committee(parent)) {
        return body;
    }
    r = ps_arena_sprintf(p->doc->arena, "%s %s", body, parent);
    if (!r)
        p->rc = PS_ENOMEM;
    return r;
}

static const char *header_issuer(parser *p)
{
    const char *t = p->t;
    size_t i, is = NONE, ie = NONE, ps = NONE, pe = NONE;
    const char *child, *parent;
    for (i = 0; i < p->hz; i++) {
        size_t s = p->L[i].s, e = p->L[i].e, m, te;
        if (s >= e || is_decor_line(p, i))
            continue;
        if (i == p->type_line || (dv_doctype_at(t, e, s, &te) && is_caps(t, s, te)))
            break;
        if (dv_match(t, e, s, "số", DV_VN) || find_word(t, s, e, "ngày", DV_VN) != NONE)
            break;
        {
            /* "BỘ TÀI CHÍNH Số: 123/BTC-CST" flattened on one line */
            size_t q = find_word(t, s, e, "số", DV_VN), ne;
            if (q != NONE && number_after_so(t, q, e, &ne) != NONE)
                e = q;
        }
        /* the motto and the names above it are cut off wherever they are */
        if ((m = find_word(t, s, e, "cộng hòa xã hội", DV_FOLD)) != NONE ||
            (m = find_word(t, s, e, "đảng cộng sản việt nam", DV_FOLD)) != NONE ||
            (m = find_word(t, s, e, "độc lập", DV_FOLD)) != NONE)
            e = m;
        strip_decor(t, &s, &e);
        if (s >= e || !is_caps(t, s, e) || e - s > 120)
            continue;
        if (dv_match(t, e, s, "mật", DV_VN) == e || dv_match(t, e, s, "tối mật", DV_VN) == e ||
            dv_match(t, e, s, "tuyệt mật", DV_VN) == e || dv_match(t, e, s, "khẩn", DV_VN))
            continue;
        {
            int k = known_issuer(t, s, e);
            if (k >= 0 && !issuers[k].display)
                continue; /* "SẮC LỆNH": an instrument, not a body */
        }
        {
            size_t u, cont = 0;
            for (u = 0; u < sizeof admin_units / sizeof admin_units[0]; u++)
                if (dv_match(t, e, s, admin_units[u], DV_VN) &&
                    !(dv_match(t, e, s, "tỉnh ủy", DV_FOLD) || dv_match(t, e, s, "thành ủy", DV_FOLD) ||
                      dv_match(t, e, s, "huyện ủy", DV_FOLD) || dv_match(t, e, s, "quận ủy", DV_FOLD)))
                    cont = 1;
            if (cont && is != NONE) {
                ie = e;
                continue;
            }
        }
        ps = is;
        pe = ie;
        is = s;
        ie = e;
    }
    if (is == NONE)
        return NULL;
    child = issuer_display(p, is, ie);
    if (ps == NONE)
        return child;
    {
        int k = known_issuer(t, is, ie);
        if (k >= 0 && issuers[k].central)
            return child;
    }
    parent = issuer_display(p, ps, pe);
    return under_committee(p, child, parent);
}

/* ---- the signature ------------------------------------------------ */

typedef struct sig_info {
    const char *body;   /* "T/M BỘ CHÍNH TRỊ" -> "Bộ Chính trị" */
    int body_known;     /* body is a known central body */
    const char *title;  /* "Tổng Bí thư" */
    const char *name;   /* "Tô Lâm" */
} sig_info;

/* Reads the signature block from line `from`: marks, offices, the name. */
static void parse_signature(parser *p, size_t from, sig_info *si)
{
    const char *t = p->t;
    size_t i, title_s = NONE, title_e = NONE, lines = 0;
    int in_recipients = 0;
    memset(si, 0, sizeof *si);
    /* A block is a few lines: marks, offices in capitals, "(đã ký)", the
     * name, and "Nơi nhận" with its list before or after; 24 lines cover
     * the longest list and keep an unsigned text from being read whole. */
    for (i = from; i < p->nl && lines < 24; i++) {
        size_t s = p->L[i].s, e = p->L[i].e, rest, nm;
        int kind;
        if (s >= e || is_decor_line(p, i))
            continue;
        lines++;
        if (i > from && is_attachment_start(p, i))
            break;
        if (dv_match(t, e, s, "nơi nhận", DV_VN)) {
            in_recipients = 1;
            continue;
        }
        {
            /* the list of recipients: "- Như Điều 3;", "• Lưu: VT." */
            uint32_t c0;
            dv_dec(t, e, s, &c0);
            if (c0 == '-' || c0 == '+' || c0 == 0x2022 || c0 == 0x2013 || c0 == 0x2014 ||
                dv_match(t, e, s, "lưu", DV_VN))
                continue;
        }
        if (is_signed_line(p, i) || is_adoption(p, i))
            continue;
        kind = sig_mark(p, i, &rest);
        if (kind) {
            /* a mark ends the list of recipients if one came first */
            in_recipients = 0;
            nm = trailing_name(t, rest, e);
            if (nm < e && !si->name)
                si->name = pstr(p, t + nm, e - nm);
            e = trim_back(t, rest, nm);
            if (kind == SIG_TM || kind == SIG_TL) {
                /* "T/M BỘ CHÍNH TRỊ TỔNG BÍ THƯ" on one line: the longest
                 * known body first, the office after it */
                size_t q = e;
                int k = -1;
                while (q > rest) {
                    k = known_issuer(t, rest, q);
                    if (k >= 0)
                        break;
                    q = trim_back(t, rest, q);
                    while (q > rest && t[q - 1] != ' ')
                        q--;
                    q = trim_back(t, rest, q);
                }
                if (k >= 0 && issuers[k].display) {
                    si->body = issuers[k].display;
                    si->body_known = issuers[k].central;
                    if (q < e) {
                        title_s = dv_skip_space(t, e, q);
                        title_e = e;
                    }
                } else if (kind == SIG_TM) {
                    si->body = issuer_display(p, rest, e);
                }
            } else if (title_s == NONE) {
                /* "KT. BỘ TRƯỞNG": the office of the head, the deputy's own
                 * office follows on the next line */
                title_s = rest;
                title_e = e;
            }
            if (si->name)
                break;
            continue;
        }
        if (in_recipients)
            continue;
        /* the name closes the block: what follows is recipients or an
         * attachment */
        if (is_name(t, s, e)) {
            si->name = pstr(p, t + s, e - s);
            break;
        }
        /* an office in capitals: the last one before the name is the
         * signer's ("K/T TỔNG BÍ THƯ" / "THƯỜNG TRỰC BAN BÍ THƯ") */
        if (is_caps(t, s, e) && e - s <= 80) {
            nm = trailing_name(t, s, e);
            title_s = s;
            title_e = trim_back(t, s, nm);
            if (nm < e) {
                si->name = pstr(p, t + nm, e - nm);
                break;
            }
            continue;
        }
    }
    if (title_s != NONE && title_e > title_s)
        si->title = cased(p, title_s, title_e, 1);
}

/* ---- the structure tree --------------------------------------------- */

typedef struct open_node {
    ps_node *node;
    int depth;
    ps_node *last;   /* last child, to append in order */
    long last_khoan; /* number of the last khoản child, 0 none */
    int last_diem;   /* index of the last điểm child, -1 none */
    long last_muc;   /* number of the last Mục child (a Chương's) */
} open_node;

#define MAX_DEPTH 10

typedef struct builder {
    parser *p;
    open_node st[MAX_DEPTH];
    int sp;           /* entries in st */
    long last_dieu;   /* numbering of articles across the document */
    long last_roman;  /* Party parts "I-", "II-" */
    long last_chuong;
    long last_phan;
} builder;

static int depth_of(int type)
{
    switch (type) {
    case H_PHAN:
    case H_ROMAN: return 1;
    case H_CHUONG: return 2;
    case H_MUC: return 3;
    case H_TIEUMUC: return 4;
    case H_DIEU: return 5;
    case H_KHOAN: return 6;
    case H_DIEM: return 7;
    default: return 8;
    }
}

static int kind_of(int type)
{
    switch (type) {
    case H_PHAN:
    case H_ROMAN: return PS_NODE_PHAN;
    case H_CHUONG: return PS_NODE_CHUONG;
    case H_MUC:
    case H_TIEUMUC: return PS_NODE_MUC;
    case H_DIEU: return PS_NODE_DIEU;
    case H_KHOAN: return PS_NODE_KHOAN;
    default: return PS_NODE_DIEM;
    }
}

/* Closes open nodes of depth >= depth at offset `at`. */
static void close_to(builder *b, int depth, size_t at)
{
    while (b->sp > 1 && b->st[b->sp - 1].depth >= depth) {
        ps_node *n = b->st[b->sp - 1].node;
        n->end = trim_back(b->p->t, n->start, at);
        if (n->end < n->body)
            n->body = n->end;
        b->sp--;
    }
}

/* The parent a heading of this depth would get. */
static open_node *parent_for(builder *b, int depth)
{
    int k = b->sp - 1;
    while (k > 0 && b->st[k].depth >= depth)
        k--;
    return &b->st[k];
}

/* Whether a line may serve as the title of a heading on the line above:
 * short, not a heading, not a sentence (no final '.', ';' or ':'). */
static int title_like(const parser *p, size_t j)
{
    const char *t = p->t;
    size_t s = p->L[j].s, e = p->L[j].e;
    heading h;
    if (s >= e || e - s > 200 || detect_heading(p, j, &h) || !first_is_upper(t, s, e))
        return 0;
    if (t[e - 1] == '.' || t[e - 1] == ';' || t[e - 1] == ':' || t[e - 1] == ',')
        return is_caps(t, s, e);
    return !is_sig_opener(p, j);
}

/* Label "Điều 5", "Chương II", "Phần thứ nhất", "khoản 1", "điểm a". */
static const char *make_label(parser *p, const heading *h)
{
    const char *word;
    const char *t = p->t;
    int len = (int)(h->num_e - h->num_s);
    char *r;
    switch (h->type) {
    case H_PHAN:
    case H_ROMAN: word = "Phần"; break;
    case H_CHUONG: word = "Chương"; break;
    case H_MUC: word = "Mục"; break;
    case H_TIEUMUC: word = "Tiểu mục"; break;
    case H_DIEU: word = "Điều"; break;
    case H_KHOAN: word = "khoản"; break;
    default: word = "điểm"; break;
    }
    if (h->type == H_PHAN && !dv_is_digit((unsigned char)t[h->num_s]) &&
        dv_match(t, h->num_e, h->num_s, "thứ", DV_VN)) {
        /* "PHẦN THỨ NHẤT" -> "Phần thứ nhất" */
        size_t l2;
        char *b = collapse(p, t, h->num_s, h->num_e, &l2);
        if (!b)
            return NULL;
        lower_span(b, 0, l2);
        r = ps_arena_sprintf(p->doc->arena, "%s %s", word, b);
    } else {
        r = ps_arena_sprintf(p->doc->arena, "%s %.*s", word, len, t + h->num_s);
    }
    if (!r)
        p->rc = PS_ENOMEM;
    return r;
}

/* Adds the heading at line i; returns the index of the last line the
 * heading took (its title may sit on the next line). */
static size_t add_node(builder *b, size_t i, const heading *h)
{
    parser *p = b->p;
    const char *t = p->t;
    const line *l = &p->L[i];
    int depth = depth_of(h->type);
    open_node *par;
    ps_node *n;
    size_t last = i;
    /* a unit ends where the next one of its level or above begins */
    close_to(b, depth, l->ls);
    par = &b->st[b->sp - 1];
    n = ps_arena_calloc(p->doc->arena, sizeof *n);
    if (!n) {
        p->rc = PS_ENOMEM;
        return i;
    }
    n->kind = kind_of(h->type);
    /* "PHẦN THỨ NHẤT": num is the value ("1"); other numbers as written */
    if (h->type == H_PHAN && !dv_is_digit((unsigned char)t[h->num_s]) && roman_value(t, h->num_s, h->num_e) == 0)
        n->num = ps_arena_sprintf(p->doc->arena, "%ld", h->val);
    else
        n->num = pstr(p, t + h->num_s, h->num_e - h->num_s);
    n->label = make_label(p, h);
    n->start = l->ls + (l->s - l->ls);
    n->end = l->e;
    if (h->type == H_KHOAN || h->type == H_DIEM) {
        n->body = h->rest;
    } else {
        size_t ts = h->rest, te = l->e;
        strip_decor(t, &ts, &te);
        n->body = i + 1 < p->nl ? p->L[i + 1].ls : l->e;
        if (ts < te && h->type == H_DIEU && te - ts > 120 && strchr(".;:", t[te - 1])) {
            /* "Điều 1. Ban hành kèm theo Nghị quyết này ...": a long
             * sentence after the number is the article's text, not a title */
            n->body = ts;
        } else if (ts < te) {
            n->title = pstr(p, t + ts, te - ts);
        } else {
            /* nothing after the number: the title may stand on the next
             * line ("Chương I" / "NHỮNG QUY ĐỊNH CHUNG", "Điều 3" / "Thể
             * thức văn bản"); a chapter's is in capitals, an article's is a
             * short line that is not a sentence */
            size_t j = next_line(p, i, 1);
            int chapterish = h->type != H_DIEU;
            if (j != NONE &&
                ((chapterish && is_caps(t, p->L[j].s, p->L[j].e) && !detect_heading(p, j, &(heading){0})) ||
                 title_like(p, j))) {
                size_t a = p->L[j].s, z = p->L[j].e;
                strip_decor(t, &a, &z);
                if (a < z)
                    n->title = pstr(p, t + a, z - a);
                n->body = j + 1 < p->nl ? p->L[j + 1].ls : p->L[j].e;
                last = j;
            }
        }
    }
    if (n->body > p->n)
        n->body = p->n;
    /* append in text order; the parent remembers its last khoản, điểm and
     * Mục for the numbering checks */
    n->parent = par->node;
    if (par->last)
        par->last->next = n;
    else
        par->node->child = n;
    par->last = n;
    if (h->type == H_KHOAN)
        par->last_khoan = h->val;
    if (h->type == H_DIEM)
        par->last_diem = diem_index(h->val);
    if (h->type == H_MUC)
        par->last_muc = h->val;
    if (b->sp < MAX_DEPTH) {
        open_node *o = &b->st[b->sp++];
        o->node = n;
        o->depth = depth;
        o->last = NULL;
        o->last_khoan = 0;
        o->last_diem = -1;
        o->last_muc = 0;
    }
    return last;
}

/* Numbering checks that keep wrapped sentences and lists out of the tree:
 * a heading in its weak form (no punctuation after the number) must carry
 * the next number; khoản and điểm must follow their siblings. */
static int accept_heading(builder *b, const heading *h, int alone)
{
    open_node *par;
    switch (h->type) {
    case H_DIEU:
        if (h->strong)
            return 1;
        return h->val == b->last_dieu + 1 || (h->suffix && h->val == b->last_dieu);
    case H_CHUONG:
        return h->strong || alone || h->val == b->last_chuong + 1;
    case H_PHAN:
        return h->strong || alone || h->val == b->last_phan + 1;
    case H_MUC:
    case H_TIEUMUC:
        par = parent_for(b, depth_of(h->type));
        return h->strong || alone || h->val == par->last_muc + 1;
    case H_ROMAN:
        return (b->last_roman == 0 && h->val == 1) || h->val == b->last_roman + 1;
    case H_KHOAN:
        par = parent_for(b, depth_of(H_KHOAN));
        return par->last_khoan == 0 || h->val == par->last_khoan + 1;
    case H_DIEM: {
        int idx = diem_index(h->val);
        par = parent_for(b, depth_of(H_DIEM));
        if (idx < 0)
            return 0;
        return par->last_diem < 0 || idx == par->last_diem + 1;
    }
    default:
        return 0;
    }
}

/* Tracks quotations across lines: text quoted in an amendment ("“Điều 5.
 * ..."") is the quoted law's, not this one's structure. A curly quote
 * opens and closes; a straight quote closes a curly one ('“Để thi hành"'
 * is real) or opens a block when it starts the line. */
static int quote_after(const parser *p, size_t i, int open)
{
    const char *t = p->t;
    size_t s = p->L[i].s, e = p->L[i].e, j = s;
    int straight = 0;
    uint32_t c;
    while (j < e) {
        j += dv_dec(t, e, j, &c);
        if (c == 0x201C)
            open = 1;
        else if (c == 0x201D)
            open = 0;
        else if (c == '"') {
            if (open)
                open = 0;
            else
                straight ^= 1;
        }
    }
    if (straight && s < e && t[s] == '"')
        open = 1;
    return open;
}

static void build_tree(parser *p)
{
    builder b;
    ps_node *root;
    size_t i;
    int gap = 0, quoted = 0;
    size_t quote_lines = 0;
    memset(&b, 0, sizeof b);
    b.p = p;
    root = ps_arena_calloc(p->doc->arena, sizeof *root);
    if (!root) {
        p->rc = PS_ENOMEM;
        return;
    }
    root->kind = PS_NODE_ROOT;
    root->start = 0;
    root->end = p->n;
    root->body = 0;
    b.st[0].node = root;
    b.st[0].depth = 0;
    b.st[0].last_diem = -1;
    b.sp = 1;
    /* one pass over the body lines; the header has no structure */
    for (i = p->hz; i < p->nl && !p->rc; i++) {
        heading h;
        int was_quoted = quoted;
        if (is_empty(p, i))
            continue;
        quoted = quote_after(p, i, quoted);
        if (quoted && was_quoted && ++quote_lines > QUOTE_MAX_LINES) {
            quoted = 0;
            was_quoted = 0;
        }
        if (!quoted)
            quote_lines = 0;
        if (was_quoted)
            continue;
        if (gap) {
            /* after a signature only an attached document has structure */
            if (is_attachment_start(p, i)) {
                gap = 0;
                b.last_dieu = b.last_roman = b.last_chuong = b.last_phan = 0;
            }
            continue;
        }
        /* a signature (or "Nơi nhận", or the adoption formula) ends every
         * open unit: the last article does not run into the signer's name */
        if (is_sig_opener(p, i)) {
            close_to(&b, 1, p->L[i].ls);
            gap = 1;
            continue;
        }
        if (!detect_heading(p, i, &h))
            continue;
        /* "alone": nothing after the number on the line ("Điều 5") */
        if (!accept_heading(&b, &h, h.rest >= p->L[i].e))
            continue;
        switch (h.type) {
        case H_DIEU: b.last_dieu = h.val; break;
        case H_ROMAN: b.last_roman = h.val; break;
        case H_CHUONG: b.last_chuong = h.val; break;
        case H_PHAN: b.last_phan = h.val; break;
        default: break;
        }
        i = add_node(&b, i, &h);
    }
    close_to(&b, 1, p->n);
    p->doc->root = root;
}

/* ---- dates and types from the body ------------------------------------ */

/* "thông qua ngày 20 tháng 11 năm 2019" on line i: the date, or 0. */
static int passed_date(parser *p, size_t i, char iso[11])
{
    const char *t = p->t;
    size_t s = p->L[i].s, e = p->L[i].e, q = find_word(t, s, e, "thông qua", DV_VN), d;
    if (q == NONE)
        return 0;
    for (d = find_word(t, q, e, "ngày", DV_VN); d != NONE && d < e;
         d = find_word(t, d + 1, e, "ngày", DV_VN))
        if (ps_date_parse(t + d, e - d, iso))
            return 1;
    return 0;
}

/* Dates stated elsewhere when the header has none: in the title block
 * ("LUẬT SỐ 18-L/CTN NGÀY 06/07/1993"), then in the adoption formula
 * ("Luật này đã được Quốc hội ... thông qua ngày ..."), last of all any
 * "thông qua ngày ..." (a model law's note). */
static void fallback_date(parser *p)
{
    const char *t = p->t;
    char iso[11];
    size_t i;
    if (p->doc->meta.date)
        return;
    if (p->type_line != NONE) {
        for (i = p->type_line; i < p->title_end && i < p->nl; i++) {
            size_t s = p->L[i].s, e = p->L[i].e, d;
            for (d = find_word(t, s, e, "ngày", DV_VN); d != NONE; d = find_word(t, d + 1, e, "ngày", DV_VN))
                if (ps_date_parse(t + d, e - d, iso)) {
                    p->doc->meta.date = pstr(p, iso, 10);
                    return;
                }
        }
    }
    for (i = p->nl; i-- > p->hz;)
        if (is_adoption(p, i) && passed_date(p, i, iso)) {
            p->doc->meta.date = pstr(p, iso, 10);
            return;
        }
    for (i = p->nl; i-- > 0;)
        if (passed_date(p, i, iso)) {
            p->doc->meta.date = pstr(p, iso, 10);
            return;
        }
}

/* Type when no type line names it: the number's abbreviation ("NQ" in
 * "57-NQ/TW"); a letter's "V/v" line (Công văn); else how the text names
 * itself ("Luật này", "Hiến pháp này": the most frequent, twice at
 * least). */
static void fallback_type(parser *p)
{
    const char *t = p->t;
    size_t count, k, best = 0, i = 0;
    size_t hits[32];
    const dv_doctype *types;
    if (p->doc->meta.type)
        return;
    if (p->type_line != NONE) {
        p->doc->meta.type = p->type->display;
        return;
    }
    if (p->doc->meta.number) {
        const char *num = p->doc->meta.number;
        size_t nn = strlen(num), q = 0;
        while (q < nn) {
            size_t e2 = dv_word_end(num, nn, q);
            const char *ty;
            if (e2 == q) {
                q++;
                continue;
            }
            if ((ty = ps_doctype_from_abbrev(num + q, e2 - q))) {
                p->doc->meta.type = ty;
                return;
            }
            q = e2;
        }
    }
    if (p->has_vv) {
        p->doc->meta.type = "Công văn";
        return;
    }
    /* "Hiến pháp này đã được Quốc hội ... thông qua" names the type */
    for (i = p->nl; i-- > p->hz;) {
        size_t te;
        const dv_doctype *dt;
        if (is_adoption(p, i) && (dt = dv_doctype_at(t, p->L[i].e, p->L[i].s, &te))) {
            p->doc->meta.type = dt->display;
            return;
        }
    }
    types = dv_doctypes(&count);
    if (count > 32)
        count = 32;
    memset(hits, 0, sizeof hits);
    /* every "này": which type word ends right before it? The longest one
     * wins: "Bộ luật này" counts for Bộ luật, not Luật */
    i = 0;
    while ((i = find_word(t, i, p->n, "này", DV_VN)) != NONE) {
        size_t w[3], nw = 0, e = i, te;
        int k2;
        while (nw < 3) {
            size_t ws;
            while (space_before(t, 0, e))
                e -= space_before(t, 0, e);
            ws = e;
            while (ws > 0) {
                uint32_t c;
                size_t l = dv_prev_len(t, ws);
                dv_dec(t, ws, ws - l, &c);
                if (!dv_is_alnum(c))
                    break;
                ws -= l;
            }
            if (ws == e)
                break;
            w[nw++] = ws;
            e = ws;
        }
        for (k2 = (int)nw - 1; k2 >= 0; k2--) {
            const dv_doctype *dt = dv_doctype_at(t, p->n, w[k2], &te);
            if (dt && dv_skip_space(t, p->n, te) == i) {
                hits[dt - types]++;
                break;
            }
        }
        i += 3;
    }
    for (k = 1; k < count; k++)
        if (hits[k] > hits[best])
            best = k;
    if (hits[best] >= 2)
        p->doc->meta.type = types[best].display;
}

/* "ngày được Quốc hội thông qua" (not "ngày được đăng Công báo"): "thông
 * qua" within the clause starting at k. */
static int adopted_soon(const char *t, size_t n, size_t k)
{
    size_t e = k;
    while (e < n && e - k < 120 && !strchr(".,;\n", t[e]))
        e++;
    return find_word(t, k, e, "thông qua", DV_VN) != NONE;
}

/* "Luật này có hiệu lực (thi hành) (kể) từ ngày 01 tháng 7 năm 2020";
 * "... có hiệu lực từ ngày ký (ban hành)" means the document's date. */
static void parse_effective(parser *p)
{
    const char *t = p->t;
    size_t i = 0, k;
    char iso[11];
    if (p->doc->meta.effective_date)
        return;
    while ((i = find_word(t, i, p->n, "này có hiệu lực", DV_VN)) != NONE) {
        k = dv_skip_space(t, p->n, dv_match(t, p->n, i, "này có hiệu lực", DV_VN));
        i = k;
        if (dv_match(t, p->n, k, "thi hành", DV_VN))
            k = dv_skip_space(t, p->n, dv_match(t, p->n, k, "thi hành", DV_VN));
        if (dv_match(t, p->n, k, "kể", DV_VN))
            k = dv_skip_space(t, p->n, dv_match(t, p->n, k, "kể", DV_VN));
        if (!dv_match(t, p->n, k, "từ", DV_VN))
            continue;
        k = dv_skip_space(t, p->n, dv_match(t, p->n, k, "từ", DV_VN));
        if (dv_match(t, p->n, k, "ngày ký", DV_VN) || dv_match(t, p->n, k, "ngày ban hành", DV_VN) ||
            dv_match(t, p->n, k, "ngày thông qua", DV_VN) ||
            (dv_match(t, p->n, k, "ngày được", DV_VN) && adopted_soon(t, p->n, k))) {
            /* from the day it is signed, issued or adopted: its own date */
            if (p->doc->meta.date)
                p->doc->meta.effective_date = p->doc->meta.date;
            return;
        }
        if (ps_date_parse(t + k, p->n - k, iso)) {
            p->doc->meta.effective_date = pstr(p, iso, 10);
            return;
        }
    }
}

/* ---- relations ------------------------------------------------------- */

typedef struct rel_ctx {
    parser *p;
    ps_buf own;   /* key of the document's own number */
    ps_buf key;
    ps_buf rels;  /* ps_relation records */
} rel_ctx;

/* Last occurrence of pat at a word start within [s, e), NONE if none. */
static size_t find_last(const char *t, size_t s, size_t e, const char *pat)
{
    size_t last = NONE, q = s;
    while ((q = find_word(t, q, e, pat, DV_VN)) != NONE) {
        last = q;
        q++;
    }
    return last;
}

/* Whether the trigger word at q is passive ("đã được sửa đổi"): it tells
 * the mentioned document's history, not what this one does to it. */
static int passive_before(const char *t, size_t lo, size_t q)
{
    size_t w = q;
    int k;
    /* four words back: "đã được sửa đổi, bổ sung" makes "bổ sung" passive */
    for (k = 0; k < 4 && w > lo; k++) {
        size_t e = w;
        while (e > lo && (space_before(t, lo, e) || t[e - 1] == ','))
            e -= t[e - 1] == ',' ? 1 : space_before(t, lo, e);
        w = e;
        while (w > lo) {
            uint32_t c;
            size_t l = dv_prev_len(t, w);
            dv_dec(t, w, w - l, &c);
            if (!dv_is_alnum(c))
                break;
            w -= l;
        }
        if (w < e && dv_match(t, e, w, "được", DV_VN) == e)
            return 1;
    }
    return 0;
}

/* What a mention at [ms, me) is: based_on inside a "Căn cứ" clause,
 * amends / replaces / guides / repeals when its clause says so before it
 * (or "hết hiệu lực" after it), else cites. */
static int relation_kind(const char *t, size_t n, size_t ms, size_t me)
{
    static const struct {
        const char *word;
        int kind;
    } triggers[] = {
        /* "thay thế cụm từ X bằng Y" rewrites words of a law: an amendment
         * (listed first: at the same position the longer trigger wins) */
        {"thay thế cụm từ", PS_REL_AMENDS}, {"thay thế một số cụm từ", PS_REL_AMENDS},
        {"thay thế từ", PS_REL_AMENDS},
        {"sửa đổi", PS_REL_AMENDS},  {"bổ sung", PS_REL_AMENDS},  {"thay thế", PS_REL_REPLACES},
        {"hướng dẫn", PS_REL_GUIDES}, {"bãi bỏ", PS_REL_REPEALS}, {"hủy bỏ", PS_REL_REPEALS},
        {"huỷ bỏ", PS_REL_REPEALS},
    };
    size_t ls = ms, cs, best = NONE, k, ce;
    int kind = PS_REL_CITES;
    /* the line's start, looked for within 2 KB: a "Căn cứ" clause is short,
     * and a text of one huge line must not cost a scan per mention */
    while (ls > 0 && t[ls - 1] != '\n' && ms - ls < 2048)
        ls--;
    /* the clause: back to the last ';', ':' or sentence end; a line that
     * ends without punctuation runs on into the next ("Điều 35. Sửa đổi, bổ
     * sung" / "Điều 21 của Luật ... số 06/2003/QH11 như sau:") */
    cs = ms;
    while (cs > 0 && ms - cs < 400) {
        char c = t[cs - 1];
        if (c == ';' || c == ':' || (c == '.' && cs < n && (t[cs] == ' ' || t[cs] == '\n')))
            break;
        if (c == '\n') {
            size_t pe = cs - 1;
            while (pe > 0 && (t[pe - 1] == ' ' || t[pe - 1] == '\t'))
                pe--;
            if (pe == 0 || strchr(".;:!?", t[pe - 1]))
                break;
        }
        cs--;
    }
    {
        /* "Căn cứ" with its capital opens a clause of the line */
        size_t q = find_last(t, ls, ms, "căn cứ"), s2;
        if (q != NONE && (t[q] == 'C')) {
            for (s2 = q; s2 < ms; s2++)
                if (t[s2] == '.' && s2 + 1 < n && t[s2 + 1] == ' ')
                    break;
            if (s2 >= ms)
                return PS_REL_BASED_ON;
        }
    }
    /* the trigger nearest before the mention decides ("Sửa đổi Điều 5 của
     * Luật X và bãi bỏ Nghị định Y": X amended, Y repealed) */
    for (k = 0; k < sizeof triggers / sizeof triggers[0]; k++) {
        size_t q = find_last(t, cs, ms, triggers[k].word);
        while (q != NONE && passive_before(t, cs, q)) {
            /* an earlier active one in the same clause still counts */
            size_t q2 = NONE, r = cs;
            while ((r = find_word(t, r, q, triggers[k].word, DV_VN)) != NONE && r < q) {
                if (!passive_before(t, cs, r))
                    q2 = r;
                r++;
            }
            q = q2;
        }
        if (q != NONE && (best == NONE || q > best)) {
            best = q;
            kind = triggers[k].kind;
        }
    }
    if (kind != PS_REL_CITES)
        return kind;
    /* "... số 02/1997/PL-UBTVQH9 hết hiệu lực" */
    ce = me;
    while (ce < n && ce - me < 400 && t[ce] != '\n' && t[ce] != ';' &&
           !(t[ce] == '.' && (ce + 1 >= n || t[ce + 1] == ' ' || t[ce + 1] == '\n')))
        ce++;
    if (find_word(t, me, ce, "hết hiệu lực", DV_VN) != NONE)
        return PS_REL_REPEALS;
    return PS_REL_CITES;
}

static int on_number(void *vctx, const ps_docnum_match *m)
{
    rel_ctx *rc = vctx;
    parser *p = rc->p;
    const char *t = p->t;
    ps_relation r;
    size_t k;
    char iso[11];
    ps_buf_reset(&rc->key);
    if (ps_docnum_key(t + m->start, m->end - m->start, &rc->key) != PS_OK)
        return rc->key.err == PS_ENOMEM ? PS_ENOMEM : 0;
    if (rc->own.len && rc->key.len == rc->own.len && memcmp(rc->key.data, rc->own.data, rc->own.len) == 0)
        return 0;
    memset(&r, 0, sizeof r);
    r.kind = relation_kind(t, p->n, m->type_start, m->end);
    r.number = pstr(p, t + m->start, m->end - m->start);
    r.key = pstr(p, rc->key.data, rc->key.len);
    r.type = m->type;
    r.start = m->type_start;
    r.end = m->end;
    /* "Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024", "..., ngày 22/12/2024" */
    k = dv_skip_space(t, p->n, m->end);
    if (k < p->n && t[k] == ',')
        k = dv_skip_space(t, p->n, k + 1);
    if (dv_match(t, p->n, k, "ngày", DV_VN) || dv_match(t, p->n, k, "ngày", DV_VN | DV_PREFIX)) {
        size_t d = ps_date_parse(t + k, p->n - k, iso);
        if (d) {
            r.date = pstr(p, iso, 10);
            r.end = k + d;
        }
    }
    if (p->rc)
        return p->rc;
    ps_buf_add(&rc->rels, &r, sizeof r);
    return rc->rels.err;
}

static void parse_relations(parser *p)
{
    rel_ctx rc;
    int r;
    ps_doc *doc = p->doc;
    memset(&rc, 0, sizeof rc);
    rc.p = p;
    ps_buf_init(&rc.own, 256);
    ps_buf_init(&rc.key, 256);
    ps_buf_init(&rc.rels, 0);
    if (doc->meta.number)
        ps_docnum_key(doc->meta.number, strlen(doc->meta.number), &rc.own);
    r = ps_docnum_scan(p->t, p->n, on_number, &rc);
    if (r == PS_ENOMEM || rc.rels.err == PS_ENOMEM)
        p->rc = PS_ENOMEM;
    if (!p->rc && rc.rels.len) {
        ps_relation *arr = ps_arena_alloc(doc->arena, rc.rels.len);
        if (!arr) {
            p->rc = PS_ENOMEM;
        } else {
            memcpy(arr, rc.rels.data, rc.rels.len);
            doc->rels = arr;
            doc->n_rels = rc.rels.len / sizeof *arr;
        }
    }
    ps_buf_fin(&rc.own);
    ps_buf_fin(&rc.key);
    ps_buf_fin(&rc.rels);
}

/* ---- the whole -------------------------------------------------------- */

/* First line from `from` that is a structural heading (or nl). */
static size_t first_heading(const parser *p, size_t from)
{
    size_t i;
    heading h;
    for (i = from; i < p->nl; i++)
        if (detect_heading(p, i, &h))
            return i;
    return p->nl;
}

/* The body that adopted the document, from "... (đã) được Quốc hội ...
 * thông qua" (the adoption formula) or "đã được Quốc hội biểu quyết" (a
 * promulgation's preamble) on line i; NULL when the line has none. */
static const char *adopting_body(parser *p, size_t i)
{
    static const char *const stops[] = {"nước", "khóa", "khoá", "thông qua", "biểu quyết", "trong",
                                        "tại", "kỳ", "ngày"};
    const char *t = p->t;
    size_t s = p->L[i].s, e = p->L[i].e, q, k;
    if (find_word(t, s, e, "thông qua", DV_VN) == NONE && find_word(t, s, e, "biểu quyết", DV_VN) == NONE)
        return NULL;
    for (q = s; (q = find_word(t, q, e, "được", DV_VN)) != NONE || (q = find_word(t, s, e, "do", DV_VN)) != NONE;) {
        size_t bs = dv_skip_space(t, e, dv_match(t, e, q, dv_match(t, e, q, "được", DV_VN) ? "được" : "do", DV_VN));
        size_t be = bs;
        uint32_t c, prev = ' ';
        int ki;
        /* a body's name is short: 120 bytes bound the look */
        while (be < e && be - bs < 120) {
            size_t l = dv_dec(t, e, be, &c), hit = 0;
            if (c == ',' || c == ';' || c == '(')
                break;
            if (!dv_is_alnum(prev) && dv_is_alnum(c))
                for (k = 0; k < sizeof stops / sizeof stops[0] && !hit; k++)
                    hit = dv_match(t, e, be, stops[k], DV_VN);
            if (hit)
                break;
            prev = c;
            be += l;
        }
        ki = known_issuer(t, bs, trim_back(t, bs, be));
        if (ki >= 0 && issuers[ki].display)
            return issuers[ki].display;
        if (!dv_match(t, e, q, "được", DV_VN))
            break;
        q++;
    }
    return NULL;
}

/* Issuer when neither header nor signature names one: the body that
 * adopted it, in the adoption formula at the end or the preamble. */
static const char *fallback_issuer(parser *p)
{
    size_t i, end = first_heading(p, 0);
    const char *b;
    for (i = p->nl; i-- > p->hz;)
        if (is_adoption(p, i) && (b = adopting_body(p, i)))
            return b;
    for (i = 0; i < end; i++)
        if ((b = adopting_body(p, i)))
            return b;
    return NULL;
}

/* A law's name when no title block gives it, from the preamble: the
 * enactment formula "Quốc hội ban hành Luật Thủy lợi." or the older "Luật
 * này quy định về hiến, lấy, ghép mô ...". */
static void fallback_title(parser *p)
{
    const char *t = p->t;
    size_t i, end;
    if (p->doc->meta.title || !p->doc->meta.type)
        return;
    {
        size_t te;
        const dv_doctype *dt = dv_doctype_at(p->doc->meta.type, strlen(p->doc->meta.type), 0, &te);
        if (!dt || !dt->law)
            return;
    }
    /* only the preamble: Điều 1 "Luật này quy định về ..." is a scope,
     * not a name */
    end = first_heading(p, p->hz);
    for (i = p->hz; i < end && i < p->hz + 30; i++) {
        size_t s = p->L[i].s, e = p->L[i].e, q, ne, te;
        const dv_doctype *dt;
        /* "ban hành Luật X" */
        if ((q = find_word(t, s, e, "ban hành", DV_VN)) != NONE) {
            q = dv_skip_space(t, e, dv_match(t, e, q, "ban hành", DV_VN));
            if (first_is_upper(t, q, e) && (dt = dv_doctype_at(t, e, q, &te)) && dt->law) {
                for (ne = q; ne < e && t[ne] != '.' && t[ne] != ';'; ne++)
                    ;
                while (ne > q && t[ne - 1] == ',')
                    ne--;
                p->doc->meta.title = pstr(p, t + q, trim_back(t, q, ne) - q);
                return;
            }
        }
        /* "Luật này quy định về X." */
        for (q = s; q < e && (q = find_word(t, q, e, "này quy định về", DV_VN)) != NONE; q++) {
            size_t ws = q, ts;
            /* the type word right before "này" */
            while (space_before(t, s, ws))
                ws -= space_before(t, s, ws);
            while (ws > s && !space_before(t, s, ws) && t[ws - 1] != ';' && t[ws - 1] != '.')
                ws--;
            if (ws > s + 3 && dv_match(t, e, ws - 4, "bộ", DV_VN))
                ws -= 4;
            if (!(dt = dv_doctype_at(t, e, ws, &te)) || !dt->law)
                continue;
            ts = dv_skip_space(t, e, dv_match(t, e, q, "này quy định về", DV_VN));
            for (ne = ts; ne < e && t[ne] != '.' && t[ne] != ';'; ne++)
                ;
            if (ne > ts && ne - ts < 200) {
                char *b;
                size_t len;
                b = collapse(p, t, ts, ne, &len);
                if (b && len) {
                    upper_at(b, len, 0);
                    p->doc->meta.title = ps_arena_sprintf(p->doc->arena, "%s %s", dt->display, b);
                    if (!p->doc->meta.title)
                        p->rc = PS_ENOMEM;
                }
                return;
            }
        }
    }
}

/* Picks the issuer: a title clause ("NGHỊ QUYẾT CỦA BỘ CHÍNH TRỊ") first;
 * then the body a signature acts for ("T/M BỘ CHÍNH TRỊ") when the header
 * names only the Central Committee every central Party document carries,
 * or nothing; else the header. */
static void choose_issuer(parser *p, const char *header, const sig_info *si)
{
    ps_meta *m = &p->doc->meta;
    if (m->issuer)
        return;
    if (p->title_issuer) {
        m->issuer = p->title_issuer;
        return;
    }
    if (si->body && (!header || (si->body_known && strcmp(header, "Ban Chấp hành Trung ương") == 0))) {
        m->issuer = si->body;
        return;
    }
    /* "T/M BAN THƯỜNG VỤ" under "TỈNH ỦY NGHỆ AN" */
    if (si->body && !si->body_known && is_party_committee(header)) {
        char fb[160], fh[160];
        fold_words(si->body, 0, strlen(si->body), fb, sizeof fb);
        fold_words(header, 0, strlen(header), fh, sizeof fh);
        if (strncmp(fh, fb, strlen(fb)) != 0) {
            m->issuer = under_committee(p, si->body, header);
            return;
        }
    }
    m->issuer = header ? header : si->body ? si->body : fallback_issuer(p);
}

int ps_doc_parse(ps_doc *doc, ps_error *err)
{
    parser p;
    sig_info si;
    const char *hiss;
    size_t i, sig = NONE;
    if (!doc)
        return ps_error_set(err, PS_EINVAL, "no document to parse");
    memset(&p, 0, sizeof p);
    p.doc = doc;
    p.t = doc->text ? doc->text : "";
    p.n = doc->text ? doc->text_len : 0;
    p.type_line = NONE;
    if (split_lines(&p) != PS_OK)
        return ps_error_set(err, PS_ENOMEM, "out of memory splitting a text of %zu bytes", p.n);
    find_header_zone(&p);
    p.title_end = p.hz;
    parse_access(&p);
    parse_number(&p);
    parse_header_date(&p);
    find_type_line(&p);
    parse_title(&p);
    parse_subject_line(&p);
    hiss = header_issuer(&p);
    /* the main signature: the first block after the header */
    for (i = p.hz; i < p.nl; i++)
        if (!is_empty(&p, i) && is_sig_opener(&p, i)) {
            sig = i;
            break;
        }
    memset(&si, 0, sizeof si);
    if (sig != NONE)
        parse_signature(&p, sig, &si);
    choose_issuer(&p, hiss, &si);
    if (!doc->meta.signer)
        doc->meta.signer = si.name;
    if (!doc->meta.signer_title)
        doc->meta.signer_title = si.title;
    fallback_date(&p);
    fallback_type(&p);
    fallback_title(&p);
    parse_effective(&p);
    if (!doc->root)
        build_tree(&p);
    if (!doc->rels)
        parse_relations(&p);
    ps_free(p.L);
    if (p.rc)
        return ps_error_set(err, p.rc, "out of memory parsing document %s", doc->id ? doc->id : "");
    return PS_OK;
}
