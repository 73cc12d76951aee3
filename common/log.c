/* log.c — formatting a log line for a sink (see log.h). */
#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>

void sl_log(const struct sl_log *log, enum sl_log_level level, const char *fmt, ...)
{
    if (!log || !log->fn || level < log->min_level)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    log->fn(level, msg, log->ctx);
}
