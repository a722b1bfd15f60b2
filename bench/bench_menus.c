/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_menus: the menu engine's cost on the shipped scripts (issue 5 point 8): engine steps
 * per second with rendering and pagination (pure menu_step, action results replayed from a
 * cache filled once from the demo database), driver steps with the real actions on the demo
 * database, and the time to parse + lint the shipped scripts (a reload). Targets: under
 * 50 us per step, a reload under 100 ms. --smoke runs each part briefly for ctest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "bench/bench_stats.h"
#include "db/db_import.h"
#include "db/db_store.h"
#include "menus/menu_action.h"
#include "menus/menu_engine.h"
#include "menus/menu_run.h"
#include "menus/menu_set.h"

#define CACHE_MAX 32

/* Results of the real actions, replayed so that the engine part measures the engine only. */
struct cache {
    const char *name[CACHE_MAX];
    struct menu_values vals[CACHE_MAX];
    int err[CACHE_MAX];
    size_t n;
};

struct bench {
    const char *menus;
    struct db *db;
    struct menu_action_registry *reg;
    struct menu_set *set;
    struct gy_date today;
    const char *msisdn;
    struct cache cache;
    unsigned long sink;
};

/* What a worker types, picked pseudo-randomly (fixed seed): options, more, back, home, an
 * invalid answer, typed occupations. Waiting screens take any of them; the engine re-shows
 * invalid ones, so the walk reaches every menu and most end screens. */
static const char *const keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9",
                                   "0", "00", "x", "焊", "车工", "1", "2", "1", "9"};

static const char *
next_key(unsigned long *seed)
{
    *seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
    return keys[(*seed >> 33) % (sizeof(keys) / sizeof(keys[0]))];
}

/* SMS: every keyword answers at once, so each SMS is one session. */
static const char *const sms_keywords[] = {"JF", "RX", "GZ", "GZ 车工", "GZ 焊", "BT", "RH",
                                           "BZ", "积分", "补贴"};

static const struct menu_values *
cached_result(struct bench *b, const struct menu_output *out, int *err)
{
    for (size_t i = 0; i < b->cache.n; i++) {
        if (strcmp(b->cache.name[i], out->action) == 0) {
            *err = b->cache.err[i];
            return &b->cache.vals[i];
        }
    }
    const struct menu_action_def *def = menu_action_find(b->reg, out->action);
    if (def == NULL || b->cache.n == CACHE_MAX) {
        *err = GY_ENOTFOUND;
        return NULL;
    }
    size_t i = b->cache.n++;
    b->cache.name[i] = def->name;
    struct menu_action_ctx ctx = {b->db, b->today, b->msisdn, "zh"};
    b->cache.err[i] = menu_action_call(def, &ctx, out->args, out->n_args, &b->cache.vals[i],
                                       NULL, 0);
    *err = b->cache.err[i];
    return &b->cache.vals[i];
}

/* One pure engine step (and the replayed results of the actions it asks for). Returns the
 * output kind of the last step. */
static void
engine_input(struct bench *b, const struct menu_script *s, struct menu_state *st,
             const struct menu_input *in, struct menu_output *out)
{
    int rc = menu_step(s, st, in, out);
    while (rc == 0 && out->kind == MENU_OUT_ACTION) {
        struct menu_input r = {.kind = MENU_IN_RESULT, .today = b->today};
        r.values = cached_result(b, out, &r.err);
        if (r.err != 0)
            r.values = NULL;
        rc = menu_step(s, st, &r, out);
    }
    if (rc == 0)
        b->sink += out->len;
}

static void
bench_engine(struct bench *b, enum menu_channel ch, const char *lang, size_t n_steps)
{
    const struct menu_script *s = menu_set_script(b->set);
    size_t n_kw = sizeof(sms_keywords) / sizeof(sms_keywords[0]);
    double *lat = malloc(n_steps * sizeof(*lat));
    if (lat == NULL)
        return;
    struct menu_state st;
    struct menu_output out;
    unsigned long seed = 42;
    size_t screens = 0, finals = 0, starts = 0;
    bool open = false;
    double t0 = bench_cpu_now();
    for (size_t i = 0; i < n_steps; i++) {
        double s0 = bench_now();
        struct menu_input in = {.today = b->today};
        if (!open) {
            menu_state_init(&st, s, ch, lang, 0, 0);
            in.kind = MENU_IN_START;
            in.text = ch == MENU_CH_USSD ? "*188#" : sms_keywords[starts % n_kw];
            starts++;
        } else {
            in.kind = MENU_IN_TEXT;
            in.text = next_key(&seed);
        }
        in.len = strlen(in.text);
        engine_input(b, s, &st, &in, &out);
        lat[i] = (bench_now() - s0) * 1e6;
        screens++;
        open = out.kind == MENU_OUT_SCREEN && !out.final;
        finals += out.kind == MENU_OUT_SCREEN && out.final;
    }
    double cpu = bench_cpu_now() - t0;
    struct bench_summary sum;
    bench_summarize(lat, n_steps, &sum);
    printf("engine %-4s %s: %zu steps (%zu final screens), %.2f us/step CPU, %.0f steps/s; "
           "wall median %.2f us, p99 %.2f us, max %.1f us\n",
           ch == MENU_CH_USSD ? "USSD" : "SMS", lang, screens, finals,
           cpu * 1e6 / (double)n_steps, (double)n_steps / cpu, sum.median, sum.p99, sum.max);
    free(lat);
}

