/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gw_channel: the dialog side of the gateway. Reads the messages the inbox holds (stored
 * before they were acknowledged), applies the per-number rate limit, hands each to the USSD
 * (gw_ussd.c) or SMS (gw_sms.c) side, and owns what they share: the sessions (menu state
 * kept packed), system texts, keyword aliases and the channel's life cycle. A reply goes
 * into the outbox in the same grouped transaction that marks its inbox row processed: a
 * message is answered at most once and, across a crash, at least once. */
#include "gateway/gw_channel_int.h"
#include "base/gy_err.h"
#include "base/gy_log.h"
#include "db/inbox_store.h"
#include "db/svc_worker.h"
#include "gateway/outbox_compose.h"
#include "gateway/rate_limit.h"
#include "gateway/smpp_codec.h"
#include "gateway/session_table.h"
#include "gateway/ussd_session.h"
#include "locale/catalog.h"
#include "locale/gsm7.h"
#include "locale/keyword.h"
#include "locale/reassembly.h"
#include "locale/text_decode.h"
#include "locale/text_encode.h"
#include "menus/menu_run.h"
#include "menus/menu_set.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------------------------- */

struct gw_bind *
chan_bind_by_name(struct gw *gw, const char *name, unsigned *index)
{
    for (size_t i = 0; i < gw->n_binds; i++) {
        if (strcmp(gw->binds[i].cfg->name, name) == 0) {
            *index = (unsigned)i;
            return &gw->binds[i];
        }
    }
    return NULL;
}

/* A worker's phone, not a short code or a service number: digits only, 10 to 20 of them,
 * not alphanumeric, and not a Chinese service number (86 + 10x, 95xxx, 96xxx). */
bool
chan_is_worker_number(const char *a, uint8_t ton)
{
    size_t n = strlen(a);
    if (ton == 5 || n < 10 || n > 20)
        return false;
    for (size_t i = 0; i < n; i++)
        if (a[i] < '0' || a[i] > '9')
            return false;
    return !(strncmp(a, "8610", 4) == 0 || strncmp(a, "8695", 4) == 0 ||
             strncmp(a, "8696", 4) == 0);
}

const char *
chan_worker_lang(struct gw *gw, const char *msisdn, char *buf, size_t len)
{
    if (svc_worker_language(gw->db, msisdn, buf, len) != 0 || buf[0] == '\0')
        return NULL;
    return buf;
}

/* A system text of the catalog in lang with ${keyword}, ${limit}, ${ussd} filled; a new
 * string (free()), or NULL. */
char *
chan_system_text(struct gw_channel *ch, const char *lang, const char *key, const char *keyword)
{
    const char *tmpl = catalog_get(ch->catalog, lang ? lang : "zh", key);
    if (tmpl == NULL)
        return NULL;
    char limit[16];
    snprintf(limit, sizeof(limit), "%d", ch->gw->cfg->incoming_per_minute);
    const char *const vars[][2] = {
        {"keyword", keyword ? keyword : ""},
        {"limit", limit},
        {"ussd", ch->gw->cfg->ussd_entry_code},
    };
    return catalog_expand(tmpl, vars, 3, NULL);
}

void
chan_reply_base(const struct gw_bind *b, const char *msisdn, struct outbox_msg_in *m)
{
    memset(m, 0, sizeof(*m));
    m->priority = OUTBOX_PRIO_REPLY;
    m->sender = OUTBOX_SENDER_DIALOG;
    m->msisdn = msisdn;
    m->source_addr = b->cfg->source_addr;
    m->source_ton = (uint8_t)b->cfg->source_ton;
    m->source_npi = (uint8_t)b->cfg->source_npi;
    m->dest_ton = 1;
    m->dest_npi = 1;
    m->origin_bind = b->cfg->name;
}

void
chan_mark_processed(struct gw *gw, int64_t inbox_id)
{
    if (gw_txn(gw) != 0 || inbox_store_mark_processed(gw->db, inbox_id, gw_now_ms()) != 0) {
        gw->txn_failed = true;
        gy_error("inbox %lld: cannot mark processed: %s", (long long)inbox_id, db_errmsg(gw->db));
    }
}

/* ---- sessions --------------------------------------------------------------------------- */

/* A session keeps its menu state packed: everything up to the used part of the text arena
 * (the engine never reads the arena past arena_used), about 0.8 KB instead of 1.8 KB, so
 * that 100,000 open USSD sessions fit well under 200 MB. */
size_t
chan_packed_len(const struct menu_session *ms)
{
    return offsetof(struct menu_session, state) + offsetof(struct menu_state, arena) +
           ms->state.arena_used;
}

/* Unpacks the session's menu state into *ms (zeroed first). False when it has none. */
bool
chan_session_load(const struct session *s, struct menu_session *ms)
{
    memset(ms, 0, sizeof(*ms));
    size_t len = 0;
    const void *p = session_payload(s, &len);
    if (p == NULL || len < offsetof(struct menu_session, state) ||
        len > chan_packed_len((const struct menu_session *)p) || len > sizeof(*ms))
        return false;
    memcpy(ms, p, len);
    return true;
}

