/*
 * kwic.c: `polsearch kwic` — every use of a phrase across the index,
 * aligned in context, earliest first, with counts per year.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "polsearch/doc.h"
#include "polsearch/search.h"

static const char help[] =
    "usage: polsearch kwic [--db DIR] [options] PHRASE...\n"
    "\n"
    "Every occurrence of PHRASE (its words in order, diacritics optional)\n"
    "with its left and right context aligned, the document, date and\n"
    "location of each, streamed as found; then the count per year.\n"
    "\n"
    "options:\n"
    "  --db DIR          the index (default $POLSEARCH_DB or ./polsearch.db)\n"
    "  --sort S          date (default: earliest use first), -date, or doc\n"
    "                    (index order)\n"
    "  --context N       characters of context on each side (default 60, max 400)\n"
    "  --limit N         stop after N occurrences (default: all)\n"
    "  --json            JSON Lines: one object per occurrence, then a summary\n"
    "                    object with the counts per year\n"
    "  --type T          only documents of this type\n"
    "  --from, --to D    only documents dated within (YYYY, YYYY-MM, YYYY-MM-DD)\n"
    "  -h, --help        this help\n";

typedef struct out_ctx {
    int json;
    size_t width;   /* characters of left context shown */
    int tty;        /* bold matches on a terminal */
    ps_buf buf;
} out_ctx;

/* Number of characters (code points) of a UTF-8 string. */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* The last `keep` characters of s. */
static const char *tail_chars(const char *s, size_t keep)
{
    size_t n = chars(s);
    while (n > keep && *s) {
        s++;
        while (*s && ((unsigned char)*s & 0xC0) == 0x80)
            s++;
        n--;
    }
    return s;
}

static int on_line(void *vctx, const ps_kwic_line *l)
{
    out_ctx *c = vctx;
    if (c->json) {
        ps_buf_reset(&c->buf);
        ps_kwic_line_json(l, &c->buf);
        printf("%s\n", ps_buf_cstr(&c->buf));
    } else {
        const char *left = tail_chars(l->left, c->width);
        size_t pad = c->width - chars(left);
        printf("%*s%s%s%s%s%s  [%s %s, %s%s%s]\n", (int)pad, "", left, c->tty ? "\033[1m" : "",
               l->match, c->tty ? "\033[0m" : "", l->right, l->number ? l->number : l->id,
               l->date ? l->date : "", l->path, l->number ? "; " : "", l->number ? l->id : "");
    }
    return ferror(stdout) ? 1 : 0;
}

static int kwic_main(int argc, char **argv, char ***argsp)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},      {"sort", required_argument, NULL, 's'},
        {"context", required_argument, NULL, 'c'}, {"limit", required_argument, NULL, 'l'},
        {"json", no_argument, NULL, 'j'},          {"type", required_argument, NULL, 't'},
        {"from", required_argument, NULL, 'F'},    {"to", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    int c, rc = EXIT_OK;
    long v;
    ps_kwic_opts o;
    ps_kwic_stats st;
    ps_searcher *s;
    ps_error err;
    ps_buf q;
    out_ctx oc;
    char **args;

    ps_kwic_opts_default(&o);
    o.access = PS_ACCESS_SECRET; /* the CLI on a local index is trusted */
    memset(&oc, 0, sizeof oc);
    if (!(args = cli_split_options(&argc, argv, longopts)))
        return cli_usage_error("kwic", "out of memory");
    *argsp = args;
    argv = args;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 's':
            if (strcmp(optarg, "date") == 0) o.sort = PS_KWIC_DATE;
            else if (strcmp(optarg, "-date") == 0) o.sort = PS_KWIC_DATE_DESC;
            else if (strcmp(optarg, "doc") == 0) o.sort = PS_KWIC_DOC;
            else return cli_usage_error("kwic", "--sort takes date, -date or doc");
            break;
        case 'c':
            if (ps_parse_long(optarg, 1, 400, &v))
                return cli_usage_error("kwic", "--context takes 1 to 400");
            o.context = (size_t)v;
            break;
        case 'l':
            if (ps_parse_long(optarg, 1, 100000000L, &v))
                return cli_usage_error("kwic", "--limit takes a positive number");
            o.max = (uint64_t)v;
            break;
        case 'j': oc.json = 1; break;
        case 't': o.type = optarg; break;
        case 'F': o.from = optarg; break;
        case 'T': o.to = optarg; break;
        case 'h': fputs(help, stdout); return EXIT_OK;
        default: return cli_bad_option("kwic", c, argv);
        }
    }
    if (optind >= argc)
        return cli_usage_error("kwic", "give a phrase");
    if (ps_searcher_open(cli_db_path(db), &s, &err)) {
        cli_error("%s", err.msg);
        return EXIT_FAIL;
    }
    ps_buf_init(&q, 0);
    cli_join_args(argc, argv, optind, &q);
    o.phrase = ps_buf_cstr(&q);
    oc.width = o.context;
    oc.tty = isatty(1);
    ps_buf_init(&oc.buf, 0);
    if (ps_kwic(s, &o, on_line, &oc, &st, &err)) {
        cli_error("%s", err.msg);
        rc = EXIT_FAIL;
    } else if (oc.json) {
        ps_buf_reset(&oc.buf);
        ps_kwic_stats_json(&st, o.phrase, &oc.buf);
        printf("%s\n", ps_buf_cstr(&oc.buf));
    } else {
        size_t k;
        printf("\n%llu occurrences in %llu passages of %llu documents (%.1f ms, first after "
               "%.1f ms)%s\n",
               (unsigned long long)st.lines, (unsigned long long)st.passages,
               (unsigned long long)st.documents, st.took_ms, st.first_ms,
               st.truncated ? ", stopped at --limit" : "");
        for (k = 0; k < st.n_years; k++)
            printf("%s%d: %llu", k ? "  " : "by year: ", st.years[k].year,
                   (unsigned long long)st.years[k].count);
        if (st.n_years)
            printf("\n");
    }
    ps_kwic_stats_fin(&st);
    ps_buf_fin(&oc.buf);
    ps_buf_fin(&q);
    ps_searcher_close(s);
    return rc;
}

int cmd_kwic(int argc, char **argv)
{
    char **args = NULL;
    int rc = kwic_main(argc, argv, &args);
    free(args);
    return rc;
}
