/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smsc_sim_answer: what smsc-sim answers a client: framing and decoding of its input, binds
 * with credentials, submits with message ids, faults and reports, enquire_link, unbind,
 * generic_nack. A PDU that does not decode closes that connection only. Pure. */
#include "tools/smsc_sim_int.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "base/gy_log.h"
#include "gateway/smpp_codec.h"

/* ---- answers ---- */

/* A client's system_id for a log line: anything but printable ASCII becomes '?'. */
static const char *
visible_id(const char *id, char out[16])
{
    size_t i = 0;
    for (; i < 15 && id[i]; i++)
        out[i] = (id[i] >= 0x20 && id[i] < 0x7F) ? id[i] : '?';
    out[i] = '\0';
    return out;
}

static void
handle_bind(struct sim_core *c, struct sim_session *s, const struct smpp_pdu *in)
{
    const struct smpp_bind *b = &in->body.bind;
    char shown[16];
    uint32_t resp_id = in->hdr.command_id | SMPP_RESP_BIT;
    uint32_t status = SMPP_ESME_ROK;
    if (s->state != SIM_OPEN)
        status = SMPP_ESME_RALYBND;
    else if (c->cfg.system_id[0] && strcmp(c->cfg.system_id, b->system_id) != 0)
        status = SMPP_ESME_RINVSYSID;
    else if (c->cfg.password[0] && strcmp(c->cfg.password, b->password) != 0)
        status = SMPP_ESME_RINVPASWD;
    if (status != SMPP_ESME_ROK) {
        c->stats.binds_refused++;
        gy_warn("[smsc-sim] %s: %s from system_id '%s' refused: %s", s->peer,
                smpp_command_name(in->hdr.command_id), visible_id(b->system_id, shown),
                smpp_status_name(status));
        sim_send_status(c, s, resp_id, in->hdr.sequence_number, status);
        return;
    }
    struct smpp_pdu r;
    smpp_pdu_init(&r, resp_id, in->hdr.sequence_number);
    memcpy(r.body.bind_resp.system_id, c->cfg.smsc_system_id, sizeof(r.body.bind_resp.system_id));
    r.body.bind_resp.has_sc_interface_version = true;
    r.body.bind_resp.sc_interface_version = SMPP_VERSION_34;
    if (sim_send_pdu(c, s, &r) != 0)
        return;
    s->state = in->hdr.command_id == SMPP_BIND_TRANSMITTER ? SIM_BOUND_TX
               : in->hdr.command_id == SMPP_BIND_RECEIVER  ? SIM_BOUND_RX
                                                           : SIM_BOUND_TRX;
    memcpy(s->system_id, b->system_id, sizeof(s->system_id));
    c->stats.binds_ok++;
    sim_print(c, false, "%s: %s ok, system_id '%s'", s->peer, smpp_command_name(in->hdr.command_id),
              visible_id(b->system_id, shown));
    if (sim_can_receive(s))
        sim_flush_held(c);
}

static bool
every(unsigned n, uint64_t count)
{
    return n > 0 && count % n == 0;
}

static bool
take(unsigned *counter)
{
    if (*counter == 0)
        return false;
    (*counter)--;
    return true;
}

/* Follows the gateway's side of a USSD dialogue (for ussd-reply). */
void
sim_ussd_note_submit(struct sim_core *c, const struct smpp_sm *sm)
{
    struct sim_ussd *u = sim_ussd_find(c, sm->destination_addr);
    if (u == NULL)
        return;
    if (sm->tlv.present & SMPP_TLV_ITS_SESSION_INFO)
        u->seq = smpp_its_sequence(sm->tlv.its_session_info);
    bool end = (sm->tlv.present & SMPP_TLV_ITS_SESSION_INFO) &&
               smpp_its_end_of_session(sm->tlv.its_session_info);
    if (end || sm->tlv.ussd_service_op == SMPP_USSD_PSSR_RESP ||
        sm->tlv.ussd_service_op == SMPP_USSD_USSN_REQ)
        u->open = false;
}

