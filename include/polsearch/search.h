/*
 * search.h: queries, ranking, snippets and results.
 *
 * A ps_searcher is one reader of an index (a folder, or a stub file naming
 * shards, local or remote) with its own analyzer: one per thread. It turns
 * a query string into a Xapian query, runs it over passages, collapses by
 * document or by article, and returns hits with highlighted snippets, in
 * the JSON shape shared by the CLI and the HTTP API (docs/API.md).
 *
 * Query language (ps_query_parse):
 *   bare words         ranked; a hit need not hold every word
 *   "quoted phrase"    must occur as written (diacritics optional)
 *   -word, -"phrase"   must not occur
 *   +word              must occur
 *   a OR b             either (bare words are already OR-ed for ranking)
 *   field:value        type: issuer: number: year: cites: article:
 *                      (value may be quoted: issuer:"Bộ Chính trị")
 * A query typed with no diacritic at all matches on diacritic-free forms
 * only; otherwise each word matches its exact form first and its
 * diacritic-free form with a lower weight. Document numbers in any common
 * spelling ("57-NQ/TW", "57/NQ-TW", "57 NQ TW", "nq 57", "nghị quyết số
 * 57", "13/2023/ND-CP") boost the document they name.
 */
#ifndef POLSEARCH_SEARCH_H
#define POLSEARCH_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "polsearch/text.h"
#include "polsearch/util.h"

/* ---- limits (hard caps on outside input) --------------------------- */

#define PS_QUERY_MAX_BYTES 8192   /* longer queries are cut at a word */
#define PS_QUERY_MAX_WORDS 256    /* words beyond are ignored */
#define PS_LIMIT_MAX 100
#define PS_OFFSET_MAX 10000

/* ---- parsed queries ------------------------------------------------- */

typedef struct ps_qword {
    const char *term;   /* canonical form */
    const char *fold;   /* diacritic-free form */
    unsigned flags;     /* PS_TOK_* as the analyzer gave them */
    size_t start, end;  /* span in the cleaned query text */
    double weight;      /* how telling the word is (the searcher sets it
                           from the index's statistics; 0 means 1) */
} ps_qword;

typedef enum ps_qclause_kind {
    PS_QC_WORD,    /* one word */
    PS_QC_PHRASE,  /* words that must be adjacent, in order */
    PS_QC_FIELD    /* field:value filter */
} ps_qclause_kind;

typedef enum ps_qclause_mod {
    PS_QM_SHOULD = 0, /* ranked */
    PS_QM_MUST,       /* +word, and every phrase */
    PS_QM_NOT         /* -word */
} ps_qclause_mod;

typedef struct ps_qclause {
    int kind;           /* ps_qclause_kind */
    int mod;            /* ps_qclause_mod */
    int or_prev;        /* joined to the previous clause by OR */
    ps_qword *words;
    size_t n;
    const char *field;  /* PS_QC_FIELD: "type", "issuer", ... */
    const char *value;  /* PS_QC_FIELD: the value as typed */
} ps_qclause;

typedef struct ps_query {
    ps_arena *arena;    /* owns everything here */
    const char *text;   /* the cleaned query */
    ps_qclause *clauses;
    size_t n;
    int folded;         /* no diacritics anywhere: match folds only */
    const char **number_keys; /* full keys of numbers named ("57-NQ-TW") */
    size_t n_number_keys;
    const char **short_keys;  /* short keys ("57-NQ") */
    size_t n_short_keys;
    const char **articles;    /* article numbers named ("điều 5" -> "5") */
    size_t n_articles;
    int truncated;      /* the query passed a cap and was cut */
} ps_query;

/* Parses q (any bytes; cleaned first). Caller frees with
 * ps_query_free(). Never fails on odd input (unbalanced quotes, stray
 * operators): only on allocation failure. */
int ps_query_parse(ps_analyzer *an, const char *q, size_t len, ps_query **out, ps_error *err);
void ps_query_free(ps_query *q);
/* One-line description for golden tests and debugging, e.g.
 * `folded word(nghi) phrase(khoa hoc) -word(x) type:nq num(57-NQ-TW)`. */
int ps_query_describe(const ps_query *q, ps_buf *out);

