/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_menu: `gongyou menu check DIR [--strict]`: parses the menu scripts of DIR as one
 * script, lints them against the built-in action registry and prints every finding as
 * "file:line: error|warning: node: message". Exit 1 on errors (or on warnings with
 * --strict), 0 otherwise, 2 on usage errors. Reads no database. */
#include <stdio.h>
#include <string.h>

#include "menus/menu_action.h"
#include "menus/menu_lint.h"
#include "tools/cli.h"

static int
usage(FILE *f)
{
    fprintf(f, "usage: gongyou menu check DIR [--strict]\n"
               "  Lints the menu scripts of DIR (every *.menu, read as one script).\n"
               "  Exit status 1 on errors (and on warnings with --strict), else 0.\n");
    return f == stdout ? CLI_OK : CLI_USAGE;
}

int
cmd_menu(struct cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        return usage(stdout);
    if (argc < 3 || strcmp(argv[1], "check") != 0)
        return usage(stderr);
    const char *dir = NULL;
    bool strict = false;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--strict") == 0)
            strict = true;
        else if (argv[i][0] == '-' || dir)
            return usage(stderr);
        else
            dir = argv[i];
    }
    if (!dir)
        return usage(stderr);
    struct menu_action_registry *reg = menu_action_registry_builtin();
    if (!reg) {
        fprintf(stderr, "gongyou menu: out of memory\n");
        return CLI_FAIL;
    }
    struct menu_lint_opts o = {.registry = reg};
    struct menu_diags d = {0};
    struct menu_script *s = NULL;
    size_t errors = menu_lint_dir(dir, &o, &d, &s);
    menu_diags_print(&d, stdout);
    if (s)
        printf("%s: script '%s' version %d: %zu nodes, %zu entries, %zu strings, %zu languages; "
               "%zu error(s), %zu warning(s)\n",
               dir, s->id ? s->id : "?", s->version, s->n_nodes, s->n_entries, s->n_strings,
               s->n_langs, errors, d.n_warnings);
    else
        printf("%s: %zu error(s)\n", dir, errors ? errors : 1);
    int rc = (errors || !s || (strict && d.n_warnings)) ? CLI_FAIL : CLI_OK;
    menu_script_free(s);
    menu_diags_fini(&d);
    menu_action_registry_free(reg);
    return rc;
}
