/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smsc-sim: the development SMSC of gongyou (main, options, sockets, console input). It wires
 * the pure core (smsc_sim_core.h) to the event loop and TCP connections of gy_loop/gy_conn,
 * and reads console commands from stdin and from a --script file. Loopback only. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/gy_err.h"
#include "base/gy_log.h"
#include "gateway/gy_conn.h"
#include "gateway/gy_loop.h"
#include "tools/smsc_sim_core.h"

#define STDIN_POLL_MS   50
#define WAIT_BIND_MS    20
#define LINE_MAX_OCTETS (SIM_TEXT_MAX + 64)
#define PHONE_WAIT_MS   10000 /* phone mode: the longest wait for an answer to a typed line */

struct app;

/* One accepted connection: its gy_conn and its core session. */
struct app_conn {
    struct app_conn *prev, *next;
    struct app *app;
    struct gy_conn *conn;
    struct sim_session *sess;
    struct gy_defer release;
    bool closing;
};

/* The process context made in main() and passed down. */
struct app {
    struct gy_loop *loop;
    struct sim_core *core;
    struct gy_conn_listener *listener;
    struct gy_timer *due_timer;    /* the core's next scheduled PDU */
    struct gy_timer *stdin_timer;  /* polls standard input for console lines */
    struct gy_timer *script_timer; /* paces --script (sleep, wait-bind) */
    struct gy_timer *stats_timer;  /* --stats-every */
    struct gy_signal *sigterm, *sigint;
    struct app_conn *conns;
    FILE *script;
    const char *script_path;
    unsigned script_line;
    bool script_wait_bind;
    char in[LINE_MAX_OCTETS + 1];
    size_t in_len;
    bool in_overlong;
    bool phone;            /* --phone: the console is a phone (smsc_sim_phone.c) */
    bool phone_echo;       /* phone mode on input that is not a terminal: echo each line run */
    bool in_eof;           /* standard input has ended */
    struct text_buf typed; /* phone mode: lines typed ahead, run one answer at a time */
    size_t typed_off;
    bool stopping;
    int exit_code;
};

/* ---- core I/O ---- */

static void
app_print(void *ctx, const char *line)
{
    (void)ctx;
    fputs(line, stdout);
    fputc('\n', stdout);
}

static time_t
app_wall(void *ctx)
{
    (void)ctx;
    return time(NULL);
}

static int
app_send(void *ctx, struct sim_session *s, const uint8_t *buf, size_t len)
{
    (void)ctx;
    struct app_conn *ac = sim_session_io(s);
    if (ac == NULL || ac->closing)
        return GY_ESTATE;
    return gy_conn_write(ac->conn, buf, len);
}

static void
conn_release(void *arg)
{
    struct app_conn *ac = arg;
    struct app *app = ac->app;
    gy_conn_close(ac->conn);
    sim_session_free(app->core, ac->sess);
    if (ac->prev)
        ac->prev->next = ac->next;
    else
        app->conns = ac->next;
    if (ac->next)
        ac->next->prev = ac->prev;
    free(ac);
}

/* Closes ac once the current callback is over (never inside a core call). */
static void
conn_close_later(struct app_conn *ac)
{
    if (ac->closing)
        return;
    ac->closing = true;
    gy_loop_defer(ac->app->loop, &ac->release, conn_release, ac);
}

static void
app_close(void *ctx, struct sim_session *s, const char *reason)
{
    (void)ctx;
    struct app_conn *ac = sim_session_io(s);
    char peer[GY_CONN_ADDRLEN];
    gy_info("[smsc-sim] %s: closing (%s)", gy_conn_peer(ac->conn, peer), reason);
    conn_close_later(ac);
}

static const struct sim_ops app_ops = {app_send, app_close, app_print, app_wall};

/* Runs what is due and re-arms the one timer on the core's next deadline. */
static void
app_arm(struct app *app)
{
    uint64_t now = gy_loop_now_ms(app->loop), due;
    sim_core_run_due(app->core, now);
    if (sim_core_next_due(app->core, &due))
        gy_timer_start(app->due_timer, due > now ? due - now : 0, false);
    else
        gy_timer_stop(app->due_timer);
}

static void
on_due(struct gy_timer *t, void *arg)
{
    (void)t;
    app_arm(arg);
}

