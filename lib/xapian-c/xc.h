/*
 * xc.h: a small C API over Xapian 1.4 (libxapian).
 *
 * The binding is general: it knows nothing of polsearch or of Vietnamese.
 * It is the only C++ in the tree (xc.cc); every Xapian::Error and
 * std::exception is caught at the extern "C" boundary and returned as an
 * xc_rc code plus a message in the caller's xc_error. No C++ type or
 * exception reaches C.
 *
 * Conventions
 *   - Handles are opaque and come in pairs: xc_X_new/open ... xc_X_free.
 *     Freeing NULL is a no-op.
 *   - Functions returning int return XC_OK (0) or an xc_rc code and fill
 *     *err (err may be NULL). Constructors returning a pointer return NULL
 *     on failure and fill *err.
 *   - Iterators' next() functions return 1 when they produced an item,
 *     0 at the end, and -1 on error (err filled).
 *   - Strings passed in are (pointer, length) pairs where terms may contain
 *     any byte; NUL-terminated where the name says so.
 *   - Ownership is said on each declaration: "caller frees with xc_free()"
 *     or "borrowed: valid until ...".
 *   - Threads: a handle may be used by one thread at a time. Separate
 *     read-only handles on the same database may be used concurrently
 *     (Xapian's own rule).
 */
#ifndef XAPIAN_C_XC_H
#define XAPIAN_C_XC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint32_t xc_docid;   /* Xapian::docid; 0 is never a document */
typedef uint32_t xc_termpos; /* Xapian::termpos */
typedef uint32_t xc_slot;    /* Xapian::valueno */

/* ---- errors --------------------------------------------------------- */

typedef enum xc_rc {
    XC_OK = 0,
    XC_ENOMEM,             /* std::bad_alloc */
    XC_EOPENING,           /* DatabaseOpeningError (incl. not found, bad stub) */
    XC_EVERSION,           /* DatabaseVersionError */
    XC_ELOCK,              /* DatabaseLockError: another writer holds it */
    XC_EMODIFIED,          /* DatabaseModifiedError: reopen() and retry */
    XC_ECORRUPT,           /* DatabaseCorruptError */
    XC_EDATABASE,          /* other DatabaseError (incl. disk full on commit) */
    XC_ENETWORK,           /* NetworkError / NetworkTimeoutError (remote shard) */
    XC_EDOCNOTFOUND,       /* DocNotFoundError */
    XC_EINVALIDARG,        /* InvalidArgumentError / InvalidOperationError */
    XC_EUNIMPLEMENTED,     /* UnimplementedError */
    XC_ERANGE,             /* RangeError / SerialisationError */
    XC_EOTHER              /* any other exception */
} xc_rc;

typedef struct xc_error {
    int code;          /* xc_rc */
    char type[48];     /* Xapian's error class, e.g. "DatabaseLockError" */
    char msg[464];     /* Xapian's message, truncated */
} xc_error;

/* Short stable name of a code ("ELOCK"). */
const char *xc_rc_name(int code);

/* Frees memory the binding handed to the caller (strings, buffers). */
void xc_free(void *p);

/* The Xapian library version string, e.g. "1.4.22". Static. */
const char *xc_version(void);

/* ---- read-only databases ------------------------------------------- */

typedef struct xc_db xc_db;

/* Opens a database at path: a database folder or a stub database file
 * (lines "auto PATH" / "remote HOST:PORT"); Xapian resolves the stub.
 * Caller frees with xc_db_free(). */
xc_db *xc_db_open(const char *path, xc_error *err);

/* An empty database to which shards are added with xc_db_add_*; searching
 * it searches all shards as one (Xapian's multi-database). */
xc_db *xc_db_new(xc_error *err);

/* Adds a local shard (folder or stub file) to db. */
int xc_db_add_path(xc_db *db, const char *path, xc_error *err);

/* Adds a remote shard served by xapian-tcpsrv on host:port.
 * timeout_ms bounds each operation, connect_timeout_ms the connection. */
int xc_db_add_remote(xc_db *db, const char *host, unsigned port, unsigned timeout_ms,
                     unsigned connect_timeout_ms, xc_error *err);

