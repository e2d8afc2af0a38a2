/*
 * auth.c: bearer tokens and the access level they grant.
 *
 * The token file holds no token, only SHA-256 digests: a copy of the
 * file (a backup, a config repository) gives nobody a way in. Tokens are
 * long random strings, so an unsalted fast hash is enough; what matters
 * is that the daemon compares digests, each one in constant time
 * (nettle's memeql_sec), and always all of them, so the time taken says
 * nothing about how close a guess came or which entry matched.
 *
 * File format, one entry a line, '#' starts a comment:
 *     LEVEL SHA256-HEX [name]
 * LEVEL is public, internal, restricted or secret; name (a word) shows in
 * the access log instead of the token.
 */
#include <errno.h>
#include <fcntl.h>
#include <nettle/memops.h>
#include <nettle/sha2.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "polsearch/doc.h"
#include "searchd/searchd.h"

#define TOKENS_FILE_MAX (1024 * 1024)
#define TOKENS_MAX 1024
#define NAME_MAX_LEN 64

typedef struct sd_token {
    int level;
    uint8_t digest[SHA256_DIGEST_SIZE];
    char name[NAME_MAX_LEN + 1];
} sd_token;

struct sd_tokens {
    sd_token *items;
    size_t n;
};

void sd_sha256_hex(const char *s, size_t len, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    struct sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_SIZE];
    size_t i;
    sha256_init(&ctx);
    sha256_update(&ctx, len, (const uint8_t *)s);
    sha256_digest(&ctx, sizeof d, d);
    for (i = 0; i < sizeof d; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[64] = '\0';
}

static int unhex(const char *s, size_t n, uint8_t *out)
{
    size_t i;
    if (n != 2 * SHA256_DIGEST_SIZE)
        return -1;
    for (i = 0; i < n; i += 2) {
        int hi = ps_hexdigit((unsigned char)s[i]), lo = ps_hexdigit((unsigned char)s[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i / 2] = (uint8_t)(hi * 16 + lo);
    }
    return 0;
}

/* The next blank-separated word of *p (not past end); NULL at the end. */
static const char *word(const char **p, const char *end, size_t *len)
{
    const char *s = *p, *w;
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
        s++;
    if (s >= end) {
        *p = s;
        return NULL;
    }
    w = s;
    while (s < end && *s != ' ' && *s != '\t' && *s != '\r')
        s++;
    *len = (size_t)(s - w);
    *p = s;
    return w;
}

static int parse_line(const char *s, const char *end, sd_token *t, const char *path,
                      unsigned lineno, ps_error *err)
{
    const char *w;
    size_t n = 0;
    char level[16];
    if (!(w = word(&s, end, &n)))
        return -1; /* a blank line or a comment */
    if (n >= sizeof level)
        return ps_error_set(err, PS_EFORMAT, "%s:%u: unknown level", path, lineno);
    memcpy(level, w, n);
    level[n] = '\0';
    if ((t->level = ps_access_parse(level)) < 0)
        return ps_error_set(err, PS_EFORMAT,
                            "%s:%u: unknown level %s (public, internal, restricted, secret)",
                            path, lineno, level);
    if (!(w = word(&s, end, &n)) || unhex(w, n, t->digest))
        return ps_error_set(err, PS_EFORMAT,
                            "%s:%u: expected LEVEL SHA256-HEX [name] (64 hex digits; "
                            "`polsearch serve --hash-token` makes them)",
                            path, lineno);
    t->name[0] = '\0';
    if ((w = word(&s, end, &n))) {
        if (n > NAME_MAX_LEN)
            n = NAME_MAX_LEN;
        memcpy(t->name, w, n);
        t->name[n] = '\0';
    } else {
        snprintf(t->name, sizeof t->name, "line%u", lineno);
    }
    if (word(&s, end, &n))
        return ps_error_set(err, PS_EFORMAT, "%s:%u: the name must be one word", path, lineno);
    return 0;
}

int sd_tokens_load(const char *path, sd_tokens **out, ps_error *err)
{
    struct stat st;
    char *data = NULL;
    size_t len = 0;
    const char *p, *end;
    unsigned lineno = 0;
    sd_tokens *t;
    int rc;

    *out = NULL;
    if (stat(path, &st) != 0)
        return ps_error_set(err, PS_ENOTFOUND, "cannot read the token file %s: %s", path,
                            strerror(errno));
    if (!S_ISREG(st.st_mode))
        return ps_error_set(err, PS_EINVAL, "the token file %s is not a regular file", path);
    if (st.st_mode & S_IWOTH)
        return ps_error_set(err, PS_EDENIED,
                            "the token file %s is writable by others: chmod o-w it first", path);
    if ((rc = ps_read_file(path, TOKENS_FILE_MAX, &data, &len, err)))
        return rc;
    t = ps_calloc(1, sizeof *t);
    if (!t || !(t->items = ps_calloc(TOKENS_MAX, sizeof *t->items))) {
        ps_free(t);
        ps_free(data);
        return ps_error_set(err, PS_ENOMEM, "out of memory");
    }
    p = data;
    end = data + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end, *hash = memchr(p, '#', (size_t)(le - p));
        lineno++;
        if (t->n == TOKENS_MAX) {
            rc = ps_error_set(err, PS_ETOOBIG, "%s: more than %d tokens", path, TOKENS_MAX);
            break;
        }
        rc = parse_line(p, hash ? hash : le, &t->items[t->n], path, lineno, err);
        if (rc > 0)
            break;
        if (rc == 0)
            t->n++;
        rc = PS_OK;
        p = le + 1;
    }
    ps_free(data);
    if (rc) {
        sd_tokens_free(t);
        return rc;
    }
    *out = t;
    return PS_OK;
}

void sd_tokens_free(sd_tokens *t)
{
    if (!t)
        return;
    if (t->items)
        memset(t->items, 0, TOKENS_MAX * sizeof *t->items);
    ps_free(t->items);
    ps_free(t);
}

int sd_tokens_level(const sd_tokens *t, const char *token, size_t len, const char **name)
{
    struct sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_SIZE];
    size_t i;
    int level = PS_ACCESS_PUBLIC;
    *name = NULL;
    if (!t || !token || len == 0)
        return level;
    sha256_init(&ctx);
    sha256_update(&ctx, len, (const uint8_t *)token);
    sha256_digest(&ctx, sizeof d, d);
    for (i = 0; i < t->n; i++) {
        int eq = memeql_sec(d, t->items[i].digest, sizeof d);
        /* the highest level among the entries that match */
        if (eq && t->items[i].level >= level) {
            level = t->items[i].level;
            *name = t->items[i].name;
        }
    }
    return level;
}
