/*
 * index.c: `polsearch index` — folders of documents and JSON Lines files
 * into the index, incrementally.
 *
 * A file is re-read only when its size or modification time changed, and
 * re-indexed only when its content hash changed; a JSON Lines record only
 * when its line changed. Documents whose source vanished from a folder or
 * file given on this run are removed. A file that cannot be read is
 * reported with the reason and skipped; the run goes on.
 */
#include <dirent.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "polsearch/doc.h"
#include "polsearch/extract.h"
#include "polsearch/index.h"
#include "xapian-c/xc.h"

#define JSONL_MAX_LINE ((size_t)256 << 20)

static const char help[] =
    "usage: polsearch index [--db DIR] [options] PATH...\n"
    "\n"
    "Adds documents to the index, or updates them. PATH is a folder (read\n"
    "recursively: .txt .md .html .htm .docx .odt .pdf .doc .rtf), a single\n"
    "file, or a JSON Lines file (.jsonl: one\n"
    "object a line with id, text and optionally title, number, type, issuer,\n"
    "date, signer, access). A file's id is its path relative to the folder\n"
    "given, or its own name when the file itself is given; a record's id is\n"
    "its \"id\". Unchanged documents are skipped; documents whose file vanished\n"
    "from a given folder are removed.\n"
    "\n"
    "options:\n"
    "  --db DIR            the index (default $POLSEARCH_DB or ./polsearch.db)\n"
    "  --flush-mb N        commit every N MB of text (default 4): bounds memory\n"
    "  --segment-mb N      a new index is built in segments of N MB of text\n"
    "                      (default 256; 0: one database), merged at the end\n"
    "  --full              re-index every document, changed or not\n"
    "  --no-sync           do not fsync commits (faster bulk loads)\n"
    "  --shards N          split the index into N shards (DIR/shard-NN, named by\n"
    "                      DIR/shards.stub), built by N processes at once; a\n"
    "                      document's shard comes from a hash of its id\n"
    "  --compact           compact the index (each shard) when done\n"
    "  -q, --quiet         no progress bar and no summary\n"
    "  -h, --help          this help\n"
    "\n"
    "Exit status: 0 when every file was indexed, 1 when some failed (each is\n"
    "named on stderr) or the index could not be written, 2 on usage errors.\n";

/* ---- what the index already holds ---------------------------------- */

typedef struct known {
    char *id;
    char *source;
    ps_source_sig sig;
    int seen;
} known;

typedef struct known_table {
    known *slots;
    size_t cap, n;
} known_table;

static size_t slot_of(const known_table *t, const char *id)
{
    size_t i = (size_t)ps_hash64(id, strlen(id)) & (t->cap - 1);
    while (t->slots[i].id && strcmp(t->slots[i].id, id) != 0)
        i = (i + 1) & (t->cap - 1);
    return i;
}

static int known_put(known_table *t, const char *id, const char *source,
                     const ps_source_sig *sig)
{
    size_t i;
    if ((t->n + 1) * 2 > t->cap) {
        known_table nt;
        size_t k;
        nt.cap = t->cap ? t->cap * 2 : 1024;
        nt.n = 0;
        nt.slots = ps_calloc(nt.cap, sizeof *nt.slots);
        if (!nt.slots)
            return -1;
        for (k = 0; k < t->cap; k++)
            if (t->slots[k].id)
                nt.slots[slot_of(&nt, t->slots[k].id)] = t->slots[k];
        nt.n = t->n;
        ps_free(t->slots);
        *t = nt;
    }
    i = slot_of(t, id);
    if (!t->slots[i].id) {
        t->slots[i].id = ps_strdup(id);
        t->slots[i].source = ps_strdup(source);
        if (!t->slots[i].id || !t->slots[i].source)
            return -1;
        t->n++;
    }
    t->slots[i].sig = *sig;
    return 0;
}

static known *known_get(known_table *t, const char *id)
{
    size_t i;
    if (!t->cap)
        return NULL;
    i = slot_of(t, id);
    return t->slots[i].id ? &t->slots[i] : NULL;
}

static void known_free(known_table *t)
{
    size_t i;
    for (i = 0; i < t->cap; i++) {
        ps_free(t->slots[i].id);
        ps_free(t->slots[i].source);
    }
    ps_free(t->slots);
}

