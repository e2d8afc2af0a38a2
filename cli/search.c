/*
 * search.c: `polsearch search` — ranked search from the shell, as text
 * for people or JSON for scripts, one query or a batch.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "polsearch/doc.h"
#include "polsearch/search.h"

static const char help[] =
    "usage: polsearch search [--db DIR] [options] QUERY...\n"
    "       polsearch search [--db DIR] [options] --batch FILE|-\n"
    "\n"
    "Ranked search. Query language: bare words (ranked; a hit need not hold\n"
    "every word), \"quoted phrase\", -word, +word, OR, and the fields type:,\n"
    "issuer:, number:, year:, cites:, article: (e.g. type:nq year:2024).\n"
    "Diacritics are optional; document numbers work in any spelling\n"
    "(57-NQ/TW, 57/NQ-TW, nq 57, nghị quyết 57, 13/2023/ND-CP).\n"
    "\n"
    "options:\n"
    "  --db DIR            the index (default $POLSEARCH_DB or ./polsearch.db)\n"
    "  --json              one JSON object (docs/API.md) instead of text\n"
    "  --limit N           hits per page, 1-100 (default 10)\n"
    "  --offset N          skip the first N hits, 0-10000 (default 0)\n"
    "  --unit U            document (default) or passage\n"
    "  --type T            only this type (Nghị quyết, nghi quyet, NQ ...)\n"
    "  --issuer I          only this issuer (Bộ Chính trị ...)\n"
    "  --from DATE         issued on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)\n"
    "  --to DATE           issued on or before DATE\n"
    "  --sort S            relevance (default), date (oldest first) or -date\n"
    "  --facets            count types, issuers and years over all matches\n"
    "  --batch FILE|-      one query a line (or a JSON object with q and any of\n"
    "                      the options above, plus an id echoed back); writes one\n"
    "                      JSON result a line; the index is opened once\n"
    "  -h, --help          this help\n"
    "\n"
    "Exit status: 0 on success (also with no hits), 1 on errors, 2 on usage\n"
    "errors.\n";

static int parse_unit(const char *s, int *out)
{
    if (strcmp(s, "document") == 0 || strcmp(s, "doc") == 0)
        *out = PS_UNIT_DOCUMENT;
    else if (strcmp(s, "passage") == 0)
        *out = PS_UNIT_PASSAGE;
    else
        return -1;
    return 0;
}

static int parse_sort(const char *s, int *out)
{
    if (strcmp(s, "relevance") == 0)
        *out = PS_SORT_RELEVANCE;
    else if (strcmp(s, "date") == 0)
        *out = PS_SORT_DATE;
    else if (strcmp(s, "-date") == 0)
        *out = PS_SORT_DATE_DESC;
    else
        return -1;
    return 0;
}

/* The HTML snippet as terminal text: marks in bold on a terminal, in
 * [brackets] otherwise; entities decoded. */
