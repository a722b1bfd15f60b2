/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gy_config_schema: every configuration key in one place (name, kind, field, range,
 * default), with the defaults and release walkers over these tables. conf/gongyou.conf and
 * docs/configuration.md follow these tables; a test checks that they name every key. */
#include "gateway/gy_config_int.h"
#include "base/gy_err.h"

#include <stdlib.h>
#include <string.h>

const char *const gy_bind_mode_names[] = {"transceiver", "transmitter+receiver", NULL};
const char *const gy_dc0_mode_names[] = {"gsm7-unpacked", "gsm7-packed", "ascii", "latin1", NULL};
const char *const gy_long_mode_names[] = {"udh8", "udh16", "sar", "payload", NULL};
const char *const gy_id_format_names[] = {"text", "dec", "hex", NULL};
const char *const gy_ussd_key_names[] = {"auto", "its_session_info", "user_message_reference",
                                         "msisdn", NULL};
const char *const gy_log_target_names[] = {"stderr", "syslog", NULL};
/* Same order as enum gy_log_level. */
const char *const gy_log_level_names[] = {"debug", "info", "notice", "warn", "error", NULL};

_Static_assert(sizeof(enum gy_bind_mode) == sizeof(int), "enum fields are int-sized");
_Static_assert(sizeof(enum gy_dc0_mode) == sizeof(int), "enum fields are int-sized");
_Static_assert(sizeof(enum gy_long_mode) == sizeof(int), "enum fields are int-sized");
_Static_assert(sizeof(enum gy_ussd_key) == sizeof(int), "enum fields are int-sized");
_Static_assert(sizeof(enum gy_log_target) == sizeof(int), "enum fields are int-sized");
_Static_assert(sizeof(enum gy_log_level) == sizeof(int), "enum fields are int-sized");

/* Table entries. T is the struct the table describes, f the field. */
/* clang-format off */
#define K_INT(n, T, f, lo, hi, d, u)                                                            \
    {.name = n, .kind = GY_KEY_INT, .off = offsetof(T, f), .min = lo, .max = hi, .def = d,       \
     .unit = u}
#define K_INTSET(n, T, f, set, d)                                                               \
    {.name = n, .kind = GY_KEY_INT, .off = offsetof(T, f), .min = 0, .max = 255, .def = d,       \
     .allowed = set}
#define K_BOOL(n, T, f, d) {.name = n, .kind = GY_KEY_BOOL, .off = offsetof(T, f), .def = d}
#define K_STR(n, T, f, lo, hi, d, chk)                                                          \
    {.name = n, .kind = GY_KEY_STRING, .off = offsetof(T, f), .min = lo, .max = hi,              \
     .def_str = d, .check = chk}
#define K_REQSTR(n, T, f, lo, hi, chk)                                                          \
    {.name = n, .kind = GY_KEY_STRING, .off = offsetof(T, f), .min = lo, .max = hi,              \
     .def_str = "", .check = chk, .required = true}
#define K_ENUM(n, T, f, names, d)                                                               \
    {.name = n, .kind = GY_KEY_ENUM, .off = offsetof(T, f), .choices = names, .def = d}
#define K_GROUP(n, kids) {.name = n, .kind = GY_KEY_GROUP, .children = kids}
#define K_STRLIST(n, T, f, cnt, maxn, maxlen, chk)                                              \
    {.name = n, .kind = GY_KEY_STRLIST, .off = offsetof(T, f), .off2 = offsetof(T, cnt),         \
     .min = 1, .max = maxlen, .def = maxn, .check = chk}
#define K_INTLIST(n, T, f, cnt, lo, hi, defs)                                                   \
    {.name = n, .kind = GY_KEY_INTLIST, .off = offsetof(T, f), .off2 = offsetof(T, cnt),         \
     .min = lo, .max = hi, .def = GY_CONFIG_MAX_OPS, .def_ints = defs}
#define K_END {.name = NULL}

