/*
 * standalone.c — a program that embeds the engine the way an outsider would:
 * it includes sluice.h and nothing else (so the header must stand alone) and
 * links libsluice.so (so what it calls must be exported). It answers a SELECT,
 * reports an error with its caret, checks a statement, and says which step
 * failed through its exit code, having no stdio to print with.
 */
#include <sluice.h>

enum failure { PASSED, OPEN, ANSWER, ROWS, ERROR_TEXT, CHECK, COMPLETE };

struct answer {
    int headers;
    int rows;
    bool saw_two;
};

static bool contains(const char *text, const char *part)
{
    for (; *text; text++) {
        int i = 0;
        while (part[i] && text[i] == part[i])
            i++;
        if (!part[i])
            return true;
    }
    return false;
}

static void on_row(void *ctx, bool is_header, int ncols, const char *const *values)
{
    struct answer *a = ctx;
    if (is_header) {
        a->headers++;
        return;
    }
    a->rows++;
    a->saw_two = ncols == 1 && values[0] && values[0][0] == '2' && !values[0][1];
}

static enum failure run(const char *db_path)
{
    struct sluice_options opts = {.db_path = db_path};
    struct sluice *s;
    char *errors;
    if (sluice_open(&opts, &s, &errors) != SLUICE_OK) {
        sluice_free(errors);
        return OPEN;
    }
    enum failure failed = PASSED;
    struct answer a = {0};
    struct sluice_output out = {.row = on_row, .ctx = &a};
    if (sluice_exec(s, "embed.sql", "SELECT 1 + 1 AS two;", &out, &errors) != SLUICE_OK || errors)
        failed = ANSWER;
    else if (a.headers != 1 || a.rows != 1 || !a.saw_two)
        failed = ROWS;
    sluice_free(errors);
    if (!failed) {
        sluice_status st = sluice_exec(s, "embed.sql", "SELECT 1 +;", &out, &errors);
        if (st != SLUICE_ERROR || !errors || !contains(errors, "embed.sql:1:") ||
            !contains(errors, "^"))
            failed = ERROR_TEXT;
        sluice_free(errors);
    }
    if (!failed && (sluice_check(s, "embed.sql", "SELECT 1;", &errors) != SLUICE_OK || errors))
        failed = CHECK;
    if (!failed && (!sluice_statement_complete("SELECT ';';") ||
                    sluice_statement_complete("SELECT ';'") || sluice_running_queries(s) != 0))
        failed = COMPLETE;
    sluice_close(s);
    return failed;
}

int main(int argc, char **argv)
{
    return argc == 2 ? (int)run(argv[1]) : 100;
}
