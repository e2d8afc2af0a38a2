/*
 * textsink.c: the text sink the structured formats (HTML, DOCX, ODT, RTF)
 * write into; see extract_int.h for the rules of lines, whitespace and
 * tables.
 *
 * Line breaks are kept pending and written only before the next text, so
 * that closing many blocks at once gives one line break, not a run of
 * blank lines, and no format ever leaves trailing blank lines.
 */
#include <string.h>

#include "doc/extract_int.h"

static ts_frame *top(ts_sink *s)
{
    return &s->f[s->depth];
}

static void frame_init(ts_frame *f, size_t max)
{
    memset(f, 0, sizeof *f);
    ps_buf_init(&f->text, max);
    ps_buf_init(&f->cells, max);
}

static void frame_fin(ts_frame *f)
{
    ps_buf_fin(&f->text);
    ps_buf_fin(&f->cells);
}

static void note_err(ts_sink *s, int rc)
{
    if (rc && !s->err)
        s->err = rc;
}

void ts_init(ts_sink *s, size_t max)
{
    memset(s, 0, sizeof *s);
    s->max = max;
    frame_init(&s->f[0], max);
}

void ts_fin(ts_sink *s)
{
    int i;
    for (i = 0; i <= s->depth; i++)
        frame_fin(&s->f[i]);
    s->depth = 0;
}

/* Writes what is pending (line breaks, a space) before new text. */
static void flush_pending(ts_sink *s, ts_frame *f)
{
    if (f->nl) {
        /* no line ends in spaces */
        while (f->text.len && f->text.data[f->text.len - 1] == ' ')
            f->text.data[--f->text.len] = '\0';
        if (f->text.len)
            while (f->nl-- > 0)
                ps_buf_addc(&f->text, '\n');
        f->nl = 0;
        f->space = 0;
    } else if (f->space) {
        if (f->text.len && f->text.data[f->text.len - 1] != '\n')
            ps_buf_addc(&f->text, ' ');
        f->space = 0;
    }
    f->para_empty = 0;
    note_err(s, f->text.err);
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

void ts_text(ts_sink *s, const char *p, size_t n)
{
    ts_frame *f = top(s);
    size_t i = 0;
    while (i < n) {
        size_t j;
        if (is_space((unsigned char)p[i]) || p[i] == '\0') {
            f->space = 1;
            i++;
            continue;
        }
        /* U+00A0 no-break space reads as a space */
        if ((unsigned char)p[i] == 0xC2 && i + 1 < n && (unsigned char)p[i + 1] == 0xA0) {
            f->space = 1;
            i += 2;
            continue;
        }
        j = i;
        while (j < n && !is_space((unsigned char)p[j]) && p[j] != '\0' &&
               !((unsigned char)p[j] == 0xC2 && j + 1 < n && (unsigned char)p[j + 1] == 0xA0))
            j++;
        flush_pending(s, f);
        ps_buf_add(&f->text, p + i, j - i);
        i = j;
    }
    note_err(s, f->text.err);
}

void ts_raw(ts_sink *s, const char *p, size_t n)
{
    ts_frame *f = top(s);
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        if (p[i] == '\n') {
            ts_break(s);
            i++;
            continue;
        }
        while (j < n && p[j] != '\n' && p[j] != '\0')
            j++;
        if (j > i) {
            flush_pending(s, f);
            ps_buf_add(&f->text, p + i, j - i);
        }
        i = j < n && p[j] == '\0' ? j + 1 : j;
    }
    note_err(s, f->text.err);
}

void ts_tab(ts_sink *s)
{
    ts_frame *f = top(s);
    flush_pending(s, f);
    ps_buf_addc(&f->text, '\t');
    note_err(s, f->text.err);
}

void ts_break(ts_sink *s)
{
    ts_frame *f = top(s);
    if (f->text.len == 0 && f->nl == 0) {
        /* a break before any text: nothing to end */
        f->space = 0;
        return;
    }
    if (f->nl < 3)
        f->nl++;
    f->space = 0;
}

void ts_block(ts_sink *s)
{
    ts_frame *f = top(s);
    if (f->nl < 1)
        f->nl = 1;
    f->space = 0;
}

