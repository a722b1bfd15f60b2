/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gongyou: the operator CLI. Dispatches to one subcommand per cmd_*.c file. */
#include "tools/cli.h"

#include <stdio.h>
#include <string.h>

struct subcommand {
    const char *name;
    int (*run)(struct cli_ctx *ctx, int argc, char **argv);
    const char *summary;
};

static const struct subcommand subcommands[] = {
    {"db", cmd_db, "db init [--demo]        create or migrate the database, load demo data"},
    {"import", cmd_import, "import KIND FILE        import a CSV file (UTF-8 or GBK)"},
    {"worker", cmd_worker, "worker show MSISDN [--json]  every service's answer for a worker"},
    {"send", cmd_send, "send MSISDN TEXT [--priority reply|normal|broadcast] [--sender LABEL]\n"
                       "                          encode, split and queue a message in the outbox"},
    {"simulate", cmd_simulate, "simulate --msisdn N [--channel ussd|sms] [--menus DIR]\n"
                               "                          a terminal phone on the real menus and database"},
    {"menu", cmd_menu, "menu check DIR [--strict]  lint the menu scripts of DIR (exit 1 on errors)"},
};

static void
usage(FILE *out)
{
    fprintf(out,
            "usage: gongyou [-c FILE] [--db FILE] COMMAND [ARGS]\n"
            "       gongyou --help | --version\n\n"
            "Common options (every command):\n"
            "  -c, --config FILE   configuration file (default conf/gongyou.conf)\n"
            "  --db FILE           database file (default: database.path of the configuration)\n\n"
            "Commands:\n");
    for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
        fprintf(out, "  %s\n", subcommands[i].summary);
    fprintf(out, "\nToday's date comes from GONGYOU_TODAY=YYYY-MM-DD when set.\n");
}

int
main(int argc, char **argv)
{
    struct cli_ctx ctx = {.prog = "gongyou"};
    argc = cli_take_common_options(&ctx, argc, argv);
    if (argc < 0)
        return CLI_USAGE;
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("gongyou %s\n", GONGYOU_VERSION);
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++) {
        if (strcmp(argv[1], subcommands[i].name) == 0)
            return subcommands[i].run(&ctx, argc - 1, argv + 1);
    }
    fprintf(stderr, "gongyou: unknown command '%s' (try --help)\n", argv[1]);
    return CLI_USAGE;
}
