/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_lint: semantic checks of a parsed script, against the action registry: targets,
 * actions and their arguments, variables, strings, texts per language, option keys versus
 * navigation keys, regexes, reachability (warning), loops with no input, and option lines
 * that cannot fit one USSD page at their worst case. Pure apart from menu_lint_dir. */
#include "menus/menu_lint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "menus/menu_engine_int.h"

struct lint {
    const struct menu_script *s;
    const struct menu_lint_opts *o;
    struct menu_diags *d;
    size_t errors;
    bool *var_reported;
};

#define LERR(L, file, line, node, ...)                                                       \
    do {                                                                                      \
        menu_diags_add((L)->d, MENU_SEV_ERROR, file, line, node, __VA_ARGS__);                \
        (L)->errors++;                                                                        \
    } while (0)
#define LWARN(L, file, line, node, ...) \
    menu_diags_add((L)->d, MENU_SEV_WARNING, file, line, node, __VA_ARGS__)

static const struct menu_action_def *
find_action(const struct lint *L, const char *name)
{
    if (!L->o || !L->o->registry || !name)
        return NULL;
    return menu_action_find(L->o->registry, name);
}

/* Is var produced by an action the script calls (a result, a list, or L.F of a list)? */
static const struct menu_result_spec *
var_from_action(const struct lint *L, const char *name)
{
    const struct menu_script *s = L->s;
    for (size_t i = 0; i < s->n_nodes; i++) {
        const struct menu_node *n = &s->nodes[i];
        if (n->type != MENU_NODE_ACTION)
            continue;
        const struct menu_action_def *def = find_action(L, n->call);
        if (!def)
            continue;
        const struct menu_result_spec *r = menu_action_result(def, name);
        if (r)
            return r;
    }
    return NULL;
}

static void
check_var(struct lint *L, const struct menu_node *n, uint16_t var, int line)
{
    const struct menu_script *s = L->s;
    if (var == MENU_NONE || var >= s->n_vars || L->var_reported[var])
        return;
    const struct menu_var *v = &s->vars[var];
    if (v->assigned)
        return;
    if (!L->o || !L->o->registry)
        return;
    if (var_from_action(L, v->name))
        return;
    L->var_reported[var] = true;
    LERR(L, n ? n->file : s->file, line ? line : (n ? n->line : 0), n ? n->id : NULL,
         "unknown variable '%s' (never saved by an input or menu, set, or returned by an "
         "action the script calls)",
         v->name);
}

static void
check_template_vars(struct lint *L, const struct menu_node *n, const char *t, int line)
{
    for (const char *c = t; c && (c = strstr(c, "${"));) {
        const char *e = strchr(c + 2, '}');
        if (!e)
            break;
        char name[128];
        size_t nl = (size_t)(e - c - 2);
        if (nl < sizeof(name)) {
            memcpy(name, c + 2, nl);
            name[nl] = '\0';
            int vi = menu_script_var(L->s, name);
            if (vi >= 0)
                check_var(L, n, (uint16_t)vi, line);
        }
        c = e + 1;
    }
}

/* Texts: one per declared language, @references known, variables known. */
static void
check_text(struct lint *L, const struct menu_node *n, const char *file, const char *owner,
           const struct menu_text *t, const char *what, bool required)
{
    const struct menu_script *s = L->s;
    if (!t->present) {
        if (required)
            LERR(L, file, n ? n->line : 0, owner, "no %s", what);
        return;
    }
    for (size_t i = 0; i < s->n_langs; i++) {
        if (!t->t[i]) {
            LERR(L, file, t->line, owner, "%s has no text in '%s' (a declared language)", what,
                 s->langs[i]);
            continue;
        }
        if (t->t[i][0] == '@' && t->t[i][1] != '@' && t->ref[i] < 0) {
            LERR(L, file, t->line, owner, "%s refers to unknown string '%s'", what, t->t[i]);
            return; /* once, not once per language */
        }
        check_template_vars(L, n, t->t[i], t->line);
    }
}

