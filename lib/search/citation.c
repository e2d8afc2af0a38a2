/*
 * citation.c: the citation a user pastes.
 *
 * The first mention of a document in Vietnamese administrative writing
 * names its type, number, date, issuer and subject, in that order (the
 * Nghị định 30/2020/NĐ-CP rules for văn thư): "Nghị quyết số 57-NQ/TW ngày
 * 22/12/2024 của Bộ Chính trị về đột phá ...". A law is named by its name,
 * which already holds its type, and its issuer goes without saying:
 * "Luật Dữ liệu số 60/2024/QH15 ngày 30/11/2024". A place inside the text
 * is read innermost first: "điểm a khoản 1 Điều 5".
 */
#include <string.h>
#include <strings.h>

#include "polsearch/search.h"
#include "polsearch/text.h"
#include "search/internal.h"

/* Whether the title begins with the type's words ("Luật Đất đai" / Luật),
 * compared without case or diacritics. */
static int title_names_type(const char *title, const char *type)
{
    ps_buf a, b;
    int yes;
    ps_buf_init(&a, 4096);
    ps_buf_init(&b, 4096);
    ps_text_fold(title, strlen(title), &a);
    ps_text_fold(type, strlen(type), &b);
    yes = b.len > 0 && a.len >= b.len && memcmp(a.data, b.data, b.len) == 0 &&
          (a.len == b.len || a.data[b.len] == ' ');
    ps_buf_fin(&a);
    ps_buf_fin(&b);
    return yes;
}

static int is_law_type(const char *type)
{
    static const char *const laws[] = {"luat", "bo luat", "phap lenh", "hien phap", "luat mau"};
    ps_buf f;
    size_t i;
    int yes = 0;
    ps_buf_init(&f, 256);
    ps_text_fold(type, strlen(type), &f);
    for (i = 0; i < sizeof laws / sizeof laws[0]; i++)
        if (f.len && strcmp(f.data, laws[i]) == 0)
            yes = 1;
    ps_buf_fin(&f);
    return yes;
}

/* Whether a type's subject is a noun phrase read after "về" (Nghị định
 * ... về bảo vệ dữ liệu cá nhân), rather than a verb phrase read as it is
 * (Quyết định ... phê duyệt ..., Kế hoạch ... triển khai ...). */
static int takes_ve(const char *type)
{
    static const char *const types[] = {"nghi dinh", "nghi quyet", "thong tu", "thong tu lien tich",
                                        "chi thi", "ket luan", "quy dinh", "nghi quyet lien tich",
                                        "phap lenh", "de an"};
    ps_buf f;
    size_t i;
    int yes = 0;
    if (!type)
        return 0;
    ps_buf_init(&f, 256);
    ps_text_fold(type, strlen(type), &f);
    for (i = 0; i < sizeof types / sizeof types[0]; i++)
        if (f.len && strcmp(f.data, types[i]) == 0)
            yes = 1;
    ps_buf_fin(&f);
    return yes;
}

/* Whether the subject starts with a verb of enactment, which reads
 * without "về": "... của Chính phủ sửa đổi, bổ sung ...", "... hướng dẫn
 * thể thức ...". */
static int starts_with_verb(const char *t)
{
    static const char *const verbs[] = {
        "ban hanh", "huong dan", "quy dinh", "sua doi", "bai bo", "phe duyet", "thanh lap",
        "thuc hien", "trien khai", "cong bo", "giao", "kien toan", "phan cong", "dieu chinh",
        "ve"};
    ps_buf f;
    size_t i, n = strlen(t);
    int yes = 0;
    ps_buf_init(&f, 256);
    ps_text_fold(t, n < 40 ? n : 40, &f);
    for (i = 0; i < sizeof verbs / sizeof verbs[0] && f.len; i++) {
        size_t l = strlen(verbs[i]);
        if (f.len >= l && memcmp(f.data, verbs[i], l) == 0 &&
            (f.len == l || !((f.data[l] >= 'a' && f.data[l] <= 'z') || (f.data[l] >= '0' && f.data[l] <= '9'))))
            yes = 1;
    }
    ps_buf_fin(&f);
    return yes;
}

static int starts_with_ve(const char *t)
{
    ps_buf f;
    int yes;
    ps_buf_init(&f, 64);
    ps_text_lower(t, strlen(t) < 8 ? strlen(t) : 8, &f);
    yes = f.len >= 4 && memcmp(f.data, "về", 4) == 0 && (f.len == 4 || f.data[4] == ' ');
    ps_buf_fin(&f);
    return yes;
}

/* The subject as it reads after the issuer: "V/v x" -> "về x", and a
 * capital first letter lowered unless the first word is an acronym. */
