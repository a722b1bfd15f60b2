/* SPDX-License-Identifier: GPL-3.0-or-later */
/* text_split: turns one UTF-8 reply (with an optional signature such as 【江门人社】 counted
 * in the budget) into short_message parts for submit_sm: single 160/140/70, or concatenated
 * by UDH 8-bit (153/134/67) or 16-bit reference (152/133/66), SAR TLVs, or message_payload.
 * Never cuts an escape pair, a surrogate pair or a GBK/GB18030 character. Pure. */
#ifndef TEXT_SPLIT_H
#define TEXT_SPLIT_H

#include <stddef.h>
#include <stdint.h>

#include "locale/text_encode.h"

enum text_concat {
    TEXT_CONCAT_UDH8 = 0, /* UDH IEI 0x00, 8-bit reference: 05 00 03 RR TT SS */
    TEXT_CONCAT_UDH16,    /* UDH IEI 0x08, 16-bit reference: 06 08 04 RR RR TT SS */
    TEXT_CONCAT_SAR,      /* sar_msg_ref_num / sar_total_segments / sar_segment_seqnum TLVs */
    TEXT_CONCAT_PAYLOAD,  /* whole text in one message_payload TLV, short_message empty */
};

/* Policy past the per-bind maximum segment count (see docs/text.md). */
enum text_overflow {
    TEXT_OVERFLOW_TRUNCATE = 0, /* keep what fits in max_parts, ending with an ellipsis
                                 * ("..." in GSM, U+2026 otherwise); truncated is set */
    TEXT_OVERFLOW_REFUSE,       /* return GY_ETOOBIG, nothing is produced */
};

struct text_split_opts {
    unsigned allow;  /* TEXT_ALLOW_* (0 = TEXT_ALLOW_DEFAULT) */
    int gsm7_packed; /* GSM septets packed in short_message (else one per octet) */
    enum text_concat concat;
    unsigned max_parts; /* 1..255; 0 means 255 */
    enum text_overflow overflow;
    const char *signature; /* UTF-8 put before the text, or NULL */
    uint16_t ref;          /* concatenation reference (8-bit UDH uses the low byte) */
};

/* short_message can hold at most this many octets in any mode (unpacked GSM: 160). */
#define TEXT_SM_MAX 160

struct text_part {
    uint8_t sm[TEXT_SM_MAX]; /* short_message octets, UDH first when udhi */
    size_t sm_len;
    size_t n_units; /* text units in this part: septets (GSM) or octets */
    int udhi;       /* set esm_class bit 0x40 */
    int sar;        /* send the three SAR TLVs below */
    uint16_t sar_ref;
    uint8_t sar_total, sar_seq;
};

/* The parts of one message; owned by the struct, release with text_split_fini(). In
 * message_payload mode n_parts is 1, parts[0].sm_len is 0 and payload holds the text. */
struct text_split {
    enum text_coding coding;
    uint8_t data_coding;
    size_t n_parts;
    struct text_part *parts;
    uint8_t *payload; /* message_payload octets (TEXT_CONCAT_PAYLOAD), else NULL */
    size_t payload_len;
    size_t n_segments; /* segments the text occupies (payload: as 8-bit UDH would) */
    int truncated;     /* the overflow policy cut the text */
};

void text_split_fini(struct text_split *s);

/* Per-part text capacity (septets for GSM, octets otherwise) of coding under concat when the
 * message needs more than one part; single gives the one-part limit instead. */
size_t text_split_capacity(enum text_coding coding, enum text_concat concat, int single);

/* Encodes signature + utf8[0..len) (text_encode rules) and splits it. c may be NULL when
 * GBK is not allowed. Fills *out (zeroed first) and returns 0; GY_EENCODING with *bad filled
 * (offset counted in the signature + text string); GY_ETOOBIG when the text needs more than
 * max_parts parts under TEXT_OVERFLOW_REFUSE; GY_EINVAL; GY_ENOMEM. */
int text_split_make(struct text_codec *c, const char *utf8, size_t len,
                    const struct text_split_opts *opts, struct text_split *out,
                    struct text_unencodable *bad);

/* Splits an already encoded text under opts (allow and signature ignored). Same returns. */
int text_split_encoded(const struct text_encoded *enc, const struct text_split_opts *opts,
                       struct text_split *out);

#endif
