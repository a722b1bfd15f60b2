/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smpp_pdu: the plain, typed SMPP 3.4 PDU of gongyou, shared by the codec, the link and the
 * outbox. Plain data only: no libsmpp34 types, no pointers, no allocation; a struct smpp_pdu
 * is self-contained and may be copied with `=` or memcpy(). */
#ifndef SMPP_PDU_H
#define SMPP_PDU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* command_id values handled by the codec (SMPP 3.4 section 5.1.2.1). */
#define SMPP_GENERIC_NACK          0x80000000u
#define SMPP_BIND_RECEIVER         0x00000001u
#define SMPP_BIND_RECEIVER_RESP    0x80000001u
#define SMPP_BIND_TRANSMITTER      0x00000002u
#define SMPP_BIND_TRANSMITTER_RESP 0x80000002u
#define SMPP_SUBMIT_SM             0x00000004u
#define SMPP_SUBMIT_SM_RESP        0x80000004u
#define SMPP_DELIVER_SM            0x00000005u
#define SMPP_DELIVER_SM_RESP       0x80000005u
#define SMPP_UNBIND                0x00000006u
#define SMPP_UNBIND_RESP           0x80000006u
#define SMPP_BIND_TRANSCEIVER      0x00000009u
#define SMPP_BIND_TRANSCEIVER_RESP 0x80000009u
#define SMPP_OUTBIND               0x0000000Bu
#define SMPP_ENQUIRE_LINK          0x00000015u
#define SMPP_ENQUIRE_LINK_RESP     0x80000015u
#define SMPP_RESP_BIT              0x80000000u /* set in every response command_id */

/* command_status values the gateway acts on (data, never a C error code). */
#define SMPP_ESME_ROK              0x00u
#define SMPP_ESME_RINVMSGLEN       0x01u
#define SMPP_ESME_RINVCMDLEN       0x02u
#define SMPP_ESME_RINVCMDID        0x03u
#define SMPP_ESME_RINVBNDSTS       0x04u
#define SMPP_ESME_RALYBND          0x05u
#define SMPP_ESME_RSYSERR          0x08u
#define SMPP_ESME_RBINDFAIL        0x0Du
#define SMPP_ESME_RINVPASWD        0x0Eu
#define SMPP_ESME_RINVSYSID        0x0Fu
#define SMPP_ESME_RMSGQFUL         0x14u
#define SMPP_ESME_RTHROTTLED       0x58u
#define SMPP_ESME_RX_T_APPN        0x64u
#define SMPP_ESME_RX_P_APPN        0x65u
#define SMPP_ESME_RINVOPTPARSTREAM 0xC0u
#define SMPP_ESME_RINVPARLEN       0xC2u
#define SMPP_ESME_RUNKNOWNERR      0xFFu

#define SMPP_VERSION_34 0x34u

/* esm_class bits (5.2.12). */
#define SMPP_ESM_DELIVERY_RECEIPT 0x04u
#define SMPP_ESM_UDHI             0x40u

/* Optional parameter tags the codec types (everything else is skipped and counted). */
#define SMPP_TAG_RECEIPTED_MESSAGE_ID   0x001Eu
#define SMPP_TAG_USER_MESSAGE_REFERENCE 0x0204u
#define SMPP_TAG_SAR_MSG_REF_NUM        0x020Cu
#define SMPP_TAG_SAR_TOTAL_SEGMENTS     0x020Eu
#define SMPP_TAG_SAR_SEGMENT_SEQNUM     0x020Fu
#define SMPP_TAG_SC_INTERFACE_VERSION   0x0210u
#define SMPP_TAG_NETWORK_ERROR_CODE     0x0423u
#define SMPP_TAG_MESSAGE_PAYLOAD        0x0424u
#define SMPP_TAG_MESSAGE_STATE          0x0427u
#define SMPP_TAG_USSD_SERVICE_OP        0x0501u
#define SMPP_TAG_ITS_SESSION_INFO       0x1383u

/* ussd_service_op values (SMPP 3.4 5.3.2.44). */
#define SMPP_USSD_PSSD_IND  0u
#define SMPP_USSD_PSSR_IND  1u
#define SMPP_USSD_USSR_REQ  2u
#define SMPP_USSD_USSN_REQ  3u
#define SMPP_USSD_PSSD_RESP 16u
#define SMPP_USSD_PSSR_RESP 17u
#define SMPP_USSD_USSR_CONF 18u
#define SMPP_USSD_USSN_CONF 19u

/* message_state values (5.2.28). */
#define SMPP_STATE_ENROUTE       1u
#define SMPP_STATE_DELIVERED     2u
#define SMPP_STATE_EXPIRED       3u
#define SMPP_STATE_DELETED       4u
#define SMPP_STATE_UNDELIVERABLE 5u
#define SMPP_STATE_ACCEPTED      6u
#define SMPP_STATE_UNKNOWN       7u
#define SMPP_STATE_REJECTED      8u