static int collect_known(void *ctx, const char *id, const char *source,
                         const ps_source_sig *sig)
{
    return known_put(ctx, id, source, sig) ? PS_ENOMEM : 0;
}

/* ---- the run -------------------------------------------------------- */

typedef struct run {
    ps_writer *w;
    int shard, nshards;  /* this process indexes ids with hash % nshards == shard */
    known_table known;
    int full;
    int quiet;
    int tty;
    size_t files_total, files_done;
    uint64_t bytes_read;
    size_t added, unchanged, removed, failed, empty;
    double t0, last_draw;
} run;

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void progress(run *r, int force)
{
    double now = ps_now(), el;
    int width = 30, filled;
    if (!r->tty || r->quiet)
        return;
    if (!force && now - r->last_draw < 0.1)
        return;
    r->last_draw = now;
    el = now - r->t0;
    filled = r->files_total ? (int)((double)width * (double)r->files_done / (double)r->files_total)
                            : 0;
    if (filled > width)
        filled = width;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu files  %.1f MB  %.1f MB/s ", filled,
            "==============================", width - filled, "", r->files_done,
            r->files_total, (double)r->bytes_read / 1e6,
            el > 0 ? (double)r->bytes_read / 1e6 / el : 0.0);
    fflush(stderr);
}

/* Whether the text has a letter or digit at all. */
static int has_words(const ps_doc *doc)
{
    size_t i;
    for (i = 0; i < doc->text_len; i++) {
        unsigned char c = (unsigned char)doc->text[i];
        if (c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
            return 1;
    }
    return 0;
}

/* Stores a parsed document, counting it. */
static int store(run *r, ps_doc *doc)
{
    ps_error err;
    if (!has_words(doc)) {
        /* an empty file is not an error, but there is nothing to find */
        if (!r->quiet)
            cli_error("skipping %s: no text", doc->source ? doc->source : doc->id);
        r->empty++;
        /* a document that became empty leaves the index */
        if (ps_writer_delete(r->w, doc->id, &err)) {
            cli_error("%s", err.msg);
            return -1;
        }
        return 0;
    }
    if (ps_doc_parse(doc, &err) || ps_writer_add(r->w, doc, &err)) {
        if (err.code == PS_ENOMEM || err.code == PS_EDB || err.code == PS_EIO) {
            cli_error("%s: %s; stopping, the index keeps its last commit",
                      doc->source ? doc->source : doc->id, err.msg);
            return -1; /* the index itself is in trouble: stop */
        }
        cli_error("skipping %s: %s", doc->source ? doc->source : doc->id, err.msg);
        r->failed++;
        return 0;
    }
    r->added++;
    return 0;
}

/* Whether id belongs to this run's shard (a stable hash of the id). */
static int mine(const run *r, const char *id)
{
    return r->nshards <= 1 || ps_hash64(id, strlen(id)) % (uint64_t)r->nshards == (uint64_t)r->shard;
}

static int index_file(run *r, const char *path, const char *id)
{
    struct stat st;
    known *k;
    ps_doc *doc;
    ps_error err;
    char real[PATH_MAX];
    int rc;

    if (!mine(r, id))
        return 0;
    if (stat(path, &st) != 0) {
        cli_error("skipping %s: %s", path, strerror(errno));
        r->failed++;
        return 0;
    }
    if (!realpath(path, real))
        snprintf(real, sizeof real, "%s", path);
    r->bytes_read += (uint64_t)st.st_size;
    k = known_get(&r->known, id);
    if (k) {
        k->seen = 1;
        if (!r->full && k->sig.size == (int64_t)st.st_size &&
            k->sig.mtime == (int64_t)st.st_mtime && strcmp(k->source, real) == 0) {
            r->unchanged++;
            return 0;
        }
    }
    doc = ps_doc_new();
    if (!doc) {
        cli_error("out of memory");
        return -1;
    }
    doc->id = ps_doc_strdup(doc, id, strlen(id));
    doc->source = ps_doc_strdup(doc, real, strlen(real));
    if (ps_extract_file(path, doc, &err)) {
        cli_error("skipping %s: %s", path, err.msg);
        r->failed++;
        ps_doc_free(doc);
        return 0;
    }
    if (k && !r->full && k->sig.hash == doc->hash && strcmp(k->source, real) == 0) {
        /* touched but unchanged: keep the stored version */
        r->unchanged++;
        ps_doc_free(doc);
        return 0;
    }
    rc = store(r, doc);
    ps_doc_free(doc);
    return rc;
}

static const char *jget(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) && *json_string_value(v) ? json_string_value(v) : NULL;
}

