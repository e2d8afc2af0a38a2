/* Unit tests of lib/text: the canonical form's rules one by one, the
 * cleaner, whole-string forms, the syllable score, the analyzer's spans
 * and flags. (tests/golden/analyzer.* covers whole lines.) */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "polsearch/text.h"

static void word_is(const char *in, const char *term, const char *fold)
{
    char t[PS_TERM_MAX + 1], f[PS_TERM_MAX + 1];
    size_t tl, fl;
    int flags = ps_text_word(in, strlen(in), t, &tl, f, &fl);
    assert_true(flags >= 0);
    assert_string_equal(t, term);
    assert_string_equal(f, fold);
}

static void tone_placement_is_canonical(void **state)
{
    (void)state;
    word_is("hoà", "hòa", "hoa");
    word_is("hòa", "hòa", "hoa");
    word_is("HOÀ", "hòa", "hoa");
    word_is("khoẻ", "khỏe", "khoe");
    word_is("thuỷ", "thủy", "thuy");
    word_is("uỷ", "ủy", "uy");
    word_is("loá", "lóa", "loa");
    /* after q the u belongs to the onset: nothing moves */
    word_is("quý", "quý", "quy");
    word_is("quỹ", "quỹ", "quy");
    /* closed syllables never move */
    word_is("hoàng", "hoàng", "hoang");
    word_is("toán", "toán", "toan");
    word_is("khuyến", "khuyến", "khuyen");
    word_is("thuở", "thuở", "thuo");
    word_is("ngoài", "ngoài", "ngoai");
}

static void tones_are_not_merged(void **state)
{
    (void)state;
    word_is("hóa", "hóa", "hoa");
    word_is("hỏa", "hỏa", "hoa");
    word_is("hoạ", "họa", "hoa");
}

static void final_i_is_y(void **state)
{
    (void)state;
    word_is("quí", "quý", "quy");
    word_is("qui", "quy", "quy");
    word_is("kĩ", "kỹ", "ky");
    word_is("lí", "lý", "ly");
    word_is("tỉ", "tỷ", "ty");
    word_is("mĩ", "mỹ", "my");
    /* not after other onsets */
    word_is("thi", "thi", "thi");
    word_is("chí", "chí", "chi");
    word_is("bí", "bí", "bi");
}

static void d_and_eth(void **state)
{
    (void)state;
    word_is("Đảng", "đảng", "dang");
    word_is("\xC3\x90\xE1\xBA\xA2NG", "đảng", "dang"); /* ÐẢNG with U+00D0 */
    word_is("\xC3\xB0i", "đi", "di");                 /* ði with U+00F0 */
}

static void nfd_words(void **state)
{
    (void)state;
    word_is("Nghi\xCC\xA3", "nghị", "nghi");          /* i + dot below */
    word_is("ho\xCC\x80" "a", "hòa", "hoa");             /* decomposed, old placement */
    word_is("hoa\xCC\x80", "hòa", "hoa");             /* decomposed, new placement */
}

static void clean_text(void **state)
{
    ps_buf b;
    ps_clean_stats st;
    const char in[] = "\xEF\xBB\xBF" "D\xC3\xB2ng 1\r\ndo\xCC\x80ng 2\rx\x01y\xE2\x80\x8B" "z\xff!";
    (void)state;
    ps_buf_init(&b, 0);
    assert_int_equal(ps_text_clean(in, sizeof in - 1, &b, &st, NULL), PS_OK);
    /* BOM and control and zero-width gone, CRLF and CR -> LF, NFC, U+FFFD */
    assert_string_equal(ps_buf_cstr(&b), "Dòng 1\ndòng 2\nxyz\xEF\xBF\xBD!");
    assert_int_equal(st.invalid_bytes, 1);
    assert_int_equal(st.dropped, 3);
    assert_int_equal(st.renormalized, 1);
    ps_buf_fin(&b);
}

