/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of gateway/rate_limit: 20 pass, the 21st is answered once, the 22nd and later are
 * silent, recovery after the window, numbers kept apart, a steady flood stays silent, the
 * bounded pool evicting idle numbers first, bad arguments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "base/gy_err.h"
#include "gateway/gy_config.h"
#include "gateway/rate_limit.h"

#define MIN 60000ull
#define A   "8613800138000"
#define B   "8613900139000"

/* One scripted message: at, from, expected verdict. */
struct step {
    uint64_t at_ms;
    const char *from;
    enum rate_verdict want;
};

static void
run_steps(struct rate_limit *rl, const struct step *steps, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        enum rate_verdict v;
        assert_int_equal(rate_limit_check(rl, steps[i].from, steps[i].at_ms, &v), 0);
        if (v != steps[i].want)
            fail_msg("step %zu (t=%llu ms, %s): got %s, want %s", i,
                     (unsigned long long)steps[i].at_ms, steps[i].from, rate_verdict_name(v),
                     rate_verdict_name(steps[i].want));
    }
}

static void
test_twenty_a_minute(void **state)
{
    (void)state;
    struct rate_limit *rl = rate_limit_new(20, MIN, 1000);
    assert_non_null(rl);
    struct step steps[64];
    size_t n = 0;
    /* 25 messages from A, one a second from t=0 */
    for (unsigned i = 0; i < 25; i++)
        steps[n++] = (struct step){i * 1000ull, A,
                                   i < 20    ? RATE_PASS
                                   : i == 20 ? RATE_ANSWER_ONCE
                                             : RATE_SILENT};
    /* B meanwhile is unaffected */
    steps[n++] = (struct step){25000, B, RATE_PASS};
    /* just after the first window: 25 messages still weigh in the sliding estimate */
    steps[n++] = (struct step){MIN + 1000, A, RATE_SILENT};
    /* two windows later everything is forgotten: recovered, and a new flood gets a notice */
    steps[n++] = (struct step){3 * MIN, A, RATE_PASS};
    for (unsigned i = 1; i < 20; i++)
        steps[n++] = (struct step){3 * MIN + i, A, RATE_PASS};
    steps[n++] = (struct step){3 * MIN + 20, A, RATE_ANSWER_ONCE};
    steps[n++] = (struct step){3 * MIN + 21, A, RATE_SILENT};
    run_steps(rl, steps, n);
    struct rate_limit_counts c;
    rate_limit_counts(rl, &c);
    assert_int_equal(c.passed, 20 + 1 + 20);
    assert_int_equal(c.answered_once, 2);
    assert_int_equal(c.silenced, 4 + 1 + 1);
    rate_limit_free(rl);
}

static void
test_limits_table(void **state)
{
    (void)state;
    /* limit, window; how many pass of a burst at one instant */
    static const struct {
        unsigned limit;
        uint64_t window;
    } cases[] = {{1, MIN}, {5, 1000}, {20, MIN}, {100, MIN}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rate_limit *rl = rate_limit_new(cases[i].limit, cases[i].window, 10);
        assert_non_null(rl);
        unsigned pass = 0, once = 0, silent = 0;
        for (unsigned k = 0; k < cases[i].limit + 10; k++) {
            enum rate_verdict v;
            assert_int_equal(rate_limit_check(rl, "+" A, 777, &v), 0);
            pass += v == RATE_PASS;
            once += v == RATE_ANSWER_ONCE;
            silent += v == RATE_SILENT;
        }
        assert_int_equal(pass, cases[i].limit);
        assert_int_equal(once, 1);
        assert_int_equal(silent, 9);
        /* a '+' prefix is the same number */
        enum rate_verdict v;
        assert_int_equal(rate_limit_check(rl, A, 777, &v), 0);
        assert_int_equal(v, RATE_SILENT);
        /* after two windows: pass again */
        assert_int_equal(rate_limit_check(rl, A, 777 + 2 * cases[i].window, &v), 0);
        assert_int_equal(v, RATE_PASS);
        rate_limit_free(rl);
    }
}

static void
test_steady_flood(void **state)
{
    (void)state;
    /* A phone looping at one message a second (60 a minute) is answered 20 times and noticed
     * once, then stays silent while it keeps flooding; then it stops and recovers. */
    struct rate_limit *rl = rate_limit_new(20, MIN, 100);
    enum rate_verdict v;
    unsigned pass = 0, once = 0;
    for (uint64_t t = 0; t < 10 * MIN; t += 1000) {
        assert_int_equal(rate_limit_check(rl, A, t, &v), 0);
        pass += v == RATE_PASS;
        once += v == RATE_ANSWER_ONCE;
    }
    assert_int_equal(pass, 20);
    assert_int_equal(once, 1);
    assert_int_equal(rate_limit_check(rl, A, 12 * MIN, &v), 0);
    assert_int_equal(v, RATE_PASS);
    rate_limit_free(rl);
}

