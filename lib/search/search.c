/*
 * search.c: the searcher — from a ps_query to ranked, collapsed,
 * highlighted hits.
 *
 * Ranking is BM25 over passages. Each word contributes its exact form
 * and, with a lower weight, its diacritic-free form (only the latter when
 * the query has no diacritics at all); adjacent words add their bigram,
 * which is what makes "khoa học" a word rather than two syllables; a
 * document number adds a heavy term that every record of that document
 * holds. Document results are passage results collapsed by document:
 * a document ranks by its best passage, which on the shared legal
 * questions beats ranking whole documents by far (see docs/EVAL.md).
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "index/schema.h"
#include "polsearch/doc.h"
#include "polsearch/index.h"
#include "polsearch/search.h"
#include "search/internal.h"
#include "xapian-c/xc.h"

/* BM25: syllables are short, frequent terms; k1=1.2, b=0.75 scored best
 * among the usual settings on the shared questions. */
#define BM25_K1 1.2
#define BM25_B 0.75
/* Weight of a word's diacritic-free form beside its exact form. */
#define FOLD_WEIGHT 0.5
/* Weight of a bigram relative to a word. */
#define BIGRAM_WEIGHT 1.0
/* Weight of a document number named in the query. */
#define NUMBER_WEIGHT 6.0
#define SHORT_NUMBER_WEIGHT 3.0
#define CITES_WEIGHT 0.5
/* Long queries (questions, pasted sentences) are matched on their most
 * telling parts: the ELITE_SIZE groups (a word, the bigrams, a number)
 * with the highest BM25 term weight (rare words, the bigram group,
 * numbers), as Xapian's elite set would keep them; the rest (của, là,
 * được ...) are dropped. On the shared questions 8 keeps article MRR@10
 * (0.883 against 0.881 with every word) and cut the search's CPU time at
 * p99 from 76 ms to about 8 ms. */
#define ELITE_SIZE 8
/* A query word (or bigram) in more than this fraction of the records only
 * adds weight to what its rarer words match: it does not bring in records
 * of its own, which for "quy định", "người", "theo" is most of the index.
 * On the shared questions 0.02 keeps article MRR@10 at 0.882 (0.883 when
 * every word matches; R@10 0.966 against 0.969) and halves the search's
 * time (make eval: p50 2.5 -> 1.5 ms, p99 8 -> 4.4 ms); 0.01 costs R@10
 * 0.008, 0.005 costs 0.027. */
#define COMMON_FRACTION 0.02
/* Of a question's bigrams, the rarest this many (not common) match
 * records of their own; the others only add weight. On the shared
 * questions 12 keeps every figure of make eval (8 costs article R@10
 * 0.005), and at a million passages (bench-scale 50x) it takes the p99
 * from 137 to 83 ms: a long question has sixty bigrams. */
#define BIGRAM_GENERATORS 12
/* Weight of the article a query names ("điều 5"). */
#define ARTICLE_WEIGHT 1.0
/* Documents counted for exact document facets. */
#define FACET_MAX_DOCS 100000
#define SNIPPET_BYTES 240
/* Results fetched past the page, so equal weights at its end can be put
 * in key order before it is cut. */
#define TIE_EXTRA 4

void ps_search_opts_default(ps_search_opts *o)
{
    memset(o, 0, sizeof *o);
    o->unit = PS_UNIT_DOCUMENT;
    o->limit = 10;
    o->sort = PS_SORT_RELEVANCE;
    o->access = PS_ACCESS_PUBLIC;
    o->snippets = 1;
}

/* "2024", "2024-05" or "2024-05-17" -> "YYYYMMDD" (low or high end). */
int ps_date_bound(const char *s, int high, char out[16])
{
    size_t n = strlen(s), i;
    int y, m = high ? 12 : 1, d = high ? 31 : 1;
    for (i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] == '-' && (i == 4 || i == 7))))
            return -1;
    if (n != 4 && n != 7 && n != 10)
        return -1;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    if (n >= 7)
        m = (s[5] - '0') * 10 + (s[6] - '0');
    if (n == 10)
        d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    snprintf(out, 16, "%04d%02d%02d", y % 10000, m, d);
    return 0;
}

int ps_search_opts_check(const ps_search_opts *o, ps_error *err)
{
    char b[16];
    if (o->limit < 1 || o->limit > PS_LIMIT_MAX)
        return ps_error_set(err, PS_EINVAL, "limit must be between 1 and %d", PS_LIMIT_MAX);
    if (o->offset > PS_OFFSET_MAX)
        return ps_error_set(err, PS_EINVAL, "offset must be at most %d", PS_OFFSET_MAX);
    if (o->from && *o->from && ps_date_bound(o->from, 0, b))
        return ps_error_set(err, PS_EINVAL, "from: expected YYYY, YYYY-MM or YYYY-MM-DD");
    if (o->to && *o->to && ps_date_bound(o->to, 1, b))
        return ps_error_set(err, PS_EINVAL, "to: expected YYYY, YYYY-MM or YYYY-MM-DD");
    if (o->unit != PS_UNIT_DOCUMENT && o->unit != PS_UNIT_PASSAGE)
        return ps_error_set(err, PS_EINVAL, "unit must be document or passage");
    if (o->sort < PS_SORT_RELEVANCE || o->sort > PS_SORT_DATE_DESC)
        return ps_error_set(err, PS_EINVAL, "sort must be relevance, date or -date");
    if (o->access < PS_ACCESS_PUBLIC || o->access > PS_ACCESS_SECRET)
        return ps_error_set(err, PS_EINVAL, "bad access level");
    return PS_OK;
}

/* ---- opening ------------------------------------------------------- */

int ps_from_xc(ps_error *err, const xc_error *xe, const char *what)
{
    int code;
    switch (xe->code) {
    case XC_ENOMEM: code = PS_ENOMEM; break;
    case XC_EMODIFIED: code = PS_EMODIFIED; break;
    case XC_ENETWORK: code = PS_ENETWORK; break;
    case XC_EOPENING: code = PS_ENOTFOUND; break;
    case XC_EVERSION: code = PS_EVERSION; break;
    case XC_ELOCK: code = PS_ELOCKED; break;
    default: code = PS_EDB; break;
    }
    return ps_error_set(err, code, "%s: %s", what, xe->msg);
}

