/*
 * extract.h: reading a source file into a document's text.
 *
 * Detects the format (by extension, then by content) and the encoding
 * (UTF-8 with or without BOM, UTF-16 with BOM; legacy Vietnamese encodings
 * where the text does not read as Vietnamese), and sets doc->text (cleaned,
 * NFC), doc->format, doc->encoding, doc->size, doc->mtime and doc->hash.
 * Every extractor runs under the limits below; a file past them fails
 * with PS_ETOOBIG and a message naming it.
 */
#ifndef POLSEARCH_EXTRACT_H
#define POLSEARCH_EXTRACT_H

#include "polsearch/doc.h"
#include "polsearch/util.h"

#define PS_EXTRACT_MAX_BYTES ((size_t)256 << 20)   /* source file size */

/* Whether the file's extension is one the indexer reads (.txt, .md, ...).
 * JSON Lines (.jsonl) files are read by the indexer record by record and
 * are not extracted here. */
int ps_extract_supported(const char *path);

/* Reads path into doc. */
int ps_extract_file(const char *path, ps_doc *doc, ps_error *err);

/* Extracts from bytes already in memory; format is an extension without
 * the dot ("txt", "md", "html"), NULL to guess from the content. */
int ps_extract_buffer(const char *data, size_t n, const char *format, ps_doc *doc,
                      ps_error *err);

#endif
