/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of locale/text_split and locale/ussd_budget: the exact 70/67, 160/153 and 134/135
 * boundaries, escape and surrogate pairs and GBK/GB18030 characters never cut (at every
 * boundary position), UDH/SAR/payload forms, packed GSM, the max-parts policy, the
 * signature in the budget and the USSD figures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/gy_err.h"
#include "locale/gsm7.h"
#include "locale/text_split.h"
#include "locale/ussd_budget.h"

/* Returns a new string of n copies of unit (caller frees). */
static char *
rep(const char *unit, size_t n)
{
    size_t ul = strlen(unit);
    char *s = malloc(ul * n + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * ul, unit, ul);
    s[ul * n] = '\0';
    return s;
}

static char *
cat3(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *s = malloc(la + lb + lc + 1);
    assert_non_null(s);
    memcpy(s, a, la);
    memcpy(s + la, b, lb);
    memcpy(s + la + lb, c, lc + 1);
    return s;
}

/* Decodes every part on its own: none may contain U+FFFD (a cut character); their
 * concatenation must equal want. Checks UDH / SAR numbering. */
static void
check_parts(struct text_codec *c, const struct text_split *sp, const struct text_split_opts *o,
            const char *want)
{
    struct text_buf all;
    text_buf_init(&all);
    for (size_t i = 0; i < sp->n_parts; i++) {
        const struct text_part *p = &sp->parts[i];
        const uint8_t *body = p->sm;
        size_t blen = p->sm_len, hdr = 0;
        if (sp->n_parts > 1 && o->concat != TEXT_CONCAT_SAR) {
            assert_true(p->udhi);
            hdr = (size_t)p->sm[0] + 1;
            assert_int_equal(p->sm[hdr - 1], i + 1);       /* sequence */
            assert_int_equal(p->sm[hdr - 2], sp->n_parts); /* total */
        } else if (sp->n_parts > 1) {
            assert_true(p->sar);
            assert_int_equal(p->sar_seq, i + 1);
            assert_int_equal(p->sar_total, sp->n_parts);
            assert_false(p->udhi);
        } else {
            assert_false(p->udhi);
        }
        if (o->concat == TEXT_CONCAT_PAYLOAD) {
            body = sp->payload;
            blen = sp->payload_len;
            assert_int_equal(p->sm_len, 0);
        }
        struct text_decode_opts d = {.dc0 = o->gsm7_packed ? TEXT_DC0_GSM7_PACKED
                                                           : TEXT_DC0_GSM7_UNPACKED};
        if (o->gsm7_packed) {
            d.fill_bits = (unsigned)((7 - (hdr * 8) % 7) % 7);
            d.n_septets = p->n_units;
        }
        struct text_buf b;
        text_buf_init(&b);
        size_t bad = 0;
        assert_int_equal(text_decode(c, sp->data_coding, body + hdr, blen - hdr, &d, &b, &bad), 0);
        assert_int_equal(bad, 0);
        assert_int_equal(text_buf_put(&all, b.data, b.len), 0);
        text_buf_fini(&b);
        assert_true(p->sm_len <= (o->gsm7_packed || sp->coding != TEXT_CODING_GSM7 ? 140 : 160));
    }
    assert_string_equal(all.data ? all.data : "", want);
    text_buf_fini(&all);
}

struct bcase {
    const char *name;
    const char *unit;
    size_t n;
    unsigned allow;
    enum text_concat concat;
    size_t parts;
    size_t first_units; /* units in part 1 */
};

