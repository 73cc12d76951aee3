/* kafka_partitions.c — the `partitions` option's ranges and a checkpoint's per-partition offsets as text. */
#include "connectors/kafka_partitions.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"

/* A decimal number at *p (no sign), advancing *p; false when there is none or it exceeds max. */
static bool read_number(const char **p, int64_t max, int64_t *out)
{
    if (!isdigit((unsigned char)**p))
        return false;
    int64_t v = 0;
    while (isdigit((unsigned char)**p)) {
        int digit = **p - '0';
        if (v > (max - digit) / 10)
            return false;
        v = v * 10 + digit;
        (*p)++;
    }
    *out = v;
    return true;
}

static int compare_ids(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

const char *kafka_parse_partition_set(const char *text, int32_t **ids, size_t *n)
{
    static const char bad[] = "partitions are written as ranges and numbers: '0-1,3'";
    *ids = NULL;
    *n = 0;
    size_t cap = 0;
    const char *p = text;
    while (*p) {
        int64_t lo, hi;
        while (*p == ' ')
            p++;
        if (!read_number(&p, KAFKA_MAX_PARTITION - 1, &lo))
            goto fail;
        hi = lo;
        if (*p == '-') {
            p++;
            if (!read_number(&p, KAFKA_MAX_PARTITION - 1, &hi) || hi < lo)
                goto fail;
        }
        while (*p == ' ')
            p++;
        if (*p == ',' && p[1])
            p++;
        else if (*p)
            goto fail;
        for (int64_t id = lo; id <= hi; id++) {
            if (*n == cap) {
                cap = cap ? cap * 2 : 16;
                int32_t *grown = sl_realloc(*ids, cap * sizeof *grown);
                if (!grown) {
                    sl_free(*ids);
                    *ids = NULL;
                    *n = 0;
                    return "out of memory";
                }
                *ids = grown;
            }
            (*ids)[(*n)++] = (int32_t)id;
        }
    }
    if (!*n)
        goto fail;
    qsort(*ids, *n, sizeof **ids, compare_ids);
    size_t kept = 1;
    for (size_t i = 1; i < *n; i++)
        if ((*ids)[i] != (*ids)[kept - 1])
            (*ids)[kept++] = (*ids)[i];
    *n = kept;
    return NULL;
fail:
    sl_free(*ids);
    *ids = NULL;
    *n = 0;
    return bad;
}

void kafka_position_write(const struct kafka_partition *parts, size_t n, struct sl_buf *out)
{
    const char *sep = "";
    for (size_t i = 0; i < n; i++) {
        if (parts[i].next < 0)
            continue;
        buf_printf(out, "%s%" PRId32 ":%" PRId64, sep, parts[i].id, parts[i].next);
        sep = ",";
    }
}

bool kafka_position_read(const char *text, void (*found)(void *ctx, int32_t id, int64_t next),
                         void *ctx)
{
    const char *p = text;
    while (*p) {
        int64_t id, next;
        if (!read_number(&p, KAFKA_MAX_PARTITION - 1, &id) || *p++ != ':' ||
            !read_number(&p, INT64_MAX, &next))
            return false;
        if (*p == ',' && p[1])
            p++;
        else if (*p)
            return false;
        found(ctx, (int32_t)id, next);
    }
    return true;
}
