/*
 * fuzz_extract_rtf: ps_extract_buffer on any bytes read as "rtf": Rich
 * Text Format.
 * See fuzz_extract.h for what is checked.
 */
#define FUZZ_FORMAT "rtf"
#include "tests/fuzz/fuzz_extract.h"
