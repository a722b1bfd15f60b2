/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_actions_common: the table of built-in actions and the helpers the action files
 * share (worker lookup, language choice, money and percentage text). No service logic. */
#include "menus/menu_actions_int.h"

#include "base/gy_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct menu_action_def *const builtin[] = {
    &ma_def_worker_status, &ma_def_points_get,  &ma_def_hukou_check,  &ma_def_enroll_children,
    &ma_def_wages_get,     &ma_def_guide_find,  &ma_def_subsidy_list, &ma_def_lang_set,
    &ma_def_sub_optout,    &ma_def_sub_optin,
};

const struct menu_action_def *const *menu_actions_builtin_defs(size_t *n)
{
    *n = sizeof builtin / sizeof builtin[0];
    return builtin;
}

int ma_fail(struct menu_values *out, int rc, const char *msg)
{
    (void)menu_values_set_text(out, "error", msg);
    return rc;
}

int ma_set_all(struct menu_values *vals, const struct ma_set *v, size_t n)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        switch (v[i].type) {
        case MENU_VT_INT:
            rc = menu_values_set_int(vals, v[i].name, v[i].num);
            break;
        case MENU_VT_MONEY:
            rc = menu_values_set_money(vals, v[i].name, v[i].num);
            break;
        case MENU_VT_BOOL:
            rc = menu_values_set_bool(vals, v[i].name, v[i].num != 0);
            break;
        case MENU_VT_DATE:
            rc = menu_values_set_date(vals, v[i].name, v[i].date);
            break;
        case MENU_VT_TEXT:
            rc = menu_values_set_text(vals, v[i].name, v[i].text);
            break;
        case MENU_VT_LIST:
            rc = GY_EINVAL; /* lists are made with menu_values_set_list() */
            break;
        }
    }
    return rc;
}

int ma_worker(const struct menu_action_ctx *ctx, struct svc_worker *w, struct menu_values *out)
{
    if (!ctx->db)
        return ma_fail(out, GY_EINVAL, "no database");
    if (!ctx->msisdn || !*ctx->msisdn)
        return ma_fail(out, GY_EINVAL, "no phone number");
    int rc = svc_worker_get(ctx->db, ctx->msisdn, w);
    if (rc == GY_ENOTFOUND)
        return ma_fail(out, rc, "the number is not registered");
    return rc;
}

bool ma_en(const struct menu_action_ctx *ctx)
{
    return ctx->lang && strcmp(ctx->lang, "en") == 0;
}

const char *ma_pick(const struct menu_action_ctx *ctx, const char *zh, const char *en)
{
    return ma_en(ctx) && en && *en ? en : zh;
}

const char *ma_tag(const struct menu_action_ctx *ctx)
{
    return ma_en(ctx) ? " (example)" : "（示例）";
}

char *ma_money(const struct menu_action_ctx *ctx, long long fen, char *buf)
{
    char digits[32];
    const char *sign = fen < 0 ? "-" : "";
    unsigned long long a = fen < 0 ? 0ULL - (unsigned long long)fen : (unsigned long long)fen;
    unsigned long long yuan = a / 100, cents = a % 100;
    int len = snprintf(digits, sizeof digits, "%llu", yuan);
    char grouped[32];
    size_t g = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            grouped[g++] = ',';
        grouped[g++] = digits[i];
    }
    grouped[g] = '\0';
    bool en = ma_en(ctx); /* "¥1,950" in Chinese, "1,950 yuan" in English (as templates) */
    if (cents)
        snprintf(buf, MA_MONEY_LEN, en ? "%s%s.%02llu yuan" : "%s¥%s.%02llu", sign, grouped, cents);
    else
        snprintf(buf, MA_MONEY_LEN, en ? "%s%s yuan" : "%s¥%s", sign, grouped);
    return buf;
}

char *ma_percent(int bp, char *buf)
{
    const char *sign = bp < 0 ? "-" : "";
    unsigned a = bp < 0 ? 0U - (unsigned)bp : (unsigned)bp;
    if (a % 100 == 0)
        snprintf(buf, 16, "%s%u%%", sign, a / 100);
    else if (a % 10 == 0)
        snprintf(buf, 16, "%s%u.%u%%", sign, a / 100, (a % 100) / 10);
    else
        snprintf(buf, 16, "%s%u.%02u%%", sign, a / 100, a % 100);
    return buf;
}

void ma_append(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
    if (*pos >= len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *pos, len - *pos, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= len - *pos) {
        /* Drop a UTF-8 character cut by the end of buf. */
        size_t s = len - 2, end = len - 1;
        while (s > *pos && ((unsigned char)buf[s] & 0xC0) == 0x80)
            s--;
        unsigned char lead = (unsigned char)buf[s];
        size_t need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (s + need > end)
            buf[s] = '\0';
        *pos = len;
        return;
    }
    *pos += (size_t)n;
}
