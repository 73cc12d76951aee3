/* mqtt_inbox.c — the MQTT source's messages from arrival to hand-out, and the repeats filter (see mqtt_inbox.h). */
#include "connectors/mqtt_inbox.h"

#include <string.h>

#include "common/alloc.h"
#include "common/hash.h"

#define MQTT_MIDS 65536

sl_status inbox_init(struct mqtt_inbox *in, size_t remember)
{
    memset(in, 0, sizeof *in);
    in->cap_seen = remember ? remember : 1;
    in->seen = sl_calloc(in->cap_seen, sizeof *in->seen);
    in->by_mid = sl_malloc(MQTT_MIDS * sizeof *in->by_mid);
    if (!in->seen || !in->by_mid)
        return SL_NOMEM;
    memset(in->by_mid, 0xff, MQTT_MIDS * sizeof *in->by_mid);
    return SL_OK;
}

void inbox_free(struct mqtt_inbox *in)
{
    sl_free(in->held);
    sl_free(in->bytes);
    sl_free(in->seen);
    sl_free(in->by_mid);
    memset(in, 0, sizeof *in);
}

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *q = sl_realloc(*p, n * size);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

/* Whether a message with this id and hash is a repeat (see mqtt_inbox.h);
 * one whose ack was lost has it queued again now. */
static bool inbox_is_repeat(struct mqtt_inbox *in, uint16_t mid, uint64_t hash)
{
    int32_t slot = in->by_mid[mid];
    if (slot < 0 || in->seen[slot].hash != hash)
        return false;
    struct mqtt_seen *e = &in->seen[slot];
    if (e->gen == MQTT_ACK_LOST)
        e->gen = in->acks_written;
    return e->gen == in->acks_written || in->after_reconnect;
}

static uint32_t previous_gen(const struct mqtt_inbox *in)
{
    return in->acks_written ? in->acks_written - 1 : MQTT_ACK_LOST - 1;
}

/* Whether a repeat of e may still come: its ack has not left, or left last
 * (and may be lost with the connection it left on). */
static bool repeat_may_come(const struct mqtt_inbox *in, const struct mqtt_seen *e)
{
    return e->mid && (e->gen == in->acks_written || e->gen == MQTT_ACK_LOST ||
                      e->gen == previous_gen(in));
}

/* Twice the room, the oldest first: no message of which a repeat may come is forgotten. */
static bool inbox_grow_seen(struct mqtt_inbox *in)
{
    size_t cap = in->cap_seen * 2;
    struct mqtt_seen *seen = sl_calloc(cap, sizeof *seen);
    if (!seen)
        return false;
    for (size_t i = 0; i < in->cap_seen; i++) {
        size_t old = (in->next_seen + i) % in->cap_seen;
        seen[i] = in->seen[old];
        if (seen[i].mid && in->by_mid[seen[i].mid] == (int32_t)old)
            in->by_mid[seen[i].mid] = (int32_t)i;
    }
    sl_free(in->seen);
    in->seen = seen;
    in->next_seen = in->cap_seen;
    in->cap_seen = cap;
    return true;
}

static bool inbox_remember(struct mqtt_inbox *in, uint16_t mid, uint64_t hash)
{
    if (repeat_may_come(in, &in->seen[in->next_seen]) && !inbox_grow_seen(in))
        return false;
    struct mqtt_seen *e = &in->seen[in->next_seen];
    if (e->mid && in->by_mid[e->mid] == (int32_t)in->next_seen)
        in->by_mid[e->mid] = -1;
    *e = (struct mqtt_seen){.hash = hash, .gen = in->acks_written, .mid = mid};
    in->by_mid[mid] = (int32_t)in->next_seen;
    in->next_seen = (in->next_seen + 1) % in->cap_seen;
    return true;
}

bool inbox_add(struct mqtt_inbox *in, int mid, const char *topic, const void *payload,
               size_t len, int64_t arrival_us, sl_status *st)
{
    *st = SL_OK;
    size_t tlen = strlen(topic);
    if (mid > 0) {
        uint64_t hash = sl_hash_bytes(payload, len, sl_hash_bytes(topic, tlen, 0));
        if (inbox_is_repeat(in, (uint16_t)mid, hash))
            return false;
        in->after_reconnect = false;
        if (!inbox_remember(in, (uint16_t)mid, hash)) {
            *st = SL_NOMEM;
            return false;
        }
    }
    if (!grow((void **)&in->held, &in->cap_held, in->nheld + 1, sizeof *in->held) ||
        !grow((void **)&in->bytes, &in->cap_bytes, in->nbytes + tlen + len, 1)) {
        *st = SL_NOMEM;
        return false;
    }
    struct mqtt_held *h = &in->held[in->nheld++];
    *h = (struct mqtt_held){.topic_at = in->nbytes, .topic_len = tlen,
                            .payload_at = in->nbytes + tlen, .payload_len = len,
                            .arrival_us = arrival_us};
    memcpy(in->bytes + in->nbytes, topic, tlen);
    if (len)
        memcpy(in->bytes + in->nbytes + tlen, payload, len);
    in->nbytes += tlen + len;
    return true;
}

size_t inbox_waiting(const struct mqtt_inbox *in)
{
    return in->nheld - in->handed;
}

void inbox_release(struct mqtt_inbox *in)
{
    if (!in->handed)
        return;
    size_t rest = in->nheld - in->handed;
    size_t from = rest ? in->held[in->handed].topic_at : in->nbytes;
    memmove(in->bytes, in->bytes + from, in->nbytes - from);
    in->nbytes -= from;
    memmove(in->held, in->held + in->handed, rest * sizeof *in->held);
    for (size_t i = 0; i < rest; i++) {
        in->held[i].topic_at -= from;
        in->held[i].payload_at -= from;
    }
    in->nheld = rest;
    in->handed = 0;
}

size_t inbox_hand_out(struct mqtt_inbox *in, struct sl_record *out, size_t cap)
{
    size_t n = 0;
    for (; n < cap && in->handed < in->nheld; n++, in->handed++) {
        const struct mqtt_held *h = &in->held[in->handed];
        out[n] = (struct sl_record){
            .value = in->bytes + h->payload_at,
            .len = h->payload_len,
            .key = in->bytes + h->topic_at,
            .key_len = h->topic_len,
            .partition = -1,
            .offset = (int64_t)in->sequence++,
            .timestamp_us = h->arrival_us,
        };
    }
    return n;
}

void inbox_acks_written(struct mqtt_inbox *in)
{
    /* The generation after MQTT_ACK_LOST - 1 wraps to 0, never to the mark. */
    in->acks_written = in->acks_written + 1 == MQTT_ACK_LOST ? 0 : in->acks_written + 1;
}

void inbox_connection_lost(struct mqtt_inbox *in)
{
    for (size_t i = 0; i < in->cap_seen; i++)
        if (in->seen[i].mid && in->seen[i].gen == in->acks_written)
            in->seen[i].gen = MQTT_ACK_LOST;
    in->after_reconnect = true;
}

void inbox_session_lost(struct mqtt_inbox *in)
{
    for (size_t i = 0; i < in->cap_seen; i++) {
        struct mqtt_seen *e = &in->seen[i];
        if (e->mid && in->by_mid[e->mid] == (int32_t)i)
            in->by_mid[e->mid] = -1;
        e->mid = 0;
    }
}
