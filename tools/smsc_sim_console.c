/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smsc_sim_console: the command language of smsc-sim (typed on stdin or read from --script):
 * parses one line into a struct sim_cmd with a clear error for bad input, and runs it on the
 * core. Pure: no I/O; pauses (sleep, wait-bind) and quit are left to the caller. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "locale/text_encode.h"
#include "tools/smsc_sim_core.h"

#define SIM_N_MAX  1000000u
#define SIM_MS_MAX 3600000u

enum arg_shape {
    A_NONE,      /* no argument */
    A_N,         /* N */
    A_MS,        /* MS */
    A_FROM_TO_T, /* FROM TO TEXT */
    A_FROM_T,    /* FROM TEXT */
    A_FROM,      /* FROM */
    A_GARBAGE,   /* [body|length] */
};

struct cmd_def {
    const char *name;
    enum sim_cmd_kind kind;
    enum arg_shape shape;
    const char *usage;
};

static const struct cmd_def cmd_defs[] = {
    {"mo", SIM_CMD_MO, A_FROM_TO_T, "mo FROM TO TEXT      a worker texts TEXT from FROM to TO"},
    {"mo-gbk", SIM_CMD_MO_GBK, A_FROM_TO_T,
     "mo-gbk FROM TO TEXT  the same text coded in GBK (data_coding 15)"},
    {"ussd", SIM_CMD_USSD, A_FROM_T,
     "ussd FROM CODE       FROM dials CODE (*188#): a new USSD session"},
    {"ussd-reply", SIM_CMD_USSD_REPLY, A_FROM_T, "ussd-reply FROM TEXT FROM answers the USSD menu"},
    {"ussd-abort", SIM_CMD_USSD_ABORT, A_FROM,
     "ussd-abort FROM      FROM hangs up the USSD session"},
    {"throttle", SIM_CMD_THROTTLE, A_N,
     "throttle N           answer the next N submits ESME_RTHROTTLED (0x58)"},
    {"qfull", SIM_CMD_QFULL, A_N,
     "qfull N              answer the next N submits ESME_RMSGQFUL (0x14)"},
    {"mute", SIM_CMD_MUTE, A_N, "mute N               do not answer the next N submits at all"},
    {"drop", SIM_CMD_DROP, A_NONE, "drop                 close every connection now"},
    {"drop-after", SIM_CMD_DROP_AFTER, A_N,
     "drop-after N         close every connection after N more submits"},
    {"slow", SIM_CMD_SLOW, A_MS,
     "slow MS              delay every submit_sm_resp by MS ms (0: off)"},
    {"dlr-fail", SIM_CMD_DLR_FAIL, A_N,
     "dlr-fail N           the next N delivery reports say UNDELIV"},
    {"dlr-delay", SIM_CMD_DLR_DELAY, A_MS,
     "dlr-delay MS         send delivery reports MS ms after the response"},
    {"garbage", SIM_CMD_GARBAGE, A_GARBAGE,
     "garbage [body|length] send a malformed PDU to every bound client"},
    {"stats", SIM_CMD_STATS, A_NONE, "stats                print the counters"},
    {"help", SIM_CMD_HELP, A_NONE, "help                 this list"},
    {"sleep", SIM_CMD_SLEEP, A_MS,
     "sleep MS             (scripts) wait MS ms before the next line"},
    {"wait-bind", SIM_CMD_WAIT_BIND, A_NONE,
     "wait-bind            (scripts) wait until a receiver is bound"},
    {"quit", SIM_CMD_QUIT, A_NONE, "quit                 stop smsc-sim"},
};

#define N_DEFS (sizeof(cmd_defs) / sizeof(cmd_defs[0]))

void
sim_console_help(struct text_buf *out)
{
    for (size_t i = 0; i < N_DEFS; i++) {
        text_buf_put(out, "  ", 2);
        text_buf_put(out, cmd_defs[i].usage, strlen(cmd_defs[i].usage));
        text_buf_put(out, "\n", 1);
    }
}

static const char *
skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* Copies the next word of *p into out[cap]; returns its length, or -1 when it is too long. */
static int
next_word(const char **p, char *out, size_t cap)
{
    const char *s = skip_space(*p);
    size_t n = 0;
    while (s[n] && s[n] != ' ' && s[n] != '\t')
        n++;
    *p = s + n;
    if (n >= cap)
        return -1;
    memcpy(out, s, n);
    out[n] = '\0';
    return (int)n;
}

