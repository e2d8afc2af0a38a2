/*
 * test_extract_encoding: the legacy Vietnamese encodings and their
 * detection (lib/doc/encoding.c).
 *
 *   - the tables against glibc's iconv: every CP1258 byte, and every code
 *     of TCVN3 (the VN3 part of glibc's "TCVN5712-1");
 *   - every sample corpus text converted to each encoding (UTF-8, UTF-8
 *     with BOM, UTF-16 LE and BE, CP1258, TCVN3, VNI) is detected as that
 *     encoding and decodes back to the original (TCVN3 up to the capitals
 *     with tone marks it cannot hold); the confusion matrix is printed;
 *   - short and odd texts: a good UTF-8 text is never taken for a legacy
 *     one (too few words, English, numbers, a few invalid bytes);
 *   - the capital-font rule of TCVN3, VNI's letters and accents.
 * Includes encoding.c to reach its static helpers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/testroot.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/encoding.c"
#include "tests/tools/vnencode.h"


/* ---- helpers ------------------------------------------------------------ */

/* ps_decode_legacy into a NUL-terminated string the caller frees. */
static char *decoded(const char *s, size_t n, int enc, int *used)
{
    ps_buf out;
    ps_error err;
    ps_buf_init(&out, 0);
    assert_int_equal(ps_decode_legacy(s, n, enc, &out, used, &err), PS_OK);
    ps_buf_cstr(&out);
    return ps_buf_steal(&out, NULL);
}

static char *cleaned(const char *s, size_t n)
{
    ps_buf out;
    ps_error err;
    ps_buf_init(&out, 0);
    assert_int_equal(ps_text_clean(s, n, &out, NULL, &err), PS_OK);
    ps_buf_cstr(&out);
    return ps_buf_steal(&out, NULL);
}

static char *lowered(const char *s)
{
    ps_buf out;
    ps_buf_init(&out, 0);
    assert_int_equal(ps_text_lower(s, strlen(s), &out), PS_OK);
    ps_buf_cstr(&out);
    return ps_buf_steal(&out, NULL);
}

static void expect_decode(const char *bytes, int enc, const char *want)
{
    char *got = decoded(bytes, strlen(bytes), enc, NULL);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "%s: [%s] -> [%s], expected [%s]\n", ps_encoding_name(enc), bytes, got,
                want);
    assert_string_equal(got, want);
    ps_free(got);
}

/* ---- tables against iconv ------------------------------------------------ */

static uint32_t iconv_one(const char *from, unsigned char b)
{
    iconv_t cd = iconv_open("UTF-32LE", from);
    char in[1], out[16], *ip = in, *op = out;
    size_t il = 1, ol = sizeof out;
    uint32_t cp = 0;
    assert_true(cd != (iconv_t)-1);
    in[0] = (char)b;
    /* glibc's Vietnamese decoders hold a letter back: flush */
    if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && iconv(cd, NULL, NULL, &op, &ol) != (size_t)-1 &&
        sizeof out - ol == 4)
        memcpy(&cp, out, 4);
    iconv_close(cd);
    return cp; /* 0: iconv has no character there */
}

static void test_cp1258_table(void **state)
{
    int b, differ = 0;
    (void)state;
    for (b = 0x80; b <= 0xFF; b++) {
        uint32_t want = iconv_one("CP1258", (unsigned char)b), got = cp1258_cp((unsigned char)b);
        if (want == 0)
            want = 0xFFFD;
        if (want != got) {
            fprintf(stderr, "CP1258 0x%02X: iconv U+%04X, ours U+%04X\n", b, want, got);
            differ++;
        }
    }
    assert_int_equal(differ, 0);
}

static void test_tcvn3_table(void **state)
{
    int b, checked = 0;
    (void)state;
    /* every VN3 code (small letters, Ă Â Ê Ô Ơ Ư Đ) and VN1's capitals in
     * the codes VN3 leaves free read as glibc reads them */
    for (b = 0xA0; b <= 0xFF; b++) {
        uint32_t want = iconv_one("TCVN5712-1", (unsigned char)b);
        assert_int_equal(tcvn3_cp((unsigned char)b), want);
        checked++;
    }
    /* 0x80-0x9F are Windows-1252 punctuation, not VN1's capitals */
    assert_int_equal(tcvn3_cp(0x93), 0x201C);
    assert_int_equal(tcvn3_cp(0x96), 0x2013);
    assert_int_equal(checked, 96);
}

