/* alloc.c: the library allocator, with a fault-injection switch.
 *
 * Every allocation in lib/ goes through here so that a test can make the
 * Nth one fail and check that each error path frees what it took (curl's
 * torture mode). The counters are atomics: the daemon allocates from many
 * threads, and the switch must cost nothing measurable when off. */
#include "polsearch/util.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_long fail_countdown = -1; /* < 0: never fail */
static atomic_long alloc_count = 0;

static int should_fail(void)
{
    long left = atomic_load_explicit(&fail_countdown, memory_order_relaxed);
    atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed);
    if (left < 0)
        return 0;
    if (left == 0)
        return 1;
    atomic_fetch_sub_explicit(&fail_countdown, 1, memory_order_relaxed);
    return 0;
}

long ps_alloc_fail_after(long n)
{
    long made = atomic_exchange(&alloc_count, 0);
    atomic_store(&fail_countdown, n < 0 ? -1 : n);
    return made;
}

void *ps_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *ps_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *ps_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void ps_free(void *p)
{
    free(p);
}

char *ps_strndup(const char *s, size_t n)
{
    char *d = ps_malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *ps_strdup(const char *s)
{
    return s ? ps_strndup(s, strlen(s)) : NULL;
}
