/*
 * peer.h: what the peer drivers (peer_fts5.c, peer_xapian.c,
 * peer_groonga.c) and the scale generator share, so every engine sees the
 * same units and the same questions and is scored the way bench/eval
 * scores polsearch.
 *
 * It is a header of static inline functions (so a program may leave some
 * unused) because the Makefile builds every
 * bench/X.c into its own program build/<flavour>/bench/X; a driver
 * includes it once.
 *
 * Units. A peer indexes articles, not whole laws: a law's text is cut at
 * every line that heads an article -- "Điều N." (most laws), "Điều N:" or
 * "Điều N" alone on its line (14 laws), or "Điều N Heading" with a capital
 * after the number -- and the text before the first heading (title,
 * preamble) is one more unit with no article number. Whole-law indexes
 * rank far worse on these questions (see docs/BENCH.md), so articles are
 * the fair setting for every peer.
 *
 * Scores (binary relevance, as bench/eval):
 *   article R@10    share of a question's judged articles (qrels.tsv) in
 *                   the top 10 units, each judged article counted once;
 *   article MRR@10  1 / rank of the first judged article in the top 10;
 *   document R@10, MRR@10
 *                   the same over documents (qrels_doc.tsv), each law
 *                   ranked by its best article (first appearance).
 * Latency: wall time of the article query for the top 10 units, their
 * document ids and article numbers included, in milliseconds (p50, p99),
 * or the engine's own timing of it when it reports one (Groonga).
 * Indexing: CPU seconds (user + system, the engine's processes included)
 * from reading the JSON Lines to the committed index, on one core (run
 * the driver under taskset); the wall time is printed beside it.
 *
 * A driver fills a peer_engine and calls peer_main(); it prints lines of
 * "kind key=value ..." that bench/run-peers.sh turns into a table:
 *   engine name=fts5 label="SQLite FTS5 3.40.1" setup="..."
 *   index docs=230 units=19504 text_bytes=... seconds=... wall=... bytes=...
 *   extra key=value ...          (engine-specific figures)
 *   query variant=given n_art=... art_r10=... art_mrr=... n_doc=...
 *         doc_r10=... doc_mrr=... p50_ms=... p99_ms=...
 */
#ifndef POLSEARCH_BENCH_PEER_H
#define POLSEARCH_BENCH_PEER_H

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "polsearch/text.h"
#include "polsearch/util.h"

#define PEER_ID_MAX 256    /* document ids are shorter in the shared data */
#define PEER_ART_MAX 16    /* "418", "12a" */
#define PEER_MAXQ 4096
#define PEER_MAXREL 16
#define PEER_TOP 10

/* ---- corpus and units ---------------------------------------------------- */

typedef struct peer_doc {
    char *id;
    char *title;
    char *text;
    size_t len;
} peer_doc;

typedef struct peer_unit {
    size_t doc;                   /* index into peer_corpus.docs */
    char article[PEER_ART_MAX];   /* N of its "Điều N"; "" before the first */
    const char *text;             /* borrowed from the document's text */
    size_t len;
} peer_unit;

typedef struct peer_corpus {
    peer_doc *docs;
    size_t n_docs;
    peer_unit *units;
    size_t n_units;
    size_t text_bytes;            /* sum of the text fields, UTF-8 bytes */
} peer_corpus;

#define PEER_DIEU "Điều "

/* Whether the line at p (n bytes to the end of the text) heads an
 * article; if so the article number goes to num. */
