/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gw_ussd: USSD dialogs of the gateway: a stored deliver_sm with ussd_service_op starts,
 * continues or ends a session by the bind's dialect, runs the menu, and queues the reply
 * page (op 0x02 or 0x11, session TLVs echoed, no delivery report) on the same bind. */
#include "gateway/gw_channel_int.h"
#include "base/gy_err.h"
#include "base/gy_log.h"
#include "base/gy_str.h"
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

/* Whether the bind sends USSD GSM 7-bit packed (the cell-broadcast DCS, or a packing bind). */
bool
chan_ussd_gsm_packed(const struct gw_bind *b)
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
    bool packed = !*ucs2 && chan_ussd_gsm_packed(b);
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
    struct outbox_msg_in m;
    chan_reply_base(b, key->msisdn, &m);
    m.service_type = sm.service_type;
    m.valid_until_ms = gw_now_ms() + (int64_t)gw->cfg->ussd_idle_timeout * 1000;
    m.registered_delivery = 0; /* no delivery reports for USSD */
    m.has_ussd_op = true;
    m.ussd_op = sm.tlv.ussd_service_op;
    m.has_its_session = (sm.tlv.present & SMPP_TLV_ITS_SESSION_INFO) != 0;
    m.its_session = sm.tlv.its_session_info;
    m.has_user_msg_ref = (sm.tlv.present & SMPP_TLV_USER_MESSAGE_REFERENCE) != 0;
    m.user_msg_ref = sm.tlv.user_message_reference;
    m.parts = &part;
    m.n_parts = 1;
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

/* ---- USSD ------------------------------------------------------------------------------- */

/* A plain deliver_sm rebuilt from an inbox row, for the USSD classifier. */
static void
sm_from_row(const struct inbox_msg *r, struct smpp_sm *sm)
{
    memset(sm, 0, sizeof(*sm));
    gy_strlcpy(sm->service_type, sizeof(sm->service_type), r->service_type);
    gy_strlcpy(sm->source_addr, sizeof(sm->source_addr), r->source_addr);
    sm->source_addr_ton = r->source_ton;
    sm->source_addr_npi = r->source_npi;
    gy_strlcpy(sm->destination_addr, sizeof(sm->destination_addr), r->dest_addr);
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
    char *t = chan_system_text(ch, lang, key, in->code);
    reply_ussd(ch, b, &in->key, &in->echo, t ? t : "-", true);
    free(t);
}

void
chan_handle_ussd(struct gw_channel *ch, struct gw_bind *b, unsigned bi, const struct inbox_msg *r)
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
    const char *lang = chan_worker_lang(gw, in.key.msisdn, lbuf, sizeof(lbuf));
    struct menu_run_env env;
    chan_env_for(gw, b, in.key.msisdn, &env);
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
        rc = menu_run_start(&ms, set, MENU_CH_USSD, in.code[0] ? in.code : gw->cfg->ussd_entry_code,
                            lang, &env, &reply);
        menu_set_unref(set);
        if (rc != 0) {
            chan_drop_session(ch, s, &ms);
            ussd_final_text(ch, b, &in, lang, "error.unavailable");
            return;
        }
        ch->st.ussd_steps++;
        reply_ussd(ch, b, &in.key, &s->echo, reply.text, reply.final);
        if (reply.final || chan_session_save(ch, s, &ms) != 0)
            chan_drop_session(ch, s, &ms); /* a final reply has ended ms already */
        return;
    }
    case USSD_CONTINUE: {
        s = session_find(ch->sessions, &in.key, now);
        struct menu_session ms;
        if (s == NULL || !chan_session_load(s, &ms) || !menu_session_active(&ms)) {
            if (s != NULL)
                chan_end_session(ch, s);
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
            chan_drop_session(ch, s, &ms);
            ussd_final_text(ch, b, &in, lang, "error.unavailable");
            return;
        }
        ch->st.ussd_steps++;
        reply_ussd(ch, b, &in.key, &s->echo, reply.text, reply.final);
        if (reply.final || chan_session_save(ch, s, &ms) != 0)
            chan_drop_session(ch, s, &ms);
        return;
    }
    case USSD_END:
        s = session_find(ch->sessions, &in.key, now);
        if (s != NULL)
            chan_end_session(ch, s);
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
void
chan_ussd_notice(struct gw_channel *ch, struct gw_bind *b, unsigned bi, const struct inbox_msg *r,
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
        chan_end_session(ch, s);
    reply_ussd(ch, b, &in.key, &in.echo, text, true);
}
