/* SPDX-License-Identifier: GPL-3.0-or-later */
/* text_decode: bytes -> UTF-8 by SMPP data_coding or by a USSD/CBS DCS (TS 23.038 §5).
 * GBK goes through glibc iconv as GB18030 (its superset) with 0x80 read as € by hand;
 * UTF-16BE, Latin-1, IA5 and GSM are decoded here. Every invalid unit becomes one U+FFFD. */
#include "locale/text_decode.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "locale/gsm7.h"
#include "locale/text_codec_int.h"

struct text_codec *
text_codec_new(void)
{
    struct text_codec *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->gb18030_dec = iconv_open("UTF-8", "GB18030");
    c->gbk_enc = iconv_open("GBK", "UTF-8");
    c->gb18030_enc = iconv_open("GB18030", "UTF-8");
    if (c->gb18030_dec == (iconv_t)-1 || c->gbk_enc == (iconv_t)-1 ||
        c->gb18030_enc == (iconv_t)-1) {
        text_codec_free(c);
        return NULL;
    }
    return c;
}

void
text_codec_free(struct text_codec *c)
{
    if (c == NULL)
        return;
    if (c->gb18030_dec != (iconv_t)-1 && c->gb18030_dec != NULL)
        iconv_close(c->gb18030_dec);
    if (c->gbk_enc != (iconv_t)-1 && c->gbk_enc != NULL)
        iconv_close(c->gbk_enc);
    if (c->gb18030_enc != (iconv_t)-1 && c->gb18030_enc != NULL)
        iconv_close(c->gb18030_enc);
    free(c);
}

/* Reserves room in out for len input bytes giving at most per output bytes each, plus
 * extra. Returns 0, or GY_ENOMEM (also when len is absurdly large). */
static int
direct_reserve(struct text_buf *out, size_t len, size_t per, size_t extra)
{
    if (len > SIZE_MAX / 4)
        return GY_ENOMEM;
    return text_buf_reserve(out, per * len + extra);
}

/* Ends a decoding written straight into out's storage up to w: sets the length, the
 * terminating NUL, and adds bad to *n_invalid (may be NULL). Returns 0. */
static int
direct_end(struct text_buf *out, const char *w, size_t bad, size_t *n_invalid)
{
    out->len = (size_t)(w - out->data);
    out->data[out->len] = '\0';
    if (n_invalid != NULL)
        *n_invalid += bad;
    return 0;
}

int
text_decode_latin1(const uint8_t *in, size_t len, struct text_buf *out)
{
    int rc = direct_reserve(out, len, 2, 0);
    if (rc != 0)
        return rc;
    char *w = out->data + out->len;
    for (size_t i = 0; i < len; i++) {
        uint8_t b = in[i];
        if (b < 0x80) {
            *w++ = (char)b;
        } else {
            *w++ = (char)(0xC0 | (b >> 6));
            *w++ = (char)(0x80 | (b & 0x3F));
        }
    }
    return direct_end(out, w, 0, NULL);
}

int
text_decode_ascii(const uint8_t *in, size_t len, struct text_buf *out, size_t *n_invalid)
{
    int rc = direct_reserve(out, len, 3, 0);
    if (rc != 0)
        return rc;
    size_t bad = 0;
    char *w = out->data + out->len;
    for (size_t i = 0; i < len; i++) {
        if (in[i] < 0x80) {
            *w++ = (char)in[i];
        } else {
            w += text_utf8_put(TEXT_REPLACEMENT_CHAR, w);
            bad++;
        }
    }
    return direct_end(out, w, bad, n_invalid);
}

int
text_decode_ucs2(const uint8_t *in, size_t len, struct text_buf *out, size_t *n_invalid)
{
    /* 2 input bytes give at most 3 output bytes; a pair of 4 gives 4; a tail gives 3. */
    int rc = direct_reserve(out, len, 2, 3);
    if (rc != 0)
        return rc;
    size_t bad = 0, i = 0;
    char *w = out->data + out->len;
    for (; i + 1 < len; i += 2) {
        uint32_t u = ((uint32_t)in[i] << 8) | in[i + 1];
        if (u < 0x80) {
            *w++ = (char)u;
            continue;
        }
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
            uint32_t lo = ((uint32_t)in[i + 2] << 8) | in[i + 3];
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            }
        }
        if (u >= 0xD800 && u <= 0xDFFF) { /* lone surrogate */
            u = TEXT_REPLACEMENT_CHAR;
            bad++;
        }
        w += text_utf8_put(u, w);
    }
    if (i < len) { /* odd length: a dangling byte */
        w += text_utf8_put(TEXT_REPLACEMENT_CHAR, w);
        bad++;
    }
    return direct_end(out, w, bad, n_invalid);
}

