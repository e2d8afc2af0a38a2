/*
 * extract.c: source files into document text — format dispatch, plain
 * text and Markdown. The formats live beside it: encoding.c (encodings
 * and their detection), html.c, office.c (DOCX, ODT), pdf.c, msword.c
 * (DOC through antiword/catdoc), rtf.c, textsink.c (lines, whitespace and
 * tables for the structured formats).
 *
 * The format comes from the extension, checked against the bytes: a file
 * whose bytes are plainly another structured format (Word saves "doc"
 * files that are RTF or HTML) is read as what it is; one whose bytes fit
 * no format its extension allows fails with PS_EFORMAT ("not a PDF
 * file ..."). Without an extension the bytes decide.
 */
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "doc/extract_int.h"
#include "polsearch/extract.h"
#include "polsearch/text.h"

typedef enum fmt {
    F_NONE = 0,
    F_TXT,
    F_MD,
    F_HTML,
    F_DOCX,
    F_ODT,
    F_PDF,
    F_DOC,
    F_RTF,
    F_ZIP /* sniffed only: a zip that is neither DOCX nor ODT */
} fmt;

static const struct {
    const char *ext;
    fmt f;
} exts[] = {
    {"txt", F_TXT},   {"text", F_TXT}, {"md", F_MD},     {"markdown", F_MD},
    {"html", F_HTML}, {"htm", F_HTML}, {"xhtml", F_HTML}, {"docx", F_DOCX},
    {"odt", F_ODT},   {"pdf", F_PDF},  {"doc", F_DOC},    {"rtf", F_RTF},
};

static const char *const fmt_names[] = {"",    "txt", "md",  "html", "docx",
                                        "odt", "pdf", "doc", "rtf",  "zip"};

static const char *ext_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    return dot ? dot + 1 : "";
}

static fmt fmt_of_ext(const char *e)
{
    size_t i;
    if (!e)
        return F_NONE;
    for (i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcasecmp(e, exts[i].ext) == 0)
            return exts[i].f;
    return F_NONE;
}

int ps_extract_supported(const char *path)
{
    return fmt_of_ext(ext_of(path)) != F_NONE;
}

/* What the bytes say they are; F_NONE for text of any kind. */
static fmt sniff(const char *s, size_t n)
{
    static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    size_t i = 0, lim = n < 1024 ? n : 1024, k;
    if (n >= 8 && memcmp(s, ole, 8) == 0)
        return F_DOC;
    if (n >= 4 && memcmp(s, "PK\x03\x04", 4) == 0) {
        if (ps_zip_has_entry(s, n, "word/document.xml"))
            return F_DOCX;
        if (ps_zip_has_entry(s, n, "content.xml"))
            return F_ODT;
        return F_ZIP;
    }
    for (k = 0; k + 5 <= lim; k++)
        if (memcmp(s + k, "%PDF-", 5) == 0)
            return F_PDF;
    if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
        (unsigned char)s[2] == 0xBF)
        i = 3;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    if (n - i >= 5 && strncmp(s + i, "{\\rtf", 5) == 0)
        return F_RTF;
    if (n - i >= 14 && strncasecmp(s + i, "<!DOCTYPE html", 14) == 0)
        return F_HTML;
    if (n - i >= 5 && strncasecmp(s + i, "<html", 5) == 0)
        return F_HTML;
    return F_NONE;
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

/* Plain text and Markdown, in any of the encodings. */
static int extract_text(const char *data, size_t n, int markdown, ps_doc *doc, ps_error *err)
{
    ps_buf dec, md;
    const char *text = data;
    size_t len = n;
    ps_clean_stats st;
    int enc, rc;

    if (looks_binary((const unsigned char *)data, n))
        return ps_error_set(err, PS_EFORMAT, "not a text file (binary content)");
    ps_buf_init(&dec, PS_EXTRACT_MAX_BYTES * 3);
    ps_buf_init(&md, PS_EXTRACT_MAX_BYTES * 3);
    enc = ps_encoding_detect(data, n, NULL);
    doc->encoding = ps_encoding_name(enc);
    if (enc != PS_ENC_UTF8) {
        rc = ps_decode(data, n, enc, &dec, err);
        if (rc)
            goto done;
        text = ps_buf_cstr(&dec);
        len = dec.len;
    }
    if (markdown) {
        if (markdown_to_text(text, len, &md)) {
            rc = ps_error_set(err, md.err, "out of memory reading Markdown");
            goto done;
        }
        text = ps_buf_cstr(&md);
        len = md.len;
    }
    doc->format = markdown ? "md" : "txt";
    rc = ps_doc_set_text(doc, text, len, &st, err);
    if (rc == PS_OK && enc == PS_ENC_UTF8 && st.invalid_bytes > 16 && st.invalid_bytes * 10 > n)
        rc = ps_error_set(err, PS_EFORMAT,
                          "not text in a known encoding (%zu of %zu bytes invalid)",
                          st.invalid_bytes, n);
done:
    ps_buf_fin(&dec);
    ps_buf_fin(&md);
    return rc;
}

