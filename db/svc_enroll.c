/* SPDX-License-Identifier: GPL-3.0-or-later */
/* svc_enroll: school-place eligibility per child and the district's schools for the
 * round, from enrollment_rounds, schools, school_rounds and the enroll_* policy_params. */
#include "db/svc_enroll.h"
#include "base/gy_err.h"
#include "base/gy_str.h"
#include "db/svc_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_ROUND_YEAR[] =
    "SELECT year, age_on, apply_from, apply_until FROM enrollment_rounds WHERE year = ?1";
static const char SQL_ROUND_NEXT[] =
    "SELECT year, age_on, apply_from, apply_until FROM enrollment_rounds WHERE age_on >= ?1"
    " ORDER BY year LIMIT 1";
static const char SQL_ROUND_PREV[] =
    "SELECT max(year) FROM enrollment_rounds WHERE year < ?1";
static const char SQL_CHILDREN[] =
    "SELECT name, birth_date, coalesce(current_grade, 0) FROM children WHERE worker_id = ?1"
    " ORDER BY birth_date, name";
static const char SQL_SCHOOLS[] =
    "SELECT s.code, s.name, s.example, cur.quota, cur.example, prev.cutoff, prev.example"
    " FROM schools s"
    " LEFT JOIN school_rounds cur ON cur.school = s.code AND cur.year = ?3"
    " LEFT JOIN school_rounds prev ON prev.school = s.code AND prev.year = ?4"
    " WHERE s.district = ?1 AND s.level = ?2 ORDER BY s.code";

const char *
svc_enroll_entry_name(enum svc_enroll_entry entry)
{
    switch (entry) {
    case SVC_ENROLL_GRADE1:
        return "grade1";
    case SVC_ENROLL_GRADE7:
        return "grade7";
    case SVC_ENROLL_NONE:
        break;
    }
    return "none";
}

void
svc_enroll_fini(struct svc_enroll *e)
{
    if (e == NULL)
        return;
    free(e->children);
    free(e->primary.schools);
    free(e->junior.schools);
    memset(e, 0, sizeof(*e));
}

static int
load_round(struct db *db, struct gy_date today, int year, struct svc_enroll *e)
{
    sqlite3_stmt *st = db_stmt(db, year > 0 ? SQL_ROUND_YEAR : SQL_ROUND_NEXT);
    if (st == NULL)
        return GY_EDB;
    if (year > 0)
        sqlite3_bind_int(st, 1, year);
    else
        svc_bind_date(st, 1, today);
    int rc = sqlite3_step(st);
    int ret = 0;
    if (rc != SQLITE_ROW) {
        ret = rc == SQLITE_DONE ? GY_ENOTFOUND : GY_EDB;
    } else {
        e->round_year = sqlite3_column_int(st, 0);
        if (svc_col_date(st, 1, &e->age_on) != 0)
            ret = GY_EPARSE;
        e->has_apply_window = svc_col_date(st, 2, &e->apply_from) == 0 &&
                              svc_col_date(st, 3, &e->apply_until) == 0;
    }
    db_stmt_done(st);
    if (ret != 0)
        return ret;
    st = db_stmt(db, SQL_ROUND_PREV);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_int(st, 1, e->round_year);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        e->prev_year = sqlite3_column_type(st, 0) == SQLITE_NULL ? e->round_year - 1
                                                                 : sqlite3_column_int(st, 0);
    db_stmt_done(st);
    return rc == SQLITE_ROW ? 0 : GY_EDB;
}

static int
load_children(struct db *db, const struct svc_worker *w, struct svc_enroll *e)
{
    sqlite3_stmt *st = db_stmt(db, SQL_CHILDREN);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_int64(st, 1, w->id);
    size_t cap = 0;
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct svc_enroll_child *p = svc_grow(e->children, &cap, e->n_children, sizeof(*p), 4);
        if (p == NULL) {
            ret = GY_ENOMEM;
            break;
        }
        e->children = p;
        struct svc_enroll_child *c = &e->children[e->n_children];
        memset(c, 0, sizeof(*c));
        db_col_copy(st, 0, c->name, sizeof(c->name));
        if (svc_col_date(st, 1, &c->birth) != 0) {
            ret = GY_EPARSE;
            break;
        }
        c->current_grade = sqlite3_column_int(st, 2);
        e->n_children++;
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = GY_EDB;
    db_stmt_done(st);
    return ret;
}

