/*
 * fn_printf.c — printf(format, ...) and its alias format(): SQLite's own
 * printf, as the installed SQLite (3.40) renders it. Conversions: %d %i
 * (signed), %x %X %o (two's complement, unsigned), %c (first character of
 * the text, repeated `precision` times), %s %z (text), %q (text with '
 * doubled), %Q (%q in quotes, NULL as NULL), %w (text with " doubled),
 * %f %e %E %g %G (reals), %% ; flags - + space # 0 , ! ; width and
 * precision as numbers or *. Missing arguments read as NULL; numbers are
 * read from text by its numeric prefix. An unknown conversion ends the
 * output, as in SQLite. Widths and precisions of %s/%q count bytes, or
 * characters with the ! flag; %c pads by characters.
 * Also fn_format_real(), the digit generator round() and quote() share.
 */
#include <math.h>
#include <string.h>

#include "common/buf.h"
#include "engine/functions/fn_builtin.h"

/* The next significant digit of v (in [0, 10)); '0' once the *left digits SQLite keeps are out. */
static char next_digit(long double *v, int *left)
{
    if (*left <= 0)
        return '0';
    (*left)--;
    int d = (int)*v;
    *v = (*v - d) * 10.0;
    return (char)('0' + d);
}

/*
 * SQLite 3.40 adds a half unit of the last printed digit before cutting
 * the digits (so 2.675 prints as 2.68 with %.2f, though the double is
 * slightly below 2.675), plus 3e-16 of the value for %f when few digits
 * precede the point. That is what round() inherits, hence this emulation
 * rather than libc's exact conversion.
 */
size_t fn_format_real(double r, char conv, int prec, bool alt, bool bang, char sign, char *buf)
{
    static const double half[10] = {5.0e-1, 5.0e-2, 5.0e-3, 5.0e-4, 5.0e-5,
                                    5.0e-6, 5.0e-7, 5.0e-8, 5.0e-9, 5.0e-10};
    char *o = buf;
    if (prec < 0)
        prec = 6;
    if (isnan(r)) {
        memcpy(o, "NaN", 3);
        return 3;
    }
    long double v = r;
    char pre = sign;
    if (r < 0) {
        v = -v;
        pre = '-';
    }
    bool upper = conv == 'E' || conv == 'G';
    char kind = (char)(conv | 0x20);
    if (kind == 'g' && prec > 0)
        prec--;
    int idx = prec & 0xfff;
    double rounder = half[idx % 10];
    for (; idx >= 10; idx -= 10)
        rounder *= 1.0e-10;
    if (kind == 'f') {
        int ex = ilogb((double)v);
        if (v == 0 || prec + ex / 3 < 15)
            rounder += (double)v * 3e-16;
        v += rounder;
    }
    int exp = 0;
    if (v > 0) {
        long double scale = 1.0;
        while (v >= 1e100 * scale && exp <= 350)
            scale *= 1e100, exp += 100;
        while (v >= 1e10 * scale && exp <= 350)
            scale *= 1e10, exp += 10;
        while (v >= 10.0 * scale && exp <= 350)
            scale *= 10.0, exp++;
        v /= scale;
        while (v < 1e-8)
            v *= 1e8, exp -= 8;
        while (v < 1.0)
            v *= 10.0, exp--;
        if (exp > 350) {
            if (pre)
                *o++ = pre;
            memcpy(o, "Inf", 3);
            return (size_t)(o + 3 - buf);
        }
    }
    if (kind != 'f') {
        v += rounder;
        if (v >= 10.0)
            v *= 0.1, exp++;
    }
    bool rtz = bang;
    if (kind == 'g') {
        rtz = !alt;
        if (exp < -4 || exp > prec) {
            kind = 'e';
        } else {
            prec -= exp;
            kind = 'f';
        }
    }
    int e2 = kind == 'e' ? 0 : exp;
    int left = 16 + (bang ? 10 : 0);
    bool dp = prec > 0 || alt || bang;
    if (pre)
        *o++ = pre;
    if (e2 < 0)
        *o++ = '0';
    for (; e2 >= 0; e2--)
        *o++ = next_digit(&v, &left);
    if (dp)
        *o++ = '.';
    for (e2++; e2 < 0 && prec > 0; prec--, e2++)
        *o++ = '0';
    while (prec-- > 0)
        *o++ = next_digit(&v, &left);
    if (rtz && dp) {
        while (o[-1] == '0')
            o--;
        if (o[-1] == '.') {
            if (bang)
                *o++ = '0';
            else
                o--;
        }
    }
    if (kind == 'e') {
        *o++ = upper ? 'E' : 'e';
        *o++ = exp < 0 ? '-' : '+';
        if (exp < 0)
            exp = -exp;
        if (exp >= 100) {
            *o++ = (char)('0' + exp / 100);
            exp %= 100;
        }
        *o++ = (char)('0' + exp / 10);
        *o++ = (char)('0' + exp % 10);
    }
    return (size_t)(o - buf);
}

