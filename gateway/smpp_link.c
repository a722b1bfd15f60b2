/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smpp_link: the per-bind state machine (states, transitions, timers, back-off, graceful
 * stop) and the public API (submit, can_submit, stats). PDUs are read, dispatched and written
 * in smpp_link_pdu.c; the codec is the only thing that knows SMPP bytes. Logs carry [name]
 * and never a password, number or message text. */
#include "gateway/smpp_link.h"
#include "gateway/smpp_link_int.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "base/gy_log.h"
#include "gateway/smpp_codec.h"

#define DEFAULT_MAX_PDU 4096u

static const char *const state_names[] = {
#define SMPP_LINK_STATE_NAME(name, text) text,
    SMPP_LINK_STATES(SMPP_LINK_STATE_NAME)
#undef SMPP_LINK_STATE_NAME
};

const char *
smpp_link_state_name(enum smpp_link_state s)
{
    if ((unsigned)s >= sizeof state_names / sizeof state_names[0])
        return "unknown";
    return state_names[s];
}

/* Allowed transitions: bit `to` set in allowed[from]. */
#define B(s) (1u << (s))
static const unsigned allowed[] = {
    [SMPP_LINK_DISCONNECTED] = B(SMPP_LINK_CONNECTING),
    [SMPP_LINK_CONNECTING] =
        B(SMPP_LINK_BINDING) | B(SMPP_LINK_BACKOFF) | B(SMPP_LINK_DISCONNECTED),
    [SMPP_LINK_BINDING] = B(SMPP_LINK_BOUND) | B(SMPP_LINK_BACKOFF) | B(SMPP_LINK_DISCONNECTED),
    [SMPP_LINK_BOUND] = B(SMPP_LINK_DRAINING) | B(SMPP_LINK_BACKOFF) | B(SMPP_LINK_DISCONNECTED),
    [SMPP_LINK_DRAINING] =
        B(SMPP_LINK_UNBINDING) | B(SMPP_LINK_BACKOFF) | B(SMPP_LINK_DISCONNECTED),
    [SMPP_LINK_UNBINDING] = B(SMPP_LINK_DISCONNECTED),
    [SMPP_LINK_BACKOFF] = B(SMPP_LINK_CONNECTING) | B(SMPP_LINK_DISCONNECTED),
};
#undef B

static const uint32_t cmd_ids[] = {
#define SMPP_LINK_CMD_ID(id) id,
    SMPP_LINK_CMDS(SMPP_LINK_CMD_ID)
#undef SMPP_LINK_CMD_ID
};

unsigned
smpp_link_cmd_index(uint32_t command_id)
{
    for (unsigned i = 0; i < sizeof cmd_ids / sizeof cmd_ids[0]; i++)
        if (cmd_ids[i] == command_id)
            return i;
    return SMPP_LINK_NCMD - 1;
}

static uint64_t
rng_next(struct smpp_link *l)
{
    /* xorshift64* */
    l->rng ^= l->rng >> 12;
    l->rng ^= l->rng << 25;
    l->rng ^= l->rng >> 27;
    return l->rng * 0x2545F4914F6CDD1DULL;
}

/* Exponential back-off from reconnect_min, capped at reconnect_max, with jitter: a uniform
 * draw in [delay/2, delay]. */
static uint64_t
backoff_delay(struct smpp_link *l)
{
    uint64_t d = l->o.reconnect_min_ms;
    for (unsigned i = 0; i < l->backoff_attempt && d < l->o.reconnect_max_ms; i++)
        d *= 2;
    if (d > l->o.reconnect_max_ms)
        d = l->o.reconnect_max_ms;
    if (l->backoff_attempt < 64)
        l->backoff_attempt++;
    uint64_t half = d / 2;
    return half + (d - half > 0 ? rng_next(l) % (d - half + 1) : 0);
}

