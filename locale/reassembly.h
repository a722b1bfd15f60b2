/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reassembly: joins the parts of incoming concatenated SMS (UDH IEI 0x00 / 0x08 or SAR TLVs)
 * into one unit stream plus data_coding, decoded once. Pure: no clock (the caller passes
 * `now`), no I/O, no logging; timeouts and evictions are reported through a callback. */
#ifndef REASSEMBLY_H
#define REASSEMBLY_H

#include <stddef.h>
#include <stdint.h>

#include "locale/text_decode.h"
#include "locale/text_utf8.h"

/* Shown in decoded text where a missing part would have been. */
#define REASM_GAP_MARKER "[…]"
/* Memory cap used when reasm_cfg.mem_cap is 0. */
#define REASM_DEFAULT_MEM_CAP ((size_t)4 * 1024 * 1024)

/* How the caller's bytes carry text. */
enum reasm_input {
    REASM_IN_OCTETS = 0, /* bytes as they are (unpacked GSM, IA5, Latin-1, UCS-2, GBK ...) */
    REASM_IN_GSM7_PACKED /* packed GSM septets: unpacked after the UDH and its fill bits */
};

/* One incoming short_message (or message_payload) as the caller received it. The
 * reassembler copies what it keeps; nothing here needs to outlive reasm_push(). */
struct reasm_part {
    uint32_t bind_id;    /* which bind it came in on */
    const char *source;  /* source address, NUL-terminated; NULL counts as "" */
    uint8_t data_coding; /* SMPP data_coding, handed back unchanged */
    enum reasm_input input;
    int udhi;            /* esm_class has UDHI (0x40): data starts with a UDH */
    const uint8_t *data; /* short_message or message_payload; may be NULL when len is 0 */
    size_t len;
    int sar_present; /* the three SAR TLVs (0x020C, 0x020E, 0x020F) were all present */
    uint16_t sar_ref;
    uint8_t sar_total;
    uint8_t sar_seq;
};

enum reasm_ref_kind { REASM_REF_NONE = 0, REASM_REF_UDH8, REASM_REF_UDH16, REASM_REF_SAR };

/* A run of consecutive parts first_seq..last_seq found at units[off .. off+len). */
struct reasm_span {
    size_t off;
    size_t len;
    unsigned first_seq;
    unsigned last_seq;
};

/* A message handed back to the caller, complete or not. Owned by the caller: free with
 * reasm_msg_free(). */
struct reasm_msg {
    uint32_t bind_id;
    char *source; /* NUL-terminated copy */
    uint8_t data_coding;
    int septets;    /* units are unpacked GSM septets (one per byte, 0..127) */
    uint8_t *units; /* the text after every UDH, parts in order; never NULL */
    size_t len;
    enum reasm_ref_kind ref_kind;
    uint16_t ref;
    unsigned total;           /* parts announced; 1 for a single message */
    unsigned received;        /* distinct parts present */
    int complete;             /* received == total */
    struct reasm_span *spans; /* runs of present parts (one when complete) */
    size_t n_spans;
};

/* What reasm_push() did with a part. */
enum reasm_outcome {
    REASM_SINGLE = 0, /* not concatenated (or a 1-of-1 part): *out is the message */
    REASM_INVALID_IE, /* concat IE or UDH invalid (count 0, seq 0, seq > count, bad length):
                       * treated as a single message, *out is it */
    REASM_STORED,     /* kept, waiting for the other parts; *out is NULL */
    REASM_COMPLETE,   /* this part completed a message: *out is it */
    REASM_DUPLICATE,  /* that part was already there; the first copy is kept; *out is NULL */
    REASM_CONFLICT,   /* data_coding or input differs from the parts already stored: handed
                       * back alone as an incomplete message in *out */
};

