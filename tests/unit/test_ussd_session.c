/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of gateway/ussd_session: classification by op codes (start, continue, end bit, 0x81
 * abort, absent, unknown), session keys in each session_key mode, the dialled code from
 * short_message or destination_addr, reply op codes and echoed TLVs for continue and final
 * screens, data_coding per bind, two numbers in sessions at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/gy_err.h"
#include "gateway/session_table.h"
#include "gateway/ussd_session.h"

#define A "8613800138000"
#define B "8613900139000"

/* The configuration's defaults (gy_config_schema.c). */
static struct gy_ussd_bind
bind_defaults(void)
{
    struct gy_ussd_bind ub = {
        .enabled = true,
        .service_type = "USSD",
        .op_start = 0x01,
        .op_continue_in = 0x12,
        .op_end_in = {0x81, 0x13},
        .n_op_end_in = 2,
        .op_continue_out = 0x02,
        .op_end_out = 0x11,
        .end_bit = true,
        .session_key = GY_USSD_KEY_AUTO,
        .data_coding = 0x08,
        .max_octets = 160,
    };
    return ub;
}

/* TLV presence in the table below. */
#define NO  (-1)
#define ITS 0x1
#define UMR 0x2

/* A deliver_sm from num with op (NO: absent), its and umr (NO: absent), short_message text
 * (NULL: empty) and destination. */
static struct smpp_sm
mo(const char *num, int op, int its, int umr, const char *text, const char *dest)
{
    struct smpp_sm sm;
    memset(&sm, 0, sizeof sm);
    snprintf(sm.source_addr, sizeof sm.source_addr, "%s", num);
    snprintf(sm.destination_addr, sizeof sm.destination_addr, "%s", dest ? dest : "188");
    if (op != NO) {
        sm.tlv.present |= SMPP_TLV_USSD_SERVICE_OP;
        sm.tlv.ussd_service_op = (uint8_t)op;
    }
    if (its != NO) {
        sm.tlv.present |= SMPP_TLV_ITS_SESSION_INFO;
        sm.tlv.its_session_info = (uint16_t)its;
    }
    if (umr != NO) {
        sm.tlv.present |= SMPP_TLV_USER_MESSAGE_REFERENCE;
        sm.tlv.user_message_reference = (uint16_t)umr;
    }
    if (text != NULL) {
        sm.sm_length = (uint8_t)strlen(text);
        memcpy(sm.short_message, text, sm.sm_length);
    }
    return sm;
}

