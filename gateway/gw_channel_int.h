/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gw_channel_int: what the dialog side shares: the channel context and its helpers, used by
 * gw_channel.c (inbox pass, sessions, life cycle), gw_ussd.c and gw_sms.c. Internal. */
#ifndef GW_CHANNEL_INT_H
#define GW_CHANNEL_INT_H

#include "gateway/gw_int.h"
#include "db/inbox_store.h"
#include "db/outbox_store.h"
#include "gateway/session_table.h"
#include "locale/reassembly.h"
#include "menus/menu_run.h"

#define INBOX_BATCH      64
#define CHANNEL_TICK_MS  1000   /* session and reassembly expiry */
#define REASM_TIMEOUT_MS 120000 /* a long SMS waits at most this long for its other parts */
#define SMS_KEY_BIND     0      /* SMS dialogs follow a worker across binds */

/* A concatenated SMS part kept in the reassembler: its inbox row stays unprocessed until
 * the whole message is answered, so that a crash re-reads it. */
struct pending_part {
    int64_t inbox_id;
    uint32_t bind;
    char source[INBOX_ADDR_SIZE];
};

struct gw_channel {
    struct gw *gw;
    struct text_codec *codec;
    struct reasm *reasm;
    struct session_table *sessions;
    struct rate_limit *rate;
    struct kw_table *keywords;
    struct catalog *catalog;
    struct gy_timer *tick;
    int64_t cursor; /* highest inbox id read */
    struct inbox_msg *rows;
    struct pending_part *pending;
    size_t n_pending, cap_pending;
    uint16_t concat_ref; /* concatenation reference of the last long reply */
    struct gw_channel_stats st;
};

/* gw_channel.c: helpers */
struct gw_bind *chan_bind_by_name(struct gw *gw, const char *name, unsigned *index);
/* A worker's phone, not a short code or a service number. */
bool chan_is_worker_number(const char *a, uint8_t ton);
/* The worker's language into buf, or NULL (unregistered: the script default). */
const char *chan_worker_lang(struct gw *gw, const char *msisdn, char *buf, size_t len);
/* A catalog text with ${keyword}, ${limit}, ${ussd} filled: a new string (free()) or NULL. */
char *chan_system_text(struct gw_channel *ch, const char *lang, const char *key,
                       const char *keyword);
/* The fields every reply shares: reply priority, "dialog" sender, the bind's source
 * address, the question's bind (origin). The caller adds the rest. */
void chan_reply_base(const struct gw_bind *b, const char *msisdn, struct outbox_msg_in *m);
/* Marks an inbox row processed in the grouped transaction. */
void chan_mark_processed(struct gw *gw, int64_t inbox_id);

/* gw_channel.c: sessions keep their menu state packed (up to arena_used). */
size_t chan_packed_len(const struct menu_session *ms);
bool chan_session_load(const struct session *s, struct menu_session *ms);
int chan_session_save(struct gw_channel *ch, struct session *s, const struct menu_session *ms);
/* Ends ms (a step's state not kept) and closes s without touching its payload. */
void chan_drop_session(struct gw_channel *ch, struct session *s, struct menu_session *ms);
/* Ends the session's kept state and closes it. */
void chan_end_session(struct gw_channel *ch, struct session *s);
void chan_on_session_end(void *arg, struct session *s, enum session_end why);
void chan_env_for(struct gw *gw, const struct gw_bind *b, const char *msisdn,
                  struct menu_run_env *env);

/* gw_ussd.c */
/* Whether the bind sends USSD GSM 7-bit packed (the cell-broadcast DCS, or a packing bind). */
bool chan_ussd_gsm_packed(const struct gw_bind *b);
void chan_handle_ussd(struct gw_channel *ch, struct gw_bind *b, unsigned bi,
                      const struct inbox_msg *r);
/* A final USSD screen with text (the rate limit's one notice), ending the session. */
void chan_ussd_notice(struct gw_channel *ch, struct gw_bind *b, unsigned bi,
                      const struct inbox_msg *r, const char *text);

/* gw_sms.c */
void chan_reply_sms(struct gw_channel *ch, struct gw_bind *b, const char *msisdn, const char *text);
/* Returns true when the row is done (processed), false while its message waits for parts. */
bool chan_handle_sms(struct gw_channel *ch, struct gw_bind *b, unsigned bi,
                     const struct inbox_msg *r);
void chan_on_reasm_drop(void *arg, enum reasm_reason why, struct reasm_msg *msg);

#endif
