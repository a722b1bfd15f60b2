/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rate_limit: the per-number limit on incoming messages (DESIGN.md contract 5: default 20 a
 * minute). A sliding window estimated from two fixed windows counts every message of a
 * number; the first one over the limit is answered once (the caller sends one notice), the
 * later ones are silent until the estimate falls under the limit again. O(1) per message,
 * a fixed pool of numbers allocated at creation (idle numbers evicted first, then the least
 * recently seen). Pure: `now` comes in (ms of a monotonic clock); no I/O, no logging. */
#ifndef RATE_LIMIT_H
#define RATE_LIMIT_H

#include <stddef.h>
#include <stdint.h>

enum rate_verdict {
    RATE_PASS = 0,    /* handle the message */
    RATE_ANSWER_ONCE, /* over the limit for the first time: answer with one notice only */
    RATE_SILENT,      /* over the limit again: drop without answer */
};
const char *rate_verdict_name(enum rate_verdict v); /* "pass", "answer-once", "silent" */

struct rate_limit_counts {
    uint64_t passed, answered_once, silenced;
    uint64_t evicted_idle; /* numbers forgotten after two quiet windows */
    uint64_t evicted_busy; /* numbers forgotten early because the pool was full */
    size_t tracked;        /* numbers held now */
    size_t capacity;       /* the pool size */
    size_t memory_bytes;   /* the pool and its hash buckets */
};

struct rate_limit;
struct gy_config;

#define RATE_LIMIT_WINDOW_MS       60000u  /* "per minute" */
#define RATE_LIMIT_DEFAULT_NUMBERS 100000u /* numbers tracked at once: about 6 MiB */

/* Returns a new limiter owned by the caller (free with rate_limit_free()), or NULL (no
 * memory; limit or window_ms or max_numbers 0; max_numbers over 2^31). limit: messages a
 * number may send within window_ms (the configuration's incoming_per_minute over 60,000 ms);
 * max_numbers: the numbers tracked at once (about 64 bytes each). */
struct rate_limit *rate_limit_new(unsigned limit, uint64_t window_ms, size_t max_numbers);

/* rate_limit_new(cfg->incoming_per_minute, RATE_LIMIT_WINDOW_MS, max_numbers), max_numbers 0
 * meaning RATE_LIMIT_DEFAULT_NUMBERS. Same ownership and NULL cases. */
struct rate_limit *rate_limit_from_config(const struct gy_config *cfg, size_t max_numbers);

void rate_limit_free(struct rate_limit *rl); /* NULL is a no-op */

/* Counts one message from msisdn (1..20 characters; a leading '+' is ignored) at now_ms and
 * stores the verdict in *out. now_ms must not go backwards. Returns 0 or GY_EINVAL (bad
 * argument; *out is RATE_PASS then, so a caller ignoring the code fails open). */
int rate_limit_check(struct rate_limit *rl, const char *msisdn, uint64_t now_ms,
                     enum rate_verdict *out);

void rate_limit_counts(const struct rate_limit *rl, struct rate_limit_counts *out);

#endif
