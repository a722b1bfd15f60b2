/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_smpp_codec: the SMPP codec against golden PDUs written by node-smpp (tests/data/smpp,
 * see tests/peer/golden.js): decode each and check every field, encode our struct and compare
 * bytes exactly; framing bounds; malformed and mutated input must fail cleanly; the fast path
 * of submit_sm/deliver_sm against the libsmpp34 path on goldens, malformed and mutated PDUs
 * and random structs (same return codes, same structs, same octets). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/gy_err.h"
#include "gateway/smpp_codec.h"
#include "gateway/smpp_codec_int.h"

#define HEX_MAX 4096

/* ---- golden files ---------------------------------------------------------------------- */

static int
hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parses hex digits, skipping blanks and '#' comment lines. Returns the octet count. */
static size_t
hex_parse(const char *text, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;
    for (const char *p = text; *p; p++) {
        if (*p == '#') {
            while (*p && *p != '\n')
                p++;
            if (!*p)
                break;
            continue;
        }
        int v = hexval((unsigned char)*p);
        if (v < 0)
            continue;
        if (hi < 0) {
            hi = v;
        } else {
            assert_true(n < cap);
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    assert_int_equal(hi, -1);
    return n;
}

static size_t
golden_load(const char *name, uint8_t *out, size_t cap)
{
    const char *src = getenv("GONGYOU_SOURCE_DIR");
    assert_non_null(src);
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/smpp/%s.hex", src, name);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fail_msg("cannot open golden file %s", path);
    static char text[HEX_MAX * 3];
    size_t got = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[got] = '\0';
    size_t n = hex_parse(text, out, cap);
    assert_true(n >= 16);
    return n;
}

/* ---- expected PDUs (the same values golden.js gives node-smpp) -------------------------- */

static void
ucs2(const char *utf8, uint8_t *out, size_t *len)
{
    /* tiny UTF-8 -> UTF-16BE for BMP text, enough for the test strings */
    const unsigned char *s = (const unsigned char *)utf8;
    size_t n = 0;
    while (*s) {
        uint32_t cp;
        if (*s < 0x80) {
            cp = *s++;
        } else if ((*s & 0xE0) == 0xC0) {
            cp = (uint32_t)(*s & 0x1F) << 6 | (s[1] & 0x3F);
            s += 2;
        } else {
            cp = (uint32_t)(*s & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
            s += 3;
        }
        out[n++] = (uint8_t)(cp >> 8);
        out[n++] = (uint8_t)cp;
    }
    *len = n;
}

static void
set_text(struct smpp_sm *sm, const char *ascii)
{
    sm->sm_length = (uint8_t)strlen(ascii);
    memcpy(sm->short_message, ascii, sm->sm_length);
}

static void
sm_addr(struct smpp_sm *sm, uint8_t ston, uint8_t snpi, const char *src, uint8_t dton, uint8_t dnpi,
        const char *dst)
{
    sm->source_addr_ton = ston;
    sm->source_addr_npi = snpi;
    strcpy(sm->source_addr, src);
    sm->dest_addr_ton = dton;
    sm->dest_addr_npi = dnpi;
    strcpy(sm->destination_addr, dst);
}

static void
bind_fill(struct smpp_pdu *p, uint32_t id, uint32_t seq, const char *sys, const char *pw,
          const char *type, uint8_t ton, uint8_t npi, const char *range)
{
    smpp_pdu_init(p, id, seq);
    strcpy(p->body.bind.system_id, sys);
    strcpy(p->body.bind.password, pw);
    strcpy(p->body.bind.system_type, type);
    p->body.bind.addr_ton = ton;
    p->body.bind.addr_npi = npi;
    strcpy(p->body.bind.address_range, range);
}

static void
x_bind_transceiver(struct smpp_pdu *p)
{
    bind_fill(p, SMPP_BIND_TRANSCEIVER, 1, "gongyou", "secret", "GY", 1, 1, "");
}

static void
x_bind_transmitter(struct smpp_pdu *p)
{
    bind_fill(p, SMPP_BIND_TRANSMITTER, 2, "gongyou-tx", "pw", "", 0, 0, "");
}

static void
x_bind_receiver(struct smpp_pdu *p)
{
    bind_fill(p, SMPP_BIND_RECEIVER, 3, "gongyou-rx", "pw", "USSD", 1, 1, "^86");
}

static void
x_bind_transceiver_resp(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_BIND_TRANSCEIVER_RESP, 1);
    strcpy(p->body.bind_resp.system_id, "SMSC");
    p->body.bind_resp.has_sc_interface_version = true;
    p->body.bind_resp.sc_interface_version = 0x34;
}

static void
x_bind_transceiver_resp_fail(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_BIND_TRANSCEIVER_RESP, 1);
    p->hdr.command_status = SMPP_ESME_RINVPASWD;
}

static void
x_outbind(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_OUTBIND, 4);
    strcpy(p->body.outbind.system_id, "SMSC");
    strcpy(p->body.outbind.password, "pw");
}

static void
x_enquire_link(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_ENQUIRE_LINK, 2);
}
static void
x_enquire_link_resp(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_ENQUIRE_LINK_RESP, 2);
}
static void
x_unbind(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_UNBIND, 3);
}
static void
x_unbind_resp(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_UNBIND_RESP, 3);
}

static void
x_generic_nack(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_GENERIC_NACK, 9);
    p->hdr.command_status = SMPP_ESME_RINVCMDID;
}

static void
x_submit_sm_udh(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_SUBMIT_SM, 10);
    struct smpp_sm *sm = &p->body.sm;
    sm_addr(sm, 3, 0, "10658888", 1, 1, "8613800138000");
    sm->esm_class = SMPP_ESM_UDHI;
    sm->priority_flag = 1;
    sm->registered_delivery = 1;
    sm->data_coding = 8;
    static const uint8_t udh[] = {0x05, 0x00, 0x03, 0xA7, 0x02, 0x01};
    size_t n = 0;
    memcpy(sm->short_message, udh, sizeof udh);
    ucs2("积分查询：您的总积分为96分，其中学历30分，技能证书20分，社保36分，居住10分。",
         sm->short_message + sizeof udh, &n);
    sm->sm_length = (uint8_t)(sizeof udh + n);
}

static const char long_reply[] =
    "您的积分：总分96分。学历30分，技能证书20分，社保年限36分，"
    "居住年限10分。距离入户还差4分，请尽快补充材料。"
    "回复JF查看积分，回复RH查看入户进度，回复BZ获取帮助，回复TD退订。"
    "江门市人力资源和社会保障局提醒您：积分申请截止日期为十二月三十一日。";

static void
x_submit_sm_payload(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_SUBMIT_SM, 11);
    struct smpp_sm *sm = &p->body.sm;
    sm_addr(sm, 3, 0, "10658888", 1, 1, "8613800138000");
    strcpy(sm->validity_period, "261129120000000+");
    sm->registered_delivery = 1;
    sm->data_coding = 8;
    uint8_t text[SMPP_PAYLOAD_MAX];
    size_t n = 0;
    ucs2(long_reply, text, &n);
    assert_true(n > SMPP_SHORT_MESSAGE_ENCODE_MAX);
    assert_int_equal(smpp_sm_set_message(sm, text, n), 0);
}

static void
x_submit_sm_ussd(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_SUBMIT_SM, 12);
    struct smpp_sm *sm = &p->body.sm;
    strcpy(sm->service_type, "USSD");
    sm_addr(sm, 0, 0, "188", 1, 1, "8613800138000");
    sm->data_coding = 0x0F;
    set_text(sm, "1 JF\n2 GZ\n3 RX\n0 EN");
    sm->tlv.present = SMPP_TLV_USSD_SERVICE_OP | SMPP_TLV_ITS_SESSION_INFO;
    sm->tlv.ussd_service_op = SMPP_USSD_USSR_REQ;
    sm->tlv.its_session_info = smpp_its_make(5, 1, false);
}

static void
x_submit_sm_sar(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_SUBMIT_SM, 13);
    struct smpp_sm *sm = &p->body.sm;
    sm_addr(sm, 5, 0, "GONGYOU", 1, 1, "8613900139000");
    sm->registered_delivery = 1;
    set_text(sm, "second part of a three part message");
    sm->tlv.present = SMPP_TLV_USER_MESSAGE_REFERENCE | SMPP_TLV_SAR_MSG_REF_NUM |
                      SMPP_TLV_SAR_TOTAL_SEGMENTS | SMPP_TLV_SAR_SEGMENT_SEQNUM;
    sm->tlv.user_message_reference = 7;
    sm->tlv.sar_msg_ref_num = 0x1234;
    sm->tlv.sar_total_segments = 3;
    sm->tlv.sar_segment_seqnum = 2;
}

