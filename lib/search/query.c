/*
 * query.c: the query language (see search.h) into a ps_query.
 *
 * The lexer cuts the cleaned query into items: phrases, field:value,
 * OR, and whitespace-separated segments with an optional + or -. Runs of
 * plain segments are analysed together, so the analyzer sees punctuation
 * between words (no bigram across "57-NQ/TW" parts, or across a comma).
 * Document numbers are looked for twice: by the document-number scanner on
 * the text ("57-NQ/TW", "13/2023/NĐ-CP") and by token patterns people type
 * ("57 nq tw", "nq 57", "nghị quyết số 57").
 */
#include <string.h>

#include "polsearch/doc.h"
#include "polsearch/search.h"

typedef struct qbuild {
    ps_query *q;
    ps_analyzer *an;
    size_t cap;          /* clauses allocated */
    size_t nkeys_cap, nshort_cap, narticles_cap;
    size_t words;        /* words so far (capped) */
    int rc;
} qbuild;

static const char *const fields[] = {"type", "issuer", "number", "year", "cites", "article"};

static ps_qclause *new_clause(qbuild *b, int kind, int mod, int or_prev)
{
    ps_qclause *c;
    if (b->rc)
        return NULL;
    if (b->q->n == b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 16;
        ps_qclause *nc = ps_arena_alloc(b->q->arena, ncap * sizeof *nc);
        if (!nc) {
            b->rc = PS_ENOMEM;
            return NULL;
        }
        if (b->q->n)
            memcpy(nc, b->q->clauses, b->q->n * sizeof *nc);
        b->q->clauses = nc;
        b->cap = ncap;
    }
    c = &b->q->clauses[b->q->n++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->mod = mod;
    c->or_prev = or_prev;
    return c;
}

/* Analyses text[s, e) into words; returns them in the arena. */
static ps_qword *analyse(qbuild *b, size_t s, size_t e, size_t *nout)
{
    ps_error err;
    ps_token t;
    ps_qword *w = NULL;
    size_t n = 0, cap = 0;
    *nout = 0;
    if (b->rc || ps_analyzer_start(b->an, b->q->text + s, e - s, 0, &err))
        return NULL;
    while (ps_analyzer_next(b->an, &t)) {
        if (b->words >= PS_QUERY_MAX_WORDS) {
            b->q->truncated = 1;
            break;
        }
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            ps_qword *nw = ps_arena_alloc(b->q->arena, ncap * sizeof *nw);
            if (!nw) {
                b->rc = PS_ENOMEM;
                return NULL;
            }
            if (n)
                memcpy(nw, w, n * sizeof *nw);
            w = nw;
            cap = ncap;
        }
        w[n].term = ps_arena_strndup(b->q->arena, t.term, t.term_len);
        w[n].fold = ps_arena_strndup(b->q->arena, t.fold, t.fold_len);
        w[n].flags = t.flags;
        w[n].start = s + t.start;
        w[n].end = s + t.end;
        w[n].weight = 0;
        if (!w[n].term || !w[n].fold) {
            b->rc = PS_ENOMEM;
            return NULL;
        }
        n++;
        b->words++;
    }
    *nout = n;
    return w;
}

static void add_words(qbuild *b, size_t s, size_t e, int mod, int or_prev)
{
    size_t n, i;
    ps_qword *w = analyse(b, s, e, &n);
    for (i = 0; i < n; i++) {
        ps_qclause *c = new_clause(b, PS_QC_WORD, mod, i == 0 ? or_prev : 0);
        if (!c)
            return;
        c->words = &w[i];
        c->n = 1;
    }
}

static int is_space(const char *t, size_t i, size_t len, size_t *skip)
{
    unsigned char c = (unsigned char)t[i];
    *skip = 1;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r')
        return 1;
    if (c == 0xC2 && i + 1 < len && (unsigned char)t[i + 1] == 0xA0) {
        *skip = 2;
        return 1;
    }
    return 0;
}

/* A quote: " or the curly “ ” that Vietnamese text uses. */
static int is_quote(const char *t, size_t i, size_t len, size_t *skip)
{
    *skip = 1;
    if (t[i] == '"')
        return 1;
    if (i + 2 < len && (unsigned char)t[i] == 0xE2 && (unsigned char)t[i + 1] == 0x80 &&
        ((unsigned char)t[i + 2] == 0x9C || (unsigned char)t[i + 2] == 0x9D)) {
        *skip = 3;
        return 1;
    }
    return 0;
}

/* field name at t[i..]: returns its length up to ':' or 0. */
static size_t field_at(const char *t, size_t i, size_t len, const char **name)
{
    size_t k;
    for (k = 0; k < sizeof fields / sizeof fields[0]; k++) {
        size_t fl = strlen(fields[k]);
        if (i + fl < len && strncasecmp(t + i, fields[k], fl) == 0 && t[i + fl] == ':') {
            *name = fields[k];
            return fl;
        }
    }
    return 0;
}

