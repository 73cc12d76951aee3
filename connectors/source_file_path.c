/*
 * source_file_path.c — a FILE error says where a relative path was looked
 * for: the process's working directory, which is not always the script's
 * (`sluice run dir/q.sql` reads 'data.csv' from where it was started).
 */
#include "connectors/source_file.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

sl_status file_error(struct sl_error *err, const char *path, int errnum, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    char where[PATH_MAX + 16] = "";
    char cwd[PATH_MAX];
    if (path[0] != '/' && getcwd(cwd, sizeof cwd))
        snprintf(where, sizeof where, " (relative to %s)", cwd);
    return sl_error_set(err, SL_ERROR, "%s%s%s%s", what, where, errnum ? ": " : "",
                        errnum ? strerror(errnum) : "");
}