static const struct bcase boundary[] = {
    {"70 Chinese = 1", "积", 70, 0, TEXT_CONCAT_UDH8, 1, 140},
    {"71 Chinese = 2 (67 + 4)", "积", 71, 0, TEXT_CONCAT_UDH8, 2, 134},
    {"134 Chinese = 2 x 67", "积", 134, 0, TEXT_CONCAT_UDH8, 2, 134},
    {"135 Chinese = 3", "积", 135, 0, TEXT_CONCAT_UDH8, 3, 134},
    {"132 Chinese UDH16 = 2 x 66", "积", 132, 0, TEXT_CONCAT_UDH16, 2, 132},
    {"133 Chinese UDH16 = 3", "积", 133, 0, TEXT_CONCAT_UDH16, 3, 132},
    {"160 GSM = 1", "a", 160, 0, TEXT_CONCAT_UDH8, 1, 160},
    {"161 GSM = 2 (153 + 8)", "a", 161, 0, TEXT_CONCAT_UDH8, 2, 153},
    {"306 GSM = 2 x 153", "a", 306, 0, TEXT_CONCAT_UDH8, 2, 153},
    {"307 GSM = 3", "a", 307, 0, TEXT_CONCAT_UDH8, 3, 153},
    {"161 GSM UDH16 (152)", "a", 161, 0, TEXT_CONCAT_UDH16, 2, 152},
    {"161 GSM SAR (153)", "a", 161, 0, TEXT_CONCAT_SAR, 2, 153},
    {"GBK 70 = 1", "积", 70, TEXT_ALLOW_GBK, TEXT_CONCAT_UDH8, 1, 140},
    {"GBK two parts", "积", 71, TEXT_ALLOW_GBK, TEXT_CONCAT_UDH8, 2, 134},
    {"GBK UDH16 133 octets -> 66 chars", "积", 71, TEXT_ALLOW_GBK, TEXT_CONCAT_UDH16, 2, 132},
    {"GBK ASCII 141 UDH16 = 133 + 8", "a", 141, TEXT_ALLOW_GBK, TEXT_CONCAT_UDH16, 2, 133},
    {"empty = 1 part", "", 1, 0, TEXT_CONCAT_UDH8, 1, 0},
};

static void
test_boundaries(void **state)
{
    (void)state;
    struct text_codec *c = text_codec_new();
    assert_non_null(c);
    for (size_t i = 0; i < sizeof boundary / sizeof boundary[0]; i++) {
        const struct bcase *t = &boundary[i];
        print_message("case: %s\n", t->name);
        char *s = rep(t->unit, t->n);
        struct text_split_opts o = {.allow = t->allow, .concat = t->concat, .ref = 0x1234};
        struct text_split sp;
        assert_int_equal(text_split_make(c, s, strlen(s), &o, &sp, NULL), 0);
        assert_int_equal(sp.n_parts, t->parts);
        assert_int_equal(sp.parts[0].n_units, t->first_units);
        assert_false(sp.truncated);
        if (t->parts > 1 && t->concat == TEXT_CONCAT_UDH8)
            assert_memory_equal(sp.parts[0].sm, "\x05\x00\x03\x34", 4);
        if (t->parts > 1 && t->concat == TEXT_CONCAT_UDH16)
            assert_memory_equal(sp.parts[1].sm, "\x06\x08\x04\x12\x34", 5);
        if (t->parts > 1 && t->concat == TEXT_CONCAT_SAR)
            assert_int_equal(sp.parts[1].sar_ref, 0x1234);
        check_parts(c, &sp, &o, s);
        text_split_fini(&sp);
        free(s);
    }
    text_codec_free(c);
}

/* A pair (emoji, U+20BB6, ESC + '{', GB18030 four bytes) at every position around the part
 * boundaries is never cut, in every concatenation mode. */
static void
test_pairs_never_split(void **state)
{
    (void)state;
    static const struct {
        const char *filler, *pair;
        unsigned allow;
    } kinds[] = {
        {"积", "😀", 0},
        {"积", "𠮶", 0},
        {"a", "{", 0},
        {"a", "€", 0},
        {"积", "😀", TEXT_ALLOW_GB18030},
        {"a", "𠮶", TEXT_ALLOW_GB18030},
    };
    static const enum text_concat modes[] = {TEXT_CONCAT_UDH8, TEXT_CONCAT_UDH16, TEXT_CONCAT_SAR};
    struct text_codec *c = text_codec_new();
    assert_non_null(c);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
            for (int packed = 0; packed <= 1; packed++) {
                for (size_t pre = 120; pre <= 165; pre++) {
                    char *a = rep(kinds[k].filler, pre);
                    char *b = rep(kinds[k].filler, 40);
                    char *s = cat3(a, kinds[k].pair, b);
                    struct text_split_opts o = {
                        .allow = kinds[k].allow, .concat = modes[m], .gsm7_packed = packed};
                    struct text_split sp;
                    assert_int_equal(text_split_make(c, s, strlen(s), &o, &sp, NULL), 0);
                    assert_true(sp.n_parts >= 2);
                    check_parts(c, &sp, &o, s);
                    text_split_fini(&sp);
                    free(a);
                    free(b);
                    free(s);
                }
            }
        }
    }
    text_codec_free(c);
}

static void
test_escape_at_boundary(void **state)
{
    (void)state;
    char *a = rep("a", 152);
    char *s = cat3(a, "{", "bbbbbbbbbb");
    struct text_split_opts o = {.concat = TEXT_CONCAT_UDH8};
    struct text_split sp;
    assert_int_equal(text_split_make(NULL, s, strlen(s), &o, &sp, NULL), 0);
    assert_int_equal(sp.n_parts, 2);
    assert_int_equal(sp.parts[0].n_units, 152); /* ESC would be septet 153: moved on */
    assert_int_equal(sp.parts[1].sm[6], GSM7_ESC);
    assert_int_equal(sp.parts[1].sm[7], 0x28);
    text_split_fini(&sp);
    free(a);
    free(s);
}

