/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gy_conn: TCP connections and listeners on libevent bufferevents, behind one callback with
 * event codes. It never frees an object inside its own callback: gy_conn_close() detaches the
 * connection and lets the loop release it (after flushing its output for at most 1 s). */
#include "gateway/gy_conn.h"
#include "gateway/gy_loop_int.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/dns.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "base/gy_err.h"

#define LINGER_MS 1000u

struct gy_conn {
    struct gy_loop *loop;
    struct bufferevent *bev;
    gy_conn_cb *cb;
    void *arg;
    bool connected;
    bool closed;
    uint64_t read_timeout_ms;
    struct gy_defer defer;   /* release after close */
    struct gy_linger linger; /* while flushing after close */
};

struct gy_conn_listener {
    struct gy_loop *loop;
    struct evconnlistener *lev;
    gy_conn_accept_cb *cb;
    void *arg;
    int port;
};

static struct timeval
ms_tv(uint64_t ms)
{
    struct timeval tv = {.tv_sec = (time_t)(ms / 1000u),
                         .tv_usec = (suseconds_t)(ms % 1000u) * 1000};
    return tv;
}

static void
set_nodelay(struct bufferevent *bev)
{
    evutil_socket_t fd = bufferevent_getfd(bev);
    int one = 1;
    if (fd >= 0)
        (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static void
apply_read_timeout(struct gy_conn *c)
{
    struct timeval tv = ms_tv(c->read_timeout_ms);
    bufferevent_set_timeouts(c->bev, c->read_timeout_ms ? &tv : NULL, NULL);
}

static void
conn_release(void *arg)
{
    struct gy_conn *c = arg;
    gy_loop_linger_del(c->loop, &c->linger);
    bufferevent_free(c->bev);
    free(c);
}

static void
emit(struct gy_conn *c, enum gy_conn_event ev, int err)
{
    if (!c->closed && c->cb != NULL)
        c->cb(c, ev, err, c->arg);
}

static void
read_cb(struct bufferevent *bev, void *arg)
{
    (void)bev;
    emit(arg, GY_CONN_DATA, 0);
}

static void
event_cb(struct bufferevent *bev, short what, void *arg)
{
    (void)bev;
    struct gy_conn *c = arg;
    if (what & BEV_EVENT_CONNECTED) {
        c->connected = true;
        set_nodelay(c->bev);
        apply_read_timeout(c); /* drops the connect timeout */
        bufferevent_enable(c->bev, EV_READ);
        emit(c, GY_CONN_CONNECTED, 0);
        return;
    }
    bufferevent_disable(c->bev, EV_READ | EV_WRITE);
    if (what & BEV_EVENT_TIMEOUT)
        emit(c, GY_CONN_TIMEOUT, 0);
    else if (what & BEV_EVENT_EOF)
        emit(c, GY_CONN_EOF, 0);
    else
        emit(c, GY_CONN_ERROR, GY_EIO);
}

/* After close: the output has drained, or the flush failed or timed out. */
static void
linger_write_cb(struct bufferevent *bev, void *arg)
{
    (void)bev;
    struct gy_conn *c = arg;
    gy_loop_defer(c->loop, &c->defer, conn_release, c);
}

static void
linger_event_cb(struct bufferevent *bev, short what, void *arg)
{
    (void)what;
    linger_write_cb(bev, arg);
}

static struct gy_conn *
conn_wrap(struct gy_loop *loop, struct bufferevent *bev, gy_conn_cb *cb, void *arg)
{
    struct gy_conn *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->loop = loop;
    c->bev = bev;
    c->cb = cb;
    c->arg = arg;
    bufferevent_setcb(bev, read_cb, NULL, event_cb, c);
    return c;
}

struct gy_conn *
gy_conn_connect(struct gy_loop *loop, const char *host, int port, uint64_t timeout_ms,
                gy_conn_cb *cb, void *arg)
{
    if (loop == NULL || host == NULL || cb == NULL || port < 1 || port > 65535)
        return NULL;
    struct bufferevent *bev = bufferevent_socket_new(gy_loop_base(loop), -1, BEV_OPT_CLOSE_ON_FREE);
    if (bev == NULL)
        return NULL;
    struct gy_conn *c = conn_wrap(loop, bev, cb, arg);
    if (c == NULL) {
        bufferevent_free(bev);
        return NULL;
    }
    if (timeout_ms > 0) {
        struct timeval tv = ms_tv(timeout_ms);
        bufferevent_set_timeouts(bev, &tv, &tv);
    }
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port)};
    int r;
    if (inet_pton(AF_INET, host, &sin.sin_addr) == 1) {
        r = bufferevent_socket_connect(bev, (struct sockaddr *)&sin, sizeof sin);
    } else if (inet_pton(AF_INET6, host, &sin6.sin6_addr) == 1) {
        r = bufferevent_socket_connect(bev, (struct sockaddr *)&sin6, sizeof sin6);
    } else {
        struct evdns_base *dns = gy_loop_dns(loop);
        r = dns == NULL ? -1 : bufferevent_socket_connect_hostname(bev, dns, AF_UNSPEC, host, port);
    }
    if (r != 0) {
        bufferevent_free(bev);
        free(c);
        return NULL;
    }
    return c;
}

void
gy_conn_set_cb(struct gy_conn *c, gy_conn_cb *cb, void *arg)
{
    c->cb = cb;
    c->arg = arg;
}

