/*
 * analyzer.c: syllables with byte offsets, on ICU's word break iterator.
 *
 * ICU has no Vietnamese word rules, so its word iterator yields one
 * syllable per token, which is what the index wants: words of several
 * syllables are matched through positions and bigram terms, not through
 * a segmenter's guess. The iterator reads the UTF-8 text in place through
 * a UText, so its boundaries are byte offsets into the caller's text and
 * no copy or offset map is needed.
 *
 * One break iterator is opened per process (it loads rule data) and each
 * analyzer clones it: clones are cheap and not shared between threads.
 *
 * The fast path. Nearly all of a Vietnamese text is words of precomposed
 * Latin letters and ASCII digits between spaces and ASCII punctuation,
 * where ICU's rules (UAX #29) reduce to: a run of letters and digits is
 * one word, everything else is a segment of no word. The analyzer cuts
 * such runs itself and asks ICU only where the rules could say more: a
 * character outside that set (combining marks, other scripts, symbols,
 * no-break spaces, the '_' and '@' that join words), or a '.', ':', '\'',
 * ',' or ';' between two words ("T.Ư", "5,3"). ICU then resumes at the
 * last boundary known for certain. tests/unit/text checks that both paths
 * give the same tokens on the project's corpus, and fuzz_analyzer checks
 * it on any input.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "polsearch/text.h"
#include "text/vnchar.h"

struct ps_analyzer {
    UBreakIterator *bi;
    UText *ut;
    const char *text;
    size_t len;
    int32_t prev;        /* previous boundary */
    size_t seg_pos;      /* inside an ICU word being split: next byte */
    size_t seg_end;      /* its end (0 when not splitting) */
    int seg_number;      /* the ICU word was a number */
    size_t last_end;     /* end of the previous token */
    int32_t icu_at;      /* the boundary ICU's iterator stands on (0 at the start) */
    int fast;            /* the fast path is on */
    uint32_t pos;
    char term[PS_TERM_MAX + 1];
    char fold[PS_TERM_MAX + 1];
};

static UBreakIterator *template_bi;
static UErrorCode template_rc = U_ZERO_ERROR;
static pthread_once_t template_once = PTHREAD_ONCE_INIT;

static void open_template(void)
{
    /* Root rules: the "vi" locale has none of its own (same boundaries). */
    template_bi = ubrk_open(UBRK_WORD, "", NULL, 0, &template_rc);
}

int ps_analyzer_new(ps_analyzer **out, ps_error *err)
{
    ps_analyzer *a;
    UErrorCode st = U_ZERO_ERROR;

    *out = NULL;
    if (vn_init())
        return ps_error_set(err, PS_EICU, "ICU tables could not be built");
    pthread_once(&template_once, open_template);
    if (U_FAILURE(template_rc))
        return ps_error_set(err, PS_EICU, "ICU word break iterator: %s",
                            u_errorName(template_rc));
    a = ps_calloc(1, sizeof *a);
    if (!a)
        return ps_error_set(err, PS_ENOMEM, "out of memory creating an analyzer");
    a->bi = ubrk_clone(template_bi, &st);
    if (U_FAILURE(st)) {
        ps_free(a);
        return ps_error_set(err, st == U_MEMORY_ALLOCATION_ERROR ? PS_ENOMEM : PS_EICU,
                            "ICU break iterator clone: %s", u_errorName(st));
    }
    a->fast = 1;
    *out = a;
    return PS_OK;
}

void ps_analyzer_set_fast(ps_analyzer *a, int on)
{
    a->fast = on != 0;
}

void ps_analyzer_free(ps_analyzer *a)
{
    if (!a)
        return;
    if (a->bi)
        ubrk_close(a->bi);
    if (a->ut)
        utext_close(a->ut);
    ps_free(a);
}

int ps_analyzer_start(ps_analyzer *a, const char *text, size_t len, uint32_t first_pos,
                      ps_error *err)
{
    UErrorCode st = U_ZERO_ERROR;
    if (len >= (size_t)INT32_MAX)
        return ps_error_set(err, PS_ETOOBIG, "text of %zu bytes: the analyzer takes < 2 GiB",
                            len);
    a->ut = utext_openUTF8(a->ut, text ? text : "", (int64_t)len, &st);
    if (U_SUCCESS(st))
        ubrk_setUText(a->bi, a->ut, &st);
    if (U_FAILURE(st))
        return ps_error_set(err, PS_EICU, "ICU cannot read the text: %s", u_errorName(st));
    a->text = text ? text : "";
    a->len = len;
    a->prev = 0;
    a->icu_at = 0;
    a->seg_pos = a->seg_end = 0;
    a->last_end = 0;
    a->pos = first_pos;
    return PS_OK;
}

