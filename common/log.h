/*
 * log.h — library code never prints; it logs through a sink the embedding
 * program installs (the CLI writes to stderr). Without a sink, logs are dropped.
 */
#ifndef SL_LOG_H
#define SL_LOG_H

#include "common/status.h"

enum sl_log_level { SL_LOG_DEBUG, SL_LOG_INFO, SL_LOG_WARN, SL_LOG_ERROR };

typedef void (*sl_log_fn)(enum sl_log_level level, const char *msg, void *ctx);

void sl_log_set_sink(sl_log_fn fn, void *ctx, enum sl_log_level min_level);
void sl_log(enum sl_log_level level, const char *fmt, ...) SL_PRINTF(2, 3);

#endif
