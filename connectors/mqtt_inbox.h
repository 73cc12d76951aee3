/*
 * mqtt_inbox.h — the MQTT source's messages between their arrival and the
 * read that hands them out (copied: libmosquitto frees its own as soon as
 * its callback returns), the records the last read handed out (valid until
 * the next), and a memory of the messages received lately, so that the ones
 * a broker sends again after a reconnection (their acknowledgements were
 * lost with the connection) are not counted twice.
 *
 * A broker sends again, first thing after the reconnection and in their
 * first order, the messages it holds unacknowledged, with their packet ids
 * (MQTT 5, 4.4). A message that arrives then with the id, topic and payload
 * of one received lately is such a repeat; the first that does not ends the
 * repeats.
 */
#ifndef SL_MQTT_INBOX_H
#define SL_MQTT_INBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/status.h"
#include "connectors/source.h"

struct mqtt_held {
    size_t topic_at, topic_len, payload_at, payload_len; /* in the inbox's bytes */
    int64_t arrival_us;
};

struct mqtt_seen {
    uint64_t hash; /* of topic and payload */
    uint16_t mid;  /* 0: spent (already matched a repeat) */
};

struct mqtt_inbox {
    struct mqtt_held *held; /* [0, handed): handed out by the last read; then waiting */
    size_t nheld, cap_held, handed;
    char *bytes;
    size_t nbytes, cap_bytes;
    struct mqtt_seen *seen; /* a ring of the last cap_seen messages with a packet id */
    size_t cap_seen, nseen, next_seen;
    bool repeats;       /* right after a reconnection: repeats are looked for */
    size_t repeat_from; /* where in the ring the next repeat is looked for first */
    uint64_t sequence;  /* messages handed out so far: each record's offset */
};

/* Remembers the last `remember` messages with a packet id (the most a broker holds unacknowledged). */
sl_status inbox_init(struct mqtt_inbox *in, size_t remember);
void inbox_free(struct mqtt_inbox *in);

/* A message that arrived (mid 0: QoS 0, no packet id). False when it is a
 * repeat, not kept; SL_NOMEM through *st. */
bool inbox_add(struct mqtt_inbox *in, int mid, const char *topic, const void *payload,
               size_t len, int64_t arrival_us, sl_status *st);

/* Messages waiting to be handed out. */
size_t inbox_waiting(const struct mqtt_inbox *in);

/* Forgets the records the last hand-out gave (their memory is reused). */
void inbox_release(struct mqtt_inbox *in);

/* Up to cap waiting messages as records (topic as the key), valid until inbox_release. */
size_t inbox_hand_out(struct mqtt_inbox *in, struct sl_record *out, size_t cap);

/* The connection was lost: what arrives first on the next one may be repeats. */
void inbox_reconnected(struct mqtt_inbox *in);

#endif
