/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_smsc_sim_traffic: what smsc-sim sends of its own, table-driven, through the recording
 * fake of its I/O (test_smsc_sim_fake.h): injected MO SMS and USSD dialogues, redelivery of
 * refused deliver_sm, garbage and drops, console command parsing and execution. */
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
#include "locale/text_encode.h"
#include "tools/smsc_sim_core.h"
#include "test_smsc_sim_fake.h"

/* ---- tests ------------------------------------------------------------------------------- */

static void
test_mo_injection(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t parts;
        uint8_t dc;
    } rows[] = {
        {"JF", 1, 0},
        {"积分", 1, 8},
        {"我想查询我的积分和入户进度，还有孩子入学的情况。请问什么时候可以申请补贴？谢谢！"
         "我想查询我的积分和入户进度，还有孩子入学的情况。请问什么时候可以申请补贴？谢谢！",
         2, 8},
        {"Please tell me my points, my wages and the subsidies I can claim this year, and when "
         "my children can enter school in Jiangmen. Thank you very much for all the help you give!",
         2, 0},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct fixture *x = fixture_new(NULL);
        char err[200];
        /* no receiver yet: held */
        int rc = sim_core_inject_mo(x->c, "8613800138000", "10658888", rows[i].text, 0, err,
                                    sizeof(err));
        assert_int_equal(rc, (int)rows[i].parts);
        assert_int_equal(x->f.n_sent, 0);
        assert_int_equal(sim_core_stats(x->c)->held_now, rows[i].parts);
        bind_as(x, x->s, SMPP_BIND_TRANSCEIVER, "gy", "pw");
        assert_int_equal(x->f.n_sent, 1 + rows[i].parts);
        for (size_t k = 0; k < rows[i].parts; k++) {
            const struct sent *e = &x->f.sent[1 + k];
            assert_int_equal(e->rc, 0);
            assert_int_equal(e->pdu.hdr.command_id, SMPP_DELIVER_SM);
            assert_int_equal(e->pdu.hdr.sequence_number, 1 + k);
            assert_string_equal(e->pdu.body.sm.source_addr, "8613800138000");
            assert_string_equal(e->pdu.body.sm.destination_addr, "10658888");
            assert_int_equal(e->pdu.body.sm.data_coding, rows[i].dc);
            if (rows[i].parts > 1) {
                assert_int_equal(e->pdu.body.sm.esm_class, SMPP_ESM_UDHI);
                assert_int_equal(e->pdu.body.sm.short_message[0], 5);
                assert_int_equal(e->pdu.body.sm.short_message[4], rows[i].parts);
                assert_int_equal(e->pdu.body.sm.short_message[5], k + 1);
            }
        }
        if (i == 1)
            assert_memory_equal(x->f.sent[1].pdu.body.sm.short_message, "\x79\xef\x52\x06", 4);
        assert_int_equal(sim_core_stats(x->c)->mo_sent, rows[i].parts);
        fixture_free(x);
    }
    struct fixture *x = fixture_new(NULL);
    char err[200];
    assert_int_equal(sim_core_inject_mo(x->c, "86abc", "1", "x", 0, err, sizeof(err)), GY_EINVAL);
    assert_non_null(strstr(err, "digits"));
    assert_int_equal(sim_core_inject_mo(x->c, "861", "1", "\xff\xfe", 0, err, sizeof(err)),
                     GY_EENCODING);
    assert_non_null(strstr(err, "UTF-8"));
    /* GBK on request (data_coding 15); a character GBK lacks is refused with its code */
    bind_as(x, x->s, SMPP_BIND_TRANSCEIVER, "gy", "pw");
    assert_int_equal(sim_core_inject_mo(x->c, "8613800138000", "10658888", "积分", TEXT_ALLOW_GBK,
                                        err, sizeof(err)),
                     1);
    assert_int_equal(last(x)->pdu.body.sm.data_coding, 15);
    assert_int_equal(last(x)->pdu.body.sm.sm_length, 4);
    assert_memory_equal(last(x)->pdu.body.sm.short_message, "\xbb\xfd\xb7\xd6", 4);
    assert_int_equal(
        sim_core_inject_mo(x->c, "861", "1", "a\xf0\x9f\x98\x80", TEXT_ALLOW_GBK, err, sizeof(err)),
        GY_EENCODING);
    assert_non_null(strstr(err, "U+1F600 (character 2)"));
    fixture_free(x);
}

