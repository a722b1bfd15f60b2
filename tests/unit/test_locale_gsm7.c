/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of locale/gsm7 (alphabet tables, packing with fill bits) and locale/text_utf8
 * (strict validation and iteration). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/gy_err.h"
#include "locale/gsm7.h"
#include "locale/text_utf8.h"

static void
test_base_table_round_trip(void **state)
{
    (void)state;
    for (unsigned s = 0; s < 128; s++) {
        if (s == GSM7_ESC)
            continue;
        uint8_t out[2];
        assert_int_equal(gsm7_from_cp(gsm7_base_to_cp((uint8_t)s), out), 1);
        assert_int_equal(out[0], s);
    }
}

static void
test_extension_table(void **state)
{
    (void)state;
    static const struct {
        uint32_t cp;
        uint8_t code;
    } cases[] = {{0x0C, 0x0A}, {'^', 0x14}, {'{', 0x28}, {'}', 0x29}, {'\\', 0x2F},
                 {'[', 0x3C},  {'~', 0x3D}, {']', 0x3E}, {'|', 0x40}, {0x20AC, 0x65}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t out[2];
        assert_int_equal(gsm7_from_cp(cases[i].cp, out), 2);
        assert_int_equal(out[0], GSM7_ESC);
        assert_int_equal(out[1], cases[i].code);
        assert_int_equal(gsm7_ext_to_cp(cases[i].code), cases[i].cp);
    }
    static const uint32_t none[] = {'`', 0x7F, 0x79EF, 0x1F600, 0x00A0, 0xE7 /* ç */};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        uint8_t out[2];
        assert_int_equal(gsm7_from_cp(none[i], out), 0);
    }
}

static void
test_pack_known_vector(void **state)
{
    (void)state;
    const uint8_t hello[] = {'h', 'e', 'l', 'l', 'o'};
    const uint8_t want[] = {0xE8, 0x32, 0x9B, 0xFD, 0x06};
    uint8_t out[8];
    assert_int_equal(gsm7_pack(hello, 5, 0, out, sizeof out), 5);
    assert_memory_equal(out, want, 5);
    uint8_t back[5];
    assert_int_equal(gsm7_unpack(want, 5, 0, back, 5), 0);
    assert_memory_equal(back, hello, 5);
    /* Eight septets fill seven octets exactly. */
    assert_int_equal(gsm7_packed_len(8, 0), 7);
    assert_int_equal(gsm7_septets_in(7, 0), 8);
    assert_int_equal(gsm7_septets_in(140, 0), 160);
    assert_int_equal(gsm7_septets_in(134, 1), 153);
    assert_int_equal(gsm7_septets_in(160, 0), 182);
}

static void
test_pack_fill_bits_round_trip(void **state)
{
    (void)state;
    uint8_t sept[64], back[64], packed[64];
    uint32_t x = 12345;
    for (unsigned fill = 0; fill <= 6; fill++) {
        for (size_t n = 0; n <= 40; n++) {
            for (size_t i = 0; i < n; i++) {
                x = x * 1103515245u + 12345u;
                sept[i] = (uint8_t)((x >> 16) & 0x7F);
            }
            int w = gsm7_pack(sept, n, fill, packed, sizeof packed);
            assert_int_equal(w, (int)gsm7_packed_len(n, fill));
            if (n > 0)
                assert_int_equal(packed[0] & ((1u << fill) - 1), 0); /* fill bits zero */
            assert_int_equal(gsm7_unpack(packed, (size_t)w, fill, back, n), 0);
            if (n > 0)
                assert_memory_equal(back, sept, n);
        }
    }
    assert_int_equal(gsm7_pack(sept, 3, 7, packed, sizeof packed), GY_EINVAL);
    assert_int_equal(gsm7_pack(sept, 10, 0, packed, 3), GY_ETOOBIG);
    assert_int_equal(gsm7_unpack(packed, 2, 0, back, 3), GY_ETOOBIG);
}

