/*
 * office.c: DOCX (word/document.xml) and ODT (content.xml): the zip
 * archive through libzip, the XML through libxml2's streaming reader.
 *
 * Limits: an archive of more than PS_EXTRACT_MAX_ENTRIES entries, or whose
 * entry declares (or turns out to hold) more than PS_EXTRACT_MAX_ENTRY
 * bytes uncompressed, is refused as a likely zip bomb; the XML is read
 * with the network off, no DTD loading and no entity substitution, and a
 * document type declaration (which neither format ever has) is refused
 * outright, so no entity can expand. The streaming reader keeps memory
 * near the size of the entry.
 *
 * DOCX, what is kept: the body's paragraphs (w:p) in order, their runs'
 * text (w:t), tabs, line breaks, non-breaking hyphens; tables (w:tbl) by
 * rows and cells, nested tables too; text boxes once (the mc:Choice; the
 * mc:Fallback copy is skipped); field results. Dropped: deleted and
 * moved-away text of tracked changes, field codes (w:instrText), the
 * generated table of contents (a TOC field, or a content control of the
 * "Table of Contents" gallery), whose lines would repeat every article
 * heading; headers, footers, footnotes and comments, which live in other
 * parts of the archive.
 *
 * ODT, what is kept: text:p and text:h in order, spans, links, spaces
 * (text:s), tabs, line breaks, lists, tables (covered cells of merged
 * ranges skipped), frames and text boxes. Dropped: footnotes and endnotes
 * (text:note: inline in ODF, they would cut a sentence in two),
 * annotations, tracked deletions, generated indexes (table of contents
 * and the like), alt text.
 */
#include <libxml/xmlreader.h>
#include <string.h>
#include <zip.h>

#include "doc/extract_int.h"

/* ---- zip ---------------------------------------------------------------- */

/* "a DOCX", "an ODT": for messages. */
static const char *article(const char *kind)
{
    return kind[0] == 'O' || kind[0] == 'R' ? "an" : "a";
}

static zip_t *zip_open_mem(const char *data, size_t n, int *zerr_code)
{
    zip_error_t zerr;
    zip_source_t *src;
    zip_t *za;
    zip_error_init(&zerr);
    src = zip_source_buffer_create(data, n, 0, &zerr);
    if (!src) {
        *zerr_code = zip_error_code_zip(&zerr);
        zip_error_fini(&zerr);
        return NULL;
    }
    za = zip_open_from_source(src, ZIP_RDONLY, &zerr);
    if (!za) {
        *zerr_code = zip_error_code_zip(&zerr);
        zip_source_free(src);
    }
    zip_error_fini(&zerr);
    return za;
}

int ps_zip_has_entry(const char *data, size_t n, const char *name)
{
    int code = 0, found;
    zip_t *za = zip_open_mem(data, n, &code);
    if (!za)
        return 0;
    found = zip_name_locate(za, name, 0) >= 0;
    zip_discard(za);
    return found;
}

