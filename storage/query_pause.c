/*
 * query_pause.c — whether a saved query is paused (PAUSE QUERY / RESUME
 * QUERY): the paused column of its _sluice_queries row, so that it stays
 * paused across restarts and SHOW QUERIES (or sqlite3) can tell.
 * Rarely called, so the statements are prepared per call, not cached.
 */
#include "storage/db_internal.h"

sl_status db_query_set_paused(struct sl_db *db, const char *name, bool paused, bool *found,
                              struct sl_error *err)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db->conn, "UPDATE _sluice_queries SET paused = ?2 WHERE name = ?1",
                           -1, &stmt, NULL) != SQLITE_OK)
        return db_fail(db, err, "cannot pause or resume the query");
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 2, paused);
    sl_status st = sqlite3_step(stmt) == SQLITE_DONE
                       ? SL_OK
                       : db_fail(db, err, "cannot pause or resume the query");
    *found = st == SL_OK && sqlite3_changes(db->conn) > 0;
    sqlite3_finalize(stmt);
    return st;
}

sl_status db_query_paused(struct sl_db *db, const char *name, bool *paused,
                          struct sl_error *err)
{
    *paused = false;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db->conn, "SELECT paused FROM _sluice_queries WHERE name = ?1", -1,
                           &stmt, NULL) != SQLITE_OK)
        return db_fail(db, err, "cannot read whether the query is paused");
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *paused = sqlite3_column_int(stmt, 0) != 0;
    sl_status st = rc == SQLITE_ROW || rc == SQLITE_DONE
                       ? SL_OK
                       : db_fail(db, err, "cannot read whether the query is paused");
    sqlite3_finalize(stmt);
    return st;
}
