/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the menu action registry and every built-in action on the demo data set:
 * A's 114 points and breakdown, routes 1 and 3, two children and their eligibility,
 * minimum wage ¥1,350 and the 2014 guideline, guide prices for 车工 and the prefix 焊,
 * subsidies with ¥1,950 until 2027-06-14, B opted out then back in, the language switch
 * persisting, an unregistered number refused, and bad arguments explained. */
#include "test_svc_fixture.h"

#include "menus/menu_action.h"
#include "test_db_int.h"

#define MSISDN_NONE "8613800138999"

struct actx {
    struct fixture *fx;
    struct menu_action_registry *reg;
};

static int setup(void **state)
{
    void *fxs = NULL;
    fx_setup(&fxs);
    struct actx *a = calloc(1, sizeof *a);
    assert_non_null(a);
    a->fx = fxs;
    a->reg = menu_action_registry_builtin();
    assert_non_null(a->reg);
    *state = a;
    return 0;
}

static int teardown(void **state)
{
    struct actx *a = *state;
    menu_action_registry_free(a->reg);
    void *fxs = a->fx;
    free(a);
    return fx_teardown(&fxs);
}

/* Runs action name for msisdn in lang with text arguments; returns its code. */
static int run(struct actx *a, const char *name, const char *msisdn, const char *lang,
               const char *const *args, size_t n_args, struct menu_values *out, char *err,
               size_t errlen)
{
    const struct menu_action_def *def = menu_action_find(a->reg, name);
    assert_non_null(def);
    struct menu_value v[MENU_ACTION_MAX_ARGS];
    memset(v, 0, sizeof v);
    for (size_t i = 0; i < n_args && i < MENU_ACTION_MAX_ARGS; i++) {
        v[i].type = MENU_VT_TEXT;
        v[i].text = (char *)args[i];
    }
    struct menu_action_ctx ctx = {a->fx->db, a->fx->today, msisdn, lang};
    return menu_action_call(def, &ctx, v, n_args, out, err, errlen);
}

static const struct menu_value *get(const struct menu_values *vals, const char *name,
                                    enum menu_vtype type)
{
    const struct menu_value *v = menu_values_get(vals, name);
    if (!v)
        fail_msg("result %s missing", name);
    assert_int_equal(v->type, type);
    return v;
}

static long long num(const struct menu_values *vals, const char *name)
{
    const struct menu_value *v = menu_values_get(vals, name);
    if (!v)
        fail_msg("result %s missing", name);
    assert_true(v->type == MENU_VT_INT || v->type == MENU_VT_MONEY || v->type == MENU_VT_BOOL);
    return v->num;
}

static const char *text(const struct menu_values *vals, const char *name)
{
    return get(vals, name, MENU_VT_TEXT)->text;
}

static void assert_has(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("\"%s\" does not contain \"%s\"", hay, needle);
}

static void assert_date(struct gy_date d, const char *want)
{
    char buf[GY_DATE_STRLEN];
    assert_string_equal(gy_date_format(d, buf), want);
}

/* Every result an action writes is declared in its spec (the linter relies on it). */
static void assert_declared(const struct menu_action_def *def, const struct menu_values *out)
{
    for (size_t i = 0; i < out->n; i++) {
        const struct menu_result_spec *sp = menu_action_result(def, out->v[i].name);
        if (!sp)
            fail_msg("%s writes undeclared %s", def->name, out->v[i].name);
        assert_int_equal(sp->type, out->v[i].type);
        for (size_t k = 0; k < out->v[i].n_items; k++) {
            const struct menu_values *iv = &out->v[i].items[k].values;
            for (size_t j = 0; j < iv->n; j++) {
                char dotted[2 * MENU_VALUE_NAME_LEN + 2];
                snprintf(dotted, sizeof dotted, "%s.%s", out->v[i].name, iv->v[j].name);
                const struct menu_result_spec *f = menu_action_result(def, dotted);
                if (!f)
                    fail_msg("%s writes undeclared %s", def->name, dotted);
                assert_int_equal(f->type, iv->v[j].type);
            }
        }
    }
}

