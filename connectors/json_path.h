/*
 * json_path.h — where a FORMAT JSON column reads its value: "$" followed by
 * ".key" steps (a key is any text up to the next '.' or '[') and "[n]"
 * array indexes, e.g. '$.user.id' or '$.items[0].sku'. A column declared
 * without PATH reads the top-level key of its name. The binder parses a path
 * to check it (and say where it goes wrong); the decoder parses it again to
 * follow it, since the plan keeps paths as text.
 */
#ifndef SL_JSON_PATH_H
#define SL_JSON_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum json_step_kind { JSON_STEP_KEY, JSON_STEP_INDEX };

struct json_step {
    enum json_step_kind kind;
    const char *key; /* JSON_STEP_KEY: key_len bytes inside the path's text (not NUL-ended) */
    size_t key_len;
    size_t index; /* JSON_STEP_INDEX */
};

struct json_path {
    char *text; /* owned: the steps' keys point into it */
    uint32_t nsteps;
    struct json_step *steps; /* owned */
};

/* The largest array index a path may name. */
#define JSON_PATH_INDEX_MAX 999999999

/*
 * Parses text into *out. NULL when it is a path; otherwise the reason, with
 * *at the byte of text where it goes wrong and *hint a suggestion (or NULL);
 * out is then empty. Out of memory is the reason json_path_nomem (this pointer).
 */
extern const char json_path_nomem[];
const char *json_path_parse(const char *text, struct json_path *out, size_t *at,
                            const char **hint);
/* The path of one step, the top-level key name; false when out of memory. */
bool json_path_key(const char *name, struct json_path *out);
void json_path_free(struct json_path *p);

#endif
