/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smsc_sim_int: the insides of the smsc-sim core shared by smsc_sim_core.c (sessions,
 * scheduling, delivery), smsc_sim_answer.c (answers to clients) and smsc_sim_traffic.c (text,
 * delivery reports, injected traffic), and by smsc_sim_phone.c (phone mode). Nothing outside
 * those four files includes it. */
#ifndef SMSC_SIM_INT_H
#define SMSC_SIM_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/gy_log.h"
#include "gateway/smpp_pdu.h"
#include "tools/smsc_sim_core.h"

struct text_codec;

#define SIM_PDU_MAX  8192u /* command_length accepted from a client */
#define SIM_USSD_MAX 32    /* USSD dialogues remembered at once */
#define SIM_LINE_MAX 4096

enum pending_kind { P_RESP, P_DELIVER, P_DROP, P_DEAD };
enum deliver_what { W_NONE, W_DLR, W_DLR_FAIL, W_MO, W_USSD };

/* A PDU scheduled for later (heap) or waiting for a receiver (held list). */
struct sim_pending {
    uint64_t due, order;
    enum pending_kind kind;
    enum deliver_what what;
    struct sim_session *s; /* P_RESP: the target; P_DELIVER: preferred receiver or NULL */
    struct sim_pending *next;
    struct smpp_pdu pdu;
};

struct sim_session {
    struct sim_session *prev, *next;
    void *io;
    char peer[64];
    char system_id[16];
    enum sim_bind_state state;
    uint32_t next_seq;
    struct sim_pending *unacked, *unacked_tail; /* deliver_sm sent, no response yet */
};

struct sim_ussd {
    char msisdn[SIM_ADDR_SIZE];
    uint8_t session, seq;
    bool open;
    uint64_t used;
};

#define SIM_PHONE_PARTS 16 /* parts of one concatenated message the phone can join */
#define SIM_PHONE_SLOTS 4  /* concatenated messages being joined at once */

/* One concatenated message the phone is joining (decoded parts, UTF-8, owned). */
struct sim_phone_msg {
    unsigned ref, total, have;
    uint64_t order; /* 0: slot free */
    char *part[SIM_PHONE_PARTS];
};

/* Phone mode state (smsc_sim_phone.c). */
struct sim_phone {
    bool waiting;      /* the last typed line waits for an answer */
    uint64_t since_ms; /* when it was typed */
    uint64_t order;
    struct sim_phone_msg msg[SIM_PHONE_SLOTS];
};

struct sim_core {
    struct sim_config cfg;
    struct sim_faults faults;
    struct sim_stats stats;
    const struct sim_ops *ops;
    void *ctx;
    struct text_codec *codec; /* NULL when iconv lacks GBK: texts then print as hex */
    struct sim_session *sessions;
    uint64_t next_id, submit_count, dlr_count, order, rr;
    struct sim_pending **heap;
    size_t heap_len, heap_cap;
    struct sim_pending *held, *held_tail;
    uint16_t mo_ref;
    uint8_t ussd_next;
    bool closing_down; /* sim_core_free() is running: send nothing more */
    struct sim_ussd ussd[SIM_USSD_MAX];
    struct sim_phone phone;
};

/* Marks s closing and asks the I/O layer to close it (once). */
void sim_session_close(struct sim_core *c, struct sim_session *s, const char *reason);

/* Encodes and writes pdu to s; an encode or write failure closes s. Returns 0 or GY_E*. */
int sim_send_pdu(struct sim_core *c, struct sim_session *s, const struct smpp_pdu *pdu);

/* Sends a header-only PDU (a response with a status, generic_nack...). */
void sim_send_status(struct sim_core *c, struct sim_session *s, uint32_t command_id, uint32_t seq,
                     uint32_t status);

/* A new scheduled or held PDU (pdu uninitialised), or NULL. Freed by whoever runs it. */
struct sim_pending *sim_pending_new(enum pending_kind kind, enum deliver_what what,
                                    struct sim_session *s);

/* Puts p in the heap, due at due (monotonic ms). Takes ownership of p. */
void sim_schedule(struct sim_core *c, struct sim_pending *p, uint64_t due);

/* Sends a deliver_sm to a receiver now (kept until answered) or holds it. Takes p. */
void sim_deliver(struct sim_core *c, struct sim_pending *p);

/* Sends the held deliver_sm, in order, while a receiver is bound. */
void sim_flush_held(struct sim_core *c);

/* Bound as receiver or transceiver. */
bool sim_can_receive(const struct sim_session *s);

/* Bound as transmitter or transceiver. */
bool sim_can_transmit(const struct sim_session *s);

/* One console line through ops->print; dropped under --quiet unless always. */
void sim_print(struct sim_core *c, bool always, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A number for a log line: mobile numbers (9 digits or more) masked, short codes as they are. */
const char *sim_mask_addr(const char *addr, char buf[GY_MASK_BUFLEN]);

/* A deliver_sm_resp: ends, resends later (temporary status) or drops the deliver_sm. */
void sim_deliver_resp(struct sim_core *c, struct sim_session *s, const struct smpp_pdu *in,
                      uint64_t now_ms);

/* Takes the deliver_sm numbered seq off the unanswered list of s; NULL when absent. */
struct sim_pending *sim_unacked_take(struct sim_session *s, uint32_t seq);

/* One description of a message for the console: parts, coding, decoded text. */
void sim_describe_sm(struct sim_core *c, const struct smpp_sm *sm, char *out, size_t cap);

/* Builds the delivery report of an accepted submit (message id id) into pdu. */
void sim_dlr_build(struct sim_core *c, const struct smpp_sm *sub, uint64_t id, bool failed,
                   struct smpp_pdu *pdu);

/* Follows the gateway side of a USSD dialogue (for ussd-reply). */
void sim_ussd_note_submit(struct sim_core *c, const struct smpp_sm *sm);

/* The USSD dialogue of msisdn, or NULL. */
struct sim_ussd *sim_ussd_find(struct sim_core *c, const char *msisdn);

/* Decodes the text of sm (UDH stripped; USSD codings when ussd_service_op is present) into
 * out (UTF-8, appended) and sets part/total/ref from the UDH or SAR TLVs (0 when single).
 * Returns 0, GY_EPARSE (bad UDH), GY_EENCODING (no codec) or the decoder's error. */
int sim_sm_text(struct sim_core *c, const struct smpp_sm *sm, struct text_buf *out, unsigned *part,
                unsigned *total, unsigned *ref);

/* Phone mode: shows an accepted submit to cfg.phone as the phone would. */
void sim_phone_submit(struct sim_core *c, const struct smpp_sm *sm);

/* Phone mode: frees the parts being joined. */
void sim_phone_fini(struct sim_core *c);

#endif
