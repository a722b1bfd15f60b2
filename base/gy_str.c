/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gy_str: bounded, UTF-8-aware string copies (see gy_str.h). */
#include "base/gy_str.h"

#include <string.h>

/* Copies src[0..len) (no NUL inside) into dst[size], cut before a character that would
 * not fit whole. */
static void
copy_cut(char *dst, size_t size, const char *src, size_t len)
{
    size_t n = len;
    if (n >= size) {
        n = size - 1;
        /* src[n] is the first octet left out: when it continues a character, that
         * character's lead octet and the rest of it go too. */
        while (n > 0 && ((unsigned char)src[n] & 0xC0u) == 0x80u)
            n--;
    }
    if (n > 0)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

size_t
gy_strlcpy_n(char *dst, size_t size, const char *src, size_t len)
{
    if (src == NULL)
        len = 0;
    else if (len > 0) {
        const char *nul = memchr(src, '\0', len);
        if (nul != NULL)
            len = (size_t)(nul - src);
    }
    if (size > 0)
        copy_cut(dst, size, src, len);
    return len;
}

size_t
gy_strlcpy(char *dst, size_t size, const char *src)
{
    size_t len = src != NULL ? strlen(src) : 0;
    if (size > 0)
        copy_cut(dst, size, src, len);
    return len;
}
