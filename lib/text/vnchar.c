/*
 * vnchar.c: code-point tables and the Vietnamese syllable rules.
 *
 * ICU answers every question here (case, decomposition, properties), but
 * asking it per character costs more than the whole rest of the indexing
 * pipeline. So the answers for the first 8192 code points (all Latin
 * ranges Vietnamese uses, combining marks, general punctuation) are read
 * from ICU once into tables; rarer code points go to ICU directly.
 */
#include "text/vnchar.h"

#include <pthread.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "polsearch/text.h"
#include "polsearch/util.h"

typedef struct cpinfo {
    uint16_t lower;  /* lowercase code point */
    uint16_t fold;   /* diacritic-free lowercase base */
    uint8_t flags;   /* VN_* */
    uint8_t vowel;   /* 1..12 for a ă â e ê i o ô ơ u ư y (lowercase), else 0 */
    uint8_t tone;    /* 0 none, 1 grave, 2 acute, 3 hook, 4 tilde, 5 dot */
} cpinfo;

static cpinfo table[VN_TABLE_MAX];
static uint32_t compose[13][6]; /* compose[vowel][tone] -> code point */
static int init_rc = -1;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

enum { V_A = 1, V_AW, V_AA, V_E, V_EE, V_I, V_O, V_OO, V_OW, V_U, V_UW, V_Y };

/* Each row: a vowel with its five tones in the order grave, acute, hook,
 * tilde, dot. The row index + 1 is the vowel's number above. */
static const char *const vowel_rows[12] = {
    "aàáảãạ", "ăằắẳẵặ", "âầấẩẫậ", "eèéẻẽẹ", "êềếểễệ", "iìíỉĩị",
    "oòóỏõọ", "ôồốổỗộ", "ơờớởỡợ", "uùúủũụ", "ưừứửữự", "yỳýỷỹỵ",
};

static void init_tables(void)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&st);
    uint32_t cp;
    int v;

    if (U_FAILURE(st)) {
        init_rc = (int)st;
        return;
    }
    for (cp = 0; cp < VN_TABLE_MAX; cp++) {
        cpinfo *e = &table[cp];
        UChar buf[8];
        int32_t n;
        uint32_t lower = (uint32_t)u_tolower((UChar32)cp);
        unsigned fl = 0;

        if (u_isalpha((UChar32)cp))
            fl |= VN_LETTER;
        if (lower != cp)
            fl |= VN_UPPER;
        if (u_charType((UChar32)cp) == U_NON_SPACING_MARK)
            fl |= VN_MARK;
        if (u_isdigit((UChar32)cp))
            fl |= VN_DIGIT;
        if (u_getIntPropertyValue((UChar32)cp, UCHAR_NFC_QUICK_CHECK) != UNORM_YES ||
            u_getCombiningClass((UChar32)cp) != 0)
            fl |= VN_NFC_MAYBE;
        /* Ð (U+00D0, eth) stands for Đ in some Vietnamese files; ð too. */
        if (cp == 0x00D0 || cp == 0x00F0 || cp == 0x0110)
            lower = 0x0111;
        e->lower = (uint16_t)(lower < 0x10000 ? lower : cp);
        e->flags = (uint8_t)fl;
        e->fold = (uint16_t)e->lower;
        /* the base letter is the first code point of the decomposition */
        st = U_ZERO_ERROR;
        {
            UChar one[2];
            int32_t len = 0;
            U16_APPEND_UNSAFE(one, len, (UChar32)e->lower);
            n = unorm2_normalize(nfd, one, len, buf, 8, &st);
        }
        if (U_SUCCESS(st) && n > 0 && buf[0] < 0x80 && (fl & VN_LETTER))
            e->fold = buf[0];
        if (e->lower == 0x0111)
            e->fold = 'd';
    }
    /* vowels and tones */
    for (v = 0; v < 12; v++) {
        const unsigned char *p = (const unsigned char *)vowel_rows[v];
        size_t left = strlen(vowel_rows[v]);
        int t;
        for (t = 0; t < 6; t++) {
            uint32_t c = 0;
            int l = ps_utf8_decode(p, left, &c);
            p += l;
            left -= (size_t)l;
            compose[v + 1][t] = c;
            if (c < VN_TABLE_MAX) {
                table[c].vowel = (uint8_t)(v + 1);
                table[c].tone = (uint8_t)t;
            }
        }
    }
    init_rc = 0;
}

