/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of base/gy_idnum: the demo ID numbers, X check characters, and each way a number
 * can be wrong (length, characters, region, birth date, check digit). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/gy_idnum.h"

static void
test_cases(void **state)
{
    (void)state;
    static const struct gy_date today = {2026, 11, 28};
    static const struct {
        const char *id;
        enum gy_idnum_error want;
    } cases[] = {
        {"430421198805123412", GY_IDNUM_OK},     /* worker A */
        {"450921199208172625", GY_IDNUM_OK},     /* worker B */
        {"511322198501011536", GY_IDNUM_OK},     /* worker C */
        {"44070319900101005X", GY_IDNUM_OK},     /* X check character */
        {"44070319900101005x", GY_IDNUM_OK},     /* lowercase x accepted */
        {"430421198805123413", GY_IDNUM_CHECK},  /* wrong check digit */
        {"440703199001010050", GY_IDNUM_CHECK},  /* digit where X is due */
        {"430421198802303412", GY_IDNUM_BIRTH},  /* 30 February */
        {"430421198813123412", GY_IDNUM_BIRTH},  /* month 13 */
        {"430421189905123412", GY_IDNUM_BIRTH},  /* before 1900 */
        {"430421202712013412", GY_IDNUM_BIRTH},  /* after today */
        {"43042119880512341", GY_IDNUM_LENGTH},  /* 17 characters */
        {"4304211988051234121", GY_IDNUM_LENGTH}, /* 19 characters */
        {"", GY_IDNUM_LENGTH},
        {"43042119880512341A", GY_IDNUM_CHARS},
        {"4304211988O5123412", GY_IDNUM_CHARS},  /* letter O for zero */
        {"990421198805123412", GY_IDNUM_REGION}, /* no province 99 */
        {"430000198805123412", GY_IDNUM_REGION}, /* a province, not a county */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        enum gy_idnum_error got = gy_idnum_check(cases[i].id, &today, NULL);
        if (got != cases[i].want)
            fail_msg("case %zu: got %d (%s), want %d", i, got, gy_idnum_strerror(got),
                     cases[i].want);
    }
    assert_int_equal(gy_idnum_check(NULL, &today, NULL), GY_IDNUM_LENGTH);
}

static void
test_birth_and_check_char(void **state)
{
    (void)state;
    struct gy_date b = {0, 0, 0};
    assert_int_equal(gy_idnum_check("430421198805123412", NULL, &b), GY_IDNUM_OK);
    assert_int_equal(b.year, 1988);
    assert_int_equal(b.month, 5);
    assert_int_equal(b.day, 12);
    assert_int_equal(gy_idnum_check_char("44070319900101005"), 'X');
    assert_int_equal(gy_idnum_check_char("51132219850101153"), '6');
    assert_int_equal(gy_idnum_check_char("5113221985010115a"), 0);
    /* Every wrong last character of a valid number is refused. */
    const char *digits = "0123456789X";
    for (const char *c = digits; *c; c++) {
        char id[19] = "45092119920817262?";
        id[17] = *c;
        assert_int_equal(gy_idnum_check(id, NULL, NULL) == GY_IDNUM_OK, *c == '5');
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_birth_and_check_char),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