/* Why an incomplete message leaves without its missing parts. */
enum reasm_reason {
    REASM_TIMEOUT = 0, /* older than cfg.timeout */
    REASM_EVICTED,     /* the oldest, removed to stay under cfg.mem_cap */
    REASM_FLUSHED,     /* reasm_flush() (shutdown) */
};

/* Receives an incomplete message: takes ownership of msg (free with reasm_msg_free()).
 * Called from inside reasm_push(), reasm_expire() and reasm_flush(); must not call back
 * into the same reassembler. Policy of gongyou: deliver what arrived, with
 * REASM_GAP_MARKER where parts are missing (reasm_msg_decode), and log one line. Why: the
 * keyword is nearly always in part 1, so the reply is usually still right; a worker whose
 * text silently vanished would resend into the same gap, while a visible […] shows that
 * part of it was lost. Parts arriving after the timeout start a new message (and come
 * out the same way, with the gap in front). */
typedef void (*reasm_drop_fn)(void *arg, enum reasm_reason why, struct reasm_msg *msg);

struct reasm_cfg {
    uint64_t timeout;      /* in the caller's unit of `now`; a message waits at most this long
                            * after its first part arrived; 0 = never times out */
    size_t mem_cap;        /* bytes of stored parts and bookkeeping; 0 = REASM_DEFAULT_MEM_CAP */
    reasm_drop_fn on_drop; /* NULL: incomplete messages are freed unseen (not recommended) */
    void *arg;
};

struct reasm;

/* Returns a new reassembler owned by the caller (cfg is copied); free with reasm_free().
 * NULL when out of memory or cfg is NULL. */
struct reasm *reasm_new(const struct reasm_cfg *cfg);
/* Frees r and every pending part without calling on_drop; NULL is a no-op. */
void reasm_free(struct reasm *r);

/* Adds part p received at time now. First expires what timed out by now. On success
 * returns 0, sets *outcome and sets *out to a new message owned by the caller (free with
 * reasm_msg_free()) or to NULL. Returns GY_EINVAL for bad arguments, GY_ENOMEM (the part
 * is lost; *out is NULL). */
int reasm_push(struct reasm *r, const struct reasm_part *p, uint64_t now,
               enum reasm_outcome *outcome, struct reasm_msg **out);

/* Hands every message whose first part arrived at or before now - timeout to on_drop
 * (REASM_TIMEOUT), oldest first. Returns how many. */
size_t reasm_expire(struct reasm *r, uint64_t now);
/* Hands every pending message to on_drop (REASM_FLUSHED), oldest first. Returns how many. */
size_t reasm_flush(struct reasm *r);
/* Sets *when to the time the oldest pending message times out. Returns 0, or GY_ENOTFOUND
 * when nothing is pending or timeout is 0. For the caller's timer. */
int reasm_next_deadline(const struct reasm *r, uint64_t *when);
/* Number of pending (incomplete) messages and the bytes accounted against mem_cap. */
size_t reasm_pending(const struct reasm *r);
size_t reasm_mem_used(const struct reasm *r);

/* Frees m; NULL is a no-op. */
void reasm_msg_free(struct reasm_msg *m);

/* Appends the UTF-8 text of m to out: its units decoded once as m->data_coding under opts
 * (NULL = SMPP, GSM unpacked; septet messages are decoded as unpacked GSM whatever opts
 * says). An incomplete message is decoded run by run with REASM_GAP_MARKER for each gap,
 * including a gap at the start or the end. *n_invalid (when not NULL) gets the U+FFFD count.
 * Returns 0 or the error of text_decode (GY_EENCODING for a binary coding, GY_ENOMEM). */
int reasm_msg_decode(struct text_codec *c, const struct reasm_msg *m,
                     const struct text_decode_opts *opts, struct text_buf *out, size_t *n_invalid);

/* Name of an outcome or reason, for the caller's log line. Never NULL. */
const char *reasm_outcome_name(enum reasm_outcome o);
const char *reasm_reason_name(enum reasm_reason why);

#endif
