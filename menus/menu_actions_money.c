/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_actions_money: the actions about pay and money: wages.get (minimum wage in force
 * and the latest wage guideline for the worker's area), guide.find (occupation guide
 * prices by a typed name, code or name prefix) and subsidy.list (training subsidies per
 * certificate with amounts and deadlines, and the next level). Wraps db/svc_wages and
 * db/svc_subsidy; logs nothing. */
#include "menus/menu_actions_int.h"

#include "base/gy_err.h"
#include "db/svc_subsidy.h"
#include "db/svc_wages.h"

#include <stdio.h>
#include <string.h>

#define R(n, t, w) {.name = (n), .type = (t), .max_width = (w)}
#define GUIDE_MAX 8 /* prices listed for one query */

/* ---- wages.get ---- */

static const struct menu_result_spec wages_results[] = {
    R("area", MENU_VT_TEXT, 16),
    R("has_min", MENU_VT_BOOL, 1),
    R("min_monthly", MENU_VT_MONEY, 8),
    R("min_hourly", MENU_VT_MONEY, 8),
    R("min_from", MENU_VT_DATE, 10),
    R("has_guideline", MENU_VT_BOOL, 1),
    R("guideline_year", MENU_VT_INT, 4),
    R("guideline_base", MENU_VT_TEXT, 7),
    R("guideline_upper", MENU_VT_TEXT, 7),
    R("guideline_lower", MENU_VT_TEXT, 7),
};

static int wages_get(const struct menu_action_ctx *ctx, const struct menu_value *args,
                     size_t n_args, struct menu_values *out)
{
    (void)args;
    (void)n_args;
    struct svc_worker w;
    struct svc_wages wg;
    int rc = ma_worker(ctx, &w, out);
    if (rc != 0)
        return rc;
    if ((rc = svc_wages_for_worker(ctx->db, &w, ctx->today, &wg)) != 0)
        return rc;
    char b[16], u[16], l[16];
    ma_percent(wg.guideline.base_bp, b);
    ma_percent(wg.guideline.upper_bp, u);
    ma_percent(wg.guideline.lower_bp, l);
    if (!wg.has_current)
        memset(&wg.current, 0, sizeof wg.current);
    if (!wg.has_guideline) {
        b[0] = u[0] = l[0] = '\0';
        wg.guideline.year = 0;
    }
    const struct ma_set v[] = {
        MA_TEXT("area", wg.area),
        MA_BOOL("has_min", wg.has_current),
        MA_MONEY("min_monthly", wg.current.monthly_fen),
        MA_MONEY("min_hourly", wg.current.hourly_fen),
        MA_DATE("min_from", wg.current.effective_from),
        MA_BOOL("has_guideline", wg.has_guideline),
        MA_INT("guideline_year", wg.guideline.year),
        MA_TEXT("guideline_base", b),
        MA_TEXT("guideline_upper", u),
        MA_TEXT("guideline_lower", l),
    };
    return ma_set_all(out, v, sizeof v / sizeof v[0]);
}

const struct menu_action_def ma_def_wages_get = {
    .name = "wages.get",
    .doc = "the minimum wage in force in the worker's area and the latest wage guideline",
    .results = wages_results,
    .n_results = sizeof wages_results / sizeof wages_results[0],
    .fn = wages_get,
};

/* ---- guide.find ---- */

static const struct menu_arg_spec guide_args[] = {{.name = "query", .type = MENU_VT_TEXT}};

/* A price's fields: each list item has them, and the result has the first price's. */
#define PRICE_FIELDS                                                                       \
    R("name", MENU_VT_TEXT, 24), R("year", MENU_VT_INT, 4), R("low", MENU_VT_MONEY, 8),     \
        R("median", MENU_VT_MONEY, 8), R("high", MENU_VT_MONEY, 8),                        \
        R("example", MENU_VT_BOOL, 1), R("tag", MENU_VT_TEXT, 10)

static const struct menu_result_spec price_fields[] = {PRICE_FIELDS};

static const struct menu_result_spec guide_results[] = {
    R("count", MENU_VT_INT, 1),
    R("more", MENU_VT_BOOL, 1),
    PRICE_FIELDS,
    {.name = "prices", .type = MENU_VT_LIST, .max_width = 40, .fields = price_fields,
     .n_fields = sizeof price_fields / sizeof price_fields[0], .max_items = GUIDE_MAX},
};

