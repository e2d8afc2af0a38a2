/*
 * kwic.c: GET /api/kwic, the concordance, streamed as it is found.
 *
 * ps_kwic calls back once per occurrence and returns only after the
 * last, while MHD asks a response for bytes when the socket can take
 * them. The two meet in a stream: a pool thread runs ps_kwic (with a
 * searcher of its own, as every thread of the daemon has) and appends
 * each line to the stream's buffer; the connection drains it. When the
 * buffer is empty the connection is suspended (MHD stops polling it) and
 * the next line resumes it; when the buffer holds STREAM_HIGH bytes the
 * search waits, so a client that reads slowly holds a small buffer, not
 * the corpus. A client that goes away, or a shutdown, cancels the search
 * at its next line.
 *
 * Locking, in one order only: the pool's mutex, then a stream's, then
 * (inside MHD_suspend/resume_connection) MHD's own. A connection is
 * suspended and resumed with its stream's mutex held, so a resume never
 * overtakes its suspend, and a connection is only resumed while it is
 * known to be suspended (so alive: MHD neither times out nor closes a
 * suspended connection). MHD calls the response's free callback and the
 * request's completion from its own bookkeeping, perhaps holding its
 * locks, so those two take no mutex at all (atomics only); the search
 * waits for room with a timeout, so a wake-up lost that way costs a
 * tenth of a second, never a hang.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "searchd/searchd.h"

#define KWIC_LIMIT_DEFAULT 5000
#define KWIC_LIMIT_MAX 100000
#define KWIC_JSON_LIMIT_MAX 5000  /* format=json: one object held by the client */
#define KWIC_CONTEXT_MAX 400
/* Unsent bytes past which the search waits for the client. */
#define STREAM_HIGH (64u * 1024)
/* Hard cap of a stream's buffer: STREAM_HIGH plus the longest line. */
#define STREAM_MAX (4u * 1024 * 1024)
/* How much MHD asks for at most per call. */
#define STREAM_BLOCK (16u * 1024)
/* The wait for room, between checks for a cancellation. */
#define ROOM_WAIT_NS (100 * 1000 * 1000L)
#define POOL_MAX 256

struct sd_stream {
    atomic_uint refs;        /* the request, the response, the search */
    atomic_int cancelled;    /* the client went away, or the daemon stops */
    atomic_ullong sent;      /* bytes handed to MHD */
    pthread_mutex_t mu;      /* guards what follows, to `next` */
    pthread_cond_t room;     /* the client took bytes */
    struct MHD_Connection *conn;
    int suspended;           /* the connection waits for the next bytes */
    int done;                /* the search wrote its last byte */
    int broken;              /* end the answer as failed (after its header) */
    ps_buf out;              /* unsent bytes: out.data[off .. out.len) */
    size_t off;
    sd_stream *next;         /* the pool's queue (the pool's mutex) */
    /* the search's own (only its thread touches them once queued) */
    ps_arena *arena;         /* the options' strings */
    ps_kwic_opts o;
    int json;                /* format=json: one object, not JSON Lines */
    uint64_t lines;
    ps_buf line;
};

/* ---- streams ---------------------------------------------------------------- */

static void stream_unref(sd_stream *st)
{
    if (atomic_fetch_sub(&st->refs, 1) != 1)
        return;
    pthread_mutex_destroy(&st->mu);
    pthread_cond_destroy(&st->room);
    ps_buf_fin(&st->out);
    ps_buf_fin(&st->line);
    ps_arena_free(st->arena);
    ps_free(st);
}

/* Resumes the connection when it waits for bytes. Stream's mutex held. */
static void wake_reader(sd_stream *st)
{
    if (st->suspended) {
        st->suspended = 0;
        MHD_resume_connection(st->conn);
    }
}

/* Appends bytes for the client, first waiting while STREAM_HIGH are
 * unsent; -1 when the stream was cancelled (or its buffer failed). */
static int stream_write(sd_stream *st, const char *data, size_t n)
{
    int rc = 0;
    pthread_mutex_lock(&st->mu);
    while (!atomic_load(&st->cancelled) && st->out.len - st->off >= STREAM_HIGH) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += ROOM_WAIT_NS;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&st->room, &st->mu, &until);
    }
    if (atomic_load(&st->cancelled) || ps_buf_add(&st->out, data, n)) {
        if (!atomic_load(&st->cancelled))
            st->broken = 1; /* out of memory: end the answer as failed */
        atomic_store(&st->cancelled, 1);
        rc = -1;
    } else {
        wake_reader(st);
    }
    pthread_mutex_unlock(&st->mu);
    return rc;
}

