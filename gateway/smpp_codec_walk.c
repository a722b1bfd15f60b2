/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smpp_codec_walk: the byte side of the SMPP codec: names of commands and statuses, framing,
 * and the bounds-checked walk of every PDU body and its TLVs, which builds the normalised
 * scratch copy before the SMPP library sees a byte (that library trusts its input: strlen()
 * past the end, leaked TLV nodes on errors, fixed-size reads that ignore TLV lengths). The walk
 * is also the one decode of submit_sm/deliver_sm: it reads them into struct smpp_sm as it
 * checks, and the fast path (smpp_codec_sm.c) is the walk without the scratch copy. It must
 * never include the library's headers (smpp_codec.c alone does). No I/O, state or logging. */
#include "gateway/smpp_codec_int.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/gy_err.h"

/* ---- errors ---------------------------------------------------------------------------- */

int
codec_fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
    if (err != NULL && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return code;
}

/* ---- names ----------------------------------------------------------------------------- */

#define SMPP_COMMAND_TABLE(X)                                                                      \
    X(SMPP_GENERIC_NACK, "generic_nack")                                                           \
    X(SMPP_BIND_RECEIVER, "bind_receiver")                                                         \
    X(SMPP_BIND_RECEIVER_RESP, "bind_receiver_resp")                                               \
    X(SMPP_BIND_TRANSMITTER, "bind_transmitter")                                                   \
    X(SMPP_BIND_TRANSMITTER_RESP, "bind_transmitter_resp")                                         \
    X(SMPP_SUBMIT_SM, "submit_sm")                                                                 \
    X(SMPP_SUBMIT_SM_RESP, "submit_sm_resp")                                                       \
    X(SMPP_DELIVER_SM, "deliver_sm")                                                               \
    X(SMPP_DELIVER_SM_RESP, "deliver_sm_resp")                                                     \
    X(SMPP_UNBIND, "unbind")                                                                       \
    X(SMPP_UNBIND_RESP, "unbind_resp")                                                             \
    X(SMPP_BIND_TRANSCEIVER, "bind_transceiver")                                                   \
    X(SMPP_BIND_TRANSCEIVER_RESP, "bind_transceiver_resp")                                         \
    X(SMPP_OUTBIND, "outbind")                                                                     \
    X(SMPP_ENQUIRE_LINK, "enquire_link")                                                           \
    X(SMPP_ENQUIRE_LINK_RESP, "enquire_link_resp")

#define SMPP_STATUS_TABLE(X)                                                                       \
    X(SMPP_ESME_ROK, "ESME_ROK")                                                                   \
    X(SMPP_ESME_RINVMSGLEN, "ESME_RINVMSGLEN")                                                     \
    X(SMPP_ESME_RINVCMDLEN, "ESME_RINVCMDLEN")                                                     \
    X(SMPP_ESME_RINVCMDID, "ESME_RINVCMDID")                                                       \
    X(SMPP_ESME_RINVBNDSTS, "ESME_RINVBNDSTS")                                                     \
    X(SMPP_ESME_RALYBND, "ESME_RALYBND")                                                           \
    X(SMPP_ESME_RSYSERR, "ESME_RSYSERR")                                                           \
    X(0x0Au, "ESME_RINVSRCADR")                                                                    \
    X(0x0Bu, "ESME_RINVDSTADR")                                                                    \
    X(0x0Cu, "ESME_RINVMSGID")                                                                     \
    X(SMPP_ESME_RBINDFAIL, "ESME_RBINDFAIL")                                                       \
    X(SMPP_ESME_RINVPASWD, "ESME_RINVPASWD")                                                       \
    X(SMPP_ESME_RINVSYSID, "ESME_RINVSYSID")                                                       \
    X(SMPP_ESME_RMSGQFUL, "ESME_RMSGQFUL")                                                         \
    X(0x15u, "ESME_RINVSERTYP")                                                                    \
    X(0x45u, "ESME_RSUBMITFAIL")                                                                   \
    X(SMPP_ESME_RTHROTTLED, "ESME_RTHROTTLED")                                                     \
    X(0x61u, "ESME_RINVSCHED")                                                                     \
    X(0x62u, "ESME_RINVEXPIRY")                                                                    \
    X(SMPP_ESME_RX_T_APPN, "ESME_RX_T_APPN")                                                       \
    X(SMPP_ESME_RX_P_APPN, "ESME_RX_P_APPN")                                                       \
    X(0x66u, "ESME_RX_R_APPN")                                                                     \
    X(SMPP_ESME_RINVOPTPARSTREAM, "ESME_RINVOPTPARSTREAM")                                         \
    X(SMPP_ESME_RINVPARLEN, "ESME_RINVPARLEN")                                                     \
    X(0xFEu, "ESME_RDELIVERYFAILURE")                                                              \
    X(SMPP_ESME_RUNKNOWNERR, "ESME_RUNKNOWNERR")