static inline int peer_heading(const char *p, size_t n, char num[PEER_ART_MAX])
{
    size_t k = sizeof PEER_DIEU - 1, d = 0;
    if (n <= k || memcmp(p, PEER_DIEU, k) != 0)
        return 0;
    while (k + d < n && p[k + d] >= '0' && p[k + d] <= '9' && d < 8)
        d++;
    if (d == 0)
        return 0;
    memcpy(num, p + k, d);
    num[d] = '\0';
    k += d;
    if (k == n || p[k] == '\n' || p[k] == '\r' || p[k] == '.' || p[k] == ':')
        return 1;
    if (p[k] == ' ') {
        /* "Điều 5 Chính sách ...": a heading without its dot; "Điều 5 của
         * Luật này" (a reference that wrapped onto a new line) is not. */
        int32_t i = (int32_t)k + 1, len = (int32_t)(n < 64 ? n : 64);
        UChar32 c;
        while (i < len && p[i] == ' ')
            i++;
        if (i >= len || p[i] == '\n' || p[i] == '\r')
            return 1;
        U8_NEXT(p, i, len, c);
        return c >= 0 && u_isupper(c);
    }
    return 0;
}

static inline int peer_add_unit(peer_corpus *c, size_t *cap, size_t doc, const char *article,
                         const char *text, size_t len)
{
    if (c->n_units == *cap) {
        size_t ncap = *cap ? *cap * 2 : 4096;
        peer_unit *u = realloc(c->units, ncap * sizeof *u);
        if (!u)
            return -1;
        c->units = u;
        *cap = ncap;
    }
    peer_unit *u = &c->units[c->n_units++];
    u->doc = doc;
    snprintf(u->article, sizeof u->article, "%s", article);
    u->text = text;
    u->len = len;
    return 0;
}

/* Cuts document d into units (see the top of this file). */
static inline int peer_split(peer_corpus *c, size_t *cap, size_t d)
{
    const char *t = c->docs[d].text;
    size_t n = c->docs[d].len, start = 0, line = 0;
    char cur[PEER_ART_MAX] = "";
    while (line < n) {
        const char *nl = memchr(t + line, '\n', n - line);
        size_t next = nl ? (size_t)(nl - t) + 1 : n;
        char num[PEER_ART_MAX];
        if (peer_heading(t + line, n - line, num)) {
            if (line > start && peer_add_unit(c, cap, d, cur, t + start, line - start))
                return -1;
            start = line;
            snprintf(cur, sizeof cur, "%s", num);
        }
        line = next;
    }
    if (n > start && peer_add_unit(c, cap, d, cur, t + start, n - start))
        return -1;
    return 0;
}

static inline char *peer_strdup_json(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return strdup(s ? s : "");
}

/* Reads a JSON Lines corpus (id, title, text) and cuts it into units.
 * Returns 0, or -1 with the reason on stderr. Free with peer_corpus_free. */
static inline int peer_corpus_load(const char *path, peer_corpus *c)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, dcap = 0, ucap = 0;
    ssize_t n;
    memset(c, 0, sizeof *c);
    if (!f) {
        fprintf(stderr, "peer: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    while ((n = getline(&line, &cap, f)) > 0) {
        json_error_t je;
        json_t *o = json_loadb(line, (size_t)n, 0, &je), *text;
        if (!o || !(text = json_object_get(o, "text")) || !json_is_string(text)) {
            json_decref(o);
            continue;
        }
        if (c->n_docs == dcap) {
            size_t ncap = dcap ? dcap * 2 : 256;
            peer_doc *d = realloc(c->docs, ncap * sizeof *d);
            if (!d)
                goto oom;
            c->docs = d;
            dcap = ncap;
        }
        peer_doc *d = &c->docs[c->n_docs];
        d->len = json_string_length(text);
        d->text = malloc(d->len + 1);
        d->id = peer_strdup_json(o, "id");
        d->title = peer_strdup_json(o, "title");
        if (d->text)
            memcpy(d->text, json_string_value(text), d->len + 1);
        json_decref(o);
        if (!d->text || !d->id || !d->title)
            goto oom;
        c->text_bytes += d->len;
        if (peer_split(c, &ucap, c->n_docs++))
            goto oom;
    }
    free(line);
    fclose(f);
    return 0;
oom:
    fprintf(stderr, "peer: out of memory reading %s\n", path);
    free(line);
    fclose(f);
    return -1;
}

