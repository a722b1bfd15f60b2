/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_worker: `gongyou worker show MSISDN [--json]`: every service's answer for one worker,
 * for staff helping a worker on the phone, as bilingual text or as JSON (jansson; shape in
 * docs/services.md). Name and masked ID number go to stdout only; nothing personal is logged. */
#include "tools/cli.h"
#include "base/gy_date.h"
#include "base/gy_err.h"
#include "base/gy_log.h"
#include "db/svc_enroll.h"
#include "db/svc_hukou.h"
#include "db/svc_points.h"
#include "db/svc_subsidy.h"
#include "db/svc_wages.h"
#include "db/svc_worker.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GUIDE_MAX 8 /* guide prices shown per worker (one per occupation held) */

/* Every answer for one worker; filled by gather(), released by answers_fini(). */
struct answers {
    struct gy_date today;
    struct svc_worker w;
    struct svc_points points;
    struct svc_hukou hukou;
    int enroll_err; /* 0, or GY_ENOTFOUND when no enrollment round is open */
    struct svc_enroll enroll;
    struct svc_wages wages;
    struct svc_subsidy subsidy;
    size_t n_guide;
    struct svc_guide_price guide[GUIDE_MAX];
};

static void
usage(FILE *out)
{
    fprintf(out, "usage: gongyou worker show MSISDN [--json] [--db FILE]\n"
                 "  every service's answer for the worker registered under MSISDN\n"
                 "  (international form without '+', e.g. 8613800138000).\n"
                 "  Today's date comes from GONGYOU_TODAY=YYYY-MM-DD when set.\n");
}

static void
answers_fini(struct answers *a)
{
    svc_enroll_fini(&a->enroll);
    svc_subsidy_fini(&a->subsidy);
}

/* Guide prices of each occupation the worker holds a certificate in (by code). */
static int
gather_guide(struct db *db, struct answers *a)
{
    for (size_t i = 0; i < a->subsidy.n_certs && a->n_guide < GUIDE_MAX; i++) {
        const char *occ = a->subsidy.certs[i].occupation;
        bool seen = false;
        for (size_t k = 0; k < a->n_guide; k++)
            seen |= strcmp(a->guide[k].code, occ) == 0;
        if (seen)
            continue;
        size_t n = 0;
        int err = svc_guide_prices_find(db, occ, &a->guide[a->n_guide], 1, &n, NULL);
        if (err != 0)
            return err;
        a->n_guide += n;
    }
    return 0;
}

static int
gather(struct db *db, struct answers *a)
{
    int err = svc_points_compute(db, &a->w, a->today, &a->points);
    if (err == 0)
        err = svc_hukou_check(db, &a->w, a->today, &a->points, &a->hukou);
    if (err == 0) {
        a->enroll_err = svc_enroll_check(db, &a->w, a->today, 0, &a->points, &a->enroll);
        if (a->enroll_err != 0 && a->enroll_err != GY_ENOTFOUND)
            err = a->enroll_err;
    }
    if (err == 0)
        err = svc_wages_for_worker(db, &a->w, a->today, &a->wages);
    if (err == 0)
        err = svc_subsidy_check(db, &a->w, a->today, &a->subsidy);
    if (err == 0)
        err = gather_guide(db, a);
    return err;
}

/* First 6 and last 4 characters; the rest starred. */
static const char *
mask_id(const char *id, char *buf, size_t len)
{
    size_t n = strlen(id);
    if (n <= 10 || n + 1 > len) {
        snprintf(buf, len, "%s", n == 0 ? "" : "****");
        return buf;
    }
    memcpy(buf, id, 6);
    memset(buf + 6, '*', n - 10);
    memcpy(buf + n - 4, id + n - 4, 5);
    return buf;
}

