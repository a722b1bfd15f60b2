/* SPDX-License-Identifier: GPL-3.0-or-later */
/* text_split: cuts an encoded text into submit_sm parts between whole characters, adds the
 * UDH or the SAR values, packs GSM septets when the bind wants it, and applies the
 * max-parts policy (truncate with an ellipsis, or refuse). */
#include "locale/text_split.h"

#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "locale/gsm7.h"

void
text_split_fini(struct text_split *s)
{
    if (s == NULL)
        return;
    free(s->parts);
    free(s->payload);
    memset(s, 0, sizeof *s);
}

size_t
text_split_capacity(enum text_coding coding, enum text_concat concat, int single)
{
    if (coding == TEXT_CODING_GSM7)
        return single ? 160 : concat == TEXT_CONCAT_UDH16 ? 152 : 153;
    if (coding == TEXT_CODING_UCS2)
        return single ? 140 : concat == TEXT_CONCAT_UDH16 ? 132 : 134;
    return single ? 140 : concat == TEXT_CONCAT_UDH16 ? 133 : 134;
}

/* End (exclusive) of the longest run of whole characters from start within cap units.
 * One tight loop per coding: the cut is only ever moved back over the last character. */
static size_t
fill_to(const struct text_encoded *e, size_t start, size_t cap)
{
    const uint8_t *b = e->bytes;
    size_t len = e->len, limit = start + cap, pos = start, last = start;
    if (limit >= len)
        return len; /* the rest fits (a dangling half character stays with it) */
    switch (e->coding) {
    case TEXT_CODING_GSM7:
        while (pos < limit) {
            last = pos;
            pos += b[pos] == GSM7_ESC ? 2 : 1;
        }
        break;
    case TEXT_CODING_UCS2:
        while (pos < limit) {
            last = pos;
            pos += (b[pos] & 0xFC) == 0xD8 ? 4 : 2;
        }
        break;
    case TEXT_CODING_GBK:
        while (pos < limit) {
            last = pos;
            uint8_t c = b[pos];
            if (c <= 0x80 || c == 0xFF)
                pos += 1;
            else /* pos + 1 <= limit < len */
                pos += b[pos + 1] >= 0x30 && b[pos + 1] <= 0x39 ? 4 : 2;
        }
        break;
    }
    return pos > limit ? last : pos;
}

static size_t
count_segments(const struct text_encoded *e, size_t cap)
{
    size_t n = 0, pos = 0;
    while (pos < e->len) {
        size_t end = fill_to(e, pos, cap);
        if (end == pos) /* cannot happen: cap >= 4 */
            return SIZE_MAX;
        pos = end;
        n++;
    }
    return n;
}

static const uint8_t marker_gsm[] = {0x2E, 0x2E, 0x2E}; /* "..." */
static const uint8_t marker_ucs2[] = {0x20, 0x26};      /* U+2026 */
static const uint8_t marker_gbk[] = {0xA1, 0xAD};       /* U+2026 in GBK */

/* Replaces e's bytes by the prefix that fits max_parts parts plus the ellipsis marker. */
static int
truncate_to(struct text_encoded *e, size_t max_parts, size_t single_cap, size_t cap)
{
    const uint8_t *m = e->coding == TEXT_CODING_GSM7   ? marker_gsm
                       : e->coding == TEXT_CODING_UCS2 ? marker_ucs2
                                                       : marker_gbk;
    size_t mlen = e->coding == TEXT_CODING_GSM7 ? sizeof marker_gsm : 2;
    size_t keep;
    if (max_parts == 1) {
        keep = fill_to(e, 0, single_cap - mlen);
    } else {
        keep = 0;
        for (size_t i = 0; i + 1 < max_parts; i++)
            keep = fill_to(e, keep, cap);
        keep = fill_to(e, keep, cap - mlen);
    }
    /* e->bytes holds at least 2 * len + 4 octets, keep < len, so the marker fits. */
    memcpy(e->bytes + keep, m, mlen);
    e->len = keep + mlen;
    return 0;
}

static size_t
udh_write(uint8_t *sm, enum text_concat concat, uint16_t ref, size_t total, size_t seq)
{
    if (concat == TEXT_CONCAT_UDH8) {
        const uint8_t h[6] = {0x05, 0x00, 0x03, (uint8_t)ref, (uint8_t)total, (uint8_t)seq};
        memcpy(sm, h, sizeof h);
        return sizeof h;
    }
    const uint8_t h[7] = {0x06,         0x08,           0x04,        (uint8_t)(ref >> 8),
                          (uint8_t)ref, (uint8_t)total, (uint8_t)seq};
    memcpy(sm, h, sizeof h);
    return sizeof h;
}

/* Puts units [from, to) of e after hdr octets of p->sm (packing GSM if asked). */
static int
part_body(struct text_part *p, size_t hdr, const struct text_encoded *e, size_t from, size_t to,
          int packed)
{
    size_t n = to - from;
    p->n_units = n;
    if (e->coding == TEXT_CODING_GSM7 && packed) {
        unsigned fill = (unsigned)((7 - (hdr * 8) % 7) % 7);
        int w = gsm7_pack(e->bytes + from, n, fill, p->sm + hdr, TEXT_SM_MAX - hdr);
        if (w < 0)
            return w;
        p->sm_len = hdr + (size_t)w;
        return 0;
    }
    if (hdr + n > TEXT_SM_MAX)
        return GY_ETOOBIG;
    memcpy(p->sm + hdr, e->bytes + from, n);
    p->sm_len = hdr + n;
    return 0;
}

