/*
 * encoding.c: the encodings Vietnamese text files come in, and telling
 * them apart.
 *
 * Before Unicode, Vietnamese text was typed in font encodings: TCVN3
 * ("ABC", the .VnTime fonts of TCVN 5712:1993) and VNI-Windows (the
 * VNI-Times fonts) in most offices, Windows-1258 where Windows' own
 * support was used. None is marked in a .txt file, and all three are
 * valid single-byte text, so the only way to tell is to decode with each
 * and see which reads as Vietnamese: the share of letter tokens that are
 * well-formed syllables (ps_text_vietnamese_score) is about 0.9 for the
 * right decoding and 0.1-0.2 for a wrong one.
 *
 * The tables:
 *   - CP1258: Windows' table (Latin-1 with Ă Đ Ơ Ư ă đ ơ ư ₫ and the five
 *     combining tone marks in place of some letters), as glibc's iconv and
 *     ICU's windows-1258 have it; the unit test checks it against iconv.
 *   - TCVN3: bytes 0xA0-0xFF as glibc's "TCVN5712-1" reads them. That
 *     table is VN1, a superset of VN3: the small letters and Ă Â Ê Ô Ơ Ư Đ
 *     sit at the same codes in both (the test checks every one), and the
 *     codes VN3 leaves unused hold VN1's capitals, which is the best guess
 *     for a file that uses them. Bytes 0x80-0x9F are read as Windows-1252
 *     (curly quotes, dashes), not as VN1's capitals: the .VnTime fonts are
 *     Windows fonts, and a document typed with them and saved as text
 *     holds Word's punctuation there.
 *   - VNI: written here from the VNI-Windows font layout: the letters Ơ Ư
 *     Đ and the i/y forms have codes of their own; every other accented
 *     vowel is the base letter followed by one accent byte (tone, or
 *     circumflex/breve with or without a tone), small and capital accents
 *     0x20 apart, as in Windows-1252's Latin-1 letters.
 */
#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

#include "doc/extract_int.h"
#include "polsearch/text.h"

/* ---- tables ------------------------------------------------------------- */

/* Windows-1252 bytes 0x80-0x9F (undefined ones read as U+FFFD). */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

static uint32_t cp1252_cp(unsigned char b)
{
    return b >= 0x80 && b < 0xA0 ? cp1252_c1[b - 0x80] : b;
}

static uint32_t cp1258_cp(unsigned char b)
{
    switch (b) {
    case 0x8A: case 0x8E: case 0x9A: case 0x9E: return 0xFFFD; /* Š Ž š ž: not in 1258 */
    case 0xC3: return 0x0102; /* Ă */
    case 0xCC: return 0x0300; /* combining grave */
    case 0xD0: return 0x0110; /* Đ */
    case 0xD2: return 0x0309; /* combining hook above */
    case 0xD5: return 0x01A0; /* Ơ */
    case 0xDD: return 0x01AF; /* Ư */
    case 0xDE: return 0x0303; /* combining tilde */
    case 0xE3: return 0x0103; /* ă */
    case 0xEC: return 0x0301; /* combining acute */
    case 0xF0: return 0x0111; /* đ */
    case 0xF2: return 0x0323; /* combining dot below */
    case 0xF5: return 0x01A1; /* ơ */
    case 0xFD: return 0x01B0; /* ư */
    case 0xFE: return 0x20AB; /* ₫ */
    default: return cp1252_cp(b);
    }
}

/* TCVN3 bytes 0xA0-0xFF (see the head of the file). */
static const uint16_t tcvn3_hi[96] = {
    0x00A0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110,
    0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x1EB0,
    0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00E0, 0x1EA3, 0x00E3,
    0x00E1, 0x1EA1, 0x1EB2, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB4,
    0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7,
    0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x1EC2, 0x1EBB, 0x1EBD,
    0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC,
    0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2, 0x0129, 0x00ED, 0x1ECB, 0x00F2,
    0x1ED4, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7,
    0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9,
    0x1ED6, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF,
    0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x1ED0,
};

static uint32_t tcvn3_cp(unsigned char b)
{
    return b >= 0xA0 ? tcvn3_hi[b - 0xA0] : cp1252_cp(b);
}

