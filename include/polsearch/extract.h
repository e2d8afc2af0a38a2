/*
 * extract.h: reading a source file into a document's text.
 *
 * Detects the format (by extension, then by content) and the encoding
 * (UTF-8 with or without BOM, UTF-16 with BOM; the legacy Vietnamese
 * encodings Windows-1258, TCVN3 and VNI where the bytes do not read as
 * Vietnamese UTF-8), and sets doc->text (cleaned, NFC), doc->format,
 * doc->encoding, doc->size, doc->mtime, doc->hash, and for paged sources
 * (PDF) doc->page_starts / doc->n_pages.
 *
 * Formats: plain text (.txt .text), Markdown (.md .markdown), HTML (.html
 * .htm, libxml2's HTML parser), DOCX and ODT (libzip + libxml2's reader),
 * PDF (poppler's text layer), DOC (antiword, else catdoc, run as a child
 * process) and RTF (a small reader here).
 *
 * Every extractor runs under the limits below; a source past them fails
 * with PS_ETOOBIG, a source that is not what its extension says with
 * PS_EFORMAT, each with a message that says why (the caller adds the file
 * name). No extractor prints, and none keeps state between calls except
 * the one-time initialisation of libxml2.
 */
#ifndef POLSEARCH_EXTRACT_H
#define POLSEARCH_EXTRACT_H

#include "polsearch/doc.h"
#include "polsearch/util.h"

#define PS_EXTRACT_MAX_BYTES ((size_t)256 << 20)   /* source file size */
#define PS_EXTRACT_MAX_MARKUP ((size_t)64 << 20)   /* HTML, RTF source size */
#define PS_EXTRACT_MAX_ENTRY ((size_t)64 << 20)    /* uncompressed zip entry
                                                      (DOCX, ODT) */
#define PS_EXTRACT_MAX_ENTRIES 10000               /* entries in a zip */
#define PS_EXTRACT_MAX_TEXT ((size_t)128 << 20)    /* extracted text */
#define PS_EXTRACT_MAX_PAGES 20000                 /* PDF pages */
#define PS_EXTRACT_TIMEOUT 30                      /* seconds: a child
                                                      process (antiword),
                                                      and PDF text between
                                                      pages */
#define PS_EXTRACT_CHILD_MEMORY ((size_t)1 << 30)  /* address space of a
                                                      child process */

/* Whether the file's extension is one the indexer reads (.txt .text .md
 * .markdown .html .htm .docx .odt .pdf .doc .rtf). JSON Lines (.jsonl)
 * files are read by the indexer record by record and are not extracted
 * here. */
int ps_extract_supported(const char *path);

/* Reads path into doc. */
int ps_extract_file(const char *path, ps_doc *doc, ps_error *err);

/* Extracts from bytes already in memory; format is an extension without
 * the dot ("txt", "md", "html", "docx", "odt", "pdf", "doc", "rtf"), NULL
 * or "" to guess from the content. A binary format whose bytes say they
 * are another one (a .doc that is RTF or HTML, as Word writes them) is
 * read as what the bytes are. DOC from memory goes through a temporary
 * file (the converters read files only). data is borrowed. */
int ps_extract_buffer(const char *data, size_t n, const char *format, ps_doc *doc,
                      ps_error *err);

/* ---- encodings ------------------------------------------------------- */

/* Encodings a Vietnamese text may come in. */
typedef enum ps_encoding {
    PS_ENC_AUTO = 0, /* detect (ps_encoding_detect) */
    PS_ENC_UTF8,     /* with or without BOM */
    PS_ENC_UTF16,    /* with a BOM telling LE or BE */
    PS_ENC_CP1258,   /* Windows-1258: base letters + combining tone marks */
    PS_ENC_TCVN3,    /* TCVN 5712:1993 VN3, "ABC", the .VnTime fonts */
    PS_ENC_VNI,      /* VNI-Windows, the VNI-Times fonts: a base letter
                        then accent bytes */
    PS_ENC_CP1252    /* Windows-1252 (what ISO-8859-1 means on the web) */
} ps_encoding;

/* "UTF-8", "UTF-16", "CP1258", "TCVN3", "VNI", "CP1252" ("auto" for
 * PS_ENC_AUTO). Static string. */
const char *ps_encoding_name(int enc);

/* The encoding a name means, any case: "utf-8", "utf8", "utf-16",
 * "cp1258", "windows-1258", "tcvn3", "tcvn", "abc", "vn3", "vni",
 * "vni-windows", "cp1252", "windows-1252", "iso-8859-1", "latin1",
 * "auto". -1 when unknown. */
int ps_encoding_parse(const char *name);

/* Which encoding s (n bytes) is in. A UTF-8 or UTF-16 BOM decides. Else
 * valid UTF-8 that reads as Vietnamese (or has too few letter tokens to
 * tell) stays UTF-8; otherwise each of UTF-8, CP1258, TCVN3 and VNI
 * decodes the first 256 KB and the decoding whose share of valid
 * Vietnamese syllables (ps_text_vietnamese_score) is highest wins (an
 * invalid byte counts against its word). UTF-8 keeps ties; when it
 * decodes cleanly a legacy encoding must read as Vietnamese outright
 * (0.6) and beat it by 0.15. *score (may be NULL) gets the winner's
 * share, -1 when there were no letters to judge by. Never fails. */
int ps_encoding_detect(const char *s, size_t n, double *score);

/* Like ps_encoding_detect, with the encoding the source declares (an HTML
 * meta charset, say) taking UTF-8's place as the default: a legacy
 * Vietnamese encoding replaces it only where it reads clearly better.
 * declared is PS_ENC_UTF8 or PS_ENC_CP1252. */
int ps_encoding_detect_from(const char *s, size_t n, int declared, double *score);

/* Decodes n bytes in encoding enc (not AUTO) to UTF-8, appended to out.
 * The result is not normalised (Windows-1258 and VNI give base letters
 * and combining marks; ps_text_clean composes them). Bytes with no
 * meaning in enc become U+FFFD; a leading BOM is dropped. TCVN3 has no
 * capital letters with tone marks: files set in the capital fonts
 * (.VnTimeH) use the small letters' codes, so a word of such codes and
 * capitals is read in capitals ("CéNG" -> "CỘNG"; "Hµ" -> "HÀ" beside
 * capital words, "Hà" beside small ones). Fails only on out's cap or
 * allocation (out's code). */
int ps_decode(const char *s, size_t n, int enc, ps_buf *out, ps_error *err);

/* Converts a file's bytes to the stored form of its text: decoded from enc
 * (PS_ENC_AUTO detects), then cleaned (NFC, LF, no controls), appended to
 * out. *used (may be NULL) gets the encoding read. For the command line's
 * conversion of legacy files. */
int ps_decode_legacy(const char *s, size_t n, int enc, ps_buf *out, int *used, ps_error *err);

#endif
