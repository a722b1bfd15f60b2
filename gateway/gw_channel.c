/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gw_channel: the dialog side of the gateway. Reads the messages the inbox holds (stored
 * before they were acknowledged), applies the per-number rate limit, and turns each into a
 * dialog step: USSD by session (start, answer, abort) or SMS (reassembled, decoded, keyword
 * or digit in an open SMS session). The reply goes into the outbox with the reply priority,
 * on the bind the question came in on, in the same grouped transaction that marks the
 * inbox row processed: a message is answered at most once and, across a crash, at least
 * once. The menu engine and the actions run through menus/menu_run. */
#include "gateway/gw_int.h"
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

#define INBOX_BATCH      64
#define CHANNEL_TICK_MS  1000   /* session and reassembly expiry */
#define REASM_TIMEOUT_MS 120000 /* a long SMS waits at most this long for its other parts */
#define SMS_KEY_BIND     0      /* SMS dialogs follow a worker across binds */

/* A concatenated SMS part kept in the reassembler: its inbox row stays unprocessed until
 * the whole message is answered, so that a crash re-reads it. */
struct pending_part {
    int64_t inbox_id;
    uint32_t bind;
    char source[INBOX_ADDR_SIZE];
};

struct gw_channel {
    struct gw *gw;
    struct text_codec *codec;
    struct reasm *reasm;
    struct session_table *sessions;
    struct rate_limit *rate;
    struct kw_table *keywords;
    struct catalog *catalog;
    struct gy_timer *tick;
    int64_t cursor; /* highest inbox id read */
    struct inbox_msg *rows;
    struct pending_part *pending;
    size_t n_pending, cap_pending;
    struct gw_channel_stats st;
};

/* ---- helpers ---------------------------------------------------------------------------- */

static struct gw_bind *
bind_by_name(struct gw *gw, const char *name, unsigned *index)
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
static bool
is_worker_number(const char *a, uint8_t ton)
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

static const char *
worker_lang(struct gw *gw, const char *msisdn, char *buf, size_t len)
{
    if (svc_worker_language(gw->db, msisdn, buf, len) != 0 || buf[0] == '\0')
        return NULL;
    return buf;
}

/* A system text of the catalog in lang with ${keyword}, ${limit}, ${ussd} filled; a new
 * string (free()), or NULL. */
static char *
system_text(struct gw_channel *ch, const char *lang, const char *key, const char *keyword)
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

static void
mark_processed(struct gw *gw, int64_t inbox_id)
{
    if (gw_txn(gw) != 0 || inbox_store_mark_processed(gw->db, inbox_id, gw_now_ms()) != 0) {
        gw->txn_failed = true;
        gy_error("inbox %lld: cannot mark processed: %s", (long long)inbox_id,
                 db_errmsg(gw->db));
    }
}

/* ---- replies ---------------------------------------------------------------------------- */

static void
reply_sms(struct gw_channel *ch, struct gw_bind *b, const char *msisdn, const char *text)
{
    struct gw *gw = ch->gw;
    struct text_split_opts opts;
    outbox_compose_split_opts(&b->cfg->coding, TEXT_OVERFLOW_TRUNCATE, &opts);
    struct outbox_msg_in m = {
        .priority = OUTBOX_PRIO_REPLY,
        .sender = OUTBOX_SENDER_DIALOG,
        .msisdn = msisdn,
        .source_addr = b->cfg->source_addr,
        .source_ton = (uint8_t)b->cfg->source_ton,
        .source_npi = (uint8_t)b->cfg->source_npi,
        .dest_ton = 1,
        .dest_npi = 1,
        .origin_bind = b->cfg->name,
        .registered_delivery = 1,
    };
    char masked[GY_MASK_BUFLEN];
    if (gw_txn(gw) != 0)
        return;
    int rc = outbox_compose_enqueue(gw->db, ch->codec, text, &opts, &m, gw_now_ms(), NULL, NULL,
                                    NULL);
    if (rc != 0) {
        gy_error("[%s] reply to %s not queued: %s", b->cfg->name, gy_mask_msisdn(msisdn, masked),
                 gy_strerror(rc));
        if (rc == GY_EDB || rc == GY_EBUSY)
            gw->txn_failed = true;
        return;
    }
    ch->st.replies_sms++;
    outbox_sched_poke(gw->sched, OUTBOX_PRIO_REPLY);
    gw_pump_later(gw);
}

