/* SPDX-License-Identifier: GPL-3.0-or-later */
/* catalog: parses `key = text` files into per-language tables (file order kept for
 * listing, a sorted index for lookup). Only this file of locale/ reads files; it reports
 * problems through struct catalog_error and never logs. */
#include "locale/catalog.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "locale/text_utf8.h"

#define MAX_FILE_BYTES ((size_t)1 << 20)

struct cat_lang {
    char lang[CATALOG_MAX_LANG];
    char **keys; /* file order */
    char **vals;
    size_t *sorted; /* indexes sorted by key */
    size_t n, cap;
};

struct catalog {
    struct cat_lang **langs;
    size_t n_langs;
};

static void
set_err(struct catalog_error *err, const char *file, int line, const char *msg)
{
    if (!err)
        return;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    snprintf(err->msg, sizeof err->msg, "%s", msg);
}

static void
lang_free(struct cat_lang *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->keys[i]);
        free(l->vals[i]);
    }
    free(l->keys);
    free(l->vals);
    free(l->sorted);
    free(l);
}

struct catalog *
catalog_new(void)
{
    return calloc(1, sizeof(struct catalog));
}

void
catalog_free(struct catalog *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_langs; i++)
        lang_free(c->langs[i]);
    free(c->langs);
    free(c);
}

static int
lang_valid(const char *lang)
{
    size_t n = lang ? strlen(lang) : 0;
    if (n < 2 || n >= CATALOG_MAX_LANG)
        return 0;
    size_t i = 0;
    while (i < n && lang[i] >= 'a' && lang[i] <= 'z')
        i++;
    if (i < 2 || i > 3)
        return 0;
    if (i == n)
        return 1;
    if (lang[i] != '-' || i + 1 == n)
        return 0;
    for (i++; i < n; i++) {
        char ch = lang[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')))
            return 0;
    }
    return 1;
}

static int
key_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' ||
           ch == '-';
}

static const struct cat_lang *
lang_find(const struct catalog *c, const char *lang)
{
    for (size_t i = 0; c && lang && i < c->n_langs; i++)
        if (strcmp(c->langs[i]->lang, lang) == 0)
            return c->langs[i];
    return NULL;
}

static long
lang_index(const struct cat_lang *l, const char *key)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = strcmp(l->keys[l->sorted[mid]], key);
        if (d == 0)
            return (long)l->sorted[mid];
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Inserts key into the sorted index of l (insertion keeps it sorted; files are small). */
static int
lang_add(struct cat_lang *l, char *key, char *val)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **k = realloc(l->keys, cap * sizeof *k);
        if (!k)
            return GY_ENOMEM;
        l->keys = k;
        char **v = realloc(l->vals, cap * sizeof *v);
        if (!v)
            return GY_ENOMEM;
        l->vals = v;
        size_t *s = realloc(l->sorted, cap * sizeof *s);
        if (!s)
            return GY_ENOMEM;
        l->sorted = s;
        l->cap = cap;
    }
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(l->keys[l->sorted[mid]], key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove(&l->sorted[lo + 1], &l->sorted[lo], (l->n - lo) * sizeof *l->sorted);
    l->sorted[lo] = l->n;
    l->keys[l->n] = key;
    l->vals[l->n] = val;
    l->n++;
    return 0;
}

/* Unescapes v[0..n) into a new string; sets *bad on an unknown escape. */
static char *
unescape(const char *v, size_t n, const char **bad)
{
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    size_t o = 0;
    *bad = NULL;
    for (size_t i = 0; i < n; i++) {
        if (v[i] != '\\') {
            s[o++] = v[i];
            continue;
        }
        char e = i + 1 < n ? v[++i] : '\0';
        switch (e) {
        case 'n':
            s[o++] = '\n';
            break;
        case 't':
            s[o++] = '\t';
            break;
        case 's':
            s[o++] = ' ';
            break;
        case '\\':
            s[o++] = '\\';
            break;
        default:
            *bad = e ? "unknown escape (use \\n \\t \\s \\\\)" : "backslash at end of line";
            free(s);
            return NULL;
        }
    }
    s[o] = '\0';
    return s;
}

/* Parses one line into l. Returns 0 (also for blanks and comments), GY_EPARSE with *why set,
 * or GY_ENOMEM. */