/* VNI accent bytes (small letters' forms; the capitals' are 0x20 lower):
 * the vowel modifier (circumflex U+0302, breve U+0306, or none) and the
 * tone (combining acute, grave, hook, tilde, dot below, or none). */
typedef struct vni_accent {
    unsigned char byte;
    uint16_t modifier;
    uint16_t tone;
} vni_accent;

static const vni_accent vni_accents[] = {
    {0xF9, 0, 0x0301},      {0xF8, 0, 0x0300},      {0xFB, 0, 0x0309},
    {0xF5, 0, 0x0303},      {0xEF, 0, 0x0323},      {0xE2, 0x0302, 0},
    {0xE1, 0x0302, 0x0301}, {0xE0, 0x0302, 0x0300}, {0xE5, 0x0302, 0x0309},
    {0xE3, 0x0302, 0x0303}, {0xE4, 0x0302, 0x0323}, {0xEA, 0x0306, 0},
    {0xE9, 0x0306, 0x0301}, {0xE8, 0x0306, 0x0300}, {0xFA, 0x0306, 0x0309},
    {0xFC, 0x0306, 0x0303}, {0xEB, 0x0306, 0x0323},
};

static const vni_accent *vni_accent_of(unsigned char b)
{
    size_t i;
    unsigned char small = (b >= 0xC0 && b <= 0xDF) ? (unsigned char)(b + 0x20) : b;
    for (i = 0; i < sizeof vni_accents / sizeof vni_accents[0]; i++)
        if (vni_accents[i].byte == small)
            return &vni_accents[i];
    return NULL;
}

/* VNI letters with a code of their own; 0 for other bytes. */
static uint32_t vni_letter(unsigned char b)
{
    switch (b) {
    case 0xF4: return 0x01A1; /* ơ */
    case 0xD4: return 0x01A0;
    case 0xF6: return 0x01B0; /* ư */
    case 0xD6: return 0x01AF;
    case 0xF1: return 0x0111; /* đ */
    case 0xD1: return 0x0110;
    case 0xED: return 0x00ED; /* í */
    case 0xCD: return 0x00CD;
    case 0xEC: return 0x00EC; /* ì */
    case 0xCC: return 0x00CC;
    case 0xE6: return 0x1EC9; /* ỉ */
    case 0xC6: return 0x1EC8;
    case 0xF3: return 0x0129; /* ĩ */
    case 0xD3: return 0x0128;
    case 0xF2: return 0x1ECB; /* ị */
    case 0xD2: return 0x1ECA;
    case 0xEE: return 0x1EF5; /* ỵ */
    case 0xCE: return 0x1EF4;
    default: return 0;
    }
}

/* ---- decoders ----------------------------------------------------------- */

static void add_cp(ps_buf *out, uint32_t cp)
{
    char enc[4];
    ps_buf_add(out, enc, (size_t)ps_utf8_encode(cp, enc));
}

/* Capital of a small Vietnamese letter (others unchanged). */
static uint32_t vn_upper(uint32_t c)
{
    if (c >= 'a' && c <= 'z')
        return c - 32;
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7)
        return c - 0x20;
    if (c >= 0x1EA0 && c <= 0x1EF9)
        return c & ~(uint32_t)1;
    switch (c) {
    case 0x0103: return 0x0102;
    case 0x0111: return 0x0110;
    case 0x0129: return 0x0128;
    case 0x0169: return 0x0168;
    case 0x01A1: return 0x01A0;
    case 0x01B0: return 0x01AF;
    default: return c;
    }
}

/* TCVN3 and the capital fonts. VN3 has no capitals with tone marks, so
 * text set in .VnTimeH is typed with the small letters' codes and shown
 * as capitals by the font: "CéNG HOµ" is "CỘNG HOÀ". A word is read in
 * capitals when it holds such a code, no ASCII small letter and at least
 * two capitals ("CéNG"); a word with one capital, its first letter, may be
 * either ("Hµ" is "Hà" in "Hµ Néi, ngµy" but "HÀ" in "Hµ NéI"), and the
 * nearest word of the line that tells decides: one in capitals with a
 * small code ("CéNG"), or of three capitals or more with a capital code
 * ("TH¦"; "Q§" in "Sè 144-Q§/TW" is a number's abbreviation), or one with
 * small letters ("ngµy"). Words of ASCII letters alone ("NQ", "TW",
 * "ban") tell nothing. */