static void
test_classify(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        int op, its, umr;
        bool end_bit_honoured;
        enum ussd_kind want;
    } cases[] = {
        {"start", 0x01, 0x1200, NO, true, USSD_START},
        {"start with end bit still starts", 0x01, 0x1201, NO, true, USSD_START},
        {"continue", 0x12, 0x1202, NO, true, USSD_CONTINUE},
        {"continue with end bit", 0x12, 0x1203, NO, true, USSD_END},
        {"end bit not honoured", 0x12, 0x1203, NO, false, USSD_CONTINUE},
        {"0x81 user abort", 0x81, 0x1204, NO, true, USSD_END},
        {"0x81 without session info", 0x81, NO, 7, true, USSD_END},
        {"0x13 USSN confirm", 0x13, NO, NO, true, USSD_END},
        {"op absent: SMS", NO, 0x1200, NO, true, USSD_NOT},
        {"op absent, nothing", NO, NO, NO, true, USSD_NOT},
        {"0x00 PSSD indication", 0x00, NO, NO, true, USSD_UNKNOWN},
        {"0x02 (an outgoing op) coming in", 0x02, NO, NO, true, USSD_UNKNOWN},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct gy_ussd_bind ub = bind_defaults();
        ub.end_bit = cases[i].end_bit_honoured;
        struct smpp_sm sm = mo(A, cases[i].op, cases[i].its, cases[i].umr, "1", NULL);
        struct ussd_in in;
        assert_int_equal(ussd_classify(&sm, &ub, 0, &in), 0);
        if (in.kind != cases[i].want)
            fail_msg("%s: got %s, want %s", cases[i].what, ussd_kind_name(in.kind),
                     ussd_kind_name(cases[i].want));
        assert_int_equal(in.op, cases[i].op);
    }
    /* A vendor dialect: op 0x20 starts, 0x21 continues, 0x22 ends; no end bit. */
    struct gy_ussd_bind ub = bind_defaults();
    ub.op_start = 0x20;
    ub.op_continue_in = 0x21;
    ub.op_end_in[0] = 0x22;
    ub.n_op_end_in = 1;
    ub.end_bit = false;
    static const struct {
        int op;
        enum ussd_kind want;
    } vendor[] = {{0x20, USSD_START},
                  {0x21, USSD_CONTINUE},
                  {0x22, USSD_END},
                  {0x01, USSD_UNKNOWN},
                  {0x81, USSD_UNKNOWN}};
    for (size_t i = 0; i < sizeof vendor / sizeof vendor[0]; i++) {
        struct smpp_sm sm = mo(A, vendor[i].op, 0x0101, NO, "1", NULL);
        struct ussd_in in;
        assert_int_equal(ussd_classify(&sm, &ub, 0, &in), 0);
        assert_int_equal(in.kind, vendor[i].want);
    }
    /* Delivery reports and binds without USSD are never USSD. */
    struct smpp_sm sm = mo(A, 0x01, NO, NO, "*188#", NULL);
    struct ussd_in in;
    sm.esm_class = SMPP_ESM_DELIVERY_RECEIPT;
    assert_int_equal(ussd_classify(&sm, &ub, 0, &in), 0);
    assert_int_equal(in.kind, USSD_NOT);
    ub = bind_defaults();
    ub.enabled = false;
    sm.esm_class = 0;
    assert_int_equal(ussd_classify(&sm, &ub, 0, &in), 0);
    assert_int_equal(in.kind, USSD_NOT);
}

