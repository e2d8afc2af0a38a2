/*
 * fuzz_extract_html: ps_extract_buffer on any bytes read as "html": HTML
 * pages (scraped portals, saved Word pages).
 * See fuzz_extract.h for what is checked.
 */
#define FUZZ_FORMAT "html"
#include "tests/fuzz/fuzz_extract.h"
