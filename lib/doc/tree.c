/*
 * tree.c: walking the structure tree ps_doc_parse() builds.
 *
 * Children are ordered by offset and their spans do not overlap, so the
 * deepest unit holding an offset is found by descending one child list per
 * level.
 */
#include "polsearch/doc.h"

const ps_node *ps_doc_node_at(const ps_doc *doc, size_t offset)
{
    const ps_node *node, *c;
    if (!doc || !doc->root)
        return NULL;
    node = doc->root;
    for (;;) {
        for (c = node->child; c; c = c->next)
            if (offset >= c->start && offset < c->end)
                break;
        if (!c)
            return node;
        node = c;
    }
}

int ps_node_path(const ps_node *node, ps_buf *out)
{
    /* labels from the root down: collect the chain, then write it reversed */
    const ps_node *chain[64];
    size_t n = 0, k;
    int first = 1;
    if (!out)
        return PS_EINVAL;
    for (; node && n < sizeof chain / sizeof chain[0]; node = node->parent)
        if (node->kind != PS_NODE_ROOT && node->label)
            chain[n++] = node;
    for (k = n; k-- > 0;) {
        if (!first)
            ps_buf_adds(out, " > ");
        ps_buf_adds(out, chain[k]->label);
        first = 0;
    }
    return out->err;
}

const ps_node *ps_node_article(const ps_node *node)
{
    for (; node; node = node->parent)
        if (node->kind == PS_NODE_DIEU)
            return node;
    return NULL;
}

size_t ps_doc_count_nodes(const ps_doc *doc, int kind)
{
    /* iterative pre-order walk: the tree may be deep in odd documents */
    const ps_node *n;
    size_t count = 0;
    if (!doc || !doc->root)
        return 0;
    n = doc->root;
    while (n) {
        if (n->kind == kind)
            count++;
        if (n->child) {
            n = n->child;
            continue;
        }
        while (n && !n->next)
            n = n->parent;
        if (n)
            n = n->next;
    }
    return count;
}