/* Sets the price fields of g into vals. */
static int set_price(const struct menu_action_ctx *ctx, struct menu_values *vals,
                     const struct svc_guide_price *g)
{
    const struct ma_set v[] = {
        MA_TEXT("name", ma_pick(ctx, g->name_zh, g->name_en)),
        MA_INT("year", g->year),
        MA_MONEY("low", g->low_fen),
        MA_MONEY("median", g->median_fen),
        MA_MONEY("high", g->high_fen),
        MA_TEXT("tag", g->example ? ma_tag(ctx) : ""),
        MA_BOOL("example", g->example),
    };
    return ma_set_all(vals, v, sizeof v / sizeof v[0]);
}

static int guide_find(const struct menu_action_ctx *ctx, const struct menu_value *args,
                      size_t n_args, struct menu_values *out)
{
    (void)n_args;
    /* Trim the typed name (ASCII spaces and the ideographic space U+3000). */
    char q[SVC_NAME_LEN];
    const char *s = args[0].text;
    while (*s == ' ' || strncmp(s, "\u3000", 3) == 0)
        s += *s == ' ' ? 1 : 3;
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' ||
                       (len >= 3 && strncmp(s + len - 3, "\u3000", 3) == 0)))
        len -= s[len - 1] == ' ' ? 1 : 3;
    if (len == 0)
        return ma_fail(out, GY_EINVAL, "type an occupation name");
    if (len >= sizeof q)
        return ma_fail(out, GY_EINVAL, "the occupation name is too long");
    memcpy(q, s, len);
    q[len] = '\0';
    struct svc_worker w;
    int rc = ma_worker(ctx, &w, out);
    if (rc != 0)
        return rc;
    struct svc_guide_price g[GUIDE_MAX];
    size_t n = 0;
    bool more = false;
    if ((rc = svc_guide_prices_find(ctx->db, q, g, GUIDE_MAX, &n, &more)) != 0)
        return rc;
    if ((rc = menu_values_set_int(out, "count", (long long)n)) != 0 ||
        (rc = menu_values_set_bool(out, "more", more)) != 0 ||
        (rc = menu_values_set_list(out, "prices")) != 0)
        return rc;
    static const struct svc_guide_price nothing;
    if ((rc = set_price(ctx, out, n ? &g[0] : &nothing)) != 0)
        return rc;
    bool en = ma_en(ctx);
    for (size_t i = 0; i < n; i++) {
        char label[SVC_NAME_LEN + 48], m[MA_MONEY_LEN];
        snprintf(label, sizeof label, en ? "%s median %s%s" : "%s 中位%s%s",
                 ma_pick(ctx, g[i].name_zh, g[i].name_en), ma_money(ctx, g[i].median_fen, m),
                 g[i].example ? (en ? " (example)" : "（示例）") : "");
        struct menu_values *iv = menu_values_list_add(out, "prices", label);
        if (!iv || set_price(ctx, iv, &g[i]) != 0)
            return GY_ENOMEM;
    }
    return 0;
}

const struct menu_action_def ma_def_guide_find = {
    .name = "guide.find",
    .doc = "occupation wage guide prices for a typed name, code or name prefix",
    .args = guide_args,
    .n_args = 1,
    .results = guide_results,
    .n_results = sizeof guide_results / sizeof guide_results[0],
    .fn = guide_find,
};

/* ---- subsidy.list ---- */

#define SUBSIDY_MAX_ITEMS 7 /* keys 1..7: a script may add its own option 8; 9 is "more" */

static const struct menu_result_spec cert_fields[] = {
    R("occupation", MENU_VT_TEXT, 24),
    R("level", MENU_VT_TEXT, 32),
    R("status", MENU_VT_TEXT, 16),
    R("status_code", MENU_VT_TEXT, 11),
    R("amount", MENU_VT_MONEY, 8),
    R("paid", MENU_VT_MONEY, 8),
    R("has_deadline", MENU_VT_BOOL, 1),
    R("deadline", MENU_VT_DATE, 10),
    R("days_left", MENU_VT_INT, 4),
    R("shortage", MENU_VT_BOOL, 1),
    R("example", MENU_VT_BOOL, 1),
    R("tag", MENU_VT_TEXT, 10),
};

static const struct menu_result_spec next_fields[] = {
    R("occupation", MENU_VT_TEXT, 24),
    R("level", MENU_VT_TEXT, 32),
    R("points_gain", MENU_VT_INT, 3),
    R("has_standard", MENU_VT_BOOL, 1),
    R("amount", MENU_VT_MONEY, 8),
    R("example", MENU_VT_BOOL, 1),
};