static bool
parse_uint(const char *w, unsigned max, unsigned *out)
{
    if (w[0] < '0' || w[0] > '9')
        return false;
    errno = 0;
    char *end = NULL;
    unsigned long v = strtoul(w, &end, 10);
    if (errno != 0 || *end != '\0' || v > max)
        return false;
    *out = (unsigned)v;
    return true;
}

static bool
valid_number(const char *w)
{
    size_t n = strlen(w);
    if (n == 0 || n >= SIM_ADDR_SIZE)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (w[i] < '0' || w[i] > '9')
            return false;
    }
    return true;
}

static int parse_line(const char *line, struct sim_cmd *cmd, char *err, size_t errlen);

int
sim_console_parse(const char *line, struct sim_cmd *cmd, char *err, size_t errlen)
{
    memset(cmd, 0, sizeof(*cmd));
    if (line == NULL) {
        snprintf(err, errlen, "no line");
        return GY_EPARSE;
    }
    int rc = parse_line(line, cmd, err, errlen);
    if (rc != 0)
        memset(cmd, 0, sizeof(*cmd));
    return rc;
}

static int
parse_line(const char *line, struct sim_cmd *cmd, char *err, size_t errlen)
{
    char buf[SIM_TEXT_MAX + 64];
    size_t len = strlen(line);
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    if (len >= sizeof(buf)) {
        snprintf(err, errlen, "line too long (at most %u octets)", (unsigned)sizeof(buf) - 1);
        return GY_EPARSE;
    }
    memcpy(buf, line, len);
    buf[len] = '\0';
    const char *p = skip_space(buf);
    if (*p == '\0' || *p == '#')
        return 0; /* SIM_CMD_NONE */
    char word[24];
    if (next_word(&p, word, sizeof(word)) < 0) {
        snprintf(err, errlen, "unknown command (try help)");
        return GY_EPARSE;
    }
    const struct cmd_def *d = NULL;
    for (size_t i = 0; i < N_DEFS; i++) {
        if (strcmp(word, cmd_defs[i].name) == 0)
            d = &cmd_defs[i];
    }
    if (d == NULL) {
        snprintf(err, errlen, "unknown command '%s' (try help)", word);
        return GY_EPARSE;
    }
    cmd->kind = d->kind;
    char arg[32];
    const char *what = NULL;
    switch (d->shape) {
    case A_NONE:
        break;
    case A_N:
    case A_MS: {
        unsigned max = d->shape == A_N ? SIM_N_MAX : SIM_MS_MAX;
        if (next_word(&p, arg, sizeof(arg)) <= 0 || !parse_uint(arg, max, &cmd->n)) {
            snprintf(err, errlen, "%s: %s must be a whole number from 0 to %u", d->name,
                     d->shape == A_N ? "N" : "MS", max);
            return GY_EPARSE;
        }
        break;
    }
    case A_GARBAGE:
        if (next_word(&p, arg, sizeof(arg)) < 0)
            arg[0] = '?';
        if (arg[0] == '\0' || strcmp(arg, "body") == 0) {
            cmd->garbage = SIM_GARBAGE_BODY;
        } else if (strcmp(arg, "length") == 0) {
            cmd->garbage = SIM_GARBAGE_LENGTH;
        } else {
            snprintf(err, errlen, "garbage: the kind is body or length");
            return GY_EPARSE;
        }
        break;
    case A_FROM_TO_T:
    case A_FROM_T:
    case A_FROM:
        if (next_word(&p, cmd->from, sizeof(cmd->from)) <= 0 || !valid_number(cmd->from)) {
            what = "FROM";
            break;
        }
        if (d->shape == A_FROM_TO_T &&
            (next_word(&p, cmd->to, sizeof(cmd->to)) <= 0 || !valid_number(cmd->to))) {
            what = "TO";
            break;
        }
        if (d->shape != A_FROM) {
            p = skip_space(p);
            if (*p == '\0') {
                what = "TEXT";
                break;
            }
            snprintf(cmd->text, sizeof(cmd->text), "%s", p);
        }
        break;
    }
    if (what) {
        snprintf(err, errlen, "%s: %s missing or not 1 to 20 digits (usage: %s)", d->name, what,
                 d->usage);
        if (strcmp(what, "TEXT") == 0)
            snprintf(err, errlen, "%s: TEXT missing (usage: %s)", d->name, d->usage);
        return GY_EPARSE;
    }
    p = skip_space(p);
    if (d->shape != A_FROM_TO_T && d->shape != A_FROM_T && *p != '\0') {
        snprintf(err, errlen, "%s: unexpected '%s' (usage: %s)", d->name, p, d->usage);
        return GY_EPARSE;
    }
    return 0;
}

