/*
 * vnencode.h: encoders from UTF-8 into the legacy Vietnamese encodings,
 * for tests only (the library decodes; nothing in it encodes). Shared by
 * tests/tools/formats.c and the unit tests; static functions, included
 * once per program.
 *
 * They are written apart from the decoders in lib/doc/encoding.c so that a
 * round trip checks one against the other:
 *   - TCVN3 takes its byte for each letter from glibc's iconv
 *     ("TCVN5712-1"), keeping only the codes of VN3 (small letters and
 *     Ă Â Ê Ô Ơ Ư Đ); a capital with a tone mark, which VN3 lacks, is
 *     written with the small letter's code, as text set in the capital
 *     fonts (.VnTimeH) is.
 *   - VNI splits each letter with ICU's NFD into base, vowel modifier and
 *     tone, and writes the base then the accent byte of the VNI-Windows
 *     layout.
 *   - CP1258 is glibc's iconv (base letters plus combining tone marks).
 * Curly quotes, dashes, ellipsis and bullets become their Windows-1252
 * bytes in TCVN3 and VNI; other characters outside the encoding '?'.
 */
#ifndef PS_TESTS_VNENCODE_H
#define PS_TESTS_VNENCODE_H

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "polsearch/util.h"

static int vnenc_cp1252_punct(uint32_t cp)
{
    switch (cp) {
    case 0x2018: return 0x91;
    case 0x2019: return 0x92;
    case 0x201C: return 0x93;
    case 0x201D: return 0x94;
    case 0x2022: return 0x95;
    case 0x2013: return 0x96;
    case 0x2014: return 0x97;
    case 0x2026: return 0x85;
    case 0x20AC: return 0x80;
    default: return -1;
    }
}

/* Decodes UTF-8 into NFC code points; returns the count (<= cap). */
static size_t vnenc_codepoints(const char *s, size_t n, uint32_t *out, size_t cap)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
    UChar *u16, *norm;
    int32_t ul = 0, nl;
    size_t k = 0;
    int32_t i = 0;
    u16 = ps_malloc((n + 1) * sizeof(UChar));
    norm = ps_malloc((n + 1) * 3 * sizeof(UChar));
    if (!u16 || !norm) {
        ps_free(u16);
        ps_free(norm);
        return 0;
    }
    u_strFromUTF8WithSub(u16, (int32_t)n + 1, &ul, s, (int32_t)n, 0xFFFD, NULL, &st);
    nl = unorm2_normalize(nfc, u16, ul, norm, (int32_t)(n + 1) * 3, &st);
    if (U_FAILURE(st))
        nl = 0;
    while (i < nl && k < cap) {
        UChar32 c;
        U16_NEXT(norm, i, nl, c);
        out[k++] = (uint32_t)c;
    }
    ps_free(u16);
    ps_free(norm);
    return k;
}

/* ---- TCVN3 ---- */

typedef struct vnenc_tcvn3_table {
    uint32_t cp[256]; /* code point of each VN3 byte, 0 where unused */
} vnenc_tcvn3_table;

static int vnenc_tcvn3_init(vnenc_tcvn3_table *t)
{
    iconv_t cd = iconv_open("UTF-32LE", "TCVN5712-1");
    int b;
    if (cd == (iconv_t)-1)
        return -1;
    memset(t, 0, sizeof *t);
    for (b = 0xA1; b <= 0xFE; b++) {
        char in[1], out[16], *ip = in, *op = out;
        size_t il = 1, ol = sizeof out;
        uint32_t cp;
        in[0] = (char)b;
        /* glibc's TCVN decoder holds a letter back (a combining mark may
         * follow): flush it out */
        if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 ||
            iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1 || sizeof out - ol != 4) {
            iconv(cd, NULL, NULL, NULL, NULL);
            continue;
        }
        memcpy(&cp, out, 4);
        if (u_islower((UChar32)cp) || cp == 0x102 || cp == 0xC2 || cp == 0xCA || cp == 0xD4 ||
            cp == 0x1A0 || cp == 0x1AF || cp == 0x110)
            t->cp[b] = cp;
    }
    iconv_close(cd);
    return 0;
}

static int vnenc_tcvn3_byte(const vnenc_tcvn3_table *t, uint32_t cp)
{
    int b, p;
    if (cp < 0x80)
        return (int)cp;
    for (b = 0xA1; b <= 0xFE; b++)
        if (t->cp[b] == cp)
            return b;
    if ((uint32_t)u_tolower((UChar32)cp) != cp)
        for (b = 0xA1; b <= 0xFE; b++)
            if (t->cp[b] == (uint32_t)u_tolower((UChar32)cp))
                return b;
    p = vnenc_cp1252_punct(cp);
    return p >= 0 ? p : '?';
}

static int vnenc_tcvn3(const char *s, size_t n, ps_buf *out)
{
    vnenc_tcvn3_table t;
    uint32_t *cps = ps_malloc((n + 1) * sizeof *cps);
    size_t k, nc;
    if (!cps || vnenc_tcvn3_init(&t)) {
        ps_free(cps);
        return -1;
    }
    nc = vnenc_codepoints(s, n, cps, n + 1);
    for (k = 0; k < nc; k++)
        if (cps[k] != 0xFEFF) /* a BOM has no place in a legacy file */
            ps_buf_addc(out, (char)vnenc_tcvn3_byte(&t, cps[k]));
    ps_free(cps);
    return out->err;
}

