/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_simulate: `gongyou simulate --msisdn N [--channel ussd|sms] [--db FILE] [--menus DIR]`:
 * a terminal phone on the real engine and database (DESIGN.md contract 4). Reads what the
 * worker types line by line from stdin, echoes it as "> TEXT", prints each page as the phone
 * shows it with a status line (coding, octets, page n/m; SMS segments) and [END] on a final
 * screen, and exits at the end of the input. Lines ":timeout" and ":reload" play an
 * unanswered screen and a live reload of the menus. Nothing personal is logged. */
#include "tools/cli.h"
#include "base/gy_date.h"
#include "base/gy_err.h"
#include "base/gy_log.h"
#include "db/svc_worker.h"
#include "gateway/gy_config.h"
#include "locale/text_split.h"
#include "locale/ussd_budget.h"
#include "menus/menu_action.h"
#include "menus/menu_engine.h"
#include "menus/menu_run.h"
#include "menus/menu_set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIM_LINE_MAX 1024

static void
usage(FILE *out)
{
    fprintf(out,
            "usage: gongyou simulate --msisdn N [--channel ussd|sms] [--db FILE] [--menus DIR]\n"
            "  a terminal phone on the real menu engine and database. Type what the worker\n"
            "  would: a USSD code (*188#) or an SMS (JF), then answers; one line each.\n"
            "  The session ends at the end of the input. Special lines:\n"
            "    :timeout   the worker does not answer the screen in time\n"
            "    :reload    reload the menus (the session in progress keeps its version)\n"
            "  --msisdn N    the worker's number, international form (8613800138000)\n"
            "  --channel     ussd (default: pages of one USSD string) or sms (segments)\n"
            "  --menus DIR   the scripts (default: menus.dir of the configuration, else\n"
            "                menus/scripts)\n"
            "  Today's date comes from GONGYOU_TODAY=YYYY-MM-DD when set.\n");
}

struct sim {
    enum menu_channel channel;
    const char *msisdn;
    struct db *db;
    struct menu_action_registry *reg;
    struct menu_set_slot *slot;
    struct menu_session session;
    struct menu_run_env env;
};

static const char *
coding_name(enum text_coding c)
{
    return c == TEXT_CODING_GSM7 ? "GSM 7-bit" : c == TEXT_CODING_UCS2 ? "UCS-2" : "GBK";
}

/* USSD: the page, then "-- UCS-2 76/160 octets, page 1/2 --". */
static void
show_ussd(const struct menu_run_reply *r)
{
    printf("%s\n-- %s %zu/%d octets%s, page %d/%d --\n", r->text, coding_name(r->coding),
           r->octets, USSD_BUDGET_OCTETS, r->octets > USSD_BUDGET_OCTETS ? " OVER BUDGET" : "",
           r->page, r->pages);
}

/* SMS: the text as the phone joins it, then "-- SMS UCS-2, 2 segments (67+20 characters,
 * 174 octets), page 1/1 --". */
static void
show_sms(const struct menu_run_reply *r)
{
    printf("%s\n", r->text);
    struct text_split_opts o = {.allow = TEXT_ALLOW_DEFAULT, .concat = TEXT_CONCAT_UDH8};
    struct text_split sp;
    struct text_unencodable bad;
    int rc = text_split_make(NULL, r->text, r->len, &o, &sp, &bad);
    if (rc != 0) {
        printf("-- cannot be sent by SMS: %s at byte %zu --\n", gy_strerror(rc), bad.offset);
        return;
    }
    char parts[256] = "";
    size_t used = 0, octets = 0;
    for (size_t i = 0; i < sp.n_parts && used + 16 < sizeof(parts); i++) {
        size_t units = sp.coding == TEXT_CODING_UCS2 ? sp.parts[i].n_units / 2
                                                     : sp.parts[i].n_units;
        used += (size_t)snprintf(parts + used, sizeof(parts) - used, "%s%zu", i ? "+" : "",
                                 units);
        octets += sp.parts[i].sm_len;
    }
    printf("-- SMS %s, %zu segment%s (%s characters, %zu octets)%s, page %d/%d --\n",
           coding_name(sp.coding), sp.n_segments, sp.n_segments == 1 ? "" : "s", parts, octets,
           sp.truncated ? " TRUNCATED" : "", r->page, r->pages);
    text_split_fini(&sp);
}

