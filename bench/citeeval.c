/*
 * citeeval: how often `polsearch cite` ranks a quote's source first.
 *
 *   citeeval --db DIR --corpus FILE.jsonl [--cases N] [--seed S]
 *
 * Draws N spans of 8-40 syllables at random from the documents of a JSON
 * Lines corpus (each inside one line of text), and N paragraphs of 40-120
 * syllables across line breaks, then asks ps_cite for each, as typed in
 * the variants the citation issue lists:
 *   exact       the span as written
 *   nodiac      every diacritic removed (and lowercased)
 *   tone        the other tone placement (hòa <-> hoà, thủy <-> thuỷ ...)
 *   nfd         decomposed (NFD)
 *   edited      one word changed for another and one word dropped
 *   paragraph   a whole paragraph pasted with its line breaks moved and
 *               its numbering mangled ("1." -> "1)", "a)" dropped)
 * A case is right when the first source is the span's document and its
 * match overlaps the span (strict), or when the first source's matched
 * text is the same text in another document, as repeated formulations
 * and successive versions of a law are (lenient). Prints both shares and
 * the time per quote; with CITEEVAL_MISSES=1 in the environment, every
 * case that is wrong on both counts.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "polsearch/search.h"

typedef struct doc {
    char *id;
    char *text;     /* cleaned, as indexed */
    size_t len;
} doc;

static doc *docs;
static size_t ndocs;
static unsigned long long rng = 88172645463325252ULL;

static unsigned long long rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int load(const char *path)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, dcap = 0;
    ssize_t n;
    if (!f)
        return -1;
    while ((n = getline(&line, &cap, f)) > 0) {
        json_error_t je;
        json_t *o = json_loadb(line, (size_t)n, 0, &je);
        const char *t, *id;
        ps_buf b;
        if (!o)
            continue;
        t = json_string_value(json_object_get(o, "text"));
        id = json_string_value(json_object_get(o, "id"));
        if (t && id) {
            if (ndocs == dcap) {
                dcap = dcap ? dcap * 2 : 256;
                docs = realloc(docs, dcap * sizeof *docs);
            }
            ps_buf_init(&b, 0);
            ps_text_clean(t, strlen(t), &b, NULL, NULL);
            docs[ndocs].id = strdup(id);
            docs[ndocs].len = b.len;
            docs[ndocs].text = ps_buf_steal(&b, NULL);
            ndocs++;
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    return ndocs ? 0 : -1;
}

typedef struct span {
    size_t d;           /* document */
    size_t start, end;  /* bytes in its text */
} span;

/* A random span of [lo, hi] tokens inside one line (or across lines). */
static int draw(ps_analyzer *an, size_t lo, size_t hi, int cross_lines, span *sp)
{
    int tries;
    for (tries = 0; tries < 200; tries++) {
        doc *d = &docs[rnd() % ndocs];
        size_t at = d->len ? (size_t)(rnd() % d->len) : 0, ls, le, want;
        ps_token t;
        ps_error e;
        size_t n = 0, first = 0, last = 0;
        /* the line (or, across lines, a window of text) around at */
        ls = at;
        while (ls > 0 && d->text[ls - 1] != '\n')
            ls--;
        le = at;
        if (cross_lines)
            le = ls + 3000 < d->len ? ls + 3000 : d->len;
        else
            while (le < d->len && d->text[le] != '\n')
                le++;
        want = lo + (size_t)(rnd() % (hi - lo + 1));
        if (ps_analyzer_start(an, d->text + ls, le - ls, 0, &e))
            continue;
        while (ps_analyzer_next(an, &t)) {
            if (n == 0)
                first = t.start;
            last = t.end;
            if (++n == want)
                break;
        }
        if (n < want)
            continue;
        sp->d = (size_t)(d - docs);
        sp->start = ls + first;
        sp->end = ls + last;
        return 0;
    }
    return -1;
}

/* The other tone placement of open oa/oe/uy syllables, both ways. */
static char *tone_shift(const char *s)
{
    static const char *const pairs[][2] = {
        {"òa", "oà"}, {"óa", "oá"}, {"ỏa", "oả"}, {"õa", "oã"}, {"ọa", "oạ"},
        {"òe", "oè"}, {"óe", "oé"}, {"ỏe", "oẻ"}, {"õe", "oẽ"}, {"ọe", "oẹ"},
        {"ùy", "uỳ"}, {"úy", "uý"}, {"ủy", "uỷ"}, {"ũy", "uỹ"}, {"ụy", "uỵ"},
    };
    ps_buf b;
    size_t i = 0, n = strlen(s), k;
    ps_buf_init(&b, 0);
    while (i < n) {
        int done = 0;
        for (k = 0; k < sizeof pairs / sizeof pairs[0] && !done; k++) {
            int w;
            for (w = 0; w < 2 && !done; w++) {
                const char *from = pairs[k][w], *to = pairs[k][1 - w];
                size_t fl = strlen(from);
                unsigned char next = (unsigned char)s[i + fl];
                /* only where the pair ends the syllable, not after q */
                if (strncmp(s + i, from, fl) == 0 && !(next >= 'a' && next <= 'z') &&
                    next < 0x80 && !(i > 0 && (s[i - 1] == 'q' || s[i - 1] == 'Q'))) {
                    ps_buf_adds(&b, to);
                    i += fl;
                    done = 1;
                }
            }
        }
        if (!done)
            ps_buf_addc(&b, s[i++]);
    }
    return ps_buf_steal(&b, NULL);
}

static char *nfd(const char *s)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *n = unorm2_getNFDInstance(&st);
    int32_t ul = 0, ol, o8 = 0;
    size_t len = strlen(s);
    UChar *u = malloc((len + 1) * sizeof *u), *o = malloc((len * 3 + 1) * sizeof *o);
    char *out = malloc(len * 4 + 1);
    u_strFromUTF8(u, (int32_t)len + 1, &ul, s, (int32_t)len, &st);
    ol = unorm2_normalize(n, u, ul, o, (int32_t)len * 3 + 1, &st);
    u_strToUTF8(out, (int32_t)len * 4 + 1, &o8, o, ol, &st);
    free(u);
    free(o);
    if (U_FAILURE(st)) {
        free(out);
        return strdup(s);
    }
    return out;
}