/* Packs *ms into the session (which takes over its set reference). Returns 0 or GY_ENOMEM
 * (the caller then ends ms and closes the session). */
int
chan_session_save(struct gw_channel *ch, struct session *s, const struct menu_session *ms)
{
    return session_payload_set(ch->sessions, s, ms, chan_packed_len(ms));
}

/* Ends a step's state that is not kept, and closes the session without touching its
 * payload (whose set reference ms already held or dropped). */
void
chan_drop_session(struct gw_channel *ch, struct session *s, struct menu_session *ms)
{
    menu_session_end(ms);
    if (s != NULL)
        session_close(ch->sessions, s);
}

void
chan_on_session_end(void *arg, struct session *s, enum session_end why)
{
    struct gw_channel *ch = arg;
    struct menu_session ms;
    if (chan_session_load(s, &ms))
        menu_session_end(&ms);
    if (why != SESSION_END_REPLACED)
        ch->st.sessions_expired++;
    char k[96];
    gy_debug("session %s ended (%s)", session_key_describe(&s->key, k, sizeof(k)),
             session_end_name(why));
}

/* Closes a session the gateway ends itself (final screen, abort, error): session_close()
 * does not call on_end, so the menu session's set reference is dropped here. */
void
chan_end_session(struct gw_channel *ch, struct session *s)
{
    struct menu_session ms;
    if (chan_session_load(s, &ms))
        menu_session_end(&ms);
    session_close(ch->sessions, s);
}

void
chan_env_for(struct gw *gw, const struct gw_bind *b, const char *msisdn, struct menu_run_env *env)
{
    memset(env, 0, sizeof(*env));
    env->db = gw->db;
    gy_date_today(&env->today);
    env->msisdn = msisdn;
    env->ussd_octets = b->cfg->ussd.max_octets;
    env->ussd_gsm_unpacked = !chan_ussd_gsm_packed(b); /* GSM pages of max_octets septets then */
}

/* ---- the inbox -------------------------------------------------------------------------- */

static void
handle_row(struct gw_channel *ch, const struct inbox_msg *r)
{
    struct gw *gw = ch->gw;
    unsigned bi = 0;
    char masked[GY_MASK_BUFLEN];
    gy_mask_msisdn(r->source_addr, masked);
    struct gw_bind *b = chan_bind_by_name(gw, r->bind, &bi);
    if (b == NULL) {
        gy_warn("inbox %lld from %s came on bind '%s', which is no longer configured: dropped",
                (long long)r->id, masked, r->bind);
        chan_mark_processed(gw, r->id);
        return;
    }
    bool ussd = r->has_ussd_op && b->cfg->ussd.enabled;
    if (!ussd && !chan_is_worker_number(r->source_addr, r->source_ton)) {
        gy_info("[%s] message from %s (not a worker's number) starts no dialog", b->cfg->name,
                masked);
        ch->st.not_worker++;
        chan_mark_processed(gw, r->id);
        return;
    }
    enum rate_verdict v = RATE_PASS;
    rate_limit_check(ch->rate, r->source_addr, gy_loop_now_ms(gw->loop), &v);
    if (v != RATE_PASS) {
        ch->st.rate_limited++;
        if (v == RATE_ANSWER_ONCE) {
            gy_notice("[%s] %s sends too fast (over %d a minute): answered once, then silent",
                      b->cfg->name, masked, gw->cfg->incoming_per_minute);
            char lbuf[8];
            char *t = chan_system_text(ch, chan_worker_lang(gw, r->source_addr, lbuf, sizeof(lbuf)),
                                       "rate_limited", NULL);
            if (t != NULL && !ussd)
                chan_reply_sms(ch, b, r->source_addr, t);
            else if (t != NULL)
                chan_ussd_notice(ch, b, bi, r, t);
            free(t);
        }
        chan_mark_processed(gw, r->id);
        return;
    }
    if (ussd) {
        chan_handle_ussd(ch, b, bi, r);
        chan_mark_processed(gw, r->id);
    } else if (chan_handle_sms(ch, b, bi, r)) {
        chan_mark_processed(gw, r->id);
    }
}

static void
process_inbox(void *arg)
{
    struct gw *gw = arg;
    struct gw_channel *ch = gw->channel;
    if (ch == NULL || gw->stopped || gw->stopping)
        return;
    size_t n = 0;
    if (inbox_store_fetch_new(gw->db, ch->cursor, ch->rows, INBOX_BATCH, &n) != 0) {
        gy_error("inbox: cannot read new messages: %s", db_errmsg(gw->db));
        return;
    }
    for (size_t i = 0; i < n; i++) {
        handle_row(ch, &ch->rows[i]);
        ch->cursor = ch->rows[i].id;
    }
    if (n == INBOX_BATCH)
        gw_channel_kick(gw);
}

