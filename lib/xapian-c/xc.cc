/*
 * xc.cc: the C binding over Xapian 1.4 declared in xc.h.
 *
 * Every extern "C" function runs its body inside a try block; the one
 * catch-all handler rethrows into translate(), which maps the exception's
 * class to an xc_rc code and copies Xapian's message into the caller's
 * xc_error. Nothing thrown here, and no C++ type, reaches C.
 */
#include "xapian-c/xc.h"

#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

/* ---- handle layouts --------------------------------------------------- */

struct xc_db {
    Xapian::Database db;
    /* The view inside an xc_wdb: xc_db_free() must leave it alone. */
    bool borrowed = false;
    /* Set by xc_db_close(): Xapian keeps answering some statistics from
     * memory after close(), but the binding promises every call fails. */
    bool closed = false;
};

struct xc_wdb {
    Xapian::WritableDatabase wdb;
    /* Shares wdb's internals, so reads through it see uncommitted changes. */
    xc_db view;
};

struct xc_doc {
    Xapian::Document doc;
    /* Xapian returns data and values by value; the caller gets pointers into
     * these copies. The data copy is made once and kept until set_data, so
     * it stays valid "until doc is changed"; the value copy is remade on
     * every xc_doc_value call. */
    std::string data_cache;
    bool data_cached = false;
    std::string value_cache;
};

struct xc_termiter {
    enum Kind { TERMLIST, ALLTERMS, PLAIN, ITEMS } kind = PLAIN;
    Xapian::TermIterator it, end;
    bool started = false;
    std::string current;
    /* A document's in-memory term list points into the document's own
     * storage, so the iterator keeps a reference to the document (and to
     * the database for the on-disk lists) in case the caller frees them. */
    Xapian::Document keep_doc;
    Xapian::Database keep_db;
    /* Materialised items (spy values with counts, matching terms). */
    std::vector<std::pair<std::string, Xapian::doccount>> items;
    size_t pos = 0;
};

struct xc_postiter {
    Xapian::PostingIterator it, end;
    /* it points at an item next() has not returned yet. */
    bool pending = true;
    Xapian::docid last = 0;
    Xapian::Database keep_db;
};

struct xc_valueiter {
    Xapian::ValueIterator it, end;
    bool started = false;
    std::string current;
    Xapian::Database keep_db;
};

struct xc_query {
    Xapian::Query q;
};

struct xc_enquire {
    Xapian::Enquire enq;
    /* Slots of the spies, by handle; the spy objects are recreated for each
     * match (see xc_enquire_mset) and the Enquire only borrows them. */
    std::vector<Xapian::valueno> spy_slots;
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;

    explicit xc_enquire(const Xapian::Database &db) : enq(db) {}
};

struct xc_mset {
    Xapian::MSet m;
    std::string key; /* backs the pointer xc_mset_collapse_key returns */
};

/* ---- errors ------------------------------------------------------------ */

static void fill_error(xc_error *err, int code, const char *type, const char *msg,
                       const char *detail) noexcept
{
    if (!err)
        return;
    err->code = code;
    snprintf(err->type, sizeof err->type, "%s", type ? type : "");
    if (detail && *detail)
        snprintf(err->msg, sizeof err->msg, "%s: %s", msg ? msg : "", detail);
    else
        snprintf(err->msg, sizeof err->msg, "%s", msg ? msg : "");
}

static int fill_xapian(xc_error *err, int code, const Xapian::Error &e) noexcept
{
    /* get_error_string() formats errno lazily and may itself allocate. */
    const char *detail = nullptr;
    try {
        detail = e.get_error_string();
    } catch (...) {
        detail = nullptr;
    }
    fill_error(err, code, e.get_type(), e.get_msg().c_str(), detail);
    return code;
}

/* Called only from inside a catch handler: rethrows the active exception and
 * maps it. Derived classes come before their bases (see xapian/error.h). */
static int translate(xc_error *err) noexcept
{
    try {
        throw;
    } catch (const Xapian::DatabaseVersionError &e) {
        return fill_xapian(err, XC_EVERSION, e);
    } catch (const Xapian::DatabaseOpeningError &e) {
        return fill_xapian(err, XC_EOPENING, e); /* incl. DatabaseNotFoundError */
    } catch (const Xapian::DatabaseLockError &e) {
        return fill_xapian(err, XC_ELOCK, e);
    } catch (const Xapian::DatabaseModifiedError &e) {
        return fill_xapian(err, XC_EMODIFIED, e);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return fill_xapian(err, XC_ECORRUPT, e);
    } catch (const Xapian::DatabaseError &e) {
        return fill_xapian(err, XC_EDATABASE, e); /* Create, Closed, I/O */
    } catch (const Xapian::NetworkError &e) {
        return fill_xapian(err, XC_ENETWORK, e); /* incl. NetworkTimeoutError */
    } catch (const Xapian::DocNotFoundError &e) {
        return fill_xapian(err, XC_EDOCNOTFOUND, e);
    } catch (const Xapian::InvalidArgumentError &e) {
        return fill_xapian(err, XC_EINVALIDARG, e);
    } catch (const Xapian::InvalidOperationError &e) {
        return fill_xapian(err, XC_EINVALIDARG, e);
    } catch (const Xapian::UnimplementedError &e) {
        return fill_xapian(err, XC_EUNIMPLEMENTED, e);
    } catch (const Xapian::RangeError &e) {
        return fill_xapian(err, XC_ERANGE, e);
    } catch (const Xapian::SerialisationError &e) {
        return fill_xapian(err, XC_ERANGE, e);
    } catch (const Xapian::Error &e) {
        return fill_xapian(err, XC_EOTHER, e);
    } catch (const std::bad_alloc &) {
        fill_error(err, XC_ENOMEM, "bad_alloc", "out of memory", nullptr);
        return XC_ENOMEM;
    } catch (const std::exception &e) {
        fill_error(err, XC_EOTHER, "std::exception", e.what(), nullptr);
        return XC_EOTHER;
    } catch (...) {
        fill_error(err, XC_EOTHER, "unknown", "unknown exception", nullptr);
        return XC_EOTHER;
    }
}

/* Runs body; any exception becomes an xc_rc. */
template <typename F> static int guarded(xc_error *err, F &&body) noexcept
{
    try {
        body();
        return XC_OK;
    } catch (...) {
        return translate(err);
    }
}

/* Arguments the caller got wrong are reported like Xapian's own
 * InvalidArgumentError, so they share one code path. */
static void require(const void *p, const char *what)
{
    if (!p)
        throw Xapian::InvalidArgumentError(std::string(what) + " is NULL");
}

/* A (pointer, length) pair as a string; NULL is allowed only with length 0. */
static std::string bytes(const char *p, size_t len)
{
    if (!p) {
        if (len)
            throw Xapian::InvalidArgumentError("NULL string with non-zero length");
        return std::string();
    }
    return std::string(p, len);
}

/* A database handle must be non-NULL and not closed. */
static void require_open(const xc_db *db)
{
    require(db, "db");
    if (db->closed)
        throw Xapian::DatabaseClosedError("Database has been closed");
}

static std::string cstr(const char *p, const char *what)
{
    require(p, what);
    return std::string(p);
}

