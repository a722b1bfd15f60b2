/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of locale/catalog: the shipped zh/en catalogs load and agree, fallback to Chinese,
 * bad files reported with their line, placeholder expansion. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/gy_err.h"
#include "locale/catalog.h"
#include "locale/text_utf8.h"
#include "test_tmpdir.h"

/* Keys the gateway relies on: every one must be in each shipped catalog. */
static const char *const required_keys[] = {
    "help",           "unknown_keyword", "rate_limited",   "unregistered",
    "optout.confirm", "optout.already",  "optin.confirm",  "lang.set",
    "error.internal", "error.bad_input", "error.encoding", "error.unavailable",
};

static void
shipped_dir(char *buf, size_t n)
{
    const char *src = getenv("GONGYOU_SOURCE_DIR");
    assert_non_null(src);
    assert_true((size_t)snprintf(buf, n, "%s/locale/catalogs", src) < n);
}

static void
test_load_shipped(void **state)
{
    (void)state;
    char dir[4096];
    shipped_dir(dir, sizeof dir);
    struct catalog *c = catalog_new();
    assert_non_null(c);
    struct catalog_error err = {{0}, 0, {0}};
    int rc = catalog_load_dir(c, dir, &err);
    if (rc != 0)
        fail_msg("%s:%d: %s", err.file, err.line, err.msg);
    assert_true(catalog_lang_count(c) >= 2);
    for (size_t i = 0; i < sizeof required_keys / sizeof required_keys[0]; i++) {
        assert_true(catalog_has(c, "zh", required_keys[i]));
        assert_true(catalog_has(c, "en", required_keys[i]));
    }
    /* Every language has exactly the keys of zh (missing ones would fall back silently). */
    for (size_t l = 0; l < catalog_lang_count(c); l++) {
        const char *lang = catalog_lang_at(c, l);
        assert_int_equal(catalog_key_count(c, lang), catalog_key_count(c, "zh"));
        for (size_t k = 0; k < catalog_key_count(c, "zh"); k++) {
            const char *key = catalog_key_at(c, "zh", k);
            if (!catalog_has(c, lang, key))
                fail_msg("%s.cat lacks %s", lang, key);
            const char *text = catalog_get(c, lang, key);
            assert_int_equal(text_utf8_validate(text, strlen(text), NULL), 0);
        }
    }
    const char *zh = catalog_get(c, "zh", "unregistered");
    const char *en = catalog_get(c, "en", "unregistered");
    assert_non_null(strstr(zh, "登记"));
    assert_non_null(strstr(en, "register"));
    assert_ptr_equal(catalog_get(c, NULL, "help"), catalog_get(c, "zh", "help"));
    catalog_free(c);
}

