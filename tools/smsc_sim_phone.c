/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smsc_sim_phone: phone mode of smsc-sim (--phone N): lines typed at the console become one
 * worker's USSD dialling, USSD answers and SMS, and the gateway's submits to that number are
 * shown as the phone would show them (text only, parts joined). Pure like the rest of the
 * core: no I/O and no clock; output goes through ops->print or the caller's buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "tools/smsc_sim_int.h"

#define PHONE_TAG_WIDTH 7 /* "[USSD] " and "[SMS]  " */

void
sim_phone_help(struct text_buf *out)
{
    static const char help[] =
        "phone commands:\n"
        "  *188#         dial a USSD code (a new session)\n"
        "  TEXT          while a USSD session is open: answer the screen (1, 2, 0, 00...);\n"
        "                otherwise: send TEXT as an SMS (JF, 积分, RX, GZ 车工, BT, TD, DY, BZ, "
        "EN)\n"
        "  abort         hang up the USSD session\n"
        "  :msisdn N     become the phone of number N\n"
        "  ?, :help      this help (for the SMS help keyword send BZ or 帮助)\n"
        "  quit          leave (Ctrl-D too)\n";
    text_buf_put(out, help, sizeof(help) - 1);
}

static void
say(struct text_buf *out, const char *s)
{
    text_buf_put(out, s, strlen(s));
    text_buf_put(out, "\n", 1);
}

static void
msg_clear(struct sim_phone_msg *m)
{
    for (size_t i = 0; i < SIM_PHONE_PARTS; i++)
        free(m->part[i]);
    memset(m, 0, sizeof(*m));
}

void
sim_phone_fini(struct sim_core *c)
{
    for (size_t i = 0; i < SIM_PHONE_SLOTS; i++)
        msg_clear(&c->phone.msg[i]);
}

/* Prints text under tag, one console line per text line, continuation lines indented. */
static void
phone_show(struct sim_core *c, const char *tag, const char *text)
{
    char line[SIM_LINE_MAX];
    const char *p = text;
    bool first = true;
    do {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n > 0 && p[n - 1] == '\r')
            n--;
        if (n > sizeof(line) - PHONE_TAG_WIDTH - 1)
            n = sizeof(line) - PHONE_TAG_WIDTH - 1;
        snprintf(line, sizeof(line), "%-*s%.*s", PHONE_TAG_WIDTH, first ? tag : "", (int)n, p);
        c->ops->print(c->ctx, line);
        first = false;
        p = nl ? nl + 1 : NULL;
    } while (p && *p);
}

/* The slot joining (ref, total), or a free or the oldest one claimed for it. */
static struct sim_phone_msg *
msg_slot(struct sim_core *c, unsigned ref, unsigned total)
{
    struct sim_phone_msg *oldest = &c->phone.msg[0];
    for (size_t i = 0; i < SIM_PHONE_SLOTS; i++) {
        struct sim_phone_msg *m = &c->phone.msg[i];
        if (m->order && m->ref == ref && m->total == total)
            return m;
        if (m->order < oldest->order)
            oldest = m;
    }
    msg_clear(oldest);
    oldest->ref = ref;
    oldest->total = total;
    oldest->order = ++c->phone.order;
    return oldest;
}

/* Joins part of a concatenated SMS; shows the message when complete. Takes text. */
static void
phone_part(struct sim_core *c, unsigned part, unsigned total, unsigned ref, char *text)
{
    if (total > SIM_PHONE_PARTS || part == 0 || part > total) {
        phone_show(c, "[SMS]", text); /* cannot join: show the part as it is */
        free(text);
        c->phone.waiting = false;
        return;
    }
    struct sim_phone_msg *m = msg_slot(c, ref, total);
    if (m->part[part - 1] == NULL)
        m->have++;
    free(m->part[part - 1]);
    m->part[part - 1] = text;
    if (m->have < total)
        return;
    struct text_buf all;
    text_buf_init(&all);
    for (unsigned i = 0; i < total; i++)
        text_buf_put(&all, m->part[i], strlen(m->part[i]));
    phone_show(c, "[SMS]", all.data ? all.data : "");
    text_buf_fini(&all);
    msg_clear(m);
    c->phone.waiting = false;
}

