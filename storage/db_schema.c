/*
 * db_schema.c — the system tables, in one list, and the schema's version.
 *
 * The version is SQLite's PRAGMA user_version. A fresh database is created
 * at DB_SCHEMA_VERSION; an older one is brought there by the migrations in
 * order, in one transaction; a newer one (written by a later sluice) is
 * refused, since this binary would misread what it does not know.
 */
#include "storage/db_internal.h"

#include <stdio.h>
#include <string.h>

#define DB_SCHEMA_VERSION 6

/* Every system table with its columns at DB_SCHEMA_VERSION. */
static const struct {
    const char *name, *columns;
    /* keyed tables of small rows read and written by their key only; _sluice_log's rows are
     * group commits of up to a MiB, which SQLite keeps better in a rowid table */
    bool without_rowid;
} system_tables[] = {
    {"_sluice_streams",
     "name TEXT PRIMARY KEY COLLATE NOCASE, sql TEXT NOT NULL, created TEXT NOT NULL", false},
    {"_sluice_queries",
     "name TEXT PRIMARY KEY COLLATE NOCASE, sql TEXT NOT NULL, created TEXT NOT NULL,"
     " paused INTEGER NOT NULL DEFAULT 0", false},
    {"_sluice_progress",
     "query TEXT NOT NULL, batch_id INTEGER NOT NULL, rows_in INTEGER, rows_out INTEGER,"
     " started TEXT, duration_ms REAL, late_rows INTEGER, watermark TEXT, state_groups INTEGER,"
     " state_bytes INTEGER, \"offset\" INTEGER, dead_letters INTEGER, state_ms REAL,"
     " commit_ms REAL, gap INTEGER, PRIMARY KEY(query, batch_id)", false},
    {"_sluice_checkpoints",
     "query TEXT PRIMARY KEY COLLATE NOCASE, batch_id INTEGER NOT NULL, source TEXT,"
     " \"offset\" INTEGER NOT NULL, identity TEXT, committed TEXT, plan TEXT, position TEXT,"
     " checksum INTEGER", false},
    {"_sluice_state",
     "query TEXT NOT NULL COLLATE NOCASE, op INTEGER NOT NULL, key BLOB NOT NULL, state BLOB,"
     " checksum INTEGER, PRIMARY KEY(query, op, key)", true},
    {"_sluice_state_log",
     "query TEXT NOT NULL COLLATE NOCASE, seq INTEGER NOT NULL, op INTEGER NOT NULL,"
     " key BLOB NOT NULL, state BLOB NOT NULL, checksum INTEGER, PRIMARY KEY(query, seq)", true},
    {"_sluice_log",
     "stream TEXT NOT NULL COLLATE NOCASE, first INTEGER NOT NULL, records INTEGER NOT NULL,"
     " data BLOB NOT NULL, PRIMARY KEY(stream, first)", false},
    {"_sluice_log_readers",
     "stream TEXT NOT NULL COLLATE NOCASE, query TEXT NOT NULL COLLATE NOCASE,"
     " next INTEGER NOT NULL, PRIMARY KEY(stream, query)", true},
    {"_sluice_sinks",
     "name TEXT PRIMARY KEY COLLATE NOCASE, sql TEXT NOT NULL, created TEXT NOT NULL", false},
    {"_sluice_outbox",
     "sink TEXT NOT NULL COLLATE NOCASE, batch_id INTEGER NOT NULL, part INTEGER NOT NULL,"
     " rows INTEGER NOT NULL, committed TEXT NOT NULL, data BLOB NOT NULL,"
     " PRIMARY KEY(sink, batch_id, part)", false},
    {"_sluice_sink_progress",
     "sink TEXT PRIMARY KEY COLLATE NOCASE, batch_id INTEGER NOT NULL, rows INTEGER NOT NULL,"
     " rejected INTEGER NOT NULL, delivered TEXT, state BLOB", false},
    {"_sluice_dead_letters",
     "id INTEGER PRIMARY KEY, stream TEXT, source TEXT, \"offset\" INTEGER, record TEXT,"
     " error TEXT, at TEXT, query TEXT", false},
};
#define NSYSTEM_TABLES (sizeof system_tables / sizeof *system_tables)

const char *db_system_table(size_t i)
{
    return i < NSYSTEM_TABLES ? system_tables[i].name : NULL;
}

