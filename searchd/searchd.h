/*
 * searchd.h: the parts of `polsearch serve`, the HTTP daemon, and what
 * they share. Internal to searchd/ (cli/cli.h has the entry point).
 *
 *   serve.c    flags, start-up, signals, graceful shutdown
 *   http.c     one request's life: routing, responses, security
 *              headers, the in-flight limit, the access log
 *   params.c   percent-decoding and query strings (no HTTP library: a
 *              fuzz target links it alone)
 *   api.c      /api/search, /api/doc, /api/suggest, /api/cite,
 *              /api/similar, /healthz over one ps_searcher per worker
 *              thread
 *   kwic.c     /api/kwic: concordance lines streamed as they are found,
 *              from a small pool of threads with searchers of their own
 *   static.c   the files of web/, nothing outside it
 *   auth.c     bearer tokens: hashed in a file, compared in constant time
 *   metrics.c  counters and the Prometheus text of /metrics
 *
 *   jobs.c     the worker threads that answer the API's requests
 *
 * The daemon runs on libmicrohttpd's internal thread pool: a thread
 * parses a request, calls the handler and queues the response. The API's
 * requests (search, doc, suggest, cite, similar) are handed to a pool of
 * worker threads instead (jobs.c), so every core searches whichever
 * connection the request came on. Handlers never block on the network,
 * so a slow client holds a socket, not a thread.
 */
#ifndef POLSEARCH_SEARCHD_H
#define POLSEARCH_SEARCHD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <microhttpd.h>

#include "polsearch/search.h"
#include "polsearch/util.h"

/* ---- limits ------------------------------------------------------------ */

/* The longest q accepted (bytes, after percent-decoding); longer is 413.
 * The library cuts queries at PS_QUERY_MAX_BYTES itself: this bound only
 * keeps a request from making the daemon copy megabytes. */
#define SD_QUERY_MAX (PS_QUERY_MAX_BYTES * 4)
/* Any other parameter's longest value; longer is 413. */
#define SD_PARAM_MAX 4096
/* Parameters in one query string; more is 400. */
#define SD_PARAMS_MAX 64
/* Request target (path and query string) kept for routing and the log. */
#define SD_URI_MAX (256 * 1024)
/* Largest JSON answer (a long law with its structure and highlights). */
#define SD_JSON_MAX (64u * 1024 * 1024)
/* Largest static file served. */
#define SD_STATIC_MAX (16u * 1024 * 1024)
/* Kernel send buffer of a connection. Left to autotuning, a socket may
 * buffer megabytes for a client that reads slowly or not at all; this
 * bounds what a thousand such clients cost, and keeps a slow reader's
 * request in flight (counted, finished on shutdown) until it has read. */
#define SD_SEND_BUFFER (256 * 1024)
/* Bearer tokens longer than this are ignored (read as no token). */
#define SD_TOKEN_MAX 4096
/* The largest body accepted (POST /api/cite: a pasted paragraph or
 * several; the library reads the first 16 KB of a quote); past it 413. */
#define SD_BODY_MAX (64u * 1024)

/* ---- configuration (serve.c fills it, the rest reads it) --------------- */

typedef struct sd_tokens sd_tokens;

typedef struct sd_config {
    const char *db;          /* the index path */
    char *web_root;          /* realpath of web/, NULL: no static files */
    const sd_tokens *tokens; /* NULL: every reader is public */
    FILE *log;               /* access log; NULL: none */
    unsigned max_inflight;   /* requests at once before 429 */
    unsigned stream_threads; /* concordance streams computed at once */
} sd_config;

/* The daemon's configuration; set once before the daemon starts. */
extern sd_config sd_cfg;

/* ---- one request ------------------------------------------------------- */

/* Endpoints, for metrics and the in-flight limit. */
typedef enum sd_endpoint {
    SD_EP_SEARCH = 0,
    SD_EP_DOC,
    SD_EP_SUGGEST,
    SD_EP_CITE,
    SD_EP_KWIC,
    SD_EP_SIMILAR,
    SD_EP_HEALTHZ,
    SD_EP_METRICS,
    SD_EP_STATIC,
    SD_EP_OTHER,
    SD_EP_COUNT
} sd_endpoint;

typedef struct sd_param {
    const char *name;  /* decoded, NUL-terminated */
    const char *value; /* decoded, NUL-terminated, no NUL inside */
    size_t len;        /* value bytes */
} sd_param;