void
sim_phone_submit(struct sim_core *c, const struct smpp_sm *sm)
{
    struct text_buf tb;
    text_buf_init(&tb);
    unsigned part = 0, total = 0, ref = 0;
    bool ussd = (sm->tlv.present & SMPP_TLV_USSD_SERVICE_OP) != 0;
    int rc = sim_sm_text(c, sm, &tb, &part, &total, &ref);
    char *text = NULL;
    if (rc != 0) {
        char msg[96];
        snprintf(msg, sizeof(msg), "(a message the phone cannot show: %s, data_coding %u)",
                 gy_strerror(rc), sm->data_coding);
        text = strdup(msg);
    } else {
        text = strdup(tb.data ? tb.data : "");
    }
    text_buf_fini(&tb);
    if (text == NULL)
        return;
    if (ussd) {
        bool end = sm->tlv.ussd_service_op == SMPP_USSD_PSSR_RESP ||
                   sm->tlv.ussd_service_op == SMPP_USSD_USSN_REQ ||
                   ((sm->tlv.present & SMPP_TLV_ITS_SESSION_INFO) &&
                    smpp_its_end_of_session(sm->tlv.its_session_info));
        phone_show(c, "[USSD]", text);
        if (end)
            c->ops->print(c->ctx, "[END]");
        free(text);
        c->phone.waiting = false;
    } else if (total > 1) {
        phone_part(c, part, total, ref, text);
    } else {
        phone_show(c, "[SMS]", text);
        free(text);
        c->phone.waiting = false;
    }
}

bool
sim_phone_waiting(struct sim_core *c, uint64_t now_ms, unsigned wait_ms)
{
    if (!c->phone.waiting)
        return false;
    if (now_ms - c->phone.since_ms < wait_ms)
        return true;
    c->phone.waiting = false;
    sim_print(c, true, "(no answer within %u s)", wait_ms / 1000u);
    return false;
}

static bool
all_digits(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= SIM_ADDR_SIZE)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
    }
    return true;
}

static bool
ussd_open(struct sim_core *c)
{
    struct sim_ussd *u = sim_ussd_find(c, c->cfg.phone);
    return u != NULL && u->open;
}

int
sim_phone_line(struct sim_core *c, const char *line, uint64_t now_ms, struct text_buf *out)
{
    char buf[SIM_TEXT_MAX + 1], err[512];
    const char *p = line ? line : "";
    while (*p == ' ' || *p == '\t')
        p++;
    size_t n = strlen(p);
    while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (n >= sizeof(buf)) {
        say(out, "error: line too long");
        return GY_ETOOBIG;
    }
    memcpy(buf, p, n);
    buf[n] = '\0';
    if (buf[0] == '\0')
        return 0;
    if (strcmp(buf, "?") == 0 || strcmp(buf, ":help") == 0) {
        sim_phone_help(out);
        return 0;
    }
    if (strcmp(buf, "quit") == 0 || strcmp(buf, ":quit") == 0)
        return SIM_PHONE_QUIT;
    if (strncmp(buf, ":msisdn", 7) == 0 && (buf[7] == ' ' || buf[7] == '\t' || !buf[7])) {
        const char *num = buf + 7;
        while (*num == ' ' || *num == '\t')
            num++;
        if (!all_digits(num)) {
            say(out, "error: :msisdn N takes a number of 1 to 20 digits (8613800138001)");
            return GY_EINVAL;
        }
        snprintf(c->cfg.phone, sizeof(c->cfg.phone), "%s", num);
        c->phone.waiting = false;
        char masked[GY_MASK_BUFLEN], msg[80];
        snprintf(msg, sizeof(msg), "(this is now the phone of %s)",
                 sim_mask_addr(c->cfg.phone, masked));
        say(out, msg);
        return 0;
    }
    if (buf[0] == ':') {
        say(out, "error: unknown phone command (:msisdn N, :help, :quit)");
        return GY_EINVAL;
    }
    int rc;
    bool expect = true;
    if (strcmp(buf, "abort") == 0) {
        if (!ussd_open(c)) {
            say(out, "(no USSD session is open)");
            return 0;
        }
        rc = sim_core_inject_ussd(c, SIM_USSD_ABORT, c->cfg.phone, NULL, now_ms, err, sizeof(err));
        expect = false;
        if (rc == 0)
            say(out, "(hung up)");
    } else if (buf[0] == '*') {
        rc = sim_core_inject_ussd(c, SIM_USSD_OPEN, c->cfg.phone, buf, now_ms, err, sizeof(err));
    } else if (ussd_open(c)) {
        rc = sim_core_inject_ussd(c, SIM_USSD_REPLY, c->cfg.phone, buf, now_ms, err, sizeof(err));
    } else {
        rc = sim_core_inject_mo(c, c->cfg.phone, c->cfg.phone_to, buf, 0, err, sizeof(err));
        if (rc > 0)
            rc = 0;
    }
    if (rc != 0) {
        char msg[600];
        snprintf(msg, sizeof(msg), "error: %s", err);
        say(out, msg);
        return rc;
    }
    if (expect) {
        c->phone.waiting = true;
        c->phone.since_ms = now_ms;
    }
    return 0;
}