/* Adds every shard of src to db (src stays owned by the caller). */
int xc_db_add_db(xc_db *db, const xc_db *src, xc_error *err);

void xc_db_free(xc_db *db);

/* Brings db up to the latest committed revision. *changed (if non-NULL)
 * is 1 when the revision moved. */
int xc_db_reopen(xc_db *db, int *changed, xc_error *err);

/* Closes the underlying files; later calls fail with XC_EDATABASE. */
int xc_db_close(xc_db *db, xc_error *err);

int xc_db_doccount(xc_db *db, uint32_t *out, xc_error *err);
int xc_db_lastdocid(xc_db *db, xc_docid *out, xc_error *err);
int xc_db_avlength(xc_db *db, double *out, xc_error *err);
/* Revision of a single (non-sharded) database; XC_EINVALIDARG for several. */
int xc_db_revision(xc_db *db, uint64_t *out, xc_error *err);
/* Number of documents indexed by term (0 when absent). */
int xc_db_termfreq(xc_db *db, const char *term, size_t len, uint32_t *out, xc_error *err);
/* Total wdf of term over the database. */
int xc_db_collfreq(xc_db *db, const char *term, size_t len, uint64_t *out, xc_error *err);
int xc_db_doclength(xc_db *db, xc_docid did, uint32_t *out, xc_error *err);

/* User metadata: *out is NULL and *len 0 when key is unset.
 * Caller frees *out with xc_free(). */
int xc_db_get_metadata(xc_db *db, const char *key, char **out, size_t *len, xc_error *err);

/* Spelling suggestion for word within max_edit edits; *out NULL when none.
 * Caller frees *out with xc_free(). */
int xc_db_spelling(xc_db *db, const char *word, size_t len, unsigned max_edit, char **out,
                   size_t *out_len, xc_error *err);

typedef struct xc_doc xc_doc;

/* Fetches a stored document, its data read at once (XC_EMODIFIED when
 * the revision was overwritten: reopen and retry). Caller frees *out with
 * xc_doc_free(). */
int xc_db_get_document(xc_db *db, xc_docid did, xc_doc **out, xc_error *err);

/* Consistency check of a database folder (Xapian::Database::check).
 * *errors gets the count; *report (if non-NULL) the checker's text,
 * caller frees with xc_free(). */
int xc_db_check(const char *path, size_t *errors, char **report, xc_error *err);

/* Compacts the shards of src into a new database at dest (a folder).
 * flags: XC_COMPACT_* below. */
#define XC_COMPACT_NO_RENUMBER 4u /* keep docids (Xapian::DBCOMPACT_NO_RENUMBER) */
#define XC_COMPACT_MULTIPASS 8u
int xc_db_compact(xc_db *src, const char *dest, unsigned flags, xc_error *err);

/* ---- iterators ------------------------------------------------------ */

/* Terms: a document's term list, all terms with a prefix, synonyms, or a
 * match spy's values. Caller frees with xc_termiter_free(). */
typedef struct xc_termiter xc_termiter;

typedef struct xc_term {
    const char *term; /* borrowed: valid until the next call on the iterator */
    size_t len;
    uint32_t wdf;      /* termlists: wdf in the document; else 0 */
    uint32_t freq;     /* allterms: termfreq; spy values: count; else 0 */
} xc_term;

int xc_termiter_next(xc_termiter *it, xc_term *out, xc_error *err);
void xc_termiter_free(xc_termiter *it);

/* The terms of document did, in sorted order. */
xc_termiter *xc_db_termlist(xc_db *db, xc_docid did, xc_error *err);
/* All terms starting with prefix (len 0: all), sorted, with termfreq. */
xc_termiter *xc_db_allterms(xc_db *db, const char *prefix, size_t len, xc_error *err);
/* The synonyms recorded for term. */
xc_termiter *xc_db_synonyms(xc_db *db, const char *term, size_t len, xc_error *err);

/* Documents indexed by a term, ascending docid. Caller frees with
 * xc_postiter_free(). len 0 with term "" iterates all documents. */
