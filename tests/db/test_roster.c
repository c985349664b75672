/*
 * test_roster.c: the roster, 核对, settings and department accounts, enforced
 * by the database.  Rows are staged with plain SQL here (roster_begin, then
 * INSERT into the staging table, then roster_apply), so these tests show what
 * the database itself accepts and refuses, whatever the client checked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "account.h"
#include "admin.h"
#include "dbtest.h"
#include "demo.h"
#include "export.h"
#include "csv.h"
#include "import.h"
#include "settings.h"
#include "util.h"

/* Three valid students of 北京甲大学; the third is 定向（不可网签）. */
#define STAGE_COLS "line, exam_no, name, sex, id_number, ethnicity, political_status, birth_date, " \
	"school_name, dept, level, major, training_mode, origin_code, origin_name, student_no, years, " \
	"entry_date, grad_date, mobile, email"
#define ROW_A(major) "(2, '26110101000001', '王堃', '2', '11010519491231002X', '01', '03', '1949-12-31', " \
	"'北京甲大学', '计算机学院', '31', '" major "', '1', '110105', '', 'S001', '4', '2022-09-01', " \
	"'2026-06-30', '13800000001', 'a@example.edu.cn')"
#define ROW_B "(3, NULL, '阿卜杜拉·艾力', '1', '440524188001010014', '05', '01', '1880-01-01', " \
	"'北京甲大学', '计算机学院', '11', '软件工程', '22', '440524', '', 'S002', '3', NULL, NULL, NULL, NULL)"
#define ROW_C "(4, NULL, '李四', '1', '110101200001010010', '01', '13', '2000-01-01', " \
	"'北京甲大学', '化学学院', '31', '化学', '21', '320102', '江苏省南京市玄武区', 'S003', NULL, NULL, NULL, NULL, NULL)"

static int
setup_fixture(void **state)
{
	static const char *const fixture[] = {
		"11 北京市 three-party",
		"10001 北京甲大学 11",
		"10002 北京乙大学 11",
		NULL,
	};
	struct wq_db *db = dbtest_fixture(fixture);

	if (!db)
		return -1;
	add_account(db, "sa", "school", NULL, "10001", NULL);
	add_account(db, "sb", "school", NULL, "10002", NULL);
	add_account(db, "da1", "dept", NULL, "10001", "计算机学院");
	add_account(db, "p1", "portal", NULL, NULL, NULL);
	*state = db;
	return 0;
}

/* Runs roster_begin, stages the rows, applies; returns the report (caller frees) or NULL. */
static char *
import_rows(struct wq_db *db, const char *rows, struct wq_err *err)
{
	char *sql = xasprintf("INSERT INTO pg_temp.wq_roster_stage (" STAGE_COLS ") VALUES %s", rows);
	struct wq_rows *r = NULL;
	char *report = NULL;

	wq_err_clear(err);
	if (db_exec(db, "BEGIN", 0, NULL, err)
	    && db_exec(db, "SELECT wq_api.roster_begin()", 0, NULL, err)
	    && db_exec(db, sql, 0, NULL, err)
	    && (r = db_query(db, "SELECT wq_api.roster_apply('t.csv')::text", 0, NULL, err))
	    && db_exec(db, "COMMIT", 0, NULL, err))
		report = xstrdup(rows_get(r, 0, 0));
	else
		db_exec(db, "ROLLBACK", 0, NULL, NULL);
	rows_free(r);
	free(sql);
	return report;
}

static void
assert_contains(const char *hay, const char *needle)
{
	if (!hay || !strstr(hay, needle))
		fail_msg("expected to find %s in:\n%s", needle, hay ? hay : "(null)");
}

/* ---- import ---------------------------------------------------------------- */

static void
test_import_as_school_user(void **state)
{
	struct wq_db *sa = must_connect("sa"), *da = must_connect("da1"), *sb = must_connect("sb");
	struct wq_err err;
	char *report = import_rows(sa, ROW_A("计算机科学与技术") "," ROW_B "," ROW_C, &err);

	if (!report)
		fail_msg("import: %s / %s", err.msg, err.detail);
	assert_contains(report, "\"added\": 3");
	assert_contains(report, "\"updated\": 0");
	/* departments come from the roster; 化学学院 has no clerk yet */
	assert_contains(report, "\"departments_without_clerk\": [\"化学学院\"]");
	free(report);
	assert_scalar(sa, "SELECT count(*) FROM wq_api.students", "3");
	assert_scalar(da, "SELECT string_agg(student_no, ',' ORDER BY student_no) FROM wq_api.students", "S001,S002");
	assert_scalar(sb, "SELECT count(*) FROM wq_api.students", "0");
	assert_scalar(sa, "SELECT eligible::text || training_mode_name FROM wq_api.students WHERE student_no = 'S003'",
		"false定向（不可网签）");
	assert_scalar(sa, "SELECT count(*) FROM wq_api.events WHERE entity = 'roster' AND action = 'import'", "1");
	db_close(sa);
	db_close(da);
	db_close(sb);
}

static void
test_import_refused_for_others(void **state)
{
	struct wq_db *da = must_connect("da1"), *sb = must_connect("sb");
	struct wq_err err;
	char *report;

	assert_refused(da, "SELECT wq_api.roster_begin()", "42501");
	assert_refused(da, "SELECT wq_api.roster_apply('x')", "42501");
	/* another school's user cannot load these students into its school */
	report = import_rows(sb, ROW_A("x"), &err);
	assert_null(report);
	assert_string_equal(err.sqlstate, "23514");
	assert_contains(err.detail, "第 2 行: 毕业院校: 应为本校（北京乙大学）");
	assert_scalar(*state, "SELECT count(*) FROM wq.student WHERE school_code = '10002'", "0");
	db_close(da);
	db_close(sb);
}

static void
test_import_checks_every_row_and_writes_nothing(void **state)
{
	struct wq_db *sa = must_connect("sa");
	struct wq_err err;
	char *before = scalar(*state, "SELECT count(*) || '/' || coalesce(sum(version), 0) FROM wq.student");
	char *after;
	char *report = import_rows(sa,
		"(2, NULL, '甲', '2', '110105194912310021', '01', '03', '1949-12-31', '北京甲大学', '计算机学院', "
		"'31', 'x', '1', '110105', '', 'S101', NULL, NULL, NULL, NULL, NULL),"
		"(3, NULL, '乙', '2', '11010519491231002X', '99', '03', '1950-01-01', '北京甲大学', '计算机学院', "
		"'31', 'x', '7', '110105', '', 'S101', NULL, NULL, NULL, NULL, NULL)", &err);

	assert_null(report);
	assert_string_equal(err.sqlstate, "23514");
	assert_contains(err.detail, "第 2 行: 身份证号: 校验位或出生日期不正确");
	assert_contains(err.detail, "第 3 行: 出生日期: 与身份证号不一致");
	assert_contains(err.detail, "第 3 行: 民族: 不是已知的代码");
	assert_contains(err.detail, "第 3 行: 培养方式: 不是已知的代码");
	assert_contains(err.detail, "学号: 在文件中重复（S101）");
	/* a name holding a noncharacter or a control character: refused by the table itself */
	report = import_rows(sa,
		"(2, NULL, U&'张\\FFFF三', '1', '110105198001010032', '01', '03', '1980-01-01', '北京甲大学', "
		"'计算机学院', '31', 'x', '1', '110105', '', 'S102', NULL, NULL, NULL, NULL, NULL)", &err);
	assert_null(report);
	assert_string_equal(err.sqlstate, "23514");
	report = import_rows(sa,
		"(2, NULL, E'张\\t三', '1', '110105198001010032', '01', '03', '1980-01-01', '北京甲大学', "
		"'计算机学院', '31', 'x', '1', '110105', '', 'S102', NULL, NULL, NULL, NULL, NULL)", &err);
	assert_null(report);
	assert_string_equal(err.sqlstate, "23514");
	after = scalar(*state, "SELECT count(*) || '/' || coalesce(sum(version), 0) FROM wq.student");
	assert_string_equal(before, after);
	free(before);
	free(after);
	db_close(sa);
}