static int check_format(xc_db *db, const char *path, ps_error *err)
{
    xc_error xe;
    char *fmt = NULL;
    size_t n = 0;
    char want[16];
    int rc = PS_OK;
    if (xc_db_get_metadata(db, META_FORMAT, &fmt, &n, &xe))
        return ps_from_xc(err, &xe, path);
    snprintf(want, sizeof want, "%d", PS_INDEX_FORMAT);
    if (!fmt) {
        uint32_t docs = 0;
        xc_db_doccount(db, &docs, &xe);
        if (docs)
            rc = ps_error_set(err, PS_EVERSION, "%s is not a polsearch index", path);
    } else if (n != strlen(want) || memcmp(fmt, want, n) != 0) {
        rc = ps_error_set(err, PS_EVERSION,
                          "%s has index format %.*s; this program reads %s: re-index it", path,
                          (int)(n < 16 ? n : 16), fmt, want);
    }
    xc_free(fmt);
    return rc;
}

int ps_searcher_open(const char *path, ps_searcher **out, ps_error *err)
{
    ps_searcher *s;
    xc_error xe;
    struct stat st;
    ps_buf stub;
    int rc;

    *out = NULL;
    if (stat(path, &st) != 0)
        return ps_error_set(err, PS_ENOTFOUND,
                            "no index at %s (run `polsearch index` first, or give --db)", path);
    s = ps_calloc(1, sizeof *s);
    if (!s)
        return ps_error_set(err, PS_ENOMEM, "out of memory opening %s", path);
    s->path = ps_strdup(path);
    s->dev = st.st_dev;
    s->ino = st.st_ino;
    rc = ps_analyzer_new(&s->an, err);
    if (rc || !s->path) {
        ps_searcher_close(s);
        return rc ? rc : ps_error_set(err, PS_ENOMEM, "out of memory");
    }
    ps_buf_init(&stub, 0);
    if (S_ISDIR(st.st_mode)) {
        /* a folder of shards has a stub file naming them */
        struct stat st2;
        ps_buf_addf(&stub, "%s/shards.stub", path);
        if (stat(stub.data, &st2) != 0 || !S_ISREG(st2.st_mode))
            ps_buf_reset(&stub);
    } else {
        ps_buf_adds(&stub, path);
    }
    if (stub.len) {
        rc = ps_shards_load(s, stub.data, err);
        if (rc == PS_OK)
            rc = ps_shards_open(s, err);
        ps_buf_fin(&stub);
        if (rc) {
            ps_searcher_close(s);
            return rc;
        }
    } else {
        ps_buf_fin(&stub);
        s->db = xc_db_open(path, &xe);
        if (!s->db) {
            rc = ps_error_set(err, xe.code == XC_EOPENING ? PS_ENOTFOUND : PS_EDB,
                              "cannot open the index at %s: %s", path, xe.msg);
            ps_searcher_close(s);
            return rc;
        }
    }
    rc = check_format(s->db, path, err);
    if (rc) {
        ps_searcher_close(s);
        return rc;
    }
    *out = s;
    return PS_OK;
}

void ps_searcher_close(ps_searcher *s)
{
    if (!s)
        return;
    ps_shards_free(s);
    ps_docsets_free(s->docsets);
    xc_db_free(s->db);
    ps_analyzer_free(s->an);
    ps_free(s->path);
    ps_free(s);
}

int ps_searcher_reopen(ps_searcher *s, int *changed, ps_error *err)
{
    xc_error xe;
    struct stat st;
    int ch = 0;
    /* an index built elsewhere and renamed over the path may be at the
     * same revision number as the one held: only the path's identity
     * tells them apart */
    if (stat(s->path, &st) != 0)
        return ps_error_set(err, PS_ENOTFOUND, "the index at %s is gone", s->path);
    if (st.st_dev != s->dev || st.st_ino != s->ino) {
        xc_db *fresh;
        int rc;
        if (s->n_shards)
            return ps_error_set(err, PS_ENOTFOUND, "the index at %s was replaced", s->path);
        /* open what is there now; until that works, the revision held
         * still answers */
        fresh = xc_db_open(s->path, &xe);
        if (!fresh)
            return ps_error_set(err, PS_ENOTFOUND, "the index at %s was replaced: %s", s->path,
                                xe.msg);
        if ((rc = check_format(fresh, s->path, err))) {
            xc_db_free(fresh);
            return rc;
        }
        xc_db_free(s->db);
        s->db = fresh;
        s->epoch++;
        s->dev = st.st_dev;
        s->ino = st.st_ino;
        if (changed)
            *changed = 1;
        return PS_OK;
    }
    if (s->n_shards && ps_shards_recheck(s, 0, err))
        return err ? err->code : PS_ENETWORK;
    if (xc_db_reopen(s->db, &ch, &xe))
        return ps_from_xc(err, &xe, "reopening the index");
    if (ch)
        s->epoch++;
    if (changed)
        *changed = ch;
    return PS_OK;
}

int ps_searcher_retry(ps_searcher *s, int rc, int *tries, ps_error *err)
{
    if (rc != PS_EMODIFIED || ++*tries >= PS_RETRIES)
        return 0;
    return ps_searcher_reopen(s, NULL, err) == PS_OK;
}

int ps_searcher_generation(ps_searcher *s, char *out, size_t size, ps_error *err)
{
    xc_error xe;
    uint64_t rev = 0;
    int n;
    if (s->n_shards)
        return ps_error_set(err, PS_EINVAL, "an index of shards has no single revision");
    if (xc_db_revision(s->db, &rev, &xe))
        return ps_from_xc(err, &xe, "reading the index revision");
    n = snprintf(out, size, "%llx:%llx:%llu", (unsigned long long)s->dev,
                 (unsigned long long)s->ino, (unsigned long long)rev);
    if (n < 0 || (size_t)n >= size)
        return ps_error_set(err, PS_ETOOBIG, "generation buffer too small");
    return PS_OK;
}

