/*
 * fuzz_extract_md: ps_extract_buffer on any bytes read as "md": Markdown
 * (heading, emphasis and quote marks dropped).
 * See fuzz_extract.h for
 * what is checked.
 */
#define FUZZ_FORMAT "md"
#include "tests/fuzz/fuzz_extract.h"
