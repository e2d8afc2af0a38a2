/* parsequery: prints ps_query_describe() of each input line (golden
 * tests of the query language). */
#include <stdio.h>
#include <string.h>

#include "polsearch/search.h"

int main(void)
{
    ps_analyzer *a;
    ps_error err;
    char line[65536];
    if (ps_analyzer_new(&a, &err)) {
        fprintf(stderr, "parsequery: %s\n", err.msg);
        return 1;
    }
    while (fgets(line, sizeof line, stdin)) {
        size_t n = strlen(line);
        ps_query *q;
        ps_buf out;
        if (n && line[n - 1] == '\n')
            line[--n] = '\0';
        if (ps_query_parse(a, line, n, &q, &err)) {
            printf("error: %s\n", err.msg);
            continue;
        }
        ps_buf_init(&out, 0);
        ps_query_describe(q, &out);
        printf("%s\n", ps_buf_cstr(&out));
        ps_buf_fin(&out);
        ps_query_free(q);
    }
    ps_analyzer_free(a);
    return 0;
}
