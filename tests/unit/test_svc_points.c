/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of db/svc_worker, db/svc_points and db/svc_hukou on the demo data set: worker
 * lookup, A 114 / B 36 / C 148 with their breakdowns, the 5-year window, deductions, and
 * the three household-registration routes with the 35 vs 36 months edge. */
#include "test_svc_fixture.h"

#include "db/svc_hukou.h"
#include "db/svc_points.h"

static void
test_worker_lookup(void **state)
{
    struct fixture *fx = *state;
    struct svc_worker w;
    assert_int_equal(svc_worker_get(fx->db, MSISDN_A, &w), 0);
    assert_string_equal(w.name, "陈志强");
    assert_string_equal(w.district, "蓬江区");
    assert_string_equal(w.wage_area, "jiangmen");
    assert_string_equal(w.education, "college");
    assert_int_equal(w.insurance_months, 74);
    assert_int_equal(w.work_months, 63);
    assert_true(w.has_permit);
    assert_int_equal(gy_date_cmp(w.permit_since, fx_date("2010-03-01")), 0);
    assert_true(w.stable_residence);
    assert_false(w.opted_out);
    assert_int_equal(svc_worker_get(fx->db, MSISDN_B, &w), 0);
    assert_true(w.opted_out);

    static const char *const unknown[] = {"8613800138999", "13800138000", "+8613800138000",
                                          "8613800138000 ", "x"};
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
        assert_int_equal(svc_worker_get(fx->db, unknown[i], &w), GY_ENOTFOUND);
    assert_int_equal(svc_worker_get(fx->db, "", &w), GY_EINVAL);
    assert_int_equal(svc_worker_get(fx->db, NULL, &w), GY_EINVAL);
}

static int
item_points(const struct svc_points *p, enum svc_points_kind kind, const char *code)
{
    const struct svc_points_item *it = svc_points_find(p, kind, code);
    assert_non_null(it);
    return it->points;
}

