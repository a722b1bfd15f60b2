/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gy_str: bounded copies of C strings into fixed arrays, cut on a UTF-8 character boundary
 * so a truncated name never ends in half a character. The replacement for the
 * snprintf(dst, n, "%s", src) idiom on hot paths (a format parse per copy). Pure. */
#ifndef GY_STR_H
#define GY_STR_H

#include <stddef.h>

/* Copies src (NUL-terminated; NULL reads as "") into dst[size] (size > 0), always
 * NUL-terminated. When src does not fit, the copy ends before the first UTF-8 character
 * that would not fit whole. Returns strlen(src): a result >= size means it was cut. */
size_t gy_strlcpy(char *dst, size_t size, const char *src);

/* The same for the first len octets of src (which need no NUL; a NUL inside ends the copy
 * there). Returns the octets of src that were meant to be copied (up to the NUL or len). */
size_t gy_strlcpy_n(char *dst, size_t size, const char *src, size_t len);

#endif
