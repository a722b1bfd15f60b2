/* SPDX-License-Identifier: GPL-3.0-or-later */
/* import_reference: the reference-data kinds of the CSV importer (occupations, shortage
 * list, guide prices, schools, enrollment rounds and school quotas, minimum wages, wage
 * guidelines, subsidy standards): columns, validation and upserts on natural keys. */
#include "db/import_int.h"
#include "base/gy_err.h"

#include <stdio.h>
#include <string.h>

#define YEAR_MIN 2000
#define YEAR_MAX 2100
#define YUAN(x) ((long long)(x) * 100)

/* ---- occupations: code,name_zh,name_en ---- */
enum { OC_CODE, OC_NAME_ZH, OC_NAME_EN };
static const struct import_column occ_cols[] = {
    {"code", NULL, true}, {"name_zh", "name", true}, {"name_en", NULL, false}};

static const char SQL_OCC_NAME_OWNER[] = "SELECT code FROM occupations WHERE name_zh = ?1";
static const char SQL_OCC_UPSERT[] =
    "INSERT INTO occupations (code, name_zh, name_en) VALUES (?1, ?2, ?3) "
    "ON CONFLICT(code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en";

static int
row_occupation(struct import_ctx *ctx)
{
    const char *code, *zh, *en;
    CHECK(imp_text(ctx, OC_CODE, 32, true, &code));
    if (strspn(code, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-.") !=
        strlen(code))
        return imp_reject(ctx, "code: letters, digits, '-' and '.' only");
    CHECK(imp_text(ctx, OC_NAME_ZH, 32, true, &zh));
    CHECK(imp_text(ctx, OC_NAME_EN, 80, false, &en));
    char key[80];
    snprintf(key, sizeof(key), "c:%s", code);
    CHECK(imp_key_once(ctx, key));
    snprintf(key, sizeof(key), "n:%s", zh);
    CHECK(imp_key_once(ctx, key));

    int taken = imp_taken(ctx, SQL_OCC_NAME_OWNER, zh, code);
    if (taken < 0)
        return taken;
    if (taken)
        return imp_reject(ctx, "name_zh: '%s' already belongs to another occupation code", zh);

    sqlite3_stmt *st = db_stmt(ctx->db, SQL_OCC_UPSERT);
    if (st == NULL)
        return imp_dberr(ctx);
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, zh, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, en, -1, SQLITE_STATIC);
    return imp_exec(ctx, st);
}

const struct import_kind_def import_def_occupations = {"occupations", occ_cols, NCOLS(occ_cols),
                                                       row_occupation};

/* ---- shortage: occupation,uplift_percent,listed_from,listed_until ---- */
enum { SH_OCC, SH_UPLIFT, SH_FROM, SH_UNTIL };
static const struct import_column shortage_cols[] = {{"occupation", NULL, true},
                                                     {"uplift_percent", NULL, true},
                                                     {"listed_from", NULL, true},
                                                     {"listed_until", NULL, false}};
static const char SQL_SHORTAGE_UPSERT[] =
    "INSERT INTO shortage_occupations (occupation, uplift_bp, listed_from, listed_until) "
    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(occupation) DO UPDATE SET "
    "uplift_bp = excluded.uplift_bp, listed_from = excluded.listed_from, "
    "listed_until = excluded.listed_until";

static int
row_shortage(struct import_ctx *ctx)
{
    char occ[40];
    long long bp;
    struct gy_date from, until;
    char fb[GY_DATE_STRLEN], ub[GY_DATE_STRLEN];
    const char *fs, *us;
    CHECK(imp_occupation(ctx, SH_OCC, occ, sizeof(occ)));
    CHECK(imp_cents(ctx, SH_UPLIFT, 0, 100 * 100, true, 0, &bp));
    CHECK(imp_date(ctx, SH_FROM, true, false, &from, fb, &fs));
    CHECK(imp_date(ctx, SH_UNTIL, false, false, &until, ub, &us));
    if (us != NULL && gy_date_cmp(until, from) < 0)
        return imp_reject(ctx, "listed_until: before listed_from");
    CHECK(imp_key_once(ctx, occ));
    sqlite3_stmt *st = db_stmt(ctx->db, SQL_SHORTAGE_UPSERT);
    if (st == NULL)
        return imp_dberr(ctx);
    sqlite3_bind_text(st, 1, occ, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, bp);
    sqlite3_bind_text(st, 3, fs, -1, SQLITE_STATIC);
    if (us != NULL)
        sqlite3_bind_text(st, 4, us, -1, SQLITE_STATIC);
    return imp_exec(ctx, st);
}

