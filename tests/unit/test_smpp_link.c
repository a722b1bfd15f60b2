/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of gateway/smpp_link against the in-process fake SMSC (test_smpp_link_fake.h), driven
 * by the loop with short real timers (no sleeps): binds, keepalive, answers to the SMSC's own
 * requests (deferred ones included), unbind from the SMSC, resets on bad input, bad options.
 * Window, timeouts, link loss, throttling and stopping: test_smpp_link_flow.c. */
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
#include "test_smpp_link_fake.h"

/* ---- tests ---- */

static void
test_bind_ok(void **state)
{
    (void)state;
    struct ctx *x = ctx_new(GY_BIND_TRANSCEIVER, 0);
    ctx_start(x);
    assert_int_equal(x->f.binds, 1);
    assert_int_equal(x->f.bind_cmds_seen, 1u << 0);
    assert_string_equal(x->f.last_bind.system_id, "gongyou");
    assert_string_equal(x->f.last_bind.password, "secret");
    assert_string_equal(x->f.last_bind.system_type, "JM");
    assert_int_equal(x->f.last_bind.interface_version, 0x34);
    assert_true(x->readies >= 1);
    assert_true(smpp_link_can_submit(x->l));
    static const enum smpp_link_state want[] = {SMPP_LINK_CONNECTING, SMPP_LINK_BINDING,
                                                SMPP_LINK_BOUND};
    assert_int_equal(x->nstates, 3);
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(x->states[i], want[i]);
    struct smpp_link_stats s = stats(x);
    assert_int_equal(s.pdu_out[smpp_link_cmd_index(SMPP_BIND_TRANSCEIVER)], 1);
    assert_int_equal(s.pdu_in[smpp_link_cmd_index(SMPP_BIND_TRANSCEIVER_RESP)], 1);
    assert_string_equal(smpp_link_state_name(smpp_link_state(x->l)), "bound");
    ctx_free(x);
}

static bool
refused_twice(struct ctx *x)
{
    return stats(x).bind_refused >= 2;
}

static void
test_bind_refused_backoff(void **state)
{
    (void)state;
    struct ctx *x = ctx_new(GY_BIND_TRANSCEIVER, 0);
    x->f.bind_status = SMPP_ESME_RINVPASWD;
    struct smpp_link_cbs cbs = {on_completion, on_deliver, on_ready, on_state};
    x->l = smpp_link_new(x->loop, &x->o, &cbs, x);
    assert_int_equal(smpp_link_start(x->l), 0);
    run_until(x, refused_twice, 3000, "two refusals");
    assert_false(smpp_link_can_submit(x->l));
    assert_int_equal(submit(x, 1), GY_ESTATE);
    /* refusal -> backoff -> connecting again */
    bool saw_backoff = false;
    for (unsigned i = 0; i < x->nstates; i++)
        saw_backoff |= x->states[i] == SMPP_LINK_BACKOFF;
    assert_true(saw_backoff);
    assert_true(stats(x).reconnects >= 2);
    x->f.bind_status = 0;
    run_until(x, is_bound, 3000, "bound after the SMSC relents");
    assert_int_equal(x->ndone, 0); /* a refused submit never completes */
    ctx_free(x);
}

static bool
two_enquires(struct ctx *x)
{
    return x->f.enquires >= 2;
}

static void
test_enquire_link_idle(void **state)
{
    (void)state;
    struct ctx *x = ctx_new(GY_BIND_TRANSCEIVER, 0);
    x->o.enquire_link_ms = 30;
    ctx_start(x);
    run_until(x, two_enquires, 3000, "two enquire_link");
    assert_true(is_bound(x));
    assert_int_equal(stats(x).resets, 0);
    assert_true(stats(x).pdu_in[smpp_link_cmd_index(SMPP_ENQUIRE_LINK_RESP)] >= 1);
    ctx_free(x);
}

static void
test_enquire_link_unanswered(void **state)
{
    (void)state;
    struct ctx *x = ctx_new(GY_BIND_TRANSCEIVER, 0);
    x->o.enquire_link_ms = 30;
    x->o.reconnect_min_ms = 2000; /* stay in backoff while we look */
    x->o.reconnect_max_ms = 2000;
    x->f.answer_enquire = false;
    ctx_start(x);
    run_until(x, is_backoff, 3000, "link declared dead");
    assert_int_equal(x->f.enquires, 1);
    assert_int_equal(stats(x).resets, 1);
    ctx_free(x);
}

