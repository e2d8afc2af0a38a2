/*
 * doc.h: the document model: one Vietnamese document as a records clerk
 * sees it — its metadata (type, number, issuer, signer, dates, subject,
 * access marking), its structure (Phần/Chương/Mục/Điều/khoản/điểm, or the
 * Party forms I-, 1-, a)), the documents it mentions, and its passages.
 *
 * A ps_doc owns an arena: every string and node reachable from it lives
 * there and dies with ps_doc_free(). Fields are plain data for readers;
 * writers go through the functions here so the arena stays the owner.
 *
 * Offsets are byte offsets into doc->text, the cleaned (NFC, LF) text.
 */
#ifndef POLSEARCH_DOC_H
#define POLSEARCH_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "polsearch/util.h"

/* Access levels, ordered: a reader cleared for a level sees it and all
 * lower ones. */
typedef enum ps_access {
    PS_ACCESS_PUBLIC = 0,     /* no marking */
    PS_ACCESS_INTERNAL = 1,   /* "LƯU HÀNH NỘI BỘ" */
    PS_ACCESS_RESTRICTED = 2, /* "MẬT" */
    PS_ACCESS_SECRET = 3      /* "TỐI MẬT", "TUYỆT MẬT" */
} ps_access;

/* "public", "internal", "restricted", "secret". */
const char *ps_access_name(int access);
/* Parses those names; -1 when unknown. */
int ps_access_parse(const char *name);

/* Kinds of structural units. The names are those of the JSON "kind". */
typedef enum ps_node_kind {
    PS_NODE_ROOT = 0, /* the whole document */
    PS_NODE_PHAN,     /* Phần (Roman or ordinal), also Party "I-" parts */
    PS_NODE_CHUONG,   /* Chương */
    PS_NODE_MUC,      /* Mục (within a Chương), Tiểu mục */
    PS_NODE_DIEU,     /* Điều N. */
    PS_NODE_KHOAN,    /* khoản "1." / Party "1-" */
    PS_NODE_DIEM      /* điểm "a)" */
} ps_node_kind;

/* "root", "phan", "chuong", "muc", "dieu", "khoan", "diem". */
const char *ps_node_kind_name(int kind);

typedef struct ps_node {
    int kind;             /* ps_node_kind */
    const char *num;      /* as written: "5", "II", "1", "a", "5a" */
    const char *label;    /* display label: "Điều 5", "Chương II", "Mục 2",
                             "khoản 1", "điểm a", "Phần I" */
    const char *title;    /* heading text after the label ("Phạm vi điều
                             chỉnh"), NULL when none */
    size_t start;         /* span of the unit with its children */
    size_t end;
    size_t body;          /* where the heading ends and the body starts */
    struct ps_node *parent;
    struct ps_node *child;   /* first child */
    struct ps_node *next;    /* next sibling */
} ps_node;

/* Kinds of relations to other documents. */
typedef enum ps_rel_kind {
    PS_REL_CITES = 0,   /* mentions it */
    PS_REL_BASED_ON,    /* "Căn cứ ..." line */
    PS_REL_AMENDS,      /* "sửa đổi, bổ sung" */
    PS_REL_REPLACES,    /* "thay thế" */
    PS_REL_GUIDES,      /* "hướng dẫn (thi hành)" */
    PS_REL_REPEALS      /* "bãi bỏ" */
} ps_rel_kind;

/* "cites", "based_on", "amends", "replaces", "guides", "repeals". */
const char *ps_rel_kind_name(int kind);

typedef struct ps_relation {
    int kind;             /* ps_rel_kind */
    const char *number;   /* as written: "57-NQ/TW" */
    const char *key;      /* normalised number key (ps_docnum_key) */
    const char *type;     /* type word before it when given ("Nghị quyết") */
    const char *date;     /* ISO date when the mention gives one, else NULL */
    size_t start, end;    /* span of the mention in the text */
} ps_relation;

typedef struct ps_meta {
    const char *type;           /* display form: "Nghị quyết", "Luật" */
    const char *number;         /* as written: "57-NQ/TW", "30/2020/NĐ-CP" */
    const char *issuer;         /* display form: "Bộ Chính trị" */
    const char *signer;         /* "Tô Lâm" */
    const char *signer_title;   /* "Tổng Bí thư" */
    const char *place;          /* "Hà Nội" */
    const char *date;           /* ISO "2024-12-22" */
    const char *effective_date; /* ISO, when the text states one */
    const char *title;          /* subject as it stands after the type line:
                                   "về đột phá phát triển ..." for a
                                   resolution; the name "Luật Đất đai" for a
                                   law (what the JSON Lines "title" holds) */
    int access;                 /* ps_access */
} ps_meta;

typedef struct ps_doc {
    ps_arena *arena;       /* owns everything below */
    const char *id;        /* the document's id */
    const char *text;      /* cleaned text, NUL-terminated */
    size_t text_len;
    ps_meta meta;
    ps_node *root;         /* structure tree (kind ROOT over the whole text);
                              NULL until ps_doc_parse() */
    ps_relation *rels;     /* mentions of other documents, in text order */
    size_t n_rels;
    /* Where the text came from, for incremental indexing and messages. */
    const char *source;    /* file path, or "file.jsonl:LINE" */
    const char *format;    /* "txt", "md", "html", "docx", "pdf", "jsonl" ... */
    const char *encoding;  /* "UTF-8", "UTF-16", "TCVN3", "VNI", "CP1258" */
    int64_t mtime;         /* seconds, 0 when unknown */
    int64_t size;          /* bytes of the source, 0 when unknown */
    uint64_t hash;         /* ps_hash64 of the raw source bytes */
    /* Pages of a paged source (PDF): page i starts at page_starts[i]. */
    size_t *page_starts;
    size_t n_pages;
} ps_doc;