/* A malloc'ed, NUL-terminated copy the caller frees with xc_free(). */
static char *dup_malloc(const std::string &s)
{
    char *p = static_cast<char *>(malloc(s.size() + 1));
    if (!p)
        throw std::bad_alloc();
    memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

/* C may pass any int as an enum; in C++ loading one outside the enum's
 * range is undefined, so the raw bits are read through memcpy instead. */
template <typename E> static int enum_bits(const E &v)
{
    static_assert(sizeof(E) == sizeof(int), "C enums are int-sized here");
    int raw;
    memcpy(&raw, &v, sizeof raw);
    return raw;
}

extern "C" {

const char *xc_rc_name(int code)
{
    switch (code) {
    case XC_OK: return "OK";
    case XC_ENOMEM: return "ENOMEM";
    case XC_EOPENING: return "EOPENING";
    case XC_EVERSION: return "EVERSION";
    case XC_ELOCK: return "ELOCK";
    case XC_EMODIFIED: return "EMODIFIED";
    case XC_ECORRUPT: return "ECORRUPT";
    case XC_EDATABASE: return "EDATABASE";
    case XC_ENETWORK: return "ENETWORK";
    case XC_EDOCNOTFOUND: return "EDOCNOTFOUND";
    case XC_EINVALIDARG: return "EINVALIDARG";
    case XC_EUNIMPLEMENTED: return "EUNIMPLEMENTED";
    case XC_ERANGE: return "ERANGE";
    case XC_EOTHER: return "EOTHER";
    default: return "EUNKNOWN";
    }
}

void xc_free(void *p)
{
    free(p);
}

const char *xc_version(void)
{
    return Xapian::version_string();
}

/* ---- read-only databases ---------------------------------------------- */

xc_db *xc_db_open(const char *path, xc_error *err)
{
    xc_db *db = nullptr;
    guarded(err, [&] {
        std::string p = cstr(path, "path");
        std::unique_ptr<xc_db> h(new xc_db);
        h->db = Xapian::Database(p);
        db = h.release();
    });
    return db;
}

xc_db *xc_db_new(xc_error *err)
{
    xc_db *db = nullptr;
    guarded(err, [&] { db = new xc_db; });
    return db;
}

int xc_db_add_path(xc_db *db, const char *path, xc_error *err)
{
    return guarded(err, [&] {
        require_open(db);
        db->db.add_database(Xapian::Database(cstr(path, "path")));
    });
}

int xc_db_add_remote(xc_db *db, const char *host, unsigned port, unsigned timeout_ms,
                     unsigned connect_timeout_ms, xc_error *err)
{
    return guarded(err, [&] {
        require_open(db);
        std::string h = cstr(host, "host");
        if (port == 0 || port > 65535)
            throw Xapian::InvalidArgumentError("port out of range");
        db->db.add_database(Xapian::Remote::open(h, port, timeout_ms, connect_timeout_ms));
    });
}

int xc_db_add_db(xc_db *db, const xc_db *src, xc_error *err)
{
    return guarded(err, [&] {
        require_open(db);
        require_open(src);
        if (db == src)
            throw Xapian::InvalidArgumentError("can't add a database to itself");
        db->db.add_database(src->db);
    });
}

void xc_db_free(xc_db *db)
{
    if (!db || db->borrowed)
        return;
    try {
        delete db;
    } catch (...) {
        /* Database destructors don't throw; nothing to report anyway. */
    }
}

int xc_db_reopen(xc_db *db, int *changed, xc_error *err)
{
    return guarded(err, [&] {
        require_open(db);
        bool moved = db->db.reopen();
        if (changed)
            *changed = moved ? 1 : 0;
    });
}

int xc_db_close(xc_db *db, xc_error *err)
{
    return guarded(err, [&] {
        require(db, "db");
        db->db.close();
        db->closed = true;
    });
}

int xc_db_doccount(xc_db *db, uint32_t *out, xc_error *err)
{
    return guarded(err, [&] {
        require_open(db);
        require(out, "out");
        *out = db->db.get_doccount();
    });
}

int xc_db_lastdocid(xc_db *db, xc_docid *out, xc_error *err)
{
    return guarded(err, [&] {
        require_open(db);
        require(out, "out");
        *out = db->db.get_lastdocid();
    });
}

int xc_db_avlength(xc_db *db, double *out, xc_error *err)
{
    return guarded(err, [&] {
        require_open(db);
        require(out, "out");
        *out = db->db.get_avlength();
    });
}

int xc_db_revision(xc_db *db, uint64_t *out, xc_error *err)
{
    return guarded(err, [&] {
        require_open(db);
        require(out, "out");
        /* Xapian throws InvalidOperationError itself for several shards. */
        *out = db->db.get_revision();
    });
}

int xc_db_termfreq(xc_db *db, const char *term, size_t len, uint32_t *out, xc_error *err)
{
    return guarded(err, [&] {
        require_open(db);
        require(out, "out");
        *out = db->db.get_termfreq(bytes(term, len));
    });
}

int xc_db_collfreq(xc_db *db, const char *term, size_t len, uint64_t *out, xc_error *err)
{
    return guarded(err, [&] {
        require_open(db);
        require(out, "out");
        *out = db->db.get_collection_freq(bytes(term, len));
    });
}

int xc_db_doclength(xc_db *db, xc_docid did, uint32_t *out, xc_error *err)
{
    return guarded(err, [&] {
        require_open(db);
        require(out, "out");
        *out = db->db.get_doclength(did);
    });
}

int xc_db_get_metadata(xc_db *db, const char *key, char **out, size_t *len, xc_error *err)
{
    return guarded(err, [&] {
        require_open(db);
        require(out, "out");
        require(len, "len");
        std::string v = db->db.get_metadata(cstr(key, "key"));
        /* Xapian stores no empty values: "" means the key is unset. */
        *out = v.empty() ? nullptr : dup_malloc(v);
        *len = v.size();
    });
}

int xc_db_spelling(xc_db *db, const char *word, size_t len, unsigned max_edit, char **out,
                   size_t *out_len, xc_error *err)
{
    return guarded(err, [&] {
        require_open(db);
        require(out, "out");
        std::string s = db->db.get_spelling_suggestion(bytes(word, len), max_edit);
        *out = s.empty() ? nullptr : dup_malloc(s);
        if (out_len)
            *out_len = s.size();
    });
}

int xc_db_get_document(xc_db *db, xc_docid did, xc_doc **out, xc_error *err)
{
    return guarded(err, [&] {
        require_open(db);
        require(out, "out");
        std::unique_ptr<xc_doc> d(new xc_doc);
        d->doc = db->db.get_document(did);
        /* read the data now: a revision overwritten meanwhile is an
         * error the caller can retry, not an empty record later */
        d->data_cache = d->doc.get_data();
        d->data_cached = true;
        *out = d.release();
    });
}

int xc_db_check(const char *path, size_t *errors, char **report, xc_error *err)
{
    return guarded(err, [&] {
        std::string p = cstr(path, "path");
        require(errors, "errors");
        if (report) {
            std::ostringstream text;
            /* With opts 0 the checker prints nothing on success; the table
             * statistics make the report worth reading. */
            size_t n = Xapian::Database::check(p, Xapian::DBCHECK_SHOW_STATS, &text);
            *report = dup_malloc(text.str());
            *errors = n;
        } else {
            *errors = Xapian::Database::check(p, 0, nullptr);
        }
    });
}

int xc_db_compact(xc_db *src, const char *dest, unsigned flags, xc_error *err)
{
    return guarded(err, [&] {
        require_open(src);
        std::string d = cstr(dest, "dest");
        if (flags & ~(XC_COMPACT_NO_RENUMBER | XC_COMPACT_MULTIPASS))
            throw Xapian::InvalidArgumentError("unknown compaction flags");
        unsigned xf = 0;
        if (flags & XC_COMPACT_NO_RENUMBER)
            xf |= Xapian::DBCOMPACT_NO_RENUMBER;
        if (flags & XC_COMPACT_MULTIPASS)
            xf |= Xapian::DBCOMPACT_MULTIPASS;
        src->db.compact(d, xf);
    });
}

/* ---- iterators --------------------------------------------------------- */

int xc_termiter_next(xc_termiter *it, xc_term *out, xc_error *err)
{
    int produced = 0;
    int rc = guarded(err, [&] {
        require(it, "iterator");
        require(out, "out");
        if (it->kind == xc_termiter::ITEMS) {
            if (it->started && it->pos < it->items.size())
                ++it->pos;
            it->started = true;
            if (it->pos >= it->items.size())
                return;
            const auto &item = it->items[it->pos];
            out->term = item.first.data();
            out->len = item.first.size();
            out->wdf = 0;
            out->freq = item.second;
            produced = 1;
            return;
        }
        /* Advance past the item returned last time, never past the end. */
        if (it->started && it->it != it->end)
            ++it->it;
        it->started = true;
        if (it->it == it->end)
            return;
        it->current = *it->it;
        out->term = it->current.data();
        out->len = it->current.size();
        out->wdf = it->kind == xc_termiter::TERMLIST ? it->it.get_wdf() : 0;
        out->freq = it->kind == xc_termiter::ALLTERMS ? it->it.get_termfreq() : 0;
        produced = 1;
    });
    return rc == XC_OK ? produced : -1;
}

void xc_termiter_free(xc_termiter *it)
{
    try {
        delete it;
    } catch (...) {
    }
}

xc_termiter *xc_db_termlist(xc_db *db, xc_docid did, xc_error *err)
{
    xc_termiter *out = nullptr;
    guarded(err, [&] {
        require_open(db);
        std::unique_ptr<xc_termiter> t(new xc_termiter);
        t->kind = xc_termiter::TERMLIST;
        t->keep_db = db->db;
        t->it = db->db.termlist_begin(did);
        t->end = db->db.termlist_end(did);
        out = t.release();
    });
    return out;
}

xc_termiter *xc_db_allterms(xc_db *db, const char *prefix, size_t len, xc_error *err)
{
    xc_termiter *out = nullptr;
    guarded(err, [&] {
        require_open(db);
        std::string p = bytes(prefix, len);
        std::unique_ptr<xc_termiter> t(new xc_termiter);
        t->kind = xc_termiter::ALLTERMS;
        t->keep_db = db->db;
        t->it = db->db.allterms_begin(p);
        t->end = db->db.allterms_end(p);
        out = t.release();
    });
    return out;
}

xc_termiter *xc_db_synonyms(xc_db *db, const char *term, size_t len, xc_error *err)
{
    xc_termiter *out = nullptr;
    guarded(err, [&] {
        require_open(db);
        std::string s = bytes(term, len);
        std::unique_ptr<xc_termiter> t(new xc_termiter);
        t->kind = xc_termiter::PLAIN;
        t->keep_db = db->db;
        t->it = db->db.synonyms_begin(s);
        t->end = db->db.synonyms_end(s);
        out = t.release();
    });
    return out;
}

xc_postiter *xc_db_postlist(xc_db *db, const char *term, size_t len, xc_error *err)
{
    xc_postiter *out = nullptr;
    guarded(err, [&] {
        require_open(db);
        std::string s = bytes(term, len);
        std::unique_ptr<xc_postiter> p(new xc_postiter);
        p->keep_db = db->db;
        p->it = db->db.postlist_begin(s);
        p->end = db->db.postlist_end(s);
        out = p.release();
    });
    return out;
}

int xc_postiter_next(xc_postiter *it, xc_docid *did, uint32_t *wdf, xc_error *err)
{
    int produced = 0;
    int rc = guarded(err, [&] {
        require(it, "iterator");
        if (!it->pending && it->it != it->end)
            ++it->it;
        it->pending = false;
        if (it->it == it->end)
            return;
        it->last = *it->it;
        if (did)
            *did = it->last;
        if (wdf)
            *wdf = it->it.get_wdf();
        produced = 1;
    });
    return rc == XC_OK ? produced : -1;
}

int xc_postiter_skip_to(xc_postiter *it, xc_docid did, xc_error *err)
{
    return guarded(err, [&] {
        require(it, "iterator");
        if (it->it == it->end)
            return;
        if (!it->pending) {
            /* The current item was returned already: the iterator only moves
             * forward, so a target at or before it means "the next one". */
            if (did <= it->last)
                return;
            it->pending = true;
        }
        /* Xapian's skip_to leaves the iterator alone when it already sits at
         * or past did. */
        it->it.skip_to(did);
    });
}

void xc_postiter_free(xc_postiter *it)
{
    try {
        delete it;
    } catch (...) {
    }
}

int xc_db_positions(xc_db *db, xc_docid did, const char *term, size_t len, xc_termpos **out,
                    size_t *n, xc_error *err)
{
    return guarded(err, [&] {
        require_open(db);
        require(out, "out");
        require(n, "n");
        std::string s = bytes(term, len);
        std::vector<xc_termpos> pos;
        for (auto p = db->db.positionlist_begin(did, s); p != db->db.positionlist_end(did, s);
             ++p)
            pos.push_back(*p);
        xc_termpos *arr = nullptr;
        if (!pos.empty()) {
            arr = static_cast<xc_termpos *>(malloc(pos.size() * sizeof *arr));
            if (!arr)
                throw std::bad_alloc();
            memcpy(arr, pos.data(), pos.size() * sizeof *arr);
        }
        *out = arr;
        *n = pos.size();
    });
}

xc_valueiter *xc_db_values(xc_db *db, xc_slot slot, xc_error *err)
{
    xc_valueiter *out = nullptr;
    guarded(err, [&] {
        require_open(db);
        std::unique_ptr<xc_valueiter> v(new xc_valueiter);
        v->keep_db = db->db;
        v->it = db->db.valuestream_begin(slot);
        v->end = db->db.valuestream_end(slot);
        out = v.release();
    });
    return out;
}

int xc_valueiter_next(xc_valueiter *it, xc_docid *did, const char **val, size_t *len,
                      xc_error *err)
{
    int produced = 0;
    int rc = guarded(err, [&] {
        require(it, "iterator");
        if (it->started && it->it != it->end)
            ++it->it;
        it->started = true;
        if (it->it == it->end)
            return;
        it->current = *it->it;
        if (did)
            *did = it->it.get_docid();
        if (val)
            *val = it->current.data();
        if (len)
            *len = it->current.size();
        produced = 1;
    });
    return rc == XC_OK ? produced : -1;
}

void xc_valueiter_free(xc_valueiter *it)
{
    try {
        delete it;
    } catch (...) {
    }
}

/* ---- writable databases ------------------------------------------------ */

xc_wdb *xc_wdb_open(const char *path, unsigned action_and_flags, xc_error *err)
{
    xc_wdb *out = nullptr;
    guarded(err, [&] {
        std::string p = cstr(path, "path");
        int xf;
        switch (action_and_flags & 0x0fu) {
        case XC_DB_CREATE_OR_OPEN: xf = Xapian::DB_CREATE_OR_OPEN; break;
        case XC_DB_CREATE: xf = Xapian::DB_CREATE; break;
        case XC_DB_CREATE_OR_OVERWRITE: xf = Xapian::DB_CREATE_OR_OVERWRITE; break;
        case XC_DB_OPEN: xf = Xapian::DB_OPEN; break;
        default: throw Xapian::InvalidArgumentError("unknown database action");
        }
        unsigned flags = action_and_flags & ~0x0fu;
        if (flags & ~(XC_DB_NO_SYNC | XC_DB_FULL_SYNC | XC_DB_RETRY_LOCK))
            throw Xapian::InvalidArgumentError("unknown database flags");
        if (flags & XC_DB_NO_SYNC)
            xf |= Xapian::DB_NO_SYNC;
        if (flags & XC_DB_FULL_SYNC)
            xf |= Xapian::DB_FULL_SYNC;
        if (flags & XC_DB_RETRY_LOCK)
            xf |= Xapian::DB_RETRY_LOCK;
        /* Always glass, whatever Xapian's default for new databases. */
        xf |= Xapian::DB_BACKEND_GLASS;
        std::unique_ptr<xc_wdb> w(new xc_wdb);
        w->wdb = Xapian::WritableDatabase(p, xf);
        /* Copying into a Database shares the writer's internals. */
        w->view.db = w->wdb;
        w->view.borrowed = true;
        out = w.release();
    });
    return out;
}

void xc_wdb_free(xc_wdb *w)
{
    /* Xapian's writer destructor commits (or drops an open transaction) and
     * swallows errors itself; the catch is a second guard for the C side. */
    try {
        delete w;
    } catch (...) {
    }
}

xc_db *xc_wdb_db(xc_wdb *w)
{
    return w ? &w->view : nullptr;
}

int xc_wdb_begin_transaction(xc_wdb *w, int flushed, xc_error *err)
{
    return guarded(err, [&] {
        require(w, "wdb");
        w->wdb.begin_transaction(flushed != 0);
    });
}

int xc_wdb_commit_transaction(xc_wdb *w, xc_error *err)
{
    return guarded(err, [&] {
        require(w, "wdb");
        w->wdb.commit_transaction();
    });
}

int xc_wdb_cancel_transaction(xc_wdb *w, xc_error *err)
{
    return guarded(err, [&] {
        require(w, "wdb");
        w->wdb.cancel_transaction();
    });
}

int xc_wdb_commit(xc_wdb *w, xc_error *err)
{
    return guarded(err, [&] {
        require(w, "wdb");
        w->wdb.commit();
    });
}

int xc_wdb_add_document(xc_wdb *w, const xc_doc *doc, xc_docid *did, xc_error *err)
{
    return guarded(err, [&] {
        require(w, "wdb");
        require(doc, "doc");
        Xapian::docid id = w->wdb.add_document(doc->doc);
        if (did)
            *did = id;
    });
}

int xc_wdb_replace_document(xc_wdb *w, xc_docid did, const xc_doc *doc, xc_error *err)
{
    return guarded(err, [&] {
        require(w, "wdb");
        require(doc, "doc");
        w->wdb.replace_document(did, doc->doc);
    });
}

int xc_wdb_replace_document_term(xc_wdb *w, const char *term, size_t len, const xc_doc *doc,
                                 xc_docid *did, xc_error *err)
{
    return guarded(err, [&] {
        require(w, "wdb");
        require(doc, "doc");
        Xapian::docid id = w->wdb.replace_document(bytes(term, len), doc->doc);
        if (did)
            *did = id;
    });
}

int xc_wdb_delete_document(xc_wdb *w, xc_docid did, xc_error *err)
{
    return guarded(err, [&] {
        require(w, "wdb");
        w->wdb.delete_document(did);
    });
}

int xc_wdb_delete_documents_term(xc_wdb *w, const char *term, size_t len, xc_error *err)
{
    return guarded(err, [&] {
        require(w, "wdb");
        w->wdb.delete_document(bytes(term, len));
    });
}

int xc_wdb_set_metadata(xc_wdb *w, const char *key, const char *val, size_t len,
                        xc_error *err)
{
    return guarded(err, [&] {
        require(w, "wdb");
        w->wdb.set_metadata(cstr(key, "key"), bytes(val, len));
    });
}

int xc_wdb_add_spelling(xc_wdb *w, const char *word, size_t len, uint32_t freqinc,
                        xc_error *err)
{
    return guarded(err, [&] {
        require(w, "wdb");
        w->wdb.add_spelling(bytes(word, len), freqinc);
    });
}

int xc_wdb_remove_spelling(xc_wdb *w, const char *word, size_t len, uint32_t freqdec,
                           xc_error *err)
{
    return guarded(err, [&] {
        require(w, "wdb");
        w->wdb.remove_spelling(bytes(word, len), freqdec);
    });
}

int xc_wdb_add_synonym(xc_wdb *w, const char *term, const char *synonym, xc_error *err)
{
    return guarded(err, [&] {
        require(w, "wdb");
        w->wdb.add_synonym(cstr(term, "term"), cstr(synonym, "synonym"));
    });
}

int xc_wdb_clear_synonyms(xc_wdb *w, const char *term, xc_error *err)
{
    return guarded(err, [&] {
        require(w, "wdb");
        w->wdb.clear_synonyms(cstr(term, "term"));
    });
}

/* ---- documents --------------------------------------------------------- */

xc_doc *xc_doc_new(xc_error *err)
{
    xc_doc *out = nullptr;
    guarded(err, [&] { out = new xc_doc; });
    return out;
}

void xc_doc_free(xc_doc *doc)
{
    try {
        delete doc;
    } catch (...) {
    }
}

xc_docid xc_doc_docid(const xc_doc *doc)
{
    return doc ? doc->doc.get_docid() : 0;
}

int xc_doc_set_data(xc_doc *doc, const char *data, size_t len, xc_error *err)
{
    return guarded(err, [&] {
        require(doc, "doc");
        doc->doc.set_data(bytes(data, len));
        doc->data_cached = false;
    });
}

const char *xc_doc_data(xc_doc *doc, size_t *len)
{
    if (len)
        *len = 0;
    if (!doc)
        return nullptr;
    /* No xc_error here: a failed lazy read (closed database, lost remote
     * shard) comes back as NULL with *len 0. */
    if (!doc->data_cached) {
        try {
            doc->data_cache = doc->doc.get_data();
        } catch (...) {
            return nullptr;
        }
        doc->data_cached = true;
    }
    if (len)
        *len = doc->data_cache.size();
    return doc->data_cache.c_str();
}

int xc_doc_add_posting(xc_doc *doc, const char *term, size_t len, xc_termpos pos,
                       uint32_t wdfinc, xc_error *err)
{
    return guarded(err, [&] {
        require(doc, "doc");
        doc->doc.add_posting(bytes(term, len), pos, wdfinc);
    });
}

int xc_doc_add_term(xc_doc *doc, const char *term, size_t len, uint32_t wdfinc,
                    xc_error *err)
{
    return guarded(err, [&] {
        require(doc, "doc");
        doc->doc.add_term(bytes(term, len), wdfinc);
    });
}

int xc_doc_add_boolean_term(xc_doc *doc, const char *term, size_t len, xc_error *err)
{
    return guarded(err, [&] {
        require(doc, "doc");
        doc->doc.add_boolean_term(bytes(term, len));
    });
}

int xc_doc_clear_terms(xc_doc *doc, xc_error *err)
{
    return guarded(err, [&] {
        require(doc, "doc");
        doc->doc.clear_terms();
    });
}

int xc_doc_set_value(xc_doc *doc, xc_slot slot, const char *val, size_t len, xc_error *err)
{
    return guarded(err, [&] {
        require(doc, "doc");
        doc->doc.add_value(slot, bytes(val, len));
    });
}

const char *xc_doc_value(xc_doc *doc, xc_slot slot, size_t *len)
{
    if (len)
        *len = 0;
    if (!doc)
        return nullptr;
    try {
        doc->value_cache = doc->doc.get_value(slot);
    } catch (...) {
        return nullptr;
    }
    if (len)
        *len = doc->value_cache.size();
    return doc->value_cache.c_str();
}

xc_termiter *xc_doc_termlist(xc_doc *doc, xc_error *err)
{
    xc_termiter *out = nullptr;
    guarded(err, [&] {
        require(doc, "doc");
        std::unique_ptr<xc_termiter> t(new xc_termiter);
        t->kind = xc_termiter::TERMLIST;
        t->keep_doc = doc->doc;
        t->it = t->keep_doc.termlist_begin();
        t->end = t->keep_doc.termlist_end();
        out = t.release();
    });
    return out;
}

size_t xc_sortable_serialise(double v, char out[9])
{
    if (!out)
        return 0;
    try {
        /* At most 9 bytes: within std::string's small buffer, no allocation. */
        std::string s = Xapian::sortable_serialise(v);
        size_t n = std::min<size_t>(s.size(), 9);
        memcpy(out, s.data(), n);
        return n;
    } catch (...) {
        return 0;
    }
}

double xc_sortable_unserialise(const char *s, size_t len)
{
    try {
        return Xapian::sortable_unserialise(bytes(s, len));
    } catch (...) {
        return NAN;
    }
}

/* ---- queries ----------------------------------------------------------- */

static xc_query *wrap_query(Xapian::Query &&q)
{
    std::unique_ptr<xc_query> h(new xc_query);
    h->q = std::move(q);
    return h.release();
}

xc_query *xc_query_term(const char *term, size_t len, uint32_t wqf, xc_termpos pos,
                        xc_error *err)
{
    xc_query *out = nullptr;
    guarded(err, [&] { out = wrap_query(Xapian::Query(bytes(term, len), wqf, pos)); });
    return out;
}

static Xapian::Query::op map_op(int op)
{
    switch (op) {
    case XC_OP_AND: return Xapian::Query::OP_AND;
    case XC_OP_OR: return Xapian::Query::OP_OR;
    case XC_OP_AND_NOT: return Xapian::Query::OP_AND_NOT;
    case XC_OP_XOR: return Xapian::Query::OP_XOR;
    case XC_OP_AND_MAYBE: return Xapian::Query::OP_AND_MAYBE;
    case XC_OP_FILTER: return Xapian::Query::OP_FILTER;
    case XC_OP_NEAR: return Xapian::Query::OP_NEAR;
    case XC_OP_PHRASE: return Xapian::Query::OP_PHRASE;
    case XC_OP_ELITE_SET: return Xapian::Query::OP_ELITE_SET;
    case XC_OP_SYNONYM: return Xapian::Query::OP_SYNONYM;
    case XC_OP_MAX: return Xapian::Query::OP_MAX;
    }
    throw Xapian::InvalidArgumentError("unknown query operator");
}

xc_query *xc_query_combine(xc_op op, xc_query *const *subs, size_t n, unsigned param,
                           xc_error *err)
{
    xc_query *out = nullptr;
    guarded(err, [&] {
        Xapian::Query::op xop = map_op(enum_bits(op));
        if (n)
            require(subs, "subs");
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; ++i) {
            require(subs[i], "subquery");
            v.push_back(subs[i]->q);
        }
        /* The parameter means window for NEAR/PHRASE and set size for
         * ELITE_SET; 0 picks Xapian's default in both cases, and the other
         * operators ignore it. */
        out = wrap_query(Xapian::Query(xop, v.begin(), v.end(), param));
    });
    return out;
}

xc_query *xc_query_scale(const xc_query *q, double factor, xc_error *err)
{
    xc_query *out = nullptr;
    guarded(err, [&] {
        require(q, "query");
        out = wrap_query(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor));
    });
    return out;
}

