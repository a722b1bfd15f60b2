/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_set: loads and lints a directory of scripts off to the side into an immutable,
 * reference-counted set, and keeps the current set in a slot that a reload replaces whole,
 * only with a set free of errors. The action registry is only handed to the linter and
 * kept for the driver. No logging (callers log the report). */
#include "menus/menu_set.h"
#include "base/gy_err.h"
#include "menus/menu_lint.h"
#include "menus/menu_model.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct menu_set {
    unsigned refs;
    unsigned version;
    char *dir;
    struct menu_script *script;
    const struct menu_action_registry *reg;
    long load_us;
};

struct menu_set_slot {
    char *dir;
    const struct menu_action_registry *reg;
    int strict;
    struct menu_set *cur; /* the slot's reference, NULL before the first good load */
    unsigned last_version;
    unsigned refused;
};

void
menu_set_report_fini(struct menu_set_report *r)
{
    if (r == NULL)
        return;
    free(r->text);
    memset(r, 0, sizeof(*r));
}

/* ----- Sets ----- */

static long
elapsed_us(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (long)(t1.tv_sec - t0->tv_sec) * 1000000L + (t1.tv_nsec - t0->tv_nsec) / 1000;
}

/* The diagnostics as text for the report (errors first, as the linter orders them). */
static int
fill_report(struct menu_set_report *rep, const struct menu_diags *d)
{
    if (rep == NULL)
        return 0;
    rep->n_errors = d->n_errors;
    rep->n_warnings = d->n_warnings;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL)
        return GY_ENOMEM;
    menu_diags_print(d, f);
    if (fclose(f) != 0 || buf == NULL) {
        free(buf);
        return GY_ENOMEM;
    }
    rep->text = buf;
    return 0;
}

int
menu_set_load(const char *dir, const struct menu_action_registry *reg, unsigned version,
              int strict, struct menu_set **out, struct menu_set_report *report)
{
    *out = NULL;
    if (report != NULL)
        memset(report, 0, sizeof(*report));
    if (dir == NULL || reg == NULL)
        return GY_EINVAL;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct menu_lint_opts lo = {.registry = reg};
    struct menu_diags d = {0};
    struct menu_script *script = NULL;
    size_t errors = menu_lint_dir(dir, &lo, &d, &script);
    int rc = 0;
    if (errors > 0 || d.n_errors > 0 || script == NULL) {
        DIR *dh = opendir(dir);
        rc = dh == NULL ? GY_EIO : GY_EPARSE;
        if (dh != NULL)
            closedir(dh);
    }
    else if (strict && d.n_warnings > 0)
        rc = GY_EPARSE;
    struct menu_set *s = NULL;
    if (rc == 0) {
        s = calloc(1, sizeof(*s));
        if (s == NULL || (s->dir = strdup(dir)) == NULL) {
            free(s);
            s = NULL;
            rc = GY_ENOMEM;
        }
    }
    int frc = fill_report(report, &d);
    menu_diags_fini(&d);
    if (rc == 0 && frc != 0)
        rc = frc;
    if (rc != 0) {
        if (s != NULL) {
            free(s->dir);
            free(s);
        }
        menu_script_free(script);
        return rc;
    }
    s->refs = 1;
    s->version = version;
    s->script = script;
    s->reg = reg;
    s->load_us = elapsed_us(&t0);
    *out = s;
    return 0;
}

struct menu_set *
menu_set_ref(struct menu_set *s)
{
    if (s != NULL)
        s->refs++;
    return s;
}

void
menu_set_unref(struct menu_set *s)
{
    if (s == NULL || --s->refs > 0)
        return;
    menu_script_free(s->script);
    free(s->dir);
    free(s);
}

const struct menu_script *
menu_set_script(const struct menu_set *s)
{
    return s->script;
}

const struct menu_action_registry *
menu_set_registry(const struct menu_set *s)
{
    return s->reg;
}

unsigned
menu_set_version(const struct menu_set *s)
{
    return s->version;
}

const char *
menu_set_dir(const struct menu_set *s)
{
    return s->dir;
}

unsigned
menu_set_refs(const struct menu_set *s)
{
    return s->refs;
}

long
menu_set_load_us(const struct menu_set *s)
{
    return s->load_us;
}

/* ----- The slot ----- */

struct menu_set_slot *
menu_set_slot_new(const char *dir, const struct menu_action_registry *reg, int strict)
{
    if (dir == NULL || reg == NULL)
        return NULL;
    struct menu_set_slot *slot = calloc(1, sizeof(*slot));
    if (slot == NULL || (slot->dir = strdup(dir)) == NULL) {
        free(slot);
        return NULL;
    }
    slot->reg = reg;
    slot->strict = strict;
    return slot;
}

void
menu_set_slot_free(struct menu_set_slot *slot)
{
    if (slot == NULL)
        return;
    menu_set_unref(slot->cur);
    free(slot->dir);
    free(slot);
}

int
menu_set_slot_reload(struct menu_set_slot *slot, struct menu_set_report *report)
{
    struct menu_set *s = NULL;
    int rc = menu_set_load(slot->dir, slot->reg, slot->last_version + 1, slot->strict, &s,
                           report);
    if (rc != 0) {
        slot->refused++;
        return rc;
    }
    slot->last_version++;
    struct menu_set *old = slot->cur;
    slot->cur = s; /* the swap: new sessions take s from now on */
    menu_set_unref(old);
    return 0;
}

struct menu_set *
menu_set_slot_acquire(struct menu_set_slot *slot)
{
    return menu_set_ref(slot->cur);
}

const struct menu_set *
menu_set_slot_current(const struct menu_set_slot *slot)
{
    return slot->cur;
}

unsigned
menu_set_slot_refused(const struct menu_set_slot *slot)
{
    return slot->refused;
}
