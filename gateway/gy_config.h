/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gy_config: the configuration of gongyoud as a plain struct, loaded from a libconfig file
 * (conf/gongyou.conf) and adjusted by command-line overrides. Only the loader sees
 * libconfig; everything else reads this struct. It does no I/O besides reading the file. */
#ifndef GY_CONFIG_H
#define GY_CONFIG_H

#include "base/gy_log.h"

#include <stdbool.h>
#include <stddef.h>

#define GY_CONFIG_DEFAULT_PATH "conf/gongyou.conf"

/* Limits of the configuration (also the array sizes below). */
#define GY_CONFIG_MAX_BINDS 32
#define GY_CONFIG_MAX_OPS   8 /* ussd.op_end_in values */

enum gy_bind_mode {
    GY_BIND_TRANSCEIVER, /* "transceiver": one bind_transceiver */
    GY_BIND_TX_RX,       /* "transmitter+receiver": a bind_transmitter and a bind_receiver */
};

/* How data_coding 0 (SMSC default alphabet) is read and written on a bind. */
enum gy_dc0_mode {
    GY_DC0_GSM7_UNPACKED, /* "gsm7-unpacked": GSM 03.38, one septet per octet (SMPP norm) */
    GY_DC0_GSM7_PACKED,   /* "gsm7-packed": GSM 03.38 septets packed 8 in 7 octets */
    GY_DC0_ASCII,         /* "ascii": IA5/ASCII */
    GY_DC0_LATIN1,        /* "latin1": ISO 8859-1 */
};

/* How messages longer than one segment are concatenated on a bind. */
enum gy_long_mode {
    GY_LONG_UDH8,    /* "udh8": UDH IEI 0x00, 8-bit reference (153/134/67 per part) */
    GY_LONG_UDH16,   /* "udh16": UDH IEI 0x08, 16-bit reference (152/133/66 per part) */
    GY_LONG_SAR,     /* "sar": sar_msg_ref_num / sar_total_segments / sar_segment_seqnum TLVs */
    GY_LONG_PAYLOAD, /* "payload": one submit_sm with message_payload */
};

/* Where the USSD session key of an incoming deliver_sm comes from. */
enum gy_ussd_key {
    GY_USSD_KEY_AUTO,   /* "auto": its_session_info, else user_message_reference, else msisdn */
    GY_USSD_KEY_ITS,    /* "its_session_info" (TLV 0x1383) */
    GY_USSD_KEY_UMR,    /* "user_message_reference" (TLV 0x0204) with the number */
    GY_USSD_KEY_MSISDN, /* "msisdn": the number and the bind */
};

/* How an SMSC writes message ids (submit_sm_resp, delivery reports), for correlation. */
enum gy_id_format {
    GY_ID_TEXT, /* "text": opaque, compared trimmed, lower-cased, without leading zeros */
    GY_ID_DEC,  /* "dec": a decimal number */
    GY_ID_HEX,  /* "hex": a hexadecimal number, any case */
};

enum gy_log_target {
    GY_LOG_TO_STDERR, /* "stderr" */
    GY_LOG_TO_SYSLOG, /* "syslog" */
};

/* Coding preferences of one bind (issue 3 text layer, issue 6 replies). */
struct gy_coding {
    enum gy_dc0_mode data_coding_0;
    bool allow_gsm7; /* send GSM 7-bit when the text allows it, else always UCS-2 */
    bool allow_gbk;  /* send GBK (data_coding 15) when cheaper than UCS-2 */
    enum gy_long_mode long_messages;
    int max_segments; /* parts of one logical message, 1..255 */
};

/* USSD dialect of one bind (issue 6): ussd_service_op values and session keying. */
struct gy_ussd_bind {
    bool enabled;       /* this bind carries USSD */
    char *service_type; /* service_type of USSD submit_sm ("USSD"; "" for none) */
    int op_start;       /* ussd_service_op that starts a session (PSSR indication 0x01) */
    int op_continue_in; /* the worker's answer (USSR confirm 0x12) */
    int op_end_in[GY_CONFIG_MAX_OPS]; /* ops that end a session without reply (0x81, 0x13) */
    size_t n_op_end_in;
    int op_continue_out; /* reply that awaits input (USSR request 0x02) */
    int op_end_out;      /* final reply (PSSR response 0x11) */
    bool end_bit;        /* honour the end bit of its_session_info */
    enum gy_ussd_key session_key;
    int data_coding; /* data_coding of UCS-2 replies: 0x08 or 0x48 */
    int max_octets;  /* octets of one USSD string, 1..160 */
};

/* One SMPP bind (issue 4). Every string is owned by the struct, never NULL after load. */
struct gy_smsc_bind {
    char *name; /* unique label used in logs ("smsc-a") */
    char *host; /* host name or IP address of the SMSC */
    int port;
    char *system_id;   /* <= 15 octets */
    char *password;    /* <= 8 octets */
    char *system_type; /* <= 12 octets */
    enum gy_bind_mode mode;
    char *address_range; /* <= 40 octets */
    char *source_addr;   /* source address of outgoing messages ("" = the MO's destination) */
    int source_ton, source_npi;
    char **dest_prefixes; /* destination prefixes routed here; none = any destination */
    size_t n_dest_prefixes;
    int window;                /* outstanding requests, default 10 */
    int throughput;            /* segments per second, 0 = unlimited */
    int enquire_link_interval; /* seconds of idleness before enquire_link */
    int reconnect_min;         /* seconds, first reconnect back-off */
    int reconnect_max;         /* seconds, back-off cap */
    int response_timeout;      /* seconds to wait for a response before retrying */
    int throttle_pause;        /* milliseconds of pause after ESME_RTHROTTLED / ESME_RMSGQFUL */
    int max_retries;           /* attempts after temporary errors before a message fails */
    int drain_timeout;         /* seconds a stop waits for outstanding responses */
    enum gy_id_format submit_id_format; /* message_id of submit_sm_resp */
    enum gy_id_format report_id_format; /* id of delivery reports */
    struct gy_coding coding;
    struct gy_ussd_bind ussd;
};

