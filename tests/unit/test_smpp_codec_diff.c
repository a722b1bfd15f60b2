/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_smpp_codec_diff: the fast path of submit_sm/deliver_sm (codec_sm_*_fast) against the
 * libsmpp34 path (codec_sm_*_l34, gateway/smpp_codec_int.h) on the golden PDUs, the malformed
 * cases with every truncation, mutated PDUs and random structs: the same return codes, the same
 * structs, the same octets. */
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
#include "gateway/smpp_codec_int.h"
#include "test_smpp_codec_cases.h"

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
    for (size_t i = 0; i < cases_golden_count; i++) {
        uint8_t wire[CASES_HEX_MAX];
        size_t len = cases_golden_load(cases_goldens[i].name, wire, sizeof wire);
        struct smpp_pdu p, want;
        assert_int_equal(diff_decode(wire, len, cases_goldens[i].name, 0, &p), 0);
        cases_goldens[i].build(&want);
        assert_int_equal(diff_encode(&p, SMPP_ENCODE_MAX, cases_goldens[i].name, 1), 0);
        assert_int_equal(diff_encode(&want, SMPP_ENCODE_MAX, cases_goldens[i].name, 2), 0);
        for (size_t cap = 0; cap <= len; cap++) /* the buffer bound, octet by octet */
            assert_int_equal(diff_encode(&want, cap, cases_goldens[i].name, 3 + cap),
                             cap < len ? GY_ETOOBIG : 0);
    }
}

static void
test_diff_malformed(void **state)
{
    (void)state;
    for (size_t i = 0; i < cases_bad_count; i++) {
        uint8_t buf[CASES_HEX_MAX];
        size_t len = cases_build_pdu(&cases_bad[i], buf, sizeof buf);
        int rc = diff_decode(buf, len, cases_bad[i].name, i, NULL);
        assert_int_equal(rc, cases_bad[i].rc);
        for (size_t cut = 0; cut < len; cut++) { /* every shorter PDU, length fixed up */
            uint8_t m[CASES_HEX_MAX];
            memcpy(m, buf, len);
            if (cut >= 4)
                set_len(m, cut);
            diff_decode(m, cut, cases_bad[i].name, 1000 + cut, NULL);
        }
    }
    /* an unterminated source_addr: the error names the field, never its digits */
    uint8_t buf[CASES_HEX_MAX];
    struct cases_bad c = {"",
                          SMPP_SUBMIT_SM,
                          0,
                          "00"
                          "0101"
                          "38363133383030313338303030383631333830303133383030",
                          0,
                          GY_EPARSE,
                          0};
    size_t len = cases_build_pdu(&c, buf, sizeof buf);
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
    cases_x_deliver_sm_dlr(&p);
    p.body.sm.sm_length = 0;
    p.body.sm.tlv.present = ((uint32_t)SMPP_TLV_ITS_SESSION_INFO << 1) - 1;
    p.body.sm.tlv.message_payload_len = 40;
    memset(p.body.sm.tlv.message_payload, 'p', 40);
    assert_int_equal(smpp_pdu_encode(&p, all, sizeof all, &all_len, NULL, 0), 0);

    uint32_t seed = 0x2545F491u;
    size_t ok = 0, failed = 0, reencoded = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        uint8_t wire[CASES_HEX_MAX];
        size_t len;
        if (names[i] != NULL) {
            len = cases_golden_load(names[i], wire, sizeof wire);
        } else {
            memcpy(wire, all, all_len);
            len = all_len;
        }
        const char *what = names[i] != NULL ? names[i] : "all typed TLVs";
        for (size_t round = 0; round < 1500; round++) {
            static uint8_t m[CASES_HEX_MAX];
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

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_diff_goldens),
        cmocka_unit_test(test_diff_malformed),
        cmocka_unit_test(test_diff_mutations),
        cmocka_unit_test(test_diff_encode_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
