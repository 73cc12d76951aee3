/*
 * binder_env.c — ${NAME} references in a connector's address and text
 * options (a password in a connection string, an HTTP token, Kafka's SASL
 * settings), read from the environment when the statement is bound: at
 * start, and again from the catalog at each restart. The catalog keeps the
 * statement as written, so the secret is never saved in the database, and
 * SHOW / DESCRIBE print the reference, not its value.
 */
#include "engine/plan/binder.h"

#include "common/alloc.h"
#include "common/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool name_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool name_char(char c)
{
    return name_start(c) || (c >= '0' && c <= '9');
}

bool bind_env_expand(const char *text, struct sl_pos pos, uint32_t span, struct sl_diags *d,
                     char **out)
{
    *out = NULL;
    if (!strchr(text, '$'))
        return true;
    struct sl_buf b;
    buf_init(&b);
    bool any = false;
    for (const char *p = text; *p;) {
        if (p[0] == '$' && p[1] == '$' && p[2] == '{') {
            buf_puts(&b, "${"); /* $${ is a literal ${ */
            p += 3;
            any = true;
            continue;
        }
        if (p[0] != '$' || p[1] != '{') {
            buf_putc(&b, *p++);
            continue;
        }
        const char *name = p + 2, *end = name;
        while (name_char(*end))
            end++;
        if (!name_start(*name) || *end != '}') {
            diags_add(d, pos, span,
                      "an environment variable is written ${NAME} (letters, digits and _); "
                      "write $${ for a literal ${",
                      "a ${...} reference is not closed or not a name");
            buf_free(&b);
            return false;
        }
        char var[256];
        snprintf(var, sizeof var, "%.*s", (int)(end - name), name);
        const char *value = getenv(var);
        if (!value) {
            diags_add(d, pos, span,
                      "set it in the environment sluice starts in: a ${NAME} reference is read "
                      "at start, and never saved in the database",
                      "environment variable \"%s\" is not set", var);
            buf_free(&b);
            return false;
        }
        buf_puts(&b, value);
        p = end + 1;
        any = true;
    }
    if (b.failed) {
        diags_add(d, pos, span, NULL, "out of memory");
        buf_free(&b);
        return false;
    }
    if (any && !(*out = sl_strdup(buf_str(&b))))
        diags_add(d, pos, span, NULL, "out of memory");
    buf_free(&b);
    return !any || *out;
}

void bind_option_env(const struct ast_option *o, struct sl_option_value *val,
                     struct sl_diags *d)
{
    char *value;
    if (!val->text || !bind_env_expand(val->text, o->value->pos, o->value->span, d, &value) ||
        !value)
        return;
    sl_free(val->written);
    val->written = val->text;
    val->text = value;
}
