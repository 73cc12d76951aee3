/*
 * fault_vfs.h — a SQLite VFS shim for fault-injection tests: it hands every
 * call to the VFS it wraps, counts the calls that write (xWrite, xTruncate
 * and xSync, on any file: database, WAL, journal) and makes the Nth one
 * fail. An I/O error fails that call only (SQLITE_IOERR_WRITE, _TRUNCATE or
 * _FSYNC); a full disk stays full (SQLITE_FULL from every write from the
 * Nth on) until disarmed. Registered as the default VFS, it reaches the
 * engine's connection without the engine knowing. One instance per test
 * program, used from one thread.
 */
#ifndef TEST_FAULT_VFS_H
#define TEST_FAULT_VFS_H

#include <stdbool.h>
#include <string.h>

#include <sqlite3.h>

enum fault_kind { FAULT_IOERR, FAULT_FULL };

static struct {
    sqlite3_vfs vfs;
    sqlite3_vfs *base;
    long writes;  /* write calls since the last fault_vfs_arm */
    long fail_at; /* 0: disarmed */
    enum fault_kind kind;
    bool fired;
} fault_vfs;

struct fault_file {
    sqlite3_file file; /* pMethods: fault_io */
    sqlite3_file *real; /* the wrapped VFS's file, right after this struct */
};

#define FAULT_REAL(f) (((struct fault_file *)(f))->real)

/* Counts a write call: the error to return instead of making it, or SQLITE_OK. */
static inline int fault_check(int ioerr)
{
    fault_vfs.writes++;
    if (!fault_vfs.fail_at || fault_vfs.writes < fault_vfs.fail_at)
        return SQLITE_OK;
    if (fault_vfs.kind == FAULT_FULL) {
        fault_vfs.fired = true;
        return SQLITE_FULL;
    }
    if (fault_vfs.writes > fault_vfs.fail_at)
        return SQLITE_OK;
    fault_vfs.fired = true;
    return ioerr;
}

static int fault_close(sqlite3_file *f)
{
    return FAULT_REAL(f)->pMethods->xClose(FAULT_REAL(f));
}

static int fault_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    return FAULT_REAL(f)->pMethods->xRead(FAULT_REAL(f), buf, n, off);
}

static int fault_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    int rc = fault_check(SQLITE_IOERR_WRITE);
    return rc ? rc : FAULT_REAL(f)->pMethods->xWrite(FAULT_REAL(f), buf, n, off);
}

static int fault_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    int rc = fault_check(SQLITE_IOERR_TRUNCATE);
    return rc ? rc : FAULT_REAL(f)->pMethods->xTruncate(FAULT_REAL(f), size);
}

/* Counted, but never reaches the disk: no test here is about power loss, and
 * an fsync per commit would make the hundreds of runs take a minute. */
static int fault_sync(sqlite3_file *f, int flags)
{
    (void)f, (void)flags;
    return fault_check(SQLITE_IOERR_FSYNC);
}

static int fault_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return FAULT_REAL(f)->pMethods->xFileSize(FAULT_REAL(f), size);
}

static int fault_lock(sqlite3_file *f, int level)
{
    return FAULT_REAL(f)->pMethods->xLock(FAULT_REAL(f), level);
}

static int fault_unlock(sqlite3_file *f, int level)
{
    return FAULT_REAL(f)->pMethods->xUnlock(FAULT_REAL(f), level);
}

static int fault_check_reserved(sqlite3_file *f, int *out)
{
    return FAULT_REAL(f)->pMethods->xCheckReservedLock(FAULT_REAL(f), out);
}

static int fault_file_control(sqlite3_file *f, int op, void *arg)
{
    return FAULT_REAL(f)->pMethods->xFileControl(FAULT_REAL(f), op, arg);
}

static int fault_sector_size(sqlite3_file *f)
{
    return FAULT_REAL(f)->pMethods->xSectorSize(FAULT_REAL(f));
}

static int fault_device_chars(sqlite3_file *f)
{
    return FAULT_REAL(f)->pMethods->xDeviceCharacteristics(FAULT_REAL(f));
}

/* The shared-memory index of a WAL is memory, not writes: passed through. */
static int fault_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **pp)
{
    return FAULT_REAL(f)->pMethods->xShmMap(FAULT_REAL(f), page, size, extend, pp);
}

static int fault_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    return FAULT_REAL(f)->pMethods->xShmLock(FAULT_REAL(f), offset, n, flags);
}

