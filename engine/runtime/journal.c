/* journal.c — a query's input kept in the database before it is used (see journal.h). */
#include "engine/runtime/journal.h"

#include <string.h>

#include "common/alloc.h"
#include "storage/journal.h"

sl_status journal_open(struct sl_db *db, const char *query, struct sl_journal **out,
                       struct sl_error *err)
{
    struct sl_journal *j = sl_calloc(1, sizeof *j);
    if (!j)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    j->db = db;
    j->query = query;
    buf_init(&j->row);
    sl_status st = db_journal_bounds(db, query, &j->first, &j->end, err);
    if (st != SL_OK) {
        journal_close(j);
        return st;
    }
    j->pos = j->first;
    *out = j;
    return SL_OK;
}

void journal_close(struct sl_journal *j)
{
    if (!j)
        return;
    buf_free(&j->row);
    sl_free(j);
}

sl_status journal_reset(struct sl_journal *j, struct sl_error *err)
{
    j->first = j->end = j->pos = 0;
    buf_clear(&j->row);
    return db_journal_delete(j->db, j->query, err);
}

/* Loads the row holding pos into j->row, unless it is there already. */
static sl_status load_row(struct sl_journal *j, uint64_t pos, struct sl_error *err)
{
    if (j->row.len && pos >= j->row_start && pos < j->row_start + j->row.len)
        return SL_OK;
    bool found;
    sl_status st = db_journal_row(j->db, j->query, pos, &j->row_start, &j->row, &found, err);
    if (st == SL_OK && !found)
        st = sl_error_set(err, SL_ERROR,
                          "the journal of query %s has no byte %llu: its rows were changed "
                          "outside Sluice",
                          j->query, (unsigned long long)pos);
    return st;
}

/* The end of the last complete record in [from, end): after its newline, or from if none. */
static sl_status last_record_end(struct sl_journal *j, uint64_t from, uint64_t *out,
                                 struct sl_error *err)
{
    uint64_t pos = j->end;
    while (pos > from) {
        sl_status st = load_row(j, pos - 1, err);
        if (st != SL_OK)
            return st;
        uint64_t lo = j->row_start > from ? j->row_start : from;
        const char *base = j->row.data;
        for (uint64_t at = pos; at > lo; at--) {
            if (base[at - 1 - j->row_start] == '\n') {
                *out = at;
                return SL_OK;
            }
        }
        pos = lo;
    }
    *out = from;
    return SL_OK;
}

sl_status journal_seek(struct sl_journal *j, uint64_t offset, uint64_t *dropped,
                       struct sl_error *err)
{
    *dropped = 0;
    if (j->first == j->end) {
        j->first = j->end = j->pos = offset;
        return SL_OK;
    }
    if (offset < j->first || offset > j->end)
        return sl_error_set(err, SL_ERROR,
                            "the checkpoint of query %s is at byte %llu of its journal, which "
                            "holds bytes %llu to %llu",
                            j->query, (unsigned long long)offset, (unsigned long long)j->first,
                            (unsigned long long)j->end);
    uint64_t cut;
    sl_status st = last_record_end(j, offset, &cut, err);
    if (st == SL_OK && cut < j->end)
        st = db_journal_cut(j->db, j->query, cut, err);
    if (st != SL_OK)
        return st;
    *dropped = j->end - cut;
    j->end = cut;
    j->pos = offset;
    buf_clear(&j->row);
    return SL_OK;
}

sl_status journal_read(struct sl_journal *j, struct sl_source *src, char *buf, size_t cap,
                       size_t *n, int timeout_ms, struct sl_error *err)
{
    *n = 0;
    if (j->pos < j->end) {
        sl_status st = load_row(j, j->pos, err);
        if (st != SL_OK)
            return st;
        uint64_t avail = j->row_start + j->row.len - j->pos;
        uint64_t row_end = j->end - j->pos;
        size_t k = (size_t)(avail < row_end ? avail : row_end);
        if (k > cap)
            k = cap;
        memcpy(buf, j->row.data + (j->pos - j->row_start), k);
        j->pos += k;
        *n = k;
        return SL_OK;
    }
    sl_status rs = source_read(src, buf, cap, n, timeout_ms, err);
    if (rs != SL_OK || !*n)
        return rs;
    sl_status st = db_journal_append(j->db, j->query, j->end, buf, *n, err);
    if (st != SL_OK) {
        *n = 0;
        return st;
    }
    j->end += *n;
    j->pos = j->end;
    return SL_OK;
}

sl_status journal_trim(struct sl_journal *j, uint64_t upto, struct sl_error *err)
{
    sl_status st = db_journal_trim(j->db, j->query, upto, err);
    if (st == SL_OK && upto > j->first) {
        /* The first row left may start before upto; first is only a lower bound. */
        j->first = upto;
    }
    return st;
}
