/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smpp_dlr: delivery reports and SMSC message ids. Parses a report from a decoded deliver_sm
 * (receipted_message_id and message_state TLVs, or the SMPP 3.4 appendix B text
 * "id:... sub:... dlvrd:... submit date:... done date:... stat:... err:... text:..." in any
 * case and with fields missing) and normalises message ids per bind (hex or decimal, leading
 * zeros, case) so that submit_sm_resp and report ids compare equal. Pure: no I/O, no store. */
#ifndef SMPP_DLR_H
#define SMPP_DLR_H

#include "gateway/smpp_pdu.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How an SMSC writes message ids in one kind of PDU (a per-bind setting, one for
 * submit_sm_resp and one for delivery reports; Kannel's msg-id-type, Jasmin's dlr_msgid). */
enum smpp_id_base {
    SMPP_ID_TEXT = 0, /* opaque: trimmed, ASCII lower case, leading zeros removed */
    SMPP_ID_DEC,      /* a decimal number */
    SMPP_ID_HEX,      /* a hexadecimal number (any case) */
};

/* Normalised ids hold the decimal form of numbers of up to 64 hex digits. */
#define SMPP_ID_NORM_SIZE 96

/* Parses "text", "dec"/"decimal", "hex"/"hexadecimal". Returns 0 or GY_EINVAL. */
int smpp_id_base_parse(const char *name, enum smpp_id_base *out);
const char *smpp_id_base_name(enum smpp_id_base base);

/* Writes the canonical form of id into out (outlen bytes): for DEC and HEX the decimal
 * value without leading zeros ("0A1B" hex and "2587" dec both give "2587"); for TEXT the
 * id trimmed of spaces, lower-cased, without leading zeros. Returns 0, GY_EPARSE when id is
 * empty or not a number of that base, GY_ETOOBIG when it does not fit (out gets ""). */
int smpp_id_normalise(const char *id, enum smpp_id_base base, char *out, size_t outlen);

/* What a report says about the message. */
enum smpp_dlr_outcome {
    SMPP_DLR_PENDING = 0, /* intermediate (ENROUTE, ACCEPTD) or an unknown word */
    SMPP_DLR_DELIVERED,   /* DELIVRD */
    SMPP_DLR_FAILED,      /* UNDELIV, REJECTD, DELETED, UNKNOWN */
    SMPP_DLR_EXPIRED,     /* EXPIRED */
};

/* One parsed delivery report (plain data). */
struct smpp_dlr {
    char id[SMPP_MESSAGE_ID_SIZE]; /* as received (not normalised) */
    uint8_t state;                 /* SMPP_STATE_* (1..8), 0 when not given or unknown */
    enum smpp_dlr_outcome outcome;
    bool has_err;
    unsigned err; /* err: field (decimal, or hex when it has a-f), else the
                   * network_error_code TLV's code */
    bool has_sub, has_dlvrd;
    unsigned sub, dlvrd;
    char submit_date[13]; /* YYMMDDhhmm[ss] as written, "" when absent */
    char done_date[13];
    char stat[16]; /* the stat: word as written (upper-cased), "" when absent */
    bool from_tlv; /* id came from receipted_message_id */
};

/* Maps a message_state value / a stat word (any case; DELIVRD, DELIVERED, EXPIRED,
 * DELETED, UNDELIV, UNDELIVERABLE, ACCEPTD, ACCEPTED, UNKNOWN, REJECTD, REJECTED, ENROUTE)
 * to SMPP_STATE_*; 0 when unknown. */
uint8_t smpp_dlr_state_from_word(const char *word, size_t len);
enum smpp_dlr_outcome smpp_dlr_outcome_of(uint8_t state);
const char *smpp_dlr_outcome_name(enum smpp_dlr_outcome o);

/* Parses the appendix B text in txt[0..len) (not NUL-terminated) into *out (zeroed
 * first). Keys are matched case-insensitively at word starts ("submit date", "submit_date"
 * and "submitdate" alike); fields may be missing or in any order. Returns 0, or GY_EPARSE
 * when there is no id field. */
int smpp_dlr_parse_text(const char *txt, size_t len, struct smpp_dlr *out);

/* Parses the report carried by sm (a decoded deliver_sm or data_sm body). TLVs win over
 * the text: receipted_message_id gives the id and message_state the state; the text
 * (short_message, else message_payload) fills what they leave out. Returns 0, GY_EINVAL
 * when esm_class does not flag a delivery receipt, or GY_EPARSE when no id is found. */
int smpp_dlr_parse(const struct smpp_sm *sm, struct smpp_dlr *out);

#endif