/* Whether the bind sends USSD GSM 7-bit packed (the cell-broadcast DCS, or a packing bind). */
static bool
ussd_gsm_packed(const struct gw_bind *b)
{
    return ussd_reply_data_coding(&b->cfg->ussd, false) == 0x0F ||
           b->cfg->coding.data_coding_0 == GY_DC0_GSM7_PACKED;
}

/* Encodes a USSD page for the bind: UCS-2 when a character needs it, else GSM 7-bit packed
 * when the bind's USSD coding is the cell-broadcast DCS or the bind packs GSM, else one
 * septet per octet. Returns 0 with bytes in *enc (text_encoded_fini) or an error. */
static int
encode_ussd(struct gw_channel *ch, struct gw_bind *b, const char *text, uint8_t *out, size_t *n,
            bool *ucs2)
{
    struct text_encoded e;
    int rc = text_encode(ch->codec, text, strlen(text),
                         TEXT_ALLOW_GSM7 | TEXT_ALLOW_UCS2 | TEXT_ALLOW_UTF16, &e, NULL);
    if (rc != 0)
        return rc;
    size_t max = (size_t)b->cfg->ussd.max_octets;
    *ucs2 = e.coding != TEXT_CODING_GSM7;
    bool packed = !*ucs2 && ussd_gsm_packed(b);
    /* Whole characters that fit (the paginator keeps pages in budget; this only guards). */
    size_t cap = packed ? max * 8 / 7 : max, len = 0;
    while (len < e.len) {
        size_t cl = text_encoded_char_len(e.coding, e.bytes, e.len, len);
        if (len + cl > cap)
            break;
        len += cl;
    }
    if (len < e.len)
        gy_warn("[%s] USSD page longer than %zu octets: cut", b->cfg->name, max);
    if (packed) {
        int w = gsm7_pack(e.bytes, len, 0, out, max);
        *n = w > 0 ? (size_t)w : 0;
    } else {
        memcpy(out, e.bytes, len);
        *n = len;
    }
    text_encoded_fini(&e);
    return 0;
}

static void
reply_ussd(struct gw_channel *ch, struct gw_bind *b, const struct session_key *key,
           const struct session_echo *echo, const char *text, bool final)
{
    struct gw *gw = ch->gw;
    uint8_t body[OUTBOX_BODY_MAX];
    size_t n = 0;
    bool ucs2 = false;
    struct smpp_sm sm;
    char masked[GY_MASK_BUFLEN];
    int rc = encode_ussd(ch, b, text, body, &n, &ucs2);
    if (rc == 0)
        rc = ussd_reply_fill(&b->cfg->ussd, key, echo, final, ucs2, body, n, &sm);
    if (rc != 0) {
        gy_error("[%s] USSD reply to %s not built: %s", b->cfg->name,
                 gy_mask_msisdn(key->msisdn, masked), gy_strerror(rc));
        return;
    }
    struct outbox_part_in part = {
        .esm_class = sm.esm_class,
        .data_coding = sm.data_coding,
        .body = sm.short_message,
        .body_len = sm.sm_length,
    };
    struct outbox_msg_in m = {
        .priority = OUTBOX_PRIO_REPLY,
        .sender = OUTBOX_SENDER_DIALOG,
        .msisdn = key->msisdn,
        .source_addr = b->cfg->source_addr,
        .source_ton = (uint8_t)b->cfg->source_ton,
        .source_npi = (uint8_t)b->cfg->source_npi,
        .dest_ton = 1,
        .dest_npi = 1,
        .service_type = sm.service_type,
        .origin_bind = b->cfg->name,
        .valid_until_ms = gw_now_ms() + (int64_t)gw->cfg->ussd_idle_timeout * 1000,
        .registered_delivery = 0,
        .has_ussd_op = true,
        .ussd_op = sm.tlv.ussd_service_op,
        .has_its_session = (sm.tlv.present & SMPP_TLV_ITS_SESSION_INFO) != 0,
        .its_session = sm.tlv.its_session_info,
        .has_user_msg_ref = (sm.tlv.present & SMPP_TLV_USER_MESSAGE_REFERENCE) != 0,
        .user_msg_ref = sm.tlv.user_message_reference,
        .parts = &part,
        .n_parts = 1,
    };
    if (gw_txn(gw) != 0)
        return;
    rc = outbox_store_enqueue(gw->db, &m, gw_now_ms(), NULL);
    if (rc != 0) {
        gy_error("[%s] USSD reply to %s not queued: %s", b->cfg->name,
                 gy_mask_msisdn(key->msisdn, masked), gy_strerror(rc));
        gw->txn_failed = true;
        return;
    }
    ch->st.replies_ussd++;
    outbox_sched_poke(gw->sched, OUTBOX_PRIO_REPLY);
    gw_pump_later(gw);
}

