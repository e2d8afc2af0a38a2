/*
 * http.c: one request's life in the daemon: from the request line (the
 * URI log callback makes its arena) through routing and the answer to
 * the completion callback (metrics, access log, the arena freed).
 *
 * Routing works on the request target exactly as received, before MHD
 * decodes anything: that is the only way to tell "/a%2Fb" from "/a/b"
 * and to reject a malformed escape instead of guessing. Parameters are
 * decoded here too, with their own checks (see sd_params_parse).
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "polsearch/doc.h"
#include "searchd/searchd.h"

sd_config sd_cfg;

static atomic_uint active_requests; /* begun, not yet ended */
static atomic_uint inflight;        /* holding a slot of max_inflight */

static const char csp_html[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'";
/* Answers that are not pages load nothing and frame nowhere. */
static const char csp_other[] = "default-src 'none'; frame-ancestors 'none'";

unsigned sd_requests_active(void)
{
    return atomic_load(&active_requests);
}

/* ---- parameters ---------------------------------------------------------- */

const char *sd_param_get(struct MHD_Connection *c, sd_request *r, const char *name, size_t *len,
                         int *bad)
{
    size_t i;
    *bad = 0;
    if (r->params_parsed == 0) {
        ps_error err;
        ps_error_clear(&err);
        if (sd_params_parse(r->arena, r->query, &r->params, &err)) {
            r->params_parsed = -1;
            if (err.code == PS_ENOMEM)
                sd_respond_error(c, r, 500, "ENOMEM", "%s", err.msg);
            else
                sd_respond_error(c, r, 400, "EINVAL", "%s", err.msg);
        } else {
            r->params_parsed = 1;
        }
    }
    if (r->params_parsed < 0) {
        *bad = 1;
        return NULL;
    }
    /* a posted form wins over the query string */
    for (i = 0; i < r->form.n; i++)
        if (strcmp(r->form.items[i].name, name) == 0) {
            if (len)
                *len = r->form.items[i].len;
            return r->form.items[i].value;
        }
    for (i = 0; i < r->params.n; i++)
        if (strcmp(r->params.items[i].name, name) == 0) {
            if (len)
                *len = r->params.items[i].len;
            return r->params.items[i].value;
        }
    return NULL;
}

/* The one path that takes a POST: a quote pasted whole does not fit a
 * URL comfortably. */
static int takes_post(const char *path)
{
    return path && strcmp(path, "/api/cite") == 0;
}

/* ---- answers ------------------------------------------------------------- */

static void add_common_headers(struct MHD_Response *resp, const char *ctype)
{
    int html = ctype && strncmp(ctype, "text/html", 9) == 0;
    if (ctype)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy", html ? csp_html : csp_other);
    if (html)
        MHD_add_response_header(resp, "X-Frame-Options", "DENY");
}

enum MHD_Result sd_queue(struct MHD_Connection *c, sd_request *r, unsigned status,
                         struct MHD_Response *resp, const char *ctype, size_t len,
                         const char *const *extra)
{
    enum MHD_Result ret;
    int has_cache = 0;
    add_common_headers(resp, ctype);
    for (; extra && extra[0] && extra[1]; extra += 2) {
        if (strcasecmp(extra[0], "Cache-Control") == 0)
            has_cache = 1;
        MHD_add_response_header(resp, extra[0], extra[1]);
    }
    /* answers depend on the reader's token: no cache may keep them */
    if (!has_cache)
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r->on_worker) {
        /* MHD takes it when it calls the handler again (jobs.c) */
        if (r->answer)
            MHD_destroy_response(r->answer);
        r->answer = resp;
        r->answer_status = status;
        r->bytes = r->method && strcmp(r->method, "HEAD") == 0 ? 0 : len;
        return MHD_YES;
    }
    ret = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    if (ret == MHD_YES) {
        r->status = (int)status;
        r->bytes = r->method && strcmp(r->method, "HEAD") == 0 ? 0 : len;
    }
    return ret;
}