/* Flags describing what lies between two tokens. */
static unsigned gap_flags(const char *s, size_t from, size_t to, int first)
{
    unsigned fl = first ? PS_TOK_BREAK | PS_TOK_NEWLINE | PS_TOK_SENTENCE : 0;
    size_t i;
    for (i = from; i < to; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t')
            continue;
        if (c == 0xC2 && i + 1 < to && (unsigned char)s[i + 1] == 0xA0) {
            i++; /* no-break space joins like a space */
            continue;
        }
        fl |= PS_TOK_BREAK;
        if (c == '\n' || c == '\f')
            fl |= PS_TOK_NEWLINE | PS_TOK_SENTENCE;
        else if (c == '.' || c == '!' || c == '?' || c == ';' || c == ':')
            fl |= PS_TOK_SENTENCE;
    }
    return fl;
}

/* Copies an ASCII number token (digits with . , between them) as it is
 * written; 0 when the token holds anything else (other digit scripts go
 * through the word routine). */
static int raw_number(ps_analyzer *a, size_t start, size_t end, ps_token *tok)
{
    size_t i, n = end - start;
    if (n > PS_TERM_MAX)
        return 0;
    for (i = start; i < end; i++) {
        char c = a->text[i];
        if (!((c >= '0' && c <= '9') || c == '.' || c == ','))
            return 0;
    }
    memcpy(a->term, a->text + start, n);
    a->term[n] = '\0';
    memcpy(a->fold, a->term, n + 1);
    tok->term_len = tok->fold_len = n;
    return 1;
}

/* Whether the code point at s continues a word (letter, digit, mark). */
static int word_char_at(const char *s, size_t avail, size_t *len)
{
    uint32_t cp;
    int l = ps_utf8_decode((const unsigned char *)s, avail, &cp);
    if (!l) {
        *len = 1;
        return 0;
    }
    *len = (size_t)l;
    return (vn_flags(cp) & (VN_LETTER | VN_DIGIT | VN_MARK)) != 0;
}

/* The next run of word characters in [a->seg_pos, a->seg_end); 0 when
 * none is left. ICU keeps "T.Ư", "dangcongsan.vn" or "ngày/tháng" parts
 * together as one word; the index wants their parts. */
static int next_part(ps_analyzer *a, size_t *start, size_t *end)
{
    size_t p = a->seg_pos, l;
    while (p < a->seg_end && !word_char_at(a->text + p, a->seg_end - p, &l))
        p += l;
    if (p >= a->seg_end) {
        a->seg_end = 0;
        return 0;
    }
    *start = p;
    while (p < a->seg_end && word_char_at(a->text + p, a->seg_end - p, &l))
        p += l;
    *end = p;
    a->seg_pos = p;
    return 1;
}

/* Whether text[start, end) holds a character that is not part of a word. */
static int has_inner_punct(const char *t, size_t start, size_t end)
{
    size_t p = start, l;
    while (p < end) {
        if (!word_char_at(t + p, end - p, &l))
            return 1;
        p += l;
    }
    return 0;
}

/* ASCII letters and digits */
static int ascii_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* A letter of the Latin blocks up to Latin Extended Additional, written
 * precomposed at s: its byte length, 0 for anything else. Every such
 * letter is ALetter for UAX #29. */
static size_t plain_letter(const char *s, size_t avail)
{
    uint32_t cp;
    int l = ps_utf8_decode((const unsigned char *)s, avail, &cp);
    if (l <= 0 || !((cp >= 0xC0 && cp < 0x250) || (cp >= 0x1E00 && cp < 0x1F00)))
        return 0;
    return (vn_flags(cp) & (VN_LETTER | VN_MARK)) == VN_LETTER ? (size_t)l : 0;
}

/* The characters that may join the words on their two sides. */
static int mid_char(unsigned char c)
{
    return c == '.' || c == ':' || c == '\'' || c == ',' || c == ';';
}

/* ASCII characters that are part of words for ICU 72: '_' joins words
 * (ExtendNumLet) and '@' is a letter, to keep e-mail addresses whole. */
static int joiner(unsigned char c)
{
    return c == '_' || c == '@';
}