static int
parse_line(struct cat_lang *l, const char *p, size_t n, const char **why)
{
    if (n && p[n - 1] == '\r')
        n--;
    if (text_utf8_validate(p, n, NULL) != 0) {
        *why = "invalid UTF-8";
        return GY_EPARSE;
    }
    for (size_t i = 0; i < n; i++) {
        if (((unsigned char)p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7F) {
            *why = "control character";
            return GY_EPARSE;
        }
    }
    while (n && (*p == ' ' || *p == '\t')) {
        p++;
        n--;
    }
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (n == 0 || *p == '#')
        return 0;
    const char *eq = memchr(p, '=', n);
    if (!eq) {
        *why = "expected `key = text`";
        return GY_EPARSE;
    }
    size_t kn = (size_t)(eq - p);
    while (kn && (p[kn - 1] == ' ' || p[kn - 1] == '\t'))
        kn--;
    if (kn == 0) {
        *why = "empty key";
        return GY_EPARSE;
    }
    for (size_t i = 0; i < kn; i++) {
        if (!key_char(p[i])) {
            *why = "key may hold only a-z 0-9 _ . -";
            return GY_EPARSE;
        }
    }
    const char *v = eq + 1;
    size_t vn = (size_t)(p + n - v);
    while (vn && (*v == ' ' || *v == '\t')) {
        v++;
        vn--;
    }
    if (vn == 0) {
        *why = "empty text";
        return GY_EPARSE;
    }
    char *key = strndup(p, kn);
    if (!key)
        return GY_ENOMEM;
    if (lang_index(l, key) >= 0) {
        free(key);
        *why = "duplicate key";
        return GY_EPARSE;
    }
    char *val = unescape(v, vn, why);
    if (!val) {
        free(key);
        return *why ? GY_EPARSE : GY_ENOMEM;
    }
    int rc = lang_add(l, key, val);
    if (rc != 0) {
        free(key);
        free(val);
    }
    return rc;
}

int
catalog_load_text(struct catalog *c, const char *lang, const char *name, const char *text,
                  size_t len, struct catalog_error *err)
{
    if (!c || !lang_valid(lang) || (!text && len)) {
        set_err(err, name, 0, "bad language name or arguments");
        return GY_EINVAL;
    }
    struct cat_lang *l = calloc(1, sizeof *l);
    if (!l)
        return GY_ENOMEM;
    snprintf(l->lang, sizeof l->lang, "%s", lang);
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    size_t pos = 0;
    int line = 0;
    while (pos < len) {
        line++;
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        const char *why = NULL;
        int rc = parse_line(l, text + pos, n, &why);
        if (rc != 0) {
            set_err(err, name, line, rc == GY_EPARSE ? why : gy_strerror(rc));
            lang_free(l);
            return rc;
        }
        pos += n + (nl ? 1 : 0);
    }
    for (size_t i = 0; i < c->n_langs; i++) {
        if (strcmp(c->langs[i]->lang, lang) == 0) {
            lang_free(c->langs[i]);
            c->langs[i] = l;
            return 0;
        }
    }
    struct cat_lang **ls = realloc(c->langs, (c->n_langs + 1) * sizeof *ls);
    if (!ls) {
        lang_free(l);
        return GY_ENOMEM;
    }
    c->langs = ls;
    c->langs[c->n_langs++] = l;
    return 0;
}

int
catalog_load_file(struct catalog *c, const char *lang, const char *path, struct catalog_error *err)
{
    if (!c || !path) {
        set_err(err, path, 0, "bad arguments");
        return GY_EINVAL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        set_err(err, path, 0, strerror(errno));
        return GY_EIO;
    }
    char *buf = malloc(MAX_FILE_BYTES + 1);
    if (!buf) {
        fclose(f);
        return GY_ENOMEM;
    }
    size_t n = fread(buf, 1, MAX_FILE_BYTES + 1, f);
    int bad = ferror(f);
    fclose(f);
    int rc;
    if (bad) {
        set_err(err, path, 0, "read error");
        rc = GY_EIO;
    } else if (n > MAX_FILE_BYTES) {
        set_err(err, path, 0, "file larger than 1 MiB");
        rc = GY_EPARSE;
    } else {
        rc = catalog_load_text(c, lang, path, buf, n, err);
    }
    free(buf);
    return rc;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int
catalog_load_dir(struct catalog *c, const char *dir, struct catalog_error *err)
{
    if (!c || !dir) {
        set_err(err, dir, 0, "bad arguments");
        return GY_EINVAL;
    }
    DIR *d = opendir(dir);
    if (!d) {
        set_err(err, dir, 0, strerror(errno));
        return GY_EIO;
    }
    char **names = NULL;
    size_t n = 0;
    int rc = 0, have_zh = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len < 5 || strcmp(de->d_name + len - 4, ".cat") != 0)
            continue;
        char lang[CATALOG_MAX_LANG];
        if (len - 4 >= sizeof lang)
            continue;
        memcpy(lang, de->d_name, len - 4);
        lang[len - 4] = '\0';
        if (!lang_valid(lang))
            continue;
        char **nn = realloc(names, (n + 1) * sizeof *nn);
        if (!nn || !(nn[n] = strdup(lang))) {
            names = nn ? nn : names;
            rc = GY_ENOMEM;
            break;
        }
        names = nn;
        have_zh |= strcmp(lang, CATALOG_FALLBACK_LANG) == 0;
        n++;
    }
    closedir(d);
    if (rc == 0 && !have_zh) {
        set_err(err, dir, 0, "no " CATALOG_FALLBACK_LANG ".cat (the fallback language)");
        rc = GY_ENOTFOUND;
    }
    if (rc == 0 && n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char path[4096];
        if ((size_t)snprintf(path, sizeof path, "%s/%s.cat", dir, names[i]) >= sizeof path) {
            set_err(err, dir, 0, "path too long");
            rc = GY_EINVAL;
            break;
        }
        rc = catalog_load_file(c, names[i], path, err);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int
catalog_has(const struct catalog *c, const char *lang, const char *key)
{
    const struct cat_lang *l = lang_find(c, lang);
    return l && key && lang_index(l, key) >= 0;
}

const char *
catalog_get(const struct catalog *c, const char *lang, const char *key)
{
    if (!c || !key)
        return NULL;
    const struct cat_lang *l = lang_find(c, lang ? lang : CATALOG_FALLBACK_LANG);
    long i = l ? lang_index(l, key) : -1;
    if (i < 0 && lang && strcmp(lang, CATALOG_FALLBACK_LANG) != 0) {
        l = lang_find(c, CATALOG_FALLBACK_LANG);
        i = l ? lang_index(l, key) : -1;
    }
    return i >= 0 ? l->vals[i] : NULL;
}

size_t
catalog_lang_count(const struct catalog *c)
{
    return c ? c->n_langs : 0;
}

const char *
catalog_lang_at(const struct catalog *c, size_t i)
{
    return c && i < c->n_langs ? c->langs[i]->lang : NULL;
}

size_t
catalog_key_count(const struct catalog *c, const char *lang)
{
    const struct cat_lang *l = lang_find(c, lang);
    return l ? l->n : 0;
}

const char *
catalog_key_at(const struct catalog *c, const char *lang, size_t i)
{
    const struct cat_lang *l = lang_find(c, lang);
    return l && i < l->n ? l->keys[i] : NULL;
}

char *
catalog_expand(const char *tmpl, const char *const (*vars)[2], size_t n_vars, size_t *n_unknown)
{
    if (!tmpl || (!vars && n_vars))
        return NULL;
    if (n_unknown)
        *n_unknown = 0;
    struct text_buf b;
    text_buf_init(&b);
    int rc = text_buf_reserve(&b, strlen(tmpl));
    const char *p = tmpl;
    while (rc == 0 && *p) {
        const char *d = strchr(p, '$');
        if (!d) {
            rc = text_buf_put(&b, p, strlen(p));
            break;
        }
        rc = text_buf_put(&b, p, (size_t)(d - p));
        if (rc != 0)
            break;
        if (d[1] == '$') {
            rc = text_buf_put(&b, "$", 1);
            p = d + 2;
            continue;
        }
        const char *end = d[1] == '{' ? strchr(d + 2, '}') : NULL;
        if (!end) {
            if (d[1] == '{' && n_unknown)
                (*n_unknown)++;
            rc = text_buf_put(&b, "$", 1);
            p = d + 1;
            continue;
        }
        size_t nl = (size_t)(end - (d + 2));
        const char *val = NULL;
        for (size_t i = 0; i < n_vars; i++) {
            if (vars[i][0] && strlen(vars[i][0]) == nl && memcmp(vars[i][0], d + 2, nl) == 0) {
                val = vars[i][1] ? vars[i][1] : "";
                break;
            }
        }
        if (val) {
            rc = text_buf_put(&b, val, strlen(val));
        } else {
            if (n_unknown)
                (*n_unknown)++;
            rc = text_buf_put(&b, d, (size_t)(end - d + 1));
        }
        p = end + 1;
    }
    if (rc != 0) {
        text_buf_fini(&b);
        return NULL;
    }
    if (!b.data) /* empty template */
        return strdup("");
    return b.data; /* ownership moves to the caller */
}