int vn_init(void)
{
    pthread_once(&init_once, init_tables);
    return init_rc;
}

unsigned vn_flags(uint32_t cp)
{
    unsigned fl = 0;
    if (cp < VN_TABLE_MAX)
        return table[cp].flags;
    if (u_isalpha((UChar32)cp))
        fl |= VN_LETTER;
    if ((uint32_t)u_tolower((UChar32)cp) != cp)
        fl |= VN_UPPER;
    if (u_charType((UChar32)cp) == U_NON_SPACING_MARK)
        fl |= VN_MARK;
    if (u_isdigit((UChar32)cp))
        fl |= VN_DIGIT;
    if (u_getIntPropertyValue((UChar32)cp, UCHAR_NFC_QUICK_CHECK) != UNORM_YES ||
        u_getCombiningClass((UChar32)cp) != 0)
        fl |= VN_NFC_MAYBE;
    return fl;
}

uint32_t vn_lower(uint32_t cp)
{
    if (cp < VN_TABLE_MAX)
        return table[cp].lower;
    return (uint32_t)u_tolower((UChar32)cp);
}

uint32_t vn_fold(uint32_t cp)
{
    if (cp < VN_TABLE_MAX)
        return table[cp].fold;
    return cp;
}

static int vowel_of(uint32_t cp)
{
    return cp < VN_TABLE_MAX ? table[cp].vowel : 0;
}

static int tone_of(uint32_t cp)
{
    return cp < VN_TABLE_MAX ? table[cp].tone : 0;
}

void vn_canon_syllable(uint32_t *c, size_t *np)
{
    size_t n = *np, i, j;

    /* stray combining marks that NFC could not attach */
    for (i = j = 0; i < n; i++) {
        if (c[i] < VN_TABLE_MAX && (table[c[i]].flags & VN_MARK))
            continue;
        c[j++] = c[i] == 0x00F0 ? 0x0111 : c[i];
    }
    n = j;
    *np = n;
    if (n < 2)
        return;

    /* Open "oa", "oe", "uy": the old placement (tone on the first vowel)
     * is canonical. Only when the pair ends the syllable, the first vowel
     * is toneless and bare, and it is not the "u" of "qu". */
    {
        uint32_t a = c[n - 2], b = c[n - 1];
        int va = vowel_of(a), vb = vowel_of(b);
        int ta = tone_of(a), tb = tone_of(b);
        int pair = (va == V_O && (vb == V_A || vb == V_E)) || (va == V_U && vb == V_Y);
        if (pair && ta == 0 && tb != 0) {
            int before_ok = 1;
            if (n >= 3) {
                uint32_t p = c[n - 3];
                if (vowel_of(p) || p == 'q')
                    before_ok = 0;
            }
            if (before_ok) {
                c[n - 2] = compose[va][tb];
                c[n - 1] = compose[vb][0];
            }
        }
    }

    /* Final i after qu, h, k, l, m, s, t is spelled y (quí/quý, kĩ/kỹ). */
    {
        int vl = vowel_of(c[n - 1]);
        if (vl == V_I) {
            int t = tone_of(c[n - 1]);
            int yes = 0;
            if (n == 2)
                yes = c[0] == 'h' || c[0] == 'k' || c[0] == 'l' || c[0] == 'm' ||
                      c[0] == 's' || c[0] == 't';
            else if (n == 3)
                yes = c[0] == 'q' && c[1] == 'u';
            if (yes)
                c[n - 1] = compose[V_Y][t];
        }
    }
}

/* Onsets of Vietnamese syllables, longest first so matching is greedy. */
static const char *const onsets[] = {
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
};
static const char *const finals[] = {"ch", "ng", "nh", "c", "m", "n", "p", "t", ""};

/* Whether code points c[0..n) start with the ASCII/UTF-8 string s; sets
 * *len to the code points consumed. */
static int starts_with(const uint32_t *c, size_t n, const char *s, size_t *len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, left = strlen(s);
    while (left) {
        uint32_t cp = 0;
        int l = ps_utf8_decode(p, left, &cp);
        if (!l || i >= n || c[i] != cp)
            return 0;
        p += l;
        left -= (size_t)l;
        i++;
    }
    *len = i;
    return 1;
}

