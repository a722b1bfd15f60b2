/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smsc_sim_traffic: the messages of smsc-sim: console descriptions of received text,
 * delivery reports (TLVs and appendix B text), injected MO SMS and USSD, malformed PDUs.
 * Pure: texts are coded with locale/, PDUs leave through the core. */
#include "tools/smsc_sim_int.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "base/gy_log.h"
#include "gateway/smpp_codec.h"
#include "locale/text_decode.h"
#include "locale/text_encode.h"
#include "locale/text_split.h"

/* ---- what a client sent ---- */

/* Appends src (UTF-8) to out with newlines and control characters made visible. */
static void
append_visible(char *out, size_t cap, const char *src, size_t len)
{
    size_t o = strlen(out);
    for (size_t i = 0; i < len && o + 3 < cap; i++) {
        unsigned char ch = (unsigned char)src[i];
        if (ch == '\n' || ch == '\r') {
            out[o++] = '\\';
            out[o++] = ch == '\n' ? 'n' : 'r';
        } else if (ch < 0x20 || ch == 0x7F) {
            out[o++] = '?';
        } else {
            out[o++] = (char)ch;
        }
    }
    out[o] = '\0';
}

/* Splits off a UDH when esm_class says there is one; fills part/total/ref (0 when none).
 * Returns false when the UDH does not fit the message. */
static bool
strip_udh(const struct smpp_sm *sm, const uint8_t **msg, size_t *len, unsigned *part,
          unsigned *total, unsigned *ref)
{
    *part = *total = *ref = 0;
    if (sm->tlv.present & SMPP_TLV_SAR_SEGMENT_SEQNUM)
        *part = sm->tlv.sar_segment_seqnum;
    if (sm->tlv.present & SMPP_TLV_SAR_TOTAL_SEGMENTS)
        *total = sm->tlv.sar_total_segments;
    if (sm->tlv.present & SMPP_TLV_SAR_MSG_REF_NUM)
        *ref = sm->tlv.sar_msg_ref_num;
    if (!(sm->esm_class & SMPP_ESM_UDHI))
        return true;
    if (*len == 0 || (size_t)(*msg)[0] + 1 > *len)
        return false;
    const uint8_t *u = *msg + 1;
    size_t ulen = (*msg)[0];
    for (size_t i = 0; i + 2 <= ulen;) {
        uint8_t iei = u[i], iel = u[i + 1];
        if (i + 2 + iel > ulen)
            return false;
        if (iei == 0x00 && iel == 3) {
            *ref = u[i + 2];
            *total = u[i + 3];
            *part = u[i + 4];
        } else if (iei == 0x08 && iel == 4) {
            *ref = (unsigned)(u[i + 2] << 8 | u[i + 3]);
            *total = u[i + 4];
            *part = u[i + 5];
        }
        i += 2u + iel;
    }
    *msg += 1 + ulen;
    *len -= 1 + ulen;
    return true;
}

/* One description of the message of sm for the console: parts, coding and decoded text. */
void
sim_describe_sm(struct sim_core *c, const struct smpp_sm *sm, char *out, size_t cap)
{
    size_t len = 0;
    const uint8_t *msg = smpp_sm_message(sm, &len);
    unsigned part, total, ref;
    out[0] = '\0';
    if (!strip_udh(sm, &msg, &len, &part, &total, &ref)) {
        snprintf(out, cap, "dc=%u bad UDH (%zu octets)", sm->data_coding, len);
        return;
    }
    int n = snprintf(out, cap, "dc=%u", sm->data_coding);
    if (total > 0 && n > 0 && (size_t)n < cap)
        n += snprintf(out + n, cap - (size_t)n, " part %u/%u ref %u", part, total, ref);
    if (c->cfg.hide_text || c->codec == NULL) {
        snprintf(out + strlen(out), cap - strlen(out), " (%zu octets)", len);
        return;
    }
    struct text_decode_opts opts = {.scheme = (sm->tlv.present & SMPP_TLV_USSD_SERVICE_OP)
                                                  ? text_ussd_scheme(sm->data_coding)
                                                  : TEXT_SCHEME_SMPP};
    struct text_buf tb;
    text_buf_init(&tb);
    size_t bad = 0;
    int rc = text_decode(c->codec, sm->data_coding, msg, len, &opts, &tb, &bad);
    if (rc != 0) {
        snprintf(out + strlen(out), cap - strlen(out), " (%zu octets: %s)", len, gy_strerror(rc));
    } else {
        snprintf(out + strlen(out), cap - strlen(out), " \"");
        append_visible(out, cap - 2, tb.data ? tb.data : "", tb.len);
        snprintf(out + strlen(out), cap - strlen(out), "\"");
        if (bad)
            snprintf(out + strlen(out), cap - strlen(out), " (%zu invalid)", bad);
    }
    text_buf_fini(&tb);
}