static void
test_packed_parts(void **state)
{
    (void)state;
    char *s = rep("x", 161);
    struct text_split_opts o = {.concat = TEXT_CONCAT_UDH8, .gsm7_packed = 1};
    struct text_split sp;
    assert_int_equal(text_split_make(NULL, s, 161, &o, &sp, NULL), 0);
    assert_int_equal(sp.n_parts, 2);
    assert_int_equal(sp.parts[0].sm_len, 140); /* 6 + ceil((1 + 153 * 7) / 8) */
    uint8_t sept[153];
    assert_int_equal(gsm7_unpack(sp.parts[0].sm + 6, 134, 1, sept, 153), 0);
    assert_int_equal(sept[0], 'x');
    assert_int_equal(sept[152], 'x');
    text_split_fini(&sp);
    o.concat = TEXT_CONCAT_UDH16;
    assert_int_equal(text_split_make(NULL, s, 161, &o, &sp, NULL), 0);
    assert_int_equal(sp.parts[0].sm_len, 140); /* 7 + 152 * 7 / 8 */
    text_split_fini(&sp);
    struct text_split_opts single = {.gsm7_packed = 1};
    assert_int_equal(text_split_make(NULL, s, 160, &single, &sp, NULL), 0);
    assert_int_equal(sp.n_parts, 1);
    assert_int_equal(sp.parts[0].sm_len, 140);
    text_split_fini(&sp);
    free(s);
}

static void
test_signature_in_budget(void **state)
{
    (void)state;
    const char *sig = "【江门人社】"; /* 6 characters */
    static const struct {
        size_t body;
        size_t parts;
    } cases[] = {{64, 1}, {65, 2}, {128, 2}, {129, 3}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = rep("积", cases[i].body);
        struct text_split_opts o = {.signature = sig};
        struct text_split sp;
        assert_int_equal(text_split_make(NULL, s, strlen(s), &o, &sp, NULL), 0);
        assert_int_equal(sp.n_parts, cases[i].parts);
        char *want = cat3(sig, s, "");
        check_parts(NULL, &sp, &o, want);
        free(want);
        text_split_fini(&sp);
        free(s);
    }
    /* The signature alone forces UCS-2 on an ASCII text. */
    struct text_split_opts o = {.signature = sig};
    struct text_split sp;
    assert_int_equal(text_split_make(NULL, "JF 100", 6, &o, &sp, NULL), 0);
    assert_int_equal(sp.data_coding, 8);
    text_split_fini(&sp);
}

static void
test_max_parts_policy(void **state)
{
    (void)state;
    char *s = rep("积", 500);
    struct text_split_opts o = {.max_parts = 3, .overflow = TEXT_OVERFLOW_TRUNCATE};
    struct text_split sp;
    assert_int_equal(text_split_make(NULL, s, strlen(s), &o, &sp, NULL), 0);
    assert_int_equal(sp.n_parts, 3);
    assert_true(sp.truncated);
    const struct text_part *last = &sp.parts[2];
    assert_int_equal(last->n_units, 134);
    assert_memory_equal(last->sm + last->sm_len - 2, "\x20\x26", 2); /* … */
    char *want = rep("积", 3 * 67 - 1);
    char *want2 = cat3(want, "…", "");
    check_parts(NULL, &sp, &o, want2);
    free(want);
    free(want2);
    text_split_fini(&sp);

    o.max_parts = 1;
    assert_int_equal(text_split_make(NULL, s, strlen(s), &o, &sp, NULL), 0);
    assert_int_equal(sp.n_parts, 1);
    assert_int_equal(sp.parts[0].n_units, 140);
    text_split_fini(&sp);

    char *g = rep("a", 400);
    o.max_parts = 2;
    assert_int_equal(text_split_make(NULL, g, 400, &o, &sp, NULL), 0);
    assert_int_equal(sp.n_parts, 2);
    assert_memory_equal(sp.parts[1].sm + sp.parts[1].sm_len - 3, "...", 3);
    text_split_fini(&sp);

    o.overflow = TEXT_OVERFLOW_REFUSE;
    assert_int_equal(text_split_make(NULL, g, 400, &o, &sp, NULL), GY_ETOOBIG);
    assert_null(sp.parts);
    assert_int_equal(text_split_make(NULL, g, 306, &o, &sp, NULL), 0); /* exactly 2 */
    text_split_fini(&sp);
    free(g);
    free(s);
}

