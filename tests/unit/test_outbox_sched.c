/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of gateway/outbox_sched: priority classes, a reply on its origin bind, destination
 * prefixes with failover, 0x58 keeping the original order and pausing the bind, retries with
 * back-off then failure, permanent errors, link loss, expiry, batches and cursors, message id
 * normalisation, the submit_sm built, and one pass through the real store (enqueue, fetch,
 * pick, complete, grouped marks, delivery report). Time is passed in; nothing sleeps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/gy_err.h"
#include "db/db_store.h"
#include "db/outbox_store.h"
#include "gateway/outbox_sched.h"
#include "test_tmpdir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0 1795000000000LL

static struct outbox_seg
seg(int64_t id, enum outbox_prio p, const char *msisdn, const char *origin)
{
    struct outbox_seg g;
    memset(&g, 0, sizeof(g));
    g.id = id;
    g.message_id = id;
    g.priority = p;
    g.part = 1;
    g.n_parts = 1;
    g.valid_until_ms = T0 + 3600000;
    snprintf(g.msisdn, sizeof(g.msisdn), "%s", msisdn);
    snprintf(g.origin_bind, sizeof(g.origin_bind), "%s", origin ? origin : "");
    snprintf(g.sender, sizeof(g.sender), "dialog");
    g.dest_ton = 1;
    g.dest_npi = 1;
    g.body_len = 2;
    g.body[0] = 'h';
    g.body[1] = 'i';
    g.registered_delivery = 1;
    return g;
}

static const char *const pfx_a[] = {"86138"};
static const char *const pfx_b[] = {"86139", "8613912"};

/* Binds: 0 smsc-a (86138), 1 smsc-b (86139), 2 smsc-c (any destination). */
static struct outbox_sched *
make(int max_retries)
{
    struct outbox_sched_opts o = {
        .batch = 8, .retry_min_ms = 1000, .retry_max_ms = 4000, .pause_factor_max = 4};
    struct outbox_sched *s = outbox_sched_new(&o);
    assert_non_null(s);
    struct outbox_sched_bind b[] = {
        {.name = "smsc-a",
         .dest_prefixes = pfx_a,
         .n_dest_prefixes = 1,
         .max_retries = max_retries,
         .throttle_pause_ms = 500,
         .resp_id_base = SMPP_ID_HEX,
         .source_addr = "12345",
         .source_ton = 3,
         .source_npi = 0},
        {.name = "smsc-b",
         .dest_prefixes = pfx_b,
         .n_dest_prefixes = 2,
         .max_retries = max_retries,
         .throttle_pause_ms = 500},
        {.name = "smsc-c", .max_retries = max_retries, .throttle_pause_ms = 500},
    };
    for (int i = 0; i < 3; i++) {
        assert_int_equal(outbox_sched_add_bind(s, &b[i]), i);
        outbox_sched_bind_up(s, i, true);
    }
    return s;
}

static void
feed(struct outbox_sched *s, enum outbox_prio p, const struct outbox_seg *g, size_t n)
{
    int64_t after;
    size_t want = outbox_sched_want(s, p, &after);
    assert_int_equal(outbox_sched_feed(s, p, g, n, want), 0);
}

/* Picks on bind; returns the segment id (from the destination's last digits) or 0. */
static int64_t
pick(struct outbox_sched *s, int bind, int64_t now, uint64_t *cookie)
{
    struct smpp_pdu pdu;
    int rc = outbox_sched_next(s, bind, now, &pdu, cookie);
    assert_true(rc == 0 || rc == 1);
    if (rc == 0)
        return 0;
    assert_int_equal(pdu.hdr.command_id, SMPP_SUBMIT_SM);
    return atoll(pdu.body.sm.destination_addr + 9); /* 8613X0000NNNN: NNNN */
}

static void
complete(struct outbox_sched *s, uint64_t cookie, enum smpp_link_done kind, uint32_t status,
         const char *id, int64_t now)
{
    struct smpp_link_completion c = {
        .cookie = cookie, .kind = kind, .command_status = status, .message_id = id ? id : ""};
    outbox_sched_complete(s, &c, now);
}

