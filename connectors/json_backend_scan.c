/*
 * json_backend_scan.c — FORMAT JSON's parser (json_backend.h), on the
 * single-pass scanner (json_scan.h): no tree is built. The columns' paths
 * are merged into a trie of steps; the keys asked of one object (the record, or
 * a nested object some path goes into) form one group, looked for in one
 * scan of that object, so a record's top level is scanned once for all
 * columns (and validated whole on the way). A nested object's span is
 * scanned again for its group's keys; an [n] step walks an array's span.
 * Values are spans into the record: a string without escapes goes into its
 * column as it stands; escapes, and an object's or array's compact text,
 * are written into a buffer the parser owns.
 */
#include "connectors/json_backend.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "connectors/json_scan.h"

/* A slot's parent when its step is taken from the record itself. */
#define ROOT UINT32_MAX

/* One distinct path prefix: its last step, taken from its parent's value. */
struct slot {
    uint32_t parent;          /* a slot, or ROOT */
    const struct json_step *step;
    uint32_t group, key;      /* JSON_STEP_KEY: the group holding its key, and where */
    struct jscan_value value; /* in the record parsed last */
};

/* The keys looked for in one object: the record's (group 0) or a slot's value. */
struct group {
    uint32_t parent; /* a slot, or ROOT */
    uint32_t nkeys;
    char **names; /* NUL-ended copies of the keys, for jscan_keys_create */
    struct jscan_keys *keys;
    struct jscan_value *values; /* one per key */
};

struct json_parser {
    const struct json_path *paths;
    uint32_t npaths;
    uint32_t *path_slot; /* the slot each path ends at, or ROOT for "$" */
    struct slot *slots;  /* parents before children */
    uint32_t nslots;
    struct group *groups; /* group 0 is the record's */
    uint32_t ngroups;
    struct jscan_value record; /* the record parsed last, as an object */
    struct jval *numbers;      /* each path's number, read when it was parsed */
    char *buf;                 /* unescaped strings and compact text */
    size_t buf_cap;
};

void json_parser_destroy(struct json_parser *s)
{
    for (uint32_t g = 0; g < s->ngroups; g++) {
        for (uint32_t k = 0; k < s->groups[g].nkeys; k++)
            sl_free(s->groups[g].names[k]);
        sl_free(s->groups[g].names);
        sl_free(s->groups[g].values);
        jscan_keys_destroy(s->groups[g].keys);
    }
    sl_free(s->groups);
    sl_free(s->slots);
    sl_free(s->path_slot);
    sl_free(s->numbers);
    sl_free(s->buf);
    sl_free(s);
}

static bool same_step(const struct json_step *a, const struct json_step *b)
{
    if (a->kind != b->kind)
        return false;
    if (a->kind == JSON_STEP_INDEX)
        return a->index == b->index;
    return a->key_len == b->key_len && memcmp(a->key, b->key, a->key_len) == 0;
}

/* The group of keys asked of parent's object, made when missing; UINT32_MAX: no memory. */
static uint32_t group_of(struct json_parser *s, uint32_t parent)
{
    for (uint32_t g = 0; g < s->ngroups; g++)
        if (s->groups[g].parent == parent)
            return g;
    struct group *g = &s->groups[s->ngroups];
    /* A group has at most one key per path. */
    g->parent = parent;
    g->names = sl_calloc(s->npaths, sizeof *g->names);
    g->values = sl_calloc(s->npaths, sizeof *g->values);
    return g->names && g->values ? s->ngroups++ : UINT32_MAX;
}

/* The slot for step taken from parent, made when missing; UINT32_MAX: no memory. */
static uint32_t slot_of(struct json_parser *s, uint32_t parent, const struct json_step *step)
{
    for (uint32_t i = 0; i < s->nslots; i++)
        if (s->slots[i].parent == parent && same_step(s->slots[i].step, step))
            return i;
    struct slot *slot = &s->slots[s->nslots];
    *slot = (struct slot){.parent = parent, .step = step};
    if (step->kind == JSON_STEP_KEY) {
        uint32_t g = group_of(s, parent);
        if (g == UINT32_MAX)
            return UINT32_MAX;
        struct group *grp = &s->groups[g];
        if (!(grp->names[grp->nkeys] = sl_strndup(step->key, step->key_len)))
            return UINT32_MAX;
        slot->group = g;
        slot->key = grp->nkeys++;
    }
    return s->nslots++;
}

