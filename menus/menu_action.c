/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_action: typed value bags, the registry of named actions, and the checked call of
 * one action. Knows no service: the built-in actions live in menu_actions_*.c. */
#include "menus/menu_action.h"

#include "base/gy_err.h"
#include "menus/menu_actions_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const vtype_names[] = {"int", "money", "date", "text", "bool", "list"};

const char *menu_vtype_name(enum menu_vtype t)
{
    if ((unsigned)t >= sizeof vtype_names / sizeof vtype_names[0])
        return "?";
    return vtype_names[t];
}

int menu_vtype_parse(const char *name, enum menu_vtype *out)
{
    if (!name || !out)
        return GY_EINVAL;
    for (size_t i = 0; i < sizeof vtype_names / sizeof vtype_names[0]; i++) {
        if (strcmp(name, vtype_names[i]) == 0) {
            *out = (enum menu_vtype)i;
            return 0;
        }
    }
    return GY_EINVAL;
}

/* ---- value bags ---- */

static bool name_ok(const char *name)
{
    if (!name || !*name || strlen(name) >= MENU_VALUE_NAME_LEN)
        return false;
    for (const char *p = name; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    }
    return true;
}

static void value_clear(struct menu_value *v)
{
    free(v->text);
    v->text = NULL;
    for (size_t i = 0; i < v->n_items; i++) {
        free(v->items[i].label);
        menu_values_fini(&v->items[i].values);
    }
    free(v->items);
    v->items = NULL;
    v->n_items = v->cap_items = 0;
    v->num = 0;
    v->date = (struct gy_date){0, 0, 0};
}

void menu_values_fini(struct menu_values *vals)
{
    if (!vals)
        return;
    for (size_t i = 0; i < vals->n; i++)
        value_clear(&vals->v[i]);
    free(vals->v);
    memset(vals, 0, sizeof *vals);
}

const struct menu_value *menu_values_get(const struct menu_values *vals, const char *name)
{
    if (!vals || !name)
        return NULL;
    for (size_t i = 0; i < vals->n; i++) {
        if (strcmp(vals->v[i].name, name) == 0)
            return &vals->v[i];
    }
    return NULL;
}

/* The slot for name, emptied and typed; NULL on a bad name or ENOMEM. */
static struct menu_value *slot(struct menu_values *vals, const char *name, enum menu_vtype t)
{
    if (!vals || !name_ok(name))
        return NULL;
    struct menu_value *v = (struct menu_value *)menu_values_get(vals, name);
    if (v) {
        value_clear(v);
    } else {
        if (vals->n == vals->cap) {
            size_t cap = vals->cap ? vals->cap * 2 : 8; /* a list item holds a few */
            struct menu_value *nv = realloc(vals->v, cap * sizeof *nv);
            if (!nv)
                return NULL;
            vals->v = nv;
            vals->cap = cap;
        }
        v = &vals->v[vals->n++];
        memset(v, 0, sizeof *v);
        memcpy(v->name, name, strlen(name) + 1);
    }
    v->type = t;
    return v;
}

static int set_num(struct menu_values *vals, const char *name, enum menu_vtype t, long long n)
{
    if (!name_ok(name))
        return GY_EINVAL;
    struct menu_value *v = slot(vals, name, t);
    if (!v)
        return GY_ENOMEM;
    v->num = n;
    return 0;
}

int menu_values_set_int(struct menu_values *vals, const char *name, long long v)
{
    return set_num(vals, name, MENU_VT_INT, v);
}

int menu_values_set_money(struct menu_values *vals, const char *name, long long fen)
{
    return set_num(vals, name, MENU_VT_MONEY, fen);
}

int menu_values_set_bool(struct menu_values *vals, const char *name, bool v)
{
    return set_num(vals, name, MENU_VT_BOOL, v ? 1 : 0);
}

int menu_values_set_date(struct menu_values *vals, const char *name, struct gy_date d)
{
    if (!name_ok(name))
        return GY_EINVAL;
    struct menu_value *v = slot(vals, name, MENU_VT_DATE);
    if (!v)
        return GY_ENOMEM;
    v->date = d;
    return 0;
}

int menu_values_set_text(struct menu_values *vals, const char *name, const char *text)
{
    if (!name_ok(name))
        return GY_EINVAL;
    char *copy = strdup(text ? text : "");
    if (!copy)
        return GY_ENOMEM;
    struct menu_value *v = slot(vals, name, MENU_VT_TEXT);
    if (!v) {
        free(copy);
        return GY_ENOMEM;
    }
    v->text = copy;
    return 0;
}

