/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smsc_sim_options: the command line of smsc-sim (usage text, long options, their checks),
 * parsed into a plain struct for main() in smsc_sim.c. */
#ifndef SMSC_SIM_OPTIONS_H
#define SMSC_SIM_OPTIONS_H

#include <stdbool.h>

#include "tools/smsc_sim_core.h"

/* The parsed command line. */
struct sim_options {
    struct sim_config cfg; /* core settings (sim_config_defaults plus the options) */
    char host[64];         /* loopback address to listen on (default 127.0.0.1) */
    int port;              /* 0 picks a free port (default 2775) */
    const char *script;    /* --script FILE or NULL; points into argv, not owned */
    bool no_console;       /* --no-console */
    unsigned stats_every;  /* --stats-every seconds, 0 = never */
    unsigned drop_after;   /* --drop-after N submits, 0 = never */
    bool text_fmt_set;     /* --dlr-text-id-format was given */
};

/* Parses argv into *o, which the caller zeroes first; sets the log level (default warn).
 * Prints --help/--version output to stdout and errors to stderr. Returns 0 to run, 1 after
 * --help/--version, 2 on a usage error. Nothing is allocated; o->script points into argv. */
int sim_options_parse(int argc, char **argv, struct sim_options *o);

#endif