const char *
smpp_command_name(uint32_t command_id)
{
    switch (command_id) {
#define NAME_CASE(id, name)                                                                        \
    case id:                                                                                       \
        return name;
        SMPP_COMMAND_TABLE(NAME_CASE)
    default:
        return "unknown";
    }
}

const char *
smpp_status_name(uint32_t command_status)
{
    switch (command_status) {
        SMPP_STATUS_TABLE(NAME_CASE)
#undef NAME_CASE
    default:
        return "unknown";
    }
}

/* ---- typed TLVs ------------------------------------------------------------------------ */

/* Ascending tag order: the wire order of encode. Lengths are what the spec allows and what the
 * SMPP library reads without misparsing (it reads U8/U16 TLVs ignoring the length field). */
const struct codec_tlv_spec codec_sm_tlvs[CODEC_SM_TLV_COUNT] = {
    {SMPP_TAG_RECEIPTED_MESSAGE_ID, SMPP_TLV_RECEIPTED_MESSAGE_ID, 0, SMPP_MESSAGE_ID_SIZE,
     CODEC_K_OCTETS},
    {SMPP_TAG_USER_MESSAGE_REFERENCE, SMPP_TLV_USER_MESSAGE_REFERENCE, 2, 2, CODEC_K_U16},
    {SMPP_TAG_SAR_MSG_REF_NUM, SMPP_TLV_SAR_MSG_REF_NUM, 2, 2, CODEC_K_U16},
    {SMPP_TAG_SAR_TOTAL_SEGMENTS, SMPP_TLV_SAR_TOTAL_SEGMENTS, 1, 1, CODEC_K_U8},
    {SMPP_TAG_SAR_SEGMENT_SEQNUM, SMPP_TLV_SAR_SEGMENT_SEQNUM, 1, 1, CODEC_K_U8},
    {SMPP_TAG_NETWORK_ERROR_CODE, SMPP_TLV_NETWORK_ERROR_CODE, 3, 3, CODEC_K_OCTETS},
    {SMPP_TAG_MESSAGE_PAYLOAD, SMPP_TLV_MESSAGE_PAYLOAD, 0, SMPP_PAYLOAD_MAX, CODEC_K_OCTETS},
    {SMPP_TAG_MESSAGE_STATE, SMPP_TLV_MESSAGE_STATE, 1, 1, CODEC_K_U8},
    {SMPP_TAG_USSD_SERVICE_OP, SMPP_TLV_USSD_SERVICE_OP, 1, 1, CODEC_K_OCTETS},
    {SMPP_TAG_ITS_SESSION_INFO, SMPP_TLV_ITS_SESSION_INFO, 2, 2, CODEC_K_U16},
};

static const struct codec_tlv_spec bind_resp_tlvs[] = {
    {SMPP_TAG_SC_INTERFACE_VERSION, 1u, 1, 1, CODEC_K_U8},
};

static const struct codec_tlv_spec *
tlv_find(const struct codec_tlv_spec *t, size_t n, uint16_t tag)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].tag == tag)
            return &t[i];
    return NULL;
}

/* ---- helpers --------------------------------------------------------------------------- */

static uint16_t
rd16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

bool
codec_ton_ok(uint8_t v)
{
    return v <= 6;
}