static void
test_decode_septets(void **state)
{
    (void)state;
    static const struct {
        uint8_t in[8];
        size_t n;
        const char *want;
        size_t bad;
    } cases[] = {
        {{0x00, 0x02, 0x11}, 3, "@$_", 0},
        {{0x1B, 0x65}, 2, "\xE2\x82\xAC", 0}, /* € */
        {{0x1B, 0x28, 0x41, 0x1B, 0x29}, 5, "{A}", 0},
        {{0x41, 0x1B}, 2, "A\xEF\xBF\xBD", 1}, /* trailing lone ESC */
        {{0x1B, 0x41}, 2, "A", 0},             /* undefined pair: base char */
        {{0x80, 0x41},
         2,
         "\xEF\xBF\xBD"
         "A",
         1},
        {{0x10, 0x7F}, 2, "\xCE\x94\xC3\xA0", 0}, /* Δ à */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct text_buf b;
        text_buf_init(&b);
        size_t bad = 0;
        assert_int_equal(gsm7_decode_septets(cases[i].in, cases[i].n, &b, &bad), 0);
        assert_string_equal(b.data, cases[i].want);
        assert_int_equal(bad, cases[i].bad);
        text_buf_fini(&b);
    }
}

static void
test_utf8_validate(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int ok;
        size_t off;
    } cases[] = {
        {"abc", 1, 0},
        {"\xE7\xA7\xAF\xE5\x88\x86", 1, 0}, /* 积分 */
        {"\xF0\x9F\x98\x80", 1, 0},         /* emoji */
        {"\xF0\xA0\xAE\xB6", 1, 0},         /* U+20BB6 */
        {"a\xC0\x80", 0, 1},                /* overlong NUL */
        {"\xC1\xBF", 0, 0},                 /* overlong */
        {"\xE0\x80\xAF", 0, 0},             /* overlong 3-byte */
        {"\xF0\x80\x80\xAF", 0, 0},         /* overlong 4-byte */
        {"ab\xED\xA0\x80", 0, 2},           /* surrogate D800 */
        {"\xED\xBF\xBF", 0, 0},             /* surrogate DFFF */
        {"\xF4\x90\x80\x80", 0, 0},         /* > U+10FFFF */
        {"\xF5\x80\x80\x80", 0, 0},
        {"\xE7\xA7", 0, 0},     /* truncated */
        {"\x80", 0, 0},         /* stray continuation */
        {"\xEF\xBF\xBD", 1, 0}, /* U+FFFD itself is fine */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t off = 99;
        int rc = text_utf8_validate(cases[i].s, strlen(cases[i].s), &off);
        if (cases[i].ok) {
            assert_int_equal(rc, 0);
        } else {
            assert_int_equal(rc, GY_EENCODING);
            assert_int_equal(off, cases[i].off);
        }
    }
}

static void
test_utf8_next_recovery(void **state)
{
    (void)state;
    /* Maximal subparts: E7 A7 'x' is one error then 'x'; ED A0 80 is three errors. */
    const char s1[] = "\xE7\xA7x";
    size_t pos = 0;
    assert_int_equal(text_utf8_next(s1, 3, &pos), -1);
    assert_int_equal(pos, 2);
    assert_int_equal(text_utf8_next(s1, 3, &pos), 'x');
    const char s2[] = "\xED\xA0\x80";
    pos = 0;
    assert_int_equal(text_utf8_next(s2, 3, &pos), -1);
    assert_int_equal(pos, 1);
    assert_int_equal(text_utf8_count("a\xE7\xA7\xAF\xF0\x9F\x98\x80", 8), 3);
    struct text_buf b;
    text_buf_init(&b);
    assert_int_equal(text_buf_put_cp(&b, 0xD800), 0);
    assert_int_equal(text_buf_put_cp(&b, 0x20BB6), 0);
    assert_string_equal(b.data, "\xEF\xBF\xBD\xF0\xA0\xAE\xB6");
    text_buf_fini(&b);
    text_buf_fini(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base_table_round_trip),
        cmocka_unit_test(test_extension_table),
        cmocka_unit_test(test_pack_known_vector),
        cmocka_unit_test(test_pack_fill_bits_round_trip),
        cmocka_unit_test(test_decode_septets),
        cmocka_unit_test(test_utf8_validate),
        cmocka_unit_test(test_utf8_next_recovery),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
