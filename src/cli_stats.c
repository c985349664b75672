/*
 * cli_stats.c: wq stats [--by dept|major|level|gender|origin|school]
 * [--format text|csv|xlsx] [-o FILE].  Text goes to standard output, with
 * the review queues under the table; CSV and XLSX to FILE (CSV to standard
 * output without -o; XLSX needs a file, or "-" for standard output).
 */
#include "cli_stats.h"

#include <stdio.h>
#include <string.h>

#include "me.h"
#include "stats.h"

static void
print_queues(struct wq_db *db, FILE *out)
{
	struct wq_err err;
	struct wq_rows *q;
	int i;

	wq_err_clear(&err);
	q = stats_queues(db, &err);
	if (!q)
		return;
	fputs("\n待审核\n", out);
	for (i = 0; i < q->nrows; i++) {
		const char *oldest = rows_getn(q, i, "oldest");

		if (oldest)
			fprintf(out, "  %s  %s 件，最早 %s（%s 天）\n", rows_getn(q, i, "label"), rows_getn(q, i, "waiting"),
				oldest, rows_getn(q, i, "days"));
		else
			fprintf(out, "  %s  0 件\n", rows_getn(q, i, "label"));
	}
	rows_free(q);
}

int
cli_stats(struct args *a, struct wq_db *db, struct wq_err *err)
{
	const char *by_name = arg_value(a, "--by"), *fmt = arg_value(a, "--format"), *path = arg_value(a, "-o");
	enum stats_by by;
	struct stats s;
	struct me me = { 0 };
	bool ok;

	if (!fmt)
		fmt = "text";
	if (strcmp(fmt, "text") != 0 && strcmp(fmt, "csv") != 0 && strcmp(fmt, "xlsx") != 0) {
		wq_err_set(err, WQ_ERR_USAGE, "--format 应为 text、csv 或 xlsx，而不是 %s", fmt);
		return -1;
	}
	if (by_name && !stats_by_parse(by_name, &by)) {
		wq_err_set(err, WQ_ERR_USAGE, "--by 应为 dept、major、level、gender、origin 或 school，而不是 %s", by_name);
		return -1;
	}
	if (strcmp(fmt, "xlsx") == 0 && !path) {
		wq_err_set(err, WQ_ERR_USAGE, "XLSX 需要用 -o FILE 指定文件（- 为标准输出）");
		return -1;
	}
	if (!args_done(a, err))
		return -1;
	if (!by_name) {
		if (!me_load(db, &me, err))
			return -1;
		by = stats_default_by(me.kind);
		me_fini(&me);
	}
	if (!stats_load(db, by, &s, err))
		return -1;
	if (strcmp(fmt, "text") == 0) {
		stats_print(&s, stdout);
		print_queues(db, stdout);
		ok = true;
	} else {
		ok = stats_export(&s, path ? path : "-", fmt, err);
		if (ok && path && strcmp(path, "-") != 0)
			fprintf(stderr, "已导出 %d 行到 %s\n", s.nrows, path);
	}
	stats_fini(&s);
	return ok ? 0 : -1;
}
