/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_parse: libconfig menu scripts -> struct menu_script (menu_model.h). Reads one file
 * or every *.menu of a directory as one script, rejects unknown or mistyped settings with
 * file:line, resolves names to indices and interns every variable mentioned. libconfig
 * stays inside this file; semantic checks are the linter's. */
#include "menus/menu_model.h"

#include <dirent.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "locale/keyword.h"

/* ----- diagnostics ----- */

void
menu_diags_fini(struct menu_diags *d)
{
    if (!d)
        return;
    free(d->v);
    memset(d, 0, sizeof(*d));
}

void
menu_diags_add(struct menu_diags *d, enum menu_severity sev, const char *file, int line,
               const char *node, const char *fmt, ...)
{
    if (!d)
        return;
    if (sev == MENU_SEV_ERROR)
        d->n_errors++;
    else
        d->n_warnings++;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        struct menu_diag *v = realloc(d->v, cap * sizeof(*v));
        if (!v)
            return;
        d->v = v;
        d->cap = cap;
    }
    struct menu_diag *g = &d->v[d->n++];
    memset(g, 0, sizeof(*g));
    g->sev = sev;
    g->line = line;
    snprintf(g->file, sizeof(g->file), "%s", file ? file : "-");
    snprintf(g->node, sizeof(g->node), "%s", node ? node : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->msg, sizeof(g->msg), fmt, ap);
    va_end(ap);
}

void
menu_diags_print(const struct menu_diags *d, void *stdio_file)
{
    FILE *f = stdio_file;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < d->n; i++) {
            const struct menu_diag *g = &d->v[i];
            if ((int)g->sev != pass)
                continue;
            fprintf(f, "%s:%d: %s: %s%s%s\n", g->file, g->line,
                    g->sev == MENU_SEV_ERROR ? "error" : "warning", g->node,
                    g->node[0] ? ": " : "", g->msg);
        }
    }
}

/* ----- parsing context ----- */

struct pctx {
    struct menu_script *s;
    struct menu_diags *d;
    const char *file; /* of the setting being read */
    const char *node; /* id of the node being read, for messages */
};

#define PERR(p, st, ...) \
    menu_diags_add((p)->d, MENU_SEV_ERROR, src_file(p, st), src_line(st), (p)->node, __VA_ARGS__)

static const char *
src_file(const struct pctx *p, const config_setting_t *st)
{
    const char *f = st ? config_setting_source_file(st) : NULL;
    return f ? f : p->file;
}

static int
src_line(const config_setting_t *st)
{
    return st ? (int)config_setting_source_line(st) : 0;
}

static char *
xstrdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Keeps the file name for the life of the script; returns the copy. */
static const char *
keep_file(struct menu_script *s, const char *f)
{
    if (!f)
        return "-";
    for (size_t i = 0; i < s->n_files; i++)
        if (strcmp(s->files[i], f) == 0)
            return s->files[i];
    char **v = realloc(s->files, (s->n_files + 1) * sizeof(*v));
    if (!v)
        return "-";
    s->files = v;
    v[s->n_files] = strdup(f);
    return v[s->n_files] ? v[s->n_files++] : "-";
}

/* Checks that every member of group g is one of the NULL-terminated names. */
static void
check_keys(struct pctx *p, const config_setting_t *g, const char *const *names, const char *what)
{
    int n = config_setting_length(g);
    for (int i = 0; i < n; i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        const char *name = config_setting_name(m);
        if (!name)
            continue;
        bool ok = false;
        for (const char *const *k = names; *k; k++)
            if (strcmp(*k, name) == 0)
                ok = true;
        if (!ok)
            PERR(p, m, "unknown setting '%s' in %s", name, what);
    }
}

static const char *
get_str(struct pctx *p, const config_setting_t *g, const char *name, bool required)
{
    const config_setting_t *m = config_setting_get_member(g, name);
    if (!m) {
        if (required)
            PERR(p, g, "missing setting '%s'", name);
        return NULL;
    }
    if (config_setting_type(m) != CONFIG_TYPE_STRING) {
        PERR(p, m, "'%s' must be a string", name);
        return NULL;
    }
    return config_setting_get_string(m);
}

static bool
get_int(struct pctx *p, const config_setting_t *g, const char *name, long long *out)
{
    const config_setting_t *m = config_setting_get_member(g, name);
    if (!m)
        return false;
    int t = config_setting_type(m);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) {
        PERR(p, m, "'%s' must be an integer", name);
        return false;
    }
    *out = config_setting_get_int64(m);
    return true;
}

