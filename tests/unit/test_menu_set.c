/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of menu_set (load, refcount, the slot's reload) and menu_run (the driver): sessions
 * in progress keep the version they started on while new sets are swapped in; broken sets
 * (syntax, lint) are refused with their errors and the old set stays; many sessions over
 * many reloads all finish and free every version; actions run through a registry of fakes
 * (results fed back, SQLite interrupted at the deadline, late results become "timeout"). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/gy_err.h"
#include "db/db_store.h"
#include "menus/menu_action.h"
#include "menus/menu_run.h"
#include "menus/menu_set.h"
#include "test_tmpdir.h"

/* ----- Scripts written into a temporary directory ----- */

#define HEAD                                                                                \
    "script = { id = \"t\"; version = 1; default_lang = \"zh\"; langs = [\"zh\", \"en\"];\n" \
    "  start = \"main\"; nav = { back = \"0\"; home = \"00\"; more = \"9\"; }; };\n"         \
    "entry = ( { ussd = \"*188#\"; node = \"main\"; }, { sms = [\"TT\"]; node = \"main\"; } );\n"

#define COMMON                                                                              \
    "  slow = { type = \"action\"; call = \"test.slow\"; deadline_ms = 50; on_ok = \"ok\";\n" \
    "    on_error = \"failed\"; };\n"                                                        \
    "  echo = { type = \"action\"; call = \"test.echo\"; args = [\"=hello\"];\n"             \
    "    on_ok = \"echoed\"; on_error = \"failed\"; };\n"                                    \
    "  echoed = { type = \"end\"; text = { zh = \"回声${said}\"; en = \"echo ${said}\"; }; };\n" \
    "  ok = { type = \"end\"; text = { zh = \"完成\"; en = \"done\"; }; };\n"                \
    "  failed = { type = \"end\"; text = { zh = \"失败${error}\"; en = \"failed ${error}\"; }; };\n"

#define OPTIONS(next1)                                                                         \
    "    options = ( { key = \"1\"; label = { zh = \"下一步\"; en = \"next\"; }; next = \"" next1 \
    "\"; },\n"                                                                                 \
    "      { key = \"2\"; label = { zh = \"慢\"; en = \"slow\"; }; next = \"slow\"; },\n"        \
    "      { key = \"3\"; label = { zh = \"回声\"; en = \"echo\"; }; next = \"echo\"; } ); };\n"

static const char script_v1[] =
    HEAD "nodes = {\n"
         "  main = { type = \"menu\"; text = { zh = \"版本一\"; en = \"version one\"; };\n" OPTIONS(
             "second") "  second = { type = \"end\"; text = { zh = \"一之二\"; en = \"one-two\"; }; };\n" COMMON
         "};\n";

/* v2 drops node "second": a v1 session going there proves it still runs on v1. */
static const char script_v2[] =
    HEAD "nodes = {\n"
         "  main = { type = \"menu\"; text = { zh = \"版本二\"; en = \"version two\"; };\n" OPTIONS(
             "third") "  third = { type = \"end\"; text = { zh = \"二之三\"; en = \"two-three\"; }; };\n" COMMON
         "};\n";

/* Broken one way each. */
static const char script_syntax[] = HEAD "nodes = {\n  main = { type = \"menu\" \n};\n";
static const char script_unknown_next[] =
    HEAD "nodes = {\n"
         "  main = { type = \"menu\"; text = { zh = \"坏\"; en = \"bad\"; };\n" OPTIONS(
             "nowhere") COMMON "};\n";
static const char script_unknown_action[] =
    HEAD "nodes = {\n"
         "  main = { type = \"menu\"; text = { zh = \"坏\"; en = \"bad\"; };\n" OPTIONS("second")
         "  second = { type = \"action\"; call = \"no.such\"; on_ok = \"ok\"; on_error = "
         "\"failed\"; };\n" COMMON "};\n";

/* ----- Fake actions ----- */

static int
fake_echo(const struct menu_action_ctx *ctx, const struct menu_value *args, size_t n_args,
          struct menu_values *out)
{
    (void)ctx;
    assert_int_equal(n_args, 1);
    return menu_values_set_text(out, "said", args[0].text);
}

/* A query that would run for many seconds: only the deadline's interrupt ends it early. */
static int
fake_slow(const struct menu_action_ctx *ctx, const struct menu_value *args, size_t n_args,
          struct menu_values *out)
{
    (void)args;
    (void)n_args;
    (void)out;
    static const char sql[] = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                              "LIMIT 2000000000) SELECT count(*) FROM c";
    sqlite3_stmt *st = db_stmt(ctx->db, sql);
    if (st == NULL)
        return GY_EDB;
    int rc = sqlite3_step(st);
    db_stmt_done(st);
    return rc == SQLITE_ROW ? 0 : GY_EDB;
}

static const struct menu_arg_spec echo_args[] = {{"word", MENU_VT_TEXT, false}};
static const struct menu_result_spec echo_results[] = {{.name = "said", .type = MENU_VT_TEXT,
                                                        .max_width = 20}};
static const struct menu_action_def fake_defs[] = {
    {.name = "test.echo", .doc = "echoes its argument", .args = echo_args, .n_args = 1,
     .results = echo_results, .n_results = 1, .fn = fake_echo},
    {.name = "test.slow", .doc = "a query that takes seconds", .fn = fake_slow},
};

/* ----- Fixture ----- */

struct fx {
    char dir[256];
    char menus[300];
    char dbpath[300];
    struct db *db;
    struct menu_action_registry *reg;
    struct menu_run_env env;
};

static void
write_script(struct fx *f, const char *text)
{
    char path[400];
    assert_int_equal(test_tmpdir_path(path, sizeof(path), f->menus, "main.menu"), 0);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_int_equal(fputs(text, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
}

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    assert_int_equal(test_tmpdir_make(f->dir, sizeof(f->dir), "gy-menu-set-"), 0);
    assert_int_equal(test_tmpdir_path(f->menus, sizeof(f->menus), f->dir, "menus"), 0);
    assert_int_equal(mkdir(f->menus, 0700), 0);
    assert_int_equal(test_tmpdir_path(f->dbpath, sizeof(f->dbpath), f->dir, "t.db"), 0);
    assert_int_equal(db_open(f->dbpath, DB_OPEN_CREATE, &f->db, NULL, 0), 0);
    f->reg = menu_action_registry_new();
    assert_non_null(f->reg);
    for (size_t i = 0; i < sizeof(fake_defs) / sizeof(fake_defs[0]); i++)
        assert_int_equal(menu_action_registry_add(f->reg, &fake_defs[i]), 0);
    f->env.db = f->db;
    f->env.today = (struct gy_date){2026, 11, 28};
    f->env.msisdn = "8613800138000";
    write_script(f, script_v1);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;
    db_close(f->db);
    test_tmpdir_remove(f->dir);
    menu_action_registry_free(f->reg);
    free(f);
    return 0;
}

static struct menu_set_slot *
slot_loaded(struct fx *f)
{
    struct menu_set_slot *slot = menu_set_slot_new(f->menus, f->reg, 0);
    assert_non_null(slot);
    struct menu_set_report rep = {0};
    int rc = menu_set_slot_reload(slot, &rep);
    if (rc != 0)
        fail_msg("the test script does not load: %s\n%s", gy_strerror(rc), rep.text);
    menu_set_report_fini(&rep);
    return slot;
}

static void
start(struct fx *f, struct menu_set_slot *slot, struct menu_session *ss, const char *code,
      const char *lang, struct menu_run_reply *r)
{
    struct menu_set *set = menu_set_slot_acquire(slot);
    assert_non_null(set);
    assert_int_equal(menu_run_start(ss, set, MENU_CH_USSD, code, lang, &f->env, r), 0);
    menu_set_unref(set);
}

static void
input(struct fx *f, struct menu_session *ss, const char *text, struct menu_run_reply *r)
{
    int rc = menu_run_input(ss, text, &f->env, r);
    if (rc != 0)
        fail_msg("input '%s': %s", text, gy_strerror(rc));
}

#define assert_has(text, needle)                                                           \
    do {                                                                                   \
        if (strstr((text), (needle)) == NULL)                                              \
            fail_msg("expected '%s' in:\n%s", (needle), (text));                           \
    } while (0)

/* ----- Tests ----- */

static void
test_reload_keeps_sessions(void **state)
{
    struct fx *f = *state;
    struct menu_set_slot *slot = slot_loaded(f);
    struct menu_run_reply r;
    struct menu_session a = {0}, b = {0};
    start(f, slot, &a, "*188#", NULL, &r);
    assert_has(r.text, "版本一");
    assert_false(r.final);
    const struct menu_set *v1 = a.set;
    assert_int_equal(menu_set_version(v1), 1);
    assert_int_equal(menu_set_refs(v1), 2); /* the slot and session a */

    write_script(f, script_v2);
    struct menu_set_report rep = {0};
    assert_int_equal(menu_set_slot_reload(slot, &rep), 0);
    assert_int_equal(rep.n_errors, 0);
    menu_set_report_fini(&rep);
    assert_int_equal(menu_set_version(menu_set_slot_current(slot)), 2);
    assert_int_equal(menu_set_refs(v1), 1); /* only session a holds v1 now */

    start(f, slot, &b, "*188#", "en", &r);
    assert_has(r.text, "version two");
    assert_int_equal(menu_set_version(b.set), 2);

    input(f, &a, "1", &r); /* v1's node "second", which v2 no longer has */
    assert_has(r.text, "一之二");
    assert_true(r.final);
    assert_false(menu_session_active(&a)); /* v1 freed here (ASan would see a leak or UAF) */

    input(f, &b, "1", &r);
    assert_has(r.text, "two-three");
    assert_true(r.final);
    assert_int_equal(menu_set_refs(menu_set_slot_current(slot)), 1);
    menu_set_slot_free(slot);
}

static void
test_reload_refuses_broken(void **state)
{
    struct fx *f = *state;
    static const struct {
        const char *script;
        const char *expect; /* in the report */
    } cases[] = {
        {script_syntax, "main.menu:"},
        {script_unknown_next, "nowhere"},
        {script_unknown_action, "no.such"},
    };
    struct menu_set_slot *slot = slot_loaded(f);
    struct menu_run_reply r;
    struct menu_session a = {0};
    start(f, slot, &a, "*188#", NULL, &r);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        write_script(f, cases[i].script);
        struct menu_set_report rep = {0};
        int rc = menu_set_slot_reload(slot, &rep);
        assert_int_equal(rc, GY_EPARSE);
        assert_true(rep.n_errors > 0);
        assert_non_null(rep.text);
        assert_has(rep.text, cases[i].expect);
        menu_set_report_fini(&rep);
        assert_int_equal(menu_set_version(menu_set_slot_current(slot)), 1);
        assert_int_equal(menu_set_slot_refused(slot), i + 1);
        /* New sessions still get the good set. */
        struct menu_session n = {0};
        start(f, slot, &n, "*188#", NULL, &r);
        assert_has(r.text, "版本一");
        menu_session_end(&n);
    }
    input(f, &a, "1", &r);
    assert_has(r.text, "一之二");
    /* A good set after the broken ones is taken as version 2. */
    write_script(f, script_v2);
    assert_int_equal(menu_set_slot_reload(slot, NULL), 0);
    assert_int_equal(menu_set_version(menu_set_slot_current(slot)), 2);
    /* A directory that cannot be read. */
    struct menu_set *s = NULL;
    assert_int_equal(menu_set_load("/nonexistent/gongyou-menus", f->reg, 1, 0, &s, NULL),
                     GY_EIO);
    assert_null(s);
    menu_set_slot_free(slot);
}

/* 200 sessions started over 20 reloads (alternating scripts), stepped in interleaved order:
 * every session sees the texts of its own version, and every version is freed. */
static void
test_many_sessions_over_reloads(void **state)
{
    struct fx *f = *state;
    enum { N = 200, PER = 10 };
    struct menu_session *ss = calloc(N, sizeof(*ss));
    unsigned *ver = calloc(N, sizeof(*ver));
    assert_non_null(ss);
    assert_non_null(ver);
    struct menu_set_slot *slot = slot_loaded(f);
    struct menu_run_reply r;
    for (int i = 0; i < N; i++) {
        if (i > 0 && i % PER == 0) {
            write_script(f, (i / PER) % 2 ? script_v2 : script_v1);
            assert_int_equal(menu_set_slot_reload(slot, NULL), 0);
        }
        start(f, slot, &ss[i], "*188#", NULL, &r);
        ver[i] = menu_set_version(ss[i].set);
        assert_has(r.text, ver[i] % 2 ? "版本一" : "版本二");
    }
    assert_int_equal(menu_set_version(menu_set_slot_current(slot)), N / PER);
    for (int k = 0; k < N; k++) {
        int i = (k * 37) % N; /* interleaved, not in start order */
        input(f, &ss[i], "1", &r);
        assert_true(r.final);
        assert_has(r.text, ver[i] % 2 ? "一之二" : "二之三");
    }
    assert_int_equal(menu_set_refs(menu_set_slot_current(slot)), 1);
    menu_set_slot_free(slot);
    free(ss);
    free(ver);
}

static void
test_actions_and_deadline(void **state)
{
    struct fx *f = *state;
    struct menu_set_slot *slot = slot_loaded(f);
    struct menu_run_reply r;
    struct menu_session a = {0};
    static const struct {
        const char *lang, *key, *expect;
        unsigned late;
    } cases[] = {
        {NULL, "3", "回声hello", 0},
        {"en", "3", "echo hello", 0},
        {NULL, "2", "失败timeout", 1},
        {"en", "2", "failed timeout", 1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        start(f, slot, &a, "*188#", cases[i].lang, &r);
        input(f, &a, cases[i].key, &r);
        assert_has(r.text, cases[i].expect);
        assert_true(r.final);
        assert_int_equal(r.actions, 1);
        assert_int_equal(r.late, cases[i].late);
    }
    /* The environment's cap shortens a script deadline too. */
    f->env.deadline_ms = 10;
    start(f, slot, &a, "*188#", NULL, &r);
    input(f, &a, "2", &r);
    assert_int_equal(r.late, 1);
    f->env.deadline_ms = 0;
    /* The connection is usable after an interrupt. */
    start(f, slot, &a, "*188#", NULL, &r);
    input(f, &a, "3", &r);
    assert_has(r.text, "回声hello");
    menu_set_slot_free(slot);
}

static void
test_entries_and_states(void **state)
{
    struct fx *f = *state;
    struct menu_set_slot *slot = slot_loaded(f);
    struct menu_set *set = menu_set_slot_acquire(slot);
    struct menu_run_reply r;
    struct menu_session a = {0};
    /* No entry: GY_ENOTFOUND, and the session in progress is untouched. */
    assert_int_equal(menu_run_start(&a, set, MENU_CH_USSD, "*188#", NULL, &f->env, &r), 0);
    assert_int_equal(menu_run_start(&a, set, MENU_CH_USSD, "*999#", NULL, &f->env, &r),
                     GY_ENOTFOUND);
    assert_int_equal(menu_run_start(&a, set, MENU_CH_USSD, "TT", NULL, &f->env, &r),
                     GY_ENOTFOUND);
    assert_true(menu_session_active(&a));
    /* SMS keyword, case- and width-insensitive. */
    struct menu_session b = {0};
    assert_int_equal(menu_run_start(&b, set, MENU_CH_SMS, "ｔｔ", NULL, &f->env, &r), 0);
    assert_has(r.text, "版本一");
    /* Input to an ended session. */
    input(f, &a, "1", &r);
    assert_true(r.final);
    assert_int_equal(menu_run_input(&a, "1", &f->env, &r), GY_ESTATE);
    assert_int_equal(menu_run_timeout(&a, &f->env, &r), GY_ESTATE);
    /* Ending twice is harmless; bad arguments are refused. */
    menu_session_end(&b);
    menu_session_end(&b);
    assert_int_equal(menu_run_start(&a, NULL, MENU_CH_USSD, "*188#", NULL, &f->env, &r),
                     GY_EINVAL);
    assert_int_equal(menu_run_input(NULL, "1", &f->env, &r), GY_EINVAL);
    assert_int_equal(menu_set_refs(set), 2);
    menu_set_unref(set);
    menu_set_slot_free(slot);
    menu_set_slot_free(NULL);
    menu_set_unref(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reload_keeps_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reload_refuses_broken, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_sessions_over_reloads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_actions_and_deadline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_entries_and_states, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
