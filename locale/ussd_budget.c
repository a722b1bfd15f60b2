/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ussd_budget: measures UTF-8 text in GSM septets, UTF-16 units or GBK octets against the
 * 160-octet USSD string, one character at a time, so a page never ends inside one. */
#include "locale/ussd_budget.h"

#include <errno.h>

#include "base/gy_err.h"
#include "locale/gsm7.h"
#include "locale/text_codec_int.h"
#include "locale/text_utf8.h"

size_t
ussd_budget_capacity(enum text_coding coding)
{
    switch (coding) {
    case TEXT_CODING_GSM7:
        return USSD_BUDGET_OCTETS * 8 / 7; /* 182 */
    case TEXT_CODING_UCS2:
        return USSD_BUDGET_OCTETS / 2; /* 80 */
    case TEXT_CODING_GBK:
        return USSD_BUDGET_OCTETS;
    }
    return 0;
}

/* Units of one code point, 0 when the coding cannot carry it. */
static size_t
cp_units(struct text_codec *c, enum text_coding coding, uint32_t cp)
{
    if (coding == TEXT_CODING_GSM7) {
        uint8_t s[2];
        return gsm7_from_cp(cp, s);
    }
    if (coding == TEXT_CODING_UCS2)
        return cp > 0xFFFF ? 2 : 1;
    if (cp < 0x80)
        return 1;
    char in[4], outb[8];
    size_t in_left = text_utf8_put(cp, in), out_left = sizeof outb;
    char *src = in, *dst = outb;
    iconv(c->gbk_enc, NULL, NULL, NULL, NULL);
    if (iconv(c->gbk_enc, &src, &in_left, &dst, &out_left) == (size_t)-1)
        return 0;
    return sizeof outb - out_left;
}

int
ussd_budget_fit(struct text_codec *c, const char *utf8, size_t len, enum text_coding coding,
                size_t budget, size_t *prefix_len, size_t *units, size_t *bad_off)
{
    if ((utf8 == NULL && len > 0) || coding > TEXT_CODING_GBK ||
        (coding == TEXT_CODING_GBK && c == NULL))
        return GY_EINVAL;
    size_t pos = 0, used = 0;
    while (pos < len) {
        size_t at = pos;
        int32_t cp = text_utf8_next(utf8, len, &pos);
        size_t n = cp < 0 ? 0 : cp_units(c, coding, (uint32_t)cp);
        if (n == 0) {
            if (bad_off != NULL)
                *bad_off = at;
            return GY_EENCODING;
        }
        if (used + n > budget) {
            pos = at;
            break;
        }
        used += n;
    }
    if (prefix_len != NULL)
        *prefix_len = pos;
    if (units != NULL)
        *units = used;
    return 0;
}

int
ussd_budget_measure(struct text_codec *c, const char *utf8, size_t len, enum text_coding coding,
                    size_t *units, size_t *bad_off)
{
    return ussd_budget_fit(c, utf8, len, coding, SIZE_MAX, NULL, units, bad_off);
}