/* Largest width or precision honoured (SQLite caps them too), so buffers stay bounded. */
#define PF_MAX_FIELD 100000

struct pf_spec {
    bool left, plus, space, alt, zero, comma, bang;
    int width;
    int prec; /* -1: none */
    char conv;
};

/* The arguments after the format, consumed left to right; past the end they read as NULL. */
struct pf_args {
    const struct sl_value *v;
    int n, next;
};

static struct sl_value pf_next(struct pf_args *a)
{
    return a->next < a->n ? a->v[a->next++] : sl_null();
}

/* Appends n copies of c. */
static void pad(struct sl_buf *b, char c, size_t n)
{
    while (n--)
        buf_putc(b, c);
}

static size_t utf8_chars(const char *p, size_t len)
{
    size_t n = 0;
    for (size_t j = 0; j < len; j++)
        n += ((unsigned char)p[j] & 0xC0) != 0x80;
    return n;
}

/* Bytes of the first `chars` characters of p[0..len), as SQLite steps through them. */
static size_t utf8_prefix(const char *p, size_t len, size_t chars)
{
    const char *q = p, *end = p + len;
    for (; q < end && chars > 0; chars--)
        q = fn_utf8_next(q, end);
    return (size_t)(q - p);
}

/* Appends s padded to the spec's width; `units` is s's width in the spec's counting. */
static void put_field(struct sl_buf *b, const struct pf_spec *sp, const char *s, size_t len,
                      size_t units)
{
    size_t w = sp->width > 0 && (size_t)sp->width > units ? (size_t)sp->width - units : 0;
    if (!sp->left)
        pad(b, ' ', w);
    buf_append(b, s, len);
    if (sp->left)
        pad(b, ' ', w);
}

static void put_integer(struct sl_buf *b, const struct pf_spec *sp, struct sl_value arg)
{
    int64_t i = fn_int_of(arg);
    char digits[160], *end = digits + sizeof digits, *p = end;
    unsigned base = sp->conv == 'o' ? 8 : sp->conv == 'x' || sp->conv == 'X' ? 16 : 10;
    const char *set = sp->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    char sign = 0;
    uint64_t u = (uint64_t)i;
    if (base == 10) {
        if (i < 0) {
            sign = '-';
            u = 0 - u;
        } else {
            sign = sp->plus ? '+' : sp->space ? ' ' : 0;
        }
    }
    int prec = sp->prec;
    /* The 0 flag pads with zeros as a precision would. */
    if (sp->zero && !sp->left && sp->width - (sign != 0) > prec)
        prec = sp->width - (sign != 0);
    if (prec > 100)
        prec = 100;
    int n = 0;
    do {
        *--p = set[u % base];
        u /= base;
        n++;
    } while (u);
    while (n < prec)
        *--p = '0', n++;
    if (sp->comma && base == 10) {
        char grouped[160], *g = grouped + sizeof grouped;
        for (int k = 0; k < n; k++) {
            if (k && k % 3 == 0)
                *--g = ',';
            *--g = end[-1 - k];
        }
        size_t glen = (size_t)(grouped + sizeof grouped - g);
        p = end - glen;
        memcpy(p, g, glen);
    }
    /* # adds no prefix to zero: printf('%#x', 0) is '0'. */
    if (sp->alt && i != 0 && base == 8 && *p != '0')
        *--p = '0';
    if (sp->alt && i != 0 && base == 16) {
        *--p = sp->conv;
        *--p = '0';
    }
    if (sign)
        *--p = sign;
    put_field(b, sp, p, (size_t)(end - p), (size_t)(end - p));
}

