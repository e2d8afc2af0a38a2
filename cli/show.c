/*
 * show.c: `polsearch show` — one document: metadata, structure, relations
 * and text.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "polsearch/doc.h"
#include "polsearch/search.h"

static const char help[] =
    "usage: polsearch show [--db DIR] [--json] [--query Q] ID\n"
    "\n"
    "Prints a document: its metadata (type, number, issuer, signer, place,\n"
    "dates, title, access), its structure (Phần/Chương/Mục/Điều/khoản/điểm),\n"
    "the documents it mentions, and its text.\n"
    "\n"
    "options:\n"
    "  --db DIR      the index (default $POLSEARCH_DB or ./polsearch.db)\n"
    "  --json        the document as one JSON object (docs/API.md)\n"
    "  --query Q     with --json, add \"highlights\": the spans matching Q\n"
    "  -h, --help    this help\n";

static void outline(json_t *nodes, int depth)
{
    size_t i;
    json_t *n;
    json_array_foreach(nodes, i, n) {
        const char *label = json_string_value(json_object_get(n, "label"));
        const char *title = json_string_value(json_object_get(n, "title"));
        const char *kind = json_string_value(json_object_get(n, "kind"));
        if (kind && (strcmp(kind, "khoan") == 0 || strcmp(kind, "diem") == 0))
            continue; /* the outline stops at articles; the JSON has all */
        printf("%*s%s%s%s\n", depth * 2 + 2, "", label ? label : "", title ? ". " : "",
               title ? title : "");
        outline(json_object_get(n, "children"), depth + 1);
    }
}

static void print_field(json_t *meta, const char *key, const char *name)
{
    const char *v = json_string_value(json_object_get(meta, key));
    if (v)
        printf("%-15s %s\n", name, v);
}

int cmd_show(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'}, {"json", no_argument, NULL, 'j'},
        {"query", required_argument, NULL, 'q'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *q = NULL;
    int json = 0, c, rc = EXIT_OK;
    ps_searcher *s;
    ps_docview *d;
    ps_error err;

    optind = 1;
    opterr = 0; /* our own message names the command */
    while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': json = 1; break;
        case 'q': q = optarg; break;
        case 'h': fputs(help, stdout); return EXIT_OK;
        default: return cli_bad_option("show", c, argv);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("show", "give one document id");
    if (ps_searcher_open(cli_db_path(db), &s, &err)) {
        cli_error("%s", err.msg);
        return EXIT_FAIL;
    }
    if (ps_searcher_doc(s, argv[optind], PS_ACCESS_SECRET, &d, &err)) {
        cli_error("%s", err.msg);
        ps_searcher_close(s);
        return EXIT_FAIL;
    }
    if (json) {
        ps_buf out;
        ps_buf_init(&out, 0);
        ps_docview_json(s, d, q, PS_DOC_SOURCE, &out);
        fwrite(out.data, 1, out.len, stdout);
        putchar('\n');
        ps_buf_fin(&out);
    } else {
        json_error_t je;
        json_t *meta = json_loads(d->meta_json ? d->meta_json : "{}", 0, &je);
        json_t *st = json_loads(d->structure_json ? d->structure_json : "[]", 0, &je);
        json_t *rel = json_loads(d->relations_json ? d->relations_json : "[]", 0, &je);
        size_t i;
        json_t *r;
        print_field(meta, "id", "id");
        print_field(meta, "type", "type");
        print_field(meta, "number", "number");
        print_field(meta, "title", "title");
        print_field(meta, "issuer", "issuer");
        print_field(meta, "signer", "signer");
        print_field(meta, "signer_title", "signer title");
        print_field(meta, "place", "place");
        print_field(meta, "date", "date");
        print_field(meta, "effective_date", "effective date");
        print_field(meta, "access", "access");
        print_field(meta, "source", "source");
        if (json_array_size(st)) {
            printf("\nstructure:\n");
            outline(st, 0);
        }
        if (json_array_size(rel)) {
            printf("\nmentions:\n");
            json_array_foreach(rel, i, r) {
                const char *t = json_string_value(json_object_get(r, "type"));
                printf("  %-9s %s%s%s\n", json_string_value(json_object_get(r, "kind")),
                       t ? t : "", t ? " " : "",
                       json_string_value(json_object_get(r, "number")));
            }
        }
        {
            /* what cites this document: from the same JSON the API gives */
            ps_buf full;
            json_t *all, *cb;
            ps_buf_init(&full, 0);
            ps_docview_json(s, d, NULL, PS_DOC_SOURCE, &full);
            all = json_loads(ps_buf_cstr(&full), 0, &je);
            cb = json_object_get(all, "cited_by");
            if (json_array_size(cb)) {
                printf("\ncited by:\n");
                json_array_foreach(cb, i, r)
                    printf("  %s\n", json_string_value(json_object_get(r, "citation")));
            }
            json_decref(all);
            ps_buf_fin(&full);
        }
        printf("\n");
        fwrite(d->text, 1, d->text_len, stdout);
        if (d->text_len && d->text[d->text_len - 1] != '\n')
            putchar('\n');
        json_decref(meta);
        json_decref(st);
        json_decref(rel);
    }
    ps_docview_free(d);
    ps_searcher_close(s);
    return rc;
}