static void
test_keys(void **state)
{
    (void)state;
    static const struct {
        enum gy_ussd_key mode;
        int its, umr;
        enum gy_ussd_key want_from;
        enum session_key_kind want_kind;
        unsigned want_id;
        bool fallback;
    } cases[] = {
        {GY_USSD_KEY_AUTO, 0x2a04, 99, GY_USSD_KEY_ITS, SESSION_KEY_ITS, 0x2a, false},
        {GY_USSD_KEY_AUTO, NO, 99, GY_USSD_KEY_UMR, SESSION_KEY_UMR, 99, false},
        {GY_USSD_KEY_AUTO, NO, NO, GY_USSD_KEY_MSISDN, SESSION_KEY_MSISDN, 0, false},
        {GY_USSD_KEY_ITS, 0x2a05, 99, GY_USSD_KEY_ITS, SESSION_KEY_ITS, 0x2a, false},
        {GY_USSD_KEY_ITS, NO, 99, GY_USSD_KEY_MSISDN, SESSION_KEY_MSISDN, 0, true},
        {GY_USSD_KEY_UMR, 0x2a04, 99, GY_USSD_KEY_UMR, SESSION_KEY_UMR, 99, false},
        {GY_USSD_KEY_UMR, 0x2a04, NO, GY_USSD_KEY_MSISDN, SESSION_KEY_MSISDN, 0, true},
        {GY_USSD_KEY_MSISDN, 0x2a04, 99, GY_USSD_KEY_MSISDN, SESSION_KEY_MSISDN, 0, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct gy_ussd_bind ub = bind_defaults();
        ub.session_key = cases[i].mode;
        struct smpp_sm sm = mo("+" A, 0x12, cases[i].its, cases[i].umr, "1", NULL);
        struct ussd_in in;
        assert_int_equal(ussd_classify(&sm, &ub, 3, &in), 0);
        assert_int_equal(in.key_from, cases[i].want_from);
        assert_int_equal(in.key.kind, cases[i].want_kind);
        assert_int_equal(in.key.id, cases[i].want_id);
        assert_int_equal(in.key.bind, 3);
        assert_int_equal(in.key.channel, SESSION_CH_USSD);
        assert_string_equal(in.key.msisdn, A);
        assert_int_equal(in.key_fallback, cases[i].fallback);
    }
    /* The sequence part of its_session_info changes during a dialog; the key must not. */
    struct gy_ussd_bind ub = bind_defaults();
    struct smpp_sm s1 = mo(A, 0x01, smpp_its_make(7, 0, false), NO, "*188#", NULL);
    struct smpp_sm s2 = mo(A, 0x12, smpp_its_make(7, 5, false), NO, "1", NULL);
    struct ussd_in i1, i2;
    assert_int_equal(ussd_classify(&s1, &ub, 0, &i1), 0);
    assert_int_equal(ussd_classify(&s2, &ub, 0, &i2), 0);
    assert_memory_equal(&i1.key, &i2.key, sizeof i1.key);
    /* Bad numbers: a clear error, the kind still told. */
    static const char *const bad[] = {"", "+", "12a45", "USSDGW"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct smpp_sm sm = mo(bad[i], 0x01, NO, NO, "*188#", NULL);
        struct ussd_in in;
        assert_int_equal(ussd_classify(&sm, &ub, 0, &in), GY_EINVAL);
        assert_int_equal(in.kind, USSD_START);
    }
    struct ussd_in in;
    assert_int_equal(ussd_classify(NULL, &ub, 0, &in), GY_EINVAL);
    assert_int_equal(ussd_classify(&s1, NULL, 0, &in), GY_EINVAL);
}

static void
test_code(void **state)
{
    (void)state;
    static const struct {
        const char *text, *dest;
        const char *want, *from;
    } cases[] = {
        {"*188#", "188", "*188#", "short_message"},
        {" *188*1# ", "188", "*188*1#", "short_message"},
        {NULL, "*188#", "*188#", "destination_addr"}, /* Mica */
        {"hello", "*166#", "*166#", "destination_addr"},
        {"#", "188", "188", "destination_addr"},
        {"hello", "USSD", "", ""},
    };
    struct gy_ussd_bind ub = bind_defaults();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct smpp_sm sm = mo(A, 0x01, NO, NO, cases[i].text, cases[i].dest);
        struct ussd_in in;
        assert_int_equal(ussd_classify(&sm, &ub, 0, &in), 0);
        assert_string_equal(in.code, cases[i].want);
        assert_string_equal(in.code_from, cases[i].from);
    }
    /* UCS-2 short_message */
    struct smpp_sm sm = mo(A, 0x01, NO, NO, NULL, "188");
    static const uint8_t ucs2[] = {0, '*', 0, '1', 0, '8', 0, '8', 0, '#'};
    memcpy(sm.short_message, ucs2, sizeof ucs2);
    sm.sm_length = sizeof ucs2;
    sm.data_coding = 0x08;
    struct ussd_in in;
    assert_int_equal(ussd_classify(&sm, &ub, 0, &in), 0);
    assert_string_equal(in.code, "*188#");
    /* message_payload wins over short_message as the text */
    sm = mo(A, 0x12, 0x0100, NO, "x", NULL);
    sm.tlv.present |= SMPP_TLV_MESSAGE_PAYLOAD;
    sm.tlv.message_payload_len = 2;
    memcpy(sm.tlv.message_payload, "42", 2);
    assert_int_equal(ussd_classify(&sm, &ub, 0, &in), 0);
    assert_int_equal(in.text_len, 2);
    assert_memory_equal(in.text, "42", 2);
    assert_string_equal(in.code, ""); /* only starts look for a code */
}

