/* SPDX-License-Identifier: GPL-3.0-or-later */
/* session_table: the open dialog sessions of the gateway (USSD and SMS), keyed by (channel,
 * bind, key kind, session id, number) in a hash table with O(1) lookup; idle timeouts per
 * channel, a total cap (USSD), a maximum count, counts for metrics. Each session carries an
 * opaque payload owned by the table (the menu state). Pure: no I/O, no clock (the caller
 * passes `now` in ms of a monotonic clock), no logging. */
#ifndef SESSION_TABLE_H
#define SESSION_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gy_config;

enum session_channel {
    SESSION_CH_USSD = 0,
    SESSION_CH_SMS,
    SESSION_CH_COUNT,
};

/* What the session id of a key is. */
enum session_key_kind {
    SESSION_KEY_MSISDN = 0, /* none: the number (and the bind) alone; SMS, and USSD without id */
    SESSION_KEY_ITS,        /* id = session number (octet 1 of its_session_info) */
    SESSION_KEY_UMR,        /* id = user_message_reference */
};

#define SESSION_MSISDN_SIZE 21 /* source_addr of SMPP: 20 characters and the NUL */

/* The key of a session. Two keys are equal when every field is; bytes of msisdn after its
 * NUL do not count. Build with session_key_set(). */
struct session_key {
    uint8_t channel; /* enum session_channel */
    uint8_t kind;    /* enum session_key_kind */
    uint16_t bind;   /* index of the bind in the configuration (the caller's numbering) */
    uint16_t id;     /* ITS session number or UMR value; 0 for SESSION_KEY_MSISDN */
    char msisdn[SESSION_MSISDN_SIZE]; /* international form without '+' */
};

/* Fills key. msisdn: 1..20 characters (a leading '+' is dropped). Returns 0 or GY_EINVAL
 * (bad channel or kind, NULL, empty or too long number). */
int session_key_set(struct session_key *key, enum session_channel ch, enum session_key_kind kind,
                    unsigned bind, unsigned id, const char *msisdn);

/* "ussd/2/its:18/86138****8000": a log rendering with the number masked. Writes at most n
 * bytes (NUL-terminated) into buf; returns buf. */
char *session_key_describe(const struct session_key *key, char *buf, size_t n);

const char *session_channel_name(enum session_channel ch); /* "ussd", "sms" */

/* Values echoed in the replies of a USSD session (ussd_session.h fills and reads them). */
struct session_echo {
    uint8_t has_its, has_umr;
    uint16_t its; /* its_session_info of the last deliver_sm, as received */
    uint16_t umr; /* user_message_reference of the last deliver_sm */
};

/* One open session. Callers read the fields; they change them only through the functions
 * below, except echo, which is the caller's. The pointer stays valid until the session is
 * closed, replaced or expired, or the table freed. */
struct session {
    struct session_key key;
    struct session_echo echo;
    uint64_t created_ms; /* when opened */
    uint64_t last_ms;    /* last session_touch() (opened counts) */
    /* internal */
    uint32_t hash;
    uint32_t payload_len, payload_cap;
    void *payload;
    struct session *hnext;
    struct session *idle_prev, *idle_next; /* by last_ms, oldest first */
    struct session *age_prev, *age_next;   /* by created_ms, oldest first */
};

/* Timeouts (ms, 0 = none) and the maximum number of open sessions (all channels). */
struct session_limits {
    uint64_t idle_ms[SESSION_CH_COUNT];
    uint64_t total_ms[SESSION_CH_COUNT];
    size_t max_sessions;
};

/* Limits from the configuration: sessions.sms_idle_timeout (SMS idle, no total cap),
 * ussd_idle_timeout, ussd_total_timeout, max_sessions. */
void session_limits_from_config(struct session_limits *lim, const struct gy_config *cfg);
/* The configuration's defaults without a configuration: USSD 60 s idle and 180 s total,
 * SMS 600 s idle, 200,000 sessions. */
void session_limits_default(struct session_limits *lim);

