/*
 * log_frame.h — how a row of a stream's log (storage/stream_log.h) holds
 * its records: each is a little-endian u32 length of its payload, a u32
 * length of its key (UINT32_MAX: no key), then the payload and the key.
 * The ingest loop appends records; readers walk them in order.
 */
#ifndef SL_LOG_FRAME_H
#define SL_LOG_FRAME_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "connectors/source.h"

/* Appends r's payload and key to out (out->failed on no memory). */
void log_frame_append(struct sl_buf *out, const struct sl_record *r);

/* The record at *at in data[0..len): its payload and key into r (pointing
 * into data), *at moved past it. False when the frame is cut short. */
bool log_frame_next(const char *data, size_t len, size_t *at, struct sl_record *r);

#endif
