/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_engine: the pure step function. Walks router/set/action nodes up to the script's
 * hop limit, stops at a screen (menu, input, info, end) or an action request, handles the
 * navigation keys (more, back over a bounded history, home), validation with retries and
 * the invalid-input re-show. No I/O, no clock, no logging. */
#include "menus/menu_engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "base/gy_idnum.h"
#include "menus/menu_engine_int.h"

/* ----- variable slots ----- */

int
menu_slot_find(const struct menu_state *st, uint16_t var, uint8_t item)
{
    for (int i = 0; i < st->n_slots; i++)
        if (st->slots[i].var == var && st->slots[i].item == item)
            return i;
    return -1;
}

void
menu_slot_del(struct menu_state *st, int i)
{
    if (i < 0 || i >= st->n_slots)
        return;
    memmove(&st->slots[i], &st->slots[i + 1], (size_t)(st->n_slots - i - 1) * sizeof(st->slots[0]));
    st->n_slots--;
}

static void
arena_compact(struct menu_state *st)
{
    char tmp[MENU_ARENA];
    uint16_t used = 0;
    for (int i = 0; i < st->n_slots; i++) {
        struct menu_slot *sl = &st->slots[i];
        if (sl->type != MENU_T_TEXT)
            continue;
        memcpy(tmp + used, st->arena + sl->off, sl->len);
        sl->off = used;
        used = (uint16_t)(used + sl->len);
    }
    memcpy(st->arena, tmp, used);
    st->arena_used = used;
}

/* Frees the slots of the oldest action result other than the one being stored, so that
 * a long session keeps room for what it shows now. Returns false when there is none. */
static bool
evict_oldest_result(struct menu_state *st)
{
    int oldest = -1, best_age = -1;
    for (int i = 0; i < st->n_slots; i++) {
        int g = st->slots[i].gen;
        if (g == 0 || g == st->storing)
            continue;
        int age = (st->gen - g + 15) % 15;
        if (age > best_age) {
            best_age = age;
            oldest = g;
        }
    }
    if (oldest < 0)
        return false;
    for (int i = st->n_slots - 1; i >= 0; i--)
        if (st->slots[i].gen == oldest)
            menu_slot_del(st, i);
    arena_compact(st);
    return true;
}

int
menu_slot_set(struct menu_state *st, uint16_t var, uint8_t item, enum menu_type type, int64_t num,
              const char *text, size_t len)
{
    menu_slot_del(st, menu_slot_find(st, var, item));
    if (type == MENU_T_TEXT) {
        if (len > MENU_ARENA / 2)
            len = MENU_ARENA / 2;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--; /* cut between characters */
        if (st->arena_used + len > MENU_ARENA)
            arena_compact(st);
        while (st->arena_used + len > MENU_ARENA)
            if (!evict_oldest_result(st))
                return GY_ETOOBIG;
    }
    while (st->n_slots >= MENU_STATE_VARS)
        if (!evict_oldest_result(st))
            return GY_ETOOBIG;
    struct menu_slot *sl = &st->slots[st->n_slots++];
    sl->var = var;
    sl->item = item & 0x0F;
    sl->gen = st->storing & 0x0F;
    sl->type = (uint8_t)type;
    sl->num = num;
    sl->off = sl->len = 0;
    if (type == MENU_T_TEXT) {
        memcpy(st->arena + st->arena_used, text, len);
        sl->off = st->arena_used;
        sl->len = (uint16_t)len;
        st->arena_used = (uint16_t)(st->arena_used + len);
    }
    return 0;
}

bool
menu_var_view(const struct menu_script *s, const struct menu_state *st, uint16_t var, uint8_t item,
              struct menu_view *out)
{
    memset(out, 0, sizeof(*out));
    if (var == MENU_VAR_LANG && item == 0) {
        const char *l = menu_state_lang(s, st);
        out->type = MENU_T_TEXT;
        out->text = l;
        out->len = strlen(l);
        return true;
    }
    int i = menu_slot_find(st, var, item);
    if (i < 0)
        return false;
    const struct menu_slot *sl = &st->slots[i];
    out->type = (enum menu_type)sl->type;
    out->num = sl->num;
    if (sl->type == MENU_T_TEXT) {
        out->text = st->arena + sl->off;
        out->len = sl->len;
    }
    return true;
}

/* ----- public state helpers ----- */

