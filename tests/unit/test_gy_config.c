/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of gateway/gy_config: the shipped file, defaults, a table of bad files with their
 * exact file:line: errors, the command-line overrides, the schema against the shipped file
 * and the documentation, and `gongyoud --check` run as a process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "base/gy_err.h"
#include "gateway/gy_config.h"
#include "gateway/gy_config_int.h"
#include "test_tmpdir.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *
env_or_fail(const char *name)
{
    const char *v = getenv(name);
    if (v == NULL || v[0] == '\0')
        fail_msg("%s is not set (run the test through ctest)", name);
    return v;
}

/* Path of a file under the source tree, in buf. */
static const char *
src_path(char *buf, size_t len, const char *rel)
{
    snprintf(buf, len, "%s/%s", env_or_fail("GONGYOU_SOURCE_DIR"), rel);
    return buf;
}

static const char *
data_path(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/tests/data/conf/%s", env_or_fail("GONGYOU_SOURCE_DIR"), name);
    return buf;
}

static void
test_shipped_conf(void **state)
{
    (void)state;
    char path[1024], err[2048];
    struct gy_config cfg;
    src_path(path, sizeof(path), "conf/gongyou.conf");
    int rc = gy_config_load(path, &cfg, err, sizeof(err));
    if (rc != 0)
        fail_msg("shipped configuration rejected: %s", err);
    assert_int_equal(cfg.n_binds, 1);
    const struct gy_smsc_bind *b = &cfg.binds[0];
    assert_string_equal(b->name, "smsc-a");
    assert_string_equal(b->host, "127.0.0.1");
    assert_int_equal(b->port, 2775);
    assert_int_equal(b->mode, GY_BIND_TRANSCEIVER);
    assert_int_equal(b->window, 10);
    assert_int_equal(b->ussd.data_coding, 0x08);
    assert_int_equal(b->ussd.n_op_end_in, 2);
    assert_int_equal(b->ussd.op_end_in[0], 0x81);
    assert_string_equal(cfg.database_path, "build/gongyou-demo.db");
    assert_string_equal(cfg.menus_dir, "menus/scripts");
    assert_string_equal(cfg.ussd_entry_code, "*188#");
    assert_int_equal(cfg.sms_idle_timeout, 600);
    assert_int_equal(cfg.ussd_total_timeout, 180);
    assert_int_equal(cfg.incoming_per_minute, 20);
    assert_true(cfg.quiet_enabled);
    assert_int_equal(cfg.quiet_start, 21 * 60);
    assert_int_equal(cfg.quiet_end, 8 * 60);
    assert_int_equal(cfg.utc_offset_minutes, 480);
    assert_string_equal(cfg.admin_host, "127.0.0.1");
    assert_int_equal(cfg.admin_port, 8188);
    assert_int_equal(cfg.log_level, GY_LOG_INFO);
    assert_int_equal(cfg.n_keywords, 10);
    assert_string_equal(cfg.origin.file, path);
    assert_true(cfg.origin.database_path > 0);
    assert_true(cfg.origin.menus_dir > 0);
    gy_config_fini(&cfg);
    gy_config_fini(&cfg); /* a finalised struct may be finalised again */
}

