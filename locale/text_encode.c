/* SPDX-License-Identifier: GPL-3.0-or-later */
/* text_encode: chooses and produces the cheapest coding a bind allows. GSM and UTF-16BE are
 * encoded here; GBK / GB18030 go through the iconv handles of the caller's text_codec. */
#include "locale/text_encode.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "locale/gsm7.h"
#include "locale/text_codec_int.h"
#include "locale/text_utf8.h"

void
text_encoded_fini(struct text_encoded *e)
{
    if (e == NULL)
        return;
    free(e->bytes);
    memset(e, 0, sizeof *e);
}

size_t
text_encoded_char_len(enum text_coding coding, const uint8_t *b, size_t len, size_t pos)
{
    size_t left = len - pos, n = 1;
    switch (coding) {
    case TEXT_CODING_GSM7:
        n = b[pos] == GSM7_ESC ? 2 : 1;
        break;
    case TEXT_CODING_UCS2:
        n = (b[pos] & 0xFC) == 0xD8 ? 4 : 2;
        break;
    case TEXT_CODING_GBK:
        if (b[pos] > 0x80 && b[pos] < 0xFF)
            n = left >= 2 && b[pos + 1] >= 0x30 && b[pos + 1] <= 0x39 ? 4 : 2;
        break;
    }
    return n < left ? n : left;
}

/* Decodes the code point at s[*pos]: a fast path for well-formed 1-3 byte forms, else
 * text_utf8_next. Same contract as text_utf8_next. */
static inline int32_t
next_cp(const char *s, size_t len, size_t *pos)
{
    const unsigned char *u = (const unsigned char *)s + *pos;
    size_t left = len - *pos;
    if (u[0] < 0x80) {
        *pos += 1;
        return u[0];
    }
    if (left >= 3 && u[0] >= 0xE1 && u[0] <= 0xEF && u[0] != 0xED && (u[1] & 0xC0) == 0x80 &&
        (u[2] & 0xC0) == 0x80) {
        *pos += 3;
        return (int32_t)(((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu));
    }
    return text_utf8_next(s, len, pos);
}

/* Scan: validates UTF-8 and writes GSM septets into out while every character has a GSM
 * form. Fills the scan facts; returns 0 or GY_EENCODING (invalid UTF-8, *bad set). */
struct scan {
    size_t n_chars;
    size_t gsm_len; /* septets written (valid when all_gsm) */
    int all_gsm;
    size_t non_gsm; /* 1 when some character has no GSM form (see count_non_gsm) */
    size_t first_non_gsm, first_non_gsm_idx;
    uint32_t first_non_gsm_cp;
    size_t n_supp; /* characters above U+FFFF */
    size_t first_supp, first_supp_idx;
    uint32_t first_supp_cp;
};

static int
scan_utf8(const char *s, size_t len, uint8_t *gsm, struct scan *sc, struct text_unencodable *bad)
{
    memset(sc, 0, sizeof *sc);
    sc->all_gsm = 1;
    size_t pos = 0, w = 0;
    while (pos < len) {
        size_t at = pos;
        unsigned char b = (unsigned char)s[pos];
        int32_t cp;
        if (b >= 0x20 && b < 0x80) {
            cp = b;
            pos++;
        } else {
            cp = next_cp(s, len, &pos);
            if (cp < 0) {
                if (bad != NULL) {
                    bad->offset = at;
                    bad->index = sc->n_chars;
                    bad->cp = TEXT_REPLACEMENT_CHAR;
                    bad->count = 1;
                    bad->invalid_utf8 = 1;
                }
                return GY_EENCODING;
            }
        }
        if (cp > 0xFFFF && sc->n_supp++ == 0) {
            sc->first_supp = at;
            sc->first_supp_idx = sc->n_chars;
            sc->first_supp_cp = (uint32_t)cp;
        }
        uint8_t sept[2];
        size_t n;
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
            cp == ' ' || cp == ',' || cp == '.') {
            sept[0] = (uint8_t)cp; /* identical in GSM 03.38 */
            n = 1;
        } else {
            n = sc->all_gsm ? gsm7_from_cp((uint32_t)cp, sept) : 1;
        }
        if (n == 0) {
            if (sc->non_gsm++ == 0) {
                sc->first_non_gsm = at;
                sc->first_non_gsm_idx = sc->n_chars;
                sc->first_non_gsm_cp = (uint32_t)cp;
            }
            sc->all_gsm = 0;
        } else if (sc->all_gsm) {
            gsm[w++] = sept[0];
            if (n == 2)
                gsm[w++] = sept[1];
        }
        sc->n_chars++;
    }
    sc->gsm_len = w;
    return 0;
}

/* Characters of valid UTF-8 s without a GSM form (error reports only). */
static size_t
count_non_gsm(const char *s, size_t len)
{
    size_t pos = 0, n = 0;
    while (pos < len) {
        uint8_t sept[2];
        if (gsm7_from_cp((uint32_t)next_cp(s, len, &pos), sept) == 0)
            n++;
    }
    return n;
}