/* The decoded text of sm for phone mode (declared in smsc_sim_int.h). */
int
sim_sm_text(struct sim_core *c, const struct smpp_sm *sm, struct text_buf *out, unsigned *part,
            unsigned *total, unsigned *ref)
{
    size_t len = 0;
    const uint8_t *msg = smpp_sm_message(sm, &len);
    if (!strip_udh(sm, &msg, &len, part, total, ref))
        return GY_EPARSE;
    if (c->codec == NULL)
        return GY_EENCODING;
    struct text_decode_opts opts = {.scheme = (sm->tlv.present & SMPP_TLV_USSD_SERVICE_OP)
                                                  ? text_ussd_scheme(sm->data_coding)
                                                  : TEXT_SCHEME_SMPP};
    size_t bad = 0;
    return text_decode(c->codec, sm->data_coding, msg, len, &opts, out, &bad);
}

/* ---- delivery reports ---- */

static void
dlr_date(time_t t, char out[11])
{
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL)
        memset(&tm, 0, sizeof(tm));
    snprintf(out, 11, "%02u%02u%02u%02u%02u", (unsigned)(tm.tm_year + 1900) % 100u,
             (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u,
             (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u);
}

/* Builds the delivery report of an accepted submit into p->pdu. */
void
sim_dlr_build(struct sim_core *c, const struct smpp_sm *sub, uint64_t id, bool failed,
              struct smpp_pdu *pdu)
{
    smpp_pdu_init(pdu, SMPP_DELIVER_SM, 1);
    struct smpp_sm *d = &pdu->body.sm;
    d->source_addr_ton = sub->dest_addr_ton;
    d->source_addr_npi = sub->dest_addr_npi;
    memcpy(d->source_addr, sub->destination_addr, sizeof(d->source_addr));
    d->dest_addr_ton = sub->source_addr_ton;
    d->dest_addr_npi = sub->source_addr_npi;
    memcpy(d->destination_addr, sub->source_addr, sizeof(d->destination_addr));
    d->esm_class = SMPP_ESM_DELIVERY_RECEIPT;
    if (c->cfg.dlr_mode != SIM_DLR_TEXT) {
        d->tlv.present |= SMPP_TLV_RECEIPTED_MESSAGE_ID | SMPP_TLV_MESSAGE_STATE;
        sim_id_write(c->cfg.dlr_id_format, id, d->tlv.receipted_message_id,
                     sizeof(d->tlv.receipted_message_id));
        d->tlv.message_state = failed ? SMPP_STATE_UNDELIVERABLE : SMPP_STATE_DELIVERED;
        if (failed) {
            d->tlv.present |= SMPP_TLV_NETWORK_ERROR_CODE;
            d->tlv.network_error_code[0] = 3; /* GSM */
            d->tlv.network_error_code[2] = 1;
        }
    }
    if (c->cfg.dlr_mode == SIM_DLR_TLV)
        return;
    /* The first 20 octets of the text when they are printable ASCII, as SMSCs do. */
    size_t len = 0;
    const uint8_t *msg = smpp_sm_message(sub, &len);
    unsigned part, total, ref;
    char head[21] = "";
    if (sub->data_coding <= 1 && strip_udh(sub, &msg, &len, &part, &total, &ref)) {
        size_t i = 0;
        for (; i < len && i < 20 && msg[i] >= 0x20 && msg[i] < 0x7F; i++)
            head[i] = (char)msg[i];
        head[i == len || i == 20 ? i : 0] = '\0';
    }
    char idtext[32], date[11];
    sim_id_write(c->cfg.dlr_text_id_format, id, idtext, sizeof(idtext));
    dlr_date(c->ops->wall ? c->ops->wall(c->ctx) : 0, date);
    char text[200];
    int n = snprintf(text, sizeof(text),
                     "id:%s sub:001 dlvrd:%s submit date:%s done date:%s stat:%s err:%s text:%s",
                     idtext, failed ? "000" : "001", date, date, failed ? "UNDELIV" : "DELIVRD",
                     failed ? "001" : "000", head);
    if (n > 0)
        smpp_sm_set_message(d, (const uint8_t *)text, strlen(text));
}

/* ---- injected traffic ---- */

static bool
valid_addr(const char *a)
{
    size_t n = strlen(a);
    if (n == 0 || n >= SIM_ADDR_SIZE)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (a[i] < '0' || a[i] > '9')
            return false;
    }
    return true;
}