enum MHD_Result sd_respond(struct MHD_Connection *c, sd_request *r, unsigned status,
                           const char *ctype, char *body, size_t len, const char *const *extra)
{
    struct MHD_Response *resp;
    if (r->status || r->answer) {
        ps_free(body); /* answered already (a parameter error) */
        return MHD_YES;
    }
    resp = MHD_create_response_from_buffer_with_free_callback(len, body, ps_free);
    if (!resp) {
        ps_free(body);
        return MHD_NO;
    }
    return sd_queue(c, r, status, resp, ctype, len, extra);
}

enum MHD_Result sd_respond_json(struct MHD_Connection *c, sd_request *r, unsigned status,
                                ps_buf *b)
{
    return sd_respond_json_headers(c, r, status, b, NULL);
}

enum MHD_Result sd_respond_json_headers(struct MHD_Connection *c, sd_request *r,
                                        unsigned status, ps_buf *b, const char *const *extra)
{
    size_t len = 0;
    char *body;
    if (b->err) {
        int code = b->err;
        ps_buf_fin(b);
        if (code == PS_ETOOBIG)
            return sd_respond_error(c, r, 413, "ETOOBIG", "the answer is too large");
        return sd_respond_error(c, r, 500, ps_rc_name(code), "could not build the answer");
    }
    ps_buf_addc(b, '\n');
    body = ps_buf_steal(b, &len);
    if (!body && len == 0) {
        ps_buf_fin(b);
        return sd_respond_error(c, r, 500, "ENOMEM", "out of memory");
    }
    return sd_respond(c, r, status, "application/json; charset=utf-8", body, len, extra);
}

enum MHD_Result sd_respond_error(struct MHD_Connection *c, sd_request *r, unsigned status,
                                 const char *code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    ps_buf b;
    ps_jw j;
    static const char *const allow[] = {"Allow", "GET, HEAD", NULL};
    static const char *const allow_post[] = {"Allow", "GET, HEAD, POST", NULL};
    static const char *const retry[] = {"Retry-After", "1", NULL};
    size_t len = 0;
    char *body;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ps_buf_init(&b, 4096);
    ps_jw_init(&j, &b);
    ps_jw_obj(&j);
    ps_jw_kstr(&j, "error", msg);
    ps_jw_kstr(&j, "code", code);
    ps_jw_obj_end(&j);
    ps_buf_addc(&b, '\n');
    body = ps_buf_steal(&b, &len);
    if (!body)
        return MHD_NO;
    return sd_respond(c, r, status, "application/json; charset=utf-8", body, len,
                      status == 405   ? (takes_post(r->path) ? allow_post : allow)
                      : status == 429 ? retry
                                      : NULL);
}

/* ---- the request's life ---------------------------------------------------- */

static int is_loopback(const struct sockaddr *sa)
{
    if (!sa)
        return 0;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        const unsigned char *b = in6->sin6_addr.s6_addr;
        static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
            return 1;
        return memcmp(b, v4mapped, 12) == 0 && b[12] == 127;
    }
    return 0;
}

/* The peer of c, as text into out; *loopback set when it is local. */
static void client_address(struct MHD_Connection *c, char *out, size_t n, int *loopback)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    snprintf(out, n, "-");
    *loopback = 0;
    if (!sa)
        return;
    *loopback = is_loopback(sa);
    getnameinfo(sa,
                sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                          : sizeof(struct sockaddr_in),
                out, (socklen_t)n, NULL, 0, NI_NUMERICHOST);
}