static void
test_reimport_semantics(void **state)
{
	struct wq_db *sa = must_connect("sa");
	struct wq_err err;
	char *report;

	/* the same file: nothing changes */
	report = import_rows(sa, ROW_A("计算机科学与技术") "," ROW_B "," ROW_C, &err);
	assert_non_null(report);
	assert_contains(report, "\"added\": 0");
	assert_contains(report, "\"updated\": 0");
	assert_contains(report, "\"unchanged\": 3");
	assert_contains(report, "\"missing\": []");
	free(report);
	/* one changed field, one student gone: updated and flagged, never deleted */
	report = import_rows(sa, ROW_A("人工智能") "," ROW_B, &err);
	assert_non_null(report);
	assert_contains(report, "\"updated\": 1");
	assert_contains(report, "\"fields\": [\"专业\"]");
	assert_contains(report, "\"student_no\": \"S003\"");
	free(report);
	assert_scalar(sa, "SELECT major FROM wq_api.students WHERE student_no = 'S001'", "人工智能");
	assert_scalar(sa, "SELECT in_roster::text FROM wq_api.students WHERE student_no = 'S003'", "false");
	assert_scalar(sa, "SELECT count(*) FROM wq_api.events WHERE entity = 'student' AND action = 'roster_update'", "1");
	/* back in the file: back in the roster */
	report = import_rows(sa, ROW_A("人工智能") "," ROW_B "," ROW_C, &err);
	assert_non_null(report);
	assert_contains(report, "重新列入名单");
	free(report);
	assert_scalar(sa, "SELECT count(*) FROM wq_api.students WHERE NOT in_roster", "0");
	db_close(sa);
}

/* ---- columns that a file lacks ------------------------------------------- */

/* The optional fields: their column and their header. */
static const char *const optional_cols[][2] = {
	{ "exam_no", "考生号" }, { "years", "学制" }, { "entry_date", "入学时间" },
	{ "grad_date", "毕业时间" }, { "mobile", "手机号码" }, { "email", "电子邮箱" },
};

/* Every student's value of column, in 学号 order, as one text (NULL as ~). */
static char *
column_snapshot(struct wq_db *su, const char *school, const char *column, const char *except)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "SELECT string_agg(student_no || '=' || coalesce(%s::text, '~'), ',' "
		"ORDER BY student_no) FROM wq.student WHERE school_code = '%s' AND student_no <> '%s'",
		column, school, except ? except : "");
	return scalar(su, sql);
}

/*
 * A client that stages fewer columns (here: plain SQL without one optional
 * column): the stored values of that field stay, the others are updated, the
 * report names the column, and the events do not list it.
 */
static void
test_absent_columns_keep_stored_values_in_the_database(void **state)
{
	struct wq_db *su = *state, *sa = must_connect("sa");
	struct wq_err err;
	char *report, *before, *after, cols[512], sql[2048];
	size_t i;

	report = import_rows(sa, ROW_A("计算机科学与技术") "," ROW_B "," ROW_C, &err);
	assert_non_null(report);
	free(report);
	for (i = 0; i < ARRAY_SIZE(optional_cols); i++) {
		const char *col = optional_cols[i][0];
		char *p, *q;
		struct wq_rows *r = NULL;

		before = column_snapshot(su, "10001", col, NULL);
		/* the staged column list without col; 专业 changes so the rows are updated */
		snprintf(cols, sizeof(cols), "%s", STAGE_COLS);
		p = strstr(cols, col);
		assert_non_null(p);
		q = p + strlen(col);
		if (*q == ',')
			q += 2;
		else
			p -= 2;   /* the last column: drop the ", " before it */
		memmove(p, q, strlen(q) + 1);
		snprintf(sql, sizeof(sql),
			"INSERT INTO pg_temp.wq_roster_stage (%s) "
			"SELECT %s FROM (VALUES %s, %s, %s) AS v(" STAGE_COLS ")", cols, cols,
			ROW_A("专业甲"), ROW_B, ROW_C);
		wq_err_clear(&err);
		if (!db_exec(sa, "BEGIN", 0, NULL, &err)
		    || !db_exec(sa, "SELECT wq_api.roster_begin()", 0, NULL, &err)
		    || !db_exec(sa, sql, 0, NULL, &err)
		    || !(r = db_query(sa, "SELECT wq_api.roster_apply('t.csv')::text", 0, NULL, &err))
		    || !db_exec(sa, "COMMIT", 0, NULL, &err))
			fail_msg("import without %s: %s / %s", col, err.msg, err.detail);
		report = xstrdup(rows_get(r, 0, 0));
		rows_free(r);
		after = column_snapshot(su, "10001", col, NULL);
		if (strcmp(before, after) != 0)
			fail_msg("import without %s changed it: %s -> %s", col, before, after);
		snprintf(sql, sizeof(sql), "\"absent_columns\": [\"%s\"]", optional_cols[i][1]);
		assert_contains(report, sql);
		assert_contains(report, "\"updated\": 1");
		assert_scalar(su, "SELECT major FROM wq.student WHERE school_code = '10001' AND student_no = 'S001'", "专业甲");
		/* the event lists the changed field only, never the absent one */
		assert_scalar(su, "SELECT after->>'fields' FROM wq.event WHERE entity = 'student' "
			"AND action = 'roster_update' AND entity_id = (SELECT id::text FROM wq.student "
			"WHERE school_code = '10001' AND student_no = 'S001') ORDER BY id DESC LIMIT 1", "[\"专业\"]");
		free(report);
		free(before);
		free(after);
		/* back to the first 专业 for the next column */
		report = import_rows(sa, ROW_A("计算机科学与技术") "," ROW_B "," ROW_C, &err);
		assert_non_null(report);
		free(report);
	}
	/* a required column left out is refused, naming it, and nothing changes */
	before = column_snapshot(su, "10001", "name", NULL);
	wq_err_clear(&err);
	assert_true(db_exec(sa, "BEGIN", 0, NULL, &err));
	assert_true(db_exec(sa, "SELECT wq_api.roster_begin()", 0, NULL, &err));
	assert_true(db_exec(sa, "INSERT INTO pg_temp.wq_roster_stage (line, student_no, sex, id_number, ethnicity, "
		"political_status, birth_date, school_name, dept, level, major, training_mode, origin_code) "
		"VALUES (2, 'S001', '2', '11010519491231002X', '01', '03', '1949-12-31', '北京甲大学', "
		"'计算机学院', '31', '计算机科学与技术', '1', '110105')", 0, NULL, &err));
	assert_null(db_query(sa, "SELECT wq_api.roster_apply('t.csv')", 0, NULL, &err));
	assert_string_equal(err.sqlstate, "23514");
	assert_contains(err.detail, "第 2 行: 姓名: 不能为空");
	db_exec(sa, "ROLLBACK", 0, NULL, NULL);
	after = column_snapshot(su, "10001", "name", NULL);
	assert_string_equal(before, after);
	free(before);
	free(after);
	db_close(sa);
}

/* The history: who acted (name and kind), and each changed value before and after. */
static void
test_history_names_the_actor_and_the_values(void **state)
{
	struct wq_db *su = *state, *sa = must_connect("sa"), *da = must_connect("da1"), *sb = must_connect("sb");
	struct wq_err err;
	char *report, *id, sql[256];

	report = import_rows(sa, ROW_A("计算机科学与技术") "," ROW_B "," ROW_C, &err);
	assert_non_null(report);
	free(report);
	report = import_rows(sa, ROW_A("数据科学") "," ROW_B "," ROW_C, &err);
	assert_non_null(report);
	free(report);
	id = scalar(su, "SELECT id FROM wq.student WHERE school_code = '10001' AND student_no = 'S001'");
	snprintf(sql, sizeof(sql), "SELECT actor_name || '|' || actor_kind || '|' || what "
		"FROM wq_api.student_history(%s) LIMIT 1", id);
	/* the department clerk sees the school user's name, though not its account */
	assert_scalar(da, sql, "sa|学校用户|名单更新：专业 计算机科学与技术 → 数据科学");
	assert_scalar(sa, sql, "sa|学校用户|名单更新：专业 计算机科学与技术 → 数据科学");
	/* another school: nothing */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM wq_api.student_history(%s)", id);
	assert_scalar(sb, sql, "0");
	/* wq.actor_of is not for clerks */
	assert_refused(da, "SELECT * FROM wq.actor_of('sa')", "42501");
	free(id);
	db_close(sa);
	db_close(da);
	db_close(sb);
}

