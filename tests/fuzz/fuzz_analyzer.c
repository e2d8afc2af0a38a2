/*
 * fuzz_analyzer: the cleaner and the analyzer on any bytes.
 *
 * ps_text_clean must turn anything into the stored form its header
 * promises (valid UTF-8, LF line ends, no control or invisible
 * characters, NFC) and be idempotent; the analyzer must give tokens with
 * spans inside the text, in order, with terms no longer than PS_TERM_MAX,
 * both over the cleaned text and over the raw bytes (the query path and
 * metadata keys call it on text that was not cleaned); the whole-string
 * forms and the syllable score must take any bytes. The analyzer's fast
 * path for plain words must give exactly the tokens of ICU alone.
 */
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "polsearch/text.h"
#include "tests/fuzz/fuzz_common.h"

static ps_analyzer *an;  /* one per process, as a daemon thread keeps one */
static ps_analyzer *icu; /* the same with ICU alone */

static void check_tokens(const char *text, size_t len)
{
    ps_token t, u;
    ps_error err;
    size_t last_start = 0;
    uint32_t want_pos = 7;
    int first = 1, more;

    FUZZ_CHECK(ps_analyzer_start(an, text, len, 7, &err) == PS_OK);
    FUZZ_CHECK(ps_analyzer_start(icu, text, len, 7, &err) == PS_OK);
    for (;;) {
        more = ps_analyzer_next(an, &t);
        FUZZ_CHECK(ps_analyzer_next(icu, &u) == more);
        if (!more)
            break;
        FUZZ_CHECK(t.start == u.start && t.end == u.end && t.flags == u.flags);
        FUZZ_CHECK(strcmp(t.term, u.term) == 0 && strcmp(t.fold, u.fold) == 0);
        FUZZ_CHECK(t.start < t.end && t.end <= len);
        FUZZ_CHECK(first || t.start >= last_start);
        FUZZ_CHECK(t.pos == want_pos);
        FUZZ_CHECK(t.term_len > 0 && t.term_len <= PS_TERM_MAX);
        FUZZ_CHECK(t.fold_len <= PS_TERM_MAX);
        FUZZ_CHECK(strlen(t.term) == t.term_len && strlen(t.fold) == t.fold_len);
        FUZZ_CHECK(fuzz_valid_utf8(t.term, t.term_len));
        FUZZ_CHECK(fuzz_valid_utf8(t.fold, t.fold_len));
        FUZZ_CHECK(!first || (t.flags & PS_TOK_BREAK));
        last_start = t.start;
        want_pos++;
        first = 0;
    }
}

/* The promises of ps_text_clean about its output. */
static void check_clean(const char *s, size_t n)
{
    size_t i;
    FUZZ_CHECK(fuzz_valid_utf8(s, n));
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        FUZZ_CHECK(c != '\r' && c != 0x7F && (c >= 0x20 || c == '\n' || c == '\t' || c == '\f'));
    }
    FUZZ_CHECK(!memmem(s, n, "\xEF\xBB\xBF", 3));      /* BOM */
    FUZZ_CHECK(!memmem(s, n, "\xE2\x80\x8B", 3));      /* zero-width space */
    {
        /* NFC, checked by ICU on the UTF-16 form */
        UErrorCode st = U_ZERO_ERROR;
        const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
        int32_t ul = 0;
        UChar *u16;
        if (n > 1 << 20)
            return;
        u16 = malloc((n + 1) * sizeof *u16);
        FUZZ_CHECK(u16 != NULL);
        u_strFromUTF8(u16, (int32_t)n + 1, &ul, s, (int32_t)n, &st);
        FUZZ_CHECK(U_SUCCESS(st));
        FUZZ_CHECK(unorm2_isNormalized(nfc, u16, ul, &st));
        FUZZ_CHECK(U_SUCCESS(st));
        free(u16);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *raw = (const char *)data;
    ps_buf clean, again, form;
    ps_clean_stats st;
    ps_error err;
    char term[PS_TERM_MAX + 1], fold[PS_TERM_MAX + 1];
    size_t tl, fl;

    if (!an && (ps_analyzer_new(&an, &err) != PS_OK || ps_analyzer_new(&icu, &err) != PS_OK))
        abort();
    ps_analyzer_set_fast(icu, 0);

    ps_buf_init(&clean, 0);
    ps_buf_init(&again, 0);
    FUZZ_CHECK(ps_text_clean(raw, size, &clean, &st, &err) == PS_OK);
    check_clean(ps_buf_cstr(&clean), clean.len);
    /* the stored form is a fixed point */
    FUZZ_CHECK(ps_text_clean(ps_buf_cstr(&clean), clean.len, &again, NULL, &err) == PS_OK);
    FUZZ_CHECK(again.len == clean.len && memcmp(ps_buf_cstr(&again), ps_buf_cstr(&clean), clean.len) == 0);

    check_tokens(ps_buf_cstr(&clean), clean.len);
    check_tokens(raw, size);

    ps_buf_init(&form, 0);
    FUZZ_CHECK(ps_text_lower(raw, size, &form) == PS_OK);
    FUZZ_CHECK(fuzz_valid_utf8(ps_buf_cstr(&form), form.len));
    ps_buf_reset(&form);
    FUZZ_CHECK(ps_text_fold(raw, size, &form) == PS_OK);
    FUZZ_CHECK(fuzz_valid_utf8(ps_buf_cstr(&form), form.len));
    ps_buf_reset(&form);
    FUZZ_CHECK(ps_text_slug(raw, size, &form) == PS_OK);
    FUZZ_CHECK(fuzz_valid_utf8(ps_buf_cstr(&form), form.len));
    FUZZ_CHECK(form.len == 0 || (form.data[0] != '-' && form.data[form.len - 1] != '-'));
    ps_buf_fin(&form);

    {
        double score = ps_text_vietnamese_score(raw, size, 0);
        double part = ps_text_vietnamese_score(raw, size, size / 2 + 1);
        FUZZ_CHECK(score == -1 || (score >= 0 && score <= 1));
        FUZZ_CHECK(part == -1 || (part >= 0 && part <= 1));
    }
    (void)ps_text_has_marks(raw, size);
    (void)ps_text_is_syllable(raw, size);
    if (ps_text_word(raw, size, term, &tl, fold, &fl) >= 0) {
        FUZZ_CHECK(tl <= PS_TERM_MAX && fl <= PS_TERM_MAX);
        FUZZ_CHECK(strlen(term) == tl && strlen(fold) == fl);
    }
    ps_buf_fin(&again);
    ps_buf_fin(&clean);
    return 0;
}