void
menu_state_init(struct menu_state *st, const struct menu_script *s, enum menu_channel ch,
                const char *lang, int ussd_octets, int sms_segments)
{
    memset(st, 0, sizeof(*st));
    st->version = (uint32_t)s->version;
    st->node = MENU_NONE;
    st->channel = (uint8_t)ch;
    int li = menu_script_lang(s, lang);
    st->lang = (uint8_t)(li < 0 ? s->default_lang : (size_t)li);
    st->ussd_octets = (uint16_t)(ussd_octets > 0 && ussd_octets < s->ussd_octets ? ussd_octets
                                                                                 : s->ussd_octets);
    st->sms_segments = (uint8_t)(sms_segments > 0 && sms_segments < s->sms_segments
                                     ? sms_segments
                                     : s->sms_segments);
}

const char *
menu_state_lang(const struct menu_script *s, const struct menu_state *st)
{
    return st->lang < s->n_langs ? s->langs[st->lang] : "zh";
}

int
menu_state_get(const struct menu_script *s, const struct menu_state *st, const char *name,
               struct menu_view *out)
{
    int vi = menu_script_var(s, name);
    if (vi < 0 || !menu_var_view(s, st, (uint16_t)vi, 0, out))
        return GY_ENOTFOUND;
    return 0;
}

char *
menu_state_describe(const struct menu_script *s, const struct menu_state *st, char *buf, size_t n)
{
    static const char *const stn[] = {"new", "wait_input", "wait_action", "done"};
    struct mbuf b = {buf, 0, n};
    if (!buf || n == 0)
        return buf;
    buf[0] = '\0';
    char tmp[MENU_ARENA + 64];
    snprintf(tmp, sizeof(tmp), "node=%s page=%u lang=%s status=%s hist=%u",
             st->node < s->n_nodes ? s->nodes[st->node].id : "-", st->page,
             menu_state_lang(s, st), st->status < 4 ? stn[st->status] : "?", st->n_hist);
    mbuf_puts(&b, tmp);
    for (int i = 0; i < st->n_slots; i++) {
        const struct menu_slot *sl = &st->slots[i];
        if (sl->var >= s->n_vars)
            continue;
        const struct menu_var *v = &s->vars[sl->var];
        struct menu_view vw;
        menu_var_view(s, st, sl->var, sl->item, &vw);
        size_t l = menu_view_format(&vw, "en", tmp, sizeof(tmp));
        if (l >= sizeof(tmp))
            l = sizeof(tmp) - 1;
        if (v->sensitive) {
            /* keep at most the last 2 characters (ASCII) of short values */
            size_t keep = l > 6 ? 2 : 0;
            for (size_t k = 0; k + keep < l; k++)
                tmp[k] = '*';
            if (l > 8) {
                memmove(tmp + 4, tmp + l - keep, keep);
                l = 4 + keep;
            }
            tmp[l] = '\0';
        }
        char head[96];
        if (sl->item)
            snprintf(head, sizeof(head), " %s[%u]=", v->name, sl->item);
        else
            snprintf(head, sizeof(head), " %s=", v->name);
        mbuf_puts(&b, head);
        mbuf_put(&b, tmp, l);
    }
    return buf;
}

/* ----- input normalisation ----- */

/* Trims, folds full-width ASCII (U+FF01..FF5E) and U+3000. Writes NUL-terminated. */
static size_t
normalise(const char *in, size_t len, char *out, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < len && o + 4 < n;) {
        unsigned char c = (unsigned char)in[i];
        if (c == 0xEF && i + 2 < len) {
            unsigned cp = ((c & 0x0Fu) << 12) | (((unsigned char)in[i + 1] & 0x3Fu) << 6) |
                          ((unsigned char)in[i + 2] & 0x3Fu);
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                out[o++] = (char)(cp - 0xFF01 + 0x21);
                i += 3;
                continue;
            }
        }
        if (c == 0xE3 && i + 2 < len && (unsigned char)in[i + 1] == 0x80 &&
            (unsigned char)in[i + 2] == 0x80) {
            out[o++] = ' ';
            i += 3;
            continue;
        }
        out[o++] = (char)c;
        i++;
    }
    out[o] = '\0';
    size_t a = 0;
    while (out[a] == ' ' || out[a] == '\t' || out[a] == '\r' || out[a] == '\n')
        a++;
    while (o > a && (out[o - 1] == ' ' || out[o - 1] == '\t' || out[o - 1] == '\r' ||
                     out[o - 1] == '\n'))
        o--;
    memmove(out, out + a, o - a);
    out[o - a] = '\0';
    return o - a;
}

