/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of `gongyou worker show` (tools/cmd_worker.c) run as a process on a demo database:
 * the acceptance check of issue 2 (114 points, the 车工 中级工 claim of 1950 until
 * 2027-06-14) through the JSON output, the text output, the masked ID number, and the
 * exit statuses of an unknown number and of bad usage. */
#include "test_svc_fixture.h"

#include <fcntl.h>
#include <jansson.h>
#include <sys/wait.h>

struct run {
    int status; /* exit status, or -1 */
    char out[65536];
    char err[4096];
};

static void
slurp(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, len - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* Runs $GONGYOU_BIN_DIR/gongyou worker show ARGS --db <fixture db> with GONGYOU_TODAY=today. */
static void
run_show(struct fixture *fx, const char *today, const char *msisdn, bool json, struct run *r)
{
    const char *bin = getenv("GONGYOU_BIN_DIR");
    assert_non_null(bin);
    char exe[512], out[320], err[320];
    snprintf(exe, sizeof(exe), "%s/gongyou", bin);
    snprintf(out, sizeof(out), "%s/out.txt", fx->dir);
    snprintf(err, sizeof(err), "%s/err.txt", fx->dir);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
            _exit(127);
        setenv("GONGYOU_TODAY", today, 1);
        char *argv[8];
        int n = 0;
        argv[n++] = exe;
        argv[n++] = (char *)"worker";
        argv[n++] = (char *)"show";
        if (msisdn != NULL)
            argv[n++] = (char *)msisdn;
        if (json)
            argv[n++] = (char *)"--json";
        argv[n++] = (char *)"--db";
        argv[n++] = fx->path;
        argv[n] = NULL;
        execv(exe, argv);
        _exit(127);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    slurp(out, r->out, sizeof(r->out));
    slurp(err, r->err, sizeof(r->err));
}

static json_t *
cert_by_level(json_t *root, const char *level)
{
    json_t *certs = json_object_get(json_object_get(root, "subsidies"), "certificates");
    size_t i;
    json_t *c;
    json_array_foreach(certs, i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "level")), level) == 0)
            return c;
    }
    fail_msg("no certificate of level %s", level);
    return NULL;
}

static void
test_cli_json_acceptance(void **state)
{
    struct fixture *fx = *state;
    static struct run r;
    static const struct {
        const char *msisdn;
        int total, routes;
        const char *level, *status, *deadline;
        json_int_t amount_yuan, amount_fen;
    } cases[] = {
        {MSISDN_A, 114, 2, "intermediate", "claimable", "2027-06-14", 1950, 195000},
        {MSISDN_B, 36, 0, "junior", "expired", "2026-08-31", 1000, 100000},
        {MSISDN_C, 148, 2, "technician", "paid", NULL, 0, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        run_show(fx, "2026-11-28", cases[i].msisdn, true, &r);
        assert_int_equal(r.status, 0);
        json_error_t jerr;
        json_t *root = json_loads(r.out, 0, &jerr);
        if (root == NULL)
            fail_msg("bad JSON: %s at line %d", jerr.text, jerr.line);
        json_t *points = json_object_get(root, "points");
        assert_int_equal(json_integer_value(json_object_get(points, "total")), cases[i].total);
        assert_int_equal(json_integer_value(json_object_get(
                             json_object_get(root, "household_registration"), "routes_met")),
                         cases[i].routes);
        json_t *c = cert_by_level(root, cases[i].level);
        assert_string_equal(json_string_value(json_object_get(c, "status")), cases[i].status);
        if (cases[i].deadline != NULL) {
            assert_string_equal(json_string_value(json_object_get(c, "deadline")),
                                cases[i].deadline);
            json_t *y = json_object_get(c, "amount_yuan");
            assert_true(json_is_integer(y));
            assert_int_equal(json_integer_value(y), cases[i].amount_yuan);
            assert_int_equal(json_integer_value(json_object_get(c, "amount_fen")),
                             cases[i].amount_fen);
            assert_true(json_is_true(json_object_get(c, "example")));
        }
        /* The ID number appears masked only. */
        const char *idm =
            json_string_value(json_object_get(json_object_get(root, "worker"), "id_number_masked"));
        assert_non_null(idm);
        assert_int_equal(strlen(idm), 18);
        assert_memory_equal(idm + 6, "********", 8);
        json_decref(root);
    }
    /* A's children in the 2027 round. */
    run_show(fx, "2026-11-28", MSISDN_A, true, &r);
    json_t *root = json_loads(r.out, 0, NULL);
    assert_non_null(root);
    json_t *kids = json_object_get(json_object_get(root, "enrollment"), "children");
    assert_int_equal(json_array_size(kids), 2);
    for (size_t i = 0; i < 2; i++)
        assert_true(json_is_true(json_object_get(json_array_get(kids, i), "eligible")));
    assert_null(strstr(r.out, "430421198805123412"));
    json_decref(root);
}

static void
test_cli_text_and_errors(void **state)
{
    struct fixture *fx = *state;
    static struct run r;
    run_show(fx, "2026-11-28", MSISDN_A, false, &r);
    assert_int_equal(r.status, 0);
    static const char *const expect[] = {"114", "1,950", "2027-06-14", "430421********3412",
                                         "陈小雨", "陈小明", "PJ-P01", "示例 example"};
    for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
        if (strstr(r.out, expect[i]) == NULL)
            fail_msg("text output lacks '%s'", expect[i]);
    assert_null(strstr(r.out, "430421198805123412"));
    assert_string_equal(r.err, "");

    /* Unknown number: a clear message on stderr (number masked), exit 1, nothing on stdout. */
    run_show(fx, "2026-11-28", "8613800138999", true, &r);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "no worker is registered"));
    assert_null(strstr(r.err, "8613800138999"));
    assert_string_equal(r.out, "");
    /* Missing number: usage, exit 2. Bad GONGYOU_TODAY: exit 2. */
    run_show(fx, "2026-11-28", NULL, false, &r);
    assert_int_equal(r.status, 2);
    run_show(fx, "2026-02-30", MSISDN_A, false, &r);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "GONGYOU_TODAY"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cli_json_acceptance, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_cli_text_and_errors, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
