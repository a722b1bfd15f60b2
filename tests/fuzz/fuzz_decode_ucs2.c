/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for data_coding 8 (UCS-2 read as UTF-16BE): any bytes decode to valid
 * UTF-8 with one counted U+FFFD per lone surrogate or odd byte; well-formed UTF-16BE
 * without U+FFFD re-encodes to the very same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "locale/text_decode.h"
#include "locale/text_encode.h"
#include "locale/text_utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    struct text_buf b;
    text_buf_init(&b);
    size_t bad = 0;
    if (text_decode(NULL, 8, data, size, NULL, &b, &bad) != 0)
        abort();
    if (text_utf8_validate(b.data, b.len, NULL) != 0)
        abort();
    int has_fffd = 0;
    for (size_t i = 0; i + 1 < size; i += 2)
        if (data[i] == 0xFF && data[i + 1] == 0xFD)
            has_fffd = 1;
    if (bad == 0 && !has_fffd) {
        struct text_encoded e;
        if (text_encode(NULL, b.data, b.len, TEXT_ALLOW_UTF16, &e, NULL) != 0)
            abort();
        if (e.len != size || (size > 0 && memcmp(e.bytes, data, size) != 0))
            abort();
        text_encoded_fini(&e);
    }
    if ((size & 1) && bad == 0)
        abort(); /* an odd byte is always counted */
    text_buf_fini(&b);
    return 0;
}
