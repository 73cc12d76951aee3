/*
 * es_reply.c — reading a _bulk answer (es_reply.h). Most answers say
 * "errors": false, which the single-pass scanner (json_scan.h) finds without
 * building a tree: for 100,000 items jansson took most of the sink's CPU.
 * Only an answer with errors is read item by item, with jansson.
 */
#include "connectors/es_reply.h"
#include "connectors/json_scan.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* "type: reason" of an item's error object, as ES words it. */
static void error_text(json_t *error, char *out, size_t cap)
{
    const char *type = json_string_value(json_object_get(error, "type"));
    const char *reason = json_string_value(json_object_get(error, "reason"));
    if (!type && json_is_string(error))
        type = json_string_value(error);
    snprintf(out, cap, "%s%s%s", type ? type : "error", reason ? ": " : "", reason ? reason : "");
}

/* One item: {"index": {"status": 201, ...}}; false when out of memory. */
static bool read_item(json_t *item, size_t i, struct es_reply *r)
{
    const char *action = NULL;
    json_t *body = NULL;
    json_object_foreach(item, action, body)
        break;
    long long status = json_integer_value(json_object_get(body, "status"));
    if ((status >= 200 && status < 300) || (status == 404 && strcmp(action, "delete") == 0))
        return true;
    char reason[512];
    error_text(json_object_get(body, "error"), reason, sizeof reason);
    if (status == 429 || status >= 500) {
        if (r->retry++ == 0) {
            r->first_retry = i;
            snprintf(r->retry_reason, sizeof r->retry_reason, "%lld %.200s", status, reason);
        }
        return true;
    }
    return r->refused(r->ctx, i, reason);
}

sl_status es_reply_read(const char *body, size_t len, size_t nitems, struct es_reply *r,
                        char *why, size_t cap)
{
    r->retry = 0;
    r->retry_reason[0] = '\0';
    static const char *const top[] = {"errors", "items"};
    struct jscan_keys *keys;
    if (jscan_keys_create(top, 2, &keys) != SL_OK)
        return SL_NOMEM;
    struct jscan_value values[2];
    struct jscan_error scan_err;
    bool scanned = jscan_object(keys, body, len, values, &scan_err);
    jscan_keys_destroy(keys);
    if (scanned && values[0].kind == JSCAN_FALSE && values[1].kind == JSCAN_ARRAY)
        return SL_OK;
    json_error_t jerr;
    json_t *root = json_loadb(body, len, 0, &jerr);
    if (!root) {
        snprintf(why, cap, "not JSON (%s)", jerr.text);
        return SL_ERROR;
    }
    json_t *errors = json_object_get(root, "errors");
    json_t *items = json_object_get(root, "items");
    sl_status st = SL_OK;
    if (!json_is_boolean(errors) || !json_is_array(items)) {
        snprintf(why, cap, "no \"errors\" and \"items\": not a bulk answer");
        st = SL_ERROR;
    } else if (json_is_true(errors)) {
        if (json_array_size(items) != nitems) {
            snprintf(why, cap, "%zu items answered for %zu sent", json_array_size(items), nitems);
            st = SL_ERROR;
        }
        for (size_t i = 0; st == SL_OK && i < nitems; i++)
            if (!read_item(json_array_get(items, i), i, r))
                st = SL_NOMEM;
    }
    json_decref(root);
    return st;
}
