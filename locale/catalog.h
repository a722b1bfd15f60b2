/* SPDX-License-Identifier: GPL-3.0-or-later */
/* catalog: system texts (errors, help, unknown keyword, rate limit, unregistered number,
 * opt-out ...) per language, loaded from locale/catalogs/LANG.cat, looked up with fallback
 * to Chinese ("zh"). The loader reads files and reports errors with file and line; it
 * never logs. Texts are UTF-8 and may hold ${name} placeholders (catalog_expand).
 *
 * File format (UTF-8, an optional BOM at the start):
 *   # a comment line            (also blank lines)
 *   key = text                  key: [a-z0-9_.-]+, text trimmed of surrounding blanks
 *   key2 = line one\nline two   escapes: \n newline, \t tab, \\ backslash, \s a space
 * A key appears once per file; a line without '=' or with an empty key or text, invalid
 * UTF-8, a control character or an unknown escape is an error at that line. */
#ifndef CATALOG_H
#define CATALOG_H

#include <stddef.h>

#define CATALOG_FALLBACK_LANG "zh"
#define CATALOG_MAX_LANG      16

/* Where loading failed: file, 1-based line (0 when the whole file is at fault) and why. */
struct catalog_error {
    char file[256];
    int line;
    char msg[128];
};

struct catalog;

/* Returns a new empty catalog set owned by the caller; free with catalog_free(). NULL on
 * ENOMEM. */
struct catalog *catalog_new(void);
/* Frees c; NULL is a no-op. */
void catalog_free(struct catalog *c);

/* Loads the file at path as language lang ([a-z]{2,3}(-[A-Za-z0-9]+)?, at most
 * CATALOG_MAX_LANG-1 bytes), replacing an earlier load of lang only when the whole file is
 * good. Returns 0, GY_EIO (cannot read), GY_EPARSE (bad content; err says where),
 * GY_EINVAL (bad lang), GY_ENOMEM. err may be NULL. */
int catalog_load_file(struct catalog *c, const char *lang, const char *path,
                      struct catalog_error *err);
/* Same, from text[0..len) already in memory; name is used in err->file. */
int catalog_load_text(struct catalog *c, const char *lang, const char *name, const char *text,
                      size_t len, struct catalog_error *err);
/* Loads every DIR/LANG.cat (LANG as above). Stops at the first error. Returns 0, GY_ENOTFOUND
 * when DIR has no zh.cat, or the error of catalog_load_file(). */
int catalog_load_dir(struct catalog *c, const char *dir, struct catalog_error *err);

/* The text of key in lang, else in CATALOG_FALLBACK_LANG, else NULL. lang NULL means the
 * fallback. The string belongs to c and lives until c is freed or lang is reloaded. */
const char *catalog_get(const struct catalog *c, const char *lang, const char *key);
/* 1 when lang itself (no fallback) has key, else 0. */
int catalog_has(const struct catalog *c, const char *lang, const char *key);

/* Languages loaded and the keys of one, in file order, for checks and tests. */
size_t catalog_lang_count(const struct catalog *c);
const char *catalog_lang_at(const struct catalog *c, size_t i);
size_t catalog_key_count(const struct catalog *c, const char *lang);
const char *catalog_key_at(const struct catalog *c, const char *lang, size_t i);

/* Expands ${name} in tmpl with vars, an array of n_vars {name, value} pairs; "$$" gives "$".
 * An unknown name or an unterminated "${" is left as it is and counted in *n_unknown (when
 * not NULL). Returns a new string owned by the caller (free()) or NULL on ENOMEM or bad
 * arguments. */
char *catalog_expand(const char *tmpl, const char *const (*vars)[2], size_t n_vars,
                     size_t *n_unknown);

#endif
