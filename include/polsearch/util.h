/*
 * util.h: the small pieces every polsearch module shares.
 *
 *   - ps_rc / ps_error: an int result code (0 = OK) plus a message buffer
 *     the callee fills, in the manner of groonga's grn_rc + context.
 *   - ps_malloc and friends: the one allocator of the library, with a
 *     fault-injection switch so tests can fail the Nth allocation.
 *   - ps_buf: a growable byte buffer with a hard cap and a sticky error
 *     (curl's dynbuf): once an append fails, later appends are no-ops and
 *     the caller checks once at the end.
 *   - ps_arena: a bump allocator freed all at once (h2o's pool); one per
 *     document being indexed, one per HTTP request.
 *   - ps_jw: a streaming JSON writer into a ps_buf.
 *
 * Nothing here prints, exits or keeps global state beyond the allocation
 * counter, which is atomic.
 */
#ifndef POLSEARCH_UTIL_H
#define POLSEARCH_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __GNUC__
#define PS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define PS_UNUSED __attribute__((unused))
#else
#define PS_PRINTF(f, a)
#define PS_UNUSED
#endif

/* ---- result codes --------------------------------------------------- */

typedef enum ps_rc {
    PS_OK = 0,
    PS_ENOMEM,     /* an allocation failed */
    PS_EINVAL,     /* bad argument or input the caller can fix */
    PS_EIO,        /* reading or writing a file failed */
    PS_ENOTFOUND,  /* no such document, file or database */
    PS_EFORMAT,    /* input is not in the expected format */
    PS_ETOOBIG,    /* input or output passed a hard cap */
    PS_EDB,        /* the search library reported an error */
    PS_ELOCKED,    /* the database is locked by another writer */
    PS_EMODIFIED,  /* the database changed under a reader: reopen, retry */
    PS_ENETWORK,   /* a remote shard did not answer */
    PS_EICU,       /* ICU reported an error */
    PS_EVERSION,   /* index format version differs from this program's */
    PS_EDENIED,    /* access level too low */
    PS_EINTERNAL   /* a bug: should not happen */
} ps_rc;

/* Short stable name of a code ("ENOMEM"), for logs and JSON errors. */
const char *ps_rc_name(int rc);

/* An error: the code and a human-readable message. Callers own it,
 * usually on the stack; callees fill it. A NULL ps_error* is allowed
 * everywhere and means "the caller only wants the code". */
typedef struct ps_error {
    int code;
    char msg[320];
} ps_error;

/* Set err (if non-NULL) to code and the formatted message; returns code
 * so callees can write `return ps_error_set(err, PS_EINVAL, "...")`. */
int ps_error_set(ps_error *err, int code, const char *fmt, ...) PS_PRINTF(3, 4);

/* Clear err to PS_OK with an empty message. */
void ps_error_clear(ps_error *err);

/* ---- allocation ----------------------------------------------------- */

/* The library's allocator. ps_free(NULL) is a no-op. */
void *ps_malloc(size_t n);
void *ps_calloc(size_t count, size_t size);
void *ps_realloc(void *p, size_t n);
void ps_free(void *p);
/* Copies; caller frees with ps_free(). NULL on allocation failure. */
char *ps_strdup(const char *s);
char *ps_strndup(const char *s, size_t n);

/* Fault injection for tests: after `n` more successful allocations every
 * allocation fails, until ps_alloc_fail_after(-1) turns it off. Returns the
 * number of allocations made since the previous call (to size the loop). */
long ps_alloc_fail_after(long n);

/* ---- growable buffer ------------------------------------------------ */

typedef struct ps_buf {
    char *data;   /* NUL-terminated when len > 0 or after ps_buf_cstr() */
    size_t len;
    size_t cap;
    size_t max;   /* hard cap on len; appends past it fail with PS_ETOOBIG */
    int err;      /* sticky: first failure's code, then appends do nothing */
} ps_buf;

/* Caller-owned buffer. max = 0 means the default cap (1 GiB). */
void ps_buf_init(ps_buf *b, size_t max);
/* Frees the storage; the buffer may be re-initialised. */
void ps_buf_fin(ps_buf *b);
/* Empties without freeing; also clears the sticky error. */
void ps_buf_reset(ps_buf *b);
int ps_buf_reserve(ps_buf *b, size_t extra);
int ps_buf_add(ps_buf *b, const void *p, size_t n);
int ps_buf_adds(ps_buf *b, const char *s);
int ps_buf_addc(ps_buf *b, char c);
int ps_buf_addf(ps_buf *b, const char *fmt, ...) PS_PRINTF(2, 3);
int ps_buf_vaddf(ps_buf *b, const char *fmt, va_list ap) PS_PRINTF(2, 0);
/* A NUL-terminated view of the contents ("" when empty). Borrowed. */
const char *ps_buf_cstr(ps_buf *b);
/* Hands the storage to the caller (free with ps_free) and empties b. */
char *ps_buf_steal(ps_buf *b, size_t *len);

