/* analyze: prints the analyzer's tokens for each input line (golden tests).
 *
 *   analyze [-c] < lines
 * Each line is cleaned (ps_text_clean) and analysed; the output is one
 * line per input line: term|fold@start-end{flags} for each token, where
 * flags are b (break before), n (newline), s (sentence), C (capital),
 * A (all caps), # (number). With -c, the cleaned text is printed too. */
#include <stdio.h>
#include <string.h>

#include "polsearch/text.h"

int main(int argc, char **argv)
{
    ps_analyzer *a;
    ps_error err;
    char line[65536];
    int show_clean = argc > 1 && strcmp(argv[1], "-c") == 0;

    if (ps_analyzer_new(&a, &err)) {
        fprintf(stderr, "analyze: %s\n", err.msg);
        return 1;
    }
    while (fgets(line, sizeof line, stdin)) {
        size_t n = strlen(line);
        ps_buf clean;
        ps_token t;
        int first = 1;
        if (n && line[n - 1] == '\n')
            line[--n] = '\0';
        ps_buf_init(&clean, 0);
        if (ps_text_clean(line, n, &clean, NULL, &err)) {
            fprintf(stderr, "analyze: %s\n", err.msg);
            return 1;
        }
        if (show_clean)
            printf("%s\n", ps_buf_cstr(&clean));
        ps_analyzer_start(a, clean.data, clean.len, 0, &err);
        while (ps_analyzer_next(a, &t)) {
            printf("%s%s|%s@%zu-%zu", first ? "" : " ", t.term, t.fold, t.start, t.end);
            if (t.flags & (PS_TOK_BREAK | PS_TOK_CAPITAL | PS_TOK_ALLCAPS | PS_TOK_NUMBER)) {
                printf("{");
                if (t.flags & PS_TOK_BREAK) printf("b");
                if (t.flags & PS_TOK_NEWLINE) printf("n");
                if (t.flags & PS_TOK_SENTENCE) printf("s");
                if (t.flags & PS_TOK_CAPITAL) printf("C");
                if (t.flags & PS_TOK_ALLCAPS) printf("A");
                if (t.flags & PS_TOK_NUMBER) printf("#");
                printf("}");
            }
            first = 0;
        }
        printf("\n");
        ps_buf_fin(&clean);
    }
    ps_analyzer_free(a);
    return 0;
}
