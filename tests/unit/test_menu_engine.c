/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_menu_engine: the pure engine on tests/data/menus/good: dialogs as tables (input ->
 * expected text, final or not), actions answered by fakes, navigation, validation and
 * retries, pagination within the encoded budget, hop limit, timeouts, formatting, state
 * size and masking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/gy_err.h"
#include "locale/ussd_budget.h"
#include "menus/menu_engine.h"
#include "menus/menu_engine_int.h"
#include "menus/menu_lint.h"

static struct menu_script *
load(const char *sub)
{
    const char *src = getenv("GONGYOU_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof(path), "%s/tests/data/menus/%s", src ? src : ".", sub);
    struct menu_diags d = {0};
    struct menu_script *s = menu_script_load_dir(path, &d);
    if (!s)
        menu_diags_print(&d, stderr);
    menu_diags_fini(&d);
    assert_non_null(s);
    return s;
}

static struct gy_date
today(void)
{
    struct gy_date d;
    gy_date_parse("2026-11-28", &d);
    return d;
}

/* Answers action requests like the real registry would, without a database. */
static int
fake_action(const struct menu_output *o, struct menu_values *v, const char **code)
{
    *code = NULL;
    if (strcmp(o->action, "points.get") == 0) {
        menu_values_set_int(v, "total", 114);
        menu_values_set_int(v, "short_of", 0);
        return 0;
    }
    if (strcmp(o->action, "guide.find") == 0) {
        if (o->n_args != 1 || o->args[0].type != MENU_VT_TEXT)
            return GY_EINVAL;
        if (strcmp(o->args[0].text, "无此") == 0)
            return GY_ENOTFOUND;
        menu_values_set_text(v, "name", o->args[0].text);
        menu_values_set_money(v, "median", 520050);
        return 0;
    }
    if (strcmp(o->action, "enroll.children") == 0) {
        struct menu_values *it = menu_values_list_add(v, "children", "陈小雨");
        menu_values_set_text(it, "entry", "一年级入学");
        it = menu_values_list_add(v, "children", "陈小明");
        menu_values_set_text(it, "entry", "本轮无");
        return 0;
    }
    return GY_EDB;
}

/* Steps with in, then answers every action request with fake_action. */
static int
step_all(const struct menu_script *s, struct menu_state *st, struct menu_input *in,
         struct menu_output *out)
{
    int rc = menu_step(s, st, in, out);
    while (rc == 0 && out->kind == MENU_OUT_ACTION) {
        struct menu_values v = {0};
        const char *code;
        struct menu_input r = {.kind = MENU_IN_RESULT, .today = today()};
        r.err = fake_action(out, &v, &code);
        r.values = &v;
        rc = menu_step(s, st, &r, out);
        menu_values_fini(&v);
    }
    return rc;
}

struct turn {
    const char *input; /* NULL ends the dialog */
    const char *expect; /* substring of the page */
    int final;
};

struct dialog {
    const char *name;
    enum menu_channel ch;
    const char *lang;
    const char *start;
    struct turn turns[10];
};

static const struct dialog dialogs[] = {
    {"points by menu", MENU_CH_USSD, NULL, "*188#",
     {{"", "1.我的积分", 0}, {"1", "总积分114分，还差0分。", 1}}},
    {"points by shortcut", MENU_CH_USSD, "en", "*188*1#", {{"", "Points: 114, 0 short.", 1}}},
    {"sms keyword full width", MENU_CH_SMS, NULL, "ＪＦ", {{"", "总积分114分", 1}}},
    {"sms keyword with argument", MENU_CH_SMS, NULL, "GJ 焊工", {{"", "焊工中位¥5,200.50", 1}}},
    {"guide by menu english", MENU_CH_USSD, "en", "*188#",
     {{"", "2.Guide price", 0}, {"2", "Occupation name:", 0},
      {"welder", "welder median 5,200.50 yuan", 1}}},
    {"unregistered", MENU_CH_USSD, NULL, "*188#",
     {{"", "", 0}, {"2", "请输入工种名称", 0}, {"无此", "未登记", 1}}},
    {"invalid choice reshown", MENU_CH_USSD, NULL, "*188#",
     {{"", "", 0}, {"7", "输入有误", 0}, {"7", "1.我的积分", 0}, {"1", "总积分", 1}}},
    {"back and home", MENU_CH_USSD, NULL, "*188#",
     {{"", "", 0}, {"2", "工种名称", 0}, {"0", "江门工友服务", 0}, {"3", "身份证号", 0},
      {"00", "江门工友服务", 0}, {"0", "江门工友服务", 0}}},
    {"id number retries then on_fail", MENU_CH_USSD, NULL, "*188#",
     {{"", "", 0}, {"3", "身份证号", 0}, {"123", "身份证号有误", 0},
      {"11010519491231002", "身份证号有误", 0}, {"1", "江门工友服务", 0}}},
    {"id number accepted", MENU_CH_USSD, "en", "*188#",
     {{"", "", 0}, {"3", "ID number", 0}, {"11010519491231002x", "ID number accepted.", 1}}},
    {"language toggle", MENU_CH_USSD, NULL, "*188#",
     {{"", "", 0}, {"8", "Worker services", 0}, {"8", "江门工友服务", 0}}},
    {"children as options", MENU_CH_USSD, NULL, "*188#",
     {{"", "", 0}, {"5", "1.陈小雨\n2.陈小明", 0}, {"3", "输入有误", 0},
      {"2", "陈小明：本轮无", 1}}},
    {"info pages", MENU_CH_USSD, NULL, "*188#",
     {{"", "", 0}, {"4", "9.更多 0.返回", 0}, {"9", "9.更多", 0}, {"0", "居住证", 0},
      {"9", "", 0}, {"9", "公共租赁住房", 0}, {"5", "江门工友服务", 0}}},
};

static void
test_dialogs(void **unused)
{
    (void)unused;
    struct menu_script *s = load("good");
    for (size_t i = 0; i < sizeof(dialogs) / sizeof(dialogs[0]); i++) {
        const struct dialog *dg = &dialogs[i];
        struct menu_state st;
        struct menu_output out;
        menu_state_init(&st, s, dg->ch, dg->lang, 0, 0);
        for (size_t k = 0; k < 10 && dg->turns[k].input; k++) {
            const struct turn *t = &dg->turns[k];
            struct menu_input in = {.today = today()};
            in.kind = k == 0 ? MENU_IN_START : MENU_IN_TEXT;
            in.text = k == 0 ? dg->start : t->input;
            in.len = strlen(in.text);
            int rc = step_all(s, &st, &in, &out);
            if (rc != 0 || !strstr(out.text, t->expect) || out.final != (t->final != 0)) {
                fprintf(stderr, "dialog '%s' turn %zu: rc %d final %d, page:\n%s\n", dg->name, k,
                        rc, out.final, out.text);
                fail();
            }
            assert_int_equal(out.kind, MENU_OUT_SCREEN);
            /* every page fits the channel's budget */
            size_t cap = dg->ch == MENU_CH_USSD
                             ? (out.coding == TEXT_CODING_GSM7 ? 182 : 80)
                             : (out.coding == TEXT_CODING_GSM7 ? 306 : 134);
            assert_true(out.units <= cap);
            assert_int_equal(out.len, strlen(out.text));
        }
    }
    menu_script_free(s);
}

static void
test_start_errors(void **unused)
{
    (void)unused;
    struct menu_script *s = load("good");
    struct menu_state st;
    struct menu_output out;
    menu_state_init(&st, s, MENU_CH_USSD, NULL, 0, 0);
    struct menu_input in = {.kind = MENU_IN_START, .text = "*999#", .len = 5};
    assert_int_equal(menu_step(s, &st, &in, &out), GY_ENOTFOUND);
    assert_int_equal(st.status, MENU_ST_NEW);
    /* a keyword is not a USSD code, and text before start is refused */
    in.text = "JF";
    in.len = 2;
    assert_int_equal(menu_step(s, &st, &in, &out), GY_ENOTFOUND);
    in.kind = MENU_IN_TEXT;
    assert_int_equal(menu_step(s, &st, &in, &out), GY_ESTATE);
    in.kind = MENU_IN_RESULT;
    assert_int_equal(menu_step(s, &st, &in, &out), GY_ESTATE);
    assert_int_equal(menu_step(NULL, &st, &in, &out), GY_EINVAL);
    /* after a final screen nothing more is taken */
    in.kind = MENU_IN_START;
    in.text = "*188*1#";
    in.len = strlen(in.text);
    assert_int_equal(step_all(s, &st, &in, &out), 0);
    assert_true(out.final);
    in.kind = MENU_IN_TEXT;
    in.text = "1";
    in.len = 1;
    assert_int_equal(menu_step(s, &st, &in, &out), GY_ESTATE);
    menu_script_free(s);
}

static void
test_action_request(void **unused)
{
    (void)unused;
    struct menu_script *s = load("good");
    struct menu_state st;
    struct menu_output out;
    menu_state_init(&st, s, MENU_CH_SMS, NULL, 0, 0);
    struct menu_input in = {.kind = MENU_IN_START, .text = "gj  电焊工 ", .today = today()};
    in.len = strlen(in.text);
    assert_int_equal(menu_step(s, &st, &in, &out), 0);
    assert_int_equal(out.kind, MENU_OUT_ACTION);
    assert_string_equal(out.action, "guide.find");
    assert_int_equal(out.n_args, 1);
    assert_string_equal(out.args[0].text, "电焊工");
    assert_int_equal(out.deadline_ms, 1500);
    assert_int_equal(st.status, MENU_ST_WAIT_ACTION);
    /* text while an action is pending is refused; a timeout takes on_error */
    struct menu_input t = {.kind = MENU_IN_TEXT, .text = "1", .len = 1};
    assert_int_equal(menu_step(s, &st, &t, &out), GY_ESTATE);
    t.kind = MENU_IN_TIMEOUT;
    assert_int_equal(menu_step(s, &st, &t, &out), 0);
    assert_true(out.final);
    assert_non_null(strstr(out.text, "系统繁忙"));
    struct menu_view v;
    assert_int_equal(menu_state_get(s, &st, "error", &v), 0);
    assert_int_equal(v.len, 7);
    assert_memory_equal(v.text, "timeout", 7);
    menu_script_free(s);
}

static void
test_user_timeout(void **unused)
{
    (void)unused;
    struct menu_script *s = load("good");
    struct menu_state st;
    struct menu_output out;
    menu_state_init(&st, s, MENU_CH_USSD, "en", 0, 0);
    struct menu_input in = {.kind = MENU_IN_START, .text = "*188#", .len = 5};
    assert_int_equal(menu_step(s, &st, &in, &out), 0);
    in.kind = MENU_IN_TIMEOUT;
    assert_int_equal(menu_step(s, &st, &in, &out), 0);
    assert_true(out.final);
    assert_string_equal(out.text, "Session timed out.");
    assert_int_equal(menu_step(s, &st, &in, &out), GY_ESTATE);
    menu_script_free(s);
}

static void
test_hop_limit(void **unused)
{
    (void)unused;
    struct menu_script *s = load("broken/loop"); /* parses; the linter refuses it */
    struct menu_state st;
    struct menu_output out;
    menu_state_init(&st, s, MENU_CH_USSD, NULL, 0, 0);
    struct menu_input in = {.kind = MENU_IN_START, .text = "*188#", .len = 5};
    assert_int_equal(menu_step(s, &st, &in, &out), 0);
    in.kind = MENU_IN_TEXT;
    in.text = "2";
    in.len = 1;
    assert_int_equal(menu_step(s, &st, &in, &out), 0);
    assert_true(out.final);
    assert_int_equal(out.error, GY_ERANGE);
    assert_int_equal(st.status, MENU_ST_DONE);
    menu_script_free(s);
}

/* Pages of the long info text: every one within budget, the text whole when joined, cuts at
 * punctuation, the smaller budget of a narrower channel honoured. */
static void
test_pagination(void **unused)
{
    (void)unused;
    struct menu_script *s = load("good");
    static const struct {
        enum menu_channel ch;
        const char *lang;
        int octets, segs;
        size_t cap_ucs2, cap_gsm;
    } cases[] = {
        {MENU_CH_USSD, "zh", 0, 0, 80, 182},
        {MENU_CH_USSD, "en", 0, 0, 80, 182},
        {MENU_CH_USSD, "zh", 120, 0, 60, 137},
        {MENU_CH_SMS, "zh", 0, 1, 70, 160},
        {MENU_CH_SMS, "en", 0, 2, 134, 306},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        struct menu_state st;
        struct menu_output out;
        menu_state_init(&st, s, cases[c].ch, cases[c].lang, cases[c].octets, cases[c].segs);
        struct menu_input in = {.kind = MENU_IN_START,
                                .text = cases[c].ch == MENU_CH_USSD ? "*188#" : "JF"};
        in.len = strlen(in.text);
        if (cases[c].ch == MENU_CH_SMS) {
            /* SMS has no entry to the info page: walk there from points (final) is not
             * possible, so use a USSD-style state on the SMS channel */
            in.text = "*188#";
            in.len = 5;
            st.channel = MENU_CH_USSD;
            assert_int_equal(menu_step(s, &st, &in, &out), 0);
            st.channel = MENU_CH_SMS;
        } else {
            assert_int_equal(menu_step(s, &st, &in, &out), 0);
        }
        in.kind = MENU_IN_TEXT;
        in.text = "4";
        in.len = 1;
        assert_int_equal(menu_step(s, &st, &in, &out), 0);
        int pages = out.n_pages;
        assert_true(pages >= 1);
        char joined[8192] = "";
        for (int p = 0; p < pages; p++) {
            assert_int_equal(out.page, p);
            size_t cap = out.coding == TEXT_CODING_GSM7 ? cases[c].cap_gsm : cases[c].cap_ucs2;
            if (out.units > cap)
                fprintf(stderr, "case %zu page %d: %zu units > %zu\n%s\n", c, p, out.units, cap,
                        out.text);
            assert_true(out.units <= cap);
            /* body part of the page: up to the footer line */
            char *nl = strrchr(out.text, '\n');
            if (nl)
                *nl = '\0';
            strncat(joined, out.text, sizeof(joined) - strlen(joined) - 1);
            if (p + 1 < pages) {
                const char *end = out.text + strlen(out.text);
                /* a cut falls after punctuation or a space */
                assert_true(end[-1] == ' ' || strcmp(end - 3, "，") == 0 ||
                            strcmp(end - 3, "。") == 0 || strcmp(end - 3, "：") == 0 ||
                            end[-1] == ',' || end[-1] == '.' || end[-1] == ';');
                in.text = "9";
                in.len = 1;
                assert_int_equal(menu_step(s, &st, &in, &out), 0);
            }
        }
        if (strcmp(cases[c].lang, "zh") == 0)
            assert_non_null(strstr(joined, "可以申领居住证。养老保险"));
        assert_non_null(strstr(joined, strcmp(cases[c].lang, "zh") == 0 ? "按积分排序轮候。"
                                                                         : "queued by points."));
        /* more on the last page goes on to next */
        in.text = "9";
        in.len = 1;
        assert_int_equal(menu_step(s, &st, &in, &out), 0);
        assert_int_equal(st.node, menu_script_node(s, "main"));
    }
    menu_script_free(s);
}

/* A menu whose options need two pages: an option line is never split, and more/back are
 * added. */
static void
test_menu_pages(void **unused)
{
    (void)unused;
    struct menu_script *s = load("good");
    struct menu_state st;
    struct menu_output out;
    menu_state_init(&st, s, MENU_CH_USSD, "en", 60, 0); /* 30 UCS-2 units a page */
    struct menu_input in = {.kind = MENU_IN_START, .text = "*188#", .len = 5};
    assert_int_equal(menu_step(s, &st, &in, &out), 0);
    assert_true(out.n_pages >= 2);
    static const char *const labels[] = {"1.My points", "2.Guide price", "3.Check ID",
                                         "4.Policy",    "5.School places", "8.中文"};
    int seen[6] = {0};
    for (int p = 0; p < out.n_pages; p++) {
        for (size_t i = 0; i < 6; i++)
            if (strstr(out.text, labels[i]))
                seen[i]++;
        assert_true(out.units <= (out.coding == TEXT_CODING_GSM7 ? 68u : 30u));
        if (p + 1 < out.n_pages) {
            assert_non_null(strstr(out.text, "9.More"));
            in.kind = MENU_IN_TEXT;
            in.text = "9";
            in.len = 1;
            int n = out.n_pages;
            assert_int_equal(menu_step(s, &st, &in, &out), 0);
            assert_int_equal(out.n_pages, n);
            assert_non_null(strstr(out.text, "0.Back"));
        }
    }
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(seen[i], 1);
    /* an option of another page is still chosen by its key */
    in.text = "1";
    in.len = 1;
    assert_int_equal(step_all(s, &st, &in, &out), 0);
    assert_non_null(strstr(out.text, "Points: 114"));
    menu_script_free(s);
}

static void
test_format(void **unused)
{
    (void)unused;
    struct gy_date d = {2027, 6, 14};
    static const struct {
        enum menu_type t;
        int64_t num;
        const char *lang, *want;
    } cases[] = {
        {MENU_T_MONEY, 195000, "zh", "¥1,950"},
        {MENU_T_MONEY, 195000, "en", "1,950 yuan"},
        {MENU_T_MONEY, 1330, "zh", "¥13.30"},
        {MENU_T_MONEY, -50, "en", "-0.50 yuan"},
        {MENU_T_MONEY, 123456789, "zh", "¥1,234,567.89"},
        {MENU_T_INT, 114, "zh", "114"},
        {MENU_T_BOOL, 1, "zh", "是"},
        {MENU_T_BOOL, 0, "en", "no"},
        {MENU_T_DATE, 0, "zh", "2027年6月14日"},
        {MENU_T_DATE, 0, "en", "2027-06-14"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct menu_view v = {.type = cases[i].t, .num = cases[i].num};
        if (v.type == MENU_T_DATE)
            v.num = gy_date_to_days(d);
        char buf[64];
        menu_view_format(&v, cases[i].lang, buf, sizeof(buf));
        assert_string_equal(buf, cases[i].want);
    }
}

static void
test_state_copy_and_mask(void **unused)
{
    (void)unused;
    assert_true(sizeof(struct menu_state) < 2048);
    struct menu_script *s = load("good");
    struct menu_state st;
    struct menu_output out;
    menu_state_init(&st, s, MENU_CH_USSD, NULL, 0, 0);
    struct menu_input in = {.kind = MENU_IN_START, .text = "*188#", .len = 5, .today = today()};
    assert_int_equal(menu_step(s, &st, &in, &out), 0);
    in.kind = MENU_IN_TEXT;
    in.text = "3";
    in.len = 1;
    assert_int_equal(menu_step(s, &st, &in, &out), 0);
    /* a copy taken here continues on its own */
    struct menu_state copy = st;
    in.text = "11010519491231002X";
    in.len = strlen(in.text);
    assert_int_equal(menu_step(s, &st, &in, &out), 0);
    assert_true(out.final);
    char buf[512];
    menu_state_describe(s, &st, buf, sizeof(buf));
    assert_null(strstr(buf, "110105"));
    assert_non_null(strstr(buf, "id="));
    struct menu_view v;
    assert_int_equal(menu_state_get(s, &st, "id", &v), 0);
    assert_int_equal(v.len, 18);
    in.text = "0";
    in.len = 1;
    assert_int_equal(menu_step(s, &copy, &in, &out), 0);
    assert_non_null(strstr(out.text, "江门工友服务"));
    assert_int_equal(menu_state_get(s, &copy, "id", &v), GY_ENOTFOUND);
    menu_script_free(s);
}

/* A stored text keeps every octet it is given, whatever lies after it in the caller's
 * buffer (it once read one octet past the end and cut a character when that octet looked
 * like a UTF-8 continuation); a text longer than half the arena is cut between
 * characters. */
static void
test_slot_text_bounds(void **unused)
{
    (void)unused;
    struct menu_script *s = load("good");
    struct menu_state st;
    menu_state_init(&st, s, MENU_CH_USSD, NULL, 0, 0);
    int var = menu_script_var(s, "child");
    assert_true(var >= 0);
    char buf[16] = "陈小明\x80\x80"; /* continuation octets right after the 9 given */
    assert_int_equal(menu_slot_set(&st, (uint16_t)var, 0, MENU_T_TEXT, 0, buf, 9), 0);
    struct menu_view v;
    assert_int_equal(menu_state_get(s, &st, "child", &v), 0);
    assert_int_equal(v.len, 9);
    assert_memory_equal(v.text, "陈小明", 9);

    char big[MENU_ARENA];
    size_t n = 0;
    while (n + 3 <= sizeof big - 1) {
        memcpy(big + n, "明", 3);
        n += 3;
    }
    big[n] = '\0';
    assert_int_equal(menu_slot_set(&st, (uint16_t)var, 0, MENU_T_TEXT, 0, big, n), 0);
    assert_int_equal(menu_state_get(s, &st, "child", &v), 0);
    assert_true(v.len <= MENU_ARENA / 2);
    assert_int_equal(v.len % 3, 0); /* whole characters only */
    assert_true(v.len > MENU_ARENA / 2 - 3);
    menu_script_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dialogs),       cmocka_unit_test(test_start_errors),
        cmocka_unit_test(test_action_request), cmocka_unit_test(test_user_timeout),
        cmocka_unit_test(test_hop_limit),     cmocka_unit_test(test_pagination),
        cmocka_unit_test(test_menu_pages),    cmocka_unit_test(test_format),
        cmocka_unit_test(test_state_copy_and_mask), cmocka_unit_test(test_slot_text_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
