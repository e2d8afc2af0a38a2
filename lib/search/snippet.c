/*
 * snippet.c: the window of a passage that best shows why it matched, and
 * the spans to highlight.
 *
 * Each token of the text is compared with the query's words: equal
 * canonical terms are an exact match, equal folds a folded one (a full
 * match when the query was typed without diacritics). A window scores the
 * weights of the distinct words it holds, plus a bonus for query words
 * found side by side in query order (a phrase reads better than scattered
 * words). The best window of about max_bytes is shown, snapped back to
 * the start of its sentence when that is near.
 */
#include <string.h>

#include "polsearch/search.h"

#define MAX_TOKENS 20000       /* tokens examined in one text */

typedef struct qw {
    const char *term, *fold;
    double w;
    int has_marks;
} qw;

typedef struct tokm {
    size_t start, end;
    int word;     /* index into the query words, -1 for none */
    int exact;    /* exact (or full folded) match */
    unsigned flags;
} tokm;

/* The query words worth matching (not negated), deduplicated. */
static size_t collect_words(const ps_query *q, qw *out, size_t cap)
{
    size_t i, k, n = 0, j;
    for (i = 0; i < q->n; i++) {
        const ps_qclause *c = &q->clauses[i];
        if (c->kind == PS_QC_FIELD || c->mod == PS_QM_NOT)
            continue;
        for (k = 0; k < c->n && n < cap; k++) {
            const ps_qword *w = &c->words[k];
            for (j = 0; j < n; j++)
                if (strcmp(out[j].term, w->term) == 0)
                    break;
            if (j < n)
                continue;
            out[n].term = w->term;
            out[n].fold = w->fold;
            out[n].w = w->weight > 0 ? w->weight : 1.0;
            out[n].has_marks = (w->flags & PS_TOK_MARKS) != 0;
            n++;
        }
    }
    return n;
}

/* The query words by fold: a token is compared only with the words of
 * its fold (a handful), not with every word of a long question. */
#define FOLD_SLOTS 1024 /* a power of two above 2 * PS_QUERY_MAX_WORDS */
typedef struct foldix {
    int head[FOLD_SLOTS]; /* first word of a slot, -1 none */
    int next[PS_QUERY_MAX_WORDS];
} foldix;

static unsigned fold_slot(const char *s)
{
    return (unsigned)(ps_hash64(s, strlen(s)) & (FOLD_SLOTS - 1));
}

static void foldix_build(foldix *ix, const qw *words, size_t nw)
{
    size_t i;
    int *tail[FOLD_SLOTS];
    for (i = 0; i < FOLD_SLOTS; i++) {
        ix->head[i] = -1;
        tail[i] = &ix->head[i];
    }
    /* chains in word order, as the matching below needs */
    for (i = 0; i < nw; i++) {
        unsigned sl = fold_slot(words[i].fold);
        ix->next[i] = -1;
        *tail[sl] = (int)i;
        tail[sl] = &ix->next[i];
    }
}

/* Tokenises text and marks each token's match. Returns the token count
 * (capped), or 0 on error. *toks is caller-freed. */
static size_t match_tokens(ps_analyzer *an, const ps_query *q, const qw *words, size_t nw,
                           const char *text, size_t len, tokm **toks)
{
    ps_error err;
    ps_token t;
    size_t n = 0, cap = 256;
    tokm *tk;
    foldix *ix = ps_malloc(sizeof *ix);
    *toks = NULL;
    if (!ix)
        return 0;
    foldix_build(ix, words, nw);
    tk = ps_malloc(cap * sizeof *tk);
    if (!tk || ps_analyzer_start(an, text, len, 0, &err)) {
        ps_free(tk);
        ps_free(ix);
        return 0;
    }
    while (n < MAX_TOKENS && ps_analyzer_next(an, &t)) {
        int j;
        if (n == cap) {
            tokm *nt = ps_realloc(tk, cap * 2 * sizeof *tk);
            if (!nt)
                break;
            tk = nt;
            cap *= 2;
        }
        tk[n].start = t.start;
        tk[n].end = t.end;
        tk[n].flags = t.flags;
        tk[n].word = -1;
        tk[n].exact = 0;
        /* the first word matching in full, else the last matching by fold */
        for (j = ix->head[fold_slot(t.fold)]; j >= 0; j = ix->next[j]) {
            if (strcmp(words[j].fold, t.fold) != 0)
                continue;
            tk[n].word = j;
            if (!q->folded && strcmp(words[j].term, t.term) == 0) {
                tk[n].exact = 1;
                break;
            }
            /* a folded match is full when the query had no marks */
            tk[n].exact = q->folded || !words[j].has_marks;
            if (tk[n].exact)
                break;
        }
        n++;
    }
    ps_free(ix);
    *toks = tk;
    return n;
}

int ps_highlight_spans(ps_analyzer *an, const ps_query *q, const char *text, size_t len,
                       ps_match_fn fn, void *ctx)
{
    qw words[PS_QUERY_MAX_WORDS];
    size_t nw = collect_words(q, words, PS_QUERY_MAX_WORDS), n, i;
    tokm *tk;
    int rc = 0;
    if (nw == 0)
        return 0;
    n = match_tokens(an, q, words, nw, text, len, &tk);
    for (i = 0; i < n && rc == 0; i++)
        if (tk[i].word >= 0 && tk[i].exact)
            rc = fn(ctx, tk[i].start, tk[i].end);
    ps_free(tk);
    return rc;
}

