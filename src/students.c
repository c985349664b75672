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

/* A string builder. */
struct sb {
	char *p;
	size_t len, cap;
};

static void
sb_add(struct sb *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2 + 256;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
}

static void
add_param(struct sb *b, const char **params, int *n, const char *value, const char *type)
{
	char ref[48];

	params[*n] = value;
	(*n)++;
	snprintf(ref, sizeof(ref), "$%d::%s", *n, type);
	sb_add(b, ref);
}

/*
 * The arguments student_page and student_count share: the filter text
 * (normalised), then the field filters of the filterable columns in their
 * order (NULL for none).
 */
static void
add_filter_args(struct sb *b, const struct student_query *q, struct students_sql *w)
{
	int i;

	students_normalise_filter(q->text, w->norm, sizeof(w->norm));
	add_param(b, w->params, &w->nparams, w->norm, "text");
	for (i = 0; i < SC_COUNT; i++) {
		if (!student_cols[i].filterable)
			continue;
		sb_add(b, ", ");
		add_param(b, w->params, &w->nparams, q->field[i], "text");
	}
}

void
students_page_sql(const struct student_query *q, const char *key_sort, const char *key_id,
	bool backward, int limit, struct students_sql *out)
{
	struct sb b = { 0 };
	bool down = q->desc != backward;   /* the order this query walks in */
	int i;

	memset(out, 0, sizeof(*out));
	sb_add(&b, "SELECT id, ");
	sb_add(&b, student_cols[q->sort].sort);
	sb_add(&b, " AS sort_value");
	for (i = 0; i < SC_COUNT; i++) {
		sb_add(&b, ", ");
		sb_add(&b, student_cols[i].expr);
	}
	/* the page's ids in order, found by the database; their rows are read
	 * through the view, under the row policy */
	sb_add(&b, " FROM wq_api.student_page(");
	add_filter_args(&b, q, out);
	sb_add(&b, ", ");
	add_param(&b, out->params, &out->nparams, student_cols[q->sort].key, "text");
	sb_add(&b, ", ");
	add_param(&b, out->params, &out->nparams, down ? "true" : "false", "boolean");
	sb_add(&b, ", ");
	add_param(&b, out->params, &out->nparams, key_sort, "text");
	sb_add(&b, ", ");
	add_param(&b, out->params, &out->nparams, key_id, "bigint");
	sb_add(&b, ", ");
	snprintf(out->limit, sizeof(out->limit), "%d", limit);
	add_param(&b, out->params, &out->nparams, out->limit, "integer");
	sb_add(&b, ") WITH ORDINALITY AS page(page_id, page_n) JOIN wq_api.students ON id = page_id"
		" ORDER BY page_n");
	out->sql = b.p;
}

void
students_count_sql(const struct student_query *q, struct students_sql *out)
{
	struct sb b = { 0 };

	memset(out, 0, sizeof(*out));
	sb_add(&b, "SELECT wq_api.student_count(");
	add_filter_args(&b, q, out);
	sb_add(&b, ")");
	out->sql = b.p;
}

char *
students_values_sql(const struct student_query *q, enum student_col col, const char **params, int *nparams)
{
	struct sb b = { 0 };

	*nparams = 0;
	sb_add(&b, "SELECT DISTINCT ");
	sb_add(&b, student_cols[col].sort);
	sb_add(&b, " AS v, ");
	sb_add(&b, student_cols[col].expr);
	sb_add(&b, " AS label FROM wq_api.students WHERE true");
	/* the user's scope, so that the planner may use the indexes that begin with it */
	if (q->province_code) {
		sb_add(&b, " AND province_code = ");
		add_param(&b, params, nparams, q->province_code, "text");
	}
	if (q->school_code) {
		sb_add(&b, " AND school_code = ");
		add_param(&b, params, nparams, q->school_code, "text");
	}
	if (q->dept) {
		sb_add(&b, " AND dept = ");
		add_param(&b, params, nparams, q->dept, "text");
	}
	sb_add(&b, " ORDER BY 1, 2");
	return b.p;
}

