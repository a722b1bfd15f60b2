/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_parse_nodes: the "nodes" section of a menu script: each node type and its fields
 * (options, validate, args, set, routes and their conditions). Names stay unresolved here;
 * menu_parse.c links them once every file is read. */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "menus/menu_parse_int.h"

/* ----- conditions ----- */

static const char *const cond_ops[] = {"eq", "ne", "lt", "gt", "empty", "in", NULL};

static void
parse_cond(struct menu_pctx *p, const config_setting_t *g, struct menu_cond *c, bool with_next)
{
    static const char *const keys_next[] = {"var",   "eq", "ne",   "lt", "gt",
                                            "empty", "in", "next", NULL};
    menu_cfg_check_keys(p, g, with_next ? keys_next : keys_next, "a condition");
    c->line = menu_cfg_line(g);
    c->next = MENU_NONE;
    c->var = menu_var_ref(p, g, menu_cfg_str(p, g, "var", true));
    int found = 0;
    for (int op = 0; cond_ops[op]; op++) {
        const config_setting_t *m = config_setting_get_member(g, cond_ops[op]);
        if (!m)
            continue;
        found++;
        c->op = (enum menu_cond_op)op;
        if (op == MENU_OP_EMPTY) {
            if (config_setting_type(m) != CONFIG_TYPE_BOOL)
                PERR(p, m, "'empty' must be true or false");
            c->negate_empty = !config_setting_get_bool(m);
        } else if (op == MENU_OP_IN) {
            c->values = menu_cfg_strv(p, m, &c->n_values);
        } else {
            char buf[32];
            const char *val = NULL;
            switch (config_setting_type(m)) {
            case CONFIG_TYPE_STRING:
                val = config_setting_get_string(m);
                break;
            case CONFIG_TYPE_INT:
            case CONFIG_TYPE_INT64:
                snprintf(buf, sizeof(buf), "%lld", config_setting_get_int64(m));
                val = buf;
                break;
            case CONFIG_TYPE_BOOL:
                val = config_setting_get_bool(m) ? "1" : "0";
                break;
            default:
                PERR(p, m, "'%s' must be a string or a number", cond_ops[op]);
            }
            if (val) {
                c->values = calloc(1, sizeof(char *));
                if (c->values && (c->values[0] = strdup(val)))
                    c->n_values = 1;
            }
        }
    }
    if (found != 1)
        PERR(p, g, "a condition needs exactly one of eq, ne, lt, gt, empty, in");
    if (with_next)
        c->next_name = menu_xstrdup(menu_cfg_str(p, g, "next", true));
}

/* ----- nodes ----- */

static const char *const type_names[] = {"menu",   "input", "info", "action",
                                         "router", "set",   "end",  NULL};

static void
parse_options(struct menu_pctx *p, const config_setting_t *m, struct menu_node *n)
{
    if (!config_setting_is_list(m) && !config_setting_is_array(m)) {
        PERR(p, m, "'options' must be a list ( {...}, {...} )");
        return;
    }
    int cnt = config_setting_length(m);
    n->options = calloc((size_t)cnt + 1, sizeof(*n->options));
    if (!n->options)
        return;
    for (int i = 0; i < cnt; i++) {
        const config_setting_t *g = config_setting_get_elem(m, (unsigned)i);
        if (!config_setting_is_group(g)) {
            PERR(p, g, "an option must be a group { key; label; next; }");
            continue;
        }
        static const char *const keys[] = {"key", "label", "next", "when", NULL};
        menu_cfg_check_keys(p, g, keys, "an option");
        struct menu_option *o = &n->options[n->n_options++];
        o->line = menu_cfg_line(g);
        o->next = MENU_NONE;
        const config_setting_t *k = config_setting_get_member(g, "key");
        if (k && (config_setting_type(k) == CONFIG_TYPE_INT ||
                  config_setting_type(k) == CONFIG_TYPE_INT64)) {
            char buf[24];
            snprintf(buf, sizeof(buf), "%lld", config_setting_get_int64(k));
            o->key = strdup(buf);
        } else {
            o->key = menu_xstrdup(menu_cfg_str(p, g, "key", true));
        }
        menu_cfg_text(p, g, "label", &o->label);
        if (!o->label.present)
            PERR(p, g, "option '%s' has no label", o->key ? o->key : "?");
        o->next_name = menu_xstrdup(menu_cfg_str(p, g, "next", true));
        const config_setting_t *w = config_setting_get_member(g, "when");
        if (w) {
            if (!config_setting_is_group(w)) {
                PERR(p, w, "'when' must be a condition group { var; eq; }");
            } else if ((o->when = calloc(1, sizeof(*o->when)))) {
                parse_cond(p, w, o->when, false);
            }
        }
    }
}