static void
x_submit_sm_resp(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_SUBMIT_SM_RESP, 10);
    strcpy(p->body.sm_resp.message_id, "5A1F00C3");
}

static void
x_submit_sm_resp_throttled(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_SUBMIT_SM_RESP, 11);
    p->hdr.command_status = SMPP_ESME_RTHROTTLED;
}

static void
x_deliver_sm_mo(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_DELIVER_SM, 20);
    struct smpp_sm *sm = &p->body.sm;
    sm_addr(sm, 1, 1, "8613800138000", 0, 0, "10658888");
    sm->data_coding = 8;
    size_t n = 0;
    ucs2("积分", sm->short_message, &n);
    sm->sm_length = (uint8_t)n;
}

static void
x_deliver_sm_ussd(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_DELIVER_SM, 22);
    struct smpp_sm *sm = &p->body.sm;
    strcpy(sm->service_type, "USSD");
    sm_addr(sm, 1, 1, "8613800138000", 0, 0, "188");
    sm->data_coding = 0x0F;
    set_text(sm, "*188#");
    sm->tlv.present = SMPP_TLV_USSD_SERVICE_OP | SMPP_TLV_ITS_SESSION_INFO;
    sm->tlv.ussd_service_op = SMPP_USSD_PSSR_IND;
    sm->tlv.its_session_info = 0x0500;
}

static const char dlr_text[] = "id:5A1F00C3 sub:001 dlvrd:001 submit date:2611281200 "
                               "done date:2611281201 stat:DELIVRD err:000 text:";

static void
x_deliver_sm_dlr(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_DELIVER_SM, 21);
    struct smpp_sm *sm = &p->body.sm;
    sm_addr(sm, 1, 1, "8613800138000", 3, 0, "10658888");
    sm->esm_class = SMPP_ESM_DELIVERY_RECEIPT;
    set_text(sm, dlr_text);
    sm->tlv.present =
        SMPP_TLV_RECEIPTED_MESSAGE_ID | SMPP_TLV_NETWORK_ERROR_CODE | SMPP_TLV_MESSAGE_STATE;
    strcpy(sm->tlv.receipted_message_id, "5A1F00C3");
    sm->tlv.network_error_code[0] = 3;
    sm->tlv.message_state = SMPP_STATE_DELIVERED;
}

static void
x_deliver_sm_resp(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_DELIVER_SM_RESP, 20);
}

static void
x_deliver_sm_resp_tempfail(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_DELIVER_SM_RESP, 21);
    p->hdr.command_status = SMPP_ESME_RX_T_APPN;
}

struct golden_case {
    const char *name;
    void (*build)(struct smpp_pdu *);
};

static const struct golden_case goldens[] = {
    {"bind_transceiver", x_bind_transceiver},
    {"bind_transceiver_resp", x_bind_transceiver_resp},
    {"bind_transceiver_resp_fail", x_bind_transceiver_resp_fail},
    {"bind_transmitter", x_bind_transmitter},
    {"bind_receiver", x_bind_receiver},
    {"outbind", x_outbind},
    {"enquire_link", x_enquire_link},
    {"enquire_link_resp", x_enquire_link_resp},
    {"unbind", x_unbind},
    {"unbind_resp", x_unbind_resp},
    {"generic_nack", x_generic_nack},
    {"submit_sm_udh", x_submit_sm_udh},
    {"submit_sm_payload", x_submit_sm_payload},
    {"submit_sm_ussd", x_submit_sm_ussd},
    {"submit_sm_sar", x_submit_sm_sar},
    {"submit_sm_resp", x_submit_sm_resp},
    {"submit_sm_resp_throttled", x_submit_sm_resp_throttled},
    {"deliver_sm_mo", x_deliver_sm_mo},
    {"deliver_sm_ussd", x_deliver_sm_ussd},
    {"deliver_sm_dlr", x_deliver_sm_dlr},
    {"deliver_sm_resp", x_deliver_sm_resp},
    {"deliver_sm_resp_tempfail", x_deliver_sm_resp_tempfail},
};
#define GOLDEN_COUNT (sizeof goldens / sizeof goldens[0])

/* ---- field-by-field comparison --------------------------------------------------------- */

static void
expect_sm_equal(const struct smpp_sm *a, const struct smpp_sm *b)
{
    assert_string_equal(a->service_type, b->service_type);
    assert_int_equal(a->source_addr_ton, b->source_addr_ton);
    assert_int_equal(a->source_addr_npi, b->source_addr_npi);
    assert_string_equal(a->source_addr, b->source_addr);
    assert_int_equal(a->dest_addr_ton, b->dest_addr_ton);
    assert_int_equal(a->dest_addr_npi, b->dest_addr_npi);
    assert_string_equal(a->destination_addr, b->destination_addr);
    assert_int_equal(a->esm_class, b->esm_class);
    assert_int_equal(a->protocol_id, b->protocol_id);
    assert_int_equal(a->priority_flag, b->priority_flag);
    assert_string_equal(a->schedule_delivery_time, b->schedule_delivery_time);
    assert_string_equal(a->validity_period, b->validity_period);
    assert_int_equal(a->registered_delivery, b->registered_delivery);
    assert_int_equal(a->replace_if_present_flag, b->replace_if_present_flag);
    assert_int_equal(a->data_coding, b->data_coding);
    assert_int_equal(a->sm_default_msg_id, b->sm_default_msg_id);
    assert_int_equal(a->sm_length, b->sm_length);
    assert_memory_equal(a->short_message, b->short_message, a->sm_length);
    const struct smpp_tlvs *x = &a->tlv, *y = &b->tlv;
    assert_int_equal(x->present, y->present);
    if (x->present & SMPP_TLV_RECEIPTED_MESSAGE_ID)
        assert_string_equal(x->receipted_message_id, y->receipted_message_id);
    if (x->present & SMPP_TLV_USER_MESSAGE_REFERENCE)
        assert_int_equal(x->user_message_reference, y->user_message_reference);
    if (x->present & SMPP_TLV_SAR_MSG_REF_NUM)
        assert_int_equal(x->sar_msg_ref_num, y->sar_msg_ref_num);
    if (x->present & SMPP_TLV_SAR_TOTAL_SEGMENTS)
        assert_int_equal(x->sar_total_segments, y->sar_total_segments);
    if (x->present & SMPP_TLV_SAR_SEGMENT_SEQNUM)
        assert_int_equal(x->sar_segment_seqnum, y->sar_segment_seqnum);
    if (x->present & SMPP_TLV_NETWORK_ERROR_CODE)
        assert_memory_equal(x->network_error_code, y->network_error_code, 3);
    if (x->present & SMPP_TLV_MESSAGE_STATE)
        assert_int_equal(x->message_state, y->message_state);
    if (x->present & SMPP_TLV_USSD_SERVICE_OP)
        assert_int_equal(x->ussd_service_op, y->ussd_service_op);
    if (x->present & SMPP_TLV_ITS_SESSION_INFO)
        assert_int_equal(x->its_session_info, y->its_session_info);
    if (x->present & SMPP_TLV_MESSAGE_PAYLOAD) {
        assert_int_equal(x->message_payload_len, y->message_payload_len);
        assert_memory_equal(x->message_payload, y->message_payload, x->message_payload_len);
    }
}

static void
expect_pdu_equal(const struct smpp_pdu *a, const struct smpp_pdu *b)
{
    assert_int_equal(a->hdr.command_id, b->hdr.command_id);
    assert_int_equal(a->hdr.command_status, b->hdr.command_status);
    assert_int_equal(a->hdr.sequence_number, b->hdr.sequence_number);
    uint32_t id = a->hdr.command_id;
    if (a->hdr.command_status != 0)
        return; /* header-only error responses */
    switch (id) {
    case SMPP_BIND_RECEIVER:
    case SMPP_BIND_TRANSMITTER:
    case SMPP_BIND_TRANSCEIVER:
        assert_string_equal(a->body.bind.system_id, b->body.bind.system_id);
        assert_string_equal(a->body.bind.password, b->body.bind.password);
        assert_string_equal(a->body.bind.system_type, b->body.bind.system_type);
        assert_int_equal(a->body.bind.interface_version, b->body.bind.interface_version);
        assert_int_equal(a->body.bind.addr_ton, b->body.bind.addr_ton);
        assert_int_equal(a->body.bind.addr_npi, b->body.bind.addr_npi);
        assert_string_equal(a->body.bind.address_range, b->body.bind.address_range);
        break;
    case SMPP_BIND_RECEIVER_RESP:
    case SMPP_BIND_TRANSMITTER_RESP:
    case SMPP_BIND_TRANSCEIVER_RESP:
        assert_string_equal(a->body.bind_resp.system_id, b->body.bind_resp.system_id);
        assert_int_equal(a->body.bind_resp.has_sc_interface_version,
                         b->body.bind_resp.has_sc_interface_version);
        assert_int_equal(a->body.bind_resp.sc_interface_version,
                         b->body.bind_resp.sc_interface_version);
        break;
    case SMPP_OUTBIND:
        assert_string_equal(a->body.outbind.system_id, b->body.outbind.system_id);
        assert_string_equal(a->body.outbind.password, b->body.outbind.password);
        break;
    case SMPP_SUBMIT_SM:
    case SMPP_DELIVER_SM:
        expect_sm_equal(&a->body.sm, &b->body.sm);
        break;
    case SMPP_SUBMIT_SM_RESP:
    case SMPP_DELIVER_SM_RESP:
        assert_string_equal(a->body.sm_resp.message_id, b->body.sm_resp.message_id);
        break;
    default:
        break;
    }
}