int ps_searcher_stats(ps_searcher *s, uint32_t *docs, uint32_t *passages, long long *updated,
                      ps_error *err)
{
    xc_error xe;
    uint32_t d = 0, total = 0;
    char *upd = NULL;
    size_t n = 0;
    if (xc_db_termfreq(s->db, KIND_DOC, 2, &d, &xe) || xc_db_doccount(s->db, &total, &xe) ||
        xc_db_get_metadata(s->db, META_UPDATED, &upd, &n, &xe))
        return ps_from_xc(err, &xe, "reading index statistics");
    if (docs)
        *docs = d;
    if (passages)
        *passages = total - d;
    if (updated) {
        char tmp[32];
        long v = 0;
        if (upd && n < sizeof tmp) {
            memcpy(tmp, upd, n);
            tmp[n] = 0;
            ps_parse_long(tmp, 0, 0x7fffffffL, &v);
        }
        *updated = v;
    }
    xc_free(upd);
    return PS_OK;
}

/* ---- building the Xapian query -------------------------------------- */

/* A word's diacritic-free form: "F"+fold where the text had diacritics,
 * the bare fold where it had none (see the writer). As one synonym for
 * ranking; as an OR inside phrases, which Xapian needs there. */
xc_query *ps_qb_fold(ps_qb *b, const ps_qword *w, int for_phrase)
{
    xc_query *s[2];
    s[0] = ps_qb_term(b, PFX_FOLD, w->fold);
    s[1] = ps_qb_term(b, "", w->fold);
    if (b->failed)
        return NULL;
    return ps_qb_op(b, for_phrase ? XC_OP_OR : XC_OP_SYNONYM, s, 2, 0);
}

/* One word. Typed with diacritics: its exact form alone when the index
 * knows it (the folded bigrams still credit variant spellings of adjacent
 * words, below the exact ones), else its exact form and its fold at a
 * lower weight (a misspelt or rare form). Typed without any diacritic:
 * its fold. Three postings lists per word become one: with the elite set
 * below, article MRR@10 stays 0.883 on the shared questions and the
 * search's CPU time falls from 4.0 to 2.5 ms at the median. */
xc_query *ps_qb_word(ps_qb *b, const ps_query *q, const ps_qword *w)
{
    xc_query *f;
    if (!q->folded && b->db) {
        uint32_t df = 0;
        if (ps_qb_termfreq(b, w->term, strlen(w->term), &df) == XC_OK && df > 0)
            return ps_qb_term(b, "", w->term);
    }
    f = ps_qb_fold(b, w, 0);
    if (q->folded)
        return f;
    return ps_qb_op2(b, XC_OP_OR, ps_qb_term(b, "", w->term), ps_qb_scale(b, f, FOLD_WEIGHT));
}

static xc_query *bigram_query(ps_qb *b, const ps_qword *a, const ps_qword *c)
{
    return ps_qb_term2(b, PFX_FOLD_BIGRAM, a->fold, c->fold);
}

/* A phrase: the folded forms in order (positions live on them), and for
 * a query with diacritics every exact word too, so "hòa bình" asks for
 * hòa and bình, not only for some "hoa binh". */
xc_query *ps_qb_phrase(ps_qb *b, const ps_query *q, const ps_qword *w, size_t n)
{
    xc_query *subs[PS_QUERY_MAX_WORDS];
    xc_query *ph;
    size_t i;
    if (n > PS_QUERY_MAX_WORDS)
        n = PS_QUERY_MAX_WORDS;
    for (i = 0; i < n; i++)
        subs[i] = ps_qb_fold(b, &w[i], 1);
    if (b->failed)
        return NULL;
    ph = ps_qb_op(b, XC_OP_PHRASE, subs, n, (unsigned)n);
    if (!q->folded) {
        for (i = 0; i < n; i++)
            subs[i] = ps_qb_term(b, "", w[i].term);
        ph = ps_qb_op2(b, XC_OP_AND, ph, ps_qb_op(b, XC_OP_AND, subs, n, 0));
    }
    return ph;
}

const char *ps_type_slug(const char *v, ps_buf *out)
{
    const char *disp = NULL;
    char up[16];
    size_t n = strlen(v), i;
    if (n < sizeof up) {
        for (i = 0; i < n; i++)
            up[i] = (char)(v[i] >= 'a' && v[i] <= 'z' ? v[i] - 32 : v[i]);
        up[n] = 0;
        disp = ps_doctype_from_abbrev(up, n);
    }
    ps_text_slug(disp ? disp : v, strlen(disp ? disp : v), out);
    return out->data;
}

/* A field clause as a boolean query. */
static xc_query *field_query(ps_qb *b, const ps_qclause *c)
{
    ps_buf v;
    xc_query *r = NULL;
    ps_buf_init(&v, 1024);
    if (strcmp(c->field, "type") == 0) {
        r = ps_qb_term(b, PFX_TYPE, ps_type_slug(c->value, &v));
    } else if (strcmp(c->field, "issuer") == 0) {
        ps_text_slug(c->value, strlen(c->value), &v);
        r = ps_qb_term(b, PFX_ISSUER, ps_buf_cstr(&v));
    } else if (strcmp(c->field, "year") == 0) {
        r = ps_qb_term(b, PFX_YEAR, c->value);
    } else if (strcmp(c->field, "article") == 0) {
        r = ps_qb_term(b, PFX_ARTICLE, c->value);
    } else if (strcmp(c->field, "number") == 0 || strcmp(c->field, "cites") == 0) {
        const char *pfx = c->field[0] == 'n' ? PFX_NUMBER : PFX_CITES;
        if (ps_docnum_key(c->value, strlen(c->value), &v) == PS_OK) {
            r = ps_qb_term(b, pfx, v.data);
        } else {
            r = ps_qb_own(b, xc_query_match_nothing(&b->xe));
            if (b->plan && b->plan->mode == PS_PLAN_FILTER)
                b->plan->none = 1;
        }
    }
    ps_buf_fin(&v);
    return r;
}

