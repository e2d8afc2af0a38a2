/*
 * testroot.h: for unit tests that read files of the repository (included,
 * not compiled alone). root is $POLSEARCH_ROOT, else "." (the runner sets
 * it); test_root_init() fills it, present() says whether a file under it
 * can be read.
 */
#ifndef POLSEARCH_TESTROOT_H
#define POLSEARCH_TESTROOT_H

#include <stdio.h>
#include <stdlib.h>

static char root[2048];

static void test_root_init(void)
{
    const char *r = getenv("POLSEARCH_ROOT");
    snprintf(root, sizeof root, "%s", r && *r ? r : ".");
}

/* Whether root/rel exists (readable). */
static int present(const char *rel)
{
    char path[2400];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", root, rel);
    f = fopen(path, "r");
    if (f)
        fclose(f);
    return f != NULL;
}

#endif
