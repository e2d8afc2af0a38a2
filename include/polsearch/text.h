/*
 * text.h: Vietnamese text analysis on ICU.
 *
 * Three layers, each usable alone:
 *
 *   ps_text_clean()   raw bytes -> the stored form of a text: valid UTF-8
 *                     (invalid bytes become U+FFFD and are counted), NFC,
 *                     LF line ends, no BOM, no control or zero-width chars.
 *                     Offsets of every later stage refer to this form.
 *
 *   ps_text_lower() / ps_text_fold()
 *                     a whole string lowercased with one canonical tone
 *                     placement, or also stripped of every diacritic
 *                     (đ -> d); for metadata keys, slugs and comparisons.
 *
 *   ps_analyzer       splits a text into syllables with ICU's word break
 *                     iterator and gives, for each, its canonical term, its
 *                     diacritic-free fold, its byte span and position.
 *
 * Canonical form of a syllable (documents and queries alike):
 *   - NFC, lowercase (simple case mapping), Ð/ð (U+00D0/U+00F0, which some
 *     files use for Đ) -> đ;
 *   - the tone of an open "oa", "oe", "uy" syllable sits on the first vowel
 *     (hoà -> hòa, khoẻ -> khỏe, thuỷ -> thủy, uỷ -> ủy); never after "q"
 *     (quý stays), and closed syllables (hoàng, toán, khuyến) never move;
 *   - final i after qu, h, k, l, m, s, t is written y (quí -> quý,
 *     kĩ -> kỹ, lí -> lý): both spellings are current and mean the same;
 *   - combining marks NFC could not attach are dropped.
 * The fold drops every mark from the canonical term (hòa -> hoa, đ -> d).
 * Tones are never merged in the canonical term: hòa and hóa stay apart.
 *
 * Threads: every function here is thread-safe except that one ps_analyzer
 * must be used by one thread at a time. Create one per thread (it clones
 * ICU's break iterator, which is not thread-safe).
 */
#ifndef POLSEARCH_TEXT_H
#define POLSEARCH_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "polsearch/util.h"

/* ---- cleaning ------------------------------------------------------- */

typedef struct ps_clean_stats {
    size_t invalid_bytes;  /* bytes of invalid UTF-8 replaced by U+FFFD */
    size_t dropped;        /* control, zero-width and BOM characters dropped */
    size_t renormalized;   /* lines that were not NFC and were normalised */
} ps_clean_stats;

/* Appends the cleaned form of s (n bytes) to out. st may be NULL. Fails
 * only on allocation failure, an ICU error or out's cap (PS_ETOOBIG). */
int ps_text_clean(const char *s, size_t n, ps_buf *out, ps_clean_stats *st, ps_error *err);

/* Share of letter tokens in s that are valid Vietnamese syllables
 * (0..1), over at most the first `limit` bytes; -1 when s has fewer than
 * 20 letter tokens. Tells good Vietnamese text (about 0.9) from text read
 * in the wrong legacy encoding (0.1-0.2). */
double ps_text_vietnamese_score(const char *s, size_t n, size_t limit);

/* Whether the syllable (NFC, any case) is a well-formed Vietnamese
 * syllable: onset + vowel nucleus + final, with at most one tone. */
int ps_text_is_syllable(const char *s, size_t n);

/* ---- whole-string forms -------------------------------------------- */

/* Appends s lowercased, each letter run in canonical form (see above);
 * other characters are copied. Input need not be NFC. */
int ps_text_lower(const char *s, size_t n, ps_buf *out);
/* Like ps_text_lower, then every diacritic removed (đ -> d). */
int ps_text_fold(const char *s, size_t n, ps_buf *out);
/* Whether s has any letter with a diacritic (or đ). */
int ps_text_has_marks(const char *s, size_t n);
/* Appends s folded with runs of non-alphanumerics turned into one '-'
 * and no leading/trailing '-': "Bộ Chính trị" -> "bo-chinh-tri". */
int ps_text_slug(const char *s, size_t n, ps_buf *out);

/* ---- tokens --------------------------------------------------------- */

/* Flags of a token. */
enum {
    PS_TOK_NUMBER = 1 << 0,    /* ICU classed it a number (57, 5.2, 1.234,5) */
    PS_TOK_BREAK = 1 << 1,     /* something other than spaces separates it
                                  from the previous token: no bigram across */
    PS_TOK_NEWLINE = 1 << 2,   /* a line break precedes it */
    PS_TOK_SENTENCE = 1 << 3,  /* . ! ? ; or : precedes it (sentence start) */
    PS_TOK_CAPITAL = 1 << 4,   /* written with an initial capital */
    PS_TOK_ALLCAPS = 1 << 5,   /* written all in capitals (2+ letters) */
    PS_TOK_MARKS = 1 << 6,     /* term has diacritics: fold differs */
    PS_TOK_LONG = 1 << 7       /* longer than PS_TERM_MAX: term truncated */
};

/* Longest term kept, in bytes (Xapian allows 245 with its prefix). */
#define PS_TERM_MAX 96

typedef struct ps_token {
    const char *term;  /* canonical lowercase form; borrowed, NUL-terminated,
                          valid until the next call on the analyzer */
    size_t term_len;
    const char *fold;  /* diacritic-free form; borrowed like term */
    size_t fold_len;
    size_t start;      /* byte span [start, end) in the analysed text */
    size_t end;
    uint32_t pos;      /* 0-based position among the text's tokens */
    unsigned flags;    /* PS_TOK_* */
} ps_token;

typedef struct ps_analyzer ps_analyzer;

/* A new analyzer. Caller frees with ps_analyzer_free(). */
int ps_analyzer_new(ps_analyzer **out, ps_error *err);
void ps_analyzer_free(ps_analyzer *a);

/* Starts on text (borrowed: it must stay unchanged until the analyzer is
 * restarted or freed). Invalid UTF-8 is read as U+FFFD. Positions start
 * at first_pos. */
int ps_analyzer_start(ps_analyzer *a, const char *text, size_t len, uint32_t first_pos,
                      ps_error *err);

/* The next syllable or number: 1 with *tok filled, 0 at the end. */
int ps_analyzer_next(ps_analyzer *a, ps_token *tok);

/* Whether words of plain letters and ASCII digits between spaces and
 * ASCII punctuation are cut by the analyzer itself (on, the default) or
 * by ICU like everything else (0). Both give the same tokens; the switch
 * is for the tests that check so and for measurements. */
void ps_analyzer_set_fast(ps_analyzer *a, int on);

/* Canonical term and fold of one word given alone (a query word, a
 * heading word): writes NUL-terminated strings into term/fold (each
 * PS_TERM_MAX + 1 bytes) and returns the token flags, or -1 when s holds
 * no letter or digit. */
int ps_text_word(const char *s, size_t n, char *term, size_t *term_len, char *fold,
                 size_t *fold_len);

#endif
