/*
 * sink_stdout.c — INTO STDOUT: each delivered batch printed to standard
 * output, as Spark's console sink and pprint() do: a header naming the
 * query's batch and its commit time, then its rows as an aligned table, CSV
 * lines or JSON objects. Rows that change carry their change kind (an op
 * column, a JSON "op" field).
 */
#include "connectors/sink_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/time.h"
#include "connectors/row_encode.h"

struct stdout_sink {
    struct sl_sink base;
    const struct sl_sink_spec *spec; /* lives as long as the sink */
    enum sl_sink_format format;
    FILE *out;
};

/* Characters (UTF-8 code points) in s: the width a terminal gives most text. */
static size_t text_width(const char *s, size_t len)
{
    size_t w = 0;
    for (size_t i = 0; i < len; i++)
        w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

/* Cell text of row r, column c (c == ncols: the op column); newlines shown as \n. */
static void cell_text(const struct stdout_sink *s, const struct sl_sink_batch *b, uint32_t r,
                      uint32_t c, struct sl_buf *out)
{
    buf_clear(out);
    if (c == s->spec->ncols) {
        buf_puts(out, row_kind_name(b->kinds ? b->kinds[r] : SL_ROW_INSERT));
        return;
    }
    const struct sl_value *v = &b->values[(size_t)r * s->spec->ncols + c];
    if (v->type == SL_NULL) {
        buf_puts(out, "NULL");
        return;
    }
    struct sl_buf raw;
    buf_init(&raw);
    value_encode_text(&raw, v);
    for (size_t i = 0; i < raw.len; i++) {
        if (raw.data[i] == '\n')
            buf_puts(out, "\\n");
        else
            buf_putc(out, raw.data[i]);
    }
    buf_free(&raw);
}

static void pad(struct sl_buf *out, size_t n)
{
    while (n--)
        buf_putc(out, ' ');
}

static void rule(struct sl_buf *out, const size_t *width, uint32_t ncols)
{
    for (uint32_t c = 0; c < ncols; c++) {
        buf_putc(out, '+');
        for (size_t i = 0; i < width[c] + 2; i++)
            buf_putc(out, '-');
    }
    buf_puts(out, "+\n");
}

static sl_status print_table(struct stdout_sink *s, const struct sl_sink_batch *b,
                             struct sl_buf *out)
{
    uint32_t ncols = s->spec->ncols + (s->spec->changelog ? 1 : 0);
    size_t *width = sl_calloc(ncols ? ncols : 1, sizeof *width);
    if (!width)
        return SL_NOMEM;
    struct sl_buf cell;
    buf_init(&cell);
    for (uint32_t c = 0; c < ncols; c++) {
        const char *name = c < s->spec->ncols ? s->spec->names[c] : "op";
        width[c] = text_width(name, strlen(name));
        for (uint32_t r = 0; r < b->nrows; r++) {
            cell_text(s, b, r, c, &cell);
            size_t w = text_width(cell.data ? cell.data : "", cell.len);
            if (w > width[c])
                width[c] = w;
        }
    }
    rule(out, width, ncols);
    for (uint32_t c = 0; c < ncols; c++) {
        const char *name = c < s->spec->ncols ? s->spec->names[c] : "op";
        buf_printf(out, "| %s", name);
        pad(out, width[c] - text_width(name, strlen(name)) + 1);
    }
    buf_puts(out, "|\n");
    rule(out, width, ncols);
    for (uint32_t r = 0; r < b->nrows; r++) {
        for (uint32_t c = 0; c < ncols; c++) {
            cell_text(s, b, r, c, &cell);
            buf_puts(out, "| ");
            buf_append(out, cell.data ? cell.data : "", cell.len);
            pad(out, width[c] - text_width(cell.data ? cell.data : "", cell.len) + 1);
        }
        buf_puts(out, "|\n");
    }
    rule(out, width, ncols);
    buf_free(&cell);
    sl_free(width);
    return SL_OK;
}

static sl_status stdout_deliver(struct sl_sink *sink, const struct sl_sink_batch *b,
                                struct sl_sink_ack *ack, struct sl_error *err)
{
    (void)ack;
    struct stdout_sink *s = (struct stdout_sink *)sink;
    struct sl_buf out;
    buf_init(&out);
    sl_status st = SL_OK;
    char when[32];
    sl_ts_format(b->committed_us, when);
    when[19] = '\0'; /* whole seconds are enough for people */
    if (s->format == SL_SINK_FORMAT_TABLE) {
        buf_printf(&out, "-------------------------------------------\n"
                         "Sink %s: batch %lld, committed %s UTC, %u row%s\n"
                         "-------------------------------------------\n",
                   s->spec->name, (long long)b->batch_id, when, b->nrows,
                   b->nrows == 1 ? "" : "s");
        st = print_table(s, b, &out);
    } else {
        for (uint32_t r = 0; r < b->nrows; r++) {
            if (s->format == SL_SINK_FORMAT_JSON) {
                row_encode_json(&out, s->spec, b, r, s->spec->changelog);
                buf_putc(&out, '\n');
            } else {
                row_encode_csv(&out, s->spec, b, r);
            }
        }
    }
    if (st == SL_OK && out.failed)
        st = SL_NOMEM;
    if (st == SL_OK && out.len &&
        (fwrite(out.data, 1, out.len, s->out) != out.len || fflush(s->out) != 0))
        st = sl_error_set(err, SL_AGAIN, "cannot write to standard output");
    buf_free(&out);
    return st == SL_NOMEM ? sl_error_set(err, SL_AGAIN, "out of memory printing a batch") : st;
}

static void stdout_close(struct sl_sink *sink)
{
    sl_free(sink);
}

static const struct sl_sink_ops stdout_ops = {
    .deliver = stdout_deliver,
    .close = stdout_close,
};

static sl_status stdout_open(const struct sl_sink_spec *spec, const char *saved, size_t saved_len,
                             struct sl_sink **out, struct sl_error *err)
{
    (void)saved;
    (void)saved_len;
    struct stdout_sink *s = sl_calloc(1, sizeof *s);
    if (!s)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    s->base.ops = &stdout_ops;
    s->spec = spec;
    s->format = spec->format ? spec->format : SL_SINK_FORMAT_TABLE;
    s->out = stdout;
    *out = &s->base;
    return SL_OK;
}

const struct sl_sink_connector sink_stdout = {
    .name = "STDOUT",
    .summary = "Prints each delivered batch on standard output, as Spark's console sink does: a "
               "header naming the batch, then its rows as a table, CSV lines or JSON objects.",
    .guarantee = "at-least-once: a batch printed just before a crash is printed again after "
                 "the restart",
    .exactly_once = false,
    .formats = 1u << SL_SINK_FORMAT_TABLE | 1u << SL_SINK_FORMAT_CSV | 1u << SL_SINK_FORMAT_JSON,
    .default_format = SL_SINK_FORMAT_TABLE,
    .open = stdout_open,
};
