/*
 * peer_groonga: Groonga (Debian's groonga-bin) through its `groonga`
 * command, on the shared corpus cut into articles (bench/peer.h), for
 * bench/run-peers.sh.
 *
 *   peer_groonga --data DIR --work DIR [--variants given,nodiac]
 *
 * Setup, as Groonga's tutorial has it: a TABLE_NO_KEY table of articles
 * (doc, article, body LongText) loaded as JSON, then a lexicon with
 * TokenBigram and NormalizerAuto and a COLUMN_INDEX|WITH_POSITION on
 * body. The index is built after the load (Groonga's "static index
 * construction", its fastest bulk path: 2.6 CPU s against 4.0 s for an
 * index defined before the load, on this corpus). TokenBigram keeps runs
 * of letters whole, so Vietnamese is indexed by syllable; NormalizerAuto
 * folds case but keeps diacritics.
 *
 * Indexing is timed as the driver reading and cutting the corpus plus
 * the `groonga -n DB < load` process (its CPU time); writing the load
 * file, the driver's own JSON, is left out.
 *
 * Queries go to one long-lived `groonga DB` process over a pipe, one
 * select a line: Groonga's query syntax joins bare words with AND, so
 * the words are quoted and OR-ed as for FTS5, ranked by -_score (Groonga's
 * default score: matched token counts, no IDF, no length norm). The
 * latency is the elapsed time Groonga reports in each response (the query
 * inside the server, without the pipe). Documents: a drilldown on doc
 * keeping each law's best article score (calc_types MAX).
 */
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "peer.h"

extern char **environ;

typedef struct groonga {
    peer_engine *engine; /* to report the driver's own time (untimed) */
    char dir[4096];
    char db[4200];
    pid_t pid;
    FILE *in, *out;
    ps_buf q, cmd;
    char *line;
    size_t cap;
} groonga;

/* Runs argv with stdin from in_path and stdout to out_path; its exit
 * status, or -1. */
static int run_program(char *const argv[], const char *in_path, const char *out_path)
{
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int st = -1;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, in_path, O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
        fprintf(stderr, "peer_groonga: cannot run %s: %s\n", argv[0], strerror(errno));
        posix_spawn_file_actions_destroy(&fa);
        return -1;
    }
    posix_spawn_file_actions_destroy(&fa);
    if (waitpid(pid, &st, 0) < 0)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Writes the schema, the articles as one JSON load, and the index. */
static int write_load(const peer_corpus *c, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "peer_groonga: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    fputs("table_create Articles TABLE_NO_KEY\n"
          "column_create Articles doc COLUMN_SCALAR ShortText\n"
          "column_create Articles article COLUMN_SCALAR ShortText\n"
          "column_create Articles body COLUMN_SCALAR LongText\n"
          "load --table Articles\n[\n",
          f);
    for (size_t i = 0; i < c->n_units; i++) {
        const peer_unit *u = &c->units[i];
        json_t *o = json_object();
        char *s;
        json_object_set_new(o, "doc", json_string(c->docs[u->doc].id));
        json_object_set_new(o, "article", json_string(u->article));
        json_object_set_new(o, "body", json_stringn(u->text, u->len));
        s = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        if (!s) {
            fclose(f);
            return -1;
        }
        fprintf(f, "%s%s\n", s, i + 1 < c->n_units ? "," : "");
        free(s);
    }
    fputs("]\n"
          "table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer TokenBigram "
          "--normalizer NormalizerAuto\n"
          "column_create Terms articles_body COLUMN_INDEX|WITH_POSITION Articles body\n",
          f);
    return fclose(f) == 0 ? 0 : -1;
}

/* Every response of the load must start with return code 0. */
static int load_ok(const char *path)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    int ok = f != NULL, n = 0;
    while (f && getline(&line, &cap, f) > 0) {
        n++;
        if (strncmp(line, "[[0,", 4) != 0) {
            fprintf(stderr, "peer_groonga: load: %.300s", line);
            ok = 0;
        }
    }
    free(line);
    if (f)
        fclose(f);
    return ok && n > 0;
}

