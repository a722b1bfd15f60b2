/* SPDX-License-Identifier: GPL-3.0-or-later */
/* import_people: the worker kinds of the CSV importer (workers, certificates, children,
 * social service records, deductions): columns, validation (ID numbers, numbers, dates)
 * and upserts on natural keys. Workers are referred to by msisdn. Messages never carry
 * numbers, ID numbers or names. */
#include "db/import_int.h"
#include "base/gy_err.h"
#include "base/gy_idnum.h"

#include <stdio.h>
#include <string.h>

#define MONTHS_MAX 720 /* 60 years */

/* ---- workers ---- */
enum {
    WK_MSISDN,
    WK_ID,
    WK_NAME,
    WK_DISTRICT,
    WK_EMPLOYER,
    WK_EDUCATION,
    WK_PERMIT,
    WK_STABLE,
    WK_BACKBONE,
    WK_INSURANCE,
    WK_WORK,
    WK_LANGUAGE,
    WK_OPTED_OUT,
};
static const struct import_column worker_cols[] = {
    {"msisdn", NULL, true},
    {"id_number", NULL, true},
    {"name", NULL, true},
    {"district", NULL, true},
    {"employer", NULL, false},
    {"education", NULL, false},
    {"residence_permit_since", NULL, false},
    {"stable_residence", NULL, false},
    {"enterprise_backbone", NULL, false},
    {"insurance_months", NULL, false},
    {"work_months", NULL, false},
    {"language", NULL, false},
    {"opted_out", NULL, false},
};

static const char SQL_ID_OWNER[] = "SELECT msisdn FROM workers WHERE id_number = ?1";
/* ?14 is the mask of optional columns present in the header (bit = column index): an
 * absent column keeps the stored value on update. An import never clears an opt-out. */
static const char SQL_WORKER_UPSERT[] =
    "INSERT INTO workers (msisdn, id_number, name, district, employer, education, "
    " residence_permit_since, stable_residence, enterprise_backbone, insurance_months, "
    " work_months, language, opted_out, opted_out_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
    " CASE WHEN ?13 THEN ?15 END) "
    "ON CONFLICT(msisdn) DO UPDATE SET id_number = excluded.id_number, "
    " name = excluded.name, district = excluded.district, "
    " employer = CASE WHEN ?14 & 16 THEN excluded.employer ELSE employer END, "
    " education = CASE WHEN ?14 & 32 THEN excluded.education ELSE education END, "
    " residence_permit_since = CASE WHEN ?14 & 64 THEN excluded.residence_permit_since "
    "  ELSE residence_permit_since END, "
    " stable_residence = CASE WHEN ?14 & 128 THEN excluded.stable_residence "
    "  ELSE stable_residence END, "
    " enterprise_backbone = CASE WHEN ?14 & 256 THEN excluded.enterprise_backbone "
    "  ELSE enterprise_backbone END, "
    " insurance_months = CASE WHEN ?14 & 512 THEN excluded.insurance_months "
    "  ELSE insurance_months END, "
    " work_months = CASE WHEN ?14 & 1024 THEN excluded.work_months ELSE work_months END, "
    " language = CASE WHEN ?14 & 2048 THEN excluded.language ELSE language END, "
    " opted_out = max(opted_out, excluded.opted_out), "
    " opted_out_at = CASE WHEN opted_out = 0 AND excluded.opted_out = 1 THEN ?15 "
    "  ELSE opted_out_at END";

