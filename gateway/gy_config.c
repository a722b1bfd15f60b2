/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gy_config: defaults, release, derived fields, value checks and the command-line overrides
 * of the configuration. Knows nothing of libconfig (the loader is gy_config_load.c). */
#include "gateway/gy_config_int.h"
#include "base/gy_err.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* DESIGN.md contract 5: default keywords and their aliases. */
static const struct {
    const char *keyword;
    const char *aliases[4];
} default_keywords[] = {
    {"JF", {"积分"}}, {"RX", {"入学"}},      {"GZ", {"工资"}}, {"BT", {"补贴"}},
    {"RH", {"入户"}}, {"TD", {"T", "退订"}}, {"DY", {"订阅"}}, {"BZ", {"帮助", "HELP", "?"}},
    {"EN", {NULL}},   {"ZW", {"中文"}},
};

static int
set_error(char *why, size_t whylen, const char *msg)
{
    if (why != NULL && whylen > 0)
        snprintf(why, whylen, "%s", msg);
    return -1;
}

void
gy_config_free_keywords(struct gy_config *cfg)
{
    for (size_t i = 0; cfg->keywords != NULL && i < cfg->n_keywords; i++) {
        struct gy_keyword *k = &cfg->keywords[i];
        for (size_t j = 0; k->aliases != NULL && j < k->n_aliases; j++)
            free(k->aliases[j]);
        free(k->aliases);
        free(k->keyword);
    }
    free(cfg->keywords);
    cfg->keywords = NULL;
    cfg->n_keywords = 0;
}

int
gy_config_default_keywords(struct gy_config *cfg)
{
    gy_config_free_keywords(cfg);
    size_t n = sizeof(default_keywords) / sizeof(default_keywords[0]);
    cfg->keywords = calloc(n, sizeof(*cfg->keywords));
    if (cfg->keywords == NULL)
        return GY_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        struct gy_keyword *k = &cfg->keywords[i];
        cfg->n_keywords = i + 1;
        if ((k->keyword = strdup(default_keywords[i].keyword)) == NULL)
            return GY_ENOMEM;
        size_t na = 0;
        while (na < 4 && default_keywords[i].aliases[na] != NULL)
            na++;
        if (na == 0)
            continue;
        if ((k->aliases = calloc(na, sizeof(char *))) == NULL)
            return GY_ENOMEM;
        for (; k->n_aliases < na; k->n_aliases++) {
            if ((k->aliases[k->n_aliases] = strdup(default_keywords[i].aliases[k->n_aliases])) ==
                NULL)
                return GY_ENOMEM;
        }
    }
    return 0;
}

int
gy_config_defaults(struct gy_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    int rc = gy_keys_set_defaults(gy_config_keys, cfg);
    if (rc == 0)
        rc = gy_config_default_keywords(cfg);
    if (rc == 0)
        rc = gy_config_derive(cfg);
    return rc;
}

void
gy_config_fini(struct gy_config *cfg)
{
    if (cfg == NULL)
        return;
    for (size_t i = 0; cfg->binds != NULL && i < cfg->n_binds; i++)
        gy_smsc_bind_fini(&cfg->binds[i]);
    free(cfg->binds);
    gy_config_free_keywords(cfg);
    gy_keys_free(gy_config_keys, cfg);
    free(cfg->admin_host);
    free(cfg->origin.file);
    memset(cfg, 0, sizeof(*cfg));
}

/* "HH:MM" at s (exactly 5 characters) into minutes; -1 when invalid. */
static int
parse_hhmm(const char *s)
{
    if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2] != ':' ||
        !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
        return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0');
    int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59)
        return -1;
    return h * 60 + m;
}

int
gy_check_quiet_hours(const char *s, char *why, size_t whylen)
{
    if (s[0] == '\0')
        return 0;
    if (strlen(s) != 11 || s[5] != '-' || parse_hhmm(s) < 0 || parse_hhmm(s + 6) < 0)
        return set_error(why, whylen,
                         "expected \"HH:MM-HH:MM\" with hours 00-23 and minutes 00-59, or \"\"");
    if (parse_hhmm(s) == parse_hhmm(s + 6))
        return set_error(why, whylen, "start and end are equal (use \"\" for no quiet hours)");
    return 0;
}

static int
utc_offset_minutes(const char *s)
{
    if ((s[0] != '+' && s[0] != '-') || strlen(s) != 6)
        return -10000;
    int m = parse_hhmm(s + 1);
    if (m < 0)
        return -10000;
    return s[0] == '-' ? -m : m;
}

