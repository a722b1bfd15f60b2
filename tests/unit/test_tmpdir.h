/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_tmpdir: the temporary directory of a unit test, shared by the tests that need files:
 * a unique directory made with mkdtemp under $TMPDIR (or /tmp), paths inside it, and its
 * removal with everything in it, so that parallel runs in two build trees never collide. */
#ifndef TEST_TMPDIR_H
#define TEST_TMPDIR_H

#include <stddef.h>

/* Makes the new directory "$TMPDIR/<prefix>XXXXXX" (/tmp when TMPDIR is unset or empty;
 * prefix such as "gy_store_") and writes its path into dir, a caller's buffer of len bytes.
 * Returns 0, or -1 (errno set) when the path does not fit or mkdtemp fails. The caller owns
 * the directory and removes it with test_tmpdir_remove(). */
int test_tmpdir_make(char *dir, size_t len, const char *prefix);

/* Writes "<dir>/<name>" into out, a caller's buffer of len bytes; name may hold '/'.
 * Returns 0, or -1 (errno ENAMETOOLONG, out empty) when it does not fit. */
int test_tmpdir_path(char *out, size_t len, const char *dir, const char *name);

/* Removes dir and everything in it, depth first, without following symbolic links (a link
 * is removed, never what it points to). Returns 0, or -1 (errno set) at the first entry that
 * cannot be removed, or when dir is NULL, empty or missing. */
int test_tmpdir_remove(const char *dir);

#endif
