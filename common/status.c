/* status.c — filling struct sl_error. */
#include "common/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

sl_status sl_error_set(struct sl_error *err, sl_status code, const char *fmt, ...)
{
    if (err) {
        err->code = code;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

void sl_error_clear(struct sl_error *err)
{
    memset(err, 0, sizeof *err);
}
