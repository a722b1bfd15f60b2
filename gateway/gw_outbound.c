/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gw_outbound: moves segments from the outbox to the links and results back. One pump per
 * loop turn fetches ready segments into the scheduler, submits to every bound link while it
 * accepts, arms each bind's wake timer, and commits the scheduler's marks in one grouped
 * transaction. New rows written by other processes (gongyou send) are noticed through
 * PRAGMA data_version. */
#include "gateway/gw_int.h"
#include "base/gy_err.h"
#include "base/gy_log.h"

#include <stdlib.h>
#include <time.h>

#define GW_EXPIRE_MAX 1000 /* queued segments expired per sweep */

int64_t
gw_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
pump_deferred(void *arg)
{
    gw_pump(arg);
}

void
gw_pump_later(struct gw *gw)
{
    gy_loop_defer(gw->loop, &gw->pump_defer, pump_deferred, gw);
}

static void
commit_deferred(void *arg)
{
    gw_commit(arg);
}

int
gw_txn(struct gw *gw)
{
    if (!gw->txn_open) {
        if (db_begin(gw->db) != 0) {
            gw->stats.db_errors++;
            gy_error("database: cannot begin a transaction: %s", db_errmsg(gw->db));
            return GY_EDB;
        }
        gw->txn_open = true;
    }
    gy_loop_defer(gw->loop, &gw->commit_defer, commit_deferred, gw);
    return 0;
}

static void
send_answers(struct gw *gw, bool committed)
{
    for (size_t i = 0; i < gw->n_answers; i++) {
        struct gw_answer *a = &gw->answers[i];
        uint32_t st = committed ? a->status : SMPP_ESME_RX_T_APPN;
        /* GY_ESTATE: the connection went meanwhile; the SMSC delivers again. */
        smpp_link_answer(a->link, &a->tok, st);
    }
    gw->n_answers = 0;
}

int
gw_commit(struct gw *gw)
{
    if (!gw->txn_open) {
        send_answers(gw, true);
        return 0;
    }
    gw->txn_open = false;
    bool failed = gw->txn_failed;
    gw->txn_failed = false;
    bool inbox_new = gw->inbox_new;
    gw->inbox_new = false;
    if (!failed && db_commit(gw->db) == 0) {
        gw->stats.commits++;
        send_answers(gw, true);
        if (inbox_new)
            gw_channel_kick(gw);
        return 0;
    }
    gw->stats.db_errors++;
    gy_error("database: grouped commit failed: %s; %zu deliver_sm answered ESME_RX_T_APPN",
             db_errmsg(gw->db), gw->n_answers);
    db_rollback(gw->db);
    /* Outbox marks of this group are not written: the segments keep their stored state
     * (queued or submitted) and are sent again after a restart: at-least-once. */
    send_answers(gw, false);
    return GY_EDB;
}

int
gw_flush_marks(struct gw *gw)
{
    struct outbox_sched_stats st;
    outbox_sched_stats(gw->sched, &st);
    if (st.marks_pending == 0)
        return 0;
    if (st.marks_pending > gw->mark_cap) {
        size_t cap = st.marks_pending * 2;
        struct outbox_mark *m = realloc(gw->mark_buf, cap * sizeof(*m));
        if (m == NULL)
            return GY_ENOMEM;
        gw->mark_buf = m;
        gw->mark_cap = cap;
    }
    if (gw_txn(gw) != 0)
        return GY_EDB;
    size_t n = outbox_sched_take_marks(gw->sched, gw->mark_buf, gw->mark_cap);
    if (outbox_store_mark(gw->db, gw->mark_buf, n, gw_now_ms()) != 0) {
        gw->stats.db_errors++;
        gy_error("outbox: cannot record %zu state change%s: %s", n, n == 1 ? "" : "s",
                 db_errmsg(gw->db));
        gw->txn_failed = true;
        return GY_EDB;
    }
    gw->stats.marks_committed += n;
    return 0;
}