int
gy_check_utc_offset(const char *s, char *why, size_t whylen)
{
    int m = utc_offset_minutes(s);
    if (m < -12 * 60 || m > 14 * 60)
        return set_error(why, whylen,
                         "expected \"+HH:MM\" or \"-HH:MM\" between -12:00 and "
                         "+14:00 (China Standard Time is \"+08:00\")");
    return 0;
}

int
gy_check_name(const char *s, char *why, size_t whylen)
{
    for (const char *p = s; *p != '\0'; p++) {
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
            return set_error(why, whylen, "use letters, digits, '-', '_' and '.' only");
    }
    return 0;
}

int
gy_check_host(const char *s, char *why, size_t whylen)
{
    unsigned char buf[sizeof(struct in6_addr)];
    if (s[0] == '\0')
        return set_error(why, whylen, "empty host");
    if (inet_pton(AF_INET6, s, buf) == 1)
        return 0;
    /* A host name or a dotted IPv4 address: labels of letters, digits and '-'. */
    size_t label = 0;
    for (const char *p = s;; p++) {
        if (*p == '.' || *p == '\0') {
            if (label == 0 || label > 63 || p[-1] == '-')
                return set_error(why, whylen, "not a host name or IP address");
            if (*p == '\0')
                break;
            label = 0;
            continue;
        }
        if (!isalnum((unsigned char)*p) && !(*p == '-' && label > 0))
            return set_error(why, whylen, "not a host name or IP address");
        label++;
    }
    /* All-numeric dotted names must be valid IPv4 addresses. */
    if (strspn(s, "0123456789.") == strlen(s) && inet_pton(AF_INET, s, buf) != 1)
        return set_error(why, whylen, "not a valid IPv4 address");
    return 0;
}

int
gy_config_parse_hostport(const char *s, char **host, int *port, char *why, size_t whylen)
{
    const char *colon;
    size_t hlen;
    const char *hstart = s;
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (close == NULL || close[1] != ':')
            return set_error(why, whylen, "expected HOST:PORT or [IPv6]:PORT"), GY_EINVAL;
        hstart = s + 1;
        hlen = (size_t)(close - hstart);
        colon = close + 1;
    } else {
        colon = strrchr(s, ':');
        if (colon == NULL)
            return set_error(why, whylen, "expected HOST:PORT"), GY_EINVAL;
        hlen = (size_t)(colon - s);
        if (memchr(s, ':', hlen) != NULL)
            return set_error(why, whylen, "write IPv6 addresses as [ADDR]:PORT"), GY_EINVAL;
    }
    const char *ps = colon + 1;
    if (*ps == '\0' || strspn(ps, "0123456789") != strlen(ps) || strlen(ps) > 5)
        return set_error(why, whylen, "port must be a number 1-65535"), GY_EINVAL;
    int p = atoi(ps);
    if (p < 1 || p > 65535)
        return set_error(why, whylen, "port must be a number 1-65535"), GY_EINVAL;
    if (hlen == 0 || hlen > 253)
        return set_error(why, whylen, "missing or too long host"), GY_EINVAL;
    char *h = strndup(hstart, hlen);
    if (h == NULL)
        return GY_ENOMEM;
    unsigned char buf[sizeof(struct in6_addr)];
    if (s[0] == '[' && inet_pton(AF_INET6, h, buf) != 1) {
        free(h);
        return set_error(why, whylen, "not an IPv6 address inside [ ]"), GY_EINVAL;
    }
    if (gy_check_host(h, why, whylen) != 0) {
        free(h);
        return GY_EINVAL;
    }
    *host = h;
    *port = p;
    return 0;
}

int
gy_check_hostport_or_empty(const char *s, char *why, size_t whylen)
{
    if (s[0] == '\0')
        return 0;
    char *host = NULL;
    int port;
    int rc = gy_config_parse_hostport(s, &host, &port, why, whylen);
    free(host);
    return rc == 0 ? 0 : -1;
}

int
gy_check_digits(const char *s, char *why, size_t whylen)
{
    if (s[0] == '\0' || strspn(s, "0123456789") != strlen(s))
        return set_error(why, whylen, "expected digits only");
    return 0;
}

