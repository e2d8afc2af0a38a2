/*
 * test_extract_child: the limits of the .doc converters' child process
 * (lib/doc/msword.c), with stand-in converters: small shell scripts named
 * antiword and catdoc, first on a PATH of their own. They show that the
 * child gets stdin from /dev/null, an address-space limit and no right to
 * write files; that one that hangs is killed after the time limit and one
 * that floods is cut at the output cap, the other converter then taking
 * over; that the file name reaches it as one argument (no shell); and that
 * when both fail the message gives both reasons. Includes msword.c to
 * shorten the limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "doc/msword.c"

static char bin[256];        /* the stand-ins' folder */
static char saved_path[8192];

static const char ole_doc[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 not really a Word file";

static void stand_in(const char *name, const char *script)
{
    char path[512];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", bin, name);
    if (!script) {
        unlink(path);
        return;
    }
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "#!/bin/sh\n%s\n", script);
    fclose(f);
    assert_int_equal(chmod(path, 0755), 0);
}

static int setup(void **state)
{
    const char *p = getenv("PATH");
    char dir[] = "/tmp/polsearch-child-XXXXXX";
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(bin, sizeof bin, "%s", dir);
    snprintf(saved_path, sizeof saved_path, "%s", p ? p : "/usr/bin:/bin");
    /* the stand-ins first; the shell and coreutils after them */
    {
        char path[8600];
        snprintf(path, sizeof path, "%s:%s", bin, saved_path);
        setenv("PATH", path, 1);
    }
    child_seconds = 2;
    child_output_max = 1 << 20;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    stand_in("antiword", NULL);
    stand_in("catdoc", NULL);
    rmdir(bin);
    setenv("PATH", saved_path, 1);
    return 0;
}

/* Runs the extractor on ole_doc; returns the code, text or message in out. */
static int run(const char *path, char *out, size_t cap)
{
    ps_buf b;
    ps_error err;
    int rc;
    ps_buf_init(&b, 0);
    rc = ps_msdoc_extract(path, ole_doc, sizeof ole_doc - 1, &b, &err);
    snprintf(out, cap, "%s", rc ? err.msg : ps_buf_cstr(&b));
    ps_buf_fin(&b);
    return rc;
}

static void test_limits_in_child(void **state)
{
    char out[1024], want[64];
    (void)state;
    /* address space in KB, file size limit, stdin, and the argument */
    stand_in("antiword",
             "printf '%s %s [%s] ' \"$(ulimit -v)\" \"$(ulimit -f)\" \"$(cat)\"; "
             "for a in \"$@\"; do printf '<%s>' \"$a\"; done");
    stand_in("catdoc", NULL);
    assert_int_equal(run("/tmp/a file; rm -rf x.doc", out, sizeof out), PS_OK);
    snprintf(want, sizeof want, "%zu 0 [] ", PS_EXTRACT_CHILD_MEMORY >> 10);
    assert_memory_equal(out, want, strlen(want));
    assert_non_null(strstr(out, "<-m><UTF-8.txt><-w><0></tmp/a file; rm -rf x.doc>"));
    /* a name that looks like an option is not one */
    assert_int_equal(run("-x.doc", out, sizeof out), PS_OK);
    assert_non_null(strstr(out, "<./-x.doc>"));
}

static void test_hang_is_killed(void **state)
{
    char out[1024];
    double t0;
    (void)state;
    stand_in("antiword", "exec sleep 60");
    stand_in("catdoc", "echo 'văn bản từ catdoc'");
    t0 = ps_now();
    assert_int_equal(run("/tmp/x.doc", out, sizeof out), PS_OK);
    assert_true(ps_now() - t0 < 10);
    assert_string_equal(out, "văn bản từ catdoc\n");
    /* both hang, one with its output closed, one through a grandchild:
     * both killed, both reasons */
    stand_in("antiword", "exec >&- 2>&-; sleep 60");
    stand_in("catdoc", "sleep 60; echo late");
    assert_int_equal(run("/tmp/x.doc", out, sizeof out), PS_EFORMAT);
    assert_string_equal(out, "cannot read the Word document: antiword took over 2 s; "
                             "catdoc took over 2 s");
}

static void test_flood_is_cut(void **state)
{
    char out[1024];
    (void)state;
    stand_in("antiword", "exec cat /dev/zero");
    stand_in("catdoc", "echo 'I am not a Word file' >&2; exit 1");
    assert_int_equal(run("/tmp/x.doc", out, sizeof out), PS_EFORMAT);
    assert_string_equal(out, "cannot read the Word document: antiword wrote more than 1048576 "
                             "bytes; catdoc: I am not a Word file");
}

static void test_missing_and_signals(void **state)
{
    char out[1024];
    (void)state;
    stand_in("antiword", "kill -SEGV $$");
    stand_in("catdoc", NULL);
    /* catdoc may be installed further on the PATH: hide it */
    setenv("PATH", bin, 1);
    assert_int_equal(run("/tmp/x.doc", out, sizeof out), PS_EFORMAT);
    assert_string_equal(out, "cannot read the Word document: antiword was killed by signal 11 "
                             "(a limit?); catdoc is not installed");
    {
        char path[8600];
        snprintf(path, sizeof path, "%s:%s", bin, saved_path);
        setenv("PATH", path, 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limits_in_child),
        cmocka_unit_test(test_hang_is_killed),
        cmocka_unit_test(test_flood_is_cut),
        cmocka_unit_test(test_missing_and_signals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