static int
make_payload(struct text_encoded *e, int packed, struct text_split *out)
{
    size_t cap = e->len + 1;
    out->payload = malloc(cap);
    out->parts = calloc(1, sizeof *out->parts);
    if (out->payload == NULL || out->parts == NULL)
        return GY_ENOMEM;
    out->n_parts = 1;
    if (e->coding == TEXT_CODING_GSM7 && packed) {
        int w = gsm7_pack(e->bytes, e->len, 0, out->payload, cap);
        if (w < 0)
            return w;
        out->payload_len = (size_t)w;
    } else {
        if (e->len > 0)
            memcpy(out->payload, e->bytes, e->len);
        out->payload_len = e->len;
    }
    out->parts[0].n_units = e->len;
    return 0;
}

/* e is modified in place by truncation; the caller owns it. */
static int
split_owned(struct text_encoded *e, const struct text_split_opts *o, struct text_split *out)
{
    memset(out, 0, sizeof *out);
    if (o->concat > TEXT_CONCAT_PAYLOAD || o->overflow > TEXT_OVERFLOW_REFUSE || o->max_parts > 255)
        return GY_EINVAL;
    size_t max_parts = o->max_parts ? o->max_parts : 255;
    enum text_concat cc = o->concat == TEXT_CONCAT_PAYLOAD ? TEXT_CONCAT_UDH8 : o->concat;
    size_t single_cap = text_split_capacity(e->coding, cc, 1);
    size_t cap = text_split_capacity(e->coding, cc, 0);
    size_t nseg = e->len <= single_cap ? 1 : count_segments(e, cap);
    if (nseg > max_parts) {
        if (o->overflow == TEXT_OVERFLOW_REFUSE)
            return GY_ETOOBIG;
        int rc = truncate_to(e, max_parts, single_cap, cap);
        if (rc != 0)
            return rc;
        out->truncated = 1;
        nseg = e->len <= single_cap ? 1 : count_segments(e, cap);
    }
    out->coding = e->coding;
    out->data_coding = e->data_coding;
    out->n_segments = nseg;
    int rc;
    if (o->concat == TEXT_CONCAT_PAYLOAD) {
        rc = make_payload(e, o->gsm7_packed, out);
    } else if (nseg == 1) {
        out->parts = calloc(1, sizeof *out->parts);
        if (out->parts == NULL)
            return GY_ENOMEM;
        out->n_parts = 1;
        rc = part_body(&out->parts[0], 0, e, 0, e->len, o->gsm7_packed);
    } else {
        out->parts = calloc(nseg, sizeof *out->parts);
        if (out->parts == NULL)
            return GY_ENOMEM;
        out->n_parts = nseg;
        size_t pos = 0;
        rc = 0;
        for (size_t i = 0; i < nseg && rc == 0; i++) {
            struct text_part *p = &out->parts[i];
            size_t end = fill_to(e, pos, cap);
            size_t hdr = 0;
            if (o->concat == TEXT_CONCAT_SAR) {
                p->sar = 1;
                p->sar_ref = o->ref;
                p->sar_total = (uint8_t)nseg;
                p->sar_seq = (uint8_t)(i + 1);
            } else {
                p->udhi = 1;
                hdr = udh_write(p->sm, o->concat, o->ref, nseg, i + 1);
            }
            rc = part_body(p, hdr, e, pos, end, o->gsm7_packed);
            pos = end;
        }
    }
    if (rc != 0)
        text_split_fini(out);
    return rc;
}

int
text_split_encoded(const struct text_encoded *enc, const struct text_split_opts *opts,
                   struct text_split *out)
{
    if (enc == NULL || opts == NULL || out == NULL || (enc->bytes == NULL && enc->len > 0))
        return GY_EINVAL;
    struct text_encoded copy = *enc;
    copy.bytes = malloc(2 * enc->len + 4);
    if (copy.bytes == NULL)
        return GY_ENOMEM;
    if (enc->len > 0)
        memcpy(copy.bytes, enc->bytes, enc->len);
    int rc = split_owned(&copy, opts, out);
    text_encoded_fini(&copy);
    return rc;
}

int
text_split_make(struct text_codec *c, const char *utf8, size_t len,
                const struct text_split_opts *opts, struct text_split *out,
                struct text_unencodable *bad)
{
    if (opts == NULL || out == NULL || (utf8 == NULL && len > 0))
        return GY_EINVAL;
    memset(out, 0, sizeof *out);
    size_t slen = opts->signature ? strlen(opts->signature) : 0;
    if (len > SIZE_MAX / 4 - slen)
        return GY_ETOOBIG;
    char *all = NULL;
    const char *text = utf8;
    if (slen > 0) {
        all = malloc(slen + len + 1);
        if (all == NULL)
            return GY_ENOMEM;
        memcpy(all, opts->signature, slen);
        if (len > 0)
            memcpy(all + slen, utf8, len);
        all[slen + len] = '\0';
        text = all;
    }
    struct text_encoded enc;
    unsigned allow = opts->allow ? opts->allow : TEXT_ALLOW_DEFAULT;
    int rc = text_encode(c, text, slen + len, allow, &enc, bad);
    free(all);
    if (rc != 0)
        return rc;
    rc = split_owned(&enc, opts, out);
    text_encoded_fini(&enc);
    return rc;
}