void *sd_request_begin(void *cls, const char *uri, struct MHD_Connection *c)
{
    ps_arena *a = ps_arena_new();
    sd_request *r;
    size_t n;
    const char *q;
    char *target;
    (void)cls;
    if (!a)
        return NULL;
    r = ps_arena_calloc(a, sizeof *r);
    if (!r) {
        ps_arena_free(a);
        return NULL;
    }
    r->arena = a;
    r->t0 = ps_now();
    r->endpoint = SD_EP_OTHER;
    r->access = PS_ACCESS_PUBLIC;
    n = strnlen(uri, SD_URI_MAX);
    target = ps_arena_strndup(a, uri, n);
    if (!target) {
        ps_arena_free(a);
        return NULL;
    }
    r->target = target;
    q = strchr(target, '?');
    if (q) {
        r->path = ps_arena_strndup(a, target, (size_t)(q - target));
        r->query = q + 1;
    } else {
        r->path = target;
        r->query = "";
    }
    if (!r->path) {
        ps_arena_free(a);
        return NULL;
    }
    {
        int lo;
        client_address(c, r->client, sizeof r->client, &lo);
        r->loopback = lo;
    }
    atomic_fetch_add(&active_requests, 1);
    return r;
}

void sd_connection_notify(void *cls, struct MHD_Connection *c, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode code)
{
    const union MHD_ConnectionInfo *ci;
    int size = SD_SEND_BUFFER;
    (void)cls;
    (void)socket_ctx;
    if (code != MHD_CONNECTION_NOTIFY_STARTED)
        return;
    ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (ci)
        setsockopt(ci->connect_fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
}

/* Escapes what a log line must not carry (control bytes, quotes,
 * backslashes, non-ASCII shown as \xHH), at most max bytes of s. */
static void log_escape(ps_buf *b, const char *s, size_t max)
{
    size_t i;
    for (i = 0; s[i] && i < max; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\')
            ps_buf_addf(b, "\\x%02x", ch);
        else
            ps_buf_addc(b, (char)ch);
    }
    if (s[i])
        ps_buf_adds(b, "...");
}

static void access_log(const sd_request *r, double secs, enum MHD_RequestTerminationCode toe)
{
    static const char *const ends[] = {
        NULL, "error", "timeout", "shutdown", "read-error", "client-abort"};
    char ts[40];
    struct tm tm;
    struct timespec now;
    ps_buf b;
    if (!sd_cfg.log)
        return;
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
    ps_buf_init(&b, 8192);
    ps_buf_addf(&b, "%s.%03ldZ %s \"", ts, now.tv_nsec / 1000000L, r->client);
    log_escape(&b, r->method ? r->method : "-", 16);
    ps_buf_addc(&b, ' ');
    log_escape(&b, r->target ? r->target : "-", 2048);
    if (r->status)
        ps_buf_addf(&b, "\" %d %zu %.2fms", r->status, r->bytes, secs * 1000.0);
    else
        ps_buf_addf(&b, "\" - 0 %.2fms", secs * 1000.0);
    ps_buf_addf(&b, " token=%s", r->token ? r->token : "-");
    if ((unsigned)toe < sizeof ends / sizeof ends[0] && ends[toe])
        ps_buf_addf(&b, " end=%s", ends[toe]);
    ps_buf_addc(&b, '\n');
    if (!b.err) {
        flockfile(sd_cfg.log);
        fwrite(b.data, 1, b.len, sd_cfg.log);
        fflush(sd_cfg.log);
        funlockfile(sd_cfg.log);
    }
    ps_buf_fin(&b);
}

void sd_request_end(void *cls, struct MHD_Connection *c, void **req_cls,
                    enum MHD_RequestTerminationCode toe)
{
    sd_request *r = *req_cls;
    double secs;
    (void)cls;
    (void)c;
    if (!r)
        return;
    secs = ps_now() - r->t0;
    if (r->status)
        sd_metrics_request(r->endpoint, (unsigned)r->status, secs);
    else
        sd_metrics_rejected();
    if (r->stream)
        sd_kwic_request_end(r, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
    if (r->holds_slot) {
        atomic_fetch_sub(&inflight, 1);
        sd_metrics_inflight(-1);
    }
    access_log(r, secs, toe);
    /* a worker's answer that never went out: the client left while the
     * connection slept, or the daemon stopped */
    if (r->answer) {
        MHD_destroy_response(r->answer);
        r->answer = NULL;
    }
    atomic_fetch_sub(&active_requests, 1);
    ps_arena_free(r->arena);
    *req_cls = NULL;
}

/* The reader's level from "Authorization: Bearer TOKEN". */
static void authorize(struct MHD_Connection *c, sd_request *r)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    size_t n;
    r->access = PS_ACCESS_PUBLIC;
    r->token = NULL;
    if (!h || !sd_cfg.tokens || strncasecmp(h, "Bearer ", 7) != 0)
        return;
    h += 7;
    while (*h == ' ' || *h == '\t')
        h++;
    n = strnlen(h, SD_TOKEN_MAX + 1);
    while (n > 0 && (h[n - 1] == ' ' || h[n - 1] == '\t'))
        n--;
    if (n == 0 || n > SD_TOKEN_MAX)
        return;
    r->access = sd_tokens_level(sd_cfg.tokens, h, n, &r->token);
}

/* Takes a slot of the in-flight limit; 0 when all are taken. */
static int take_slot(sd_request *r)
{
    unsigned before = atomic_fetch_add(&inflight, 1);
    if (sd_cfg.max_inflight && before >= sd_cfg.max_inflight) {
        atomic_fetch_sub(&inflight, 1);
        return 0;
    }
    r->holds_slot = 1;
    sd_metrics_inflight(1);
    return 1;
}

static int has_body(struct MHD_Connection *c)
{
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_TRANSFER_ENCODING);
    if (te)
        return 1;
    if (cl) {
        while (*cl == ' ')
            cl++;
        while (*cl == '0')
            cl++;
        return *cl != '\0' && *cl != ' ';
    }
    return 0;
}