static bool
key_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return *a == *b;
}

/* ----- conditions ----- */

static bool
parse_i64(const char *t, size_t len, int64_t *out)
{
    char buf[32];
    if (len == 0 || len >= sizeof(buf))
        return false;
    memcpy(buf, t, len);
    buf[len] = '\0';
    char *end;
    long long v = strtoll(buf, &end, 10);
    if (*end)
        return false;
    *out = v;
    return true;
}

static bool
cond_true(const struct menu_script *s, const struct menu_state *st, const struct menu_cond *c)
{
    struct menu_view v;
    bool set = menu_var_view(s, st, c->var, 0, &v);
    if (c->op == MENU_OP_EMPTY) {
        bool empty = !set || (v.type == MENU_T_TEXT && v.len == 0) ||
                     (v.type == MENU_T_LIST && v.num == 0);
        return c->negate_empty ? !empty : empty;
    }
    if (!set)
        return c->op == MENU_OP_NE;
    for (size_t i = 0; i < c->n_values; i++) {
        const char *w = c->values[i];
        int cmp;
        int64_t x;
        if (v.type == MENU_T_TEXT) {
            size_t wl = strlen(w);
            cmp = memcmp(v.text, w, v.len < wl ? v.len : wl);
            if (cmp == 0)
                cmp = v.len < wl ? -1 : v.len > wl ? 1 : 0;
        } else if (v.type == MENU_T_DATE) {
            struct gy_date d;
            if (gy_date_parse(w, &d) != 0)
                continue;
            long dd = gy_date_to_days(d);
            cmp = v.num < dd ? -1 : v.num > dd;
        } else if (v.type == MENU_T_MONEY && parse_i64(w, strlen(w), &x)) {
            cmp = v.num < x ? -1 : v.num > x; /* money compares in fen */
        } else if (parse_i64(w, strlen(w), &x)) {
            cmp = v.num < x ? -1 : v.num > x;
        } else if (v.type == MENU_T_BOOL) {
            x = strcmp(w, "true") == 0 || strcmp(w, "yes") == 0;
            cmp = v.num != x;
        } else {
            continue;
        }
        switch (c->op) {
        case MENU_OP_EQ:
        case MENU_OP_IN:
            if (cmp == 0)
                return true;
            break;
        case MENU_OP_NE: return cmp != 0;
        case MENU_OP_LT: return cmp < 0;
        case MENU_OP_GT: return cmp > 0;
        case MENU_OP_EMPTY: break;
        }
    }
    return false;
}

/* ----- screens ----- */

static void
nav_line(const struct menu_script *s, size_t li, const char *key, const char *name,
         const char *zh, const char *en, char *out, size_t n)
{
    snprintf(out, n, "%s.%s", key, menu_string_or(s, name, li, zh, en));
}

