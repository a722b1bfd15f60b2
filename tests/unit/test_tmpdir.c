/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_tmpdir: unique temporary directories for the unit tests and their recursive removal
 * (interface in test_tmpdir.h). Plain libc: no cmocka, so setup functions can use it too. */
#define _XOPEN_SOURCE 700 /* nftw */

#include "test_tmpdir.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int
test_tmpdir_make(char *dir, size_t len, const char *prefix)
{
    const char *tmp = getenv("TMPDIR");
    int n = snprintf(dir, len, "%s/%sXXXXXX", tmp != NULL && tmp[0] ? tmp : "/tmp",
                     prefix != NULL ? prefix : "");
    if (n < 0 || (size_t)n >= len) {
        if (len > 0)
            dir[0] = '\0';
        errno = ENAMETOOLONG;
        return -1;
    }
    return mkdtemp(dir) != NULL ? 0 : -1;
}

int
test_tmpdir_path(char *out, size_t len, const char *dir, const char *name)
{
    int n = snprintf(out, len, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= len) {
        if (len > 0)
            out[0] = '\0';
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

/* nftw callback: entries come children first (FTW_DEPTH), links as links (FTW_PHYS). */
static int
remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path);
}

int
test_tmpdir_remove(const char *dir)
{
    if (dir == NULL || dir[0] == '\0') {
        errno = EINVAL;
        return -1;
    }
    return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}