static void
test_defaults(void **state)
{
    (void)state;
    struct gy_config cfg;
    assert_int_equal(gy_config_defaults(&cfg), 0);
    assert_int_equal(cfg.n_binds, 0);
    assert_string_equal(cfg.database_path, "gongyou.db");
    assert_string_equal(cfg.menus_dir, "menus/scripts");
    assert_string_equal(cfg.ussd_entry_code, "*188#");
    assert_int_equal(cfg.sms_idle_timeout, 600);
    assert_int_equal(cfg.ussd_idle_timeout, 60);
    assert_int_equal(cfg.ussd_total_timeout, 180);
    assert_int_equal(cfg.incoming_per_minute, 20);
    assert_true(cfg.quiet_enabled);
    assert_int_equal(cfg.quiet_start, 1260);
    assert_int_equal(cfg.quiet_end, 480);
    assert_int_equal(cfg.utc_offset_minutes, 480);
    assert_int_equal(cfg.log_level, GY_LOG_INFO);
    assert_int_equal(cfg.log_target, GY_LOG_TO_STDERR);
    assert_null(cfg.origin.file);
    /* DESIGN.md contract 5 keywords, found by name or alias, ASCII case-insensitive. */
    static const struct {
        const char *word, *keyword;
    } kw[] = {{"JF", "JF"},   {"jf", "JF"},   {"积分", "JF"}, {"入学", "RX"}, {"工资", "GZ"},
              {"补贴", "BT"}, {"入户", "RH"}, {"t", "TD"},    {"退订", "TD"}, {"订阅", "DY"},
              {"帮助", "BZ"}, {"help", "BZ"}, {"?", "BZ"},    {"EN", "EN"},   {"中文", "ZW"},
              {"ZW", "ZW"},   {"XX", NULL},   {"积", NULL},   {"", NULL}};
    for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++) {
        const struct gy_keyword *k = gy_config_keyword_find(&cfg, kw[i].word);
        if (kw[i].keyword == NULL) {
            if (k != NULL)
                fail_msg("'%s' unexpectedly matches %s", kw[i].word, k->keyword);
        } else {
            if (k == NULL || strcmp(k->keyword, kw[i].keyword) != 0)
                fail_msg("'%s' should match %s", kw[i].word, kw[i].keyword);
        }
    }
    gy_config_fini(&cfg);

    /* Defaults of a bind, from the smallest file. */
    char path[1024], err[1024];
    assert_int_equal(
        gy_config_load(data_path(path, sizeof(path), "good.conf"), &cfg, err, sizeof(err)), 0);
    const struct gy_smsc_bind *b = &cfg.binds[0];
    assert_int_equal(b->port, 2775);
    assert_string_equal(b->password, "");
    assert_int_equal(b->mode, GY_BIND_TRANSCEIVER);
    assert_int_equal(b->window, 10);
    assert_int_equal(b->throughput, 100);
    assert_int_equal(b->enquire_link_interval, 30);
    assert_int_equal(b->reconnect_min, 1);
    assert_int_equal(b->reconnect_max, 60);
    assert_int_equal(b->response_timeout, 30);
    assert_int_equal(b->n_dest_prefixes, 0);
    assert_int_equal(b->coding.data_coding_0, GY_DC0_GSM7_UNPACKED);
    assert_true(b->coding.allow_gsm7);
    assert_false(b->coding.allow_gbk);
    assert_int_equal(b->coding.long_messages, GY_LONG_UDH8);
    assert_int_equal(b->coding.max_segments, 10);
    assert_true(b->ussd.enabled);
    assert_string_equal(b->ussd.service_type, "USSD");
    assert_int_equal(b->ussd.op_start, 0x01);
    assert_int_equal(b->ussd.op_continue_in, 0x12);
    assert_int_equal(b->ussd.op_continue_out, 0x02);
    assert_int_equal(b->ussd.op_end_out, 0x11);
    assert_int_equal(b->ussd.session_key, GY_USSD_KEY_AUTO);
    assert_int_equal(b->ussd.max_octets, 160);
    assert_int_equal(cfg.origin.database_path, 0);
    gy_config_fini(&cfg);
}