static void
test_priorities(void **state)
{
    (void)state;
    struct outbox_sched *s = make(3);
    struct outbox_seg b[] = {seg(1, OUTBOX_PRIO_BROADCAST, "8613800001001", NULL),
                             seg(4, OUTBOX_PRIO_BROADCAST, "8613800001004", NULL)};
    struct outbox_seg n[] = {seg(2, OUTBOX_PRIO_NORMAL, "8613800001002", NULL)};
    struct outbox_seg r[] = {seg(3, OUTBOX_PRIO_REPLY, "8613800001003", "smsc-a"),
                             seg(5, OUTBOX_PRIO_REPLY, "8613800001005", "smsc-a")};
    feed(s, OUTBOX_PRIO_BROADCAST, b, 2);
    feed(s, OUTBOX_PRIO_NORMAL, n, 1);
    feed(s, OUTBOX_PRIO_REPLY, r, 2);
    static const int64_t order[] = {1003, 1005, 1002, 1001, 1004, 0};
    uint64_t cookie;
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
        assert_int_equal(pick(s, 0, T0, &cookie), order[i]);
    struct outbox_sched_stats st;
    outbox_sched_stats(s, &st);
    assert_int_equal(st.picked, 5);
    assert_int_equal(st.in_flight, 5);
    outbox_sched_free(s); /* frees the in-flight segments too (ASan checks) */
}

static void
test_routing(void **state)
{
    (void)state;
    static const struct {
        unsigned up; /* bit i: bind i bound */
        const char *msisdn;
        const char *origin; /* reply's origin bind */
        int bind;           /* the bind asking */
        bool picked;
    } cases[] = {
        {7, "8613800002001", NULL, 0, true},  /* prefix 86138 -> a */
        {7, "8613800002001", NULL, 2, false}, /* c is a catch-all: only when a is down */
        {7, "8613800002001", NULL, 1, false},
        {6, "8613800002001", NULL, 2, true}, /* a down: fail over to the catch-all */
        {6, "8613800002001", NULL, 1, false},
        {2, "8613800002001", NULL, 1, true}, /* a and c down: any bound link */
        {7, "8613912002001", NULL, 1, true}, /* longest prefix 8613912 -> b */
        {7, "8613700002001", NULL, 2, true}, /* no prefix matches: the catch-all */
        {7, "8613700002001", NULL, 0, false},
        {7, "8613800002001", "smsc-b", 1, true}, /* a reply leaves on its origin bind */
        {7, "8613800002001", "smsc-b", 0, false},
        {5, "8613800002001", "smsc-b", 0, false}, /* ... even when that bind is down */
        {5, "8613800002001", "smsc-b", 2, false},
        {7, "8613800002001", "smsc-gone", 0, true}, /* unknown origin: routing rules */
        {0, "8613800002001", NULL, 0, false},       /* the asking bind is down */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct outbox_sched *s = make(3);
        for (int b = 0; b < 3; b++)
            outbox_sched_bind_up(s, b, (cases[i].up >> b) & 1u);
        struct outbox_seg g = seg(1, cases[i].origin ? OUTBOX_PRIO_REPLY : OUTBOX_PRIO_NORMAL,
                                  cases[i].msisdn, cases[i].origin);
        feed(s, g.priority, &g, 1);
        uint64_t cookie;
        bool got = pick(s, cases[i].bind, T0, &cookie) != 0;
        if (got != cases[i].picked)
            fail_msg("case %zu: picked %d, want %d", i, got, cases[i].picked);
        outbox_sched_free(s);
    }
    struct outbox_sched *s = make(3);
    assert_int_equal(outbox_sched_bind_find(s, "smsc-b"), 1);
    assert_int_equal(outbox_sched_bind_find(s, "nope"), GY_ENOTFOUND);
    struct outbox_sched_bind dup = {.name = "smsc-a", .throttle_pause_ms = 1};
    assert_int_equal(outbox_sched_add_bind(s, &dup), GY_EINVAL);
    struct outbox_sched_bind nopause = {.name = "smsc-d", .throttle_pause_ms = 0};
    assert_int_equal(outbox_sched_add_bind(s, &nopause), GY_EINVAL);
    outbox_sched_free(s);
}