/* Renders the current node's page st->page into out. */
static void
render(const struct menu_script *s, const struct menu_state *st, struct menu_output *out)
{
    const struct menu_node *nd = &s->nodes[st->node];
    size_t li = st->lang;
    char body[MENU_PAGE_MAX * 2], pre[512], lines[MENU_PAGE_MAX * 2];
    struct mbuf bb = {body, 0, sizeof(body)}, pb = {pre, 0, sizeof(pre)},
                lb = {lines, 0, sizeof(lines)};
    body[0] = pre[0] = lines[0] = '\0';
    struct menu_screen scr;
    memset(&scr, 0, sizeof(scr));

    if (st->invalid) {
        const char *t = NULL;
        if (nd->type == MENU_NODE_INPUT && st->invalid == 1)
            t = menu_text_pick(s, &nd->validate.error, li);
        if (!t)
            t = menu_string_or(s, "invalid", li, "输入有误，请重新输入。",
                               "Invalid input, please try again.");
        menu_expand(s, st, li, t, &pb, NULL, NULL);
        scr.prefix = pre;
        scr.prefix_len = pb.len;
    }
    const struct menu_text *tx = &nd->text;
    if (st->channel == MENU_CH_SMS && nd->sms.present)
        tx = &nd->sms;
    const char *t = menu_text_pick(s, tx, li);
    if (t)
        menu_expand(s, st, li, t, &bb, NULL, NULL);
    scr.body = body;
    scr.body_len = bb.len;

    if (nd->type == MENU_NODE_MENU) {
        if (nd->items != MENU_NONE) {
            struct menu_view lv;
            int cnt = menu_var_view(s, st, nd->items, 0, &lv) ? (int)lv.num : 0;
            for (int k = 1; k <= cnt && k <= MENU_MAX_ITEMS && scr.n_lines < 64; k++) {
                struct menu_view iv;
                if (!menu_var_view(s, st, nd->items, (uint8_t)k, &iv))
                    continue;
                size_t at = lb.len;
                char key[16];
                snprintf(key, sizeof(key), "%d.", k);
                mbuf_puts(&lb, key);
                mbuf_put(&lb, iv.text, iv.len);
                scr.lines[scr.n_lines] = lines + at;
                scr.line_len[scr.n_lines++] = lb.len - at;
            }
        }
        for (size_t i = 0; i < nd->n_options && scr.n_lines < 64; i++) {
            const struct menu_option *o = &nd->options[i];
            if (o->when && !cond_true(s, st, o->when))
                continue;
            size_t at = lb.len;
            mbuf_puts(&lb, o->key);
            mbuf_put(&lb, ".", 1);
            const char *lt = menu_text_pick(s, &o->label, li);
            if (lt)
                menu_expand(s, st, li, lt, &lb, NULL, NULL);
            scr.lines[scr.n_lines] = lines + at;
            scr.line_len[scr.n_lines++] = lb.len - at;
        }
    }
    nav_line(s, li, s->nav_more, "more", "更多", "More", scr.more, sizeof(scr.more));
    if (nd->type != MENU_NODE_END)
        nav_line(s, li, s->nav_back, "back", "返回", "Back", scr.back, sizeof(scr.back));
    scr.back_first = st->n_hist > 0;
    out->kind = MENU_OUT_SCREEN;
    out->node = st->node;
    menu_paginate(st, &scr, st->page, out);
}

static void
error_screen(const struct menu_script *s, struct menu_state *st, int err, struct menu_output *out)
{
    const char *t = menu_string_or(s, "error", st->lang, "系统繁忙，请稍后再试。",
                                   "System busy, please try again later.");
    struct menu_screen scr;
    memset(&scr, 0, sizeof(scr));
    char body[1024];
    struct mbuf b = {body, 0, sizeof(body)};
    menu_expand(s, st, st->lang, t, &b, NULL, NULL);
    scr.body = body;
    scr.body_len = b.len;
    out->kind = MENU_OUT_SCREEN;
    menu_paginate(st, &scr, 0, out);
    out->final = true;
    out->error = err;
    out->node = st->node;
    st->status = MENU_ST_DONE;
}

/* Shows the current (waiting or end) node at st->page. */
static void
show(const struct menu_script *s, struct menu_state *st, struct menu_output *out)
{
    const struct menu_node *nd = &s->nodes[st->node];
    render(s, st, out);
    st->page = (uint16_t)out->page;
    st->invalid = 0;
    if (nd->type == MENU_NODE_END && out->page + 1 >= out->n_pages) {
        out->final = true;
        st->status = MENU_ST_DONE;
    } else {
        st->status = MENU_ST_WAIT_INPUT;
    }
}

static void
push_history(struct menu_state *st)
{
    if (st->n_hist == MENU_HISTORY) {
        memmove(st->hist, st->hist + 1, (MENU_HISTORY - 1) * sizeof(st->hist[0]));
        st->n_hist--;
    }
    st->hist[st->n_hist++] = st->node;
}

static void
set_value(const struct menu_script *s, struct menu_state *st, uint16_t var, enum menu_type type,
          int64_t num, const char *text, size_t len)
{
    if (var == MENU_VAR_LANG) {
        char l[MENU_LANG_LEN] = "";
        if (type == MENU_T_TEXT && len < sizeof(l)) {
            memcpy(l, text, len);
            l[len] = '\0';
        }
        int li = menu_script_lang(s, l);
        if (li >= 0)
            st->lang = (uint8_t)li;
        return;
    }
    (void)menu_slot_set(st, var, 0, type, num, text, len);
}