/* ---- sessions --------------------------------------------------------------------------- */

/* A session keeps its menu state packed: everything up to the used part of the text arena
 * (the engine never reads the arena past arena_used), about 0.8 KB instead of 1.8 KB, so
 * that 100,000 open USSD sessions fit well under 200 MB. */
static size_t
packed_len(const struct menu_session *ms)
{
    return offsetof(struct menu_session, state) + offsetof(struct menu_state, arena) +
           ms->state.arena_used;
}

/* Unpacks the session's menu state into *ms (zeroed first). False when it has none. */
static bool
session_load(const struct session *s, struct menu_session *ms)
{
    memset(ms, 0, sizeof(*ms));
    size_t len = 0;
    const void *p = session_payload(s, &len);
    if (p == NULL || len < offsetof(struct menu_session, state) ||
        len > packed_len((const struct menu_session *)p) || len > sizeof(*ms))
        return false;
    memcpy(ms, p, len);
    return true;
}

/* Packs *ms into the session (which takes over its set reference). Returns 0 or GY_ENOMEM
 * (the caller then ends ms and closes the session). */
static int
session_save(struct gw_channel *ch, struct session *s, const struct menu_session *ms)
{
    return session_payload_set(ch->sessions, s, ms, packed_len(ms));
}

/* Ends a step's state that is not kept, and closes the session without touching its
 * payload (whose set reference ms already held or dropped). */
static void
drop_session(struct gw_channel *ch, struct session *s, struct menu_session *ms)
{
    menu_session_end(ms);
    if (s != NULL)
        session_close(ch->sessions, s);
}

static void
on_session_end(void *arg, struct session *s, enum session_end why)
{
    struct gw_channel *ch = arg;
    struct menu_session ms;
    if (session_load(s, &ms))
        menu_session_end(&ms);
    if (why != SESSION_END_REPLACED)
        ch->st.sessions_expired++;
    char k[96];
    gy_debug("session %s ended (%s)", session_key_describe(&s->key, k, sizeof(k)),
             session_end_name(why));
}

/* Closes a session the gateway ends itself (final screen, abort, error): session_close()
 * does not call on_end, so the menu session's set reference is dropped here. */
static void
end_session(struct gw_channel *ch, struct session *s)
{
    struct menu_session ms;
    if (session_load(s, &ms))
        menu_session_end(&ms);
    session_close(ch->sessions, s);
}

static void
env_for(struct gw *gw, const struct gw_bind *b, const char *msisdn, struct menu_run_env *env)
{
    memset(env, 0, sizeof(*env));
    env->db = gw->db;
    gy_date_today(&env->today);
    env->msisdn = msisdn;
    env->ussd_octets = b->cfg->ussd.max_octets;
    env->ussd_gsm_unpacked = !ussd_gsm_packed(b); /* GSM pages of max_octets septets then */
}

/* ---- USSD ------------------------------------------------------------------------------- */

