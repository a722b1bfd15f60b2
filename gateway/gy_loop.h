/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gy_loop: the one event loop of gongyoud (libevent 2.1 behind a small API): the loop itself,
 * one-shot and periodic millisecond timers, signal handlers, a monotonic clock in ms, and
 * deferred calls. Nothing outside gateway/gy_loop.c, gateway/gy_conn.c (and the future admin
 * HTTP module, through gy_loop_int.h) includes event2 headers. Single-threaded. */
#ifndef GY_LOOP_H
#define GY_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct gy_loop;   /* opaque */
struct gy_timer;  /* opaque */
struct gy_signal; /* opaque */

/* Returns a new loop owned by the caller (free with gy_loop_free()), or NULL. */
struct gy_loop *gy_loop_new(void);

/* Runs deferred calls still pending, releases the loop. Every timer, signal, connection and
 * listener made on it must have been freed/closed before (closed connections still lingering
 * are released here). NULL is a no-op. Never call it from a callback of the loop. */
void gy_loop_free(struct gy_loop *loop);

/* Runs until gy_loop_break() is called or nothing is left to wait for. Returns 0, or GY_EIO
 * when libevent fails. */
int gy_loop_run(struct gy_loop *loop);

/* Waits for at least one event (blocking when block is true), runs the callbacks that are
 * ready, returns. Returns 0, or GY_EIO. Tests drive the loop with this. */
int gy_loop_run_once(struct gy_loop *loop, bool block);

/* Makes gy_loop_run() return after the current callback. Safe inside any callback. */
void gy_loop_break(struct gy_loop *loop);

/* Monotonic milliseconds (CLOCK_MONOTONIC; the origin is arbitrary). */
uint64_t gy_loop_now_ms(const struct gy_loop *loop);

/* ---- timers ---- */

typedef void gy_timer_cb(struct gy_timer *timer, void *arg);

/* Returns a new stopped timer owned by the caller (free with gy_timer_free()), or NULL. cb
 * runs from the loop; it may start, stop or free its own timer. */
struct gy_timer *gy_timer_new(struct gy_loop *loop, gy_timer_cb *cb, void *arg);

/* (Re)starts the timer: fires once after ms milliseconds, or every ms milliseconds when
 * periodic (ms >= 1 then). Restarting a pending timer replaces its deadline. Returns 0,
 * GY_EINVAL or GY_EIO. */
int gy_timer_start(struct gy_timer *timer, uint64_t ms, bool periodic);
void gy_timer_stop(struct gy_timer *timer);
bool gy_timer_pending(const struct gy_timer *timer);
/* Stops and frees; NULL is a no-op. Allowed inside the timer's own callback. */
void gy_timer_free(struct gy_timer *timer);

/* ---- signals ---- */

typedef void gy_signal_cb(struct gy_signal *sig, int signum, void *arg);

/* Catches signum (SIGTERM, SIGINT, SIGHUP...) from the loop: cb runs as an ordinary callback,
 * never in signal context. Returns a new handle owned by the caller (free with
 * gy_signal_free(), which restores the previous disposition), or NULL. */
struct gy_signal *gy_signal_new(struct gy_loop *loop, int signum, gy_signal_cb *cb, void *arg);
void gy_signal_free(struct gy_signal *sig);

/* ---- deferred calls ---- */

/* A deferred call, embedded by the caller in its own object (no allocation, cannot fail).
 * Fields are private to gy_loop. */
struct gy_defer {
    struct gy_defer *next;
    void (*fn)(void *arg);
    void *arg;
    bool queued;
};

/* Queues fn(arg) to run from the loop after the current callback returns (at the latest in
 * gy_loop_free()). Used to release an object outside its own callback. Queueing a struct that
 * is already queued does nothing. d must stay valid until fn has run. */
void gy_loop_defer(struct gy_loop *loop, struct gy_defer *d, void (*fn)(void *arg), void *arg);

#endif
