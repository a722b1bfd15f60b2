/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smpp_window: the outstanding requests of one SMPP bind. At most `capacity` at once;
 * sequence numbers 1..0x7FFFFFFF, wrapping, never reusing one still outstanding; O(1) lookup
 * by sequence number; a deadline per request (same timeout for all, so expiry is FIFO). Pure
 * data structure: no I/O, no clock of its own (callers pass `now` in ms), no logging. */
#ifndef SMPP_WINDOW_H
#define SMPP_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

#define SMPP_SEQ_MAX    0x7FFFFFFFu
#define SMPP_WINDOW_MAX 65536u /* largest capacity accepted */

struct smpp_window; /* opaque */

/* One outstanding request, as handed back by take/expire/drain. */
struct smpp_window_entry {
    uint32_t seq;
    uint32_t command_id;
    uint64_t cookie;      /* the caller's */
    uint64_t sent_ms;     /* now at add */
    uint64_t deadline_ms; /* sent_ms + timeout */
};

/* Returns a new empty window owned by the caller (free with smpp_window_free()), or NULL
 * when capacity is not in 1..SMPP_WINDOW_MAX or memory is short. first_seq (1..SMPP_SEQ_MAX;
 * 0 means 1) is the first sequence number handed out; tests use it to reach the wrap. */
struct smpp_window *smpp_window_new(unsigned capacity, uint64_t timeout_ms, uint32_t first_seq);
void smpp_window_free(struct smpp_window *w);

unsigned smpp_window_capacity(const struct smpp_window *w);
unsigned smpp_window_count(const struct smpp_window *w);
bool smpp_window_full(const struct smpp_window *w);

/* Returns a fresh sequence number that is not outstanding, without entering it in the window
 * (binds, enquire_link, unbind, responses never need one). */
uint32_t smpp_window_next_seq(struct smpp_window *w);

/* Enters a request: allocates its sequence number into *seq, deadline now + timeout.
 * Returns 0, or GY_EBUSY when the window is full. */
int smpp_window_add(struct smpp_window *w, uint32_t command_id, uint64_t cookie, uint64_t now_ms,
                    uint32_t *seq);

/* Removes the request with this sequence number into *out. Returns 0 or GY_ENOTFOUND. */
int smpp_window_take(struct smpp_window *w, uint32_t seq, struct smpp_window_entry *out);

/* Removes the oldest request whose deadline is <= now into *out. Returns 0, or GY_ENOTFOUND
 * when none has expired. */
int smpp_window_expire(struct smpp_window *w, uint64_t now_ms, struct smpp_window_entry *out);

/* Removes the oldest request, whatever its deadline (link loss). Returns 0 or GY_ENOTFOUND. */
int smpp_window_drain(struct smpp_window *w, struct smpp_window_entry *out);

/* Deadline of the oldest request, or UINT64_MAX when the window is empty. */
uint64_t smpp_window_next_deadline(const struct smpp_window *w);

#endif
