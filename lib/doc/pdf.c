/*
 * pdf.c: the text layer of a PDF, page by page, through poppler-glib.
 *
 * Each page's text is cleaned on its own, so the byte offset where it
 * starts in the document's cleaned text is known exactly: pages are joined
 * by one newline and doc->page_starts[i] is where page i's text begins (an
 * empty page starts where the next one does). A PDF whose pages hold no
 * letter or digit at all has no text layer (a scan): it fails with
 * PS_EFORMAT, so the caller can name it for OCR rather than index an
 * empty document.
 *
 * A PDF keeps the lines as set on the page, so a sentence that ran past
 * the right margin arrives cut in two ("... kỳ họp thứ 8 thông" / "qua
 * ngày 30 tháng 11 năm 2024."), and the parser, which reads lines, would
 * miss a date or a title split that way. Such lines are joined again: a
 * line that reaches near the page's widest line (3/4 of it), ends without
 * sentence punctuation, and is followed by one starting with a small
 * letter that is not a list mark ("a)", "đ)") was wrapped by the layout,
 * not by the author. Lines the author broke (headings, short title lines,
 * list items) stay as they are.
 *
 * Limits: PS_EXTRACT_MAX_PAGES pages, PS_EXTRACT_MAX_TEXT bytes of text,
 * and PS_EXTRACT_TIMEOUT seconds, checked between pages (poppler runs in
 * this process, so one page that takes long cannot be cut short; the cap
 * bounds the whole). Encrypted PDFs that need a password fail with a
 * message saying so; those with an empty user password open as usual.
 *
 * poppler reports syntax errors of damaged files through GLib's log;
 * messages of the "Poppler" domain are silenced here once (library code
 * never prints).
 */
#include <glib.h>
#include <poppler.h>
#include <pthread.h>
#include <string.h>

#include "doc/extract_int.h"
#include "polsearch/text.h"

static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;

static void drop_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
    (void)domain;
    (void)level;
    (void)msg;
    (void)data;
}

static void quiet_poppler(void)
{
    g_log_set_handler("Poppler", (GLogLevelFlags)(G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL |
                                                  G_LOG_FLAG_RECURSION),
                      drop_log, NULL);
}

/* Whether s holds a letter or a digit (any script). */
static int has_alnum(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        int l = ps_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (l <= 0) {
            i++;
            continue;
        }
        if (g_unichar_isalnum((gunichar)cp))
            return 1;
        i += (size_t)l;
    }
    return 0;
}

