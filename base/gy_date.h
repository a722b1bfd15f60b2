/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gy_date: proleptic Gregorian calendar dates as plain values (no time zone, no clock
 * inside the arithmetic). Today's date comes from GONGYOU_TODAY=YYYY-MM-DD when set,
 * otherwise from the clock in China time (UTC+8, no daylight saving). */
#ifndef GY_DATE_H
#define GY_DATE_H

#include <stdbool.h>
#include <stddef.h>

struct gy_date {
    int year;  /* 1..9999 */
    int month; /* 1..12 */
    int day;   /* 1..days in month */
};

#define GY_DATE_STRLEN 11 /* "YYYY-MM-DD" and NUL */

bool gy_date_is_leap(int year);
int gy_date_days_in_month(int year, int month);
bool gy_date_valid(struct gy_date d);

/* Parses exactly "YYYY-MM-DD" (a real calendar date). Returns 0 or GY_EPARSE. */
int gy_date_parse(const char *s, struct gy_date *out);
/* Writes "YYYY-MM-DD" into buf (at least GY_DATE_STRLEN bytes). Returns buf. */
char *gy_date_format(struct gy_date d, char *buf);

/* Days since 1970-01-01 (negative before). */
long gy_date_to_days(struct gy_date d);
struct gy_date gy_date_from_days(long days);

/* <0, 0, >0 like strcmp. */
int gy_date_cmp(struct gy_date a, struct gy_date b);
struct gy_date gy_date_add_days(struct gy_date d, long days);
/* Adds months; a day past the end of the target month is clamped to its last day
 * (2024-02-29 + 12 months = 2025-02-28). */
struct gy_date gy_date_add_months(struct gy_date d, int months);
/* Full years of age on date `on` for someone born on `birth` (0 if on < birth).
 * A 29 February birthday is reached on 1 March in common years. */
int gy_date_age_on(struct gy_date birth, struct gy_date on);
/* Whole months from `from` to `to` (0 if to < from). */
int gy_date_months_between(struct gy_date from, struct gy_date to);

/* Today: GONGYOU_TODAY when set and valid, otherwise the clock in UTC+8.
 * Returns 0, or GY_EPARSE when GONGYOU_TODAY is set but not a valid date
 * (out is then left as the clock's date). */
int gy_date_today(struct gy_date *out);

#endif