/* The structured formats: raw text from the extractor, then cleaned. */
static int extract_structured(fmt f, const char *path, const char *data, size_t n, ps_doc *doc,
                              ps_error *err)
{
    ps_buf raw;
    int rc, enc = PS_ENC_UTF8;

    doc->format = fmt_names[f];
    doc->encoding = "UTF-8";
    if (f == F_PDF)
        return ps_pdf_extract(data, n, doc, err);
    ps_buf_init(&raw, PS_EXTRACT_MAX_TEXT);
    switch (f) {
    case F_HTML:
        if (looks_binary((const unsigned char *)data, n)) {
            rc = ps_error_set(err, PS_EFORMAT, "not an HTML page (binary content)");
            break;
        }
        rc = ps_html_extract(data, n, &raw, &enc, err);
        break;
    case F_DOCX: rc = ps_docx_extract(data, n, &raw, err); break;
    case F_ODT: rc = ps_odt_extract(data, n, &raw, err); break;
    case F_RTF: rc = ps_rtf_extract(data, n, &raw, &enc, err); break;
    case F_DOC: rc = ps_msdoc_extract(path, data, n, &raw, err); break;
    default: rc = ps_error_set(err, PS_EINTERNAL, "no extractor for this format"); break;
    }
    if (rc == PS_OK) {
        doc->encoding = ps_encoding_name(enc);
        rc = ps_doc_set_text(doc, raw.data ? raw.data : "", raw.len, NULL, err);
    }
    ps_buf_fin(&raw);
    return rc;
}

/* The format to read: the extension's, unless the bytes say otherwise. */
static int choose(const char *format, const char *data, size_t n, fmt *out, ps_error *err)
{
    fmt want = (format && *format) ? fmt_of_ext(format) : F_NONE;
    fmt got = sniff(data, n);
    if (format && *format && want == F_NONE)
        want = F_TXT; /* an unknown extension asked for: try as text */
    if (want == F_NONE) {
        *out = got == F_NONE ? F_TXT : got == F_ZIP ? F_TXT : got;
        if (got == F_ZIP)
            return ps_error_set(err, PS_EFORMAT, "a zip archive that is neither DOCX nor ODT");
        return PS_OK;
    }
    switch (want) {
    case F_TXT:
    case F_MD:
    case F_HTML:
        /* text formats: any bytes are text (binary is refused later), but
         * a file that is plainly a binary format is read as that */
        *out = (got == F_PDF || got == F_DOCX || got == F_ODT || got == F_DOC) ? got : want;
        return PS_OK;
    default:
        if (got == want) {
            *out = want;
            return PS_OK;
        }
        if (got != F_NONE && got != F_ZIP) {
            *out = got; /* a .doc that is RTF, a .docx that is an ODT ... */
            return PS_OK;
        }
        if (want == F_DOCX || want == F_ODT)
            return ps_error_set(err, PS_EFORMAT, "not %s file (%s)",
                                want == F_DOCX ? "a DOCX" : "an ODT",
                                got == F_ZIP ? "a zip without the document part"
                                             : "not a zip archive");
        if (want == F_PDF)
            return ps_error_set(err, PS_EFORMAT, "not a PDF file (no %%PDF- header)");
        if (want == F_DOC)
            return ps_error_set(err, PS_EFORMAT,
                                "not a Word 97-2003 document (no OLE2 header)");
        return ps_error_set(err, PS_EFORMAT, "not an RTF file (no {\\rtf header)");
    }
}

static int extract(const char *path, const char *data, size_t n, const char *format, ps_doc *doc,
                   ps_error *err)
{
    fmt f;
    int rc = choose(format, data, n, &f, err);
    if (rc == PS_OK) {
        if (f == F_TXT || f == F_MD)
            rc = extract_text(data, n, f == F_MD, doc, err);
        else
            rc = extract_structured(f, path, data, n, doc, err);
    }
    doc->hash = ps_hash64(data, n);
    doc->size = (int64_t)n;
    return rc;
}

int ps_extract_buffer(const char *data, size_t n, const char *format, ps_doc *doc,
                      ps_error *err)
{
    return extract(NULL, data, n, format, doc, err);
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
    rc = extract(path, data ? data : "", n, ext, doc, err);
    ps_free(data);
    if (rc == PS_OK && stat(path, &st) == 0)
        doc->mtime = (int64_t)st.st_mtime;
    return rc;
}
