/*
 * insert_baseline.c — the bar for Nexmark q0 (issue 14: q0 must reach 80 %
 * of this): a bare C loop inserting Nexmark bids into SQLite with one
 * prepared statement, one transaction per batch, nothing else.
 *
 * The table is the one Sluice makes for q0 (storage/result_table.c) from
 * bench/nexmark/q0.sql, `SELECT auction, bidder, price, date_time, extra
 * FROM bid`:
 *   CREATE TABLE "q0"("auction" INTEGER, "bidder" INTEGER, "price" INTEGER,
 *     "date_time" TEXT, "extra" TEXT)
 * (--columns picks other bid columns, in the order given), and the connection is set up as storage/db.c sets up Sluice's:
 * journal_mode=WAL, synchronous=NORMAL, cache_size=-32768 (32 MiB),
 * journal_size_limit=64 MiB, no checkpoint on close, and SQLite's default
 * wal_autocheckpoint (1000 pages: a COMMIT past that checkpoints in place)
 * unless --autocheckpoint says otherwise. Each batch is BEGIN IMMEDIATE,
 * one INSERT per row (sqlite3_bind_int64 or sqlite3_bind_text with
 * SQLITE_STATIC per column, step, reset), COMMIT.
 *
 * The rows are the bids of `FROM NEXMARK WITH (kind = 'bid', events = N,
 * rate = R, seed = S)` (connectors/nexmark_gen.c, the same code), or the
 * lines of a CSV file `sluice nexmark --kind bid --format csv` wrote. Each
 * batch's rows are generated or read and split into fields before its clock
 * starts: only BEGIN ... COMMIT is timed. A timestamp is inserted as the text
 * the record holds, which is the text Sluice writes.
 *
 * Usage: sl_insert_baseline [--events N] [--rate R] [--seed S] [--csv FILE]
 *                           [--batch ROWS] [--runs K] [--db FILE]
 *                           [--autocheckpoint PAGES] [--columns LIST]
 *   --events, --rate, --seed  the generator's (defaults 1000000, 1000000, 1)
 *   --csv FILE     read the bids from FILE instead of generating them
 *   --batch ROWS   rows per transaction (default 406323: what one batch of
 *                  q0.sql holds from the generator, see _sluice_progress.rows_out;
 *                  236000 for all seven columns)
 *   --runs K       best of K runs, each into a fresh database (default 3)
 *   --db FILE      the database (default insert_baseline.db; removed first)
 *   --autocheckpoint PAGES  PRAGMA wal_autocheckpoint (default SQLite's 1000;
 *                  0: none, the WAL grows for the whole run)
 *   --columns LIST comma-separated bid columns (auction, bidder, price, channel,
 *                  url, date_time, extra) or "all"; default
 *                  auction,bidder,price,date_time,extra
 * Prints one line: rows=... batch=... seconds=... rows_per_s=... (the best run).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "connectors/nexmark_gen.h"

#define NFIELDS 7
#define INT_FIELDS 3 /* auction, bidder, price; then channel, url, date_time, extra */

static const char *const field_names[NFIELDS] = {"auction", "bidder",    "price", "channel",
                                                 "url",     "date_time", "extra"};

struct options {
    int64_t events, rate;
    uint64_t seed;
    const char *csv;
    size_t batch;
    int runs;
    const char *db;
    int autocheckpoint;
    int ncols;
    int cols[NFIELDS]; /* the bid field each table column holds */
};

/* One batch of rows: their text, and each field's place in it. */
struct batch {
    char *text;
    size_t text_len, text_cap;
    size_t rows, cap;
    int64_t *ints;       /* rows x INT_FIELDS */
    size_t *field_start; /* rows x (NFIELDS - INT_FIELDS), offsets into text */
    int *field_len;
};

/* Where rows come from: the generator or a CSV file. */
struct input {
    struct nx_gen *gen;
    int64_t next_row;
    char *record;
    FILE *csv;
    char *line;
    size_t line_cap;
};

static void die(const char *what)
{
    fprintf(stderr, "sl_insert_baseline: %s\n", what);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p)
        die("out of memory");
    return p;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Splits one bid record (no '\n') into the batch; false when it is not seven fields. */
