/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gw_sms: SMS dialogs of the gateway: parts reassembled (their inbox rows kept until the
 * message is answered), text decoded, keyword aliases folded, the menu's SMS entry or the
 * worker's open SMS dialog run, and the reply queued, split, on the same bind. */
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

void
chan_reply_sms(struct gw_channel *ch, struct gw_bind *b, const char *msisdn, const char *text)
{
    struct gw *gw = ch->gw;
    struct text_split_opts opts;
    outbox_compose_split_opts(&b->cfg->coding, TEXT_OVERFLOW_TRUNCATE, &opts);
    opts.ref = ++ch->concat_ref;
    struct outbox_msg_in m;
    chan_reply_base(b, msisdn, &m);
    m.registered_delivery = 1;
    char masked[GY_MASK_BUFLEN];
    if (gw_txn(gw) != 0)
        return;
    int rc =
        outbox_compose_enqueue(gw->db, ch->codec, text, &opts, &m, gw_now_ms(), NULL, NULL, NULL);
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
    const char *lang = chan_worker_lang(gw, msisdn, lbuf, sizeof(lbuf));
    struct menu_run_env env;
    chan_env_for(gw, b, msisdn, &env);
    struct menu_run_reply reply;
    char *canon = canonical_text(ch, text);
    if (canon == NULL)
        return;
    struct session *s = session_find(ch->sessions, &key, now);
    struct menu_session ms;
    bool had = s != NULL && chan_session_load(s, &ms);
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
        char *t = chan_system_text(ch, lang, "unknown_keyword", kp.word ? kp.word : "");
        kw_parsed_fini(&kp);
        if (t != NULL)
            chan_reply_sms(ch, b, msisdn, t);
        free(t);
        ch->st.sms_unknown++;
    } else if (rc != 0) {
        if (s != NULL)
            chan_end_session(ch, s);
    } else {
        ch->st.sms_steps++;
        chan_reply_sms(ch, b, msisdn, reply.text);
        if (reply.final) {
            if (s != NULL)
                session_close(ch->sessions, s); /* ms has ended */
        } else {
            /* a dialog that waits for an answer: keep it in the worker's SMS session */
            if (s == NULL && session_open(ch->sessions, &key, now, &s) != 0)
                s = NULL;
            if (s == NULL || chan_session_save(ch, s, &ms) != 0)
                chan_drop_session(ch, s, &ms);
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
            chan_mark_processed(ch->gw, p->inbox_id);
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
            gy_info("[%s] message from %s: %zu invalid character%s replaced", b->cfg->name, masked,
                    bad, bad == 1 ? "" : "s");
        sms_dialog(ch, b, msg->source, text.data ? text.data : "");
    }
    take_pending(ch, msg->bind_id, msg->source);
    text_buf_fini(&text);
    reasm_msg_free(msg);
}

void
chan_on_reasm_drop(void *arg, enum reasm_reason why, struct reasm_msg *msg)
{
    struct gw_channel *ch = arg;
    char masked[GY_MASK_BUFLEN];
    gy_notice("long message from %s incomplete (%u of %u parts, %s): answered with what came",
              gy_mask_msisdn(msg->source, masked), msg->received, msg->total,
              reasm_reason_name(why));
    ch->st.sms_incomplete++;
    sms_message(ch, msg);
}

bool
chan_handle_sms(struct gw_channel *ch, struct gw_bind *b, unsigned bi, const struct inbox_msg *r)
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
        gy_strlcpy(pp->source, sizeof(pp->source), r->source_addr);
        return false; /* stays unprocessed until its message is answered */
    }
    if (msg != NULL)
        sms_message(ch, msg);
    return true;
}