static void test_names(void **state)
{
    (void)state;
    assert_int_equal(ps_encoding_parse("Windows-1258"), PS_ENC_CP1258);
    assert_int_equal(ps_encoding_parse("utf8"), PS_ENC_UTF8);
    assert_int_equal(ps_encoding_parse("ABC"), PS_ENC_TCVN3);
    assert_int_equal(ps_encoding_parse("vni-windows"), PS_ENC_VNI);
    assert_int_equal(ps_encoding_parse("iso-8859-1"), PS_ENC_CP1252);
    assert_int_equal(ps_encoding_parse("koi8-r"), -1);
    assert_int_equal(ps_encoding_parse(NULL), -1);
    assert_string_equal(ps_encoding_name(PS_ENC_TCVN3), "TCVN3");
    assert_string_equal(ps_encoding_name(ps_encoding_parse("tcvn")), "TCVN3");
}

/* ---- decoding -------------------------------------------------------------- */

static void test_vni(void **state)
{
    (void)state;
    expect_decode("Co\xe4ng ho\xf8" "a xa\xf5 ho\xe4i chu\xfb ngh\xf3" "a Vie\xe4t Nam", PS_ENC_VNI,
                  "Cộng hòa xã hội chủ nghĩa Việt Nam");
    expect_decode("\xd1O\xc4" "C LA\xc4P - T\xd6\xcf DO - HA\xcfNH PHU\xd9" "C", PS_ENC_VNI,
                  "ĐỘC LẬP - TỰ DO - HẠNH PHÚC");
    /* ươ, ă with tones, the i and y forms */
    expect_decode("Tr\xf6\xf4\xf8ng na\xeam \xf1\xe6nh cao k\xf2 Y\xd9 ki\xe9n ly\xee", PS_ENC_VNI,
                  "Trường năm đỉnh cao kị Ý kién lyỵ");
    expect_decode("ta\xe9" "c ma\xeb" "t ba\xe8ng ha\xfa ngu\xf5", PS_ENC_VNI, "tắc mặt bằng hẳ ngũ");
    /* an accent byte after a letter that cannot take it is itself */
    expect_decode("caf\xe9 \xf9", PS_ENC_VNI, "café ù");
}

static void test_tcvn3_capitals(void **state)
{
    (void)state;
    expect_decode("C\xe9ng ho\xb5 x\xb7 h\xe9i", PS_ENC_TCVN3, "Cộng hoà xã hội");
    /* capital fonts: a word of small codes and capitals is in capitals */
    expect_decode("C\xe9NG HO\xb5 X\xb7 H\xe9I", PS_ENC_TCVN3, "CỘNG HOÀ XÃ HỘI");
    /* one capital: the line decides */
    expect_decode("H\xb5 N\xe9i, ng\xb5y 22", PS_ENC_TCVN3, "Hà Nội, ngày 22");
    expect_decode("H\xb5 N\xe9I", PS_ENC_TCVN3, "HÀ NỘI");
    expect_decode("T/L BAN B\xdd TH\xa6", PS_ENC_TCVN3, "T/L BAN BÍ THƯ");
    /* a number's abbreviation tells nothing */
    expect_decode("S\xe8 144-Q\xa7/TW", PS_ENC_TCVN3, "Số 144-QĐ/TW");
    expect_decode("\xa7i\xd2u 5. Ph\xb9m vi", PS_ENC_TCVN3, "Điều 5. Phạm vi");
    /* Word's punctuation in 0x80-0x9F */
    expect_decode("\x93Ngh\xde quy\xd5t\x94 \x96 s\xe8", PS_ENC_TCVN3, "“Nghị quyết” – số");
}

static void test_cp1258(void **state)
{
    (void)state;
    /* base letters and combining tone marks, composed */
    expect_decode("C\xf4\xf2ng ho\xcc" "a xa\xde h\xf4\xf2i", PS_ENC_CP1258, "Cộng hòa xã hội");
    expect_decode("\xd0\xc2\xccNG \xd5\xcc \xfe", PS_ENC_CP1258, "ĐẦNG Ờ ₫");
}

/* ---- detection ------------------------------------------------------------- */

enum { V_UTF8, V_BOM, V_UTF16LE, V_UTF16BE, V_CP1258, V_TCVN3, V_VNI, N_VARIANTS };
static const char *const variant_names[N_VARIANTS] = {"UTF-8",    "UTF-8+BOM", "UTF-16LE",
                                                       "UTF-16BE", "CP1258",    "TCVN3", "VNI"};
static const int variant_enc[N_VARIANTS] = {PS_ENC_UTF8,   PS_ENC_UTF8,  PS_ENC_UTF16,
                                            PS_ENC_UTF16,  PS_ENC_CP1258, PS_ENC_TCVN3,
                                            PS_ENC_VNI};