typedef struct xc_postiter xc_postiter;
xc_postiter *xc_db_postlist(xc_db *db, const char *term, size_t len, xc_error *err);
/* 1 and *did, *wdf set; 0 at end; -1 on error. */
int xc_postiter_next(xc_postiter *it, xc_docid *did, uint32_t *wdf, xc_error *err);
/* Moves to the first docid >= did; then next() returns it. */
int xc_postiter_skip_to(xc_postiter *it, xc_docid did, xc_error *err);
void xc_postiter_free(xc_postiter *it);

/* Positions of term in document did, ascending. Caller frees *out with
 * xc_free(); *n is 0 when the term has no positions there. */
int xc_db_positions(xc_db *db, xc_docid did, const char *term, size_t len, xc_termpos **out,
                    size_t *n, xc_error *err);

/* Values of one slot over all documents having one, ascending docid.
 * Caller frees with xc_valueiter_free(). */
typedef struct xc_valueiter xc_valueiter;
xc_valueiter *xc_db_values(xc_db *db, xc_slot slot, xc_error *err);
/* 1 with *did and the value (borrowed until next call); 0 at end; -1 error. */
int xc_valueiter_next(xc_valueiter *it, xc_docid *did, const char **val, size_t *len,
                      xc_error *err);
void xc_valueiter_free(xc_valueiter *it);

/* ---- writable databases -------------------------------------------- */

typedef struct xc_wdb xc_wdb;

enum {
    XC_DB_CREATE_OR_OPEN = 1,
    XC_DB_CREATE = 2,
    XC_DB_CREATE_OR_OVERWRITE = 3,
    XC_DB_OPEN = 4
};
/* flags, or-ed with the action */
#define XC_DB_NO_SYNC 0x10u     /* don't fsync on commit (bulk loads, tests) */
#define XC_DB_FULL_SYNC 0x20u   /* F_FULLFSYNC where the OS has it */
#define XC_DB_RETRY_LOCK 0x40u  /* wait for the write lock instead of failing */

/* Opens (or creates) a writable glass database at path. Caller frees with
 * xc_wdb_free(), which commits pending changes unless a transaction is
 * open (then they are discarded, as Xapian does). */
xc_wdb *xc_wdb_open(const char *path, unsigned action_and_flags, xc_error *err);
void xc_wdb_free(xc_wdb *w);

/* A read view of the writer (search, termfreq, documents, metadata) that
 * sees its uncommitted changes. Borrowed: valid while w lives. */
xc_db *xc_wdb_db(xc_wdb *w);

int xc_wdb_begin_transaction(xc_wdb *w, int flushed, xc_error *err);
int xc_wdb_commit_transaction(xc_wdb *w, xc_error *err);
int xc_wdb_cancel_transaction(xc_wdb *w, xc_error *err);
int xc_wdb_commit(xc_wdb *w, xc_error *err);

int xc_wdb_add_document(xc_wdb *w, const xc_doc *doc, xc_docid *did, xc_error *err);
int xc_wdb_replace_document(xc_wdb *w, xc_docid did, const xc_doc *doc, xc_error *err);
/* Replaces the documents indexed by unique term (adds when none);
 * *did (if non-NULL) gets the document's id. */
int xc_wdb_replace_document_term(xc_wdb *w, const char *term, size_t len, const xc_doc *doc,
                                 xc_docid *did, xc_error *err);
int xc_wdb_delete_document(xc_wdb *w, xc_docid did, xc_error *err);
/* Deletes every document indexed by term (none is not an error). */
int xc_wdb_delete_documents_term(xc_wdb *w, const char *term, size_t len, xc_error *err);

int xc_wdb_set_metadata(xc_wdb *w, const char *key, const char *val, size_t len,
                        xc_error *err);
int xc_wdb_add_spelling(xc_wdb *w, const char *word, size_t len, uint32_t freqinc,
                        xc_error *err);
int xc_wdb_remove_spelling(xc_wdb *w, const char *word, size_t len, uint32_t freqdec,
                           xc_error *err);