/* Writes the first n records of csv to path with the export's CSV writer, leaving out column skip (-1: none). */
static void
write_csv_without(const struct csv *csv, int n, int skip, const char *path)
{
	const struct csv_record *hdr = &csv->records[0];
	const char *v[64];
	struct export_writer *w;
	struct wq_err err;
	int r, c, k;

	wq_err_clear(&err);
	for (c = 0, k = 0; c < hdr->nfields; c++)
		if (c != skip)
			v[k++] = hdr->fields[c];
	w = export_open(path, EXPORT_CSV, NULL, k, v, NULL, &err);
	assert_non_null(w);
	for (r = 1; r < n; r++) {
		for (c = 0, k = 0; c < csv->records[r].nfields; c++)
			if (c != skip)
				v[k++] = csv->records[r].fields[c];
		assert_true(export_row(w, v, &err));
	}
	assert_true(export_close(w, &err));
}

/*
 * The whole way from a file: a file without each optional column changes
 * nothing of it (the report says which columns were kept); a new student in
 * that file gets the field empty.
 */
static void
test_import_file_without_a_column_changes_nothing_of_it(void **state)
{
	struct wq_db *su = *state, *sd;
	static const struct demo_school school = { "10004", "北京丁大学" };
	char path[] = "/tmp/wq-dbtest-XXXXXX", cut[] = "/tmp/wq-dbtest-cut-XXXXXX", *out = NULL;
	struct import_opts opts = { 0 };
	struct import_result res;
	struct wq_err err;
	struct csv csv;
	FILE *f;
	size_t i, outlen = 0;
	int fd, rc, c;

	wq_err_clear(&err);
	if (!admin_school_add(su, "10004", "北京丁大学", "11", &err))
		fail_msg("school: %s", err.msg);
	add_account(su, "sd", "school", NULL, "10004", NULL);
	sd = must_connect("sd");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_true(demo_write_roster(f, &school, 40, 3, &err));
	fclose(f);
	memset(&csv, 0, sizeof(csv));
	assert_true(csv_read_file(path, CSV_ENC_AUTO, &csv, &err));
	/* the first import lacks the file's last student */
	fd = mkstemp(cut);
	assert_true(fd >= 0);
	close(fd);
	write_csv_without(&csv, csv.nrecords - 1, -1, cut);
	opts.path = cut;
	opts.encoding = CSV_ENC_AUTO;
	f = fopen("/dev/null", "w");
	rc = roster_import(sd, &opts, f, stderr, &res, &err);
	fclose(f);
	if (rc != 0)
		fail_msg("import: %s", err.msg);
	assert_int_equal(res.added, 39);

	for (i = 0; i < ARRAY_SIZE(optional_cols); i++) {
		const char *col = optional_cols[i][0];
		const char *newno = csv.records[csv.nrecords - 1].fields[13];
		char *before = column_snapshot(su, "10004", col, newno), *after, want[128], sql[256];
		int skip = -1;

		/* the whole file (one more student) without that column */
		for (c = 0; c < csv.records[0].nfields; c++)
			if (strcmp(csv.records[0].fields[c], optional_cols[i][1]) == 0)
				skip = c;
		assert_true(skip >= 0);
		write_csv_without(&csv, csv.nrecords, skip, cut);
		f = open_memstream(&out, &outlen);
		rc = roster_import(sd, &opts, f, stderr, &res, &err);
		fclose(f);
		if (rc != 0)
			fail_msg("import without %s: %s", col, err.msg);
		snprintf(want, sizeof(want), "文件中没有以下列，已保留原有数据：%s", optional_cols[i][1]);
		assert_contains(out, want);
		free(out);
		out = NULL;
		after = column_snapshot(su, "10004", col, newno);
		/* the 39 stored values stay; the new student (the last) has it empty */
		snprintf(sql, sizeof(sql), "SELECT %s IS NULL FROM wq.student WHERE school_code = '10004' "
			"AND student_no = '%s'", col, newno);
		if (i == 0) {
			assert_int_equal(res.added, 1);
			assert_scalar(su, sql, "t");
		} else {
			assert_int_equal(res.added, 0);
			/* only the new student, whose 考生号 the first of these files lacked, may change */
			assert_true(res.updated <= (i == 1 ? 1 : 0));
		}
		assert_string_equal(before, after);
		free(before);
		free(after);
	}
	csv_free(&csv);
	unlink(path);
	unlink(cut);
	db_close(sd);
}

/*
 * A student's school, province and 院系 are checked per statement (0011):
 * whoever writes, even the superuser, cannot name a department or school
 * that does not exist or a province that is not the school's, and a
 * department or school that students name cannot be removed or renamed.
 */
static void
test_student_keys_hold_for_every_writer(void **state)
{
	struct wq_db *su = *state;
	struct wq_err err;
	char sql[1024];

#define KEYS_INSERT "INSERT INTO wq.student (school_code, province_code, student_no, name, sex, " \
	"id_number, ethnicity, political_status, birth_date, dept, level, major, training_mode, origin_code) " \
	"VALUES ('%s', '%s', 'K001', '王堃', '2', '11010519491231002X', '01', '03', '1949-12-31', '%s', " \
	"'31', '化学', '1', '110105')"
	wq_err_clear(&err);
	if (!admin_province_set(su, "12", "天津市", "three-party", &err))
		fail_msg("province: %s", err.msg);

	snprintf(sql, sizeof(sql), KEYS_INSERT, "10001", "11", "没有这个学院");
	assert_refused(su, sql, "23503");
	snprintf(sql, sizeof(sql), KEYS_INSERT, "10001", "12", "化学学院");
	assert_refused(su, sql, "23503");
	snprintf(sql, sizeof(sql), KEYS_INSERT, "99999", "11", "化学学院");
	assert_refused(su, sql, "23503");
	/* an update too */
	assert_refused(su, "UPDATE wq.student SET dept = '没有这个学院' WHERE school_code = '10001' AND student_no = 'S003'",
		"23503");
	/* the other side: a named department stays, an unnamed one may go */
	assert_refused(su, "DELETE FROM wq.department WHERE school_code = '10001' AND name = '化学学院'", "23503");
	assert_refused(su, "UPDATE wq.department SET name = '化学系' WHERE school_code = '10001' AND name = '化学学院'",
		"23503");
	assert_refused(su, "UPDATE wq.school SET province_code = '12' WHERE code = '10001'", "23503");
	must_exec(su, "INSERT INTO wq.department (school_code, name) VALUES ('10001', '空学院')");
	must_exec(su, "DELETE FROM wq.department WHERE school_code = '10001' AND name = '空学院'");
	assert_scalar(su, "SELECT count(*) FROM wq.student WHERE school_code = '10001' AND dept = '化学学院'", "1");
}

/* The field filter's values come from the caller's scope only, with their labels, in the list's order. */
static void
test_field_values_keep_to_the_scope(void **state)
{
	struct wq_db *sa = must_connect("sa"), *da = must_connect("da1"), *sb = must_connect("sb");
	struct wq_err err;
	char *report = import_rows(sa, ROW_A("计算机科学与技术") "," ROW_B "," ROW_C, &err);

	(void)state;
	assert_non_null(report);
	free(report);
	assert_scalar(sa, "SELECT string_agg(v || '=' || label, ',') FROM wq_api.student_values('dept')",
		"化学学院=化学学院,计算机学院=计算机学院");
	assert_scalar(da, "SELECT string_agg(v || '=' || label, ',') FROM wq_api.student_values('dept')",
		"计算机学院=计算机学院");
	assert_scalar(sa, "SELECT string_agg(v || '=' || label, ',') FROM wq_api.student_values('training_mode')",
		"1=非定向,21=定向（不可网签）,22=定向（可网签）");
	assert_scalar(sa, "SELECT string_agg(label, ',') FROM wq_api.student_values('eligible')", "否（无网签资格）,是");
	assert_scalar(sb, "SELECT count(*) FROM wq_api.student_values('dept') WHERE v IN ('化学学院', '计算机学院')", "0");
	assert_refused(sa, "SELECT * FROM wq_api.student_values('id_number')", "22023");
	assert_refused(sa, "SELECT * FROM wq_api.student_values(repeat('x', 100))", "22001");
	db_close(sa);
	db_close(da);
	db_close(sb);
}

/* ---- the list's pages and counts (wq_api.student_page, student_count) ------- */

/* The arguments after the filter text: no field filter. */
#define NO_FIELDS "NULL, NULL, NULL, NULL, NULL, NULL, NULL"