void
link_enter_state(struct smpp_link *l, enum smpp_link_state to)
{
    enum smpp_link_state from = l->state;
    if (!(allowed[from] & (1u << to))) {
        /* An internal bug, never network input: refuse loudly in debug builds. */
        gy_error("[%s] invalid transition %s -> %s", l->name, smpp_link_state_name(from),
                 smpp_link_state_name(to));
        assert(!"invalid smpp_link transition");
        return;
    }
    l->state = to;
    gy_timer_stop(l->state_timer);
    uint64_t ms = 0;
    switch (to) {
    case SMPP_LINK_CONNECTING:
        ms = l->o.connect_ms;
        break;
    case SMPP_LINK_BINDING:
    case SMPP_LINK_UNBINDING:
        ms = l->o.response_ms;
        break;
    case SMPP_LINK_DRAINING:
        ms = l->drain_ms > 0 ? l->drain_ms : 1;
        break;
    case SMPP_LINK_BACKOFF:
        ms = backoff_delay(l);
        l->st.reconnects++;
        break;
    case SMPP_LINK_BOUND:
        l->backoff_attempt = 0;
        break;
    case SMPP_LINK_DISCONNECTED:
        break;
    }
    if (ms > 0)
        gy_timer_start(l->state_timer, ms, false);
    if (to == SMPP_LINK_BACKOFF)
        gy_info("[%s] %s -> %s (reconnect in %llu ms)", l->name, smpp_link_state_name(from),
                smpp_link_state_name(to), (unsigned long long)ms);
    else
        gy_info("[%s] %s -> %s", l->name, smpp_link_state_name(from), smpp_link_state_name(to));
    if (l->cbs.state != NULL)
        l->cbs.state(l, from, to, l->arg);
}

void
link_complete(struct smpp_link *l, const struct smpp_window_entry *e, enum smpp_link_done kind,
              uint32_t status, const char *message_id)
{
    switch (kind) {
    case SMPP_DONE_RESPONSE:
        if (status == SMPP_ESME_ROK)
            l->st.submit_ok++;
        else
            l->st.submit_failed++;
        break;
    case SMPP_DONE_NACK:
        l->st.submit_failed++;
        break;
    case SMPP_DONE_TIMEOUT:
        l->st.submit_timeout++;
        break;
    case SMPP_DONE_LINK_LOST:
        l->st.submit_lost++;
        break;
    }
    uint64_t now = gy_loop_now_ms(l->loop);
    struct smpp_link_completion c = {
        .cookie = e->cookie,
        .kind = kind,
        .command_status = status,
        .sequence_number = e->seq,
        .message_id = message_id != NULL ? message_id : "",
        .latency_ms = now > e->sent_ms ? now - e->sent_ms : 0,
    };
    l->cbs.completion(l, &c, l->arg);
}

static void
sess_teardown(struct link_sess *s)
{
    if (s->conn != NULL)
        gy_conn_close(s->conn);
    s->conn = NULL;
    s->connected = s->bound = s->unbound = false;
    s->el_outstanding = false;
    s->bind_seq = s->el_seq = s->unbind_seq = 0;
    gy_timer_stop(s->el_timer);
}

void
link_down(struct smpp_link *l, enum smpp_link_state to)
{
    if (l->stopping)
        to = SMPP_LINK_DISCONNECTED;
    l->gen++;
    for (unsigned i = 0; i < l->nsess; i++)
        sess_teardown(&l->sess[i]);
    gy_timer_stop(l->win_timer);
    gy_timer_stop(l->ready_timer);
    if (l->state != to)
        link_enter_state(l, to);
    struct smpp_window_entry e;
    while (smpp_window_drain(l->win, &e) == 0)
        link_complete(l, &e, SMPP_DONE_LINK_LOST, 0, NULL);
}