static int
row_worker(struct import_ctx *ctx)
{
    const char *msisdn, *name, *employer, *ps;
    char district[40], education[16], pb[GY_DATE_STRLEN];
    bool edu_null;
    struct gy_date permit;
    int stable, backbone, opted_out;
    long insurance, work;
    CHECK(imp_msisdn(ctx, WK_MSISDN, &msisdn));

    char id[GY_IDNUM_LEN + 1];
    const char *idv = ctx->val[WK_ID];
    if (strlen(idv) != GY_IDNUM_LEN)
        return imp_reject(ctx, "id_number: %s", gy_idnum_strerror(GY_IDNUM_LENGTH));
    memcpy(id, idv, sizeof(id));
    if (id[17] == 'x')
        id[17] = 'X';
    enum gy_idnum_error ie = gy_idnum_check(id, &ctx->today, NULL);
    if (ie != GY_IDNUM_OK)
        return imp_reject(ctx, "id_number: %s", gy_idnum_strerror(ie));

    CHECK(imp_text(ctx, WK_NAME, 40, true, &name));
    CHECK(imp_district(ctx, WK_DISTRICT, district, sizeof(district)));
    CHECK(imp_text(ctx, WK_EMPLOYER, 80, false, &employer));
    CHECK(imp_education(ctx, WK_EDUCATION, education, sizeof(education), &edu_null));
    CHECK(imp_date(ctx, WK_PERMIT, false, true, &permit, pb, &ps));
    CHECK(imp_bool(ctx, WK_STABLE, 0, &stable));
    CHECK(imp_bool(ctx, WK_BACKBONE, 0, &backbone));
    CHECK(imp_int(ctx, WK_INSURANCE, 0, MONTHS_MAX, false, 0, &insurance));
    CHECK(imp_int(ctx, WK_WORK, 0, MONTHS_MAX, false, 0, &work));
    const char *lang = ctx->val[WK_LANGUAGE];
    if (lang[0] == '\0' || strcmp(lang, "中文") == 0)
        lang = "zh";
    else if (strcmp(lang, "English") == 0 || strcmp(lang, "english") == 0)
        lang = "en";
    if (strcmp(lang, "zh") != 0 && strcmp(lang, "en") != 0)
        return imp_reject(ctx, "language: '%.20s' is not zh or en", lang);
    CHECK(imp_bool(ctx, WK_OPTED_OUT, 0, &opted_out));

    char key[48];
    snprintf(key, sizeof(key), "m:%s", msisdn);
    CHECK(imp_key_once(ctx, key));
    snprintf(key, sizeof(key), "i:%s", id);
    CHECK(imp_key_once(ctx, key));

    int taken = imp_taken(ctx, SQL_ID_OWNER, id, msisdn);
    if (taken < 0)
        return taken;
    if (taken)
        return imp_reject(ctx, "id_number: already registered to another number");

    sqlite3_stmt *st = db_stmt(ctx->db, SQL_WORKER_UPSERT);
    if (st == NULL)
        return imp_dberr(ctx);
    sqlite3_bind_text(st, 1, msisdn, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, district, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, employer, -1, SQLITE_STATIC);
    if (!edu_null)
        sqlite3_bind_text(st, 6, education, -1, SQLITE_STATIC);
    if (ps != NULL)
        sqlite3_bind_text(st, 7, ps, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 8, stable);
    sqlite3_bind_int(st, 9, backbone);
    sqlite3_bind_int64(st, 10, insurance);
    sqlite3_bind_int64(st, 11, work);
    sqlite3_bind_text(st, 12, lang, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 13, opted_out);
    sqlite3_bind_int64(st, 14, (sqlite3_int64)ctx->present);
    sqlite3_bind_text(st, 15, ctx->today_s, -1, SQLITE_STATIC);
    return imp_exec(ctx, st);
}

const struct import_kind_def import_def_workers = {"workers", worker_cols, NCOLS(worker_cols),
                                                   row_worker};

