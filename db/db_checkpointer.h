/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db_checkpointer: WAL checkpoints in a thread of their own, on a connection of their own,
 * so that the connection that writes (the daemon's event loop) never waits for the page
 * copies and the two fsyncs of a checkpoint: measured on this project's VM, 4-6 ms each,
 * a few times a second at 2,000 messages/s, which made the p99 latency. The thread makes
 * a PASSIVE checkpoint every interval: it never blocks the writer. SQLite starts the WAL
 * again from its beginning only when a write begins while everything in it is in the
 * database, which continuous writing never allows: the writer should keep a large
 * automatic checkpoint as a backstop (db_set_autocheckpoint()), which then finds almost
 * nothing left to copy. */
#ifndef DB_CHECKPOINTER_H
#define DB_CHECKPOINTER_H

#include <stddef.h>
#include <stdint.h>

struct db_checkpointer;

struct db_checkpointer_stats {
    uint64_t passes;    /* checkpoints made */
    uint64_t busy;      /* passes that found another checkpoint running */
    uint64_t errors;    /* passes that failed (the last message: db_checkpointer_error) */
    int64_t wal_frames; /* frames in the WAL at the end of the last pass, -1 before one */
    int64_t backfilled; /* of which in the database file */
    int64_t last_us;    /* duration of the last pass */
    int64_t max_us;     /* the longest pass */
};

/* Opens a second connection to the database at path (which must exist and be in WAL
 * mode) and starts the thread: a PASSIVE checkpoint every interval_ms (1..60000) and
 * whenever db_checkpointer_pass() asks. The writer's connection should then checkpoint by
 * itself only past a large WAL (db_set_autocheckpoint(db, 10000), say). Returns 0 and a new object
 * in *out (stop and free it with db_checkpointer_stop()), GY_EINVAL for a bad interval, GY_ESTATE
 * when the database is not in WAL mode, GY_EDB or GY_ENOMEM, with the reason in err (errlen bytes)
 * when given. */
int db_checkpointer_start(const char *path, int interval_ms, struct db_checkpointer **out,
                          char *err, size_t errlen);

/* Asks for a checkpoint now and waits until one that began after this call has ended, at
 * most timeout_ms. Returns 0 or GY_EBUSY on time-out. For tests and shutdown. */
int db_checkpointer_pass(struct db_checkpointer *c, int timeout_ms);

/* A copy of the counters, taken under the thread's lock. */
void db_checkpointer_stats(struct db_checkpointer *c, struct db_checkpointer_stats *out);

/* The SQLite message of the last failed pass into buf (len bytes; "" when none). */
void db_checkpointer_error(struct db_checkpointer *c, char *buf, size_t len);

/* Ends the thread after the pass under way, closes its connection and frees c. NULL is a
 * no-op. */
void db_checkpointer_stop(struct db_checkpointer *c);

#endif