/* Sizes. Char arrays hold C strings: the size counts the terminating NUL, as in the spec. */
#define SMPP_HEADER_LEN               16u
#define SMPP_SHORT_MESSAGE_MAX        254u  /* octets accepted on decode */
#define SMPP_SHORT_MESSAGE_ENCODE_MAX 253u  /* libsmpp34 packs at most 253 */
#define SMPP_PAYLOAD_MAX              1024u /* message_payload octets (libsmpp34 MAX_TLV_SIZE) */
#define SMPP_MESSAGE_ID_SIZE          65u

/* Bits of struct smpp_tlvs.present. */
enum smpp_tlv_bit {
    SMPP_TLV_RECEIPTED_MESSAGE_ID = 1u << 0,
    SMPP_TLV_USER_MESSAGE_REFERENCE = 1u << 1,
    SMPP_TLV_SAR_MSG_REF_NUM = 1u << 2,
    SMPP_TLV_SAR_TOTAL_SEGMENTS = 1u << 3,
    SMPP_TLV_SAR_SEGMENT_SEQNUM = 1u << 4,
    SMPP_TLV_NETWORK_ERROR_CODE = 1u << 5,
    SMPP_TLV_MESSAGE_PAYLOAD = 1u << 6,
    SMPP_TLV_MESSAGE_STATE = 1u << 7,
    SMPP_TLV_USSD_SERVICE_OP = 1u << 8,
    SMPP_TLV_ITS_SESSION_INFO = 1u << 9,
};

struct smpp_header {
    uint32_t command_length; /* filled by decode and encode; ignored on encode input */
    uint32_t command_id;
    uint32_t command_status;
    uint32_t sequence_number;
};

/* bind_transmitter, bind_receiver, bind_transceiver. */
struct smpp_bind {
    char system_id[16];
    char password[9];
    char system_type[13];
    uint8_t interface_version; /* 0x34 */
    uint8_t addr_ton;
    uint8_t addr_npi;
    char address_range[41];
};

/* bind_*_resp. */
struct smpp_bind_resp {
    char system_id[16];
    bool has_sc_interface_version;
    uint8_t sc_interface_version;
};

struct smpp_outbind {
    char system_id[16];
    char password[9];
};

/* Optional parameters of submit_sm and deliver_sm. A value is meaningful only when its
 * bit is set in present. Wire order on encode is ascending tag order. */
struct smpp_tlvs {
    uint32_t present;                                /* enum smpp_tlv_bit */
    char receipted_message_id[SMPP_MESSAGE_ID_SIZE]; /* sent with its NUL, as the spec says */
    uint16_t user_message_reference;
    uint16_t sar_msg_ref_num;
    uint8_t sar_total_segments;
    uint8_t sar_segment_seqnum;
    uint8_t network_error_code[3]; /* network type, then error code (2 octets) */
    uint8_t message_state;
    uint8_t ussd_service_op;
    uint16_t its_session_info; /* the two octets as a big-endian number, see helpers below */
    uint16_t message_payload_len;
    uint8_t message_payload[SMPP_PAYLOAD_MAX];
};

/* submit_sm and deliver_sm (same mandatory fields). deliver_sm has no schedule or validity:
 * both must be empty strings there. */
struct smpp_sm {
    char service_type[6];
    uint8_t source_addr_ton;
    uint8_t source_addr_npi;
    char source_addr[21];
    uint8_t dest_addr_ton;
    uint8_t dest_addr_npi;
    char destination_addr[21];
    uint8_t esm_class;
    uint8_t protocol_id;
    uint8_t priority_flag;
    char schedule_delivery_time[17];
    char validity_period[17];
    uint8_t registered_delivery;
    uint8_t replace_if_present_flag;
    uint8_t data_coding;
    uint8_t sm_default_msg_id;
    uint8_t sm_length;
    uint8_t short_message[SMPP_SHORT_MESSAGE_MAX]; /* sm_length octets, UDH included */
    struct smpp_tlvs tlv;
};

/* submit_sm_resp, deliver_sm_resp (message_id empty in the latter). */
struct smpp_sm_resp {
    char message_id[SMPP_MESSAGE_ID_SIZE];
};

/* One PDU. body is chosen by hdr.command_id; header-only PDUs (enquire_link, unbind,
 * their responses, generic_nack, any response with a non-zero status) use no body. */
struct smpp_pdu {
    struct smpp_header hdr;
    unsigned tlv_skipped; /* decode: optional parameters not typed here or repeated */
    union {
        struct smpp_bind bind;
        struct smpp_bind_resp bind_resp;
        struct smpp_outbind outbind;
        struct smpp_sm sm;
        struct smpp_sm_resp sm_resp;
    } body;
};

/* its_session_info (5.3.2.43): octet 0 the session number, octet 1 the sequence number
 * in bits 7..1 and end-of-session in bit 0. */
static inline uint8_t
smpp_its_session_number(uint16_t v)
{
    return (uint8_t)(v >> 8);
}
static inline uint8_t
smpp_its_sequence(uint16_t v)
{
    return (uint8_t)((v >> 1) & 0x7Fu);
}
static inline bool
smpp_its_end_of_session(uint16_t v)
{
    return (v & 1u) != 0;
}
static inline uint16_t
smpp_its_make(uint8_t session, uint8_t seq, bool end)
{
    return (uint16_t)(((unsigned)session << 8) | ((seq & 0x7Fu) << 1) | (end ? 1u : 0u));
}

#endif