static void
parse_validate(struct menu_pctx *p, const config_setting_t *g, struct menu_node *n)
{
    struct menu_validate *v = &n->validate;
    v->retries = 3;
    v->on_fail = MENU_NONE;
    for (size_t i = 0; i < MENU_MAX_LANGS; i++)
        v->error.ref[i] = -1;
    if (!g)
        return;
    if (!config_setting_is_group(g)) {
        PERR(p, g, "'validate' must be a group");
        return;
    }
    static const char *const keys[] = {"digits", "min_len", "max_len", "min",   "max",     "regex",
                                       "idnum",  "date",    "retries", "error", "on_fail", NULL};
    menu_cfg_check_keys(p, g, keys, "validate");
    v->line = menu_cfg_line(g);
    long long x;
    if (menu_cfg_bool(p, g, "digits", false))
        v->flags |= MENU_V_DIGITS;
    if (menu_cfg_bool(p, g, "idnum", false))
        v->flags |= MENU_V_IDNUM;
    if (menu_cfg_bool(p, g, "date", false))
        v->flags |= MENU_V_DATE;
    if (menu_cfg_int(p, g, "min_len", &x))
        v->min_len = (int)x;
    if (menu_cfg_int(p, g, "max_len", &x))
        v->max_len = (int)x;
    v->min = INT64_MIN;
    v->max = INT64_MAX;
    if (menu_cfg_int(p, g, "min", &x)) {
        v->min = x;
        v->flags |= MENU_V_INT;
    }
    if (menu_cfg_int(p, g, "max", &x)) {
        v->max = x;
        v->flags |= MENU_V_INT;
    }
    if (menu_cfg_int(p, g, "retries", &x))
        v->retries = (int)x;
    const char *re = menu_cfg_str(p, g, "regex", false);
    if (re) {
        v->flags |= MENU_V_REGEX;
        v->regex = strdup(re);
        int rc = regcomp(&v->re, re, REG_EXTENDED | REG_NOSUB);
        if (rc == 0) {
            v->re_ok = true;
        } else {
            regerror(rc, &v->re, v->re_error, sizeof(v->re_error));
            regfree(&v->re);
        }
    }
    menu_cfg_text(p, g, "error", &v->error);
    v->on_fail_name = menu_xstrdup(menu_cfg_str(p, g, "on_fail", false));
}

static void
parse_args(struct menu_pctx *p, const config_setting_t *m, struct menu_node *n)
{
    if (config_setting_is_group(m) || !config_setting_is_aggregate(m)) {
        PERR(p, m, "'args' must be a list [\"var\", 3, \"=literal\"]");
        return;
    }
    int cnt = config_setting_length(m);
    n->args = calloc((size_t)cnt + 1, sizeof(*n->args));
    if (!n->args)
        return;
    for (int i = 0; i < cnt; i++) {
        const config_setting_t *e = config_setting_get_elem(m, (unsigned)i);
        struct menu_arg *a = &n->args[n->n_args++];
        a->line = menu_cfg_line(e);
        a->var = MENU_NONE;
        int t = config_setting_type(e);
        if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) {
            a->type = MENU_T_INT;
            a->num = config_setting_get_int64(e);
        } else if (t == CONFIG_TYPE_STRING) {
            const char *sv = config_setting_get_string(e);
            if (sv[0] == '=') {
                a->type = MENU_T_TEXT;
                a->text = strdup(sv + 1);
            } else {
                a->var = menu_var_ref(p, e, sv);
            }
        } else {
            PERR(p, e, "an argument must be a variable name, an integer or \"=text\"");
        }
    }
}

static void
parse_assigns(struct menu_pctx *p, const config_setting_t *m, struct menu_node *n)
{
    if (!config_setting_is_list(m)) {
        PERR(p, m, "'set' must be a list ( { var; value; }, ... )");
        return;
    }
    int cnt = config_setting_length(m);
    n->assigns = calloc((size_t)cnt + 1, sizeof(*n->assigns));
    if (!n->assigns)
        return;
    for (int i = 0; i < cnt; i++) {
        const config_setting_t *g = config_setting_get_elem(m, (unsigned)i);
        if (!config_setting_is_group(g)) {
            PERR(p, g, "an assignment must be a group { var; value; }");
            continue;
        }
        static const char *const keys[] = {"var", "value", NULL};
        menu_cfg_check_keys(p, g, keys, "an assignment");
        struct menu_assign *a = &n->assigns[n->n_assigns++];
        a->line = menu_cfg_line(g);
        a->var = menu_var_ref(p, g, menu_cfg_str(p, g, "var", true));
        if (a->var != MENU_NONE)
            p->s->vars[a->var].assigned = true;
        const config_setting_t *v = config_setting_get_member(g, "value");
        if (!v) {
            PERR(p, g, "missing setting 'value'");
            continue;
        }
        switch (config_setting_type(v)) {
        case CONFIG_TYPE_INT:
        case CONFIG_TYPE_INT64:
            a->type = MENU_T_INT;
            a->num = config_setting_get_int64(v);
            break;
        case CONFIG_TYPE_BOOL:
            a->type = MENU_T_BOOL;
            a->num = config_setting_get_bool(v);
            break;
        case CONFIG_TYPE_STRING:
            a->type = MENU_T_TEXT;
            a->text = strdup(config_setting_get_string(v));
            break;
        default:
            PERR(p, v, "'value' must be a string, an integer or a boolean");
        }
    }
}