#define B struct gy_smsc_bind
static const int ussd_dcs_allowed[] = {0x08, 0x48, -1};
static const int ussd_end_in_default[] = {0x81, 0x13, -1};

static const struct gy_key coding_keys[] = {
    K_ENUM("data_coding_0", B, coding.data_coding_0, gy_dc0_mode_names, GY_DC0_GSM7_UNPACKED),
    K_BOOL("allow_gsm7", B, coding.allow_gsm7, true),
    K_BOOL("allow_gbk", B, coding.allow_gbk, false),
    K_ENUM("long_messages", B, coding.long_messages, gy_long_mode_names, GY_LONG_UDH8),
    K_INT("max_segments", B, coding.max_segments, 1, 255, 10, "parts"),
    K_END,
};

static const struct gy_key ussd_bind_keys[] = {
    K_BOOL("enabled", B, ussd.enabled, true),
    K_STR("service_type", B, ussd.service_type, 0, 5, "USSD", gy_check_printable),
    K_INT("op_start", B, ussd.op_start, 0, 255, 0x01, NULL),
    K_INT("op_continue_in", B, ussd.op_continue_in, 0, 255, 0x12, NULL),
    K_INTLIST("op_end_in", B, ussd.op_end_in, ussd.n_op_end_in, 0, 255, ussd_end_in_default),
    K_INT("op_continue_out", B, ussd.op_continue_out, 0, 255, 0x02, NULL),
    K_INT("op_end_out", B, ussd.op_end_out, 0, 255, 0x11, NULL),
    K_BOOL("end_bit", B, ussd.end_bit, true),
    K_ENUM("session_key", B, ussd.session_key, gy_ussd_key_names, GY_USSD_KEY_AUTO),
    K_INTSET("data_coding", B, ussd.data_coding, ussd_dcs_allowed, 0x08),
    K_INT("max_octets", B, ussd.max_octets, 1, 160, 160, "octets"),
    K_END,
};

const struct gy_key gy_smsc_bind_keys[] = {
    K_REQSTR("name", B, name, 1, 31, gy_check_name),
    K_REQSTR("host", B, host, 1, 253, gy_check_host),
    K_INT("port", B, port, 1, 65535, 2775, NULL),
    K_REQSTR("system_id", B, system_id, 1, 15, gy_check_printable),
    K_STR("password", B, password, 0, 8, "", gy_check_printable),
    K_STR("system_type", B, system_type, 0, 12, "", gy_check_printable),
    K_ENUM("bind_mode", B, mode, gy_bind_mode_names, GY_BIND_TRANSCEIVER),
    K_STR("address_range", B, address_range, 0, 40, "", gy_check_printable),
    K_STR("source_addr", B, source_addr, 0, 20, "", gy_check_printable),
    K_INT("source_ton", B, source_ton, 0, 6, 0, NULL),
    K_INT("source_npi", B, source_npi, 0, 18, 0, NULL),
    K_STRLIST("dest_prefixes", B, dest_prefixes, n_dest_prefixes, 64, 20, gy_check_digits),
    K_INT("window", B, window, 1, 1000, 10, "requests"),
    K_INT("throughput", B, throughput, 0, 100000, 100, "per second"),
    K_INT("enquire_link_interval", B, enquire_link_interval, 5, 3600, 30, "s"),
    K_INT("reconnect_min", B, reconnect_min, 1, 3600, 1, "s"),
    K_INT("reconnect_max", B, reconnect_max, 1, 86400, 60, "s"),
    K_INT("response_timeout", B, response_timeout, 1, 600, 30, "s"),
    K_INT("throttle_pause", B, throttle_pause, 100, 60000, 1000, "ms"),
    K_INT("max_retries", B, max_retries, 0, 100, 5, "attempts"),
    K_INT("drain_timeout", B, drain_timeout, 0, 600, 5, "s"),
    K_ENUM("submit_id_format", B, submit_id_format, gy_id_format_names, GY_ID_TEXT),
    K_ENUM("report_id_format", B, report_id_format, gy_id_format_names, GY_ID_TEXT),
    K_GROUP("coding", coding_keys),
    K_GROUP("ussd", ussd_bind_keys),
    K_END,
};
#undef B

