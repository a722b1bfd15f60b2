/* SPDX-License-Identifier: GPL-3.0-or-later */
/* svc_worker: one worker's record by phone number (unique index on workers.msisdn).
 * Returns data only; logs nothing, so names and ID numbers never reach a log. */
#include "db/svc_worker.h"
#include "base/gy_err.h"
#include "db/svc_common.h"

#include <string.h>

static const char SQL_WORKER[] =
    "SELECT w.id, w.msisdn, w.id_number, w.name, w.district, d.name_en, d.wage_area,"
    " w.employer, w.education, w.residence_permit_since, w.stable_residence,"
    " w.enterprise_backbone, w.insurance_months, w.work_months, w.language, w.opted_out"
    " FROM workers w JOIN districts d ON d.name = w.district WHERE w.msisdn = ?1";

int
svc_worker_get(struct db *db, const char *msisdn, struct svc_worker *out)
{
    if (db == NULL || msisdn == NULL || msisdn[0] == '\0' || out == NULL)
        return GY_EINVAL;
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *st = db_stmt(db, SQL_WORKER);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_text(st, 1, msisdn, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int ret = 0;
    if (rc != SQLITE_ROW) {
        ret = rc == SQLITE_DONE ? GY_ENOTFOUND : GY_EDB;
        goto out;
    }
    out->id = sqlite3_column_int64(st, 0);
    db_col_copy(st, 1, out->msisdn, sizeof(out->msisdn));
    db_col_copy(st, 2, out->id_number, sizeof(out->id_number));
    db_col_copy(st, 3, out->name, sizeof(out->name));
    db_col_copy(st, 4, out->district, sizeof(out->district));
    db_col_copy(st, 5, out->district_en, sizeof(out->district_en));
    db_col_copy(st, 6, out->wage_area, sizeof(out->wage_area));
    db_col_copy(st, 7, out->employer, sizeof(out->employer));
    db_col_copy(st, 8, out->education, sizeof(out->education));
    int drc = svc_col_date(st, 9, &out->permit_since);
    if (drc == GY_EPARSE) {
        ret = GY_EPARSE;
        goto out;
    }
    out->has_permit = drc == 0;
    out->stable_residence = sqlite3_column_int(st, 10) != 0;
    out->enterprise_backbone = sqlite3_column_int(st, 11) != 0;
    out->insurance_months = sqlite3_column_int(st, 12);
    out->work_months = sqlite3_column_int(st, 13);
    db_col_copy(st, 14, out->language, sizeof(out->language));
    out->opted_out = sqlite3_column_int(st, 15) != 0;
out:
    db_stmt_done(st);
    return ret;
}

static const char SQL_LANGUAGE[] = "SELECT language FROM workers WHERE msisdn = ?";

int
svc_worker_language(struct db *db, const char *msisdn, char *buf, size_t len)
{
    sqlite3_stmt *st = db_stmt(db, SQL_LANGUAGE);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_text(st, 1, msisdn, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int ret = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? GY_ENOTFOUND : GY_EDB;
    if (ret == 0)
        db_col_copy(st, 0, buf, len);
    db_stmt_done(st);
    return ret;
}
