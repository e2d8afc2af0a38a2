/*
 * fuzz_extract.h: the body of every fuzz_extract_<format> target. Each
 * target defines FUZZ_FORMAT (a format name as ps_extract_buffer takes it,
 * or NULL to guess from the content) and includes this file.
 *
 * An extractor gets a file's bytes from anywhere (a mail attachment, a
 * scraped page, a damaged disk). It must succeed with a text that holds
 * the cleaner's promises (valid UTF-8 with no NUL, page offsets inside
 * it), or fail with an error code and a message; never crash, hang or
 * leak. The parser then runs on what was extracted, as the indexer does.
 */
#ifndef POLSEARCH_FUZZ_EXTRACT_H
#define POLSEARCH_FUZZ_EXTRACT_H

#include "polsearch/doc.h"
#include "polsearch/extract.h"
#include "polsearch/index.h"
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_doc *doc = ps_doc_new();
    ps_error err;
    int rc;

    FUZZ_CHECK(doc != NULL);
    doc->id = "fuzz";
    ps_error_clear(&err);
    rc = ps_extract_buffer((const char *)data, size, FUZZ_FORMAT, doc, &err);
    if (rc == PS_OK) {
        size_t i;
        ps_passage *ps;
        size_t np;
        FUZZ_CHECK(doc->text != NULL);
        FUZZ_CHECK(strlen(doc->text) == doc->text_len);
        FUZZ_CHECK(fuzz_valid_utf8(doc->text, doc->text_len));
        FUZZ_CHECK(doc->format != NULL && doc->encoding != NULL);
        for (i = 0; i < doc->n_pages; i++) {
            FUZZ_CHECK(doc->page_starts[i] <= doc->text_len);
            FUZZ_CHECK(i == 0 || doc->page_starts[i] >= doc->page_starts[i - 1]);
        }
        FUZZ_CHECK(ps_doc_parse(doc, &err) == PS_OK);
        FUZZ_CHECK(ps_passages(doc, &ps, &np, &err) == PS_OK);
    } else {
        /* a clean failure: a code and a message saying why */
        FUZZ_CHECK(rc > PS_OK && rc <= PS_EINTERNAL);
        FUZZ_CHECK(err.code == rc);
        FUZZ_CHECK(err.msg[0] != '\0');
    }
    ps_doc_free(doc);
    return 0;
}

#endif