int ps_zip_read_entry(const char *data, size_t n, const char *name, const char *kind,
                      ps_buf *out, ps_error *err)
{
    int code = 0, rc = PS_OK;
    zip_t *za = zip_open_mem(data, n, &code);
    zip_int64_t idx, entries;
    zip_stat_t st;
    zip_file_t *zf;
    char chunk[65536];

    if (!za) {
        if (code == ZIP_ER_NOZIP || code == ZIP_ER_INCONS)
            return ps_error_set(err, PS_EFORMAT, "not %s %s file (not a zip archive)",
                                article(kind), kind);
        return ps_error_set(err, code == ZIP_ER_MEMORY ? PS_ENOMEM : PS_EFORMAT,
                            "not %s readable %s file (zip error %d)", "a", kind, code);
    }
    entries = zip_get_num_entries(za, 0);
    if (entries > PS_EXTRACT_MAX_ENTRIES) {
        zip_discard(za);
        return ps_error_set(err, PS_ETOOBIG,
                            "%s archive of %lld entries is over the limit of %d (zip bomb?)", kind,
                            (long long)entries, PS_EXTRACT_MAX_ENTRIES);
    }
    idx = zip_name_locate(za, name, 0);
    if (idx < 0) {
        zip_discard(za);
        return ps_error_set(err, PS_ENOTFOUND, "not %s %s file (no %s in the archive)",
                            article(kind), kind, name);
    }
    zip_stat_init(&st);
    if (zip_stat_index(za, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
        st.size > PS_EXTRACT_MAX_ENTRY) {
        zip_discard(za);
        return ps_error_set(err, PS_ETOOBIG,
                            "%s entry %s unpacks to %llu bytes, over the %zu MB limit (zip bomb?)",
                            kind, name, (unsigned long long)st.size, PS_EXTRACT_MAX_ENTRY >> 20);
    }
    zf = zip_fopen_index(za, (zip_uint64_t)idx, 0);
    if (!zf) {
        rc = ps_error_set(err, PS_EFORMAT, "%s entry %s cannot be read: %s", kind, name,
                          zip_strerror(za));
        zip_discard(za);
        return rc;
    }
    for (;;) {
        zip_int64_t got = zip_fread(zf, chunk, sizeof chunk);
        if (got < 0) {
            rc = ps_error_set(err, PS_EFORMAT, "%s entry %s is damaged: %s", kind, name,
                              zip_file_strerror(zf));
            break;
        }
        if (got == 0)
            break;
        /* the declared size may lie: count what really comes out */
        if (out->len + (size_t)got > PS_EXTRACT_MAX_ENTRY) {
            rc = ps_error_set(err, PS_ETOOBIG,
                              "%s entry %s unpacks to more than %zu MB (zip bomb?)", kind, name,
                              PS_EXTRACT_MAX_ENTRY >> 20);
            break;
        }
        if (ps_buf_add(out, chunk, (size_t)got)) {
            rc = ps_error_set(err, out->err, "out of memory reading %s", kind);
            break;
        }
    }
    zip_fclose(zf);
    zip_discard(za);
    return rc;
}

/* ---- XML ---------------------------------------------------------------- */

/* Neither OOXML nor ODF has a DTD: refuse one, and with it every entity
 * declaration (billion laughs) before the parser sees it. */
static int has_doctype(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i + 2 < n; i++) {
        if (s[i] != '<')
            continue;
        if (s[i + 1] == '!' && n - i >= 9 && strncmp(s + i, "<!DOCTYPE", 9) == 0)
            return 1;
        if (s[i + 1] != '?' && s[i + 1] != '!')
            return 0; /* the root element: the prolog is over */
    }
    return 0;
}

static void reader_quiet(void *arg, const char *msg, xmlParserSeverities severity,
                         xmlTextReaderLocatorPtr locator)
{
    (void)msg;
    (void)locator;
    if (severity == XML_PARSER_SEVERITY_ERROR || severity == XML_PARSER_SEVERITY_VALIDITY_ERROR)
        *(int *)arg = 1;
}

static xmlTextReaderPtr open_reader(const ps_buf *xml, const char *url, int *xml_err)
{
    xmlTextReaderPtr r;
    ps_xml_init();
    r = xmlReaderForMemory(xml->data ? xml->data : "", (int)xml->len, url, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (r)
        xmlTextReaderSetErrorHandler(r, reader_quiet, xml_err);
    return r;
}

static int is_ns(const xmlChar *uri, const char *const *list)
{
    if (!uri)
        return 0;
    for (; *list; list++)
        if (strcmp((const char *)uri, *list) == 0)
            return 1;
    return 0;
}

static int eq(const xmlChar *a, const char *b)
{
    return a && strcmp((const char *)a, b) == 0;
}

/* ---- DOCX --------------------------------------------------------------- */

static const char *const ns_w[] = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main", NULL,
};
static const char *const ns_mc[] = {
    "http://schemas.openxmlformats.org/markup-compatibility/2006", NULL,
};

typedef struct docx_ctx {
    ts_sink sink;
    int in_t;        /* inside w:t */
    int in_run;      /* inside w:r */
    int in_instr;    /* inside w:instrText */
    /* complex fields: a stack of [is TOC, past "separate"] */
    unsigned char field_toc[32], field_result[32];
    int n_fields, toc_depth;
    /* content controls: whether the current one is a table of contents */
    unsigned char sdt_toc[32];
    int n_sdt;
    ps_buf instr;
} docx_ctx;

/* Whether text is being dropped as part of a table of contents. */
static int docx_suppressed(const docx_ctx *c)
{
    int i;
    for (i = 0; i < c->n_fields && i < 32; i++)
        if (c->field_toc[i] && c->field_result[i])
            return 1;
    return 0;
}

/* Handles one element start; returns 1 when its subtree is to be
 * skipped. An empty element gets docx_end() right after. */
