/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_parse: libconfig menu scripts -> struct menu_script (menu_model.h). Reads one file
 * or every *.menu of a directory as one script, reads the script, entry and strings
 * sections (nodes: menu_parse_nodes.c), then resolves names to indices and interns every
 * variable mentioned. libconfig stays inside menu_parse*.c; semantic checks are the linter's. */
#include "menus/menu_model.h"

#include <dirent.h>
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "locale/keyword.h"
#include "menus/menu_parse_int.h"

/* ----- script, entries, strings ----- */

static void
copy_key(char *dst, size_t n, const char *v, const char *dflt)
{
    snprintf(dst, n, "%s", v ? v : dflt);
}

static void
parse_script(struct menu_pctx *p, const config_setting_t *g)
{
    static const char *const keys[] = {
        "id", "version", "langs", "default_lang", "start", "nav", "limits", "sensitive", NULL};
    struct menu_script *s = p->s;
    if (!config_setting_is_group(g)) {
        PERR(p, g, "'script' must be a group");
        return;
    }
    menu_cfg_check_keys(p, g, keys, "script");
    s->id = menu_xstrdup(menu_cfg_str(p, g, "id", true));
    long long x;
    if (menu_cfg_int(p, g, "version", &x))
        s->version = (int)x;
    const config_setting_t *m = config_setting_get_member(g, "langs");
    if (!m) {
        PERR(p, g, "missing setting 'langs' (e.g. [\"zh\", \"en\"])");
    } else {
        size_t n = 0;
        char **v = menu_cfg_strv(p, m, &n);
        for (size_t i = 0; i < n; i++) {
            if (s->n_langs == MENU_MAX_LANGS || strlen(v[i]) >= MENU_LANG_LEN || !v[i][0]) {
                PERR(p, m, "language '%s' refused (at most %d languages of up to %d bytes)", v[i],
                     MENU_MAX_LANGS, MENU_LANG_LEN - 1);
                continue;
            }
            if (menu_script_lang(s, v[i]) >= 0) {
                PERR(p, m, "language '%s' declared twice", v[i]);
                continue;
            }
            snprintf(s->langs[s->n_langs++], MENU_LANG_LEN, "%s", v[i]);
        }
        menu_strv_free(v, n);
    }
    const char *dl = menu_cfg_str(p, g, "default_lang", false);
    if (dl) {
        int li = menu_script_lang(s, dl);
        if (li < 0)
            PERR(p, config_setting_get_member(g, "default_lang"),
                 "default_lang '%s' is not in langs", dl);
        s->default_lang = li < 0 ? 0 : (size_t)li;
    }
    s->start_name = menu_xstrdup(menu_cfg_str(p, g, "start", true));
    copy_key(s->nav_back, sizeof(s->nav_back), NULL, "0");
    copy_key(s->nav_home, sizeof(s->nav_home), NULL, "00");
    copy_key(s->nav_more, sizeof(s->nav_more), NULL, "9");
    if ((m = config_setting_get_member(g, "nav"))) {
        static const char *const nkeys[] = {"back", "home", "more", NULL};
        menu_cfg_check_keys(p, m, nkeys, "nav");
        const char *v;
        if ((v = menu_cfg_str(p, m, "back", false)))
            copy_key(s->nav_back, sizeof(s->nav_back), v, "0");
        if ((v = menu_cfg_str(p, m, "home", false)))
            copy_key(s->nav_home, sizeof(s->nav_home), v, "00");
        if ((v = menu_cfg_str(p, m, "more", false)))
            copy_key(s->nav_more, sizeof(s->nav_more), v, "9");
        if (strcmp(s->nav_back, s->nav_home) == 0 || strcmp(s->nav_back, s->nav_more) == 0 ||
            strcmp(s->nav_home, s->nav_more) == 0)
            PERR(p, m, "navigation keys back, home and more must differ");
    }
    if ((m = config_setting_get_member(g, "limits"))) {
        static const char *const lkeys[] = {"ussd_octets", "sms_segments", "max_hops",
                                            "deadline_ms", NULL};
        menu_cfg_check_keys(p, m, lkeys, "limits");
        if (menu_cfg_int(p, m, "ussd_octets", &x)) {
            if (x < 40 || x > 160)
                PERR(p, m, "ussd_octets must be 40..160");
            else
                s->ussd_octets = (int)x;
        }
        if (menu_cfg_int(p, m, "sms_segments", &x)) {
            if (x < 1 || x > MENU_MAX_SMS_SEGMENTS)
                PERR(p, m, "sms_segments must be 1..%d", MENU_MAX_SMS_SEGMENTS);
            else
                s->sms_segments = (int)x;
        }
        if (menu_cfg_int(p, m, "max_hops", &x)) {
            if (x < 1 || x > 100)
                PERR(p, m, "max_hops must be 1..100");
            else
                s->max_hops = (int)x;
        }
        if (menu_cfg_int(p, m, "deadline_ms", &x)) {
            if (x < 10 || x > 60000)
                PERR(p, m, "deadline_ms must be 10..60000");
            else
                s->deadline_ms = (int)x;
        }
    }
    if ((m = config_setting_get_member(g, "sensitive"))) {
        size_t n = 0;
        char **v = menu_cfg_strv(p, m, &n);
        for (size_t i = 0; i < n; i++) {
            uint16_t vi = menu_var_ref(p, m, v[i]);
            if (vi != MENU_NONE)
                s->vars[vi].sensitive = true;
        }
        menu_strv_free(v, n);
    }
}

