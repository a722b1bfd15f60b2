/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gy_log: leveled logging to stderr (or syslog later) and masking of personal data.
 * Numbers are logged masked (86138****8000); ID numbers and names are never logged:
 * callers pass them through gy_mask_*() first. */
#ifndef GY_LOG_H
#define GY_LOG_H

#include <stddef.h>

enum gy_log_level { GY_LOG_DEBUG, GY_LOG_INFO, GY_LOG_NOTICE, GY_LOG_WARN, GY_LOG_ERROR };

/* Parses "debug", "info", "notice", "warn"/"warning", "error". Returns 0 or GY_EINVAL. */
int gy_log_level_parse(const char *name, enum gy_log_level *out);
const char *gy_log_level_name(enum gy_log_level level);

/* Sets the process-wide threshold (the logger is the one deliberate process-wide sink). */
void gy_log_set_level(enum gy_log_level level);
enum gy_log_level gy_log_get_level(void);

void gy_log(enum gy_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define gy_debug(...) gy_log(GY_LOG_DEBUG, __VA_ARGS__)
#define gy_info(...) gy_log(GY_LOG_INFO, __VA_ARGS__)
#define gy_notice(...) gy_log(GY_LOG_NOTICE, __VA_ARGS__)
#define gy_warn(...) gy_log(GY_LOG_WARN, __VA_ARGS__)
#define gy_error(...) gy_log(GY_LOG_ERROR, __VA_ARGS__)

#define GY_MASK_BUFLEN 32
/* Masks a phone number for logs: keeps the first 5 and last 4 digits of numbers of
 * 11 digits or more (86138****8000), fewer for short ones, and never more than half.
 * Writes into buf (GY_MASK_BUFLEN bytes) and returns buf. NULL gives "-". */
char *gy_mask_msisdn(const char *msisdn, char *buf);
/* Masks an ID number: only the last 2 characters stay (****************12). */
char *gy_mask_id_number(const char *id, char *buf);

#endif