static void fault_shm_barrier(sqlite3_file *f)
{
    FAULT_REAL(f)->pMethods->xShmBarrier(FAULT_REAL(f));
}

static int fault_shm_unmap(sqlite3_file *f, int delete_flag)
{
    return FAULT_REAL(f)->pMethods->xShmUnmap(FAULT_REAL(f), delete_flag);
}

/* Memory-mapped reads stay off (iVersion 2): every page goes through xRead. */
static const sqlite3_io_methods fault_io = {
    2,
    fault_close,
    fault_read,
    fault_write,
    fault_truncate,
    fault_sync,
    fault_file_size,
    fault_lock,
    fault_unlock,
    fault_check_reserved,
    fault_file_control,
    fault_sector_size,
    fault_device_chars,
    fault_shm_map,
    fault_shm_lock,
    fault_shm_barrier,
    fault_shm_unmap,
    NULL,
    NULL,
};

static int fault_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
                      int *out_flags)
{
    (void)vfs;
    struct fault_file *ff = (struct fault_file *)f;
    ff->real = (sqlite3_file *)(ff + 1);
    int rc = fault_vfs.base->xOpen(fault_vfs.base, name, ff->real, flags, out_flags);
    /* SQLite calls xClose exactly when pMethods is set, as the real file's is. */
    f->pMethods = ff->real->pMethods ? &fault_io : NULL;
    return rc;
}

static int fault_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    (void)vfs;
    return fault_vfs.base->xDelete(fault_vfs.base, name, sync_dir);
}

static int fault_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return fault_vfs.base->xAccess(fault_vfs.base, name, flags, out);
}

static int fault_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return fault_vfs.base->xFullPathname(fault_vfs.base, name, n, out);
}

static int fault_randomness(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return fault_vfs.base->xRandomness(fault_vfs.base, n, out);
}

static int fault_sleep(sqlite3_vfs *vfs, int us)
{
    (void)vfs;
    return fault_vfs.base->xSleep(fault_vfs.base, us);
}

static int fault_current_time(sqlite3_vfs *vfs, double *out)
{
    (void)vfs;
    return fault_vfs.base->xCurrentTime(fault_vfs.base, out);
}

static int fault_last_error(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return fault_vfs.base->xGetLastError(fault_vfs.base, n, out);
}

static int fault_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    (void)vfs;
    return fault_vfs.base->xCurrentTimeInt64(fault_vfs.base, out);
}

/* Makes the shim the default VFS (nothing armed yet). */
static inline void fault_vfs_install(void)
{
    sqlite3_initialize();
    /* Already installed (a failed test did not get to uninstall it). */
    if (sqlite3_vfs_find(NULL) == &fault_vfs.vfs)
        return;
    fault_vfs.base = sqlite3_vfs_find(NULL);
    memset(&fault_vfs.vfs, 0, sizeof fault_vfs.vfs);
    fault_vfs.vfs.iVersion = 2;
    fault_vfs.vfs.szOsFile = (int)sizeof(struct fault_file) + fault_vfs.base->szOsFile;
    fault_vfs.vfs.mxPathname = fault_vfs.base->mxPathname;
    fault_vfs.vfs.zName = "fault";
    fault_vfs.vfs.xOpen = fault_open;
    fault_vfs.vfs.xDelete = fault_delete;
    fault_vfs.vfs.xAccess = fault_access;
    fault_vfs.vfs.xFullPathname = fault_full_pathname;
    fault_vfs.vfs.xRandomness = fault_randomness;
    fault_vfs.vfs.xSleep = fault_sleep;
    fault_vfs.vfs.xCurrentTime = fault_current_time;
    fault_vfs.vfs.xGetLastError = fault_last_error;
    fault_vfs.vfs.xCurrentTimeInt64 = fault_current_time64;
    sqlite3_vfs_register(&fault_vfs.vfs, 1);
}

/* Puts the wrapped VFS back as the default (every connection closed). */
static inline void fault_vfs_uninstall(void)
{
    sqlite3_vfs_register(fault_vfs.base, 1);
    sqlite3_vfs_unregister(&fault_vfs.vfs);
}

/* Restarts the count; the Nth write from now fails (n = 0: none does). */
static inline void fault_vfs_arm(long n, enum fault_kind kind)
{
    fault_vfs.writes = 0;
    fault_vfs.fail_at = n;
    fault_vfs.kind = kind;
    fault_vfs.fired = false;
}

static inline void fault_vfs_disarm(void)
{
    fault_vfs.fail_at = 0;
}

#endif