static bool put_real(struct sl_buf *b, const struct pf_spec *sp, struct sl_value arg,
                     struct sl_arena *arena)
{
    char *tmp = arena_alloc(arena, FN_REAL_TEXT_MAX + (size_t)(sp->prec > 0 ? sp->prec : 0));
    if (!tmp)
        return false;
    char sign = sp->plus ? '+' : sp->space ? ' ' : 0;
    size_t len = fn_format_real(fn_real_of(arg), sp->conv, sp->prec, sp->alt, sp->bang, sign, tmp);
    size_t w = sp->width > 0 && (size_t)sp->width > len ? (size_t)sp->width - len : 0;
    if (sp->zero && !sp->left && w) {
        size_t s = tmp[0] == '-' || tmp[0] == '+' || tmp[0] == ' ';
        buf_append(b, tmp, s);
        pad(b, '0', w);
        buf_append(b, tmp + s, len - s);
        return true;
    }
    put_field(b, sp, tmp, len, len);
    return true;
}

/* %s %z %q %Q %w: text arguments; NULL prints as '' (%s), (NULL) (%q) or NULL (%Q). */
static bool put_text(struct sl_buf *b, const struct pf_spec *sp, struct sl_value arg,
                     struct sl_arena *arena)
{
    struct sl_str s = {"", 0};
    char c = sp->conv;
    if (arg.type == SL_NULL) {
        const char *t = c == 'Q' ? "NULL" : c == 'q' || c == 'w' ? "(NULL)" : "";
        s.ptr = t;
        s.len = (uint32_t)strlen(t);
        c = 's';
    } else if (sqlval_text(arg, arena, &s) != SL_OK) {
        return false;
    }
    s = sqlval_c_str(s); /* SQLite reads its text arguments as C strings */
    size_t len = s.len;
    if (sp->prec >= 0)
        len = sp->bang ? utf8_prefix(s.ptr, s.len, (size_t)sp->prec)
                       : (size_t)sp->prec < len ? (size_t)sp->prec : len;
    if (c == 's' || c == 'z') {
        put_field(b, sp, s.ptr, len, sp->bang ? utf8_chars(s.ptr, len) : len);
        return true;
    }
    char quote = c == 'w' ? '"' : '\'';
    size_t quotes = 0;
    for (size_t j = 0; j < len; j++)
        quotes += s.ptr[j] == quote;
    size_t olen = len + quotes + (c == 'Q' ? 2 : 0);
    char *o = arena_alloc(arena, olen), *q = o;
    if (!o)
        return false;
    if (c == 'Q')
        *q++ = '\'';
    for (size_t j = 0; j < len; j++) {
        *q++ = s.ptr[j];
        if (s.ptr[j] == quote)
            *q++ = quote;
    }
    if (c == 'Q')
        *q++ = '\'';
    put_field(b, sp, o, olen, sp->bang ? utf8_chars(o, olen) : olen);
    return true;
}

/* %c: the first character of the text (a byte >= 0xC0 and at most 3 continuation bytes, as
 * SQLite takes it), `precision` times; of NULL or '', a NUL byte. */
static bool put_char(struct sl_buf *b, const struct pf_spec *sp, struct sl_value arg,
                     struct sl_arena *arena)
{
    struct sl_str s = {"", 0};
    if (arg.type != SL_NULL && sqlval_text(arg, arena, &s) != SL_OK)
        return false;
    const char *c = s.len ? s.ptr : "";
    size_t clen = 1;
    if ((unsigned char)c[0] >= 0xC0)
        while (clen < 4 && clen < s.len && ((unsigned char)c[clen] & 0xC0) == 0x80)
            clen++;
    size_t times = sp->prec > 1 ? (size_t)sp->prec : 1;
    size_t w = sp->width > 0 && (size_t)sp->width > times ? (size_t)sp->width - times : 0;
    if (!sp->left)
        pad(b, ' ', w);
    for (size_t k = 0; k < times; k++)
        buf_append(b, c, clen);
    if (sp->left)
        pad(b, ' ', w);
    return true;
}

/* Reads a width or precision: digits, or * taking the next argument (its absolute value;
 * *negative says it was negative). */
static int pf_number(const char **f, const char *end, struct pf_args *args, bool *negative)
{
    *negative = false;
    if (*f < end && **f == '*') {
        (*f)++;
        int64_t v = fn_int_of(pf_next(args));
        *negative = v < 0;
        v = v < 0 ? -(v < -PF_MAX_FIELD ? PF_MAX_FIELD : v) : v;
        return (int)(v > PF_MAX_FIELD ? PF_MAX_FIELD : v);
    }
    int v = 0;
    while (*f < end && **f >= '0' && **f <= '9') {
        v = v * 10 + (**f - '0');
        if (v > PF_MAX_FIELD)
            v = PF_MAX_FIELD;
        (*f)++;
    }
    return v;
}

