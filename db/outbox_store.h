/* SPDX-License-Identifier: GPL-3.0-or-later */
/* outbox_store: the SQL side of the persistent outbox (tables of migration 003). Enqueues
 * a logical message with all its encoded segments in one transaction, fetches ready
 * segments for the scheduler in batches, records results in the caller's grouped
 * transactions, resumes after a crash, expires, correlates delivery reports and counts.
 * No SMPP I/O, no scheduling policy: see gateway/outbox_sched.h and docs/outbox.md. */
#ifndef OUTBOX_STORE_H
#define OUTBOX_STORE_H

#include "db/db_store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Priority classes, served strictly in this order. */
enum outbox_prio {
    OUTBOX_PRIO_REPLY = 0,     /* answer to a worker's question (dialog) */
    OUTBOX_PRIO_NORMAL = 1,    /* other and system messages */
    OUTBOX_PRIO_BROADCAST = 2, /* agency broadcasts */
};
#define OUTBOX_N_PRIO 3

/* States of a segment and of a logical message (the numbers are stored). */
enum outbox_state {
    OUTBOX_QUEUED = 0,    /* waiting to be submitted (again) */
    OUTBOX_SUBMITTED = 1, /* accepted by the SMSC (submit_sm_resp ROK), awaiting its report */
    OUTBOX_DELIVERED = 2, /* delivery report DELIVRD (message: every part) */
    OUTBOX_FAILED = 3,    /* permanent error, retries exhausted or a failed report */
    OUTBOX_EXPIRED = 4,   /* validity passed while queued, or report EXPIRED */
};
#define OUTBOX_N_STATE 5

#define OUTBOX_SENDER_SIZE   33   /* sender/account label: 1..32 octets ("dialog", agency code) */
#define OUTBOX_BIND_SIZE     64   /* bind name */
#define OUTBOX_ADDR_SIZE     21   /* SMPP address with its NUL */
#define OUTBOX_SMSC_ID_SIZE  96   /* normalised SMSC message id (decimal of up to 64 hex digits) */
#define OUTBOX_BODY_MAX      1024 /* octets of one segment (message_payload limit) */
#define OUTBOX_SENDER_DIALOG "dialog"

/* Default validity by priority (ms from enqueue). */
#define OUTBOX_VALIDITY_REPLY_MS     (60LL * 60 * 1000)
#define OUTBOX_VALIDITY_NORMAL_MS    (24LL * 60 * 60 * 1000)
#define OUTBOX_VALIDITY_BROADCAST_MS (48LL * 60 * 60 * 1000)

const char *outbox_prio_name(enum outbox_prio p);   /* "reply", "normal", "broadcast" */
const char *outbox_state_name(enum outbox_state s); /* "queued", "submitted", ... */
/* Parses a name of outbox_prio_name(). Returns 0 or GY_EINVAL. */
int outbox_prio_parse(const char *name, enum outbox_prio *out);
/* Default validity in ms of a priority class. */
int64_t outbox_validity_default_ms(enum outbox_prio p);

/* One encoded segment to enqueue (borrowed by outbox_store_enqueue). */
struct outbox_part_in {
    uint8_t esm_class;   /* 0x40 when body starts with a UDH */
    uint8_t data_coding; /* 0, 8, 15 ... */
    const uint8_t *body; /* short_message octets, or message_payload when in_payload */
    size_t body_len;     /* <= 254 (short_message) or <= OUTBOX_BODY_MAX (payload) */
    bool in_payload;
    bool sar; /* send the SAR TLVs */
    uint16_t sar_ref;
    uint8_t sar_total, sar_seq;
};