bool
codec_npi_ok(uint8_t v)
{
    return v == 0 || v == 1 || v == 3 || v == 4 || v == 6 || v == 8 || v == 9 || v == 10 ||
           v == 14 || v == 18;
}

int
codec_check_addr(uint8_t ton, uint8_t npi, const char *cmd, const char *which, char *err,
                 size_t errlen)
{
    if (!codec_ton_ok(ton))
        return codec_fail(err, errlen, GY_EINVAL, "%s: %s_ton %u not a TON of SMPP 3.4", cmd, which,
                          ton);
    if (!codec_npi_ok(npi))
        return codec_fail(err, errlen, GY_EINVAL, "%s: %s_npi %u not an NPI of SMPP 3.4", cmd,
                          which, npi);
    return 0;
}

int
codec_sm_check(const struct smpp_sm *o, bool deliver, const char *cmd, char *err, size_t errlen)
{
    int rc;
    if ((rc = codec_check_addr(o->source_addr_ton, o->source_addr_npi, cmd, "source_addr", err,
                               errlen)) ||
        (rc = codec_check_addr(o->dest_addr_ton, o->dest_addr_npi, cmd, "dest_addr", err, errlen)))
        return rc;
    if (o->sm_length > SMPP_SHORT_MESSAGE_ENCODE_MAX)
        return codec_fail(err, errlen, GY_ETOOBIG,
                          "%s: sm_length %u above %u: put the text in message_payload", cmd,
                          o->sm_length, SMPP_SHORT_MESSAGE_ENCODE_MAX);
    if ((o->tlv.present & SMPP_TLV_MESSAGE_PAYLOAD) && o->sm_length != 0)
        return codec_fail(
            err, errlen, GY_EINVAL,
            "%s: short_message and message_payload are exclusive (sm_length must be 0)", cmd);
    if (deliver && (o->schedule_delivery_time[0] != '\0' || o->validity_period[0] != '\0'))
        return codec_fail(err, errlen, GY_EINVAL,
                          "deliver_sm: schedule_delivery_time and validity_period must be empty");
    return 0;
}

static bool
is_header_only(uint32_t id)
{
    return id == SMPP_GENERIC_NACK || id == SMPP_UNBIND || id == SMPP_UNBIND_RESP ||
           id == SMPP_ENQUIRE_LINK || id == SMPP_ENQUIRE_LINK_RESP;
}

bool
codec_is_handled(uint32_t id)
{
    return codec_is_bind(id) || codec_is_bind_resp(id) || codec_is_sm(id) || is_header_only(id) ||
           id == SMPP_OUTBIND || id == SMPP_SUBMIT_SM_RESP || id == SMPP_DELIVER_SM_RESP;
}

/* ---- framing --------------------------------------------------------------------------- */

int
smpp_frame_length(const uint8_t *buf, size_t have, uint32_t max_len, uint32_t *pdu_len)
{
    if (pdu_len == NULL || (buf == NULL && have > 0) || max_len < SMPP_HEADER_LEN ||
        max_len > SMPP_PDU_MAX_LIMIT)
        return GY_EINVAL;
    *pdu_len = 0;
    if (have < 4)
        return 0;
    uint32_t cl = codec_rd32(buf);
    if (cl < SMPP_HEADER_LEN || cl > max_len)
        return GY_ERANGE;
    *pdu_len = cl;
    return 0;
}

/* ---- decode: walking the body ---------------------------------------------------------- */

/* A cursor over the body of the PDU being decoded, with the first error's text. */
struct walk {
    const uint8_t *body;
    const uint8_t *p;
    size_t left;
    const char *cmd;
    char *err;
    size_t errlen;
};

/* The error texts of walk_cstr() and walk_u8(), out of line so that those two stay small
 * enough to be inlined in the walk of each PDU. */
static __attribute__((cold, noinline)) int
walk_fail_cstr(const struct walk *w, const char *field, size_t size)
{
    if (w->left < size)
        return codec_fail(w->err, w->errlen, GY_EPARSE, "%s: %s: no NUL before the end of the PDU",
                          w->cmd, field);
    return codec_fail(w->err, w->errlen, GY_EPARSE, "%s: %s: longer than %zu octets", w->cmd, field,
                      size - 1);
}