static inline void peer_corpus_free(peer_corpus *c)
{
    for (size_t i = 0; i < c->n_docs; i++) {
        free(c->docs[i].id);
        free(c->docs[i].title);
        free(c->docs[i].text);
    }
    free(c->docs);
    free(c->units);
    memset(c, 0, sizeof *c);
}

/* ---- questions and judgments -------------------------------------------- */

typedef struct peer_question {
    char *qid;
    char *text;
    char *rel_doc[PEER_MAXREL];
    char *rel_art[PEER_MAXREL];   /* article numbers, beside rel_art_doc */
    char *rel_art_doc[PEER_MAXREL];
    int n_art, n_doc;
} peer_question;

typedef struct peer_questions {
    peer_question q[PEER_MAXQ];
    int n;
} peer_questions;

static inline peer_question *peer_find_q(peer_questions *qs, const char *qid)
{
    for (int i = 0; i < qs->n; i++)
        if (strcmp(qs->q[i].qid, qid) == 0)
            return &qs->q[i];
    return NULL;
}

/* Reads queries.jsonl, qrels.tsv and qrels_doc.tsv from dir. */
static inline int peer_questions_load(const char *dir, peer_questions *qs)
{
    char path[4096], *line = NULL;
    size_t cap = 0;
    FILE *f;
    qs->n = 0;
    snprintf(path, sizeof path, "%s/queries.jsonl", dir);
    if (!(f = fopen(path, "r")))
        return -1;
    while (getline(&line, &cap, f) > 0 && qs->n < PEER_MAXQ) {
        json_error_t je;
        json_t *o = json_loads(line, 0, &je);
        if (!o)
            continue;
        peer_question *q = &qs->q[qs->n++];
        memset(q, 0, sizeof *q);
        q->qid = peer_strdup_json(o, "qid");
        q->text = peer_strdup_json(o, "query");
        json_decref(o);
    }
    fclose(f);
    for (int pass = 0; pass < 2; pass++) {
        snprintf(path, sizeof path, "%s/%s", dir, pass ? "qrels_doc.tsv" : "qrels.tsv");
        if (!(f = fopen(path, "r"))) {
            free(line);
            return -1;
        }
        while (getline(&line, &cap, f) > 0) {
            char qid[256], doc[1024], art[64];
            int rel;
            peer_question *q;
            if (pass == 0) {
                if (sscanf(line, "%255s %1023s %63s %d", qid, doc, art, &rel) != 4 || rel <= 0)
                    continue;
                if ((q = peer_find_q(qs, qid)) && q->n_art < PEER_MAXREL) {
                    q->rel_art_doc[q->n_art] = strdup(doc);
                    q->rel_art[q->n_art++] = strdup(art);
                }
            } else {
                if (sscanf(line, "%255s %1023s %d", qid, doc, &rel) != 3 || rel <= 0)
                    continue;
                if ((q = peer_find_q(qs, qid)) && q->n_doc < PEER_MAXREL)
                    q->rel_doc[q->n_doc++] = strdup(doc);
            }
        }
        fclose(f);
    }
    free(line);
    return 0;
}

/* The question as the variant asks it ("given" or "nodiac": every
 * diacritic removed, đ -> d, as bench/eval does). Caller frees. */
static inline char *peer_variant(const char *text, const char *variant)
{
    if (strcmp(variant, "nodiac") == 0) {
        ps_buf b;
        ps_buf_init(&b, 0);
        ps_text_fold(text, strlen(text), &b);
        if (b.len)
            return ps_buf_steal(&b, NULL);
        ps_buf_fin(&b);
    }
    return strdup(text);
}

/* ---- scoring ------------------------------------------------------------- */

/* One ranked unit as an engine returned it. */
typedef struct peer_hit {
    char doc[PEER_ID_MAX];
    char article[PEER_ART_MAX];
} peer_hit;

typedef struct peer_scores {
    double art_r10, art_mrr, doc_r10, doc_mrr;
    int n_art, n_doc;
    double *lat;
    int n_lat;
} peer_scores;

