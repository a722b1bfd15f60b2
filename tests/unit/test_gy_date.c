/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of base/gy_date: parsing, arithmetic, ages on a reference date, months. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "base/gy_date.h"
#include "base/gy_err.h"

static struct gy_date
d(const char *s)
{
    struct gy_date r = {0, 0, 0};
    assert_int_equal(gy_date_parse(s, &r), 0);
    return r;
}

static void
test_parse(void **state)
{
    (void)state;
    static const char *const bad[] = {"", "2026-2-28", "2026-02-30", "2025-02-29", "2026-13-01",
                                      "2026-00-10", "20261128", "2026-11-28x", "abcd-ef-gh"};
    struct gy_date r;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(gy_date_parse(bad[i], &r), GY_EPARSE);
    assert_int_equal(gy_date_parse("2024-02-29", &r), 0);
    char buf[GY_DATE_STRLEN];
    assert_string_equal(gy_date_format(r, buf), "2024-02-29");
}

static void
test_days_roundtrip(void **state)
{
    (void)state;
    assert_int_equal(gy_date_to_days(d("1970-01-01")), 0);
    for (long z = -719162; z < 2932896; z += 37) {
        struct gy_date x = gy_date_from_days(z);
        assert_true(gy_date_valid(x));
        assert_int_equal(gy_date_to_days(x), z);
    }
}

static void
test_add_months(void **state)
{
    (void)state;
    char buf[GY_DATE_STRLEN];
    struct {
        const char *from;
        int months;
        const char *to;
    } cases[] = {
        {"2026-06-15", 12, "2027-06-15"}, {"2024-02-29", 12, "2025-02-28"},
        {"2026-01-31", 1, "2026-02-28"},  {"2026-11-28", -60, "2021-11-28"},
        {"2025-09-01", 12, "2026-09-01"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_string_equal(gy_date_format(gy_date_add_months(d(cases[i].from), cases[i].months),
                                           buf),
                            cases[i].to);
}

static void
test_age_on(void **state)
{
    (void)state;
    assert_int_equal(gy_date_age_on(d("2021-03-18"), d("2027-08-31")), 6);
    assert_int_equal(gy_date_age_on(d("2021-08-31"), d("2027-08-31")), 6);
    assert_int_equal(gy_date_age_on(d("2021-09-01"), d("2027-08-31")), 5);
    /* 29 February birthdays are reached on 1 March in common years. */
    assert_int_equal(gy_date_age_on(d("2020-02-29"), d("2026-02-28")), 5);
    assert_int_equal(gy_date_age_on(d("2020-02-29"), d("2026-03-01")), 6);
    assert_int_equal(gy_date_age_on(d("2020-02-29"), d("2024-02-29")), 4);
    assert_int_equal(gy_date_age_on(d("2030-01-01"), d("2027-08-31")), 0);
}

static void
test_months_between(void **state)
{
    (void)state;
    assert_int_equal(gy_date_months_between(d("2010-03-01"), d("2026-11-28")), 200);
    assert_int_equal(gy_date_months_between(d("2025-11-28"), d("2026-11-28")), 12);
    assert_int_equal(gy_date_months_between(d("2025-11-29"), d("2026-11-28")), 11);
    assert_int_equal(gy_date_months_between(d("2026-01-31"), d("2026-02-28")), 1);
    assert_int_equal(gy_date_months_between(d("2027-01-01"), d("2026-11-28")), 0);
}

static void
test_today_env(void **state)
{
    (void)state;
    struct gy_date t;
    setenv("GONGYOU_TODAY", "2026-11-28", 1);
    assert_int_equal(gy_date_today(&t), 0);
    assert_int_equal(gy_date_cmp(t, d("2026-11-28")), 0);
    setenv("GONGYOU_TODAY", "2026-11-31", 1);
    assert_int_equal(gy_date_today(&t), GY_EPARSE);
    unsetenv("GONGYOU_TODAY");
    assert_int_equal(gy_date_today(&t), 0);
    assert_true(t.year >= 2024);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),          cmocka_unit_test(test_days_roundtrip),
        cmocka_unit_test(test_add_months),     cmocka_unit_test(test_age_on),
        cmocka_unit_test(test_months_between), cmocka_unit_test(test_today_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
