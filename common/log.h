/*
 * log.h — library code never prints; it logs through the sink of the engine
 * it works for (struct sl_log), which the embedding program chose (the CLI
 * writes to stderr). Each engine has its own, so two engines in one process
 * log apart. A NULL sink, or one without fn, drops the lines.
 */
#ifndef SL_LOG_H
#define SL_LOG_H

#include "common/status.h"

enum sl_log_level { SL_LOG_DEBUG, SL_LOG_INFO, SL_LOG_WARN, SL_LOG_ERROR };

typedef void (*sl_log_fn)(enum sl_log_level level, const char *msg, void *ctx);

struct sl_log {
    sl_log_fn fn;
    void *ctx;
    enum sl_log_level min_level; /* lines below it are dropped */
};

void sl_log(const struct sl_log *log, enum sl_log_level level, const char *fmt, ...)
    SL_PRINTF(3, 4);

#endif
