/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gsm7: GSM 03.38 default alphabet and extension table (3GPP TS 23.038 §6.2.1) and the
 * septet packing of TS 23.038 §6.1.2.1 (LSB first, fill bits after a UDH). Const tables
 * only; no I/O. */
#include "locale/gsm7.h"

#include <string.h>

#include "base/gy_err.h"

/* Default alphabet, septet -> Unicode. 0x1B (escape) maps to NBSP when it stands alone. */
static const uint16_t gsm7_base[128] = {
    0x0040, 0x00A3, 0x0024, 0x00A5, 0x00E8, 0x00E9, 0x00F9, 0x00EC, /* 00 */
    0x00F2, 0x00C7, 0x000A, 0x00D8, 0x00F8, 0x000D, 0x00C5, 0x00E5, /* 08 */
    0x0394, 0x005F, 0x03A6, 0x0393, 0x039B, 0x03A9, 0x03A0, 0x03A8, /* 10 */
    0x03A3, 0x0398, 0x039E, 0x00A0, 0x00C6, 0x00E6, 0x00DF, 0x00C9, /* 18 */
    0x0020, 0x0021, 0x0022, 0x0023, 0x00A4, 0x0025, 0x0026, 0x0027, /* 20 */
    0x0028, 0x0029, 0x002A, 0x002B, 0x002C, 0x002D, 0x002E, 0x002F, /* 28 */
    0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037, /* 30 */
    0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F, /* 38 */
    0x00A1, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047, /* 40 */
    0x0048, 0x0049, 0x004A, 0x004B, 0x004C, 0x004D, 0x004E, 0x004F, /* 48 */
    0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057, /* 50 */
    0x0058, 0x0059, 0x005A, 0x00C4, 0x00D6, 0x00D1, 0x00DC, 0x00A7, /* 58 */
    0x00BF, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067, /* 60 */
    0x0068, 0x0069, 0x006A, 0x006B, 0x006C, 0x006D, 0x006E, 0x006F, /* 68 */
    0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077, /* 70 */
    0x0078, 0x0079, 0x007A, 0x00E4, 0x00F6, 0x00F1, 0x00FC, 0x00E0, /* 78 */
};

/* Extension table (after ESC): code, Unicode. */
static const struct {
    uint8_t code;
    uint16_t cp;
} gsm7_ext[] = {
    {0x0A, 0x000C}, {0x14, 0x005E}, {0x28, 0x007B}, {0x29, 0x007D}, {0x2F, 0x005C},
    {0x3C, 0x005B}, {0x3D, 0x007E}, {0x3E, 0x005D}, {0x40, 0x007C}, {0x65, 0x20AC},
};

/* ASCII -> septet for the printable range 0x20..0x7F: 0xFF none, 0x80|code extension. */
static const uint8_t gsm7_ascii[96] = {
    0x20, 0x21, 0x22, 0x23, 0x02, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F,
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F,
    0x00, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F,
    0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0xBC, 0xAF, 0xBE, 0x94, 0x11,
    0xFF, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F,
    0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0xA8, 0xC0, 0xA9, 0xBD, 0xFF,
};

uint32_t
gsm7_base_to_cp(uint8_t septet)
{
    return gsm7_base[septet & 0x7F];
}

uint32_t
gsm7_ext_to_cp(uint8_t septet)
{
    for (size_t i = 0; i < sizeof gsm7_ext / sizeof gsm7_ext[0]; i++)
        if (gsm7_ext[i].code == septet)
            return gsm7_ext[i].cp;
    return 0;
}

size_t
gsm7_from_cp(uint32_t cp, uint8_t out[2])
{
    if (cp >= 0x20 && cp < 0x80) {
        uint8_t v = gsm7_ascii[cp - 0x20];
        if (v == 0xFF)
            return 0;
        if (v & 0x80) {
            out[0] = GSM7_ESC;
            out[1] = v & 0x7F;
            return 2;
        }
        out[0] = v;
        return 1;
    }
    if (cp == 0x0A || cp == 0x0D) {
        out[0] = (uint8_t)cp;
        return 1;
    }
    if (cp == 0x0C || cp == 0x20AC) {
        out[0] = GSM7_ESC;
        out[1] = cp == 0x0C ? 0x0A : 0x65;
        return 2;
    }
    if (cp < 0xA0 || cp > 0x3A9)
        return 0;
    for (uint8_t s = 0; s < 128; s++) {
        if (gsm7_base[s] == cp && s != GSM7_ESC) {
            out[0] = s;
            return 1;
        }
    }
    return 0;
}