typedef struct sd_params {
    sd_param items[SD_PARAMS_MAX];
    size_t n;
} sd_params;

/* What a request's body holds (only POST /api/cite takes one). */
typedef enum sd_body_kind {
    SD_BODY_NONE = 0,
    SD_BODY_TEXT, /* text/plain: the quote itself */
    SD_BODY_FORM  /* application/x-www-form-urlencoded: q=...&limit=... */
} sd_body_kind;

typedef struct sd_stream sd_stream;

/* A request's state, from its request line to the completion callback.
 * Everything hangs off its arena, freed when the request ends. */
typedef struct sd_request {
    ps_arena *arena;
    const char *target;   /* the request target as received (capped) */
    const char *path;     /* its path, still percent-encoded */
    const char *query;    /* its query string without '?', or "" */
    sd_params params;     /* the query string, decoded on first use */
    int params_parsed;    /* 0 not yet, 1 done, -1 failed (status set) */
    int body_kind;        /* sd_body_kind announced by Content-Type */
    char *body;           /* the body read so far (arena, SD_BODY_MAX + 1) */
    size_t body_len;
    sd_params form;       /* an SD_BODY_FORM body, decoded when complete */
    sd_stream *stream;    /* a concordance being streamed, or NULL */
    const char *method;   /* "GET", "HEAD" ... (arena) */
    char client[64];      /* the peer's address, for the log */
    int loopback;         /* the peer is on this machine */
    double t0;            /* ps_now() at the request line */
    int started;          /* the handler has seen it */
    int endpoint;         /* sd_endpoint */
    int access;           /* the reader's ps_access level */
    const char *token;    /* the name of the token presented, or NULL */
    int holds_slot;       /* counted in the in-flight limit */
    int status;           /* the status queued, 0 none yet */
    size_t bytes;         /* body bytes queued */
    /* a request answered on a worker (jobs.c) */
    enum MHD_Result (*job)(struct MHD_Connection *, struct sd_request *);
    struct MHD_Connection *conn;
    struct sd_request *job_next;    /* the queue (the pool's mutex) */
    int on_worker;                  /* sd_queue keeps the answer in r */
    int job_failed;                 /* the job asked to close the connection */
    struct MHD_Response *answer;    /* kept for MHD, with its status */
    unsigned answer_status;
    const char *id;                 /* /api/doc/ID, /api/similar/ID: the decoded ID */
    size_t id_len;
} sd_request;

/* Decodes %XX escapes of s[0..n) (and '+' as a space when plus_space)
 * into out (n + 1 bytes room); returns the decoded length, or -1 when an
 * escape is malformed ("%zz", "%4"). The result may hold NUL bytes. */
long sd_percent_decode(const char *s, size_t n, int plus_space, char *out);

/* Splits and decodes a query string ("a=1&b=%C3%A1") into p, allocating
 * in arena. PS_EINVAL with a message on bad escapes, a NUL byte in a
 * value or name, or more than SD_PARAMS_MAX parameters; PS_ENOMEM. */
int sd_params_parse(ps_arena *arena, const char *qs, sd_params *p, ps_error *err);

/* The first value of parameter name, or NULL: from a posted form body
 * first, else from the query string. Parses the query string on first
 * use; on a malformed one it queues a 400 itself and returns NULL with
 * *bad set, so the caller must return at once. */
const char *sd_param_get(struct MHD_Connection *c, sd_request *r, const char *name, size_t *len,
                         int *bad);

/* Queues body (len bytes, allocated with ps_malloc; the response takes
 * it over, also on failure) with the status, the content type and the
 * common security headers; extra (may be NULL) holds pairs of header
 * name and value ending with NULL. Returns MHD's result for the
 * handler to return. */
enum MHD_Result sd_respond(struct MHD_Connection *c, sd_request *r, unsigned status, const char *ctype,
               char *body, size_t len, const char *const *extra);
/* Queues resp (taken over) with the common headers, and "Cache-Control:
 * no-store" unless extra names a Cache-Control; records status and len
 * for the log. */
enum MHD_Result sd_queue(struct MHD_Connection *c, sd_request *r, unsigned status,
                         struct MHD_Response *resp, const char *ctype, size_t len,
                         const char *const *extra);
/* A JSON answer built in b (taken over and reset). A buffer whose sticky
 * error is set gives a 500 (ENOMEM) or 413 (ETOOBIG) instead. */
