/*
 * jobs.c: the searches of the API run on a pool of worker threads, not on
 * the thread that holds the connection.
 *
 * libmicrohttpd's thread pool gives each connection to one of its threads
 * for the connection's whole life, and a thread that accepts takes every
 * connection waiting: eight keep-alive clients that connect at once may
 * all land on one thread, which then answers them one after the other
 * while the other cores idle. So the handler of an API request suspends
 * its connection and queues the request; the first free worker answers
 * it with a searcher of its own (sd_searcher is per thread) and resumes
 * the connection. The answer (an MHD_Response with its status) waits in
 * the request until MHD calls the handler again, which queues it: MHD
 * takes responses only from inside its own callbacks.
 *
 * Order of events for one request, each under the pool's mutex or
 * before the request is shared: the handler suspends the connection,
 * then queues the request; a worker takes it, answers, then resumes the
 * connection. So a resume never comes before its suspend, and MHD never
 * touches a suspended connection (no timeout, no close), so the worker's
 * connection pointer stays valid.
 *
 * Shutdown: sd_jobs_fin() stops the workers after the job each is
 * running, answers the requests still queued with 503 and resumes their
 * connections: MHD must not stop with a connection suspended.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "searchd/searchd.h"

#define JOBS_MAX_THREADS 256

static struct {
    pthread_mutex_t mu;
    pthread_cond_t work;
    sd_request *head, *tail; /* waiting, oldest first */
    int stopping;
    size_t n_waiting; /* in the queue */
    size_t n_threads;
    pthread_t threads[JOBS_MAX_THREADS];
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, 0, 0, 0, {0}};

/* For /metrics: requests each worker answered. */
static atomic_ulong done_by[JOBS_MAX_THREADS];

/* Runs r's job on this thread; its answer stays in r (sd_queue sees
 * r->on_worker). A job that queued nothing answers 500. */
static void run_job(sd_request *r)
{
    struct MHD_Connection *c = r->conn;
    enum MHD_Result ret;
    r->on_worker = 1;
    ret = r->job(c, r);
    if (ret == MHD_YES && !r->answer)
        (void)sd_respond_error(c, r, 500, "EINTERNAL", "no answer was made");
    if (ret != MHD_YES)
        r->job_failed = 1; /* MHD is told to close the connection */
    r->on_worker = 0;
}

static void *worker(void *arg)
{
    size_t me = (size_t)(uintptr_t)arg;
    char name[16];
    snprintf(name, sizeof name, "ps-worker-%zu", me);
    pthread_setname_np(pthread_self(), name);
    for (;;) {
        sd_request *r;
        pthread_mutex_lock(&pool.mu);
        while (!pool.head && !pool.stopping)
            pthread_cond_wait(&pool.work, &pool.mu);
        if (pool.stopping) {
            pthread_mutex_unlock(&pool.mu);
            return NULL;
        }
        r = pool.head;
        pool.head = r->job_next;
        if (!pool.head)
            pool.tail = NULL;
        pool.n_waiting--;
        pthread_mutex_unlock(&pool.mu);

        run_job(r);
        atomic_fetch_add_explicit(&done_by[me], 1, memory_order_relaxed);
        MHD_resume_connection(r->conn);
    }
}

int sd_jobs_init(size_t threads)
{
    size_t i;
    if (threads == 0)
        threads = 1;
    if (threads > JOBS_MAX_THREADS)
        threads = JOBS_MAX_THREADS;
    for (i = 0; i < threads; i++) {
        if (pthread_create(&pool.threads[i], NULL, worker, (void *)(uintptr_t)i)) {
            sd_jobs_fin();
            return PS_ENOMEM;
        }
        pool.n_threads++;
    }
    return PS_OK;
}

enum MHD_Result sd_defer(struct MHD_Connection *c, sd_request *r, sd_job_fn fn)
{
    pthread_mutex_lock(&pool.mu);
    if (pool.stopping || pool.n_threads == 0) {
        pthread_mutex_unlock(&pool.mu);
        return sd_respond_error(c, r, 503, "ESHUTDOWN", "the server is stopping");
    }
    r->job = fn;
    r->conn = c;
    r->job_next = NULL;
    MHD_suspend_connection(c);
    if (pool.tail)
        pool.tail->job_next = r;
    else
        pool.head = r;
    pool.tail = r;
    pool.n_waiting++;
    pthread_cond_signal(&pool.work);
    pthread_mutex_unlock(&pool.mu);
    return MHD_YES;
}

int sd_jobs_answer(struct MHD_Connection *c, sd_request *r, enum MHD_Result *ret)
{
    struct MHD_Response *resp = r->answer;
    if (!r->job)
        return 0;
    r->job = NULL;
    if (r->job_failed || !resp) {
        if (resp)
            MHD_destroy_response(resp);
        r->answer = NULL;
        *ret = MHD_NO;
        return 1;
    }
    r->answer = NULL;
    *ret = MHD_queue_response(c, r->answer_status, resp);
    MHD_destroy_response(resp);
    if (*ret == MHD_YES)
        r->status = (int)r->answer_status;
    return 1;
}

void sd_jobs_metrics(ps_buf *b)
{
    size_t i, n, waiting;
    pthread_mutex_lock(&pool.mu);
    n = pool.n_threads;
    waiting = pool.n_waiting;
    pthread_mutex_unlock(&pool.mu);
    ps_buf_adds(b, "# HELP polsearch_worker_requests_total API requests answered, by worker "
                   "thread.\n"
                   "# TYPE polsearch_worker_requests_total counter\n");
    for (i = 0; i < n; i++)
        ps_buf_addf(b, "polsearch_worker_requests_total{worker=\"%zu\"} %lu\n", i,
                    atomic_load_explicit(&done_by[i], memory_order_relaxed));
    ps_buf_addf(b,
                "# HELP polsearch_requests_waiting API requests waiting for a worker.\n"
                "# TYPE polsearch_requests_waiting gauge\n"
                "polsearch_requests_waiting %zu\n",
                waiting);
}

void sd_jobs_fin(void)
{
    sd_request *r, *waiting;
    size_t i;
    pthread_mutex_lock(&pool.mu);
    pool.stopping = 1;
    waiting = pool.head;
    pool.head = pool.tail = NULL;
    pool.n_waiting = 0;
    pthread_cond_broadcast(&pool.work);
    pthread_mutex_unlock(&pool.mu);
    /* the workers finish the job they hold (and resume its connection) */
    for (i = 0; i < pool.n_threads; i++)
        pthread_join(pool.threads[i], NULL);
    pool.n_threads = 0;
    for (r = waiting; r; r = waiting) {
        waiting = r->job_next;
        r->on_worker = 1;
        (void)sd_respond_error(r->conn, r, 503, "ESHUTDOWN", "the server is stopping");
        r->on_worker = 0;
        MHD_resume_connection(r->conn);
    }
}