int
text_decode_gbk(struct text_codec *c, const uint8_t *in, size_t len, struct text_buf *out,
                size_t *n_invalid)
{
    if (c == NULL)
        return GY_EINVAL;
    if (len > SIZE_MAX / 4)
        return GY_ENOMEM;
    size_t bad = 0, i = 0;
    iconv(c->gb18030_dec, NULL, NULL, NULL, NULL);
    while (i < len) {
        /* ASCII runs are copied without iconv. */
        size_t j = i;
        while (j < len && in[j] < 0x80)
            j++;
        if (j > i) {
            int rc = text_buf_put(out, in + i, j - i);
            if (rc != 0)
                return rc;
            i = j;
            continue;
        }
        /* From a non-ASCII byte to the end: 2 bytes give at most 3 UTF-8 bytes. */
        size_t room = 2 * (len - i) + 4;
        int rc = text_buf_reserve(out, room);
        if (rc != 0)
            return rc;
        char *src = (char *)(uintptr_t)(in + i);
        size_t src_left = len - i;
        char *dst = out->data + out->len;
        size_t dst_left = out->cap - out->len - 1;
        size_t r = iconv(c->gb18030_dec, &src, &src_left, &dst, &dst_left);
        int err = errno;
        out->len = (size_t)(dst - out->data);
        out->data[out->len] = '\0';
        i = len - src_left;
        if (r != (size_t)-1)
            break;
        if (err == E2BIG)
            continue; /* not expected with the bound above; grow and go on */
        iconv(c->gb18030_dec, NULL, NULL, NULL, NULL);
        if (err == EILSEQ && in[i] == 0x80) {
            /* GBK/CP936 single-byte euro; glibc's GB18030 rejects it. */
            rc = text_buf_put_cp(out, 0x20AC);
            i++;
        } else if (err == EILSEQ) {
            rc = text_buf_put_cp(out, TEXT_REPLACEMENT_CHAR);
            bad++;
            i++;
        } else { /* EINVAL: a truncated double or four-byte tail */
            rc = text_buf_put_cp(out, TEXT_REPLACEMENT_CHAR);
            bad++;
            i = len;
        }
        if (rc != 0)
            return rc;
    }
    if (out->data == NULL) {
        int rc = text_buf_reserve(out, 0);
        if (rc != 0)
            return rc;
    }
    if (n_invalid != NULL)
        *n_invalid += bad;
    return 0;
}

/* GSM 7-bit, packed or one septet per octet; skip_septets drops a language prefix. */
static int
decode_gsm(const uint8_t *in, size_t len, int packed, const struct text_decode_opts *o,
           size_t skip_septets, struct text_buf *out, size_t *n_invalid)
{
    if (!packed) {
        if (skip_septets > len)
            skip_septets = len;
        return gsm7_decode_septets(in + skip_septets, len - skip_septets, out, n_invalid);
    }
    unsigned fill = o ? o->fill_bits : 0;
    if (fill > 6)
        return GY_EINVAL;
    size_t avail = gsm7_septets_in(len, fill);
    size_t n = o && o->n_septets ? o->n_septets : avail;
    if (n > avail)
        return GY_EINVAL;
    if (n == 0)
        return text_buf_reserve(out, 0);
    uint8_t stack[512];
    uint8_t *sept = n <= sizeof stack ? stack : malloc(n);
    if (sept == NULL)
        return GY_ENOMEM;
    int rc = gsm7_unpack(in, len, fill, sept, n);
    /* TS 23.038 §6.1.2.3.1: seven spare bits in the last octet carry CR as padding. */
    if (rc == 0 && !(o && o->n_septets) && (8 * len - fill) % 7 == 0 && sept[n - 1] == 0x0D)
        n--;
    if (skip_septets > n)
        skip_septets = n;
    if (rc == 0)
        rc = gsm7_decode_septets(sept + skip_septets, n - skip_septets, out, n_invalid);
    if (sept != stack)
        free(sept);
    return rc;
}