static void add_subject(ps_buf *out, const char *t)
{
    uint32_t c1, c2 = 0;
    int l1, l2;
    if (strncmp(t, "V/v ", 4) == 0 || strncmp(t, "v/v ", 4) == 0) {
        ps_buf_adds(out, "về ");
        ps_buf_adds(out, t + 4);
        return;
    }
    l1 = ps_utf8_decode((const unsigned char *)t, strlen(t), &c1);
    if (l1 <= 0) {
        ps_buf_adds(out, t);
        return;
    }
    l2 = ps_utf8_decode((const unsigned char *)t + l1, strlen(t + l1), &c2);
    {
        ps_buf first;
        ps_buf_init(&first, 16);
        ps_text_lower(t, (size_t)l1, &first);
        /* "Ban hành" -> "ban hành"; "UBND tỉnh" stays */
        if (l2 > 0 && first.len && !(c2 >= 'A' && c2 <= 'Z')) {
            char lc2[8];
            size_t n2 = (size_t)ps_utf8_encode(c2, lc2);
            ps_buf up;
            int second_upper;
            ps_buf_init(&up, 16);
            ps_text_lower(lc2, n2, &up);
            second_upper = up.len != n2 || memcmp(up.data, lc2, n2) != 0;
            ps_buf_fin(&up);
            if (!second_upper) {
                ps_buf_add(out, first.data, first.len);
                ps_buf_adds(out, t + l1);
                ps_buf_fin(&first);
                return;
            }
        }
        ps_buf_fin(&first);
    }
    ps_buf_adds(out, t);
}

static void add_date(ps_buf *out, const char *iso)
{
    /* "2024-12-22" -> "22/12/2024" */
    if (iso && strlen(iso) == 10 && iso[4] == '-' && iso[7] == '-')
        ps_buf_addf(out, " ngày %.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

static int part_is(const char *p, size_t n, const char *s)
{
    return strlen(s) == n && memcmp(p, s, n) == 0;
}

int ps_citation_location(const char *path, ps_buf *out)
{
    const char *parts[16];
    size_t lens[16], n = 0, i, start = 0, from;
    const char *p = path;
    int first = 1;
    if (!path || !*path)
        return out->err;
    while (*p && n < 16) {
        const char *e = strstr(p, " > ");
        size_t l = e ? (size_t)(e - p) : strlen(p);
        parts[n] = p;
        lens[n] = l;
        n++;
        if (!e)
            break;
        p = e + 3;
    }
    /* inside an article the article is the outermost unit named */
    for (i = 0; i < n; i++)
        if (lens[i] > 7 && strncmp(parts[i], "Điều ", 7) == 0)
            start = i;
    for (from = n; from-- > start;) {
        if (part_is(parts[from], lens[from], "Phần mở đầu") ||
            part_is(parts[from], lens[from], "Phần cuối") ||
            (lens[from] > 6 && strncmp(parts[from], "Đoạn ", 6) == 0))
            continue;
        if (!first)
            ps_buf_addc(out, ' ');
        ps_buf_add(out, parts[from], lens[from]);
        first = 0;
    }
    return out->err;
}

int ps_citation(const ps_cite_meta *m, const char *path, ps_buf *out)
{
    size_t before;
    int law = m->type && m->title && is_law_type(m->type) && title_names_type(m->title, m->type);
    if (law) {
        ps_buf_adds(out, m->title);
    } else if (m->type) {
        ps_buf_adds(out, m->type);
    } else if (m->title) {
        ps_buf_adds(out, m->title);
        law = 1; /* nothing to add after the number */
    } else {
        ps_buf_adds(out, "Văn bản");
    }
    if (m->number && *m->number)
        ps_buf_addf(out, " số %s", m->number);
    add_date(out, m->date);
    if (!law) {
        if (m->issuer && *m->issuer)
            ps_buf_addf(out, " của %s", m->issuer);
        if (m->title && *m->title) {
            ps_buf_addc(out, ' ');
            if (takes_ve(m->type) && !starts_with_ve(m->title) && !starts_with_verb(m->title) &&
                strncasecmp(m->title, "v/v ", 4))
                ps_buf_adds(out, "về ");
            add_subject(out, m->title);
        }
    }
    before = out->len;
    ps_buf_adds(out, ", ");
    ps_citation_location(path, out);
    if (out->len == before + 2) {
        out->len = before; /* no location */
        if (out->data)
            out->data[before] = '\0';
    }
    return out->err;
}

const char *ps_hit_citation(ps_arena *a, const ps_hit *h, const char *path)
{
    ps_cite_meta cm;
    ps_buf cb;
    const char *res;
    cm.type = h->type;
    cm.number = h->number;
    cm.date = h->date;
    cm.issuer = h->issuer;
    cm.title = h->title;
    ps_buf_init(&cb, 8192);
    ps_citation(&cm, path, &cb);
    res = cb.err ? NULL : ps_arena_strndup(a, ps_buf_cstr(&cb), cb.len);
    ps_buf_fin(&cb);
    return res;
}
