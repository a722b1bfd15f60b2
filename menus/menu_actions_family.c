/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_actions_family: enroll.children, school places by points (积分入学) for each of the
 * worker's children: a list with one menu option per child, each item carrying the entry,
 * the eligibility with every reason and the district's schools beside the parent's points.
 * Wraps db/svc_enroll; children's names are personal data (sensitive, never logged). */
#include "menus/menu_actions_int.h"

#include "base/gy_err.h"
#include "db/svc_enroll.h"

#include <stdio.h>
#include <string.h>

#define R(n, t, w) {.name = (n), .type = (t), .max_width = (w)}
#define ENROLL_MAX_CHILDREN 8 /* one menu key per child, 1..8 (9 is "more") */

static const struct menu_result_spec child_fields[] = {
    {.name = "name", .type = MENU_VT_TEXT, .max_width = 8, .sensitive = true},
    R("birth", MENU_VT_DATE, 10),
    R("entry", MENU_VT_TEXT, 12),
    R("entry_code", MENU_VT_TEXT, 6),
    R("age", MENU_VT_INT, 2),
    R("age_required", MENU_VT_INT, 2),
    R("age_ok", MENU_VT_BOOL, 1),
    R("permit_ok", MENU_VT_BOOL, 1),
    R("district_ok", MENU_VT_BOOL, 1),
    R("eligible", MENU_VT_BOOL, 1),
    R("reason", MENU_VT_TEXT, 60),
    R("schools", MENU_VT_TEXT, 400),
    R("school_count", MENU_VT_INT, 2),
    R("example", MENU_VT_BOOL, 1),
};

static const struct menu_result_spec enroll_results[] = {
    R("round", MENU_VT_INT, 4),
    R("has_window", MENU_VT_BOOL, 1),
    R("apply_from", MENU_VT_DATE, 10),
    R("apply_until", MENU_VT_DATE, 10),
    R("parent_points", MENU_VT_INT, 4),
    R("permit_months", MENU_VT_INT, 4),
    R("permit_required", MENU_VT_INT, 3),
    R("cutoff_round", MENU_VT_INT, 4),
    R("count", MENU_VT_INT, 1),
    R("eligible_count", MENU_VT_INT, 1),
    {.name = "summary", .type = MENU_VT_TEXT, .max_width = 200, .sensitive = true},
    {.name = "children", .type = MENU_VT_LIST, .max_width = 24, .fields = child_fields,
     .n_fields = sizeof child_fields / sizeof child_fields[0], .max_items = ENROLL_MAX_CHILDREN,
     .sensitive = true},
};

static const char *entry_text(const struct menu_action_ctx *ctx, enum svc_enroll_entry e)
{
    switch (e) {
    case SVC_ENROLL_GRADE1:
        return ma_pick(ctx, "一年级入学", "grade 1");
    case SVC_ENROLL_GRADE7:
        return ma_pick(ctx, "初一入学", "grade 7");
    default:
        return ma_pick(ctx, "本轮无入学", "no entry this round");
    }
}

/* Why a child is not eligible, in ctx's language ("" when eligible). */
static void child_reason(const struct menu_action_ctx *ctx, const struct svc_enroll *e,
                         const struct svc_enroll_child *c, char *buf, size_t len)
{
    bool en = ma_en(ctx);
    size_t pos = 0;
    buf[0] = '\0';
    if (c->eligible)
        return;
    if (c->entry == SVC_ENROLL_NONE) {
        ma_append(buf, len, &pos, "%s", en ? "not in an entry year" : "不在入学年级");
        return;
    }
    const char *sep = en ? "; " : "；";
    if (!c->age_ok)
        ma_append(buf, len, &pos, en ? "under %d on %04d-%02d-%02d" : "%d周岁未满（按%04d-%02d-%02d计）",
                  c->age_required, e->age_on.year, e->age_on.month, e->age_on.day);
    if (!c->permit_ok)
        ma_append(buf, len, &pos, en ? "%spermit %d of %d months" : "%s居住证%d个月，需%d个月",
                  pos ? sep : "", e->permit_months, e->permit_required);
    if (!c->district_ok)
        ma_append(buf, len, &pos, "%s%s", pos ? sep : "",
                  en ? "no such school in your district" : "本区无此类学校");
}

/* One line per school of the child's level; the margin is the parent's points minus the
 * previous cut-off (kept short: a session holds little text). */
