/*
 * dead_letters.c — records that could not be decoded or evaluated, kept with
 * where they came from and why, so nothing is dropped without a trace.
 */
#include "storage/db_internal.h"

#include <limits.h>

#include "common/time.h"

sl_status db_dead_letter_record(struct sl_db *db, const struct db_dead_letter *dl,
                                struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt(db, DB_STMT_DEAD_LETTER_PUT, &stmt, err);
    if (st != SL_OK)
        return st;
    char at[32];
    sl_ts_format(sl_clock_now_us(), at);
    sqlite3_bind_text(stmt, 1, dl->stream, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, dl->source, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3,
                       dl->offset > INT64_MAX ? INT64_MAX : (sqlite3_int64)dl->offset);
    if (dl->record)
        sqlite3_bind_text64(stmt, 4, dl->record, dl->len, SQLITE_STATIC, SQLITE_UTF8);
    sqlite3_bind_text(stmt, 5, dl->reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 6, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 7, dl->query, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 8, dl->each_row);
    return db_step_done(db, stmt, "cannot record a dead letter", err);
}
