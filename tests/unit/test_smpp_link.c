/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of gateway/smpp_link against an in-process fake SMSC built on gy_conn's server side
 * and the codec, on 127.0.0.1 with an ephemeral port, driven by the loop with short real
 * timers (no sleeps): binds, keepalive, resets, window, timeouts, link loss, throttling,
 * graceful stop, the transmitter+receiver pair. */
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
#include "gateway/gy_conn.h"
#include "gateway/gy_loop.h"
#include "gateway/smpp_codec.h"
#include "gateway/smpp_link.h"
#include "gateway/smpp_window.h"

#define MAXC    8
#define MAXHELD 64
#define MAXDONE 256

enum submit_mode { ANSWER, HOLD };

struct fake;
struct fconn {
    struct fake *f;
    struct gy_conn *c;
    uint32_t bind_cmd; /* 0 until bound */
};

/* The fake SMSC: behaviour knobs and what it saw. */
struct fake {
    struct gy_loop *loop;
    struct gy_conn_listener *lis;
    struct fconn conns[MAXC];
    uint32_t bind_status;
    bool answer_enquire;
    enum submit_mode submit_mode;
    uint32_t submit_status;
    uint32_t held[MAXHELD];
    unsigned nheld;
    unsigned accepts, binds, enquires, submits, unbinds, unbind_resps, el_resps;
    unsigned nacks, deliver_resps;
    uint32_t last_nack_seq, last_nack_status, last_el_resp_seq, last_unbind_resp_seq;
    uint32_t last_deliver_resp_seq, last_deliver_resp_status;
    uint32_t submit_seqs[MAXHELD];
    unsigned nsubmit_seqs;
    struct smpp_bind last_bind;
    uint32_t bind_cmds_seen;
    unsigned submits_on_cmd[3]; /* by bind kind: transceiver, transmitter, receiver */
};

struct done {
    uint64_t cookie;
    enum smpp_link_done kind;
    uint32_t status;
    char mid[SMPP_MESSAGE_ID_SIZE];
};

struct ctx {
    struct gy_loop *loop;
    struct fake f;
    struct smpp_link *l;
    struct smpp_link_opts o;
    struct done done[MAXDONE];
    unsigned ndone, readies, delivers, unbind_at_done;
    uint32_t deliver_answer;
    bool defer_delivers; /* the deliver callback defers its answers into tokens[] */
    struct smpp_link_answer_token tokens[8];
    unsigned ntokens;
    enum smpp_link_state states[256];
    unsigned nstates;
    bool guard_fired;
    unsigned want; /* the count a predicate waits for */
    unsigned pump; /* submits the ready callback still sends (throughput figure) */
};

/* ---- fake SMSC ---- */

static int
kind_index(uint32_t bind_cmd)
{
    return bind_cmd == SMPP_BIND_TRANSMITTER ? 1 : bind_cmd == SMPP_BIND_RECEIVER ? 2 : 0;
}

static void
f_send(struct fconn *fc, const struct smpp_pdu *p)
{
    uint8_t buf[SMPP_ENCODE_MAX];
    size_t len;
    assert_int_equal(smpp_pdu_encode(p, buf, sizeof buf, &len, NULL, 0), 0);
    assert_int_equal(gy_conn_write(fc->c, buf, len), 0);
}

static void
f_send_header(struct fconn *fc, uint32_t id, uint32_t status, uint32_t seq)
{
    struct smpp_pdu p;
    smpp_pdu_init(&p, id, seq);
    p.hdr.command_status = status;
    f_send(fc, &p);
}

static void
f_answer_submit(struct fconn *fc, uint32_t seq, uint32_t status)
{
    struct smpp_pdu p;
    smpp_pdu_init(&p, SMPP_SUBMIT_SM_RESP, seq);
    p.hdr.command_status = status;
    snprintf(p.body.sm_resp.message_id, sizeof p.body.sm_resp.message_id, "id%u", seq);
    f_send(fc, &p);
}

static void
f_drop(struct fconn *fc)
{
    gy_conn_close(fc->c);
    fc->c = NULL;
    fc->bind_cmd = 0;
}