static __attribute__((cold, noinline)) int
walk_fail_u8(const struct walk *w, const char *field)
{
    return codec_fail(w->err, w->errlen, GY_EPARSE, "%s: %s: PDU ends before it", w->cmd, field);
}

/* A C-octet string of at most size octets with its NUL; copied without the NUL into dst
 * (size octets or more, zeroed by the caller) when dst is not NULL. */
static inline __attribute__((always_inline)) int
walk_cstr(struct walk *w, const char *field, char *dst, size_t size)
{
    size_t lim = w->left < size ? w->left : size;
    const uint8_t *nul = lim > 0 ? memchr(w->p, 0, lim) : NULL;
    if (nul == NULL)
        return walk_fail_cstr(w, field, size);
    size_t n = (size_t)(nul - w->p);
    if (dst != NULL)
        memcpy(dst, w->p, n);
    w->p += n + 1;
    w->left -= n + 1;
    return 0;
}

static inline __attribute__((always_inline)) int
walk_u8(struct walk *w, const char *field, uint8_t *v)
{
    if (w->left < 1)
        return walk_fail_u8(w, field);
    if (v != NULL)
        *v = *w->p;
    w->p++;
    w->left--;
    return 0;
}

/* Reads a TON, NPI or interface_version octet into *v (when not NULL); remembers it, and
 * schedules a neutral value in the scratch copy when the SMPP library would refuse the real
 * one (the caller still sees it). */
static inline __attribute__((always_inline)) int
walk_checked_u8(struct walk *w, struct codec_walked *wd, const char *field, bool (*ok)(uint8_t),
                uint8_t neutral, uint8_t *v)
{
    size_t off = (size_t)(w->p - w->body);
    uint8_t real = 0;
    int rc = walk_u8(w, field, &real);
    if (rc != 0)
        return rc;
    if (v != NULL)
        *v = real;
    wd->orig[wd->norig++] = real;
    if (!ok(real)) {
        wd->fix[wd->nfix].off = off;
        wd->fix[wd->nfix].val = neutral;
        wd->nfix++;
    }
    return 0;
}

static bool
version_ok(uint8_t v)
{
    return v == SMPP_VERSION_34;
}

static int
walk_bind(struct walk *w, struct codec_walked *wd)
{
    int rc;
    if ((rc = walk_cstr(w, "system_id", NULL, 16)) || (rc = walk_cstr(w, "password", NULL, 9)) ||
        (rc = walk_cstr(w, "system_type", NULL, 13)) ||
        (rc = walk_checked_u8(w, wd, "interface_version", version_ok, SMPP_VERSION_34, NULL)) ||
        (rc = walk_checked_u8(w, wd, "addr_ton", codec_ton_ok, 0, NULL)) ||
        (rc = walk_checked_u8(w, wd, "addr_npi", codec_npi_ok, 0, NULL)) ||
        (rc = walk_cstr(w, "address_range", NULL, 41)))
        return rc;
    return 0;
}

/* The mandatory part of submit_sm/deliver_sm, read into *o (zeroed by the caller). deliver_sm
 * has schedule_delivery_time and validity_period of one octet (empty), as the library reads
 * them. */
