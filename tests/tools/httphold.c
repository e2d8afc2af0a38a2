/*
 * httphold: hostile HTTP clients for the daemon's tests: connections
 * that hold a socket and never finish.
 *
 *   httphold HOST PORT MODE N SECONDS [PATH]
 *
 * MODE
 *   idle    connect and send nothing
 *   slow    send a request line, then one byte of a header each second,
 *           never the blank line that ends the headers (slowloris)
 *   noread  send a whole request for PATH with a tiny receive buffer and
 *           never read the answer, so the daemon cannot finish sending
 *   lateread  the same, but after SECONDS read the whole answer and print
 *           "answer STATUS-LINE BYTES" for each connection
 *
 * Prints "ready N" once the N connections are open (and their bytes
 * sent), holds them SECONDS seconds, then prints "closed-by-server K"
 * (idle and slow) and exits 0. Exit 1 when fewer than N could connect.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "polsearch/util.h"

#define MAX_CONN 4000

static int connect_to(const struct sockaddr_in *sa, int rcvbuf)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    if (rcvbuf > 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    if (connect(fd, (const struct sockaddr *)sa, sizeof *sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int send_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t k = send(fd, s, n, MSG_NOSIGNAL);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        s += k;
        n -= (size_t)k;
    }
    return 0;
}

/* The server closed fd: a read would give EOF (or a reset). Reads
 * without waiting; data from the server (an error answer) is drained. */
static int closed_by_server(int fd)
{
    char buf[4096];
    for (;;) {
        ssize_t k = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (k == 0)
            return 1;
        if (k < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : 1;
    }
}

/* Reads fd to its end; prints the status line and the bytes read. */
static void read_answer(int fd)
{
    char buf[65536], status[128] = "";
    size_t total = 0;
    for (;;) {
        ssize_t k = recv(fd, buf, sizeof buf, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        if (total == 0) {
            size_t m = 0;
            while (m < (size_t)k && m + 1 < sizeof status && buf[m] != '\r' && buf[m] != '\n') {
                status[m] = buf[m];
                m++;
            }
            status[m] = '\0';
        }
        total += (size_t)k;
    }
    printf("answer %s %zu\n", status, total);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    struct sockaddr_in sa;
    long port, n, secs;
    const char *mode, *path;
    int *fds;
    long i, open_n = 0, closed = 0;
    int late = 0;
    char req[2048];
    time_t end;

    if (argc < 6) {
        fprintf(stderr, "usage: httphold HOST PORT idle|slow|noread N SECONDS [PATH]\n");
        return 2;
    }
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1 || ps_parse_long(argv[2], 1, 65535, &port) ||
        ps_parse_long(argv[4], 1, MAX_CONN, &n) || ps_parse_long(argv[5], 0, 3600, &secs)) {
        fprintf(stderr, "httphold: bad arguments\n");
        return 2;
    }
    sa.sin_port = htons((uint16_t)port);
    mode = argv[3];
    path = argc > 6 ? argv[6] : "/healthz";
    if (strcmp(mode, "lateread") == 0)
        late = 1, mode = "noread";
    if (strcmp(mode, "idle") && strcmp(mode, "slow") && strcmp(mode, "noread")) {
        fprintf(stderr, "httphold: MODE is idle, slow, noread or lateread\n");
        return 2;
    }
    fds = calloc((size_t)n, sizeof *fds);
    if (!fds)
        return 1;
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s\r\n%s", path, argv[1],
             strcmp(mode, "noread") == 0 ? "Connection: close\r\n\r\n" : "X-Slow: ");
    for (i = 0; i < n; i++) {
        fds[i] = connect_to(&sa, strcmp(mode, "noread") == 0 ? 1024 : 0);
        if (fds[i] < 0)
            continue;
        open_n++;
        if (strcmp(mode, "idle") != 0 && send_all(fds[i], req, strlen(req)) != 0) {
            close(fds[i]);
            fds[i] = -1;
            open_n--;
        }
    }
    printf("ready %ld\n", open_n);
    fflush(stdout);
    end = time(NULL) + secs;
    while (time(NULL) < end) {
        struct timespec ts = {1, 0};
        nanosleep(&ts, NULL);
        if (strcmp(mode, "slow") == 0)
            for (i = 0; i < n; i++)
                if (fds[i] >= 0 && send(fds[i], "a", 1, MSG_NOSIGNAL) < 0) {
                    close(fds[i]);
                    fds[i] = -2; /* the server hung up */
                }
    }
    for (i = 0; late && i < n; i++)
        if (fds[i] >= 0)
            read_answer(fds[i]);
    for (i = 0; i < n; i++) {
        if (fds[i] == -2 || (fds[i] >= 0 && strcmp(mode, "noread") != 0 && closed_by_server(fds[i])))
            closed++;
        if (fds[i] >= 0)
            close(fds[i]);
    }
    if (strcmp(mode, "noread") != 0)
        printf("closed-by-server %ld\n", closed);
    free(fds);
    return open_n == n ? 0 : 1;
}
