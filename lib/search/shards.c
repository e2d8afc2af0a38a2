/*
 * shards.c: an index split into shards, local or served by xapian-tcpsrv,
 * named by a Xapian stub file (lines "auto PATH" and "remote HOST:PORT").
 *
 * Xapian opens a stub by itself, but then one shard that does not answer
 * fails every search. So the searcher reads the stub and adds each shard
 * on its own: a shard that cannot be opened is left out and named in every
 * result's warnings while the others answer; a remote shard that stops
 * answering in the middle of a search is found by probing each one, left
 * out, and the search runs again. Down shards are tried again at most
 * every RETRY_SECONDS, so one that comes back is used again.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "search/internal.h"

#define CONNECT_TIMEOUT_MS 1000  /* a shard host that does not accept */
#define REMOTE_TIMEOUT_MS 10000  /* a shard that accepted but hangs */
#define RETRY_SECONDS 30.0

void ps_shards_free(ps_searcher *s)
{
    size_t i;
    for (i = 0; i < s->n_shards; i++) {
        ps_free(s->shards[i].spec);
        ps_free(s->shards[i].path);
        ps_free(s->shards[i].host);
        ps_free(s->shards[i].why);
    }
    ps_free(s->shards);
    s->shards = NULL;
    s->n_shards = 0;
}

int ps_shards_load(ps_searcher *s, const char *stub, ps_error *err)
{
    char *data = NULL, *line, *end;
    size_t len, dirlen;
    const char *slash = strrchr(stub, '/');
    int rc = ps_read_file(stub, 1 << 20, &data, &len, err);
    if (rc)
        return rc;
    dirlen = slash ? (size_t)(slash - stub) : 0;
    for (line = data; line < data + len; line = end + 1) {
        char *p, *word, *arg;
        ps_shard *sh, *nv;
        end = memchr(line, '\n', (size_t)(data + len - line));
        if (!end)
            end = data + len;
        *end = '\0';
        for (p = line; *p && isspace((unsigned char)*p); p++)
            ;
        if (!*p || *p == '#')
            continue;
        word = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if (*p)
            *p++ = '\0';
        while (*p && isspace((unsigned char)*p))
            p++;
        arg = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        *p = '\0';
        nv = ps_realloc(s->shards, (s->n_shards + 1) * sizeof *nv);
        if (!nv) {
            rc = ps_error_set(err, PS_ENOMEM, "out of memory reading %s", stub);
            break;
        }
        s->shards = nv;
        sh = &s->shards[s->n_shards];
        memset(sh, 0, sizeof *sh);
        if (strcmp(word, "remote") == 0) {
            char *colon = strrchr(arg, ':');
            long port = 0;
            if (!colon || ps_parse_long(colon + 1, 1, 65535, &port)) {
                rc = ps_error_set(err, PS_EFORMAT, "%s: bad remote shard '%s' (want HOST:PORT)",
                                  stub, arg);
                break;
            }
            sh->remote = 1;
            sh->host = ps_strndup(arg, (size_t)(colon - arg));
            sh->port = (unsigned)port;
        } else if (strcmp(word, "auto") == 0 || strcmp(word, "glass") == 0) {
            ps_buf b;
            ps_buf_init(&b, 8192);
            /* relative paths are relative to the stub, as Xapian reads them */
            if (arg[0] != '/' && dirlen)
                ps_buf_addf(&b, "%.*s/", (int)dirlen, stub);
            ps_buf_adds(&b, arg);
            sh->path = ps_buf_steal(&b, NULL);
        } else {
            rc = ps_error_set(err, PS_EFORMAT, "%s: unknown shard kind '%s' (auto or remote)",
                              stub, word);
            break;
        }
        sh->spec = ps_strdup(sh->remote ? arg : sh->path);
        s->n_shards++;
        if (!sh->spec || (sh->remote && !sh->host) || (!sh->remote && !sh->path)) {
            rc = ps_error_set(err, PS_ENOMEM, "out of memory reading %s", stub);
            break;
        }
    }
    ps_free(data);
    if (rc == PS_OK && s->n_shards == 0)
        rc = ps_error_set(err, PS_EFORMAT, "%s names no shard", stub);
    return rc;
}

/* Adds shard sh to db; on failure records why it is down. */
static int add_shard(xc_db *db, ps_shard *sh)
{
    xc_error xe;
    int rc = sh->remote ? xc_db_add_remote(db, sh->host, sh->port, REMOTE_TIMEOUT_MS,
                                           CONNECT_TIMEOUT_MS, &xe)
                        : xc_db_add_path(db, sh->path, &xe);
    ps_free(sh->why);
    sh->why = NULL;
    sh->down = rc != XC_OK;
    sh->checked = ps_now();
    if (rc)
        sh->why = ps_strdup(xe.msg);
    return rc;
}

int ps_shards_open(ps_searcher *s, ps_error *err)
{
    xc_error xe;
    xc_db *db = xc_db_new(&xe);
    size_t i, up = 0;
    if (!db)
        return ps_error_set(err, PS_ENOMEM, "out of memory opening shards");
    for (i = 0; i < s->n_shards; i++)
        if (add_shard(db, &s->shards[i]) == XC_OK)
            up++;
    if (up == 0) {
        xc_db_free(db);
        return ps_error_set(err, PS_ENETWORK, "no shard of %s answers (first: %s: %s)", s->path,
                            s->shards[0].spec, s->shards[0].why ? s->shards[0].why : "?");
    }
    xc_db_free(s->db);
    s->db = db;
    s->epoch++;
    return PS_OK;
}

int ps_shards_recheck(ps_searcher *s, int force, ps_error *err)
{
    size_t i;
    int changed = 0;
    double now = ps_now();
    if (!s->n_shards)
        return PS_OK;
    for (i = 0; i < s->n_shards; i++) {
        ps_shard *sh = &s->shards[i];
        xc_error xe;
        xc_db *probe;
        uint32_t n;
        int was = sh->down;
        if (!force && !sh->down)
            continue;
        if (!force && now - sh->checked < RETRY_SECONDS)
            continue;
        probe = xc_db_new(&xe);
        if (!probe)
            return ps_error_set(err, PS_ENOMEM, "out of memory");
        if (add_shard(probe, sh) == XC_OK && xc_db_doccount(probe, &n, &xe) != XC_OK) {
            sh->down = 1;
            sh->why = ps_strdup(xe.msg);
        }
        xc_db_free(probe);
        if (sh->down != was)
            changed = 1;
    }
    return changed ? ps_shards_open(s, err) : PS_OK;
}

void ps_shards_warn(ps_searcher *s, ps_results *r)
{
    size_t i;
    for (i = 0; i < s->n_shards; i++) {
        if (s->shards[i].down) {
            char msg[512];
            snprintf(msg, sizeof msg, "shard %s did not answer: %s; results are from the others",
                     s->shards[i].spec, s->shards[i].why ? s->shards[i].why : "no reply");
            ps_search_warn(r, msg);
        }
    }
}