static void
test_good_full(void **state)
{
    (void)state;
    char path[1024], err[1024];
    struct gy_config cfg;
    int rc =
        gy_config_load(data_path(path, sizeof(path), "good_full.conf"), &cfg, err, sizeof(err));
    if (rc != 0)
        fail_msg("good_full.conf rejected: %s", err);
    assert_int_equal(cfg.n_binds, 2);
    const struct gy_smsc_bind *a = &cfg.binds[0], *b = &cfg.binds[1];
    assert_string_equal(a->host, "smsc.example.org");
    assert_int_equal(a->port, 2776);
    assert_int_equal(a->mode, GY_BIND_TX_RX);
    assert_int_equal(a->n_dest_prefixes, 2);
    assert_string_equal(a->dest_prefixes[1], "86139");
    assert_int_equal(a->window, 100);
    assert_int_equal(a->throughput, 0);
    assert_int_equal(a->coding.data_coding_0, GY_DC0_GSM7_PACKED);
    assert_true(a->coding.allow_gbk);
    assert_int_equal(a->coding.long_messages, GY_LONG_SAR);
    assert_int_equal(a->coding.max_segments, 255);
    assert_int_equal(a->ussd.session_key, GY_USSD_KEY_ITS);
    assert_int_equal(a->ussd.data_coding, 0x48);
    assert_int_equal(a->ussd.n_op_end_in, 0);
    assert_string_equal(b->host, "::1");
    assert_false(b->ussd.enabled);
    assert_int_equal(b->ussd.n_op_end_in, 2);
    assert_string_equal(cfg.database_path, "x/y.db");
    assert_string_equal(cfg.menus_dir, "m");
    assert_string_equal(cfg.ussd_entry_code, "#123*4#");
    assert_int_equal(cfg.max_sessions, 5);
    assert_null(cfg.admin_host);
    assert_int_equal(cfg.admin_port, 0);
    assert_false(cfg.quiet_enabled);
    assert_int_equal(cfg.utc_offset_minutes, -210);
    assert_int_equal(cfg.log_level, GY_LOG_DEBUG);
    assert_int_equal(cfg.log_target, GY_LOG_TO_SYSLOG);
    /* TD replaced (T no longer an alias), WX added, the others kept. */
    assert_int_equal(cfg.n_keywords, 11);
    assert_null(gy_config_keyword_find(&cfg, "T"));
    assert_string_equal(gy_config_keyword_find(&cfg, "stop")->keyword, "TD");
    assert_string_equal(gy_config_keyword_find(&cfg, "微信")->keyword, "WX");
    assert_string_equal(gy_config_keyword_find(&cfg, "积分")->keyword, "JF");
    assert_string_equal(gy_config_keyword_find(&cfg, "english")->keyword, "EN");
    gy_config_fini(&cfg);
}

/* Every bad file, the line its (first) error is reported on, and how the message starts. */
static const struct bad_case {
    const char *file;
    int line;
    const char *message;
} bad_cases[] = {
    {"bad_syntax.conf", 5, "syntax error"},
    {"bad_unknown_top.conf", 5, "unknown key 'databse' (did you mean 'database'?)"},
    {"bad_unknown_bind_key.conf", 6, "unknown key 'smsc[0].windw' (did you mean 'window'?)"},
    {"bad_unknown_nested.conf", 5, "unknown key 'smsc[1].coding.allow_big5'"},
    {"bad_wrong_type.conf", 4, "smsc[0].port: expected an integer, got a string"},
    {"bad_float.conf", 4, "smsc[0].window: expected an integer, got a floating-point number"},
    {"bad_window.conf", 6, "smsc[0].window: 0 is out of range 1..1000"},
    {"bad_bind_mode.conf", 4, "smsc[0].bind_mode: \"receiver\" is not one of \"transceiver\""},
    {"bad_quiet_hours.conf", 6, "broadcast.quiet_hours: \"25:00-08:00\": expected"},
    {"bad_missing_host.conf", 4, "smsc[1]: missing required key 'host'"},
    {"bad_duplicate_name.conf", 5, "smsc[1].name: duplicate bind name \"a\""},
    {"bad_missing_smsc.conf", 1, "missing required key 'smsc'"},
    {"bad_empty_smsc.conf", 2, "smsc: 0 binds, expected 1 to 32"},
    {"bad_smsc_group.conf", 2, "smsc: expected a list ( ... ), got a group { ... }"},
    {"bad_reconnect.conf", 4, "smsc[0].reconnect_min: 100 s is more than reconnect_max"},
    {"bad_ussd_dcs.conf", 4, "smsc[0].ussd.data_coding: 0x09 is not allowed"},
    {"bad_op_end_in.conf", 5, "smsc[0].ussd.op_end_in[1]: 256 is out of range 0..255"},
    {"bad_system_id.conf", 3, "smsc[0].system_id: \"sixteen-chars-xx\" is 16 bytes long"},
    {"bad_host.conf", 3, "smsc[0].host: \"bad host\": not a host name"},
    {"bad_keyword_clash.conf", 6, "keywords.XX: alias \"积分\" is already used by JF"},
    {"bad_keyword_name.conf", 5, "keywords.jf: keywords are 1-16 upper-case"},
    {"bad_alias_space.conf", 5, "keywords.JF[0]: \"积 分\": no spaces"},
    {"bad_ussd_timeouts.conf", 6, "sessions.ussd_idle_timeout: 300 s is more than"},
    {"bad_admin.conf", 5, "admin.listen: \"localhost\": expected HOST:PORT"},
    {"bad_entry_code.conf", 5, "ussd.entry_code: \"188\": a USSD code starts with"},
    {"bad_log_level.conf", 5, "log.level: \"verbose\" is not one of"},
    {"bad_utc_offset.conf", 5, "broadcast.utc_offset: \"+15:00\": expected"},
    {"bad_many.conf", 3, "smsc[0].window: 0 is out of range"},
};

