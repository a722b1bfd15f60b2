/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of db/outbox_store: enqueue then fetch in (priority, enqueue) order and in batches,
 * one status per logical message, bad input refused with nothing written, savepoints inside
 * a caller's transaction, durability at commit and at-least-once after a crash, resume,
 * expiry, delivery-report correlation by hex/decimal/leading-zero ids, counters, and the
 * query plans that keep a reply fetch independent of a 1,000,000-row broadcast backlog. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/gy_err.h"
#include "db/db_store.h"
#include "db/outbox_store.h"
#include "gateway/smpp_dlr.h"
#include "test_tmpdir.h"
#include "test_db_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NOW 1795000000000LL /* some ms since the epoch (2026-11-18) */

struct fixture {
    char dir[256];
    char path[300];
    struct db *db;
};

static struct db *
open_db(const char *path)
{
    struct db *db = NULL;
    char err[256] = "";
    if (db_open(path, DB_OPEN_CREATE, &db, err, sizeof(err)) != 0)
        fail_msg("db_open: %s", err);
    assert_int_equal(db_migrate(db, NULL, NULL), 0);
    return db;
}

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    if (f == NULL)
        return -1;
    if (test_tmpdir_make(f->dir, sizeof(f->dir), "gy_outbox_") != 0 ||
        test_tmpdir_path(f->path, sizeof(f->path), f->dir, "o.db") != 0) {
        free(f);
        return -1;
    }
    f->db = open_db(f->path);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    test_tmpdir_remove(f->dir);
    free(f);
    return 0;
}

/* Enqueues a message of nparts parts "pN" to msisdn. Returns its id. */
static int64_t
enq(struct db *db, enum outbox_prio p, const char *msisdn, size_t nparts, int64_t valid)
{
    struct outbox_part_in parts[4];
    assert_true(nparts <= 4);
    static const uint8_t bodies[4][2] = {{'p', '1'}, {'p', '2'}, {'p', '3'}, {'p', '4'}};
    for (size_t i = 0; i < nparts; i++)
        parts[i] = (struct outbox_part_in){.body = bodies[i], .body_len = 2, .data_coding = 0};
    struct outbox_msg_in m = {
        .priority = p,
        .sender = p == OUTBOX_PRIO_BROADCAST ? "JMRS" : OUTBOX_SENDER_DIALOG,
        .msisdn = msisdn,
        .origin_bind = p == OUTBOX_PRIO_REPLY ? "smsc-a" : NULL,
        .valid_until_ms = valid,
        .registered_delivery = 1,
        .parts = parts,
        .n_parts = nparts,
    };
    int64_t id = 0;
    assert_int_equal(outbox_store_enqueue(db, &m, NOW, &id), 0);
    assert_true(id > 0);
    return id;
}

static struct outbox_seg segs[64];

static size_t
fetch(struct db *db, enum outbox_prio p, int64_t after, size_t max)
{
    size_t n = 99;
    assert_true(max <= 64);
    assert_int_equal(outbox_store_fetch(db, p, after, segs, max, &n), 0);
    return n;
}

static enum outbox_state
msg_status(struct db *db, int64_t id)
{
    struct outbox_msg_info info;
    assert_int_equal(outbox_store_message(db, id, &info), 0);
    return info.status;
}

