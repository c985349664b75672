/*
 * cli_termination.h: the 解约 commands of the command line (cli_termination.c).
 * Each returns the exit status, or -1 with err filled.
 */
#ifndef WQ_CLI_TERMINATION_H
#define WQ_CLI_TERMINATION_H

#include <stdbool.h>

#include "cli_args.h"
#include "err.h"
#include "pg.h"

/* wq portal student|employer terminate|answer-termination ID ... (who: student | employer). */
int cli_portal_termination(struct args *a, struct wq_db *db, const char *who, const char *verb, struct wq_err *err);

/* wq termination force ID --note TEXT [--file FILE]. */
int cli_termination(struct args *a, struct wq_db *db, struct wq_err *err);

/* wq review list --queue termination: tab-separated, a header first. */
int cli_termination_list(struct wq_db *db, const char *state, bool waiting, struct wq_err *err);

/* wq review show ID of a termination: row is its termination_get row. */
int cli_termination_show(struct wq_db *db, const struct wq_rows *row, struct wq_err *err);

#endif
