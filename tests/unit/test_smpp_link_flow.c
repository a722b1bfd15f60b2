/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the submit flow of gateway/smpp_link against the in-process fake SMSC
 * (test_smpp_link_fake.h), driven by the loop with short real timers (no sleeps): window,
 * sequence wrap, response timeouts, link loss, throttling, throughput, graceful stop, the
 * transmitter+receiver pair. Binds and keepalive: test_smpp_link.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/gy_err.h"
#include "base/gy_log.h"
#include "gateway/smpp_window.h"
#include "test_smpp_link_fake.h"

/* ---- tests ---- */

static bool
ready_again(struct ctx *x)
{
    return x->readies >= x->want;
}

static void
test_window_full(void **state)
{
    (void)state;
    struct ctx *x = ctx_new(GY_BIND_TRANSCEIVER, 0);
    ctx_start(x);
    x->f.submit_mode = HOLD;
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(submit(x, 10 + i), 0);
    assert_false(smpp_link_can_submit(x->l));
    assert_int_equal(submit(x, 99), GY_EBUSY);
    assert_int_equal(stats(x).window_used, 4);
    x->want = 4;
    run_until(x, fake_submits_reached, 3000, "four submits at the SMSC");
    unsigned r0 = x->readies;
    f_answer_submit(f_conn(&x->f, 0), x->f.held[0], 0);
    x->want = r0 + 1;
    run_until(x, ready_again, 3000, "ready after a response");
    assert_int_equal(x->ndone, 1);
    assert_int_equal(x->done[0].cookie, 10);
    assert_int_equal(x->done[0].kind, SMPP_DONE_RESPONSE);
    assert_int_equal(x->done[0].status, 0);
    char want_mid[16];
    snprintf(want_mid, sizeof want_mid, "id%u", x->f.held[0]);
    assert_string_equal(x->done[0].mid, want_mid);
    assert_int_equal(submit(x, 14), 0);
    assert_int_equal(submit(x, 15), GY_EBUSY);
    assert_int_equal(stats(x).submits, 5);
    assert_int_equal(stats(x).submit_refused, 2);
    ctx_free(x); /* the four outstanding complete as LINK_LOST inside free */
}

static void
test_sequence_wrap(void **state)
{
    (void)state;
    struct ctx *x = ctx_new(GY_BIND_TRANSCEIVER, SMPP_SEQ_MAX - 1);
    ctx_start(x); /* the bind takes SMPP_SEQ_MAX - 1 */
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(submit(x, 500 + i), 0);
    x->want = 3;
    run_until(x, done_reached, 3000, "three responses");
    assert_int_equal(x->f.submit_seqs[0], SMPP_SEQ_MAX);
    assert_int_equal(x->f.submit_seqs[1], 1);
    assert_int_equal(x->f.submit_seqs[2], 2);
    for (unsigned i = 0; i < 3; i++) {
        assert_int_equal(x->done[i].cookie, 500 + i);
        assert_int_equal(x->done[i].kind, SMPP_DONE_RESPONSE);
    }
    ctx_free(x);
}

static bool
late_resps_read(struct ctx *x)
{
    return stats(x).pdu_in[smpp_link_cmd_index(SMPP_SUBMIT_SM_RESP)] >= 2;
}

static void
test_response_timeout(void **state)
{
    (void)state;
    struct ctx *x = ctx_new(GY_BIND_TRANSCEIVER, 0);
    ctx_start(x);
    x->f.submit_mode = HOLD;
    assert_int_equal(submit(x, 1), 0);
    assert_int_equal(submit(x, 2), 0);
    x->want = 2;
    run_until(x, done_reached, 3000, "two timeouts");
    for (unsigned i = 0; i < 2; i++) {
        assert_int_equal(x->done[i].cookie, i + 1);
        assert_int_equal(x->done[i].kind, SMPP_DONE_TIMEOUT);
    }
    /* late answers complete nothing a second time */
    f_answer_held(&x->f, 0);
    run_until(x, late_resps_read, 3000, "late responses read");
    assert_int_equal(x->ndone, 2);
    assert_int_equal(stats(x).submit_timeout, 2);
    assert_int_equal(stats(x).window_used, 0);
    assert_true(is_bound(x));
    ctx_free(x);
}