/* Inputs through the driver with the real actions on the demo database. */
static void
bench_driver(struct bench *b, size_t n_steps)
{
    double *lat = malloc(n_steps * sizeof(*lat));
    if (lat == NULL)
        return;
    struct menu_run_env env = {.db = b->db, .today = b->today, .msisdn = b->msisdn};
    struct menu_session ss = {0};
    struct menu_run_reply r;
    unsigned long seed = 42;
    size_t actions = 0;
    for (size_t i = 0; i < n_steps; i++) {
        double s0 = bench_now();
        int rc;
        if (!menu_session_active(&ss))
            rc = menu_run_start(&ss, b->set, MENU_CH_USSD, "*188#", NULL, &env, &r);
        else
            rc = menu_run_input(&ss, next_key(&seed), &env, &r);
        lat[i] = (bench_now() - s0) * 1e6;
        if (rc == 0)
            actions += r.actions;
    }
    menu_session_end(&ss);
    struct bench_summary sum;
    bench_summarize(lat, n_steps, &sum);
    printf("driver USSD zh (real actions, demo database): %zu inputs, %zu actions; median "
           "%.1f us, p99 %.1f us, mean %.1f us, max %.0f us\n",
           n_steps, actions, sum.median, sum.p99, sum.mean, sum.max);
    free(lat);
}

static void
bench_reload(struct bench *b, size_t runs)
{
    double *ms = malloc(runs * sizeof(*ms));
    if (ms == NULL)
        return;
    struct menu_set_slot *slot = menu_set_slot_new(b->menus, b->reg, 0);
    for (size_t i = 0; slot != NULL && i < runs; i++) {
        double t0 = bench_now();
        int rc = menu_set_slot_reload(slot, NULL);
        ms[i] = (bench_now() - t0) * 1e3;
        if (rc != 0) {
            fprintf(stderr, "bench_menus: reload failed: %s\n", gy_strerror(rc));
            break;
        }
    }
    struct bench_summary sum;
    bench_summarize(ms, runs, &sum);
    const struct menu_script *s = menu_set_script(b->set);
    printf("reload (parse + lint + swap) of %s: %zu files, %zu nodes; median %.2f ms, p99 "
           "%.2f ms, max %.2f ms over %zu runs\n",
           b->menus, s->n_files, s->n_nodes, sum.median, sum.p99, sum.max, runs);
    menu_set_slot_free(slot);
    free(ms);
}

static int
open_demo(struct bench *b, const char *src, char *dir, size_t dirlen, char *dbpath,
          size_t dblen)
{
    if (bench_temp_dir("bench-menus", dir, dirlen) != 0)
        return -1;
    snprintf(dbpath, dblen, "%s/demo.db", dir);
    char err[256], demo[1024];
    snprintf(demo, sizeof(demo), "%s/db/demo", src);
    struct import_report rep = IMPORT_REPORT_INIT;
    int rc = db_open(dbpath, DB_OPEN_CREATE, &b->db, err, sizeof(err));
    if (rc == 0)
        rc = db_migrate(b->db, NULL, NULL);
    if (rc == 0)
        rc = import_demo(b->db, demo, &rep);
    import_report_fini(&rep);
    if (rc != 0)
        fprintf(stderr, "bench_menus: demo database: %s\n", gy_strerror(rc));
    return rc;
}

int
main(int argc, char **argv)
{
    bool smoke = false;
    const char *src = getenv("GONGYOU_SOURCE_DIR");
    if (src == NULL)
        src = GY_BENCH_SOURCE_DIR;
    char menus[1024];
    snprintf(menus, sizeof(menus), "%s/menus/scripts", src);
    struct bench b = {.menus = menus, .msisdn = "8613800138000"};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--smoke") == 0)
            smoke = true;
        else if (strcmp(argv[i], "--menus") == 0 && i + 1 < argc)
            b.menus = argv[++i];
        else {
            fprintf(stderr, "usage: bench_menus [--smoke] [--menus DIR]\n");
            return 2;
        }
    }
    if (gy_date_today(&b.today) != 0)
        return 2;
    char dir[512] = "", dbpath[600] = "";
    int status = 1;
    b.reg = menu_action_registry_builtin();
    if (b.reg == NULL || open_demo(&b, src, dir, sizeof(dir), dbpath, sizeof(dbpath)) != 0)
        goto out;
    struct menu_set_report rep = {0};
    int rc = menu_set_load(b.menus, b.reg, 1, 0, &b.set, &rep);
    if (rc != 0) {
        fprintf(stderr, "bench_menus: %s: %s\n%s", b.menus, gy_strerror(rc),
                rep.text ? rep.text : "");
        menu_set_report_fini(&rep);
        goto out;
    }
    menu_set_report_fini(&rep);
    if (!smoke)
        bench_print_machine(stdout);
    printf("state size: %zu bytes per session (struct menu_session)\n",
           sizeof(struct menu_session));
    size_t n = smoke ? 2000 : 200000;
    bench_engine(&b, MENU_CH_USSD, "zh", n);
    bench_engine(&b, MENU_CH_USSD, "en", n);
    bench_engine(&b, MENU_CH_SMS, "zh", n);
    bench_engine(&b, MENU_CH_SMS, "en", n);
    bench_driver(&b, smoke ? 500 : 20000);
    bench_reload(&b, smoke ? 3 : 50);
    if (!smoke)
        bench_print_load(stdout, "after");
    status = 0;
out:
    for (size_t i = 0; i < b.cache.n; i++)
        menu_values_fini(&b.cache.vals[i]);
    menu_set_unref(b.set);
    menu_action_registry_free(b.reg);
    db_close(b.db);
    if (dir[0] != '\0') {
        bench_remove_db(dbpath);
        bench_remove_dir(dir);
    }
    printf("%s(sink %lu)\n", status == 0 ? "" : "failed ", b.sink);
    return status;
}
