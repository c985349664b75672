/* bench.c: what the C benchmarks share (see bench.h). */
#include "bench.h"

#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "util.h"

const char *bench_name = "bench";

double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
percentile(const double *v, int n, double p)
{
	int k = (int)ceil(p / 100.0 * n);

	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

double
run_once(struct wq_db *db, const struct query *s, long *nrows, bool count)
{
	struct wq_rows *rows = NULL;
	struct wq_err err;
	struct pollfd pfd;
	double t0, t1;

	wq_err_clear(&err);
	t0 = now_ms();
	if (!db_send(db, s->sql, s->nparams, s->params, &err)) {
		fprintf(stderr, "%s: %s\n", bench_name, err.msg);
		exit(1);
	}
	for (;;) {
		pfd.fd = db_socket(db);
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, 60000) <= 0) {
			fprintf(stderr, "%s: no answer within 60 s\n", bench_name);
			exit(1);
		}
		if (db_poll(db, &rows, &err))
			break;
	}
	t1 = now_ms();
	if (!rows) {
		fprintf(stderr, "%s: %s %s\n%s\n", bench_name, err.msg, err.detail, s->sql);
		exit(1);
	}
	*nrows = count && rows->nrows == 1 && rows_get(rows, 0, 0) ? atol(rows_get(rows, 0, 0)) : rows->nrows;
	rows_free(rows);
	return t1 - t0;
}

void
put_literal(const char *v)
{
	if (!v) {
		fputs("NULL", stdout);
		return;
	}
	putchar('\'');
	for (; *v; v++) {
		if (*v == '\'')
			putchar('\'');
		putchar(*v);
	}
	putchar('\'');
}

void
bench_case(struct wq_db *db, const struct query *s, bool explain, int ncase, int runs, int warmup,
	const char *label, const char *kind, const char *sort, const char *text)
{
	double *t;
	long nrows = 0;
	int p, r;

	if (explain) {
		printf("\\echo '==== %s: %s, sort %s, filter \"%s\"'\n", label, kind, sort, text);
		printf("PREPARE q%d AS %s;\n", ncase, s->sql);
		printf("\\echo '-- parameters:");
		for (p = 0; p < s->nparams; p++)
			printf(" $%d=%s", p + 1, s->params[p] ? s->params[p] : "NULL");
		printf("'\n\\o /dev/null\nEXECUTE q%d", ncase);
		for (p = 0; p < s->nparams; p++) {
			fputs(p ? ", " : "(", stdout);
			put_literal(s->params[p]);
		}
		printf("%s;\n\\o\nDEALLOCATE q%d;\n\n", s->nparams ? ")" : "", ncase);
		return;
	}
	t = xcalloc((size_t)runs, sizeof(*t));
	for (r = 0; r < warmup; r++)
		run_once(db, s, &nrows, kind[0] == 'c');
	for (r = 0; r < runs; r++)
		t[r] = run_once(db, s, &nrows, kind[0] == 'c');
	qsort(t, (size_t)runs, sizeof(*t), cmp_double);
	printf("%s\t%s\t%s\t%ld\t%.2f\t%.2f\t%.2f\t%.2f\t%s\n", label, kind, sort, nrows,
		percentile(t, runs, 50), percentile(t, runs, 90), t[0], t[runs - 1], text);
	fflush(stdout);
	free(t);
}
