/*
 * list_bench.c: how long the student list (学生名单) takes to get its rows,
 * measured the way the screen does it.
 *
 *   list_bench --dsn CONNINFO (--school CODE | --province CODE)
 *              [--runs N] [--warmup N] [--limit N] [--explain]
 *              LABEL KIND SORT TEXT [LABEL KIND SORT TEXT ...]
 *
 * KIND is "page" (the first page: students_page_sql) or "count"
 * (students_count_sql); SORT is "no" (SC_STUDENT_NO) or a column's key
 * (students.h: name, dept, major, level, ...);
 * TEXT is the / filter exactly as typed ("" for none, full-width digits
 * allowed).  The scope is set as tui/students.c sets it for a school user
 * (school_code) or a province user (province_code).
 *
 * Each case: the query is built with the core library, sent with db_send,
 * and the program waits on db_socket() with poll() and calls db_poll until
 * the rows are in memory (struct wq_rows copied out of the result).  The
 * time runs from just before db_send to that moment.  WARMUP untimed runs,
 * then RUNS timed ones.  One line per case on stdout, tab-separated:
 *
 *   label kind sort rows median_ms p90_ms min_ms max_ms text
 *
 * where rows is the rows of the page, or for a count the number counted.
 *
 * With --explain nothing is timed: a psql script is printed that runs each
 * case's exact SQL and parameters (PREPARE with untyped parameters, as libpq
 * sends them, then EXECUTE), its rows sent to /dev/null.  Run it in a session
 * with auto_explain loaded (log_nested_statements, log_level notice): the
 * plans of the list's query and of the queries that wq_api.student_page and
 * student_count run inside come back as notices.
 *
 * The password comes from libpq's environment (PGPASSWORD).  Not a test:
 * it reports numbers and fails only when a query fails.
 */
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "pg.h"
#include "students.h"
#include "util.h"

/* tui/students.c: PAGE_ROWS, the rows of one page */
#define SCREEN_PAGE_ROWS 200

/* One query, the screen's way: db_send, poll() on the socket, db_poll. */
static void
usage(void)
{
	fprintf(stderr, "usage: list_bench --dsn CONNINFO (--school CODE | --province CODE) [--runs N] "
		"[--warmup N] [--limit N] [--explain] LABEL page|count no|KEY TEXT ...\n");
	exit(64);
}

int
main(int argc, char **argv)
{
	const char *dsn = NULL, *school = NULL, *province = NULL;
	int runs = 21, warmup = 1, limit = SCREEN_PAGE_ROWS, i, ncase = 0;
	bool explain = false;
	struct wq_conn_spec spec = { 0 };
	struct wq_db *db = NULL;
	struct wq_err err;

	bench_name = "list_bench";
	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		if (strcmp(argv[i], "--explain") == 0) {
			explain = true;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--dsn") == 0)
			dsn = argv[++i];
		else if (strcmp(argv[i], "--school") == 0)
			school = argv[++i];
		else if (strcmp(argv[i], "--province") == 0)
			province = argv[++i];
		else if (strcmp(argv[i], "--runs") == 0)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--warmup") == 0)
			warmup = atoi(argv[++i]);
		else if (strcmp(argv[i], "--limit") == 0)
			limit = atoi(argv[++i]);
		else
			usage();
	}
	if ((!school) == (!province) || runs < 1 || warmup < 0 || limit < 1 || (argc - i) % 4 != 0)
		usage();
	if (!explain) {
		if (!dsn)
			usage();
		spec.dsn = dsn;
		wq_err_clear(&err);
		db = db_connect(&spec, NULL, &err);
		if (!db) {
			fprintf(stderr, "list_bench: %s %s\n", err.msg, err.detail);
			return 1;
		}
	}
	for (; i < argc; i += 4, ncase++) {
		const char *label = argv[i], *kind = argv[i + 1], *sort = argv[i + 2], *text = argv[i + 3];
		struct student_query q;
		struct query s;

		student_query_init(&q);
		if (school)
			q.school_code = xstrdup(school);
		else
			q.province_code = xstrdup(province);
		if (strcmp(sort, "no") == 0)
			q.sort = SC_STUDENT_NO;
		else {
			for (q.sort = 0; q.sort < SC_COUNT && strcmp(sort, student_cols[q.sort].key) != 0; q.sort++)
				;
			if (q.sort == SC_COUNT)
				usage();
		}
		snprintf(q.text, sizeof(q.text), "%s", text);
		if (strcmp(kind, "page") == 0)
			students_page_sql(&q, NULL, NULL, false, limit, &s);   /* the first page, forwards */
		else if (strcmp(kind, "count") == 0)
			students_count_sql(&q, &s);
		else
			usage();

		bench_case(db, &s, explain, ncase, runs, warmup, label, kind, sort, text);
		query_fini(&s);
		student_query_fini(&q);
	}
	db_close(db);
	return 0;
}
