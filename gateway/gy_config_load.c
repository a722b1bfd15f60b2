/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gy_config_load: reads a libconfig file into struct gy_config by walking the key schema of
 * gy_config_schema.c. The only file of gongyou that includes libconfig.h. Every problem is
 * reported as "file:line: message"; nothing of libconfig escapes. */
#include "gateway/gy_config_int.h"
#include "base/gy_err.h"

#include <errno.h>
#include <libconfig.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_REPORTED 20

struct load_ctx {
    const char *path; /* the file given to gy_config_load() */
    const char *dir;  /* its directory: @include files are named relative to it */
    char *err;
    size_t errlen;
    size_t used;
    int n_errors;
    bool oom;
    struct gy_config *cfg;
};

static const char *
kind_noun(int type)
{
    switch (type) {
    case CONFIG_TYPE_GROUP:
        return "a group { ... }";
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        return "an integer";
    case CONFIG_TYPE_FLOAT:
        return "a floating-point number";
    case CONFIG_TYPE_STRING:
        return "a string";
    case CONFIG_TYPE_BOOL:
        return "a boolean";
    case CONFIG_TYPE_ARRAY:
        return "an array [ ... ]";
    case CONFIG_TYPE_LIST:
        return "a list ( ... )";
    default:
        return "nothing";
    }
}

static void
report_va(struct load_ctx *lc, const char *file, int line, const char *fmt, va_list ap)
{
    lc->n_errors++;
    if (lc->err == NULL || lc->errlen == 0 || lc->n_errors > MAX_REPORTED + 1)
        return;
    char msg[512];
    if (lc->n_errors == MAX_REPORTED + 1) {
        snprintf(msg, sizeof(msg), "%s: more errors not shown", lc->path);
    } else {
        char body[400];
        vsnprintf(body, sizeof(body), fmt, ap);
        bool in_dir = file != NULL && file[0] != '/' && strcmp(file, lc->path) != 0 &&
                      lc->dir != NULL && strcmp(lc->dir, ".") != 0;
        snprintf(msg, sizeof(msg), "%s%s%s:%d: %s", in_dir ? lc->dir : "", in_dir ? "/" : "",
                 file != NULL ? file : lc->path, line > 0 ? line : 1, body);
    }
    int n =
        snprintf(lc->err + lc->used, lc->errlen - lc->used, "%s%s", lc->used > 0 ? "\n" : "", msg);
    if (n > 0)
        lc->used = (size_t)n >= lc->errlen - lc->used ? lc->errlen - 1 : lc->used + (size_t)n;
}