static void
on_conn(struct gy_conn *c, enum gy_conn_event ev, int err, void *arg)
{
    struct app_conn *ac = arg;
    struct app *app = ac->app;
    if (ac->closing)
        return;
    if (ev == GY_CONN_DATA || ev == GY_CONN_EOF) {
        size_t len = 0, used = 0;
        const uint8_t *data = gy_conn_data(c, &len);
        if (len > 0) {
            sim_session_input(app->core, ac->sess, data, len, gy_loop_now_ms(app->loop), &used);
            if (!ac->closing)
                gy_conn_consume(c, used);
        }
    }
    if (!ac->closing && ev != GY_CONN_DATA && ev != GY_CONN_CONNECTED) {
        char peer[GY_CONN_ADDRLEN];
        gy_info("[smsc-sim] %s: connection %s%s%s", gy_conn_peer(c, peer),
                ev == GY_CONN_EOF ? "closed by the client" : "lost", err ? ": " : "",
                err ? gy_strerror(err) : "");
        conn_close_later(ac);
    }
    app_arm(app);
}

static void
on_accept(struct gy_conn_listener *l, struct gy_conn *c, void *arg)
{
    (void)l;
    struct app *app = arg;
    char peer[GY_CONN_ADDRLEN];
    gy_conn_peer(c, peer);
    struct app_conn *ac = calloc(1, sizeof(*ac));
    if (ac == NULL || app->stopping || (ac->sess = sim_session_new(app->core, ac, peer)) == NULL) {
        free(ac);
        gy_conn_close(c);
        return;
    }
    ac->app = app;
    ac->conn = c;
    ac->next = app->conns;
    if (app->conns)
        app->conns->prev = ac;
    app->conns = ac;
    gy_info("[smsc-sim] %s: connected", peer);
    gy_conn_set_cb(c, on_conn, ac);
}

/* ---- stopping ---- */

static void
app_stop(struct app *app, const char *why)
{
    if (app->stopping)
        return;
    app->stopping = true;
    gy_info("[smsc-sim] stopping (%s)", why);
    sim_core_drop_all(app->core, why);
    char line[1024];
    sim_core_stats_format(app->core, line, sizeof(line));
    if (!app->phone) /* a phone shows its screens only */
        printf("summary: %s\n", line);
    fflush(stdout);
    gy_loop_break(app->loop);
}

static void
on_signal(struct gy_signal *sig, int signum, void *arg)
{
    (void)sig;
    app_stop(arg, signum == SIGTERM ? "SIGTERM" : "SIGINT");
}

static void
on_stats(struct gy_timer *t, void *arg)
{
    (void)t;
    struct app *app = arg;
    char line[1024];
    sim_core_stats_format(app->core, line, sizeof(line));
    printf("stats: %s\n", line);
}

/* ---- console ---- */

/* Phone mode: runs one typed line as the phone (sim_phone_line). */
static void
phone_line(struct app *app, const char *line)
{
    if (app->phone_echo && line[strspn(line, " \t\r")] != '\0')
        printf("> %s\n", line);
    struct text_buf out;
    text_buf_init(&out);
    int rc = sim_phone_line(app->core, line, gy_loop_now_ms(app->loop), &out);
    if (out.len)
        fputs(out.data, rc < 0 ? stderr : stdout);
    text_buf_fini(&out);
    if (rc == SIM_PHONE_QUIT)
        app_stop(app, "quit");
    else
        app_arm(app);
    fflush(stdout);
}

/* Phone mode: runs the lines typed ahead, each once the previous one is answered; at the end
 * of input (Ctrl-D, a pipe's end) stops the simulator once the last answer is in. */
static void
phone_pump(struct app *app)
{
    while (!app->stopping &&
           !sim_phone_waiting(app->core, gy_loop_now_ms(app->loop), PHONE_WAIT_MS)) {
        if (app->typed_off >= app->typed.len) {
            text_buf_reset(&app->typed);
            app->typed_off = 0;
            if (app->in_eof)
                app_stop(app, "end of input");
            return;
        }
        char *l = app->typed.data + app->typed_off;
        size_t n = strlen(l);
        app->typed_off += n + 1;
        phone_line(app, l);
    }
}

