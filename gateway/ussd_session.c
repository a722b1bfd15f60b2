/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ussd_session: classification, session keys and reply fields of USSD over SMPP for one
 * bind's dialect (gy_ussd_bind). Reads and writes plain struct smpp_sm only; it never sends,
 * logs or allocates. */
#include "gateway/ussd_session.h"

#include "base/gy_err.h"
#include "base/gy_log.h"

#include <stdio.h>
#include <string.h>

const char *
ussd_kind_name(enum ussd_kind kind)
{
    switch (kind) {
    case USSD_NOT:
        return "not-ussd";
    case USSD_START:
        return "start";
    case USSD_CONTINUE:
        return "continue";
    case USSD_END:
        return "end";
    case USSD_UNKNOWN:
        return "unknown-op";
    default:
        return "?";
    }
}

static bool
op_listed(const struct gy_ussd_bind *ub, int op)
{
    for (size_t i = 0; i < ub->n_op_end_in && i < GY_CONFIG_MAX_OPS; i++)
        if (ub->op_end_in[i] == op)
            return true;
    return false;
}

static bool
is_code_char(unsigned c)
{
    return (c >= '0' && c <= '9') || c == '*' || c == '#' || c == '+';
}

static bool
is_blank(unsigned c)
{
    return c == ' ' || c == '\0' || c == '\r' || c == '\n' || c == '\t';
}

/* Copies a USSD code ("*188#", "188") out of n units of p (2 octets big-endian each when
 * wide), blanks around it ignored. Returns true when the whole text is such a code. */
static bool
code_from_units(const uint8_t *p, size_t n_octets, bool wide, char *out)
{
    size_t step = wide ? 2 : 1;
    size_t units = n_octets / step;
    size_t a = 0, b = units;
    unsigned c;
#define UNIT(i) (wide ? ((unsigned)p[2 * (i)] << 8 | p[2 * (i) + 1]) : (unsigned)p[(i)])
    while (a < b && is_blank(UNIT(a)))
        a++;
    while (b > a && is_blank(UNIT(b - 1)))
        b--;
    if (a == b || b - a >= USSD_CODE_SIZE)
        return false;
    size_t k = 0;
    for (size_t i = a; i < b; i++) {
        c = UNIT(i);
        if (!is_code_char(c))
            return false;
        out[k++] = (char)c;
    }
#undef UNIT
    out[k] = '\0';
    /* a lone "+" or "#" is no code */
    for (size_t i = 0; i < k; i++)
        if (out[i] >= '0' && out[i] <= '9')
            return true;
    out[0] = '\0';
    return false;
}

static bool
dc_is_ucs2(uint8_t dc)
{
    return dc == 0x08 || dc == 0x48;
}

static void
find_code(const struct smpp_sm *sm, struct ussd_in *in)
{
    if (in->text_len > 0 &&
        code_from_units(in->text, in->text_len, dc_is_ucs2(sm->data_coding), in->code)) {
        in->code_from = "short_message";
        return;
    }
    size_t n = strnlen(sm->destination_addr, sizeof sm->destination_addr);
    if (code_from_units((const uint8_t *)sm->destination_addr, n, false, in->code)) {
        in->code_from = "destination_addr";
        return;
    }
    in->code[0] = '\0';
    in->code_from = "";
}