static bool
el_resp_seen(struct ctx *x)
{
    return x->f.el_resps >= 1;
}

static void
test_smsc_enquire_and_deliver(void **state)
{
    (void)state;
    struct ctx *x = ctx_new(GY_BIND_TRANSCEIVER, 0);
    ctx_start(x);
    struct fconn *fc = f_conn(&x->f, 0);
    f_send_header(fc, SMPP_ENQUIRE_LINK, 0, 77);
    run_until(x, el_resp_seen, 3000, "enquire_link_resp");
    assert_int_equal(x->f.last_el_resp_seq, 77);
    /* deliver_sm: answered with the callback's status, at once */
    static const uint32_t answers[] = {SMPP_ESME_ROK, SMPP_ESME_RX_T_APPN};
    for (unsigned i = 0; i < 2; i++) {
        x->deliver_answer = answers[i];
        struct smpp_pdu p;
        smpp_pdu_init(&p, SMPP_DELIVER_SM, 300 + i);
        snprintf(p.body.sm.source_addr, sizeof p.body.sm.source_addr, "8613800138000");
        snprintf(p.body.sm.destination_addr, sizeof p.body.sm.destination_addr, "10658");
        assert_int_equal(smpp_sm_set_message(&p.body.sm, (const uint8_t *)"JF", 2), 0);
        f_send(fc, &p);
        x->want = i + 1;
        run_until(x, deliver_resp_seen, 3000, "deliver_sm_resp");
        assert_int_equal(x->f.last_deliver_resp_seq, 300 + i);
        assert_int_equal(x->f.last_deliver_resp_status, answers[i]);
    }
    assert_int_equal(x->delivers, 2);
    assert_int_equal(stats(x).delivers_ok, 1);
    assert_int_equal(stats(x).delivers_refused, 1);
    ctx_free(x);
}

/* Deferred answers: nothing is sent until smpp_link_answer(); then each goes with its own
 * sequence number and status; a token from before a reconnection is refused. */
static void
test_deferred_answer(void **state)
{
    (void)state;
    struct ctx *x = ctx_new(GY_BIND_TRANSCEIVER, 0);
    ctx_start(x);
    struct fconn *fc = f_conn(&x->f, 0);
    struct smpp_link_answer_token outside;
    assert_int_equal(smpp_link_defer_answer(x->l, &outside), GY_ESTATE);
    x->defer_delivers = true;
    x->deliver_answer = SMPP_ESME_RX_P_APPN; /* ignored once deferred */
    for (unsigned i = 0; i < 2; i++) {
        struct smpp_pdu p;
        smpp_pdu_init(&p, SMPP_DELIVER_SM, 500 + i);
        snprintf(p.body.sm.source_addr, sizeof p.body.sm.source_addr, "8613800138000");
        assert_int_equal(smpp_sm_set_message(&p.body.sm, (const uint8_t *)"JF", 2), 0);
        f_send(fc, &p);
    }
    x->want = 2;
    while (x->delivers < 2)
        gy_loop_run_once(x->loop, true);
    /* An enquire_link round trip proves the link read past the delivers without answering. */
    f_send_header(fc, SMPP_ENQUIRE_LINK, 0, 78);
    run_until(x, el_resp_seen, 3000, "enquire_link_resp");
    assert_int_equal(x->f.deliver_resps, 0);
    assert_int_equal(x->ntokens, 2);
    assert_int_equal(smpp_link_answer(x->l, &x->tokens[1], SMPP_ESME_RX_T_APPN), 0);
    assert_int_equal(smpp_link_answer(x->l, &x->tokens[0], SMPP_ESME_ROK), 0);
    run_until(x, deliver_resp_seen, 3000, "deliver_sm_resp");
    assert_int_equal(x->f.deliver_resps, 2);
    assert_int_equal(x->f.last_deliver_resp_seq, 500);
    assert_int_equal(x->f.last_deliver_resp_status, SMPP_ESME_ROK);
    assert_int_equal(stats(x).delivers_ok, 1);
    assert_int_equal(stats(x).delivers_refused, 1);
    /* A token of an earlier connection (another generation) is refused. */
    struct smpp_link_answer_token old = x->tokens[0];
    old.gen--;
    assert_int_equal(smpp_link_answer(x->l, &old, SMPP_ESME_ROK), GY_ESTATE);
    ctx_free(x);
}

