/*
 * record_check.h — the record check a push source runs on what a sender
 * sent (source_set_record_check): the record is decoded in the stream's
 * format, as the query or the ingest loop will decode it, and only counted
 * — rows that decode and dead letters, with the first one's reason. Each
 * run has its own decoder, so the servers' threads may run it at once.
 */
#ifndef SL_RECORD_CHECK_H
#define SL_RECORD_CHECK_H

#include "common/schema.h"
#include "common/status.h"
#include "connectors/decoder.h"
#include "connectors/source.h"

struct sl_record_check;

/* spec and schema (the stream's format and columns) must outlive the check.
 * Fails as decoder_create would, so a format that cannot decode fails here. */
sl_status record_check_create(const struct sl_format_spec *spec, const struct sl_schema *schema,
                              struct sl_record_check **out, struct sl_error *err);
void record_check_destroy(struct sl_record_check *c);

/* An sl_record_check_fn; ctx is a struct sl_record_check. A record the
 * decoder fails on (out of memory) counts no rows, with the failure as reason. */
void record_check_run(void *ctx, const char *data, size_t len, struct sl_record_verdict *out);

#endif
