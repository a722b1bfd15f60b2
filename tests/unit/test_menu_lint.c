/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_menu_lint: the linter on tests/data/menus/broken/ (one fault each: the expected
 * finding, file:line, error or warning) and on the good script (clean); and the exit
 * status of `gongyou menu check DIR [--strict]`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "menus/menu_lint.h"

static void
data_dir(const char *sub, char *out, size_t n)
{
    const char *src = getenv("GONGYOU_SOURCE_DIR");
    snprintf(out, n, "%s/tests/data/menus/%s", src ? src : ".", sub);
}

static const struct {
    const char *dir;
    size_t errors, warnings;
    int line;
    const char *msg;
} cases[] = {
    {"good", 0, 0, 0, NULL},
    {"broken/syntax", 1, 0, 10, "syntax error"},
    {"broken/unknown_target", 1, 0, 6, "unknown target node 'nowhere'"},
    {"broken/unknown_action", 2, 0, 7, "unknown action 'points.nope'"},
    {"broken/unknown_variable", 1, 0, 8, "unknown variable 'totl'"},
    {"broken/unknown_string", 1, 0, 9, "unknown string '@farewell'"},
    {"broken/nav_clash", 1, 0, 6, "option key '0' clashes with a navigation key"},
    {"broken/bad_regex", 1, 0, 10, "invalid regex"},
    {"broken/unreachable", 0, 1, 10, "unreachable node"},
    {"broken/loop", 1, 0, 10, "loop with no input: r1 -> s1 -> r1"},
    {"broken/missing_lang", 1, 0, 9, "no text in 'en'"},
    {"broken/long_label", 1, 0, 6, "too long for one USSD page"},
};

static void
test_broken(void **unused)
{
    (void)unused;
    struct menu_action_registry *reg = menu_action_registry_builtin();
    assert_non_null(reg);
    struct menu_lint_opts o = {.registry = reg};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char dir[1024];
        data_dir(cases[i].dir, dir, sizeof(dir));
        struct menu_diags d = {0};
        struct menu_script *s = NULL;
        size_t errors = menu_lint_dir(dir, &o, &d, &s);
        if (errors != cases[i].errors || d.n_warnings != cases[i].warnings) {
            fprintf(stderr, "%s: %zu errors, %zu warnings:\n", cases[i].dir, errors,
                    d.n_warnings);
            menu_diags_print(&d, stderr);
            fail();
        }
        if (cases[i].msg) {
            bool found = false;
            for (size_t k = 0; k < d.n; k++)
                if (strstr(d.v[k].msg, cases[i].msg) && d.v[k].line == cases[i].line &&
                    strstr(d.v[k].file, "main.menu"))
                    found = true;
            if (!found) {
                fprintf(stderr, "%s: no '%s' at line %d:\n", cases[i].dir, cases[i].msg,
                        cases[i].line);
                menu_diags_print(&d, stderr);
            }
            assert_true(found);
        }
        menu_script_free(s);
        menu_diags_fini(&d);
    }
    menu_action_registry_free(reg);
}

/* Without a registry actions are not checked, everything else is. */
static void
test_no_registry(void **unused)
{
    (void)unused;
    char dir[1024];
    data_dir("broken/unknown_action", dir, sizeof(dir));
    struct menu_diags d = {0};
    assert_int_equal(menu_lint_dir(dir, NULL, &d, NULL), 0);
    menu_diags_fini(&d);
    data_dir("broken/nav_clash", dir, sizeof(dir));
    assert_int_equal(menu_lint_dir(dir, NULL, &d, NULL), 1);
    menu_diags_fini(&d);
    data_dir("no/such/dir", dir, sizeof(dir));
    assert_int_equal(menu_lint_dir(dir, NULL, &d, NULL), 1);
    menu_diags_fini(&d);
}

static int
run_check(const char *sub, const char *extra)
{
    const char *bin = getenv("GONGYOU_BIN_DIR");
    char dir[1024], cmd[2600];
    data_dir(sub, dir, sizeof(dir));
    snprintf(cmd, sizeof(cmd), "'%s/gongyou' menu check '%s' %s >/dev/null 2>&1",
             bin ? bin : ".", dir, extra);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
test_cli_exit(void **unused)
{
    (void)unused;
    assert_int_equal(run_check("good", ""), 0);
    assert_int_equal(run_check("good", "--strict"), 0);
    assert_int_equal(run_check("broken/unknown_target", ""), 1);
    assert_int_equal(run_check("broken/syntax", ""), 1);
    assert_int_equal(run_check("broken/unreachable", ""), 0);
    assert_int_equal(run_check("broken/unreachable", "--strict"), 1);
    assert_int_equal(run_check("good", "--bogus"), 2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_broken),
        cmocka_unit_test(test_no_registry),
        cmocka_unit_test(test_cli_exit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