const struct import_kind_def import_def_shortage = {"shortage", shortage_cols,
                                                    NCOLS(shortage_cols), row_shortage};

/* ---- guide-prices: occupation,year,low_yuan,median_yuan,high_yuan,example ---- */
enum { GP_OCC, GP_YEAR, GP_LOW, GP_MED, GP_HIGH, GP_EXAMPLE };
static const struct import_column gp_cols[] = {
    {"occupation", NULL, true},  {"year", NULL, true},      {"low_yuan", NULL, true},
    {"median_yuan", NULL, true}, {"high_yuan", NULL, true}, {"example", NULL, false}};
/* The lowest monthly minimum wage of any area in force at the end of the year. */
static const char SQL_GP_MINWAGE[] =
    "SELECT min(m.monthly_fen) FROM min_wages m WHERE m.effective_from = "
    "(SELECT max(effective_from) FROM min_wages x WHERE x.area = m.area "
    " AND x.effective_from <= ?1)";
static const char SQL_GP_UPSERT[] =
    "INSERT INTO guide_prices (occupation, year, low_fen, median_fen, high_fen, example) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(occupation, year) DO UPDATE SET "
    "low_fen = excluded.low_fen, median_fen = excluded.median_fen, "
    "high_fen = excluded.high_fen, example = excluded.example";

