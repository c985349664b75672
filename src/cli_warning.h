/* cli_warning.h: wq warning ... (预警单位) on the command line. */
#ifndef WQ_CLI_WARNING_H
#define WQ_CLI_WARNING_H

#include "cli_args.h"
#include "err.h"
#include "pg.h"

/*
 * Runs `wq warning SUB ...` with a the words after "warning".  Returns 0, or
 * -1 with err filled (the caller prints it and picks the exit status).
 */
int cli_warning(struct args *a, struct wq_db *db, struct wq_err *err);

#endif
