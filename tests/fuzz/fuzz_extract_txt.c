/*
 * fuzz_extract_txt: ps_extract_buffer on any bytes read as "txt": plain
 * text and the encoding detector: UTF-8 with or without BOM, UTF-16
 * with BOM, and the legacy Vietnamese encodings (TCVN3, VNI, CP1258)
 * recognised by the syllable score.
 * See fuzz_extract.h for what is checked.
 */
#define FUZZ_FORMAT "txt"
#include "tests/fuzz/fuzz_extract.h"
