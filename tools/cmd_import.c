/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_import: `gongyou import KIND FILE [--encoding auto|utf-8|gbk]`: imports one CSV
 * file through db_import and prints its report (rejected rows by line). Exit status 0
 * when every row was imported, 1 when anything was rejected (nothing changed), 2 on
 * usage errors. */
#include "tools/cli.h"
#include "base/gy_err.h"
#include "db/db_import.h"

#include <stdio.h>
#include <string.h>

static void
usage(FILE *out)
{
    fprintf(out, "usage: gongyou import KIND FILE [--encoding auto|utf-8|gbk] [--db FILE]\n"
                 "kinds:");
    for (int k = 0; k < IMPORT_KIND_COUNT; k++)
        fprintf(out, " %s", import_kind_name((enum import_kind)k));
    fprintf(out, "\nA file is imported whole or not at all; see docs/import.md.\n");
}

/* Prints the rejects of rep to stderr, prefixed with "FILE:LINE: ". */
void cli_print_import_rejects(const char *file, const struct import_report *rep);

void
cli_print_import_rejects(const char *file, const struct import_report *rep)
{
    for (size_t i = 0; i < rep->nrejects; i++) {
        const struct import_reject *r = &rep->rejects[i];
        if (r->line > 0)
            fprintf(stderr, "%s:%ld: %s\n", file, r->line, r->message);
        else
            fprintf(stderr, "%s: %s\n", file, r->message);
    }
    if ((long)rep->nrejects < rep->rejected)
        fprintf(stderr, "%s: ... and %ld more rejected rows\n", file,
                rep->rejected - (long)rep->nrejects);
}

int
cmd_import(struct cli_ctx *ctx, int argc, char **argv)
{
    const char *kind_s = NULL, *file = NULL, *enc_s = "auto";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return CLI_OK;
        } else if (strcmp(argv[i], "--encoding") == 0 && i + 1 < argc)
            enc_s = argv[++i];
        else if (strncmp(argv[i], "--encoding=", 11) == 0)
            enc_s = argv[i] + 11;
        else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "%s import: unknown option '%s'\n", ctx->prog, argv[i]);
            usage(stderr);
            return CLI_USAGE;
        } else if (kind_s == NULL)
            kind_s = argv[i];
        else if (file == NULL)
            file = argv[i];
        else {
            usage(stderr);
            return CLI_USAGE;
        }
    }
    enum import_kind kind;
    enum import_encoding enc;
    if (kind_s == NULL || file == NULL) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (import_kind_parse(kind_s, &kind) != 0) {
        fprintf(stderr, "%s import: unknown kind '%s'\n", ctx->prog, kind_s);
        usage(stderr);
        return CLI_USAGE;
    }
    if (import_encoding_parse(enc_s, &enc) != 0) {
        fprintf(stderr, "%s import: unknown encoding '%s' (auto, utf-8, gbk)\n", ctx->prog,
                enc_s);
        return CLI_USAGE;
    }
    struct db *db;
    if (cli_open_db(ctx, 0, &db) != 0)
        return CLI_FAIL;
    struct import_report rep = IMPORT_REPORT_INIT;
    int rc = import_file(db, kind, file, enc, &rep);
    db_close(db);
    if (rc == 0) {
        printf("%s: %s, encoding %s%s: %ld rows read, %ld imported\n", file,
               import_kind_name(kind), import_encoding_name(rep.encoding),
               rep.bom ? " (BOM)" : "", rep.rows_read, rep.imported);
    } else {
        cli_print_import_rejects(file, &rep);
        fprintf(stderr, "%s: %s, encoding %s: %ld rows read, %ld rejected; nothing imported\n",
                file, import_kind_name(kind), import_encoding_name(rep.encoding), rep.rows_read,
                rep.rejected);
    }
    import_report_fini(&rep);
    return rc == 0 ? CLI_OK : CLI_FAIL;
}