/* The vowel clusters of Vietnamese syllables, as base vowels (V_*), with
 * the vowel that carries the tone and whether a final consonant may
 * follow. A cluster that ends in a glide (ai, ao, ươi ...) closes the
 * syllable: "laõnh" or "xaõ" (VNI text read as Latin-1) fail on that. */
typedef struct nucleus {
    unsigned char v[3];
    unsigned char main;    /* index of the toned vowel */
    unsigned char either;  /* oa, oe, uy: both placements are current */
    unsigned char open;    /* no final consonant after it */
} nucleus;

static const nucleus nuclei[] = {
    {{V_A}, 0, 0, 0}, {{V_AW}, 0, 0, 0}, {{V_AA}, 0, 0, 0}, {{V_E}, 0, 0, 0},
    {{V_EE}, 0, 0, 0}, {{V_I}, 0, 0, 0}, {{V_O}, 0, 0, 0}, {{V_OO}, 0, 0, 0},
    {{V_OW}, 0, 0, 0}, {{V_U}, 0, 0, 0}, {{V_UW}, 0, 0, 0}, {{V_Y}, 0, 0, 0},
    {{V_A, V_I}, 0, 0, 1}, {{V_A, V_O}, 0, 0, 1}, {{V_A, V_U}, 0, 0, 1},
    {{V_A, V_Y}, 0, 0, 1}, {{V_AA, V_U}, 0, 0, 1}, {{V_AA, V_Y}, 0, 0, 1},
    {{V_E, V_O}, 0, 0, 1}, {{V_EE, V_U}, 0, 0, 1}, {{V_I, V_A}, 0, 0, 1},
    {{V_I, V_EE}, 1, 0, 0}, {{V_I, V_U}, 0, 0, 1}, {{V_O, V_A}, 1, 1, 0},
    {{V_O, V_AW}, 1, 0, 0}, {{V_O, V_E}, 1, 1, 0}, {{V_O, V_I}, 0, 0, 1},
    {{V_O, V_O}, 1, 0, 0}, {{V_OO, V_I}, 0, 0, 1}, {{V_OW, V_I}, 0, 0, 1},
    {{V_U, V_A}, 0, 0, 1}, {{V_U, V_AA}, 1, 0, 0}, {{V_U, V_EE}, 1, 0, 0},
    {{V_U, V_I}, 0, 0, 1}, {{V_U, V_OO}, 1, 0, 0}, {{V_U, V_OW}, 1, 0, 1},
    {{V_U, V_Y}, 1, 1, 0}, {{V_UW, V_A}, 0, 0, 1}, {{V_UW, V_I}, 0, 0, 1},
    {{V_UW, V_OW}, 1, 0, 0}, {{V_UW, V_U}, 0, 0, 1}, {{V_Y, V_EE}, 1, 0, 0},
    {{V_I, V_EE, V_U}, 1, 0, 1}, {{V_Y, V_EE, V_U}, 1, 0, 1},
    {{V_O, V_A, V_I}, 1, 0, 1}, {{V_O, V_A, V_Y}, 1, 0, 1},
    {{V_O, V_E, V_O}, 1, 0, 1}, {{V_U, V_AA, V_Y}, 1, 0, 1},
    {{V_U, V_OO, V_I}, 1, 0, 1}, {{V_UW, V_OW, V_I}, 1, 0, 1},
    {{V_UW, V_OW, V_U}, 1, 0, 1}, {{V_U, V_Y, V_A}, 1, 0, 1},
    {{V_U, V_Y, V_EE}, 2, 0, 0}, {{V_U, V_Y, V_U}, 1, 0, 1},
};

