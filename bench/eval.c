/*
 * eval: retrieval quality on the shared legal questions.
 *
 *   eval --db DIR --data DIR [--variants given,nodiac,nfd] [--limit N]
 *        [--misses FILE]
 *
 * For each variant of the questions (as given; every diacritic removed;
 * decomposed to NFD) runs every question twice, in process, as the CLI
 * would: in passage mode against the article judgments (qrels.tsv:
 * R@1, R@10, MRR@10, nDCG@10) and in document mode against the document
 * judgments (qrels_doc.tsv: R@10, MRR@10). Prints one table and the
 * latency of each run (p50, p99; wall clock and CPU time, the latter
 * steadier on a busy machine). Snippets and facets are off unless
 * EVAL_SNIPPETS / EVAL_FACETS are set, to time the search the way a user
 * of the CLI or the daemon pays for it. Relevance is binary; recall
 * counts the share of a question's relevant items found.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "polsearch/doc.h"
#include "polsearch/search.h"

#define MAXQ 4096
#define MAXREL 16

typedef struct question {
    char *qid;
    char *text;
    char *rel_art[MAXREL];   /* "doc_id\tarticle" */
    int n_art;
    char *rel_doc[MAXREL];
    int n_doc;
} question;

static question qs[MAXQ];
static int nq;

static question *find_q(const char *qid)
{
    int i;
    for (i = 0; i < nq; i++)
        if (strcmp(qs[i].qid, qid) == 0)
            return &qs[i];
    return NULL;
}

static int load(const char *dir)
{
    char path[4096], *line = NULL;
    size_t cap = 0;
    FILE *f;
    snprintf(path, sizeof path, "%s/queries.jsonl", dir);
    if (!(f = fopen(path, "r")))
        return -1;
    while (getline(&line, &cap, f) > 0 && nq < MAXQ) {
        json_error_t je;
        json_t *o = json_loads(line, 0, &je);
        if (!o)
            continue;
        qs[nq].qid = strdup(json_string_value(json_object_get(o, "qid")));
        qs[nq].text = strdup(json_string_value(json_object_get(o, "query")));
        nq++;
        json_decref(o);
    }
    fclose(f);
    snprintf(path, sizeof path, "%s/qrels.tsv", dir);
    if (!(f = fopen(path, "r")))
        return -1;
    while (getline(&line, &cap, f) > 0) {
        char qid[256], doc[1024], art[64];
        int rel;
        question *q;
        if (sscanf(line, "%255s %1023s %63s %d", qid, doc, art, &rel) != 4 || rel <= 0)
            continue;
        if ((q = find_q(qid)) && q->n_art < MAXREL) {
            char buf[1200];
            snprintf(buf, sizeof buf, "%s\t%s", doc, art);
            q->rel_art[q->n_art++] = strdup(buf);
        }
    }
    fclose(f);
    snprintf(path, sizeof path, "%s/qrels_doc.tsv", dir);
    if (!(f = fopen(path, "r")))
        return -1;
    while (getline(&line, &cap, f) > 0) {
        char qid[256], doc[1024];
        int rel;
        question *q;
        if (sscanf(line, "%255s %1023s %d", qid, doc, &rel) != 3 || rel <= 0)
            continue;
        if ((q = find_q(qid)) && q->n_doc < MAXREL)
            q->rel_doc[q->n_doc++] = strdup(doc);
    }
    fclose(f);
    free(line);
    return 0;
}