static void
fetch(struct gw *gw)
{
    for (int p = 0; p < OUTBOX_N_PRIO; p++) {
        int64_t after = 0;
        size_t want = outbox_sched_want(gw->sched, (enum outbox_prio)p, &after);
        if (want == 0)
            continue;
        if (want > gw->fetch_cap) {
            struct outbox_seg *b = realloc(gw->fetch_buf, want * sizeof(*b));
            if (b == NULL)
                continue;
            gw->fetch_buf = b;
            gw->fetch_cap = want;
        }
        size_t n = 0;
        if (outbox_store_fetch(gw->db, (enum outbox_prio)p, after, gw->fetch_buf, want, &n) !=
            0) {
            gy_error("outbox: fetch of %s segments failed: %s", outbox_prio_name(p),
                     db_errmsg(gw->db));
            continue;
        }
        outbox_sched_feed(gw->sched, (enum outbox_prio)p, gw->fetch_buf, n, want);
    }
}

static void
submit_all(struct gw *gw, struct gw_bind *b, int64_t now)
{
    struct smpp_pdu pdu;
    uint64_t cookie;
    while (smpp_link_can_submit(b->link)) {
        if (outbox_sched_next(gw->sched, b->sched_index, now, &pdu, &cookie) != 1)
            break;
        if (smpp_link_submit(b->link, &pdu, cookie) != 0) {
            outbox_sched_unpick(gw->sched, cookie);
            break;
        }
    }
    int64_t at = outbox_sched_wakeup(gw->sched, b->sched_index, now);
    if (at != INT64_MAX) {
        int64_t ms = at > now ? at - now : 1;
        gy_timer_start(b->wake, (uint64_t)ms, false);
    }
}

void
gw_pump(struct gw *gw)
{
    if (gw->stopped)
        return;
    if (!gw->stopping) {
        fetch(gw);
        int64_t now = gw_now_ms();
        for (size_t i = 0; i < gw->n_binds; i++)
            if (smpp_link_state(gw->binds[i].link) == SMPP_LINK_BOUND)
                submit_all(gw, &gw->binds[i], now);
    }
    gw_flush_marks(gw);
}

void
gw_on_completion(struct smpp_link *link, const struct smpp_link_completion *c, void *arg)
{
    struct gw_bind *b = arg;
    (void)link;
    outbox_sched_complete(b->gw->sched, c, gw_now_ms());
    gw_pump_later(b->gw);
}

void
gw_on_ready(struct smpp_link *link, void *arg)
{
    struct gw_bind *b = arg;
    (void)link;
    gw_pump_later(b->gw);
}

void
gw_on_wake(struct gy_timer *t, void *arg)
{
    struct gw_bind *b = arg;
    (void)t;
    gw_pump_later(b->gw);
}

void
gw_on_poll(struct gy_timer *t, void *arg)
{
    struct gw *gw = arg;
    (void)t;
    static const char SQL_DATA_VERSION[] = "PRAGMA data_version";
    sqlite3_stmt *st = db_stmt(gw->db, SQL_DATA_VERSION);
    if (st == NULL)
        return;
    if (sqlite3_step(st) == SQLITE_ROW) {
        int64_t v = sqlite3_column_int64(st, 0);
        if (v != gw->data_version) {
            gw->data_version = v;
            for (int p = 0; p < OUTBOX_N_PRIO; p++)
                outbox_sched_poke(gw->sched, (enum outbox_prio)p);
        }
    }
    db_stmt_done(st);
    gw_pump_later(gw);
}

void
gw_on_expire(struct gy_timer *t, void *arg)
{
    struct gw *gw = arg;
    (void)t;
    size_t n = 0;
    if (outbox_store_expire(gw->db, gw_now_ms(), GW_EXPIRE_MAX, &n) != 0)
        gy_error("outbox: expiry sweep failed: %s", db_errmsg(gw->db));
    else if (n > 0)
        gy_notice("outbox: %zu queued segment%s expired", n, n == 1 ? "" : "s");
}
