/* stats.c: 数据统计 (see stats.h). */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "table.h"
#include "util.h"

const char *const stats_by_names[STATS_BY_COUNT] = {
#define STATS_BY_NAME(id, name, label) [STATS_BY_##id] = name,
	STATS_BY_INFO(STATS_BY_NAME)
#undef STATS_BY_NAME
};

const char *const stats_by_labels[STATS_BY_COUNT] = {
#define STATS_BY_LABEL(id, name, label) [STATS_BY_##id] = label,
	STATS_BY_INFO(STATS_BY_LABEL)
#undef STATS_BY_LABEL
};

/* The counting columns after the group, as wq_api.stats names them. */
static const char *const fixed_cols[] = { "graduates", "eligible", "verified", "online", "offline", "registration" };
static const char *const fixed_labels[] = { "毕业生", "有网签资格", "已核对", "线上签约", "线下签约", "补登" };

bool
stats_by_parse(const char *name, enum stats_by *out)
{
	int i;

	for (i = 0; name && i < STATS_BY_COUNT; i++) {
		if (strcmp(name, stats_by_names[i]) == 0) {
			*out = (enum stats_by)i;
			return true;
		}
	}
	return false;
}

enum stats_by
stats_default_by(const char *kind)
{
	return kind && strcmp(kind, "province") == 0 ? STATS_BY_SCHOOL : STATS_BY_DEPT;
}

int
stats_col_unregistered(const struct stats *s)
{
	return STATS_COL_CODES + s->ncodes;
}

int
stats_col_terminated(const struct stats *s)
{
	return STATS_COL_CODES + s->ncodes + 1;
}

int
stats_col_rate(const struct stats *s)
{
	return STATS_COL_CODES + s->ncodes + 2;
}

int
stats_rate(char *buf, size_t size, long placed, long graduates)
{
	long pm;

	if (graduates <= 0) {
		snprintf(buf, size, "—");
		return -1;
	}
	pm = (2000 * placed + graduates) / (2 * graduates);
	snprintf(buf, size, "%ld.%ld%%", pm / 10, pm % 10);
	return (int)pm;
}

void
stats_thousands(char *buf, size_t size, long n)
{
	char digits[32], out[48];
	int len, i, o = 0;

	len = snprintf(digits, sizeof(digits), "%ld", n < 0 ? -n : n);
	if (n < 0)
		out[o++] = '-';
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	snprintf(buf, size, "%s", out);
}

const char *
stats_cell(const struct stats *s, int row, int col)
{
	return s->cells[(size_t)row * (size_t)s->ncols + (size_t)col];
}

long
stats_value(const struct stats *s, int row, int col)
{
	return s->values[(size_t)row * (size_t)s->ncols + (size_t)col];
}

static void
set_count(struct stats *s, int row, int col, long v)
{
	size_t at = (size_t)row * (size_t)s->ncols + (size_t)col;

	s->values[at] = v;
	s->cells[at] = xasprintf("%ld", v);
}

/* Parses "{1,2,3}" into n counts; false when it holds another number of them. */
static bool
parse_counts(const char *text, long *out, int n)
{
	const char *p = text;
	char *end;
	int i;

	if (!p || *p++ != '{')
		return false;
	for (i = 0; i < n; i++) {
		out[i] = strtol(p, &end, 10);
		if (end == p || (*end != ',' && *end != '}'))
			return false;
		p = end + 1;
	}
	return p[-1] == '}' && *p == '\0';
}

