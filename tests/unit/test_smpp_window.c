/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of gateway/smpp_window: capacity, lookup by sequence, wrap at 0x7FFFFFFF without
 * reusing an outstanding number, FIFO expiry, drain, and a random model check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/gy_err.h"
#include "gateway/smpp_pdu.h"
#include "gateway/smpp_window.h"

static void
test_new_bounds(void **state)
{
    (void)state;
    static const struct {
        unsigned cap;
        uint32_t first;
        int ok;
    } cases[] = {
        {0, 1, 0},
        {1, 1, 1},
        {10, 0, 1},
        {SMPP_WINDOW_MAX, 1, 1},
        {SMPP_WINDOW_MAX + 1, 1, 0},
        {10, SMPP_SEQ_MAX, 1},
        {10, SMPP_SEQ_MAX + 1u, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct smpp_window *w = smpp_window_new(cases[i].cap, 100, cases[i].first);
        assert_int_equal(w != NULL, cases[i].ok);
        smpp_window_free(w);
    }
    smpp_window_free(NULL);
}

static void
test_full_and_take(void **state)
{
    (void)state;
    struct smpp_window *w = smpp_window_new(3, 100, 0);
    uint32_t s[4];
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(smpp_window_add(w, SMPP_SUBMIT_SM, 100 + i, 5, &s[i]), 0);
    assert_int_equal(s[0], 1);
    assert_int_equal(s[1], 2);
    assert_int_equal(s[2], 3);
    assert_true(smpp_window_full(w));
    assert_int_equal(smpp_window_add(w, SMPP_SUBMIT_SM, 9, 5, &s[3]), GY_EBUSY);
    struct smpp_window_entry e;
    assert_int_equal(smpp_window_take(w, 2, &e), 0);
    assert_int_equal(e.cookie, 101);
    assert_int_equal(e.seq, 2);
    assert_int_equal(e.deadline_ms, 105);
    /* exactly once: a second response for the same number finds nothing */
    assert_int_equal(smpp_window_take(w, 2, &e), GY_ENOTFOUND);
    assert_int_equal(smpp_window_take(w, 0, &e), GY_ENOTFOUND);
    assert_int_equal(smpp_window_take(w, 0xFFFFFFFFu, &e), GY_ENOTFOUND);
    assert_int_equal(smpp_window_take(w, 2 + 8, &e), GY_ENOTFOUND); /* same slot, other seq */
    assert_int_equal(smpp_window_count(w), 2);
    assert_int_equal(smpp_window_add(w, SMPP_SUBMIT_SM, 9, 6, &s[3]), 0);
    assert_int_equal(s[3], 4);
    smpp_window_free(w);
}

static void
test_wrap(void **state)
{
    (void)state;
    struct smpp_window *w = smpp_window_new(4, 100, SMPP_SEQ_MAX - 1);
    uint32_t s;
    static const uint32_t want[] = {SMPP_SEQ_MAX - 1, SMPP_SEQ_MAX, 1, 2};
    for (unsigned i = 0; i < 4; i++) {
        assert_int_equal(smpp_window_add(w, SMPP_SUBMIT_SM, i, 0, &s), 0);
        assert_int_equal(s, want[i]);
    }
    struct smpp_window_entry e;
    assert_int_equal(smpp_window_take(w, SMPP_SEQ_MAX, &e), 0);
    assert_int_equal(e.cookie, 1);
    assert_int_equal(smpp_window_next_seq(w), 3);
    smpp_window_free(w);
}

static void
test_never_reuses_outstanding(void **state)
{
    (void)state;
    /* Capacity 2 -> table of 4 slots. Keep seq 1 outstanding while many numbers go by: the
     * numbers that share its slot (5, 9, ...) must be skipped, and 1 itself after the wrap. */
    struct smpp_window *w = smpp_window_new(2, 100, SMPP_SEQ_MAX - 6);
    uint32_t keep, s;
    assert_int_equal(smpp_window_add(w, SMPP_SUBMIT_SM, 1, 0, &keep), 0);
    for (unsigned i = 0; i < 40; i++) {
        assert_int_equal(smpp_window_add(w, SMPP_SUBMIT_SM, 2, 0, &s), 0);
        assert_int_not_equal(s, keep);
        assert_true(s >= 1 && s <= SMPP_SEQ_MAX);
        assert_int_not_equal(s & 3u, keep & 3u);
        struct smpp_window_entry e;
        assert_int_equal(smpp_window_take(w, s, &e), 0);
        assert_int_equal(e.cookie, 2);
    }
    struct smpp_window_entry e;
    assert_int_equal(smpp_window_take(w, keep, &e), 0);
    assert_int_equal(e.cookie, 1);
    smpp_window_free(w);
}

static void
test_expire_fifo(void **state)
{
    (void)state;
    struct smpp_window *w = smpp_window_new(5, 50, 0);
    uint32_t s;
    assert_int_equal(smpp_window_next_deadline(w), UINT64_MAX);
    for (unsigned i = 0; i < 5; i++)
        assert_int_equal(smpp_window_add(w, SMPP_SUBMIT_SM, i, 10 * i, &s), 0);
    assert_int_equal(smpp_window_next_deadline(w), 50);
    struct smpp_window_entry e;
    assert_int_equal(smpp_window_expire(w, 49, &e), GY_ENOTFOUND);
    assert_int_equal(smpp_window_take(w, 1, &e), 0); /* the oldest answered */
    assert_int_equal(smpp_window_next_deadline(w), 60);
    assert_int_equal(smpp_window_expire(w, 75, &e), 0);
    assert_int_equal(e.cookie, 1);
    assert_int_equal(smpp_window_expire(w, 75, &e), 0);
    assert_int_equal(e.cookie, 2);
    assert_int_equal(smpp_window_expire(w, 75, &e), GY_ENOTFOUND);
    assert_int_equal(smpp_window_drain(w, &e), 0);
    assert_int_equal(e.cookie, 3);
    assert_int_equal(smpp_window_drain(w, &e), 0);
    assert_int_equal(e.cookie, 4);
    assert_int_equal(smpp_window_drain(w, &e), GY_ENOTFOUND);
    assert_int_equal(smpp_window_count(w), 0);
    smpp_window_free(w);
}

/* Random adds, takes and expiries against a plain array model; every entry comes back
 * exactly once. */
static void
test_model(void **state)
{
    (void)state;
    enum { CAP = 16, OPS = 200000 };
    struct smpp_window *w = smpp_window_new(CAP, 30, SMPP_SEQ_MAX - 1000);
    struct {
        uint32_t seq;
        uint64_t cookie;
        uint64_t deadline;
        int live;
    } m[CAP];
    memset(m, 0, sizeof m);
    uint64_t now = 0, cookie = 0, returned = 0, added = 0;
    unsigned live = 0;
    uint64_t rng = 88172645463325252ull;
    for (unsigned op = 0; op < OPS; op++) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        unsigned r = (unsigned)(rng % 100);
        if (r < 3)
            now += rng % 20;
        if (r < 50) {
            uint32_t s;
            int rc = smpp_window_add(w, SMPP_SUBMIT_SM, ++cookie, now, &s);
            if (live == CAP) {
                assert_int_equal(rc, GY_EBUSY);
                continue;
            }
            assert_int_equal(rc, 0);
            for (unsigned i = 0; i < CAP; i++)
                if (m[i].live)
                    assert_int_not_equal(m[i].seq, s);
            for (unsigned i = 0; i < CAP; i++)
                if (!m[i].live) {
                    m[i].seq = s, m[i].cookie = cookie, m[i].deadline = now + 30, m[i].live = 1;
                    break;
                }
            live++;
            added++;
        } else if (r < 90 && live > 0) {
            unsigned k = (unsigned)(rng >> 20) % CAP;
            struct smpp_window_entry e;
            int rc = smpp_window_take(w, m[k].seq, &e);
            if (!m[k].live) {
                if (m[k].seq != 0)
                    assert_int_equal(rc, GY_ENOTFOUND);
                continue;
            }
            assert_int_equal(rc, 0);
            assert_int_equal(e.cookie, m[k].cookie);
            m[k].live = 0;
            live--;
            returned++;
        } else {
            struct smpp_window_entry e;
            while (smpp_window_expire(w, now, &e) == 0) {
                unsigned i;
                for (i = 0; i < CAP; i++)
                    if (m[i].live && m[i].seq == e.seq)
                        break;
                assert_true(i < CAP);
                assert_true(m[i].deadline <= now);
                assert_int_equal(e.cookie, m[i].cookie);
                m[i].live = 0;
                live--;
                returned++;
            }
            for (unsigned i = 0; i < CAP; i++)
                if (m[i].live)
                    assert_true(m[i].deadline > now);
        }
        assert_int_equal(smpp_window_count(w), live);
    }
    struct smpp_window_entry e;
    while (smpp_window_drain(w, &e) == 0)
        returned++;
    assert_int_equal(returned, added);
    assert_true(added > OPS / 4);
    smpp_window_free(w);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_bounds),  cmocka_unit_test(test_full_and_take),
        cmocka_unit_test(test_wrap),        cmocka_unit_test(test_never_reuses_outstanding),
        cmocka_unit_test(test_expire_fifo), cmocka_unit_test(test_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
