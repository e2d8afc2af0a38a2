/*
 * cli.h: what the programs of polsearch share: the subcommands' entry
 * points (each one a `polsearch SUBCOMMAND`), exit codes and the database
 * path rule. indexer/ and searchd/ implement their subcommands here.
 */
#ifndef POLSEARCH_CLI_H
#define POLSEARCH_CLI_H

#include <stdio.h>

#define EXIT_OK 0
#define EXIT_FAIL 1   /* an error other than usage, reason on stderr */
#define EXIT_USAGE 2  /* bad flags or arguments */

/* --db, else $POLSEARCH_DB, else ./polsearch.db. Static or borrowed. */
const char *cli_db_path(const char *flag);

/* Prints "polsearch: " + message to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Usage error: prints the message and a pointer to --help; returns
 * EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A new argv with the options in longopts (and their values) first, then
 * "--", then every other argument in its order, so options may follow the
 * query and query words that start with '-' ("-hóa") stay query words.
 * Updates *argc. Caller frees the array (not the strings) with free();
 * NULL when out of memory. */
/* Calls fn for each line of file ("-": standard input), without its line
 * end; stops when fn returns non-zero. Returns EXIT_FAIL when the file
 * cannot be opened, else fn's count of failures as EXIT_FAIL/EXIT_OK. */
int cli_each_line(const char *file, int (*fn)(void *ctx, char *line, size_t len), void *ctx);

/* Appends argv[from..argc) joined by spaces (a query typed as words). */
struct ps_buf;
void cli_join_args(int argc, char **argv, int from, struct ps_buf *out);

/* The usage error for what getopt_long returned as c ('?' unknown, ':'
 * missing value), naming the option; returns EXIT_USAGE. */
int cli_bad_option(const char *cmd, int c, char **argv);

struct option;
char **cli_split_options(int *argc, char **argv, const struct option *longopts);

int cmd_index(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_suggest(int argc, char **argv);
int cmd_cite(int argc, char **argv);
int cmd_kwic(int argc, char **argv);
int cmd_similar(int argc, char **argv);
int cmd_serve(int argc, char **argv);

#endif
