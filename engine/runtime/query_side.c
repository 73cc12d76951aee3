/* query_side.c — the right input of a query joining two streams (query_side.h). */
#include "engine/runtime/query_side.h"

#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "connectors/source.h"
#include "engine/runtime/ingest.h"

#define SWAP(a, b)                                                                                \
    do {                                                                                          \
        __typeof__(a) swap_tmp = (a);                                                             \
        (a) = (b);                                                                                \
        (b) = swap_tmp;                                                                           \
    } while (0)

void query_side_name(const char *query, char *out, size_t cap)
{
    snprintf(out, cap, "%s" QUERY_SIDE_SUFFIX, query);
}

sl_status query_side_create(struct sl_query *q, struct sl_error *err)
{
    const struct sl_plan_join *j = planner_stream_join(q->plan);
    const struct sl_plan *joined = q->plan;
    while (!j && joined->input)
        j = planner_stream_join(joined = joined->input);
    struct query_side *s = sl_calloc(1, sizeof *s);
    size_t len = strlen(q->name) + sizeof QUERY_SIDE_SUFFIX;
    if (!s || !(s->name = sl_malloc(len))) {
        sl_free(s);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    query_side_name(q->name, s->name, len);
    s->plan = *q->plan;
    s->plan.stream = j->right_stream;
    s->plan.input = j->right_input;
    s->plan.time_expr = j->right_time;
    s->head = q->pipeline.right_head;
    s->time = op_stream_join_time(q->pipeline.join, true);
    q->side = s;
    return SL_OK;
}

void query_side_destroy(struct sl_query *q)
{
    struct query_side *s = q->side;
    if (!s)
        return;
    decoder_destroy(s->decoder);
    source_close(s->source);
    ingest_release(q->ingests, s->ingest);
    sl_free(s->records);
    sl_free(s->dl);
    sl_free(s->name);
    sl_free(s);
    q->side = NULL;
}

/* Whether the side's input ended: its watermark is at +infinity. */
static bool side_ended(const struct sl_time_state *t)
{
    return t->ended;
}

bool query_side_ended(const struct sl_query *q, enum query_input_side side)
{
    return side_ended(side == QUERY_RIGHT ? q->side->time
                                          : op_stream_join_time(q->pipeline.join, false));
}

enum query_input_side query_side_pick(const struct sl_query *q)
{
    const struct sl_time_state *l = op_stream_join_time(q->pipeline.join, false);
    const struct sl_time_state *r = q->side->time;
    if (side_ended(l) || side_ended(r))
        return side_ended(l) && !side_ended(r) ? QUERY_RIGHT : QUERY_LEFT;
    return r->watermark < l->watermark ? QUERY_RIGHT : QUERY_LEFT;
}

/* Exchanges the query's input fields with the side's. */
static void swap_fields(struct sl_query *q, struct query_side *s)
{
    SWAP(q->name, s->name);
    SWAP(q->source, s->source);
    SWAP(q->ingest, s->ingest);
    SWAP(q->decoder, s->decoder);
    SWAP(q->input, s->input);
    SWAP(q->records, s->records);
    SWAP(q->current_record, s->current_record);
    SWAP(q->records_base, s->records_base);
    SWAP(q->records_read, s->records_read);
    SWAP(q->record_bytes_read, s->record_bytes_read);
    SWAP(q->committed_offset, s->committed_offset);
    SWAP(q->resumed_lossy, s->resumed_lossy);
    SWAP(q->dl, s->dl);
    SWAP(q->ndl, s->ndl);
    SWAP(q->cap_dl, s->cap_dl);
    SWAP(q->pipeline.head, s->head);
}

void query_side_enter(struct sl_query *q, enum query_input_side side)
{
    struct query_side *s = q->side;
    s->entered = side;
    s->out_time = q->pipeline.time;
    if (side == QUERY_LEFT) {
        q->pipeline.time = op_stream_join_time(q->pipeline.join, false);
        return;
    }
    q->pipeline.time = s->time;
    /* The plan is swapped by pointer: the side keeps the query's while it is entered. */
    struct sl_plan *plan = q->plan;
    q->plan = &s->plan;
    s->plan_saved = plan;
    swap_fields(q, s);
}

void query_side_leave(struct sl_query *q)
{
    struct query_side *s = q->side;
    if (s->entered == QUERY_RIGHT) {
        swap_fields(q, s);
        q->plan = s->plan_saved;
    }
    q->pipeline.time = s->out_time;
    if (side_ended(op_stream_join_time(q->pipeline.join, false)) && side_ended(s->time))
        q->pipeline.time->ended = true;
}