static void
test_ussd_dialogue(void **state)
{
    (void)state;
    struct fixture *x = fixture_new(NULL);
    bind_as(x, x->s, SMPP_BIND_TRANSCEIVER, "gy", "pw");
    char err[200];
    const char *who = "8613800138000";
    assert_int_equal(sim_core_inject_ussd(x->c, SIM_USSD_REPLY, who, "1", 0, err, sizeof(err)),
                     GY_ENOTFOUND);
    assert_non_null(strstr(err, "no open USSD session"));
    assert_int_equal(sim_core_inject_ussd(x->c, SIM_USSD_OPEN, who, "*188#", 0, err, sizeof(err)),
                     0);
    const struct smpp_sm *sm = &last(x)->pdu.body.sm;
    assert_string_equal(sm->service_type, "USSD");
    assert_string_equal(sm->destination_addr, "188");
    assert_int_equal(sm->data_coding, 0x0F);
    assert_int_equal(sm->sm_length, 5);
    assert_memory_equal(sm->short_message, "*188#", 5);
    assert_int_equal(sm->tlv.ussd_service_op, SMPP_USSD_PSSR_IND);
    uint8_t session = smpp_its_session_number(sm->tlv.its_session_info);
    assert_int_equal(smpp_its_sequence(sm->tlv.its_session_info), 0);
    assert_false(smpp_its_end_of_session(sm->tlv.its_session_info));
    /* the gateway answers with a menu (USSR, sequence 1) */
    struct smpp_pdu p;
    smpp_pdu_init(&p, SMPP_SUBMIT_SM, 40);
    strcpy(p.body.sm.service_type, "USSD");
    strcpy(p.body.sm.source_addr, "188");
    strcpy(p.body.sm.destination_addr, who);
    p.body.sm.data_coding = 0x0F;
    smpp_sm_set_message(&p.body.sm, (const uint8_t *)"1 JF\n2 GZ", 9);
    p.body.sm.tlv.present = SMPP_TLV_USSD_SERVICE_OP | SMPP_TLV_ITS_SESSION_INFO;
    p.body.sm.tlv.ussd_service_op = SMPP_USSD_USSR_REQ;
    p.body.sm.tlv.its_session_info = smpp_its_make(session, 1, false);
    feed(x, x->s, &p, 0);
    assert_int_equal(last(x)->pdu.hdr.command_id, SMPP_SUBMIT_SM_RESP);
    assert_non_null(strstr(x->f.last_line, "\"1 JF\\n2 GZ\""));
    assert_non_null(strstr(x->f.last_line, "86138****8000"));
    assert_null(strstr(x->f.last_line, who));
    /* the worker answers 1 (USSR confirm, sequence 2), in Chinese too (UCS-2 DCS 0x48) */
    assert_int_equal(sim_core_inject_ussd(x->c, SIM_USSD_REPLY, who, "1", 0, err, sizeof(err)), 0);
    sm = &last(x)->pdu.body.sm;
    assert_int_equal(sm->tlv.ussd_service_op, SMPP_USSD_USSR_CONF);
    assert_int_equal(smpp_its_session_number(sm->tlv.its_session_info), session);
    assert_int_equal(smpp_its_sequence(sm->tlv.its_session_info), 2);
    assert_int_equal(sim_core_inject_ussd(x->c, SIM_USSD_REPLY, who, "积分", 0, err, sizeof(err)),
                     0);
    assert_int_equal(last(x)->pdu.body.sm.data_coding, 0x48);
    /* hang up: end-of-session bit, empty text; then no session is left */
    assert_int_equal(sim_core_inject_ussd(x->c, SIM_USSD_ABORT, who, NULL, 0, err, sizeof(err)), 0);
    sm = &last(x)->pdu.body.sm;
    assert_true(smpp_its_end_of_session(sm->tlv.its_session_info));
    assert_int_equal(sm->sm_length, 0);
    assert_int_equal(sim_core_inject_ussd(x->c, SIM_USSD_ABORT, who, NULL, 0, err, sizeof(err)),
                     GY_ENOTFOUND);
    assert_int_equal(sim_core_stats(x->c)->ussd_sent, 4);
    fixture_free(x);
}

