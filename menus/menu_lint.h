/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_lint: semantic checks of a parsed menu script (unknown nodes, actions, variables and
 * strings; option keys that clash with navigation keys; regexes; unreachable nodes; loops
 * with no input; missing texts; option lines too long for one USSD page; entries claimed
 * twice). Actions, their argument counts and result names and widths come from the action
 * registry (menu_action.h). Pure: no logging, no I/O except menu_lint_dir's loading. */
#ifndef MENU_LINT_H
#define MENU_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "menus/menu_action.h"
#include "menus/menu_model.h"

struct menu_lint_opts {
    /* The actions scripts may call; NULL: action names, arguments and results are not
     * checked (every call and every variable set by an action is accepted). */
    const struct menu_action_registry *registry;
};

/* Lints s, appending to d. Returns the number of errors added (0: the script can run;
 * warnings do not count). */
size_t menu_lint(const struct menu_script *s, const struct menu_lint_opts *o,
                 struct menu_diags *d);

/* Loads DIR as one script (menu_script_load_dir) and lints it. *out receives the script
 * when it parsed (owned by the caller: menu_script_free()), else NULL. Returns the number
 * of errors (parse and lint) added to d. */
size_t menu_lint_dir(const char *dir, const struct menu_lint_opts *o, struct menu_diags *d,
                     struct menu_script **out);

#endif
