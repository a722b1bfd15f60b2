/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of db/db_checkpointer: a writer that never checkpoints keeps a WAL of bounded size
 * while the thread checkpoints (the WAL is reused, not grown), the counters, a database
 * that is not in WAL mode and bad arguments refused, start and stop without a pass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/gy_err.h"
#include "db/db_checkpointer.h"
#include "db/db_store.h"
#include "test_tmpdir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fixture {
    char dir[256];
    char path[300];
    struct db *db;
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    if (f == NULL)
        return -1;
    if (test_tmpdir_make(f->dir, sizeof(f->dir), "gy_ckpt_") != 0 ||
        test_tmpdir_path(f->path, sizeof(f->path), f->dir, "t.db") != 0) {
        free(f);
        return -1;
    }
    char err[256] = "";
    if (db_open(f->path, DB_OPEN_CREATE, &f->db, err, sizeof err) != 0 ||
        db_exec(f->db, "CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)") != 0) {
        fprintf(stderr, "setup: %s\n", err);
        return -1;
    }
    db_set_autocheckpoint(f->db, 0);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    test_tmpdir_remove(f->dir);
    free(f);
    return 0;
}

/* Commits n rows of 1 KiB each, one transaction. */
static void
write_rows(struct db *db, int n)
{
    assert_int_equal(db_begin(db), 0);
    static const char sql[] = "INSERT INTO t (body) VALUES (zeroblob(1024))";
    for (int i = 0; i < n; i++)
        assert_int_equal(db_exec(db, sql), 0);
    assert_int_equal(db_commit(db), 0);
}

static long long
wal_size(const struct fixture *f)
{
    char p[320];
    snprintf(p, sizeof p, "%s-wal", f->path);
    struct stat sb;
    return stat(p, &sb) == 0 ? (long long)sb.st_size : -1;
}

static void
test_wal_reused(void **state)
{
    struct fixture *f = *state;
    struct db_checkpointer *c = NULL;
    char err[256] = "";
    /* A long interval: only the passes asked for here run. */
    assert_int_equal(db_checkpointer_start(f->path, 60000, &c, err, sizeof err), 0);
    struct db_checkpointer_stats st;
    db_checkpointer_stats(c, &st);
    assert_int_equal(st.passes, 0);
    assert_int_equal(st.wal_frames, -1);

    write_rows(f->db, 200);
    long long first = wal_size(f);
    assert_true(first > 200 * 1024);
    assert_int_equal(db_checkpointer_pass(c, 10000), 0);
    db_checkpointer_stats(c, &st);
    assert_int_equal(st.passes, 1);
    assert_true(st.wal_frames >= 50);               /* 200 KiB in pages of 4 KiB */
    assert_int_equal(st.backfilled, st.wal_frames); /* everything is in the database */
    /* Twenty more rounds: the writer starts the WAL again each time, so it stays the size
     * of one round (without the thread it would be twenty-one rounds long). */
    for (int r = 0; r < 20; r++) {
        write_rows(f->db, 200);
        assert_int_equal(db_checkpointer_pass(c, 10000), 0);
    }
    db_checkpointer_stats(c, &st);
    assert_int_equal(st.passes, 21);
    assert_int_equal(st.errors, 0);
    assert_true(wal_size(f) <= first + 64 * 1024);
    assert_true(st.max_us >= st.last_us);
    char msg[64];
    db_checkpointer_error(c, msg, sizeof msg);
    assert_string_equal(msg, "");
    db_checkpointer_stop(c);

    /* The rows are all there, read through a fresh connection. */
    struct db *other = NULL;
    assert_int_equal(db_open(f->path, 0, &other, err, sizeof err), 0);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_sqlite(other), "SELECT count(*) FROM t", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 21 * 200);
    sqlite3_finalize(q);
    db_close(other);
}

/* Without asking, the thread checkpoints on its interval. */
static void
test_interval(void **state)
{
    struct fixture *f = *state;
    struct db_checkpointer *c = NULL;
    assert_int_equal(db_checkpointer_start(f->path, 5, &c, NULL, 0), 0);
    write_rows(f->db, 50);
    struct db_checkpointer_stats st = {0};
    /* Each pass() waits for one pass; a pass on the interval may come first. */
    for (int i = 0; i < 3; i++)
        assert_int_equal(db_checkpointer_pass(c, 10000), 0);
    db_checkpointer_stats(c, &st);
    assert_true(st.passes >= 3);
    db_checkpointer_stop(c);
}

static void
test_refusals(void **state)
{
    struct fixture *f = *state;
    struct db_checkpointer *c = (struct db_checkpointer *)f; /* must be reset to NULL */
    char err[256] = "";
    assert_int_equal(db_checkpointer_start(f->path, 0, &c, err, sizeof err), GY_EINVAL);
    assert_null(c);
    assert_non_null(strstr(err, "interval"));
    assert_int_equal(db_checkpointer_start(f->path, 60001, &c, NULL, 0), GY_EINVAL);
    assert_int_equal(db_checkpointer_start(NULL, 100, &c, NULL, 0), GY_EINVAL);

    char missing[320];
    snprintf(missing, sizeof missing, "%s/none.db", f->dir);
    assert_int_equal(db_checkpointer_start(missing, 100, &c, err, sizeof err), GY_EDB);
    assert_null(c);
    assert_non_null(strstr(err, "cannot open"));

    /* A rollback-journal database has no WAL to checkpoint. */
    char plain[320];
    snprintf(plain, sizeof plain, "%s/plain.db", f->dir);
    sqlite3 *p = NULL;
    assert_int_equal(sqlite3_open(plain, &p), SQLITE_OK);
    assert_int_equal(sqlite3_exec(p, "CREATE TABLE x (a)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(p);
    assert_int_equal(db_checkpointer_start(plain, 100, &c, err, sizeof err), GY_ESTATE);
    assert_null(c);
    assert_non_null(strstr(err, "WAL"));
    db_checkpointer_stop(NULL);
}

static void
test_start_stop(void **state)
{
    struct fixture *f = *state;
    for (int i = 0; i < 20; i++) {
        struct db_checkpointer *c = NULL;
        assert_int_equal(db_checkpointer_start(f->path, 1, &c, NULL, 0), 0);
        db_checkpointer_stop(c);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_wal_reused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interval, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_start_stop, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