static void
check_target(struct lint *L, const struct menu_node *n, const char *name, uint16_t idx, int line,
             const char *what, bool required)
{
    if (!name) {
        if (required)
            LERR(L, n->file, line, n->id, "%s node needs '%s'",
                 n->type == MENU_NODE_ACTION ? "an action" : "this", what);
        return;
    }
    if (idx == MENU_NONE)
        LERR(L, n->file, line, n->id, "%s: unknown target node '%s'", what, name);
}

/* Worst-case width of a variable for the page check (registry width, else 10). */
static int
var_width(void *ctx, uint16_t var)
{
    const struct lint *L = ctx;
    if (var >= L->s->n_vars)
        return 10;
    const struct menu_result_spec *r = var_from_action(L, L->s->vars[var].name);
    return r && r->max_width > 0 ? r->max_width : 10;
}

/* Checks that the line "key.label" fits one USSD page with the navigation footer. */
static void
check_line_fits(struct lint *L, const struct menu_node *n, const char *key, const char *label,
                int line, size_t li)
{
    const struct menu_script *s = L->s;
    char buf[2048], foot[256];
    struct mbuf b = {buf, 0, sizeof(buf)};
    buf[0] = '\0';
    mbuf_puts(&b, key);
    mbuf_puts(&b, ".");
    menu_expand(s, NULL, li, label, &b, var_width, L);
    snprintf(foot, sizeof(foot), "%s.%s %s.%s", s->nav_more,
             menu_string_or(s, "more", li, "更多", "More"), s->nav_back,
             menu_string_or(s, "back", li, "返回", "Back"));
    struct menu_state st;
    memset(&st, 0, sizeof(st));
    st.channel = MENU_CH_USSD;
    st.ussd_octets = (uint16_t)s->ussd_octets;
    enum text_coding c = TEXT_CODING_GSM7;
    if (menu_units(buf, b.len, c) == (size_t)-1 || menu_units(foot, strlen(foot), c) == (size_t)-1)
        c = TEXT_CODING_UCS2;
    size_t u = menu_units(buf, b.len, c), fu = menu_units(foot, strlen(foot), c);
    size_t budget = menu_budget(&st, c);
    if (u == (size_t)-1 || fu == (size_t)-1)
        return;
    if (u + 1 + fu > budget)
        LERR(L, n->file, line, n->id,
             "option '%s' in '%s' is too long for one USSD page: %zu %s units at worst with "
             "the footer, at most %zu",
             key, s->langs[li], u + 1 + fu, c == TEXT_CODING_GSM7 ? "GSM" : "UCS-2", budget);
}

static void
check_cond(struct lint *L, const struct menu_node *n, const struct menu_cond *c)
{
    check_var(L, n, c->var, c->line);
}

