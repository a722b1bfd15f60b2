/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_action: the registry of named C functions that menu scripts call (`action` nodes),
 * with typed argument and result specs (the linter checks names, argument counts and
 * result names against them), and the typed values they return (int, money in fen, date,
 * text, bool, and lists whose items become menu options). Actions wrap db/svc_*; the menu
 * engine itself never calls them (the driver does, with the context below). */
#ifndef MENU_ACTION_H
#define MENU_ACTION_H

#include "base/gy_date.h"

#include <stdbool.h>
#include <stddef.h>

struct db;

#define MENU_VALUE_NAME_LEN 32 /* longest value name + NUL ("threshold_example") */
#define MENU_ACTION_MAX_ARGS 4

enum menu_vtype {
    MENU_VT_INT,   /* num */
    MENU_VT_MONEY, /* num, in fen (render as ¥1,950 or ¥13.30) */
    MENU_VT_DATE,  /* date */
    MENU_VT_TEXT,  /* text (UTF-8) */
    MENU_VT_BOOL,  /* num 0 or 1 */
    MENU_VT_LIST,  /* items: each with a label and its own values (no nested lists) */
};

/* "int", "money", "date", "text", "bool", "list"; "?" for an unknown value. */
const char *menu_vtype_name(enum menu_vtype t);
/* Parses a name above. Returns 0 or GY_EINVAL. */
int menu_vtype_parse(const char *name, enum menu_vtype *out);

struct menu_item;

/* One named typed value. Text, items and item labels are owned by the bag holding it. */
struct menu_value {
    char name[MENU_VALUE_NAME_LEN];
    enum menu_vtype type;
    long long num;          /* INT, MONEY (fen), BOOL (0/1) */
    struct gy_date date;    /* DATE */
    char *text;             /* TEXT; never NULL for a TEXT value ("" when empty) */
    size_t n_items;         /* LIST */
    size_t cap_items;       /* LIST: room in items */
    struct menu_item *items;
};

/* A bag of named values (an action's result, or one list item's values). Zero it to
 * initialise; release with menu_values_fini(). Setting an existing name replaces it. */
struct menu_values {
    size_t n, cap;
    struct menu_value *v;
};

struct menu_item {
    char *label;              /* the option line without its key, in the context's language */
    struct menu_values values; /* the item's own values (e.g. a child's "eligible") */
};

void menu_values_fini(struct menu_values *vals); /* frees everything and zeroes; NULL ok */

/* Setters: name is copied (1..MENU_VALUE_NAME_LEN-1 bytes of [a-z0-9_]), text is copied.
 * Return 0, GY_EINVAL for a bad name, or GY_ENOMEM. */