/* MHD_ContentReaderCallback: the unsent bytes, the end, or a suspension
 * until the search writes more. */
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    sd_stream *st = cls;
    ssize_t n;
    size_t avail;
    (void)pos;
    pthread_mutex_lock(&st->mu);
    avail = st->out.len - st->off;
    if (atomic_load(&st->cancelled) && !st->done) {
        n = MHD_CONTENT_READER_END_WITH_ERROR; /* shutting down */
    } else if (avail > 0) {
        n = (ssize_t)(avail < max ? avail : max);
        memcpy(buf, st->out.data + st->off, (size_t)n);
        st->off += (size_t)n;
        if (st->off == st->out.len) {
            st->out.len = 0;
            st->off = 0;
        } else if (st->off >= STREAM_BLOCK) {
            memmove(st->out.data, st->out.data + st->off, st->out.len - st->off);
            st->out.len -= st->off;
            st->off = 0;
        }
        atomic_fetch_add(&st->sent, (unsigned long long)n);
        pthread_cond_signal(&st->room);
    } else if (st->done) {
        n = st->broken ? MHD_CONTENT_READER_END_WITH_ERROR : MHD_CONTENT_READER_END_OF_STREAM;
    } else {
        st->suspended = 1;
        MHD_suspend_connection(st->conn);
        n = 0;
    }
    pthread_mutex_unlock(&st->mu);
    return n;
}

/* MHD_ContentReaderFreeCallback: MHD is done with the answer, sent or
 * not. No mutex here (see the top of the file). */
static void stream_response_free(void *cls)
{
    sd_stream *st = cls;
    atomic_store(&st->cancelled, 1);
    pthread_cond_broadcast(&st->room);
    stream_unref(st);
}

void sd_kwic_request_end(sd_request *r, int completed)
{
    sd_stream *st = r->stream;
    r->stream = NULL;
    r->bytes = (size_t)atomic_load(&st->sent);
    if (!completed)
        atomic_store(&st->cancelled, 1);
    stream_unref(st);
}

/* ---- the search ------------------------------------------------------------- */

static int on_line(void *ctx, const ps_kwic_line *l)
{
    sd_stream *st = ctx;
    if (atomic_load(&st->cancelled))
        return 1;
    ps_buf_reset(&st->line);
    if (st->json && st->lines > 0)
        ps_buf_addc(&st->line, ',');
    ps_kwic_line_json(l, &st->line);
    ps_buf_addc(&st->line, '\n');
    if (st->line.err) {
        pthread_mutex_lock(&st->mu);
        st->broken = 1;
        pthread_mutex_unlock(&st->mu);
        return 1;
    }
    st->lines++;
    sd_metrics_kwic_line();
    return stream_write(st, st->line.data, st->line.len) ? 1 : 0;
}

/* The last record: the summary, or what went wrong. Both are objects
 * ({"summary": {...}}, {"error": ..., "code": ...}): JSON Lines take
 * one whole, the object of format=json takes its members after the
 * "lines" array it has open. */
static void write_end(sd_stream *st, int rc, const ps_error *err, const ps_kwic_stats *stats)
{
    ps_buf rec, *b = &st->line;
    ps_jw j;
    ps_buf_init(&rec, 1024 * 1024);
    if (rc == PS_OK && ps_kwic_stats_json(stats, st->o.phrase, &rec))
        rc = rec.err;
    if (rc != PS_OK) {
        int noindex = rc == PS_ENOTFOUND || rc == PS_EVERSION;
        fprintf(stderr, "polsearch serve: /api/kwic: %s\n",
                err->msg[0] ? err->msg : ps_rc_name(rc));
        ps_buf_reset(&rec);
        ps_jw_init(&j, &rec);
        ps_jw_obj(&j);
        ps_jw_kstr(&j, "error", noindex ? "the index is not available" : "the concordance failed");
        ps_jw_kstr(&j, "code", noindex ? "ENOINDEX" : ps_rc_name(rc));
        ps_jw_obj_end(&j);
    }
    ps_buf_reset(b);
    if (rec.err || rec.len < 2 || rec.data[0] != '{') {
        b->err = rec.err ? rec.err : PS_EINTERNAL;
    } else if (st->json) {
        ps_buf_adds(b, "],");
        ps_buf_add(b, rec.data + 1, rec.len - 1);
    } else {
        ps_buf_add(b, rec.data, rec.len);
    }
    ps_buf_addc(b, '\n');
    ps_buf_fin(&rec);
    if (b->err) {
        pthread_mutex_lock(&st->mu);
        st->broken = 1;
        pthread_mutex_unlock(&st->mu);
        return;
    }
    stream_write(st, b->data, b->len);
}