static void
test_search_keeps_to_the_callers_scope(void **state)
{
	struct wq_db *sa = must_connect("sa"), *sb = must_connect("sb"), *da = must_connect("da1"), *p1;
	char sql[512];

#define MATCHES(db, frag, n) do { \
		snprintf(sql, sizeof(sql), "SELECT wq_api.student_count('%s', " NO_FIELDS ")", frag); \
		assert_scalar(db, sql, n); \
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM wq_api.student_page('%s', " NO_FIELDS ", " \
			"'student_no', false, NULL, NULL, 100)", frag); \
		assert_scalar(db, sql, n); \
	} while (0)
	MATCHES(sa, "", "3");
	MATCHES(da, "", "2");              /* the clerk's department only */
	MATCHES(sb, "", "0");              /* another school */
	MATCHES(sa, "阿卜杜", "1");        /* 阿卜杜拉·艾力 */
	MATCHES(sa, "李四", "1");
	MATCHES(sa, "四", "1");
	MATCHES(sa, "王", "1");
	MATCHES(sa, "·艾力", "1");
	MATCHES(da, "·艾力", "1");
	MATCHES(sb, "·艾力", "0");
	MATCHES(da, "李四", "0");          /* 化学学院: not the clerk's department */
	MATCHES(sa, "002X", "1");          /* the last digits of a 身份证号 */
	MATCHES(sa, "002x", "1");
	MATCHES(sa, "S00", "3");           /* 学号, any case */
	MATCHES(sa, "s00", "3");
	MATCHES(da, "S00", "2");
	MATCHES(sa, "%", "0");             /* wildcards match literally */
	MATCHES(sa, "_0_", "0");
	MATCHES(sa, "S_0", "0");
#undef MATCHES
	/* field filters: stored values */
	assert_scalar(sa, "SELECT wq_api.student_count('', '计算机学院', NULL, NULL, NULL, NULL, NULL, NULL)", "2");
	assert_scalar(sa, "SELECT wq_api.student_count('', NULL, NULL, '31', NULL, NULL, NULL, NULL)", "2");
	assert_scalar(sa, "SELECT wq_api.student_count('', NULL, NULL, NULL, '21', 'false', NULL, NULL)", "1");
	assert_scalar(sa, "SELECT wq_api.student_count('S0', '化学学院', '化学', NULL, NULL, NULL, 'unverified', NULL)", "1");
	/* the list reads the rows through the view, under the policy */
	assert_scalar(da, "SELECT string_agg(s.student_no, ',' ORDER BY p.n) FROM wq_api.student_page('', "
		NO_FIELDS ", 'student_no', true, NULL, NULL, 10) WITH ORDINALITY AS p(id, n) "
		"JOIN wq_api.students s USING (id)", "S002,S001");
	/* a bad sort or page size is refused; so is the portal */
	assert_refused(sa, "SELECT wq_api.student_page('', " NO_FIELDS ", 'id; DROP TABLE x', false, NULL, NULL, 10)",
		"22023");
	assert_refused(sa, "SELECT wq_api.student_page('', " NO_FIELDS ", 'name', false, NULL, NULL, 0)", "22023");
	p1 = must_connect("p1");
	assert_refused(p1, "SELECT wq_api.student_count('S00', " NO_FIELDS ")", "42501");
	assert_refused(p1, "SELECT wq_api.student_page('', " NO_FIELDS ", 'name', false, NULL, NULL, 10)", "42501");
	db_close(p1);
	db_close(sa);
	db_close(sb);
	db_close(da);
}

/* ---- the 毕业去向 filter (0027) ------------------------------------------------ */

/*
 * What db's list shows for filter text, sorted by sort, with the 毕业去向
 * filter dest (an SQL literal or NULL): its 学号 in order, then "|" and the
 * count, as "S001,S003|2".
 */
static char *
dest_list(struct wq_db *db, const char *text, const char *sort, const char *dest)
{
	return q(db, "SELECT coalesce(string_agg(s.student_no, ',' ORDER BY p.n), '') || '|' || "
		"wq_api.student_count('%1$s', NULL, NULL, NULL, NULL, NULL, NULL, %3$s) "
		"FROM wq_api.student_page('%1$s', NULL, NULL, NULL, NULL, NULL, NULL, %3$s, '%2$s', false, NULL, NULL, 1000) "
		"WITH ORDINALITY AS p(id, n) JOIN wq_api.students s USING (id)", text, sort, dest);
}

/* dest_list(db, text, sort, dest) is want (a macro: a failure names the caller's line) */
#define DEST_IS(db, text, sort, dest, want) do { \
	char *got_ = dest_list(db, text, sort, dest); \
	assert_string_equal(got_, want); \
	free(got_); \
} while (0)

/* The same from the table: 10001's graduates (of 计算机学院 only, with dept) with the code (none: without one). */
static char *
dest_want(struct wq_db *su, bool dept, const char *code)
{
	char cond[64];

	if (strcmp(code, "none") == 0)
		snprintf(cond, sizeof(cond), "destination_code IS NULL");
	else
		snprintf(cond, sizeof(cond), "destination_code = '%s'", code);
	return q(su, "SELECT coalesce(string_agg(student_no, ',' ORDER BY student_no), '') || '|' || count(*) "
		"FROM wq.student WHERE school_code = '10001'%s AND %s", dept ? " AND dept = '计算机学院'" : "", cond);
}

