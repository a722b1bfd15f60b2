/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smsc_sim_core: the frame of the smsc-sim core: settings and id formats, sessions, sending,
 * the schedule (a min-heap on due time), deliver_sm kept until answered or held until a
 * receiver binds. Pure: bytes leave through struct sim_ops, time comes in as arguments. */
#include "tools/smsc_sim_int.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "base/gy_log.h"
#include "gateway/smpp_codec.h"
#include "locale/text_decode.h"

static const char *const id_format_names[] = {"dec", "dec0", "hex", "hex0", "HEX", "HEX0"};

void
sim_config_defaults(struct sim_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    strcpy(cfg->smsc_system_id, "smsc-sim");
    strcpy(cfg->ussd_service, "188");
    strcpy(cfg->phone_to, "10658188");
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
const char *
sim_mask_addr(const char *addr, char buf[GY_MASK_BUFLEN])
{
    if (strlen(addr) >= 9)
        return gy_mask_msisdn(addr, buf);
    snprintf(buf, GY_MASK_BUFLEN, "%s", addr);
    return buf;
}

void
sim_print(struct sim_core *c, bool always, const char *fmt, ...)
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
    c->closing_down = true;
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
    sim_phone_fini(c);
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

bool
sim_can_receive(const struct sim_session *s)
{
    return s->state == SIM_BOUND_RX || s->state == SIM_BOUND_TRX;
}

bool
sim_can_transmit(const struct sim_session *s)
{
    return s->state == SIM_BOUND_TX || s->state == SIM_BOUND_TRX;
}

size_t
sim_core_receivers(const struct sim_core *c)
{
    size_t n = 0;
    for (const struct sim_session *s = c->sessions; s; s = s->next)
        n += sim_can_receive(s);
    return n;
}

size_t
sim_core_bound(const struct sim_core *c)
{
    size_t n = 0;
    for (const struct sim_session *s = c->sessions; s; s = s->next)
        n += (sim_can_receive(s) || sim_can_transmit(s));
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
    if (c->held && !c->closing_down)
        sim_flush_held(c); /* another receiver may be bound already */
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

void
sim_session_close(struct sim_core *c, struct sim_session *s, const char *reason)
{
    if (s->state == SIM_CLOSING)
        return;
    s->state = SIM_CLOSING;
    c->ops->close(c->ctx, s, reason);
}

/* Encodes and writes pdu to s; an encode or write failure closes s. */
int
sim_send_pdu(struct sim_core *c, struct sim_session *s, const struct smpp_pdu *pdu)
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
        sim_session_close(c, s, "write failed");
    }
    return rc;
}

void
sim_send_status(struct sim_core *c, struct sim_session *s, uint32_t command_id, uint32_t seq,
                uint32_t status)
{
    struct smpp_pdu r;
    smpp_pdu_init(&r, command_id, seq);
    r.hdr.command_status = status;
    sim_send_pdu(c, s, &r);
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

struct sim_pending *
sim_pending_new(enum pending_kind kind, enum deliver_what what, struct sim_session *s)
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
    if (preferred && sim_can_receive(preferred))
        return preferred;
    size_t n = sim_core_receivers(c);
    if (n == 0)
        return NULL;
    size_t k = (size_t)(c->rr++ % n);
    for (struct sim_session *s = c->sessions; s; s = s->next) {
        if (sim_can_receive(s) && k-- == 0)
            return s;
    }
    return NULL;
}

/* Sends a deliver_sm now to a receiver, or holds it until one binds. Takes ownership of p. */
void
sim_deliver(struct sim_core *c, struct sim_pending *p)
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
    if (sim_send_pdu(c, s, &p->pdu) == 0) {
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
    sim_deliver(c, p);
}

/* Takes the deliver_sm numbered seq off s's unanswered list; NULL when it is not there. */
struct sim_pending *
sim_unacked_take(struct sim_session *s, uint32_t seq)
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

void
sim_deliver_resp(struct sim_core *c, struct sim_session *s, const struct smpp_pdu *in,
                 uint64_t now_ms)
{
    uint32_t status = in->hdr.command_status;
    struct sim_pending *p = sim_unacked_take(s, in->hdr.sequence_number);
    if (status == SMPP_ESME_ROK) {
        c->stats.deliver_resp_ok++;
        free(p);
        return;
    }
    c->stats.deliver_resp_err++;
    bool again = p != NULL && status_temporary(status);
    sim_print(c, false, "%s: deliver_sm_resp #%u %s%s", s->peer, in->hdr.sequence_number,
              smpp_status_name(status), again ? ": delivering again later" : "");
    if (!again) {
        free(p);
        return;
    }
    c->stats.redelivered++;
    sim_schedule(c, p, now_ms + c->cfg.redeliver_ms);
}

void
sim_flush_held(struct sim_core *c)
{
    while (c->held && sim_core_receivers(c) > 0) {
        struct sim_pending *p = c->held;
        c->held = p->next;
        if (c->held == NULL)
            c->held_tail = NULL;
        c->stats.held_now--;
        sim_deliver(c, p);
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
            sim_send_pdu(c, p->s, &p->pdu);
            free(p);
            break;
        case P_DELIVER:
            sim_deliver(c, p);
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
void
sim_schedule(struct sim_core *c, struct sim_pending *p, uint64_t due)
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
            sim_session_close(c, s, reason);
            n++;
        }
    }
    c->stats.drops += n;
    if (n > 0)
        sim_print(c, c->cfg.phone[0] == '\0', "dropped %zu connection(s): %s", n, reason);
    return n;
}
