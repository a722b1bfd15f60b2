/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ussd_budget: how much text fits in one USSD string of 160 octets (182 GSM septets packed,
 * 80 UCS-2 code units, 160 GBK octets), and how many units a UTF-8 text takes in a coding,
 * for the menu paginator. Pure. */
#ifndef USSD_BUDGET_H
#define USSD_BUDGET_H

#include <stddef.h>

#include "locale/text_encode.h"

#define USSD_BUDGET_OCTETS 160

/* Units one USSD string holds in coding: 182 septets (GSM, packed), 80 UTF-16 code units
 * (UCS-2), 160 octets (GBK). 0 for an unknown coding. */
size_t ussd_budget_capacity(enum text_coding coding);

/* Units utf8[0..len) takes in coding: septets (an extension character costs 2), UTF-16 code
 * units (a character above U+FFFF costs 2) or GBK/GB18030 octets. c is needed for GBK only
 * (may be NULL otherwise). Returns 0 with *units set; GY_EENCODING for invalid UTF-8 or a
 * character the coding cannot carry (*bad_off = its byte offset when not NULL); GY_EINVAL. */
int ussd_budget_measure(struct text_codec *c, const char *utf8, size_t len, enum text_coding coding,
                        size_t *units, size_t *bad_off);

/* Longest prefix of utf8[0..len), ending between characters, that takes at most budget
 * units in coding: *prefix_len bytes, *units units. Same returns as ussd_budget_measure
 * for characters within the prefix examined. */
int ussd_budget_fit(struct text_codec *c, const char *utf8, size_t len, enum text_coding coding,
                    size_t budget, size_t *prefix_len, size_t *units, size_t *bad_off);

#endif