/* Writes text[s, e) escaped, with tokens that match marked; runs of
 * marked tokens separated by spaces only share one <mark>. */
static void emit(ps_buf *out, const char *text, size_t s, size_t e, const tokm *tk, size_t n,
                 int fold_marks)
{
    size_t i, pos = s;
    int open = 0;
    for (i = 0; i < n; i++) {
        int marked;
        if (tk[i].end <= s)
            continue;
        if (tk[i].start >= e)
            break;
        marked = tk[i].word >= 0 && (tk[i].exact || fold_marks);
        if (open && (!marked || (tk[i].flags & PS_TOK_BREAK))) {
            ps_buf_adds(out, "</mark>");
            open = 0;
        }
        ps_html_escape(out, text + pos, tk[i].start - pos);
        pos = tk[i].start;
        if (marked && !open) {
            ps_buf_adds(out, "<mark>");
            open = 1;
        }
        ps_html_escape(out, text + pos, tk[i].end - pos);
        pos = tk[i].end;
    }
    if (open)
        ps_buf_adds(out, "</mark>");
    if (pos < e)
        ps_html_escape(out, text + pos, e - pos);
}

/* Collapses runs of whitespace (line breaks in the middle of a snippet)
 * into single spaces, in place over out[from..]. */
static void squeeze_spaces(ps_buf *out, size_t from)
{
    size_t r, w = from;
    int sp = 0;
    for (r = from; r < out->len; r++) {
        char c = out->data[r];
        if (c == '\n' || c == '\t' || c == '\f' || c == ' ') {
            if (!sp && w > from)
                out->data[w++] = ' ';
            sp = 1;
            continue;
        }
        sp = 0;
        out->data[w++] = c;
    }
    while (w > from && out->data[w - 1] == ' ')
        w--;
    out->len = w;
    if (out->data)
        out->data[w] = '\0';
}

int ps_snippet(ps_analyzer *an, const ps_query *q, const char *text, size_t len,
               size_t max_bytes, ps_buf *out)
{
    qw words[PS_QUERY_MAX_WORDS];
    size_t nw = collect_words(q, words, PS_QUERY_MAX_WORDS), n = 0, i, j;
    size_t best_s = 0, best_e, from = out->len;
    tokm *tk = NULL;
    double best = -1;
    int any_exact = 0;
    unsigned char *seen = NULL;

    if (max_bytes == 0)
        max_bytes = 240;
    best_e = len < max_bytes ? len : max_bytes;
    if (nw)
        n = match_tokens(an, q, words, nw, text, len, &tk);
    seen = ps_calloc(nw ? nw : 1, 1);
    if (nw && !seen) {
        ps_free(tk);
        return PS_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        double sc = 0;
        if (tk[i].word < 0)
            continue; /* windows start on a match */
        memset(seen, 0, nw);
        for (j = i; j < n && tk[j].end - tk[i].start <= max_bytes; j++) {
            int w = tk[j].word;
            if (w < 0)
                continue;
            if (!seen[w]) {
                seen[w] = 1;
                sc += words[w].w * (tk[j].exact ? 1.0 : 0.6);
            }
            if (j > i && tk[j - 1].word >= 0 && tk[j - 1].word + 1 == w &&
                !(tk[j].flags & PS_TOK_BREAK))
                sc += 0.5 * words[w].w;
        }
        if (sc > best) {
            best = sc;
            best_s = tk[i].start;
        }
    }
    if (best >= 0) {
        /* start at the sentence or line start when it is near */
        size_t k, lim = best_s > 60 ? best_s - 60 : 0;
        for (k = best_s; k > lim; k--)
            if (text[k - 1] == '\n' || ((text[k - 1] == ' ') && k >= 2 &&
                                        (text[k - 2] == '.' || text[k - 2] == ';')))
                break;
        if (k > lim || k == 0)
            best_s = k;
        else {
            /* otherwise give a little context before the first match */
            size_t c = best_s > 40 ? best_s - 40 : 0;
            while (c < best_s && text[c] != ' ')
                c++;
            best_s = c < best_s ? c + 1 : best_s;
        }
        best_e = best_s + max_bytes < len ? best_s + max_bytes : len;
    }
    /* end on a word boundary */
    if (best_e < len) {
        size_t k = best_e;
        while (k > best_s && text[k] != ' ' && text[k] != '\n')
            k--;
        if (k > best_s)
            best_e = k;
    }
    for (i = 0; i < n; i++)
        if (tk[i].word >= 0 && tk[i].exact && tk[i].start >= best_s && tk[i].end <= best_e)
            any_exact = 1;
    if (best_s > 0)
        ps_buf_adds(out, "\xE2\x80\xA6"); /* … */
    emit(out, text, best_s, best_e, tk, n, !any_exact);
    if (best_e < len)
        ps_buf_adds(out, "\xE2\x80\xA6");
    squeeze_spaces(out, from);
    ps_free(tk);
    ps_free(seen);
    return out->err;
}
