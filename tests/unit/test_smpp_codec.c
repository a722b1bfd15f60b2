/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_smpp_codec: the SMPP codec against golden PDUs written by node-smpp (tests/data/smpp,
 * see tests/peer/golden.js): decode each and check every field, encode our struct and compare
 * bytes exactly; framing bounds; malformed and mutated input must fail cleanly. The fast path
 * against the libsmpp34 path is test_smpp_codec_diff. */
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
#include "test_smpp_codec_cases.h"

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
    for (size_t i = 0; i < cases_golden_count; i++) {
        uint8_t wire[CASES_HEX_MAX];
        size_t len = cases_golden_load(cases_goldens[i].name, wire, sizeof wire);
        struct smpp_pdu want, got;
        cases_goldens[i].build(&want);
        char err[160] = "";
        int rc = smpp_pdu_decode(wire, len, &got, err, sizeof err);
        if (rc != 0)
            fail_msg("%s: decode: %s (%s)", cases_goldens[i].name, gy_strerror(rc), err);
        assert_int_equal(got.hdr.command_length, len);
        assert_int_equal(got.tlv_skipped, 0);
        expect_pdu_equal(&got, &want);
    }
}

static void
test_golden_encode(void **state)
{
    (void)state;
    for (size_t i = 0; i < cases_golden_count; i++) {
        uint8_t wire[CASES_HEX_MAX], out[SMPP_ENCODE_MAX];
        size_t len = cases_golden_load(cases_goldens[i].name, wire, sizeof wire);
        struct smpp_pdu want;
        cases_goldens[i].build(&want);
        size_t n = 0;
        char err[160] = "";
        int rc = smpp_pdu_encode(&want, out, sizeof out, &n, err, sizeof err);
        if (rc != 0)
            fail_msg("%s: encode: %s (%s)", cases_goldens[i].name, gy_strerror(rc), err);
        if (n != len || memcmp(out, wire, len) != 0) {
            size_t at = 0;
            while (at < n && at < len && out[at] == wire[at])
                at++;
            fail_msg("%s: encoded %zu octets, golden %zu; first difference at octet %zu",
                     cases_goldens[i].name, n, len, at);
        }
    }
}