static bool schools_text(const struct menu_action_ctx *ctx, const struct svc_enroll_list *l,
                         char *buf, size_t len)
{
    bool en = ma_en(ctx), example = false;
    size_t pos = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < l->n; i++) {
        const struct svc_enroll_school *s = &l->schools[i];
        example = example || s->example;
        ma_append(buf, len, &pos, "%s%s", pos ? "\n" : "", s->name);
        if (s->has_quota)
            ma_append(buf, len, &pos, en ? ": %d places" : "：名额%d", s->quota);
        if (s->has_cutoff)
            ma_append(buf, len, &pos, en ? ", last cut-off %d (%+d)" : "，上年分数线%d（%+d）",
                      s->cutoff, s->margin);
        if (s->example)
            ma_append(buf, len, &pos, "%s", en ? " (example)" : "（示例）");
    }
    return example;
}

static int enroll_children(const struct menu_action_ctx *ctx, const struct menu_value *args,
                           size_t n_args, struct menu_values *out)
{
    (void)args;
    (void)n_args;
    struct svc_worker w;
    struct svc_enroll e;
    int rc = ma_worker(ctx, &w, out);
    if (rc != 0)
        return rc;
    if ((rc = svc_enroll_check(ctx->db, &w, ctx->today, 0, NULL, &e)) != 0) {
        if (rc == GY_ENOTFOUND)
            (void)ma_fail(out, rc, "no enrollment round is open");
        return rc;
    }
    bool en = ma_en(ctx);
    int eligible = 0;
    char summary[1024];
    size_t spos = 0;
    summary[0] = '\0';
    rc = menu_values_set_list(out, "children");
    for (size_t i = 0; rc == 0 && i < e.n_children && i < ENROLL_MAX_CHILDREN; i++) {
        const struct svc_enroll_child *c = &e.children[i];
        char label[SVC_NAME_LEN + 64], reason[256], schools[1024];
        snprintf(label, sizeof label, en ? "%s (%s, %s)" : "%s（%s，%s）", c->name,
                 entry_text(ctx, c->entry),
                 c->eligible ? ma_pick(ctx, "符合", "eligible") : ma_pick(ctx, "不符合", "not eligible"));
        child_reason(ctx, &e, c, reason, sizeof reason);
        const struct svc_enroll_list *l = c->entry == SVC_ENROLL_GRADE1   ? &e.primary
                                          : c->entry == SVC_ENROLL_GRADE7 ? &e.junior
                                                                          : NULL;
        static const struct svc_enroll_list none = {0, NULL};
        bool example = schools_text(ctx, l ? l : &none, schools, sizeof schools);
        eligible += c->eligible;
        ma_append(summary, sizeof summary, &spos, "%s%s%s%s", spos ? "\n" : "", label,
                  reason[0] ? (en ? ": " : "：") : "", reason);
        const struct ma_set v[] = {
            MA_TEXT("name", c->name),
            MA_DATE("birth", c->birth),
            MA_TEXT("entry", entry_text(ctx, c->entry)),
            MA_TEXT("entry_code", svc_enroll_entry_name(c->entry)),
            MA_INT("age", c->age),
            MA_INT("age_required", c->age_required),
            MA_BOOL("age_ok", c->age_ok),
            MA_BOOL("permit_ok", c->permit_ok),
            MA_BOOL("district_ok", c->district_ok),
            MA_BOOL("eligible", c->eligible),
            MA_TEXT("reason", reason),
            MA_TEXT("schools", schools),
            MA_INT("school_count", l ? (long long)l->n : 0),
            MA_BOOL("example", example),
        };
        struct menu_values *iv = menu_values_list_add(out, "children", label);
        if (!iv || ma_set_all(iv, v, sizeof v / sizeof v[0]) != 0)
            rc = GY_ENOMEM;
    }
    size_t shown = e.n_children < ENROLL_MAX_CHILDREN ? e.n_children : ENROLL_MAX_CHILDREN;
    const struct ma_set v[] = {
        MA_INT("round", e.round_year),
        MA_BOOL("has_window", e.has_apply_window),
        MA_DATE("apply_from", e.apply_from),
        MA_DATE("apply_until", e.apply_until),
        MA_INT("parent_points", e.parent_points),
        MA_INT("permit_months", e.permit_months),
        MA_INT("permit_required", e.permit_required),
        MA_INT("cutoff_round", e.prev_year),
        MA_INT("count", (long long)shown),
        MA_INT("eligible_count", eligible),
        MA_TEXT("summary", summary),
    };
    if (rc == 0)
        rc = ma_set_all(out, v, sizeof v / sizeof v[0]);
    svc_enroll_fini(&e);
    return rc;
}

const struct menu_action_def ma_def_enroll_children = {
    .name = "enroll.children",
    .doc = "school places by points: one list item per child with entry, eligibility, reasons "
           "and schools",
    .results = enroll_results,
    .n_results = sizeof enroll_results / sizeof enroll_results[0],
    .fn = enroll_children,
};