static void
test_payload_and_errors(void **state)
{
    (void)state;
    char *s = rep("积", 200);
    struct text_split_opts o = {.concat = TEXT_CONCAT_PAYLOAD};
    struct text_split sp;
    assert_int_equal(text_split_make(NULL, s, strlen(s), &o, &sp, NULL), 0);
    assert_int_equal(sp.n_parts, 1);
    assert_int_equal(sp.payload_len, 400);
    assert_int_equal(sp.n_segments, 3);
    check_parts(NULL, &sp, &o, s);
    text_split_fini(&sp);
    free(s);

    struct text_unencodable bad;
    struct text_split_opts g = {.allow = TEXT_ALLOW_GSM7, .signature = "Hi "};
    assert_int_equal(text_split_make(NULL, "ok 积", 6, &g, &sp, &bad), GY_EENCODING);
    assert_int_equal(bad.offset, 6); /* in signature + text */
    assert_int_equal(bad.cp, 0x79EF);
    struct text_split_opts bad_opts = {.max_parts = 300};
    assert_int_equal(text_split_make(NULL, "a", 1, &bad_opts, &sp, NULL), GY_EINVAL);
    text_split_fini(NULL);
}

static void
test_ussd_budget(void **state)
{
    (void)state;
    assert_int_equal(ussd_budget_capacity(TEXT_CODING_GSM7), 182);
    assert_int_equal(ussd_budget_capacity(TEXT_CODING_UCS2), 80);
    assert_int_equal(ussd_budget_capacity(TEXT_CODING_GBK), 160);
    struct text_codec *c = text_codec_new();
    assert_non_null(c);
    static const struct {
        const char *s;
        enum text_coding coding;
        int rc;
        size_t units;
    } m[] = {
        {"1. JF", TEXT_CODING_GSM7, 0, 5},
        {"a{€", TEXT_CODING_GSM7, 0, 5},
        {"积分", TEXT_CODING_GSM7, GY_EENCODING, 0},
        {"积分", TEXT_CODING_UCS2, 0, 2},
        {"1.积分😀", TEXT_CODING_UCS2, 0, 6},
        {"1.积分", TEXT_CODING_GBK, 0, 6},
        {"€喆", TEXT_CODING_GBK, 0, 3},
        {"😀", TEXT_CODING_GBK, GY_EENCODING, 0},
        {"\xC0\x80", TEXT_CODING_UCS2, GY_EENCODING, 0},
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
        size_t units = 0, off = 99;
        assert_int_equal(ussd_budget_measure(c, m[i].s, strlen(m[i].s), m[i].coding, &units, &off),
                         m[i].rc);
        if (m[i].rc == 0)
            assert_int_equal(units, m[i].units);
        else
            assert_int_equal(off, 0);
    }
    /* 200 'a' -> 182 fit; 100 积 -> 80 in UCS-2; 79 积 + emoji: the pair does not fit. */
    char *a = rep("a", 200);
    size_t pl, units;
    assert_int_equal(ussd_budget_fit(c, a, 200, TEXT_CODING_GSM7, 182, &pl, &units, NULL), 0);
    assert_int_equal(pl, 182);
    char *z = rep("积", 100);
    assert_int_equal(ussd_budget_fit(c, z, strlen(z), TEXT_CODING_UCS2, 80, &pl, &units, NULL), 0);
    assert_int_equal(pl, 80 * 3);
    assert_int_equal(ussd_budget_fit(c, z, strlen(z), TEXT_CODING_GBK, 160, &pl, &units, NULL), 0);
    assert_int_equal(units, 160);
    char *z79 = rep("积", 79);
    char *e = cat3(z79, "😀", "");
    assert_int_equal(ussd_budget_fit(c, e, strlen(e), TEXT_CODING_UCS2, 80, &pl, &units, NULL), 0);
    assert_int_equal(pl, 79 * 3);
    assert_int_equal(units, 79);
    free(a);
    free(z);
    free(z79);
    free(e);
    text_codec_free(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundaries),          cmocka_unit_test(test_pairs_never_split),
        cmocka_unit_test(test_escape_at_boundary),  cmocka_unit_test(test_packed_parts),
        cmocka_unit_test(test_signature_in_budget), cmocka_unit_test(test_max_parts_policy),
        cmocka_unit_test(test_payload_and_errors),  cmocka_unit_test(test_ussd_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
