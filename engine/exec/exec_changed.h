/*
 * exec_changed.h — whether a new definition of a saved query can go on from
 * the saved one's checkpoint (see exec_changed.c).
 */
#ifndef SL_EXEC_CHANGED_H
#define SL_EXEC_CHANGED_H

#include "common/buf.h"
#include "engine/plan/plan.h"

/* True when only stateless parts differ; otherwise appends to why what
 * differs, e.g. "GROUP BY keys differ (saved: word; now: word, len): state
 * cannot be reused". */
bool exec_change_keeps_state(const struct sl_plan *saved, const struct sl_plan *now,
                             struct sl_buf *why);

#endif
