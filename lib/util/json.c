/* json.c: streaming JSON writer and the escapers for JSON and HTML. */
#include "polsearch/util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void ps_json_escape(ps_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    const unsigned char *run = p; /* start of bytes copied verbatim */

    while (p < end) {
        unsigned char c = *p;
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            p++;
            continue;
        }
        if (c >= 0x80) {
            int l = ps_utf8_seqlen(p, (size_t)(end - p));
            if (l) {
                p += l;
                continue;
            }
        }
        ps_buf_add(b, run, (size_t)(p - run));
        switch (c) {
        case '"': ps_buf_add(b, "\\\"", 2); break;
        case '\\': ps_buf_add(b, "\\\\", 2); break;
        case '\n': ps_buf_add(b, "\\n", 2); break;
        case '\r': ps_buf_add(b, "\\r", 2); break;
        case '\t': ps_buf_add(b, "\\t", 2); break;
        default:
            if (c < 0x20) {
                char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                ps_buf_add(b, u, 6);
            } else {
                ps_buf_add(b, "\xEF\xBF\xBD", 3); /* invalid byte: U+FFFD */
            }
        }
        p++;
        run = p;
    }
    ps_buf_add(b, run, (size_t)(p - run));
}

void ps_html_escape(ps_buf *b, const char *s, size_t n)
{
    size_t i, run = 0;
    for (i = 0; i < n; i++) {
        const char *rep;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        ps_buf_add(b, s + run, i - run);
        ps_buf_adds(b, rep);
        run = i + 1;
    }
    ps_buf_add(b, s + run, n - run);
}

void ps_jw_init(ps_jw *w, ps_buf *b)
{
    w->b = b;
    w->depth = 0;
    w->need_comma[0] = 0;
}

/* Called before every value: writes the comma between siblings. After a
 * key the comma was already written by ps_jw_key. */
static void before_value(ps_jw *w)
{
    if (w->need_comma[w->depth] == 1)
        ps_buf_addc(w->b, ',');
    w->need_comma[w->depth] = 1;
}

static void push(ps_jw *w, char c)
{
    before_value(w);
    if (w->depth + 1 >= PS_JW_MAXDEPTH) {
        if (!w->b->err)
            w->b->err = PS_EINTERNAL;
        return;
    }
    ps_buf_addc(w->b, c);
    w->depth++;
    w->need_comma[w->depth] = 0;
}

static void pop(ps_jw *w, char c)
{
    if (w->depth > 0)
        w->depth--;
    ps_buf_addc(w->b, c);
}

void ps_jw_obj(ps_jw *w) { push(w, '{'); }
void ps_jw_obj_end(ps_jw *w) { pop(w, '}'); }
void ps_jw_arr(ps_jw *w) { push(w, '['); }
void ps_jw_arr_end(ps_jw *w) { pop(w, ']'); }

void ps_jw_key(ps_jw *w, const char *key)
{
    before_value(w);
    ps_buf_addc(w->b, '"');
    ps_json_escape(w->b, key, strlen(key));
    ps_buf_add(w->b, "\":", 2);
    w->need_comma[w->depth] = 2; /* the value that follows needs no comma */
}

void ps_jw_strn(ps_jw *w, const char *s, size_t n)
{
    before_value(w);
    ps_buf_addc(w->b, '"');
    ps_json_escape(w->b, s, n);
    ps_buf_addc(w->b, '"');
}

void ps_jw_str(ps_jw *w, const char *s)
{
    if (!s)
        ps_jw_null(w);
    else
        ps_jw_strn(w, s, strlen(s));
}

void ps_jw_int(ps_jw *w, long long v)
{
    before_value(w);
    ps_buf_addf(w->b, "%lld", v);
}

void ps_jw_double(ps_jw *w, double v)
{
    before_value(w);
    if (isfinite(v))
        ps_buf_addf(w->b, "%.6g", v);
    else
        ps_buf_adds(w->b, "null");
}

void ps_jw_bool(ps_jw *w, int v)
{
    before_value(w);
    ps_buf_adds(w->b, v ? "true" : "false");
}

void ps_jw_null(ps_jw *w)
{
    before_value(w);
    ps_buf_adds(w->b, "null");
}

void ps_jw_raw(ps_jw *w, const char *json, size_t n)
{
    before_value(w);
    ps_buf_add(w->b, json, n);
}

void ps_jw_kstr(ps_jw *w, const char *key, const char *s)
{
    ps_jw_key(w, key);
    ps_jw_str(w, s);
}

void ps_jw_kint(ps_jw *w, const char *key, long long v)
{
    ps_jw_key(w, key);
    ps_jw_int(w, v);
}