static void
connect_sessions(struct smpp_link *l)
{
    link_enter_state(l, SMPP_LINK_CONNECTING);
    unsigned gen = l->gen;
    for (unsigned i = 0; i < l->nsess; i++) {
        struct link_sess *s = &l->sess[i];
        l->st.connects++;
        s->conn =
            gy_conn_connect(l->loop, l->host, l->o.port, l->o.connect_ms, link_sess_conn_cb, s);
        if (s->conn == NULL) {
            gy_warn("[%s] cannot start a connection to %s:%d", l->name, l->host, l->o.port);
            link_down(l, SMPP_LINK_BACKOFF);
            return;
        }
        if (l->gen != gen)
            return;
    }
}

void
link_session_bound(struct link_sess *s)
{
    struct smpp_link *l = s->link;
    s->bound = true;
    s->last_rx_ms = gy_loop_now_ms(l->loop);
    if (l->o.enquire_link_ms > 0)
        gy_timer_start(s->el_timer, l->o.enquire_link_ms, false);
    for (unsigned i = 0; i < l->nsess; i++)
        if (!l->sess[i].bound)
            return;
    if (l->state == SMPP_LINK_CONNECTING)
        return; /* cannot happen: every session bound means every one connected */
    gy_notice("[%s] bound to %s:%d (%s)", l->name, l->host, l->o.port,
              gy_bind_mode_name(l->o.mode));
    link_enter_state(l, SMPP_LINK_BOUND);
    if (l->state == SMPP_LINK_BOUND && l->cbs.ready != NULL) {
        l->want_ready = false;
        l->cbs.ready(l, l->arg);
    }
}

static void
start_unbind(struct smpp_link *l)
{
    link_enter_state(l, SMPP_LINK_UNBINDING);
    unsigned gen = l->gen;
    for (unsigned i = 0; i < l->nsess && l->gen == gen; i++) {
        struct link_sess *s = &l->sess[i];
        s->unbind_seq = smpp_window_next_seq(l->win);
        if (link_send_header(s, SMPP_UNBIND, 0, s->unbind_seq) != 0) {
            link_down(l, SMPP_LINK_DISCONNECTED);
            return;
        }
    }
}

void
link_unbind_done(struct link_sess *s)
{
    struct smpp_link *l = s->link;
    s->unbound = true;
    for (unsigned i = 0; i < l->nsess; i++)
        if (!l->sess[i].unbound)
            return;
    gy_notice("[%s] unbound", l->name);
    link_down(l, SMPP_LINK_DISCONNECTED);
}

static void
state_timer_cb(struct gy_timer *t, void *arg)
{
    (void)t;
    struct smpp_link *l = arg;
    switch (l->state) {
    case SMPP_LINK_CONNECTING:
        gy_warn("[%s] connect to %s:%d timed out", l->name, l->host, l->o.port);
        link_down(l, SMPP_LINK_BACKOFF);
        break;
    case SMPP_LINK_BINDING:
        gy_warn("[%s] no bind response within %llu ms", l->name,
                (unsigned long long)l->o.response_ms);
        link_down(l, SMPP_LINK_BACKOFF);
        break;
    case SMPP_LINK_DRAINING:
        gy_notice("[%s] drain time over with %u requests outstanding", l->name,
                  smpp_window_count(l->win));
        start_unbind(l);
        break;
    case SMPP_LINK_UNBINDING:
        gy_warn("[%s] no unbind_resp within %llu ms; closing", l->name,
                (unsigned long long)l->o.response_ms);
        link_down(l, SMPP_LINK_DISCONNECTED);
        break;
    case SMPP_LINK_BACKOFF:
        connect_sessions(l);
        break;
    case SMPP_LINK_BOUND:
    case SMPP_LINK_DISCONNECTED:
        break;
    }
}

void
link_arm_window_timer(struct smpp_link *l)
{
    uint64_t dl = smpp_window_next_deadline(l->win);
    if (dl == UINT64_MAX) {
        gy_timer_stop(l->win_timer);
        return;
    }
    uint64_t now = gy_loop_now_ms(l->loop);
    gy_timer_start(l->win_timer, dl > now ? dl - now : 0, false);
}

