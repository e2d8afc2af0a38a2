/*
 * fuzz_extract_doc: ps_extract_buffer on any bytes read as "doc": Word
 * 97-2003 binary documents.
 * See fuzz_extract.h for what is checked.
 */
#define FUZZ_FORMAT "doc"
#include "tests/fuzz/fuzz_extract.h"
