/*
 * sink_file.c — INTO FILE 'out/clean/': a query's rows as CSV or NDJSON files
 * in a folder, the role HDFS plays for Spark: users point Spark, DuckDB or
 * pandas at the folder and read the finished files.
 *
 * Exactly-once, and why it holds:
 * - Rows go to a hidden in-progress file, ".<sink>-<first batch>.<ext>.inprogress"
 *   (readers skip dot files, as they skip Hadoop's). Each delivery appends its
 *   batch, fsyncs, and leaves as its state the file's length after the batch.
 *   The engine saves that state in the SQLite transaction that marks the batch
 *   delivered, so the state and the outbox always agree.
 * - A restart hands the state back: each in-progress file is cut back to its
 *   saved length. A batch written but never marked delivered is cut away and
 *   comes again from the outbox, so it is written once.
 * - A file is finished (rolled) by renaming it to
 *   "<sink>-<first batch, 20 digits>-<last batch>.<ext>" after an fsync, then
 *   syncing the folder. A crash between the rename and the state's save
 *   leaves a state naming a file that is gone: its finished file, found by
 *   its first batch, says which batches it holds, and those batches' rows for
 *   that folder are not written again. The same check meets a new file whose
 *   batch was already written and finished before a crash.
 * - A batch whose id is not past the last one delivered is a no-op.
 * - A close (sluice run ending, a graceful stop) finishes every file, since
 *   users expect finished files once a bounded input is done; close cannot
 *   save state, and the restart reads that rename as a crash after a roll.
 * - Nothing a failed delivery wrote counts: lengths move only when the whole
 *   batch is written, and a retry writes over what a failed attempt left.
 *
 * partition_by = 'col': one folder "col=value" (Hive style) per value, each
 * with its own in-progress file; at most max_open_files are in progress, the
 * least recently written is finished past that. Changelog rows (EMIT
 * CHANGES) carry their change kind: a last CSV column op, a JSON "op" field.
 */
#include "connectors/sink_file.h"
#include "connectors/sink_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/time.h"

enum { OPT_ROLL, OPT_PARTITION_BY, OPT_MAX_OPEN_FILES };

/* One in-progress file. */
struct file_part {
    char *folder; /* in the sink's folder; "" without partition_by */
    int64_t first_batch;
    int64_t length;       /* bytes of delivered batches */
    int64_t created_us;   /* the commit time of its first batch */
    int64_t last_written; /* the batch that last wrote to it: who goes first past max_open_files */
    int fd;
    bool dirty; /* a failed attempt left bytes past length */
};

/* A folder whose rows up to batch `through` are in a finished file already (after a crash). */
struct file_skip {
    char *folder;
    int64_t through;
};

struct file_sink {
    struct sl_sink base;
    const struct sl_sink_spec *spec; /* lives as long as the sink */
    char *dir;                       /* the sink's folder, without a trailing '/' */
    const char *ext;                 /* "csv" | "json" */
    bool csv;
    struct file_roll roll;
    int partition_col; /* -1: no partition_by */
    uint32_t max_open;
    int64_t last_batch;
    struct file_part *parts;
    uint32_t nparts;
    struct file_skip *skips;
    uint32_t nskips;
};

/* An errno as a status: what the user must fix stops the sink, the rest is retried. */
static sl_status errno_status(int e)
{
    return e == EACCES || e == EPERM || e == EROFS || e == ENOTDIR || e == EISDIR ? SL_ERROR
                                                                                    : SL_AGAIN;
}

static void path_of(struct sl_buf *out, const struct file_sink *s, const char *folder)
{
    buf_clear(out);
    buf_puts(out, s->dir);
    if (*folder) {
        buf_putc(out, '/');
        buf_puts(out, folder);
    }
}

static void inprogress_path(struct sl_buf *out, const struct file_sink *s, const char *folder,
                            int64_t first)
{
    path_of(out, s, folder);
    buf_putc(out, '/');
    file_inprogress_name(out, s->spec->name, first, s->ext);
}

