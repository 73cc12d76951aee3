/*
 * decoder_csv_scan.h — private to connectors/: libcsv's parser states
 * (libcsv.c, non-strict, CR and LF end a record, space and tab around
 * fields) followed byte by byte without its buffer. decoder_csv.c uses it
 * where libcsv's buffer would be wrong: to find the end of a record longer
 * than max_record_bytes without holding it, and to find which raw bytes of
 * a record one field came from.
 */
#ifndef SL_DECODER_CSV_SCAN_H
#define SL_DECODER_CSV_SCAN_H

#include <stddef.h>
#include <stdint.h>

enum csv_scan_state {
    CSV_SCAN_FIELD_START,  /* libcsv's ROW_NOT_BEGUN and FIELD_NOT_BEGUN */
    CSV_SCAN_UNQUOTED,     /* FIELD_BEGUN, not quoted */
    CSV_SCAN_QUOTED,       /* FIELD_BEGUN, quoted */
    CSV_SCAN_QUOTE,        /* FIELD_MIGHT_HAVE_ENDED, no spaces since the quote */
    CSV_SCAN_QUOTE_SPACES, /* FIELD_MIGHT_HAVE_ENDED after spaces */
    CSV_SCAN_END,          /* a CR or LF ended the record */
};

struct csv_scan {
    enum csv_scan_state state;
    unsigned char delim;
};

/* The scan of a record libcsv has parsed part of: its pstate, quoted and spaces. */
struct csv_scan csv_scan_from_libcsv(int pstate, int quoted, size_t spaces, unsigned char delim);

/* Follows p[0..n): the bytes taken, up to and including the CR or LF that ends
 * the record (the state is then CSV_SCAN_END), or n. */
size_t csv_scan_record(struct csv_scan *s, const char *p, size_t n);

/* The raw bytes [*from, *to) of field `index` of the record rec[0..len) (without
 * its terminator): from its first byte after the delimiter before it to the
 * delimiter after it; an empty span past the last field. */
void csv_scan_field(const char *rec, size_t len, unsigned char delim, uint32_t index,
                    size_t *from, size_t *to);

#endif