enum { W_PLAIN, W_CAPS, W_SMALL, W_EITHER };

typedef struct tcvn3_word {
    size_t start, end;
    int kind;
} tcvn3_word;

#define TCVN3_SEGMENT 256

static int tcvn3_letter(unsigned char b)
{
    return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b >= 0xA1;
}

static void tcvn3_segment(const unsigned char *s, tcvn3_word *w, size_t nw, size_t from,
                          size_t to, ps_buf *out)
{
    size_t k, i = from;
    for (k = 0; k <= nw; k++) {
        size_t ws = k < nw ? w[k].start : to, j;
        int caps = 0;
        for (; i < ws; i++)
            add_cp(out, tcvn3_cp(s[i]));
        if (k == nw)
            break;
        if (w[k].kind == W_CAPS) {
            caps = 1;
        } else if (w[k].kind == W_EITHER) {
            size_t d;
            for (d = 1; d < nw; d++) {
                int l = k >= d ? w[k - d].kind : W_PLAIN;
                int r = k + d < nw ? w[k + d].kind : W_PLAIN;
                if (l == W_CAPS || l == W_SMALL) {
                    caps = l == W_CAPS;
                    break;
                }
                if (r == W_CAPS || r == W_SMALL) {
                    caps = r == W_CAPS;
                    break;
                }
                if (k < d && k + d >= nw)
                    break;
            }
        }
        for (j = w[k].start; j < w[k].end; j++)
            add_cp(out, caps ? vn_upper(tcvn3_cp(s[j])) : tcvn3_cp(s[j]));
        i = w[k].end;
    }
}

static void decode_tcvn3(const unsigned char *s, size_t n, ps_buf *out)
{
    tcvn3_word w[TCVN3_SEGMENT];
    size_t nw = 0, i = 0, seg = 0;

    while (i <= n) {
        if (i == n || s[i] == '\n' || nw == TCVN3_SEGMENT) {
            /* a line (or a long line's segment) is complete */
            size_t to = (i < n && s[i] == '\n') ? i + 1 : i;
            tcvn3_segment(s, w, nw, seg, to, out);
            nw = 0;
            seg = to;
            if (i == n)
                break;
            if (s[i] == '\n')
                i++;
            continue;
        }
        if (tcvn3_letter(s[i])) {
            size_t j = i;
            int small_code = 0, capital_code = 0, ascii_small = 0, capitals = 0;
            while (j < n && tcvn3_letter(s[j])) {
                uint32_t cp = tcvn3_cp(s[j]);
                if (s[j] >= 'a' && s[j] <= 'z') {
                    ascii_small = 1;
                } else if (s[j] >= 'A' && s[j] <= 'Z') {
                    capitals++;
                } else if (vn_upper(cp) != cp) {
                    small_code = 1;
                } else if (cp >= 0xC0 && (cp < 0x300 || cp > 0x36F)) {
                    capital_code = 1;
                    capitals++;
                }
                j++;
            }
            w[nw].start = i;
            w[nw].end = j;
            w[nw].kind = !small_code && !capital_code ? W_PLAIN
                         : ascii_small                 ? W_SMALL
                         : small_code && capitals >= 2 ? W_CAPS
                         : !small_code                 ? (capitals >= 3 ? W_CAPS : W_PLAIN)
                         : capitals == 1               ? W_EITHER
                                                       : W_SMALL;
            nw++;
            i = j;
            continue;
        }
        i++;
    }
}

static int vni_base_takes(uint32_t base, const vni_accent *a)
{
    uint32_t lower = base | 0x20;
    if (base == 0x01A0 || base == 0x01A1 || base == 0x01AF || base == 0x01B0)
        return a->modifier == 0; /* ơ ư take tones only */
    if (base > 0x7F)
        return 0;
    switch (lower) {
    case 'a': return 1;
    case 'e': case 'o': return a->modifier != 0x0306;
    case 'u': case 'y': case 'i': return a->modifier == 0;
    default: return 0;
    }
}

