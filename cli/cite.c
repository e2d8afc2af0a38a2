/*
 * cite.c: `polsearch cite` — where a quote comes from, and the citation to
 * paste; text, JSON, Markdown or CSV; one quote or a batch.
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
    "usage: polsearch cite [--db DIR] [options] TEXT...\n"
    "       polsearch cite [--db DIR] [options] --batch FILE|-\n"
    "\n"
    "Finds the passages a quote comes from (exact, half-remembered, without\n"
    "diacritics, with words changed or missing, or a whole pasted paragraph),\n"
    "best first, each with its location (Phần/Chương/Mục/Điều/khoản/điểm or\n"
    "paragraph), the matched text with the differences marked ([-in the quote\n"
    "only-] {+in the source only+}), and the citation in the standard form.\n"
    "\n"
    "options:\n"
    "  --db DIR          the index (default $POLSEARCH_DB or ./polsearch.db)\n"
    "  --json            JSON (the hit shape of search --json, plus citation,\n"
    "                    location, match, context, coverage and diff)\n"
    "  --format F        text (default), json, md or csv\n"
    "  --limit N         sources to show, 1-100 (default 5)\n"
    "  --type T          only documents of this type\n"
    "  --from, --to D    only documents dated within (YYYY, YYYY-MM, YYYY-MM-DD)\n"
    "  --batch FILE|-    one quote a line; one JSON result a line\n"
    "  -h, --help        this help\n";

enum { F_TEXT, F_JSON, F_MD, F_CSV };

static void csv_field(const char *s)
{
    putchar('"');
    for (; s && *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s == '\n' ? ' ' : *s);
    }
    putchar('"');
}

static void print_diff(const ps_cite_hit *c, int md)
{
    size_t k;
    for (k = 0; k < c->n_diff; k++) {
        const char *t = c->diff[k].text;
        if (k)
            putchar(' ');
        switch (c->diff[k].op) {
        case PS_DIFF_EQUAL: fputs(t, stdout); break;
        case PS_DIFF_INSERT: printf(md ? "**%s**" : "{+%s+}", t); break;
        default: printf(md ? "~~%s~~" : "[-%s-]", t); break;
        }
    }
}

static void print_results(const ps_cite_results *r, int format)
{
    size_t i;
    if (format == F_CSV)
        printf("rank,citation,id,number,date,location,coverage,match\n");
    else if (format == F_TEXT && r->n == 0)
        printf("no source found\n");
    for (i = 0; i < r->n; i++) {
        const ps_cite_hit *c = &r->hits[i];
        switch (format) {
        case F_MD:
            printf("%zu. **%s**\n\n   > ", i + 1, c->hit.citation);
            print_diff(c, 1);
            printf("\n\n   `%s`, %.0f%% of the quote\n\n", c->hit.id, c->coverage * 100);
            break;
        case F_CSV:
            printf("%zu,", i + 1);
            csv_field(c->hit.citation);
            putchar(',');
            csv_field(c->hit.id);
            putchar(',');
            csv_field(c->hit.number);
            putchar(',');
            csv_field(c->hit.date);
            putchar(',');
            csv_field(c->location_text);
            printf(",%.3f,", c->coverage);
            csv_field(c->match);
            putchar('\n');
            break;
        default:
            printf("%s%zu. %s\n   ", i ? "\n" : "", i + 1, c->hit.citation);
            print_diff(c, 0);
            printf("\n   id: %s  coverage: %.0f%%", c->hit.id, c->coverage * 100);
            if (c->page)
                printf("  page: %u", c->page);
            printf("\n");
        }
    }
    for (i = 0; i < r->n_warnings; i++)
        fprintf(stderr, "polsearch: warning: %s\n", r->warnings[i]);
}

typedef struct batch_ctx {
    ps_searcher *s;
    const ps_cite_opts *base;
    ps_buf out;
} batch_ctx;

/* One quote of a batch; one JSON line out. Returns 1 when it failed. */
static int batch_line(void *vctx, char *line, size_t n)
{
    batch_ctx *b = vctx;
    ps_cite_opts o = *b->base;
    ps_cite_results *r = NULL;
    ps_error err;
    int failed = 0;
    (void)n;
    o.quote = line;
    ps_buf_reset(&b->out);
    if (ps_cite(b->s, &o, &r, &err) == PS_OK) {
        ps_cite_results_json(r, &b->out);
    } else {
        ps_jw j;
        ps_jw_init(&j, &b->out);
        ps_jw_obj(&j);
        ps_jw_kstr(&j, "quote", line);
        ps_jw_kstr(&j, "error", err.msg);
        ps_jw_kstr(&j, "code", ps_rc_name(err.code));
        ps_jw_obj_end(&j);
        failed = 1;
    }
    fwrite(b->out.data, 1, b->out.len, stdout);
    putchar('\n');
    ps_cite_results_free(r);
    return failed;
}

