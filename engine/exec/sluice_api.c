/*
 * sluice_api.c — sluice.h's fallible functions over the engine's own: the
 * engine's sl_status becomes a sluice_status and its sl_buf of messages a
 * string handed to the caller, so sluice.h needs none of common/; and the
 * engine's log lines go to the embedder's callback.
 */
#include "engine/exec/engine.h"

#include "common/alloc.h"
#include "common/log.h"

_Static_assert(SLUICE_LOG_DEBUG == (int)SL_LOG_DEBUG && SLUICE_LOG_ERROR == (int)SL_LOG_ERROR,
               "the public log levels are the engine's");

/* Hands the messages to the caller (or frees them) and says whether st is a failure. */
static sluice_status hand_over(sl_status st, struct sl_buf *messages, char **errors)
{
    if (errors && messages->len) {
        *errors = messages->data;
        buf_init(messages);
    } else if (errors) {
        *errors = NULL;
    }
    buf_free(messages);
    return st == SL_OK ? SLUICE_OK : SLUICE_ERROR;
}

static sluice_status hand_over_error(sl_status st, const struct sl_error *err, char **errors)
{
    struct sl_buf messages;
    buf_init(&messages);
    if (st != SL_OK)
        buf_printf(&messages, "%s\n", err->msg);
    return hand_over(st, &messages, errors);
}

void engine_log_to_embedder(enum sl_log_level level, const char *msg, void *ctx)
{
    const struct sluice *s = ctx;
    s->opts.log(s->opts.log_ctx, (enum sluice_log_level)level, msg);
}

sluice_status sluice_open(const struct sluice_options *opts, struct sluice **out, char **errors)
{
    struct sl_error err;
    sl_error_clear(&err);
    return hand_over_error(engine_open(opts, out, &err), &err, errors);
}

sluice_status sluice_exec(struct sluice *s, const char *file, const char *sql,
                          const struct sluice_output *out, char **errors)
{
    struct sl_buf messages;
    buf_init(&messages);
    return hand_over(engine_exec(s, file, sql, out, &messages), &messages, errors);
}

sluice_status sluice_exec_at(struct sluice *s, const char *file, uint32_t first_line,
                             const char *sql, const struct sluice_output *out, char **errors)
{
    struct sl_buf messages;
    buf_init(&messages);
    return hand_over(engine_exec_at(s, file, first_line, sql, out, &messages), &messages,
                     errors);
}

sluice_status sluice_resume(struct sluice *s, const struct sluice_output *out, uint32_t *saved,
                            char **errors)
{
    struct sl_buf messages;
    buf_init(&messages);
    return hand_over(engine_resume(s, out, &messages, saved), &messages, errors);
}

sluice_status sluice_check(struct sluice *s, const char *file, const char *sql, char **errors)
{
    struct sl_buf messages;
    buf_init(&messages);
    return hand_over(engine_check(s, file, sql, &messages), &messages, errors);
}

sluice_status sluice_parse(const char *file, const char *sql, char **errors)
{
    struct sl_buf messages;
    buf_init(&messages);
    return hand_over(engine_parse(file, sql, &messages), &messages, errors);
}

sluice_status sluice_run(struct sluice *s, char **errors)
{
    struct sl_buf messages;
    buf_init(&messages);
    return hand_over(engine_run(s, &messages), &messages, errors);
}

sluice_status sluice_start(struct sluice *s, char **errors)
{
    struct sl_error err;
    sl_error_clear(&err);
    return hand_over_error(engine_start(s, &err), &err, errors);
}

void sluice_free(char *text)
{
    sl_free(text);
}

sluice_status sluice_nexmark_write(FILE *out, const char *kind, const char *format,
                                   int64_t events, int64_t rate, uint64_t seed, char **errors)
{
    struct sl_error err = {0};
    sl_status st = engine_nexmark_write(out, kind, format, events, rate, seed, &err);
    return hand_over_error(st, &err, errors);
}
