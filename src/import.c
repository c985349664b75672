/* import.c: wq roster import, all or nothing. */
#include "import.h"

#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "export.h"
#include "roster.h"
#include "table.h"
#include "util.h"
#include "validate.h"

/* The staging table's columns after "line", in roster_begin's order. */
static const enum roster_field stage_fields[] = {
	RF_EXAM_NO, RF_NAME, RF_SEX, RF_ID_NUMBER, RF_ETHNICITY, RF_POLITICAL, RF_BIRTH_DATE,
	RF_SCHOOL, RF_DEPT, RF_LEVEL, RF_MAJOR, RF_TRAINING, RF_ORIGIN, RF_COUNT /* origin_name */,
	RF_STUDENT_NO, RF_YEARS, RF_ENTRY_DATE, RF_GRAD_DATE, RF_MOBILE, RF_EMAIL,
};

#define STAGE_COPY "COPY pg_temp.wq_roster_stage (line, exam_no, name, sex, id_number, ethnicity, " \
	"political_status, birth_date, school_name, dept, level, major, training_mode, origin_code, " \
	"origin_name, student_no, years, entry_date, grad_date, mobile, email) FROM STDIN"

/* A growing byte buffer for COPY data. */
struct buf {
	char *p;
	size_t len, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

/* One value in COPY text format: \N for NULL; backslash, tab, CR, LF escaped. */
static void
buf_copy_value(struct buf *b, const char *v)
{
	const char *s;

	if (!v) {
		buf_add(b, "\\N", 2);
		return;
	}
	for (s = v; *s; s++) {
		switch (*s) {
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		default: buf_add(b, s, 1); break;
		}
	}
}

/* The base name of a path, for messages and the event. */
static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Maps header columns to roster fields; reports missing required columns. */
static bool
map_headers(const struct csv_record *hdr, const struct import_opts *o, int col_of[RF_COUNT],
	FILE *errout, int *problems)
{
	int c, f, r;
	bool ok = true;

	for (f = 0; f < RF_COUNT; f++)
		col_of[f] = -1;
	for (c = 0; c < hdr->nfields; c++) {
		const char *name = hdr->fields[c];

		for (r = 0; r < o->nrename; r++)
			if (strcmp(name, o->rename_from[r]) == 0)
				name = o->rename_to[r];
		f = roster_field_by_header(name);
		if (f < 0)
			continue;   /* extra columns of the export are not ours */
		if (col_of[f] >= 0) {
			fprintf(errout, "%s:%d: %s: 表头中出现两次（第 %d 列和第 %d 列）\n", o->path, hdr->line,
				roster_fields[f].header, col_of[f] + 1, c + 1);
			(*problems)++;
			ok = false;
			continue;
		}
		col_of[f] = c;
	}
	for (f = 0; f < RF_COUNT; f++) {
		if (col_of[f] < 0 && roster_fields[f].required) {
			fprintf(errout, "%s:%d: %s: 缺少此列\n", o->path, hdr->line, roster_fields[f].header);
			(*problems)++;
			ok = false;
		}
	}
	return ok;
}

static bool
load_codes(struct wq_db *db, struct codes *codes, struct wq_err *err)
{
	struct wq_rows *rows;
	int r;

	rows = db_query(db, "SELECT kind, code, name, short_name, coalesce(eligible, false) FROM wq_api.codes",
		0, NULL, err);
	if (!rows)
		return false;
	for (r = 0; r < rows->nrows; r++)
		codes_add(codes, rows_get(rows, r, 0), rows_get(rows, r, 1), rows_get(rows, r, 2),
			rows_get(rows, r, 3), strcmp(rows_get(rows, r, 4), "t") == 0);
	rows_free(rows);
	return true;
}

/*
 * Appends one validated row to the COPY buffer.  A column that the file has
 * is staged with "" for an empty value; a column that it lacks is NULL, so
 * the database keeps the stored values of that field (0006).
 */
static void
stage_row(struct buf *b, int line, const struct roster_row *row, const int col_of[RF_COUNT])
{
	char num[16];
	size_t i;

	snprintf(num, sizeof(num), "%d", line);
	buf_add(b, num, strlen(num));
	for (i = 0; i < ARRAY_SIZE(stage_fields); i++) {
		enum roster_field f = stage_fields[i];
		const char *v = f == RF_COUNT ? row->origin_name : row->value[f];

		buf_add(b, "\t", 1);
		if (!v && (f == RF_COUNT || col_of[f] >= 0))
			v = "";
		buf_copy_value(b, v);
	}
	buf_add(b, "\n", 1);
}

/* How many students a report lists by name; the rest are counted (and --missing-out has them all). */
#define REPORT_LIST_MAX 20
#define STR_(x) #x
#define STR(x) STR_(x)

/* Prints the database's report; fills the result's counts. */
static void
print_report(struct wq_rows *r, const struct import_opts *o, FILE *out, struct import_result *res)
{
	const char *missing = rows_getn(r, 0, "missing_list");
	const char *changed = rows_getn(r, 0, "changed_list");
	const char *nodept = rows_getn(r, 0, "nodept");
	const char *locked = rows_getn(r, 0, "locked");
	const char *absent = rows_getn(r, 0, "absent");
	int nchanged;

	res->rows = atoi(rows_getn(r, 0, "rows"));
	res->added = atoi(rows_getn(r, 0, "added"));
	res->updated = atoi(rows_getn(r, 0, "updated"));
	res->unchanged = atoi(rows_getn(r, 0, "unchanged"));
	res->missing = atoi(rows_getn(r, 0, "missing"));
	nchanged = atoi(rows_getn(r, 0, "nchanged"));
	if (absent)   /* headers of ours, never text from the file */
		fprintf(out, "文件中没有以下列，%s原有数据：%s\n", o->dry_run ? "将保留" : "已保留", absent);
	if (res->added == 0 && res->updated == 0 && atoi(rows_getn(r, 0, "missing_new")) == 0)
		fprintf(out, "与数据库中的名单相同：没有任何更改（%d 人）\n", res->rows);
	else
		fprintf(out, "%s%d 人，%s%d 人，未变 %d 人\n", o->dry_run ? "将新增 " : "新增 ", res->added,
			o->dry_run ? "将更新 " : "更新 ", res->updated, res->unchanged);
	/* what the database holds is printed as the screens draw it */
	if (changed) {
		fprintf(out, "%s的学生：\n", o->dry_run ? "将更新" : "更新");
		print_visible_lines(out, changed);
		fputc('\n', out);
		if (nchanged > REPORT_LIST_MAX)
			fprintf(out, "  ……另有 %d 人\n", nchanged - REPORT_LIST_MAX);
	}
	if (res->missing > 0) {
		fprintf(out, "数据库中有、文件中没有的学生 %d 人（%s）%s\n", res->missing,
			o->dry_run ? "将标记为不在名单中，不会删除" : "已标记为不在名单中，未删除",
			res->missing > REPORT_LIST_MAX ? "，前 " STR(REPORT_LIST_MAX) " 人：" : "：");
		print_visible_lines(out, missing);
		fputc('\n', out);
		if (res->missing > REPORT_LIST_MAX)
			fprintf(out, "  ……另有 %d 人%s\n", res->missing - REPORT_LIST_MAX,
				o->missing_out ? "" : "（--missing-out 文件 可写出全部名单）");
	}
	if (nodept) {
		fputs("尚无院系账号的院系：", out);
		print_visible_lines(out, nodept);
		fputc('\n', out);
	}
	if (locked) {
		fputs("院系账号已锁定的院系：", out);
		print_visible_lines(out, locked);
		fputc('\n', out);
	}
	if (o->dry_run)
		fprintf(out, "（试运行：以上为将要进行的更改，数据库未作任何修改）\n");
}

/* Writes every missing student of the report (j, the jsonb text) to path as CSV. */
static bool
write_missing(struct wq_db *db, const char *j, const char *path, int *count, struct wq_err *err)
{
	static const char *const headers[] = { "学号", "姓名", "院系", "情况" };
	static const bool text[] = { true, true, true, true };
	const char *params[1] = { j };
	struct export_writer *w;
	struct wq_rows *rows;
	int i;

	rows = db_query(db,
		"SELECT e->>'student_no', e->>'name', e->>'dept', "
		"       CASE WHEN e ? 'earlier' THEN '此前已不在名单中' ELSE '本次不在文件中' END "
		"  FROM jsonb_array_elements($1::jsonb->'missing') e", 1, params, err);
	if (!rows)
		return false;
	w = export_open(path, EXPORT_CSV, NULL, 4, headers, text, err);
	for (i = 0; w && i < rows->nrows; i++) {
		const char *v[4] = { rows_get(rows, i, 0), rows_get(rows, i, 1), rows_get(rows, i, 2),
			rows_get(rows, i, 3) };

		if (!export_row(w, v, err)) {
			export_abort(w);
			w = NULL;
		}
	}
	*count = rows->nrows;
	rows_free(rows);
	return w && export_close(w, err);
}

int
roster_import(struct wq_db *db, const struct import_opts *o, FILE *out, FILE *errout,
	struct import_result *res, struct wq_err *err)
{
	struct csv csv;
	struct codes codes;
	struct validate_seen seen_no, seen_id;
	struct validate_problems problems;
	struct roster_row row;
	struct buf copy = { 0 };
	struct wq_rows *me = NULL, *report = NULL;
	const char *values[RF_COUNT];
	const char *school_code, *school_name;
	const char *params[3];
	char request_id[WQ_REQUEST_ID_SIZE];
	int col_of[RF_COUNT];
	int i, f, nproblems = 0, rc = 1;
	size_t k, first;

