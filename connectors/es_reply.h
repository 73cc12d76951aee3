/*
 * es_reply.h — Elasticsearch's answer to a _bulk request, item by item: done
 * (a delete of a document that is not there counts as done), refused for
 * now (429, 5xx: the batch is sent again) or refused for good (a mapping
 * error: the row becomes a dead letter), with ES's error type and reason.
 */
#ifndef SL_ES_REPLY_H
#define SL_ES_REPLY_H

#include <stddef.h>

#include "common/status.h"

struct es_reply {
    size_t retry;          /* items refused for now */
    size_t first_retry;    /* the first of them, by its index in the request */
    char retry_reason[256]; /* the first of them: "429 es_rejected_execution_exception: ..." */
    /* Called for each item refused for good, reason "type: reason"; returns false when out of memory. */
    bool (*refused)(void *ctx, size_t item, const char *reason);
    void *ctx;
};

/* Reads body[0..len), the answer to a request of nitems actions, into r (its retry
 * fields reset first). SL_ERROR with why[0..cap) when it is not a bulk answer for
 * that many items; SL_NOMEM. */
sl_status es_reply_read(const char *body, size_t len, size_t nitems, struct es_reply *r,
                        char *why, size_t cap);

#endif
