/*
 * query_side.h — engine/runtime's (exec forgets a dropped query's right
 * input by query_side_name): the second input of a query
 * that joins two streams (op_stream_join.c). The right stream has what the
 * left's input has in struct sl_query — its source (or its log's reader),
 * decoder, input chunk, records, offset, dead letters, and the time state
 * its watermark advances — kept here. The code that reads, checkpoints and
 * resumes an input (query.c, query_records.c, query_rows.c) works on the
 * query's fields; for the right input they are swapped in around the call
 * (query_side_enter / query_side_leave), so that code is the same for both.
 *
 * The right's position is a checkpoint row of its own, named
 * "<query>/right" (query_side_name), written in the batch's transaction
 * with the left's; its log reader is named so too.
 *
 * Reading is aligned on event time (Flink's watermark alignment): each step
 * reads the side whose watermark is behind, so neither side runs ahead of
 * the other by more than a step's read and the join's state stays bounded.
 */
#ifndef SL_QUERY_SIDE_H
#define SL_QUERY_SIDE_H

#include "engine/runtime/query.h"

#define QUERY_SIDE_SUFFIX "/right"

enum query_input_side { QUERY_LEFT, QUERY_RIGHT };

struct query_side {
    struct sl_plan plan; /* the query's plan with the right stream as its stream */
    struct sl_plan *plan_saved; /* the query's, while the right is entered */
    char *name;          /* "<query>/right" */
    struct sl_source *source;
    struct sl_ingest *ingest;
    struct sl_decoder *decoder;
    struct sl_chunk *input;
    struct sl_record *records;
    const struct sl_record *current_record;
    uint64_t records_base, records_read, record_bytes_read;
    uint64_t committed_offset;
    bool resumed_lossy;
    struct sl_query_dead_letter *dl;
    uint32_t ndl, cap_dl;
    struct sl_op *head;         /* the right chain's first operator */
    struct sl_time_state *time; /* the right's watermark (the join's) */
    /* While an input is entered: the downstream time state the query's
     * pipeline.time stands for otherwise. */
    struct sl_time_state *out_time;
    enum query_input_side entered;
};

/* Gives a query whose pipeline has a join of two streams its right input's
 * fields (not opened yet: query.c opens them swapped in). */
sl_status query_side_create(struct sl_query *q, struct sl_error *err);
/* Closes the right input and frees it. */
void query_side_destroy(struct sl_query *q);
/* Writes "<query>/right" into out. */
void query_side_name(const char *query, char *out, size_t cap);

/* The side a step reads: the one whose watermark is behind (the left on a
 * tie), or the one not ended. */
enum query_input_side query_side_pick(const struct sl_query *q);
/* Whether side's input has ended. */
bool query_side_ended(const struct sl_query *q, enum query_input_side side);
/* Makes the query's input fields those of side `side` (a no-op for the left
 * but for pipeline.time, which becomes the side's own time state, whose
 * watermark and end reading moves). */
void query_side_enter(struct sl_query *q, enum query_input_side side);
/* Undoes query_side_enter; once both sides ended, the downstream time ends too. */
void query_side_leave(struct sl_query *q);

#endif