void
gw_channel_kick(struct gw *gw)
{
    if (gw->channel != NULL)
        gy_loop_defer(gw->loop, &gw->channel_defer, process_inbox, gw);
}

static void
on_tick(struct gy_timer *t, void *arg)
{
    struct gw_channel *ch = arg;
    (void)t;
    uint64_t now = gy_loop_now_ms(ch->gw->loop);
    session_table_expire(ch->sessions, now);
    if (reasm_expire(ch->reasm, now) > 0)
        gw_pump_later(ch->gw);
}

/* ---- life cycle ------------------------------------------------------------------------- */

static int
load_keywords(struct kw_table *table, const struct gy_config *cfg)
{
    if (kw_table_add_defaults(table) != 0)
        return GY_ENOMEM;
    for (size_t i = 0; i < cfg->n_keywords; i++) {
        const struct gy_keyword *k = &cfg->keywords[i];
        for (size_t j = 0; j < k->n_aliases; j++) {
            int rc = kw_table_add(table, k->aliases[j], k->keyword);
            if (rc != 0)
                gy_warn("keyword alias '%s' of %s not usable: %s", k->aliases[j], k->keyword,
                        gy_strerror(rc));
        }
    }
    return 0;
}

static int
load_catalog(struct gw_channel *ch)
{
    static const char *const dirs[] = {"locale/catalogs", GONGYOU_SOURCE_DIR "/locale/catalogs"};
    struct catalog_error err;
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        memset(&err, 0, sizeof(err));
        if (catalog_load_dir(ch->catalog, dirs[i], &err) == 0)
            return 0;
    }
    gy_error("system texts: cannot load locale/catalogs (%s:%d: %s)", err.file, err.line, err.msg);
    return GY_EIO;
}

int
gw_channel_new(struct gw *gw)
{
    struct gw_channel *ch = calloc(1, sizeof(*ch));
    if (ch == NULL)
        return GY_ENOMEM;
    ch->gw = gw;
    ch->concat_ref = (uint16_t)gw_now_ms(); /* unlike the last run's references */
    struct session_limits lim;
    session_limits_from_config(&lim, gw->cfg);
    struct reasm_cfg rc = {.timeout = REASM_TIMEOUT_MS, .on_drop = chan_on_reasm_drop, .arg = ch};
    ch->codec = text_codec_new();
    ch->reasm = reasm_new(&rc);
    ch->sessions = session_table_new(&lim, chan_on_session_end, ch);
    ch->rate = rate_limit_from_config(gw->cfg, 0);
    ch->keywords = kw_table_new();
    ch->catalog = catalog_new();
    ch->tick = gy_timer_new(gw->loop, on_tick, ch);
    ch->rows = calloc(INBOX_BATCH, sizeof(*ch->rows));
    gw->channel = ch;
    if (!ch->codec || !ch->reasm || !ch->sessions || !ch->rate || !ch->keywords || !ch->catalog ||
        !ch->tick || !ch->rows)
        return GY_ENOMEM;
    int err = load_keywords(ch->keywords, gw->cfg);
    if (err == 0)
        err = load_catalog(ch);
    if (err != 0)
        return err;
    gy_timer_start(ch->tick, CHANNEL_TICK_MS, true);
    return 0;
}

void
gw_channel_reload_keywords(struct gw *gw)
{
    const char *path = gw->cfg->origin.file;
    if (gw->channel == NULL || path == NULL)
        return;
    struct gy_config fresh;
    char err[1024];
    int rc = gy_config_load(path, &fresh, err, sizeof(err));
    struct kw_table *t = rc == 0 ? kw_table_new() : NULL;
    if (rc != 0 || t == NULL || load_keywords(t, &fresh) != 0) {
        gy_error("SIGHUP: keyword aliases not reloaded: %s", rc != 0 ? err : "out of memory");
        kw_table_free(t);
    } else {
        kw_table_free(gw->channel->keywords);
        gw->channel->keywords = t;
        gy_notice("SIGHUP: %zu keyword aliases loaded from %s", kw_table_count(t), path);
    }
    gy_config_fini(&fresh);
}

void
gw_channel_stats(const struct gw *gw, struct gw_channel_stats *out)
{
    memset(out, 0, sizeof(*out));
    if (gw->channel == NULL)
        return;
    *out = gw->channel->st;
    out->sessions_open = session_table_size(gw->channel->sessions);
}

void
gw_channel_free(struct gw *gw)
{
    struct gw_channel *ch = gw->channel;
    if (ch == NULL)
        return;
    gy_timer_free(ch->tick);
    session_table_expire(ch->sessions, UINT64_MAX); /* on_end for each: set references go */
    session_table_free(ch->sessions);
    reasm_free(ch->reasm); /* parts not answered stay unprocessed in the inbox */
    rate_limit_free(ch->rate);
    kw_table_free(ch->keywords);
    catalog_free(ch->catalog);
    text_codec_free(ch->codec);
    free(ch->rows);
    free(ch->pending);
    free(ch);
    gw->channel = NULL;
}
