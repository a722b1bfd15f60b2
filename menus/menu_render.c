/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_render: texts of a screen: the language's template (with @string references),
 * ${var} expansion with money, dates and booleans formatted per language, and pagination
 * of a screen to the channel's budget counted in encoded units (GSM septets or UTF-16
 * units), never breaking an option line, with the more/back footer. Pure. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/gy_date.h"
#include "base/gy_err.h"
#include "locale/ussd_budget.h"
#include "menus/menu_engine_int.h"

void
mbuf_put(struct mbuf *b, const char *s, size_t n)
{
    if (b->len >= b->cap)
        return;
    size_t room = b->cap - 1 - b->len;
    if (n > room) {
        n = room;
        /* never end inside a UTF-8 sequence */
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void
mbuf_puts(struct mbuf *b, const char *s)
{
    mbuf_put(b, s, strlen(s));
}

const char *
menu_text_pick(const struct menu_script *s, const struct menu_text *t, size_t li)
{
    size_t order[MENU_MAX_LANGS + 2];
    size_t n = 0;
    order[n++] = li;
    order[n++] = s->default_lang;
    for (size_t i = 0; i < s->n_langs; i++)
        order[n++] = i;
    for (size_t k = 0; k < n; k++) {
        size_t i = order[k];
        if (i >= s->n_langs || !t->t[i])
            continue;
        if (t->ref[i] >= 0 && (size_t)t->ref[i] < s->n_strings) {
            /* a reference is read in the language asked for, with its own fallback */
            const struct menu_text *r = &s->strings[t->ref[i]].text;
            if (r == t)
                return NULL;
            return menu_text_pick(s, r, li);
        }
        if (t->t[i][0] == '@' && t->t[i][1] != '@')
            continue; /* unresolved reference: the linter reports it */
        return t->t[i];
    }
    return NULL;
}

const char *
menu_string_or(const struct menu_script *s, const char *name, size_t li, const char *dflt_zh,
               const char *dflt_en)
{
    int i = menu_script_string(s, name);
    if (i >= 0) {
        const char *t = menu_text_pick(s, &s->strings[i].text, li);
        if (t)
            return t;
    }
    return li < s->n_langs && strcmp(s->langs[li], "zh") == 0 ? dflt_zh : dflt_en;
}

static size_t
group_digits(uint64_t v, char *out)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof(tmp), "%" PRIu64, v);
    size_t o = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = tmp[i];
    }
    out[o] = '\0';
    return o;
}

size_t
menu_view_format(const struct menu_view *v, const char *lang, char *buf, size_t n)
{
    bool zh = lang && strcmp(lang, "zh") == 0;
    int r = 0;
    if (!buf || n == 0)
        return 0;
    switch (v->type) {
    case MENU_T_NONE: r = snprintf(buf, n, "%s", ""); break;
    case MENU_T_INT:
    case MENU_T_LIST: r = snprintf(buf, n, "%" PRId64, v->num); break;
    case MENU_T_BOOL: r = snprintf(buf, n, "%s", v->num ? (zh ? "是" : "yes") : (zh ? "否" : "no")); break;
    case MENU_T_MONEY: {
        uint64_t a = v->num < 0 ? (uint64_t)0 - (uint64_t)v->num : (uint64_t)v->num;
        char whole[40], cents[8] = "";
        group_digits(a / 100, whole);
        if (a % 100)
            snprintf(cents, sizeof(cents), ".%02u", (unsigned)(a % 100));
        if (zh)
            r = snprintf(buf, n, "%s¥%s%s", v->num < 0 ? "-" : "", whole, cents);
        else
            r = snprintf(buf, n, "%s%s%s yuan", v->num < 0 ? "-" : "", whole, cents);
        break;
    }
    case MENU_T_DATE: {
        struct gy_date d = gy_date_from_days((long)v->num);
        if (zh)
            r = snprintf(buf, n, "%d年%d月%d日", d.year, d.month, d.day);
        else
            r = snprintf(buf, n, "%04d-%02d-%02d", d.year, d.month, d.day);
        break;
    }
    case MENU_T_TEXT: r = snprintf(buf, n, "%.*s", (int)v->len, v->text ? v->text : ""); break;
    }
    return r < 0 ? 0 : (size_t)r;
}