	memset(res, 0, sizeof(*res));
	memset(&csv, 0, sizeof(csv));
	codes_init(&codes);
	validate_seen_init(&seen_no);
	validate_seen_init(&seen_id);
	validate_problems_init(&problems);
	roster_row_init(&row);

	if (o->school_code) {
		params[0] = o->school_code;
		me = db_query(db, "SELECT 'operator', code, name FROM wq_api.schools WHERE code = $1", 1, params, err);
	} else {
		me = db_query(db, "SELECT kind, school_code, school_name FROM wq_api.me", 0, NULL, err);
	}
	if (!me)
		goto out;
	if (me->nrows != 1 || (!o->school_code && strcmp(rows_get(me, 0, 0), "school") != 0)) {
		wq_err_set(err, WQ_ERR_PG_DENIED, "只有学校用户可以导入本校的学生名单");
		goto out;
	}
	school_code = rows_get(me, 0, 1);
	school_name = rows_get(me, 0, 2);

	if (!csv_read_file(o->path, o->encoding, &csv, err)) {
		rc = WQ_ERR_INPUT == err->code ? 65 : 1;
		goto out;
	}
	if (csv.nrecords < 1) {
		wq_err_set(err, WQ_ERR_INPUT, "%s: 文件为空", o->path);
		rc = 65;
		goto out;
	}
	fprintf(out, "%s%s：编码 %s，%d 行数据\n", o->dry_run ? "试运行：" : "", o->path,
		csv_encoding_name(csv.encoding), csv.nrecords - 1);
	if (!map_headers(&csv.records[0], o, col_of, errout, &nproblems))
		goto problems;
	if (!load_codes(db, &codes, err))
		goto out;