static void
test_fallback(void **state)
{
    (void)state;
    static const char zh[] = "# comment\n\nhelp = 帮助\nonly.zh = 只有中文\n";
    static const char en[] = "\xEF\xBB\xBFhelp = Help\r\n";
    struct catalog *c = catalog_new();
    assert_non_null(c);
    assert_int_equal(catalog_load_text(c, "zh", "zh.cat", zh, sizeof zh - 1, NULL), 0);
    assert_int_equal(catalog_load_text(c, "en", "en.cat", en, sizeof en - 1, NULL), 0);
    static const struct {
        const char *lang, *key, *want;
    } cases[] = {
        {"en", "help", "Help"},  {"zh", "help", "帮助"},  {"en", "only.zh", "只有中文"},
        {"yue", "help", "帮助"}, /* unloaded language */
        {NULL, "help", "帮助"},  {"en", "missing", NULL}, {"zh", "missing", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = catalog_get(c, cases[i].lang, cases[i].key);
        if (cases[i].want == NULL)
            assert_null(got);
        else
            assert_string_equal(got, cases[i].want);
    }
    assert_false(catalog_has(c, "en", "only.zh"));
    /* Reloading a language replaces it. */
    assert_int_equal(catalog_load_text(c, "en", "en2", "help = Help me\n", 15, NULL), 0);
    assert_string_equal(catalog_get(c, "en", "help"), "Help me");
    assert_int_equal(catalog_lang_count(c), 2);
    catalog_free(c);
}

static void
test_bad_files(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int line;
        const char *msg_part;
    } cases[] = {
        {"a = 1\nno equals sign\n", 2, "key = text"},
        {"a = 1\n = text\n", 2, "empty key"},
        {"a = 1\nb =   \n", 2, "empty text"},
        {"a = 1\n\n# c\na = 2\n", 4, "duplicate"},
        {"Help = x\n", 1, "key may hold"},
        {"a b = x\n", 1, "key may hold"},
        {"a = 1\nb = \xff\xfe\n", 2, "UTF-8"},
        {"a = \xE7\xA7\n", 1, "UTF-8"},
        {"a = \xC0\xAF\n", 1, "UTF-8"},
        {"a = x\x01y\n", 1, "control"},
        {"a = x\\qy\n", 1, "escape"},
        {"a = x\\", 1, "backslash"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct catalog *c = catalog_new();
        assert_non_null(c);
        struct catalog_error err = {{0}, 0, {0}};
        int rc = catalog_load_text(c, "zh", "bad.cat", cases[i].text, strlen(cases[i].text), &err);
        if (rc != GY_EPARSE || err.line != cases[i].line || !strstr(err.msg, cases[i].msg_part))
            fail_msg("case %zu: rc %d %s:%d: %s", i, rc, err.file, err.line, err.msg);
        assert_string_equal(err.file, "bad.cat");
        assert_int_equal(catalog_lang_count(c), 0); /* nothing half-loaded */
        catalog_free(c);
    }
    struct catalog *c = catalog_new();
    struct catalog_error err;
    assert_int_equal(catalog_load_text(c, "ZH", "x", "a = b", 5, &err), GY_EINVAL);
    assert_int_equal(catalog_load_text(c, "../x", "x", "a = b", 5, &err), GY_EINVAL);
    assert_int_equal(catalog_load_text(c, "zh", "x", "a = b\\n c\\\\\\t\\s", 15, &err), 0);
    assert_string_equal(catalog_get(c, "zh", "a"), "b\n c\\\t ");
    catalog_free(c);
}

static void
test_bad_file_on_disk(void **state)
{
    (void)state;
    char dir[512], zh[600], en[600];
    assert_int_equal(test_tmpdir_make(dir, sizeof dir, "gy-cat-"), 0);
    assert_int_equal(test_tmpdir_path(zh, sizeof zh, dir, "zh.cat"), 0);
    assert_int_equal(test_tmpdir_path(en, sizeof en, dir, "en.cat"), 0);
    struct catalog *c = catalog_new();
    struct catalog_error err = {{0}, 0, {0}};
    /* No zh.cat: refused. */
    FILE *f = fopen(en, "w");
    assert_non_null(f);
    fputs("# English\nhelp = Help\nbroken line here\n", f);
    fclose(f);
    assert_int_equal(catalog_load_dir(c, dir, &err), GY_ENOTFOUND);
    f = fopen(zh, "w");
    assert_non_null(f);
    fputs("help = 帮助\n", f);
    fclose(f);
    assert_int_equal(catalog_load_dir(c, dir, &err), GY_EPARSE);
    assert_string_equal(err.file, en);
    assert_int_equal(err.line, 3);
    assert_int_equal(catalog_load_file(c, "zh", zh, &err), 0);
    assert_string_equal(catalog_get(c, "en", "help"), "帮助"); /* en never loaded */
    assert_int_equal(catalog_load_file(c, "fr", "/nonexistent/fr.cat", &err), GY_EIO);
    assert_int_equal(err.line, 0);
    catalog_free(c);
    assert_int_equal(unlink(zh), 0);
    assert_int_equal(unlink(en), 0);
    assert_int_equal(test_tmpdir_remove(dir), 0);
}

static void
test_expand(void **state)
{
    (void)state;
    static const char *const vars[][2] = {{"keyword", "ＸＹ"}, {"limit", "20"}, {"empty", NULL}};
    static const struct {
        const char *tmpl, *want;
        size_t unknown;
    } cases[] = {
        {"未能识别“${keyword}”。", "未能识别“ＸＹ”。", 0},
        {"每分钟最多 ${limit} 条", "每分钟最多 20 条", 0},
        {"${limit}${limit}", "2020", 0},
        {"cost $$5 ${nope}", "cost $5 ${nope}", 1},
        {"open ${keyword", "open ${keyword", 1},
        {"[${empty}]", "[]", 0},
        {"$", "$", 0},
        {"", "", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t unknown = 99;
        char *s = catalog_expand(cases[i].tmpl, vars, 3, &unknown);
        assert_non_null(s);
        assert_string_equal(s, cases[i].want);
        assert_int_equal(unknown, cases[i].unknown);
        free(s);
    }
    assert_null(catalog_expand(NULL, vars, 3, NULL));
    assert_null(catalog_expand("x", NULL, 1, NULL));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_shipped), cmocka_unit_test(test_fallback),
        cmocka_unit_test(test_bad_files),    cmocka_unit_test(test_bad_file_on_disk),
        cmocka_unit_test(test_expand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