size_t
gsm7_packed_len(size_t n_septets, unsigned fill_bits)
{
    if (n_septets == 0)
        return 0;
    return (fill_bits + 7 * n_septets + 7) / 8;
}

size_t
gsm7_septets_in(size_t n_octets, unsigned fill_bits)
{
    if (n_octets > SIZE_MAX / 8 || 8 * n_octets < fill_bits)
        return 0;
    return (8 * n_octets - fill_bits) / 7;
}

int
gsm7_pack(const uint8_t *septets, size_t n, unsigned fill_bits, uint8_t *out, size_t out_cap)
{
    if (fill_bits > 6 || (n > 0 && (septets == NULL || out == NULL)))
        return GY_EINVAL;
    size_t need = gsm7_packed_len(n, fill_bits);
    if (need > out_cap || need > (size_t)INT32_MAX)
        return GY_ETOOBIG;
    if (need > 0)
        memset(out, 0, need);
    size_t bit = fill_bits;
    for (size_t i = 0; i < n; i++, bit += 7) {
        unsigned v = septets[i] & 0x7Fu;
        size_t byte = bit >> 3;
        unsigned sh = bit & 7u;
        out[byte] |= (uint8_t)(v << sh);
        if (sh > 1)
            out[byte + 1] |= (uint8_t)(v >> (8 - sh));
    }
    return (int)need;
}

int
gsm7_unpack(const uint8_t *in, size_t in_len, unsigned fill_bits, uint8_t *septets,
            size_t n_septets)
{
    if (fill_bits > 6 || (n_septets > 0 && (in == NULL || septets == NULL)))
        return GY_EINVAL;
    if (n_septets > gsm7_septets_in(in_len, fill_bits))
        return GY_ETOOBIG;
    size_t bit = fill_bits;
    for (size_t i = 0; i < n_septets; i++, bit += 7) {
        size_t byte = bit >> 3;
        unsigned sh = bit & 7u;
        unsigned v = (unsigned)in[byte] >> sh;
        if (sh > 1)
            v |= (unsigned)in[byte + 1] << (8 - sh);
        septets[i] = (uint8_t)(v & 0x7Fu);
    }
    return 0;
}

int
gsm7_decode_septets(const uint8_t *septets, size_t n, struct text_buf *out, size_t *n_invalid)
{
    size_t bad = 0;
    /* Worst case 3 UTF-8 bytes per septet (Greek, € is 3 bytes for 2 septets). */
    if (n > SIZE_MAX / 4)
        return GY_ENOMEM;
    int rc = text_buf_reserve(out, 3 * n);
    if (rc != 0)
        return rc;
    char *w = out->data + out->len;
    for (size_t i = 0; i < n; i++) {
        uint8_t s = septets[i];
        uint32_t cp;
        if (s >= 0x80) {
            cp = TEXT_REPLACEMENT_CHAR;
            bad++;
        } else if (s == GSM7_ESC) {
            if (i + 1 >= n) {
                cp = TEXT_REPLACEMENT_CHAR;
                bad++;
            } else if (septets[i + 1] >= 0x80) {
                cp = TEXT_REPLACEMENT_CHAR;
                bad++;
                i++;
            } else {
                uint8_t c = septets[++i];
                cp = gsm7_ext_to_cp(c);
                if (cp == 0)
                    cp = c == GSM7_ESC ? 0x00A0 : gsm7_base[c];
            }
        } else {
            cp = gsm7_base[s];
        }
        if (cp < 0x80)
            *w++ = (char)cp;
        else
            w += text_utf8_put(cp, w);
    }
    out->len = (size_t)(w - out->data);
    out->data[out->len] = '\0';
    if (n_invalid != NULL)
        *n_invalid += bad;
    return 0;
}