static void
check_node(struct lint *L, const struct menu_node *n)
{
    const struct menu_script *s = L->s;
    bool shows = n->type == MENU_NODE_MENU || n->type == MENU_NODE_INPUT ||
                 n->type == MENU_NODE_INFO || n->type == MENU_NODE_END;
    check_text(L, n, n->file, n->id, &n->text, "text", shows && n->type != MENU_NODE_MENU);
    check_text(L, n, n->file, n->id, &n->sms, "sms text", false);
    switch (n->type) {
    case MENU_NODE_MENU: {
        if (n->n_options == 0 && n->items == MENU_NONE)
            LERR(L, n->file, n->line, n->id, "a menu needs options or items");
        if (n->items != MENU_NONE) {
            check_var(L, n, n->items, n->line);
            check_target(L, n, n->next_name, n->next, n->line, "next", true);
        }
        const struct menu_result_spec *list =
            n->items != MENU_NONE ? var_from_action(L, s->vars[n->items].name) : NULL;
        for (size_t i = 0; i < n->n_options; i++) {
            const struct menu_option *o = &n->options[i];
            if (!o->key || !o->key[0])
                continue;
            if (strcmp(o->key, s->nav_back) == 0 || strcmp(o->key, s->nav_home) == 0 ||
                strcmp(o->key, s->nav_more) == 0)
                LERR(L, n->file, o->line, n->id,
                     "option key '%s' clashes with a navigation key (back %s, home %s, more %s)",
                     o->key, s->nav_back, s->nav_home, s->nav_more);
            for (size_t j = 0; j < i; j++)
                if (n->options[j].key && strcmp(n->options[j].key, o->key) == 0)
                    LERR(L, n->file, o->line, n->id, "option key '%s' used twice", o->key);
            if (list) {
                char *end;
                long k = strtol(o->key, &end, 10);
                int max = list->max_items > 0 ? list->max_items : MENU_MAX_ITEMS;
                if (!*end && k >= 1 && k <= max)
                    LERR(L, n->file, o->line, n->id,
                         "option key '%s' clashes with the items 1..%d of '%s'", o->key, max,
                         s->vars[n->items].name);
            }
            check_text(L, n, n->file, n->id, &o->label, "option label", true);
            check_target(L, n, o->next_name, o->next, o->line, "option next", true);
            if (o->when)
                check_cond(L, n, o->when);
            for (size_t li = 0; li < s->n_langs; li++) {
                const char *lt = menu_text_pick(s, &o->label, li);
                if (lt && o->label.t[li])
                    check_line_fits(L, n, o->key, lt, o->line, li);
            }
        }
        if (list) {
            int max = list->max_items > 0 ? list->max_items : MENU_MAX_ITEMS;
            char key[16];
            for (int k = 1; k <= max && k < 100; k++) {
                snprintf(key, sizeof(key), "%d", k);
                if (strcmp(key, s->nav_back) == 0 || strcmp(key, s->nav_home) == 0 ||
                    strcmp(key, s->nav_more) == 0) {
                    LERR(L, n->file, n->line, n->id,
                         "item key %s of '%s' (up to %d items) clashes with a navigation key", key,
                         s->vars[n->items].name, max);
                    break;
                }
            }
            char label[1024] = "";
            for (int k = 0; k < list->max_width && k < 300; k++)
                strcat(label, "字");
            for (size_t li = 0; list->max_width > 0 && li < s->n_langs; li++)
                check_line_fits(L, n, "9", label, n->line, li);
        }
        break;
    }
    case MENU_NODE_INPUT: {
        const struct menu_validate *v = &n->validate;
        check_target(L, n, n->next_name, n->next, n->line, "next", true);
        if (v->regex && !v->re_ok)
            LERR(L, n->file, v->line ? v->line : n->line, n->id, "invalid regex '%s': %s",
                 v->regex, v->re_error);
        if (v->retries < 0 || v->retries > 20)
            LERR(L, n->file, v->line, n->id, "retries must be 0..20");
        if ((v->flags & MENU_V_INT) && v->min > v->max)
            LERR(L, n->file, v->line, n->id, "min is above max");
        if (v->max_len && v->min_len > v->max_len)
            LERR(L, n->file, v->line, n->id, "min_len is above max_len");
        check_text(L, n, n->file, n->id, &v->error, "validation error text", false);
        check_target(L, n, v->on_fail_name, v->on_fail, v->line, "on_fail", false);
        if (n->save == MENU_NONE)
            LWARN(L, n->file, n->line, n->id, "an input that saves nothing ('save' missing)");
        break;
    }
    case MENU_NODE_INFO:
        check_target(L, n, n->next_name, n->next, n->line, "next", true);
        break;
    case MENU_NODE_END:
        if (n->next_name || n->n_options)
            LERR(L, n->file, n->line, n->id, "an end node has no next or options");
        break;
    case MENU_NODE_ACTION: {
        if (!n->call) {
            LERR(L, n->file, n->line, n->id, "an action node needs 'call'");
        } else if (L->o && L->o->registry) {
            const struct menu_action_def *def = find_action(L, n->call);
            if (!def) {
                LERR(L, n->file, n->line, n->id, "unknown action '%s'", n->call);
            } else {
                size_t req = 0;
                for (size_t i = 0; i < def->n_args; i++)
                    if (!def->args[i].optional)
                        req++;
                if (n->n_args < req || n->n_args > def->n_args)
                    LERR(L, n->file, n->line, n->id,
                         "action '%s' takes %zu to %zu arguments, %zu given", n->call, req,
                         def->n_args, n->n_args);
            }
        }
        if (n->n_args > MENU_MAX_ARGS)
            LERR(L, n->file, n->line, n->id, "at most %d arguments", MENU_MAX_ARGS);
        for (size_t i = 0; i < n->n_args; i++)
            check_var(L, n, n->args[i].var, n->args[i].line);
        check_target(L, n, n->on_ok_name, n->on_ok, n->line, "on_ok", true);
        check_target(L, n, n->on_error_name, n->on_error, n->line, "on_error", true);
        if (n->deadline_ms < 0 || n->deadline_ms > 60000)
            LERR(L, n->file, n->line, n->id, "deadline_ms must be 0..60000");
        break;
    }
    case MENU_NODE_ROUTER:
        if (n->n_routes == 0)
            LWARN(L, n->file, n->line, n->id, "a router without routes");
        for (size_t i = 0; i < n->n_routes; i++) {
            check_cond(L, n, &n->routes[i]);
            check_target(L, n, n->routes[i].next_name, n->routes[i].next, n->routes[i].line,
                         "route next", true);
        }
        check_target(L, n, n->default_name, n->def, n->line, "default", true);
        break;
    case MENU_NODE_SET:
        if (n->n_assigns == 0)
            LWARN(L, n->file, n->line, n->id, "a set node that sets nothing");
        for (size_t i = 0; i < n->n_assigns; i++)
            if (n->assigns[i].type == MENU_T_TEXT)
                check_template_vars(L, n, n->assigns[i].text, n->assigns[i].line);
        check_target(L, n, n->next_name, n->next, n->line, "next", true);
        break;
    }
}