enum MHD_Result sd_respond_json(struct MHD_Connection *c, sd_request *r, unsigned status, ps_buf *b);
/* The same with extra headers: name, value, ..., NULL. */
enum MHD_Result sd_respond_json_headers(struct MHD_Connection *c, sd_request *r,
                                        unsigned status, ps_buf *b, const char *const *extra);
/* {"error": message, "code": code} with status. */
enum MHD_Result sd_respond_error(struct MHD_Connection *c, sd_request *r, unsigned status, const char *code,
                     const char *fmt, ...) PS_PRINTF(5, 6);

/* The MHD callbacks (serve.c passes them to MHD_start_daemon). */
void *sd_request_begin(void *cls, const char *uri, struct MHD_Connection *c);
enum MHD_Result sd_request_handle(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **req_cls);
void sd_request_end(void *cls, struct MHD_Connection *c, void **req_cls,
                    enum MHD_RequestTerminationCode toe);

/* MHD_OPTION_NOTIFY_CONNECTION: sizes a new connection's send buffer. */
void sd_connection_notify(void *cls, struct MHD_Connection *c, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode code);

/* Requests begun and not yet ended (for the graceful shutdown). */
unsigned sd_requests_active(void);

/* ---- api.c ---------------------------------------------------------------- */

/* /api/search on a worker: searches and keeps the answer in the cache
 * (sd_api_search_front has looked for it there). */
enum MHD_Result sd_api_search(struct MHD_Connection *c, sd_request *r);
/* /api/search on the connection's thread: an answer the cache holds is
 * sent at once, anything else is deferred to sd_api_search on a worker
 * (jobs.c); bad parameters are answered here. */
enum MHD_Result sd_api_search_front(struct MHD_Connection *c, sd_request *r);
/* id: the decoded rest of the path after /api/doc/, or NULL for ?id= */
enum MHD_Result sd_api_doc(struct MHD_Connection *c, sd_request *r, const char *id, size_t id_len);
enum MHD_Result sd_api_suggest(struct MHD_Connection *c, sd_request *r);
/* GET or POST (r->body) /api/cite */
enum MHD_Result sd_api_cite(struct MHD_Connection *c, sd_request *r);
/* id: the decoded rest of the path after /api/similar/, or NULL for ?id= */
enum MHD_Result sd_api_similar(struct MHD_Connection *c, sd_request *r, const char *id,
                               size_t id_len);
enum MHD_Result sd_api_healthz(struct MHD_Connection *c, sd_request *r);

/* The calling thread's searcher, opened on first use and moved to the
 * index's latest revision. NULL with err set when there is no index
 * (PS_ENOTFOUND, PS_EVERSION) or it cannot be read. Borrowed: owned by
 * the thread, closed when the thread ends. */
ps_searcher *sd_searcher(ps_error *err);
/* Creates the thread-local key; call once before the daemon starts. */
int sd_api_init(void);

/* Shared by the endpoints: a parameter with a length cap (NULL when
 * absent; *bad set and the answer queued when malformed or too long). */
const char *sd_api_param(struct MHD_Connection *c, sd_request *r, const char *name, size_t max,
                         int *bad);
/* The answer to a library error that is not the reader's fault: 503
 * without a usable index, else 500 (the detail goes to stderr). */
enum MHD_Result sd_api_server_error(struct MHD_Connection *c, sd_request *r,
                                    const ps_error *err);
/* Checks the type/from/to filters as /api/search would: 0, or a 400
 * queued and -1. */
int sd_api_check_filters(struct MHD_Connection *c, sd_request *r, const char *type,
                         const char *from, const char *to);

/* ---- jobs.c --------------------------------------------------------------- */

typedef enum MHD_Result (*sd_job_fn)(struct MHD_Connection *c, sd_request *r);
/* Starts the worker threads that answer deferred requests; 0 or PS_ENOMEM. */
int sd_jobs_init(size_t threads);
/* Answers r with fn on a worker thread: suspends c and queues r. fn
 * answers with the sd_respond family as anywhere else; the answer is
 * kept in r until MHD calls the handler again (sd_jobs_answer). */
enum MHD_Result sd_defer(struct MHD_Connection *c, sd_request *r, sd_job_fn fn);
/* In the handler: 1 when r was deferred, with its answer queued now and
 * MHD's result in *ret; 0 otherwise. */