static const struct menu_result_spec subsidy_results[] = {
    R("count", MENU_VT_INT, 2),
    R("claimable_count", MENU_VT_INT, 2),
    R("claimable_total", MENU_VT_MONEY, 8),
    R("paid_total", MENU_VT_MONEY, 8),
    R("next_count", MENU_VT_INT, 2),
    R("summary", MENU_VT_TEXT, 400),
    R("next_summary", MENU_VT_TEXT, 200),
    {.name = "certs", .type = MENU_VT_LIST, .max_width = 40, .fields = cert_fields,
     .n_fields = sizeof cert_fields / sizeof cert_fields[0], .max_items = SUBSIDY_MAX_ITEMS},
    {.name = "next", .type = MENU_VT_LIST, .max_width = 40, .fields = next_fields,
     .n_fields = sizeof next_fields / sizeof next_fields[0], .max_items = SUBSIDY_MAX_ITEMS},
};

static const char *status_text(const struct menu_action_ctx *ctx, enum svc_subsidy_status st)
{
    switch (st) {
    case SVC_SUBSIDY_PAID:
        return ma_pick(ctx, "已发放", "paid");
    case SVC_SUBSIDY_CLAIMABLE:
        return ma_pick(ctx, "可申领", "claimable");
    case SVC_SUBSIDY_EXPIRED:
        return ma_pick(ctx, "已过期", "expired");
    default:
        return ma_pick(ctx, "无补贴标准", "no standard");
    }
}

/* One summary line for certificate c. */
static void cert_line(const struct menu_action_ctx *ctx, const struct svc_subsidy_cert *c,
                      char *buf, size_t len, size_t *pos)
{
    bool en = ma_en(ctx);
    char m[MA_MONEY_LEN], day[GY_DATE_STRLEN];
    ma_append(buf, len, pos, en ? "%s%s %s: %s" : "%s%s %s：%s", *pos ? "\n" : "",
              ma_pick(ctx, c->occupation_zh, c->occupation_en), ma_pick(ctx, c->level_zh, c->level_en),
              status_text(ctx, c->status));
    switch (c->status) {
    case SVC_SUBSIDY_PAID:
        ma_append(buf, len, pos, en ? " %s" : "%s", ma_money(ctx, c->paid_fen, m));
        break;
    case SVC_SUBSIDY_CLAIMABLE:
        ma_append(buf, len, pos, en ? " %s until %s" : "%s，截止%s", ma_money(ctx, c->amount.total_fen, m),
                  gy_date_format(c->deadline, day));
        break;
    case SVC_SUBSIDY_EXPIRED:
        if (c->has_deadline)
            ma_append(buf, len, pos, en ? " (deadline %s)" : "（截止%s）",
                      gy_date_format(c->deadline, day));
        break;
    default:
        break;
    }
    if (c->status != SVC_SUBSIDY_PAID && c->amount.has_standard && c->amount.example)
        ma_append(buf, len, pos, "%s", en ? " (example)" : "（示例）");
}

/* One line for the next level nx: "车工 高级工：+20分，补贴¥2,600（示例）". */
static void next_line(const struct menu_action_ctx *ctx, const struct svc_subsidy_next *nx,
                      char *buf, size_t len, size_t *pos)
{
    bool en = ma_en(ctx);
    char m[MA_MONEY_LEN];
    ma_append(buf, len, pos, en ? "%s%s %s: +%d points" : "%s%s %s：+%d分", *pos ? "\n" : "",
              ma_pick(ctx, nx->occupation_zh, nx->occupation_en),
              ma_pick(ctx, nx->level_zh, nx->level_en), nx->points_gain);
    if (nx->amount.has_standard)
        ma_append(buf, len, pos, en ? ", subsidy %s" : "，补贴%s",
                  ma_money(ctx, nx->amount.total_fen, m));
    else
        ma_append(buf, len, pos, "%s", en ? ", no subsidy standard" : "，无补贴标准");
    if (nx->amount.example || nx->points_example)
        ma_append(buf, len, pos, "%s", ma_tag(ctx));
}

