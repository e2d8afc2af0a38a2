/*
 * html.c: the visible text of an HTML page, through libxml2's HTML parser.
 *
 * The charset is decided here, not by libxml2: a BOM, else the page's
 * <meta charset> (or http-equiv Content-Type, or an XML declaration),
 * else detection. Vietnamese pages of the 1990s and 2000s declare
 * ISO-8859-1 or nothing and set their text in VNI or TCVN3 fonts, so a
 * declared Latin-1 or UTF-8 is only a default that detection may
 * overrule (see ps_encoding_detect_from); Windows-1258 and any other
 * charset iconv knows are taken at their word. The page is then decoded to
 * UTF-8 and parsed as such.
 *
 * What is kept: text in document order; block elements start lines; table
 * rows become lines (cells by tabs, see the text sink); <pre> keeps its
 * spacing. What is dropped: script, style, noscript, template, nav,
 * footer, aside, iframe, object, svg, form controls, elements hidden by
 * the hidden attribute, aria-hidden="true" or an inline display:none /
 * visibility:hidden; <header> outside <article>/<main> (site banners; an
 * article's own header is kept); a <form> with little text (a search
 * box), while a form wrapping the page (ASP.NET pages put the whole body
 * in one) is read. The <title> is used only when the body has no text.
 */
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

#include "doc/extract_int.h"

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init_once(void)
{
    xmlInitParser();
}

void ps_xml_init(void)
{
    pthread_once(&xml_once, xml_init_once);
}

/* ---- charset ------------------------------------------------------------ */

static const char *find_ci(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle), i;
    for (i = 0; i + k <= n; i++)
        if (strncasecmp(s + i, needle, k) == 0)
            return s + i;
    return NULL;
}

/* Copies the value after "charset" (or "encoding") at p into name. */
static int charset_value(const char *p, const char *end, char *name, size_t cap)
{
    size_t k = 0;
    while (p < end && *p != '=' && *p != '>')
        p++;
    if (p >= end || *p != '=')
        return 0;
    p++;
    while (p < end && (*p == ' ' || *p == '"' || *p == '\''))
        p++;
    while (p < end && k + 1 < cap &&
           ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == ':'))
        name[k++] = *p++;
    name[k] = '\0';
    return k > 0;
}

/* The charset the page declares in its first 64 KB, or "" when none. */
static void declared_charset(const char *s, size_t n, char *name, size_t cap)
{
    size_t lim = n < 65536 ? n : 65536;
    const char *p = s, *end = s + lim;
    name[0] = '\0';
    if (lim >= 5 && strncmp(s, "<?xml", 5) == 0) {
        const char *close = memchr(s, '>', lim);
        const char *e = close ? find_ci(s, (size_t)(close - s), "encoding") : NULL;
        if (e && charset_value(e, close, name, cap))
            return;
    }
    while (p < end && (p = find_ci(p, (size_t)(end - p), "<meta")) != NULL) {
        const char *close = memchr(p, '>', (size_t)(end - p));
        const char *c;
        if (!close)
            break;
        c = find_ci(p, (size_t)(close - p), "charset");
        if (c && charset_value(c, close, name, cap))
            return;
        p = close;
    }
}

/* The bytes a reader sees, roughly (tags, comments, scripts and styles
 * cut), for judging the encoding by the text and not by the markup. */
static void visible_bytes(const char *s, size_t n, ps_buf *out)
{
    size_t i = 0;
    while (i < n && out->len < ((size_t)512 << 10)) {
        if (s[i] != '<') {
            size_t j = i;
            while (j < n && s[j] != '<')
                j++;
            ps_buf_add(out, s + i, j - i);
            ps_buf_addc(out, ' ');
            i = j;
            continue;
        }
        if (n - i >= 4 && strncmp(s + i, "<!--", 4) == 0) {
            const char *e = find_ci(s + i + 4, n - i - 4, "-->");
            i = e ? (size_t)(e - s) + 3 : n;
        } else if (n - i >= 7 && (strncasecmp(s + i, "<script", 7) == 0 ||
                                  strncasecmp(s + i, "<style", 6) == 0)) {
            const char *close = strncasecmp(s + i, "<script", 7) == 0 ? "</script" : "</style";
            const char *e = find_ci(s + i + 6, n - i - 6, close);
            const char *gt = e ? memchr(e, '>', (size_t)(s + n - e)) : NULL;
            i = gt ? (size_t)(gt - s) + 1 : n;
        } else {
            const char *e = memchr(s + i, '>', n - i);
            i = e ? (size_t)(e - s) + 1 : n;
        }
    }
}