/* "1,950" or "9.30" (yuan from fen) into buf (len >= 32 bytes holds any value). */
static const char *
yuan(long long fen, char *buf, size_t len)
{
    unsigned long long v = fen < 0 ? 0ULL - (unsigned long long)fen : (unsigned long long)fen;
    char digits[24], out[40];
    int nd = snprintf(digits, sizeof(digits), "%llu", v / 100);
    size_t o = 0;
    if (fen < 0)
        out[o++] = '-';
    for (int i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    if (v % 100 != 0) {
        out[o++] = '.';
        out[o++] = (char)('0' + (v % 100) / 10);
        out[o++] = (char)('0' + v % 10);
    }
    out[o] = '\0';
    snprintf(buf, len, "%s", out);
    return buf;
}

static const char *
ex(bool example)
{
    return example ? " [示例 example]" : "";
}

static const char *
yn(bool ok)
{
    return ok ? "是 yes" : "否 no";
}

/* ---- text ---------------------------------------------------------------------------- */

static void
text_worker(const struct answers *a)
{
    char idm[64], day[GY_DATE_STRLEN];
    const struct svc_worker *w = &a->w;
    printf("== 工友 Worker %s  (今天 today %s)\n", w->msisdn, gy_date_format(a->today, day));
    printf("姓名 Name: %s   身份证 ID: %s\n", w->name, mask_id(w->id_number, idm, sizeof(idm)));
    printf("地区 District: %s (%s)   单位 Employer: %s\n", w->district, w->district_en,
           w->employer);
    printf("社保 Insurance: %d 个月 months   工作 Work: %d 个月 months   稳定住所 Stable "
           "residence: %s\n",
           w->insurance_months, w->work_months, yn(w->stable_residence));
    if (w->has_permit)
        printf("居住证 Residence permit since %s\n", gy_date_format(w->permit_since, day));
    else
        printf("居住证 Residence permit: 无 none\n");
    printf("语言 Language: %s   退订 Opted out of broadcasts: %s\n", w->language,
           yn(w->opted_out));
}

static void
text_points(const struct svc_points *p)
{
    printf("\n== 积分 Points: %d  (入户门槛 threshold %d%s)", p->total, p->threshold,
           ex(p->threshold_example));
    if (p->short_of > 0)
        printf("  还差 short by %d", p->short_of);
    printf("\n");
    for (size_t i = 0; i < p->n_items; i++) {
        const struct svc_points_item *it = &p->items[i];
        const char *zh = it->name_zh[0] ? it->name_zh : "-";
        switch (it->kind) {
        case SVC_POINTS_EDUCATION:
            printf("  学历 Education      %-12s %+4d%s\n", zh, it->points, ex(it->example));
            break;
        case SVC_POINTS_SKILL:
            printf("  技能 Skill level    %-12s %+4d%s\n", zh, it->points, ex(it->example));
            break;
        case SVC_POINTS_RULE:
            printf("  %s %s: %lld%s %+4d%s%s\n", it->name_zh, it->name_en, it->quantity,
                   it->window_months ? " (近期 recent)" : "", it->points,
                   it->capped ? " (封顶 capped)" : "", ex(it->example));
            break;
        case SVC_POINTS_DEDUCTION:
            if (it->quantity > 0)
                printf("  扣分 Deductions: %lld %+4d\n", it->quantity, it->points);
            break;
        }
    }
}

static void
text_hukou(const struct svc_hukou *h)
{
    printf("\n== 入户 Household registration: %d 条途径符合 route(s) met\n", h->routes_met);
    printf("  1 稳定就业 stable work: %s  (工作 work %d/%d, 社保 insurance %d/%d%s, 住所 "
           "residence %s)\n",
           yn(h->route1.met), h->route1.work_months, h->route1.work_required,
           h->route1.insurance_months, h->route1.insurance_required,
           ex(h->route1.insurance_example), yn(h->route1.stable_residence));
    if (h->route1.work_missing > 0)
        printf("    还差 missing: 工作 work %d 个月 months\n", h->route1.work_missing);
    if (h->route1.insurance_missing > 0)
        printf("    还差 missing: 社保 insurance %d 个月 months\n", h->route1.insurance_missing);
    if (!h->route1.stable_residence)
        printf("    还差 missing: 稳定住所 stable residence\n");
    printf("  2 技能人才 skilled talent: %s  (最高 highest: %s; 需要 needs %s, 或骨干 or "
           "backbone + %s; 骨干 backbone: %s)\n",
           yn(h->route2.met), h->route2.highest.name_zh[0] ? h->route2.highest.name_zh : "-",
           h->route2.talent.name_zh, h->route2.backbone.name_zh,
           yn(h->route2.enterprise_backbone));
    printf("  3 积分 points: %s  (%d/%d", yn(h->route3.met), h->route3.points,
           h->route3.threshold);
    if (h->route3.missing > 0)
        printf(", 还差 missing %d", h->route3.missing);
    printf(")\n");
}

static void
text_schools(const struct svc_enroll_list *l, int parent_points)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct svc_enroll_school *s = &l->schools[i];
        printf("      %s %s: 名额 quota ", s->code, s->name);
        if (s->has_quota)
            printf("%d", s->quota);
        else
            printf("-");
        if (s->has_cutoff)
            printf(", 上年分数线 last cut-off %d (您 you %d, %s)", s->cutoff, parent_points,
                   s->margin >= 0 ? "达到 at/above" : "低于 below");
        printf("%s\n", ex(s->example));
    }
}