static void decode_vni(const unsigned char *s, size_t n, ps_buf *out)
{
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned char b = s[i];
        uint32_t base = vni_letter(b);
        if (!base && ((b | 0x20) >= 'a' && (b | 0x20) <= 'z'))
            base = b;
        if (base && i + 1 < n) {
            const vni_accent *a = vni_accent_of(s[i + 1]);
            if (a && vni_base_takes(base, a)) {
                add_cp(out, base);
                if (a->modifier)
                    add_cp(out, a->modifier);
                if (a->tone)
                    add_cp(out, a->tone);
                i++;
                continue;
            }
        }
        add_cp(out, base ? base : cp1252_cp(b));
    }
}

/* UTF-16 (after its BOM) to UTF-8; unpaired surrogates become U+FFFD. */
static void decode_utf16(const unsigned char *s, size_t n, int big, ps_buf *out)
{
    size_t i;
    for (i = 0; i + 1 < n; i += 2) {
        uint32_t u = big ? (uint32_t)(s[i] << 8 | s[i + 1]) : (uint32_t)(s[i + 1] << 8 | s[i]);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
            uint32_t lo = big ? (uint32_t)(s[i + 2] << 8 | s[i + 3])
                              : (uint32_t)(s[i + 3] << 8 | s[i + 2]);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            } else {
                u = 0xFFFD;
            }
        } else if (u >= 0xD800 && u <= 0xDFFF) {
            u = 0xFFFD;
        }
        add_cp(out, u);
    }
}

/* UTF-8 for scoring, each invalid byte replaced by 'z', a letter no
 * Vietnamese syllable has: the byte counts against the word it sits in.
 * (With U+FFFD, a non-letter, "Coäng" read as UTF-8 would split into "Co"
 * and "ng", and "Co" is a good syllable.) */
static void decode_utf8_replacing(const unsigned char *s, size_t n, ps_buf *out)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n) {
            int l = s[j] < 0x80 ? 1 : ps_utf8_seqlen(s + j, n - j);
            if (!l)
                break;
            j += (size_t)l;
        }
        ps_buf_add(out, s + i, j - i);
        if (j < n) {
            ps_buf_addc(out, 'z');
            j++;
        }
        i = j;
    }
}

int ps_decode_bytes(const unsigned char *s, size_t n, int enc, ps_buf *out)
{
    size_t i;
    switch (enc) {
    case PS_ENC_TCVN3:
        decode_tcvn3(s, n, out);
        break;
    case PS_ENC_VNI:
        decode_vni(s, n, out);
        break;
    case PS_ENC_CP1258:
    case PS_ENC_CP1252:
        for (i = 0; i < n; i++) {
            if (s[i] < 0x80) {
                size_t j = i;
                while (j < n && s[j] < 0x80)
                    j++;
                ps_buf_add(out, s + i, j - i);
                i = j - 1;
                continue;
            }
            add_cp(out, enc == PS_ENC_CP1258 ? cp1258_cp(s[i]) : cp1252_cp(s[i]));
        }
        break;
    default:
        ps_buf_add(out, s, n);
        break;
    }
    return out->err;
}

int ps_decode(const char *s, size_t n, int enc, ps_buf *out, ps_error *err)
{
    const unsigned char *u = (const unsigned char *)s;
    if (enc == PS_ENC_UTF16) {
        int big = n >= 2 && u[0] == 0xFE && u[1] == 0xFF;
        int bom = n >= 2 && (big || (u[0] == 0xFF && u[1] == 0xFE));
        decode_utf16(u + (bom ? 2 : 0), n - (bom ? 2 : 0), big, out);
    } else if (enc == PS_ENC_UTF8) {
        if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
            ps_buf_add(out, s + 3, n - 3);
        else
            ps_buf_add(out, s, n);
    } else {
        ps_decode_bytes(u, n, enc, out);
    }
    if (out->err)
        return ps_error_set(err, out->err, "%s decoding %s text",
                            out->err == PS_ENOMEM ? "out of memory" : "text too large",
                            ps_encoding_name(enc));
    return PS_OK;
}

