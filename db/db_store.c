/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db_store: SQLite connection, migrations and the prepared-statement cache. */
#include "db/db_store.h"
#include "base/gy_err.h"
#include "base/gy_str.h"
#include "db/db_migrations.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct stmt_slot {
    const char *sql; /* key: address of the caller's static SQL text */
    sqlite3_stmt *stmt;
};

struct db {
    sqlite3 *conn;
    char *path;
    struct stmt_slot *slots; /* open addressing, power-of-two size */
    size_t nslots;
    size_t nused;
};

static size_t
slot_hash(const char *sql, size_t mask)
{
    uintptr_t p = (uintptr_t)sql;
    p ^= p >> 17;
    p *= (uintptr_t)0x9E3779B97F4A7C15ull;
    return (size_t)(p >> 7) & mask;
}

static int
slots_grow(struct db *db)
{
    size_t n = db->nslots ? db->nslots * 2 : 64;
    struct stmt_slot *s = calloc(n, sizeof(*s));
    if (s == NULL)
        return GY_ENOMEM;
    for (size_t i = 0; i < db->nslots; i++) {
        if (db->slots[i].sql == NULL)
            continue;
        size_t h = slot_hash(db->slots[i].sql, n - 1);
        while (s[h].sql != NULL)
            h = (h + 1) & (n - 1);
        s[h] = db->slots[i];
    }
    free(db->slots);
    db->slots = s;
    db->nslots = n;
    return 0;
}

static void
set_err(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
    if (err != NULL && errlen > 0)
        snprintf(err, errlen, fmt, a, b);
}

int
db_open(const char *path, int flags, struct db **out, char *err, size_t errlen)
{
    *out = NULL;
    struct db *db = calloc(1, sizeof(*db));
    if (db == NULL || (db->path = strdup(path)) == NULL) {
        free(db);
        return GY_ENOMEM;
    }
    int oflags = (flags & DB_OPEN_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if ((flags & DB_OPEN_CREATE) && !(flags & DB_OPEN_READONLY))
        oflags |= SQLITE_OPEN_CREATE;
    oflags |= SQLITE_OPEN_NOMUTEX;
    /* No memory statistics: they take a process-wide mutex on every allocation SQLite
     * makes (a few per statement step). Process-wide and only taken before SQLite first
     * initialises itself, that is before the first open; later calls are refused with
     * SQLITE_MISUSE and change nothing. */
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    int rc = sqlite3_open_v2(path, &db->conn, oflags, NULL);
    if (rc != SQLITE_OK) {
        set_err(err, errlen, "%s: cannot open database: %s", path,
                db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc));
        db_close(db);
        return GY_EDB;
    }
    sqlite3_busy_timeout(db->conn, DB_BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(db->conn, 1);
    /* temp_store in memory: statement journals and sorts never touch a temp file.
     * A 64 MiB page cache and 256 MiB of memory map keep a database of a million workers
     * hot (bench_services: p99 of every service answer under 200 us with them). */
    const char *pragmas = (flags & DB_OPEN_READONLY)
                              ? "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
                                "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
                              : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                                "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
                                "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;";
    char *msg = NULL;
    if (sqlite3_exec(db->conn, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        set_err(err, errlen, "%s: %s", path, msg ? msg : "cannot set pragmas");
        sqlite3_free(msg);
        db_close(db);
        return GY_EDB;
    }
    *out = db;
    return 0;
}

void
db_set_busy_timeout(struct db *db, int ms)
{
    sqlite3_busy_timeout(db->conn, ms);
}

void
db_set_autocheckpoint(struct db *db, int frames)
{
    sqlite3_wal_autocheckpoint(db->conn, frames > 0 ? frames : 0);
}

void
db_close(struct db *db)
{
    if (db == NULL)
        return;
    for (size_t i = 0; i < db->nslots; i++)
        sqlite3_finalize(db->slots[i].stmt);
    free(db->slots);
    sqlite3_close(db->conn);
    free(db->path);
    free(db);
}

int
db_latest_version(void)
{
    return db_migrations[db_migrations_count - 1].version;
}

int
db_schema_version(struct db *db)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->conn, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return GY_EDB;
    int v = GY_EDB;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

int
db_require_current(struct db *db, char *err, size_t errlen)
{
    int v = db_schema_version(db);
    if (v < 0) {
        set_err(err, errlen, "%s: %s", db->path, sqlite3_errmsg(db->conn));
        return GY_EDB;
    }
    if (v == db_latest_version())
        return 0;
    char have[16];
    snprintf(have, sizeof(have), "%d", v);
    if (v > db_latest_version())
        set_err(err, errlen, "%s: schema version %s is newer than this program", db->path,
                have);
    else
        set_err(err, errlen,
                "%s: schema version %s is not current; run `gongyou db init --db FILE`",
                db->path, have);
    return GY_ESCHEMA;
}

int
db_migrate(struct db *db, int *from, int *to)
{
    int v = db_schema_version(db);
    if (v < 0)
        return v;
    if (from)
        *from = v;
    if (to)
        *to = v;
    if (v > db_latest_version())
        return GY_ESCHEMA;
    for (int i = 0; i < db_migrations_count; i++) {
        const struct db_migration *m = &db_migrations[i];
        if (m->version <= v)
            continue;
        if (db_begin(db) != 0)
            return GY_EDB;
        char pragma[48];
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d", m->version);
        if (db_exec(db, m->sql) != 0 || db_exec(db, pragma) != 0) {
            db_rollback(db);
            return GY_EDB;
        }
        if (db_commit(db) != 0)
            return GY_EDB;
        v = m->version;
        if (to)
            *to = v;
    }
    return 0;
}

sqlite3_stmt *
db_stmt(struct db *db, const char *sql)
{
    if (db->nslots == 0 || (db->nused + 1) * 2 > db->nslots) {
        if (slots_grow(db) != 0)
            return NULL;
    }
    size_t mask = db->nslots - 1;
    size_t h = slot_hash(sql, mask);
    while (db->slots[h].sql != NULL) {
        if (db->slots[h].sql == sql) {
            sqlite3_stmt *st = db->slots[h].stmt;
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return st;
        }
        h = (h + 1) & mask;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        return NULL;
    db->slots[h].sql = sql;
    db->slots[h].stmt = st;
    db->nused++;
    return st;
}

void
db_stmt_done(sqlite3_stmt *stmt)
{
    if (stmt != NULL)
        sqlite3_reset(stmt);
}

int
db_exec(struct db *db, const char *sql)
{
    return sqlite3_exec(db->conn, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : GY_EDB;
}

int
db_begin(struct db *db)
{
    return db_exec(db, "BEGIN IMMEDIATE");
}

int
db_commit(struct db *db)
{
    return db_exec(db, "COMMIT");
}

void
db_rollback(struct db *db)
{
    if (!sqlite3_get_autocommit(db->conn))
        sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
}

sqlite3 *
db_sqlite(struct db *db)
{
    return db->conn;
}

const char *
db_errmsg(struct db *db)
{
    return sqlite3_errmsg(db->conn);
}

const char *
db_path(struct db *db)
{
    return db->path;
}

const char *
db_col_text(sqlite3_stmt *stmt, int col)
{
    const unsigned char *t = sqlite3_column_text(stmt, col);
    return t ? (const char *)t : "";
}

void
db_col_copy(sqlite3_stmt *stmt, int col, char *buf, size_t len)
{
    const unsigned char *t = sqlite3_column_text(stmt, col);
    gy_strlcpy_n(buf, len, (const char *)t, t != NULL ? (size_t)sqlite3_column_bytes(stmt, col) : 0);
}