static void
test_bad_files(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const struct bad_case *c = &bad_cases[i];
        char path[1024], err[4096], want[2048];
        struct gy_config cfg;
        data_path(path, sizeof(path), c->file);
        int rc = gy_config_load(path, &cfg, err, sizeof(err));
        gy_config_fini(&cfg);
        if (rc != GY_ECONFIG)
            fail_msg("%s: expected GY_ECONFIG, got %d (%s)", c->file, rc, err);
        snprintf(want, sizeof(want), "%s:%d: %s", path, c->line, c->message);
        if (strncmp(err, want, strlen(want)) != 0)
            fail_msg("%s:\n  expected prefix: %s\n  got:             %s", c->file, want, err);
    }
}

static void
test_include(void **state)
{
    (void)state;
    char path[1024], part[1024], err[2048], want[2048];
    struct gy_config cfg;
    data_path(path, sizeof(path), "include_main.conf");
    data_path(part, sizeof(part), "include_part.inc");
    assert_int_equal(gy_config_load(path, &cfg, err, sizeof(err)), GY_ECONFIG);
    gy_config_fini(&cfg);
    snprintf(want, sizeof(want), "%s:4: unknown key 'log.levle' (did you mean 'level'?)", part);
    assert_string_equal(err, want);
}

static void
test_all_errors_reported(void **state)
{
    (void)state;
    char path[1024], err[4096], want[4096];
    struct gy_config cfg;
    data_path(path, sizeof(path), "bad_many.conf");
    assert_int_equal(gy_config_load(path, &cfg, err, sizeof(err)), GY_ECONFIG);
    gy_config_fini(&cfg);
    snprintf(want, sizeof(want),
             "%s:3: smsc[0].window: 0 is out of range 1..1000 requests\n"
             "%s:4: smsc[0].port: 70000 is out of range 1..65535\n"
             "%s:6: unknown key 'colour'",
             path, path, path);
    assert_string_equal(err, want);
    /* A tiny buffer truncates without overflowing. */
    char small[8];
    assert_int_equal(gy_config_load(path, &cfg, small, sizeof(small)), GY_ECONFIG);
    gy_config_fini(&cfg);
    assert_int_equal(strlen(small), sizeof(small) - 1);
}

static void
test_missing_file(void **state)
{
    (void)state;
    char err[1024];
    struct gy_config cfg;
    assert_int_equal(gy_config_load("/nonexistent/gongyou.conf", &cfg, err, sizeof(err)), GY_EIO);
    gy_config_fini(&cfg);
    assert_string_equal(err, "/nonexistent/gongyou.conf: cannot open the configuration file: "
                             "No such file or directory");
    char dir[1024];
    src_path(dir, sizeof(dir), "conf");
    assert_int_equal(gy_config_load(dir, &cfg, err, sizeof(err)), GY_EIO);
    gy_config_fini(&cfg);
    assert_non_null(strstr(err, "not a regular file"));
}