static int docx_start(docx_ctx *c, xmlTextReaderPtr r, const xmlChar *name)
{
    int quiet = docx_suppressed(c);
    if (is_ns(xmlTextReaderConstNamespaceUri(r), ns_mc)) {
        return eq(name, "Fallback");
    }
    if (!is_ns(xmlTextReaderConstNamespaceUri(r), ns_w))
        return 0;
    if (eq(name, "p")) {
        if (!quiet)
            ts_para_begin(&c->sink);
    } else if (eq(name, "r")) {
        c->in_run++;
    } else if (eq(name, "t")) {
        c->in_t = 1;
    } else if (eq(name, "instrText")) {
        c->in_instr = 1;
    } else if (eq(name, "tab") && c->in_run) {
        if (!quiet)
            ts_tab(&c->sink);
    } else if ((eq(name, "br") || eq(name, "cr")) && c->in_run) {
        if (!quiet)
            ts_break(&c->sink);
    } else if (eq(name, "noBreakHyphen") && c->in_run) {
        if (!quiet)
            ts_raw(&c->sink, "-", 1);
    } else if (eq(name, "tbl")) {
        ts_block(&c->sink);
    } else if (eq(name, "tr")) {
        if (!quiet)
            ts_row_begin(&c->sink);
    } else if (eq(name, "tc")) {
        if (!quiet)
            ts_cell_begin(&c->sink);
    } else if (eq(name, "del") || eq(name, "moveFrom")) {
        return 1;
    } else if (eq(name, "fldChar")) {
        xmlChar *type = xmlTextReaderGetAttributeNs(r, (const xmlChar *)"fldCharType",
                                                    xmlTextReaderConstNamespaceUri(r));
        if (eq(type, "begin")) {
            if (c->n_fields < 32) {
                c->field_toc[c->n_fields] = 0;
                c->field_result[c->n_fields] = 0;
            }
            c->n_fields++;
            ps_buf_reset(&c->instr);
        } else if (eq(type, "separate") && c->n_fields > 0 && c->n_fields <= 32) {
            c->field_result[c->n_fields - 1] = 1;
        } else if (eq(type, "end") && c->n_fields > 0) {
            c->n_fields--;
        }
        xmlFree(type);
    } else if (eq(name, "sdt")) {
        if (c->n_sdt < 32)
            c->sdt_toc[c->n_sdt] = 0;
        c->n_sdt++;
    } else if (eq(name, "docPartGallery") && c->n_sdt > 0 && c->n_sdt <= 32) {
        xmlChar *val = xmlTextReaderGetAttributeNs(r, (const xmlChar *)"val",
                                                   xmlTextReaderConstNamespaceUri(r));
        if (val && strstr((const char *)val, "Table of Contents"))
            c->sdt_toc[c->n_sdt - 1] = 1;
        xmlFree(val);
    } else if (eq(name, "sdtContent") && c->n_sdt > 0 && c->n_sdt <= 32 &&
               c->sdt_toc[c->n_sdt - 1]) {
        return 1;
    }
    return 0;
}

static void docx_end(docx_ctx *c, xmlTextReaderPtr r, const xmlChar *name)
{
    int quiet = docx_suppressed(c);
    if (!is_ns(xmlTextReaderConstNamespaceUri(r), ns_w))
        return;
    if (eq(name, "p")) {
        if (!quiet)
            ts_para_end(&c->sink);
    } else if (eq(name, "r")) {
        if (c->in_run)
            c->in_run--;
    } else if (eq(name, "t")) {
        c->in_t = 0;
    } else if (eq(name, "instrText")) {
        /* a TOC field: its result (the listing) is dropped */
        const char *s = ps_buf_cstr(&c->instr);
        while (*s == ' ')
            s++;
        if (strncmp(s, "TOC", 3) == 0 && c->n_fields > 0 && c->n_fields <= 32)
            c->field_toc[c->n_fields - 1] = 1;
        c->in_instr = 0;
    } else if (eq(name, "tr")) {
        if (!quiet)
            ts_row_end(&c->sink);
    } else if (eq(name, "tc")) {
        if (!quiet)
            ts_cell_end(&c->sink);
    } else if (eq(name, "tbl")) {
        ts_block(&c->sink);
    } else if (eq(name, "sdt")) {
        if (c->n_sdt > 0)
            c->n_sdt--;
    }
}