static const char *setf(ps_doc *doc, json_t *o, const char *key)
{
    const char *v = jget(o, key);
    return v ? ps_doc_strdup(doc, v, strlen(v)) : NULL;
}

static int index_jsonl(run *r, const char *path)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;
    char real[PATH_MAX];
    int rc = 0;

    if (!f) {
        cli_error("skipping %s: %s", path, strerror(errno));
        r->failed++;
        return 0;
    }
    if (!realpath(path, real))
        snprintf(real, sizeof real, "%s", path);
    while (!interrupted && (n = getline(&line, &cap, f)) > 0) {
        json_error_t je;
        json_t *o;
        const char *id, *text;
        char idbuf[64];
        uint64_t h;
        known *k;
        ps_doc *doc;
        ps_error err;

        lineno++;
        progress(r, 0);
        if ((size_t)n > JSONL_MAX_LINE) {
            cli_error("skipping %s:%zu: a line of %zd bytes is over the %zu MB limit", path,
                      lineno, n, JSONL_MAX_LINE >> 20);
            r->failed++;
            continue;
        }
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (n == 0)
            continue;
        o = json_loadb(line, (size_t)n, 0, &je);
        if (!o || !json_is_object(o)) {
            cli_error("skipping %s:%zu: not a JSON object (%s)", path, lineno,
                      o ? "another JSON value" : je.text);
            json_decref(o);
            r->failed++;
            continue;
        }
        text = jget(o, "text");
        id = jget(o, "id");
        if (!id) {
            snprintf(idbuf, sizeof idbuf, "line-%zu", lineno);
            id = idbuf;
        }
        if (!mine(r, id)) {
            json_decref(o);
            continue; /* another shard's */
        }
        r->bytes_read += (uint64_t)n;
        if (!text) {
            cli_error("skipping %s:%zu: no \"text\"", path, lineno);
            json_decref(o);
            r->failed++;
            continue;
        }
        h = ps_hash64(line, (size_t)n);
        k = known_get(&r->known, id);
        if (k) {
            k->seen = 1;
            if (!r->full && k->sig.hash == h && strcmp(k->source, real) == 0) {
                r->unchanged++;
                json_decref(o);
                continue;
            }
        }
        doc = ps_doc_new();
        if (!doc) {
            json_decref(o);
            rc = -1;
            break;
        }
        doc->id = ps_doc_strdup(doc, id, strlen(id));
        doc->source = ps_doc_strdup(doc, real, strlen(real));
        doc->format = "jsonl";
        doc->encoding = "UTF-8";
        if (ps_doc_set_text(doc, text, strlen(text), NULL, &err)) {
            cli_error("skipping %s:%zu: %s", path, lineno, err.msg);
            r->failed++;
        } else {
            /* the record's fields win over what the parser would find */
            const char *acc = jget(o, "access");
            doc->meta.title = setf(doc, o, "title");
            doc->meta.number = setf(doc, o, "number");
            doc->meta.type = setf(doc, o, "type");
            doc->meta.issuer = setf(doc, o, "issuer");
            doc->meta.date = setf(doc, o, "date");
            doc->meta.signer = setf(doc, o, "signer");
            doc->meta.signer_title = setf(doc, o, "signer_title");
            doc->meta.place = setf(doc, o, "place");
            doc->meta.effective_date = setf(doc, o, "effective_date");
            if (acc && ps_access_parse(acc) >= 0)
                doc->meta.access = ps_access_parse(acc);
            doc->size = (int64_t)n;
            doc->hash = h;
            rc = store(r, doc);
        }
        ps_doc_free(doc);
        json_decref(o);
        if (rc)
            break;
    }
    free(line);
    fclose(f);
    return rc;
}

