/*
 * utf8.h — UTF-8: writing a code point (char() and the JSON scanner's \u
 * escapes) and checking text (the decoders refuse a TEXT value that is not
 * well-formed UTF-8, RFC 3629: no overlong forms, no surrogates, at most
 * U+10FFFF).
 */
#ifndef SL_UTF8_H
#define SL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Writes code point c (at most 0x10FFFF; surrogates too, as SQLite's char()
 * does) as UTF-8 into out, which has room for 4 bytes; returns the bytes written. */
size_t sl_utf8_put(uint32_t c, char *out);

/* The length of the well-formed multi-byte sequence at p (its first byte is
 * 0x80 or above), reading no further than end, or 0 when it is not one.
 * Inline: the JSON scanner calls it for every non-ASCII character. */
static inline size_t sl_utf8_sequence_length(const char *p, const char *end)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* the second byte's range */
    if (u[0] >= 0xC2 && u[0] <= 0xDF) {
        n = 2;
    } else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
        n = 3;
        if (u[0] == 0xE0)
            lo = 0xA0;
        else if (u[0] == 0xED)
            hi = 0x9F;
    } else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
        n = 4;
        if (u[0] == 0xF0)
            lo = 0x90;
        else if (u[0] == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < n || u[1] < lo || u[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++) {
        if (u[i] < 0x80 || u[i] > 0xBF)
            return 0;
    }
    return n;
}

/* The length of p[0..n)'s ASCII prefix, NUL excepted: the offset of its
 * first byte of 0x80 or above or of 0, or n. Checked 64 bytes at a time.
 * NUL stops it because a TEXT value cannot hold one: SQLite stores it, but
 * its functions and every C client stop reading at it. */
size_t sl_ascii_prefix(const char *p, size_t n);

/* The offset of the first byte of p[0..n) that does not start a well-formed
 * UTF-8 sequence, or is NUL, or n when all of it is well-formed. ASCII runs
 * are skipped as sl_ascii_prefix skips them. */
size_t sl_utf8_invalid_at(const char *p, size_t n);

#endif