/* ---- searching ------------------------------------------------------ */

typedef enum ps_unit { PS_UNIT_DOCUMENT = 0, PS_UNIT_PASSAGE = 1 } ps_unit;
typedef enum ps_sort { PS_SORT_RELEVANCE = 0, PS_SORT_DATE, PS_SORT_DATE_DESC } ps_sort;

typedef struct ps_search_opts {
    const char *query;      /* the query string (may be empty with filters) */
    int unit;               /* ps_unit */
    uint32_t offset;        /* <= PS_OFFSET_MAX */
    uint32_t limit;         /* 1..PS_LIMIT_MAX */
    const char *type;       /* filter: a type ("Nghị quyết", "nghi quyet", "NQ") */
    const char *issuer;     /* filter: an issuer ("Bộ Chính trị") */
    const char *from;       /* filter: date >= YYYY-MM-DD (or YYYY, YYYY-MM) */
    const char *to;         /* filter: date <= YYYY-MM-DD (or YYYY, YYYY-MM) */
    int sort;               /* ps_sort */
    int access;             /* highest ps_access level the reader may see */
    int facets;             /* compute facet counts over all matches */
    int snippets;           /* make snippets (default on via _default) */
    const char *cites;      /* filter: documents citing this number */
} ps_search_opts;

void ps_search_opts_default(ps_search_opts *o);

/* Checks the options (limits, dates, sort); PS_EINVAL with a message a
 * user can act on. */
int ps_search_opts_check(const ps_search_opts *o, ps_error *err);

typedef struct ps_hit {
    const char *id;
    double score;
    const char *title, *number, *type, *issuer, *date, *access;
    const char *snippet;    /* HTML-escaped, matches in <mark> */
    const char *article;    /* "418" or NULL */
    const char *path;       /* "Chương XXVI > Điều 418" */
    const char *label;      /* "Điều 418" */
    const char *kind;       /* passage kind */
    uint32_t ordinal;       /* passage ordinal */
    uint32_t page;          /* page it starts on in a paged source, else 0 */
    size_t start, end;      /* passage span in the document text */
    const char *citation;   /* ps_citation of the document and passage */
    const char *text;       /* passage text (borrowed from the results) */
    size_t text_len;
} ps_hit;

typedef struct ps_facet_value {
    const char *value;
    uint32_t count;
} ps_facet_value;

typedef struct ps_facet {
    const char *name;       /* "type", "issuer", "year" */
    ps_facet_value *values;
    size_t n;
} ps_facet;

typedef struct ps_results {
    ps_arena *arena;        /* owns everything here */
    const char *query;
    int unit;
    uint32_t total;         /* matches: documents or passages */
    int total_exact;        /* total is exact, not an estimate */
    uint32_t offset, limit;
    ps_hit *hits;
    size_t n;
    ps_facet facets[3];
    size_t n_facets;
    double took_ms;
    const char *parsed;     /* ps_query_describe of the query */
    const char **warnings;  /* e.g. a shard that did not answer */
    size_t n_warnings;
} ps_results;

typedef struct ps_searcher ps_searcher;

/* Opens the index at path: an index folder, a folder holding shards.stub,
 * or a stub file. Caller closes with ps_searcher_close(). */
int ps_searcher_open(const char *path, ps_searcher **out, ps_error *err);
void ps_searcher_close(ps_searcher *s);

/* How many times a call on a searcher is tried when a commit overwrites
 * the revision it reads (PS_EMODIFIED): a busy daemon's reader may see
 * several commits of a re-index during one request. */
#define PS_RETRIES 8

/* After a call on s returned rc: 1 when rc is PS_EMODIFIED, fewer than
 * PS_RETRIES tries were made (counted in *tries, start it at 0) and s was
 * reopened, so the caller tries again; else 0 (err then says why the
 * reopen failed, if it did).
 *   do rc = ps_searcher_doc(s, ...); while (ps_searcher_retry(s, rc, &tries, err)); */
int ps_searcher_retry(ps_searcher *s, int rc, int *tries, ps_error *err);

