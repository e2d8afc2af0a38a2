/*
 * main.c: `polsearch`, the one command-line entry point: dispatches to
 * the subcommands.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "polsearch/util.h"
#include "xapian-c/xc.h"

#define POLSEARCH_VERSION "0.1.0"

static const char usage[] =
    "usage: polsearch <command> [options] [arguments]\n"
    "\n"
    "Full-text search for Vietnamese Party and State documents.\n"
    "\n"
    "commands:\n"
    "  index   add documents (folders of text, HTML, Word, PDF ...; JSON Lines)\n"
    "  search  ranked search; --json for scripts, --batch for many queries\n"
    "  show    a document's metadata, structure and text\n"
    "  serve   the HTTP API and the web page (polsearchd)\n"
    "  suggest completions of what is typed (titles, numbers)\n"
    "  cite    where a quote comes from, with the citation to paste\n"
    "  kwic    every use of a phrase in context, earliest first, counts per year\n"
    "  similar the other documents that repeat a document's sentences\n"
    "\n"
    "Run `polsearch <command> --help` for a command's options.\n"
    "The index is --db DIR, else $POLSEARCH_DB, else ./polsearch.db.\n";

const char *cli_db_path(const char *flag)
{
    const char *env;
    if (flag && *flag)
        return flag;
    env = getenv("POLSEARCH_DB");
    if (env && *env)
        return env;
    return "polsearch.db";
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("polsearch: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "polsearch %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry `polsearch %s --help`.\n", cmd);
    return EXIT_USAGE;
}

int cli_each_line(const char *file, int (*fn)(void *ctx, char *line, size_t len), void *ctx)
{
    FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int failed = 0;
    if (!f) {
        cli_error("cannot open %s", file);
        return EXIT_FAIL;
    }
    while ((n = getline(&line, &cap, f)) > 0) {
        int r;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        r = fn(ctx, line, (size_t)n);
        if (r < 0)
            break;
        failed += r;
    }
    free(line);
    if (f != stdin)
        fclose(f);
    fflush(stdout);
    return failed ? EXIT_FAIL : EXIT_OK;
}

void cli_join_args(int argc, char **argv, int from, ps_buf *out)
{
    int i;
    for (i = from; i < argc; i++) {
        if (i > from)
            ps_buf_addc(out, ' ');
        ps_buf_adds(out, argv[i]);
    }
}

int cli_bad_option(const char *cmd, int c, char **argv)
{
    const char *opt = optind > 0 ? argv[optind - 1] : "?";
    if (c == ':')
        return cli_usage_error(cmd, "%s needs a value", opt);
    if (optopt && optopt != '?')
        return cli_usage_error(cmd, "unknown option -%c", optopt);
    return cli_usage_error(cmd, "unknown option %s", opt);
}

/* The long option named by arg ("--limit" or "--limit=5"), or NULL. */
static const struct option *find_long(const struct option *o, const char *arg)
{
    size_t n;
    if (strncmp(arg, "--", 2) != 0)
        return NULL;
    arg += 2;
    n = strcspn(arg, "=");
    for (; o->name; o++)
        if (strlen(o->name) == n && strncmp(o->name, arg, n) == 0)
            return o;
    return NULL;
}

char **cli_split_options(int *argcp, char **argv, const struct option *longopts)
{
    int argc = *argcp, i, no = 0, nr = 0, k = 1;
    char **out = calloc((size_t)argc + 2, sizeof *out);
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    if (!out || !rest) {
        free(out);
        free(rest);
        return NULL;
    }
    out[0] = argv[0];
    for (i = 1; i < argc; i++) {
        const struct option *o = find_long(longopts, argv[i]);
        if (strcmp(argv[i], "--") == 0) {
            for (i++; i < argc; i++)
                rest[nr++] = argv[i];
            break;
        }
        if (o) {
            out[k++] = argv[i];
            no++;
            if (o->has_arg == required_argument && !strchr(argv[i], '=') && i + 1 < argc)
                out[k++] = argv[++i];
        } else if (strcmp(argv[i], "-h") == 0 ||
                   (strncmp(argv[i], "--", 2) == 0 && argv[i][2])) {
            out[k++] = argv[i]; /* help, or an unknown --flag getopt reports */
        } else {
            rest[nr++] = argv[i];
        }
    }
    out[k++] = "--";
    for (i = 0; i < nr; i++)
        out[k++] = rest[i];
    out[k] = NULL;
    free(rest);
    *argcp = k;
    (void)no;
    return out;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {
        {"index", cmd_index},
        {"search", cmd_search},
        {"show", cmd_show},
        {"serve", cmd_serve},
        {"suggest", cmd_suggest},
        {"cite", cmd_cite},
        {"kwic", cmd_kwic},
        {"similar", cmd_similar},
    };
    size_t i;
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("polsearch %s (Xapian %s)\n", POLSEARCH_VERSION, xc_version());
        return EXIT_OK;
    }
    for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(argv[1], cmds[i].name) == 0)
            return cmds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "polsearch: unknown command '%s'\n\n%s", argv[1], usage);
    return EXIT_USAGE;
}
