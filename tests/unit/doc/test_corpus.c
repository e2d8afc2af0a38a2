/*
 * test_corpus: the parser on the project's sample corpus, against the
 * expected metadata in tests/golden/corpus-meta.jsonl.
 *
 * Each golden record names a document by its path under corpus/ (read as
 * the indexer reads it, through ps_extract_file) or, for a JSON Lines
 * record, by its id in corpus/extra/tong-hop.jsonl (its text only: every
 * metadata field is withheld). Compared: type, number, issuer, signer,
 * signer_title, place, date, effective_date, access and the number of
 * articles exactly; the title after ps_text_lower() with spaces collapsed
 * (the rule); the documents cited as sets of number keys. Every
 * mismatch is printed; the test fails when there is one.
 *
 * The repository root comes from $POLSEARCH_ROOT, else the current
 * directory; without the corpus or the golden file the test is skipped
 * (exit 77, as tests/run-tests.sh expects).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/testroot.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "polsearch/doc.h"
#include "polsearch/extract.h"
#include "polsearch/text.h"


static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Lowercase canonical form with white space collapsed (caller frees). */
static char *norm_title(const char *s)
{
    ps_buf b, o;
    size_t i;
    int space = 0;
    if (!s)
        return NULL;
    ps_buf_init(&b, 0);
    ps_buf_init(&o, 0);
    ps_text_lower(s, strlen(s), &b);
    for (i = 0; i < b.len; i++) {
        char c = b.data[i];
        if (c == ' ' || c == '\t' || c == '\n') {
            space = 1;
            continue;
        }
        if (space && o.len)
            ps_buf_addc(&o, ' ');
        space = 0;
        ps_buf_addc(&o, c);
    }
    ps_buf_fin(&b);
    ps_buf_cstr(&o);
    return ps_buf_steal(&o, NULL);
}

static int same(const char *a, const char *b)
{
    if (!a || !b)
        return !a && !b;
    return strcmp(a, b) == 0;
}

static int mismatch(const char *id, const char *field, const char *want, const char *got)
{
    printf("MISMATCH %s %s: expected %s, got %s\n", id, field, want ? want : "null", got ? got : "null");
    return 1;
}

/* Compares a string field; returns the number of mismatches (0 or 1). */
static int check_str(const char *id, json_t *rec, const char *field, const char *got)
{
    const char *want = jstr(rec, field);
    if (!json_object_get(rec, field))
        return 0; /* not in the golden record: nothing to compare */
    return same(want, got) ? 0 : mismatch(id, field, want, got);
}

/* A JSON Lines record of corpus/extra/tong-hop.jsonl by id, or NULL. */
static json_t *find_record(const char *id)
{
    char path[2400];
    FILE *f;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    json_t *found = NULL;
    snprintf(path, sizeof path, "%s/corpus/extra/tong-hop.jsonl", root);
    f = fopen(path, "r");
    if (!f)
        return NULL;
    while (!found && (len = getline(&line, &cap, f)) > 0) {
        json_t *r = json_loadb(line, (size_t)len, 0, NULL);
        if (json_is_object(r) && same(jstr(r, "id"), id))
            found = r;
        else
            json_decref(r);
    }
    free(line);
    fclose(f);
    return found;
}

/* Loads the document a golden record names; NULL (message printed) when
 * it cannot. */
static ps_doc *load(const char *id)
{
    ps_doc *doc = ps_doc_new();
    ps_error err;
    assert_non_null(doc);
    ps_error_clear(&err);
    if (strchr(id, '/')) {
        char path[2400];
        snprintf(path, sizeof path, "%s/corpus/%s", root, id);
        if (ps_extract_file(path, doc, &err) != PS_OK) {
            printf("MISMATCH %s: cannot read %s: %s\n", id, path, err.msg);
            ps_doc_free(doc);
            return NULL;
        }
    } else {
        json_t *r = find_record(id);
        const char *text = r ? jstr(r, "text") : NULL;
        if (!text || ps_doc_set_text(doc, text, strlen(text), NULL, &err) != PS_OK) {
            printf("MISMATCH %s: no text in corpus/extra/tong-hop.jsonl\n", id);
            json_decref(r);
            ps_doc_free(doc);
            return NULL;
        }
        json_decref(r);
    }
    doc->id = ps_doc_strdup(doc, id, strlen(id));
    return doc;
}