xc_query *xc_query_value_range(xc_slot slot, const char *lo, size_t lolen, const char *hi,
                               size_t hilen, xc_error *err)
{
    xc_query *out = nullptr;
    guarded(err, [&] {
        if (lo && hi)
            out = wrap_query(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot,
                                           bytes(lo, lolen), bytes(hi, hilen)));
        else if (hi)
            out = wrap_query(Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, bytes(hi, hilen)));
        else {
            /* Xapian turns VALUE_GE "" into "all documents", set or not,
             * while VALUE_RANGE and VALUE_LE only match documents having a
             * value. "\0" is the smallest non-empty value, so starting there
             * keeps "has a value in slot" true for every form. */
            std::string low = bytes(lo, lolen);
            if (low.empty())
                low.assign(1, '\0');
            out = wrap_query(Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, low));
        }
    });
    return out;
}

xc_query *xc_query_wildcard(const char *prefix, size_t len, unsigned max_expansion,
                            xc_error *err)
{
    xc_query *out = nullptr;
    guarded(err, [&] {
        /* OP_SYNONYM (Xapian's and the QueryParser's default combiner) rather
         * than OP_OR: it matches the same documents, but a document is not
         * weighted up for containing many expansions of one prefix. */
        /* 1.4.22 reads max_expansion 0 with LIMIT_MOST_FREQUENT as "keep
         * none" (the query matches nothing), so "no limit" has to be asked
         * for with the default mode, where 0 does mean unlimited. */
        int mode = max_expansion ? Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT
                                 : Xapian::Query::WILDCARD_LIMIT_ERROR;
        out = wrap_query(Xapian::Query(Xapian::Query::OP_WILDCARD, bytes(prefix, len),
                                       max_expansion, mode, Xapian::Query::OP_SYNONYM));
    });
    return out;
}

