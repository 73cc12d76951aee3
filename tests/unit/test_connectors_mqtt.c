/* Unit tests for the MQTT source's parts that need no broker: its client id,
 * topic filters and address, its option checks, and the inbox's repeats filter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/alloc.h"
#include "connectors/mqtt_impl.h"
#include "connectors/mqtt_inbox.h"

static void test_client_id(void **state)
{
    (void)state;
    char a[MQTT_CLIENT_ID_CAP], b[MQTT_CLIENT_ID_CAP], c[MQTT_CLIENT_ID_CAP];
    mqtt_default_client_id("127.0.0.1:1883", "sensors/#", a);
    mqtt_default_client_id("127.0.0.1:1883", "sensors/#", b);
    mqtt_default_client_id("127.0.0.1:1883", "alarms/#", c);
    assert_string_equal(a, b); /* the same every run: the broker finds the session */
    assert_string_not_equal(a, c);
    assert_int_equal(strlen(a), 23); /* what MQTT 3.1.1 obliges every broker to take */
    assert_memory_equal(a, "sluice-", 7);
    /* Not the concatenation: address "a:1" + topic "2/x" differs from "a:12" + "/x". */
    mqtt_default_client_id("a:1", "2/x", b);
    mqtt_default_client_id("a:12", "/x", c);
    assert_string_not_equal(b, c);
}

static void test_topic_filters(void **state)
{
    (void)state;
    char **f;
    const char *bad = NULL;
    assert_int_equal(mqtt_topic_filters(" sensors/+/temp ,alarms/#", &f, &bad), 2);
    assert_string_equal(f[0], "sensors/+/temp");
    assert_string_equal(f[1], "alarms/#");
    sl_free(f);
    static const char *const wrong[] = {"", " ", "a,", ",a", "a,,b", "a/#/b", "a+", "#x"};
    for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++) {
        bad = NULL;
        assert_int_equal(mqtt_topic_filters(wrong[i], &f, &bad), 0);
        assert_null(f);
        assert_non_null(bad);
    }
}

static void test_address(void **state)
{
    (void)state;
    char host[64];
    int port;
    assert_true(mqtt_split_address("127.0.0.1:1884", host, sizeof host, &port));
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(port, 1884);
    assert_true(mqtt_split_address("broker.local", host, sizeof host, &port));
    assert_string_equal(host, "broker.local");
    assert_int_equal(port, MQTT_DEFAULT_PORT);
    assert_true(mqtt_split_address("[::1]:8883", host, sizeof host, &port));
    assert_string_equal(host, "::1");
    assert_int_equal(port, 8883);
    static const char *const wrong[] = {"", ":1883", "h:", "h:0", "h:65536", "h:x", "::1:1883",
                                        "[::1", "[::1]x"};
    for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++)
        assert_false(mqtt_split_address(wrong[i], host, sizeof host, &port));
}

/* The registry's checks, as the binder runs them. */
static void test_option_checks(void **state)
{
    (void)state;
    const struct sl_connector *c = connector_find("mqtt", false);
    assert_non_null(c);
    const char *hint = NULL;
    struct sl_option_value v = {.set = true, .text = "sensors/#, x/+"};
    assert_null(c->check_option(MQTT_TOPIC, &v, &hint));
    v.text = "sensors/#/x";
    assert_non_null(c->check_option(MQTT_TOPIC, &v, &hint));
    assert_non_null(hint);
    v.text = "";
    assert_non_null(c->check_option(MQTT_CLIENT_ID, &v, &hint));
    assert_null(c->check_address("127.0.0.1:1883", &hint));
    assert_non_null(c->check_address("127.0.0.1:port", &hint));
    assert_int_equal(connector_option_index(c, "retry_attempts"), MQTT_RETRY_FIRST + 2);
    /* The password is not shown. */
    struct sl_buf out;
    buf_init(&out);
    v.text = "hunter2";
    connector_option_sql(&c->options[MQTT_PASSWORD], &v, &out);
    assert_string_equal(buf_str(&out), "'***'");
    buf_free(&out);
}

static bool add(struct mqtt_inbox *in, int mid, const char *topic, const char *payload)
{
    sl_status st;
    bool kept = inbox_add(in, mid, topic, payload, strlen(payload), 0, &st);
    assert_int_equal(st, SL_OK);
    return kept;
}