/* ---- golden round trips ---------------------------------------------------------------- */

static void
test_golden_decode(void **state)
{
    (void)state;
    for (size_t i = 0; i < GOLDEN_COUNT; i++) {
        uint8_t wire[HEX_MAX];
        size_t len = golden_load(goldens[i].name, wire, sizeof wire);
        struct smpp_pdu want, got;
        goldens[i].build(&want);
        char err[160] = "";
        int rc = smpp_pdu_decode(wire, len, &got, err, sizeof err);
        if (rc != 0)
            fail_msg("%s: decode: %s (%s)", goldens[i].name, gy_strerror(rc), err);
        assert_int_equal(got.hdr.command_length, len);
        assert_int_equal(got.tlv_skipped, 0);
        expect_pdu_equal(&got, &want);
    }
}

static void
test_golden_encode(void **state)
{
    (void)state;
    for (size_t i = 0; i < GOLDEN_COUNT; i++) {
        uint8_t wire[HEX_MAX], out[SMPP_ENCODE_MAX];
        size_t len = golden_load(goldens[i].name, wire, sizeof wire);
        struct smpp_pdu want;
        goldens[i].build(&want);
        size_t n = 0;
        char err[160] = "";
        int rc = smpp_pdu_encode(&want, out, sizeof out, &n, err, sizeof err);
        if (rc != 0)
            fail_msg("%s: encode: %s (%s)", goldens[i].name, gy_strerror(rc), err);
        if (n != len || memcmp(out, wire, len) != 0) {
            size_t at = 0;
            while (at < n && at < len && out[at] == wire[at])
                at++;
            fail_msg("%s: encoded %zu octets, golden %zu; first difference at octet %zu",
                     goldens[i].name, n, len, at);
        }
    }
}

/* The two things the DLR and USSD paths read, spelled out. */
static void
test_typed_helpers(void **state)
{
    (void)state;
    uint8_t wire[HEX_MAX];
    struct smpp_pdu p;
    size_t len = golden_load("deliver_sm_dlr", wire, sizeof wire);
    assert_int_equal(smpp_pdu_decode(wire, len, &p, NULL, 0), 0);
    assert_true(p.body.sm.esm_class & SMPP_ESM_DELIVERY_RECEIPT);
    assert_string_equal(p.body.sm.tlv.receipted_message_id, "5A1F00C3");
    assert_int_equal(p.body.sm.tlv.message_state, SMPP_STATE_DELIVERED);
    size_t mlen = 0;
    const uint8_t *m = smpp_sm_message(&p.body.sm, &mlen);
    assert_int_equal(mlen, strlen(dlr_text));
    assert_memory_equal(m, dlr_text, mlen);

    len = golden_load("submit_sm_ussd", wire, sizeof wire);
    assert_int_equal(smpp_pdu_decode(wire, len, &p, NULL, 0), 0);
    assert_int_equal(smpp_its_session_number(p.body.sm.tlv.its_session_info), 5);
    assert_int_equal(smpp_its_sequence(p.body.sm.tlv.its_session_info), 1);
    assert_false(smpp_its_end_of_session(p.body.sm.tlv.its_session_info));
    assert_int_equal(smpp_its_make(5, 1, true), 0x0503);

    len = golden_load("submit_sm_payload", wire, sizeof wire);
    assert_int_equal(smpp_pdu_decode(wire, len, &p, NULL, 0), 0);
    m = smpp_sm_message(&p.body.sm, &mlen);
    assert_ptr_equal(m, p.body.sm.tlv.message_payload);
    assert_true(mlen > SMPP_SHORT_MESSAGE_ENCODE_MAX);
}

/* ---- framing --------------------------------------------------------------------------- */

struct frame_case {
    const char *hex; /* first octets received */
    uint32_t max_len;
    int rc;
    uint32_t pdu_len;
};

static const struct frame_case frame_cases[] = {
    {"", 4096, 0, 0},
    {"000000", 4096, 0, 0},
    {"00000010", 4096, 0, 16},
    {"0000001000000015", 4096, 0, 16},
    {"0000000f", 4096, GY_ERANGE, 0},
    {"00000000", 4096, GY_ERANGE, 0},
    {"00001000", 4096, 0, 4096},
    {"00001001", 4096, GY_ERANGE, 0},
    {"00010000", 65536, 0, 65536},
    {"00010001", 65536, GY_ERANGE, 0},
    {"ffffffff", 65536, GY_ERANGE, 0},
    {"00000010", 15, GY_EINVAL, 0},
    {"00000010", 65537, GY_EINVAL, 0},
};

static void
test_frame_length(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof frame_cases / sizeof frame_cases[0]; i++) {
        const struct frame_case *c = &frame_cases[i];
        uint8_t buf[16];
        size_t n = hex_parse(c->hex, buf, sizeof buf);
        uint32_t len = 12345;
        int rc = smpp_frame_length(n ? buf : NULL, n, c->max_len, &len);
        if (rc != c->rc)
            fail_msg("frame case %zu (%s): rc %d, want %d", i, c->hex, rc, c->rc);
        if (rc == 0)
            assert_int_equal(len, c->pdu_len);
    }
    assert_int_equal(smpp_frame_length(NULL, 4, 4096, NULL), GY_EINVAL);
}

/* Several PDUs in one stream, received in chunks of every size from 1 to 40 octets. */
static void
test_frame_stream(void **state)
{
    (void)state;
    static const char *names[] = {"deliver_sm_dlr", "enquire_link", "submit_sm_resp",
                                  "deliver_sm_ussd"};
    static const uint32_t ids[] = {SMPP_DELIVER_SM, SMPP_ENQUIRE_LINK, SMPP_SUBMIT_SM_RESP,
                                   SMPP_DELIVER_SM};
    uint8_t stream[HEX_MAX * 2];
    size_t total = 0;
    for (size_t i = 0; i < 4; i++)
        total += golden_load(names[i], stream + total, sizeof stream - total);
    for (size_t chunk = 1; chunk <= 40; chunk++) {
        uint8_t rx[HEX_MAX * 2];
        size_t have = 0, fed = 0, got = 0;
        while (fed < total || have > 0) {
            size_t n = total - fed < chunk ? total - fed : chunk;
            memcpy(rx + have, stream + fed, n);
            have += n;
            fed += n;
            for (;;) {
                uint32_t need = 0;
                assert_int_equal(smpp_frame_length(rx, have, 4096, &need), 0);
                if (need == 0 || have < need)
                    break;
                struct smpp_pdu p;
                assert_int_equal(smpp_pdu_decode(rx, need, &p, NULL, 0), 0);
                assert_true(got < 4);
                assert_int_equal(p.hdr.command_id, ids[got]);
                got++;
                memmove(rx, rx + need, have - need);
                have -= need;
            }
            if (fed == total && have > 0 && n == 0)
                fail_msg("chunk %zu: %zu octets left over", chunk, have);
        }
        assert_int_equal(got, 4);
    }
}

/* ---- malformed input ------------------------------------------------------------------- */

/* A minimal, valid submit_sm/deliver_sm mandatory part (19 octets, sm_length 0). */
#define MIN_SM                                                                                     \
    "00"                                                                                           \
    "0101"                                                                                         \
    "3100"                                                                                         \
    "0101"                                                                                         \
    "3200"                                                                                         \
    "000000"                                                                                       \
    "00"                                                                                           \
    "00"                                                                                           \
    "00000000"                                                                                     \
    "00"

struct bad_case {
    const char *name;
    uint32_t command_id;
    uint32_t status;
    const char *body; /* hex; the header is built with the right command_length... */
    int cl_delta;     /* ...plus this (the PDU itself is not lengthened) */
    int rc;           /* expected return */
    unsigned skipped; /* expected tlv_skipped when rc == 0 */
};