static void print_snippet(const char *s, int tty)
{
    while (s && *s) {
        if (strncmp(s, "<mark>", 6) == 0) {
            fputs(tty ? "\033[1m" : "[", stdout);
            s += 6;
        } else if (strncmp(s, "</mark>", 7) == 0) {
            fputs(tty ? "\033[0m" : "]", stdout);
            s += 7;
        } else if (*s == '&') {
            static const struct { const char *e; char c; } ents[] = {
                {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
            size_t i;
            for (i = 0; i < sizeof ents / sizeof ents[0]; i++) {
                size_t l = strlen(ents[i].e);
                if (strncmp(s, ents[i].e, l) == 0) {
                    putchar(ents[i].c);
                    s += l;
                    break;
                }
            }
            if (i == sizeof ents / sizeof ents[0])
                putchar(*s++);
        } else {
            putchar(*s++);
        }
    }
}

static void print_text(const ps_results *r)
{
    size_t i, k;
    int tty = isatty(1);
    printf("%u %s%s (%.1f ms)\n", r->total, r->unit == PS_UNIT_PASSAGE ? "passages" : "documents",
           r->total_exact ? "" : " (estimated)", r->took_ms);
    for (i = 0; i < r->n; i++) {
        const ps_hit *h = &r->hits[i];
        printf("\n%zu. %s%s%s%s", r->offset + i + 1, h->type ? h->type : "",
               h->number ? " " : "", h->number ? h->number : "",
               h->date ? "" : "");
        if (h->date)
            printf(" (%s)", h->date);
        if (h->issuer)
            printf(" — %s", h->issuer);
        printf("\n");
        if (h->title)
            printf("   %s\n", h->title);
        if (h->path)
            printf("   %s\n", h->path);
        printf("   ");
        print_snippet(h->snippet, tty);
        printf("\n   id: %s  score: %.3f\n", h->id, h->score);
    }
    for (i = 0; i < r->n_facets; i++) {
        printf("\n%s:", r->facets[i].name);
        for (k = 0; k < r->facets[i].n; k++)
            printf(" %s (%u)%s", r->facets[i].values[k].value, r->facets[i].values[k].count,
                   k + 1 < r->facets[i].n ? "," : "");
        printf("\n");
    }
    for (i = 0; i < r->n_warnings; i++)
        fprintf(stderr, "polsearch: warning: %s\n", r->warnings[i]);
}

/* Applies a batch line's JSON fields over the defaults. */
static int batch_opts(json_t *o, ps_search_opts *so, ps_error *err)
{
    json_t *v;
    const char *s;
    if ((s = json_string_value(json_object_get(o, "q"))) ||
        (s = json_string_value(json_object_get(o, "query"))))
        so->query = s;
    if ((s = json_string_value(json_object_get(o, "unit"))) && parse_unit(s, &so->unit))
        return ps_error_set(err, PS_EINVAL, "unit must be document or passage");
    if ((s = json_string_value(json_object_get(o, "sort"))) && parse_sort(s, &so->sort))
        return ps_error_set(err, PS_EINVAL, "sort must be relevance, date or -date");
    if ((v = json_object_get(o, "limit")) && json_is_integer(v))
        so->limit = (uint32_t)json_integer_value(v);
    if ((v = json_object_get(o, "offset")) && json_is_integer(v))
        so->offset = (uint32_t)json_integer_value(v);
    if ((s = json_string_value(json_object_get(o, "type"))))
        so->type = s;
    if ((s = json_string_value(json_object_get(o, "issuer"))))
        so->issuer = s;
    if ((s = json_string_value(json_object_get(o, "from"))))
        so->from = s;
    if ((s = json_string_value(json_object_get(o, "to"))))
        so->to = s;
    if ((v = json_object_get(o, "facets")))
        so->facets = json_is_true(v);
    return PS_OK;
}

typedef struct batch_ctx {
    ps_searcher *s;
    const ps_search_opts *base;
    ps_buf out;
} batch_ctx;

/* One batch line: a query, or a JSON object of options; one JSON line
 * out. Returns 1 when the line failed. */
static int batch_line(void *vctx, char *line, size_t n)
{
    batch_ctx *b = vctx;
    ps_search_opts so = *b->base;
    ps_results *r = NULL;
    ps_error err;
    json_t *o = NULL;
    const char *id = NULL;
    ps_jw j;
    int failed = 0;
    ps_error_clear(&err);
    if (n > 0 && line[0] == '{') {
        json_error_t je;
        o = json_loadb(line, n, 0, &je);
        if (!o)
            ps_error_set(&err, PS_EINVAL, "bad JSON: %s", je.text);
        else {
            batch_opts(o, &so, &err);
            id = json_string_value(json_object_get(o, "id"));
        }
    } else {
        so.query = line;
    }
    ps_buf_reset(&b->out);
    if (err.code == PS_OK && ps_search(b->s, &so, &r, &err) == PS_OK) {
        if (id) {
            /* the caller's id first, then the result's fields */
            ps_jw_init(&j, &b->out);
            ps_buf_adds(&b->out, "{\"id\":");
            ps_jw_str(&j, id);
            ps_buf_addc(&b->out, ',');
            {
                ps_buf res;
                ps_buf_init(&res, 0);
                ps_results_json(r, &res);
                if (res.len > 1)
                    ps_buf_add(&b->out, res.data + 1, res.len - 1);
                ps_buf_fin(&res);
            }
        } else {
            ps_results_json(r, &b->out);
        }
    } else {
        ps_jw_init(&j, &b->out);
        ps_jw_obj(&j);
        if (id)
            ps_jw_kstr(&j, "id", id);
        ps_jw_kstr(&j, "query", so.query ? so.query : "");
        ps_jw_kstr(&j, "error", err.msg);
        ps_jw_kstr(&j, "code", ps_rc_name(err.code));
        ps_jw_obj_end(&j);
        failed = 1;
    }
    fwrite(b->out.data, 1, b->out.len, stdout);
    putchar('\n');
    ps_results_free(r);
    json_decref(o);
    return failed;
}

static int run_batch(ps_searcher *s, const ps_search_opts *base, const char *file)
{
    batch_ctx b;
    int rc;
    b.s = s;
    b.base = base;
    ps_buf_init(&b.out, 0);
    rc = cli_each_line(file, batch_line, &b);
    ps_buf_fin(&b.out);
    return rc;
}

static int search_main(int argc, char **argv, char ***argsp)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},     {"json", no_argument, NULL, 'j'},
        {"limit", required_argument, NULL, 'l'},  {"offset", required_argument, NULL, 'o'},
        {"unit", required_argument, NULL, 'u'},   {"type", required_argument, NULL, 't'},
        {"issuer", required_argument, NULL, 'i'}, {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},     {"sort", required_argument, NULL, 's'},
        {"batch", required_argument, NULL, 'b'},  {"facets", no_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *batch = NULL;
    int json = 0, c, rc = EXIT_OK;
    ps_search_opts so;
    ps_searcher *s = NULL;
    ps_results *r = NULL;
    ps_error err;
    ps_buf q, out;
    char **args;

    ps_search_opts_default(&so);
    so.access = PS_ACCESS_SECRET; /* the CLI on a local index is trusted */
    if (!(args = cli_split_options(&argc, argv, longopts)))
        return cli_usage_error("search", "out of memory");
    *argsp = args;
    argv = args;
    optind = 1;
    opterr = 0; /* our own message names the command */
    while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
        long v;
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': json = 1; break;
        case 'l':
            if (ps_parse_long(optarg, 1, PS_LIMIT_MAX, &v))
                return cli_usage_error("search", "--limit takes 1 to %d", PS_LIMIT_MAX);
            so.limit = (uint32_t)v;
            break;
        case 'o':
            if (ps_parse_long(optarg, 0, PS_OFFSET_MAX, &v))
                return cli_usage_error("search", "--offset takes 0 to %d", PS_OFFSET_MAX);
            so.offset = (uint32_t)v;
            break;
        case 'u':
            if (parse_unit(optarg, &so.unit))
                return cli_usage_error("search", "--unit takes document or passage");
            break;
        case 't': so.type = optarg; break;
        case 'i': so.issuer = optarg; break;
        case 'F': so.from = optarg; break;
        case 'T': so.to = optarg; break;
        case 's':
            if (parse_sort(optarg, &so.sort))
                return cli_usage_error("search", "--sort takes relevance, date or -date");
            break;
        case 'b': batch = optarg; break;
        case 'a': so.facets = 1; break;
        case 'h': fputs(help, stdout); return EXIT_OK;
        default: return cli_bad_option("search", c, argv);
        }
    }
    if (!batch && optind >= argc)
        return cli_usage_error("search", "give a query");
    if (batch && optind < argc)
        return cli_usage_error("search", "--batch reads queries from a file; give no query");
    if (ps_search_opts_check(&so, &err))
        return cli_usage_error("search", "%s", err.msg);
    if (ps_searcher_open(cli_db_path(db), &s, &err)) {
        cli_error("%s", err.msg);
        return EXIT_FAIL;
    }
    if (batch) {
        rc = run_batch(s, &so, batch);
        ps_searcher_close(s);
        return rc;
    }
    ps_buf_init(&q, PS_QUERY_MAX_BYTES * 16);
    cli_join_args(argc, argv, optind, &q);
    so.query = ps_buf_cstr(&q);
    if (ps_search(s, &so, &r, &err)) {
        cli_error("%s", err.msg);
        rc = err.code == PS_EINVAL ? EXIT_USAGE : EXIT_FAIL;
    } else if (json) {
        ps_buf_init(&out, 0);
        ps_results_json(r, &out);
        fwrite(out.data, 1, out.len, stdout);
        putchar('\n');
        ps_buf_fin(&out);
    } else {
        print_text(r);
    }
    ps_results_free(r);
    ps_buf_fin(&q);
    ps_searcher_close(s);
    return rc;
}

int cmd_search(int argc, char **argv)
{
    char **args = NULL;
    int rc = search_main(argc, argv, &args);
    free(args);
    return rc;
}