static void
test_link_lost_mid_window(void **state)
{
    (void)state;
    struct ctx *x = ctx_new(GY_BIND_TRANSCEIVER, 0);
    ctx_start(x);
    x->f.submit_mode = HOLD;
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(submit(x, 40 + i), 0);
    x->want = 3;
    run_until(x, fake_submits_reached, 3000, "three submits at the SMSC");
    f_drop(f_conn(&x->f, 0));
    run_until(x, done_reached, 3000, "three completions");
    unsigned seen = 0;
    for (unsigned i = 0; i < x->ndone; i++) {
        assert_int_equal(x->done[i].kind, SMPP_DONE_LINK_LOST);
        assert_true(x->done[i].cookie >= 40 && x->done[i].cookie < 43);
        assert_false(seen & (1u << (x->done[i].cookie - 40)));
        seen |= 1u << (x->done[i].cookie - 40);
    }
    x->f.nheld = 0;
    x->f.binds = 0;
    x->f.submit_mode = ANSWER;
    run_until(x, is_bound, 3000, "bound again");
    assert_int_equal(x->ndone, 3);
    assert_int_equal(submit(x, 50), 0);
    x->want = 4;
    run_until(x, done_reached, 3000, "a submit on the new session");
    assert_int_equal(x->done[3].kind, SMPP_DONE_RESPONSE);
    assert_int_equal(stats(x).submit_lost, 3);
    ctx_free(x);
}

static void
test_throttled_pause(void **state)
{
    (void)state;
    struct ctx *x = ctx_new(GY_BIND_TRANSCEIVER, 0);
    ctx_start(x);
    x->f.submit_status = SMPP_ESME_RTHROTTLED;
    assert_int_equal(submit(x, 7), 0);
    x->want = 1;
    run_until(x, done_reached, 3000, "throttled response");
    assert_int_equal(x->done[0].kind, SMPP_DONE_RESPONSE);
    assert_int_equal(x->done[0].status, SMPP_ESME_RTHROTTLED);
    assert_string_equal(x->done[0].mid, "");
    assert_int_equal(stats(x).throttled, 1);
    assert_false(smpp_link_can_submit(x->l)); /* paused, and arms ready */
    assert_int_equal(submit(x, 8), GY_EBUSY);
    unsigned r0 = x->readies;
    x->want = r0 + 1;
    run_until(x, ready_again, 3000, "ready after the pause");
    x->f.submit_status = 0;
    assert_int_equal(submit(x, 8), 0);
    x->want = 2;
    run_until(x, done_reached, 3000, "accepted after the pause");
    assert_int_equal(x->done[1].status, 0);
    ctx_free(x);
}

static void
test_throughput_limit(void **state)
{
    (void)state;
    struct ctx *x = ctx_new(GY_BIND_TRANSCEIVER, 0);
    x->o.throughput = 50; /* burst 10 */
    x->o.window = 100;
    ctx_start(x);
    unsigned ok = 0;
    while (submit(x, ok) == 0)
        ok++;
    assert_true(ok >= 10 && ok <= 11);
    unsigned r0 = x->readies;
    x->want = r0 + 1;
    run_until(x, ready_again, 3000, "ready when a token is back");
    assert_int_equal(submit(x, 999), 0);
    ctx_free(x);
}

static void
test_graceful_stop(void **state)
{
    (void)state;
    struct ctx *x = ctx_new(GY_BIND_TRANSCEIVER, 0);
    ctx_start(x);
    x->f.submit_mode = HOLD;
    assert_int_equal(submit(x, 1), 0);
    assert_int_equal(submit(x, 2), 0);
    x->want = 2;
    run_until(x, fake_submits_reached, 3000, "two submits at the SMSC");
    assert_int_equal(smpp_link_stop(x->l, 2000), 0);
    assert_int_equal(smpp_link_state(x->l), SMPP_LINK_DRAINING);
    assert_int_equal(submit(x, 3), GY_ESTATE);
    assert_int_equal(x->f.unbinds, 0);
    f_answer_held(&x->f, 0);
    run_until(x, is_disconnected, 3000, "disconnected after the unbind");
    assert_int_equal(x->ndone, 2);
    assert_int_equal(x->unbind_at_done, 0); /* both answered before the unbind went out */
    assert_int_equal(x->done[0].kind, SMPP_DONE_RESPONSE);
    assert_int_equal(x->done[1].kind, SMPP_DONE_RESPONSE);
    assert_int_equal(x->f.unbinds, 1);
    assert_int_equal(stats(x).pdu_in[smpp_link_cmd_index(SMPP_UNBIND_RESP)], 1);
    ctx_free(x);
}