/* Starts `groonga DB` with its stdin and stdout on pipes. */
static int start_server(groonga *g)
{
    int to[2], from[2];
    posix_spawn_file_actions_t fa;
    char *argv[] = {"groonga", g->db, NULL};
    if (pipe(to) || pipe(from))
        return -1;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, to[0], 0);
    posix_spawn_file_actions_adddup2(&fa, from[1], 1);
    posix_spawn_file_actions_addclose(&fa, to[1]);
    posix_spawn_file_actions_addclose(&fa, from[0]);
    if (posix_spawnp(&g->pid, argv[0], &fa, NULL, argv, environ) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        return -1;
    }
    posix_spawn_file_actions_destroy(&fa);
    close(to[0]);
    close(from[1]);
    g->in = fdopen(to[1], "w");
    g->out = fdopen(from[0], "r");
    return g->in && g->out ? 0 : -1;
}

static int build(void *ctx, const peer_corpus *c, const char *work)
{
    groonga *g = ctx;
    char load[4200], out[4200];
    double t;
    snprintf(g->dir, sizeof g->dir, "%s/groonga", work);
    snprintf(g->db, sizeof g->db, "%s/db", g->dir);
    snprintf(load, sizeof load, "%s/load.grn", work);
    snprintf(out, sizeof out, "%s/load.out", work);
    if (peer_mkdir(g->dir))
        return -1;
    t = peer_cpu_now();
    if (write_load(c, load))
        return -1;
    g->engine->untimed += peer_cpu_now() - t; /* the driver's JSON, not Groonga's */
    {
        char *argv[] = {"groonga", "-n", g->db, NULL};
        if (run_program(argv, load, out) != 0 || !load_ok(out))
            return -1;
    }
    remove(load);
    ps_buf_init(&g->q, 0);
    ps_buf_init(&g->cmd, 0);
    return start_server(g);
}

static unsigned long long size(void *ctx, const char *work)
{
    groonga *g = ctx;
    (void)work;
    return peer_disk_bytes(g->dir);
}

/* Appends s percent-encoded (the /d/select?... form of a command). */
static void url_encode(ps_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.') {
            ps_buf_addc(b, (char)c);
        } else {
            ps_buf_addc(b, '%');
            ps_buf_addc(b, hex[c >> 4]);
            ps_buf_addc(b, hex[c & 15]);
        }
    }
}

/* Sends one select for query with the given extra parameters and reads
 * its response: the body (borrowed from *root, which the caller frees
 * with json_decref) and Groonga's elapsed milliseconds. */
static json_t *select_cmd(groonga *g, const char *query, const char *params, json_t **root,
                          double *elapsed_ms)
{
    json_error_t je;
    json_t *head, *rc;
    ssize_t n;
    *root = NULL;
    ps_buf_reset(&g->q);
    peer_or_query(query, &g->q, "\\\"", "\\\\");
    ps_buf_reset(&g->cmd);
    ps_buf_adds(&g->cmd, "/d/select?table=Articles&match_columns=body&query=");
    url_encode(&g->cmd, g->q.len ? ps_buf_cstr(&g->q) : "\"\"");
    ps_buf_adds(&g->cmd, params);
    ps_buf_addc(&g->cmd, '\n');
    if (fwrite(g->cmd.data, 1, g->cmd.len, g->in) != g->cmd.len || fflush(g->in) != 0)
        return NULL;
    if ((n = getline(&g->line, &g->cap, g->out)) <= 0)
        return NULL;
    /* [[rc, start, elapsed(, message)], body] */
    if (!(*root = json_loadb(g->line, (size_t)n, 0, &je)) ||
        !(head = json_array_get(*root, 0)) || !(rc = json_array_get(head, 0)) ||
        json_integer_value(rc) != 0) {
        fprintf(stderr, "peer_groonga: select: %.300s\n", g->line);
        return NULL;
    }
    *elapsed_ms = json_number_value(json_array_get(head, 2)) * 1000.0;
    return json_array_get(*root, 1);
}

