/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of db/svc_enroll on the demo data set: A's two children for the 2027 round with
 * the schools of 蓬江区, the 31 August boundary, a child born on 29 February, the
 * residence permit of 11 vs 12 months, and rounds picked by date or by year. */
#include "test_svc_fixture.h"

#include "db/svc_enroll.h"

static void
test_enroll_demo_a(void **state)
{
    struct fixture *fx = *state;
    struct svc_worker w;
    struct svc_enroll e;
    fx_worker(fx, MSISDN_A, &w);
    assert_int_equal(svc_enroll_check(fx->db, &w, fx->today, 0, NULL, &e), 0);
    assert_int_equal(e.round_year, 2027);
    assert_int_equal(e.prev_year, 2026);
    assert_int_equal(gy_date_cmp(e.age_on, fx_date("2027-08-31")), 0);
    assert_int_equal(e.parent_points, 114);
    assert_int_equal(e.permit_required, 12);
    assert_true(e.permit_months >= 12);
    assert_int_equal(e.n_children, 2);
    /* By birth date: 陈小明 (2014) first, then 陈小雨 (2021). */
    static const struct {
        const char *name;
        enum svc_enroll_entry entry;
        int age;
        bool eligible;
    } kids[] = {
        {"陈小明", SVC_ENROLL_GRADE7, 12, true},
        {"陈小雨", SVC_ENROLL_GRADE1, 6, true},
    };
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(e.children[i].name, kids[i].name);
        assert_int_equal(e.children[i].entry, kids[i].entry);
        assert_int_equal(e.children[i].age, kids[i].age);
        assert_int_equal(e.children[i].eligible, kids[i].eligible);
        assert_true(e.children[i].permit_ok);
        assert_true(e.children[i].district_ok);
        assert_true(e.children[i].age_ok);
    }
    /* Schools of 蓬江区: 3 primary, 2 junior, 2027 quota and 2026 cut-off. */
    static const struct {
        const char *code;
        int quota, cutoff;
    } primary[] = {{"PJ-P01", 65, 105}, {"PJ-P02", 50, 88}, {"PJ-P03", 35, 126}},
      junior[] = {{"PJ-J01", 85, 97}, {"PJ-J02", 45, 131}};
    assert_int_equal(e.primary.n, 3);
    for (size_t i = 0; i < 3; i++) {
        const struct svc_enroll_school *s = &e.primary.schools[i];
        assert_string_equal(s->code, primary[i].code);
        assert_true(s->has_quota && s->has_cutoff && s->example);
        assert_int_equal(s->quota, primary[i].quota);
        assert_int_equal(s->cutoff, primary[i].cutoff);
        assert_int_equal(s->margin, 114 - primary[i].cutoff);
    }
    assert_int_equal(e.junior.n, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(e.junior.schools[i].code, junior[i].code);
        assert_int_equal(e.junior.schools[i].quota, junior[i].quota);
        assert_int_equal(e.junior.schools[i].cutoff, junior[i].cutoff);
    }
    assert_true(e.primary.schools[2].margin < 0); /* 126: above A's 114 */
    svc_enroll_fini(&e);
    svc_enroll_fini(&e); /* idempotent */

    /* B has no children: nothing to judge, no schools loaded. */
    fx_worker(fx, MSISDN_B, &w);
    assert_int_equal(svc_enroll_check(fx->db, &w, fx->today, 0, NULL, &e), 0);
    assert_int_equal(e.n_children, 0);
    assert_int_equal(e.primary.n + e.junior.n, 0);
    svc_enroll_fini(&e);
}

/* One edge worker in 江海区 with a permit since `permit` and one child. */
static void
add_family(struct fixture *fx, const char *msisdn, const char *district, const char *permit,
           const char *birth, int grade)
{
    fx_add_worker(fx, msisdn, district, "senior", permit, 1, 0, 24, 24);
    char sql[512];
    snprintf(sql, sizeof(sql),
             "INSERT INTO children (worker_id, name, birth_date, current_grade)"
             " SELECT id, '孩子', '%s', %d FROM workers WHERE msisdn = '%s'",
             birth, grade, msisdn);
    fx_exec(fx, sql);
}

