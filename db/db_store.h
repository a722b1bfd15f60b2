/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db_store: the SQLite connection of gongyou. Opens in WAL mode with a busy timeout,
 * applies the numbered migrations, and keeps every statement prepared once, keyed by
 * the address of its SQL text (a static string at the call site). Knows nothing of the
 * domain. */
#ifndef DB_STORE_H
#define DB_STORE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

struct db;

enum db_open_flags {
    DB_OPEN_CREATE = 1 << 0,   /* create the file when missing */
    DB_OPEN_READONLY = 1 << 1, /* no writes (worker show, simulate) */
};

#define DB_BUSY_TIMEOUT_MS 5000

/* Opens path. Returns 0 and a new handle in *out (free with db_close()), or a negative
 * GY_E* code; a message for the user is written into err (errlen bytes) when given. */
int db_open(const char *path, int flags, struct db **out, char *err, size_t errlen);
/* Sets how long a statement waits for another connection's lock before failing with
 * SQLITE_BUSY (DB_BUSY_TIMEOUT_MS by default). The daemon uses a short wait so that its
 * event loop never stalls: a busy database is answered with a retry to the SMSC. */
void db_set_busy_timeout(struct db *db, int ms);
/* After how many WAL frames a commit on this connection checkpoints by itself (SQLite's
 * default 1000); 0: never. With a db_checkpointer thread, a large value as a backstop. */
void db_set_autocheckpoint(struct db *db, int frames);

/* Finalizes every cached statement and closes. db_close(NULL) is a no-op. */
void db_close(struct db *db);

/* Applies pending migrations, each in its own transaction, and records the version.
 * *from and *to (may be NULL) receive the versions before and after. Returns 0,
 * GY_ESCHEMA when the file is newer than this program, or GY_EDB. */
int db_migrate(struct db *db, int *from, int *to);
/* Current PRAGMA user_version, or a negative GY_E* code. */
int db_schema_version(struct db *db);
/* The version this program migrates to. */
int db_latest_version(void);
/* Returns 0 when the schema is exactly db_latest_version(), otherwise GY_ESCHEMA with a
 * message in err telling the user to run `gongyou db init`. */
int db_require_current(struct db *db, char *err, size_t errlen);

/* Returns the statement for sql, prepared on first use, reset and with its bindings
 * cleared. sql must stay valid for the life of db (a string literal or static array):
 * its address is the cache key. The statement stays owned by db; call db_stmt_done()
 * when finished with it. Returns NULL on a preparation error (see db_errmsg()). */
sqlite3_stmt *db_stmt(struct db *db, const char *sql);
/* Resets a statement from db_stmt() so that it holds no read snapshot. NULL is a no-op. */
void db_stmt_done(sqlite3_stmt *stmt);

/* Transactions (BEGIN IMMEDIATE for writers). Return 0 or GY_EDB. */
int db_begin(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);

/* Runs SQL text without parameters (schema, pragmas). Returns 0 or GY_EDB. */
int db_exec(struct db *db, const char *sql);

sqlite3 *db_sqlite(struct db *db);
const char *db_errmsg(struct db *db);
const char *db_path(struct db *db);

/* Helpers for reading columns: text as "" when NULL; copies into buf of len bytes (cut
 * before a UTF-8 character that would not fit whole, see gy_strlcpy()). */
const char *db_col_text(sqlite3_stmt *stmt, int col);
void db_col_copy(sqlite3_stmt *stmt, int col, char *buf, size_t len);

#endif