static void
test_throttle_keeps_order(void **state)
{
    (void)state;
    struct outbox_sched *s = make(3);
    struct outbox_seg g[5];
    for (int i = 0; i < 5; i++) {
        char m[32];
        snprintf(m, sizeof(m), "861380000%04d", 3001 + i);
        g[i] = seg(10 + i, OUTBOX_PRIO_NORMAL, m, NULL);
    }
    feed(s, OUTBOX_PRIO_NORMAL, g, 5);
    uint64_t c[3];
    for (int i = 0; i < 3; i++)
        assert_int_equal(pick(s, 0, T0, &c[i]), 3001 + i);
    complete(s, c[0], SMPP_DONE_RESPONSE, 0, "0A1B", T0 + 1);
    complete(s, c[1], SMPP_DONE_RESPONSE, SMPP_ESME_RTHROTTLED, NULL, T0 + 2);
    complete(s, c[2], SMPP_DONE_NACK, SMPP_ESME_RMSGQFUL, NULL, T0 + 3);
    /* Paused: 500 ms from the first throttle, then 1000 ms from the second (doubling). */
    uint64_t cookie;
    assert_int_equal(pick(s, 0, T0 + 10, &cookie), 0);
    assert_int_equal(outbox_sched_wakeup(s, 0, T0 + 10), T0 + 3 + 1000);
    assert_int_equal(pick(s, 0, T0 + 1002, &cookie), 0);
    /* After the pause: the throttled ones first, in their original order, then the rest. */
    static const int64_t order[] = {3002, 3003, 3004, 3005, 0};
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
        assert_int_equal(pick(s, 0, T0 + 1003, &cookie), order[i]);
    /* Only the accepted one produced a mark, with its id normalised (hex -> decimal). */
    struct outbox_mark m[8];
    assert_int_equal(outbox_sched_take_marks(s, m, 8), 1);
    assert_int_equal(m[0].kind, OUTBOX_MARK_SUBMITTED);
    assert_int_equal(m[0].seg_id, 10);
    assert_string_equal(m[0].smsc_id, "2587");
    assert_string_equal(m[0].bind, "smsc-a");
    assert_int_equal(m[0].attempts, 1);
    struct outbox_sched_stats st;
    outbox_sched_stats(s, &st);
    assert_int_equal(st.throttled, 2);
    assert_int_equal(st.accepted, 1);
    outbox_sched_free(s);
}

