/* SPDX-License-Identifier: GPL-3.0-or-later */
/* svc_subsidy: subsidy status of each certificate and the next level's gain, from
 * certificates, skill_levels, subsidy_standards and shortage_occupations. */
#include "db/svc_subsidy.h"
#include "base/gy_err.h"
#include "base/gy_str.h"
#include "db/svc_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_CERTS[] =
    "SELECT c.occupation, o.name_zh, o.name_en, c.level, s.name_zh, s.name_en, s.rank,"
    " s.points, c.issued_on, c.subsidy_status, c.subsidy_paid_fen, c.subsidy_paid_on"
    " FROM certificates c JOIN occupations o ON o.code = c.occupation"
    " JOIN skill_levels s ON s.code = c.level WHERE c.worker_id = ?1"
    " ORDER BY c.occupation, s.rank";
static const char SQL_STANDARD[] =
    "SELECT amount_fen, claim_months, example FROM subsidy_standards WHERE level = ?1";
static const char SQL_SHORTAGE[] =
    "SELECT uplift_bp FROM shortage_occupations WHERE occupation = ?1 AND listed_from <= ?2"
    " AND (listed_until IS NULL OR listed_until = '' OR listed_until >= ?2)";
static const char SQL_NEXT_LEVEL[] =
    "SELECT code, name_zh, name_en, rank, points, example FROM skill_levels WHERE rank > ?1"
    " ORDER BY rank LIMIT 1";

const char *
svc_subsidy_status_name(enum svc_subsidy_status st)
{
    switch (st) {
    case SVC_SUBSIDY_PAID:
        return "paid";
    case SVC_SUBSIDY_CLAIMABLE:
        return "claimable";
    case SVC_SUBSIDY_EXPIRED:
        return "expired";
    case SVC_SUBSIDY_NO_STANDARD:
        return "no_standard";
    }
    return "unknown";
}

void
svc_subsidy_fini(struct svc_subsidy *s)
{
    if (s == NULL)
        return;
    free(s->certs);
    free(s->next);
    memset(s, 0, sizeof(*s));
}

/* The standard for level and the uplift of occupation as listed on date `on`. */
static int
amount_for(struct db *db, const char *level, const char *occupation, struct gy_date on,
           struct svc_subsidy_amount *a)
{
    memset(a, 0, sizeof(*a));
    sqlite3_stmt *st = db_stmt(db, SQL_STANDARD);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_text(st, 1, level, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        a->has_standard = true;
        a->standard_fen = sqlite3_column_int64(st, 0);
        a->claim_months = sqlite3_column_int(st, 1);
        a->example = sqlite3_column_int(st, 2) != 0;
    }
    db_stmt_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return GY_EDB;

    st = db_stmt(db, SQL_SHORTAGE);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_text(st, 1, occupation, -1, SQLITE_STATIC);
    svc_bind_date(st, 2, on);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        a->shortage = true;
        a->uplift_bp = sqlite3_column_int(st, 0);
    }
    db_stmt_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return GY_EDB;
    if (a->has_standard) {
        a->uplift_fen = a->shortage ? svc_fen_bp(a->standard_fen, a->uplift_bp) : 0;
        a->total_fen = a->standard_fen + a->uplift_fen;
    }
    return 0;
}

/* Reads the certificates (without amounts) into s->certs; *max_points receives the
 * points of the highest level held (0 when none), and pts[i] each certificate's. */
static int
load_certs(struct db *db, const struct svc_worker *w, struct svc_subsidy *s, int *max_points)
{
    sqlite3_stmt *st = db_stmt(db, SQL_CERTS);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_int64(st, 1, w->id);
    size_t cap = 0;
    int rc, ret = 0;
    *max_points = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct svc_subsidy_cert *p = svc_grow(s->certs, &cap, s->n_certs, sizeof(*p), 4);
        if (p == NULL) {
            ret = GY_ENOMEM;
            break;
        }
        s->certs = p;
        struct svc_subsidy_cert *c = &s->certs[s->n_certs];
        memset(c, 0, sizeof(*c));
        db_col_copy(st, 0, c->occupation, sizeof(c->occupation));
        db_col_copy(st, 1, c->occupation_zh, sizeof(c->occupation_zh));
        db_col_copy(st, 2, c->occupation_en, sizeof(c->occupation_en));
        db_col_copy(st, 3, c->level, sizeof(c->level));
        db_col_copy(st, 4, c->level_zh, sizeof(c->level_zh));
        db_col_copy(st, 5, c->level_en, sizeof(c->level_en));
        c->rank = sqlite3_column_int(st, 6);
        int pts = sqlite3_column_int(st, 7);
        if (pts > *max_points)
            *max_points = pts;
        if (svc_col_date(st, 8, &c->issued_on) != 0) {
            ret = GY_EPARSE;
            break;
        }
        c->status = strcmp(db_col_text(st, 9), "paid") == 0 ? SVC_SUBSIDY_PAID
                                                             : SVC_SUBSIDY_NO_STANDARD;
        c->paid_fen = sqlite3_column_int64(st, 10);
        int drc = svc_col_date(st, 11, &c->paid_on);
        if (drc == GY_EPARSE) {
            ret = GY_EPARSE;
            break;
        }
        c->has_paid_on = drc == 0;
        s->n_certs++;
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = GY_EDB;
    db_stmt_done(st);
    return ret;
}

