/*
 * extract.c: source files into document text — format dispatch, plain
 * text and Markdown, and the Unicode encodings (BOM, UTF-16).
 */
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "polsearch/extract.h"
#include "polsearch/text.h"

static const char *ext_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    return dot ? dot + 1 : "";
}

int ps_extract_supported(const char *path)
{
    static const char *const exts[] = {"txt", "md", "markdown", "text"};
    const char *e = ext_of(path);
    size_t i;
    for (i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcasecmp(e, exts[i]) == 0)
            return 1;
    return 0;
}

/* UTF-16 (with its BOM) to UTF-8; unpaired surrogates become U+FFFD. */
static int utf16_to_utf8(const unsigned char *s, size_t n, int big, ps_buf *out)
{
    size_t i;
    for (i = 0; i + 1 < n; i += 2) {
        uint32_t u = big ? (uint32_t)(s[i] << 8 | s[i + 1]) : (uint32_t)(s[i + 1] << 8 | s[i]);
        char enc[4];
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
        ps_buf_add(out, enc, (size_t)ps_utf8_encode(u, enc));
    }
    return out->err;
}

/* Markdown to the plain text a reader sees: heading marks, emphasis and
 * quote marks go, so "**Điều 1.**" reads as the article heading it is. */
static int markdown_to_text(const char *s, size_t n, ps_buf *out)
{
    size_t i = 0;
    while (i < n) {
        size_t e = i, j;
        while (e < n && s[e] != '\n')
            e++;
        j = i;
        while (j < e && (s[j] == '#' || s[j] == '>'))
            j++;
        if (j > i)
            while (j < e && s[j] == ' ')
                j++;
        for (; j < e; j++) {
            if ((s[j] == '*' || s[j] == '_') && j + 1 < e && s[j + 1] == s[j]) {
                j++;
                continue;
            }
            if (s[j] == '`')
                continue;
            ps_buf_addc(out, s[j]);
        }
        if (e < n)
            ps_buf_addc(out, '\n');
        i = e + 1;
    }
    return out->err;
}

/* NUL bytes in the first 64 KB mean a binary file (UTF-16 text has them
 * too, but it is recognised by its BOM before this is asked). */
static int looks_binary(const unsigned char *u, size_t n)
{
    size_t i, lim = n < 65536 ? n : 65536;
    if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        return 0;
    for (i = 0; i < lim; i++)
        if (u[i] == 0)
            return 1;
    return 0;
}

int ps_extract_buffer(const char *data, size_t n, const char *format, ps_doc *doc,
                      ps_error *err)
{
    const unsigned char *u = (const unsigned char *)data;
    ps_buf dec;
    const char *text = data;
    size_t len = n;
    ps_clean_stats st;
    int rc;

    ps_buf_init(&dec, 0);
    doc->encoding = "UTF-8";
    if (looks_binary(u, n))
        return ps_error_set(err, PS_EFORMAT, "not a text file (binary content)");
    if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        if (utf16_to_utf8(u + 2, n - 2, u[0] == 0xFE, &dec)) {
            ps_buf_fin(&dec);
            return ps_error_set(err, PS_ENOMEM, "out of memory decoding UTF-16");
        }
        text = ps_buf_cstr(&dec);
        len = dec.len;
        doc->encoding = "UTF-16";
    }
    if (!format || !*format)
        format = "txt";
    if (strcasecmp(format, "md") == 0 || strcasecmp(format, "markdown") == 0) {
        ps_buf md;
        ps_buf_init(&md, 0);
        if (markdown_to_text(text, len, &md)) {
            ps_buf_fin(&md);
            ps_buf_fin(&dec);
            return ps_error_set(err, PS_ENOMEM, "out of memory reading Markdown");
        }
        rc = ps_doc_set_text(doc, ps_buf_cstr(&md), md.len, NULL, err);
        ps_buf_fin(&md);
        doc->format = "md";
    } else {
        rc = ps_doc_set_text(doc, text, len, &st, err);
        doc->format = "txt";
        if (rc == PS_OK && st.invalid_bytes > 16 && st.invalid_bytes * 10 > len) {
            ps_buf_fin(&dec);
            return ps_error_set(err, PS_EFORMAT,
                                "not text in a known encoding (%zu of %zu bytes invalid)",
                                st.invalid_bytes, len);
        }
    }
    ps_buf_fin(&dec);
    doc->hash = ps_hash64(data, n);
    doc->size = (int64_t)n;
    return rc;
}

int ps_extract_file(const char *path, ps_doc *doc, ps_error *err)
{
    char *data = NULL;
    size_t n = 0;
    struct stat st;
    int rc;
    const char *ext = ext_of(path);

    rc = ps_read_file(path, PS_EXTRACT_MAX_BYTES, &data, &n, err);
    if (rc)
        return rc;
    rc = ps_extract_buffer(data, n, ext, doc, err);
    ps_free(data);
    if (rc == PS_OK && stat(path, &st) == 0)
        doc->mtime = (int64_t)st.st_mtime;
    return rc;
}
