/*
 * rtf.c: a small RTF reader: the text a reader sees, with paragraphs,
 * line breaks, tabs and table rows.
 *
 * Characters come three ways: \uN (Unicode, what Word writes for
 * Vietnamese, followed by \ucN fallback characters that are skipped),
 * \'hh (a byte in the code page of the current font: its \fcharset, 163
 * meaning Windows-1258, else the document's \ansicpg), and plain text
 * (ASCII, or UTF-8 from writers that do not escape it).
 * Fonts named for the legacy encodings ("VNI-Times", ".VnTime") mean their
 * bytes are VNI or TCVN3, whatever the charset says: documents typed in
 * those fonts carry their text that way, and a VNI letter may be split
 * between a plain base letter and a \'hh accent byte, so bytes are
 * gathered in runs and decoded a run at a time.
 *
 * Dropped: the font, colour, style, list and revision tables, document
 * info, pictures, objects, headers, footers, footnotes, annotations,
 * field instructions (the field result stays), bookmarks, every
 * destination marked \* that this reader does not know, and \bin data.
 * Limits: PS_EXTRACT_MAX_MARKUP of input, PS_EXTRACT_MAX_TEXT of text,
 * groups nested at most RTF_MAX_DEPTH deep (deeper groups are read with
 * the state of the deepest one).
 */
#include <string.h>

#include "doc/extract_int.h"

#define RTF_MAX_DEPTH 256
#define RTF_MAX_FONTS 512

typedef struct rtf_state {
    int skip;     /* inside a destination whose text is dropped */
    int uc;       /* fallback characters after \uN */
    int font;     /* current font number */
    int fonttbl;  /* inside the font table */
} rtf_state;

typedef struct rtf_font {
    int num;
    int enc;      /* PS_ENC_CP1252, CP1258, TCVN3 or VNI */
} rtf_font;

typedef struct rtf_ctx {
    const char *s;
    size_t n, i;
    rtf_state st[RTF_MAX_DEPTH];
    int depth, extra_depth;
    int doc_enc;            /* from \ansicpg */
    int deff;               /* default font */
    rtf_font fonts[RTF_MAX_FONTS];
    int n_fonts;
    int def_font;           /* font being defined in the table, -1 none */
    ps_buf fontname;        /* its name so far */
    int def_charset_enc;    /* its charset's encoding, -1 none */
    ps_buf pending;         /* bytes awaiting decoding */
    int pending_enc;
    int skip_chars;         /* \uN fallback characters still to skip */
    int in_row, in_cell;
    int used_legacy;        /* encoding of legacy-font text met, 0 none */
    ts_sink sink;
    ps_buf dec;
} rtf_ctx;

static rtf_state *cur(rtf_ctx *c)
{
    return &c->st[c->depth];
}

static int font_enc(rtf_ctx *c, int num)
{
    int k;
    for (k = 0; k < c->n_fonts; k++)
        if (c->fonts[k].num == num)
            return c->fonts[k].enc;
    return c->doc_enc;
}

/* Whether s is valid UTF-8 with some character beyond ASCII. RTF should
 * escape every byte past 0x7F, but some writers put UTF-8 in as it is;
 * text in a Windows code page is almost never valid UTF-8 by chance. */
static int utf8_beyond_ascii(const unsigned char *s, size_t n)
{
    size_t i = 0;
    int beyond = 0;
    while (i < n) {
        int l;
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        l = ps_utf8_seqlen(s + i, n - i);
        if (!l)
            return 0;
        beyond = 1;
        i += (size_t)l;
    }
    return beyond;
}

static void flush_pending(rtf_ctx *c)
{
    if (!c->pending.len)
        return;
    ps_buf_reset(&c->dec);
    if ((c->pending_enc == PS_ENC_CP1252 || c->pending_enc == PS_ENC_CP1258) &&
        utf8_beyond_ascii((const unsigned char *)c->pending.data, c->pending.len))
        ps_buf_add(&c->dec, c->pending.data, c->pending.len); /* raw UTF-8 (see above) */
    else
        ps_decode_bytes((const unsigned char *)c->pending.data, c->pending.len,
                        c->pending_enc, &c->dec);
    {
        /* the encoding reported is that of the text's non-ASCII bytes:
         * a legacy font's first, else Windows-1258's */
        size_t k;
        int high = 0;
        for (k = 0; k < c->pending.len && !high; k++)
            high = (unsigned char)c->pending.data[k] >= 0x80;
        if (high && (c->pending_enc == PS_ENC_VNI || c->pending_enc == PS_ENC_TCVN3))
            c->used_legacy = c->pending_enc;
        else if (high && c->pending_enc == PS_ENC_CP1258 && !c->used_legacy)
            c->used_legacy = PS_ENC_CP1258;
    }
    ts_raw(&c->sink, c->dec.data ? c->dec.data : "", c->dec.len);
    if (c->dec.err && !c->sink.err)
        c->sink.err = c->dec.err;
    ps_buf_reset(&c->pending);
}