/* Runs from st->node through non-waiting nodes until a screen or an action. */
static void
run(const struct menu_script *s, struct menu_state *st, struct menu_output *out)
{
    for (int hops = 0;; hops++) {
        if (hops > s->max_hops) {
            error_screen(s, st, GY_ERANGE, out);
            return;
        }
        if (st->node >= s->n_nodes) {
            error_screen(s, st, GY_ENOTFOUND, out);
            return;
        }
        const struct menu_node *nd = &s->nodes[st->node];
        switch (nd->type) {
        case MENU_NODE_MENU:
        case MENU_NODE_INPUT:
        case MENU_NODE_INFO:
        case MENU_NODE_END:
            st->retries = (uint8_t)(st->invalid ? st->retries : 0);
            show(s, st, out);
            return;
        case MENU_NODE_ACTION: {
            out->kind = MENU_OUT_ACTION;
            out->action = nd->call;
            out->node = st->node;
            out->deadline_ms = nd->deadline_ms > 0 ? nd->deadline_ms : s->deadline_ms;
            out->n_args = 0;
            size_t used = 0;
            for (size_t i = 0; i < nd->n_args && i < MENU_MAX_ARGS; i++) {
                const struct menu_arg *a = &nd->args[i];
                struct menu_value *v = &out->args[out->n_args++];
                memset(v, 0, sizeof(*v));
                struct menu_view w = {.type = a->type, .num = a->num, .text = a->text,
                                      .len = a->text ? strlen(a->text) : 0};
                if (a->var != MENU_NONE) {
                    snprintf(v->name, sizeof(v->name), "%s", s->vars[a->var].name);
                    if (!menu_var_view(s, st, a->var, 0, &w))
                        w = (struct menu_view){.type = MENU_T_TEXT, .text = "", .len = 0};
                } else {
                    snprintf(v->name, sizeof(v->name), "arg%zu", i + 1);
                }
                switch (w.type) {
                case MENU_T_MONEY: v->type = MENU_VT_MONEY; v->num = w.num; break;
                case MENU_T_BOOL: v->type = MENU_VT_BOOL; v->num = w.num; break;
                case MENU_T_DATE:
                    v->type = MENU_VT_DATE;
                    v->date = gy_date_from_days((long)w.num);
                    break;
                case MENU_T_TEXT: {
                    v->type = MENU_VT_TEXT;
                    size_t l = w.len < sizeof(out->argtext) - used - 1 ? w.len
                                                                       : sizeof(out->argtext) - used - 1;
                    memcpy(out->argtext + used, w.text ? w.text : "", l);
                    out->argtext[used + l] = '\0';
                    v->text = out->argtext + used;
                    used += l + 1;
                    break;
                }
                default: v->type = MENU_VT_INT; v->num = w.num; break;
                }
            }
            st->status = MENU_ST_WAIT_ACTION;
            return;
        }
        case MENU_NODE_ROUTER: {
            uint16_t next = nd->def;
            for (size_t i = 0; i < nd->n_routes; i++)
                if (cond_true(s, st, &nd->routes[i])) {
                    next = nd->routes[i].next;
                    break;
                }
            st->node = next;
            break;
        }
        case MENU_NODE_SET:
            for (size_t i = 0; i < nd->n_assigns; i++) {
                const struct menu_assign *a = &nd->assigns[i];
                if (a->type == MENU_T_TEXT) {
                    char buf[512];
                    struct mbuf b = {buf, 0, sizeof(buf)};
                    buf[0] = '\0';
                    menu_expand(s, st, st->lang, a->text, &b, NULL, NULL);
                    set_value(s, st, a->var, MENU_T_TEXT, 0, buf, b.len);
                } else {
                    set_value(s, st, a->var, a->type, a->num, NULL, 0);
                }
            }
            st->node = nd->next;
            break;
        }
    }
}

/* Goes forward from a waiting node to target. */
static void
forward(const struct menu_script *s, struct menu_state *st, uint16_t target, struct menu_output *out)
{
    push_history(st);
    st->node = target;
    st->page = 0;
    st->retries = 0;
    st->invalid = 0;
    run(s, st, out);
}

/* ----- validation ----- */

