/*
 * docint.h: internal to lib/doc. Code-point helpers for matching
 * Vietnamese words in cleaned (NFC) text without ICU, and the table of
 * document types the number scanner and the header parser share.
 *
 * Why not ps_text_fold() on every candidate: the parser tries patterns at
 * tens of thousands of line starts per law; folding each candidate into a
 * buffer would cost more than the whole parse. The tables below cover the
 * letters Vietnamese uses (Latin-1, Ă Đ Ĩ Ũ Ơ Ư and the U+1EA0 block), which
 * is all a header, a heading or a number is written in.
 */
#ifndef PS_DOC_DOCINT_H
#define PS_DOC_DOCINT_H

#include <stddef.h>
#include <stdint.h>

#include "polsearch/util.h"

/* ---- code points ----------------------------------------------------- */

/* Decodes the code point at s[i] (i < n) into *cp and returns its length;
 * an invalid byte reads as U+FFFD of length 1, so scanners always move. */
static inline size_t dv_dec(const char *s, size_t n, size_t i, uint32_t *cp)
{
    int len = ps_utf8_decode((const unsigned char *)s + i, n - i, cp);
    if (len <= 0) {
        *cp = 0xFFFD;
        return 1;
    }
    return (size_t)len;
}

/* Length of the code point that ends just before s[i] (i > 0). */
static inline size_t dv_prev_len(const char *s, size_t i)
{
    size_t k = 1;
    while (k < 4 && k < i && ((unsigned char)s[i - k] & 0xC0) == 0x80)
        k++;
    return k;
}

/* Vietnamese letters of the U+1EA0 block come in upper/lower pairs; their
 * bases in order: Ạ..Ặ (12 a), Ẹ..Ệ (8 e), Ỉ Ị, Ọ..Ợ (12 o), Ụ..Ự (7 u),
 * Ỳ..Ỹ (4 y). */
static const char dv_ext_base[] = "aaaaaaaaaaaaeeeeeeeeiioooooooooooouuuuuuuyyyy";

/* Lowercase of a letter; Ð (U+00D0, eth) and ð read as đ, as some files
 * write Đ with it. Other code points are returned unchanged. */
static inline uint32_t dv_lower(uint32_t c)
{
    if (c < 0x80)
        return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    if (c == 0xD0 || c == 0xF0)
        return 0x111;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 0x20;
    if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
        return c | 1;
    if (c == 0x1A0 || c == 0x1AF)
        return c + 1;
    if (c >= 0x1E00 && c <= 0x1EFF)
        return c | 1;
    return c;
}

/* Uppercase of a letter (the inverse of dv_lower for Vietnamese). */
static inline uint32_t dv_upper(uint32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') ? c - 32 : c;
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7)
        return c - 0x20;
    if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
        return c & ~(uint32_t)1;
    if (c == 0x1A1 || c == 0x1B0)
        return c - 1;
    if (c >= 0x1E00 && c <= 0x1EFF)
        return c & ~(uint32_t)1;
    return c;
}

/* ASCII base letter of a Latin letter, lowercase ('d' for đ, 'a' for Ầ);
 * 0 for anything else. */
static inline char dv_base(uint32_t c)
{
    static const char latin1[] = /* U+00C0 .. U+00FF */
        "aaaaaaaceeeeiiiidnooooo\0ouuuuyts"
        "aaaaaaaceeeeiiiidnooooo\0ouuuuyty";
    if (c < 0x80) {
        if (c >= 'A' && c <= 'Z')
            return (char)(c + 32);
        if (c >= 'a' && c <= 'z')
            return (char)c;
        return 0;
    }
    if (c >= 0xC0 && c <= 0xFF)
        return latin1[c - 0xC0];
    switch (c) {
    case 0x102: case 0x103: return 'a';
    case 0x110: case 0x111: return 'd';
    case 0x128: case 0x129: return 'i';
    case 0x168: case 0x169: return 'u';
    case 0x1A0: case 0x1A1: return 'o';
    case 0x1AF: case 0x1B0: return 'u';
    default: break;
    }
    if (c >= 0x1EA0 && c <= 0x1EF9)
        return dv_ext_base[(c - 0x1EA0) / 2];
    return 0;
}

/* Whether c is a letter (Latin of any kind, or a letter of another script:
 * everything outside the punctuation and symbol blocks), or a combining
 * mark, which belongs to its word. */
static inline int dv_is_letter(uint32_t c)
{
    if (c < 0x80)
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (c < 0xC0)
        return c == 0xAA || c == 0xB5 || c == 0xBA;
    if (c == 0xD7 || c == 0xF7)
        return 0;
    if (c >= 0x2000 && c <= 0x2BFF)
        return 0; /* punctuation, symbols, arrows, boxes */
    if (c >= 0x3000 && c <= 0x303F)
        return 0;
    if (c == 0xFFFD || (c >= 0xFE00 && c <= 0xFE6F) || (c >= 0xFF00 && c <= 0xFF20))
        return 0;
    return 1;
}

static inline int dv_is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

static inline int dv_is_alnum(uint32_t c)
{
    return dv_is_digit(c) || dv_is_letter(c);
}