static void
test_retries_and_failures(void **state)
{
    (void)state;
    static const struct {
        enum smpp_link_done kind;
        uint32_t status;
        int max_retries;
        int fails_after; /* completions until FAILED; 0: requeued without a mark */
        int64_t last_status;
    } cases[] = {
        {SMPP_DONE_RESPONSE, SMPP_ESME_RSYSERR, 2, 3, SMPP_ESME_RSYSERR},
        {SMPP_DONE_RESPONSE, SMPP_ESME_RX_T_APPN, 0, 1, SMPP_ESME_RX_T_APPN},
        {SMPP_DONE_TIMEOUT, 0, 1, 2, OUTBOX_STATUS_TIMEOUT},
        {SMPP_DONE_RESPONSE, 0x0Bu, 5, 1, 0x0B}, /* ESME_RINVDSTADR: permanent */
        {SMPP_DONE_NACK, SMPP_ESME_RINVCMDID, 5, 1, SMPP_ESME_RINVCMDID},
        {SMPP_DONE_RESPONSE, SMPP_ESME_RX_P_APPN, 5, 1, SMPP_ESME_RX_P_APPN},
        {SMPP_DONE_LINK_LOST, 0, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct outbox_sched *s = make(cases[i].max_retries);
        struct outbox_seg g = seg(7, OUTBOX_PRIO_NORMAL, "8613800004001", NULL);
        feed(s, OUTBOX_PRIO_NORMAL, &g, 1);
        int64_t now = T0;
        int tries = cases[i].fails_after ? cases[i].fails_after : 3;
        struct outbox_mark m[16];
        for (int k = 0; k < tries; k++) {
            uint64_t cookie;
            if (pick(s, 0, now, &cookie) != 4001)
                fail_msg("case %zu: not picked at try %d", i, k);
            complete(s, cookie, cases[i].kind, cases[i].status, NULL, now);
            if (k + 1 < tries || cases[i].fails_after == 0) {
                /* Back-off: 1 s, 2 s, 4 s ... (none after a link loss) */
                int64_t wake = outbox_sched_wakeup(s, 0, now);
                if (cases[i].kind == SMPP_DONE_LINK_LOST) {
                    assert_int_equal(wake, INT64_MAX);
                } else {
                    int64_t backoff = 1000LL << k;
                    assert_int_equal(wake, now + (backoff > 4000 ? 4000 : backoff));
                    uint64_t c2;
                    assert_int_equal(pick(s, 0, wake - 1, &c2), 0);
                    now = wake;
                }
            }
        }
        size_t nm = outbox_sched_take_marks(s, m, 16);
        if (cases[i].fails_after == 0) {
            assert_int_equal(nm, 0); /* link loss: back in line, nothing to record */
        } else {
            assert_int_equal(nm, (size_t)cases[i].fails_after);
            for (size_t k = 0; k + 1 < nm; k++)
                assert_int_equal(m[k].kind, OUTBOX_MARK_RETRY);
            assert_int_equal(m[nm - 1].kind, OUTBOX_MARK_FAILED);
            assert_int_equal(m[nm - 1].status, cases[i].last_status);
            assert_int_equal(m[nm - 1].attempts, cases[i].fails_after);
            uint64_t c2;
            assert_int_equal(pick(s, 0, now + 100000, &c2), 0); /* gone */
        }
        outbox_sched_free(s);
    }
    assert_true(outbox_sched_status_temporary(SMPP_ESME_RSYSERR));
    assert_false(outbox_sched_status_temporary(SMPP_ESME_ROK));
    assert_false(outbox_sched_status_temporary(0x0Bu));
    assert_true(outbox_sched_status_throttle(SMPP_ESME_RTHROTTLED));
    assert_false(outbox_sched_status_throttle(SMPP_ESME_RSYSERR));
}

static void
test_expiry_unpick_stray(void **state)
{
    (void)state;
    struct outbox_sched *s = make(3);
    struct outbox_seg g[2] = {seg(1, OUTBOX_PRIO_NORMAL, "8613800005001", NULL),
                              seg(2, OUTBOX_PRIO_NORMAL, "8613800005002", NULL)};
    g[0].valid_until_ms = T0 + 10;
    feed(s, OUTBOX_PRIO_NORMAL, g, 2);
    uint64_t cookie;
    assert_int_equal(pick(s, 0, T0 + 10, &cookie), 5002); /* the first expired on the way */
    struct outbox_mark m[4];
    assert_int_equal(outbox_sched_take_marks(s, m, 4), 1);
    assert_int_equal(m[0].kind, OUTBOX_MARK_EXPIRED);
    assert_int_equal(m[0].seg_id, 1);
    /* The link refused: back to the front. */
    outbox_sched_unpick(s, cookie);
    uint64_t again;
    assert_int_equal(pick(s, 0, T0 + 11, &again), 5002);
    assert_true(again != cookie); /* a new generation: the old cookie is dead */
    complete(s, cookie, SMPP_DONE_RESPONSE, 0, "1", T0 + 12);
    outbox_sched_unpick(s, cookie);
    struct outbox_sched_stats st;
    outbox_sched_stats(s, &st);
    assert_int_equal(st.stray, 1);
    assert_int_equal(st.in_flight, 1);
    complete(s, again, SMPP_DONE_RESPONSE, 0, "", T0 + 13); /* no id: accepted anyway */
    assert_int_equal(outbox_sched_take_marks(s, m, 4), 1);
    assert_int_equal(m[0].kind, OUTBOX_MARK_SUBMITTED);
    assert_string_equal(m[0].smsc_id, "");
    outbox_sched_free(s);
}

static void
test_batches(void **state)
{
    (void)state;
    struct outbox_sched *s = make(3);
    int64_t after = -1;
    assert_int_equal(outbox_sched_want(s, OUTBOX_PRIO_BROADCAST, &after), 8);
    assert_int_equal(after, 0);
    struct outbox_seg g[8];
    for (int i = 0; i < 8; i++)
        g[i] = seg(100 + i, OUTBOX_PRIO_BROADCAST, "8613800006001", NULL);
    assert_int_equal(outbox_sched_feed(s, OUTBOX_PRIO_BROADCAST, g, 8, 8), 0);
    assert_int_equal(outbox_sched_want(s, OUTBOX_PRIO_BROADCAST, &after), 0); /* full */
    uint64_t c;
    for (int i = 0; i < 5; i++) {
        assert_int_equal(pick(s, 0, T0, &c), 6001);
        complete(s, c, SMPP_DONE_RESPONSE, 0, "AB", T0);
    }
    assert_int_equal(outbox_sched_want(s, OUTBOX_PRIO_BROADCAST, &after), 5);
    assert_int_equal(after, 107);
    /* A short batch: the store is drained until poked; already seen ids are ignored. */
    assert_int_equal(outbox_sched_feed(s, OUTBOX_PRIO_BROADCAST, g + 6, 2, 5), 0);
    assert_int_equal(outbox_sched_want(s, OUTBOX_PRIO_BROADCAST, &after), 0);
    outbox_sched_poke(s, OUTBOX_PRIO_BROADCAST);
    assert_int_equal(outbox_sched_want(s, OUTBOX_PRIO_BROADCAST, &after), 5);
    struct outbox_sched_stats st;
    outbox_sched_stats(s, &st);
    assert_int_equal(st.in_memory[OUTBOX_PRIO_BROADCAST], 3);
    assert_int_equal(st.marks_pending, 5);
    outbox_sched_free(s);
}

static void
test_submit_pdu(void **state)
{
    (void)state;
    struct outbox_seg g = seg(1, OUTBOX_PRIO_REPLY, "8613800007001", NULL);
    g.esm_class = SMPP_ESM_UDHI;
    g.data_coding = 8;
    g.sar = true;
    g.sar_ref = 0x1234;
    g.sar_total = 3;
    g.sar_seq = 2;
    g.has_ussd_op = true;
    g.ussd_op = SMPP_USSD_USSR_REQ;
    g.has_its_session = true;
    g.its_session = 0x0102;
    snprintf(g.service_type, sizeof(g.service_type), "USSD");
    struct smpp_pdu p;
    assert_int_equal(outbox_seg_to_submit(&g, "10659", 3, 0, &p), 0);
    const struct smpp_sm *sm = &p.body.sm;
    assert_string_equal(sm->source_addr, "10659");
    assert_int_equal(sm->source_addr_ton, 3);
    assert_string_equal(sm->destination_addr, "8613800007001");
    assert_int_equal(sm->dest_addr_ton, 1);
    assert_int_equal(sm->esm_class, SMPP_ESM_UDHI);
    assert_int_equal(sm->data_coding, 8);
    assert_int_equal(sm->registered_delivery, 1);
    assert_int_equal(sm->sm_length, 2);
    assert_string_equal(sm->service_type, "USSD");
    assert_true(sm->tlv.present & SMPP_TLV_SAR_MSG_REF_NUM);
    assert_int_equal(sm->tlv.sar_msg_ref_num, 0x1234);
    assert_int_equal(sm->tlv.sar_segment_seqnum, 2);
    assert_int_equal(sm->tlv.ussd_service_op, SMPP_USSD_USSR_REQ);
    assert_int_equal(sm->tlv.its_session_info, 0x0102);
    /* Own source address wins; payload mode. */
    snprintf(g.source_addr, sizeof(g.source_addr), "JMRS");
    g.source_ton = 5;
    g.in_payload = true;
    g.body_len = 600;
    assert_int_equal(outbox_seg_to_submit(&g, "10659", 3, 0, &p), 0);
    assert_string_equal(p.body.sm.source_addr, "JMRS");
    assert_int_equal(p.body.sm.source_addr_ton, 5);
    assert_int_equal(p.body.sm.sm_length, 0);
    assert_int_equal(p.body.sm.tlv.message_payload_len, 600);
    g.in_payload = false;
    assert_int_equal(outbox_seg_to_submit(&g, "10659", 3, 0, &p), GY_ETOOBIG);
}

/* The real store under the scheduler: enqueue, fetch, pick, complete, one grouped commit,
 * then a delivery report with the id in another base. */
static void
test_with_store(void **state)
{
    (void)state;
    char dir[256], path[300];
    assert_int_equal(test_tmpdir_make(dir, sizeof(dir), "gy_sched_"), 0);
    assert_int_equal(test_tmpdir_path(path, sizeof(path), dir, "s.db"), 0);
    struct db *db = NULL;
    char err[256];
    assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, err, sizeof(err)), 0);
    assert_int_equal(db_migrate(db, NULL, NULL), 0);

    uint8_t body[3] = {'a', 'b', 'c'};
    struct outbox_part_in parts[2] = {{.body = body, .body_len = 3}, {.body = body, .body_len = 2}};
    struct outbox_msg_in m = {.priority = OUTBOX_PRIO_REPLY,
                              .sender = "dialog",
                              .msisdn = "8613800008001",
                              .origin_bind = "smsc-a",
                              .registered_delivery = 1,
                              .parts = parts,
                              .n_parts = 2};
    int64_t mid;
    assert_int_equal(outbox_store_enqueue(db, &m, T0, &mid), 0);

    struct outbox_sched *s = make(3);
    static struct outbox_seg buf[8];
    for (int p = 0; p < OUTBOX_N_PRIO; p++) {
        int64_t after;
        size_t want = outbox_sched_want(s, (enum outbox_prio)p, &after), n = 0;
        assert_int_equal(outbox_store_fetch(db, (enum outbox_prio)p, after, buf, want, &n), 0);
        assert_int_equal(outbox_sched_feed(s, (enum outbox_prio)p, buf, n, want), 0);
    }
    uint64_t c1, c2;
    assert_int_equal(pick(s, 0, T0, &c1), 8001);
    assert_int_equal(pick(s, 0, T0, &c2), 8001);
    complete(s, c1, SMPP_DONE_RESPONSE, 0, "0A1B", T0);
    complete(s, c2, SMPP_DONE_RESPONSE, 0, "0A1C", T0);
    struct outbox_mark marks[8];
    size_t n = outbox_sched_take_marks(s, marks, 8);
    assert_int_equal(n, 2);
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(outbox_store_mark(db, marks, n, T0), 0);
    assert_int_equal(db_commit(db), 0);
    struct outbox_msg_info info;
    assert_int_equal(outbox_store_message(db, mid, &info), 0);
    assert_int_equal(info.status, OUTBOX_SUBMITTED);
    /* Reports in decimal with leading zeros (the bind's DLR base). */
    static const char *const dlr_ids[] = {"002587", "2588"};
    for (int i = 0; i < 2; i++) {
        char id[OUTBOX_SMSC_ID_SIZE];
        assert_int_equal(smpp_id_normalise(dlr_ids[i], SMPP_ID_DEC, id, sizeof(id)), 0);
        assert_int_equal(
            outbox_store_dlr_apply(db, "smsc-a", id, OUTBOX_DELIVERED, 0, T0, NULL, NULL), 0);
    }
    assert_int_equal(outbox_store_message(db, mid, &info), 0);
    assert_int_equal(info.status, OUTBOX_DELIVERED);
    outbox_sched_free(s);
    db_close(db);
    test_tmpdir_remove(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_priorities),           cmocka_unit_test(test_routing),
        cmocka_unit_test(test_throttle_keeps_order), cmocka_unit_test(test_retries_and_failures),
        cmocka_unit_test(test_expiry_unpick_stray),  cmocka_unit_test(test_batches),
        cmocka_unit_test(test_submit_pdu),           cmocka_unit_test(test_with_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
