/* students.c: the student list as SQL built from fixed pieces, with keyset pages. */
#include "students.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "str.h"
#include "util.h"

const struct student_col_info student_cols[SC_COUNT] = {
#define STUDENT_COL_ROW(id, label, expr, sort, key, filterable) [SC_##id] = { label, expr, sort, key, filterable },
	STUDENT_COLS(STUDENT_COL_ROW)
#undef STUDENT_COL_ROW
};

void
student_query_init(struct student_query *q)
{
	memset(q, 0, sizeof(*q));
	q->sort = SC_STUDENT_NO;
}

void
student_query_fini(struct student_query *q)
{
	int i;

	for (i = 0; i < SC_COUNT; i++) {
		free(q->field[i]);
		free(q->field_label[i]);
	}
	free(q->school_code);
	free(q->dept);
	free(q->province_code);
	memset(q, 0, sizeof(*q));
}

void
student_query_set_field(struct student_query *q, enum student_col col, const char *value,
	const char *label)
{
	free(q->field[col]);
	free(q->field_label[col]);
	q->field[col] = value ? xstrdup(value) : NULL;
	q->field_label[col] = value ? xstrdup(label ? label : value) : NULL;
}

void
students_normalise_filter(const char *in, char *out, size_t size)
{
	size_t n = 0, len = strlen(in);
	unsigned int cp;
	int used;
	const char *p = in;

	while (*p && n + 5 < size) {
		used = str_utf8_decode(p, len - (size_t)(p - in), &cp);
		if (used <= 0)
			break;
		cp = str_halfwidth(cp);
		p += used;
		if (cp == (unsigned int)-1)
			continue;
		n += (size_t)str_utf8_encode(cp, out + n);
	}
	out[n] = '\0';
	/* trim spaces */
	while (n > 0 && out[n - 1] == ' ')
		out[--n] = '\0';
	for (p = out; *p == ' '; p++)
		;
	if (p != out)
		memmove(out, p, strlen(p) + 1);
}

/*
 * The arguments student_page and student_count share: the filter text
 * (normalised), then the field filters of the filterable columns in their
 * order (NULL for none).
 */
static void
add_filter_args(struct query *out, const struct student_query *q)
{
	char norm[sizeof(q->text)];
	int i;

	students_normalise_filter(q->text, norm, sizeof(norm));
	query_param(out, norm, "text");
	for (i = 0; i < SC_COUNT; i++) {
		if (!student_cols[i].filterable)
			continue;
		query_add(out, ", ");
		query_param(out, q->field[i], "text");
	}
}

/* The page query's FROM clause on, after the column list. */
static void
add_page_from(struct query *out, const struct student_query *q, const char *key_sort, const char *key_id,
	bool backward, int limit)
{
	bool down = q->desc != backward;   /* the order this query walks in */

	/* the page's ids in order, found by the database; their rows are read
	 * by id, in the caller's scope, in that order */
	query_add(out, " FROM wq_api.student_rows(ARRAY(SELECT * FROM wq_api.student_page(");
	add_filter_args(out, q);
	query_add(out, ", ");
	query_param(out, student_cols[q->sort].key, "text");
	query_add(out, ", ");
	query_param(out, down ? "true" : "false", "boolean");
	query_add(out, ", ");
	query_param(out, key_sort, "text");
	query_add(out, ", ");
	query_param(out, key_id, "bigint");
	query_add(out, ", ");
	query_param_int(out, limit, "integer");
	query_add(out, "))) WITH ORDINALITY AS page ORDER BY page.ordinality");
}

void
students_page_sql(const struct student_query *q, const char *key_sort, const char *key_id,
	bool backward, int limit, struct query *out)
{
	int i;

	query_init(out, "SELECT id, ");
	query_add(out, student_cols[q->sort].sort);
	query_add(out, " AS sort_value");
	for (i = 0; i < SC_COUNT; i++) {
		query_add(out, ", ");
		query_add(out, student_cols[i].expr);
	}
	add_page_from(out, q, key_sort, key_id, backward, limit);
}

void
students_count_sql(const struct student_query *q, struct query *out)
{
	query_init(out, "SELECT wq_api.student_count(");
	add_filter_args(out, q);
	query_add(out, ")");
}

void
students_values_sql(const struct student_query *q, enum student_col col, struct query *out)
{
	(void)q;   /* the database applies the caller's scope */
	query_init(out, "SELECT v, label FROM wq_api.student_values(");
	query_param(out, student_cols[col].key, "text");
	query_add(out, ")");
}

