/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fake SMSC and the loop context of the smpp_link tests (test_smpp_link_fake.h): an
 * in-process SMSC on gy_conn's server side and the codec, on 127.0.0.1 with an ephemeral port,
 * and the link callbacks that record what the link reports. It holds no test of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/gy_err.h"
#include "test_smpp_link_fake.h"

/* ---- fake SMSC ---- */

static int
kind_index(uint32_t bind_cmd)
{
    return bind_cmd == SMPP_BIND_TRANSMITTER ? 1 : bind_cmd == SMPP_BIND_RECEIVER ? 2 : 0;
}

void
f_send(struct fconn *fc, const struct smpp_pdu *p)
{
    uint8_t buf[SMPP_ENCODE_MAX];
    size_t len;
    assert_int_equal(smpp_pdu_encode(p, buf, sizeof buf, &len, NULL, 0), 0);
    assert_int_equal(gy_conn_write(fc->c, buf, len), 0);
}

void
f_send_header(struct fconn *fc, uint32_t id, uint32_t status, uint32_t seq)
{
    struct smpp_pdu p;
    smpp_pdu_init(&p, id, seq);
    p.hdr.command_status = status;
    f_send(fc, &p);
}

void
f_answer_submit(struct fconn *fc, uint32_t seq, uint32_t status)
{
    struct smpp_pdu p;
    smpp_pdu_init(&p, SMPP_SUBMIT_SM_RESP, seq);
    p.hdr.command_status = status;
    snprintf(p.body.sm_resp.message_id, sizeof p.body.sm_resp.message_id, "id%u", seq);
    f_send(fc, &p);
}

void
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
struct fconn *
f_conn(struct fake *f, uint32_t bind_cmd)
{
    for (unsigned i = 0; i < MAXC; i++)
        if (f->conns[i].c != NULL && f->conns[i].bind_cmd != 0 &&
            (bind_cmd == 0 || f->conns[i].bind_cmd == bind_cmd))
            return &f->conns[i];
    fail_msg("no bound connection");
    return NULL;
}

void
f_answer_held(struct fake *f, uint32_t status)
{
    struct fconn *fc = f_conn(f, 0);
    for (unsigned i = 0; i < f->nheld; i++)
        f_answer_submit(fc, f->held[i], status);
    f->nheld = 0;
}

/* ---- the link side ---- */

void
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

uint32_t
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

void
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

void
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
void
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

bool
is_bound(struct ctx *x)
{
    return smpp_link_state(x->l) == SMPP_LINK_BOUND;
}

bool
is_backoff(struct ctx *x)
{
    return smpp_link_state(x->l) == SMPP_LINK_BACKOFF;
}

bool
is_disconnected(struct ctx *x)
{
    return smpp_link_state(x->l) == SMPP_LINK_DISCONNECTED;
}

struct smpp_link_stats
stats(struct ctx *x)
{
    struct smpp_link_stats s;
    smpp_link_stats(x->l, &s);
    return s;
}

struct ctx *
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

void
ctx_start(struct ctx *x)
{
    struct smpp_link_cbs cbs = {on_completion, on_deliver, on_ready, on_state};
    x->l = smpp_link_new(x->loop, &x->o, &cbs, x);
    assert_non_null(x->l);
    assert_int_equal(smpp_link_start(x->l), 0);
    assert_int_equal(smpp_link_start(x->l), GY_ESTATE);
    run_until(x, is_bound, 3000, "bound");
}

void
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

void
make_submit(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_SUBMIT_SM, 0);
    snprintf(p->body.sm.source_addr, sizeof p->body.sm.source_addr, "10658");
    snprintf(p->body.sm.destination_addr, sizeof p->body.sm.destination_addr, "8613800138000");
    p->body.sm.dest_addr_ton = 1;
    p->body.sm.dest_addr_npi = 1;
    assert_int_equal(smpp_sm_set_message(&p->body.sm, (const uint8_t *)"hello", 5), 0);
}

int
submit(struct ctx *x, uint64_t cookie)
{
    struct smpp_pdu p;
    make_submit(&p);
    return smpp_link_submit(x->l, &p, cookie);
}

bool
done_reached(struct ctx *x)
{
    return x->ndone >= x->want;
}

bool
fake_submits_reached(struct ctx *x)
{
    return x->f.submits >= x->want;
}

/* ---- predicates both test files wait on ---- */

bool
deliver_resp_seen(struct ctx *x)
{
    return x->f.deliver_resps >= x->want;
}

bool
rebound_after_unbind(struct ctx *x)
{
    return x->f.unbinds == 0 && x->f.binds >= 2 && is_bound(x);
}
