/*
 * metrics.c: what /metrics tells Prometheus: requests by endpoint and
 * status, a latency histogram by endpoint, errors, requests in flight,
 * the worker threads' requests and those waiting, and the index's
 * documents, passages and age.
 *
 * Counters are relaxed atomics bumped by the worker threads; a scrape
 * reads them one by one, so a scrape may see a request in one counter
 * and not yet in another, which Prometheus tolerates.
 *
 * The index counts include documents above the public level, so the
 * page is served to loopback clients and token holders only.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "searchd/searchd.h"

static const char *const endpoint_names[SD_EP_COUNT] = {
    "search", "doc", "suggest", "cite", "kwic", "similar", "healthz", "metrics", "static",
    "other"};

/* The statuses the daemon gives; anything else counts as "other". */
static const unsigned statuses[] = {200, 304, 400, 403, 404, 405, 413, 414, 415, 429, 500, 503};
#define NSTATUS (sizeof statuses / sizeof statuses[0] + 1)

/* Upper bounds of the latency buckets, in seconds. */
static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                 0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
#define NBUCKET (sizeof buckets / sizeof buckets[0])

static atomic_ulong requests[SD_EP_COUNT][NSTATUS];
static atomic_ulong latency[SD_EP_COUNT][NBUCKET + 1]; /* not cumulative; last: +Inf */
static atomic_ulong latency_sum_us[SD_EP_COUNT];
static atomic_ulong rejected;
static atomic_long in_flight;
static atomic_long kwic_streams;
static atomic_ulong kwic_lines;
static time_t started;

const char *sd_endpoint_name(int endpoint)
{
    return endpoint >= 0 && endpoint < SD_EP_COUNT ? endpoint_names[endpoint] : "other";
}

void sd_metrics_request(int endpoint, unsigned status, double seconds)
{
    size_t s, b;
    if (endpoint < 0 || endpoint >= SD_EP_COUNT)
        endpoint = SD_EP_OTHER;
    for (s = 0; s + 1 < NSTATUS && statuses[s] != status; s++)
        ;
    atomic_fetch_add_explicit(&requests[endpoint][s], 1, memory_order_relaxed);
    for (b = 0; b < NBUCKET && seconds > buckets[b]; b++)
        ;
    atomic_fetch_add_explicit(&latency[endpoint][b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&latency_sum_us[endpoint],
                              (unsigned long)(seconds > 0 ? seconds * 1e6 : 0),
                              memory_order_relaxed);
}

void sd_metrics_rejected(void)
{
    atomic_fetch_add_explicit(&rejected, 1, memory_order_relaxed);
}

void sd_metrics_init(void)
{
    started = time(NULL);
}

void sd_metrics_inflight(int delta)
{
    atomic_fetch_add_explicit(&in_flight, delta, memory_order_relaxed);
}

void sd_metrics_kwic_stream(int delta)
{
    atomic_fetch_add_explicit(&kwic_streams, delta, memory_order_relaxed);
}

void sd_metrics_kwic_line(void)
{
    atomic_fetch_add_explicit(&kwic_lines, 1, memory_order_relaxed);
}

static void cache_metrics(ps_buf *b)
{
    sd_cache_stat st;
    sd_cache_stats(&st);
    ps_buf_addf(b,
                "# HELP polsearch_cache_hits_total Searches answered from the answer cache.\n"
                "# TYPE polsearch_cache_hits_total counter\n"
                "polsearch_cache_hits_total %llu\n"
                "# HELP polsearch_cache_misses_total Cacheable searches that were not in it.\n"
                "# TYPE polsearch_cache_misses_total counter\n"
                "polsearch_cache_misses_total %llu\n"
                "# HELP polsearch_cache_evictions_total Answers dropped to make room.\n"
                "# TYPE polsearch_cache_evictions_total counter\n"
                "polsearch_cache_evictions_total %llu\n"
                "# HELP polsearch_cache_bytes Memory the kept answers take.\n"
                "# TYPE polsearch_cache_bytes gauge\n"
                "polsearch_cache_bytes %zu\n"
                "# HELP polsearch_cache_entries Answers kept.\n"
                "# TYPE polsearch_cache_entries gauge\n"
                "polsearch_cache_entries %zu\n",
                st.hits, st.misses, st.evictions, st.bytes, st.entries);
}

static void index_metrics(ps_buf *b)
{
    ps_error err;
    ps_searcher *s;
    uint32_t docs = 0, passages = 0;
    long long updated = 0;
    int up = 0;
    ps_error_clear(&err);
    s = sd_searcher(&err);
    if (s && ps_searcher_stats(s, &docs, &passages, &updated, &err) == PS_OK)
        up = 1;
    ps_buf_adds(b, "# HELP polsearch_index_up Whether the index could be opened.\n"
                   "# TYPE polsearch_index_up gauge\n");
    ps_buf_addf(b, "polsearch_index_up %d\n", up);
    if (!up)
        return;
    ps_buf_addf(b,
                "# HELP polsearch_index_documents Documents in the index (every level).\n"
                "# TYPE polsearch_index_documents gauge\n"
                "polsearch_index_documents %u\n"
                "# HELP polsearch_index_passages Passages in the index.\n"
                "# TYPE polsearch_index_passages gauge\n"
                "polsearch_index_passages %u\n",
                docs, passages);
    if (updated > 0) {
        long long age = (long long)time(NULL) - updated;
        ps_buf_addf(b,
                    "# HELP polsearch_index_age_seconds Seconds since the index was last "
                    "updated.\n"
                    "# TYPE polsearch_index_age_seconds gauge\n"
                    "polsearch_index_age_seconds %lld\n"
                    "# HELP polsearch_index_updated_seconds When the index was last updated "
                    "(Unix time).\n"
                    "# TYPE polsearch_index_updated_seconds gauge\n"
                    "polsearch_index_updated_seconds %lld\n",
                    age < 0 ? 0 : age, updated);
    }
}

/* Resident memory from /proc when there is one. */
static void process_metrics(ps_buf *b)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, resident = 0;
    if (f) {
        if (fscanf(f, "%lu %lu", &size, &resident) == 2) {
            long page = sysconf(_SC_PAGESIZE);
            ps_buf_addf(b,
                        "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
                        "# TYPE process_resident_memory_bytes gauge\n"
                        "process_resident_memory_bytes %lu\n",
                        resident * (unsigned long)(page > 0 ? page : 4096));
        }
        fclose(f);
    }
    if (started)
        ps_buf_addf(b,
                    "# HELP process_start_time_seconds Start time of the process (Unix time).\n"
                    "# TYPE process_start_time_seconds gauge\n"
                    "process_start_time_seconds %lld\n",
                    (long long)started);
}

