/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_smpp_link_fake: what test_smpp_link and test_smpp_link_flow share, defined once in
 * test_smpp_link_fake.c: a fake SMSC on 127.0.0.1 (ephemeral port) with behaviour knobs and
 * counters of what it saw, the test context around one smpp_link, and the predicates the tests
 * run the loop until. The functions fail the running cmocka test on a broken expectation. */
#ifndef TEST_SMPP_LINK_FAKE_H
#define TEST_SMPP_LINK_FAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gateway/gy_conn.h"
#include "gateway/gy_loop.h"
#include "gateway/smpp_codec.h"
#include "gateway/smpp_link.h"

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

typedef bool pred_fn(struct ctx *x);

/* ---- fake SMSC ---- */

/* Encodes p and writes it on fc's connection. */
void f_send(struct fconn *fc, const struct smpp_pdu *p);
/* Sends a body-less PDU (id, status, seq). */
void f_send_header(struct fconn *fc, uint32_t id, uint32_t status, uint32_t seq);
/* Sends submit_sm_resp for seq with message_id "id<seq>". */
void f_answer_submit(struct fconn *fc, uint32_t seq, uint32_t status);
/* Closes fc's connection from the SMSC side. */
void f_drop(struct fconn *fc);
/* The bound connection of this kind (SMPP_BIND_*), or the first bound one for 0; fails the
 * test when there is none. The result points into f->conns. */
struct fconn *f_conn(struct fake *f, uint32_t bind_cmd);
/* Answers every held submit with status on the first bound connection. */
void f_answer_held(struct fake *f, uint32_t status);

/* ---- the link side ---- */

/* The link callbacks; arg is the struct ctx. */
void on_completion(struct smpp_link *l, const struct smpp_link_completion *c, void *arg);
uint32_t on_deliver(struct smpp_link *l, const struct smpp_pdu *p, void *arg);
void on_ready(struct smpp_link *l, void *arg);
void on_state(struct smpp_link *l, enum smpp_link_state from, enum smpp_link_state to, void *arg);

/* Runs the loop until pred holds; fails the test after max_ms. */
void run_until(struct ctx *x, pred_fn *pred, uint64_t max_ms, const char *what);
bool is_bound(struct ctx *x);
bool is_backoff(struct ctx *x);
bool is_disconnected(struct ctx *x);
/* The link's counters now. */
struct smpp_link_stats stats(struct ctx *x);

/* Returns a new context owned by the caller (free with ctx_free): a loop, the fake SMSC
 * listening, and link options pointing at it; the link itself is made by ctx_start. */
struct ctx *ctx_new(enum gy_bind_mode mode, uint32_t first_seq);
/* Makes and starts the link and runs the loop until it is bound. */
void ctx_start(struct ctx *x);
/* Frees the link, the fake's connections and listener, the loop and x. */
void ctx_free(struct ctx *x);

/* Fills p with a small submit_sm ("hello" to 8613800138000). */
void make_submit(struct smpp_pdu *p);
/* Submits one make_submit() PDU; returns smpp_link_submit's result. */
int submit(struct ctx *x, uint64_t cookie);

/* ---- predicates ---- */

bool done_reached(struct ctx *x);         /* x->ndone >= x->want */
bool fake_submits_reached(struct ctx *x); /* the fake saw x->want submits */
bool deliver_resp_seen(struct ctx *x);    /* the fake saw x->want deliver_sm_resp */
bool rebound_after_unbind(struct ctx *x); /* no unbind counted, two binds, bound */

#endif
