/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_send: `gongyou send MSISDN TEXT [--priority reply|normal|broadcast] [--sender LABEL]`:
 * encodes TEXT in the cheapest coding the configuration's first bind allows, splits it into
 * segments and enqueues the message with all its segments in the outbox (one transaction).
 * The daemon picks it up; nothing is sent from here. The number is printed masked. */
#include "tools/cli.h"
#include "base/gy_err.h"
#include "base/gy_log.h"
#include "db/outbox_store.h"
#include "gateway/gy_config.h"
#include "gateway/outbox_compose.h"
#include "locale/text_split.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void
usage(FILE *out)
{
    fprintf(out,
            "usage: gongyou send MSISDN TEXT [--priority reply|normal|broadcast]\n"
            "                    [--sender LABEL] [--validity SECONDS]\n"
            "  MSISDN    international form (8613800138000; a leading + is accepted)\n"
            "  TEXT      UTF-8; encoded and split as the first bind of the configuration allows\n"
            "  --priority  class in the outbox (default normal)\n"
            "  --sender    account label for accounting, 1..32 characters (default \"cli\")\n"
            "  --validity  seconds before unsent parts expire (default by priority)\n");
}

/* Copies a valid number (digits, optional '+') into out without '+'. */
static int
parse_msisdn(const char *in, char *out, size_t len, const char **why)
{
    if (in[0] == '+')
        in++;
    size_t n = strlen(in);
    for (size_t i = 0; i < n; i++) {
        if (in[i] < '0' || in[i] > '9') {
            *why = "only digits (and a leading +) are allowed";
            return GY_EINVAL;
        }
    }
    if (n == 11 && in[0] == '1') {
        *why = "write the number in international form (86 followed by the 11 digits)";
        return GY_EINVAL;
    }
    if (n < 5 || n >= len || n >= OUTBOX_ADDR_SIZE) {
        *why = "a number has 5 to 20 digits";
        return GY_EINVAL;
    }
    memcpy(out, in, n + 1);
    return 0;
}

static int64_t
wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Loads the configuration for the coding defaults: -c FILE must load; the default file may
 * be missing (built-in defaults then). Returns 0 or CLI_FAIL after printing the error. */
static int
load_config(const struct cli_ctx *ctx, struct gy_config *cfg)
{
    const char *path = ctx->config_path ? ctx->config_path : GY_CONFIG_DEFAULT_PATH;
    char err[4096];
    if (ctx->config_path == NULL && access(path, F_OK) != 0)
        return gy_config_defaults(cfg) == 0 ? 0 : CLI_FAIL;
    int rc = gy_config_load(path, cfg, err, sizeof(err));
    if (rc != 0) {
        fprintf(stderr, "%s\n", rc == GY_ENOMEM ? gy_strerror(rc) : err);
        return CLI_FAIL;
    }
    return 0;
}

