/*
 * migrate.h: numbered SQL migrations (db/migrations/NNNN_name.sql).
 *
 * Each pending file runs in its own transaction and is recorded in
 * wq.schema_migration with its sha256.  A file that was applied and has since
 * changed stops everything before any new file runs.  The files are compiled
 * into the binary; dir (when not NULL) reads them from a folder instead.
 */
#ifndef WQ_MIGRATE_H
#define WQ_MIGRATE_H

#include <stdbool.h>
#include <stdio.h>

#include "err.h"
#include "pg.h"

/* Applies pending migrations, reporting each to out.  Rerunning is a no-op. */
bool migrate_run(struct wq_db *db, const char *dir, FILE *out, struct wq_err *err);

/* Lists applied and pending migrations to out.  False when one was changed. */
bool migrate_status(struct wq_db *db, const char *dir, FILE *out, struct wq_err *err);

/* The highest version this binary knows. */
int migrate_latest_version(void);

#endif
