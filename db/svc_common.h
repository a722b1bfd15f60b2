/* SPDX-License-Identifier: GPL-3.0-or-later */
/* svc_common: what the domain services share: named policy parameters read from
 * policy_params, dates read from columns, money arithmetic in basis points. Holds no
 * policy figure itself: every number comes from the database. */
#ifndef SVC_COMMON_H
#define SVC_COMMON_H

#include "base/gy_date.h"
#include "db/db_store.h"

#include <stdbool.h>
#include <stddef.h>

/* Reads policy_params.value for key into *value and its example flag into *example (may
 * be NULL). Returns 0, GY_ENOTFOUND when the key is missing (a broken reference data
 * set), or GY_EDB. */
int svc_param_get(struct db *db, const char *key, int *value, bool *example);

/* Parses column col of stmt as 'YYYY-MM-DD'. Returns 0 and fills *out, GY_ENOTFOUND when
 * the column is NULL or empty, or GY_EPARSE when the text is not a valid date. */
int svc_col_date(sqlite3_stmt *stmt, int col, struct gy_date *out);

/* Binds d as 'YYYY-MM-DD' text (copied by SQLite) to parameter idx. Returns 0 or GY_EDB. */
int svc_bind_date(sqlite3_stmt *stmt, int idx, struct gy_date d);

/* Room for one more element in arr, an array of n used of *cap elements of size bytes
 * (realloc'ed storage owned by the caller; arr may be NULL when *cap is 0). Returns arr
 * when n < *cap; else arr grown to first elements, or doubled, with *cap updated; NULL
 * when out of memory (arr is then unchanged and still the caller's). */
void *svc_grow(void *arr, size_t *cap, size_t n, size_t size, size_t first);

/* fen * bp / 10000, rounded half away from zero (uplifts, percentages). */
long long svc_fen_bp(long long fen, int bp);

#endif