/* What identifies the revision the searcher is at, for caches of its
 * answers: the index folder and its commit ("DEV:INODE:REVISION") into
 * out (size bytes). PS_EINVAL for an index of shards, which has no single
 * revision: such answers are not to be cached. */
int ps_searcher_generation(ps_searcher *s, char *out, size_t size, ps_error *err);

/* Moves to the index's latest commit; *changed set when it moved.
 * An index renamed over the path (a swap) is opened in place. PS_ENOTFOUND
 * when the path is gone or names another index that does not open (or,
 * for shards, a stub renamed over it): the searcher keeps the revision it
 * held and still answers from it; the caller may try again later or
 * open a new searcher. */
int ps_searcher_reopen(ps_searcher *s, int *changed, ps_error *err);

/* Documents and passages in the index, and its last update time. */
int ps_searcher_stats(ps_searcher *s, uint32_t *docs, uint32_t *passages, long long *updated,
                      ps_error *err);

/* Runs a search. Caller frees *out with ps_results_free(). */
int ps_search(ps_searcher *s, const ps_search_opts *o, ps_results **out, ps_error *err);
void ps_results_free(ps_results *r);

/* Appends the results as JSON (docs/API.md). */
int ps_results_json(const ps_results *r, ps_buf *out);

/* ---- documents ------------------------------------------------------ */

/* A stored document: metadata and structure as JSON, its text, and the
 * passages' spans. */
typedef struct ps_docview {
    ps_arena *arena;
    const char *id;
    const char *meta_json;       /* the metadata object (one line) */
    const char *structure_json;  /* the structure array */
    const char *relations_json;  /* the relations array */
    const char *text;
    size_t text_len;
    int access;                  /* the document's level */
    int reader_access;           /* the level of the reader who asked: what
                                    the JSON may show of other documents */
    size_t n_passages;
    size_t *passage_starts;      /* text offset of each passage */
    const char **passage_labels;
} ps_docview;

/* Fetches document id when the reader's access level allows it
 * (otherwise PS_ENOTFOUND, as if it did not exist). Caller frees with
 * ps_docview_free(). */
int ps_searcher_doc(ps_searcher *s, const char *id, int access, ps_docview **out,
                    ps_error *err);
void ps_docview_free(ps_docview *d);

/* Appends the document as JSON: the metadata fields, "citation",
 * "structure", "relations" (each mention with the "target" id of the
 * indexed document it names, when there is one, and quoted titles
 * resolved to their document), "cited_by" (passages of other documents
 * that mention this one), "passages", "text"; with q non-NULL also
 * "highlights": the byte spans of q's matches in the text. Only documents
 * the reader's level allows appear. */
#define PS_DOC_SOURCE 1u /* flags: include "source", the path of the file
                             indexed (trusted readers only) */
int ps_docview_json(ps_searcher *s, const ps_docview *d, const char *q, unsigned flags,
                    ps_buf *out);

/* ---- suggestions ------------------------------------------------------ */

typedef struct ps_suggestion {
    const char *id;       /* the document */
    const char *title;
    const char *number;
    const char *type;
    const char *date;
    const char *text;     /* what to show: "Nghị quyết 57-NQ/TW — về đột phá ..." */
} ps_suggestion;

typedef struct ps_suggestions {
    ps_arena *arena;      /* owns everything here */
    ps_suggestion *items;
    size_t n;
} ps_suggestions;

/* Completions for what a user is typing (search as you type): documents
 * whose title or number starts with, or whose title holds, the words of
 * prefix (the last one possibly unfinished), with or without diacritics;
 * at most max (<= 20), only documents the reader's access level allows.
 * Caller frees with ps_suggestions_free(). */
int ps_suggest(ps_searcher *s, const char *prefix, int access, unsigned max,
               ps_suggestions **out, ps_error *err);
void ps_suggestions_free(ps_suggestions *sg);
/* Appends {"query": ..., "suggestions": [{id, text, title, number, type,
 * date}]} to out. */
int ps_suggestions_json(const ps_suggestions *sg, const char *prefix, ps_buf *out);

/* ---- citations -------------------------------------------------------- */

