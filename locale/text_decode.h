/* SPDX-License-Identifier: GPL-3.0-or-later */
/* text_decode: turns short_message / message_payload bytes into UTF-8 by SMPP data_coding
 * (0 per bind, 1 IA5, 3 Latin-1, 8 UTF-16BE, 15 GBK read as GB18030) or by a USSD/CBS data
 * coding scheme (3GPP TS 23.038). Invalid input becomes U+FFFD and is counted; raw bytes
 * never reach the output. Pure: the iconv handles live in a caller-owned text_codec. */
#ifndef TEXT_DECODE_H
#define TEXT_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "locale/text_utf8.h"

/* Conversion context: owns the iconv handles (GB18030 and GBK). Not thread-safe; make one
 * per thread. Shared by text_decode and text_encode. */
struct text_codec;

/* Returns a new context owned by the caller; free with text_codec_free(). NULL when out of
 * memory or when iconv lacks GB18030/GBK. */
struct text_codec *text_codec_new(void);
/* Frees c; NULL is a no-op. */
void text_codec_free(struct text_codec *c);

/* What SMPP data_coding 0 means on a bind (SMSC default alphabet). */
enum text_dc0_mode {
    TEXT_DC0_GSM7_UNPACKED = 0, /* one septet per octet: the SMPP norm */
    TEXT_DC0_GSM7_PACKED,       /* septets packed 8 in 7 octets */
    TEXT_DC0_ASCII,             /* IA5; bytes >= 0x80 are invalid */
    TEXT_DC0_LATIN1,            /* ISO-8859-1 */
};

/* How the data coding byte is to be read. */
enum text_dcs_scheme {
    TEXT_SCHEME_SMPP = 0, /* SMPP 3.4 data_coding (plus 15 = GBK, Chinese practice) */
    TEXT_SCHEME_USSD,     /* CBS/USSD DCS by TS 23.038 coding groups (0x0F, 0x44, 0x48, 0x11..) */
};

/* Which scheme a USSD PDU's data_coding follows. SMPP gateways differ: most write SMPP values
 * (0 GSM, 1 IA5, 3 Latin-1, 8 UCS-2), some the cell-broadcast DCS of TS 23.038 (0x0F GSM,
 * 0x44 8-bit, 0x48 UCS-2, 0x11 UCS-2 with language). The SMPP values win where they exist. */
enum text_dcs_scheme text_ussd_scheme(uint8_t dcs);

struct text_decode_opts {
    enum text_dcs_scheme scheme;
    enum text_dc0_mode dc0; /* SMPP data_coding 0 */
    int ussd_gsm7_packed;   /* USSD 7-bit data arrives packed (non-zero) or one septet per octet */
    unsigned fill_bits;     /* packed GSM only: bits to skip before the first septet (0..6) */
    size_t n_septets;       /* packed GSM only: septet count; 0 = as many as the octets hold
                             * (a trailing CR that fills the last octet is then dropped) */
};

/* Decodes in[0..len) coded as dcs under opts (NULL = SMPP, GSM unpacked) and appends UTF-8 to
 * out (caller-owned). *n_invalid (when not NULL) receives the number of U+FFFD substituted.
 * USSD 8-bit data is read as Latin-1. Returns 0; GY_EENCODING for a coding that carries no
 * text (SMPP 2/4 binary, SMPP 0xF4-0xF7 8-bit class, compressed, WAP) or is not supported
 * (5-7, 9-14), out then untouched; GY_EINVAL for bad arguments; GY_ENOMEM. */
int text_decode(struct text_codec *c, uint8_t dcs, const uint8_t *in, size_t len,
                const struct text_decode_opts *opts, struct text_buf *out, size_t *n_invalid);

/* Codings, for callers that already know them (E's reassembler unpacks GSM parts itself). */
int text_decode_ucs2(const uint8_t *in, size_t len, struct text_buf *out, size_t *n_invalid);
int text_decode_latin1(const uint8_t *in, size_t len, struct text_buf *out);
int text_decode_ascii(const uint8_t *in, size_t len, struct text_buf *out, size_t *n_invalid);
int text_decode_gbk(struct text_codec *c, const uint8_t *in, size_t len, struct text_buf *out,
                    size_t *n_invalid);

#endif