/* Where the plan (if any) records the next leaves. */
static void plan_at(ps_qb *b, int mode, size_t group, unsigned char part, double scale)
{
    if (!b->plan)
        return;
    b->plan->mode = mode;
    b->plan->group = (unsigned)group;
    b->plan->part = part;
    b->plan->scale = scale;
    b->plan->pinned = 0;
}

/* The same for a number or an article: its terms are in every record of a
 * document, or in one passage of many, and say what is sought; never
 * only a booster. */
static void plan_pinned(ps_qb *b, size_t group, unsigned char part, double scale)
{
    plan_at(b, PS_PLAN_POS, group, part, scale);
    if (b->plan)
        b->plan->pinned = 1;
}

/* Whether a field's term is the same on every record of a document. */
static int doc_field(const ps_qclause *c)
{
    return strcmp(c->field, "type") == 0 || strcmp(c->field, "issuer") == 0 ||
           strcmp(c->field, "year") == 0 || strcmp(c->field, "number") == 0;
}

/* The group the bigrams go to, until its place is known; the group of
 * required clauses. */
#define BIGRAM_GROUP PS_PLAN_GROUPS
#define MUST_GROUP (PS_PLAN_GROUPS + 1)
#define BIGRAM_COMMON_GROUP (PS_PLAN_GROUPS + 2)

static uint32_t bigram_df(ps_qb *b, const ps_qword *a, const ps_qword *c)
{
    char buf[256];
    uint32_t df = 0;
    int n = snprintf(buf, sizeof buf, "%s%s %s", PFX_FOLD_BIGRAM, a->fold, c->fold);
    if (n < 0 || (size_t)n >= sizeof buf)
        n = (int)sizeof buf - 1;
    if (ps_qb_termfreq(b, buf, (size_t)n, &df) != XC_OK)
        return 0;
    return df;
}

/* The bigrams recorded under the placeholder group, as the group at
 * place ns: their OR at the bigram weight. */
static xc_query *bigram_group(ps_qb *b, xc_query **bigrams, size_t n, unsigned placeholder,
                              size_t ns)
{
    size_t i;
    if (b->plan)
        for (i = 0; i < b->plan->n_leaves; i++)
            if (b->plan->leaves[i].group == placeholder)
                b->plan->leaves[i].group = (unsigned)ns;
    return ps_qb_scale(b, ps_qb_op(b, XC_OP_OR, bigrams, n, 0), BIGRAM_WEIGHT);
}

/* The whole query: ranked part, required part, exclusions and filters.
 * b->plan (required) gets the query's shape (see internal.h). */
