/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of gateway/session_table: keys of each kind kept apart, idle vs total timeouts per
 * channel, the expiry callback once per session, replacement, the cap refusal, payloads,
 * counts, and the resident memory of 100,000 USSD sessions (printed, not asserted). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/gy_err.h"
#include "gateway/session_table.h"

#define SEC 1000ull

/* Records every on_end call. */
struct ended {
    unsigned n;
    unsigned by_why[3];
    char last_msisdn[SESSION_MSISDN_SIZE];
    uint32_t payload_sum; /* sum of the first payload byte of ended sessions */
};

static void
on_end(void *arg, struct session *s, enum session_end why)
{
    struct ended *e = arg;
    e->n++;
    e->by_why[why]++;
    memcpy(e->last_msisdn, s->key.msisdn, sizeof e->last_msisdn);
    size_t len;
    const uint8_t *p = session_payload(s, &len);
    if (p != NULL && len > 0)
        e->payload_sum += p[0];
}

static struct session_key
mk(enum session_channel ch, enum session_key_kind kind, unsigned bind, unsigned id, const char *num)
{
    struct session_key k;
    assert_int_equal(session_key_set(&k, ch, kind, bind, id, num), 0);
    return k;
}

static void
test_keys(void **state)
{
    (void)state;
    struct session_limits lim;
    session_limits_default(&lim);
    struct ended e = {0};
    struct session_table *t = session_table_new(&lim, on_end, &e);
    assert_non_null(t);
    /* Every key differs from every other in one field; all must live side by side. */
    static const struct {
        enum session_channel ch;
        enum session_key_kind kind;
        unsigned bind, id;
        const char *num;
    } keys[] = {
        {SESSION_CH_USSD, SESSION_KEY_ITS, 0, 18, "8613800138000"},
        {SESSION_CH_USSD, SESSION_KEY_ITS, 0, 19, "8613800138000"},
        {SESSION_CH_USSD, SESSION_KEY_ITS, 1, 18, "8613800138000"},
        {SESSION_CH_USSD, SESSION_KEY_ITS, 0, 18, "8613800138001"},
        {SESSION_CH_USSD, SESSION_KEY_UMR, 0, 18, "8613800138000"},
        {SESSION_CH_USSD, SESSION_KEY_UMR, 0, 65535, "8613800138000"},
        {SESSION_CH_USSD, SESSION_KEY_MSISDN, 0, 0, "8613800138000"},
        {SESSION_CH_SMS, SESSION_KEY_MSISDN, 0, 0, "8613800138000"},
        {SESSION_CH_SMS, SESSION_KEY_MSISDN, 0, 0, "8613900139000"},
    };
    size_t n = sizeof keys / sizeof keys[0];
    struct session *s[16];
    for (size_t i = 0; i < n; i++) {
        struct session_key k = mk(keys[i].ch, keys[i].kind, keys[i].bind, keys[i].id, keys[i].num);
        assert_int_equal(session_open(t, &k, 1000, &s[i]), 0);
        uint8_t tag = (uint8_t)(i + 1);
        assert_int_equal(session_payload_set(t, s[i], &tag, 1), 0);
    }
    assert_int_equal(session_table_size(t), n);
    assert_int_equal(e.n, 0);
    for (size_t i = 0; i < n; i++) {
        struct session_key k = mk(keys[i].ch, keys[i].kind, keys[i].bind, keys[i].id, keys[i].num);
        struct session *f = session_find(t, &k, 2000);
        assert_ptr_equal(f, s[i]);
        size_t len;
        uint8_t *p = session_payload(f, &len);
        assert_int_equal(len, 1);
        assert_int_equal(p[0], i + 1);
    }
    /* '+' is dropped; MSISDN keys ignore the id. */
    struct session_key a = mk(SESSION_CH_SMS, SESSION_KEY_MSISDN, 0, 77, "+8613800138000");
    assert_ptr_equal(session_find(t, &a, 2000), s[7]);
    char buf[96];
    session_key_describe(&s[0]->key, buf, sizeof buf);
    assert_string_equal(buf, "ussd/0/its:18/86138****8000");
    assert_null(strstr(buf, "8613800138000"));
    /* Bad keys. */
    struct session_key bad;
    static const char *const bad_nums[] = {"", "+", "123456789012345678901"};
    for (size_t i = 0; i < sizeof bad_nums / sizeof bad_nums[0]; i++)
        assert_int_equal(
            session_key_set(&bad, SESSION_CH_SMS, SESSION_KEY_MSISDN, 0, 0, bad_nums[i]),
            GY_EINVAL);
    assert_int_equal(session_key_set(&bad, SESSION_CH_COUNT, SESSION_KEY_MSISDN, 0, 0, "1"),
                     GY_EINVAL);
    assert_int_equal(session_key_set(&bad, SESSION_CH_SMS, SESSION_KEY_MSISDN, 70000, 0, "1"),
                     GY_EINVAL);
    assert_int_equal(session_key_set(NULL, SESSION_CH_SMS, SESSION_KEY_MSISDN, 0, 0, "1"),
                     GY_EINVAL);
    struct session *out = (struct session *)1;
    assert_int_equal(session_open(t, NULL, 0, &out), GY_EINVAL);
    assert_null(out);
    session_table_free(t);
}

