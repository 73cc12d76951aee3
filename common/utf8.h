/* utf8.h — writing a code point as UTF-8 (char() and the JSON scanner's \u escapes). */
#ifndef SL_UTF8_H
#define SL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Writes code point c (at most 0x10FFFF; surrogates too, as SQLite's char()
 * does) as UTF-8 into out, which has room for 4 bytes; returns the bytes written. */
size_t sl_utf8_put(uint32_t c, char *out);

#endif