int xc_wdb_add_synonym(xc_wdb *w, const char *term, const char *synonym, xc_error *err);
int xc_wdb_clear_synonyms(xc_wdb *w, const char *term, xc_error *err);

/* ---- documents ------------------------------------------------------ */

/* An empty document. Caller frees with xc_doc_free(). */
xc_doc *xc_doc_new(xc_error *err);
void xc_doc_free(xc_doc *doc);

/* Document id when fetched from a database, else 0. */
xc_docid xc_doc_docid(const xc_doc *doc);

int xc_doc_set_data(xc_doc *doc, const char *data, size_t len, xc_error *err);
/* The stored data. Borrowed: valid until doc is changed or freed. */
const char *xc_doc_data(xc_doc *doc, size_t *len);

/* Adds one occurrence of term at position pos (wdf += wdfinc). */
int xc_doc_add_posting(xc_doc *doc, const char *term, size_t len, xc_termpos pos,
                       uint32_t wdfinc, xc_error *err);
/* Adds term without a position. */
int xc_doc_add_term(xc_doc *doc, const char *term, size_t len, uint32_t wdfinc,
                    xc_error *err);
/* Adds a term with wdf 0 (filters, ids): it does not change the length. */
int xc_doc_add_boolean_term(xc_doc *doc, const char *term, size_t len, xc_error *err);
int xc_doc_clear_terms(xc_doc *doc, xc_error *err);

int xc_doc_set_value(xc_doc *doc, xc_slot slot, const char *val, size_t len, xc_error *err);
/* The value in slot ("" when unset). Borrowed: valid until the next call
 * on doc. */
const char *xc_doc_value(xc_doc *doc, xc_slot slot, size_t *len);

/* The document's terms, sorted, with wdf. */
xc_termiter *xc_doc_termlist(xc_doc *doc, xc_error *err);

/* Serialised value for a double that sorts bytewise in numeric order
 * (Xapian::sortable_serialise); returns its length (<= 9 bytes written). */
size_t xc_sortable_serialise(double v, char out[9]);
double xc_sortable_unserialise(const char *s, size_t len);

/* ---- queries -------------------------------------------------------- */

/* Queries are immutable values; combining copies references to the
 * subqueries, so the caller still frees its own handles. Every query
 * handle is freed with xc_query_free(). Builders return NULL on failure. */
typedef struct xc_query xc_query;

typedef enum xc_op {
    XC_OP_AND,
    XC_OP_OR,
    XC_OP_AND_NOT,
    XC_OP_XOR,
    XC_OP_AND_MAYBE,
    XC_OP_FILTER,
    XC_OP_NEAR,      /* param: window (0 = number of subqueries) */
    XC_OP_PHRASE,    /* param: window (0 = number of subqueries) */
    XC_OP_ELITE_SET, /* param: set size (0 = Xapian's default) */
    XC_OP_SYNONYM,
    XC_OP_MAX
} xc_op;

xc_query *xc_query_term(const char *term, size_t len, uint32_t wqf, xc_termpos pos,
                        xc_error *err);
xc_query *xc_query_combine(xc_op op, xc_query *const *subs, size_t n, unsigned param,
                           xc_error *err);
/* OP_SCALE_WEIGHT: q's weights times factor (>= 0). */
xc_query *xc_query_scale(const xc_query *q, double factor, xc_error *err);
/* Documents whose value in slot lies in [lo, hi] (bytewise). lo or hi NULL:
 * open on that side (OP_VALUE_LE / OP_VALUE_GE). */
xc_query *xc_query_value_range(xc_slot slot, const char *lo, size_t lolen, const char *hi,
                               size_t hilen, xc_error *err);
/* Terms starting with prefix, OR-ed (OP_WILDCARD); at most max_expansion
 * terms (0: no limit), the most frequent kept when limited. */
xc_query *xc_query_wildcard(const char *prefix, size_t len, unsigned max_expansion,
                            xc_error *err);
xc_query *xc_query_match_all(xc_error *err);
xc_query *xc_query_match_nothing(xc_error *err);
void xc_query_free(xc_query *q);
int xc_query_empty(const xc_query *q);
/* Xapian's description of q. Caller frees with xc_free(). */
char *xc_query_describe(const xc_query *q);

