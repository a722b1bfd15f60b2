/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_smsc_sim_fake: what test_smsc_sim_core and test_smsc_sim_traffic share, defined once in
 * test_smsc_sim_fake.c: a recording fake of struct sim_ops (sent PDUs decoded, closes, printed
 * lines, a fixed wall clock) and a fixture of one core with one session, with helpers that feed
 * PDUs to it. The functions fail the running cmocka test on a broken expectation. */
#ifndef TEST_SMSC_SIM_FAKE_H
#define TEST_SMSC_SIM_FAKE_H

#include <stddef.h>
#include <stdint.h>

#include "gateway/smpp_pdu.h"
#include "tools/smsc_sim_core.h"

/* How many sent PDUs a fixture keeps. */
#define MAX_SENT 64

/* One PDU the core sent, decoded. */
struct sent {
    struct sim_session *s;
    int rc; /* decode result */
    size_t len;
    uint8_t raw[32]; /* first octets (garbage checks) */
    struct smpp_pdu pdu;
};

/* What the core did through its I/O. */
struct fake {
    struct sent sent[MAX_SENT];
    size_t n_sent;
    struct sim_session *closed[8];
    size_t n_closed;
    size_t n_lines;
    char last_line[4096];
    int fail_send;
};

/* One core with the fake as its I/O and one session. */
struct fixture {
    struct fake f;
    struct sim_core *c;
    struct sim_session *s;
};

/* Returns a new fixture owned by the caller (free with fixture_free): a core on cfg (defaults
 * for NULL) whose I/O is the fake, with one open session x->s. */
struct fixture *fixture_new(const struct sim_config *cfg);
/* Frees x->s (may be NULL), the core and x. */
void fixture_free(struct fixture *x);

/* Encodes pdu and feeds it to session s; returns sim_session_input()'s result. */
int feed(struct fixture *x, struct sim_session *s, const struct smpp_pdu *pdu, uint64_t now);
/* Feeds a bind (cmd, sequence 1) with these credentials to s. */
void bind_as(struct fixture *x, struct sim_session *s, uint32_t cmd, const char *sysid,
             const char *pw);
/* Feeds a submit_sm from 10658888 to 8613800138000 to x->s. */
void submit(struct fixture *x, uint32_t seq, uint8_t rd, const char *text, uint64_t now);
/* The last PDU the core sent (fails the test when none); points into x->f.sent. */
const struct sent *last(const struct fixture *x);

#endif
