/* cli_stats.h: wq stats, the figures of the user's scope (src/stats.h). */
#ifndef WQ_CLI_STATS_H
#define WQ_CLI_STATS_H

#include "cli_args.h"
#include "err.h"
#include "pg.h"

int cli_stats(struct args *a, struct wq_db *db, struct wq_err *err);

#endif
