/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_actions_person: the actions about the worker's own record: registration status,
 * points with their breakdown, household registration routes, language choice and
 * opt-out/opt-in (the only writes, to the workers table). Wraps db/svc_*; logs nothing. */
#include "menus/menu_actions_int.h"

#include "base/gy_err.h"
#include "base/gy_str.h"
#include "db/svc_hukou.h"
#include "db/svc_points.h"

#include <stdio.h>
#include <string.h>

#define R(n, t, w) {.name = (n), .type = (t), .max_width = (w)}

/* ---- worker.status ---- */

static const struct menu_result_spec status_results[] = {
    R("registered", MENU_VT_BOOL, 1),
    R("lang", MENU_VT_TEXT, 2),
    R("opted_out", MENU_VT_BOOL, 1),
    R("district", MENU_VT_TEXT, 24),
};

static int worker_status(const struct menu_action_ctx *ctx, const struct menu_value *args,
                         size_t n_args, struct menu_values *out)
{
    (void)args;
    (void)n_args;
    struct svc_worker w;
    int rc = ma_worker(ctx, &w, out);
    if (rc == GY_ENOTFOUND) {
        menu_values_fini(out);
        if ((rc = menu_values_set_bool(out, "registered", false)) != 0 ||
            (rc = menu_values_set_text(out, "lang", "")) != 0 ||
            (rc = menu_values_set_bool(out, "opted_out", false)) != 0)
            return rc;
        return menu_values_set_text(out, "district", "");
    }
    if (rc != 0)
        return rc;
    if ((rc = menu_values_set_bool(out, "registered", true)) != 0 ||
        (rc = menu_values_set_text(out, "lang", w.language)) != 0 ||
        (rc = menu_values_set_bool(out, "opted_out", w.opted_out)) != 0)
        return rc;
    return menu_values_set_text(out, "district", ma_pick(ctx, w.district, w.district_en));
}

const struct menu_action_def ma_def_worker_status = {
    .name = "worker.status",
    .doc = "whether the number is registered, its language and opt-out (never fails on an "
           "unregistered number)",
    .results = status_results,
    .n_results = sizeof status_results / sizeof status_results[0],
    .fn = worker_status,
};

/* ---- points.get ---- */

static const struct menu_result_spec points_item_fields[] = {
    R("name", MENU_VT_TEXT, 40),
    R("points", MENU_VT_INT, 4),
    R("example", MENU_VT_BOOL, 1),
};

static const struct menu_result_spec points_results[] = {
    R("total", MENU_VT_INT, 4),
    R("threshold", MENU_VT_INT, 4),
    R("threshold_example", MENU_VT_BOOL, 1),
    R("short_of", MENU_VT_INT, 4),
    R("reached", MENU_VT_BOOL, 1),
    R("breakdown", MENU_VT_TEXT, 160),
    R("threshold_tag", MENU_VT_TEXT, 10),
    {.name = "items", .type = MENU_VT_LIST, .max_width = 48, .fields = points_item_fields,
     .n_fields = sizeof points_item_fields / sizeof points_item_fields[0],
     .max_items = SVC_POINTS_MAX_ITEMS},
};

/* The name of a breakdown item in ctx's language ("学历（大专）", "education (college)"). */
static void item_name(const struct menu_action_ctx *ctx, const struct svc_points_item *it,
                      char *buf, size_t len)
{
    bool en = ma_en(ctx);
    const char *nm = ma_pick(ctx, it->name_zh, it->name_en);
    switch (it->kind) {
    case SVC_POINTS_EDUCATION:
        snprintf(buf, len, en ? "education: %s" : "学历（%s）", *nm ? nm : (en ? "none" : "无"));
        break;
    case SVC_POINTS_SKILL:
        snprintf(buf, len, en ? "skill: %s" : "技能（%s）", *nm ? nm : (en ? "none" : "无"));
        break;
    case SVC_POINTS_DEDUCTION:
        gy_strlcpy(buf, len, en ? "deductions" : "扣分");
        break;
    default:
        gy_strlcpy(buf, len, nm);
        break;
    }
}

