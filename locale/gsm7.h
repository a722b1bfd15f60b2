/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gsm7: the GSM 03.38 default alphabet and its extension table (3GPP TS 23.038), mapping
 * between septets and Unicode, and septet packing/unpacking with fill bits for UDH
 * alignment. Pure: no I/O, no logging; the tables are const. */
#ifndef GSM7_H
#define GSM7_H

#include <stddef.h>
#include <stdint.h>

#include "locale/text_utf8.h"

#define GSM7_ESC 0x1Bu

/* Code point of a septet of the default alphabet (0..127; 0x1B gives U+00A0, the
 * Unicode mapping of a lone escape). Values above 127 are masked to 7 bits. */
uint32_t gsm7_base_to_cp(uint8_t septet);

/* Code point of ESC + septet in the extension table, or 0 when that pair is undefined
 * (3GPP says to show the base character then; gsm7_decode_septets does so). */
uint32_t gsm7_ext_to_cp(uint8_t septet);

/* Septets needed for code point cp: writes them to out[0..n) and returns n, 1 for the
 * default alphabet, 2 (ESC, code) for the extension table, 0 when cp has no GSM form. */
size_t gsm7_from_cp(uint32_t cp, uint8_t out[2]);

/* Octets needed to pack n septets after fill_bits (0..6) leading bits. */
size_t gsm7_packed_len(size_t n_septets, unsigned fill_bits);

/* Largest number of septets that fit in n_octets packed octets after fill_bits. */
size_t gsm7_septets_in(size_t n_octets, unsigned fill_bits);

/* Packs septets[0..n) (each < 128; the high bit is ignored) into out, LSB first as on the
 * air, the first septet starting after fill_bits (0..6) zero bits of out[0]. out must hold
 * out_cap >= gsm7_packed_len(n, fill_bits) octets. Returns the octets written (>= 0), or
 * GY_EINVAL (fill_bits > 6) / GY_ETOOBIG (out_cap too small). Writes nothing else. */
int gsm7_pack(const uint8_t *septets, size_t n, unsigned fill_bits, uint8_t *out, size_t out_cap);

/* Unpacks n_septets septets from packed octets in[0..in_len), skipping fill_bits (0..6)
 * leading bits of in[0], into septets[0..n_septets) (one septet per byte, 0..127).
 * n_septets must not exceed gsm7_septets_in(in_len, fill_bits). Returns 0, or GY_EINVAL
 * (fill_bits > 6) / GY_ETOOBIG (not enough input). */
int gsm7_unpack(const uint8_t *in, size_t in_len, unsigned fill_bits, uint8_t *septets,
                size_t n_septets);

/* Appends the UTF-8 text of unpacked septets[0..n) to out. ESC + code uses the extension
 * table; an undefined ESC pair gives the base character of code (per TS 23.038); a
 * trailing lone ESC gives U+FFFD. Septets above 127 give U+FFFD. Each U+FFFD adds one to
 * *n_invalid when n_invalid is not NULL. Returns 0 or GY_ENOMEM. */
int gsm7_decode_septets(const uint8_t *septets, size_t n, struct text_buf *out, size_t *n_invalid);

#endif