static int encode_variant(int v, const char *text, size_t n, ps_buf *out)
{
    switch (v) {
    case V_UTF8: return ps_buf_add(out, text, n);
    case V_BOM: ps_buf_add(out, "\xEF\xBB\xBF", 3); return ps_buf_add(out, text, n);
    case V_UTF16LE: ps_buf_add(out, "\xFF\xFE", 2); return vnenc_iconv(text, n, "UTF-16LE", out);
    case V_UTF16BE: ps_buf_add(out, "\xFE\xFF", 2); return vnenc_iconv(text, n, "UTF-16BE", out);
    case V_CP1258: return vnenc_iconv(text, n, "CP1258", out);
    case V_TCVN3: return vnenc_tcvn3(text, n, out);
    default: return vnenc_vni(text, n, out);
    }
}

/* Whether the text has characters the encoding cannot hold (then the round
 * trip is not checked, only the detection): Ð (U+00D0, which one corpus
 * file uses for Đ) is not in CP1258, TCVN3 or VNI. */
static int holds_eth(const char *s)
{
    return strstr(s, "\xC3\x90") != NULL;
}

static void test_detect_corpus(void **state)
{
    static const char *const dirs[] = {"dang", "nha-nuoc", "extra"};
    int confusion[N_VARIANTS][PS_ENC_CP1252 + 1];
    size_t d, files = 0, wrong = 0, roundtrip_bad = 0;
    int v, e;
    (void)state;
    memset(confusion, 0, sizeof confusion);
    for (d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
        char dir[2200];
        DIR *dh;
        struct dirent *de;
        snprintf(dir, sizeof dir, "%s/corpus/%s", root, dirs[d]);
        dh = opendir(dir);
        assert_non_null(dh);
        while ((de = readdir(dh)) != NULL) {
            char path[2600], *raw = NULL, *text;
            size_t n = strlen(de->d_name), rn;
            ps_error err;
            if (n < 4 || (strcmp(de->d_name + n - 4, ".txt") != 0 &&
                          strcmp(de->d_name + n - 3, ".md") != 0))
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            assert_int_equal(ps_read_file(path, 1 << 20, &raw, &rn, &err), PS_OK);
            /* the corpus as stored text: NFC, LF, no BOM */
            text = cleaned(raw, rn);
            ps_free(raw);
            files++;
            for (v = 0; v < N_VARIANTS; v++) {
                ps_buf bytes;
                double score;
                int got;
                ps_buf_init(&bytes, 0);
                assert_int_equal(encode_variant(v, text, strlen(text), &bytes), 0);
                got = ps_encoding_detect(bytes.data, bytes.len, &score);
                confusion[v][got]++;
                if (got != variant_enc[v]) {
                    printf("MISDETECTED %s/%s as %s: %s (score %.3f)\n", dirs[d], de->d_name,
                           variant_names[v], ps_encoding_name(got), score);
                    wrong++;
                } else if (!holds_eth(text)) {
                    /* and it reads back as it was */
                    char *back = decoded(bytes.data, bytes.len, PS_ENC_AUTO, NULL);
                    int same;
                    if (v == V_TCVN3) {
                        char *a = lowered(back), *b = lowered(text);
                        same = strcmp(a, b) == 0;
                        ps_free(a);
                        ps_free(b);
                    } else {
                        same = strcmp(back, text) == 0;
                    }
                    if (!same) {
                        printf("ROUND TRIP %s/%s in %s differs\n", dirs[d], de->d_name,
                               variant_names[v]);
                        roundtrip_bad++;
                    }
                    ps_free(back);
                }
                ps_buf_fin(&bytes);
            }
            ps_free(text);
        }
        closedir(dh);
    }
    printf("encoding detection on %zu corpus texts (rows: written in, columns: detected)\n",
           files);
    printf("%-10s", "");
    for (e = PS_ENC_UTF8; e <= PS_ENC_VNI; e++)
        printf("%8s", ps_encoding_name(e));
    printf("\n");
    for (v = 0; v < N_VARIANTS; v++) {
        printf("%-10s", variant_names[v]);
        for (e = PS_ENC_UTF8; e <= PS_ENC_VNI; e++)
            printf("%8d", confusion[v][e]);
        printf("\n");
    }
    assert_true(files >= 40);
    assert_int_equal(wrong, 0);
    assert_int_equal(roundtrip_bad, 0);
}