xc_query *xc_query_match_all(xc_error *err)
{
    xc_query *out = nullptr;
    guarded(err, [&] { out = wrap_query(Xapian::Query(Xapian::Query::MatchAll)); });
    return out;
}

xc_query *xc_query_match_nothing(xc_error *err)
{
    xc_query *out = nullptr;
    guarded(err, [&] { out = wrap_query(Xapian::Query(Xapian::Query::MatchNothing)); });
    return out;
}

void xc_query_free(xc_query *q)
{
    try {
        delete q;
    } catch (...) {
    }
}

int xc_query_empty(const xc_query *q)
{
    return !q || q->q.empty();
}

char *xc_query_describe(const xc_query *q)
{
    char *out = nullptr;
    guarded(nullptr, [&] {
        require(q, "query");
        out = dup_malloc(q->q.get_description());
    });
    return out;
}

/* ---- enquire and results ----------------------------------------------- */

xc_enquire *xc_enquire_new(xc_db *db, xc_error *err)
{
    xc_enquire *out = nullptr;
    guarded(err, [&] {
        require_open(db);
        out = new xc_enquire(db->db);
    });
    return out;
}

void xc_enquire_free(xc_enquire *e)
{
    try {
        delete e;
    } catch (...) {
    }
}

int xc_enquire_set_query(xc_enquire *e, const xc_query *q, uint32_t qlen, xc_error *err)
{
    return guarded(err, [&] {
        require(e, "enquire");
        require(q, "query");
        e->enq.set_query(q->q, qlen);
    });
}

