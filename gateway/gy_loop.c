/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gy_loop: libevent 2.1 behind a small API (loop, ms timers, signals, monotonic clock,
 * deferred calls). It knows nothing of connections or SMPP. */
#include "gateway/gy_loop.h"
#include "gateway/gy_loop_int.h"

#include <stdlib.h>
#include <time.h>

#include <event2/dns.h>
#include <event2/event.h>

#include "base/gy_err.h"

struct gy_loop {
    struct event_base *base;
    struct evdns_base *dns;
    struct event *defer_ev; /* activated when the deferred queue is not empty */
    struct gy_defer *defer_head, *defer_tail;
    struct gy_linger *linger; /* doubly linked, NULL-terminated */
};

struct gy_timer {
    struct event *ev;
    gy_timer_cb *cb;
    void *arg;
};

struct gy_signal {
    struct event *ev;
    gy_signal_cb *cb;
    void *arg;
};

static void
defer_run(struct gy_loop *loop)
{
    /* Run the queue as it stands; calls queued meanwhile run too (FIFO). */
    while (loop->defer_head != NULL) {
        struct gy_defer *d = loop->defer_head;
        loop->defer_head = d->next;
        if (loop->defer_head == NULL)
            loop->defer_tail = NULL;
        d->next = NULL;
        d->queued = false;
        d->fn(d->arg); /* may free d */
    }
}

static void
defer_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    defer_run(arg);
}

struct gy_loop *
gy_loop_new(void)
{
    struct gy_loop *loop = calloc(1, sizeof *loop);
    if (loop == NULL)
        return NULL;
    struct event_config *cfg = event_config_new();
    if (cfg != NULL) {
        /* One thread only: no locks. */
        event_config_set_flag(cfg, EVENT_BASE_FLAG_NOLOCK);
        loop->base = event_base_new_with_config(cfg);
        event_config_free(cfg);
    }
    if (loop->base != NULL)
        loop->defer_ev = event_new(loop->base, -1, 0, defer_cb, loop);
    if (loop->defer_ev == NULL) {
        if (loop->base != NULL)
            event_base_free(loop->base);
        free(loop);
        return NULL;
    }
    return loop;
}

void
gy_loop_free(struct gy_loop *loop)
{
    if (loop == NULL)
        return;
    defer_run(loop);
    while (loop->linger != NULL) {
        struct gy_linger *l = loop->linger;
        gy_loop_linger_del(loop, l);
        l->fn(l->arg);
    }
    defer_run(loop);
    event_free(loop->defer_ev);
    if (loop->dns != NULL)
        evdns_base_free(loop->dns, 1);
    event_base_free(loop->base);
    free(loop);
}

int
gy_loop_run(struct gy_loop *loop)
{
    return event_base_dispatch(loop->base) < 0 ? GY_EIO : 0;
}

int
gy_loop_run_once(struct gy_loop *loop, bool block)
{
    int flags = EVLOOP_ONCE | (block ? 0 : EVLOOP_NONBLOCK);
    return event_base_loop(loop->base, flags) < 0 ? GY_EIO : 0;
}

void
gy_loop_break(struct gy_loop *loop)
{
    event_base_loopbreak(loop->base);
}

uint64_t
gy_loop_now_ms(const struct gy_loop *loop)
{
    (void)loop;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

struct event_base *
gy_loop_base(struct gy_loop *loop)
{
    return loop->base;
}

struct evdns_base *
gy_loop_dns(struct gy_loop *loop)
{
    if (loop->dns == NULL)
        loop->dns = evdns_base_new(loop->base, EVDNS_BASE_INITIALIZE_NAMESERVERS);
    return loop->dns;
}

void
gy_loop_defer(struct gy_loop *loop, struct gy_defer *d, void (*fn)(void *arg), void *arg)
{
    if (d->queued)
        return;
    d->fn = fn;
    d->arg = arg;
    d->next = NULL;
    d->queued = true;
    if (loop->defer_tail != NULL)
        loop->defer_tail->next = d;
    else
        loop->defer_head = d;
    loop->defer_tail = d;
    event_active(loop->defer_ev, 0, 0);
}

void
gy_loop_linger_add(struct gy_loop *loop, struct gy_linger *l, void (*fn)(void *arg), void *arg)
{
    l->fn = fn;
    l->arg = arg;
    l->prev = NULL;
    l->next = loop->linger;
    if (loop->linger != NULL)
        loop->linger->prev = l;
    loop->linger = l;
}

void
gy_loop_linger_del(struct gy_loop *loop, struct gy_linger *l)
{
    if (l->prev != NULL)
        l->prev->next = l->next;
    else if (loop->linger == l)
        loop->linger = l->next;
    else
        return; /* not in the list */
    if (l->next != NULL)
        l->next->prev = l->prev;
    l->prev = l->next = NULL;
}

/* ---- timers ---- */

static void
timer_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct gy_timer *t = arg;
    t->cb(t, t->arg);
}

struct gy_timer *
gy_timer_new(struct gy_loop *loop, gy_timer_cb *cb, void *arg)
{
    if (loop == NULL || cb == NULL)
        return NULL;
    struct gy_timer *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->cb = cb;
    t->arg = arg;
    /* Created non-persistent; gy_timer_start() reassigns the flags. */
    t->ev = event_new(loop->base, -1, 0, timer_cb, t);
    if (t->ev == NULL) {
        free(t);
        return NULL;
    }
    return t;
}

int
gy_timer_start(struct gy_timer *t, uint64_t ms, bool periodic)
{
    if (t == NULL || (periodic && ms == 0))
        return GY_EINVAL;
    struct event_base *base = event_get_base(t->ev);
    event_del(t->ev);
    if (event_assign(t->ev, base, -1, periodic ? EV_PERSIST : 0, timer_cb, t) != 0)
        return GY_EIO;
    struct timeval tv = {.tv_sec = (time_t)(ms / 1000u),
                         .tv_usec = (suseconds_t)(ms % 1000u) * 1000};
    return event_add(t->ev, &tv) == 0 ? 0 : GY_EIO;
}

void
gy_timer_stop(struct gy_timer *t)
{
    if (t != NULL)
        event_del(t->ev);
}

bool
gy_timer_pending(const struct gy_timer *t)
{
    return t != NULL && event_pending(t->ev, EV_TIMEOUT, NULL) != 0;
}

void
gy_timer_free(struct gy_timer *t)
{
    if (t == NULL)
        return;
    event_free(t->ev);
    free(t);
}

/* ---- signals ---- */

static void
signal_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)what;
    struct gy_signal *s = arg;
    s->cb(s, (int)fd, s->arg);
}

struct gy_signal *
gy_signal_new(struct gy_loop *loop, int signum, gy_signal_cb *cb, void *arg)
{
    if (loop == NULL || cb == NULL)
        return NULL;
    struct gy_signal *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->cb = cb;
    s->arg = arg;
    s->ev = evsignal_new(loop->base, signum, signal_cb, s);
    if (s->ev == NULL || event_add(s->ev, NULL) != 0) {
        if (s->ev != NULL)
            event_free(s->ev);
        free(s);
        return NULL;
    }
    return s;
}

void
gy_signal_free(struct gy_signal *s)
{
    if (s == NULL)
        return;
    event_free(s->ev);
    free(s);
}