static void
show(struct sim *s, const struct menu_run_reply *r)
{
    if (s->channel == MENU_CH_USSD)
        show_ussd(r);
    else
        show_sms(r);
    if (r->late > 0)
        printf("-- %u action%s passed the deadline --\n", r->late, r->late == 1 ? "" : "s");
    if (r->final)
        printf("[END]\n");
}

/* The worker's language from the database, or NULL (script default) when unregistered. */
static const char *
worker_lang(struct sim *s, char *buf, size_t len)
{
    struct svc_worker w;
    if (svc_worker_get(s->db, s->msisdn, &w) != 0 || w.language[0] == '\0')
        return NULL;
    snprintf(buf, len, "%s", w.language);
    return buf;
}

/* Tries line as an entry point of the current set: 1 when a session started (shown, any
 * session in progress replaced), 0 when no entry matches. */
static int
try_start(struct sim *s, const char *line)
{
    struct menu_set *set = menu_set_slot_acquire(s->slot);
    if (set == NULL)
        return 0;
    char lbuf[8];
    const char *lang = worker_lang(s, lbuf, sizeof(lbuf));
    struct menu_run_reply r;
    int rc = menu_run_start(&s->session, set, s->channel, line, lang, &s->env, &r);
    menu_set_unref(set); /* the session holds its own reference */
    if (rc == GY_ENOTFOUND)
        return 0;
    if (rc != 0)
        printf("-- the session failed: %s --\n", gy_strerror(rc));
    else
        show(s, &r);
    return 1;
}

static int
looks_like_ussd_code(const char *line)
{
    size_t n = strlen(line);
    return n >= 2 && (line[0] == '*' || line[0] == '#') && line[n - 1] == '#';
}

static void
reload(struct sim *s)
{
    struct menu_set_report rep = {0};
    int rc = menu_set_slot_reload(s->slot, &rep);
    const struct menu_set *cur = menu_set_slot_current(s->slot);
    if (rc != 0)
        printf("%s-- reload refused (%s): version %u stays --\n", rep.text ? rep.text : "",
               gy_strerror(rc), cur != NULL ? menu_set_version(cur) : 0);
    else
        printf("%s-- reloaded: version %u (%ld us)%s --\n", rep.text ? rep.text : "",
               menu_set_version(cur), menu_set_load_us(cur),
               menu_session_active(&s->session) ? "; the session in progress keeps its version"
                                                : "");
    if (rc == 0 && menu_session_active(&s->session))
        printf("-- session on version %u --\n", menu_set_version(s->session.set));
    menu_set_report_fini(&rep);
}

static void
feed(struct sim *s, const char *line)
{
    printf("> %s\n", line);
    if (strcmp(line, ":reload") == 0) {
        reload(s);
        return;
    }
    struct menu_run_reply r;
    int active = menu_session_active(&s->session);
    if (strcmp(line, ":timeout") == 0) {
        if (!active) {
            printf("-- no session --\n");
            return;
        }
        int rc = menu_run_timeout(&s->session, &s->env, &r);
        if (rc == 0)
            show(s, &r);
        else
            printf("-- the session failed: %s --\n", gy_strerror(rc));
        return;
    }
    /* A new USSD code, or any SMS that is a keyword, starts a session (replacing one in
     * progress); anything else answers the screen of the session in progress. */
    if (!active || (s->channel == MENU_CH_USSD ? looks_like_ussd_code(line) : 1)) {
        if (try_start(s, line))
            return;
        if (!active) {
            printf("(no service answers \"%s\" on %s)\n-- no session --\n", line,
                   s->channel == MENU_CH_USSD ? "USSD" : "SMS");
            return;
        }
    }
    int rc = menu_run_input(&s->session, line, &s->env, &r);
    if (rc != 0) {
        printf("-- the session failed: %s --\n", gy_strerror(rc));
        menu_session_end(&s->session);
        return;
    }
    show(s, &r);
}

