/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_smsc_sim_core: the pure logic of smsc-sim, table-driven, through the recording fake of
 * its I/O (test_smsc_sim_fake.h): id formats, binds accepted and refused, submit answers,
 * delivery reports in both forms, faults and counters, protocol rules, malformed and mutated
 * input. Injected traffic and console commands: test_smsc_sim_traffic.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/gy_err.h"
#include "base/gy_log.h"
#include "gateway/smpp_codec.h"
#include "tools/smsc_sim_core.h"
#include "test_smsc_sim_fake.h"

/* ---- tests ------------------------------------------------------------------------------- */

static void
test_id_formats(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        uint64_t id;
        const char *want;
    } rows[] = {
        {"dec", 3000000001u, "3000000001"}, {"dec0", 42, "0000000000000042"},
        {"hex", 0xb2d05e01u, "b2d05e01"},   {"hex0", 0xabc, "0000000000000abc"},
        {"HEX", 0xb2d05e01u, "B2D05E01"},   {"HEX0", 0xabc, "0000000000000ABC"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        enum sim_id_format f;
        char out[32];
        assert_int_equal(sim_id_format_parse(rows[i].name, &f), 0);
        assert_string_equal(sim_id_format_name(f), rows[i].name);
        assert_int_equal(sim_id_write(f, rows[i].id, out, sizeof(out)), 0);
        assert_string_equal(out, rows[i].want);
    }
    enum sim_id_format f;
    char small[4];
    assert_int_equal(sim_id_format_parse("octal", &f), GY_EINVAL);
    assert_int_equal(sim_id_format_parse(NULL, &f), GY_EINVAL);
    assert_int_equal(sim_id_write(SIM_ID_DEC, 12345, small, sizeof(small)), GY_ETOOBIG);
    enum sim_dlr_mode m;
    assert_int_equal(sim_dlr_mode_parse("tlv", &m), 0);
    assert_int_equal(m, SIM_DLR_TLV);
    assert_int_equal(sim_dlr_mode_parse("xml", &m), GY_EINVAL);
}

static void
test_binds(void **state)
{
    (void)state;
    static const struct {
        const char *cfg_sysid, *cfg_pw;
        uint32_t cmd;
        const char *sysid, *pw;
        uint32_t status;
        enum sim_bind_state st;
    } rows[] = {
        {"", "", SMPP_BIND_TRANSCEIVER, "anyone", "x", SMPP_ESME_ROK, SIM_BOUND_TRX},
        {"gongyou", "secret", SMPP_BIND_TRANSCEIVER, "gongyou", "secret", SMPP_ESME_ROK,
         SIM_BOUND_TRX},
        {"gongyou", "secret", SMPP_BIND_TRANSMITTER, "gongyou", "secret", SMPP_ESME_ROK,
         SIM_BOUND_TX},
        {"gongyou", "secret", SMPP_BIND_RECEIVER, "gongyou", "secret", SMPP_ESME_ROK, SIM_BOUND_RX},
        {"gongyou", "secret", SMPP_BIND_TRANSCEIVER, "gongyou", "wrong", SMPP_ESME_RINVPASWD,
         SIM_OPEN},
        {"gongyou", "secret", SMPP_BIND_TRANSCEIVER, "other", "secret", SMPP_ESME_RINVSYSID,
         SIM_OPEN},
        {"gongyou", "", SMPP_BIND_TRANSCEIVER, "gongyou", "whatever", SMPP_ESME_ROK, SIM_BOUND_TRX},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct sim_config cfg;
        sim_config_defaults(&cfg);
        strcpy(cfg.system_id, rows[i].cfg_sysid);
        strcpy(cfg.password, rows[i].cfg_pw);
        struct fixture *x = fixture_new(&cfg);
        bind_as(x, x->s, rows[i].cmd, rows[i].sysid, rows[i].pw);
        const struct sent *r = last(x);
        assert_int_equal(r->rc, 0);
        assert_int_equal(r->pdu.hdr.command_id, rows[i].cmd | SMPP_RESP_BIT);
        assert_int_equal(r->pdu.hdr.sequence_number, 1);
        assert_int_equal(r->pdu.hdr.command_status, rows[i].status);
        assert_int_equal(sim_session_state(x->s), rows[i].st);
        if (rows[i].status == SMPP_ESME_ROK) {
            assert_string_equal(r->pdu.body.bind_resp.system_id, "smsc-sim");
            assert_int_equal(sim_core_stats(x->c)->binds_ok, 1);
            /* a second bind on the same connection is refused */
            bind_as(x, x->s, rows[i].cmd, rows[i].sysid, rows[i].pw);
            assert_int_equal(last(x)->pdu.hdr.command_status, SMPP_ESME_RALYBND);
        } else {
            assert_int_equal(r->len, 16); /* header only */
            assert_int_equal(sim_core_stats(x->c)->binds_refused, 1);
        }
        assert_int_equal(x->f.n_closed, 0);
        fixture_free(x);
    }
}

