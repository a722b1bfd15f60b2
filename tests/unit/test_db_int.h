/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_db_int: the one integer a query without parameters returns (a count, a state),
 * asserted to exist: shared by the unit tests that look into the database. */
#ifndef TEST_DB_INT_H
#define TEST_DB_INT_H

struct db;

/* Prepares sql on db, asserts it yields a row and returns column 0 of it as an integer.
 * The statement is finalized before returning; nothing is kept. */
long long test_db_int(struct db *db, const char *sql);

#endif
