/* log.c — the process-wide log sink. */
#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>

static sl_log_fn log_fn;
static void *log_ctx;
static enum sl_log_level log_min = SL_LOG_INFO;

void sl_log_set_sink(sl_log_fn fn, void *ctx, enum sl_log_level min_level)
{
    log_fn = fn;
    log_ctx = ctx;
    log_min = min_level;
}

void sl_log(enum sl_log_level level, const char *fmt, ...)
{
    if (!log_fn || level < log_min)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    log_fn(level, msg, log_ctx);
}