/* Runs one stream's search on a pool thread, then marks it done. */
static void run(sd_stream *st)
{
    ps_error err;
    ps_kwic_stats stats;
    ps_searcher *s;
    int rc = PS_OK, attempt;

    memset(&stats, 0, sizeof stats);
    ps_error_clear(&err);
    if (atomic_load(&st->cancelled))
        goto done;
    if (st->json && stream_write(st, "{\"lines\":[\n", 11))
        goto done;
    if (!(s = sd_searcher(&err))) {
        rc = err.code;
    } else {
        for (attempt = 0; attempt < PS_RETRIES; attempt++) {
            rc = ps_kwic(s, &st->o, on_line, st, &stats, &err);
            /* the index moved under the search: start again, as long as
             * no line went out (the client would get them twice) */
            if (rc != PS_EMODIFIED || st->lines > 0 || atomic_load(&st->cancelled))
                break;
            ps_kwic_stats_fin(&stats);
            if ((rc = ps_searcher_reopen(s, NULL, &err)))
                break;
        }
    }
    if (!atomic_load(&st->cancelled))
        write_end(st, rc, &err, &stats);
    ps_kwic_stats_fin(&stats);
done:
    pthread_mutex_lock(&st->mu);
    st->done = 1;
    wake_reader(st);
    pthread_mutex_unlock(&st->mu);
}

/* ---- the pool --------------------------------------------------------------- */

/* Threads are made as streams need them, up to sd_cfg.stream_threads,
 * and kept: each holds a searcher, opened by its first stream. */
static struct {
    pthread_mutex_t mu;
    pthread_cond_t work;
    sd_stream *head, *tail;        /* queued */
    sd_stream *running[POOL_MAX];  /* each thread's current stream */
    pthread_t tids[POOL_MAX];
    unsigned threads, idle, max;
    unsigned queued;
    int stopping;
} pool = {.mu = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER};

static void *pool_main(void *arg)
{
    unsigned k = (unsigned)(uintptr_t)arg;
    pthread_mutex_lock(&pool.mu);
    for (;;) {
        sd_stream *st;
        while (!pool.head && !pool.stopping) {
            pool.idle++;
            pthread_cond_wait(&pool.work, &pool.mu);
            pool.idle--;
        }
        if (!(st = pool.head))
            break; /* stopping, and nothing queued */
        pool.head = st->next;
        if (!pool.head)
            pool.tail = NULL;
        pool.queued--;
        pool.running[k] = st;
        pthread_mutex_unlock(&pool.mu);
        run(st);
        sd_metrics_kwic_stream(-1);
        pthread_mutex_lock(&pool.mu);
        pool.running[k] = NULL;
        pthread_mutex_unlock(&pool.mu);
        stream_unref(st); /* the search's reference */
        pthread_mutex_lock(&pool.mu);
    }
    pthread_mutex_unlock(&pool.mu);
    return NULL; /* the thread's searcher closes with it */
}

int sd_kwic_init(void)
{
    pthread_mutex_lock(&pool.mu);
    pool.max = sd_cfg.stream_threads ? sd_cfg.stream_threads : 1;
    if (pool.max > POOL_MAX)
        pool.max = POOL_MAX;
    pool.stopping = 0;
    pthread_mutex_unlock(&pool.mu);
    return PS_OK;
}

/* Queues st's search (its reference goes with it); -1 when the daemon
 * stops or no thread could be made for it. */