static int
row_guide_price(struct import_ctx *ctx)
{
    char occ[40];
    long year;
    long long lo, med, hi;
    int example;
    CHECK(imp_occupation(ctx, GP_OCC, occ, sizeof(occ)));
    CHECK(imp_int(ctx, GP_YEAR, YEAR_MIN, YEAR_MAX, true, 0, &year));
    CHECK(imp_cents(ctx, GP_LOW, 1, YUAN(1000000), true, 0, &lo));
    CHECK(imp_cents(ctx, GP_MED, 1, YUAN(1000000), true, 0, &med));
    CHECK(imp_cents(ctx, GP_HIGH, 1, YUAN(1000000), true, 0, &hi));
    CHECK(imp_bool(ctx, GP_EXAMPLE, 0, &example));
    if (lo > med || med > hi)
        return imp_reject(ctx, "low_yuan <= median_yuan <= high_yuan does not hold");
    char end[16];
    snprintf(end, sizeof(end), "%04ld-12-31", year);
    sqlite3_stmt *st = db_stmt(ctx->db, SQL_GP_MINWAGE);
    if (st == NULL)
        return imp_dberr(ctx);
    sqlite3_bind_text(st, 1, end, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    long long minw = (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
                         ? sqlite3_column_int64(st, 0)
                         : 0;
    db_stmt_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return imp_dberr(ctx);
    if (lo < minw)
        return imp_reject(ctx, "low_yuan: below the monthly minimum wage of %ld (%lld.%02lld)",
                          year, minw / 100, minw % 100);
    char key[64];
    snprintf(key, sizeof(key), "%s/%ld", occ, year);
    CHECK(imp_key_once(ctx, key));
    st = db_stmt(ctx->db, SQL_GP_UPSERT);
    if (st == NULL)
        return imp_dberr(ctx);
    sqlite3_bind_text(st, 1, occ, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, year);
    sqlite3_bind_int64(st, 3, lo);
    sqlite3_bind_int64(st, 4, med);
    sqlite3_bind_int64(st, 5, hi);
    sqlite3_bind_int(st, 6, example);
    return imp_exec(ctx, st);
}

const struct import_kind_def import_def_guide_prices = {"guide-prices", gp_cols, NCOLS(gp_cols),
                                                        row_guide_price};

/* ---- schools: code,name,district,level,example ---- */
enum { SC_CODE, SC_NAME, SC_DISTRICT, SC_LEVEL, SC_EXAMPLE };
static const struct import_column school_cols[] = {{"code", NULL, true},
                                                   {"name", NULL, true},
                                                   {"district", NULL, true},
                                                   {"level", NULL, true},
                                                   {"example", NULL, false}};
static const char SQL_SCHOOL_UPSERT[] =
    "INSERT INTO schools (code, name, district, level, example) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT(code) DO UPDATE SET name = excluded.name, district = excluded.district, "
    "level = excluded.level, example = excluded.example";

static int
row_school(struct import_ctx *ctx)
{
    const char *code, *name, *lv = ctx->val[SC_LEVEL];
    char district[40];
    int example;
    CHECK(imp_text(ctx, SC_CODE, 32, true, &code));
    CHECK(imp_text(ctx, SC_NAME, 60, true, &name));
    CHECK(imp_district(ctx, SC_DISTRICT, district, sizeof(district)));
    const char *level = NULL;
    if (strcmp(lv, "primary") == 0 || strcmp(lv, "小学") == 0)
        level = "primary";
    else if (strcmp(lv, "junior") == 0 || strcmp(lv, "初中") == 0 || strcmp(lv, "中学") == 0)
        level = "junior";
    else
        return imp_reject(ctx, "level: '%.20s' is not primary (小学) or junior (初中)", lv);
    CHECK(imp_bool(ctx, SC_EXAMPLE, 0, &example));
    CHECK(imp_key_once(ctx, code));
    sqlite3_stmt *st = db_stmt(ctx->db, SQL_SCHOOL_UPSERT);
    if (st == NULL)
        return imp_dberr(ctx);
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, district, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, level, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, example);
    return imp_exec(ctx, st);
}

const struct import_kind_def import_def_schools = {"schools", school_cols, NCOLS(school_cols),
                                                   row_school};

/* ---- rounds: year,age_on,apply_from,apply_until ---- */
enum { RD_YEAR, RD_AGE_ON, RD_FROM, RD_UNTIL };
static const struct import_column round_cols[] = {{"year", NULL, true},
                                                  {"age_on", NULL, true},
                                                  {"apply_from", NULL, false},
                                                  {"apply_until", NULL, false}};
static const char SQL_ROUND_UPSERT[] =
    "INSERT INTO enrollment_rounds (year, age_on, apply_from, apply_until) "
    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(year) DO UPDATE SET age_on = excluded.age_on, "
    "apply_from = excluded.apply_from, apply_until = excluded.apply_until";

static int
row_round(struct import_ctx *ctx)
{
    long year;
    struct gy_date age_on, from, until;
    char ab[GY_DATE_STRLEN], fb[GY_DATE_STRLEN], ub[GY_DATE_STRLEN];
    const char *as, *fs, *us;
    CHECK(imp_int(ctx, RD_YEAR, YEAR_MIN, YEAR_MAX, true, 0, &year));
    CHECK(imp_date(ctx, RD_AGE_ON, true, false, &age_on, ab, &as));
    CHECK(imp_date(ctx, RD_FROM, false, false, &from, fb, &fs));
    CHECK(imp_date(ctx, RD_UNTIL, false, false, &until, ub, &us));
    if (age_on.year != year)
        return imp_reject(ctx, "age_on: not in the round's year %ld", year);
    if (fs != NULL && us != NULL && gy_date_cmp(until, from) < 0)
        return imp_reject(ctx, "apply_until: before apply_from");
    char key[16];
    snprintf(key, sizeof(key), "%ld", year);
    CHECK(imp_key_once(ctx, key));
    sqlite3_stmt *st = db_stmt(ctx->db, SQL_ROUND_UPSERT);
    if (st == NULL)
        return imp_dberr(ctx);
    sqlite3_bind_int64(st, 1, year);
    sqlite3_bind_text(st, 2, as, -1, SQLITE_STATIC);
    if (fs != NULL)
        sqlite3_bind_text(st, 3, fs, -1, SQLITE_STATIC);
    if (us != NULL)
        sqlite3_bind_text(st, 4, us, -1, SQLITE_STATIC);
    return imp_exec(ctx, st);
}

const struct import_kind_def import_def_rounds = {"rounds", round_cols, NCOLS(round_cols),
                                                  row_round};

/* ---- school-rounds: school,year,quota,cutoff,example ---- */
enum { SR_SCHOOL, SR_YEAR, SR_QUOTA, SR_CUTOFF, SR_EXAMPLE };
static const struct import_column sr_cols[] = {{"school", NULL, true},
                                               {"year", NULL, true},
                                               {"quota", NULL, false},
                                               {"cutoff", NULL, false},
                                               {"example", NULL, false}};
static const char SQL_SCHOOL_CODE[] = "SELECT code FROM schools WHERE code = ?1";
static const char SQL_SR_UPSERT[] =
    "INSERT INTO school_rounds (school, year, quota, cutoff, example) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(school, year) DO UPDATE SET "
    "quota = excluded.quota, cutoff = excluded.cutoff, example = excluded.example";

static int
row_school_round(struct import_ctx *ctx)
{
    const char *school = ctx->val[SR_SCHOOL];
    long year, quota, cutoff;
    int example;
    if (school[0] == '\0')
        return imp_reject(ctx, "school: must not be empty");
    CHECK(imp_int(ctx, SR_YEAR, YEAR_MIN, YEAR_MAX, true, 0, &year));
    CHECK(imp_int(ctx, SR_QUOTA, 0, 100000, false, -1, &quota));
    CHECK(imp_int(ctx, SR_CUTOFF, -1000, 10000, false, -100000, &cutoff));
    CHECK(imp_bool(ctx, SR_EXAMPLE, 0, &example));
    int found = imp_lookup(ctx, SQL_SCHOOL_CODE, school, NULL, 0);
    if (found < 0)
        return found;
    if (found == 0)
        return imp_reject(ctx, "school: unknown school code '%.32s' (import schools first)",
                          school);
    char key[64];
    snprintf(key, sizeof(key), "%.40s/%ld", school, year);
    CHECK(imp_key_once(ctx, key));
    sqlite3_stmt *st = db_stmt(ctx->db, SQL_SR_UPSERT);
    if (st == NULL)
        return imp_dberr(ctx);
    sqlite3_bind_text(st, 1, school, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, year);
    if (quota >= 0)
        sqlite3_bind_int64(st, 3, quota);
    if (cutoff != -100000)
        sqlite3_bind_int64(st, 4, cutoff);
    sqlite3_bind_int(st, 5, example);
    return imp_exec(ctx, st);
}

const struct import_kind_def import_def_school_rounds = {"school-rounds", sr_cols,
                                                         NCOLS(sr_cols), row_school_round};

/* ---- min-wages: area,effective_from,monthly_yuan,hourly_yuan,source ---- */
enum { MW_AREA, MW_FROM, MW_MONTHLY, MW_HOURLY, MW_SOURCE };
static const struct import_column mw_cols[] = {{"area", NULL, true},
                                               {"effective_from", NULL, true},
                                               {"monthly_yuan", NULL, true},
                                               {"hourly_yuan", NULL, true},
                                               {"source", NULL, false}};
/* An area is a wage_area of the districts, or a district name standing for its area. */
static const char SQL_MW_AREA[] =
    "SELECT wage_area FROM districts WHERE wage_area = ?1 UNION ALL "
    "SELECT wage_area FROM districts WHERE name = ?1 LIMIT 1";
static const char SQL_MW_UPSERT[] =
    "INSERT INTO min_wages (area, effective_from, monthly_fen, hourly_fen, source) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(area, effective_from) DO UPDATE SET "
    "monthly_fen = excluded.monthly_fen, hourly_fen = excluded.hourly_fen, "
    "source = excluded.source";

static int
row_min_wage(struct import_ctx *ctx)
{
    const char *area_in = ctx->val[MW_AREA], *fs, *source;
    char area[40], fb[GY_DATE_STRLEN];
    struct gy_date from;
    long long monthly, hourly;
    if (area_in[0] == '\0')
        return imp_reject(ctx, "area: must not be empty");
    int found = imp_lookup(ctx, SQL_MW_AREA, area_in, area, sizeof(area));
    if (found < 0)
        return found;
    if (found == 0)
        return imp_reject(ctx, "area: unknown wage area or district '%.40s'", area_in);
    CHECK(imp_date(ctx, MW_FROM, true, false, &from, fb, &fs));
    CHECK(imp_cents(ctx, MW_MONTHLY, YUAN(100), YUAN(100000), true, 0, &monthly));
    CHECK(imp_cents(ctx, MW_HOURLY, 1, YUAN(1000), true, 0, &hourly));
    CHECK(imp_text(ctx, MW_SOURCE, 120, false, &source));
    char key[64];
    snprintf(key, sizeof(key), "%s/%s", area, fs);
    CHECK(imp_key_once(ctx, key));
    sqlite3_stmt *st = db_stmt(ctx->db, SQL_MW_UPSERT);
    if (st == NULL)
        return imp_dberr(ctx);
    sqlite3_bind_text(st, 1, area, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, fs, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, monthly);
    sqlite3_bind_int64(st, 4, hourly);
    sqlite3_bind_text(st, 5, source, -1, SQLITE_STATIC);
    return imp_exec(ctx, st);
}

const struct import_kind_def import_def_min_wages = {"min-wages", mw_cols, NCOLS(mw_cols),
                                                     row_min_wage};

/* ---- guidelines: year,base_percent,upper_percent,lower_percent,source ---- */
enum { WG_YEAR, WG_BASE, WG_UPPER, WG_LOWER, WG_SOURCE };
static const struct import_column wg_cols[] = {{"year", NULL, true},
                                               {"base_percent", NULL, true},
                                               {"upper_percent", NULL, true},
                                               {"lower_percent", NULL, true},
                                               {"source", NULL, false}};
static const char SQL_WG_UPSERT[] =
    "INSERT INTO wage_guidelines (year, base_bp, upper_bp, lower_bp, source) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(year) DO UPDATE SET base_bp = excluded.base_bp, "
    "upper_bp = excluded.upper_bp, lower_bp = excluded.lower_bp, source = excluded.source";

static int
row_guideline(struct import_ctx *ctx)
{
    long year;
    long long base, upper, lower;
    const char *source;
    CHECK(imp_int(ctx, WG_YEAR, 1990, YEAR_MAX, true, 0, &year));
    CHECK(imp_cents(ctx, WG_BASE, -10000, 10000, true, 0, &base));
    CHECK(imp_cents(ctx, WG_UPPER, -10000, 10000, true, 0, &upper));
    CHECK(imp_cents(ctx, WG_LOWER, -10000, 10000, true, 0, &lower));
    CHECK(imp_text(ctx, WG_SOURCE, 120, false, &source));
    if (lower > base || base > upper)
        return imp_reject(ctx, "lower_percent <= base_percent <= upper_percent does not hold");
    char key[16];
    snprintf(key, sizeof(key), "%ld", year);
    CHECK(imp_key_once(ctx, key));
    sqlite3_stmt *st = db_stmt(ctx->db, SQL_WG_UPSERT);
    if (st == NULL)
        return imp_dberr(ctx);
    sqlite3_bind_int64(st, 1, year);
    sqlite3_bind_int64(st, 2, base);
    sqlite3_bind_int64(st, 3, upper);
    sqlite3_bind_int64(st, 4, lower);
    sqlite3_bind_text(st, 5, source, -1, SQLITE_STATIC);
    return imp_exec(ctx, st);
}

const struct import_kind_def import_def_guidelines = {"guidelines", wg_cols, NCOLS(wg_cols),
                                                      row_guideline};

/* ---- subsidies: level,amount_yuan,claim_months,example ---- */
enum { SU_LEVEL, SU_AMOUNT, SU_MONTHS, SU_EXAMPLE };
static const struct import_column su_cols[] = {{"level", NULL, true},
                                               {"amount_yuan", NULL, true},
                                               {"claim_months", NULL, true},
                                               {"example", NULL, false}};
static const char SQL_SU_UPSERT[] =
    "INSERT INTO subsidy_standards (level, amount_fen, claim_months, example) "
    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(level) DO UPDATE SET amount_fen = excluded.amount_fen, "
    "claim_months = excluded.claim_months, example = excluded.example";

static int
row_subsidy(struct import_ctx *ctx)
{
    char level[32];
    long long amount;
    long months;
    int example;
    CHECK(imp_skill_level(ctx, SU_LEVEL, level, sizeof(level)));
    CHECK(imp_cents(ctx, SU_AMOUNT, 0, YUAN(100000), true, 0, &amount));
    CHECK(imp_int(ctx, SU_MONTHS, 1, 120, true, 0, &months));
    CHECK(imp_bool(ctx, SU_EXAMPLE, 0, &example));
    CHECK(imp_key_once(ctx, level));
    sqlite3_stmt *st = db_stmt(ctx->db, SQL_SU_UPSERT);
    if (st == NULL)
        return imp_dberr(ctx);
    sqlite3_bind_text(st, 1, level, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, amount);
    sqlite3_bind_int64(st, 3, months);
    sqlite3_bind_int(st, 4, example);
    return imp_exec(ctx, st);
}

const struct import_kind_def import_def_subsidies = {"subsidies", su_cols, NCOLS(su_cols),
                                                     row_subsidy};
