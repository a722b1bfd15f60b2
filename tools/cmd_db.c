/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_db: `gongyou db init [--demo] [--db FILE]`: creates or migrates the database
 * (re-running is harmless) and optionally loads the demo data set through the importer
 * (upserts, so re-running --demo is harmless too). The demo directory is found by
 * import_demo_dir_find(): $GONGYOU_DEMO_DIR, ./db/demo, or relative to the executable. */
#include "tools/cli.h"
#include "base/gy_err.h"
#include "db/db_import.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

void cli_print_import_rejects(const char *file, const struct import_report *rep);

static void
usage(FILE *out)
{
    fprintf(out, "usage: gongyou db init [--demo] [--db FILE]\n"
                 "  creates or migrates the database; --demo loads the demo data set\n"
                 "  (from $GONGYOU_DEMO_DIR, ./db/demo, or db/demo of the source tree\n"
                 "  next to build/bin).\n");
}

static int
load_demo(struct cli_ctx *ctx, struct db *db, const char *argv0)
{
    char dir[PATH_MAX];
    if (import_demo_dir_find(argv0, dir, sizeof(dir)) != 0) {
        fprintf(stderr,
                "%s: demo data set not found (set GONGYOU_DEMO_DIR or run from the source "
                "tree)\n",
                ctx->prog);
        return CLI_FAIL;
    }
    struct import_report rep = IMPORT_REPORT_INIT;
    int rc = import_demo(db, dir, &rep);
    if (rc == 0)
        printf("demo data loaded from %s: %ld rows\n", dir, rep.imported);
    else {
        cli_print_import_rejects(dir, &rep);
        fprintf(stderr, "%s: demo data not loaded (%s)\n", ctx->prog, gy_strerror(rc));
    }
    import_report_fini(&rep);
    return rc == 0 ? CLI_OK : CLI_FAIL;
}

int
cmd_db(struct cli_ctx *ctx, int argc, char **argv)
{
    bool demo = false;
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_USAGE : CLI_OK;
    }
    if (strcmp(argv[1], "init") != 0) {
        fprintf(stderr, "%s db: unknown subcommand '%s'\n", ctx->prog, argv[1]);
        usage(stderr);
        return CLI_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--demo") == 0)
            demo = true;
        else {
            fprintf(stderr, "%s db init: unknown argument '%s'\n", ctx->prog, argv[i]);
            usage(stderr);
            return CLI_USAGE;
        }
    }
    struct db *db;
    if (cli_open_db(ctx, DB_OPEN_CREATE, &db) != 0)
        return CLI_FAIL;
    int from = 0, to = 0;
    int rc = db_migrate(db, &from, &to);
    if (rc == GY_ESCHEMA) {
        fprintf(stderr, "%s: %s: schema version %d is newer than this program (%d)\n",
                ctx->prog, db_path(db), from, db_latest_version());
        db_close(db);
        return CLI_FAIL;
    }
    if (rc != 0) {
        fprintf(stderr, "%s: %s: migration failed at version %d: %s\n", ctx->prog,
                db_path(db), to, db_errmsg(db));
        db_close(db);
        return CLI_FAIL;
    }
    if (from == to)
        printf("%s: schema version %d, up to date\n", db_path(db), to);
    else
        printf("%s: schema migrated from version %d to %d\n", db_path(db), from, to);
    int status = demo ? load_demo(ctx, db, NULL) : CLI_OK;
    db_close(db);
    return status;
}