/* The two things the DLR and USSD paths read, spelled out. */
static void
test_typed_helpers(void **state)
{
    (void)state;
    uint8_t wire[CASES_HEX_MAX];
    struct smpp_pdu p;
    size_t len = cases_golden_load("deliver_sm_dlr", wire, sizeof wire);
    assert_int_equal(smpp_pdu_decode(wire, len, &p, NULL, 0), 0);
    assert_true(p.body.sm.esm_class & SMPP_ESM_DELIVERY_RECEIPT);
    assert_string_equal(p.body.sm.tlv.receipted_message_id, "5A1F00C3");
    assert_int_equal(p.body.sm.tlv.message_state, SMPP_STATE_DELIVERED);
    size_t mlen = 0;
    const uint8_t *m = smpp_sm_message(&p.body.sm, &mlen);
    assert_int_equal(mlen, strlen(cases_dlr_text));
    assert_memory_equal(m, cases_dlr_text, mlen);

    len = cases_golden_load("submit_sm_ussd", wire, sizeof wire);
    assert_int_equal(smpp_pdu_decode(wire, len, &p, NULL, 0), 0);
    assert_int_equal(smpp_its_session_number(p.body.sm.tlv.its_session_info), 5);
    assert_int_equal(smpp_its_sequence(p.body.sm.tlv.its_session_info), 1);
    assert_false(smpp_its_end_of_session(p.body.sm.tlv.its_session_info));
    assert_int_equal(smpp_its_make(5, 1, true), 0x0503);

    len = cases_golden_load("submit_sm_payload", wire, sizeof wire);
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
        size_t n = cases_hex_parse(c->hex, buf, sizeof buf);
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
    uint8_t stream[CASES_HEX_MAX * 2];
    size_t total = 0;
    for (size_t i = 0; i < 4; i++)
        total += cases_golden_load(names[i], stream + total, sizeof stream - total);
    for (size_t chunk = 1; chunk <= 40; chunk++) {
        uint8_t rx[CASES_HEX_MAX * 2];
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

static void
test_malformed(void **state)
{
    (void)state;
    for (size_t i = 0; i < cases_bad_count; i++) {
        const struct cases_bad *c = &cases_bad[i];
        uint8_t buf[CASES_HEX_MAX];
        size_t len = cases_build_pdu(c, buf, sizeof buf);
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
    uint8_t buf[CASES_HEX_MAX];
    struct smpp_pdu p;
    size_t len = cases_build_pdu(&cases_bad[25], buf, sizeof buf);
    assert_int_equal(smpp_pdu_decode(buf, len, &p, NULL, 0), 0);
    assert_int_equal(p.body.sm.source_addr_ton, 7);
    assert_int_equal(p.body.sm.source_addr_npi, 2);
    len = cases_build_pdu(&cases_bad[26], buf, sizeof buf);
    assert_int_equal(smpp_pdu_decode(buf, len, &p, NULL, 0), 0);
    assert_int_equal(p.body.bind.interface_version, 0x33);
    len = cases_build_pdu(&cases_bad[29], buf, sizeof buf);
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
    struct cases_bad c = {"", SMPP_DELIVER_SM, 0, CASES_MIN_SM, 0, 0, 0};
    size_t len = cases_build_pdu(&c, buf, sizeof buf);
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
    for (size_t i = 0; i < cases_golden_count; i++) {
        uint8_t wire[CASES_HEX_MAX], m[CASES_HEX_MAX], out[SMPP_ENCODE_MAX];
        size_t len = cases_golden_load(cases_goldens[i].name, wire, sizeof wire);
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
    {"sequence_number 0", cases_x_enquire_link, m_seq0, GY_EINVAL},
    {"request with a status", cases_x_submit_sm_sar, m_status, GY_EINVAL},
    {"short_message of 254", cases_x_submit_sm_sar, m_sm254, GY_ETOOBIG},
    {"payload and short_message", cases_x_submit_sm_payload, m_both, GY_EINVAL},
    {"payload of 1025", cases_x_submit_sm_payload, m_payload_big, GY_ETOOBIG},
    {"source_addr not terminated", cases_x_submit_sm_sar, m_src_unterminated, GY_EINVAL},
    {"service_type of 6", cases_x_submit_sm_ussd, m_service_type_long, GY_EINVAL},
    {"TON 9", cases_x_submit_sm_sar, m_ton9, GY_EINVAL},
    {"NPI 2", cases_x_deliver_sm_mo, m_npi2, GY_EINVAL},
    {"deliver_sm with validity", cases_x_deliver_sm_mo, m_validity, GY_EINVAL},
    {"bind interface_version 0x33", cases_x_bind_transceiver, m_iv33, GY_EINVAL},
    {"deliver_sm_resp with a message_id", cases_x_deliver_sm_resp, m_dsr_id, GY_EINVAL},
    {"data_sm", cases_x_enquire_link, m_data_sm, GY_ENOTFOUND},
    {"receipted_message_id not terminated", cases_x_deliver_sm_dlr, m_rmid_unterminated, GY_EINVAL},
    {"generic_nack with sequence 0", cases_x_generic_nack, m_nack_seq0, 0},
    {"error response, any status", cases_x_submit_sm_resp_throttled, m_none, 0},
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
    cases_x_deliver_sm_dlr(&p);
    uint8_t out[SMPP_ENCODE_MAX];
    size_t n = 0, m = 0;
    assert_int_equal(smpp_pdu_encode(&p, out, sizeof out, &n, NULL, 0), 0);
    assert_int_equal(smpp_pdu_encode(&p, out, n, &m, NULL, 0), 0);
    assert_int_equal(m, n);
    assert_int_equal(smpp_pdu_encode(&p, out, n - 1, &m, NULL, 0), GY_ETOOBIG);
    cases_x_generic_nack(&p);
    assert_int_equal(smpp_pdu_encode(&p, out, 15, &m, NULL, 0), GY_ETOOBIG);
    assert_int_equal(smpp_pdu_encode(NULL, out, 15, &m, NULL, 0), GY_EINVAL);
    /* the largest PDU fits SMPP_ENCODE_MAX */
    cases_x_deliver_sm_dlr(&p);
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
    size_t len = cases_hex_parse("00000014 00000103 00000000 0000abcd 00000000", in, sizeof in);
    struct smpp_pdu p, nack;
    char err[160] = "";
    assert_int_equal(smpp_pdu_decode(in, len, &p, err, sizeof err), GY_ENOTFOUND);
    assert_non_null(strstr(err, "0x00000103"));
    smpp_pdu_init(&nack, SMPP_GENERIC_NACK, p.hdr.sequence_number);
    nack.hdr.command_status = SMPP_ESME_RINVCMDID;
    uint8_t out[32], want[32];
    size_t n = 0;
    assert_int_equal(smpp_pdu_encode(&nack, out, sizeof out, &n, NULL, 0), 0);
    assert_int_equal(cases_hex_parse("00000010 80000000 00000003 0000abcd", want, sizeof want), n);
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

/* Prints the cost of one decode and one encode of a 140-octet submit_sm; informative only. */
static void
test_timing(void **state)
{
    (void)state;
    struct smpp_pdu p, q;
    cases_x_submit_sm_sar(&p);
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
        cmocka_unit_test(test_set_message_and_names), cmocka_unit_test(test_timing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
