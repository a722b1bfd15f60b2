/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smsc_sim_core: the pure logic of smsc-sim, the development SMSC: per-connection bind state,
 * answers to binds, submits, enquire_link and unbind, delivery reports, injected MO and USSD
 * traffic, misbehaviour on request, counters, and the console command language. It does no
 * I/O and reads no clock: bytes go out through struct sim_ops, time comes in as arguments. */
#ifndef SMSC_SIM_CORE_H
#define SMSC_SIM_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "gateway/smpp_pdu.h"
#include "locale/text_utf8.h"

/* How message ids are written (submit_sm_resp, receipted_message_id, DLR text). */
enum sim_id_format {
    SIM_ID_DEC = 0, /* 3000000001 */
    SIM_ID_DEC0,    /* 0000003000000001: 16 digits, leading zeros */
    SIM_ID_HEX,     /* b2d05e01 */
    SIM_ID_HEX0,    /* 00000000b2d05e01 */
    SIM_ID_HEXU,    /* B2D05E01 ("HEX" on the command line) */
    SIM_ID_HEXU0,   /* 00000000B2D05E01 ("HEX0") */
};

/* What a delivery report carries. */
enum sim_dlr_mode {
    SIM_DLR_BOTH = 0, /* receipted_message_id + message_state TLVs and the id:... text */
    SIM_DLR_TLV,      /* the TLVs only, short_message empty */
    SIM_DLR_TEXT,     /* the text only, no TLVs */
};

/* Settings; the console may change the misbehaviour fields while running. */
struct sim_config {
    char system_id[16];                    /* "" accepts any system_id */
    char password[9];                      /* "" accepts any password */
    char smsc_system_id[16];               /* sent in bind_*_resp; default "smsc-sim" */
    enum sim_id_format id_format;          /* submit_sm_resp (default dec) */
    enum sim_id_format dlr_id_format;      /* receipted_message_id (default dec) */
    enum sim_id_format dlr_text_id_format; /* id: in the DLR text (default dlr_id_format) */
    enum sim_dlr_mode dlr_mode;
    unsigned dlr_delay_ms;   /* after the submit_sm_resp (default 0) */
    unsigned delay_ms;       /* submit_sm_resp delay (console `slow MS`) */
    unsigned throttle_every; /* every Nth submit answered ESME_RTHROTTLED; 0 off */
    unsigned qfull_every;    /* every Nth submit answered ESME_RMSGQFUL; 0 off */
    unsigned mute_every;     /* every Nth submit left unanswered; 0 off */
    unsigned drop_every;     /* close every connection after every Nth submit; 0 off */
    unsigned dlr_fail_every; /* every Nth delivery report says UNDELIV; 0 off */
    unsigned redeliver_ms;   /* a deliver_sm refused with 0x64, 0x58, 0x14 or 0x08 is sent
                              * again after this delay (default 1000) */
    uint64_t first_id;       /* first message id (default 3000000000: hex has letters) */
    char ussd_service[21];   /* destination of USSD deliver_sm (default 188) */
    bool quiet;              /* print no line per PDU (summaries and errors only) */
    bool hide_text;          /* print submits without their text */
    char phone[21];          /* phone mode (--phone): the console is this number's phone;
                              * "" off. See sim_phone_line() */
    char phone_to[21];       /* where the phone's SMS go (default 10658188) */
};

/* One-shot misbehaviour counters set from the console or flags (decremented as used). */
struct sim_faults {
    unsigned throttle;   /* answer the next N submits ESME_RTHROTTLED (0x58) */
    unsigned qfull;      /* answer the next N submits ESME_RMSGQFUL (0x14) */
    unsigned mute;       /* leave the next N submits unanswered */
    unsigned drop_after; /* close every connection after N more submits (0: off) */
    unsigned dlr_fail;   /* the next N delivery reports say UNDELIV */
};

/* Counters since start. */
struct sim_stats {
    uint64_t connections, binds_ok, binds_refused;
    uint64_t submits, submit_ok, throttled, qfull, muted, not_bound;
    uint64_t dlr_sent, dlr_failed_sent, mo_sent, ussd_sent, garbage_sent;
    uint64_t deliver_resp_ok, deliver_resp_err;
    uint64_t enquire_links, unbinds, generic_nacks_sent, generic_nacks_received;
    uint64_t malformed, drops, held_now;
    uint64_t redelivered; /* deliver_sm refused with a temporary status, sent again */
    uint64_t requeued;    /* deliver_sm unanswered when their connection went, held again */
};

enum sim_bind_state {
    SIM_OPEN = 0, /* connected, not bound */
    SIM_BOUND_TX,
    SIM_BOUND_RX,
    SIM_BOUND_TRX,
    SIM_CLOSING, /* close asked; nothing more is sent or read */
};

struct sim_core;    /* opaque */
struct sim_session; /* opaque: one per TCP connection */

