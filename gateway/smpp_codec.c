/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smpp_codec: the only file of gongyou that includes libsmpp34, and the public entry points.
 * The library path: decode hands the scratch PDU built by the walk (smpp_codec_walk.c) to one
 * smpp34_unpack() and copies the libsmpp34 structs into ours (for submit_sm/deliver_sm in place
 * of what the walk read, so the tests compare two readings); encode checks ours, converts them
 * and makes one smpp34_pack(). It serves binds, unbind, enquire_link, outbind and generic_nack,
 * and stays callable for submit_sm/deliver_sm as the reference (codec_sm_*_l34); the public
 * smpp_pdu_decode()/smpp_pdu_encode() take the fast path of smpp_codec_sm.c for those two,
 * because libsmpp34 formats a text dump of every field on every call (see smpp_codec_int.h).
 * No byte walking here, no I/O, no state, no logging. */
#include "gateway/smpp_codec.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <smpp34.h>
#include <smpp34_structs.h>
#include <smpp34_params.h>

#include "base/gy_err.h"
#include "gateway/smpp_codec_int.h"

/* One libsmpp34 struct of any handled type, zeroed before each use. */
union l34 {
    generic_nack_t gn;
    bind_transceiver_t bind;           /* same layout as bind_transmitter_t and bind_receiver_t */
    bind_transceiver_resp_t bind_resp; /* same layout as the other two bind responses */
    outbind_t ob;
    unbind_t ub;
    unbind_resp_t ubr;
    submit_sm_t ss;
    deliver_sm_t ds;
    enquire_link_t el;
    enquire_link_resp_t elr;
};

/* ---- errors ---------------------------------------------------------------------------- */

/* Turns smpp34_strerror (a dump of every field, values included) into "field: reason" so
 * no number or text of the PDU leaks into our error text. */
static int
fail_l34(char *err, size_t errlen, int code, const char *what, const char *cmd)
{
    const char *last = strrchr(smpp34_strerror, '[');
    char field[40] = "?";
    char reason[64] = "?";
    if (last != NULL) {
        size_t n = strcspn(last + 1, ":]");
        if (n >= sizeof field)
            n = sizeof field - 1;
        memcpy(field, last + 1, n);
        field[n] = '\0';
        const char *open = strrchr(last, '(');
        if (open != NULL) {
            size_t m = strcspn(open + 1, ")");
            if (m >= sizeof reason)
                m = sizeof reason - 1;
            memcpy(reason, open + 1, m);
            reason[m] = '\0';
        }
    }
    return codec_fail(err, errlen, code, "%s: libsmpp34 %s failed (errno %d) at %s: %s", cmd, what,
                      smpp34_errno, field, reason);
}

/* ---- helpers --------------------------------------------------------------------------- */

/* Copies a libsmpp34 C string (NUL inside its array, guaranteed by our walk or by its
 * unpack) into one of ours of the same or larger size. */