static void
text_enroll(const struct answers *a)
{
    const struct svc_enroll *e = &a->enroll;
    char d1[GY_DATE_STRLEN], d2[GY_DATE_STRLEN];
    if (a->enroll_err == GY_ENOTFOUND) {
        printf("\n== 积分入学 School places: 暂无招生批次 no enrollment round open\n");
        return;
    }
    printf("\n== 积分入学 School places %d (年龄计算日 age on %s", e->round_year,
           gy_date_format(e->age_on, d1));
    if (e->has_apply_window)
        printf("; 报名 apply %s .. %s", gy_date_format(e->apply_from, d1),
               gy_date_format(e->apply_until, d2));
    printf(")\n  居住证 permit: %d 个月 months (需要 needs %d)   积分 points %d\n",
           e->permit_months, e->permit_required, e->parent_points);
    if (e->n_children == 0)
        printf("  无子女记录 no children on record\n");
    for (size_t i = 0; i < e->n_children; i++) {
        const struct svc_enroll_child *c = &e->children[i];
        printf("  %s (%s, 现 grade %d): ", c->name, gy_date_format(c->birth, d1),
               c->current_grade);
        if (c->entry == SVC_ENROLL_NONE) {
            printf("本轮无入学 no entry this round\n");
            continue;
        }
        printf("%s %s\n", c->entry == SVC_ENROLL_GRADE1 ? "一年级 grade 1" : "七年级 grade 7",
               c->eligible ? "符合条件 eligible" : "不符合 not eligible");
        if (c->entry == SVC_ENROLL_GRADE1)
            printf("    年龄 age %d (需要 needs %d): %s\n", c->age, c->age_required,
                   yn(c->age_ok));
        printf("    居住证 permit: %s   本区学校 schools in %s: %s\n", yn(c->permit_ok),
               e->district, yn(c->district_ok));
        text_schools(c->entry == SVC_ENROLL_GRADE1 ? &e->primary : &e->junior,
                     e->parent_points);
    }
}