/* Article R@10 and MRR@10 of hits (ranked units) for q. */
static inline void peer_score_articles(peer_scores *s, const peer_question *q, const peer_hit *hits,
                                size_t n)
{
    int seen[PEER_MAXREL] = {0}, found = 0, first = 0;
    if (q->n_art == 0)
        return;
    for (size_t k = 0; k < n && k < PEER_TOP; k++)
        for (int j = 0; j < q->n_art; j++)
            if (strcmp(hits[k].doc, q->rel_art_doc[j]) == 0 &&
                strcmp(hits[k].article, q->rel_art[j]) == 0) {
                if (!first)
                    first = (int)k + 1;
                if (!seen[j]++)
                    found++;
            }
    s->art_r10 += (double)found / q->n_art;
    s->art_mrr += first ? 1.0 / first : 0.0;
    s->n_art++;
}

/* Document R@10 and MRR@10 of docs (distinct document ids, ranked). */
static inline void peer_score_docs(peer_scores *s, const peer_question *q,
                            char (*docs)[PEER_ID_MAX], size_t n)
{
    int found = 0, first = 0;
    if (q->n_doc == 0)
        return;
    for (size_t k = 0; k < n && k < PEER_TOP; k++)
        for (int j = 0; j < q->n_doc; j++)
            if (strcmp(docs[k], q->rel_doc[j]) == 0) {
                if (!first)
                    first = (int)k + 1;
                found++;
            }
    if (found > q->n_doc)
        found = q->n_doc;
    s->doc_r10 += (double)found / q->n_doc;
    s->doc_mrr += first ? 1.0 / first : 0.0;
    s->n_doc++;
}

/* Appends the documents of hits not yet in docs (best article first). */
static inline size_t peer_docs_of_hits(const peer_hit *hits, size_t n, char (*docs)[PEER_ID_MAX],
                                size_t nd, size_t max)
{
    for (size_t k = 0; k < n && nd < max; k++) {
        size_t j;
        for (j = 0; j < nd; j++)
            if (strcmp(docs[j], hits[k].doc) == 0)
                break;
        if (j == nd)
            snprintf(docs[nd++], PEER_ID_MAX, "%s", hits[k].doc);
    }
    return nd;
}

static inline int peer_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The p-quantile (nearest rank, as bench/eval) of v[0..n); sorts v. */
static inline double peer_pct(double *v, int n, double p)
{
    int i;
    if (n <= 0)
        return 0;
    qsort(v, (size_t)n, sizeof *v, peer_cmp_double);
    i = (int)ceil(p * n) - 1;
    return v[i < 0 ? 0 : i];
}

/* ---- time ---------------------------------------------------------------- */

/* CPU seconds used by this process and by its waited-for children (a
 * peer that runs the engine as a program, as Groonga's driver does).
 * Indexing is timed in CPU seconds on one core: on a shared machine the
 * wall clock also counts other people's work. */
static inline double peer_cpu_now(void)
{
    struct timespec self;
    struct rusage kids;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &self);
    getrusage(RUSAGE_CHILDREN, &kids);
    return (double)self.tv_sec + (double)self.tv_nsec / 1e9 +
           (double)(kids.ru_utime.tv_sec + kids.ru_stime.tv_sec) +
           (double)(kids.ru_utime.tv_usec + kids.ru_stime.tv_usec) / 1e6;
}

/* ---- queries ------------------------------------------------------------- */

/* Whether c (a byte or a code point) only punctuates: split there. */
static inline int peer_punct(UChar32 c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '.' || c == ',' ||
           c == ';' || c == ':' || c == '?' || c == '!' || c == '(' || c == ')' ||
           c == '[' || c == ']' || c == '{' || c == '}' || c == '"' || c == '\'' ||
           c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 || c == 0x2026;
}

/* The plain bag-of-words query a user writes for an engine whose bare
 * words mean AND: every word of text (split at spaces and punctuation)
 * quoted, and the words joined with " OR ". Inside quotes, a quote or
 * backslash is written as esc_quote / esc_backslash. Appends to out. */