static void
str_copy(char *dst, size_t dstsize, const uint8_t *src, size_t srcsize)
{
    size_t n = strnlen((const char *)src, srcsize);
    if (n >= dstsize)
        n = dstsize - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* ---- decode: from libsmpp34 structs to ours -------------------------------------------- */

static void
sm_tlvs_from_l34(struct smpp_tlvs *o, const tlv_t *list)
{
    const tlv_t *t;
    smpp34_tlv_for_each(t, list)
    {
        switch (t->tag) {
        case SMPP_TAG_RECEIPTED_MESSAGE_ID:
            str_copy(o->receipted_message_id, sizeof o->receipted_message_id, t->value.octet,
                     t->length);
            o->present |= SMPP_TLV_RECEIPTED_MESSAGE_ID;
            break;
        case SMPP_TAG_USER_MESSAGE_REFERENCE:
            o->user_message_reference = t->value.val16;
            o->present |= SMPP_TLV_USER_MESSAGE_REFERENCE;
            break;
        case SMPP_TAG_SAR_MSG_REF_NUM:
            o->sar_msg_ref_num = t->value.val16;
            o->present |= SMPP_TLV_SAR_MSG_REF_NUM;
            break;
        case SMPP_TAG_SAR_TOTAL_SEGMENTS:
            o->sar_total_segments = t->value.val08;
            o->present |= SMPP_TLV_SAR_TOTAL_SEGMENTS;
            break;
        case SMPP_TAG_SAR_SEGMENT_SEQNUM:
            o->sar_segment_seqnum = t->value.val08;
            o->present |= SMPP_TLV_SAR_SEGMENT_SEQNUM;
            break;
        case SMPP_TAG_NETWORK_ERROR_CODE:
            memcpy(o->network_error_code, t->value.octet, sizeof o->network_error_code);
            o->present |= SMPP_TLV_NETWORK_ERROR_CODE;
            break;
        case SMPP_TAG_MESSAGE_PAYLOAD:
            o->message_payload_len = t->length;
            memcpy(o->message_payload, t->value.octet, t->length);
            o->present |= SMPP_TLV_MESSAGE_PAYLOAD;
            break;
        case SMPP_TAG_MESSAGE_STATE: /* val08 or octet[0]: the same octet of the union */
            o->message_state = t->value.val08;
            o->present |= SMPP_TLV_MESSAGE_STATE;
            break;
        case SMPP_TAG_USSD_SERVICE_OP:
            o->ussd_service_op = t->value.octet[0];
            o->present |= SMPP_TLV_USSD_SERVICE_OP;
            break;
        case SMPP_TAG_ITS_SESSION_INFO:
            o->its_session_info = t->value.val16;
            o->present |= SMPP_TLV_ITS_SESSION_INFO;
            break;
        default: /* the walk let no other tag through */
            break;
        }
    }
}

#define COPY_STR(dst, src) str_copy((dst), sizeof(dst), (src), sizeof(src))

static void
sm_from_l34(struct smpp_sm *o, const union l34 *u, bool deliver, const struct codec_walked *wd)
{
    /* submit_sm_t and deliver_sm_t differ only in the sizes of the two time fields */
#define SM_FIELDS(src)                                                                             \
    do {                                                                                           \
        COPY_STR(o->service_type, (src).service_type);                                             \
        COPY_STR(o->source_addr, (src).source_addr);                                               \
        COPY_STR(o->destination_addr, (src).destination_addr);                                     \
        o->esm_class = (src).esm_class;                                                            \
        o->protocol_id = (src).protocol_id;                                                        \
        o->priority_flag = (src).priority_flag;                                                    \
        COPY_STR(o->schedule_delivery_time, (src).schedule_delivery_time);                         \
        COPY_STR(o->validity_period, (src).validity_period);                                       \
        o->registered_delivery = (src).registered_delivery;                                        \
        o->replace_if_present_flag = (src).replace_if_present_flag;                                \
        o->data_coding = (src).data_coding;                                                        \
        o->sm_default_msg_id = (src).sm_default_msg_id;                                            \
        o->sm_length = (src).sm_length;                                                            \
        memcpy(o->short_message, (src).short_message, (src).sm_length);                            \
        sm_tlvs_from_l34(&o->tlv, (src).tlv);                                                      \
    } while (0)
    if (deliver)
        SM_FIELDS(u->ds);
    else
        SM_FIELDS(u->ss);
#undef SM_FIELDS
    o->source_addr_ton = wd->orig[0];
    o->source_addr_npi = wd->orig[1];
    o->dest_addr_ton = wd->orig[2];
    o->dest_addr_npi = wd->orig[3];
}

static void
destroy_l34_tlvs(uint32_t id, union l34 *u)
{
    if (id == SMPP_SUBMIT_SM) {
        destroy_tlv(u->ss.tlv);
        u->ss.tlv = NULL;
    } else if (id == SMPP_DELIVER_SM) {
        destroy_tlv(u->ds.tlv);
        u->ds.tlv = NULL;
    } else if (codec_is_bind_resp(id)) {
        destroy_tlv(u->bind_resp.tlv);
        u->bind_resp.tlv = NULL;
    }
}

static void
body_from_l34(struct smpp_pdu *out, const union l34 *u, const struct codec_walked *wd)
{
    uint32_t id = out->hdr.command_id;
    if (codec_is_bind(id)) {
        struct smpp_bind *b = &out->body.bind;
        COPY_STR(b->system_id, u->bind.system_id);
        COPY_STR(b->password, u->bind.password);
        COPY_STR(b->system_type, u->bind.system_type);
        COPY_STR(b->address_range, u->bind.address_range);
        b->interface_version = wd->orig[0];
        b->addr_ton = wd->orig[1];
        b->addr_npi = wd->orig[2];
    } else if (codec_is_bind_resp(id)) {
        struct smpp_bind_resp *r = &out->body.bind_resp;
        COPY_STR(r->system_id, u->bind_resp.system_id);
        const tlv_t *t;
        smpp34_tlv_for_each(t, u->bind_resp.tlv)
        {
            if (t->tag == SMPP_TAG_SC_INTERFACE_VERSION) {
                r->has_sc_interface_version = true;
                r->sc_interface_version = t->value.val08;
            }
        }
    } else if (id == SMPP_OUTBIND) {
        COPY_STR(out->body.outbind.system_id, u->ob.system_id);
        COPY_STR(out->body.outbind.password, u->ob.password);
    } else if (codec_is_sm(id)) {
        sm_from_l34(&out->body.sm, u, id == SMPP_DELIVER_SM, wd);
    }
    /* submit_sm_resp and deliver_sm_resp never get here: smpp_pdu_decode() reads them. */
}

/* ---- decode ---------------------------------------------------------------------------- */

int
smpp_pdu_decode(const uint8_t *buf, size_t len, struct smpp_pdu *out, char *err, size_t errlen)
{
    return codec_sm_decode_fast(buf, len, out, err, errlen);
}

int
codec_sm_decode_l34(const uint8_t *buf, size_t len, struct smpp_pdu *out, char *err, size_t errlen)
{
    if (buf == NULL || out == NULL)
        return codec_fail(err, errlen, GY_EINVAL, "smpp_pdu_decode: NULL argument");
    memset(out, 0, sizeof *out);
    struct codec_walked wd;
    struct codec_scratch s;
    int rc = codec_walk_pdu(buf, len, out, &wd, &s, err, errlen);
    if (rc != 0)
        return rc;

    uint32_t id = out->hdr.command_id;
    if (id == SMPP_SUBMIT_SM_RESP || id == SMPP_DELIVER_SM_RESP) {
        /* A header and one C string the walk has bounded (the hot path of every submit and
         * every answered deliver_sm): no library call, no text dump. */
        if (id == SMPP_SUBMIT_SM_RESP && s.len > SMPP_HEADER_LEN)
            str_copy(out->body.sm_resp.message_id, sizeof out->body.sm_resp.message_id,
                     s.b + SMPP_HEADER_LEN, s.len - SMPP_HEADER_LEN);
        else if (id == SMPP_DELIVER_SM_RESP && wd.dsr_message_id != NULL)
            str_copy(out->body.sm_resp.message_id, sizeof out->body.sm_resp.message_id,
                     (const uint8_t *)wd.dsr_message_id, SMPP_MESSAGE_ID_SIZE);
        return 0;
    }
    /* the reference reading of submit_sm/deliver_sm is libsmpp34's, of the scratch copy: what
     * the walk read from the input into out->body.sm is dropped */
    if (codec_is_sm(id))
        memset(&out->body, 0, sizeof out->body);
    union l34 u;
    memset(&u, 0, sizeof u);
    rc = smpp34_unpack(id, &u, s.b, (int)s.len);
    if (rc != 0) {
        destroy_l34_tlvs(id, &u);
        return fail_l34(err, errlen, GY_EPARSE, "unpack", smpp_command_name(id));
    }
    body_from_l34(out, &u, &wd);
    destroy_l34_tlvs(id, &u);
    return 0;
}

/* ---- encode ---------------------------------------------------------------------------- */

/* Copies one of our C strings into a libsmpp34 array after checking it fits. */
static int
put_str(uint8_t *dst, size_t dstsize, const char *src, size_t srcsize, const char *cmd,
        const char *field, char *err, size_t errlen)
{
    size_t n = strnlen(src, srcsize);
    if (n == srcsize)
        return codec_fail(err, errlen, GY_EINVAL, "%s: %s: not NUL-terminated", cmd, field);
    if (n >= dstsize)
        return codec_fail(err, errlen, GY_EINVAL, "%s: %s: longer than %zu octets", cmd, field,
                          dstsize - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
    return 0;
}

#define PUT_STR(dst, src, field)                                                                   \
    put_str((dst), sizeof(dst), (src), sizeof(src), cmd, field, err, errlen)

/* Prepends one TLV to *list (libsmpp34 build_tlv copies it). */
static int
add_tlv(tlv_t **list, uint16_t tag, uint16_t len, const void *octets, uint32_t num)
{
    tlv_t t;
    memset(&t, 0, sizeof t);
    t.tag = tag;
    t.length = len;
    if (octets != NULL)
        memcpy(t.value.octet, octets, len);
    else if (len == 1)
        t.value.val08 = (uint8_t)num;
    else
        t.value.val16 = (uint16_t)num;
    return build_tlv(list, &t) == 0 ? 0 : GY_ENOMEM;
}

/* Builds the TLV list of a submit_sm/deliver_sm in ascending tag order (build_tlv prepends,
 * so the table is walked backwards). */
static int
sm_tlvs_to_l34(const struct smpp_tlvs *o, tlv_t **list, const char *cmd, char *err, size_t errlen)
{
    if ((o->present & SMPP_TLV_MESSAGE_PAYLOAD) && o->message_payload_len > SMPP_PAYLOAD_MAX)
        return codec_fail(err, errlen, GY_ETOOBIG, "%s: message_payload of %u octets, at most %u",
                          cmd, o->message_payload_len, SMPP_PAYLOAD_MAX);
    size_t rlen = strnlen(o->receipted_message_id, sizeof o->receipted_message_id);
    if ((o->present & SMPP_TLV_RECEIPTED_MESSAGE_ID) && rlen == sizeof o->receipted_message_id)
        return codec_fail(err, errlen, GY_EINVAL, "%s: receipted_message_id: not NUL-terminated",
                          cmd);
    for (size_t i = CODEC_SM_TLV_COUNT; i-- > 0;) {
        const struct codec_tlv_spec *sp = &codec_sm_tlvs[i];
        if ((o->present & sp->bit) == 0)
            continue;
        int rc = 0;
        switch (sp->tag) {
        case SMPP_TAG_RECEIPTED_MESSAGE_ID:
            rc = add_tlv(list, sp->tag, (uint16_t)(rlen + 1), o->receipted_message_id, 0);
            break;
        case SMPP_TAG_USER_MESSAGE_REFERENCE:
            rc = add_tlv(list, sp->tag, 2, NULL, o->user_message_reference);
            break;
        case SMPP_TAG_SAR_MSG_REF_NUM:
            rc = add_tlv(list, sp->tag, 2, NULL, o->sar_msg_ref_num);
            break;
        case SMPP_TAG_SAR_TOTAL_SEGMENTS:
            rc = add_tlv(list, sp->tag, 1, NULL, o->sar_total_segments);
            break;
        case SMPP_TAG_SAR_SEGMENT_SEQNUM:
            rc = add_tlv(list, sp->tag, 1, NULL, o->sar_segment_seqnum);
            break;
        case SMPP_TAG_NETWORK_ERROR_CODE:
            rc = add_tlv(list, sp->tag, 3, o->network_error_code, 0);
            break;
        case SMPP_TAG_MESSAGE_PAYLOAD:
            rc = add_tlv(list, sp->tag, o->message_payload_len, o->message_payload, 0);
            break;
        case SMPP_TAG_MESSAGE_STATE:
            rc = add_tlv(list, sp->tag, 1, NULL, o->message_state);
            break;
        case SMPP_TAG_USSD_SERVICE_OP:
            rc = add_tlv(list, sp->tag, 1, &o->ussd_service_op, 0);
            break;
        case SMPP_TAG_ITS_SESSION_INFO:
            rc = add_tlv(list, sp->tag, 2, NULL, o->its_session_info);
            break;
        default:
            break;
        }
        if (rc != 0)
            return codec_fail(err, errlen, rc, "%s: out of memory building TLVs", cmd);
    }
    return 0;
}

static int
sm_to_l34(const struct smpp_sm *o, union l34 *u, bool deliver, const char *cmd, char *err,
          size_t errlen)
{
    int rc = codec_sm_check(o, deliver, cmd, err, errlen);
    if (rc != 0)
        return rc;
#define SM_FIELDS(dst)                                                                             \
    do {                                                                                           \
        if ((rc = PUT_STR((dst).service_type, o->service_type, "service_type")) ||                 \
            (rc = PUT_STR((dst).source_addr, o->source_addr, "source_addr")) ||                    \
            (rc = PUT_STR((dst).destination_addr, o->destination_addr, "destination_addr")) ||     \
            (rc = PUT_STR((dst).schedule_delivery_time, o->schedule_delivery_time,                 \
                          "schedule_delivery_time")) ||                                            \
            (rc = PUT_STR((dst).validity_period, o->validity_period, "validity_period")))          \
            return rc;                                                                             \
        (dst).source_addr_ton = o->source_addr_ton;                                                \
        (dst).source_addr_npi = o->source_addr_npi;                                                \
        (dst).dest_addr_ton = o->dest_addr_ton;                                                    \
        (dst).dest_addr_npi = o->dest_addr_npi;                                                    \
        (dst).esm_class = o->esm_class;                                                            \
        (dst).protocol_id = o->protocol_id;                                                        \
        (dst).priority_flag = o->priority_flag;                                                    \
        (dst).registered_delivery = o->registered_delivery;                                        \
        (dst).replace_if_present_flag = o->replace_if_present_flag;                                \
        (dst).data_coding = o->data_coding;                                                        \
        (dst).sm_default_msg_id = o->sm_default_msg_id;                                            \
        (dst).sm_length = o->sm_length;                                                            \
        memcpy((dst).short_message, o->short_message, o->sm_length);                               \
        rc = sm_tlvs_to_l34(&o->tlv, &(dst).tlv, cmd, err, errlen);                                \
    } while (0)
    if (deliver)
        SM_FIELDS(u->ds);
    else
        SM_FIELDS(u->ss);
#undef SM_FIELDS
    return rc;
}

static int
body_to_l34(const struct smpp_pdu *pdu, union l34 *u, const char *cmd, char *err, size_t errlen)
{
    uint32_t id = pdu->hdr.command_id;
    int rc = 0;
    if (codec_is_bind(id)) {
        const struct smpp_bind *b = &pdu->body.bind;
        if (b->interface_version != SMPP_VERSION_34)
            return codec_fail(err, errlen, GY_EINVAL, "%s: interface_version 0x%02x, not 0x34", cmd,
                              b->interface_version);
        if ((rc = codec_check_addr(b->addr_ton, b->addr_npi, cmd, "addr", err, errlen)) ||
            (rc = PUT_STR(u->bind.system_id, b->system_id, "system_id")) ||
            (rc = PUT_STR(u->bind.password, b->password, "password")) ||
            (rc = PUT_STR(u->bind.system_type, b->system_type, "system_type")) ||
            (rc = PUT_STR(u->bind.address_range, b->address_range, "address_range")))
            return rc;
        u->bind.interface_version = b->interface_version;
        u->bind.addr_ton = b->addr_ton;
        u->bind.addr_npi = b->addr_npi;
    } else if (codec_is_bind_resp(id)) {
        const struct smpp_bind_resp *r = &pdu->body.bind_resp;
        if ((rc = PUT_STR(u->bind_resp.system_id, r->system_id, "system_id")))
            return rc;
        if (r->has_sc_interface_version && add_tlv(&u->bind_resp.tlv, SMPP_TAG_SC_INTERFACE_VERSION,
                                                   1, NULL, r->sc_interface_version) != 0)
            return codec_fail(err, errlen, GY_ENOMEM, "%s: out of memory building TLVs", cmd);
    } else if (id == SMPP_OUTBIND) {
        if ((rc = PUT_STR(u->ob.system_id, pdu->body.outbind.system_id, "system_id")) ||
            (rc = PUT_STR(u->ob.password, pdu->body.outbind.password, "password")))
            return rc;
    } else if (codec_is_sm(id)) {
        rc = sm_to_l34(&pdu->body.sm, u, id == SMPP_DELIVER_SM, cmd, err, errlen);
    }
    /* submit_sm_resp and deliver_sm_resp are written by smpp_pdu_encode() itself. */
    return rc;
}

int
smpp_pdu_encode(const struct smpp_pdu *pdu, uint8_t *buf, size_t cap, size_t *out_len, char *err,
                size_t errlen)
{
    return codec_sm_encode_fast(pdu, buf, cap, out_len, err, errlen);
}

int
codec_sm_encode_l34(const struct smpp_pdu *pdu, uint8_t *buf, size_t cap, size_t *out_len,
                    char *err, size_t errlen)
{
    if (pdu == NULL || buf == NULL || out_len == NULL)
        return codec_fail(err, errlen, GY_EINVAL, "smpp_pdu_encode: NULL argument");
    *out_len = 0;
    uint32_t id = pdu->hdr.command_id;
    if (!codec_is_handled(id))
        return codec_fail(err, errlen, GY_ENOTFOUND, "command_id 0x%08x not handled", id);
    const char *cmd = smpp_command_name(id);
    bool resp = (id & SMPP_RESP_BIT) != 0;

    if (id == SMPP_GENERIC_NACK || (resp && pdu->hdr.command_status != 0)) {
        /* header only; libsmpp34 would refuse unknown statuses and sequence number 0 */
        if (cap < SMPP_HEADER_LEN)
            return codec_fail(err, errlen, GY_ETOOBIG, "%s: buffer of %zu octets too small", cmd,
                              cap);
        codec_wr_header(buf, SMPP_HEADER_LEN, id, pdu->hdr.command_status,
                        pdu->hdr.sequence_number);
        *out_len = SMPP_HEADER_LEN;
        return 0;
    }
    if (!resp && pdu->hdr.command_status != 0)
        return codec_fail(err, errlen, GY_EINVAL, "%s: a request carries command_status 0", cmd);
    if (pdu->hdr.sequence_number == 0)
        return codec_fail(err, errlen, GY_EINVAL, "%s: sequence_number 0", cmd);

    if (id == SMPP_SUBMIT_SM_RESP || id == SMPP_DELIVER_SM_RESP) {
        /* Header and message_id: written here, as libsmpp34 would (the hot path). */
        const char *mid = pdu->body.sm_resp.message_id;
        size_t n = strnlen(mid, sizeof pdu->body.sm_resp.message_id);
        if (n == sizeof pdu->body.sm_resp.message_id)
            return codec_fail(err, errlen, GY_EINVAL, "%s: message_id: not NUL-terminated", cmd);
        if (id == SMPP_DELIVER_SM_RESP && n != 0)
            return codec_fail(err, errlen, GY_EINVAL, "deliver_sm_resp: message_id must be empty");
        size_t total = SMPP_HEADER_LEN + n + 1;
        if (total > cap)
            return codec_fail(err, errlen, GY_ETOOBIG, "%s: %zu octets, buffer of %zu", cmd, total,
                              cap);
        codec_wr_header(buf, (uint32_t)total, id, 0, pdu->hdr.sequence_number);
        memcpy(buf + SMPP_HEADER_LEN, mid, n + 1);
        *out_len = total;
        return 0;
    }
    union l34 u;
    memset(&u, 0, sizeof u);
    u.gn.command_id = id;
    u.gn.command_status = 0;
    u.gn.sequence_number = pdu->hdr.sequence_number;
    int rc = body_to_l34(pdu, &u, cmd, err, errlen);
    if (rc != 0) {
        destroy_l34_tlvs(id, &u);
        return rc;
    }
    uint8_t s[CODEC_SCRATCH_SIZE];
    int plen = 0;
    rc = smpp34_pack(id, s, (int)sizeof s, &plen, &u);
    destroy_l34_tlvs(id, &u);
    if (rc != 0)
        return fail_l34(err, errlen, GY_EINVAL, "pack", cmd);
    if ((size_t)plen > cap)
        return codec_fail(err, errlen, GY_ETOOBIG, "%s: %d octets, buffer of %zu", cmd, plen, cap);
    memcpy(buf, s, (size_t)plen);
    *out_len = (size_t)plen;
    return 0;
}

/* ---- small helpers --------------------------------------------------------------------- */

void
smpp_pdu_init(struct smpp_pdu *pdu, uint32_t command_id, uint32_t sequence_number)
{
    if (pdu == NULL)
        return;
    memset(pdu, 0, sizeof *pdu);
    pdu->hdr.command_id = command_id;
    pdu->hdr.sequence_number = sequence_number;
    if (codec_is_bind(command_id))
        pdu->body.bind.interface_version = SMPP_VERSION_34;
}

int
smpp_sm_set_message(struct smpp_sm *sm, const uint8_t *data, size_t len)
{
    if (sm == NULL || (data == NULL && len > 0))
        return GY_EINVAL;
    if (len > SMPP_PAYLOAD_MAX)
        return GY_ETOOBIG;
    if (len <= SMPP_SHORT_MESSAGE_ENCODE_MAX) {
        sm->sm_length = (uint8_t)len;
        if (len > 0)
            memcpy(sm->short_message, data, len);
        sm->tlv.present &= ~(uint32_t)SMPP_TLV_MESSAGE_PAYLOAD;
        sm->tlv.message_payload_len = 0;
    } else {
        sm->sm_length = 0;
        memcpy(sm->tlv.message_payload, data, len);
        sm->tlv.message_payload_len = (uint16_t)len;
        sm->tlv.present |= SMPP_TLV_MESSAGE_PAYLOAD;
    }
    return 0;
}

const uint8_t *
smpp_sm_message(const struct smpp_sm *sm, size_t *len)
{
    if (sm->tlv.present & SMPP_TLV_MESSAGE_PAYLOAD) {
        *len = sm->tlv.message_payload_len;
        return sm->tlv.message_payload;
    }
    *len = sm->sm_length;
    return sm->short_message;
}
