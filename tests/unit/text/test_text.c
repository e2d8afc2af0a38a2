/* Unit tests of lib/text: the canonical form's rules one by one, the
 * cleaner, whole-string forms, the syllable score, the analyzer's spans
 * and flags. (tests/golden/analyzer.* covers whole lines.) */
#include <setjmp.h>
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tone_placement_is_canonical), cmocka_unit_test(tones_are_not_merged),
        cmocka_unit_test(final_i_is_y),               cmocka_unit_test(d_and_eth),
        cmocka_unit_test(nfd_words),                  cmocka_unit_test(clean_text),
        cmocka_unit_test(whole_string_forms),         cmocka_unit_test(syllables),
        cmocka_unit_test(vietnamese_score),           cmocka_unit_test(analyzer_spans_and_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
