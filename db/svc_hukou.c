/* SPDX-License-Identifier: GPL-3.0-or-later */
/* svc_hukou: the three routes to household registration, checked against the
 * policy_params thresholds (hukou_*, points_threshold) and skill_levels ranks. */
#include "db/svc_hukou.h"
#include "base/gy_err.h"
#include "base/gy_str.h"
#include "db/svc_common.h"

#include <stdio.h>
#include <string.h>

/* The lowest level at or above a rank (ranks need not be contiguous). */
static const char SQL_LEVEL_AT[] =
    "SELECT rank, code, name_zh, name_en FROM skill_levels WHERE rank >= ?1"
    " ORDER BY rank LIMIT 1";

static int
read_level(struct db *db, const char *sql, long long arg, struct svc_hukou_level *out)
{
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_int64(st, 1, arg);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->rank = sqlite3_column_int(st, 0);
        db_col_copy(st, 1, out->code, sizeof(out->code));
        db_col_copy(st, 2, out->name_zh, sizeof(out->name_zh));
        db_col_copy(st, 3, out->name_en, sizeof(out->name_en));
    }
    db_stmt_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : GY_EDB;
}

static int
route1(struct db *db, const struct svc_worker *w, struct svc_hukou *h)
{
    int err = svc_param_get(db, "hukou_work_months", &h->route1.work_required,
                            &h->route1.work_example);
    if (err == 0)
        err = svc_param_get(db, "hukou_insurance_months", &h->route1.insurance_required,
                            &h->route1.insurance_example);
    if (err != 0)
        return err;
    h->route1.work_months = w->work_months;
    h->route1.insurance_months = w->insurance_months;
    h->route1.stable_residence = w->stable_residence;
    if (w->work_months < h->route1.work_required)
        h->route1.work_missing = h->route1.work_required - w->work_months;
    if (w->insurance_months < h->route1.insurance_required)
        h->route1.insurance_missing = h->route1.insurance_required - w->insurance_months;
    h->route1.met = h->route1.work_missing == 0 && h->route1.insurance_missing == 0 &&
                    w->stable_residence;
    return 0;
}

static int
route2(struct db *db, const struct svc_worker *w, const struct svc_points *p, struct svc_hukou *h)
{
    int talent_rank = 0, backbone_rank = 0;
    int err = svc_param_get(db, "hukou_talent_min_rank", &talent_rank, NULL);
    if (err == 0)
        err = svc_param_get(db, "hukou_backbone_min_rank", &backbone_rank, NULL);
    if (err == 0)
        err = read_level(db, SQL_LEVEL_AT, talent_rank, &h->route2.talent);
    if (err == 0)
        err = read_level(db, SQL_LEVEL_AT, backbone_rank, &h->route2.backbone);
    if (err != 0)
        return err;
    /* The highest level held is the skill item of the points (code "" when none). */
    const struct svc_points_item *skill = svc_points_find(p, SVC_POINTS_SKILL, NULL);
    if (skill != NULL && skill->code[0] != '\0') {
        h->route2.highest.rank = (int)skill->quantity;
        gy_strlcpy(h->route2.highest.code, sizeof(h->route2.highest.code), skill->code);
        snprintf(h->route2.highest.name_zh, sizeof(h->route2.highest.name_zh), "%s",
                 skill->name_zh);
        snprintf(h->route2.highest.name_en, sizeof(h->route2.highest.name_en), "%s",
                 skill->name_en);
    }
    /* Keep the parameter's rank even when no level carries it. */
    h->route2.talent.rank = talent_rank;
    h->route2.backbone.rank = backbone_rank;
    int held = h->route2.highest.rank;
    h->route2.enterprise_backbone = w->enterprise_backbone;
    h->route2.by_talent = held > 0 && held >= talent_rank;
    h->route2.by_backbone = held > 0 && held >= backbone_rank && w->enterprise_backbone;
    h->route2.met = h->route2.by_talent || h->route2.by_backbone;
    if (!h->route2.met)
        h->route2.ranks_missing = talent_rank - held;
    return 0;
}

int
svc_hukou_check(struct db *db, const struct svc_worker *w, struct gy_date today,
                const struct svc_points *points, struct svc_hukou *out)
{
    if (db == NULL || w == NULL || out == NULL || !gy_date_valid(today))
        return GY_EINVAL;
    memset(out, 0, sizeof(*out));
    struct svc_points local;
    int err = svc_points_ensure(db, w, today, &points, &local);
    if (err == 0)
        err = route1(db, w, out);
    if (err == 0)
        err = route2(db, w, points, out);
    if (err != 0)
        return err;
    out->route3.points = points->total;
    out->route3.threshold = points->threshold;
    out->route3.threshold_example = points->threshold_example;
    out->route3.met = points->total >= points->threshold;
    out->route3.missing = points->short_of;
    out->routes_met = out->route1.met + out->route2.met + out->route3.met;
    return 0;
}