static void
test_enqueue_fetch_order(void **state)
{
    struct fixture *f = *state;
    int64_t b1 = enq(f->db, OUTBOX_PRIO_BROADCAST, "8613800000001", 2, 0);
    int64_t n1 = enq(f->db, OUTBOX_PRIO_NORMAL, "8613800000002", 1, 0);
    int64_t r1 = enq(f->db, OUTBOX_PRIO_REPLY, "8613800000003", 3, 0);
    int64_t r2 = enq(f->db, OUTBOX_PRIO_REPLY, "8613800000004", 1, 0);
    int64_t b2 = enq(f->db, OUTBOX_PRIO_BROADCAST, "8613800000005", 1, 0);

    static const struct {
        enum outbox_prio p;
        int64_t after;
        size_t max;
        size_t want_n;
        int64_t first_msg;
        int first_part;
        int64_t last_msg;
        int last_part;
    } cases[] = {
        {OUTBOX_PRIO_REPLY, 0, 64, 4, 3, 1, 4, 1},
        {OUTBOX_PRIO_REPLY, 0, 2, 2, 3, 1, 3, 2}, /* a batch stops mid-message */
        {OUTBOX_PRIO_NORMAL, 0, 64, 1, 2, 1, 2, 1},
        {OUTBOX_PRIO_BROADCAST, 0, 64, 3, 1, 1, 5, 1},
    };
    assert_int_equal(b1, 1);
    assert_int_equal(n1, 2);
    assert_int_equal(r1, 3);
    assert_int_equal(r2, 4);
    assert_int_equal(b2, 5);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = fetch(f->db, cases[i].p, cases[i].after, cases[i].max);
        assert_int_equal(n, cases[i].want_n);
        assert_int_equal(segs[0].message_id, cases[i].first_msg);
        assert_int_equal(segs[0].part, cases[i].first_part);
        assert_int_equal(segs[n - 1].message_id, cases[i].last_msg);
        assert_int_equal(segs[n - 1].part, cases[i].last_part);
        for (size_t k = 1; k < n; k++)
            assert_true(segs[k].id > segs[k - 1].id);
    }
    /* The cursor continues a batch: after the 2nd reply segment come the 3rd and r2. */
    size_t n = fetch(f->db, OUTBOX_PRIO_REPLY, 0, 2);
    int64_t after = segs[n - 1].id;
    n = fetch(f->db, OUTBOX_PRIO_REPLY, after, 64);
    assert_int_equal(n, 2);
    assert_int_equal(segs[0].part, 3);
    assert_int_equal(segs[1].message_id, r2);
    /* The fields come back as stored. */
    n = fetch(f->db, OUTBOX_PRIO_REPLY, 0, 1);
    assert_string_equal(segs[0].msisdn, "8613800000003");
    assert_string_equal(segs[0].origin_bind, "smsc-a");
    assert_string_equal(segs[0].sender, "dialog");
    assert_int_equal(segs[0].n_parts, 3);
    assert_int_equal(segs[0].body_len, 2);
    assert_memory_equal(segs[0].body, "p1", 2);
    assert_int_equal(segs[0].valid_until_ms, NOW + OUTBOX_VALIDITY_REPLY_MS);
    assert_false(segs[0].sar);
    assert_int_equal(msg_status(f->db, r1), OUTBOX_QUEUED);
}

