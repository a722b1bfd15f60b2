/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of db/db_store: migrations from an empty database to the latest version, a
 * second run that changes nothing, a newer schema refused, WAL and busy timeout, and the
 * prepared-statement cache. Each test works on its own temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/gy_err.h"
#include "db/db_store.h"
#include "test_tmpdir.h"
#include "test_db_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
    char dir[256];
    char path[300];
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    if (f == NULL)
        return -1;
    if (test_tmpdir_make(f->dir, sizeof(f->dir), "gy_store_") != 0 ||
        test_tmpdir_path(f->path, sizeof(f->path), f->dir, "t.db") != 0) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    test_tmpdir_remove(f->dir);
    free(f);
    return 0;
}

static struct db *
open_db(struct fixture *f, int flags)
{
    struct db *db = NULL;
    char err[256] = "";
    int rc = db_open(f->path, flags, &db, err, sizeof(err));
    if (rc != 0)
        fail_msg("db_open: %s", err);
    return db;
}

/* A fingerprint of the schema: every object's name and SQL, in order. */
static unsigned long
schema_hash(struct db *db)
{
    static const char sql[] = "SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY name";
    sqlite3_stmt *st = db_stmt(db, sql);
    assert_non_null(st);
    unsigned long h = 5381;
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < 3; c++)
            for (const char *s = db_col_text(st, c); *s; s++)
                h = h * 33 + (unsigned char)*s;
    }
    db_stmt_done(st);
    return h;
}

static void
test_migrate_empty_then_again(void **state)
{
    struct fixture *f = *state;
    struct db *db = open_db(f, DB_OPEN_CREATE);
    int from = -1, to = -1;
    assert_int_equal(db_schema_version(db), 0);
    assert_int_equal(db_migrate(db, &from, &to), 0);
    assert_int_equal(from, 0);
    assert_int_equal(to, db_latest_version());
    assert_true(db_latest_version() >= 2);
    assert_int_equal(db_schema_version(db), db_latest_version());
    assert_int_equal(db_require_current(db, NULL, 0), 0);
    static const char districts[] = "SELECT count(*) FROM districts";
    assert_int_equal(test_db_int(db, districts), 7);
    unsigned long h = schema_hash(db);
    db_close(db);

    /* Up to date: nothing changes, not even the reference data. */
    db = open_db(f, 0);
    assert_int_equal(db_migrate(db, &from, &to), 0);
    assert_int_equal(from, db_latest_version());
    assert_int_equal(to, db_latest_version());
    assert_int_equal(schema_hash(db), h);
    assert_int_equal(test_db_int(db, districts), 7);
    db_close(db);
}

static void
test_newer_schema_refused(void **state)
{
    struct fixture *f = *state;
    struct db *db = open_db(f, DB_OPEN_CREATE);
    assert_int_equal(db_migrate(db, NULL, NULL), 0);
    char pragma[64];
    snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d", db_latest_version() + 1);
    assert_int_equal(db_exec(db, pragma), 0);
    unsigned long h = schema_hash(db);
    int from = 0, to = 0;
    assert_int_equal(db_migrate(db, &from, &to), GY_ESCHEMA);
    assert_int_equal(from, db_latest_version() + 1);
    assert_int_equal(schema_hash(db), h);
    char err[256] = "";
    assert_int_equal(db_require_current(db, err, sizeof(err)), GY_ESCHEMA);
    assert_non_null(strstr(err, "newer"));
    db_close(db);
}

static void
test_old_schema_needs_init(void **state)
{
    struct fixture *f = *state;
    struct db *db = open_db(f, DB_OPEN_CREATE);
    char err[256] = "";
    assert_int_equal(db_require_current(db, err, sizeof(err)), GY_ESCHEMA);
    assert_non_null(strstr(err, "db init"));
    db_close(db);
}

static void
test_wal_and_busy_timeout(void **state)
{
    struct fixture *f = *state;
    struct db *db = open_db(f, DB_OPEN_CREATE);
    static const char mode[] = "PRAGMA journal_mode";
    sqlite3_stmt *st = db_stmt(db, mode);
    assert_non_null(st);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal(db_col_text(st, 0), "wal");
    db_stmt_done(st);
    static const char busy[] = "PRAGMA busy_timeout";
    assert_int_equal(test_db_int(db, busy), DB_BUSY_TIMEOUT_MS);
    static const char fk[] = "PRAGMA foreign_keys";
    assert_int_equal(test_db_int(db, fk), 1);
    db_close(db);
}

static void
test_stmt_cache(void **state)
{
    struct fixture *f = *state;
    struct db *db = open_db(f, DB_OPEN_CREATE);
    assert_int_equal(db_migrate(db, NULL, NULL), 0);
    static const char a[] = "SELECT name FROM districts WHERE name = ?1";
    static const char b[] = "SELECT name FROM districts WHERE name = ?1"; /* same text */
    sqlite3_stmt *s1 = db_stmt(db, a);
    assert_non_null(s1);
    sqlite3_bind_text(s1, 1, "蓬江区", -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s1), SQLITE_ROW);
    db_stmt_done(s1);
    sqlite3_stmt *s2 = db_stmt(db, a);
    assert_ptr_equal(s1, s2);
    /* Bindings were cleared: the parameter is NULL, so no row. */
    assert_int_equal(sqlite3_step(s2), SQLITE_DONE);
    db_stmt_done(s2);
    /* Another static string is another key, even with the same text. */
    assert_ptr_not_equal(db_stmt(db, b), s1);
    /* Many statements: the cache grows and keeps returning the same handles. */
    static char many[200][48];
    sqlite3_stmt *first[200];
    for (int i = 0; i < 200; i++) {
        snprintf(many[i], sizeof(many[i]), "SELECT %d", i);
        first[i] = db_stmt(db, many[i]);
        assert_non_null(first[i]);
    }
    for (int i = 0; i < 200; i++)
        assert_ptr_equal(db_stmt(db, many[i]), first[i]);
    static const char broken[] = "SELEKT nonsense";
    assert_null(db_stmt(db, broken));
    db_close(db);
    db_close(NULL);
}

static void
test_open_missing_readonly(void **state)
{
    struct fixture *f = *state;
    struct db *db = NULL;
    char err[256] = "";
    assert_int_equal(db_open(f->path, DB_OPEN_READONLY, &db, err, sizeof(err)), GY_EDB);
    assert_null(db);
    assert_true(strlen(err) > 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrate_empty_then_again, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_old_schema_needs_init, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wal_and_busy_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stmt_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_missing_readonly, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
