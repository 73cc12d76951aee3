/* test_common_assert.c — a broken SL_ASSERT says where and what on stderr and aborts (in a
 * child process); a kept one does nothing. Checked in every build: the test turns them on. */
#ifndef SLUICE_ASSERT
#define SLUICE_ASSERT 1
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/assert.h"

static void test_kept_invariant_passes(void **state)
{
    (void)state;
    int rows = 3;
    SL_ASSERT(rows > 0);
}

static void test_broken_invariant_aborts(void **state)
{
    (void)state;
    int err_pipe[2];
    assert_int_equal(pipe(err_pipe), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(err_pipe[1], STDERR_FILENO);
        signal(SIGABRT, SIG_DFL); /* the abort itself, not a handler the harness may keep */
        int rows = 0;
        SL_ASSERT(rows > 0);
        _exit(0);
    }
    close(err_pipe[1]);
    char text[256] = "";
    ssize_t n = read(err_pipe[0], text, sizeof text - 1);
    close(err_pipe[0]);
    text[n > 0 ? n : 0] = '\0';
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    assert_non_null(strstr(text, "test_common_assert.c:"));
    assert_non_null(strstr(text, ": invariant broken: rows > 0\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kept_invariant_passes),
        cmocka_unit_test(test_broken_invariant_aborts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