/* What the core needs from its I/O layer. ctx is the pointer given to sim_core_new(). */
struct sim_ops {
    /* Writes one encoded PDU (len octets; buf stays the core's) to s. Returns 0, or a
     * negative GY_E* code (the core then closes s). */
    int (*send)(void *ctx, struct sim_session *s, const uint8_t *buf, size_t len);
    /* Asks that s be closed once its output is flushed. Called at most once per session.
     * The I/O layer later calls sim_session_free() from outside any core call. */
    void (*close)(void *ctx, struct sim_session *s, const char *reason);
    /* One human-readable line (no newline) for the console; numbers already masked. */
    void (*print)(void *ctx, const char *line);
    /* Wall-clock time for the dates of a DLR text. */
    time_t (*wall)(void *ctx);
};

/* Fills cfg with the defaults documented above. */
void sim_config_defaults(struct sim_config *cfg);

/* "dec", "dec0", "hex", "hex0", "HEX", "HEX0". Returns 0 or GY_EINVAL. */
int sim_id_format_parse(const char *name, enum sim_id_format *out);
const char *sim_id_format_name(enum sim_id_format f);
/* "both", "tlv", "text". Returns 0 or GY_EINVAL. */
int sim_dlr_mode_parse(const char *name, enum sim_dlr_mode *out);
/* Writes id in format f into out[cap]. Returns 0, GY_ETOOBIG or GY_EINVAL. */
int sim_id_write(enum sim_id_format f, uint64_t id, char *out, size_t cap);

/* Returns a new core owned by the caller (free with sim_core_free()), or NULL when out of
 * memory or when ops lacks send, close or print. cfg is copied; ops and ctx are kept. */
struct sim_core *sim_core_new(const struct sim_config *cfg, const struct sim_ops *ops, void *ctx);
/* Frees the core and whatever is still scheduled or held. Every session must have been
 * freed before. NULL is a no-op. */
void sim_core_free(struct sim_core *c);

/* The live configuration and one-shot faults (the console edits them). Never NULL. */
struct sim_config *sim_core_config(struct sim_core *c);
struct sim_faults *sim_core_faults(struct sim_core *c);
const struct sim_stats *sim_core_stats(const struct sim_core *c);
/* Bound sessions that can receive deliver_sm (receiver or transceiver). */
size_t sim_core_receivers(const struct sim_core *c);
/* Bound sessions of any kind. */
size_t sim_core_bound(const struct sim_core *c);
/* The statistics as one line (no newline) into buf[cap]. */
void sim_core_stats_format(const struct sim_core *c, char *buf, size_t cap);

/* Returns a new session for one accepted connection, owned by the core's caller (free with
 * sim_session_free()), or NULL. io is the I/O layer's handle (sim_session_io()); peer a
 * label for logs ("127.0.0.1:40112"), copied. */
struct sim_session *sim_session_new(struct sim_core *c, void *io, const char *peer);
/* Forgets s: responses still scheduled for it are dropped, delivery reports meant for it go
 * to another receiver, and deliver_sm it never answered are held again and sent at once when
 * another receiver is bound (so this may call ops->send for other sessions). Call it once the connection is gone, never from inside a core call
 * (ops->close is such a call). NULL is a no-op. */
void sim_session_free(struct sim_core *c, struct sim_session *s);
void *sim_session_io(const struct sim_session *s);
enum sim_bind_state sim_session_state(const struct sim_session *s);

/* Takes the bytes received on s: answers every complete PDU in buf[0..len) and sets *used to
 * the octets consumed (the rest is an incomplete PDU; offer it again with more). A
 * command_length out of bounds or a body that does not decode closes s (ops->close; logged
 * and counted) and consumes everything. now_ms is a monotonic time in milliseconds.
 * Returns 0; GY_ESTATE when s is closing (the input is then discarded: *used = len). */
int sim_session_input(struct sim_core *c, struct sim_session *s, const uint8_t *buf, size_t len,
                      uint64_t now_ms, size_t *used);

/* Answers one decoded PDU received on s (what sim_session_input() does per PDU). */
void sim_session_handle(struct sim_core *c, struct sim_session *s, const struct smpp_pdu *pdu,
                        uint64_t now_ms);

/* Timers: when something is scheduled, sets *due_ms to the earliest time and returns true. */
bool sim_core_next_due(const struct sim_core *c, uint64_t *due_ms);
/* Sends whatever is due at now_ms. */
void sim_core_run_due(struct sim_core *c, uint64_t now_ms);

/* ---- injected traffic and misbehaviour (console commands) ---- */

/* Queues the deliver_sm(s) of a mobile-originated text from `from` to `to`: UTF-8 text in
 * the cheapest coding of allow (TEXT_ALLOW_* of locale/text_encode.h; 0 means GSM 7-bit when
 * it fits the GSM alphabet, else UCS-2; TEXT_ALLOW_GBK alone gives data_coding 15), long
 * text split with 8-bit UDH. They go to a bound receiver at once, or wait for one. Returns
 * the number of parts (> 0), or GY_EINVAL (bad number), GY_EENCODING (invalid UTF-8 or a
 * character the coding lacks), GY_ETOOBIG (over 255 parts), with a reason in err[errlen]. */
int sim_core_inject_mo(struct sim_core *c, const char *from, const char *to, const char *text,
                       unsigned allow, char *err, size_t errlen);

