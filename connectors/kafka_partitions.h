/*
 * kafka_partitions.h — private to connectors/: the partitions a KAFKA stream
 * reads and where each one is. Parses the `partitions` option ('0-1,3') and
 * the position a checkpoint keeps ("0:1200,1:1187": partition:next offset),
 * and writes the latter.
 */
#ifndef SL_KAFKA_PARTITIONS_H
#define SL_KAFKA_PARTITIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

/* Partition ids are below this (Kafka allows far fewer per topic in practice). */
#define KAFKA_MAX_PARTITION 100000

struct kafka_partition {
    int32_t id;
    int64_t next; /* the next offset to hand out; -1 until known */
    int64_t end;  /* end = 'latest': the partition is done at this offset; -1: unbounded */
};

/* '0-1,3' -> ascending distinct ids in *ids (caller frees), *n of them. NULL
 * on success, else what is wrong with the text. */
const char *kafka_parse_partition_set(const char *text, int32_t **ids, size_t *n);

/* Appends "id:next" for each partition whose next offset is known, comma-separated. */
void kafka_position_write(const struct kafka_partition *parts, size_t n, struct sl_buf *out);

/* Reads a position written by kafka_position_write: calls found(ctx, id, next)
 * for each entry. False when the text is not such a position. */
bool kafka_position_read(const char *text, void (*found)(void *ctx, int32_t id, int64_t next),
                         void *ctx);

#endif
