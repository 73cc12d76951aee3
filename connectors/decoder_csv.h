/*
 * decoder_csv.h — private to connectors/: FORMAT CSV's decoder state,
 * shared by its two ways of reading a record: libcsv (decoder_csv.c) and the
 * fast path for a line whose quotes are only around whole fields
 * (decoder_csv_fast.c), which must give exactly what libcsv gives.
 */
#ifndef SL_DECODER_CSV_H
#define SL_DECODER_CSV_H

#include <csv.h>

#include "connectors/decoder_csv_scan.h"
#include "connectors/decoder_impl.h"

struct csv_column {
    enum sl_type type;
    char *name;
};

/* A field's value: its bytes, or NULL (an empty unquoted field). */
struct csv_span {
    const char *ptr;
    size_t len;
    bool is_null;
};

/* A field of the record libcsv is parsing, copied out of its reused entry buffer. */
struct csv_field {
    size_t off; /* into fbuf */
    size_t len;
    bool is_null;
};

struct decoder_csv {
    struct sl_decoder base;
    struct csv_parser parser;
    struct csv_column *cols;
    uint32_t ncols;
    unsigned char delim;
    bool fast; /* lines without stray quotes skip libcsv */
    size_t max_record;
    sl_dead_letter_fn dead_letter;
    void *dead_letter_ctx;
    bool skip_header;
    char *null_marker;
    size_t null_marker_len;
    /* The current record's first ncols fields (nfields counts them all). */
    struct csv_field *fields;
    uint32_t nfields;
    char *fbuf;
    size_t fbuf_len, fbuf_cap;
    struct csv_span *spans; /* ncols + 1: a record's fields handed to csv_record */
    uint32_t *delims;       /* ncols: where the fast path found a line's first delimiters */
    /* Raw bytes of the current record that arrived in earlier calls (at most
     * max_record + 1 of them; of one being skipped, at most SL_DEAD_LETTER_BYTES). */
    char *raw;
    size_t raw_len, raw_cap;
    /* A record longer than max_record, read to its end without being parsed. */
    bool skipping;
    bool unterminated; /* the input ended inside a quoted field (csv_finish) */
    struct csv_scan skip;
    uint64_t fed;       /* bytes taken so far */
    uint64_t rec_start; /* offset where the current record starts */
    /* The call in progress, for the callbacks. */
    struct sl_chunk *out;
    const char *call_data;
    uint64_t call_base; /* offset of call_data[0] */
    uint64_t rec_end;   /* offset of the current piece's terminator (end of a record ending there) */
    const char *line;   /* the fast path's record, or NULL: the raw bytes are assembled */
    size_t line_len;
    bool line_ascii; /* the fast path's record is ASCII without NUL: its TEXT values need no check */
    sl_status status;
    struct sl_error *err;
};

/*
 * One record's fields into row out->count, or a dead letter with the reason
 * (a wrong number of fields, a value that does not convert); a header is
 * skipped. nfields may exceed c->ncols (only the first ncols + 1 are read).
 * in_data: the fields lie in the decoded data (a TEXT value may point at
 * them), else in a buffer of the decoder's. Failures set c->status.
 */
void csv_record(struct decoder_csv *c, const struct csv_span *fields, uint32_t nfields,
                bool in_data);

/*
 * The fast path: the line line[0..len) (no LF, at most max_record bytes)
 * split at the delimiter as libcsv would split it, then csv_record. False,
 * having done nothing, when libcsv must read it (a CR, a quote other than
 * around a whole field).
 */
bool csv_fast_line(struct decoder_csv *c, const char *line, size_t len);

#endif