static void
text_wages(const struct answers *a)
{
    const struct svc_wages *wg = &a->wages;
    char b1[48], b2[48], b3[48], day[GY_DATE_STRLEN];
    printf("\n== 工资 Wages (%s)\n", wg->area);
    if (wg->has_current)
        printf("  最低工资 minimum wage: ¥%s/月 month, ¥%s/小时 hour (自 since %s)\n",
               yuan(wg->current.monthly_fen, b1, sizeof(b1)),
               yuan(wg->current.hourly_fen, b2, sizeof(b2)),
               gy_date_format(wg->current.effective_from, day));
    else
        printf("  最低工资 minimum wage: 无记录 none on record\n");
    for (size_t i = 0; i < wg->n_history; i++)
        printf("    %s  ¥%s  ¥%s/h  %s\n", gy_date_format(wg->history[i].effective_from, day),
               yuan(wg->history[i].monthly_fen, b1, sizeof(b1)),
               yuan(wg->history[i].hourly_fen, b2, sizeof(b2)), wg->history[i].source);
    if (wg->has_guideline)
        printf("  工资指导线 wage guideline %d: 基准 base %s%%, 上线 upper %s%%, 下线 lower "
               "%s%%\n",
               wg->guideline.year, yuan(wg->guideline.base_bp, b1, sizeof(b1)),
               yuan(wg->guideline.upper_bp, b2, sizeof(b2)),
               yuan(wg->guideline.lower_bp, b3, sizeof(b3)));
    for (size_t i = 0; i < a->n_guide; i++) {
        const struct svc_guide_price *g = &a->guide[i];
        printf("  指导价位 guide price %s %d: 低 low ¥%s, 中 median ¥%s, 高 high ¥%s%s\n",
               g->name_zh, g->year, yuan(g->low_fen, b1, sizeof(b1)),
               yuan(g->median_fen, b2, sizeof(b2)), yuan(g->high_fen, b3, sizeof(b3)),
               ex(g->example));
    }
}

static void
text_subsidy(const struct svc_subsidy *s)
{
    char b1[48], d1[GY_DATE_STRLEN], d2[GY_DATE_STRLEN];
    printf("\n== 技能补贴 Subsidies: 可申领 claimable ¥%s\n",
           yuan(s->claimable_fen, b1, sizeof(b1)));
    if (s->n_certs == 0)
        printf("  无证书 no certificates\n");
    for (size_t i = 0; i < s->n_certs; i++) {
        const struct svc_subsidy_cert *c = &s->certs[i];
        printf("  %s %s (%s): ", c->occupation_zh, c->level_zh, gy_date_format(c->issued_on, d1));
        switch (c->status) {
        case SVC_SUBSIDY_PAID:
            printf("已发放 paid ¥%s\n", yuan(c->paid_fen, b1, sizeof(b1)));
            break;
        case SVC_SUBSIDY_CLAIMABLE:
            printf("可申领 claimable ¥%s%s until %s%s\n", yuan(c->amount.total_fen, b1, sizeof(b1)),
                   c->amount.shortage ? " (含紧缺上浮 incl. shortage uplift)" : "",
                   gy_date_format(c->deadline, d2), ex(c->amount.example));
            break;
        case SVC_SUBSIDY_EXPIRED:
            printf("已过期 expired (截止 deadline %s)\n", gy_date_format(c->deadline, d2));
            break;
        case SVC_SUBSIDY_NO_STANDARD:
            printf("该等级无补贴标准 no subsidy standard for this level\n");
            break;
        }
    }
    for (size_t i = 0; i < s->n_next; i++) {
        const struct svc_subsidy_next *n = &s->next[i];
        printf("  下一级 next level %s %s: +%d 分 points", n->occupation_zh, n->level_zh,
               n->points_gain);
        if (n->amount.has_standard)
            printf(", 补贴 subsidy ¥%s%s", yuan(n->amount.total_fen, b1, sizeof(b1)),
                   ex(n->amount.example));
        printf("\n");
    }
}

static void
print_text(const struct answers *a)
{
    text_worker(a);
    text_points(&a->points);
    text_hukou(&a->hukou);
    text_enroll(a);
    text_wages(a);
    text_subsidy(&a->subsidy);
}

/* ---- JSON ---------------------------------------------------------------------------- */

static json_t *
jdate(struct gy_date d)
{
    char buf[GY_DATE_STRLEN];
    return json_string(gy_date_format(d, buf));
}

/* Yuan as a JSON number: an integer when whole (1950), else a real (9.3). */
static json_t *
jyuan(long long fen)
{
    return fen % 100 == 0 ? json_integer(fen / 100) : json_real((double)fen / 100.0);
}