static int
decode_smpp(struct text_codec *c, uint8_t dc, const uint8_t *in, size_t len,
            const struct text_decode_opts *o, struct text_buf *out, size_t *n_inv)
{
    switch (dc) {
    case 0:
        switch (o ? o->dc0 : TEXT_DC0_GSM7_UNPACKED) {
        case TEXT_DC0_GSM7_UNPACKED:
            return decode_gsm(in, len, 0, o, 0, out, n_inv);
        case TEXT_DC0_GSM7_PACKED:
            return decode_gsm(in, len, 1, o, 0, out, n_inv);
        case TEXT_DC0_ASCII:
            return text_decode_ascii(in, len, out, n_inv);
        case TEXT_DC0_LATIN1:
            return text_decode_latin1(in, len, out);
        }
        return GY_EINVAL;
    case 1:
        return text_decode_ascii(in, len, out, n_inv);
    case 3:
        return text_decode_latin1(in, len, out);
    case 8:
        return text_decode_ucs2(in, len, out, n_inv);
    case 15:
        return text_decode_gbk(c, in, len, out, n_inv);
    default:
        break;
    }
    if (dc >= 0xF0) { /* message class group: bit 2 chooses 8-bit data over GSM 7-bit */
        if (dc & 0x04)
            return GY_EENCODING;
        int packed = o && o->dc0 == TEXT_DC0_GSM7_PACKED;
        return decode_gsm(in, len, packed, o, 0, out, n_inv);
    }
    return GY_EENCODING; /* 2/4 binary, 5-7/9-14 not supported */
}

/* CBS/USSD data coding scheme, TS 23.038 §5. 8-bit data is read as Latin-1. */
static int
decode_ussd(struct text_codec *c, uint8_t dcs, const uint8_t *in, size_t len,
            const struct text_decode_opts *o, struct text_buf *out, size_t *n_inv)
{
    (void)c;
    int packed = o == NULL || o->ussd_gsm7_packed;
    unsigned group = dcs >> 4;
    unsigned alphabet = 0; /* 0 GSM 7-bit, 1 8-bit, 2 UCS-2 */
    if (group == 0x1) {
        if (dcs == 0x10) /* GSM 7-bit preceded by a language: 2 letters and CR */
            return decode_gsm(in, len, packed, o, 3, out, n_inv);
        if (dcs == 0x11) { /* UCS-2 preceded by 2 octets of packed language */
            size_t skip = len < 2 ? len : 2;
            return text_decode_ucs2(in + skip, len - skip, out, n_inv);
        }
    } else if ((group & 0xC) == 0x4 || group == 0x9) { /* general data coding / UDH group */
        if (group != 0x9 && (dcs & 0x20))
            return GY_EENCODING; /* compressed */
        alphabet = (dcs >> 2) & 0x3;
        if (alphabet == 3)
            alphabet = 0;
    } else if (group == 0xE) {
        return GY_EENCODING; /* defined by WAP */
    } else if (group == 0xF) {
        alphabet = (dcs & 0x04) ? 1 : 0;
    }
    /* Other groups: languages with GSM 7-bit, reserved ones assumed GSM 7-bit (§5). */
    if (alphabet == 1)
        return text_decode_latin1(in, len, out);
    if (alphabet == 2)
        return text_decode_ucs2(in, len, out, n_inv);
    return decode_gsm(in, len, packed, o, 0, out, n_inv);
}

int
text_decode(struct text_codec *c, uint8_t dcs, const uint8_t *in, size_t len,
            const struct text_decode_opts *opts, struct text_buf *out, size_t *n_invalid)
{
    if (out == NULL || (in == NULL && len > 0))
        return GY_EINVAL;
    static const uint8_t empty[1] = {0};
    if (in == NULL)
        in = empty;
    size_t bad = 0;
    size_t mark = out->len;
    int rc;
    if (opts != NULL && opts->scheme == TEXT_SCHEME_USSD)
        rc = decode_ussd(c, dcs, in, len, opts, out, &bad);
    else
        rc = decode_smpp(c, dcs, in, len, opts, out, &bad);
    if (rc != 0) {
        if (out->data != NULL) {
            out->len = mark;
            out->data[mark] = '\0';
        }
        return rc;
    }
    if (n_invalid != NULL)
        *n_invalid = bad;
    return 0;
}

enum text_dcs_scheme
text_ussd_scheme(uint8_t dcs)
{
    return (dcs == 0x00 || dcs == 0x01 || dcs == 0x03 || dcs == 0x08) ? TEXT_SCHEME_SMPP
                                                                      : TEXT_SCHEME_USSD;
}
