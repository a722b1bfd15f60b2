/* SPDX-License-Identifier: GPL-3.0-or-later */
/* svc_points: points (积分) from the worker's record and the rule tables. The quantity of
 * the rules social_insurance and work_years is the worker's months; every other rule
 * sums the worker's service_records of that kind inside the rule's window. */
#include "db/svc_points.h"
#include "base/gy_err.h"
#include "base/gy_str.h"
#include "db/svc_common.h"

#include <stdio.h>
#include <string.h>

static const char SQL_EDU[] =
    "SELECT name_zh, name_en, points, example FROM education_levels WHERE code = ?1";
/* No ORDER BY in these two: the highest level and the order of the rules are picked here,
 * which spares SQLite a temporary sorter per call (both lists are a handful of rows). */
static const char SQL_SKILL[] =
    "SELECT s.code, s.name_zh, s.name_en, s.rank, s.points, s.example"
    " FROM certificates c JOIN skill_levels s ON s.code = c.level WHERE c.worker_id = ?1";
static const char SQL_RULES[] =
    "SELECT code, name_zh, name_en, unit, points_per_unit, cap, window_months, example"
    " FROM points_rules";
static const char SQL_SERVICES[] =
    "SELECT kind, quantity, on_date FROM service_records WHERE worker_id = ?1";
static const char SQL_DEDUCT[] =
    "SELECT coalesce(sum(points), 0), count(*) FROM deductions WHERE worker_id = ?1";

static struct svc_points_item *
item_add(struct svc_points *p, enum svc_points_kind kind)
{
    if (p->n_items >= SVC_POINTS_MAX_ITEMS)
        return NULL;
    struct svc_points_item *it = &p->items[p->n_items++];
    memset(it, 0, sizeof(*it));
    it->kind = kind;
    return it;
}

static int
add_education(struct db *db, const struct svc_worker *w, struct svc_points *p)
{
    struct svc_points_item *it = item_add(p, SVC_POINTS_EDUCATION);
    if (it == NULL)
        return GY_ETOOBIG;
    gy_strlcpy(it->code, sizeof(it->code), w->education);
    if (w->education[0] == '\0')
        return 0;
    sqlite3_stmt *st = db_stmt(db, SQL_EDU);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_text(st, 1, w->education, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        db_col_copy(st, 0, it->name_zh, sizeof(it->name_zh));
        db_col_copy(st, 1, it->name_en, sizeof(it->name_en));
        it->points = sqlite3_column_int(st, 2);
        it->example = sqlite3_column_int(st, 3) != 0;
    }
    db_stmt_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : GY_EDB;
}

static int
add_skill(struct db *db, const struct svc_worker *w, struct svc_points *p)
{
    struct svc_points_item *it = item_add(p, SVC_POINTS_SKILL);
    if (it == NULL)
        return GY_ETOOBIG;
    sqlite3_stmt *st = db_stmt(db, SQL_SKILL);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_int64(st, 1, w->id);
    /* The certificate of the highest rank counts; the first one read wins a tie. */
    bool found = false;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int rank = sqlite3_column_int(st, 3);
        if (found && rank <= it->quantity)
            continue;
        found = true;
        db_col_copy(st, 0, it->code, sizeof(it->code));
        db_col_copy(st, 1, it->name_zh, sizeof(it->name_zh));
        db_col_copy(st, 2, it->name_en, sizeof(it->name_en));
        it->quantity = rank;
        it->points = sqlite3_column_int(st, 4);
        it->example = sqlite3_column_int(st, 5) != 0;
    }
    db_stmt_done(st);
    return rc == SQLITE_DONE ? 0 : GY_EDB;
}

/* Adds each of the worker's service records to the quantity of its rule when it lies in
 * the rule's window: [today - window_months, today], or the whole record without a
 * window. One query for every rule; dates compare as 'YYYY-MM-DD' text, as in SQL. */
static int
add_service_quantities(struct db *db, long long worker, struct gy_date today,
                       struct svc_points_item *rules, size_t n)
{
    char from[SVC_POINTS_MAX_ITEMS][GY_DATE_STRLEN], until[GY_DATE_STRLEN];
    for (size_t i = 0; i < n; i++)
        gy_date_format(gy_date_add_months(today, -rules[i].window_months), from[i]);
    gy_date_format(today, until);
    sqlite3_stmt *st = db_stmt(db, SQL_SERVICES);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_int64(st, 1, worker);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *kind = db_col_text(st, 0);
        const char *on = db_col_text(st, 2);
        for (size_t i = 0; i < n; i++) {
            if (strcmp(rules[i].code, kind) != 0)
                continue;
            if (rules[i].window_months > 0 &&
                (strcmp(on, from[i]) < 0 || strcmp(on, until) > 0))
                break;
            rules[i].quantity += sqlite3_column_int64(st, 1);
            break;
        }
    }
    db_stmt_done(st);
    return rc == SQLITE_DONE ? 0 : GY_EDB;
}

/* True when rule a is listed before rule b: rules without a window (the worker's months)
 * first, then by code. */
static bool
rule_before(const struct svc_points_item *a, const struct svc_points_item *b)
{
    bool wa = a->window_months > 0, wb = b->window_months > 0;
    if (wa != wb)
        return !wa;
    return strcmp(a->code, b->code) < 0;
}

