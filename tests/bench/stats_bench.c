/*
 * stats_bench.c: how long 数据统计 takes, measured as the screen and
 * `wq stats` get it: stats_load (src/stats.c: wq_api.stats_codes, then
 * wq_api.stats of one breakdown, the rows copied out and turned into the
 * table with 合计), next to a single count(*) over the same graduates
 * (wq_api.student_count, the roster's own count of the user's scope) in the
 * same run.
 *
 *   stats_bench --dsn CONNINFO [--runs N] [--warmup N]
 *
 * Each case: WARMUP untimed runs, then RUNS timed ones, interleaved with the
 * count's (count, dept, count, major, …), so both see the same cache.  One
 * line per case on stdout, tab-separated:
 *
 *   label rows median_ms p90_ms min_ms max_ms graduates
 *
 * where rows is the groups (the count's: 1) and graduates the 合计 (the
 * count's: the number counted).  The password comes from libpq's
 * environment (PGPASSWORD).  Not a test: it reports numbers and fails only
 * when a query fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "pg.h"
#include "stats.h"
#include "util.h"

static const char *const count_sql =
	"SELECT wq_api.student_count(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)";

static void
usage(void)
{
	fprintf(stderr, "usage: stats_bench --dsn CONNINFO [--runs N] [--warmup N]\n");
	exit(64);
}

static double
time_stats(struct wq_db *db, enum stats_by by, long *rows, long *grads)
{
	struct stats s;
	struct wq_err err;
	double t0 = now_ms(), t1;

	wq_err_clear(&err);
	if (!stats_load(db, by, &s, &err)) {
		fprintf(stderr, "stats_bench: %s %s\n", err.msg, err.detail);
		exit(1);
	}
	t1 = now_ms();
	*rows = s.nrows - 1;
	*grads = stats_value(&s, s.nrows - 1, STATS_COL_GRADUATES);
	stats_fini(&s);
	return t1 - t0;
}

static void
print_case(const char *label, double *t, int runs, long rows, long grads)
{
	qsort(t, (size_t)runs, sizeof(*t), cmp_double);
	printf("%s\t%ld\t%.2f\t%.2f\t%.2f\t%.2f\t%ld\n", label, rows, percentile(t, runs, 50),
		percentile(t, runs, 90), t[0], t[runs - 1], grads);
}

int
main(int argc, char **argv)
{
	const char *dsn = NULL;
	int runs = 11, warmup = 1, i, b, r;
	struct wq_conn_spec spec = { 0 };
	struct wq_db *db;
	struct wq_err err;
	struct query q = { 0 };
	double *tc, *ts[STATS_BY_COUNT];
	long crows = 0, srows[STATS_BY_COUNT] = { 0 }, sgrads[STATS_BY_COUNT] = { 0 };

	bench_name = "stats_bench";
	for (i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--dsn") == 0)
			dsn = argv[++i];
		else if (strcmp(argv[i], "--runs") == 0)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--warmup") == 0)
			warmup = atoi(argv[++i]);
		else
			usage();
	}
	if (!dsn || runs < 1 || warmup < 0)
		usage();
	spec.dsn = dsn;
	wq_err_clear(&err);
	db = db_connect(&spec, NULL, &err);
	if (!db) {
		fprintf(stderr, "stats_bench: %s %s\n", err.msg, err.detail);
		return 1;
	}
	q.sql = xstrdup(count_sql);
	tc = xcalloc((size_t)runs, sizeof(*tc));
	for (b = 0; b < STATS_BY_COUNT; b++)
		ts[b] = xcalloc((size_t)runs, sizeof(*ts[b]));
	for (r = -warmup; r < runs; r++) {
		double t;

		t = run_once(db, &q, &crows, true);
		if (r >= 0)
			tc[r] = t;
		for (b = 0; b < STATS_BY_COUNT; b++) {
			t = time_stats(db, (enum stats_by)b, &srows[b], &sgrads[b]);
			if (r >= 0)
				ts[b][r] = t;
		}
	}
	print_case("count", tc, runs, 1, crows);
	for (b = 0; b < STATS_BY_COUNT; b++)
		print_case(stats_by_names[b], ts[b], runs, srows[b], sgrads[b]);
	for (b = 0; b < STATS_BY_COUNT; b++)
		free(ts[b]);
	free(tc);
	free(q.sql);
	db_close(db);
	return 0;
}