static int articles(void *ctx, const char *query, peer_hit *hits, size_t max, size_t *n,
                    double *engine_ms)
{
    groonga *g = ctx;
    char params[128];
    json_t *root, *body, *rows;
    *n = 0;
    snprintf(params, sizeof params, "&output_columns=doc,article&sortby=-_score&limit=%zu",
             max);
    if (!(body = select_cmd(g, query, params, &root, engine_ms))) {
        json_decref(root);
        return -1;
    }
    /* body: [[[total], [[name, type]...], row, row...]] */
    rows = json_array_get(body, 0);
    for (size_t i = 2; i < json_array_size(rows) && *n < max; i++) {
        json_t *r = json_array_get(rows, i);
        const char *d = json_string_value(json_array_get(r, 0));
        const char *a = json_string_value(json_array_get(r, 1));
        snprintf(hits[*n].doc, PEER_ID_MAX, "%s", d ? d : "");
        snprintf(hits[*n].article, PEER_ART_MAX, "%s", a ? a : "");
        (*n)++;
    }
    json_decref(root);
    return 0;
}

static int documents(void *ctx, const char *query, char (*docs)[PEER_ID_MAX], size_t max,
                     size_t *n)
{
    groonga *g = ctx;
    char params[512];
    double ms;
    json_t *root, *body, *rows;
    *n = 0;
    snprintf(params, sizeof params,
             "&limit=0&drilldowns%%5Bd%%5D.keys=doc"
             "&drilldowns%%5Bd%%5D.calc_types=MAX&drilldowns%%5Bd%%5D.calc_target=_score"
             "&drilldowns%%5Bd%%5D.sort_keys=-_max&drilldowns%%5Bd%%5D.output_columns=_key"
             "&drilldowns%%5Bd%%5D.limit=%zu",
             max);
    if (!(body = select_cmd(g, query, params, &root, &ms))) {
        json_decref(root);
        return -1;
    }
    /* body: [[[total], columns], {"d": [[count], columns, [key], ...]}] */
    rows = json_object_get(json_array_get(body, 1), "d");
    for (size_t i = 2; i < json_array_size(rows) && *n < max; i++) {
        const char *d = json_string_value(json_array_get(json_array_get(rows, i), 0));
        snprintf(docs[(*n)++], PEER_ID_MAX, "%s", d ? d : "");
    }
    json_decref(root);
    return 0;
}

static void close_groonga(void *ctx)
{
    groonga *g = ctx;
    int st;
    if (g->in)
        fclose(g->in); /* end of input: groonga exits */
    if (g->out)
        fclose(g->out);
    if (g->pid > 0)
        waitpid(g->pid, &st, 0);
    free(g->line);
    ps_buf_fin(&g->q);
    ps_buf_fin(&g->cmd);
}

/* "Groonga 13.0.0" from `groonga --version`. */
static void version(char *out, size_t size)
{
    FILE *p = popen("groonga --version 2>/dev/null", "r");
    char line[256] = "";
    snprintf(out, size, "Groonga");
    if (p && fgets(line, sizeof line, p)) {
        char *v = strncmp(line, "Groonga ", 8) == 0 ? line + 8 : line;
        v[strcspn(v, " [\n")] = '\0';
        snprintf(out, size, "Groonga %.40s", v);
    }
    if (p)
        pclose(p);
}

int main(int argc, char **argv)
{
    static groonga g;
    char label[64];
    peer_engine e = {
        .name = "groonga",
        .setup = "TokenBigram + NormalizerAuto, index built after the load, words OR-ed, "
                 "-_score, articles as records",
        .ctx = &g,
        .build = build,
        .size = size,
        .articles = articles,
        .documents = documents,
        .close = close_groonga,
    };
    /* a pipe to a groonga that died must fail a write, not kill us */
    signal(SIGPIPE, SIG_IGN);
    version(label, sizeof label);
    e.label = label;
    g.engine = &e;
    return peer_main(argc, argv, &e);
}