static bool
get_bool(struct pctx *p, const config_setting_t *g, const char *name, bool dflt)
{
    const config_setting_t *m = config_setting_get_member(g, name);
    if (!m)
        return dflt;
    if (config_setting_type(m) != CONFIG_TYPE_BOOL) {
        PERR(p, m, "'%s' must be true or false", name);
        return dflt;
    }
    return config_setting_get_bool(m) != 0;
}

/* A text: a string (every language) or a group lang = "text". */
static void
parse_text(struct pctx *p, const config_setting_t *g, const char *name, struct menu_text *t)
{
    const config_setting_t *m = config_setting_get_member(g, name);
    for (size_t i = 0; i < MENU_MAX_LANGS; i++)
        t->ref[i] = -1;
    if (!m)
        return;
    t->present = true;
    t->line = src_line(m);
    if (config_setting_type(m) == CONFIG_TYPE_STRING) {
        for (size_t i = 0; i < p->s->n_langs; i++)
            t->t[i] = xstrdup(config_setting_get_string(m));
        return;
    }
    if (config_setting_type(m) != CONFIG_TYPE_GROUP) {
        PERR(p, m, "'%s' must be a string or a group of languages", name);
        return;
    }
    int n = config_setting_length(m);
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(m, (unsigned)i);
        int li = menu_script_lang(p->s, config_setting_name(e));
        if (li < 0) {
            PERR(p, e, "'%s' has a text in '%s', not a declared language", name,
                 config_setting_name(e));
            continue;
        }
        if (config_setting_type(e) != CONFIG_TYPE_STRING) {
            PERR(p, e, "text of '%s' in '%s' must be a string", name, config_setting_name(e));
            continue;
        }
        free(t->t[li]);
        t->t[li] = xstrdup(config_setting_get_string(e));
    }
}

/* A list or array of strings, or one string. Returns a NULL-less vector of copies. */
static char **
get_strv(struct pctx *p, const config_setting_t *m, size_t *n_out)
{
    *n_out = 0;
    if (config_setting_type(m) == CONFIG_TYPE_STRING) {
        char **v = calloc(1, sizeof(*v));
        if (v && (v[0] = xstrdup(config_setting_get_string(m))))
            *n_out = 1;
        return v;
    }
    if (!config_setting_is_aggregate(m) || config_setting_is_group(m)) {
        PERR(p, m, "'%s' must be a string or a list of strings", config_setting_name(m));
        return NULL;
    }
    int n = config_setting_length(m);
    char **v = calloc((size_t)n + 1, sizeof(*v));
    if (!v)
        return NULL;
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(m, (unsigned)i);
        char buf[32];
        const char *val = NULL;
        switch (config_setting_type(e)) {
        case CONFIG_TYPE_STRING: val = config_setting_get_string(e); break;
        case CONFIG_TYPE_INT:
        case CONFIG_TYPE_INT64:
            snprintf(buf, sizeof(buf), "%lld", config_setting_get_int64(e));
            val = buf;
            break;
        default: PERR(p, e, "a list element must be a string or an integer"); continue;
        }
        v[(*n_out)++] = xstrdup(val);
    }
    return v;
}

static void
free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* ----- variables ----- */

static uint16_t
var_intern(struct menu_script *s, const char *name, size_t len, int line)
{
    for (size_t i = 0; i < s->n_vars; i++)
        if (strlen(s->vars[i].name) == len && memcmp(s->vars[i].name, name, len) == 0)
            return (uint16_t)i;
    if (s->n_vars >= MENU_NONE - 1)
        return MENU_NONE;
    struct menu_var *v = realloc(s->vars, (s->n_vars + 1) * sizeof(*v));
    if (!v)
        return MENU_NONE;
    s->vars = v;
    memset(&v[s->n_vars], 0, sizeof(v[0]));
    v[s->n_vars].name = strndup(name, len);
    v[s->n_vars].line = line;
    return (uint16_t)s->n_vars++;
}

static bool
var_name_ok(const char *n)
{
    if (!n || !*n)
        return false;
    for (const char *c = n; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '_' || *c == '.'))
            return false;
    return true;
}

static uint16_t
var_ref(struct pctx *p, const config_setting_t *at, const char *name)
{
    if (!var_name_ok(name)) {
        PERR(p, at, "'%s' is not a variable name ([A-Za-z0-9_.])", name ? name : "");
        return MENU_NONE;
    }
    return var_intern(p->s, name, strlen(name), src_line(at));
}

/* ----- conditions ----- */

static const char *const cond_ops[] = {"eq", "ne", "lt", "gt", "empty", "in", NULL};