static void
test_destination_filter(void **state)
{
	struct wq_db *su = *state, *sa = must_connect("sa"), *da = must_connect("da1"), *sb = must_connect("sb");
	struct wq_rows *codes;
	struct wq_err err;
	const char *bad[] = { "'99'", "'502'", "'None'", "''", "'11 '", "'未登记'" };
	char *got, *want, *msg;
	int i;

	/* 10001's three graduates (test_search_keeps_to_the_callers_scope): 11, 未登记, 70 */
	assert_scalar(su, "SELECT count(*) FROM wq.student WHERE school_code = '10001' AND destination_code IS NOT NULL", "0");
	must_exec(su, "UPDATE wq.student SET destination_code = CASE student_no WHEN 'S001' THEN '11' WHEN 'S003' THEN '70' END "
		"WHERE school_code = '10001'");

	/* the f picker's choices: 未登记 first, then every category of the code table, as the column shows it */
	assert_scalar(sa, "SELECT string_agg(v || '=' || label, ',') FROM wq_api.student_values('destination')",
		"none=未登记,10=10 签就业协议形式就业,11=11 签劳动合同形式就业,12=12 其他录用形式就业,"
		"27=27 科研助理、管理助理,46=46 应征义务兵,50=50 国家基层项目,51=51 地方基层项目,70=70 待就业,"
		"71=71 不就业拟升学,72=72 其他暂不就业,75=75 自主创业,76=76 自由职业,80=80 升学,85=85 出国、出境");

	/* the filter shows exactly the graduates with the code, none those without; the count agrees */
	DEST_IS(sa, "", "student_no", "'11'", "S001|1");
	DEST_IS(sa, "", "student_no", "'70'", "S003|1");
	DEST_IS(sa, "", "student_no", "'none'", "S002|1");
	DEST_IS(sa, "", "student_no", "NULL", "S001,S002,S003|3");
	/* every choice the picker offers, against the table */
	wq_err_clear(&err);
	codes = db_query(sa, "SELECT v FROM wq_api.student_values('destination')", 0, NULL, &err);
	assert_non_null(codes);
	for (i = 0; i < codes->nrows; i++) {
		const char *v = rows_get(codes, i, 0);
		char lit[16];

		snprintf(lit, sizeof(lit), "'%s'", v);
		got = dest_list(sa, "", "student_no", lit);
		want = dest_want(su, false, v);
		if (strcmp(got, want) != 0)
			fail_msg("毕业去向 %s shows %s, not %s", v, got, want);
		free(got);
		free(want);
		got = dest_list(da, "", "student_no", lit);
		want = dest_want(su, true, v);
		if (strcmp(got, want) != 0)
			fail_msg("毕业去向 %s shows %s to 计算机学院's clerk, not %s", v, got, want);
		free(got);
		free(want);
	}
	rows_free(codes);
	/* with the text filter, along each way the page is found (one character by 姓名 or 学号,
	 * pinyin by 姓名 or 学号, other text) */
	DEST_IS(sa, "王", "name", "'11'", "S001|1");
	DEST_IS(sa, "王", "name", "'none'", "|0");
	DEST_IS(sa, "王", "student_no", "'70'", "|0");
	for (i = 0; i < 2; i++) {
		/* pinyin: walked, and (a walk of one row) asked of the indexes */
		must_exec(sa, i ? "SET wq.pinyin_walk_rows = '1'" : "RESET wq.pinyin_walk_rows");
		DEST_IS(sa, "wang", "name", "'11'", "S001|1");
		DEST_IS(sa, "wang", "name", "'none'", "|0");
		DEST_IS(sa, "wang", "student_no", "'11'", "S001|1");
		DEST_IS(sa, "wang", "student_no", "'70'", "|0");
		/* 阿卜杜拉·艾力, 未登记; 王堃 (11) comes first along 姓名 from a's first character */
		DEST_IS(sa, "a", "name", "'none'", "S002|1");
		DEST_IS(sa, "a", "name", "'11'", "|0");
	}
	must_exec(sa, "RESET wq.pinyin_walk_rows");
	DEST_IS(sa, "S00", "destination", "'70'", "S003|1");
	/* beside another field filter */
	assert_scalar(sa, "SELECT wq_api.student_count('', '化学学院', NULL, NULL, NULL, NULL, NULL, '70')", "1");
	assert_scalar(sa, "SELECT wq_api.student_count('', '计算机学院', NULL, NULL, NULL, NULL, NULL, '70')", "0");

	/* a department clerk: its 院系 only, under the filter too */
	DEST_IS(da, "", "student_no", "'70'", "|0");
	DEST_IS(da, "", "student_no", "'none'", "S002|1");
	DEST_IS(da, "", "student_no", "'11'", "S001|1");
	assert_scalar(da, "SELECT wq_api.student_count('', '化学学院', NULL, NULL, NULL, NULL, NULL, '70')", "0");
	/* and another school's user: none of these */
	DEST_IS(sb, "", "student_no", "'11'", "|0");

	/* anything but a category code or none is refused, by the page and by the count, saying what it should be */
	for (i = 0; i < (int)ARRAY_SIZE(bad); i++) {
		msg = refusal(sa, "SELECT wq_api.student_count('', NULL, NULL, NULL, NULL, NULL, NULL, %s)", bad[i]);
		assert_contains(msg, "毕业去向应为两位的毕业去向代码（如 11、70）或 none（未登记）");
		free(msg);
		msg = refusal(da, "SELECT * FROM wq_api.student_page('', NULL, NULL, NULL, NULL, NULL, NULL, %s, "
			"'student_no', false, NULL, NULL, 10)", bad[i]);
		assert_contains(msg, "毕业去向应为两位的毕业去向代码（如 11、70）或 none（未登记）");
		free(msg);
	}
	assert_refused(sa, "SELECT wq_api.student_count('', NULL, NULL, NULL, NULL, NULL, NULL, '99')", "22023");
	assert_refused(sa, "SELECT * FROM wq_api.student_page('', NULL, NULL, NULL, NULL, NULL, NULL, '99', "
		"'student_no', false, NULL, NULL, 10)", "22023");
	msg = refusal(sa, "SELECT wq_api.student_count('', NULL, NULL, NULL, NULL, NULL, NULL, '99')");
	assert_contains(msg, "而不是 99");
	free(msg);
	/* bounded like the others, before anything else */
	assert_refused(sa, "SELECT wq_api.student_count('', NULL, NULL, NULL, NULL, NULL, NULL, repeat('1', 17))", "22001");
	assert_refused(sa, "SELECT * FROM wq_api.student_page('', NULL, NULL, NULL, NULL, NULL, NULL, repeat('1', 17), "
		"'student_no', false, NULL, NULL, 10)", "22001");
	/* the forms without it are gone */
	assert_refused(sa, "SELECT wq_api.student_count('', NULL, NULL, NULL, NULL, NULL, NULL)", "42883");

	must_exec(su, "UPDATE wq.student SET destination_code = NULL WHERE school_code = '10001'");
	db_close(sa);
	db_close(da);
	db_close(sb);
}

/*
 * The ids (comma-separated, in order) of every page of the list for filter
 * text, sorted by sort (descending if desc), walked to the end with the
 * keyset: each page of page_rows after the last row of the one before.
 * Only the last page may hold fewer than page_rows rows.
 */
static char *
walk_pages(struct wq_db *db, const char *text, const char *sort, bool desc, int page_rows)
{
	char sql[2048];

	snprintf(sql, sizeof(sql),
		"WITH RECURSIVE pg(n, ids, last_sort, last_id, short, bad) AS ("
		" SELECT 0, ''::text, NULL::text, NULL::bigint, false, false"
		" UNION ALL"
		" SELECT pg.n + 1, pg.ids || x.ids, x.last_sort, x.last_id, x.rows < %4$d, pg.bad OR pg.short FROM pg,"
		"  LATERAL (SELECT string_agg(s.id::text || ',', '' ORDER BY p.k) AS ids, count(*) AS rows,"
		"           (array_agg(s.%1$s::text ORDER BY p.k DESC))[1] AS last_sort,"
		"           (array_agg(s.id ORDER BY p.k DESC))[1] AS last_id"
		"     FROM wq_api.student_page('%2$s', " NO_FIELDS ", '%1$s', %3$s, pg.last_sort, pg.last_id, %4$d)"
		"          WITH ORDINALITY AS p(id, k) JOIN wq_api.students s USING (id)) x"
		"  WHERE x.ids IS NOT NULL AND pg.n < 1000)"
		/* a page shorter than asked ends the list on the screen: only the last may be */
		" SELECT CASE WHEN bad THEN 'a page before the last is short' ELSE rtrim(ids, ',') END"
		"   FROM pg ORDER BY n DESC LIMIT 1",
		sort, text, desc ? "true" : "false", page_rows);
	return scalar(db, sql);
}


/*
 * Every page, walked with its keyset to the end, in both directions, gives
 * what a plain query over the whole table gives: the same students in the
 * same order.  The school is a generated roster of 3,000 students, with a
 * few names that put a character both first and later.
 */
