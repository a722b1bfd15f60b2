/* SPDX-License-Identifier: GPL-3.0-or-later */
/* outbox_sched: the outbox scheduler's pure logic (no I/O, no clock, no SQL). It holds an
 * in-memory ready queue per priority fed from outbox_store in batches, picks the next
 * segment for a bind (priority classes, a reply's origin bind, destination prefixes with
 * failover), classifies link completions (accepted / throttled / retry with back-off /
 * failed) and collects the resulting store marks for the caller to commit in groups. */
#ifndef OUTBOX_SCHED_H
#define OUTBOX_SCHED_H

#include "db/outbox_store.h"
#include "gateway/smpp_dlr.h"
#include "gateway/smpp_link.h"
#include "gateway/smpp_pdu.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct outbox_sched; /* opaque */

/* Stored as a segment's last_status for completions without an SMPP status. */
#define OUTBOX_STATUS_TIMEOUT   (-1000) /* no response within the bind's response timeout */
#define OUTBOX_STATUS_LINK_LOST (-1001) /* the link went down with the request outstanding */

struct outbox_sched_opts {
    size_t batch;              /* segments held in memory per priority (fetch size); 0 = 256 */
    int64_t retry_min_ms;      /* back-off after the first temporary error; 0 = 1000 */
    int64_t retry_max_ms;      /* back-off cap; 0 = 60000 */
    unsigned pause_factor_max; /* a bind's throttle pause doubles up to this many times its
                                * base while 0x58/0x14 keep coming; 0 = 32 */
};

/* One bind as the scheduler sees it (strings copied by outbox_sched_add_bind). */
struct outbox_sched_bind {
    const char *name;                 /* gy_smsc_bind.name */
    const char *const *dest_prefixes; /* gy_smsc_bind.dest_prefixes; none = any destination */
    size_t n_dest_prefixes;
    int max_retries;                /* temporary errors tolerated before a segment fails */
    int64_t throttle_pause_ms;      /* base pause after 0x58 / 0x14 (>= 1) */
    enum smpp_id_base resp_id_base; /* how this SMSC writes submit_sm_resp message ids */
    const char *source_addr;        /* used when a message has none ("" or NULL: empty) */
    uint8_t source_ton, source_npi;
};

/* Counters for metrics (monotonic except the gauges). */
struct outbox_sched_stats {
    uint64_t picked;                 /* segments handed to a link */
    uint64_t accepted;               /* submit_sm_resp ROK */
    uint64_t throttled;              /* 0x58 / 0x14: back to the front, bind paused */
    uint64_t requeued;               /* link lost or submit refused: back to the front */
    uint64_t retried;                /* temporary errors and timeouts: retry after back-off */
    uint64_t failed;                 /* permanent errors and exhausted retries */
    uint64_t expired;                /* validity passed in memory */
    uint64_t stray;                  /* completions with an unknown cookie (ignored) */
    size_t in_memory[OUTBOX_N_PRIO]; /* gauge: ready + waiting + in flight, per priority */
    size_t in_flight;                /* gauge */
    size_t marks_pending;            /* gauge: marks not yet taken by outbox_sched_take_marks() */
};

/* Returns a new scheduler owned by the caller (free with outbox_sched_free()), or NULL when
 * memory is short. opts may be NULL for the defaults. */
struct outbox_sched *outbox_sched_new(const struct outbox_sched_opts *opts);
/* Frees the scheduler and every segment it holds (they stay queued in the store). NULL ok. */
void outbox_sched_free(struct outbox_sched *s);

/* Adds a bind, initially down. Returns its index (0, 1, ...), GY_EINVAL (no name, duplicate
 * name, pause < 1) or GY_ENOMEM. */
int outbox_sched_add_bind(struct outbox_sched *s, const struct outbox_sched_bind *b);
/* The bind's link is bound (up) or not. Routing fails over while a preferred bind is down;
 * a paused (throttled) bind counts as up, so its traffic waits instead of moving. */
void outbox_sched_bind_up(struct outbox_sched *s, int bind, bool up);
/* Index of the bind called name, or GY_ENOTFOUND. */
int outbox_sched_bind_find(const struct outbox_sched *s, const char *name);

/* How many segments of priority p the caller should fetch now (0: enough in memory, or the
 * store had no more last time); *after_id receives the id to fetch after. */
size_t outbox_sched_want(const struct outbox_sched *s, enum outbox_prio p, int64_t *after_id);
/* Takes copies of segs[0..n) fetched for p after outbox_sched_want() asked for `asked`.
 * Segments already seen (id <= the cursor) are ignored. n < asked means the store is drained
 * for p until outbox_sched_poke(). Returns 0 or GY_ENOMEM (the rest are refetched later). */
int outbox_sched_feed(struct outbox_sched *s, enum outbox_prio p, const struct outbox_seg *segs,
                      size_t n, size_t asked);
/* New segments of priority p were enqueued: fetch again. */
void outbox_sched_poke(struct outbox_sched *s, enum outbox_prio p);

/* Picks the next segment for bind at now_ms: the oldest ready segment of the highest
 * priority class that may leave on this bind. Expired segments met on the way become
 * EXPIRED marks. Fills *submit (a complete submit_sm) and *cookie and returns 1; returns 0
 * when nothing may leave on this bind now (down, paused, nothing eligible). The segment is
 * then in flight until outbox_sched_complete() or outbox_sched_unpick() with the cookie. */
int outbox_sched_next(struct outbox_sched *s, int bind, int64_t now_ms, struct smpp_pdu *submit,
                      uint64_t *cookie);
/* The link refused the submit (smpp_link_submit() error): the segment goes back to the
 * front of its queue, nothing counted. Unknown cookies are ignored. */
void outbox_sched_unpick(struct outbox_sched *s, uint64_t cookie);
/* Classifies a link completion (the cookie is c->cookie):
 * RESPONSE ROK -> SUBMITTED mark with the normalised message id;
 * 0x58 / 0x14 (response or nack) -> back to the front in original order, bind paused;
 * LINK_LOST -> back to the front; TIMEOUT and temporary statuses (0x08, 0x64, 0x04, 0x45,
 * 0xFF, ...) -> retry after back-off, FAILED once max_retries is passed;
 * other statuses -> FAILED with the status. */
void outbox_sched_complete(struct outbox_sched *s, const struct smpp_link_completion *c,
                           int64_t now_ms);
/* Whether status is retried (temporary) rather than final. ROK is not temporary. */
bool outbox_sched_status_temporary(uint32_t status);
/* Whether status pauses the bind (0x58 ESME_RTHROTTLED, 0x14 ESME_RMSGQFUL). */
bool outbox_sched_status_throttle(uint32_t status);

/* The earliest time after now_ms when bind may get something new without a feed or a
 * completion (end of a pause, end of a back-off); INT64_MAX when none. For the caller's
 * timer. */
int64_t outbox_sched_wakeup(const struct outbox_sched *s, int bind, int64_t now_ms);

/* Moves up to max pending marks, oldest first, into out; returns how many. The caller
 * applies them with outbox_store_mark() inside one transaction (grouped commit). */
size_t outbox_sched_take_marks(struct outbox_sched *s, struct outbox_mark *out, size_t max);

void outbox_sched_stats(const struct outbox_sched *s, struct outbox_sched_stats *out);

/* Builds the submit_sm of g into *out. Source address: g's, or source_addr/ton/npi when g
 * has none. Returns 0, or GY_ETOOBIG when the body does not fit a short_message. */
int outbox_seg_to_submit(const struct outbox_seg *g, const char *source_addr, uint8_t ton,
                         uint8_t npi, struct smpp_pdu *out);

#endif