static int read_xml_entry(const char *data, size_t n, const char *entry, const char *kind,
                          ps_buf *xml, ps_error *err)
{
    int rc;
    ps_buf_init(xml, PS_EXTRACT_MAX_ENTRY + 1);
    rc = ps_zip_read_entry(data, n, entry, kind, xml, err);
    if (rc == PS_ENOTFOUND)
        rc = ps_error_set(err, PS_EFORMAT, "not %s %s file (no %s in the archive)",
                          article(kind), kind, entry);
    if (rc == PS_OK && has_doctype(xml->data ? xml->data : "", xml->len))
        rc = ps_error_set(err, PS_EFORMAT, "%s %s has a DOCTYPE, which the format never has",
                          kind, entry);
    if (rc == PS_OK && xml->len > (size_t)0x7fffffff)
        rc = ps_error_set(err, PS_ETOOBIG, "%s too large", kind);
    return rc;
}

static int finish_reader(int read_rc, int xml_err, ts_sink *sink, ps_buf *out, const char *kind,
                         ps_error *err)
{
    int rc;
    if (read_rc < 0 || xml_err) {
        /* keep what was read before the damage, if anything */
        size_t before = out->len;
        rc = ts_finish(sink, out);
        if (rc == PS_OK && out->len > before)
            return PS_OK;
        return ps_error_set(err, PS_EFORMAT, "%s document XML is not well-formed", kind);
    }
    rc = ts_finish(sink, out);
    if (rc)
        return ps_error_set(err, rc, "%s reading %s",
                            rc == PS_ENOMEM ? "out of memory" : "text too large", kind);
    return PS_OK;
}

int ps_docx_extract(const char *data, size_t n, ps_buf *out, ps_error *err)
{
    ps_buf xml;
    xmlTextReaderPtr r;
    docx_ctx c;
    int rc, ret, xml_err = 0;

    rc = read_xml_entry(data, n, "word/document.xml", "DOCX", &xml, err);
    if (rc) {
        ps_buf_fin(&xml);
        return rc;
    }
    r = open_reader(&xml, "word/document.xml", &xml_err);
    if (!r) {
        ps_buf_fin(&xml);
        return ps_error_set(err, PS_ENOMEM, "out of memory reading DOCX");
    }
    memset(&c, 0, sizeof c);
    ts_init(&c.sink, PS_EXTRACT_MAX_TEXT);
    ps_buf_init(&c.instr, 4096);
    ret = xmlTextReaderRead(r);
    while (ret == 1 && c.sink.err == PS_OK) {
        int type = xmlTextReaderNodeType(r);
        const xmlChar *name = xmlTextReaderConstLocalName(r);
        if (type == XML_READER_TYPE_ELEMENT) {
            int empty = xmlTextReaderIsEmptyElement(r);
            if (docx_start(&c, r, name)) {
                /* to the node after the subtree, which is then handled */
                ret = empty ? xmlTextReaderRead(r) : xmlTextReaderNext(r);
                continue;
            }
            if (empty)
                docx_end(&c, r, name);
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            docx_end(&c, r, name);
        } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                   type == XML_READER_TYPE_CDATA) {
            const xmlChar *v = xmlTextReaderConstValue(r);
            if (v && c.in_t && !docx_suppressed(&c))
                ts_raw(&c.sink, (const char *)v, strlen((const char *)v));
            else if (v && c.in_instr)
                ps_buf_adds(&c.instr, (const char *)v);
        }
        ret = xmlTextReaderRead(r);
    }
    rc = finish_reader(ret, xml_err, &c.sink, out, "DOCX", err);
    ts_fin(&c.sink);
    ps_buf_fin(&c.instr);
    xmlFreeTextReader(r);
    ps_buf_fin(&xml);
    return rc;
}

/* ---- ODT ---------------------------------------------------------------- */

#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_SVG "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"

typedef struct odt_ctx {
    ts_sink sink;
    int in_body;   /* inside office:body */
    int in_par;    /* inside text:p / text:h (they nest through frames) */
} odt_ctx;

/* Elements whose whole subtree is dropped. */
static int odt_dropped(const xmlChar *uri, const xmlChar *name)
{
    static const char *const text_drop[] = {
        "note", "tracked-changes", "table-of-content", "illustration-index", "table-index",
        "object-index", "user-index", "alphabetical-index", "bibliography",
        "sequence-decls", "variable-decls", "user-field-decls", NULL,
    };
    const char *const *p;
    if (eq(uri, NS_OFFICE))
        return eq(name, "annotation") || eq(name, "annotation-end");
    if (eq(uri, NS_TABLE))
        return eq(name, "covered-table-cell") || eq(name, "tracked-changes");
    if (eq(uri, NS_SVG))
        return eq(name, "title") || eq(name, "desc");
    if (!eq(uri, NS_TEXT))
        return 0;
    for (p = text_drop; *p; p++)
        if (eq(name, *p))
            return 1;
    return 0;
}

