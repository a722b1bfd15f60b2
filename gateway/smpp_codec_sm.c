/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smpp_codec_sm: the fast path of the two hot request PDUs, submit_sm and deliver_sm. Decode
 * is the walk of smpp_codec_walk.c alone, which reads the bytes into struct smpp_sm in one
 * bounded pass (no scratch copy); encode checks ours as the libsmpp34 path does and writes the
 * octets smpp34_pack() would write. No library call and no text dump (libsmpp34 formats every
 * field with snprintf on each call, about 10 % of the daemon's CPU); the library path in
 * smpp_codec.c stays the reference for tests. No I/O, no state, no logging. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/gy_err.h"
#include "gateway/smpp_codec_int.h"

/* ---- decode ---------------------------------------------------------------------------- */

int
codec_sm_decode_fast(const uint8_t *buf, size_t len, struct smpp_pdu *out, char *err, size_t errlen)
{
    if (buf == NULL || out == NULL || len < SMPP_HEADER_LEN || !codec_is_sm(codec_rd32(buf + 4)))
        return codec_sm_decode_l34(buf, len, out, err, errlen);
    memset(out, 0, sizeof *out);
    struct codec_walked wd;
    return codec_walk_pdu(buf, len, out, &wd, NULL, err, errlen); /* no scratch: the walk alone */
}

/* ---- encode ---------------------------------------------------------------------------- */

/* Length of a C string inside its array, or GY_EINVAL when it has no NUL there. */
static int
str_len(const char *s, size_t size, const char *cmd, const char *field, size_t *n, char *err,
        size_t errlen)
{
    *n = strnlen(s, size);
    if (*n == size)
        return codec_fail(err, errlen, GY_EINVAL, "%s: %s: not NUL-terminated", cmd, field);
    return 0;
}

/* Octets of the value of each typed TLV on the wire (index as codec_sm_tlvs); receipted_message_id
 * and message_payload vary and are filled in by the caller. */
static const uint16_t tlv_wire_len[CODEC_SM_TLV_COUNT] = {0, 2, 2, 1, 1, 3, 0, 1, 1, 2};

static uint8_t *
put_cstr(uint8_t *w, const char *s, size_t n)
{
    memcpy(w, s, n);
    w[n] = 0;
    return w + n + 1;
}

static uint8_t *
put_tlv_head(uint8_t *w, uint16_t tag, uint16_t len)
{
    w[0] = (uint8_t)(tag >> 8);
    w[1] = (uint8_t)tag;
    w[2] = (uint8_t)(len >> 8);
    w[3] = (uint8_t)len;
    return w + 4;
}

/* Writes the typed TLVs of t in ascending tag order; lens[] holds each value's length. */
static uint8_t *
put_tlvs(uint8_t *w, const struct smpp_tlvs *t, const uint16_t *lens)
{
    for (size_t i = 0; i < CODEC_SM_TLV_COUNT; i++) {
        const struct codec_tlv_spec *sp = &codec_sm_tlvs[i];
        if ((t->present & sp->bit) == 0)
            continue;
        w = put_tlv_head(w, sp->tag, lens[i]);
        switch (sp->tag) {
        case SMPP_TAG_RECEIPTED_MESSAGE_ID: /* with its NUL */
            memcpy(w, t->receipted_message_id, lens[i]);
            break;
        case SMPP_TAG_USER_MESSAGE_REFERENCE:
            w[0] = (uint8_t)(t->user_message_reference >> 8);
            w[1] = (uint8_t)t->user_message_reference;
            break;
        case SMPP_TAG_SAR_MSG_REF_NUM:
            w[0] = (uint8_t)(t->sar_msg_ref_num >> 8);
            w[1] = (uint8_t)t->sar_msg_ref_num;
            break;
        case SMPP_TAG_SAR_TOTAL_SEGMENTS:
            w[0] = t->sar_total_segments;
            break;
        case SMPP_TAG_SAR_SEGMENT_SEQNUM:
            w[0] = t->sar_segment_seqnum;
            break;
        case SMPP_TAG_NETWORK_ERROR_CODE:
            memcpy(w, t->network_error_code, 3);
            break;
        case SMPP_TAG_MESSAGE_PAYLOAD:
            memcpy(w, t->message_payload, lens[i]);
            break;
        case SMPP_TAG_MESSAGE_STATE:
            w[0] = t->message_state;
            break;
        case SMPP_TAG_USSD_SERVICE_OP:
            w[0] = t->ussd_service_op;
            break;
        case SMPP_TAG_ITS_SESSION_INFO:
            w[0] = (uint8_t)(t->its_session_info >> 8);
            w[1] = (uint8_t)t->its_session_info;
            break;
        default:
            break;
        }
        w += lens[i];
    }
    return w;
}

int
codec_sm_encode_fast(const struct smpp_pdu *pdu, uint8_t *buf, size_t cap, size_t *out_len,
                     char *err, size_t errlen)
{
    if (pdu == NULL || buf == NULL || out_len == NULL || !codec_is_sm(pdu->hdr.command_id))
        return codec_sm_encode_l34(pdu, buf, cap, out_len, err, errlen);
    *out_len = 0;
    uint32_t id = pdu->hdr.command_id;
    bool deliver = id == SMPP_DELIVER_SM;
    const char *cmd = deliver ? "deliver_sm" : "submit_sm";
    if (pdu->hdr.command_status != 0)
        return codec_fail(err, errlen, GY_EINVAL, "%s: a request carries command_status 0", cmd);
    if (pdu->hdr.sequence_number == 0)
        return codec_fail(err, errlen, GY_EINVAL, "%s: sequence_number 0", cmd);

    /* the checks of the library path, in its order */
    const struct smpp_sm *o = &pdu->body.sm;
    const struct smpp_tlvs *t = &o->tlv;
    int rc = codec_sm_check(o, deliver, cmd, err, errlen);
    if (rc != 0)
        return rc;
    size_t n_st, n_src, n_dst, n_sched, n_valid;
    if ((rc = str_len(o->service_type, sizeof o->service_type, cmd, "service_type", &n_st, err,
                      errlen)) ||
        (rc = str_len(o->source_addr, sizeof o->source_addr, cmd, "source_addr", &n_src, err,
                      errlen)) ||
        (rc = str_len(o->destination_addr, sizeof o->destination_addr, cmd, "destination_addr",
                      &n_dst, err, errlen)) ||
        (rc = str_len(o->schedule_delivery_time, sizeof o->schedule_delivery_time, cmd,
                      "schedule_delivery_time", &n_sched, err, errlen)) ||
        (rc = str_len(o->validity_period, sizeof o->validity_period, cmd, "validity_period",
                      &n_valid, err, errlen)))
        return rc;
    if ((t->present & SMPP_TLV_MESSAGE_PAYLOAD) && t->message_payload_len > SMPP_PAYLOAD_MAX)
        return codec_fail(err, errlen, GY_ETOOBIG, "%s: message_payload of %u octets, at most %u",
                          cmd, t->message_payload_len, SMPP_PAYLOAD_MAX);
    size_t rlen = strnlen(t->receipted_message_id, sizeof t->receipted_message_id);
    if ((t->present & SMPP_TLV_RECEIPTED_MESSAGE_ID) && rlen == sizeof t->receipted_message_id)
        return codec_fail(err, errlen, GY_EINVAL, "%s: receipted_message_id: not NUL-terminated",
                          cmd);

    uint16_t lens[CODEC_SM_TLV_COUNT];
    memcpy(lens, tlv_wire_len, sizeof lens);
    lens[0] = (uint16_t)(rlen + 1);
    lens[6] = t->message_payload_len;
    size_t total =
        SMPP_HEADER_LEN + n_st + n_src + n_dst + n_sched + n_valid + 5 + 12 + o->sm_length;
    for (size_t i = 0; i < CODEC_SM_TLV_COUNT; i++)
        if (t->present & codec_sm_tlvs[i].bit)
            total += 4u + lens[i];
    if (total > cap)
        return codec_fail(err, errlen, GY_ETOOBIG, "%s: %zu octets, buffer of %zu", cmd, total,
                          cap);

    codec_wr_header(buf, (uint32_t)total, id, 0, pdu->hdr.sequence_number);
    uint8_t *w = buf + SMPP_HEADER_LEN;
    w = put_cstr(w, o->service_type, n_st);
    *w++ = o->source_addr_ton;
    *w++ = o->source_addr_npi;
    w = put_cstr(w, o->source_addr, n_src);
    *w++ = o->dest_addr_ton;
    *w++ = o->dest_addr_npi;
    w = put_cstr(w, o->destination_addr, n_dst);
    *w++ = o->esm_class;
    *w++ = o->protocol_id;
    *w++ = o->priority_flag;
    w = put_cstr(w, o->schedule_delivery_time, n_sched);
    w = put_cstr(w, o->validity_period, n_valid);
    *w++ = o->registered_delivery;
    *w++ = o->replace_if_present_flag;
    *w++ = o->data_coding;
    *w++ = o->sm_default_msg_id;
    *w++ = o->sm_length;
    memcpy(w, o->short_message, o->sm_length);
    w += o->sm_length;
    w = put_tlvs(w, t, lens);
    *out_len = (size_t)(w - buf);
    return 0;
}