static void payload_of(int i, char out[16])
{
    snprintf(out, 16, "{\"id\": %d}", i);
}

/* Handed-out records keep topic and payload until the next release. */
static void test_inbox_hand_out(void **state)
{
    (void)state;
    struct mqtt_inbox in;
    assert_int_equal(inbox_init(&in, 4), SL_OK);
    assert_true(add(&in, 0, "a", "x"));
    assert_true(add(&in, 1, "b/c", ""));
    assert_true(add(&in, 2, "d", "yz"));
    struct sl_record r[2];
    assert_int_equal(inbox_hand_out(&in, r, 2), 2);
    assert_int_equal(inbox_waiting(&in), 1);
    assert_memory_equal(r[0].key, "a", 1);
    assert_memory_equal(r[0].value, "x", 1);
    assert_int_equal(r[1].key_len, 3);
    assert_int_equal(r[1].len, 0);
    assert_int_equal(r[1].offset, 1);
    inbox_release(&in);
    assert_int_equal(inbox_hand_out(&in, r, 2), 1);
    assert_memory_equal(r[0].key, "d", 1);
    assert_memory_equal(r[0].value, "yz", 2);
    assert_int_equal(r[0].offset, 2);
    inbox_release(&in);
    assert_int_equal(inbox_waiting(&in), 0);
    inbox_free(&in);
}

/*
 * What a broker restart did to mosquitto 2.0.11: acks 1..800 left and were
 * received; 801..1000 left but were lost; 1001..4000 never left (the
 * connection went first). After the reconnection the broker sends 801..4000
 * again, some twice, then new messages with new ids: each one is kept once.
 */
static void test_inbox_repeats(void **state)
{
    (void)state;
    struct mqtt_inbox in;
    char p[16];
    assert_int_equal(inbox_init(&in, 16), SL_OK);
    struct sl_record r[64];
    for (int i = 1; i <= 4000; i++) {
        payload_of(i, p);
        assert_true(add(&in, i, "t", p));
        if (i % 200 == 0 && i <= 1000)
            inbox_acks_written(&in);
        while (inbox_hand_out(&in, r, 64))
            inbox_release(&in);
    }
    inbox_connection_lost(&in);
    size_t kept = 0;
    for (int i = 801; i <= 4000; i++) {
        payload_of(i, p);
        kept += add(&in, i, "t", p);
    }
    assert_int_equal(kept, 0);
    /* The broker repeats itself once more, after some acks left. */
    inbox_acks_written(&in);
    for (int i = 1500; i <= 1700; i++) {
        payload_of(i, p);
        kept += add(&in, i, "t", p);
    }
    assert_int_equal(kept, 0);
    /* A new message: the same payload as an old one, a new id. */
    payload_of(900, p);
    assert_true(add(&in, 4001, "t", p));
    /* Once the acks left, an id may be used again: not a repeat. */
    inbox_acks_written(&in);
    payload_of(4001, p);
    assert_true(add(&in, 4001, "t", p));
    inbox_free(&in);
}

/* A message whose ack left before the connection was lost is a repeat only right after the reconnection. */
static void test_inbox_repeats_end(void **state)
{
    (void)state;
    struct mqtt_inbox in;
    assert_int_equal(inbox_init(&in, 8), SL_OK);
    assert_true(add(&in, 7, "t", "same"));
    assert_true(add(&in, 8, "t", "same"));
    inbox_acks_written(&in);
    inbox_connection_lost(&in);
    assert_false(add(&in, 7, "t", "same"));
    assert_true(add(&in, 9, "t", "new"));
    /* The repeats are over: id 8 with its payload is a new message now. */
    assert_true(add(&in, 8, "t", "same"));
    /* A broker that kept no session sends nothing again: nothing is waited for. */
    assert_true(add(&in, 10, "t", "x"));
    inbox_connection_lost(&in);
    inbox_session_lost(&in);
    inbox_acks_written(&in);
    assert_true(add(&in, 11, "t", "y"));
    assert_true(add(&in, 10, "t", "x"));
    inbox_free(&in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_id),       cmocka_unit_test(test_topic_filters),
        cmocka_unit_test(test_address),         cmocka_unit_test(test_option_checks),
        cmocka_unit_test(test_inbox_hand_out),  cmocka_unit_test(test_inbox_repeats),
        cmocka_unit_test(test_inbox_repeats_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
