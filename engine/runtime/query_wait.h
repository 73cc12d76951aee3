/*
 * query_wait.h — how long one query_step may wait for input, so that one
 * thread can take turns over several running queries.
 */
#ifndef SL_QUERY_WAIT_H
#define SL_QUERY_WAIT_H

#include "engine/runtime/query.h"

/* Milliseconds until the query's next trigger deadline (0 if it has passed),
 * capped so a loop over `running` queries releases its lock often and none
 * starves the others. */
int query_step_wait_ms(const struct sl_query *q, uint32_t running);

#endif
