/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gw_inbound: incoming deliver_sm. A delivery report is correlated to its outbox segment
 * (ids normalised per bind); a message is written to the inbox. Either way the answer is
 * ESME_ROK only once the fact is in the database, and ESME_RX_T_APPN when it cannot be
 * written now, so that the SMSC retries instead of the message being lost. */
#include "gateway/gw_int.h"
#include "base/gy_err.h"
#include "base/gy_log.h"
#include "base/gy_str.h"
#include "db/inbox_store.h"
#include "gateway/smpp_codec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum outbox_state
dlr_state(enum smpp_dlr_outcome o)
{
    switch (o) {
    case SMPP_DLR_DELIVERED:
        return OUTBOX_DELIVERED;
    case SMPP_DLR_FAILED:
        return OUTBOX_FAILED;
    case SMPP_DLR_EXPIRED:
        return OUTBOX_EXPIRED;
    case SMPP_DLR_PENDING:
        break;
    }
    return OUTBOX_SUBMITTED;
}

static uint32_t
take_report(struct gw_bind *b, const struct smpp_sm *sm)
{
    struct gw *gw = b->gw;
    const char *name = b->cfg->name;
    struct smpp_dlr dlr;
    char norm[SMPP_ID_NORM_SIZE];
    if (smpp_dlr_parse(sm, &dlr) != 0 ||
        smpp_id_normalise(dlr.id, b->report_base, norm, sizeof(norm)) != 0) {
        gw->stats.dlr_bad++;
        gy_warn("[%s] delivery report without a usable id (report_id_format %s); acknowledged",
                name, gy_id_format_name(b->cfg->report_id_format));
        return SMPP_ESME_ROK; /* retrying would never make it usable */
    }
    /* A report may overtake its own submit_sm_resp's mark: write pending marks first, in
     * the same grouped transaction. */
    if (gw_flush_marks(gw) != 0 || gw_txn(gw) != 0)
        return SMPP_ESME_RX_T_APPN;
    int64_t seg = 0, msg = 0;
    int rc = outbox_store_dlr_apply(gw->db, name, norm, dlr_state(dlr.outcome),
                                    dlr.has_err ? (int64_t)dlr.err : 0, gw_now_ms(), &seg, &msg);
    if (rc == GY_ENOTFOUND) {
        gw->stats.dlr_unmatched++;
        gy_info("[%s] delivery report %s (%s) matches no message awaiting one", name, norm,
                smpp_dlr_outcome_name(dlr.outcome));
        return SMPP_ESME_ROK;
    }
    if (rc != 0) {
        gw->stats.db_errors++;
        gy_error("[%s] delivery report %s not recorded: %s; asking the SMSC to retry", name,
                 norm, db_errmsg(gw->db));
        return SMPP_ESME_RX_T_APPN;
    }
    gw->stats.dlr_matched++;
    gy_debug("[%s] message %lld part %lld: %s (report %s)", name, (long long)msg, (long long)seg,
             smpp_dlr_outcome_name(dlr.outcome), norm);
    return SMPP_ESME_ROK;
}

