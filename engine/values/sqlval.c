/* sqlval.c — SQLite value semantics for one value at a time (see sqlval.h). */
#include "engine/values/sqlval.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hash.h"
#include "common/time.h"

/* Rank of a value's storage class in SQLite's cross-class order. */
static int class_rank(enum sl_type t)
{
    switch (t) {
    case SL_NULL: return 0;
    case SL_BOOL:
    case SL_INT:
    case SL_REAL:
    case SL_TIMESTAMP: return 1;
    case SL_TEXT: return 2;
    case SL_ARRAY:
    case SL_ANY: return 3;
    }
    return 3;
}

int sqlval_cmp_int_real(int64_t i, double r)
{
    if (isnan(r))
        return 1;
    if (r < -9223372036854775808.0)
        return 1;
    if (r >= 9223372036854775808.0)
        return -1;
    /* trunc(r) is exactly representable as int64 here, so compare the
     * integral parts as integers and let the fraction break a tie. */
    double t = trunc(r);
    int64_t ti = (int64_t)t;
    if (i != ti)
        return i < ti ? -1 : 1;
    return r > t ? -1 : r < t ? 1 : 0;
}

int sqlval_cmp_text(struct sl_str a, struct sl_str b)
{
    uint32_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c)
        return c < 0 ? -1 : 1;
    return a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
}

static int64_t as_int(struct sl_value v)
{
    return v.type == SL_BOOL ? (int64_t)v.u.b : v.u.i;
}

int sqlval_compare(struct sl_value a, struct sl_value b)
{
    int ra = class_rank(a.type), rb = class_rank(b.type);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    switch (ra) {
    case 0: return 0;
    case 1:
        if (a.type == SL_REAL && b.type == SL_REAL)
            return a.u.r < b.u.r ? -1 : a.u.r > b.u.r ? 1 : 0;
        if (a.type == SL_REAL)
            return -sqlval_cmp_int_real(as_int(b), a.u.r);
        if (b.type == SL_REAL)
            return sqlval_cmp_int_real(as_int(a), b.u.r);
        return as_int(a) < as_int(b) ? -1 : as_int(a) > as_int(b) ? 1 : 0;
    case 2: return sqlval_cmp_text(a.u.s, b.u.s);
    default: return a.u.a < b.u.a ? -1 : a.u.a > b.u.a ? 1 : 0;
    }
}

/* Length of the decimal number at the start of s ([sign] digits [. digits]
 * [e [sign] digits]); *is_int says whether it has neither '.' nor exponent. */
static size_t number_prefix(const char *s, size_t len, bool *is_int)
{
    size_t i = 0, digits = 0;
    *is_int = true;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (i < len && s[i] == '.') {
        size_t j = i + 1;
        while (j < len && s[j] >= '0' && s[j] <= '9')
            j++, digits++;
        *is_int = false;
        i = j;
    }
    if (digits == 0)
        return 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < len && (s[j] == '+' || s[j] == '-'))
            j++;
        if (j < len && s[j] >= '0' && s[j] <= '9') {
            while (j < len && s[j] >= '0' && s[j] <= '9')
                j++;
            *is_int = false;
            i = j;
        }
    }
    return i;
}

static bool is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static struct sl_value text_numeric(struct sl_str s)
{
    struct sl_value out = {.type = SL_INT};
    const char *p = s.ptr;
    size_t len = s.len;
    while (len && is_space(*p)) /* \v and \f too, as SQLite's sqlite3Isspace() */
        p++, len--;
    bool is_int;
    size_t n = number_prefix(p, len, &is_int);
    char buf[128];
    if (n == 0)
        return out;
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, p, n);
    buf[n] = '\0';
    if (is_int) {
        char *end;
        errno = 0;
        long long v = strtoll(buf, &end, 10);
        if (errno == 0) {
            out.u.i = v;
            return out;
        }
    }
    out.type = SL_REAL;
    out.u.r = strtod(buf, NULL);
    return out;
}

