/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_set: a loaded, linted menu script set (every *.menu of a directory, one script) with a version
 * number, reference counted so that a session finishes on the version it started with, and
 * the slot holding the current set, swapped in whole on reload; a bad set never replaces a
 * good one. Single-threaded (the daemon's event loop); no logging: callers log the result. */
#ifndef MENU_SET_H
#define MENU_SET_H

#include <stddef.h>

struct menu_script;          /* menus/menu_model.h */
struct menu_action_registry; /* menus/menu_action.h */

/* One loaded script set; immutable once loaded. Opaque. */
struct menu_set;

/* Diagnostics of a load: the linter's "file:line: node: message" lines, errors first. */
struct menu_set_report {
    char *text;      /* NUL-terminated lines, owned by the struct; "" when clean */
    size_t n_errors;   /* a set with errors is refused */
    size_t n_warnings; /* warnings are kept in text; the set is still accepted */
};
/* Frees what r owns and zeroes it; a zeroed struct is fine. */
void menu_set_report_fini(struct menu_set_report *r);

/* Parses every *.menu of dir (in name order; @include'd files end in .inc) as one script
 * (menu_script_load_dir) and lints it against the action registry reg (borrowed: it must outlive the set; the driver
 * runs actions through it). version is recorded as given (the slot numbers them 1, 2, ...).
 * strict refuses warnings too. On success returns 0 and a new set with one
 * reference owned by the caller (menu_set_unref()); report (may be NULL) receives the
 * warnings. Otherwise returns GY_EPARSE (syntax or lint errors: report says where), GY_EIO
 * (dir cannot be read), GY_ENOMEM; *out is NULL. report is always filled
 * when not NULL and must be released with menu_set_report_fini(). */
int menu_set_load(const char *dir, const struct menu_action_registry *reg, unsigned version,
                  int strict, struct menu_set **out, struct menu_set_report *report);

/* Takes one more reference to s and returns s (NULL gives NULL). */
struct menu_set *menu_set_ref(struct menu_set *s);
/* Drops one reference; the last one frees the set. NULL is a no-op. */
void menu_set_unref(struct menu_set *s);

/* The parsed script of s (every file of the directory as one script; it belongs to s and
 * lives while a reference is held). */
const struct menu_script *menu_set_script(const struct menu_set *s);
/* The registry given at load (borrowed). */
const struct menu_action_registry *menu_set_registry(const struct menu_set *s);
/* The version given at load; the directory it came from (belongs to s). */
unsigned menu_set_version(const struct menu_set *s);
const char *menu_set_dir(const struct menu_set *s);
/* References currently held (for tests and metrics). */
unsigned menu_set_refs(const struct menu_set *s);
/* Microseconds spent parsing and linting the set. */
long menu_set_load_us(const struct menu_set *s);

/* The slot holding the current set: new sessions take it with menu_set_slot_acquire(); reload
 * loads a new set off to the side and swaps it in only when it loads without errors. */
struct menu_set_slot;

/* Returns a new empty slot for dir (copied) owned by the caller (menu_set_slot_free()), or
 * NULL on ENOMEM. reg is borrowed for the slot's life and every set it loads. strict:
 * warnings refuse a set too. */
struct menu_set_slot *menu_set_slot_new(const char *dir, const struct menu_action_registry *reg,
                                        int strict);
/* Drops the slot's reference to its current set (sessions holding one keep it) and frees
 * the slot. NULL is a no-op. */
void menu_set_slot_free(struct menu_set_slot *slot);

/* Loads the slot's directory as version (last version + 1) and, when it loads without
 * errors, makes it current (the previous set loses the slot's reference; sessions still
 * holding it finish on it). On failure the current set stays. Returns 0 or the error of
 * menu_set_load(); report as there (errors of a refused set, warnings of an accepted one). */
int menu_set_slot_reload(struct menu_set_slot *slot, struct menu_set_report *report);

/* The current set with a new reference for the caller (menu_set_unref() when the session
 * ends), or NULL when nothing was ever loaded. */
struct menu_set *menu_set_slot_acquire(struct menu_set_slot *slot);
/* The current set without a reference (valid until the next reload), or NULL. */
const struct menu_set *menu_set_slot_current(const struct menu_set_slot *slot);
/* Reloads that were refused since the slot was made. */
unsigned menu_set_slot_refused(const struct menu_set_slot *slot);

#endif