static void
test_enqueue_refuses_bad_input(void **state)
{
    struct fixture *f = *state;
    uint8_t body[300] = {0};
    struct outbox_part_in part = {.body = body, .body_len = 10};
    struct outbox_msg_in good = {.priority = OUTBOX_PRIO_NORMAL,
                                 .sender = "dialog",
                                 .msisdn = "8613800000001",
                                 .parts = &part,
                                 .n_parts = 1};
    struct outbox_msg_in m;
    /* Each case changes one field of good. */
    m = good, m.sender = "";
    assert_int_equal(outbox_store_enqueue(f->db, &m, NOW, NULL), GY_EINVAL);
    m = good, m.sender = "an-agency-label-that-is-far-too-long-for-it";
    assert_int_equal(outbox_store_enqueue(f->db, &m, NOW, NULL), GY_EINVAL);
    m = good, m.msisdn = "+8613800000001";
    assert_int_equal(outbox_store_enqueue(f->db, &m, NOW, NULL), GY_EINVAL);
    m = good, m.msisdn = "";
    assert_int_equal(outbox_store_enqueue(f->db, &m, NOW, NULL), GY_EINVAL);
    m = good, m.n_parts = 0;
    assert_int_equal(outbox_store_enqueue(f->db, &m, NOW, NULL), GY_EINVAL);
    m = good, m.priority = (enum outbox_prio)7;
    assert_int_equal(outbox_store_enqueue(f->db, &m, NOW, NULL), GY_EINVAL);
    m = good, m.service_type = "TOOLONG";
    assert_int_equal(outbox_store_enqueue(f->db, &m, NOW, NULL), GY_EINVAL);
    struct outbox_part_in big = {.body = body, .body_len = 255};
    m = good, m.parts = &big;
    assert_int_equal(outbox_store_enqueue(f->db, &m, NOW, NULL), GY_EINVAL);
    big.in_payload = true; /* 255 octets are fine in message_payload */
    assert_int_equal(outbox_store_enqueue(f->db, &m, NOW, NULL), 0);
    assert_int_equal(fetch(f->db, OUTBOX_PRIO_NORMAL, 0, 64), 1);
    assert_true(segs[0].in_payload);
    assert_int_equal(segs[0].body_len, 255);
    assert_int_equal(outbox_store_enqueue(f->db, NULL, NOW, NULL), GY_EINVAL);
}

static void
test_enqueue_in_caller_transaction(void **state)
{
    struct fixture *f = *state;
    /* A broadcast enqueues many recipients in one transaction; a bad one in the middle
     * leaves the others. */
    assert_int_equal(db_begin(f->db), 0);
    enq(f->db, OUTBOX_PRIO_BROADCAST, "8613800000001", 1, 0);
    uint8_t b[1] = {'x'};
    struct outbox_part_in part = {.body = b, .body_len = 1};
    struct outbox_msg_in bad = {.priority = OUTBOX_PRIO_BROADCAST,
                                .sender = "JMRS",
                                .msisdn = "86x",
                                .parts = &part,
                                .n_parts = 1};
    assert_int_equal(outbox_store_enqueue(f->db, &bad, NOW, NULL), GY_EINVAL);
    enq(f->db, OUTBOX_PRIO_BROADCAST, "8613800000002", 2, 0);
    assert_int_equal(db_commit(f->db), 0);
    assert_int_equal(fetch(f->db, OUTBOX_PRIO_BROADCAST, 0, 64), 3);
    /* Rolled back with the caller's transaction. */
    assert_int_equal(db_begin(f->db), 0);
    enq(f->db, OUTBOX_PRIO_BROADCAST, "8613800000003", 1, 0);
    db_rollback(f->db);
    assert_int_equal(fetch(f->db, OUTBOX_PRIO_BROADCAST, 0, 64), 3);
}

/* A part that fails after the message row and its first part were written (a temporary
 * trigger refuses part 2) leaves nothing of that message inside the caller's transaction,
 * and the caller's other messages stay. */
static void
test_failure_midway_leaves_nothing(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(db_exec(f->db, "CREATE TEMP TRIGGER refuse_part2 BEFORE INSERT ON"
                                    " outbox_segments WHEN NEW.part = 2"
                                    " BEGIN SELECT RAISE(ABORT, 'refused'); END"),
                     0);
    assert_int_equal(db_begin(f->db), 0);
    enq(f->db, OUTBOX_PRIO_BROADCAST, "8613800000001", 1, 0);
    uint8_t b[2][1] = {{'x'}, {'y'}};
    struct outbox_part_in parts[2] = {{.body = b[0], .body_len = 1}, {.body = b[1], .body_len = 1}};
    struct outbox_msg_in two = {.priority = OUTBOX_PRIO_BROADCAST,
                                .sender = "JMRS",
                                .msisdn = "8613800000009",
                                .parts = parts,
                                .n_parts = 2};
    int64_t id = -1;
    assert_int_equal(outbox_store_enqueue(f->db, &two, NOW, &id), GY_EDB);
    assert_int_equal(id, -1); /* not set on failure */
    enq(f->db, OUTBOX_PRIO_BROADCAST, "8613800000002", 1, 0);
    assert_int_equal(db_commit(f->db), 0);
    assert_int_equal(test_db_int(f->db, "SELECT count(*) FROM outbox_messages"), 2);
    assert_int_equal(test_db_int(f->db, "SELECT count(*) FROM outbox_segments"), 2);
    assert_int_equal(test_db_int(f->db, "SELECT count(*) FROM outbox_messages WHERE msisdn ="
                                        " '8613800000009'"),
                     0);
    /* Outside a transaction the same failure rolls its own back. */
    assert_int_equal(outbox_store_enqueue(f->db, &two, NOW, &id), GY_EDB);
    assert_int_equal(test_db_int(f->db, "SELECT count(*) FROM outbox_segments"), 2);
    assert_int_equal(db_exec(f->db, "DROP TRIGGER refuse_part2"), 0);
}