static void
parse_node(struct menu_pctx *p, const config_setting_t *g, struct menu_node *n)
{
    static const char *const keys[] = {"type",    "text",        "sms",      "next",      "options",
                                       "items",   "save",        "validate", "sensitive", "call",
                                       "args",    "deadline_ms", "on_ok",    "on_error",  "routes",
                                       "default", "set",         NULL};
    n->id = strdup(config_setting_name(g));
    p->node = n->id;
    n->file = menu_keep_file(p->s, config_setting_source_file(g));
    n->line = menu_cfg_line(g);
    n->next = n->items = n->save = n->on_ok = n->on_error = n->def = MENU_NONE;
    n->validate.on_fail = MENU_NONE;
    for (size_t i = 0; i < MENU_MAX_LANGS; i++)
        n->validate.error.ref[i] = n->text.ref[i] = n->sms.ref[i] = -1;
    if (!config_setting_is_group(g)) {
        PERR(p, g, "a node must be a group { type = \"...\"; ... }");
        return;
    }
    menu_cfg_check_keys(p, g, keys, "a node");
    const char *type = menu_cfg_str(p, g, "type", true);
    int ti = -1;
    for (int i = 0; type && type_names[i]; i++)
        if (strcmp(type, type_names[i]) == 0)
            ti = i;
    if (type && ti < 0)
        PERR(p, g, "unknown node type '%s' (menu, input, info, action, router, set, end)", type);
    n->type = ti < 0 ? MENU_NODE_END : (enum menu_node_type)ti;
    menu_cfg_text(p, g, "text", &n->text);
    menu_cfg_text(p, g, "sms", &n->sms);
    n->next_name = menu_xstrdup(menu_cfg_str(p, g, "next", false));
    const config_setting_t *m;
    if ((m = config_setting_get_member(g, "options")))
        parse_options(p, m, n);
    n->items_name = menu_xstrdup(menu_cfg_str(p, g, "items", false));
    if (n->items_name)
        n->items = menu_var_ref(p, g, n->items_name);
    const char *save = menu_cfg_str(p, g, "save", false);
    if (save) {
        n->save = menu_var_ref(p, g, save);
        if (n->save != MENU_NONE) {
            p->s->vars[n->save].assigned = true;
            if (menu_cfg_bool(p, g, "sensitive", false))
                p->s->vars[n->save].sensitive = true;
        }
    }
    if (n->type == MENU_NODE_INPUT)
        parse_validate(p, config_setting_get_member(g, "validate"), n);
    else if (config_setting_get_member(g, "validate"))
        PERR(p, config_setting_get_member(g, "validate"), "'validate' belongs to input nodes");
    n->call = menu_xstrdup(menu_cfg_str(p, g, "call", false));
    if ((m = config_setting_get_member(g, "args")))
        parse_args(p, m, n);
    long long x;
    n->deadline_ms = menu_cfg_int(p, g, "deadline_ms", &x) ? (int)x : 0;
    n->on_ok_name = menu_xstrdup(menu_cfg_str(p, g, "on_ok", false));
    n->on_error_name = menu_xstrdup(menu_cfg_str(p, g, "on_error", false));
    if ((m = config_setting_get_member(g, "routes"))) {
        if (!config_setting_is_list(m)) {
            PERR(p, m, "'routes' must be a list ( { var; eq; next; }, ... )");
        } else {
            int cnt = config_setting_length(m);
            n->routes = calloc((size_t)cnt + 1, sizeof(*n->routes));
            for (int i = 0; n->routes && i < cnt; i++) {
                const config_setting_t *r = config_setting_get_elem(m, (unsigned)i);
                if (!config_setting_is_group(r)) {
                    PERR(p, r, "a route must be a group { var; eq; next; }");
                    continue;
                }
                parse_cond(p, r, &n->routes[n->n_routes++], true);
            }
        }
    }
    n->default_name = menu_xstrdup(menu_cfg_str(p, g, "default", false));
    if ((m = config_setting_get_member(g, "set")))
        parse_assigns(p, m, n);
    p->node = NULL;
}

void
menu_parse_nodes(struct menu_pctx *p, const config_setting_t *m)
{
    struct menu_script *s = p->s;
    if (!config_setting_is_group(m)) {
        PERR(p, m, "'nodes' must be a group of named nodes");
        return;
    }
    int cnt = config_setting_length(m);
    struct menu_node *v = realloc(s->nodes, (s->n_nodes + (size_t)cnt + 1) * sizeof(*v));
    if (!v)
        return;
    s->nodes = v;
    for (int i = 0; i < cnt; i++) {
        const config_setting_t *g = config_setting_get_elem(m, (unsigned)i);
        int old = menu_script_node(s, config_setting_name(g));
        if (old >= 0) {
            PERR(p, g, "node '%s' defined twice (also at %s:%d)", config_setting_name(g),
                 s->nodes[old].file, s->nodes[old].line);
            continue;
        }
        if (s->n_nodes >= MENU_NONE - 1) {
            PERR(p, g, "too many nodes");
            return;
        }
        struct menu_node *n = &s->nodes[s->n_nodes++];
        memset(n, 0, sizeof(*n));
        parse_node(p, g, n);
    }
}
