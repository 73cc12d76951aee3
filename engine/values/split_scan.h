/*
 * split_scan.h — split()'s rule for a one-byte separator, in one place for
 * split() itself and for UNNEST(split(...)), which cuts straight into its
 * output: every separator cuts, so consecutive, leading and trailing
 * separators give empty pieces ('a  b' -> 'a', '', 'b'), and the text after
 * the last separator is always a piece. Eight bytes are tested at a time
 * (SWAR): a byte-at-a-time loop mispredicts once per word, which was the
 * word count's largest cost after the aggregate.
 */
#ifndef SL_SPLIT_SCAN_H
#define SL_SPLIT_SCAN_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "common/value.h"

struct split_scan {
    const char *piece; /* start of the next piece */
    const char *q;     /* next byte to test */
    const char *end;
    const char *block; /* the 8 bytes `hit` flags */
    uint64_t hit;      /* 0x80 in each separator byte of block not yet taken */
    uint64_t seps;     /* the separator in every byte */
    char sep;
    bool done;
};

static inline void split_scan_init(struct split_scan *s, struct sl_str text, char sep)
{
    s->piece = s->q = s->block = text.ptr;
    s->end = text.ptr + text.len;
    s->hit = 0;
    s->seps = UINT64_C(0x0101010101010101) * (unsigned char)sep;
    s->sep = sep;
    s->done = false;
}

/* Byte index (in memory order) of the lowest-addressed flag; clears it. */
static inline unsigned split_scan_take(uint64_t *hit)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    unsigned bit = 63u - (unsigned)__builtin_clzll(*hit);
    *hit &= ~(UINT64_C(1) << bit);
    return (63u - bit) >> 3;
#else
    unsigned bit = (unsigned)__builtin_ctzll(*hit);
    *hit &= *hit - 1;
    return bit >> 3;
#endif
}

static inline void split_scan_cut(struct split_scan *s, const char *at, struct sl_str *out)
{
    out->ptr = s->piece;
    out->len = (uint32_t)(at - s->piece);
    s->piece = at + 1;
}

/* The next piece into *out; false once every piece was given. */
static inline bool split_scan_next(struct split_scan *s, struct sl_str *out)
{
    const uint64_t low7 = UINT64_C(0x7f7f7f7f7f7f7f7f);
    for (;;) {
        if (s->hit) {
            split_scan_cut(s, s->block + split_scan_take(&s->hit), out);
            return true;
        }
        if (s->end - s->q >= 8) {
            uint64_t x;
            memcpy(&x, s->q, sizeof x);
            x ^= s->seps; /* separator bytes are now zero */
            s->hit = ~(((x & low7) + low7) | x) & ~low7;
            s->block = s->q;
            s->q += 8;
            continue;
        }
        for (; s->q < s->end; s->q++) {
            if (*s->q == s->sep) {
                split_scan_cut(s, s->q++, out);
                return true;
            }
        }
        if (s->done)
            return false;
        s->done = true;
        split_scan_cut(s, s->end, out);
        return true;
    }
}

#endif
