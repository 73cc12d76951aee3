/*
 * decoder_lines.h — private to connectors/: what the formats share about
 * records and their dead letters. The line reader cuts input into records
 * of one line each (FORMAT TEXT and JSON): a line wholly inside the data is
 * handed over where it lies, a line cut by the end of the data is kept
 * (copied) until its end arrives, and a line longer than max_record_bytes is
 * read to its end without being kept (only its first SL_DEAD_LETTER_BYTES)
 * and becomes a dead letter, so a peer sending bytes without a newline never
 * grows memory past max(max_record_bytes, SL_DEAD_LETTER_BYTES). FORMAT CSV,
 * whose records may span lines, keeps its own records but the same limits
 * and reasons.
 */
#ifndef SL_DECODER_LINES_H
#define SL_DECODER_LINES_H

#include "connectors/decoder.h"

/* The max_record_bytes option of every format's option table (registry.h). */
#define SL_MAX_RECORD_BYTES_OPTION                                                              \
    {"max_record_bytes", SL_OPTION_SIZE, 1, INT64_C(1) << 30, (int64_t)SL_MAX_RECORD_BYTES,     \
     "1048576 (1 MiB)",                                                                         \
     "a longer record is a dead letter (its first 4 KiB kept) and is never held in memory "     \
     "whole"}


/* One complete record, rec[0..len) (without its '\n'), starting at byte offset:
 * into a row of out, or a dead letter. in_data: rec lies in the data given to
 * decoder_decode (a row may point at it), else in the reader's buffer. */
typedef sl_status (*lines_record_fn)(void *format, const char *rec, size_t len, uint64_t offset,
                                     bool in_data, struct sl_chunk *out, struct sl_error *err);

struct decoder_lines {
    size_t max_record;
    sl_dead_letter_fn dead_letter;
    void *dead_letter_ctx;
    lines_record_fn record;
    void *format;
    /* The start of a record whose '\n' has not arrived: all of it while it is no
     * longer than max_record, then only its first SL_DEAD_LETTER_BYTES. */
    char *partial;
    size_t partial_len, partial_cap;
    uint64_t fed;       /* bytes taken so far */
    uint64_t rec_start; /* offset of the current record's first byte */
};

/* max_record 0: SL_MAX_RECORD_BYTES. */
void lines_init(struct decoder_lines *l, const struct sl_format_spec *spec,
                sl_dead_letter_fn dead_letter, void *dead_letter_ctx, lines_record_fn record,
                void *format);
void lines_free(struct decoder_lines *l);

/* decoder_decode, decoder_finish, decoder_pending, decoder_resume and the skip op of a
 * line format. */
sl_status lines_decode(struct decoder_lines *l, const char *data, size_t len, size_t *consumed,
                       struct sl_chunk *out, struct sl_error *err);
sl_status lines_finish(struct decoder_lines *l, struct sl_chunk *out, struct sl_error *err);
size_t lines_pending(const struct decoder_lines *l);
void lines_resume(struct decoder_lines *l, uint64_t offset);
void lines_skip(struct decoder_lines *l, size_t n);

/* Hands a bad record to the stream's dead-letter callback, if it has one. */
void lines_dead_letter(const struct decoder_lines *l, const char *rec, size_t len,
                       uint64_t offset, const char *reason);

/* The reason of a record of `total` bytes over max_record_bytes (`limit`). */
void record_too_long_reason(char *reason, size_t cap, uint64_t total, size_t limit);

/* Whether text[0..len), column `name`'s value starting at byte `at` of its record,
 * is well-formed UTF-8 without NUL; if not, the reason naming the column and the
 * record's byte. */
bool record_utf8_check(const char *text, size_t len, size_t at, const char *name, char *reason,
                       size_t cap);

#endif