/* Out-edges of node i, written to e (at most cap). */
static size_t
edges(const struct menu_script *s, size_t i, uint16_t *e, size_t cap)
{
    const struct menu_node *n = &s->nodes[i];
    size_t k = 0;
#define ADD(x)                                   \
    do {                                         \
        if ((x) != MENU_NONE && k < cap)         \
            e[k++] = (x);                        \
    } while (0)
    ADD(n->next);
    ADD(n->on_ok);
    ADD(n->on_error);
    ADD(n->def);
    ADD(n->validate.on_fail);
    for (size_t j = 0; j < n->n_options; j++)
        ADD(n->options[j].next);
    for (size_t j = 0; j < n->n_routes; j++)
        ADD(n->routes[j].next);
#undef ADD
    return k;
}

static bool
passes_through(const struct menu_node *n)
{
    return n->type == MENU_NODE_ROUTER || n->type == MENU_NODE_SET || n->type == MENU_NODE_ACTION;
}

/* Depth-first search for a cycle of non-waiting nodes; colour 0 new, 1 on stack, 2 done. */
static bool
find_loop(struct lint *L, size_t i, unsigned char *colour, uint16_t *stack, size_t depth)
{
    const struct menu_script *s = L->s;
    colour[i] = 1;
    stack[depth] = (uint16_t)i;
    uint16_t e[80];
    size_t ne = edges(s, i, e, 80);
    for (size_t k = 0; k < ne; k++) {
        size_t j = e[k];
        if (j >= s->n_nodes || !passes_through(&s->nodes[j]))
            continue;
        if (colour[j] == 1) {
            char path[200] = "";
            size_t at = depth;
            while (at > 0 && stack[at] != j)
                at--;
            for (size_t m = at; m <= depth; m++) {
                strncat(path, s->nodes[stack[m]].id, sizeof(path) - strlen(path) - 5);
                strncat(path, " -> ", sizeof(path) - strlen(path) - 1);
            }
            strncat(path, s->nodes[j].id, sizeof(path) - strlen(path) - 1);
            LERR(L, s->nodes[j].file, s->nodes[j].line, s->nodes[j].id,
                 "loop with no input: %s", path);
            colour[i] = 2;
            return true;
        }
        if (colour[j] == 0 && find_loop(L, j, colour, stack, depth + 1))
            return true;
    }
    colour[i] = 2;
    return false;
}

