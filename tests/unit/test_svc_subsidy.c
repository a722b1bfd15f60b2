/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of db/svc_subsidy on the demo data set: A's paid 初级工 and claimable ¥1,950
 * until 2027-06-14 with the next level (+20 points, ¥2,600), B's expired claim, C's paid
 * 技师; a deadline that is today, a level without a standard, no certificates. */
#include "test_svc_fixture.h"

#include "db/svc_subsidy.h"

static void
test_subsidy_demo(void **state)
{
    struct fixture *fx = *state;
    static const struct {
        const char *msisdn;
        size_t cert;
        const char *occupation, *level;
        enum svc_subsidy_status status;
        long long paid, total;
        const char *deadline; /* NULL: none */
    } cases[] = {
        /* 车工 was listed on 2024-01-01: the 2023 certificate had no uplift. */
        {MSISDN_A, 0, "车工", "初级工", SVC_SUBSIDY_PAID, 100000, 100000, "2024-04-09"},
        {MSISDN_A, 1, "车工", "中级工", SVC_SUBSIDY_CLAIMABLE, 0, 195000, "2027-06-14"},
        {MSISDN_B, 0, "缝纫工", "初级工", SVC_SUBSIDY_EXPIRED, 0, 100000, "2026-08-31"},
        {MSISDN_C, 0, "电工", "技师", SVC_SUBSIDY_PAID, 200000, 0, NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct svc_worker w;
        struct svc_subsidy s;
        fx_worker(fx, cases[i].msisdn, &w);
        assert_int_equal(svc_subsidy_check(fx->db, &w, fx->today, &s), 0);
        assert_true(cases[i].cert < s.n_certs);
        const struct svc_subsidy_cert *c = &s.certs[cases[i].cert];
        assert_string_equal(c->occupation_zh, cases[i].occupation);
        assert_string_equal(c->level_zh, cases[i].level);
        assert_int_equal(c->status, cases[i].status);
        if (c->status == SVC_SUBSIDY_PAID)
            assert_int_equal(c->paid_fen, cases[i].paid);
        assert_int_equal(c->amount.total_fen, cases[i].total);
        assert_int_equal(c->has_deadline, cases[i].deadline != NULL);
        if (cases[i].deadline != NULL)
            assert_int_equal(gy_date_cmp(c->deadline, fx_date(cases[i].deadline)), 0);
        svc_subsidy_fini(&s);
    }

    struct svc_worker w;
    struct svc_subsidy s;
    fx_worker(fx, MSISDN_A, &w);
    assert_int_equal(svc_subsidy_check(fx->db, &w, fx->today, &s), 0);
    assert_int_equal(s.n_certs, 2);
    const struct svc_subsidy_cert *mid = &s.certs[1];
    assert_true(mid->amount.shortage);
    assert_int_equal(mid->amount.standard_fen, 150000);
    assert_int_equal(mid->amount.uplift_bp, 3000);
    assert_int_equal(mid->amount.uplift_fen, 45000);
    assert_true(mid->amount.example);
    assert_int_equal(mid->days_left, 198);
    assert_int_equal(s.claimable_fen, 195000);
    assert_int_equal(s.paid_fen, 100000);
    /* Next level in 车工: 高级工, +20 points, 2000 + 30% = 2600. */
    assert_int_equal(s.n_next, 1);
    assert_string_equal(s.next[0].occupation_zh, "车工");
    assert_string_equal(s.next[0].from_level_zh, "中级工");
    assert_string_equal(s.next[0].level_zh, "高级工");
    assert_int_equal(s.next[0].points_gain, 20);
    assert_true(s.next[0].amount.has_standard);
    assert_int_equal(s.next[0].amount.total_fen, 260000);
    svc_subsidy_fini(&s);

    /* B: next is 缝纫工 中级工, not on the shortage list: ¥1,500, +20 points. */
    fx_worker(fx, MSISDN_B, &w);
    assert_int_equal(svc_subsidy_check(fx->db, &w, fx->today, &s), 0);
    assert_int_equal(s.claimable_fen, 0);
    assert_int_equal(s.n_next, 1);
    assert_false(s.next[0].amount.shortage);
    assert_int_equal(s.next[0].amount.total_fen, 150000);
    assert_int_equal(s.next[0].points_gain, 20);
    svc_subsidy_fini(&s);

    /* C: 技师 -> 高级技师 brings no points (both 60) and has no subsidy standard. */
    fx_worker(fx, MSISDN_C, &w);
    assert_int_equal(svc_subsidy_check(fx->db, &w, fx->today, &s), 0);
    assert_int_equal(s.n_next, 1);
    assert_string_equal(s.next[0].level, "senior_technician");
    assert_int_equal(s.next[0].points_gain, 0);
    assert_false(s.next[0].amount.has_standard);
    svc_subsidy_fini(&s);
}

static void
add_cert(struct fixture *fx, const char *msisdn, const char *occupation, const char *level,
         const char *issued)
{
    char sql[512];
    snprintf(sql, sizeof(sql),
             "INSERT INTO certificates (worker_id, occupation, level, issued_on)"
             " SELECT w.id, o.code, '%s', '%s' FROM workers w, occupations o"
             " WHERE w.msisdn = '%s' AND o.name_zh = '%s'",
             level, issued, msisdn, occupation);
    fx_exec(fx, sql);
}

static void
test_subsidy_edges(void **state)
{
    struct fixture *fx = *state;
    static const struct {
        const char *msisdn, *occupation, *level, *issued;
        enum svc_subsidy_status status;
        long long total;
        int days_left;
    } cases[] = {
        /* Deadline today: 2025-11-29 + 12 months - 1 day = 2026-11-28. */
        {"8613900000401", "缝纫工", "junior", "2025-11-29", SVC_SUBSIDY_CLAIMABLE, 100000, 0},
        /* Deadline yesterday. */
        {"8613900000402", "缝纫工", "junior", "2025-11-28", SVC_SUBSIDY_EXPIRED, 100000, 0},
        /* Shortage occupation, senior: 2000 + 30%. */
        {"8613900000403", "焊工", "senior", "2026-10-01", SVC_SUBSIDY_CLAIMABLE, 260000, 306},
        /* 技师 has no subsidy standard. */
        {"8613900000404", "电工", "technician", "2026-10-01", SVC_SUBSIDY_NO_STANDARD, 0, 0},
        /* 保育师 listed from 2025-01-01 only: a 2024 certificate gets no uplift. */
        {"8613900000405", "保育师", "junior", "2024-12-31", SVC_SUBSIDY_EXPIRED, 100000, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fx_add_worker(fx, cases[i].msisdn, "台山市", "junior", NULL, 0, 0, 0, 0);
        add_cert(fx, cases[i].msisdn, cases[i].occupation, cases[i].level, cases[i].issued);
        struct svc_worker w;
        struct svc_subsidy s;
        fx_worker(fx, cases[i].msisdn, &w);
        assert_int_equal(svc_subsidy_check(fx->db, &w, fx->today, &s), 0);
        assert_int_equal(s.n_certs, 1);
        assert_int_equal(s.certs[0].status, cases[i].status);
        assert_int_equal(s.certs[0].amount.total_fen, cases[i].total);
        if (cases[i].status == SVC_SUBSIDY_CLAIMABLE) {
            assert_int_equal(s.certs[0].days_left, cases[i].days_left);
            assert_int_equal(s.claimable_fen, cases[i].total);
        }
        svc_subsidy_fini(&s);
    }

    /* No certificates: nothing to claim, no next level, nothing allocated. */
    fx_add_worker(fx, "8613900000499", "台山市", "junior", NULL, 0, 0, 0, 0);
    struct svc_worker w;
    struct svc_subsidy s;
    fx_worker(fx, "8613900000499", &w);
    assert_int_equal(svc_subsidy_check(fx->db, &w, fx->today, &s), 0);
    assert_int_equal(s.n_certs, 0);
    assert_int_equal(s.n_next, 0);
    assert_null(s.certs);
    assert_null(s.next);
    svc_subsidy_fini(&s);

    /* Two occupations: one next level each; the points gain is over the highest level
     * held anywhere (中级工 30): 焊工 初级工 -> 中级工 gains nothing. */
    add_cert(fx, "8613900000499", "焊工", "junior", "2026-01-05");
    add_cert(fx, "8613900000499", "缝纫工", "intermediate", "2026-01-05");
    assert_int_equal(svc_subsidy_check(fx->db, &w, fx->today, &s), 0);
    assert_int_equal(s.n_certs, 2);
    assert_int_equal(s.n_next, 2);
    for (size_t i = 0; i < 2; i++) {
        if (strcmp(s.next[i].occupation_zh, "焊工") == 0) {
            assert_string_equal(s.next[i].level, "intermediate");
            assert_int_equal(s.next[i].points_gain, 0);
            assert_int_equal(s.next[i].amount.total_fen, 195000);
        } else {
            assert_string_equal(s.next[i].level, "senior");
            assert_int_equal(s.next[i].points_gain, 20);
            assert_int_equal(s.next[i].amount.total_fen, 200000);
        }
    }
    svc_subsidy_fini(&s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_subsidy_demo, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_subsidy_edges, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