static void
test_redelivery(void **state)
{
    (void)state;
    /* deliver_sm_resp status -> sent again after redeliver_ms? */
    static const struct {
        uint32_t status;
        int again;
    } rows[] = {
        {SMPP_ESME_ROK, 0},       {SMPP_ESME_RX_T_APPN, 1}, {SMPP_ESME_RTHROTTLED, 1},
        {SMPP_ESME_RMSGQFUL, 1},  {SMPP_ESME_RSYSERR, 1},   {SMPP_ESME_RX_P_APPN, 0},
        {SMPP_ESME_RINVCMDID, 0},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct fixture *x = fixture_new(NULL);
        char err[128];
        bind_as(x, x->s, SMPP_BIND_TRANSCEIVER, "gy", "pw");
        assert_int_equal(
            sim_core_inject_mo(x->c, "8613800138000", "10658888", "JF", 0, err, sizeof(err)), 1);
        const struct sent first = *last(x);
        struct smpp_pdu r;
        smpp_pdu_init(&r, SMPP_DELIVER_SM_RESP, first.pdu.hdr.sequence_number);
        r.hdr.command_status = rows[i].status;
        feed(x, x->s, &r, 100);
        size_t before = x->f.n_sent;
        uint64_t due = 0;
        assert_int_equal(sim_core_next_due(x->c, &due), rows[i].again);
        if (rows[i].again) {
            assert_int_equal(due, 1100); /* default redeliver_ms 1000 */
            sim_core_run_due(x->c, due);
            assert_int_equal(x->f.n_sent, before + 1);
            const struct smpp_pdu *d = &last(x)->pdu;
            assert_int_equal(d->hdr.command_id, SMPP_DELIVER_SM);
            assert_int_not_equal(d->hdr.sequence_number, first.pdu.hdr.sequence_number);
            assert_memory_equal(&d->body.sm, &first.pdu.body.sm, sizeof(d->body.sm));
            assert_int_equal(sim_core_stats(x->c)->redelivered, 1);
        }
        /* a response to nothing outstanding is counted and ignored */
        feed(x, x->s, &r, 200);
        assert_false(sim_core_next_due(x->c, &due));
        fixture_free(x);
    }

    /* deliver_sm unanswered when the connection goes: held again, first in line */
    struct fixture *x = fixture_new(NULL);
    char err[128];
    bind_as(x, x->s, SMPP_BIND_RECEIVER, "gy", "pw");
    sim_core_inject_mo(x->c, "8613800138000", "10658888", "one", 0, err, sizeof(err));
    sim_core_inject_mo(x->c, "8613800138000", "10658888", "two", 0, err, sizeof(err));
    struct smpp_pdu r;
    smpp_pdu_init(&r, SMPP_GENERIC_NACK, last(x)->pdu.hdr.sequence_number); /* "two" refused */
    r.hdr.command_status = SMPP_ESME_RINVCMDID;
    feed(x, x->s, &r, 0);
    sim_core_drop_all(x->c, "test");
    sim_core_inject_mo(x->c, "8613800138000", "10658888", "three", 0, err, sizeof(err));
    sim_session_free(x->c, x->s);
    assert_int_equal(sim_core_stats(x->c)->requeued, 1);
    assert_int_equal(sim_core_stats(x->c)->held_now, 2);
    x->s = sim_session_new(x->c, NULL, "test:2");
    size_t before = x->f.n_sent;
    bind_as(x, x->s, SMPP_BIND_TRANSCEIVER, "gy", "pw");
    assert_int_equal(x->f.n_sent, before + 3);
    assert_memory_equal(x->f.sent[before + 1].pdu.body.sm.short_message, "one", 3);
    assert_memory_equal(x->f.sent[before + 2].pdu.body.sm.short_message, "three", 5);
    assert_int_equal(x->f.sent[before + 1].pdu.hdr.sequence_number, 1);
    fixture_free(x);
}

static void
test_garbage_and_drop(void **state)
{
    (void)state;
    struct fixture *x = fixture_new(NULL);
    struct sim_session *unbound = sim_session_new(x->c, NULL, "test:unbound");
    bind_as(x, x->s, SMPP_BIND_TRANSCEIVER, "gy", "pw");
    size_t before = x->f.n_sent;
    assert_int_equal(sim_core_send_garbage(x->c, SIM_GARBAGE_BODY), 1);
    assert_int_equal(x->f.n_sent, before + 1);
    assert_int_equal(last(x)->rc, GY_EPARSE);
    assert_int_equal(sim_core_send_garbage(x->c, SIM_GARBAGE_LENGTH), 1);
    assert_int_equal(last(x)->rc, GY_ERANGE);
    assert_int_equal(last(x)->raw[3], 8);
    assert_int_equal(sim_core_drop_all(x->c, "test"), 2);
    assert_int_equal(x->f.n_closed, 2);
    assert_int_equal(sim_core_drop_all(x->c, "again"), 0);
    sim_session_free(x->c, unbound);
    fixture_free(x);
}