static void
check_graph(struct lint *L)
{
    const struct menu_script *s = L->s;
    size_t n = s->n_nodes;
    if (n == 0)
        return;
    unsigned char *seen = calloc(n, 1);
    uint16_t *queue = calloc(n + 1, sizeof(*queue));
    unsigned char *colour = calloc(n, 1);
    uint16_t *stack = calloc(n + 1, sizeof(*stack));
    if (!seen || !queue || !colour || !stack)
        goto out;
    size_t qh = 0, qt = 0;
    if (s->start != MENU_NONE) {
        seen[s->start] = 1;
        queue[qt++] = s->start;
    }
    for (size_t i = 0; i < s->n_entries; i++) {
        uint16_t e = s->entries[i].node;
        if (e != MENU_NONE && !seen[e]) {
            seen[e] = 1;
            queue[qt++] = e;
        }
    }
    while (qh < qt) {
        uint16_t e[80];
        size_t ne = edges(s, queue[qh++], e, 80);
        for (size_t k = 0; k < ne; k++)
            if (e[k] < n && !seen[e[k]]) {
                seen[e[k]] = 1;
                queue[qt++] = e[k];
            }
    }
    for (size_t i = 0; i < n; i++)
        if (!seen[i])
            LWARN(L, s->nodes[i].file, s->nodes[i].line, s->nodes[i].id,
                  "unreachable node (no entry, option or route leads here)");
    for (size_t i = 0; i < n; i++)
        if (colour[i] == 0 && passes_through(&s->nodes[i]))
            find_loop(L, i, colour, stack, 0);
out:
    free(seen);
    free(queue);
    free(colour);
    free(stack);
}

size_t
menu_lint(const struct menu_script *s, const struct menu_lint_opts *o, struct menu_diags *d)
{
    struct lint L = {.s = s, .o = o, .d = d};
    if (!s)
        return 0;
    L.var_reported = calloc(s->n_vars + 1, sizeof(bool));
    if (!L.var_reported) {
        LERR(&L, s->path, 0, NULL, "out of memory");
        return L.errors;
    }
    if (!s->id || !s->id[0])
        LERR(&L, s->file, s->line, NULL, "the script has no id");
    if (s->start == MENU_NONE)
        LERR(&L, s->file, s->line, NULL, "start: unknown target node '%s'",
             s->start_name ? s->start_name : "");
    if (s->n_entries == 0)
        LWARN(&L, s->file, s->line, NULL, "no entry (USSD code or SMS keyword)");
    for (size_t i = 0; i < s->n_entries; i++) {
        const struct menu_entry *e = &s->entries[i];
        if (e->node == MENU_NONE)
            LERR(&L, e->file, e->line, NULL, "entry: unknown target node '%s'",
                 e->node_name ? e->node_name : "");
        for (size_t j = 0; j < i; j++) {
            const struct menu_entry *f = &s->entries[j];
            if (e->ussd && f->ussd && strcmp(e->ussd, f->ussd) == 0)
                LERR(&L, e->file, e->line, NULL, "USSD code %s claimed twice (also line %d)",
                     e->ussd, f->line);
            for (size_t a = 0; a < e->n_sms; a++)
                for (size_t b = 0; b < f->n_sms; b++)
                    if (strcmp(e->sms[a], f->sms[b]) == 0)
                        LERR(&L, e->file, e->line, NULL,
                             "SMS keyword '%s' claimed twice (also line %d)", e->sms[a], f->line);
        }
    }
    for (size_t i = 0; i < s->n_strings; i++)
        check_text(&L, NULL, s->strings[i].file, s->strings[i].name, &s->strings[i].text,
                   "string", true);
    for (size_t i = 0; i < s->n_nodes; i++)
        check_node(&L, &s->nodes[i]);
    check_graph(&L);
    free(L.var_reported);
    return L.errors;
}

size_t
menu_lint_dir(const char *dir, const struct menu_lint_opts *o, struct menu_diags *d,
              struct menu_script **out)
{
    size_t before = d ? d->n_errors : 0;
    struct menu_script *s = menu_script_load_dir(dir, d);
    size_t errors = s ? menu_lint(s, o, d) : 0;
    if (!s && d)
        errors = d->n_errors - before;
    else if (!s)
        errors = 1;
    if (out)
        *out = s;
    else
        menu_script_free(s);
    return errors;
}
