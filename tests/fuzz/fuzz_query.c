/*
 * fuzz_query: the query language on any bytes.
 *
 * ps_query_parse takes what a user types into the search box or the
 * `q` parameter of the HTTP API: it must never fail except on allocation
 * failure, stay within its caps (PS_QUERY_MAX_WORDS words), give word
 * spans inside the cleaned query, and ps_query_describe must describe
 * every parse.
 */
#include "polsearch/search.h"
#include "polsearch/text.h"
#include "tests/fuzz/fuzz_common.h"

static ps_analyzer *an;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_query *q = NULL;
    ps_error err;
    ps_buf d;
    size_t i, j, words = 0, tlen;

    if (!an && ps_analyzer_new(&an, &err) != PS_OK)
        abort();
    FUZZ_CHECK(ps_query_parse(an, (const char *)data, size, &q, &err) == PS_OK);
    FUZZ_CHECK(q != NULL && q->text != NULL);
    tlen = strlen(q->text);
    FUZZ_CHECK(fuzz_valid_utf8(q->text, tlen));
    for (i = 0; i < q->n; i++) {
        const ps_qclause *c = &q->clauses[i];
        FUZZ_CHECK(c->kind >= PS_QC_WORD && c->kind <= PS_QC_FIELD);
        FUZZ_CHECK(c->mod >= PS_QM_SHOULD && c->mod <= PS_QM_NOT);
        if (c->kind == PS_QC_FIELD)
            FUZZ_CHECK(c->field != NULL && c->value != NULL);
        for (j = 0; j < c->n; j++) {
            const ps_qword *w = &c->words[j];
            FUZZ_CHECK(w->term && w->fold);
            FUZZ_CHECK(strlen(w->term) <= PS_TERM_MAX && strlen(w->fold) <= PS_TERM_MAX);
            FUZZ_CHECK(w->start <= w->end && w->end <= tlen);
            words++;
        }
    }
    FUZZ_CHECK(words <= PS_QUERY_MAX_WORDS);
    for (i = 0; i < q->n_number_keys; i++)
        FUZZ_CHECK(q->number_keys[i] != NULL);
    for (i = 0; i < q->n_short_keys; i++)
        FUZZ_CHECK(q->short_keys[i] != NULL);
    for (i = 0; i < q->n_articles; i++)
        FUZZ_CHECK(q->articles[i] != NULL);

    ps_buf_init(&d, 0);
    FUZZ_CHECK(ps_query_describe(q, &d) == PS_OK);
    FUZZ_CHECK(fuzz_valid_utf8(ps_buf_cstr(&d), d.len));
    ps_buf_fin(&d);
    ps_query_free(q);
    return 0;
}
