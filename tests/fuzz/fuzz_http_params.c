/*
 * fuzz_http_params: the daemon's query-string and percent-decoding on any
 * bytes (searchd/params.c, linked alone).
 *
 * Every request's parameters pass through sd_params_parse before any
 * handler sees them. It must accept or refuse with PS_EINVAL (never
 * crash, never read past the string), give at most SD_PARAMS_MAX
 * parameters whose names and values hold no NUL byte, and agree with
 * sd_percent_decode: a value decodes to what re-encoding and decoding it
 * again gives.
 */
#include "searchd/searchd.h"
#include "tests/fuzz/fuzz_common.h"

static void encode(const char *s, size_t n, ps_buf *out)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.') {
            ps_buf_addc(out, (char)c);
        } else {
            ps_buf_addc(out, '%');
            ps_buf_addc(out, hex[c >> 4]);
            ps_buf_addc(out, hex[c & 15]);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_arena *a;
    sd_params p;
    ps_error err;
    char *qs, *dec;
    size_t i;
    long k;
    int rc;

    /* the string as the HTTP library hands it over: NUL-terminated */
    qs = malloc(size + 1);
    if (!qs)
        return 0;
    memcpy(qs, data, size);
    qs[size] = '\0';

    a = ps_arena_new();
    if (!a)
        abort();
    rc = sd_params_parse(a, qs, &p, &err);
    FUZZ_CHECK(rc == PS_OK || rc == PS_EINVAL);
    if (rc == PS_EINVAL)
        FUZZ_CHECK(err.msg[0] != '\0');
    if (rc == PS_OK) {
        FUZZ_CHECK(p.n <= SD_PARAMS_MAX);
        for (i = 0; i < p.n; i++) {
            ps_buf e;
            char *back;
            FUZZ_CHECK(p.items[i].name && p.items[i].value);
            FUZZ_CHECK(strlen(p.items[i].value) == p.items[i].len);
            /* re-encoded and decoded again, a value is itself */
            ps_buf_init(&e, 0);
            encode(p.items[i].value, p.items[i].len, &e);
            FUZZ_CHECK(!e.err);
            back = malloc(e.len + 1);
            FUZZ_CHECK(back != NULL);
            k = sd_percent_decode(e.data ? e.data : "", e.len, 1, back);
            FUZZ_CHECK(k == (long)p.items[i].len);
            FUZZ_CHECK(memcmp(back, p.items[i].value, p.items[i].len) == 0);
            free(back);
            ps_buf_fin(&e);
        }
    }

    /* the decoder alone, on the raw bytes (NULs included) */
    dec = malloc(size + 1);
    FUZZ_CHECK(dec != NULL);
    k = sd_percent_decode((const char *)data, size, 0, dec);
    FUZZ_CHECK(k >= -1 && k <= (long)size);
    if (k >= 0)
        FUZZ_CHECK(dec[k] == '\0');
    free(dec);

    ps_arena_free(a);
    free(qs);
    return 0;
}
