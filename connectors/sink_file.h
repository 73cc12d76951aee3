/*
 * sink_file.h — the pieces of INTO FILE (connectors/sink_file.c) that stand
 * alone: the roll option's text, the names of files and partition folders on
 * disk, the state a delivery saves (what is in progress, and how long), and
 * a batch's rows encoded and grouped by folder.
 */
#ifndef SL_SINK_FILE_H
#define SL_SINK_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/status.h"
#include "common/value.h"
#include "connectors/sink.h"

/* A file is finished at whichever comes first; the one roll does not name keeps its default. */
#define FILE_ROLL_DEFAULT_BYTES (INT64_C(128) << 20)
#define FILE_ROLL_DEFAULT_AGE_US (INT64_C(3600) * 1000000)

struct file_roll {
    int64_t max_bytes;
    int64_t max_age_us;
};

/* roll = '1 minute' | '64 MB' over the defaults; false for any other text. */
bool file_roll_parse(const char *text, struct file_roll *roll);
extern const char *const file_roll_hint;

/* --- names (sink_file_names.c) --- */

/* "<sink>-<first, 20 digits>-<last>.<ext>": a finished file. */
void file_final_name(struct sl_buf *out, const char *sink, int64_t first, int64_t last,
                     const char *ext);
/* ".<sink>-<first, 20 digits>.<ext>.inprogress": hidden from readers, as Hadoop's dot files. */
void file_inprogress_name(struct sl_buf *out, const char *sink, int64_t first, const char *ext);
/* The last batch of the finished file "<sink>-<first>-*.<ext>" in folder dir, if there is one. */
bool file_find_final(const char *dir, const char *sink, int64_t first, const char *ext,
                     int64_t *last);
/* The folder "col=value" (Hive style) for a row's value, escaped for a file name;
 * false when it is too long for one. */
bool file_partition_folder(struct sl_buf *out, const char *column, const struct sl_value *v);
/* mkdir -p path, each folder it makes synced into its parent: errno's status, err naming path. */
sl_status file_make_folders(const char *path, struct sl_error *err);
/* fsync a folder, so the names made or renamed in it survive a power cut. */
sl_status file_sync_folder(const char *path, struct sl_error *err);

/* --- state (sink_file_state.c) --- */

/* One in-progress file as the state records it. */
struct file_saved_part {
    char *folder; /* relative to the sink's folder, "" without partition_by */
    int64_t first_batch;
    int64_t length;     /* bytes of delivered batches */
    int64_t created_us; /* the commit time of its first batch: its age */
};

struct file_saved_state {
    int64_t last_batch; /* the last batch delivered; 0: none */
    uint32_t nparts;
    struct file_saved_part *parts;
};

void file_state_encode(struct sl_buf *out, const struct file_saved_state *st, const char *sink,
                       const char *ext);
/* Reads what file_state_encode wrote; SL_ERROR naming the line it cannot read. */
sl_status file_state_decode(const char *text, size_t len, const char *sink, const char *ext,
                            struct file_saved_state *st, struct sl_error *err);
void file_state_free(struct file_saved_state *st);

/* --- a batch's rows by folder (sink_file_batch.c) --- */

/* The rows of one batch bound for one folder, encoded. */
struct file_group {
    struct sl_buf folder; /* "col=value", "" without partition_by */
    struct sl_buf bytes;
    int part;       /* the sink's in-progress file for the folder, -1: a new file */
    int new_fd;     /* a new file's, once written */
    int64_t length; /* the file's length once the rows are written */
    bool skip;      /* a finished file holds them already */
};

/* A batch's groups, found by folder through a hash table: a partition_by column
 * can have as many values as a batch has rows. */
struct file_groups {
    struct file_group *g;
    uint32_t n, cap;
    uint32_t *slots; /* 2 * cap of them: a group's index + 1, or 0 */
};

/* The batch's rows by folder (partition_col's value; -1: all in ""), in the order they came,
 * as CSV lines or JSON objects; rows no folder can hold go to ack->reject. SL_NOMEM. */
sl_status file_group_rows(const struct sl_sink_spec *spec, bool csv, int partition_col,
                          const struct sl_sink_batch *b, struct sl_sink_ack *ack,
                          struct file_groups *gs);
/* Frees the groups, closing the descriptors they still hold. */
void file_groups_free(struct file_groups *gs);
/* A CSV file's header line (with op when the rows change). */
void file_encode_header(const struct sl_sink_spec *spec, struct sl_buf *out);

#endif
