/* SPDX-License-Identifier: GPL-3.0-or-later */
/* svc_common: policy parameters, date columns and basis-point money arithmetic shared by
 * the domain services (svc_*.c). No policy figure lives here. */
#include "db/svc_common.h"
#include "base/gy_err.h"

#include <stdlib.h>
#include <string.h>

static const char SQL_PARAM[] = "SELECT value, example FROM policy_params WHERE key = ?1";

int
svc_param_get(struct db *db, const char *key, int *value, bool *example)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PARAM);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int ret = 0;
    if (rc == SQLITE_ROW) {
        *value = sqlite3_column_int(st, 0);
        if (example != NULL)
            *example = sqlite3_column_int(st, 1) != 0;
    } else {
        ret = rc == SQLITE_DONE ? GY_ENOTFOUND : GY_EDB;
    }
    db_stmt_done(st);
    return ret;
}

int
svc_col_date(sqlite3_stmt *stmt, int col, struct gy_date *out)
{
    const unsigned char *t = sqlite3_column_text(stmt, col);
    if (t == NULL || t[0] == '\0')
        return GY_ENOTFOUND;
    return gy_date_parse((const char *)t, out) == 0 ? 0 : GY_EPARSE;
}

int
svc_bind_date(sqlite3_stmt *stmt, int idx, struct gy_date d)
{
    char buf[GY_DATE_STRLEN];
    gy_date_format(d, buf);
    return sqlite3_bind_text(stmt, idx, buf, -1, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : GY_EDB;
}

void *
svc_grow(void *arr, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap)
        return arr;
    size_t ncap = *cap ? *cap * 2 : first;
    void *p = realloc(arr, ncap * size);
    if (p != NULL)
        *cap = ncap;
    return p;
}

long long
svc_fen_bp(long long fen, int bp)
{
    long long p = fen * bp;
    return p >= 0 ? (p + 5000) / 10000 : -((-p + 5000) / 10000);
}