/* One word replaced by a word from elsewhere, another dropped. */
static char *edit(ps_analyzer *an, const char *s)
{
    size_t starts[128], ends[128], n = 0, a, c, i;
    ps_token t;
    ps_error e;
    ps_buf b;
    const char *repl[] = {"mới", "chung", "các", "những", "việc", "này", "được", "phải"};
    ps_analyzer_start(an, s, strlen(s), 0, &e);
    while (n < 128 && ps_analyzer_next(an, &t)) {
        starts[n] = t.start;
        ends[n] = t.end;
        n++;
    }
    if (n < 4)
        return strdup(s);
    a = 1 + (size_t)(rnd() % (n - 2));      /* changed */
    do
        c = 1 + (size_t)(rnd() % (n - 2)); /* dropped */
    while (c == a);
    ps_buf_init(&b, 0);
    ps_buf_add(&b, s, starts[0]);
    for (i = 0; i < n; i++) {
        if (i == c)
            continue;
        if (i == a)
            ps_buf_adds(&b, repl[rnd() % (sizeof repl / sizeof repl[0])]);
        else
            ps_buf_add(&b, s + starts[i], ends[i] - starts[i]);
        ps_buf_addc(&b, ' ');
    }
    return ps_buf_steal(&b, NULL);
}

/* Line breaks moved, numbering mangled, as a paste from a PDF does. */
static char *mangle(const char *s)
{
    ps_buf b;
    size_t i, n = strlen(s);
    ps_buf_init(&b, 0);
    for (i = 0; i < n; i++) {
        char ch = s[i];
        int at_line = i == 0 || s[i - 1] == '\n';
        if (ch == '\n') {
            ps_buf_addc(&b, ' ');
            continue;
        }
        if (at_line && ch >= '0' && ch <= '9' && i + 1 < n && s[i + 1] == '.') {
            ps_buf_addc(&b, ch);
            ps_buf_addc(&b, ')');
            i++;
            continue;
        }
        if (at_line && ch >= 'a' && ch <= 'z' && i + 1 < n && s[i + 1] == ')') {
            i++;
            continue;
        }
        if (ch == ' ' && rnd() % 12 == 0) {
            ps_buf_adds(&b, "\n");
            continue;
        }
        ps_buf_addc(&b, ch);
    }
    return ps_buf_steal(&b, NULL);
}

/* The folds of a text's syllables, space-separated (punctuation and
 * diacritics do not count: a tie on them is a tie for the quote). */
