/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_gy_str: bounded copies cut on UTF-8 character boundaries (base/gy_str.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/gy_str.h"

struct copy_case {
    const char *src;
    size_t size;
    const char *want;
    size_t ret;
};

static void
test_strlcpy_table(void **state)
{
    (void)state;
    static const struct copy_case cases[] = {
        {"", 1, "", 0},         {"abc", 4, "abc", 3}, {"abc", 3, "ab", 3}, {"abc", 1, "", 3},
        {"江门", 7, "江门", 6}, /* exactly fits */
        {"江门", 6, "江", 6},   /* 门 would lose its last octet */
        {"江门", 5, "江", 6},   {"江门", 4, "江", 6}, {"江门", 3, "", 6}, /* 江 needs 3 octets and
                                                                             the NUL */
        {"a江", 3, "a", 4},     {"¥1,950", 2, "", 7},                     /* ¥ is two octets */
        {"¥1,950", 3, "¥", 7},  {"😀x", 4, "", 5},                         /* four-octet character */
        {"😀x", 5, "😀", 5},      {NULL, 4, "", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[16];
        memset(buf, 'Z', sizeof buf);
        size_t r = gy_strlcpy(buf, cases[i].size, cases[i].src);
        assert_string_equal(buf, cases[i].want);
        assert_int_equal(r, cases[i].ret);
        assert_int_equal(buf[cases[i].size], 'Z'); /* nothing written past size */
    }
}

static void
test_strlcpy_n(void **state)
{
    (void)state;
    char buf[8];
    assert_int_equal(gy_strlcpy_n(buf, sizeof buf, "abcdef", 3), 3);
    assert_string_equal(buf, "abc");
    assert_int_equal(gy_strlcpy_n(buf, sizeof buf, "ab\0cd", 5), 2); /* NUL ends it */
    assert_string_equal(buf, "ab");
    assert_int_equal(gy_strlcpy_n(buf, sizeof buf, "江门市", 9), 9);
    assert_string_equal(buf, "江门");
    /* an invalid lead of continuation octets alone is dropped, never half-copied */
    assert_int_equal(gy_strlcpy_n(buf, 3, "\x80\x80\x80\x80", 4), 4);
    assert_string_equal(buf, "");
    assert_int_equal(gy_strlcpy_n(buf, 0, "abc", 3), 3); /* size 0 writes nothing */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strlcpy_table),
        cmocka_unit_test(test_strlcpy_n),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