/* The fast path (see the top of the file) from the boundary a->prev: 1
 * with the next word in [*start, *end) and a->prev after it, 0 at the end
 * of the text, -1 where ICU must decide (a->prev unchanged). */
static int fast_word(const struct ps_analyzer *a, size_t *start, size_t *end, int *number)
{
    const char *t = a->text;
    size_t len = a->len, i = (size_t)a->prev, j, l;
    int letter = 0;

    while (i < len && (unsigned char)t[i] < 0x80 && !ascii_alnum((unsigned char)t[i]) &&
           !joiner((unsigned char)t[i]))
        i++;
    if (i == len)
        return 0;
    /* one joining character right after a word: ICU knows best */
    if (i == (size_t)a->prev + 1 && mid_char((unsigned char)t[i - 1]) && i >= 2 &&
        ((unsigned char)t[i - 2] >= 0x80 || ascii_alnum((unsigned char)t[i - 2])))
        return -1;
    for (j = i; j < len;) {
        unsigned char c = (unsigned char)t[j];
        if (ascii_alnum(c)) {
            letter = c > '9';
            j++;
        } else if (c >= 0x80) {
            if (!(l = plain_letter(t + j, len - j)))
                return -1;
            letter = 1;
            j += l;
        } else if (joiner(c)) {
            return -1;
        } else {
            /* a joining character before a word character */
            if (mid_char(c) && j + 1 < len &&
                ((unsigned char)t[j + 1] >= 0x80 || ascii_alnum((unsigned char)t[j + 1]) ||
                 joiner((unsigned char)t[j + 1])))
                return -1;
            break;
        }
    }
    if (j == i)
        return -1; /* not a plain word at all */
    *start = i;
    *end = j;
    /* ICU's status is that of the rule that ended the word: a number
     * when it ends in a digit ("qh13"), a word when in a letter ("57nq") */
    *number = !letter;
    return 1;
}

/* The next word segment of ICU's rules after a->prev: 1 with [*start,
 * *end), *number and *plain (no character inside that is not part of a
 * word) set, 0 at the end. */
static int next_segment(ps_analyzer *a, size_t *start, size_t *end, int *number, int *plain)
{
    for (;;) {
        int32_t next, status;
        if (a->fast) {
            int r = fast_word(a, start, end, number);
            if (r >= 0) {
                a->prev = r ? (int32_t)*end : (int32_t)a->len;
                *plain = 1;
                return r;
            }
        }
        next = a->icu_at == a->prev ? ubrk_next(a->bi) : ubrk_following(a->bi, a->prev);
        if (next == UBRK_DONE)
            return 0;
        status = ubrk_getRuleStatus(a->bi);
        *start = (size_t)a->prev;
        *end = (size_t)next;
        a->prev = a->icu_at = next;
        if (status < UBRK_WORD_NUMBER)
            continue; /* spaces and punctuation */
        *number = status < UBRK_WORD_LETTER;
        *plain = 0;
        return 1;
    }
}

int ps_analyzer_next(ps_analyzer *a, ps_token *tok)
{
    for (;;) {
        int fl, number, plain;
        size_t start, end;

        if (a->seg_end) {
            if (!next_part(a, &start, &end))
                continue;
            number = a->seg_number;
        } else {
            if (!next_segment(a, &start, &end, &number, &plain))
                return 0;
            if (number && raw_number(a, start, end, tok)) {
                /* numbers keep their separators: 5.2 and 52 differ */
                fl = PS_TOK_NUMBER;
                goto emit;
            }
            if (!plain && has_inner_punct(a->text, start, end)) {
                a->seg_pos = start;
                a->seg_end = end;
                a->seg_number = number;
                continue;
            }
        }
        fl = vn_word(a->text + start, end - start, a->term, &tok->term_len, a->fold,
                     &tok->fold_len, sizeof a->term);
        if (fl < 0)
            continue;
        if (number)
            fl |= PS_TOK_NUMBER;
    emit:
        fl |= (int)gap_flags(a->text, a->last_end, start, a->last_end == 0);
        tok->term = a->term;
        tok->fold = a->fold;
        tok->start = start;
        tok->end = end;
        tok->pos = a->pos++;
        tok->flags = (unsigned)fl;
        a->last_end = end;
        return 1;
    }
}

int ps_text_word(const char *s, size_t n, char *term, size_t *term_len, char *fold,
                 size_t *fold_len)
{
    if (vn_init())
        return -1;
    return vn_word(s, n, term, term_len, fold, fold_len, PS_TERM_MAX + 1);
}