void sd_metrics_text(ps_buf *b)
{
    size_t e, s, k;
    unsigned long errors = 0;
    ps_buf_adds(b, "# HELP polsearch_http_requests_total HTTP requests answered, by endpoint "
                   "and status.\n"
                   "# TYPE polsearch_http_requests_total counter\n");
    for (e = 0; e < SD_EP_COUNT; e++)
        for (s = 0; s < NSTATUS; s++) {
            unsigned long v = atomic_load_explicit(&requests[e][s], memory_order_relaxed);
            if (!v)
                continue;
            if (s + 1 < NSTATUS)
                ps_buf_addf(b, "polsearch_http_requests_total{endpoint=\"%s\",status=\"%u\"} %lu\n",
                            endpoint_names[e], statuses[s], v);
            else
                ps_buf_addf(b,
                            "polsearch_http_requests_total{endpoint=\"%s\",status=\"other\"} %lu\n",
                            endpoint_names[e], v);
            if (s + 1 == NSTATUS || statuses[s] >= 500)
                errors += v;
        }
    ps_buf_addf(b,
                "# HELP polsearch_http_errors_total Requests answered with a server error "
                "(5xx).\n"
                "# TYPE polsearch_http_errors_total counter\n"
                "polsearch_http_errors_total %lu\n",
                errors);
    ps_buf_addf(b,
                "# HELP polsearch_http_rejected_total Requests the HTTP layer refused or that "
                "ended before an answer (malformed, oversized, timed out).\n"
                "# TYPE polsearch_http_rejected_total counter\n"
                "polsearch_http_rejected_total %lu\n",
                atomic_load_explicit(&rejected, memory_order_relaxed));
    ps_buf_addf(b,
                "# HELP polsearch_http_requests_in_flight Requests being served now.\n"
                "# TYPE polsearch_http_requests_in_flight gauge\n"
                "polsearch_http_requests_in_flight %ld\n",
                atomic_load_explicit(&in_flight, memory_order_relaxed));
    ps_buf_addf(b,
                "# HELP polsearch_kwic_streams Concordance searches queued or running for "
                "/api/kwic.\n"
                "# TYPE polsearch_kwic_streams gauge\n"
                "polsearch_kwic_streams %ld\n"
                "# HELP polsearch_kwic_lines_total Concordance lines found for /api/kwic.\n"
                "# TYPE polsearch_kwic_lines_total counter\n"
                "polsearch_kwic_lines_total %lu\n",
                atomic_load_explicit(&kwic_streams, memory_order_relaxed),
                atomic_load_explicit(&kwic_lines, memory_order_relaxed));
    ps_buf_adds(b, "# HELP polsearch_http_request_duration_seconds Time from the request line "
                   "to the answer sent, by endpoint.\n"
                   "# TYPE polsearch_http_request_duration_seconds histogram\n");
    for (e = 0; e < SD_EP_COUNT; e++) {
        unsigned long cum = 0;
        for (k = 0; k <= NBUCKET; k++) {
            cum += atomic_load_explicit(&latency[e][k], memory_order_relaxed);
            if (k < NBUCKET)
                ps_buf_addf(b,
                            "polsearch_http_request_duration_seconds_bucket{endpoint=\"%s\","
                            "le=\"%g\"} %lu\n",
                            endpoint_names[e], buckets[k], cum);
            else
                ps_buf_addf(b,
                            "polsearch_http_request_duration_seconds_bucket{endpoint=\"%s\","
                            "le=\"+Inf\"} %lu\n",
                            endpoint_names[e], cum);
        }
        ps_buf_addf(b, "polsearch_http_request_duration_seconds_sum{endpoint=\"%s\"} %.6f\n",
                    endpoint_names[e],
                    (double)atomic_load_explicit(&latency_sum_us[e], memory_order_relaxed) /
                        1e6);
        ps_buf_addf(b, "polsearch_http_request_duration_seconds_count{endpoint=\"%s\"} %lu\n",
                    endpoint_names[e], cum);
    }
    index_metrics(b);
    cache_metrics(b);
    sd_jobs_metrics(b);
    process_metrics(b);
}

enum MHD_Result sd_metrics_serve(struct MHD_Connection *c, sd_request *r)
{
    ps_buf b;
    size_t len = 0;
    char *body;
    if (!r->loopback && !r->token)
        return sd_respond_error(c, r, 403, "EDENIED",
                                "metrics are served to local clients and token holders");
    ps_buf_init(&b, 1024 * 1024);
    sd_metrics_text(&b);
    if (b.err) {
        ps_buf_fin(&b);
        return sd_respond_error(c, r, 500, "ENOMEM", "out of memory");
    }
    body = ps_buf_steal(&b, &len);
    return sd_respond(c, r, 200, "text/plain; version=0.0.4; charset=utf-8", body, len, NULL);
}
