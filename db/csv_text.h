/* SPDX-License-Identifier: GPL-3.0-or-later */
/* csv_text: the text layer of CSV import. Strict UTF-8 validation (no overlong forms,
 * surrogates or values above U+10FFFF), encoding detection (UTF-8 with or without BOM,
 * else GBK) and GBK -> UTF-8 through glibc iconv ("GB18030", the superset). Pure: no
 * logging; errors come back with the byte offset of the offending input. */
#ifndef CSV_TEXT_H
#define CSV_TEXT_H

#include <stdbool.h>
#include <stddef.h>

enum csv_text_encoding {
    CSV_TEXT_AUTO, /* decode: valid UTF-8 is UTF-8, otherwise GBK */
    CSV_TEXT_UTF8,
    CSV_TEXT_GBK,
};

/* Returns 0 when s[0..len) is strict UTF-8, else GY_EENCODING and (when err_off is not
 * NULL) the offset of the first byte of the first invalid sequence. */
int csv_text_utf8_validate(const char *s, size_t len, size_t *err_off);

/* The result of csv_text_decode(). Owned by the caller: release with csv_text_fini(). */
struct csv_text {
    char *data;                      /* UTF-8, NUL-terminated, BOM removed */
    size_t len;                      /* bytes, without the NUL */
    enum csv_text_encoding encoding; /* encoding found or used (never AUTO) */
    bool bom;                        /* input started with a UTF-8 BOM */
};

/* Decodes in[0..len) (the caller keeps it) as `want` into out. Returns 0; GY_EENCODING
 * when the bytes are not valid in that encoding (with AUTO: neither UTF-8 nor GBK), with
 * *err_off the input offset of the first bad byte and out->encoding the encoding that
 * was tried last; GY_ENOMEM. On error out holds nothing to free (but fini is harmless). */
int csv_text_decode(const char *in, size_t len, enum csv_text_encoding want,
                    struct csv_text *out, size_t *err_off);
/* Frees out->data and zeroes out. */
void csv_text_fini(struct csv_text *out);

/* 1-based line number of byte offset off in s (LF, CRLF and lone CR end a line). */
long csv_text_line_at(const char *s, size_t len, size_t off);

#endif