int xc_enquire_set_bm25(xc_enquire *e, double k1, double k2, double k3, double b,
                        double min_normlen, xc_error *err)
{
    return guarded(err, [&] {
        require(e, "enquire");
        e->enq.set_weighting_scheme(Xapian::BM25Weight(k1, k2, k3, b, min_normlen));
    });
}

int xc_enquire_set_bool_weight(xc_enquire *e, xc_error *err)
{
    return guarded(err, [&] {
        require(e, "enquire");
        e->enq.set_weighting_scheme(Xapian::BoolWeight());
    });
}

int xc_enquire_set_sort(xc_enquire *e, xc_sort how, xc_slot slot, int reverse, xc_error *err)
{
    return guarded(err, [&] {
        require(e, "enquire");
        bool rev = reverse != 0;
        switch (enum_bits(how)) {
        case XC_SORT_RELEVANCE: e->enq.set_sort_by_relevance(); return;
        case XC_SORT_VALUE: e->enq.set_sort_by_value(slot, rev); return;
        case XC_SORT_VALUE_THEN_RELEVANCE:
            e->enq.set_sort_by_value_then_relevance(slot, rev);
            return;
        case XC_SORT_RELEVANCE_THEN_VALUE:
            e->enq.set_sort_by_relevance_then_value(slot, rev);
            return;
        }
        throw Xapian::InvalidArgumentError("unknown sort order");
    });
}

int xc_enquire_set_collapse(xc_enquire *e, xc_slot slot, unsigned max, xc_error *err)
{
    return guarded(err, [&] {
        require(e, "enquire");
        if (max == 0)
            e->enq.set_collapse_key(Xapian::BAD_VALUENO);
        else
            e->enq.set_collapse_key(slot, max);
    });
}