/* Runs one console line. from_script: sleep and wait-bind pause the script. */
static void
run_line(struct app *app, const char *line, bool from_script)
{
    if (app->phone && !from_script) {
        phone_line(app, line);
        return;
    }
    struct sim_cmd *cmd = malloc(sizeof(*cmd));
    char err[512];
    if (cmd == NULL)
        return;
    if (sim_console_parse(line, cmd, err, sizeof(err)) != 0) {
        if (from_script)
            fprintf(stderr, "%s:%u: %s\n", app->script_path, app->script_line, err);
        else
            fprintf(stderr, "error: %s\n", err);
        free(cmd);
        return;
    }
    switch (cmd->kind) {
    case SIM_CMD_QUIT:
        app_stop(app, "quit");
        break;
    case SIM_CMD_SLEEP:
    case SIM_CMD_WAIT_BIND:
        if (!from_script) {
            fprintf(stderr, "error: sleep and wait-bind are for scripts\n");
        } else if (cmd->kind == SIM_CMD_SLEEP) {
            gy_timer_start(app->script_timer, cmd->n, false);
        } else {
            app->script_wait_bind = true;
            gy_timer_start(app->script_timer, 0, false);
        }
        break;
    default: {
        struct text_buf out;
        text_buf_init(&out);
        sim_console_exec(app->core, cmd, gy_loop_now_ms(app->loop), &out);
        if (out.len)
            fputs(out.data, stdout);
        text_buf_fini(&out);
        app_arm(app);
        break;
    }
    }
    free(cmd);
    fflush(stdout);
}

/* Runs script lines until one pauses, the script ends, or the simulator stops. */
static void
script_step(struct app *app)
{
    char line[LINE_MAX_OCTETS + 2];
    while (app->script && !app->stopping && !gy_timer_pending(app->script_timer) &&
           !app->script_wait_bind) {
        if (fgets(line, sizeof(line), app->script) == NULL) {
            fclose(app->script);
            app->script = NULL;
            break;
        }
        app->script_line++;
        if (strchr(line, '\n') == NULL && !feof(app->script)) {
            fprintf(stderr, "%s:%u: line too long\n", app->script_path, app->script_line);
            int ch;
            while ((ch = fgetc(app->script)) != EOF && ch != '\n')
                ;
            continue;
        }
        run_line(app, line, true);
    }
}

static void
on_script(struct gy_timer *t, void *arg)
{
    struct app *app = arg;
    if (app->script_wait_bind) {
        if (sim_core_receivers(app->core) == 0) {
            gy_timer_start(t, WAIT_BIND_MS, false);
            return;
        }
        app->script_wait_bind = false;
    }
    script_step(app);
}

/* Standard input is polled (the loop offers timers, not file watchers): a line typed is run
 * within STDIN_POLL_MS. End of input stops the polling, not the simulator (in phone mode it
 * stops the simulator once the lines typed ahead are answered). */
static void
on_stdin(struct gy_timer *t, void *arg)
{
    struct app *app = arg;
    struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
    while (!app->stopping && !app->in_eof && poll(&pfd, 1, 0) > 0) {
        char buf[4096];
        ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            app->in_eof = true;
            if (!app->phone)
                gy_timer_stop(t);
            break;
        }
        for (ssize_t i = 0; i < n && !app->stopping; i++) {
            if (buf[i] != '\n') {
                if (app->in_len < LINE_MAX_OCTETS)
                    app->in[app->in_len++] = buf[i];
                else
                    app->in_overlong = true;
                continue;
            }
            app->in[app->in_len] = '\0';
            if (app->in_overlong)
                fprintf(stderr, "error: line too long (at most %u octets)\n", LINE_MAX_OCTETS);
            else if (app->phone)
                text_buf_put(&app->typed, app->in, app->in_len + 1); /* with its NUL */
            else
                run_line(app, app->in, false);
            app->in_len = 0;
            app->in_overlong = false;
        }
        if (n < (ssize_t)sizeof(buf))
            break;
    }
    if (app->phone) {
        if (app->in_eof && app->in_len > 0 && !app->in_overlong) {
            text_buf_put(&app->typed, app->in, app->in_len); /* a last line without newline */
            text_buf_put(&app->typed, "", 1);
            app->in_len = 0;
        }
        phone_pump(app);
    }
}

/* ---- options ---- */