static inline void peer_or_query(const char *text, ps_buf *out, const char *esc_quote,
                                 const char *esc_backslash)
{
    int32_t i = 0, n = (int32_t)strlen(text), start = -1, prev;
    UChar32 c;
    size_t words = 0;
    while (i <= n) {
        prev = i;
        if (i < n)
            U8_NEXT(text, i, n, c);
        else
            c = ' ', i++;
        if (!peer_punct(c)) {
            if (start < 0)
                start = prev;
            continue;
        }
        if (start >= 0) {
            ps_buf_adds(out, words++ ? " OR \"" : "\"");
            for (int32_t k = start; k < prev; k++) {
                if (text[k] == '"')
                    ps_buf_adds(out, esc_quote);
                else if (text[k] == '\\')
                    ps_buf_adds(out, esc_backslash);
                else
                    ps_buf_addc(out, text[k]);
            }
            ps_buf_addc(out, '"');
            start = -1;
        }
    }
}

/* ---- files --------------------------------------------------------------- */

/* Bytes under path (a file, or a folder and everything in it). */
static inline unsigned long long peer_disk_bytes(const char *path)
{
    char cmd[4200];
    unsigned long long n = 0;
    FILE *p;
    /* du is the plain tool for "size of this folder"; -b counts apparent
     * bytes, as the index sizes of the other engines are. */
    snprintf(cmd, sizeof cmd, "du -sb '%s' 2>/dev/null", path);
    if ((p = popen(cmd, "r"))) {
        if (fscanf(p, "%llu", &n) != 1)
            n = 0;
        pclose(p);
    }
    return n;
}

/* Makes dir (one level) if missing. */
static inline int peer_mkdir(const char *dir)
{
    if (mkdir(dir, 0777) == 0 || errno == EEXIST)
        return 0;
    fprintf(stderr, "peer: cannot create %s: %s\n", dir, strerror(errno));
    return -1;
}

/* ---- the driver ---------------------------------------------------------- */

typedef struct peer_engine {
    const char *name;    /* short: fts5, xapian, groonga */
    const char *label;   /* what and which version */
    const char *setup;   /* how it is configured, one line */
    void *ctx;
    /* CPU seconds build() spent on work that is the driver's, not the
     * engine's (writing Groonga's load file); left out of the figure. */
    double untimed;
    /* Builds the index of c's units in work (a fresh folder) and leaves it
     * open for searching. */
    int (*build)(void *ctx, const peer_corpus *c, const char *work);
    /* On-disk bytes of the index (text stored in it included). */
    unsigned long long (*size)(void *ctx, const char *work);
    /* The top units for query, at most max; *engine_ms gets the engine's
     * own timing of the query when it reports one, else -1. */
    int (*articles)(void *ctx, const char *query, peer_hit *hits, size_t max, size_t *n,
                    double *engine_ms);
    /* The top distinct documents, each ranked by its best unit. */
    int (*documents)(void *ctx, const char *query, char (*docs)[PEER_ID_MAX], size_t max,
                     size_t *n);
    /* Prints "extra ..." lines after the index is built (may be NULL). */
    void (*extra)(void *ctx, const peer_corpus *c, const char *work, double index_seconds);
    void (*close)(void *ctx);
} peer_engine;

static inline void peer_usage(const char *name)
{
    fprintf(stderr,
            "usage: peer_%s --data DIR --work DIR [--variants given,nodiac]\n"
            "  indexes DIR/corpus.jsonl cut into articles in WORK (a fresh folder),\n"
            "  runs the questions of DIR and prints its figures as key=value lines\n",
            name);
}