static void
test_timeouts(void **state)
{
    (void)state;
    struct session_limits lim;
    session_limits_default(&lim); /* USSD 60 s idle, 180 s total; SMS 600 s idle */
    /* Each case: channel, touches every `step` seconds, then the time of expiry and why. */
    static const struct {
        enum session_channel ch;
        unsigned step_s;      /* 0: never touched */
        uint64_t touch_until; /* last second a touch may happen */
        uint64_t alive_s, dead_s;
        enum session_end why;
    } cases[] = {
        {SESSION_CH_USSD, 0, 0, 59, 60, SESSION_END_IDLE},
        {SESSION_CH_USSD, 30, 1000, 179, 180, SESSION_END_TOTAL}, /* busy, but the cap */
        {SESSION_CH_USSD, 59, 1000, 179, 180, SESSION_END_TOTAL},
        {SESSION_CH_USSD, 50, 100, 159, 160, SESSION_END_IDLE}, /* idle after 100 s */
        {SESSION_CH_SMS, 0, 0, 599, 600, SESSION_END_IDLE},
        {SESSION_CH_SMS, 500, 1000, 1599, 1600, SESSION_END_IDLE}, /* no total cap on SMS */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ended e = {0};
        struct session_table *t = session_table_new(&lim, on_end, &e);
        assert_non_null(t);
        struct session_key k = mk(cases[i].ch, SESSION_KEY_MSISDN, 0, 0, "8613800138000");
        struct session *s;
        uint64_t t0 = 5000 * SEC;
        assert_int_equal(session_open(t, &k, t0, &s), 0);
        uint64_t now = t0;
        /* walk second by second to dead_s, touching on every step while alive */
        for (uint64_t sec = 1; sec <= cases[i].dead_s; sec++) {
            now = t0 + sec * SEC;
            session_table_expire(t, now);
            struct session *f = session_find(t, &k, now);
            if (sec <= cases[i].alive_s) {
                assert_non_null(f);
                if (cases[i].step_s != 0 && sec % cases[i].step_s == 0 &&
                    sec <= cases[i].touch_until)
                    session_touch(t, f, now);
            } else if (f != NULL) {
                fail_msg("case %zu: alive at %llu s", i, (unsigned long long)sec);
            }
        }
        assert_int_equal(e.n, 1);
        assert_int_equal(e.by_why[cases[i].why], 1);
        struct session_counts c;
        session_table_counts(t, &c);
        assert_int_equal(c.open[cases[i].ch], 0);
        assert_int_equal(c.expired_idle[cases[i].ch] + c.expired_total[cases[i].ch], 1);
        assert_int_equal(session_table_next_due(t), UINT64_MAX);
        session_table_free(t);
    }
}

static void
test_find_expires(void **state)
{
    (void)state;
    struct session_limits lim;
    session_limits_default(&lim);
    struct ended e = {0};
    struct session_table *t = session_table_new(&lim, on_end, &e);
    struct session_key k = mk(SESSION_CH_USSD, SESSION_KEY_ITS, 0, 5, "8613800138000");
    struct session *s;
    assert_int_equal(session_open(t, &k, 0, &s), 0);
    assert_int_equal(session_table_next_due(t), 60 * SEC);
    assert_int_equal(session_due_ms(t, s), 60 * SEC);
    /* No expire() call: find at the due time expires it by itself, once. */
    assert_null(session_find(t, &k, 60 * SEC));
    assert_int_equal(e.n, 1);
    assert_int_equal(session_table_expire(t, 1000 * SEC), 0);
    assert_int_equal(e.n, 1);
    session_table_free(t);
}

