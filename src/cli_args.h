/*
 * cli_args.h: a subcommand's own words (src/cli.c and the command files
 * beside it): "--name VALUE" (or "--name=VALUE") options, flags, and the
 * positional words between them.  Every word must be used: args_done says
 * which was not.
 */
#ifndef WQ_CLI_ARGS_H
#define WQ_CLI_ARGS_H

#include <stdbool.h>

#include "err.h"

/* Command-local options: "--name VALUE" pairs and flags, after positionals. */
struct args {
	int argc;
	char **argv;
	bool used[64];
};

/* The value of option name, or NULL; marks both words used. */
const char *arg_value(struct args *a, const char *name);

/* True when the flag is given (marks it used). */
bool arg_flag(struct args *a, const char *name);

/* The next positional argument: not an option and not an option's value. */
const char *arg_next(struct args *a);

/* Every word was understood; otherwise says which was not (WQ_ERR_USAGE). */
bool args_done(struct args *a, struct wq_err *err);

/* The value of option name; NULL or "" fills err with "缺少 name". */
const char *required(struct args *a, const char *name, struct wq_err *err);

#endif
