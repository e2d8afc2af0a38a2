/*
 * fuzz_extract_docx: ps_extract_buffer on any bytes read as "docx": Word
 * 2007+ documents (a zip holding word/document.xml).
 * See fuzz_extract.h
 * for what is checked.
 */
#define FUZZ_FORMAT "docx"
#include "tests/fuzz/fuzz_extract.h"