/* A plain deliver_sm rebuilt from an inbox row, for the USSD classifier. */
static void
sm_from_row(const struct inbox_msg *r, struct smpp_sm *sm)
{
    memset(sm, 0, sizeof(*sm));
    snprintf(sm->service_type, sizeof(sm->service_type), "%s", r->service_type);
    snprintf(sm->source_addr, sizeof(sm->source_addr), "%s", r->source_addr);
    sm->source_addr_ton = r->source_ton;
    sm->source_addr_npi = r->source_npi;
    snprintf(sm->destination_addr, sizeof(sm->destination_addr), "%s", r->dest_addr);
    sm->esm_class = r->esm_class;
    sm->data_coding = r->data_coding;
    smpp_sm_set_message(sm, r->body, r->body_len);
    if (r->has_ussd_op) {
        sm->tlv.present |= SMPP_TLV_USSD_SERVICE_OP;
        sm->tlv.ussd_service_op = r->ussd_op;
    }
    if (r->has_its_session) {
        sm->tlv.present |= SMPP_TLV_ITS_SESSION_INFO;
        sm->tlv.its_session_info = r->its_session;
    }
    if (r->has_user_msg_ref) {
        sm->tlv.present |= SMPP_TLV_USER_MESSAGE_REFERENCE;
        sm->tlv.user_message_reference = r->user_msg_ref;
    }
}

static void
ussd_final_text(struct gw_channel *ch, struct gw_bind *b, const struct ussd_in *in,
                const char *lang, const char *key)
{
    char *t = system_text(ch, lang, key, in->code);
    reply_ussd(ch, b, &in->key, &in->echo, t ? t : "-", true);
    free(t);
}

static void
handle_ussd(struct gw_channel *ch, struct gw_bind *b, unsigned bi, const struct inbox_msg *r)
{
    struct gw *gw = ch->gw;
    struct smpp_sm sm;
    sm_from_row(r, &sm);
    struct ussd_in in;
    char desc[200];
    if (ussd_classify(&sm, &b->cfg->ussd, bi, &in) != 0) {
        gy_warn("[%s] USSD PDU without a usable number ignored", b->cfg->name);
        return;
    }
    gy_debug("[%s] ussd %s", b->cfg->name, ussd_in_describe(&in, desc, sizeof(desc)));
    uint64_t now = gy_loop_now_ms(gw->loop);
    char lbuf[8];
    const char *lang = worker_lang(gw, in.key.msisdn, lbuf, sizeof(lbuf));
    struct menu_run_env env;
    env_for(gw, b, in.key.msisdn, &env);
    struct menu_run_reply reply;
    struct session *s = NULL;
    switch (in.kind) {
    case USSD_START: {
        int rc = session_open(ch->sessions, &in.key, now, &s);
        if (rc == GY_EBUSY) {
            ch->st.sessions_refused++;
            ussd_final_text(ch, b, &in, lang, "error.unavailable");
            return;
        }
        struct menu_set *set = rc == 0 ? menu_set_slot_acquire(gw->menus) : NULL;
        if (set == NULL) {
            if (s != NULL)
                session_close(ch->sessions, s);
            ussd_final_text(ch, b, &in, lang, "error.unavailable");
            return;
        }
        struct menu_session ms;
        memset(&ms, 0, sizeof(ms));
        s->echo = in.echo;
        rc = menu_run_start(&ms, set, MENU_CH_USSD,
                            in.code[0] ? in.code : gw->cfg->ussd_entry_code, lang, &env, &reply);
        menu_set_unref(set);
        if (rc != 0) {
            drop_session(ch, s, &ms);
            ussd_final_text(ch, b, &in, lang, "error.unavailable");
            return;
        }
        ch->st.ussd_steps++;
        reply_ussd(ch, b, &in.key, &s->echo, reply.text, reply.final);
        if (reply.final || session_save(ch, s, &ms) != 0)
            drop_session(ch, s, &ms); /* a final reply has ended ms already */
        return;
    }
    case USSD_CONTINUE: {
        s = session_find(ch->sessions, &in.key, now);
        struct menu_session ms;
        if (s == NULL || !session_load(s, &ms) || !menu_session_active(&ms)) {
            if (s != NULL)
                end_session(ch, s);
            ussd_final_text(ch, b, &in, lang, "session.timeout");
            return;
        }
        s->echo = in.echo;
        session_touch(ch->sessions, s, now);
        struct text_buf text;
        text_buf_init(&text);
        struct text_decode_opts dopts = {.scheme = text_ussd_scheme(in.data_coding)};
        text_decode(ch->codec, in.data_coding, in.text, in.text_len, &dopts, &text, NULL);
        int rc = menu_run_input(&ms, text.data ? text.data : "", &env, &reply);
        text_buf_fini(&text);
        if (rc != 0) {
            drop_session(ch, s, &ms);
            ussd_final_text(ch, b, &in, lang, "error.unavailable");
            return;
        }
        ch->st.ussd_steps++;
        reply_ussd(ch, b, &in.key, &s->echo, reply.text, reply.final);
        if (reply.final || session_save(ch, s, &ms) != 0)
            drop_session(ch, s, &ms);
        return;
    }
    case USSD_END:
        s = session_find(ch->sessions, &in.key, now);
        if (s != NULL)
            end_session(ch, s);
        ch->st.ussd_aborts++;
        return; /* the worker hung up: no reply */
    case USSD_UNKNOWN:
    case USSD_NOT:
        break;
    }
    gy_info("[%s] USSD operation ignored: %s", b->cfg->name,
            ussd_in_describe(&in, desc, sizeof(desc)));
}