static void
test_overrides_good(void **state)
{
    (void)state;
    char path[1024], err[1024];
    struct gy_config cfg;
    assert_int_equal(
        gy_config_load(data_path(path, sizeof(path), "good_full.conf"), &cfg, err, sizeof(err)), 0);
    struct gy_config_overrides ov = {.smsc = "10.0.0.5:9000",
                                     .db = "/tmp/other.db",
                                     .menus = "elsewhere",
                                     .admin = "[::1]:8080",
                                     .log_level = "warn"};
    assert_int_equal(gy_config_apply_overrides(&cfg, &ov, err, sizeof(err)), 0);
    assert_int_equal(cfg.n_binds, 1);
    assert_string_equal(cfg.binds[0].name, "smsc-a");
    assert_string_equal(cfg.binds[0].host, "10.0.0.5");
    assert_int_equal(cfg.binds[0].port, 9000);
    assert_string_equal(cfg.binds[0].system_id, "gy"); /* credentials from the file */
    assert_string_equal(cfg.binds[0].password, "pw");
    assert_int_equal(cfg.binds[0].window, 100);
    assert_string_equal(cfg.database_path, "/tmp/other.db");
    assert_string_equal(cfg.menus_dir, "elsewhere");
    assert_int_equal(cfg.origin.menus_dir, 0);
    assert_string_equal(cfg.admin_host, "::1");
    assert_int_equal(cfg.admin_port, 8080);
    assert_int_equal(cfg.log_level, GY_LOG_WARN);
    /* "" disables the admin listener; host names are fine for --smsc. */
    struct gy_config_overrides ov2 = {.admin = "", .smsc = "smsc.example.org:2775"};
    assert_int_equal(gy_config_apply_overrides(&cfg, &ov2, err, sizeof(err)), 0);
    assert_null(cfg.admin_host);
    assert_string_equal(cfg.binds[0].host, "smsc.example.org");
    assert_int_equal(gy_config_apply_overrides(&cfg, NULL, err, sizeof(err)), 0);
    gy_config_fini(&cfg);
}

static void
test_overrides_bad(void **state)
{
    (void)state;
    static const struct {
        struct gy_config_overrides ov;
        const char *message;
    } cases[] = {
        {{.smsc = "nohost"}, "--smsc: 'nohost': expected HOST:PORT"},
        {{.smsc = "h:0"}, "--smsc: 'h:0': port must be"},
        {{.smsc = "h:65536"}, "--smsc: 'h:65536': port must be"},
        {{.smsc = "h:12x"}, "--smsc: 'h:12x': port must be"},
        {{.smsc = "h:"}, "--smsc: 'h:': port must be"},
        {{.smsc = ":2775"}, "--smsc: ':2775': missing or too long host"},
        {{.smsc = "::1:2775"}, "--smsc: '::1:2775': write IPv6 addresses as [ADDR]:PORT"},
        {{.smsc = "[::1:2775"}, "--smsc: '[::1:2775': expected HOST:PORT or [IPv6]:PORT"},
        {{.smsc = "[abc]:2775"}, "--smsc: '[abc]:2775': not an IPv6 address"},
        {{.smsc = "a b:1"}, "--smsc: 'a b:1': not a host name"},
        {{.smsc = "300.1.1.1:1"}, "--smsc: '300.1.1.1:1': not a valid IPv4 address"},
        {{.db = ""}, "--db: '': expected a file name"},
        {{.menus = ""}, "--menus: '': expected a directory name"},
        {{.admin = "1.2.3.4"}, "--admin: '1.2.3.4': expected HOST:PORT"},
        {{.admin = "-x:80"}, "--admin: '-x:80': not a host name"},
        {{.log_level = "loud"}, "--log-level: 'loud': expected debug, info"},
    };
    char path[1024], err[1024];
    data_path(path, sizeof(path), "good.conf");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct gy_config cfg;
        assert_int_equal(gy_config_load(path, &cfg, err, sizeof(err)), 0);
        int rc = gy_config_apply_overrides(&cfg, &cases[i].ov, err, sizeof(err));
        if (rc != GY_EINVAL || strncmp(err, cases[i].message, strlen(cases[i].message)) != 0)
            fail_msg("case %zu: rc %d, expected '%s...', got '%s'", i, rc, cases[i].message, err);
        assert_string_equal(cfg.binds[0].host, "127.0.0.1"); /* unchanged */
        gy_config_fini(&cfg);
    }
    /* --smsc needs a bind in the configuration for its credentials. */
    struct gy_config cfg;
    assert_int_equal(gy_config_defaults(&cfg), 0);
    struct gy_config_overrides ov = {.smsc = "127.0.0.1:2775"};
    assert_int_equal(gy_config_apply_overrides(&cfg, &ov, err, sizeof(err)), GY_EINVAL);
    assert_non_null(strstr(err, "no bind to take credentials from"));
    gy_config_fini(&cfg);
}