static int
walk_sm(struct walk *w, struct codec_walked *wd, struct smpp_sm *o, bool deliver)
{
    size_t tsize = deliver ? 1 : sizeof o->schedule_delivery_time;
    int rc;
    if ((rc = walk_cstr(w, "service_type", o->service_type, sizeof o->service_type)) ||
        (rc = walk_checked_u8(w, wd, "source_addr_ton", codec_ton_ok, 0, &o->source_addr_ton)) ||
        (rc = walk_checked_u8(w, wd, "source_addr_npi", codec_npi_ok, 0, &o->source_addr_npi)) ||
        (rc = walk_cstr(w, "source_addr", o->source_addr, sizeof o->source_addr)) ||
        (rc = walk_checked_u8(w, wd, "dest_addr_ton", codec_ton_ok, 0, &o->dest_addr_ton)) ||
        (rc = walk_checked_u8(w, wd, "dest_addr_npi", codec_npi_ok, 0, &o->dest_addr_npi)) ||
        (rc = walk_cstr(w, "destination_addr", o->destination_addr, sizeof o->destination_addr)) ||
        (rc = walk_u8(w, "esm_class", &o->esm_class)) ||
        (rc = walk_u8(w, "protocol_id", &o->protocol_id)) ||
        (rc = walk_u8(w, "priority_flag", &o->priority_flag)) ||
        (rc = walk_cstr(w, "schedule_delivery_time", o->schedule_delivery_time, tsize)) ||
        (rc = walk_cstr(w, "validity_period", o->validity_period, tsize)) ||
        (rc = walk_u8(w, "registered_delivery", &o->registered_delivery)) ||
        (rc = walk_u8(w, "replace_if_present_flag", &o->replace_if_present_flag)) ||
        (rc = walk_u8(w, "data_coding", &o->data_coding)) ||
        (rc = walk_u8(w, "sm_default_msg_id", &o->sm_default_msg_id)) ||
        (rc = walk_u8(w, "sm_length", &o->sm_length)))
        return rc;
    if (o->sm_length > SMPP_SHORT_MESSAGE_MAX)
        return codec_fail(w->err, w->errlen, GY_EPARSE, "%s: sm_length %u above %u", w->cmd,
                          o->sm_length, SMPP_SHORT_MESSAGE_MAX);
    if (o->sm_length > w->left)
        return codec_fail(w->err, w->errlen, GY_EPARSE,
                          "%s: sm_length %u runs past the end of the PDU (%zu octets left)", w->cmd,
                          o->sm_length, w->left);
    memcpy(o->short_message, w->p, o->sm_length);
    w->p += o->sm_length;
    w->left -= o->sm_length;
    return 0;
}

/* Walks the mandatory part of a handled command; submit_sm/deliver_sm go into out->body.sm. */
static int
walk_mandatory(struct walk *w, struct smpp_pdu *out, struct codec_walked *wd)
{
    uint32_t id = out->hdr.command_id;
    int rc = 0;
    if (codec_is_bind(id)) {
        rc = walk_bind(w, wd);
    } else if (codec_is_sm(id)) {
        rc = walk_sm(w, wd, &out->body.sm, id == SMPP_DELIVER_SM);
    } else if (codec_is_bind_resp(id)) {
        /* an error response may come header only */
        if (!(out->hdr.command_status != 0 && w->left == 0))
            rc = walk_cstr(w, "system_id", NULL, 16);
    } else if (id == SMPP_OUTBIND) {
        if ((rc = walk_cstr(w, "system_id", NULL, 16)) == 0)
            rc = walk_cstr(w, "password", NULL, 9);
    } else if (id == SMPP_SUBMIT_SM_RESP || id == SMPP_DELIVER_SM_RESP) {
        if (w->left > 0) {
            if (id == SMPP_DELIVER_SM_RESP)
                wd->dsr_message_id = (const char *)w->p;
            rc = walk_cstr(w, "message_id", NULL, SMPP_MESSAGE_ID_SIZE);
        }
    }
    wd->mand_len = (size_t)(w->p - w->body);
    return rc;
}

/* Stores the value of a typed TLV of submit_sm/deliver_sm whose length the caller has checked
 * against its spec, as libsmpp34 reads it. */