static const struct bad_case bad_cases[] = {
    {"short body: source_addr cut", SMPP_SUBMIT_SM, 0,
     "000101"
     "31",
     0, GY_EPARSE, 0},
    {"C-string without NUL", SMPP_BIND_TRANSCEIVER, 0, "676f6e67796f75", 0, GY_EPARSE, 0},
    {"C-string too long", SMPP_BIND_TRANSCEIVER, 0,
     "3132333435363738393031323334353637383900"
     "00"
     "00"
     "34"
     "00"
     "00"
     "00",
     0, GY_EPARSE, 0},
    {"bind fields missing", SMPP_BIND_TRANSCEIVER, 0,
     "6100"
     "6200"
     "00"
     "34",
     0, GY_EPARSE, 0},
    {"sm_length beyond the body", SMPP_SUBMIT_SM, 0,
     "00"
     "0101"
     "3100"
     "0101"
     "3200"
     "000000"
     "00"
     "00"
     "00000000"
     "10"
     "616263",
     0, GY_EPARSE, 0},
    {"sm_length 255", SMPP_DELIVER_SM, 0,
     "00"
     "0101"
     "3100"
     "0101"
     "3200"
     "000000"
     "00"
     "00"
     "00000000"
     "ff",
     0, GY_EPARSE, 0},
    {"deliver_sm with a schedule", SMPP_DELIVER_SM, 0,
     "00"
     "0101"
     "3100"
     "0101"
     "3200"
     "000000"
     "3100"
     "00"
     "00000000"
     "00",
     0, GY_EPARSE, 0},
    {"TLV length overrun", SMPP_DELIVER_SM, 0,
     MIN_SM "04240100"
            "4142",
     0, GY_EPARSE, 0},
    {"TLV header cut", SMPP_SUBMIT_SM, 0, MIN_SM "042400", 0, GY_EPARSE, 0},
    {"ussd_service_op of 2 octets", SMPP_SUBMIT_SM, 0, MIN_SM "050100020102", 0, GY_EPARSE, 0},
    {"its_session_info of 1 octet", SMPP_DELIVER_SM, 0, MIN_SM "1383000105", 0, GY_EPARSE, 0},
    {"sar_total_segments of 2 octets", SMPP_SUBMIT_SM, 0, MIN_SM "020e00020003", 0, GY_EPARSE, 0},
    {"network_error_code of 2 octets", SMPP_DELIVER_SM, 0, MIN_SM "042300020300", 0, GY_EPARSE, 0},
    {"receipted_message_id of 66 octets", SMPP_DELIVER_SM, 0,
     MIN_SM "001e0042"
            "3132333435363738393031323334353637383930313233343536373839303132"
            "3132333435363738393031323334353637383930313233343536373839303132"
            "3300",
     0, GY_EPARSE, 0},
    {"command_length larger than given", SMPP_ENQUIRE_LINK, 0, "", 4, GY_ERANGE, 0},
    {"command_length smaller than given", SMPP_SUBMIT_SM, 0, MIN_SM, -2, GY_ERANGE, 0},
    {"command_length below 16", SMPP_ENQUIRE_LINK, 0, "", -1, GY_ERANGE, 0},
    {"enquire_link with 3 stray octets", SMPP_ENQUIRE_LINK, 0, "010203", 0, GY_EPARSE, 0},
    {"bind_transceiver_resp OK without body", SMPP_BIND_TRANSCEIVER_RESP, 0, "", 0, GY_EPARSE, 0},
    {"data_sm is not handled", 0x00000103u, 0, "00", 0, GY_ENOTFOUND, 0},
    {"query_sm is not handled", 0x00000003u, 0,
     "3100"
     "0101"
     "3200",
     0, GY_ENOTFOUND, 0},
    {"unknown command_id", 0x12345678u, 0, "", 0, GY_ENOTFOUND, 0},
    /* accepted oddities */
    {"vendor TLV skipped", SMPP_DELIVER_SM, 0,
     MIN_SM "1401000361626305010001"
            "01",
     0, 0, 1},
    {"repeated TLV skipped", SMPP_SUBMIT_SM, 0,
     MIN_SM "0501000102"
            "0501000103",
     0, 0, 1},
    {"unknown TLVs on enquire_link skipped", SMPP_ENQUIRE_LINK, 0, "00050001ff", 0, 0, 1},
    {"TON 7 and NPI 2 passed through", SMPP_DELIVER_SM, 0,
     "00"
     "0702"
     "3100"
     "0101"
     "3200"
     "000000"
     "00"
     "00"
     "00000000"
     "00",
     0, 0, 0},
    {"bind interface_version 0x33 passed through", SMPP_BIND_TRANSMITTER, 0,
     "6100"
     "6200"
     "00"
     "33"
     "00"
     "00"
     "00",
     0, 0, 0},
    {"vendor status, header only", SMPP_SUBMIT_SM_RESP, 0x00000400u, "", 0, 0, 0},
    {"error status with empty message_id", SMPP_SUBMIT_SM_RESP, SMPP_ESME_RTHROTTLED, "00", 0, 0,
     0},
    {"deliver_sm_resp with a message_id", SMPP_DELIVER_SM_RESP, 0, "616200", 0, 0, 0},
    {"submit_sm_resp v5 TLV skipped", SMPP_SUBMIT_SM_RESP, 0,
     "6100"
     "04250001"
     "02",
     0, 0, 1},
    {"receipted_message_id of 65 octets without NUL", SMPP_DELIVER_SM, 0,
     MIN_SM "001e0041"
            "3132333435363738393031323334353637383930313233343536373839303132"
            "3132333435363738393031323334353637383930313233343536373839303132"
            "33",
     0, 0, 0},
    {"receipted_message_id with a NUL inside, in a submit_sm", SMPP_SUBMIT_SM, 0,
     MIN_SM "001e0005"
            "4142004344",
     0, 0, 0},
    {"empty receipted_message_id and message_payload", SMPP_DELIVER_SM, 0,
     MIN_SM "001e0000"
            "04240000",
     0, 0, 0},
    {"a second message_payload skipped", SMPP_SUBMIT_SM, 0,
     MIN_SM "04240001"
            "41"
            "0424000a"
            "41414141414141414141",
     0, 0, 1},
};

static size_t
build_pdu(const struct bad_case *c, uint8_t *buf, size_t cap)
{
    size_t body = hex_parse(c->body, buf + 16, cap - 16);
    size_t len = 16 + body;
    uint32_t cl = (uint32_t)((long)len + c->cl_delta);
    uint32_t v[4] = {cl, c->command_id, c->status, 77};
    for (int i = 0; i < 4; i++)
        for (int b = 0; b < 4; b++)
            buf[i * 4 + b] = (uint8_t)(v[i] >> (24 - 8 * b));
    return len;
}

static void
test_malformed(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const struct bad_case *c = &bad_cases[i];
        uint8_t buf[HEX_MAX];
        size_t len = build_pdu(c, buf, sizeof buf);
        struct smpp_pdu p;
        char err[160] = "";
        int rc = smpp_pdu_decode(buf, len, &p, err, sizeof err);
        if (rc != c->rc)
            fail_msg("%s: rc %d (%s), want %d", c->name, rc, err, c->rc);
        if (rc == 0) {
            assert_int_equal(p.tlv_skipped, c->skipped);
            assert_int_equal(p.hdr.command_status, c->status);
        } else {
            assert_true(err[0] != '\0');
        }
        if (rc == 0 || rc == GY_ENOTFOUND || rc == GY_EPARSE) /* header kept for the nack */
            assert_int_equal(p.hdr.sequence_number, 77);
    }
    /* the values libsmpp34 refuses come back as they were on the wire */
    uint8_t buf[HEX_MAX];
    struct smpp_pdu p;
    size_t len = build_pdu(&bad_cases[25], buf, sizeof buf);
    assert_int_equal(smpp_pdu_decode(buf, len, &p, NULL, 0), 0);
    assert_int_equal(p.body.sm.source_addr_ton, 7);
    assert_int_equal(p.body.sm.source_addr_npi, 2);
    len = build_pdu(&bad_cases[26], buf, sizeof buf);
    assert_int_equal(smpp_pdu_decode(buf, len, &p, NULL, 0), 0);
    assert_int_equal(p.body.bind.interface_version, 0x33);
    len = build_pdu(&bad_cases[29], buf, sizeof buf);
    assert_int_equal(smpp_pdu_decode(buf, len, &p, NULL, 0), 0);
    assert_string_equal(p.body.sm_resp.message_id, "ab");
    /* short buffers, NULLs */
    assert_int_equal(smpp_pdu_decode(buf, 15, &p, NULL, 0), GY_ERANGE);
    assert_int_equal(smpp_pdu_decode(NULL, 16, &p, NULL, 0), GY_EINVAL);
    assert_int_equal(smpp_pdu_decode(buf, 16, NULL, NULL, 0), GY_EINVAL);
}

