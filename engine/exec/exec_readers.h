/*
 * exec_readers.h — what reads a stream or a query: the queries (running, or
 * only saved in the database), CREATE STREAM AS streams and sinks, found from
 * the running engine and the saved definitions. DROP uses it so nothing is
 * left reading a name that is gone (it would fail at its next start).
 */
#ifndef SL_EXEC_READERS_H
#define SL_EXEC_READERS_H

#include "engine/exec/engine.h"

enum reader_kind {
    READER_QUERY,  /* CREATE QUERY */
    READER_STREAM, /* CREATE STREAM AS: its query has the stream's name */
    READER_SINK,
    READER_LIVE, /* the shell's live SELECT */
};

struct reader {
    enum reader_kind kind;
    char *name;
    char *reads; /* the stream, query or CREATE STREAM AS stream it reads */
    bool running;
    bool paused;  /* a saved query PAUSE QUERY stopped */
    bool visited; /* DROP ... CASCADE's mark */
};

struct readers {
    struct reader *items;
    uint32_t n, cap;
};

/* Every reader the engine runs or the database saves, each once (running first). */
sl_status readers_collect(struct sluice *s, struct readers *out, struct sl_error *err);
void readers_free(struct readers *r);
/* Appends "query q, stream c (CREATE STREAM AS) and sink k" for the readers of
 * name (of any kind, or only kind when only_kind >= 0); returns how many. */
uint32_t readers_list(const struct readers *r, const char *name, int only_kind,
                      struct sl_buf *out);
/* The first reader of name of that kind, or NULL. */
const struct reader *readers_find(const struct readers *r, const char *name,
                                  enum reader_kind kind);

#endif
