/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smpp_link: one SMPP bind of the ESME as a state machine on the loop: connect, bind
 * (transceiver, or a transmitter+receiver pair as one logical link), keep alive with
 * enquire_link, reconnect with capped back-off and jitter, a window of outstanding submits,
 * a throttle, incoming deliver_sm handed up and answered at once, graceful stop. It does not
 * persist anything: the outbox above it decides what to retry. */
#ifndef SMPP_LINK_H
#define SMPP_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include "gateway/gy_config.h"
#include "gateway/gy_loop.h"
#include "gateway/smpp_pdu.h"

struct smpp_link; /* opaque */

#define SMPP_LINK_STATES(X)                                                                        \
    X(SMPP_LINK_DISCONNECTED, "disconnected") /* idle: not started, or stopped */                  \
    X(SMPP_LINK_CONNECTING, "connecting")     /* TCP connect(s) running; connect timer */          \
    X(SMPP_LINK_BINDING, "binding")           /* bind(s) sent; response timer */                   \
    X(SMPP_LINK_BOUND, "bound")               /* submits taken; enquire_link timer */              \
    X(SMPP_LINK_DRAINING, "draining")         /* stopping: no new submits; drain timer */          \
    X(SMPP_LINK_UNBINDING, "unbinding")       /* unbind(s) sent; response timer */                 \
    X(SMPP_LINK_BACKOFF, "backoff")           /* waiting to reconnect; back-off timer */

enum smpp_link_state {
#define SMPP_LINK_STATE_ENUM(name, text) name,
    SMPP_LINK_STATES(SMPP_LINK_STATE_ENUM)
#undef SMPP_LINK_STATE_ENUM
};

/* Static name of a state ("bound"); never NULL. */
const char *smpp_link_state_name(enum smpp_link_state s);

/* How a submitted request ended. Exactly one completion per accepted submit. */
enum smpp_link_done {
    SMPP_DONE_RESPONSE,  /* submit_sm_resp: command_status (0 = accepted, message_id set) */
    SMPP_DONE_NACK,      /* generic_nack: command_status */
    SMPP_DONE_TIMEOUT,   /* no response within response_timeout: the SMSC may have it */
    SMPP_DONE_LINK_LOST, /* the link went down (or was stopped) first: the SMSC may have it */
};

struct smpp_link_completion {
    uint64_t cookie; /* as given to smpp_link_submit() */
    enum smpp_link_done kind;
    uint32_t command_status; /* RESPONSE and NACK; 0 otherwise */
    uint32_t sequence_number;
    const char *message_id; /* RESPONSE with status 0: the SMSC's id; "" otherwise. Valid
                             * during the callback only. */
    uint64_t latency_ms;    /* from submit to completion */
};

/* Callbacks. They run from the loop. Inside them the link may be used (submit, stop,
 * can_submit, stats) but not freed. */
struct smpp_link_cbs {
    /* Every accepted submit ends here exactly once. Required. */
    void (*completion)(struct smpp_link *link, const struct smpp_link_completion *c, void *arg);
    /* An incoming deliver_sm (message or delivery report). Returns the command_status to
     * answer: SMPP_ESME_ROK once the message is safely taken, SMPP_ESME_RX_T_APPN when it
     * cannot be taken now (the SMSC retries). The answer leaves at once, unless the
     * callback called smpp_link_defer_answer(): the return value is then ignored and the
     * caller answers later with smpp_link_answer() (a grouped commit first, say). NULL
     * answers ESME_RX_T_APPN to everything. */
    uint32_t (*deliver)(struct smpp_link *link, const struct smpp_pdu *pdu, void *arg);
    /* smpp_link_can_submit() turned true after it was false (or a submit was refused), and
     * on every entry into BOUND. Optional. */
    void (*ready)(struct smpp_link *link, void *arg);
    /* After each state change. Optional. */
    void (*state)(struct smpp_link *link, enum smpp_link_state from, enum smpp_link_state to,
                  void *arg);
};

/* Settings of one link, in milliseconds. smpp_link_opts_from_bind() fills it from the
 * configuration; tests set short values directly. */
struct smpp_link_opts {
    const char *name; /* for logs ("smsc-a"); copied */
    const char *host; /* copied */
    int port;
    enum gy_bind_mode mode;
    const char *system_id, *password, *system_type, *address_range; /* copied */
    unsigned window;                                                /* outstanding submits, >= 1 */
    unsigned throughput;        /* segments per second, 0 = unlimited */
    uint64_t enquire_link_ms;   /* idleness before enquire_link; 0 = never */
    uint64_t response_ms;       /* wait for any response (submit, bind, enquire_link, unbind) */
    uint64_t connect_ms;        /* TCP connect timeout */
    uint64_t reconnect_min_ms;  /* first back-off */
    uint64_t reconnect_max_ms;  /* back-off cap */
    uint64_t throttle_pause_ms; /* first pause after 0x58 / 0x14 */
    uint32_t max_pdu;           /* largest command_length accepted (16..65536) */
    uint32_t first_seq;         /* first sequence number (tests reach the wrap); 0 = 1 */
    uint64_t seed;              /* back-off jitter seed; 0 = from the clock and address */
};

/* Fills o from a configured bind (seconds become ms). Strings point into b, which must
 * outlive smpp_link_new() (it copies them). */
void smpp_link_opts_from_bind(struct smpp_link_opts *o, const struct gy_smsc_bind *b);

