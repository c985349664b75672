/*
 * cli.h: the command line.  Global options may stand anywhere (but --version
 * only before the subcommand: after it, it is the subcommand's own, as in
 * wq review pass ID --version N); the first word that is not an option
 * names a subcommand (db, admin, ...).  Without
 * one, the caller opens the screens.
 */
#ifndef WQ_CLI_H
#define WQ_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "conf.h"

/* Exit statuses (sysexits.h values). */
enum {
	WQ_EXIT_OK = 0,
	WQ_EXIT_FAIL = 1,
	WQ_EXIT_USAGE = 64,
	WQ_EXIT_DATAERR = 65,
	WQ_EXIT_UNAVAILABLE = 69,
	WQ_EXIT_NOPERM = 77,
	WQ_EXIT_CONFIG = 78,
};

struct wq_opts {
	const char *config;    /* --config FILE */
	const char *dsn;       /* --dsn CONNINFO */
	bool ascii;            /* --ascii */
	bool print_config;     /* --print-config */
	bool help;             /* --help, -h */
	bool version;          /* --version */
	bool verbose;          /* --verbose: errors also show the server's own text */
	int argc;              /* the rest: subcommand and its arguments */
	char **argv;           /* borrowed from main's argv; caller frees the array */
};

/* Splits argv.  Returns true, or false with a message in err (exit 64). */
bool cli_parse(int argc, char **argv, struct wq_opts *opts, struct wq_err *err);

/* Runs the subcommand in opts; returns the exit status. */
int cli_run(const struct wq_opts *opts, const struct wq_conf *conf);

void cli_usage(FILE *out);

/* Prints err as "wq: 错误：..." with its detail and hint to stderr (and,
 * after --verbose, the server's or system's own text, err->server). */
void cli_print_err(const struct wq_err *err);

#endif