void
menu_expand(const struct menu_script *s, const struct menu_state *st, size_t li, const char *tmpl,
            struct mbuf *b, int (*widths)(void *, uint16_t), void *wctx)
{
    const char *lang = li < s->n_langs ? s->langs[li] : "zh";
    for (const char *c = tmpl; c && *c;) {
        const char *d = strchr(c, '$');
        if (!d) {
            mbuf_puts(b, c);
            return;
        }
        mbuf_put(b, c, (size_t)(d - c));
        if (d[1] == '$') {
            mbuf_put(b, "$", 1);
            c = d + 2;
            continue;
        }
        const char *e = d[1] == '{' ? strchr(d + 2, '}') : NULL;
        if (!e) {
            mbuf_put(b, "$", 1);
            c = d + 1;
            continue;
        }
        size_t nl = (size_t)(e - d - 2);
        int vi = -1;
        for (size_t i = 0; i < s->n_vars; i++)
            if (strlen(s->vars[i].name) == nl && memcmp(s->vars[i].name, d + 2, nl) == 0)
                vi = (int)i;
        if (vi >= 0 && widths) {
            int w = widths(wctx, (uint16_t)vi);
            for (int k = 0; k < w; k++)
                mbuf_puts(b, "字");
        } else if (vi >= 0 && st) {
            struct menu_view v;
            if (menu_var_view(s, st, (uint16_t)vi, 0, &v)) {
                char tmp[MENU_ARENA + 64];
                size_t n = menu_view_format(&v, lang, tmp, sizeof(tmp));
                mbuf_put(b, tmp, n < sizeof(tmp) ? n : sizeof(tmp) - 1);
            }
        }
        c = e + 1;
    }
}

/* ----- budgets and pages ----- */

size_t
menu_budget(const struct menu_state *st, enum text_coding coding)
{
    bool gsm = coding == TEXT_CODING_GSM7;
    if (st->channel == MENU_CH_USSD)
        return gsm ? (st->gsm_unpacked ? (size_t)st->ussd_octets : (size_t)st->ussd_octets * 8 / 7)
                   : (size_t)st->ussd_octets / 2;
    unsigned segs = st->sms_segments ? st->sms_segments : 1;
    if (segs == 1)
        return gsm ? 160 : 70;
    return segs * (gsm ? 153u : 67u);
}

size_t
menu_units(const char *utf8, size_t len, enum text_coding coding)
{
    size_t units = 0;
    if (ussd_budget_measure(NULL, utf8, len, coding, &units, NULL) != 0)
        return (size_t)-1;
    return units;
}

struct piece {
    const char *p;
    size_t len;
    bool atomic;
};

/* Byte length of the longest prefix of p[0..len) within room units that ends at a break
 * (after 。，；、！？ or a space, or before a newline); 0 when there is none. *fit gets the
 * longest prefix regardless of breaks. */
static size_t
break_prefix(const char *p, size_t len, enum text_coding coding, size_t room, size_t *fit)
{
    size_t plen = 0, units = 0;
    if (ussd_budget_fit(NULL, p, len, coding, room, &plen, &units, NULL) != 0)
        plen = 0;
    *fit = plen;
    size_t best = 0;
    static const char *const marks[] = {"。", "，", "；", "、", "！", "？", "：", NULL};
    for (size_t i = 0; i < plen; i++) {
        if (p[i] == '\n') {
            best = i;
            continue;
        }
        if (p[i] == ' ' || ((p[i] == ',' || p[i] == '.' || p[i] == ';') &&
                            (i + 1 == len || p[i + 1] == ' '))) {
            best = i + 1;
            continue;
        }
        for (const char *const *m = marks; *m; m++) {
            size_t ml = strlen(*m);
            if (i + ml <= plen && memcmp(p + i, *m, ml) == 0)
                best = i + ml;
        }
    }
    return best;
}

/* Fills one page of at most cap units from pieces[*pi] at byte *off; appends to b when not
 * NULL. Advances *pi / *off past what was placed. */
static void
fill_page(const struct piece *pc, size_t n, enum text_coding coding, size_t cap, size_t *pi,
          size_t *off, struct mbuf *b)
{
    size_t used = 0;
    bool first = true;
    while (*pi < n) {
        const char *rest = pc[*pi].p + *off;
        size_t rl = pc[*pi].len - *off;
        if (*off > 0)
            while (rl && (*rest == '\n' || *rest == ' ')) {
                rest++;
                rl--;
                (*off)++;
            }
        if (rl == 0) {
            (*pi)++;
            *off = 0;
            continue;
        }
        size_t sep = first ? 0 : 1;
        size_t u = menu_units(rest, rl, coding);
        if (u != (size_t)-1 && used + sep + u <= cap) {
            if (b) {
                if (sep)
                    mbuf_put(b, "\n", 1);
                mbuf_put(b, rest, rl);
            }
            used += sep + u;
            (*pi)++;
            *off = 0;
            first = false;
            continue;
        }
        if ((pc[*pi].atomic && !first) || used + sep >= cap)
            break;
        size_t fit = 0;
        size_t cut = break_prefix(rest, rl, coding, cap - used - sep, &fit);
        if (pc[*pi].atomic || cut == 0) {
            if (!first)
                break;
            cut = fit; /* alone on the page: a hard cut */
        }
        if (cut == 0) {
            /* not even one character fits: place one to make progress */
            size_t k = 1;
            while (k < rl && ((unsigned char)rest[k] & 0xC0) == 0x80)
                k++;
            cut = k;
        }
        if (b) {
            if (sep)
                mbuf_put(b, "\n", 1);
            mbuf_put(b, rest, cut);
        }
        *off += cut;
        break;
    }
}