static void
sm_addresses(struct smpp_sm *sm, const char *from, const char *to)
{
    sm->source_addr_ton = 1; /* international */
    sm->source_addr_npi = 1;
    snprintf(sm->source_addr, sizeof(sm->source_addr), "%s", from);
    snprintf(sm->destination_addr, sizeof(sm->destination_addr), "%s", to);
}

int
sim_core_inject_mo(struct sim_core *c, const char *from, const char *to, const char *text,
                   unsigned allow, char *err, size_t errlen)
{
    if (from == NULL || to == NULL || text == NULL || !valid_addr(from) || !valid_addr(to)) {
        snprintf(err, errlen, "mo: FROM and TO must be 1 to 20 digits");
        return GY_EINVAL;
    }
    struct text_split_opts opts = {.allow = allow ? allow : TEXT_ALLOW_DEFAULT,
                                   .concat = TEXT_CONCAT_UDH8,
                                   .max_parts = 255,
                                   .overflow = TEXT_OVERFLOW_REFUSE,
                                   .ref = c->mo_ref++};
    struct text_split sp;
    struct text_unencodable bad = {0};
    int rc = text_split_make(c->codec, text, strlen(text), &opts, &sp, &bad);
    if (rc == GY_EENCODING) {
        if (bad.invalid_utf8)
            snprintf(err, errlen, "mo: the text is not valid UTF-8 (byte %zu)", bad.offset);
        else
            snprintf(err, errlen, "mo: U+%04X (character %zu) has no form in that coding",
                     (unsigned)bad.cp, bad.index + 1);
        return rc;
    }
    if (rc != 0) {
        snprintf(err, errlen, "mo: cannot encode the text: %s", gy_strerror(rc));
        return rc;
    }
    for (size_t i = 0; i < sp.n_parts; i++) {
        struct sim_pending *p = sim_pending_new(P_DELIVER, W_MO, NULL);
        if (p == NULL) {
            text_split_fini(&sp);
            snprintf(err, errlen, "mo: out of memory");
            return GY_ENOMEM;
        }
        smpp_pdu_init(&p->pdu, SMPP_DELIVER_SM, 1);
        struct smpp_sm *sm = &p->pdu.body.sm;
        sm_addresses(sm, from, to);
        sm->data_coding = sp.data_coding;
        sm->esm_class = sp.parts[i].udhi ? SMPP_ESM_UDHI : 0;
        smpp_sm_set_message(sm, sp.parts[i].sm, sp.parts[i].sm_len);
        sim_deliver(c, p);
    }
    int parts = (int)sp.n_parts;
    text_split_fini(&sp);
    return parts;
}

struct sim_ussd *
sim_ussd_find(struct sim_core *c, const char *msisdn)
{
    for (size_t i = 0; i < SIM_USSD_MAX; i++) {
        if (c->ussd[i].msisdn[0] && strcmp(c->ussd[i].msisdn, msisdn) == 0)
            return &c->ussd[i];
    }
    return NULL;
}

/* The entry for msisdn, or the least recently used one, reset for it. */
static struct sim_ussd *
ussd_claim(struct sim_core *c, const char *msisdn)
{
    struct sim_ussd *u = sim_ussd_find(c, msisdn);
    if (u == NULL) {
        u = &c->ussd[0];
        for (size_t i = 1; i < SIM_USSD_MAX; i++) {
            if (c->ussd[i].used < u->used)
                u = &c->ussd[i];
        }
        memset(u, 0, sizeof(*u));
        snprintf(u->msisdn, sizeof(u->msisdn), "%s", msisdn);
    }
    return u;
}