static bool
validate(const struct menu_validate *v, const char *t, size_t len, struct gy_date today,
         enum menu_type *type, int64_t *num)
{
    *type = MENU_T_TEXT;
    *num = 0;
    if (len == 0)
        return false;
    size_t chars = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)t[i] & 0xC0) != 0x80)
            chars++;
    if (v->min_len && chars < (size_t)v->min_len)
        return false;
    if (v->max_len && chars > (size_t)v->max_len)
        return false;
    if (v->flags & MENU_V_DIGITS)
        for (size_t i = 0; i < len; i++)
            if (t[i] < '0' || t[i] > '9')
                return false;
    if (v->flags & MENU_V_INT) {
        int64_t x;
        if (!parse_i64(t, len, &x) || x < v->min || x > v->max)
            return false;
        *type = MENU_T_INT;
        *num = x;
    }
    if ((v->flags & MENU_V_REGEX) && (!v->re_ok || regexec(&v->re, t, 0, NULL, 0) != 0))
        return false;
    if ((v->flags & MENU_V_IDNUM) && gy_idnum_check(t, &today, NULL) != GY_IDNUM_OK)
        return false;
    if (v->flags & MENU_V_DATE) {
        char d[16];
        if (len == 8) {
            snprintf(d, sizeof(d), "%.4s-%.2s-%.2s", t, t + 4, t + 6);
        } else if (len == 10) {
            memcpy(d, t, 10);
            d[10] = '\0';
        } else {
            return false;
        }
        struct gy_date gd;
        if (gy_date_parse(d, &gd) != 0)
            return false;
        *type = MENU_T_DATE;
        *num = gy_date_to_days(gd);
    }
    return true;
}

/* ----- inputs ----- */

static void
invalid(const struct menu_script *s, struct menu_state *st, struct menu_output *out)
{
    st->invalid = 2;
    show(s, st, out);
}

static void
on_text(const struct menu_script *s, struct menu_state *st, const struct menu_input *in,
        struct menu_output *out)
{
    char t[512];
    size_t len = normalise(in->text ? in->text : "", in->text ? in->len : 0, t, sizeof(t));
    const struct menu_node *nd = &s->nodes[st->node];
    struct menu_output probe;

    if (key_eq(t, s->nav_home)) {
        st->n_hist = 0;
        st->node = s->start;
        st->page = 0;
        st->invalid = 0;
        run(s, st, out);
        return;
    }
    if (key_eq(t, s->nav_back) && nd->type != MENU_NODE_END) {
        st->invalid = 0;
        if (st->page > 0) {
            st->page--;
        } else if (st->n_hist > 0) {
            st->node = st->hist[--st->n_hist];
            st->page = 0;
        }
        show(s, st, out);
        return;
    }
    if (key_eq(t, s->nav_more)) {
        render(s, st, &probe);
        if (st->page + 1 < probe.n_pages) {
            st->page++;
            show(s, st, out);
            return;
        }
        if (nd->type == MENU_NODE_INFO && nd->next != MENU_NONE) {
            forward(s, st, nd->next, out);
            return;
        }
        if (nd->type != MENU_NODE_INPUT) {
            invalid(s, st, out);
            return;
        }
    }
    switch (nd->type) {
    case MENU_NODE_MENU: {
        if (nd->items != MENU_NONE) {
            struct menu_view lv;
            int cnt = menu_var_view(s, st, nd->items, 0, &lv) ? (int)lv.num : 0;
            int64_t k;
            if (parse_i64(t, len, &k) && k >= 1 && k <= cnt && k <= MENU_MAX_ITEMS) {
                /* the chosen item's values become plain variables */
                struct menu_state copy = *st;
                for (int i = 0; i < copy.n_slots; i++) {
                    const struct menu_slot *sl = &copy.slots[i];
                    if (sl->item != (uint8_t)k || sl->var == nd->items)
                        continue;
                    (void)menu_slot_set(st, sl->var, 0, (enum menu_type)sl->type, sl->num,
                                        copy.arena + sl->off, sl->len);
                }
                struct menu_view iv;
                if (nd->save != MENU_NONE && menu_var_view(s, st, nd->items, (uint8_t)k, &iv)) {
                    char lab[256];
                    size_t l = iv.len < sizeof(lab) ? iv.len : sizeof(lab) - 1;
                    memcpy(lab, iv.text, l);
                    set_value(s, st, nd->save, MENU_T_TEXT, 0, lab, l);
                }
                forward(s, st, nd->next, out);
                return;
            }
        }
        for (size_t i = 0; i < nd->n_options; i++) {
            const struct menu_option *o = &nd->options[i];
            if (o->when && !cond_true(s, st, o->when))
                continue;
            if (key_eq(t, o->key)) {
                if (nd->save != MENU_NONE && nd->items == MENU_NONE)
                    set_value(s, st, nd->save, MENU_T_TEXT, 0, o->key, strlen(o->key));
                forward(s, st, o->next, out);
                return;
            }
        }
        invalid(s, st, out);
        return;
    }
    case MENU_NODE_INPUT: {
        enum menu_type ty;
        int64_t num;
        if (validate(&nd->validate, t, len, in->today, &ty, &num)) {
            if (nd->save != MENU_NONE)
                set_value(s, st, nd->save, ty, num, t, len);
            forward(s, st, nd->next, out);
            return;
        }
        if (++st->retries > nd->validate.retries) {
            uint16_t target = nd->validate.on_fail != MENU_NONE ? nd->validate.on_fail : s->start;
            st->n_hist = target == s->start ? 0 : st->n_hist;
            st->node = target;
            st->page = 0;
            st->retries = 0;
            st->invalid = 2;
            run(s, st, out);
            return;
        }
        st->invalid = 1;
        show(s, st, out);
        return;
    }
    case MENU_NODE_INFO:
        if (nd->next != MENU_NONE) {
            forward(s, st, nd->next, out);
            return;
        }
        invalid(s, st, out);
        return;
    case MENU_NODE_END:
        /* an end screen of several pages: only more turns them */
        show(s, st, out);
        return;
    default:
        error_screen(s, st, GY_ESTATE, out);
        return;
    }
}