static void
parse_cond(struct pctx *p, const config_setting_t *g, struct menu_cond *c, bool with_next)
{
    static const char *const keys_next[] = {"var", "eq", "ne", "lt", "gt", "empty", "in", "next",
                                            NULL};
    check_keys(p, g, with_next ? keys_next : keys_next, "a condition");
    c->line = src_line(g);
    c->next = MENU_NONE;
    c->var = var_ref(p, g, get_str(p, g, "var", true));
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
            c->values = get_strv(p, m, &c->n_values);
        } else {
            char buf[32];
            const char *val = NULL;
            switch (config_setting_type(m)) {
            case CONFIG_TYPE_STRING: val = config_setting_get_string(m); break;
            case CONFIG_TYPE_INT:
            case CONFIG_TYPE_INT64:
                snprintf(buf, sizeof(buf), "%lld", config_setting_get_int64(m));
                val = buf;
                break;
            case CONFIG_TYPE_BOOL: val = config_setting_get_bool(m) ? "1" : "0"; break;
            default: PERR(p, m, "'%s' must be a string or a number", cond_ops[op]);
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
        c->next_name = xstrdup(get_str(p, g, "next", true));
}

/* ----- nodes ----- */

static const char *const type_names[] = {"menu", "input", "info", "action", "router", "set", "end",
                                         NULL};

static void
parse_options(struct pctx *p, const config_setting_t *m, struct menu_node *n)
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
        check_keys(p, g, keys, "an option");
        struct menu_option *o = &n->options[n->n_options++];
        o->line = src_line(g);
        o->next = MENU_NONE;
        const config_setting_t *k = config_setting_get_member(g, "key");
        if (k && (config_setting_type(k) == CONFIG_TYPE_INT ||
                  config_setting_type(k) == CONFIG_TYPE_INT64)) {
            char buf[24];
            snprintf(buf, sizeof(buf), "%lld", config_setting_get_int64(k));
            o->key = strdup(buf);
        } else {
            o->key = xstrdup(get_str(p, g, "key", true));
        }
        parse_text(p, g, "label", &o->label);
        if (!o->label.present)
            PERR(p, g, "option '%s' has no label", o->key ? o->key : "?");
        o->next_name = xstrdup(get_str(p, g, "next", true));
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
parse_validate(struct pctx *p, const config_setting_t *g, struct menu_node *n)
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
    static const char *const keys[] = {"digits", "min_len", "max_len", "min",   "max",
                                       "regex",  "idnum",   "date",    "retries", "error",
                                       "on_fail", NULL};
    check_keys(p, g, keys, "validate");
    v->line = src_line(g);
    long long x;
    if (get_bool(p, g, "digits", false))
        v->flags |= MENU_V_DIGITS;
    if (get_bool(p, g, "idnum", false))
        v->flags |= MENU_V_IDNUM;
    if (get_bool(p, g, "date", false))
        v->flags |= MENU_V_DATE;
    if (get_int(p, g, "min_len", &x))
        v->min_len = (int)x;
    if (get_int(p, g, "max_len", &x))
        v->max_len = (int)x;
    v->min = INT64_MIN;
    v->max = INT64_MAX;
    if (get_int(p, g, "min", &x)) {
        v->min = x;
        v->flags |= MENU_V_INT;
    }
    if (get_int(p, g, "max", &x)) {
        v->max = x;
        v->flags |= MENU_V_INT;
    }
    if (get_int(p, g, "retries", &x))
        v->retries = (int)x;
    const char *re = get_str(p, g, "regex", false);
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
    parse_text(p, g, "error", &v->error);
    v->on_fail_name = xstrdup(get_str(p, g, "on_fail", false));
}

static void
parse_args(struct pctx *p, const config_setting_t *m, struct menu_node *n)
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
        a->line = src_line(e);
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
                a->var = var_ref(p, e, sv);
            }
        } else {
            PERR(p, e, "an argument must be a variable name, an integer or \"=text\"");
        }
    }
}

static void
parse_assigns(struct pctx *p, const config_setting_t *m, struct menu_node *n)
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
        check_keys(p, g, keys, "an assignment");
        struct menu_assign *a = &n->assigns[n->n_assigns++];
        a->line = src_line(g);
        a->var = var_ref(p, g, get_str(p, g, "var", true));
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
        default: PERR(p, v, "'value' must be a string, an integer or a boolean");
        }
    }
}