/* What a citation names. */
typedef struct ps_cite_meta {
    const char *type;     /* "Nghị quyết" */
    const char *number;   /* "57-NQ/TW" */
    const char *date;     /* ISO "2024-12-22" */
    const char *issuer;   /* "Bộ Chính trị" */
    const char *title;    /* "về đột phá ..." or a law's name "Luật Đất đai" */
} ps_cite_meta;

/* Appends the standard first-mention citation of a document, then the
 * location when path names one:
 *   Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá ...
 *   Luật Dữ liệu số 60/2024/QH15 ngày 30/11/2024, Điều 5
 *   ..., điểm a khoản 1 Điều 5      (path "Chương I > Điều 5 > khoản 1 > điểm a")
 * Parts the metadata lacks are left out. path may be NULL. */
int ps_citation(const ps_cite_meta *m, const char *path, ps_buf *out);

/* Appends only the location of path, innermost unit first ("khoản 1
 * Điều 5"); nothing for the preamble, closing or a paragraph chunk. */
int ps_citation_location(const char *path, ps_buf *out);

/* ---- quotes: where a text comes from --------------------------------- */

typedef struct ps_cite_opts {
    const char *quote;      /* the quoted text (any length; cut at 16 KB) */
    uint32_t limit;         /* sources to return, 1..PS_LIMIT_MAX (default 5) */
    int access;             /* highest level the reader may see */
    const char *type;       /* optional filters, as in ps_search_opts */
    const char *from, *to;
    const char *exclude_id; /* leave out this document (its own repeats) */
} ps_cite_opts;

void ps_cite_opts_default(ps_cite_opts *o);

enum { PS_DIFF_EQUAL = 0, PS_DIFF_INSERT = 1, PS_DIFF_DELETE = 2 };

/* One step of the difference between the quote and its source: EQUAL and
 * INSERT hold source text (INSERT: in the source, not in the quote),
 * DELETE holds quote text missing from the source. */
typedef struct ps_diff {
    int op;
    const char *text;
} ps_diff;

typedef struct ps_cite_hit {
    ps_hit hit;             /* the passage, its document; hit.citation names
                               the precise location */
    double score;           /* alignment score */
    double coverage;        /* share of the quote's words found, in order */
    const char *location;   /* "Chương II > Điều 5 > khoản 1 > điểm a" */
    const char *location_text; /* "điểm a khoản 1 Điều 5" */
    const char *match;      /* the source text the quote matched */
    size_t match_start, match_end; /* its span in the document's text */
    const char *context;    /* the sentence(s) around the match */
    uint32_t page;          /* the page of a paged source (PDF) it is on, else 0 */
    ps_diff *diff;
    size_t n_diff;
} ps_cite_hit;

typedef struct ps_cite_results {
    ps_arena *arena;        /* owns everything here */
    const char *quote;      /* the cleaned quote */
    ps_cite_hit *hits;
    size_t n;
    double took_ms;
    const char **warnings;
    size_t n_warnings;
} ps_cite_results;

/* The passages a quote most likely comes from, best first (the earliest
 * document first among equal matches). Caller frees *out with
 * ps_cite_results_free(). */
int ps_cite(ps_searcher *s, const ps_cite_opts *o, ps_cite_results **out, ps_error *err);
void ps_cite_results_free(ps_cite_results *r);
/* Appends {"quote", "total", "took_ms", "hits": [...]}: each hit has the
 * fields of a search hit (snippet = the matched text, marked) plus
 * citation, location, location_text, match, match_start, match_end,
 * context, coverage and diff [{op: equal|insert|delete, text}]. */
int ps_cite_results_json(const ps_cite_results *r, ps_buf *out);

/* ---- near-duplicates ---------------------------------------------------- */

typedef struct ps_similar_example {
    const char *sentence;   /* the sentence of the passage */
    const char *match;      /* as the other document writes it */
    const char *location;   /* where, in the other document */
    double coverage;
} ps_similar_example;

typedef struct ps_similar_hit {
    const char *id, *title, *number, *type, *issuer, *date;
    const char *citation;   /* the other document's citation */
    size_t repeated;        /* sentences of the passage it repeats */
    ps_similar_example *examples; /* at most 3 */
    size_t n_examples;
} ps_similar_hit;

