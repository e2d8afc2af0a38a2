/*
 * formats: makes the document formats of the format tests from plain
 * text, and shows what the extractors read back.
 *
 *   formats encode tcvn3|vni|cp1258|utf-16le|utf-16be < in > out
 *              the cleaned text (NFC, LF, no BOM) in a legacy encoding
 *              (tests/tools/vnencode.h), or UTF-16 with a BOM
 *   formats pdf IN.txt OUT.pdf [LINES-PER-PAGE]
 *              a PDF with a text layer, set with cairo in DejaVu Sans;
 *              long lines wrap at word boundaries, a page holds
 *              LINES-PER-PAGE lines (default 40)
 *   formats scan OUT.pdf    a PDF of one page with a picture and no text
 *   formats rtf unicode|vni IN.txt OUT.rtf
 *              RTF as Word writes it (\uN with a '?' fallback, Windows-1258
 *              \'hh where the code page has the letter) or as a document
 *              in the VNI-Times font (VNI bytes as \'hh)
 *   formats zip-entries OUT N   a zip of N empty entries (plus
 *              word/document.xml), to check the entry cap (N < 65535)
 *   formats extract FILE [FORMAT]
 *              the extraction as JSON: format, encoding, pages, text
 *   formats page FILE K     the text of page K (1-based) of a paged
 *              source, as doc->page_starts delimits it
 *   formats detect FILE     the detected encoding and its score
 *   formats lower < in      the text lowercased (ps_text_lower), for
 *              comparing TCVN3, which keeps no capitals with tone marks
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "polsearch/doc.h"
#include "polsearch/extract.h"
#include "polsearch/text.h"
#include "tests/tools/vnencode.h"

#include "tests/tools/lsan_fontconfig.h"

static int read_all(FILE *f, ps_buf *b)
{
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        ps_buf_add(b, chunk, got);
    return b->err || ferror(f);
}

static int read_path(const char *path, ps_buf *b)
{
    FILE *f = fopen(path, "rb");
    int rc;
    if (!f) {
        perror(path);
        return 1;
    }
    rc = read_all(f, b);
    fclose(f);
    return rc;
}

static int write_buf(const ps_buf *b)
{
    return fwrite(b->data ? b->data : "", 1, b->len, stdout) != b->len;
}

/* The input is cleaned first (NFC, LF, no BOM), so that iconv, which
 * does not normalise, sees precomposed letters. */
static int cmd_encode(const char *enc)
{
    ps_buf raw, in, out;
    ps_error err;
    int rc;
    ps_buf_init(&raw, 0);
    ps_buf_init(&in, 0);
    ps_buf_init(&out, 0);
    if (read_all(stdin, &raw) || ps_text_clean(raw.data ? raw.data : "", raw.len, &in, NULL, &err))
        return 1;
    ps_buf_fin(&raw);
    if (strcmp(enc, "tcvn3") == 0)
        rc = vnenc_tcvn3(in.data ? in.data : "", in.len, &out);
    else if (strcmp(enc, "vni") == 0)
        rc = vnenc_vni(in.data ? in.data : "", in.len, &out);
    else if (strcmp(enc, "cp1258") == 0)
        rc = vnenc_iconv(in.data ? in.data : "", in.len, "CP1258", &out);
    else if (strcmp(enc, "utf-16le") == 0 || strcmp(enc, "utf-16be") == 0) {
        int le = strcmp(enc, "utf-16le") == 0;
        ps_buf_add(&out, le ? "\xFF\xFE" : "\xFE\xFF", 2);
        rc = vnenc_iconv(in.data ? in.data : "", in.len, le ? "UTF-16LE" : "UTF-16BE", &out);
    } else {
        fprintf(stderr, "formats: unknown encoding %s\n", enc);
        return 2;
    }
    if (rc == 0)
        rc = write_buf(&out);
    ps_buf_fin(&in);
    ps_buf_fin(&out);
    return rc != 0;
}

/* ---- PDF ---- */

#define PAGE_W 595.0
#define PAGE_H 842.0
#define MARGIN 50.0
#define FONT_SIZE 10.0

typedef struct pdf_writer {
    cairo_t *cr;
    int lines_per_page, line;
} pdf_writer;

static void pdf_line(pdf_writer *w, const char *s)
{
    if (w->line == w->lines_per_page) {
        cairo_show_page(w->cr);
        w->line = 0;
    }
    if (*s) {
        cairo_move_to(w->cr, MARGIN, MARGIN + FONT_SIZE * 1.5 * (w->line + 1));
        cairo_show_text(w->cr, s);
    }
    w->line++;
}

