/*
 * passage.c: cutting a parsed document into passages.
 *
 * A passage is the unit a hit names and a snippet comes from, and the
 * unit BM25 scores, so its size matters as much as its boundaries:
 *   - an article (Điều) is always one passage, the unit people cite and
 *     the unit the legal questions are judged on; only an article too long
 *     to rank fairly (some scraped articles swallow whole chapters) is cut
 *     at its khoản, or paragraphs;
 *   - a document without articles (most Party texts: I-, 1-, a)) is cut at
 *     the smallest section that still reads alone, taking a whole section
 *     when it is short;
 *   - headings between units (Chương II / TÊN CHƯƠNG) go with the unit
 *     that follows them; what precedes the first unit is the preamble
 *     (header, title, Căn cứ lines) and what follows the last, the closing
 *     (signature, Nơi nhận).
 * Passages tile the text exactly: concatenated, they give it back.
 */
#include <string.h>

#include "polsearch/index.h"

/* Sizes in bytes of NFC Vietnamese (about 4.5 bytes a syllable). */
#define UNIT_TARGET 3000    /* a section up to this is one passage */
#define UNIT_MAX 6000       /* a non-article unit longer than this is cut */
#define ARTICLE_MAX 12000   /* an article longer than this is cut */
#define PIECE_TARGET 4000   /* size of the pieces a long unit is cut into */

typedef struct unit {
    size_t start, end;
    const ps_node *node;
} unit;

typedef struct cutter {
    ps_doc *doc;
    unit *units;
    size_t n, cap;
    int rc;
} cutter;

static void push_unit(cutter *c, size_t start, size_t end, const ps_node *node)
{
    if (c->rc || end <= start)
        return;
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 64;
        unit *u = ps_realloc(c->units, ncap * sizeof *u);
        if (!u) {
            c->rc = PS_ENOMEM;
            return;
        }
        c->units = u;
        c->cap = ncap;
    }
    c->units[c->n].start = start;
    c->units[c->n].end = end;
    c->units[c->n].node = node;
    c->n++;
}

static int has_article(const ps_node *n)
{
    const ps_node *ch;
    if (n->kind == PS_NODE_DIEU)
        return 1;
    for (ch = n->child; ch; ch = ch->next)
        if (has_article(ch))
            return 1;
    return 0;
}

/* Whether [s, e) holds anything but whitespace. */
static int has_text(const char *t, size_t s, size_t e)
{
    for (; s < e; s++)
        if (t[s] != ' ' && t[s] != '\n' && t[s] != '\t' && t[s] != '\f' && t[s] != '\r')
            return 1;
    return 0;
}

/* Cuts [s, e) into pieces of about PIECE_TARGET at line ends, or at a
 * space when a single line is longer than the limit. */
static void push_chunks(cutter *c, size_t s, size_t e, const ps_node *node, size_t limit)
{
    const char *t = c->doc->text;
    while (e - s > limit) {
        size_t cut = s + PIECE_TARGET, i;
        /* the last line end between half the target and the limit */
        for (i = s + limit; i > s + PIECE_TARGET / 2; i--)
            if (t[i - 1] == '\n')
                break;
        if (i > s + PIECE_TARGET / 2) {
            cut = i;
        } else {
            for (i = s + PIECE_TARGET; i < s + limit && t[i] != ' '; i++)
                ;
            cut = i;
            /* never inside a UTF-8 sequence */
            while (cut < e && ((unsigned char)t[cut] & 0xC0) == 0x80)
                cut++;
        }
        push_unit(c, s, cut, node);
        s = cut;
    }
    push_unit(c, s, e, node);
}

/* A long unit with children: groups consecutive children into pieces of
 * about PIECE_TARGET, the heading and any text before the first child
 * going with the first piece. */
static void push_split(cutter *c, const ps_node *node, size_t limit)
{
    const ps_node *ch;
    size_t piece_start = node->start;
    if (!node->child) {
        push_chunks(c, node->start, node->end, node, limit);
        return;
    }
    for (ch = node->child; ch; ch = ch->next) {
        size_t ch_end = ch->next ? ch->next->start : node->end;
        if (ch_end - piece_start > PIECE_TARGET && ch->start > piece_start &&
            has_text(c->doc->text, piece_start, ch->start)) {
            /* close the piece before this child when it grows too big */
            push_chunks(c, piece_start, ch->start, node, limit);
            piece_start = ch->start;
        }
    }
    push_chunks(c, piece_start, node->end, node, limit);
}