/* The question as the variant asks it; caller frees. */
static char *variant(const char *text, const char *v)
{
    if (strcmp(v, "nodiac") == 0) {
        ps_buf b;
        ps_buf_init(&b, 0);
        ps_text_fold(text, strlen(text), &b);
        return ps_buf_steal(&b, NULL);
    }
    if (strcmp(v, "nfd") == 0) {
        UErrorCode st = U_ZERO_ERROR;
        const UNormalizer2 *nfd = unorm2_getNFDInstance(&st);
        UChar u[8192], o[16384];
        int32_t ul = 0, ol, n8 = 0;
        char *out = malloc(65536);
        u_strFromUTF8(u, 8192, &ul, text, -1, &st);
        ol = unorm2_normalize(nfd, u, ul, o, 16384, &st);
        u_strToUTF8(out, 65536, &n8, o, ol, &st);
        if (U_FAILURE(st)) {
            free(out);
            return strdup(text);
        }
        return out;
    }
    return strdup(text);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct scores {
    double r1, r10, mrr, ndcg;
    int n;
    double *lat;   /* wall-clock ms per question */
    double *cpu;   /* CPU ms per question: steadier on a busy machine */
} scores;

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void run_mode(ps_searcher *s, const char *var, int unit, scores *sc, FILE *misses)
{
    int i;
    memset(sc, 0, sizeof *sc);
    sc->lat = calloc((size_t)nq, sizeof(double));
    sc->cpu = calloc((size_t)nq, sizeof(double));
    for (i = 0; i < nq; i++) {
        question *q = &qs[i];
        ps_search_opts o;
        ps_results *r = NULL;
        ps_error err;
        char *text;
        int nrel = unit == PS_UNIT_PASSAGE ? q->n_art : q->n_doc;
        int k, found = 0, first = 0;
        double dcg = 0, idcg = 0, t0, c0;
        if (nrel == 0)
            continue;
        text = variant(q->text, var);
        ps_search_opts_default(&o);
        o.query = text;
        o.unit = unit;
        o.limit = 10;
        o.access = PS_ACCESS_SECRET;
        o.facets = getenv("EVAL_FACETS") != NULL;
        o.snippets = getenv("EVAL_SNIPPETS") != NULL;
        t0 = ps_now();
        c0 = cpu_ms();
        if (ps_search(s, &o, &r, &err)) {
            fprintf(stderr, "eval: %s: %s\n", q->qid, err.msg);
            free(text);
            continue;
        }
        sc->lat[sc->n] = (ps_now() - t0) * 1000.0;
        sc->cpu[sc->n] = cpu_ms() - c0;
        for (k = 0; k < (int)r->n; k++) {
            const ps_hit *h = &r->hits[k];
            int j, rel = 0;
            for (j = 0; j < nrel; j++) {
                if (unit == PS_UNIT_PASSAGE) {
                    const char *tab = strchr(q->rel_art[j], '\t');
                    size_t dl = (size_t)(tab - q->rel_art[j]);
                    if (h->article && strlen(h->id) == dl &&
                        strncmp(h->id, q->rel_art[j], dl) == 0 &&
                        strcmp(h->article, tab + 1) == 0)
                        rel = 1;
                } else if (strcmp(h->id, q->rel_doc[j]) == 0) {
                    rel = 1;
                }
            }
            if (rel) {
                found++;
                dcg += 1.0 / log2(k + 2.0);
                if (!first)
                    first = k + 1;
            }
        }
        for (k = 0; k < nrel && k < 10; k++)
            idcg += 1.0 / log2(k + 2.0);
        if (found > nrel)
            found = nrel; /* one article cut into pieces counts once */
        sc->r1 += first == 1 ? 1.0 / nrel : 0;
        sc->r10 += (double)found / nrel;
        sc->mrr += first ? 1.0 / first : 0;
        sc->ndcg += idcg > 0 ? (dcg > idcg ? 1.0 : dcg / idcg) : 0;
        if (misses && first != 1) {
            fprintf(misses, "%s\t%s\t%s\tfirst-relevant-rank=%d\tgot=%s#%s\twant=%s\n", var,
                    unit == PS_UNIT_PASSAGE ? "passage" : "document", q->qid, first,
                    r->n ? r->hits[0].id : "-",
                    r->n && r->hits[0].article ? r->hits[0].article : "-",
                    unit == PS_UNIT_PASSAGE ? q->rel_art[0] : q->rel_doc[0]);
        }
        sc->n++;
        ps_results_free(r);
        free(text);
    }
    if (sc->n) {
        sc->r1 /= sc->n;
        sc->r10 /= sc->n;
        sc->mrr /= sc->n;
        sc->ndcg /= sc->n;
    }
}

static double pct(double *v, int n, double p)
{
    int i;
    if (!n)
        return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    i = (int)ceil(p * n) - 1;
    if (i < 0)
        i = 0;
    return v[i];
}

int main(int argc, char **argv)
{
    const char *db = NULL, *data = NULL, *vars = "given,nodiac,nfd", *missfile = NULL;
    ps_searcher *s;
    ps_error err;
    char vbuf[256], *v, *save = NULL;
    FILE *misses = NULL;
    int i;

    for (i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--db") == 0)
            db = argv[i + 1];
        else if (strcmp(argv[i], "--data") == 0)
            data = argv[i + 1];
        else if (strcmp(argv[i], "--variants") == 0)
            vars = argv[i + 1];
        else if (strcmp(argv[i], "--misses") == 0)
            missfile = argv[i + 1];
    }
    if (!db || !data) {
        fprintf(stderr, "usage: eval --db DIR --data DIR [--variants given,nodiac,nfd] "
                        "[--misses FILE]\n");
        return 2;
    }
    if (load(data)) {
        fprintf(stderr, "eval: cannot read the questions in %s\n", data);
        return 1;
    }
    if (ps_searcher_open(db, &s, &err)) {
        fprintf(stderr, "eval: %s\n", err.msg);
        return 1;
    }
    if (missfile && !(misses = fopen(missfile, "w"))) {
        fprintf(stderr, "eval: cannot write %s\n", missfile);
        return 1;
    }
    printf("%-8s %-9s %6s %6s %6s %6s %8s %8s %8s %8s %5s\n", "variant", "unit", "R@1", "R@10",
           "MRR@10", "nDCG10", "p50 ms", "p99 ms", "cpu p50", "cpu p99", "n");
    snprintf(vbuf, sizeof vbuf, "%s", vars);
    for (v = strtok_r(vbuf, ",", &save); v; v = strtok_r(NULL, ",", &save)) {
        scores a, d;
        run_mode(s, v, PS_UNIT_PASSAGE, &a, misses);
        printf("%-8s %-9s %6.3f %6.3f %6.3f %6.3f %8.2f %8.2f %8.2f %8.2f %5d\n", v, "article",
               a.r1, a.r10, a.mrr, a.ndcg, pct(a.lat, a.n, 0.5), pct(a.lat, a.n, 0.99),
               pct(a.cpu, a.n, 0.5), pct(a.cpu, a.n, 0.99), a.n);
        run_mode(s, v, PS_UNIT_DOCUMENT, &d, misses);
        printf("%-8s %-9s %6.3f %6.3f %6.3f %6.3f %8.2f %8.2f %8.2f %8.2f %5d\n", v, "document",
               d.r1, d.r10, d.mrr, d.ndcg, pct(d.lat, d.n, 0.5), pct(d.lat, d.n, 0.99),
               pct(d.cpu, d.n, 0.5), pct(d.cpu, d.n, 0.99), d.n);
        fflush(stdout);
        free(a.lat);
        free(d.lat);
        free(a.cpu);
        free(d.cpu);
    }
    if (misses)
        fclose(misses);
    ps_searcher_close(s);
    return 0;
}
