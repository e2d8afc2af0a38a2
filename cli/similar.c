/*
 * similar.c: `polsearch similar` — the other documents that repeat a
 * document's (or one passage's) sentences, earliest first.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "polsearch/doc.h"
#include "polsearch/search.h"

static const char help[] =
    "usage: polsearch similar [--db DIR] [--json] [--passage N] [--min-coverage X] ID\n"
    "\n"
    "The other documents that repeat the sentences of document ID (its first\n"
    "200 sentences), or of its passage N (the ordinal of search --json's\n"
    "passage), earliest first: a formulation followed through the years.\n"
    "\n"
    "options:\n"
    "  --db DIR            the index (default $POLSEARCH_DB or ./polsearch.db)\n"
    "  --json              JSON (docs/API.md)\n"
    "  --passage N         only the sentences of passage N\n"
    "  --min-coverage X    share of a sentence a repeat must hold, 0.5-1 (default 0.8)\n"
    "  -h, --help          this help\n";

int cmd_similar(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},      {"json", no_argument, NULL, 'j'},
        {"passage", required_argument, NULL, 'p'}, {"min-coverage", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    int json = 0, c, rc = EXIT_OK;
    long ordinal = -1, v;
    double cov = 0.8;
    ps_searcher *s;
    ps_similar_results *r;
    ps_error err;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': json = 1; break;
        case 'p':
            if (ps_parse_long(optarg, 0, 1000000, &v))
                return cli_usage_error("similar", "--passage takes a passage ordinal (0 or more)");
            ordinal = v;
            break;
        case 'c': {
            char *end;
            cov = strtod(optarg, &end);
            if (*end || cov < 0.5 || cov > 1)
                return cli_usage_error("similar", "--min-coverage takes 0.5 to 1");
            break;
        }
        case 'h': fputs(help, stdout); return EXIT_OK;
        default: return cli_bad_option("similar", c, argv);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("similar", "give one document id");
    if (ps_searcher_open(cli_db_path(db), &s, &err)) {
        cli_error("%s", err.msg);
        return EXIT_FAIL;
    }
    if (ps_similar(s, argv[optind], ordinal, PS_ACCESS_SECRET, cov, &r, &err)) {
        cli_error("%s", err.msg);
        ps_searcher_close(s);
        return EXIT_FAIL;
    }
    if (json) {
        ps_buf out;
        ps_buf_init(&out, 0);
        ps_similar_results_json(r, &out);
        printf("%s\n", ps_buf_cstr(&out));
        ps_buf_fin(&out);
    } else {
        size_t i, k;
        printf("%zu sentences of %s%s; repeated in %zu other documents (%.0f ms)\n",
               r->sentences, r->id, ordinal >= 0 ? " (one passage)" : "", r->n, r->took_ms);
        for (i = 0; i < r->n; i++) {
            const ps_similar_hit *h = &r->hits[i];
            printf("\n%s  [%zu sentence%s]\n", h->citation, h->repeated,
                   h->repeated == 1 ? "" : "s");
            for (k = 0; k < h->n_examples; k++)
                printf("   %s%s%s\n", h->examples[k].location && *h->examples[k].location
                                         ? h->examples[k].location : "",
                       h->examples[k].location && *h->examples[k].location ? ": " : "",
                       h->examples[k].match);
        }
    }
    ps_similar_results_free(r);
    ps_searcher_close(s);
    return rc;
}
