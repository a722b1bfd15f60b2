/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of gateway/smpp_throttle: token bucket arithmetic on an injected clock, unlimited
 * rate, pause and back-off after 0x58 / 0x14, no escalation by requests sent before a pause. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "base/gy_err.h"
#include "gateway/smpp_pdu.h"
#include "gateway/smpp_throttle.h"

static void
test_bucket(void **state)
{
    (void)state;
    /* rate, burst, then how many segments may go in each of the first 1000 ms */
    static const struct {
        unsigned rate, burst;
        unsigned first_second; /* segments sent in [0, 1000) ms, taking greedily each ms */
    } cases[] = {
        {10, 1, 10}, {10, 5, 14}, {100, 0, 119}, {1, 1, 1}, {1000, 1, 1000},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct smpp_throttle t;
        smpp_throttle_init(&t, cases[i].rate, cases[i].burst, 100, 0, 1000);
        unsigned sent = 0;
        for (uint64_t ms = 1000; ms < 2000; ms++)
            while (smpp_throttle_take(&t, ms, 1) == 0)
                sent++;
        assert_int_equal(sent, cases[i].first_second);
    }
}

static void
test_wait(void **state)
{
    (void)state;
    struct smpp_throttle t;
    smpp_throttle_init(&t, 4, 1, 100, 0, 0); /* one token each 250 ms */
    assert_int_equal(smpp_throttle_wait_ms(&t, 0, 1), 0);
    assert_int_equal(smpp_throttle_take(&t, 0, 1), 0);
    assert_int_equal(smpp_throttle_take(&t, 0, 1), GY_EBUSY);
    assert_int_equal(smpp_throttle_wait_ms(&t, 0, 1), 250);
    assert_int_equal(smpp_throttle_wait_ms(&t, 100, 1), 150);
    assert_false(smpp_throttle_can(&t, 249, 1));
    assert_true(smpp_throttle_can(&t, 250, 1));
    assert_int_equal(smpp_throttle_wait_ms(&t, 250, 3), 0); /* n above the bucket: one bucket */
}

static void
test_unlimited(void **state)
{
    (void)state;
    struct smpp_throttle t;
    smpp_throttle_init(&t, 0, 0, 100, 0, 0);
    for (unsigned i = 0; i < 100000; i++)
        assert_int_equal(smpp_throttle_take(&t, 0, 1), 0);
    assert_int_equal(smpp_throttle_wait_ms(&t, 0, 1), 0);
    /* a pause stops even an unlimited bind */
    assert_int_equal(smpp_throttle_pause(&t, 10, 5), 100);
    assert_int_equal(smpp_throttle_take(&t, 50, 1), GY_EBUSY);
    assert_int_equal(smpp_throttle_wait_ms(&t, 50, 1), 60);
    assert_int_equal(smpp_throttle_take(&t, 110, 1), 0);
}

static void
test_backoff(void **state)
{
    (void)state;
    struct smpp_throttle t;
    smpp_throttle_init(&t, 0, 0, 100, 500, 0);
    /* each pause answers a request sent after the previous pause began: 100, 200, 400, 500 */
    static const uint64_t want[] = {100, 200, 400, 500, 500};
    uint64_t now = 0;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        uint64_t ms = smpp_throttle_pause(&t, now, now);
        assert_int_equal(ms, want[i]);
        assert_true(smpp_throttle_paused(&t, now + ms - 1));
        assert_false(smpp_throttle_paused(&t, now + ms));
        now += ms + 1;
    }
    /* a window of answers to requests sent before the pause: one event, not ten */
    smpp_throttle_success(&t);
    now += 1000;
    assert_int_equal(smpp_throttle_pause(&t, now, now - 5), 100);
    for (unsigned i = 0; i < 9; i++)
        assert_int_equal(smpp_throttle_pause(&t, now + 1, now - 14 + i), 100);
    assert_false(smpp_throttle_paused(&t, now + 100));
    /* success resets the back-off */
    assert_int_equal(smpp_throttle_pause(&t, now + 200, now + 150), 200);
    smpp_throttle_success(&t);
    assert_int_equal(smpp_throttle_pause(&t, now + 1000, now + 900), 100);
}

static void
test_status(void **state)
{
    (void)state;
    assert_true(smpp_throttle_status(SMPP_ESME_RTHROTTLED));
    assert_true(smpp_throttle_status(SMPP_ESME_RMSGQFUL));
    assert_false(smpp_throttle_status(SMPP_ESME_ROK));
    assert_false(smpp_throttle_status(SMPP_ESME_RSYSERR));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bucket),    cmocka_unit_test(test_wait),
        cmocka_unit_test(test_unlimited), cmocka_unit_test(test_backoff),
        cmocka_unit_test(test_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
