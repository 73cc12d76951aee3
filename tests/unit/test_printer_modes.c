/* test_printer_modes.c — the shell's table printer in each .mode: the exact text
 * of a small table with a NULL, a wide (CJK, emoji) value and a multi-line value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cli/table_printer.h"
#include "cli/text_width.h"

static const char *const NAMES[] = {"id", "name", "note"};
static const char *const ROW1[] = {"1", "日本", NULL};
static const char *const ROW2[] = {"22", "a,\"b\"", "x\ny"};

/* Prints the two rows under title in mode; returns what was printed (free it). */
static char *print_table(enum table_mode mode, bool headers, const char *title)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    struct table_printer *p = table_printer_create(stdout, 20);
    assert_non_null(p);
    table_printer_set_output(p, out);
    table_printer_set_mode(p, mode);
    table_printer_set_headers(p, headers);
    table_printer_row(p, true, 3, NAMES);
    table_printer_row(p, false, 3, ROW1);
    table_printer_row(p, false, 3, ROW2);
    table_printer_flush(p, title);
    table_printer_destroy(p);
    fclose(out);
    return text;
}

static void expect_printed(enum table_mode mode, bool headers, const char *expected)
{
    char *text = print_table(mode, headers, NULL);
    assert_string_equal(text, expected);
    free(text);
}

static void test_mode_names(void **state)
{
    (void)state;
    static const char *const names[] = {"table", "box", "csv", "tsv", "json", "line", "markdown"};
    for (int m = 0; m < 7; m++) {
        enum table_mode mode;
        assert_true(table_mode_parse(names[m], &mode));
        assert_int_equal(mode, m);
        assert_string_equal(table_mode_name(mode), names[m]);
    }
    enum table_mode mode = TABLE_MODE_TABLE;
    assert_true(table_mode_parse("tabs", &mode));
    assert_int_equal(mode, TABLE_MODE_TSV);
    assert_false(table_mode_parse("html", &mode));
    assert_false(table_mode_parse("", &mode));
}

static void test_table(void **state)
{
    (void)state;
    expect_printed(TABLE_MODE_TABLE, true,
                   "+----+-------+------+\n"
                   "| id | name  | note |\n"
                   "+----+-------+------+\n"
                   "| 1  | 日本  |      |\n"
                   "| 22 | a,\"b\" | x    |\n"
                   "|    |       | y    |\n"
                   "+----+-------+------+\n"
                   "(2 rows)\n");
}

static void test_table_without_headers(void **state)
{
    (void)state;
    expect_printed(TABLE_MODE_TABLE, false,
                   "+----+-------+---+\n"
                   "| 1  | 日本  |   |\n"
                   "| 22 | a,\"b\" | x |\n"
                   "|    |       | y |\n"
                   "+----+-------+---+\n"
                   "(2 rows)\n");
}

static void test_box(void **state)
{
    (void)state;
    expect_printed(TABLE_MODE_BOX, true,
                   "┌────┬───────┬──────┐\n"
                   "│ id │ name  │ note │\n"
                   "├────┼───────┼──────┤\n"
                   "│ 1  │ 日本  │      │\n"
                   "│ 22 │ a,\"b\" │ x    │\n"
                   "│    │       │ y    │\n"
                   "└────┴───────┴──────┘\n"
                   "(2 rows)\n");
}

static void test_markdown(void **state)
{
    (void)state;
    expect_printed(TABLE_MODE_MARKDOWN, true,
                   "| id | name  | note   |\n"
                   "|----|-------|--------|\n"
                   "| 1  | 日本  |        |\n"
                   "| 22 | a,\"b\" | x<br>y |\n");
}

static void test_csv(void **state)
{
    (void)state;
    expect_printed(TABLE_MODE_CSV, true,
                   "id,name,note\n"
                   "1,日本,\n"
                   "22,\"a,\"\"b\"\"\",\"x\ny\"\n");
    expect_printed(TABLE_MODE_CSV, false, "1,日本,\n22,\"a,\"\"b\"\"\",\"x\ny\"\n");
}

