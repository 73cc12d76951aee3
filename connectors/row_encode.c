/* row_encode.c — a sink's rows as JSON, CSV and plain text (row_encode.h). */
#include "connectors/row_encode.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/time.h"

const char *row_kind_name(uint8_t kind)
{
    return kind == SL_ROW_UPDATE ? "update" : kind == SL_ROW_DELETE ? "delete" : "insert";
}

/* The fewest significant digits (15 to 17) that read back as r; "1.0" for a whole number. */
static void encode_real(struct sl_buf *out, double r)
{
    char text[40];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, r);
        if (strtod(text, NULL) == r)
            break;
    }
    buf_puts(out, text);
    if (!strpbrk(text, ".eEni"))
        buf_puts(out, ".0");
}

void json_encode_string(struct sl_buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    buf_putc(out, '"');
    size_t plain = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        buf_append(out, s + plain, i - plain);
        plain = i + 1;
        switch (c) {
        case '"': buf_puts(out, "\\\""); break;
        case '\\': buf_puts(out, "\\\\"); break;
        case '\n': buf_puts(out, "\\n"); break;
        case '\r': buf_puts(out, "\\r"); break;
        case '\t': buf_puts(out, "\\t"); break;
        default: {
            char esc[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
            buf_puts(out, esc);
        }
        }
    }
    buf_append(out, s + plain, len - plain);
    buf_putc(out, '"');
}

void value_encode_json(struct sl_buf *out, const struct sl_value *v)
{
    char ts[32];
    switch (v->type) {
    case SL_BOOL: buf_puts(out, v->u.b ? "true" : "false"); break;
    case SL_INT: buf_printf(out, "%lld", (long long)v->u.i); break;
    case SL_REAL:
        if (isfinite(v->u.r))
            encode_real(out, v->u.r);
        else
            buf_puts(out, "null"); /* JSON has no Inf or NaN */
        break;
    case SL_TEXT: json_encode_string(out, v->u.s.ptr, v->u.s.len); break;
    case SL_TIMESTAMP:
        sl_ts_format(v->u.i, ts);
        json_encode_string(out, ts, strlen(ts));
        break;
    case SL_ARRAY:
        buf_putc(out, '[');
        for (uint32_t i = 0; v->u.a && i < v->u.a->count; i++) {
            if (i)
                buf_putc(out, ',');
            value_encode_json(out, &v->u.a->items[i]);
        }
        buf_putc(out, ']');
        break;
    default: buf_puts(out, "null"); break;
    }
}

void value_encode_text(struct sl_buf *out, const struct sl_value *v)
{
    char ts[32];
    switch (v->type) {
    case SL_BOOL: buf_putc(out, v->u.b ? '1' : '0'); break;
    case SL_INT: buf_printf(out, "%lld", (long long)v->u.i); break;
    case SL_REAL: encode_real(out, v->u.r); break;
    case SL_TEXT: buf_append(out, v->u.s.ptr, v->u.s.len); break;
    case SL_TIMESTAMP:
        sl_ts_format(v->u.i, ts);
        buf_puts(out, ts);
        break;
    case SL_ARRAY: value_encode_json(out, v); break;
    default: break;
    }
}

void row_encode_json(struct sl_buf *out, const struct sl_sink_spec *spec,
                     const struct sl_sink_batch *batch, uint32_t r, bool with_op)
{
    const struct sl_value *row = batch->values + (size_t)r * spec->ncols;
    buf_putc(out, '{');
    for (uint32_t c = 0; c < spec->ncols; c++) {
        if (c)
            buf_putc(out, ',');
        json_encode_string(out, spec->names[c], strlen(spec->names[c]));
        buf_putc(out, ':');
        value_encode_json(out, &row[c]);
    }
    if (with_op) {
        buf_puts(out, spec->ncols ? ",\"op\":\"" : "\"op\":\"");
        buf_puts(out, row_kind_name(batch->kinds ? batch->kinds[r] : SL_ROW_INSERT));
        buf_putc(out, '"');
    }
    buf_putc(out, '}');
}

/* A CSV field: quoted when it holds a comma, a quote, a line break or edge spaces. */
static void csv_field(struct sl_buf *out, const char *s, size_t len)
{
    bool quote = len && (s[0] == ' ' || s[len - 1] == ' ');
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        buf_append(out, s, len);
        return;
    }
    buf_putc(out, '"');
    size_t plain = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '"') {
            buf_append(out, s + plain, i + 1 - plain);
            buf_putc(out, '"');
            plain = i + 1;
        }
    buf_append(out, s + plain, len - plain);
    buf_putc(out, '"');
}

/* v as a CSV field. Only TEXT and ARRAY values can hold what needs quotes; the
 * others are written straight into out, so a row costs no allocation. */
static void csv_value(struct sl_buf *out, const struct sl_value *v)
{
    if (v->type == SL_TEXT && v->u.s.len == 0) {
        buf_puts(out, "\"\""); /* an empty field reads back as NULL: "" is the empty text */
    } else if (v->type == SL_TEXT) {
        csv_field(out, v->u.s.ptr, v->u.s.len);
    } else if (v->type == SL_ARRAY) {
        struct sl_buf json;
        buf_init(&json);
        value_encode_text(&json, v);
        csv_field(out, buf_str(&json), json.len);
        buf_free(&json);
    } else {
        value_encode_text(out, v);
    }
}

void row_encode_csv(struct sl_buf *out, const struct sl_sink_spec *spec,
                    const struct sl_sink_batch *batch, uint32_t r)
{
    const struct sl_value *row = batch->values + (size_t)r * spec->ncols;
    for (uint32_t c = 0; c < spec->ncols; c++) {
        if (c)
            buf_putc(out, ',');
        csv_value(out, &row[c]);
    }
    buf_putc(out, '\n');
}

void row_encode_csv_header(struct sl_buf *out, const struct sl_sink_spec *spec)
{
    for (uint32_t c = 0; c < spec->ncols; c++) {
        if (c)
            buf_putc(out, ',');
        csv_field(out, spec->names[c], strlen(spec->names[c]));
    }
    buf_putc(out, '\n');
}

/* s with '|' and '\\' escaped by '\\'. */
static void key_text(struct sl_buf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '|' || s[i] == '\\')
            buf_putc(out, '\\');
        buf_putc(out, s[i]);
    }
}

void row_encode_key(struct sl_buf *out, const struct sl_sink_spec *spec,
                    const struct sl_sink_batch *batch, uint32_t r)
{
    const struct sl_value *row = batch->values + (size_t)r * spec->ncols;
    for (uint32_t k = 0; k < spec->nkey; k++) {
        const struct sl_value *v = &row[spec->key[k]];
        if (k)
            buf_putc(out, '|');
        if (v->type == SL_NULL) {
            buf_puts(out, "\\N"); /* text cannot make it: its '\\' is doubled */
        } else if (v->type == SL_TEXT) {
            key_text(out, v->u.s.ptr, v->u.s.len);
        } else if (v->type == SL_ARRAY) {
            struct sl_buf json;
            buf_init(&json);
            value_encode_text(&json, v);
            key_text(out, buf_str(&json), json.len);
            buf_free(&json);
        } else {
            value_encode_text(out, v); /* a number or a time: no '|' or '\\' in it */
        }
    }
}
