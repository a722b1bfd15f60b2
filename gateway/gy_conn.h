/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gy_conn: one opaque TCP connection object with one callback and event codes (connected,
 * data, eof, error, timeout), as a client (connect to host:port) or accepted by a listener.
 * It buffers input and output; it knows nothing of SMPP. An object is never freed inside its
 * own callback: gy_conn_close() only marks it, the loop releases it later. */
#ifndef GY_CONN_H
#define GY_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "gateway/gy_loop.h"

struct gy_conn;          /* opaque */
struct gy_conn_listener; /* opaque */

enum gy_conn_event {
    GY_CONN_CONNECTED, /* client connect succeeded */
    GY_CONN_DATA,      /* new input is in the read buffer (gy_conn_data()) */
    GY_CONN_EOF,       /* the peer closed its side; unread input stays readable */
    GY_CONN_ERROR,     /* connect failed or socket error; err is a GY_E* code */
    GY_CONN_TIMEOUT,   /* connect timeout, or no input for the read timeout */
};

/* The one callback. err is 0 except with GY_CONN_ERROR. After EOF, ERROR or TIMEOUT no more
 * input arrives; the owner normally calls gy_conn_close(). The callback may call any
 * gy_conn function on c, gy_conn_close() included. */
typedef void gy_conn_cb(struct gy_conn *c, enum gy_conn_event ev, int err, void *arg);

/* Starts a non-blocking connect to host:port (an IP address or a host name, resolved
 * without blocking the loop). cb gets CONNECTED, or ERROR / TIMEOUT (after timeout_ms; 0 for
 * none). Returns a new connection owned by the caller (release with gy_conn_close()), or
 * NULL when the arguments are bad or memory is short (cb never runs then). */
struct gy_conn *gy_conn_connect(struct gy_loop *loop, const char *host, int port,
                                uint64_t timeout_ms, gy_conn_cb *cb, void *arg);

/* Replaces the callback and its argument (used after accept). */
void gy_conn_set_cb(struct gy_conn *c, gy_conn_cb *cb, void *arg);

/* Copies len octets into the output buffer; they are sent as the socket allows. Returns 0,
 * GY_ENOMEM, or GY_ESTATE when the connection is closed or not connected yet. */
int gy_conn_write(struct gy_conn *c, const void *data, size_t len);

/* Octets written but not yet handed to the kernel. */
size_t gy_conn_output_pending(const struct gy_conn *c);

/* The unread input as one contiguous block; sets *len (0 gives NULL). The pointer stays
 * valid until the next gy_conn_consume(), gy_conn_close() or return to the loop. */
const uint8_t *gy_conn_data(struct gy_conn *c, size_t *len);

/* Drops the first n octets of input (n <= what gy_conn_data() reported). */
void gy_conn_consume(struct gy_conn *c, size_t n);

/* Stops (0) or resumes (1) reading from the socket (back-pressure). Returns 0 or GY_EIO. */
int gy_conn_read_enable(struct gy_conn *c, int enable);

/* GY_CONN_TIMEOUT when no input arrives for ms milliseconds (0 disables; the default). */
int gy_conn_set_read_timeout(struct gy_conn *c, uint64_t ms);

/* "127.0.0.1:2775" of the peer, for logs. Returns buf. */
#define GY_CONN_ADDRLEN 64
char *gy_conn_peer(const struct gy_conn *c, char buf[GY_CONN_ADDRLEN]);

/* Closes: no callback runs after this returns. Output already written is still sent,
 * best effort, for at most one second; the memory is released by the loop later (never
 * inside a callback). NULL is a no-op; closing twice is a bug. */
void gy_conn_close(struct gy_conn *c);

/* ---- server side (smsc-sim, tests) ---- */

/* Called with each accepted connection c, owned by the callee from now on: it sets its
 * callback with gy_conn_set_cb() (no event is delivered before) and closes it with
 * gy_conn_close(). */
typedef void gy_conn_accept_cb(struct gy_conn_listener *l, struct gy_conn *c, void *arg);

/* Listens on host:port (an IP address; port 0 picks a free one, see gy_conn_listener_port()).
 * Returns a new listener owned by the caller (free with gy_conn_listener_free()), or NULL
 * when the address is bad or cannot be bound. */
struct gy_conn_listener *gy_conn_listen(struct gy_loop *loop, const char *host, int port,
                                        gy_conn_accept_cb *cb, void *arg);

/* The port actually bound. */
int gy_conn_listener_port(const struct gy_conn_listener *l);

/* Stops listening and frees; connections already accepted live on. NULL is a no-op. Not
 * inside the listener's own callback. */
void gy_conn_listener_free(struct gy_conn_listener *l);

#endif