#define C struct gy_config
static const struct gy_key database_keys[] = {
    K_STR("path", C, database_path, 1, 4095, "gongyou.db", NULL),
    K_END,
};
static const struct gy_key menus_keys[] = {
    K_STR("dir", C, menus_dir, 1, 4095, "menus/scripts", NULL),
    K_END,
};
static const struct gy_key ussd_keys[] = {
    K_STR("entry_code", C, ussd_entry_code, 2, 20, "*188#", gy_check_ussd_code),
    K_END,
};
static const struct gy_key sessions_keys[] = {
    K_INT("sms_idle_timeout", C, sms_idle_timeout, 10, 86400, 600, "s"),
    K_INT("ussd_idle_timeout", C, ussd_idle_timeout, 5, 600, 60, "s"),
    K_INT("ussd_total_timeout", C, ussd_total_timeout, 10, 3600, 180, "s"),
    K_INT("max_sessions", C, max_sessions, 1, 10000000, 200000, "sessions"),
    K_END,
};
static const struct gy_key rate_limit_keys[] = {
    K_INT("incoming_per_minute", C, incoming_per_minute, 1, 10000, 20, "per minute"),
    K_END,
};
static const struct gy_key admin_keys[] = {
    K_STR("listen", C, admin_listen, 0, 300, "127.0.0.1:8188", gy_check_hostport_or_empty),
    K_END,
};
static const struct gy_key broadcast_keys[] = {
    K_STR("quiet_hours", C, quiet_hours, 0, 11, "21:00-08:00", gy_check_quiet_hours),
    K_STR("utc_offset", C, utc_offset, 6, 6, "+08:00", gy_check_utc_offset),
    K_END,
};
static const struct gy_key log_keys[] = {
    K_ENUM("level", C, log_level, gy_log_level_names, GY_LOG_INFO),
    K_ENUM("target", C, log_target, gy_log_target_names, GY_LOG_TO_STDERR),
    K_END,
};

const struct gy_key gy_config_keys[] = {
    {.name = "smsc", .kind = GY_KEY_BINDS, .children = gy_smsc_bind_keys, .required = true,
     .min = 1, .max = GY_CONFIG_MAX_BINDS},
    K_GROUP("database", database_keys),
    K_GROUP("menus", menus_keys),
    {.name = "keywords", .kind = GY_KEY_KEYWORDS, .min = 1, .max = 32},
    K_GROUP("ussd", ussd_keys),
    K_GROUP("sessions", sessions_keys),
    K_GROUP("rate_limit", rate_limit_keys),
    K_GROUP("admin", admin_keys),
    K_GROUP("broadcast", broadcast_keys),
    K_GROUP("log", log_keys),
    K_END,
};
#undef C
/* clang-format on */

int
gy_keys_set_defaults(const struct gy_key *table, void *base)
{
    char *p = base;
    for (const struct gy_key *k = table; k->name != NULL; k++) {
        int v = (int)k->def;
        switch (k->kind) {
        case GY_KEY_INT:
        case GY_KEY_ENUM:
            memcpy(p + k->off, &v, sizeof(v));
            break;
        case GY_KEY_BOOL:
            *(bool *)(p + k->off) = k->def != 0;
            break;
        case GY_KEY_STRING: {
            char **slot = (char **)(p + k->off);
            free(*slot);
            *slot = strdup(k->def_str != NULL ? k->def_str : "");
            if (*slot == NULL)
                return GY_ENOMEM;
            break;
        }
        case GY_KEY_GROUP: {
            int rc = gy_keys_set_defaults(k->children, base);
            if (rc != 0)
                return rc;
            break;
        }
        case GY_KEY_INTLIST: {
            int *arr = (int *)(p + k->off);
            size_t n = 0;
            for (const int *d = k->def_ints; d != NULL && *d >= 0; d++)
                arr[n++] = *d;
            *(size_t *)(p + k->off2) = n;
            break;
        }
        case GY_KEY_STRLIST:
        case GY_KEY_BINDS:
        case GY_KEY_KEYWORDS:
            /* empty by default; binds and keywords are set by gy_config_defaults() */
            break;
        }
    }
    return 0;
}

