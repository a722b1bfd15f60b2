/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the data coding dispatch: every DCS byte under the SMPP and the USSD
 * (TS 23.038) schemes, every data_coding 0 mode, packed or not, with fill bits: valid UTF-8
 * or a clean error, never a crash. Input: DCS, flags, then the message bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/gy_err.h"
#include "locale/text_decode.h"
#include "locale/text_utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct text_codec *codec; /* one per process: iconv_open is slow */
    if (codec == NULL && (codec = text_codec_new()) == NULL)
        abort();
    if (size < 2 || size > 4096)
        return 0;
    uint8_t dcs = data[0], flags = data[1];
    struct text_decode_opts o = {
        .scheme = (flags & 1) ? TEXT_SCHEME_USSD : TEXT_SCHEME_SMPP,
        .dc0 = (enum text_dc0_mode)((flags >> 1) & 3),
        .ussd_gsm7_packed = (flags >> 3) & 1,
        .fill_bits = (flags >> 4) & 7, /* 7 is invalid on purpose */
        .n_septets = (flags & 0x80) ? (size_t)(size - 2) : 0,
    };
    struct text_buf b;
    text_buf_init(&b);
    size_t bad = 0;
    int rc = text_decode(codec, dcs, data + 2, size - 2, &o, &b, &bad);
    if (rc == 0) {
        if (b.data == NULL || text_utf8_validate(b.data, b.len, NULL) != 0)
            abort();
    } else if (rc != GY_EENCODING && rc != GY_EINVAL) {
        abort();
    } else if (b.len != 0) {
        abort(); /* an error leaves the output untouched */
    }
    text_buf_fini(&b);
    return 0;
}
