/* SPDX-License-Identifier: GPL-3.0-or-later */
/* text_codec_int: the inside of struct text_codec, shared by text_decode.c and
 * text_encode.c only. Not part of the locale/ interface. */
#ifndef TEXT_CODEC_INT_H
#define TEXT_CODEC_INT_H

#include <iconv.h>

struct text_codec {
    iconv_t gb18030_dec; /* GB18030 -> UTF-8 (data_coding 15 in) */
    iconv_t gbk_enc;     /* UTF-8 -> GBK (data_coding 15 out, € as 0x80) */
    iconv_t gb18030_enc; /* UTF-8 -> GB18030 (4-byte forms, where the bind allows them) */
};

#endif
