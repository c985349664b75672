/*
 * test_warnings.c: 预警单位 (0017), enforced by the database: a school's own
 * mark added, replaced and removed, each with its event; department users
 * read the school's marks and are refused marking; another school neither
 * removes nor sees them; a national warning unit appears at exactly 5
 * schools, with how many and which categories but never which schools.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbtest.h"
#include "util.h"

/* valid credit codes: A on the platform (wq.employer), B and C not */
#define EMP_A "91350100M000100Y43"
#define EMP_B "91440300708461136T"
#define EMP_C "91110108551385082Q"

#define NSCHOOLS 6
static struct wq_db *s[NSCHOOLS], *dk;   /* school users ws1..ws6 of 10001..10006; a 院系 user of 10001 */

static int
setup_fixture(void **state)
{
	static const char *const fixture[] = {
		"11 北京市 three-party",
		"10001 北京甲大学 11", "10002 北京乙大学 11", "10003 北京丙大学 11",
		"10004 北京丁大学 11", "10005 北京戊大学 11", "10006 北京己大学 11",
		NULL,
	};
	struct wq_db *su = dbtest_fixture(fixture);
	char login[16], school[16];
	int i;

	if (!su)
		return -1;
	for (i = 0; i < NSCHOOLS; i++) {
		snprintf(login, sizeof(login), "ws%d", i + 1);
		snprintf(school, sizeof(school), "1000%d", i + 1);
		add_account(su, login, "school", NULL, school, NULL);
		s[i] = must_connect(login);
	}
	add_account(su, "wd1", "dept", NULL, "10001", "计算机学院");
	add_account(su, "wp", "portal", NULL, NULL, NULL);
	dk = must_connect("wd1");
	{
		struct wq_db *p = must_connect("wp");

		must_exec(p, "SELECT wq_api.employer_add('" EMP_A "', '北京示例科技有限公司')");
		db_close(p);
	}
	*state = su;
	return 0;
}

static int
teardown(void **state)
{
	int i;

	for (i = 0; i < NSCHOOLS; i++)
		db_close(s[i]);
	db_close(dk);
	return dbtest_teardown(state);
}

static void
assert_q(struct wq_db *db, const char *want, const char *fmt, ...)
{
	va_list ap;
	char sql[2048];

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	assert_scalar(db, sql, want);
}

/* The error of a refused statement (SQLSTATE checked when given); fails the test if it succeeds. */
static struct wq_err
refused_state(struct wq_db *db, const char *sqlstate, const char *sql)
{
	struct wq_err err;
	struct wq_rows *r;

	wq_err_clear(&err);
	r = db_query(db, sql, 0, NULL, &err);
	if (r) {
		rows_free(r);
		fail_msg("not refused: %s", sql);
	}
	if (sqlstate && strcmp(err.sqlstate, sqlstate) != 0)
		fail_msg("%s: refused with %s (%s), not %s", sql, err.sqlstate, err.msg, sqlstate);
	return err;
}

static void
assert_refused_with(struct wq_db *db, const char *sqlstate, const char *want, const char *sql)
{
	struct wq_err err = refused_state(db, sqlstate, sql);

	if (!strstr(err.msg, want))
		fail_msg("%s: \"%s\" does not contain \"%s\"", sql, err.msg, want);
}