static void
parse_node(struct pctx *p, const config_setting_t *g, struct menu_node *n)
{
    static const char *const keys[] = {"type", "text",    "sms",   "next",     "options", "items",
                                       "save", "validate", "sensitive", "call", "args",
                                       "deadline_ms", "on_ok", "on_error", "routes", "default",
                                       "set",  NULL};
    n->id = strdup(config_setting_name(g));
    p->node = n->id;
    n->file = keep_file(p->s, config_setting_source_file(g));
    n->line = src_line(g);
    n->next = n->items = n->save = n->on_ok = n->on_error = n->def = MENU_NONE;
    n->validate.on_fail = MENU_NONE;
    for (size_t i = 0; i < MENU_MAX_LANGS; i++)
        n->validate.error.ref[i] = n->text.ref[i] = n->sms.ref[i] = -1;
    if (!config_setting_is_group(g)) {
        PERR(p, g, "a node must be a group { type = \"...\"; ... }");
        return;
    }
    check_keys(p, g, keys, "a node");
    const char *type = get_str(p, g, "type", true);
    int ti = -1;
    for (int i = 0; type && type_names[i]; i++)
        if (strcmp(type, type_names[i]) == 0)
            ti = i;
    if (type && ti < 0)
        PERR(p, g, "unknown node type '%s' (menu, input, info, action, router, set, end)", type);
    n->type = ti < 0 ? MENU_NODE_END : (enum menu_node_type)ti;
    parse_text(p, g, "text", &n->text);
    parse_text(p, g, "sms", &n->sms);
    n->next_name = xstrdup(get_str(p, g, "next", false));
    const config_setting_t *m;
    if ((m = config_setting_get_member(g, "options")))
        parse_options(p, m, n);
    n->items_name = xstrdup(get_str(p, g, "items", false));
    if (n->items_name)
        n->items = var_ref(p, g, n->items_name);
    const char *save = get_str(p, g, "save", false);
    if (save) {
        n->save = var_ref(p, g, save);
        if (n->save != MENU_NONE) {
            p->s->vars[n->save].assigned = true;
            if (get_bool(p, g, "sensitive", false))
                p->s->vars[n->save].sensitive = true;
        }
    }
    if (n->type == MENU_NODE_INPUT)
        parse_validate(p, config_setting_get_member(g, "validate"), n);
    else if (config_setting_get_member(g, "validate"))
        PERR(p, config_setting_get_member(g, "validate"), "'validate' belongs to input nodes");
    n->call = xstrdup(get_str(p, g, "call", false));
    if ((m = config_setting_get_member(g, "args")))
        parse_args(p, m, n);
    long long x;
    n->deadline_ms = get_int(p, g, "deadline_ms", &x) ? (int)x : 0;
    n->on_ok_name = xstrdup(get_str(p, g, "on_ok", false));
    n->on_error_name = xstrdup(get_str(p, g, "on_error", false));
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
    n->default_name = xstrdup(get_str(p, g, "default", false));
    if ((m = config_setting_get_member(g, "set")))
        parse_assigns(p, m, n);
    p->node = NULL;
}


/* ----- script, entries, strings ----- */

static void
copy_key(char *dst, size_t n, const char *v, const char *dflt)
{
    snprintf(dst, n, "%s", v ? v : dflt);
}

