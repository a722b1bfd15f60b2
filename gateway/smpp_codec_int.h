/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smpp_codec_int: what the parts of the codec share: smpp_codec_walk.c (bytes: names, framing,
 * the bounded walk of every PDU, which reads submit_sm/deliver_sm into struct smpp_sm and builds
 * the normalised scratch PDU), smpp_codec.c (the libsmpp34 side) and smpp_codec_sm.c (the fast
 * path of submit_sm/deliver_sm, no library call). Internal to the
 * codec and its tests; includes no libsmpp34 header. */
#ifndef SMPP_CODEC_INT_H
#define SMPP_CODEC_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gateway/smpp_codec.h"

/* Room for the largest normalised PDU (about 1.5 KiB) plus the spare octet smpp34_pack()
 * insists on. */
#define CODEC_SCRATCH_SIZE 2048u

/* ---- errors ---------------------------------------------------------------------------- */

/* Writes the formatted reason into err[errlen] when err is not NULL; returns code. */
__attribute__((format(printf, 4, 5))) int codec_fail(char *err, size_t errlen, int code,
                                                     const char *fmt, ...);

/* ---- typed TLVs ------------------------------------------------------------------------ */

enum codec_tlv_kind { CODEC_K_U8, CODEC_K_U16, CODEC_K_OCTETS };

struct codec_tlv_spec {
    uint16_t tag;
    uint32_t bit; /* enum smpp_tlv_bit; 0 for sc_interface_version */
    uint16_t min_len, max_len;
    enum codec_tlv_kind kind; /* how libsmpp34 stores it in submit_sm and deliver_sm */
};

/* The typed TLVs of submit_sm and deliver_sm, in ascending tag order (the wire order of
 * encode). Defined in smpp_codec_walk.c. */
#define CODEC_SM_TLV_COUNT 10u
extern const struct codec_tlv_spec codec_sm_tlvs[CODEC_SM_TLV_COUNT];

/* ---- octets and command classes -------------------------------------------------------- */

static inline uint32_t
codec_rd32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void
codec_wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* The 16-octet header: command_length, command_id, command_status, sequence_number. */
static inline void
codec_wr_header(uint8_t *p, uint32_t length, uint32_t id, uint32_t status, uint32_t seq)
{
    codec_wr32(p, length);
    codec_wr32(p + 4, id);
    codec_wr32(p + 8, status);
    codec_wr32(p + 12, seq);
}

/* TON and NPI values of SMPP 3.4 (libsmpp34 refuses others). */
bool codec_ton_ok(uint8_t v);
bool codec_npi_ok(uint8_t v);
/* 0, or GY_EINVAL with "cmd: which_ton N not a TON of SMPP 3.4" (or _npi) in err, before
 * an encode: both encoders refuse what libsmpp34 refuses, with the same words. */
int codec_check_addr(uint8_t ton, uint8_t npi, const char *cmd, const char *which, char *err,
                     size_t errlen);
/* The checks both encoders make of a submit_sm/deliver_sm before writing it, in the
 * library path's order: TON/NPI, sm_length, short_message xor message_payload, no
 * schedule or validity in a deliver_sm. 0 or the GY_E* code with the reason in err. */
int codec_sm_check(const struct smpp_sm *o, bool deliver, const char *cmd, char *err,
                   size_t errlen);

static inline bool
codec_is_bind(uint32_t id)
{
    return id == SMPP_BIND_RECEIVER || id == SMPP_BIND_TRANSMITTER || id == SMPP_BIND_TRANSCEIVER;
}

static inline bool
codec_is_bind_resp(uint32_t id)
{
    return id == SMPP_BIND_RECEIVER_RESP || id == SMPP_BIND_TRANSMITTER_RESP ||
           id == SMPP_BIND_TRANSCEIVER_RESP;
}

static inline bool
codec_is_sm(uint32_t id)
{
    return id == SMPP_SUBMIT_SM || id == SMPP_DELIVER_SM;
}

/* A command_id the codec decodes and encodes. */
bool codec_is_handled(uint32_t id);