	for (i = 1; i < csv.nrecords; i++) {
		const struct csv_record *rec = &csv.records[i];

		if (csv_record_blank(rec))
			continue;
		if (rec->nfields != csv.records[0].nfields) {
			fprintf(errout, "%s:%d: 有 %d 列，表头有 %d 列（引号或逗号可能有误）\n", o->path, rec->line,
				rec->nfields, csv.records[0].nfields);
			nproblems++;
			continue;
		}
		for (f = 0; f < RF_COUNT; f++)
			values[f] = col_of[f] >= 0 ? rec->fields[col_of[f]] : NULL;
		if (!validate_row(&codes, school_code, school_name, values, &row, &problems)) {
			for (k = 0; k < problems.n; k++)
				fprintf(errout, "%s:%d: %s: %s\n", o->path, rec->line,
					roster_fields[problems.items[k].field].header, problems.items[k].msg);
			nproblems += (int)problems.n;
			continue;
		}
		if ((first = validate_seen_add(&seen_no, row.value[RF_STUDENT_NO], (size_t)rec->line))) {
			fprintf(errout, "%s:%d: 学号: %s 与第 %zu 行重复\n", o->path, rec->line,
				row.value[RF_STUDENT_NO], first);
			nproblems++;
			continue;
		}
		if ((first = validate_seen_add(&seen_id, row.value[RF_ID_NUMBER], (size_t)rec->line))) {
			fprintf(errout, "%s:%d: 身份证号: 与第 %zu 行重复\n", o->path, rec->line, first);
			nproblems++;
			continue;
		}
		if (!nproblems)
			stage_row(&copy, rec->line, &row, col_of);
		res->rows++;
	}
problems:
	if (nproblems > 0) {
		res->problems = nproblems;
		fprintf(errout, "%s: 共 %d 处错误，未导入任何数据\n", o->path, nproblems);
		rc = 65;
		goto out;
	}