/* ---- enquire and results ------------------------------------------- */

typedef struct xc_enquire xc_enquire;
typedef struct xc_mset xc_mset;

/* Every document matching q, in ascending docid order, without ranking
 * and without an MSet: match(ctx, did) is called for each. Before the
 * matcher tests a docid, skip(ctx, did) returns the first docid >= did
 * still worth testing (0: none), so the caller can leave a stretch of
 * documents it no longer needs (the rest of a document whose passage
 * matched). A local database only. Callbacks must not throw or longjmp. */
typedef xc_docid (*xc_skip_fn)(void *ctx, xc_docid did);
typedef void (*xc_match_fn)(void *ctx, xc_docid did);
int xc_db_walk(xc_db *db, const xc_query *q, xc_skip_fn skip, xc_match_fn match, void *ctx,
               xc_error *err);

/* Runs queries on db (borrowed: db must outlive the enquire).
 * Caller frees with xc_enquire_free(). */
xc_enquire *xc_enquire_new(xc_db *db, xc_error *err);
void xc_enquire_free(xc_enquire *e);

int xc_enquire_set_query(xc_enquire *e, const xc_query *q, uint32_t qlen, xc_error *err);
/* BM25 with Xapian's parameters (defaults k1=1, k2=0, k3=1, b=0.5,
 * min_normlen=0.5). */
int xc_enquire_set_bm25(xc_enquire *e, double k1, double k2, double k3, double b,
                        double min_normlen, xc_error *err);
/* Boolean weighting: every match weighs 0 (for sorting by value). */
int xc_enquire_set_bool_weight(xc_enquire *e, xc_error *err);

typedef enum xc_sort {
    XC_SORT_RELEVANCE,
    XC_SORT_VALUE,                /* by value in slot only */
    XC_SORT_VALUE_THEN_RELEVANCE,
    XC_SORT_RELEVANCE_THEN_VALUE
} xc_sort;
/* reverse: descending value order (e.g. newest first). */
int xc_enquire_set_sort(xc_enquire *e, xc_sort how, xc_slot slot, int reverse, xc_error *err);
/* At most max documents per value of slot (max 0 turns collapsing off). */
int xc_enquire_set_collapse(xc_enquire *e, xc_slot slot, unsigned max, xc_error *err);
/* Tie order for equal weights: 0 ascending docid, 1 descending,
 * 2 don't care (fastest). */
int xc_enquire_set_docid_order(xc_enquire *e, int order, xc_error *err);
/* Stop matching after this many seconds (0 = no limit); the MSet is then
 * the best found so far. */
int xc_enquire_set_time_limit(xc_enquire *e, double seconds, xc_error *err);

/* Leaves out matches below percent of the best match's percentage, or
 * below weight (0 and 0: no cutoff; Enquire::set_cutoff). */
int xc_enquire_set_cutoff(xc_enquire *e, int percent, double weight, xc_error *err);

/* Counts the values of slot over every document the match considers
 * (Xapian::ValueCountMatchSpy); returns a handle >= 0, or -1 on error.
 * Counts are read after xc_enquire_mset(). */
int xc_enquire_add_value_spy(xc_enquire *e, xc_slot slot, xc_error *err);
/* Number of documents the spy saw. */
int xc_enquire_spy_total(xc_enquire *e, int spy, uint32_t *out, xc_error *err);
/* The spy's values, most frequent first, at most max (0: all); each
 * xc_term has the value in term/len and its count in freq. */
xc_termiter *xc_enquire_spy_values(xc_enquire *e, int spy, unsigned max, xc_error *err);

/* Runs the query: results first..first+max-1; check_at_least makes the
 * counts exact up to that many matches. Caller frees with xc_mset_free(). */
xc_mset *xc_enquire_mset(xc_enquire *e, uint32_t first, uint32_t max, uint32_t check_at_least,
                         xc_error *err);

/* The query terms that match document did, in query order. */
xc_termiter *xc_enquire_matching_terms(xc_enquire *e, xc_docid did, xc_error *err);

