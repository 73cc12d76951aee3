/*
 * record_check.h — what a stream's FORMAT makes of one record, for push
 * sources that answer their senders with counts (HTTP: rows decoded and
 * dead letters). It decodes the record with a decoder of its own, on the
 * source's thread, and keeps nothing.
 */
#ifndef SL_RECORD_CHECK_H
#define SL_RECORD_CHECK_H

#include <stddef.h>

#include "connectors/source.h"

/* An sl_record_check_fn; ctx is the stream's const struct sl_stream_def *. */
void record_check(void *ctx, const char *data, size_t len, struct sl_record_verdict *out);

#endif
