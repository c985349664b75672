/*
 * bench.h: what the C benchmarks share (list_bench.c, review_bench.c): the
 * clock, percentiles, one timed query sent as the screen sends it, and SQL
 * literals for the plans' psql scripts.  A query that fails ends the
 * program (a benchmark reports numbers; it stops when something breaks).
 */
#ifndef WQ_BENCH_H
#define WQ_BENCH_H

#include <stdbool.h>

#include "pg.h"
#include "query.h"

/* The program's name in messages ("list_bench"); set it first. */
extern const char *bench_name;

/* Milliseconds of CLOCK_MONOTONIC. */
double now_ms(void);
/* qsort comparison of doubles. */
int cmp_double(const void *a, const void *b);
/* Nearest-rank percentile p (0..100) of sorted v[0..n-1]. */
double percentile(const double *v, int n, double p);
/*
 * Sends s with db_send and polls the socket until the rows are in memory;
 * returns the milliseconds that took.  *nrows: the rows, or with count the
 * value of a one-row count.
 */
double run_once(struct wq_db *db, const struct query *s, long *nrows, bool count);
/* A parameter as an SQL literal (psql script); NULL as NULL. */
void put_literal(const char *v);

/*
 * One case of a query benchmark: with explain, its psql lines (the header,
 * PREPARE, the parameters, EXECUTE to /dev/null: auto_explain logs the
 * plan); else warmup untimed and runs timed run_once calls (count: kind
 * "count"), and the line "label kind sort rows median p90 min max text".
 */
void bench_case(struct wq_db *db, const struct query *s, bool explain, int ncase, int runs, int warmup,
	const char *label, const char *kind, const char *sort, const char *text);

#endif