/* The kind of body a Content-Type announces: text/plain or a form, any
 * parameters (charset) after a ';'; SD_BODY_NONE for anything else. */
static int body_kind_of(const char *ctype)
{
    static const struct {
        const char *name;
        int kind;
    } kinds[] = {{"text/plain", SD_BODY_TEXT},
                 {"application/x-www-form-urlencoded", SD_BODY_FORM}};
    size_t i, n;
    if (!ctype)
        return SD_BODY_NONE;
    while (*ctype == ' ' || *ctype == '\t')
        ctype++;
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        n = strlen(kinds[i].name);
        if (strncasecmp(ctype, kinds[i].name, n) == 0 &&
            (ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' ' || ctype[n] == '\t'))
            return kinds[i].kind;
    }
    return SD_BODY_NONE;
}

/* A body announced longer than the cap: the Content-Length says so
 * before a byte of it is read. Digits only; anything else is left to
 * MHD, which refuses a malformed length itself. */
static int announces_too_much(struct MHD_Connection *c)
{
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_CONTENT_LENGTH);
    unsigned long long n = 0;
    if (!cl)
        return 0;
    while (*cl == ' ')
        cl++;
    for (; *cl >= '0' && *cl <= '9'; cl++) {
        n = n * 10 + (unsigned)(*cl - '0');
        if (n > SD_BODY_MAX)
            return 1;
    }
    return 0;
}

/* What can be refused as soon as the headers are in: the answer is
 * queued before any body is read, and MHD closes the connection after it
 * rather than read an upload nobody asked for. Only POST /api/cite takes
 * a body, of a known type and at most SD_BODY_MAX bytes. */
