/*
 * metaeval: how well ps_doc_parse() finds metadata and structure in text
 * alone.
 *
 *   metaeval [FILE.jsonl]
 *
 * Reads JSON Lines records (id, text, number, type, date, title, issuer,
 * n_articles), gives the parser only the text, and compares what it finds
 * with the record's fields:
 *
 *   number    equal keys (ps_docnum_key: "L.003" and "L-003", "QH 11" and
 *             "QH11" are one number), and exact equality as a second figure
 *   date      the ISO date
 *   type      the display form ("Luật", "Bộ luật", "Hiến pháp")
 *   title     equal after ps_text_lower() and collapsing spaces
 *   articles  ps_doc_count_nodes(doc, PS_NODE_DIEU) == n_articles
 *   issuer    equal after ps_text_lower() (shown, no target)
 *
 * A field that is null in the record counts as found when the parser
 * finds nothing either. Prints each miss (id, field, expected, got) and a
 * summary; exits 0 (a benchmark reports, tests assert). The default file
 * is $POLSEARCH_SHARED_DATA/corpus.jsonl, else ../shared/data/corpus.jsonl.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "polsearch/doc.h"
#include "polsearch/text.h"
#include "polsearch/util.h"

enum { F_NUMBER, F_NUMBER_EXACT, F_DATE, F_TYPE, F_TITLE, F_ARTICLES, F_ISSUER, F_COUNT };

static const char *const field_names[F_COUNT] = {
    "number", "number_exact", "date", "type", "title", "n_articles", "issuer",
};

/* Targets from the document-model issue; 0 = shown without a target. */
static const double field_targets[F_COUNT] = {0.98, 0, 0.98, 0.98, 0.90, 0.97, 0};

typedef struct tally {
    long ok[F_COUNT];
    long total[F_COUNT];
} tally;

/* Lowercase canonical form with white space collapsed, for titles. */
static char *norm_text(const char *s)
{
    ps_buf b, o;
    size_t i;
    int space = 0;
    char *r;
    if (!s)
        return NULL;
    ps_buf_init(&b, 0);
    ps_buf_init(&o, 0);
    ps_text_lower(s, strlen(s), &b);
    for (i = 0; i < b.len; i++) {
        char c = b.data[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = 1;
            continue;
        }
        if (space && o.len)
            ps_buf_addc(&o, ' ');
        space = 0;
        ps_buf_addc(&o, c);
    }
    ps_buf_cstr(&o);
    r = ps_buf_steal(&o, NULL);
    ps_buf_fin(&b);
    return r;
}

static char *number_key(const char *s)
{
    ps_buf b;
    if (!s)
        return NULL;
    ps_buf_init(&b, 0);
    if (ps_docnum_key(s, strlen(s), &b) != PS_OK) {
        ps_buf_fin(&b);
        return NULL;
    }
    ps_buf_cstr(&b);
    return ps_buf_steal(&b, NULL);
}

static int str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return !a && !b;
    return strcmp(a, b) == 0;
}

static void record(tally *t, int field, int ok, const char *id, const char *want, const char *got)
{
    t->total[field]++;
    if (ok) {
        t->ok[field]++;
        return;
    }
    printf("MISS\t%s\t%s\texpected=%s\tgot=%s\n", id, field_names[field], want ? want : "null",
           got ? got : "null");
}

