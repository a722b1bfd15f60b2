/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_run: steps the engine until a screen, running the actions it asks for through the
 * registry with a deadline each (a SQLite progress handler interrupts queries past it).
 * Logs only what it decides: an action past its deadline or failing for a reason other than
 * an unregistered number (masked number, action name; never values). */
#include "menus/menu_run.h"
#include "base/gy_err.h"
#include "base/gy_log.h"
#include "db/db_store.h"
#include "menus/menu_action.h"
#include "menus/menu_set.h"

#include <string.h>
#include <time.h>

#define RUN_MAX_ACTIONS   32   /* actions per input; the engine's hop limit comes first */
#define RUN_PROGRESS_OPS  1000 /* SQLite VM steps between two looks at the clock */
#define RUN_DEFAULT_DEADLINE_MS 3000

static long long
mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* SQLite progress handler: non-zero interrupts the running statement. */
static int
past_deadline(void *arg)
{
    const long long *deadline_us = arg;
    return mono_us() > *deadline_us;
}

static int
action_deadline_ms(const struct menu_script *script, const struct menu_output *out,
                   const struct menu_run_env *env)
{
    int ms = out->deadline_ms > 0       ? out->deadline_ms
             : script->deadline_ms > 0  ? script->deadline_ms
                                        : RUN_DEFAULT_DEADLINE_MS;
    if (env->deadline_ms > 0 && env->deadline_ms < ms)
        ms = env->deadline_ms;
    return ms;
}

/* Runs the action of out. Fills *in as the result to feed back (vals receives the values;
 * the caller releases them after the step). */
static void
call_action(const struct menu_set *set, const struct menu_state *st,
            const struct menu_output *out, const struct menu_run_env *env,
            struct menu_values *vals, struct menu_input *in, struct menu_run_reply *reply)
{
    const struct menu_script *script = menu_set_script(set);
    char masked[GY_MASK_BUFLEN];
    memset(in, 0, sizeof(*in));
    in->kind = MENU_IN_RESULT;
    in->today = env->today;
    const struct menu_action_def *def = menu_action_find(menu_set_registry(set), out->action);
    reply->actions++;
    if (def == NULL) { /* the linter refuses such a set; a defensive answer all the same */
        gy_error("menu: unknown action %s in node %u", out->action, out->node);
        in->err = GY_ENOTFOUND;
        in->err_code = "failed";
        return;
    }
    struct menu_action_ctx ctx = {
        .db = env->db,
        .today = env->today,
        .msisdn = env->msisdn,
        .lang = menu_state_lang(script, st),
    };
    int deadline_ms = action_deadline_ms(script, out, env);
    long long t0 = mono_us();
    long long deadline_us = t0 + (long long)deadline_ms * 1000;
    sqlite3 *sq = env->db != NULL ? db_sqlite(env->db) : NULL;
    if (sq != NULL)
        sqlite3_progress_handler(sq, RUN_PROGRESS_OPS, past_deadline, &deadline_us);
    char why[160] = "";
    int rc = menu_action_call(def, &ctx, out->args, out->n_args, vals, why, sizeof(why));
    if (sq != NULL)
        sqlite3_progress_handler(sq, 0, NULL, NULL);
    long long took_us = mono_us() - t0;
    if (took_us > (long long)deadline_ms * 1000) {
        reply->late++;
        gy_warn("menu: action %s for %s took %.1f ms, past its deadline of %d ms", def->name,
                gy_mask_msisdn(env->msisdn, masked), (double)took_us / 1000.0, deadline_ms);
        menu_values_fini(vals);
        in->err = GY_EBUSY;
        in->err_code = "timeout";
        return;
    }
    if (rc == GY_EINVAL) /* the worker's argument (a typed name): the script answers it */
        gy_debug("menu: action %s refused its arguments: %s", def->name, why);
    else if (rc != 0 && rc != GY_ENOTFOUND)
        gy_warn("menu: action %s for %s failed: %s%s%s", def->name,
                gy_mask_msisdn(env->msisdn, masked), gy_strerror(rc), why[0] ? ": " : "", why);
    in->err = rc;
    in->values = rc == 0 ? vals : NULL;
}

