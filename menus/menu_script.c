/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_script: the lifetime and lookups of a parsed struct menu_script (menu_model.h):
 * the diagnostics list, freeing, lookups by name and matching of USSD codes and SMS
 * keywords to entries. No libconfig and no parsing here. */
#include "menus/menu_model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "locale/keyword.h"
#include "menus/menu_parse_int.h"

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
                    g->sev == MENU_SEV_ERROR ? "error" : "warning", g->node, g->node[0] ? ": " : "",
                    g->msg);
        }
    }
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
    menu_strv_free(c->values, c->n_values);
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
        menu_strv_free(s->entries[i].sms, s->entries[i].n_sms);
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
    free(s->var_index);
    free(s->path);
    menu_strv_free(s->files, s->n_files);
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

static int
cmp_var_key(const void *a, const void *b)
{
    return strcmp(((const struct menu_var_key *)a)->name, ((const struct menu_var_key *)b)->name);
}

int
menu_script_index_vars(struct menu_script *s)
{
    free(s->var_index);
    s->var_index = NULL;
    if (s->n_vars == 0)
        return 0;
    struct menu_var_key *k = malloc(s->n_vars * sizeof(*k));
    if (!k)
        return GY_ENOMEM;
    for (size_t i = 0; i < s->n_vars; i++)
        k[i] = (struct menu_var_key){.name = s->vars[i].name, .var = (uint16_t)i};
    qsort(k, s->n_vars, sizeof(*k), cmp_var_key);
    s->var_index = k;
    return 0;
}

int
menu_script_var(const struct menu_script *s, const char *name)
{
    if (!name)
        return -1;
    if (s->var_index) {
        struct menu_var_key key = {.name = name};
        const struct menu_var_key *k =
            bsearch(&key, s->var_index, s->n_vars, sizeof(key), cmp_var_key);
        return k ? (int)k->var : -1;
    }
    for (size_t i = 0; i < s->n_vars; i++)
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
