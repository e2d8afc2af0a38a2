/*
 * scale: writes a bigger corpus made from the real one, for measuring how
 * indexing and queries grow with size (bench/run-scale.sh).
 *
 *   scale (--factor F | --mb N) [--seed S] [--data DIR] [--out FILE]
 *         [--index-dir DIR] [--no-disk-check]
 *
 * Reads DIR/corpus.jsonl (default $POLSEARCH_SHARED_DATA, else
 * ../shared/data), cuts every law into its preamble and articles (the
 * rules of bench/peer.h) and writes new laws as JSON Lines until the text
 * reaches F times the real corpus's text (or N MB, 10^6 bytes):
 *
 *   - each new law copies a real law picked at random (its preamble:
 *     title, header, "Căn cứ ..."; its type, issuer, date and its number
 *     of articles), so the header formats and the spread of lengths stay
 *     those of real laws;
 *   - its articles are drawn at random from all the articles of all the
 *     laws and renumbered Điều 1, 2, ... in the new law, so terms, their
 *     frequencies and article lengths stay realistic while no law is a
 *     copy of a real one; the last article is the copied law's own last
 *     one (entry into force, then the signature block), as the last
 *     article of every law holds the signature, which a parser takes as
 *     the end of the articles;
 *   - new ids ("scale-S-K": seed, sequence) and new numbers
 *     ("K/YEAR/QH-S", written into the preamble in place of the copied
 *     law's number), so numbers stay unique.
 *
 * The output is the same for the same seed and corpus. Before writing,
 * the free space of the output's file system (statvfs, what df reads) must
 * hold the corpus plus its index (about 4 times the text for polsearch,
 * see docs/BENCH.md), or of both file systems when --index-dir is on
 * another; otherwise scale refuses (exit 1) and says how much is missing.
 * A summary goes to stderr:
 *   scale docs=... articles=... text_bytes=... bytes=... seconds=...
 */
#include <stdint.h>
#include <sys/statvfs.h>

#include "peer.h"

/* Index bytes per text byte to reserve; polsearch's index measured at
 * 4.1x the text on the shared corpus (bench/run-index.sh). */
#define INDEX_FACTOR 4.0

/* splitmix64: small, fast, and the same everywhere (rand() is not). */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static size_t pick(uint64_t *state, size_t n)
{
    return (size_t)(next_random(state) % n);
}

/* Free bytes for an unprivileged writer on dir's file system; -1 on error. */
static double free_bytes(const char *dir, unsigned long *fsid)
{
    struct statvfs st;
    if (statvfs(dir, &st) != 0)
        return -1;
    *fsid = st.f_fsid;
    return (double)st.f_bavail * (double)st.f_frsize;
}

/* Whether the corpus (to out's folder) and its index (to index_dir) fit. */
static int check_disk(const char *out, const char *index_dir, double text)
{
    char dir[4096];
    const char *slash = out ? strrchr(out, '/') : NULL;
    unsigned long fs_out = 0, fs_index = 0;
    double need_out = text * 1.02, need_index = text * INDEX_FACTOR, free_out, free_index;
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - out) ? (int)(slash - out) : 1, out);
    else
        snprintf(dir, sizeof dir, ".");
    free_out = free_bytes(dir, &fs_out);
    free_index = free_bytes(index_dir ? index_dir : dir, &fs_index);
    if (free_out < 0 || free_index < 0) {
        fprintf(stderr, "scale: cannot read the free space of %s: %s\n", dir, strerror(errno));
        return -1;
    }
    if (fs_out == fs_index)
        need_out += need_index;
    if (free_out < need_out || (fs_out != fs_index && free_index < need_index)) {
        fprintf(stderr,
                "scale: refused: %.0f MB of text needs %.0f MB for the corpus and about "
                "%.0f MB for its index; free: %.0f MB in %s",
                text / 1e6, text * 1.02 / 1e6, need_index / 1e6, free_out / 1e6, dir);
        if (fs_out != fs_index)
            fprintf(stderr, ", %.0f MB in %s", free_index / 1e6, index_dir);
        fputc('\n', stderr);
        return -1;
    }
    return 0;
}