/* Every key of the schema is written, commented, in conf/gongyou.conf and named in
 * docs/configuration.md. */
static char *
slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void
check_keys(const struct gy_key *table, const char *conf, const char *doc)
{
    for (const struct gy_key *k = table; k->name != NULL; k++) {
        char pat[96];
        snprintf(pat, sizeof(pat), "\n%s = ", k->name);
        bool found = strstr(conf, pat) != NULL;
        for (int indent = 2; indent <= 6 && !found; indent += 2) {
            snprintf(pat, sizeof(pat), "\n%*s%s = ", indent, "", k->name);
            found = strstr(conf, pat) != NULL;
        }
        if (!found)
            fail_msg("key '%s' is not in conf/gongyou.conf", k->name);
        snprintf(pat, sizeof(pat), "`%s`", k->name);
        if (strstr(doc, pat) == NULL)
            fail_msg("key '%s' is not documented in docs/configuration.md", k->name);
        if (k->children != NULL)
            check_keys(k->children, conf, doc);
    }
}

static void
test_schema_in_conf_and_docs(void **state)
{
    (void)state;
    char p1[1024], p2[1024];
    char *conf = slurp(src_path(p1, sizeof(p1), "conf/gongyou.conf"));
    char *doc = slurp(src_path(p2, sizeof(p2), "docs/configuration.md"));
    check_keys(gy_config_keys, conf, doc);
    free(conf);
    free(doc);
}

/* Starts gongyoud with args (NULL-terminated, at most 14) and stdout on /dev/null. Returns
 * its pid; *errfd receives the read end of a pipe carrying its stderr (the caller's). */
static pid_t
spawn_gongyoud(char *const args[], int *errfd)
{
    char bin[1024];
    snprintf(bin, sizeof(bin), "%s/gongyoud", env_or_fail("GONGYOU_BIN_DIR"));
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        char *argv[16] = {bin};
        for (int i = 0; args[i] != NULL && i < 14; i++)
            argv[i + 1] = args[i];
        execv(bin, argv);
        _exit(127);
    }
    close(fds[1]);
    *errfd = fds[0];
    return pid;
}

/* Reads errfd to its end into out after the used bytes already there, closes it, reaps
 * pid and returns its exit status (it must have exited, not been killed). */