static xc_query *build_query(ps_qb *b, const ps_query *q, const ps_search_opts *o)
{
    xc_query *should[PS_QUERY_MAX_WORDS * 2 + 64];
    xc_query *must[PS_QUERY_MAX_WORDS + 16];
    xc_query *nots[PS_QUERY_MAX_WORDS + 16];
    xc_query *filters[PS_QUERY_MAX_WORDS + 16];
    size_t ns = 0, nm = 0, nn = 0, nf = 0, i;
    const ps_qword *prev = NULL;
    xc_query *main = NULL, *bigrams[PS_QUERY_MAX_WORDS], *bigrams_c[PS_QUERY_MAX_WORDS];
    size_t nb = 0, nbc = 0, n_bi = 0;
    const ps_qword *bi_a[PS_QUERY_MAX_WORDS], *bi_b[PS_QUERY_MAX_WORDS];
    uint32_t bi_df[PS_QUERY_MAX_WORDS];
    ps_plan *p = b->plan;
    double common = b->widen ? 0 : COMMON_FRACTION;
    uint32_t n_records = 1;
    xc_error xe;

    xc_db_doccount(b->db, &n_records, &xe);

    for (i = 0; i < q->n && !b->failed; i++) {
        const ps_qclause *c = &q->clauses[i];
        xc_query *cq = NULL;
        if (c->kind == PS_QC_FIELD) {
            if (!doc_field(c))
                ps_plan_inexact(p); /* article:, cites: hold for passages */
            plan_at(b, c->mod == PS_QM_NOT ? PS_PLAN_NOT : PS_PLAN_FILTER, 0, 0, 1);
            cq = field_query(b, c);
            plan_at(b, PS_PLAN_OFF, 0, 0, 1);
            if (!cq)
                continue;
            if (c->mod == PS_QM_NOT)
                nots[nn++] = cq;
            else
                filters[nf++] = cq;
            prev = NULL;
            continue;
        }
        {
            /* a required clause is the whole match (when it is alone);
             * an excluded one is passage by passage */
            unsigned grp = c->mod == PS_QM_MUST ? MUST_GROUP : (unsigned)ns;
            int mode = c->mod == PS_QM_NOT ? PS_PLAN_OFF : PS_PLAN_POS;
            if (c->mod == PS_QM_NOT)
                ps_plan_inexact(p);
            if (c->kind == PS_QC_PHRASE) {
                cq = ps_qb_phrase(b, q, c->words, c->n);
                plan_at(b, mode, grp, 0, 1);
                if (mode == PS_PLAN_POS)
                    ps_plan_query(p, cq);
            } else {
                plan_at(b, mode, grp, 0, 1);
                cq = ps_qb_word(b, q, &c->words[0]);
            }
            plan_at(b, PS_PLAN_OFF, 0, 0, 1);
        }
        if (c->mod == PS_QM_NOT) {
            nots[nn++] = cq;
            prev = NULL;
            continue;
        }
        if (c->mod == PS_QM_MUST)
            must[nm++] = cq;
        else
            should[ns++] = cq;
        /* bigrams of adjacent words, phrases included, for ranking */
        {
            size_t k;
            for (k = 0; k < c->n; k++) {
                const ps_qword *w = &c->words[k];
                if (prev && !(w->flags & PS_TOK_BREAK) && n_bi < PS_QUERY_MAX_WORDS) {
                    bi_a[n_bi] = prev;
                    bi_b[n_bi] = w;
                    bi_df[n_bi] = bigram_df(b, prev, w);
                    n_bi++;
                }
                prev = w;
            }
        }
    }
    /* The bigrams: the BIGRAM_GENERATORS rarest that are not common match
     * records of their own; the others only add weight (a long question's
     * sixty bigrams would otherwise walk sixty postings lists) */
    {
        unsigned char gen_bi[PS_QUERY_MAX_WORDS];
        size_t k, kept = 0;
        double cut = common * n_records;
        memset(gen_bi, 0, sizeof gen_bi);
        while (kept < (b->widen ? PS_QUERY_MAX_WORDS : BIGRAM_GENERATORS)) {
            size_t best = n_bi;
            for (k = 0; k < n_bi; k++)
                if (!gen_bi[k] && (common <= 0 || bi_df[k] <= cut) &&
                    (best == n_bi || bi_df[k] < bi_df[best]))
                    best = k;
            if (best == n_bi)
                break;
            gen_bi[best] = 1;
            kept++;
        }
        for (k = 0; k < n_bi; k++) {
            plan_at(b, PS_PLAN_POS, gen_bi[k] ? BIGRAM_GROUP : BIGRAM_COMMON_GROUP, 0,
                    BIGRAM_WEIGHT);
            if (gen_bi[k])
                bigrams[nb++] = bigram_query(b, bi_a[k], bi_b[k]);
            else
                bigrams_c[nbc++] = bigram_query(b, bi_a[k], bi_b[k]);
        }
        plan_at(b, PS_PLAN_OFF, 0, 0, 1);
    }
    if (nb) {
        should[ns] = bigram_group(b, bigrams, nb, BIGRAM_GROUP, ns);
        ns++;
    }
    if (nbc) {
        should[ns] = bigram_group(b, bigrams_c, nbc, BIGRAM_COMMON_GROUP, ns);
        ns++;
    }
    for (i = 0; i < q->n_number_keys && ns < sizeof should / sizeof should[0] - 2; i++) {
        plan_pinned(b, ns, 0, NUMBER_WEIGHT);
        should[ns++] = ps_qb_scale(b, ps_qb_term(b, PFX_NUMBER, q->number_keys[i]), NUMBER_WEIGHT);
        plan_pinned(b, ns, 0, CITES_WEIGHT);
        should[ns++] = ps_qb_scale(b, ps_qb_term(b, PFX_CITES, q->number_keys[i]), CITES_WEIGHT);
    }
    for (i = 0; i < q->n_short_keys && ns < sizeof should / sizeof should[0]; i++) {
        plan_pinned(b, ns, 0, SHORT_NUMBER_WEIGHT);
        should[ns++] = ps_qb_scale(b, ps_qb_term(b, PFX_NUMBER_SHORT, q->short_keys[i]), SHORT_NUMBER_WEIGHT);
    }
    for (i = 0; i < q->n_articles && ns < sizeof should / sizeof should[0]; i++) {
        xc_query *art;
        plan_pinned(b, ns, 0, ARTICLE_WEIGHT);
        art = ps_qb_term(b, PFX_ARTICLE, q->articles[i]);
        should[ns++] = ps_qb_scale(b, art, ARTICLE_WEIGHT);
        /* "Điều 5 Luật 60/2024/QH15": that article of that document (the
         * numbers are a document's: the plan intersects documents) */
        if (q->n_number_keys + q->n_short_keys > 0 && ns < sizeof should / sizeof should[0]) {
            xc_query *nums[16];
            size_t k, nn2 = 0;
            plan_pinned(b, ns, 0, NUMBER_WEIGHT);
            art = ps_qb_term(b, PFX_ARTICLE, q->articles[i]);
            plan_pinned(b, ns, 1, NUMBER_WEIGHT);
            for (k = 0; k < q->n_number_keys && nn2 < 16; k++)
                nums[nn2++] = ps_qb_term(b, PFX_NUMBER, q->number_keys[k]);
            for (k = 0; k < q->n_short_keys && nn2 < 16; k++)
                nums[nn2++] = ps_qb_term(b, PFX_NUMBER_SHORT, q->short_keys[k]);
            xc_query *either = ps_qb_op(b, XC_OP_OR, nums, nn2, 0);
            should[ns++] = ps_qb_scale(b, ps_qb_op2(b, XC_OP_AND, art, either), NUMBER_WEIGHT);
        }
    }
    plan_at(b, PS_PLAN_OFF, 0, 0, 1);

    /* Long queries are matched on their ELITE_SIZE heaviest groups, chosen
     * here by their terms' weights rather than by Xapian's elite set, so
     * that the plan (facets, document totals) knows which they are. Of
     * those, groups of very common terms only add weight to what the
     * others match. */
    if (ns && !b->failed) {
        size_t gen[PS_PLAN_GROUPS], boost[PS_PLAN_GROUPS], ng, nbo, k;
        xc_query *gq[PS_PLAN_GROUPS], *bq[PS_PLAN_GROUPS];
        ps_plan_choose(p, b, ns, ELITE_SIZE, common, gen, &ng, boost, &nbo);
        for (k = 0; k < ng; k++)
            gq[k] = should[gen[k]];
        for (k = 0; k < nbo; k++)
            bq[k] = should[boost[k]];
        main = ps_qb_op(b, XC_OP_OR, gq, ng, 0);
        p->boosted = nbo > 0;
        if (nbo)
            main = ps_qb_op2(b, XC_OP_AND_MAYBE, main, ps_qb_op(b, XC_OP_OR, bq, nbo, 0));
    }
    if (nm) {
        /* the match is the required part's: one clause is a plain set of
         * leaves, several must meet in one passage */
        size_t k = 0;
        xc_query *req;
        if (nm > 1)
            ps_plan_inexact(p);
        for (i = 0; i < p->n_leaves; i++)
            if (p->leaves[i].group == MUST_GROUP) {
                p->leaves[k] = p->leaves[i];
                p->leaves[k++].group = 0;
            }
        p->n_leaves = k;
        memset(p->chosen, 0, sizeof p->chosen);
        p->chosen[0] = 1;
        p->n_groups = 1;
        req = ps_qb_op(b, XC_OP_AND, must, nm, 0);
        main = main ? ps_qb_op2(b, XC_OP_AND_MAYBE, req, main) : req;
    }
    if (!main) {
        main = ps_qb_own(b, xc_query_match_all(&b->xe));
        p->all = 1;
    }
    if (nf)
        main = ps_qb_op2(b, XC_OP_FILTER, main, ps_qb_op(b, XC_OP_AND, filters, nf, 0));
    if (nn)
        main = ps_qb_op2(b, XC_OP_AND_NOT, main, ps_qb_op(b, XC_OP_OR, nots, nn, 0));
    main = ps_qb_restrict(b, main, o);
    return b->failed ? NULL : main;
}

