/* test_connectors_file.c — the FILE source over a directory of real files:
 * a glob in name order, .gz files, the checkpoint's identity and a resume
 * from it, truncation and rotation while following. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "common/alloc.h"
#include "common/log.h"
#include "connectors/source.h"

struct dir {
    char path[64];
    char pattern[96];
};

static int make_dir(void **state)
{
    struct dir *d = calloc(1, sizeof *d);
    snprintf(d->path, sizeof d->path, "/tmp/sluice_file_XXXXXX");
    assert_non_null(mkdtemp(d->path));
    snprintf(d->pattern, sizeof d->pattern, "%s/*.log*", d->path);
    *state = d;
    return 0;
}

static int remove_dir(void **state)
{
    struct dir *d = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", d->path);
    assert_int_equal(system(cmd), 0);
    free(d);
    return 0;
}

static void put(const struct dir *d, const char *name, const char *text, const char *mode)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", d->path, name);
    FILE *f = fopen(path, mode);
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void put_gz(const struct dir *d, const char *name, const char *text)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", d->path, name);
    gzFile gz = gzopen(path, "wb");
    assert_non_null(gz);
    assert_int_equal(gzputs(gz, text), (int)strlen(text));
    gzclose(gz);
}

static void move(const struct dir *d, const char *from, const char *to)
{
    char a[160], b[160];
    snprintf(a, sizeof a, "%s/%s", d->path, from);
    snprintf(b, sizeof b, "%s/%s", d->path, to);
    assert_int_equal(rename(a, b), 0);
}

/* The log lines a source wrote, one after the other. */
static char logged[4096];
static void keep_log(enum sl_log_level level, const char *msg, void *ctx)
{
    (void)level;
    (void)ctx;
    size_t len = strlen(logged);
    snprintf(logged + len, sizeof logged - len, "%s\n", msg);
}
static const struct sl_log test_log = {.fn = keep_log, .min_level = SL_LOG_DEBUG};

static struct sl_source *open_file(const char *pattern, bool follow)
{
    struct sl_source_spec spec = {.connector = connector_find("FILE", false), .address = pattern};
    int i = connector_option_index(spec.connector, "follow");
    spec.options[i] = (struct sl_option_value){.set = true, .num = follow};
    i = connector_option_index(spec.connector, "rotate_wait");
    spec.options[i] = (struct sl_option_value){.set = true, .num = 1000};
    /* Files are looked at often, so nothing waits on inotify (which may be missing). */
    i = connector_option_index(spec.connector, "poll_interval");
    spec.options[i] = (struct sl_option_value){.set = true, .num = 20000};
    struct sl_source *s = NULL;
    struct sl_error err;
    if (source_open(&spec, &s, &err) != SL_OK)
        fail_msg("source_open: %s", err.msg);
    source_set_log(s, &test_log);
    return s;
}

/* Reads what the source hands out until EOF, or (following) until it has
 * nothing more within 100 ms; at most want bytes if want > 0. */
static void read_text(struct sl_source *s, char *out, size_t cap, size_t want)
{
    size_t len = 0;
    struct sl_error err;
    for (;;) {
        size_t n = 0, room = cap - 1 - len;
        if (want && want - len < room)
            room = want - len;
        if (!room)
            break;
        sl_status st = source_read(s, out + len, room, &n, 100, &err);
        if (st == SL_EOF || st == SL_AGAIN)
            break;
        if (st == SL_ERROR)
            fail_msg("source_read: %s", err.msg);
        len += n;
    }
    out[len] = '\0';
}

/* A glob reads its files in name order (strcmp), .gz ones uncompressed; a
 * file whose last line has no '\n' gets one before the next file. */
static void test_glob_in_name_order(void **state)
{
    struct dir *d = *state;
    put(d, "b.log", "b1\nb2\n", "w");
    put(d, "a.log", "a1\na2", "w");
    put_gz(d, "c.log.gz", "c1\nc2\n");
    put(d, "B.log", "B1\n", "w");
    put(d, "skip.txt", "never\n", "w");
    struct sl_source *s = open_file(d->pattern, false);
    char text[256];
    read_text(s, text, sizeof text, 0);
    assert_string_equal(text, "B1\na1\na2\nb1\nb2\nc1\nc2\n");
    assert_int_equal(source_offset(s), strlen(text));
    assert_string_equal(source_state(s), "reading file 4 of 4");
    source_close(s);
}