static struct outbox_mark
mk(enum outbox_mark_kind kind, const struct outbox_seg *g, const char *smsc_id)
{
    struct outbox_mark k = {
        .kind = kind, .seg_id = g->id, .message_id = g->message_id, .attempts = 1, .status = 0};
    snprintf(k.bind, sizeof(k.bind), "smsc-a");
    snprintf(k.smsc_id, sizeof(k.smsc_id), "%s", smsc_id ? smsc_id : "");
    return k;
}

static void
test_one_status_per_message(void **state)
{
    struct fixture *f = *state;
    int64_t m3 = enq(f->db, OUTBOX_PRIO_NORMAL, "8613800000001", 3, 0);
    int64_t mf = enq(f->db, OUTBOX_PRIO_NORMAL, "8613800000002", 2, 0);
    assert_int_equal(fetch(f->db, OUTBOX_PRIO_NORMAL, 0, 64), 5);
    struct outbox_seg g[5];
    memcpy(g, segs, sizeof(g));

    /* Parts change one after the other; the message's status follows. */
    static const struct {
        int seg;
        enum outbox_mark_kind kind;
        const char *id;
        int msg; /* 0: m3, 1: mf */
        enum outbox_state want;
    } steps[] = {
        {0, OUTBOX_MARK_SUBMITTED, "11", 0, OUTBOX_QUEUED},
        {1, OUTBOX_MARK_RETRY, NULL, 0, OUTBOX_QUEUED},
        {1, OUTBOX_MARK_SUBMITTED, "12", 0, OUTBOX_QUEUED},
        {2, OUTBOX_MARK_SUBMITTED, "13", 0, OUTBOX_SUBMITTED},
        {0, OUTBOX_MARK_DELIVERED, NULL, 0, OUTBOX_SUBMITTED},
        {1, OUTBOX_MARK_DELIVERED, NULL, 0, OUTBOX_SUBMITTED},
        {2, OUTBOX_MARK_DELIVERED, NULL, 0, OUTBOX_DELIVERED},
        {2, OUTBOX_MARK_FAILED, NULL, 0, OUTBOX_DELIVERED}, /* final states stay */
        {3, OUTBOX_MARK_SUBMITTED, "21", 1, OUTBOX_QUEUED},
        {4, OUTBOX_MARK_FAILED, NULL, 1, OUTBOX_FAILED}, /* one part failed: failed */
        {3, OUTBOX_MARK_DELIVERED, NULL, 1, OUTBOX_FAILED},
    };
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        struct outbox_mark k = mk(steps[i].kind, &g[steps[i].seg], steps[i].id);
        if (steps[i].kind == OUTBOX_MARK_FAILED)
            k.status = 0x0B; /* ESME_RINVDSTADR */
        assert_int_equal(db_begin(f->db), 0);
        assert_int_equal(outbox_store_mark(f->db, &k, 1, NOW + (int64_t)i), 0);
        assert_int_equal(db_commit(f->db), 0);
        enum outbox_state got = msg_status(f->db, steps[i].msg ? mf : m3);
        if (got != steps[i].want)
            fail_msg("step %zu: status %s, want %s", i, outbox_state_name(got),
                     outbox_state_name(steps[i].want));
    }
    struct outbox_msg_info info;
    assert_int_equal(outbox_store_message(f->db, mf, &info), 0);
    assert_int_equal(info.last_status, 0x0B);
    /* Nothing of these is ready any more. */
    assert_int_equal(fetch(f->db, OUTBOX_PRIO_NORMAL, 0, 64), 0);
    assert_int_equal(outbox_store_message(f->db, 999, &info), GY_ENOTFOUND);
}