static inline int peer_main(int argc, char **argv, peer_engine *e)
{
    const char *data = NULL, *work = NULL, *vars = "given,nodiac";
    char path[4096], vbuf[256];
    peer_corpus c;
    static peer_questions qs;
    double t0, c0, secs, wall;
    int i;

    for (i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--data") == 0)
            data = argv[i + 1];
        else if (strcmp(argv[i], "--work") == 0)
            work = argv[i + 1];
        else if (strcmp(argv[i], "--variants") == 0)
            vars = argv[i + 1];
        else
            break;
    }
    if (!data || !work || i != argc) {
        peer_usage(e->name);
        return 2;
    }
    if (peer_questions_load(data, &qs)) {
        fprintf(stderr, "peer_%s: cannot read the questions in %s\n", e->name, data);
        return 1;
    }
    if (peer_mkdir(work))
        return 1;
    printf("engine name=%s label=\"%s\" setup=\"%s\"\n", e->name, e->label, e->setup);
    fflush(stdout);

    /* Indexing: reading the JSON Lines and cutting the articles count, as
     * they do in polsearch's own figure. */
    snprintf(path, sizeof path, "%s/corpus.jsonl", data);
    t0 = ps_now();
    c0 = peer_cpu_now();
    if (peer_corpus_load(path, &c))
        return 1;
    if (e->build(e->ctx, &c, work)) {
        fprintf(stderr, "peer_%s: indexing failed\n", e->name);
        return 1;
    }
    secs = peer_cpu_now() - c0 - e->untimed;
    wall = ps_now() - t0;
    printf("index docs=%zu units=%zu text_bytes=%zu seconds=%.3f wall=%.3f bytes=%llu\n",
           c.n_docs, c.n_units, c.text_bytes, secs, wall, e->size(e->ctx, work));
    if (e->extra)
        e->extra(e->ctx, &c, work, secs);
    fflush(stdout);

    for (const char *next = vars; *next;) {
        size_t vl = strcspn(next, ",");
        const char *v = vbuf;
        snprintf(vbuf, sizeof vbuf, "%.*s", (int)(vl < sizeof vbuf ? vl : sizeof vbuf - 1), next);
        next += vl + (next[vl] == ',');
        if (!*v)
            continue;
        peer_scores s;
        memset(&s, 0, sizeof s);
        s.lat = calloc((size_t)qs.n, sizeof *s.lat);
        for (i = 0; i < qs.n; i++) {
            peer_question *q = &qs.q[i];
            peer_hit hits[PEER_TOP];
            char docs[PEER_TOP][PEER_ID_MAX];
            size_t nh = 0, nd = 0;
            double ems = -1, t;
            char *text;
            if (q->n_art == 0 && q->n_doc == 0)
                continue;
            text = peer_variant(q->text, v);
            t = ps_now();
            if (e->articles(e->ctx, text, hits, PEER_TOP, &nh, &ems)) {
                fprintf(stderr, "peer_%s: %s: query failed\n", e->name, q->qid);
                nh = 0;
            }
            t = (ps_now() - t) * 1000.0;
            s.lat[s.n_lat++] = ems >= 0 ? ems : t;
            peer_score_articles(&s, q, hits, nh);
            if (e->documents(e->ctx, text, docs, PEER_TOP, &nd)) {
                fprintf(stderr, "peer_%s: %s: document query failed\n", e->name, q->qid);
                nd = 0;
            }
            peer_score_docs(&s, q, docs, nd);
            free(text);
        }
        printf("query variant=%s n_art=%d art_r10=%.3f art_mrr=%.3f n_doc=%d doc_r10=%.3f "
               "doc_mrr=%.3f p50_ms=%.2f p99_ms=%.2f\n",
               v, s.n_art, s.n_art ? s.art_r10 / s.n_art : 0, s.n_art ? s.art_mrr / s.n_art : 0,
               s.n_doc, s.n_doc ? s.doc_r10 / s.n_doc : 0, s.n_doc ? s.doc_mrr / s.n_doc : 0,
               peer_pct(s.lat, s.n_lat, 0.5), peer_pct(s.lat, s.n_lat, 0.99));
        fflush(stdout);
        free(s.lat);
    }
    e->close(e->ctx);
    peer_corpus_free(&c);
    return 0;
}

#endif