/* One logical message to enqueue (borrowed; every string copied). */
struct outbox_msg_in {
    enum outbox_prio priority;
    const char *sender;      /* 1..32 octets, no control characters */
    const char *msisdn;      /* destination, digits, international form without '+' */
    const char *source_addr; /* NULL or "": the bind's source address */
    uint8_t source_ton, source_npi, dest_ton, dest_npi;
    const char *service_type;    /* NULL = "" (<= 5 octets) */
    const char *origin_bind;     /* reply: the bind the question came in on; NULL = routing */
    int64_t valid_until_ms;      /* 0: now + outbox_validity_default_ms(priority) */
    uint8_t registered_delivery; /* 1: ask for a final delivery report */
    bool has_ussd_op;
    uint8_t ussd_op;
    bool has_its_session;
    uint16_t its_session;
    bool has_user_msg_ref; /* user_message_reference TLV echoed (USSD keyed by it) */
    uint16_t user_msg_ref;
    const struct outbox_part_in *parts;
    size_t n_parts; /* 1..255 */
};

/* Writes m and all its parts, queued. With no transaction open it makes its own; inside a
 * transaction the caller holds (the gateway's grouped commit, a broadcast enqueueing many
 * recipients) it joins that one and on error leaves no part of this message behind (the
 * rows written before the failure are deleted again). The message is durable when the
 * outermost transaction commits. *id (may be NULL) receives the message id. Returns 0,
 * GY_EINVAL for a bad field (nothing written), GY_EBUSY when the database stayed locked,
 * or GY_EDB (inside a transaction: when the partial message could not be removed either,
 * the caller must roll back). */
int outbox_store_enqueue(struct db *db, const struct outbox_msg_in *m, int64_t now_ms, int64_t *id);

/* A segment ready for submission, as the scheduler holds it (plain data, copyable). */
struct outbox_seg {
    int64_t id; /* segment id: enqueue order */
    int64_t message_id;
    enum outbox_prio priority;
    uint8_t part, n_parts;
    int attempts; /* submits so far (durable count) */
    int64_t valid_until_ms;
    char sender[OUTBOX_SENDER_SIZE];
    char msisdn[OUTBOX_ADDR_SIZE];
    char source_addr[OUTBOX_ADDR_SIZE];
    uint8_t source_ton, source_npi, dest_ton, dest_npi;
    char service_type[6];
    char origin_bind[OUTBOX_BIND_SIZE]; /* "" = routing rules */
    uint8_t esm_class, data_coding, registered_delivery;
    bool in_payload;
    bool sar;
    uint16_t sar_ref;
    uint8_t sar_total, sar_seq;
    bool has_ussd_op;
    uint8_t ussd_op;
    bool has_its_session;
    uint16_t its_session;
    bool has_user_msg_ref;
    uint16_t user_msg_ref;
    uint16_t body_len;
    uint8_t body[OUTBOX_BODY_MAX];
};

/* Fetches up to max queued segments of priority prio with id > after_id, in id order,
 * into out (caller's array). *n receives the count. Reads through the partial index
 * outbox_ready, so a backlog in one class never slows another. Returns 0 or GY_EDB. */
int outbox_store_fetch(struct db *db, enum outbox_prio prio, int64_t after_id,
                       struct outbox_seg *out, size_t max, size_t *n);

/* A state change of one segment, as the scheduler decides it. */
enum outbox_mark_kind {
    OUTBOX_MARK_SUBMITTED, /* SMSC accepted it: smsc_id, bind */
    OUTBOX_MARK_RETRY,     /* temporary failure: stays queued; attempts/status recorded */
    OUTBOX_MARK_FAILED,    /* permanent failure with status */
    OUTBOX_MARK_EXPIRED,   /* validity passed before it could be sent */
    OUTBOX_MARK_DELIVERED, /* delivery report (normally through outbox_store_dlr_apply) */
};

struct outbox_mark {
    enum outbox_mark_kind kind;
    int64_t seg_id;
    int64_t message_id;
    int attempts;   /* the segment's submit count after this attempt */
    uint8_t n_parts; /* parts of its message when known (1: the message follows the segment
                      * without reading its other parts); 0 = unknown */
    int64_t status; /* SMPP command_status (>= 0) or a negative GY_E* for timeouts etc. */
    char bind[OUTBOX_BIND_SIZE];
    char smsc_id[OUTBOX_SMSC_ID_SIZE]; /* normalised (smpp_id_normalise) */
};