int ps_decode_iconv(const char *s, size_t n, const char *charset, ps_buf *out, ps_error *err)
{
    iconv_t cd = iconv_open("UTF-8", charset);
    char *in = (char *)s;
    size_t inleft = n;
    if (cd == (iconv_t)-1)
        return ps_error_set(err, PS_ENOTFOUND, "unknown charset \"%s\"", charset);
    while (inleft > 0 && out->err == PS_OK) {
        char chunk[16384], *o = chunk;
        size_t oleft = sizeof chunk;
        size_t r = iconv(cd, &in, &inleft, &o, &oleft);
        int e = errno;
        ps_buf_add(out, chunk, (size_t)(o - chunk));
        if (r == (size_t)-1 && e != E2BIG) {
            /* EILSEQ or an incomplete sequence at the end: one U+FFFD, skip */
            ps_buf_add(out, "\xEF\xBF\xBD", 3);
            in++;
            inleft--;
        }
    }
    iconv_close(cd);
    if (out->err)
        return ps_error_set(err, out->err, "decoding %s text: %s", charset,
                            out->err == PS_ENOMEM ? "out of memory" : "too large");
    return PS_OK;
}

/* ---- names -------------------------------------------------------------- */

const char *ps_encoding_name(int enc)
{
    switch (enc) {
    case PS_ENC_UTF8: return "UTF-8";
    case PS_ENC_UTF16: return "UTF-16";
    case PS_ENC_CP1258: return "CP1258";
    case PS_ENC_TCVN3: return "TCVN3";
    case PS_ENC_VNI: return "VNI";
    case PS_ENC_CP1252: return "CP1252";
    default: return "auto";
    }
}

int ps_encoding_parse(const char *name)
{
    static const struct {
        const char *name;
        int enc;
    } names[] = {
        {"auto", PS_ENC_AUTO},       {"utf-8", PS_ENC_UTF8},          {"utf8", PS_ENC_UTF8},
        {"utf-16", PS_ENC_UTF16},    {"utf16", PS_ENC_UTF16},         {"cp1258", PS_ENC_CP1258},
        {"windows-1258", PS_ENC_CP1258}, {"1258", PS_ENC_CP1258},     {"tcvn3", PS_ENC_TCVN3},
        {"tcvn", PS_ENC_TCVN3},      {"abc", PS_ENC_TCVN3},           {"vn3", PS_ENC_TCVN3},
        {"vni", PS_ENC_VNI},         {"vni-windows", PS_ENC_VNI},     {"cp1252", PS_ENC_CP1252},
        {"windows-1252", PS_ENC_CP1252}, {"iso-8859-1", PS_ENC_CP1252}, {"latin1", PS_ENC_CP1252},
        {"latin-1", PS_ENC_CP1252},  {"us-ascii", PS_ENC_UTF8},       {"ascii", PS_ENC_UTF8},
    };
    size_t i;
    if (!name)
        return -1;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(name, names[i].name) == 0)
            return names[i].enc;
    return -1;
}

/* ---- detection ---------------------------------------------------------- */

#define SAMPLE_BYTES ((size_t)256 << 10)
/* A default that reads at least this well is kept without trying others. */
#define GOOD_SCORE 0.6
/* How much better a legacy decoding must read than a default that decodes
 * cleanly (valid UTF-8, or declared Windows-1252) to replace it; it must
 * also reach GOOD_SCORE itself. Valid UTF-8 with letters beyond ASCII is
 * almost never a legacy file (their accent bytes are followed by ASCII
 * letters, which UTF-8 does not allow), so the bar is high. */
#define CLEAN_MARGIN 0.15
/* Below this no decoding reads as Vietnamese: keep the default. */
#define MIN_LEGACY_SCORE 0.3

/* The score of a decoded sample. The scorer wants 20 letter tokens; a
 * short text is scored repeated, which keeps its share (only for choosing
 * among decodings of bytes that are not valid UTF-8: a valid UTF-8 text
 * too short to judge stays as it is). -1 without letters. */