static int
load_schools(struct db *db, const struct svc_enroll *e, const char *level,
             struct svc_enroll_list *out)
{
    sqlite3_stmt *st = db_stmt(db, SQL_SCHOOLS);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_text(st, 1, e->district, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, level, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, e->round_year);
    sqlite3_bind_int(st, 4, e->prev_year);
    size_t cap = 0;
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct svc_enroll_school *p = svc_grow(out->schools, &cap, out->n, sizeof(*p), 8);
        if (p == NULL) {
            ret = GY_ENOMEM;
            break;
        }
        out->schools = p;
        struct svc_enroll_school *s = &out->schools[out->n++];
        memset(s, 0, sizeof(*s));
        db_col_copy(st, 0, s->code, sizeof(s->code));
        db_col_copy(st, 1, s->name, sizeof(s->name));
        s->example = sqlite3_column_int(st, 2) != 0;
        s->has_quota = sqlite3_column_type(st, 3) != SQLITE_NULL;
        s->quota = sqlite3_column_int(st, 3);
        s->example |= sqlite3_column_int(st, 4) != 0;
        s->has_cutoff = sqlite3_column_type(st, 5) != SQLITE_NULL;
        s->cutoff = sqlite3_column_int(st, 5);
        s->example |= s->has_cutoff && sqlite3_column_int(st, 6) != 0;
        s->margin = s->has_cutoff ? e->parent_points - s->cutoff : 0;
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = GY_EDB;
    db_stmt_done(st);
    return ret;
}

static int
load_params(struct db *db, struct svc_enroll *e)
{
    int err = svc_param_get(db, "enroll_permit_months", &e->permit_required, NULL);
    if (err == 0)
        err = svc_param_get(db, "enroll_grade1_age", &e->grade1_age, NULL);
    if (err == 0)
        err = svc_param_get(db, "enroll_grade7_from_grade", &e->grade7_from_grade, NULL);
    return err;
}

static int
judge_children(struct db *db, struct svc_enroll *e)
{
    bool need[2] = {false, false};
    for (size_t i = 0; i < e->n_children; i++) {
        struct svc_enroll_child *c = &e->children[i];
        c->age = gy_date_age_on(c->birth, e->age_on);
        if (c->current_grade == 0) {
            c->entry = SVC_ENROLL_GRADE1;
            c->age_required = e->grade1_age;
            c->age_ok = c->age >= e->grade1_age;
            need[0] = true;
        } else if (c->current_grade == e->grade7_from_grade) {
            c->entry = SVC_ENROLL_GRADE7;
            c->age_ok = true;
            need[1] = true;
        }
    }
    int err = 0;
    if (need[0])
        err = load_schools(db, e, "primary", &e->primary);
    if (err == 0 && need[1])
        err = load_schools(db, e, "junior", &e->junior);
    if (err != 0)
        return err;
    bool permit_ok = e->has_permit && e->permit_months >= e->permit_required;
    for (size_t i = 0; i < e->n_children; i++) {
        struct svc_enroll_child *c = &e->children[i];
        if (c->entry == SVC_ENROLL_NONE)
            continue;
        c->permit_ok = permit_ok;
        c->district_ok = (c->entry == SVC_ENROLL_GRADE1 ? e->primary.n : e->junior.n) > 0;
        c->eligible = c->age_ok && c->permit_ok && c->district_ok;
    }
    return 0;
}

int
svc_enroll_check(struct db *db, const struct svc_worker *w, struct gy_date today,
                 int round_year, const struct svc_points *points, struct svc_enroll *out)
{
    if (db == NULL || w == NULL || out == NULL || !gy_date_valid(today) || round_year < 0)
        return GY_EINVAL;
    memset(out, 0, sizeof(*out));
    struct svc_points local;
    int err = svc_points_ensure(db, w, today, &points, &local);
    if (err != 0)
        return err;
    out->parent_points = points->total;
    gy_strlcpy(out->district, sizeof(out->district), w->district);
    out->has_permit = w->has_permit;
    if (w->has_permit)
        out->permit_months = gy_date_months_between(w->permit_since, today);
    err = load_params(db, out);
    if (err == 0)
        err = load_round(db, today, round_year, out);
    if (err == 0)
        err = load_children(db, w, out);
    if (err == 0)
        err = judge_children(db, out);
    if (err != 0)
        svc_enroll_fini(out);
    return err;
}