static int has_ext(const char *p, const char *ext)
{
    size_t n = strlen(p), e = strlen(ext);
    return n > e && strcasecmp(p + n - e, ext) == 0;
}

/* A file found in a folder: path and id (relative path). */
typedef struct found {
    char *path;
    char *id;
} found;

typedef struct found_list {
    found *v;
    size_t n, cap;
} found_list;

static int cmp_found(const void *a, const void *b)
{
    return strcmp(((const found *)a)->id, ((const found *)b)->id);
}

static int walk(const char *dir, const char *rel, found_list *out, int depth)
{
    DIR *d;
    struct dirent *e;
    if (depth > 64)
        return 0; /* deeper than any real archive: a loop */
    d = opendir(dir);
    if (!d) {
        cli_error("skipping folder %s: %s", dir, strerror(errno));
        return 1;
    }
    while ((e = readdir(d)) != NULL) {
        char path[PATH_MAX], relp[PATH_MAX];
        struct stat st;
        if (e->d_name[0] == '.')
            continue; /* hidden files, . and .. */
        if (strncasecmp(e->d_name, "README", 6) == 0 && (!e->d_name[6] || e->d_name[6] == '.'))
            continue; /* a folder's README describes it; it is not a document */
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path)
            continue;
        snprintf(relp, sizeof relp, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        if (lstat(path, &st) != 0)
            continue;
        if (S_ISLNK(st.st_mode) && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            continue; /* symlinked folders could loop */
        if (S_ISDIR(st.st_mode)) {
            walk(path, relp, out, depth + 1);
        } else if (S_ISREG(st.st_mode) &&
                   (ps_extract_supported(path) || has_ext(path, ".jsonl"))) {
            if (out->n == out->cap) {
                size_t ncap = out->cap ? out->cap * 2 : 256;
                found *nv = ps_realloc(out->v, ncap * sizeof *nv);
                if (!nv)
                    break;
                out->v = nv;
                out->cap = ncap;
            }
            out->v[out->n].path = ps_strdup(path);
            out->v[out->n].id = ps_strdup(relp);
            if (out->v[out->n].path && out->v[out->n].id)
                out->n++;
        }
    }
    closedir(d);
    return 0;
}

/* Whether source lies under root (a folder) or is root (a file). */
static int under(const char *source, const char *root, int is_dir)
{
    size_t n = strlen(root);
    if (!is_dir)
        return strcmp(source, root) == 0;
    return strncmp(source, root, n) == 0 && (source[n] == '/' || root[n - 1] == '/');
}

/* Counters a shard's process hands to the parent. */
typedef struct counts {
    uint64_t added, unchanged, removed, failed, empty, passages, bytes, segments;
    int interrupted;
} counts;

/* One index (a database folder, or one shard of a sharded index) over
 * the given paths. Returns 0, or -1 when the index itself failed. */
static int index_run(const char *db, run *rp, const ps_writer_opts *wopts, int npaths,
                     char **paths, counts *out)
{
    ps_writer_opts wo = *wopts;
    ps_writer_stats ws;
    run r = *rp;
    ps_error err;
    int i, rc = 0;
    found_list files = {0};
    char **roots = NULL;
    int *root_dir = NULL;

    r.t0 = r.last_draw = ps_now();

    memset(&r.known, 0, sizeof r.known);
    if (ps_writer_open(db, &wo, &r.w, &err)) {
        cli_error("%s", err.msg);
        return -1;
    }
    if (ps_writer_each_doc(r.w, collect_known, &r.known, &err)) {
        cli_error("%s", err.msg);
        ps_writer_abort(r.w);
        known_free(&r.known);
        return -1;
    }

    roots = ps_calloc((size_t)npaths, sizeof *roots);
    root_dir = ps_calloc((size_t)npaths, sizeof *root_dir);
    if (!roots || !root_dir) {
        cli_error("out of memory");
        rc = -1;
    }
    /* gather every file first, so the progress bar knows the total */
    for (i = 0; i < npaths && rc == 0; i++) {
        struct stat st;
        char real[PATH_MAX];
        size_t before = files.n;
        if (stat(paths[i], &st) != 0) {
            cli_error("cannot index %s: %s", paths[i], strerror(errno));
            r.failed++;
            continue;
        }
        if (realpath(paths[i], real))
            roots[i] = ps_strdup(real);
        root_dir[i] = S_ISDIR(st.st_mode);
        if (S_ISDIR(st.st_mode)) {
            walk(paths[i], "", &files, 0);
            qsort(files.v + before, files.n - before, sizeof *files.v, cmp_found);
        } else {
            const char *base = strrchr(paths[i], '/');
            if (files.n == files.cap) {
                size_t ncap = files.cap ? files.cap * 2 : 16;
                found *nv = ps_realloc(files.v, ncap * sizeof *nv);
                if (!nv) {
                    rc = -1;
                    break;
                }
                files.v = nv;
                files.cap = ncap;
            }
            files.v[files.n].path = ps_strdup(paths[i]);
            files.v[files.n].id = ps_strdup(base ? base + 1 : paths[i]);
            files.n++;
        }
    }
    r.files_total = files.n;
    for (size_t k = 0; k < files.n && rc == 0 && !interrupted; k++) {
        if (has_ext(files.v[k].path, ".jsonl"))
            rc = index_jsonl(&r, files.v[k].path);
        else
            rc = index_file(&r, files.v[k].path, files.v[k].id);
        r.files_done++;
        progress(&r, 0);
    }
    /* documents whose source vanished from what was given */
    if (rc == 0 && !interrupted) {
        for (size_t k = 0; k < r.known.cap; k++) {
            known *kn = &r.known.slots[k];
            int j;
            if (!kn->id || kn->seen)
                continue;
            for (j = 0; j < npaths; j++) {
                if (roots[j] && under(kn->source, roots[j], root_dir[j])) {
                    if (ps_writer_delete(r.w, kn->id, &err)) {
                        cli_error("%s", err.msg);
                        rc = -1;
                    } else {
                        r.removed++;
                    }
                    break;
                }
            }
        }
    }
    progress(&r, 1);
    if (r.tty && !r.quiet)
        fputc('\n', stderr);
    ps_writer_get_stats(r.w, &ws);
    if (rc == 0) {
        if (ps_writer_close(r.w, &err)) {
            cli_error("%s; the index keeps its last commit", err.msg);
            rc = -1;
        }
    } else {
        ps_writer_abort(r.w);
    }
    for (size_t k = 0; k < files.n; k++) {
        ps_free(files.v[k].path);
        ps_free(files.v[k].id);
    }
    ps_free(files.v);
    for (i = 0; roots && i < npaths; i++)
        ps_free(roots[i]);
    ps_free(roots);
    ps_free(root_dir);
    known_free(&r.known);
    out->added = r.added;
    out->unchanged = r.unchanged;
    out->removed = r.removed;
    out->failed = r.failed;
    out->empty = r.empty;
    out->passages = ws.passages;
    out->segments = ws.segments;
    out->bytes = r.bytes_read;
    out->interrupted = interrupted != 0;
    return rc ? -1 : 0;
}

/* ---- shards -------------------------------------------------------- */

#define MAX_SHARDS 64

/* Shards of a sharded index live in DIR/shard-NN, named by DIR/shards.stub
 * (Xapian's stub format, paths relative to the stub), so `--db DIR` and
 * xapian-tcpsrv's hosts find them the same way. */
static int count_stub_shards(const char *stub)
{
    char *data = NULL;
    size_t len, i;
    int n = 0, at_line = 1;
    ps_error err;
    if (ps_read_file(stub, 1 << 20, &data, &len, &err))
        return -1;
    for (i = 0; i < len; i++) {
        if (at_line && data[i] != '\n' && data[i] != '#' && data[i] != ' ')
            n++;
        at_line = data[i] == '\n';
    }
    ps_free(data);
    return n;
}

/* Decides the layout: *n is the shard count asked (0: whatever the index
 * has), set to the count to use (1: a single database). Creates the stub
 * of a new sharded index. */
static int prepare_shards(const char *db, int *n)
{
    char stub[PATH_MAX], tmp[PATH_MAX], probe[PATH_MAX];
    struct stat st;
    int have, i;
    FILE *f;
    snprintf(stub, sizeof stub, "%s/shards.stub", db);
    if (stat(stub, &st) == 0) {
        have = count_stub_shards(stub);
        if (have < 1) {
            cli_error("%s names no shard", stub);
            return -1;
        }
        if (*n && *n != have) {
            cli_error("%s has %d shards: index with --shards %d, or into a new folder", db,
                      have, have);
            return -1;
        }
        *n = have;
        return 0;
    }
    if (*n <= 1)
        return 0;
    snprintf(probe, sizeof probe, "%s/iamglass", db);
    if (stat(probe, &st) == 0) {
        cli_error("%s is an index of one database: index into a new folder to shard", db);
        return -1;
    }
    if (mkdir(db, 0777) != 0 && errno != EEXIST) {
        cli_error("cannot create %s: %s", db, strerror(errno));
        return -1;
    }
    /* written whole, then renamed: readers never see half a stub */
    snprintf(tmp, sizeof tmp, "%s/.shards.stub.tmp", db);
    f = fopen(tmp, "w");
    if (!f) {
        cli_error("cannot write %s: %s", tmp, strerror(errno));
        return -1;
    }
    for (i = 0; i < *n; i++)
        fprintf(f, "auto shard-%02d\n", i);
    if (fclose(f) != 0 || rename(tmp, stub) != 0) {
        cli_error("cannot write %s: %s", stub, strerror(errno));
        return -1;
    }
    return 0;
}

/* Rewrites the database at path compacted (xapian-compact's work): into a
 * new folder beside it, then swapped in. */
static int compact_db(const char *path, int quiet)
{
    char tmp[PATH_MAX], old[PATH_MAX];
    xc_error xe;
    xc_db *src;
    double t0 = ps_now();
    snprintf(tmp, sizeof tmp, "%s.compact-tmp", path);
    snprintf(old, sizeof old, "%s.compact-old", path);
    ps_rmtree(tmp);
    ps_rmtree(old);
    src = xc_db_open(path, &xe);
    if (!src || xc_db_compact(src, tmp, 0, &xe)) {
        cli_error("compacting %s: %s", path, xe.msg);
        xc_db_free(src);
        ps_rmtree(tmp);
        return -1;
    }
    xc_db_free(src);
    /* One atomic exchange of the two folders, so a reader never finds the
     * path missing; where the filesystem cannot exchange, two renames. */
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) == 0) {
        ps_rmtree(tmp);
    } else if (rename(path, old) != 0 || rename(tmp, path) != 0) {
        cli_error("swapping in the compacted %s: %s", path, strerror(errno));
        return -1;
    } else {
        ps_rmtree(old);
    }
    if (!quiet)
        fprintf(stderr, "compacted %s in %.1f s\n", path, ps_now() - t0);
    return 0;
}