static void test_registry(void **state)
{
    struct actx *a = *state;
    static const char *const names[] = {
        "worker.status", "points.get",   "hukou.check", "enroll.children", "wages.get",
        "guide.find",    "subsidy.list", "lang.set",    "sub.optout",      "sub.optin",
    };
    assert_int_equal(menu_action_count(a->reg), sizeof names / sizeof names[0]);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const struct menu_action_def *d = menu_action_find(a->reg, names[i]);
        assert_non_null(d);
        assert_ptr_equal(menu_action_at(a->reg, i), d);
        for (size_t k = 0; k < d->n_results; k++) {
            assert_true(d->results[k].max_width > 0);
            if (d->results[k].type == MENU_VT_LIST) {
                assert_true(d->results[k].n_fields > 0);
                assert_true(d->results[k].max_items > 0);
            }
        }
    }
    assert_null(menu_action_find(a->reg, "points.nope"));
    assert_int_equal(menu_action_registry_add(a->reg, menu_action_find(a->reg, "points.get")),
                     GY_EEXIST);
    struct menu_action_def bad = {.name = "bad"};
    assert_int_equal(menu_action_registry_add(a->reg, &bad), GY_EINVAL);

    const struct menu_action_def *en = menu_action_find(a->reg, "enroll.children");
    const struct menu_result_spec *sp = menu_action_result(en, "children.eligible");
    assert_non_null(sp);
    assert_int_equal(sp->type, MENU_VT_BOOL);
    assert_true(menu_action_result(en, "children.name")->sensitive);
    assert_null(menu_action_result(en, "children.nope"));
    assert_null(menu_action_result(en, "round.x"));
    assert_non_null(menu_action_result(en, "round"));

    for (int t = MENU_VT_INT; t <= MENU_VT_LIST; t++) {
        enum menu_vtype back;
        assert_int_equal(menu_vtype_parse(menu_vtype_name((enum menu_vtype)t), &back), 0);
        assert_int_equal(back, t);
    }
    enum menu_vtype x;
    assert_int_equal(menu_vtype_parse("float", &x), GY_EINVAL);
}

static void test_values(void **state)
{
    (void)state;
    struct menu_values v = {0}, c = {0};
    assert_int_equal(menu_values_set_int(&v, "a", 1), 0);
    assert_int_equal(menu_values_set_text(&v, "a", "x"), 0); /* replaces, retyped */
    assert_int_equal(v.n, 1);
    assert_string_equal(text(&v, "a"), "x");
    assert_int_equal(menu_values_set_int(&v, "Bad", 1), GY_EINVAL);
    assert_int_equal(menu_values_set_int(&v, "", 1), GY_EINVAL);
    assert_int_equal(menu_values_set_int(&v, "a.b", 1), GY_EINVAL);
    struct menu_values *it = menu_values_list_add(&v, "l", "one");
    assert_non_null(it);
    assert_int_equal(menu_values_set_money(it, "m", 195000), 0);
    assert_non_null(menu_values_list_add(&v, "l", "two"));
    assert_null(menu_values_list_add(&v, "a", "not a list"));
    assert_int_equal(menu_values_copy(&c, &v), 0);
    menu_values_fini(&v);
    const struct menu_value *l = get(&c, "l", MENU_VT_LIST);
    assert_int_equal(l->n_items, 2);
    assert_string_equal(l->items[1].label, "two");
    assert_int_equal(num(&l->items[0].values, "m"), 195000);
    menu_values_fini(&c);
    menu_values_fini(&c); /* harmless twice */
}

