/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_actions_int: what the built-in action files share (the tables of definitions, the
 * worker lookup, language choice, money and percentage text). Internal to menus/. */
#ifndef MENU_ACTIONS_INT_H
#define MENU_ACTIONS_INT_H

#include "db/svc_worker.h"
#include "menus/menu_action.h"

#include <stdbool.h>
#include <stddef.h>

/* Every built-in definition, in a static table; *n receives the count. */
const struct menu_action_def *const *menu_actions_builtin_defs(size_t *n);

/* The definitions of each file. */
extern const struct menu_action_def ma_def_worker_status, ma_def_points_get, ma_def_hukou_check,
    ma_def_lang_set, ma_def_sub_optout, ma_def_sub_optin;
extern const struct menu_action_def ma_def_enroll_children;
extern const struct menu_action_def ma_def_wages_get, ma_def_guide_find, ma_def_subsidy_list;

/* Loads the worker of ctx->msisdn into *w. Returns 0, GY_ENOTFOUND (unregistered; an
 * "error" text is set in out), GY_EINVAL for an empty number, or the service's error. */
int ma_worker(const struct menu_action_ctx *ctx, struct svc_worker *w, struct menu_values *out);

/* True when ctx asks for English. */
bool ma_en(const struct menu_action_ctx *ctx);
/* zh or en by ctx's language (en falls back to zh when empty). */
const char *ma_pick(const struct menu_action_ctx *ctx, const char *zh, const char *en);

#define MA_MONEY_LEN 48
/* "¥1,950" for whole yuan, "¥13.30" otherwise, "-¥5" for negatives. Returns buf. */
char *ma_money(const struct menu_action_ctx *ctx, long long fen, char *buf);
/* "9%" or "6.5%" from basis points. Returns buf (at least 16 bytes). */
char *ma_percent(int bp, char *buf);

/* The example label in ctx's language: "（示例）" or " (example)". */
const char *ma_tag(const struct menu_action_ctx *ctx);

/* Sets out's "error" text to msg and returns rc (for refusals explained to the caller). */
int ma_fail(struct menu_values *out, int rc, const char *msg);

/* One value for ma_set_all(), made with MA_INT() and the like: num for INT, MONEY and
 * BOOL, date for DATE, text (borrowed) for TEXT. */
struct ma_set {
    const char *name;
    enum menu_vtype type;
    long long num;
    struct gy_date date;
    const char *text;
};
#define MA_INT(n, v) {.name = (n), .type = MENU_VT_INT, .num = (v)}
#define MA_MONEY(n, v) {.name = (n), .type = MENU_VT_MONEY, .num = (v)}
#define MA_BOOL(n, v) {.name = (n), .type = MENU_VT_BOOL, .num = (v) ? 1 : 0}
#define MA_DATE(n, v) {.name = (n), .type = MENU_VT_DATE, .date = (v)}
#define MA_TEXT(n, v) {.name = (n), .type = MENU_VT_TEXT, .text = (v)}

/* Sets the n values of v into vals in order with the menu_values_set_*() of their type.
 * Returns 0, or the first setter's error (the values after it are not set). */
int ma_set_all(struct menu_values *vals, const struct ma_set *v, size_t n);

/* Appends printf text to buf (len bytes) at *pos; stops quietly when full. */
void ma_append(char *buf, size_t len, size_t *pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