int menu_values_set_textf(struct menu_values *vals, const char *name, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return GY_EINVAL;
    if ((size_t)n >= sizeof buf)
        return GY_ETOOBIG;
    return menu_values_set_text(vals, name, buf);
}

int menu_values_set_list(struct menu_values *vals, const char *name)
{
    if (!name_ok(name))
        return GY_EINVAL;
    return slot(vals, name, MENU_VT_LIST) ? 0 : GY_ENOMEM;
}

struct menu_values *menu_values_list_add(struct menu_values *vals, const char *name,
                                         const char *label)
{
    if (!name_ok(name))
        return NULL;
    struct menu_value *v = (struct menu_value *)menu_values_get(vals, name);
    if (v && v->type != MENU_VT_LIST)
        return NULL;
    if (!v && !(v = slot(vals, name, MENU_VT_LIST)))
        return NULL;
    char *copy = strdup(label ? label : "");
    if (!copy)
        return NULL;
    if (v->n_items == v->cap_items) {
        size_t cap = v->cap_items ? v->cap_items * 2 : 8;
        struct menu_item *ni = realloc(v->items, cap * sizeof *ni);
        if (!ni) {
            free(copy);
            return NULL;
        }
        v->items = ni;
        v->cap_items = cap;
    }
    struct menu_item *it = &v->items[v->n_items++];
    memset(it, 0, sizeof *it);
    it->label = copy;
    return &it->values;
}

int menu_values_copy(struct menu_values *dst, const struct menu_values *src)
{
    memset(dst, 0, sizeof *dst);
    if (!src)
        return 0;
    for (size_t i = 0; i < src->n; i++) {
        const struct menu_value *s = &src->v[i];
        int rc = 0;
        switch (s->type) {
        case MENU_VT_TEXT:
            rc = menu_values_set_text(dst, s->name, s->text);
            break;
        case MENU_VT_DATE:
            rc = menu_values_set_date(dst, s->name, s->date);
            break;
        case MENU_VT_LIST:
            rc = menu_values_set_list(dst, s->name);
            for (size_t k = 0; rc == 0 && k < s->n_items; k++) {
                struct menu_values *iv = menu_values_list_add(dst, s->name, s->items[k].label);
                if (!iv || menu_values_copy(iv, &s->items[k].values) != 0)
                    rc = GY_ENOMEM;
            }
            break;
        default:
            rc = set_num(dst, s->name, s->type, s->num);
            break;
        }
        if (rc != 0) {
            menu_values_fini(dst);
            return GY_ENOMEM;
        }
    }
    return 0;
}

/* ---- registry ---- */

struct menu_action_registry {
    size_t n, cap;
    const struct menu_action_def **defs;
};

struct menu_action_registry *menu_action_registry_new(void)
{
    return calloc(1, sizeof(struct menu_action_registry));
}

void menu_action_registry_free(struct menu_action_registry *reg)
{
    if (!reg)
        return;
    free(reg->defs);
    free(reg);
}

int menu_action_registry_add(struct menu_action_registry *reg, const struct menu_action_def *def)
{
    if (!reg || !def || !def->name || !*def->name || !def->fn ||
        def->n_args > MENU_ACTION_MAX_ARGS || (def->n_args && !def->args) ||
        (def->n_results && !def->results))
        return GY_EINVAL;
    if (menu_action_find(reg, def->name))
        return GY_EEXIST;
    if (reg->n == reg->cap) {
        size_t cap = reg->cap ? reg->cap * 2 : 16;
        const struct menu_action_def **nd = realloc(reg->defs, cap * sizeof *nd);
        if (!nd)
            return GY_ENOMEM;
        reg->defs = nd;
        reg->cap = cap;
    }
    reg->defs[reg->n++] = def;
    return 0;
}

struct menu_action_registry *menu_action_registry_builtin(void)
{
    struct menu_action_registry *reg = menu_action_registry_new();
    if (!reg)
        return NULL;
    size_t n = 0;
    const struct menu_action_def *const *defs = menu_actions_builtin_defs(&n);
    for (size_t i = 0; i < n; i++) {
        if (menu_action_registry_add(reg, defs[i]) != 0) {
            menu_action_registry_free(reg);
            return NULL;
        }
    }
    return reg;
}

