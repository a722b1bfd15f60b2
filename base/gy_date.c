/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gy_date: calendar arithmetic (days-from-civil) and today's date. */
#include "base/gy_date.h"
#include "base/gy_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool
gy_date_is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
gy_date_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && gy_date_is_leap(year))
        return 29;
    return days[month - 1];
}

bool
gy_date_valid(struct gy_date d)
{
    return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
           d.day <= gy_date_days_in_month(d.year, d.month);
}

static int
digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int
gy_date_parse(const char *s, struct gy_date *out)
{
    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return GY_EPARSE;
    struct gy_date d = {digits(s, 4), digits(s + 5, 2), digits(s + 8, 2)};
    if (!gy_date_valid(d))
        return GY_EPARSE;
    *out = d;
    return 0;
}

char *
gy_date_format(struct gy_date d, char *buf)
{
    unsigned y = (unsigned)d.year % 10000u, m = (unsigned)d.month % 100u, dd = (unsigned)d.day % 100u;
    buf[0] = (char)('0' + y / 1000);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + dd / 10);
    buf[9] = (char)('0' + dd % 10);
    buf[10] = '\0';
    return buf;
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
long
gy_date_to_days(struct gy_date d)
{
    long y = d.year - (d.month <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = (d.month + 9) % 12;
    long doy = (153 * mp + 2) / 5 + d.day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct gy_date
gy_date_from_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    struct gy_date r = {(int)(y + (m <= 2)), (int)m, (int)d};
    return r;
}

int
gy_date_cmp(struct gy_date a, struct gy_date b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    if (a.day != b.day)
        return a.day < b.day ? -1 : 1;
    return 0;
}

struct gy_date
gy_date_add_days(struct gy_date d, long days)
{
    return gy_date_from_days(gy_date_to_days(d) + days);
}

struct gy_date
gy_date_add_months(struct gy_date d, int months)
{
    long total = (long)d.year * 12 + (d.month - 1) + months;
    struct gy_date r = {(int)(total / 12), (int)(total % 12) + 1, d.day};
    int dim = gy_date_days_in_month(r.year, r.month);
    if (r.day > dim)
        r.day = dim;
    return r;
}

int
gy_date_age_on(struct gy_date birth, struct gy_date on)
{
    if (gy_date_cmp(on, birth) < 0)
        return 0;
    int age = on.year - birth.year;
    int bm = birth.month, bd = birth.day;
    if (bm == 2 && bd == 29 && !gy_date_is_leap(on.year)) {
        bm = 3;
        bd = 1;
    }
    if (on.month < bm || (on.month == bm && on.day < bd))
        age--;
    return age;
}

int
gy_date_months_between(struct gy_date from, struct gy_date to)
{
    if (gy_date_cmp(to, from) < 0)
        return 0;
    int months = (to.year - from.year) * 12 + (to.month - from.month);
    if (to.day < from.day && to.day < gy_date_days_in_month(to.year, to.month))
        months--;
    return months < 0 ? 0 : months;
}

int
gy_date_today(struct gy_date *out)
{
    time_t now = time(NULL) + 8 * 3600; /* China Standard Time, no DST */
    struct tm tm;
    gmtime_r(&now, &tm);
    out->year = tm.tm_year + 1900;
    out->month = tm.tm_mon + 1;
    out->day = tm.tm_mday;
    const char *env = getenv("GONGYOU_TODAY");
    if (env == NULL || env[0] == '\0')
        return 0;
    return gy_date_parse(env, out);
}
