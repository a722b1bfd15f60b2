/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_engine_int: what the engine (menu_engine.c, menu_engine_vars.c,
 * menu_engine_input.c), the renderer (menu_render.c) and the linter share: variable slots
 * of a state, template expansion, text choice per language, and page building. Internal
 * to menus/ (M1). */
#ifndef MENU_ENGINE_INT_H
#define MENU_ENGINE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "menus/menu_engine.h"

/* A growing byte buffer with a fixed capacity (truncates, never overflows). */
struct mbuf {
    char *p;
    size_t len, cap;
};
void mbuf_put(struct mbuf *b, const char *s, size_t n);
void mbuf_puts(struct mbuf *b, const char *s);

/* Slot of (var, item) in st, or -1. */
int menu_slot_find(const struct menu_state *st, uint16_t var, uint8_t item);
/* Stores a value; text copied into the arena. Returns 0 or GY_ETOOBIG. */
int menu_slot_set(struct menu_state *st, uint16_t var, uint8_t item, enum menu_type type,
                  int64_t num, const char *text, size_t len);
void menu_slot_del(struct menu_state *st, int i);
/* The value of var (item) with `lang` answered from the session. Returns false when unset. */
bool menu_var_view(const struct menu_script *s, const struct menu_state *st, uint16_t var,
                   uint8_t item, struct menu_view *out);

/* Stores a value into var of st; `lang` switches the state's language instead (a value
 * that is not a declared language is ignored). Text is copied. */
void menu_set_value(const struct menu_script *s, struct menu_state *st, uint16_t var,
                    enum menu_type type, int64_t num, const char *text, size_t len);
/* Stores the values of an action result (vals may be NULL) as a new generation of slots;
 * a list replaces an earlier list of that name and its items. Values copied. */
void menu_store_values(const struct menu_script *s, struct menu_state *st,
                       const struct menu_values *vals);

/* Trims in[0..len) and folds full-width ASCII (U+FF01..FF5E) and U+3000 into out (n bytes,
 * NUL-terminated). Returns the length written. */
size_t menu_input_normalise(const char *in, size_t len, char *out, size_t n);
/* Navigation or option key equality, ASCII case-insensitive. */
bool menu_key_eq(const char *a, const char *b);
/* Parses all of t[0..len) as a decimal integer; false when it is not one. */
bool menu_parse_i64(const char *t, size_t len, int64_t *out);
/* Whether condition c holds on the state's variables. */
bool menu_cond_true(const struct menu_script *s, const struct menu_state *st,
                    const struct menu_cond *c);
/* Checks input t[0..len) against v (today for ID numbers); sets *type and *num to the
 * value to store (text, integer or date in days). */
bool menu_input_validate(const struct menu_validate *v, const char *t, size_t len,
                         struct gy_date today, enum menu_type *type, int64_t *num);

/* The template of t in language li (falling back to the default language, then to any),
 * with an "@name" reference followed; NULL when there is none. */
const char *menu_text_pick(const struct menu_script *s, const struct menu_text *t, size_t li);
/* A shared string by name in language li, or the built-in default dflt_zh / dflt_en. */
const char *menu_string_or(const struct menu_script *s, const char *name, size_t li,
                           const char *dflt_zh, const char *dflt_en);
/* Expands ${var} (and $$) of tmpl into b, formatting values for language li. When
 * widths is not NULL, a variable is replaced by widths(var) placeholder characters instead
 * (the linter's worst case). */
void menu_expand(const struct menu_script *s, const struct menu_state *st, size_t li,
                 const char *tmpl, struct mbuf *b, int (*widths)(void *, uint16_t), void *wctx);

/* Page budget of the state's channel in coding (units). */
size_t menu_budget(const struct menu_state *st, enum text_coding coding);
/* Units of utf8 in coding, or (size_t)-1 when the coding cannot carry it. */
size_t menu_units(const char *utf8, size_t len, enum text_coding coding);

/* One screen to paginate: prefix (error, first page only), body (split at 。，；\n and
 * spaces), lines (options, never split unless one alone is over a page), footer pieces. */
struct menu_screen {
    const char *prefix;
    size_t prefix_len;
    const char *body;
    size_t body_len;
    const char *lines[64];
    size_t line_len[64];
    size_t n_lines;
    char more[64];   /* "9.更多" */
    char back[64];   /* "0.返回" or "" when back is not offered */
    bool back_first; /* back shown on the first page too (there is a history) */
};

/* Renders page `page` of scr into out (text, len, coding, units, page, n_pages) for st's
 * channel. A page past the last gives the last. */
void menu_paginate(const struct menu_state *st, const struct menu_screen *scr, int page,
                   struct menu_output *out);

#endif