/* A new empty document. Caller frees with ps_doc_free(). */
ps_doc *ps_doc_new(void);
void ps_doc_free(ps_doc *doc);

/* Copies s into the document's arena (NULL stays NULL); the helper every
 * setter uses. NULL on allocation failure. */
const char *ps_doc_strdup(ps_doc *doc, const char *s, size_t n);

/* Sets the text from raw UTF-8 bytes: cleaned with ps_text_clean() into
 * the arena. st may be NULL. */
struct ps_clean_stats;
int ps_doc_set_text(ps_doc *doc, const char *raw, size_t n, struct ps_clean_stats *st,
                    ps_error *err);

/* Parses the header, signature, structure and relations of doc->text.
 * Metadata already set (from JSON Lines, say) is kept: the parser fills
 * only what is NULL. Never fails on odd text: what cannot be found stays
 * NULL; fails only on allocation failure. */
int ps_doc_parse(ps_doc *doc, ps_error *err);

/* ---- document numbers ---------------------------------------------- */

/* Document numbers are written many ways: "57-NQ/TW", "57/NQ-TW",
 * "57 NQ TW", "13/2023/NĐ-CP", "13/2023/ND-CP", "234-TB/T.Ư". The key
 * makes the spellings equal: ASCII uppercase, Đ -> D, "T.Ư"/"TƯ" -> "TW",
 * runs of separators -> one '-': "57-NQ-TW", "13-2023-ND-CP",
 * "234-TB-TW"; leading zeros go ("05-CT/TW" -> "5-CT-TW"). Appends it to
 * out; PS_EINVAL when s holds no digit. */
int ps_docnum_key(const char *s, size_t n, ps_buf *out);

/* The short key "<number>-<abbreviation>" that a query like "nghị quyết
 * 57" or "nq 57" reaches: "57-NQ" for 57-NQ/TW, "13-ND" for
 * 13/2023/NĐ-CP, "45-QH" for 45/2019/QH14 (the kind letters of the issuer
 * part when no type abbreviation precedes it). Appends; PS_EINVAL when
 * none. */
int ps_docnum_short_key(const char *s, size_t n, ps_buf *out);

/* Type display form for a number's abbreviation ("NQ" -> "Nghị quyết",
 * "NĐ" -> "Nghị định", "QĐ" -> "Quyết định", "CT" -> "Chỉ thị", ...);
 * NULL when unknown. Static string. */
const char *ps_doctype_from_abbrev(const char *abbr, size_t n);

/* Abbreviation of a type display form or of a type word as typed
 * (with or without diacritics, any case): "nghị quyết" -> "NQ",
 * "nghi dinh" -> "ND", "luat" -> "L". NULL when unknown. Static string. */
const char *ps_doctype_abbrev(const char *type, size_t n);

/* One document number found in text. */
typedef struct ps_docnum_match {
    size_t start, end;      /* span in the text */
    size_t type_start;      /* span of the type word before it ("Nghị
                               quyết số"), == start when none */
    const char *type;       /* display type when known (static), else NULL */
} ps_docnum_match;

/* Finds document numbers in text, in order, calling fn for each (stop by
 * returning non-zero). Recognises Party ("57-NQ/TW", "02-HD/UBKTTW",
 * "234-TB/T.Ư"), State ("30/2020/NĐ-CP", "109/NQ-CP", "45/2019/QH14")
 * forms, and a type word followed by "số"/"số:" and a bare number. */
typedef int (*ps_docnum_fn)(void *ctx, const ps_docnum_match *m);
int ps_docnum_scan(const char *text, size_t n, ps_docnum_fn fn, void *ctx);

/* ---- dates ----------------------------------------------------------- */

/* Parses "ngày 22 tháng 12 năm 2024", "22/12/2024", "22-12-2024",
 * "2024-12-22" and written-out months ("tháng Mười hai") at the start of
 * s; writes "YYYY-MM-DD" (11 bytes with NUL) and returns the bytes
 * consumed, or 0 when s does not start with a valid date. */
size_t ps_date_parse(const char *s, size_t n, char out[11]);

/* ---- structure walking --------------------------------------------- */

/* The deepest node whose span holds offset (ROOT when none). */
const ps_node *ps_doc_node_at(const ps_doc *doc, size_t offset);

/* Writes the path of node as labels joined by " > " ("Chương II > Điều 5 >
 * khoản 1"), leaving out ROOT. */
int ps_node_path(const ps_node *node, ps_buf *out);

/* The enclosing article (Điều) of node, or NULL. */
const ps_node *ps_node_article(const ps_node *node);

/* Number of nodes of a kind in the tree. */
size_t ps_doc_count_nodes(const ps_doc *doc, int kind);

#endif
