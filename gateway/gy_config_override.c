/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gy_config_override: the command-line overrides of gongyoud (DESIGN.md contract 3),
 * validated with the same checks as the file. */
#include "gateway/gy_config_int.h"
#include "base/gy_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
fail(char *err, size_t errlen, const char *opt, const char *value, const char *why)
{
    if (err != NULL && errlen > 0)
        snprintf(err, errlen, "%s: '%s': %s", opt, value, why);
    return GY_EINVAL;
}

static int
replace_string(char **slot, const char *value)
{
    char *copy = strdup(value);
    if (copy == NULL)
        return GY_ENOMEM;
    free(*slot);
    *slot = copy;
    return 0;
}

/* --smsc HOST:PORT: keeps binds[0] (credentials and every other setting) with the new
 * address and drops the other binds. */
static int
override_smsc(struct gy_config *cfg, const char *value, char *err, size_t errlen)
{
    char why[160];
    char *host = NULL;
    int port = 0;
    int rc = gy_config_parse_hostport(value, &host, &port, why, sizeof(why));
    if (rc == GY_ENOMEM)
        return rc;
    if (rc != 0)
        return fail(err, errlen, "--smsc", value, why);
    if (cfg->n_binds == 0) {
        free(host);
        return fail(err, errlen, "--smsc", value,
                    "the configuration has no bind to take credentials from");
    }
    for (size_t i = 1; i < cfg->n_binds; i++)
        gy_smsc_bind_fini(&cfg->binds[i]);
    cfg->n_binds = 1;
    free(cfg->binds[0].host);
    cfg->binds[0].host = host;
    cfg->binds[0].port = port;
    return 0;
}

int
gy_config_apply_overrides(struct gy_config *cfg, const struct gy_config_overrides *ov, char *err,
                          size_t errlen)
{
    int rc;
    char why[160];
    if (ov == NULL)
        return 0;
    if (ov->smsc != NULL && (rc = override_smsc(cfg, ov->smsc, err, errlen)) != 0)
        return rc;
    if (ov->db != NULL) {
        if (ov->db[0] == '\0' || strlen(ov->db) > 4095)
            return fail(err, errlen, "--db", ov->db, "expected a file name");
        if ((rc = replace_string(&cfg->database_path, ov->db)) != 0)
            return rc;
        cfg->origin.database_path = 0;
    }
    if (ov->menus != NULL) {
        if (ov->menus[0] == '\0' || strlen(ov->menus) > 4095)
            return fail(err, errlen, "--menus", ov->menus, "expected a directory name");
        if ((rc = replace_string(&cfg->menus_dir, ov->menus)) != 0)
            return rc;
        cfg->origin.menus_dir = 0;
    }
    if (ov->admin != NULL) {
        if (gy_check_hostport_or_empty(ov->admin, why, sizeof(why)) != 0)
            return fail(err, errlen, "--admin", ov->admin, why);
        if ((rc = replace_string(&cfg->admin_listen, ov->admin)) != 0)
            return rc;
    }
    if (ov->log_level != NULL) {
        enum gy_log_level level;
        if (gy_log_level_parse(ov->log_level, &level) != 0)
            return fail(err, errlen, "--log-level", ov->log_level,
                        "expected debug, info, notice, warn or error");
        cfg->log_level = level;
    }
    return gy_config_derive(cfg);
}