static void
tlv_store(struct smpp_tlvs *t, uint16_t tag, const uint8_t *v, uint16_t len)
{
    switch (tag) {
    case SMPP_TAG_RECEIPTED_MESSAGE_ID: { /* up to its NUL, at most 64 octets */
        size_t n = strnlen((const char *)v, len);
        if (n >= sizeof t->receipted_message_id)
            n = sizeof t->receipted_message_id - 1;
        memcpy(t->receipted_message_id, v, n);
        break;
    }
    case SMPP_TAG_USER_MESSAGE_REFERENCE:
        t->user_message_reference = rd16(v);
        break;
    case SMPP_TAG_SAR_MSG_REF_NUM:
        t->sar_msg_ref_num = rd16(v);
        break;
    case SMPP_TAG_SAR_TOTAL_SEGMENTS:
        t->sar_total_segments = v[0];
        break;
    case SMPP_TAG_SAR_SEGMENT_SEQNUM:
        t->sar_segment_seqnum = v[0];
        break;
    case SMPP_TAG_NETWORK_ERROR_CODE:
        memcpy(t->network_error_code, v, sizeof t->network_error_code);
        break;
    case SMPP_TAG_MESSAGE_PAYLOAD:
        t->message_payload_len = len;
        memcpy(t->message_payload, v, len);
        break;
    case SMPP_TAG_MESSAGE_STATE:
        t->message_state = v[0];
        break;
    case SMPP_TAG_USSD_SERVICE_OP:
        t->ussd_service_op = v[0];
        break;
    case SMPP_TAG_ITS_SESSION_INFO:
        t->its_session_info = rd16(v);
        break;
    default:
        break;
    }
}

static int
scratch_put(struct codec_scratch *s, const uint8_t *p, size_t n)
{
    if (n > sizeof s->b - 1 - s->len) /* keep one spare octet */
        return GY_ETOOBIG;
    memcpy(s->b + s->len, p, n);
    s->len += n;
    return 0;
}

/* Walks the optional part. The first occurrence of each typed TLV is copied into the scratch
 * (when s is not NULL) and stored in *t (when not NULL: the TLVs of submit_sm/deliver_sm);
 * the others are counted in *skipped. */
static int
walk_tlvs(struct walk *w, const struct codec_tlv_spec *specs, size_t nspecs,
          struct codec_scratch *s, struct smpp_tlvs *t, unsigned *skipped)
{
    uint32_t seen = 0;
    while (w->left > 0) {
        if (w->left < 4)
            return codec_fail(w->err, w->errlen, GY_EPARSE,
                              "%s: optional parameter header cut by the end of the PDU", w->cmd);
        uint16_t tag = rd16(w->p);
        uint16_t tlen = rd16(w->p + 2);
        if (tlen > w->left - 4)
            return codec_fail(w->err, w->errlen, GY_EPARSE,
                              "%s: optional parameter 0x%04x of length %u overruns the PDU", w->cmd,
                              tag, tlen);
        const struct codec_tlv_spec *sp = specs != NULL ? tlv_find(specs, nspecs, tag) : NULL;
        if (sp == NULL || (seen & sp->bit) != 0) {
            (*skipped)++;
        } else {
            if (tag == SMPP_TAG_MESSAGE_PAYLOAD && tlen > SMPP_PAYLOAD_MAX)
                return codec_fail(w->err, w->errlen, GY_ETOOBIG,
                                  "%s: message_payload of %u octets, at most %u handled", w->cmd,
                                  tlen, SMPP_PAYLOAD_MAX);
            if (tlen < sp->min_len || tlen > sp->max_len)
                return codec_fail(w->err, w->errlen, GY_EPARSE,
                                  "%s: optional parameter 0x%04x has length %u, expected %u..%u",
                                  w->cmd, tag, tlen, sp->min_len, sp->max_len);
            if (s != NULL && scratch_put(s, w->p, 4u + tlen) != 0)
                return codec_fail(w->err, w->errlen, GY_ETOOBIG, "%s: optional part too large",
                                  w->cmd);
            if (t != NULL) {
                tlv_store(t, tag, w->p + 4, tlen);
                t->present |= sp->bit;
            }
            seen |= sp->bit;
        }
        w->p += 4u + tlen;
        w->left -= 4u + tlen;
    }
    return 0;
}

/* ---- decode: the whole PDU ------------------------------------------------------------- */

/* Checks the header of buf[len] (len >= 16, command_length == len and within
 * SMPP_PDU_MAX_LIMIT, command_id handled) and fills out->hdr (also when the command_id is not
 * handled). Returns 0, GY_ERANGE or GY_ENOTFOUND with the reason in err[errlen]. */