/* Indexes every shard in its own process, at once; sums their counts. */
static int run_shards(const char *db, int n, const run *proto, const ps_writer_opts *wo,
                      int npaths, char **paths, int compact, counts *total)
{
    pid_t pids[MAX_SHARDS];
    int fds[MAX_SHARDS], i, rc = 0;
    if (proto->tty && !proto->quiet)
        fprintf(stderr, "indexing into %d shards, one process each\n", n);
    for (i = 0; i < n; i++) {
        int p[2];
        if (pipe(p) != 0) {
            cli_error("pipe: %s", strerror(errno));
            return -1;
        }
        pids[i] = fork();
        if (pids[i] < 0) {
            cli_error("fork: %s", strerror(errno));
            return -1;
        }
        if (pids[i] == 0) {
            char shard[PATH_MAX];
            run r = *proto;
            counts c;
            int crc;
            close(p[0]);
            memset(&c, 0, sizeof c);
            r.shard = i;
            r.nshards = n;
            r.tty = 0; /* one progress line cannot show n processes */
            snprintf(shard, sizeof shard, "%s/shard-%02d", db, i);
            crc = index_run(shard, &r, wo, npaths, paths, &c);
            if (crc == 0 && compact && !c.interrupted)
                crc = compact_db(shard, 1);
            if (write(p[1], &c, sizeof c) != (ssize_t)sizeof c)
                crc = -1;
            close(p[1]);
            _exit(crc ? 1 : 0);
        }
        close(p[1]);
        fds[i] = p[0];
    }
    for (i = 0; i < n; i++) {
        counts c;
        int status = 0;
        ssize_t got;
        memset(&c, 0, sizeof c);
        got = read(fds[i], &c, sizeof c);
        close(fds[i]);
        while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
            ;
        if (got != (ssize_t)sizeof c || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            if (got != (ssize_t)sizeof c)
                cli_error("shard %d did not finish", i);
            rc = -1;
        }
        total->added += c.added;
        total->unchanged += c.unchanged;
        total->removed += c.removed;
        total->failed += c.failed;
        total->empty += c.empty;
        total->passages += c.passages;
        total->segments += c.segments;
        total->bytes += c.bytes;
        total->interrupted |= c.interrupted;
    }
    return rc;
}