static void
test_add_replace_remove(void **state)
{
	struct wq_db *su = *state, *a = s[0];
	char *v;

	/* a new mark */
	assert_q(a, "create/false_ad/虚假宣传/false", "SELECT r->>'action' || '/' || (r->>'category') || '/' || "
		"(r->>'category_label') || '/' || (r->>'national') FROM wq_api.warning_add('" EMP_A "', '虚假宣传', "
		"'  招聘简章夸大薪资  ') r");
	assert_q(a, "1", "SELECT count(*) FROM wq_api.events WHERE entity = 'warning'");
	assert_q(su, "create|10001|" EMP_A "|||false_ad|招聘简章夸大薪资|ws1",
		"SELECT action || '|' || school_code || '|' || entity_id || '|' || coalesce(from_state, '') || '|' || "
		"coalesce(before::text, '') || '|' || to_state || '|' || (after->>'note') || '|' || actor "
		"FROM wq.event WHERE entity = 'warning' ORDER BY id DESC LIMIT 1");
	assert_q(a, EMP_A "|北京示例科技有限公司|存续|虚假宣传|招聘简章夸大薪资|ws1|ws1|false||",
		"SELECT credit_code || '|' || employer_name || '|' || employer_status || '|' || category_label || '|' || "
		"note || '|' || marked_by || '|' || marked_by_name || '|' || is_national || '|' || "
		"coalesce(schools::text, '') || '|' || coalesce(categories, '') FROM wq_api.warnings(false)");
	/* the same mark again changes nothing and writes nothing */
	assert_q(a, "unchanged", "SELECT wq_api.warning_add('" EMP_A "', 'false_ad', '招聘简章夸大薪资')->>'action'");
	assert_q(a, "1", "SELECT count(*) FROM wq_api.events WHERE entity = 'warning'");
	/* a new mark by the same school replaces its own; the event says before and after */
	assert_q(a, "replace/false_ad/违规单位", "SELECT r->>'action' || '/' || (r->'before'->>'category') || '/' || "
		"(r->>'category_label') FROM wq_api.warning_add('" EMP_A "', '违规单位', '收取求职押金') r");
	assert_q(a, "1", "SELECT count(*) FROM wq_api.warnings(false)");
	assert_q(su, "replace|false_ad|violation|招聘简章夸大薪资|收取求职押金",
		"SELECT action || '|' || from_state || '|' || to_state || '|' || (before->>'note') || '|' || (after->>'note') "
		"FROM wq.event WHERE entity = 'warning' ORDER BY id DESC LIMIT 1");
	assert_q(su, "1/0/1", "SELECT schools || '/' || false_ad || '/' || violation FROM wq.warning_tally "
		"WHERE credit_code = '" EMP_A "'");
	/* an employer not (yet) on the platform may be marked: no name */
	assert_q(a, "create", "SELECT wq_api.warning_add('" EMP_B "', '就业歧视', '招聘限定性别')->>'action'");
	assert_q(a, "-|就业歧视", "SELECT coalesce(employer_name, '-') || '|' || category_label "
		"FROM wq_api.warnings(false) WHERE credit_code = '" EMP_B "'");
	/* what is refused, each in Chinese */
	assert_refused_with(a, "23514", "统一社会信用代码不正确",
		"SELECT wq_api.warning_add('91350200M000000510', '违规单位', '某事')");
	assert_refused_with(a, "22023", "预警类别应为",
		"SELECT wq_api.warning_add('" EMP_A "', '黑名单', '某事')");
	assert_refused_with(a, "22023", "请填写备注", "SELECT wq_api.warning_add('" EMP_A "', '违规单位', '  ')");
	assert_refused_with(a, "22023", "请填写备注", "SELECT wq_api.warning_add('" EMP_A "', '违规单位', NULL)");
	assert_refused_with(a, "23514", "备注只能是一行",
		"SELECT wq_api.warning_add('" EMP_A "', '违规单位', E'第一行\\n第二行')");
	assert_refused_with(a, "23514", "备注只能是一行",
		"SELECT wq_api.warning_add('" EMP_A "', '违规单位', E'a\\x1b[2Jb')");
	assert_refused_with(a, "22001", "备注过长", "SELECT wq_api.warning_add('" EMP_A "', '违规单位', repeat('长', 201))");
	/* nothing of those reached the table */
	assert_q(a, "违规单位|收取求职押金", "SELECT category_label || '|' || note FROM wq_api.warnings(false) "
		"WHERE credit_code = '" EMP_A "'");
	/* removed: the event keeps what it was */
	assert_q(a, "violation", "SELECT wq_api.warning_remove('" EMP_A "')->>'category'");
	assert_q(su, "remove|violation||收取求职押金",
		"SELECT action || '|' || from_state || '|' || coalesce(to_state, '') || '|' || (before->>'note') "
		"FROM wq.event WHERE entity = 'warning' ORDER BY id DESC LIMIT 1");
	assert_q(su, "0", "SELECT count(*) FROM wq.warning_tally WHERE credit_code = '" EMP_A "'");
	assert_refused_with(a, "P0002", "本校没有标记", "SELECT wq_api.warning_remove('" EMP_A "')");
	assert_q(a, "4", "SELECT count(*) FROM wq_api.events WHERE entity = 'warning'");
	v = q(a, "SELECT string_agg(credit_code, ',') FROM wq_api.warnings(false)");
	assert_string_equal(v, EMP_B);
	free(v);
	must_exec(a, "SELECT wq_api.warning_remove('" EMP_B "')");
}