static void
win_timer_cb(struct gy_timer *t, void *arg)
{
    (void)t;
    struct smpp_link *l = arg;
    struct smpp_window_entry e;
    uint64_t now = gy_loop_now_ms(l->loop);
    unsigned n = 0;
    while (smpp_window_expire(l->win, now, &e) == 0) {
        n++;
        link_complete(l, &e, SMPP_DONE_TIMEOUT, 0, NULL);
    }
    if (n > 0)
        gy_warn("[%s] %u requests unanswered after %llu ms", l->name, n,
                (unsigned long long)l->o.response_ms);
    link_arm_window_timer(l);
    if (n > 0)
        link_after_completion(l);
}

void
link_after_completion(struct smpp_link *l)
{
    if (l->state == SMPP_LINK_DRAINING && smpp_window_count(l->win) == 0)
        start_unbind(l);
    else
        link_maybe_ready(l);
}

static void
el_timer_cb(struct gy_timer *t, void *arg)
{
    struct link_sess *s = arg;
    struct smpp_link *l = s->link;
    if (s->el_outstanding) {
        gy_warn("[%s] %s: enquire_link unanswered for %llu ms, link dead", l->name,
                link_sess_role(s), (unsigned long long)l->o.response_ms);
        l->st.resets++;
        link_down(l, SMPP_LINK_BACKOFF);
        return;
    }
    uint64_t now = gy_loop_now_ms(l->loop);
    uint64_t idle = now - s->last_rx_ms;
    if (idle < l->o.enquire_link_ms) {
        gy_timer_start(t, l->o.enquire_link_ms - idle, false);
        return;
    }
    s->el_seq = smpp_window_next_seq(l->win);
    s->el_outstanding = true;
    gy_timer_start(t, l->o.response_ms, false);
    if (link_send_header(s, SMPP_ENQUIRE_LINK, 0, s->el_seq) != 0)
        link_down(l, SMPP_LINK_BACKOFF);
}

static void
ready_timer_cb(struct gy_timer *t, void *arg)
{
    (void)t;
    link_maybe_ready(arg);
}

static bool
can_submit(struct smpp_link *l, bool arm)
{
    if (l->state != SMPP_LINK_BOUND || smpp_window_full(l->win))
        return false;
    uint64_t now = gy_loop_now_ms(l->loop);
    if (smpp_throttle_can(&l->thr, now, 1))
        return true;
    if (arm && !gy_timer_pending(l->ready_timer)) {
        uint64_t w = smpp_throttle_wait_ms(&l->thr, now, 1);
        gy_timer_start(l->ready_timer, w > 0 ? w : 1, false);
    }
    return false;
}

void
link_maybe_ready(struct smpp_link *l)
{
    if (!l->want_ready || l->cbs.ready == NULL)
        return;
    if (!can_submit(l, true))
        return;
    l->want_ready = false;
    l->cbs.ready(l, l->arg);
}

bool
smpp_link_can_submit(struct smpp_link *l)
{
    if (can_submit(l, true))
        return true;
    l->want_ready = true;
    return false;
}

int
smpp_link_submit(struct smpp_link *l, const struct smpp_pdu *submit, uint64_t cookie)
{
    if (submit == NULL || submit->hdr.command_id != SMPP_SUBMIT_SM) {
        l->st.submit_refused++;
        return GY_EINVAL;
    }
    if (l->state != SMPP_LINK_BOUND || !smpp_link_can_submit(l)) {
        l->st.submit_refused++;
        return l->state != SMPP_LINK_BOUND ? GY_ESTATE : GY_EBUSY;
    }
    uint64_t now = gy_loop_now_ms(l->loop);
    struct smpp_pdu p = *submit;
    p.hdr.command_status = 0;
    if (smpp_window_add(l->win, SMPP_SUBMIT_SM, cookie, now, &p.hdr.sequence_number) != 0) {
        l->st.submit_refused++;
        return GY_EBUSY;
    }
    int r = link_send(&l->sess[0], &p);
    if (r != 0) {
        smpp_window_take(l->win, p.hdr.sequence_number, NULL);
        l->st.submit_refused++;
        if (r != GY_EINVAL)
            link_down(l, SMPP_LINK_BACKOFF);
        return r == GY_EINVAL ? GY_EINVAL : GY_ESTATE;
    }
    smpp_throttle_take(&l->thr, now, 1);
    l->st.submits++;
    if (!gy_timer_pending(l->win_timer))
        link_arm_window_timer(l);
    return 0;
}

