/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smpp_codec: the only file of gongyou that includes libsmpp34. Every PDU is first walked
 * and bounded here (libsmpp34 trusts its input: strlen() past the end, leaked TLV nodes on
 * errors, fixed-size reads that ignore TLV lengths), then copied into a small normalised
 * scratch PDU that libsmpp34 unpacks in one call; encoding is one smpp34_pack(). No I/O, no
 * state, no logging. */
#include "gateway/smpp_codec.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <smpp34.h>
#include <smpp34_structs.h>
#include <smpp34_params.h>

#include "base/gy_err.h"

/* Room for the largest normalised PDU (about 1.5 KiB) plus the spare octet smpp34_pack()
 * insists on. */
#define SCRATCH_SIZE 2048u

/* One libsmpp34 struct of any handled type, zeroed before each use. */
union l34 {
    generic_nack_t gn;
    bind_transceiver_t bind;           /* same layout as bind_transmitter_t and bind_receiver_t */
    bind_transceiver_resp_t bind_resp; /* same layout as the other two bind responses */
    outbind_t ob;
    unbind_t ub;
    unbind_resp_t ubr;
    submit_sm_t ss;
    submit_sm_resp_t ssr;
    deliver_sm_t ds;
    deliver_sm_resp_t dsr;
    enquire_link_t el;
    enquire_link_resp_t elr;
};

/* ---- errors ---------------------------------------------------------------------------- */

__attribute__((format(printf, 4, 5))) static int
fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
    if (err != NULL && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return code;
}

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
    return fail(err, errlen, code, "%s: libsmpp34 %s failed (errno %d) at %s: %s", cmd, what,
                smpp34_errno, field, reason);
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

enum tlv_kind { K_U8, K_U16, K_OCTETS };

struct tlv_spec {
    uint16_t tag;
    uint32_t bit; /* enum smpp_tlv_bit; 0 for sc_interface_version */
    uint16_t min_len, max_len;
    enum tlv_kind kind; /* how libsmpp34 stores it in submit_sm and deliver_sm */
};

/* Ascending tag order: the wire order of encode. Lengths are what the spec allows and what
 * libsmpp34 reads without misparsing (it reads U8/U16 TLVs ignoring the length field). */
static const struct tlv_spec sm_tlvs[] = {
    {SMPP_TAG_RECEIPTED_MESSAGE_ID, SMPP_TLV_RECEIPTED_MESSAGE_ID, 0, SMPP_MESSAGE_ID_SIZE,
     K_OCTETS},
    {SMPP_TAG_USER_MESSAGE_REFERENCE, SMPP_TLV_USER_MESSAGE_REFERENCE, 2, 2, K_U16},
    {SMPP_TAG_SAR_MSG_REF_NUM, SMPP_TLV_SAR_MSG_REF_NUM, 2, 2, K_U16},
    {SMPP_TAG_SAR_TOTAL_SEGMENTS, SMPP_TLV_SAR_TOTAL_SEGMENTS, 1, 1, K_U8},
    {SMPP_TAG_SAR_SEGMENT_SEQNUM, SMPP_TLV_SAR_SEGMENT_SEQNUM, 1, 1, K_U8},
    {SMPP_TAG_NETWORK_ERROR_CODE, SMPP_TLV_NETWORK_ERROR_CODE, 3, 3, K_OCTETS},
    {SMPP_TAG_MESSAGE_PAYLOAD, SMPP_TLV_MESSAGE_PAYLOAD, 0, SMPP_PAYLOAD_MAX, K_OCTETS},
    {SMPP_TAG_MESSAGE_STATE, SMPP_TLV_MESSAGE_STATE, 1, 1, K_U8},
    {SMPP_TAG_USSD_SERVICE_OP, SMPP_TLV_USSD_SERVICE_OP, 1, 1, K_OCTETS},
    {SMPP_TAG_ITS_SESSION_INFO, SMPP_TLV_ITS_SESSION_INFO, 2, 2, K_U16},
};
#define SM_TLV_COUNT (sizeof sm_tlvs / sizeof sm_tlvs[0])

