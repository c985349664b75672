/*
 * cli_agreement.h: the agreement commands of the command line: the portal's
 * (wq portal employer|invite|student|upload|expire ...) and the reviewers'
 * (wq review list|show|pass|return|reject), and the school's change of a
 * graduate's 毕业去向 (wq destination change).  Each returns the exit status,
 * or -1 with err filled (cli_run prints it).
 */
#ifndef WQ_CLI_AGREEMENT_H
#define WQ_CLI_AGREEMENT_H

#include "cli_args.h"
#include "err.h"
#include "pg.h"

int cli_portal_agreement(struct args *a, struct wq_db *db, struct wq_err *err);
int cli_review(struct args *a, struct wq_db *db, struct wq_err *err);

/* wq destination change 学号 --code CODE [fields] --agreed-with-student. */
int cli_destination(struct args *a, struct wq_db *db, struct wq_err *err);

/* wq agreement pdf ID -o FILE. */
int cli_agreement(struct args *a, struct wq_db *db, struct wq_err *err);

#endif
