/* SPDX-License-Identifier: GPL-3.0-or-later */
/* csv_text: strict UTF-8 validation, UTF-8/GBK detection and GBK -> UTF-8 via iconv. */
#include "db/csv_text.h"
#include "base/gy_err.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

int
csv_text_utf8_validate(const char *s, size_t len, size_t *err_off)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned lo = 0x80, hi = 0xBF; /* allowed range of the first continuation byte */
        if (c >= 0xC2 && c <= 0xDF)
            n = 2;
        else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0)
                lo = 0xA0; /* overlong */
            else if (c == 0xED)
                hi = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0)
                lo = 0x90; /* overlong */
            else if (c == 0xF4)
                hi = 0x8F; /* above U+10FFFF */
        } else
            goto bad; /* 0x80..0xC1 (continuation or overlong lead), 0xF5..0xFF */
        if (len - i < n || p[i + 1] < lo || p[i + 1] > hi)
            goto bad;
        for (size_t k = 2; k < n; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                goto bad;
        }
        i += n;
    }
    return 0;
bad:
    if (err_off != NULL)
        *err_off = i;
    return GY_EENCODING;
}

static int
copy_utf8(const char *in, size_t len, struct csv_text *out)
{
    out->data = malloc(len + 1);
    if (out->data == NULL)
        return GY_ENOMEM;
    memcpy(out->data, in, len);
    out->data[len] = '\0';
    out->len = len;
    return 0;
}

static int
gbk_to_utf8(const char *in, size_t len, struct csv_text *out, size_t *err_off)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return GY_EENCODING;
    /* Two GBK bytes give at most 3 UTF-8 bytes, four GB18030 bytes at most 4. */
    size_t cap = len * 2 + 16;
    char *buf = malloc(cap);
    if (buf == NULL) {
        iconv_close(cd);
        return GY_ENOMEM;
    }
    char *ip = (char *)in;
    size_t ileft = len;
    char *op = buf;
    size_t oleft = cap - 1;
    int rc = 0;
    if (iconv(cd, &ip, &ileft, &op, &oleft) == (size_t)-1) {
        rc = (errno == E2BIG) ? GY_ENOMEM : GY_EENCODING;
        if (err_off != NULL)
            *err_off = (size_t)(ip - in);
    } else if (iconv(cd, NULL, NULL, &op, &oleft) == (size_t)-1) {
        rc = GY_EENCODING;
        if (err_off != NULL)
            *err_off = len;
    }
    iconv_close(cd);
    if (rc != 0) {
        free(buf);
        return rc;
    }
    size_t n = (size_t)(op - buf);
    buf[n] = '\0';
    /* Never trust a converter blindly: the result must be strict UTF-8. */
    size_t bad = 0;
    if (csv_text_utf8_validate(buf, n, &bad) != 0) {
        free(buf);
        if (err_off != NULL)
            *err_off = 0;
        return GY_EENCODING;
    }
    out->data = buf;
    out->len = n;
    return 0;
}

int
csv_text_decode(const char *in, size_t len, enum csv_text_encoding want, struct csv_text *out,
                size_t *err_off)
{
    memset(out, 0, sizeof(*out));
    size_t off = 0;
    if (want != CSV_TEXT_GBK && len >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0) {
        out->bom = true;
        in += 3;
        len -= 3;
        off = 3;
    }
    size_t bad = 0;
    int rc;
    if (want != CSV_TEXT_GBK) {
        out->encoding = CSV_TEXT_UTF8;
        if (csv_text_utf8_validate(in, len, &bad) == 0)
            return copy_utf8(in, len, out);
        if (want == CSV_TEXT_UTF8 || out->bom) {
            /* A BOM says UTF-8: do not guess further. */
            if (err_off != NULL)
                *err_off = bad + off;
            return GY_EENCODING;
        }
    }
    out->encoding = CSV_TEXT_GBK;
    rc = gbk_to_utf8(in, len, out, &bad);
    if (rc != 0 && err_off != NULL)
        *err_off = bad + off;
    return rc;
}

void
csv_text_fini(struct csv_text *out)
{
    if (out == NULL)
        return;
    free(out->data);
    memset(out, 0, sizeof(*out));
}

long
csv_text_line_at(const char *s, size_t len, size_t off)
{
    long line = 1;
    if (off > len)
        off = len;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n')
            line++;
        else if (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n'))
            line++;
    }
    return line;
}
