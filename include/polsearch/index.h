/*
 * index.h: the index — how a ps_doc becomes Xapian documents, and the
 * writer that stores them.
 *
 * Each document is stored as one document record (metadata, structure,
 * relations, source signature; no free-text terms) and one passage record
 * per structural unit (an article, a section, a paragraph chunk). Passages
 * partition the text: concatenated in order they give it back whole, so
 * the text is stored once. Every record of a document carries the same
 * group term and collapse key, so document-level results are passage
 * results collapsed by document. The term prefixes and value slots are in
 * schema.h and docs/TERMS.md.
 */
#ifndef POLSEARCH_INDEX_H
#define POLSEARCH_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "polsearch/doc.h"
#include "polsearch/util.h"

/* Format of the index this program reads and writes. Changing a prefix,
 * a slot or the record layout bumps it; the writer refuses to add to an
 * index of another format and the reader asks for a re-index. */
#define PS_INDEX_FORMAT 1

/* ---- passages ------------------------------------------------------- */

typedef struct ps_passage {
    uint32_t ordinal;       /* 0-based, in text order */
    size_t start, end;      /* span in doc->text; passages tile the text */
    const char *kind;       /* "preamble", "dieu", "khoan", "muc", "phan",
                               "chuong", "text", "closing" */
    const char *label;      /* "Điều 5", "Mục II", "Mở đầu" (arena) */
    const char *path;       /* "Chương II > Điều 5" (arena) */
    const char *article;    /* "5" when inside Điều 5, else NULL */
    const char *title;      /* the unit's heading title, or NULL */
    const ps_node *node;    /* the unit's node, NULL for preamble/closing */
} ps_passage;

/* Cuts doc (already parsed) into passages: one per article, or for
 * documents without articles one per smallest section that is not too
 * long, with the header before the first unit as "preamble" and the
 * signature after the last as "closing"; long units are cut at khoản or
 * paragraph boundaries. *out is allocated in doc's arena. */
int ps_passages(ps_doc *doc, ps_passage **out, size_t *n, ps_error *err);

/* ---- writer --------------------------------------------------------- */

typedef struct ps_writer ps_writer;

typedef struct ps_writer_opts {
    size_t flush_bytes;   /* commit after this many bytes of text
                             (0: 4 MiB); bounds the writer's memory */
    int no_sync;          /* skip fsync on commit (bulk loads, tests) */
    int create;           /* create the database when missing (default 1
                             through ps_writer_opts_default) */
    size_t segment_bytes; /* an index that starts empty (a bulk load) is
                             written in segments of this much text, merged
                             into it on close (0: one database; the
                             default through ps_writer_opts_default is
                             256 MiB). Xapian's writer slows as its
                             B-trees grow; segments keep them small. */
} ps_writer_opts;

void ps_writer_opts_default(ps_writer_opts *o);

/* Opens or creates the index folder at path for writing. Fails with
 * PS_ELOCKED when another writer holds it, PS_EVERSION when it holds
 * another format. Caller closes with ps_writer_close(). */
int ps_writer_open(const char *path, const ps_writer_opts *opts, ps_writer **out,
                   ps_error *err);

/* Commits what was added and closes; frees w even on error. NULL is a
 * no-op. A bulk load's segments are merged into the index here (in a new
 * folder beside it, swapped in at once): on an error the index keeps
 * its first segment, and the documents of the others are indexed again
 * by the next run. */
int ps_writer_close(ps_writer *w, ps_error *err);

/* Closes without committing the current batch (the index keeps its last
 * commit). */
void ps_writer_abort(ps_writer *w);

/* Adds doc (parsed; id set) or replaces the document with the same id.
 * The change becomes durable at the next commit; a document is never
 * half-stored: all its records are in one batch. */
int ps_writer_add(ps_writer *w, ps_doc *doc, ps_error *err);

/* Removes the document with this id (no error when absent). */
int ps_writer_delete(ps_writer *w, const char *id, ps_error *err);

/* Makes everything added so far durable. */
int ps_writer_commit(ps_writer *w, ps_error *err);

/* What the index knows of a stored document's source. */
typedef struct ps_source_sig {
    int64_t size;
    int64_t mtime;
    uint64_t hash;
} ps_source_sig;

/* Calls fn for every stored document: its id, where it came from (the
 * doc's source when indexed) and its source signature. */
typedef int (*ps_writer_doc_fn)(void *ctx, const char *id, const char *source,
                                const ps_source_sig *sig);
int ps_writer_each_doc(ps_writer *w, ps_writer_doc_fn fn, void *ctx, ps_error *err);

/* Counters of the writer's work so far. */
typedef struct ps_writer_stats {
    uint64_t docs_added;
    uint64_t docs_deleted;
    uint64_t passages;
    uint64_t bytes;       /* text bytes indexed */
    uint64_t tokens;
    uint64_t commits;
    uint64_t segments;    /* segments of a bulk load, merged or to be merged */
} ps_writer_stats;

void ps_writer_get_stats(const ps_writer *w, ps_writer_stats *out);

/* ---- keys shared by the writer and the searcher -------------------- */

/* The key that stands for a document id in terms and values: the id
 * itself up to 200 bytes, else a prefix and a hash of the whole. */
int ps_doc_key(const char *id, ps_buf *out);

#endif
