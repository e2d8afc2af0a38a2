/*
 * msword.c: Word 97-2003 (.doc) files through antiword, or catdoc where
 * antiword cannot read the file (Word 6/95) or is not installed.
 *
 * The converter runs as a child process, never through a shell: the file
 * path is one argument of execv(), so no name can inject a command. The
 * child gets stdin from /dev/null, an address-space limit
 * (PS_EXTRACT_CHILD_MEMORY), a CPU limit, no core file and no right to
 * write files; the parent reads its output up to PS_EXTRACT_MAX_TEXT bytes
 * and kills it (SIGKILL, with its process group: whatever it started) after
 * PS_EXTRACT_TIMEOUT seconds of wall time or past the output cap. Between fork() and exec() the child makes only
 * async-signal-safe calls, so this is safe in a threaded program too.
 *
 * A .doc in memory (ps_extract_buffer) is written to a private temporary
 * file first, removed afterwards: both converters read files only.
 *
 * antiword -w 0 writes a paragraph on one line; -m UTF-8.txt writes UTF-8.
 * catdoc -d utf-8 -w does the same. Both write Vietnamese as it is.
 *
 * Tables: antiword's text mode lays a table out as it looks, "|cell |cell
 * |" with the lines of side-by-side cells interleaved, so the two-column
 * header block of nearly every official document (issuer and number on
 * the left, Quốc hiệu and date on the right) would read as mixed lines.
 * Its DocBook mode (-x db) keeps rows and cells but loses list numbering
 * ("Điều 1." from a numbered list). So when the text holds tables, antiword
 * runs once more in DocBook mode and each table block of the text is
 * replaced by the same table read from the DocBook (rows and cells through
 * the text sink); if the two disagree on the number of tables, the blocks
 * stay as they are, '|' turned into tabs.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libxml/xmlreader.h>

#include "doc/extract_int.h"

/* The limits of a child; variables so that a test (which includes this
 * file) can shorten them. */
static int child_seconds = PS_EXTRACT_TIMEOUT;
static size_t child_output_max = PS_EXTRACT_MAX_TEXT;