/* message_payload beyond what libsmpp34 holds is refused as too big, not as garbage. */
static void
test_payload_too_big(void **state)
{
    (void)state;
    static uint8_t buf[16 + 19 + 4 + 1100];
    struct bad_case c = {"", SMPP_DELIVER_SM, 0, MIN_SM, 0, 0, 0};
    size_t len = build_pdu(&c, buf, sizeof buf);
    buf[len++] = 0x04;
    buf[len++] = 0x24;
    buf[len++] = (uint8_t)(1100 >> 8);
    buf[len++] = (uint8_t)(1100 & 0xFF);
    memset(buf + len, 'x', 1100);
    len += 1100;
    buf[0] = (uint8_t)(len >> 24);
    buf[1] = (uint8_t)(len >> 16);
    buf[2] = (uint8_t)(len >> 8);
    buf[3] = (uint8_t)len;
    struct smpp_pdu p;
    assert_int_equal(smpp_pdu_decode(buf, len, &p, NULL, 0), GY_ETOOBIG);
    assert_int_equal(p.hdr.sequence_number, 77);
}

/* Every truncation and many random corruptions of every golden PDU: a clean return code,
 * never a crash or leak (ASan), and whatever decodes re-encodes into something decodable. */
static void
test_mutations(void **state)
{
    (void)state;
    uint32_t seed = 0x9e3779b9u;
    for (size_t i = 0; i < GOLDEN_COUNT; i++) {
        uint8_t wire[HEX_MAX], m[HEX_MAX], out[SMPP_ENCODE_MAX];
        size_t len = golden_load(goldens[i].name, wire, sizeof wire);
        struct smpp_pdu p, q;
        for (size_t cut = 16; cut < len; cut++) {
            memcpy(m, wire, cut);
            assert_int_equal(smpp_pdu_decode(m, cut, &p, NULL, 0), GY_ERANGE);
            m[0] = m[1] = 0;
            m[2] = (uint8_t)(cut >> 8);
            m[3] = (uint8_t)cut;
            int rc = smpp_pdu_decode(m, cut, &p, NULL, 0);
            assert_true(rc == 0 || rc == GY_EPARSE);
        }
        for (int round = 0; round < 400; round++) {
            memcpy(m, wire, len);
            int flips = 1 + (int)(seed % 3);
            for (int f = 0; f < flips; f++) {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                size_t at = 4 + seed % (len - 4); /* keep command_length */
                m[at] = (uint8_t)(seed >> 8);
            }
            char err[160];
            int rc = smpp_pdu_decode(m, len, &p, err, sizeof err);
            assert_true(rc == 0 || rc == GY_EPARSE || rc == GY_ENOTFOUND || rc == GY_ETOOBIG);
            if (rc != 0)
                continue;
            size_t n = 0;
            rc = smpp_pdu_encode(&p, out, sizeof out, &n, err, sizeof err);
            assert_true(rc == 0 || rc == GY_EINVAL || rc == GY_ETOOBIG);
            if (rc == 0)
                assert_int_equal(smpp_pdu_decode(out, n, &q, err, sizeof err), 0);
        }
    }
}

/* ---- encode errors --------------------------------------------------------------------- */

struct enc_case {
    const char *name;
    void (*build)(struct smpp_pdu *);
    void (*mutate)(struct smpp_pdu *);
    int rc;
};

static void
m_seq0(struct smpp_pdu *p)
{
    p->hdr.sequence_number = 0;
}
static void
m_status(struct smpp_pdu *p)
{
    p->hdr.command_status = 1;
}
static void
m_sm254(struct smpp_pdu *p)
{
    p->body.sm.tlv.present = 0;
    p->body.sm.sm_length = 254;
}
static void
m_both(struct smpp_pdu *p)
{
    p->body.sm.sm_length = 3;
}
static void
m_payload_big(struct smpp_pdu *p)
{
    p->body.sm.tlv.message_payload_len = 1025;
}
static void
m_src_unterminated(struct smpp_pdu *p)
{
    memset(p->body.sm.source_addr, '8', sizeof p->body.sm.source_addr);
}
static void
m_service_type_long(struct smpp_pdu *p)
{
    memcpy(p->body.sm.service_type, "USSDXX", 6);
}
static void
m_ton9(struct smpp_pdu *p)
{
    p->body.sm.source_addr_ton = 9;
}
static void
m_npi2(struct smpp_pdu *p)
{
    p->body.sm.dest_addr_npi = 2;
}
static void
m_validity(struct smpp_pdu *p)
{
    strcpy(p->body.sm.validity_period, "000001000000000R");
}
static void
m_iv33(struct smpp_pdu *p)
{
    p->body.bind.interface_version = 0x33;
}
static void
m_dsr_id(struct smpp_pdu *p)
{
    strcpy(p->body.sm_resp.message_id, "1");
}
static void
m_data_sm(struct smpp_pdu *p)
{
    p->hdr.command_id = 0x00000103u;
}
static void
m_rmid_unterminated(struct smpp_pdu *p)
{
    memset(p->body.sm.tlv.receipted_message_id, 'A', SMPP_MESSAGE_ID_SIZE);
}
static void
m_nack_seq0(struct smpp_pdu *p)
{
    p->hdr.sequence_number = 0;
}
static void
m_none(struct smpp_pdu *p)
{
    (void)p;
}

static const struct enc_case enc_cases[] = {
    {"sequence_number 0", x_enquire_link, m_seq0, GY_EINVAL},
    {"request with a status", x_submit_sm_sar, m_status, GY_EINVAL},
    {"short_message of 254", x_submit_sm_sar, m_sm254, GY_ETOOBIG},
    {"payload and short_message", x_submit_sm_payload, m_both, GY_EINVAL},
    {"payload of 1025", x_submit_sm_payload, m_payload_big, GY_ETOOBIG},
    {"source_addr not terminated", x_submit_sm_sar, m_src_unterminated, GY_EINVAL},
    {"service_type of 6", x_submit_sm_ussd, m_service_type_long, GY_EINVAL},
    {"TON 9", x_submit_sm_sar, m_ton9, GY_EINVAL},
    {"NPI 2", x_deliver_sm_mo, m_npi2, GY_EINVAL},
    {"deliver_sm with validity", x_deliver_sm_mo, m_validity, GY_EINVAL},
    {"bind interface_version 0x33", x_bind_transceiver, m_iv33, GY_EINVAL},
    {"deliver_sm_resp with a message_id", x_deliver_sm_resp, m_dsr_id, GY_EINVAL},
    {"data_sm", x_enquire_link, m_data_sm, GY_ENOTFOUND},
    {"receipted_message_id not terminated", x_deliver_sm_dlr, m_rmid_unterminated, GY_EINVAL},
    {"generic_nack with sequence 0", x_generic_nack, m_nack_seq0, 0},
    {"error response, any status", x_submit_sm_resp_throttled, m_none, 0},
};

static void
test_encode_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof enc_cases / sizeof enc_cases[0]; i++) {
        const struct enc_case *c = &enc_cases[i];
        struct smpp_pdu p;
        c->build(&p);
        c->mutate(&p);
        uint8_t out[SMPP_ENCODE_MAX];
        size_t n = 99;
        char err[160] = "";
        int rc = smpp_pdu_encode(&p, out, sizeof out, &n, err, sizeof err);
        if (rc != c->rc)
            fail_msg("%s: rc %d (%s), want %d", c->name, rc, err, c->rc);
        if (rc != 0) {
            assert_int_equal(n, 0);
            assert_true(err[0] != '\0');
        }
    }
    /* the caller's buffer: exact size works, one less does not */
    struct smpp_pdu p;
    x_deliver_sm_dlr(&p);
    uint8_t out[SMPP_ENCODE_MAX];
    size_t n = 0, m = 0;
    assert_int_equal(smpp_pdu_encode(&p, out, sizeof out, &n, NULL, 0), 0);
    assert_int_equal(smpp_pdu_encode(&p, out, n, &m, NULL, 0), 0);
    assert_int_equal(m, n);
    assert_int_equal(smpp_pdu_encode(&p, out, n - 1, &m, NULL, 0), GY_ETOOBIG);
    x_generic_nack(&p);
    assert_int_equal(smpp_pdu_encode(&p, out, 15, &m, NULL, 0), GY_ETOOBIG);
    assert_int_equal(smpp_pdu_encode(NULL, out, 15, &m, NULL, 0), GY_EINVAL);
    /* the largest PDU fits SMPP_ENCODE_MAX */
    x_deliver_sm_dlr(&p);
    p.body.sm.sm_length = 0;
    p.body.sm.tlv.present = ((uint32_t)SMPP_TLV_ITS_SESSION_INFO << 1) - 1; /* all typed TLVs */
    memset(p.body.sm.tlv.receipted_message_id, 'A', SMPP_MESSAGE_ID_SIZE - 1);
    p.body.sm.tlv.message_payload_len = SMPP_PAYLOAD_MAX;
    memset(p.body.sm.source_addr, '1', sizeof p.body.sm.source_addr - 1);
    memset(p.body.sm.destination_addr, '2', sizeof p.body.sm.destination_addr - 1);
    memset(p.body.sm.service_type, 'S', sizeof p.body.sm.service_type - 1);
    p.hdr.command_id = SMPP_SUBMIT_SM;
    memset(p.body.sm.validity_period, '0', sizeof p.body.sm.validity_period - 1);
    memset(p.body.sm.schedule_delivery_time, '0', sizeof p.body.sm.schedule_delivery_time - 1);
    assert_int_equal(smpp_pdu_encode(&p, out, sizeof out, &n, NULL, 0), 0);
    struct smpp_pdu q;
    assert_int_equal(smpp_pdu_decode(out, n, &q, NULL, 0), 0);
    expect_pdu_equal(&q, &p);
}