enum sim_ussd_kind {
    SIM_USSD_OPEN = 0, /* dial CODE: PSSR indication, new its_session_info session */
    SIM_USSD_REPLY,    /* the user answers a menu: USSR confirm in the same session */
    SIM_USSD_ABORT,    /* the user hangs up: end-of-session bit, empty text */
};
/* Queues a USSD deliver_sm from `from` (service_type USSD, ussd_service_op and
 * its_session_info, to the configured USSD service code). Returns 0, or GY_EINVAL,
 * GY_ENOTFOUND (reply or abort without an open session), GY_EENCODING, GY_ETOOBIG, with a
 * reason in err[errlen]. */
int sim_core_inject_ussd(struct sim_core *c, enum sim_ussd_kind kind, const char *from,
                         const char *text, uint64_t now_ms, char *err, size_t errlen);

/* Closes every connection now (console `drop`). Returns how many were closed. */
size_t sim_core_drop_all(struct sim_core *c, const char *reason);

enum sim_garbage {
    SIM_GARBAGE_BODY = 0, /* a deliver_sm whose body does not decode (no NUL terminators) */
    SIM_GARBAGE_LENGTH,   /* a command_length of 8: out of bounds, the stream is lost */
};
/* Sends one malformed PDU to every bound session. Returns how many got it. */
size_t sim_core_send_garbage(struct sim_core *c, enum sim_garbage kind);

/* ---- console (smsc_sim_console.c) ---- */

enum sim_cmd_kind {
    SIM_CMD_NONE = 0, /* blank line or # comment */
    SIM_CMD_MO,
    SIM_CMD_MO_GBK,
    SIM_CMD_USSD,
    SIM_CMD_USSD_REPLY,
    SIM_CMD_USSD_ABORT,
    SIM_CMD_THROTTLE,
    SIM_CMD_QFULL,
    SIM_CMD_MUTE,
    SIM_CMD_DROP,
    SIM_CMD_DROP_AFTER,
    SIM_CMD_SLOW,
    SIM_CMD_DLR_FAIL,
    SIM_CMD_DLR_DELAY,
    SIM_CMD_GARBAGE,
    SIM_CMD_STATS,
    SIM_CMD_HELP,
    SIM_CMD_SLEEP,     /* scripts: pause MS before the next line */
    SIM_CMD_WAIT_BIND, /* scripts: wait until a receiver is bound */
    SIM_CMD_QUIT,
};

#define SIM_ADDR_SIZE 21
#define SIM_TEXT_MAX  1200

/* One parsed console line. */
struct sim_cmd {
    enum sim_cmd_kind kind;
    unsigned n; /* N or MS */
    enum sim_garbage garbage;
    char from[SIM_ADDR_SIZE];
    char to[SIM_ADDR_SIZE];
    char text[SIM_TEXT_MAX + 1]; /* UTF-8 */
};

/* Parses one line (without or with its newline). Returns 0 and fills *cmd, or GY_EPARSE
 * with a one-line reason in err[errlen] ("unknown command 'x' (try help)", "throttle: N
 * must be a whole number from 0 to 1000000"). */
int sim_console_parse(const char *line, struct sim_cmd *cmd, char *err, size_t errlen);

/* Runs a parsed command on the core, appending what it has to say to out (UTF-8 lines
 * with newlines). SLEEP, WAIT_BIND and QUIT are the caller's: they return 0 and do nothing.
 * Returns 0, or a negative GY_E* code with the reason appended to out. */
int sim_console_exec(struct sim_core *c, const struct sim_cmd *cmd, uint64_t now_ms,
                     struct text_buf *out);

/* Appends the console help (one line per command) to out. */
void sim_console_help(struct text_buf *out);

/* ---- phone mode (smsc_sim_phone.c) ---- */

/* Phone mode turns the console into the phone of cfg.phone: the gateway's accepted submits
 * to that number are printed as the phone shows them ("[SMS] text", "[USSD] text", "[END]"
 * after a final USSD screen; concatenated parts joined), and typed lines become traffic. */

#define SIM_PHONE_QUIT 1

/* Runs one line typed on the phone: `*...` dials USSD; while a USSD session is open a line
 * answers it; `abort` hangs up; `:msisdn N` switches number; `?`/`:help` appends the help;
 * `quit`/`:quit` returns SIM_PHONE_QUIT; anything else is an SMS to cfg.phone_to (GSM 7-bit
 * or UCS-2). A line that expects an answer makes sim_phone_waiting() true. What the console
 * says (errors included) is appended to out. Returns 0, SIM_PHONE_QUIT, or a negative GY_E*
 * code (the reason is in out). */
int sim_phone_line(struct sim_core *c, const char *line, uint64_t now_ms, struct text_buf *out);

/* True while the last line waits for the gateway's answer, for at most wait_ms from when it
 * was typed; after that it prints that nothing came and returns false. Lines typed ahead
 * (piped input) are run one at a time, each once the previous is answered. */
bool sim_phone_waiting(struct sim_core *c, uint64_t now_ms, unsigned wait_ms);

/* Appends the phone help to out. */
void sim_phone_help(struct text_buf *out);

#endif
