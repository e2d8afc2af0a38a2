/* Unit tests of lib/util: buffers and their caps, the arena, the JSON
 * writer and escapers, number parsing, UTF-8, fault injection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <jansson.h>
#include <string.h>

#include "polsearch/util.h"

static void buf_grows_and_caps(void **state)
{
    ps_buf b;
    int i;
    (void)state;
    ps_buf_init(&b, 10);
    assert_int_equal(ps_buf_adds(&b, "12345"), PS_OK);
    assert_int_equal(ps_buf_addf(&b, "%d", 678), PS_OK);
    assert_string_equal(ps_buf_cstr(&b), "12345678");
    /* past the cap: refused, sticky, contents unchanged */
    assert_int_equal(ps_buf_adds(&b, "abc"), PS_ETOOBIG);
    assert_int_equal(ps_buf_addc(&b, 'x'), PS_ETOOBIG);
    assert_string_equal(ps_buf_cstr(&b), "12345678");
    ps_buf_reset(&b);
    assert_int_equal(b.err, PS_OK);
    for (i = 0; i < 10; i++)
        assert_int_equal(ps_buf_addc(&b, 'a'), PS_OK);
    assert_int_equal(ps_buf_addc(&b, 'a'), PS_ETOOBIG);
    ps_buf_fin(&b);
}

static void buf_steal(void **state)
{
    ps_buf b;
    size_t n;
    char *s;
    (void)state;
    ps_buf_init(&b, 0);
    s = ps_buf_steal(&b, &n); /* empty: still a string */
    assert_non_null(s);
    assert_int_equal(n, 0);
    ps_free(s);
    ps_buf_adds(&b, "xyz");
    s = ps_buf_steal(&b, &n);
    assert_string_equal(s, "xyz");
    assert_int_equal(n, 3);
    assert_null(b.data);
    ps_free(s);
}

static void arena_allocates_aligned(void **state)
{
    ps_arena *a = ps_arena_new();
    size_t i;
    char *big;
    (void)state;
    assert_non_null(a);
    for (i = 0; i < 10000; i++) {
        void *p = ps_arena_alloc(a, 1 + i % 37);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
    }
    big = ps_arena_alloc(a, 5 << 20); /* a block of its own */
    assert_non_null(big);
    memset(big, 1, 5 << 20);
    assert_string_equal(ps_arena_sprintf(a, "%s-%d", "x", 7), "x-7");
    assert_null(ps_arena_alloc(a, ((size_t)1 << 30) + 1));
    ps_arena_reset(a);
    assert_int_equal(ps_arena_used(a), 0);
    assert_non_null(ps_arena_strdup(a, "again"));
    ps_arena_free(a);
    ps_arena_free(NULL);
}

static void json_writer_escapes(void **state)
{
    ps_buf b;
    ps_jw j;
    json_error_t je;
    json_t *o;
    (void)state;
    ps_buf_init(&b, 0);
    ps_jw_init(&j, &b);
    ps_jw_obj(&j);
    ps_jw_kstr(&j, "s", "a\"b\\c\n\x01 Việt \xff end");
    ps_jw_kint(&j, "n", -42);
    ps_jw_key(&j, "arr");
    ps_jw_arr(&j);
    ps_jw_null(&j);
    ps_jw_bool(&j, 1);
    ps_jw_double(&j, 1.5);
    ps_jw_double(&j, 0.0 / 0.0); /* NaN is not JSON: null */
    ps_jw_arr_end(&j);
    ps_jw_kstr(&j, "none", NULL);
    ps_jw_obj_end(&j);
    assert_int_equal(b.err, PS_OK);
    o = json_loads(b.data, 0, &je);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "s")),
                        "a\"b\\c\n\x01 Việt \xEF\xBF\xBD end");
    assert_int_equal(json_integer_value(json_object_get(o, "n")), -42);
    assert_int_equal(json_array_size(json_object_get(o, "arr")), 4);
    assert_true(json_is_null(json_array_get(json_object_get(o, "arr"), 3)));
    assert_true(json_is_null(json_object_get(o, "none")));
    json_decref(o);
    ps_buf_fin(&b);
}

static void html_escape(void **state)
{
    ps_buf b;
    (void)state;
    ps_buf_init(&b, 0);
    ps_html_escape(&b, "<script>alert('x')&\"</script>", 30);
    assert_string_equal(ps_buf_cstr(&b),
                        "&lt;script&gt;alert(&#39;x&#39;)&amp;&quot;&lt;/script&gt;");
    ps_buf_fin(&b);
}

static void parse_long_checks_everything(void **state)
{
    long v = 0;
    (void)state;
    assert_int_equal(ps_parse_long("42", 0, 100, &v), PS_OK);
    assert_int_equal(v, 42);
    assert_int_equal(ps_parse_long("101", 0, 100, &v), PS_EINVAL);
    assert_int_equal(ps_parse_long("-1", 0, 100, &v), PS_EINVAL);
    assert_int_equal(ps_parse_long("4x", 0, 100, &v), PS_EINVAL);
    assert_int_equal(ps_parse_long("", 0, 100, &v), PS_EINVAL);
    assert_int_equal(ps_parse_long("99999999999999999999", 0, 100, &v), PS_EINVAL);
}

static void utf8_codec(void **state)
{
    uint32_t cp;
    char out[4];
    (void)state;
    assert_int_equal(ps_utf8_decode((const unsigned char *)"\xE1\xBB\x87", 3, &cp), 3);
    assert_int_equal(cp, 0x1EC7); /* ệ */
    assert_int_equal(ps_utf8_encode(cp, out), 3);
    assert_memory_equal(out, "\xE1\xBB\x87", 3);
    /* overlong, surrogate, truncated, out of range */
    assert_int_equal(ps_utf8_seqlen((const unsigned char *)"\xC0\x80", 2), 0);
    assert_int_equal(ps_utf8_seqlen((const unsigned char *)"\xED\xA0\x80", 3), 0);
    assert_int_equal(ps_utf8_seqlen((const unsigned char *)"\xE1\xBB", 2), 0);
    assert_int_equal(ps_utf8_seqlen((const unsigned char *)"\xF4\x90\x80\x80", 4), 0);
}

static void fault_injection(void **state)
{
    void *p;
    (void)state;
    ps_alloc_fail_after(2);
    p = ps_malloc(8);
    assert_non_null(p);
    ps_free(p);
    p = ps_malloc(8);
    assert_non_null(p);
    ps_free(p);
    assert_null(ps_malloc(8));
    assert_null(ps_strdup("x"));
    ps_alloc_fail_after(-1);
    p = ps_malloc(8);
    assert_non_null(p);
    ps_free(p);
}

static void error_codes_have_names(void **state)
{
    ps_error e;
    (void)state;
    assert_int_equal(ps_error_set(&e, PS_ETOOBIG, "x %d", 5), PS_ETOOBIG);
    assert_string_equal(e.msg, "x 5");
    assert_string_equal(ps_rc_name(PS_ENOMEM), "ENOMEM");
    assert_string_equal(ps_rc_name(-3), "EUNKNOWN");
    assert_int_equal(ps_error_set(NULL, PS_EINVAL, "ignored"), PS_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_grows_and_caps),     cmocka_unit_test(buf_steal),
        cmocka_unit_test(arena_allocates_aligned), cmocka_unit_test(json_writer_escapes),
        cmocka_unit_test(html_escape),            cmocka_unit_test(parse_long_checks_everything),
        cmocka_unit_test(utf8_codec),             cmocka_unit_test(fault_injection),
        cmocka_unit_test(error_codes_have_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