static const char *
err_code(int err)
{
    switch (err) {
    case GY_ENOTFOUND: return "unregistered";
    case GY_EINVAL: return "invalid";
    case GY_EBUSY: return "timeout";
    default: return "failed";
    }
}

static enum menu_type
vtype(enum menu_vtype t)
{
    switch (t) {
    case MENU_VT_INT: return MENU_T_INT;
    case MENU_VT_MONEY: return MENU_T_MONEY;
    case MENU_VT_DATE: return MENU_T_DATE;
    case MENU_VT_TEXT: return MENU_T_TEXT;
    case MENU_VT_BOOL: return MENU_T_BOOL;
    case MENU_VT_LIST: return MENU_T_LIST;
    }
    return MENU_T_NONE;
}

static void
store_value(const struct menu_script *s, struct menu_state *st, const struct menu_value *v,
            uint16_t var, uint8_t item)
{
    enum menu_type t = vtype(v->type);
    int64_t num = v->num;
    if (t == MENU_T_DATE)
        num = gy_date_to_days(v->date);
    if (var == MENU_VAR_LANG && item == 0) {
        if (v->text && v->text[0])
            set_value(s, st, var, MENU_T_TEXT, 0, v->text, strlen(v->text));
        return;
    }
    (void)menu_slot_set(st, var, item, t, num, v->text, v->text ? strlen(v->text) : 0);
}

static void
store_list(const struct menu_script *s, struct menu_state *st, const struct menu_value *v,
           uint16_t var)
{
    /* forget an earlier list of that name and its items */
    size_t nl = strlen(s->vars[var].name);
    for (int i = st->n_slots - 1; i >= 0; i--) {
        const struct menu_slot *sl = &st->slots[i];
        if (sl->item == 0 || sl->var >= s->n_vars)
            continue;
        const char *vn = s->vars[sl->var].name;
        if (sl->var == var || (strncmp(vn, s->vars[var].name, nl) == 0 && vn[nl] == '.'))
            menu_slot_del(st, i);
    }
    size_t cnt = v->n_items < MENU_MAX_ITEMS ? v->n_items : MENU_MAX_ITEMS;
    (void)menu_slot_set(st, var, 0, MENU_T_LIST, (int64_t)cnt, NULL, 0);
    for (size_t k = 0; k < cnt; k++) {
        const struct menu_item *it = &v->items[k];
        const char *lab = it->label ? it->label : "";
        (void)menu_slot_set(st, var, (uint8_t)(k + 1), MENU_T_TEXT, 0, lab, strlen(lab));
        for (size_t j = 0; j < it->values.n; j++) {
            char full[2 * MENU_VALUE_NAME_LEN + 2];
            snprintf(full, sizeof(full), "%s.%s", s->vars[var].name, it->values.v[j].name);
            int fv = menu_script_var(s, full);
            if (fv >= 0 && it->values.v[j].type != MENU_VT_LIST)
                store_value(s, st, &it->values.v[j], (uint16_t)fv, (uint8_t)(k + 1));
        }
    }
}