static void whole_string_forms(void **state)
{
    ps_buf b;
    (void)state;
    ps_buf_init(&b, 0);
    ps_text_lower("Uỷ ban Nhân dân TỈNH Khánh Hoà", strlen("Uỷ ban Nhân dân TỈNH Khánh Hoà"), &b);
    assert_string_equal(ps_buf_cstr(&b), "ủy ban nhân dân tỉnh khánh hòa");
    ps_buf_reset(&b);
    ps_text_fold("Bộ Chính trị, Đảng", strlen("Bộ Chính trị, Đảng"), &b);
    assert_string_equal(ps_buf_cstr(&b), "bo chinh tri, dang");
    ps_buf_reset(&b);
    ps_text_slug("  Bộ Chính trị -- (khóa XIII) ", strlen("  Bộ Chính trị -- (khóa XIII) "), &b);
    assert_string_equal(ps_buf_cstr(&b), "bo-chinh-tri-khoa-xiii");
    ps_buf_fin(&b);
    assert_true(ps_text_has_marks("Việt", strlen("Việt")));
    assert_true(ps_text_has_marks("đi", strlen("đi")));
    assert_false(ps_text_has_marks("nghi quyet 57", 13));
}

static void syllables(void **state)
{
    (void)state;
    assert_true(ps_text_is_syllable("nghiêng", strlen("nghiêng")));
    assert_true(ps_text_is_syllable("khuya", strlen("khuya")));
    assert_true(ps_text_is_syllable("giữ", strlen("giữ")));
    assert_true(ps_text_is_syllable("quýt", strlen("quýt")));
    assert_true(ps_text_is_syllable("người", strlen("người")));
    assert_true(ps_text_is_syllable("khuyến", strlen("khuyến")));
    assert_true(ps_text_is_syllable("hoà", strlen("hoà")));  /* either placement */
    assert_true(ps_text_is_syllable("hòa", strlen("hòa")));
    assert_false(ps_text_is_syllable("laõnh", strlen("laõnh"))); /* VNI read as Latin-1 */
    assert_false(ps_text_is_syllable("street", 6));
    assert_false(ps_text_is_syllable("xaõ", strlen("xaõ")));
    assert_false(ps_text_is_syllable("hoäi", strlen("hoäi")));
}

static void vietnamese_score(void **state)
{
    const char good[] = "Đảng Cộng sản Việt Nam lãnh đạo Nhà nước và xã hội, phát huy quyền "
                        "làm chủ của nhân dân, xây dựng Nhà nước pháp quyền xã hội chủ nghĩa "
                        "của nhân dân, do nhân dân, vì nhân dân.";
    const char vni[] = "Ñaûng Coäng saûn Vieät Nam laõnh ñaïo Nhaø nöôùc vaø xaõ hoäi, phaùt "
                       "huy quyeàn laøm chuû cuûa nhaân daân, xaây döïng Nhaø nöôùc phaùp "
                       "quyeàn xaõ hoäi chuû nghóa.";
    (void)state;
    assert_true(ps_text_vietnamese_score(good, sizeof good - 1, 0) > 0.85);
    assert_true(ps_text_vietnamese_score(vni, sizeof vni - 1, 0) < 0.4);
    assert_true(ps_text_vietnamese_score("ba từ thôi", strlen("ba từ thôi"), 0) < 0);
}

static void analyzer_spans_and_flags(void **state)
{
    ps_analyzer *a;
    ps_token t;
    const char txt[] = "Điều 5. Số 57-NQ/TW\nkhoa học 1.234,5";
    const char *want[] = {"điều", "5", "số", "57", "nq", "tw", "khoa", "học", "1.234,5"};
    unsigned flags[9];
    size_t n = 0;
    (void)state;
    assert_int_equal(ps_analyzer_new(&a, NULL), PS_OK);
    assert_int_equal(ps_analyzer_start(a, txt, sizeof txt - 1, 10, NULL), PS_OK);
    while (ps_analyzer_next(a, &t)) {
        assert_true(n < 9);
        assert_string_equal(t.term, want[n]);
        assert_int_equal(t.pos, 10 + n);
        /* the span covers the word as written */
        assert_true(t.end > t.start && t.end <= sizeof txt - 1);
        flags[n++] = t.flags;
    }
    assert_int_equal(n, 9);
    assert_true(flags[0] & PS_TOK_CAPITAL);
    assert_true(flags[1] & PS_TOK_NUMBER);
    assert_true(flags[2] & PS_TOK_BREAK);       /* after "." */
    assert_true(flags[2] & PS_TOK_SENTENCE);
    assert_true(flags[4] & PS_TOK_BREAK);       /* after "-" */
    assert_true(flags[4] & PS_TOK_ALLCAPS);
    assert_true(flags[6] & PS_TOK_NEWLINE);
    assert_false(flags[7] & PS_TOK_BREAK);      /* khoa học: a bigram */
    ps_analyzer_free(a);
    ps_analyzer_free(NULL);
}

