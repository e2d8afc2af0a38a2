/*
 * extract_int.h: internal to the extractors of lib/doc: the text sink
 * that every structured format writes into (whitespace, lines, tables),
 * the per-format entry points extract.c dispatches to, and small helpers
 * they share.
 *
 * Each format extractor turns its bytes into raw UTF-8 text in a ps_buf
 * (the sink's result); extract.c then cleans it into the document with
 * ps_doc_set_text(). Extractors never print and never touch doc->text.
 */
#ifndef PS_DOC_EXTRACT_INT_H
#define PS_DOC_EXTRACT_INT_H

#include <stddef.h>

#include "polsearch/doc.h"
#include "polsearch/extract.h"
#include "polsearch/util.h"

/* ---- text sink --------------------------------------------------------- */

/* Cells nest (a table in a cell) at most this deep; deeper ones are read
 * inline, their cells separated by tabs. */
#define TS_MAX_DEPTH 12

typedef struct ts_frame {
    ps_buf text;     /* the document's text, or one cell's */
    int space;       /* a space is pending (collapsed whitespace) */
    int nl;          /* line breaks pending before the next text */
    int para_empty;  /* nothing written since the paragraph began */
    ps_buf cells;    /* the row being built: cells separated by NUL */
    size_t n_cells;
    int multiline;   /* some cell of the row spans several lines */
} ts_frame;

/* Turns a stream of text pieces and structure events into lines:
 *   - blocks (paragraphs, headings, list items, rows) start new lines;
 *   - whitespace inside a block collapses to one space (ts_text), or is
 *     kept as given (ts_raw: DOCX runs, <pre>);
 *   - a table row whose cells hold one line each becomes one line, cells
 *     separated by tabs; a row with a cell of several lines (the two-column
 *     header block of a decree or a resolution) becomes the cells' lines
 *     in order, so "BỘ CHÍNH TRỊ / Số 57-NQ/TW" and "ĐẢNG CỘNG SẢN VIỆT NAM
 *     / Hà Nội, ngày ..." read as the plain text does.
 * The text is capped at `max` bytes; the first failure is sticky in err. */
typedef struct ts_sink {
    ts_frame f[TS_MAX_DEPTH];
    int depth;       /* frames in use - 1 */
    int deep_cells;  /* cells opened past TS_MAX_DEPTH */
    size_t max;
    int err;
} ts_sink;

void ts_init(ts_sink *s, size_t max);
void ts_fin(ts_sink *s);
/* Text whose whitespace collapses (HTML, ODF). */
void ts_text(ts_sink *s, const char *p, size_t n);
/* Text written as is: spaces kept, '\t' a tab, '\n' a line break. */
void ts_raw(ts_sink *s, const char *p, size_t n);
/* A tab / a hard line break (<br>, w:br, text:line-break). */
void ts_tab(ts_sink *s);
void ts_break(ts_sink *s);
/* Block boundary: what follows starts on a new line. */
void ts_block(ts_sink *s);
/* Paragraph start and end for formats where an empty paragraph is a
 * visible blank line (DOCX, ODT): an empty one adds a blank line. */
void ts_para_begin(ts_sink *s);
void ts_para_end(ts_sink *s);
void ts_row_begin(ts_sink *s);
void ts_row_end(ts_sink *s);
void ts_cell_begin(ts_sink *s);
void ts_cell_end(ts_sink *s);
/* Closes what is open and moves the text into out (appended). Returns
 * the sticky error code. */
int ts_finish(ts_sink *s, ps_buf *out);

/* ---- formats ------------------------------------------------------------ */

/* Each appends the raw (uncleaned) UTF-8 text of its format to out and
 * returns 0, or fails with a message. *enc (when the format has one) gets
 * the encoding the text was read in. */
int ps_html_extract(const char *data, size_t n, ps_buf *out, int *enc, ps_error *err);
int ps_docx_extract(const char *data, size_t n, ps_buf *out, ps_error *err);
int ps_odt_extract(const char *data, size_t n, ps_buf *out, ps_error *err);
int ps_rtf_extract(const char *data, size_t n, ps_buf *out, int *enc, ps_error *err);
/* path (may be NULL: data goes to a temporary file) is what the converter
 * reads; data/n are the same bytes. */
int ps_msdoc_extract(const char *path, const char *data, size_t n, ps_buf *out,
                     ps_error *err);

/* PDF sets the document's text and pages itself (the page starts refer to
 * the cleaned text). */
int ps_pdf_extract(const char *data, size_t n, ps_doc *doc, ps_error *err);

/* ---- zip (DOCX, ODT) ---------------------------------------------------- */

/* Reads one entry of a zip archive in memory into out, refusing archives
 * of more than PS_EXTRACT_MAX_ENTRIES entries and entries larger than
 * PS_EXTRACT_MAX_ENTRY bytes uncompressed (zip bombs). kind names the
 * format in messages ("DOCX"). PS_ENOTFOUND when the entry is absent. */
int ps_zip_read_entry(const char *data, size_t n, const char *name, const char *kind,
                      ps_buf *out, ps_error *err);
/* Whether the archive holds an entry of that name (0 on any error). */
int ps_zip_has_entry(const char *data, size_t n, const char *name);

/* ---- encodings ---------------------------------------------------------- */

/* Decodes one byte run in a single-byte code page (CP1252, CP1258, TCVN3,
 * VNI) and appends UTF-8; the same as ps_decode() for those. */
int ps_decode_bytes(const unsigned char *s, size_t n, int enc, ps_buf *out);
/* Appends bytes in the named charset (anything glibc's iconv knows)
 * decoded to UTF-8; PS_ENOTFOUND when iconv does not know the name. */
int ps_decode_iconv(const char *s, size_t n, const char *charset, ps_buf *out, ps_error *err);

/* libxml2's one-time set-up (thread-safe). */
void ps_xml_init(void);

#endif
