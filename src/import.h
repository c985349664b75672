/*
 * import.h: wq roster import — a school's graduate list from the 就业管理系统
 * export, all or nothing.
 *
 * The file is read (UTF-8, UTF-8 with BOM or GBK), its columns found by their
 * Chinese headers, and every row checked (validate.c).  Any problem: every
 * problem is printed as "FILE:LINE: 列名: message" and nothing is written.
 * Otherwise the rows are staged with COPY and merged by wq_api.roster_apply,
 * which checks them again (the database is the authority), in one
 * transaction; a dry run rolls it back.
 */
#ifndef WQ_IMPORT_H
#define WQ_IMPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "csv.h"
#include "err.h"
#include "pg.h"

struct import_opts {
	const char *path;
	enum csv_encoding encoding;
	bool dry_run;
	/* every student of the school that the file lacks, as CSV (NULL: only the first 20 are printed) */
	const char *missing_out;
	/* the platform operator imports for a named school (demo data); NULL: the caller's */
	const char *school_code;
	/* header renames for other exports: rename_from[i] is read as rename_to[i] */
	int nrename;
	const char *const *rename_from;
	const char *const *rename_to;
};

/* What an import did (or would do). */
struct import_result {
	int rows, added, updated, unchanged, missing, problems;
};

/*
 * Imports for the logged-in school user.  The report goes to out, problems
 * to errout.  Returns 0 on success, 65 when the file has problems (nothing
 * written), or another exit status with err filled.
 */
int roster_import(struct wq_db *db, const struct import_opts *opts, FILE *out, FILE *errout,
	struct import_result *result, struct wq_err *err);

#endif