static enum MHD_Result refuse_early(struct MHD_Connection *c, sd_request *r)
{
    if (takes_post(r->path))
        r->endpoint = SD_EP_CITE; /* its refusals count as its own */
    if (strcmp(r->method, "POST") == 0 && takes_post(r->path)) {
        r->body_kind = body_kind_of(
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE));
        if (r->body_kind == SD_BODY_NONE)
            return sd_respond_error(c, r, 415, "EMEDIATYPE",
                                    "send the quote as text/plain or as a form "
                                    "(application/x-www-form-urlencoded, q=...)");
        if (announces_too_much(c))
            return sd_respond_error(c, r, 413, "ETOOBIG", "the body is longer than %u bytes",
                                    SD_BODY_MAX);
        r->body = ps_arena_alloc(r->arena, SD_BODY_MAX + 1);
        if (!r->body)
            return sd_respond_error(c, r, 500, "ENOMEM", "out of memory");
        r->body[0] = '\0';
        return MHD_YES;
    }
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
        return sd_respond_error(c, r, 405, "EMETHOD",
                                takes_post(r->path) ? "only GET, HEAD and POST are served here"
                                                    : "only GET and HEAD are served");
    if (has_body(c))
        return sd_respond_error(c, r, 413, "ETOOBIG", "requests take no body");
    return MHD_YES;
}

/* Appends an upload's next bytes to the body; past the cap (a chunked
 * upload announces no length) the answer is 413 at once. */
static void take_body(struct MHD_Connection *c, sd_request *r, const char *data, size_t n)
{
    if (!r->body)
        return; /* a body nobody asked for: refused already */
    if (n > SD_BODY_MAX - r->body_len) {
        sd_respond_error(c, r, 413, "ETOOBIG", "the body is longer than %u bytes", SD_BODY_MAX);
        r->body_len = SD_BODY_MAX + 1; /* remembered even if MHD could not queue it */
        return;
    }
    memcpy(r->body + r->body_len, data, n);
    r->body_len += n;
    r->body[r->body_len] = '\0';
}

/* The complete body of a POST: a text quote must hold no NUL byte, a
 * form is decoded as a query string is. 0, or an answer queued. */
static int finish_body(struct MHD_Connection *c, sd_request *r)
{
    ps_error err;
    if (r->body_len > SD_BODY_MAX) {
        sd_respond_error(c, r, 413, "ETOOBIG", "the body is longer than %u bytes", SD_BODY_MAX);
        return -1;
    }
    if (memchr(r->body, '\0', r->body_len)) {
        sd_respond_error(c, r, 400, "EINVAL", "the body holds a NUL byte");
        return -1;
    }
    if (r->body_kind != SD_BODY_FORM)
        return 0;
    ps_error_clear(&err);
    if (sd_params_parse(r->arena, r->body, &r->form, &err)) {
        if (err.code == PS_ENOMEM)
            sd_respond_error(c, r, 500, "ENOMEM", "%s", err.msg);
        else
            sd_respond_error(c, r, 400, "EINVAL", "the form: %s", err.msg);
        return -1;
    }
    return 0;
}

/* The id in the rest of a path ("/api/doc/ID"): percent-decoded, no NUL.
 * *id NULL when the rest is empty; -1 with an answer queued when bad. */
static int path_id(struct MHD_Connection *c, sd_request *r, const char *enc, const char **id,
                   size_t *len)
{
    size_t n = strlen(enc);
    char *out;
    long k;
    *id = NULL;
    *len = 0;
    if (n == 0)
        return 0;
    if (!(out = ps_arena_alloc(r->arena, n + 1))) {
        sd_respond_error(c, r, 500, "ENOMEM", "out of memory");
        return -1;
    }
    k = sd_percent_decode(enc, n, 0, out);
    if (k < 0) {
        sd_respond_error(c, r, 400, "EINVAL", "the document id: invalid percent-encoding");
        return -1;
    }
    if (memchr(out, '\0', (size_t)k)) {
        sd_respond_error(c, r, 400, "EINVAL", "the document id holds a NUL byte");
        return -1;
    }
    *id = out;
    *len = (size_t)k;
    return 0;
}

static enum MHD_Result job_doc(struct MHD_Connection *c, sd_request *r)
{
    return sd_api_doc(c, r, r->id, r->id_len);
}

static enum MHD_Result job_similar(struct MHD_Connection *c, sd_request *r)
{
    return sd_api_similar(c, r, r->id, r->id_len);
}