static void
f_handle(struct fconn *fc, const struct smpp_pdu *p)
{
    struct fake *f = fc->f;
    uint32_t id = p->hdr.command_id, seq = p->hdr.sequence_number;
    switch (id) {
    case SMPP_BIND_TRANSCEIVER:
    case SMPP_BIND_TRANSMITTER:
    case SMPP_BIND_RECEIVER: {
        f->binds++;
        f->last_bind = p->body.bind;
        f->bind_cmds_seen |= 1u << kind_index(id);
        struct smpp_pdu r;
        smpp_pdu_init(&r, id | SMPP_RESP_BIT, seq);
        r.hdr.command_status = f->bind_status;
        snprintf(r.body.bind_resp.system_id, sizeof r.body.bind_resp.system_id, "fake");
        f_send(fc, &r);
        if (f->bind_status == 0)
            fc->bind_cmd = id;
        break;
    }
    case SMPP_ENQUIRE_LINK:
        f->enquires++;
        if (f->answer_enquire)
            f_send_header(fc, SMPP_ENQUIRE_LINK_RESP, 0, seq);
        break;
    case SMPP_ENQUIRE_LINK_RESP:
        f->el_resps++;
        f->last_el_resp_seq = seq;
        break;
    case SMPP_SUBMIT_SM:
        f->submits++;
        f->submits_on_cmd[kind_index(fc->bind_cmd)]++;
        if (f->nsubmit_seqs < MAXHELD)
            f->submit_seqs[f->nsubmit_seqs++] = seq;
        if (f->submit_mode == HOLD && f->nheld < MAXHELD)
            f->held[f->nheld++] = seq;
        else
            f_answer_submit(fc, seq, f->submit_status);
        break;
    case SMPP_UNBIND:
        f->unbinds++;
        f_send_header(fc, SMPP_UNBIND_RESP, 0, seq);
        break;
    case SMPP_UNBIND_RESP:
        f->unbind_resps++;
        f->last_unbind_resp_seq = seq;
        break;
    case SMPP_GENERIC_NACK:
        f->nacks++;
        f->last_nack_seq = seq;
        f->last_nack_status = p->hdr.command_status;
        break;
    case SMPP_DELIVER_SM_RESP:
        f->deliver_resps++;
        f->last_deliver_resp_seq = seq;
        f->last_deliver_resp_status = p->hdr.command_status;
        break;
    default:
        break;
    }
}

static void
f_conn_cb(struct gy_conn *c, enum gy_conn_event ev, int err, void *arg)
{
    (void)err;
    struct fconn *fc = arg;
    if (ev != GY_CONN_DATA) {
        f_drop(fc);
        return;
    }
    for (;;) {
        size_t have;
        const uint8_t *d = gy_conn_data(c, &have);
        uint32_t len;
        assert_int_equal(smpp_frame_length(d, have, SMPP_PDU_MAX_LIMIT, &len), 0);
        if (len == 0 || have < len)
            return;
        struct smpp_pdu p;
        assert_int_equal(smpp_pdu_decode(d, len, &p, NULL, 0), 0);
        gy_conn_consume(c, len);
        f_handle(fc, &p);
        if (fc->c != c)
            return;
    }
}

static void
f_accept(struct gy_conn_listener *l, struct gy_conn *c, void *arg)
{
    (void)l;
    struct fake *f = arg;
    f->accepts++;
    for (unsigned i = 0; i < MAXC; i++)
        if (f->conns[i].c == NULL) {
            f->conns[i] = (struct fconn){.f = f, .c = c};
            gy_conn_set_cb(c, f_conn_cb, &f->conns[i]);
            return;
        }
    gy_conn_close(c);
}

/* The bound connection of this kind (SMPP_BIND_*), or the first bound one for 0. */
static struct fconn *
f_conn(struct fake *f, uint32_t bind_cmd)
{
    for (unsigned i = 0; i < MAXC; i++)
        if (f->conns[i].c != NULL && f->conns[i].bind_cmd != 0 &&
            (bind_cmd == 0 || f->conns[i].bind_cmd == bind_cmd))
            return &f->conns[i];
    fail_msg("no bound connection");
    return NULL;
}

static void
f_answer_held(struct fake *f, uint32_t status)
{
    struct fconn *fc = f_conn(f, 0);
    for (unsigned i = 0; i < f->nheld; i++)
        f_answer_submit(fc, f->held[i], status);
    f->nheld = 0;
}

/* ---- the link side ---- */

static void
on_completion(struct smpp_link *l, const struct smpp_link_completion *c, void *arg)
{
    (void)l;
    struct ctx *x = arg;
    x->unbind_at_done = x->f.unbinds;
    if (x->ndone++ >= MAXDONE)
        return; /* counted only (throughput figure) */
    struct done *d = &x->done[x->ndone - 1];
    d->cookie = c->cookie;
    d->kind = c->kind;
    d->status = c->command_status;
    snprintf(d->mid, sizeof d->mid, "%s", c->message_id);
}

static uint32_t
on_deliver(struct smpp_link *l, const struct smpp_pdu *p, void *arg)
{
    (void)l;
    (void)p;
    struct ctx *x = arg;
    x->delivers++;
    if (x->defer_delivers && x->ntokens < 8)
        assert_int_equal(smpp_link_defer_answer(l, &x->tokens[x->ntokens++]), 0);
    return x->deliver_answer;
}

static void make_submit(struct smpp_pdu *p);

static void
on_ready(struct smpp_link *l, void *arg)
{
    struct ctx *x = arg;
    x->readies++;
    struct smpp_pdu p;
    if (x->pump > 0)
        make_submit(&p);
    while (x->pump > 0 && smpp_link_submit(l, &p, x->pump) == 0)
        x->pump--;
}

static void
on_state(struct smpp_link *l, enum smpp_link_state from, enum smpp_link_state to, void *arg)
{
    (void)l;
    (void)from;
    struct ctx *x = arg;
    if (x->nstates < 256)
        x->states[x->nstates++] = to;
}

