/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gy_log: stderr logger with a level threshold and personal-data masks. */
#include "base/gy_log.h"
#include "base/gy_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

static enum gy_log_level log_threshold = GY_LOG_INFO;

static const char *const level_names[] = {"debug", "info", "notice", "warn", "error"};

int
gy_log_level_parse(const char *name, enum gy_log_level *out)
{
    if (name == NULL)
        return GY_EINVAL;
    for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
        if (strcasecmp(name, level_names[i]) == 0) {
            *out = (enum gy_log_level)i;
            return 0;
        }
    }
    if (strcasecmp(name, "warning") == 0) {
        *out = GY_LOG_WARN;
        return 0;
    }
    return GY_EINVAL;
}

const char *
gy_log_level_name(enum gy_log_level level)
{
    if ((unsigned)level >= sizeof(level_names) / sizeof(level_names[0]))
        return "?";
    return level_names[level];
}

void
gy_log_set_level(enum gy_log_level level)
{
    log_threshold = level;
}

enum gy_log_level
gy_log_get_level(void)
{
    return log_threshold;
}

void
gy_log(enum gy_log_level level, const char *fmt, ...)
{
    if (level < log_threshold)
        return;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    localtime_r(&tv.tv_sec, &tm);
    char line[2048];
    int n = (int)strftime(line, sizeof(line), "%Y-%m-%d %H:%M:%S", &tm);
    n += snprintf(line + n, sizeof(line) - (size_t)n, ".%03ld %-6s ", (long)tv.tv_usec / 1000,
                  gy_log_level_name(level));
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof(line) - 2)
        len = sizeof(line) - 2;
    line[len++] = '\n';
    fwrite(line, 1, len, stderr);
}

char *
gy_mask_msisdn(const char *msisdn, char *buf)
{
    if (msisdn == NULL) {
        strcpy(buf, "-");
        return buf;
    }
    size_t len = strnlen(msisdn, GY_MASK_BUFLEN - 1);
    size_t head = 5, tail = 4;
    if (len < 11) { /* short numbers: keep at most a quarter at each end */
        head = len / 4;
        tail = len / 4;
    }
    for (size_t i = 0; i < len; i++)
        buf[i] = (i < head || i >= len - tail) ? msisdn[i] : '*';
    buf[len] = '\0';
    return buf;
}

char *
gy_mask_id_number(const char *id, char *buf)
{
    if (id == NULL) {
        strcpy(buf, "-");
        return buf;
    }
    size_t len = strnlen(id, GY_MASK_BUFLEN - 1);
    for (size_t i = 0; i < len; i++)
        buf[i] = i + 2 >= len ? id[i] : '*';
    buf[len] = '\0';
    return buf;
}
