/* SPDX-License-Identifier: GPL-3.0-or-later */
/* outbox_compose: from UTF-8 text to an outbox message. Encodes in the cheapest coding a
 * bind's coding settings allow, splits into segments (UDH, SAR or message_payload, never
 * cutting a character), and enqueues the message with all its segments in one transaction
 * (outbox_store_enqueue). Used by the daemon's replies and by `gongyou send`. */
#ifndef OUTBOX_COMPOSE_H
#define OUTBOX_COMPOSE_H

#include <stdint.h>

#include "db/outbox_store.h"
#include "gateway/gy_config.h"
#include "locale/text_split.h"

/* Split options from a bind's coding settings; c NULL gives the built-in defaults (GSM 7-bit
 * or UCS-2/UTF-16, 8-bit UDH). overflow: what past max_segments means. */
void outbox_compose_split_opts(const struct gy_coding *c, enum text_overflow overflow,
                               struct text_split_opts *o);

/* Encodes and splits text (UTF-8, NUL-terminated) under opts (opts->ref must be a fresh
 * concatenation reference for each message: handsets join the parts of one message by
 * sender and reference, so two long messages must not share one), fills m->parts / m->n_parts from the split and
 * enqueues *m (its other fields are the caller's). codec may be NULL when GBK is not
 * allowed. *id (may be NULL) receives the message id and *split (may be NULL) a summary:
 * coding, parts (the caller frees nothing: the parts are released here). Returns 0, or
 * GY_EENCODING (with *bad filled when not NULL), GY_ETOOBIG, GY_EINVAL, GY_EBUSY, GY_EDB,
 * GY_ENOMEM. */
struct outbox_compose_info {
    enum text_coding coding;
    uint8_t data_coding;
    size_t n_parts;
    int truncated;
};
int outbox_compose_enqueue(struct db *db, struct text_codec *codec, const char *text,
                           const struct text_split_opts *opts, struct outbox_msg_in *m,
                           int64_t now_ms, int64_t *id, struct outbox_compose_info *info,
                           struct text_unencodable *bad);

#endif