static void
test_crash_and_resume(void **state)
{
    struct fixture *f = *state;
    int64_t a = enq(f->db, OUTBOX_PRIO_REPLY, "8613800000001", 2, 0);
    assert_int_equal(fetch(f->db, OUTBOX_PRIO_REPLY, 0, 64), 2);
    struct outbox_seg g[2];
    memcpy(g, segs, sizeof(g));
    /* Part 1 accepted and committed; part 2 accepted but its grouped transaction never
     * commits (the process dies): closing without commit is that crash. */
    struct outbox_mark k1 = mk(OUTBOX_MARK_SUBMITTED, &g[0], "100");
    assert_int_equal(outbox_store_mark(f->db, &k1, 1, NOW), 0); /* autocommit */
    assert_int_equal(db_begin(f->db), 0);
    struct outbox_mark k2 = mk(OUTBOX_MARK_SUBMITTED, &g[1], "101");
    assert_int_equal(outbox_store_mark(f->db, &k2, 1, NOW), 0);
    db_close(f->db);
    /* A segment left 'submitted' without an SMSC id (a writer that marks in-flight). */
    f->db = open_db(f->path);
    int64_t b = enq(f->db, OUTBOX_PRIO_REPLY, "8613800000002", 1, 0);
    assert_int_equal(db_exec(f->db, "UPDATE outbox_segments SET state = 1, bind = 'smsc-a'"
                                    " WHERE message_id = 2"),
                     0);
    size_t n = 99;
    assert_int_equal(outbox_store_resume(f->db, NOW, &n), 0);
    assert_int_equal(n, 1);
    /* Ready again: part 2 of a (never recorded: at least once) and b (reset). Part 1 of a
     * waits for its report and is not resent. */
    n = fetch(f->db, OUTBOX_PRIO_REPLY, 0, 64);
    assert_int_equal(n, 2);
    assert_int_equal(segs[0].message_id, a);
    assert_int_equal(segs[0].part, 2);
    assert_int_equal(segs[1].message_id, b);
    assert_int_equal(msg_status(f->db, b), OUTBOX_QUEUED);
    assert_int_equal(
        outbox_store_dlr_apply(f->db, "smsc-a", "100", OUTBOX_DELIVERED, 0, NOW, NULL, NULL), 0);
    assert_int_equal(outbox_store_resume(f->db, NOW, &n), 0);
    assert_int_equal(n, 0);
}