static void test_tsv(void **state)
{
    (void)state;
    expect_printed(TABLE_MODE_TSV, true,
                   "id\tname\tnote\n"
                   "1\t日本\t\n"
                   "22\ta,\"b\"\tx\\ny\n");
}

static void test_json(void **state)
{
    (void)state;
    expect_printed(TABLE_MODE_JSON, true,
                   "[{\"id\":1,\"name\":\"日本\",\"note\":null},\n"
                   "{\"id\":22,\"name\":\"a,\\\"b\\\"\",\"note\":\"x\\ny\"}]\n");
}

static void test_line(void **state)
{
    (void)state;
    expect_printed(TABLE_MODE_LINE, true,
                   "   id = 1\n"
                   " name = 日本\n"
                   " note = \n"
                   "\n"
                   "   id = 22\n"
                   " name = a,\"b\"\n"
                   " note = x\n"
                   "        y\n");
}

/* A live batch keeps its title in the human modes and drops it in the data modes. */
static void test_titles(void **state)
{
    (void)state;
    char *text = print_table(TABLE_MODE_CSV, true, "batch 1");
    assert_string_equal(text, "id,name,note\n1,日本,\n22,\"a,\"\"b\"\"\",\"x\ny\"\n");
    free(text);
    text = print_table(TABLE_MODE_TABLE, true, "batch 1");
    assert_non_null(strstr(text, "\nbatch 1\n"));
    free(text);
}

static void test_empty_json_is_an_array(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    struct table_printer *p = table_printer_create(out, 0);
    table_printer_set_mode(p, TABLE_MODE_JSON);
    table_printer_row(p, true, 3, NAMES);
    table_printer_flush(p, NULL);
    table_printer_destroy(p);
    fclose(out);
    assert_string_equal(text, "[]\n");
    free(text);
}

/* Values that only look like numbers, or are not numbers to JSON, stay strings. */
static void test_json_numbers(void **state)
{
    (void)state;
    static const char *const name[] = {"v"};
    static const char *const values[] = {"-1.5e3", "007", "1.", "NaN", "0", "1e"};
    static const char *const expected = "[{\"v\":-1.5e3},\n{\"v\":\"007\"},\n{\"v\":\"1.\"},\n"
                                        "{\"v\":\"NaN\"},\n{\"v\":0},\n{\"v\":\"1e\"}]\n";
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    struct table_printer *p = table_printer_create(out, 0);
    table_printer_set_mode(p, TABLE_MODE_JSON);
    table_printer_row(p, true, 1, name);
    for (int i = 0; i < 6; i++)
        table_printer_row(p, false, 1, &values[i]);
    table_printer_flush(p, NULL);
    table_printer_destroy(p);
    fclose(out);
    assert_string_equal(text, expected);
    free(text);
}

static void test_display_width(void **state)
{
    (void)state;
    assert_int_equal(text_width("abc", 3), 3);
    assert_int_equal(text_width("日本語", strlen("日本語")), 6);
    assert_int_equal(text_width("😀", strlen("😀")), 2);
    assert_int_equal(text_width("é", strlen("é")), 1);
    assert_int_equal(text_width("e\xCC\x81", 3), 1); /* e + combining acute */
    assert_int_equal(text_width("\xFF", 1), 1);       /* malformed: one U+FFFD */
    char *text = text_printable("a\tb\r\nc\x01");
    assert_string_equal(text, "a       b\nc^A");
    free(text);
    text = text_printable("\xC3");
    assert_string_equal(text, "\xEF\xBF\xBD");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mode_names),    cmocka_unit_test(test_table),
        cmocka_unit_test(test_table_without_headers), cmocka_unit_test(test_box),
        cmocka_unit_test(test_markdown),      cmocka_unit_test(test_csv),
        cmocka_unit_test(test_tsv),           cmocka_unit_test(test_json),
        cmocka_unit_test(test_line),          cmocka_unit_test(test_titles),
        cmocka_unit_test(test_empty_json_is_an_array), cmocka_unit_test(test_json_numbers),
        cmocka_unit_test(test_display_width),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