/* ---- certificates ---- */
enum { CE_MSISDN, CE_OCC, CE_LEVEL, CE_ISSUED, CE_STATUS, CE_PAID, CE_PAID_ON };
static const struct import_column cert_cols[] = {
    {"msisdn", NULL, true},          {"occupation", NULL, true},
    {"level", NULL, true},           {"issued_on", NULL, true},
    {"subsidy_status", NULL, false}, {"subsidy_paid_yuan", NULL, false},
    {"subsidy_paid_on", NULL, false},
};
static const char SQL_CERT_UPSERT[] =
    "INSERT INTO certificates (worker_id, occupation, level, issued_on, subsidy_status, "
    " subsidy_paid_fen, subsidy_paid_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
    "ON CONFLICT(worker_id, occupation, level) DO UPDATE SET issued_on = excluded.issued_on, "
    " subsidy_status = excluded.subsidy_status, subsidy_paid_fen = excluded.subsidy_paid_fen, "
    " subsidy_paid_on = excluded.subsidy_paid_on";

static int
row_certificate(struct import_ctx *ctx)
{
    long long worker;
    char occ[40], level[32], ib[GY_DATE_STRLEN], pb[GY_DATE_STRLEN];
    struct gy_date issued, paid_on;
    const char *is, *ps;
    long long paid;
    CHECK(imp_worker(ctx, CE_MSISDN, &worker));
    CHECK(imp_occupation(ctx, CE_OCC, occ, sizeof(occ)));
    CHECK(imp_skill_level(ctx, CE_LEVEL, level, sizeof(level)));
    CHECK(imp_date(ctx, CE_ISSUED, true, true, &issued, ib, &is));
    const char *sv = ctx->val[CE_STATUS];
    const char *status;
    if (sv[0] == '\0' || strcmp(sv, "unclaimed") == 0 || strcmp(sv, "未领取") == 0)
        status = "unclaimed";
    else if (strcmp(sv, "paid") == 0 || strcmp(sv, "已发放") == 0)
        status = "paid";
    else
        return imp_reject(ctx, "subsidy_status: '%.20s' is not paid or unclaimed", sv);
    CHECK(imp_cents(ctx, CE_PAID, 0, 100000 * 100LL, false, 0, &paid));
    CHECK(imp_date(ctx, CE_PAID_ON, false, true, &paid_on, pb, &ps));
    if (strcmp(status, "unclaimed") == 0 && (paid != 0 || ps != NULL))
        return imp_reject(ctx, "subsidy_paid_yuan/subsidy_paid_on: given for an unclaimed "
                               "subsidy");
    if (strcmp(status, "paid") == 0 && paid <= 0)
        return imp_reject(ctx, "subsidy_paid_yuan: a paid subsidy needs its amount");
    if (ps != NULL && gy_date_cmp(paid_on, issued) < 0)
        return imp_reject(ctx, "subsidy_paid_on: before issued_on");
    char key[96];
    snprintf(key, sizeof(key), "%lld/%s/%s", worker, occ, level);
    CHECK(imp_key_once(ctx, key));
    sqlite3_stmt *st = db_stmt(ctx->db, SQL_CERT_UPSERT);
    if (st == NULL)
        return imp_dberr(ctx);
    sqlite3_bind_int64(st, 1, worker);
    sqlite3_bind_text(st, 2, occ, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, level, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, is, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, paid);
    if (ps != NULL)
        sqlite3_bind_text(st, 7, ps, -1, SQLITE_STATIC);
    return imp_exec(ctx, st);
}

const struct import_kind_def import_def_certificates = {"certificates", cert_cols,
                                                        NCOLS(cert_cols), row_certificate};

/* ---- children ---- */
enum { CH_PARENT, CH_NAME, CH_BIRTH, CH_GRADE };
static const struct import_column child_cols[] = {{"parent_msisdn", "msisdn", true},
                                                  {"name", NULL, true},
                                                  {"birth_date", NULL, true},
                                                  {"current_grade", NULL, false}};
static const char SQL_CHILD_UPSERT[] =
    "INSERT INTO children (worker_id, name, birth_date, current_grade) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT(worker_id, name, birth_date) DO UPDATE SET "
    " current_grade = excluded.current_grade";

