/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for locale/text_encode, text_split and ussd_budget: arbitrary UTF-8 (or
 * not) is encoded and split under options from the first two bytes; every part must decode
 * on its own without U+FFFD (no character cut) and the parts must give back the text (or,
 * when truncated, a prefix of it followed by the ellipsis). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "locale/text_decode.h"
#include "locale/text_split.h"
#include "locale/ussd_budget.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned allows[8] = {
    TEXT_ALLOW_DEFAULT,
    TEXT_ALLOW_GSM7,
    TEXT_ALLOW_UCS2,
    TEXT_ALLOW_GSM7 | TEXT_ALLOW_UCS2,
    TEXT_ALLOW_GBK,
    TEXT_ALLOW_GBK | TEXT_ALLOW_GB18030,
    TEXT_ALLOW_DEFAULT | TEXT_ALLOW_GBK,
    TEXT_ALLOW_UTF16,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct text_codec *codec; /* one per process: iconv_open is slow */
    if (codec == NULL && (codec = text_codec_new()) == NULL)
        abort();
    if (size < 2 || size > 3000)
        return 0;
    uint8_t f = data[0], g = data[1];
    const char *text = (const char *)data + 2;
    size_t len = size - 2;
    struct text_split_opts o = {
        .allow = allows[f & 7],
        .gsm7_packed = (f >> 3) & 1,
        .concat = (enum text_concat)((f >> 4) & 3),
        .overflow = (f >> 6) & 1 ? TEXT_OVERFLOW_REFUSE : TEXT_OVERFLOW_TRUNCATE,
        .max_parts = g & 7,
        .signature = (f & 0x80) ? "【江门人社】" : NULL,
        .ref = g,
    };
    struct text_split sp;
    struct text_unencodable bad;
    int rc = text_split_make(codec, text, len, &o, &sp, &bad);
    if (rc == GY_EENCODING || rc == GY_ETOOBIG)
        return 0;
    if (rc != 0)
        abort();
    struct text_buf all;
    text_buf_init(&all);
    for (size_t i = 0; i < sp.n_parts; i++) {
        const struct text_part *p = &sp.parts[i];
        const uint8_t *body = p->sm;
        size_t blen = p->sm_len, hdr = p->udhi ? (size_t)p->sm[0] + 1 : 0;
        if (o.concat == TEXT_CONCAT_PAYLOAD) {
            body = sp.payload;
            blen = sp.payload_len;
        }
        if (hdr > blen || blen > (o.concat == TEXT_CONCAT_PAYLOAD ? SIZE_MAX : TEXT_SM_MAX))
            abort();
        struct text_decode_opts d = {.dc0 = o.gsm7_packed ? TEXT_DC0_GSM7_PACKED
                                                          : TEXT_DC0_GSM7_UNPACKED,
                                     .fill_bits = (unsigned)((7 - (hdr * 8) % 7) % 7),
                                     .n_septets = p->n_units};
        size_t nbad = 0;
        if (p->n_units > 0 &&
            text_decode(codec, sp.data_coding, body + hdr, blen - hdr, &d, &all, &nbad) != 0)
            abort();
        if (nbad != 0)
            abort(); /* a character was cut */
    }
    /* The text (signature first) comes back whole, or as a prefix plus the ellipsis. */
    size_t slen = o.signature ? strlen(o.signature) : 0;
    char *want = malloc(slen + len + 1);
    if (want == NULL)
        abort();
    if (slen)
        memcpy(want, o.signature, slen);
    memcpy(want + slen, text, len);
    size_t wlen = slen + len;
    if (!sp.truncated) {
        if (all.len != wlen || (wlen > 0 && memcmp(all.data, want, wlen) != 0))
            abort();
    } else {
        const char *m = sp.coding == TEXT_CODING_GSM7 ? "..." : "\xE2\x80\xA6";
        size_t ml = strlen(m);
        if (all.len < ml || all.len - ml > wlen || memcmp(all.data + all.len - ml, m, ml) != 0 ||
            memcmp(all.data, want, all.len - ml) != 0)
            abort();
    }
    /* The USSD budget never ends a page inside a character. */
    size_t pl = 0, units = 0;
    if (ussd_budget_fit(codec, want, wlen, sp.coding, ussd_budget_capacity(sp.coding), &pl, &units,
                        NULL) == 0 &&
        (pl > wlen || units > ussd_budget_capacity(sp.coding) ||
         (pl < wlen && ((unsigned char)want[pl] & 0xC0) == 0x80)))
        abort();
    free(want);
    text_buf_fini(&all);
    text_split_fini(&sp);
    return 0;
}