static void
test_expiry(void **state)
{
    struct fixture *f = *state;
    int64_t m = enq(f->db, OUTBOX_PRIO_BROADCAST, "8613800000001", 2, NOW + 1000);
    int64_t keep = enq(f->db, OUTBOX_PRIO_BROADCAST, "8613800000002", 1, NOW + 5000);
    static const struct {
        int64_t at;
        size_t want;
        enum outbox_state st_m, st_keep;
    } cases[] = {
        {NOW + 999, 0, OUTBOX_QUEUED, OUTBOX_QUEUED},
        {NOW + 1000, 2, OUTBOX_EXPIRED, OUTBOX_QUEUED},
        {NOW + 1001, 0, OUTBOX_EXPIRED, OUTBOX_QUEUED},
        {NOW + 9000, 1, OUTBOX_EXPIRED, OUTBOX_EXPIRED},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = 99;
        assert_int_equal(outbox_store_expire(f->db, cases[i].at, 100, &n), 0);
        assert_int_equal(n, cases[i].want);
        assert_int_equal(msg_status(f->db, m), cases[i].st_m);
        assert_int_equal(msg_status(f->db, keep), cases[i].st_keep);
    }
    assert_int_equal(fetch(f->db, OUTBOX_PRIO_BROADCAST, 0, 64), 0);
    /* A sweep is bounded per call. */
    for (int i = 0; i < 5; i++)
        enq(f->db, OUTBOX_PRIO_NORMAL, "8613800000003", 1, NOW + 10);
    size_t n = 0;
    assert_int_equal(outbox_store_expire(f->db, NOW + 10, 3, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(outbox_store_expire(f->db, NOW + 10, 3, &n), 0);
    assert_int_equal(n, 2);
}

static void
test_dlr_correlation(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *resp_id;
        enum smpp_id_base resp_base;
        const char *dlr_id;
        enum smpp_id_base dlr_base;
        const char *bind_dlr;
        int rc;
    } cases[] = {
        {"0A1B", SMPP_ID_HEX, "2587", SMPP_ID_DEC, "smsc-a", 0},
        {"0000FF", SMPP_ID_HEX, "0255", SMPP_ID_DEC, "smsc-a", 0},
        {"00abc", SMPP_ID_TEXT, "ABC", SMPP_ID_TEXT, "smsc-a", 0},
        {"12345", SMPP_ID_DEC, "00012345", SMPP_ID_DEC, "smsc-a", 0},
        {"3039", SMPP_ID_HEX, "12345", SMPP_ID_DEC, "smsc-b", GY_ENOTFOUND}, /* other bind */
        {"777", SMPP_ID_DEC, "778", SMPP_ID_DEC, "smsc-a", GY_ENOTFOUND},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t mid = enq(f->db, OUTBOX_PRIO_NORMAL, "8613800000001", 1, 0);
        size_t n = fetch(f->db, OUTBOX_PRIO_NORMAL, 0, 64);
        assert_int_equal(n, 1);
        char a[OUTBOX_SMSC_ID_SIZE], b[OUTBOX_SMSC_ID_SIZE];
        assert_int_equal(smpp_id_normalise(cases[i].resp_id, cases[i].resp_base, a, sizeof(a)), 0);
        assert_int_equal(smpp_id_normalise(cases[i].dlr_id, cases[i].dlr_base, b, sizeof(b)), 0);
        struct outbox_mark k = mk(OUTBOX_MARK_SUBMITTED, &segs[0], a);
        assert_int_equal(outbox_store_mark(f->db, &k, 1, NOW), 0);
        int64_t sid = 0, got_mid = 0;
        int rc = outbox_store_dlr_apply(f->db, cases[i].bind_dlr, b, OUTBOX_DELIVERED, 0, NOW, &sid,
                                        &got_mid);
        if (rc != cases[i].rc)
            fail_msg("case %zu: rc %d want %d (%s vs %s)", i, rc, cases[i].rc, a, b);
        if (rc == 0) {
            assert_int_equal(got_mid, mid);
            assert_int_equal(sid, segs[0].id);
            assert_int_equal(msg_status(f->db, mid), OUTBOX_DELIVERED);
            /* A repeated report finds nothing awaiting it. */
            assert_int_equal(outbox_store_dlr_apply(f->db, cases[i].bind_dlr, b, OUTBOX_DELIVERED,
                                                    0, NOW, NULL, NULL),
                             GY_ENOTFOUND);
        } else {
            assert_int_equal(msg_status(f->db, mid), OUTBOX_SUBMITTED);
            /* Clear it so that the next case fetches only its own segment. */
            assert_int_equal(
                outbox_store_dlr_apply(f->db, "smsc-a", a, OUTBOX_FAILED, 1, NOW, NULL, NULL), 0);
        }
    }
    /* Intermediate report keeps it submitted; EXPIRED report expires the message. */
    int64_t mid = enq(f->db, OUTBOX_PRIO_NORMAL, "8613800000001", 1, 0);
    assert_int_equal(fetch(f->db, OUTBOX_PRIO_NORMAL, 0, 64), 1);
    struct outbox_mark k = mk(OUTBOX_MARK_SUBMITTED, &segs[0], "900");
    assert_int_equal(outbox_store_mark(f->db, &k, 1, NOW), 0);
    assert_int_equal(
        outbox_store_dlr_apply(f->db, "smsc-a", "900", OUTBOX_SUBMITTED, 0, NOW, NULL, NULL), 0);
    assert_int_equal(msg_status(f->db, mid), OUTBOX_SUBMITTED);
    assert_int_equal(
        outbox_store_dlr_apply(f->db, "smsc-a", "900", OUTBOX_EXPIRED, 0, NOW, NULL, NULL), 0);
    assert_int_equal(msg_status(f->db, mid), OUTBOX_EXPIRED);
    assert_int_equal(
        outbox_store_dlr_apply(f->db, "smsc-a", "", OUTBOX_DELIVERED, 0, NOW, NULL, NULL),
        GY_EINVAL);
    assert_int_equal(
        outbox_store_dlr_apply(f->db, "smsc-a", "900", OUTBOX_QUEUED, 0, NOW, NULL, NULL),
        GY_EINVAL);
}

struct sender_walk {
    int calls;
    uint64_t jmrs_queued;
};

static int
on_sender(void *arg, const char *sender, enum outbox_prio p, enum outbox_state s, uint64_t n)
{
    struct sender_walk *w = arg;
    w->calls++;
    if (strcmp(sender, "JMRS") == 0 && p == OUTBOX_PRIO_BROADCAST && s == OUTBOX_QUEUED)
        w->jmrs_queued = n;
    return 0;
}

static void
test_counts(void **state)
{
    struct fixture *f = *state;
    enq(f->db, OUTBOX_PRIO_BROADCAST, "8613800000001", 2, 0);
    enq(f->db, OUTBOX_PRIO_BROADCAST, "8613800000002", 1, 0);
    enq(f->db, OUTBOX_PRIO_REPLY, "8613800000003", 1, 0);
    assert_int_equal(fetch(f->db, OUTBOX_PRIO_REPLY, 0, 64), 1);
    struct outbox_mark k = mk(OUTBOX_MARK_SUBMITTED, &segs[0], "5");
    assert_int_equal(outbox_store_mark(f->db, &k, 1, NOW), 0);
    struct outbox_counts c;
    assert_int_equal(outbox_store_counts(f->db, &c), 0);
    assert_int_equal(c.queued_segments[OUTBOX_PRIO_BROADCAST], 3);
    assert_int_equal(c.queued_segments[OUTBOX_PRIO_REPLY], 0);
    assert_int_equal(c.awaiting_report, 1);
    assert_int_equal(c.messages[OUTBOX_PRIO_BROADCAST][OUTBOX_QUEUED], 2);
    assert_int_equal(c.messages[OUTBOX_PRIO_REPLY][OUTBOX_SUBMITTED], 1);
    struct sender_walk w = {0};
    assert_int_equal(outbox_store_count_senders(f->db, on_sender, &w), 0);
    assert_int_equal(w.calls, 2);
    assert_int_equal(w.jmrs_queued, 2);
    enum outbox_prio p;
    assert_int_equal(outbox_prio_parse("broadcast", &p), 0);
    assert_int_equal(p, OUTBOX_PRIO_BROADCAST);
    assert_int_equal(outbox_prio_parse("urgent", &p), GY_EINVAL);
}

/* Collects EXPLAIN QUERY PLAN detail lines of sql into buf. */
static void
plan_of(struct db *db, const char *sql, char *buf, size_t len)
{
    char q[2048];
    snprintf(q, sizeof(q), "EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), q, -1, &st, NULL), SQLITE_OK);
    buf[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s\n", (const char *)sqlite3_column_text(st, 3));
    }
    sqlite3_finalize(st);
}

static void
test_million_row_backlog_plan(void **state)
{
    struct fixture *f = *state;
    /* 4,000 broadcast messages of 250 parts: 1,000,000 queued broadcast segments. */
    assert_int_equal(db_begin(f->db), 0);
    assert_int_equal(
        db_exec(f->db,
                "WITH RECURSIVE m(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM m WHERE i < 4000)"
                " INSERT INTO outbox_messages (priority, sender, msisdn, n_parts, created_ms,"
                " valid_until_ms) SELECT 2, 'JMRS', '86139' || printf('%08d', i), 250, 0,"
                " 9000000000000 FROM m;"
                "WITH RECURSIVE p(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM p WHERE k < 250)"
                " INSERT INTO outbox_segments (message_id, part, priority, valid_until_ms, body)"
                " SELECT m.id, p.k, 2, 9000000000000, x'41' FROM outbox_messages AS m, p"
                " ORDER BY m.id, p.k;"),
        0);
    assert_int_equal(db_commit(f->db), 0);
    int64_t reply = enq(f->db, OUTBOX_PRIO_REPLY, "8613800000001", 1, 0);

    char plan[4096];
    static const struct {
        enum outbox_store_query q;
        const char *must;
    } plans[] = {
        {OUTBOX_SQL_FETCH, "INDEX outbox_ready (priority=? AND id>?)"},
        {OUTBOX_SQL_DLR, "INDEX outbox_dlr (bind=? AND smsc_id=?)"},
        {OUTBOX_SQL_EXPIRE, "INDEX outbox_expiry (valid_until_ms<?)"},
    };
    for (int pass = 0; pass < 2; pass++) { /* without statistics, then after ANALYZE */
        for (size_t i = 0; i < sizeof(plans) / sizeof(plans[0]); i++) {
            plan_of(f->db, outbox_store_sql(plans[i].q), plan, sizeof(plan));
            if (strstr(plan, plans[i].must) == NULL || strstr(plan, "SCAN s\n") != NULL ||
                strstr(plan, "TEMP B-TREE") != NULL)
                fail_msg("pass %d query %zu plan:\n%s", pass, i, plan);
        }
        assert_int_equal(db_exec(f->db, "ANALYZE"), 0);
    }
    /* The reply fetch itself: first in line, and the work it does (virtual machine steps,
     * a deterministic count, not a time) does not depend on the backlog. */
    sqlite3_stmt *st = db_stmt(f->db, outbox_store_sql(OUTBOX_SQL_FETCH));
    assert_non_null(st);
    db_stmt_done(st);
    sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 1);
    sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
    size_t n = fetch(f->db, OUTBOX_PRIO_REPLY, 0, 64);
    assert_int_equal(n, 1);
    assert_int_equal(segs[0].message_id, reply);
    int steps = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 0);
    assert_int_equal(sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0), 0);
    if (steps > 500)
        fail_msg("reply fetch took %d VM steps amid 1,000,000 broadcast rows", steps);
    /* A batch of the backlog is read in order, also without a full scan. */
    n = fetch(f->db, OUTBOX_PRIO_BROADCAST, 500000, 64);
    assert_int_equal(n, 64);
    assert_int_equal(segs[0].id, 500001);
    assert_int_equal(sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_enqueue_fetch_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enqueue_refuses_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enqueue_in_caller_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_midway_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_status_per_message, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crash_and_resume, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dlr_correlation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_million_row_backlog_plan, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
