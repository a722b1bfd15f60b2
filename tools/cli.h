/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli: what every `gongyou` subcommand shares: the common options (-c FILE, --db FILE),
 * opening the database they name, and the subcommand table. Each subcommand lives in
 * its own cmd_*.c file and returns the process exit status. */
#ifndef GY_CLI_H
#define GY_CLI_H

#include "db/db_store.h"

struct cli_ctx {
    const char *prog;        /* "gongyou" */
    const char *config_path; /* -c FILE, or NULL for the default */
    const char *db_path;     /* --db FILE, or NULL to take it from the configuration */
};

/* Exit statuses shared by the subcommands. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* Removes -c FILE / --config FILE and --db FILE (also --db=FILE) from argv, storing them
 * in ctx, and compacts argv. Returns the new argc, or -1 after printing a usage error. */
int cli_take_common_options(struct cli_ctx *ctx, int argc, char **argv);

/* Resolves the database path (--db, else the configuration's database.path) and opens
 * it; with DB_OPEN_CREATE absent, the schema must be current. Prints errors to stderr.
 * Returns 0 and a database owned by the caller (db_close()), or CLI_FAIL. */
int cli_open_db(const struct cli_ctx *ctx, int flags, struct db **out);

int cmd_db(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import(struct cli_ctx *ctx, int argc, char **argv);
int cmd_worker(struct cli_ctx *ctx, int argc, char **argv);
int cmd_send(struct cli_ctx *ctx, int argc, char **argv);
int cmd_simulate(struct cli_ctx *ctx, int argc, char **argv);
int cmd_menu(struct cli_ctx *ctx, int argc, char **argv);

#endif