static void
test_submit_ids_and_dlr(void **state)
{
    (void)state;
    static const struct {
        const char *id_fmt, *dlr_fmt, *text_fmt;
        enum sim_dlr_mode mode;
        const char *want_resp, *want_tlv, *want_text_id;
    } rows[] = {
        {"dec", "dec", "dec", SIM_DLR_BOTH, "3000000000", "3000000000", "3000000000"},
        {"HEX", "dec", "dec", SIM_DLR_BOTH, "B2D05E00", "3000000000", "3000000000"},
        {"hex", "HEX0", "dec0", SIM_DLR_BOTH, "b2d05e00", "00000000B2D05E00", "0000003000000000"},
        {"dec0", "hex", "hex", SIM_DLR_TLV, "0000003000000000", "b2d05e00", NULL},
        {"dec", "hex", "HEX", SIM_DLR_TEXT, "3000000000", NULL, "B2D05E00"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct sim_config cfg;
        sim_config_defaults(&cfg);
        assert_int_equal(sim_id_format_parse(rows[i].id_fmt, &cfg.id_format), 0);
        assert_int_equal(sim_id_format_parse(rows[i].dlr_fmt, &cfg.dlr_id_format), 0);
        assert_int_equal(sim_id_format_parse(rows[i].text_fmt, &cfg.dlr_text_id_format), 0);
        cfg.dlr_mode = rows[i].mode;
        cfg.dlr_delay_ms = 50;
        struct fixture *x = fixture_new(&cfg);
        bind_as(x, x->s, SMPP_BIND_TRANSCEIVER, "gy", "pw");
        submit(x, 7, 1, "Hello worker", 1000);
        const struct sent *r = last(x);
        assert_int_equal(r->pdu.hdr.command_id, SMPP_SUBMIT_SM_RESP);
        assert_int_equal(r->pdu.hdr.sequence_number, 7);
        assert_int_equal(r->pdu.hdr.command_status, 0);
        assert_string_equal(r->pdu.body.sm_resp.message_id, rows[i].want_resp);
        size_t before = x->f.n_sent;
        uint64_t due = 0;
        assert_true(sim_core_next_due(x->c, &due));
        assert_int_equal(due, 1050);
        sim_core_run_due(x->c, 1049);
        assert_int_equal(x->f.n_sent, before); /* not yet */
        sim_core_run_due(x->c, 1050);
        assert_int_equal(x->f.n_sent, before + 1);
        const struct smpp_pdu *d = &last(x)->pdu;
        assert_int_equal(last(x)->rc, 0);
        assert_int_equal(d->hdr.command_id, SMPP_DELIVER_SM);
        assert_int_equal(d->body.sm.esm_class, SMPP_ESM_DELIVERY_RECEIPT);
        assert_string_equal(d->body.sm.source_addr, "8613800138000");
        assert_string_equal(d->body.sm.destination_addr, "10658888");
        if (rows[i].want_tlv) {
            assert_true(d->body.sm.tlv.present & SMPP_TLV_RECEIPTED_MESSAGE_ID);
            assert_string_equal(d->body.sm.tlv.receipted_message_id, rows[i].want_tlv);
            assert_int_equal(d->body.sm.tlv.message_state, SMPP_STATE_DELIVERED);
        } else {
            assert_int_equal(d->body.sm.tlv.present, 0);
        }
        size_t mlen = 0;
        const uint8_t *m = smpp_sm_message(&d->body.sm, &mlen);
        if (rows[i].want_text_id) {
            char want[256];
            snprintf(want, sizeof(want),
                     "id:%s sub:001 dlvrd:001 submit date:2611281200 done date:2611281200 "
                     "stat:DELIVRD err:000 text:Hello worker",
                     rows[i].want_text_id);
            assert_int_equal(mlen, strlen(want));
            assert_memory_equal(m, want, mlen);
        } else {
            assert_int_equal(mlen, 0);
        }
        assert_false(sim_core_next_due(x->c, &due));
        assert_int_equal(sim_core_stats(x->c)->dlr_sent, 1);
        /* the next submit gets the next id */
        submit(x, 8, 0, "x", 2000);
        assert_int_equal(sim_core_stats(x->c)->submit_ok, 2);
        assert_false(sim_core_next_due(x->c, &due)); /* rd 0: no report */
        fixture_free(x);
    }
}

static void
test_dlr_requests(void **state)
{
    (void)state;
    /* registered_delivery 1: always; 2: failures only; 0: never. */
    static const struct {
        uint8_t rd;
        unsigned fail;
        int want_dlr;
        uint8_t want_state;
    } rows[] = {
        {0, 0, 0, 0},
        {1, 0, 1, SMPP_STATE_DELIVERED},
        {2, 0, 0, 0},
        {2, 1, 1, SMPP_STATE_UNDELIVERABLE},
        {1, 1, 1, SMPP_STATE_UNDELIVERABLE},
        {0x11, 0, 1, SMPP_STATE_DELIVERED}, /* SME ack bits ignored */
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct fixture *x = fixture_new(NULL);
        bind_as(x, x->s, SMPP_BIND_TRANSCEIVER, "gy", "pw");
        sim_core_faults(x->c)->dlr_fail = rows[i].fail;
        submit(x, 2, rows[i].rd, "hi", 0);
        size_t before = x->f.n_sent;
        sim_core_run_due(x->c, 0);
        assert_int_equal(x->f.n_sent - before, (size_t)rows[i].want_dlr);
        if (rows[i].want_dlr) {
            const struct smpp_sm *sm = &last(x)->pdu.body.sm;
            assert_int_equal(sm->tlv.message_state, rows[i].want_state);
            size_t mlen;
            const char *m = (const char *)smpp_sm_message(sm, &mlen);
            assert_non_null(strstr(m, rows[i].want_state == SMPP_STATE_DELIVERED ? "stat:DELIVRD"
                                                                                 : "stat:UNDELIV"));
        }
        fixture_free(x);
    }
}

static void
test_faults(void **state)
{
    (void)state;
    /* One-shot counters: mute beats throttle beats qfull; then normal service. */
    struct fixture *x = fixture_new(NULL);
    bind_as(x, x->s, SMPP_BIND_TRANSCEIVER, "gy", "pw");
    struct sim_faults *f = sim_core_faults(x->c);
    f->mute = 1;
    f->throttle = 2;
    f->qfull = 1;
    static const int64_t want[] = {-1, SMPP_ESME_RTHROTTLED, SMPP_ESME_RTHROTTLED,
                                   SMPP_ESME_RMSGQFUL, SMPP_ESME_ROK};
    for (uint32_t i = 0; i < 5; i++) {
        size_t before = x->f.n_sent;
        submit(x, 10 + i, 0, "m", 0);
        if (want[i] < 0) {
            assert_int_equal(x->f.n_sent, before); /* muted: no answer at all */
            continue;
        }
        assert_int_equal(x->f.n_sent, before + 1);
        assert_int_equal(last(x)->pdu.hdr.sequence_number, 10 + i);
        assert_int_equal(last(x)->pdu.hdr.command_status, (uint32_t)want[i]);
        if (want[i] != SMPP_ESME_ROK)
            assert_int_equal(last(x)->len, 16);
    }
    const struct sim_stats *t = sim_core_stats(x->c);
    assert_int_equal(t->submits, 5);
    assert_int_equal(t->muted, 1);
    assert_int_equal(t->throttled, 2);
    assert_int_equal(t->qfull, 1);
    assert_int_equal(t->submit_ok, 1);
    fixture_free(x);

    /* Every-N flags: every 3rd throttled, every 4th queue full. */
    struct sim_config cfg;
    sim_config_defaults(&cfg);
    cfg.throttle_every = 3;
    cfg.qfull_every = 4;
    x = fixture_new(&cfg);
    bind_as(x, x->s, SMPP_BIND_TRANSCEIVER, "gy", "pw");
    static const uint32_t want2[] = {0, 0, 0x58, 0x14, 0, 0x58, 0, 0x14, 0x58, 0, 0, 0x58};
    for (uint32_t i = 0; i < 12; i++) {
        submit(x, 100 + i, 0, "m", 0);
        assert_int_equal(last(x)->pdu.hdr.command_status, want2[i]);
    }
    assert_int_equal(sim_core_stats(x->c)->throttled, 4);
    assert_int_equal(sim_core_stats(x->c)->qfull, 2);
    fixture_free(x);
}

static void
test_slow_and_drop(void **state)
{
    (void)state;
    struct fixture *x = fixture_new(NULL);
    bind_as(x, x->s, SMPP_BIND_TRANSCEIVER, "gy", "pw");
    sim_core_config(x->c)->delay_ms = 200;
    sim_core_config(x->c)->dlr_delay_ms = 50;
    sim_core_faults(x->c)->drop_after = 2;
    size_t before = x->f.n_sent;
    submit(x, 1, 1, "a", 1000);
    submit(x, 2, 1, "b", 1010);
    assert_int_equal(x->f.n_sent, before); /* responses wait */
    assert_int_equal(x->f.n_closed, 0);
    sim_core_run_due(x->c, 1200);
    assert_int_equal(x->f.n_sent, before + 1);
    assert_int_equal(last(x)->pdu.hdr.command_id, SMPP_SUBMIT_SM_RESP);
    assert_int_equal(last(x)->pdu.hdr.sequence_number, 1);
    sim_core_run_due(x->c, 1210);
    /* response 2 goes out, then the drop closes the link */
    assert_int_equal(x->f.n_sent, before + 2);
    assert_int_equal(last(x)->pdu.hdr.sequence_number, 2);
    assert_int_equal(x->f.n_closed, 1);
    assert_int_equal(sim_session_state(x->s), SIM_CLOSING);
    assert_int_equal(sim_core_stats(x->c)->drops, 1);
    /* both reports fall due with no receiver: held for the next bind, in order */
    sim_core_run_due(x->c, 1260);
    assert_int_equal(x->f.n_sent, before + 2);
    assert_int_equal(sim_core_stats(x->c)->held_now, 2);
    sim_session_free(x->c, x->s);
    x->s = sim_session_new(x->c, NULL, "test:2");
    bind_as(x, x->s, SMPP_BIND_RECEIVER, "gy", "pw");
    assert_int_equal(sim_core_stats(x->c)->held_now, 0);
    assert_int_equal(x->f.n_sent, before + 5);
    assert_string_equal(x->f.sent[before + 3].pdu.body.sm.tlv.receipted_message_id, "3000000000");
    assert_string_equal(x->f.sent[before + 4].pdu.body.sm.tlv.receipted_message_id, "3000000001");
    assert_ptr_equal(last(x)->s, x->s);
    fixture_free(x);

    /* A session freed with a response scheduled: nothing is sent to it later. */
    x = fixture_new(NULL);
    bind_as(x, x->s, SMPP_BIND_TRANSCEIVER, "gy", "pw");
    sim_core_config(x->c)->delay_ms = 10;
    submit(x, 1, 0, "a", 0);
    before = x->f.n_sent;
    sim_session_free(x->c, x->s);
    x->s = NULL;
    sim_core_run_due(x->c, 100);
    assert_int_equal(x->f.n_sent, before);
    fixture_free(x);
}

static void
test_protocol(void **state)
{
    (void)state;
    struct fixture *x = fixture_new(NULL);
    struct smpp_pdu p;
    /* submit before bind: ESME_RINVBNDSTS */
    submit(x, 3, 0, "x", 0);
    assert_int_equal(last(x)->pdu.hdr.command_status, SMPP_ESME_RINVBNDSTS);
    assert_int_equal(sim_core_stats(x->c)->not_bound, 1);
    /* enquire_link answered in any state */
    smpp_pdu_init(&p, SMPP_ENQUIRE_LINK, 4);
    feed(x, x->s, &p, 0);
    assert_int_equal(last(x)->pdu.hdr.command_id, SMPP_ENQUIRE_LINK_RESP);
    assert_int_equal(last(x)->pdu.hdr.sequence_number, 4);
    /* a receiver cannot submit */
    bind_as(x, x->s, SMPP_BIND_RECEIVER, "gy", "pw");
    submit(x, 5, 0, "x", 0);
    assert_int_equal(last(x)->pdu.hdr.command_status, SMPP_ESME_RINVBNDSTS);
    /* a command the codec does not handle (query_sm): generic_nack ESME_RINVCMDID */
    uint8_t q[] = {0, 0, 0, 16, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 9};
    size_t used = 0;
    assert_int_equal(sim_session_input(x->c, x->s, q, sizeof(q), 0, &used), 0);
    assert_int_equal(used, sizeof(q));
    assert_int_equal(last(x)->pdu.hdr.command_id, SMPP_GENERIC_NACK);
    assert_int_equal(last(x)->pdu.hdr.command_status, SMPP_ESME_RINVCMDID);
    assert_int_equal(last(x)->pdu.hdr.sequence_number, 9);
    /* deliver_sm_resp counted; a stray response ignored */
    size_t before = x->f.n_sent;
    smpp_pdu_init(&p, SMPP_DELIVER_SM_RESP, 1);
    feed(x, x->s, &p, 0);
    p.hdr.command_status = SMPP_ESME_RX_T_APPN;
    feed(x, x->s, &p, 0);
    smpp_pdu_init(&p, SMPP_ENQUIRE_LINK_RESP, 1);
    feed(x, x->s, &p, 0);
    assert_int_equal(x->f.n_sent, before);
    assert_int_equal(sim_core_stats(x->c)->deliver_resp_ok, 1);
    assert_int_equal(sim_core_stats(x->c)->deliver_resp_err, 1);
    /* unbind: answered, then the connection closes */
    smpp_pdu_init(&p, SMPP_UNBIND, 6);
    feed(x, x->s, &p, 0);
    assert_int_equal(last(x)->pdu.hdr.command_id, SMPP_UNBIND_RESP);
    assert_int_equal(x->f.n_closed, 1);
    /* input on a closing session is discarded */
    assert_int_equal(sim_session_input(x->c, x->s, q, sizeof(q), 0, &used), GY_ESTATE);
    assert_int_equal(used, sizeof(q));
    fixture_free(x);
}

static void
test_malformed_input(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        uint8_t bytes[24];
        size_t len;
        int closes;
    } rows[] = {
        {"command_length 8", {0, 0, 0, 8, 0, 0, 0, 21, 0, 0, 0, 0, 0, 0, 0, 1}, 16, 1},
        {"command_length 1 MiB", {0, 0x10, 0, 0, 0, 0, 0, 4}, 8, 1},
        {"submit_sm without NUL",
         {0, 0, 0, 20, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 1, 'a', 'b', 'c', 'd'},
         20,
         1},
        {"incomplete PDU waits", {0, 0, 0, 40, 0, 0, 0, 4, 0, 0, 0, 0}, 12, 0},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct fixture *x = fixture_new(NULL);
        struct sim_session *other = sim_session_new(x->c, NULL, "test:other");
        bind_as(x, x->s, SMPP_BIND_TRANSCEIVER, "gy", "pw");
        bind_as(x, other, SMPP_BIND_TRANSCEIVER, "gy", "pw");
        size_t used = 99;
        int rc = sim_session_input(x->c, x->s, rows[i].bytes, rows[i].len, 0, &used);
        if (rows[i].closes) {
            assert_int_equal(rc, GY_ESTATE);
            assert_int_equal(used, rows[i].len);
            assert_int_equal(x->f.n_closed, 1);
            assert_ptr_equal(x->f.closed[0], x->s);
            assert_int_equal(sim_core_stats(x->c)->malformed, 1);
        } else {
            assert_int_equal(rc, 0);
            assert_int_equal(used, 0);
            assert_int_equal(x->f.n_closed, 0);
        }
        /* the other connection carries on */
        struct smpp_pdu p;
        smpp_pdu_init(&p, SMPP_ENQUIRE_LINK, 77);
        feed(x, other, &p, 0);
        assert_ptr_equal(last(x)->s, other);
        assert_int_equal(last(x)->pdu.hdr.sequence_number, 77);
        sim_session_free(x->c, other);
        fixture_free(x);
    }
}