/* ---- the walk -------------------------------------------------------------------------- */

/* What the walk learnt about the mandatory part. */
struct codec_walked {
    size_t mand_len; /* octets of mandatory fields; TLVs follow */
    struct {
        size_t off;
        uint8_t val;
    } fix[4]; /* octets to replace in the scratch copy (values libsmpp34 refuses) */
    int nfix;
    uint8_t orig[5]; /* the real ton/npi/interface_version octets, in walk order */
    int norig;
    const char *dsr_message_id; /* deliver_sm_resp message_id, inside the input */
};

/* Scratch copy handed to libsmpp34: normalised header, mandatory part, typed TLVs once. */
struct codec_scratch {
    uint8_t b[CODEC_SCRATCH_SIZE];
    size_t len;
};

/* The one decode of the bytes of every PDU. Checks the header of buf[len] (len >= 16,
 * command_length == len and in bounds, command_id handled) and fills out->hdr (also when the
 * command_id is not handled), then walks the body with bounds and counts skipped TLVs in
 * out->tlv_skipped. submit_sm and deliver_sm are read on the way into out->body.sm (mandatory
 * fields, the first occurrence of each typed TLV); on any error out->body is zeroed again.
 * Other bodies are only checked. When s is not NULL it also builds in *s the normalised PDU
 * libsmpp34 may unpack safely: header with status 0 and sequence number 1, the mandatory part
 * with refused TON/NPI/version octets neutralised (the real ones in wd->orig), each typed TLV
 * once, command_length set; the fast path passes NULL and builds nothing. out must be zeroed
 * by the caller; *wd and *s are overwritten. Returns 0 or the GY_E* code smpp_pdu_decode()
 * documents, with the reason in err[errlen]. wd->dsr_message_id points into buf. */
int codec_walk_pdu(const uint8_t *buf, size_t len, struct smpp_pdu *out, struct codec_walked *wd,
                   struct codec_scratch *s, char *err, size_t errlen);

/* ---- the two paths of submit_sm and deliver_sm ------------------------------------------ */

/* libsmpp34 formats a text dump of every field into its global smpp34_strerror on every
 * smpp34_pack()/smpp34_unpack() call (about 6.7 us each, 10 % of the daemon's CPU at 10,000
 * keyword round trips/s), so the two hot request PDUs are read and written by hand. The
 * library path stays as the reference the tests and the fuzz target compare against.
 *
 * All four functions have the full contract of smpp_pdu_decode()/smpp_pdu_encode() (any PDU,
 * same arguments, same ownership: nothing retained, *out owns copies, buf stays the caller's).
 * They differ only for command_id submit_sm and deliver_sm: decode _l34 hands the walk's
 * scratch copy of those to libsmpp34 and keeps what it unpacks, decode _fast keeps what the
 * walk read from the input (codec_walk_pdu without a scratch); encode _fast writes the bytes in
 * one pass. For every other command_id _fast calls _l34 (binds, unbind, enquire_link, outbind,
 * generic_nack through libsmpp34; submit_sm_resp and deliver_sm_resp are written and read by
 * hand in both). The two must give
 * the same return code for every input, the same *out (whole struct, padding zeroed: *out is
 * memset first) for every decode, the same octets for every encode; error texts may differ.
 * smpp_pdu_decode() and smpp_pdu_encode() are the _fast ones. Defined in smpp_codec.c (_l34)
 * and smpp_codec_sm.c (_fast). */
int codec_sm_decode_l34(const uint8_t *buf, size_t len, struct smpp_pdu *out, char *err,
                        size_t errlen);
int codec_sm_decode_fast(const uint8_t *buf, size_t len, struct smpp_pdu *out, char *err,
                         size_t errlen);
int codec_sm_encode_l34(const struct smpp_pdu *pdu, uint8_t *buf, size_t cap, size_t *out_len,
                        char *err, size_t errlen);
int codec_sm_encode_fast(const struct smpp_pdu *pdu, uint8_t *buf, size_t cap, size_t *out_len,
                         char *err, size_t errlen);

#endif
