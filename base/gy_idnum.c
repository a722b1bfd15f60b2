/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gy_idnum: GB 11643 ID number checks (length, characters, province, birth date, check
 * character). Never logs or copies the number. */
#include "base/gy_idnum.h"

#include <string.h>

/* Province-level codes of GB/T 2260 (first two digits). */
static const char *const provinces[] = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
    "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
    "63", "64", "65", "71", "81", "82", "83", "91",
};

static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char checks[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

char
gy_idnum_check_char(const char *id17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (id17[i] < '0' || id17[i] > '9')
            return 0;
        sum += (id17[i] - '0') * weights[i];
    }
    return checks[sum % 11];
}

static int
digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

enum gy_idnum_error
gy_idnum_check(const char *id, const struct gy_date *today, struct gy_date *birth)
{
    if (id == NULL || strlen(id) != GY_IDNUM_LEN)
        return GY_IDNUM_LENGTH;
    for (int i = 0; i < 17; i++) {
        if (id[i] < '0' || id[i] > '9')
            return GY_IDNUM_CHARS;
    }
    char last = id[17] == 'x' ? 'X' : id[17];
    if (!(last == 'X' || (last >= '0' && last <= '9')))
        return GY_IDNUM_CHARS;

    int known = 0;
    for (size_t i = 0; i < sizeof(provinces) / sizeof(provinces[0]); i++) {
        if (id[0] == provinces[i][0] && id[1] == provinces[i][1])
            known = 1;
    }
    if (!known || digits(id + 2, 4) == 0)
        return GY_IDNUM_REGION;

    struct gy_date b = {digits(id + 6, 4), digits(id + 10, 2), digits(id + 12, 2)};
    struct gy_date floor = {1900, 1, 1};
    if (!gy_date_valid(b) || gy_date_cmp(b, floor) < 0 ||
        (today != NULL && gy_date_cmp(b, *today) > 0))
        return GY_IDNUM_BIRTH;

    if (gy_idnum_check_char(id) != last)
        return GY_IDNUM_CHECK;
    if (birth != NULL)
        *birth = b;
    return GY_IDNUM_OK;
}

const char *
gy_idnum_strerror(enum gy_idnum_error err)
{
    switch (err) {
    case GY_IDNUM_OK:
        return "valid";
    case GY_IDNUM_LENGTH:
        return "ID number must have 18 characters";
    case GY_IDNUM_CHARS:
        return "ID number must be 17 digits and a digit or X";
    case GY_IDNUM_REGION:
        return "ID number has an unknown region code";
    case GY_IDNUM_BIRTH:
        return "ID number has an impossible birth date";
    case GY_IDNUM_CHECK:
        return "ID number has a wrong check digit";
    }
    return "invalid ID number";
}