static void
usage(FILE *out)
{
    fprintf(out,
            "usage: smsc-sim [OPTIONS]\n"
            "A development SMSC (SMPP 3.4) for gongyou: accepts binds, answers submits, sends\n"
            "delivery reports, injects messages typed at its console, misbehaves on request.\n\n"
            "  --listen ADDR:PORT       loopback address to listen on (default 127.0.0.1:2775;\n"
            "                           port 0 picks a free one; the port is printed)\n"
            "  --system-id ID           accept only this system_id (default: any)\n"
            "  --password PW            accept only this password (default: any)\n"
            "  --id-format F            submit_sm_resp ids: dec, dec0, hex, hex0, HEX, HEX0\n"
            "  --dlr-id-format F        receipted_message_id of reports (default dec)\n"
            "  --dlr-text-id-format F   id: in the report text (default: --dlr-id-format)\n"
            "  --dlr-mode M             both (default), tlv or text\n"
            "  --dlr-delay-ms MS        report delay after the response (default 0)\n"
            "  --first-id N             first message id (default 3000000000)\n"
            "  --ussd-service CODE      destination of USSD deliver_sm (default 188)\n"
            "  --delay-ms MS            delay every submit_sm_resp (console: slow MS)\n"
            "  --throttle-every N       every Nth submit gets ESME_RTHROTTLED (0x58)\n"
            "  --qfull-every N          every Nth submit gets ESME_RMSGQFUL (0x14)\n"
            "  --mute-every N           every Nth submit gets no answer\n"
            "  --drop-after N           close every connection after N submits (once)\n"
            "  --drop-every N           close every connection after every Nth submit\n"
            "  --dlr-fail-every N       every Nth report says UNDELIV\n"
            "  --redeliver-ms MS        resend a deliver_sm refused with 0x64/0x58/0x14/0x08\n"
            "                           after MS ms (default 1000)\n"
            "  --script FILE            run console commands from FILE (then read stdin)\n"
            "  --no-console             do not read commands from standard input\n"
            "  --stats-every S          print the counters every S seconds\n"
            "  --quiet                  no line per PDU (summary, errors and stats only)\n"
            "  --hide-text              print submits without their text\n"
            "  --log-level LEVEL        debug, info, notice, warn (default), error\n"
            "  --phone MSISDN           phone mode: the console is this number's phone (type\n"
            "                           *188# to dial, lines answer USSD or go as SMS, ? for\n"
            "                           help); only the gateway's replies to it are printed\n"
            "  --phone-to CODE          where the phone's SMS go (default 10658188)\n"
            "  --help, --version\n\n"
            "Console commands (stdin or --script):\n");
    struct text_buf help;
    text_buf_init(&help);
    sim_console_help(&help);
    if (help.data)
        fputs(help.data, out);
    text_buf_fini(&help);
}

enum opt_id {
    O_LISTEN = 256,
    O_SYSID,
    O_PASSWORD,
    O_ID_FORMAT,
    O_DLR_ID_FORMAT,
    O_DLR_TEXT_ID_FORMAT,
    O_DLR_MODE,
    O_DLR_DELAY,
    O_FIRST_ID,
    O_USSD_SERVICE,
    O_DELAY,
    O_THROTTLE_EVERY,
    O_QFULL_EVERY,
    O_MUTE_EVERY,
    O_DROP_AFTER,
    O_DROP_EVERY,
    O_DLR_FAIL_EVERY,
    O_SCRIPT,
    O_REDELIVER,
    O_NO_CONSOLE,
    O_STATS_EVERY,
    O_QUIET,
    O_HIDE_TEXT,
    O_LOG_LEVEL,
    O_PHONE,
    O_PHONE_TO,
    O_HELP,
    O_VERSION,
};

