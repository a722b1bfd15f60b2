/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gw_int: the gateway context shared by gw_daemon.c (life cycle, signals), gw_outbound.c
 * (outbox <-> links) and gw_inbound.c (deliver_sm). Internal to those files. */
#ifndef GW_INT_H
#define GW_INT_H

#include "db/db_store.h"
#include "db/outbox_store.h"
#include "gateway/gw.h"
#include "gateway/gy_loop.h"
#include "gateway/outbox_sched.h"
#include "gateway/smpp_dlr.h"
#include "gateway/smpp_link.h"

struct gw;
struct menu_action_registry; /* menus/menu_action.h */
struct menu_set_slot;        /* menus/menu_set.h */
struct db_checkpointer;      /* db/db_checkpointer.h */

#define GW_POLL_MS   50   /* how often rows written by other processes are looked for */
#define GW_EXPIRE_MS 1000 /* validity sweep of queued segments */
#define GW_BUSY_MS   200  /* longest wait for another writer's lock (gongyou send, import) */
#define GW_CHECKPOINT_MS 100 /* WAL checkpoints by the checkpoint thread (db_checkpointer.h) */
#define GW_CHECKPOINT_BACKSTOP 10000 /* WAL frames after which a commit of the loop checkpoints */
#define GW_CHECKPOINT_WATCH_MS 1000 /* how often the loop reads that thread's counters */

/* A deliver_sm whose answer waits for the grouped commit. */
struct gw_answer {
    struct smpp_link *link;
    struct smpp_link_answer_token tok;
    uint32_t status; /* sent when the commit succeeds; ESME_RX_T_APPN when it fails */
};

/* Counters of the dialog side (gw_channel.c). */
struct gw_channel_stats {
    uint64_t ussd_steps, ussd_aborts, sms_steps, sms_unknown, sms_incomplete;
    uint64_t replies_ussd, replies_sms;
    uint64_t rate_limited, not_worker;
    uint64_t sessions_refused, sessions_expired;
    size_t sessions_open;
};

struct gw_channel; /* gw_channel.c */

/* One configured bind at run time. */
struct gw_bind {
    struct gw *gw;
    const struct gy_smsc_bind *cfg;
    struct smpp_link *link;
    int sched_index;              /* index in the scheduler */
    struct gy_timer *wake;        /* end of a pause or back-off in the scheduler */
    enum smpp_id_base report_base; /* how delivery reports write ids */
    bool down;                    /* DISCONNECTED after a stop */
};

struct gw {
    const struct gy_config *cfg;
    struct gy_loop *loop;
    struct db *db;
    struct outbox_sched *sched;
    struct gw_bind *binds;
    size_t n_binds;

    struct gy_timer *poll_timer;   /* new rows from other processes, marks, fetches */
    struct gy_timer *expire_timer; /* validity sweep */
    struct gy_timer *stop_timer;   /* hard limit of a graceful stop */
    struct gy_signal *sig_term, *sig_int, *sig_hup;
    struct gy_defer pump_defer;    /* one pump per loop turn, however many triggers */
    struct gy_defer commit_defer;  /* one grouped commit per loop turn */

    /* The grouped transaction: opened by the first write of a loop turn, committed after
     * the turn's callbacks; deliver_sm answers wait for it (acknowledged = durable). */
    bool txn_open;
    bool txn_failed; /* a write of the group failed: roll the whole group back */
    bool inbox_new;  /* the group holds new inbox rows: process them after the commit */
    struct gw_channel *channel;
    struct gy_defer channel_defer; /* one pass over new inbox rows per loop turn */
    struct gw_answer *answers;
    size_t n_answers, cap_answers;

    struct outbox_seg *fetch_buf; /* scratch for outbox_store_fetch */
    size_t fetch_cap;
    struct outbox_mark *mark_buf; /* scratch for outbox_sched_take_marks */
    size_t mark_cap;

    struct menu_action_registry *menu_reg; /* the built-in menu actions */
    struct menu_set_slot *menus; /* the current menu set (menus.dir); SIGHUP reloads it */

    int64_t data_version; /* PRAGMA data_version seen last: other writers */
    struct db_checkpointer *checkpointer; /* NULL: the loop's commits checkpoint */
    struct gy_timer *checkpoint_watch;    /* reads the thread's counters */
    uint64_t checkpoint_errors;           /* failed passes already reported */
    bool stopping;
    bool stopped;
    struct gw_stats stats;
};

/* Wall-clock milliseconds since the epoch (outbox times are wall-clock). */
int64_t gw_now_ms(void);

/* gw_outbound.c */
/* Asks for one pump (fetch, submit, commit) after the current callback. */
void gw_pump_later(struct gw *gw);
/* Fetches ready segments, hands them to bound links, arms wake timers, commits marks. */
void gw_pump(struct gw *gw);
/* Writes the scheduler's pending marks into the grouped transaction (opening it). Returns 0
 * or GY_EDB. */
int gw_flush_marks(struct gw *gw);
/* Opens the grouped transaction if needed and schedules its commit after the current
 * callback. Returns 0 or GY_EDB (no transaction: the caller refuses or retries). */
int gw_txn(struct gw *gw);
/* Commits the grouped transaction now (if open) and sends the answers that waited for it.
 * Returns 0 or GY_EDB (rolled back; waiting answers got ESME_RX_T_APPN). */
int gw_commit(struct gw *gw);
/* Link callbacks of the outbound side. */
void gw_on_completion(struct smpp_link *link, const struct smpp_link_completion *c, void *arg);
void gw_on_ready(struct smpp_link *link, void *arg);
/* Timer callback: other processes' rows, expiry of queued segments. */
void gw_on_poll(struct gy_timer *t, void *arg);
void gw_on_expire(struct gy_timer *t, void *arg);
void gw_on_wake(struct gy_timer *t, void *arg);

/* gw_channel.c */
/* Sets up sessions, reassembly, rate limit, keywords and system texts. 0 or GY_E*. */
int gw_channel_new(struct gw *gw);
void gw_channel_free(struct gw *gw);
/* New inbox rows are committed: handle them after the current callback. */
void gw_channel_kick(struct gw *gw);
/* SIGHUP: the keyword aliases of the configuration file, read again (a bad file keeps the
 * aliases in use). */
void gw_channel_reload_keywords(struct gw *gw);
void gw_channel_stats(const struct gw *gw, struct gw_channel_stats *out);

/* gw_inbound.c */
uint32_t gw_on_deliver(struct smpp_link *link, const struct smpp_pdu *pdu, void *arg);

#endif