struct wq_rows *
students_detail(struct wq_db *db, const char *id, struct wq_err *err)
{
	struct query qy;
	struct wq_rows *rows;

	query_init(&qy,
		"SELECT exam_no AS \"考生号\", name AS \"姓名\", sex_name AS \"性别\", id_number AS \"身份证号\", "
		"       ethnicity_name AS \"民族\", political_status_name AS \"政治面貌\", "
		"       to_char(birth_date, 'YYYY-MM-DD') AS \"出生日期\", school_name AS \"毕业院校\", dept AS \"院系\", "
		"       level_name AS \"学历层次\", major AS \"专业\", "
		"       training_mode || ' ' || training_mode_name AS \"培养方式\", "
		"       origin_code || CASE WHEN origin_name <> '' THEN ' ' || origin_name ELSE '' END AS \"生源所在地\", "
		"       student_no AS \"学号\", years AS \"学制\", to_char(entry_date, 'YYYY-MM-DD') AS \"入学时间\", "
		"       to_char(grad_date, 'YYYY-MM-DD') AS \"毕业时间\", mobile AS \"手机号码\", email AS \"电子邮箱\", "
		"       CASE WHEN eligible THEN '是' ELSE '否（无网签资格）' END AS \"网签资格\", "
		"       CASE verify_status WHEN 'verified' THEN '已核对' WHEN 'mismatch' THEN '信息不一致：' "
		"            || array_to_string(verify_fields, '、') || ' 与学籍不符' ELSE '未核对' END "
		"         || coalesce('（' || to_char(verified_at, 'YYYY-MM-DD HH24:MI') || '）', '') AS \"核对状态\", "
		"       CASE WHEN in_roster THEN '在名单中' ELSE '不在最近导入的名单中' END AS \"名单\", "
		"       " STUDENT_DESTINATION_TEXT " AS \"毕业去向\" "
		"  FROM wq_api.student_rows(ARRAY[");
	query_param(&qy, id, "bigint");
	query_add(&qy, "])");
	rows = query_run(db, &qy, err);
	query_fini(&qy);
	return rows;
}

struct wq_rows *
students_history(struct wq_db *db, const char *id, struct wq_err *err)
{
	struct query qy;
	struct wq_rows *rows;

	/* the actor's name and kind, and values before → after, come from the database */
	query_init(&qy,
		"SELECT to_char(at, 'YYYY-MM-DD HH24:MI') AS at, actor_name || '（' || actor_kind || '）' AS actor, what "
		"  FROM wq_api.student_history(");
	query_param(&qy, id, "bigint");
	query_add(&qy, ")");
	rows = query_run(db, &qy, err);
	query_fini(&qy);
	return rows;
}

/* The export's columns: the 19 roster fields in file order, then ours (毕业去向: its code and name, 未登记 when none). */
static const char *const export_headers[] = {
	"考生号", "姓名", "性别", "身份证号", "民族", "政治面貌", "出生日期", "毕业院校", "院系", "学历层次",
	"专业", "培养方式", "生源所在地", "学号", "学制", "入学时间", "毕业时间", "手机号码", "电子邮箱",
	"网签资格", "核对状态", "毕业去向代码", "毕业去向",
};
static const bool export_text[] = {
	true, true, true, true, true, true, true, true, true, true,
	true, true, true, true, true, true, true, true, true, true, true, true, true,
};
#define EXPORT_SELECT_HEAD "SELECT id, "
#define EXPORT_SELECT_TAIL " AS sort_value, exam_no, name, sex_name, id_number, ethnicity_name, " \
	"political_status_name, to_char(birth_date, 'YYYY-MM-DD'), school_name, dept, level_name, major, " \
	"training_mode_name, CASE WHEN origin_code LIKE '__0000' AND origin_name <> '' THEN origin_name " \
	"ELSE origin_code END, student_no, years, to_char(entry_date, 'YYYY-MM-DD'), " \
	"to_char(grad_date, 'YYYY-MM-DD'), mobile, email, " \
	"CASE WHEN eligible THEN '是' ELSE '否' END, " \
	"CASE verify_status WHEN 'verified' THEN '已核对' WHEN 'mismatch' THEN '信息不一致' ELSE '未核对' END, " \
	"destination_code, coalesce(" STUDENT_DESTINATION_NAME ", '未登记')"

bool
students_export(struct wq_db *db, const struct student_query *q, const char *path,
	const char *format, int *count, struct wq_err *err)
{
	enum export_format fmt;
	struct export_writer *w;
	struct wq_rows *rows = NULL;
	struct query page;
	const char *values[ARRAY_SIZE(export_headers)];
	char *after_sort = NULL, *after_id = NULL;
	const char *v;
	int r, c;
	bool ok = false;

	*count = 0;
	if (!export_format_parse(format ? format : "csv", &fmt))
		return wq_err_set(err, WQ_ERR_USAGE, "导出格式应为 csv 或 xlsx，而不是 %s", format);
	w = export_open(path, fmt, "学生名单", (int)ARRAY_SIZE(export_headers), export_headers, export_text, err);
	if (!w)
		return false;
	for (;;) {
		/* the page query with the export's column list in place of the screen's */
		query_init(&page, EXPORT_SELECT_HEAD);
		query_add(&page, student_cols[q->sort].sort);
		query_add(&page, EXPORT_SELECT_TAIL);
		add_page_from(&page, q, after_sort, after_id, false, 5000);
		rows = query_run(db, &page, err);
		query_fini(&page);
		if (!rows)
			goto fail;
		for (r = 0; r < rows->nrows; r++) {
			for (c = 0; c < (int)ARRAY_SIZE(export_headers); c++)
				values[c] = rows_get(rows, r, c + 2);
			if (!export_row(w, values, err))
				goto fail;
			(*count)++;
		}
		if (rows->nrows < 5000)
			break;
		free(after_sort);
		free(after_id);
		after_sort = xstrdup((v = rows_getn(rows, rows->nrows - 1, "sort_value")) ? v : "");
		after_id = xstrdup(rows_getn(rows, rows->nrows - 1, "id"));
		rows_free(rows);
		rows = NULL;
	}
	rows_free(rows);
	rows = NULL;
	ok = export_close(w, err);
	w = NULL;
fail:
	if (w)
		export_abort(w);
	rows_free(rows);
	free(after_sort);
	free(after_id);
	return ok;
}
