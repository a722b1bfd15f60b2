/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The recording fake of smsc-sim's I/O and the fixture around one core and session, shared by
 * test_smsc_sim_core and test_smsc_sim_traffic (test_smsc_sim_fake.h): every PDU the core sends
 * is decoded and kept, closes and printed lines are counted. It holds no test of its own. */
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
#include "test_smsc_sim_fake.h"

/* ---- the recording fake ------------------------------------------------------------------ */

static int
fake_send(void *ctx, struct sim_session *s, const uint8_t *buf, size_t len)
{
    struct fake *f = ctx;
    if (f->fail_send)
        return GY_EIO;
    assert_true(f->n_sent < MAX_SENT);
    struct sent *e = &f->sent[f->n_sent++];
    e->s = s;
    e->len = len;
    memcpy(e->raw, buf, len < sizeof(e->raw) ? len : sizeof(e->raw));
    e->rc = smpp_pdu_decode(buf, len, &e->pdu, NULL, 0);
    return 0;
}

static void
fake_close(void *ctx, struct sim_session *s, const char *reason)
{
    struct fake *f = ctx;
    assert_non_null(reason);
    for (size_t i = 0; i < f->n_closed; i++)
        assert_ptr_not_equal(f->closed[i], s); /* at most once per session */
    assert_true(f->n_closed < 8);
    f->closed[f->n_closed++] = s;
}

static void
fake_print(void *ctx, const char *line)
{
    struct fake *f = ctx;
    f->n_lines++;
    snprintf(f->last_line, sizeof(f->last_line), "%s", line);
}

static time_t
fake_wall(void *ctx)
{
    (void)ctx;
    return 1795867200; /* 2026-11-28 12:00:00 UTC */
}

static const struct sim_ops fake_ops = {fake_send, fake_close, fake_print, fake_wall};

struct fixture *
fixture_new(const struct sim_config *cfg)
{
    struct fixture *x = calloc(1, sizeof(*x));
    assert_non_null(x);
    struct sim_config def;
    sim_config_defaults(&def);
    x->c = sim_core_new(cfg ? cfg : &def, &fake_ops, &x->f);
    assert_non_null(x->c);
    x->s = sim_session_new(x->c, NULL, "test:1");
    assert_non_null(x->s);
    return x;
}

void
fixture_free(struct fixture *x)
{
    sim_session_free(x->c, x->s);
    sim_core_free(x->c);
    free(x);
}

/* Encodes pdu and feeds it to session s; returns sim_session_input()'s result. */
int
feed(struct fixture *x, struct sim_session *s, const struct smpp_pdu *pdu, uint64_t now)
{
    uint8_t buf[SMPP_ENCODE_MAX];
    size_t len = 0, used = 0;
    assert_int_equal(smpp_pdu_encode(pdu, buf, sizeof(buf), &len, NULL, 0), 0);
    int rc = sim_session_input(x->c, s, buf, len, now, &used);
    assert_int_equal(used, len);
    return rc;
}

void
bind_as(struct fixture *x, struct sim_session *s, uint32_t cmd, const char *sysid, const char *pw)
{
    struct smpp_pdu b;
    smpp_pdu_init(&b, cmd, 1);
    snprintf(b.body.bind.system_id, sizeof(b.body.bind.system_id), "%s", sysid);
    snprintf(b.body.bind.password, sizeof(b.body.bind.password), "%s", pw);
    feed(x, s, &b, 0);
}

void
submit(struct fixture *x, uint32_t seq, uint8_t rd, const char *text, uint64_t now)
{
    struct smpp_pdu p;
    smpp_pdu_init(&p, SMPP_SUBMIT_SM, seq);
    strcpy(p.body.sm.source_addr, "10658888");
    p.body.sm.dest_addr_ton = 1;
    p.body.sm.dest_addr_npi = 1;
    strcpy(p.body.sm.destination_addr, "8613800138000");
    p.body.sm.registered_delivery = rd;
    smpp_sm_set_message(&p.body.sm, (const uint8_t *)text, strlen(text));
    feed(x, x->s, &p, now);
}

const struct sent *
last(const struct fixture *x)
{
    assert_true(x->f.n_sent > 0);
    return &x->f.sent[x->f.n_sent - 1];
}