typedef struct ps_similar_results {
    ps_arena *arena;
    const char *id;
    long ordinal;           /* the passage, or -1 for the whole document */
    size_t sentences;       /* sentences examined (of 8 syllables or more) */
    ps_similar_hit *hits;   /* other documents, earliest first */
    size_t n;
    double took_ms;
} ps_similar_results;

/* The other documents that repeat sentences of passage `ordinal` of
 * document id (of the whole document when ordinal < 0, its first 200
 * sentences): each sentence is cited over the other documents and a match
 * covering at least min_coverage of it (0: 0.8) counts. The reader's
 * access level applies to the document and to the others. Caller frees
 * with ps_similar_results_free(). */
int ps_similar(ps_searcher *s, const char *id, long ordinal, int access, double min_coverage,
               ps_similar_results **out, ps_error *err);
void ps_similar_results_free(ps_similar_results *r);
int ps_similar_results_json(const ps_similar_results *r, ps_buf *out);

/* ---- concordance ------------------------------------------------------ */

enum { PS_KWIC_DATE = 0, PS_KWIC_DATE_DESC, PS_KWIC_DOC };

typedef struct ps_kwic_opts {
    const char *phrase;     /* words matched in order (diacritics optional) */
    int sort;               /* PS_KWIC_*: oldest first (default), newest
                               first, or index order */
    int access;             /* highest level the reader may see */
    size_t context;         /* bytes of context each side (default 60,
                               at most 400) */
    uint64_t max;           /* stop after this many lines (0: all) */
    const char *type;       /* optional filters, as in ps_search_opts */
    const char *from, *to;
} ps_kwic_opts;

void ps_kwic_opts_default(ps_kwic_opts *o);

/* One occurrence. Strings are borrowed: valid during the callback. */
typedef struct ps_kwic_line {
    const char *id, *title, *number, *type, *issuer, *date;
    const char *path;       /* passage path: "Chương II > Điều 5" */
    const char *citation;   /* the document's citation with that location */
    const char *left;       /* context before (one line, cut at a word) */
    const char *match;      /* the occurrence as written */
    const char *right;      /* context after */
    size_t start, end;      /* the occurrence's span in the document's text */
} ps_kwic_line;

typedef struct ps_kwic_year {
    int year;
    uint64_t count;
} ps_kwic_year;

typedef struct ps_kwic_stats {
    uint64_t lines;         /* occurrences given */
    uint64_t passages;      /* passages holding them */
    uint64_t documents;
    ps_kwic_year *years;    /* occurrences per year, ascending; caller frees
                               with ps_kwic_stats_fin() */
    size_t n_years;
    double first_ms;        /* time to the first line */
    double took_ms;
    int truncated;          /* max was reached */
} ps_kwic_stats;

/* Calls fn for every occurrence of the phrase across the index, as they
 * are found (streaming: the first lines come before the last are found);
 * fn returns non-zero to stop. */
typedef int (*ps_kwic_fn)(void *ctx, const ps_kwic_line *line);
int ps_kwic(ps_searcher *s, const ps_kwic_opts *o, ps_kwic_fn fn, void *ctx, ps_kwic_stats *st,
            ps_error *err);
void ps_kwic_stats_fin(ps_kwic_stats *st);
/* Appends one line as a JSON object. */
int ps_kwic_line_json(const ps_kwic_line *l, ps_buf *out);
/* Appends the summary {"summary": {lines, passages, documents, took_ms,
 * first_ms, truncated, years: {"2024": n, ...}}}. */
int ps_kwic_stats_json(const ps_kwic_stats *st, const char *phrase, ps_buf *out);

/* ---- snippets and highlighting --------------------------------------- */

/* Appends to out the best window of text (about max_bytes) for query q,
 * HTML-escaped, with matches in <mark></mark>, "…" where cut. */
int ps_snippet(ps_analyzer *an, const ps_query *q, const char *text, size_t len,
               size_t max_bytes, ps_buf *out);

/* Calls fn for every span of text matching a word of q. */
typedef int (*ps_match_fn)(void *ctx, size_t start, size_t end);
int ps_highlight_spans(ps_analyzer *an, const ps_query *q, const char *text, size_t len,
                       ps_match_fn fn, void *ctx);

#endif
