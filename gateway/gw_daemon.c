/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gw_daemon: life cycle of the running gateway: build (database, crash recovery, scheduler,
 * links), run the loop, stop gracefully on SIGTERM/SIGINT (drain, unbind, commit), free. */
#include "gateway/gw_int.h"
#include "base/gy_err.h"
#include "base/gy_log.h"
#include "db/db_checkpointer.h"
#include "menus/menu_action.h"
#include "menus/menu_set.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define GW_STOP_SLACK_MS 3000 /* beyond drain + unbind wait, before a stop is forced */

static void
finish_stop(struct gw *gw)
{
    if (gw->stopped)
        return;
    gw_flush_marks(gw);
    gw_commit(gw);
    gw->stopped = true;
    gy_loop_break(gw->loop);
}

static bool
all_links_down(const struct gw *gw)
{
    for (size_t i = 0; i < gw->n_binds; i++)
        if (smpp_link_state(gw->binds[i].link) != SMPP_LINK_DISCONNECTED)
            return false;
    return true;
}

static void
on_state(struct smpp_link *link, enum smpp_link_state from, enum smpp_link_state to, void *arg)
{
    struct gw_bind *b = arg;
    struct gw *gw = b->gw;
    (void)link;
    if (to == SMPP_LINK_BOUND)
        outbox_sched_bind_up(gw->sched, b->sched_index, true);
    else if (from == SMPP_LINK_BOUND)
        outbox_sched_bind_up(gw->sched, b->sched_index, false);
    if (to == SMPP_LINK_BOUND || from == SMPP_LINK_BOUND)
        gw_pump_later(gw);
    if (gw->stopping && to == SMPP_LINK_DISCONNECTED && all_links_down(gw))
        finish_stop(gw);
}

static void
on_stop_timeout(struct gy_timer *t, void *arg)
{
    struct gw *gw = arg;
    (void)t;
    gy_warn("stop: links did not close in time; closing them now");
    finish_stop(gw);
}

void
gw_stop(struct gw *gw)
{
    if (gw->stopping)
        return;
    gw->stopping = true;
    gw_flush_marks(gw);
    gw_commit(gw); /* answers waiting for a commit leave before the unbinds */
    uint64_t longest = 0;
    for (size_t i = 0; i < gw->n_binds; i++) {
        const struct gy_smsc_bind *c = gw->binds[i].cfg;
        uint64_t drain = (uint64_t)c->drain_timeout * 1000;
        uint64_t total = drain + (uint64_t)c->response_timeout * 1000;
        if (total > longest)
            longest = total;
        smpp_link_stop(gw->binds[i].link, drain);
    }
    gy_timer_start(gw->stop_timer, longest + GW_STOP_SLACK_MS, false);
    if (all_links_down(gw))
        finish_stop(gw);
}

/* Loads menus.dir into the menu slot (start-up or SIGHUP) and logs the outcome; a set
 * with errors is refused and the current one stays. */
static void
reload_menus(struct gw *gw, const char *why)
{
    struct menu_set_report rep = {0};
    int rc = menu_set_slot_reload(gw->menus, &rep);
    const struct menu_set *cur = menu_set_slot_current(gw->menus);
    for (char *line = rep.text, *nl; line != NULL && *line != '\0'; line = nl) {
        nl = strchr(line, '\n');
        if (nl != NULL)
            *nl++ = '\0';
        gy_log(rc != 0 ? GY_LOG_ERROR : GY_LOG_WARN, "menus: %s", line);
    }
    if (rc == 0)
        gy_notice("%s: menus version %u loaded from %s in %.1f ms (%zu warnings)", why,
                  menu_set_version(cur), gw->cfg->menus_dir, menu_set_load_us(cur) / 1000.0,
                  rep.n_warnings);
    else if (cur != NULL)
        gy_error("%s: menus in %s refused (%s, %zu errors); version %u stays", why,
                 gw->cfg->menus_dir, gy_strerror(rc), rep.n_errors, menu_set_version(cur));
    else
        gy_error("%s: menus in %s refused (%s, %zu errors); no menus until a good reload "
                 "(SIGHUP)", why, gw->cfg->menus_dir, gy_strerror(rc), rep.n_errors);
    menu_set_report_fini(&rep);
}

