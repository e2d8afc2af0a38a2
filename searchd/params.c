/*
 * params.c: percent-decoding and query-string parsing for the daemon,
 * kept apart from the HTTP library so that a fuzz target can link it
 * alone (it uses nothing but lib/util).
 *
 * Decoding is strict where lenient decoders guess: a malformed escape
 * ("%zz", a "%" at the end) and a NUL byte ("%00") are errors the client
 * hears about (400), never silently passed on or cut at. Invalid UTF-8 is
 * not an error here: the library cleans query text itself.
 */
#include <string.h>

#include "searchd/searchd.h"

long sd_percent_decode(const char *s, size_t n, int plus_space, char *out)
{
    size_t i, k = 0;
    for (i = 0; i < n; i++) {
        if (s[i] == '%') {
            int hi, lo;
            if (i + 2 >= n)
                return -1;
            hi = ps_hexdigit((unsigned char)s[i + 1]);
            lo = ps_hexdigit((unsigned char)s[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            out[k++] = (char)(hi * 16 + lo);
            i += 2;
        } else if (s[i] == '+' && plus_space) {
            out[k++] = ' ';
        } else {
            out[k++] = s[i];
        }
    }
    out[k] = '\0';
    return (long)k;
}

/* Decodes s[0..n) into the arena; NULL with err set when malformed
 * (the message names the parameter: what). */
static char *decode_part(ps_arena *a, const char *s, size_t n, const char *what, size_t *len,
                         ps_error *err)
{
    char *out = ps_arena_alloc(a, n + 1);
    long k;
    if (!out) {
        ps_error_set(err, PS_ENOMEM, "out of memory");
        return NULL;
    }
    k = sd_percent_decode(s, n, 1, out);
    if (k < 0) {
        ps_error_set(err, PS_EINVAL, "%.40s: invalid percent-encoding", what);
        return NULL;
    }
    if (memchr(out, '\0', (size_t)k)) {
        ps_error_set(err, PS_EINVAL, "%.40s: holds a NUL byte", what);
        return NULL;
    }
    *len = (size_t)k;
    return out;
}

int sd_params_parse(ps_arena *a, const char *qs, sd_params *p, ps_error *err)
{
    const char *s = qs;
    ps_error local;
    if (!err)
        err = &local;
    p->n = 0;
    while (*s) {
        const char *amp = strchr(s, '&');
        size_t seg = amp ? (size_t)(amp - s) : strlen(s);
        const char *eq = memchr(s, '=', seg);
        size_t klen = eq ? (size_t)(eq - s) : seg, vlen, nlen;
        char *name, *value;
        if (seg > 0) {
            if (p->n == SD_PARAMS_MAX)
                return ps_error_set(err, PS_EINVAL, "more than %d parameters", SD_PARAMS_MAX);
            name = decode_part(a, s, klen, "a parameter name", &nlen, err);
            if (!name)
                return err->code;
            value = decode_part(a, eq ? eq + 1 : "", eq ? seg - klen - 1 : 0, name, &vlen, err);
            if (!value)
                return err->code;
            p->items[p->n].name = name;
            p->items[p->n].value = value;
            p->items[p->n].len = vlen;
            p->n++;
        }
        if (!amp)
            break;
        s = amp + 1;
    }
    return PS_OK;
}