int menu_values_set_int(struct menu_values *vals, const char *name, long long v);
int menu_values_set_money(struct menu_values *vals, const char *name, long long fen);
int menu_values_set_bool(struct menu_values *vals, const char *name, bool v);
int menu_values_set_date(struct menu_values *vals, const char *name, struct gy_date d);
int menu_values_set_text(struct menu_values *vals, const char *name, const char *text);
/* printf-style text value. */
int menu_values_set_textf(struct menu_values *vals, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Creates (or empties) the list `name`. Returns 0, GY_EINVAL or GY_ENOMEM. */
int menu_values_set_list(struct menu_values *vals, const char *name);
/* Appends an item with label (copied) to list `name` (created when missing). Returns the
 * item's value bag to fill, owned by vals and valid until the next append to that list or
 * any change to vals; NULL on GY_ENOMEM or a bad name. */
struct menu_values *menu_values_list_add(struct menu_values *vals, const char *name,
                                         const char *label);

/* The value named name, or NULL. Borrowed from vals. */
const struct menu_value *menu_values_get(const struct menu_values *vals, const char *name);
/* Deep copy of src into *dst (zeroed or released first). Returns 0 or GY_ENOMEM (dst then
 * holds nothing). */
int menu_values_copy(struct menu_values *dst, const struct menu_values *src);

/* What an action receives. Every pointer is borrowed for the call only. */
struct menu_action_ctx {
    struct db *db;          /* read-write connection (language, opt-out write to workers) */
    struct gy_date today;   /* from gy_date_today(): actions never read the clock */
    const char *msisdn;     /* the worker's number, international without '+'; never log
                             * it unmasked */
    const char *lang;       /* "zh" or "en": language of labels and texts produced */
};

struct menu_arg_spec {
    const char *name;       /* documentation and error messages */
    enum menu_vtype type;   /* INT or TEXT; a TEXT argument of digits is accepted for INT */
    bool optional;          /* trailing optional arguments may be omitted */
};

struct menu_result_spec {
    const char *name;
    enum menu_vtype type;
    int max_width;          /* widest rendering in characters (a CJK character counts 1;
                             * for LIST: of an item label); the linter sizes pages by it */
    const struct menu_result_spec *fields; /* LIST: the values of each item */
    size_t n_fields;
    int max_items;          /* LIST: at most this many items */
    bool sensitive;         /* personal data (a child's name): masked in logs */
};

/* The function of an action. args holds n_args values already checked against the specs
 * (types coerced); out is an empty bag to fill. Returns 0, or a negative GY_E* code:
 * GY_ENOTFOUND for an unregistered number (every action except worker.status), GY_EINVAL
 * for a bad argument, GY_EDB / GY_ENOMEM. On error out may hold partial values (the
 * caller releases them). Actions log nothing personal. */
typedef int (*menu_action_fn)(const struct menu_action_ctx *ctx, const struct menu_value *args,
                              size_t n_args, struct menu_values *out);

struct menu_action_def {
    const char *name;       /* "points.get" */
    const char *doc;        /* one line for the linter and docs */
    const struct menu_arg_spec *args;
    size_t n_args;
    const struct menu_result_spec *results;
    size_t n_results;
    menu_action_fn fn;
    bool writes;            /* writes to the database (lang.set, sub.optout, sub.optin) */
};

/* The registry: name -> definition. Definitions are borrowed (static tables). */
struct menu_action_registry;

/* Returns a new empty registry owned by the caller (free with menu_action_registry_free()),
 * or NULL on ENOMEM. */
struct menu_action_registry *menu_action_registry_new(void);
/* Returns a new registry holding every built-in action below; NULL on ENOMEM. */
struct menu_action_registry *menu_action_registry_builtin(void);
void menu_action_registry_free(struct menu_action_registry *reg); /* NULL is a no-op */
/* Adds def (borrowed: must outlive reg). Returns 0, GY_EEXIST for a name already there,
 * GY_EINVAL for a malformed def. Tests add fakes this way. */
int menu_action_registry_add(struct menu_action_registry *reg, const struct menu_action_def *def);
/* The definition named name, or NULL. */
const struct menu_action_def *menu_action_find(const struct menu_action_registry *reg,
                                               const char *name);
size_t menu_action_count(const struct menu_action_registry *reg);
const struct menu_action_def *menu_action_at(const struct menu_action_registry *reg, size_t i);
/* The spec of result `name` of def (dotted "item.field" names reach list fields), or NULL. */
const struct menu_result_spec *menu_action_result(const struct menu_action_def *def,
                                                  const char *name);

/* Calls def: checks the argument count (GY_EINVAL when fewer than the required or more
 * than declared), coerces TEXT digits to INT, empties *out and runs the function. An
 * explanation of a GY_EINVAL is written into err (errlen bytes, may be NULL).
 * Returns what the function returned; *out is empty after an error. */
int menu_action_call(const struct menu_action_def *def, const struct menu_action_ctx *ctx,
                     const struct menu_value *args, size_t n_args, struct menu_values *out,
                     char *err, size_t errlen);

/*
 * Built-in actions (results flat; list items' fields after "/"). Every action except
 * worker.status answers GY_ENOTFOUND for an unregistered number. Example flags are bools
 * named *example: screens label those figures 示例 / example.
 *
 * worker.status ()   -> registered bool, lang text ("zh"/"en", "" unregistered),
 *                       opted_out bool, district text
 * points.get ()      -> total int, threshold int, threshold_example bool, short_of int,
 *                       reached bool, breakdown text ("学历（大专）60+技能（中级工）30+..."),
 *                       threshold_tag text ("（示例）"/" (example)" when an example, else ""),
 *                       items list / name text, points int, example bool
 * hukou.check ()     -> routes_met int, routes text ("1、3" / "1, 3"; "" none),
 *                       r1_met bool, r1_work int, r1_work_required int, r1_work_missing int,
 *                       r1_ins int, r1_ins_required int, r1_ins_missing int,
 *                       r1_example bool, r1_stable bool,
 *                       r2_met bool, r2_highest text, r2_talent text, r2_backbone text,
 *                       r2_is_backbone bool, r3_met bool, r3_points int, r3_threshold int,
 *                       r3_missing int, r3_example bool, r1_tag text, r3_tag text
 * enroll.children () -> round int, has_window bool, apply_from date, apply_until date,
 *                       parent_points int, permit_months int, permit_required int,
 *                       cutoff_round int, count int, eligible_count int,
 *                       summary text (sensitive; one line per child: label and reason),
 *                       children list (label "陈小雨（入一年级）") / name text (sensitive),
 *                       birth date, entry text ("一年级入学"/"grade 1", "初一入学",
 *                       "本轮无"/"none"), entry_code text ("grade1"/"grade7"/"none"),
 *                       age int, age_required int, age_ok bool, permit_ok bool,
 *                       district_ok bool, eligible bool, reason text (why not, "" if
 *                       eligible), schools text (one line per school: name, quota,
 *                       last cut-off, margin), school_count int, example bool
 * wages.get ()       -> area text, has_min bool, min_monthly money, min_hourly money,
 *                       min_from date, has_guideline bool, guideline_year int,
 *                       guideline_base text ("6.5%"), guideline_upper text,
 *                       guideline_lower text
 * guide.find (query text) -> count int, more bool, name text, year int, low money,
 *                       median money, high money, example bool, tag text (the first match),
 *                       prices list (label "焊工 中位¥5,200") / name text, year int,
 *                       low money, median money, high money, example bool, tag text
 *                       (count 0 when nothing matches; empty query: GY_EINVAL)
 * subsidy.list ()    -> count int, claimable_count int, claimable_total money,
 *                       paid_total money, next_count int, summary text (one line per
 *                       certificate), next_summary text (one line per next level),
 *                       certs list (label "车工 中级工 可申领") / occupation text,
 *                       level text, status text (localised), status_code text
 *                       ("paid"/"claimable"/"expired"/"no_standard"), amount money,
 *                       paid money, has_deadline bool, deadline date, days_left int,
 *                       shortage bool, example bool, tag text,
 *                       next list (label "车工 高级工") / occupation text, level text,
 *                       points_gain int, has_standard bool, amount money, example bool
 * lang.set (lang text "zh"|"en") -> lang text, changed bool   (writes workers.language)
 * sub.optout ()      -> opted_out bool (1), changed bool      (writes workers.opted_out)
 * sub.optin ()       -> opted_out bool (0), changed bool
 */

#endif