/* Returns a new link owned by the caller (free with smpp_link_free()), DISCONNECTED, or
 * NULL when an option is invalid or memory is short. cbs is copied; arg is passed back. */
struct smpp_link *smpp_link_new(struct gy_loop *loop, const struct smpp_link_opts *o,
                                const struct smpp_link_cbs *cbs, void *arg);

/* Closes everything at once (no unbind), completes outstanding submits as LINK_LOST, frees.
 * NULL is a no-op. Never from inside a link callback. */
void smpp_link_free(struct smpp_link *link);

/* DISCONNECTED -> CONNECTING. From then on the link reconnects by itself until stopped.
 * Returns 0, or GY_ESTATE when not DISCONNECTED. */
int smpp_link_start(struct smpp_link *link);

/* Graceful stop: no new submits; BOUND -> DRAINING until the window is empty or drain_ms
 * passed, then UNBINDING (unbind, wait for unbind_resp at most response_ms), then the
 * connections close and the link is DISCONNECTED; requests still outstanding complete as
 * LINK_LOST. From any other state: straight to DISCONNECTED. Watch the state callback for the
 * end. Returns 0 (also when already stopped). */
int smpp_link_stop(struct smpp_link *link, uint64_t drain_ms);

/* Whether smpp_link_submit() would accept one submit now: BOUND, window not full, throttle
 * open. A false answer arms the ready callback. */
bool smpp_link_can_submit(struct smpp_link *link);

/* Sends a copy of *submit (a submit_sm; its sequence_number is assigned here, the rest is
 * the caller's, who keeps ownership of submit). Returns 0: sent, and the completion callback
 * WILL run exactly once, never before this returns; or an error, and the callback never runs
 * for it: GY_ESTATE (not bound, or stopping), GY_EBUSY (window full or throttled: wait for
 * ready), GY_EINVAL (not a submit_sm, or the codec refused it). */
int smpp_link_submit(struct smpp_link *link, const struct smpp_pdu *submit, uint64_t cookie);

/* Identifies a deliver_sm whose answer was deferred (plain data, copyable). */
struct smpp_link_answer_token {
    unsigned gen;     /* the link's connection generation when it arrived */
    unsigned session; /* which session (transceiver, or the receiver of a pair) */
    uint32_t sequence_number;
};

/* Inside the deliver callback only: the answer to this deliver_sm will be sent later with
 * smpp_link_answer(). Fills *tok. Returns 0, or GY_ESTATE outside a deliver callback. */
int smpp_link_defer_answer(struct smpp_link *link, struct smpp_link_answer_token *tok);

/* Sends the deliver_sm_resp of a deferred answer with command_status. Returns 0, or
 * GY_ESTATE when the connection it came on is gone (the SMSC delivers it again), GY_EIO
 * when the write failed (the link resets). */
int smpp_link_answer(struct smpp_link *link, const struct smpp_link_answer_token *tok,
                     uint32_t status);

enum smpp_link_state smpp_link_state(const struct smpp_link *link);
const char *smpp_link_name(const struct smpp_link *link);

/* Counters for metrics. PDUs are counted by command in the order of SMPP_LINK_CMDS. */
#define SMPP_LINK_CMDS(X)                                                                          \
    X(SMPP_GENERIC_NACK)                                                                           \
    X(SMPP_BIND_RECEIVER) X(SMPP_BIND_RECEIVER_RESP) X(SMPP_BIND_TRANSMITTER)                      \
        X(SMPP_BIND_TRANSMITTER_RESP) X(SMPP_SUBMIT_SM) X(SMPP_SUBMIT_SM_RESP) X(SMPP_DELIVER_SM)  \
            X(SMPP_DELIVER_SM_RESP) X(SMPP_UNBIND) X(SMPP_UNBIND_RESP) X(SMPP_BIND_TRANSCEIVER)    \
                X(SMPP_BIND_TRANSCEIVER_RESP) X(SMPP_OUTBIND) X(SMPP_ENQUIRE_LINK)                 \
                    X(SMPP_ENQUIRE_LINK_RESP)
#define SMPP_LINK_NCMD 17 /* the commands above, then "other" */

struct smpp_link_stats {
    uint64_t pdu_in[SMPP_LINK_NCMD];
    uint64_t pdu_out[SMPP_LINK_NCMD];
    uint64_t submits;          /* accepted by smpp_link_submit() */
    uint64_t submit_ok;        /* submit_sm_resp status 0 */
    uint64_t submit_failed;    /* response with a status, or generic_nack */
    uint64_t submit_timeout;   /* completions TIMEOUT */
    uint64_t submit_lost;      /* completions LINK_LOST */
    uint64_t submit_refused;   /* smpp_link_submit() errors */
    uint64_t throttled;        /* 0x58 / 0x14 answers */
    uint64_t delivers_ok;      /* deliver_sm answered ESME_ROK */
    uint64_t delivers_refused; /* deliver_sm answered with another status */
    uint64_t connects;         /* connection attempts */
    uint64_t reconnects;       /* entries into BACKOFF */
    uint64_t bind_refused;
    uint64_t resets; /* framing/decoding errors, dead links */
    unsigned window_used, window_size;
    enum smpp_link_state state;
};

/* Index of command_id in pdu_in / pdu_out (SMPP_LINK_NCMD - 1 for others). */
unsigned smpp_link_cmd_index(uint32_t command_id);

void smpp_link_stats(const struct smpp_link *link, struct smpp_link_stats *out);

#endif
