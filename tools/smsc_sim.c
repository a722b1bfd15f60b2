/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smsc-sim: the development SMSC of gongyou (main, sockets, console input). It wires the pure
 * core (smsc_sim_core.h) to the event loop and TCP connections of gy_loop/gy_conn, and reads
 * console commands from stdin and from a --script file. Options: smsc_sim_options.c. Loopback
 * only. */
#include <errno.h>
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
#include "tools/smsc_sim_options.h"

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

/* ---- main ---- */

static int
app_start(struct app *app, const struct sim_options *o)
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
    struct sim_options o;
    memset(&o, 0, sizeof(o));
    int rc = sim_options_parse(argc, argv, &o);
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