/* Writes one text line, wrapped at spaces to the page width. */
static void pdf_text_line(pdf_writer *w, char *s)
{
    for (;;) {
        cairo_text_extents_t ext;
        char *cut = NULL, *sp;
        cairo_text_extents(w->cr, s, &ext);
        if (ext.x_advance <= PAGE_W - 2 * MARGIN) {
            pdf_line(w, s);
            return;
        }
        /* the longest prefix ending at a space that fits */
        for (sp = strchr(s, ' '); sp; sp = strchr(sp + 1, ' ')) {
            *sp = '\0';
            cairo_text_extents(w->cr, s, &ext);
            *sp = ' ';
            if (ext.x_advance > PAGE_W - 2 * MARGIN)
                break;
            cut = sp;
        }
        if (!cut) {
            pdf_line(w, s);
            return;
        }
        *cut = '\0';
        pdf_line(w, s);
        s = cut + 1;
    }
}

static int cmd_pdf(const char *in, const char *out, int lines_per_page)
{
    ps_buf text;
    cairo_surface_t *surf;
    pdf_writer w;
    char *p, *line;
    ps_buf_init(&text, 0);
    if (read_path(in, &text))
        return 1;
    surf = cairo_pdf_surface_create(out, PAGE_W, PAGE_H);
    w.cr = cairo_create(surf);
    w.lines_per_page = lines_per_page;
    w.line = 0;
    cairo_select_font_face(w.cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(w.cr, FONT_SIZE);
    p = (char *)ps_buf_cstr(&text);
    while ((line = strsep(&p, "\n")) != NULL) {
        if (!p && !*line)
            break; /* after the last newline */
        pdf_text_line(&w, line);
    }
    cairo_show_page(w.cr);
    cairo_destroy(w.cr);
    cairo_surface_finish(surf);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "formats: cairo: %s\n",
                cairo_status_to_string(cairo_surface_status(surf)));
        return 1;
    }
    cairo_surface_destroy(surf);
    ps_buf_fin(&text);
    return 0;
}