/* Sets "<key>_yuan" and "<key>_fen". */
static void
jmoney(json_t *o, const char *key, long long fen)
{
    char k[64];
    snprintf(k, sizeof(k), "%s_yuan", key);
    json_object_set_new(o, k, jyuan(fen));
    snprintf(k, sizeof(k), "%s_fen", key);
    json_object_set_new(o, k, json_integer(fen));
}

static json_t *
json_worker(const struct answers *a)
{
    const struct svc_worker *w = &a->w;
    char idm[64];
    json_t *o = json_object();
    json_object_set_new(o, "msisdn", json_string(w->msisdn));
    json_object_set_new(o, "name", json_string(w->name));
    json_object_set_new(o, "id_number_masked",
                        json_string(mask_id(w->id_number, idm, sizeof(idm))));
    json_object_set_new(o, "district", json_string(w->district));
    json_object_set_new(o, "district_en", json_string(w->district_en));
    json_object_set_new(o, "employer", json_string(w->employer));
    json_object_set_new(o, "education", w->education[0] ? json_string(w->education) : json_null());
    json_object_set_new(o, "residence_permit_since",
                        w->has_permit ? jdate(w->permit_since) : json_null());
    json_object_set_new(o, "stable_residence", json_boolean(w->stable_residence));
    json_object_set_new(o, "enterprise_backbone", json_boolean(w->enterprise_backbone));
    json_object_set_new(o, "insurance_months", json_integer(w->insurance_months));
    json_object_set_new(o, "work_months", json_integer(w->work_months));
    json_object_set_new(o, "language", json_string(w->language));
    json_object_set_new(o, "opted_out", json_boolean(w->opted_out));
    return o;
}

static json_t *
json_points(const struct svc_points *p)
{
    static const char *const kinds[] = {"education", "skill", "rule", "deduction"};
    json_t *o = json_object(), *items = json_array();
    json_object_set_new(o, "total", json_integer(p->total));
    json_object_set_new(o, "threshold", json_integer(p->threshold));
    json_object_set_new(o, "threshold_example", json_boolean(p->threshold_example));
    json_object_set_new(o, "short_of", json_integer(p->short_of));
    for (size_t i = 0; i < p->n_items; i++) {
        const struct svc_points_item *it = &p->items[i];
        json_t *j = json_object();
        json_object_set_new(j, "kind", json_string(kinds[it->kind]));
        json_object_set_new(j, "code", json_string(it->code));
        json_object_set_new(j, "name_zh", json_string(it->name_zh));
        json_object_set_new(j, "name_en", json_string(it->name_en));
        json_object_set_new(j, "quantity", json_integer(it->quantity));
        if (it->kind == SVC_POINTS_RULE) {
            json_object_set_new(j, "unit", json_integer(it->unit));
            json_object_set_new(j, "window_months",
                                it->window_months ? json_integer(it->window_months) : json_null());
            json_object_set_new(j, "capped", json_boolean(it->capped));
        }
        json_object_set_new(j, "points", json_integer(it->points));
        json_object_set_new(j, "example", json_boolean(it->example));
        json_array_append_new(items, j);
    }
    json_object_set_new(o, "items", items);
    return o;
}

static json_t *
json_level(const struct svc_hukou_level *l)
{
    if (l->code[0] == '\0')
        return json_pack("{s:i}", "rank", l->rank);
    return json_pack("{s:i, s:s, s:s, s:s}", "rank", l->rank, "code", l->code, "name_zh",
                     l->name_zh, "name_en", l->name_en);
}

