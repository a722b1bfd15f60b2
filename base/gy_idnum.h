/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gy_idnum: validation of 18-character resident ID numbers (GB 11643-1999): region
 * digits, birth date and the ISO 7064 MOD 11-2 check character. Pure: no I/O, and the
 * number itself never appears in a message. */
#ifndef GY_IDNUM_H
#define GY_IDNUM_H

#include <stddef.h>

#include "base/gy_date.h"

#define GY_IDNUM_LEN 18

/* Why a number was refused (0 = valid). */
enum gy_idnum_error {
    GY_IDNUM_OK = 0,
    GY_IDNUM_LENGTH,      /* not 18 characters */
    GY_IDNUM_CHARS,       /* not 17 digits and a digit or X */
    GY_IDNUM_REGION,      /* province code (first 2 digits) unknown, or 0000 rest */
    GY_IDNUM_BIRTH,       /* birth date (digits 7-14) not a real date or out of range */
    GY_IDNUM_CHECK,       /* wrong check character */
};

/* The check character ('0'..'9' or 'X') of the first 17 digits of id (no validation
 * beyond digits; returns 0 when one of them is not a digit). */
char gy_idnum_check_char(const char *id17);

/* Validates id (NUL-terminated; a lowercase x is accepted as X). When valid and birth is
 * not NULL, stores the birth date there. The birth date must lie between 1900-01-01 and
 * today (when today is not NULL). Returns GY_IDNUM_OK or the first failing reason. */
enum gy_idnum_error gy_idnum_check(const char *id, const struct gy_date *today,
                                   struct gy_date *birth);

/* A short English description of err ("wrong check digit"). Static string. */
const char *gy_idnum_strerror(enum gy_idnum_error err);

#endif
