/* doc.c: the ps_doc object, its arena, and the names of its enums. */
#include <string.h>

#include "polsearch/doc.h"
#include "polsearch/text.h"

const char *ps_access_name(int access)
{
    switch (access) {
    case PS_ACCESS_PUBLIC: return "public";
    case PS_ACCESS_INTERNAL: return "internal";
    case PS_ACCESS_RESTRICTED: return "restricted";
    case PS_ACCESS_SECRET: return "secret";
    default: return "public";
    }
}

int ps_access_parse(const char *name)
{
    int i;
    if (!name)
        return -1;
    for (i = PS_ACCESS_PUBLIC; i <= PS_ACCESS_SECRET; i++)
        if (strcmp(name, ps_access_name(i)) == 0)
            return i;
    return -1;
}

const char *ps_node_kind_name(int kind)
{
    static const char *const names[] = {"root", "phan", "chuong", "muc", "dieu", "khoan", "diem"};
    if (kind < 0 || (size_t)kind >= sizeof names / sizeof names[0])
        return "root";
    return names[kind];
}

const char *ps_rel_kind_name(int kind)
{
    static const char *const names[] = {"cites", "based_on", "amends", "replaces", "guides", "repeals"};
    if (kind < 0 || (size_t)kind >= sizeof names / sizeof names[0])
        return "cites";
    return names[kind];
}

ps_doc *ps_doc_new(void)
{
    ps_doc *d = ps_calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->arena = ps_arena_new();
    if (!d->arena) {
        ps_free(d);
        return NULL;
    }
    d->text = "";
    d->meta.access = PS_ACCESS_PUBLIC;
    return d;
}

void ps_doc_free(ps_doc *doc)
{
    if (!doc)
        return;
    ps_arena_free(doc->arena);
    ps_free(doc);
}

const char *ps_doc_strdup(ps_doc *doc, const char *s, size_t n)
{
    if (!s)
        return NULL;
    return ps_arena_strndup(doc->arena, s, n);
}

int ps_doc_set_text(ps_doc *doc, const char *raw, size_t n, struct ps_clean_stats *st,
                    ps_error *err)
{
    ps_buf b;
    int rc;
    char *t;
    ps_buf_init(&b, 0);
    rc = ps_text_clean(raw, n, &b, st, err);
    if (rc) {
        ps_buf_fin(&b);
        return rc;
    }
    t = ps_arena_alloc(doc->arena, b.len + 1);
    if (!t) {
        ps_buf_fin(&b);
        return ps_error_set(err, PS_ENOMEM, "out of memory storing a text of %zu bytes", b.len);
    }
    if (b.len)
        memcpy(t, b.data, b.len);
    t[b.len] = '\0';
    doc->text = t;
    doc->text_len = b.len;
    ps_buf_fin(&b);
    return PS_OK;
}