static void test_glob_matches_nothing(void **state)
{
    struct dir *d = *state;
    struct sl_source_spec spec = {.connector = connector_find("FILE", false),
                                  .address = d->pattern};
    struct sl_source *s = NULL;
    struct sl_error err;
    assert_int_equal(source_open(&spec, &s, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "no file matches"));
}

/* A .gz file is read whole, however it is cut by the reader's buffer. */
static void test_gz_read(void **state)
{
    struct dir *d = *state;
    char *text = sl_malloc(200001);
    for (int i = 0; i < 200000; i++)
        text[i] = i % 50 == 49 ? '\n' : (char)('a' + i % 26);
    text[200000] = '\0';
    put_gz(d, "x.log.gz", text);
    struct sl_source *s = open_file(d->pattern, false);
    char *got = sl_malloc(200001);
    read_text(s, got, 200001, 0);
    assert_string_equal(got, text);
    uint64_t size;
    assert_true(source_size(s, &size));
    assert_int_equal(size, 200000);
    source_close(s);
    sl_free(got);
    sl_free(text);
}

/* Reads `upto` bytes of pattern, then its identity there (the checkpoint). */
static void checkpoint_at(const char *pattern, bool follow, size_t upto, struct sl_buf *identity)
{
    struct sl_source *s = open_file(pattern, follow);
    char text[256];
    read_text(s, text, sizeof text, upto);
    assert_int_equal(source_offset(s), upto);
    buf_init(identity);
    struct sl_error err;
    assert_int_equal(source_identity(s, upto, identity, &err), SL_OK);
    source_close(s);
}

/* Opens pattern again, seeks to the checkpoint and reads what comes. */
static sl_status resume_text(const char *pattern, bool follow, uint64_t offset,
                             const char *identity, char *text, size_t cap, struct sl_error *err)
{
    struct sl_source *s = open_file(pattern, follow);
    sl_status st = source_seek(s, offset, identity, err);
    text[0] = '\0';
    if (st == SL_OK)
        read_text(s, text, cap, 0);
    source_close(s);
    return st;
}

/* A resume that must succeed and read want. */
static void expect_resume(const char *pattern, bool follow, uint64_t offset, const char *identity,
                          const char *want)
{
    char text[256];
    struct sl_error err;
    if (resume_text(pattern, follow, offset, identity, text, sizeof text, &err) != SL_OK)
        fail_msg("resume: %s", err.msg);
    assert_string_equal(text, want);
}

/* The identity says how far each file was read; a resume continues exactly
 * there, past the files finished, with the lines written since. */
static void test_position_roundtrip(void **state)
{
    struct dir *d = *state;
    put(d, "1.log", "one\n", "w");
    put_gz(d, "2.log.gz", "two\n");
    put(d, "3.log", "three\nfour\n", "w");
    struct sl_buf id;
    checkpoint_at(d->pattern, false, 14, &id); /* "one\ntwo\nthree\n" */
    assert_non_null(strstr(buf_str(&id), " f "));
    assert_non_null(strstr(buf_str(&id), "/1.log\n"));
    put(d, "3.log", "five\n", "a");
    put(d, "4.log", "six\n", "w");
    char text[256];
    struct sl_error err;
    expect_resume(d->pattern, false, 14, buf_str(&id), "four\nfive\nsix\n");
    buf_free(&id);

    /* A checkpoint before the last bytes handed out (a line the decoder had not finished). */
    struct sl_source *s = open_file(d->pattern, false);
    read_text(s, text, sizeof text, 0);
    buf_init(&id);
    assert_int_equal(source_identity(s, 19, &id, &err), SL_OK); /* after "four\n" */
    source_close(s);
    expect_resume(d->pattern, false, 19, buf_str(&id), "five\nsix\n");
    buf_free(&id);

    assert_int_equal(resume_text(d->pattern, false, 3, "file x", text, sizeof text, &err),
                     SL_ERROR);
    assert_non_null(strstr(err.msg, "does not say which file it read"));
    assert_int_equal(resume_text(d->pattern, false, 3, "files 2\nfile 1 0 0:0 - x\n", text,
                                 sizeof text, &err),
                     SL_ERROR);
    assert_non_null(strstr(err.msg, "does not say which file it read"));
    /* Every file gone (rotated away, read and forgotten): the new ones from their start. */
    expect_resume(d->pattern, true, 3, "files 0\n", "one\ntwo\nthree\nfour\nfive\nsix\n");
}