int xc_enquire_set_docid_order(xc_enquire *e, int order, xc_error *err)
{
    return guarded(err, [&] {
        require(e, "enquire");
        switch (order) {
        case 0: e->enq.set_docid_order(Xapian::Enquire::ASCENDING); return;
        case 1: e->enq.set_docid_order(Xapian::Enquire::DESCENDING); return;
        case 2: e->enq.set_docid_order(Xapian::Enquire::DONT_CARE); return;
        default: throw Xapian::InvalidArgumentError("unknown docid order");
        }
    });
}

int xc_enquire_set_time_limit(xc_enquire *e, double seconds, xc_error *err)
{
    return guarded(err, [&] {
        require(e, "enquire");
        if (!(seconds >= 0.0))
            throw Xapian::InvalidArgumentError("time limit must be >= 0");
        e->enq.set_time_limit(seconds);
    });
}

int xc_enquire_set_cutoff(xc_enquire *e, int percent, double weight, xc_error *err)
{
    return guarded(err, [&] {
        require(e, "enquire");
        if (percent < 0 || percent > 100 || !(weight >= 0.0))
            throw Xapian::InvalidArgumentError("cutoff: percent 0-100, weight >= 0");
        e->enq.set_cutoff(percent, weight);
    });
}

int xc_enquire_add_value_spy(xc_enquire *e, xc_slot slot, xc_error *err)
{
    int handle = -1;
    int rc = guarded(err, [&] {
        require(e, "enquire");
        if (e->spies.size() >= 1024)
            throw Xapian::InvalidOperationError("too many match spies");
        /* Reserve first so the two vectors can't get out of step. */
        e->spy_slots.reserve(e->spy_slots.size() + 1);
        e->spies.reserve(e->spies.size() + 1);
        std::unique_ptr<Xapian::ValueCountMatchSpy> spy(new Xapian::ValueCountMatchSpy(slot));
        e->spy_slots.push_back(slot);
        e->spies.push_back(std::move(spy));
        e->enq.add_matchspy(e->spies.back().get());
        handle = static_cast<int>(e->spies.size() - 1);
    });
    return rc == XC_OK ? handle : -1;
}

static const Xapian::ValueCountMatchSpy &spy_at(const xc_enquire *e, int spy)
{
    require(e, "enquire");
    if (spy < 0 || static_cast<size_t>(spy) >= e->spies.size())
        throw Xapian::InvalidArgumentError("no such match spy");
    return *e->spies[static_cast<size_t>(spy)];
}

int xc_enquire_spy_total(xc_enquire *e, int spy, uint32_t *out, xc_error *err)
{
    return guarded(err, [&] {
        const Xapian::ValueCountMatchSpy &s = spy_at(e, spy);
        require(out, "out");
        *out = static_cast<uint32_t>(s.get_total());
    });
}

xc_termiter *xc_enquire_spy_values(xc_enquire *e, int spy, unsigned max, xc_error *err)
{
    xc_termiter *out = nullptr;
    guarded(err, [&] {
        const Xapian::ValueCountMatchSpy &s = spy_at(e, spy);
        std::unique_ptr<xc_termiter> t(new xc_termiter);
        t->kind = xc_termiter::ITEMS;
        /* top_values_begin(max) reserves max entries up front, so "all" can't
         * be asked of it; values_begin() gives every value alphabetically
         * and a stable sort by count keeps ties alphabetical, as
         * top_values_begin() orders them. */
        for (auto v = s.values_begin(); v != s.values_end(); ++v)
            t->items.emplace_back(*v, v.get_termfreq());
        std::stable_sort(t->items.begin(), t->items.end(),
                         [](const std::pair<std::string, Xapian::doccount> &a,
                            const std::pair<std::string, Xapian::doccount> &b) {
                             return a.second > b.second;
                         });
        if (max && t->items.size() > max)
            t->items.resize(max);
        out = t.release();
    });
    return out;
}

/* ---- walking every match, with skips ----------------------------------- */

namespace {

/* Yields the docids the caller still wants tested, from its skip callback.
 * Its estimate of one document makes the AND of xc_db_walk drive the
 * match from it, so a skip spares the query's own postings too. */
class SkipSource : public Xapian::PostingSource {
    xc_skip_fn skip;
    void *ctx;
    Xapian::docid cur = 0, last = 0;
    Xapian::doccount max = 0;
    bool ended = false;

    void advance(Xapian::docid target)
    {
        xc_docid d = target > last ? 0 : skip(ctx, target);
        if (d == 0 || d > last || d < target)
            ended = true;
        else
            cur = d;
    }

  public:
    SkipSource(xc_skip_fn skip_, void *ctx_) : skip(skip_), ctx(ctx_) {}
    void init(const Xapian::Database &db) override
    {
        cur = 0;
        ended = false;
        last = db.get_lastdocid();
        max = db.get_doccount();
    }
    Xapian::doccount get_termfreq_min() const override
    {
        return 0;
    }
    Xapian::doccount get_termfreq_est() const override
    {
        return 1;
    }
    Xapian::doccount get_termfreq_max() const override
    {
        return max;
    }
    void next(double) override
    {
        advance(cur + 1);
    }
    void skip_to(Xapian::docid did, double) override
    {
        if (did > cur)
            advance(did);
    }
    bool check(Xapian::docid did, double) override
    {
        skip_to(did, 0);
        return true;
    }
    bool at_end() const override
    {
        return ended;
    }
    Xapian::docid get_docid() const override
    {
        return cur;
    }
    std::string get_description() const override
    {
        return "SkipSource";
    }
};

/* Hands every match to the caller and keeps none: the MSet stays empty,
 * so the matcher never stops early. */
class EachMatch : public Xapian::MatchDecider {
    xc_match_fn fn;
    void *ctx;

  public:
    EachMatch(xc_match_fn fn_, void *ctx_) : fn(fn_), ctx(ctx_) {}
    bool operator()(const Xapian::Document &doc) const override
    {
        fn(ctx, doc.get_docid());
        return false;
    }
};

} // namespace

int xc_db_walk(xc_db *db, const xc_query *q, xc_skip_fn skip, xc_match_fn match, void *ctx,
               xc_error *err)
{
    return guarded(err, [&] {
        require_open(db);
        require(q, "query");
        if (!skip || !match)
            throw Xapian::InvalidArgumentError("xc_db_walk: no callback");
        SkipSource src(skip, ctx);
        EachMatch each(match, ctx);
        Xapian::Enquire enq(db->db);
        Xapian::doccount n = db->db.get_doccount();
        enq.set_query(Xapian::Query(Xapian::Query::OP_AND, q->q, Xapian::Query(&src)));
        enq.set_weighting_scheme(Xapian::BoolWeight());
        enq.set_docid_order(Xapian::Enquire::ASCENDING);
        (void)enq.get_mset(0, 1, n, nullptr, &each);
    });
}

xc_mset *xc_enquire_mset(xc_enquire *e, uint32_t first, uint32_t max, uint32_t check_at_least,
                         xc_error *err)
{
    xc_mset *out = nullptr;
    guarded(err, [&] {
        require(e, "enquire");
        std::unique_ptr<xc_mset> m(new xc_mset);
        if (!e->spies.empty()) {
            /* Xapian's spies keep adding up over successive get_mset() calls;
             * fresh ones make the counts describe this match only (so paging
             * doesn't double them). Build them all before touching the
             * enquire so a failed allocation leaves the old ones in place. */
            std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> fresh;
            fresh.reserve(e->spy_slots.size());
            for (Xapian::valueno slot : e->spy_slots)
                fresh.emplace_back(new Xapian::ValueCountMatchSpy(slot));
            e->enq.clear_matchspies();
            e->spies.swap(fresh);
            for (auto &s : e->spies)
                e->enq.add_matchspy(s.get());
        }
        m->m = e->enq.get_mset(first, max, check_at_least);
        out = m.release();
    });
    return out;
}