static void
say(struct text_buf *out, const char *s)
{
    text_buf_put(out, s, strlen(s));
    text_buf_put(out, "\n", 1);
}

int
sim_console_exec(struct sim_core *c, const struct sim_cmd *cmd, uint64_t now_ms,
                 struct text_buf *out)
{
    struct sim_faults *f = sim_core_faults(c);
    struct sim_config *cfg = sim_core_config(c);
    char msg[4096];
    int rc = 0;
    msg[0] = '\0';
    switch (cmd->kind) {
    case SIM_CMD_MO:
    case SIM_CMD_MO_GBK:
        rc = sim_core_inject_mo(c, cmd->from, cmd->to, cmd->text,
                                cmd->kind == SIM_CMD_MO_GBK ? TEXT_ALLOW_GBK : 0, msg, sizeof(msg));
        if (rc > 0) {
            snprintf(msg, sizeof(msg), "mo: %d part(s)%s", rc,
                     sim_core_receivers(c) ? "" : ", held until a receiver binds");
            rc = 0;
        }
        break;
    case SIM_CMD_USSD:
    case SIM_CMD_USSD_REPLY:
    case SIM_CMD_USSD_ABORT: {
        enum sim_ussd_kind k = cmd->kind == SIM_CMD_USSD         ? SIM_USSD_OPEN
                               : cmd->kind == SIM_CMD_USSD_REPLY ? SIM_USSD_REPLY
                                                                 : SIM_USSD_ABORT;
        rc = sim_core_inject_ussd(c, k, cmd->from, cmd->text, now_ms, msg, sizeof(msg));
        break;
    }
    case SIM_CMD_THROTTLE:
        f->throttle = cmd->n;
        snprintf(msg, sizeof(msg), "the next %u submit(s) get ESME_RTHROTTLED", cmd->n);
        break;
    case SIM_CMD_QFULL:
        f->qfull = cmd->n;
        snprintf(msg, sizeof(msg), "the next %u submit(s) get ESME_RMSGQFUL", cmd->n);
        break;
    case SIM_CMD_MUTE:
        f->mute = cmd->n;
        snprintf(msg, sizeof(msg), "the next %u submit(s) get no answer", cmd->n);
        break;
    case SIM_CMD_DROP:
        snprintf(msg, sizeof(msg), "closed %zu connection(s)",
                 sim_core_drop_all(c, "console drop"));
        break;
    case SIM_CMD_DROP_AFTER:
        f->drop_after = cmd->n;
        snprintf(msg, sizeof(msg), "every connection closes after %u more submit(s)", cmd->n);
        break;
    case SIM_CMD_SLOW:
        cfg->delay_ms = cmd->n;
        snprintf(msg, sizeof(msg), "submit_sm_resp delayed by %u ms", cmd->n);
        break;
    case SIM_CMD_DLR_FAIL:
        f->dlr_fail = cmd->n;
        snprintf(msg, sizeof(msg), "the next %u delivery report(s) say UNDELIV", cmd->n);
        break;
    case SIM_CMD_DLR_DELAY:
        cfg->dlr_delay_ms = cmd->n;
        snprintf(msg, sizeof(msg), "delivery reports %u ms after the response", cmd->n);
        break;
    case SIM_CMD_GARBAGE:
        snprintf(msg, sizeof(msg), "malformed PDU (%s) sent to %zu client(s)",
                 cmd->garbage == SIM_GARBAGE_LENGTH ? "length" : "body",
                 sim_core_send_garbage(c, cmd->garbage));
        break;
    case SIM_CMD_STATS:
        sim_core_stats_format(c, msg, sizeof(msg));
        break;
    case SIM_CMD_HELP:
        sim_console_help(out);
        return 0;
    case SIM_CMD_NONE:
    case SIM_CMD_SLEEP:
    case SIM_CMD_WAIT_BIND:
    case SIM_CMD_QUIT:
        return 0;
    default:
        snprintf(msg, sizeof(msg), "unknown command");
        rc = GY_EINVAL;
        break;
    }
    if (msg[0])
        say(out, msg);
    return rc;
}