static sl_status write_at(int fd, int64_t offset, const char *data, size_t len)
{
    while (len) {
        ssize_t n = pwrite(fd, data, len, (off_t)offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return SL_ERROR;
        data += n;
        len -= (size_t)n;
        offset += n;
    }
    return SL_OK;
}

static void drop_part(struct file_sink *s, uint32_t i)
{
    if (s->parts[i].fd >= 0)
        close(s->parts[i].fd);
    sl_free(s->parts[i].folder);
    s->parts[i] = s->parts[--s->nparts];
}

/* Finishes part i as holding batches up to `last`: synced, renamed, its folder synced. */
static sl_status roll_part(struct file_sink *s, uint32_t i, int64_t last, struct sl_error *err)
{
    struct file_part *p = &s->parts[i];
    struct sl_buf from, to;
    buf_init(&from);
    buf_init(&to);
    inprogress_path(&from, s, p->folder, p->first_batch);
    path_of(&to, s, p->folder);
    buf_putc(&to, '/');
    file_final_name(&to, s->spec->name, p->first_batch, last, s->ext);
    sl_status st = SL_OK;
    if (from.failed || to.failed)
        st = sl_error_set(err, SL_AGAIN, "out of memory finishing a file");
    else if ((p->dirty && ftruncate(p->fd, (off_t)p->length) != 0) || fsync(p->fd) != 0 ||
             rename(from.data, to.data) != 0)
        st = sl_error_set(err, errno_status(errno), "cannot finish %s as %s: %s", from.data,
                          to.data, strerror(errno));
    if (st == SL_OK) {
        path_of(&from, s, p->folder);
        drop_part(s, i);
        st = file_sync_folder(from.data, err);
    }
    buf_free(&from);
    buf_free(&to);
    return st;
}

/* Finishes the files older than roll's age at now; the first failure is kept for err. */
static sl_status roll_aged(struct file_sink *s, int64_t now_us, struct sl_error *err)
{
    sl_status first = SL_OK;
    struct sl_error later;
    for (uint32_t i = s->nparts; i-- > 0;) {
        if (now_us - s->parts[i].created_us < s->roll.max_age_us)
            continue;
        sl_status st = roll_part(s, i, s->last_batch, first == SL_OK ? err : &later);
        if (first == SL_OK)
            first = st;
    }
    return first;
}

static int find_part(const struct file_sink *s, const char *folder)
{
    for (uint32_t i = 0; i < s->nparts; i++)
        if (strcmp(s->parts[i].folder, folder) == 0)
            return (int)i;
    return -1;
}

static bool skipped(const struct file_sink *s, const char *folder, int64_t batch)
{
    for (uint32_t i = 0; i < s->nskips; i++)
        if (batch <= s->skips[i].through && strcmp(s->skips[i].folder, folder) == 0)
            return true;
    return false;
}

/* Notes that folder's rows up to batch `through` are in a finished file. */
static sl_status add_skip(struct file_sink *s, const char *folder, int64_t through)
{
    struct file_skip *grown = sl_realloc(s->skips, (s->nskips + 1) * sizeof *grown);
    if (!grown)
        return SL_NOMEM;
    s->skips = grown;
    if (!(s->skips[s->nskips].folder = sl_strdup(folder)))
        return SL_NOMEM;
    s->skips[s->nskips++].through = through;
    return SL_OK;
}

/* Writes a new in-progress file for group g of batch, unless a finished file holds it already. */
static sl_status write_new(struct file_sink *s, int64_t batch, struct file_group *g,
                           struct sl_error *err)
{
    struct sl_buf path, head;
    buf_init(&path);
    buf_init(&head);
    path_of(&path, s, buf_str(&g->folder));
    int64_t last;
    sl_status st = file_make_folders(path.data, err);
    if (st == SL_OK && file_find_final(path.data, s->spec->name, batch, s->ext, &last)) {
        g->skip = true; /* written and finished before a crash, with the batches up to last */
        st = last > batch ? add_skip(s, buf_str(&g->folder), last) : SL_OK;
        goto done;
    }
    if (s->csv)
        file_encode_header(s->spec, &head);
    inprogress_path(&path, s, buf_str(&g->folder), batch);
    if (st == SL_OK && (path.failed || head.failed))
        st = sl_error_set(err, SL_AGAIN, "out of memory writing a file");
    if (st == SL_OK) {
        g->new_fd = open(path.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (g->new_fd < 0 || write_at(g->new_fd, 0, head.data, head.len) != SL_OK ||
            write_at(g->new_fd, (int64_t)head.len, g->bytes.data, g->bytes.len) != SL_OK ||
            fsync(g->new_fd) != 0)
            st = sl_error_set(err, errno_status(errno), "cannot write %s: %s", path.data,
                              strerror(errno));
        g->length = (int64_t)(head.len + g->bytes.len);
    }
    if (st == SL_OK) {
        path_of(&path, s, buf_str(&g->folder));
        st = file_sync_folder(path.data, err); /* the new name must outlive a power cut */
    }
done:
    buf_free(&path);
    buf_free(&head);
    return st;
}

/* Appends group g to its in-progress file, after the bytes of delivered batches. */
static sl_status write_more(struct file_sink *s, struct file_group *g, struct sl_error *err)
{
    struct file_part *p = &s->parts[g->part];
    g->length = p->length + (int64_t)g->bytes.len;
    if (write_at(p->fd, p->length, g->bytes.data, g->bytes.len) == SL_OK &&
        (!p->dirty || ftruncate(p->fd, (off_t)g->length) == 0) && fsync(p->fd) == 0)
        return SL_OK;
    int e = errno;
    p->dirty = true;
    struct sl_buf path;
    buf_init(&path);
    inprogress_path(&path, s, p->folder, p->first_batch);
    sl_status st = sl_error_set(err, errno_status(e), "cannot write %s: %s", buf_str(&path),
                                strerror(e));
    buf_free(&path);
    return st;
}

/* Makes the batch's writes count: lengths move, new files join the in-progress ones. */
static sl_status commit_groups(struct file_sink *s, int64_t batch, int64_t now_us,
                               struct file_group *g, uint32_t n)
{
    struct file_part *grown = sl_realloc(s->parts, (s->nparts + n + 1) * sizeof *grown);
    if (!grown)
        return SL_NOMEM;
    s->parts = grown;
    for (uint32_t i = 0; i < n; i++) {
        if (g[i].skip)
            continue;
        if (g[i].part >= 0) {
            struct file_part *p = &s->parts[g[i].part];
            p->length = g[i].length;
            p->last_written = batch;
            p->dirty = false;
            continue;
        }
        /* The part takes the folder's text (group_rows made it, "" too) and the descriptor. */
        s->parts[s->nparts++] = (struct file_part){.folder = g[i].folder.data,
                                                   .first_batch = batch,
                                                   .length = g[i].length,
                                                   .created_us = now_us,
                                                   .last_written = batch,
                                                   .fd = g[i].new_fd};
        buf_init(&g[i].folder);
        g[i].new_fd = -1;
    }
    return SL_OK;
}

static void forget_skips_through(struct file_sink *s, int64_t batch)
{
    for (uint32_t i = s->nskips; i-- > 0;)
        if (s->skips[i].through <= batch) {
            sl_free(s->skips[i].folder);
            s->skips[i] = s->skips[--s->nskips];
        }
}

/* Finishes files past the roll size, then the least recently written past max_open_files.
 * A file that cannot be finished now stays in progress and is tried again later. */
static void roll_after(struct file_sink *s, int64_t batch, struct sl_error *err)
{
    for (uint32_t i = s->nparts; i-- > 0;)
        if (s->parts[i].length >= s->roll.max_bytes)
            roll_part(s, i, batch, err);
    while (s->nparts > s->max_open) {
        uint32_t lru = 0;
        for (uint32_t i = 1; i < s->nparts; i++)
            if (s->parts[i].last_written < s->parts[lru].last_written)
                lru = i;
        if (roll_part(s, lru, batch, err) != SL_OK)
            break;
    }
}

static void save_state(const struct file_sink *s, struct sl_buf *out)
{
    struct file_saved_part *saved = sl_calloc(s->nparts + 1, sizeof *saved);
    buf_clear(out);
    if (!saved) {
        out->failed = true;
        return;
    }
    for (uint32_t i = 0; i < s->nparts; i++)
        saved[i] = (struct file_saved_part){s->parts[i].folder, s->parts[i].first_batch,
                                            s->parts[i].length, s->parts[i].created_us};
    struct file_saved_state st = {s->last_batch, s->nparts, saved};
    file_state_encode(out, &st, s->spec->name, s->ext);
    sl_free(saved);
}

static sl_status file_deliver(struct sl_sink *sink, const struct sl_sink_batch *b,
                              struct sl_sink_ack *ack, struct sl_error *err)
{
    struct file_sink *s = (struct file_sink *)sink;
    if (b->batch_id <= s->last_batch) {
        /* Delivered before a restart: its rows are in the files. The state is said again
         * in case the last one was not saved. */
        save_state(s, &ack->state);
        return ack->state.failed ? sl_error_set(err, SL_AGAIN, "out of memory saving the state")
                                 : SL_OK;
    }
    int64_t now_us = b->committed_us > 0 ? b->committed_us : sl_clock_now_us();
    struct sl_error roll_err;
    roll_aged(s, now_us, &roll_err); /* a file too old for this batch is finished first */
    struct file_groups gs = {0};
    sl_status st = file_group_rows(s->spec, s->csv, s->partition_col, b, ack, &gs);
    struct file_group *g = gs.g;
    uint32_t n = gs.n;
    for (uint32_t i = 0; i < n && st == SL_OK; i++) {
        g[i].skip = skipped(s, buf_str(&g[i].folder), b->batch_id);
        g[i].part = find_part(s, buf_str(&g[i].folder));
        if (!g[i].skip)
            st = g[i].part >= 0 ? write_more(s, &g[i], err) : write_new(s, b->batch_id, &g[i], err);
    }
    if (st == SL_OK)
        st = commit_groups(s, b->batch_id, now_us, g, n);
    file_groups_free(&gs);
    if (st == SL_NOMEM)
        return sl_error_set(err, SL_AGAIN, "out of memory writing batch %lld",
                            (long long)b->batch_id);
    if (st != SL_OK)
        return st;
    s->last_batch = b->batch_id;
    forget_skips_through(s, b->batch_id);
    roll_after(s, b->batch_id, &roll_err);
    save_state(s, &ack->state);
    return ack->state.failed ? sl_error_set(err, SL_AGAIN, "out of memory saving the state")
                             : SL_OK;
}

static sl_status file_idle(struct sl_sink *sink, int64_t now_us, struct sl_error *err)
{
    return roll_aged((struct file_sink *)sink, now_us, err);
}

static void file_free(struct file_sink *s)
{
    while (s->nparts)
        drop_part(s, s->nparts - 1);
    forget_skips_through(s, INT64_MAX);
    sl_free(s->parts);
    sl_free(s->skips);
    sl_free(s->dir);
    sl_free(s);
}

/* Finishes every file: users expect finished files once `sluice run` is done. */
static void file_close(struct sl_sink *sink)
{
    struct file_sink *s = (struct file_sink *)sink;
    struct sl_error err;
    for (uint32_t i = s->nparts; i-- > 0;)
        roll_part(s, i, s->last_batch, &err);
    file_free(s);
}

static const struct sl_sink_ops file_ops = {
    .deliver = file_deliver,
    .idle = file_idle,
    .close = file_close,
};

/* Takes over one in-progress file the saved state names: cut back to its saved
 * length, or, when it was finished before the state caught up, noted as finished. */
static sl_status resume_part(struct file_sink *s, const struct file_saved_part *saved,
                             struct sl_error *err)
{
    struct sl_buf path;
    buf_init(&path);
    inprogress_path(&path, s, saved->folder, saved->first_batch);
    sl_status st = SL_OK;
    int fd = path.failed ? -1 : open(path.data, O_WRONLY | O_CLOEXEC);
    struct stat info;
    int64_t last;
    if (fd < 0 && errno == ENOENT) {
        path_of(&path, s, saved->folder);
        if (!file_find_final(path.data, s->spec->name, saved->first_batch, s->ext, &last)) {
            st = sl_error_set(err, SL_ERROR,
                              "the file it was writing, %s/.%s-%020lld.%s.inprogress, is gone "
                              "and was not finished; its rows are lost (create the sink again "
                              "to start over)",
                              path.data, s->spec->name,
                              (long long)saved->first_batch, s->ext);
        } else {
            st = add_skip(s, saved->folder, last);
        }
    } else if (fd < 0 || fstat(fd, &info) != 0) {
        st = sl_error_set(err, errno_status(errno), "cannot open %s: %s", buf_str(&path),
                          strerror(errno));
    } else if (info.st_size < saved->length) {
        st = sl_error_set(err, SL_ERROR,
                          "%s is shorter (%lld bytes) than its delivered rows (%lld bytes): "
                          "something else changed it",
                          path.data, (long long)info.st_size,
                          (long long)saved->length);
    } else if (ftruncate(fd, (off_t)saved->length) != 0 || fsync(fd) != 0) {
        st = sl_error_set(err, errno_status(errno), "cannot cut %s back to %lld bytes: %s",
                          path.data, (long long)saved->length, strerror(errno));
    } else {
        struct file_part *p = &s->parts[s->nparts];
        *p = (struct file_part){.folder = sl_strdup(saved->folder),
                                .first_batch = saved->first_batch,
                                .length = saved->length,
                                .created_us = saved->created_us,
                                .last_written = saved->first_batch,
                                .fd = fd};
        fd = -1;
        st = p->folder ? SL_OK : SL_NOMEM;
        s->nparts += p->folder != NULL;
    }
    if (fd >= 0)
        close(fd);
    buf_free(&path);
    return st;
}

static sl_status resume(struct file_sink *s, const char *saved, size_t saved_len,
                        struct sl_error *err)
{
    struct file_saved_state st;
    sl_status status = file_state_decode(saved, saved_len, s->spec->name, s->ext, &st, err);
    if (status != SL_OK)
        return status;
    s->last_batch = st.last_batch;
    s->parts = sl_calloc(st.nparts + 1, sizeof *s->parts);
    if (!s->parts)
        status = SL_NOMEM;
    for (uint32_t i = 0; i < st.nparts && status == SL_OK; i++)
        status = resume_part(s, &st.parts[i], err);
    file_state_free(&st);
    return status == SL_NOMEM ? sl_error_set(err, SL_NOMEM, "out of memory") : status;
}

static sl_status file_options_take(struct file_sink *s, const struct sl_sink_spec *spec,
                                   struct sl_error *err)
{
    const char *roll = sink_option_text(spec, OPT_ROLL);
    s->roll = (struct file_roll){FILE_ROLL_DEFAULT_BYTES, FILE_ROLL_DEFAULT_AGE_US};
    if (roll && !file_roll_parse(roll, &s->roll))
        return sl_error_set(err, SL_ERROR, "roll = '%s' is neither a duration nor a size: %s",
                            roll, file_roll_hint);
    s->max_open = (uint32_t)sink_option_num(spec, OPT_MAX_OPEN_FILES);
    s->partition_col = -1;
    const char *column = sink_option_text(spec, OPT_PARTITION_BY);
    for (uint32_t c = 0; column && c < spec->ncols; c++)
        if (strcasecmp(spec->names[c], column) == 0)
            s->partition_col = (int)c;
    if (column && s->partition_col < 0) {
        struct sl_buf names;
        buf_init(&names);
        for (uint32_t c = 0; c < spec->ncols; c++)
            buf_printf(&names, "%s%s", c ? ", " : "", spec->names[c]);
        sl_status st = sl_error_set(err, SL_ERROR,
                                    "partition_by = '%s' is not a column of its rows (%s)",
                                    column, buf_str(&names));
        buf_free(&names);
        return st;
    }
    return SL_OK;
}

static sl_status file_open(const struct sl_sink_spec *spec, const char *saved, size_t saved_len,
                           struct sl_sink **out, struct sl_error *err)
{
    struct file_sink *s = sl_calloc(1, sizeof *s);
    if (!s)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    s->base.ops = &file_ops;
    s->spec = spec;
    s->csv = spec->format == SL_SINK_FORMAT_CSV;
    s->ext = s->csv ? "csv" : "json";
    size_t len = strlen(spec->address);
    while (len > 1 && spec->address[len - 1] == '/')
        len--; /* 'out/clean/' is the folder out/clean */
    s->dir = sl_strndup(spec->address, len);
    sl_status st = s->dir ? file_options_take(s, spec, err)
                          : sl_error_set(err, SL_NOMEM, "out of memory");
    if (st == SL_OK)
        st = file_make_folders(s->dir, err);
    if (st == SL_OK && saved_len)
        st = resume(s, saved, saved_len, err);
    if (st != SL_OK) {
        file_free(s);
        return st;
    }
    *out = &s->base;
    return SL_OK;
}

static const char *file_check_address(const char *address, const char **hint)
{
    if (*address)
        return NULL;
    *hint = "write the folder the files go to, such as INTO FILE 'out/clean/'";
    return "FILE needs a folder";
}

static const char *file_check_option(size_t i, const struct sl_option_value *v, const char **hint)
{
    struct file_roll roll;
    if (i == OPT_ROLL && !file_roll_parse(v->text, &roll)) {
        *hint = file_roll_hint;
        return "roll is a duration or a size";
    }
    if (i == OPT_PARTITION_BY && !*v->text) {
        *hint = "name a column of the sink's rows, such as partition_by = 'window_start'";
        return "partition_by needs a column";
    }
    return NULL;
}

static const struct sl_option_def file_options[] = {
    [OPT_ROLL] = {"roll", SL_OPTION_TEXT, 0, 0, 0, "'1 hour' and '128 MB'",
                  "when a file is finished: a duration ('1 minute') or a size ('64 MB'), "
                  "whichever comes first with the other's default"},
    [OPT_PARTITION_BY] = {"partition_by", SL_OPTION_TEXT, 0, 0, 0, "none",
                          "a column: one folder column=value (Hive style) per value"},
    [OPT_MAX_OPEN_FILES] = {"max_open_files", SL_OPTION_INT, 1, 1024, 64, "64",
                            "files in progress at once (one a folder); past it the least "
                            "recently written is finished"},
};

const struct sl_sink_connector sink_file = {
    .name = "FILE",
    .summary = "Writes CSV or NDJSON files into a folder, one in progress at a time (a hidden "
               "dot file), finished by renaming by time or size, as HDFS holds Spark's output; "
               "partition_by writes one folder a value.",
    .guarantee = "exactly-once: each row is in exactly one finished file, after a crash too "
                 "(a restart cuts the file in progress back to what was marked delivered)",
    .exactly_once = true,
    .address_doc = "'folder/'",
    .check_address = file_check_address,
    .formats = 1u << SL_SINK_FORMAT_CSV | 1u << SL_SINK_FORMAT_JSON,
    .default_format = SL_SINK_FORMAT_JSON,
    .options = file_options,
    .noptions = sizeof file_options / sizeof file_options[0],
    .check_option = file_check_option,
    .open = file_open,
};