/* Applies n marks and updates their messages' status. Call inside the caller's
 * transaction (db_begin .. db_commit) to group many completions in one commit; without
 * one, each statement commits on its own. A mark never moves a segment out of a final
 * state (delivered, failed) except that SUBMITTED wins over EXPIRED (the SMSC has it).
 * Returns 0 or GY_EDB (stop and roll back). */
int outbox_store_mark(struct db *db, const struct outbox_mark *marks, size_t n, int64_t now_ms);

/* Delivery report: finds the segment submitted on bind with the normalised smsc_id (the
 * newest one when an SMSC reused an id) and moves it to state (OUTBOX_DELIVERED, FAILED or
 * EXPIRED; OUTBOX_SUBMITTED only records err for an intermediate report), updating its
 * message. err is the report's error code (stored as last_status when non-zero).
 * *seg_id / *message_id (may be NULL) receive the segment. Returns 0, GY_ENOTFOUND when no
 * segment awaits a report under that id (unknown, or already final), GY_EINVAL, GY_EDB. */
int outbox_store_dlr_apply(struct db *db, const char *bind, const char *smsc_id,
                           enum outbox_state state, int64_t err, int64_t now_ms, int64_t *seg_id,
                           int64_t *message_id);

/* After a restart or crash: segments left 'submitted' without an SMSC id go back to
 * queued (at-least-once). *n (may be NULL) receives how many. Returns 0 or GY_EDB. */
int outbox_store_resume(struct db *db, int64_t now_ms, size_t *n);

/* Expires queued segments whose validity passed (and their messages), up to max rows per
 * call so that a sweep never holds the writer long. *n receives how many. 0 or GY_EDB. */
int outbox_store_expire(struct db *db, int64_t now_ms, size_t max, size_t *n);

/* Logical message as stored (for `gongyou` and tests). */
struct outbox_msg_info {
    int64_t id;
    enum outbox_prio priority;
    enum outbox_state status;
    int n_parts;
    int64_t last_status; /* 0 when none */
    char sender[OUTBOX_SENDER_SIZE];
    char msisdn[OUTBOX_ADDR_SIZE];
    char origin_bind[OUTBOX_BIND_SIZE];
};
/* Returns 0, GY_ENOTFOUND or GY_EDB. */
int outbox_store_message(struct db *db, int64_t id, struct outbox_msg_info *out);

/* Counters for metrics. */
struct outbox_counts {
    uint64_t queued_segments[OUTBOX_N_PRIO];          /* segments waiting, by priority */
    uint64_t awaiting_report;                         /* segments submitted, no report yet */
    uint64_t messages[OUTBOX_N_PRIO][OUTBOX_N_STATE]; /* logical messages */
};
/* Fills *out. Cost grows with the number of rows (index scans); call it at metrics
 * scrape intervals, not per message. Returns 0 or GY_EDB. */
int outbox_store_counts(struct db *db, struct outbox_counts *out);
/* Calls fn once per (sender, priority, status) with its message count, sender order.
 * fn returning non-zero stops the walk (that value is returned). 0 or GY_EDB otherwise. */
int outbox_store_count_senders(struct db *db,
                               int (*fn)(void *arg, const char *sender, enum outbox_prio p,
                                         enum outbox_state s, uint64_t n),
                               void *arg);

/* The SQL text of the hot queries, for EXPLAIN QUERY PLAN in tests and diagnostics (the
 * same static strings the functions pass to db_stmt(), so also their cache keys). */
enum outbox_store_query {
    OUTBOX_SQL_FETCH,  /* outbox_store_fetch */
    OUTBOX_SQL_DLR,    /* outbox_store_dlr_apply's lookup */
    OUTBOX_SQL_EXPIRE, /* outbox_store_expire */
};
const char *outbox_store_sql(enum outbox_store_query q);

#endif