static void
on_signal(struct gy_signal *sig, int signum, void *arg)
{
    struct gw *gw = arg;
    (void)sig;
    if (signum == SIGHUP) {
        reload_menus(gw, "SIGHUP");
        gw_channel_reload_keywords(gw);
        return;
    }
    gy_notice("%s: stopping (draining windows, then unbinding)",
              signum == SIGTERM ? "SIGTERM" : "SIGINT");
    gw_stop(gw);
}

static int
add_bind(struct gw *gw, size_t i)
{
    struct gw_bind *b = &gw->binds[i];
    const struct gy_smsc_bind *c = &gw->cfg->binds[i];
    b->gw = gw;
    b->cfg = c;
    static const enum smpp_id_base bases[] = {SMPP_ID_TEXT, SMPP_ID_DEC, SMPP_ID_HEX};
    b->report_base = bases[c->report_id_format];
    struct outbox_sched_bind sb = {
        .name = c->name,
        .dest_prefixes = (const char *const *)c->dest_prefixes,
        .n_dest_prefixes = c->n_dest_prefixes,
        .max_retries = c->max_retries,
        .throttle_pause_ms = c->throttle_pause,
        .resp_id_base = bases[c->submit_id_format],
        .source_addr = c->source_addr,
        .source_ton = (uint8_t)c->source_ton,
        .source_npi = (uint8_t)c->source_npi,
    };
    int idx = outbox_sched_add_bind(gw->sched, &sb);
    if (idx < 0)
        return idx;
    b->sched_index = idx;
    struct smpp_link_opts o;
    smpp_link_opts_from_bind(&o, c);
    struct smpp_link_cbs cbs = {
        .completion = gw_on_completion,
        .deliver = gw_on_deliver,
        .ready = gw_on_ready,
        .state = on_state,
    };
    b->link = smpp_link_new(gw->loop, &o, &cbs, b);
    b->wake = gy_timer_new(gw->loop, gw_on_wake, b);
    return b->link != NULL && b->wake != NULL ? 0 : GY_ENOMEM;
}

/* WAL checkpoints in a thread of their own, so that the loop seldom waits for their fsyncs
 * (db_checkpointer.h); without that thread the loop's commits checkpoint as before. Under
 * continuous writing the thread's passes never find the WAL wholly copied at the start of
 * a write, and only then does SQLite start the WAL again: so a commit of the loop still
 * checkpoints past GW_CHECKPOINT_BACKSTOP frames (about 40 MB), when the thread has copied
 * nearly all of it; that keeps the WAL, and the cost of finding a page in it, bounded. */
static void
start_checkpointer(struct gw *gw)
{
    char err[512];
    int rc = db_checkpointer_start(gw->cfg->database_path, GW_CHECKPOINT_MS, &gw->checkpointer,
                                   err, sizeof(err));
    if (rc != 0) {
        gy_warn("%s; checkpoints stay in the event loop", err);
        return;
    }
    db_set_autocheckpoint(gw->db, GW_CHECKPOINT_BACKSTOP);
}

/* The checkpoint thread's counters: a failed pass is logged, and from then on the loop's
 * commits checkpoint too, so that the WAL cannot grow without end. */
static void
watch_checkpoints(struct gy_timer *t, void *arg)
{
    struct gw *gw = arg;
    (void)t;
    struct db_checkpointer_stats cs;
    db_checkpointer_stats(gw->checkpointer, &cs);
    if (cs.errors == gw->checkpoint_errors)
        return;
    char why[160];
    db_checkpointer_error(gw->checkpointer, why, sizeof(why));
    if (gw->checkpoint_errors == 0)
        gy_error("database: checkpoint thread failed (%s); commits checkpoint again", why);
    gw->checkpoint_errors = cs.errors;
    db_set_autocheckpoint(gw->db, 1000);
}

