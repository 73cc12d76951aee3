/* schema.h — the names and types of a row's columns (a stream's, a result's). */
#ifndef SL_SCHEMA_H
#define SL_SCHEMA_H

#include <stdint.h>

#include "common/value.h"

struct sl_column {
    const char *name; /* as written by the user */
    enum sl_type type;
};

struct sl_schema {
    uint32_t ncols;
    const struct sl_column *cols;
};

#endif