int
gy_check_ussd_code(const char *s, char *why, size_t whylen)
{
    size_t n = strlen(s);
    if (n < 2 || (s[0] != '*' && s[0] != '#') || s[n - 1] != '#' || strspn(s, "0123456789*#") != n)
        return set_error(why, whylen,
                         "a USSD code starts with * or #, ends with # and holds "
                         "only digits, * and # (\"*188#\")");
    return 0;
}

int
gy_check_printable(const char *s, char *why, size_t whylen)
{
    for (const char *p = s; *p != '\0'; p++) {
        if (*p < 0x20 || *p > 0x7e)
            return set_error(why, whylen, "use printable ASCII characters only");
    }
    return 0;
}

int
gy_check_keyword(const char *s, char *why, size_t whylen)
{
    size_t n = strlen(s);
    if (n == 0 || n > 16 || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != n)
        return set_error(why, whylen, "keywords are 1-16 upper-case ASCII letters or digits");
    return 0;
}

/* Length of the UTF-8 sequence at s, or 0 when it is invalid (overlong, surrogate,
 * above U+10FFFF, truncated). */
static size_t
utf8_seq(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned cp, min;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2, cp = c & 0x1f, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef)
        n = 3, cp = c & 0x0f, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 4, cp = c & 0x07, min = 0x10000;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

int
gy_check_alias(const char *s, char *why, size_t whylen)
{
    const unsigned char *p = (const unsigned char *)s;
    if (*p == '\0')
        return set_error(why, whylen, "empty alias");
    while (*p != '\0') {
        size_t n = utf8_seq(p);
        if (n == 0)
            return set_error(why, whylen, "not valid UTF-8");
        if (n == 1 && (*p <= 0x20 || *p == 0x7f))
            return set_error(why, whylen, "no spaces or control characters in an alias");
        p += n;
    }
    return 0;
}

int
gy_config_derive(struct gy_config *cfg)
{
    free(cfg->admin_host);
    cfg->admin_host = NULL;
    cfg->admin_port = 0;
    if (cfg->admin_listen != NULL && cfg->admin_listen[0] != '\0') {
        char why[128];
        int rc = gy_config_parse_hostport(cfg->admin_listen, &cfg->admin_host, &cfg->admin_port,
                                          why, sizeof(why));
        if (rc != 0)
            return rc;
    }
    cfg->quiet_enabled = false;
    cfg->quiet_start = cfg->quiet_end = 0;
    if (cfg->quiet_hours != NULL && cfg->quiet_hours[0] != '\0') {
        if (gy_check_quiet_hours(cfg->quiet_hours, NULL, 0) != 0)
            return GY_EINVAL;
        cfg->quiet_enabled = true;
        cfg->quiet_start = parse_hhmm(cfg->quiet_hours);
        cfg->quiet_end = parse_hhmm(cfg->quiet_hours + 6);
    }
    if (cfg->utc_offset != NULL) {
        if (gy_check_utc_offset(cfg->utc_offset, NULL, 0) != 0)
            return GY_EINVAL;
        cfg->utc_offset_minutes = utc_offset_minutes(cfg->utc_offset);
    }
    return 0;
}

static const char *
enum_name(const char *const *names, size_t n, int v)
{
    return v >= 0 && (size_t)v < n ? names[v] : "?";
}

const char *
gy_bind_mode_name(enum gy_bind_mode mode)
{
    return enum_name(gy_bind_mode_names, 2, (int)mode);
}
const char *
gy_dc0_mode_name(enum gy_dc0_mode mode)
{
    return enum_name(gy_dc0_mode_names, 4, (int)mode);
}
const char *
gy_long_mode_name(enum gy_long_mode mode)
{
    return enum_name(gy_long_mode_names, 4, (int)mode);
}
const char *
gy_ussd_key_name(enum gy_ussd_key key)
{
    return enum_name(gy_ussd_key_names, 4, (int)key);
}
const char *
gy_id_format_name(enum gy_id_format f)
{
    return enum_name(gy_id_format_names, 3, (int)f);
}
const char *
gy_log_target_name(enum gy_log_target target)
{
    return enum_name(gy_log_target_names, 2, (int)target);
}

const struct gy_keyword *
gy_config_keyword_find(const struct gy_config *cfg, const char *word)
{
    for (size_t i = 0; i < cfg->n_keywords; i++) {
        const struct gy_keyword *k = &cfg->keywords[i];
        if (strcasecmp(k->keyword, word) == 0)
            return k;
        for (size_t j = 0; j < k->n_aliases; j++) {
            if (strcasecmp(k->aliases[j], word) == 0)
                return k;
        }
    }
    return NULL;
}
