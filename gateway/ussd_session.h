/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ussd_session: the USSD dialect of one bind applied to PDUs. Classifies an incoming
 * deliver_sm (start / continue / end / not USSD) by the bind's op codes and the end bit of
 * its_session_info, derives its session key, finds the dialled code, and fills the USSD
 * fields of the reply submit_sm (op code, echoed TLVs, service_type, data_coding, no
 * delivery report). Pure: no I/O, no logging (ussd_in_describe() renders the raw values). */
#ifndef USSD_SESSION_H
#define USSD_SESSION_H

#include "gateway/gy_config.h"
#include "gateway/session_table.h"
#include "gateway/smpp_pdu.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ussd_kind {
    USSD_NOT = 0,  /* no ussd_service_op, a delivery report, or USSD disabled on the bind: SMS */
    USSD_START,    /* op_start: a new session; code holds the dialled code */
    USSD_CONTINUE, /* op_continue_in: the worker's answer; text holds it */
    USSD_END,      /* an op of op_end_in, or the end bit (when end_bit): end, no reply */
    USSD_UNKNOWN,  /* a ussd_service_op the bind does not list: log and ignore */
};
const char *ussd_kind_name(enum ussd_kind kind); /* "not-ussd", "start", ... */

#define USSD_CODE_SIZE 24 /* "*188*1#": at most 23 characters */

/* An incoming deliver_sm as the USSD layer sees it. Pointers point into the PDU given to
 * ussd_classify() and live as long as it does. */
struct ussd_in {
    enum ussd_kind kind;
    int op; /* raw ussd_service_op, -1 when absent */
    bool has_its, has_umr;
    uint16_t its, umr; /* raw its_session_info and user_message_reference */
    bool end_bit;      /* its_session_info present with bit 0 set (reported even when the
                        * bind does not honour it) */
    struct session_key key;
    enum gy_ussd_key key_from; /* what made the key: ITS, UMR or MSISDN (never AUTO) */
    bool key_fallback; /* the configured source was absent: the key fell back to the number */
    struct session_echo echo; /* what replies echo (store it in the session) */
    const uint8_t *text;      /* short_message, or message_payload when that is present */
    size_t text_len;
    uint8_t data_coding;
    char code[USSD_CODE_SIZE]; /* START: the dialled code ("*188#"), "" when none found */
    const char *code_from;     /* "short_message", "destination_addr" or "" */
};

/* Classifies deliver_sm sm received on bind number bind (the caller's index) with dialect
 * ub. Fills *in (zeroed first). The key is made for every kind but USSD_NOT. Returns 0, or
 * GY_EINVAL (NULL argument; a USSD PDU whose source_addr is empty or not a number: in->kind
 * is still set, the key is not). */
int ussd_classify(const struct smpp_sm *sm, const struct gy_ussd_bind *ub, unsigned bind,
                  struct ussd_in *in);

/* "op=0x12 its=0x1202 umr=- end=0 key=ussd/0/its:18/86138****8000 code=*188#(short_message)
 * kind=continue": the raw values for a log line (number masked). Returns buf. */
char *ussd_in_describe(const struct ussd_in *in, char *buf, size_t n);

/* data_coding of a reply on the bind: UCS-2 as configured (0x08 or 0x48); GSM 7-bit as 0x0F
 * (the cell-broadcast DCS) on a bind that uses 0x48 for UCS-2, else 0x00. */
uint8_t ussd_reply_data_coding(const struct gy_ussd_bind *ub, bool ucs2);

/* Fills the USSD fields of the reply to session key/echo into *sm (zeroed first):
 * destination_addr = the number, service_type, ussd_service_op (op_end_out when final, else
 * op_continue_out), its_session_info echoed (bit 0 set when final, cleared otherwise),
 * user_message_reference echoed, data_coding (ussd_reply_data_coding()), registered_delivery
 * 0, esm_class 0, and short_message = text (n octets, already encoded). source_addr and the
 * address TON/NPI are left for the caller (routing). Returns 0, GY_ETOOBIG (n over the
 * bind's max_octets; *sm is still zeroed) or GY_EINVAL. */
int ussd_reply_fill(const struct gy_ussd_bind *ub, const struct session_key *key,
                    const struct session_echo *echo, bool final, bool ucs2, const uint8_t *text,
                    size_t n, struct smpp_sm *sm);

#endif
