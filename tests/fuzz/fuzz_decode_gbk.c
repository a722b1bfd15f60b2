/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for data_coding 15 (GBK read as GB18030 through iconv, 0x80 as €): any
 * bytes decode to valid UTF-8; text decoded without errors encodes back to GBK/GB18030 and
 * decodes to the same text again. */
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
    static struct text_codec *codec; /* one per process: iconv_open is slow */
    if (codec == NULL && (codec = text_codec_new()) == NULL)
        abort();
    if (size > 8192)
        return 0;
    struct text_buf b;
    text_buf_init(&b);
    size_t bad = 0;
    if (text_decode(codec, 15, data, size, NULL, &b, &bad) != 0)
        abort();
    if (text_utf8_validate(b.data, b.len, NULL) != 0)
        abort();
    if (bad == 0) {
        struct text_encoded e;
        if (text_encode(codec, b.data, b.len, TEXT_ALLOW_GBK | TEXT_ALLOW_GB18030, &e, NULL) != 0)
            abort();
        struct text_buf again;
        text_buf_init(&again);
        size_t bad2 = 0;
        if (text_decode(codec, 15, e.bytes, e.len, NULL, &again, &bad2) != 0 || bad2 != 0 ||
            again.len != b.len || (b.len > 0 && memcmp(again.data, b.data, b.len) != 0))
            abort();
        text_buf_fini(&again);
        text_encoded_fini(&e);
    }
    text_buf_fini(&b);
    return 0;
}
