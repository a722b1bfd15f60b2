/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of gateway/smpp_dlr: message id normalisation (hex, decimal, leading zeros, case,
 * huge ids), the appendix B text in any case with missing and reordered fields, stat words
 * to outcomes, and reports carried by TLVs winning over the text. Table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/gy_err.h"
#include "gateway/smpp_dlr.h"

#include <stdio.h>
#include <string.h>

static void
test_id_normalise(void **state)
{
    (void)state;
    static const struct {
        const char *id;
        enum smpp_id_base base;
        int rc;
        const char *want;
    } cases[] = {
        {"0A1B", SMPP_ID_HEX, 0, "2587"},
        {"0a1b", SMPP_ID_HEX, 0, "2587"},
        {"2587", SMPP_ID_DEC, 0, "2587"},
        {"0002587", SMPP_ID_DEC, 0, "2587"},
        {"000", SMPP_ID_DEC, 0, "0"},
        {" 2587 ", SMPP_ID_DEC, 0, "2587"},
        {"FFFFFFFFFFFFFFFF", SMPP_ID_HEX, 0, "18446744073709551615"},
        {"10000000000000000", SMPP_ID_HEX, 0, "18446744073709551616"},
        {"18446744073709551616", SMPP_ID_DEC, 0, "18446744073709551616"},
        {"0A1B", SMPP_ID_DEC, GY_EPARSE, ""},
        {"12G4", SMPP_ID_HEX, GY_EPARSE, ""},
        {"", SMPP_ID_HEX, GY_EPARSE, ""},
        {"   ", SMPP_ID_TEXT, GY_EPARSE, ""},
        {"00Ab-C9", SMPP_ID_TEXT, 0, "ab-c9"},
        {"0", SMPP_ID_TEXT, 0, "0"},
        {"c0ffee", SMPP_ID_TEXT, 0, "c0ffee"},
        {"C0FFEE", SMPP_ID_TEXT, 0, "c0ffee"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[SMPP_ID_NORM_SIZE];
        int rc = smpp_id_normalise(cases[i].id, cases[i].base, out, sizeof(out));
        if (rc != cases[i].rc || strcmp(out, cases[i].want) != 0)
            fail_msg("case %zu '%s': rc %d out '%s', want %d '%s'", i, cases[i].id, rc, out,
                     cases[i].rc, cases[i].want);
    }
    /* 64 hex digits (the largest SMPP message_id) still fit. */
    char big[65], out[SMPP_ID_NORM_SIZE];
    memset(big, 'F', 64);
    big[64] = '\0';
    assert_int_equal(smpp_id_normalise(big, SMPP_ID_HEX, out, sizeof(out)), 0);
    assert_int_equal(strlen(out), 78); /* 16^64 - 1 has 78 decimal digits */
    /* Too small an output buffer is an error, not a truncation. */
    char small[4];
    assert_int_equal(smpp_id_normalise("0A1B", SMPP_ID_HEX, small, sizeof(small)), GY_ETOOBIG);
    assert_string_equal(small, "");
    /* The scenario of the brief: submit_sm_resp in hex, report in decimal. */
    char a[SMPP_ID_NORM_SIZE], b[SMPP_ID_NORM_SIZE];
    assert_int_equal(smpp_id_normalise("0A1B", SMPP_ID_HEX, a, sizeof(a)), 0);
    assert_int_equal(smpp_id_normalise("00002587", SMPP_ID_DEC, b, sizeof(b)), 0);
    assert_string_equal(a, b);
}

static void
test_id_base_names(void **state)
{
    (void)state;
    enum smpp_id_base b;
    assert_int_equal(smpp_id_base_parse("HEX", &b), 0);
    assert_int_equal(b, SMPP_ID_HEX);
    assert_int_equal(smpp_id_base_parse("decimal", &b), 0);
    assert_int_equal(b, SMPP_ID_DEC);
    assert_int_equal(smpp_id_base_parse("text", &b), 0);
    assert_int_equal(b, SMPP_ID_TEXT);
    assert_int_equal(smpp_id_base_parse("octal", &b), GY_EINVAL);
    assert_string_equal(smpp_id_base_name(SMPP_ID_HEX), "hex");
}

static void
test_text_reports(void **state)
{
    (void)state;
    static const struct {
        const char *txt;
        int rc;
        const char *id;
        uint8_t st;
        enum smpp_dlr_outcome out;
        int has_err;
        unsigned err;
    } cases[] = {
        {"id:0123456789 sub:001 dlvrd:001 submit date:2611281200 done date:2611281201 "
         "stat:DELIVRD err:000 text:Hello",
         0, "0123456789", SMPP_STATE_DELIVERED, SMPP_DLR_DELIVERED, 1, 0},
        {"ID:abc SUB:001 DLVRD:000 SUBMIT DATE:2611281200 DONE DATE:2611281201 STAT:UNDELIV "
         "ERR:034 TEXT:x",
         0, "abc", SMPP_STATE_UNDELIVERABLE, SMPP_DLR_FAILED, 1, 34},
        {"id:77 stat:expired", 0, "77", SMPP_STATE_EXPIRED, SMPP_DLR_EXPIRED, 0, 0},
        {"stat:REJECTD id:5 err:00B", 0, "5", SMPP_STATE_REJECTED, SMPP_DLR_FAILED, 1, 11},
        {"id:5 stat:DELETED", 0, "5", SMPP_STATE_DELETED, SMPP_DLR_FAILED, 0, 0},
        {"id:5 stat:UNKNOWN", 0, "5", SMPP_STATE_UNKNOWN, SMPP_DLR_FAILED, 0, 0},
        {"id:5 stat:ACCEPTD", 0, "5", SMPP_STATE_ACCEPTED, SMPP_DLR_PENDING, 0, 0},
        {"id:5 stat:ENROUTE", 0, "5", SMPP_STATE_ENROUTE, SMPP_DLR_PENDING, 0, 0},
        {"id:5 stat:WHATEVER", 0, "5", 0, SMPP_DLR_PENDING, 0, 0},
        {"id:5", 0, "5", 0, SMPP_DLR_PENDING, 0, 0},
        {"id:9 submit_date:2611281200 done_date:2611281201 stat:delivrd", 0, "9",
         SMPP_STATE_DELIVERED, SMPP_DLR_DELIVERED, 0, 0},
        /* text: may contain anything, including what looks like keys */
        {"id:1 stat:DELIVRD text:id:2 stat:UNDELIV", 0, "1", SMPP_STATE_DELIVERED,
         SMPP_DLR_DELIVERED, 0, 0},
        /* keys only at word starts: "xid:" is not "id:" */
        {"xid:3 stat:DELIVRD", GY_EPARSE, "", SMPP_STATE_DELIVERED, SMPP_DLR_DELIVERED, 0, 0},
        {"stat:DELIVRD", GY_EPARSE, "", SMPP_STATE_DELIVERED, SMPP_DLR_DELIVERED, 0, 0},
        {"", GY_EPARSE, "", 0, SMPP_DLR_PENDING, 0, 0},
        {"id: stat:DELIVRD", GY_EPARSE, "", SMPP_STATE_DELIVERED, SMPP_DLR_DELIVERED, 0, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct smpp_dlr d;
        int rc = smpp_dlr_parse_text(cases[i].txt, strlen(cases[i].txt), &d);
        if (rc != cases[i].rc || strcmp(d.id, cases[i].id) != 0 || d.state != cases[i].st ||
            d.outcome != cases[i].out || (int)d.has_err != cases[i].has_err ||
            (d.has_err && d.err != cases[i].err))
            fail_msg("case %zu '%s': rc %d id '%s' state %u outcome %s err %d/%u", i, cases[i].txt,
                     rc, d.id, d.state, smpp_dlr_outcome_name(d.outcome), d.has_err, d.err);
    }
    /* The fields of the first case in detail. */
    struct smpp_dlr d;
    const char *t = "id:42 sub:001 dlvrd:001 submit date:2611281200 done date:2611281201 "
                    "stat:delivrd err:000 text:";
    assert_int_equal(smpp_dlr_parse_text(t, strlen(t), &d), 0);
    assert_true(d.has_sub && d.sub == 1 && d.has_dlvrd && d.dlvrd == 1);
    assert_string_equal(d.submit_date, "2611281200");
    assert_string_equal(d.done_date, "2611281201");
    assert_string_equal(d.stat, "DELIVRD");
    /* Not NUL-terminated input: only len bytes are read. */
    char buf[12] = {'i', 'd', ':', '7', ' ', 's', 't', 'a', 't', ':', 'X', 'X'};
    assert_int_equal(smpp_dlr_parse_text(buf, 4, &d), 0);
    assert_string_equal(d.id, "7");
    assert_int_equal(d.state, 0);
}

static void
set_text(struct smpp_sm *sm, const char *t)
{
    sm->sm_length = (uint8_t)strlen(t);
    memcpy(sm->short_message, t, sm->sm_length);
}

static void
test_pdu_reports(void **state)
{
    (void)state;
    struct smpp_sm sm;
    struct smpp_dlr d;

    /* Not a receipt. */
    memset(&sm, 0, sizeof(sm));
    set_text(&sm, "id:1 stat:DELIVRD");
    assert_int_equal(smpp_dlr_parse(&sm, &d), GY_EINVAL);

    /* Text only. */
    sm.esm_class = SMPP_ESM_DELIVERY_RECEIPT;
    assert_int_equal(smpp_dlr_parse(&sm, &d), 0);
    assert_string_equal(d.id, "1");
    assert_int_equal(d.outcome, SMPP_DLR_DELIVERED);
    assert_false(d.from_tlv);

    /* TLVs win over the text: id from receipted_message_id, state from message_state. */
    sm.tlv.present = SMPP_TLV_RECEIPTED_MESSAGE_ID | SMPP_TLV_MESSAGE_STATE;
    snprintf(sm.tlv.receipted_message_id, sizeof(sm.tlv.receipted_message_id), "0A1B");
    sm.tlv.message_state = SMPP_STATE_UNDELIVERABLE;
    assert_int_equal(smpp_dlr_parse(&sm, &d), 0);
    assert_string_equal(d.id, "0A1B");
    assert_true(d.from_tlv);
    assert_int_equal(d.outcome, SMPP_DLR_FAILED);

    /* TLVs only, empty text, network_error_code as the error. */
    memset(&sm, 0, sizeof(sm));
    sm.esm_class = SMPP_ESM_DELIVERY_RECEIPT;
    sm.tlv.present =
        SMPP_TLV_RECEIPTED_MESSAGE_ID | SMPP_TLV_MESSAGE_STATE | SMPP_TLV_NETWORK_ERROR_CODE;
    snprintf(sm.tlv.receipted_message_id, sizeof(sm.tlv.receipted_message_id), "77");
    sm.tlv.message_state = SMPP_STATE_EXPIRED;
    sm.tlv.network_error_code[0] = 3;
    sm.tlv.network_error_code[1] = 0x01;
    sm.tlv.network_error_code[2] = 0x02;
    assert_int_equal(smpp_dlr_parse(&sm, &d), 0);
    assert_int_equal(d.outcome, SMPP_DLR_EXPIRED);
    assert_true(d.has_err);
    assert_int_equal(d.err, 0x0102);

    /* Text in message_payload. */
    memset(&sm, 0, sizeof(sm));
    sm.esm_class = SMPP_ESM_DELIVERY_RECEIPT;
    const char *t = "id:99 stat:REJECTD err:001";
    sm.tlv.present = SMPP_TLV_MESSAGE_PAYLOAD;
    sm.tlv.message_payload_len = (uint16_t)strlen(t);
    memcpy(sm.tlv.message_payload, t, strlen(t));
    assert_int_equal(smpp_dlr_parse(&sm, &d), 0);
    assert_string_equal(d.id, "99");
    assert_int_equal(d.outcome, SMPP_DLR_FAILED);

    /* A receipt with neither id TLV nor id text. */
    memset(&sm, 0, sizeof(sm));
    sm.esm_class = SMPP_ESM_DELIVERY_RECEIPT;
    set_text(&sm, "stat:DELIVRD");
    assert_int_equal(smpp_dlr_parse(&sm, &d), GY_EPARSE);
    assert_int_equal(smpp_dlr_parse(NULL, &d), GY_EINVAL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_normalise),
        cmocka_unit_test(test_id_base_names),
        cmocka_unit_test(test_text_reports),
        cmocka_unit_test(test_pdu_reports),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