int sqlval_text_number(struct sl_str s, struct sl_arena *arena, struct sl_value *out)
{
    const char *p = s.ptr;
    size_t len = s.len;
    while (len && is_space(*p))
        p++, len--;
    while (len && is_space(p[len - 1]))
        len--;
    bool is_int;
    size_t n = number_prefix(p, len, &is_int);
    if (n == 0 || n != len)
        return 0;
    /* strtoll/strtod need a terminated copy; a number this long is rare. */
    char small[64];
    char *buf = n < sizeof small ? small : arena_alloc(arena, n + 1);
    if (!buf)
        return -1;
    memcpy(buf, p, n);
    buf[n] = '\0';
    struct sl_value v = {.type = SL_INT};
    errno = 0;
    long long i = is_int ? strtoll(buf, NULL, 10) : 0;
    if (is_int && errno == 0) {
        v.u.i = i;
    } else {
        v.type = SL_REAL;
        v.u.r = strtod(buf, NULL);
    }
    *out = v;
    return 1;
}

struct sl_value sqlval_numeric(struct sl_value v)
{
    struct sl_value out = {.type = SL_INT};
    switch (v.type) {
    case SL_BOOL: out.u.i = v.u.b; return out;
    case SL_INT:
    case SL_TIMESTAMP: out.u.i = v.u.i; return out;
    case SL_REAL: return v;
    case SL_TEXT: return text_numeric(v.u.s);
    case SL_NULL:
    case SL_ARRAY:
    case SL_ANY: break;
    }
    return sl_null();
}