/* A final USSD screen with text, ending whatever session the PDU belongs to (the rate
 * limit's one notice: the USSD gateway waits for an answer, so silence would hang it). */
static void
ussd_notice(struct gw_channel *ch, struct gw_bind *b, unsigned bi, const struct inbox_msg *r,
            const char *text)
{
    struct smpp_sm sm;
    sm_from_row(r, &sm);
    struct ussd_in in;
    if (ussd_classify(&sm, &b->cfg->ussd, bi, &in) != 0 || in.kind == USSD_END ||
        in.kind == USSD_NOT || in.kind == USSD_UNKNOWN)
        return;
    struct session *s = session_find(ch->sessions, &in.key, gy_loop_now_ms(ch->gw->loop));
    if (s != NULL)
        end_session(ch, s);
    reply_ussd(ch, b, &in.key, &in.echo, text, true);
}

/* ---- SMS -------------------------------------------------------------------------------- */

/* The text with a configured alias replaced by its keyword ("积分 1" -> "JF 1"). */
static char *
canonical_text(struct gw_channel *ch, const char *text)
{
    struct kw_parsed kp = {0};
    char *out = NULL;
    if (kw_parse(text, strlen(text), &kp) == 0 && kp.word[0] != '\0') {
        const char *canon = kw_table_lookup(ch->keywords, kp.word);
        if (canon != NULL) {
            size_t n = strlen(canon) + strlen(kp.args) + 2;
            out = malloc(n);
            if (out != NULL)
                snprintf(out, n, kp.args[0] ? "%s %s" : "%s%s", canon, kp.args);
        }
    }
    kw_parsed_fini(&kp);
    return out != NULL ? out : strdup(text);
}

static void
sms_dialog(struct gw_channel *ch, struct gw_bind *b, const char *msisdn, const char *text)
{
    struct gw *gw = ch->gw;
    uint64_t now = gy_loop_now_ms(gw->loop);
    struct session_key key;
    if (session_key_set(&key, SESSION_CH_SMS, SESSION_KEY_MSISDN, SMS_KEY_BIND, 0, msisdn) != 0)
        return;
    char lbuf[8];
    const char *lang = worker_lang(gw, msisdn, lbuf, sizeof(lbuf));
    struct menu_run_env env;
    env_for(gw, b, msisdn, &env);
    struct menu_run_reply reply;
    char *canon = canonical_text(ch, text);
    if (canon == NULL)
        return;
    struct session *s = session_find(ch->sessions, &key, now);
    struct menu_session ms;
    bool had = s != NULL && session_load(s, &ms);
    if (!had)
        memset(&ms, 0, sizeof(ms));
    struct menu_set *set = menu_set_slot_acquire(gw->menus);
    int rc = set ? menu_run_start(&ms, set, MENU_CH_SMS, canon, lang, &env, &reply) : GY_ENOTFOUND;
    menu_set_unref(set);
    if (rc == GY_ENOTFOUND && had && menu_session_active(&ms))
        rc = menu_run_input(&ms, text, &env, &reply); /* an answer to the open dialog */
    if (rc == GY_ENOTFOUND) { /* nothing ran: the session (if any) is as it was */
        struct kw_parsed kp = {0};
        kw_parse(text, strlen(text), &kp);
        char *t = system_text(ch, lang, "unknown_keyword", kp.word ? kp.word : "");
        kw_parsed_fini(&kp);
        if (t != NULL)
            reply_sms(ch, b, msisdn, t);
        free(t);
        ch->st.sms_unknown++;
    } else if (rc != 0) {
        if (s != NULL)
            end_session(ch, s);
    } else {
        ch->st.sms_steps++;
        reply_sms(ch, b, msisdn, reply.text);
        if (reply.final) {
            if (s != NULL)
                session_close(ch->sessions, s); /* ms has ended */
        } else {
            /* a dialog that waits for an answer: keep it in the worker's SMS session */
            if (s == NULL && session_open(ch->sessions, &key, now, &s) != 0)
                s = NULL;
            if (s == NULL || session_save(ch, s, &ms) != 0)
                drop_session(ch, s, &ms);
            else
                session_touch(ch->sessions, s, now);
        }
    }
    free(canon);
}

