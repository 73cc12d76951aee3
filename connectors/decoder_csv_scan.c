/*
 * decoder_csv_scan.c — libcsv's states without its buffer (see
 * decoder_csv_scan.h). The transitions are libcsv 3.0's csv_parse with
 * CSV_STRICT off, default space and terminator characters.
 */
#include "connectors/decoder_csv_scan.h"

#include <stdbool.h>

/* libcsv's pstate values (not exported by csv.h). */
enum { LIBCSV_ROW_NOT_BEGUN, LIBCSV_FIELD_NOT_BEGUN, LIBCSV_FIELD_BEGUN };

struct csv_scan csv_scan_from_libcsv(int pstate, int quoted, size_t spaces, unsigned char delim)
{
    enum csv_scan_state state = CSV_SCAN_FIELD_START;
    if (pstate == LIBCSV_FIELD_BEGUN)
        state = quoted ? CSV_SCAN_QUOTED : CSV_SCAN_UNQUOTED;
    else if (pstate > LIBCSV_FIELD_BEGUN)
        state = spaces ? CSV_SCAN_QUOTE_SPACES : CSV_SCAN_QUOTE;
    return (struct csv_scan){state, delim};
}

static bool is_term(unsigned char ch)
{
    return ch == '\r' || ch == '\n';
}

/* The state after ch; *boundary when ch is a delimiter that ends a field. */
static enum csv_scan_state scan_step(enum csv_scan_state state, unsigned char ch,
                                     unsigned char delim, bool *boundary)
{
    bool space = ch == ' ' || ch == '\t';
    *boundary = false;
    switch (state) {
    case CSV_SCAN_FIELD_START:
        if (space && ch != delim)
            return state;
        if (is_term(ch))
            return CSV_SCAN_END;
        if (ch == delim) {
            *boundary = true;
            return state;
        }
        return ch == '"' ? CSV_SCAN_QUOTED : CSV_SCAN_UNQUOTED;
    case CSV_SCAN_UNQUOTED:
        if (ch == delim) {
            *boundary = true;
            return CSV_SCAN_FIELD_START;
        }
        return is_term(ch) ? CSV_SCAN_END : state;
    case CSV_SCAN_QUOTED: return ch == '"' ? CSV_SCAN_QUOTE : state;
    case CSV_SCAN_QUOTE:
    case CSV_SCAN_QUOTE_SPACES:
        if (ch == delim) {
            *boundary = true;
            return CSV_SCAN_FIELD_START;
        }
        if (is_term(ch))
            return CSV_SCAN_END;
        if (space)
            return CSV_SCAN_QUOTE_SPACES;
        /* A quote after spaces is kept and the field may still end; right after
         * the closing quote it is an escaped quote. */
        if (ch == '"')
            return state == CSV_SCAN_QUOTE_SPACES ? CSV_SCAN_QUOTE : CSV_SCAN_QUOTED;
        return CSV_SCAN_QUOTED;
    case CSV_SCAN_END: break;
    }
    return state;
}

size_t csv_scan_record(struct csv_scan *s, const char *p, size_t n)
{
    bool boundary;
    for (size_t i = 0; i < n; i++) {
        s->state = scan_step(s->state, (unsigned char)p[i], s->delim, &boundary);
        if (s->state == CSV_SCAN_END)
            return i + 1;
    }
    return n;
}

void csv_scan_field(const char *rec, size_t len, unsigned char delim, uint32_t index,
                    size_t *from, size_t *to)
{
    enum csv_scan_state state = CSV_SCAN_FIELD_START;
    uint32_t field = 0;
    *from = index == 0 ? 0 : len;
    *to = len;
    for (size_t i = 0; i < len && state != CSV_SCAN_END; i++) {
        bool boundary;
        state = scan_step(state, (unsigned char)rec[i], delim, &boundary);
        if (!boundary)
            continue;
        if (field == index) {
            *to = i;
            return;
        }
        if (++field == index)
            *from = i + 1;
    }
}