/* Decodes the page into out (UTF-8); *enc gets the encoding read. */
static int decode_page(const char *s, size_t n, ps_buf *out, int *enc, ps_error *err)
{
    const unsigned char *u = (const unsigned char *)s;
    char name[48];
    int e;
    if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        *enc = PS_ENC_UTF16;
        return ps_decode(s, n, PS_ENC_UTF16, out, err);
    }
    declared_charset(s, n, name, sizeof name);
    e = name[0] ? ps_encoding_parse(name) : PS_ENC_UTF8;
    if (e < 0 && name[0]) {
        /* a charset we have no table for: iconv's, if it knows it */
        ps_buf tmp;
        int rc;
        ps_buf_init(&tmp, out->max);
        rc = ps_decode_iconv(s, n, name, &tmp, err);
        if (rc == PS_OK) {
            *enc = PS_ENC_UTF8; /* reported as what it became */
            ps_buf_add(out, tmp.data ? tmp.data : "", tmp.len);
            ps_buf_fin(&tmp);
            return out->err ? ps_error_set(err, out->err, "page too large") : PS_OK;
        }
        ps_buf_fin(&tmp);
        if (rc != PS_ENOTFOUND)
            return rc;
        e = PS_ENC_UTF8; /* unknown name: detect */
    }
    if (e == PS_ENC_UTF8 || e == PS_ENC_CP1252 || e == PS_ENC_UTF16 || e == PS_ENC_AUTO) {
        ps_buf vis;
        ps_buf_init(&vis, 0);
        visible_bytes(s, n, &vis);
        e = ps_encoding_detect_from(vis.data ? vis.data : "", vis.len,
                                    e == PS_ENC_CP1252 ? PS_ENC_CP1252 : PS_ENC_UTF8, NULL);
        ps_buf_fin(&vis);
        if (e == PS_ENC_UTF16) /* a BOM inside the visible text cannot be: UTF-8 */
            e = PS_ENC_UTF8;
    }
    *enc = e;
    return ps_decode(s, n, e, out, err);
}

/* ---- the tree ----------------------------------------------------------- */

typedef struct html_ctx {
    ts_sink sink;
    int pre;          /* inside <pre> */
    int article;      /* inside <article> or <main> */
    const xmlNode *title;
} html_ctx;

static int name_in(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(name, *list) == 0)
            return 1;
    return 0;
}

static const char *const dropped[] = {
    "script", "style", "noscript", "template", "nav", "footer", "aside", "iframe", "object",
    "embed", "svg", "math", "canvas", "select", "button", "textarea", "input", "datalist",
    "dialog", "map", "audio", "video", NULL,
};

static const char *const blocks[] = {
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "section", "article", "main", "address", "figure", "figcaption", "hr",
    "center", "table", "thead", "tbody", "tfoot", "caption", "header", "form", "fieldset",
    "legend", "details", "summary", "body", "html", "pre", "title", NULL,
};

static int hidden(const xmlNode *n)
{
    const xmlAttr *a;
    for (a = n->properties; a; a = a->next) {
        const char *an = (const char *)a->name;
        xmlChar *v;
        int hide = 0;
        if (strcasecmp(an, "hidden") == 0)
            return 1;
        if (strcasecmp(an, "aria-hidden") != 0 && strcasecmp(an, "style") != 0)
            continue;
        v = xmlNodeGetContent((const xmlNode *)a);
        if (v) {
            /* style: compare without spaces, any case */
            char flat[256];
            size_t k = 0;
            const xmlChar *p;
            for (p = v; *p && k + 1 < sizeof flat; p++)
                if (*p != ' ' && *p != '\t')
                    flat[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
            flat[k] = '\0';
            if (strcasecmp(an, "aria-hidden") == 0)
                hide = strcmp(flat, "true") == 0;
            else
                hide = strstr(flat, "display:none") || strstr(flat, "visibility:hidden");
            xmlFree(v);
        }
        if (hide)
            return 1;
    }
    return 0;
}

/* Letters and digits in a subtree's text, up to `enough`. */
static size_t text_weight(const xmlNode *n, size_t enough, int depth)
{
    size_t w = 0;
    const xmlNode *c;
    for (c = n->children; c && w < enough; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content) {
            const xmlChar *p;
            for (p = c->content; *p && w < enough; p++)
                if (*p > ' ')
                    w++;
        } else if (c->type == XML_ELEMENT_NODE && depth < 64 &&
                   !name_in((const char *)c->name, dropped)) {
            w += text_weight(c, enough - w, depth + 1);
        }
    }
    return w;
}

