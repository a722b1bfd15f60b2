/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rate_limit: per-number sliding-window counters in a fixed pool (array indices, no
 * allocation per message), a chained hash table over it, and a least-recently-seen list
 * that bounds memory. No I/O, no clock, no logging. */
#include "gateway/rate_limit.h"

#include "base/gy_err.h"
#include "gateway/gy_config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define NUM_SIZE  21 /* 20 characters and the NUL, as SMPP source_addr */
#define NIL       0u /* index 0 is unused: entries are 1..cap */
#define COUNT_MAX 0x7fffffffu

struct rl_entry {
    char msisdn[NUM_SIZE];
    uint8_t noticed; /* the notice was sent since the last message that passed */
    uint32_t hnext;  /* hash chain, or free list */
    uint32_t lru_prev, lru_next;
    uint32_t hash;
    uint32_t prev_count, cur_count;
    uint64_t win_start; /* start of the current window */
};

struct rate_limit {
    uint64_t limit;
    uint64_t window_ms;
    struct rl_entry *e; /* e[1..cap] */
    uint32_t cap;
    uint32_t *buckets;
    uint32_t mask;
    uint32_t free_head;
    uint32_t lru_head, lru_tail; /* oldest first */
    struct rate_limit_counts counts;
};

const char *
rate_verdict_name(enum rate_verdict v)
{
    switch (v) {
    case RATE_PASS:
        return "pass";
    case RATE_ANSWER_ONCE:
        return "answer-once";
    case RATE_SILENT:
        return "silent";
    default:
        return "?";
    }
}

struct rate_limit *
rate_limit_new(unsigned limit, uint64_t window_ms, size_t max_numbers)
{
    if (limit == 0 || window_ms == 0 || window_ms > UINT64_MAX / 4 / COUNT_MAX ||
        max_numbers == 0 || max_numbers > (1u << 31) - 1)
        return NULL;
    struct rate_limit *rl = calloc(1, sizeof *rl);
    if (rl == NULL)
        return NULL;
    size_t nb = 1;
    while (nb < max_numbers)
        nb <<= 1;
    rl->limit = limit;
    rl->window_ms = window_ms;
    rl->cap = (uint32_t)max_numbers;
    rl->e = calloc(max_numbers + 1, sizeof *rl->e);
    rl->buckets = calloc(nb, sizeof *rl->buckets);
    if (rl->e == NULL || rl->buckets == NULL) {
        rate_limit_free(rl);
        return NULL;
    }
    rl->mask = (uint32_t)(nb - 1);
    for (uint32_t i = rl->cap; i >= 1; i--) {
        rl->e[i].hnext = rl->free_head;
        rl->free_head = i;
    }
    rl->counts.capacity = max_numbers;
    rl->counts.memory_bytes =
        sizeof *rl + (max_numbers + 1) * sizeof *rl->e + nb * sizeof *rl->buckets;
    return rl;
}

struct rate_limit *
rate_limit_from_config(const struct gy_config *cfg, size_t max_numbers)
{
    if (cfg == NULL || cfg->incoming_per_minute <= 0)
        return NULL;
    return rate_limit_new((unsigned)cfg->incoming_per_minute, RATE_LIMIT_WINDOW_MS,
                          max_numbers != 0 ? max_numbers : RATE_LIMIT_DEFAULT_NUMBERS);
}

void
rate_limit_free(struct rate_limit *rl)
{
    if (rl == NULL)
        return;
    free(rl->e);
    free(rl->buckets);
    free(rl);
}

static uint32_t
num_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return (uint32_t)h;
}

static void
lru_unlink(struct rate_limit *rl, uint32_t i)
{
    struct rl_entry *x = &rl->e[i];
    if (x->lru_prev != NIL)
        rl->e[x->lru_prev].lru_next = x->lru_next;
    else
        rl->lru_head = x->lru_next;
    if (x->lru_next != NIL)
        rl->e[x->lru_next].lru_prev = x->lru_prev;
    else
        rl->lru_tail = x->lru_prev;
    x->lru_prev = x->lru_next = NIL;
}

static void
lru_append(struct rate_limit *rl, uint32_t i)
{
    struct rl_entry *x = &rl->e[i];
    x->lru_next = NIL;
    x->lru_prev = rl->lru_tail;
    if (rl->lru_tail != NIL)
        rl->e[rl->lru_tail].lru_next = i;
    else
        rl->lru_head = i;
    rl->lru_tail = i;
}