static void
test_eviction(void **state)
{
    (void)state;
    struct rate_limit *rl = rate_limit_new(2, MIN, 4);
    enum rate_verdict v;
    char num[24];
    /* A floods: silent */
    for (int i = 0; i < 4; i++)
        assert_int_equal(rate_limit_check(rl, A, 0, &v), 0);
    assert_int_equal(v, RATE_SILENT);
    /* 3 more numbers fill the pool; A is seen again (the most recent), so a 5th number
     * evicts the first of the three, not A */
    for (int i = 0; i < 3; i++) {
        snprintf(num, sizeof num, "86100%d", i);
        assert_int_equal(rate_limit_check(rl, num, 1, &v), 0);
        assert_int_equal(v, RATE_PASS);
    }
    assert_int_equal(rate_limit_check(rl, A, 2, &v), 0); /* A seen again: most recent */
    assert_int_equal(v, RATE_SILENT);
    assert_int_equal(rate_limit_check(rl, "861009", 3, &v), 0);
    struct rate_limit_counts c;
    rate_limit_counts(rl, &c);
    assert_int_equal(c.tracked, 4);
    assert_int_equal(c.evicted_busy, 1);
    assert_int_equal(rate_limit_check(rl, A, 4, &v), 0); /* A was kept */
    assert_int_equal(v, RATE_SILENT);
    /* Two windows later, idle numbers go first, two per message. */
    for (int i = 0; i < 2; i++)
        assert_int_equal(rate_limit_check(rl, "861777", 3 * MIN, &v), 0);
    rate_limit_counts(rl, &c);
    assert_true(c.evicted_idle >= 2);
    assert_true(c.tracked <= 4);
    assert_int_equal(c.capacity, 4);
    assert_true(c.memory_bytes > 0);
    rate_limit_free(rl);
}

static void
test_bad_args(void **state)
{
    (void)state;
    assert_null(rate_limit_new(0, MIN, 10));
    assert_null(rate_limit_new(20, 0, 10));
    assert_null(rate_limit_new(20, MIN, 0));
    rate_limit_free(NULL);
    struct rate_limit *rl = rate_limit_new(20, MIN, 10);
    enum rate_verdict v = RATE_SILENT;
    static const char *const bad[] = {"", "+", "123456789012345678901"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = RATE_SILENT;
        assert_int_equal(rate_limit_check(rl, bad[i], 0, &v), GY_EINVAL);
        assert_int_equal(v, RATE_PASS);
    }
    assert_int_equal(rate_limit_check(rl, NULL, 0, &v), GY_EINVAL);
    assert_int_equal(rate_limit_check(NULL, A, 0, &v), GY_EINVAL);
    assert_int_equal(rate_limit_check(rl, A, 0, NULL), GY_EINVAL);
    rate_limit_free(rl);
}

static void
test_many_numbers(void **state)
{
    (void)state;
    /* 100,000 distinct numbers through a pool of 10,000: bounded, every first message
     * passes. Printed: the pool's memory. */
    struct rate_limit *rl = rate_limit_new(20, MIN, 10000);
    char num[24];
    enum rate_verdict v;
    for (unsigned i = 0; i < 100000; i++) {
        snprintf(num, sizeof num, "86138%08u", i);
        assert_int_equal(rate_limit_check(rl, num, i, &v), 0);
        assert_int_equal(v, RATE_PASS);
    }
    struct rate_limit_counts c;
    rate_limit_counts(rl, &c);
    assert_int_equal(c.tracked, 10000);
    assert_int_equal(c.evicted_busy + c.evicted_idle, 90000);
    printf("rate_limit: pool of %zu numbers holds %zu octets (%.0f a number)\n", c.capacity,
           c.memory_bytes, (double)c.memory_bytes / (double)c.capacity);
    rate_limit_free(rl);
}

/* The configuration's default (20 a minute) through rate_limit_from_config(), and a
 * configured 3 a minute. */
static void
test_from_config(void **state)
{
    (void)state;
    struct gy_config cfg;
    assert_int_equal(gy_config_defaults(&cfg), 0);
    static const struct {
        int per_minute;
        unsigned want_pass;
    } cases[] = {{0, 20}, {3, 3}}; /* 0: keep the default */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].per_minute != 0)
            cfg.incoming_per_minute = cases[i].per_minute;
        struct rate_limit *rl = rate_limit_from_config(&cfg, 0);
        assert_non_null(rl);
        unsigned pass = 0;
        enum rate_verdict v;
        for (unsigned k = 0; k < 30; k++) {
            assert_int_equal(rate_limit_check(rl, A, 1000 + k, &v), 0);
            pass += v == RATE_PASS;
        }
        assert_int_equal(pass, cases[i].want_pass);
        /* another number is not affected */
        assert_int_equal(rate_limit_check(rl, B, 1000, &v), 0);
        assert_int_equal(v, RATE_PASS);
        struct rate_limit_counts c;
        rate_limit_counts(rl, &c);
        assert_int_equal(c.capacity, RATE_LIMIT_DEFAULT_NUMBERS);
        rate_limit_free(rl);
    }
    assert_null(rate_limit_from_config(NULL, 0));
    gy_config_fini(&cfg);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_twenty_a_minute), cmocka_unit_test(test_limits_table),
        cmocka_unit_test(test_steady_flood),    cmocka_unit_test(test_eviction),
        cmocka_unit_test(test_bad_args),        cmocka_unit_test(test_many_numbers),
        cmocka_unit_test(test_from_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
