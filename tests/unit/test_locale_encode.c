/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of locale/text_encode: cheapest coding per bind, GBK round trips of names and
 * Cantonese characters outside GB2312, € in GSM and GBK, unencodable characters reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/gy_err.h"
#include "locale/text_encode.h"

struct ecase {
    const char *name;
    const char *in;
    unsigned allow;
    int rc;
    enum text_coding coding;
    uint8_t dc;
    const char *hex; /* expected bytes, hex */
    size_t bad_off, bad_index, bad_count;
    uint32_t bad_cp;
};

#define ALL_GBK (TEXT_ALLOW_GSM7 | TEXT_ALLOW_GBK | TEXT_ALLOW_UCS2 | TEXT_ALLOW_UTF16)

static const struct ecase ecases[] = {
    {"ascii is GSM", "JF 123", TEXT_ALLOW_DEFAULT, 0, TEXT_CODING_GSM7, 0, "4a4620313233", 0, 0, 0,
     0},
    {"@ $ _ remap", "@$_", TEXT_ALLOW_DEFAULT, 0, TEXT_CODING_GSM7, 0, "000211", 0, 0, 0, 0},
    {"{ costs two", "a{b", TEXT_ALLOW_DEFAULT, 0, TEXT_CODING_GSM7, 0, "611b2862", 0, 0, 0, 0},
    {"euro GSM ext", "€", TEXT_ALLOW_DEFAULT, 0, TEXT_CODING_GSM7, 0, "1b65", 0, 0, 0, 0},
    {"euro GBK 0x80", "€", TEXT_ALLOW_GBK, 0, TEXT_CODING_GBK, 15, "80", 0, 0, 0, 0},
    {"积分 UCS-2", "积分", TEXT_ALLOW_DEFAULT, 0, TEXT_CODING_UCS2, 8, "79ef5206", 0, 0, 0, 0},
    {"积分 GBK", "积分", ALL_GBK, 0, TEXT_CODING_GBK, 15, "bbfdb7d6", 0, 0, 0, 0},
    {"GSM wins over GBK", "JF", ALL_GBK, 0, TEXT_CODING_GSM7, 0, "4a46", 0, 0, 0, 0},
    {"【】 force UCS-2", "【OK】", TEXT_ALLOW_DEFAULT, 0, TEXT_CODING_UCS2, 8, "3010004f004b3011",
     0, 0, 0, 0},
    {"emoji UTF-16", "a😀", TEXT_ALLOW_DEFAULT, 0, TEXT_CODING_UCS2, 8, "0061d83dde00", 0, 0, 0, 0},
    {"emoji falls from GBK to UTF-16", "积😀", ALL_GBK, 0, TEXT_CODING_UCS2, 8, "79efd83dde00", 0, 0,
     0, 0},
    {"emoji GB18030", "😀", TEXT_ALLOW_GB18030, 0, TEXT_CODING_GBK, 15, "9439fc36", 0, 0, 0, 0},
    {"emoji GBK only", "积分😀x", TEXT_ALLOW_GBK, GY_EENCODING, 0, 0, "", 6, 2, 1, 0x1F600},
    {"emoji UCS-2 only", "ab😀𠮶", TEXT_ALLOW_UCS2 | TEXT_ALLOW_GSM7, GY_EENCODING, 0, 0, "", 2, 2,
     2, 0x1F600},
    {"Chinese GSM only", "JF积分", TEXT_ALLOW_GSM7, GY_EENCODING, 0, 0, "", 2, 2, 2, 0x79EF},
    {"backtick GSM only", "a`b", TEXT_ALLOW_GSM7, GY_EENCODING, 0, 0, "", 1, 1, 1, '`'},
    {"invalid UTF-8", "ab\xC0\x80", TEXT_ALLOW_DEFAULT, GY_EENCODING, 0, 0, "", 2, 2, 1, 0xFFFD},
    {"surrogate UTF-8", "\xED\xA0\x80", TEXT_ALLOW_DEFAULT, GY_EENCODING, 0, 0, "", 0, 0, 1,
     0xFFFD},
    {"empty", "", TEXT_ALLOW_DEFAULT, 0, TEXT_CODING_GSM7, 0, "", 0, 0, 0, 0},
    {"nothing allowed", "a", 0, GY_EINVAL, 0, 0, "", 0, 0, 0, 0},
};