static void
test_callback_once_each(void **state)
{
    (void)state;
    struct session_limits lim;
    session_limits_default(&lim);
    struct ended e = {0};
    struct session_table *t = session_table_new(&lim, on_end, &e);
    char num[24];
    unsigned n = 5000;
    for (unsigned i = 0; i < n; i++) {
        snprintf(num, sizeof num, "86138%08u", i);
        struct session_key k =
            mk(i % 2 ? SESSION_CH_SMS : SESSION_CH_USSD, SESSION_KEY_MSISDN, 0, 0, num);
        struct session *s;
        assert_int_equal(session_open(t, &k, (uint64_t)i, &s), 0); /* opened 1 ms apart */
        uint8_t one = 1;
        assert_int_equal(session_payload_set(t, s, &one, 1), 0);
    }
    /* Expire in small steps: every session must come back exactly once. */
    size_t total = 0;
    for (uint64_t now = 0; now <= 700 * SEC; now += 7 * SEC)
        total += session_table_expire(t, now);
    assert_int_equal(total, n);
    assert_int_equal(e.n, n);
    assert_int_equal(e.payload_sum, n);
    assert_int_equal(session_table_size(t), 0);
    struct session_counts c;
    session_table_counts(t, &c);
    assert_int_equal(c.payload_bytes, 0);
    assert_int_equal(c.created[SESSION_CH_USSD], n / 2);
    assert_int_equal(c.created[SESSION_CH_SMS], n / 2);
    session_table_free(t);
}

static void
test_replace_close(void **state)
{
    (void)state;
    struct session_limits lim;
    session_limits_default(&lim);
    struct ended e = {0};
    struct session_table *t = session_table_new(&lim, on_end, &e);
    struct session_key k = mk(SESSION_CH_USSD, SESSION_KEY_MSISDN, 3, 0, "8613800138000");
    struct session *s1, *s2;
    assert_int_equal(session_open(t, &k, 0, &s1), 0);
    uint8_t *p = session_payload_resize(t, s1, 100);
    assert_non_null(p);
    for (int i = 0; i < 100; i++)
        assert_int_equal(p[i], 0);
    p[0] = 9;
    assert_int_equal(session_open(t, &k, 10, &s2), 0); /* redial: replaces */
    assert_int_equal(e.n, 1);
    assert_int_equal(e.by_why[SESSION_END_REPLACED], 1);
    assert_int_equal(e.payload_sum, 9);
    assert_ptr_equal(session_find(t, &k, 20), s2);
    size_t len = 99;
    assert_null(session_payload(s2, &len));
    assert_int_equal(len, 0);
    assert_int_equal(s2->created_ms, 10);
    session_close(t, s2); /* the caller's decision: no callback */
    assert_int_equal(e.n, 1);
    assert_null(session_find(t, &k, 20));
    struct session_counts c;
    session_table_counts(t, &c);
    assert_int_equal(c.closed[SESSION_CH_USSD], 1);
    assert_int_equal(c.replaced[SESSION_CH_USSD], 1);
    assert_int_equal(c.open[SESSION_CH_USSD], 0);
    session_table_free(t);
}