/* A byte of text in the current font's encoding. */
static void add_byte(rtf_ctx *c, unsigned char b)
{
    int enc;
    if (c->skip_chars > 0) {
        c->skip_chars--;
        return;
    }
    if (cur(c)->skip)
        return;
    if (cur(c)->fonttbl) {
        if (b == ';') {
            /* end of a font entry: its name decides legacy encodings */
            const char *name = ps_buf_cstr(&c->fontname);
            int e = c->def_charset_enc >= 0 ? c->def_charset_enc : -1;
            while (*name == ' ')
                name++;
            if (strncmp(name, "VNI", 3) == 0)
                e = PS_ENC_VNI;
            else if (strncmp(name, ".Vn", 3) == 0 || strncmp(name, ".VN", 3) == 0)
                e = PS_ENC_TCVN3;
            if (c->def_font >= 0 && e >= 0 && c->n_fonts < RTF_MAX_FONTS) {
                c->fonts[c->n_fonts].num = c->def_font;
                c->fonts[c->n_fonts].enc = e;
                c->n_fonts++;
            }
            ps_buf_reset(&c->fontname);
            c->def_font = -1;
            c->def_charset_enc = -1;
        } else {
            ps_buf_addc(&c->fontname, (char)b);
        }
        return;
    }
    enc = font_enc(c, cur(c)->font);
    if (c->pending.len && enc != c->pending_enc)
        flush_pending(c);
    c->pending_enc = enc;
    ps_buf_addc(&c->pending, (char)b);
}

