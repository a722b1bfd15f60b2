/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for locale/gsm7 and data_coding 0: unpacking with fill bits must undo
 * packing bit for bit, and any septets or packed octets decode to valid UTF-8 with every
 * U+FFFD counted. Input: byte 0 = fill bits (low 3 bits, mod 7) and flags; the rest data. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "locale/gsm7.h"
#include "locale/text_decode.h"
#include "locale/text_utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
count_fffd(const struct text_buf *b)
{
    size_t n = 0;
    for (size_t i = 0; i + 2 < b->len; i++)
        if (memcmp(b->data + i, "\xEF\xBF\xBD", 3) == 0)
            n++;
    return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    unsigned fill = (data[0] & 7u) % 7u;
    const uint8_t *in = data + 1;
    size_t len = size - 1;

    /* Unpack then pack gives back every bit after the fill, up to the last whole septet. */
    size_t n = gsm7_septets_in(len, fill);
    uint8_t *sept = malloc(n + 1), *packed = malloc(len + 1);
    if (sept == NULL || packed == NULL)
        abort();
    if (gsm7_unpack(in, len, fill, sept, n) != 0)
        abort();
    int w = gsm7_pack(sept, n, fill, packed, len + 1);
    if (w < 0 || (size_t)w > len)
        abort();
    size_t bits = fill + 7 * n;
    for (size_t bit = fill; bit < bits; bit++)
        if (((in[bit / 8] >> (bit % 8)) & 1) != ((packed[bit / 8] >> (bit % 8)) & 1))
            abort();

    /* Septets decode to valid UTF-8; the invalid count matches the U+FFFD written (the
     * input has no U+FFFD of its own in GSM). */
    struct text_buf b;
    text_buf_init(&b);
    size_t bad = 0;
    if (gsm7_decode_septets(in, len, &b, &bad) != 0)
        abort();
    if (text_utf8_validate(b.data, b.len, NULL) != 0 || count_fffd(&b) != bad)
        abort();
    text_buf_reset(&b);
    struct text_decode_opts o = {.dc0 = TEXT_DC0_GSM7_PACKED, .fill_bits = fill};
    if (text_decode(NULL, 0, in, len, &o, &b, &bad) != 0)
        abort();
    if (text_utf8_validate(b.data, b.len, NULL) != 0)
        abort();
    text_buf_fini(&b);
    free(sept);
    free(packed);
    return 0;
}