/* Renders one row's printf into b; false when out of memory. */
static bool pf_render(struct sl_buf *b, struct sl_str fmt, struct pf_args *args,
                      struct sl_arena *arena)
{
    if (fmt.len == 0) /* its pointer may be NULL: no arithmetic on it */
        return true;
    const char *f = fmt.ptr, *end = fmt.ptr + fmt.len;
    while (f < end) {
        const char *pct = memchr(f, '%', (size_t)(end - f));
        if (!pct) {
            buf_append(b, f, (size_t)(end - f));
            break;
        }
        buf_append(b, f, (size_t)(pct - f));
        f = pct + 1;
        struct pf_spec sp = {.prec = -1};
        for (; f < end; f++) {
            if (*f == '-')
                sp.left = true;
            else if (*f == '+')
                sp.plus = true;
            else if (*f == ' ')
                sp.space = true;
            else if (*f == '#')
                sp.alt = true;
            else if (*f == '0')
                sp.zero = true;
            else if (*f == ',')
                sp.comma = true;
            else if (*f == '!')
                sp.bang = true;
            else
                break;
        }
        bool neg;
        sp.width = pf_number(&f, end, args, &neg);
        sp.left |= neg; /* a negative * width left-justifies, as in C */
        if (f < end && *f == '.') {
            f++;
            sp.prec = pf_number(&f, end, args, &neg); /* SQLite takes a negative * as positive */
        }
        while (f < end && *f == 'l')
            f++;
        if (f >= end)
            return true;
        sp.conv = *f++;
        bool ok = true;
        switch (sp.conv) {
        case '%': buf_putc(b, '%'); break;
        case 'd':
        case 'i':
        case 'x':
        case 'X':
        case 'o': put_integer(b, &sp, pf_next(args)); break;
        case 'f':
        case 'e':
        case 'E':
        case 'g':
        case 'G': ok = put_real(b, &sp, pf_next(args), arena); break;
        case 's':
        case 'z':
        case 'q':
        case 'Q':
        case 'w': ok = put_text(b, &sp, pf_next(args), arena); break;
        case 'c': ok = put_char(b, &sp, pf_next(args), arena); break;
        default: return true; /* SQLite stops at an unknown conversion */
        }
        if (!ok)
            return false;
    }
    return true;
}

static bool printf_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result,
                         char *why, size_t why_len)
{
    *result = SL_TEXT;
    return fn_no_arrays(arg_types, nargs, "printf", why, why_len);
}

/* One growable buffer serves every row of the chunk; each row's text is then copied into the
 * arena, so memory is allocated per chunk, not per row. */
static sl_status printf_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                             struct sl_vector *out, struct sl_error *err)
{
    struct sl_value argv[FN_MAX_ARGS];
    if (nargs > FN_MAX_ARGS)
        return sl_error_set(err, SL_ERROR, "printf() takes at most %d arguments", FN_MAX_ARGS);
    struct sl_buf b;
    buf_init(&b);
    const uint32_t *sel = rowsel_of(rows);
    uint32_t n = chunk_active(rows);
    bool ok = true;
    for (uint32_t k = 0; k < n && ok; k++) {
        uint32_t i = sel[k];
        for (int a = 0; a < nargs; a++)
            argv[a] = args[a].type != SL_ANY && args[a].nulls[i] ? sl_null()
                                                                 : vector_get(&args[a], i);
        struct sl_str fmt;
        if (argv[0].type == SL_NULL) {
            ok = sqlval_store(out, i, sl_null(), rows->arena) == SL_OK;
            continue;
        }
        if (sqlval_text(argv[0], rows->arena, &fmt) != SL_OK) {
            ok = false;
            break;
        }
        struct pf_args pa = {argv + 1, nargs - 1, 0};
        buf_clear(&b);
        ok = pf_render(&b, sqlval_c_str(fmt), &pa, rows->arena) && !b.failed;
        char *text = ok ? arena_memdup(rows->arena, buf_str(&b), b.len ? b.len : 1) : NULL;
        ok = text && sqlval_store(out, i, fn_text_value(text, b.len), rows->arena) == SL_OK;
    }
    buf_free(&b);
    return ok ? SL_OK : sl_error_set(err, SL_NOMEM, "out of memory in printf()");
}

const struct sl_scalar_fn fn_printf = {"printf", 1, -1, printf_infer, printf_eval};
const struct sl_scalar_fn fn_format = {"format", 1, -1, printf_infer, printf_eval};
