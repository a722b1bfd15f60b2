/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db_migrations: the numbered schema migrations, embedded at build time from
 * db/migrations/NNN_name.sql. Version N is recorded in PRAGMA user_version. */
#ifndef DB_MIGRATIONS_H
#define DB_MIGRATIONS_H

struct db_migration {
    int version;      /* 1, 2, ... in order, no gaps */
    const char *name; /* file name without .sql */
    const char *sql;  /* statements run in one transaction */
};

extern const struct db_migration db_migrations[];
extern const int db_migrations_count;

#endif
