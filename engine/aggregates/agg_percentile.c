/*
 * agg_percentile.c — approx_percentile(x, p): the value at rank p (a
 * constant in [0, 1], checked by the binder) among the group's non-NULL
 * numbers, as a REAL, estimated with a merging t-digest (Dunning and Ertl,
 * "Computing extremely accurate quantiles using t-digests"), compression
 * TD_DELTA. The unit test holds the rank error within 1% (measured: about
 * 0.1% near the median, less at the tails).
 *
 * The digest is a list of centroids (mean, weight): a sorted, merged prefix
 * and new points appended after it. When the list is full, it is sorted and
 * merged so that a centroid spans at most one unit of the scale function
 * k(q) = TD_DELTA / (2 pi) asin(2q - 1): small at the tails, where ranks
 * need precision, and about pi / (2 TD_DELTA) of the weight at the median.
 * That leaves at most TD_DELTA + 2 centroids, so a digest holds at most
 * TD_CAP entries (the list grows to that in the keep arena, doubling).
 * combine appends src's centroids to dst: the same merging, so a digest of
 * slices is as accurate as a digest of their rows, though not identical.
 * The value at p interpolates between the centroids' centres (the minimum
 * and maximum are kept exactly for the ends).
 *
 * Encoding: the number of entries (4 bytes, 0 before any value, at most
 * TD_CAP), then merged (4 bytes), min and max (doubles) and each entry's
 * mean and weight (doubles). p is the plan's, given again; the total is
 * recomputed. Weights are finite and positive, nothing is NaN, the merged
 * prefix is sorted and min <= max.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/aggregates/agg_builtin.h"
#include "engine/aggregates/agg_codec.h"
#include "engine/values/sqlval.h"

#define TD_DELTA 100.0
#define TD_PI 3.14159265358979323846
#define TD_CAP 512u /* centroids after a merge (<= TD_DELTA + 2) plus new points */

struct centroid {
    double mean, weight;
};

struct digest {
    uint32_t n, cap; /* entries used, allocated */
    uint32_t merged; /* entries [0, merged) are sorted, merged centroids */
    double total;    /* weight of all entries */
    double min, max;
    struct centroid c[];
};

struct agg_pct_state {
    double p;
    struct digest *d; /* NULL: no value yet */
};

static bool pct_infer(enum sl_type arg, enum sl_type *result, char *why, size_t why_len)
{
    if (!agg_numeric_arg(arg)) {
        agg_type_error(why, why_len, "approx_percentile", "a number", arg);
        return false;
    }
    *result = SL_REAL;
    return true;
}

static size_t pct_state_size(enum sl_type arg)
{
    (void)arg;
    return sizeof(struct agg_pct_state);
}

static void pct_init(void *state, enum sl_type arg, double param)
{
    (void)arg;
    *(struct agg_pct_state *)state = (struct agg_pct_state){.p = param};
}

static int centroid_cmp(const void *a, const void *b)
{
    double x = ((const struct centroid *)a)->mean, y = ((const struct centroid *)b)->mean;
    return (x > y) - (x < y);
}

/* The quantile at which a centroid starting at quantile q must end: one unit of k further. */
static double td_limit(double q)
{
    double k = TD_DELTA / (2 * TD_PI) * asin(2 * q - 1) + 1;
    return k >= TD_DELTA / 4 ? 1 : (sin(k * 2 * TD_PI / TD_DELTA) + 1) / 2;
}