static void
parse_script(struct pctx *p, const config_setting_t *g)
{
    static const char *const keys[] = {"id", "version", "langs", "default_lang", "start", "nav",
                                       "limits", "sensitive", NULL};
    struct menu_script *s = p->s;
    if (!config_setting_is_group(g)) {
        PERR(p, g, "'script' must be a group");
        return;
    }
    check_keys(p, g, keys, "script");
    s->id = xstrdup(get_str(p, g, "id", true));
    long long x;
    if (get_int(p, g, "version", &x))
        s->version = (int)x;
    const config_setting_t *m = config_setting_get_member(g, "langs");
    if (!m) {
        PERR(p, g, "missing setting 'langs' (e.g. [\"zh\", \"en\"])");
    } else {
        size_t n = 0;
        char **v = get_strv(p, m, &n);
        for (size_t i = 0; i < n; i++) {
            if (s->n_langs == MENU_MAX_LANGS || strlen(v[i]) >= MENU_LANG_LEN || !v[i][0]) {
                PERR(p, m, "language '%s' refused (at most %d languages of up to %d bytes)",
                     v[i], MENU_MAX_LANGS, MENU_LANG_LEN - 1);
                continue;
            }
            if (menu_script_lang(s, v[i]) >= 0) {
                PERR(p, m, "language '%s' declared twice", v[i]);
                continue;
            }
            snprintf(s->langs[s->n_langs++], MENU_LANG_LEN, "%s", v[i]);
        }
        free_strv(v, n);
    }
    const char *dl = get_str(p, g, "default_lang", false);
    if (dl) {
        int li = menu_script_lang(s, dl);
        if (li < 0)
            PERR(p, config_setting_get_member(g, "default_lang"),
                 "default_lang '%s' is not in langs", dl);
        s->default_lang = li < 0 ? 0 : (size_t)li;
    }
    s->start_name = xstrdup(get_str(p, g, "start", true));
    copy_key(s->nav_back, sizeof(s->nav_back), NULL, "0");
    copy_key(s->nav_home, sizeof(s->nav_home), NULL, "00");
    copy_key(s->nav_more, sizeof(s->nav_more), NULL, "9");
    if ((m = config_setting_get_member(g, "nav"))) {
        static const char *const nkeys[] = {"back", "home", "more", NULL};
        check_keys(p, m, nkeys, "nav");
        const char *v;
        if ((v = get_str(p, m, "back", false)))
            copy_key(s->nav_back, sizeof(s->nav_back), v, "0");
        if ((v = get_str(p, m, "home", false)))
            copy_key(s->nav_home, sizeof(s->nav_home), v, "00");
        if ((v = get_str(p, m, "more", false)))
            copy_key(s->nav_more, sizeof(s->nav_more), v, "9");
        if (strcmp(s->nav_back, s->nav_home) == 0 || strcmp(s->nav_back, s->nav_more) == 0 ||
            strcmp(s->nav_home, s->nav_more) == 0)
            PERR(p, m, "navigation keys back, home and more must differ");
    }
    if ((m = config_setting_get_member(g, "limits"))) {
        static const char *const lkeys[] = {"ussd_octets", "sms_segments", "max_hops",
                                            "deadline_ms", NULL};
        check_keys(p, m, lkeys, "limits");
        if (get_int(p, m, "ussd_octets", &x)) {
            if (x < 40 || x > 160)
                PERR(p, m, "ussd_octets must be 40..160");
            else
                s->ussd_octets = (int)x;
        }
        if (get_int(p, m, "sms_segments", &x)) {
            if (x < 1 || x > MENU_MAX_SMS_SEGMENTS)
                PERR(p, m, "sms_segments must be 1..%d", MENU_MAX_SMS_SEGMENTS);
            else
                s->sms_segments = (int)x;
        }
        if (get_int(p, m, "max_hops", &x)) {
            if (x < 1 || x > 100)
                PERR(p, m, "max_hops must be 1..100");
            else
                s->max_hops = (int)x;
        }
        if (get_int(p, m, "deadline_ms", &x)) {
            if (x < 10 || x > 60000)
                PERR(p, m, "deadline_ms must be 10..60000");
            else
                s->deadline_ms = (int)x;
        }
    }
    if ((m = config_setting_get_member(g, "sensitive"))) {
        size_t n = 0;
        char **v = get_strv(p, m, &n);
        for (size_t i = 0; i < n; i++) {
            uint16_t vi = var_ref(p, m, v[i]);
            if (vi != MENU_NONE)
                s->vars[vi].sensitive = true;
        }
        free_strv(v, n);
    }
}

static void
parse_entries(struct pctx *p, const config_setting_t *m)
{
    struct menu_script *s = p->s;
    if (!config_setting_is_list(m)) {
        PERR(p, m, "'entry' must be a list ( { ussd = \"*188#\"; node = \"main\"; }, ... )");
        return;
    }
    int cnt = config_setting_length(m);
    struct menu_entry *v = realloc(s->entries, (s->n_entries + (size_t)cnt + 1) * sizeof(*v));
    if (!v)
        return;
    s->entries = v;
    for (int i = 0; i < cnt; i++) {
        const config_setting_t *g = config_setting_get_elem(m, (unsigned)i);
        if (!config_setting_is_group(g)) {
            PERR(p, g, "an entry must be a group");
            continue;
        }
        static const char *const keys[] = {"ussd", "sms", "node", "args", NULL};
        check_keys(p, g, keys, "an entry");
        struct menu_entry *e = &s->entries[s->n_entries++];
        memset(e, 0, sizeof(*e));
        e->line = src_line(g);
        e->file = keep_file(s, src_file(p, g));
        e->node = e->args = MENU_NONE;
        e->ussd = xstrdup(get_str(p, g, "ussd", false));
        const config_setting_t *k = config_setting_get_member(g, "sms");
        if (k) {
            size_t n = 0;
            char **raw = get_strv(p, k, &n);
            e->sms = calloc(n + 1, sizeof(char *));
            for (size_t j = 0; e->sms && j < n; j++) {
                struct kw_parsed kp = {0};
                if (kw_parse(raw[j], strlen(raw[j]), &kp) != 0 || !kp.word[0] || kp.args[0]) {
                    PERR(p, k, "'%s' is not one SMS keyword", raw[j]);
                } else {
                    e->sms[e->n_sms++] = kp.word;
                    kp.word = NULL;
                }
                kw_parsed_fini(&kp);
            }
            free_strv(raw, n);
        }
        if (!e->ussd && !e->n_sms)
            PERR(p, g, "an entry needs a 'ussd' code or 'sms' keywords");
        e->node_name = xstrdup(get_str(p, g, "node", true));
        const char *a = get_str(p, g, "args", false);
        if (a) {
            e->args = var_ref(p, g, a);
            if (e->args != MENU_NONE)
                s->vars[e->args].assigned = true;
        }
    }
}

