/*
 * db_wal.c — WAL checkpoints off the batch's COMMIT path. SQLite's own
 * automatic checkpoint runs inside the COMMIT that takes the WAL past 1000
 * pages: it copies every frame into the database file and syncs it, on the
 * writer's thread, while the batch waits. Here the connection's WAL hook
 * (which replaces the automatic checkpoint) only wakes a helper thread,
 * which runs a PASSIVE checkpoint on a connection of its own while the
 * writer goes on with its next batch (reading, decoding, computing: the
 * rows are only written at the batch's end). The next BEGIN waits for the
 * round to end, so that the transaction starts the WAL over from its
 * beginning: were it to write while the round runs, the WAL would grow by
 * a batch each time and the next round would copy more. PASSIVE never waits
 * for a lock and never blocks a reader or the writer: frames a reader still
 * needs are left for the next round.
 *
 * The WAL stays bounded: past max_frames (a reader kept the rounds from
 * copying it, or the helper could not start), the hook waits for the
 * helper's round and checkpoints itself, as SQLite's automatic checkpoint
 * would. The helper starts with the first
 * checkpoint a connection needs, so a small database never has one. When the
 * connection closes, the helper finishes the round it was asked for, so the
 * database file holds what was committed.
 */
#include <pthread.h>
#include <stdlib.h>

#include "common/alloc.h"
#include "common/log.h"
#include "storage/db_internal.h"

/* SQLite's own automatic checkpoint threshold. */
#define DB_WAL_CHECKPOINT_FRAMES 1000
/* 256 MiB of 4 KiB pages: a WAL this long is checkpointed by the writer itself. */
#define DB_WAL_MAX_FRAMES 65536

struct db_wal {
    struct sl_db *db;
    int checkpoint_frames, max_frames;
    pthread_mutex_t lock;
    pthread_cond_t wake; /* a round asked for, or stop */
    pthread_cond_t idle; /* a round ended */
    pthread_t thread;
    bool started, failed_to_start;
    bool pending, running, stop;
    bool warned;         /* the last round failed and said so */
    uint64_t rounds;     /* rounds ended */
};

/* Opens the helper's own connection; NULL when it cannot (the writer then checkpoints). */
static sqlite3 *wal_open_helper(const struct sl_db *db)
{
    sqlite3 *conn = NULL;
    if (sqlite3_open_v2(db->path, &conn, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sqlite3_close(conn);
        return NULL;
    }
    /* Closing must not checkpoint under an exclusive lock (see db_open). */
    sqlite3_db_config(conn, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    sqlite3_exec(conn, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
    return conn;
}

/* One PASSIVE checkpoint of conn's WAL; a failure is logged once until one succeeds. */
static void wal_checkpoint(struct db_wal *w, sqlite3 *conn)
{
    int rc = sqlite3_wal_checkpoint_v2(conn, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    /* BUSY: another connection is checkpointing; it does the work. */
    bool failed = rc != SQLITE_OK && rc != SQLITE_BUSY;
    if (failed && !w->warned)
        sl_log(w->db->log, SL_LOG_WARN,
               "database '%s': a WAL checkpoint failed (%s); the next batches try again",
               w->db->path, sqlite3_errstr(rc));
    w->warned = failed;
}

static void *wal_helper_main(void *arg)
{
    struct db_wal *w = arg;
    sqlite3 *conn = wal_open_helper(w->db);
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->pending && !w->stop)
            pthread_cond_wait(&w->wake, &w->lock);
        if (!w->pending)
            break;
        w->pending = false;
        w->running = true;
        pthread_mutex_unlock(&w->lock);
        if (conn)
            wal_checkpoint(w, conn);
        pthread_mutex_lock(&w->lock);
        w->running = false;
        w->rounds++;
        if (!conn)
            w->failed_to_start = true;
        pthread_cond_broadcast(&w->idle);
    }
    pthread_mutex_unlock(&w->lock);
    sqlite3_close(conn);
    return NULL;
}

/* Asks the helper for a round, starting it first; false when there is no helper. */
static bool wal_ask_helper(struct db_wal *w)
{
    pthread_mutex_lock(&w->lock);
    if (!w->started && !w->failed_to_start) {
        if (pthread_create(&w->thread, NULL, wal_helper_main, w) == 0)
            w->started = true;
        else
            w->failed_to_start = true;
    }
    bool helped = w->started && !w->failed_to_start;
    if (helped) {
        w->pending = true;
        pthread_cond_signal(&w->wake);
    }
    pthread_mutex_unlock(&w->lock);
    return helped;
}

static void wal_wait_idle(struct db_wal *w)
{
    pthread_mutex_lock(&w->lock);
    while (w->running || w->pending)
        pthread_cond_wait(&w->idle, &w->lock);
    pthread_mutex_unlock(&w->lock);
}

/* Runs after each commit on this connection with the WAL's length in frames. */
static int wal_hook(void *ctx, sqlite3 *conn, const char *schema, int frames)
{
    (void)schema;
    struct db_wal *w = ctx;
    if (frames < w->checkpoint_frames)
        return SQLITE_OK;
    if (frames < w->max_frames && wal_ask_helper(w))
        return SQLITE_OK;
    /* The helper's round would find the WAL locked for checkpointing: wait for it. */
    wal_wait_idle(w);
    wal_checkpoint(w, conn);
    return SQLITE_OK;
}

void db_wal_before_write(struct sl_db *db)
{
    if (db->wal)
        wal_wait_idle(db->wal);
}

sl_status db_wal_start(struct sl_db *db, struct sl_error *err)
{
    /* A library built without threads keeps SQLite's automatic checkpoint. */
    if (!sqlite3_threadsafe())
        return SL_OK;
    struct db_wal *w = sl_calloc(1, sizeof *w);
    if (!w)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    w->db = db;
    w->checkpoint_frames = DB_WAL_CHECKPOINT_FRAMES;
    w->max_frames = DB_WAL_MAX_FRAMES;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    pthread_cond_init(&w->idle, NULL);
    db->wal = w;
    sqlite3_wal_hook(db->conn, wal_hook, w);
    return SL_OK;
}

void db_wal_stop(struct sl_db *db)
{
    struct db_wal *w = db->wal;
    if (!w)
        return;
    sqlite3_wal_hook(db->conn, NULL, NULL);
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    if (w->started)
        pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->idle);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    sl_free(w);
    db->wal = NULL;
}

void db_wal_set_frames(struct sl_db *db, int checkpoint_frames, int max_frames)
{
    if (!db->wal)
        return;
    db->wal->checkpoint_frames = checkpoint_frames;
    db->wal->max_frames = max_frames;
}

uint64_t db_wal_rounds(struct sl_db *db)
{
    struct db_wal *w = db->wal;
    if (!w)
        return 0;
    pthread_mutex_lock(&w->lock);
    uint64_t n = w->rounds;
    pthread_mutex_unlock(&w->lock);
    return n;
}