static json_t *
json_hukou(const struct svc_hukou *h)
{
    json_t *o = json_object();
    json_object_set_new(o, "routes_met", json_integer(h->routes_met));
    json_object_set_new(
        o, "route1",
        json_pack("{s:b, s:i, s:i, s:i, s:b, s:i, s:i, s:i, s:b, s:b}", "met", h->route1.met,
                  "work_months", h->route1.work_months, "work_required", h->route1.work_required,
                  "work_missing", h->route1.work_missing, "work_example", h->route1.work_example,
                  "insurance_months", h->route1.insurance_months, "insurance_required",
                  h->route1.insurance_required, "insurance_missing", h->route1.insurance_missing,
                  "insurance_example", h->route1.insurance_example, "stable_residence",
                  h->route1.stable_residence));
    json_object_set_new(
        o, "route2",
        json_pack("{s:b, s:o, s:o, s:o, s:b, s:b, s:b, s:i}", "met", h->route2.met, "highest",
                  json_level(&h->route2.highest), "talent_level", json_level(&h->route2.talent),
                  "backbone_level", json_level(&h->route2.backbone), "enterprise_backbone",
                  h->route2.enterprise_backbone, "by_talent", h->route2.by_talent,
                  "by_backbone", h->route2.by_backbone, "ranks_missing",
                  h->route2.ranks_missing));
    json_object_set_new(o, "route3",
                        json_pack("{s:b, s:i, s:i, s:i, s:b}", "met", h->route3.met, "points",
                                  h->route3.points, "threshold", h->route3.threshold, "missing",
                                  h->route3.missing, "threshold_example",
                                  h->route3.threshold_example));
    return o;
}

static json_t *
json_schools(const struct svc_enroll_list *l)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < l->n; i++) {
        const struct svc_enroll_school *s = &l->schools[i];
        json_t *j = json_pack("{s:s, s:s}", "code", s->code, "name", s->name);
        json_object_set_new(j, "quota", s->has_quota ? json_integer(s->quota) : json_null());
        json_object_set_new(j, "last_cutoff", s->has_cutoff ? json_integer(s->cutoff) : json_null());
        json_object_set_new(j, "margin", s->has_cutoff ? json_integer(s->margin) : json_null());
        json_object_set_new(j, "example", json_boolean(s->example));
        json_array_append_new(arr, j);
    }
    return arr;
}

static json_t *
json_enroll(const struct answers *a)
{
    const struct svc_enroll *e = &a->enroll;
    if (a->enroll_err == GY_ENOTFOUND)
        return json_null();
    json_t *o = json_object(), *kids = json_array();
    json_object_set_new(o, "round", json_integer(e->round_year));
    json_object_set_new(o, "age_on", jdate(e->age_on));
    json_object_set_new(o, "apply_from", e->has_apply_window ? jdate(e->apply_from) : json_null());
    json_object_set_new(o, "apply_until",
                        e->has_apply_window ? jdate(e->apply_until) : json_null());
    json_object_set_new(o, "cutoff_round", e->prev_year ? json_integer(e->prev_year) : json_null());
    json_object_set_new(o, "parent_points", json_integer(e->parent_points));
    json_object_set_new(o, "permit_months", json_integer(e->permit_months));
    json_object_set_new(o, "permit_required", json_integer(e->permit_required));
    json_object_set_new(o, "district", json_string(e->district));
    for (size_t i = 0; i < e->n_children; i++) {
        const struct svc_enroll_child *c = &e->children[i];
        json_t *j = json_pack("{s:s, s:o, s:i, s:s, s:i}", "name", c->name, "birth_date",
                              jdate(c->birth), "current_grade", c->current_grade, "entry",
                              svc_enroll_entry_name(c->entry), "age", c->age);
        json_object_set_new(j, "age_required",
                            c->entry == SVC_ENROLL_GRADE1 ? json_integer(c->age_required)
                                                          : json_null());
        json_object_set_new(j, "age_ok", json_boolean(c->age_ok));
        json_object_set_new(j, "permit_ok", json_boolean(c->permit_ok));
        json_object_set_new(j, "district_ok", json_boolean(c->district_ok));
        json_object_set_new(j, "eligible", json_boolean(c->eligible));
        const struct svc_enroll_list *l = c->entry == SVC_ENROLL_GRADE1   ? &e->primary
                                          : c->entry == SVC_ENROLL_GRADE7 ? &e->junior
                                                                          : NULL;
        json_object_set_new(j, "schools", l ? json_schools(l) : json_array());
        json_array_append_new(kids, j);
    }
    json_object_set_new(o, "children", kids);
    return o;
}

