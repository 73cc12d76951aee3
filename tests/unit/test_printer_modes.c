/* test_printer_modes.c — the shell's table printer in each .mode: the exact text
 * of a small table with a NULL, a wide (CJK, emoji) value and a multi-line value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/table_printer.h"
#include "cli/text_width.h"

static const char *const NAMES[] = {"id", "name", "note"};
static const char *const ROW1[] = {"1", "日本", NULL};
static const char *const ROW2[] = {"22", "a,\"b\"", "x\ny"};

/* A printer in mode writing into memory. */
struct capture {
    char *text;
    size_t len;
    FILE *out;
    struct table_printer *p;
};

static void capture_open(struct capture *c, enum table_mode mode)
{
    c->text = NULL;
    c->out = open_memstream(&c->text, &c->len);
    assert_non_null(c->out);
    c->p = table_printer_create(c->out, 20);
    assert_non_null(c->p);
    table_printer_set_mode(c->p, mode);
}

/* What was printed (free it). */
static char *capture_close(struct capture *c)
{
    table_printer_destroy(c->p);
    fclose(c->out);
    return c->text;
}

/* Prints the two rows under title in mode; returns what was printed (free it). */
static char *print_table(enum table_mode mode, bool headers, const char *title)
{
    struct capture c;
    capture_open(&c, mode);
    table_printer_set_headers(c.p, headers);
    table_printer_row(c.p, true, 3, NAMES);
    table_printer_row(c.p, false, 3, ROW1);
    table_printer_row(c.p, false, 3, ROW2);
    table_printer_flush(c.p, title);
    return capture_close(&c);
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
    struct capture c;
    capture_open(&c, TABLE_MODE_JSON);
    table_printer_row(c.p, true, 3, NAMES);
    table_printer_flush(c.p, NULL);
    char *text = capture_close(&c);
    assert_string_equal(text, "[]\n");
    free(text);
}

/* Values that only look like numbers, or are not numbers to JSON, stay strings. */
static void test_json_numbers(void **state)
{
    (void)state;
    static const char *const name[] = {"v"};
    static const char *const values[] = {"-1.5e3", "007", "1.", "NaN", "0", "1e"};
    struct capture c;
    capture_open(&c, TABLE_MODE_JSON);
    table_printer_row(c.p, true, 1, name);
    for (int i = 0; i < 6; i++)
        table_printer_row(c.p, false, 1, &values[i]);
    table_printer_flush(c.p, NULL);
    char *text = capture_close(&c);
    assert_string_equal(text, "[{\"v\":-1.5e3},\n{\"v\":\"007\"},\n{\"v\":\"1.\"},\n"
                              "{\"v\":\"NaN\"},\n{\"v\":0},\n{\"v\":\"1e\"}]\n");
    free(text);
}

/* To a file or pipe, csv and json rows are out before the table ends. */
static void test_data_modes_stream(void **state)
{
    (void)state;
    struct capture c;
    capture_open(&c, TABLE_MODE_JSON);
    table_printer_row(c.p, true, 3, NAMES);
    table_printer_row(c.p, false, 3, ROW1);
    fflush(c.out);
    assert_string_equal(c.text, "[{\"id\":1,\"name\":\"日本\",\"note\":null}");
    table_printer_flush(c.p, NULL);
    char *text = capture_close(&c);
    assert_string_equal(text, "[{\"id\":1,\"name\":\"日本\",\"note\":null}]\n");
    free(text);
}

/* At a terminal the data modes are collected (a live view redraws them), with the same text. */
static void test_data_modes_at_a_terminal(void **state)
{
    (void)state;
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(master >= 0);
    assert_int_equal(grantpt(master), 0);
    assert_int_equal(unlockpt(master), 0);
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    assert_true(slave >= 0);
    struct termios raw;
    assert_int_equal(tcgetattr(slave, &raw), 0);
    raw.c_oflag &= ~(tcflag_t)OPOST; /* no \r added before \n */
    assert_int_equal(tcsetattr(slave, TCSANOW, &raw), 0);
    FILE *terminal = fdopen(slave, "w");
    struct table_printer *p = table_printer_create(terminal, 0);
    table_printer_set_mode(p, TABLE_MODE_CSV);
    table_printer_row(p, true, 3, NAMES);
    table_printer_row(p, false, 3, ROW1);
    table_printer_row(p, false, 3, ROW2);
    char buf[256];
    assert_int_equal(fcntl(master, F_SETFL, O_NONBLOCK), 0);
    assert_true(read(master, buf, sizeof buf) < 0); /* nothing yet */
    table_printer_flush(p, NULL);
    ssize_t n = read(master, buf, sizeof buf - 1);
    assert_true(n > 0);
    buf[n] = '\0';
    assert_string_equal(buf, "id,name,note\n1,日本,\n22,\"a,\"\"b\"\"\",\"x\ny\"\n");
    table_printer_destroy(p);
    fclose(terminal);
    close(master);
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
        cmocka_unit_test(test_data_modes_stream), cmocka_unit_test(test_data_modes_at_a_terminal),
        cmocka_unit_test(test_display_width),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
