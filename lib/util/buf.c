/* buf.c: growable byte buffer with a hard cap and a sticky error. */
#include "polsearch/util.h"

#include <stdio.h>
#include <string.h>

#define PS_BUF_DEFAULT_MAX ((size_t)1 << 30)

void ps_buf_init(ps_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max ? max : PS_BUF_DEFAULT_MAX;
    b->err = PS_OK;
}

void ps_buf_fin(ps_buf *b)
{
    ps_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->err = PS_OK;
}

void ps_buf_reset(ps_buf *b)
{
    b->len = 0;
    b->err = PS_OK;
    if (b->data)
        b->data[0] = '\0';
}

int ps_buf_reserve(ps_buf *b, size_t extra)
{
    size_t need, ncap;
    char *p;
    if (b->err)
        return b->err;
    if (extra > b->max - b->len)
        return b->err = PS_ETOOBIG;
    need = b->len + extra + 1; /* room for the terminating NUL */
    if (need <= b->cap)
        return PS_OK;
    ncap = b->cap ? b->cap : 64;
    while (ncap < need)
        ncap = ncap > ((size_t)-1) / 2 ? need : ncap * 2;
    if (ncap > b->max + 1)
        ncap = b->max + 1;
    p = ps_realloc(b->data, ncap);
    if (!p)
        return b->err = PS_ENOMEM;
    b->data = p;
    b->cap = ncap;
    return PS_OK;
}

int ps_buf_add(ps_buf *b, const void *p, size_t n)
{
    if (ps_buf_reserve(b, n))
        return b->err;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return PS_OK;
}

int ps_buf_adds(ps_buf *b, const char *s)
{
    return ps_buf_add(b, s, strlen(s));
}

int ps_buf_addc(ps_buf *b, char c)
{
    if (b->err == PS_OK && b->len + 1 < b->cap) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return PS_OK;
    }
    return ps_buf_add(b, &c, 1);
}

int ps_buf_vaddf(ps_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    if (b->err)
        return b->err;
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return b->err = PS_EINVAL;
    if (ps_buf_reserve(b, (size_t)n))
        return b->err;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return PS_OK;
}

int ps_buf_addf(ps_buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;
    va_start(ap, fmt);
    rc = ps_buf_vaddf(b, fmt, ap);
    va_end(ap);
    return rc;
}

const char *ps_buf_cstr(ps_buf *b)
{
    return b->data ? b->data : "";
}

char *ps_buf_steal(ps_buf *b, size_t *len)
{
    char *p = b->data;
    if (!p)
        p = ps_strndup("", 0);
    if (len)
        *len = p ? b->len : 0;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
