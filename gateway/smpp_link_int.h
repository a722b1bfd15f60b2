/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smpp_link_int: the inside of struct smpp_link, shared by smpp_link.c (states, timers, API)
 * and smpp_link_pdu.c (reading, dispatching and sending PDUs). Nothing else includes it. */
#ifndef SMPP_LINK_INT_H
#define SMPP_LINK_INT_H

#include "gateway/gy_conn.h"
#include "gateway/smpp_link.h"
#include "gateway/smpp_throttle.h"
#include "gateway/smpp_window.h"

/* One TCP session of the link: the transceiver, or the transmitter or the receiver. */
struct link_sess {
    struct smpp_link *link;
    struct gy_conn *conn; /* NULL when down */
    uint32_t bind_cmd;    /* SMPP_BIND_TRANSCEIVER, _TRANSMITTER or _RECEIVER */
    bool connected, bound, unbound;
    uint32_t bind_seq, el_seq, unbind_seq;
    bool el_outstanding;
    uint64_t last_rx_ms;
    struct gy_timer *el_timer; /* enquire_link when idle, then dead-link detection */
};

struct smpp_link {
    struct gy_loop *loop;
    struct smpp_link_opts o; /* strings below are the owned copies */
    char *name, *host, *system_id, *password, *system_type, *address_range;
    struct smpp_link_cbs cbs;
    void *arg;

    enum smpp_link_state state;
    struct link_sess sess[2];
    unsigned nsess; /* 1 (transceiver) or 2 (transmitter, receiver) */
    unsigned gen;   /* bumped whenever the sessions are torn down */

    struct smpp_window *win;
    struct smpp_throttle thr;
    struct gy_timer *state_timer; /* the timer of the waiting state */
    struct gy_timer *win_timer;   /* response timeouts of the window */
    struct gy_timer *ready_timer; /* the throttle opens again */

    bool stopping;
    uint64_t drain_ms;
    bool want_ready;
    /* The deliver_sm being handed to the deliver callback (for smpp_link_defer_answer). */
    struct {
        bool active, deferred;
        unsigned session;
        uint32_t seq;
    } cur_deliver;
    unsigned backoff_attempt;
    uint64_t rng;
    struct smpp_link_stats st;
};

/* smpp_link.c */
void link_enter_state(struct smpp_link *l, enum smpp_link_state to);
/* Tears the sessions down, enters `to` (BACKOFF, or DISCONNECTED when stopping), completes
 * every outstanding request as LINK_LOST. */
void link_down(struct smpp_link *l, enum smpp_link_state to);
void link_session_bound(struct link_sess *s);
void link_unbind_done(struct link_sess *s);
void link_complete(struct smpp_link *l, const struct smpp_window_entry *e, enum smpp_link_done kind,
                   uint32_t status, const char *message_id);
void link_maybe_ready(struct smpp_link *l);
/* After completions freed window slots: unbind when draining and empty, else maybe ready. */
void link_after_completion(struct smpp_link *l);
void link_arm_window_timer(struct smpp_link *l);

/* smpp_link_pdu.c */
void link_sess_conn_cb(struct gy_conn *c, enum gy_conn_event ev, int err, void *arg);
/* Encodes and writes pdu on s. Returns 0, GY_EINVAL (the codec refused it) or GY_EIO. */
int link_send(struct link_sess *s, const struct smpp_pdu *pdu);
/* Sends a header-only PDU (enquire_link, unbind, their responses, generic_nack). */
int link_send_header(struct link_sess *s, uint32_t command_id, uint32_t status, uint32_t seq);
int link_send_bind(struct link_sess *s);
const char *link_sess_role(const struct link_sess *s);

#endif