/* Code points in s[0..n). */
static size_t cp_count(const char *s, size_t n)
{
    size_t k = 0, i;
    for (i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            k++;
    return k;
}

/* Whether the line starting at s is a list item written with a small
 * letter: "a) ", "đ) ", "aa) ". */
static int small_list_mark(const char *s, size_t n)
{
    size_t i = 0, letters = 0;
    while (i < n && letters < 3) {
        uint32_t cp;
        int l = ps_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (l <= 0 || !g_unichar_islower((gunichar)cp))
            break;
        i += (size_t)l;
        letters++;
    }
    return letters > 0 && letters <= 2 && i < n && (s[i] == ')' || s[i] == '.');
}

/* Joins the lines of one cleaned page that the layout wrapped (see the
 * head of the file), in place. */
static void unwrap_lines(ps_buf *page)
{
    char *s = page->data;
    size_t n = page->len, i, widest = 0, start = 0;
    if (!s || !n)
        return;
    for (i = 0; i <= n; i++)
        if (i == n || s[i] == '\n') {
            size_t w = cp_count(s + start, i - start);
            if (w > widest)
                widest = w;
            start = i + 1;
        }
    if (widest < 40)
        return;
    start = 0;
    for (i = 0; i < n; i++) {
        size_t len, e;
        uint32_t cp;
        int l;
        char last;
        if (s[i] != '\n')
            continue;
        len = cp_count(s + start, i - start);
        e = i;
        while (e > start && s[e - 1] == ' ')
            e--;
        last = e > start ? s[e - 1] : '.';
        l = i + 1 < n ? ps_utf8_decode((const unsigned char *)s + i + 1, n - i - 1, &cp) : 0;
        if (len * 4 >= widest * 3 && !strchr(".:;!?", last) && l > 0 &&
            g_unichar_islower((gunichar)cp) && !small_list_mark(s + i + 1, n - i - 1))
            s[i] = ' ';
        start = i + 1;
    }
}

int ps_pdf_extract(const char *data, size_t n, ps_doc *doc, ps_error *err)
{
    GBytes *bytes;
    GError *gerr = NULL;
    PopplerDocument *pdf;
    ps_buf text, page;
    size_t *starts = NULL;
    int n_pages, i, rc = PS_OK, any = 0, first_empty = 0;
    double t0 = ps_now();

    pthread_once(&quiet_once, quiet_poppler);
    if (n < 5 || memcmp(data, "%PDF-", 5) != 0) {
        /* the header may follow some junk, within the first KB */
        const char *p = NULL;
        size_t lim = n < 1024 ? n : 1024, k;
        for (k = 0; k + 5 <= lim && !p; k++)
            if (memcmp(data + k, "%PDF-", 5) == 0)
                p = data + k;
        if (!p)
            return ps_error_set(err, PS_EFORMAT, "not a PDF file (no %%PDF- header)");
    }
    bytes = g_bytes_new_static(data, n);
    pdf = poppler_document_new_from_bytes(bytes, NULL, &gerr);
    g_bytes_unref(bytes);
    if (!pdf) {
        if (gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED)
            rc = ps_error_set(err, PS_EFORMAT, "encrypted PDF (a password is needed)");
        else
            rc = ps_error_set(err, PS_EFORMAT, "not a readable PDF (%s)",
                              gerr && gerr->message ? gerr->message : "damaged");
        if (gerr)
            g_error_free(gerr);
        return rc;
    }
    n_pages = poppler_document_get_n_pages(pdf);
    if (n_pages > PS_EXTRACT_MAX_PAGES) {
        g_object_unref(pdf);
        return ps_error_set(err, PS_ETOOBIG, "PDF of %d pages is over the limit of %d", n_pages,
                            PS_EXTRACT_MAX_PAGES);
    }
    if (n_pages > 0) {
        starts = ps_arena_alloc(doc->arena, (size_t)n_pages * sizeof *starts);
        if (!starts) {
            g_object_unref(pdf);
            return ps_error_set(err, PS_ENOMEM, "out of memory for %d pages", n_pages);
        }
    }
    ps_buf_init(&text, PS_EXTRACT_MAX_TEXT);
    ps_buf_init(&page, PS_EXTRACT_MAX_TEXT);
    for (i = 0; i < n_pages && rc == PS_OK; i++) {
        PopplerPage *pg;
        char *raw;
        size_t len;
        if (ps_now() - t0 > PS_EXTRACT_TIMEOUT) {
            rc = ps_error_set(err, PS_ETOOBIG, "PDF text took over %d s (%d of %d pages read)",
                              PS_EXTRACT_TIMEOUT, i, n_pages);
            break;
        }
        pg = poppler_document_get_page(pdf, i);
        raw = pg ? poppler_page_get_text(pg) : NULL;
        if (pg)
            g_object_unref(pg);
        ps_buf_reset(&page);
        if (raw) {
            rc = ps_text_clean(raw, strlen(raw), &page, NULL, err);
            g_free(raw);
        }
        len = page.len;
        while (len && (page.data[len - 1] == '\n' || page.data[len - 1] == ' ' ||
                       page.data[len - 1] == '\f'))
            len--;
        page.len = len;
        if (rc == PS_OK)
            unwrap_lines(&page);
        if (rc == PS_OK && len) {
            int k;
            if (text.len)
                ps_buf_addc(&text, '\n');
            any |= has_alnum(page.data, len);
            /* empty pages before this one start where it does */
            for (k = first_empty; k < i; k++)
                starts[k] = text.len;
            first_empty = i + 1;
        }
        starts[i] = text.len;
        if (rc == PS_OK && len)
            ps_buf_add(&text, page.data, len);
        if (rc == PS_OK && text.err)
            rc = ps_error_set(err, text.err, "PDF text %s",
                              text.err == PS_ENOMEM ? "ran out of memory" : "is too large");
    }
    ps_buf_fin(&page);
    g_object_unref(pdf);
    if (rc == PS_OK && !any)
        rc = ps_error_set(err, PS_EFORMAT, "no text layer (scanned PDF?)");
    if (rc == PS_OK)
        rc = ps_doc_set_text(doc, text.data ? text.data : "", text.len, NULL, err);
    if (rc == PS_OK) {
        /* cleaning clean text changes nothing, so the offsets hold; should
         * it ever change, pages are dropped rather than left wrong */
        if (doc->text_len == text.len) {
            doc->page_starts = starts;
            doc->n_pages = (size_t)n_pages;
        } else {
            doc->page_starts = NULL;
            doc->n_pages = 0;
        }
    }
    ps_buf_fin(&text);
    return rc;
}