static void
test_list_pages_agree_with_a_plain_query(void **state)
{
	struct wq_db *su = *state, *sb = must_connect("sb");
	static const struct demo_school school = { "10002", "北京乙大学" };
	static const char *const frags[] = {
		"", "张", "王", "伟", "李", "张伟", "王芳", "欧阳", "阿", "·", "·艾", "𠮷", "堃", "a", "12", "0001",
		"10002", "3X", "一二三四", "zw", "zhang", "Zhang Wei", "anna", "S0", "zhq",
	};
	static const char *const sorts[][2] = {
		{ "student_no", "student_no" }, { "name", "name COLLATE \"zh-Hans-x-icu\"" },
		{ "dept", "dept COLLATE \"zh-Hans-x-icu\"" }, { "level", "level" },
	};
	/* the default (3,000 rows: every page found by walking), 50 rows (some each way), one row (every page from the indexes) */
	static const char *const walks[] = { "", "50", "1" };
	char sql[2048], *want, *got;
	size_t fi, si;
	int d, w;

	import_demo(sb, &school, 3000);
	/* names with the character first and later, and a Latin one */
	must_exec(su, "UPDATE wq.student SET name = CASE id % 5 WHEN 0 THEN '张张' WHEN 1 THEN '李张' "
		"WHEN 2 THEN '王伟张' WHEN 3 THEN 'Anna·张' ELSE '张' END "
		"WHERE school_code = '10002' AND id IN (SELECT id FROM wq.student WHERE school_code = '10002' "
		"ORDER BY id DESC LIMIT 10)");
	/* letters in a few 学号 (found by pinyin filters of three letters or more too) */
	must_exec(su, "UPDATE wq.student SET student_no = 'ZHQ' || student_no WHERE school_code = '10002' "
		"AND id IN (SELECT id FROM wq.student WHERE school_code = '10002' ORDER BY id LIMIT 3)");
	must_exec(su, "ANALYZE wq.student");

	for (fi = 0; fi < ARRAY_SIZE(frags); fi++) {
		const char *t = frags[fi];
		bool digits = t[0] && strspn(t, "0123456789X") == strlen(t), ascii = true,
			letters = t[0] && strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz ") == strlen(t);
		const char *c;
		char cond[512];

		for (c = t; *c; c++)
			if ((unsigned char)*c >= 0x80)
				ascii = false;
		if (!t[0])
			snprintf(cond, sizeof(cond), "true");
		else if (digits)
			snprintf(cond, sizeof(cond), "(strpos(student_no, '%1$s') > 0 OR strpos(exam_no, '%1$s') > 0 "
				"OR right(id_number, length('%1$s')) = '%1$s')", t);
		else if (letters && strlen(t) < 3)   /* 姓名 and its pinyin key */
			snprintf(cond, sizeof(cond), "(strpos(lower(name), lower('%1$s')) > 0 "
				"OR name_pinyin ~ ('[ 0]' || lower(replace('%1$s', ' ', ''))))", t);
		else if (letters)
			snprintf(cond, sizeof(cond), "(strpos(lower(student_no), lower('%1$s')) > 0 "
				"OR strpos(lower(exam_no), lower('%1$s')) > 0 OR strpos(lower(name), lower('%1$s')) > 0 "
				"OR name_pinyin ~ ('[ 0]' || lower(replace('%1$s', ' ', ''))))", t);
		else if (ascii)
			snprintf(cond, sizeof(cond), "(strpos(lower(student_no), lower('%1$s')) > 0 "
				"OR strpos(lower(exam_no), lower('%1$s')) > 0 OR strpos(lower(name), lower('%1$s')) > 0)", t);
		else
			snprintf(cond, sizeof(cond), "strpos(name, '%s') > 0", t);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM wq.student WHERE school_code = '10002' AND %s", cond);
		want = scalar(su, sql);
		snprintf(sql, sizeof(sql), "SELECT wq_api.student_count('%s', " NO_FIELDS ")", t);
		got = scalar(sb, sql);
		if (strcmp(want, got) != 0)
			fail_msg("count of '%s': %s, a plain query says %s", t, got, want);
		free(want);
		free(got);
		for (si = 0; si < ARRAY_SIZE(sorts); si++)
			for (d = 0; d < 2; d++) {
				/* the plain query */
				snprintf(sql, sizeof(sql), "SELECT coalesce(string_agg(id::text, ',' ORDER BY %1$s%2$s, id%2$s), '') "
					"FROM wq.student WHERE school_code = '10002' AND %3$s", sorts[si][1], d ? " DESC" : "", cond);
				want = scalar(su, sql);
				/* the pages: 97 rows at a time, each after the last row of the one before;
				 * pinyin in 姓名 or 学号 order walks first, then asks the indexes: both ways */
				for (w = 0; w < (letters && (!strcmp(sorts[si][0], "name") || !strcmp(sorts[si][0], "student_no"))
						? 3 : 1); w++) {
					snprintf(sql, sizeof(sql), "SET wq.pinyin_walk_rows = '%s'", walks[w]);
					must_exec(sb, sql);
					got = walk_pages(sb, t, sorts[si][0], d, 97);
					if (strcmp(want, got) != 0)
						fail_msg("pages of '%s' by %s%s (walk %s) differ from a plain query:\n"
							" got  %.300s\n want %.300s",
							t, sorts[si][0], d ? " (descending)" : "", walks[w], got, want);
					free(got);
				}
				free(want);
			}
	}
	db_close(sb);
	/* a province's user: pinyin in 学号 order walks first, then asks the indexes */
	add_account(su, "pv11", "province", "11", NULL, NULL);
	sb = must_connect("pv11");
	for (fi = 0; fi < ARRAY_SIZE(frags); fi++) {
		const char *t = frags[fi];

		if (!t[0] || strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz ") != strlen(t))
			continue;
		snprintf(sql, sizeof(sql), "SELECT coalesce(string_agg(s.id::text, ',' ORDER BY s.student_no, s.id), '') "
			"FROM wq.student s WHERE s.province_code = '11' AND s.id IN (SELECT p.id FROM wq_api.student_page("
			"'%s', " NO_FIELDS ", 'student_no', false, NULL, NULL, 10000) AS p(id))", t);
		want = scalar(su, sql);   /* the set as the plain (bitmap) page gives it, in 学号 order */
		for (w = 0; w < 3; w++) {
			snprintf(sql, sizeof(sql), "SET wq.pinyin_walk_rows = '%s'", walks[w]);
			must_exec(sb, sql);
			got = walk_pages(sb, t, "student_no", false, 97);
			if (strcmp(want, got) != 0)
				fail_msg("province pages of '%s' by 学号 (walk %s) differ:\n got  %.300s\n want %.300s",
					t, walks[w], got, want);
			free(got);
		}
		free(want);
	}
	db_close(sb);
	/* another school's user sees none of them */
	sb = must_connect("sa");
	assert_scalar(sb, "SELECT wq_api.student_count('张', " NO_FIELDS ")", "0");
	db_close(sb);
}

/*
 * A filter of ASCII letters finds names by their pinyin: full syllables or
 * initials, any case, spaces or not, surnames read as surnames; in the
 * caller's scope only, and page by page as a plain query orders them.
 * School 10003 holds only the planted names below (P01 …, 学号 in this
 * order), alternately in two departments; 10002 (the generated roster) holds
 * names that match too, which 10003's users must never see.
 */
static const char *const planted[] = {
	"张伟", "章伟", "单雄", "曾国", "解放", "欧阳修", "Anna·张", "区明", "张伟明", "李张伟",
	"王芳", "赵薇", "周文", "谢安", "郑伟", "尉迟恭", "万俟卨",
	"\xF0\xA0\xAE\xB7张",   /* U+20BB7, which ICU 72 cannot read, then 张: its key begins later */
};

/* The 学号 of the planted names that filter text finds, as "P01,P02"; the caller frees. */
static char *
planted_found(struct wq_db *db, const char *text)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "SELECT coalesce(string_agg(s.student_no, ',' ORDER BY s.student_no), '') "
		"FROM wq_api.student_page('%s', " NO_FIELDS ", 'student_no', false, NULL, NULL, 1000) AS p(id) "
		"JOIN wq_api.students s USING (id)", text);
	return scalar(db, sql);
}

