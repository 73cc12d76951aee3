/* json_path.c — parsing the JSON paths of json_path.h into their steps. */
#include "connectors/json_path.h"

#include <stdbool.h>
#include <string.h>

#include "common/alloc.h"

const char json_path_nomem[] = "out of memory";

/* Characters a key may not hold: step separators, and what other path languages
 * give a meaning we do not (quoted keys, wildcards, filters). */
static bool key_char(char c)
{
    return c != '.' && c != '[' && c != ']' && c != '"' && c != '\'' && c != '*' && c != '?';
}

/* One step at text[*i] (a '.' or '['), appended to out->steps. */
static const char *parse_step(struct json_path *out, size_t *i, const char **hint)
{
    const char *t = out->text;
    struct json_step *s = &out->steps[out->nsteps];
    if (t[*i] == '.') {
        size_t start = ++*i;
        while (t[*i] && key_char(t[*i]))
            ++*i;
        if (*i == start) {
            *hint = t[*i] == '"' ? "keys are written bare: $.user.id (quoted keys are not "
                                   "supported)"
                                 : "a key follows each '.': $.user.id";
            return t[*i] == '*' ? "wildcards are not supported" : "a key is missing after '.'";
        }
        *s = (struct json_step){.kind = JSON_STEP_KEY, .key = t + start, .key_len = *i - start};
    } else if (t[*i] == '[') {
        size_t start = ++*i, index = 0;
        while (t[*i] >= '0' && t[*i] <= '9' && *i - start < 9) {
            index = index * 10 + (size_t)(t[*i] - '0');
            ++*i;
        }
        *hint = "an array index is a whole number from 0 to 999999999: $.items[0]";
        if (*i == start || t[*i] != ']')
            return "expected an array index and ']'";
        ++*i;
        *s = (struct json_step){.kind = JSON_STEP_INDEX, .index = index};
    } else {
        *hint = "steps are .key and [n]: $.user.id, $.items[0]";
        return "expected '.' or '['";
    }
    out->nsteps++;
    return NULL;
}

const char *json_path_parse(const char *text, struct json_path *out, size_t *at,
                            const char **hint)
{
    *out = (struct json_path){0};
    *at = 0;
    *hint = NULL;
    if (text[0] != '$') {
        *hint = "a path starts at the record: $.user.id";
        return "a JSON path starts with '$'";
    }
    size_t n = strlen(text);
    out->text = sl_strdup(text);
    /* Each step takes at least two characters. */
    out->steps = sl_calloc(n / 2 + 1, sizeof *out->steps);
    if (!out->text || !out->steps) {
        json_path_free(out);
        return json_path_nomem;
    }
    size_t i = 1;
    while (i < n) {
        const char *bad = parse_step(out, &i, hint);
        if (bad) {
            *at = i;
            json_path_free(out);
            return bad;
        }
    }
    *hint = NULL;
    return NULL;
}

bool json_path_key(const char *name, struct json_path *out)
{
    *out = (struct json_path){0};
    out->text = sl_strdup(name);
    out->steps = sl_calloc(1, sizeof *out->steps);
    if (!out->text || !out->steps) {
        json_path_free(out);
        return false;
    }
    out->steps[0] = (struct json_step){.kind = JSON_STEP_KEY, .key = out->text,
                                       .key_len = strlen(name)};
    out->nsteps = 1;
    return true;
}

void json_path_free(struct json_path *p)
{
    sl_free(p->text);
    sl_free(p->steps);
    *p = (struct json_path){0};
}