/* Creates the system tables a database lacks, as they are at DB_SCHEMA_VERSION. */
static sl_status create_tables(struct sl_db *db, const char *what, struct sl_error *err)
{
    for (size_t i = 0; i < NSYSTEM_TABLES; i++) {
        char sql[512];
        snprintf(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS %s(%s)%s", system_tables[i].name,
                 system_tables[i].columns, system_tables[i].without_rowid ? " WITHOUT ROWID" : "");
        sl_status st = db_exec(db, sql, what, err);
        if (st != SL_OK)
            return st;
    }
    /* A dead letter is looked up by where it came from before it is kept. */
    return db_exec(db,
                   "CREATE INDEX IF NOT EXISTS _sluice_dead_letters_origin"
                   " ON _sluice_dead_letters(stream, source, \"offset\")",
                   what, err);
}

static bool has_column(struct sl_db *db, const char *table, const char *column, size_t len,
                       int *rc)
{
    sqlite3_stmt *stmt = NULL;
    *rc = sqlite3_prepare_v2(db->conn, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2",
                             -1, &stmt, NULL);
    if (*rc != SQLITE_OK)
        return false;
    sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, column, (int)len, SQLITE_STATIC);
    *rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    return *rc == SQLITE_ROW;
}

struct added_column {
    const char *table, *def;
};

/* Adds each column its table lacks (NULL in the old rows). */
static sl_status add_columns(struct sl_db *db, const struct added_column *cols, size_t n,
                             const char *what, struct sl_error *err)
{
    sl_status st = SL_OK;
    for (size_t i = 0; st == SL_OK && i < n; i++) {
        const char *table = cols[i].table, *def = cols[i].def;
        /* The column's name: its definition's first word, without quotes. */
        const char *name = def + (def[0] == '"');
        int rc;
        if (has_column(db, table, name, strcspn(name, " \""), &rc))
            continue;
        if (rc != SQLITE_DONE)
            return db_fail(db, err, what);
        char sql[160];
        snprintf(sql, sizeof sql, "ALTER TABLE %s ADD COLUMN %s", table, def);
        st = db_exec(db, sql, what, err);
    }
    return st;
}

/*
 * Version 0 -> 1: a database made before the schema had a version. Its
 * tables are those of the sluice that made it: the ones it lacks are
 * created, and the columns added since the tables first existed are added
 * (NULL in the old rows). This looks at the tables once; later versions
 * change the schema by explicit statements.
 */
static sl_status adopt_unversioned(struct sl_db *db, const char *what, struct sl_error *err)
{
    static const struct added_column columns_added[] = {
        {"_sluice_progress", "late_rows INTEGER"},
        {"_sluice_progress", "watermark TEXT"},
        {"_sluice_progress", "state_groups INTEGER"},
        {"_sluice_progress", "state_bytes INTEGER"},
        {"_sluice_progress", "\"offset\" INTEGER"},
        {"_sluice_progress", "dead_letters INTEGER"},
        {"_sluice_progress", "state_ms REAL"},
        {"_sluice_progress", "commit_ms REAL"},
        {"_sluice_checkpoints", "plan TEXT"},
    };
    sl_status st = create_tables(db, what, err);
    return st == SL_OK ? add_columns(db, columns_added,
                                     sizeof columns_added / sizeof *columns_added, what, err)
                       : st;
}

/*
 * Version 1 -> 2: record sources (KAFKA). A checkpoint keeps each
 * partition's next offset (position) and a batch counts the records its
 * source lost to retention (gap). A database adopted from version 0 in the
 * same run has them already (its tables were created as they are now).
 */
static sl_status add_record_positions(struct sl_db *db, const char *what, struct sl_error *err)
{
    static const struct added_column columns_added[] = {
        {"_sluice_checkpoints", "position TEXT"},
        {"_sluice_progress", "gap INTEGER"},
    };
    return add_columns(db, columns_added, sizeof columns_added / sizeof *columns_added, what,
                       err);
}

/*
 * Version 2 -> 3: push streams are read once into a per-stream log
 * (_sluice_log, _sluice_log_readers), which replaces the per-query journal.
 * A journal's bytes not yet read are dropped with the table: the queries
 * that read them start over at the log of their stream. Dead letters say
 * which query set them aside (several queries read one log).
 */
static sl_status add_stream_logs(struct sl_db *db, const char *what, struct sl_error *err)
{
    static const struct added_column columns_added[] = {
        {"_sluice_dead_letters", "query TEXT"},
    };
    sl_status st = create_tables(db, what, err);
    if (st == SL_OK)
        st = add_columns(db, columns_added, sizeof columns_added / sizeof *columns_added, what,
                         err);
    return st == SL_OK ? db_exec(db, "DROP TABLE IF EXISTS _sluice_journal", what, err) : st;
}

/* Version 3 -> 4: sinks (CREATE SINK), their outbox and what each has delivered. */
static sl_status add_sinks(struct sl_db *db, const char *what, struct sl_error *err)
{
    return create_tables(db, what, err);
}

