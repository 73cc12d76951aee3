/*
 * agg_codec.h — the byte encoding of aggregate states (each aggregate's
 * serialize / deserialize, engine/aggregates/aggregate.h): little-endian fixed-width
 * integers, IEEE doubles as their 8 bytes, lengths before bytes, and
 * scalar values as a type tag and their payload. The reader is bounded:
 * a read past the end, or a malformed value, makes it fail (sticky) and
 * return zeros, so a decoder reads on and checks once at the end.
 */
#ifndef SL_AGG_CODEC_H
#define SL_AGG_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/value.h"

/* The largest count of rows a decoded state may hold: more than any stream reaches (2^53 is
 * 285 years at a million rows a second), and small enough that adding two never overflows and
 * a double holds it exactly. */
#define CODEC_COUNT_MAX ((int64_t)1 << 53)

/* Writers: append to out (an allocation failure sets out->failed). */
void codec_put_u8(struct sl_buf *out, uint8_t x);
void codec_put_u32(struct sl_buf *out, uint32_t x);
void codec_put_i64(struct sl_buf *out, int64_t x);
void codec_put_f64(struct sl_buf *out, double x);
/* A scalar value: tag, then BOOL a byte 0/1, INT and TIMESTAMP 8 bytes, REAL 8 bytes, TEXT a
 * u32 length and the bytes, NULL nothing. Arrays are never aggregate state; they write NULL. */
void codec_put_value(struct sl_buf *out, struct sl_value v);

/* A bounded view of the bytes being decoded. */
struct codec_reader {
    const unsigned char *p, *end;
    bool ok; /* false once anything was short or malformed */
};

void codec_reader_init(struct codec_reader *r, const unsigned char *p, size_t len);
/* Marks r as failed; returns false, for `return codec_fail(r)`. */
bool codec_fail(struct codec_reader *r);
/* Whether every read succeeded and consumed the bytes exactly (no trailing bytes). */
bool codec_done(const struct codec_reader *r);
/* Bytes left to read (0 once failed). */
size_t codec_left(const struct codec_reader *r);

uint8_t codec_get_u8(struct codec_reader *r);
uint32_t codec_get_u32(struct codec_reader *r);
int64_t codec_get_i64(struct codec_reader *r);
double codec_get_f64(struct codec_reader *r);
/* n bytes in place, or NULL (r failed) when fewer are left. */
const unsigned char *codec_get_bytes(struct codec_reader *r, size_t n);
/*
 * A value written by codec_put_value whose type fits arg: arg itself, any
 * scalar for SL_ANY, or NULL. Text is a view into the input (a static ""
 * when empty), to be copied by the caller; a REAL is never NaN (no engine
 * value is), a BOOL 0 or 1. On anything else r fails and NULL is returned.
 */
struct sl_value codec_get_value(struct codec_reader *r, enum sl_type arg);

#endif