int
cmd_send(struct cli_ctx *ctx, int argc, char **argv)
{
    const char *pos[2] = {NULL, NULL};
    size_t npos = 0;
    struct outbox_msg_in m = {.priority = OUTBOX_PRIO_NORMAL,
                              .sender = "cli",
                              .dest_ton = 1,
                              .dest_npi = 1,
                              .registered_delivery = 1};
    long validity = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return CLI_OK;
        }
        bool takes = strcmp(a, "--priority") == 0 || strcmp(a, "--sender") == 0 ||
                     strcmp(a, "--validity") == 0;
        if (takes && i + 1 >= argc) {
            fprintf(stderr, "%s send: option %s needs a value\n", ctx->prog, a);
            return CLI_USAGE;
        }
        if (strcmp(a, "--priority") == 0) {
            if (outbox_prio_parse(argv[++i], &m.priority) != 0) {
                fprintf(stderr, "%s send: --priority must be reply, normal or broadcast\n",
                        ctx->prog);
                return CLI_USAGE;
            }
        } else if (strcmp(a, "--sender") == 0) {
            m.sender = argv[++i];
            size_t n = strlen(m.sender);
            if (n < 1 || n >= OUTBOX_SENDER_SIZE) {
                fprintf(stderr, "%s send: --sender must have 1 to 32 characters\n", ctx->prog);
                return CLI_USAGE;
            }
        } else if (strcmp(a, "--validity") == 0) {
            char *end = NULL;
            validity = strtol(argv[++i], &end, 10);
            if (end == argv[i] || *end != '\0' || validity < 1 || validity > 7L * 24 * 3600) {
                fprintf(stderr, "%s send: --validity is 1 to 604800 seconds\n", ctx->prog);
                return CLI_USAGE;
            }
        } else if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "%s send: unknown option '%s'\n", ctx->prog, a);
            return CLI_USAGE;
        } else if (npos < 2) {
            pos[npos++] = a;
        } else {
            fprintf(stderr, "%s send: unexpected argument (quote the text)\n", ctx->prog);
            return CLI_USAGE;
        }
    }
    if (npos != 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    char msisdn[OUTBOX_ADDR_SIZE];
    const char *why = "";
    if (parse_msisdn(pos[0], msisdn, sizeof(msisdn), &why) != 0) {
        fprintf(stderr, "%s send: bad number: %s\n", ctx->prog, why);
        return CLI_USAGE;
    }
    m.msisdn = msisdn;
    if (pos[1][0] == '\0') {
        fprintf(stderr, "%s send: the text is empty\n", ctx->prog);
        return CLI_USAGE;
    }

    struct gy_config cfg = {0};
    if (load_config(ctx, &cfg) != 0) {
        gy_config_fini(&cfg);
        return CLI_FAIL;
    }
    struct text_split_opts opts;
    outbox_compose_split_opts(cfg.n_binds > 0 ? &cfg.binds[0].coding : NULL,
                              TEXT_OVERFLOW_REFUSE, &opts);
    int64_t now = wall_ms();
    opts.ref = (uint16_t)((uint64_t)now ^ ((uint64_t)getpid() << 3));
    if (validity > 0)
        m.valid_until_ms = now + (int64_t)validity * 1000;
    if (cfg.n_binds > 0) {
        m.source_addr = cfg.binds[0].source_addr;
        m.source_ton = (uint8_t)cfg.binds[0].source_ton;
        m.source_npi = (uint8_t)cfg.binds[0].source_npi;
    }
    struct text_codec *codec = (opts.allow & TEXT_ALLOW_GBK) ? text_codec_new() : NULL;
    struct db *db = NULL;
    if ((opts.allow & TEXT_ALLOW_GBK) && codec == NULL) {
        fprintf(stderr, "%s send: %s\n", ctx->prog, gy_strerror(GY_ENOMEM));
        gy_config_fini(&cfg);
        return CLI_FAIL;
    }
    if (cli_open_db(ctx, 0, &db) != 0) {
        text_codec_free(codec);
        gy_config_fini(&cfg);
        return CLI_FAIL;
    }
    struct text_unencodable bad = {0};
    struct outbox_compose_info info;
    int64_t id = 0;
    int rc = outbox_compose_enqueue(db, codec, pos[1], &opts, &m, now, &id, &info, &bad);
    int status = CLI_OK;
    if (rc == GY_EENCODING) {
        fprintf(stderr, "%s send: the text cannot be encoded at character %zu (U+%04X)%s\n",
                ctx->prog, bad.index + 1, (unsigned)bad.cp,
                bad.invalid_utf8 ? ": invalid UTF-8" : "");
        status = CLI_USAGE;
    } else if (rc == GY_ETOOBIG) {
        fprintf(stderr, "%s send: the text needs more than %u parts\n", ctx->prog, opts.max_parts);
        status = CLI_USAGE;
    } else if (rc != 0) {
        fprintf(stderr, "%s send: %s (%s)\n", ctx->prog, gy_strerror(rc), db_errmsg(db));
        status = CLI_FAIL;
    } else {
        char masked[GY_MASK_BUFLEN];
        static const char *const codings[] = {"GSM 7-bit", "UCS-2", "GBK"};
        printf("queued message %lld to %s: %zu part%s, %s, priority %s, sender %s\n",
               (long long)id, gy_mask_msisdn(m.msisdn, masked), info.n_parts,
               info.n_parts == 1 ? "" : "s",
               (unsigned)info.coding < 3 ? codings[info.coding] : "?",
               outbox_prio_name(m.priority), m.sender);
    }
    db_close(db);
    text_codec_free(codec);
    gy_config_fini(&cfg);
    return status;
}