static void
to_hex(const uint8_t *b, size_t n, char *out)
{
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = d[b[i] >> 4];
        out[2 * i + 1] = d[b[i] & 15];
    }
    out[2 * n] = '\0';
}

static void
test_encode_table(void **state)
{
    (void)state;
    struct text_codec *c = text_codec_new();
    assert_non_null(c);
    for (size_t i = 0; i < sizeof ecases / sizeof ecases[0]; i++) {
        const struct ecase *t = &ecases[i];
        print_message("case: %s\n", t->name);
        struct text_encoded e;
        struct text_unencodable bad;
        memset(&bad, 0, sizeof bad);
        int rc = text_encode(c, t->in, strlen(t->in), t->allow, &e, &bad);
        assert_int_equal(rc, t->rc);
        if (rc == 0) {
            char hex[256];
            assert_true(e.len < 120);
            to_hex(e.bytes, e.len, hex);
            assert_string_equal(hex, t->hex);
            assert_int_equal(e.coding, t->coding);
            assert_int_equal(e.data_coding, t->dc);
            text_encoded_fini(&e);
        } else if (rc == GY_EENCODING) {
            assert_int_equal(bad.offset, t->bad_off);
            assert_int_equal(bad.index, t->bad_index);
            assert_int_equal(bad.count, t->bad_count);
            assert_int_equal(bad.cp, t->bad_cp);
            assert_null(e.bytes);
        }
    }
    text_codec_free(c);
}

/* Names and Cantonese outside GB2312 survive UTF-8 -> GBK -> UTF-8. */
static void
test_gbk_round_trip(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        const char *hex;
    } cases[] = {
        {"镕", "e946"}, {"喆", "86b4"}, {"堃", "88d2"},
        {"玥", "ab68"}, {"冇", "83d3"}, {"嘅", "86fe"},
        {"咗", "85f8"}, {"啲", "86ac"}, {"陈玥喆冇嘅咗啲€江门人社JF", NULL},
    };
    struct text_codec *c = text_codec_new();
    assert_non_null(c);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct text_encoded e;
        assert_int_equal(text_encode(c, cases[i].s, strlen(cases[i].s), TEXT_ALLOW_GBK, &e, NULL),
                         0);
        assert_int_equal(e.coding, TEXT_CODING_GBK);
        if (cases[i].hex != NULL) {
            char hex[64];
            to_hex(e.bytes, e.len, hex);
            assert_string_equal(hex, cases[i].hex);
        }
        struct text_buf b;
        text_buf_init(&b);
        size_t bad = 0;
        assert_int_equal(text_decode(c, 15, e.bytes, e.len, NULL, &b, &bad), 0);
        assert_int_equal(bad, 0);
        assert_string_equal(b.data, cases[i].s);
        text_buf_fini(&b);
        text_encoded_fini(&e);
    }
    text_codec_free(c);
}

/* Every GSM-encodable code point below U+0400 decodes back to itself through GSM. */
static void
test_gsm_round_trip(void **state)
{
    (void)state;
    size_t n_ok = 0;
    for (uint32_t cp = 1; cp < 0x400; cp++) {
        char u[4];
        size_t ul = text_utf8_put(cp, u);
        struct text_encoded e;
        if (text_encode(NULL, u, ul, TEXT_ALLOW_GSM7, &e, NULL) != 0)
            continue;
        n_ok++;
        struct text_buf b;
        text_buf_init(&b);
        assert_int_equal(text_decode(NULL, 0, e.bytes, e.len, NULL, &b, NULL), 0);
        assert_int_equal(b.len, ul);
        assert_memory_equal(b.data, u, ul);
        text_buf_fini(&b);
        text_encoded_fini(&e);
    }
    /* 127 base characters (all but ESC) + 9 extension ones below U+0400 (not €) */
    assert_int_equal(n_ok, 136);
    assert_int_equal(text_encoded_char_len(TEXT_CODING_GBK, (const uint8_t *)"\x81", 1, 0), 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_table),
        cmocka_unit_test(test_gbk_round_trip),
        cmocka_unit_test(test_gsm_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