void
gy_keys_free(const struct gy_key *table, void *base)
{
    char *p = base;
    for (const struct gy_key *k = table; k->name != NULL; k++) {
        if (k->kind == GY_KEY_STRING) {
            char **slot = (char **)(p + k->off);
            free(*slot);
            *slot = NULL;
        } else if (k->kind == GY_KEY_GROUP) {
            gy_keys_free(k->children, base);
        } else if (k->kind == GY_KEY_STRLIST) {
            char ***slot = (char ***)(p + k->off);
            size_t *n = (size_t *)(p + k->off2);
            for (size_t i = 0; *slot != NULL && i < *n; i++)
                free((*slot)[i]);
            free(*slot);
            *slot = NULL;
            *n = 0;
        }
    }
}

int
gy_smsc_bind_defaults(struct gy_smsc_bind *bind)
{
    memset(bind, 0, sizeof(*bind));
    int rc = gy_keys_set_defaults(gy_smsc_bind_keys, bind);
    if (rc != 0)
        gy_smsc_bind_fini(bind);
    return rc;
}

void
gy_smsc_bind_fini(struct gy_smsc_bind *bind)
{
    if (bind == NULL)
        return;
    gy_keys_free(gy_smsc_bind_keys, bind);
}

/* Sets every owned pointer of table in base to NULL and list counts to 0. */
static void
keys_null(const struct gy_key *table, void *base)
{
    char *p = base;
    for (const struct gy_key *k = table; k->name != NULL; k++) {
        if (k->kind == GY_KEY_STRING || k->kind == GY_KEY_STRLIST)
            *(char **)(p + k->off) = NULL;
        else if (k->kind == GY_KEY_GROUP)
            keys_null(k->children, base);
        if (k->kind == GY_KEY_STRLIST)
            *(size_t *)(p + k->off2) = 0;
    }
}

/* Deep-copies the strings and lists of table from src into dst, whose owned pointers are
 * NULL. On failure every owned field of dst is a copy or NULL. */
static int
keys_copy(const struct gy_key *table, void *dst, const void *src)
{
    char *d = dst;
    const char *s = src;
    for (const struct gy_key *k = table; k->name != NULL; k++) {
        if (k->kind == GY_KEY_STRING) {
            char **slot = (char **)(d + k->off);
            const char *from = *(char *const *)(s + k->off);
            if (from != NULL && (*slot = strdup(from)) == NULL)
                return GY_ENOMEM;
        } else if (k->kind == GY_KEY_GROUP) {
            int rc = keys_copy(k->children, dst, src);
            if (rc != 0)
                return rc;
        } else if (k->kind == GY_KEY_STRLIST) {
            char ***slot = (char ***)(d + k->off);
            size_t *n = (size_t *)(d + k->off2);
            char *const *from = *(char **const *)(s + k->off);
            size_t count = *(const size_t *)(s + k->off2);
            if (count == 0)
                continue;
            if ((*slot = calloc(count, sizeof(char *))) == NULL)
                return GY_ENOMEM;
            for (; *n < count; (*n)++) {
                if (((*slot)[*n] = strdup(from[*n])) == NULL)
                    return GY_ENOMEM;
            }
        }
    }
    return 0;
}

int
gy_smsc_bind_copy(struct gy_smsc_bind *dst, const struct gy_smsc_bind *src)
{
    *dst = *src;
    keys_null(gy_smsc_bind_keys, dst);
    int rc = keys_copy(gy_smsc_bind_keys, dst, src);
    if (rc != 0)
        gy_smsc_bind_fini(dst);
    return rc;
}