/* generic_nack for a command we do not handle keeps the original sequence number. */
static void
test_unknown_command_nack(void **state)
{
    (void)state;
    uint8_t in[32];
    size_t len = hex_parse("00000014 00000103 00000000 0000abcd 00000000", in, sizeof in);
    struct smpp_pdu p, nack;
    char err[160] = "";
    assert_int_equal(smpp_pdu_decode(in, len, &p, err, sizeof err), GY_ENOTFOUND);
    assert_non_null(strstr(err, "0x00000103"));
    smpp_pdu_init(&nack, SMPP_GENERIC_NACK, p.hdr.sequence_number);
    nack.hdr.command_status = SMPP_ESME_RINVCMDID;
    uint8_t out[32], want[32];
    size_t n = 0;
    assert_int_equal(smpp_pdu_encode(&nack, out, sizeof out, &n, NULL, 0), 0);
    assert_int_equal(hex_parse("00000010 80000000 00000003 0000abcd", want, sizeof want), n);
    assert_memory_equal(out, want, n);
}

static void
test_set_message_and_names(void **state)
{
    (void)state;
    struct smpp_sm sm;
    memset(&sm, 0, sizeof sm);
    static uint8_t text[SMPP_PAYLOAD_MAX + 1];
    memset(text, 'a', sizeof text);
    size_t cases[] = {0,
                      1,
                      140,
                      SMPP_SHORT_MESSAGE_ENCODE_MAX,
                      SMPP_SHORT_MESSAGE_ENCODE_MAX + 1,
                      SMPP_PAYLOAD_MAX};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(smpp_sm_set_message(&sm, text, cases[i]), 0);
        size_t n = 99;
        const uint8_t *m = smpp_sm_message(&sm, &n);
        assert_int_equal(n, cases[i]);
        assert_memory_equal(m, text, n);
        bool payload = cases[i] > SMPP_SHORT_MESSAGE_ENCODE_MAX;
        assert_int_equal((sm.tlv.present & SMPP_TLV_MESSAGE_PAYLOAD) != 0, payload);
        assert_int_equal(sm.sm_length, payload ? 0 : cases[i]);
    }
    assert_int_equal(smpp_sm_set_message(&sm, text, SMPP_PAYLOAD_MAX + 1), GY_ETOOBIG);
    assert_int_equal(smpp_sm_set_message(&sm, NULL, 3), GY_EINVAL);
    assert_string_equal(smpp_command_name(SMPP_DELIVER_SM), "deliver_sm");
    assert_string_equal(smpp_command_name(0x103), "unknown");
    assert_string_equal(smpp_status_name(SMPP_ESME_RTHROTTLED), "ESME_RTHROTTLED");
    assert_string_equal(smpp_status_name(SMPP_ESME_RX_T_APPN), "ESME_RX_T_APPN");
    assert_string_equal(smpp_status_name(0x401), "unknown");
}

/* ---- fast path against libsmpp34 ------------------------------------------------------- */

/* The public decode and encode take the fast path for submit_sm and deliver_sm; the libsmpp34
 * path stays as the reference (smpp_codec_int.h). Every input below goes through both: the
 * same return code, the same struct smpp_pdu to the octet (both memset it first), the same
 * encoded octets. */

static uint32_t
xorshift(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void
set_len(uint8_t *m, size_t len)
{
    m[0] = (uint8_t)(len >> 24);
    m[1] = (uint8_t)(len >> 16);
    m[2] = (uint8_t)(len >> 8);
    m[3] = (uint8_t)len;
}

/* Decodes buf both ways and fails on any difference; returns the common rc. On success *out
 * holds the decoded PDU. */
static int
diff_decode(const uint8_t *buf, size_t len, const char *what, size_t round, struct smpp_pdu *out)
{
    static struct smpp_pdu a, b;
    memset(&a, 0xA5, sizeof a);
    memset(&b, 0x5A, sizeof b);
    char ea[160] = "", eb[160] = "";
    int ra = codec_sm_decode_fast(buf, len, &a, ea, sizeof ea);
    int rb = codec_sm_decode_l34(buf, len, &b, eb, sizeof eb);
    if (ra != rb)
        fail_msg("%s #%zu: fast decode rc %d (%s), libsmpp34 rc %d (%s)", what, round, ra, ea, rb,
                 eb);
    if (memcmp(&a, &b, sizeof a) != 0) {
        size_t at = 0;
        while (((const uint8_t *)&a)[at] == ((const uint8_t *)&b)[at])
            at++;
        fail_msg("%s #%zu: rc %d, decoded structs differ at octet %zu", what, round, ra, at);
    }
    if (ra != 0 && (ea[0] == '\0' || eb[0] == '\0'))
        fail_msg("%s #%zu: rc %d without an error text", what, round, ra);
    if (out != NULL)
        *out = a;
    return ra;
}

/* Encodes p both ways into buffers of cap octets and fails on any difference. */
static int
diff_encode(const struct smpp_pdu *p, size_t cap, const char *what, size_t round)
{
    static uint8_t a[SMPP_ENCODE_MAX + 64], b[SMPP_ENCODE_MAX + 64];
    assert_true(cap <= sizeof a);
    memset(a, 0xA5, sizeof a);
    memset(b, 0x5A, sizeof b);
    size_t na = 77, nb = 99;
    char ea[160] = "", eb[160] = "";
    int ra = codec_sm_encode_fast(p, a, cap, &na, ea, sizeof ea);
    int rb = codec_sm_encode_l34(p, b, cap, &nb, eb, sizeof eb);
    if (ra != rb)
        fail_msg("%s #%zu: fast encode rc %d (%s), libsmpp34 rc %d (%s)", what, round, ra, ea, rb,
                 eb);
    if (na != nb)
        fail_msg("%s #%zu: fast encode wrote %zu octets, libsmpp34 %zu", what, round, na, nb);
    if (ra == 0 && memcmp(a, b, na) != 0) {
        size_t at = 0;
        while (a[at] == b[at])
            at++;
        fail_msg("%s #%zu: encodings of %zu octets differ at octet %zu", what, round, na, at);
    }
    if (ra != 0 && (na != 0 || ea[0] == '\0' || eb[0] == '\0'))
        fail_msg("%s #%zu: rc %d with %zu octets or without an error text", what, round, ra, na);
    return ra;
}

static void
test_diff_goldens(void **state)
{
    (void)state;
    for (size_t i = 0; i < GOLDEN_COUNT; i++) {
        uint8_t wire[HEX_MAX];
        size_t len = golden_load(goldens[i].name, wire, sizeof wire);
        struct smpp_pdu p, want;
        assert_int_equal(diff_decode(wire, len, goldens[i].name, 0, &p), 0);
        goldens[i].build(&want);
        assert_int_equal(diff_encode(&p, SMPP_ENCODE_MAX, goldens[i].name, 1), 0);
        assert_int_equal(diff_encode(&want, SMPP_ENCODE_MAX, goldens[i].name, 2), 0);
        for (size_t cap = 0; cap <= len; cap++) /* the buffer bound, octet by octet */
            assert_int_equal(diff_encode(&want, cap, goldens[i].name, 3 + cap),
                             cap < len ? GY_ETOOBIG : 0);
    }
}

static void
test_diff_malformed(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        uint8_t buf[HEX_MAX];
        size_t len = build_pdu(&bad_cases[i], buf, sizeof buf);
        int rc = diff_decode(buf, len, bad_cases[i].name, i, NULL);
        assert_int_equal(rc, bad_cases[i].rc);
        for (size_t cut = 0; cut < len; cut++) { /* every shorter PDU, length fixed up */
            uint8_t m[HEX_MAX];
            memcpy(m, buf, len);
            if (cut >= 4)
                set_len(m, cut);
            diff_decode(m, cut, bad_cases[i].name, 1000 + cut, NULL);
        }
    }
    /* an unterminated source_addr: the error names the field, never its digits */
    uint8_t buf[HEX_MAX];
    struct bad_case c = {"",
                         SMPP_SUBMIT_SM,
                         0,
                         "00"
                         "0101"
                         "38363133383030313338303030383631333830303133383030",
                         0,
                         GY_EPARSE,
                         0};
    size_t len = build_pdu(&c, buf, sizeof buf);
    struct smpp_pdu p;
    char err[160] = "";
    assert_int_equal(codec_sm_decode_fast(buf, len, &p, err, sizeof err), GY_EPARSE);
    assert_non_null(strstr(err, "source_addr"));
    assert_null(strstr(err, "861380"));
    assert_int_equal(diff_decode(buf, len, "unterminated source_addr", 0, NULL), GY_EPARSE);
    /* NULL arguments and short buffers */
    assert_int_equal(diff_decode(buf, 15, "15 octets", 0, NULL), GY_ERANGE);
    assert_int_equal(codec_sm_decode_fast(NULL, 16, &p, NULL, 0), GY_EINVAL);
    assert_int_equal(codec_sm_decode_fast(buf, len, NULL, NULL, 0), GY_EINVAL);
    size_t n = 0;
    assert_int_equal(codec_sm_encode_fast(NULL, buf, sizeof buf, &n, NULL, 0), GY_EINVAL);
}