void xc_mset_free(xc_mset *m);
uint32_t xc_mset_size(const xc_mset *m);
uint32_t xc_mset_matches_estimated(const xc_mset *m);
uint32_t xc_mset_matches_lower(const xc_mset *m);
uint32_t xc_mset_matches_upper(const xc_mset *m);
/* Same three before collapsing. */
uint32_t xc_mset_uncollapsed_estimated(const xc_mset *m);
double xc_mset_max_attained(const xc_mset *m);
/* Reads ahead the documents of the whole MSet (one round trip for remote
 * shards). */
int xc_mset_fetch(xc_mset *m, xc_error *err);

/* Item i (0 <= i < size). */
xc_docid xc_mset_docid(const xc_mset *m, uint32_t i);
double xc_mset_weight(const xc_mset *m, uint32_t i);
int xc_mset_percent(const xc_mset *m, uint32_t i);
/* Documents collapsed into item i (a lower bound). */
uint32_t xc_mset_collapse_count(const xc_mset *m, uint32_t i);
/* Item i's collapse key (the value of the collapse slot), without
 * fetching the document; NULL when collapsing is off or i is out of
 * range. Borrowed: valid until the next call on m. */
const char *xc_mset_collapse_key(xc_mset *m, uint32_t i, size_t *len);
/* Item i's document, its data read at once (as xc_db_get_document).
 * Caller frees *out with xc_doc_free(). */
int xc_mset_document(xc_mset *m, uint32_t i, xc_doc **out, xc_error *err);
/* Term frequency and query weight of a query term, as the match saw them. */
int xc_mset_termfreq(xc_mset *m, const char *term, size_t len, uint32_t *out, xc_error *err);

/* ---- text indexing and query parsing ------------------------------- */

/* Xapian's own text handling, for programs that want Xapian's defaults
 * (a baseline, a quick tool) rather than their own analysis: words are
 * Unicode letters and digits, lowercased, optionally stemmed. */

/* Stemming strategies, as Xapian names them (TermGenerator::stem_strategy
 * and QueryParser::stem_strategy share these values). */
typedef enum xc_stem_strategy {
    XC_STEM_NONE,         /* unstemmed terms only */
    XC_STEM_SOME,         /* unstemmed terms, plus Z-prefixed stems (default) */
    XC_STEM_ALL,          /* stems only, no Z prefix */
    XC_STEM_ALL_Z,        /* stems only, Z-prefixed */
    XC_STEM_SOME_FULL_POS /* like SOME, stems with positions too */
} xc_stem_strategy;

/* A term generator (Xapian::TermGenerator): splits text into words and
 * adds them to a document as terms with positions. No stemmer by default.
 * Caller frees with xc_termgen_free(). */
typedef struct xc_termgen xc_termgen;

xc_termgen *xc_termgen_new(xc_error *err);
void xc_termgen_free(xc_termgen *tg);

/* Stemmer by language name as Xapian::Stem knows it ("english", "fr",
 * ...); NULL, "" or "none": no stemming. XC_EINVALIDARG for an unknown
 * language. */
int xc_termgen_set_stemmer(xc_termgen *tg, const char *language, xc_error *err);
int xc_termgen_set_stemming_strategy(xc_termgen *tg, xc_stem_strategy strategy,
                                     xc_error *err);

/* The document later index_text calls add terms to; the position counter
 * restarts at 0. doc is borrowed: keep it alive while indexing into it
 * (the generator holds a reference to the document's contents, so freeing
 * doc early is safe but makes further indexing pointless). */
int xc_termgen_set_document(xc_termgen *tg, xc_doc *doc, xc_error *err);

/* Indexes text (UTF-8, len bytes) into the current document: each word's
 * term gets wdf += wdfinc and, when positions is non-zero, the next
 * position. prefix (NUL-terminated; NULL or "" for none) is prepended to
 * every term. XC_EINVALIDARG when no document was set. */
int xc_termgen_index_text(xc_termgen *tg, const char *text, size_t len, uint32_t wdfinc,
                          const char *prefix, int positions, xc_error *err);