int sd_jobs_answer(struct MHD_Connection *c, sd_request *r, enum MHD_Result *ret);
/* Before MHD_stop_daemon: the workers finish the job in hand and stop;
 * requests still waiting get 503 and their connections are resumed. */
void sd_jobs_fin(void);
/* The workers' lines of /metrics. */
void sd_jobs_metrics(ps_buf *b);

/* ---- kwic.c --------------------------------------------------------------- */

/* GET /api/kwic: validates, then streams the lines a pool thread finds. */
enum MHD_Result sd_api_kwic(struct MHD_Connection *c, sd_request *r);
/* The request ends (answer sent, client gone, timeout): lets go of its
 * stream, stopping the search when the answer was not sent in full;
 * sets r->bytes to what was handed to the network. Never blocks. */
void sd_kwic_request_end(sd_request *r, int completed);
/* Starts the pool (threads are made as streams need them, up to
 * sd_cfg.stream_threads); 0 or PS_ENOMEM. */
int sd_kwic_init(void);
/* Before MHD_stop_daemon: refuses new streams, cancels those running and
 * resumes every connection waiting for lines (MHD may not stop with a
 * suspended connection). */
void sd_kwic_cancel_all(void);
/* After MHD_stop_daemon: joins the pool's threads. */
void sd_kwic_fin(void);

/* ---- static.c ------------------------------------------------------------- */

/* Serves the file under sd_cfg.web_root that the still-encoded path
 * names, or an error. */
enum MHD_Result sd_static_serve(struct MHD_Connection *c, sd_request *r);
/* The default web root: web/ beside the binary's folder, else
 * share/polsearch/web under it (the install layout). NULL when neither
 * exists. Caller frees with free(). */
char *sd_static_default_root(void);

/* ---- auth.c --------------------------------------------------------------- */

/* Reads a token file: lines "LEVEL SHA256-HEX [name]", '#' comments.
 * Refuses a file that others may write. Caller frees with
 * sd_tokens_free(). */
int sd_tokens_load(const char *path, sd_tokens **out, ps_error *err);
void sd_tokens_free(sd_tokens *t);
/* The access level of a presented token (PS_ACCESS_PUBLIC when unknown
 * or t is NULL); *name the matching entry's name (borrowed) or NULL.
 * Every configured hash is compared, each in constant time. */
int sd_tokens_level(const sd_tokens *t, const char *token, size_t len, const char **name);
/* Lower-case hex SHA-256 of s into hex (65 bytes room). */
void sd_sha256_hex(const char *s, size_t len, char hex[65]);

/* ---- cache.c -------------------------------------------------------------- */

/* Answers of /api/search by request key (index generation, access level,
 * parameters), least recently used dropped past max_bytes; 0 turns the
 * cache off. Thread-safe. Call sd_cache_init once before the daemon
 * starts, sd_cache_free after it stopped. */
void sd_cache_init(size_t max_bytes);
void sd_cache_free(void);
int sd_cache_enabled(void);
/* A copy of the answer kept for key (caller frees with ps_free), its
 * "took_ms" replaced by took_ms and a newline after it, as
 * sd_respond_json sends an answer; NULL when there is none. */
char *sd_cache_get(const char *key, size_t klen, size_t *len, double took_ms);
/* Keeps a copy of body (a search answer) for key; silently does nothing
 * when out of memory or when the answer is too big to keep. */
void sd_cache_put(const char *key, size_t klen, const char *body, size_t blen);

typedef struct sd_cache_stat {
    unsigned long long hits, misses, evictions;
    size_t bytes, entries, max_bytes;
} sd_cache_stat;
void sd_cache_stats(sd_cache_stat *st);

/* ---- metrics.c ------------------------------------------------------------ */

/* GET /metrics: loopback clients and token holders only. */
enum MHD_Result sd_metrics_serve(struct MHD_Connection *c, sd_request *r);
/* Notes the start time; call once before the daemon starts. */
void sd_metrics_init(void);
void sd_metrics_request(int endpoint, unsigned status, double seconds);
/* A connection MHD answered or dropped without calling the handler. */
void sd_metrics_rejected(void);
void sd_metrics_inflight(int delta);
/* Concordance streams whose search is queued or running (delta), and the
 * lines they have found. */
void sd_metrics_kwic_stream(int delta);
void sd_metrics_kwic_line(void);
/* Appends the Prometheus text exposition to b. */
void sd_metrics_text(ps_buf *b);
const char *sd_endpoint_name(int endpoint);

#endif