static enum MHD_Result route(struct MHD_Connection *c, sd_request *r)
{
    const char *p = r->path;
    if (strlen(r->target) >= SD_URI_MAX - 1)
        return sd_respond_error(c, r, 414, "ETOOBIG", "the request target is too long");
    if (p[0] != '/')
        return sd_respond_error(c, r, 400, "EINVAL", "the request target must be a path");
    authorize(c, r);

    if (strcmp(p, "/healthz") == 0) {
        r->endpoint = SD_EP_HEALTHZ;
        return sd_api_healthz(c, r);
    }
    if (strcmp(p, "/metrics") == 0) {
        r->endpoint = SD_EP_METRICS;
        return sd_metrics_serve(c, r);
    }
    if (strcmp(p, "/api/search") == 0)
        r->endpoint = SD_EP_SEARCH;
    else if (strcmp(p, "/api/doc") == 0 || strncmp(p, "/api/doc/", 9) == 0)
        r->endpoint = SD_EP_DOC;
    else if (strcmp(p, "/api/suggest") == 0)
        r->endpoint = SD_EP_SUGGEST;
    else if (strcmp(p, "/api/cite") == 0)
        r->endpoint = SD_EP_CITE;
    else if (strcmp(p, "/api/kwic") == 0)
        r->endpoint = SD_EP_KWIC;
    else if (strcmp(p, "/api/similar") == 0 || strncmp(p, "/api/similar/", 13) == 0)
        r->endpoint = SD_EP_SIMILAR;
    else if (strcmp(p, "/api") == 0 || strncmp(p, "/api/", 5) == 0)
        return sd_respond_error(c, r, 404, "ENOTFOUND", "no such endpoint");
    else
        r->endpoint = SD_EP_STATIC;

    if (!take_slot(r))
        return sd_respond_error(c, r, 429, "EBUSY", "too many requests at once; retry shortly");
    if (r->body && finish_body(c, r))
        return MHD_YES;
    switch (r->endpoint) {
    case SD_EP_SEARCH:
        return sd_api_search_front(c, r);
    case SD_EP_SUGGEST:
        return sd_defer(c, r, sd_api_suggest);
    case SD_EP_CITE:
        return sd_defer(c, r, sd_api_cite);
    case SD_EP_KWIC:
        return sd_api_kwic(c, r);
    case SD_EP_DOC:
    case SD_EP_SIMILAR: {
        size_t skip = r->endpoint == SD_EP_DOC ? 8 : 12; /* "/api/doc", "/api/similar" */
        if (p[skip] == '/' && path_id(c, r, p + skip + 1, &r->id, &r->id_len))
            return MHD_YES;
        return sd_defer(c, r, r->endpoint == SD_EP_DOC ? job_doc : job_similar);
    }
    default:
        return sd_static_serve(c, r);
    }
}

enum MHD_Result sd_request_handle(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **req_cls)
{
    sd_request *r = *req_cls;
    enum MHD_Result ret;
    (void)cls;
    (void)url;
    (void)version;
    if (!r)
        return MHD_NO; /* out of memory at the request line: drop it */
    if (sd_jobs_answer(c, r, &ret))
        return ret; /* a worker answered while the connection slept */
    if (!r->started) {
        /* first call: the headers are in, the body (if any) is not */
        r->started = 1;
        r->method = ps_arena_strdup(r->arena, method);
        if (!r->method)
            return MHD_NO;
        return refuse_early(c, r);
    }
    if (r->status || *upload_size) {
        /* body bytes (kept for POST /api/cite, else refused already),
         * or a call after the answer */
        if (!r->status && *upload_size)
            take_body(c, r, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    /* the request is complete: answering now keeps the connection alive */
    ret = route(c, r);
    if (ret == MHD_YES && !r->status && !r->job) /* (a deferred one is answered later) */
        ret = sd_respond_error(c, r, 500, "EINTERNAL", "no answer was made");
    return ret;
}