static int cmd_scan(const char *out)
{
    cairo_surface_t *surf = cairo_pdf_surface_create(out, PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(surf);
    int i;
    /* a "scanned page": grey bars where lines of text would be */
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    for (i = 0; i < 30; i++) {
        cairo_rectangle(cr, MARGIN, MARGIN + i * 20, 300 + (i * 37) % 150, 8);
        cairo_fill(cr);
    }
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    cairo_surface_destroy(surf);
    return 0;
}

/* ---- RTF ---- */

static void rtf_byte(ps_buf *o, unsigned char b)
{
    if (b == '\\' || b == '{' || b == '}') {
        ps_buf_addc(o, '\\');
        ps_buf_addc(o, (char)b);
    } else if (b >= 0x80) {
        ps_buf_addf(o, "\\'%02x", b);
    } else {
        ps_buf_addc(o, (char)b);
    }
}

static int cmd_rtf(const char *mode, const char *in, const char *out)
{
    ps_buf text, o;
    uint32_t *cps;
    size_t nc, k;
    int vni = strcmp(mode, "vni") == 0;
    FILE *f;
    ps_buf_init(&text, 0);
    ps_buf_init(&o, 0);
    if (read_path(in, &text))
        return 1;
    cps = ps_malloc((text.len + 1) * sizeof *cps);
    if (!cps)
        return 1;
    nc = vnenc_codepoints(text.data ? text.data : "", text.len, cps, text.len + 1);
    if (vni)
        ps_buf_adds(&o, "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fnil\\fcharset0 "
                        "VNI-Times;}{\\f1\\fswiss\\fcharset0 Arial;}}\n"
                        "{\\*\\generator formats test tool;}{\\info{\\title Ti\\'eau \\'f1e\\'e0}}\n"
                        "\\pard\\plain\\f0\\fs26 ");
    else
        ps_buf_adds(&o, "{\\rtf1\\ansi\\ansicpg1258\\uc1\\deff0{\\fonttbl{\\f0\\froman\\fcharset163 "
                        "Times New Roman;}}\n"
                        "{\\colortbl;\\red0\\green0\\blue0;}{\\*\\generator formats test tool;}\n"
                        "{\\header {\\f0 Trang \\chpgn}}\n"
                        "\\pard\\plain\\f0\\fs26 ");
    for (k = 0; k < nc; k++) {
        uint32_t cp = cps[k];
        if (cp == '\n') {
            ps_buf_adds(&o, "\\par\n");
            continue;
        }
        if (cp == '\t') {
            ps_buf_adds(&o, "\\tab ");
            continue;
        }
        if (vni) {
            ps_buf one;
            size_t j;
            ps_buf_init(&one, 0);
            vnenc_vni_char(cp, &one);
            for (j = 0; j < one.len; j++)
                rtf_byte(&o, (unsigned char)one.data[j]);
            ps_buf_fin(&one);
        } else if (cp < 0x80) {
            rtf_byte(&o, (unsigned char)cp);
        } else {
            /* one byte in 1258 when iconv gives one, else \uN */
            char u8[4];
            ps_buf enc;
            ps_buf_init(&enc, 0);
            vnenc_iconv(u8, (size_t)ps_utf8_encode(cp, u8), "CP1258", &enc);
            if (enc.len == 1)
                rtf_byte(&o, (unsigned char)enc.data[0]);
            else
                ps_buf_addf(&o, "\\u%d?", cp > 0x7FFF ? (int)cp - 65536 : (int)cp);
            ps_buf_fin(&enc);
        }
    }
    ps_buf_adds(&o, "\\par\n}\n");
    f = fopen(out, "wb");
    if (!f || fwrite(o.data, 1, o.len, f) != o.len || fclose(f) != 0) {
        perror(out);
        return 1;
    }
    ps_free(cps);
    ps_buf_fin(&text);
    ps_buf_fin(&o);
    return 0;
}

/* ---- a zip of many entries, written by hand (libzip takes half a
 * minute for ten thousand) ---- */

static uint32_t crc32_of(const char *s, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    size_t i;
    int k;
    for (i = 0; i < n; i++) {
        c ^= (unsigned char)s[i];
        for (k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

static void le16(ps_buf *b, unsigned v)
{
    ps_buf_addc(b, (char)(v & 0xFF));
    ps_buf_addc(b, (char)(v >> 8 & 0xFF));
}

static void le32(ps_buf *b, uint32_t v)
{
    le16(b, v & 0xFFFF);
    le16(b, v >> 16);
}

/* One stored entry: local header and data into body, its central
 * directory record into dir. */
static void zip_stored(ps_buf *body, ps_buf *dir, const char *name, const char *data, size_t n)
{
    uint32_t crc = crc32_of(data, n), off = (uint32_t)body->len;
    size_t nl = strlen(name);
    le32(body, 0x04034b50);
    le16(body, 20), le16(body, 0), le16(body, 0), le16(body, 0), le16(body, 0);
    le32(body, crc), le32(body, (uint32_t)n), le32(body, (uint32_t)n);
    le16(body, (unsigned)nl), le16(body, 0);
    ps_buf_add(body, name, nl);
    ps_buf_add(body, data, n);
    le32(dir, 0x02014b50);
    le16(dir, 20), le16(dir, 20), le16(dir, 0), le16(dir, 0), le16(dir, 0), le16(dir, 0);
    le32(dir, crc), le32(dir, (uint32_t)n), le32(dir, (uint32_t)n);
    le16(dir, (unsigned)nl), le16(dir, 0), le16(dir, 0), le16(dir, 0), le16(dir, 0);
    le32(dir, 0), le32(dir, off);
    ps_buf_add(dir, name, nl);
}

static int cmd_zip_entries(const char *out, long n)
{
    static const char doc[] =
        "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/"
        "wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>Nghị quyết</w:t></w:r></w:p>"
        "</w:body></w:document>";
    ps_buf body, dir;
    long i;
    FILE *f;
    int rc;
    ps_buf_init(&body, 0);
    ps_buf_init(&dir, 0);
    zip_stored(&body, &dir, "word/document.xml", doc, sizeof doc - 1);
    for (i = 0; i < n; i++) {
        char name[64];
        snprintf(name, sizeof name, "junk/%ld.txt", i);
        zip_stored(&body, &dir, name, "", 0);
    }
    /* end of central directory; the entry count is 16-bit here */
    {
        uint32_t dir_off = (uint32_t)body.len;
        ps_buf_add(&body, dir.data, dir.len);
        le32(&body, 0x06054b50);
        le16(&body, 0), le16(&body, 0);
        le16(&body, (unsigned)(n + 1) & 0xFFFF), le16(&body, (unsigned)(n + 1) & 0xFFFF);
        le32(&body, (uint32_t)dir.len), le32(&body, dir_off);
        le16(&body, 0);
    }
    f = fopen(out, "wb");
    rc = !f || body.err || fwrite(body.data, 1, body.len, f) != body.len;
    if (f && fclose(f) != 0)
        rc = 1;
    if (rc)
        fprintf(stderr, "formats: cannot write %s\n", out);
    ps_buf_fin(&body);
    ps_buf_fin(&dir);
    return rc;
}

static int cmd_extract(const char *path, const char *format)
{
    ps_doc *doc = ps_doc_new();
    ps_error err;
    ps_buf out;
    ps_jw w;
    size_t i;
    int rc;
    if (!doc)
        return 1;
    if (format) {
        char *data;
        size_t n;
        rc = ps_read_file(path, PS_EXTRACT_MAX_BYTES, &data, &n, &err);
        if (rc == PS_OK) {
            rc = ps_extract_buffer(data ? data : "", n, format, doc, &err);
            ps_free(data);
        }
    } else {
        rc = ps_extract_file(path, doc, &err);
    }
    if (rc) {
        fprintf(stderr, "%s: %s\n", path, err.msg);
        ps_doc_free(doc);
        return 1;
    }
    ps_buf_init(&out, 0);
    ps_jw_init(&w, &out);
    ps_jw_obj(&w);
    ps_jw_kstr(&w, "format", doc->format);
    ps_jw_kstr(&w, "encoding", doc->encoding);
    ps_jw_kint(&w, "n_pages", (long long)doc->n_pages);
    ps_jw_key(&w, "page_starts");
    ps_jw_arr(&w);
    for (i = 0; i < doc->n_pages; i++)
        ps_jw_int(&w, (long long)doc->page_starts[i]);
    ps_jw_arr_end(&w);
    ps_jw_key(&w, "text");
    ps_jw_strn(&w, doc->text, doc->text_len);
    ps_jw_obj_end(&w);
    ps_buf_addc(&out, '\n');
    rc = write_buf(&out);
    ps_buf_fin(&out);
    ps_doc_free(doc);
    return rc;
}

static int cmd_page(const char *path, long k)
{
    ps_doc *doc = ps_doc_new();
    ps_error err;
    size_t from, to;
    int rc = 1;
    if (!doc)
        return 1;
    if (ps_extract_file(path, doc, &err)) {
        fprintf(stderr, "%s: %s\n", path, err.msg);
    } else if (k < 1 || (size_t)k > doc->n_pages) {
        fprintf(stderr, "%s: no page %ld (%zu pages)\n", path, k, doc->n_pages);
    } else {
        from = doc->page_starts[k - 1];
        to = (size_t)k < doc->n_pages ? doc->page_starts[k] : doc->text_len;
        rc = fwrite(doc->text + from, 1, to - from, stdout) != to - from;
    }
    ps_doc_free(doc);
    return rc;
}

static int cmd_detect(const char *path)
{
    ps_buf in;
    double score;
    int enc;
    ps_buf_init(&in, 0);
    if (read_path(path, &in))
        return 1;
    enc = ps_encoding_detect(in.data ? in.data : "", in.len, &score);
    printf("%s %.3f\n", ps_encoding_name(enc), score);
    ps_buf_fin(&in);
    return 0;
}

static int cmd_lower(void)
{
    ps_buf in, out;
    int rc;
    ps_buf_init(&in, 0);
    ps_buf_init(&out, 0);
    if (read_all(stdin, &in))
        return 1;
    rc = ps_text_lower(in.data ? in.data : "", in.len, &out) || write_buf(&out);
    ps_buf_fin(&in);
    ps_buf_fin(&out);
    return rc;
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : "";
    long k = 40;
    if (strcmp(cmd, "encode") == 0 && argc == 3)
        return cmd_encode(argv[2]);
    if (strcmp(cmd, "pdf") == 0 && (argc == 4 || argc == 5)) {
        if (argc == 5 && ps_parse_long(argv[4], 1, 1000, &k)) {
            fprintf(stderr, "formats: bad lines per page %s\n", argv[4]);
            return 2;
        }
        return cmd_pdf(argv[2], argv[3], (int)k);
    }
    if (strcmp(cmd, "scan") == 0 && argc == 3)
        return cmd_scan(argv[2]);
    if (strcmp(cmd, "rtf") == 0 && argc == 5)
        return cmd_rtf(argv[2], argv[3], argv[4]);
    if (strcmp(cmd, "zip-entries") == 0 && argc == 4) {
        if (ps_parse_long(argv[3], 0, 65000, &k))
            return 2;
        return cmd_zip_entries(argv[2], k);
    }
    if (strcmp(cmd, "extract") == 0 && (argc == 3 || argc == 4))
        return cmd_extract(argv[2], argc == 4 ? argv[3] : NULL);
    if (strcmp(cmd, "page") == 0 && argc == 4) {
        if (ps_parse_long(argv[3], 1, 1000000, &k))
            return 2;
        return cmd_page(argv[2], k);
    }
    if (strcmp(cmd, "detect") == 0 && argc == 3)
        return cmd_detect(argv[2]);
    if (strcmp(cmd, "lower") == 0 && argc == 2)
        return cmd_lower();
    fprintf(stderr, "usage: formats encode|pdf|scan|rtf|zip-entries|extract|page|detect|lower ...\n"
                    "(see the head of tests/tools/formats.c)\n");
    return 2;
}