static void
test_stream_in_pieces(void **state)
{
    (void)state;
    /* Three PDUs in one buffer, offered one more octet at a time. */
    struct fixture *x = fixture_new(NULL);
    uint8_t buf[3 * SMPP_ENCODE_MAX];
    size_t len = 0, n;
    struct smpp_pdu p;
    smpp_pdu_init(&p, SMPP_BIND_TRANSCEIVER, 1);
    strcpy(p.body.bind.system_id, "gy");
    assert_int_equal(smpp_pdu_encode(&p, buf, sizeof(buf), &n, NULL, 0), 0);
    len += n;
    smpp_pdu_init(&p, SMPP_ENQUIRE_LINK, 2);
    assert_int_equal(smpp_pdu_encode(&p, buf + len, sizeof(buf) - len, &n, NULL, 0), 0);
    len += n;
    smpp_pdu_init(&p, SMPP_SUBMIT_SM, 3);
    strcpy(p.body.sm.destination_addr, "8613800138001");
    smpp_sm_set_message(&p.body.sm, (const uint8_t *)"JF", 2);
    assert_int_equal(smpp_pdu_encode(&p, buf + len, sizeof(buf) - len, &n, NULL, 0), 0);
    len += n;
    size_t off = 0;
    for (size_t have = 1; have <= len - off;) {
        size_t used = 0;
        assert_int_equal(sim_session_input(x->c, x->s, buf + off, have, 0, &used), 0);
        off += used;
        have = used ? 1 : have + 1;
        if (off == len)
            break;
    }
    assert_int_equal(off, len);
    assert_int_equal(x->f.n_sent, 3);
    assert_int_equal(x->f.sent[2].pdu.hdr.command_id, SMPP_SUBMIT_SM_RESP);
    assert_string_equal(x->f.sent[2].pdu.body.sm_resp.message_id, "3000000000");
    fixture_free(x);
}

