/*
 * expr_like.c — LIKE and GLOB as SQLite defines them. LIKE: '%' any run of
 * characters, '_' one character, case-insensitive for ASCII letters only
 * ('É' does not match 'é'), an optional ESCAPE character. GLOB: '*', '?',
 * '[...]' classes with ranges and '^', case-sensitive. Characters are UTF-8
 * code points; operands that are not text are matched by their text form.
 */
#include "engine/expr/expr_kernels.h"

#include "engine/values/sqlval.h"

/* Decodes the code point at s[*i] and advances *i; a byte that does not start
 * a valid sequence counts as one character of its own value. */
static uint32_t next_char(const char *s, uint32_t n, uint32_t *i)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c = u[*i], len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (len == 1 || *i + len > n) {
        (*i)++;
        return c;
    }
    uint32_t cp = c & (0x3F >> (len - 1));
    for (uint32_t k = 1; k < len; k++) {
        if ((u[*i + k] & 0xC0) != 0x80) {
            (*i)++;
            return c;
        }
        cp = (cp << 6) | (u[*i + k] & 0x3F);
    }
    *i += len;
    return cp;
}

static uint32_t fold(uint32_t c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/*
 * One pattern element starting at pat[*pi]: a star, or a matcher of exactly
 * one character. Because every non-star element takes exactly one
 * character, remembering only the last star and retrying it one character
 * further is a complete search (no exponential backtracking).
 */
enum elem { ELEM_STAR, ELEM_ONE, ELEM_ANY, ELEM_CLASS, ELEM_END };

struct matcher {
    const char *pat;
    uint32_t pn;
    bool glob;
    int32_t esc; /* LIKE's escape character, -1 if none */
};

static enum elem read_elem(const struct matcher *m, uint32_t *pi, uint32_t *lit,
                           uint32_t *class_start)
{
    if (*pi >= m->pn)
        return ELEM_END;
    uint32_t c = next_char(m->pat, m->pn, pi);
    if (!m->glob) {
        if (m->esc >= 0 && c == (uint32_t)m->esc) {
            /* An escape at the very end matches nothing (SQLite does the same). */
            if (*pi >= m->pn)
                return ELEM_CLASS;
            *lit = next_char(m->pat, m->pn, pi);
            return ELEM_ONE;
        }
        if (c == '%')
            return ELEM_STAR;
        if (c == '_')
            return ELEM_ANY;
        *lit = c;
        return ELEM_ONE;
    }
    if (c == '*')
        return ELEM_STAR;
    if (c == '?')
        return ELEM_ANY;
    if (c == '[') {
        *class_start = *pi;
        /* Skip to the closing ']': a ']' first (after an optional '^') is a member. */
        uint32_t j = *pi;
        if (j < m->pn && m->pat[j] == '^')
            j++;
        if (j < m->pn && m->pat[j] == ']')
            j++;
        while (j < m->pn && m->pat[j] != ']')
            j++;
        *pi = j < m->pn ? j + 1 : m->pn;
        /* An unterminated class matches nothing. */
        if (j >= m->pn)
            *class_start = UINT32_MAX;
        return ELEM_CLASS;
    }
    *lit = c;
    return ELEM_ONE;
}

/* Whether c is in the class whose text starts after '[' at pat[at]. */
static bool class_has(const struct matcher *m, uint32_t at, uint32_t c)
{
    if (at == UINT32_MAX)
        return false;
    uint32_t i = at;
    bool negate = false, found = false;
    if (i < m->pn && m->pat[i] == '^') {
        negate = true;
        i++;
    }
    if (i < m->pn && m->pat[i] == ']') {
        found = c == ']';
        i++;
    }
    while (i < m->pn && m->pat[i] != ']') {
        uint32_t lo = next_char(m->pat, m->pn, &i);
        if (i + 1 < m->pn && m->pat[i] == '-' && m->pat[i + 1] != ']') {
            i++;
            uint32_t hi = next_char(m->pat, m->pn, &i);
            found = found || (c >= lo && c <= hi);
        } else {
            found = found || c == lo;
        }
    }
    return found != negate;
}

static bool match(const struct matcher *m, const char *s, uint32_t sn)
{
    uint32_t pi = 0, si = 0;
    uint32_t star_pi = UINT32_MAX, star_si = 0;
    while (si < sn) {
        uint32_t at = pi, lit = 0, cls = 0;
        enum elem e = read_elem(m, &at, &lit, &cls);
        if (e == ELEM_STAR) {
            star_pi = pi = at;
            star_si = si;
            continue;
        }
        uint32_t next = si;
        uint32_t c = next_char(s, sn, &next);
        bool ok = e == ELEM_ANY ||
                  (e == ELEM_ONE && (m->glob ? c == lit : fold(c) == fold(lit))) ||
                  (e == ELEM_CLASS && m->glob && class_has(m, cls, c));
        if (ok) {
            pi = at;
            si = next;
            continue;
        }
        if (star_pi == UINT32_MAX)
            return false;
        next_char(s, sn, &star_si);
        si = star_si;
        pi = star_pi;
    }
    for (;;) {
        uint32_t lit, cls;
        enum elem e = read_elem(m, &pi, &lit, &cls);
        if (e == ELEM_END)
            return true;
        if (e != ELEM_STAR)
            return false;
    }
}

bool expr_like_match(const char *pat, uint32_t pn, const char *s, uint32_t sn, int32_t esc)
{
    struct matcher m = {pat, pn, false, esc};
    return match(&m, s, sn);
}

bool expr_glob_match(const char *pat, uint32_t pn, const char *s, uint32_t sn)
{
    struct matcher m = {pat, pn, true, -1};
    return match(&m, s, sn);
}

/* The escape character of row i: -1 if none, -2 when the row's result is NULL
 * (a NULL escape, or one that is not exactly one character). */
static int32_t escape_of(const struct sl_vector *esc, uint32_t i, struct sl_arena *arena,
                         bool *nomem)
{
    if (!esc)
        return -1;
    struct sl_value v = vector_get(esc, i);
    struct sl_str t;
    if (v.type == SL_NULL)
        return -2;
    if (sqlval_text(v, arena, &t) != SL_OK) {
        *nomem = true;
        return -2;
    }
    uint32_t at = 0;
    t = sqlval_c_str(t);
    if (t.len == 0)
        return -2;
    uint32_t c = next_char(t.ptr, t.len, &at);
    return at == t.len ? (int32_t)c : -2;
}

sl_status expr_like(enum ast_op op, const struct sl_vector *x, const struct sl_vector *pattern,
                    const struct sl_vector *esc, bool negated, const struct expr_ctx *cx,
                    struct sl_vector *out)
{
    uint8_t *tri = arena_alloc(cx->arena, SL_CHUNK_CAP);
    if (!tri)
        return SL_NOMEM;
    bool nomem = false;
    for (uint32_t k = 0; k < cx->n; k++) {
        uint32_t i = cx->rows[k];
        struct sl_value a = vector_get(x, i), p = vector_get(pattern, i);
        int32_t e = escape_of(esc, i, cx->arena, &nomem);
        struct sl_str s, ps;
        if (a.type == SL_NULL || p.type == SL_NULL || e == -2) {
            tri[i] = 2;
            continue;
        }
        if (sqlval_text(a, cx->arena, &s) != SL_OK || sqlval_text(p, cx->arena, &ps) != SL_OK)
            return SL_NOMEM;
        s = sqlval_c_str(s); /* SQLite matches both as C strings */
        ps = sqlval_c_str(ps);
        bool m = op == AST_OP_GLOB ? expr_glob_match(ps.ptr, ps.len, s.ptr, s.len)
                                   : expr_like_match(ps.ptr, ps.len, s.ptr, s.len, e);
        tri[i] = m != negated;
    }
    if (nomem)
        return SL_NOMEM;
    return expr_store_tri(tri, cx, out);
}
