/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smpp_codec: the boundary between SMPP bytes and struct smpp_pdu (smpp_pdu.h). It frames and
 * bounds PDUs and validates bodies. submit_sm and deliver_sm are read and written by hand in
 * one pass (smpp_codec_sm.c), submit_sm_resp and deliver_sm_resp by hand in smpp_codec.c; the
 * other PDUs go through libsmpp34 (smpp_codec.c; generic_nack and error responses are written
 * header only without it). libsmpp34 stays the reference for submit_sm/deliver_sm in the
 * differential tests (test_smpp_codec_diff) and the fuzz target (fuzz_smpp_codec). It does no
 * I/O, keeps no state of its own and never logs; errors come back as GY_E* codes plus optional
 * text. Call it from one thread only: the libsmpp34 path keeps its error text in globals. */
#ifndef SMPP_CODEC_H
#define SMPP_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "gateway/smpp_pdu.h"

/* Largest command_length the codec ever accepts (64 KiB). Links may use a smaller bound. */
#define SMPP_PDU_MAX_LIMIT 65536u
/* Largest PDU smpp_pdu_encode() can produce: a buffer of this size always suffices. */
#define SMPP_ENCODE_MAX 1600u

/* Framing. Given the first `have` octets received (buf may be NULL when have is 0), tells the
 * length of the next PDU.
 * Returns 0 and *pdu_len = 0 when fewer than 4 octets are there (read more);
 * returns 0 and *pdu_len = command_length when 16 <= command_length <= max_len (the PDU is
 * complete once `have >= *pdu_len`);
 * returns GY_ERANGE when command_length is out of those bounds: the stream cannot be
 * resynchronised and the link must be reset. max_len must be in [16, SMPP_PDU_MAX_LIMIT]
 * (GY_EINVAL otherwise). */
int smpp_frame_length(const uint8_t *buf, size_t have, uint32_t max_len, uint32_t *pdu_len);

/* Decodes exactly one PDU of `len` octets (len == its command_length) into *out, which is
 * zeroed first and owns copies of every field afterwards (nothing points into buf; buf may be
 * reused at once). Optional parameters of submit_sm/deliver_sm are typed into body.sm.tlv
 * (see enum smpp_tlv_bit); others, and repeats of a typed one, are skipped and counted in
 * out->tlv_skipped. When err is not NULL, a failure also writes a one-line reason into
 * err[errlen] (never a field value, so it may be logged as is).
 * Returns 0, or:
 *   GY_ERANGE    len < 16, command_length != len, or len > SMPP_PDU_MAX_LIMIT;
 *   GY_ENOTFOUND a command_id the codec does not handle (data_sm, query_sm, submit_multi,
 *                replace_sm, cancel_sm, alert_notification, anything else): out->hdr is
 *                filled, so the link can answer generic_nack ESME_RINVCMDID with
 *                out->hdr.sequence_number;
 *   GY_ETOOBIG   message_payload longer than SMPP_PAYLOAD_MAX (out->hdr filled);
 *   GY_EPARSE    a malformed body: truncated field, C-string without NUL or too long,
 *                sm_length beyond the body, TLV header or length beyond the body, a typed
 *                TLV with the wrong length, or libsmpp34 refusing it (out->hdr filled);
 *   GY_EINVAL    buf or out NULL. */
int smpp_pdu_decode(const uint8_t *buf, size_t len, struct smpp_pdu *out, char *err, size_t errlen);

/* Encodes *pdu into buf[cap] and sets *out_len; pdu->hdr.command_length is ignored. The
 * caller keeps ownership of pdu and buf; nothing is retained. Responses with a non-zero
 * command_status and generic_nack are written header only (16 octets), as SMPP 3.4 says.
 * Other PDUs need: sequence_number != 0; command_status 0 for requests; C strings
 * NUL-terminated inside their arrays; valid TON/NPI; interface_version 0x34 in binds;
 * empty schedule_delivery_time and validity_period in deliver_sm; sm_length <=
 * SMPP_SHORT_MESSAGE_ENCODE_MAX (longer text goes in message_payload, with sm_length 0);
 * message_payload_len <= SMPP_PAYLOAD_MAX. TLVs go out in ascending tag order.
 * Returns 0, GY_EINVAL (a rule above broken, NULL argument), GY_ETOOBIG (short_message or
 * payload too long, or cap too small), GY_ENOTFOUND (command_id not handled). */
int smpp_pdu_encode(const struct smpp_pdu *pdu, uint8_t *buf, size_t cap, size_t *out_len,
                    char *err, size_t errlen);

/* Zeroes *pdu and sets command_id and sequence_number (command_status 0); binds get
 * interface_version 0x34. */
void smpp_pdu_init(struct smpp_pdu *pdu, uint32_t command_id, uint32_t sequence_number);

/* Puts `len` octets of message text into sm: in short_message when len <=
 * SMPP_SHORT_MESSAGE_ENCODE_MAX, otherwise in message_payload with sm_length 0.
 * Returns 0, GY_ETOOBIG when len > SMPP_PAYLOAD_MAX, GY_EINVAL when sm is NULL or data is
 * NULL with len > 0. Copies the bytes; data stays the caller's. */
int smpp_sm_set_message(struct smpp_sm *sm, const uint8_t *data, size_t len);

/* The message octets of a decoded sm: message_payload when present, else short_message.
 * Sets *len; returns a pointer into sm (valid as long as *sm is). */
const uint8_t *smpp_sm_message(const struct smpp_sm *sm, size_t *len);

/* Static names for logs: "submit_sm", "ESME_RTHROTTLED"; never NULL ("unknown"). */
const char *smpp_command_name(uint32_t command_id);
const char *smpp_status_name(uint32_t command_status);

#endif