void ts_para_begin(ts_sink *s)
{
    ts_block(s);
    top(s)->para_empty = 1;
}

void ts_para_end(ts_sink *s)
{
    ts_frame *f = top(s);
    if (f->para_empty && f->text.len) {
        /* an empty paragraph is a blank line */
        if (f->nl < 2)
            f->nl++;
    }
    f->para_empty = 0;
    ts_block(s);
}

/* Writes the row built in f (its cells) into f's text. */
static void flush_row(ts_sink *s, ts_frame *f)
{
    size_t off = 0, k;
    int first = 1;
    if (!f->n_cells)
        return;
    if (f->cells.err || !f->cells.data) {
        /* the row could not be kept: the error is the sink's */
        note_err(s, f->cells.err ? f->cells.err : PS_ENOMEM);
        ps_buf_reset(&f->cells);
        f->n_cells = 0;
        return;
    }
    if (f->nl < 1)
        f->nl = 1;
    for (k = 0; k < f->n_cells; k++) {
        const char *cell = f->cells.data + off;
        size_t len = strlen(cell);
        off += len + 1;
        if (f->multiline) {
            if (!len)
                continue;
            if (!first && f->nl < 1)
                f->nl = 1;
            flush_pending(s, f);
            ps_buf_add(&f->text, cell, len);
        } else {
            if (!first) {
                f->nl = 0;
                ps_buf_addc(&f->text, '\t');
            } else {
                flush_pending(s, f);
            }
            ps_buf_add(&f->text, cell, len);
        }
        first = 0;
    }
    /* trailing empty cells leave trailing tabs: drop them */
    while (f->text.len && f->text.data[f->text.len - 1] == '\t')
        f->text.data[--f->text.len] = '\0';
    ps_buf_reset(&f->cells);
    f->n_cells = 0;
    f->multiline = 0;
    f->nl = 1;
    f->space = 0;
    note_err(s, f->text.err);
}

void ts_row_begin(ts_sink *s)
{
    ts_frame *f = top(s);
    if (s->deep_cells)
        return;
    flush_row(s, f);
    ts_block(s);
}

void ts_row_end(ts_sink *s)
{
    if (s->deep_cells) {
        ts_block(s);
        return;
    }
    flush_row(s, top(s));
}

void ts_cell_begin(ts_sink *s)
{
    if (s->deep_cells || s->depth + 1 >= TS_MAX_DEPTH) {
        /* too deep: the cell's text goes inline */
        if (s->deep_cells++)
            ts_tab(s);
        return;
    }
    s->depth++;
    frame_init(top(s), s->max);
}

void ts_cell_end(ts_sink *s)
{
    ts_frame *f, *parent;
    size_t len;
    if (s->deep_cells) {
        s->deep_cells--;
        return;
    }
    if (s->depth == 0)
        return; /* unbalanced: ignore */
    f = top(s);
    flush_row(s, f); /* a table inside the cell */
    parent = &s->f[s->depth - 1];
    len = f->text.len;
    while (len && (f->text.data[len - 1] == '\n' || f->text.data[len - 1] == ' '))
        len--;
    if (len && memchr(f->text.data, '\n', len))
        parent->multiline = 1;
    if (len)
        ps_buf_add(&parent->cells, f->text.data, len);
    ps_buf_addc(&parent->cells, '\0');
    parent->n_cells++;
    note_err(s, f->text.err);
    note_err(s, parent->cells.err);
    frame_fin(f);
    s->depth--;
}

int ts_finish(ts_sink *s, ps_buf *out)
{
    s->deep_cells = 0;
    while (s->depth > 0)
        ts_cell_end(s);
    flush_row(s, top(s));
    while (top(s)->text.len && top(s)->text.data[top(s)->text.len - 1] == ' ')
        top(s)->text.data[--top(s)->text.len] = '\0';
    if (s->err == PS_OK && top(s)->text.len) {
        /* every line ends with a newline, as in a text file */
        ps_buf_add(out, top(s)->text.data, top(s)->text.len);
        ps_buf_addc(out, '\n');
    }
    note_err(s, out->err);
    return s->err;
}
