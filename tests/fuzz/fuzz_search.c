/*
 * fuzz_search: a whole search on any query, against one index and the
 * same documents in two shards.
 *
 * The first run writes four small documents into a temporary index and,
 * split by parity, into two shards named by a stub file. Each input is a
 * query (and, after a 0xFF byte, an option byte: unit, filters, date
 * range, sort, reader level). Both searches must succeed or fail alike
 * and, when they succeed, agree on the total, the facets and the hits:
 * the single index counts facets from its per-term document sets
 * (lib/search/docsets.c), the shards by a Xapian match over every
 * passage, so any query shape the first gets wrong shows here.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "polsearch/doc.h"
#include "polsearch/index.h"
#include "polsearch/search.h"
#include "tests/fuzz/fuzz_common.h"

static const char *const texts[] = {
    "BAN CHẤP HÀNH TRUNG ƯƠNG\nSố 57-NQ/TW\nHà Nội, ngày 22 tháng 12 năm 2024\n"
    "NGHỊ QUYẾT\nCỦA BỘ CHÍNH TRỊ\nvề đột phá phát triển khoa học, công nghệ\n"
    "I- QUAN ĐIỂM\n1- Khoa học, công nghệ và chuyển đổi số là đột phá quan trọng hàng đầu.\n"
    "2- Hòa bình và hợp tác là xu thế lớn.\nT/M BỘ CHÍNH TRỊ\nTổng Bí thư\nTô Lâm\n",
    "CHÍNH PHỦ\nSố: 13/2023/NĐ-CP\nHà Nội, ngày 17 tháng 4 năm 2023\nNGHỊ ĐỊNH\n"
    "BẢO VỆ DỮ LIỆU CÁ NHÂN\nCăn cứ Nghị quyết số 57-NQ/TW;\n"
    "Điều 1. Phạm vi điều chỉnh\nNghị định này quy định về bảo vệ dữ liệu cá nhân.\n"
    "Điều 2. Hóa đơn điện tử\n1. Hóa đơn được lập theo mẫu.\n"
    "Điều 3. Hiệu lực thi hành\nNghị định này có hiệu lực từ ngày ký.\n"
    "TM. CHÍNH PHỦ\nTHỦ TƯỚNG\nPhạm Minh Chính\n",
    "QUỐC HỘI\nSố: 60/2024/QH15\nHà Nội, ngày 30 tháng 11 năm 2024\nLUẬT\nDỮ LIỆU\n"
    "Điều 1. Phạm vi điều chỉnh\nLuật này quy định về dữ liệu số và chuyển đổi số.\n"
    "Điều 2. Áp dụng\nCơ quan, tổ chức, cá nhân có liên quan áp dụng Luật này.\n",
    "BAN CHẤP HÀNH TRUNG ƯƠNG\nMẬT\nSố 85-KL/TW\nHà Nội, ngày 10 tháng 7 năm 2024\n"
    "KẾT LUẬN\nCỦA BỘ CHÍNH TRỊ\nvề bảo vệ chính trị nội bộ\n"
    "1- Bảo vệ chính trị nội bộ là nhiệm vụ quan trọng.\nT/M BỘ CHÍNH TRỊ\nTô Lâm\n",
};

static char dir[] = "/tmp/ps-fuzz-search-XXXXXX";
static ps_searcher *one, *two;

static void cleanup(void)
{
    ps_searcher_close(one);
    ps_searcher_close(two);
    ps_rmtree(dir);
}

static void write_index(const char *path, int part)
{
    ps_writer *w;
    ps_writer_opts o;
    size_t i;
    ps_writer_opts_default(&o);
    o.no_sync = 1;
    if (ps_writer_open(path, &o, &w, NULL))
        abort();
    for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char id[16];
        ps_doc *d;
        if (part >= 0 && (int)(i % 2) != part)
            continue;
        snprintf(id, sizeof id, "doc%zu", i);
        d = ps_doc_new();
        d->id = id;
        ps_doc_set_text(d, texts[i], strlen(texts[i]), NULL, NULL);
        ps_doc_parse(d, NULL);
        if (ps_writer_add(w, d, NULL))
            abort();
        ps_doc_free(d);
    }
    if (ps_writer_close(w, NULL))
        abort();
}

static void setup(void)
{
    char p[256];
    FILE *f;
    if (!mkdtemp(dir))
        abort();
    atexit(cleanup);
    snprintf(p, sizeof p, "%s/one", dir);
    write_index(p, -1);
    if (ps_searcher_open(p, &one, NULL))
        abort();
    snprintf(p, sizeof p, "%s/sh", dir);
    if (mkdir(p, 0777))
        abort();
    snprintf(p, sizeof p, "%s/sh/shard-00", dir);
    write_index(p, 0);
    snprintf(p, sizeof p, "%s/sh/shard-01", dir);
    write_index(p, 1);
    snprintf(p, sizeof p, "%s/sh/shards.stub", dir);
    f = fopen(p, "w");
    if (!f)
        abort();
    fputs("auto shard-00\nauto shard-01\n", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/sh", dir);
    if (ps_searcher_open(p, &two, NULL))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const types[] = {NULL, "nq", "Nghị định", "luat"};
    static const char *const froms[] = {NULL, "2024", "2023-04-18", NULL};
    static const char *const tos[] = {NULL, NULL, "2024-07", "2023"};
    ps_search_opts o;
    ps_results *ra = NULL, *rb = NULL;
    ps_error ea, eb;
    const uint8_t *ff = memchr(data, 0xFF, size);
    unsigned opt = ff && ff + 1 < data + size ? ff[1] : 0;
    char *q;
    int a, b;
    size_t i, k, qlen = ff ? (size_t)(ff - data) : size;

    if (!one)
        setup();
    q = ps_malloc(qlen + 1);
    if (!q)
        return 0;
    memcpy(q, data, qlen);
    q[qlen] = 0;
    ps_search_opts_default(&o);
    o.query = q;
    o.facets = 1;
    o.limit = 20;
    o.unit = opt & 1 ? PS_UNIT_PASSAGE : PS_UNIT_DOCUMENT;
    o.type = types[(opt >> 1) & 3];
    o.from = froms[(opt >> 3) & 3];
    o.to = tos[(opt >> 3) & 3];
    o.sort = opt & 0x20 ? PS_SORT_DATE_DESC : PS_SORT_RELEVANCE;
    o.access = opt & 0x40 ? PS_ACCESS_SECRET : PS_ACCESS_PUBLIC;
    a = ps_search(one, &o, &ra, &ea);
    b = ps_search(two, &o, &rb, &eb);
    FUZZ_CHECK(a == b);
    if (a == PS_OK) {
        FUZZ_CHECK(ra->n <= o.limit && rb->n == ra->n);
        FUZZ_CHECK(ra->n_facets == rb->n_facets);
        if (o.unit == PS_UNIT_DOCUMENT)
            FUZZ_CHECK(ra->total == rb->total);
        for (i = 0; i < ra->n_facets; i++) {
            FUZZ_CHECK(ra->facets[i].n == rb->facets[i].n);
            for (k = 0; k < ra->facets[i].n; k++) {
                FUZZ_CHECK(strcmp(ra->facets[i].values[k].value, rb->facets[i].values[k].value) == 0);
                FUZZ_CHECK(ra->facets[i].values[k].count == rb->facets[i].values[k].count);
            }
        }
        for (i = 0; i < ra->n; i++)
            FUZZ_CHECK(strcmp(ra->hits[i].id, rb->hits[i].id) == 0);
    }
    ps_results_free(ra);
    ps_results_free(rb);
    ps_free(q);
    return 0;
}
