/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_parse_cfg: the parser's typed readers of libconfig settings (strings, integers,
 * booleans, string lists, per-language texts), unknown-key checks with file:line, and the
 * interning of variable names. Knows nothing of node types or of the script's sections. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "menus/menu_parse_int.h"

const char *
menu_cfg_file(const struct menu_pctx *p, const config_setting_t *st)
{
    const char *f = st ? config_setting_source_file(st) : NULL;
    return f ? f : p->file;
}

int
menu_cfg_line(const config_setting_t *st)
{
    return st ? (int)config_setting_source_line(st) : 0;
}

char *
menu_xstrdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Keeps the file name for the life of the script; returns the copy. */
const char *
menu_keep_file(struct menu_script *s, const char *f)
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
void
menu_cfg_check_keys(struct menu_pctx *p, const config_setting_t *g, const char *const *names,
                    const char *what)
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

const char *
menu_cfg_str(struct menu_pctx *p, const config_setting_t *g, const char *name, bool required)
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

bool
menu_cfg_int(struct menu_pctx *p, const config_setting_t *g, const char *name, long long *out)
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

bool
menu_cfg_bool(struct menu_pctx *p, const config_setting_t *g, const char *name, bool dflt)
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
void
menu_cfg_text(struct menu_pctx *p, const config_setting_t *g, const char *name, struct menu_text *t)
{
    const config_setting_t *m = config_setting_get_member(g, name);
    for (size_t i = 0; i < MENU_MAX_LANGS; i++)
        t->ref[i] = -1;
    if (!m)
        return;
    t->present = true;
    t->line = menu_cfg_line(m);
    if (config_setting_type(m) == CONFIG_TYPE_STRING) {
        for (size_t i = 0; i < p->s->n_langs; i++)
            t->t[i] = menu_xstrdup(config_setting_get_string(m));
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
        t->t[li] = menu_xstrdup(config_setting_get_string(e));
    }
}

/* A list or array of strings, or one string. Returns a NULL-less vector of copies. */
char **
menu_cfg_strv(struct menu_pctx *p, const config_setting_t *m, size_t *n_out)
{
    *n_out = 0;
    if (config_setting_type(m) == CONFIG_TYPE_STRING) {
        char **v = calloc(1, sizeof(*v));
        if (v && (v[0] = menu_xstrdup(config_setting_get_string(m))))
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
        case CONFIG_TYPE_STRING:
            val = config_setting_get_string(e);
            break;
        case CONFIG_TYPE_INT:
        case CONFIG_TYPE_INT64:
            snprintf(buf, sizeof(buf), "%lld", config_setting_get_int64(e));
            val = buf;
            break;
        default:
            PERR(p, e, "a list element must be a string or an integer");
            continue;
        }
        v[(*n_out)++] = menu_xstrdup(val);
    }
    return v;
}

void
menu_strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* ----- variables ----- */

uint16_t
menu_var_intern(struct menu_script *s, const char *name, size_t len, int line)
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

uint16_t
menu_var_ref(struct menu_pctx *p, const config_setting_t *at, const char *name)
{
    if (!var_name_ok(name)) {
        PERR(p, at, "'%s' is not a variable name ([A-Za-z0-9_.])", name ? name : "");
        return MENU_NONE;
    }
    return menu_var_intern(p->s, name, strlen(name), menu_cfg_line(at));
}