static int
judge_cert(struct db *db, struct gy_date today, struct svc_subsidy *s, struct svc_subsidy_cert *c)
{
    int err = amount_for(db, c->level, c->occupation, c->issued_on, &c->amount);
    if (err != 0)
        return err;
    if (c->amount.has_standard) {
        c->has_deadline = true;
        c->deadline = gy_date_add_days(gy_date_add_months(c->issued_on, c->amount.claim_months), -1);
    }
    if (c->status == SVC_SUBSIDY_PAID) {
        s->paid_fen += c->paid_fen;
        return 0;
    }
    if (!c->amount.has_standard)
        return 0;
    long left = gy_date_to_days(c->deadline) - gy_date_to_days(today);
    if (left >= 0) {
        c->status = SVC_SUBSIDY_CLAIMABLE;
        c->days_left = (int)left;
        s->claimable_fen += c->amount.total_fen;
    } else {
        c->status = SVC_SUBSIDY_EXPIRED;
    }
    return 0;
}

/* The next level above the highest held in the occupation of certs[last] (the certificates
 * are sorted by occupation then rank, so certs[last] is that highest). */
static int
add_next(struct db *db, struct gy_date today, int max_points, struct svc_subsidy *s,
         const struct svc_subsidy_cert *top)
{
    sqlite3_stmt *st = db_stmt(db, SQL_NEXT_LEVEL);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_int(st, 1, top->rank);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        db_stmt_done(st);
        return rc == SQLITE_DONE ? 0 : GY_EDB;
    }
    struct svc_subsidy_next *n = &s->next[s->n_next];
    memset(n, 0, sizeof(*n));
    gy_strlcpy(n->occupation, sizeof(n->occupation), top->occupation);
    gy_strlcpy(n->occupation_zh, sizeof(n->occupation_zh), top->occupation_zh);
    gy_strlcpy(n->occupation_en, sizeof(n->occupation_en), top->occupation_en);
    gy_strlcpy(n->from_level, sizeof(n->from_level), top->level);
    gy_strlcpy(n->from_level_zh, sizeof(n->from_level_zh), top->level_zh);
    db_col_copy(st, 0, n->level, sizeof(n->level));
    db_col_copy(st, 1, n->level_zh, sizeof(n->level_zh));
    db_col_copy(st, 2, n->level_en, sizeof(n->level_en));
    n->rank = sqlite3_column_int(st, 3);
    n->level_points = sqlite3_column_int(st, 4);
    n->points_example = sqlite3_column_int(st, 5) != 0;
    db_stmt_done(st);
    n->points_gain = n->level_points > max_points ? n->level_points - max_points : 0;
    int err = amount_for(db, n->level, n->occupation, today, &n->amount);
    if (err != 0)
        return err;
    s->n_next++;
    return 0;
}

int
svc_subsidy_check(struct db *db, const struct svc_worker *w, struct gy_date today,
                  struct svc_subsidy *out)
{
    if (db == NULL || w == NULL || out == NULL || !gy_date_valid(today))
        return GY_EINVAL;
    memset(out, 0, sizeof(*out));
    int max_points = 0;
    int err = load_certs(db, w, out, &max_points);
    for (size_t i = 0; err == 0 && i < out->n_certs; i++)
        err = judge_cert(db, today, out, &out->certs[i]);
    if (err == 0 && out->n_certs > 0) {
        out->next = calloc(out->n_certs, sizeof(*out->next));
        if (out->next == NULL)
            err = GY_ENOMEM;
    }
    for (size_t i = 0; err == 0 && i < out->n_certs; i++) {
        bool last_of_occupation = i + 1 == out->n_certs ||
                                  strcmp(out->certs[i].occupation, out->certs[i + 1].occupation) != 0;
        if (last_of_occupation)
            err = add_next(db, today, max_points, out, &out->certs[i]);
    }
    if (err != 0)
        svc_subsidy_fini(out);
    return err;
}