/* Sorts and merges all entries into centroids. */
static void td_compress(struct digest *d)
{
    if (d->merged == d->n)
        return;
    qsort(d->c, d->n, sizeof d->c[0], centroid_cmp);
    uint32_t out = 0;
    double before = 0; /* weight of the centroids already closed */
    double limit = td_limit(0);
    struct centroid cur = d->c[0];
    for (uint32_t i = 1; i < d->n; i++) {
        /* An infinite mean merges only with its equal: the update would make inf - inf, a
         * NaN that breaks the sort's order (and no restored digest holds one). */
        bool mergeable =
            cur.mean == d->c[i].mean || (isfinite(cur.mean) && isfinite(d->c[i].mean));
        if (mergeable && (before + cur.weight + d->c[i].weight) / d->total <= limit) {
            cur.weight += d->c[i].weight;
            if (cur.mean != d->c[i].mean)
                cur.mean += (d->c[i].mean - cur.mean) * d->c[i].weight / cur.weight;
        } else {
            d->c[out++] = cur;
            before += cur.weight;
            limit = td_limit(before / d->total);
            cur = d->c[i];
        }
    }
    d->c[out++] = cur;
    d->n = d->merged = out;
}

/* Appends a centroid, growing the digest in keep or merging it when full; SL_NOMEM when it
 * could not grow. */
static sl_status td_add(struct agg_pct_state *s, double mean, double weight,
                        struct sl_arena *keep)
{
    struct digest *d = s->d;
    if (!d || (d->n == d->cap && d->cap < TD_CAP)) {
        uint32_t cap = d ? 2 * d->cap : 16;
        struct digest *grown = arena_alloc(keep, sizeof *grown + cap * sizeof grown->c[0]);
        if (!grown)
            return SL_NOMEM;
        if (d)
            memcpy(grown, d, sizeof *d + d->n * sizeof d->c[0]);
        else
            *grown = (struct digest){.min = mean, .max = mean};
        grown->cap = cap;
        s->d = d = grown;
    }
    if (d->n == d->cap)
        td_compress(d);
    d->c[d->n++] = (struct centroid){mean, weight};
    d->total += weight;
    if (mean < d->min)
        d->min = mean;
    if (mean > d->max)
        d->max = mean;
    return SL_OK;
}

static sl_status pct_step(void **states, const struct sl_vector *arg,
                          const struct sl_vector *time, const uint32_t *rows, uint32_t n,
                          struct sl_arena *keep)
{
    (void)time;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = rows[k];
        if (arg->nulls[i])
            continue;
        double x;
        if (arg->type == SL_INT) {
            x = (double)arg->data.i[i];
        } else if (arg->type == SL_REAL) {
            x = arg->data.r[i];
        } else {
            struct sl_value v = sqlval_numeric(vector_get(arg, i));
            if (v.type == SL_NULL)
                continue;
            x = v.type == SL_INT ? (double)v.u.i : v.u.r;
        }
        if (!isnan(x) && td_add(states[k], x, 1, keep) != SL_OK)
            return SL_NOMEM;
    }
    return SL_OK;
}

static sl_status pct_combine(void *dst, const void *src, enum sl_type arg, struct sl_arena *keep)
{
    (void)arg;
    struct agg_pct_state *d = dst;
    const struct digest *s = ((const struct agg_pct_state *)src)->d;
    if (!s)
        return SL_OK;
    for (uint32_t i = 0; i < s->n; i++) {
        if (td_add(d, s->c[i].mean, s->c[i].weight, keep) != SL_OK)
            return SL_NOMEM;
    }
    if (!d->d)
        return SL_OK;
    /* The ends are exact values even when src's extremes sit inside centroids. */
    if (s->min < d->d->min)
        d->d->min = s->min;
    if (s->max > d->d->max)
        d->d->max = s->max;
    return SL_OK;
}

/* The value at rank p * total: each centroid's weight is centred on its mean, and ranks between
 * two centres interpolate linearly; before the first and after the last, towards min and max. */
static double td_quantile(const struct digest *d, double p)
{
    double t = p * d->total, at = 0; /* at: rank of centroid i's centre */
    if (d->n == 1 || t <= d->c[0].weight / 2) {
        double half = d->c[0].weight / 2;
        return half > 0 && t < half ? d->min + (d->c[0].mean - d->min) * t / half : d->c[0].mean;
    }
    at = d->c[0].weight / 2;
    for (uint32_t i = 0; i + 1 < d->n; i++) {
        double next = at + (d->c[i].weight + d->c[i + 1].weight) / 2;
        if (t <= next)
            return d->c[i].mean + (d->c[i + 1].mean - d->c[i].mean) * (t - at) / (next - at);
        at = next;
    }
    const struct centroid *last = &d->c[d->n - 1];
    double rest = d->total - at;
    return rest > 0 ? last->mean + (d->max - last->mean) * (t - at) / rest : d->max;
}