static size_t
footer(const struct menu_screen *scr, bool more, bool back, char *buf, size_t n)
{
    const char *b = back ? scr->back : "";
    int r = snprintf(buf, n, "%s%s%s", more ? scr->more : "", more && b[0] ? " " : "", b);
    return r < 0 ? 0 : (size_t)r;
}

void
menu_paginate(const struct menu_state *st, const struct menu_screen *scr, int page,
              struct menu_output *out)
{
    struct piece pc[66];
    size_t n = 0;
    if (scr->prefix_len)
        pc[n++] = (struct piece){scr->prefix, scr->prefix_len, false};
    if (scr->body_len)
        pc[n++] = (struct piece){scr->body, scr->body_len, false};
    for (size_t i = 0; i < scr->n_lines && n < 66; i++)
        pc[n++] = (struct piece){scr->lines[i], scr->line_len[i], true};

    /* The screen's coding: GSM when every piece and the footer fit it. */
    enum text_coding coding = TEXT_CODING_GSM7;
    char fm[160], fn[160];
    /* one page: back only with a history; several: room for more and back on every page */
    size_t fml = footer(scr, true, true, fm, sizeof(fm));
    size_t fnl = footer(scr, false, scr->back_first, fn, sizeof(fn));
    for (size_t i = 0; i < n; i++)
        if (menu_units(pc[i].p, pc[i].len, TEXT_CODING_GSM7) == (size_t)-1)
            coding = TEXT_CODING_UCS2;
    if (menu_units(fm, fml, TEXT_CODING_GSM7) == (size_t)-1)
        coding = TEXT_CODING_UCS2;
    size_t budget = menu_budget(st, coding);
    size_t fmu = menu_units(fm, fml, coding), fnu = menu_units(fn, fnl, coding);
    fmu = fmu == (size_t)-1 ? 0 : fmu + 1;
    fnu = fnl == 0 || fnu == (size_t)-1 ? 0 : fnu + 1;

    struct mbuf b = {out->text, 0, sizeof(out->text)};
    out->text[0] = '\0';
    size_t pi = 0, off = 0;
    int n_pages = 0;
    bool one = false;
    if (budget > fnu) {
        fill_page(pc, n, coding, budget - fnu, &pi, &off, NULL);
        one = pi >= n;
    }
    if (one) {
        pi = off = 0;
        fill_page(pc, n, coding, budget - fnu, &pi, &off, &b);
        if (fnl) {
            mbuf_put(&b, "\n", 1);
            mbuf_put(&b, fn, fnl);
        }
        n_pages = 1;
        page = 0;
    } else {
        size_t cap = budget > fmu + 8 ? budget - fmu : 8;
        /* pages before the one wanted, the wanted one, then count the rest */
        pi = off = 0;
        int k = 0;
        bool done = false;
        while (pi < n && k < 1000) {
            bool want = k == page;
            size_t pi0 = pi, off0 = off;
            fill_page(pc, n, coding, cap, &pi, &off, NULL);
            bool last = pi >= n;
            if (want || (last && k < page)) {
                b.len = 0;
                out->text[0] = '\0';
                size_t a = pi0, o = off0;
                fill_page(pc, n, coding, cap, &a, &o, &b);
                size_t l = footer(scr, !last, k > 0 || scr->back_first, fm, sizeof(fm));
                if (l) {
                    mbuf_put(&b, "\n", 1);
                    mbuf_put(&b, fm, l);
                }
                page = k;
                done = true;
            }
            k++;
        }
        (void)done;
        n_pages = k ? k : 1;
    }
    out->len = b.len;
    out->page = page;
    out->n_pages = n_pages;
    size_t u = menu_units(out->text, out->len, TEXT_CODING_GSM7);
    if (u != (size_t)-1) {
        out->coding = TEXT_CODING_GSM7;
        out->units = u;
    } else {
        out->coding = TEXT_CODING_UCS2;
        u = menu_units(out->text, out->len, TEXT_CODING_UCS2);
        out->units = u == (size_t)-1 ? 0 : u;
    }
}
