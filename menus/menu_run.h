/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_run: the driver between the pure engine and the world. It steps the engine with the
 * worker's input, runs each action the engine asks for through the action registry (with
 * the database, today's date, the worker's number and language), feeds the result back, and
 * stops at the first screen. It enforces each action's deadline (SQLite is interrupted once
 * the deadline passes, and a late result counts as an error). It keeps no state of its own:
 * the session state and the set reference belong to the caller. */
#ifndef MENU_RUN_H
#define MENU_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "base/gy_date.h"

struct db;
struct menu_set;   /* menus/menu_set.h */
struct menu_state; /* menus/menu_engine.h */

/* The channel a session runs on; it sets the page budget. */
enum menu_run_channel {
    MENU_RUN_USSD = 0, /* one USSD string of 160 octets per page */
    MENU_RUN_SMS,      /* the script's SMS segment budget per reply */
};

/* What the actions of one step may use. Owned by the caller; only read. */
struct menu_run_env {
    struct db *db;        /* the database the actions read and write */
    struct gy_date today; /* gy_date_today() */
    const char *msisdn;   /* the worker's number, international form without '+' */
    long long now_ms;     /* monotonic milliseconds, passed to the engine */
    unsigned deadline_ms; /* deadline of an action whose node sets none (0: 3000) */
};

#define MENU_RUN_TEXT_MAX 1600 /* one reply: a USSD page or an SMS of up to 10 segments */

/* The screen a step ends on. */
struct menu_run_reply {
    char text[MENU_RUN_TEXT_MAX]; /* the page as the phone shows it, UTF-8 */
    size_t len;
    bool final;      /* the session ends with this screen (USSD: PSSR response) */
    unsigned page;   /* 1-based page of a paginated screen */
    unsigned pages;  /* pages of that screen (1 when not paginated) */
    unsigned hops;   /* non-waiting hops taken by the step (routers, sets, actions) */
    unsigned actions;  /* actions run by the step */
    unsigned late;     /* actions that passed their deadline (fed back as errors) */
};

/* Starts a session: state is initialised (any previous content overwritten) for the entry
 * point text on channel (a USSD code "*188#" or an SMS with its keyword and arguments
 * "JF", "积分 123"), with lang the worker's language or NULL for the script default. Returns
 * 0 with *reply filled; GY_ENOTFOUND when no entry point of the set matches (reply holds
 * nothing; the caller answers with its own text); GY_EINVAL for bad arguments. */
int menu_run_start(const struct menu_set *set, enum menu_run_channel channel, const char *text,
                   const char *lang, const struct menu_run_env *env, struct menu_state *state,
                   struct menu_run_reply *reply);

/* Feeds what the worker typed to a session waiting on a screen. Returns 0 with *reply
 * filled; GY_ESTATE when the session already ended; GY_EINVAL. */
int menu_run_input(const struct menu_set *set, struct menu_state *state, const char *text,
                   const struct menu_run_env *env, struct menu_run_reply *reply);

/* Tells a waiting session that the worker did not answer in time. Returns as
 * menu_run_input(). */
int menu_run_timeout(const struct menu_set *set, struct menu_state *state,
                     const struct menu_run_env *env, struct menu_run_reply *reply);

#endif