static void
test_cap(void **state)
{
    (void)state;
    struct session_limits lim;
    session_limits_default(&lim);
    lim.max_sessions = 3;
    struct ended e = {0};
    struct session_table *t = session_table_new(&lim, on_end, &e);
    static const char *const nums[] = {"861", "862", "863", "864", "865"};
    struct session *s;
    for (int i = 0; i < 3; i++) {
        struct session_key k = mk(SESSION_CH_USSD, SESSION_KEY_MSISDN, 0, 0, nums[i]);
        assert_int_equal(session_open(t, &k, (uint64_t)i * SEC, &s), 0);
    }
    struct session_key k4 = mk(SESSION_CH_USSD, SESSION_KEY_MSISDN, 0, 0, nums[3]);
    assert_int_equal(session_open(t, &k4, 10 * SEC, &s), GY_EBUSY);
    assert_null(s);
    struct session_key k5 = mk(SESSION_CH_SMS, SESSION_KEY_MSISDN, 0, 0, nums[4]);
    assert_int_equal(session_open(t, &k5, 10 * SEC, &s), GY_EBUSY);
    /* Replacing an open key is no new session: allowed when full. */
    struct session_key k1 = mk(SESSION_CH_USSD, SESSION_KEY_MSISDN, 0, 0, nums[0]);
    assert_int_equal(session_open(t, &k1, 11 * SEC, &s), 0);
    /* Once the first two are due (idle 60 s), a new one gets in without expire(). */
    assert_int_equal(session_open(t, &k4, 62 * SEC, &s), 0);
    assert_int_equal(e.by_why[SESSION_END_IDLE], 2);
    struct session_counts c;
    session_table_counts(t, &c);
    assert_int_equal(c.refused[SESSION_CH_USSD], 1);
    assert_int_equal(c.refused[SESSION_CH_SMS], 1);
    assert_int_equal(c.open[SESSION_CH_USSD], 2);
    session_table_free(t);
    lim.max_sessions = 0;
    assert_null(session_table_new(&lim, NULL, NULL));
}

/* Random operations on 48 keys against a plain model (arrays, linear scans): every find, every
 * expiry callback and every count must agree. Fixed seed; the run is repeatable. */
struct model {
    bool open[48];
    uint64_t created[48], last[48];
    unsigned ended;
};

static void
model_expire(struct model *m, const struct session_limits *lim, const struct session_key *keys,
             size_t i, uint64_t now)
{
    unsigned ch = keys[i].channel;
    if (!m->open[i])
        return;
    bool total = lim->total_ms[ch] != 0 && now - m->created[i] >= lim->total_ms[ch];
    bool idle = lim->idle_ms[ch] != 0 && now - m->last[i] >= lim->idle_ms[ch];
    if (total || idle) {
        m->open[i] = false;
        m->ended++;
    }
}

static void
test_against_model(void **state)
{
    (void)state;
    struct session_limits lim;
    session_limits_default(&lim);
    lim.idle_ms[SESSION_CH_USSD] = 60;
    lim.total_ms[SESSION_CH_USSD] = 150;
    lim.idle_ms[SESSION_CH_SMS] = 200;
    lim.max_sessions = 30;
    struct ended e = {0};
    struct session_table *t = session_table_new(&lim, on_end, &e);
    struct session_key keys[48];
    char num[24];
    for (size_t i = 0; i < 48; i++) {
        /* SMS keys: one number each; USSD keys: 12 numbers, several ids each */
        snprintf(num, sizeof num, "8613%u", (unsigned)(i % 3 == 0 ? 100 + i : i % 12));
        keys[i] = mk(i % 3 == 0 ? SESSION_CH_SMS : SESSION_CH_USSD,
                     i % 3 == 0 ? SESSION_KEY_MSISDN : (enum session_key_kind)(1 + i % 2), 0,
                     (unsigned)(i / 12), num);
    }
    struct model m = {0};
    unsigned seed = 12345, refused = 0, replaced = 0;
    uint64_t now = 1000;
    for (unsigned step = 0; step < 200000; step++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = seed >> 8;
        size_t i = r % 48;
        /* alternate crowded phases (a ms every 8 steps: the cap) and quiet ones (timeouts) */
        now += (step / 10000) % 2 ? (r >> 6) % 4 : ((r >> 6) % 8) == 0;
        switch ((r >> 12) % 5) {
        case 0: { /* open */
            struct session *s;
            size_t open_n = 0;
            for (size_t j = 0; j < 48; j++)
                open_n += m.open[j];
            if (m.open[i]) {
                m.open[i] = false;
                m.ended++;
                replaced++;
                open_n--;
            }
            if (open_n >= lim.max_sessions) {
                for (size_t j = 0; j < 48; j++)
                    model_expire(&m, &lim, keys, j, now);
                open_n = 0;
                for (size_t j = 0; j < 48; j++)
                    open_n += m.open[j];
            }
            int rc = session_open(t, &keys[i], now, &s);
            if (open_n >= lim.max_sessions) {
                assert_int_equal(rc, GY_EBUSY);
                refused++;
            } else {
                assert_int_equal(rc, 0);
                m.open[i] = true;
                m.created[i] = m.last[i] = now;
            }
            break;
        }
        case 1:
        case 2: { /* find, and touch when found */
            model_expire(&m, &lim, keys, i, now);
            struct session *s = session_find(t, &keys[i], now);
            assert_int_equal(s != NULL, m.open[i]);
            if (s != NULL) {
                session_touch(t, s, now);
                m.last[i] = now;
            }
            break;
        }
        case 3: { /* close */
            model_expire(&m, &lim, keys, i, now);
            struct session *s = session_find(t, &keys[i], now);
            assert_int_equal(s != NULL, m.open[i]);
            if (s != NULL) {
                session_close(t, s);
                m.open[i] = false;
            }
            break;
        }
        default: /* expire everything due */
            session_table_expire(t, now);
            for (size_t j = 0; j < 48; j++)
                model_expire(&m, &lim, keys, j, now);
            break;
        }
        assert_int_equal(e.n, m.ended);
        size_t open_n = 0;
        for (size_t j = 0; j < 48; j++)
            open_n += m.open[j];
        assert_int_equal(session_table_size(t), open_n);
    }
    struct session_counts c;
    session_table_counts(t, &c);
    assert_int_equal(c.refused[0] + c.refused[1], refused);
    assert_int_equal(c.replaced[0] + c.replaced[1], replaced);
    printf("model: refused %u replaced %u total %u idle %u\n", refused, replaced,
           e.by_why[SESSION_END_TOTAL], e.by_why[SESSION_END_IDLE]);
    assert_true(refused > 0 && replaced > 0 && e.by_why[SESSION_END_TOTAL] > 0 &&
                e.by_why[SESSION_END_IDLE] > 0);
    session_table_free(t);
}

