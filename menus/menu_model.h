/* SPDX-License-Identifier: GPL-3.0-or-later */
/* menu_model: a parsed menu script as plain immutable data (nodes, texts per language,
 * entries, strings, the table of every variable name the script mentions), and the parser
 * that builds it from a libconfig file (menu_parse.c, with @include and file:line errors).
 * After menu_script_load() nothing changes it: any number of sessions may read one script
 * from any thread. Semantic checks are the linter's (menu_lint.h), not the parser's. */
#ifndef MENU_MODEL_H
#define MENU_MODEL_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MENU_MAX_LANGS  4      /* languages one script may declare */
#define MENU_LANG_LEN   8      /* "zh", "en", "yue" ... with the NUL */
#define MENU_NONE       0xFFFF /* an unresolved or absent node / variable index */
#define MENU_MAX_ARGS   8      /* arguments of one action call */
#define MENU_MAX_SMS_SEGMENTS 4

enum menu_node_type {
    MENU_NODE_MENU = 0, /* options (static or one per item of a list variable); waits */
    MENU_NODE_INPUT,    /* free text with validation, saved in a variable; waits */
    MENU_NODE_INFO,     /* long text, paginated; any key but more/back goes to next; waits */
    MENU_NODE_ACTION,   /* asks the driver to run a named action; on_ok / on_error */
    MENU_NODE_ROUTER,   /* conditions on variables -> next, else default */
    MENU_NODE_SET,      /* assigns variables (lang switches the session language) */
    MENU_NODE_END,      /* final screen; the session ends */
};

/* The type of a variable's value. */
enum menu_type {
    MENU_T_NONE = 0, /* unset */
    MENU_T_INT,      /* int64 */
    MENU_T_MONEY,    /* int64 fen; rendered ¥1,950 (zh) / 1,950 yuan (en) */
    MENU_T_DATE,     /* days since 1970-01-01; rendered 2027年6月14日 (zh) / 2027-06-14 */
    MENU_T_TEXT,     /* UTF-8 */
    MENU_T_BOOL,     /* 0 or 1; rendered 是/否 (zh), yes/no */
    MENU_T_LIST,     /* a list of items from an action (num = item count) */
};

/* A text in every language of the script. t[i] is the template for langs[i] (NULL when
 * the script gives none for that language). A template holds ${var} references and may be
 * "@name" as a whole: the shared string name (ref[i] is then its index in strings, else -1). */
struct menu_text {
    char *t[MENU_MAX_LANGS];
    int16_t ref[MENU_MAX_LANGS];
    bool present; /* the setting exists */
    int line;
};

/* A condition on a variable (router routes and option `when`). */
enum menu_cond_op { MENU_OP_EQ, MENU_OP_NE, MENU_OP_LT, MENU_OP_GT, MENU_OP_EMPTY, MENU_OP_IN };

struct menu_cond {
    uint16_t var;       /* index in menu_script.vars */
    enum menu_cond_op op;
    bool negate_empty;  /* empty = false: "not empty" */
    char **values;      /* eq/ne/lt/gt: one value; in: several; as written (text) */
    size_t n_values;
    char *next_name;    /* routes only */
    uint16_t next;
    int line;
};

struct menu_option {
    char *key;          /* "1" */
    struct menu_text label;
    char *next_name;
    uint16_t next;
    struct menu_cond *when; /* NULL: always shown */
    int line;
};

/* Validation of an input node. */
#define MENU_V_DIGITS 0x01u /* digits only */
#define MENU_V_INT    0x02u /* an integer in [min, max]; saved as MENU_T_INT */
#define MENU_V_REGEX  0x04u /* POSIX ERE, compiled at load */
#define MENU_V_IDNUM  0x08u /* 18-character resident ID number with its check character */
#define MENU_V_DATE   0x10u /* YYYY-MM-DD or YYYYMMDD, a real date; saved as MENU_T_DATE */

struct menu_validate {
    unsigned flags;
    int min_len, max_len;   /* characters; 0 = no limit */
    int64_t min, max;       /* MENU_V_INT */
    char *regex;            /* source text */
    regex_t re;             /* compiled when re_ok */
    bool re_ok;
    char re_error[96];      /* regerror() text when the regex does not compile */
    int retries;            /* invalid answers allowed before on_fail (default 3) */
    struct menu_text error; /* shown above the re-shown prompt */
    char *on_fail_name;     /* NULL: the start node */
    uint16_t on_fail;
    int line;
};

/* An action argument: a variable or a literal. */
struct menu_arg {
    uint16_t var;   /* MENU_NONE for a literal */
    enum menu_type type; /* literal: MENU_T_INT or MENU_T_TEXT */
    int64_t num;
    char *text;
    int line;
};

/* One assignment of a set node: var = value (a template, or an int literal). */
struct menu_assign {
    uint16_t var;
    enum menu_type type; /* MENU_T_INT or MENU_T_TEXT (template expanded at run time) */
    int64_t num;
    char *text;
    int line;
};

struct menu_node {
    char *id;
    enum menu_node_type type;
    const char *file; /* points into menu_script.files */
    int line;
    struct menu_text text; /* body: menu, input, info, end */
    struct menu_text sms;  /* optional override of text on the SMS channel */
    char *next_name;       /* input, info, set, menu with items */
    uint16_t next;
    /* menu */
    struct menu_option *options;
    size_t n_options;
    uint16_t items;        /* list variable whose items become options (MENU_NONE: static) */
    char *items_name;
    /* menu (items: the chosen item's label), input: the variable saved */
    uint16_t save;
    /* input */
    struct menu_validate validate;
    /* action */
    char *call;
    struct menu_arg *args;
    size_t n_args;
    int deadline_ms;
    char *on_ok_name, *on_error_name;
    uint16_t on_ok, on_error;
    /* router */
    struct menu_cond *routes;
    size_t n_routes;
    char *default_name;
    uint16_t def;
    /* set */
    struct menu_assign *assigns;
    size_t n_assigns;
};

