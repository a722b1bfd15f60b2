/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smpp_window: outstanding requests in an open table indexed by sequence number modulo a
 * power of two (at least twice the capacity), plus a FIFO list in sending order for expiry.
 * A sequence number whose slot is busy is skipped, so no outstanding number is ever reused. */
#include "gateway/smpp_window.h"

#include <stdlib.h>

#include "base/gy_err.h"

#define NIL UINT32_MAX

struct slot {
    struct smpp_window_entry e;
    uint32_t prev, next; /* FIFO neighbours (slot indexes) or NIL */
    bool used;
};

struct smpp_window {
    unsigned capacity, count;
    uint64_t timeout_ms;
    uint32_t next_seq;
    uint32_t mask;
    uint32_t head, tail; /* oldest, newest */
    struct slot *slots;
};

static uint32_t
seq_after(uint32_t seq)
{
    return seq >= SMPP_SEQ_MAX ? 1u : seq + 1u;
}

struct smpp_window *
smpp_window_new(unsigned capacity, uint64_t timeout_ms, uint32_t first_seq)
{
    if (capacity < 1 || capacity > SMPP_WINDOW_MAX || first_seq > SMPP_SEQ_MAX)
        return NULL;
    struct smpp_window *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    uint32_t size = 2;
    while (size < 2u * capacity)
        size <<= 1;
    w->slots = calloc(size, sizeof *w->slots);
    if (w->slots == NULL) {
        free(w);
        return NULL;
    }
    w->capacity = capacity;
    w->timeout_ms = timeout_ms;
    w->next_seq = first_seq == 0 ? 1u : first_seq;
    w->mask = size - 1;
    w->head = w->tail = NIL;
    return w;
}

void
smpp_window_free(struct smpp_window *w)
{
    if (w == NULL)
        return;
    free(w->slots);
    free(w);
}

unsigned
smpp_window_capacity(const struct smpp_window *w)
{
    return w->capacity;
}

unsigned
smpp_window_count(const struct smpp_window *w)
{
    return w->count;
}

bool
smpp_window_full(const struct smpp_window *w)
{
    return w->count >= w->capacity;
}

uint32_t
smpp_window_next_seq(struct smpp_window *w)
{
    /* At most count < size slots are busy, so this ends. */
    uint32_t seq = w->next_seq;
    while (w->slots[seq & w->mask].used)
        seq = seq_after(seq);
    w->next_seq = seq_after(seq);
    return seq;
}

int
smpp_window_add(struct smpp_window *w, uint32_t command_id, uint64_t cookie, uint64_t now_ms,
                uint32_t *seq)
{
    if (w->count >= w->capacity)
        return GY_EBUSY;
    uint32_t s = smpp_window_next_seq(w);
    uint32_t i = s & w->mask;
    struct slot *sl = &w->slots[i];
    sl->e = (struct smpp_window_entry){.seq = s,
                                       .command_id = command_id,
                                       .cookie = cookie,
                                       .sent_ms = now_ms,
                                       .deadline_ms = now_ms + w->timeout_ms};
    sl->used = true;
    sl->next = NIL;
    sl->prev = w->tail;
    if (w->tail != NIL)
        w->slots[w->tail].next = i;
    else
        w->head = i;
    w->tail = i;
    w->count++;
    *seq = s;
    return 0;
}

static void
unlink_slot(struct smpp_window *w, uint32_t i, struct smpp_window_entry *out)
{
    struct slot *sl = &w->slots[i];
    if (sl->prev != NIL)
        w->slots[sl->prev].next = sl->next;
    else
        w->head = sl->next;
    if (sl->next != NIL)
        w->slots[sl->next].prev = sl->prev;
    else
        w->tail = sl->prev;
    if (out != NULL)
        *out = sl->e;
    sl->used = false;
    w->count--;
}

int
smpp_window_take(struct smpp_window *w, uint32_t seq, struct smpp_window_entry *out)
{
    if (seq == 0 || seq > SMPP_SEQ_MAX)
        return GY_ENOTFOUND;
    uint32_t i = seq & w->mask;
    if (!w->slots[i].used || w->slots[i].e.seq != seq)
        return GY_ENOTFOUND;
    unlink_slot(w, i, out);
    return 0;
}

int
smpp_window_expire(struct smpp_window *w, uint64_t now_ms, struct smpp_window_entry *out)
{
    if (w->head == NIL || w->slots[w->head].e.deadline_ms > now_ms)
        return GY_ENOTFOUND;
    unlink_slot(w, w->head, out);
    return 0;
}

int
smpp_window_drain(struct smpp_window *w, struct smpp_window_entry *out)
{
    if (w->head == NIL)
        return GY_ENOTFOUND;
    unlink_slot(w, w->head, out);
    return 0;
}

uint64_t
smpp_window_next_deadline(const struct smpp_window *w)
{
    return w->head == NIL ? UINT64_MAX : w->slots[w->head].e.deadline_ms;
}
