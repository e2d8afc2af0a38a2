/*
 * fuzz_parse: the header and structure parser on any text.
 *
 * ps_doc_set_text + ps_doc_parse must never fail on odd text (only on
 * allocation failure), and what they build must hold together: the tree's
 * spans nest inside their parents, children are ordered and do not
 * overlap, relations lie inside the text, and ps_passages cuts the text
 * into passages that tile it with no gap and no overlap. The tree walkers
 * (ps_doc_node_at, ps_node_path, ps_node_article, ps_doc_count_nodes) run
 * on every node.
 */
#include "polsearch/doc.h"
#include "polsearch/index.h"
#include "polsearch/text.h"
#include "tests/fuzz/fuzz_common.h"

static size_t walk(const ps_doc *doc, const ps_node *node, int depth, ps_buf *path)
{
    const ps_node *c, *prev = NULL;
    size_t count = 1;
    FUZZ_CHECK(depth < 100000);
    FUZZ_CHECK(node->start <= node->body && node->body <= node->end);
    FUZZ_CHECK(node->end <= doc->text_len);
    FUZZ_CHECK(node->kind >= PS_NODE_ROOT && node->kind <= PS_NODE_DIEM);
    FUZZ_CHECK(strcmp(ps_node_kind_name(node->kind), "") != 0);
    if (node->label)
        FUZZ_CHECK(fuzz_valid_utf8(node->label, strlen(node->label)));
    if (node->title)
        FUZZ_CHECK(fuzz_valid_utf8(node->title, strlen(node->title)));
    ps_buf_reset(path);
    FUZZ_CHECK(ps_node_path(node, path) == PS_OK);
    FUZZ_CHECK(fuzz_valid_utf8(ps_buf_cstr(path), path->len));
    {
        const ps_node *art = ps_node_article(node);
        FUZZ_CHECK(!art || art->kind == PS_NODE_DIEU);
    }
    if (node->start < node->end) {
        /* the deepest node at the unit's first byte is it or a descendant */
        const ps_node *at = ps_doc_node_at(doc, node->start), *up;
        for (up = at; up && up != node; up = up->parent)
            ;
        FUZZ_CHECK(up == node);
    }
    for (c = node->child; c; c = c->next) {
        FUZZ_CHECK(c->parent == node);
        FUZZ_CHECK(c->start >= node->start && c->end <= node->end);
        FUZZ_CHECK(!prev || prev->end <= c->start);
        count += walk(doc, c, depth + 1, path);
        prev = c;
    }
    return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_doc *doc = ps_doc_new();
    ps_error err;
    ps_passage *ps = NULL;
    size_t np = 0, i, total;
    ps_buf path;

    FUZZ_CHECK(doc != NULL);
    doc->id = "fuzz";
    FUZZ_CHECK(ps_doc_set_text(doc, (const char *)data, size, NULL, &err) == PS_OK);
    FUZZ_CHECK(ps_doc_parse(doc, &err) == PS_OK);
    FUZZ_CHECK(doc->root != NULL);
    FUZZ_CHECK(doc->root->kind == PS_NODE_ROOT);
    FUZZ_CHECK(doc->root->start == 0 && doc->root->end == doc->text_len);

    ps_buf_init(&path, 0);
    total = walk(doc, doc->root, 0, &path);
    {
        size_t k, sum = 0;
        for (k = PS_NODE_ROOT; k <= PS_NODE_DIEM; k++)
            sum += ps_doc_count_nodes(doc, (int)k);
        FUZZ_CHECK(sum == total);
    }
    ps_buf_fin(&path);

    for (i = 0; i < doc->n_rels; i++) {
        const ps_relation *r = &doc->rels[i];
        FUZZ_CHECK(r->start <= r->end && r->end <= doc->text_len);
        FUZZ_CHECK(r->number && fuzz_valid_utf8(r->number, strlen(r->number)));
        FUZZ_CHECK(r->kind >= PS_REL_CITES && r->kind <= PS_REL_REPEALS);
        FUZZ_CHECK(!r->date || strlen(r->date) == 10);
    }
    {
        const char *const fields[] = {doc->meta.type,  doc->meta.number, doc->meta.issuer,
                                      doc->meta.signer, doc->meta.signer_title,
                                      doc->meta.place, doc->meta.title};
        for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
            FUZZ_CHECK(!fields[i] || fuzz_valid_utf8(fields[i], strlen(fields[i])));
        FUZZ_CHECK(!doc->meta.date || strlen(doc->meta.date) == 10);
        FUZZ_CHECK(!doc->meta.effective_date || strlen(doc->meta.effective_date) == 10);
        FUZZ_CHECK(doc->meta.access >= PS_ACCESS_PUBLIC && doc->meta.access <= PS_ACCESS_SECRET);
    }

    FUZZ_CHECK(ps_passages(doc, &ps, &np, &err) == PS_OK);
    /* passages tile the text: concatenated in order they give it back */
    {
        size_t at = 0;
        for (i = 0; i < np; i++) {
            FUZZ_CHECK(ps[i].ordinal == i);
            FUZZ_CHECK(ps[i].start == at);
            FUZZ_CHECK(ps[i].end >= ps[i].start);
            FUZZ_CHECK(ps[i].kind != NULL);
            FUZZ_CHECK(!ps[i].label || fuzz_valid_utf8(ps[i].label, strlen(ps[i].label)));
            FUZZ_CHECK(!ps[i].path || fuzz_valid_utf8(ps[i].path, strlen(ps[i].path)));
            at = ps[i].end;
        }
        FUZZ_CHECK(at == doc->text_len);
    }
    ps_doc_free(doc);
    return 0;
}
