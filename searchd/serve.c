/*
 * serve.c: `polsearch serve`, the HTTP daemon: flags, start-up, signals
 * and the graceful shutdown.
 *
 * The main thread starts libmicrohttpd's thread pool and then only waits
 * for SIGTERM or SIGINT (blocked in every thread, taken with sigwait, so
 * no handler runs at an awkward moment). On the signal it stops accepting
 * (MHD_quiesce_daemon), lets the requests begun finish for up to
 * GRACE_SECONDS, then stops the pool and exits 0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "searchd/searchd.h"

/* How long a shutdown waits for requests begun to finish. */
#define GRACE_SECONDS 10
/* Per-connection memory for the request line and headers: room for a q
 * of SD_QUERY_MAX bytes plus ordinary headers; larger requests get MHD's
 * 414 or 431. */
#define CONNECTION_MEMORY (128u * 1024)

static const char help[] =
    "usage: polsearch serve [--db DIR] [--listen ADDR] [--port N] [--threads N]\n"
    "                       [--web DIR] [--tokens FILE] [--log FILE|-] [options]\n"
    "       polsearch serve --hash-token < token\n"
    "\n"
    "Serves the search API (docs/HTTP.md) and the web page over HTTP.\n"
    "\n"
    "options:\n"
    "  --db DIR             the index (default $POLSEARCH_DB or ./polsearch.db)\n"
    "  --listen ADDR        address to listen on (default 127.0.0.1; :: for IPv6)\n"
    "  --port N             port (default 8080; 0 picks a free one, printed at start)\n"
    "  --threads N          worker threads that answer the API, each with its own\n"
    "                       searcher, and as many connection threads (default: cores)\n"
    "  --web DIR            the web page's folder (default: web/ beside the binary's\n"
    "                       folder, else PREFIX/share/polsearch/web)\n"
    "  --tokens FILE        access tokens: lines \"LEVEL SHA256-HEX [name]\"; without\n"
    "                       it every reader sees public documents only\n"
    "  --log FILE|-         access log (default stderr; - for stdout)\n"
    "  --max-connections N  open connections at most (default 1000)\n"
    "  --max-per-ip N       open connections per client address (default 0: no limit)\n"
    "  --max-inflight N     requests served at once before 429 (default 256)\n"
    "  --timeout SECS       close connections idle this long (default 15)\n"
    "  --cache-mb N         memory for answers of /api/search kept per index revision\n"
    "                       (default 64; 0: no cache)\n"
    "  --hash-token         read a token on stdin, print its SHA-256 for --tokens\n"
    "  -h, --help           this help\n"
    "\n"
    "SIGTERM or SIGINT: stop accepting, finish the requests begun, exit 0.\n";

static void mhd_logger(void *cls, const char *fmt, va_list ap) PS_PRINTF(2, 0);
static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
    char msg[512];
    size_t n;
    (void)cls;
    vsnprintf(msg, sizeof msg, fmt, ap);
    n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    fprintf(stderr, "polsearch serve: http: %s\n", msg);
}

static int hash_token(void)
{
    char buf[SD_TOKEN_MAX + 2], hex[65];
    size_t n = fread(buf, 1, sizeof buf, stdin);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
        n--;
    if (n == 0) {
        cli_error("serve --hash-token: give the token on stdin");
        return EXIT_USAGE;
    }
    if (n > SD_TOKEN_MAX || memchr(buf, '\n', n)) {
        cli_error("serve --hash-token: a token is one line of at most %d bytes", SD_TOKEN_MAX);
        return EXIT_USAGE;
    }
    if (n < 20)
        cli_error("warning: a token this short can be guessed; use 32 random characters");
    sd_sha256_hex(buf, n, hex);
    printf("%s\n", hex);
    return EXIT_OK;
}

/* --listen ADDR --port N as a socket address. */
static int make_address(const char *listen_addr, unsigned port, struct sockaddr_storage *ss,
                        int *v6)
{
    struct sockaddr_in *in = (struct sockaddr_in *)(void *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)(void *)ss;
    memset(ss, 0, sizeof *ss);
    if (inet_pton(AF_INET, listen_addr, &in->sin_addr) == 1) {
        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t)port);
        *v6 = 0;
        return 0;
    }
    if (inet_pton(AF_INET6, listen_addr, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        *v6 = 1;
        return 0;
    }
    return -1;
}

/* Room for the connections asked for: raises the soft limit on open
 * files when it is lower; returns the connections that fit. */