static int points_get(const struct menu_action_ctx *ctx, const struct menu_value *args,
                      size_t n_args, struct menu_values *out)
{
    (void)args;
    (void)n_args;
    struct svc_worker w;
    struct svc_points p;
    int rc = ma_worker(ctx, &w, out);
    if (rc != 0)
        return rc;
    if ((rc = svc_points_compute(ctx->db, &w, ctx->today, &p)) != 0)
        return rc;
    bool en = ma_en(ctx);
    char breakdown[1024];
    size_t pos = 0;
    breakdown[0] = '\0';
    if ((rc = menu_values_set_list(out, "items")) != 0)
        return rc;
    for (size_t i = 0; i < p.n_items; i++) {
        const struct svc_points_item *it = &p.items[i];
        char name[SVC_NAME_LEN + 32], label[SVC_NAME_LEN + 64];
        item_name(ctx, it, name, sizeof name);
        const char *ex = it->example ? (en ? " (example)" : "（示例）") : "";
        snprintf(label, sizeof label, en ? "%s %+d%s" : "%s %d分%s", name, it->points, ex);
        struct menu_values *iv = menu_values_list_add(out, "items", label);
        if (!iv || menu_values_set_text(iv, "name", name) != 0 ||
            menu_values_set_int(iv, "points", it->points) != 0 ||
            menu_values_set_bool(iv, "example", it->example) != 0)
            return GY_ENOMEM;
        if (it->points == 0)
            continue; /* the short breakdown names what counts */
        if (en)
            ma_append(breakdown, sizeof breakdown, &pos, "%s%s %d%s", pos ? ", " : "", name,
                      it->points, it->example ? " (example)" : "");
        else
            ma_append(breakdown, sizeof breakdown, &pos, "%s%s%d%s",
                      pos && it->points > 0 ? "+" : "", name, it->points,
                      it->example ? "（示例）" : "");
    }
    if ((rc = menu_values_set_int(out, "total", p.total)) != 0 ||
        (rc = menu_values_set_int(out, "threshold", p.threshold)) != 0 ||
        (rc = menu_values_set_bool(out, "threshold_example", p.threshold_example)) != 0 ||
        (rc = menu_values_set_int(out, "short_of", p.short_of)) != 0 ||
        (rc = menu_values_set_bool(out, "reached", p.short_of == 0)) != 0 ||
        (rc = menu_values_set_text(out, "threshold_tag",
                                   p.threshold_example ? ma_tag(ctx) : "")) != 0)
        return rc;
    return menu_values_set_text(out, "breakdown", breakdown);
}

const struct menu_action_def ma_def_points_get = {
    .name = "points.get",
    .doc = "the worker's points today, the breakdown and the distance to the threshold",
    .results = points_results,
    .n_results = sizeof points_results / sizeof points_results[0],
    .fn = points_get,
};

/* ---- hukou.check ---- */

static const struct menu_result_spec hukou_results[] = {
    R("routes_met", MENU_VT_INT, 1),
    R("routes", MENU_VT_TEXT, 8),
    R("r1_met", MENU_VT_BOOL, 1),
    R("r1_work", MENU_VT_INT, 4),
    R("r1_work_required", MENU_VT_INT, 4),
    R("r1_work_missing", MENU_VT_INT, 4),
    R("r1_ins", MENU_VT_INT, 4),
    R("r1_ins_required", MENU_VT_INT, 4),
    R("r1_ins_missing", MENU_VT_INT, 4),
    R("r1_example", MENU_VT_BOOL, 1),
    R("r1_stable", MENU_VT_BOOL, 1),
    R("r2_met", MENU_VT_BOOL, 1),
    R("r2_highest", MENU_VT_TEXT, 32),
    R("r2_talent", MENU_VT_TEXT, 32),
    R("r2_backbone", MENU_VT_TEXT, 32),
    R("r2_is_backbone", MENU_VT_BOOL, 1),
    R("r3_met", MENU_VT_BOOL, 1),
    R("r3_points", MENU_VT_INT, 4),
    R("r3_threshold", MENU_VT_INT, 4),
    R("r3_missing", MENU_VT_INT, 4),
    R("r3_example", MENU_VT_BOOL, 1),
    R("r1_tag", MENU_VT_TEXT, 10),
    R("r3_tag", MENU_VT_TEXT, 10),
};