static void
fill_reply(const struct menu_output *out, struct menu_run_reply *reply)
{
    memcpy(reply->text, out->text, out->len);
    reply->text[out->len] = '\0';
    reply->len = out->len;
    reply->final = out->final;
    reply->coding = out->coding;
    reply->units = out->units;
    reply->octets = out->coding == TEXT_CODING_GSM7 ? (out->units * 7 + 7) / 8 : out->units * 2;
    reply->page = out->page + 1;
    reply->pages = out->n_pages > 0 ? out->n_pages : 1;
    reply->error = out->error;
}

/* Steps with *in, then with each action's result, until a screen. */
static int
drive(struct menu_session *ss, const struct menu_input *first, const struct menu_run_env *env,
      struct menu_run_reply *reply)
{
    const struct menu_script *script = menu_set_script(ss->set);
    struct menu_output out;
    reply->actions = reply->late = 0;
    int rc = menu_step(script, &ss->state, first, &out);
    while (rc == 0 && out.kind == MENU_OUT_ACTION) {
        if (reply->actions >= RUN_MAX_ACTIONS) {
            gy_error("menu: more than %d actions for one input in script %s; session ended",
                     RUN_MAX_ACTIONS, script->id != NULL ? script->id : "?");
            menu_session_end(ss);
            return GY_ERANGE;
        }
        struct menu_values vals = {0};
        struct menu_input in;
        call_action(ss->set, &ss->state, &out, env, &vals, &in, reply);
        rc = menu_step(script, &ss->state, &in, &out);
        menu_values_fini(&vals);
    }
    if (rc != 0) {
        if (reply->actions > 0) /* the engine refused a result: the session cannot go on */
            menu_session_end(ss);
        return rc;
    }
    if (out.kind != MENU_OUT_SCREEN) {
        menu_session_end(ss);
        return GY_ESTATE;
    }
    fill_reply(&out, reply);
    if (out.final)
        menu_session_end(ss);
    return 0;
}

int
menu_run_start(struct menu_session *ss, struct menu_set *set, enum menu_channel ch,
               const char *text, const char *lang, const struct menu_run_env *env,
               struct menu_run_reply *reply)
{
    if (ss == NULL || set == NULL || text == NULL || env == NULL || reply == NULL)
        return GY_EINVAL;
    const struct menu_script *script = menu_set_script(set);
    /* Match the entry before touching the session: no match leaves it as it was. */
    char argbuf[256];
    if (menu_script_find_entry(script, ch == MENU_CH_SMS, text, strlen(text), argbuf,
                               sizeof(argbuf), NULL) < 0)
        return GY_ENOTFOUND;
    struct menu_state st;
    menu_state_init(&st, script, ch, lang, env->ussd_octets, 0);
    st.gsm_unpacked = env->ussd_gsm_unpacked;
    struct menu_input in = {
        .kind = MENU_IN_START,
        .text = text,
        .len = strlen(text),
        .today = env->today,
    };
    menu_session_end(ss);
    ss->set = menu_set_ref(set);
    ss->state = st;
    return drive(ss, &in, env, reply);
}

int
menu_run_input(struct menu_session *ss, const char *text, const struct menu_run_env *env,
               struct menu_run_reply *reply)
{
    if (ss == NULL || text == NULL || env == NULL || reply == NULL)
        return GY_EINVAL;
    if (ss->set == NULL)
        return GY_ESTATE;
    struct menu_input in = {
        .kind = MENU_IN_TEXT,
        .text = text,
        .len = strlen(text),
        .today = env->today,
    };
    return drive(ss, &in, env, reply);
}

int
menu_run_timeout(struct menu_session *ss, const struct menu_run_env *env,
                 struct menu_run_reply *reply)
{
    if (ss == NULL || env == NULL || reply == NULL)
        return GY_EINVAL;
    if (ss->set == NULL)
        return GY_ESTATE;
    struct menu_input in = {.kind = MENU_IN_TIMEOUT, .today = env->today};
    return drive(ss, &in, env, reply);
}

void
menu_session_end(struct menu_session *ss)
{
    if (ss == NULL)
        return;
    menu_set_unref(ss->set);
    ss->set = NULL;
}

bool
menu_session_active(const struct menu_session *ss)
{
    return ss != NULL && ss->set != NULL;
}
