/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smpp_throttle: the throughput limit of one bind. A token bucket counting every segment
 * (each submit_sm), and a pause with exponential back-off after the SMSC answers
 * ESME_RTHROTTLED (0x58) or ESME_RMSGQFUL (0x14). Plain data driven by the caller's clock
 * (ms); no I/O, no logging. */
#ifndef SMPP_THROTTLE_H
#define SMPP_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

/* Fields are private to smpp_throttle.c; the struct is public so it can be embedded. */
struct smpp_throttle {
    uint64_t rate;        /* segments per second, 0 = unlimited */
    uint64_t burst_milli; /* bucket size in thousandths of a token */
    uint64_t tokens_milli;
    uint64_t last_ms;
    uint64_t pause_base_ms, pause_max_ms, pause_cur_ms;
    uint64_t pause_start_ms, pause_until_ms;
    unsigned pauses; /* consecutive pauses without a success between */
};

/* rate: segments per second (0 = unlimited); burst: segments that may leave at once (0 means
 * rate / 5, at least 1). pause_ms: first pause after a throttling status (0 means 1000),
 * doubling on each consecutive one up to pause_max_ms (0 means 64 * pause_ms). The bucket
 * starts full at now_ms. */
void smpp_throttle_init(struct smpp_throttle *t, unsigned rate, unsigned burst, uint64_t pause_ms,
                        uint64_t pause_max_ms, uint64_t now_ms);

/* Takes n tokens when not paused and n are there. Returns 0, or GY_EBUSY (nothing taken). */
int smpp_throttle_take(struct smpp_throttle *t, uint64_t now_ms, unsigned n);

/* Whether take(n) would succeed now. */
bool smpp_throttle_can(struct smpp_throttle *t, uint64_t now_ms, unsigned n);

/* Milliseconds until take(n) can succeed (0 = now), pause included. n larger than the bucket
 * is counted as a full bucket. */
uint64_t smpp_throttle_wait_ms(struct smpp_throttle *t, uint64_t now_ms, unsigned n);

/* The SMSC said 0x58 or 0x14 to a request sent at sent_ms: pause (first pause_ms, then
 * doubling, capped) from now. A request sent before the current pause began does not escalate
 * it (a full window of 0x58 answers is one throttling event, not ten). Returns the length of
 * the pause in force, in ms. */
uint64_t smpp_throttle_pause(struct smpp_throttle *t, uint64_t now_ms, uint64_t sent_ms);

/* A request was accepted: the next throttling status starts again from pause_ms. */
void smpp_throttle_success(struct smpp_throttle *t);

bool smpp_throttle_paused(const struct smpp_throttle *t, uint64_t now_ms);

/* SMPP statuses that pause a bind: ESME_RTHROTTLED and ESME_RMSGQFUL. */
bool smpp_throttle_status(uint32_t command_status);

#endif