/* Mutated client streams: whatever arrives, the simulator answers or closes, never crashes,
 * and consumes input only in whole PDUs. */
static void
test_mutated_input(void **state)
{
    (void)state;
    uint8_t base[4 * SMPP_ENCODE_MAX];
    size_t blen = 0, n;
    struct smpp_pdu p;
    smpp_pdu_init(&p, SMPP_BIND_TRANSCEIVER, 1);
    strcpy(p.body.bind.system_id, "gy");
    assert_int_equal(smpp_pdu_encode(&p, base, sizeof(base), &n, NULL, 0), 0);
    blen += n;
    smpp_pdu_init(&p, SMPP_SUBMIT_SM, 2);
    strcpy(p.body.sm.destination_addr, "8613800138000");
    p.body.sm.esm_class = SMPP_ESM_UDHI;
    p.body.sm.registered_delivery = 1;
    p.body.sm.data_coding = 8;
    static const uint8_t udh_text[] = {5, 0, 3, 7, 2, 1, 0x79, 0xef, 0x52, 0x06};
    smpp_sm_set_message(&p.body.sm, udh_text, sizeof(udh_text));
    p.body.sm.tlv.present = SMPP_TLV_USSD_SERVICE_OP | SMPP_TLV_ITS_SESSION_INFO;
    p.body.sm.tlv.ussd_service_op = SMPP_USSD_USSR_REQ;
    assert_int_equal(smpp_pdu_encode(&p, base + blen, sizeof(base) - blen, &n, NULL, 0), 0);
    blen += n;
    smpp_pdu_init(&p, SMPP_ENQUIRE_LINK, 3);
    assert_int_equal(smpp_pdu_encode(&p, base + blen, sizeof(base) - blen, &n, NULL, 0), 0);
    blen += n;
    uint32_t rng = 12345;
    enum gy_log_level saved = gy_log_get_level();
    gy_log_set_level(GY_LOG_ERROR); /* 3,000 "malformed" warnings say nothing here */
    int closed = 0, answered = 0;
    for (int iter = 0; iter < 3000; iter++) {
        uint8_t buf[sizeof(base)];
        memcpy(buf, base, blen);
        size_t len = blen;
        int flips = 1 + iter % 4;
        for (int k = 0; k < flips; k++) {
            rng = rng * 1103515245u + 12345u;
            size_t pos = (rng >> 8) % len;
            rng = rng * 1103515245u + 12345u;
            buf[pos] = (uint8_t)(rng >> 16);
        }
        if (iter % 7 == 0)
            len = 1 + (rng >> 4) % len; /* cut short too */
        struct fixture *x = fixture_new(NULL);
        sim_core_inject_ussd(x->c, SIM_USSD_OPEN, "8613800138000", "*188#", 0, NULL, 0);
        size_t used = 0;
        int rc = sim_session_input(x->c, x->s, buf, len, 0, &used);
        assert_true(rc == 0 || rc == GY_ESTATE);
        assert_true(used <= len);
        if (rc == GY_ESTATE)
            assert_int_equal(x->f.n_closed, 1);
        closed += rc == GY_ESTATE;
        answered += x->f.n_sent > 0;
        sim_core_run_due(x->c, 1000000);
        for (size_t k = 0; k < x->f.n_sent; k++)
            assert_true(x->f.sent[k].rc == 0); /* everything it sends decodes */
        fixture_free(x);
    }
    gy_log_set_level(saved);
    print_message("mutated input: %d of 3000 streams closed, %d answered\n", closed, answered);
    assert_true(closed > 300 && answered > 300); /* both paths were exercised */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_formats),
        cmocka_unit_test(test_binds),
        cmocka_unit_test(test_submit_ids_and_dlr),
        cmocka_unit_test(test_dlr_requests),
        cmocka_unit_test(test_faults),
        cmocka_unit_test(test_slow_and_drop),
        cmocka_unit_test(test_protocol),
        cmocka_unit_test(test_malformed_input),
        cmocka_unit_test(test_stream_in_pieces),
        cmocka_unit_test(test_mutated_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
