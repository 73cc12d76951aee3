/*
 * repl_inputs.c — the shell's -c "SQL" and FILE.sql (`sluice --db F -c
 * '.tables' q.sql`): each is read as the shell reads piped input
 * (statements, dot-commands, exit), in command-line order, stopping after
 * the first that failed, as psql -c/-f and sqlite3 DB "SQL" do. A -c's
 * last statement may omit its ';', as in psql and sqlite3.
 */
#include "cli/repl.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Whether the text's last non-blank line is a statement lacking its ';'. */
static bool lacks_semicolon(const char *sql)
{
    size_t end = strlen(sql);
    while (end > 0 && isspace((unsigned char)sql[end - 1]))
        end--;
    if (end == 0 || sql[end - 1] == ';')
        return false;
    size_t line = end;
    while (line > 0 && sql[line - 1] != '\n')
        line--;
    while (isspace((unsigned char)sql[line]))
        line++;
    return sql[line] != '.' && sql[line] != '\\';
}

/* Runs one -c's text; false if it could not be read. */
static bool run_command_text(struct repl *r, const char *sql)
{
    size_t len = strlen(sql);
    char *text = malloc(len + 3);
    if (!text)
        return false;
    memcpy(text, sql, len);
    /* The newline ends a trailing line comment before the ';' is added. */
    strcpy(text + len, lacks_semicolon(sql) ? "\n;" : "\n");
    FILE *f = fmemopen(text, strlen(text), "r");
    if (f) {
        repl_run_file(r, f, "-c");
        fclose(f);
    }
    free(text);
    return f != NULL;
}

/* Runs one FILE.sql ("-" is stdin); false if it could not be opened. */
static bool run_script(struct repl *r, const char *path)
{
    if (strcmp(path, "-") == 0) {
        repl_run_file(r, stdin, "<stdin>");
        return true;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        fflush(stdout);
        fprintf(stderr, "sluice: cannot open %s: %s\n", path, strerror(errno));
        return false;
    }
    repl_run_file(r, f, path);
    fclose(f);
    return true;
}

void repl_run_inputs(struct repl *r, const struct repl_input *inputs, int n)
{
    for (int i = 0; i < n && r->rc == 0 && !r->quit; i++) {
        bool read = inputs[i].sql ? run_command_text(r, inputs[i].sql)
                                  : run_script(r, inputs[i].path);
        if (!read)
            r->rc = 1;
    }
}
