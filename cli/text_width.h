/*
 * text_width.h — how many terminal columns text takes: UTF-8 decoded, East
 * Asian wide characters and emoji count two columns, combining marks none.
 * Values are made printable first (tabs expanded, control characters shown
 * as ^X) so that a table's columns line up on a terminal.
 */
#ifndef SL_TEXT_WIDTH_H
#define SL_TEXT_WIDTH_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one UTF-8 character of s (which has len > 0 bytes); returns the bytes
 * it took. A malformed sequence takes one byte and decodes as U+FFFD. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Columns one character takes: 0, 1 or 2 (control characters: 0). */
int codepoint_width(uint32_t cp);
/* Columns len bytes of UTF-8 take. */
size_t text_width(const char *s, size_t len);
/* A copy of value made fit for a terminal: tabs expanded to the next multiple
 * of 8 columns, "\r\n" kept as "\n", other control characters as ^X and
 * malformed UTF-8 as U+FFFD. Only '\n' is left to split lines on. The caller
 * frees it; NULL when out of memory. */
char *text_printable(const char *value);

#endif