static void
take_pending(struct gw_channel *ch, uint32_t bind, const char *source)
{
    size_t w = 0;
    for (size_t i = 0; i < ch->n_pending; i++) {
        struct pending_part *p = &ch->pending[i];
        if (p->bind == bind && strcmp(p->source, source) == 0)
            mark_processed(ch->gw, p->inbox_id);
        else
            ch->pending[w++] = *p;
    }
    ch->n_pending = w;
}

static void
sms_message(struct gw_channel *ch, struct reasm_msg *msg)
{
    struct gw *gw = ch->gw;
    if (msg->bind_id >= gw->n_binds) {
        reasm_msg_free(msg);
        return;
    }
    struct gw_bind *b = &gw->binds[msg->bind_id];
    struct text_buf text;
    text_buf_init(&text);
    struct text_decode_opts dopts = {.scheme = TEXT_SCHEME_SMPP};
    switch (b->cfg->coding.data_coding_0) {
    case GY_DC0_ASCII:
        dopts.dc0 = TEXT_DC0_ASCII;
        break;
    case GY_DC0_LATIN1:
        dopts.dc0 = TEXT_DC0_LATIN1;
        break;
    default:
        dopts.dc0 = TEXT_DC0_GSM7_UNPACKED; /* packed parts were unpacked by the reassembler */
        break;
    }
    size_t bad = 0;
    int rc = reasm_msg_decode(ch->codec, msg, &dopts, &text, &bad);
    char masked[GY_MASK_BUFLEN];
    gy_mask_msisdn(msg->source, masked);
    if (rc != 0) {
        gy_warn("[%s] message from %s in data_coding 0x%02x carries no text: %s", b->cfg->name,
                masked, msg->data_coding, gy_strerror(rc));
    } else {
        if (bad > 0)
            gy_info("[%s] message from %s: %zu invalid character%s replaced", b->cfg->name,
                    masked, bad, bad == 1 ? "" : "s");
        sms_dialog(ch, b, msg->source, text.data ? text.data : "");
    }
    take_pending(ch, msg->bind_id, msg->source);
    text_buf_fini(&text);
    reasm_msg_free(msg);
}

static void
on_reasm_drop(void *arg, enum reasm_reason why, struct reasm_msg *msg)
{
    struct gw_channel *ch = arg;
    char masked[GY_MASK_BUFLEN];
    gy_notice("long message from %s incomplete (%u of %u parts, %s): answered with what came",
              gy_mask_msisdn(msg->source, masked), msg->received, msg->total,
              reasm_reason_name(why));
    ch->st.sms_incomplete++;
    sms_message(ch, msg);
}