static void report_at(struct load_ctx *lc, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void report(struct load_ctx *lc, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reports "file:line: message" at an explicit place. */
static void
report_at(struct load_ctx *lc, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_va(lc, file, line, fmt, ap);
    va_end(ap);
}

/* Reports at the place of setting s (the file's first line when s is NULL). */
static void
report(struct load_ctx *lc, const config_setting_t *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_va(lc, s != NULL ? config_setting_source_file(s) : NULL,
              s != NULL ? (int)config_setting_source_line(s) : 1, fmt, ap);
    va_end(ap);
}

/* Edit distance of two short names, for "did you mean" hints. */
static size_t
edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    size_t row[41];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

static const struct gy_key *
find_key(const struct gy_key *table, const char *name)
{
    for (const struct gy_key *k = table; k->name != NULL; k++) {
        if (strcmp(k->name, name) == 0)
            return k;
    }
    return NULL;
}

static void
report_unknown(struct load_ctx *lc, const struct gy_key *table, const config_setting_t *s,
               const char *path)
{
    const char *name = config_setting_name(s);
    const struct gy_key *best = NULL;
    size_t best_d = 3;
    for (const struct gy_key *k = table; k->name != NULL; k++) {
        size_t d = edit_distance(name, k->name);
        if (d < best_d)
            best = k, best_d = d;
    }
    if (best != NULL)
        report(lc, s, "unknown key '%s%s' (did you mean '%s'?)", path, name, best->name);
    else
        report(lc, s, "unknown key '%s%s'", path, name);
}

static void load_group(struct load_ctx *lc, const struct gy_key *table,
                       const config_setting_t *group, void *base, const char *path);

static bool
expect_type(struct load_ctx *lc, const config_setting_t *s, const char *name, int want, int want2)
{
    int t = config_setting_type(s);
    if (t == want || t == want2)
        return true;
    report(lc, s, "%s: expected %s, got %s", name, kind_noun(want), kind_noun(t));
    return false;
}

/* Validates a string value against k; returns a new copy or NULL (reported). */
static char *
load_string(struct load_ctx *lc, const struct gy_key *k, const config_setting_t *s,
            const char *name)
{
    if (!expect_type(lc, s, name, CONFIG_TYPE_STRING, -1))
        return NULL;
    const char *v = config_setting_get_string(s);
    size_t len = strlen(v);
    if ((long long)len < k->min || (long long)len > k->max) {
        if (k->min == k->max)
            report(lc, s, "%s: \"%s\" must be %lld bytes long", name, v, k->max);
        else if (k->min > 0 && len == 0)
            report(lc, s, "%s: must not be empty", name);
        else
            report(lc, s, "%s: \"%.40s\" is %zu bytes long, the limit is %lld", name, v, len,
                   k->max);
        return NULL;
    }
    char why[200];
    if (k->check != NULL && k->check(v, why, sizeof(why)) != 0) {
        report(lc, s, "%s: \"%.40s\": %s", name, v, why);
        return NULL;
    }
    char *copy = strdup(v);
    if (copy == NULL)
        lc->oom = true;
    return copy;
}

static bool
load_int(struct load_ctx *lc, const struct gy_key *k, const config_setting_t *s, const char *name,
         int *out)
{
    if (!expect_type(lc, s, name, CONFIG_TYPE_INT, CONFIG_TYPE_INT64))
        return false;
    long long v = config_setting_get_int64(s);
    if (v < k->min || v > k->max) {
        report(lc, s, "%s: %lld is out of range %lld..%lld%s%s", name, v, k->min, k->max,
               k->unit != NULL ? " " : "", k->unit != NULL ? k->unit : "");
        return false;
    }
    if (k->allowed != NULL) {
        bool ok = false;
        char list[64] = "";
        for (const int *a = k->allowed; *a >= 0; a++) {
            ok = ok || *a == v;
            size_t used = strlen(list);
            snprintf(list + used, sizeof(list) - used, "%s0x%02x", used > 0 ? " or " : "", *a);
        }
        if (!ok) {
            report(lc, s, "%s: 0x%02llx is not allowed (expected %s)", name, v, list);
            return false;
        }
    }
    *out = (int)v;
    return true;
}

/* The number of entries of the array or list s (at most k->def), or -1 after a report. */
static int
list_length(struct load_ctx *lc, const struct gy_key *k, const config_setting_t *s,
            const char *name)
{
    if (!expect_type(lc, s, name, CONFIG_TYPE_ARRAY, CONFIG_TYPE_LIST))
        return -1;
    int n = config_setting_length(s);
    if (n > k->def) {
        report(lc, s, "%s: %d entries, at most %lld allowed", name, n, k->def);
        return -1;
    }
    return n;
}

static void
load_strlist(struct load_ctx *lc, const struct gy_key *k, const config_setting_t *s,
             const char *name, char *p)
{
    int n = list_length(lc, k, s, name);
    if (n < 0)
        return;
    char **v = n > 0 ? calloc((size_t)n, sizeof(char *)) : NULL;
    if (n > 0 && v == NULL) {
        lc->oom = true;
        return;
    }
    size_t got = 0;
    for (int i = 0; i < n; i++) {
        char elem[160];
        snprintf(elem, sizeof(elem), "%.120s[%d]", name, i);
        char *str = load_string(lc, k, config_setting_get_elem(s, (unsigned)i), elem);
        if (str != NULL)
            v[got++] = str;
    }
    char ***slot = (char ***)(p + k->off);
    size_t *count = (size_t *)(p + k->off2);
    for (size_t i = 0; *slot != NULL && i < *count; i++)
        free((*slot)[i]);
    free(*slot);
    *slot = v;
    *count = got;
}

static void
load_intlist(struct load_ctx *lc, const struct gy_key *k, const config_setting_t *s,
             const char *name, char *p)
{
    int n = list_length(lc, k, s, name);
    if (n < 0)
        return;
    int *arr = (int *)(p + k->off);
    size_t got = 0;
    for (int i = 0; i < n; i++) {
        char elem[160];
        snprintf(elem, sizeof(elem), "%.120s[%d]", name, i);
        if (load_int(lc, k, config_setting_get_elem(s, (unsigned)i), elem, &arr[got]))
            got++;
    }
    *(size_t *)(p + k->off2) = got;
}

static void load_binds(struct load_ctx *lc, const struct gy_key *k, const config_setting_t *s);
static void load_keywords(struct load_ctx *lc, const struct gy_key *k, const config_setting_t *s);

static void
load_value(struct load_ctx *lc, const struct gy_key *k, const config_setting_t *s, void *base,
           const char *name)
{
    char *p = base;
    switch (k->kind) {
    case GY_KEY_INT: {
        int v;
        if (load_int(lc, k, s, name, &v))
            memcpy(p + k->off, &v, sizeof(v));
        break;
    }
    case GY_KEY_BOOL:
        if (expect_type(lc, s, name, CONFIG_TYPE_BOOL, -1))
            *(bool *)(p + k->off) = config_setting_get_bool(s) != 0;
        break;
    case GY_KEY_STRING: {
        char *v = load_string(lc, k, s, name);
        if (v != NULL) {
            char **slot = (char **)(p + k->off);
            free(*slot);
            *slot = v;
            int line = (int)config_setting_source_line(s);
            if (slot == &lc->cfg->database_path)
                lc->cfg->origin.database_path = line;
            else if (slot == &lc->cfg->menus_dir)
                lc->cfg->origin.menus_dir = line;
        }
        break;
    }
    case GY_KEY_ENUM: {
        if (!expect_type(lc, s, name, CONFIG_TYPE_STRING, -1))
            break;
        const char *v = config_setting_get_string(s);
        int idx = -1;
        char list[200] = "";
        for (int i = 0; k->choices[i] != NULL; i++) {
            if (strcmp(k->choices[i], v) == 0)
                idx = i;
            size_t used = strlen(list);
            snprintf(list + used, sizeof(list) - used, "%s\"%s\"", i > 0 ? ", " : "",
                     k->choices[i]);
        }
        if (idx < 0)
            report(lc, s, "%s: \"%.40s\" is not one of %s", name, v, list);
        else
            memcpy(p + k->off, &idx, sizeof(idx));
        break;
    }
    case GY_KEY_GROUP: {
        if (!expect_type(lc, s, name, CONFIG_TYPE_GROUP, -1))
            break;
        char prefix[160];
        snprintf(prefix, sizeof(prefix), "%.120s.", name);
        load_group(lc, k->children, s, base, prefix);
        break;
    }
    case GY_KEY_STRLIST:
        load_strlist(lc, k, s, name, p);
        break;
    case GY_KEY_INTLIST:
        load_intlist(lc, k, s, name, p);
        break;
    case GY_KEY_BINDS:
        load_binds(lc, k, s);
        break;
    case GY_KEY_KEYWORDS:
        load_keywords(lc, k, s);
        break;
    }
}

static void
load_group(struct load_ctx *lc, const struct gy_key *table, const config_setting_t *group,
           void *base, const char *path)
{
    int n = config_setting_length(group);
    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
        const struct gy_key *k = find_key(table, config_setting_name(s));
        if (k == NULL) {
            report_unknown(lc, table, s, path);
            continue;
        }
        char name[160];
        snprintf(name, sizeof(name), "%.120s%.30s", path, k->name);
        load_value(lc, k, s, base, name);
    }
    for (const struct gy_key *k = table; k->name != NULL; k++) {
        if (k->required && config_setting_get_member(group, k->name) == NULL) {
            if (path[0] == '\0')
                report(lc, group, "missing required key '%s'", k->name);
            else
                report(lc, group, "%.*s: missing required key '%s'", (int)strlen(path) - 1, path,
                       k->name);
        }
    }
}

static int
member_line(const config_setting_t *group, const char *name)
{
    const config_setting_t *m = config_setting_get_member(group, name);
    return (int)config_setting_source_line(m != NULL ? m : group);
}

/* Cross-field checks of one bind (after its keys loaded). */
static void
check_bind(struct load_ctx *lc, const struct gy_smsc_bind *b, const config_setting_t *g,
           const char *name)
{
    const char *file = config_setting_source_file(g);
    if (b->reconnect_min > b->reconnect_max)
        report_at(lc, file, member_line(g, "reconnect_min"),
                  "%s.reconnect_min: %d s is more than reconnect_max (%d s)", name,
                  b->reconnect_min, b->reconnect_max);
    if (b->ussd.op_continue_out == b->ussd.op_end_out) {
        const config_setting_t *u = config_setting_get_member(g, "ussd");
        report_at(lc, file, u != NULL ? member_line(u, "op_end_out") : member_line(g, "name"),
                  "%s.ussd: op_continue_out and op_end_out must differ", name);
    }
}

static void
load_binds(struct load_ctx *lc, const struct gy_key *k, const config_setting_t *s)
{
    if (!expect_type(lc, s, "smsc", CONFIG_TYPE_LIST, -1))
        return;
    int n = config_setting_length(s);
    if (n < k->min || n > k->max) {
        report(lc, s, "smsc: %d binds, expected %lld to %lld", n, k->min, k->max);
        return;
    }
    struct gy_config *cfg = lc->cfg;
    cfg->binds = calloc((size_t)n, sizeof(*cfg->binds));
    if (cfg->binds == NULL) {
        lc->oom = true;
        return;
    }
    for (int i = 0; i < n; i++) {
        const config_setting_t *g = config_setting_get_elem(s, (unsigned)i);
        char name[64];
        snprintf(name, sizeof(name), "smsc[%d]", i);
        if (!expect_type(lc, g, name, CONFIG_TYPE_GROUP, -1))
            continue;
        struct gy_smsc_bind *b = &cfg->binds[cfg->n_binds];
        if (gy_smsc_bind_defaults(b) != 0) {
            lc->oom = true;
            return;
        }
        cfg->n_binds++;
        char prefix[70];
        snprintf(prefix, sizeof(prefix), "%.120s.", name);
        int before = lc->n_errors;
        load_group(lc, gy_smsc_bind_keys, g, b, prefix);
        if (lc->n_errors == before)
            check_bind(lc, b, g, name);
        for (size_t j = 0; b->name[0] != '\0' && j + 1 < cfg->n_binds; j++) {
            if (strcmp(cfg->binds[j].name, b->name) == 0)
                report_at(lc, config_setting_source_file(g), member_line(g, "name"),
                          "%s.name: duplicate bind name \"%s\" (also smsc[%zu])", name, b->name, j);
        }
    }
}

/* Replaces or appends keyword kw with the aliases of array s. */
static void
set_keyword(struct load_ctx *lc, const char *kw, const config_setting_t *s)
{
    struct gy_config *cfg = lc->cfg;
    struct gy_keyword *k = NULL;
    for (size_t i = 0; i < cfg->n_keywords; i++) {
        if (strcmp(cfg->keywords[i].keyword, kw) == 0)
            k = &cfg->keywords[i];
    }
    if (k == NULL) {
        struct gy_keyword *grown =
            realloc(cfg->keywords, (cfg->n_keywords + 1) * sizeof(*cfg->keywords));
        if (grown == NULL) {
            lc->oom = true;
            return;
        }
        cfg->keywords = grown;
        k = &cfg->keywords[cfg->n_keywords];
        memset(k, 0, sizeof(*k));
        if ((k->keyword = strdup(kw)) == NULL) {
            lc->oom = true;
            return;
        }
        cfg->n_keywords++;
    }
    for (size_t j = 0; j < k->n_aliases; j++)
        free(k->aliases[j]);
    free(k->aliases);
    k->aliases = NULL;
    k->n_aliases = 0;
    int n = config_setting_length(s);
    if (n == 0)
        return;
    if ((k->aliases = calloc((size_t)n, sizeof(char *))) == NULL) {
        lc->oom = true;
        return;
    }
    for (int i = 0; i < n; i++) {
        const char *v = config_setting_get_string(config_setting_get_elem(s, (unsigned)i));
        if ((k->aliases[k->n_aliases] = strdup(v)) == NULL) {
            lc->oom = true;
            return;
        }
        k->n_aliases++;
    }
}

/* Which keyword other than self answers to word (name or alias), or NULL. */
static const char *
keyword_owner(const struct gy_config *cfg, const char *self, const char *word, size_t skip_alias)
{
    for (size_t i = 0; i < cfg->n_keywords; i++) {
        const struct gy_keyword *k = &cfg->keywords[i];
        bool same = strcmp(k->keyword, self) == 0;
        if (!same && strcasecmp(k->keyword, word) == 0)
            return k->keyword;
        for (size_t j = 0; j < k->n_aliases; j++) {
            if ((!same || j != skip_alias) && strcasecmp(k->aliases[j], word) == 0)
                return k->keyword;
        }
    }
    return NULL;
}

static void
load_keywords(struct load_ctx *lc, const struct gy_key *k, const config_setting_t *s)
{
    if (!expect_type(lc, s, "keywords", CONFIG_TYPE_GROUP, -1))
        return;
    int n = config_setting_length(s);
    int before = lc->n_errors;
    /* First validate every entry, then apply them, then look for clashes. */
    for (int i = 0; i < n; i++) {
        const config_setting_t *m = config_setting_get_elem(s, (unsigned)i);
        const char *kw = config_setting_name(m);
        char name[64], why[160];
        snprintf(name, sizeof(name), "keywords.%.40s", kw);
        if (gy_check_keyword(kw, why, sizeof(why)) != 0) {
            report(lc, m, "%s: %s", name, why);
            continue;
        }
        if (!expect_type(lc, m, name, CONFIG_TYPE_ARRAY, -1))
            continue;
        int na = config_setting_length(m);
        if (na > k->max) {
            report(lc, m, "%s: %d aliases, at most %lld allowed", name, na, k->max);
            continue;
        }
        const struct gy_key alias_key = {
            .name = "alias", .kind = GY_KEY_STRING, .min = 1, .max = 32, .check = gy_check_alias};
        for (int j = 0; j < na; j++) {
            char elem[80];
            snprintf(elem, sizeof(elem), "%s[%d]", name, j);
            free(load_string(lc, &alias_key, config_setting_get_elem(m, (unsigned)j), elem));
        }
    }
    if (lc->n_errors != before || lc->oom)
        return;
    for (int i = 0; i < n && !lc->oom; i++) {
        const config_setting_t *m = config_setting_get_elem(s, (unsigned)i);
        set_keyword(lc, config_setting_name(m), m);
    }
    for (int i = 0; i < n && !lc->oom; i++) {
        const config_setting_t *m = config_setting_get_elem(s, (unsigned)i);
        const char *kw = config_setting_name(m);
        const char *owner = keyword_owner(lc->cfg, kw, kw, (size_t)-1);
        if (owner != NULL)
            report(lc, m, "keywords.%s: the keyword is already an alias of %s", kw, owner);
        for (int j = 0; j < config_setting_length(m); j++) {
            const config_setting_t *a = config_setting_get_elem(m, (unsigned)j);
            const char *alias = config_setting_get_string(a);
            owner = keyword_owner(lc->cfg, kw, alias, (size_t)j);
            if (owner != NULL)
                report(lc, a, "keywords.%s: alias \"%s\" is already used by %s", kw, alias, owner);
        }
    }
}

/* Checks across sections, after every key loaded. */
static void
check_config(struct load_ctx *lc, const config_t *conf)
{
    const struct gy_config *cfg = lc->cfg;
    if (cfg->ussd_idle_timeout > cfg->ussd_total_timeout) {
        const config_setting_t *s = config_lookup(conf, "sessions.ussd_idle_timeout");
        if (s == NULL)
            s = config_lookup(conf, "sessions.ussd_total_timeout");
        report(lc, s, "sessions.ussd_idle_timeout: %d s is more than ussd_total_timeout (%d s)",
               cfg->ussd_idle_timeout, cfg->ussd_total_timeout);
    }
}

int
gy_config_load(const char *path, struct gy_config *cfg, char *err, size_t errlen)
{
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    int rc = gy_config_defaults(cfg);
    if (rc != 0)
        return rc;
    FILE *f = fopen(path, "r");
    struct stat st;
    if (f == NULL || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        if (err != NULL)
            snprintf(err, errlen, "%s: cannot open the configuration file: %s", path,
                     f == NULL ? strerror(errno) : "not a regular file");
        if (f != NULL)
            fclose(f);
        return GY_EIO;
    }
    fclose(f);
    if ((cfg->origin.file = strdup(path)) == NULL)
        return GY_ENOMEM;

    config_t conf;
    config_init(&conf);
    char *dir = strdup(path);
    if (dir == NULL) {
        config_destroy(&conf);
        return GY_ENOMEM;
    }
    const char *base_dir = dirname(dir); /* points into dir, or to a static "." */
    config_set_include_dir(&conf, base_dir);
    struct load_ctx lc = {.path = path, .dir = base_dir, .err = err, .errlen = errlen, .cfg = cfg};
    if (config_read_file(&conf, path) != CONFIG_TRUE) {
        const char *file = config_error_file(&conf);
        if (config_error_type(&conf) == CONFIG_ERR_FILE_IO && file == NULL)
            report_at(&lc, path, 1, "cannot read: %s", config_error_text(&conf));
        else
            report_at(&lc, file, config_error_line(&conf), "%s", config_error_text(&conf));
        rc = GY_ECONFIG;
    } else {
        load_group(&lc, gy_config_keys, config_root_setting(&conf), cfg, "");
        if (lc.n_errors == 0 && !lc.oom)
            check_config(&lc, &conf);
        if (lc.oom)
            rc = GY_ENOMEM;
        else if (lc.n_errors > 0)
            rc = GY_ECONFIG;
        else
            rc = gy_config_derive(cfg);
    }
    config_destroy(&conf);
    free(dir);
    return rc;
}
