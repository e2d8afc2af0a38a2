/*
 * fuzz_common.h: helpers shared by the libFuzzer targets (included, not
 * compiled alone). Each check that fails aborts, which libFuzzer reports
 * as a crash with the input that caused it.
 */
#ifndef POLSEARCH_FUZZ_COMMON_H
#define POLSEARCH_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "polsearch/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with a message naming the broken invariant. */
#define FUZZ_CHECK(cond)                                                           \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                               \
        }                                                                          \
    } while (0)

/* Whether s[0, n) is valid UTF-8 (the library's own definition). */
static inline int fuzz_valid_utf8(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        int l = ps_utf8_seqlen((const unsigned char *)s + i, n - i);
        if (!l)
            return 0;
        i += (size_t)l;
    }
    return 1;
}

/* Cuts the input into at most max parts at each 0xFF byte (a byte that
 * never occurs in UTF-8), so one input can fill several string fields.
 * Each part is copied NUL-terminated into its own malloc'd block so that
 * ASan catches a read past its end; the caller frees with fuzz_parts_free. */
typedef struct fuzz_parts {
    char *s[16];
    size_t n[16];
    size_t count;
} fuzz_parts;

static inline void fuzz_split(const uint8_t *data, size_t size, size_t max, fuzz_parts *p)
{
    size_t start = 0, i;
    if (max > 16)
        max = 16;
    p->count = 0;
    for (i = 0; i <= size && p->count < max; i++) {
        if (i == size || (data[i] == 0xFF && p->count + 1 < max)) {
            size_t len = i - start;
            char *c = malloc(len + 1);
            if (!c)
                abort();
            if (len)
                memcpy(c, data + start, len);
            c[len] = '\0';
            p->s[p->count] = c;
            p->n[p->count] = len;
            p->count++;
            start = i + 1;
            if (i == size)
                break;
        }
    }
    /* the last part takes the rest when max parts were reached early */
}

static inline void fuzz_parts_free(fuzz_parts *p)
{
    size_t i;
    for (i = 0; i < p->count; i++)
        free(p->s[i]);
    p->count = 0;
}

#endif