static int
finish_gongyoud(pid_t pid, int errfd, char *out, size_t outlen, size_t used)
{
    ssize_t n;
    while ((n = read(errfd, out + used, outlen - 1 - used)) > 0)
        used += (size_t)n;
    out[used] = '\0';
    close(errfd);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* Runs gongyoud with args; returns its exit status and its stderr in out. */
static int
run_gongyoud(char *const args[], char *out, size_t outlen)
{
    int errfd;
    pid_t pid = spawn_gongyoud(args, &errfd);
    return finish_gongyoud(pid, errfd, out, outlen, 0);
}

/* Starts gongyoud with args, waits (bounded) until dbfile exists and the daemon has logged
 * that it started its links, sends SIGTERM, returns the exit status with stderr in out. */
static int
run_gongyoud_until_db(char *const args[], const char *dbfile, char *out, size_t outlen)
{
    int errfd;
    pid_t pid = spawn_gongyoud(args, &errfd);
    size_t used = 0;
    out[0] = '\0';
    /* Read stderr until the links are started (or 20 s pass), then stop the daemon. */
    for (int i = 0; i < 400 && strstr(out, "starting:") == NULL; i++) {
        struct pollfd pfd = {.fd = errfd, .events = POLLIN};
        if (poll(&pfd, 1, 50) > 0) {
            ssize_t n = read(errfd, out + used, outlen - 1 - used);
            if (n <= 0)
                break;
            used += (size_t)n;
            out[used] = '\0';
        }
    }
    struct stat st;
    assert_int_equal(stat(dbfile, &st), 0);
    kill(pid, SIGTERM);
    return finish_gongyoud(pid, errfd, out, outlen, used);
}

static void
test_gongyoud_process(void **state)
{
    (void)state;
    char dir[512];
    assert_int_equal(test_tmpdir_make(dir, sizeof(dir), "gy_config_"), 0);
    char good[1024], bad[1024], out[8192], dbfile[600];
    data_path(good, sizeof(good), "good.conf");
    data_path(bad, sizeof(bad), "bad_window.conf");
    assert_int_equal(test_tmpdir_path(dbfile, sizeof(dbfile), dir, "d.db"), 0);

    char *check_good[] = {"--check", "-c", good, "--menus", dir, NULL};
    assert_int_equal(run_gongyoud(check_good, out, sizeof(out)), 0);

    char *check_bad[] = {"--check", "-c", bad, "--menus", dir, NULL};
    assert_int_not_equal(run_gongyoud(check_bad, out, sizeof(out)), 0);
    char want[2048];
    snprintf(want, sizeof(want), "%s:6: smsc[0].window: 0 is out of range", bad);
    if (strstr(out, want) == NULL)
        fail_msg("expected '%s' on stderr, got '%s'", want, out);

    /* A missing menus directory fails --check with the line of menus.dir (from --menus:
     * no line). */
    char missing[600];
    assert_int_equal(test_tmpdir_path(missing, sizeof(missing), dir, "no-such-dir"), 0);
    char *check_menus[] = {"--check", "-c", good, "--menus", missing, NULL};
    assert_int_equal(run_gongyoud(check_menus, out, sizeof(out)), 1);
    assert_non_null(strstr(out, "does not exist"));

    char *bad_override[] = {"--check", "-c", good, "--smsc", "nohost", NULL};
    assert_int_equal(run_gongyoud(bad_override, out, sizeof(out)), 2);
    assert_non_null(strstr(out, "--smsc: 'nohost'"));

    char *unknown[] = {"--frobnicate", NULL};
    assert_int_equal(run_gongyoud(unknown, out, sizeof(out)), 2);
    char *help[] = {"--help", NULL};
    assert_int_equal(run_gongyoud(help, out, sizeof(out)), 0);

    /* Without --check: runs (the SMSC of good.conf need not answer), creates and migrates
     * the database, and stops cleanly on SIGTERM with status 0. */
    char *start[] = {"-c", good, "--menus", dir, "--db", dbfile, NULL};
    assert_int_equal(run_gongyoud_until_db(start, dbfile, out, sizeof(out)), 0);
    assert_non_null(strstr(out, "SIGTERM: stopping"));
    struct stat st;
    assert_int_equal(stat(dbfile, &st), 0);
    assert_int_equal(test_tmpdir_remove(dir), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_conf),     cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_good_full),        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_include),          cmocka_unit_test(test_all_errors_reported),
        cmocka_unit_test(test_missing_file),     cmocka_unit_test(test_overrides_good),
        cmocka_unit_test(test_overrides_bad),    cmocka_unit_test(test_schema_in_conf_and_docs),
        cmocka_unit_test(test_gongyoud_process),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
