/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gy_err: names of the error codes declared in gy_err.h. */
#include "base/gy_err.h"

const char *
gy_strerror(int err)
{
    switch (err) {
#define GY_ERR_CASE(name, value, msg)                                       \
    case name:                                                              \
        return msg;
        GY_ERR_TABLE(GY_ERR_CASE)
#undef GY_ERR_CASE
    }
    return "unknown error";
}