	/* One transaction: stage, merge (checked again by the database), commit or roll back. */
	params[0] = base_name(o->path);
	params[1] = o->school_code;
	wq_request_id(request_id);   /* one import, one request */
	params[2] = request_id;
	/* a large roster may take longer than a clerk's statement_timeout (30 s) */
	if (!db_exec(db, "BEGIN", 0, NULL, err)
	    || !db_exec(db, "SET LOCAL statement_timeout = '15min'", 0, NULL, err)
	    || !db_exec(db, "SELECT wq_api.roster_begin($1)", 1, params + 1, err)
	    || !db_copy_begin(db, STAGE_COPY, err)
	    || !db_copy_put(db, copy.p ? copy.p : "", copy.len, err)
	    || !db_copy_end(db, err))
		goto rollback;
	report = db_query(db,
		"WITH r AS (SELECT wq_api.roster_apply($1, $3::uuid, $2) AS j) "
		"SELECT j::text AS j, j->>'rows' AS rows, j->>'added' AS added, j->>'updated' AS updated, "
		"       j->>'unchanged' AS unchanged, jsonb_array_length(j->'missing') AS missing, "
		"       jsonb_array_length(j->'changed') AS nchanged, "
		"       (SELECT count(*) FROM jsonb_array_elements(j->'missing') e WHERE NOT (e ? 'earlier')) AS missing_new, "
		"       (SELECT string_agg(format('  %s %s（%s）%s', e->>'student_no', e->>'name', e->>'dept', "
		"                 CASE WHEN e ? 'earlier' THEN ' 此前已不在名单中' ELSE '' END), E'\\n' ORDER BY n) "
		"          FROM jsonb_array_elements(j->'missing') WITH ORDINALITY AS x(e, n) "
		"         WHERE n <= " STR(REPORT_LIST_MAX) ") AS missing_list, "
		"       (SELECT string_agg(format('  %s %s：%s', e->>'student_no', e->>'name', "
		"                 (SELECT string_agg(f, '、') FROM jsonb_array_elements_text(e->'fields') f)), E'\\n' ORDER BY n) "
		"          FROM jsonb_array_elements(j->'changed') WITH ORDINALITY AS x(e, n) "
		"         WHERE n <= " STR(REPORT_LIST_MAX) ") AS changed_list, "
		"       (SELECT string_agg(d, '、') FROM jsonb_array_elements_text(j->'departments_without_clerk') d) AS nodept, "
		"       (SELECT string_agg(d, '、') FROM jsonb_array_elements_text(j->'departments_locked') d) AS locked, "
		"       (SELECT string_agg(d, '、') FROM jsonb_array_elements_text(j->'absent_columns') d) AS absent "
		"  FROM r", 3, params, err);
	if (!report)
		goto rollback;
	if (!db_exec(db, o->dry_run ? "ROLLBACK" : "COMMIT", 0, NULL, err))
		goto out;
	print_report(report, o, out, res);
	if (o->missing_out) {
		int n = 0;

		if (!write_missing(db, rows_getn(report, 0, "j"), o->missing_out, &n, err)) {
			rc = 1;
			goto out;
		}
		fprintf(out, "%s不在文件中的 %d 名学生已写入 %s\n", o->dry_run ? "（试运行）" : "", n, o->missing_out);
	}
	rc = 0;
	goto out;
rollback:
	db_exec(db, "ROLLBACK", 0, NULL, NULL);
	if (err && strcmp(err->sqlstate, "23514") == 0) {
		/* the database's own check found what the client did not: same format */
		fprintf(errout, "%s: %s\n%s\n", o->path, err->msg, err->detail);
		rc = 65;
		wq_err_clear(err);
	}
out:
	rows_free(me);
	rows_free(report);
	free(copy.p);
	csv_free(&csv);
	codes_fini(&codes);
	validate_seen_fini(&seen_no);
	validate_seen_fini(&seen_id);
	validate_problems_fini(&problems);
	roster_row_fini(&row);
	return rc;
}
