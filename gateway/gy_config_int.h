/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gy_config_int: the key schema of the configuration, shared by the defaults, the libconfig
 * loader and the tests. One table per group holds each key's name, kind, field, range and
 * default; nothing here knows libconfig. */
#ifndef GY_CONFIG_INT_H
#define GY_CONFIG_INT_H

#include "gateway/gy_config.h"

enum gy_key_kind {
    GY_KEY_INT,      /* int field; min..max; optional allowed[] set */
    GY_KEY_BOOL,     /* bool field */
    GY_KEY_STRING,   /* char * field, owned; length min..max bytes; optional check() */
    GY_KEY_ENUM,     /* enum field (int-sized); value is the index of the name in choices[] */
    GY_KEY_GROUP,    /* nested group of children[]; its fields live in the same struct */
    GY_KEY_STRLIST,  /* array of strings: char ** at off, size_t count at off2; check() each */
    GY_KEY_INTLIST,  /* array of ints: int[max_elems] at off, size_t count at off2 */
    GY_KEY_BINDS,    /* list of groups of gy_smsc_bind_keys (top-level "smsc") */
    GY_KEY_KEYWORDS, /* group of KEYWORD = ["alias", ...] (top-level "keywords") */
};

/* check(): validates a string value; returns 0, or -1 with a reason in why. */
typedef int (*gy_key_check_fn)(const char *value, char *why, size_t whylen);

struct gy_key {
    const char *name;
    enum gy_key_kind kind;
    size_t off;          /* offset of the field in the struct the table describes */
    size_t off2;         /* count field of STRLIST / INTLIST */
    long long min, max;  /* INT range; STRING / list element length in bytes; list count max */
    long long def;       /* INT / BOOL / ENUM default */
    const char *def_str; /* STRING default */
    const char *const *choices;    /* ENUM names, NULL-terminated */
    const int *allowed;            /* INT: allowed values, terminated by -1 (NULL: any) */
    const int *def_ints;           /* INTLIST default, terminated by -1 (NULL: empty) */
    const struct gy_key *children; /* GROUP: terminated by an entry with name NULL */
    gy_key_check_fn check;
    bool required;
    const char *unit; /* for documentation and messages: "s", "ms", "per second", ... */
};

/* Top-level keys of struct gy_config, and the keys of one struct gy_smsc_bind. */
extern const struct gy_key gy_config_keys[];
extern const struct gy_key gy_smsc_bind_keys[];

extern const char *const gy_bind_mode_names[];
extern const char *const gy_dc0_mode_names[];
extern const char *const gy_long_mode_names[];
extern const char *const gy_ussd_key_names[];
extern const char *const gy_id_format_names[];
extern const char *const gy_log_target_names[];
extern const char *const gy_log_level_names[];

/* Applies the defaults of table to the struct at base (recursing into groups). Strings are
 * duplicated; the previous string fields must be NULL or owned. Returns 0 or GY_ENOMEM. */
int gy_keys_set_defaults(const struct gy_key *table, void *base);
/* Frees the strings and lists table describes in the struct at base and NULLs them. */
void gy_keys_free(const struct gy_key *table, void *base);

/* Defaults of one bind, and its release. */
int gy_smsc_bind_defaults(struct gy_smsc_bind *bind);
void gy_smsc_bind_fini(struct gy_smsc_bind *bind);
/* Deep copy of src into dst (dst uninitialised). Returns 0 or GY_ENOMEM (dst then freed). */
int gy_smsc_bind_copy(struct gy_smsc_bind *dst, const struct gy_smsc_bind *src);

/* Replaces the keyword list with the DESIGN.md defaults. Returns 0 or GY_ENOMEM. */
int gy_config_default_keywords(struct gy_config *cfg);
void gy_config_free_keywords(struct gy_config *cfg);

/* Fills the fields derived from strings (admin host/port, quiet hours, UTC offset). The
 * strings were checked before; returns 0, GY_EINVAL or GY_ENOMEM. */
int gy_config_derive(struct gy_config *cfg);

/* Value checks shared by the schema and the overrides. */
int gy_check_hostport_or_empty(const char *s, char *why, size_t whylen);
int gy_check_host(const char *s, char *why, size_t whylen);
int gy_check_quiet_hours(const char *s, char *why, size_t whylen);
int gy_check_utc_offset(const char *s, char *why, size_t whylen);
int gy_check_name(const char *s, char *why, size_t whylen);
int gy_check_digits(const char *s, char *why, size_t whylen);
int gy_check_ussd_code(const char *s, char *why, size_t whylen);
int gy_check_alias(const char *s, char *why, size_t whylen);
int gy_check_keyword(const char *s, char *why, size_t whylen);
int gy_check_printable(const char *s, char *why, size_t whylen);

#endif
