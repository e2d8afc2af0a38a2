/*
 * static.c: the files of web/ at /, and nothing else.
 *
 * Defence in depth against paths that climb out of the web root: the
 * still-encoded path may not hold encoded dots, slashes, backslashes or
 * NUL ("%2e%2e", "%2f", "%5c", "%00": no browser sends them for a page's
 * own files); the decoded path may not hold "." or ".." segments, hidden
 * names or backslashes; and the file found is resolved with realpath()
 * and must lie under the resolved root. Only the types listed are
 * served, each with its Content-Type, so nothing is left to sniffing.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "searchd/searchd.h"

typedef struct ftype {
    const char *ext;
    const char *ctype;
    int revalidate; /* the app's own code and pages: always revalidate */
} ftype;

static const ftype types[] = {
    {"html", "text/html; charset=utf-8", 1},
    {"js", "text/javascript; charset=utf-8", 1},
    {"mjs", "text/javascript; charset=utf-8", 1},
    {"css", "text/css; charset=utf-8", 1},
    {"json", "application/json; charset=utf-8", 1},
    {"webmanifest", "application/manifest+json; charset=utf-8", 1},
    {"txt", "text/plain; charset=utf-8", 1},
    {"svg", "image/svg+xml", 0},
    {"png", "image/png", 0},
    {"ico", "image/x-icon", 0},
    {"woff2", "font/woff2", 0},
};

static const ftype *type_of(const char *path)
{
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    size_t i;
    if (!dot || (slash && dot < slash))
        return NULL;
    for (i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcasecmp(dot + 1, types[i].ext) == 0)
            return &types[i];
    return NULL;
}

char *sd_static_default_root(void)
{
    char exe[PATH_MAX], cand[PATH_MAX + 64];
    static const char *const rel[] = {"/../web", "/../share/polsearch/web"};
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    size_t i;
    char *slash;
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    if (!(slash = strrchr(exe, '/')))
        return NULL;
    *slash = '\0'; /* the binary's folder */
    for (i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        struct stat st;
        snprintf(cand, sizeof cand, "%s%s", exe, rel[i]);
        if (stat(cand, &st) == 0 && S_ISDIR(st.st_mode))
            return realpath(cand, NULL);
    }
    return NULL;
}

/* Encoded forms no page of ours asks for, each a way to smuggle a dot,
 * a separator or a NUL past a naive check. */
static int has_smuggled_escape(const char *p)
{
    for (; (p = strchr(p, '%')); p++) {
        if (!p[1] || !p[2])
            return 1;
        if ((p[1] == '2' && (p[2] == 'e' || p[2] == 'E' || p[2] == 'f' || p[2] == 'F')) ||
            (p[1] == '5' && (p[2] == 'c' || p[2] == 'C')) || (p[1] == '0' && p[2] == '0'))
            return 1;
    }
    return 0;
}

/* "." and ".." segments and hidden names ("/.git"). */
static int bad_segment(const char *p)
{
    while (*p) {
        const char *e;
        while (*p == '/')
            p++;
        e = strchr(p, '/');
        if (!e)
            e = p + strlen(p);
        if (e > p && p[0] == '.')
            return 1;
        p = e;
    }
    return 0;
}

enum MHD_Result sd_static_serve(struct MHD_Connection *c, sd_request *r)
{
    const char *root = sd_cfg.web_root;
    const ftype *ft;
    char *dec, *want, *real = NULL;
    size_t n = strlen(r->path), rl;
    long k;
    int fd;
    struct stat st;
    char etag[96];
    const char *inm;
    struct MHD_Response *resp;
    const char *extra[7];

    if (!root)
        return sd_respond_error(c, r, 404, "ENOTFOUND", "no web folder is served");
    if (has_smuggled_escape(r->path) || strchr(r->path, '\\'))
        return sd_respond_error(c, r, 400, "EINVAL", "bad path");
    dec = ps_arena_alloc(r->arena, n + 1);
    if (!dec)
        return sd_respond_error(c, r, 500, "ENOMEM", "out of memory");
    k = sd_percent_decode(r->path, n, 0, dec);
    if (k < 0 || memchr(dec, '\0', (size_t)k) || strchr(dec, '\\'))
        return sd_respond_error(c, r, 400, "EINVAL", "bad path");
    if (bad_segment(dec))
        return sd_respond_error(c, r, 400, "EINVAL", "bad path");
    rl = strlen(root);
    want = ps_arena_sprintf(r->arena, "%s%s%s", root, dec,
                            (size_t)k > 0 && dec[k - 1] == '/' ? "index.html" : "");
    if (!want)
        return sd_respond_error(c, r, 500, "ENOMEM", "out of memory");
    real = realpath(want, NULL);
    if (real && stat(real, &st) == 0 && S_ISDIR(st.st_mode)) {
        char *idx = ps_arena_sprintf(r->arena, "%s/index.html", real);
        free(real);
        real = idx ? realpath(idx, NULL) : NULL;
    }
    /* the file must lie under the root, symlinks resolved */
    if (!real || strncmp(real, root, rl) != 0 || real[rl] != '/' || !(ft = type_of(real))) {
        free(real);
        return sd_respond_error(c, r, 404, "ENOTFOUND", "not found");
    }
    fd = open(real, O_RDONLY | O_CLOEXEC);
    free(real);
    if (fd < 0)
        return sd_respond_error(c, r, 404, "ENOTFOUND", "not found");
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > SD_STATIC_MAX) {
        close(fd);
        return sd_respond_error(c, r, 404, "ENOTFOUND", "not found");
    }
    snprintf(etag, sizeof etag, "\"%llx-%llx-%llx\"", (unsigned long long)st.st_ino,
             (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtim.tv_sec * 1000000000ULL +
                 (unsigned long long)st.st_mtim.tv_nsec);
    extra[0] = "ETag";
    extra[1] = etag;
    extra[2] = "Cache-Control";
    extra[3] = ft->revalidate ? "no-cache" : "public, max-age=86400";
    extra[4] = NULL;
    inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (inm && strstr(inm, etag)) {
        close(fd);
        resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        if (!resp)
            return MHD_NO;
        /* the same headers as the 200: a browser merges a 304's headers
         * into its cached answer, and a page's CSP must stay the page's */
        return sd_queue(c, r, 304, resp, ft->ctype, 0, extra);
    }
    resp = MHD_create_response_from_fd64((uint64_t)st.st_size, fd);
    if (!resp) {
        close(fd);
        return MHD_NO;
    }
    return sd_queue(c, r, 200, resp, ft->ctype, (size_t)st.st_size, extra);
}
