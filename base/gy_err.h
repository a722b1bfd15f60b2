/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gy_err: the one error convention of gongyou. Functions return 0 or a negative
 * GY_E* code; gy_strerror() names it. SMPP command_status values are data, never these. */
#ifndef GY_ERR_H
#define GY_ERR_H

/* X-macro table: name, value, message. */
#define GY_ERR_TABLE(X)                                                     \
    X(GY_OK, 0, "success")                                                  \
    X(GY_ENOMEM, -1, "out of memory")                                       \
    X(GY_EINVAL, -2, "invalid argument")                                    \
    X(GY_ENOTFOUND, -3, "not found")                                        \
    X(GY_EDB, -4, "database error")                                         \
    X(GY_EIO, -5, "input/output error")                                     \
    X(GY_EPARSE, -6, "parse error")                                         \
    X(GY_ERANGE, -7, "value out of range")                                  \
    X(GY_EEXIST, -8, "already exists")                                      \
    X(GY_EENCODING, -9, "invalid or unsupported text encoding")             \
    X(GY_ETOOBIG, -10, "too large")                                         \
    X(GY_EBUSY, -11, "busy, try again")                                     \
    X(GY_ESCHEMA, -12, "database schema is newer than this program")       \
    X(GY_ECONFIG, -13, "configuration error")                               \
    X(GY_ESTATE, -14, "operation not allowed in this state")

enum gy_err {
#define GY_ERR_ENUM(name, value, msg) name = value,
    GY_ERR_TABLE(GY_ERR_ENUM)
#undef GY_ERR_ENUM
};

/* Returns a static string describing err (0 or a negative GY_E* code). Never NULL. */
const char *gy_strerror(int err);

#endif