/* Forgets entry i: out of its chain and the list, back on the free list. */
static void
evict(struct rate_limit *rl, uint32_t i)
{
    struct rl_entry *x = &rl->e[i];
    uint32_t *pp = &rl->buckets[x->hash & rl->mask];
    while (*pp != i)
        pp = &rl->e[*pp].hnext;
    *pp = x->hnext;
    lru_unlink(rl, i);
    memset(x, 0, sizeof *x);
    x->hnext = rl->free_head;
    rl->free_head = i;
    rl->counts.tracked--;
}

/* An entry whose windows both lie two windows back carries no count any more. */
static bool
is_idle(const struct rate_limit *rl, const struct rl_entry *x, uint64_t now_ms)
{
    return now_ms >= x->win_start && now_ms - x->win_start >= 2 * rl->window_ms;
}

static void
roll(const struct rate_limit *rl, struct rl_entry *x, uint64_t now_ms)
{
    if (now_ms < x->win_start || now_ms - x->win_start < rl->window_ms)
        return;
    if (now_ms - x->win_start < 2 * rl->window_ms) {
        x->prev_count = x->cur_count;
        x->win_start += rl->window_ms;
    } else {
        x->prev_count = 0;
        x->win_start = now_ms;
    }
    x->cur_count = 0;
}

int
rate_limit_check(struct rate_limit *rl, const char *msisdn, uint64_t now_ms, enum rate_verdict *out)
{
    if (out != NULL)
        *out = RATE_PASS;
    if (rl == NULL || msisdn == NULL || out == NULL)
        return GY_EINVAL;
    if (msisdn[0] == '+')
        msisdn++;
    size_t n = strnlen(msisdn, NUM_SIZE);
    if (n == 0 || n >= NUM_SIZE)
        return GY_EINVAL;

    /* Bounded housekeeping: forget up to two numbers quiet for two windows. */
    for (int k = 0; k < 2 && rl->lru_head != NIL && is_idle(rl, &rl->e[rl->lru_head], now_ms);
         k++) {
        evict(rl, rl->lru_head);
        rl->counts.evicted_idle++;
    }

    uint32_t h = num_hash(msisdn, n);
    uint32_t i = rl->buckets[h & rl->mask];
    while (i != NIL && !(rl->e[i].hash == h && strncmp(rl->e[i].msisdn, msisdn, NUM_SIZE) == 0))
        i = rl->e[i].hnext;

    if (i == NIL) {
        if (rl->free_head == NIL) {
            bool idle = is_idle(rl, &rl->e[rl->lru_head], now_ms);
            evict(rl, rl->lru_head);
            if (idle)
                rl->counts.evicted_idle++;
            else
                rl->counts.evicted_busy++;
        }
        i = rl->free_head;
        struct rl_entry *x = &rl->e[i];
        rl->free_head = x->hnext;
        memset(x, 0, sizeof *x);
        memcpy(x->msisdn, msisdn, n);
        x->hash = h;
        x->win_start = now_ms;
        x->hnext = rl->buckets[h & rl->mask];
        rl->buckets[h & rl->mask] = i;
        lru_append(rl, i);
        rl->counts.tracked++;
    } else if (rl->lru_tail != i) {
        lru_unlink(rl, i);
        lru_append(rl, i);
    }

    struct rl_entry *x = &rl->e[i];
    roll(rl, x, now_ms);
    /* Messages in the last window_ms, estimated (scaled by window_ms): the current window's
     * count plus the previous one's in proportion to the part still inside. */
    uint64_t into = now_ms > x->win_start ? now_ms - x->win_start : 0;
    uint64_t est =
        (uint64_t)x->cur_count * rl->window_ms + (uint64_t)x->prev_count * (rl->window_ms - into);
    if (est < rl->limit * rl->window_ms) {
        *out = RATE_PASS;
        x->noticed = 0;
        rl->counts.passed++;
    } else if (!x->noticed) {
        *out = RATE_ANSWER_ONCE;
        x->noticed = 1;
        rl->counts.answered_once++;
    } else {
        *out = RATE_SILENT;
        rl->counts.silenced++;
    }
    if (x->cur_count < COUNT_MAX)
        x->cur_count++;
    return 0;
}

void
rate_limit_counts(const struct rate_limit *rl, struct rate_limit_counts *out)
{
    if (out == NULL)
        return;
    if (rl == NULL) {
        memset(out, 0, sizeof *out);
        return;
    }
    *out = rl->counts;
}
