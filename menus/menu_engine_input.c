/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_engine_input: the engine's checks on what the user typed and on the state:
 * normalisation of input (full-width folding, trimming), navigation key matching,
 * conditions of options and routes, and validation of input nodes. Pure functions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_idnum.h"
#include "menus/menu_engine.h"
#include "menus/menu_engine_int.h"

/* ----- input normalisation ----- */

/* Trims, folds full-width ASCII (U+FF01..FF5E) and U+3000. Writes NUL-terminated. */
size_t
menu_input_normalise(const char *in, size_t len, char *out, size_t n)
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
    while (o > a &&
           (out[o - 1] == ' ' || out[o - 1] == '\t' || out[o - 1] == '\r' || out[o - 1] == '\n'))
        o--;
    memmove(out, out + a, o - a);
    out[o - a] = '\0';
    return o - a;
}

bool
menu_key_eq(const char *a, const char *b)
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

bool
menu_parse_i64(const char *t, size_t len, int64_t *out)
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

bool
menu_cond_true(const struct menu_script *s, const struct menu_state *st, const struct menu_cond *c)
{
    struct menu_view v;
    bool set = menu_var_view(s, st, c->var, 0, &v);
    if (c->op == MENU_OP_EMPTY) {
        bool empty =
            !set || (v.type == MENU_T_TEXT && v.len == 0) || (v.type == MENU_T_LIST && v.num == 0);
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
        } else if (v.type == MENU_T_MONEY && menu_parse_i64(w, strlen(w), &x)) {
            cmp = v.num < x ? -1 : v.num > x; /* money compares in fen */
        } else if (menu_parse_i64(w, strlen(w), &x)) {
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
        case MENU_OP_NE:
            return cmp != 0;
        case MENU_OP_LT:
            return cmp < 0;
        case MENU_OP_GT:
            return cmp > 0;
        case MENU_OP_EMPTY:
            break;
        }
    }
    return false;
}

/* ----- validation ----- */

bool
menu_input_validate(const struct menu_validate *v, const char *t, size_t len, struct gy_date today,
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
        if (!menu_parse_i64(t, len, &x) || x < v->min || x > v->max)
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