static void
guard_cb(struct gy_timer *t, void *arg)
{
    (void)t;
    ((struct ctx *)arg)->guard_fired = true;
}

typedef bool pred_fn(struct ctx *x);

/* Runs the loop until pred holds; fails after max_ms. */
static void
run_until(struct ctx *x, pred_fn *pred, uint64_t max_ms, const char *what)
{
    struct gy_timer *g = gy_timer_new(x->loop, guard_cb, x);
    x->guard_fired = false;
    gy_timer_start(g, max_ms, false);
    while (!pred(x) && !x->guard_fired)
        assert_int_equal(gy_loop_run_once(x->loop, true), 0);
    gy_timer_free(g);
    if (!pred(x))
        fail_msg("timed out waiting for: %s", what);
}

static bool
is_bound(struct ctx *x)
{
    return smpp_link_state(x->l) == SMPP_LINK_BOUND;
}

static bool
is_backoff(struct ctx *x)
{
    return smpp_link_state(x->l) == SMPP_LINK_BACKOFF;
}

static bool
is_disconnected(struct ctx *x)
{
    return smpp_link_state(x->l) == SMPP_LINK_DISCONNECTED;
}

static struct smpp_link_stats
stats(struct ctx *x)
{
    struct smpp_link_stats s;
    smpp_link_stats(x->l, &s);
    return s;
}

static struct ctx *
ctx_new(enum gy_bind_mode mode, uint32_t first_seq)
{
    struct ctx *x = calloc(1, sizeof *x);
    assert_non_null(x);
    x->loop = gy_loop_new();
    assert_non_null(x->loop);
    x->f.loop = x->loop;
    x->f.answer_enquire = true;
    x->f.lis = gy_conn_listen(x->loop, "127.0.0.1", 0, f_accept, &x->f);
    assert_non_null(x->f.lis);
    x->deliver_answer = SMPP_ESME_ROK;
    x->o = (struct smpp_link_opts){
        .name = "smsc-test",
        .host = "127.0.0.1",
        .port = gy_conn_listener_port(x->f.lis),
        .mode = mode,
        .system_id = "gongyou",
        .password = "secret",
        .system_type = "JM",
        .address_range = "",
        .window = 4,
        .response_ms = 150,
        .connect_ms = 500,
        .reconnect_min_ms = 10,
        .reconnect_max_ms = 40,
        .throttle_pause_ms = 40,
        .first_seq = first_seq,
        .seed = 42,
    };
    return x;
}

static void
ctx_start(struct ctx *x)
{
    struct smpp_link_cbs cbs = {on_completion, on_deliver, on_ready, on_state};
    x->l = smpp_link_new(x->loop, &x->o, &cbs, x);
    assert_non_null(x->l);
    assert_int_equal(smpp_link_start(x->l), 0);
    assert_int_equal(smpp_link_start(x->l), GY_ESTATE);
    run_until(x, is_bound, 3000, "bound");
}

static void
ctx_free(struct ctx *x)
{
    smpp_link_free(x->l);
    for (unsigned i = 0; i < MAXC; i++)
        if (x->f.conns[i].c != NULL)
            gy_conn_close(x->f.conns[i].c);
    gy_conn_listener_free(x->f.lis);
    gy_loop_free(x->loop);
    free(x);
}

static void
make_submit(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_SUBMIT_SM, 0);
    snprintf(p->body.sm.source_addr, sizeof p->body.sm.source_addr, "10658");
    snprintf(p->body.sm.destination_addr, sizeof p->body.sm.destination_addr, "8613800138000");
    p->body.sm.dest_addr_ton = 1;
    p->body.sm.dest_addr_npi = 1;
    assert_int_equal(smpp_sm_set_message(&p->body.sm, (const uint8_t *)"hello", 5), 0);
}

static int
submit(struct ctx *x, uint64_t cookie)
{
    struct smpp_pdu p;
    make_submit(&p);
    return smpp_link_submit(x->l, &p, cookie);
}

static bool
done_reached(struct ctx *x)
{
    return x->ndone >= x->want;
}

static bool
fake_submits_reached(struct ctx *x)
{
    return x->f.submits >= x->want;
}

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

static bool
deliver_resp_seen(struct ctx *x)
{
    return x->f.deliver_resps >= x->want;
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

static bool
rebound_after_unbind(struct ctx *x)
{
    return x->f.unbinds == 0 && x->f.binds >= 2 && is_bound(x);
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
        cmocka_unit_test(test_window_full),
        cmocka_unit_test(test_sequence_wrap),
        cmocka_unit_test(test_response_timeout),
        cmocka_unit_test(test_link_lost_mid_window),
        cmocka_unit_test(test_throttled_pause),
        cmocka_unit_test(test_throughput_limit),
        cmocka_unit_test(test_graceful_stop),
        cmocka_unit_test(test_stop_drain_timeout),
        cmocka_unit_test(test_tx_rx_pair),
        cmocka_unit_test(test_throughput_figure),
        cmocka_unit_test(test_bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
