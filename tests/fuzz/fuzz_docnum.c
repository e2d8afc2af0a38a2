/*
 * fuzz_docnum: document numbers and dates on any bytes.
 *
 * ps_docnum_scan finds numbers in running text; every match must lie in
 * the text, in order, and have a key; ps_docnum_key and _short_key take
 * what a user types; a key is its own key (the index and the query side
 * must agree whichever spelling they start from). ps_date_parse must
 * consume no more than it was given and write only valid ISO dates. The
 * type tables take any abbreviation or type word.
 */
#include "polsearch/doc.h"
#include "tests/fuzz/fuzz_common.h"

typedef struct scan_ctx {
    const char *text;
    size_t n;
    size_t last_start;
    size_t count;
} scan_ctx;

static void check_key(const char *s, size_t n)
{
    ps_buf k, k2, sk;
    ps_buf_init(&k, 0);
    ps_buf_init(&k2, 0);
    ps_buf_init(&sk, 0);
    if (ps_docnum_key(s, n, &k) == PS_OK) {
        FUZZ_CHECK(fuzz_valid_utf8(ps_buf_cstr(&k), k.len));
        /* a key is its own key (when it kept a digit: the key holds at
         * most 16 parts, and a text of more may lose its digits) */
        if (strpbrk(ps_buf_cstr(&k), "0123456789") &&
            (ps_docnum_key(ps_buf_cstr(&k), k.len, &k2) != PS_OK || k2.len != k.len ||
             memcmp(ps_buf_cstr(&k), ps_buf_cstr(&k2), k.len) != 0)) {
            fprintf(stderr, "key [%s] -> [%s]\n", ps_buf_cstr(&k), ps_buf_cstr(&k2));
            abort();
        }
    }
    if (ps_docnum_short_key(s, n, &sk) == PS_OK) {
        FUZZ_CHECK(sk.len > 0);
        FUZZ_CHECK(fuzz_valid_utf8(ps_buf_cstr(&sk), sk.len));
    }
    ps_buf_fin(&k);
    ps_buf_fin(&k2);
    ps_buf_fin(&sk);
}

static int on_match(void *vctx, const ps_docnum_match *m)
{
    scan_ctx *c = vctx;
    FUZZ_CHECK(m->type_start <= m->start && m->start < m->end && m->end <= c->n);
    FUZZ_CHECK(c->count == 0 || m->start > c->last_start);
    c->last_start = m->start;
    c->count++;
    check_key(c->text + m->start, m->end - m->start);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    scan_ctx ctx = {s, size, 0, 0};
    char iso[11];
    size_t used, i;

    FUZZ_CHECK(ps_docnum_scan(s, size, on_match, &ctx) == PS_OK);
    check_key(s, size);

    /* a date at each of the first offsets, as the parser tries them */
    for (i = 0; i < size && i < 64; i++) {
        memset(iso, 'x', sizeof iso);
        used = ps_date_parse(s + i, size - i, iso);
        if (used) {
            int y, m, d;
            FUZZ_CHECK(used <= size - i);
            FUZZ_CHECK(iso[10] == '\0' && strlen(iso) == 10);
            FUZZ_CHECK(sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3);
            FUZZ_CHECK(y >= 1000 && m >= 1 && m <= 12 && d >= 1 && d <= 31);
        }
    }
    if (size <= 64) {
        const char *t = ps_doctype_from_abbrev(s, size);
        const char *a = ps_doctype_abbrev(s, size);
        FUZZ_CHECK(!t || *t);
        FUZZ_CHECK(!a || *a);
    }
    return 0;
}
