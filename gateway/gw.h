/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gw: the running gateway: one context made in gongyoud's main and passed down (STYLE 14).
 * It owns the loop, the database connection, one SMPP link per configured bind, the outbox
 * scheduler and the timers that pump messages between the outbox and the links. Incoming
 * deliver_sm are persisted (inbox) or correlated (delivery reports) before they are
 * acknowledged. */
#ifndef GW_H
#define GW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gateway/gy_config.h"

struct gw; /* opaque */

/* Counters for metrics and the log line at exit. */
struct gw_stats {
    uint64_t mo_stored;      /* deliver_sm messages persisted in the inbox */
    uint64_t mo_refused;     /* deliver_sm answered ESME_RX_T_APPN */
    uint64_t dlr_matched;    /* delivery reports applied to an outbox segment */
    uint64_t dlr_unmatched;  /* delivery reports with an id no segment awaits */
    uint64_t dlr_bad;        /* delivery reports without a usable id */
    uint64_t marks_committed; /* outbox state changes written */
    uint64_t commits;        /* grouped transactions */
    uint64_t db_errors;      /* failed transactions (retried) */
};

/* Builds the gateway from cfg (which must outlive it): opens and migrates the database,
 * puts segments left in flight by a crash back in the queue, creates the links (not yet
 * started). Returns 0 and a new gateway owned by the caller (gw_free()), or a negative GY_E*
 * code after logging why. */
int gw_new(const struct gy_config *cfg, struct gw **out);

/* Starts every link and runs the loop until a stop completes (SIGTERM, SIGINT, gw_stop()).
 * Returns 0 after a clean stop, or a negative GY_E* code. */
int gw_run(struct gw *gw);

/* Graceful stop: no new submits; each link drains its window for at most its drain_timeout,
 * unbinds and closes; pending outbox changes are committed; gw_run() returns. Whatever was
 * not acknowledged stays queued for the next start. Safe from any callback. */
void gw_stop(struct gw *gw);

void gw_stats(const struct gw *gw, struct gw_stats *out);

/* Frees everything; links still up are closed without unbind. NULL is a no-op. */
void gw_free(struct gw *gw);

#endif