static void
parse_strings(struct pctx *p, const config_setting_t *m)
{
    struct menu_script *s = p->s;
    if (!config_setting_is_group(m)) {
        PERR(p, m, "'strings' must be a group name = { zh = \"...\"; en = \"...\"; }");
        return;
    }
    int cnt = config_setting_length(m);
    struct menu_string *v = realloc(s->strings, (s->n_strings + (size_t)cnt + 1) * sizeof(*v));
    if (!v)
        return;
    s->strings = v;
    for (int i = 0; i < cnt; i++) {
        const config_setting_t *e = config_setting_get_elem(m, (unsigned)i);
        const char *name = config_setting_name(e);
        int old = menu_script_string(s, name);
        if (old >= 0) {
            PERR(p, e, "string '%s' defined twice (also at line %d)", name,
                 s->strings[old].text.line);
            continue;
        }
        struct menu_string *st = &s->strings[s->n_strings++];
        memset(st, 0, sizeof(*st));
        st->name = strdup(name);
        st->file = keep_file(s, src_file(p, e));
        parse_text(p, m, name, &st->text);
    }
}

static void
parse_nodes(struct pctx *p, const config_setting_t *m)
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

/* ----- linking: names -> indices, templates -> variables, @refs -> strings ----- */

static uint16_t
node_ref(const struct menu_script *s, const char *name)
{
    int i = name ? menu_script_node(s, name) : -1;
    return i < 0 ? MENU_NONE : (uint16_t)i;
}

static void
link_text(struct menu_script *s, struct menu_text *t)
{
    for (size_t i = 0; i < s->n_langs; i++) {
        const char *tp = t->t[i];
        if (!tp)
            continue;
        if (tp[0] == '@' && tp[1] != '@') {
            t->ref[i] = (int16_t)menu_script_string(s, tp + 1);
            continue;
        }
        for (const char *c = tp; (c = strstr(c, "${")); ) {
            const char *e = strchr(c + 2, '}');
            if (!e)
                break;
            var_intern(s, c + 2, (size_t)(e - c - 2), t->line);
            c = e + 1;
        }
    }
}

static void
link_script(struct menu_script *s)
{
    s->start = node_ref(s, s->start_name);
    for (size_t i = 0; i < s->n_entries; i++)
        s->entries[i].node = node_ref(s, s->entries[i].node_name);
    for (size_t i = 0; i < s->n_strings; i++)
        link_text(s, &s->strings[i].text);
    for (size_t i = 0; i < s->n_nodes; i++) {
        struct menu_node *n = &s->nodes[i];
        link_text(s, &n->text);
        link_text(s, &n->sms);
        link_text(s, &n->validate.error);
        n->next = node_ref(s, n->next_name);
        n->on_ok = node_ref(s, n->on_ok_name);
        n->on_error = node_ref(s, n->on_error_name);
        n->def = node_ref(s, n->default_name);
        n->validate.on_fail = node_ref(s, n->validate.on_fail_name);
        for (size_t j = 0; j < n->n_options; j++) {
            n->options[j].next = node_ref(s, n->options[j].next_name);
            link_text(s, &n->options[j].label);
        }
        for (size_t j = 0; j < n->n_routes; j++)
            n->routes[j].next = node_ref(s, n->routes[j].next_name);
        for (size_t j = 0; j < n->n_assigns; j++) {
            if (n->assigns[j].type != MENU_T_TEXT)
                continue;
            struct menu_text t = {.line = n->assigns[j].line};
            t.t[0] = n->assigns[j].text;
            size_t keep = s->n_langs;
            s->n_langs = 1;
            link_text(s, &t);
            s->n_langs = keep;
        }
    }
}

/* ----- loading ----- */

static struct menu_script *
script_new(void)
{
    struct menu_script *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->ussd_octets = 160;
    s->sms_segments = 2;
    s->max_hops = 16;
    s->deadline_ms = 3000;
    s->start = MENU_NONE;
    var_intern(s, "lang", 4, 0);
    var_intern(s, "error", 5, 0);
    if (s->n_vars != 2) {
        menu_script_free(s);
        return NULL;
    }
    s->vars[MENU_VAR_LANG].assigned = s->vars[MENU_VAR_ERROR].assigned = true;
    return s;
}

