/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_smpp_codec_cases: the shared data of the SMPP codec tests (test_smpp_codec_cases.h):
 * golden file loading, the expected struct of each golden PDU and the malformed-PDU table,
 * linked into test_smpp_codec and test_smpp_codec_diff. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/gy_err.h"
#include "gateway/smpp_codec.h"
#include "test_smpp_codec_cases.h"

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
size_t
cases_hex_parse(const char *text, uint8_t *out, size_t cap)
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

size_t
cases_golden_load(const char *name, uint8_t *out, size_t cap)
{
    const char *src = getenv("GONGYOU_SOURCE_DIR");
    assert_non_null(src);
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/smpp/%s.hex", src, name);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fail_msg("cannot open golden file %s", path);
    static char text[CASES_HEX_MAX * 3];
    size_t got = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[got] = '\0';
    size_t n = cases_hex_parse(text, out, cap);
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

void
cases_x_bind_transceiver(struct smpp_pdu *p)
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

void
cases_x_enquire_link(struct smpp_pdu *p)
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

void
cases_x_generic_nack(struct smpp_pdu *p)
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

void
cases_x_submit_sm_payload(struct smpp_pdu *p)
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

void
cases_x_submit_sm_ussd(struct smpp_pdu *p)
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

void
cases_x_submit_sm_sar(struct smpp_pdu *p)
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

void
cases_x_submit_sm_resp_throttled(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_SUBMIT_SM_RESP, 11);
    p->hdr.command_status = SMPP_ESME_RTHROTTLED;
}

void
cases_x_deliver_sm_mo(struct smpp_pdu *p)
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

const char cases_dlr_text[] = "id:5A1F00C3 sub:001 dlvrd:001 submit date:2611281200 "
                              "done date:2611281201 stat:DELIVRD err:000 text:";

void
cases_x_deliver_sm_dlr(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_DELIVER_SM, 21);
    struct smpp_sm *sm = &p->body.sm;
    sm_addr(sm, 1, 1, "8613800138000", 3, 0, "10658888");
    sm->esm_class = SMPP_ESM_DELIVERY_RECEIPT;
    set_text(sm, cases_dlr_text);
    sm->tlv.present =
        SMPP_TLV_RECEIPTED_MESSAGE_ID | SMPP_TLV_NETWORK_ERROR_CODE | SMPP_TLV_MESSAGE_STATE;
    strcpy(sm->tlv.receipted_message_id, "5A1F00C3");
    sm->tlv.network_error_code[0] = 3;
    sm->tlv.message_state = SMPP_STATE_DELIVERED;
}

void
cases_x_deliver_sm_resp(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_DELIVER_SM_RESP, 20);
}

static void
x_deliver_sm_resp_tempfail(struct smpp_pdu *p)
{
    smpp_pdu_init(p, SMPP_DELIVER_SM_RESP, 21);
    p->hdr.command_status = SMPP_ESME_RX_T_APPN;
}

const struct cases_golden cases_goldens[] = {
    {"bind_transceiver", cases_x_bind_transceiver},
    {"bind_transceiver_resp", x_bind_transceiver_resp},
    {"bind_transceiver_resp_fail", x_bind_transceiver_resp_fail},
    {"bind_transmitter", x_bind_transmitter},
    {"bind_receiver", x_bind_receiver},
    {"outbind", x_outbind},
    {"enquire_link", cases_x_enquire_link},
    {"enquire_link_resp", x_enquire_link_resp},
    {"unbind", x_unbind},
    {"unbind_resp", x_unbind_resp},
    {"generic_nack", cases_x_generic_nack},
    {"submit_sm_udh", x_submit_sm_udh},
    {"submit_sm_payload", cases_x_submit_sm_payload},
    {"submit_sm_ussd", cases_x_submit_sm_ussd},
    {"submit_sm_sar", cases_x_submit_sm_sar},
    {"submit_sm_resp", x_submit_sm_resp},
    {"submit_sm_resp_throttled", cases_x_submit_sm_resp_throttled},
    {"deliver_sm_mo", cases_x_deliver_sm_mo},
    {"deliver_sm_ussd", x_deliver_sm_ussd},
    {"deliver_sm_dlr", cases_x_deliver_sm_dlr},
    {"deliver_sm_resp", cases_x_deliver_sm_resp},
    {"deliver_sm_resp_tempfail", x_deliver_sm_resp_tempfail},
};
const size_t cases_golden_count = sizeof cases_goldens / sizeof cases_goldens[0];

