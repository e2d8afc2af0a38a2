/*
 * fuzz_extract_odt: ps_extract_buffer on any bytes read as "odt":
 * OpenDocument text (a zip holding content.xml).
 * See fuzz_extract.h for
 * what is checked.
 */
#define FUZZ_FORMAT "odt"
#include "tests/fuzz/fuzz_extract.h"
