/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smsc-sim's command line: the usage text, the long options and their checks, turned into a
 * struct sim_options for main(). It prints its own errors and --help/--version output, sets
 * the log level, and opens, listens on or runs nothing. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "base/gy_log.h"
#include "tools/smsc_sim_options.h"

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
parse_listen(const char *s, struct sim_options *o)
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

/* See smsc_sim_options.h. */
int
sim_options_parse(int argc, char **argv, struct sim_options *o)
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