/* Offset of the sm_length octet of a well-formed submit_sm/deliver_sm. */
static size_t
sm_length_at(const uint8_t *m, size_t len)
{
    size_t at = 16;
    static const int skip_after[5] = {2, 2, 3, 0, 4}; /* octets after each C string */
    for (int i = 0; i < 5; i++) {
        while (at < len && m[at] != 0)
            at++;
        at += 1 + (size_t)skip_after[i];
    }
    assert_true(at < len);
    return at;
}

/* Where the optional part of a well-formed submit_sm/deliver_sm starts. */
static size_t
tlv_start(const uint8_t *m, size_t len)
{
    size_t at = sm_length_at(m, len);
    return at + 1 + m[at];
}

/* Offsets of the TLV headers of a well-formed submit_sm/deliver_sm. */
static size_t
tlv_offsets(const uint8_t *m, size_t len, size_t *off, size_t max)
{
    size_t n = 0;
    for (size_t at = tlv_start(m, len); at + 4 <= len && n < max;) {
        off[n++] = at;
        at += 4u + (size_t)((m[at + 2] << 8) | m[at + 3]);
    }
    return n;
}

static const uint16_t some_tags[] = {
    SMPP_TAG_RECEIPTED_MESSAGE_ID,
    SMPP_TAG_USER_MESSAGE_REFERENCE,
    SMPP_TAG_SAR_MSG_REF_NUM,
    SMPP_TAG_SAR_TOTAL_SEGMENTS,
    SMPP_TAG_SAR_SEGMENT_SEQNUM,
    SMPP_TAG_NETWORK_ERROR_CODE,
    SMPP_TAG_MESSAGE_PAYLOAD,
    SMPP_TAG_MESSAGE_STATE,
    SMPP_TAG_USSD_SERVICE_OP,
    SMPP_TAG_ITS_SESSION_INFO,
    SMPP_TAG_SC_INTERFACE_VERSION,
    0x1401,
    0x0005,
    0xFFFF,
};
#define SOME_TAGS (sizeof some_tags / sizeof some_tags[0])

/* One deterministic mutation of wire[len] into m; returns the new length. */
static size_t
mutate(const uint8_t *wire, size_t len, uint8_t *m, size_t cap, uint32_t *seed)
{
    memcpy(m, wire, len);
    size_t off[32];
    size_t ntlv = tlv_offsets(wire, len, off, 32);
    uint32_t r = xorshift(seed);
    size_t n = len;
    switch (r % 8) {
    case 0: /* flip one to three octets past command_length */
        for (uint32_t f = 0; f <= (r >> 8) % 3; f++)
            m[4 + xorshift(seed) % (len - 4)] = (uint8_t)xorshift(seed);
        break;
    case 1: /* truncate, length fixed up */
        n = 16 + xorshift(seed) % (len - 16);
        break;
    case 2: /* a TLV length made shorter, longer or arbitrary */
        if (ntlv > 0) {
            size_t at = off[xorshift(seed) % ntlv] + 2;
            unsigned cur = (unsigned)((m[at] << 8) | m[at + 1]);
            uint32_t k = xorshift(seed);
            unsigned v = (k % 3 == 0)   ? cur + 1 + (k >> 8) % 3
                         : (k % 3 == 1) ? (cur > 0 ? cur - 1 - (k >> 8) % (cur < 3 ? cur : 3) : 0)
                                        : (k >> 8) % 0x500;
            m[at] = (uint8_t)(v >> 8);
            m[at + 1] = (uint8_t)v;
        }
        break;
    case 3: /* another TLV appended: typed, repeated, vendor or unknown */
    {
        uint16_t tag = some_tags[xorshift(seed) % SOME_TAGS];
        uint32_t k = xorshift(seed);
        size_t tl = (k % 5 == 0)   ? (k >> 8) % 70
                    : (k % 5 == 4) ? 64 + (k >> 8) % 3 /* around receipted_message_id's 65 */
                                   : k % 5;
        if (tag == SMPP_TAG_MESSAGE_PAYLOAD && k % 5 == 0)
            tl = 1000 + (k >> 8) % 40;
        if (n + 4 + tl > cap)
            break;
        m[n] = (uint8_t)(tag >> 8);
        m[n + 1] = (uint8_t)tag;
        m[n + 2] = (uint8_t)(tl >> 8);
        m[n + 3] = (uint8_t)tl;
        for (size_t i = 0; i < tl; i++)
            m[n + 4 + i] = (k & 0x100) ? (uint8_t)xorshift(seed) : (uint8_t)('0' + i % 10);
        n += 4 + tl;
        break;
    }
    case 4: /* a TLV's tag changed */
        if (ntlv > 0) {
            size_t at = off[xorshift(seed) % ntlv];
            uint16_t tag = some_tags[xorshift(seed) % SOME_TAGS];
            m[at] = (uint8_t)(tag >> 8);
            m[at + 1] = (uint8_t)tag;
        }
        break;
    case 5: /* sm_length changed */
        m[sm_length_at(wire, len)] = (uint8_t)xorshift(seed);
        break;
    case 6: /* a NUL added or removed in the mandatory part */
    {
        size_t at = 16 + xorshift(seed) % (tlv_start(wire, len) - 16);
        m[at] = m[at] == 0 ? (uint8_t)('A' + xorshift(seed) % 26) : 0;
        break;
    }
    default: /* a TON/NPI octet made arbitrary */
    {
        size_t st = 16;
        while (m[st] != 0)
            st++;
        m[st + 1 + xorshift(seed) % 2] = (uint8_t)xorshift(seed);
        break;
    }
    }
    if (xorshift(seed) % 16 != 0 || r % 8 == 1 || r % 8 == 3)
        set_len(m, n); /* mostly a consistent command_length */
    return n;
}