static const struct tlv_spec bind_resp_tlvs[] = {
    {SMPP_TAG_SC_INTERFACE_VERSION, 1u, 1, 1, K_U8},
};

static const struct tlv_spec *
tlv_find(const struct tlv_spec *t, size_t n, uint16_t tag)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].tag == tag)
            return &t[i];
    return NULL;
}

/* ---- helpers --------------------------------------------------------------------------- */

static uint32_t
rd32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static uint16_t
rd16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

static void
wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static bool
ton_ok(uint8_t v)
{
    return v <= 6;
}

static bool
npi_ok(uint8_t v)
{
    return v == 0 || v == 1 || v == 3 || v == 4 || v == 6 || v == 8 || v == 9 || v == 10 ||
           v == 14 || v == 18;
}

static bool
is_bind(uint32_t id)
{
    return id == SMPP_BIND_RECEIVER || id == SMPP_BIND_TRANSMITTER || id == SMPP_BIND_TRANSCEIVER;
}

static bool
is_bind_resp(uint32_t id)
{
    return id == SMPP_BIND_RECEIVER_RESP || id == SMPP_BIND_TRANSMITTER_RESP ||
           id == SMPP_BIND_TRANSCEIVER_RESP;
}

static bool
is_sm(uint32_t id)
{
    return id == SMPP_SUBMIT_SM || id == SMPP_DELIVER_SM;
}

static bool
is_header_only(uint32_t id)
{
    return id == SMPP_GENERIC_NACK || id == SMPP_UNBIND || id == SMPP_UNBIND_RESP ||
           id == SMPP_ENQUIRE_LINK || id == SMPP_ENQUIRE_LINK_RESP;
}

static bool
is_handled(uint32_t id)
{
    return is_bind(id) || is_bind_resp(id) || is_sm(id) || is_header_only(id) ||
           id == SMPP_OUTBIND || id == SMPP_SUBMIT_SM_RESP || id == SMPP_DELIVER_SM_RESP;
}

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
    uint32_t cl = rd32(buf);
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

/* What the walk learnt about the mandatory part. */
struct walked {
    size_t mand_len; /* octets of mandatory fields; TLVs follow */
    struct {
        size_t off;
        uint8_t val;
    } fix[4]; /* octets to replace in the scratch copy (values libsmpp34 refuses) */
    int nfix;
    uint8_t orig[5]; /* the real ton/npi/interface_version octets, in walk order */
    int norig;
    const char *dsr_message_id; /* deliver_sm_resp message_id, inside the input */
};

static int
walk_cstr(struct walk *w, const char *field, size_t size)
{
    size_t lim = w->left < size ? w->left : size;
    const uint8_t *nul = lim > 0 ? memchr(w->p, 0, lim) : NULL;
    if (nul == NULL) {
        if (w->left < size)
            return fail(w->err, w->errlen, GY_EPARSE, "%s: %s: no NUL before the end of the PDU",
                        w->cmd, field);
        return fail(w->err, w->errlen, GY_EPARSE, "%s: %s: longer than %zu octets", w->cmd, field,
                    size - 1);
    }
    size_t n = (size_t)(nul - w->p) + 1;
    w->p += n;
    w->left -= n;
    return 0;
}

static int
walk_u8(struct walk *w, const char *field, uint8_t *v)
{
    if (w->left < 1)
        return fail(w->err, w->errlen, GY_EPARSE, "%s: %s: PDU ends before it", w->cmd, field);
    if (v != NULL)
        *v = *w->p;
    w->p++;
    w->left--;
    return 0;
}

/* Reads a TON, NPI or interface_version octet; remembers it, and schedules a neutral value
 * in the scratch copy when libsmpp34 would refuse the real one (the caller still sees it). */