static char *
dup_or_empty(const char *s)
{
    return strdup(s != NULL ? s : "");
}

void
smpp_link_opts_from_bind(struct smpp_link_opts *o, const struct gy_smsc_bind *b)
{
    *o = (struct smpp_link_opts){
        .name = b->name,
        .host = b->host,
        .port = b->port,
        .mode = b->mode,
        .system_id = b->system_id,
        .password = b->password,
        .system_type = b->system_type,
        .address_range = b->address_range,
        .window = (unsigned)b->window,
        .throughput = (unsigned)b->throughput,
        .enquire_link_ms = (uint64_t)b->enquire_link_interval * 1000u,
        .response_ms = (uint64_t)b->response_timeout * 1000u,
        .connect_ms = (uint64_t)b->response_timeout * 1000u,
        .reconnect_min_ms = (uint64_t)b->reconnect_min * 1000u,
        .reconnect_max_ms = (uint64_t)b->reconnect_max * 1000u,
        .throttle_pause_ms = (uint64_t)b->throttle_pause,
    };
}

static bool
opts_valid(const struct smpp_link_opts *o)
{
    return o->name != NULL && o->host != NULL && o->port >= 1 && o->port <= 65535 &&
           o->window >= 1 && o->window <= SMPP_WINDOW_MAX && o->response_ms > 0 &&
           o->reconnect_min_ms > 0 && o->reconnect_max_ms >= o->reconnect_min_ms &&
           (o->mode == GY_BIND_TRANSCEIVER || o->mode == GY_BIND_TX_RX) &&
           (o->system_id == NULL || strlen(o->system_id) <= 15) &&
           (o->password == NULL || strlen(o->password) <= 8) &&
           (o->system_type == NULL || strlen(o->system_type) <= 12) &&
           (o->address_range == NULL || strlen(o->address_range) <= 40) &&
           (o->max_pdu == 0 ||
            (o->max_pdu >= SMPP_HEADER_LEN && o->max_pdu <= SMPP_PDU_MAX_LIMIT)) &&
           o->first_seq <= SMPP_SEQ_MAX;
}