static void test_points(void **state)
{
    struct actx *a = *state;
    static const struct {
        const char *msisdn, *lang;
        long long total, short_of;
        const char *in_breakdown, *label0;
    } cases[] = {
        {MSISDN_A, "zh", 114, 0, "学历（大专）60+技能（中级工）30+社会保险6（示例）",
         "学历（大专） 60分"},
        {MSISDN_A, "en", 114, 0, "education: junior college 60, skill: intermediate worker (level 4) 30, social insurance 6 (example)", "education: junior college +60"},
        {MSISDN_B, "zh", 36, 24, "学历（高中）20", "学历（高中） 20分"},
        {MSISDN_C, "zh", 148, 0, "技能（技师）60", "学历（本科"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct menu_values out = {0};
        assert_int_equal(run(a, "points.get", cases[i].msisdn, cases[i].lang, NULL, 0, &out,
                             NULL, 0),
                         0);
        assert_declared(menu_action_find(a->reg, "points.get"), &out);
        assert_int_equal(num(&out, "total"), cases[i].total);
        assert_int_equal(num(&out, "threshold"), 60);
        assert_int_equal(num(&out, "short_of"), cases[i].short_of);
        assert_int_equal(num(&out, "reached"), cases[i].short_of == 0);
        assert_has(text(&out, "breakdown"), cases[i].in_breakdown);
        const struct menu_value *items = get(&out, "items", MENU_VT_LIST);
        assert_int_equal(items->n_items, 8); /* education, skill, 5 rules, deductions */
        assert_has(items->items[0].label, cases[i].label0);
        long long sum = 0;
        for (size_t k = 0; k < items->n_items; k++)
            sum += num(&items->items[k].values, "points");
        assert_int_equal(sum, cases[i].total);
        menu_values_fini(&out);
    }
    /* A's breakdown: 60+30+6+10+4+4, the 2020 blood donation outside the window. */
    struct menu_values out = {0};
    assert_int_equal(run(a, "points.get", MSISDN_A, "zh", NULL, 0, &out, NULL, 0), 0);
    assert_string_equal(text(&out, "breakdown"),
                        "学历（大专）60+技能（中级工）30+社会保险6（示例）+工作年限10（示例）"
                        "+献血4+志愿服务4");
    menu_values_fini(&out);
}

static void test_hukou(void **state)
{
    struct actx *a = *state;
    static const struct {
        const char *msisdn, *lang, *routes;
        long long met, r1, r2, r3, work_missing, ins_missing;
    } cases[] = {
        {MSISDN_A, "zh", "1、3", 2, 1, 0, 1, 0, 0},
        {MSISDN_A, "en", "1, 3", 2, 1, 0, 1, 0, 0},
        {MSISDN_B, "zh", "", 0, 0, 0, 0, 6, 10},
        {MSISDN_C, "zh", "2、3", 2, 0, 1, 1, 0, 6},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct menu_values out = {0};
        assert_int_equal(run(a, "hukou.check", cases[i].msisdn, cases[i].lang, NULL, 0, &out,
                             NULL, 0),
                         0);
        assert_declared(menu_action_find(a->reg, "hukou.check"), &out);
        assert_string_equal(text(&out, "routes"), cases[i].routes);
        assert_int_equal(num(&out, "routes_met"), cases[i].met);
        assert_int_equal(num(&out, "r1_met"), cases[i].r1);
        assert_int_equal(num(&out, "r2_met"), cases[i].r2);
        assert_int_equal(num(&out, "r3_met"), cases[i].r3);
        assert_int_equal(num(&out, "r1_work_missing"), cases[i].work_missing);
        assert_int_equal(num(&out, "r1_ins_missing"), cases[i].ins_missing);
        assert_int_equal(num(&out, "r3_threshold"), 60);
        menu_values_fini(&out);
    }
    struct menu_values out = {0};
    assert_int_equal(run(a, "hukou.check", MSISDN_A, "zh", NULL, 0, &out, NULL, 0), 0);
    assert_string_equal(text(&out, "r2_highest"), "中级工");
    assert_string_equal(text(&out, "r2_talent"), "技师");
    assert_string_equal(text(&out, "r1_tag"), "（示例）"); /* insurance months example */
    assert_string_equal(text(&out, "r3_tag"), "");
    menu_values_fini(&out);
}

static void test_enroll(void **state)
{
    struct actx *a = *state;
    struct menu_values out = {0};
    assert_int_equal(run(a, "enroll.children", MSISDN_A, "zh", NULL, 0, &out, NULL, 0), 0);
    assert_declared(menu_action_find(a->reg, "enroll.children"), &out);
    assert_int_equal(num(&out, "round"), 2027);
    assert_int_equal(num(&out, "count"), 2);
    assert_int_equal(num(&out, "eligible_count"), 2);
    assert_int_equal(num(&out, "parent_points"), 114);
    assert_date(get(&out, "apply_from", MENU_VT_DATE)->date, "2027-06-08");
    assert_string_equal(text(&out, "summary"),
                        "陈小明（初一入学，符合）\n陈小雨（一年级入学，符合）");
    const struct menu_value *ch = get(&out, "children", MENU_VT_LIST);
    assert_int_equal(ch->n_items, 2);
    static const struct {
        const char *label, *entry_code, *school;
        long long age, count;
    } want[] = {
        {"陈小明（初一入学，符合）", "grade7", "蓬江区示例第一中学：名额85，上年分数线97（+17）（示例）", 12, 2},
        {"陈小雨（一年级入学，符合）", "grade1", "蓬江区示例第二小学：名额50，上年分数线88（+26）", 6, 3},
    };
    for (size_t i = 0; i < 2; i++) {
        const struct menu_values *c = &ch->items[i].values;
        assert_string_equal(ch->items[i].label, want[i].label);
        assert_string_equal(text(c, "entry_code"), want[i].entry_code);
        assert_int_equal(num(c, "eligible"), 1);
        assert_string_equal(text(c, "reason"), "");
        assert_has(text(c, "schools"), want[i].school);
        assert_int_equal(num(c, "school_count"), want[i].count);
        assert_int_equal(num(c, "age"), want[i].age);
    }
    menu_values_fini(&out);

    /* A child born 2021-09-01 is 5 on 2027-08-31: not eligible, and the reason says so. */
    fx_exec(a->fx, "INSERT INTO children (worker_id, name, birth_date, current_grade) SELECT id,"
                   " '测试童', '2021-09-01', 0 FROM workers WHERE msisdn = '8613800138000'");
    assert_int_equal(run(a, "enroll.children", MSISDN_A, "en", NULL, 0, &out, NULL, 0), 0);
    ch = get(&out, "children", MENU_VT_LIST);
    assert_int_equal(ch->n_items, 3);
    assert_int_equal(num(&out, "eligible_count"), 2);
    const struct menu_values *late = &ch->items[2].values;
    assert_int_equal(num(late, "eligible"), 0);
    assert_int_equal(num(late, "age_ok"), 0);
    assert_string_equal(ch->items[2].label, "测试童 (grade 1, not eligible)");
    assert_string_equal(text(late, "reason"), "under 6 on 2027-08-31");
    menu_values_fini(&out);

    /* B has no children: an empty list, not an error. */
    assert_int_equal(run(a, "enroll.children", MSISDN_B, "zh", NULL, 0, &out, NULL, 0), 0);
    assert_int_equal(num(&out, "count"), 0);
    assert_int_equal(get(&out, "children", MENU_VT_LIST)->n_items, 0);
    menu_values_fini(&out);
}

static void test_wages(void **state)
{
    struct actx *a = *state;
    struct menu_values out = {0};
    assert_int_equal(run(a, "wages.get", MSISDN_A, "zh", NULL, 0, &out, NULL, 0), 0);
    assert_declared(menu_action_find(a->reg, "wages.get"), &out);
    assert_int_equal(num(&out, "has_min"), 1);
    assert_int_equal(get(&out, "min_monthly", MENU_VT_MONEY)->num, 135000);
    assert_int_equal(get(&out, "min_hourly", MENU_VT_MONEY)->num, 1330);
    assert_date(get(&out, "min_from", MENU_VT_DATE)->date, "2015-05-01");
    assert_int_equal(num(&out, "guideline_year"), 2014);
    assert_string_equal(text(&out, "guideline_base"), "9%");
    assert_string_equal(text(&out, "guideline_upper"), "14%");
    assert_string_equal(text(&out, "guideline_lower"), "3%");
    menu_values_fini(&out);
}

static void test_guide(void **state)
{
    struct actx *a = *state;
    static const struct {
        const char *query, *lang;
        long long count, median;
        const char *name, *label0;
    } cases[] = {
        {"车工", "zh", 1, 520000, "车工", "车工 中位¥5,200（示例）"},
        {"  车工　", "zh", 1, 520000, "车工", "车工 中位¥5,200（示例）"},
        {"焊", "zh", 1, 560000, "焊工", "焊工 中位¥5,600（示例）"}, /* not 电焊工 */
        {"电焊工", "en", 1, 540000, "electric welder", "electric welder median 5,400 yuan (example)"},
        {"没有这个工种", "zh", 0, 0, "", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct menu_values out = {0};
        const char *args[] = {cases[i].query};
        assert_int_equal(run(a, "guide.find", MSISDN_A, cases[i].lang, args, 1, &out, NULL, 0),
                         0);
        assert_declared(menu_action_find(a->reg, "guide.find"), &out);
        assert_int_equal(num(&out, "count"), cases[i].count);
        assert_int_equal(num(&out, "median"), cases[i].median);
        assert_string_equal(text(&out, "name"), cases[i].name);
        const struct menu_value *l = get(&out, "prices", MENU_VT_LIST);
        assert_int_equal(l->n_items, cases[i].count);
        if (cases[i].label0)
            assert_string_equal(l->items[0].label, cases[i].label0);
        menu_values_fini(&out);
    }
}

static void test_subsidy(void **state)
{
    struct actx *a = *state;
    struct menu_values out = {0};
    assert_int_equal(run(a, "subsidy.list", MSISDN_A, "zh", NULL, 0, &out, NULL, 0), 0);
    assert_declared(menu_action_find(a->reg, "subsidy.list"), &out);
    assert_int_equal(num(&out, "count"), 2);
    assert_int_equal(num(&out, "claimable_count"), 1);
    assert_int_equal(num(&out, "claimable_total"), 195000);
    assert_int_equal(num(&out, "paid_total"), 100000);
    assert_string_equal(text(&out, "summary"),
                        "车工 初级工：已发放¥1,000\n车工 中级工：可申领¥1,950，截止2027-06-14（示例）");
    const struct menu_value *certs = get(&out, "certs", MENU_VT_LIST);
    assert_int_equal(certs->n_items, 2);
    const struct menu_values *mid = &certs->items[1].values;
    assert_string_equal(certs->items[1].label, "车工 中级工 可申领");
    assert_string_equal(text(mid, "status_code"), "claimable");
    assert_int_equal(num(mid, "amount"), 195000);
    assert_date(get(mid, "deadline", MENU_VT_DATE)->date, "2027-06-14");
    assert_int_equal(num(mid, "days_left"), 198);
    assert_int_equal(num(mid, "example"), 1);
    const struct menu_value *next = get(&out, "next", MENU_VT_LIST);
    assert_int_equal(next->n_items, 1);
    assert_string_equal(next->items[0].label, "车工 高级工");
    assert_int_equal(num(&next->items[0].values, "points_gain"), 20);
    assert_int_equal(num(&next->items[0].values, "amount"), 260000);
    assert_string_equal(text(&out, "next_summary"), "车工 高级工：+20分，补贴¥2,600（示例）");
    menu_values_fini(&out);

    assert_int_equal(run(a, "subsidy.list", MSISDN_B, "en", NULL, 0, &out, NULL, 0), 0);
    assert_int_equal(num(&out, "claimable_total"), 0);
    assert_string_equal(text(&out, "summary"),
                        "sewing machine operator junior worker (level 5): expired "
                        "(deadline 2026-08-31) (example)");
    menu_values_fini(&out);
}

static void test_opt_out_in(void **state)
{
    struct actx *a = *state;
    struct menu_values out = {0};
    /* B is opted out in the demo data; DY opts her back in. */
    assert_int_equal(run(a, "worker.status", MSISDN_B, "zh", NULL, 0, &out, NULL, 0), 0);
    assert_int_equal(num(&out, "registered"), 1);
    assert_int_equal(num(&out, "opted_out"), 1);
    menu_values_fini(&out);
    static const struct {
        const char *action;
        long long opted_out, changed;
    } steps[] = {
        {"sub.optin", 0, 1},
        {"sub.optin", 0, 0},
        {"sub.optout", 1, 1},
        {"sub.optout", 1, 0},
        {"sub.optin", 0, 1},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        assert_int_equal(run(a, steps[i].action, MSISDN_B, "zh", NULL, 0, &out, NULL, 0), 0);
        assert_int_equal(num(&out, "opted_out"), steps[i].opted_out);
        assert_int_equal(num(&out, "changed"), steps[i].changed);
        menu_values_fini(&out);
        struct svc_worker w;
        fx_worker(a->fx, MSISDN_B, &w);
        assert_int_equal(w.opted_out, steps[i].opted_out);
        if (steps[i].opted_out)
            assert_int_equal(test_db_int(a->fx->db,
                                         "SELECT opted_out_at = '2026-11-28' FROM workers"
                                         " WHERE msisdn = '8613800138001'"),
                             1);
        else
            assert_int_equal(test_db_int(a->fx->db, "SELECT opted_out_at IS NULL FROM workers"
                                                    " WHERE msisdn = '8613800138001'"),
                             1);
    }
    /* Nobody else changed. */
    assert_int_equal(test_db_int(a->fx->db, "SELECT count(*) FROM workers WHERE opted_out = 1"), 0);
}

static void test_lang(void **state)
{
    struct actx *a = *state;
    struct menu_values out = {0};
    const char *en[] = {"en"}, *zh[] = {"zh"}, *fr[] = {"fr"};
    assert_int_equal(run(a, "lang.set", MSISDN_A, "zh", en, 1, &out, NULL, 0), 0);
    assert_string_equal(text(&out, "lang"), "en");
    assert_int_equal(num(&out, "changed"), 1);
    menu_values_fini(&out);
    struct svc_worker w;
    fx_worker(a->fx, MSISDN_A, &w);
    assert_string_equal(w.language, "en");
    assert_int_equal(run(a, "worker.status", MSISDN_A, "en", NULL, 0, &out, NULL, 0), 0);
    assert_string_equal(text(&out, "lang"), "en");
    assert_string_equal(text(&out, "district"), "Pengjiang District");
    menu_values_fini(&out);
    assert_int_equal(run(a, "lang.set", MSISDN_A, "en", en, 1, &out, NULL, 0), 0);
    assert_int_equal(num(&out, "changed"), 0);
    menu_values_fini(&out);

    char err[128];
    assert_int_equal(run(a, "lang.set", MSISDN_A, "en", fr, 1, &out, err, sizeof err),
                     GY_EINVAL);
    assert_has(err, "zh");
    assert_int_equal(out.n, 0);
    fx_worker(a->fx, MSISDN_A, &w);
    assert_string_equal(w.language, "en");

    assert_int_equal(run(a, "lang.set", MSISDN_A, "en", zh, 1, &out, NULL, 0), 0);
    menu_values_fini(&out);
    fx_worker(a->fx, MSISDN_A, &w);
    assert_string_equal(w.language, "zh");
    /* Only A's row changed. */
    assert_int_equal(test_db_int(a->fx->db, "SELECT count(*) FROM workers WHERE language = 'en'"),
                     0);
}

static void test_unregistered(void **state)
{
    struct actx *a = *state;
    const char *q[] = {"车工"}, *en[] = {"en"};
    for (size_t i = 0; i < menu_action_count(a->reg); i++) {
        const struct menu_action_def *d = menu_action_at(a->reg, i);
        struct menu_values out = {0};
        const char *const *args = strcmp(d->name, "guide.find") == 0 ? q
                                  : strcmp(d->name, "lang.set") == 0 ? en
                                                                     : NULL;
        char err[128];
        int rc = run(a, d->name, MSISDN_NONE, "zh", args, args ? 1 : 0, &out, err, sizeof err);
        if (strcmp(d->name, "worker.status") == 0) {
            assert_int_equal(rc, 0);
            assert_int_equal(num(&out, "registered"), 0);
        } else {
            if (rc != GY_ENOTFOUND)
                fail_msg("%s for an unregistered number gave %d", d->name, rc);
            assert_has(err, "not registered");
            assert_int_equal(out.n, 0); /* nobody's data */
        }
        menu_values_fini(&out);
    }
    assert_int_equal(
        test_db_int(a->fx->db, "SELECT count(*) FROM workers WHERE msisdn = '8613800138999'"), 0);
}

static void test_bad_args(void **state)
{
    struct actx *a = *state;
    const struct menu_action_def *lang = menu_action_find(a->reg, "lang.set");
    const struct menu_action_def *guide = menu_action_find(a->reg, "guide.find");
    struct menu_action_ctx ctx = {a->fx->db, a->fx->today, MSISDN_A, "zh"};
    struct menu_values out = {0};
    char err[160];
    struct menu_value two[2] = {{.type = MENU_VT_TEXT, .text = "a"},
                                {.type = MENU_VT_TEXT, .text = "b"}};
    struct menu_value num5 = {.type = MENU_VT_INT, .num = 5};
    struct menu_value date = {.type = MENU_VT_DATE, .date = {2026, 1, 1}};
    struct menu_value nulltext = {.type = MENU_VT_TEXT, .text = NULL};
    struct menu_value spaces = {.type = MENU_VT_TEXT, .text = " \u3000 "};
    static const struct {
        int which; /* 0 lang.set, 1 guide.find */
        int n;     /* -1: two args */
        int arg;   /* 0 num5, 1 date, 2 NULL text, 3 spaces */
        const char *msg;
    } cases[] = {
        {0, 0, 0, "takes 1 to 1 arguments, not 0"},
        {1, -1, 0, "takes 1 to 1 arguments, not 2"},
        {0, 1, 0, "language must be"},       /* 5 coerced to "5", then refused */
        {1, 1, 1, "must be text, not date"},
        {1, 1, 2, "has no text"},
        {1, 1, 3, "type an occupation name"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct menu_value *arg = cases[i].arg == 0   ? &num5
                                       : cases[i].arg == 1 ? &date
                                       : cases[i].arg == 2 ? &nulltext
                                                           : &spaces;
        const struct menu_value *args = cases[i].n < 0 ? two : arg;
        size_t n = cases[i].n < 0 ? 2 : (size_t)cases[i].n;
        int rc = menu_action_call(cases[i].which ? guide : lang, &ctx, n ? args : NULL, n, &out,
                                  err, sizeof err);
        assert_int_equal(rc, GY_EINVAL);
        assert_has(err, cases[i].msg);
        assert_int_equal(out.n, 0);
    }
    assert_int_equal(menu_action_call(lang, NULL, NULL, 0, &out, err, sizeof err), GY_EINVAL);
    assert_int_equal(menu_action_call(NULL, &ctx, NULL, 0, &out, NULL, 0), GY_EINVAL);
    struct menu_action_ctx empty = {a->fx->db, a->fx->today, "", "zh"};
    assert_int_equal(menu_action_call(menu_action_find(a->reg, "points.get"), &empty, NULL, 0,
                                      &out, err, sizeof err),
                     GY_EINVAL);
    assert_has(err, "no phone number");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test_setup_teardown(test_registry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_points, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hukou, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enroll, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_guide, setup, teardown),
        cmocka_unit_test_setup_teardown(test_subsidy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_opt_out_in, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lang, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unregistered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_args, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
