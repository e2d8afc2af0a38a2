/*
 * fuzz_citation: ps_citation and ps_citation_location on any metadata.
 *
 * The metadata comes from documents (parsed headers, JSON Lines fields)
 * and the path from the structure parser, so both may hold anything. The
 * input is cut at 0xFF bytes into type, number, date, issuer, title and
 * path (an empty part is NULL). The citation must be built, and be valid
 * UTF-8 whenever its parts are.
 */
#include "polsearch/search.h"
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_parts parts;
    ps_cite_meta m;
    ps_buf out;
    const char *f[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
    size_t i;
    int all_valid = 1;

    fuzz_split(data, size, 6, &parts);
    for (i = 0; i < parts.count; i++) {
        f[i] = parts.n[i] ? parts.s[i] : NULL;
        if (!fuzz_valid_utf8(parts.s[i], strlen(parts.s[i])))
            all_valid = 0;
    }
    m.type = f[0];
    m.number = f[1];
    m.date = f[2];
    m.issuer = f[3];
    m.title = f[4];

    ps_buf_init(&out, 0);
    FUZZ_CHECK(ps_citation(&m, f[5], &out) == PS_OK);
    FUZZ_CHECK(!all_valid || fuzz_valid_utf8(ps_buf_cstr(&out), out.len));
    ps_buf_reset(&out);
    FUZZ_CHECK(ps_citation_location(f[5], &out) == PS_OK);
    FUZZ_CHECK(!all_valid || fuzz_valid_utf8(ps_buf_cstr(&out), out.len));
    /* the whole input as a path */
    if (size < 4096) {
        char *whole = malloc(size + 1);
        FUZZ_CHECK(whole != NULL);
        memcpy(whole, data, size);
        whole[size] = '\0';
        ps_buf_reset(&out);
        FUZZ_CHECK(ps_citation_location(whole, &out) == PS_OK);
        free(whole);
    }
    ps_buf_fin(&out);
    fuzz_parts_free(&parts);
    return 0;
}