static unsigned fit_connections(unsigned want, unsigned threads)
{
    struct rlimit rl;
    rlim_t need = (rlim_t)want + 64 + (rlim_t)threads * 16;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return want;
    if (rl.rlim_cur < need) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur < need) {
        rlim_t fit = rl.rlim_cur > 64 + (rlim_t)threads * 16 + 16
                         ? rl.rlim_cur - 64 - (rlim_t)threads * 16
                         : 16;
        cli_error("warning: the open-file limit allows %lu connections, not %u",
                  (unsigned long)fit, want);
        return (unsigned)fit;
    }
    return want;
}

static int parse_num(const char *opt, const char *v, long lo, long hi, long *out)
{
    if (ps_parse_long(v, lo, hi, out)) {
        cli_usage_error("serve", "%s takes a number from %ld to %ld", opt, lo, hi);
        return -1;
    }
    return 0;
}

typedef struct serve_opts {
    const char *db, *listen, *web, *tokens, *log;
    long port, threads, max_conn, max_per_ip, max_inflight, timeout, cache_mb;
    int hash_token;
} serve_opts;

static int parse_args(int argc, char **argv, serve_opts *o)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'L'},
        {"port", required_argument, NULL, 'p'},
        {"threads", required_argument, NULL, 't'},
        {"web", required_argument, NULL, 'w'},
        {"tokens", required_argument, NULL, 'k'},
        {"log", required_argument, NULL, 'l'},
        {"max-connections", required_argument, NULL, 'c'},
        {"max-per-ip", required_argument, NULL, 'i'},
        {"max-inflight", required_argument, NULL, 'f'},
        {"timeout", required_argument, NULL, 'T'},
        {"cache-mb", required_argument, NULL, 'C'},
        {"hash-token", no_argument, NULL, 'H'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    memset(o, 0, sizeof *o);
    o->listen = "127.0.0.1";
    o->port = 8080;
    o->threads = cores > 0 ? (cores < 64 ? cores : 64) : 2;
    o->max_conn = 1000;
    o->max_inflight = 256;
    o->timeout = 15;
    o->cache_mb = 64;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'L': o->listen = optarg; break;
        case 'p':
            if (parse_num("--port", optarg, 0, 65535, &o->port))
                return EXIT_USAGE;
            break;
        case 't':
            if (parse_num("--threads", optarg, 1, 256, &o->threads))
                return EXIT_USAGE;
            break;
        case 'w': o->web = optarg; break;
        case 'k': o->tokens = optarg; break;
        case 'l': o->log = optarg; break;
        case 'c':
            if (parse_num("--max-connections", optarg, 1, 1000000, &o->max_conn))
                return EXIT_USAGE;
            break;
        case 'i':
            if (parse_num("--max-per-ip", optarg, 0, 1000000, &o->max_per_ip))
                return EXIT_USAGE;
            break;
        case 'f':
            if (parse_num("--max-inflight", optarg, 1, 1000000, &o->max_inflight))
                return EXIT_USAGE;
            break;
        case 'T':
            if (parse_num("--timeout", optarg, 1, 3600, &o->timeout))
                return EXIT_USAGE;
            break;
        case 'C':
            if (parse_num("--cache-mb", optarg, 0, 1000000, &o->cache_mb))
                return EXIT_USAGE;
            break;
        case 'H': o->hash_token = 1; break;
        case 'h': fputs(help, stdout); return -1;
        default: return cli_bad_option("serve", c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error("serve", "unexpected argument %s", argv[optind]);
    return EXIT_OK;
}

/* Waits for SIGTERM/SIGINT; then for the requests begun, up to the grace
 * time or a second signal. */
static void wait_for_stop(struct MHD_Daemon *d, const sigset_t *set)
{
    int sig = 0;
    double until;
    MHD_socket ls;
    struct timespec tick = {0, 20 * 1000 * 1000};
    while (sigwait(set, &sig) != 0)
        ;
    fprintf(stderr, "polsearch serve: %s: finishing %u requests\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM", sd_requests_active());
    ls = MHD_quiesce_daemon(d);
    if (ls != MHD_INVALID_SOCKET)
        close(ls);
    until = ps_now() + GRACE_SECONDS;
    while (sd_requests_active() > 0 && ps_now() < until) {
        if (sigtimedwait(set, NULL, &tick) > 0) {
            fprintf(stderr, "polsearch serve: second signal: stopping now\n");
            break;
        }
    }
}

int cmd_serve(int argc, char **argv)
{
    serve_opts o;
    struct sockaddr_storage addr;
    struct MHD_Daemon *d;
    sd_tokens *tokens = NULL;
    const union MHD_DaemonInfo *info;
    sigset_t set;
    ps_error err;
    ps_searcher *probe = NULL;
    int v6 = 0, rc;
    unsigned port, max_conn;
    FILE *log = stderr;

    rc = parse_args(argc, argv, &o);
    if (rc < 0)
        return EXIT_OK; /* --help */
    if (rc)
        return rc;
    if (o.hash_token)
        return hash_token();
    if (make_address(o.listen, (unsigned)o.port, &addr, &v6))
        return cli_usage_error("serve", "--listen takes an IPv4 or IPv6 address, not %s",
                               o.listen);

    memset(&sd_cfg, 0, sizeof sd_cfg);
    sd_cfg.db = cli_db_path(o.db);
    sd_cfg.max_inflight = (unsigned)o.max_inflight;
    sd_cfg.stream_threads = (unsigned)o.threads;
    if (o.tokens) {
        if (sd_tokens_load(o.tokens, &tokens, &err)) {
            cli_error("%s", err.msg);
            return EXIT_FAIL;
        }
        sd_cfg.tokens = tokens;
    }
    if (o.web) {
        sd_cfg.web_root = realpath(o.web, NULL);
        if (!sd_cfg.web_root) {
            cli_error("--web %s: %s", o.web, strerror(errno));
            sd_tokens_free(tokens);
            return EXIT_FAIL;
        }
    } else {
        sd_cfg.web_root = sd_static_default_root();
        if (!sd_cfg.web_root)
            cli_error("warning: no web folder found (give --web DIR): serving the API only");
    }
    if (o.log && strcmp(o.log, "-") == 0) {
        log = stdout;
    } else if (o.log) {
        log = fopen(o.log, "a");
        if (!log) {
            cli_error("--log %s: %s", o.log, strerror(errno));
            free(sd_cfg.web_root);
            sd_tokens_free(tokens);
            return EXIT_FAIL;
        }
    }
    sd_cfg.log = log;

    /* a missing index is not fatal: the daemon answers 503 until one is
     * built, then serves it without a restart */
    if (ps_searcher_open(sd_cfg.db, &probe, &err))
        cli_error("warning: %s; answering 503 until there is one", err.msg);
    ps_searcher_close(probe);

    max_conn = fit_connections((unsigned)o.max_conn, (unsigned)o.threads);
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* the worker threads inherit it */
    signal(SIGPIPE, SIG_IGN);
    if (sd_api_init() || sd_kwic_init()) {
        cli_error("cannot create the thread-local key");
        return EXIT_FAIL;
    }
    if (sd_jobs_init((size_t)o.threads)) {
        cli_error("cannot start %ld worker threads", o.threads);
        return EXIT_FAIL;
    }
    sd_metrics_init();
    sd_cache_init((size_t)o.cache_mb * 1024 * 1024);

    d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC | MHD_USE_ERROR_LOG |
            MHD_ALLOW_SUSPEND_RESUME | (v6 ? MHD_USE_IPv6 : 0),
        (uint16_t)o.port, NULL, NULL, sd_request_handle, NULL,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)o.threads,
        MHD_OPTION_CONNECTION_LIMIT, max_conn,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)o.max_per_ip,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o.timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
        MHD_OPTION_URI_LOG_CALLBACK, sd_request_begin, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, sd_request_end, NULL,
        MHD_OPTION_NOTIFY_CONNECTION, sd_connection_notify, NULL,
        MHD_OPTION_END);
    if (!d) {
        cli_error("cannot listen on %s port %ld: %s", o.listen, o.port,
                  errno ? strerror(errno) : "libmicrohttpd refused the options");
        sd_jobs_fin();
        if (log != stderr && log != stdout)
            fclose(log);
        free(sd_cfg.web_root);
        sd_tokens_free(tokens);
        return EXIT_FAIL;
    }
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    port = info ? info->port : (unsigned)o.port;
    fprintf(stderr,
            "polsearch serve: listening on http://%s%s%s:%u/ (%ld threads, index %s, web %s, "
            "%s)\n",
            v6 ? "[" : "", o.listen, v6 ? "]" : "", port, o.threads, sd_cfg.db,
            sd_cfg.web_root ? sd_cfg.web_root : "none",
            tokens ? "tokens configured" : "public access only");
    fflush(stderr);

    wait_for_stop(d, &set);
    /* concordances still streaming end now; MHD may not stop while a
     * connection waits suspended for their lines */
    sd_kwic_cancel_all();
    sd_jobs_fin();
    MHD_stop_daemon(d);
    sd_kwic_fin();
    sd_cache_free();
    fprintf(stderr, "polsearch serve: stopped\n");
    if (log != stderr && log != stdout)
        fclose(log);
    else
        fflush(log);
    free(sd_cfg.web_root);
    sd_tokens_free(tokens);
    return EXIT_OK;
}