static void
test_reply(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        int its, umr;
        int bind_dcs;
        bool final, ucs2;
        uint8_t want_op;
        int want_its, want_umr; /* NO: absent */
        uint8_t want_dcs;
    } cases[] = {
        {"continue, its", 0x1204, NO, 0x08, false, true, 0x02, 0x1204, NO, 0x08},
        {"final, its: end bit set", 0x1204, NO, 0x08, true, true, 0x11, 0x1205, NO, 0x08},
        {"continue clears a stray end bit", 0x1205, NO, 0x08, false, true, 0x02, 0x1204, NO, 0x08},
        {"final, umr (Mica)", NO, 513, 0x08, true, false, 0x11, NO, 513, 0x00},
        {"continue, both", 0x0300, 7, 0x48, false, true, 0x02, 0x0300, 7, 0x48},
        {"final, none, 0x48 bind, GSM", NO, NO, 0x48, true, false, 0x11, NO, NO, 0x0F},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct gy_ussd_bind ub = bind_defaults();
        ub.data_coding = cases[i].bind_dcs;
        struct smpp_sm in_sm = mo(A, 0x12, cases[i].its, cases[i].umr, "1", NULL);
        struct ussd_in in;
        assert_int_equal(ussd_classify(&in_sm, &ub, 0, &in), 0);
        static const uint8_t text[] = {0x4e, 0x2d, 0x65, 0x87}; /* 中文 */
        struct smpp_sm r;
        assert_int_equal(ussd_reply_fill(&ub, &in.key, &in.echo, cases[i].final, cases[i].ucs2,
                                         text, sizeof text, &r),
                         0);
        if (!(r.tlv.present & SMPP_TLV_USSD_SERVICE_OP) ||
            r.tlv.ussd_service_op != cases[i].want_op)
            fail_msg("%s: op 0x%02x", cases[i].what, r.tlv.ussd_service_op);
        assert_int_equal((r.tlv.present & SMPP_TLV_ITS_SESSION_INFO) != 0, cases[i].want_its != NO);
        if (cases[i].want_its != NO)
            assert_int_equal(r.tlv.its_session_info, cases[i].want_its);
        assert_int_equal((r.tlv.present & SMPP_TLV_USER_MESSAGE_REFERENCE) != 0,
                         cases[i].want_umr != NO);
        if (cases[i].want_umr != NO)
            assert_int_equal(r.tlv.user_message_reference, cases[i].want_umr);
        assert_int_equal(r.data_coding, cases[i].want_dcs);
        assert_int_equal(r.registered_delivery, 0);
        assert_string_equal(r.service_type, "USSD");
        assert_string_equal(r.destination_addr, A);
        assert_int_equal(r.sm_length, sizeof text);
        assert_memory_equal(r.short_message, text, sizeof text);
    }
    /* Longer than max_octets: refused. */
    struct gy_ussd_bind ub = bind_defaults();
    ub.max_octets = 4;
    ub.service_type = "";
    struct session_key k;
    assert_int_equal(session_key_set(&k, SESSION_CH_USSD, SESSION_KEY_MSISDN, 0, 0, A), 0);
    struct smpp_sm r;
    assert_int_equal(ussd_reply_fill(&ub, &k, NULL, true, false, (const uint8_t *)"12345", 5, &r),
                     GY_ETOOBIG);
    assert_int_equal(ussd_reply_fill(&ub, &k, NULL, true, false, (const uint8_t *)"1234", 4, &r),
                     0);
    assert_string_equal(r.service_type, "");
    assert_int_equal(r.tlv.present, SMPP_TLV_USSD_SERVICE_OP);
    assert_int_equal(ussd_reply_fill(NULL, &k, NULL, true, false, NULL, 0, &r), GY_EINVAL);
}

/* Two numbers dial at once with the same its_session_info session number; each answer finds
 * its own session, and an abort of one leaves the other. */