int vn_is_syllable(const uint32_t *c, size_t n)
{
    size_t o, i, k, on = 0, fn = 0, nv = 0, toned_at = 0;
    unsigned char v[3] = {0, 0, 0};
    int toned = 0;
    const nucleus *nu = NULL;
    if (n == 0 || n > 8)
        return 0;
    for (o = 0; o < sizeof onsets / sizeof onsets[0]; o++)
        if (starts_with(c, n, onsets[o], &on))
            break;
    for (i = on; i < n && vowel_of(c[i]); i++) {
        if (nv < 3)
            v[nv] = (unsigned char)vowel_of(c[i]);
        if (tone_of(c[i])) {
            toned++;
            toned_at = nv;
        }
        nv++;
    }
    if (nv == 0) {
        /* "gi" and "qu" may be followed directly by a final (gìn, quýt) */
        if (on == 2 && (c[0] == 'g' || c[0] == 'q'))
            nv = 1;
        else
            return 0;
    } else {
        if (nv > 3 || toned > 1)
            return 0;
        for (k = 0; k < sizeof nuclei / sizeof nuclei[0]; k++)
            if (memcmp(nuclei[k].v, v, 3) == 0) {
                nu = &nuclei[k];
                break;
            }
        if (!nu)
            return 0;
        if (toned && toned_at != nu->main && !(nu->either && toned_at + 1 == nu->main))
            return 0;
    }
    for (k = 0; k < sizeof finals / sizeof finals[0]; k++) {
        if (starts_with(c + i, n - i, finals[k], &fn) && i + fn == n)
            return fn == 0 || !nu || !nu->open;
    }
    return 0;
}

int vn_word(const char *s, size_t n, char *term, size_t *term_len, char *fold,
            size_t *fold_len, size_t cap)
{
    uint32_t cps[VN_WORD_MAX];
    size_t nc = 0, i, tl = 0, fl = 0;
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    int flags = 0, letters = 0, uppers = 0, need_nfc = 0, any = 0;

    while (p < end) {
        uint32_t cp;
        int l = ps_utf8_decode(p, (size_t)(end - p), &cp);
        unsigned f;
        if (!l) {
            cp = 0xFFFD;
            l = 1;
        }
        p += l;
        f = vn_flags(cp);
        if (f & VN_MARK)
            need_nfc = 1;
        if (!(f & (VN_LETTER | VN_DIGIT | VN_MARK)))
            continue;
        if (f & (VN_LETTER | VN_DIGIT))
            any = 1;
        if (f & VN_LETTER) {
            letters++;
            if (f & VN_UPPER)
                uppers++;
            if (letters == 1 && (f & VN_UPPER))
                flags |= PS_TOK_CAPITAL;
        }
        if (nc == VN_WORD_MAX) {
            flags |= PS_TOK_LONG;
            break;
        }
        cps[nc++] = cp;
    }
    if (!any)
        return -1;
    if (letters >= 2 && uppers == letters)
        flags |= PS_TOK_ALLCAPS;

    if (need_nfc) {
        /* decomposed input: compose with ICU, then continue as usual */
        UChar u16[VN_WORD_MAX * 2], out16[VN_WORD_MAX * 2];
        int32_t ul = 0, ol;
        UErrorCode st = U_ZERO_ERROR;
        const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
        for (i = 0; i < nc; i++)
            U16_APPEND_UNSAFE(u16, ul, (UChar32)cps[i]);
        if (U_SUCCESS(st)) {
            ol = unorm2_normalize(nfc, u16, ul, out16, VN_WORD_MAX * 2, &st);
            if (U_SUCCESS(st)) {
                int32_t k = 0;
                nc = 0;
                while (k < ol && nc < VN_WORD_MAX) {
                    UChar32 c32;
                    U16_NEXT(out16, k, ol, c32);
                    cps[nc++] = (uint32_t)c32;
                }
            }
        }
    }
    for (i = 0; i < nc; i++)
        cps[i] = vn_lower(cps[i]);
    vn_canon_syllable(cps, &nc);
    if (nc == 0)
        return -1;

    for (i = 0; i < nc; i++) {
        char enc[4];
        int l = ps_utf8_encode(cps[i], enc);
        uint32_t f = vn_fold(cps[i]);
        if (tl + (size_t)l >= cap) {
            flags |= PS_TOK_LONG;
            break;
        }
        memcpy(term + tl, enc, (size_t)l);
        tl += (size_t)l;
        if (f != cps[i]) {
            flags |= PS_TOK_MARKS;
            l = ps_utf8_encode(f, enc);
        }
        if (fl + (size_t)l >= cap)
            break;
        memcpy(fold + fl, enc, (size_t)l);
        fl += (size_t)l;
    }
    term[tl] = '\0';
    fold[fl] = '\0';
    *term_len = tl;
    *fold_len = fl;
    return flags;
}