/* Leaves a gap of delta positions (Xapian uses 100 between fields) so
 * phrases do not match across two calls of index_text. */
int xc_termgen_increase_termpos(xc_termgen *tg, xc_termpos delta, xc_error *err);
/* The position the last indexed word got (0 before any). */
xc_termpos xc_termgen_get_termpos(const xc_termgen *tg);
int xc_termgen_set_termpos(xc_termgen *tg, xc_termpos pos, xc_error *err);

/* Query parser flags: Xapian::QueryParser's, with the same values. */
#define XC_QP_BOOLEAN 1u               /* AND, OR, NOT, XOR, brackets */
#define XC_QP_PHRASE 2u                /* "quoted phrases" */
#define XC_QP_LOVEHATE 4u              /* +word, -word */
#define XC_QP_BOOLEAN_ANY_CASE 8u      /* and, or, not as operators too */
#define XC_QP_WILDCARD 16u             /* word* (needs set_database) */
#define XC_QP_PURE_NOT 32u             /* a query of only NOT terms */
#define XC_QP_PARTIAL 64u              /* last word as a prefix (search as you type) */
#define XC_QP_SPELLING_CORRECTION 128u /* see xc_qparser_corrected() */
#define XC_QP_SYNONYM 256u             /* ~word expands its synonyms */
#define XC_QP_AUTO_SYNONYMS 512u       /* every word expands its synonyms */
#define XC_QP_CJK_NGRAM 2048u          /* CJK text as n-grams */
#define XC_QP_NO_POSITIONS 0x20000u    /* phrases become AND (no positions) */
#define XC_QP_DEFAULT 7u               /* BOOLEAN | PHRASE | LOVEHATE */

/* A query parser (Xapian::QueryParser): OR between words by default, no
 * stemmer, no database. Caller frees with xc_qparser_free(). */
typedef struct xc_qparser xc_qparser;

xc_qparser *xc_qparser_new(xc_error *err);
void xc_qparser_free(xc_qparser *qp);

/* The database wildcards and spelling correction consult. db is borrowed,
 * but the parser keeps its own reference to the database, so freeing db
 * first is safe. */
int xc_qparser_set_database(xc_qparser *qp, xc_db *db, xc_error *err);
/* The operator between words that carry none: XC_OP_OR (default),
 * XC_OP_AND, XC_OP_NEAR, XC_OP_PHRASE, XC_OP_ELITE_SET, XC_OP_SYNONYM or
 * XC_OP_MAX; any other is XC_EINVALIDARG. */
int xc_qparser_set_default_op(xc_qparser *qp, xc_op op, xc_error *err);
/* As xc_termgen_set_stemmer / _set_stemming_strategy. */
int xc_qparser_set_stemmer(xc_qparser *qp, const char *language, xc_error *err);
int xc_qparser_set_stemming_strategy(xc_qparser *qp, xc_stem_strategy strategy,
                                     xc_error *err);
/* field:word searches terms with prefix; field "" sets the prefix of
 * words typed without a field. Both NUL-terminated. */
int xc_qparser_add_prefix(xc_qparser *qp, const char *field, const char *prefix,
                          xc_error *err);
/* field:value filters on the boolean term prefix + value. */
int xc_qparser_add_boolean_prefix(xc_qparser *qp, const char *field, const char *prefix,
                                  xc_error *err);

/* Parses query (UTF-8, len bytes) with flags (XC_QP_*; 0 means none, pass
 * XC_QP_DEFAULT for Xapian's default). A query Xapian cannot parse
 * (QueryParserError) is XC_EINVALIDARG; an empty query string gives an
 * empty query (xc_query_empty). Caller frees with xc_query_free(). */
xc_query *xc_qparser_parse(xc_qparser *qp, const char *query, size_t len, unsigned flags,
                           xc_error *err);
/* The spelling-corrected form of the last query parsed with
 * XC_QP_SPELLING_CORRECTION, "" when nothing was corrected. Caller frees
 * with xc_free(); NULL on failure. */
char *xc_qparser_corrected(const xc_qparser *qp, xc_error *err);

#ifdef __cplusplus
}
#endif
#endif
