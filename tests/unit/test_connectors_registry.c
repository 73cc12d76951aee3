/* Unit tests for the connector registry: lookup, options, and docs/connectors.md kept in step with it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/alloc.h"
#include "connectors/registry.h"

static void test_find_any_case(void **state)
{
    (void)state;
    assert_non_null(connector_find("FILE", false));
    assert_ptr_equal(connector_find("socket", false), connector_find("SOCKET", false));
    assert_null(connector_find("SOKET", false));
    for (size_t i = 0; i < connector_count(); i++) {
        const struct sl_connector *c = connector_at(i);
        assert_ptr_equal(connector_find(c->name, c->listens), c);
        assert_true(c->noptions <= SL_CONNECTOR_MAX_OPTIONS);
        assert_non_null(c->open);
    }
    assert_null(connector_at(connector_count()));
}

static void test_option_index(void **state)
{
    (void)state;
    const struct sl_connector *socket = connector_find("SOCKET", false);
    int i = connector_option_index(socket, "Retry_Attempts");
    assert_true(i >= 0);
    assert_string_equal(socket->options[i].name, "retry_attempts");
    /* The name it had before still finds it: saved streams use it. */
    assert_int_equal(connector_option_index(socket, "reconnect_retries"), i);
    assert_int_equal(connector_option_index(socket, "journal"), -1);
}

static void test_addresses_hide_credentials(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"host=127.0.0.1 port=5432 dbname=app password=s3cret user=me",
         "host=127.0.0.1 port=5432 dbname=app password=*** user=me"},
        {"http://me:s3cret@es.local:9200/x", "http://me:***@es.local:9200/x"},
        {"http://es.local:9200/a@b", "http://es.local:9200/a@b"},
        {"127.0.0.1:9092", "127.0.0.1:9092"},
        {"out/it's/", "out/it''s/"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sl_buf out;
        buf_init(&out);
        connector_address_redacted(cases[i][0], &out);
        assert_string_equal(buf_str(&out), cases[i][1]);
        buf_free(&out);
    }
}

/* The file's text from the generated-part marker on; NULL if the file or marker is missing. */
static char *read_generated_part(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char text[1 << 18]; /* the page is about 70 KiB */
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    static const char marker[] = "<!-- generated from the registry: connectors_markdown -->\n\n";
    char *at = strstr(text, marker);
    return at ? at + strlen(marker) : NULL;
}

/* docs/connectors.md ends with what connectors_markdown prints: edit the registry, then
 * paste this test's output (it prints the expected text when they differ). */
static void test_docs_match_registry(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s", __FILE__);
    char *slash = strstr(path, "tests/unit/");
    assert_non_null(slash);
    snprintf(slash, sizeof path - (size_t)(slash - path), "docs/connectors.md");
    const char *docs = read_generated_part(path);
    assert_non_null(docs);
    struct sl_buf md;
    buf_init(&md);
    connectors_markdown(&md);
    if (strcmp(docs, buf_str(&md)) != 0)
        printf("docs/connectors.md should end with:\n%s", buf_str(&md));
    assert_string_equal(docs, buf_str(&md));
    buf_free(&md);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find_any_case),
        cmocka_unit_test(test_addresses_hide_credentials),
        cmocka_unit_test(test_option_index),
        cmocka_unit_test(test_docs_match_registry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
