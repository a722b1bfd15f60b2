/* SPDX-License-Identifier: GPL-3.0-or-later */
/* text_utf8: strict UTF-8 validation and iteration (overlong forms, surrogate code points
 * and values above U+10FFFF rejected) and a growable UTF-8 output buffer used by every
 * decoder in locale/. Pure: no I/O, no logging, no globals. */
#ifndef TEXT_UTF8_H
#define TEXT_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define TEXT_REPLACEMENT_CHAR 0xFFFDu

/* A growable byte buffer holding UTF-8. Owned by whoever holds the struct: zero it (or
 * text_buf_init) before use, release with text_buf_fini(). data is NUL-terminated whenever
 * it is non-NULL; len excludes the NUL. */
struct text_buf {
    char *data;
    size_t len;
    size_t cap;
};

void text_buf_init(struct text_buf *b);
/* Frees b->data and zeroes b. Safe on a zeroed buffer. */
void text_buf_fini(struct text_buf *b);
/* Empties b (keeps its memory). */
void text_buf_reset(struct text_buf *b);
/* Ensures room for extra more bytes plus the NUL. Returns 0 or GY_ENOMEM. */
int text_buf_reserve(struct text_buf *b, size_t extra);
/* Appends n bytes. Returns 0 or GY_ENOMEM. */
int text_buf_put(struct text_buf *b, const void *p, size_t n);
/* Appends the UTF-8 form of code point cp (a surrogate or > U+10FFFF becomes U+FFFD).
 * Returns 0 or GY_ENOMEM. */
int text_buf_put_cp(struct text_buf *b, uint32_t cp);

/* Writes the UTF-8 form of a valid code point into out (room for 4). Returns the length
 * 1..4; a surrogate or a value above U+10FFFF writes U+FFFD. */
size_t text_utf8_put(uint32_t cp, char out[4]);

/* Decodes the code point starting at s[*pos] (pos < len). On success returns it (>= 0) and
 * advances *pos past it. On an invalid sequence (bad lead, bad continuation, overlong form,
 * surrogate, > U+10FFFF, truncated) returns -1 and advances *pos past the maximal invalid
 * subpart (at least one byte), so a caller may substitute one U+FFFD and go on. */
int32_t text_utf8_next(const char *s, size_t len, size_t *pos);

/* Returns 0 when s[0..len) is valid UTF-8, else GY_EENCODING and, when err_off is not
 * NULL, the byte offset of the first invalid sequence. */
int text_utf8_validate(const char *s, size_t len, size_t *err_off);

/* Number of code points in valid UTF-8 s[0..len) (invalid subparts count one each). */
size_t text_utf8_count(const char *s, size_t len);

#endif