/* Finds prog on PATH (before fork: the child must not search). */
static int find_program(const char *prog, char *out, size_t cap)
{
    const char *path = getenv("PATH");
    const char *p;
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    for (p = path; *p;) {
        const char *e = strchr(p, ':');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        int w = snprintf(out, cap, "%.*s/%s", (int)len, p, prog);
        if (len && w > 0 && (size_t)w < cap && access(out, X_OK) == 0)
            return 1;
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

typedef struct child_result {
    int status;      /* waitpid status */
    int timed_out;
    int too_big;
} child_result;

/* Runs argv (argv[0] a full path) with the limits above; stdout into out
 * (capped), the start of stderr into errs. */
static int run_child(char *const argv[], ps_buf *out, char *errs, size_t errs_cap,
                     child_result *res, ps_error *err)
{
    int outp[2] = {-1, -1}, errp[2] = {-1, -1}, devnull;
    pid_t pid;
    struct timespec start, now;
    size_t errs_len = 0;
    int open_fds = 2;

    memset(res, 0, sizeof *res);
    errs[0] = '\0';
    devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull < 0)
        return ps_error_set(err, PS_EIO, "cannot open /dev/null: %s", strerror(errno));
    if (pipe2(outp, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0) {
        int e = errno;
        close(devnull);
        if (outp[0] >= 0) {
            close(outp[0]);
            close(outp[1]);
        }
        return ps_error_set(err, PS_EIO, "cannot make a pipe: %s", strerror(e));
    }
    pid = fork();
    if (pid < 0) {
        int e = errno;
        close(devnull);
        close(outp[0]);
        close(outp[1]);
        close(errp[0]);
        close(errp[1]);
        return ps_error_set(err, PS_EIO, "cannot start %s: %s", argv[0], strerror(e));
    }
    if (pid == 0) {
        struct rlimit as = {PS_EXTRACT_CHILD_MEMORY, PS_EXTRACT_CHILD_MEMORY};
        struct rlimit cpu = {(rlim_t)child_seconds, (rlim_t)child_seconds + 1};
        struct rlimit none = {0, 0};
        setpgid(0, 0); /* a group of its own, killed whole */
        dup2(devnull, 0);
        dup2(outp[1], 1);
        dup2(errp[1], 2);
        setrlimit(RLIMIT_AS, &as);
        setrlimit(RLIMIT_CPU, &cpu);
        setrlimit(RLIMIT_CORE, &none);
        setrlimit(RLIMIT_FSIZE, &none);
        execv(argv[0], argv);
        _exit(127);
    }
    close(devnull);
    close(outp[1]);
    close(errp[1]);
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (open_fds > 0) {
        struct pollfd fds[2];
        int nf = 0, k, left_ms;
        clock_gettime(CLOCK_MONOTONIC, &now);
        left_ms = (int)(child_seconds * 1000 - ((now.tv_sec - start.tv_sec) * 1000 +
                                                     (now.tv_nsec - start.tv_nsec) / 1000000));
        if (left_ms <= 0) {
            res->timed_out = 1;
            break;
        }
        if (outp[0] >= 0)
            fds[nf++] = (struct pollfd){outp[0], POLLIN, 0};
        if (errp[0] >= 0)
            fds[nf++] = (struct pollfd){errp[0], POLLIN, 0};
        k = poll(fds, (nfds_t)nf, left_ms);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            continue; /* timeout: the loop's check ends it */
        for (k = 0; k < nf; k++) {
            char chunk[65536];
            ssize_t got;
            if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            got = read(fds[k].fd, chunk, sizeof chunk);
            if (got < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (got <= 0) {
                close(fds[k].fd);
                if (fds[k].fd == outp[0])
                    outp[0] = -1;
                else
                    errp[0] = -1;
                open_fds--;
                continue;
            }
            if (fds[k].fd == outp[0]) {
                if (ps_buf_add(out, chunk, (size_t)got)) {
                    res->too_big = 1;
                    open_fds = 0;
                    break;
                }
            } else if (errs_len + 1 < errs_cap) {
                size_t take = (size_t)got < errs_cap - 1 - errs_len ? (size_t)got
                                                                    : errs_cap - 1 - errs_len;
                memcpy(errs + errs_len, chunk, take);
                errs_len += take;
                errs[errs_len] = '\0';
            }
        }
    }
    if (outp[0] >= 0)
        close(outp[0]);
    if (errp[0] >= 0)
        close(errp[0]);
    /* a child that closed its output may still run: wait out the time
     * left, then kill it and whatever it started */
    while (!res->timed_out && !res->too_big) {
        pid_t w = waitpid(pid, &res->status, WNOHANG);
        if (w == pid)
            return PS_OK;
        if (w < 0 && errno != EINTR)
            break;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 >=
            (long)child_seconds * 1000) {
            res->timed_out = 1;
            break;
        }
        {
            struct timespec nap = {0, 10 * 1000 * 1000};
            nanosleep(&nap, NULL);
        }
    }
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    while (waitpid(pid, &res->status, 0) < 0 && errno == EINTR)
        ;
    return PS_OK;
}

/* The first line of a converter's complaint, for the message. */
static const char *first_line(char *s)
{
    char *nl;
    while (*s == '\n' || *s == ' ')
        s++;
    nl = strchr(s, '\n');
    if (nl)
        *nl = '\0';
    return *s ? s : "no reason given";
}

/* Runs one converter: 1 when it gave text, 0 when it failed (reason in
 * why), or an error code for a failure of our own. */
static int convert(const char *prog, const char *const args[], const char *path, ps_buf *out,
                   char *why, size_t why_cap, ps_error *err)
{
    char exe[4096], errs[512], dashed[4096];
    char *argv[8];
    child_result res;
    int k = 0, rc;

    if (!find_program(prog, exe, sizeof exe)) {
        snprintf(why, why_cap, "%s is not installed", prog);
        return 0;
    }
    argv[k++] = exe;
    for (; *args && k < 6; args++)
        argv[k++] = (char *)*args;
    if (path[0] == '-') {
        /* a name the converter would take for an option */
        if ((size_t)snprintf(dashed, sizeof dashed, "./%s", path) >= sizeof dashed) {
            snprintf(why, why_cap, "file name too long");
            return 0;
        }
        path = dashed;
    }
    argv[k++] = (char *)path;
    argv[k] = NULL;
    ps_buf_reset(out);
    rc = run_child(argv, out, errs, sizeof errs, &res, err);
    if (rc)
        return -rc;
    if (res.timed_out) {
        snprintf(why, why_cap, "%s took over %d s", prog, child_seconds);
        return 0;
    }
    if (res.too_big) {
        snprintf(why, why_cap, "%s wrote more than %zu bytes", prog, child_output_max);
        return 0;
    }
    if (WIFSIGNALED(res.status)) {
        snprintf(why, why_cap, "%s was killed by signal %d (a limit?)", prog,
                 WTERMSIG(res.status));
        return 0;
    }
    if (!WIFEXITED(res.status) || WEXITSTATUS(res.status) != 0) {
        snprintf(why, why_cap, "%s: %.200s", prog, first_line(errs));
        return 0;
    }
    return 1;
}

static int write_temp(const char *data, size_t n, char *path, size_t cap, ps_error *err)
{
    const char *dir = getenv("TMPDIR");
    int fd;
    size_t off = 0;
    if (!dir || !*dir)
        dir = "/tmp";
    if ((size_t)snprintf(path, cap, "%s/polsearch-doc-XXXXXX", dir) >= cap)
        return ps_error_set(err, PS_EIO, "temporary folder name too long");
    fd = mkstemp(path);
    if (fd < 0)
        return ps_error_set(err, PS_EIO, "cannot make a temporary file in %s: %s", dir,
                            strerror(errno));
    while (off < n) {
        ssize_t w = write(fd, data + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = errno;
            close(fd);
            unlink(path);
            return ps_error_set(err, PS_EIO, "cannot write a temporary file: %s", strerror(e));
        }
        off += (size_t)w;
    }
    close(fd);
    return PS_OK;
}

/* ---- tables ----------------------------------------------------------- */

static int is_table_line(const char *s, size_t n)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
        n--;
    return n >= 2 && s[0] == '|' && s[n - 1] == '|';
}

static int has_table(const ps_buf *text)
{
    size_t i = 0;
    while (i < text->len) {
        const char *nl = memchr(text->data + i, '\n', text->len - i);
        size_t e = nl ? (size_t)(nl - text->data) : text->len;
        if (is_table_line(text->data + i, e - i))
            return 1;
        i = e + 1;
    }
    return 0;
}

static void quiet_xml(void *arg, const char *msg, xmlParserSeverities severity,
                      xmlTextReaderLocatorPtr locator)
{
    (void)arg;
    (void)msg;
    (void)severity;
    (void)locator;
}

/* Each table of antiword's DocBook as text, NUL-separated in tables. */
static int docbook_tables(const ps_buf *xml, ps_buf *tables, size_t *n_tables)
{
    xmlTextReaderPtr r;
    ts_sink sink;
    int in_table = 0, in_entry = 0, ret;

    *n_tables = 0;
    if (xml->len > (size_t)0x7fffffff)
        return PS_ETOOBIG;
    ps_xml_init();
    r = xmlReaderForMemory(xml->data ? xml->data : "", (int)xml->len, "antiword.xml", NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!r)
        return PS_ENOMEM;
    xmlTextReaderSetErrorHandler(r, quiet_xml, NULL);
    while ((ret = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        const char *name = (const char *)xmlTextReaderConstLocalName(r);
        int empty = type == XML_READER_TYPE_ELEMENT && xmlTextReaderIsEmptyElement(r);
        if (!name)
            continue;
        if (type == XML_READER_TYPE_ELEMENT && strcmp(name, "informaltable") == 0 && !empty) {
            if (in_table) /* antiword does not nest tables; be safe */
                ts_fin(&sink);
            ts_init(&sink, PS_EXTRACT_MAX_TEXT);
            in_table = 1;
        } else if (!in_table) {
            continue;
        } else if (type == XML_READER_TYPE_END_ELEMENT && strcmp(name, "informaltable") == 0) {
            ts_finish(&sink, tables);
            ps_buf_addc(tables, '\0');
            ts_fin(&sink);
            in_table = 0;
            (*n_tables)++;
        } else if (strcmp(name, "row") == 0 && type == XML_READER_TYPE_ELEMENT) {
            ts_row_begin(&sink);
            if (empty)
                ts_row_end(&sink);
        } else if (strcmp(name, "row") == 0 && type == XML_READER_TYPE_END_ELEMENT) {
            ts_row_end(&sink);
        } else if (strcmp(name, "entry") == 0 && type == XML_READER_TYPE_ELEMENT) {
            ts_cell_begin(&sink);
            if (empty)
                ts_cell_end(&sink);
            else
                in_entry = 1;
        } else if (strcmp(name, "entry") == 0 && type == XML_READER_TYPE_END_ELEMENT) {
            ts_cell_end(&sink);
            in_entry = 0;
        } else if (in_entry && (type == XML_READER_TYPE_TEXT ||
                                type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE)) {
            /* a cell's paragraphs are its lines */
            const char *v = (const char *)xmlTextReaderConstValue(r);
            while (v && *v) {
                const char *nl = strchr(v, '\n');
                size_t len = nl ? (size_t)(nl - v) : strlen(v);
                ts_text(&sink, v, len);
                if (nl)
                    ts_block(&sink);
                v += len + (nl ? 1 : 0);
            }
        }
    }
    if (in_table)
        ts_fin(&sink);
    xmlFreeTextReader(r);
    return ret < 0 ? PS_EFORMAT : tables->err;
}

/* Appends text to out with each table block replaced: by the DocBook
 * table of the same rank when the counts agree, else by its own lines
 * with the '|' borders as tabs. */
static void merge_tables(const ps_buf *text, const ps_buf *tables, size_t n_tables, ps_buf *out)
{
    size_t i = 0, blocks = 0, t_off = 0, k;
    int use_xml;
    {
        /* count the blocks first */
        int prev = 0;
        while (i < text->len) {
            const char *nl = memchr(text->data + i, '\n', text->len - i);
            size_t e = nl ? (size_t)(nl - text->data) : text->len;
            int tl = is_table_line(text->data + i, e - i);
            if (tl && !prev)
                blocks++;
            prev = tl;
            i = e + 1;
        }
    }
    use_xml = blocks == n_tables;
    i = 0;
    while (i < text->len) {
        const char *nl = memchr(text->data + i, '\n', text->len - i);
        size_t e = nl ? (size_t)(nl - text->data) : text->len;
        if (!is_table_line(text->data + i, e - i)) {
            ps_buf_add(out, text->data + i, e - i);
            if (nl)
                ps_buf_addc(out, '\n');
            i = e + 1;
            continue;
        }
        if (use_xml) {
            /* the whole block goes; the table of its rank comes */
            const char *t = tables->data + t_off;
            size_t tl = strlen(t);
            ps_buf_add(out, t, tl);
            ps_buf_addc(out, '\n');
            t_off += tl + 1;
            while (i < text->len) {
                nl = memchr(text->data + i, '\n', text->len - i);
                e = nl ? (size_t)(nl - text->data) : text->len;
                if (!is_table_line(text->data + i, e - i))
                    break;
                i = e + 1;
            }
            continue;
        }
        /* "|a   |b   |" -> "a\tb" */
        {
            size_t end = e;
            int first = 1;
            while (end > i && (text->data[end - 1] == ' ' || text->data[end - 1] == '\r'))
                end--;
            end--; /* the closing '|' */
            k = i + 1;
            while (k <= end) {
                size_t c = k, ce;
                while (c < end && text->data[c] != '|')
                    c++;
                ce = c;
                while (ce > k && text->data[ce - 1] == ' ')
                    ce--;
                if (!first)
                    ps_buf_addc(out, '\t');
                ps_buf_add(out, text->data + k, ce - k);
                first = 0;
                k = c + 1;
            }
            ps_buf_addc(out, '\n');
        }
        i = e + 1;
    }
}

int ps_msdoc_extract(const char *path, const char *data, size_t n, ps_buf *out, ps_error *err)
{
    static const char *const antiword_args[] = {"-m", "UTF-8.txt", "-w", "0", NULL};
    static const char *const catdoc_args[] = {"-d", "utf-8", "-w", NULL};
    static const char *const docbook_args[] = {"-x", "db", "-w", "0", NULL};
    static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    char tmp[4096], why1[400], why2[400];
    ps_buf conv;
    int got, rc = PS_OK, used_antiword;
    size_t i = 0;

    if (n < 8 || memcmp(data, ole, 8) != 0)
        return ps_error_set(err, PS_EFORMAT, "not a Word 97-2003 document (no OLE2 header)");
    tmp[0] = '\0';
    if (!path) {
        rc = write_temp(data, n, tmp, sizeof tmp, err);
        if (rc)
            return rc;
        path = tmp;
    }
    ps_buf_init(&conv, child_output_max);
    got = convert("antiword", antiword_args, path, &conv, why1, sizeof why1, err);
    used_antiword = got > 0;
    if (got == 0)
        got = convert("catdoc", catdoc_args, path, &conv, why2, sizeof why2, err);
    if (got > 0 && used_antiword && has_table(&conv)) {
        ps_buf xml, tables, merged;
        char why3[400];
        size_t n_tables = 0;
        ps_buf_init(&xml, child_output_max);
        ps_buf_init(&tables, PS_EXTRACT_MAX_TEXT);
        ps_buf_init(&merged, PS_EXTRACT_MAX_TEXT);
        if (convert("antiword", docbook_args, path, &xml, why3, sizeof why3, err) <= 0 ||
            docbook_tables(&xml, &tables, &n_tables) != PS_OK)
            n_tables = (size_t)-1; /* no DocBook: the text's own tables */
        merge_tables(&conv, &tables, n_tables, &merged);
        if (merged.err == PS_OK) {
            ps_buf_fin(&conv);
            conv = merged;
        } else {
            ps_buf_fin(&merged);
        }
        ps_buf_fin(&xml);
        ps_buf_fin(&tables);
    }
    if (tmp[0])
        unlink(tmp);
    if (got < 0) {
        rc = -got;
    } else if (got == 0) {
        rc = ps_error_set(err, PS_EFORMAT, "cannot read the Word document: %s; %s", why1, why2);
    } else {
        /* antiword starts with blank lines */
        while (i < conv.len && (conv.data[i] == '\n' || conv.data[i] == '\r'))
            i++;
        /* a merge may leave an empty buffer whose data is NULL */
        if (i < conv.len && ps_buf_add(out, conv.data + i, conv.len - i))
            rc = ps_error_set(err, out->err, "Word document text too large");
    }
    ps_buf_fin(&conv);
    return rc;
}