int
gy_conn_write(struct gy_conn *c, const void *data, size_t len)
{
    if (c == NULL || c->closed || !c->connected)
        return GY_ESTATE;
    return bufferevent_write(c->bev, data, len) == 0 ? 0 : GY_ENOMEM;
}

size_t
gy_conn_output_pending(const struct gy_conn *c)
{
    return evbuffer_get_length(bufferevent_get_output(c->bev));
}

const uint8_t *
gy_conn_data(struct gy_conn *c, size_t *len)
{
    struct evbuffer *in = bufferevent_get_input(c->bev);
    *len = evbuffer_get_length(in);
    if (*len == 0)
        return NULL;
    return evbuffer_pullup(in, -1);
}

void
gy_conn_consume(struct gy_conn *c, size_t n)
{
    evbuffer_drain(bufferevent_get_input(c->bev), n);
}

int
gy_conn_read_enable(struct gy_conn *c, int enable)
{
    if (c->closed)
        return GY_ESTATE;
    int r = enable ? bufferevent_enable(c->bev, EV_READ) : bufferevent_disable(c->bev, EV_READ);
    return r == 0 ? 0 : GY_EIO;
}

int
gy_conn_set_read_timeout(struct gy_conn *c, uint64_t ms)
{
    c->read_timeout_ms = ms;
    if (c->connected)
        apply_read_timeout(c);
    return 0;
}

char *
gy_conn_peer(const struct gy_conn *c, char buf[GY_CONN_ADDRLEN])
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char host[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    evutil_socket_t fd = bufferevent_getfd(c->bev);
    if (fd >= 0 && getpeername(fd, (struct sockaddr *)&ss, &sl) == 0) {
        if (ss.ss_family == AF_INET) {
            const struct sockaddr_in *s4 = (const struct sockaddr_in *)&ss;
            inet_ntop(AF_INET, &s4->sin_addr, host, sizeof host);
            port = ntohs(s4->sin_port);
        } else if (ss.ss_family == AF_INET6) {
            const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&ss;
            inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof host);
            port = ntohs(s6->sin6_port);
        }
    }
    snprintf(buf, GY_CONN_ADDRLEN, "%s:%d", host, port);
    return buf;
}

void
gy_conn_close(struct gy_conn *c)
{
    if (c == NULL || c->closed)
        return;
    c->closed = true;
    bufferevent_disable(c->bev, EV_READ);
    if (c->connected && gy_conn_output_pending(c) > 0) {
        /* Flush what was written (an unbind_resp, say), bounded in time. */
        struct timeval tv = ms_tv(LINGER_MS);
        bufferevent_set_timeouts(c->bev, NULL, &tv);
        bufferevent_setcb(c->bev, NULL, linger_write_cb, linger_event_cb, c);
        bufferevent_enable(c->bev, EV_WRITE);
        gy_loop_linger_add(c->loop, &c->linger, conn_release, c);
        return;
    }
    bufferevent_disable(c->bev, EV_WRITE);
    bufferevent_setcb(c->bev, NULL, NULL, NULL, NULL);
    gy_loop_defer(c->loop, &c->defer, conn_release, c);
}

/* ---- listener ---- */

static void
accept_cb(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa, int salen, void *arg)
{
    (void)lev;
    (void)sa;
    (void)salen;
    struct gy_conn_listener *l = arg;
    struct bufferevent *bev =
        bufferevent_socket_new(gy_loop_base(l->loop), fd, BEV_OPT_CLOSE_ON_FREE);
    if (bev == NULL) {
        evutil_closesocket(fd);
        return;
    }
    struct gy_conn *c = conn_wrap(l->loop, bev, NULL, NULL);
    if (c == NULL) {
        bufferevent_free(bev);
        return;
    }
    c->connected = true;
    set_nodelay(bev);
    bufferevent_enable(bev, EV_READ);
    l->cb(l, c, l->arg);
}

struct gy_conn_listener *
gy_conn_listen(struct gy_loop *loop, const char *host, int port, gy_conn_accept_cb *cb, void *arg)
{
    if (loop == NULL || host == NULL || cb == NULL || port < 0 || port > 65535)
        return NULL;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t sl;
    struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)port);
        sl = sizeof *s4;
    } else if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        sl = sizeof *s6;
    } else {
        return NULL;
    }
    struct gy_conn_listener *l = calloc(1, sizeof *l);
    if (l == NULL)
        return NULL;
    l->loop = loop;
    l->cb = cb;
    l->arg = arg;
    l->lev = evconnlistener_new_bind(gy_loop_base(loop), accept_cb, l,
                                     LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, -1,
                                     (struct sockaddr *)&ss, (int)sl);
    if (l->lev == NULL) {
        free(l);
        return NULL;
    }
    struct sockaddr_storage bound;
    socklen_t bl = sizeof bound;
    if (getsockname(evconnlistener_get_fd(l->lev), (struct sockaddr *)&bound, &bl) == 0)
        l->port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                    : ((struct sockaddr_in *)&bound)->sin_port);
    return l;
}

int
gy_conn_listener_port(const struct gy_conn_listener *l)
{
    return l->port;
}

void
gy_conn_listener_free(struct gy_conn_listener *l)
{
    if (l == NULL)
        return;
    evconnlistener_free(l->lev);
    free(l);
}