/* ---- the analyzer's fast path gives ICU's tokens ---------------------- */

/* Analyses text[0, n) with the fast path on and off; fails at the first
 * token that differs. Returns the token count. */
static size_t same_tokens(ps_analyzer *fast, ps_analyzer *icu, const char *text, size_t n,
                          const char *what)
{
    ps_token a, b;
    ps_error err;
    size_t count = 0;
    int ra, rb;
    assert_int_equal(ps_analyzer_start(fast, text, n, 0, &err), PS_OK);
    assert_int_equal(ps_analyzer_start(icu, text, n, 0, &err), PS_OK);
    for (;;) {
        ra = ps_analyzer_next(fast, &a);
        rb = ps_analyzer_next(icu, &b);
        if (ra != rb || (ra && (a.start != b.start || a.end != b.end || a.flags != b.flags ||
                                strcmp(a.term, b.term) != 0 || strcmp(a.fold, b.fold) != 0))) {
            size_t at = rb ? b.start : n, from = at > 30 ? at - 30 : 0;
            print_message("%s: token %zu differs near byte %zu: \"%.*s\"\n"
                          "  fast: %d [%zu,%zu) %s flags %x\n  icu:  %d [%zu,%zu) %s flags %x\n",
                          what, count, at, (int)((at + 30 < n ? at + 30 : n) - from), text + from,
                          ra, ra ? a.start : 0, ra ? a.end : 0, ra ? a.term : "-", ra ? a.flags : 0,
                          rb, rb ? b.start : 0, rb ? b.end : 0, rb ? b.term : "-", rb ? b.flags : 0);
            fail();
        }
        if (!ra)
            return count;
        count++;
    }
}

static void fast_path_cases(void **state)
{
    static const char *cases[] = {
        "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
        "T.Ư, T.W; Đ.2; a.b.c; e.g. x:y l'état 5,3 1.000.000 5;6 5'6 a'b",
        "trang 12.5% (tr. 3) [a] {b} \"c\" d_e _f g_ 7_8 x__y",
        "cuối câu. Đầu câu: tiếp; hết!",
        "dangcongsan.vn www.chinhphu.vn/index.html a@b.com qu@i0 x@1 @2 3@",
        "hoa\xCC\x80 NFD: ho\xCC\x80" "a Tie\xCC\x82\xCC\x81" "ng Vie\xCC\xA3" "t",
        "không\xC2\xA0" "cách Điều\xC2\xA0" "5 – “trích” … — ‘x’ a’b a\xE2\x80\x99" "b",
        "\xC3\x90" "ảng Ðảng ĐẢNG ñ ß œ Ǆ ǅ ȸ ɐ ẞ",
        "中文 ไทย العربية Русский Ελληνικά 😀 👍🏽 🇻🇳",
        "tab\there\r\nCRLF\rCR\x0b" "VT\x0c" "FF\x01" "ctl\x7f" "del",
        "invalid \xC3 \xFF\xFE bytes \xE1\xBA" " a\xE1\xBA" "b",
        "a\xE2\x80\x8D" "b a\xE2\x80\x8C" "b a\xC2\xAD" "b a\xEF\xBB\xBF" "b", /* ZWJ, ZWNJ, SHY, BOM */
        "1a a1 1.a a.1 1,a a,1 .5 5. ,5 5, 'a a' :a a:",
        "...a.. ,,b,, ;;c;; ''d'' ::e::",
        "",
        " ",
        ".",
        "x",
        "5",
        "đ",
    };
    ps_analyzer *fast, *icu;
    ps_error err;
    size_t i;
    (void)state;
    assert_int_equal(ps_analyzer_new(&fast, &err), PS_OK);
    assert_int_equal(ps_analyzer_new(&icu, &err), PS_OK);
    ps_analyzer_set_fast(icu, 0);
    for (i = 0; i < sizeof cases / sizeof *cases; i++)
        same_tokens(fast, icu, cases[i], strlen(cases[i]), cases[i]);
    /* the first case really is cut in tokens */
    assert_int_equal(same_tokens(fast, icu, cases[0], strlen(cases[0]), cases[0]), 14);
    ps_analyzer_free(fast);
    ps_analyzer_free(icu);
}