static void
test_console_parse(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        int rc;
        enum sim_cmd_kind kind;
        unsigned n;
        const char *from, *to, *text, *err;
    } rows[] = {
        {"", 0, SIM_CMD_NONE, 0, "", "", "", NULL},
        {"   # a comment", 0, SIM_CMD_NONE, 0, "", "", "", NULL},
        {"mo 8613800138000 10658888 JF\n", 0, SIM_CMD_MO, 0, "8613800138000", "10658888", "JF",
         NULL},
        {"mo 8613800138000 10658888   我的 积分  ", 0, SIM_CMD_MO, 0, "8613800138000", "10658888",
         "我的 积分  ", NULL},
        {"mo-gbk 8613800138000 10658888 积分", 0, SIM_CMD_MO_GBK, 0, "8613800138000", "10658888",
         "积分", NULL},
        {"ussd 8613800138000 *188#", 0, SIM_CMD_USSD, 0, "8613800138000", "", "*188#", NULL},
        {"ussd-reply 8613800138000 1", 0, SIM_CMD_USSD_REPLY, 0, "8613800138000", "", "1", NULL},
        {"ussd-abort 8613800138000", 0, SIM_CMD_USSD_ABORT, 0, "8613800138000", "", "", NULL},
        {"throttle 5", 0, SIM_CMD_THROTTLE, 5, "", "", "", NULL},
        {"qfull 0", 0, SIM_CMD_QFULL, 0, "", "", "", NULL},
        {"mute 3\r\n", 0, SIM_CMD_MUTE, 3, "", "", "", NULL},
        {"drop", 0, SIM_CMD_DROP, 0, "", "", "", NULL},
        {"drop-after 100", 0, SIM_CMD_DROP_AFTER, 100, "", "", "", NULL},
        {"slow 250", 0, SIM_CMD_SLOW, 250, "", "", "", NULL},
        {"dlr-fail 2", 0, SIM_CMD_DLR_FAIL, 2, "", "", "", NULL},
        {"dlr-delay 1000", 0, SIM_CMD_DLR_DELAY, 1000, "", "", "", NULL},
        {"garbage", 0, SIM_CMD_GARBAGE, 0, "", "", "", NULL},
        {"garbage length", 0, SIM_CMD_GARBAGE, 0, "", "", "", NULL},
        {"stats", 0, SIM_CMD_STATS, 0, "", "", "", NULL},
        {"help", 0, SIM_CMD_HELP, 0, "", "", "", NULL},
        {"sleep 10", 0, SIM_CMD_SLEEP, 10, "", "", "", NULL},
        {"wait-bind", 0, SIM_CMD_WAIT_BIND, 0, "", "", "", NULL},
        {"quit", 0, SIM_CMD_QUIT, 0, "", "", "", NULL},
        /* bad commands: a clear error, never a crash */
        {"frobnicate", GY_EPARSE, SIM_CMD_NONE, 0, "", "", "", "unknown command 'frobnicate'"},
        {"throttle", GY_EPARSE, SIM_CMD_NONE, 0, "", "", "", "throttle: N must be"},
        {"throttle -1", GY_EPARSE, SIM_CMD_NONE, 0, "", "", "", "throttle: N must be"},
        {"throttle 5x", GY_EPARSE, SIM_CMD_NONE, 0, "", "", "", "throttle: N must be"},
        {"qfull 99999999999999999999", GY_EPARSE, SIM_CMD_NONE, 0, "", "", "", "qfull: N must"},
        {"slow 3600001", GY_EPARSE, SIM_CMD_NONE, 0, "", "", "", "slow: MS must be"},
        {"throttle 5 6", GY_EPARSE, SIM_CMD_NONE, 0, "", "", "", "unexpected '6'"},
        {"drop now", GY_EPARSE, SIM_CMD_NONE, 0, "", "", "", "drop: unexpected 'now'"},
        {"mo", GY_EPARSE, SIM_CMD_NONE, 0, "", "", "", "mo: FROM missing"},
        {"mo +8613800138000 1 x", GY_EPARSE, SIM_CMD_NONE, 0, "", "", "", "mo: FROM missing"},
        {"mo 8613800138000 abc x", GY_EPARSE, SIM_CMD_NONE, 0, "", "", "", "mo: TO missing"},
        {"mo 8613800138000 10658888", GY_EPARSE, SIM_CMD_NONE, 0, "", "", "", "mo: TEXT missing"},
        {"mo 123456789012345678901 1 x", GY_EPARSE, SIM_CMD_NONE, 0, "", "", "", "FROM missing"},
        {"ussd 8613800138000", GY_EPARSE, SIM_CMD_NONE, 0, "", "", "", "ussd: TEXT missing"},
        {"ussd-abort", GY_EPARSE, SIM_CMD_NONE, 0, "", "", "", "ussd-abort: FROM missing"},
        {"garbage soup", GY_EPARSE, SIM_CMD_NONE, 0, "", "", "", "body or length"},
        {"averyveryverylongcommandnamethatgoesonandon", GY_EPARSE, SIM_CMD_NONE, 0, "", "", "",
         "unknown command"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct sim_cmd cmd;
        char err[256] = "";
        int rc = sim_console_parse(rows[i].line, &cmd, err, sizeof(err));
        if (rc != rows[i].rc)
            fail_msg("line '%s': rc %d, want %d (%s)", rows[i].line, rc, rows[i].rc, err);
        assert_int_equal(cmd.kind, rows[i].kind);
        assert_int_equal(cmd.n, rows[i].n);
        assert_string_equal(cmd.from, rows[i].from);
        assert_string_equal(cmd.to, rows[i].to);
        assert_string_equal(cmd.text, rows[i].text);
        if (rows[i].err && strstr(err, rows[i].err) == NULL)
            fail_msg("line '%s': error '%s' lacks '%s'", rows[i].line, err, rows[i].err);
    }
    /* a line longer than the text limit */
    char *huge = malloc(SIM_TEXT_MAX + 200);
    assert_non_null(huge);
    memset(huge, 'a', SIM_TEXT_MAX + 199);
    memcpy(huge, "mo 1 2 ", 7);
    huge[SIM_TEXT_MAX + 199] = '\0';
    struct sim_cmd cmd;
    char err[256];
    assert_int_equal(sim_console_parse(huge, &cmd, err, sizeof(err)), GY_EPARSE);
    assert_non_null(strstr(err, "too long"));
    free(huge);
}

