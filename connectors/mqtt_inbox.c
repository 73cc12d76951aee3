/* mqtt_inbox.c — the MQTT source's messages from arrival to hand-out, and the repeats filter (see mqtt_inbox.h). */
#include "connectors/mqtt_inbox.h"

#include <string.h>

#include "common/alloc.h"
#include "common/hash.h"

sl_status inbox_init(struct mqtt_inbox *in, size_t remember)
{
    memset(in, 0, sizeof *in);
    in->seen = sl_calloc(remember ? remember : 1, sizeof *in->seen);
    in->cap_seen = remember ? remember : 1;
    return in->seen ? SL_OK : SL_NOMEM;
}

void inbox_free(struct mqtt_inbox *in)
{
    sl_free(in->held);
    sl_free(in->bytes);
    sl_free(in->seen);
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

/* Whether (mid, hash) is a message of the ring not yet matched: looked for
 * from where the last repeat was, since repeats come in their first order. */
static bool inbox_is_repeat(struct mqtt_inbox *in, uint16_t mid, uint64_t hash)
{
    for (size_t k = 0; k < in->nseen; k++) {
        size_t i = (in->repeat_from + k) % in->nseen;
        struct mqtt_seen *e = &in->seen[i];
        if (e->mid == mid && e->hash == hash) {
            e->mid = 0;
            in->repeat_from = (i + 1) % in->nseen;
            return true;
        }
    }
    return false;
}

static void inbox_remember(struct mqtt_inbox *in, uint16_t mid, uint64_t hash)
{
    in->seen[in->next_seen] = (struct mqtt_seen){.hash = hash, .mid = mid};
    in->next_seen = (in->next_seen + 1) % in->cap_seen;
    if (in->nseen < in->cap_seen)
        in->nseen++;
}

bool inbox_add(struct mqtt_inbox *in, int mid, const char *topic, const void *payload,
               size_t len, int64_t arrival_us, sl_status *st)
{
    *st = SL_OK;
    size_t tlen = strlen(topic);
    if (mid > 0) {
        uint64_t hash = sl_hash_bytes(payload, len, sl_hash_bytes(topic, tlen, 0));
        if (in->repeats && in->nseen && inbox_is_repeat(in, (uint16_t)mid, hash))
            return false;
        in->repeats = false;
        inbox_remember(in, (uint16_t)mid, hash);
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

void inbox_reconnected(struct mqtt_inbox *in)
{
    in->repeats = true;
    /* The oldest remembered message first: the broker repeats in the first order. */
    in->repeat_from = in->nseen == in->cap_seen ? in->next_seen : 0;
}