static void
test_diff_mutations(void **state)
{
    (void)state;
    static const char *names[] = {
        "submit_sm_udh", "submit_sm_payload", "submit_sm_ussd", "submit_sm_sar",
        "deliver_sm_mo", "deliver_sm_ussd",   "deliver_sm_dlr", NULL};
    /* plus one with every typed TLV (the largest PDU) */
    static uint8_t all[SMPP_ENCODE_MAX];
    size_t all_len = 0;
    struct smpp_pdu p;
    x_deliver_sm_dlr(&p);
    p.body.sm.sm_length = 0;
    p.body.sm.tlv.present = ((uint32_t)SMPP_TLV_ITS_SESSION_INFO << 1) - 1;
    p.body.sm.tlv.message_payload_len = 40;
    memset(p.body.sm.tlv.message_payload, 'p', 40);
    assert_int_equal(smpp_pdu_encode(&p, all, sizeof all, &all_len, NULL, 0), 0);

    uint32_t seed = 0x2545F491u;
    size_t ok = 0, failed = 0, reencoded = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        uint8_t wire[HEX_MAX];
        size_t len;
        if (names[i] != NULL) {
            len = golden_load(names[i], wire, sizeof wire);
        } else {
            memcpy(wire, all, all_len);
            len = all_len;
        }
        const char *what = names[i] != NULL ? names[i] : "all typed TLVs";
        for (size_t round = 0; round < 1500; round++) {
            static uint8_t m[HEX_MAX];
            size_t n = mutate(wire, len, m, sizeof m, &seed);
            struct smpp_pdu d;
            int rc = diff_decode(m, n, what, round, &d);
            assert_true(rc == 0 || rc == GY_EPARSE || rc == GY_ETOOBIG || rc == GY_ERANGE ||
                        rc == GY_ENOTFOUND);
            if (rc != 0) {
                failed++;
                continue;
            }
            ok++;
            if (diff_encode(&d, SMPP_ENCODE_MAX, what, round) == 0)
                reencoded++;
        }
    }
    print_message("mutations: %zu decoded alike, %zu refused alike, %zu re-encoded alike\n", ok,
                  failed, reencoded);
    assert_true(ok > 1000 && failed > 1000 && reencoded > 500); /* both sides exercised */
}

static void
rand_str(char *s, size_t size, uint32_t *seed)
{
    uint32_t k = xorshift(seed);
    size_t n = (k % 8 == 0) ? size : (k >> 4) % size; /* sometimes unterminated */
    memset(s, 0, size);
    for (size_t i = 0; i < n; i++)
        s[i] = (char)('0' + xorshift(seed) % 43);
}

static uint8_t
rand_small(uint32_t *seed, unsigned common_max)
{
    uint32_t k = xorshift(seed);
    return (uint8_t)((k % 8 == 0) ? (k >> 8) : (k >> 8) % (common_max + 1));
}

/* Random submit_sm/deliver_sm structs, within and outside every limit. */
static void
test_diff_encode_random(void **state)
{
    (void)state;
    uint32_t seed = 0x12345679u;
    size_t ok = 0, refused = 0;
    for (size_t round = 0; round < 6000; round++) {
        struct smpp_pdu p;
        uint32_t k = xorshift(&seed);
        smpp_pdu_init(&p, (k & 1) ? SMPP_DELIVER_SM : SMPP_SUBMIT_SM, xorshift(&seed) % 5000);
        if (k % 64 == 2)
            p.hdr.command_status = xorshift(&seed) % 3;
        if (k % 97 == 3)
            p.hdr.command_id = SMPP_ENQUIRE_LINK; /* delegated the same way */
        struct smpp_sm *sm = &p.body.sm;
        sm->source_addr_ton = rand_small(&seed, 6);
        sm->source_addr_npi = (uint8_t)((xorshift(&seed) % 4) ? 1 : rand_small(&seed, 18));
        sm->dest_addr_ton = rand_small(&seed, 6);
        sm->dest_addr_npi = (uint8_t)((xorshift(&seed) % 4) ? 1 : rand_small(&seed, 18));
        if (xorshift(&seed) % 2)
            rand_str(sm->service_type, sizeof sm->service_type, &seed);
        rand_str(sm->source_addr, sizeof sm->source_addr, &seed);
        rand_str(sm->destination_addr, sizeof sm->destination_addr, &seed);
        if (!(k & 1) || xorshift(&seed) % 16 == 0) {
            rand_str(sm->schedule_delivery_time, sizeof sm->schedule_delivery_time, &seed);
            rand_str(sm->validity_period, sizeof sm->validity_period, &seed);
        }
        sm->esm_class = (uint8_t)xorshift(&seed);
        sm->protocol_id = (uint8_t)xorshift(&seed);
        sm->priority_flag = (uint8_t)xorshift(&seed);
        sm->registered_delivery = (uint8_t)xorshift(&seed);
        sm->replace_if_present_flag = (uint8_t)xorshift(&seed);
        sm->data_coding = (uint8_t)xorshift(&seed);
        sm->sm_default_msg_id = (uint8_t)xorshift(&seed);
        for (size_t i = 0; i < sizeof sm->short_message; i++)
            sm->short_message[i] = (uint8_t)xorshift(&seed);
        sm->sm_length = (xorshift(&seed) % 8 == 0) ? (uint8_t)(250 + xorshift(&seed) % 6)
                                                   : (uint8_t)(xorshift(&seed) % 200);
        struct smpp_tlvs *t = &sm->tlv;
        t->present = xorshift(&seed) & (((uint32_t)SMPP_TLV_ITS_SESSION_INFO << 1) - 1);
        if (t->present & SMPP_TLV_MESSAGE_PAYLOAD) {
            sm->sm_length = (xorshift(&seed) % 8 == 0) ? sm->sm_length : 0;
            uint32_t q = xorshift(&seed);
            t->message_payload_len =
                (uint16_t)((q % 8 == 0) ? 1020 + (q >> 8) % 10 : (q >> 8) % 600);
            for (size_t i = 0; i < t->message_payload_len && i < SMPP_PAYLOAD_MAX; i++)
                t->message_payload[i] = (uint8_t)xorshift(&seed);
        }
        rand_str(t->receipted_message_id, sizeof t->receipted_message_id, &seed);
        t->user_message_reference = (uint16_t)xorshift(&seed);
        t->sar_msg_ref_num = (uint16_t)xorshift(&seed);
        t->sar_total_segments = (uint8_t)xorshift(&seed);
        t->sar_segment_seqnum = (uint8_t)xorshift(&seed);
        for (int i = 0; i < 3; i++)
            t->network_error_code[i] = (uint8_t)xorshift(&seed);
        t->message_state = (uint8_t)xorshift(&seed);
        t->ussd_service_op = (uint8_t)xorshift(&seed);
        t->its_session_info = (uint16_t)xorshift(&seed);
        size_t cap = (xorshift(&seed) % 8 == 0) ? xorshift(&seed) % 400 : SMPP_ENCODE_MAX;
        int rc = diff_encode(&p, cap, "random struct", round);
        if (rc == 0) {
            ok++;
            /* what one side wrote, both sides read alike */
            uint8_t out[SMPP_ENCODE_MAX];
            size_t n = 0;
            assert_int_equal(codec_sm_encode_fast(&p, out, sizeof out, &n, NULL, 0), 0);
            assert_int_equal(diff_decode(out, n, "random struct re-read", round, NULL), 0);
        } else {
            assert_true(rc == GY_EINVAL || rc == GY_ETOOBIG);
            refused++;
        }
    }
    print_message("random structs: %zu encoded alike, %zu refused alike\n", ok, refused);
    assert_true(ok > 500 && refused > 500);
}

/* Prints the cost of one decode and one encode of a 140-octet submit_sm; informative only. */
static void
test_timing(void **state)
{
    (void)state;
    struct smpp_pdu p, q;
    x_submit_sm_sar(&p);
    uint8_t text[140];
    memset(text, 'x', sizeof text);
    assert_int_equal(smpp_sm_set_message(&p.body.sm, text, sizeof text), 0);
    p.body.sm.tlv.present = 0;
    uint8_t out[SMPP_ENCODE_MAX];
    size_t n = 0;
    enum { ROUNDS = 20000 };
    struct timespec t0, t1, t2;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < ROUNDS; i++)
        assert_int_equal(smpp_pdu_encode(&p, out, sizeof out, &n, NULL, 0), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    for (int i = 0; i < ROUNDS; i++)
        assert_int_equal(smpp_pdu_decode(out, n, &q, NULL, 0), 0);
    clock_gettime(CLOCK_MONOTONIC, &t2);
    double enc =
        ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / ROUNDS;
    double dec =
        ((double)(t2.tv_sec - t1.tv_sec) * 1e9 + (double)(t2.tv_nsec - t1.tv_nsec)) / ROUNDS;
    print_message("submit_sm of %zu octets (140-octet text): encode %.2f us, decode %.2f us\n", n,
                  enc / 1000.0, dec / 1000.0);
    expect_sm_equal(&q.body.sm, &p.body.sm);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_decode),         cmocka_unit_test(test_golden_encode),
        cmocka_unit_test(test_typed_helpers),         cmocka_unit_test(test_frame_length),
        cmocka_unit_test(test_frame_stream),          cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_payload_too_big),       cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_encode_errors),         cmocka_unit_test(test_unknown_command_nack),
        cmocka_unit_test(test_set_message_and_names), cmocka_unit_test(test_diff_goldens),
        cmocka_unit_test(test_diff_malformed),        cmocka_unit_test(test_diff_mutations),
        cmocka_unit_test(test_diff_encode_random),    cmocka_unit_test(test_timing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