static void
handle_submit(struct sim_core *c, struct sim_session *s, const struct smpp_pdu *in, uint64_t now_ms)
{
    const struct smpp_sm *sm = &in->body.sm;
    c->stats.submits++;
    if (!sim_can_transmit(s)) {
        c->stats.not_bound++;
        sim_send_status(c, s, SMPP_SUBMIT_SM_RESP, in->hdr.sequence_number, SMPP_ESME_RINVBNDSTS);
        return;
    }
    uint64_t n = ++c->submit_count;
    uint32_t status = SMPP_ESME_ROK;
    bool mute = take(&c->faults.mute) || every(c->cfg.mute_every, n);
    if (mute)
        c->stats.muted++;
    else if (take(&c->faults.throttle) || every(c->cfg.throttle_every, n))
        status = SMPP_ESME_RTHROTTLED;
    else if (take(&c->faults.qfull) || every(c->cfg.qfull_every, n))
        status = SMPP_ESME_RMSGQFUL;

    char from[GY_MASK_BUFLEN], to[GY_MASK_BUFLEN], id[SMPP_MESSAGE_ID_SIZE] = "";
    uint64_t num = 0;
    bool ok = !mute && status == SMPP_ESME_ROK;
    if (ok) {
        num = c->next_id++;
        sim_id_write(c->cfg.id_format, num, id, sizeof(id));
        c->stats.submit_ok++;
    } else if (status == SMPP_ESME_RTHROTTLED) {
        c->stats.throttled++;
    } else if (status == SMPP_ESME_RMSGQFUL) {
        c->stats.qfull++;
    }
    if (sm->tlv.present & SMPP_TLV_USSD_SERVICE_OP)
        sim_ussd_note_submit(c, sm);
    if (ok && c->cfg.phone[0] && strcmp(sm->destination_addr, c->cfg.phone) == 0)
        sim_phone_submit(c, sm);
    if (!c->cfg.quiet) {
        char desc[SIM_LINE_MAX - 256];
        sim_describe_sm(c, sm, desc, sizeof(desc));
        char extra[48] = "";
        if (sm->tlv.present & SMPP_TLV_USSD_SERVICE_OP) {
            uint16_t its = sm->tlv.its_session_info;
            snprintf(extra, sizeof(extra), " ussd op %u session %u seq %u%s",
                     sm->tlv.ussd_service_op, smpp_its_session_number(its), smpp_its_sequence(its),
                     smpp_its_end_of_session(its) ? " end" : "");
        }
        sim_print(c, false, "%s: submit_sm #%u %s -> %s rd=%u%s %s => %s%s%s", s->peer,
                  in->hdr.sequence_number, sim_mask_addr(sm->source_addr, from),
                  sim_mask_addr(sm->destination_addr, to), sm->registered_delivery, extra, desc,
                  mute ? "(muted)" : smpp_status_name(status), id[0] ? " id " : "", id);
    }
    uint64_t resp_due = now_ms + c->cfg.delay_ms;
    if (!mute) {
        struct smpp_pdu r;
        smpp_pdu_init(&r, SMPP_SUBMIT_SM_RESP, in->hdr.sequence_number);
        r.hdr.command_status = status;
        memcpy(r.body.sm_resp.message_id, id, sizeof(id));
        if (c->cfg.delay_ms == 0) {
            sim_send_pdu(c, s, &r);
        } else {
            struct sim_pending *p = sim_pending_new(P_RESP, W_NONE, s);
            if (p) {
                p->pdu = r;
                sim_schedule(c, p, resp_due);
            }
        }
    }
    if (ok) {
        unsigned rd = sm->registered_delivery & 0x03u;
        c->dlr_count++;
        bool failed = take(&c->faults.dlr_fail) || every(c->cfg.dlr_fail_every, c->dlr_count);
        if (rd == 1 || (rd == 2 && failed)) {
            struct sim_pending *p = sim_pending_new(P_DELIVER, failed ? W_DLR_FAIL : W_DLR, s);
            if (p) {
                sim_dlr_build(c, sm, num, failed, &p->pdu);
                sim_schedule(c, p, resp_due + c->cfg.dlr_delay_ms);
            }
        }
    }
    bool drop =
        (c->faults.drop_after > 0 && --c->faults.drop_after == 0) || every(c->cfg.drop_every, n);
    if (drop) {
        struct sim_pending *p = sim_pending_new(P_DROP, W_NONE, NULL);
        if (p) {
            memset(&p->pdu.hdr, 0, sizeof(p->pdu.hdr));
            sim_schedule(c, p, resp_due);
        }
        if (c->cfg.delay_ms == 0)
            sim_core_run_due(c, now_ms);
    }
}