static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static void evaluate(tally *t, json_t *rec, long lineno, double *parse_secs, size_t *bytes)
{
    const char *id = jstr(rec, "id"), *text = jstr(rec, "text");
    const char *want_number = jstr(rec, "number"), *want_date = jstr(rec, "date");
    const char *want_type = jstr(rec, "type"), *want_title = jstr(rec, "title");
    const char *want_issuer = jstr(rec, "issuer");
    json_t *na = json_object_get(rec, "n_articles");
    ps_doc *doc;
    ps_error err;
    char idbuf[64];
    double t0;
    if (!text) {
        fprintf(stderr, "metaeval: line %ld has no text, skipped\n", lineno);
        return;
    }
    if (!id) {
        snprintf(idbuf, sizeof idbuf, "line %ld", lineno);
        id = idbuf;
    }
    doc = ps_doc_new();
    if (!doc) {
        fprintf(stderr, "metaeval: out of memory\n");
        exit(1);
    }
    ps_error_clear(&err);
    if (ps_doc_set_text(doc, text, strlen(text), NULL, &err) != PS_OK) {
        fprintf(stderr, "metaeval: %s: %s\n", id, err.msg);
        ps_doc_free(doc);
        return;
    }
    t0 = ps_now();
    if (ps_doc_parse(doc, &err) != PS_OK) {
        fprintf(stderr, "metaeval: %s: %s\n", id, err.msg);
        ps_doc_free(doc);
        return;
    }
    *parse_secs += ps_now() - t0;
    *bytes += doc->text_len;
    {
        char *kw = number_key(want_number), *kg = number_key(doc->meta.number);
        record(t, F_NUMBER, want_number ? str_eq(kw, kg) : !doc->meta.number, id, want_number,
               doc->meta.number);
        record(t, F_NUMBER_EXACT, str_eq(want_number, doc->meta.number), id, want_number,
               doc->meta.number);
        free(kw);
        free(kg);
    }
    record(t, F_DATE, str_eq(want_date, doc->meta.date), id, want_date, doc->meta.date);
    record(t, F_TYPE, str_eq(want_type, doc->meta.type), id, want_type, doc->meta.type);
    {
        char *a = norm_text(want_title), *b = norm_text(doc->meta.title);
        record(t, F_TITLE, str_eq(a, b), id, want_title, doc->meta.title);
        free(a);
        free(b);
    }
    if (json_is_integer(na)) {
        char want[32], got[32];
        size_t n = ps_doc_count_nodes(doc, PS_NODE_DIEU);
        snprintf(want, sizeof want, "%lld", (long long)json_integer_value(na));
        snprintf(got, sizeof got, "%zu", n);
        record(t, F_ARTICLES, (long long)n == (long long)json_integer_value(na), id, want, got);
    }
    if (want_issuer) {
        char *a = norm_text(want_issuer), *b = norm_text(doc->meta.issuer);
        record(t, F_ISSUER, str_eq(a, b), id, want_issuer, doc->meta.issuer);
        free(a);
        free(b);
    }
    ps_doc_free(doc);
}

int main(int argc, char **argv)
{
    char pathbuf[4096];
    const char *path;
    FILE *f;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0, docs = 0;
    tally t;
    double parse_secs = 0;
    size_t bytes = 0;
    int k;
    if (argc > 2 || (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))) {
        fprintf(stderr, "usage: metaeval [FILE.jsonl]\n");
        return argc > 2 ? 2 : 0;
    }
    if (argc == 2) {
        path = argv[1];
    } else {
        const char *dir = getenv("POLSEARCH_SHARED_DATA");
        snprintf(pathbuf, sizeof pathbuf, "%s/corpus.jsonl", dir && *dir ? dir : "../shared/data");
        path = pathbuf;
    }
    f = fopen(path, "r");
    if (!f) {
        printf("metaeval: %s not found, nothing to measure\n", path);
        return 0;
    }
    memset(&t, 0, sizeof t);
    while ((len = getline(&line, &cap, f)) > 0) {
        json_error_t jerr;
        json_t *rec;
        lineno++;
        if (len <= 1)
            continue;
        rec = json_loadb(line, (size_t)len, 0, &jerr);
        if (!json_is_object(rec)) {
            fprintf(stderr, "metaeval: %s:%ld: %s\n", path, lineno, jerr.text);
            json_decref(rec);
            continue;
        }
        evaluate(&t, rec, lineno, &parse_secs, &bytes);
        json_decref(rec);
        docs++;
    }
    free(line);
    fclose(f);
    printf("\nmetaeval: %ld documents from %s, text only (every metadata field withheld)\n", docs,
           path);
    printf("%-13s %9s %7s %8s\n", "field", "correct", "share", "target");
    for (k = 0; k < F_COUNT; k++) {
        double share = t.total[k] ? (double)t.ok[k] / (double)t.total[k] : 0;
        char target[32] = "-";
        if (field_targets[k] > 0)
            snprintf(target, sizeof target, "%s%.0f%%", share >= field_targets[k] ? ">=" : "MISSED ",
                     field_targets[k] * 100);
        printf("%-13s %4ld/%-4ld %6.1f%% %8s\n", field_names[k], t.ok[k], t.total[k], share * 100,
               target);
    }
    printf("parse speed: %.1f MB/s (%.2f s for %.1f MB)\n",
           parse_secs > 0 ? (double)bytes / 1e6 / parse_secs : 0, parse_secs, (double)bytes / 1e6);
    return 0;
}