static int pool_submit(sd_stream *st)
{
    int rc = 0;
    pthread_mutex_lock(&pool.mu);
    if (pool.stopping) {
        rc = -1;
    } else {
        /* a thread more when the idle ones all have a stream waiting */
        if (pool.queued >= pool.idle && pool.threads < pool.max &&
            pthread_create(&pool.tids[pool.threads], NULL, pool_main,
                           (void *)(uintptr_t)pool.threads) == 0)
            pool.threads++;
        if (pool.threads == 0) {
            rc = -1;
        } else {
            st->next = NULL;
            if (pool.tail)
                pool.tail->next = st;
            else
                pool.head = st;
            pool.tail = st;
            pool.queued++;
            sd_metrics_kwic_stream(1);
            pthread_cond_signal(&pool.work);
        }
    }
    pthread_mutex_unlock(&pool.mu);
    return rc;
}

/* Cancels st and resumes its connection if it waits. Pool's mutex held. */
static void cancel_locked(sd_stream *st)
{
    pthread_mutex_lock(&st->mu);
    atomic_store(&st->cancelled, 1);
    wake_reader(st);
    pthread_cond_broadcast(&st->room);
    pthread_mutex_unlock(&st->mu);
}

void sd_kwic_cancel_all(void)
{
    sd_stream *st;
    unsigned k;
    /* a connection suspends only while its stream's search is queued or
     * running: every one of them is in the pool */
    pthread_mutex_lock(&pool.mu);
    pool.stopping = 1;
    for (st = pool.head; st; st = st->next)
        cancel_locked(st);
    for (k = 0; k < pool.threads; k++)
        if (pool.running[k])
            cancel_locked(pool.running[k]);
    pthread_cond_broadcast(&pool.work);
    pthread_mutex_unlock(&pool.mu);
}

void sd_kwic_fin(void)
{
    unsigned k, n;
    pthread_mutex_lock(&pool.mu);
    pool.stopping = 1;
    pthread_cond_broadcast(&pool.work);
    n = pool.threads;
    pthread_mutex_unlock(&pool.mu);
    for (k = 0; k < n; k++)
        pthread_join(pool.tids[k], NULL);
    pthread_mutex_lock(&pool.mu);
    pool.threads = 0;
    pthread_mutex_unlock(&pool.mu);
}

/* ---- the endpoint ----------------------------------------------------------- */

static sd_stream *stream_new(const ps_kwic_opts *o, int json)
{
    sd_stream *st = ps_calloc(1, sizeof *st);
    if (!st)
        return NULL;
    if (!(st->arena = ps_arena_new())) {
        ps_free(st);
        return NULL;
    }
    st->o = *o;
    st->o.phrase = ps_arena_strdup(st->arena, o->phrase);
    st->o.type = o->type ? ps_arena_strdup(st->arena, o->type) : NULL;
    st->o.from = o->from ? ps_arena_strdup(st->arena, o->from) : NULL;
    st->o.to = o->to ? ps_arena_strdup(st->arena, o->to) : NULL;
    if (!st->o.phrase || (o->type && !st->o.type) || (o->from && !st->o.from) ||
        (o->to && !st->o.to)) {
        ps_arena_free(st->arena);
        ps_free(st);
        return NULL;
    }
    st->json = json;
    ps_buf_init(&st->out, STREAM_MAX);
    ps_buf_init(&st->line, STREAM_MAX);
    pthread_mutex_init(&st->mu, NULL);
    pthread_cond_init(&st->room, NULL);
    atomic_init(&st->refs, 3); /* the request, the response, the search */
    atomic_init(&st->cancelled, 0);
    atomic_init(&st->sent, 0);
    return st;
}

enum MHD_Result sd_api_kwic(struct MHD_Connection *c, sd_request *r)
{
    ps_kwic_opts o;
    ps_error err;
    sd_stream *st;
    struct MHD_Response *resp;
    enum MHD_Result ret;
    const char *v, *ctype;
    int bad = 0, json = 0, stopping;
    long n, limit = -1;