/* A department user reads the school's marks and cannot mark or remove, from any client. */
static void
test_department_reads_and_is_refused(void **state)
{
	struct wq_db *su = *state;
	char *before, *after;

	must_exec(s[0], "SELECT wq_api.warning_add('" EMP_A "', '虚假单位', '营业执照与实际不符')");
	before = q(su, "SELECT count(*) FROM wq.event");
	assert_refused_with(dk, "42501", "院系用户不能标记",
		"SELECT wq_api.warning_add('" EMP_A "', '违规单位', '院系想改')");
	assert_refused_with(dk, "42501", "院系用户不能标记",
		"SELECT wq_api.warning_add('" EMP_B "', '违规单位', '院系想加')");
	assert_refused_with(dk, "42501", "院系用户不能", "SELECT wq_api.warning_remove('" EMP_A "')");
	/* nor around the functions */
	refused_state(dk, "42501", "INSERT INTO wq.warning (school_code, credit_code, category, note) "
		"VALUES ('10001', '" EMP_B "', 'fake', 'x')");
	refused_state(dk, "42501", "DELETE FROM wq.warning");
	after = q(su, "SELECT count(*) FROM wq.event");
	assert_string_equal(before, after);
	assert_q(su, "fake|ws1", "SELECT category || '|' || marked_by FROM wq.warning WHERE credit_code = '" EMP_A "'");
	/* what the clerk sees while reviewing */
	assert_q(dk, EMP_A "|虚假单位|营业执照与实际不符|ws1|false",
		"SELECT credit_code || '|' || category_label || '|' || note || '|' || marked_by || '|' || is_national "
		"FROM wq_api.warnings(false)");
	assert_q(dk, "北京示例科技有限公司|虚假单位|ws1|false||",
		"SELECT employer_name || '|' || category_label || '|' || marked_by_name || '|' || is_national || '|' || "
		"coalesce(schools::text, '') || '|' || coalesce(categories, '') "
		"FROM wq_api.employer_warnings('" EMP_A "')");
	/* an employer without a mark: one row, nothing marked */
	assert_q(dk, "1|-|false", "SELECT count(*) || '|' || coalesce(min(category), '-') || '|' || bool_or(is_national) "
		"FROM wq_api.employer_warnings('" EMP_C "')");
	assert_refused_with(dk, "23514", "统一社会信用代码不正确", "SELECT * FROM wq_api.employer_warnings('abc')");
	/* the portal reads none */
	{
		struct wq_db *p = must_connect("wp");

		refused_state(p, "42501", "SELECT * FROM wq_api.warnings(false)");
		db_close(p);
	}
	must_exec(s[0], "SELECT wq_api.warning_remove('" EMP_A "')");
	free(before);
	free(after);
}

