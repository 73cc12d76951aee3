/*
 * sink_file_names.c — what INTO FILE's files and folders are called, and the
 * few file-system calls that make names durable. A finished file is named
 * by the batches it holds, so a delivery repeated after a crash can tell it
 * was already written; a file still being written starts with a dot, which
 * Hadoop, Spark, DuckDB and shell globs pass over.
 */
#include "connectors/sink_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/alloc.h"
#include "connectors/row_encode.h"

/* The longest folder or file name most file systems take. */
#define FILE_NAME_MAX 255

void file_final_name(struct sl_buf *out, const char *sink, int64_t first, int64_t last,
                     const char *ext)
{
    buf_printf(out, "%s-%020" PRId64 "-%" PRId64 ".%s", sink, first, last, ext);
}

void file_inprogress_name(struct sl_buf *out, const char *sink, int64_t first, const char *ext)
{
    buf_printf(out, ".%s-%020" PRId64 ".%s.inprogress", sink, first, ext);
}

bool file_find_final(const char *dir, const char *sink, int64_t first, const char *ext,
                     int64_t *last)
{
    struct sl_buf prefix;
    buf_init(&prefix);
    buf_printf(&prefix, "%s-%020" PRId64 "-", sink, first);
    DIR *d = opendir(dir);
    bool found = false;
    for (struct dirent *e; d && !found && (e = readdir(d));) {
        if (strncmp(e->d_name, prefix.data, prefix.len) != 0)
            continue;
        char *end;
        errno = 0;
        long long n = strtoll(e->d_name + prefix.len, &end, 10);
        if (errno || end == e->d_name + prefix.len || *end != '.' || strcmp(end + 1, ext) != 0)
            continue;
        *last = n;
        found = true;
    }
    if (d)
        closedir(d);
    buf_free(&prefix);
    return found;
}

/* Hive's escapes, and a leading dot: "/" and ".." must not leave the folder, and a dotted
 * folder would be hidden from readers. ':' and ' ' stay, as Hive on Linux keeps them readable. */
static bool needs_escape(unsigned char c, size_t at)
{
    return c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == '%' || c == '=' ||
           c == '"' || c == '#' || c == '*' || c == '?' || (at == 0 && c == '.');
}

bool file_partition_folder(struct sl_buf *out, const char *column, const struct sl_value *v)
{
    static const char hex[] = "0123456789ABCDEF";
    struct sl_buf text;
    buf_init(&text);
    value_encode_text(&text, v);
    /* A window's bound is a whole second nearly always: "2026-01-01 00:00:00" reads better. */
    if (v->type == SL_TIMESTAMP && text.len == 26 && strcmp(text.data + 19, ".000000") == 0)
        text.len = 19;
    size_t start = out->len;
    buf_puts(out, column);
    buf_putc(out, '=');
    if (v->type == SL_NULL || text.len == 0)
        buf_puts(out, "__HIVE_DEFAULT_PARTITION__"); /* what Hive and Spark write for NULL */
    for (size_t i = 0; i < text.len; i++) {
        unsigned char c = (unsigned char)text.data[i];
        if (needs_escape(c, i)) {
            char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_append(out, esc, 3);
        } else {
            buf_putc(out, (char)c);
        }
    }
    buf_free(&text);
    return out->len - start <= FILE_NAME_MAX;
}

sl_status file_sync_folder(const char *path, struct sl_error *err)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0 || fsync(fd) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return sl_error_set(err, SL_AGAIN, "cannot sync folder %s: %s", path, strerror(e));
    }
    close(fd);
    return SL_OK;
}

/* The folder that holds path ("." for a bare name). */
static void parent_of(const char *path, struct sl_buf *out)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        buf_puts(out, ".");
    else if (slash == path)
        buf_puts(out, "/");
    else
        buf_append(out, path, (size_t)(slash - path));
}

sl_status file_make_folders(const char *path, struct sl_error *err)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return SL_OK;
        return sl_error_set(err, SL_ERROR, "%s is not a folder", path);
    }
    struct sl_buf parent;
    buf_init(&parent);
    parent_of(path, &parent);
    sl_status s = strcmp(parent.data, path) == 0 ? SL_OK : file_make_folders(parent.data, err);
    if (s == SL_OK && mkdir(path, 0777) != 0 && errno != EEXIST)
        s = sl_error_set(err, errno == ENOSPC ? SL_AGAIN : SL_ERROR, "cannot make folder %s: %s",
                         path, strerror(errno));
    if (s == SL_OK)
        s = file_sync_folder(parent.data, err);
    buf_free(&parent);
    return s;
}