/* The distinct terms of q, left to right as the caller built it. */
static void terms_in_query_order(const Xapian::Query &q, std::vector<std::string> &out,
                                 std::set<std::string> &seen)
{
    if (q.get_type() == Xapian::Query::LEAF_TERM) {
        for (auto t = q.get_terms_begin(); t != q.get_terms_end(); ++t)
            if (seen.insert(*t).second)
                out.push_back(*t);
        return;
    }
    for (size_t i = 0; i < q.get_num_subqueries(); ++i)
        terms_in_query_order(q.get_subquery(i), out, seen);
}

xc_termiter *xc_enquire_matching_terms(xc_enquire *e, xc_docid did, xc_error *err)
{
    xc_termiter *out = nullptr;
    guarded(err, [&] {
        require(e, "enquire");
        /* Xapian 1.4 orders matching terms by (query position, term), so
         * terms built without positions come back alphabetically; the
         * binding promises query order, taken from the query tree. */
        std::set<std::string> matched;
        for (auto t = e->enq.get_matching_terms_begin(did);
             t != e->enq.get_matching_terms_end(did); ++t)
            matched.insert(*t);
        std::vector<std::string> order;
        std::set<std::string> seen;
        terms_in_query_order(e->enq.get_query(), order, seen);
        std::unique_ptr<xc_termiter> t(new xc_termiter);
        t->kind = xc_termiter::ITEMS;
        for (const std::string &term : order)
            if (matched.erase(term))
                t->items.emplace_back(term, 0);
        for (const std::string &term : matched) /* not expected; kept anyway */
            t->items.emplace_back(term, 0);
        out = t.release();
    });
    return out;
}

void xc_mset_free(xc_mset *m)
{
    try {
        delete m;
    } catch (...) {
    }
}

uint32_t xc_mset_size(const xc_mset *m)
{
    return m ? m->m.size() : 0;
}

uint32_t xc_mset_matches_estimated(const xc_mset *m)
{
    return m ? m->m.get_matches_estimated() : 0;
}

uint32_t xc_mset_matches_lower(const xc_mset *m)
{
    return m ? m->m.get_matches_lower_bound() : 0;
}

uint32_t xc_mset_matches_upper(const xc_mset *m)
{
    return m ? m->m.get_matches_upper_bound() : 0;
}

uint32_t xc_mset_uncollapsed_estimated(const xc_mset *m)
{
    return m ? m->m.get_uncollapsed_matches_estimated() : 0;
}

double xc_mset_max_attained(const xc_mset *m)
{
    return m ? m->m.get_max_attained() : 0.0;
}

int xc_mset_fetch(xc_mset *m, xc_error *err)
{
    return guarded(err, [&] {
        require(m, "mset");
        /* In 1.4 MSet::fetch() indexes its items from 0 while the MSet
         * numbers them from get_firstitem(), so it reads out of bounds (and
         * crashed in our tests) for any MSet not starting at rank 0. The
         * fetch is only a read-ahead hint: later pages read their documents
         * one by one instead. */
        if (m->m.get_firstitem() == 0)
            m->m.fetch();
    });
}

/* MSet::operator[] does no bounds check, so the accessors do. */
static bool in_range(const xc_mset *m, uint32_t i)
{
    return m && i < m->m.size();
}

xc_docid xc_mset_docid(const xc_mset *m, uint32_t i)
{
    if (!in_range(m, i))
        return 0;
    try {
        return *m->m[i];
    } catch (...) {
        return 0;
    }
}

double xc_mset_weight(const xc_mset *m, uint32_t i)
{
    if (!in_range(m, i))
        return 0.0;
    try {
        return m->m[i].get_weight();
    } catch (...) {
        return 0.0;
    }
}

int xc_mset_percent(const xc_mset *m, uint32_t i)
{
    if (!in_range(m, i))
        return 0;
    try {
        return m->m[i].get_percent();
    } catch (...) {
        return 0;
    }
}

uint32_t xc_mset_collapse_count(const xc_mset *m, uint32_t i)
{
    if (!in_range(m, i))
        return 0;
    try {
        return m->m[i].get_collapse_count();
    } catch (...) {
        return 0;
    }
}

const char *xc_mset_collapse_key(xc_mset *m, uint32_t i, size_t *len)
{
    *len = 0;
    if (!in_range(m, i))
        return NULL;
    try {
        m->key = m->m[i].get_collapse_key();
        *len = m->key.size();
        return m->key.data();
    } catch (...) {
        return NULL;
    }
}

int xc_mset_document(xc_mset *m, uint32_t i, xc_doc **out, xc_error *err)
{
    return guarded(err, [&] {
        require(m, "mset");
        require(out, "out");
        if (i >= m->m.size())
            throw Xapian::RangeError("MSet index out of range");
        std::unique_ptr<xc_doc> d(new xc_doc);
        d->doc = m->m[i].get_document();
        d->data_cache = d->doc.get_data(); /* as in xc_db_get_document */
        d->data_cached = true;
        *out = d.release();
    });
}

int xc_mset_termfreq(xc_mset *m, const char *term, size_t len, uint32_t *out, xc_error *err)
{
    return guarded(err, [&] {
        require(m, "mset");
        require(out, "out");
        *out = m->m.get_termfreq(bytes(term, len));
    });
}

} /* extern "C" */

/* ---- text indexing and query parsing ---------------------------------- */

struct xc_termgen {
    Xapian::TermGenerator tg;
    /* TermGenerator::index_text() on a generator with no document would
     * add terms to an internal empty one; the binding refuses instead. */
    bool has_doc = false;
};

struct xc_qparser {
    Xapian::QueryParser qp;
};

/* The stemmer for a language name; "", "none" and NULL give none. */
static Xapian::Stem make_stem(const char *language)
{
    if (!language || !*language)
        return Xapian::Stem();
    return Xapian::Stem(language); /* InvalidArgumentError when unknown */
}

static Xapian::TermGenerator::stem_strategy tg_strategy(int s)
{
    switch (s) {
    case XC_STEM_NONE: return Xapian::TermGenerator::STEM_NONE;
    case XC_STEM_SOME: return Xapian::TermGenerator::STEM_SOME;
    case XC_STEM_ALL: return Xapian::TermGenerator::STEM_ALL;
    case XC_STEM_ALL_Z: return Xapian::TermGenerator::STEM_ALL_Z;
    case XC_STEM_SOME_FULL_POS: return Xapian::TermGenerator::STEM_SOME_FULL_POS;
    }
    throw Xapian::InvalidArgumentError("unknown stemming strategy");
}

static Xapian::QueryParser::stem_strategy qp_strategy(int s)
{
    switch (s) {
    case XC_STEM_NONE: return Xapian::QueryParser::STEM_NONE;
    case XC_STEM_SOME: return Xapian::QueryParser::STEM_SOME;
    case XC_STEM_ALL: return Xapian::QueryParser::STEM_ALL;
    case XC_STEM_ALL_Z: return Xapian::QueryParser::STEM_ALL_Z;
    case XC_STEM_SOME_FULL_POS: return Xapian::QueryParser::STEM_SOME_FULL_POS;
    }
    throw Xapian::InvalidArgumentError("unknown stemming strategy");
}

/* The XC_QP_* values are Xapian's own; a flag outside the documented set
 * is refused rather than passed through to a meaning we never tested. */
