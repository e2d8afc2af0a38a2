/* arena.c: bump allocator, freed all at once.
 *
 * Blocks grow geometrically up to 1 MiB; a request larger than a block gets
 * a block of its own, so a few huge strings do not waste a block's tail. */
#include "polsearch/util.h"

#include <stdio.h>
#include <string.h>

#define ARENA_FIRST 4096
#define ARENA_MAXBLOCK ((size_t)1 << 20)
#define ARENA_MAXALLOC ((size_t)1 << 30)
#define ARENA_ALIGN 16

typedef struct block {
    struct block *next;
    size_t size;
    size_t used;
    _Alignas(16) unsigned char mem[];
} block;

struct ps_arena {
    block *head;    /* current block, newest first */
    size_t next_size;
    size_t total;   /* bytes handed out */
};

static block *block_new(size_t size)
{
    block *b = ps_malloc(sizeof *b + size);
    if (!b)
        return NULL;
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

ps_arena *ps_arena_new(void)
{
    ps_arena *a = ps_malloc(sizeof *a);
    if (!a)
        return NULL;
    a->head = block_new(ARENA_FIRST);
    if (!a->head) {
        ps_free(a);
        return NULL;
    }
    a->next_size = ARENA_FIRST * 2;
    a->total = 0;
    return a;
}

void ps_arena_free(ps_arena *a)
{
    block *b, *n;
    if (!a)
        return;
    for (b = a->head; b; b = n) {
        n = b->next;
        ps_free(b);
    }
    ps_free(a);
}

void ps_arena_reset(ps_arena *a)
{
    block *b = a->head, *n;
    /* keep the oldest block (the last in the list) */
    while (b && b->next) {
        n = b->next;
        ps_free(b);
        b = n;
    }
    a->head = b;
    if (b)
        b->used = 0;
    a->total = 0;
}

void *ps_arena_alloc(ps_arena *a, size_t n)
{
    block *b = a->head;
    size_t off;
    if (n > ARENA_MAXALLOC)
        return NULL;
    n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (!n)
        n = ARENA_ALIGN;
    if (!b || b->size - b->used < n) {
        size_t size = a->next_size;
        block *nb;
        if (n > size / 4) {
            /* big request: its own block, placed after the current one so
             * the current block's free tail stays usable */
            nb = block_new(n);
            if (!nb)
                return NULL;
            nb->used = n;
            if (b) {
                nb->next = b->next;
                b->next = nb;
            } else {
                a->head = nb;
            }
            a->total += n;
            return nb->mem;
        }
        nb = block_new(size);
        if (!nb)
            return NULL;
        nb->next = b;
        a->head = b = nb;
        if (a->next_size < ARENA_MAXBLOCK)
            a->next_size *= 2;
    }
    off = b->used;
    b->used += n;
    a->total += n;
    return b->mem + off;
}

void *ps_arena_calloc(ps_arena *a, size_t n)
{
    void *p = ps_arena_alloc(a, n);
    if (p)
        memset(p, 0, n);
    return p;
}

char *ps_arena_strndup(ps_arena *a, const char *s, size_t n)
{
    char *d = ps_arena_alloc(a, n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *ps_arena_strdup(ps_arena *a, const char *s)
{
    return s ? ps_arena_strndup(a, s, strlen(s)) : NULL;
}

char *ps_arena_sprintf(ps_arena *a, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *d;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    d = ps_arena_alloc(a, (size_t)n + 1);
    if (!d)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}

size_t ps_arena_used(const ps_arena *a)
{
    return a->total;
}