static const char *level_name(const struct menu_action_ctx *ctx,
                              const struct svc_hukou_level *l)
{
    if (l->rank == 0)
        return ma_en(ctx) ? "none" : "无";
    return ma_pick(ctx, l->name_zh, l->name_en);
}

static int hukou_check(const struct menu_action_ctx *ctx, const struct menu_value *args,
                       size_t n_args, struct menu_values *out)
{
    (void)args;
    (void)n_args;
    struct svc_worker w;
    struct svc_hukou h;
    int rc = ma_worker(ctx, &w, out);
    if (rc != 0)
        return rc;
    if ((rc = svc_hukou_check(ctx->db, &w, ctx->today, NULL, &h)) != 0)
        return rc;
    char routes[32];
    size_t pos = 0;
    routes[0] = '\0';
    const bool met[3] = {h.route1.met, h.route2.met, h.route3.met};
    for (int i = 0; i < 3; i++) {
        if (met[i])
            ma_append(routes, sizeof routes, &pos, "%s%d", pos ? (ma_en(ctx) ? ", " : "、") : "",
                      i + 1);
    }
    struct menu_values *o = out;
    if ((rc = menu_values_set_int(o, "routes_met", h.routes_met)) != 0 ||
        (rc = menu_values_set_text(o, "routes", routes)) != 0 ||
        (rc = menu_values_set_bool(o, "r1_met", h.route1.met)) != 0 ||
        (rc = menu_values_set_int(o, "r1_work", h.route1.work_months)) != 0 ||
        (rc = menu_values_set_int(o, "r1_work_required", h.route1.work_required)) != 0 ||
        (rc = menu_values_set_int(o, "r1_work_missing", h.route1.work_missing)) != 0 ||
        (rc = menu_values_set_int(o, "r1_ins", h.route1.insurance_months)) != 0 ||
        (rc = menu_values_set_int(o, "r1_ins_required", h.route1.insurance_required)) != 0 ||
        (rc = menu_values_set_int(o, "r1_ins_missing", h.route1.insurance_missing)) != 0 ||
        (rc = menu_values_set_bool(o, "r1_example",
                                   h.route1.work_example || h.route1.insurance_example)) != 0 ||
        (rc = menu_values_set_bool(o, "r1_stable", h.route1.stable_residence)) != 0 ||
        (rc = menu_values_set_bool(o, "r2_met", h.route2.met)) != 0 ||
        (rc = menu_values_set_text(o, "r2_highest", level_name(ctx, &h.route2.highest))) != 0 ||
        (rc = menu_values_set_text(o, "r2_talent", level_name(ctx, &h.route2.talent))) != 0 ||
        (rc = menu_values_set_text(o, "r2_backbone", level_name(ctx, &h.route2.backbone))) != 0 ||
        (rc = menu_values_set_bool(o, "r2_is_backbone", h.route2.enterprise_backbone)) != 0 ||
        (rc = menu_values_set_bool(o, "r3_met", h.route3.met)) != 0 ||
        (rc = menu_values_set_int(o, "r3_points", h.route3.points)) != 0 ||
        (rc = menu_values_set_int(o, "r3_threshold", h.route3.threshold)) != 0 ||
        (rc = menu_values_set_int(o, "r3_missing", h.route3.missing)) != 0 ||
        (rc = menu_values_set_text(o, "r1_tag", h.route1.work_example ||
                                                        h.route1.insurance_example
                                                    ? ma_tag(ctx)
                                                    : "")) != 0 ||
        (rc = menu_values_set_text(o, "r3_tag",
                                   h.route3.threshold_example ? ma_tag(ctx) : "")) != 0)
        return rc;
    return menu_values_set_bool(o, "r3_example", h.route3.threshold_example);
}

const struct menu_action_def ma_def_hukou_check = {
    .name = "hukou.check",
    .doc = "the three household registration routes: met or what is missing",
    .results = hukou_results,
    .n_results = sizeof hukou_results / sizeof hukou_results[0],
    .fn = hukou_check,
};

/* ---- lang.set, sub.optout, sub.optin: the writes ---- */

static const char sql_set_lang[] = "UPDATE workers SET language = ?1 WHERE msisdn = ?2";
static const char sql_opt_out[] =
    "UPDATE workers SET opted_out = 1, opted_out_at = ?1 WHERE msisdn = ?2";