/* Another school neither removes nor sees this school's marks, nor their events. */
static void
test_other_school_cannot_remove_or_see(void **state)
{
	struct wq_db *su = *state, *b = s[1];

	must_exec(s[0], "SELECT wq_api.warning_add('" EMP_B "', '就业歧视', '面试询问婚育情况')");
	/* the answer is the one for an employer nobody marked */
	assert_refused_with(b, "P0002", "本校没有标记", "SELECT wq_api.warning_remove('" EMP_B "')");
	assert_q(su, "1", "SELECT count(*) FROM wq.warning WHERE credit_code = '" EMP_B "'");
	assert_q(b, "0", "SELECT count(*) FROM wq_api.warnings(false)");
	assert_q(b, "0", "SELECT count(*) FROM wq_api.warnings(true)");
	assert_q(b, "-|false|-|-", "SELECT coalesce(category, '-') || '|' || is_national || '|' || "
		"coalesce(schools::text, '-') || '|' || coalesce(categories, '-') FROM wq_api.employer_warnings('" EMP_B "')");
	assert_q(b, "0", "SELECT count(*) FROM wq_api.events WHERE entity = 'warning'");
	refused_state(b, "42501", "SELECT count(*) FROM wq.warning");
	refused_state(b, "42501", "SELECT count(*) FROM wq.warning_tally");
	/* its own mark of the same employer is its own: the first school's stays */
	assert_q(b, "create", "SELECT wq_api.warning_add('" EMP_B "', '违规单位', '另一件事')->>'action'");
	assert_q(b, "违规单位", "SELECT string_agg(category_label, ',') FROM wq_api.warnings(false)");
	assert_q(s[0], "就业歧视|面试询问婚育情况", "SELECT category_label || '|' || note FROM wq_api.warnings(false)");
	must_exec(b, "SELECT wq_api.warning_remove('" EMP_B "')");
	assert_q(s[0], "1", "SELECT count(*) FROM wq_api.warnings(false)");
	must_exec(s[0], "SELECT wq_api.warning_remove('" EMP_B "')");
}

