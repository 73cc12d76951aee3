/*
 * assert.h — SL_ASSERT(cond): an invariant the code relies on (a selection
 * vector ascending, a heap in order, a group id in range). Checked in Debug
 * builds, which `make test` runs under ASan, and whenever SLUICE_ASSERT is
 * defined (CMake defines it for the sanitizer and fuzz builds); compiled out
 * in Release. A broken invariant is a bug, not an error to return: the check
 * prints where and what, and aborts. Checks must stay cheap (O(1) per row,
 * O(n) per chunk).
 */
#ifndef SL_ASSERT_H
#define SL_ASSERT_H

#if !defined(NDEBUG) || defined(SLUICE_ASSERT)
#define SL_ASSERT(cond) ((cond) ? (void)0 : sl_assert_fail(#cond, __FILE__, __LINE__))
#else
#define SL_ASSERT(cond) ((void)0)
#endif

/* A static function that only assertions call: unused once they are compiled out. */
#define SL_ASSERT_ONLY __attribute__((unused))

/* Prints "file:line: invariant broken: expr" to stderr and aborts. */
_Noreturn void sl_assert_fail(const char *expr, const char *file, int line);

#endif