void
students_sql_fini(struct students_sql *s)
{
	free(s->sql);
	memset(s, 0, sizeof(*s));
}

struct wq_rows *
students_detail(struct wq_db *db, const char *id, struct wq_err *err)
{
	const char *params[1] = { id };

	return db_query(db,
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
		"       coalesce(destination_code, '') AS \"毕业去向\" "
		"  FROM wq_api.students WHERE id = $1::bigint", 1, params, err);
}

struct wq_rows *
students_history(struct wq_db *db, const char *id, struct wq_err *err)
{
	const char *params[1] = { id };

	return db_query(db,
		"SELECT to_char(at, 'YYYY-MM-DD HH24:MI') AS at, actor, "
		"       CASE action WHEN 'roster_update' THEN '名单更新：' || "
		"                 (SELECT string_agg(f, '、') FROM jsonb_array_elements_text(after->'fields') f) "
		"            WHEN 'verify' THEN '核对：' || CASE after->>'verify_status' WHEN 'verified' THEN '已核对' "
		"                 ELSE '信息不一致（' || (SELECT string_agg(f, '、') FROM jsonb_array_elements_text(after->'fields') f) || '）' END "
		"            ELSE action END AS what "
		"  FROM wq_api.events WHERE entity = 'student' AND entity_id = $1 ORDER BY id DESC LIMIT 50",
		1, params, err);
}

/* The export's columns: the 19 roster fields in file order, then two of ours. */
static const char *const export_headers[] = {
	"考生号", "姓名", "性别", "身份证号", "民族", "政治面貌", "出生日期", "毕业院校", "院系", "学历层次",
	"专业", "培养方式", "生源所在地", "学号", "学制", "入学时间", "毕业时间", "手机号码", "电子邮箱",
	"网签资格", "核对状态",
};
static const bool export_text[] = {
	true, true, true, true, true, true, true, true, true, true,
	true, true, true, true, true, true, true, true, true, true, true,
};
#define EXPORT_SELECT "SELECT id, %s AS sort_value, exam_no, name, sex_name, id_number, ethnicity_name, " \
	"political_status_name, to_char(birth_date, 'YYYY-MM-DD'), school_name, dept, level_name, major, " \
	"training_mode_name, CASE WHEN origin_code LIKE '__0000' AND origin_name <> '' THEN origin_name " \
	"ELSE origin_code END, student_no, years, to_char(entry_date, 'YYYY-MM-DD'), " \
	"to_char(grad_date, 'YYYY-MM-DD'), mobile, email, " \
	"CASE WHEN eligible THEN '是' ELSE '否' END, " \
	"CASE verify_status WHEN 'verified' THEN '已核对' WHEN 'mismatch' THEN '信息不一致' ELSE '未核对' END"

bool
students_export(struct wq_db *db, const struct student_query *q, const char *path,
	const char *format, int *count, struct wq_err *err)
{
	enum export_format fmt;
	struct export_writer *w;
	struct wq_rows *rows = NULL;
	struct students_sql page;
	const char *values[ARRAY_SIZE(export_headers)];
	char *sql, *from, *after_sort = NULL, *after_id = NULL, *head;
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
		students_page_sql(q, after_sort, after_id, false, 5000, &page);
		from = strstr(page.sql, " FROM wq_api.student_page(");
		head = xasprintf(EXPORT_SELECT, student_cols[q->sort].sort);
		sql = xasprintf("%s%s", head, from);
		free(head);
		rows = db_query(db, sql, page.nparams, page.params, err);
		free(sql);
		students_sql_fini(&page);
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
		after_sort = xstrdup(rows_get(rows, rows->nrows - 1, 1) ? rows_get(rows, rows->nrows - 1, 1) : "");
		after_id = xstrdup(rows_get(rows, rows->nrows - 1, 0));
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
