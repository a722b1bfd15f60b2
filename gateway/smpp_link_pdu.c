/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smpp_link_pdu: the byte side of a link session: frames and decodes what arrives (a
 * command_length out of bounds or a PDU that does not unpack resets the link), dispatches
 * each PDU, answers the SMSC's requests at once, and encodes what goes out. */
#include "gateway/smpp_link_int.h"

#include <stdio.h>
#include <string.h>

#include "base/gy_err.h"
#include "base/gy_log.h"
#include "base/gy_str.h"
#include "gateway/smpp_codec.h"

const char *
link_sess_role(const struct link_sess *s)
{
    switch (s->bind_cmd) {
    case SMPP_BIND_TRANSMITTER:
        return "transmitter";
    case SMPP_BIND_RECEIVER:
        return "receiver";
    default:
        return "transceiver";
    }
}

int
link_send(struct link_sess *s, const struct smpp_pdu *pdu)
{
    struct smpp_link *l = s->link;
    uint8_t buf[SMPP_ENCODE_MAX];
    size_t len;
    char err[128];
    if (s->conn == NULL)
        return GY_EIO;
    int r = smpp_pdu_encode(pdu, buf, sizeof buf, &len, err, sizeof err);
    if (r != 0) {
        gy_warn("[%s] cannot encode %s: %s", l->name, smpp_command_name(pdu->hdr.command_id), err);
        return GY_EINVAL;
    }
    if (gy_conn_write(s->conn, buf, len) != 0)
        return GY_EIO;
    l->st.pdu_out[smpp_link_cmd_index(pdu->hdr.command_id)]++;
    return 0;
}

int
link_send_header(struct link_sess *s, uint32_t command_id, uint32_t status, uint32_t seq)
{
    struct smpp_pdu p;
    smpp_pdu_init(&p, command_id, seq);
    p.hdr.command_status = status;
    return link_send(s, &p);
}

int
link_send_bind(struct link_sess *s)
{
    struct smpp_link *l = s->link;
    struct smpp_pdu p;
    s->bind_seq = smpp_window_next_seq(l->win);
    smpp_pdu_init(&p, s->bind_cmd, s->bind_seq);
    gy_strlcpy(p.body.bind.system_id, sizeof p.body.bind.system_id, l->system_id);
    gy_strlcpy(p.body.bind.password, sizeof p.body.bind.password, l->password);
    gy_strlcpy(p.body.bind.system_type, sizeof p.body.bind.system_type, l->system_type);
    gy_strlcpy(p.body.bind.address_range, sizeof p.body.bind.address_range, l->address_range);
    p.body.bind.interface_version = SMPP_VERSION_34;
    int r = link_send(s, &p);
    memset(p.body.bind.password, 0, sizeof p.body.bind.password);
    return r;
}

static bool
is_bind_resp(uint32_t id)
{
    return id == SMPP_BIND_TRANSCEIVER_RESP || id == SMPP_BIND_TRANSMITTER_RESP ||
           id == SMPP_BIND_RECEIVER_RESP;
}

static void
on_bind_resp(struct link_sess *s, const struct smpp_pdu *p)
{
    struct smpp_link *l = s->link;
    if (s->bound || p->hdr.sequence_number != s->bind_seq ||
        (l->state != SMPP_LINK_CONNECTING && l->state != SMPP_LINK_BINDING)) {
        gy_debug("[%s] unexpected %s ignored", l->name, smpp_command_name(p->hdr.command_id));
        return;
    }
    if (p->hdr.command_status != SMPP_ESME_ROK) {
        l->st.bind_refused++;
        gy_warn("[%s] %s bind refused: %s (0x%08X)", l->name, link_sess_role(s),
                smpp_status_name(p->hdr.command_status), p->hdr.command_status);
        link_down(l, SMPP_LINK_BACKOFF);
        return;
    }
    link_session_bound(s);
}

static void
on_submit_resp(struct link_sess *s, const struct smpp_pdu *p, bool nack)
{
    struct smpp_link *l = s->link;
    struct smpp_window_entry e;
    if (smpp_window_take(l->win, p->hdr.sequence_number, &e) != 0) {
        gy_debug("[%s] %s for no outstanding request (seq %u) ignored", l->name,
                 smpp_command_name(p->hdr.command_id), p->hdr.sequence_number);
        return;
    }
    uint32_t st = p->hdr.command_status;
    uint64_t now = gy_loop_now_ms(l->loop);
    if (smpp_throttle_status(st)) {
        l->st.throttled++;
        bool was = smpp_throttle_paused(&l->thr, now);
        uint64_t ms = smpp_throttle_pause(&l->thr, now, e.sent_ms);
        if (!was)
            gy_notice("[%s] %s: pausing submits for %llu ms", l->name, smpp_status_name(st),
                      (unsigned long long)ms);
    } else if (st == SMPP_ESME_ROK) {
        smpp_throttle_success(&l->thr);
    }
    const char *mid = (!nack && st == SMPP_ESME_ROK) ? p->body.sm_resp.message_id : "";
    link_complete(l, &e, nack ? SMPP_DONE_NACK : SMPP_DONE_RESPONSE, st, mid);
}

