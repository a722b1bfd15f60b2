/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_engine: the pure step function of the menu dialog. (script, state, input) -> output
 * + new state. No I/O, no database, no clock (today comes in the input), no logging. The
 * output is either a screen (one page, already paginated to the channel's budget counted
 * in encoded units, final or not) or a request to run a named action; the driver
 * (menu_run.h) runs the action and steps again with its result. The state is a plain,
 * fixed-size struct (memcpy copies it; under 2 KB). */
#ifndef MENU_ENGINE_H
#define MENU_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/gy_date.h"
#include "locale/text_encode.h"
#include "menus/menu_action.h"
#include "menus/menu_model.h"

enum menu_channel { MENU_CH_USSD = 0, MENU_CH_SMS };

#define MENU_HISTORY   8    /* back history depth (waiting screens) */
#define MENU_STATE_VARS 40  /* variable slots (list items use one slot per value) */
#define MENU_ARENA     1100 /* bytes for text values */
#define MENU_MAX_ITEMS 9    /* items of a list kept (one option each); < 16 (slot.item) */

enum menu_status {
    MENU_ST_NEW = 0,     /* menu_state_init() done; expects MENU_IN_START */
    MENU_ST_WAIT_INPUT,  /* a screen is shown; expects MENU_IN_TEXT or MENU_IN_TIMEOUT */
    MENU_ST_WAIT_ACTION, /* an action was requested; expects MENU_IN_RESULT or _TIMEOUT */
    MENU_ST_DONE,        /* a final screen was shown; the session is over */
};

/* One variable slot (internal layout; read with menu_state_get()). */
struct menu_slot {
    uint16_t var;  /* index in menu_script.vars */
    uint8_t type;  /* enum menu_type */
    uint8_t item : 4; /* 0: a plain variable; k: value of item k of a list */
    uint8_t gen : 4;  /* 0: set by the dialog (input, set); 1..15: action result, by age */
    uint16_t off, len; /* text in arena */
    int64_t num;
};

/* A session's position in the dialog. Plain data: copy with memcpy / assignment. */
struct menu_state {
    uint32_t version;    /* menu_script.version at init (for the driver's pinning checks) */
    uint16_t node;       /* current node */
    uint16_t page;       /* page shown (0-based) */
    uint16_t arena_used;
    uint8_t status;      /* enum menu_status */
    uint8_t channel;     /* enum menu_channel */
    uint8_t lang;        /* index in menu_script.langs */
    uint8_t retries;     /* invalid answers on the current node */
    uint8_t n_hist;
    uint8_t n_slots;
    uint8_t sms_segments;
    uint8_t invalid;     /* the screen to show carries the invalid/error prefix */
    uint8_t gen;         /* generation of the latest action result (1..15, cycling) */
    uint8_t storing;     /* non-zero while an action's results are stored (their gen) */
    uint8_t gsm_unpacked; /* USSD GSM 7-bit goes one septet per octet: ussd_octets septets */
    uint16_t ussd_octets;
    uint16_t hist[MENU_HISTORY];
    struct menu_slot slots[MENU_STATE_VARS];
    char arena[MENU_ARENA]; /* bytes past arena_used are never read: a state may be kept
                             * packed up to arena + arena_used and unpacked into zeroes */
};

/* A typed value as the engine hands it out (menu_state_get). text points into the state or
 * the script and stays valid until the state is stepped or changed again. */
struct menu_view {
    enum menu_type type;
    int64_t num;      /* INT, BOOL, MONEY (fen), DATE (days since 1970-01-01), LIST (items) */
    const char *text; /* TEXT (not NUL-terminated: use len), else NULL */
    size_t len;
};

/* Action results come back as the registry's value bag (struct menu_values of
 * menu_action.h). Values are stored under their names; a list `L` is stored with its items:
 * item k's label as the option text and each field F as variable `L.F` once the worker
 * picks item k. Values whose names the script never mentions are dropped. */

