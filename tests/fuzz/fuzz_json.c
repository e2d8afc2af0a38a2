/*
 * fuzz_json: the JSON writer (ps_jw_*) and the escapers on any strings.
 *
 * The input is read as a program for the writer: each byte picks an
 * operation (open or close an object or array, a string, a key, a number,
 * true/false/null, raw JSON) and the bytes after it give its argument.
 * The driver keeps the calls well-formed, as the library's callers do
 * (a key before each value in an object, closes matching opens), so the
 * output must be one JSON document jansson accepts, unless the writer
 * reported an error (nesting deeper than PS_JW_MAXDEPTH). A string must
 * come back from jansson as written, with each invalid byte as U+FFFD.
 * ps_html_escape must leave no markup character unescaped.
 */
#include <jansson.h>
#include <math.h>

#include "tests/fuzz/fuzz_common.h"

/* What a JSON string written from s[0, n) decodes to. */
static void expected_string(const char *s, size_t n, ps_buf *out)
{
    size_t i = 0;
    while (i < n) {
        int l = ps_utf8_seqlen((const unsigned char *)s + i, n - i);
        if (l) {
            ps_buf_add(out, s + i, (size_t)l);
            i += (size_t)l;
        } else {
            ps_buf_add(out, "\xEF\xBF\xBD", 3);
            i++;
        }
    }
}

/* Takes a length-prefixed piece of the input: one byte of length. */
static const char *take(const uint8_t **p, const uint8_t *end, size_t *n)
{
    const char *s;
    size_t want;
    if (*p >= end) {
        *n = 0;
        return "";
    }
    want = **p;
    (*p)++;
    if (want > (size_t)(end - *p))
        want = (size_t)(end - *p);
    s = (const char *)*p;
    *p += want;
    *n = want;
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data, *end = data + size;
    ps_buf b, key;
    ps_jw w;
    char stack[256]; /* 'o' or 'a' per open container */
    int depth = 0;
    json_error_t jerr;
    json_t *root;

    ps_buf_init(&b, 0);
    ps_buf_init(&key, 0);
    ps_jw_init(&w, &b);
    ps_jw_arr(&w);
    stack[depth++] = 'a';
    while (p < end && depth > 0) {
        unsigned op = *p++ % 12;
        const char *s;
        size_t n;
        if (op == 1 || op == 3) {
            /* close the innermost container (never the outer array) */
            if (depth > 1) {
                if (stack[depth - 1] == 'o')
                    ps_jw_obj_end(&w);
                else
                    ps_jw_arr_end(&w);
                depth--;
            }
            continue;
        }
        if (stack[depth - 1] == 'o') {
            s = take(&p, end, &n);
            ps_buf_reset(&key);
            ps_buf_add(&key, s, n);
            /* keys are C strings: they stop at a NUL */
            ps_jw_key(&w, ps_buf_cstr(&key));
        }
        switch (op) {
        case 0:
        case 2:
            if (depth < (int)sizeof stack) {
                if (op == 0)
                    ps_jw_obj(&w);
                else
                    ps_jw_arr(&w);
                stack[depth++] = op == 0 ? 'o' : 'a';
            } else {
                ps_jw_null(&w);
            }
            break;
        case 4:
            s = take(&p, end, &n);
            ps_jw_strn(&w, s, n);
            break;
        case 5: {
            long long v = 0;
            size_t k = (size_t)(end - p) < sizeof v ? (size_t)(end - p) : sizeof v;
            memcpy(&v, p, k);
            p += k;
            ps_jw_int(&w, v);
            break;
        }
        case 6: {
            double v = 0;
            size_t k = (size_t)(end - p) < sizeof v ? (size_t)(end - p) : sizeof v;
            memcpy(&v, p, k);
            p += k;
            ps_jw_double(&w, v);
            break;
        }
        case 7: ps_jw_bool(&w, p < end && (*p++ & 1)); break;
        case 8: ps_jw_null(&w); break;
        case 9: ps_jw_raw(&w, "{\"a\":[1,2.5,\"\\u00e9\"],\"b\":null}", 31); break;
        case 10: {
            /* a NUL-terminated string through ps_jw_str (NULL -> null) */
            s = take(&p, end, &n);
            ps_buf_reset(&key);
            ps_buf_add(&key, s, n);
            ps_jw_str(&w, n ? ps_buf_cstr(&key) : NULL);
            break;
        }
        default:
            ps_jw_int(&w, (long long)(p - data));
            break;
        }
    }
    while (depth > 0) {
        if (stack[--depth] == 'o')
            ps_jw_obj_end(&w);
        else
            ps_jw_arr_end(&w);
    }
    if (b.err == PS_OK) {
        root = json_loadb(ps_buf_cstr(&b), b.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
        if (!root) {
            fprintf(stderr, "jansson: %s at %d: %.*s\n", jerr.text, jerr.position,
                    (int)(b.len < 2000 ? b.len : 2000), ps_buf_cstr(&b));
            abort();
        }
        FUZZ_CHECK(json_is_array(root));
        json_decref(root);
    } else {
        FUZZ_CHECK(b.err == PS_EINTERNAL); /* only too deep */
    }

    /* the whole input as one string round-trips */
    {
        ps_buf one, want;
        ps_jw w1;
        json_t *arr;
        const char *got;
        ps_buf_init(&one, 0);
        ps_buf_init(&want, 0);
        ps_jw_init(&w1, &one);
        ps_jw_arr(&w1);
        ps_jw_strn(&w1, (const char *)data, size);
        ps_jw_arr_end(&w1);
        FUZZ_CHECK(one.err == PS_OK);
        arr = json_loadb(ps_buf_cstr(&one), one.len, JSON_ALLOW_NUL, &jerr);
        FUZZ_CHECK(arr && json_is_array(arr) && json_array_size(arr) == 1);
        got = json_string_value(json_array_get(arr, 0));
        FUZZ_CHECK(got != NULL);
        expected_string((const char *)data, size, &want);
        FUZZ_CHECK(json_string_length(json_array_get(arr, 0)) == want.len);
        FUZZ_CHECK(memcmp(got, ps_buf_cstr(&want), want.len) == 0);
        json_decref(arr);
        ps_buf_fin(&one);
        ps_buf_fin(&want);
    }

    /* HTML escaping leaves no markup character */
    {
        ps_buf h;
        size_t i;
        ps_buf_init(&h, 0);
        ps_html_escape(&h, (const char *)data, size);
        FUZZ_CHECK(h.err == PS_OK);
        for (i = 0; i < h.len; i++)
            FUZZ_CHECK(h.data[i] != '<' && h.data[i] != '>' && h.data[i] != '"' &&
                       h.data[i] != '\'');
        ps_buf_fin(&h);
    }
    ps_buf_fin(&key);
    ps_buf_fin(&b);
    return 0;
}