static void
on_deliver(struct link_sess *s, const struct smpp_pdu *p)
{
    struct smpp_link *l = s->link;
    uint32_t status;
    if (!s->bound || s->bind_cmd == SMPP_BIND_TRANSMITTER) {
        status = SMPP_ESME_RINVBNDSTS;
    } else if (l->cbs.deliver == NULL) {
        status = SMPP_ESME_RX_T_APPN;
    } else {
        unsigned gen = l->gen;
        l->cur_deliver.active = true;
        l->cur_deliver.deferred = false;
        l->cur_deliver.session = (unsigned)(s - l->sess);
        l->cur_deliver.seq = p->hdr.sequence_number;
        status = l->cbs.deliver(l, p, l->arg);
        l->cur_deliver.active = false;
        if (l->gen != gen)
            return; /* the callback stopped the link; the SMSC will deliver again */
        if (l->cur_deliver.deferred)
            return; /* answered later by smpp_link_answer() */
    }
    if (status == SMPP_ESME_ROK)
        l->st.delivers_ok++;
    else
        l->st.delivers_refused++;
    struct smpp_pdu r;
    smpp_pdu_init(&r, SMPP_DELIVER_SM_RESP, p->hdr.sequence_number);
    r.hdr.command_status = status;
    if (link_send(s, &r) != 0)
        link_down(l, SMPP_LINK_BACKOFF);
}

int
smpp_link_defer_answer(struct smpp_link *l, struct smpp_link_answer_token *tok)
{
    if (!l->cur_deliver.active)
        return GY_ESTATE;
    l->cur_deliver.deferred = true;
    tok->gen = l->gen;
    tok->session = l->cur_deliver.session;
    tok->sequence_number = l->cur_deliver.seq;
    return 0;
}

int
smpp_link_answer(struct smpp_link *l, const struct smpp_link_answer_token *tok, uint32_t status)
{
    if (tok->gen != l->gen || tok->session >= l->nsess || l->sess[tok->session].conn == NULL)
        return GY_ESTATE;
    if (status == SMPP_ESME_ROK)
        l->st.delivers_ok++;
    else
        l->st.delivers_refused++;
    if (link_send_header(&l->sess[tok->session], SMPP_DELIVER_SM_RESP, status,
                         tok->sequence_number) != 0) {
        link_down(l, SMPP_LINK_BACKOFF);
        return GY_EIO;
    }
    return 0;
}

static void
on_generic_nack(struct link_sess *s, const struct smpp_pdu *p)
{
    struct smpp_link *l = s->link;
    uint32_t seq = p->hdr.sequence_number;
    gy_info("[%s] generic_nack %s for seq %u", l->name, smpp_status_name(p->hdr.command_status),
            seq);
    if (seq != 0 && seq == s->bind_seq && !s->bound) {
        on_bind_resp(s, p);
    } else if (seq != 0 && seq == s->el_seq) {
        s->el_outstanding = false; /* it answered: alive */
    } else if (seq != 0 && seq == s->unbind_seq && l->state == SMPP_LINK_UNBINDING) {
        link_unbind_done(s);
    } else {
        on_submit_resp(s, p, true);
    }
}