bool
stats_load(struct wq_db *db, enum stats_by by, struct stats *s, struct wq_err *err)
{
	const char *params[1] = { stats_by_names[by] };
	struct wq_rows *codes, *rows;
	long *counts;
	int i, c, r, total;

	memset(s, 0, sizeof(*s));
	s->by = by;
	codes = db_query(db, "SELECT code, name FROM wq_api.stats_codes()", 0, NULL, err);
	if (!codes)
		return false;
	rows = db_query(db, "SELECT * FROM wq_api.stats($1)", 1, params, err);
	if (!rows) {
		rows_free(codes);
		return false;
	}
	s->ncodes = codes->nrows;
	s->ncols = STATS_COL_CODES + s->ncodes + 3;
	s->headers = xcalloc((size_t)s->ncols, sizeof(*s->headers));
	s->headers[STATS_COL_GROUP] = xstrdup(stats_by_labels[by]);
	for (c = 0; c < 6; c++)
		s->headers[STATS_COL_GRADUATES + c] = xstrdup(fixed_labels[c]);
	for (c = 0; c < s->ncodes; c++)
		s->headers[STATS_COL_CODES + c] = xasprintf("%s %s", rows_get(codes, c, 0), rows_get(codes, c, 1));
	s->headers[stats_col_unregistered(s)] = xstrdup("未登记");
	s->headers[stats_col_terminated(s)] = xstrdup("解约");
	s->headers[stats_col_rate(s)] = xstrdup("落实率");
	rows_free(codes);

	s->nrows = rows->nrows + 1;
	total = rows->nrows;
	s->cells = xcalloc((size_t)s->nrows * (size_t)s->ncols, sizeof(*s->cells));
	s->values = xcalloc((size_t)s->nrows * (size_t)s->ncols, sizeof(*s->values));
	s->placed = xcalloc((size_t)s->nrows, sizeof(*s->placed));
	counts = xcalloc((size_t)s->ncodes + 1, sizeof(*counts));
	for (r = 0; r <= rows->nrows; r++) {
		char rate[16];

		if (r < rows->nrows) {
			const char *label = rows_getn(rows, r, "label");

			s->cells[(size_t)r * (size_t)s->ncols] = xstrdup(label ? label : rows_getn(rows, r, "grp"));
			for (c = 0; c < 6; c++)
				set_count(s, r, STATS_COL_GRADUATES + c, atol(rows_getn(rows, r, fixed_cols[c])));
			if (!parse_counts(rows_getn(rows, r, "destinations"), counts, s->ncodes)) {
				wq_err_set(err, WQ_ERR_PG_QUERY, "统计结果的毕业去向列数与代码表不符");
				free(counts);
				rows_free(rows);
				stats_fini(s);
				return false;
			}
			for (c = 0; c < s->ncodes; c++)
				set_count(s, r, STATS_COL_CODES + c, counts[c]);
			set_count(s, r, stats_col_unregistered(s), atol(rows_getn(rows, r, "unregistered")));
			set_count(s, r, stats_col_terminated(s), atol(rows_getn(rows, r, "terminated")));
			s->placed[r] = atol(rows_getn(rows, r, "placed"));
		} else {
			/* 合计: the groups divide the graduates, so every count is their sum */
			s->cells[(size_t)r * (size_t)s->ncols] = xstrdup("合计");
			for (c = STATS_COL_GRADUATES; c < stats_col_rate(s); c++) {
				long sum = 0;

				for (i = 0; i < total; i++)
					sum += stats_value(s, i, c);
				set_count(s, r, c, sum);
			}
			for (i = 0; i < total; i++)
				s->placed[r] += s->placed[i];
		}
		stats_rate(rate, sizeof(rate), s->placed[r], stats_value(s, r, STATS_COL_GRADUATES));
		s->cells[(size_t)r * (size_t)s->ncols + (size_t)stats_col_rate(s)] = xstrdup(rate);
	}
	free(counts);
	rows_free(rows);
	return true;
}

void
stats_fini(struct stats *s)
{
	int i;

	for (i = 0; s->headers && i < s->ncols; i++)
		free(s->headers[i]);
	for (i = 0; s->cells && i < s->nrows * s->ncols; i++)
		free(s->cells[i]);
	free(s->headers);
	free(s->cells);
	free(s->values);
	free(s->placed);
	memset(s, 0, sizeof(*s));
}

void
stats_print(const struct stats *s, FILE *out)
{
	struct table t;
	int r;

	table_init(&t, s->ncols);
	table_add(&t, (const char *const *)s->headers);
	for (r = 0; r < s->nrows; r++)
		table_add(&t, (const char *const *)&s->cells[(size_t)r * (size_t)s->ncols]);
	table_print(&t, out);
	table_fini(&t);
}

bool
stats_export(const struct stats *s, const char *path, const char *fmt, struct wq_err *err)
{
	enum export_format f;
	struct export_writer *w;
	bool *text;
	int r;

	if (!export_format_parse(fmt, &f)) {
		wq_err_set(err, WQ_ERR_USAGE, "格式应为 csv 或 xlsx");
		return false;
	}
	/* the group's label stays text; the counts are numbers */
	text = xcalloc((size_t)s->ncols, sizeof(*text));
	text[STATS_COL_GROUP] = true;
	w = export_open(path, f, "数据统计", s->ncols, (const char *const *)s->headers, text, err);
	free(text);
	if (!w)
		return false;
	for (r = 0; r < s->nrows; r++) {
		if (!export_row(w, (const char *const *)&s->cells[(size_t)r * (size_t)s->ncols], err)) {
			export_abort(w);
			return false;
		}
	}
	return export_close(w, err);
}

struct wq_rows *
stats_queues(struct wq_db *db, struct wq_err *err)
{
	return db_query(db,
		"SELECT label, waiting, to_char(oldest, 'YYYY-MM-DD HH24:MI') AS oldest, "
		"       extract(day FROM now() - oldest)::int AS days "
		"  FROM wq_api.stats_queues()", 0, NULL, err);
}