static int
open_db(struct gw *gw)
{
    const char *path = gw->cfg->database_path;
    char err[512];
    if (db_open(path, DB_OPEN_CREATE, &gw->db, err, sizeof(err)) != 0) {
        gy_error("%s", err);
        return GY_EDB;
    }
    int from = 0, to = 0;
    int rc = db_migrate(gw->db, &from, &to);
    db_set_busy_timeout(gw->db, GW_BUSY_MS); /* after migrating, which may wait longer */
    if (rc != 0) {
        gy_error("database %s: migration failed: %s (%s)", path, gy_strerror(rc),
                 db_errmsg(gw->db));
        return rc;
    }
    if (from != to)
        gy_info("database %s migrated from schema %d to %d", path, from, to);
    size_t resumed = 0;
    if (outbox_store_resume(gw->db, gw_now_ms(), &resumed) != 0) {
        gy_error("database %s: cannot resume the outbox: %s", path, db_errmsg(gw->db));
        return GY_EDB;
    }
    if (resumed > 0)
        gy_notice("outbox: %zu segment%s left in flight by the last run queued again", resumed,
                  resumed == 1 ? "" : "s");
    start_checkpointer(gw);
    return 0;
}

int
gw_new(const struct gy_config *cfg, struct gw **out)
{
    *out = NULL;
    if (cfg->n_binds == 0) {
        gy_error("no SMSC bind configured (smsc = ( ... ) or --smsc HOST:PORT)");
        return GY_ECONFIG;
    }
    struct gw *gw = calloc(1, sizeof(*gw));
    if (gw == NULL)
        return GY_ENOMEM;
    gw->cfg = cfg;
    gw->data_version = -1;
    int rc = GY_ENOMEM;
    if ((gw->loop = gy_loop_new()) == NULL || (gw->sched = outbox_sched_new(NULL)) == NULL ||
        (gw->binds = calloc(cfg->n_binds, sizeof(*gw->binds))) == NULL)
        goto fail;
    if ((rc = open_db(gw)) != 0)
        goto fail;
    rc = GY_ENOMEM;
    if ((gw->menu_reg = menu_action_registry_builtin()) == NULL ||
        (gw->menus = menu_set_slot_new(cfg->menus_dir, gw->menu_reg, 0)) == NULL)
        goto fail;
    reload_menus(gw, "start-up");
    rc = GY_ENOMEM;
    for (size_t i = 0; i < cfg->n_binds; i++) {
        gw->n_binds = i + 1;
        if ((rc = add_bind(gw, i)) != 0) {
            gy_error("[%s] cannot set up the bind: %s", cfg->binds[i].name, gy_strerror(rc));
            goto fail;
        }
    }
    if ((rc = gw_channel_new(gw)) != 0) {
        gy_error("dialogs: cannot start: %s", gy_strerror(rc));
        goto fail;
    }
    rc = GY_ENOMEM;
    gw->poll_timer = gy_timer_new(gw->loop, gw_on_poll, gw);
    gw->expire_timer = gy_timer_new(gw->loop, gw_on_expire, gw);
    gw->stop_timer = gy_timer_new(gw->loop, on_stop_timeout, gw);
    if (gw->checkpointer != NULL &&
        (gw->checkpoint_watch = gy_timer_new(gw->loop, watch_checkpoints, gw)) == NULL)
        goto fail;
    gw->sig_term = gy_signal_new(gw->loop, SIGTERM, on_signal, gw);
    gw->sig_int = gy_signal_new(gw->loop, SIGINT, on_signal, gw);
    gw->sig_hup = gy_signal_new(gw->loop, SIGHUP, on_signal, gw);
    if (!gw->poll_timer || !gw->expire_timer || !gw->stop_timer || !gw->sig_term ||
        !gw->sig_int || !gw->sig_hup)
        goto fail;
    *out = gw;
    return 0;
fail:
    gw_free(gw);
    return rc;
}