static void odt_start(odt_ctx *c, xmlTextReaderPtr r, const xmlChar *uri, const xmlChar *name,
                      int empty)
{
    if (eq(uri, NS_OFFICE) && eq(name, "body")) {
        c->in_body += !empty;
        return;
    }
    if (!c->in_body)
        return;
    if (eq(uri, NS_TEXT)) {
        if (eq(name, "p") || eq(name, "h")) {
            ts_para_begin(&c->sink);
            if (empty)
                ts_para_end(&c->sink);
            else
                c->in_par++;
        } else if (eq(name, "s")) {
            xmlChar *cnt = xmlTextReaderGetAttributeNs(r, (const xmlChar *)"c",
                                                       (const xmlChar *)NS_TEXT);
            long k = 1;
            if (cnt && ps_parse_long((const char *)cnt, 1, 1000, &k))
                k = 1;
            xmlFree(cnt);
            while (k-- > 0)
                ts_raw(&c->sink, " ", 1);
        } else if (eq(name, "tab")) {
            ts_tab(&c->sink);
        } else if (eq(name, "line-break")) {
            ts_break(&c->sink);
        }
    } else if (eq(uri, NS_TABLE)) {
        if (eq(name, "table")) {
            ts_block(&c->sink);
        } else if (eq(name, "table-row")) {
            ts_row_begin(&c->sink);
            if (empty)
                ts_row_end(&c->sink);
        } else if (eq(name, "table-cell")) {
            ts_cell_begin(&c->sink);
            if (empty)
                ts_cell_end(&c->sink);
        }
    }
}

static void odt_end(odt_ctx *c, const xmlChar *uri, const xmlChar *name)
{
    if (eq(uri, NS_OFFICE) && eq(name, "body")) {
        if (c->in_body)
            c->in_body--;
        return;
    }
    if (!c->in_body)
        return;
    if (eq(uri, NS_TEXT) && (eq(name, "p") || eq(name, "h"))) {
        ts_para_end(&c->sink);
        if (c->in_par)
            c->in_par--;
    } else if (eq(uri, NS_TABLE)) {
        if (eq(name, "table-row"))
            ts_row_end(&c->sink);
        else if (eq(name, "table-cell"))
            ts_cell_end(&c->sink);
        else if (eq(name, "table"))
            ts_block(&c->sink);
    }
}

int ps_odt_extract(const char *data, size_t n, ps_buf *out, ps_error *err)
{
    ps_buf xml;
    xmlTextReaderPtr r;
    odt_ctx c;
    int rc, ret, xml_err = 0;

    rc = read_xml_entry(data, n, "content.xml", "ODT", &xml, err);
    if (rc) {
        ps_buf_fin(&xml);
        return rc;
    }
    r = open_reader(&xml, "content.xml", &xml_err);
    if (!r) {
        ps_buf_fin(&xml);
        return ps_error_set(err, PS_ENOMEM, "out of memory reading ODT");
    }
    memset(&c, 0, sizeof c);
    ts_init(&c.sink, PS_EXTRACT_MAX_TEXT);
    ret = xmlTextReaderRead(r);
    while (ret == 1 && c.sink.err == PS_OK) {
        int type = xmlTextReaderNodeType(r);
        const xmlChar *name = xmlTextReaderConstLocalName(r);
        const xmlChar *uri = xmlTextReaderConstNamespaceUri(r);
        if (type == XML_READER_TYPE_ELEMENT) {
            int empty = xmlTextReaderIsEmptyElement(r);
            if (c.in_body && odt_dropped(uri, name)) {
                /* to the node after the subtree, which is then handled */
                ret = empty ? xmlTextReaderRead(r) : xmlTextReaderNext(r);
                continue;
            }
            odt_start(&c, r, uri, name, empty);
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            odt_end(&c, uri, name);
        } else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) &&
                   c.in_par) {
            const xmlChar *v = xmlTextReaderConstValue(r);
            if (v)
                ts_text(&c.sink, (const char *)v, strlen((const char *)v));
        }
        ret = xmlTextReaderRead(r);
    }
    rc = finish_reader(ret, xml_err, &c.sink, out, "ODT", err);
    ts_fin(&c.sink);
    xmlFreeTextReader(r);
    ps_buf_fin(&xml);
    return rc;
}