int
sim_core_inject_ussd(struct sim_core *c, enum sim_ussd_kind kind, const char *from,
                     const char *text, uint64_t now_ms, char *err, size_t errlen)
{
    static const char *const names[] = {"ussd", "ussd-reply", "ussd-abort"};
    const char *name = (unsigned)kind < 3 ? names[kind] : "ussd";
    if (from == NULL || !valid_addr(from) || (unsigned)kind > SIM_USSD_ABORT) {
        snprintf(err, errlen, "%s: FROM must be 1 to 20 digits", name);
        return GY_EINVAL;
    }
    if (text == NULL || kind == SIM_USSD_ABORT)
        text = "";
    struct sim_ussd *u = sim_ussd_find(c, from);
    if (kind != SIM_USSD_OPEN && (u == NULL || !u->open)) {
        snprintf(err, errlen,
                 "%s: no open USSD session for that number (dial first: ussd FROM CODE)", name);
        return GY_ENOTFOUND;
    }
    /* GSM 7-bit, one septet per octet (USSD DCS 0x0F), or UCS-2 (DCS 0x48). */
    struct text_encoded enc;
    struct text_unencodable bad = {0};
    int rc = text_encode(NULL, text, strlen(text),
                         TEXT_ALLOW_GSM7 | TEXT_ALLOW_UCS2 | TEXT_ALLOW_UTF16, &enc, &bad);
    if (rc != 0) {
        snprintf(err, errlen, "%s: the text is not valid UTF-8 (byte %zu)", name, bad.offset);
        return rc == GY_EENCODING ? rc : GY_EINVAL;
    }
    if (enc.len > 182 * 2 || enc.len > SMPP_SHORT_MESSAGE_ENCODE_MAX) {
        text_encoded_fini(&enc);
        snprintf(err, errlen, "%s: text too long for one USSD message", name);
        return GY_ETOOBIG;
    }
    if (kind == SIM_USSD_OPEN) {
        u = ussd_claim(c, from);
        u->session = c->ussd_next;
        c->ussd_next = c->ussd_next == 255 ? 1 : c->ussd_next + 1;
        u->seq = 0;
        u->open = true;
    } else {
        u->seq = (uint8_t)((u->seq + 1) & 0x7F);
    }
    u->used = ++c->order;
    struct sim_pending *p = sim_pending_new(P_DELIVER, W_USSD, NULL);
    if (p == NULL) {
        text_encoded_fini(&enc);
        snprintf(err, errlen, "%s: out of memory", name);
        return GY_ENOMEM;
    }
    smpp_pdu_init(&p->pdu, SMPP_DELIVER_SM, 1);
    struct smpp_sm *sm = &p->pdu.body.sm;
    strcpy(sm->service_type, "USSD");
    sm_addresses(sm, from, c->cfg.ussd_service);
    sm->data_coding = enc.coding == TEXT_CODING_GSM7 ? 0x0F : 0x48;
    smpp_sm_set_message(sm, enc.bytes, enc.len);
    text_encoded_fini(&enc);
    sm->tlv.present |= SMPP_TLV_USSD_SERVICE_OP | SMPP_TLV_ITS_SESSION_INFO;
    sm->tlv.ussd_service_op = kind == SIM_USSD_OPEN ? SMPP_USSD_PSSR_IND : SMPP_USSD_USSR_CONF;
    sm->tlv.its_session_info = smpp_its_make(u->session, u->seq, kind == SIM_USSD_ABORT);
    if (kind == SIM_USSD_ABORT)
        u->open = false;
    char m[GY_MASK_BUFLEN];
    sim_print(c, c->cfg.phone[0] == '\0', "%s from %s: session %u seq %u%s", name,
              sim_mask_addr(from, m), u->session, u->seq,
              sim_core_receivers(c) ? "" : " (held: no receiver bound)");
    (void)now_ms;
    sim_deliver(c, p);
    return 0;
}

size_t
sim_core_send_garbage(struct sim_core *c, enum sim_garbage kind)
{
    size_t n = 0;
    for (struct sim_session *s = c->sessions; s; s = s->next) {
        if (!(sim_can_receive(s) || sim_can_transmit(s)))
            continue;
        /* deliver_sm whose service_type never ends, or a command_length of 8. */
        uint8_t g[20] = {0, 0, 0, 20, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 'x', 'x', 'x', 'x'};
        size_t len = sizeof(g);
        if (kind == SIM_GARBAGE_LENGTH) {
            g[3] = 8;
            len = 16;
        }
        uint32_t seq = s->next_seq;
        s->next_seq = s->next_seq >= 0x7FFFFFFFu ? 1 : s->next_seq + 1;
        g[12] = (uint8_t)(seq >> 24);
        g[13] = (uint8_t)(seq >> 16);
        g[14] = (uint8_t)(seq >> 8);
        g[15] = (uint8_t)seq;
        if (c->ops->send(c->ctx, s, g, len) == 0) {
            n++;
            c->stats.garbage_sent++;
        }
    }
    return n;
}