static int
row_child(struct import_ctx *ctx)
{
    long long worker;
    const char *name, *bs;
    char bb[GY_DATE_STRLEN];
    struct gy_date birth;
    long grade;
    CHECK(imp_worker(ctx, CH_PARENT, &worker));
    CHECK(imp_text(ctx, CH_NAME, 40, true, &name));
    CHECK(imp_date(ctx, CH_BIRTH, true, true, &birth, bb, &bs));
    if (gy_date_age_on(birth, ctx->today) > 25)
        return imp_reject(ctx, "birth_date: more than 25 years ago");
    CHECK(imp_int(ctx, CH_GRADE, 0, 12, false, -1, &grade));
    char key[160];
    snprintf(key, sizeof(key), "%lld/%s/%s", worker, bs, name);
    CHECK(imp_key_once(ctx, key));
    sqlite3_stmt *st = db_stmt(ctx->db, SQL_CHILD_UPSERT);
    if (st == NULL)
        return imp_dberr(ctx);
    sqlite3_bind_int64(st, 1, worker);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, bs, -1, SQLITE_STATIC);
    if (grade >= 0)
        sqlite3_bind_int64(st, 4, grade);
    return imp_exec(ctx, st);
}

const struct import_kind_def import_def_children = {"children", child_cols, NCOLS(child_cols),
                                                    row_child};

/* ---- services: msisdn,kind,quantity,on_date ---- */
enum { SV_MSISDN, SV_KIND, SV_QTY, SV_DATE };
static const struct import_column service_cols[] = {{"msisdn", NULL, true},
                                                    {"kind", NULL, true},
                                                    {"quantity", NULL, true},
                                                    {"on_date", NULL, true}};
/* Social service kinds are the points rules counted over a window of months. */
static const char SQL_SERVICE_KIND[] =
    "SELECT code FROM points_rules WHERE (code = ?1 OR name_zh = ?1) "
    "AND window_months IS NOT NULL";
static const char SQL_SERVICE_FIND[] =
    "SELECT id FROM service_records WHERE worker_id = ?1 AND kind = ?2 AND on_date = ?3";
static const char SQL_SERVICE_UPDATE[] = "UPDATE service_records SET quantity = ?2 WHERE id = ?1";
static const char SQL_SERVICE_INSERT[] =
    "INSERT INTO service_records (worker_id, kind, quantity, on_date) VALUES (?1, ?2, ?3, ?4)";

/* Finds an existing row with sql, whose parameters are worker, t2 and t3. Returns the id,
 * 0 when none, or a negative code. */
static long long
find_id(struct import_ctx *ctx, const char *sql, long long worker, const char *t2,
        const char *t3)
{
    sqlite3_stmt *st = db_stmt(ctx->db, sql);
    if (st == NULL)
        return imp_dberr(ctx);
    sqlite3_bind_int64(st, 1, worker);
    sqlite3_bind_text(st, 2, t2, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, t3, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    long long id = 0;
    if (rc == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE)
        id = imp_dberr(ctx);
    db_stmt_done(st);
    return id;
}

static int
row_service(struct import_ctx *ctx)
{
    long long worker, qty;
    char kind[32], db_[GY_DATE_STRLEN];
    struct gy_date on;
    const char *ds;
    CHECK(imp_worker(ctx, SV_MSISDN, &worker));
    int found = imp_lookup(ctx, SQL_SERVICE_KIND, ctx->val[SV_KIND], kind, sizeof(kind));
    if (found < 0)
        return found;
    if (found == 0)
        return imp_reject(ctx, "kind: unknown social service kind '%.30s'", ctx->val[SV_KIND]);
    if (strcmp(kind, "donation") == 0) /* yuan -> fen */
        CHECK(imp_cents(ctx, SV_QTY, 1, 10000000LL * 100, true, 0, &qty));
    else {
        long n;
        CHECK(imp_int(ctx, SV_QTY, 1, 100000, true, 0, &n));
        qty = n;
    }
    CHECK(imp_date(ctx, SV_DATE, true, true, &on, db_, &ds));
    char key[80];
    snprintf(key, sizeof(key), "%lld/%s/%s", worker, kind, ds);
    CHECK(imp_key_once(ctx, key));

    long long id = find_id(ctx, SQL_SERVICE_FIND, worker, kind, ds);
    if (id < 0)
        return (int)id;
    sqlite3_stmt *st;
    if (id > 0) {
        st = db_stmt(ctx->db, SQL_SERVICE_UPDATE);
        if (st == NULL)
            return imp_dberr(ctx);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, qty);
        return imp_exec(ctx, st);
    }
    st = db_stmt(ctx->db, SQL_SERVICE_INSERT);
    if (st == NULL)
        return imp_dberr(ctx);
    sqlite3_bind_int64(st, 1, worker);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, qty);
    sqlite3_bind_text(st, 4, ds, -1, SQLITE_STATIC);
    return imp_exec(ctx, st);
}