static const struct option long_opts[] = {
    {"listen", required_argument, NULL, O_LISTEN},
    {"system-id", required_argument, NULL, O_SYSID},
    {"password", required_argument, NULL, O_PASSWORD},
    {"id-format", required_argument, NULL, O_ID_FORMAT},
    {"dlr-id-format", required_argument, NULL, O_DLR_ID_FORMAT},
    {"dlr-text-id-format", required_argument, NULL, O_DLR_TEXT_ID_FORMAT},
    {"dlr-mode", required_argument, NULL, O_DLR_MODE},
    {"dlr-delay-ms", required_argument, NULL, O_DLR_DELAY},
    {"first-id", required_argument, NULL, O_FIRST_ID},
    {"ussd-service", required_argument, NULL, O_USSD_SERVICE},
    {"delay-ms", required_argument, NULL, O_DELAY},
    {"throttle-every", required_argument, NULL, O_THROTTLE_EVERY},
    {"qfull-every", required_argument, NULL, O_QFULL_EVERY},
    {"mute-every", required_argument, NULL, O_MUTE_EVERY},
    {"drop-after", required_argument, NULL, O_DROP_AFTER},
    {"drop-every", required_argument, NULL, O_DROP_EVERY},
    {"dlr-fail-every", required_argument, NULL, O_DLR_FAIL_EVERY},
    {"script", required_argument, NULL, O_SCRIPT},
    {"redeliver-ms", required_argument, NULL, O_REDELIVER},
    {"no-console", no_argument, NULL, O_NO_CONSOLE},
    {"stats-every", required_argument, NULL, O_STATS_EVERY},
    {"quiet", no_argument, NULL, O_QUIET},
    {"hide-text", no_argument, NULL, O_HIDE_TEXT},
    {"log-level", required_argument, NULL, O_LOG_LEVEL},
    {"phone", required_argument, NULL, O_PHONE},
    {"phone-to", required_argument, NULL, O_PHONE_TO},
    {"help", no_argument, NULL, O_HELP},
    {"version", no_argument, NULL, O_VERSION},
    {NULL, 0, NULL, 0},
};

struct options {
    struct sim_config cfg;
    char host[64];
    int port;
    const char *script;
    bool no_console;
    unsigned stats_every;
    unsigned drop_after;
    bool text_fmt_set;
};

static int
parse_u64(const char *opt, const char *s, uint64_t max, uint64_t *out)
{
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (s[0] < '0' || s[0] > '9' || errno != 0 || *end != '\0' || v > max) {
        fprintf(stderr, "smsc-sim: --%s: '%s' is not a whole number from 0 to %" PRIu64 "\n", opt,
                s, max);
        return GY_EINVAL;
    }
    *out = v;
    return 0;
}

static int
parse_unsigned(const char *opt, const char *s, unsigned *out)
{
    uint64_t v;
    int rc = parse_u64(opt, s, 3600000u, &v);
    if (rc == 0)
        *out = (unsigned)v;
    return rc;
}

/* 127.0.0.1:2775, localhost:2775, [::1]:2775. Only loopback addresses are accepted. */
static int
parse_listen(const char *s, struct options *o)
{
    const char *colon = strrchr(s, ':');
    if (colon == NULL || colon == s || (size_t)(colon - s) >= sizeof(o->host)) {
        fprintf(stderr, "smsc-sim: --listen: '%s' is not ADDR:PORT\n", s);
        return GY_EINVAL;
    }
    size_t hl = (size_t)(colon - s);
    if (s[0] == '[' && hl >= 2 && s[hl - 1] == ']') {
        memcpy(o->host, s + 1, hl - 2);
        o->host[hl - 2] = '\0';
    } else {
        memcpy(o->host, s, hl);
        o->host[hl] = '\0';
    }
    if (strcmp(o->host, "localhost") == 0)
        strcpy(o->host, "127.0.0.1");
    if (strncmp(o->host, "127.", 4) != 0 && strcmp(o->host, "::1") != 0) {
        fprintf(stderr, "smsc-sim: --listen: %s is not a loopback address (127.x.x.x, ::1)\n",
                o->host);
        return GY_EINVAL;
    }
    uint64_t port;
    if (parse_u64("listen", colon + 1, 65535, &port) != 0)
        return GY_EINVAL;
    o->port = (int)port;
    return 0;
}

static int
parse_format(const char *opt, const char *s, enum sim_id_format *f)
{
    if (sim_id_format_parse(s, f) == 0)
        return 0;
    fprintf(stderr, "smsc-sim: --%s: '%s' is not dec, dec0, hex, hex0, HEX or HEX0\n", opt, s);
    return GY_EINVAL;
}

static int
copy_str(const char *opt, const char *s, char *dst, size_t cap)
{
    if (strlen(s) >= cap) {
        fprintf(stderr, "smsc-sim: --%s: at most %zu characters\n", opt, cap - 1);
        return GY_EINVAL;
    }
    strcpy(dst, s);
    return 0;
}