/* A resume past a file's first 4 KiB, at the end of a line, is not in the
 * middle of one: another file's lines come next. */
static void test_position_past_head(void **state)
{
    struct dir *d = *state;
    char *big = sl_malloc(10001);
    for (int i = 0; i < 1000; i++)
        snprintf(big + i * 10, 11, "line %04d\n", i);
    put(d, "big.log", big, "w");
    struct sl_buf id;
    struct sl_source *s = open_file(d->pattern, true);
    char *text = sl_malloc(10001);
    read_text(s, text, 10001, 0);
    assert_string_equal(text, big);
    buf_init(&id);
    struct sl_error err;
    assert_int_equal(source_identity(s, 10000, &id, &err), SL_OK);
    source_close(s);
    put(d, "other.log", "x\n", "w");
    expect_resume(d->pattern, true, 10000, buf_str(&id), "x\n");
    buf_free(&id);
    sl_free(text);
    sl_free(big);
}

/* A path with a '%' and a space survives the identity's escaping. */
static void test_position_escapes_names(void **state)
{
    struct dir *d = *state;
    put(d, "a b%.log", "x\ny\n", "w");
    struct sl_buf id;
    checkpoint_at(d->pattern, false, 2, &id);
    assert_non_null(strstr(buf_str(&id), "a%20b%25.log"));
    expect_resume(d->pattern, false, 2, buf_str(&id), "y\n");
    buf_free(&id);
}

/* The identity of a one-file stream before globs ("inode=N head=L:H") still resumes. */
static void test_position_old_identity(void **state)
{
    struct dir *d = *state;
    put(d, "old.log", "line one\nline two\n", "w");
    char path[160], id[128];
    snprintf(path, sizeof path, "%s/old.log", d->path);
    struct sl_buf now;
    checkpoint_at(path, false, 9, &now);
    unsigned long long ino;
    char hash[17];
    assert_int_equal(sscanf(buf_str(&now), "files 1\nfile %llu 9 9:%16s", &ino, hash), 2);
    snprintf(id, sizeof id, "inode=%llu head=9:%s", ino, hash);
    expect_resume(path, false, 9, id, "line two\n");
    buf_free(&now);
}

/* A checkpoint's inode now belongs to another file (a deleted file's inode
 * reused): that file is not taken for the one read; following, the lost
 * file is reported. */
static void test_position_inode_reused(void **state)
{
    struct dir *d = *state;
    put(d, "gone.log", "abc\ndef\n", "w");
    struct sl_buf id;
    checkpoint_at(d->pattern, false, 4, &id);
    char path[160];
    snprintf(path, sizeof path, "%s/gone.log", d->path);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    move(d, "gone.log", "other.txt"); /* same inode, not matched, begins otherwise: */
    put(d, "other.txt", "xyz\n", "w");
    put(d, "new.log", "n\n", "w");
    char text[64];
    struct sl_error err;
    assert_int_equal(resume_text(d->pattern, false, 4, buf_str(&id), text, sizeof text, &err),
                     SL_ERROR);
    assert_non_null(strstr(err.msg, "gone.log': No such file or directory"));
    logged[0] = '\0';
    expect_resume(d->pattern, true, 4, buf_str(&id), "n\n");
    assert_non_null(strstr(logged, "gone.log (inode "));
    assert_non_null(strstr(logged, "read up to byte 4, is gone"));
    buf_free(&id);
}

/* Following: a file truncated (copytruncate) is read again from its start, with one warning. */
static void test_truncation_while_following(void **state)
{
    struct dir *d = *state;
    put(d, "t.log", "first\nsecond\n", "w");
    struct sl_source *s = open_file(d->pattern, true);
    char text[256];
    logged[0] = '\0';
    read_text(s, text, sizeof text, 0);
    assert_string_equal(text, "first\nsecond\n");
    put(d, "t.log", "new\n", "w");
    read_text(s, text, sizeof text, 0);
    assert_string_equal(text, "new\n");
    /* Truncated and written past its old length before it was looked at: its head tells. */
    put(d, "t.log", "other first\nand more\n", "w");
    read_text(s, text, sizeof text, 0);
    assert_string_equal(text, "other first\nand more\n");
    assert_non_null(strstr(logged, "t.log was truncated (13 bytes of it had been read, it has 4)"));
    assert_non_null(strstr(logged, "t.log was truncated (4 bytes of it had been read, it has 21)"));
    source_close(s);
}