static void
test_points_demo(void **state)
{
    struct fixture *fx = *state;
    static const struct {
        const char *msisdn;
        int total, edu, skill, insurance, work, blood, volunteer, donation, deduction, short_of;
        const char *skill_code;
    } cases[] = {
        {MSISDN_A, 114, 60, 30, 6, 10, 4, 4, 0, 0, 0, "intermediate"},
        {MSISDN_B, 36, 20, 10, 2, 4, 0, 0, 0, 0, 24, "junior"},
        {MSISDN_C, 148, 80, 60, 2, 6, 0, 0, 0, 0, 0, "technician"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct svc_worker w;
        struct svc_points p;
        fx_worker(fx, cases[i].msisdn, &w);
        assert_int_equal(svc_points_compute(fx->db, &w, fx->today, &p), 0);
        assert_int_equal(p.total, cases[i].total);
        assert_int_equal(p.threshold, 60);
        assert_int_equal(p.short_of, cases[i].short_of);
        assert_int_equal(item_points(&p, SVC_POINTS_EDUCATION, NULL), cases[i].edu);
        assert_int_equal(item_points(&p, SVC_POINTS_SKILL, NULL), cases[i].skill);
        assert_string_equal(svc_points_find(&p, SVC_POINTS_SKILL, NULL)->code,
                            cases[i].skill_code);
        assert_int_equal(item_points(&p, SVC_POINTS_RULE, "social_insurance"),
                         cases[i].insurance);
        assert_int_equal(item_points(&p, SVC_POINTS_RULE, "work_years"), cases[i].work);
        assert_int_equal(item_points(&p, SVC_POINTS_RULE, "blood_donation"), cases[i].blood);
        assert_int_equal(item_points(&p, SVC_POINTS_RULE, "volunteer_hours"),
                         cases[i].volunteer);
        assert_int_equal(item_points(&p, SVC_POINTS_RULE, "donation"), cases[i].donation);
        assert_int_equal(item_points(&p, SVC_POINTS_DEDUCTION, NULL), cases[i].deduction);
        /* The breakdown adds up to the total. */
        int sum = 0;
        for (size_t k = 0; k < p.n_items; k++)
            sum += p.items[k].points;
        assert_int_equal(sum, p.total);
    }
    /* A's blood donation of 2020-06-01 is older than 60 months: 2 counted, not 3. */
    struct svc_worker a;
    struct svc_points p;
    fx_worker(fx, MSISDN_A, &a);
    assert_int_equal(svc_points_compute(fx->db, &a, fx->today, &p), 0);
    const struct svc_points_item *blood = svc_points_find(&p, SVC_POINTS_RULE, "blood_donation");
    assert_int_equal(blood->quantity, 2);
    assert_int_equal(blood->window_months, 60);
    assert_int_equal(svc_points_find(&p, SVC_POINTS_RULE, "volunteer_hours")->quantity, 120);
    /* Insurance points are an example figure and must say so. */
    assert_true(svc_points_find(&p, SVC_POINTS_RULE, "social_insurance")->example);
    /* Another day: on 2025-06-01 the 2020-06-01 donation is inside the window. */
    assert_int_equal(svc_points_compute(fx->db, &a, fx_date("2025-06-01"), &p), 0);
    assert_int_equal(svc_points_find(&p, SVC_POINTS_RULE, "blood_donation")->quantity, 3);
    /* ... and the 2025-10-01 volunteer hours are in the future then: 70 hours, 2 points. */
    assert_int_equal(svc_points_find(&p, SVC_POINTS_RULE, "volunteer_hours")->points, 2);
}

static void
test_points_deduction_and_caps(void **state)
{
    struct fixture *fx = *state;
    fx_add_worker(fx, "8613900000001", "江海区", "junior", NULL, 0, 0, 900, 600);
    fx_exec(fx, "INSERT INTO deductions (worker_id, points, reason, agency, on_date)"
                " SELECT id, -15, 'false declaration', 'hrss', '2026-01-10' FROM workers"
                " WHERE msisdn = '8613900000001'");
    fx_exec(fx, "INSERT INTO service_records (worker_id, kind, quantity, on_date)"
                " SELECT id, 'donation', 250000, '2026-02-01' FROM workers"
                " WHERE msisdn = '8613900000001'");
    struct svc_worker w;
    struct svc_points p;
    fx_worker(fx, "8613900000001", &w);
    assert_int_equal(svc_points_compute(fx->db, &w, fx->today, &p), 0);
    /* 初中 5, no certificate 0, insurance capped at 50, work capped at 20, ¥2,500 -> 4,
     * deduction -15. */
    assert_int_equal(item_points(&p, SVC_POINTS_EDUCATION, NULL), 5);
    assert_int_equal(item_points(&p, SVC_POINTS_SKILL, NULL), 0);
    assert_string_equal(svc_points_find(&p, SVC_POINTS_SKILL, NULL)->code, "");
    assert_int_equal(item_points(&p, SVC_POINTS_RULE, "social_insurance"), 50);
    assert_true(svc_points_find(&p, SVC_POINTS_RULE, "social_insurance")->capped);
    assert_int_equal(item_points(&p, SVC_POINTS_RULE, "work_years"), 20);
    assert_int_equal(item_points(&p, SVC_POINTS_RULE, "donation"), 4);
    assert_int_equal(item_points(&p, SVC_POINTS_DEDUCTION, NULL), -15);
    assert_int_equal(svc_points_find(&p, SVC_POINTS_DEDUCTION, NULL)->quantity, 1);
    assert_int_equal(p.total, 5 + 50 + 20 + 4 - 15);
    assert_int_equal(p.short_of, 0);

    /* A worker with nothing: unknown education, no records. */
    fx_add_worker(fx, "8613900000002", "江海区", NULL, NULL, 0, 0, 0, 0);
    fx_worker(fx, "8613900000002", &w);
    assert_int_equal(svc_points_compute(fx->db, &w, fx->today, &p), 0);
    assert_int_equal(p.total, 0);
    assert_int_equal(p.short_of, 60);
}

static void
test_points_follow_the_tables(void **state)
{
    struct fixture *fx = *state;
    /* Figures come from the tables: change a rule and the threshold, and the answer moves. */
    fx_exec(fx, "UPDATE education_levels SET points = 70 WHERE code = 'college'");
    fx_exec(fx, "UPDATE policy_params SET value = 120 WHERE key = 'points_threshold'");
    struct svc_worker w;
    struct svc_points p;
    fx_worker(fx, MSISDN_A, &w);
    assert_int_equal(svc_points_compute(fx->db, &w, fx->today, &p), 0);
    assert_int_equal(p.total, 124);
    assert_int_equal(p.threshold, 120);
    fx_exec(fx, "UPDATE education_levels SET points = 60 WHERE code = 'college'");
    fx_exec(fx, "UPDATE policy_params SET value = 60 WHERE key = 'points_threshold'");
}

static void
test_hukou_demo(void **state)
{
    struct fixture *fx = *state;
    static const struct {
        const char *msisdn;
        bool r1, r2, r3;
        int work_missing, insurance_missing, points_missing;
    } cases[] = {
        {MSISDN_A, true, false, true, 0, 0, 0},
        {MSISDN_B, false, false, false, 6, 10, 24},
        {MSISDN_C, false, true, true, 0, 6, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct svc_worker w;
        struct svc_hukou h;
        fx_worker(fx, cases[i].msisdn, &w);
        assert_int_equal(svc_hukou_check(fx->db, &w, fx->today, NULL, &h), 0);
        assert_int_equal(h.route1.met, cases[i].r1);
        assert_int_equal(h.route2.met, cases[i].r2);
        assert_int_equal(h.route3.met, cases[i].r3);
        assert_int_equal(h.route1.work_missing, cases[i].work_missing);
        assert_int_equal(h.route1.insurance_missing, cases[i].insurance_missing);
        assert_int_equal(h.route3.missing, cases[i].points_missing);
        assert_int_equal(h.routes_met, cases[i].r1 + cases[i].r2 + cases[i].r3);
    }
    struct svc_worker w;
    struct svc_hukou h;
    fx_worker(fx, MSISDN_C, &w);
    assert_int_equal(svc_hukou_check(fx->db, &w, fx->today, NULL, &h), 0);
    assert_true(h.route2.by_talent);
    assert_string_equal(h.route2.talent.name_zh, "技师");
    assert_true(h.route1.insurance_example);
    fx_worker(fx, MSISDN_A, &w);
    assert_int_equal(svc_hukou_check(fx->db, &w, fx->today, NULL, &h), 0);
    /* A holds 中级工 but is no enterprise backbone: two ranks short of 技师. */
    assert_int_equal(h.route2.highest.rank, 2);
    assert_false(h.route2.by_backbone);
    assert_int_equal(h.route2.ranks_missing, 2);
    assert_string_equal(h.route2.backbone.name_zh, "中级工");
}

static void
test_hukou_edges(void **state)
{
    struct fixture *fx = *state;
    static const struct {
        const char *msisdn;
        int stable, backbone, insurance, work;
        const char *level; /* certificate level held, or NULL */
        bool r1, r2;
    } cases[] = {
        {"8613900000101", 1, 0, 36, 36, NULL, true, false},       /* exactly 36 and 36 */
        {"8613900000102", 1, 0, 35, 36, NULL, false, false},      /* insurance 35 */
        {"8613900000103", 1, 0, 36, 35, NULL, false, false},      /* work 35 */
        {"8613900000104", 0, 0, 80, 80, NULL, false, false},      /* no stable residence */
        {"8613900000105", 1, 1, 0, 0, "intermediate", false, true}, /* backbone + 中级工 */
        {"8613900000106", 1, 1, 0, 0, "junior", false, false},    /* backbone + 初级工 */
        {"8613900000107", 1, 0, 0, 0, "senior_technician", false, true},
        {"8613900000108", 1, 1, 0, 0, NULL, false, false},        /* backbone, no level */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fx_add_worker(fx, cases[i].msisdn, "新会区", "senior", "2020-01-01", cases[i].stable,
                      cases[i].backbone, cases[i].insurance, cases[i].work);
        if (cases[i].level != NULL) {
            char sql[512];
            snprintf(sql, sizeof(sql),
                     "INSERT INTO certificates (worker_id, occupation, level, issued_on)"
                     " SELECT id, (SELECT code FROM occupations WHERE name_zh = '电工'), '%s',"
                     " '2024-01-01' FROM workers WHERE msisdn = '%s'",
                     cases[i].level, cases[i].msisdn);
            fx_exec(fx, sql);
        }
        struct svc_worker w;
        struct svc_hukou h;
        fx_worker(fx, cases[i].msisdn, &w);
        assert_int_equal(svc_hukou_check(fx->db, &w, fx->today, NULL, &h), 0);
        assert_int_equal(h.route1.met, cases[i].r1);
        assert_int_equal(h.route2.met, cases[i].r2);
        assert_int_equal(h.route1.stable_residence, cases[i].stable != 0);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_worker_lookup, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_points_demo, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_points_deduction_and_caps, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_points_follow_the_tables, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_hukou_demo, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_hukou_edges, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
