/*
 * topn_store.h — the top-N operator's state (engine/ops/op_topn.c): its
 * partitions and their kept rows, in hash tables, with what the flush writes
 * to the checkpoint (engine/ops/topn_store.c). Private to the two files.
 */
#ifndef SL_TOPN_STORE_H
#define SL_TOPN_STORE_H

#include "engine/ops/group_table.h"
#include "engine/ops/ops.h"
#include "engine/ops/state_delta.h"

struct topn_part;

/* A kept row: one allocation, its values then their text. */
struct topn_row {
    struct topn_part *part;
    struct topn_row *id_next; /* the identity table's chain (changelog) */
    uint64_t id_hash;
    int64_t seq;           /* arrival number: the tie-break over appended rows */
    uint32_t index;        /* in part->rows */
    uint32_t emitted_rank; /* the rank it has in the result table; 0: none */
    bool changed;          /* its values changed since they were emitted */
    bool stored;           /* has a state row */
    struct sl_value vals[];
};

struct topn_part {
    struct topn_part *next; /* the partition table's chain */
    struct topn_part *dirty_next;
    uint64_t hash;
    struct sl_value *keys; /* npartition values, text copied (one allocation with them) */
    struct topn_row **rows;
    uint32_t nrows, cap;
    struct topn_row **gone; /* removed rows whose DELETE is still to be emitted */
    uint32_t ngone, capgone;
    uint32_t emitted_count; /* POSITION: the ranks 1..emitted_count are in the table */
    bool dirty;             /* changed since the last flush: listed in `dirty` */
    bool sorted;
    /* Its rows' emitted ranks are known; false after a restore until it is
     * sorted (part_settle): a checkpoint holds its rows, not their ranks. */
    bool settled;
    bool had_state;         /* a row of it has (or had) a state row */
};

/* A chained hash table of pointers whose first field is the chain link. */
struct topn_table {
    void **buckets;
    uint32_t nbuckets, count;
};

struct topn_op {
    struct sl_op base;
    struct sl_topn_def def;
    bool *desc;
    uint32_t *identity_cols;
    struct sl_time_state *time;
    uint32_t nin;
    enum sl_type *in_types;
    struct topn_table parts;
    struct topn_table ids; /* changelog: rows by identity */
    struct topn_part *dirty;
    int64_t next_seq;
    bool seq_changed;
    uint64_t nrows, bytes; /* kept, for stats */
    /* State ranges to drop at the flush, each [u32 length][u8 0: a row's key,
     * 1: a partition's prefix][the key]. */
    struct sl_buf dropped;
    uint32_t *ranks;       /* flush scratch */
    uint32_t cap_ranks;
    struct sl_chunk *out;  /* the chunk being filled by a flush */
    struct topn_row *probe; /* an input row's values, read before it is kept */
};

/* The identity table's chain link in a row, for topn_table_grow. */
#define TOPN_ROW_LINK_OFF offsetof(struct topn_row, id_next)

/* Doubles a table's buckets (link_off: 0 for partitions, TOPN_ROW_LINK_OFF for rows). */
bool topn_table_grow(struct topn_table *t, size_t link_off);
/* The values' hash as the partition and identity tables take it (group_hash_mix
 * of sqlval_hash each): op_topn.c hashes a chunk's rows column by column alike. */
uint64_t topn_hash_values(const struct sl_value *v, const uint32_t *cols, uint32_t n);

/* Rows. topn_row_for: a new row of partition p with vals (text copied), room
 * made for it in p->rows (not put there); NULL when out of memory. */
struct topn_row *topn_row_for(struct topn_op *t, struct topn_part *p, const struct sl_value *vals);
void topn_row_free(struct topn_op *t, struct topn_row *r);
/* The ORDER BY comparison (ties not broken), and the rank order (ties broken, ops.h). */
int topn_order_cmp(const struct topn_op *t, const struct topn_row *a, const struct topn_row *b);
int topn_rank_cmp(const struct topn_op *t, const struct topn_row *a, const struct topn_row *b);
/* The row with vals' identity (changelog), or NULL; and r put in the identity
 * table under hash h (false when out of memory). */
struct topn_row *topn_id_find(const struct topn_op *t, uint64_t h, const struct sl_value *vals);
bool topn_id_insert(struct topn_op *t, struct topn_row *r, uint64_t h);

/* Partitions. */
struct topn_part *topn_part_find(struct topn_op *t, uint64_t h, const struct sl_value *keys);
struct topn_part *topn_part_new(struct topn_op *t, uint64_t h, const struct sl_value *keys);
void topn_mark_dirty(struct topn_op *t, struct topn_part *p);
/* Takes the row at index i out of p (order kept when sorted): to p's `gone`
 * when the table has it, else freed; its state row is noted to drop. False
 * when out of memory. */
bool topn_part_remove(struct topn_op *t, struct topn_part *p, uint32_t i);
/* Takes p out of the partition table and frees it; its state rows are noted to drop. */
bool topn_part_drop(struct topn_op *t, struct topn_part *p);
void topn_part_sort(struct topn_op *t, struct topn_part *p);
/* Room in t->ranks for n rows' ranks. */
bool topn_ranks_fit(struct topn_op *t, uint32_t n);
/* The ranks of a sorted partition's rows into t->ranks; returns how many are within N. */
uint32_t topn_part_ranks(struct topn_op *t, const struct topn_part *p);
/* A restored partition made usable: sorted, and its rows' emitted ranks
 * known again (the table holds its top, as the flush that wrote it left it). */
bool topn_part_settle(struct topn_op *t, struct topn_part *p);
/* Whether the watermark closed partition p's window; dropping every such partition. */
bool topn_part_closed(const struct topn_op *t, const struct topn_part *p);
bool topn_drop_closed(struct topn_op *t);

/* The checkpoint: row r's state row into op->delta, and the noted drops
 * with the arrival counter (false when out of memory). */
bool topn_record_row(struct topn_op *t, const struct topn_row *r);
bool topn_record_state(struct topn_op *t);

#endif