const struct import_kind_def import_def_services = {"services", service_cols,
                                                    NCOLS(service_cols), row_service};

/* ---- deductions: msisdn,points,reason,agency,on_date ---- */
enum { DE_MSISDN, DE_POINTS, DE_REASON, DE_AGENCY, DE_DATE };
static const struct import_column deduction_cols[] = {{"msisdn", NULL, true},
                                                      {"points", NULL, true},
                                                      {"reason", NULL, true},
                                                      {"agency", NULL, false},
                                                      {"on_date", NULL, true}};
static const char SQL_AGENCY[] =
    "SELECT code FROM agencies WHERE code = ?1 OR name_zh = ?1 OR signature = ?1";
static const char SQL_DED_FIND[] =
    "SELECT id FROM deductions WHERE worker_id = ?1 AND on_date = ?2 AND reason = ?3";
static const char SQL_DED_UPDATE[] =
    "UPDATE deductions SET points = ?2, agency = ?3 WHERE id = ?1";
static const char SQL_DED_INSERT[] =
    "INSERT INTO deductions (worker_id, points, reason, agency, on_date) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";

static int
row_deduction(struct import_ctx *ctx)
{
    long long worker;
    long points;
    const char *reason, *ds;
    char agency[32] = "", dbuf[GY_DATE_STRLEN];
    struct gy_date on;
    CHECK(imp_worker(ctx, DE_MSISDN, &worker));
    CHECK(imp_int(ctx, DE_POINTS, -1000, -1, true, 0, &points));
    CHECK(imp_text(ctx, DE_REASON, 100, true, &reason));
    if (!imp_empty(ctx, DE_AGENCY)) {
        int found = imp_lookup(ctx, SQL_AGENCY, ctx->val[DE_AGENCY], agency, sizeof(agency));
        if (found < 0)
            return found;
        if (found == 0)
            return imp_reject(ctx, "agency: unknown agency '%.40s'", ctx->val[DE_AGENCY]);
    }
    CHECK(imp_date(ctx, DE_DATE, true, true, &on, dbuf, &ds));
    char key[200];
    snprintf(key, sizeof(key), "%lld/%s/%s", worker, ds, reason);
    CHECK(imp_key_once(ctx, key));

    long long id = find_id(ctx, SQL_DED_FIND, worker, ds, reason);
    if (id < 0)
        return (int)id;
    sqlite3_stmt *st = db_stmt(ctx->db, id > 0 ? SQL_DED_UPDATE : SQL_DED_INSERT);
    if (st == NULL)
        return imp_dberr(ctx);
    if (id > 0) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, points);
        if (agency[0])
            sqlite3_bind_text(st, 3, agency, -1, SQLITE_STATIC);
        return imp_exec(ctx, st);
    }
    sqlite3_bind_int64(st, 1, worker);
    sqlite3_bind_int64(st, 2, points);
    sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
    if (agency[0])
        sqlite3_bind_text(st, 4, agency, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, ds, -1, SQLITE_STATIC);
    return imp_exec(ctx, st);
}

const struct import_kind_def import_def_deductions = {"deductions", deduction_cols,
                                                      NCOLS(deduction_cols), row_deduction};