static void expect_detect(const char *s, size_t n, int want)
{
    double score;
    int got = ps_encoding_detect(s, n, &score);
    if (got != want)
        fprintf(stderr, "[%.*s]: %s (%.3f), expected %s\n", (int)(n > 60 ? 60 : n), s,
                ps_encoding_name(got), score, ps_encoding_name(want));
    assert_int_equal(got, want);
}

static void test_detect_never_loses_utf8(void **state)
{
    static const char *const utf8[] = {
        "Nghị quyết",                          /* too few words to judge */
        "Số 57-NQ/TW ngày 22/12/2024",         /* mostly numbers */
        "Điều 1. 2. 3. a) b) c) đ) 4.000.000 đồng; 5.000.000 đồng",
        "The Communist Party of Vietnam issued a resolution on science and technology, "
        "innovation and national digital transformation; it sets targets for 2030 and a "
        "vision to 2045 for the whole political system. Việt Nam.",
        "Café crème brûlée, naïve résumé — déjà vu. Façade of the Hôtel de Ville in Paris "
        "was rebuilt after the fire of eighteen seventy one; visitors still admire it.",
        "",
        "plain ASCII text without any diacritics at all, just English words in a row here",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof utf8 / sizeof utf8[0]; i++)
        expect_detect(utf8[i], strlen(utf8[i]), PS_ENC_UTF8);
    /* a good text with a few invalid bytes stays UTF-8 (they become U+FFFD) */
    {
        static const char bad[] = "Nghị quyết \377\376 về \303 kinh tế tư nhân";
        expect_detect(bad, sizeof bad - 1, PS_ENC_UTF8);
    }
}

static void test_detect_short_legacy(void **state)
{
    (void)state;
    /* a few words are enough when the bytes are not UTF-8 */
    static const char tcvn3[] = "C\xe9ng ho\xb5 x\xb7 h\xe9i ch\xf1 ngh\xdc" "a";
    static const char vni[] = "Co\xe4ng ho\xf8" "a xa\xf5 ho\xe4i";
    static const char cp1258[] = "C\xf4\xf2ng ho\xcc" "a xa\xde h\xf4\xf2i";
    expect_detect(tcvn3, sizeof tcvn3 - 1, PS_ENC_TCVN3);
    expect_detect(vni, sizeof vni - 1, PS_ENC_VNI);
    expect_detect(cp1258, sizeof cp1258 - 1, PS_ENC_CP1258);
}

static void test_detect_declared(void **state)
{
    static const char vni[] = "Co\xe4ng ho\xf8" "a xa\xf5 ho\xe4i chu\xfb ngh\xf3" "a Vie\xe4t Nam "
                              "\xd1o\xe4" "c la\xe4p - T\xf6\xef do - Ha\xefnh phu\xf9" "c";
    static const char french[] = "Le comit\xe9 a d\xe9" "cid\xe9 de r\xe9viser la proc\xe9" "dure "
                                 "apr\xe8s l'\xe9t\xe9; la s\xe9" "ance reprend \xe0 dix heures "
                                 "et le pr\xe9sident ouvre les d\xe9" "bats du jour.";
    (void)state;
    /* a page declared Latin-1 in a VNI font reads as VNI */
    assert_int_equal(ps_encoding_detect_from(vni, sizeof vni - 1, PS_ENC_CP1252, NULL), PS_ENC_VNI);
    /* a real Latin-1 page stays Latin-1 */
    assert_int_equal(ps_encoding_detect_from(french, sizeof french - 1, PS_ENC_CP1252, NULL),
                     PS_ENC_CP1252);
}

static void test_utf16_odd(void **state)
{
    ps_buf out;
    ps_error err;
    (void)state;
    ps_buf_init(&out, 0);
    /* an unpaired surrogate and an odd last byte */
    assert_int_equal(ps_decode("\xFF\xFE\x00\xD8" "A\x00" "B", 7, PS_ENC_UTF16, &out, &err), PS_OK);
    assert_string_equal(ps_buf_cstr(&out), "\xEF\xBF\xBD" "A");
    ps_buf_fin(&out);
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cp1258_table),
        cmocka_unit_test(test_tcvn3_table),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_vni),
        cmocka_unit_test(test_tcvn3_capitals),
        cmocka_unit_test(test_cp1258),
        cmocka_unit_test(test_detect_corpus),
        cmocka_unit_test(test_detect_never_loses_utf8),
        cmocka_unit_test(test_detect_short_legacy),
        cmocka_unit_test(test_detect_declared),
        cmocka_unit_test(test_utf16_odd),
    };
    test_root_init();
    if (!present("corpus/README.md")) {
        printf("skipped: no sample corpus under %s (set POLSEARCH_ROOT to the repository)\n",
               root);
        return 77;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