    ps_kwic_opts_default(&o);
    o.access = r->access;
    o.phrase = sd_api_param(c, r, "q", SD_QUERY_MAX, &bad);
    if (bad)
        return MHD_YES;
    if (!o.phrase || !*o.phrase)
        return sd_respond_error(c, r, 400, "EINVAL", "give the phrase: q=...");
    if ((v = sd_api_param(c, r, "sort", SD_PARAM_MAX, &bad))) {
        if (strcmp(v, "date") == 0 || !*v)
            o.sort = PS_KWIC_DATE;
        else if (strcmp(v, "-date") == 0)
            o.sort = PS_KWIC_DATE_DESC;
        else if (strcmp(v, "doc") == 0)
            o.sort = PS_KWIC_DOC;
        else
            return sd_respond_error(c, r, 400, "EINVAL", "sort must be date, -date or doc");
    }
    if (bad)
        return MHD_YES;
    if ((v = sd_api_param(c, r, "context", SD_PARAM_MAX, &bad))) {
        if (ps_parse_long(v, 1, KWIC_CONTEXT_MAX, &n))
            return sd_respond_error(c, r, 400, "EINVAL", "context must be between 1 and %d",
                                    KWIC_CONTEXT_MAX);
        o.context = (size_t)n;
    }
    if (bad)
        return MHD_YES;
    if ((v = sd_api_param(c, r, "format", SD_PARAM_MAX, &bad))) {
        if (strcmp(v, "json") == 0)
            json = 1;
        else if (*v && strcmp(v, "ndjson") != 0 && strcmp(v, "jsonl") != 0)
            return sd_respond_error(c, r, 400, "EINVAL", "format must be ndjson or json");
    }
    if (bad)
        return MHD_YES;
    if ((v = sd_api_param(c, r, "limit", SD_PARAM_MAX, &bad))) {
        long max = json ? KWIC_JSON_LIMIT_MAX : KWIC_LIMIT_MAX;
        if (ps_parse_long(v, 1, max, &limit))
            return sd_respond_error(c, r, 400, "EINVAL", "limit must be between 1 and %ld%s",
                                    max, json ? " with format=json" : "");
    }
    if (bad)
        return MHD_YES;
    o.max = (uint64_t)(limit > 0 ? limit : KWIC_LIMIT_DEFAULT);
    o.type = sd_api_param(c, r, "type", SD_PARAM_MAX, &bad);
    if (!bad)
        o.from = sd_api_param(c, r, "from", SD_PARAM_MAX, &bad);
    if (!bad)
        o.to = sd_api_param(c, r, "to", SD_PARAM_MAX, &bad);
    if (bad || sd_api_check_filters(c, r, o.type, o.from, o.to))
        return MHD_YES;

    ctype = json ? "application/json; charset=utf-8" : "application/x-ndjson; charset=utf-8";
    ps_error_clear(&err);
    /* no index: say so with a status, before the answer's header is out */
    if (!sd_searcher(&err))
        return sd_api_server_error(c, r, &err);
    if (strcmp(r->method, "HEAD") == 0) {
        char *empty = ps_malloc(1);
        if (!empty)
            return sd_respond_error(c, r, 500, "ENOMEM", "out of memory");
        return sd_respond(c, r, 200, ctype, empty, 0, NULL);
    }
    pthread_mutex_lock(&pool.mu);
    stopping = pool.stopping;
    pthread_mutex_unlock(&pool.mu);
    if (stopping)
        return sd_respond_error(c, r, 503, "ESHUTDOWN", "the server is stopping");

    if (!(st = stream_new(&o, json)))
        return sd_respond_error(c, r, 500, "ENOMEM", "out of memory");
    st->conn = c;
    resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK, stream_read, st,
                                             stream_response_free);
    if (!resp) {
        stream_unref(st); /* the response's */
        stream_unref(st); /* the search's */
        stream_unref(st); /* the request's */
        return sd_respond_error(c, r, 500, "ENOMEM", "out of memory");
    }
    r->stream = st;
    ret = sd_queue(c, r, 200, resp, ctype, 0, NULL);
    if (ret != MHD_YES || r->status != 200) {
        /* not queued: MHD has freed the response (and its reference) */
        atomic_store(&st->cancelled, 1);
        stream_unref(st); /* the search's */
        return ret;
    }
    if (pool_submit(st)) {
        /* stopping meanwhile: the answer ends at once, as failed */
        pthread_mutex_lock(&st->mu);
        st->done = 1;
        st->broken = 1;
        pthread_mutex_unlock(&st->mu);
        stream_unref(st);
    }
    return ret;
}