/* Why a session ends without session_close(). */
enum session_end {
    SESSION_END_IDLE = 0, /* no session_touch() for the channel's idle timeout */
    SESSION_END_TOTAL,    /* open longer than the channel's total cap */
    SESSION_END_REPLACED, /* session_open() of the same key */
};
const char *session_end_name(enum session_end why); /* "idle", "total", "replaced" */

/* Called once for each session that ends by expiry or replacement, just before it is freed.
 * The session is already out of the table: the callback may read it (payload included) and
 * may call table functions, but must not keep the pointer. */
typedef void (*session_end_fn)(void *arg, struct session *s, enum session_end why);

/* Counts for metrics. */
struct session_counts {
    size_t open[SESSION_CH_COUNT];
    uint64_t created[SESSION_CH_COUNT];
    uint64_t expired_idle[SESSION_CH_COUNT];
    uint64_t expired_total[SESSION_CH_COUNT];
    uint64_t replaced[SESSION_CH_COUNT];
    uint64_t closed[SESSION_CH_COUNT];
    uint64_t refused[SESSION_CH_COUNT]; /* session_open() answered GY_EBUSY */
    size_t payload_bytes;               /* payload capacity held by open sessions */
    size_t buckets;                     /* hash buckets */
};

struct session_table;

/* Returns a new empty table owned by the caller (free with session_table_free()), or NULL
 * (no memory, or max_sessions 0). on_end (may be NULL) and arg are kept for the table's life. */
struct session_table *session_table_new(const struct session_limits *lim, session_end_fn on_end,
                                        void *arg);

/* Frees every open session (no callbacks) and the table. NULL is a no-op. */
void session_table_free(struct session_table *t);

/* Opens a session for key at now_ms with an empty payload. An open session of the same key
 * is replaced (on_end with SESSION_END_REPLACED first). When the table is full, due sessions
 * expire first; if it is still full the open is refused. Returns 0 with *out set, GY_EBUSY
 * (refused: the maximum is reached; counted), GY_EINVAL or GY_ENOMEM. */
int session_open(struct session_table *t, const struct session_key *key, uint64_t now_ms,
                 struct session **out);

/* The open session of key, or NULL. A session found past its idle or total limit at now_ms
 * expires (on_end) and NULL is returned. Does not touch it. */
struct session *session_find(struct session_table *t, const struct session_key *key,
                             uint64_t now_ms);

/* Records activity at now_ms (the idle timeout starts again). now_ms must not go backwards. */
void session_touch(struct session_table *t, struct session *s, uint64_t now_ms);

/* Ends s by the caller's decision (final screen, abort): freed at once, no callback. */
void session_close(struct session_table *t, struct session *s);

/* Expires every session due at now_ms (on_end each, then freed). Returns how many. Each
 * session is visited once in its life, so the cost is O(expired). */
size_t session_table_expire(struct session_table *t, uint64_t now_ms);

/* The earliest time at which a session falls due (to arm one timer), or UINT64_MAX when
 * none can. */
uint64_t session_table_next_due(const struct session_table *t);

/* The time at which s falls due, or UINT64_MAX. */
uint64_t session_due_ms(const struct session_table *t, const struct session *s);

/* Copies len bytes into the payload of s (the previous payload goes). Returns 0, GY_ENOMEM
 * (payload unchanged) or GY_ETOOBIG (len over 1 MiB). */
int session_payload_set(struct session_table *t, struct session *s, const void *data, size_t len);

/* Makes the payload len bytes long and returns it for writing in place (bytes past the old
 * length are zero), or NULL (no memory; payload unchanged; also len over 1 MiB). */
void *session_payload_resize(struct session_table *t, struct session *s, size_t len);

/* The payload of s (NULL when empty) and its length in *len (may be NULL). */
void *session_payload(const struct session *s, size_t *len);

void session_table_counts(const struct session_table *t, struct session_counts *out);
size_t session_table_size(const struct session_table *t);

#endif