static int run_batch(ps_searcher *s, const ps_cite_opts *base, const char *file)
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

static int cite_main(int argc, char **argv, char ***argsp)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},    {"json", no_argument, NULL, 'j'},
        {"format", required_argument, NULL, 'f'}, {"limit", required_argument, NULL, 'l'},
        {"type", required_argument, NULL, 't'},  {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},    {"batch", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *batch = NULL;
    int format = F_TEXT, c, rc = EXIT_OK;
    long v;
    ps_cite_opts o;
    ps_searcher *s;
    ps_cite_results *r = NULL;
    ps_error err;
    ps_buf q;
    char **args;

    ps_cite_opts_default(&o);
    o.access = PS_ACCESS_SECRET; /* the CLI on a local index is trusted */
    if (!(args = cli_split_options(&argc, argv, longopts)))
        return cli_usage_error("cite", "out of memory");
    *argsp = args;
    argv = args;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': format = F_JSON; break;
        case 'f':
            if (strcmp(optarg, "text") == 0) format = F_TEXT;
            else if (strcmp(optarg, "json") == 0) format = F_JSON;
            else if (strcmp(optarg, "md") == 0) format = F_MD;
            else if (strcmp(optarg, "csv") == 0) format = F_CSV;
            else return cli_usage_error("cite", "--format takes text, json, md or csv");
            break;
        case 'l':
            if (ps_parse_long(optarg, 1, PS_LIMIT_MAX, &v))
                return cli_usage_error("cite", "--limit takes 1 to %d", PS_LIMIT_MAX);
            o.limit = (uint32_t)v;
            break;
        case 't': o.type = optarg; break;
        case 'F': o.from = optarg; break;
        case 'T': o.to = optarg; break;
        case 'b': batch = optarg; break;
        case 'h': fputs(help, stdout); return EXIT_OK;
        default: return cli_bad_option("cite", c, argv);
        }
    }
    if (!batch && optind >= argc)
        return cli_usage_error("cite", "give the quote");
    if (batch && optind < argc)
        return cli_usage_error("cite", "--batch reads quotes from a file; give no quote");
    if (ps_searcher_open(cli_db_path(db), &s, &err)) {
        cli_error("%s", err.msg);
        return EXIT_FAIL;
    }
    if (batch) {
        rc = run_batch(s, &o, batch);
        ps_searcher_close(s);
        return rc;
    }
    ps_buf_init(&q, 0);
    cli_join_args(argc, argv, optind, &q);
    o.quote = ps_buf_cstr(&q);
    if (ps_cite(s, &o, &r, &err)) {
        cli_error("%s", err.msg);
        rc = err.code == PS_EINVAL ? EXIT_USAGE : EXIT_FAIL;
    } else if (format == F_JSON) {
        ps_buf out;
        ps_buf_init(&out, 0);
        ps_cite_results_json(r, &out);
        fwrite(out.data, 1, out.len, stdout);
        putchar('\n');
        ps_buf_fin(&out);
    } else {
        print_results(r, format);
    }
    ps_cite_results_free(r);
    ps_buf_fin(&q);
    ps_searcher_close(s);
    return rc;
}

int cmd_cite(int argc, char **argv)
{
    char **args = NULL;
    int rc = cite_main(argc, argv, &args);
    free(args);
    return rc;
}