static void collect(cutter *c, const ps_node *n)
{
    const ps_node *ch;
    size_t len = n->end - n->start;
    if (c->rc)
        return;
    if (n->kind == PS_NODE_DIEU) {
        if (len <= ARTICLE_MAX)
            push_unit(c, n->start, n->end, n);
        else
            push_split(c, n, ARTICLE_MAX);
        return;
    }
    if (n->kind != PS_NODE_ROOT && !has_article(n) && (len <= UNIT_TARGET || !n->child)) {
        if (len <= UNIT_MAX)
            push_unit(c, n->start, n->end, n);
        else
            push_split(c, n, UNIT_MAX);
        return;
    }
    for (ch = n->child; ch; ch = ch->next)
        collect(c, ch);
}

static const char *kind_of(const ps_node *n)
{
    return n ? ps_node_kind_name(n->kind) : "text";
}

int ps_passages(ps_doc *doc, ps_passage **out, size_t *nout, ps_error *err)
{
    cutter c;
    ps_passage *ps;
    size_t i, np = 0, cap, prev_end = 0;
    const char *t = doc->text;
    ps_buf path;

    memset(&c, 0, sizeof c);
    c.doc = doc;
    *out = NULL;
    *nout = 0;
    if (doc->root)
        collect(&c, doc->root);
    if (c.n == 0 && doc->text_len)
        push_chunks(&c, 0, doc->text_len, NULL, UNIT_MAX);
    if (c.rc) {
        ps_free(c.units);
        return ps_error_set(err, c.rc, "out of memory cutting %s into passages", doc->id);
    }
    /* room for the units, a preamble, a closing and preamble pieces */
    cap = c.n + 2 + doc->text_len / PIECE_TARGET + 1;
    ps = ps_arena_calloc(doc->arena, cap * sizeof *ps);
    if (!ps) {
        ps_free(c.units);
        return ps_error_set(err, PS_ENOMEM, "out of memory cutting %s into passages", doc->id);
    }
    ps_buf_init(&path, 4096);

    for (i = 0; i <= c.n; i++) {
        size_t s, e;
        const ps_node *node;
        const char *kind;
        if (i == c.n) {
            /* the closing: whatever follows the last unit */
            if (prev_end >= doc->text_len)
                break;
            s = prev_end;
            e = doc->text_len;
            if (!has_text(t, s, e) && np > 0) {
                ps[np - 1].end = e; /* trailing blank lines: to the last */
                break;
            }
            node = NULL;
            kind = np ? "closing" : "text";
        } else {
            node = c.units[i].node;
            s = c.units[i].start;
            e = c.units[i].end;
            if (i == 0 && s > 0) {
                if (has_text(t, 0, s)) {
                    /* the preamble; cut when very long */
                    size_t ps0 = 0;
                    while (s - ps0 > UNIT_MAX && np + 1 < cap) {
                        size_t cut = ps0 + PIECE_TARGET;
                        while (cut < s && t[cut - 1] != '\n')
                            cut++;
                        if (cut >= s)
                            break;
                        ps[np].start = ps0;
                        ps[np].end = cut;
                        ps[np].kind = "preamble";
                        np++;
                        ps0 = cut;
                    }
                    ps[np].start = ps0;
                    ps[np].end = s;
                    ps[np].kind = "preamble";
                    np++;
                } else {
                    s = 0; /* leading blank lines: to the first unit */
                }
            } else if (i > 0) {
                s = prev_end; /* headings between units: to this unit */
            }
            kind = kind_of(node);
            if (e <= s)
                continue; /* overlapping spans from a confused parse */
        }
        if (np >= cap)
            break; /* cannot happen: cap counts every unit */
        ps[np].start = s;
        ps[np].end = e;
        ps[np].kind = kind;
        ps[np].node = node;
        np++;
        prev_end = e;
    }
    ps_free(c.units);

    for (i = 0; i < np; i++) {
        ps_passage *p = &ps[i];
        const ps_node *art;
        p->ordinal = (uint32_t)i;
        if (!p->node) {
            p->label = strcmp(p->kind, "preamble") == 0 ? "Phần mở đầu"
                       : strcmp(p->kind, "closing") == 0 ? "Phần cuối"
                                                         : NULL;
            if (!p->label)
                p->label = ps_arena_sprintf(doc->arena, "Đoạn %zu", i + 1);
            p->path = p->label;
            continue;
        }
        p->label = p->node->label;
        p->title = p->node->title;
        ps_buf_reset(&path);
        if (ps_node_path(p->node, &path) == PS_OK && path.len)
            p->path = ps_arena_strndup(doc->arena, path.data, path.len);
        else
            p->path = p->label;
        art = ps_node_article(p->node);
        if (art)
            p->article = art->num;
        if (!p->label || !p->path) {
            ps_buf_fin(&path);
            return ps_error_set(err, PS_ENOMEM, "out of memory labelling passages");
        }
    }
    ps_buf_fin(&path);
    *out = ps;
    *nout = np;
    return PS_OK;
}