/* ----- Step ----- */

enum menu_in_kind {
    MENU_IN_START = 0, /* text: the dialled USSD code, or the whole SMS (keyword + args) */
    MENU_IN_TEXT,      /* text: what the worker typed */
    MENU_IN_RESULT,    /* err, err_code, values: the action's result */
    MENU_IN_TIMEOUT,   /* the worker or the action took too long */
};

struct menu_input {
    enum menu_in_kind kind;
    const char *text; /* UTF-8, len bytes */
    size_t len;
    int err;                 /* RESULT: 0 ok, else the action's GY_E* code */
    const char *err_code;    /* RESULT: code for the script's `error` variable, or NULL to
                              * derive it from err: GY_ENOTFOUND "unregistered", GY_EINVAL
                              * "invalid", GY_EBUSY "timeout", others "failed" */
    const struct menu_values *values; /* RESULT (ok): the values; may be NULL */
    struct gy_date today; /* for date and ID-number validation */
};

enum menu_out_kind { MENU_OUT_NONE = 0, MENU_OUT_SCREEN, MENU_OUT_ACTION };

#define MENU_PAGE_MAX 2048 /* bytes of one page of UTF-8 (SMS: 4 segments) */

struct menu_output {
    enum menu_out_kind kind;
    /* screen */
    char text[MENU_PAGE_MAX]; /* NUL-terminated UTF-8 of the page */
    size_t len;
    bool final;               /* the session ends with this screen (USSD: PSSR response) */
    enum text_coding coding;  /* GSM7 if every character fits, else UCS2 */
    size_t units;             /* septets or UTF-16 units of the page */
    int page, n_pages;        /* 0-based page and page count */
    int error;                /* 0, or the GY_E* behind an error screen (hop limit ...) */
    /* action */
    const char *action;       /* name (belongs to the script) */
    struct menu_value args[MENU_MAX_ARGS]; /* menu_action.h values; text points into
                                            * argtext below (valid with *out) */
    char argtext[512];
    size_t n_args;
    int deadline_ms;
    uint16_t node;            /* the node shown or the action node */
};

/* Prepares st for a new session on script s over channel ch, in language lang (a code
 * such as "en"; NULL or unknown: the script's default). ussd_octets / sms_segments of 0
 * take the script's limits; others are clamped to them. */
void menu_state_init(struct menu_state *st, const struct menu_script *s, enum menu_channel ch,
                     const char *lang, int ussd_octets, int sms_segments);

/* One step. Returns 0 with *out filled (a screen or an action request; error screens are
 * screens with out->error set, final), or without changing st: GY_ENOTFOUND (START: no
 * entry for that code or keyword: the caller answers with its own text), GY_ESTATE (an
 * input the status does not expect, e.g. TEXT after a final screen), GY_EINVAL. */
int menu_step(const struct menu_script *s, struct menu_state *st, const struct menu_input *in,
              struct menu_output *out);

/* Reads variable name (item 0) from st. Returns 0 or GY_ENOTFOUND (unknown or unset). */
int menu_state_get(const struct menu_script *s, const struct menu_state *st, const char *name,
                   struct menu_view *out);
/* Language code of the session ("zh"). */
const char *menu_state_lang(const struct menu_script *s, const struct menu_state *st);

/* A one-line debug rendering of st for logs ("node=main page=0 lang=zh id6=****56 ...");
 * sensitive variables are masked. Writes at most n bytes (NUL-terminated); returns buf. */
char *menu_state_describe(const struct menu_script *s, const struct menu_state *st, char *buf,
                          size_t n);

/* Formats v as the worker sees it in language lang ("zh": ¥1,950 / 2027年6月14日; else
 * 1,950 yuan / 2027-06-14). Writes at most n bytes; returns the length (like snprintf). */
size_t menu_view_format(const struct menu_view *v, const char *lang, char *buf, size_t n);

#endif