static int subsidy_list(const struct menu_action_ctx *ctx, const struct menu_value *args,
                        size_t n_args, struct menu_values *out)
{
    (void)args;
    (void)n_args;
    struct svc_worker w;
    struct svc_subsidy s;
    int rc = ma_worker(ctx, &w, out);
    if (rc != 0)
        return rc;
    if ((rc = svc_subsidy_check(ctx->db, &w, ctx->today, &s)) != 0)
        return rc;
    char summary[1024];
    size_t pos = 0;
    summary[0] = '\0';
    int claimable = 0;
    rc = menu_values_set_list(out, "certs");
    if (rc == 0)
        rc = menu_values_set_list(out, "next");
    for (size_t i = 0; rc == 0 && i < s.n_certs && i < SUBSIDY_MAX_ITEMS; i++) {
        const struct svc_subsidy_cert *c = &s.certs[i];
        char label[2 * SVC_NAME_LEN + 32];
        snprintf(label, sizeof label, "%s %s %s", ma_pick(ctx, c->occupation_zh, c->occupation_en),
                 ma_pick(ctx, c->level_zh, c->level_en), status_text(ctx, c->status));
        cert_line(ctx, c, summary, sizeof summary, &pos);
        claimable += c->status == SVC_SUBSIDY_CLAIMABLE;
        bool example = c->amount.has_standard && c->amount.example;
        const struct ma_set v[] = {
            MA_TEXT("occupation", ma_pick(ctx, c->occupation_zh, c->occupation_en)),
            MA_TEXT("level", ma_pick(ctx, c->level_zh, c->level_en)),
            MA_TEXT("status", status_text(ctx, c->status)),
            MA_TEXT("status_code", svc_subsidy_status_name(c->status)),
            MA_MONEY("amount", c->amount.has_standard ? c->amount.total_fen : 0),
            MA_MONEY("paid", c->paid_fen),
            MA_BOOL("has_deadline", c->has_deadline),
            MA_DATE("deadline", c->deadline),
            MA_INT("days_left", c->days_left),
            MA_BOOL("shortage", c->amount.shortage),
            MA_BOOL("example", example),
            MA_TEXT("tag", example ? ma_tag(ctx) : ""),
        };
        struct menu_values *iv = menu_values_list_add(out, "certs", label);
        if (!iv || ma_set_all(iv, v, sizeof v / sizeof v[0]) != 0)
            rc = GY_ENOMEM;
    }
    char next_summary[512];
    size_t npos = 0;
    next_summary[0] = '\0';
    for (size_t i = 0; rc == 0 && i < s.n_next && i < SUBSIDY_MAX_ITEMS; i++) {
        const struct svc_subsidy_next *nx = &s.next[i];
        next_line(ctx, nx, next_summary, sizeof next_summary, &npos);
        char label[2 * SVC_NAME_LEN + 8];
        snprintf(label, sizeof label, "%s %s", ma_pick(ctx, nx->occupation_zh, nx->occupation_en),
                 ma_pick(ctx, nx->level_zh, nx->level_en));
        const struct ma_set v[] = {
            MA_TEXT("occupation", ma_pick(ctx, nx->occupation_zh, nx->occupation_en)),
            MA_TEXT("level", ma_pick(ctx, nx->level_zh, nx->level_en)),
            MA_INT("points_gain", nx->points_gain),
            MA_BOOL("has_standard", nx->amount.has_standard),
            MA_MONEY("amount", nx->amount.has_standard ? nx->amount.total_fen : 0),
            MA_BOOL("example", nx->amount.example || nx->points_example),
        };
        struct menu_values *iv = menu_values_list_add(out, "next", label);
        if (!iv || ma_set_all(iv, v, sizeof v / sizeof v[0]) != 0)
            rc = GY_ENOMEM;
    }
    const struct ma_set v[] = {
        MA_INT("count", (long long)s.n_certs),
        MA_INT("claimable_count", claimable),
        MA_MONEY("claimable_total", s.claimable_fen),
        MA_MONEY("paid_total", s.paid_fen),
        MA_INT("next_count", (long long)s.n_next),
        MA_TEXT("summary", summary),
        MA_TEXT("next_summary", next_summary),
    };
    if (rc == 0)
        rc = ma_set_all(out, v, sizeof v / sizeof v[0]);
    svc_subsidy_fini(&s);
    return rc;
}

const struct menu_action_def ma_def_subsidy_list = {
    .name = "subsidy.list",
    .doc = "training subsidies per certificate (status, amount, deadline) and the next level",
    .results = subsidy_results,
    .n_results = sizeof subsidy_results / sizeof subsidy_results[0],
    .fn = subsidy_list,
};