/* ---- VNI ---- */

/* The small accent byte for a vowel modifier and a tone. */
static int vnenc_vni_accent(uint32_t modifier, uint32_t tone)
{
    static const struct {
        uint32_t m, t;
        int b;
    } acc[] = {
        {0, 0x301, 0xF9},     {0, 0x300, 0xF8},     {0, 0x309, 0xFB},     {0, 0x303, 0xF5},
        {0, 0x323, 0xEF},     {0x302, 0, 0xE2},     {0x302, 0x301, 0xE1}, {0x302, 0x300, 0xE0},
        {0x302, 0x309, 0xE5}, {0x302, 0x303, 0xE3}, {0x302, 0x323, 0xE4}, {0x306, 0, 0xEA},
        {0x306, 0x301, 0xE9}, {0x306, 0x300, 0xE8}, {0x306, 0x309, 0xFA}, {0x306, 0x303, 0xFC},
        {0x306, 0x323, 0xEB},
    };
    size_t i;
    for (i = 0; i < sizeof acc / sizeof acc[0]; i++)
        if (acc[i].m == modifier && acc[i].t == tone)
            return acc[i].b;
    return -1;
}

static void vnenc_vni_char(uint32_t cp, ps_buf *out)
{
    static const struct {
        uint32_t cp;
        int b;
    } own[] = {
        {0x111, 0xF1}, {0x110, 0xD1}, {0xEC, 0xEC}, {0xCC, 0xCC}, {0xED, 0xED}, {0xCD, 0xCD},
        {0x1EC9, 0xE6}, {0x1EC8, 0xC6}, {0x129, 0xF3}, {0x128, 0xD3}, {0x1ECB, 0xF2},
        {0x1ECA, 0xD2}, {0x1EF5, 0xEE}, {0x1EF4, 0xCE},
    };
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&st);
    UChar src[2], dec[8];
    int32_t dl, i;
    uint32_t base, modifier = 0, tone = 0;
    int horn = 0, p, upper, acc;
    size_t k;

    if (cp < 0x80) {
        ps_buf_addc(out, (char)cp);
        return;
    }
    for (k = 0; k < sizeof own / sizeof own[0]; k++)
        if (own[k].cp == cp) {
            ps_buf_addc(out, (char)own[k].b);
            return;
        }
    p = vnenc_cp1252_punct(cp);
    if (p >= 0) {
        ps_buf_addc(out, (char)p);
        return;
    }
    if (cp > 0xFFFF) {
        ps_buf_addc(out, '?');
        return;
    }
    src[0] = (UChar)cp;
    dl = unorm2_normalize(nfd, src, 1, dec, 8, &st);
    if (U_FAILURE(st) || dl < 1 || dec[0] >= 0x80) {
        ps_buf_addc(out, cp < 0x100 ? (char)cp : '?');
        return;
    }
    base = dec[0];
    for (i = 1; i < dl; i++) {
        if (dec[i] == 0x31B)
            horn = 1;
        else if (dec[i] == 0x302 || dec[i] == 0x306)
            modifier = dec[i];
        else
            tone = dec[i];
    }
    upper = base >= 'A' && base <= 'Z';
    if (horn) /* ơ ư have codes of their own */
        ps_buf_addc(out, (char)((base | 0x20) == 'o' ? (upper ? 0xD4 : 0xF4)
                                                      : (upper ? 0xD6 : 0xF6)));
    else
        ps_buf_addc(out, (char)base);
    if (!modifier && !tone)
        return;
    acc = vnenc_vni_accent(modifier, tone);
    if (acc < 0) {
        ps_buf_addc(out, '?');
        return;
    }
    ps_buf_addc(out, (char)(upper ? acc - 0x20 : acc));
}

static int vnenc_vni(const char *s, size_t n, ps_buf *out)
{
    uint32_t *cps = ps_malloc((n + 1) * sizeof *cps);
    size_t k, nc;
    if (!cps)
        return -1;
    nc = vnenc_codepoints(s, n, cps, n + 1);
    for (k = 0; k < nc; k++)
        if (cps[k] != 0xFEFF)
            vnenc_vni_char(cps[k], out);
    ps_free(cps);
    return out->err;
}

/* ---- iconv (CP1258, UTF-16) ---- */

static int vnenc_iconv(const char *s, size_t n, const char *to, ps_buf *out)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    char *in = (char *)s;
    size_t left = n;
    if (cd == (iconv_t)-1)
        return -1;
    while (left > 0) {
        char chunk[4096], *o = chunk;
        size_t ol = sizeof chunk;
        size_t r = iconv(cd, &in, &left, &o, &ol);
        ps_buf_add(out, chunk, sizeof chunk - ol);
        if (r == (size_t)-1 && errno != E2BIG) {
            ps_buf_addc(out, '?');
            in++;
            left--;
        }
    }
    {
        char chunk[64], *o = chunk;
        size_t ol = sizeof chunk;
        iconv(cd, NULL, NULL, &o, &ol);
        ps_buf_add(out, chunk, sizeof chunk - ol);
    }
    iconv_close(cd);
    return out->err;
}

#endif
