/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_common: the options every `gongyou` subcommand takes, and opening the database. */
#include "tools/cli.h"
#include "base/gy_err.h"
#include "gateway/gy_config.h"

#include <stdio.h>
#include <string.h>

int
cli_take_common_options(struct cli_ctx *ctx, int argc, char **argv)
{
    int out = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (strcmp(a, "-c") == 0 || strcmp(a, "--config") == 0)
            slot = &ctx->config_path;
        else if (strcmp(a, "--db") == 0)
            slot = &ctx->db_path;
        else if (strncmp(a, "--db=", 5) == 0) {
            ctx->db_path = a + 5;
            continue;
        } else if (strncmp(a, "--config=", 9) == 0) {
            ctx->config_path = a + 9;
            continue;
        }
        if (slot == NULL) {
            argv[out++] = argv[i];
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "%s: option %s needs a value\n", ctx->prog, a);
            return -1;
        }
        *slot = argv[++i];
    }
    argv[out] = NULL;
    return out;
}

int
cli_open_db(const struct cli_ctx *ctx, int flags, struct db **out)
{
    const char *path = ctx->db_path;
    /* Without --db, the database is database.path of the configuration (-c FILE, or the
     * default conf/gongyou.conf); relative paths resolve against the current directory. */
    struct gy_config cfg = {0};
    if (path == NULL) {
        const char *conf = ctx->config_path != NULL ? ctx->config_path : GY_CONFIG_DEFAULT_PATH;
        char cerr[4096];
        int rc = gy_config_load(conf, &cfg, cerr, sizeof(cerr));
        if (rc != 0) {
            if (rc == GY_EIO && ctx->config_path == NULL)
                fprintf(stderr, "%s: no database given: use --db FILE or -c CONFIG (%s)\n",
                        ctx->prog, cerr);
            else
                fprintf(stderr, "%s\n", rc == GY_ENOMEM ? gy_strerror(rc) : cerr);
            gy_config_fini(&cfg);
            return CLI_FAIL;
        }
        path = cfg.database_path;
    }
    char err[512];
    int orc = db_open(path, flags, out, err, sizeof(err));
    gy_config_fini(&cfg);
    if (orc != 0) {
        fprintf(stderr, "%s: %s\n", ctx->prog, err);
        return CLI_FAIL;
    }
    if (!(flags & DB_OPEN_CREATE) && db_require_current(*out, err, sizeof(err)) != 0) {
        fprintf(stderr, "%s: %s\n", ctx->prog, err);
        db_close(*out);
        *out = NULL;
        return CLI_FAIL;
    }
    return 0;
}