struct json_parser *json_parser_create(const struct json_path *paths, uint32_t npaths)
{
    struct json_parser *s = sl_calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->paths = paths;
    s->npaths = npaths;
    uint32_t nsteps = 0;
    for (uint32_t i = 0; i < npaths; i++)
        nsteps += paths[i].nsteps;
    s->path_slot = sl_calloc(npaths ? npaths : 1, sizeof *s->path_slot);
    s->numbers = sl_calloc(npaths ? npaths : 1, sizeof *s->numbers);
    s->slots = sl_calloc(nsteps ? nsteps : 1, sizeof *s->slots);
    /* At most one group per slot, and the record's. */
    s->groups = sl_calloc(nsteps + 1, sizeof *s->groups);
    bool ok = s->path_slot && s->numbers && s->slots && s->groups && group_of(s, ROOT) == 0;
    for (uint32_t i = 0; ok && i < npaths; i++) {
        uint32_t at = ROOT;
        for (uint32_t k = 0; ok && k < paths[i].nsteps; k++)
            ok = (at = slot_of(s, at, &paths[i].steps[k])) != UINT32_MAX;
        s->path_slot[i] = at;
    }
    for (uint32_t g = 0; ok && g < s->ngroups; g++)
        ok = jscan_keys_create((const char *const *)s->groups[g].names, s->groups[g].nkeys,
                               &s->groups[g].keys) == SL_OK;
    if (!ok) {
        json_parser_destroy(s);
        return NULL;
    }
    return s;
}

static const struct jscan_value *parent_value(const struct json_parser *s, uint32_t parent)
{
    return parent == ROOT ? &s->record : &s->slots[parent].value;
}

/* Every slot's value in the record parsed last, each group's object scanned once. */
static void follow_paths(struct json_parser *s)
{
    uint32_t scanned = 1; /* groups 0..scanned): the record's is scanned by parse */
    for (uint32_t i = 0; i < s->nslots; i++) {
        struct slot *slot = &s->slots[i];
        const struct jscan_value *from = parent_value(s, slot->parent);
        slot->value.kind = JSCAN_ABSENT;
        if (slot->step->kind == JSON_STEP_INDEX) {
            if (from->kind == JSCAN_ARRAY &&
                !jscan_array_element(from, slot->step->index, &slot->value))
                slot->value.kind = JSCAN_ABSENT;
            continue;
        }
        struct group *g = &s->groups[slot->group];
        /* Groups are made in the order of their first slots, so a group's first slot
         * is where it is scanned. */
        if (slot->group == scanned) {
            struct jscan_error ignored; /* the span was validated with the record */
            if (from->kind != JSCAN_OBJECT ||
                !jscan_object(g->keys, from->text, from->len, g->values, &ignored))
                for (uint32_t k = 0; k < g->nkeys; k++)
                    g->values[k].kind = JSCAN_ABSENT;
            scanned++;
        }
        slot->value = g->values[slot->key];
    }
}

/* Room for n bytes in s->buf; false: out of memory. */
static bool reserve(struct json_parser *s, size_t n)
{
    if (n <= s->buf_cap)
        return true;
    char *grown = sl_realloc(s->buf, n);
    if (!grown)
        return false;
    s->buf = grown;
    s->buf_cap = n;
    return true;
}

/* The number v into *out (JVAL_INT or JVAL_REAL); false when it does not fit. s->buf
 * has room for v->len + 1 bytes. */
static bool read_number(struct json_parser *s, const struct jscan_value *v, struct jval *out)
{
    if (!v->flag) {
        out->kind = JVAL_INT;
        return jscan_number_int(v, &out->i);
    }
    /* strtod needs a NUL; sl_parse_real's 63-byte buffer would refuse long numbers. */
    memcpy(s->buf, v->text, v->len);
    s->buf[v->len] = '\0';
    out->kind = JVAL_REAL;
    out->r = strtod(s->buf, NULL);
    return isfinite(out->r);
}