static void folds(ps_analyzer *an, const char *s, ps_buf *out)
{
    ps_token t;
    ps_error e;
    ps_analyzer_start(an, s, strlen(s), 0, &e);
    while (ps_analyzer_next(an, &t)) {
        ps_buf_add(out, t.fold, t.fold_len);
        ps_buf_addc(out, ' ');
    }
}

/* Whether the syllables of b occur in a, in order. */
static int same_text(ps_analyzer *an, const char *a, const char *b)
{
    ps_buf fa, fb;
    int r;
    ps_buf_init(&fa, 0);
    ps_buf_init(&fb, 0);
    folds(an, a, &fa);
    folds(an, b, &fb);
    r = fa.len && fb.len && strstr(fa.data, fb.data) != NULL;
    ps_buf_fin(&fa);
    ps_buf_fin(&fb);
    return r;
}

int main(int argc, char **argv)
{
    const char *db = NULL, *corpus = NULL;
    static const char *const variants[] = {"exact", "nodiac", "tone", "nfd", "edited",
                                           "paragraph"};
    int cases = 200, i, v;
    ps_searcher *s;
    ps_analyzer *an;
    ps_error err;

    for (i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--db") == 0)
            db = argv[i + 1];
        else if (strcmp(argv[i], "--corpus") == 0)
            corpus = argv[i + 1];
        else if (strcmp(argv[i], "--cases") == 0)
            cases = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--seed") == 0)
            rng = strtoull(argv[i + 1], NULL, 10) | 1;
    }
    if (!db || !corpus || cases < 1) {
        fprintf(stderr, "usage: citeeval --db DIR --corpus FILE.jsonl [--cases N] [--seed S]\n");
        return 2;
    }
    if (load(corpus)) {
        fprintf(stderr, "citeeval: cannot read %s\n", corpus);
        return 1;
    }
    if (ps_searcher_open(db, &s, &err) || ps_analyzer_new(&an, &err)) {
        fprintf(stderr, "citeeval: %s\n", err.msg);
        return 1;
    }
    printf("%-10s %6s %8s %8s %9s\n", "variant", "cases", "strict", "lenient", "ms/quote");
    for (v = 0; v < 6; v++) {
        int strict = 0, lenient = 0, n = 0;
        double t0 = ps_now();
        for (i = 0; i < cases; i++) {
            span sp;
            char *src, *q;
            ps_cite_opts o;
            ps_cite_results *r = NULL;
            int para = v == 5;
            if (draw(an, para ? 40 : 8, para ? 120 : 40, para, &sp))
                continue;
            src = strndup(docs[sp.d].text + sp.start, sp.end - sp.start);
            switch (v) {
            case 1: {
                ps_buf b;
                ps_buf_init(&b, 0);
                ps_text_fold(src, strlen(src), &b);
                q = ps_buf_steal(&b, NULL);
                break;
            }
            case 2: q = tone_shift(src); break;
            case 3: q = nfd(src); break;
            case 4: q = edit(an, src); break;
            case 5: q = mangle(src); break;
            default: q = strdup(src);
            }
            ps_cite_opts_default(&o);
            o.quote = q;
            o.limit = 1;
            o.access = 3;
            if (ps_cite(s, &o, &r, &err) == PS_OK) {
                n++;
                if (r->n) {
                    const ps_cite_hit *h = &r->hits[0];
                    if (strcmp(h->hit.id, docs[sp.d].id) == 0 && h->match_start < sp.end &&
                        h->match_end > sp.start)
                        strict++, lenient++;
                    else if (same_text(an, h->match, src) || same_text(an, src, h->match))
                        lenient++;
                    else if (getenv("CITEEVAL_MISSES"))
                        printf("MISS [%s] q=%s\n  src=%s %zu-%zu\n  got=%s %zu-%zu cov=%.2f score=%.1f: %s\n", variants[v], q, docs[sp.d].id, sp.start, sp.end, h->hit.id, h->match_start, h->match_end, h->coverage, h->score, h->match);
                } else if (getenv("CITEEVAL_MISSES")) {
                    printf("NONE [%s] q=%s\n", variants[v], q);
                }
            }
            ps_cite_results_free(r);
            free(src);
            free(q);
        }
        printf("%-10s %6d %7.1f%% %7.1f%% %9.1f\n", variants[v], n,
               n ? 100.0 * strict / n : 0, n ? 100.0 * lenient / n : 0,
               n ? (ps_now() - t0) * 1000.0 / n : 0);
        fflush(stdout);
    }
    ps_analyzer_free(an);
    ps_searcher_close(s);
    return 0;
}