static bool batch_add(struct batch *b, const char *rec, size_t len)
{
    if (b->rows == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 4096;
        b->ints = xrealloc(b->ints, b->cap * INT_FIELDS * sizeof *b->ints);
        b->field_start =
            xrealloc(b->field_start, b->cap * (NFIELDS - INT_FIELDS) * sizeof *b->field_start);
        b->field_len = xrealloc(b->field_len, b->cap * (NFIELDS - INT_FIELDS) * sizeof *b->field_len);
    }
    if (b->text_len + len > b->text_cap) {
        b->text_cap = (b->text_len + len) * 2;
        b->text = xrealloc(b->text, b->text_cap);
    }
    char *text = b->text + b->text_len;
    memcpy(text, rec, len);
    size_t start = 0;
    for (int f = 0; f < NFIELDS; f++) {
        size_t end = start;
        while (end < len && (f == NFIELDS - 1 || text[end] != ','))
            end++;
        if (f < NFIELDS - 1 && end == len)
            return false;
        if (f < INT_FIELDS) {
            b->ints[b->rows * INT_FIELDS + f] = strtoll(text + start, NULL, 10);
        } else {
            size_t k = b->rows * (NFIELDS - INT_FIELDS) + (size_t)(f - INT_FIELDS);
            b->field_start[k] = b->text_len + start;
            b->field_len[k] = (int)(end - start);
        }
        start = end + 1;
    }
    b->text_len += len;
    b->rows++;
    return true;
}

/* Fills the batch with up to want rows; false when the input has none left. */
static bool input_next_batch(struct input *in, struct batch *b, size_t want)
{
    b->rows = 0;
    b->text_len = 0;
    while (b->rows < want) {
        if (in->gen) {
            if (in->next_row >= in->gen->rows)
                break;
            size_t width = nx_width(NX_BID);
            nx_record(in->gen, in->next_row++, in->record);
            if (!batch_add(b, in->record, width - 1))
                die("a generated record is not seven fields");
        } else {
            ssize_t n = getline(&in->line, &in->line_cap, in->csv);
            if (n < 0)
                break;
            while (n > 0 && (in->line[n - 1] == '\n' || in->line[n - 1] == '\r'))
                n--;
            if (!batch_add(b, in->line, (size_t)n))
                die("a line of the CSV file is not seven fields (auction ... extra)");
        }
    }
    return b->rows > 0;
}

static void exec_sql(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "sl_insert_baseline: %s: %s\n", sql, msg ? msg : "failed");
        exit(1);
    }
}

