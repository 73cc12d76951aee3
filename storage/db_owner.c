/*
 * db_owner.c — one owner per database. A process that runs queries on a
 * database (sluice run, the shell) claims it first: it holds an exclusive
 * flock on the file DB-owner beside it, for as long as it runs, and writes
 * its pid, host and start time there. A second one finds the lock taken and
 * refuses, naming the first; readers (sqlite3, sluice --readonly) never claim.
 *
 * Why a lock and not only a pid: the kernel lets go of the lock when the
 * holder dies, kill -9 included, so a claim whose lock is free is stale
 * whatever its pid now names (pids are reused). A claim written on another
 * host is different: a network file system may not carry locks across hosts,
 * so there the owner also renews the file's time every OWNER_RENEW_S, and a
 * claim from another host is taken over only once it was not renewed for
 * OWNER_STALE_S.
 */
#include "storage/db.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/log.h"

#define OWNER_RENEW_S 10
#define OWNER_STALE_S 60
/* A holder killed a moment ago lets go of its lock as it exits: waited for this long. */
#define OWNER_WAIT_MS 1500
#define OWNER_POLL_MS 50

struct db_owner {
    int fd;
    char *path;
    pthread_t renewer;
    bool renewing;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
};

/* What a claim file says; empty fields when it says nothing (being written). */
struct claim {
    long pid;
    char host[256];
    char since[64];
};

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The claim file's path: beside the database's real file, so two names of one file share it. */
static char *claim_path(const char *db_path)
{
    char real[PATH_MAX];
    const char *base = realpath(db_path, real) ? real : db_path;
    size_t n = strlen(base);
    char *path = sl_malloc(n + sizeof "-owner");
    if (path) {
        memcpy(path, base, n);
        memcpy(path + n, "-owner", sizeof "-owner");
    }
    return path;
}

static void read_claim(int fd, struct claim *c)
{
    *c = (struct claim){0};
    char text[1024];
    ssize_t n = pread(fd, text, sizeof text - 1, 0);
    if (n <= 0)
        return;
    text[n] = '\0';
    char *rest = NULL; /* strtok_r: two engines may claim their databases at once */
    for (char *line = strtok_r(text, "\n", &rest); line; line = strtok_r(NULL, "\n", &rest)) {
        if (strncmp(line, "pid ", 4) == 0)
            c->pid = strtol(line + 4, NULL, 10);
        else if (strncmp(line, "host ", 5) == 0)
            snprintf(c->host, sizeof c->host, "%s", line + 5);
        else if (strncmp(line, "since ", 6) == 0)
            snprintf(c->since, sizeof c->since, "%s", line + 6);
    }
}

static sl_status write_claim(int fd, const char *host, struct sl_error *err, const char *db_path)
{
    char since[64];
    time_t now = time(NULL);
    struct tm tm;
    strftime(since, sizeof since, "%Y-%m-%d %H:%M:%S UTC", gmtime_r(&now, &tm));
    char text[512];
    int n = snprintf(text, sizeof text, "pid %ld\nhost %s\nsince %s\n", (long)getpid(), host,
                     since);
    if (ftruncate(fd, 0) != 0 || pwrite(fd, text, (size_t)n, 0) != n)
        return sl_error_set(err, SL_ERROR, "cannot claim database '%s': cannot write its owner "
                            "file: %s", db_path, strerror(errno));
    return SL_OK;
}

static void *renew_main(void *arg)
{
    struct db_owner *o = arg;
    pthread_mutex_lock(&o->mu);
    while (!o->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += OWNER_RENEW_S;
        pthread_cond_timedwait(&o->cv, &o->mu, &until);
        if (!o->stop)
            futimens(o->fd, NULL);
    }
    pthread_mutex_unlock(&o->mu);
    return NULL;
}

static sl_status refuse(const char *db_path, const struct claim *c, const char *extra,
                        struct sl_error *err)
{
    if (!c->pid)
        return sl_error_set(err, SL_ERROR,
                            "database '%s' is in use by another sluice process\nhint: stop it "
                            "first; sqlite3 and `sluice --readonly` can read the database "
                            "meanwhile",
                            db_path);
    return sl_error_set(err, SL_ERROR,
                        "database '%s' is in use by another sluice: pid %ld on host %s, since "
                        "%s%s\nhint: stop that one first; sqlite3 and `sluice --readonly` can "
                        "read the database meanwhile",
                        db_path, c->pid, c->host, c->since, extra);
}

/* The locked file is still the one at path (an owner letting go removes it first). */
static bool still_there(int fd, const char *path)
{
    struct stat held, named;
    return fstat(fd, &held) == 0 && stat(path, &named) == 0 && held.st_dev == named.st_dev &&
           held.st_ino == named.st_ino;
}

/*
 * A free lock over a claim: from this host, its process is gone (killed);
 * from another, it is gone only when it stopped renewing. SL_OK to take it.
 */