/* Appends s[0..n) with the first "Điều <digits>" renumbered to num. */
static void add_renumbered(ps_buf *b, const char *s, size_t n, size_t num)
{
    size_t k = sizeof PEER_DIEU - 1, d = 0;
    char digits[24];
    while (k + d < n && s[k + d] >= '0' && s[k + d] <= '9')
        d++;
    snprintf(digits, sizeof digits, "%zu", num);
    ps_buf_add(b, s, k);
    ps_buf_adds(b, digits);
    ps_buf_add(b, s + k + d, n - k - d);
    if (n && s[n - 1] != '\n')
        ps_buf_addc(b, '\n');
}

/* Appends s[0..n) with every occurrence of from replaced by to. */
static void add_replaced(ps_buf *b, const char *s, size_t n, const char *from, const char *to)
{
    size_t fl = strlen(from);
    while (fl && n >= fl) {
        const char *hit = memmem(s, n, from, fl);
        if (!hit)
            break;
        ps_buf_add(b, s, (size_t)(hit - s));
        ps_buf_adds(b, to);
        n -= (size_t)(hit - s) + fl;
        s = hit + fl;
    }
    ps_buf_add(b, s, n);
}

typedef struct law_meta {
    char *number, *type, *issuer, *date;
    size_t first_unit, n_articles; /* its units in the corpus */
    size_t last_article;           /* unit of its last article (the signature) */
    int has_preamble;
} law_meta;

static char *field(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return strdup(s ? s : "");
}

/* The metadata peer_corpus_load does not keep, in file order. */
static law_meta *read_meta(const char *path, const peer_corpus *c)
{
    FILE *f = fopen(path, "r");
    law_meta *m = calloc(c->n_docs ? c->n_docs : 1, sizeof *m);
    char *line = NULL;
    size_t cap = 0, d = 0, u = 0;
    if (!f || !m) {
        if (f)
            fclose(f);
        free(m);
        return NULL;
    }
    while (d < c->n_docs && getline(&line, &cap, f) > 0) {
        json_error_t je;
        json_t *o = json_loads(line, 0, &je);
        if (!o || !json_is_string(json_object_get(o, "text"))) {
            json_decref(o);
            continue;
        }
        m[d].number = field(o, "number");
        m[d].type = field(o, "type");
        m[d].issuer = field(o, "issuer");
        m[d].date = field(o, "date");
        json_decref(o);
        m[d].first_unit = u;
        while (u < c->n_units && c->units[u].doc == d) {
            if (c->units[u].article[0]) {
                m[d].n_articles++;
                m[d].last_article = u;
            } else
                m[d].has_preamble = 1;
            u++;
        }
        d++;
    }
    free(line);
    fclose(f);
    return m;
}

static void usage(void)
{
    fprintf(stderr, "usage: scale (--factor F | --mb N) [--seed S] [--data DIR] [--out FILE]\n"
                    "             [--index-dir DIR] [--no-disk-check]\n");
}

