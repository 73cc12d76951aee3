/*
 * mqtt_inbox.h — the MQTT source's messages between their arrival and the
 * read that hands them out (copied: libmosquitto frees its own as soon as
 * its callback returns), the records the last read handed out (valid until
 * the next), and a memory of the messages received lately, so that the ones
 * a broker sends again after a reconnection (their acknowledgements were
 * lost with the connection) are not counted twice.
 *
 * A message is a repeat when its packet id is that of a message whose
 * PUBACK has not left yet: a broker may not reuse an id before it has the
 * PUBACK (MQTT 5, 2.2.1), so such a message can only be one sent again
 * (after a reconnection, or by a broker that repeats itself: mosquitto
 * 2.0.11 does, after a restart). Right after a reconnection, a message with
 * the id, topic and payload of one whose PUBACK left just before the
 * connection was lost is a repeat too (that PUBACK may have been lost with
 * it), until the first message that is not.
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

/* A message with a packet id, remembered: the ack of gen == acks_written
 * has not left; MQTT_ACK_LOST, it was dropped with a connection. */
struct mqtt_seen {
    uint64_t hash; /* of topic and payload */
    uint32_t gen;
    uint16_t mid; /* 0: the slot is free */
};
#define MQTT_ACK_LOST UINT32_MAX

struct mqtt_inbox {
    struct mqtt_held *held; /* [0, handed): handed out by the last read; then waiting */
    size_t nheld, cap_held, handed;
    char *bytes;
    size_t nbytes, cap_bytes;
    /* A ring of the last cap_seen messages with a packet id; it grows rather
     * than forget one whose ack has not left. */
    struct mqtt_seen *seen;
    size_t cap_seen, next_seen;
    int32_t *by_mid;       /* packet id -> its latest slot in seen, or -1 */
    uint32_t acks_written; /* how many times the acks left (a generation) */
    bool after_reconnect;  /* until the first message that is not a repeat */
    uint64_t sequence;     /* messages handed out so far: each record's offset */
};

/* Remembers the last `remember` messages with a packet id (the most a broker holds unacknowledged). */
sl_status inbox_init(struct mqtt_inbox *in, size_t remember);
void inbox_free(struct mqtt_inbox *in);

/* A message that arrived (mid 0: QoS 0, no packet id; QoS 2 messages need
 * none: libmosquitto delivers them once). False when it is a repeat, not
 * kept; SL_NOMEM through *st. */
bool inbox_add(struct mqtt_inbox *in, int mid, const char *topic, const void *payload,
               size_t len, int64_t arrival_us, sl_status *st);

/* Messages waiting to be handed out. */
size_t inbox_waiting(const struct mqtt_inbox *in);

/* Forgets the records the last hand-out gave (their memory is reused). */
void inbox_release(struct mqtt_inbox *in);

/* Up to cap waiting messages as records (topic as the key), valid until inbox_release. */
size_t inbox_hand_out(struct mqtt_inbox *in, struct sl_record *out, size_t cap);

/* The acks of every message added so far left (written to the connection). */
void inbox_acks_written(struct mqtt_inbox *in);

/* The connection was lost, and with it the acks not yet written. */
void inbox_connection_lost(struct mqtt_inbox *in);

/* The broker kept no session: the messages whose acks were lost will not come again. */
void inbox_session_lost(struct mqtt_inbox *in);

#endif
