/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gongyoud: the gateway daemon. Parses the command line, loads and checks the
 * configuration (--check stops there), then runs the gateway (gw.h) until SIGTERM. */
#include "base/gy_date.h"
#include "base/gy_err.h"
#include "base/gy_log.h"
#include "gateway/gw.h"
#include "gateway/gy_config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct daemon_opts {
    const char *config_path;
    bool check;
    struct gy_config_overrides ov;
};

static void
usage(FILE *out)
{
    fprintf(out,
            "usage: gongyoud [-c FILE] [--check] [OVERRIDES]\n"
            "       gongyoud --help | --version\n\n"
            "The SMS/USSD self-service gateway of gongyou.\n\n"
            "Options:\n"
            "  -c, --config FILE   configuration file (default " GY_CONFIG_DEFAULT_PATH ")\n"
            "  -n, --check         validate the configuration and the menus directory, then exit\n"
            "                      (0 when good; otherwise FILE:LINE: errors on stderr)\n"
            "  -h, --help          this text\n"
            "  --version           print the version\n\n"
            "Overrides of the configuration file:\n"
            "  --smsc HOST:PORT    one bind to HOST:PORT, credentials from the file's first bind\n"
            "  --db FILE           database file (database.path)\n"
            "  --menus DIR         menu scripts directory (menus.dir)\n"
            "  --admin ADDR:PORT   admin listen address (admin.listen; \"\" disables it)\n"
            "  --log-level LEVEL   debug, info, notice, warn or error (log.level)\n\n"
            "Relative paths resolve against the current directory. Today's date comes from\n"
            "GONGYOU_TODAY=YYYY-MM-DD when set. See docs/configuration.md.\n");
}

/* Matches "--name VALUE" or "--name=VALUE" at argv[*i]; advances *i past the value. */
static int
take_value(const char *name, int argc, char **argv, int *i, const char **out)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *out = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "gongyoud: option %s needs a value\n", name);
        return -1;
    }
    *out = argv[++*i];
    return 1;
}

/* Returns -1 to continue, or an exit status. */
static int
parse_args(int argc, char **argv, struct daemon_opts *o)
{
    static const struct {
        const char *name;
        size_t off;
    } valued[] = {
        {"-c", offsetof(struct daemon_opts, config_path)},
        {"--config", offsetof(struct daemon_opts, config_path)},
        {"--smsc", offsetof(struct daemon_opts, ov.smsc)},
        {"--db", offsetof(struct daemon_opts, ov.db)},
        {"--menus", offsetof(struct daemon_opts, ov.menus)},
        {"--admin", offsetof(struct daemon_opts, ov.admin)},
        {"--log-level", offsetof(struct daemon_opts, ov.log_level)},
    };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return EXIT_OK;
        }
        if (strcmp(a, "--version") == 0) {
            printf("gongyoud %s\n", GONGYOU_VERSION);
            return EXIT_OK;
        }
        if (strcmp(a, "--check") == 0 || strcmp(a, "-n") == 0) {
            o->check = true;
            continue;
        }
        int matched = 0;
        for (size_t j = 0; j < sizeof(valued) / sizeof(valued[0]) && matched == 0; j++) {
            const char *v = NULL;
            matched = take_value(valued[j].name, argc, argv, &i, &v);
            if (matched == 1)
                memcpy((char *)o + valued[j].off, &v, sizeof(v));
        }
        if (matched < 0)
            return EXIT_USAGE;
        if (matched == 0) {
            fprintf(stderr, "gongyoud: unknown option '%s' (try --help)\n", a);
            return EXIT_USAGE;
        }
    }
    return -1;
}

/* Prints an error about the menus directory when it is missing; returns true when found. */
static bool
menus_dir_ok(const struct gy_config *cfg)
{
    struct stat st;
    if (stat(cfg->menus_dir, &st) == 0 && S_ISDIR(st.st_mode))
        return true;
    const char *what = stat(cfg->menus_dir, &st) == 0 ? "is not a directory" : "does not exist";
    if (cfg->origin.menus_dir > 0)
        fprintf(stderr, "%s:%d: menus.dir: '%s' %s\n", cfg->origin.file, cfg->origin.menus_dir,
                cfg->menus_dir, what);
    else
        fprintf(stderr, "gongyoud: menus directory '%s' %s\n", cfg->menus_dir, what);
    return false;
}

static void
print_summary(const struct gy_config *cfg, const char *path)
{
    printf("%s: configuration ok\n", path);
    for (size_t i = 0; i < cfg->n_binds; i++) {
        const struct gy_smsc_bind *b = &cfg->binds[i];
        bool v6 = strchr(b->host, ':') != NULL;
        printf("  bind %s: %s%s%s:%d %s, window %d, %d/s%s\n", b->name, v6 ? "[" : "", b->host,
               v6 ? "]" : "", b->port, gy_bind_mode_name(b->mode), b->window, b->throughput,
               b->ussd.enabled ? ", USSD" : "");
    }
    struct stat st;
    printf("  database: %s (%s)\n", cfg->database_path,
           stat(cfg->database_path, &st) == 0 ? "exists" : "will be created at start");
    printf("  menus directory: %s (exists; menu scripts are not linted by this version)\n",
           cfg->menus_dir);
    printf("  USSD entry code %s; %zu keywords\n", cfg->ussd_entry_code, cfg->n_keywords);
    if (cfg->admin_host != NULL)
        printf("  admin listener: %s\n", cfg->admin_listen);
}

/* Runs the gateway until SIGTERM/SIGINT. */
static int
run(const struct gy_config *cfg)
{
    gy_log_set_level(cfg->log_level);
    if (cfg->log_target == GY_LOG_TO_SYSLOG)
        gy_warn("log.target \"syslog\" is not supported by this version; logging to stderr");
    struct gy_date today;
    if (gy_date_today(&today) != 0) {
        gy_error("GONGYOU_TODAY is set but is not a date YYYY-MM-DD");
        return EXIT_FAIL;
    }
    char date[GY_DATE_STRLEN];
    gy_info("gongyoud %s starting; today is %s", GONGYOU_VERSION, gy_date_format(today, date));
    if (!menus_dir_ok(cfg))
        return EXIT_FAIL;
    struct gw *gw = NULL;
    if (gw_new(cfg, &gw) != 0)
        return EXIT_FAIL;
    int rc = gw_run(gw);
    gw_free(gw);
    return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

int
main(int argc, char **argv)
{
    struct daemon_opts o = {.config_path = GY_CONFIG_DEFAULT_PATH};
    int status = parse_args(argc, argv, &o);
    if (status >= 0)
        return status;

    struct gy_config cfg;
    char err[4096];
    int rc = gy_config_load(o.config_path, &cfg, err, sizeof(err));
    if (rc != 0) {
        fprintf(stderr, "%s\n", rc == GY_ENOMEM ? "gongyoud: out of memory" : err);
        gy_config_fini(&cfg);
        return EXIT_FAIL;
    }
    rc = gy_config_apply_overrides(&cfg, &o.ov, err, sizeof(err));
    if (rc != 0) {
        fprintf(stderr, "gongyoud: %s\n", rc == GY_ENOMEM ? "out of memory" : err);
        gy_config_fini(&cfg);
        return EXIT_USAGE;
    }
    if (o.check) {
        status = menus_dir_ok(&cfg) ? EXIT_OK : EXIT_FAIL;
        if (status == EXIT_OK)
            print_summary(&cfg, o.config_path);
    } else {
        status = run(&cfg);
    }
    gy_config_fini(&cfg);
    return status;
}
