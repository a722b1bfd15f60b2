/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_db: placeholder replaced within this work. */
#include "tools/cli.h"

#include <stdio.h>

int
cmd_db(struct cli_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "%s: not built yet\n", ctx->prog);
    return CLI_FAIL;
}