static const char *record_kind(char first)
{
    switch (first) {
    case '[': return "an array";
    case '"': return "a string";
    case 't':
    case 'f': return "a boolean";
    case 'n': return "null";
    default: return first == '-' || (first >= '0' && first <= '9') ? "a number" : NULL;
    }
}

static enum json_parse_result refuse(const char *rec, size_t len, const struct jscan_error *err,
                                     char *reason, size_t cap)
{
    size_t at = err->offset;
    while (at < len && (rec[at] == ' ' || rec[at] == '\t' || rec[at] == '\n' || rec[at] == '\r'))
        at++;
    const char *kind = at < len ? record_kind(rec[at]) : NULL;
    if (strcmp(err->reason, "not a JSON object") == 0 && kind)
        snprintf(reason, cap, "%s, not a JSON object: a record is one object", kind);
    else
        snprintf(reason, cap, "bad JSON at byte %zu: %s", err->offset, err->reason);
    return JSON_REFUSED;
}

enum json_parse_result json_parser_parse(struct json_parser *s, const char *rec, size_t len,
                                         char *reason, size_t cap)
{
    struct jscan_error err;
    struct group *top = &s->groups[0];
    if (!jscan_object(top->keys, rec, len, top->values, &err))
        return refuse(rec, len, &err, reason, cap);
    size_t first = 0;
    while (rec[first] != '{')
        first++;
    size_t last = len;
    while (rec[last - 1] != '}')
        last--;
    s->record = (struct jscan_value){.kind = JSCAN_OBJECT, .text = rec + first, .len = last - first};
    follow_paths(s);
    for (uint32_t i = 0; i < s->npaths; i++) {
        const struct jscan_value *v = parent_value(s, s->path_slot[i]);
        if (v->kind != JSCAN_NUMBER)
            continue;
        if (!reserve(s, v->len + 1))
            return JSON_NOMEM;
        if (!read_number(s, v, &s->numbers[i])) {
            int shown = v->len > 64 ? 64 : (int)v->len;
            snprintf(reason, cap, "number out of range at byte %zu: %.*s%s",
                     (size_t)(v->text - rec), shown, v->text, v->len > 64 ? "..." : "");
            return JSON_REFUSED;
        }
    }
    return JSON_PARSED;
}

/* An object's or array's text without the whitespace between its tokens (jansson's
 * JSON_COMPACT layout; strings and numbers as written) into s->buf. */
static size_t compact(struct json_parser *s, const struct jscan_value *v)
{
    char *out = s->buf;
    size_t n = 0;
    bool in_string = false;
    for (const char *p = v->text, *end = v->text + v->len; p < end; p++) {
        char c = *p;
        if (in_string) {
            out[n++] = c;
            if (c == '\\')
                out[n++] = *++p;
            else if (c == '"')
                in_string = false;
        } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            out[n++] = c;
            in_string = c == '"';
        }
    }
    return n;
}

bool json_parser_value(struct json_parser *s, uint32_t i, bool text, struct jval *out)
{
    const struct jscan_value *v = parent_value(s, s->path_slot[i]);
    *out = (struct jval){.kind = JVAL_ABSENT};
    switch (v->kind) {
    case JSCAN_ABSENT: break;
    case JSCAN_NULL: out->kind = JVAL_NULL; break;
    case JSCAN_FALSE: out->kind = JVAL_FALSE; break;
    case JSCAN_TRUE: out->kind = JVAL_TRUE; break;
    case JSCAN_NUMBER: *out = s->numbers[i]; break;
    case JSCAN_STRING:
        out->kind = JVAL_STRING;
        out->s = v->text;
        out->len = v->len;
        if (v->flag) {
            if (!reserve(s, v->len))
                return false;
            out->len = jscan_unescape(v, s->buf);
            out->s = s->buf;
        }
        break;
    case JSCAN_OBJECT:
    case JSCAN_ARRAY:
        out->kind = v->kind == JSCAN_OBJECT ? JVAL_OBJECT : JVAL_ARRAY;
        if (text) {
            if (!reserve(s, v->len))
                return false;
            out->len = compact(s, v);
            out->s = s->buf;
        }
        break;
    }
    return true;
}
