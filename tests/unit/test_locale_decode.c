/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of locale/text_decode: every SMPP data_coding and USSD DCS the gateway reads,
 * invalid and truncated input (U+FFFD, counted), GBK 0x80 as €, GB18030 four-byte forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/gy_err.h"
#include "locale/gsm7.h"
#include "locale/text_decode.h"

#define FFFD "\xEF\xBF\xBD"

struct dcase {
    const char *name;
    enum text_dcs_scheme scheme;
    enum text_dc0_mode dc0;
    int ussd_packed;
    uint8_t dcs;
    uint8_t in[24];
    size_t len;
    int rc;
    const char *want;
    size_t bad;
};

static const struct dcase cases[] = {
    {"GBK 积分", TEXT_SCHEME_SMPP, 0, 0, 15, {0xBB, 0xFD, 0xB7, 0xD6}, 4, 0, "积分", 0},
    {"UCS-2 积分", TEXT_SCHEME_SMPP, 0, 0, 8, {0x79, 0xEF, 0x52, 0x06}, 4, 0, "积分", 0},
    {"GBK 0x80 euro", TEXT_SCHEME_SMPP, 0, 0, 15, {'A', 0x80, 'B'}, 3, 0, "A€B", 0},
    {"GSM ext euro", TEXT_SCHEME_SMPP, 0, 0, 0, {0x1B, 0x65}, 2, 0, "€", 0},
    {"GBK mixed ASCII",
     TEXT_SCHEME_SMPP,
     0,
     0,
     15,
     {'J', 'F', ' ', 0xBD, 0xAD, 0xC3, 0xC5},
     7,
     0,
     "JF 江门",
     0},
    {"GBK outside GB2312",
     TEXT_SCHEME_SMPP,
     0,
     0,
     15,
     {0xE9, 0x46, 0x83, 0xD3, 0x86, 0xFE},
     6,
     0,
     "镕冇嘅",
     0},
    {"GB18030 4-byte emoji", TEXT_SCHEME_SMPP, 0, 0, 15, {0x94, 0x39, 0xFC, 0x36}, 4, 0, "😀", 0},
    {"GBK truncated tail", TEXT_SCHEME_SMPP, 0, 0, 15, {0xBB, 0xFD, 0xB7}, 3, 0, "积" FFFD, 1},
    {"GBK truncated 4-byte",
     TEXT_SCHEME_SMPP,
     0,
     0,
     15,
     {'a', 0x94, 0x39, 0xFC},
     4,
     0,
     "a" FFFD,
     1},
    {"GBK bad lead 0xFF", TEXT_SCHEME_SMPP, 0, 0, 15, {0xFF, 'a'}, 2, 0, FFFD "a", 1},
    {"GBK lead then ASCII", TEXT_SCHEME_SMPP, 0, 0, 15, {0xBB, ' ', 'a'}, 3, 0, FFFD " a", 1},
    {"UCS-2 odd length", TEXT_SCHEME_SMPP, 0, 0, 8, {0x79, 0xEF, 0x52}, 3, 0, "积" FFFD, 1},
    {"UCS-2 one byte", TEXT_SCHEME_SMPP, 0, 0, 8, {0x79}, 1, 0, FFFD, 1},
    {"UTF-16 pair", TEXT_SCHEME_SMPP, 0, 0, 8, {0xD8, 0x42, 0xDF, 0xB6}, 4, 0, "𠮶", 0},
    {"UTF-16 lone high", TEXT_SCHEME_SMPP, 0, 0, 8, {0xD8, 0x3D, 0x00, 0x41}, 4, 0, FFFD "A", 1},
    {"UTF-16 lone low", TEXT_SCHEME_SMPP, 0, 0, 8, {0xDE, 0x00, 0x00, 0x41}, 4, 0, FFFD "A", 1},
    {"UTF-16 high at end", TEXT_SCHEME_SMPP, 0, 0, 8, {0x00, 0x41, 0xD8, 0x3D}, 4, 0, "A" FFFD, 1},
    {"IA5 high byte", TEXT_SCHEME_SMPP, 0, 0, 1, {'o', 'k', 0xE9}, 3, 0, "ok" FFFD, 1},
    {"Latin-1", TEXT_SCHEME_SMPP, 0, 0, 3, {'c', 'a', 'f', 0xE9}, 4, 0, "café", 0},
    {"dc0 Latin-1 bind", TEXT_SCHEME_SMPP, TEXT_DC0_LATIN1, 0, 0, {0xA3, '5'}, 2, 0, "£5", 0},
    {"dc0 ASCII bind", TEXT_SCHEME_SMPP, TEXT_DC0_ASCII, 0, 0, {'@', 0x80}, 2, 0, "@" FFFD, 1},
    {"dc0 GSM unpacked", TEXT_SCHEME_SMPP, 0, 0, 0, {0x00, 'J', 'F', 0x80}, 4, 0, "@JF" FFFD, 1},
    {"dc0 GSM packed",
     TEXT_SCHEME_SMPP,
     TEXT_DC0_GSM7_PACKED,
     0,
     0,
     {0xE8, 0x32, 0x9B, 0xFD, 0x06},
     5,
     0,
     "hello",
     0},
    {"binary 4 refused", TEXT_SCHEME_SMPP, 0, 0, 4, {1, 2}, 2, GY_EENCODING, "", 0},
    {"binary 2 refused", TEXT_SCHEME_SMPP, 0, 0, 2, {1, 2}, 2, GY_EENCODING, "", 0},
    {"JIS unsupported", TEXT_SCHEME_SMPP, 0, 0, 5, {1, 2}, 2, GY_EENCODING, "", 0},
    {"class 0xF1 GSM", TEXT_SCHEME_SMPP, 0, 0, 0xF1, {'h', 'i'}, 2, 0, "hi", 0},
    {"USSD 0x0F packed",
     TEXT_SCHEME_USSD,
     0,
     1,
     0x0F,
     {0xE8, 0x32, 0x9B, 0xFD, 0x06},
     5,
     0,
     "hello",
     0},
    {"USSD 0x0F unpacked",
     TEXT_SCHEME_USSD,
     0,
     0,
     0x0F,
     {'*', '1', '8', '8', '#'},
     5,
     0,
     "*188#",
     0},
    {"USSD 0x48 UCS-2", TEXT_SCHEME_USSD, 0, 1, 0x48, {0x79, 0xEF, 0x52, 0x06}, 4, 0, "积分", 0},
    {"USSD 0x44 8-bit", TEXT_SCHEME_USSD, 0, 1, 0x44, {'1', 0xE9}, 2, 0, "1é", 0},
    {"USSD 0x11 UCS-2 with language",
     TEXT_SCHEME_USSD,
     0,
     1,
     0x11,
     {0xFA, 0x34, 0x79, 0xEF, 0x52, 0x06},
     6,
     0,
     "积分",
     0},
    {"USSD 0x10 GSM with language",
     TEXT_SCHEME_USSD,
     0,
     0,
     0x10,
     {'z', 'h', 0x0D, 'O', 'K'},
     5,
     0,
     "OK",
     0},
    {"USSD 0x00 German GSM", TEXT_SCHEME_USSD, 0, 0, 0x00, {'O', 'K'}, 2, 0, "OK", 0},
    {"USSD 0x60 compressed", TEXT_SCHEME_USSD, 0, 0, 0x60, {'O', 'K'}, 2, GY_EENCODING, "", 0},
    {"empty GBK", TEXT_SCHEME_SMPP, 0, 0, 15, {0}, 0, 0, "", 0},
};