static json_t *
json_min_wage(const struct svc_min_wage *m)
{
    json_t *o = json_object();
    json_object_set_new(o, "effective_from", jdate(m->effective_from));
    jmoney(o, "monthly", m->monthly_fen);
    jmoney(o, "hourly", m->hourly_fen);
    json_object_set_new(o, "source", json_string(m->source));
    return o;
}

static json_t *
json_wages(const struct answers *a)
{
    const struct svc_wages *wg = &a->wages;
    json_t *o = json_object(), *hist = json_array(), *gp = json_array();
    json_object_set_new(o, "area", json_string(wg->area));
    json_object_set_new(o, "minimum", wg->has_current ? json_min_wage(&wg->current) : json_null());
    for (size_t i = 0; i < wg->n_history; i++)
        json_array_append_new(hist, json_min_wage(&wg->history[i]));
    json_object_set_new(o, "minimum_history", hist);
    json_t *g = json_null();
    if (wg->has_guideline)
        g = json_pack("{s:i, s:o, s:o, s:o, s:i, s:i, s:i, s:s}", "year", wg->guideline.year,
                      "base_percent", jyuan(wg->guideline.base_bp), "upper_percent",
                      jyuan(wg->guideline.upper_bp), "lower_percent", jyuan(wg->guideline.lower_bp),
                      "base_bp", wg->guideline.base_bp, "upper_bp", wg->guideline.upper_bp,
                      "lower_bp", wg->guideline.lower_bp, "source", wg->guideline.source);
    json_object_set_new(o, "guideline", g);
    for (size_t i = 0; i < a->n_guide; i++) {
        const struct svc_guide_price *p = &a->guide[i];
        json_t *j = json_pack("{s:s, s:s, s:s, s:i}", "code", p->code, "name_zh", p->name_zh,
                              "name_en", p->name_en, "year", p->year);
        jmoney(j, "low", p->low_fen);
        jmoney(j, "median", p->median_fen);
        jmoney(j, "high", p->high_fen);
        json_object_set_new(j, "example", json_boolean(p->example));
        json_array_append_new(gp, j);
    }
    json_object_set_new(o, "guide_prices", gp);
    return o;
}

static void
json_amount(json_t *j, const struct svc_subsidy_amount *m)
{
    json_object_set_new(j, "has_standard", json_boolean(m->has_standard));
    if (!m->has_standard)
        return;
    jmoney(j, "standard", m->standard_fen);
    json_object_set_new(j, "shortage", json_boolean(m->shortage));
    json_object_set_new(j, "uplift_percent", jyuan(m->uplift_bp));
    jmoney(j, "uplift", m->uplift_fen);
    jmoney(j, "amount", m->total_fen);
    json_object_set_new(j, "example", json_boolean(m->example));
}

