/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_engine_vars: the variable slots of a struct menu_state and its text arena (store,
 * find, delete, compact, evict the oldest action result), the public state helpers, and
 * the storage of action results (values and lists of items) into slots. No navigation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "menus/menu_engine.h"
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
        if (len > MENU_ARENA / 2) {
            len = MENU_ARENA / 2;
            /* text[len] is the first octet left out: cut between characters. Only when
             * cutting: text[len] of a whole text is past its end. */
            while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
                len--;
        }
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
    st->ussd_octets =
        (uint16_t)(ussd_octets > 0 && ussd_octets < s->ussd_octets ? ussd_octets : s->ussd_octets);
    st->sms_segments =
        (uint8_t)(sms_segments > 0 && sms_segments < s->sms_segments ? sms_segments
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
             st->node < s->n_nodes ? s->nodes[st->node].id : "-", st->page, menu_state_lang(s, st),
             st->status < 4 ? stn[st->status] : "?", st->n_hist);
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

void
menu_set_value(const struct menu_script *s, struct menu_state *st, uint16_t var,
               enum menu_type type, int64_t num, const char *text, size_t len)
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

static enum menu_type
vtype(enum menu_vtype t)
{
    switch (t) {
    case MENU_VT_INT:
        return MENU_T_INT;
    case MENU_VT_MONEY:
        return MENU_T_MONEY;
    case MENU_VT_DATE:
        return MENU_T_DATE;
    case MENU_VT_TEXT:
        return MENU_T_TEXT;
    case MENU_VT_BOOL:
        return MENU_T_BOOL;
    case MENU_VT_LIST:
        return MENU_T_LIST;
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
            menu_set_value(s, st, var, MENU_T_TEXT, 0, v->text, strlen(v->text));
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

/* ----- action results ----- */

void
menu_store_values(const struct menu_script *s, struct menu_state *st,
                  const struct menu_values *vals)
{
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
}