static void
test_enroll_edges(void **state)
{
    struct fixture *fx = *state;
    static const struct {
        const char *msisdn, *district, *permit, *birth;
        int grade, round;
        enum svc_enroll_entry entry;
        bool age_ok, permit_ok, district_ok, eligible;
    } cases[] = {
        /* 31 August boundary for the 2027 round. */
        {"8613900000201", "江海区", "2020-01-01", "2021-08-31", 0, 0, SVC_ENROLL_GRADE1, true,
         true, true, true},
        {"8613900000202", "江海区", "2020-01-01", "2021-09-01", 0, 0, SVC_ENROLL_GRADE1,
         false, true, true, false},
        /* 29 February: 6 on 2026-08-31 (round 2026), 7 on 2027-08-31. */
        {"8613900000203", "江海区", "2020-01-01", "2020-02-29", 0, 2026, SVC_ENROLL_GRADE1,
         true, true, true, true},
        {"8613900000204", "江海区", "2020-01-01", "2020-02-29", 0, 0, SVC_ENROLL_GRADE1, true,
         true, true, true},
        /* Residence permit 12 vs 11 continuous months up to today (2026-11-28). */
        {"8613900000205", "江海区", "2025-11-28", "2021-01-01", 0, 0, SVC_ENROLL_GRADE1, true,
         true, true, true},
        {"8613900000206", "江海区", "2025-11-29", "2021-01-01", 0, 0, SVC_ENROLL_GRADE1, true,
         false, true, false},
        /* No permit at all. */
        {"8613900000207", "江海区", NULL, "2014-05-05", 6, 0, SVC_ENROLL_GRADE7, true, false,
         true, false},
        /* Grade 5 now: no entry this round. */
        {"8613900000208", "江海区", "2020-01-01", "2015-05-05", 5, 0, SVC_ENROLL_NONE, false,
         false, false, false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        add_family(fx, cases[i].msisdn, cases[i].district, cases[i].permit, cases[i].birth,
                   cases[i].grade);
        struct svc_worker w;
        struct svc_enroll e;
        fx_worker(fx, cases[i].msisdn, &w);
        assert_int_equal(svc_enroll_check(fx->db, &w, fx->today, cases[i].round, NULL, &e), 0);
        assert_int_equal(e.round_year, cases[i].round ? cases[i].round : 2027);
        assert_int_equal(e.n_children, 1);
        const struct svc_enroll_child *c = &e.children[0];
        assert_int_equal(c->entry, cases[i].entry);
        assert_int_equal(c->age_ok, cases[i].age_ok);
        assert_int_equal(c->permit_ok, cases[i].permit_ok);
        assert_int_equal(c->district_ok, cases[i].district_ok);
        assert_int_equal(c->eligible, cases[i].eligible);
        svc_enroll_fini(&e);
    }
}

static void
test_enroll_district_without_schools(void **state)
{
    struct fixture *fx = *state;
    /* A district with no junior middle school on record: grade 7 not possible there. */
    fx_exec(fx, "DELETE FROM schools WHERE district = '江海区' AND level = 'junior'");
    add_family(fx, "8613900000301", "江海区", "2020-01-01", "2014-05-05", 6);
    struct svc_worker w;
    struct svc_enroll e;
    fx_worker(fx, "8613900000301", &w);
    assert_int_equal(svc_enroll_check(fx->db, &w, fx->today, 0, NULL, &e), 0);
    assert_int_equal(e.children[0].entry, SVC_ENROLL_GRADE7);
    assert_false(e.children[0].district_ok);
    assert_false(e.children[0].eligible);
    assert_int_equal(e.junior.n, 0);
    svc_enroll_fini(&e);
}

static void
test_enroll_rounds(void **state)
{
    struct fixture *fx = *state;
    struct svc_worker w;
    struct svc_enroll e;
    fx_worker(fx, MSISDN_A, &w);
    /* On the age date itself the round is still current. */
    assert_int_equal(svc_enroll_check(fx->db, &w, fx_date("2026-08-31"), 0, NULL, &e), 0);
    assert_int_equal(e.round_year, 2026);
    svc_enroll_fini(&e);
    assert_int_equal(svc_enroll_check(fx->db, &w, fx_date("2026-09-01"), 0, NULL, &e), 0);
    assert_int_equal(e.round_year, 2027);
    svc_enroll_fini(&e);
    /* No round after the last one, or an unknown year: not found, nothing to free. */
    assert_int_equal(svc_enroll_check(fx->db, &w, fx_date("2027-09-01"), 0, NULL, &e),
                     GY_ENOTFOUND);
    assert_null(e.children);
    assert_int_equal(svc_enroll_check(fx->db, &w, fx->today, 2031, NULL, &e), GY_ENOTFOUND);
    assert_int_equal(svc_enroll_check(fx->db, &w, fx->today, -1, NULL, &e), GY_EINVAL);
    /* Round 2026: no earlier round, cut-offs of 2025 unknown. */
    assert_int_equal(svc_enroll_check(fx->db, &w, fx->today, 2026, NULL, &e), 0);
    assert_int_equal(e.prev_year, 2025);
    assert_true(e.primary.n > 0);
    assert_false(e.primary.schools[0].has_cutoff);
    assert_true(e.primary.schools[0].has_quota);
    svc_enroll_fini(&e);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_enroll_demo_a, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_enroll_edges, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_enroll_district_without_schools, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_enroll_rounds, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
