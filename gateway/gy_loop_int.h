/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gy_loop_int: the libevent handles behind struct gy_loop, for the few modules allowed to use
 * libevent directly (gy_conn.c; the admin HTTP module). Everything else uses gy_loop.h. */
#ifndef GY_LOOP_INT_H
#define GY_LOOP_INT_H

#include "gateway/gy_loop.h"

struct event_base;
struct evdns_base;

/* The event base; owned by the loop. */
struct event_base *gy_loop_base(struct gy_loop *loop);

/* The asynchronous resolver, made on first use; owned by the loop. NULL when it cannot be
 * made. */
struct evdns_base *gy_loop_dns(struct gy_loop *loop);

/* A lingering object (a closed connection still flushing its output), released by its
 * owner with gy_loop_linger_del() or, at the latest, by gy_loop_free() calling fn(arg). */
struct gy_linger {
    struct gy_linger *prev, *next;
    void (*fn)(void *arg);
    void *arg;
};
void gy_loop_linger_add(struct gy_loop *loop, struct gy_linger *l, void (*fn)(void *arg),
                        void *arg);
void gy_loop_linger_del(struct gy_loop *loop, struct gy_linger *l);

#endif