/* ---- running it ------------------------------------------------------ */

/* Sets each query word's weight from its document frequency (an idf),
 * for snippet windows. */
static void weigh_words(ps_searcher *s, ps_qb *b, ps_query *q)
{
    size_t i, k;
    uint32_t total = 1;
    xc_error xe;
    xc_db_doccount(s->db, &total, &xe);
    for (i = 0; i < q->n; i++) {
        ps_qclause *c = &q->clauses[i];
        if (c->kind == PS_QC_FIELD)
            continue;
        for (k = 0; k < c->n; k++) {
            char t[PS_TERM_MAX + 2];
            uint32_t df = 0;
            int n;
            /* the exact form's frequency, which building the query looked
             * up already, when the index knows it; else the fold's */
            if (!q->folded &&
                ps_qb_termfreq(b, c->words[k].term, strlen(c->words[k].term), &df) == XC_OK &&
                df > 0) {
                double idf = (double)total / (double)(df + 1);
                c->words[k].weight = idf > 1.0 ? 1.0 + __builtin_log(idf) : 1.0;
                continue;
            }
            n = snprintf(t, sizeof t, "F%s", c->words[k].fold);
            if (n > 0 && ps_qb_termfreq(b, t, (size_t)n, &df) == XC_OK) {
                double idf = (double)total / (double)(df + 1);
                c->words[k].weight = idf > 1.0 ? 1.0 + __builtin_log(idf) : 1.0;
            }
        }
    }
}

/* Document facets: the collapse key of every matching document holds its
 * type, issuer and year, so counting keys counts documents. keys[i] is
 * copied. */
static int count_key_facets(ps_results *r, const char *const *keys, const size_t *lens,
                            uint32_t n);

/* MSet items in result order: by weight, and among equal weights by the
 * collapse key (the document, or document and article), not by Xapian's
 * docids, which differ between one index and the same documents split in
 * shards: the same query gives the same list either way. */
typedef struct ranked {
    uint32_t item;
    double w;
    const char *key;
    size_t len;
} ranked;

static int cmp_ranked(const void *x, const void *y)
{
    const ranked *a = x, *b = y;
    size_t l;
    int c;
    /* weights equal to a millionth are equal: one index and shards may
     * add the same parts in another order and differ in the last bits */
    double wa = __builtin_nearbyint(a->w * 1e6), wb = __builtin_nearbyint(b->w * 1e6);
    if (wa != wb)
        return wa > wb ? -1 : 1;
    l = a->len < b->len ? a->len : b->len;
    c = memcmp(a->key, b->key, l);
    if (c)
        return c;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    return (a->item > b->item) - (a->item < b->item);
}

static void tie_order(xc_mset *m, uint32_t *order, uint32_t n, int by_weight)
{
    ranked *v;
    uint32_t i;
    for (i = 0; i < n; i++)
        order[i] = i;
    if (!by_weight || n < 2)
        return;
    v = ps_malloc(n * sizeof *v);
    if (!v)
        return; /* Xapian's order is still a correct ranking */
    for (i = 0; i < n; i++) {
        const char *k = xc_mset_collapse_key(m, i, &v[i].len);
        v[i].item = i;
        v[i].w = xc_mset_weight(m, i);
        /* the key is borrowed until the next call: keep a copy */
        v[i].key = NULL;
        if (k && v[i].len) {
            char *c = ps_malloc(v[i].len);
            if (c)
                memcpy(c, k, v[i].len);
            v[i].key = c;
        }
        if (!v[i].key)
            v[i].len = 0;
    }
    qsort(v, n, sizeof *v, cmp_ranked);
    for (i = 0; i < n; i++) {
        order[i] = v[i].item;
        ps_free((void *)v[i].key);
    }
    ps_free(v);
}

/* Facets: documents by type, issuer and year over every match. For a
 * query of the plan's shape on one index, from the documents the plan
 * matches (docsets.c). Else a second match of the same query, unweighted
 * (counting needs no BM25) and collapsed by document, whose collapse keys
 * carry the three values. The ranked page keeps its own top-k match,
 * where Xapian can stop early. */