static int
walk_header(const uint8_t *buf, size_t len, struct smpp_pdu *out, char *err, size_t errlen)
{
    if (len < SMPP_HEADER_LEN)
        return codec_fail(err, errlen, GY_ERANGE, "PDU of %zu octets, shorter than its header",
                          len);
    uint32_t cl = codec_rd32(buf);
    if (cl < SMPP_HEADER_LEN || cl > SMPP_PDU_MAX_LIMIT)
        return codec_fail(err, errlen, GY_ERANGE, "command_length %u out of bounds [16, %u]", cl,
                          SMPP_PDU_MAX_LIMIT);
    if (cl != len)
        return codec_fail(err, errlen, GY_ERANGE, "command_length %u but %zu octets given", cl,
                          len);

    uint32_t id = codec_rd32(buf + 4);
    out->hdr.command_length = cl;
    out->hdr.command_id = id;
    out->hdr.command_status = codec_rd32(buf + 8);
    out->hdr.sequence_number = codec_rd32(buf + 12);
    if (!codec_is_handled(id))
        return codec_fail(err, errlen, GY_ENOTFOUND, "command_id 0x%08x not handled", id);
    return 0;
}

/* Starts the scratch copy: the normalised header (the SMPP library refuses unknown statuses
 * and sequence number 0, and reads no message_id when the status is not 0; the real header is
 * in out->hdr) and the mandatory part with the refused octets neutralised. */
static int
scratch_start(struct codec_scratch *s, uint32_t id, const uint8_t *body,
              const struct codec_walked *wd, const char *cmd, char *err, size_t errlen)
{
    static const uint8_t empty = 0;
    s->len = 0;
    uint8_t head[SMPP_HEADER_LEN];
    codec_wr32(head, 0);
    codec_wr32(head + 4, id);
    codec_wr32(head + 8, 0);
    codec_wr32(head + 12, 1);
    scratch_put(s, head, sizeof head);
    if (id == SMPP_DELIVER_SM_RESP)
        return scratch_put(s, &empty, 1);
    if (scratch_put(s, body, wd->mand_len) != 0)
        return codec_fail(err, errlen, GY_ETOOBIG, "%s: mandatory part too large", cmd);
    for (int i = 0; i < wd->nfix; i++)
        s->b[SMPP_HEADER_LEN + wd->fix[i].off] = wd->fix[i].val;
    if (wd->mand_len == 0 && (codec_is_bind_resp(id) || id == SMPP_SUBMIT_SM_RESP))
        scratch_put(s, &empty, 1);
    return 0;
}

int
codec_walk_pdu(const uint8_t *buf, size_t len, struct smpp_pdu *out, struct codec_walked *wd,
               struct codec_scratch *s, char *err, size_t errlen)
{
    int rc = walk_header(buf, len, out, err, errlen);
    if (rc != 0)
        return rc;
    uint32_t id = out->hdr.command_id;
    const char *cmd = smpp_command_name(id);
    struct walk w = {
        buf + SMPP_HEADER_LEN, buf + SMPP_HEADER_LEN, len - SMPP_HEADER_LEN, cmd, err, errlen};
    wd->norig = wd->nfix = 0; /* orig[], fix[] and mand_len are written as the walk goes */
    wd->dsr_message_id = NULL;
    rc = walk_mandatory(&w, out, wd);
    if (rc == 0 && s != NULL)
        rc = scratch_start(s, id, w.body, wd, cmd, err, errlen);
    if (rc == 0) {
        if (codec_is_sm(id))
            rc = walk_tlvs(&w, codec_sm_tlvs, CODEC_SM_TLV_COUNT, s, &out->body.sm.tlv,
                           &out->tlv_skipped);
        else if (codec_is_bind_resp(id))
            rc = walk_tlvs(&w, bind_resp_tlvs, 1, s, NULL, &out->tlv_skipped);
        else
            rc = walk_tlvs(&w, NULL, 0, s, NULL, &out->tlv_skipped);
    }
    if (rc != 0) {
        if (codec_is_sm(id)) /* no half-read body */
            memset(&out->body, 0, sizeof out->body);
        return rc;
    }
    if (s != NULL)
        codec_wr32(s->b, (uint32_t)s->len);
    return 0;
}