/* The distinct number keys the document cites, compared as sets. */
static int check_cites(const char *id, json_t *rec, const ps_doc *doc)
{
    json_t *want = json_object_get(rec, "cites"), *v;
    size_t k, i;
    int bad = 0;
    if (!json_is_array(want))
        return 0;
    json_array_foreach(want, k, v)
    {
        ps_buf key;
        int found = 0;
        if (!json_is_string(v))
            continue;
        ps_buf_init(&key, 0);
        ps_docnum_key(json_string_value(v), strlen(json_string_value(v)), &key);
        ps_buf_cstr(&key);
        for (i = 0; i < doc->n_rels && !found; i++)
            found = strcmp(doc->rels[i].key, key.data) == 0;
        if (!found)
            bad += mismatch(id, "cites (missing)", json_string_value(v), NULL);
        ps_buf_fin(&key);
    }
    for (i = 0; i < doc->n_rels; i++) {
        int found = 0;
        json_array_foreach(want, k, v)
        {
            ps_buf key;
            ps_buf_init(&key, 0);
            ps_docnum_key(json_string_value(v), strlen(json_string_value(v)), &key);
            ps_buf_cstr(&key);
            if (strcmp(doc->rels[i].key, key.data) == 0)
                found = 1;
            ps_buf_fin(&key);
        }
        if (!found)
            bad += mismatch(id, "cites (extra)", NULL, doc->rels[i].number);
    }
    return bad;
}

static int check_one(json_t *rec)
{
    const char *id = jstr(rec, "id");
    ps_doc *doc;
    ps_error err;
    int bad = 0;
    json_t *na;
    if (!id)
        return mismatch("?", "id", "an id", NULL);
    doc = load(id);
    if (!doc)
        return 1;
    ps_error_clear(&err);
    if (ps_doc_parse(doc, &err) != PS_OK) {
        ps_doc_free(doc);
        return mismatch(id, "parse", "PS_OK", err.msg);
    }
    bad += check_str(id, rec, "type", doc->meta.type);
    bad += check_str(id, rec, "number", doc->meta.number);
    bad += check_str(id, rec, "issuer", doc->meta.issuer);
    bad += check_str(id, rec, "signer", doc->meta.signer);
    bad += check_str(id, rec, "signer_title", doc->meta.signer_title);
    bad += check_str(id, rec, "place", doc->meta.place);
    bad += check_str(id, rec, "date", doc->meta.date);
    bad += check_str(id, rec, "effective_date", doc->meta.effective_date);
    bad += check_str(id, rec, "access", ps_access_name(doc->meta.access));
    {
        char *a = norm_title(jstr(rec, "title")), *b = norm_title(doc->meta.title);
        if (!same(a, b))
            bad += mismatch(id, "title", jstr(rec, "title"), doc->meta.title);
        free(a);
        free(b);
    }
    na = json_object_get(rec, "n_articles");
    if (json_is_integer(na)) {
        size_t n = ps_doc_count_nodes(doc, PS_NODE_DIEU);
        if ((long long)n != (long long)json_integer_value(na)) {
            char want[32], got[32];
            snprintf(want, sizeof want, "%lld", (long long)json_integer_value(na));
            snprintf(got, sizeof got, "%zu", n);
            bad += mismatch(id, "n_articles", want, got);
        }
    }
    bad += check_cites(id, rec, doc);
    ps_doc_free(doc);
    return bad;
}

static void test_golden_corpus(void **state)
{
    char path[2400];
    FILE *f;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int bad = 0, docs = 0;
    (void)state;
    snprintf(path, sizeof path, "%s/tests/golden/corpus-meta.jsonl", root);
    f = fopen(path, "r");
    assert_non_null(f);
    while ((len = getline(&line, &cap, f)) > 0) {
        json_error_t jerr;
        json_t *rec;
        if (len <= 1)
            continue;
        rec = json_loadb(line, (size_t)len, 0, &jerr);
        if (!json_is_object(rec)) {
            printf("MISMATCH golden line: %s\n", jerr.text);
            bad++;
        } else {
            int b = check_one(rec);
            bad += b;
            docs++;
        }
        json_decref(rec);
    }
    free(line);
    fclose(f);
    printf("corpus: %d documents, %d mismatches\n", docs, bad);
    assert_true(docs > 0);
    assert_int_equal(bad, 0);
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_corpus),
    };
    test_root_init();
    /* exit 77: skipped, the runner's convention */
    if (!present("corpus/README.md") || !present("tests/golden/corpus-meta.jsonl")) {
        printf("skipped: no sample corpus or golden file under %s (set POLSEARCH_ROOT to the "
               "repository)\n",
               root);
        return 77;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