/* Returns 0 to run, 1 after --help/--version, 2 on a usage error. */
static int
parse_options(int argc, char **argv, struct options *o)
{
    sim_config_defaults(&o->cfg);
    strcpy(o->host, "127.0.0.1");
    o->port = 2775;
    gy_log_set_level(GY_LOG_WARN);
    struct sim_config *c = &o->cfg;
    int opt, rc = 0;
    enum gy_log_level lvl;
    uint64_t v;
    opterr = 0;
    while (rc == 0 && (opt = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
        switch (opt) {
        case O_LISTEN:
            rc = parse_listen(optarg, o);
            break;
        case O_SYSID:
            rc = copy_str("system-id", optarg, c->system_id, sizeof(c->system_id));
            break;
        case O_PASSWORD:
            rc = copy_str("password", optarg, c->password, sizeof(c->password));
            break;
        case O_ID_FORMAT:
            rc = parse_format("id-format", optarg, &c->id_format);
            break;
        case O_DLR_ID_FORMAT:
            rc = parse_format("dlr-id-format", optarg, &c->dlr_id_format);
            break;
        case O_DLR_TEXT_ID_FORMAT:
            rc = parse_format("dlr-text-id-format", optarg, &c->dlr_text_id_format);
            o->text_fmt_set = true;
            break;
        case O_DLR_MODE:
            if (sim_dlr_mode_parse(optarg, &c->dlr_mode) != 0) {
                fprintf(stderr, "smsc-sim: --dlr-mode: '%s' is not both, tlv or text\n", optarg);
                rc = GY_EINVAL;
            }
            break;
        case O_DLR_DELAY:
            rc = parse_unsigned("dlr-delay-ms", optarg, &c->dlr_delay_ms);
            break;
        case O_FIRST_ID:
            rc = parse_u64("first-id", optarg, UINT64_MAX / 2, &v);
            c->first_id = v;
            break;
        case O_USSD_SERVICE:
            rc = copy_str("ussd-service", optarg, c->ussd_service, sizeof(c->ussd_service));
            break;
        case O_DELAY:
            rc = parse_unsigned("delay-ms", optarg, &c->delay_ms);
            break;
        case O_THROTTLE_EVERY:
            rc = parse_unsigned("throttle-every", optarg, &c->throttle_every);
            break;
        case O_QFULL_EVERY:
            rc = parse_unsigned("qfull-every", optarg, &c->qfull_every);
            break;
        case O_MUTE_EVERY:
            rc = parse_unsigned("mute-every", optarg, &c->mute_every);
            break;
        case O_DROP_EVERY:
            rc = parse_unsigned("drop-every", optarg, &c->drop_every);
            break;
        case O_DLR_FAIL_EVERY:
            rc = parse_unsigned("dlr-fail-every", optarg, &c->dlr_fail_every);
            break;
        case O_DROP_AFTER:
            rc = parse_unsigned("drop-after", optarg, &o->drop_after);
            break;
        case O_REDELIVER:
            rc = parse_unsigned("redeliver-ms", optarg, &c->redeliver_ms);
            break;
        case O_SCRIPT:
            o->script = optarg;
            break;
        case O_NO_CONSOLE:
            o->no_console = true;
            break;
        case O_STATS_EVERY:
            rc = parse_unsigned("stats-every", optarg, &o->stats_every);
            break;
        case O_QUIET:
            c->quiet = true;
            break;
        case O_HIDE_TEXT:
            c->hide_text = true;
            break;
        case O_LOG_LEVEL:
            if (gy_log_level_parse(optarg, &lvl) != 0) {
                fprintf(stderr,
                        "smsc-sim: --log-level: '%s' is not debug, info, notice, warn or error\n",
                        optarg);
                rc = GY_EINVAL;
            } else {
                gy_log_set_level(lvl);
            }
            break;
        case O_PHONE:
        case O_PHONE_TO: {
            const char *name = opt == O_PHONE ? "phone" : "phone-to";
            char *dst = opt == O_PHONE ? c->phone : c->phone_to;
            size_t len = strlen(optarg);
            if (len == 0 || len >= sizeof(c->phone) || strspn(optarg, "0123456789") != len) {
                fprintf(stderr, "smsc-sim: --%s: '%s' is not a number of 1 to 20 digits\n", name,
                        optarg);
                rc = GY_EINVAL;
            } else {
                memcpy(dst, optarg, len + 1);
            }
            break;
        }
        case O_HELP:
            usage(stdout);
            return 1;
        case O_VERSION:
            printf("smsc-sim %s\n", GONGYOU_VERSION);
            return 1;
        default:
            fprintf(stderr, "smsc-sim: unknown or incomplete option '%s' (try --help)\n",
                    argv[optind - 1]);
            rc = GY_EINVAL;
            break;
        }
    }
    if (rc == 0 && optind < argc) {
        fprintf(stderr, "smsc-sim: unexpected argument '%s' (try --help)\n", argv[optind]);
        rc = GY_EINVAL;
    }
    if (!o->text_fmt_set)
        c->dlr_text_id_format = c->dlr_id_format;
    if (rc == 0 && c->phone[0]) {
        if (o->no_console) {
            fprintf(stderr, "smsc-sim: --phone needs the console (drop --no-console)\n");
            rc = GY_EINVAL;
        }
        c->quiet = true; /* the phone shows its own messages only */
    }
    return rc == 0 ? 0 : 2;
}

/* ---- main ---- */

static int
app_start(struct app *app, const struct options *o)
{
    app->loop = gy_loop_new();
    if (app->loop == NULL)
        return GY_ENOMEM;
    app->core = sim_core_new(&o->cfg, &app_ops, app);
    app->due_timer = gy_timer_new(app->loop, on_due, app);
    app->stdin_timer = gy_timer_new(app->loop, on_stdin, app);
    app->script_timer = gy_timer_new(app->loop, on_script, app);
    app->stats_timer = gy_timer_new(app->loop, on_stats, app);
    app->sigterm = gy_signal_new(app->loop, SIGTERM, on_signal, app);
    app->sigint = gy_signal_new(app->loop, SIGINT, on_signal, app);
    if (!app->core || !app->due_timer || !app->stdin_timer || !app->script_timer ||
        !app->stats_timer || !app->sigterm || !app->sigint)
        return GY_ENOMEM;
    sim_core_faults(app->core)->drop_after = o->drop_after;
    app->phone = o->cfg.phone[0] != '\0';
    app->phone_echo = app->phone && !isatty(STDIN_FILENO);
    text_buf_init(&app->typed);
    if (o->script) {
        app->script = fopen(o->script, "r");
        if (app->script == NULL) {
            fprintf(stderr, "smsc-sim: --script %s: %s\n", o->script, strerror(errno));
            return GY_EIO;
        }
        app->script_path = o->script;
    }
    app->listener = gy_conn_listen(app->loop, o->host, o->port, on_accept, app);
    if (app->listener == NULL) {
        fprintf(stderr, "smsc-sim: cannot listen on %s:%d (address in use?)\n", o->host, o->port);
        return GY_EIO;
    }
    printf("smsc-sim listening on %s:%d\n", o->host, gy_conn_listener_port(app->listener));
    if (app->phone) {
        char masked[GY_MASK_BUFLEN];
        printf("phone of %s: dial *188#, or text JF (? for help, quit to leave)\n",
               gy_mask_msisdn(o->cfg.phone, masked));
    }
    fflush(stdout);
    if (!o->no_console)
        gy_timer_start(app->stdin_timer, STDIN_POLL_MS, true);
    if (o->stats_every)
        gy_timer_start(app->stats_timer, (uint64_t)o->stats_every * 1000u, true);
    if (app->script)
        gy_timer_start(app->script_timer, 0, false);
    return 0;
}

static void
app_finish(struct app *app)
{
    if (app->script)
        fclose(app->script);
    gy_conn_listener_free(app->listener);
    gy_timer_free(app->due_timer);
    gy_timer_free(app->stdin_timer);
    gy_timer_free(app->script_timer);
    gy_timer_free(app->stats_timer);
    gy_signal_free(app->sigterm);
    gy_signal_free(app->sigint);
    /* Connections not released yet (stop from a signal): close them before the loop goes. */
    for (struct app_conn *ac = app->conns; ac; ac = ac->next) {
        if (!ac->closing)
            conn_close_later(ac);
    }
    gy_loop_free(app->loop); /* runs the deferred releases */
    sim_core_free(app->core);
    text_buf_fini(&app->typed);
}

int
main(int argc, char **argv)
{
    struct options o;
    memset(&o, 0, sizeof(o));
    int rc = parse_options(argc, argv, &o);
    if (rc != 0)
        return rc == 1 ? 0 : 2;
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct app app;
    memset(&app, 0, sizeof(app));
    rc = app_start(&app, &o);
    if (rc == 0 && gy_loop_run(app.loop) != 0) {
        fprintf(stderr, "smsc-sim: event loop failure\n");
        rc = GY_EIO;
    }
    if (rc == 0 && !app.stopping)
        app_stop(&app, "nothing left to do");
    app_finish(&app);
    return rc == 0 ? 0 : 1;
}