/* A letter written in capitals (it has a distinct lowercase). */
static inline int dv_is_upper(uint32_t c)
{
    return dv_is_letter(c) && dv_lower(c) != c;
}

/* A letter written in small letters. */
static inline int dv_is_lower(uint32_t c)
{
    return dv_is_letter(c) && dv_upper(c) != c;
}

/* Horizontal white space: space, tab, no-break space and the other Unicode
 * spaces scraped pages carry. */
static inline int dv_is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == 0xA0 || (c >= 0x2000 && c <= 0x200A) ||
           c == 0x202F || c == 0x205F || c == 0x3000;
}

/* ---- matching words ------------------------------------------------- */

/* How a pattern letter accepts a text letter:
 *   DV_VN    the same letter in either case, or its bare ASCII base (a text
 *            typed without diacritics): "Điều", "ĐIỀU", "Dieu" match
 *            "điều", but "Điệu" does not (so "Mức" never reads as "Mục");
 *   DV_FOLD  any letter with the same base ("Uỷ ban" and "Ủy ban" alike:
 *            tone placement varies in real texts). */
enum { DV_VN = 0, DV_FOLD = 1 };
/* Or'ed into the mode: the match need not end on a word boundary
 * ("ngày03", a scraped page that lost a space). */
enum { DV_PREFIX = 2 };

static inline int dv_letter_eq(uint32_t t, uint32_t p, int mode)
{
    uint32_t lt = dv_lower(t);
    if (lt == p)
        return 1;
    if (mode & DV_FOLD) {
        char bt = dv_base(lt), bp = dv_base(p);
        return bt && bt == bp;
    }
    return t < 0x80 && dv_base(t) && dv_base(t) == dv_base(p);
}

/* Matches the pattern pat (lowercase UTF-8; a space in it stands for one or
 * more white-space characters) at s[i]. Returns the offset just after the
 * match, or 0 when it does not match. A match ends on a word boundary when
 * the pattern ends in a letter or digit ("luật" does not match "luậtsư"). */
static inline size_t dv_match(const char *s, size_t n, size_t i, const char *pat, int mode)
{
    size_t plen = 0, pi = 0;
    uint32_t pc = 0, tc;
    while (pat[plen])
        plen++;
    while (pi < plen) {
        pi += dv_dec(pat, plen, pi, &pc);
        if (pc == ' ') {
            size_t k = i;
            while (k < n) {
                size_t l = dv_dec(s, n, k, &tc);
                if (!dv_is_space(tc))
                    break;
                k += l;
            }
            if (k == i)
                return 0;
            i = k;
            continue;
        }
        if (i >= n)
            return 0;
        i += dv_dec(s, n, i, &tc);
        if (tc != pc && !(dv_is_letter(pc) && dv_letter_eq(tc, pc, mode & DV_FOLD)))
            return 0;
    }
    if (!(mode & DV_PREFIX) && plen && dv_is_alnum(pc) && i < n) {
        dv_dec(s, n, i, &tc);
        if (dv_is_alnum(tc))
            return 0;
    }
    return i;
}

/* Skips white space (not line breaks) from i. */
static inline size_t dv_skip_space(const char *s, size_t n, size_t i)
{
    uint32_t c;
    while (i < n) {
        size_t l = dv_dec(s, n, i, &c);
        if (!dv_is_space(c))
            break;
        i += l;
    }
    return i;
}

/* End of the run of letters and digits starting at i (a word). */
static inline size_t dv_word_end(const char *s, size_t n, size_t i)
{
    uint32_t c;
    while (i < n) {
        size_t l = dv_dec(s, n, i, &c);
        if (!dv_is_alnum(c))
            break;
        i += l;
    }
    return i;
}

/* ---- document types --------------------------------------------------- */

/* One document type: its display form, the abbreviation numbers carry, and
 * the lowercase word(s) that name it in a title line or in running text. */
typedef struct dv_doctype {
    const char *display; /* "Nghị quyết" */
    const char *abbrev;  /* "NQ", or NULL when numbers never carry one */
    const char *word;    /* "nghị quyết" */
    int law;             /* 1 for Luật, Bộ luật, Hiến pháp, Pháp lệnh: their
                            title is the name "Luật X", not a subject "về X" */
} dv_doctype;

/* The table, longest words first so "thông tư liên tịch" wins over
 * "thông tư" and "bộ luật" over "luật". Defined in docnum.c. */
const dv_doctype *dv_doctypes(size_t *count);

/* Matches a type word at s[i] (DV_VN rules, any case): the entry, with
 * *end set past it; NULL when none. */
const dv_doctype *dv_doctype_at(const char *s, size_t n, size_t i, size_t *end);

/* Parses one document number at s[i] ("57-NQ/TW", "30/2020/NĐ-CP",
 * "234-TB/T.Ư"). loose also accepts spaces around separators and between
 * a letter part and its trailing digits ("QH 11"), as scraped header lines
 * have them, and numbers without a letter part ("45/2019", "57"): the
 * caller knows a number stands there. Returns the end offset (0 when no
 * number starts at i); *has_letter and *parts (may be NULL) tell whether a
 * letter part was found and how many parts there are. */
size_t dv_docnum_at(const char *s, size_t n, size_t i, int loose, int *has_letter, int *parts);

#endif
