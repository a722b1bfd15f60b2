/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of db/svc_wages: the minimum wage in force on a date and its history, the latest
 * wage guideline, and guide prices by code, exact name and prefix (焊 finds 焊工, never
 * 电焊工), with a bounded result count. */
#include "test_svc_fixture.h"

#include "db/svc_wages.h"

static void
test_min_wage(void **state)
{
    struct fixture *fx = *state;
    static const struct {
        const char *on;
        bool has;
        long long monthly, hourly;
        const char *from;
    } cases[] = {
        {"2026-11-28", true, 135000, 1330, "2015-05-01"},
        {"2015-05-01", true, 135000, 1330, "2015-05-01"},
        {"2015-04-30", true, 113000, 1110, "2013-05-01"},
        {"2011-03-01", true, 95000, 930, "2011-03-01"},
        {"2011-02-28", false, 0, 0, NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct svc_wages wg;
        assert_int_equal(svc_wages_get(fx->db, "jiangmen", fx_date(cases[i].on), &wg), 0);
        assert_int_equal(wg.has_current, cases[i].has);
        assert_int_equal(wg.n_history, 3);
        if (!cases[i].has)
            continue;
        assert_int_equal(wg.current.monthly_fen, cases[i].monthly);
        assert_int_equal(wg.current.hourly_fen, cases[i].hourly);
        assert_int_equal(gy_date_cmp(wg.current.effective_from, fx_date(cases[i].from)), 0);
    }
    struct svc_worker w;
    struct svc_wages wg;
    fx_worker(fx, MSISDN_B, &w);
    assert_int_equal(svc_wages_for_worker(fx->db, &w, fx->today, &wg), 0);
    assert_true(wg.has_current);
    assert_int_equal(wg.current.monthly_fen, 135000);
    /* History newest first. */
    assert_int_equal(wg.history[0].monthly_fen, 135000);
    assert_int_equal(wg.history[2].monthly_fen, 95000);
    /* Latest guideline: 2014, 9% / 14% / 3%. */
    assert_true(wg.has_guideline);
    assert_int_equal(wg.guideline.year, 2014);
    assert_int_equal(wg.guideline.base_bp, 900);
    assert_int_equal(wg.guideline.upper_bp, 1400);
    assert_int_equal(wg.guideline.lower_bp, 300);
    /* An area with no wages: answered, nothing current. */
    assert_int_equal(svc_wages_get(fx->db, "nowhere", fx->today, &wg), 0);
    assert_false(wg.has_current);
    assert_int_equal(wg.n_history, 0);
}

static void
test_guide_prices(void **state)
{
    struct fixture *fx = *state;
    static const struct {
        const char *query;
        size_t max, n;
        bool more;
        const char *first, *second;
    } cases[] = {
        {"车工", 10, 1, false, "车工", NULL},
        {"6-31-01-03", 10, 1, false, "电工", NULL},  /* by code */
        {"焊", 10, 1, false, "焊工", NULL},           /* 电焊工 does not start with 焊 */
        {"电", 10, 3, false, "电子产品制版工", "电工"}, /* then 电焊工 (byte order) */
        {"电", 1, 1, true, NULL, NULL},
        {"中式", 10, 2, false, "中式烹调师", "中式面点师"},
        {"木", 10, 1, false, "木工", NULL},
        {"不存在", 10, 0, false, NULL, NULL},
        {"6-99", 10, 0, false, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct svc_guide_price out[10];
        size_t n = 99;
        bool more = true;
        assert_int_equal(
            svc_guide_prices_find(fx->db, cases[i].query, out, cases[i].max, &n, &more), 0);
        /* Answers to a name query start with it. */
        for (size_t k = 0; k < n && strncmp(cases[i].query, "6-", 2) != 0; k++)
            assert_memory_equal(out[k].name_zh, cases[i].query, strlen(cases[i].query));
        assert_int_equal(n, cases[i].n);
        assert_int_equal(more, cases[i].more);
        if (cases[i].first != NULL)
            assert_string_equal(out[0].name_zh, cases[i].first);
        if (cases[i].second != NULL)
            assert_string_equal(out[1].name_zh, cases[i].second);
    }
    struct svc_guide_price p[4];
    size_t n;
    assert_int_equal(svc_guide_prices_find(fx->db, "车工", p, 4, &n, NULL), 0);
    assert_int_equal(p[0].year, 2026);
    assert_int_equal(p[0].low_fen, 360000);
    assert_int_equal(p[0].median_fen, 520000);
    assert_int_equal(p[0].high_fen, 780000);
    assert_true(p[0].example);
    /* The latest year wins. */
    fx_exec(fx, "INSERT INTO guide_prices (occupation, year, low_fen, median_fen, high_fen,"
                " example) SELECT code, 2025, 300000, 400000, 500000, 1 FROM occupations"
                " WHERE name_zh = '车工'");
    assert_int_equal(svc_guide_prices_find(fx->db, "车", p, 4, &n, NULL), 0);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].year, 2026);
    /* Bad queries. */
    assert_int_equal(svc_guide_prices_find(fx->db, "", p, 4, &n, NULL), GY_EINVAL);
    assert_int_equal(svc_guide_prices_find(fx->db, NULL, p, 4, &n, NULL), GY_EINVAL);
    assert_int_equal(svc_guide_prices_find(fx->db, "车", p, 0, &n, NULL), GY_EINVAL);
    /* Bytes that are not UTF-8 and LIKE/GLOB characters are plain text, not patterns. */
    static const char *const odd[] = {"\xff\xff", "%", "_", "*", "'; DROP TABLE x; --"};
    for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
        assert_int_equal(svc_guide_prices_find(fx->db, odd[i], p, 4, &n, NULL), 0);
        assert_int_equal(n, 0);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_min_wage, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_guide_prices, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