static void
parse_entries(struct menu_pctx *p, const config_setting_t *m)
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
        menu_cfg_check_keys(p, g, keys, "an entry");
        struct menu_entry *e = &s->entries[s->n_entries++];
        memset(e, 0, sizeof(*e));
        e->line = menu_cfg_line(g);
        e->file = menu_keep_file(s, menu_cfg_file(p, g));
        e->node = e->args = MENU_NONE;
        e->ussd = menu_xstrdup(menu_cfg_str(p, g, "ussd", false));
        const config_setting_t *k = config_setting_get_member(g, "sms");
        if (k) {
            size_t n = 0;
            char **raw = menu_cfg_strv(p, k, &n);
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
            menu_strv_free(raw, n);
        }
        if (!e->ussd && !e->n_sms)
            PERR(p, g, "an entry needs a 'ussd' code or 'sms' keywords");
        e->node_name = menu_xstrdup(menu_cfg_str(p, g, "node", true));
        const char *a = menu_cfg_str(p, g, "args", false);
        if (a) {
            e->args = menu_var_ref(p, g, a);
            if (e->args != MENU_NONE)
                s->vars[e->args].assigned = true;
        }
    }
}

static void
parse_strings(struct menu_pctx *p, const config_setting_t *m)
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
        st->file = menu_keep_file(s, menu_cfg_file(p, e));
        menu_cfg_text(p, m, name, &st->text);
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
        for (const char *c = tp; (c = strstr(c, "${"));) {
            const char *e = strchr(c + 2, '}');
            if (!e)
                break;
            menu_var_intern(s, c + 2, (size_t)(e - c - 2), t->line);
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
    menu_var_intern(s, "lang", 4, 0);
    menu_var_intern(s, "error", 5, 0);
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
            menu_diags_add(d, MENU_SEV_ERROR, f ? f : path, config_error_line(cfg), NULL, "%s",
                           config_error_text(cfg));
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
    struct menu_pctx p = {.s = s, .d = d};
    /* The script group first: the languages are needed to read texts. */
    const config_setting_t *script = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!ok[i])
            continue;
        const config_setting_t *root = config_root_setting(&cfgs[i]);
        static const char *const keys[] = {"script", "entry", "strings", "nodes", NULL};
        p.file = paths[i];
        menu_cfg_check_keys(&p, root, keys, "the file");
        const config_setting_t *g = config_setting_get_member(root, "script");
        if (!g)
            continue;
        if (script) {
            PERR(&p, g, "a second 'script' group (the first is at %s:%d)",
                 config_setting_source_file(script), menu_cfg_line(script));
            continue;
        }
        script = g;
        s->file = menu_keep_file(s, menu_cfg_file(&p, g));
        s->line = menu_cfg_line(g);
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
            menu_parse_nodes(&p, m);
    }
    link_script(s);
    if (menu_script_index_vars(s) != 0)
        menu_diags_add(d, MENU_SEV_ERROR, what, 0, NULL, "out of memory");
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