/* The national list: at exactly 5 schools, with the count and the categories, and no school named. */
static void
test_national_at_five_schools(void **state)
{
	struct wq_db *su = *state;
	static const char *const cats[] = { "违规单位", "虚假宣传", "违规单位", "就业歧视", "虚假宣传" };
	char *rows;
	int i, k;

	for (i = 0; i < 4; i++) {
		char sql[512];

		snprintf(sql, sizeof(sql), "SELECT wq_api.warning_add('" EMP_C "', '%s', '第 %d 所学校的备注')",
			cats[i], i + 1);
		must_exec(s[i], sql);
	}
	/* four schools: no national warning unit, and no count shown to anyone */
	for (k = 0; k < NSCHOOLS; k++)
		assert_q(s[k], "0", "SELECT count(*) FROM wq_api.warnings(true)");
	assert_q(s[0], "false|-", "SELECT is_national || '|' || coalesce(schools::text, '-') "
		"FROM wq_api.employer_warnings('" EMP_C "')");
	assert_q(s[5], "false|-", "SELECT is_national || '|' || coalesce(schools::text, '-') "
		"FROM wq_api.employer_warnings('" EMP_C "')");
	assert_q(s[0], "false|-", "SELECT is_national || '|' || coalesce(schools::text, '-') FROM wq_api.warnings(false)");
	/* the fifth: it says so */
	assert_q(s[4], "true/5", "SELECT (r->>'national') || '/' || (r->>'schools') "
		"FROM wq_api.warning_add('" EMP_C "', '" "虚假宣传" "', '第 5 所学校的备注') r");
	/* a school that did not mark it: the count and the categories, nothing of who */
	assert_q(s[5], EMP_C "|-|5|违规单位 2、就业歧视 1、虚假宣传 2|-|-|-",
		"SELECT credit_code || '|' || coalesce(employer_name, '-') || '|' || schools || '|' || categories || '|' || "
		"coalesce(category, '-') || '|' || coalesce(note, '-') || '|' || coalesce(marked_by, '-') "
		"FROM wq_api.warnings(true)");
	assert_q(s[5], "true|5", "SELECT is_national || '|' || schools FROM wq_api.employer_warnings('" EMP_C "')");
	/* a school that marked it: its own mark beside the count, and only its own */
	assert_q(s[1], "5|虚假宣传|第 2 所学校的备注|ws2", "SELECT schools || '|' || category_label || '|' || note || '|' || "
		"marked_by FROM wq_api.warnings(true)");
	assert_q(s[1], "true|5|违规单位 2、就业歧视 1、虚假宣传 2", "SELECT is_national || '|' || schools || '|' || categories "
		"FROM wq_api.warnings(false)");
	/* no other school's code, name, login or note anywhere in what any school or department reads */
	for (k = 0; k <= NSCHOOLS; k++) {
		struct wq_db *db = k < NSCHOOLS ? s[k] : dk;
		int j;

		/* every column but marked_at (whose digits could look like a school code) */
		rows = q(db, "SELECT coalesce(string_agg(concat_ws('|', credit_code, employer_name, employer_status, "
			"category, category_label, note, marked_by, marked_by_name, is_national, schools, categories), ';'), '') "
			"FROM (SELECT * FROM wq_api.warnings(true) UNION ALL SELECT * FROM wq_api.warnings(false) "
			"UNION ALL SELECT * FROM wq_api.employer_warnings('" EMP_C "')) r");
		for (j = 0; j < NSCHOOLS; j++) {
			char code[16], login[16], note[64];
			int own = (k < NSCHOOLS ? k : 0) == j;

			snprintf(code, sizeof(code), "1000%d", j + 1);
			snprintf(login, sizeof(login), "ws%d", j + 1);
			snprintf(note, sizeof(note), "第 %d 所学校", j + 1);
			if (strstr(rows, code) || strstr(rows, "大学"))
				fail_msg("a school is named in what %d reads: %s", k, rows);
			if (!own && (strstr(rows, login) || strstr(rows, note)))
				fail_msg("school %d's mark shows in what %d reads: %s", j + 1, k, rows);
		}
		free(rows);
	}
	/* the events of the marks are each school's own */
	assert_q(s[5], "0", "SELECT count(*) FROM wq_api.events WHERE entity = 'warning'");
	assert_q(s[0], "1", "SELECT count(*) FROM wq_api.events WHERE entity = 'warning' AND entity_id = '" EMP_C "'");
	/* a replaced category moves the counts, not the schools */
	must_exec(s[0], "SELECT wq_api.warning_add('" EMP_C "', '虚假单位', '改为虚假单位')");
	assert_q(s[5], "5|违规单位 1、虚假单位 1、就业歧视 1、虚假宣传 2", "SELECT schools || '|' || categories "
		"FROM wq_api.warnings(true)");
	/* a sixth, then two removed: below five it is no longer listed */
	must_exec(s[5], "SELECT wq_api.warning_add('" EMP_C "', '违规单位', '第六所')");
	assert_q(s[2], "6", "SELECT schools FROM wq_api.warnings(true)");
	must_exec(s[5], "SELECT wq_api.warning_remove('" EMP_C "')");
	must_exec(s[4], "SELECT wq_api.warning_remove('" EMP_C "')");
	assert_q(s[2], "0", "SELECT count(*) FROM wq_api.warnings(true)");
	assert_q(s[4], "false", "SELECT is_national::text FROM wq_api.employer_warnings('" EMP_C "')");
	assert_q(su, "4", "SELECT schools FROM wq.warning_tally WHERE credit_code = '" EMP_C "'");
	assert_q(su, "4", "SELECT count(*) FROM wq.warning WHERE credit_code = '" EMP_C "'");
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_replace_remove),
		cmocka_unit_test(test_department_reads_and_is_refused),
		cmocka_unit_test(test_other_school_cannot_remove_or_see),
		cmocka_unit_test(test_national_at_five_schools),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("warnings", tests, setup_fixture, teardown);
}