static json_t *
json_subsidy(const struct svc_subsidy *s)
{
    json_t *o = json_object(), *certs = json_array(), *next = json_array();
    jmoney(o, "claimable", s->claimable_fen);
    jmoney(o, "paid", s->paid_fen);
    for (size_t i = 0; i < s->n_certs; i++) {
        const struct svc_subsidy_cert *c = &s->certs[i];
        json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "occupation_code",
                              c->occupation, "occupation", c->occupation_zh, "occupation_en",
                              c->occupation_en, "level", c->level, "level_zh", c->level_zh,
                              "issued_on", jdate(c->issued_on), "status",
                              svc_subsidy_status_name(c->status));
        if (c->status == SVC_SUBSIDY_PAID) {
            jmoney(j, "paid", c->paid_fen);
            json_object_set_new(j, "paid_on", c->has_paid_on ? jdate(c->paid_on) : json_null());
        }
        json_amount(j, &c->amount);
        json_object_set_new(j, "deadline", c->has_deadline ? jdate(c->deadline) : json_null());
        if (c->status == SVC_SUBSIDY_CLAIMABLE)
            json_object_set_new(j, "days_left", json_integer(c->days_left));
        json_array_append_new(certs, j);
    }
    for (size_t i = 0; i < s->n_next; i++) {
        const struct svc_subsidy_next *n = &s->next[i];
        json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:b}", "occupation_code",
                              n->occupation, "occupation", n->occupation_zh, "from_level",
                              n->from_level, "level", n->level, "level_zh", n->level_zh,
                              "points_gain", n->points_gain, "points_example",
                              n->points_example);
        json_amount(j, &n->amount);
        json_array_append_new(next, j);
    }
    json_object_set_new(o, "certificates", certs);
    json_object_set_new(o, "next_levels", next);
    return o;
}

static int
print_json(const struct answers *a)
{
    json_t *root = json_object();
    if (root == NULL)
        return GY_ENOMEM;
    json_object_set_new(root, "today", jdate(a->today));
    json_object_set_new(root, "worker", json_worker(a));
    json_object_set_new(root, "points", json_points(&a->points));
    json_object_set_new(root, "household_registration", json_hukou(&a->hukou));
    json_object_set_new(root, "enrollment", json_enroll(a));
    json_object_set_new(root, "wages", json_wages(a));
    json_object_set_new(root, "subsidies", json_subsidy(&a->subsidy));
    int rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc != 0)
        return GY_EIO;
    fputc('\n', stdout);
    return 0;
}

/* ---- command ------------------------------------------------------------------------- */

int
cmd_worker(struct cli_ctx *ctx, int argc, char **argv)
{
    const char *msisdn = NULL;
    bool json = false, show = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return CLI_OK;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (!show && strcmp(argv[i], "show") == 0) {
            show = true;
        } else if (show && msisdn == NULL && argv[i][0] != '-') {
            msisdn = argv[i];
        } else {
            fprintf(stderr, "%s worker: unexpected argument '%s'\n", ctx->prog, argv[i]);
            usage(stderr);
            return CLI_USAGE;
        }
    }
    if (!show || msisdn == NULL) {
        usage(stderr);
        return CLI_USAGE;
    }
    struct answers *a = calloc(1, sizeof(*a));
    if (a == NULL) {
        fprintf(stderr, "%s: out of memory\n", ctx->prog);
        return CLI_FAIL;
    }
    if (gy_date_today(&a->today) != 0) {
        fprintf(stderr, "%s: GONGYOU_TODAY is not a date of the form YYYY-MM-DD\n", ctx->prog);
        free(a);
        return CLI_USAGE;
    }
    struct db *db = NULL;
    if (cli_open_db(ctx, DB_OPEN_READONLY, &db) != 0) {
        free(a);
        return CLI_FAIL;
    }
    int status = CLI_FAIL;
    char masked[GY_MASK_BUFLEN];
    int err = svc_worker_get(db, msisdn, &a->w);
    if (err == GY_ENOTFOUND || err == GY_EINVAL) {
        fprintf(stderr, "%s: no worker is registered under the number %s\n", ctx->prog,
                gy_mask_msisdn(msisdn, masked));
        goto out;
    }
    if (err == 0)
        err = gather(db, a);
    if (err != 0) {
        fprintf(stderr, "%s: cannot answer for %s: %s (%s)\n", ctx->prog,
                gy_mask_msisdn(msisdn, masked), gy_strerror(err), db_errmsg(db));
        goto out;
    }
    if (json) {
        err = print_json(a);
        if (err != 0) {
            fprintf(stderr, "%s: cannot write JSON: %s\n", ctx->prog, gy_strerror(err));
            goto out;
        }
    } else {
        print_text(a);
    }
    status = fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
out:
    answers_fini(a);
    free(a);
    db_close(db);
    return status;
}