/* Without follow, a resume onto a truncated or replaced file is refused, as before globs. */
static void test_truncation_on_resume(void **state)
{
    struct dir *d = *state;
    put(d, "r.log", "line one\nline two\n", "w");
    struct sl_buf id;
    checkpoint_at(d->pattern, false, 9, &id);
    char text[64];
    struct sl_error err;
    put(d, "r.log", "line", "w");
    assert_int_equal(resume_text(d->pattern, false, 9, buf_str(&id), text, sizeof text, &err),
                     SL_ERROR);
    assert_non_null(strstr(err.msg, "r.log was truncated: it has 4 bytes, and 9 had been read"));
    put(d, "r.log", "LINE ONE\nline two\n", "w");
    assert_int_equal(resume_text(d->pattern, false, 9, buf_str(&id), text, sizeof text, &err),
                     SL_ERROR);
    assert_non_null(strstr(err.msg, "r.log was replaced: its first 9 bytes are not the ones"));
    /* Following, the same file is read again from its start, with a warning. */
    logged[0] = '\0';
    expect_resume(d->pattern, true, 9, buf_str(&id), "LINE ONE\nline two\n");
    assert_non_null(strstr(logged, "r.log was replaced while the query was stopped"));
    buf_free(&id);
}

/* Following: a rotated file is read to its end before the one at its name;
 * a line not finished yet waits; a new file is picked up. */
static void test_rotation_while_following(void **state)
{
    struct dir *d = *state;
    snprintf(d->pattern, sizeof d->pattern, "%s/*.log", d->path);
    put(d, "app.log", "1\n2\n", "w");
    struct sl_source *s = open_file(d->pattern, true);
    char text[256];
    logged[0] = '\0';
    read_text(s, text, sizeof text, 0);
    assert_string_equal(text, "1\n2\n");
    put(d, "app.log", "3\n4", "a");
    move(d, "app.log", "app.log.1");
    put(d, "app.log", "5\n", "w");
    put(d, "app.log.1", "\n", "a");
    read_text(s, text, sizeof text, 0);
    assert_string_equal(text, "3\n4\n5\n");
    put(d, "app.log", "6", "a");
    read_text(s, text, sizeof text, 0);
    assert_string_equal(text, "");
    put(d, "app.log", "\n", "a");
    put(d, "z.log", "7\n", "w");
    read_text(s, text, sizeof text, 0);
    assert_string_equal(text, "6\n7\n");
    assert_non_null(strstr(logged, "app.log was rotated to "));
    assert_non_null(strstr(logged, "new file "));
    assert_string_equal(source_state(s), "following 2 files");
    source_close(s);
}

/* A pattern whose directory has a wildcard is not watched: new files and
 * new lines are found by polling. */
static void test_follow_by_polling(void **state)
{
    struct dir *d = *state;
    char sub[160];
    snprintf(sub, sizeof sub, "%s/sub1", d->path);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(d->pattern, sizeof d->pattern, "%s/sub*/*.log", d->path);
    struct sl_source *s = open_file(d->pattern, true);
    char text[64];
    read_text(s, text, sizeof text, 0);
    assert_string_equal(text, "");
    put(d, "sub1/a.log", "a\n", "w");
    read_text(s, text, sizeof text, 0);
    assert_string_equal(text, "a\n");
    put(d, "sub1/a.log", "b\n", "a");
    read_text(s, text, sizeof text, 0);
    assert_string_equal(text, "b\n");
    source_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_glob_in_name_order, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_glob_matches_nothing, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_gz_read, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_position_roundtrip, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_position_past_head, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_position_escapes_names, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_position_old_identity, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_position_inode_reused, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_truncation_while_following, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_truncation_on_resume, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_rotation_while_following, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_follow_by_polling, make_dir, remove_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