int
gw_run(struct gw *gw)
{
    for (size_t i = 0; i < gw->n_binds; i++) {
        const struct gy_smsc_bind *c = gw->binds[i].cfg;
        gy_info("[%s] starting: %s:%d as %s (%s, window %d, %d/s)", c->name, c->host, c->port,
                c->system_id, gy_bind_mode_name(c->mode), c->window, c->throughput);
        smpp_link_start(gw->binds[i].link);
    }
    gy_timer_start(gw->poll_timer, GW_POLL_MS, true);
    gy_timer_start(gw->expire_timer, GW_EXPIRE_MS, true);
    if (gw->checkpoint_watch != NULL)
        gy_timer_start(gw->checkpoint_watch, GW_CHECKPOINT_WATCH_MS, true);
    gw_pump_later(gw);
    gw_channel_kick(gw); /* messages taken by the last run and not yet answered */
    int rc = gy_loop_run(gw->loop);
    if (rc != 0)
        gy_error("event loop failed: %s", gy_strerror(rc));
    if (!gw->stopped) {
        gw_flush_marks(gw);
        gw_commit(gw);
    }
    struct gw_stats s;
    struct gw_channel_stats cs;
    gw_stats(gw, &s);
    gw_channel_stats(gw, &cs);
    gy_info("stopped: %llu messages in, %llu reports matched, %llu state changes in %llu "
            "commits; %llu USSD steps, %llu SMS steps, %llu replies",
            (unsigned long long)s.mo_stored, (unsigned long long)s.dlr_matched,
            (unsigned long long)s.marks_committed, (unsigned long long)s.commits,
            (unsigned long long)cs.ussd_steps, (unsigned long long)cs.sms_steps,
            (unsigned long long)(cs.replies_ussd + cs.replies_sms));
    if (gw->checkpointer != NULL) {
        struct db_checkpointer_stats k;
        db_checkpointer_stats(gw->checkpointer, &k);
        gy_info("checkpoint thread: %llu checkpoints, the longest %.1f ms, %llu failed",
                (unsigned long long)k.passes, (double)k.max_us / 1000.0,
                (unsigned long long)k.errors);
    }
    return rc;
}

void
gw_stats(const struct gw *gw, struct gw_stats *out)
{
    *out = gw->stats;
}

void
gw_free(struct gw *gw)
{
    if (gw == NULL)
        return;
    if (gw->txn_open) {
        db_rollback(gw->db); /* an aborted run: nothing of this group was acknowledged */
        gw->txn_open = false;
    }
    gw->n_answers = 0;
    gw->stopped = true;
    for (size_t i = 0; i < gw->n_binds; i++) {
        smpp_link_free(gw->binds[i].link);
        gy_timer_free(gw->binds[i].wake);
    }
    gw_channel_free(gw); /* ends the dialogs; unanswered rows stay new in the inbox */
    gy_timer_free(gw->poll_timer);
    gy_timer_free(gw->expire_timer);
    gy_timer_free(gw->stop_timer);
    gy_timer_free(gw->checkpoint_watch);
    gy_signal_free(gw->sig_term);
    gy_signal_free(gw->sig_int);
    gy_signal_free(gw->sig_hup);
    /* Completions of links freed above went to the scheduler: commit nothing more; the
     * store keeps those segments queued or submitted as they were. */
    outbox_sched_free(gw->sched);
    gy_loop_free(gw->loop);
    menu_set_slot_free(gw->menus); /* sessions holding a set keep it until they end */
    menu_action_registry_free(gw->menu_reg);
    db_checkpointer_stop(gw->checkpointer); /* before the last connection closes */
    db_close(gw->db);
    free(gw->binds);
    free(gw->fetch_buf);
    free(gw->mark_buf);
    free(gw->answers);
    free(gw);
}