static double score_text(const char *s, size_t n, int repeat_short)
{
    double sc = ps_text_vietnamese_score(s, n, SAMPLE_BYTES * 2);
    ps_buf rep;
    int i;
    if (sc >= 0 || !repeat_short || n == 0 || n > 8192)
        return sc;
    ps_buf_init(&rep, 0);
    for (i = 0; i < 20; i++) {
        ps_buf_add(&rep, s, n);
        ps_buf_addc(&rep, '\n');
    }
    sc = rep.err ? -1 : ps_text_vietnamese_score(rep.data, rep.len, 0);
    ps_buf_fin(&rep);
    return sc;
}

static int valid_utf8(const unsigned char *s, size_t n, int *ascii)
{
    size_t i = 0;
    *ascii = 1;
    while (i < n) {
        int l;
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        *ascii = 0;
        l = ps_utf8_seqlen(s + i, n - i);
        if (!l)
            return n - i < 4 && n == SAMPLE_BYTES; /* cut at the sample's end */
        i += (size_t)l;
    }
    return 1;
}

static double score_as(const unsigned char *s, size_t n, int enc, int repeat_short)
{
    ps_buf b;
    double sc;
    ps_buf_init(&b, 0);
    if (enc == PS_ENC_UTF8)
        decode_utf8_replacing(s, n, &b);
    else
        ps_decode_bytes(s, n, enc, &b);
    sc = b.err ? -1 : score_text(b.data ? b.data : "", b.len, repeat_short);
    ps_buf_fin(&b);
    return sc;
}

int ps_encoding_detect_from(const char *s, size_t n, int declared, double *score)
{
    static const int legacy[] = {PS_ENC_CP1258, PS_ENC_TCVN3, PS_ENC_VNI};
    const unsigned char *u = (const unsigned char *)s;
    size_t sn = n < SAMPLE_BYTES ? n : SAMPLE_BYTES, i;
    int clean, ascii, strict, best = -1;
    double s0, best_s = -1, dummy;

    if (!score)
        score = &dummy;
    *score = -1;
    if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        return PS_ENC_UTF16;
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        *score = score_as(u + 3, sn - 3, PS_ENC_UTF8, 0);
        return PS_ENC_UTF8;
    }
    if (declared != PS_ENC_CP1252)
        declared = PS_ENC_UTF8;
    clean = valid_utf8(u, sn, &ascii);
    if (ascii) /* every decoding reads ASCII alike */
        return declared;
    if (declared == PS_ENC_CP1252)
        clean = 0; /* every byte means something in 1252: nothing to tell */
    s0 = score_as(u, sn, declared, !clean);
    *score = s0;
    if (clean && (s0 < 0 || s0 >= GOOD_SCORE))
        return declared;
    strict = clean || declared == PS_ENC_CP1252;
    for (i = 0; i < sizeof legacy / sizeof legacy[0]; i++) {
        double sc = score_as(u, sn, legacy[i], 1);
        if (sc > best_s) {
            best_s = sc;
            best = legacy[i];
        }
    }
    /* a default that decodes cleanly gives way only to a decoding that
     * reads as Vietnamese outright, and clearly better */
    if (best >= 0 && best_s >= (strict ? GOOD_SCORE : MIN_LEGACY_SCORE) &&
        best_s > s0 + (strict ? CLEAN_MARGIN : 0)) {
        *score = best_s;
        return best;
    }
    return declared;
}

int ps_encoding_detect(const char *s, size_t n, double *score)
{
    return ps_encoding_detect_from(s, n, PS_ENC_UTF8, score);
}

int ps_decode_legacy(const char *s, size_t n, int enc, ps_buf *out, int *used, ps_error *err)
{
    ps_buf dec;
    int rc;
    if (enc == PS_ENC_AUTO)
        enc = ps_encoding_detect(s, n, NULL);
    if (used)
        *used = enc;
    if (enc == PS_ENC_UTF8)
        return ps_text_clean(s, n, out, NULL, err);
    ps_buf_init(&dec, out->max);
    rc = ps_decode(s, n, enc, &dec, err);
    if (rc == PS_OK)
        rc = ps_text_clean(dec.data ? dec.data : "", dec.len, out, NULL, err);
    ps_buf_fin(&dec);
    return rc;
}
