/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of locale/keyword: width, case and punctuation folding, keyword and arguments,
 * Chinese keywords followed by digits, empty and invalid input, the alias table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/gy_err.h"
#include "locale/keyword.h"

static void
test_parse_table(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        const char *word;
        const char *args;
    } cases[] = {
        {"ＪＦ", "JF", ""},
        {"积分。", "积分", ""},
        {"jf!", "JF", ""},
        {"JF 123456", "JF", "123456"},
        {"  退订 ", "退订", ""},
        {"ＴＤ", "TD", ""},
        {"td", "TD", ""},
        {"Ｊｆ　１２３４５６", "JF", "123456"}, /* ideographic space, full-width digits */
        {"积分123", "积分", "123"},
        {"积分 123", "积分", "123"},
        {"jf123456", "JF", "123456"},
        {"【积分】", "积分", ""},
        {"“退订”", "退订", ""},
        {"《帮助》？", "帮助", ""},
        {"……积分！！", "积分", ""},
        {"JF，430421198805123412。", "JF", "430421198805123412"},
        {"gz 车工 中级工", "GZ", "车工 中级工"},
        {"Help me please", "HELP", "me please"},
        {"\t\r\nBZ\r\n", "BZ", ""},
        {"?", "?", ""},
        {"？", "?", ""},
        {"  ？！ ", "?", ""},
        {"", "", ""},
        {"   ", "", ""},
        {"　　", "", ""},
        {"123", "123", ""},
        {"JF:abc", "JF", "abc"},
        {"JF abc DEF", "JF", "abc DEF"}, /* arguments keep their case */
        {"ＪＦ、", "JF", ""},
        {"Tｄ", "TD", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct kw_parsed p;
        assert_int_equal(kw_parse(cases[i].in, strlen(cases[i].in), &p), 0);
        if (strcmp(p.word, cases[i].word) != 0 || strcmp(p.args, cases[i].args) != 0)
            fail_msg("case %zu: got word '%s' args '%s', want '%s' '%s'", i, p.word, p.args,
                     cases[i].word, cases[i].args);
        kw_parsed_fini(&p);
    }
}

static void
test_invalid_utf8(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t len;
    } cases[] = {
        {"\xff", 1},             /* never valid */
        {"JF \xC0\xAF", 5},      /* overlong '/' */
        {"\xED\xA0\x80", 3},     /* surrogate */
        {"\xE7\xA7", 2},         /* truncated 积 */
        {"\xBB\xFD\xB7\xD6", 4}, /* 积分 in GBK, not UTF-8 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct kw_parsed p = {(char *)1, (char *)1};
        assert_int_equal(kw_parse(cases[i].in, cases[i].len, &p), GY_EENCODING);
        assert_null(p.word);
        assert_null(p.args);
        kw_parsed_fini(&p);
    }
    struct kw_parsed p;
    assert_int_equal(kw_parse(NULL, 1, &p), GY_EINVAL);
    assert_int_equal(kw_parse(NULL, 0, &p), 0);
    assert_string_equal(p.word, "");
    kw_parsed_fini(&p);
    /* An embedded NUL is a separator, not the end. */
    assert_int_equal(kw_parse("JF\0 12", 6, &p), 0);
    assert_string_equal(p.word, "JF");
    assert_string_equal(p.args, "12");
    kw_parsed_fini(&p);
}

static void
test_long_word_cut(void **state)
{
    (void)state;
    char in[400];
    for (size_t i = 0; i < 100; i++)
        memcpy(in + 3 * i, "积", 3);
    struct kw_parsed p;
    assert_int_equal(kw_parse(in, 300, &p), 0);
    assert_true(strlen(p.word) <= KW_MAX);
    assert_int_equal(strlen(p.word) % 3, 0); /* cut at a character */
    kw_parsed_fini(&p);
}

static void
test_table_defaults(void **state)
{
    (void)state;
    struct kw_table *t = kw_table_new();
    assert_non_null(t);
    assert_int_equal(kw_table_add_defaults(t), 0);
    assert_int_equal(kw_table_count(t), 22);
    static const struct {
        const char *in;
        const char *canonical; /* NULL: unknown */
    } cases[] = {
        {"ＪＦ", "JF"}, {"积分。", "JF"}, {"jf!", "JF"},     {"JF 123456", "JF"}, {"  退订 ", "TD"},
        {"ＴＤ", "TD"}, {"t", "TD"},      {"积分123", "JF"}, {"入学", "RX"},      {"gz", "GZ"},
        {"补贴", "BT"}, {"rh", "RH"},     {"订阅", "DY"},    {"help", "BZ"},      {"？", "BZ"},
        {"帮助", "BZ"}, {"en", "EN"},     {"中文", "ZW"},    {"zw", "ZW"},        {"hello", NULL},
        {"积", NULL},   {"", NULL},       {"  ", NULL},      {"JFX", NULL},       {"退", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct kw_parsed p;
        assert_int_equal(kw_parse(cases[i].in, strlen(cases[i].in), &p), 0);
        const char *c = kw_table_lookup(t, p.word);
        if (cases[i].canonical == NULL ? c != NULL
                                       : (c == NULL || strcmp(c, cases[i].canonical) != 0))
            fail_msg("case %zu '%s': got %s", i, cases[i].in, c ? c : "(null)");
        kw_parsed_fini(&p);
    }
    kw_table_free(t);
}

static void
test_table_aliases(void **state)
{
    (void)state;
    struct kw_table *t = kw_table_new();
    assert_non_null(t);
    /* Configured aliases are normalised like messages. */
    assert_int_equal(kw_table_add(t, "ｎ", "TD"), 0);
    assert_int_equal(kw_table_add(t, "取消", "TD"), 0);
    assert_int_equal(kw_table_add(t, "r", "TD"), 0);
    assert_int_equal(kw_table_add(t, "R", "TD"), 0);         /* same alias, same target */
    assert_int_equal(kw_table_add(t, "R", "RH"), GY_EEXIST); /* same alias, other target */
    assert_int_equal(kw_table_add(t, "", "TD"), GY_EINVAL);
    assert_int_equal(kw_table_add(t, "  ", "TD"), GY_EINVAL);
    assert_int_equal(kw_table_add(t, "two words", "TD"), GY_EINVAL);
    assert_int_equal(kw_table_add(t, "T1", "TD"), GY_EINVAL); /* could never match */
    assert_int_equal(kw_table_add(t, "X", ""), GY_EINVAL);
    assert_int_equal(kw_table_add(t, "\xff", "TD"), GY_EENCODING);
    assert_int_equal(kw_table_count(t), 3);
    assert_string_equal(kw_table_lookup(t, "N"), "TD");
    assert_string_equal(kw_table_lookup(t, "取消"), "TD");
    assert_null(kw_table_lookup(t, "n")); /* lookup takes a normalised word */
    assert_null(kw_table_lookup(t, NULL));
    /* Growth past the first table size keeps every alias. */
    char alias[16];
    for (int i = 0; i < 200; i++) {
        snprintf(alias, sizeof alias, "K%c%c", 'A' + i / 26, 'A' + i % 26);
        assert_int_equal(kw_table_add(t, alias, "JF"), 0);
    }
    for (int i = 0; i < 200; i++) {
        snprintf(alias, sizeof alias, "K%c%c", 'A' + i / 26, 'A' + i % 26);
        assert_non_null(kw_table_lookup(t, alias));
    }
    assert_int_equal(kw_table_count(t), 203);
    kw_table_free(t);
    kw_table_free(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_table),   cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_long_word_cut), cmocka_unit_test(test_table_defaults),
        cmocka_unit_test(test_table_aliases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