static void
test_console_exec(void **state)
{
    (void)state;
    struct fixture *x = fixture_new(NULL);
    bind_as(x, x->s, SMPP_BIND_TRANSCEIVER, "gy", "pw");
    static const struct {
        const char *line;
        int rc;
        const char *says;
    } rows[] = {
        {"throttle 2", 0, "next 2 submit(s) get ESME_RTHROTTLED"},
        {"qfull 1", 0, "ESME_RMSGQFUL"},
        {"mute 1", 0, "no answer"},
        {"slow 5", 0, "delayed by 5 ms"},
        {"dlr-delay 7", 0, "7 ms"},
        {"mo 8613800138000 10658888 JF", 0, "mo: 1 part(s)"},
        {"ussd-reply 8613800138001 1", GY_ENOTFOUND, "no open USSD session"},
        {"stats", 0, "mo=1"},
        {"help", 0, "ussd-reply FROM TEXT"},
        {"garbage", 0, "sent to 1 client(s)"},
        {"drop", 0, "closed 1 connection(s)"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct sim_cmd cmd;
        char err[256];
        assert_int_equal(sim_console_parse(rows[i].line, &cmd, err, sizeof(err)), 0);
        struct text_buf out;
        text_buf_init(&out);
        int rc = sim_console_exec(x->c, &cmd, 0, &out);
        assert_int_equal(rc, rows[i].rc);
        if (out.data == NULL || strstr(out.data, rows[i].says) == NULL)
            fail_msg("'%s' said '%s', want '%s'", rows[i].line, out.data ? out.data : "",
                     rows[i].says);
        text_buf_fini(&out);
    }
    assert_int_equal(sim_core_faults(x->c)->throttle, 2);
    assert_int_equal(sim_core_config(x->c)->delay_ms, 5);
    assert_int_equal(sim_core_config(x->c)->dlr_delay_ms, 7);
    fixture_free(x);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mo_injection),  cmocka_unit_test(test_ussd_dialogue),
        cmocka_unit_test(test_redelivery),    cmocka_unit_test(test_garbage_and_drop),
        cmocka_unit_test(test_console_parse), cmocka_unit_test(test_console_exec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