/* The menus directory: --menus, else menus.dir of the configuration when one is given or
 * the default file exists, else menus/scripts. Returns a new string (free()) or NULL. */
static char *
menus_dir(const struct cli_ctx *ctx, const char *opt)
{
    if (opt != NULL)
        return strdup(opt);
    const char *conf = ctx->config_path != NULL ? ctx->config_path : GY_CONFIG_DEFAULT_PATH;
    struct gy_config cfg = {0};
    char err[1024];
    char *dir = NULL;
    if (gy_config_load(conf, &cfg, err, sizeof(err)) == 0 && cfg.menus_dir != NULL)
        dir = strdup(cfg.menus_dir);
    else if (ctx->config_path != NULL)
        fprintf(stderr, "%s\n", err);
    gy_config_fini(&cfg);
    if (dir == NULL && ctx->config_path == NULL)
        dir = strdup("menus/scripts");
    return dir;
}

int
cmd_simulate(struct cli_ctx *ctx, int argc, char **argv)
{
    const char *msisdn = NULL, *channel = "ussd", *menus = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return CLI_OK;
        }
        const char **slot = strcmp(a, "--msisdn") == 0    ? &msisdn
                            : strcmp(a, "--channel") == 0 ? &channel
                            : strcmp(a, "--menus") == 0   ? &menus
                                                          : NULL;
        if (slot == NULL || i + 1 >= argc) {
            fprintf(stderr, "%s simulate: %s '%s'\n", ctx->prog,
                    slot == NULL ? "unknown option" : "missing value for", a);
            usage(stderr);
            return CLI_USAGE;
        }
        *slot = argv[++i];
    }
    struct sim s = {.msisdn = msisdn, .channel = MENU_CH_USSD};
    if (msisdn == NULL || msisdn[0] == '\0' || strspn(msisdn, "0123456789") != strlen(msisdn)) {
        fprintf(stderr, "%s simulate: --msisdn N is required (digits, international form)\n",
                ctx->prog);
        return CLI_USAGE;
    }
    if (strcmp(channel, "sms") == 0)
        s.channel = MENU_CH_SMS;
    else if (strcmp(channel, "ussd") != 0) {
        fprintf(stderr, "%s simulate: --channel is ussd or sms, not '%s'\n", ctx->prog, channel);
        return CLI_USAGE;
    }
    if (gy_date_today(&s.env.today) != 0) {
        fprintf(stderr, "%s simulate: GONGYOU_TODAY is not a date YYYY-MM-DD\n", ctx->prog);
        return CLI_USAGE;
    }
    char *dir = menus_dir(ctx, menus);
    if (dir == NULL)
        return CLI_FAIL;
    int status = CLI_FAIL;
    struct menu_set_report rep = {0};
    if ((s.reg = menu_action_registry_builtin()) == NULL ||
        (s.slot = menu_set_slot_new(dir, s.reg, 0)) == NULL)
        goto out;
    int rc = menu_set_slot_reload(s.slot, &rep);
    if (rep.text != NULL && rep.text[0] != '\0')
        fputs(rep.text, stderr);
    if (rc != 0) {
        fprintf(stderr, "%s simulate: menus in %s refused: %s\n", ctx->prog, dir,
                gy_strerror(rc));
        goto out;
    }
    if (cli_open_db(ctx, 0, &s.db) != 0)
        goto out;
    s.env.db = s.db;
    s.env.msisdn = s.msisdn;
    char line[SIM_LINE_MAX];
    while (fgets(line, sizeof(line), stdin) != NULL) {
        size_t n = strcspn(line, "\r\n");
        line[n] = '\0';
        feed(&s, line);
        fflush(stdout);
    }
    status = CLI_OK;
out:
    menu_session_end(&s.session);
    menu_set_report_fini(&rep);
    menu_set_slot_free(s.slot);
    menu_action_registry_free(s.reg);
    db_close(s.db);
    free(dir);
    return status;
}