static int facet_counts(ps_searcher *s, xc_query *xq, const ps_plan *p,
                        const ps_search_opts *o, ps_results *r, ps_error *err)
{
    xc_error xe;
    xc_enquire *e;
    xc_mset *m = NULL;
    int rc = PS_OK;
    uint32_t n, i;
    const char **keys;
    size_t *lens;
    if (p->exact && !s->n_shards) {
        ps_docmatch dm;
        if ((rc = ps_docsets_match(s, p, &dm, r->arena, err)))
            return rc;
        if (o->unit == PS_UNIT_DOCUMENT) {
            r->total = dm.n;
            r->total_exact = 1;
        }
        if (count_key_facets(r, dm.keys, dm.lens, dm.n))
            return ps_error_set(err, PS_ENOMEM, "out of memory counting facets");
        return PS_OK;
    }
    e = xc_enquire_new(s->db, &xe);
    if (!e || xc_enquire_set_query(e, xq, 0, &xe) || xc_enquire_set_bool_weight(e, &xe) ||
        xc_enquire_set_docid_order(e, 2, &xe) ||
        xc_enquire_set_collapse(e, SLOT_DOCKEY, 1, &xe) ||
        !(m = xc_enquire_mset(e, 0, FACET_MAX_DOCS, FACET_MAX_DOCS, &xe))) {
        rc = ps_from_xc(err, &xe, "counting facets");
        goto out;
    }
    n = xc_mset_size(m);
    if (o->unit == PS_UNIT_DOCUMENT) {
        /* the count is exact here, the ranked match only estimates */
        r->total = n;
        r->total_exact = n < FACET_MAX_DOCS;
    }
    keys = ps_arena_alloc(r->arena, (n ? n : 1) * sizeof *keys);
    lens = ps_arena_alloc(r->arena, (n ? n : 1) * sizeof *lens);
    if (!keys || !lens) {
        rc = ps_error_set(err, PS_ENOMEM, "out of memory counting facets");
        goto out;
    }
    for (i = 0; i < n; i++) {
        /* borrowed until the next call on m: copied */
        const char *k = xc_mset_collapse_key(m, i, &lens[i]);
        keys[i] = k ? ps_arena_strndup(r->arena, k, lens[i]) : NULL;
        if (!keys[i]) {
            rc = ps_error_set(err, PS_ENOMEM, "out of memory counting facets");
            goto out;
        }
    }
    if (count_key_facets(r, keys, lens, n))
        rc = ps_error_set(err, PS_ENOMEM, "out of memory counting facets");
out:
    xc_mset_free(m);
    xc_enquire_free(e);
    return rc;
}

static int run(ps_searcher *s, const ps_search_opts *o, ps_query *pq, ps_results *r,
               ps_error *err)
{
    ps_qb b;
    xc_query *xq;
    xc_enquire *e = NULL;
    xc_mset *m = NULL;
    xc_error xe;
    int rc = PS_OK;
    uint32_t i, max;

    int widen = 0;

again:
    memset(&b, 0, sizeof b);
    b.db = s->db;
    b.widen = widen;
    b.plan = ps_plan_new();
    if (!b.plan) {
        rc = ps_error_set(err, PS_ENOMEM, "out of memory");
        goto out;
    }
    xq = build_query(&b, pq, o);
    if (!xq) {
        rc = ps_from_xc(err, &b.xe, "building the query");
        goto out;
    }
    e = xc_enquire_new(s->db, &xe);
    if (!e || xc_enquire_set_query(e, xq, 0, &xe) ||
        xc_enquire_set_bm25(e, BM25_K1, 0, 1, BM25_B, 0.5, &xe) ||
        xc_enquire_set_collapse(e, o->unit == PS_UNIT_DOCUMENT ? SLOT_DOCKEY : SLOT_UNITKEY, 1,
                                &xe)) {
        rc = ps_from_xc(err, &xe, "preparing the search");
        goto out;
    }
    /* Equal weights in the order of the collapse key, not of Xapian's
     * docids: which of many equal hits make the page (a match-all filter,
     * an article every law repeats) is then the same for one index and
     * for the same documents in shards. */
    if (o->sort == PS_SORT_RELEVANCE
            ? xc_enquire_set_sort(e, XC_SORT_RELEVANCE_THEN_VALUE,
                                  o->unit == PS_UNIT_DOCUMENT ? SLOT_DOCKEY : SLOT_UNITKEY, 0, &xe)
            : xc_enquire_set_sort(e, XC_SORT_VALUE_THEN_RELEVANCE, SLOT_DATE,
                                  o->sort == PS_SORT_DATE_DESC, &xe)) {
        rc = ps_from_xc(err, &xe, "sorting");
        goto out;
    }
    /* from the top, with a few more than asked: equal weights are put in
     * key order below, and the page is cut after that */
    max = o->offset + o->limit + TIE_EXTRA;
    m = xc_enquire_mset(e, 0, max, max, &xe);
    if (!m) {
        rc = ps_from_xc(err, &xe, "searching");
        goto out;
    }
    if (!widen && b.plan->boosted && xc_mset_size(m) < max) {
        /* the telling words match less than the page: every word
         * matches then (the same weights, more hits after them) */
        xc_mset_free(m);
        m = NULL;
        xc_enquire_free(e);
        e = NULL;
        ps_qb_free(&b);
        ps_plan_free(b.plan);
        widen = 1;
        goto again;
    }
    r->total = xc_mset_matches_estimated(m);
    r->total_exact = xc_mset_matches_lower(m) == xc_mset_matches_upper(m);
    if (o->facets && (rc = facet_counts(s, xq, b.plan, o, r, err)))
        goto out;
    {
        uint32_t from = o->offset;
        uint32_t size = xc_mset_size(m);
        uint32_t upto = from + o->limit < size ? from + o->limit : size;
        size_t nh = upto > from ? upto - from : 0;
        uint32_t *order = ps_arena_alloc(r->arena, (size ? size : 1) * sizeof *order);
        if (!order) {
            rc = ps_error_set(err, PS_ENOMEM, "out of memory");
            goto out;
        }
        tie_order(m, order, size, o->sort == PS_SORT_RELEVANCE);
        r->hits = ps_arena_calloc(r->arena, (nh ? nh : 1) * sizeof *r->hits);
        if (!r->hits) {
            rc = ps_error_set(err, PS_ENOMEM, "out of memory");
            goto out;
        }
        if (nh && size <= 200)
            xc_mset_fetch(m, &xe);
        if (o->snippets)
            weigh_words(s, &b, pq);
        for (i = from; i < upto; i++) {
            xc_doc *d = NULL;
            const char *data;
            size_t dlen;
            ps_hit *h = &r->hits[r->n];
            uint32_t it = order[i];
            if (xc_mset_document(m, it, &d, &xe)) {
                rc = ps_from_xc(err, &xe, "reading a hit");
                goto out;
            }
            data = xc_doc_data(d, &dlen);
            rc = ps_read_passage(r->arena, h, data, dlen);
            xc_doc_free(d);
            if (rc) {
                rc = ps_error_set(err, rc, "a stored passage could not be read");
                goto out;
            }
            h->score = xc_mset_weight(m, it);
            h->citation = ps_hit_citation(r->arena, h, h->path);
            if (o->snippets) {
                ps_buf sn;
                ps_buf_init(&sn, 64 * 1024);
                ps_snippet(s->an, pq, h->text, h->text_len, SNIPPET_BYTES, &sn);
                h->snippet = ps_arena_strndup(r->arena, ps_buf_cstr(&sn), sn.len);
                ps_buf_fin(&sn);
            }
            r->n++;
        }
    }
out:
    xc_mset_free(m);
    xc_enquire_free(e);
    ps_qb_free(&b);
    ps_plan_free(b.plan);
    return rc;
}

