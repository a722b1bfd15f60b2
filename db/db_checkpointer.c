/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db_checkpointer: the checkpoint thread (see db_checkpointer.h). Its connection is used by
 * that thread alone; everything shared with the caller's thread is under one mutex. */
#include "db/db_checkpointer.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/gy_err.h"
#include "base/gy_str.h"

struct db_checkpointer {
    sqlite3 *conn;
    int interval_ms;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t wake;  /* the thread waits here between passes */
    pthread_cond_t ended; /* db_checkpointer_pass() waits here */
    bool stop, asked;
    uint64_t begun, done; /* passes begun and ended */
    struct db_checkpointer_stats st;
    char error[160];
};

static int64_t
mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The CLOCK_MONOTONIC time ms from now, for pthread_cond_timedwait(). */
static struct timespec
deadline_in(int ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

/* One checkpoint; called without the lock (the connection is the thread's alone). */
static void
one_pass(struct db_checkpointer *c)
{
    int64_t t0 = mono_us();
    int log = -1, ckpt = -1;
    int rc = sqlite3_wal_checkpoint_v2(c->conn, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &ckpt);
    int64_t us = mono_us() - t0;
    pthread_mutex_lock(&c->mu);
    if (rc == SQLITE_OK) {
        c->st.passes++;
        c->st.wal_frames = log;
        c->st.backfilled = ckpt;
    } else if (rc == SQLITE_BUSY) {
        c->st.busy++;
    } else {
        c->st.errors++;
        gy_strlcpy(c->error, sizeof c->error, sqlite3_errmsg(c->conn));
    }
    c->st.last_us = us;
    if (us > c->st.max_us)
        c->st.max_us = us;
    pthread_mutex_unlock(&c->mu);
}

static void *
run(void *arg)
{
    struct db_checkpointer *c = arg;
    pthread_mutex_lock(&c->mu);
    while (!c->stop) {
        if (!c->asked) {
            struct timespec until = deadline_in(c->interval_ms);
            while (!c->stop && !c->asked &&
                   pthread_cond_timedwait(&c->wake, &c->mu, &until) != ETIMEDOUT) {
            }
        }
        if (c->stop)
            break;
        c->asked = false;
        uint64_t n = ++c->begun;
        pthread_mutex_unlock(&c->mu);
        one_pass(c);
        pthread_mutex_lock(&c->mu);
        c->done = n;
        pthread_cond_broadcast(&c->ended);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

static void
set_err(char *err, size_t errlen, const char *what, const char *path, const char *why)
{
    if (err != NULL && errlen > 0)
        snprintf(err, errlen, "%s: %s%s%s", path, what, why ? ": " : "", why ? why : "");
}

/* Opens the thread's connection and checks that the database is in WAL mode. */
static int
open_conn(struct db_checkpointer *c, const char *path, char *err, size_t errlen)
{
    int rc = sqlite3_open_v2(path, &c->conn, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        set_err(err, errlen, "checkpointer cannot open the database", path,
                c->conn ? sqlite3_errmsg(c->conn) : sqlite3_errstr(rc));
        return GY_EDB;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->conn, "PRAGMA journal_mode", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        set_err(err, errlen, "checkpointer cannot read the journal mode", path,
                sqlite3_errmsg(c->conn));
        sqlite3_finalize(st);
        return GY_EDB;
    }
    const unsigned char *mode = sqlite3_column_text(st, 0);
    bool wal = mode != NULL && strcmp((const char *)mode, "wal") == 0;
    sqlite3_finalize(st);
    if (!wal) {
        set_err(err, errlen, "not in WAL mode: no checkpoint thread", path, NULL);
        return GY_ESTATE;
    }
    return 0;
}

int
db_checkpointer_start(const char *path, int interval_ms, struct db_checkpointer **out, char *err,
                      size_t errlen)
{
    *out = NULL;
    if (path == NULL || interval_ms < 1 || interval_ms > 60000) {
        set_err(err, errlen, "checkpoint interval must be 1..60000 ms", path ? path : "-", NULL);
        return GY_EINVAL;
    }
    struct db_checkpointer *c = calloc(1, sizeof *c);
    if (c == NULL)
        return GY_ENOMEM;
    c->interval_ms = interval_ms;
    c->st.wal_frames = c->st.backfilled = -1;
    int rc = open_conn(c, path, err, errlen);
    if (rc != 0) {
        sqlite3_close(c->conn);
        free(c);
        return rc;
    }
    /* glibc's mutex and condition variable set-up cannot fail; the thread can. */
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->wake, &ca);
    pthread_cond_init(&c->ended, &ca);
    pthread_condattr_destroy(&ca);
    int prc = pthread_create(&c->thread, NULL, run, c);
    if (prc != 0) {
        set_err(err, errlen, "cannot start the checkpoint thread", path, strerror(prc));
        pthread_cond_destroy(&c->ended);
        pthread_cond_destroy(&c->wake);
        pthread_mutex_destroy(&c->mu);
        sqlite3_close(c->conn);
        free(c);
        return GY_ENOMEM;
    }
    *out = c;
    return 0;
}

int
db_checkpointer_pass(struct db_checkpointer *c, int timeout_ms)
{
    pthread_mutex_lock(&c->mu);
    uint64_t want = c->begun + 1;
    c->asked = true;
    pthread_cond_signal(&c->wake);
    struct timespec until = deadline_in(timeout_ms);
    int rc = 0;
    while (c->done < want && rc == 0)
        rc = pthread_cond_timedwait(&c->ended, &c->mu, &until);
    bool done = c->done >= want;
    pthread_mutex_unlock(&c->mu);
    return done ? 0 : GY_EBUSY;
}

void
db_checkpointer_stats(struct db_checkpointer *c, struct db_checkpointer_stats *out)
{
    pthread_mutex_lock(&c->mu);
    *out = c->st;
    pthread_mutex_unlock(&c->mu);
}

void
db_checkpointer_error(struct db_checkpointer *c, char *buf, size_t len)
{
    pthread_mutex_lock(&c->mu);
    gy_strlcpy(buf, len, c->error);
    pthread_mutex_unlock(&c->mu);
}

void
db_checkpointer_stop(struct db_checkpointer *c)
{
    if (c == NULL)
        return;
    pthread_mutex_lock(&c->mu);
    c->stop = true;
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->thread, NULL);
    pthread_cond_destroy(&c->ended);
    pthread_cond_destroy(&c->wake);
    pthread_mutex_destroy(&c->mu);
    sqlite3_close(c->conn);
    free(c);
}