/* Insertion sort of the rules and their parallel arrays (a handful of rows). */
static void
sort_rules(struct svc_points_item *rules, int *ppu, int *cap, bool *has_cap, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct svc_points_item r = rules[i];
        int p = ppu[i], c = cap[i];
        bool h = has_cap[i];
        size_t j = i;
        for (; j > 0 && rule_before(&r, &rules[j - 1]); j--) {
            rules[j] = rules[j - 1];
            ppu[j] = ppu[j - 1];
            cap[j] = cap[j - 1];
            has_cap[j] = has_cap[j - 1];
        }
        rules[j] = r;
        ppu[j] = p;
        cap[j] = c;
        has_cap[j] = h;
    }
}

static int
add_rules(struct db *db, const struct svc_worker *w, struct gy_date today, struct svc_points *p)
{
    /* Read the rules first (a small table), then the worker's service records once. */
    struct svc_points_item rules[SVC_POINTS_MAX_ITEMS];
    int ppu[SVC_POINTS_MAX_ITEMS], cap[SVC_POINTS_MAX_ITEMS];
    bool has_cap[SVC_POINTS_MAX_ITEMS];
    size_t n = 0;
    sqlite3_stmt *st = db_stmt(db, SQL_RULES);
    if (st == NULL)
        return GY_EDB;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n >= SVC_POINTS_MAX_ITEMS) {
            db_stmt_done(st);
            return GY_ETOOBIG;
        }
        struct svc_points_item *it = &rules[n];
        memset(it, 0, sizeof(*it));
        it->kind = SVC_POINTS_RULE;
        db_col_copy(st, 0, it->code, sizeof(it->code));
        db_col_copy(st, 1, it->name_zh, sizeof(it->name_zh));
        db_col_copy(st, 2, it->name_en, sizeof(it->name_en));
        it->unit = sqlite3_column_int(st, 3);
        ppu[n] = sqlite3_column_int(st, 4);
        has_cap[n] = sqlite3_column_type(st, 5) != SQLITE_NULL;
        cap[n] = sqlite3_column_int(st, 5);
        it->window_months = sqlite3_column_int(st, 6);
        it->example = sqlite3_column_int(st, 7) != 0;
        n++;
    }
    db_stmt_done(st);
    if (rc != SQLITE_DONE)
        return GY_EDB;
    sort_rules(rules, ppu, cap, has_cap, n);

    int err = add_service_quantities(db, w->id, today, rules, n);
    if (err != 0)
        return err;
    for (size_t i = 0; i < n; i++) {
        struct svc_points_item *it = &rules[i];
        /* These two rules count the worker's months; service records never carry them. */
        if (strcmp(it->code, "social_insurance") == 0)
            it->quantity = w->insurance_months;
        else if (strcmp(it->code, "work_years") == 0)
            it->quantity = w->work_months;
        long long pts = it->unit > 0 ? (it->quantity / it->unit) * ppu[i] : 0;
        if (has_cap[i] && pts > cap[i]) {
            pts = cap[i];
            it->capped = true;
        }
        it->points = (int)pts;
        struct svc_points_item *slot = item_add(p, SVC_POINTS_RULE);
        if (slot == NULL)
            return GY_ETOOBIG;
        *slot = *it;
    }
    return 0;
}

static int
add_deductions(struct db *db, const struct svc_worker *w, struct svc_points *p)
{
    struct svc_points_item *it = item_add(p, SVC_POINTS_DEDUCTION);
    if (it == NULL)
        return GY_ETOOBIG;
    snprintf(it->code, sizeof(it->code), "deduction");
    sqlite3_stmt *st = db_stmt(db, SQL_DEDUCT);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_int64(st, 1, w->id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        it->points = sqlite3_column_int(st, 0);
        it->quantity = sqlite3_column_int64(st, 1);
    }
    db_stmt_done(st);
    return rc == SQLITE_ROW ? 0 : GY_EDB;
}

int
svc_points_compute(struct db *db, const struct svc_worker *w, struct gy_date today,
                   struct svc_points *out)
{
    if (db == NULL || w == NULL || out == NULL || !gy_date_valid(today))
        return GY_EINVAL;
    memset(out, 0, sizeof(*out));
    int err = svc_param_get(db, "points_threshold", &out->threshold, &out->threshold_example);
    if (err == 0)
        err = add_education(db, w, out);
    if (err == 0)
        err = add_skill(db, w, out);
    if (err == 0)
        err = add_rules(db, w, today, out);
    if (err == 0)
        err = add_deductions(db, w, out);
    if (err != 0)
        return err;
    for (size_t i = 0; i < out->n_items; i++)
        out->total += out->items[i].points;
    out->short_of = out->total < out->threshold ? out->threshold - out->total : 0;
    return 0;
}

int
svc_points_ensure(struct db *db, const struct svc_worker *w, struct gy_date today,
                  const struct svc_points **points, struct svc_points *local)
{
    if (*points != NULL)
        return 0;
    int err = svc_points_compute(db, w, today, local);
    if (err != 0)
        return err;
    *points = local;
    return 0;
}

const struct svc_points_item *
svc_points_find(const struct svc_points *p, enum svc_points_kind kind, const char *code)
{
    for (size_t i = 0; i < p->n_items; i++) {
        const struct svc_points_item *it = &p->items[i];
        if (it->kind == kind && (code == NULL || strcmp(it->code, code) == 0))
            return it;
    }
    return NULL;
}