static void add_unicode(rtf_ctx *c, long v)
{
    char enc[4];
    if (cur(c)->skip || cur(c)->fonttbl)
        return;
    if (v < 0)
        v += 65536;
    if (v <= 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        v = 0xFFFD;
    flush_pending(c);
    ts_raw(&c->sink, enc, (size_t)ps_utf8_encode((uint32_t)v, enc));
}

static int charset_enc(long cs)
{
    switch (cs) {
    case 163: return PS_ENC_CP1258;
    case 0: return PS_ENC_CP1252;
    default: return -1; /* symbol, other scripts: the document's code page */
    }
}

/* Destinations whose text is not the document's. */
static int dropped_destination(const char *w)
{
    static const char *const names[] = {
        "colortbl", "stylesheet", "info", "pict", "object", "header", "headerl", "headerr",
        "headerf", "footer", "footerl", "footerr", "footerf", "footnote", "annotation",
        "fldinst", "xe", "tc", "bkmkstart", "bkmkend", "listtable", "listoverridetable",
        "revtbl", "rsidtbl", "generator", "themedata", "colorschememapping", "datastore",
        "latentstyles", "pgdsctbl", "filetbl", "private", "atnid", "atnauthor", "template",
        "nonshppict", "shpinst", "objdata", "xmlnstbl", "mmathPr", "wgrffmtfilter", NULL,
    };
    const char *const *p;
    for (p = names; *p; p++)
        if (strcmp(w, *p) == 0)
            return 1;
    return 0;
}

static void cell_open(rtf_ctx *c)
{
    if (!c->in_row) {
        ts_row_begin(&c->sink);
        c->in_row = 1;
    }
    if (!c->in_cell) {
        ts_cell_begin(&c->sink);
        c->in_cell = 1;
    }
}

static void control_word(rtf_ctx *c, const char *w, int has_param, long param, int ignorable)
{
    rtf_state *st = cur(c);
    if (strcmp(w, "u") == 0 && has_param) {
        add_unicode(c, param);
        c->skip_chars = st->uc;
        return;
    }
    if (c->skip_chars > 0) {
        /* a control word stands for one fallback character */
        c->skip_chars--;
        return;
    }
    if (strcmp(w, "uc") == 0 && has_param) {
        st->uc = param >= 0 && param < 16 ? (int)param : 1;
    } else if (strcmp(w, "ansicpg") == 0 && has_param) {
        c->doc_enc = param == 1258 ? PS_ENC_CP1258 : PS_ENC_CP1252;
    } else if (strcmp(w, "deff") == 0 && has_param) {
        c->deff = (int)param;
        st->font = (int)param;
    } else if (strcmp(w, "fonttbl") == 0) {
        flush_pending(c);
        st->fonttbl = 1;
        c->def_font = -1;
    } else if (strcmp(w, "f") == 0 && has_param) {
        if (st->fonttbl) {
            c->def_font = (int)param;
            c->def_charset_enc = -1;
            ps_buf_reset(&c->fontname);
        } else {
            st->font = (int)param;
        }
    } else if (strcmp(w, "fcharset") == 0 && has_param && st->fonttbl) {
        c->def_charset_enc = charset_enc(param);
    } else if (strcmp(w, "plain") == 0) {
        st->font = c->deff;
    } else if (ignorable || dropped_destination(w)) {
        st->skip = 1;
    } else if (st->skip || st->fonttbl) {
        return;
    } else if (strcmp(w, "par") == 0 || strcmp(w, "sect") == 0) {
        flush_pending(c);
        ts_para_end(&c->sink);
        ts_para_begin(&c->sink);
    } else if (strcmp(w, "line") == 0 || strcmp(w, "page") == 0) {
        flush_pending(c);
        ts_break(&c->sink);
    } else if (strcmp(w, "tab") == 0) {
        flush_pending(c);
        ts_tab(&c->sink);
    } else if (strcmp(w, "intbl") == 0 || strcmp(w, "trowd") == 0) {
        flush_pending(c);
        cell_open(c);
    } else if (strcmp(w, "cell") == 0) {
        /* the next cell's text follows at once: open it now (the one
         * left open after the last cell is empty and goes at \row) */
        flush_pending(c);
        cell_open(c);
        ts_cell_end(&c->sink);
        ts_cell_begin(&c->sink);
    } else if (strcmp(w, "row") == 0) {
        flush_pending(c);
        if (c->in_cell) {
            ts_cell_end(&c->sink);
            c->in_cell = 0;
        }
        if (c->in_row) {
            ts_row_end(&c->sink);
            c->in_row = 0;
        }
    } else if (strcmp(w, "nestcell") == 0) {
        flush_pending(c);
        ts_tab(&c->sink);
    } else if (strcmp(w, "nestrow") == 0) {
        flush_pending(c);
        ts_break(&c->sink);
    } else {
        /* special characters written as words */
        static const struct {
            const char *w;
            uint32_t cp;
        } chars[] = {
            {"emdash", 0x2014}, {"endash", 0x2013}, {"lquote", 0x2018}, {"rquote", 0x2019},
            {"ldblquote", 0x201C}, {"rdblquote", 0x201D}, {"bullet", 0x2022},
            {"emspace", 0x2003}, {"enspace", 0x2002}, {"qmspace", 0x2005},
        };
        size_t k;
        for (k = 0; k < sizeof chars / sizeof chars[0]; k++)
            if (strcmp(w, chars[k].w) == 0) {
                char enc[4];
                flush_pending(c);
                ts_raw(&c->sink, enc, (size_t)ps_utf8_encode(chars[k].cp, enc));
                return;
            }
    }
}

/* Reads the control sequence after a backslash at c->i. */
static void control(rtf_ctx *c, int *ignorable_next)
{
    const char *s = c->s;
    size_t n = c->n;
    char word[33];
    size_t k = 0;
    int has_param = 0, neg = 0, ign = *ignorable_next;
    long param = 0;

    *ignorable_next = 0;
    if (c->i >= n)
        return;
    if (!((s[c->i] >= 'a' && s[c->i] <= 'z') || (s[c->i] >= 'A' && s[c->i] <= 'Z'))) {
        char sym = s[c->i++];
        switch (sym) {
        case '\'':
            if (c->i + 2 <= n) {
                int hi = ps_hexdigit((unsigned char)s[c->i]);
                int lo = ps_hexdigit((unsigned char)s[c->i + 1]);
                if (hi >= 0 && lo >= 0) {
                    c->i += 2;
                    add_byte(c, (unsigned char)(hi << 4 | lo));
                }
            }
            return;
        case '*':
            *ignorable_next = 1;
            return;
        case '\\': case '{': case '}':
            add_byte(c, (unsigned char)sym);
            return;
        case '~':
            add_unicode(c, 0xA0);
            return;
        case '_':
            add_byte(c, '-');
            return;
        case '\n': case '\r': /* "\<newline>" is \par */
            control_word(c, "par", 0, 0, 0);
            return;
        case '\t':
            control_word(c, "tab", 0, 0, 0);
            return;
        default: /* \- optional hyphen, \: index, \| formula: nothing */
            if (c->skip_chars > 0)
                c->skip_chars--;
            return;
        }
    }
    while (c->i < n && ((s[c->i] >= 'a' && s[c->i] <= 'z') || (s[c->i] >= 'A' && s[c->i] <= 'Z'))) {
        if (k + 1 < sizeof word)
            word[k++] = s[c->i];
        c->i++;
    }
    word[k] = '\0';
    if (c->i < n && s[c->i] == '-') {
        neg = 1;
        c->i++;
    }
    while (c->i < n && s[c->i] >= '0' && s[c->i] <= '9') {
        if (param < 100000000)
            param = param * 10 + (s[c->i] - '0');
        has_param = 1;
        c->i++;
    }
    if (neg)
        param = -param;
    if (c->i < n && s[c->i] == ' ')
        c->i++; /* the delimiter belongs to the control word */
    if (strcmp(word, "bin") == 0 && has_param) {
        /* binary data: skipped, length and all */
        size_t skip = param > 0 ? (size_t)param : 0;
        c->i = skip > n - c->i ? n : c->i + skip;
        return;
    }
    control_word(c, word, has_param, param, ign);
}

int ps_rtf_extract(const char *data, size_t n, ps_buf *out, int *enc, ps_error *err)
{
    rtf_ctx *c;
    int ignorable = 0, rc;

    if (n > PS_EXTRACT_MAX_MARKUP)
        return ps_error_set(err, PS_ETOOBIG, "RTF file of %zu bytes is over the %zu MB limit", n,
                            PS_EXTRACT_MAX_MARKUP >> 20);
    if (n < 5 || strncmp(data, "{\\rtf", 5) != 0)
        return ps_error_set(err, PS_EFORMAT, "not an RTF file (no {\\rtf header)");
    c = ps_calloc(1, sizeof *c);
    if (!c)
        return ps_error_set(err, PS_ENOMEM, "out of memory reading RTF");
    c->s = data;
    c->n = n;
    c->doc_enc = PS_ENC_CP1252;
    c->def_font = -1;
    c->def_charset_enc = -1;
    c->st[0].uc = 1;
    ps_buf_init(&c->fontname, 1024);
    ps_buf_init(&c->pending, PS_EXTRACT_MAX_TEXT);
    ps_buf_init(&c->dec, PS_EXTRACT_MAX_TEXT);
    ts_init(&c->sink, PS_EXTRACT_MAX_TEXT);

    while (c->i < n && c->sink.err == PS_OK) {
        char ch = data[c->i++];
        if (ch == '{') {
            flush_pending(c);
            c->skip_chars = 0;
            if (c->depth + 1 < RTF_MAX_DEPTH) {
                c->st[c->depth + 1] = c->st[c->depth];
                c->depth++;
            } else {
                c->extra_depth++;
            }
            ignorable = 0;
        } else if (ch == '}') {
            flush_pending(c);
            c->skip_chars = 0;
            if (c->extra_depth)
                c->extra_depth--;
            else if (c->depth > 0)
                c->depth--;
            ignorable = 0;
        } else if (ch == '\\') {
            control(c, &ignorable);
        } else if (ch == '\r' || ch == '\n') {
            continue; /* line ends in RTF source mean nothing */
        } else {
            ignorable = 0;
            add_byte(c, (unsigned char)ch);
        }
    }
    flush_pending(c);
    if (c->in_cell)
        ts_cell_end(&c->sink);
    if (c->in_row)
        ts_row_end(&c->sink);
    rc = ts_finish(&c->sink, out);
    if (enc)
        *enc = c->used_legacy ? c->used_legacy : PS_ENC_UTF8; /* \uN: Unicode */
    ts_fin(&c->sink);
    ps_buf_fin(&c->fontname);
    ps_buf_fin(&c->pending);
    ps_buf_fin(&c->dec);
    ps_free(c);
    if (rc)
        return ps_error_set(err, rc, "%s reading RTF",
                            rc == PS_ENOMEM ? "out of memory" : "text too large");
    return PS_OK;
}