static_assert(XC_QP_BOOLEAN == Xapian::QueryParser::FLAG_BOOLEAN &&
                  XC_QP_PHRASE == Xapian::QueryParser::FLAG_PHRASE &&
                  XC_QP_LOVEHATE == Xapian::QueryParser::FLAG_LOVEHATE &&
                  XC_QP_BOOLEAN_ANY_CASE == Xapian::QueryParser::FLAG_BOOLEAN_ANY_CASE &&
                  XC_QP_WILDCARD == Xapian::QueryParser::FLAG_WILDCARD &&
                  XC_QP_PURE_NOT == Xapian::QueryParser::FLAG_PURE_NOT &&
                  XC_QP_PARTIAL == Xapian::QueryParser::FLAG_PARTIAL &&
                  XC_QP_SPELLING_CORRECTION ==
                      Xapian::QueryParser::FLAG_SPELLING_CORRECTION &&
                  XC_QP_SYNONYM == Xapian::QueryParser::FLAG_SYNONYM &&
                  XC_QP_AUTO_SYNONYMS == Xapian::QueryParser::FLAG_AUTO_SYNONYMS &&
                  XC_QP_CJK_NGRAM == Xapian::QueryParser::FLAG_CJK_NGRAM &&
                  XC_QP_NO_POSITIONS == Xapian::QueryParser::FLAG_NO_POSITIONS &&
                  XC_QP_DEFAULT == Xapian::QueryParser::FLAG_DEFAULT,
              "XC_QP_* flags follow Xapian's values");
static const unsigned qp_known_flags =
    XC_QP_BOOLEAN | XC_QP_PHRASE | XC_QP_LOVEHATE | XC_QP_BOOLEAN_ANY_CASE | XC_QP_WILDCARD |
    XC_QP_PURE_NOT | XC_QP_PARTIAL | XC_QP_SPELLING_CORRECTION | XC_QP_SYNONYM |
    XC_QP_AUTO_SYNONYMS | XC_QP_CJK_NGRAM | XC_QP_NO_POSITIONS;

extern "C" {

xc_termgen *xc_termgen_new(xc_error *err)
{
    xc_termgen *out = nullptr;
    guarded(err, [&] { out = new xc_termgen; });
    return out;
}

void xc_termgen_free(xc_termgen *tg)
{
    try {
        delete tg;
    } catch (...) {
    }
}

int xc_termgen_set_stemmer(xc_termgen *tg, const char *language, xc_error *err)
{
    return guarded(err, [&] {
        require(tg, "termgen");
        tg->tg.set_stemmer(make_stem(language));
    });
}

int xc_termgen_set_stemming_strategy(xc_termgen *tg, xc_stem_strategy strategy, xc_error *err)
{
    return guarded(err, [&] {
        require(tg, "termgen");
        tg->tg.set_stemming_strategy(tg_strategy(enum_bits(strategy)));
    });
}

int xc_termgen_set_document(xc_termgen *tg, xc_doc *doc, xc_error *err)
{
    return guarded(err, [&] {
        require(tg, "termgen");
        require(doc, "doc");
        /* Xapian::Document is a reference-counted handle: the generator's
         * copy shares doc's contents, so terms land in doc. */
        tg->tg.set_document(doc->doc);
        tg->has_doc = true;
    });
}

int xc_termgen_index_text(xc_termgen *tg, const char *text, size_t len, uint32_t wdfinc,
                          const char *prefix, int positions, xc_error *err)
{
    return guarded(err, [&] {
        require(tg, "termgen");
        if (!tg->has_doc)
            throw Xapian::InvalidOperationError("no document set on the term generator");
        std::string t = bytes(text, len);
        std::string p = prefix ? std::string(prefix) : std::string();
        if (positions)
            tg->tg.index_text(t, wdfinc, p);
        else
            tg->tg.index_text_without_positions(t, wdfinc, p);
    });
}

int xc_termgen_increase_termpos(xc_termgen *tg, xc_termpos delta, xc_error *err)
{
    return guarded(err, [&] {
        require(tg, "termgen");
        tg->tg.increase_termpos(delta);
    });
}

xc_termpos xc_termgen_get_termpos(const xc_termgen *tg)
{
    if (!tg)
        return 0;
    try {
        return tg->tg.get_termpos();
    } catch (...) {
        return 0;
    }
}

int xc_termgen_set_termpos(xc_termgen *tg, xc_termpos pos, xc_error *err)
{
    return guarded(err, [&] {
        require(tg, "termgen");
        tg->tg.set_termpos(pos);
    });
}

xc_qparser *xc_qparser_new(xc_error *err)
{
    xc_qparser *out = nullptr;
    guarded(err, [&] { out = new xc_qparser; });
    return out;
}

void xc_qparser_free(xc_qparser *qp)
{
    try {
        delete qp;
    } catch (...) {
    }
}

int xc_qparser_set_database(xc_qparser *qp, xc_db *db, xc_error *err)
{
    return guarded(err, [&] {
        require(qp, "qparser");
        require_open(db);
        qp->qp.set_database(db->db);
    });
}

int xc_qparser_set_default_op(xc_qparser *qp, xc_op op, xc_error *err)
{
    return guarded(err, [&] {
        require(qp, "qparser");
        /* Xapian accepts these and quietly turns any other into OP_OR;
         * the binding says so instead. */
        Xapian::Query::op xop = map_op(enum_bits(op));
        switch (xop) {
        case Xapian::Query::OP_OR:
        case Xapian::Query::OP_AND:
        case Xapian::Query::OP_NEAR:
        case Xapian::Query::OP_PHRASE:
        case Xapian::Query::OP_ELITE_SET:
        case Xapian::Query::OP_SYNONYM:
        case Xapian::Query::OP_MAX:
            break;
        default:
            throw Xapian::InvalidArgumentError("operator not usable as the default");
        }
        qp->qp.set_default_op(xop);
    });
}

int xc_qparser_set_stemmer(xc_qparser *qp, const char *language, xc_error *err)
{
    return guarded(err, [&] {
        require(qp, "qparser");
        qp->qp.set_stemmer(make_stem(language));
    });
}

int xc_qparser_set_stemming_strategy(xc_qparser *qp, xc_stem_strategy strategy, xc_error *err)
{
    return guarded(err, [&] {
        require(qp, "qparser");
        qp->qp.set_stemming_strategy(qp_strategy(enum_bits(strategy)));
    });
}

int xc_qparser_add_prefix(xc_qparser *qp, const char *field, const char *prefix, xc_error *err)
{
    return guarded(err, [&] {
        require(qp, "qparser");
        qp->qp.add_prefix(cstr(field, "field"), cstr(prefix, "prefix"));
    });
}

int xc_qparser_add_boolean_prefix(xc_qparser *qp, const char *field, const char *prefix,
                                  xc_error *err)
{
    return guarded(err, [&] {
        require(qp, "qparser");
        qp->qp.add_boolean_prefix(cstr(field, "field"), cstr(prefix, "prefix"));
    });
}

xc_query *xc_qparser_parse(xc_qparser *qp, const char *query, size_t len, unsigned flags,
                           xc_error *err)
{
    xc_query *out = nullptr;
    try {
        require(qp, "qparser");
        if (flags & ~qp_known_flags)
            throw Xapian::InvalidArgumentError("unknown query parser flag");
        out = wrap_query(qp->qp.parse_query(bytes(query, len), flags));
    } catch (const Xapian::QueryParserError &e) {
        /* A syntax error in user input is the caller's argument, not a
         * failure of the library. */
        fill_xapian(err, XC_EINVALIDARG, e);
        out = nullptr;
    } catch (...) {
        translate(err);
        out = nullptr;
    }
    return out;
}

char *xc_qparser_corrected(const xc_qparser *qp, xc_error *err)
{
    char *out = nullptr;
    guarded(err, [&] {
        require(qp, "qparser");
        out = dup_malloc(qp->qp.get_corrected_query_string());
    });
    return out;
}

} /* extern "C" */