int cmd_index(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},     {"flush-mb", required_argument, NULL, 'f'},
        {"full", no_argument, NULL, 'F'},         {"no-sync", no_argument, NULL, 'S'},
        {"quiet", no_argument, NULL, 'q'},        {"help", no_argument, NULL, 'h'},
        {"shards", required_argument, NULL, 'n'}, {"compact", no_argument, NULL, 'C'},
        {"segment-mb", required_argument, NULL, 'g'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    ps_writer_opts wo;
    run r;
    int c, rc, nshards = 0, compact = 0;
    counts total;
    double t0 = ps_now();

    ps_writer_opts_default(&wo);
    memset(&r, 0, sizeof r);
    optind = 1;
    opterr = 0; /* our own message names the command */
    while ((c = getopt_long(argc, argv, "+:qh", longopts, NULL)) != -1) {
        long v;
        switch (c) {
        case 'd': db = optarg; break;
        case 'f':
            if (ps_parse_long(optarg, 1, 1 << 20, &v))
                return cli_usage_error("index", "--flush-mb takes a number of MB (1 or more)");
            wo.flush_bytes = (size_t)v << 20;
            break;
        case 'g':
            if (ps_parse_long(optarg, 0, 1 << 20, &v))
                return cli_usage_error("index", "--segment-mb takes a number of MB (0: off)");
            wo.segment_bytes = (size_t)v << 20;
            break;
        case 'F': r.full = 1; break;
        case 'S': wo.no_sync = 1; break;
        case 'q': r.quiet = 1; break;
        case 'n':
            if (ps_parse_long(optarg, 1, MAX_SHARDS, &v))
                return cli_usage_error("index", "--shards takes 1 to %d", MAX_SHARDS);
            nshards = (int)v;
            break;
        case 'C': compact = 1; break;
        case 'h': fputs(help, stdout); return EXIT_OK;
        default: return cli_bad_option("index", c, argv);
        }
    }
    if (optind >= argc)
        return cli_usage_error("index", "give at least one folder or file to index");
    db = cli_db_path(db);
    r.tty = isatty(2);
    memset(&total, 0, sizeof total);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    rc = prepare_shards(db, &nshards);
    if (rc == 0 && nshards <= 1) {
        r.nshards = 1;
        rc = index_run(db, &r, &wo, argc - optind, argv + optind, &total);
        if (rc == 0 && compact && !interrupted)
            rc = compact_db(db, r.quiet);
    } else if (rc == 0) {
        rc = run_shards(db, nshards, &r, &wo, argc - optind, argv + optind, compact, &total);
    }
    if (!r.quiet) {
        double el = ps_now() - t0;
        fprintf(stderr,
                "%s%llu documents indexed (%llu passages), %llu unchanged, %llu removed, "
                "%llu empty, %llu failed; %.1f MB in %.2f s (%.1f MB/s)%s%s\n",
                rc ? "stopped by the error above: " : total.interrupted ? "interrupted: " : "",
                (unsigned long long)total.added,
                (unsigned long long)total.passages, (unsigned long long)total.unchanged,
                (unsigned long long)total.removed, (unsigned long long)total.empty,
                (unsigned long long)total.failed, (double)total.bytes / 1e6, el,
                el > 0 ? (double)total.bytes / 1e6 / el : 0.0,
                nshards > 1 ? " in shards" : "",
                total.segments ? "; written in segments and merged" : "");
    }
    if (rc)
        return EXIT_FAIL;
    return total.failed || total.interrupted ? EXIT_FAIL : EXIT_OK;
}