static void
test_pinyin_filter(void **state)
{
	struct wq_db *su = *state, *sc, *dc, *sb;
	static const struct { const char *text, *found, *dept_found; } cases[] = {
		{ "zhangwei", "P01,P02,P09,P10", "P01,P09" },
		{ "zhang wei", "P01,P02,P09,P10", "P01,P09" },
		{ "ZhangWei", "P01,P02,P09,P10", "P01,P09" },
		{ "ZW", "P01,P02,P09,P10,P12,P13,P15", "P01,P09,P13,P15" },
		{ "zw", "P01,P02,P09,P10,P12,P13,P15", "P01,P09,P13,P15" },
		{ "shanxiong", "P03", "P03" },      /* 单 as a surname */
		{ "danxiong", "P03", "P03" },       /* and as it reads elsewhere */
		{ "zeng", "P04", "" },
		{ "xie", "P05,P14,P17", "P05,P17" }, /* 解放, 谢安, 万俟卨 */
		{ "ouyang", "P06", "" },
		{ "oyx", "P06", "" },
		{ "ou", "P06,P08", "" },            /* 欧阳修, 区明 (区 as a surname) */
		{ "anna", "P07", "P07" },
		{ "Anna", "P07", "P07" },
		{ "zhang", "P01,P02,P07,P09,P10,P18", "P01,P07,P09" },
		{ "z", "P01,P02,P04,P07,P09,P10,P12,P13,P15,P18", "P01,P07,P09,P13,P15" },
		{ "yuchi", "P16", "" },             /* 尉迟 */
		{ "moqi", "P17", "P17" },           /* 万俟 */
		{ "wanqi", "", "" },
		{ "hang", "", "" },                 /* inside a syllable: no */
		{ "wangfang", "P11", "P11" },
		{ "张伟", "P01,P09,P10", "P01,P09" }, /* characters: as before */
	};
	static const char *const sorts[] = { "student_no", "name" };
	static const struct demo_school school_b = { "10002", "北京乙大学" };
	struct wq_err err;
	char sql[4096], *got, *want;
	size_t i, si;
	int d;

	sb = must_connect("sb");
	if (!strcmp((got = scalar(su, "SELECT count(*) >= 100 FROM wq.student WHERE school_code = '10002'")), "f"))
		import_demo(sb, &school_b, 3000);   /* run alone: the roster test_list_pages imports */
	free(got);
	wq_err_clear(&err);
	if (!admin_school_add(su, "10003", "北京丙大学", "11", &err))
		fail_msg("%s", err.msg);
	must_exec(su, "INSERT INTO wq.department (school_code, name) VALUES ('10003', '甲院'), ('10003', '乙院')");
	/* the planted names on copies of generated students of 10002 */
	snprintf(sql, sizeof(sql), "INSERT INTO wq.student (school_code, province_code, student_no, name, sex, "
		"id_number, ethnicity, political_status, birth_date, dept, level, major, training_mode, origin_code) "
		"SELECT '10003', s.province_code, 'P' || lpad(p.n::text, 2, '0'), p.name, s.sex, s.id_number, "
		"s.ethnicity, s.political_status, s.birth_date, CASE WHEN p.n %% 2 = 1 THEN '甲院' ELSE '乙院' END, "
		"s.level, s.major, s.training_mode, s.origin_code "
		"FROM unnest(ARRAY['%s'", planted[0]);
	for (i = 1; i < ARRAY_SIZE(planted); i++)
		snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql), ", '%s'", planted[i]);
	snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql), "]) WITH ORDINALITY AS p(name, n) "
		"JOIN (SELECT row_number() OVER (ORDER BY id) AS n, * FROM wq.student WHERE school_code = '10002') s "
		"USING (n)");
	must_exec(su, sql);
	must_exec(su, "ANALYZE wq.student");
	add_account(su, "sc", "school", NULL, "10003", NULL);
	add_account(su, "dc", "dept", NULL, "10003", "甲院");
	sc = must_connect("sc");
	dc = must_connect("dc");

	/* the keys themselves */
	assert_scalar(su, "SELECT wq.pinyin_key('张伟')", " 0zhangwei 0zw wei w");
	assert_scalar(su, "SELECT wq.pinyin_key('单雄')", " 0shanxiong 0sx 0danxiong 0dx xiong x");
	assert_scalar(su, "SELECT wq.pinyin_key('雄单')", " 0xiongdan 0xd dan d");
	assert_scalar(su, "SELECT wq.pinyin_key('Anna·张')", " 0annazhang 0az zhang z");
	assert_scalar(su, "SELECT wq.pinyin_key('尉迟恭')", " 0yuchigong 0ycg 0weichigong 0wcg chigong cg gong g");
	assert_scalar(su, "SELECT wq.pinyin_key('万俟卨')", " 0moqixie 0mqx qixie qx xie x");
	assert_scalar(su, "SELECT wq.pinyin_key('张\xF0\xAB\x96\xAF')", " 0zhangfu 0zf fu f");   /* U+2B5AF */
	assert_scalar(su, "SELECT wq.pinyin_key('·')", "");
	assert_scalar(su, "SELECT wq.pinyin_key('·张')", " zhang z");   /* not from the first character */
	assert_scalar(su, "SELECT string_agg(wq.pinyin_key(c), ',') FROM unnest(ARRAY['仇', '朴', '查', '盖', '区']) c",
		" 0qiu 0q 0chou 0c, 0piao 0p 0pu 0p, 0zha 0z 0cha 0c, 0ge 0g 0gai 0g, 0ou 0o 0qu 0q");
	/* a new name, a new key */
	must_exec(su, "UPDATE wq.student SET name = '曾国' WHERE school_code = '10003' AND student_no = 'P11'");
	assert_scalar(su, "SELECT name_pinyin FROM wq.student WHERE school_code = '10003' AND student_no = 'P11'",
		" 0zengguo 0zg 0cengguo 0cg guo g");
	must_exec(su, "UPDATE wq.student SET name = '王芳' WHERE school_code = '10003' AND student_no = 'P11'");

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		got = planted_found(sc, cases[i].text);
		if (strcmp(got, cases[i].found) != 0)
			fail_msg("/%s finds %s in 10003, not %s", cases[i].text, got, cases[i].found);
		free(got);
		got = planted_found(dc, cases[i].text);
		if (strcmp(got, cases[i].dept_found) != 0)
			fail_msg("/%s finds %s for 甲院, not %s", cases[i].text, got, cases[i].dept_found);
		free(got);
		/* the count says the same */
		snprintf(sql, sizeof(sql), "SELECT wq_api.student_count('%s', " NO_FIELDS ") = "
			"cardinality(string_to_array('%s', ','))", cases[i].text, cases[i].found);
		assert_scalar(sc, sql, "t");
		/* the page function's own ids: exactly those (the view would hide others) */
		snprintf(sql, sizeof(sql), "SELECT count(*) = cardinality(string_to_array('%s', ',')) "
			"FROM wq_api.student_page('%s', " NO_FIELDS ", 'student_no', false, NULL, NULL, 1000)",
			cases[i].found, cases[i].text);
		assert_scalar(sc, sql, "t");
		/* another school's user: none of 10003's rows */
		snprintf(sql, sizeof(sql), "SELECT coalesce(string_agg(id::text, ','), '') FROM wq_api.student_page('%s', "
			NO_FIELDS ", 'student_no', false, NULL, NULL, 10000) AS p(id)", cases[i].text);
		got = scalar(sb, sql);
		want = xasprintf("SELECT count(*) FROM wq.student WHERE id = ANY (string_to_array('%s', ',')::bigint[]) "
			"AND school_code <> '10002'", got);
		assert_scalar(su, want, "0");
		free(want);
		free(got);
		/* pages of 2, both ways, by 学号 and by 姓名, as a plain query orders them */
		for (si = 0; si < ARRAY_SIZE(sorts); si++)
			for (d = 0; d < 2; d++) {
				snprintf(sql, sizeof(sql), "SELECT coalesce(string_agg(id::text, ',' ORDER BY %1$s%2$s, id%2$s), '') "
					"FROM wq.student WHERE school_code = '10003' AND student_no = ANY (string_to_array('%3$s', ','))",
					si ? "name COLLATE \"zh-Hans-x-icu\"" : "student_no", d ? " DESC" : "", cases[i].found);
				want = scalar(su, sql);
				got = walk_pages(sc, cases[i].text, sorts[si], d, 2);
				if (strcmp(want, got) != 0)
					fail_msg("pages of /%s by %s%s: %s, not %s", cases[i].text, sorts[si],
						d ? " (descending)" : "", got, want);
				free(want);
				free(got);
			}
	}
	/* 10002 has its own 张伟-like names, found by its user */
	assert_scalar(sb, "SELECT wq_api.student_count('zhangwei', " NO_FIELDS ") > 0", "t");
	db_close(sc);
	db_close(dc);
	db_close(sb);
}

/* ---- 核对 ------------------------------------------------------------------------ */

static void
test_verify(void **state)
{
	struct wq_db *p = must_connect("p1"), *sa = must_connect("sa");
	struct wq_err err;
	char *report;

	assert_scalar(p, "SELECT wq_api.student_verify('10001', '王堃', '11010519491231002X', '本科生毕业')->>'status'",
		"verified");
	assert_scalar(sa, "SELECT verify_status FROM wq_api.students WHERE student_no = 'S001'", "verified");
	/* a different level: 信息不一致, with the field */
	assert_scalar(p, "SELECT wq_api.student_verify('10001', '王堃', '11010519491231002X', '硕士生毕业')->>'fields'",
		"[\"学历层次\"]");
	assert_scalar(sa, "SELECT verify_status || ' ' || array_to_string(verify_fields, ',') "
		"FROM wq_api.students WHERE student_no = 'S001'", "mismatch 学历层次");
	/* the roster carries a wrong name: not found (nothing recorded), then the school corrects it */
	assert_scalar(p, "SELECT wq_api.student_verify('10001', '阿卜杜拉·艾力木', '440524188001010014', '11')::text",
		"{\"status\": \"not_found\"}");
	assert_scalar(sa, "SELECT verify_status FROM wq_api.students WHERE student_no = 'S002'", "unverified");
	report = import_rows(sa, ROW_A("人工智能") ","
		"(3, NULL, '阿卜杜拉·艾力木', '1', '440524188001010014', '05', '01', '1880-01-01', "
		"'北京甲大学', '计算机学院', '11', '软件工程', '22', '440524', '', 'S002', '3', NULL, NULL, NULL, NULL),"
		ROW_C, &err);
	assert_non_null(report);
	free(report);
	assert_scalar(sa, "SELECT verify_status FROM wq_api.students WHERE student_no = 'S002'", "unverified");
	assert_scalar(p, "SELECT wq_api.student_verify('10001', '阿卜杜拉·艾力木', '440524188001010014', '硕士生毕业')->>'status'",
		"verified");
	/* not on the roster at all */
	assert_scalar(p, "SELECT wq_api.student_verify('10001', '无此人', '110101200001010037', '31')->>'status'",
		"not_found");
	/* only the portal verifies; a portal account reads no roster */
	assert_refused(sa, "SELECT wq_api.student_verify('10001', '王堃', '11010519491231002X', '31')", "42501");
	assert_refused(p, "SELECT count(*) FROM wq_api.students", "42501");
	db_close(p);
	db_close(sa);
}

