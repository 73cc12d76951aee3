/*
 * value_bind.c — how a Sluice value is written into a result table:
 * BOOLEAN as 0/1, TIMESTAMP as 'YYYY-MM-DD HH:MM:SS.ffffff' text, ARRAY as
 * JSON text. Inside JSON, booleans are 1/0 and timestamps strings, as
 * SQLite's json_array() would write them.
 */
#include "storage/result_table_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/time.h"

static void json_string(struct sl_buf *b, const char *s, size_t len)
{
    buf_putc(b, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': buf_puts(b, "\\\""); break;
        case '\\': buf_puts(b, "\\\\"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        case '\t': buf_puts(b, "\\t"); break;
        case '\b': buf_puts(b, "\\b"); break;
        case '\f': buf_puts(b, "\\f"); break;
        default:
            if (c < 0x20)
                buf_printf(b, "\\u%04x", c);
            else
                buf_putc(b, (char)c);
        }
    }
    buf_putc(b, '"');
}

/* The shortest digits that read back as the same double, always with a '.' or exponent. */
static void json_real(struct sl_buf *b, double r)
{
    if (!isfinite(r)) {
        buf_puts(b, "null");
        return;
    }
    char text[40];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, r);
        if (strtod(text, NULL) == r)
            break;
    }
    buf_puts(b, text);
    if (!strpbrk(text, ".e"))
        buf_puts(b, ".0");
}

void db_value_json(struct sl_buf *b, struct sl_value v)
{
    char ts[32];
    switch (v.type) {
    case SL_NULL:
    case SL_ANY: buf_puts(b, "null"); break;
    case SL_BOOL: buf_putc(b, v.u.b ? '1' : '0'); break;
    case SL_INT: buf_printf(b, "%lld", (long long)v.u.i); break;
    case SL_REAL: json_real(b, v.u.r); break;
    case SL_TEXT: json_string(b, v.u.s.ptr, v.u.s.len); break;
    case SL_TIMESTAMP:
        sl_ts_format(v.u.i, ts);
        json_string(b, ts, strlen(ts));
        break;
    case SL_ARRAY:
        buf_putc(b, '[');
        for (uint32_t i = 0; v.u.a && i < v.u.a->count; i++) {
            if (i)
                buf_putc(b, ',');
            db_value_json(b, v.u.a->items[i]);
        }
        buf_putc(b, ']');
        break;
    }
}

int db_bind_value(sqlite3_stmt *stmt, int idx, struct sl_value v, struct sl_buf *scratch)
{
    char ts[32];
    switch (v.type) {
    case SL_NULL:
    case SL_ANY: return sqlite3_bind_null(stmt, idx);
    case SL_BOOL: return sqlite3_bind_int(stmt, idx, v.u.b ? 1 : 0);
    case SL_INT: return sqlite3_bind_int64(stmt, idx, v.u.i);
    case SL_REAL: return sqlite3_bind_double(stmt, idx, v.u.r);
    case SL_TEXT:
        return sqlite3_bind_text64(stmt, idx, v.u.s.ptr ? v.u.s.ptr : "", v.u.s.len,
                                   SQLITE_STATIC, SQLITE_UTF8);
    case SL_TIMESTAMP:
        sl_ts_format(v.u.i, ts);
        return sqlite3_bind_text(stmt, idx, ts, -1, SQLITE_TRANSIENT);
    case SL_ARRAY:
        buf_clear(scratch);
        db_value_json(scratch, v);
        if (scratch->failed)
            return SQLITE_NOMEM;
        /* Transient: the next array column of the row reuses the scratch buffer. */
        return sqlite3_bind_text64(stmt, idx, scratch->data, scratch->len, SQLITE_TRANSIENT,
                                   SQLITE_UTF8);
    }
    return sqlite3_bind_null(stmt, idx);
}

/*
 * The text of timestamp us in c's buffer. Rows of a batch mostly fall in
 * the same second as the row before: then only the six digits of the
 * fraction change (the text ends in them; negative times are formatted
 * whole).
 */
static const char *rt_ts_text(struct rt_ts_text *c, int64_t us, int *len)
{
    int64_t sec = us / SL_US_PER_SEC;
    if (us < 0 || !c->len || sec != c->sec) {
        sl_ts_format(us, c->text);
        c->len = (int)strlen(c->text);
        c->sec = us < 0 ? -1 : sec;
    } else {
        char *p = c->text + c->len;
        int64_t frac = us % SL_US_PER_SEC;
        for (int d = 0; d < 6; d++, frac /= 10)
            *--p = (char)('0' + frac % 10);
    }
    *len = c->len;
    return c->text;
}

int rt_bind_cell(struct sl_result_table *t, sqlite3_stmt *stmt, uint32_t slot, uint32_t col,
                 const struct sl_vector *v, uint32_t row)
{
    uint32_t cell = slot * t->ncols + col;
    int idx = (int)cell + 1;
    if (v->nulls[row])
        return sqlite3_bind_null(stmt, idx);
    switch (v->type) {
    case SL_BOOL: return sqlite3_bind_int(stmt, idx, v->data.b[row] ? 1 : 0);
    case SL_INT: return sqlite3_bind_int64(stmt, idx, v->data.i[row]);
    case SL_REAL: return sqlite3_bind_double(stmt, idx, v->data.r[row]);
    case SL_TEXT: {
        /* Static: the string and the buffers below outlive the step that follows. */
        struct sl_str s = v->data.s[row];
        return sqlite3_bind_text64(stmt, idx, s.ptr ? s.ptr : "", s.len, SQLITE_STATIC,
                                   SQLITE_UTF8);
    }
    case SL_TIMESTAMP: {
        int len;
        const char *text = rt_ts_text(&t->ts[cell], v->data.i[row], &len);
        return sqlite3_bind_text(stmt, idx, text, len, SQLITE_STATIC);
    }
    default: return db_bind_value(stmt, idx, vector_get(v, row), &t->scratch);
    }
}