/* Resident set size in kB from /proc/self/status, or -1. */
static long
rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL)
        return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "VmRSS: %ld", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

/* Opens n USSD sessions with payloads of size octets (every page written) and prints the
 * growth of the resident set. Returns 0 when every open succeeded. */
static int
measure(unsigned n, size_t size)
{
    struct session_limits lim;
    session_limits_default(&lim);
    long before = rss_kb();
    struct session_table *t = session_table_new(&lim, NULL, NULL);
    if (t == NULL)
        return 1;
    char num[24];
    int rc = 0;
    for (unsigned i = 0; i < n && rc == 0; i++) {
        snprintf(num, sizeof num, "86138%08u", i);
        struct session_key k;
        struct session *s;
        uint8_t *p;
        if (session_key_set(&k, SESSION_CH_USSD, SESSION_KEY_ITS, i % 4, i & 0xff, num) != 0 ||
            session_open(t, &k, i, &s) != 0 || (p = session_payload_resize(t, s, size)) == NULL)
            rc = 1;
        else
            memset(p, (int)(i & 0xff) | 1, size);
    }
    long after = rss_kb();
    struct session_counts c;
    session_table_counts(t, &c);
    if (c.open[SESSION_CH_USSD] != n)
        rc = 1;
    printf("session_table: %u USSD sessions with %zu-octet payloads: RSS +%ld kB (%.1f MiB, "
           "%.0f octets a session), %zu buckets\n",
           n, size, after - before, (double)(after - before) / 1024.0,
           (double)(after - before) * 1024.0 / n, c.buckets);
    fflush(stdout);
    session_table_free(t);
    return rc;
}

static void
test_memory_100k(void **state)
{
    (void)state;
    /* 1,024 octets: a compacted menu state; 1,800: about sizeof(struct menu_state); 2,048.
     * Each in its own child process so that no run reuses another's freed memory. */
    static const size_t payloads[] = {1024, 1800, 2048};
    for (size_t i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
        fflush(stdout);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            _exit(measure(100000, payloads[i]));
        int st = 0;
        assert_int_equal(waitpid(pid, &st, 0), pid);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),          cmocka_unit_test(test_timeouts),
        cmocka_unit_test(test_find_expires),  cmocka_unit_test(test_callback_once_each),
        cmocka_unit_test(test_replace_close), cmocka_unit_test(test_cap),
        cmocka_unit_test(test_against_model), cmocka_unit_test(test_memory_100k),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