static sqlite3 *open_db(const struct options *o)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", o->db);
    remove(path);
    snprintf(path, sizeof path, "%s-wal", o->db);
    remove(path);
    snprintf(path, sizeof path, "%s-shm", o->db);
    remove(path);
    sqlite3 *db;
    if (sqlite3_open_v2(o->db, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
        die("cannot open the database");
    sqlite3_busy_timeout(db, 5000);
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    exec_sql(db, "PRAGMA journal_mode=WAL");
    exec_sql(db, "PRAGMA synchronous=NORMAL");
    exec_sql(db, "PRAGMA cache_size=-32768");
    exec_sql(db, "PRAGMA journal_size_limit=67108864");
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA wal_autocheckpoint=%d", o->autocheckpoint);
    exec_sql(db, pragma);
    char sql[512];
    int n = snprintf(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS \"q0\"(");
    for (int c = 0; c < o->ncols; c++)
        n += snprintf(sql + n, sizeof sql - (size_t)n, "%s\"%s\" %s", c ? ", " : "",
                      field_names[o->cols[c]], o->cols[c] < INT_FIELDS ? "INTEGER" : "TEXT");
    snprintf(sql + n, sizeof sql - (size_t)n, ")");
    exec_sql(db, sql);
    return db;
}

/* Inserts the batch in one transaction; returns the seconds it took. */
static double insert_batch(const struct options *o, sqlite3 *db, sqlite3_stmt *insert,
                           const struct batch *b)
{
    double started = now_seconds();
    exec_sql(db, "BEGIN IMMEDIATE");
    for (size_t r = 0; r < b->rows; r++) {
        for (int c = 0; c < o->ncols; c++) {
            int f = o->cols[c];
            if (f < INT_FIELDS) {
                sqlite3_bind_int64(insert, c + 1, b->ints[r * INT_FIELDS + (size_t)f]);
                continue;
            }
            size_t k = r * (NFIELDS - INT_FIELDS) + (size_t)(f - INT_FIELDS);
            sqlite3_bind_text(insert, c + 1, b->text + b->field_start[k], b->field_len[k],
                              SQLITE_STATIC);
        }
        if (sqlite3_step(insert) != SQLITE_DONE)
            die(sqlite3_errmsg(db));
        sqlite3_reset(insert);
    }
    exec_sql(db, "COMMIT");
    return now_seconds() - started;
}

/* One run into a fresh database; returns the seconds spent inserting and counts the rows. */
static double run_once(const struct options *o, struct batch *b, uint64_t *rows)
{
    struct input in = {0};
    if (o->csv) {
        in.csv = fopen(o->csv, "r");
        if (!in.csv)
            die("cannot open the CSV file");
    } else {
        in.gen = malloc(sizeof *in.gen);
        in.record = malloc(nx_width(NX_BID));
        if (!in.gen || !in.record)
            die("out of memory");
        struct nx_config c = {.kind = NX_BID, .seed = o->seed, .rate = o->rate,
                              .base_us = NX_BASE_DEFAULT, .events = o->events, .group = 1};
        nx_init(in.gen, &c);
    }
    sqlite3 *db = open_db(o);
    char sql[512];
    int n = snprintf(sql, sizeof sql, "INSERT INTO \"q0\" VALUES (");
    for (int c = 0; c < o->ncols; c++)
        n += snprintf(sql + n, sizeof sql - (size_t)n, "%s?%d", c ? ", " : "", c + 1);
    snprintf(sql + n, sizeof sql - (size_t)n, ")");
    sqlite3_stmt *insert;
    if (sqlite3_prepare_v2(db, sql, -1, &insert, NULL) != SQLITE_OK)
        die(sqlite3_errmsg(db));
    double seconds = 0;
    *rows = 0;
    while (input_next_batch(&in, b, o->batch)) {
        seconds += insert_batch(o, db, insert, b);
        *rows += b->rows;
    }
    sqlite3_finalize(insert);
    sqlite3_close(db);
    if (in.csv)
        fclose(in.csv);
    free(in.line);
    free(in.gen);
    free(in.record);
    return seconds;
}

/* Fills o's columns from a comma-separated list of bid field names, or "all". */
static bool parse_columns(struct options *o, const char *list)
{
    o->ncols = 0;
    if (strcmp(list, "all") == 0) {
        for (int f = 0; f < NFIELDS; f++)
            o->cols[o->ncols++] = f;
        return true;
    }
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        int f = 0;
        while (f < NFIELDS && (strlen(field_names[f]) != len || strncmp(p, field_names[f], len)))
            f++;
        if (f == NFIELDS || o->ncols == NFIELDS)
            return false;
        o->cols[o->ncols++] = f;
        p += len + (p[len] == ',');
    }
    return o->ncols > 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: sl_insert_baseline [--events N] [--rate R] [--seed S] [--csv FILE]\n"
                    "                          [--batch ROWS] [--runs K] [--db FILE]\n"
                    "                          [--autocheckpoint PAGES] [--columns LIST]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    struct options o = {.events = 1000000, .rate = 1000000, .seed = 1, .batch = 406323,
                        .runs = 3, .db = "insert_baseline.db", .autocheckpoint = 1000};
    parse_columns(&o, "auction,bidder,price,date_time,extra");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc)
            usage();
        const char *v = argv[++i];
        if (strcmp(a, "--events") == 0)
            o.events = strtoll(v, NULL, 10);
        else if (strcmp(a, "--rate") == 0)
            o.rate = strtoll(v, NULL, 10);
        else if (strcmp(a, "--seed") == 0)
            o.seed = strtoull(v, NULL, 10);
        else if (strcmp(a, "--csv") == 0)
            o.csv = v;
        else if (strcmp(a, "--batch") == 0)
            o.batch = strtoull(v, NULL, 10);
        else if (strcmp(a, "--runs") == 0)
            o.runs = atoi(v);
        else if (strcmp(a, "--db") == 0)
            o.db = v;
        else if (strcmp(a, "--autocheckpoint") == 0)
            o.autocheckpoint = atoi(v);
        else if (strcmp(a, "--columns") == 0) {
            if (!parse_columns(&o, v))
                usage();
        }
        else
            usage();
    }
    if (o.events < 1 || o.events > NX_MAX_EVENTS || o.rate < 1 || o.batch < 1 || o.runs < 1)
        usage();
    struct batch b = {0};
    double best = 0;
    uint64_t rows = 0;
    for (int run = 0; run < o.runs; run++) {
        double s = run_once(&o, &b, &rows);
        if (run == 0 || s < best)
            best = s;
    }
    printf("rows=%llu batch=%zu seconds=%.3f rows_per_s=%.0f\n", (unsigned long long)rows,
           o.batch, best, best > 0 ? (double)rows / best : 0.0);
    free(b.text);
    free(b.ints);
    free(b.field_start);
    free(b.field_len);
    return 0;
}