int ps_search(ps_searcher *s, const ps_search_opts *o, ps_results **out, ps_error *err)
{
    ps_results *r;
    ps_query *pq = NULL;
    int rc, attempt;
    double t0 = ps_now();
    ps_buf d;

    *out = NULL;
    if ((rc = ps_search_opts_check(o, err)))
        return rc;
    r = ps_calloc(1, sizeof *r);
    if (!r || !(r->arena = ps_arena_new())) {
        ps_free(r);
        return ps_error_set(err, PS_ENOMEM, "out of memory");
    }
    r->query = ps_arena_strdup(r->arena, o->query ? o->query : "");
    r->unit = o->unit;
    r->offset = o->offset;
    r->limit = o->limit;
    rc = ps_query_parse(s->an, o->query ? o->query : "", o->query ? strlen(o->query) : 0, &pq,
                        err);
    if (rc) {
        ps_results_free(r);
        return rc;
    }
    ps_buf_init(&d, 0);
    ps_query_describe(pq, &d);
    r->parsed = ps_arena_strndup(r->arena, ps_buf_cstr(&d), d.len);
    ps_buf_fin(&d);
    if (pq->truncated)
        ps_search_warn(r, "the query was too long and was cut");
    /* a reader whose revision was overwritten reopens and tries again
     * (a busy daemon's search may see several commits of a re-index) */
    for (attempt = 0; attempt < PS_RETRIES; attempt++) {
        rc = run(s, o, pq, r, err);
        if (rc == PS_ENETWORK && s->n_shards) {
            /* a shard stopped answering: find it, leave it out, again */
            r->n = 0;
            if (ps_shards_recheck(s, 1, err))
                break;
            continue;
        }
        if (rc != PS_EMODIFIED)
            break;
        r->n = 0;
        if (ps_searcher_reopen(s, NULL, err))
            break;
    }
    if (rc == PS_OK)
        ps_shards_warn(s, r);
    ps_query_free(pq);
    if (rc) {
        ps_results_free(r);
        return rc;
    }
    r->took_ms = (ps_now() - t0) * 1000.0;
    *out = r;
    return PS_OK;
}

void ps_search_warn(ps_results *r, const char *msg)
{
    ps_push_warning(r->arena, &r->warnings, &r->n_warnings, msg);
}

void ps_push_warning(ps_arena *a, const char ***list, size_t *n, const char *msg)
{
    const char **nw = ps_arena_alloc(a, (*n + 1) * sizeof *nw);
    if (!nw)
        return;
    if (*n)
        memcpy(nw, *list, *n * sizeof *nw);
    nw[*n] = ps_arena_strdup(a, msg);
    if (nw[*n]) {
        *list = nw;
        (*n)++;
    }
}

void ps_results_free(ps_results *r)
{
    if (!r)
        return;
    ps_arena_free(r->arena);
    ps_free(r);
}

typedef struct fcount {
    const char *v;
    size_t len;
    uint32_t n;
} fcount;

static int cmp_fv(const void *a, const void *b)
{
    const fcount *x = a, *y = b;
    size_t l = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->v, y->v, l);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

static int cmp_count(const void *a, const void *b)
{
    const fcount *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return cmp_fv(a, b);
}

static int count_key_facets(ps_results *r, const char *const *keys, const size_t *lens,
                            uint32_t n)
{
    static const char *const names[3] = {"type", "issuer", "year"};
    uint32_t i;
    fcount *v[3];
    int f, rc = PS_OK;
    for (f = 0; f < 3; f++)
        v[f] = ps_arena_alloc(r->arena, (n ? n : 1) * sizeof(fcount));
    if (!v[0] || !v[1] || !v[2])
        return PS_ENOMEM;
    for (i = 0; i < n; i++) {
        size_t len = lens[i];
        const char *end, *p;
        char *copy;
        /* "key US type US issuer US year": the last three fields */
        if (!keys[i] || !(copy = ps_arena_strndup(r->arena, keys[i], len)))
            return PS_ENOMEM;
        end = copy + len;
        for (f = 2; f >= 0; f--) {
            p = end;
            while (p > copy && p[-1] != '\x1f')
                p--;
            v[f][i].v = p;
            v[f][i].len = (size_t)(end - p);
            v[f][i].n = 1;
            end = p > copy ? p - 1 : p;
        }
    }
    for (f = 0; f < 3 && rc == PS_OK; f++) {
        ps_facet *fa = &r->facets[f];
        size_t k, m = 0;
        qsort(v[f], n, sizeof(fcount), cmp_fv);
        for (k = 0; k < n; k++) {
            if (v[f][k].len == 0)
                continue; /* unknown: not a facet value */
            if (m && cmp_fv(&v[f][m - 1], &v[f][k]) == 0)
                v[f][m - 1].n++;
            else
                v[f][m++] = v[f][k];
        }
        qsort(v[f], m, sizeof(fcount), cmp_count);
        if (m > 50)
            m = 50;
        fa->name = names[f];
        fa->values = ps_arena_alloc(r->arena, (m ? m : 1) * sizeof *fa->values);
        if (!fa->values)
            return PS_ENOMEM;
        for (k = 0; k < m; k++) {
            fa->values[k].value = ps_arena_strndup(r->arena, v[f][k].v, v[f][k].len);
            fa->values[k].count = v[f][k].n;
        }
        fa->n = m;
    }
    r->n_facets = 3;
    return rc;
}