static void
test_decode_table(void **state)
{
    (void)state;
    struct text_codec *c = text_codec_new();
    assert_non_null(c);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct dcase *t = &cases[i];
        struct text_decode_opts o = {
            .scheme = t->scheme, .dc0 = t->dc0, .ussd_gsm7_packed = t->ussd_packed};
        struct text_buf b;
        text_buf_init(&b);
        size_t bad = 77;
        int rc = text_decode(c, t->dcs, t->in, t->len, &o, &b, &bad);
        print_message("case: %s\n", t->name);
        assert_int_equal(rc, t->rc);
        if (rc == 0) {
            assert_non_null(b.data);
            assert_string_equal(b.data, t->want);
            assert_int_equal(bad, t->bad);
            assert_int_equal(text_utf8_validate(b.data, b.len, NULL), 0);
        } else {
            assert_int_equal(b.len, 0);
        }
        text_buf_fini(&b);
    }
    text_codec_free(c);
}

static void
test_packed_fill_bits(void **state)
{
    (void)state;
    /* After a 6-octet UDH the septets start after 1 fill bit. */
    const uint8_t sept[] = {'h', 'e', 'l', 'l', 'o', 0x1B, 0x65};
    uint8_t packed[16];
    for (unsigned fill = 0; fill <= 6; fill++) {
        int w = gsm7_pack(sept, sizeof sept, fill, packed, sizeof packed);
        assert_true(w > 0);
        struct text_decode_opts o = {
            .dc0 = TEXT_DC0_GSM7_PACKED, .fill_bits = fill, .n_septets = sizeof sept};
        struct text_buf b;
        text_buf_init(&b);
        assert_int_equal(text_decode(NULL, 0, packed, (size_t)w, &o, &b, NULL), 0);
        assert_string_equal(b.data, "hello€");
        text_buf_fini(&b);
    }
}

static void
test_packed_cr_padding(void **state)
{
    (void)state;
    /* 7 septets in 7 octets leave 7 spare bits, which carry CR (TS 23.038 6.1.2.3.1). */
    const uint8_t sept[] = {'1', '2', '3', '4', '5', '6', '7', 0x0D};
    uint8_t packed[8];
    int w = gsm7_pack(sept, sizeof sept, 0, packed, sizeof packed);
    assert_int_equal(w, 7);
    struct text_decode_opts o = {.scheme = TEXT_SCHEME_USSD, .ussd_gsm7_packed = 1};
    struct text_buf b;
    text_buf_init(&b);
    assert_int_equal(text_decode(NULL, 0x0F, packed, 7, &o, &b, NULL), 0);
    assert_string_equal(b.data, "1234567");
    text_buf_fini(&b);
}

static void
test_bad_args(void **state)
{
    (void)state;
    struct text_buf b;
    text_buf_init(&b);
    assert_int_equal(text_decode(NULL, 0, NULL, 3, NULL, &b, NULL), GY_EINVAL);
    assert_int_equal(text_decode(NULL, 15, (const uint8_t *)"ab", 2, NULL, &b, NULL), GY_EINVAL);
    struct text_decode_opts o = {.dc0 = TEXT_DC0_GSM7_PACKED, .fill_bits = 7};
    assert_int_equal(text_decode(NULL, 0, (const uint8_t *)"ab", 2, &o, &b, NULL), GY_EINVAL);
    o.fill_bits = 0;
    o.n_septets = 5; /* more than 2 octets hold */
    assert_int_equal(text_decode(NULL, 0, (const uint8_t *)"ab", 2, &o, &b, NULL), GY_EINVAL);
    text_buf_fini(&b);
    text_codec_free(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_table),
        cmocka_unit_test(test_packed_fill_bits),
        cmocka_unit_test(test_packed_cr_padding),
        cmocka_unit_test(test_bad_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