static void push_key(qbuild *b, const char ***arr, size_t *n, size_t *cap, const char *key,
                     size_t len)
{
    size_t i;
    if (b->rc || len == 0)
        return;
    for (i = 0; i < *n; i++)
        if (strlen((*arr)[i]) == len && memcmp((*arr)[i], key, len) == 0)
            return;
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 4;
        const char **na = ps_arena_alloc(b->q->arena, ncap * sizeof *na);
        if (!na) {
            b->rc = PS_ENOMEM;
            return;
        }
        if (*n)
            memcpy(na, *arr, *n * sizeof *na);
        *arr = na;
        *cap = ncap;
    }
    (*arr)[*n] = ps_arena_strndup(b->q->arena, key, len);
    if (!(*arr)[*n])
        b->rc = PS_ENOMEM;
    else
        (*n)++;
}

static void push_number(qbuild *b, const char *s, size_t n)
{
    ps_buf k;
    ps_buf_init(&k, 256);
    /* a key without letters ("57") names no document */
    if (ps_docnum_key(s, n, &k) == PS_OK && strpbrk(k.data, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        push_key(b, &b->q->number_keys, &b->q->n_number_keys, &b->nkeys_cap, k.data, k.len);
    ps_buf_reset(&k);
    if (ps_docnum_short_key(s, n, &k) == PS_OK)
        push_key(b, &b->q->short_keys, &b->q->n_short_keys, &b->nshort_cap, k.data, k.len);
    ps_buf_fin(&k);
}

static int scan_cb(void *ctx, const ps_docnum_match *m)
{
    qbuild *b = ctx;
    push_number(b, b->q->text + m->start, m->end - m->start);
    return b->rc;
}

/* Strips leading zeros of a number word ("05" -> "5") into out. */
static void digits_no_zeros(const char *s, ps_buf *out)
{
    while (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
        s++;
    ps_buf_adds(out, s);
}

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* The key abbreviation ("ND") of a typed type abbreviation ("nđ", "nd",
 * "NQ"), or NULL when the word is not one. */
static const char *abbrev_of_word(const char *fold)
{
    char up[16];
    size_t i, n = strlen(fold);
    const char *type;
    if (n == 0 || n >= sizeof up)
        return NULL;
    for (i = 0; i < n; i++)
        up[i] = (char)(fold[i] >= 'a' && fold[i] <= 'z' ? fold[i] - 32 : fold[i]);
    up[n] = 0;
    type = ps_doctype_from_abbrev(up, n);
    return type ? ps_doctype_abbrev(type, strlen(type)) : NULL;
}

/* Number patterns over the words of the whole query, as people type them:
 *   57 nq [tw]         number then a type abbreviation (and issuer code)
 *   nq [số] 57         abbreviation, optional "số", number
 *   nghị quyết [số] 57 type words, optional "số", number */
static void number_patterns(qbuild *b, ps_qword *w, size_t n)
{
    size_t i;
    ps_buf k;
    ps_buf_init(&k, 256);
    for (i = 0; i < n && !b->rc; i++) {
        const char *ab;
        if (!all_digits(w[i].term) || strlen(w[i].term) > 6)
            continue;
        /* "điều 5": the article a query names */
        if (i > 0 && strcmp(w[i - 1].fold, "dieu") == 0)
            push_key(b, &b->q->articles, &b->q->n_articles, &b->narticles_cap, w[i].term,
                     strlen(w[i].term));
        /* the year of "13/2023/NĐ-CP" is not a number of its own */
        if (i > 0 && all_digits(w[i - 1].term) && w[i].start == w[i - 1].end + 1 &&
            b->q->text[w[i - 1].end] == '/')
            continue;
        /* number then abbreviation */
        if (i + 1 < n && !all_digits(w[i + 1].term) && abbrev_of_word(w[i + 1].fold)) {
            size_t last = i + 1;
            if (i + 2 < n && strlen(w[i + 2].fold) <= 8 && !(w[i + 2].flags & PS_TOK_SENTENCE))
                last = i + 2;
            push_number(b, b->q->text + w[i].start, w[last].end - w[i].start);
            /* the short key alone, when the issuer part was a guess */
            ab = abbrev_of_word(w[i + 1].fold);
            if (ab) {
                ps_buf_reset(&k);
                digits_no_zeros(w[i].term, &k);
                ps_buf_addc(&k, '-');
                ps_buf_adds(&k, ab);
                push_key(b, &b->q->short_keys, &b->q->n_short_keys, &b->nshort_cap, k.data,
                         k.len);
            }
        }
        /* type words or abbreviation before the number, "số" skipped */
        {
            size_t j = i, span;
            if (j > 0 && strcmp(w[j - 1].fold, "so") == 0)
                j--;
            if (j > 0 && (ab = abbrev_of_word(w[j - 1].fold)) != NULL) {
                /* "nq 57", "NĐ số 13" */
                ps_buf_reset(&k);
                digits_no_zeros(w[i].term, &k);
                ps_buf_addc(&k, '-');
                ps_buf_adds(&k, ab);
                push_key(b, &b->q->short_keys, &b->q->n_short_keys, &b->nshort_cap, k.data,
                         k.len);
                continue;
            }
            for (span = 3; span >= 1; span--) {
                size_t s0;
                if (j < span)
                    continue;
                s0 = j - span;
                ab = ps_doctype_abbrev(b->q->text + w[s0].start, w[j - 1].end - w[s0].start);
                if (ab) {
                    ps_buf_reset(&k);
                    digits_no_zeros(w[i].term, &k);
                    ps_buf_addc(&k, '-');
                    ps_buf_adds(&k, ab);
                    push_key(b, &b->q->short_keys, &b->q->n_short_keys, &b->nshort_cap,
                             k.data, k.len);
                    break;
                }
            }
        }
    }
    ps_buf_fin(&k);
}

int ps_query_parse(ps_analyzer *an, const char *raw, size_t rawlen, ps_query **out,
                   ps_error *err)
{
    qbuild b;
    ps_query *q;
    ps_buf clean;
    const char *t;
    size_t len, i = 0, run_s = 0, run_e = 0;
    int have_run = 0, or_next = 0;

    *out = NULL;
    memset(&b, 0, sizeof b);
    q = ps_calloc(1, sizeof *q);
    if (!q)
        return ps_error_set(err, PS_ENOMEM, "out of memory parsing a query");
    q->arena = ps_arena_new();
    if (!q->arena) {
        ps_free(q);
        return ps_error_set(err, PS_ENOMEM, "out of memory parsing a query");
    }
    if (rawlen > PS_QUERY_MAX_BYTES) {
        /* cut at a space so no word is split */
        size_t cut = PS_QUERY_MAX_BYTES;
        while (cut > PS_QUERY_MAX_BYTES / 2 && raw[cut] != ' ')
            cut--;
        rawlen = cut;
        q->truncated = 1;
    }
    ps_buf_init(&clean, PS_QUERY_MAX_BYTES * 4);
    {
        int rc = ps_text_clean(raw, rawlen, &clean, NULL, err);
        if (rc) {
            ps_buf_fin(&clean);
            ps_query_free(q);
            return rc; /* also when err is NULL: not EINVAL for ENOMEM */
        }
    }
    q->text = ps_arena_strndup(q->arena, ps_buf_cstr(&clean), clean.len);
    ps_buf_fin(&clean);
    if (!q->text) {
        ps_query_free(q);
        return ps_error_set(err, PS_ENOMEM, "out of memory parsing a query");
    }
    t = q->text;
    len = strlen(t);
    b.q = q;
    b.an = an;

#define FLUSH_RUN()                                                                          \
    do {                                                                                     \
        if (have_run) {                                                                      \
            add_words(&b, run_s, run_e, PS_QM_SHOULD, or_next);                               \
            or_next = 0;                                                                     \
            have_run = 0;                                                                    \
        }                                                                                    \
    } while (0)

    while (i < len && !b.rc) {
        size_t skip, fl;
        const char *fname = NULL;
        int mod = PS_QM_SHOULD;
        if (is_space(t, i, len, &skip)) {
            i += skip;
            continue;
        }
        /* OR between clauses */
        if (t[i] == 'O' && i + 1 < len && t[i + 1] == 'R' &&
            (i + 2 == len || is_space(t, i + 2, len, &skip)) &&
            (i == 0 || is_space(t, i - 1, len, &skip))) {
            FLUSH_RUN();
            or_next = 1;
            i += 2;
            continue;
        }
        if ((t[i] == '-' || t[i] == '+') && i + 1 < len && !is_space(t, i + 1, len, &skip)) {
            mod = t[i] == '-' ? PS_QM_NOT : PS_QM_MUST;
            i++;
        }
        if (is_quote(t, i, len, &skip)) {
            size_t s = i + skip, e = s, q2;
            ps_qclause *c;
            while (e < len && !is_quote(t, e, len, &q2))
                e++;
            FLUSH_RUN();
            c = new_clause(&b, PS_QC_PHRASE, mod == PS_QM_NOT ? PS_QM_NOT : PS_QM_MUST, or_next);
            or_next = 0;
            if (c) {
                c->words = analyse(&b, s, e, &c->n);
                if (c->n == 1)
                    c->kind = PS_QC_WORD;
                else if (c->n == 0)
                    q->n--; /* an empty phrase says nothing */
            }
            i = e < len ? e + q2 : len;
            continue;
        }
        if ((fl = field_at(t, i, len, &fname)) > 0) {
            size_t s = i + fl + 1, e, q2;
            ps_qclause *c;
            FLUSH_RUN();
            if (s < len && is_quote(t, s, len, &q2)) {
                s += q2;
                e = s;
                while (e < len && !is_quote(t, e, len, &q2))
                    e++;
                i = e < len ? e + q2 : len;
            } else {
                e = s;
                while (e < len && !is_space(t, e, len, &q2))
                    e++;
                i = e;
            }
            if (e > s) {
                c = new_clause(&b, PS_QC_FIELD, mod, or_next);
                or_next = 0;
                if (c) {
                    c->field = fname;
                    c->value = ps_arena_strndup(q->arena, t + s, e - s);
                    if (!c->value)
                        b.rc = PS_ENOMEM;
                }
            }
            continue;
        }
        {
            /* a plain segment up to the next space or quote */
            size_t s = i, e = i, q2;
            while (e < len && !is_space(t, e, len, &q2) && !is_quote(t, e, len, &q2))
                e++;
            if (mod != PS_QM_SHOULD) {
                FLUSH_RUN();
                add_words(&b, s, e, mod, or_next);
                or_next = 0;
            } else if (have_run) {
                run_e = e;
            } else {
                have_run = 1;
                run_s = s;
                run_e = e;
            }
            i = e;
        }
    }
    FLUSH_RUN();
#undef FLUSH_RUN

    if (!b.rc) {
        /* numbers: scanner on the text, then typed patterns on the words */
        ps_qword *all;
        size_t nall = 0, k, m;
        for (k = 0; k < q->n; k++)
            if (q->clauses[k].kind != PS_QC_FIELD)
                nall += q->clauses[k].n;
        ps_docnum_scan(t, len, scan_cb, &b);
        all = ps_arena_alloc(q->arena, (nall ? nall : 1) * sizeof *all);
        if (!all) {
            b.rc = PS_ENOMEM;
        } else {
            nall = 0;
            for (k = 0; k < q->n; k++)
                if (q->clauses[k].kind != PS_QC_FIELD && q->clauses[k].mod != PS_QM_NOT)
                    for (m = 0; m < q->clauses[k].n; m++)
                        all[nall++] = q->clauses[k].words[m];
            number_patterns(&b, all, nall);
        }
        q->folded = !ps_text_has_marks(t, len);
    }
    if (b.rc) {
        ps_query_free(q);
        return ps_error_set(err, b.rc, "out of memory parsing a query");
    }
    *out = q;
    return PS_OK;
}

void ps_query_free(ps_query *q)
{
    if (!q)
        return;
    ps_arena_free(q->arena);
    ps_free(q);
}

int ps_query_describe(const ps_query *q, ps_buf *out)
{
    size_t i, k;
    int first = 1;
#define SEP() do { if (!first) ps_buf_addc(out, ' '); first = 0; } while (0)
    if (q->folded) {
        SEP();
        ps_buf_adds(out, "folded");
    }
    for (i = 0; i < q->n; i++) {
        const ps_qclause *c = &q->clauses[i];
        SEP();
        if (c->or_prev)
            ps_buf_adds(out, "OR ");
        if (c->mod == PS_QM_NOT)
            ps_buf_addc(out, '-');
        else if (c->mod == PS_QM_MUST && c->kind != PS_QC_PHRASE)
            ps_buf_addc(out, '+');
        switch (c->kind) {
        case PS_QC_WORD:
            ps_buf_addf(out, "w(%s)", c->words[0].term);
            break;
        case PS_QC_PHRASE:
            ps_buf_adds(out, "p(");
            for (k = 0; k < c->n; k++)
                ps_buf_addf(out, "%s%s", k ? " " : "", c->words[k].term);
            ps_buf_addc(out, ')');
            break;
        default:
            ps_buf_addf(out, "%s:%s", c->field, c->value);
        }
    }
    for (i = 0; i < q->n_number_keys; i++) {
        SEP();
        ps_buf_addf(out, "num(%s)", q->number_keys[i]);
    }
    for (i = 0; i < q->n_short_keys; i++) {
        SEP();
        ps_buf_addf(out, "short(%s)", q->short_keys[i]);
    }
    for (i = 0; i < q->n_articles; i++) {
        SEP();
        ps_buf_addf(out, "article(%s)", q->articles[i]);
    }
    if (q->truncated) {
        SEP();
        ps_buf_adds(out, "truncated");
    }
#undef SEP
    return out->err;
}
