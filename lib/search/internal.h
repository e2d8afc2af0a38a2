/*
 * internal.h: internal to lib/search. The searcher's state and helpers
 * its files share.
 */
#ifndef PS_SEARCH_INTERNAL_H
#define PS_SEARCH_INTERNAL_H

#include "polsearch/search.h"
#include "xapian-c/xc.h"

struct ps_searcher {
    char *path;
    xc_db *db;
    ps_analyzer *an;
};

/* A binding error as a polsearch error with what was being done. */
int ps_from_xc(ps_error *err, const xc_error *xe, const char *what);

/* Adds a warning to results (copied into their arena). */
void ps_search_warn(ps_results *r, const char *msg);

#endif