/* ---- malformed input ------------------------------------------------------------------- */

const struct cases_bad cases_bad[] = {
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
     CASES_MIN_SM "04240100"
                  "4142",
     0, GY_EPARSE, 0},
    {"TLV header cut", SMPP_SUBMIT_SM, 0, CASES_MIN_SM "042400", 0, GY_EPARSE, 0},
    {"ussd_service_op of 2 octets", SMPP_SUBMIT_SM, 0, CASES_MIN_SM "050100020102", 0, GY_EPARSE,
     0},
    {"its_session_info of 1 octet", SMPP_DELIVER_SM, 0, CASES_MIN_SM "1383000105", 0, GY_EPARSE, 0},
    {"sar_total_segments of 2 octets", SMPP_SUBMIT_SM, 0, CASES_MIN_SM "020e00020003", 0, GY_EPARSE,
     0},
    {"network_error_code of 2 octets", SMPP_DELIVER_SM, 0, CASES_MIN_SM "042300020300", 0,
     GY_EPARSE, 0},
    {"receipted_message_id of 66 octets", SMPP_DELIVER_SM, 0,
     CASES_MIN_SM "001e0042"
                  "3132333435363738393031323334353637383930313233343536373839303132"
                  "3132333435363738393031323334353637383930313233343536373839303132"
                  "3300",
     0, GY_EPARSE, 0},
    {"command_length larger than given", SMPP_ENQUIRE_LINK, 0, "", 4, GY_ERANGE, 0},
    {"command_length smaller than given", SMPP_SUBMIT_SM, 0, CASES_MIN_SM, -2, GY_ERANGE, 0},
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
     CASES_MIN_SM "1401000361626305010001"
                  "01",
     0, 0, 1},
    {"repeated TLV skipped", SMPP_SUBMIT_SM, 0,
     CASES_MIN_SM "0501000102"
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
     CASES_MIN_SM "001e0041"
                  "3132333435363738393031323334353637383930313233343536373839303132"
                  "3132333435363738393031323334353637383930313233343536373839303132"
                  "33",
     0, 0, 0},
    {"receipted_message_id with a NUL inside, in a submit_sm", SMPP_SUBMIT_SM, 0,
     CASES_MIN_SM "001e0005"
                  "4142004344",
     0, 0, 0},
    {"empty receipted_message_id and message_payload", SMPP_DELIVER_SM, 0,
     CASES_MIN_SM "001e0000"
                  "04240000",
     0, 0, 0},
    {"a second message_payload skipped", SMPP_SUBMIT_SM, 0,
     CASES_MIN_SM "04240001"
                  "41"
                  "0424000a"
                  "41414141414141414141",
     0, 0, 1},
};
const size_t cases_bad_count = sizeof cases_bad / sizeof cases_bad[0];

size_t
cases_build_pdu(const struct cases_bad *c, uint8_t *buf, size_t cap)
{
    size_t body = cases_hex_parse(c->body, buf + 16, cap - 16);
    size_t len = 16 + body;
    uint32_t cl = (uint32_t)((long)len + c->cl_delta);
    uint32_t v[4] = {cl, c->command_id, c->status, 77};
    for (int i = 0; i < 4; i++)
        for (int b = 0; b < 4; b++)
            buf[i * 4 + b] = (uint8_t)(v[i] >> (24 - 8 * b));
    return len;
}
