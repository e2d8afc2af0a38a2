/*
 * vnchar.h: internal to lib/text. Per-code-point tables and the syllable
 * canonicaliser shared by the cleaner, the analyzer and the whole-string
 * folds.
 */
#ifndef PS_TEXT_VNCHAR_H
#define PS_TEXT_VNCHAR_H

#include <stddef.h>
#include <stdint.h>

/* Code points below this have a table entry; above it ICU is asked. */
#define VN_TABLE_MAX 0x2000u

enum {
    VN_LETTER = 1,   /* alphabetic */
    VN_UPPER = 2,    /* has a distinct lowercase */
    VN_MARK = 4,     /* combining mark (general category Mn) */
    VN_DIGIT = 8,    /* decimal digit */
    VN_NFC_MAYBE = 16 /* NFC_Quick_Check is not Yes: may change under NFC */
};

/* Builds the tables once (thread-safe, idempotent); 0 on success, else an
 * ICU failure (then every caller reports PS_EICU). */
int vn_init(void);

/* Flags of a code point (VN_*). */
unsigned vn_flags(uint32_t cp);
/* Simple lowercase mapping, with Ð/ð mapped to đ. */
uint32_t vn_lower(uint32_t cp);
/* Diacritic-free lowercase base of a (lowercase) letter: 'd' for đ, 'a'
 * for ầ; the letter itself when it has no Latin base. */
uint32_t vn_fold(uint32_t cp);

/* Canonicalises one lowercase syllable in place (tone placement, final
 * i/y, stray marks, ð); n is updated. See text.h for the rules. */
void vn_canon_syllable(uint32_t *cps, size_t *n);

/* Whether the lowercase, canonical code points form a Vietnamese syllable. */
int vn_is_syllable(const uint32_t *cps, size_t n);

/* Most code points one syllable may carry through the fast path. */
#define VN_WORD_MAX 64

/* Turns one word (UTF-8, any case, any normal form; only letters, digits
 * and marks expected) into its canonical term and fold, each written as
 * NUL-terminated UTF-8 into buffers of at least cap bytes. Returns the
 * PS_TOK_* flags it can tell (CAPITAL, ALLCAPS, MARKS, LONG), or -1 when
 * no letter or digit remains. */
int vn_word(const char *s, size_t n, char *term, size_t *term_len, char *fold,
            size_t *fold_len, size_t cap);

#endif