/* Reads a whole file; NULL when it cannot. */
static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long sz;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (sz = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)sz + 1)) != NULL) {
        *n = fread(buf, 1, (size_t)sz, f);
        buf[*n] = '\0';
    }
    fclose(f);
    return buf;
}

static ps_analyzer *nftw_fast, *nftw_icu;
static size_t nftw_files, nftw_tokens;

static int compare_file(const char *path, const struct stat *st, int kind, struct FTW *ftw)
{
    char *text;
    size_t n;
    (void)st;
    (void)ftw;
    if (kind != FTW_F || !(text = slurp(path, &n)))
        return 0;
    nftw_tokens += same_tokens(nftw_fast, nftw_icu, text, n, path);
    nftw_files++;
    free(text);
    return 0;
}

/* Every file of the project's corpus as bytes (markup, binary formats and
 * all), and the shared collection's texts when they are present. */
static void fast_path_on_corpora(void **state)
{
    const char *root = getenv("POLSEARCH_ROOT"), *shared = getenv("POLSEARCH_SHARED_DATA");
    char path[4096];
    ps_error err;
    FILE *f;
    (void)state;
    assert_int_equal(ps_analyzer_new(&nftw_fast, &err), PS_OK);
    assert_int_equal(ps_analyzer_new(&nftw_icu, &err), PS_OK);
    ps_analyzer_set_fast(nftw_icu, 0);
    snprintf(path, sizeof path, "%s/corpus", root ? root : ".");
    assert_int_equal(nftw(path, compare_file, 16, FTW_PHYS), 0);
    assert_true(nftw_files >= 10); /* the corpus was found */
    print_message("project corpus: %zu files, %zu tokens, the same both ways\n", nftw_files,
                  nftw_tokens);
    snprintf(path, sizeof path, "%s/corpus.jsonl", shared ? shared : "../shared/data");
    if (!(f = fopen(path, "rb"))) {
        print_message("skip: the shared collection is absent (%s)\n", path);
    } else {
        char *line = NULL;
        size_t cap = 0, docs = 0, tokens = 0;
        ssize_t got;
        while ((got = getline(&line, &cap, f)) > 0) {
            json_error_t je;
            json_t *o = json_loadb(line, (size_t)got, 0, &je), *t;
            assert_non_null(o);
            t = json_object_get(o, "text");
            if (json_is_string(t)) {
                tokens += same_tokens(nftw_fast, nftw_icu, json_string_value(t),
                                      json_string_length(t), json_string_value(json_object_get(o, "id")));
                docs++;
            }
            json_decref(o);
        }
        free(line);
        fclose(f);
        print_message("shared collection: %zu texts, %zu tokens, the same both ways\n", docs,
                      tokens);
        assert_true(docs > 0);
    }
    ps_analyzer_free(nftw_fast);
    ps_analyzer_free(nftw_icu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tone_placement_is_canonical), cmocka_unit_test(tones_are_not_merged),
        cmocka_unit_test(final_i_is_y),               cmocka_unit_test(d_and_eth),
        cmocka_unit_test(nfd_words),                  cmocka_unit_test(clean_text),
        cmocka_unit_test(whole_string_forms),         cmocka_unit_test(syllables),
        cmocka_unit_test(vietnamese_score),           cmocka_unit_test(analyzer_spans_and_flags),
        cmocka_unit_test(fast_path_cases),            cmocka_unit_test(fast_path_on_corpora),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