/* Version 4 -> 5: PAUSE QUERY keeps a query stopped, across restarts, until RESUME QUERY. */
static sl_status add_query_paused(struct sl_db *db, const char *what, struct sl_error *err)
{
    static const struct added_column columns_added[] = {
        {"_sluice_queries", "paused INTEGER NOT NULL DEFAULT 0"},
    };
    return add_columns(db, columns_added, sizeof columns_added / sizeof *columns_added, what,
                       err);
}

/* Version 5 -> 6: state rows and checkpoints carry a checksum, checked when
 * a query resumes (storage/row_checksum.c); older rows have none (NULL).
 * Dead letters get an index on where they came from (create_tables), as a
 * record's is kept once however many queries decode it. */
static sl_status add_checksums(struct sl_db *db, const char *what, struct sl_error *err)
{
    static const struct added_column columns_added[] = {
        {"_sluice_checkpoints", "checksum INTEGER"},
        {"_sluice_state", "checksum INTEGER"},
        {"_sluice_state_log", "checksum INTEGER"},
    };
    sl_status st = create_tables(db, what, err);
    return st == SL_OK ? add_columns(db, columns_added,
                                     sizeof columns_added / sizeof *columns_added, what, err)
                       : st;
}

/* migrations[v] brings a database at version v to v + 1. */
static sl_status (*const migrations[])(struct sl_db *db, const char *what,
                                       struct sl_error *err) = {
    adopt_unversioned,
    add_record_positions,
    add_stream_logs,
    add_sinks,
    add_query_paused,
    add_checksums,
};
_Static_assert(sizeof migrations / sizeof *migrations == DB_SCHEMA_VERSION,
               "one migration per schema version");

static sl_status read_version(struct sl_db *db, int *version, const char *what,
                              struct sl_error *err)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db->conn, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
        return db_fail(db, err, what);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *version = sqlite3_column_int(stmt, 0);
    sl_status st = rc == SQLITE_ROW ? SL_OK : db_fail(db, err, what);
    sqlite3_finalize(stmt);
    return st;
}

static bool has_system_tables(struct sl_db *db)
{
    for (size_t i = 0; i < NSYSTEM_TABLES; i++)
        if (db_table_exists(db, system_tables[i].name))
            return true;
    return false;
}

/* Brings the database from `version` to DB_SCHEMA_VERSION, inside the caller's transaction. */
static sl_status migrate_from(struct sl_db *db, int version, const char *what,
                              struct sl_error *err)
{
    sl_status st = SL_OK;
    if (version == 0 && !has_system_tables(db))
        st = create_tables(db, what, err);
    else
        for (int v = version; st == SL_OK && v < DB_SCHEMA_VERSION; v++)
            st = migrations[v](db, what, err);
    if (st != SL_OK)
        return st;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", DB_SCHEMA_VERSION);
    return db_exec(db, sql, what, err);
}

static sl_status refuse_newer(int version, const char *what, struct sl_error *err)
{
    return sl_error_set(err, SL_ERROR,
                        "%s: its schema version is %d, and this sluice knows up to %d: open it "
                        "with the sluice that wrote it, or a newer one",
                        what, version, DB_SCHEMA_VERSION);
}

/* The schema's version, refused if a newer sluice wrote it. */
static sl_status read_known_version(struct sl_db *db, int *version, const char *what,
                                    struct sl_error *err)
{
    sl_status st = read_version(db, version, what, err);
    return st == SL_OK && *version > DB_SCHEMA_VERSION ? refuse_newer(*version, what, err) : st;
}

sl_status db_schema_check(struct sl_db *db, const char *what, struct sl_error *err)
{
    int version = 0;
    sl_status st = read_known_version(db, &version, what, err);
    if (st != SL_OK || version == DB_SCHEMA_VERSION)
        return st;
    return sl_error_set(err, SL_ERROR,
                        version == 0 && !has_system_tables(db)
                            ? "%s: it is not a Sluice database (no system tables), and read-only "
                              "it cannot become one"
                            : "%s: its schema is older than this sluice's and read-only it cannot "
                              "be migrated: open it once without --readonly",
                        what);
}

sl_status db_schema_migrate(struct sl_db *db, const char *what, struct sl_error *err)
{
    int version = 0;
    sl_status st = read_known_version(db, &version, what, err);
    if (st != SL_OK || version == DB_SCHEMA_VERSION)
        return st;
    /* Another process may be migrating the same file: the version is read
     * again under the write lock. */
    if ((st = db_begin(db, err)) != SL_OK)
        return st;
    if ((st = read_known_version(db, &version, what, err)) == SL_OK && version < DB_SCHEMA_VERSION)
        st = migrate_from(db, version, what, err);
    if (st == SL_OK)
        st = db_commit(db, err);
    if (st != SL_OK)
        db_rollback(db);
    return st;
}