static void
test_stop_drain_timeout(void **state)
{
    (void)state;
    struct ctx *x = ctx_new(GY_BIND_TRANSCEIVER, 0);
    x->o.response_ms = 5000; /* the drain time, not the response timeout, ends the wait */
    ctx_start(x);
    x->f.submit_mode = HOLD;
    assert_int_equal(submit(x, 1), 0);
    assert_int_equal(smpp_link_stop(x->l, 30), 0);
    run_until(x, is_disconnected, 3000, "disconnected");
    assert_int_equal(x->f.unbinds, 1);
    assert_int_equal(x->ndone, 1);
    assert_int_equal(x->done[0].kind, SMPP_DONE_LINK_LOST);
    ctx_free(x);
}

static void
test_tx_rx_pair(void **state)
{
    (void)state;
    struct ctx *x = ctx_new(GY_BIND_TX_RX, 0);
    ctx_start(x);
    assert_int_equal(x->f.binds, 2);
    assert_int_equal(x->f.bind_cmds_seen, (1u << 1) | (1u << 2));
    assert_int_equal(submit(x, 1), 0);
    x->want = 1;
    run_until(x, done_reached, 3000, "response over the transmitter");
    assert_int_equal(x->f.submits_on_cmd[1], 1);
    /* deliver_sm on the receiver reaches the callback; on the transmitter it is refused */
    static const struct {
        uint32_t on;
        uint32_t status;
        unsigned delivers;
    } cases[] = {{SMPP_BIND_RECEIVER, SMPP_ESME_ROK, 1},
                 {SMPP_BIND_TRANSMITTER, SMPP_ESME_RINVBNDSTS, 1}};
    for (unsigned i = 0; i < 2; i++) {
        struct smpp_pdu p;
        smpp_pdu_init(&p, SMPP_DELIVER_SM, 900 + i);
        assert_int_equal(smpp_sm_set_message(&p.body.sm, (const uint8_t *)"1", 1), 0);
        f_send(f_conn(&x->f, cases[i].on), &p);
        x->want = i + 1;
        run_until(x, deliver_resp_seen, 3000, "deliver_sm_resp");
        assert_int_equal(x->f.last_deliver_resp_status, cases[i].status);
        assert_int_equal(x->delivers, cases[i].delivers);
    }
    /* losing the receiver takes the whole logical link down */
    x->f.binds = 0;
    f_drop(f_conn(&x->f, SMPP_BIND_RECEIVER));
    x->want = 2;
    run_until(x, rebound_after_unbind, 3000, "both bound again");
    assert_int_equal(x->f.binds, 2);
    assert_int_equal(smpp_link_stop(x->l, 100), 0);
    run_until(x, is_disconnected, 3000, "stopped");
    assert_int_equal(x->f.unbinds, 2);
    ctx_free(x);
}

/* Information only, never pass/fail on time: submits per second over loopback against the
 * in-process fake (both ends on one loop, one core), window 1, 10 and 100. */
static void
test_throughput_figure(void **state)
{
    (void)state;
    static const unsigned windows[] = {1, 10, 100};
    for (unsigned i = 0; i < 3; i++) {
        struct ctx *x = ctx_new(GY_BIND_TRANSCEIVER, 0);
        x->o.window = windows[i];
        x->o.response_ms = 5000;
        ctx_start(x);
        const unsigned n = 20000;
        uint64_t t0 = gy_loop_now_ms(x->loop);
        x->pump = n;
        on_ready(x->l, x);
        x->want = n;
        run_until(x, done_reached, 60000, "all responses");
        uint64_t ms = gy_loop_now_ms(x->loop) - t0;
        assert_int_equal(stats(x).submit_ok, n);
        printf("# window %3u: %u submits in %llu ms (%.0f/s, link and fake SMSC on one core)\n",
               windows[i], n, (unsigned long long)ms, ms ? n * 1000.0 / (double)ms : 0.0);
        ctx_free(x);
    }
}

int
main(void)
{
    gy_log_set_level(GY_LOG_WARN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_full),      cmocka_unit_test(test_sequence_wrap),
        cmocka_unit_test(test_response_timeout), cmocka_unit_test(test_link_lost_mid_window),
        cmocka_unit_test(test_throttled_pause),  cmocka_unit_test(test_throughput_limit),
        cmocka_unit_test(test_graceful_stop),    cmocka_unit_test(test_stop_drain_timeout),
        cmocka_unit_test(test_tx_rx_pair),       cmocka_unit_test(test_throughput_figure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
