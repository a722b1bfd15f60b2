/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_engine: the pure step function. Walks router/set/action nodes up to the script's
 * hop limit, stops at a screen (menu, input, info, end) or an action request, handles the
 * navigation keys (more, back over a bounded history, home), validation with retries and
 * the invalid-input re-show. Slots: menu_engine_vars.c; checks: menu_engine_input.c.
 * No I/O, no clock, no logging. */
#include "menus/menu_engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "base/gy_str.h"
#include "menus/menu_engine_int.h"

/* ----- screens ----- */

static void
nav_line(const struct menu_script *s, size_t li, const char *key, const char *name, const char *zh,
         const char *en, char *out, size_t n)
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
            if (o->when && !menu_cond_true(s, st, o->when))
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
                struct menu_view w = {.type = a->type,
                                      .num = a->num,
                                      .text = a->text,
                                      .len = a->text ? strlen(a->text) : 0};
                if (a->var != MENU_NONE) {
                    gy_strlcpy(v->name, sizeof(v->name), s->vars[a->var].name);
                    if (!menu_var_view(s, st, a->var, 0, &w))
                        w = (struct menu_view){.type = MENU_T_TEXT, .text = "", .len = 0};
                } else {
                    snprintf(v->name, sizeof(v->name), "arg%zu", i + 1);
                }
                switch (w.type) {
                case MENU_T_MONEY:
                    v->type = MENU_VT_MONEY;
                    v->num = w.num;
                    break;
                case MENU_T_BOOL:
                    v->type = MENU_VT_BOOL;
                    v->num = w.num;
                    break;
                case MENU_T_DATE:
                    v->type = MENU_VT_DATE;
                    v->date = gy_date_from_days((long)w.num);
                    break;
                case MENU_T_TEXT: {
                    v->type = MENU_VT_TEXT;
                    size_t l = w.len < sizeof(out->argtext) - used - 1
                                   ? w.len
                                   : sizeof(out->argtext) - used - 1;
                    memcpy(out->argtext + used, w.text ? w.text : "", l);
                    out->argtext[used + l] = '\0';
                    v->text = out->argtext + used;
                    used += l + 1;
                    break;
                }
                default:
                    v->type = MENU_VT_INT;
                    v->num = w.num;
                    break;
                }
            }
            st->status = MENU_ST_WAIT_ACTION;
            return;
        }
        case MENU_NODE_ROUTER: {
            uint16_t next = nd->def;
            for (size_t i = 0; i < nd->n_routes; i++)
                if (menu_cond_true(s, st, &nd->routes[i])) {
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
                    menu_set_value(s, st, a->var, MENU_T_TEXT, 0, buf, b.len);
                } else {
                    menu_set_value(s, st, a->var, a->type, a->num, NULL, 0);
                }
            }
            st->node = nd->next;
            break;
        }
    }
}

/* Goes forward from a waiting node to target. */
static void
forward(const struct menu_script *s, struct menu_state *st, uint16_t target,
        struct menu_output *out)
{
    push_history(st);
    st->node = target;
    st->page = 0;
    st->retries = 0;
    st->invalid = 0;
    run(s, st, out);
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
    size_t len =
        menu_input_normalise(in->text ? in->text : "", in->text ? in->len : 0, t, sizeof(t));
    const struct menu_node *nd = &s->nodes[st->node];
    struct menu_output probe;

    if (menu_key_eq(t, s->nav_home)) {
        st->n_hist = 0;
        st->node = s->start;
        st->page = 0;
        st->invalid = 0;
        run(s, st, out);
        return;
    }
    if (menu_key_eq(t, s->nav_back) && nd->type != MENU_NODE_END) {
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
    if (menu_key_eq(t, s->nav_more)) {
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
            if (menu_parse_i64(t, len, &k) && k >= 1 && k <= cnt && k <= MENU_MAX_ITEMS) {
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
                    menu_set_value(s, st, nd->save, MENU_T_TEXT, 0, lab, l);
                }
                forward(s, st, nd->next, out);
                return;
            }
        }
        for (size_t i = 0; i < nd->n_options; i++) {
            const struct menu_option *o = &nd->options[i];
            if (o->when && !menu_cond_true(s, st, o->when))
                continue;
            if (menu_key_eq(t, o->key)) {
                if (nd->save != MENU_NONE && nd->items == MENU_NONE)
                    menu_set_value(s, st, nd->save, MENU_T_TEXT, 0, o->key, strlen(o->key));
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
        if (menu_input_validate(&nd->validate, t, len, in->today, &ty, &num)) {
            if (nd->save != MENU_NONE)
                menu_set_value(s, st, nd->save, ty, num, t, len);
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
    case GY_ENOTFOUND:
        return "unregistered";
    case GY_EINVAL:
        return "invalid";
    case GY_EBUSY:
        return "timeout";
    default:
        return "failed";
    }
}

static void
on_result(const struct menu_script *s, struct menu_state *st, const struct menu_input *in,
          struct menu_output *out)
{
    const struct menu_node *nd = &s->nodes[st->node];
    if (in->kind == MENU_IN_RESULT && in->err == 0) {
        menu_store_values(s, st, in->values);
        st->node = nd->on_ok;
    } else {
        const char *code = in->kind == MENU_IN_TIMEOUT       ? "timeout"
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
            menu_set_value(s, st, en->args, MENU_T_TEXT, 0, a, strlen(a));
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
            const char *t =
                menu_string_or(s, "timeout", st->lang, "会话已超时。", "Session timed out.");
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