static bool
number_ok(const char *s, size_t size)
{
    size_t n = strnlen(s, size);
    if (n == size)
        return false;
    size_t i = s[0] == '+' ? 1 : 0;
    if (i == n)
        return false;
    for (; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int
make_key(const struct smpp_sm *sm, const struct gy_ussd_bind *ub, unsigned bind, struct ussd_in *in)
{
    enum session_key_kind kind = SESSION_KEY_MSISDN;
    unsigned id = 0;
    in->key_from = GY_USSD_KEY_MSISDN;
    switch (ub->session_key) {
    case GY_USSD_KEY_AUTO:
        if (in->has_its) {
            kind = SESSION_KEY_ITS;
            id = smpp_its_session_number(in->its);
            in->key_from = GY_USSD_KEY_ITS;
        } else if (in->has_umr) {
            kind = SESSION_KEY_UMR;
            id = in->umr;
            in->key_from = GY_USSD_KEY_UMR;
        }
        break;
    case GY_USSD_KEY_ITS:
        if (in->has_its) {
            kind = SESSION_KEY_ITS;
            id = smpp_its_session_number(in->its);
            in->key_from = GY_USSD_KEY_ITS;
        } else {
            in->key_fallback = true;
        }
        break;
    case GY_USSD_KEY_UMR:
        if (in->has_umr) {
            kind = SESSION_KEY_UMR;
            id = in->umr;
            in->key_from = GY_USSD_KEY_UMR;
        } else {
            in->key_fallback = true;
        }
        break;
    case GY_USSD_KEY_MSISDN:
    default:
        break;
    }
    if (!number_ok(sm->source_addr, sizeof sm->source_addr))
        return GY_EINVAL;
    return session_key_set(&in->key, SESSION_CH_USSD, kind, bind, id, sm->source_addr);
}

int
ussd_classify(const struct smpp_sm *sm, const struct gy_ussd_bind *ub, unsigned bind,
              struct ussd_in *in)
{
    if (in != NULL) {
        memset(in, 0, sizeof *in);
        in->op = -1;
        in->code_from = "";
    }
    if (sm == NULL || ub == NULL || in == NULL || bind > UINT16_MAX)
        return GY_EINVAL;

    const struct smpp_tlvs *tlv = &sm->tlv;
    if (tlv->present & SMPP_TLV_USSD_SERVICE_OP)
        in->op = tlv->ussd_service_op;
    if (tlv->present & SMPP_TLV_ITS_SESSION_INFO) {
        in->has_its = true;
        in->its = tlv->its_session_info;
        in->end_bit = smpp_its_end_of_session(in->its);
    }
    if (tlv->present & SMPP_TLV_USER_MESSAGE_REFERENCE) {
        in->has_umr = true;
        in->umr = tlv->user_message_reference;
    }
    in->data_coding = sm->data_coding;
    if (tlv->present & SMPP_TLV_MESSAGE_PAYLOAD) {
        in->text = tlv->message_payload;
        in->text_len = tlv->message_payload_len <= SMPP_PAYLOAD_MAX ? tlv->message_payload_len
                                                                    : SMPP_PAYLOAD_MAX;
    } else {
        in->text = sm->short_message;
        in->text_len =
            sm->sm_length <= SMPP_SHORT_MESSAGE_MAX ? sm->sm_length : SMPP_SHORT_MESSAGE_MAX;
    }
    in->echo.has_its = in->has_its;
    in->echo.its = in->its;
    in->echo.has_umr = in->has_umr;
    in->echo.umr = in->umr;

    if (in->op < 0 || !ub->enabled || (sm->esm_class & SMPP_ESM_DELIVERY_RECEIPT) != 0) {
        in->kind = USSD_NOT;
        return 0;
    }
    /* A start is a start whatever its end bit says; an end op wins over everything else. */
    if (in->op == ub->op_start)
        in->kind = USSD_START;
    else if (op_listed(ub, in->op))
        in->kind = USSD_END;
    else if (ub->end_bit && in->end_bit)
        in->kind = USSD_END;
    else if (in->op == ub->op_continue_in)
        in->kind = USSD_CONTINUE;
    else
        in->kind = USSD_UNKNOWN;

    if (in->kind == USSD_START)
        find_code(sm, in);
    return make_key(sm, ub, bind, in);
}

char *
ussd_in_describe(const struct ussd_in *in, char *buf, size_t n)
{
    if (buf == NULL || n == 0)
        return buf;
    if (in == NULL) {
        snprintf(buf, n, "-");
        return buf;
    }
    char op[16] = "-", its[16] = "-", umr[16] = "-", key[96] = "-";
    if (in->op >= 0)
        snprintf(op, sizeof op, "0x%02x", (unsigned)in->op);
    if (in->has_its)
        snprintf(its, sizeof its, "0x%04x", in->its);
    if (in->has_umr)
        snprintf(umr, sizeof umr, "%u", in->umr);
    if (in->key.msisdn[0] != '\0')
        session_key_describe(&in->key, key, sizeof key);
    snprintf(buf, n, "op=%s its=%s umr=%s end=%d dcs=0x%02x key=%s%s code=%s%s%s%s kind=%s", op,
             its, umr, in->end_bit ? 1 : 0, in->data_coding, key,
             in->key_fallback ? "(fallback)" : "", in->code[0] != '\0' ? in->code : "-",
             in->code_from[0] != '\0' ? "(" : "", in->code_from,
             in->code_from[0] != '\0' ? ")" : "", ussd_kind_name(in->kind));
    return buf;
}

uint8_t
ussd_reply_data_coding(const struct gy_ussd_bind *ub, bool ucs2)
{
    int dcs = ub != NULL && ub->data_coding == 0x48 ? 0x48 : 0x08;
    if (ucs2)
        return (uint8_t)dcs;
    return dcs == 0x48 ? 0x0F : 0x00;
}

int
ussd_reply_fill(const struct gy_ussd_bind *ub, const struct session_key *key,
                const struct session_echo *echo, bool final, bool ucs2, const uint8_t *text,
                size_t n, struct smpp_sm *sm)
{
    if (sm != NULL)
        memset(sm, 0, sizeof *sm);
    if (ub == NULL || key == NULL || sm == NULL || (text == NULL && n != 0))
        return GY_EINVAL;
    size_t max = ub->max_octets > 0 ? (size_t)ub->max_octets : 160;
    if (max > SMPP_SHORT_MESSAGE_ENCODE_MAX)
        max = SMPP_SHORT_MESSAGE_ENCODE_MAX;
    if (n > max)
        return GY_ETOOBIG;
    const char *num = key->msisdn;
    size_t nl = strnlen(num, sizeof key->msisdn);
    if (nl == 0 || nl >= sizeof sm->destination_addr)
        return GY_EINVAL;
    memcpy(sm->destination_addr, num, nl);
    if (ub->service_type != NULL) {
        size_t sl = strnlen(ub->service_type, sizeof sm->service_type);
        if (sl >= sizeof sm->service_type)
            return GY_EINVAL;
        memcpy(sm->service_type, ub->service_type, sl);
    }
    int op = final ? ub->op_end_out : ub->op_continue_out;
    if (op < 0 || op > 255)
        return GY_EINVAL;
    sm->tlv.present |= SMPP_TLV_USSD_SERVICE_OP;
    sm->tlv.ussd_service_op = (uint8_t)op;
    if (echo != NULL && echo->has_its) {
        sm->tlv.present |= SMPP_TLV_ITS_SESSION_INFO;
        sm->tlv.its_session_info =
            (uint16_t)(final ? (echo->its | 1u) : (echo->its & (uint16_t)~1u));
    }
    if (echo != NULL && echo->has_umr) {
        sm->tlv.present |= SMPP_TLV_USER_MESSAGE_REFERENCE;
        sm->tlv.user_message_reference = echo->umr;
    }
    sm->registered_delivery = 0;
    sm->esm_class = 0;
    sm->data_coding = ussd_reply_data_coding(ub, ucs2);
    sm->sm_length = (uint8_t)n;
    if (n > 0)
        memcpy(sm->short_message, text, n);
    return 0;
}
