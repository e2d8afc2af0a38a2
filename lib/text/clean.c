/*
 * clean.c: raw bytes -> the stored form of a text.
 *
 * Most documents arrive valid and already NFC, so the cleaner copies runs
 * of plain bytes and only looks hard at what needs it: invalid UTF-8
 * (replaced by U+FFFD, counted), control and invisible characters
 * (dropped), CR and CRLF (-> LF), and lines holding a code point that NFC
 * might change (those lines alone go through ICU's normaliser, via UTF-16,
 * the only form ICU's C API normalises).
 */
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "polsearch/text.h"
#include "text/vnchar.h"

/* Characters dropped from stored text: BOM/ZWNBSP, zero-width space and
 * joiners, soft hyphen, word joiner, bidi marks. They split or glue
 * syllables invisibly and no reader misses them. */
static int is_invisible(uint32_t cp)
{
    return cp == 0xFEFF || cp == 0x00AD || (cp >= 0x200B && cp <= 0x200F) ||
           cp == 0x2060 || (cp >= 0x202A && cp <= 0x202E);
}

/* Normalises one line (already valid UTF-8 without controls) to NFC and
 * appends it to out. */
static int nfc_line(const char *s, size_t n, ps_buf *out, ps_error *err)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
    UChar stackbuf[2048], stackout[2048];
    UChar *u16 = stackbuf, *o16 = stackout;
    int32_t ul = 0, ol = 0, cap;
    int32_t u8len = 0;
    int rc = PS_OK;

    if (n > (size_t)INT32_MAX / 4)
        return ps_error_set(err, PS_ETOOBIG, "line of %zu bytes is too long to normalise", n);
    cap = (int32_t)n + 1; /* UTF-16 never needs more units than UTF-8 bytes */
    if (cap > (int32_t)(sizeof stackbuf / sizeof stackbuf[0])) {
        u16 = ps_malloc((size_t)cap * sizeof(UChar));
        o16 = ps_malloc((size_t)cap * 3 * sizeof(UChar));
        if (!u16 || !o16) {
            rc = ps_error_set(err, PS_ENOMEM, "out of memory normalising text");
            goto done;
        }
    }
    u_strFromUTF8(u16, cap, &ul, s, (int32_t)n, &st);
    if (U_SUCCESS(st))
        ol = unorm2_normalize(nfc, u16, ul, o16,
                              o16 == stackout ? (int32_t)(sizeof stackout / sizeof stackout[0])
                                              : cap * 3,
                              &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) {
        /* NFC can grow text only in rare scripts; retry with room */
        UChar *big = ps_malloc((size_t)ol * sizeof(UChar));
        if (!big) {
            rc = ps_error_set(err, PS_ENOMEM, "out of memory normalising text");
            goto done;
        }
        if (o16 != stackout)
            ps_free(o16);
        o16 = big;
        st = U_ZERO_ERROR;
        ol = unorm2_normalize(nfc, u16, ul, o16, ol, &st);
    }
    if (U_FAILURE(st)) {
        rc = ps_error_set(err, PS_EICU, "ICU normalisation failed: %s", u_errorName(st));
        goto done;
    }
    u_strToUTF8(NULL, 0, &u8len, o16, ol, &st);
    st = U_ZERO_ERROR;
    if (ps_buf_reserve(out, (size_t)u8len)) {
        rc = ps_error_set(err, out->err, "text too large");
        goto done;
    }
    u_strToUTF8(out->data + out->len, (int32_t)(out->cap - out->len), &u8len, o16, ol, &st);
    if (U_FAILURE(st)) {
        rc = ps_error_set(err, PS_EICU, "ICU conversion failed: %s", u_errorName(st));
        goto done;
    }
    out->len += (size_t)u8len;
    out->data[out->len] = '\0';
done:
    if (u16 != stackbuf)
        ps_free(u16);
    if (o16 != stackout)
        ps_free(o16);
    return rc;
}

int ps_text_clean(const char *s, size_t n, ps_buf *out, ps_clean_stats *st, ps_error *err)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    ps_clean_stats local;
    ps_buf line; /* the current line, cleaned but not yet normalised */
    int line_maybe = 0, rc = PS_OK;

    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    if (vn_init())
        return ps_error_set(err, PS_EICU, "ICU tables could not be built");
    ps_buf_init(&line, out->max);
    if (ps_buf_reserve(out, n))
        return ps_error_set(err, out->err, "text of %zu bytes too large", n);

    while (p <= end) {
        uint32_t cp;
        int l;
        if (p == end || *p == '\n' || *p == '\r') {
            /* end of line: flush it, normalised if needed */
            if (line_maybe) {
                rc = nfc_line(line.data, line.len, out, err);
                st->renormalized++;
            } else if (line.len) {
                if (ps_buf_add(out, line.data, line.len))
                    rc = ps_error_set(err, out->err, "text too large");
            }
            if (rc == PS_OK && line.err)
                rc = ps_error_set(err, line.err, "line too large");
            if (rc)
                break;
            ps_buf_reset(&line);
            line_maybe = 0;
            if (p == end)
                break;
            if (*p == '\r' && p + 1 < end && p[1] == '\n')
                p++;
            p++;
            ps_buf_addc(out, '\n');
            continue;
        }
        if (*p < 0x80) {
            /* copy a run of plain ASCII at once */
            const unsigned char *q = p;
            while (q < end && *q < 0x80 && *q >= 0x20 && *q != 0x7F)
                q++;
            if (q > p) {
                ps_buf_add(&line, p, (size_t)(q - p));
                p = q;
                continue;
            }
            if (*p == '\t' || *p == '\f')
                ps_buf_addc(&line, (char)*p);
            else
                st->dropped++;
            p++;
            continue;
        }
        l = ps_utf8_decode(p, (size_t)(end - p), &cp);
        if (!l) {
            st->invalid_bytes++;
            ps_buf_add(&line, "\xEF\xBF\xBD", 3);
            p++;
            continue;
        }
        if ((cp >= 0x80 && cp < 0xA0) || is_invisible(cp)) {
            st->dropped++;
        } else if (cp == 0x2028 || cp == 0x2029 || cp == 0x85) {
            ps_buf_addc(&line, ' ');
        } else {
            if (vn_flags(cp) & VN_NFC_MAYBE)
                line_maybe = 1;
            ps_buf_add(&line, p, (size_t)l);
        }
        p += l;
    }
    if (rc == PS_OK && out->err)
        rc = ps_error_set(err, out->err, "text too large");
    ps_buf_fin(&line);
    return rc;
}