static int
walk_checked_u8(struct walk *w, struct walked *wd, const char *field, bool (*ok)(uint8_t),
                uint8_t neutral)
{
    size_t off = (size_t)(w->p - w->body);
    uint8_t v = 0;
    int rc = walk_u8(w, field, &v);
    if (rc != 0)
        return rc;
    wd->orig[wd->norig++] = v;
    if (!ok(v)) {
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
walk_bind(struct walk *w, struct walked *wd)
{
    int rc;
    if ((rc = walk_cstr(w, "system_id", 16)) || (rc = walk_cstr(w, "password", 9)) ||
        (rc = walk_cstr(w, "system_type", 13)) ||
        (rc = walk_checked_u8(w, wd, "interface_version", version_ok, SMPP_VERSION_34)) ||
        (rc = walk_checked_u8(w, wd, "addr_ton", ton_ok, 0)) ||
        (rc = walk_checked_u8(w, wd, "addr_npi", npi_ok, 0)) ||
        (rc = walk_cstr(w, "address_range", 41)))
        return rc;
    return 0;
}

static int
walk_sm(struct walk *w, struct walked *wd, bool deliver)
{
    size_t tsize = deliver ? 1 : 17; /* libsmpp34: deliver_sm has no schedule or validity */
    uint8_t sm_length = 0;
    int rc;
    if ((rc = walk_cstr(w, "service_type", 6)) ||
        (rc = walk_checked_u8(w, wd, "source_addr_ton", ton_ok, 0)) ||
        (rc = walk_checked_u8(w, wd, "source_addr_npi", npi_ok, 0)) ||
        (rc = walk_cstr(w, "source_addr", 21)) ||
        (rc = walk_checked_u8(w, wd, "dest_addr_ton", ton_ok, 0)) ||
        (rc = walk_checked_u8(w, wd, "dest_addr_npi", npi_ok, 0)) ||
        (rc = walk_cstr(w, "destination_addr", 21)) || (rc = walk_u8(w, "esm_class", NULL)) ||
        (rc = walk_u8(w, "protocol_id", NULL)) || (rc = walk_u8(w, "priority_flag", NULL)) ||
        (rc = walk_cstr(w, "schedule_delivery_time", tsize)) ||
        (rc = walk_cstr(w, "validity_period", tsize)) ||
        (rc = walk_u8(w, "registered_delivery", NULL)) ||
        (rc = walk_u8(w, "replace_if_present_flag", NULL)) ||
        (rc = walk_u8(w, "data_coding", NULL)) || (rc = walk_u8(w, "sm_default_msg_id", NULL)) ||
        (rc = walk_u8(w, "sm_length", &sm_length)))
        return rc;
    if (sm_length > SMPP_SHORT_MESSAGE_MAX)
        return fail(w->err, w->errlen, GY_EPARSE, "%s: sm_length %u above %u", w->cmd, sm_length,
                    SMPP_SHORT_MESSAGE_MAX);
    if (sm_length > w->left)
        return fail(w->err, w->errlen, GY_EPARSE,
                    "%s: sm_length %u runs past the end of the PDU (%zu octets left)", w->cmd,
                    sm_length, w->left);
    w->p += sm_length;
    w->left -= sm_length;
    return 0;
}

/* Walks the mandatory part of a handled command. */
static int
walk_mandatory(struct walk *w, uint32_t id, uint32_t status, struct walked *wd)
{
    int rc = 0;
    if (is_bind(id)) {
        rc = walk_bind(w, wd);
    } else if (is_sm(id)) {
        rc = walk_sm(w, wd, id == SMPP_DELIVER_SM);
    } else if (is_bind_resp(id)) {
        /* an error response may come header only */
        if (!(status != 0 && w->left == 0))
            rc = walk_cstr(w, "system_id", 16);
    } else if (id == SMPP_OUTBIND) {
        if ((rc = walk_cstr(w, "system_id", 16)) == 0)
            rc = walk_cstr(w, "password", 9);
    } else if (id == SMPP_SUBMIT_SM_RESP || id == SMPP_DELIVER_SM_RESP) {
        if (w->left > 0) {
            if (id == SMPP_DELIVER_SM_RESP)
                wd->dsr_message_id = (const char *)w->p;
            rc = walk_cstr(w, "message_id", SMPP_MESSAGE_ID_SIZE);
        }
    }
    wd->mand_len = (size_t)(w->p - w->body);
    return rc;
}

/* Scratch copy handed to libsmpp34: normalised header, mandatory part, typed TLVs once. */
struct scratch {
    uint8_t b[SCRATCH_SIZE];
    size_t len;
};

static int
scratch_put(struct scratch *s, const uint8_t *p, size_t n)
{
    if (n > sizeof s->b - 1 - s->len) /* keep one spare octet */
        return GY_ETOOBIG;
    memcpy(s->b + s->len, p, n);
    s->len += n;
    return 0;
}

/* Walks the optional part, copying each typed TLV (first occurrence) into the scratch. */
static int
walk_tlvs(struct walk *w, const struct tlv_spec *specs, size_t nspecs, struct scratch *s,
          unsigned *skipped)
{
    uint32_t seen = 0;
    while (w->left > 0) {
        if (w->left < 4)
            return fail(w->err, w->errlen, GY_EPARSE,
                        "%s: optional parameter header cut by the end of the PDU", w->cmd);
        uint16_t tag = rd16(w->p);
        uint16_t tlen = rd16(w->p + 2);
        if (tlen > w->left - 4)
            return fail(w->err, w->errlen, GY_EPARSE,
                        "%s: optional parameter 0x%04x of length %u overruns the PDU", w->cmd, tag,
                        tlen);
        const struct tlv_spec *sp = specs != NULL ? tlv_find(specs, nspecs, tag) : NULL;
        if (sp == NULL || (seen & sp->bit) != 0) {
            (*skipped)++;
        } else {
            if (tag == SMPP_TAG_MESSAGE_PAYLOAD && tlen > SMPP_PAYLOAD_MAX)
                return fail(w->err, w->errlen, GY_ETOOBIG,
                            "%s: message_payload of %u octets, at most %u handled", w->cmd, tlen,
                            SMPP_PAYLOAD_MAX);
            if (tlen < sp->min_len || tlen > sp->max_len)
                return fail(w->err, w->errlen, GY_EPARSE,
                            "%s: optional parameter 0x%04x has length %u, expected %u..%u", w->cmd,
                            tag, tlen, sp->min_len, sp->max_len);
            if (scratch_put(s, w->p, 4u + tlen) != 0)
                return fail(w->err, w->errlen, GY_ETOOBIG, "%s: optional part too large", w->cmd);
            seen |= sp->bit;
        }
        w->p += 4u + tlen;
        w->left -= 4u + tlen;
    }
    return 0;
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
sm_from_l34(struct smpp_sm *o, const union l34 *u, bool deliver, const struct walked *wd)
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
    } else if (is_bind_resp(id)) {
        destroy_tlv(u->bind_resp.tlv);
        u->bind_resp.tlv = NULL;
    }
}

static void
body_from_l34(struct smpp_pdu *out, const union l34 *u, const struct walked *wd)
{
    uint32_t id = out->hdr.command_id;
    if (is_bind(id)) {
        struct smpp_bind *b = &out->body.bind;
        COPY_STR(b->system_id, u->bind.system_id);
        COPY_STR(b->password, u->bind.password);
        COPY_STR(b->system_type, u->bind.system_type);
        COPY_STR(b->address_range, u->bind.address_range);
        b->interface_version = wd->orig[0];
        b->addr_ton = wd->orig[1];
        b->addr_npi = wd->orig[2];
    } else if (is_bind_resp(id)) {
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
    } else if (is_sm(id)) {
        sm_from_l34(&out->body.sm, u, id == SMPP_DELIVER_SM, wd);
    } else if (id == SMPP_SUBMIT_SM_RESP) {
        COPY_STR(out->body.sm_resp.message_id, u->ssr.message_id);
    } else if (id == SMPP_DELIVER_SM_RESP && wd->dsr_message_id != NULL) {
        /* libsmpp34 only takes an empty one; some SMSCs fill it, so ours comes from the walk */
        str_copy(out->body.sm_resp.message_id, sizeof out->body.sm_resp.message_id,
                 (const uint8_t *)wd->dsr_message_id, SMPP_MESSAGE_ID_SIZE);
    }
}

/* ---- decode ---------------------------------------------------------------------------- */

int
smpp_pdu_decode(const uint8_t *buf, size_t len, struct smpp_pdu *out, char *err, size_t errlen)
{
    if (buf == NULL || out == NULL)
        return fail(err, errlen, GY_EINVAL, "smpp_pdu_decode: NULL argument");
    memset(out, 0, sizeof *out);
    if (len < SMPP_HEADER_LEN)
        return fail(err, errlen, GY_ERANGE, "PDU of %zu octets, shorter than its header", len);
    uint32_t cl = rd32(buf);
    if (cl < SMPP_HEADER_LEN || cl > SMPP_PDU_MAX_LIMIT)
        return fail(err, errlen, GY_ERANGE, "command_length %u out of bounds [16, %u]", cl,
                    SMPP_PDU_MAX_LIMIT);
    if (cl != len)
        return fail(err, errlen, GY_ERANGE, "command_length %u but %zu octets given", cl, len);

    uint32_t id = rd32(buf + 4);
    out->hdr.command_length = cl;
    out->hdr.command_id = id;
    out->hdr.command_status = rd32(buf + 8);
    out->hdr.sequence_number = rd32(buf + 12);
    if (!is_handled(id))
        return fail(err, errlen, GY_ENOTFOUND, "command_id 0x%08x not handled", id);

    const char *cmd = smpp_command_name(id);
    struct walk w = {
        buf + SMPP_HEADER_LEN, buf + SMPP_HEADER_LEN, len - SMPP_HEADER_LEN, cmd, err, errlen};
    struct walked wd;
    memset(&wd, 0, sizeof wd);
    int rc = walk_mandatory(&w, id, out->hdr.command_status, &wd);
    if (rc != 0)
        return rc;

    /* normalised header: libsmpp34 refuses unknown statuses and sequence number 0, and
     * reads no message_id when the status is not 0; the real header is in out->hdr */
    struct scratch s;
    s.len = 0;
    uint8_t head[SMPP_HEADER_LEN];
    wr32(head, 0);
    wr32(head + 4, id);
    wr32(head + 8, 0);
    wr32(head + 12, 1);
    scratch_put(&s, head, sizeof head);
    if (id == SMPP_DELIVER_SM_RESP) {
        static const uint8_t empty = 0;
        scratch_put(&s, &empty, 1);
    } else {
        if (scratch_put(&s, w.body, wd.mand_len) != 0)
            return fail(err, errlen, GY_ETOOBIG, "%s: mandatory part too large", cmd);
        for (int i = 0; i < wd.nfix; i++)
            s.b[SMPP_HEADER_LEN + wd.fix[i].off] = wd.fix[i].val;
        if (wd.mand_len == 0 && (is_bind_resp(id) || id == SMPP_SUBMIT_SM_RESP)) {
            static const uint8_t empty = 0;
            scratch_put(&s, &empty, 1);
        }
    }
    if (is_sm(id))
        rc = walk_tlvs(&w, sm_tlvs, SM_TLV_COUNT, &s, &out->tlv_skipped);
    else if (is_bind_resp(id))
        rc = walk_tlvs(&w, bind_resp_tlvs, 1, &s, &out->tlv_skipped);
    else
        rc = walk_tlvs(&w, NULL, 0, &s, &out->tlv_skipped);
    if (rc != 0)
        return rc;
    wr32(s.b, (uint32_t)s.len);

    union l34 u;
    memset(&u, 0, sizeof u);
    rc = smpp34_unpack(id, &u, s.b, (int)s.len);
    if (rc != 0) {
        destroy_l34_tlvs(id, &u);
        return fail_l34(err, errlen, GY_EPARSE, "unpack", cmd);
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
        return fail(err, errlen, GY_EINVAL, "%s: %s: not NUL-terminated", cmd, field);
    if (n >= dstsize)
        return fail(err, errlen, GY_EINVAL, "%s: %s: longer than %zu octets", cmd, field,
                    dstsize - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
    return 0;
}

#define PUT_STR(dst, src, field)                                                                   \
    put_str((dst), sizeof(dst), (src), sizeof(src), cmd, field, err, errlen)

static int
check_addr(uint8_t ton, uint8_t npi, const char *cmd, const char *which, char *err, size_t errlen)
{
    if (!ton_ok(ton))
        return fail(err, errlen, GY_EINVAL, "%s: %s_ton %u not a TON of SMPP 3.4", cmd, which, ton);
    if (!npi_ok(npi))
        return fail(err, errlen, GY_EINVAL, "%s: %s_npi %u not an NPI of SMPP 3.4", cmd, which,
                    npi);
    return 0;
}

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
        return fail(err, errlen, GY_ETOOBIG, "%s: message_payload of %u octets, at most %u", cmd,
                    o->message_payload_len, SMPP_PAYLOAD_MAX);
    size_t rlen = strnlen(o->receipted_message_id, sizeof o->receipted_message_id);
    if ((o->present & SMPP_TLV_RECEIPTED_MESSAGE_ID) && rlen == sizeof o->receipted_message_id)
        return fail(err, errlen, GY_EINVAL, "%s: receipted_message_id: not NUL-terminated", cmd);
    for (size_t i = SM_TLV_COUNT; i-- > 0;) {
        const struct tlv_spec *sp = &sm_tlvs[i];
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
            return fail(err, errlen, rc, "%s: out of memory building TLVs", cmd);
    }
    return 0;
}

static int
sm_to_l34(const struct smpp_sm *o, union l34 *u, bool deliver, const char *cmd, char *err,
          size_t errlen)
{
    int rc;
    if ((rc =
             check_addr(o->source_addr_ton, o->source_addr_npi, cmd, "source_addr", err, errlen)) ||
        (rc = check_addr(o->dest_addr_ton, o->dest_addr_npi, cmd, "dest_addr", err, errlen)))
        return rc;
    if (o->sm_length > SMPP_SHORT_MESSAGE_ENCODE_MAX)
        return fail(err, errlen, GY_ETOOBIG,
                    "%s: sm_length %u above %u: put the text in message_payload", cmd, o->sm_length,
                    SMPP_SHORT_MESSAGE_ENCODE_MAX);
    if ((o->tlv.present & SMPP_TLV_MESSAGE_PAYLOAD) && o->sm_length != 0)
        return fail(err, errlen, GY_EINVAL,
                    "%s: short_message and message_payload are exclusive (sm_length must be 0)",
                    cmd);
    if (deliver && (o->schedule_delivery_time[0] != '\0' || o->validity_period[0] != '\0'))
        return fail(err, errlen, GY_EINVAL,
                    "deliver_sm: schedule_delivery_time and validity_period must be empty");
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
    if (is_bind(id)) {
        const struct smpp_bind *b = &pdu->body.bind;
        if (b->interface_version != SMPP_VERSION_34)
            return fail(err, errlen, GY_EINVAL, "%s: interface_version 0x%02x, not 0x34", cmd,
                        b->interface_version);
        if ((rc = check_addr(b->addr_ton, b->addr_npi, cmd, "addr", err, errlen)) ||
            (rc = PUT_STR(u->bind.system_id, b->system_id, "system_id")) ||
            (rc = PUT_STR(u->bind.password, b->password, "password")) ||
            (rc = PUT_STR(u->bind.system_type, b->system_type, "system_type")) ||
            (rc = PUT_STR(u->bind.address_range, b->address_range, "address_range")))
            return rc;
        u->bind.interface_version = b->interface_version;
        u->bind.addr_ton = b->addr_ton;
        u->bind.addr_npi = b->addr_npi;
    } else if (is_bind_resp(id)) {
        const struct smpp_bind_resp *r = &pdu->body.bind_resp;
        if ((rc = PUT_STR(u->bind_resp.system_id, r->system_id, "system_id")))
            return rc;
        if (r->has_sc_interface_version && add_tlv(&u->bind_resp.tlv, SMPP_TAG_SC_INTERFACE_VERSION,
                                                   1, NULL, r->sc_interface_version) != 0)
            return fail(err, errlen, GY_ENOMEM, "%s: out of memory building TLVs", cmd);
    } else if (id == SMPP_OUTBIND) {
        if ((rc = PUT_STR(u->ob.system_id, pdu->body.outbind.system_id, "system_id")) ||
            (rc = PUT_STR(u->ob.password, pdu->body.outbind.password, "password")))
            return rc;
    } else if (is_sm(id)) {
        rc = sm_to_l34(&pdu->body.sm, u, id == SMPP_DELIVER_SM, cmd, err, errlen);
    } else if (id == SMPP_SUBMIT_SM_RESP) {
        rc = PUT_STR(u->ssr.message_id, pdu->body.sm_resp.message_id, "message_id");
    } else if (id == SMPP_DELIVER_SM_RESP) {
        if (strnlen(pdu->body.sm_resp.message_id, sizeof pdu->body.sm_resp.message_id) != 0)
            return fail(err, errlen, GY_EINVAL, "deliver_sm_resp: message_id must be empty");
    }
    return rc;
}

int
smpp_pdu_encode(const struct smpp_pdu *pdu, uint8_t *buf, size_t cap, size_t *out_len, char *err,
                size_t errlen)
{
    if (pdu == NULL || buf == NULL || out_len == NULL)
        return fail(err, errlen, GY_EINVAL, "smpp_pdu_encode: NULL argument");
    *out_len = 0;
    uint32_t id = pdu->hdr.command_id;
    if (!is_handled(id))
        return fail(err, errlen, GY_ENOTFOUND, "command_id 0x%08x not handled", id);
    const char *cmd = smpp_command_name(id);
    bool resp = (id & SMPP_RESP_BIT) != 0;

    if (id == SMPP_GENERIC_NACK || (resp && pdu->hdr.command_status != 0)) {
        /* header only; libsmpp34 would refuse unknown statuses and sequence number 0 */
        if (cap < SMPP_HEADER_LEN)
            return fail(err, errlen, GY_ETOOBIG, "%s: buffer of %zu octets too small", cmd, cap);
        wr32(buf, SMPP_HEADER_LEN);
        wr32(buf + 4, id);
        wr32(buf + 8, pdu->hdr.command_status);
        wr32(buf + 12, pdu->hdr.sequence_number);
        *out_len = SMPP_HEADER_LEN;
        return 0;
    }
    if (!resp && pdu->hdr.command_status != 0)
        return fail(err, errlen, GY_EINVAL, "%s: a request carries command_status 0", cmd);
    if (pdu->hdr.sequence_number == 0)
        return fail(err, errlen, GY_EINVAL, "%s: sequence_number 0", cmd);

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
    uint8_t s[SCRATCH_SIZE];
    int plen = 0;
    rc = smpp34_pack(id, s, (int)sizeof s, &plen, &u);
    destroy_l34_tlvs(id, &u);
    if (rc != 0)
        return fail_l34(err, errlen, GY_EINVAL, "pack", cmd);
    if ((size_t)plen > cap)
        return fail(err, errlen, GY_ETOOBIG, "%s: %d octets, buffer of %zu", cmd, plen, cap);
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
    if (is_bind(command_id))
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
