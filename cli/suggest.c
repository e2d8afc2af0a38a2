/*
 * suggest.c: `polsearch suggest` — the completions search-as-you-type
 * shows, from the shell.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "polsearch/doc.h"
#include "polsearch/search.h"

static const char help[] =
    "usage: polsearch suggest [--db DIR] [--json] [--limit N] PREFIX...\n"
    "\n"
    "Documents whose type, title, issuer or number complete what is typed\n"
    "(the last word may be unfinished; diacritics optional).\n"
    "\n"
    "options:\n"
    "  --db DIR      the index (default $POLSEARCH_DB or ./polsearch.db)\n"
    "  --json        {\"query\", \"suggestions\": [{id, text, title, number, type, date}]}\n"
    "  --limit N     at most N suggestions, 1-20 (default 10)\n"
    "  -h, --help    this help\n";

int cmd_suggest(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},  {"json", no_argument, NULL, 'j'},
        {"limit", required_argument, NULL, 'l'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    int json = 0, c;
    long limit = 10;
    ps_searcher *s;
    ps_suggestions *sg;
    ps_error err;
    ps_buf q;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': json = 1; break;
        case 'l':
            if (ps_parse_long(optarg, 1, 20, &limit))
                return cli_usage_error("suggest", "--limit takes 1 to 20");
            break;
        case 'h': fputs(help, stdout); return EXIT_OK;
        default: return cli_bad_option("suggest", c, argv);
        }
    }
    if (optind >= argc)
        return cli_usage_error("suggest", "give what is typed");
    ps_buf_init(&q, 4096);
    cli_join_args(argc, argv, optind, &q);
    if (ps_searcher_open(cli_db_path(db), &s, &err)) {
        cli_error("%s", err.msg);
        ps_buf_fin(&q);
        return EXIT_FAIL;
    }
    if (ps_suggest(s, ps_buf_cstr(&q), PS_ACCESS_SECRET, (unsigned)limit, &sg, &err)) {
        cli_error("%s", err.msg);
        ps_searcher_close(s);
        ps_buf_fin(&q);
        return EXIT_FAIL;
    }
    if (json) {
        ps_buf out;
        ps_buf_init(&out, 0);
        ps_suggestions_json(sg, ps_buf_cstr(&q), &out);
        printf("%s\n", ps_buf_cstr(&out));
        ps_buf_fin(&out);
    } else {
        size_t k;
        for (k = 0; k < sg->n; k++)
            printf("%s  [%s]\n", sg->items[k].text, sg->items[k].id);
    }
    ps_suggestions_free(sg);
    ps_searcher_close(s);
    ps_buf_fin(&q);
    return EXIT_OK;
}
