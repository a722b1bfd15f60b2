/* SPDX-License-Identifier: GPL-3.0-or-later */
/* text_encode: UTF-8 -> the cheapest coding a bind allows (GSM 7-bit with the extension
 * table, GBK for data_coding 15, UCS-2/UTF-16BE). A character the chosen codings cannot
 * carry is reported with its position; nothing is silently turned into '?'. Pure. */
#ifndef TEXT_ENCODE_H
#define TEXT_ENCODE_H

#include <stddef.h>
#include <stdint.h>

#include "locale/text_decode.h"

enum text_coding {
    TEXT_CODING_GSM7 = 0, /* data_coding 0: septets, ESC pairs for the extension table */
    TEXT_CODING_UCS2,     /* data_coding 8: UTF-16BE (surrogates only if TEXT_ALLOW_UTF16) */
    TEXT_CODING_GBK,      /* data_coding 15: GBK (GB18030 4-byte forms if allowed) */
};

/* Codings a bind allows (bit mask). */
#define TEXT_ALLOW_GSM7    0x01u /* data_coding 0 as GSM 03.38 */
#define TEXT_ALLOW_UCS2    0x02u /* data_coding 8, BMP only */
#define TEXT_ALLOW_UTF16   0x04u /* data_coding 8 with surrogate pairs (emoji, U+20BB6) */
#define TEXT_ALLOW_GBK     0x08u /* data_coding 15 */
#define TEXT_ALLOW_GB18030 0x10u /* data_coding 15 with GB18030 four-byte forms */
#define TEXT_ALLOW_DEFAULT (TEXT_ALLOW_GSM7 | TEXT_ALLOW_UCS2 | TEXT_ALLOW_UTF16)

/* An encoded text. bytes is owned by the struct: release with text_encoded_fini(). */
struct text_encoded {
    enum text_coding coding;
    uint8_t data_coding; /* 0, 8 or 15 */
    uint8_t *bytes;      /* GSM: unpacked septets, one per byte; else the octets */
    size_t len;          /* septets (GSM) or octets */
    size_t n_chars;      /* code points encoded */
};

/* The first character no allowed coding can carry (or the first invalid UTF-8 byte). */
struct text_unencodable {
    size_t offset; /* byte offset in the UTF-8 input */
    size_t index;  /* code point index in the UTF-8 input */
    uint32_t cp;   /* the code point; U+FFFD for invalid UTF-8 */
    size_t count;  /* how many characters fail in the widest allowed coding */
    int invalid_utf8;
};

void text_encoded_fini(struct text_encoded *e);

/* Encodes utf8[0..len) in the cheapest coding of allow (TEXT_ALLOW_*): GSM 7-bit when every
 * character is in the default alphabet or the extension table, else GBK when allowed, else
 * UCS-2/UTF-16BE. c may be NULL when allow has no GBK bit. On success fills *out (zeroed
 * first; free with text_encoded_fini) and returns 0. Returns GY_EENCODING for invalid UTF-8
 * or a character no allowed coding carries, with *bad filled when bad is not NULL;
 * GY_EINVAL for bad arguments (allow == 0); GY_ENOMEM. */
int text_encode(struct text_codec *c, const char *utf8, size_t len, unsigned allow,
                struct text_encoded *out, struct text_unencodable *bad);

/* Length in bytes of the encoded character starting at bytes[pos] (pos < len): 1 or 2
 * septets for GSM (ESC pair), 2 or 4 octets for UCS-2 (surrogate pair), 1, 2 or 4 for GBK /
 * GB18030. Never more than len - pos. Used to cut only between characters. */
size_t text_encoded_char_len(enum text_coding coding, const uint8_t *bytes, size_t len, size_t pos);

#endif