/* An entry point: a USSD code, or SMS keywords (normalised like locale/keyword.h). */
struct menu_entry {
    char *ussd;          /* "*188#", or NULL */
    char **sms;          /* keywords and aliases, normalised (kw_parse) */
    size_t n_sms;
    char *node_name;
    uint16_t node;
    uint16_t args;       /* variable that receives the SMS keyword's arguments, or MENU_NONE */
    const char *file;    /* points into menu_script.files */
    int line;
};

struct menu_string {
    char *name;
    struct menu_text text;
    const char *file;    /* points into menu_script.files */
};

/* A variable the script mentions anywhere; built-ins come first (lang, error). */
struct menu_var {
    char *name;
    bool sensitive;  /* masked in every debug rendering and log */
    bool assigned;   /* saved by an input/menu, set by a set node or declared built-in */
    int line;        /* first mention */
};

/* A variable's name and index, sorted by name in menu_script.var_index. */
struct menu_var_key {
    const char *name; /* the var's own name string */
    uint16_t var;
};

#define MENU_VAR_LANG  0 /* built-in: the session language code */
#define MENU_VAR_ERROR 1 /* built-in: the error code of the last failed action */

struct menu_script {
    char *id;
    int version;
    char langs[MENU_MAX_LANGS][MENU_LANG_LEN];
    size_t n_langs;
    size_t default_lang; /* index in langs */
    char *start_name;
    uint16_t start;
    char nav_back[8], nav_home[8], nav_more[8];
    int ussd_octets;      /* 1..160, default 160 */
    int sms_segments;     /* 1..MENU_MAX_SMS_SEGMENTS, default 2 */
    int max_hops;         /* non-waiting hops per input, default 16 */
    int deadline_ms;      /* default action deadline, default 3000 */
    struct menu_entry *entries;
    size_t n_entries;
    struct menu_string *strings;
    size_t n_strings;
    struct menu_node *nodes;
    size_t n_nodes;
    struct menu_var *vars;
    size_t n_vars;
    struct menu_var_key *var_index; /* vars by name for menu_script_var(); built once the
                                     * script is linked (NULL: linear search) */
    char *path;           /* the file or directory loaded */
    const char *file;     /* the file holding the script group (in files) */
    int line;             /* its line */
    char **files;         /* every file read (@include too) */
    size_t n_files;
};

/* A diagnostic of the parser or the linter: "file:line: node: message". */
enum menu_severity { MENU_SEV_ERROR = 0, MENU_SEV_WARNING };

struct menu_diag {
    enum menu_severity sev;
    char file[256];
    int line;
    char node[64];
    char msg[256];
};

/* A growing list of diagnostics owned by the caller: zero it, then menu_diags_fini(). */
struct menu_diags {
    struct menu_diag *v;
    size_t n, cap;
    size_t n_errors, n_warnings;
};

void menu_diags_fini(struct menu_diags *d);
/* Appends a diagnostic (printf-style message). Never fails visibly: on ENOMEM the counts
 * still grow, the text is dropped. */
void menu_diags_add(struct menu_diags *d, enum menu_severity sev, const char *file, int line,
                    const char *node, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Prints every diagnostic as "file:line: error|warning: [node: ]message" lines. */
void menu_diags_print(const struct menu_diags *d, void *stdio_file);

/* Parses every DIR/\*.menu (in name order) as ONE script: exactly one file holds the
 * `script` group; `entry`, `strings` and `nodes` may be spread over the files (a node id or
 * string name defined twice is an error naming both places). Pieces meant only for
 * @include end in .inc. Returns as menu_script_load(); a directory that cannot be read or
 * holds no .menu file gives NULL and one error. */
struct menu_script *menu_script_load_dir(const char *dir, struct menu_diags *d);
/* Parses the script at path (libconfig, UTF-8; @include relative to the file's folder).
 * Returns a new script owned by the caller (menu_script_free()), or NULL with at least
 * one error in d (syntax errors carry file:line, as do unknown or mistyped settings).
 * A script returned may still have unresolved names (MENU_NONE) and other faults the
 * linter reports; only a script with no lint error should be run. */
struct menu_script *menu_script_load(const char *path, struct menu_diags *d);
/* Frees s; NULL is a no-op. */
void menu_script_free(struct menu_script *s);

/* Builds s->var_index (every action result is looked up by name on each step). Called by
 * the loaders once the script is linked. Returns 0 or GY_ENOMEM (lookups stay linear). */
int menu_script_index_vars(struct menu_script *s);

/* Lookups (linear, or binary search for vars; fine at run time). Return an index or -1. */
int menu_script_node(const struct menu_script *s, const char *id);
int menu_script_var(const struct menu_script *s, const char *name);
int menu_script_string(const struct menu_script *s, const char *name);
int menu_script_lang(const struct menu_script *s, const char *lang);

/* The entry a start input selects: text is a dialled USSD code ("*188#") on the USSD
 * channel or an SMS (keyword and arguments) on the SMS channel. Returns the entry index or
 * -1. For SMS, *args (may be NULL) points at the normalised arguments copied into argbuf
 * (argbuf_len bytes; "" when none). */
int menu_script_find_entry(const struct menu_script *s, bool sms, const char *text, size_t len,
                           char *argbuf, size_t argbuf_len, const char **args);

#endif