/* ---- settings --------------------------------------------------------------------- */

static void
test_settings_bounds_in_the_database(void **state)
{
	struct wq_db *sa = must_connect("sa"), *da = must_connect("da1");
	struct wq_err err;
	int version;
	char *v;

	/* bypassing the command line: the database still refuses */
	assert_refused(sa, "SELECT wq_api.settings_set('{\"max_terminations\": \"100\"}', NULL)", "23514");
	assert_refused(sa, "SELECT wq_api.settings_set('{\"max_terminations\": -1}', NULL)", "23514");
	assert_refused(sa, "SELECT wq_api.settings_set('{\"postcode\": \"12345\"}', NULL)", "23514");
	assert_refused(sa, "SELECT wq_api.settings_set('{\"review_mode\": \"everyone\"}', NULL)", "23514");
	assert_refused(sa, "SELECT wq_api.settings_set('{\"max_terminations\": \"abc\"}', NULL)", "23514");
	assert_refused(sa, "SELECT wq_api.settings_set('{\"password\": \"x\"}', NULL)", "22023");
	/* a department user reads, never writes */
	assert_refused(da, "SELECT wq_api.settings_set('{\"max_terminations\": 3}', NULL)", "42501");
	assert_scalar(sa, "SELECT max_terminations FROM wq_api.school_settings", "1");
	/* 在线签约 on turns 补登 and 去向登记 on */
	v = scalar(sa, "SELECT version FROM wq_api.school_settings");
	version = atoi(v);
	free(v);
	{
		enum settings_key keys[2] = { SETTING_online_signing, SETTING_max_terminations };
		const char *values[2] = { "on", "3" };
		int nv;

		wq_err_clear(&err);
		assert_true(settings_save(sa, 2, keys, values, version, &nv, &err));
		assert_int_equal(nv, version + 1);
		/* a second clerk who saw the old version is told who changed it first */
		wq_err_clear(&err);
		assert_false(settings_save(sa, 1, keys + 1, values + 1, version, NULL, &err));
		assert_int_equal(err.code, WQ_ERR_STALE);
		assert_non_null(strstr(err.msg, "签约设置已被 sa 于"));
	}
	assert_scalar(da, "SELECT online_signing::text || registration::text || destination::text || max_terminations "
		"FROM wq_api.school_settings", "truetruetrue3");
	assert_scalar(sa, "SELECT (before->>'max_terminations') || '→' || (after->>'max_terminations') "
		"FROM wq_api.events WHERE entity = 'settings' ORDER BY id DESC LIMIT 1", "1→3");
	db_close(sa);
	db_close(da);
}

/* ---- department accounts ------------------------------------------------------------ */

static void
test_school_manages_its_department_accounts(void **state)
{
	struct wq_db *sa = must_connect("sa"), *sb = must_connect("sb"), *da = must_connect("da1"), *c;
	struct wq_err err;
	char *report;

	wq_err_clear(&err);
	assert_true(account_dept_add(sa, "chem1", "化学学院", "钱七", "pw-chem1", &err));
	c = must_connect("chem1");
	assert_scalar(c, "SELECT dept || '/' || school_name FROM wq_api.me", "化学学院/北京甲大学");
	assert_scalar(c, "SELECT count(*) FROM wq_api.students", "1");
	db_close(c);
	/* only departments of the school's roster */
	wq_err_clear(&err);
	assert_false(account_dept_add(sa, "phys1", "物理学院", NULL, "pw-phys1", &err));
	assert_non_null(strstr(err.msg, "院系“物理学院”不在本校学生名单中"));
	/* not another school's, not by a department user, never a clear password */
	wq_err_clear(&err);
	assert_false(account_dept_add(sb, "chem2", "化学学院", NULL, "pw-chem2", &err));
	assert_false(account_dept_set_locked(sb, "chem1", true, &err));
	assert_false(account_dept_set_locked(sa, "sb", true, &err));
	assert_refused(da, "SELECT wq_api.dept_account_add('x1', '计算机学院', '', 'SCRAM-SHA-256$x')", "42501");
	assert_refused(sa, "SELECT wq_api.dept_account_add('x2', '计算机学院', '', 'plain-password')", "22023");
	assert_refused(sa, "SELECT wq_api.dept_account_add('postgres', '计算机学院', '', 'SCRAM-SHA-256$x')", "22023");
	assert_scalar(*state, "SELECT count(*) FROM pg_roles WHERE rolname IN ('phys1', 'chem2', 'x1', 'x2')", "0");
	/* lock: the clerk's open session can still read who locked it, then it is ended */
	c = must_connect("chem1");
	assert_scalar(c, "SELECT count(*) FROM wq_api.my_lock()", "0");
	must_exec(sa, "SELECT wq_api.dept_account_set_locked('chem1', true)");
	assert_scalar(c, "SELECT locked_by || '|' || locked_by_kind FROM wq_api.my_lock()", "sa|学校用户");
	assert_scalar(c, "SELECT count(*) FROM wq_api.students", "0");   /* no identity: nothing */
	assert_refused(da, "SELECT wq_api.dept_account_end_sessions('chem1')", "42501");
	assert_refused(sb, "SELECT wq_api.dept_account_end_sessions('chem1')", "42501");
	assert_refused(sa, "SELECT wq_api.dept_account_end_sessions('da1')", "42501");   /* not locked */
	assert_scalar(sa, "SELECT wq_api.dept_account_end_sessions('chem1')", "1");
	assert_false(db_exec(c, "SELECT 1", 0, NULL, &err));
	db_close(c);
	must_exec(sa, "SELECT wq_api.dept_account_set_locked('chem1', false)");
	/* the client's lock does both steps; then unlock, new password */
	c = must_connect("chem1");
	assert_true(account_dept_set_locked(sa, "chem1", true, &err));
	assert_false(db_exec(c, "SELECT 1", 0, NULL, &err));
	db_close(c);
	assert_null(connect_as("chem1", NULL, &err));
	assert_int_equal(err.code, WQ_ERR_PG_LOCKED);
	assert_true(account_dept_set_locked(sa, "chem1", false, &err));
	assert_true(account_dept_password(sa, "chem1", "a-new-password", &err));
	assert_null(connect_as("chem1", NULL, &err));
	c = connect_as("chem1", "a-new-password", &err);
	assert_non_null(c);
	db_close(c);
	assert_scalar(sa, "SELECT string_agg(action, ',' ORDER BY id) FROM wq_api.events "
		"WHERE entity = 'account' AND entity_id = 'chem1'", "create,lock,unlock,lock,unlock,password");
	/* the import tells a department whose only account is locked from one that has none */
	assert_true(account_dept_set_locked(sa, "chem1", true, &err));
	report = import_rows(sa, ROW_A("计算机科学与技术") "," ROW_B "," ROW_C, &err);
	assert_non_null(report);
	assert_contains(report, "\"departments_locked\": [\"化学学院\"]");
	assert_contains(report, "\"departments_without_clerk\": []");
	free(report);
	assert_true(account_dept_set_locked(sa, "chem1", false, &err));
	db_close(sa);
	db_close(sb);
	db_close(da);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_as_school_user),
		cmocka_unit_test(test_import_refused_for_others),
		cmocka_unit_test(test_import_checks_every_row_and_writes_nothing),
		cmocka_unit_test(test_reimport_semantics),
		cmocka_unit_test(test_absent_columns_keep_stored_values_in_the_database),
		cmocka_unit_test(test_history_names_the_actor_and_the_values),
		cmocka_unit_test(test_import_file_without_a_column_changes_nothing_of_it),
		cmocka_unit_test(test_student_keys_hold_for_every_writer),
		cmocka_unit_test(test_field_values_keep_to_the_scope),
		cmocka_unit_test(test_search_keeps_to_the_callers_scope),
		cmocka_unit_test(test_destination_filter),
		cmocka_unit_test(test_list_pages_agree_with_a_plain_query),
		cmocka_unit_test(test_pinyin_filter),
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_settings_bounds_in_the_database),
		cmocka_unit_test(test_school_manages_its_department_accounts),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("roster", tests, setup_fixture, dbtest_teardown);
}