static void
test_two_numbers(void **state)
{
    (void)state;
    struct gy_ussd_bind ub = bind_defaults();
    struct session_limits lim;
    session_limits_default(&lim);
    struct session_table *t = session_table_new(&lim, NULL, NULL);
    assert_non_null(t);
    const char *nums[] = {A, B};
    struct session *s[2];
    for (int i = 0; i < 2; i++) {
        struct smpp_sm sm = mo(nums[i], 0x01, 0x0900, NO, "*188#", NULL);
        struct ussd_in in;
        assert_int_equal(ussd_classify(&sm, &ub, 0, &in), 0);
        assert_int_equal(in.kind, USSD_START);
        assert_int_equal(session_open(t, &in.key, 1000, &s[i]), 0);
        s[i]->echo = in.echo;
        uint8_t who = (uint8_t)i;
        assert_int_equal(session_payload_set(t, s[i], &who, 1), 0);
    }
    assert_ptr_not_equal(s[0], s[1]);
    for (int i = 1; i >= 0; i--) {
        struct smpp_sm sm = mo(nums[i], 0x12, 0x0902, NO, "1", NULL);
        struct ussd_in in;
        assert_int_equal(ussd_classify(&sm, &ub, 0, &in), 0);
        struct session *f = session_find(t, &in.key, 2000);
        assert_ptr_equal(f, s[i]);
        assert_int_equal(*(uint8_t *)session_payload(f, NULL), i);
    }
    /* A aborts with 0x81: its session ends, B's stays. */
    struct smpp_sm ab = mo(A, 0x81, 0x0903, NO, NULL, NULL);
    struct ussd_in in;
    assert_int_equal(ussd_classify(&ab, &ub, 0, &in), 0);
    assert_int_equal(in.kind, USSD_END);
    struct session *f = session_find(t, &in.key, 3000);
    assert_ptr_equal(f, s[0]);
    session_close(t, f);
    assert_null(session_find(t, &in.key, 3000));
    struct smpp_sm bs = mo(B, 0x12, 0x0904, NO, "2", NULL);
    assert_int_equal(ussd_classify(&bs, &ub, 0, &in), 0);
    assert_ptr_equal(session_find(t, &in.key, 3000), s[1]);
    session_table_free(t);
}

static void
test_describe(void **state)
{
    (void)state;
    struct gy_ussd_bind ub = bind_defaults();
    struct smpp_sm sm = mo(A, 0x01, 0x1200, 5, "*188#", NULL);
    struct ussd_in in;
    assert_int_equal(ussd_classify(&sm, &ub, 1, &in), 0);
    char buf[256];
    ussd_in_describe(&in, buf, sizeof buf);
    assert_string_equal(buf, "op=0x01 its=0x1200 umr=5 end=0 dcs=0x00 "
                             "key=ussd/1/its:18/86138****8000 code=*188#(short_message) "
                             "kind=start");
    assert_null(strstr(buf, A));
    sm = mo(A, NO, NO, NO, "JF", NULL);
    assert_int_equal(ussd_classify(&sm, &ub, 1, &in), 0);
    ussd_in_describe(&in, buf, sizeof buf);
    assert_string_equal(buf, "op=- its=- umr=- end=0 dcs=0x00 key=- code=- kind=not-ussd");
}

/* Random bytes in every field (strings without NUL, lengths past the buffers, any TLV bits):
 * classify, describe and reply never read out of bounds (run under ASan) and answer 0 or
 * GY_EINVAL. Fixed seed. */
static void
test_garbage(void **state)
{
    (void)state;
    unsigned seed = 777;
    struct gy_ussd_bind ub = bind_defaults();
    unsigned ok = 0, inval = 0;
    for (unsigned n = 0; n < 20000; n++) {
        struct smpp_sm sm;
        uint8_t *p = (uint8_t *)&sm;
        for (size_t i = 0; i < sizeof sm; i++) {
            seed = seed * 1103515245u + 12345u;
            p[i] = (uint8_t)(seed >> 16);
        }
        if (n % 2) /* half of them with a plausible number, to reach the key and the code */
            snprintf(sm.source_addr, sizeof sm.source_addr, "86138%05u", n);
        ub.session_key = (enum gy_ussd_key)(n % 4);
        struct ussd_in in;
        int rc = ussd_classify(&sm, &ub, n % 3, &in);
        assert_true(rc == 0 || rc == GY_EINVAL);
        ok += rc == 0;
        inval += rc == GY_EINVAL;
        assert_true(strlen(in.code) < USSD_CODE_SIZE);
        char buf[256];
        ussd_in_describe(&in, buf, sizeof buf);
        if (rc == 0 && in.kind != USSD_NOT) {
            struct smpp_sm r;
            int rr = ussd_reply_fill(&ub, &in.key, &in.echo, n % 2, true, in.text,
                                     in.text_len > 160 ? 160 : in.text_len, &r);
            assert_int_equal(rr, 0);
        }
    }
    assert_true(ok > 0 && inval > 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify),    cmocka_unit_test(test_keys),
        cmocka_unit_test(test_code),        cmocka_unit_test(test_reply),
        cmocka_unit_test(test_two_numbers), cmocka_unit_test(test_describe),
        cmocka_unit_test(test_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