static void walk(html_ctx *c, const xmlNode *parent, int depth)
{
    const xmlNode *n;
    if (depth > 256) /* libxml2 caps depth too; be safe on the C stack */
        return;
    for (n = parent->children; n; n = n->next) {
        const char *name;
        int block, art = 0;
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (!n->content)
                continue;
            if (c->pre)
                ts_raw(&c->sink, (const char *)n->content, strlen((const char *)n->content));
            else
                ts_text(&c->sink, (const char *)n->content, strlen((const char *)n->content));
            continue;
        }
        if (n->type != XML_ELEMENT_NODE || !n->name)
            continue;
        name = (const char *)n->name;
        if (name_in(name, dropped) || hidden(n))
            continue;
        if (strcmp(name, "title") == 0) {
            if (!c->title)
                c->title = n;
            continue;
        }
        if (strcmp(name, "header") == 0 && !c->article)
            continue;
        if (strcmp(name, "form") == 0 && text_weight(n, 500, 0) < 500)
            continue;
        if (strcmp(name, "br") == 0) {
            ts_break(&c->sink);
            continue;
        }
        if (strcmp(name, "tr") == 0) {
            ts_row_begin(&c->sink);
            walk(c, n, depth + 1);
            ts_row_end(&c->sink);
            continue;
        }
        if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
            ts_cell_begin(&c->sink);
            walk(c, n, depth + 1);
            ts_cell_end(&c->sink);
            continue;
        }
        block = name_in(name, blocks);
        if (block)
            ts_block(&c->sink);
        if (strcmp(name, "pre") == 0)
            c->pre++;
        if (strcmp(name, "article") == 0 || strcmp(name, "main") == 0)
            art = 1;
        c->article += art;
        walk(c, n, depth + 1);
        c->article -= art;
        if (strcmp(name, "pre") == 0)
            c->pre--;
        if (block)
            ts_block(&c->sink);
    }
}

int ps_html_extract(const char *data, size_t n, ps_buf *out, int *enc, ps_error *err)
{
    ps_buf page;
    htmlDocPtr doc;
    html_ctx c;
    size_t start;
    int rc;

    if (n > PS_EXTRACT_MAX_MARKUP)
        return ps_error_set(err, PS_ETOOBIG, "HTML page of %zu bytes is over the %zu MB limit", n,
                            PS_EXTRACT_MAX_MARKUP >> 20);
    ps_xml_init();
    ps_buf_init(&page, PS_EXTRACT_MAX_MARKUP * 2);
    rc = decode_page(data, n, &page, enc, err);
    if (rc) {
        ps_buf_fin(&page);
        return rc;
    }
    doc = htmlReadMemory(page.data ? page.data : "", (int)page.len, NULL, "UTF-8",
                         HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                             HTML_PARSE_RECOVER);
    ps_buf_fin(&page);
    if (!doc)
        return ps_error_set(err, PS_EFORMAT, "not a readable HTML page");
    memset(&c, 0, sizeof c);
    ts_init(&c.sink, PS_EXTRACT_MAX_TEXT);
    walk(&c, (const xmlNode *)doc, 0);
    start = out->len;
    rc = ts_finish(&c.sink, out);
    ts_fin(&c.sink);
    if (rc == PS_OK && out->len == start && c.title) {
        /* no body text: the title is all there is */
        const xmlNode *title = c.title;
        memset(&c, 0, sizeof c);
        ts_init(&c.sink, PS_EXTRACT_MAX_TEXT);
        walk(&c, title, 0);
        rc = ts_finish(&c.sink, out);
        ts_fin(&c.sink);
    }
    xmlFreeDoc(doc);
    if (rc)
        return ps_error_set(err, rc, "%s reading the HTML page",
                            rc == PS_ENOMEM ? "out of memory" : "text too large");
    return PS_OK;
}