static const char sql_opt_in[] =
    "UPDATE workers SET opted_out = 0, opted_out_at = NULL WHERE msisdn = ?1";

/* Runs an UPDATE prepared from sql with its parameters bound by the caller. */
static int run_update(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    db_stmt_done(st);
    return rc == SQLITE_DONE ? 0 : GY_EDB;
}

static const struct menu_arg_spec lang_args[] = {{.name = "lang", .type = MENU_VT_TEXT}};
static const struct menu_result_spec lang_results[] = {
    R("lang", MENU_VT_TEXT, 2),
    R("changed", MENU_VT_BOOL, 1),
};

static int lang_set(const struct menu_action_ctx *ctx, const struct menu_value *args,
                    size_t n_args, struct menu_values *out)
{
    (void)n_args;
    const char *lang = args[0].text;
    if (strcmp(lang, "zh") != 0 && strcmp(lang, "en") != 0)
        return ma_fail(out, GY_EINVAL, "language must be \"zh\" or \"en\"");
    struct svc_worker w;
    int rc = ma_worker(ctx, &w, out);
    if (rc != 0)
        return rc;
    bool changed = strcmp(w.language, lang) != 0;
    if (changed) {
        sqlite3_stmt *st = db_stmt(ctx->db, sql_set_lang);
        if (!st)
            return GY_EDB;
        sqlite3_bind_text(st, 1, lang, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, w.msisdn, -1, SQLITE_STATIC);
        if ((rc = run_update(st)) != 0)
            return rc;
    }
    if ((rc = menu_values_set_text(out, "lang", lang)) != 0)
        return rc;
    return menu_values_set_bool(out, "changed", changed);
}

const struct menu_action_def ma_def_lang_set = {
    .name = "lang.set",
    .doc = "stores the worker's language (\"zh\" or \"en\") in the workers table",
    .args = lang_args,
    .n_args = 1,
    .results = lang_results,
    .n_results = sizeof lang_results / sizeof lang_results[0],
    .fn = lang_set,
    .writes = true,
};

static const struct menu_result_spec opt_results[] = {
    R("opted_out", MENU_VT_BOOL, 1),
    R("changed", MENU_VT_BOOL, 1),
};

static int opt_set(const struct menu_action_ctx *ctx, bool opt_out, struct menu_values *out)
{
    struct svc_worker w;
    int rc = ma_worker(ctx, &w, out);
    if (rc != 0)
        return rc;
    bool changed = w.opted_out != opt_out;
    if (changed) {
        sqlite3_stmt *st = db_stmt(ctx->db, opt_out ? sql_opt_out : sql_opt_in);
        if (!st)
            return GY_EDB;
        if (opt_out) {
            char day[GY_DATE_STRLEN];
            gy_date_format(ctx->today, day);
            sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 2, w.msisdn, -1, SQLITE_STATIC);
        } else {
            sqlite3_bind_text(st, 1, w.msisdn, -1, SQLITE_STATIC);
        }
        if ((rc = run_update(st)) != 0)
            return rc;
    }
    if ((rc = menu_values_set_bool(out, "opted_out", opt_out)) != 0)
        return rc;
    return menu_values_set_bool(out, "changed", changed);
}

static int sub_optout(const struct menu_action_ctx *ctx, const struct menu_value *args,
                      size_t n_args, struct menu_values *out)
{
    (void)args;
    (void)n_args;
    return opt_set(ctx, true, out);
}

static int sub_optin(const struct menu_action_ctx *ctx, const struct menu_value *args,
                     size_t n_args, struct menu_values *out)
{
    (void)args;
    (void)n_args;
    return opt_set(ctx, false, out);
}

const struct menu_action_def ma_def_sub_optout = {
    .name = "sub.optout",
    .doc = "opts the worker out of broadcasts (退订); replies to the worker's own requests go on",
    .results = opt_results,
    .n_results = sizeof opt_results / sizeof opt_results[0],
    .fn = sub_optout,
    .writes = true,
};

const struct menu_action_def ma_def_sub_optin = {
    .name = "sub.optin",
    .doc = "opts the worker back in to broadcasts (订阅)",
    .results = opt_results,
    .n_results = sizeof opt_results / sizeof opt_results[0],
    .fn = sub_optin,
    .writes = true,
};