const struct menu_action_def *menu_action_find(const struct menu_action_registry *reg,
                                               const char *name)
{
    if (!reg || !name)
        return NULL;
    for (size_t i = 0; i < reg->n; i++) {
        if (strcmp(reg->defs[i]->name, name) == 0)
            return reg->defs[i];
    }
    return NULL;
}

size_t menu_action_count(const struct menu_action_registry *reg)
{
    return reg ? reg->n : 0;
}

const struct menu_action_def *menu_action_at(const struct menu_action_registry *reg, size_t i)
{
    return reg && i < reg->n ? reg->defs[i] : NULL;
}

const struct menu_result_spec *menu_action_result(const struct menu_action_def *def,
                                                  const char *name)
{
    if (!def || !name)
        return NULL;
    const char *dot = strchr(name, '.');
    size_t len = dot ? (size_t)(dot - name) : strlen(name);
    for (size_t i = 0; i < def->n_results; i++) {
        const struct menu_result_spec *r = &def->results[i];
        if (strlen(r->name) != len || strncmp(r->name, name, len) != 0)
            continue;
        if (!dot)
            return r;
        if (r->type != MENU_VT_LIST)
            return NULL;
        for (size_t k = 0; k < r->n_fields; k++) {
            if (strcmp(r->fields[k].name, dot + 1) == 0)
                return &r->fields[k];
        }
        return NULL;
    }
    return NULL;
}

/* ---- the checked call ---- */

static int parse_int_text(const char *s, long long *out)
{
    if (!s)
        return GY_EINVAL;
    while (*s == ' ')
        s++;
    if (!*s)
        return GY_EINVAL;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    while (end && *end == ' ')
        end++;
    if (errno != 0 || !end || *end)
        return GY_EINVAL;
    *out = v;
    return 0;
}

int menu_action_call(const struct menu_action_def *def, const struct menu_action_ctx *ctx,
                     const struct menu_value *args, size_t n_args, struct menu_values *out,
                     char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!def || !ctx || !out || (n_args && !args)) {
        if (err && errlen)
            snprintf(err, errlen, "action call without definition, context or result");
        return GY_EINVAL;
    }
    menu_values_fini(out);
    size_t required = 0;
    for (size_t i = 0; i < def->n_args; i++) {
        if (!def->args[i].optional)
            required = i + 1;
    }
    if (n_args < required || n_args > def->n_args) {
        if (err && errlen)
            snprintf(err, errlen, "%s takes %zu to %zu arguments, not %zu", def->name, required,
                     def->n_args, n_args);
        return GY_EINVAL;
    }
    struct menu_value conv[MENU_ACTION_MAX_ARGS];
    char numbuf[MENU_ACTION_MAX_ARGS][24];
    for (size_t i = 0; i < n_args; i++) {
        conv[i] = args[i];
        const struct menu_arg_spec *sp = &def->args[i];
        if (sp->type == args[i].type)
            continue;
        if (sp->type == MENU_VT_INT && args[i].type == MENU_VT_TEXT &&
            parse_int_text(args[i].text, &conv[i].num) == 0) {
            conv[i].type = MENU_VT_INT;
            continue;
        }
        if (sp->type == MENU_VT_TEXT &&
            (args[i].type == MENU_VT_INT || args[i].type == MENU_VT_BOOL)) {
            snprintf(numbuf[i], sizeof numbuf[i], "%lld", args[i].num);
            conv[i].type = MENU_VT_TEXT;
            conv[i].text = numbuf[i];
            continue;
        }
        if (err && errlen)
            snprintf(err, errlen, "%s: argument %zu (%s) must be %s, not %s", def->name, i + 1,
                     sp->name, menu_vtype_name(sp->type), menu_vtype_name(args[i].type));
        return GY_EINVAL;
    }
    for (size_t i = 0; i < n_args; i++) {
        if (conv[i].type == MENU_VT_TEXT && !conv[i].text) {
            if (err && errlen)
                snprintf(err, errlen, "%s: argument %zu (%s) has no text", def->name, i + 1,
                         def->args[i].name);
            return GY_EINVAL;
        }
    }
    int rc = def->fn(ctx, conv, n_args, out);
    if (rc != 0) {
        /* An action explains a refusal in a text value "error" (see menu_actions_int.h). */
        const struct menu_value *why = menu_values_get(out, "error");
        if (err && errlen) {
            if (why && why->type == MENU_VT_TEXT)
                snprintf(err, errlen, "%s: %s", def->name, why->text);
            else
                snprintf(err, errlen, "%s: %s", def->name, gy_strerror(rc));
        }
        menu_values_fini(out);
    }
    return rc;
}
