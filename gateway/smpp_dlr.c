/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smpp_dlr: delivery-report parsing (TLVs and appendix B text) and per-bind normalisation
 * of SMSC message ids. Pure functions over plain data; never logs (callers decide). */
#include "gateway/smpp_dlr.h"

#include "base/gy_err.h"
#include "base/gy_str.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const base_names[] = {"text", "dec", "hex"};

int
smpp_id_base_parse(const char *name, enum smpp_id_base *out)
{
    if (name == NULL)
        return GY_EINVAL;
    if (strcasecmp(name, "text") == 0)
        *out = SMPP_ID_TEXT;
    else if (strcasecmp(name, "dec") == 0 || strcasecmp(name, "decimal") == 0)
        *out = SMPP_ID_DEC;
    else if (strcasecmp(name, "hex") == 0 || strcasecmp(name, "hexadecimal") == 0)
        *out = SMPP_ID_HEX;
    else
        return GY_EINVAL;
    return 0;
}

const char *
smpp_id_base_name(enum smpp_id_base base)
{
    return (unsigned)base < 3 ? base_names[base] : "?";
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decimal digits of the number written in base (10 or 16) by s[0..n), most significant
 * first, into out. Digits are kept least significant first in dec[] while converting. */
static int
to_decimal(const char *s, size_t n, int base, char *out, size_t outlen)
{
    unsigned char dec[SMPP_ID_NORM_SIZE];
    size_t nd = 1;
    dec[0] = 0;
    for (size_t i = 0; i < n; i++) {
        int v = hexval(s[i]);
        if (v < 0 || v >= base)
            return GY_EPARSE;
        unsigned carry = (unsigned)v;
        for (size_t k = 0; k < nd; k++) {
            unsigned x = dec[k] * (unsigned)base + carry;
            dec[k] = (unsigned char)(x % 10);
            carry = x / 10;
        }
        while (carry > 0) {
            if (nd == sizeof(dec))
                return GY_ETOOBIG;
            dec[nd++] = (unsigned char)(carry % 10);
            carry /= 10;
        }
    }
    if (nd + 1 > outlen)
        return GY_ETOOBIG;
    for (size_t k = 0; k < nd; k++)
        out[k] = (char)('0' + dec[nd - 1 - k]);
    out[nd] = '\0';
    return 0;
}

int
smpp_id_normalise(const char *id, enum smpp_id_base base, char *out, size_t outlen)
{
    if (out == NULL || outlen == 0)
        return GY_EINVAL;
    out[0] = '\0';
    if (id == NULL)
        return GY_EPARSE;
    size_t b = 0, e = strlen(id);
    while (b < e && (id[b] == ' ' || id[b] == '\t'))
        b++;
    while (e > b &&
           (id[e - 1] == ' ' || id[e - 1] == '\t' || id[e - 1] == '\r' || id[e - 1] == '\n'))
        e--;
    if (b == e)
        return GY_EPARSE;
    int rc;
    if (base == SMPP_ID_DEC || base == SMPP_ID_HEX) {
        rc = to_decimal(id + b, e - b, base == SMPP_ID_HEX ? 16 : 10, out, outlen);
    } else {
        while (e - b > 1 && id[b] == '0')
            b++;
        if (e - b + 1 > outlen) {
            rc = GY_ETOOBIG;
        } else {
            for (size_t i = b; i < e; i++) {
                char c = id[i];
                out[i - b] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
            }
            out[e - b] = '\0';
            rc = 0;
        }
    }
    if (rc != 0)
        out[0] = '\0';
    return rc;
}

static const struct {
    const char *word;
    uint8_t state;
} stat_words[] = {
    {"ENROUTE", SMPP_STATE_ENROUTE},
    {"DELIVRD", SMPP_STATE_DELIVERED},
    {"DELIVERED", SMPP_STATE_DELIVERED},
    {"EXPIRED", SMPP_STATE_EXPIRED},
    {"DELETED", SMPP_STATE_DELETED},
    {"UNDELIV", SMPP_STATE_UNDELIVERABLE},
    {"UNDELIVERABLE", SMPP_STATE_UNDELIVERABLE},
    {"ACCEPTD", SMPP_STATE_ACCEPTED},
    {"ACCEPTED", SMPP_STATE_ACCEPTED},
    {"UNKNOWN", SMPP_STATE_UNKNOWN},
    {"REJECTD", SMPP_STATE_REJECTED},
    {"REJECTED", SMPP_STATE_REJECTED},
};

uint8_t
smpp_dlr_state_from_word(const char *word, size_t len)
{
    for (size_t i = 0; word != NULL && i < sizeof(stat_words) / sizeof(stat_words[0]); i++) {
        if (strlen(stat_words[i].word) == len && strncasecmp(word, stat_words[i].word, len) == 0)
            return stat_words[i].state;
    }
    return 0;
}

enum smpp_dlr_outcome
smpp_dlr_outcome_of(uint8_t state)
{
    switch (state) {
    case SMPP_STATE_DELIVERED:
        return SMPP_DLR_DELIVERED;
    case SMPP_STATE_EXPIRED:
        return SMPP_DLR_EXPIRED;
    case SMPP_STATE_DELETED:
    case SMPP_STATE_UNDELIVERABLE:
    case SMPP_STATE_REJECTED:
    case SMPP_STATE_UNKNOWN:
        return SMPP_DLR_FAILED;
    default:
        return SMPP_DLR_PENDING; /* ENROUTE, ACCEPTED (many SMSCs send it early), 0 */
    }
}

const char *
smpp_dlr_outcome_name(enum smpp_dlr_outcome o)
{
    static const char *const names[] = {"pending", "delivered", "failed", "expired"};
    return (unsigned)o < 4 ? names[o] : "?";
}

enum dlr_field { F_ID, F_SUB, F_DLVRD, F_SUBMIT, F_DONE, F_STAT, F_ERR, F_TEXT };

/* Keys at word starts, longest spellings first where one is a prefix of another. */
static const struct {
    const char *key;
    enum dlr_field f;
} dlr_keys[] = {
    {"id:", F_ID},
    {"sub:", F_SUB},
    {"dlvrd:", F_DLVRD},
    {"submit date:", F_SUBMIT},
    {"submit_date:", F_SUBMIT},
    {"submitdate:", F_SUBMIT},
    {"done date:", F_DONE},
    {"done_date:", F_DONE},
    {"donedate:", F_DONE},
    {"stat:", F_STAT},
    {"err:", F_ERR},
    {"text:", F_TEXT},
};

static void
copy_field(char *dst, size_t size, const char *v, size_t n)
{
    if (n >= size)
        n = size - 1;
    memcpy(dst, v, n);
    dst[n] = '\0';
}

/* Parses v[0..n) as a number in base 10 (or 16 when it holds a-f). */
static bool
parse_uint(const char *v, size_t n, unsigned *out)
{
    if (n == 0 || n > 8)
        return false;
    int base = 10;
    for (size_t i = 0; i < n; i++) {
        int h = hexval(v[i]);
        if (h < 0)
            return false;
        if (h > 9)
            base = 16;
    }
    unsigned x = 0;
    for (size_t i = 0; i < n; i++)
        x = x * (unsigned)base + (unsigned)hexval(v[i]);
    *out = x;
    return true;
}

static void
store_field(struct smpp_dlr *d, enum dlr_field f, const char *v, size_t n)
{
    switch (f) {
    case F_ID:
        copy_field(d->id, sizeof(d->id), v, n);
        break;
    case F_SUB:
        d->has_sub = parse_uint(v, n, &d->sub);
        break;
    case F_DLVRD:
        d->has_dlvrd = parse_uint(v, n, &d->dlvrd);
        break;
    case F_SUBMIT:
        copy_field(d->submit_date, sizeof(d->submit_date), v, n);
        break;
    case F_DONE:
        copy_field(d->done_date, sizeof(d->done_date), v, n);
        break;
    case F_STAT:
        copy_field(d->stat, sizeof(d->stat), v, n);
        for (char *p = d->stat; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 'a' + 'A');
        d->state = smpp_dlr_state_from_word(v, n);
        break;
    case F_ERR:
        d->has_err = parse_uint(v, n, &d->err);
        break;
    case F_TEXT:
        break; /* the first characters of the message: not kept (personal data) */
    }
}

int
smpp_dlr_parse_text(const char *txt, size_t len, struct smpp_dlr *out)
{
    memset(out, 0, sizeof(*out));
    bool have_id = false;
    size_t i = 0;
    while (i < len) {
        if (i > 0 && txt[i - 1] != ' ') {
            i++;
            continue;
        }
        size_t k, klen = 0;
        for (k = 0; k < sizeof(dlr_keys) / sizeof(dlr_keys[0]); k++) {
            klen = strlen(dlr_keys[k].key);
            if (len - i >= klen && strncasecmp(txt + i, dlr_keys[k].key, klen) == 0)
                break;
        }
        if (k == sizeof(dlr_keys) / sizeof(dlr_keys[0])) {
            i++;
            continue;
        }
        if (dlr_keys[k].f == F_TEXT)
            break; /* the rest is message text, which may contain anything */
        size_t v = i + klen, e = v;
        while (e < len && txt[e] != ' ' && txt[e] != '\0')
            e++;
        store_field(out, dlr_keys[k].f, txt + v, e - v);
        if (dlr_keys[k].f == F_ID && e > v)
            have_id = true;
        i = e;
    }
    out->outcome = smpp_dlr_outcome_of(out->state);
    return have_id ? 0 : GY_EPARSE;
}

int
smpp_dlr_parse(const struct smpp_sm *sm, struct smpp_dlr *out)
{
    memset(out, 0, sizeof(*out));
    if (sm == NULL)
        return GY_EINVAL;
    uint8_t type = sm->esm_class & 0x3Cu;
    if (type != SMPP_ESM_DELIVERY_RECEIPT && type != 0x20u) /* receipt, intermediate */
        return GY_EINVAL;
    const char *txt = (const char *)sm->short_message;
    size_t len = sm->sm_length;
    if (sm->esm_class & SMPP_ESM_UDHI)
        len = 0; /* a report never carries a UDH; do not parse one as text */
    if (len == 0 && (sm->tlv.present & SMPP_TLV_MESSAGE_PAYLOAD)) {
        txt = (const char *)sm->tlv.message_payload;
        len = sm->tlv.message_payload_len;
    }
    int rc = smpp_dlr_parse_text(txt, len, out); /* zeroes out, fills what the text has */
    const struct smpp_tlvs *t = &sm->tlv;
    if ((t->present & SMPP_TLV_RECEIPTED_MESSAGE_ID) && t->receipted_message_id[0] != '\0') {
        gy_strlcpy(out->id, sizeof(out->id), t->receipted_message_id);
        out->from_tlv = true;
        rc = 0;
    }
    if (t->present & SMPP_TLV_MESSAGE_STATE)
        out->state = t->message_state;
    if (!out->has_err && (t->present & SMPP_TLV_NETWORK_ERROR_CODE)) {
        out->has_err = true;
        out->err = ((unsigned)t->network_error_code[1] << 8) | t->network_error_code[2];
    }
    out->outcome = smpp_dlr_outcome_of(out->state);
    return rc;
}
