/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_smpp_codec_cases: what test_smpp_codec and test_smpp_codec_diff share, each defined
 * once in test_smpp_codec_cases.c: the hex reader, the golden PDUs of tests/data/smpp (written
 * by node-smpp, tests/peer/golden.js) with the structs they must decode to, and the table of
 * malformed and odd PDUs. The functions fail the running cmocka test on bad test data. */
#ifndef TEST_SMPP_CODEC_CASES_H
#define TEST_SMPP_CODEC_CASES_H

#include <stddef.h>
#include <stdint.h>

#include "gateway/smpp_codec.h"

/* Largest golden PDU, in octets, and the buffer size the tests read them into. */
#define CASES_HEX_MAX 4096

/* Parses hex digits of text into out[cap], skipping blanks and '#' comment lines; fails the
 * test on an odd digit count or overflow. Returns the octet count. */
size_t cases_hex_parse(const char *text, uint8_t *out, size_t cap);

/* Reads $GONGYOU_SOURCE_DIR/tests/data/smpp/NAME.hex into out[cap]; fails the test when the
 * file is missing or holds fewer than 16 octets. Returns the octet count. Not reentrant (one
 * static text buffer). */
size_t cases_golden_load(const char *name, uint8_t *out, size_t cap);

/* A golden file and the builder of the struct it decodes to (the values golden.js gives
 * node-smpp); build() fills the caller's *p completely. */
struct cases_golden {
    const char *name;
    void (*build)(struct smpp_pdu *p);
};
extern const struct cases_golden cases_goldens[];
extern const size_t cases_golden_count;

/* The builders of cases_goldens[] that the tests also call by name. */
void cases_x_bind_transceiver(struct smpp_pdu *p);
void cases_x_enquire_link(struct smpp_pdu *p);
void cases_x_generic_nack(struct smpp_pdu *p);
void cases_x_submit_sm_payload(struct smpp_pdu *p);
void cases_x_submit_sm_ussd(struct smpp_pdu *p);
void cases_x_submit_sm_sar(struct smpp_pdu *p);
void cases_x_submit_sm_resp_throttled(struct smpp_pdu *p);
void cases_x_deliver_sm_mo(struct smpp_pdu *p);
void cases_x_deliver_sm_dlr(struct smpp_pdu *p);
void cases_x_deliver_sm_resp(struct smpp_pdu *p);

/* The short_message of the deliver_sm_dlr golden (a delivery receipt text). */
extern const char cases_dlr_text[];

/* A minimal, valid submit_sm/deliver_sm mandatory part (19 octets, sm_length 0). */
#define CASES_MIN_SM                                                                               \
    "00"                                                                                           \
    "0101"                                                                                         \
    "3100"                                                                                         \
    "0101"                                                                                         \
    "3200"                                                                                         \
    "000000"                                                                                       \
    "00"                                                                                           \
    "00"                                                                                           \
    "00000000"                                                                                     \
    "00"

/* A malformed or odd PDU and what smpp_pdu_decode() must make of it. */
struct cases_bad {
    const char *name;
    uint32_t command_id;
    uint32_t status;
    const char *body; /* hex; the header is built with the right command_length... */
    int cl_delta;     /* ...plus this (the PDU itself is not lengthened) */
    int rc;           /* expected return */
    unsigned skipped; /* expected tlv_skipped when rc == 0 */
};
/* test_smpp_codec reads entries 25, 26 and 29 by index: append new cases at the end. */
extern const struct cases_bad cases_bad[];
extern const size_t cases_bad_count;

/* Writes the PDU of c (header with sequence_number 77, then the body) into buf[cap]; returns
 * its length in octets. */
size_t cases_build_pdu(const struct cases_bad *c, uint8_t *buf, size_t cap);

#endif