static void
test_smsc_unbind(void **state)
{
    (void)state;
    struct ctx *x = ctx_new(GY_BIND_TRANSCEIVER, 0);
    ctx_start(x);
    f_send_header(f_conn(&x->f, 0), SMPP_UNBIND, 0, 78);
    run_until(x, rebound_after_unbind, 3000, "unbind answered and bound again");
    assert_int_equal(x->f.unbind_resps, 1);
    assert_int_equal(x->f.last_unbind_resp_seq, 78);
    assert_int_equal(stats(x).pdu_out[smpp_link_cmd_index(SMPP_UNBIND_RESP)], 1);
    ctx_free(x);
}

static bool
nack_seen(struct ctx *x)
{
    return x->f.nacks >= 1;
}

static void
test_unknown_command_nack(void **state)
{
    (void)state;
    struct ctx *x = ctx_new(GY_BIND_TRANSCEIVER, 0);
    ctx_start(x);
    /* query_sm (0x00000003): message_id "1", TON/NPI, source "1" -- not handled by the codec */
    static const uint8_t query_sm[] = {0, 0, 0, 22, 0,  0,   0, 3, 0, 0,   0,
                                       0, 0, 0, 0,  79, '1', 0, 1, 1, '1', 0};
    assert_int_equal(gy_conn_write(f_conn(&x->f, 0)->c, query_sm, sizeof query_sm), 0);
    run_until(x, nack_seen, 3000, "generic_nack");
    assert_int_equal(x->f.last_nack_seq, 79);
    assert_int_equal(x->f.last_nack_status, SMPP_ESME_RINVCMDID);
    assert_true(is_bound(x));
    assert_int_equal(stats(x).resets, 0);
    ctx_free(x);
}

static bool
reset_and_rebound(struct ctx *x)
{
    return stats(x).resets >= 1 && x->f.binds >= 2 && is_bound(x);
}

static void
test_bad_input_resets(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        uint8_t bytes[20];
        size_t len;
    } cases[] = {
        {"oversize command_length", {0, 0x10, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 1}, 16},
        {"command_length below 16", {0, 0, 0, 8, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 1}, 16},
        {"deliver_sm cut short", {0, 0, 0, 17, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 1, 'x'}, 17},
        {"enquire_link_resp with status and body",
         {0, 0, 0, 18, 0x80, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0xff},
         18},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ctx *x = ctx_new(GY_BIND_TRANSCEIVER, 0);
        ctx_start(x);
        assert_int_equal(gy_conn_write(f_conn(&x->f, 0)->c, cases[i].bytes, cases[i].len), 0);
        run_until(x, reset_and_rebound, 3000, cases[i].what);
        assert_int_equal(stats(x).resets, 1);
        ctx_free(x);
    }
}

static void
test_bad_options(void **state)
{
    (void)state;
    struct gy_loop *loop = gy_loop_new();
    struct smpp_link_cbs cbs = {on_completion, NULL, NULL, NULL};
    struct smpp_link_opts good = {.name = "x",
                                  .host = "127.0.0.1",
                                  .port = 2775,
                                  .window = 1,
                                  .response_ms = 10,
                                  .reconnect_min_ms = 1,
                                  .reconnect_max_ms = 1};
    struct smpp_link *l = smpp_link_new(loop, &good, &cbs, NULL);
    assert_non_null(l);
    smpp_link_free(l);
    struct smpp_link_opts bad[6];
    for (unsigned i = 0; i < 6; i++)
        bad[i] = good;
    bad[0].port = 0;
    bad[1].window = 0;
    bad[2].response_ms = 0;
    bad[3].reconnect_max_ms = 0;
    bad[4].password = "123456789";
    bad[5].max_pdu = 8;
    for (unsigned i = 0; i < 6; i++)
        assert_null(smpp_link_new(loop, &bad[i], &cbs, NULL));
    struct smpp_link_cbs none = {0};
    assert_null(smpp_link_new(loop, &good, &none, NULL));
    gy_loop_free(loop);
}

int
main(void)
{
    gy_log_set_level(GY_LOG_WARN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bind_ok),
        cmocka_unit_test(test_bind_refused_backoff),
        cmocka_unit_test(test_enquire_link_idle),
        cmocka_unit_test(test_enquire_link_unanswered),
        cmocka_unit_test(test_smsc_enquire_and_deliver),
        cmocka_unit_test(test_deferred_answer),
        cmocka_unit_test(test_smsc_unbind),
        cmocka_unit_test(test_unknown_command_nack),
        cmocka_unit_test(test_bad_input_resets),
        cmocka_unit_test(test_bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
