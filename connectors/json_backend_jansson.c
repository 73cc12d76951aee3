/*
 * json_backend_jansson.c — FORMAT JSON's backend on jansson (json_backend.h):
 * each record is parsed into a tree by json_loadb (no top-level scalars, no
 * trailing text, no "\u0000", UTF-8 checked, duplicate keys: the last wins)
 * and each path is followed in it.
 */
#include "connectors/json_backend.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"

struct jansson_state {
    const struct json_path *paths;
    uint32_t npaths;
    json_t *root; /* the record parsed last, or NULL */
    char *text;   /* an object's or array's compact text, for jval.s */
    size_t text_cap;
};

static void *jansson_create(const struct json_path *paths, uint32_t npaths)
{
    struct jansson_state *j = sl_calloc(1, sizeof *j);
    if (j) {
        j->paths = paths;
        j->npaths = npaths;
    }
    return j;
}

static void jansson_release(void *state)
{
    struct jansson_state *j = state;
    json_decref(j->root);
    j->root = NULL;
}

static enum json_parse_result jansson_parse(void *state, const char *rec, size_t len,
                                            char *reason, size_t cap)
{
    struct jansson_state *j = state;
    json_error_t error;
    jansson_release(j);
    j->root = json_loadb(rec, len, 0, &error);
    if (!j->root) {
        if (json_error_code(&error) == json_error_out_of_memory)
            return JSON_NOMEM;
        /* jansson's own words, but for two that would name its flags or say too little. */
        enum json_error_code code = json_error_code(&error);
        snprintf(reason, cap, "bad JSON at character %d: %s%s", error.column,
                 code == json_error_invalid_utf8 ? "invalid UTF-8: " : "",
                 code == json_error_null_character ? "\\u0000 in a string is not supported"
                                                   : error.text);
        return JSON_REFUSED;
    }
    if (!json_is_object(j->root)) {
        snprintf(reason, cap, "an array, not a JSON object: a record is one object");
        jansson_release(j);
        return JSON_REFUSED;
    }
    return JSON_PARSED;
}

static json_t *follow(json_t *v, const struct json_path *p)
{
    for (uint32_t k = 0; v && k < p->nsteps; k++) {
        const struct json_step *s = &p->steps[k];
        if (s->kind == JSON_STEP_KEY)
            v = json_is_object(v) ? json_object_getn(v, s->key, s->key_len) : NULL;
        else
            v = json_is_array(v) ? json_array_get(v, s->index) : NULL;
    }
    return v;
}

/* v's compact JSON text into j->text; false: out of memory. */
static bool render(struct jansson_state *j, const json_t *v, struct jval *out)
{
    size_t flags = JSON_COMPACT | JSON_REAL_PRECISION(15);
    size_t need = json_dumpb(v, j->text, j->text_cap, flags);
    if (need == 0)
        return false;
    if (need > j->text_cap) {
        char *grown = sl_realloc(j->text, need);
        if (!grown)
            return false;
        j->text = grown;
        j->text_cap = need;
        need = json_dumpb(v, j->text, j->text_cap, flags);
    }
    out->s = j->text;
    out->len = need;
    return true;
}

static bool jansson_value(void *state, uint32_t i, bool text, struct jval *out)
{
    struct jansson_state *j = state;
    json_t *v = j->root ? follow(j->root, &j->paths[i]) : NULL;
    *out = (struct jval){.kind = JVAL_ABSENT};
    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_NULL: out->kind = v ? JVAL_NULL : JVAL_ABSENT; break;
    case JSON_FALSE: out->kind = JVAL_FALSE; break;
    case JSON_TRUE: out->kind = JVAL_TRUE; break;
    case JSON_INTEGER:
        out->kind = JVAL_INT;
        out->i = json_integer_value(v);
        break;
    case JSON_REAL:
        out->kind = JVAL_REAL;
        out->r = json_real_value(v);
        break;
    case JSON_STRING:
        out->kind = JVAL_STRING;
        out->s = json_string_value(v);
        out->len = json_string_length(v);
        break;
    case JSON_OBJECT:
    case JSON_ARRAY:
        out->kind = json_is_object(v) ? JVAL_OBJECT : JVAL_ARRAY;
        return !text || render(j, v, out);
    }
    return true;
}

static void jansson_destroy(void *state)
{
    struct jansson_state *j = state;
    jansson_release(j);
    sl_free(j->text);
    sl_free(j);
}

const struct json_backend json_backend_jansson = {
    .name = "jansson",
    .create = jansson_create,
    .parse = jansson_parse,
    .value = jansson_value,
    .release = jansson_release,
    .destroy = jansson_destroy,
};
