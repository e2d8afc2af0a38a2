/*
 * fuzz_extract_pdf: ps_extract_buffer on any bytes read as "pdf": PDF
 * files (text layer, one offset per page).
 * See fuzz_extract.h for what is checked.
 */
#define FUZZ_FORMAT "pdf"
#include "tests/fuzz/fuzz_extract.h"
