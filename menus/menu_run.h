/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_run: the driver between the pure engine and the world. It steps the engine with the
 * worker's input, runs each action the engine asks for through the set's action registry
 * (with the database, today's date, the worker's number and the session language), feeds
 * the result back, and stops at the first screen. It enforces each action's deadline
 * (SQLite is interrupted once the deadline passes, and a late result counts as a failure
 * with the error code "timeout"). A session holds a reference to the set it started on, so
 * that it finishes on that version whatever reloads happen meanwhile. */
#ifndef MENU_RUN_H
#define MENU_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "base/gy_date.h"
#include "locale/text_encode.h"
#include "menus/menu_engine.h"

struct db;
struct menu_set; /* menus/menu_set.h */

/* What the actions of one step may use. Owned by the caller; only read. */
struct menu_run_env {
    struct db *db;        /* the database the actions read and write */
    struct gy_date today; /* gy_date_today(); also validates dates and ID numbers */
    const char *msisdn;   /* the worker's number, international form without '+' */
    int deadline_ms;      /* cap on every action's deadline (0: the script's deadlines) */
    int ussd_octets;      /* USSD page budget of the bind in octets (0: the script's) */
    bool ussd_gsm_unpacked; /* the bind sends USSD GSM 7-bit one septet per octet */
};

/* One dialog. Zero it before the first start (or after menu_session_end()). Plain data
 * besides the set reference: about 1.8 KB. */
struct menu_session {
    struct menu_set *set; /* the version this session runs on (a reference); NULL: over */
    struct menu_state state;
};

#define MENU_RUN_TEXT_MAX MENU_PAGE_MAX

/* The screen a step ends on. */
struct menu_run_reply {
    char text[MENU_RUN_TEXT_MAX]; /* the page as the phone shows it, UTF-8, NUL-terminated */
    size_t len;
    bool final;              /* the session ended with this screen (USSD: PSSR response) */
    enum text_coding coding; /* GSM 7-bit when every character fits, else UCS-2 */
    size_t units;            /* septets or UTF-16 units of the page */
    size_t octets;           /* encoded size: septets packed (GSM) or 2 per unit (UCS-2) */
    int page, pages;         /* 1-based page of the screen, and its page count */
    int error;               /* 0, or the GY_E* behind an engine error screen */
    unsigned actions;        /* actions run during the step */
    unsigned late;           /* of those, how many passed their deadline */
};

/* Starts a session on set for the entry point text on channel ch: a USSD code ("*188#") or
 * an SMS with its keyword and arguments ("JF", "积分 123"); lang is the worker's language
 * ("zh", "en") or NULL for the script default. When an entry matches, whatever session was
 * in *ss ends, *ss takes a reference to set and runs to the first screen: returns 0 with
 * *reply filled (a final reply ends the session again at once). Returns GY_ENOTFOUND when
 * no entry point matches (*ss untouched; the caller answers with its own text), GY_EINVAL. */
int menu_run_start(struct menu_session *ss, struct menu_set *set, enum menu_channel ch,
                   const char *text, const char *lang, const struct menu_run_env *env,
                   struct menu_run_reply *reply);

/* Feeds what the worker typed to the session's screen. Returns 0 with *reply filled (a
 * final reply ends the session); GY_ESTATE when the session is over; GY_EINVAL. */
int menu_run_input(struct menu_session *ss, const char *text, const struct menu_run_env *env,
                   struct menu_run_reply *reply);

/* Tells the session that the worker did not answer its screen in time. Returns as
 * menu_run_input() (the script decides what a timeout shows; usually a final screen). */
int menu_run_timeout(struct menu_session *ss, const struct menu_run_env *env,
                     struct menu_run_reply *reply);

/* Ends the session without a screen (abort, expiry, shutdown) and drops its set
 * reference. Safe on an ended or zeroed session. */
void menu_session_end(struct menu_session *ss);

/* 1 while the session waits for the worker. */
bool menu_session_active(const struct menu_session *ss);

#endif
