/*
 * floor: the analysis floor of indexing -- what it costs only to read a
 * JSON Lines corpus, clean its texts (ps_text_clean: UTF-8 repair, NFC,
 * line ends) and segment them with the analyzer (ps_analyzer_next over
 * every token: ICU word break, canonical term, fold), with no index.
 * The floor segments with ICU alone (ps_analyzer_set_fast(a, 0)), as
 * issue 6 defines it; each text is then segmented once more the way the
 * indexer does, with the analyzer's fast path for plain words, and that
 * time is printed beside it (analyze_fast_s).
 *
 *   floor [FILE.jsonl]
 *
 * An indexer cannot go faster than this on one core; bench/run-index.sh
 * prints polsearch's indexing time as a multiple of it (the target of
 * issue 6: within 2x). Times are CPU seconds of this process (run it
 * under taskset -c 0, as the indexer is); MB are 10^6 bytes of the text
 * fields. Prints one line of key=value pairs:
 *
 *   floor docs=230 text_bytes=25486099 tokens=... read_s=... clean_s=...
 *         analyze_s=... seconds=... mb_s=... analyze_fast_s=... fast_tokens=...
 *
 * The default file is $POLSEARCH_SHARED_DATA/corpus.jsonl, else
 * ../shared/data/corpus.jsonl.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "polsearch/text.h"
#include "polsearch/util.h"

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Segments text with a, adding its tokens and CPU seconds; 1 on error. */
static int segment(ps_analyzer *a, const ps_buf *text, size_t *tokens, double *secs)
{
    ps_token tok;
    ps_error err;
    double t = cpu_now();
    if (ps_analyzer_start(a, text->data ? text->data : "", text->len, 0, &err)) {
        fprintf(stderr, "floor: %s\n", err.msg);
        return 1;
    }
    while (ps_analyzer_next(a, &tok) == 1)
        (*tokens)++;
    *secs += cpu_now() - t;
    return 0;
}

int main(int argc, char **argv)
{
    const char *env = getenv("POLSEARCH_SHARED_DATA");
    char def[4096];
    const char *path = argc > 1 ? argv[1] : def;
    char *line = NULL;
    size_t cap = 0, docs = 0, text_bytes = 0, tokens = 0, fast_tokens = 0;
    double t_read = 0, t_clean = 0, t_analyze = 0, t_fast = 0, t;
    ssize_t n;
    ps_analyzer *a, *fast;
    ps_error err;
    ps_buf clean;
    FILE *f;

    if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
        fprintf(stderr, "usage: floor [FILE.jsonl]\n");
        return 2;
    }
    snprintf(def, sizeof def, "%s/corpus.jsonl", env && *env ? env : "../shared/data");
    if (!(f = fopen(path, "r"))) {
        fprintf(stderr, "floor: cannot open %s\n", path);
        return 1;
    }
    if (ps_analyzer_new(&a, &err) || ps_analyzer_new(&fast, &err)) {
        fprintf(stderr, "floor: %s\n", err.msg);
        return 1;
    }
    ps_analyzer_set_fast(a, 0);
    ps_buf_init(&clean, 0);
    for (;;) {
        json_error_t je;
        json_t *o, *text;
        t = cpu_now();
        if ((n = getline(&line, &cap, f)) <= 0)
            break;
        o = json_loadb(line, (size_t)n, 0, &je);
        text = json_object_get(o, "text");
        t_read += cpu_now() - t;
        if (!json_is_string(text)) {
            json_decref(o);
            continue;
        }
        docs++;
        text_bytes += json_string_length(text);

        t = cpu_now();
        ps_buf_reset(&clean);
        if (ps_text_clean(json_string_value(text), json_string_length(text), &clean, NULL,
                          &err)) {
            fprintf(stderr, "floor: %s\n", err.msg);
            return 1;
        }
        t_clean += cpu_now() - t;

        if (segment(a, &clean, &tokens, &t_analyze) || segment(fast, &clean, &fast_tokens, &t_fast))
            return 1;
        json_decref(o);
    }
    fclose(f);
    free(line);
    ps_buf_fin(&clean);
    ps_analyzer_free(a);
    ps_analyzer_free(fast);
    t = t_read + t_clean + t_analyze;
    printf("floor docs=%zu text_bytes=%zu tokens=%zu read_s=%.3f clean_s=%.3f analyze_s=%.3f "
           "seconds=%.3f mb_s=%.1f analyze_fast_s=%.3f fast_tokens=%zu\n",
           docs, text_bytes, tokens, t_read, t_clean, t_analyze, t,
           t > 0 ? (double)text_bytes / 1e6 / t : 0.0, t_fast, fast_tokens);
    return 0;
}
