/* status.c — filling struct sl_error. */
#include "common/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void error_vset(struct sl_error *err, sl_status code, const char *fmt, va_list ap)
{
    err->code = code;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

sl_status sl_error_set(struct sl_error *err, sl_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        error_vset(err, code, fmt, ap);
        va_end(ap);
        err->has_pos = false;
    }
    return code;
}

sl_status sl_error_set_at(struct sl_error *err, struct sl_pos pos, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        error_vset(err, SL_ERROR, fmt, ap);
        va_end(ap);
        err->has_pos = true;
        err->pos = pos;
    }
    return SL_ERROR;
}

void sl_error_clear(struct sl_error *err)
{
    memset(err, 0, sizeof *err);
}