/* A keyword and its aliases (the keyword itself always matches too). */
struct gy_keyword {
    char *keyword;  /* canonical, upper-case ASCII: "JF" */
    char **aliases; /* UTF-8: "积分" */
    size_t n_aliases;
};

/* Line numbers of keys that later checks (gongyoud --check) report; 0 when not from a file
 * (default or command-line override). */
struct gy_config_origin {
    char *file; /* the file loaded, NULL for defaults */
    int database_path;
    int menus_dir;
};

struct gy_config {
    struct gy_smsc_bind *binds; /* owned array */
    size_t n_binds;

    char *database_path; /* relative paths resolve against the current directory */
    char *menus_dir;     /* likewise */

    struct gy_keyword *keywords; /* owned array */
    size_t n_keywords;

    char *ussd_entry_code; /* "*188#" */

    int sms_idle_timeout;   /* seconds */
    int ussd_idle_timeout;  /* seconds */
    int ussd_total_timeout; /* seconds */
    int max_sessions;

    int incoming_per_minute; /* incoming messages per number per minute */

    char *admin_listen; /* "ADDR:PORT" as written, "" when disabled */
    char *admin_host;   /* parsed from admin_listen, NULL when disabled */
    int admin_port;     /* 0 when disabled */

    char *quiet_hours; /* "HH:MM-HH:MM" as written, "" when none */
    bool quiet_enabled;
    int quiet_start;        /* minutes after local midnight */
    int quiet_end;          /* minutes after local midnight (may be < quiet_start) */
    char *utc_offset;       /* "+08:00" as written */
    int utc_offset_minutes; /* 480 for China Standard Time (Asia/Shanghai, no DST) */

    enum gy_log_level log_level;
    enum gy_log_target log_target;

    struct gy_config_origin origin;
};

/* Fills cfg with the built-in defaults (no binds; DESIGN.md keyword aliases). cfg need not
 * be initialised before; it must be released with gy_config_fini(). Returns 0 or GY_ENOMEM. */
int gy_config_defaults(struct gy_config *cfg);

/* Frees everything cfg owns and zeroes it. NULL and a zeroed struct are fine. */
void gy_config_fini(struct gy_config *cfg);

/* Loads path into cfg (defaults first, then the file). Unknown keys at any depth, wrong
 * types, out-of-range values and inconsistent settings are errors; err receives them as
 * "file:line: message" lines (the first error first), or "path: ..." for a file that
 * cannot be read. Returns 0 or GY_ECONFIG / GY_EIO / GY_ENOMEM. On any return, cfg holds
 * a struct owned by the caller, released with gy_config_fini(). */
int gy_config_load(const char *path, struct gy_config *cfg, char *err, size_t errlen);

/* Command-line overrides of DESIGN.md contract 3; NULL fields are not given. */
struct gy_config_overrides {
    const char *smsc;      /* --smsc HOST:PORT: one bind to that address, the rest from binds[0] */
    const char *db;        /* --db FILE */
    const char *menus;     /* --menus DIR */
    const char *admin;     /* --admin ADDR:PORT ("" disables the admin listener) */
    const char *log_level; /* --log-level debug|info|notice|warn|error */
};

/* Validates and applies ov to cfg. On error cfg is unchanged for the failing option (earlier
 * ones stay applied), err receives "--option: message", and GY_EINVAL or GY_ENOMEM is
 * returned. */
int gy_config_apply_overrides(struct gy_config *cfg, const struct gy_config_overrides *ov,
                              char *err, size_t errlen);

/* Splits "HOST:PORT" ("[v6addr]:PORT" for IPv6). HOST must be a host name or an IP address,
 * PORT 1..65535. On success *host is a new string owned by the caller (free()). Returns 0,
 * GY_EINVAL (with a reason in why) or GY_ENOMEM. */
int gy_config_parse_hostport(const char *s, char **host, int *port, char *why, size_t whylen);

/* Names of the enum values as written in the file. */
const char *gy_bind_mode_name(enum gy_bind_mode mode);
const char *gy_dc0_mode_name(enum gy_dc0_mode mode);
const char *gy_long_mode_name(enum gy_long_mode mode);
const char *gy_ussd_key_name(enum gy_ussd_key key);
const char *gy_id_format_name(enum gy_id_format f);
const char *gy_log_target_name(enum gy_log_target target);

/* The keyword whose canonical name or alias equals word exactly (ASCII case-insensitive),
 * or NULL. Normalisation (width, punctuation) is the caller's (locale/keyword). */
const struct gy_keyword *gy_config_keyword_find(const struct gy_config *cfg, const char *word);

#endif