static int
read_cfg(config_t *cfg, const char *path, struct menu_diags *d)
{
    config_init(cfg);
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof(dir), ".");
    config_set_include_dir(cfg, dir);
    if (config_read_file(cfg, path) != CONFIG_TRUE) {
        const char *f = config_error_file(cfg);
        if (config_error_type(cfg) == CONFIG_ERR_FILE_IO)
            menu_diags_add(d, MENU_SEV_ERROR, f ? f : path, 0, NULL, "cannot read the file");
        else
            menu_diags_add(d, MENU_SEV_ERROR, f ? f : path, config_error_line(cfg), NULL,
                           "%s", config_error_text(cfg));
        config_destroy(cfg);
        return GY_EPARSE;
    }
    return 0;
}

static struct menu_script *
load_files(char **paths, size_t n, const char *what, struct menu_diags *d)
{
    config_t *cfgs = calloc(n ? n : 1, sizeof(*cfgs));
    bool *ok = calloc(n ? n : 1, sizeof(*ok));
    struct menu_script *s = script_new();
    size_t errors_before = d ? d->n_errors : 0;
    struct menu_diags local = {0};
    if (!d)
        d = &local;
    if (!cfgs || !ok || !s) {
        menu_diags_add(d, MENU_SEV_ERROR, what, 0, NULL, "out of memory");
        goto fail;
    }
    s->path = strdup(what);
    for (size_t i = 0; i < n; i++)
        ok[i] = read_cfg(&cfgs[i], paths[i], d) == 0;
    struct pctx p = {.s = s, .d = d};
    /* The script group first: the languages are needed to read texts. */
    const config_setting_t *script = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!ok[i])
            continue;
        const config_setting_t *root = config_root_setting(&cfgs[i]);
        static const char *const keys[] = {"script", "entry", "strings", "nodes", NULL};
        p.file = paths[i];
        check_keys(&p, root, keys, "the file");
        const config_setting_t *g = config_setting_get_member(root, "script");
        if (!g)
            continue;
        if (script) {
            PERR(&p, g, "a second 'script' group (the first is at %s:%d)",
                 config_setting_source_file(script), src_line(script));
            continue;
        }
        script = g;
        s->file = keep_file(s, src_file(&p, g));
        s->line = src_line(g);
        parse_script(&p, g);
    }
    if (!script && d->n_errors == errors_before)
        menu_diags_add(d, MENU_SEV_ERROR, what, 0, NULL, "no 'script' group found");
    if (s->n_langs == 0) {
        snprintf(s->langs[0], MENU_LANG_LEN, "zh");
        s->n_langs = 1;
    }
    for (size_t i = 0; i < n; i++) {
        if (!ok[i])
            continue;
        const config_setting_t *root = config_root_setting(&cfgs[i]);
        const config_setting_t *m;
        p.file = paths[i];
        if ((m = config_setting_get_member(root, "entry")))
            parse_entries(&p, m);
        if ((m = config_setting_get_member(root, "strings")))
            parse_strings(&p, m);
        if ((m = config_setting_get_member(root, "nodes")))
            parse_nodes(&p, m);
    }
    link_script(s);
    for (size_t i = 0; i < n; i++)
        if (ok[i])
            config_destroy(&cfgs[i]);
    free(cfgs);
    free(ok);
    if (d->n_errors != errors_before) {
        /* Syntax and schema errors: nothing to run. */
        menu_diags_fini(&local);
        menu_script_free(s);
        return NULL;
    }
    menu_diags_fini(&local);
    return s;
fail:
    free(cfgs);
    free(ok);
    menu_script_free(s);
    menu_diags_fini(&local);
    return NULL;
}

struct menu_script *
menu_script_load(const char *path, struct menu_diags *d)
{
    if (!path)
        return NULL;
    char *paths[1] = {(char *)path};
    return load_files(paths, 1, path, d);
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

struct menu_script *
menu_script_load_dir(const char *dir, struct menu_diags *d)
{
    if (!dir)
        return NULL;
    DIR *dh = opendir(dir);
    if (!dh) {
        menu_diags_add(d, MENU_SEV_ERROR, dir, 0, NULL, "cannot open the directory");
        return NULL;
    }
    char **paths = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(dh))) {
        size_t len = strlen(de->d_name);
        if (len < 6 || de->d_name[0] == '.' || strcmp(de->d_name + len - 5, ".menu") != 0)
            continue;
        char **v = realloc(paths, (n + 1) * sizeof(*v));
        if (!v)
            break;
        paths = v;
        size_t plen = strlen(dir) + len + 2;
        if (!(paths[n] = malloc(plen)))
            break;
        snprintf(paths[n++], plen, "%s/%s", dir, de->d_name);
    }
    closedir(dh);
    struct menu_script *s = NULL;
    if (n == 0) {
        menu_diags_add(d, MENU_SEV_ERROR, dir, 0, NULL, "no *.menu file in the directory");
    } else {
        qsort(paths, n, sizeof(*paths), cmp_str);
        s = load_files(paths, n, dir, d);
    }
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    return s;
}