static void
on_result(const struct menu_script *s, struct menu_state *st, const struct menu_input *in,
          struct menu_output *out)
{
    const struct menu_node *nd = &s->nodes[st->node];
    if (in->kind == MENU_IN_RESULT && in->err == 0) {
        const struct menu_values *vals = in->values;
        st->gen = (uint8_t)(st->gen % 15 + 1);
        st->storing = st->gen;
        for (size_t i = 0; vals && i < vals->n; i++) {
            const struct menu_value *v = &vals->v[i];
            int vi = menu_script_var(s, v->name);
            if (vi < 0)
                continue;
            if (v->type == MENU_VT_LIST)
                store_list(s, st, v, (uint16_t)vi);
            else
                store_value(s, st, v, (uint16_t)vi, 0);
        }
        st->storing = 0;
        st->node = nd->on_ok;
    } else {
        const char *code = in->kind == MENU_IN_TIMEOUT ? "timeout"
                           : in->err_code && in->err_code[0] ? in->err_code
                                                              : err_code(in->err);
        (void)menu_slot_set(st, MENU_VAR_ERROR, 0, MENU_T_TEXT, 0, code, strlen(code));
        st->node = nd->on_error;
    }
    st->page = 0;
    run(s, st, out);
}

int
menu_step(const struct menu_script *s, struct menu_state *st, const struct menu_input *in,
          struct menu_output *out)
{
    if (!s || !st || !in || !out)
        return GY_EINVAL;
    out->kind = MENU_OUT_NONE;
    out->text[0] = '\0';
    out->len = 0;
    out->final = false;
    out->error = 0;
    out->page = 0;
    out->n_pages = 0;
    out->units = 0;
    out->n_args = 0;
    out->action = NULL;
    switch (in->kind) {
    case MENU_IN_START: {
        if (st->status != MENU_ST_NEW)
            return GY_ESTATE;
        char args[256];
        const char *a = "";
        int e = menu_script_find_entry(s, st->channel == MENU_CH_SMS, in->text ? in->text : "",
                                       in->text ? in->len : 0, args, sizeof(args), &a);
        if (e < 0)
            return GY_ENOTFOUND;
        const struct menu_entry *en = &s->entries[e];
        if (en->args != MENU_NONE && a[0])
            set_value(s, st, en->args, MENU_T_TEXT, 0, a, strlen(a));
        st->node = en->node;
        st->n_hist = 0;
        st->page = 0;
        run(s, st, out);
        /* "JF 123456": arguments answer an input node the entry leads to */
        if (a[0] && st->status == MENU_ST_WAIT_INPUT && st->node == en->node &&
            s->nodes[st->node].type == MENU_NODE_INPUT) {
            struct menu_input t = *in;
            t.kind = MENU_IN_TEXT;
            t.text = a;
            t.len = strlen(a);
            on_text(s, st, &t, out);
        }
        return 0;
    }
    case MENU_IN_TEXT:
        if (st->status != MENU_ST_WAIT_INPUT || st->node >= s->n_nodes)
            return GY_ESTATE;
        on_text(s, st, in, out);
        return 0;
    case MENU_IN_RESULT:
        if (st->status != MENU_ST_WAIT_ACTION || st->node >= s->n_nodes)
            return GY_ESTATE;
        on_result(s, st, in, out);
        return 0;
    case MENU_IN_TIMEOUT:
        if (st->status == MENU_ST_WAIT_ACTION && st->node < s->n_nodes) {
            on_result(s, st, in, out);
            return 0;
        }
        if (st->status != MENU_ST_WAIT_INPUT)
            return GY_ESTATE;
        {
            const char *t = menu_string_or(s, "timeout", st->lang, "会话已超时。",
                                           "Session timed out.");
            struct menu_screen scr;
            memset(&scr, 0, sizeof(scr));
            scr.body = t;
            scr.body_len = strlen(t);
            out->kind = MENU_OUT_SCREEN;
            menu_paginate(st, &scr, 0, out);
            out->final = true;
            out->node = st->node;
            st->status = MENU_ST_DONE;
        }
        return 0;
    }
    return GY_EINVAL;
}