static bool
handle_sms(struct gw_channel *ch, struct gw_bind *b, unsigned bi, const struct inbox_msg *r)
{
    bool packed = b->cfg->coding.data_coding_0 == GY_DC0_GSM7_PACKED && r->data_coding == 0;
    struct reasm_part p = {
        .bind_id = bi,
        .source = r->source_addr,
        .data_coding = r->data_coding,
        .input = packed ? REASM_IN_GSM7_PACKED : REASM_IN_OCTETS,
        .udhi = (r->esm_class & SMPP_ESM_UDHI) != 0,
        .data = r->body,
        .len = r->body_len,
        .sar_present = r->has_sar,
        .sar_ref = r->sar_ref,
        .sar_total = r->sar_total,
        .sar_seq = r->sar_seq,
    };
    enum reasm_outcome outcome;
    struct reasm_msg *msg = NULL;
    if (reasm_push(ch->reasm, &p, gy_loop_now_ms(ch->gw->loop), &outcome, &msg) != 0)
        return true; /* cannot be kept: processed as nothing */
    if (outcome == REASM_STORED) {
        if (ch->n_pending == ch->cap_pending) {
            size_t cap = ch->cap_pending ? ch->cap_pending * 2 : 32;
            struct pending_part *np = realloc(ch->pending, cap * sizeof(*np));
            if (np == NULL)
                return true;
            ch->pending = np;
            ch->cap_pending = cap;
        }
        struct pending_part *pp = &ch->pending[ch->n_pending++];
        pp->inbox_id = r->id;
        pp->bind = bi;
        snprintf(pp->source, sizeof(pp->source), "%s", r->source_addr);
        return false; /* stays unprocessed until its message is answered */
    }
    if (msg != NULL)
        sms_message(ch, msg);
    return true;
}

/* ---- the inbox -------------------------------------------------------------------------- */

static void
handle_row(struct gw_channel *ch, const struct inbox_msg *r)
{
    struct gw *gw = ch->gw;
    unsigned bi = 0;
    char masked[GY_MASK_BUFLEN];
    gy_mask_msisdn(r->source_addr, masked);
    struct gw_bind *b = bind_by_name(gw, r->bind, &bi);
    if (b == NULL) {
        gy_warn("inbox %lld from %s came on bind '%s', which is no longer configured: dropped",
                (long long)r->id, masked, r->bind);
        mark_processed(gw, r->id);
        return;
    }
    bool ussd = r->has_ussd_op && b->cfg->ussd.enabled;
    if (!ussd && !is_worker_number(r->source_addr, r->source_ton)) {
        gy_info("[%s] message from %s (not a worker's number) starts no dialog", b->cfg->name,
                masked);
        ch->st.not_worker++;
        mark_processed(gw, r->id);
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
            char *t = system_text(ch, worker_lang(gw, r->source_addr, lbuf, sizeof(lbuf)),
                                  "rate_limited", NULL);
            if (t != NULL && !ussd)
                reply_sms(ch, b, r->source_addr, t);
            else if (t != NULL)
                ussd_notice(ch, b, bi, r, t);
            free(t);
        }
        mark_processed(gw, r->id);
        return;
    }
    if (ussd) {
        handle_ussd(ch, b, bi, r);
        mark_processed(gw, r->id);
    } else if (handle_sms(ch, b, bi, r)) {
        mark_processed(gw, r->id);
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
    struct session_limits lim;
    session_limits_from_config(&lim, gw->cfg);
    struct reasm_cfg rc = {.timeout = REASM_TIMEOUT_MS, .on_drop = on_reasm_drop, .arg = ch};
    ch->codec = text_codec_new();
    ch->reasm = reasm_new(&rc);
    ch->sessions = session_table_new(&lim, on_session_end, ch);
    ch->rate = rate_limit_from_config(gw->cfg, 0);
    ch->keywords = kw_table_new();
    ch->catalog = catalog_new();
    ch->tick = gy_timer_new(gw->loop, on_tick, ch);
    ch->rows = calloc(INBOX_BATCH, sizeof(*ch->rows));
    gw->channel = ch;
    if (!ch->codec || !ch->reasm || !ch->sessions || !ch->rate || !ch->keywords ||
        !ch->catalog || !ch->tick || !ch->rows)
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
    struct session_counts sc;
    session_table_counts(gw->channel->sessions, &sc);
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
    reasm_free(ch->reasm);            /* parts not answered stay unprocessed in the inbox */
    rate_limit_free(ch->rate);
    kw_table_free(ch->keywords);
    catalog_free(ch->catalog);
    text_codec_free(ch->codec);
    free(ch->rows);
    free(ch->pending);
    free(ch);
    gw->channel = NULL;
}