/* ---- arena ---------------------------------------------------------- */

typedef struct ps_arena ps_arena;

/* New arena; NULL when out of memory. Free with ps_arena_free(). */
ps_arena *ps_arena_new(void);
/* Frees every block the arena handed out. NULL is a no-op. */
void ps_arena_free(ps_arena *a);
/* Frees all but the first block, keeping the arena for reuse. */
void ps_arena_reset(ps_arena *a);
/* Memory aligned for any type; valid until the arena is reset or freed.
 * NULL when out of memory or n exceeds 1 GiB. */
void *ps_arena_alloc(ps_arena *a, size_t n);
void *ps_arena_calloc(ps_arena *a, size_t n);
char *ps_arena_strndup(ps_arena *a, const char *s, size_t n);
char *ps_arena_strdup(ps_arena *a, const char *s);
char *ps_arena_sprintf(ps_arena *a, const char *fmt, ...) PS_PRINTF(2, 3);
/* Bytes handed out so far (for memory figures). */
size_t ps_arena_used(const ps_arena *a);

/* ---- JSON writer ---------------------------------------------------- */

/* Streams JSON into a ps_buf, inserting commas itself. Nesting deeper than
 * PS_JW_MAXDEPTH sets the buffer's sticky error to PS_EINTERNAL. */
#define PS_JW_MAXDEPTH 48
typedef struct ps_jw {
    ps_buf *b;
    int depth;
    unsigned char need_comma[PS_JW_MAXDEPTH];
} ps_jw;

void ps_jw_init(ps_jw *w, ps_buf *b);
void ps_jw_obj(ps_jw *w);          /* { */
void ps_jw_obj_end(ps_jw *w);      /* } */
void ps_jw_arr(ps_jw *w);          /* [ */
void ps_jw_arr_end(ps_jw *w);      /* ] */
void ps_jw_key(ps_jw *w, const char *key);
/* A JSON string; invalid UTF-8 becomes U+FFFD. NULL writes null. */
void ps_jw_str(ps_jw *w, const char *s);
void ps_jw_strn(ps_jw *w, const char *s, size_t n);
void ps_jw_int(ps_jw *w, long long v);
void ps_jw_double(ps_jw *w, double v);
void ps_jw_bool(ps_jw *w, int v);
void ps_jw_null(ps_jw *w);
/* Raw JSON text the caller guarantees to be one valid value. */
void ps_jw_raw(ps_jw *w, const char *json, size_t n);
/* key + string / int shorthands */
void ps_jw_kstr(ps_jw *w, const char *key, const char *s);
void ps_jw_kint(ps_jw *w, const char *key, long long v);

/* Appends s (n bytes) to b as the inside of a JSON string, escaped. */
void ps_json_escape(ps_buf *b, const char *s, size_t n);
/* Appends s to b with &<>"' escaped for HTML text and attributes. */
void ps_html_escape(ps_buf *b, const char *s, size_t n);

/* ---- small helpers -------------------------------------------------- */

/* Parses a decimal integer in [lo, hi] from the whole string s. Returns 0
 * and stores it, or PS_EINVAL. (strtol with end and range checks.) */
int ps_parse_long(const char *s, long lo, long hi, long *out);

/* 64-bit FNV-1a hash; stable across runs and machines (shard assignment,
 * long identifiers). */
uint64_t ps_hash64(const void *p, size_t n);

/* Reads a whole file into a buffer of at most max bytes (PS_ETOOBIG past
 * it). The caller owns *data and frees it with ps_free(). */
int ps_read_file(const char *path, size_t max, char **data, size_t *len, ps_error *err);

/* Removes path and everything under it, not following symbolic links;
 * what cannot be removed stays (no error: scratch folders). */
void ps_rmtree(const char *path);

/* Monotonic clock in seconds. */
double ps_now(void);

/* The value of the hexadecimal digit c (0-9, a-f, A-F), or -1. */
int ps_hexdigit(int c);

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
int ps_utf8_seqlen(const unsigned char *s, size_t avail);
/* Decodes one code point at s into *cp and returns its length, or 0 for an
 * invalid sequence. */
int ps_utf8_decode(const unsigned char *s, size_t avail, uint32_t *cp);
/* Encodes cp into out (4 bytes room); returns its length. */
int ps_utf8_encode(uint32_t cp, char *out);

#endif
