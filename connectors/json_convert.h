/*
 * json_convert.h — a JSON value (json_backend.h) into a column of the
 * stream's type, the rules FORMAT JSON documents: a missing key and null are
 * NULL; each type takes its own JSON type (BIGINT an integer, REAL a number,
 * TEXT a string or, as compact JSON text, an object or array, BOOLEAN true or
 * false, TIMESTAMP a string sl_ts_parse reads); with json_cast, a value of
 * another type is converted when it can be (a string holding a number, a
 * number of seconds since the epoch for a TIMESTAMP, ...).
 */
#ifndef SL_JSON_CONVERT_H
#define SL_JSON_CONVERT_H

#include "common/chunk.h"
#include "connectors/json_backend.h"

enum json_convert_result { JSON_CONVERTED, JSON_WRONG_TYPE, JSON_CONVERT_NOMEM };

/* Stores v in row `row` of vec (strings copied into arena). On JSON_WRONG_TYPE the
 * reason, naming column `name`, is written to reason[0..cap). */
enum json_convert_result json_convert(const struct jval *v, bool cast, const char *name,
                                      struct sl_vector *vec, uint32_t row,
                                      struct sl_arena *arena, char *reason, size_t cap);

#endif
