/*
 * forms.c: whole-string lower/fold/slug forms and the syllable score used
 * to detect text read in the wrong encoding.
 *
 * A string is cut into runs of letters, digits and marks; each run goes
 * through the same word routine as the analyzer's tokens, so a metadata
 * key computed here equals the terms the analyzer makes of the same text.
 */
#include <string.h>

#include "polsearch/text.h"
#include "text/vnchar.h"

/* Calls fn for each run of word characters and each single other code
 * point, in order. */
typedef int (*run_fn)(void *ctx, const char *s, size_t n, int is_word);

static int for_runs(const char *s, size_t n, run_fn fn, void *ctx)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = NULL;
    int rc;
    while (p < end) {
        uint32_t cp;
        int l = ps_utf8_decode(p, (size_t)(end - p), &cp);
        int word;
        if (!l) {
            cp = 0xFFFD;
            l = 1;
        }
        word = (vn_flags(cp) & (VN_LETTER | VN_DIGIT | VN_MARK)) != 0;
        if (word) {
            if (!run)
                run = p;
        } else {
            if (run && (rc = fn(ctx, (const char *)run, (size_t)(p - run), 1)))
                return rc;
            run = NULL;
            if ((rc = fn(ctx, (const char *)p, (size_t)l, 0)))
                return rc;
        }
        p += l;
    }
    if (run)
        return fn(ctx, (const char *)run, (size_t)(end - run), 1);
    return 0;
}

typedef struct form_ctx {
    ps_buf *out;
    int fold;
    int slug;
    int pending_dash;
} form_ctx;

static int form_run(void *vctx, const char *s, size_t n, int is_word)
{
    form_ctx *c = vctx;
    if (is_word) {
        char term[VN_WORD_MAX * 4 + 1], fold[VN_WORD_MAX * 4 + 1];
        size_t tl, fl;
        /* runs longer than a word's capacity are cut into pieces */
        while (n) {
            size_t take = n, k;
            if (take > VN_WORD_MAX) {
                take = VN_WORD_MAX;
                /* do not cut inside a UTF-8 sequence */
                while (take > 0 && ((unsigned char)s[take] & 0xC0) == 0x80)
                    take--;
                if (take == 0)
                    take = n < VN_WORD_MAX ? n : VN_WORD_MAX;
            }
            if (vn_word(s, take, term, &tl, fold, &fl, sizeof term) >= 0) {
                if (c->slug && c->pending_dash && c->out->len)
                    ps_buf_addc(c->out, '-');
                c->pending_dash = 0;
                ps_buf_add(c->out, c->fold ? fold : term, c->fold ? fl : tl);
            }
            for (k = take; k < n && ((unsigned char)s[k] & 0xC0) == 0x80; k++)
                ;
            s += k;
            n -= k;
        }
    } else if (c->slug) {
        c->pending_dash = 1;
    } else {
        uint32_t cp;
        if (ps_utf8_decode((const unsigned char *)s, n, &cp)) {
            char enc[4];
            int l = ps_utf8_encode(vn_lower(cp), enc);
            ps_buf_add(c->out, enc, (size_t)l);
        } else {
            ps_buf_add(c->out, "\xEF\xBF\xBD", 3);
        }
    }
    return c->out->err;
}

static int form(const char *s, size_t n, ps_buf *out, int fold, int slug)
{
    form_ctx c = {out, fold, slug, 0};
    if (vn_init())
        return PS_EICU;
    for_runs(s, n, form_run, &c);
    if (out->len == 0)
        ps_buf_add(out, "", 0); /* keep data non-NULL for cstr users */
    return out->err;
}

int ps_text_lower(const char *s, size_t n, ps_buf *out)
{
    return form(s, n, out, 0, 0);
}

int ps_text_fold(const char *s, size_t n, ps_buf *out)
{
    return form(s, n, out, 1, 0);
}

int ps_text_slug(const char *s, size_t n, ps_buf *out)
{
    return form(s, n, out, 1, 1);
}

int ps_text_has_marks(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    if (vn_init())
        return 0;
    while (p < end) {
        uint32_t cp;
        int l;
        if (*p < 0x80) {
            p++;
            continue;
        }
        l = ps_utf8_decode(p, (size_t)(end - p), &cp);
        if (!l) {
            p++;
            continue;
        }
        p += l;
        if (vn_flags(cp) & VN_MARK)
            return 1;
        if ((vn_flags(cp) & VN_LETTER) && vn_fold(vn_lower(cp)) != vn_lower(cp))
            return 1;
    }
    return 0;
}

typedef struct score_ctx {
    size_t letters_tokens;
    size_t good;
} score_ctx;

static int score_run(void *vctx, const char *s, size_t n, int is_word)
{
    score_ctx *c = vctx;
    uint32_t cps[VN_WORD_MAX];
    size_t nc = 0;
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    int has_letter = 0, has_digit = 0;
    if (!is_word)
        return 0;
    while (p < end && nc < VN_WORD_MAX) {
        uint32_t cp;
        int l = ps_utf8_decode(p, (size_t)(end - p), &cp);
        unsigned f;
        if (!l)
            return 0;
        p += l;
        f = vn_flags(cp);
        if (f & VN_DIGIT)
            has_digit = 1;
        if (f & VN_LETTER)
            has_letter = 1;
        cps[nc++] = vn_lower(cp);
    }
    if (!has_letter || has_digit)
        return 0;
    c->letters_tokens++;
    {
        /* compose decomposed marks the cheap way: reuse vn_word */
        char term[VN_WORD_MAX * 4 + 1], fold[VN_WORD_MAX * 4 + 1];
        size_t tl, fl, k = 0;
        const unsigned char *q;
        if (vn_word(s, n, term, &tl, fold, &fl, sizeof term) < 0)
            return 0;
        q = (const unsigned char *)term;
        nc = 0;
        while (k < tl && nc < VN_WORD_MAX) {
            uint32_t cp;
            int l = ps_utf8_decode(q + k, tl - k, &cp);
            if (!l)
                return 0;
            cps[nc++] = cp;
            k += (size_t)l;
        }
    }
    if (vn_is_syllable(cps, nc))
        c->good++;
    return 0;
}

double ps_text_vietnamese_score(const char *s, size_t n, size_t limit)
{
    score_ctx c = {0, 0};
    if (vn_init())
        return -1;
    if (limit && n > limit) {
        n = limit;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    for_runs(s, n, score_run, &c);
    if (c.letters_tokens < 20)
        return -1;
    return (double)c.good / (double)c.letters_tokens;
}

int ps_text_is_syllable(const char *s, size_t n)
{
    char term[VN_WORD_MAX * 4 + 1], fold[VN_WORD_MAX * 4 + 1];
    size_t tl, fl, k = 0, nc = 0;
    uint32_t cps[VN_WORD_MAX];
    if (vn_init() || vn_word(s, n, term, &tl, fold, &fl, sizeof term) < 0)
        return 0;
    while (k < tl && nc < VN_WORD_MAX) {
        uint32_t cp;
        int l = ps_utf8_decode((const unsigned char *)term + k, tl - k, &cp);
        if (!l)
            return 0;
        cps[nc++] = cp;
        k += (size_t)l;
    }
    return vn_is_syllable(cps, nc);
}