void
sim_session_handle(struct sim_core *c, struct sim_session *s, const struct smpp_pdu *in,
                   uint64_t now_ms)
{
    if (s->state == SIM_CLOSING)
        return;
    uint32_t seq = in->hdr.sequence_number;
    switch (in->hdr.command_id) {
    case SMPP_BIND_TRANSMITTER:
    case SMPP_BIND_RECEIVER:
    case SMPP_BIND_TRANSCEIVER:
        handle_bind(c, s, in);
        break;
    case SMPP_SUBMIT_SM:
        handle_submit(c, s, in, now_ms);
        break;
    case SMPP_ENQUIRE_LINK:
        c->stats.enquire_links++;
        sim_send_status(c, s, SMPP_ENQUIRE_LINK_RESP, seq, SMPP_ESME_ROK);
        break;
    case SMPP_UNBIND:
        c->stats.unbinds++;
        sim_print(c, false, "%s: unbind", s->peer);
        if (sim_send_pdu(c, s,
                         &(struct smpp_pdu){
                             .hdr = {.command_id = SMPP_UNBIND_RESP, .sequence_number = seq}}) == 0)
            sim_session_close(c, s, "unbound");
        break;
    case SMPP_DELIVER_SM_RESP:
        sim_deliver_resp(c, s, in, now_ms);
        break;
    case SMPP_GENERIC_NACK:
        c->stats.generic_nacks_received++;
        free(sim_unacked_take(s, seq));
        sim_print(c, false, "%s: generic_nack #%u %s", s->peer, seq,
                  smpp_status_name(in->hdr.command_status));
        break;
    default:
        if (in->hdr.command_id & SMPP_RESP_BIT)
            break; /* enquire_link_resp, unbind_resp and other answers need nothing */
        /* deliver_sm, outbind and anything else an ESME has no business sending */
        c->stats.generic_nacks_sent++;
        sim_send_status(c, s, SMPP_GENERIC_NACK, seq, SMPP_ESME_RINVCMDID);
        break;
    }
}

int
sim_session_input(struct sim_core *c, struct sim_session *s, const uint8_t *buf, size_t len,
                  uint64_t now_ms, size_t *used)
{
    size_t off = 0;
    *used = 0;
    while (s->state != SIM_CLOSING) {
        uint32_t plen = 0;
        int rc = smpp_frame_length(buf + off, len - off, SIM_PDU_MAX, &plen);
        if (rc != 0) {
            c->stats.malformed++;
            gy_warn("[smsc-sim] %s: command_length out of bounds; closing the connection", s->peer);
            sim_session_close(c, s, "bad command_length");
            break;
        }
        if (plen == 0 || len - off < plen)
            break;
        struct smpp_pdu pdu;
        char err[128] = "";
        rc = smpp_pdu_decode(buf + off, plen, &pdu, err, sizeof(err));
        off += plen;
        if (rc == GY_ENOTFOUND) {
            if (!(pdu.hdr.command_id & SMPP_RESP_BIT)) {
                c->stats.generic_nacks_sent++;
                sim_send_status(c, s, SMPP_GENERIC_NACK, pdu.hdr.sequence_number,
                                SMPP_ESME_RINVCMDID);
            }
            continue;
        }
        if (rc != 0) {
            c->stats.malformed++;
            gy_warn("[smsc-sim] %s: malformed %s (%s: %s); closing the connection", s->peer,
                    smpp_command_name(pdu.hdr.command_id), gy_strerror(rc), err);
            sim_session_close(c, s, "malformed PDU");
            break;
        }
        sim_session_handle(c, s, &pdu, now_ms);
    }
    if (s->state == SIM_CLOSING) {
        *used = len;
        return GY_ESTATE;
    }
    *used = off;
    return 0;
}
