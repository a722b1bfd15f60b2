/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smsc_sim_core: the SMSC side of SMPP 3.4 for smsc-sim: bind state per session, answers,
 * delivery reports, scheduled and held deliveries, injected MO/USSD traffic and misbehaviour.
 * Pure: bytes leave through struct sim_ops, time comes in as arguments; no sockets here. */
#include "tools/smsc_sim_core.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "base/gy_log.h"
#include "gateway/smpp_codec.h"
#include "locale/text_decode.h"
#include "locale/text_encode.h"
#include "locale/text_split.h"

#define SIM_PDU_MAX  8192u /* command_length accepted from a client */
#define SIM_USSD_MAX 32    /* USSD dialogues remembered at once */
#define SIM_LINE_MAX 4096

enum pending_kind { P_RESP, P_DELIVER, P_DROP, P_DEAD };
enum deliver_what { W_NONE, W_DLR, W_DLR_FAIL, W_MO, W_USSD };

/* A PDU scheduled for later (heap) or waiting for a receiver (held list). */
struct sim_pending {
    uint64_t due, order;
    enum pending_kind kind;
    enum deliver_what what;
    struct sim_session *s; /* P_RESP: the target; P_DELIVER: preferred receiver or NULL */
    struct sim_pending *next;
    struct smpp_pdu pdu;
};

struct sim_session {
    struct sim_session *prev, *next;
    void *io;
    char peer[64];
    char system_id[16];
    enum sim_bind_state state;
    uint32_t next_seq;
    struct sim_pending *unacked, *unacked_tail; /* deliver_sm sent, no response yet */
};

struct sim_ussd {
    char msisdn[SIM_ADDR_SIZE];
    uint8_t session, seq;
    bool open;
    uint64_t used;
};

struct sim_core {
    struct sim_config cfg;
    struct sim_faults faults;
    struct sim_stats stats;
    const struct sim_ops *ops;
    void *ctx;
    struct text_codec *codec; /* NULL when iconv lacks GBK: texts then print as hex */
    struct sim_session *sessions;
    uint64_t next_id, submit_count, dlr_count, order, rr;
    struct sim_pending **heap;
    size_t heap_len, heap_cap;
    struct sim_pending *held, *held_tail;
    uint16_t mo_ref;
    uint8_t ussd_next;
    struct sim_ussd ussd[SIM_USSD_MAX];
};

static const char *const id_format_names[] = {"dec", "dec0", "hex", "hex0", "HEX", "HEX0"};

void
sim_config_defaults(struct sim_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    strcpy(cfg->smsc_system_id, "smsc-sim");
    strcpy(cfg->ussd_service, "188");
    cfg->first_id = 3000000000u;
    cfg->id_format = SIM_ID_DEC;
    cfg->dlr_id_format = SIM_ID_DEC;
    cfg->dlr_text_id_format = SIM_ID_DEC;
    cfg->redeliver_ms = 1000;
}

int
sim_id_format_parse(const char *name, enum sim_id_format *out)
{
    for (size_t i = 0; name && i < sizeof(id_format_names) / sizeof(id_format_names[0]); i++) {
        if (strcmp(name, id_format_names[i]) == 0) {
            *out = (enum sim_id_format)i;
            return 0;
        }
    }
    return GY_EINVAL;
}

const char *
sim_id_format_name(enum sim_id_format f)
{
    if ((unsigned)f >= sizeof(id_format_names) / sizeof(id_format_names[0]))
        return "?";
    return id_format_names[f];
}

int
sim_dlr_mode_parse(const char *name, enum sim_dlr_mode *out)
{
    static const char *const names[] = {"both", "tlv", "text"};
    for (size_t i = 0; name && i < 3; i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (enum sim_dlr_mode)i;
            return 0;
        }
    }
    return GY_EINVAL;
}

int
sim_id_write(enum sim_id_format f, uint64_t id, char *out, size_t cap)
{
    int n;
    switch (f) {
    case SIM_ID_DEC:
        n = snprintf(out, cap, "%" PRIu64, id);
        break;
    case SIM_ID_DEC0:
        n = snprintf(out, cap, "%016" PRIu64, id);
        break;
    case SIM_ID_HEX:
        n = snprintf(out, cap, "%" PRIx64, id);
        break;
    case SIM_ID_HEX0:
        n = snprintf(out, cap, "%016" PRIx64, id);
        break;
    case SIM_ID_HEXU:
        n = snprintf(out, cap, "%" PRIX64, id);
        break;
    case SIM_ID_HEXU0:
        n = snprintf(out, cap, "%016" PRIX64, id);
        break;
    default:
        return GY_EINVAL;
    }
    return (n < 0 || (size_t)n >= cap) ? GY_ETOOBIG : 0;
}

/* A number for a log line: mobile numbers (9 digits or more) masked, short codes as they are. */
static const char *
mask_addr(const char *addr, char buf[GY_MASK_BUFLEN])
{
    if (strlen(addr) >= 9)
        return gy_mask_msisdn(addr, buf);
    snprintf(buf, GY_MASK_BUFLEN, "%s", addr);
    return buf;
}