/* One decoded PDU (r == 0) or a decode result the link can answer. */
static void
dispatch(struct link_sess *s, int r, const struct smpp_pdu *p)
{
    struct smpp_link *l = s->link;
    uint32_t id = p->hdr.command_id;
    bool request = (id & SMPP_RESP_BIT) == 0;
    if (r == GY_ENOTFOUND || r == GY_ETOOBIG) {
        if (!request) {
            gy_debug("[%s] %s ignored", l->name, smpp_command_name(id));
            return;
        }
        uint32_t st = r == GY_ETOOBIG ? SMPP_ESME_RINVMSGLEN : SMPP_ESME_RINVCMDID;
        gy_info("[%s] answering command 0x%08X with generic_nack %s", l->name, id,
                smpp_status_name(st));
        if (r == GY_ETOOBIG && id == SMPP_DELIVER_SM) {
            l->st.delivers_refused++;
            r = link_send_header(s, SMPP_DELIVER_SM_RESP, st, p->hdr.sequence_number);
        } else {
            r = link_send_header(s, SMPP_GENERIC_NACK, st, p->hdr.sequence_number);
        }
        if (r != 0)
            link_down(l, SMPP_LINK_BACKOFF);
        return;
    }
    if (is_bind_resp(id)) {
        on_bind_resp(s, p);
        return;
    }
    switch (id) {
    case SMPP_SUBMIT_SM_RESP:
        on_submit_resp(s, p, false);
        break;
    case SMPP_GENERIC_NACK:
        on_generic_nack(s, p);
        break;
    case SMPP_DELIVER_SM:
        on_deliver(s, p);
        break;
    case SMPP_ENQUIRE_LINK:
        if (link_send_header(s, SMPP_ENQUIRE_LINK_RESP, 0, p->hdr.sequence_number) != 0)
            link_down(l, SMPP_LINK_BACKOFF);
        break;
    case SMPP_ENQUIRE_LINK_RESP:
        if (p->hdr.sequence_number == s->el_seq)
            s->el_outstanding = false;
        break;
    case SMPP_UNBIND:
        link_send_header(s, SMPP_UNBIND_RESP, 0, p->hdr.sequence_number);
        if (l->state == SMPP_LINK_UNBINDING) {
            link_unbind_done(s);
        } else {
            gy_notice("[%s] the SMSC unbound the %s", l->name, link_sess_role(s));
            link_down(l, SMPP_LINK_BACKOFF); /* the unbind_resp is flushed on close */
        }
        break;
    case SMPP_UNBIND_RESP:
        if (l->state == SMPP_LINK_UNBINDING && p->hdr.sequence_number == s->unbind_seq)
            link_unbind_done(s);
        break;
    default:
        if (request) {
            gy_info("[%s] answering %s with generic_nack ESME_RINVCMDID", l->name,
                    smpp_command_name(id));
            if (link_send_header(s, SMPP_GENERIC_NACK, SMPP_ESME_RINVCMDID,
                                 p->hdr.sequence_number) != 0)
                link_down(l, SMPP_LINK_BACKOFF);
        } else {
            gy_debug("[%s] unexpected %s ignored", l->name, smpp_command_name(id));
        }
        break;
    }
}

/* Frames, decodes and dispatches every complete PDU in the input. */
static void
read_input(struct link_sess *s)
{
    struct smpp_link *l = s->link;
    struct gy_conn *c = s->conn;
    unsigned gen = l->gen;
    struct smpp_pdu p;
    char err[128];
    for (;;) {
        size_t have;
        const uint8_t *data = gy_conn_data(c, &have);
        uint32_t len;
        int r = smpp_frame_length(data, have, l->o.max_pdu, &len);
        if (r != 0) {
            l->st.resets++;
            gy_warn("[%s] %s: command_length out of bounds (max %u); resetting the link", l->name,
                    link_sess_role(s), l->o.max_pdu);
            link_down(l, SMPP_LINK_BACKOFF);
            return;
        }
        if (len == 0 || have < len)
            break;
        r = smpp_pdu_decode(data, len, &p, err, sizeof err);
        gy_conn_consume(c, len);
        s->last_rx_ms = gy_loop_now_ms(l->loop);
        l->st.pdu_in[smpp_link_cmd_index(p.hdr.command_id)]++;
        if (r == GY_EPARSE || r == GY_ERANGE || r == GY_EINVAL) {
            l->st.resets++;
            gy_warn("[%s] %s: undecodable %s (%s); resetting the link", l->name, link_sess_role(s),
                    smpp_command_name(p.hdr.command_id), err);
            link_down(l, SMPP_LINK_BACKOFF);
            return;
        }
        unsigned before = smpp_window_count(l->win);
        dispatch(s, r, &p);
        if (l->gen != gen || s->conn != c)
            return;
        if (smpp_window_count(l->win) < before) {
            link_after_completion(l); /* unbind when draining, else maybe ready */
            if (l->gen != gen || s->conn != c)
                return;
        }
    }
}

void
link_sess_conn_cb(struct gy_conn *c, enum gy_conn_event ev, int err, void *arg)
{
    (void)c;
    struct link_sess *s = arg;
    struct smpp_link *l = s->link;
    switch (ev) {
    case GY_CONN_CONNECTED:
        s->connected = true;
        if (link_send_bind(s) != 0) {
            link_down(l, SMPP_LINK_BACKOFF);
            return;
        }
        for (unsigned i = 0; i < l->nsess; i++)
            if (!l->sess[i].connected)
                return;
        link_enter_state(l, SMPP_LINK_BINDING);
        return;
    case GY_CONN_DATA:
        read_input(s);
        return;
    case GY_CONN_EOF:
    case GY_CONN_ERROR:
    case GY_CONN_TIMEOUT:
        if (l->state == SMPP_LINK_UNBINDING) {
            link_down(l, SMPP_LINK_DISCONNECTED);
            return;
        }
        gy_warn("[%s] %s: %s%s%s", l->name, link_sess_role(s),
                ev == GY_CONN_EOF       ? "connection closed by the SMSC"
                : ev == GY_CONN_TIMEOUT ? "connection timed out"
                : s->connected          ? "connection error"
                                        : "connect failed",
                err ? ": " : "", err ? gy_strerror(err) : "");
        link_down(l, SMPP_LINK_BACKOFF);
        return;
    }
}
