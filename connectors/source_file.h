/*
 * source_file.h — private to the FILE source's files: the files it tracks
 * and how its parts share them.
 *
 *   source_file.c           the connector entry: open, read (which file next), size, state
 *   source_file_entry.c     one file's bytes: plain (pread at its position) or .gz (zlib)
 *   source_file_scan.c      the glob in name order, rotation, deletion, inotify or polling
 *   source_file_position.c  the checkpoint's identity text and a resume from it
 *
 * The stream is the concatenation of what each file hands out; the source's
 * offset counts those bytes. Without follow the files are read one after
 * the other in name order. With follow, the first file (in the order they
 * were found) that has a complete line is read, so a rotated file is read
 * to its end before the one that replaced it; a file only ever hands out
 * whole lines unless one is longer than the reader's buffer, and then it
 * is read until that line ends before any other file.
 */
#ifndef SL_SOURCE_FILE_H
#define SL_SOURCE_FILE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <zlib.h>

#include "connectors/source_impl.h"

/* Fills err with "<what> (relative to <cwd>): <errnum's text>" (the parenthesis only for
 * a relative path; errnum 0: no text) and returns SL_ERROR (source_file_path.c). */
sl_status file_error(struct sl_error *err, const char *path, int errnum, const char *fmt, ...)
    SL_PRINTF(4, 5);

/* How much of a file's start its identity hashes (and the entry keeps). */
#define FILE_HEAD_BYTES 4096
/* Runs kept to place a checkpoint that falls before the last bytes handed out. */
#define FILE_RUNS 16

struct file_entry {
    char *path; /* where it was last seen */
    dev_t dev;
    ino_t ino;
    int fd;     /* -1 once finished */
    gzFile gz;  /* a .gz file is read through zlib; NULL for a plain file */
    uint64_t id;  /* the order the entry was found in, for the runs */
    uint64_t pos; /* bytes of it handed out (uncompressed for .gz), the newline below apart */
    bool newline_added; /* its last line had no '\n': one was handed out after it */
    bool mid_line;      /* the last byte handed out is not '\n' */
    bool rotated;       /* its name no longer leads to it (renamed away or deleted) */
    bool finished;      /* read to its end for good: never read again */
    bool gz_ended;      /* the gzip stream was read to its end */
    uint64_t seen_size; /* its size and modification time when it was last looked at */
    struct timespec seen_mtime;
    int64_t grew_us;    /* when it was last seen growing (a rotated file's rotate_wait) */
    size_t head_len;    /* its first bytes handed out, up to FILE_HEAD_BYTES */
    char head[FILE_HEAD_BYTES];
};

/* A stretch of the stream that came from one file. */
struct file_run {
    uint64_t entry_id;
    uint64_t start; /* the stream offset of its first byte */
    uint64_t len;
};

struct source_file {
    struct sl_source base;
    char *pattern; /* the address: a path or a glob */
    bool follow;
    int64_t poll_us, rotate_wait_us;
    struct file_entry **files; /* in reading order */
    size_t nfiles, cap_files;
    uint64_t next_id;
    size_t current; /* non-follow: the file being read */
    bool eof;
    struct file_run runs[FILE_RUNS]; /* the last runs, oldest first */
    size_t nruns;
    int inotify_fd; /* -1: polling only */
    bool rescan;    /* the directory changed: the glob is matched again */
    int64_t next_scan_us;
    char state[128];
};

/* source_file_entry.c */
/* Opens path as an entry (a .gz one through zlib); NULL with err when it cannot be. */
struct file_entry *file_entry_open(const char *path, const struct stat *st, struct sl_error *err);
void file_entry_free(struct file_entry *e);
/* Closes its descriptor for good (the entry is finished). */
void file_entry_close(struct file_entry *e);
/* Reads up to cap bytes at its position without handing them out: *n is 0 at its end. */
sl_status file_entry_peek(struct file_entry *e, char *buf, size_t cap, size_t *n,
                          struct sl_error *err);
/* Hands out n bytes peeked (keeping the head for the identity). */
void file_entry_advance(struct file_entry *e, const char *buf, size_t n);
/* Its size now (a .gz one's uncompressed size, from its trailer); false if unknown. */
bool file_entry_size(const struct file_entry *e, uint64_t *size);
/* Whether its first bytes are still the ones handed out (false: truncated and rewritten). */
bool file_entry_head_intact(const struct file_entry *e);
/* Whether its size or modification time moved since it was last seen (and notes them). */
bool file_entry_changed(struct file_entry *e, uint64_t *size);
/* Back to its start (after a truncation), or on to pos (a resume), reading its head on the way. */
sl_status file_entry_rewind(struct file_entry *e, struct sl_error *err);
sl_status file_entry_skip_to(struct file_entry *e, uint64_t pos, struct sl_error *err);
bool file_is_gz(const char *path);

/* source_file_scan.c */
/* Matches the pattern (a path without wildcards matches itself if it exists)
 * and adds the files not tracked yet, in name order; logs new ones when announce. */
sl_status file_scan(struct source_file *f, bool announce, struct sl_error *err);
/* Marks entries whose name no longer leads to them as rotated (logged once). */
void file_check_rotation(struct source_file *f);
/* Drops finished entries that can no longer come back through the glob. */
void file_forget_finished(struct source_file *f);
/* Starts watching the pattern's directory (polling when inotify cannot). */
void file_watch_start(struct source_file *f);
/* Waits at most timeout_ms for the directory to change (sets f->rescan on a new or moved name). */
void file_watch_wait(struct source_file *f, int timeout_ms);
/* The file with inode ino in path's directory: its path into found. */
bool file_find_in_dir(const char *path, uint64_t ino, char *found, size_t cap);
/* Warns of the files named like old_path's (app.log.10 beside app.log) that
 * the pattern does not match and that were written after rotated, found
 * rotated at a resume: a log rotated twice while Sluice was down, whose
 * middle file no checkpoint knew. */
void file_warn_unread_rotations(const struct source_file *f, const char *old_path,
                                const struct file_entry *rotated);
/* The entry for (dev, ino), or NULL. */
struct file_entry *file_find(const struct source_file *f, dev_t dev, ino_t ino);
/* Appends e to the reading order; false when out of memory. */
bool file_append(struct source_file *f, struct file_entry *e);

/* source_file_position.c */
sl_status file_identity(const struct sl_source *s, uint64_t offset, struct sl_buf *out,
                        struct sl_error *err);
sl_status file_seek(struct sl_source *s, uint64_t offset, const char *identity,
                    struct sl_error *err);

#endif
