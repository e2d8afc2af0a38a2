/*
 * fuzz_extract_auto: ps_extract_buffer on any bytes with no format given,
 * so the content decides (zip, PDF, HTML, RTF or OLE signatures, else
 * text in some encoding): every extractor is reachable from one input.
 * See fuzz_extract.h for what is checked.
 */
#define FUZZ_FORMAT NULL
#include "tests/fuzz/fuzz_extract.h"
