/* SPDX-License-Identifier: GPL-3.0-or-later */
/* svc_wages: minimum wages, wage guidelines and guide prices from min_wages,
 * wage_guidelines, occupations and guide_prices. Prefix search is a range scan on the
 * unique index of occupations.name_zh ([prefix, prefix with its last byte + 1)). */
#include "db/svc_wages.h"
#include "base/gy_err.h"
#include "base/gy_str.h"
#include "db/svc_common.h"

#include <stdio.h>
#include <string.h>

static const char SQL_MIN_WAGES[] =
    "SELECT effective_from, monthly_fen, hourly_fen, source FROM min_wages WHERE area = ?1"
    " ORDER BY effective_from DESC";
static const char SQL_GUIDELINE[] =
    "SELECT year, base_bp, upper_bp, lower_bp, source FROM wage_guidelines"
    " ORDER BY year DESC LIMIT 1";

#define GUIDE_COLS                                                                         \
    "SELECT o.code, o.name_zh, o.name_en, g.year, g.low_fen, g.median_fen, g.high_fen,"   \
    " g.example FROM occupations o JOIN guide_prices g ON g.occupation = o.code"           \
    " AND g.year = (SELECT max(year) FROM guide_prices WHERE occupation = o.code)"
static const char SQL_GUIDE_CODE[] = GUIDE_COLS " WHERE o.code = ?1";
static const char SQL_GUIDE_NAME[] = GUIDE_COLS " WHERE o.name_zh = ?1";
static const char SQL_GUIDE_PREFIX[] =
    GUIDE_COLS " WHERE o.name_zh >= ?1 AND o.name_zh < ?2 ORDER BY o.name_zh LIMIT ?3";

int
svc_wages_get(struct db *db, const char *area, struct gy_date today, struct svc_wages *out)
{
    if (db == NULL || area == NULL || out == NULL || !gy_date_valid(today))
        return GY_EINVAL;
    memset(out, 0, sizeof(*out));
    gy_strlcpy(out->area, sizeof(out->area), area);
    sqlite3_stmt *st = db_stmt(db, SQL_MIN_WAGES);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_text(st, 1, area, -1, SQLITE_STATIC);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct svc_min_wage mw;
        memset(&mw, 0, sizeof(mw));
        if (svc_col_date(st, 0, &mw.effective_from) != 0) {
            ret = GY_EPARSE;
            break;
        }
        mw.monthly_fen = sqlite3_column_int64(st, 1);
        mw.hourly_fen = sqlite3_column_int64(st, 2);
        db_col_copy(st, 3, mw.source, sizeof(mw.source));
        if (!out->has_current && gy_date_cmp(mw.effective_from, today) <= 0) {
            out->current = mw;
            out->has_current = true;
        }
        if (out->n_history < SVC_WAGES_MAX_HISTORY)
            out->history[out->n_history++] = mw;
        else
            out->history_truncated = true;
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = GY_EDB;
    db_stmt_done(st);
    if (ret != 0)
        return ret;

    st = db_stmt(db, SQL_GUIDELINE);
    if (st == NULL)
        return GY_EDB;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->has_guideline = true;
        out->guideline.year = sqlite3_column_int(st, 0);
        out->guideline.base_bp = sqlite3_column_int(st, 1);
        out->guideline.upper_bp = sqlite3_column_int(st, 2);
        out->guideline.lower_bp = sqlite3_column_int(st, 3);
        db_col_copy(st, 4, out->guideline.source, sizeof(out->guideline.source));
    }
    db_stmt_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : GY_EDB;
}

int
svc_wages_for_worker(struct db *db, const struct svc_worker *w, struct gy_date today,
                     struct svc_wages *out)
{
    if (w == NULL)
        return GY_EINVAL;
    return svc_wages_get(db, w->wage_area, today, out);
}

static void
read_price(sqlite3_stmt *st, struct svc_guide_price *p)
{
    memset(p, 0, sizeof(*p));
    db_col_copy(st, 0, p->code, sizeof(p->code));
    db_col_copy(st, 1, p->name_zh, sizeof(p->name_zh));
    db_col_copy(st, 2, p->name_en, sizeof(p->name_en));
    p->year = sqlite3_column_int(st, 3);
    p->low_fen = sqlite3_column_int64(st, 4);
    p->median_fen = sqlite3_column_int64(st, 5);
    p->high_fen = sqlite3_column_int64(st, 6);
    p->example = sqlite3_column_int(st, 7) != 0;
}

/* Exact lookup by code or name: 1 row at most. Returns 1 found, 0 not, or GY_EDB. */
static int
find_exact(struct db *db, const char *sql, const char *query, struct svc_guide_price *out)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_price(st, out);
    db_stmt_done(st);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : GY_EDB;
}

#define PREFIX_MAX 256

int
svc_guide_prices_find(struct db *db, const char *query, struct svc_guide_price *out,
                      size_t max, size_t *n, bool *more)
{
    if (n != NULL)
        *n = 0;
    if (more != NULL)
        *more = false;
    if (db == NULL || query == NULL || out == NULL || n == NULL || max == 0)
        return GY_EINVAL;
    size_t qlen = strlen(query);
    if (qlen == 0 || qlen >= PREFIX_MAX)
        return GY_EINVAL;
    int r = find_exact(db, SQL_GUIDE_CODE, query, out);
    if (r == 0)
        r = find_exact(db, SQL_GUIDE_NAME, query, out);
    if (r < 0)
        return r;
    if (r == 1) {
        *n = 1;
        return 0;
    }
    /* Upper bound: the prefix with its last byte below 0xFF incremented (bytes after it
     * dropped). A prefix of only 0xFF bytes has no upper bound within text. */
    char upper[PREFIX_MAX];
    memcpy(upper, query, qlen + 1);
    size_t ulen = qlen;
    while (ulen > 0 && (unsigned char)upper[ulen - 1] == 0xFF)
        ulen--;
    if (ulen == 0)
        return 0;
    upper[ulen - 1] = (char)((unsigned char)upper[ulen - 1] + 1);
    sqlite3_stmt *st = db_stmt(db, SQL_GUIDE_PREFIX);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_text(st, 1, query, (int)qlen, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, upper, (int)ulen, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)(max > 100000 ? 100000 : max) + 1);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n >= max) {
            if (more != NULL)
                *more = true;
            continue;
        }
        read_price(st, &out[(*n)++]);
    }
    db_stmt_done(st);
    return rc == SQLITE_DONE ? 0 : GY_EDB;
}
