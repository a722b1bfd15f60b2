/* SPDX-License-Identifier: GPL-3.0-or-later */
/* text_utf8: strict UTF-8 decoding (maximal-subpart error recovery as in Unicode ch. 3) and
 * the growable UTF-8 output buffer of the decoders. No I/O, no logging, no globals. */
#include "locale/text_utf8.h"

#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"

void
text_buf_init(struct text_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void
text_buf_fini(struct text_buf *b)
{
    if (b == NULL)
        return;
    free(b->data);
    text_buf_init(b);
}

void
text_buf_reset(struct text_buf *b)
{
    b->len = 0;
    if (b->data != NULL)
        b->data[0] = '\0';
}

int
text_buf_reserve(struct text_buf *b, size_t extra)
{
    if (extra > SIZE_MAX / 2 - b->len - 1)
        return GY_ENOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (p == NULL)
        return GY_ENOMEM;
    if (b->data == NULL)
        p[0] = '\0';
    b->data = p;
    b->cap = cap;
    return 0;
}

int
text_buf_put(struct text_buf *b, const void *p, size_t n)
{
    int rc = text_buf_reserve(b, n);
    if (rc != 0)
        return rc;
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

size_t
text_utf8_put(uint32_t cp, char out[4])
{
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        cp = TEXT_REPLACEMENT_CHAR;
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

int
text_buf_put_cp(struct text_buf *b, uint32_t cp)
{
    if (b->len + 5 > b->cap) {
        int rc = text_buf_reserve(b, 4);
        if (rc != 0)
            return rc;
    }
    b->len += text_utf8_put(cp, b->data + b->len);
    b->data[b->len] = '\0';
    return 0;
}

int32_t
text_utf8_next(const char *s, size_t len, size_t *pos)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t p = *pos;
    unsigned b0 = u[p];
    if (b0 < 0x80) {
        *pos = p + 1;
        return (int32_t)b0;
    }
    size_t need;
    unsigned lo = 0x80, hi = 0xBF;
    uint32_t cp;
    if (b0 < 0xC2) {
        *pos = p + 1;
        return -1;
    } else if (b0 < 0xE0) {
        need = 1;
        cp = b0 & 0x1F;
    } else if (b0 < 0xF0) {
        need = 2;
        cp = b0 & 0x0F;
        if (b0 == 0xE0)
            lo = 0xA0; /* overlong */
        else if (b0 == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (b0 < 0xF5) {
        need = 3;
        cp = b0 & 0x07;
        if (b0 == 0xF0)
            lo = 0x90; /* overlong */
        else if (b0 == 0xF4)
            hi = 0x8F; /* > U+10FFFF */
    } else {
        *pos = p + 1;
        return -1;
    }
    size_t i = 1;
    for (; i <= need; i++) {
        if (p + i >= len)
            break;
        unsigned c = u[p + i];
        if (c < lo || c > hi)
            break;
        lo = 0x80;
        hi = 0xBF;
        cp = (cp << 6) | (c & 0x3F);
    }
    *pos = p + i;
    if (i <= need)
        return -1;
    return (int32_t)cp;
}

int
text_utf8_validate(const char *s, size_t len, size_t *err_off)
{
    size_t pos = 0;
    while (pos < len) {
        /* ASCII run fast path */
        if ((unsigned char)s[pos] < 0x80) {
            pos++;
            continue;
        }
        size_t at = pos;
        if (text_utf8_next(s, len, &pos) < 0) {
            if (err_off != NULL)
                *err_off = at;
            return GY_EENCODING;
        }
    }
    return 0;
}

size_t
text_utf8_count(const char *s, size_t len)
{
    size_t pos = 0, n = 0;
    while (pos < len) {
        text_utf8_next(s, len, &pos);
        n++;
    }
    return n;
}