/* ----- freeing ----- */

static void
text_fini(struct menu_text *t)
{
    for (size_t i = 0; i < MENU_MAX_LANGS; i++)
        free(t->t[i]);
}

static void
cond_fini(struct menu_cond *c)
{
    free_strv(c->values, c->n_values);
    free(c->next_name);
}

static void
node_fini(struct menu_node *n)
{
    free(n->id);
    text_fini(&n->text);
    text_fini(&n->sms);
    free(n->next_name);
    for (size_t i = 0; i < n->n_options; i++) {
        struct menu_option *o = &n->options[i];
        free(o->key);
        text_fini(&o->label);
        free(o->next_name);
        if (o->when) {
            cond_fini(o->when);
            free(o->when);
        }
    }
    free(n->options);
    free(n->items_name);
    free(n->validate.regex);
    if (n->validate.re_ok)
        regfree(&n->validate.re);
    text_fini(&n->validate.error);
    free(n->validate.on_fail_name);
    free(n->call);
    for (size_t i = 0; i < n->n_args; i++)
        free(n->args[i].text);
    free(n->args);
    free(n->on_ok_name);
    free(n->on_error_name);
    for (size_t i = 0; i < n->n_routes; i++)
        cond_fini(&n->routes[i]);
    free(n->routes);
    free(n->default_name);
    for (size_t i = 0; i < n->n_assigns; i++)
        free(n->assigns[i].text);
    free(n->assigns);
}

void
menu_script_free(struct menu_script *s)
{
    if (!s)
        return;
    free(s->id);
    free(s->start_name);
    for (size_t i = 0; i < s->n_entries; i++) {
        free(s->entries[i].ussd);
        free_strv(s->entries[i].sms, s->entries[i].n_sms);
        free(s->entries[i].node_name);
    }
    free(s->entries);
    for (size_t i = 0; i < s->n_strings; i++) {
        free(s->strings[i].name);
        text_fini(&s->strings[i].text);
    }
    free(s->strings);
    for (size_t i = 0; i < s->n_nodes; i++)
        node_fini(&s->nodes[i]);
    free(s->nodes);
    for (size_t i = 0; i < s->n_vars; i++)
        free(s->vars[i].name);
    free(s->vars);
    free(s->path);
    free_strv(s->files, s->n_files);
    free(s);
}

/* ----- lookups ----- */

int
menu_script_node(const struct menu_script *s, const char *id)
{
    for (size_t i = 0; id && i < s->n_nodes; i++)
        if (s->nodes[i].id && strcmp(s->nodes[i].id, id) == 0)
            return (int)i;
    return -1;
}

int
menu_script_var(const struct menu_script *s, const char *name)
{
    for (size_t i = 0; name && i < s->n_vars; i++)
        if (strcmp(s->vars[i].name, name) == 0)
            return (int)i;
    return -1;
}

int
menu_script_string(const struct menu_script *s, const char *name)
{
    for (size_t i = 0; name && i < s->n_strings; i++)
        if (strcmp(s->strings[i].name, name) == 0)
            return (int)i;
    return -1;
}

int
menu_script_lang(const struct menu_script *s, const char *lang)
{
    for (size_t i = 0; lang && i < s->n_langs; i++)
        if (strcmp(s->langs[i], lang) == 0)
            return (int)i;
    return -1;
}

int
menu_script_find_entry(const struct menu_script *s, bool sms, const char *text, size_t len,
                       char *argbuf, size_t argbuf_len, const char **args)
{
    if (args)
        *args = "";
    if (!s || !text)
        return -1;
    if (!sms) {
        while (len && (*text == ' ' || *text == '\t')) {
            text++;
            len--;
        }
        while (len && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\r' ||
                       text[len - 1] == '\n'))
            len--;
        for (size_t i = 0; i < s->n_entries; i++) {
            const char *u = s->entries[i].ussd;
            if (u && strlen(u) == len && memcmp(u, text, len) == 0)
                return (int)i;
        }
        return -1;
    }
    struct kw_parsed kp = {0};
    if (kw_parse(text, len, &kp) != 0)
        return -1;
    int found = -1;
    for (size_t i = 0; found < 0 && i < s->n_entries; i++)
        for (size_t j = 0; j < s->entries[i].n_sms; j++)
            if (strcmp(s->entries[i].sms[j], kp.word) == 0) {
                found = (int)i;
                break;
            }
    if (found >= 0 && argbuf && argbuf_len) {
        snprintf(argbuf, argbuf_len, "%s", kp.args);
        if (args)
            *args = argbuf;
    }
    kw_parsed_fini(&kp);
    return found;
}