struct smpp_link *
smpp_link_new(struct gy_loop *loop, const struct smpp_link_opts *o, const struct smpp_link_cbs *cbs,
              void *arg)
{
    if (loop == NULL || o == NULL || cbs == NULL || cbs->completion == NULL || !opts_valid(o))
        return NULL;
    struct smpp_link *l = calloc(1, sizeof *l);
    if (l == NULL)
        return NULL;
    l->loop = loop;
    l->o = *o;
    l->cbs = *cbs;
    l->arg = arg;
    if (l->o.connect_ms == 0)
        l->o.connect_ms = l->o.response_ms;
    if (l->o.max_pdu == 0)
        l->o.max_pdu = DEFAULT_MAX_PDU;
    l->name = dup_or_empty(o->name);
    l->host = dup_or_empty(o->host);
    l->system_id = dup_or_empty(o->system_id);
    l->password = dup_or_empty(o->password);
    l->system_type = dup_or_empty(o->system_type);
    l->address_range = dup_or_empty(o->address_range);
    l->o.name = l->name;
    l->o.host = l->host;
    l->o.system_id = l->system_id;
    l->o.password = l->password;
    l->o.system_type = l->system_type;
    l->o.address_range = l->address_range;
    l->win = smpp_window_new(o->window, l->o.response_ms, o->first_seq);
    l->state_timer = gy_timer_new(loop, state_timer_cb, l);
    l->win_timer = gy_timer_new(loop, win_timer_cb, l);
    l->ready_timer = gy_timer_new(loop, ready_timer_cb, l);
    uint64_t now = gy_loop_now_ms(loop);
    smpp_throttle_init(&l->thr, o->throughput, 0, o->throttle_pause_ms, 0, now);
    l->rng = o->seed != 0 ? o->seed : (now ^ (uint64_t)(uintptr_t)l) | 1u;
    l->nsess = o->mode == GY_BIND_TX_RX ? 2 : 1;
    l->sess[0].bind_cmd = o->mode == GY_BIND_TX_RX ? SMPP_BIND_TRANSMITTER : SMPP_BIND_TRANSCEIVER;
    l->sess[1].bind_cmd = SMPP_BIND_RECEIVER;
    bool ok = l->name && l->host && l->system_id && l->password && l->system_type &&
              l->address_range && l->win && l->state_timer && l->win_timer && l->ready_timer;
    for (unsigned i = 0; i < l->nsess; i++) {
        l->sess[i].link = l;
        l->sess[i].el_timer = gy_timer_new(loop, el_timer_cb, &l->sess[i]);
        ok = ok && l->sess[i].el_timer != NULL;
    }
    if (!ok) {
        smpp_link_free(l);
        return NULL;
    }
    return l;
}

void
smpp_link_free(struct smpp_link *l)
{
    if (l == NULL)
        return;
    if (l->win != NULL && l->state_timer != NULL && l->state != SMPP_LINK_DISCONNECTED) {
        l->stopping = true;
        link_down(l, SMPP_LINK_DISCONNECTED);
    }
    for (unsigned i = 0; i < l->nsess; i++)
        gy_timer_free(l->sess[i].el_timer);
    gy_timer_free(l->state_timer);
    gy_timer_free(l->win_timer);
    gy_timer_free(l->ready_timer);
    smpp_window_free(l->win);
    free(l->name);
    free(l->host);
    free(l->system_id);
    if (l->password != NULL)
        memset(l->password, 0, strlen(l->password));
    free(l->password);
    free(l->system_type);
    free(l->address_range);
    free(l);
}

int
smpp_link_start(struct smpp_link *l)
{
    if (l->state != SMPP_LINK_DISCONNECTED)
        return GY_ESTATE;
    l->stopping = false;
    l->backoff_attempt = 0;
    connect_sessions(l);
    return 0;
}

int
smpp_link_stop(struct smpp_link *l, uint64_t drain_ms)
{
    if (l->state == SMPP_LINK_DISCONNECTED || l->stopping)
        return 0;
    l->stopping = true;
    l->drain_ms = drain_ms;
    if (l->state != SMPP_LINK_BOUND) {
        link_down(l, SMPP_LINK_DISCONNECTED);
        return 0;
    }
    gy_notice("[%s] stopping: draining %u outstanding requests", l->name,
              smpp_window_count(l->win));
    link_enter_state(l, SMPP_LINK_DRAINING);
    if (l->state == SMPP_LINK_DRAINING && smpp_window_count(l->win) == 0)
        start_unbind(l);
    return 0;
}

enum smpp_link_state
smpp_link_state(const struct smpp_link *l)
{
    return l->state;
}

const char *
smpp_link_name(const struct smpp_link *l)
{
    return l->name;
}

void
smpp_link_stats(const struct smpp_link *l, struct smpp_link_stats *out)
{
    *out = l->st;
    out->window_used = smpp_window_count(l->win);
    out->window_size = smpp_window_capacity(l->win);
    out->state = l->state;
}
