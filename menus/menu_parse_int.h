/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_parse_int: what the parser's files (menu_parse.c, menu_parse_cfg.c,
 * menu_parse_nodes.c) and menu_script.c share: the parsing context, typed readers of
 * libconfig settings and variable interning. Internal to menus/ (M1); libconfig types
 * appear in no other header. */
#ifndef MENU_PARSE_INT_H
#define MENU_PARSE_INT_H

#include <libconfig.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "menus/menu_model.h"

/* The parsing context: the script being built and where diagnostics go. */
struct menu_pctx {
    struct menu_script *s;
    struct menu_diags *d;
    const char *file; /* of the setting being read */
    const char *node; /* id of the node being read, for messages */
};

/* Adds an error at setting st (file:line of st, or the context's file). */
#define PERR(p, st, ...)                                                                           \
    menu_diags_add((p)->d, MENU_SEV_ERROR, menu_cfg_file(p, st), menu_cfg_line(st), (p)->node,     \
                   __VA_ARGS__)

/* The source file of st (owned by libconfig), or the context's file. */
const char *menu_cfg_file(const struct menu_pctx *p, const config_setting_t *st);
/* The source line of st, or 0. */
int menu_cfg_line(const config_setting_t *st);
/* strdup that passes NULL through; returns a copy owned by the caller. */
char *menu_xstrdup(const char *s);
/* Keeps the file name for the life of the script; returns the copy (owned by s), or "-". */
const char *menu_keep_file(struct menu_script *s, const char *f);
/* Reports every member of group g that is not one of the NULL-terminated names. */
void menu_cfg_check_keys(struct menu_pctx *p, const config_setting_t *g, const char *const *names,
                         const char *what);
/* The string member name of g (owned by libconfig), or NULL (reported when required or
 * mistyped). */
const char *menu_cfg_str(struct menu_pctx *p, const config_setting_t *g, const char *name,
                         bool required);
/* Reads the integer member name of g into out; false when absent or mistyped (reported). */
bool menu_cfg_int(struct menu_pctx *p, const config_setting_t *g, const char *name, long long *out);
/* The boolean member name of g, or dflt when absent or mistyped (reported). */
bool menu_cfg_bool(struct menu_pctx *p, const config_setting_t *g, const char *name, bool dflt);
/* A text: a string (every language) or a group lang = "text"; fills t (copies owned by t). */
void menu_cfg_text(struct menu_pctx *p, const config_setting_t *g, const char *name,
                   struct menu_text *t);
/* A list or array of strings, or one string. Returns a vector of *n_out copies owned by
 * the caller (free with menu_strv_free), or NULL. */
char **menu_cfg_strv(struct menu_pctx *p, const config_setting_t *m, size_t *n_out);
/* Frees n strings of v and v; v NULL is a no-op. */
void menu_strv_free(char **v, size_t n);

/* The index of variable name[0..len) in s, added when new; MENU_NONE when full. */
uint16_t menu_var_intern(struct menu_script *s, const char *name, size_t len, int line);
/* Like menu_var_intern for a name read at setting at; a bad name is reported. */
uint16_t menu_var_ref(struct menu_pctx *p, const config_setting_t *at, const char *name);

/* Reads the "nodes" group m into p->s (names unresolved). */
void menu_parse_nodes(struct menu_pctx *p, const config_setting_t *m);

#endif