int main(int argc, char **argv)
{
    const char *env = getenv("POLSEARCH_SHARED_DATA");
    const char *data = env && *env ? env : "../shared/data", *out = NULL, *index_dir = NULL;
    double factor = 0, mb = 0, target, t0 = ps_now();
    uint64_t seed = 1, state;
    int disk_check = 1;
    char path[4096];
    peer_corpus c;
    law_meta *meta;
    size_t *articles, n_articles = 0, docs = 0, arts = 0, text = 0, bytes = 0;
    ps_buf b;
    FILE *f;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        if (strcmp(a, "--no-disk-check") == 0) {
            disk_check = 0;
            continue;
        }
        if (!v) {
            usage();
            return 2;
        }
        i++;
        if (strcmp(a, "--factor") == 0)
            factor = strtod(v, &end);
        else if (strcmp(a, "--mb") == 0)
            mb = strtod(v, &end);
        else if (strcmp(a, "--seed") == 0)
            seed = strtoull(v, &end, 10);
        else if (strcmp(a, "--data") == 0)
            data = v;
        else if (strcmp(a, "--out") == 0)
            out = v;
        else if (strcmp(a, "--index-dir") == 0)
            index_dir = v;
        else {
            usage();
            return 2;
        }
        if (end && (*end || end == v)) {
            fprintf(stderr, "scale: %s: not a number: %s\n", a, v);
            return 2;
        }
    }
    if ((factor > 0) == (mb > 0) || factor > 100000 || mb > 1e8) {
        usage();
        return 2;
    }
    snprintf(path, sizeof path, "%s/corpus.jsonl", data);
    if (peer_corpus_load(path, &c) || !(meta = read_meta(path, &c)))
        return 1;
    target = factor > 0 ? factor * (double)c.text_bytes : mb * 1e6;
    if (disk_check && check_disk(out, index_dir, target))
        return 1;
    if (!(articles = malloc((c.n_units ? c.n_units : 1) * sizeof *articles)))
        return 1;
    /* the pool: every article but the last of each law */
    for (size_t u = 0; u < c.n_units; u++)
        if (c.units[u].article[0] && u != meta[c.units[u].doc].last_article)
            articles[n_articles++] = u;
    if (!n_articles) {
        fprintf(stderr, "scale: no articles in %s\n", path);
        return 1;
    }
    if (!(f = out ? fopen(out, "w") : stdout)) {
        fprintf(stderr, "scale: cannot write %s: %s\n", out, strerror(errno));
        return 1;
    }

    state = seed;
    ps_buf_init(&b, 0);
    while ((double)text < target) {
        size_t t = pick(&state, c.n_docs), n = meta[t].n_articles;
        char id[64], number[96], *s;
        json_t *o;
        ps_buf_reset(&b);
        snprintf(id, sizeof id, "scale-%llu-%zu", (unsigned long long)seed, docs + 1);
        snprintf(number, sizeof number, "%zu/%.4s/QH-S%llu", docs + 1,
                 strlen(meta[t].date) >= 4 ? meta[t].date : "2000", (unsigned long long)seed);
        if (meta[t].has_preamble) {
            const peer_unit *p = &c.units[meta[t].first_unit];
            add_replaced(&b, p->text, p->len, meta[t].number, number);
            if (p->len && p->text[p->len - 1] != '\n')
                ps_buf_addc(&b, '\n');
        }
        for (size_t k = 1; k <= n; k++) {
            const peer_unit *a = &c.units[k < n ? articles[pick(&state, n_articles)]
                                                : meta[t].last_article];
            add_renumbered(&b, a->text, a->len, k);
        }
        o = json_object();
        json_object_set_new(o, "id", json_string(id));
        json_object_set_new(o, "title", json_string(c.docs[t].title));
        json_object_set_new(o, "number", json_string(number));
        json_object_set_new(o, "type", json_string(meta[t].type));
        json_object_set_new(o, "issuer", json_string(meta[t].issuer));
        json_object_set_new(o, "date", json_string(meta[t].date));
        json_object_set_new(o, "text", json_stringn(b.data ? b.data : "", b.len));
        s = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        if (!s || fputs(s, f) == EOF || fputc('\n', f) == EOF) {
            fprintf(stderr, "scale: write failed: %s\n", strerror(errno));
            return 1;
        }
        bytes += strlen(s) + 1;
        free(s);
        text += b.len;
        arts += n;
        docs++;
    }
    if ((out && fclose(f) != 0) || (!out && fflush(f) != 0)) {
        fprintf(stderr, "scale: write failed: %s\n", strerror(errno));
        return 1;
    }
    fprintf(stderr, "scale docs=%zu articles=%zu text_bytes=%zu bytes=%zu seconds=%.1f\n", docs,
            arts, text, bytes, ps_now() - t0);
    ps_buf_fin(&b);
    free(articles);
    for (size_t d = 0; d < c.n_docs; d++) {
        free(meta[d].number);
        free(meta[d].type);
        free(meta[d].issuer);
        free(meta[d].date);
    }
    free(meta);
    peer_corpus_free(&c);
    return 0;
}