static sl_status judge_stale(int fd, const char *db_path, const char *host,
                             const struct sl_log *log, struct sl_error *err)
{
    struct claim c;
    read_claim(fd, &c);
    if (!c.pid)
        return SL_OK;
    if (strcmp(c.host, host) != 0) {
        struct stat st;
        long age = fstat(fd, &st) == 0 ? (long)(time(NULL) - st.st_mtime) : OWNER_STALE_S;
        if (age < OWNER_STALE_S) {
            char extra[200];
            snprintf(extra, sizeof extra,
                     " (renewed %lds ago; from here Sluice cannot tell whether it still runs: "
                     "a claim not renewed for %ds is taken over)",
                     age < 0 ? 0 : age, OWNER_STALE_S);
            return refuse(db_path, &c, extra, err);
        }
    }
    sl_log(log, SL_LOG_WARN,
           "database '%s': pid %ld on host %s (since %s) held it and ended without letting "
           "go (killed?): this process takes it over",
           db_path, c.pid, c.host, c.since);
    return SL_OK;
}

static sl_status start_owning(int fd, char *path, const char *host, const char *db_path,
                              struct db_owner **out, struct sl_error *err)
{
    sl_status st = write_claim(fd, host, err, db_path);
    struct db_owner *o = st == SL_OK ? sl_calloc(1, sizeof *o) : NULL;
    if (!o) {
        unlink(path);
        close(fd);
        sl_free(path);
        return st == SL_OK ? sl_error_set(err, SL_NOMEM, "out of memory") : st;
    }
    o->fd = fd;
    o->path = path;
    pthread_mutex_init(&o->mu, NULL);
    pthread_cond_init(&o->cv, NULL);
    /* Without the renewer, only another host's view of the claim suffers. */
    o->renewing = pthread_create(&o->renewer, NULL, renew_main, o) == 0;
    *out = o;
    return SL_OK;
}

/* The claim file cannot be made beside the database: say what to do, which depends on
 * whether the directory is there and the database with it (--readonly reads one only). */
static sl_status cannot_create(const char *db_path, const char *claim, int error,
                               struct sl_error *err)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", db_path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        slash[1] = '\0'; /* the root directory */
    else
        *slash = '\0';
    struct stat st;
    if (error == ENOENT && stat(dir, &st) != 0)
        return sl_error_set(err, SL_ERROR,
                            "cannot open database '%s': its directory '%s' does not exist\n"
                            "hint: make the directory first (mkdir -p), or give --db a path in one "
                            "that exists",
                            db_path, dir);
    if (stat(db_path, &st) != 0)
        return sl_error_set(err, SL_ERROR,
                            "cannot create database '%s': cannot create %s: %s\nhint: give --db a "
                            "path in a directory this user can write",
                            db_path, claim, strerror(error));
    return sl_error_set(err, SL_ERROR,
                        "cannot claim database '%s': cannot create %s: %s\nhint: sluice "
                        "--readonly opens it without writing",
                        db_path, claim, strerror(error));
}

sl_status db_owner_claim(const char *db_path, const struct sl_log *log, struct db_owner **out,
                         struct sl_error *err)
{
    *out = NULL;
    if (!*db_path || strcmp(db_path, ":memory:") == 0)
        return SL_OK;
    char host[256] = "";
    if (gethostname(host, sizeof host - 1) != 0)
        snprintf(host, sizeof host, "unknown");
    char *path = claim_path(db_path);
    if (!path)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    for (int waited = 0;;) {
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) {
            sl_status st = cannot_create(db_path, path, errno, err);
            sl_free(path);
            return st;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            struct claim c;
            read_claim(fd, &c);
            close(fd);
            if (waited < OWNER_WAIT_MS) {
                sleep_ms(OWNER_POLL_MS);
                waited += OWNER_POLL_MS;
                continue;
            }
            sl_free(path);
            return refuse(db_path, &c, "", err);
        }
        if (!still_there(fd, path)) {
            close(fd);
            continue;
        }
        sl_status st = judge_stale(fd, db_path, host, log, err);
        if (st != SL_OK) {
            close(fd);
            sl_free(path);
            return st;
        }
        return start_owning(fd, path, host, db_path, out, err);
    }
}

void db_owner_release(struct db_owner *o)
{
    if (!o)
        return;
    if (o->renewing) {
        pthread_mutex_lock(&o->mu);
        o->stop = true;
        pthread_cond_signal(&o->cv);
        pthread_mutex_unlock(&o->mu);
        pthread_join(o->renewer, NULL);
    }
    /* Removed while still locked: whoever opened it meanwhile sees it gone (still_there). */
    unlink(o->path);
    close(o->fd);
    pthread_cond_destroy(&o->cv);
    pthread_mutex_destroy(&o->mu);
    sl_free(o->path);
    sl_free(o);
}
