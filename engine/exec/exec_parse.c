/*
 * exec_parse.c — sluice_parse: a script's syntax checked without an engine
 * or a database, so `sluice run` can refuse a script with a syntax error
 * before it creates the database file. The statements a fresh database hands
 * to SQLite whole (a SELECT over nothing or over SQLite's own tables) are left
 * to SQLite (exec_outline_is_sqlites, exec_script.c's rule).
 */
#include "engine/exec/exec.h"

#include "common/alloc.h"
#include "parser/parser.h"

#include <string.h>

sl_status engine_parse(const char *file, const char *sql, struct sl_buf *errors)
{
    struct sl_diags diags;
    size_t len = strlen(sql);
    diags_init(&diags, file, sql, len);
    struct sl_stmt_outline *outline = NULL;
    uint32_t n = 0;
    sl_status st = parse_outline(sql, len, &outline, &n);
    for (uint32_t i = 0; st != SL_NOMEM && i < n; i++) {
        const struct sl_stmt_outline *o = &outline[i];
        if (exec_outline_is_sqlites(o))
            continue;
        struct sl_parse_result parsed = {0};
        if (parse_sql_range(sql, o->start, o->end, &diags, &parsed) != SL_OK)
            st = SL_ERROR;
        parse_free(&parsed);
    }
    if (diags.count && errors)
        diags_render(&diags, errors);
    if (st == SL_NOMEM && errors)
        buf_puts(errors, "out of memory\n");
    diags_free(&diags);
    sl_free(outline);
    return st == SL_OK ? SL_OK : SL_ERROR;
}