static uint32_t
take_message(struct gw_bind *b, const struct smpp_sm *sm)
{
    struct gw *gw = b->gw;
    struct inbox_msg m;
    memset(&m, 0, sizeof(m));
    gy_strlcpy(m.bind, sizeof(m.bind), b->cfg->name);
    gy_strlcpy(m.source_addr, sizeof(m.source_addr), sm->source_addr);
    m.source_ton = sm->source_addr_ton;
    m.source_npi = sm->source_addr_npi;
    gy_strlcpy(m.dest_addr, sizeof(m.dest_addr), sm->destination_addr);
    gy_strlcpy(m.service_type, sizeof(m.service_type), sm->service_type);
    m.esm_class = sm->esm_class;
    m.data_coding = sm->data_coding;
    size_t len = 0;
    const uint8_t *body = smpp_sm_message(sm, &len);
    if (len > INBOX_BODY_MAX)
        len = INBOX_BODY_MAX;
    if (body != NULL && len > 0)
        memcpy(m.body, body, len);
    m.body_len = (uint16_t)len;
    const struct smpp_tlvs *t = &sm->tlv;
    uint32_t sar = SMPP_TLV_SAR_MSG_REF_NUM | SMPP_TLV_SAR_TOTAL_SEGMENTS |
                   SMPP_TLV_SAR_SEGMENT_SEQNUM;
    if ((t->present & sar) == sar) {
        m.has_sar = true;
        m.sar_ref = t->sar_msg_ref_num;
        m.sar_total = t->sar_total_segments;
        m.sar_seq = t->sar_segment_seqnum;
    }
    if (t->present & SMPP_TLV_USSD_SERVICE_OP) {
        m.has_ussd_op = true;
        m.ussd_op = t->ussd_service_op;
    }
    if (t->present & SMPP_TLV_ITS_SESSION_INFO) {
        m.has_its_session = true;
        m.its_session = t->its_session_info;
    }
    if (t->present & SMPP_TLV_USER_MESSAGE_REFERENCE) {
        m.has_user_msg_ref = true;
        m.user_msg_ref = t->user_message_reference;
    }
    m.received_ms = gw_now_ms();
    char masked[GY_MASK_BUFLEN];
    gy_mask_msisdn(m.source_addr, masked);
    if (m.source_addr[0] == '\0') {
        gw->stats.mo_refused++;
        gy_warn("[%s] deliver_sm without a source address: refused permanently", b->cfg->name);
        return SMPP_ESME_RX_P_APPN;
    }
    int rc = gw_txn(gw) == 0 ? inbox_store_add(gw->db, &m) : GY_EDB;
    if (rc != 0) {
        gw->stats.mo_refused++;
        gy_error("[%s] message from %s not stored (%s); asking the SMSC to retry", b->cfg->name,
                 masked, rc == GY_EDB ? db_errmsg(gw->db) : gy_strerror(rc));
        return SMPP_ESME_RX_T_APPN;
    }
    gw->stats.mo_stored++;
    gw->inbox_new = true;
    gy_info("[%s] message from %s to %s stored (inbox %lld, dcs 0x%02x, %zu octets%s)",
            b->cfg->name, masked, m.dest_addr, (long long)m.id, m.data_coding, len,
            m.has_ussd_op ? ", USSD" : "");
    return SMPP_ESME_ROK;
}

static int
answer_later(struct gw *gw, struct smpp_link *link, uint32_t status)
{
    if (gw->n_answers == gw->cap_answers) {
        size_t cap = gw->cap_answers ? gw->cap_answers * 2 : 64;
        struct gw_answer *a = realloc(gw->answers, cap * sizeof(*a));
        if (a == NULL)
            return GY_ENOMEM;
        gw->answers = a;
        gw->cap_answers = cap;
    }
    struct gw_answer *a = &gw->answers[gw->n_answers];
    if (smpp_link_defer_answer(link, &a->tok) != 0)
        return GY_ESTATE;
    a->link = link;
    a->status = status;
    gw->n_answers++;
    return 0;
}

/* The answer is ESME_ROK only once what the PDU says is committed: it waits for the grouped
 * commit at the end of this loop turn (one commit for every PDU read together). */
uint32_t
gw_on_deliver(struct smpp_link *link, const struct smpp_pdu *pdu, void *arg)
{
    struct gw_bind *b = arg;
    struct gw *gw = b->gw;
    if (gw->stopped)
        return SMPP_ESME_RX_T_APPN;
    const struct smpp_sm *sm = &pdu->body.sm;
    uint32_t status = (sm->esm_class & SMPP_ESM_DELIVERY_RECEIPT) ? take_report(b, sm)
                                                                  : take_message(b, sm);
    if (!gw->txn_open)
        return status; /* nothing written (refused, or nothing to record): answer now */
    if (answer_later(gw, link, status) != 0) {
        /* Cannot wait for the commit: commit now, then answer. */
        return gw_commit(gw) == 0 ? status : SMPP_ESME_RX_T_APPN;
    }
    return status; /* ignored: deferred */
}