static sl_status pct_final(const void *state, enum sl_type arg, struct sl_arena *out,
                           struct sl_value *result)
{
    (void)arg;
    const struct agg_pct_state *s = state;
    *result = sl_null();
    if (!s->d)
        return SL_OK;
    /* final does not change the state: the merge runs on a copy. */
    size_t bytes = sizeof *s->d + s->d->n * sizeof s->d->c[0];
    struct digest *d = arena_memdup(out, s->d, bytes);
    if (!d)
        return SL_NOMEM;
    td_compress(d);
    double x = s->p <= 0 ? d->min : s->p >= 1 ? d->max : td_quantile(d, s->p);
    *result = (struct sl_value){.type = SL_REAL, .u.r = x};
    return SL_OK;
}

static void pct_serialize(const void *state, enum sl_type arg, struct sl_buf *out)
{
    (void)arg;
    const struct digest *d = ((const struct agg_pct_state *)state)->d;
    codec_put_u32(out, d ? d->n : 0);
    if (!d || !d->n)
        return;
    codec_put_u32(out, d->merged);
    codec_put_f64(out, d->min);
    codec_put_f64(out, d->max);
    for (uint32_t i = 0; i < d->n; i++) {
        codec_put_f64(out, d->c[i].mean);
        codec_put_f64(out, d->c[i].weight);
    }
}

/* Reads the digest after its entry count n (at least 1) into a digest allocated in keep;
 * NULL when malformed or out of memory. */
static struct digest *read_digest(struct codec_reader *r, uint32_t n, struct sl_arena *keep)
{
    if (n > TD_CAP || codec_left(r) < 20 + (size_t)n * 16)
        return NULL;
    uint32_t cap = 16;
    while (cap < n)
        cap *= 2;
    struct digest *d = arena_alloc(keep, sizeof *d + cap * sizeof d->c[0]);
    if (!d)
        return NULL;
    *d = (struct digest){.n = n, .cap = cap, .merged = codec_get_u32(r)};
    d->min = codec_get_f64(r);
    d->max = codec_get_f64(r);
    bool ok = d->merged <= n && d->min <= d->max; /* false for a NaN too */
    for (uint32_t i = 0; i < n; i++) {
        d->c[i].mean = codec_get_f64(r);
        d->c[i].weight = codec_get_f64(r);
        d->total += d->c[i].weight;
        ok = ok && !isnan(d->c[i].mean) && d->c[i].weight > 0 && isfinite(d->c[i].weight) &&
             (i == 0 || i >= d->merged || d->c[i - 1].mean <= d->c[i].mean);
    }
    return ok && isfinite(d->total) ? d : NULL;
}

static bool pct_deserialize(void *state, enum sl_type arg, double param, const unsigned char *p,
                            size_t len, struct sl_arena *keep)
{
    struct agg_pct_state *s = state;
    pct_init(s, arg, param);
    struct codec_reader r;
    codec_reader_init(&r, p, len);
    uint32_t n = codec_get_u32(&r);
    struct digest *d = n ? read_digest(&r, n, keep) : NULL;
    if (!codec_done(&r) || (n && !d))
        return false;
    s->d = d;
    return true;
}

const struct sl_agg_fn agg_approx_percentile = {
    .name = "approx_percentile",
    .has_param = true,
    .infer = pct_infer,
    .state_size = pct_state_size,
    .init = pct_init,
    .step = pct_step,
    .combine = pct_combine,
    .final = pct_final,
    .serialize = pct_serialize,
    .deserialize = pct_deserialize,
};