static void print_line(struct sim_core *c, bool always, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
print_line(struct sim_core *c, bool always, const char *fmt, ...)
{
    if (c->cfg.quiet && !always)
        return;
    char line[SIM_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    c->ops->print(c->ctx, line);
}

/* ---- core and sessions ---- */

struct sim_core *
sim_core_new(const struct sim_config *cfg, const struct sim_ops *ops, void *ctx)
{
    if (cfg == NULL || ops == NULL || !ops->send || !ops->close || !ops->print)
        return NULL;
    struct sim_core *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->cfg = *cfg;
    c->ops = ops;
    c->ctx = ctx;
    c->next_id = cfg->first_id;
    c->codec = text_codec_new();
    c->ussd_next = 1;
    c->mo_ref = 1;
    return c;
}

void
sim_core_free(struct sim_core *c)
{
    if (c == NULL)
        return;
    while (c->sessions)
        sim_session_free(c, c->sessions);
    for (size_t i = 0; i < c->heap_len; i++)
        free(c->heap[i]);
    free(c->heap);
    while (c->held) {
        struct sim_pending *p = c->held;
        c->held = p->next;
        free(p);
    }
    text_codec_free(c->codec);
    free(c);
}

struct sim_config *
sim_core_config(struct sim_core *c)
{
    return &c->cfg;
}

struct sim_faults *
sim_core_faults(struct sim_core *c)
{
    return &c->faults;
}

const struct sim_stats *
sim_core_stats(const struct sim_core *c)
{
    return &c->stats;
}

static bool
can_receive(const struct sim_session *s)
{
    return s->state == SIM_BOUND_RX || s->state == SIM_BOUND_TRX;
}

static bool
can_transmit(const struct sim_session *s)
{
    return s->state == SIM_BOUND_TX || s->state == SIM_BOUND_TRX;
}

size_t
sim_core_receivers(const struct sim_core *c)
{
    size_t n = 0;
    for (const struct sim_session *s = c->sessions; s; s = s->next)
        n += can_receive(s);
    return n;
}

size_t
sim_core_bound(const struct sim_core *c)
{
    size_t n = 0;
    for (const struct sim_session *s = c->sessions; s; s = s->next)
        n += (can_receive(s) || can_transmit(s));
    return n;
}

void
sim_core_stats_format(const struct sim_core *c, char *buf, size_t cap)
{
    const struct sim_stats *t = &c->stats;
    snprintf(buf, cap,
             "connections=%" PRIu64 " bound=%zu binds=%" PRIu64 " refused=%" PRIu64
             " submits=%" PRIu64 " ok=%" PRIu64 " throttled=%" PRIu64 " qfull=%" PRIu64
             " muted=%" PRIu64 " not_bound=%" PRIu64 " dlr=%" PRIu64 " dlr_failed=%" PRIu64
             " mo=%" PRIu64 " ussd=%" PRIu64 " held=%" PRIu64 " deliver_resp_ok=%" PRIu64
             " deliver_resp_err=%" PRIu64 " enquire_link=%" PRIu64 " unbind=%" PRIu64
             " generic_nack_sent=%" PRIu64 " generic_nack_received=%" PRIu64 " malformed=%" PRIu64
             " drops=%" PRIu64 " garbage=%" PRIu64 " redelivered=%" PRIu64 " requeued=%" PRIu64,
             t->connections, sim_core_bound(c), t->binds_ok, t->binds_refused, t->submits,
             t->submit_ok, t->throttled, t->qfull, t->muted, t->not_bound, t->dlr_sent,
             t->dlr_failed_sent, t->mo_sent, t->ussd_sent, t->held_now, t->deliver_resp_ok,
             t->deliver_resp_err, t->enquire_links, t->unbinds, t->generic_nacks_sent,
             t->generic_nacks_received, t->malformed, t->drops, t->garbage_sent, t->redelivered,
             t->requeued);
}

struct sim_session *
sim_session_new(struct sim_core *c, void *io, const char *peer)
{
    struct sim_session *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return NULL;
    s->io = io;
    snprintf(s->peer, sizeof(s->peer), "%s", peer ? peer : "?");
    s->next_seq = 1;
    s->next = c->sessions;
    if (c->sessions)
        c->sessions->prev = s;
    c->sessions = s;
    c->stats.connections++;
    return s;
}

void
sim_session_free(struct sim_core *c, struct sim_session *s)
{
    if (s == NULL)
        return;
    /* deliver_sm never answered go first when a receiver binds again, in their order */
    if (s->unacked) {
        size_t n = 0;
        for (struct sim_pending *p = s->unacked; p; p = p->next) {
            p->s = NULL;
            n++;
        }
        s->unacked_tail->next = c->held;
        if (c->held == NULL)
            c->held_tail = s->unacked_tail;
        c->held = s->unacked;
        c->stats.held_now += n;
        c->stats.requeued += n;
        s->unacked = s->unacked_tail = NULL;
    }
    for (size_t i = 0; i < c->heap_len; i++) {
        struct sim_pending *p = c->heap[i];
        if (p->s != s)
            continue;
        if (p->kind == P_RESP)
            p->kind = P_DEAD;
        p->s = NULL;
    }
    if (s->prev)
        s->prev->next = s->next;
    else
        c->sessions = s->next;
    if (s->next)
        s->next->prev = s->prev;
    free(s);
}

void *
sim_session_io(const struct sim_session *s)
{
    return s->io;
}

enum sim_bind_state
sim_session_state(const struct sim_session *s)
{
    return s->state;
}

static void
session_close(struct sim_core *c, struct sim_session *s, const char *reason)
{
    if (s->state == SIM_CLOSING)
        return;
    s->state = SIM_CLOSING;
    c->ops->close(c->ctx, s, reason);
}

/* Encodes and writes pdu to s; an encode or write failure closes s. */
static int
send_pdu(struct sim_core *c, struct sim_session *s, const struct smpp_pdu *pdu)
{
    if (s->state == SIM_CLOSING)
        return GY_ESTATE;
    uint8_t buf[SMPP_ENCODE_MAX];
    size_t len = 0;
    char err[128] = "";
    int rc = smpp_pdu_encode(pdu, buf, sizeof(buf), &len, err, sizeof(err));
    if (rc == 0)
        rc = c->ops->send(c->ctx, s, buf, len);
    if (rc != 0) {
        gy_warn("[smsc-sim] %s: cannot send %s: %s %s", s->peer,
                smpp_command_name(pdu->hdr.command_id), gy_strerror(rc), err);
        session_close(c, s, "write failed");
    }
    return rc;
}

static void
send_status(struct sim_core *c, struct sim_session *s, uint32_t command_id, uint32_t seq,
            uint32_t status)
{
    struct smpp_pdu r;
    smpp_pdu_init(&r, command_id, seq);
    r.hdr.command_status = status;
    send_pdu(c, s, &r);
}

/* ---- scheduling: a min-heap on (due, order) ---- */

static bool
heap_less(const struct sim_pending *a, const struct sim_pending *b)
{
    return a->due < b->due || (a->due == b->due && a->order < b->order);
}

static int
heap_push(struct sim_core *c, struct sim_pending *p)
{
    if (c->heap_len == c->heap_cap) {
        size_t cap = c->heap_cap ? c->heap_cap * 2 : 64;
        struct sim_pending **h = realloc(c->heap, cap * sizeof(*h));
        if (h == NULL)
            return GY_ENOMEM;
        c->heap = h;
        c->heap_cap = cap;
    }
    p->order = c->order++;
    size_t i = c->heap_len++;
    while (i > 0) {
        size_t up = (i - 1) / 2;
        if (!heap_less(p, c->heap[up]))
            break;
        c->heap[i] = c->heap[up];
        i = up;
    }
    c->heap[i] = p;
    return 0;
}

static struct sim_pending *
heap_pop(struct sim_core *c)
{
    struct sim_pending *top = c->heap[0];
    struct sim_pending *last = c->heap[--c->heap_len];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, m = l;
        if (l >= c->heap_len)
            break;
        if (l + 1 < c->heap_len && heap_less(c->heap[l + 1], c->heap[l]))
            m = l + 1;
        if (!heap_less(c->heap[m], last))
            break;
        c->heap[i] = c->heap[m];
        i = m;
    }
    if (c->heap_len > 0)
        c->heap[i] = last;
    return top;
}

static struct sim_pending *
pending_new(enum pending_kind kind, enum deliver_what what, struct sim_session *s)
{
    struct sim_pending *p = malloc(sizeof(*p));
    if (p == NULL)
        return NULL;
    p->kind = kind;
    p->what = what;
    p->s = s;
    p->next = NULL;
    p->due = p->order = 0;
    return p;
}

static struct sim_session *
pick_receiver(struct sim_core *c, struct sim_session *preferred)
{
    if (preferred && can_receive(preferred))
        return preferred;
    size_t n = sim_core_receivers(c);
    if (n == 0)
        return NULL;
    size_t k = (size_t)(c->rr++ % n);
    for (struct sim_session *s = c->sessions; s; s = s->next) {
        if (can_receive(s) && k-- == 0)
            return s;
    }
    return NULL;
}

/* Sends a deliver_sm now to a receiver, or holds it until one binds. Takes ownership of p. */
static void
deliver_now(struct sim_core *c, struct sim_pending *p)
{
    struct sim_session *s = pick_receiver(c, p->s);
    if (s == NULL || s->state == SIM_CLOSING) {
        p->next = NULL;
        p->s = NULL;
        if (c->held_tail)
            c->held_tail->next = p;
        else
            c->held = p;
        c->held_tail = p;
        c->stats.held_now++;
        return;
    }
    p->pdu.hdr.sequence_number = s->next_seq;
    s->next_seq = s->next_seq >= 0x7FFFFFFFu ? 1 : s->next_seq + 1;
    if (send_pdu(c, s, &p->pdu) == 0) {
        switch (p->what) {
        case W_DLR:
            c->stats.dlr_sent++;
            break;
        case W_DLR_FAIL:
            c->stats.dlr_sent++;
            c->stats.dlr_failed_sent++;
            break;
        case W_MO:
            c->stats.mo_sent++;
            break;
        case W_USSD:
            c->stats.ussd_sent++;
            break;
        default:
            break;
        }
        p->s = s;
        p->next = NULL;
        if (s->unacked_tail)
            s->unacked_tail->next = p;
        else
            s->unacked = p;
        s->unacked_tail = p;
        return;
    }
    p->s = NULL; /* the write failed and s is closing: hold it for the next receiver */
    deliver_now(c, p);
}

/* Takes the deliver_sm numbered seq off s's unanswered list; NULL when it is not there. */
static struct sim_pending *
unacked_take(struct sim_session *s, uint32_t seq)
{
    struct sim_pending *prev = NULL;
    for (struct sim_pending *p = s->unacked; p; prev = p, p = p->next) {
        if (p->pdu.hdr.sequence_number != seq)
            continue;
        if (prev)
            prev->next = p->next;
        else
            s->unacked = p->next;
        if (s->unacked_tail == p)
            s->unacked_tail = prev;
        p->next = NULL;
        return p;
    }
    return NULL;
}

/* Temporary refusals after which an SMSC tries the deliver_sm again. */
static bool
status_temporary(uint32_t status)
{
    return status == SMPP_ESME_RX_T_APPN || status == SMPP_ESME_RTHROTTLED ||
           status == SMPP_ESME_RMSGQFUL || status == SMPP_ESME_RSYSERR;
}

static void schedule(struct sim_core *c, struct sim_pending *p, uint64_t due);

static void
handle_deliver_resp(struct sim_core *c, struct sim_session *s, const struct smpp_pdu *in,
                    uint64_t now_ms)
{
    uint32_t status = in->hdr.command_status;
    struct sim_pending *p = unacked_take(s, in->hdr.sequence_number);
    if (status == SMPP_ESME_ROK) {
        c->stats.deliver_resp_ok++;
        free(p);
        return;
    }
    c->stats.deliver_resp_err++;
    bool again = p != NULL && status_temporary(status);
    print_line(c, false, "%s: deliver_sm_resp #%u %s%s", s->peer, in->hdr.sequence_number,
               smpp_status_name(status), again ? ": delivering again later" : "");
    if (!again) {
        free(p);
        return;
    }
    c->stats.redelivered++;
    schedule(c, p, now_ms + c->cfg.redeliver_ms);
}

static void
flush_held(struct sim_core *c)
{
    while (c->held && sim_core_receivers(c) > 0) {
        struct sim_pending *p = c->held;
        c->held = p->next;
        if (c->held == NULL)
            c->held_tail = NULL;
        c->stats.held_now--;
        deliver_now(c, p);
    }
}

bool
sim_core_next_due(const struct sim_core *c, uint64_t *due_ms)
{
    if (c->heap_len == 0)
        return false;
    *due_ms = c->heap[0]->due;
    return true;
}

void
sim_core_run_due(struct sim_core *c, uint64_t now_ms)
{
    while (c->heap_len > 0 && c->heap[0]->due <= now_ms) {
        struct sim_pending *p = heap_pop(c);
        switch (p->kind) {
        case P_RESP:
            send_pdu(c, p->s, &p->pdu);
            free(p);
            break;
        case P_DELIVER:
            deliver_now(c, p);
            break;
        case P_DROP:
            sim_core_drop_all(c, "drop after submits");
            free(p);
            break;
        default:
            free(p);
            break;
        }
    }
}

/* Schedules p at now + delay, or runs it at once when delay is 0 and kind allows. */
static void
schedule(struct sim_core *c, struct sim_pending *p, uint64_t due)
{
    p->due = due;
    if (heap_push(c, p) != 0) {
        gy_error("[smsc-sim] out of memory: %s dropped", smpp_command_name(p->pdu.hdr.command_id));
        free(p);
    }
}

size_t
sim_core_drop_all(struct sim_core *c, const char *reason)
{
    size_t n = 0;
    for (struct sim_session *s = c->sessions; s; s = s->next) {
        if (s->state != SIM_CLOSING) {
            session_close(c, s, reason);
            n++;
        }
    }
    c->stats.drops += n;
    if (n > 0)
        print_line(c, true, "dropped %zu connection(s): %s", n, reason);
    return n;
}

/* ---- what a client sent ---- */

/* Appends src (UTF-8) to out with newlines and control characters made visible. */
static void
append_visible(char *out, size_t cap, const char *src, size_t len)
{
    size_t o = strlen(out);
    for (size_t i = 0; i < len && o + 3 < cap; i++) {
        unsigned char ch = (unsigned char)src[i];
        if (ch == '\n' || ch == '\r') {
            out[o++] = '\\';
            out[o++] = ch == '\n' ? 'n' : 'r';
        } else if (ch < 0x20 || ch == 0x7F) {
            out[o++] = '?';
        } else {
            out[o++] = (char)ch;
        }
    }
    out[o] = '\0';
}

/* Splits off a UDH when esm_class says there is one; fills part/total/ref (0 when none).
 * Returns false when the UDH does not fit the message. */
static bool
strip_udh(const struct smpp_sm *sm, const uint8_t **msg, size_t *len, unsigned *part,
          unsigned *total, unsigned *ref)
{
    *part = *total = *ref = 0;
    if (sm->tlv.present & SMPP_TLV_SAR_SEGMENT_SEQNUM)
        *part = sm->tlv.sar_segment_seqnum;
    if (sm->tlv.present & SMPP_TLV_SAR_TOTAL_SEGMENTS)
        *total = sm->tlv.sar_total_segments;
    if (sm->tlv.present & SMPP_TLV_SAR_MSG_REF_NUM)
        *ref = sm->tlv.sar_msg_ref_num;
    if (!(sm->esm_class & SMPP_ESM_UDHI))
        return true;
    if (*len == 0 || (size_t)(*msg)[0] + 1 > *len)
        return false;
    const uint8_t *u = *msg + 1;
    size_t ulen = (*msg)[0];
    for (size_t i = 0; i + 2 <= ulen;) {
        uint8_t iei = u[i], iel = u[i + 1];
        if (i + 2 + iel > ulen)
            return false;
        if (iei == 0x00 && iel == 3) {
            *ref = u[i + 2];
            *total = u[i + 3];
            *part = u[i + 4];
        } else if (iei == 0x08 && iel == 4) {
            *ref = (unsigned)(u[i + 2] << 8 | u[i + 3]);
            *total = u[i + 4];
            *part = u[i + 5];
        }
        i += 2u + iel;
    }
    *msg += 1 + ulen;
    *len -= 1 + ulen;
    return true;
}

/* One description of the message of sm for the console: parts, coding and decoded text. */
static void
describe_sm(struct sim_core *c, const struct smpp_sm *sm, char *out, size_t cap)
{
    size_t len = 0;
    const uint8_t *msg = smpp_sm_message(sm, &len);
    unsigned part, total, ref;
    out[0] = '\0';
    if (!strip_udh(sm, &msg, &len, &part, &total, &ref)) {
        snprintf(out, cap, "dc=%u bad UDH (%zu octets)", sm->data_coding, len);
        return;
    }
    int n = snprintf(out, cap, "dc=%u", sm->data_coding);
    if (total > 0 && n > 0 && (size_t)n < cap)
        n += snprintf(out + n, cap - (size_t)n, " part %u/%u ref %u", part, total, ref);
    if (c->cfg.hide_text || c->codec == NULL) {
        snprintf(out + strlen(out), cap - strlen(out), " (%zu octets)", len);
        return;
    }
    struct text_decode_opts opts = {.scheme = (sm->tlv.present & SMPP_TLV_USSD_SERVICE_OP)
                                                  ? TEXT_SCHEME_USSD
                                                  : TEXT_SCHEME_SMPP};
    struct text_buf tb;
    text_buf_init(&tb);
    size_t bad = 0;
    int rc = text_decode(c->codec, sm->data_coding, msg, len, &opts, &tb, &bad);
    if (rc != 0) {
        snprintf(out + strlen(out), cap - strlen(out), " (%zu octets: %s)", len, gy_strerror(rc));
    } else {
        snprintf(out + strlen(out), cap - strlen(out), " \"");
        append_visible(out, cap - 2, tb.data ? tb.data : "", tb.len);
        snprintf(out + strlen(out), cap - strlen(out), "\"");
        if (bad)
            snprintf(out + strlen(out), cap - strlen(out), " (%zu invalid)", bad);
    }
    text_buf_fini(&tb);
}

/* ---- delivery reports ---- */

static void
dlr_date(time_t t, char out[11])
{
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL)
        memset(&tm, 0, sizeof(tm));
    snprintf(out, 11, "%02u%02u%02u%02u%02u", (unsigned)(tm.tm_year + 1900) % 100u,
             (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u,
             (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u);
}

/* Builds the delivery report of an accepted submit into p->pdu. */
static void
dlr_build(struct sim_core *c, const struct smpp_sm *sub, uint64_t id, bool failed,
          struct smpp_pdu *pdu)
{
    smpp_pdu_init(pdu, SMPP_DELIVER_SM, 1);
    struct smpp_sm *d = &pdu->body.sm;
    d->source_addr_ton = sub->dest_addr_ton;
    d->source_addr_npi = sub->dest_addr_npi;
    memcpy(d->source_addr, sub->destination_addr, sizeof(d->source_addr));
    d->dest_addr_ton = sub->source_addr_ton;
    d->dest_addr_npi = sub->source_addr_npi;
    memcpy(d->destination_addr, sub->source_addr, sizeof(d->destination_addr));
    d->esm_class = SMPP_ESM_DELIVERY_RECEIPT;
    if (c->cfg.dlr_mode != SIM_DLR_TEXT) {
        d->tlv.present |= SMPP_TLV_RECEIPTED_MESSAGE_ID | SMPP_TLV_MESSAGE_STATE;
        sim_id_write(c->cfg.dlr_id_format, id, d->tlv.receipted_message_id,
                     sizeof(d->tlv.receipted_message_id));
        d->tlv.message_state = failed ? SMPP_STATE_UNDELIVERABLE : SMPP_STATE_DELIVERED;
        if (failed) {
            d->tlv.present |= SMPP_TLV_NETWORK_ERROR_CODE;
            d->tlv.network_error_code[0] = 3; /* GSM */
            d->tlv.network_error_code[2] = 1;
        }
    }
    if (c->cfg.dlr_mode == SIM_DLR_TLV)
        return;
    /* The first 20 octets of the text when they are printable ASCII, as SMSCs do. */
    size_t len = 0;
    const uint8_t *msg = smpp_sm_message(sub, &len);
    unsigned part, total, ref;
    char head[21] = "";
    if (sub->data_coding <= 1 && strip_udh(sub, &msg, &len, &part, &total, &ref)) {
        size_t i = 0;
        for (; i < len && i < 20 && msg[i] >= 0x20 && msg[i] < 0x7F; i++)
            head[i] = (char)msg[i];
        head[i == len || i == 20 ? i : 0] = '\0';
    }
    char idtext[32], date[11];
    sim_id_write(c->cfg.dlr_text_id_format, id, idtext, sizeof(idtext));
    dlr_date(c->ops->wall ? c->ops->wall(c->ctx) : 0, date);
    char text[200];
    int n = snprintf(text, sizeof(text),
                     "id:%s sub:001 dlvrd:%s submit date:%s done date:%s stat:%s err:%s text:%s",
                     idtext, failed ? "000" : "001", date, date, failed ? "UNDELIV" : "DELIVRD",
                     failed ? "001" : "000", head);
    if (n > 0)
        smpp_sm_set_message(d, (const uint8_t *)text, strlen(text));
}

/* ---- answers ---- */

static void
handle_bind(struct sim_core *c, struct sim_session *s, const struct smpp_pdu *in)
{
    const struct smpp_bind *b = &in->body.bind;
    uint32_t resp_id = in->hdr.command_id | SMPP_RESP_BIT;
    uint32_t status = SMPP_ESME_ROK;
    if (s->state != SIM_OPEN)
        status = SMPP_ESME_RALYBND;
    else if (c->cfg.system_id[0] && strcmp(c->cfg.system_id, b->system_id) != 0)
        status = SMPP_ESME_RINVSYSID;
    else if (c->cfg.password[0] && strcmp(c->cfg.password, b->password) != 0)
        status = SMPP_ESME_RINVPASWD;
    if (status != SMPP_ESME_ROK) {
        c->stats.binds_refused++;
        gy_warn("[smsc-sim] %s: %s from system_id '%s' refused: %s", s->peer,
                smpp_command_name(in->hdr.command_id), b->system_id, smpp_status_name(status));
        send_status(c, s, resp_id, in->hdr.sequence_number, status);
        return;
    }
    struct smpp_pdu r;
    smpp_pdu_init(&r, resp_id, in->hdr.sequence_number);
    memcpy(r.body.bind_resp.system_id, c->cfg.smsc_system_id, sizeof(r.body.bind_resp.system_id));
    r.body.bind_resp.has_sc_interface_version = true;
    r.body.bind_resp.sc_interface_version = SMPP_VERSION_34;
    if (send_pdu(c, s, &r) != 0)
        return;
    s->state = in->hdr.command_id == SMPP_BIND_TRANSMITTER ? SIM_BOUND_TX
               : in->hdr.command_id == SMPP_BIND_RECEIVER  ? SIM_BOUND_RX
                                                           : SIM_BOUND_TRX;
    memcpy(s->system_id, b->system_id, sizeof(s->system_id));
    c->stats.binds_ok++;
    print_line(c, false, "%s: %s ok, system_id '%s'", s->peer,
               smpp_command_name(in->hdr.command_id), b->system_id);
    if (can_receive(s))
        flush_held(c);
}

static bool
every(unsigned n, uint64_t count)
{
    return n > 0 && count % n == 0;
}

static bool
take(unsigned *counter)
{
    if (*counter == 0)
        return false;
    (*counter)--;
    return true;
}

static struct sim_ussd *ussd_find(struct sim_core *c, const char *msisdn);

/* Follows the gateway's side of a USSD dialogue (for ussd-reply). */
static void
ussd_note_submit(struct sim_core *c, const struct smpp_sm *sm)
{
    struct sim_ussd *u = ussd_find(c, sm->destination_addr);
    if (u == NULL)
        return;
    if (sm->tlv.present & SMPP_TLV_ITS_SESSION_INFO)
        u->seq = smpp_its_sequence(sm->tlv.its_session_info);
    bool end = (sm->tlv.present & SMPP_TLV_ITS_SESSION_INFO) &&
               smpp_its_end_of_session(sm->tlv.its_session_info);
    if (end || sm->tlv.ussd_service_op == SMPP_USSD_PSSR_RESP ||
        sm->tlv.ussd_service_op == SMPP_USSD_USSN_REQ)
        u->open = false;
}

static void
handle_submit(struct sim_core *c, struct sim_session *s, const struct smpp_pdu *in, uint64_t now_ms)
{
    const struct smpp_sm *sm = &in->body.sm;
    c->stats.submits++;
    if (!can_transmit(s)) {
        c->stats.not_bound++;
        send_status(c, s, SMPP_SUBMIT_SM_RESP, in->hdr.sequence_number, SMPP_ESME_RINVBNDSTS);
        return;
    }
    uint64_t n = ++c->submit_count;
    uint32_t status = SMPP_ESME_ROK;
    bool mute = take(&c->faults.mute) || every(c->cfg.mute_every, n);
    if (mute)
        c->stats.muted++;
    else if (take(&c->faults.throttle) || every(c->cfg.throttle_every, n))
        status = SMPP_ESME_RTHROTTLED;
    else if (take(&c->faults.qfull) || every(c->cfg.qfull_every, n))
        status = SMPP_ESME_RMSGQFUL;

    char from[GY_MASK_BUFLEN], to[GY_MASK_BUFLEN], id[SMPP_MESSAGE_ID_SIZE] = "";
    uint64_t num = 0;
    bool ok = !mute && status == SMPP_ESME_ROK;
    if (ok) {
        num = c->next_id++;
        sim_id_write(c->cfg.id_format, num, id, sizeof(id));
        c->stats.submit_ok++;
    } else if (status == SMPP_ESME_RTHROTTLED) {
        c->stats.throttled++;
    } else if (status == SMPP_ESME_RMSGQFUL) {
        c->stats.qfull++;
    }
    if (sm->tlv.present & SMPP_TLV_USSD_SERVICE_OP)
        ussd_note_submit(c, sm);
    if (!c->cfg.quiet) {
        char desc[SIM_LINE_MAX - 256];
        describe_sm(c, sm, desc, sizeof(desc));
        char extra[48] = "";
        if (sm->tlv.present & SMPP_TLV_USSD_SERVICE_OP) {
            uint16_t its = sm->tlv.its_session_info;
            snprintf(extra, sizeof(extra), " ussd op %u session %u seq %u%s",
                     sm->tlv.ussd_service_op, smpp_its_session_number(its), smpp_its_sequence(its),
                     smpp_its_end_of_session(its) ? " end" : "");
        }
        print_line(c, false, "%s: submit_sm #%u %s -> %s rd=%u%s %s => %s%s%s", s->peer,
                   in->hdr.sequence_number, mask_addr(sm->source_addr, from),
                   mask_addr(sm->destination_addr, to), sm->registered_delivery, extra, desc,
                   mute ? "(muted)" : smpp_status_name(status), id[0] ? " id " : "", id);
    }
    uint64_t resp_due = now_ms + c->cfg.delay_ms;
    if (!mute) {
        struct smpp_pdu r;
        smpp_pdu_init(&r, SMPP_SUBMIT_SM_RESP, in->hdr.sequence_number);
        r.hdr.command_status = status;
        memcpy(r.body.sm_resp.message_id, id, sizeof(id));
        if (c->cfg.delay_ms == 0) {
            send_pdu(c, s, &r);
        } else {
            struct sim_pending *p = pending_new(P_RESP, W_NONE, s);
            if (p) {
                p->pdu = r;
                schedule(c, p, resp_due);
            }
        }
    }
    if (ok) {
        unsigned rd = sm->registered_delivery & 0x03u;
        c->dlr_count++;
        bool failed = take(&c->faults.dlr_fail) || every(c->cfg.dlr_fail_every, c->dlr_count);
        if (rd == 1 || (rd == 2 && failed)) {
            struct sim_pending *p = pending_new(P_DELIVER, failed ? W_DLR_FAIL : W_DLR, s);
            if (p) {
                dlr_build(c, sm, num, failed, &p->pdu);
                schedule(c, p, resp_due + c->cfg.dlr_delay_ms);
            }
        }
    }
    bool drop =
        (c->faults.drop_after > 0 && --c->faults.drop_after == 0) || every(c->cfg.drop_every, n);
    if (drop) {
        struct sim_pending *p = pending_new(P_DROP, W_NONE, NULL);
        if (p) {
            memset(&p->pdu.hdr, 0, sizeof(p->pdu.hdr));
            schedule(c, p, resp_due);
        }
        if (c->cfg.delay_ms == 0)
            sim_core_run_due(c, now_ms);
    }
}

void
sim_session_handle(struct sim_core *c, struct sim_session *s, const struct smpp_pdu *in,
                   uint64_t now_ms)
{
    if (s->state == SIM_CLOSING)
        return;
    uint32_t seq = in->hdr.sequence_number;
    switch (in->hdr.command_id) {
    case SMPP_BIND_TRANSMITTER:
    case SMPP_BIND_RECEIVER:
    case SMPP_BIND_TRANSCEIVER:
        handle_bind(c, s, in);
        break;
    case SMPP_SUBMIT_SM:
        handle_submit(c, s, in, now_ms);
        break;
    case SMPP_ENQUIRE_LINK:
        c->stats.enquire_links++;
        send_status(c, s, SMPP_ENQUIRE_LINK_RESP, seq, SMPP_ESME_ROK);
        break;
    case SMPP_UNBIND:
        c->stats.unbinds++;
        print_line(c, false, "%s: unbind", s->peer);
        if (send_pdu(c, s,
                     &(struct smpp_pdu){
                         .hdr = {.command_id = SMPP_UNBIND_RESP, .sequence_number = seq}}) == 0)
            session_close(c, s, "unbound");
        break;
    case SMPP_DELIVER_SM_RESP:
        handle_deliver_resp(c, s, in, now_ms);
        break;
    case SMPP_GENERIC_NACK:
        c->stats.generic_nacks_received++;
        free(unacked_take(s, seq));
        print_line(c, false, "%s: generic_nack #%u %s", s->peer, seq,
                   smpp_status_name(in->hdr.command_status));
        break;
    default:
        if (in->hdr.command_id & SMPP_RESP_BIT)
            break; /* enquire_link_resp, unbind_resp and other answers need nothing */
        /* deliver_sm, outbind and anything else an ESME has no business sending */
        c->stats.generic_nacks_sent++;
        send_status(c, s, SMPP_GENERIC_NACK, seq, SMPP_ESME_RINVCMDID);
        break;
    }
}

int
sim_session_input(struct sim_core *c, struct sim_session *s, const uint8_t *buf, size_t len,
                  uint64_t now_ms, size_t *used)
{
    size_t off = 0;
    *used = 0;
    while (s->state != SIM_CLOSING) {
        uint32_t plen = 0;
        int rc = smpp_frame_length(buf + off, len - off, SIM_PDU_MAX, &plen);
        if (rc != 0) {
            c->stats.malformed++;
            gy_warn("[smsc-sim] %s: command_length out of bounds; closing the connection", s->peer);
            session_close(c, s, "bad command_length");
            break;
        }
        if (plen == 0 || len - off < plen)
            break;
        struct smpp_pdu pdu;
        char err[128] = "";
        rc = smpp_pdu_decode(buf + off, plen, &pdu, err, sizeof(err));
        off += plen;
        if (rc == GY_ENOTFOUND) {
            if (!(pdu.hdr.command_id & SMPP_RESP_BIT)) {
                c->stats.generic_nacks_sent++;
                send_status(c, s, SMPP_GENERIC_NACK, pdu.hdr.sequence_number, SMPP_ESME_RINVCMDID);
            }
            continue;
        }
        if (rc != 0) {
            c->stats.malformed++;
            gy_warn("[smsc-sim] %s: malformed %s (%s: %s); closing the connection", s->peer,
                    smpp_command_name(pdu.hdr.command_id), gy_strerror(rc), err);
            session_close(c, s, "malformed PDU");
            break;
        }
        sim_session_handle(c, s, &pdu, now_ms);
    }
    if (s->state == SIM_CLOSING) {
        *used = len;
        return GY_ESTATE;
    }
    *used = off;
    return 0;
}

/* ---- injected traffic ---- */

static bool
valid_addr(const char *a)
{
    size_t n = strlen(a);
    if (n == 0 || n >= SIM_ADDR_SIZE)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (a[i] < '0' || a[i] > '9')
            return false;
    }
    return true;
}

static void
sm_addresses(struct smpp_sm *sm, const char *from, const char *to)
{
    sm->source_addr_ton = 1; /* international */
    sm->source_addr_npi = 1;
    snprintf(sm->source_addr, sizeof(sm->source_addr), "%s", from);
    snprintf(sm->destination_addr, sizeof(sm->destination_addr), "%s", to);
}

int
sim_core_inject_mo(struct sim_core *c, const char *from, const char *to, const char *text,
                   uint64_t now_ms, char *err, size_t errlen)
{
    (void)now_ms;
    if (from == NULL || to == NULL || text == NULL || !valid_addr(from) || !valid_addr(to)) {
        snprintf(err, errlen, "mo: FROM and TO must be 1 to 20 digits");
        return GY_EINVAL;
    }
    struct text_split_opts opts = {.allow = TEXT_ALLOW_DEFAULT,
                                   .concat = TEXT_CONCAT_UDH8,
                                   .max_parts = 255,
                                   .overflow = TEXT_OVERFLOW_REFUSE,
                                   .ref = c->mo_ref++};
    struct text_split sp;
    struct text_unencodable bad = {0};
    int rc = text_split_make(c->codec, text, strlen(text), &opts, &sp, &bad);
    if (rc == GY_EENCODING) {
        snprintf(err, errlen, "mo: the text is not valid UTF-8 (byte %zu)", bad.offset);
        return rc;
    }
    if (rc != 0) {
        snprintf(err, errlen, "mo: cannot encode the text: %s", gy_strerror(rc));
        return rc;
    }
    for (size_t i = 0; i < sp.n_parts; i++) {
        struct sim_pending *p = pending_new(P_DELIVER, W_MO, NULL);
        if (p == NULL) {
            text_split_fini(&sp);
            snprintf(err, errlen, "mo: out of memory");
            return GY_ENOMEM;
        }
        smpp_pdu_init(&p->pdu, SMPP_DELIVER_SM, 1);
        struct smpp_sm *sm = &p->pdu.body.sm;
        sm_addresses(sm, from, to);
        sm->data_coding = sp.data_coding;
        sm->esm_class = sp.parts[i].udhi ? SMPP_ESM_UDHI : 0;
        smpp_sm_set_message(sm, sp.parts[i].sm, sp.parts[i].sm_len);
        deliver_now(c, p);
    }
    int parts = (int)sp.n_parts;
    text_split_fini(&sp);
    return parts;
}

static struct sim_ussd *
ussd_find(struct sim_core *c, const char *msisdn)
{
    for (size_t i = 0; i < SIM_USSD_MAX; i++) {
        if (c->ussd[i].msisdn[0] && strcmp(c->ussd[i].msisdn, msisdn) == 0)
            return &c->ussd[i];
    }
    return NULL;
}

/* The entry for msisdn, or the least recently used one, reset for it. */
static struct sim_ussd *
ussd_claim(struct sim_core *c, const char *msisdn)
{
    struct sim_ussd *u = ussd_find(c, msisdn);
    if (u == NULL) {
        u = &c->ussd[0];
        for (size_t i = 1; i < SIM_USSD_MAX; i++) {
            if (c->ussd[i].used < u->used)
                u = &c->ussd[i];
        }
        memset(u, 0, sizeof(*u));
        snprintf(u->msisdn, sizeof(u->msisdn), "%s", msisdn);
    }
    return u;
}

int
sim_core_inject_ussd(struct sim_core *c, enum sim_ussd_kind kind, const char *from,
                     const char *text, uint64_t now_ms, char *err, size_t errlen)
{
    static const char *const names[] = {"ussd", "ussd-reply", "ussd-abort"};
    const char *name = (unsigned)kind < 3 ? names[kind] : "ussd";
    if (from == NULL || !valid_addr(from) || (unsigned)kind > SIM_USSD_ABORT) {
        snprintf(err, errlen, "%s: FROM must be 1 to 20 digits", name);
        return GY_EINVAL;
    }
    if (text == NULL || kind == SIM_USSD_ABORT)
        text = "";
    struct sim_ussd *u = ussd_find(c, from);
    if (kind != SIM_USSD_OPEN && (u == NULL || !u->open)) {
        snprintf(err, errlen,
                 "%s: no open USSD session for that number (dial first: ussd FROM CODE)", name);
        return GY_ENOTFOUND;
    }
    /* GSM 7-bit, one septet per octet (USSD DCS 0x0F), or UCS-2 (DCS 0x48). */
    struct text_encoded enc;
    struct text_unencodable bad = {0};
    int rc = text_encode(NULL, text, strlen(text),
                         TEXT_ALLOW_GSM7 | TEXT_ALLOW_UCS2 | TEXT_ALLOW_UTF16, &enc, &bad);
    if (rc != 0) {
        snprintf(err, errlen, "%s: the text is not valid UTF-8 (byte %zu)", name, bad.offset);
        return rc == GY_EENCODING ? rc : GY_EINVAL;
    }
    if (enc.len > 182 * 2 || enc.len > SMPP_SHORT_MESSAGE_ENCODE_MAX) {
        text_encoded_fini(&enc);
        snprintf(err, errlen, "%s: text too long for one USSD message", name);
        return GY_ETOOBIG;
    }
    if (kind == SIM_USSD_OPEN) {
        u = ussd_claim(c, from);
        u->session = c->ussd_next;
        c->ussd_next = c->ussd_next == 255 ? 1 : c->ussd_next + 1;
        u->seq = 0;
        u->open = true;
    } else {
        u->seq = (uint8_t)((u->seq + 1) & 0x7F);
    }
    u->used = ++c->order;
    struct sim_pending *p = pending_new(P_DELIVER, W_USSD, NULL);
    if (p == NULL) {
        text_encoded_fini(&enc);
        snprintf(err, errlen, "%s: out of memory", name);
        return GY_ENOMEM;
    }
    smpp_pdu_init(&p->pdu, SMPP_DELIVER_SM, 1);
    struct smpp_sm *sm = &p->pdu.body.sm;
    strcpy(sm->service_type, "USSD");
    sm_addresses(sm, from, c->cfg.ussd_service);
    sm->data_coding = enc.coding == TEXT_CODING_GSM7 ? 0x0F : 0x48;
    smpp_sm_set_message(sm, enc.bytes, enc.len);
    text_encoded_fini(&enc);
    sm->tlv.present |= SMPP_TLV_USSD_SERVICE_OP | SMPP_TLV_ITS_SESSION_INFO;
    sm->tlv.ussd_service_op = kind == SIM_USSD_OPEN ? SMPP_USSD_PSSR_IND : SMPP_USSD_USSR_CONF;
    sm->tlv.its_session_info = smpp_its_make(u->session, u->seq, kind == SIM_USSD_ABORT);
    if (kind == SIM_USSD_ABORT)
        u->open = false;
    char m[GY_MASK_BUFLEN];
    print_line(c, true, "%s from %s: session %u seq %u%s", name, mask_addr(from, m), u->session,
               u->seq, sim_core_receivers(c) ? "" : " (held: no receiver bound)");
    (void)now_ms;
    deliver_now(c, p);
    return 0;
}

size_t
sim_core_send_garbage(struct sim_core *c, enum sim_garbage kind)
{
    size_t n = 0;
    for (struct sim_session *s = c->sessions; s; s = s->next) {
        if (!(can_receive(s) || can_transmit(s)))
            continue;
        /* deliver_sm whose service_type never ends, or a command_length of 8. */
        uint8_t g[20] = {0, 0, 0, 20, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 'x', 'x', 'x', 'x'};
        size_t len = sizeof(g);
        if (kind == SIM_GARBAGE_LENGTH) {
            g[3] = 8;
            len = 16;
        }
        uint32_t seq = s->next_seq;
        s->next_seq = s->next_seq >= 0x7FFFFFFFu ? 1 : s->next_seq + 1;
        g[12] = (uint8_t)(seq >> 24);
        g[13] = (uint8_t)(seq >> 16);
        g[14] = (uint8_t)(seq >> 8);
        g[15] = (uint8_t)seq;
        if (c->ops->send(c->ctx, s, g, len) == 0) {
            n++;
            c->stats.garbage_sent++;
        }
    }
    return n;
}