static size_t
utf16_encode(const char *s, size_t len, uint8_t *out)
{
    size_t pos = 0, w = 0;
    while (pos < len) {
        uint32_t cp = (unsigned char)s[pos];
        if (cp < 0x80)
            pos++;
        else
            cp = (uint32_t)next_cp(s, len, &pos); /* validated by scan_utf8 */
        if (cp > 0xFFFF) {
            uint32_t v = cp - 0x10000;
            uint32_t hi = 0xD800 | (v >> 10), lo = 0xDC00 | (v & 0x3FF);
            out[w++] = (uint8_t)(hi >> 8);
            out[w++] = (uint8_t)hi;
            out[w++] = (uint8_t)(lo >> 8);
            out[w++] = (uint8_t)lo;
        } else {
            out[w++] = (uint8_t)(cp >> 8);
            out[w++] = (uint8_t)cp;
        }
    }
    return w;
}

/* iconv UTF-8 -> cd into out (cap bytes, enough for valid input). Returns the bytes written,
 * or (size_t)-1 when a character fails: then *first is its byte offset, *count how many
 * characters fail. */
static size_t
gb_encode(iconv_t cd, const char *s, size_t len, uint8_t *out, size_t cap, size_t *first,
          size_t *count)
{
    iconv(cd, NULL, NULL, NULL, NULL);
    char *src = (char *)(uintptr_t)s, *dst = (char *)out;
    size_t src_left = len, dst_left = cap, fails = 0;
    while (src_left > 0) {
        size_t r = iconv(cd, &src, &src_left, &dst, &dst_left);
        if (r != (size_t)-1)
            break;
        if (errno != EILSEQ && errno != EINVAL)
            break; /* E2BIG cannot happen with the caller's bound */
        if (fails++ == 0)
            *first = len - src_left;
        size_t pos = len - src_left;
        (void)text_utf8_next(s, len, &pos); /* skip the character */
        src_left = len - pos;
        src = (char *)(uintptr_t)(s + pos);
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    if (fails > 0) {
        *count = fails;
        return (size_t)-1;
    }
    /* r can report irreversible conversions: glibc GBK has none we accept silently
     * except fallbacks; those are counted as failures by EILSEQ above. */
    return cap - dst_left;
}

static void
set_bad(struct text_unencodable *bad, const char *s, size_t len, size_t off, size_t idx,
        uint32_t cp, size_t count)
{
    if (bad == NULL)
        return;
    bad->offset = off;
    if (idx == (size_t)-1)
        idx = text_utf8_count(s, off);
    bad->index = idx;
    if (cp == 0) {
        size_t p = off;
        int32_t v = off < len ? text_utf8_next(s, len, &p) : -1;
        cp = v < 0 ? TEXT_REPLACEMENT_CHAR : (uint32_t)v;
    }
    bad->cp = cp;
    bad->count = count;
    bad->invalid_utf8 = 0;
}

int
text_encode(struct text_codec *c, const char *utf8, size_t len, unsigned allow,
            struct text_encoded *out, struct text_unencodable *bad)
{
    if (out == NULL || (utf8 == NULL && len > 0) || allow == 0 ||
        ((allow & (TEXT_ALLOW_GBK | TEXT_ALLOW_GB18030)) && c == NULL))
        return GY_EINVAL;
    memset(out, 0, sizeof *out);
    if (len > SIZE_MAX / 4)
        return GY_ETOOBIG;
    if (utf8 == NULL)
        utf8 = "";
    size_t cap = 2 * len + 4;
    uint8_t *buf = malloc(cap);
    if (buf == NULL)
        return GY_ENOMEM;
    struct scan sc;
    int rc = scan_utf8(utf8, len, buf, &sc, bad);
    if (rc != 0) {
        free(buf);
        return rc;
    }
    out->bytes = buf;
    out->n_chars = sc.n_chars;
    if ((allow & TEXT_ALLOW_GSM7) && sc.all_gsm) {
        out->coding = TEXT_CODING_GSM7;
        out->data_coding = 0;
        out->len = sc.gsm_len;
        return 0;
    }
    size_t gb_first = 0, gb_count = 0;
    if (allow & (TEXT_ALLOW_GBK | TEXT_ALLOW_GB18030)) {
        size_t n = (size_t)-1;
        if (allow & TEXT_ALLOW_GBK)
            n = gb_encode(c->gbk_enc, utf8, len, buf, cap, &gb_first, &gb_count);
        if (n == (size_t)-1 && (allow & TEXT_ALLOW_GB18030))
            n = gb_encode(c->gb18030_enc, utf8, len, buf, cap, &gb_first, &gb_count);
        if (n != (size_t)-1) {
            out->coding = TEXT_CODING_GBK;
            out->data_coding = 15;
            out->len = n;
            return 0;
        }
    }
    if ((allow & TEXT_ALLOW_UTF16) || ((allow & TEXT_ALLOW_UCS2) && sc.n_supp == 0)) {
        out->coding = TEXT_CODING_UCS2;
        out->data_coding = 8;
        out->len = utf16_encode(utf8, len, buf);
        return 0;
    }
    /* Nothing carries it: report against the widest allowed coding. */
    text_encoded_fini(out);
    if (allow & TEXT_ALLOW_UCS2)
        set_bad(bad, utf8, len, sc.first_supp, sc.first_supp_idx, sc.first_supp_cp, sc.n_supp);
    else if (allow & (TEXT_ALLOW_GBK | TEXT_ALLOW_GB18030))
        set_bad(bad, utf8, len, gb_first, (size_t)-1, 0, gb_count);
    else
        set_bad(bad, utf8, len, sc.first_non_gsm, sc.first_non_gsm_idx, sc.first_non_gsm_cp,
                count_non_gsm(utf8, len));
    return GY_EENCODING;
}