int64_t sqlval_text_to_int(struct sl_str s)
{
    uint32_t i = 0;
    while (i < s.len && (s.ptr[i] == ' ' || (s.ptr[i] >= '\t' && s.ptr[i] <= '\r')))
        i++;
    bool neg = false;
    if (i < s.len && (s.ptr[i] == '-' || s.ptr[i] == '+'))
        neg = s.ptr[i++] == '-';
    uint64_t v = 0;
    bool over = false;
    for (; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++) {
        uint64_t d = (uint64_t)(s.ptr[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            over = true;
        else
            v = v * 10 + d;
    }
    if (neg)
        return over || v > (uint64_t)INT64_MAX + 1 ? INT64_MIN : (int64_t)(0 - v);
    return over || v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

int64_t sqlval_real_to_int(double r)
{
    if (isnan(r))
        return 0;
    if (r <= -9223372036854775808.0)
        return INT64_MIN;
    if (r >= 9223372036854775807.0)
        return INT64_MAX;
    return (int64_t)r;
}

int sqlval_truth(struct sl_value v)
{
    struct sl_value n = sqlval_numeric(v);
    if (n.type == SL_NULL)
        return -1;
    return n.type == SL_REAL ? n.u.r != 0.0 : n.u.i != 0;
}

static struct sl_value make_real(double r)
{
    struct sl_value v = {.type = SL_REAL, .u.r = r};
    /* SQLite turns a NaN result (inf - inf) into NULL. */
    return isnan(r) ? sl_null() : v;
}

static struct sl_value arith_real(enum ast_op op, double a, double b)
{
    switch (op) {
    case AST_OP_ADD: return make_real(a + b);
    case AST_OP_SUB: return make_real(a - b);
    case AST_OP_MUL: return make_real(a * b);
    case AST_OP_DIV: return b == 0.0 ? sl_null() : make_real(a / b);
    default: break;
    }
    return sl_null();
}

struct sl_value sqlval_arith(enum ast_op op, struct sl_value a, struct sl_value b)
{
    struct sl_value x = sqlval_numeric(a), y = sqlval_numeric(b);
    if (x.type == SL_NULL || y.type == SL_NULL)
        return sl_null();
    if (op == AST_OP_MOD) {
        /* SQLite's % works on the integer values (text read as CAST AS
         * INTEGER does: '1e3' is 1); a REAL operand makes a REAL result. */
        int64_t i = a.type == SL_TEXT ? sqlval_text_to_int(a.u.s)
                    : x.type == SL_REAL ? sqlval_real_to_int(x.u.r) : x.u.i;
        int64_t j = b.type == SL_TEXT ? sqlval_text_to_int(b.u.s)
                    : y.type == SL_REAL ? sqlval_real_to_int(y.u.r) : y.u.i;
        if (j == 0)
            return sl_null();
        int64_t m = j == -1 ? 0 : i % j;
        if (x.type == SL_REAL || y.type == SL_REAL)
            return make_real((double)m);
        struct sl_value v = {.type = SL_INT, .u.i = m};
        return v;
    }
    if (x.type == SL_INT && y.type == SL_INT) {
        struct sl_value v = {.type = SL_INT};
        bool overflow;
        switch (op) {
        case AST_OP_ADD: overflow = __builtin_add_overflow(x.u.i, y.u.i, &v.u.i); break;
        case AST_OP_SUB: overflow = __builtin_sub_overflow(x.u.i, y.u.i, &v.u.i); break;
        case AST_OP_MUL: overflow = __builtin_mul_overflow(x.u.i, y.u.i, &v.u.i); break;
        case AST_OP_DIV:
            if (y.u.i == 0)
                return sl_null();
            overflow = x.u.i == INT64_MIN && y.u.i == -1;
            if (!overflow)
                v.u.i = x.u.i / y.u.i;
            break;
        default: return sl_null();
        }
        if (!overflow)
            return v;
    }
    double r1 = x.type == SL_REAL ? x.u.r : (double)x.u.i;
    double r2 = y.type == SL_REAL ? y.u.r : (double)y.u.i;
    return arith_real(op, r1, r2);
}

size_t sqlval_format_int(int64_t i, char *buf)
{
    return (size_t)snprintf(buf, SQLVAL_NUM_TEXT_MAX, "%lld", (long long)i);
}

size_t sqlval_format_real(double r, char *buf)
{
    if (isinf(r)) {
        strcpy(buf, r > 0 ? "Inf" : "-Inf");
        return strlen(buf);
    }
    if (isnan(r)) {
        strcpy(buf, "NaN");
        return 3;
    }
    if (r == 0.0)
        r = 0.0; /* SQLite prints -0.0 as 0.0 */
    int n = snprintf(buf, SQLVAL_NUM_TEXT_MAX - 2, "%.15g", r);
    char *e = memchr(buf, 'e', (size_t)n);
    if (memchr(buf, '.', (size_t)n))
        return (size_t)n;
    /* The '!' flag of SQLite's printf: a real always shows a decimal point. */
    size_t at = e ? (size_t)(e - buf) : (size_t)n;
    memmove(buf + at + 2, buf + at, (size_t)n - at + 1);
    buf[at] = '.';
    buf[at + 1] = '0';
    return (size_t)n + 2;
}

static sl_status array_text(const struct sl_array *a, struct sl_arena *arena, struct sl_str *out)
{
    size_t total = 2;
    for (uint32_t i = 0; i < a->count; i++) {
        struct sl_str s = {"NULL", 4};
        if (a->items[i].type != SL_NULL && sqlval_text(a->items[i], arena, &s) != SL_OK)
            return SL_NOMEM;
        total += s.len + (i ? 2 : 0);
    }
    char *p = arena_alloc(arena, total);
    if (!p)
        return SL_NOMEM;
    size_t at = 0;
    p[at++] = '[';
    for (uint32_t i = 0; i < a->count; i++) {
        struct sl_str s = {"NULL", 4};
        if (a->items[i].type != SL_NULL && sqlval_text(a->items[i], arena, &s) != SL_OK)
            return SL_NOMEM;
        if (i) {
            memcpy(p + at, ", ", 2);
            at += 2;
        }
        memcpy(p + at, s.ptr, s.len);
        at += s.len;
    }
    p[at++] = ']';
    out->ptr = p;
    out->len = (uint32_t)at;
    return SL_OK;
}

sl_status sqlval_text(struct sl_value v, struct sl_arena *arena, struct sl_str *out)
{
    char buf[SQLVAL_NUM_TEXT_MAX];
    size_t n;
    switch (v.type) {
    case SL_TEXT: *out = v.u.s; return SL_OK;
    case SL_ARRAY: return array_text(v.u.a, arena, out);
    case SL_BOOL: n = sqlval_format_int(v.u.b, buf); break;
    case SL_INT: n = sqlval_format_int(v.u.i, buf); break;
    case SL_REAL: n = sqlval_format_real(v.u.r, buf); break;
    case SL_TIMESTAMP:
        sl_ts_format(v.u.i, buf);
        n = strlen(buf);
        break;
    case SL_NULL:
    case SL_ANY:
    default: n = 0; break;
    }
    char *p = arena_memdup(arena, buf, n ? n : 1);
    if (!p)
        return SL_NOMEM;
    out->ptr = p;
    out->len = (uint32_t)n;
    return SL_OK;
}

sl_status sqlval_store(struct sl_vector *out, uint32_t row, struct sl_value v,
                       struct sl_arena *arena)
{
    enum sl_type t = out->type;
    if (v.type == SL_NULL || t == SL_ANY || v.type == t) {
        vector_set(out, row, v);
        return SL_OK;
    }
    struct sl_value c = sl_null();
    switch (t) {
    case SL_BOOL: {
        int truth = sqlval_truth(v);
        if (truth >= 0) {
            c.type = SL_BOOL;
            c.u.b = truth;
        }
        break;
    }
    case SL_INT:
    case SL_TIMESTAMP: {
        struct sl_value n = sqlval_numeric(v);
        if (n.type == SL_INT) {
            c = n;
        } else if (n.type == SL_REAL && n.u.r >= -9223372036854775808.0 &&
                   n.u.r < 9223372036854775808.0 && n.u.r == trunc(n.u.r)) {
            c.type = SL_INT;
            c.u.i = (int64_t)n.u.r;
        }
        c.type = c.type == SL_NULL ? SL_NULL : t;
        break;
    }
    case SL_REAL: {
        struct sl_value n = sqlval_numeric(v);
        if (n.type != SL_NULL) {
            c.type = SL_REAL;
            c.u.r = n.type == SL_REAL ? n.u.r : (double)n.u.i;
        }
        break;
    }
    case SL_TEXT:
        if (v.type != SL_ARRAY) {
            if (sqlval_text(v, arena, &c.u.s) != SL_OK)
                return SL_NOMEM;
            c.type = SL_TEXT;
        }
        break;
    case SL_NULL:
    case SL_ARRAY:
    case SL_ANY: break;
    }
    vector_set(out, row, c);
    return SL_OK;
}

uint64_t sqlval_hash(struct sl_value v)
{
    switch (v.type) {
    case SL_NULL: return SQLVAL_NULL_HASH;
    case SL_BOOL: return sl_hash_u64((uint64_t)v.u.b, SQLVAL_SEED);
    case SL_INT:
    case SL_TIMESTAMP: return sl_hash_u64((uint64_t)v.u.i, SQLVAL_SEED);
    case SL_REAL: {
        double r = v.u.r;
        if (r >= -9223372036854775808.0 && r < 9223372036854775808.0 && r == trunc(r))
            return sl_hash_u64((uint64_t)(int64_t)r, SQLVAL_SEED);
        uint64_t bits;
        memcpy(&bits, &r, sizeof bits);
        return sl_hash_u64(bits, SQLVAL_SEED);
    }
    case SL_TEXT: return sl_hash_bytes(v.u.s.ptr, v.u.s.len, SQLVAL_SEED);
    case SL_ARRAY:
    case SL_ANY: break;
    }
    return sl_hash_u64((uint64_t)(uintptr_t)v.u.a, SQLVAL_SEED);
}
