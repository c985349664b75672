/*
 * test_stats.c: 数据统计 (0024, src/stats.c) against a real PostgreSQL 15
 * cluster.  Three schools of two provinces, their demo rosters loaded through
 * the real import, agreements of every way in and destination registrations
 * of every code written straight into the tables as the superuser.  Every
 * figure that wq_api.stats gives, for every breakdown and for a school, a
 * department and a province user, equals this file's own count over
 * wq.student, wq.agreement and wq.destination; and each user sees its scope
 * and nothing else.
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
#include "demo.h"
#include "stats.h"
#include "util.h"

#define EMP_A "91350100M000100Y43"

static struct wq_db *sa, *sb, *da, *pv, *pt;   /* schools 10001 / 10002, a 院系 of 10001, province 11, portal */
static char dept_a[128];

static int
setup_fixture(void **state)
{
	static const char *const fixture[] = {
		"11 北京市 three-party",
		"12 天津市 two-party",
		"10001 北京甲大学 11",
		"10002 北京乙大学 11",
		"10055 天津甲大学 12",
		NULL,
	};
	static const struct demo_school a = { "10001", "北京甲大学" }, b = { "10002", "北京乙大学" },
		c = { "10055", "天津甲大学" };
	struct wq_db *su = dbtest_fixture(fixture), *sc;
	char *v;

	if (!su)
		return -1;
	add_account(su, "sa", "school", NULL, "10001", NULL);
	add_account(su, "sb", "school", NULL, "10002", NULL);
	add_account(su, "sc", "school", NULL, "10055", NULL);
	add_account(su, "pv", "province", "11", NULL, NULL);
	add_account(su, "pt", "portal", NULL, NULL, NULL);
	sa = must_connect("sa");
	sb = must_connect("sb");
	sc = must_connect("sc");
	import_demo(sa, &a, 150);
	import_demo(sb, &b, 90);
	import_demo(sc, &c, 60);
	db_close(sc);
	v = scalar(su, "SELECT dept FROM wq.student WHERE school_code = '10001' GROUP BY dept "
		"ORDER BY count(*) DESC, dept LIMIT 1");
	snprintf(dept_a, sizeof(dept_a), "%s", v);
	free(v);
	add_account(su, "da", "dept", NULL, "10001", dept_a);
	da = must_connect("da");
	pv = must_connect("pv");
	pt = must_connect("pt");
	must_exec(pt, "SELECT wq_api.employer_add('" EMP_A "', '北京示例科技有限公司')");

	/* some verified; every third student signed, by the three ways in turn */
	must_exec(su, "UPDATE wq.student SET verify_status = 'verified' WHERE id % 4 <> 0");
	must_exec(su,
		"INSERT INTO wq.agreement (kind, initiator, school_code, dept, student_id, employer_code, state, "
		"                          protocol_no, valid_until) "
		"SELECT k.kind, CASE k.kind WHEN 'online' THEN 'employer' ELSE 'student' END, s.school_code, s.dept, s.id, "
		"       '" EMP_A "', 'signed', 'T-' || s.id, now() + interval '30 days' "
		"  FROM wq.student s, LATERAL (SELECT (ARRAY['online', 'offline', 'registration'])[1 + (s.id / 3) % 3] AS kind) k "
		" WHERE s.id % 3 = 0");
	/* some of them since terminated (解约: signed, then terminated, as the engine moves them), and
	 * terminations waiting for the school */
	must_exec(su, "UPDATE wq.agreement SET state = 'terminated' WHERE protocol_no LIKE 'T-%' AND student_id % 7 = 3");
	must_exec(su,
		"INSERT INTO wq.termination (kind, school_code, dept, student_id, agreement_id, initiator, state, "
		"                            review_level, updated_at) "
		"SELECT CASE a.kind WHEN 'online' THEN 'term_online' ELSE 'term_offline' END, a.school_code, a.dept, "
		"       a.student_id, a.id, 'student', 'pending_review', 'school', now() - (a.student_id % 4) * interval '1 day' "
		"  FROM wq.agreement a WHERE a.state = 'signed' AND a.protocol_no LIKE 'T-%' AND a.student_id % 5 = 0");
	/* items waiting in the queues: an invitation accepted, an offline application, a 补登 */
	must_exec(su,
		"INSERT INTO wq.agreement (kind, initiator, school_code, dept, student_id, employer_code, state, "
		"                          protocol_no, valid_until, updated_at) "
		"SELECT k.kind, CASE k.kind WHEN 'online' THEN 'employer' ELSE 'student' END, s.school_code, s.dept, s.id, "
		"       '" EMP_A "', k.state, 'W-' || s.id, now() + interval '30 days', now() - (s.id % 9) * interval '1 day' "
		"  FROM wq.student s, LATERAL (SELECT (ARRAY['online', 'offline', 'registration'])[1 + (s.id / 7) % 3] AS kind, "
		"       (ARRAY['pending_review', 'signing_review', 'reg_review'])[1 + (s.id / 7) % 3] AS state) k "
		" WHERE s.id % 7 = 1");
	/* registrations of every code, approved (those give the 毕业去向), pending or rejected */
	must_exec(su,
		"INSERT INTO wq.destination (school_code, dept, student_id, code, state, updated_at) "
		"SELECT s.school_code, s.dept, s.id, "
		"       (ARRAY['11','12','27','46','50','51','70','71','72','75','76','80','85'])[1 + (s.id / 2) % 13], "
		"       CASE WHEN s.id % 10 = 2 THEN 'pending' WHEN s.id % 10 = 8 THEN 'rejected' ELSE 'approved' END, "
		"       now() - (s.id % 5) * interval '1 day' "
		"  FROM wq.student s WHERE s.id % 3 <> 0 AND s.id % 7 <> 1 AND s.id % 2 = 0");
	*state = su;
	return 0;
}

static int
teardown(void **state)
{
	db_close(sa);
	db_close(sb);
	db_close(da);
	db_close(pv);
	db_close(pt);
	return dbtest_teardown(state);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The group rows of s as lines "label|count|…|rate", in byte order, one per line; the 合计 row alone. */
static char *
actual_lines(const struct stats *s, char **total)
{
	char **lines = xcalloc((size_t)s->nrows, sizeof(*lines));
	char *out = xstrdup(""), *x;
	int r, c;

	for (r = 0; r < s->nrows; r++) {
		lines[r] = xstrdup("");
		for (c = 0; c < s->ncols; c++) {
			x = xasprintf("%s%s%s", lines[r], c ? "|" : "", stats_cell(s, r, c));
			free(lines[r]);
			lines[r] = x;
		}
	}
	*total = lines[s->nrows - 1];
	qsort(lines, (size_t)s->nrows - 1, sizeof(*lines), cmp_str);
	for (r = 0; r < s->nrows - 1; r++) {
		x = xasprintf("%s%s%s", out, r ? "\n" : "", lines[r]);
		free(out);
		out = x;
		free(lines[r]);
	}
	free(lines);
	return out;
}

/* This file's own count: the same lines from wq.student, wq.agreement and wq.destination, as the superuser. */
static void
expected_lines(struct wq_db *su, enum stats_by by, const char *scope, char **lines, char **total)
{
	static const char *const label[STATS_BY_COUNT] = {
		[STATS_BY_DEPT] = "s.dept",
		[STATS_BY_MAJOR] = "s.major",
		[STATS_BY_LEVEL] = "(SELECT c.name FROM wq.code c WHERE c.kind = 'education_level' AND c.code = s.level)",
		[STATS_BY_GENDER] = "CASE s.sex WHEN '1' THEN '男' WHEN '2' THEN '女' END",
		[STATS_BY_ORIGIN] = "(SELECT c.name FROM wq.code c WHERE c.kind = 'province' AND c.code = left(s.origin_code, 2))",
		[STATS_BY_SCHOOL] = "(SELECT sc.name FROM wq.school sc WHERE sc.code = s.school_code)",
	};
	char *codes = scalar(su, "SELECT string_agg(code, ',' ORDER BY sort) FROM wq.code "
		"WHERE kind = 'destination' AND parent IS NULL");
	char *cols = xstrdup(""), *x, *tok, *save = NULL, *sql, *body;

	for (tok = strtok_r(codes, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		x = xasprintf("%s, count(*) FILTER (WHERE s.destination_code = '%s')", cols, tok);
		free(cols);
		cols = x;
	}
	body = xasprintf(
		"count(*), count(*) FILTER (WHERE s.training_mode NOT IN ('21', '41')), "
		"count(*) FILTER (WHERE s.verify_status = 'verified'), "
		"count(*) FILTER (WHERE EXISTS (SELECT 1 FROM wq.agreement a WHERE a.student_id = s.id AND a.state = 'signed' AND a.kind = 'online')), "
		"count(*) FILTER (WHERE EXISTS (SELECT 1 FROM wq.agreement a WHERE a.student_id = s.id AND a.state = 'signed' AND a.kind = 'offline')), "
		"count(*) FILTER (WHERE EXISTS (SELECT 1 FROM wq.agreement a WHERE a.student_id = s.id AND a.state = 'signed' AND a.kind = 'registration'))"
		"%s, count(*) FILTER (WHERE s.destination_code IS NULL), "
		"count(*) FILTER (WHERE EXISTS (SELECT 1 FROM wq.agreement a WHERE a.student_id = s.id AND a.state = 'terminated')), "
		"round(100.0 * count(*) FILTER (WHERE s.destination_code IN ('10','11','12','27','46','50','51','75','76','80','85')) "
		"      / count(*), 1) || '%%'", cols);
	sql = xasprintf("SELECT coalesce(string_agg(line, E'\\n' ORDER BY line COLLATE \"C\"), '') FROM ("
		"SELECT concat_ws('|', %s, %s) AS line FROM wq.student s WHERE %s GROUP BY %s) x",
		label[by], body, scope, label[by]);
	*lines = scalar(su, sql);
	free(sql);
	sql = xasprintf("SELECT concat_ws('|', '合计', %s) FROM wq.student s WHERE %s", body, scope);
	*total = scalar(su, sql);
	free(sql);
	free(body);
	free(cols);
	free(codes);
}

/* Every breakdown of db's statistics equals the count over scope. */
static void
check_all(struct wq_db *su, struct wq_db *db, const char *scope)
{
	int by;

	for (by = 0; by < STATS_BY_COUNT; by++) {
		struct stats s;
		struct wq_err err;
		char *have, *have_total, *want, *want_total;

		wq_err_clear(&err);
		if (!stats_load(db, (enum stats_by)by, &s, &err))
			fail_msg("stats by %s: %s", stats_by_names[by], err.msg);
		have = actual_lines(&s, &have_total);
		expected_lines(su, (enum stats_by)by, scope, &want, &want_total);
		if (strcmp(have, want) != 0)
			fail_msg("by %s over %s:\nwq_api.stats:\n%s\ncounted:\n%s", stats_by_names[by], scope, have, want);
		assert_string_equal(have_total, want_total);
		assert_string_equal(stats_cell(&s, s.nrows - 1, STATS_COL_GROUP), "合计");
		free(have);
		free(have_total);
		free(want);
		free(want_total);
		stats_fini(&s);
	}
}

static void
test_figures_equal_a_direct_count(void **state)
{
	struct wq_db *su = *state;
	char *scope = xasprintf("s.school_code = '10001' AND s.dept = '%s'", dept_a);

	/* the fixture gives every kind of figure something to count */
	assert_scalar(su, "SELECT count(DISTINCT kind) FROM wq.agreement WHERE state = 'signed'", "3");
	assert_scalar(su, "SELECT count(DISTINCT destination_code) > 10 FROM wq.student", "t");
	assert_scalar(su, "SELECT count(DISTINCT school_code) FROM wq.agreement WHERE state = 'terminated'", "3");
	check_all(su, sa, "s.school_code = '10001'");
	check_all(su, sb, "s.school_code = '10002'");
	check_all(su, da, scope);
	check_all(su, pv, "s.province_code = '11'");
	free(scope);
}

static void
test_headers_and_total(void **state)
{
	struct wq_err err;
	struct stats s;
	long sum = 0;
	int r;

	(void)state;
	wq_err_clear(&err);
	assert_true(stats_load(sa, STATS_BY_DEPT, &s, &err));
	assert_string_equal(s.headers[0], "院系");
	assert_string_equal(s.headers[STATS_COL_GRADUATES], "毕业生");
	assert_string_equal(s.headers[STATS_COL_REGISTRATION], "补登");
	assert_string_equal(s.headers[STATS_COL_CODES], "10 签就业协议形式就业");
	assert_int_equal(s.ncodes, 14);
	assert_string_equal(s.headers[stats_col_unregistered(&s)], "未登记");
	assert_string_equal(s.headers[stats_col_terminated(&s)], "解约");
	assert_string_equal(s.headers[stats_col_rate(&s)], "落实率");
	for (r = 0; r < s.nrows - 1; r++)
		sum += stats_value(&s, r, STATS_COL_GRADUATES);
	assert_int_equal(sum, 150);
	assert_int_equal(stats_value(&s, s.nrows - 1, STATS_COL_GRADUATES), 150);
	stats_fini(&s);
}

/* The groups a user sees, by by: a line of labels. */
static char *
groups(struct wq_db *db, enum stats_by by)
{
	struct wq_err err;
	struct stats s;
	char *out = xstrdup(""), *x;
	int r;

	wq_err_clear(&err);
	if (!stats_load(db, by, &s, &err))
		fail_msg("%s", err.msg);
	for (r = 0; r < s.nrows - 1; r++) {
		x = xasprintf("%s%s%s", out, r ? "," : "", stats_cell(&s, r, 0));
		free(out);
		out = x;
	}
	stats_fini(&s);
	return out;
}

static void
test_each_user_sees_its_scope(void **state)
{
	struct wq_db *su = *state;
	char *g;
	char *n_dept = xasprintf("SELECT count(*)::text FROM wq.student WHERE school_code = '10001' AND dept = '%s'", dept_a);
	char *want = scalar(su, n_dept);
	struct wq_err err;
	struct stats s;

	/* a department user: its 院系 only, whatever the breakdown */
	g = groups(da, STATS_BY_DEPT);
	assert_string_equal(g, dept_a);
	free(g);
	g = groups(da, STATS_BY_SCHOOL);
	assert_string_equal(g, "北京甲大学");
	free(g);
	wq_err_clear(&err);
	assert_true(stats_load(da, STATS_BY_MAJOR, &s, &err));
	assert_int_equal(stats_value(&s, s.nrows - 1, STATS_COL_GRADUATES), atol(want));
	stats_fini(&s);
	/* a school user: its own school, nothing of the other */
	g = groups(sa, STATS_BY_SCHOOL);
	assert_string_equal(g, "北京甲大学");
	free(g);
	g = groups(sb, STATS_BY_SCHOOL);
	assert_string_equal(g, "北京乙大学");
	free(g);
	/* a province user: its schools side by side, none of another province */
	g = groups(pv, STATS_BY_SCHOOL);
	assert_string_equal(g, "北京甲大学,北京乙大学");
	free(g);
	/* a portal account sees no statistics */
	assert_refused(pt, "SELECT * FROM wq_api.stats('dept')", "42501");
	assert_refused(pt, "SELECT * FROM wq_api.stats_queues()", "42501");
	/* a breakdown that does not exist */
	assert_refused(sa, "SELECT * FROM wq_api.stats('name')", "22023");
	assert_refused(sa, "SELECT * FROM wq_api.stats(NULL)", "22023");
	/* and nothing else reads past the scope: no table of wq is open to a clerk */
	assert_refused(da, "SELECT count(*) FROM wq.student", "42501");
	free(want);
	free(n_dept);
}

static void
test_queues_count_what_waits(void **state)
{
	struct wq_db *su = *state;
	struct wq_err err;
	struct wq_rows *q;
	static const char *const kinds[] = { "online", "offline", "registration" };
	static const char *const states[] = { "state = 'pending_review'",
		"state IN ('draft_review', 'signing_review')", "state = 'reg_review'" };
	char *sql, *want;
	int i;

	wq_err_clear(&err);
	q = stats_queues(sa, &err);
	assert_non_null(q);
	assert_int_equal(q->nrows, 5);
	assert_string_equal(rows_getn(q, 0, "label"), "在线签约");
	assert_string_equal(rows_getn(q, 3, "label"), "去向登记");
	assert_string_equal(rows_getn(q, 4, "label"), "解约");
	for (i = 0; i < 3; i++) {
		sql = xasprintf("SELECT count(*)::text FROM wq.agreement WHERE school_code = '10001' AND kind = '%s' AND %s",
			kinds[i], states[i]);
		want = scalar(su, sql);
		assert_string_equal(rows_getn(q, i, "waiting"), want);
		assert_true(atoi(want) > 0);
		free(want);
		free(sql);
		sql = xasprintf("SELECT to_char(min(updated_at), 'YYYY-MM-DD HH24:MI') FROM wq.agreement "
			"WHERE school_code = '10001' AND kind = '%s' AND %s", kinds[i], states[i]);
		want = scalar(su, sql);
		assert_string_equal(rows_getn(q, i, "oldest"), want);
		free(want);
		free(sql);
	}
	want = scalar(su, "SELECT count(*)::text FROM wq.destination WHERE school_code = '10001' AND state = 'pending'");
	assert_string_equal(rows_getn(q, 3, "waiting"), want);
	free(want);
	want = scalar(su, "SELECT count(*)::text FROM wq.termination WHERE school_code = '10001' AND state = 'pending_review'");
	assert_string_equal(rows_getn(q, 4, "waiting"), want);
	assert_true(atoi(want) > 0);
	free(want);
	want = scalar(su, "SELECT to_char(min(updated_at), 'YYYY-MM-DD HH24:MI') FROM wq.termination "
		"WHERE school_code = '10001' AND state = 'pending_review'");
	assert_string_equal(rows_getn(q, 4, "oldest"), want);
	free(want);
	rows_free(q);
	/* the department user's are its 院系's */
	q = stats_queues(da, &err);
	assert_non_null(q);
	sql = xasprintf("SELECT count(*)::text FROM wq.destination WHERE school_code = '10001' AND dept = '%s' "
		"AND state = 'pending'", dept_a);
	want = scalar(su, sql);
	assert_string_equal(rows_getn(q, 3, "waiting"), want);
	free(want);
	free(sql);
	rows_free(q);
	/* the province user's, its schools' */
	q = stats_queues(pv, &err);
	assert_non_null(q);
	want = scalar(su, "SELECT count(*)::text FROM wq.destination WHERE school_code IN ('10001', '10002') "
		"AND state = 'pending'");
	assert_string_equal(rows_getn(q, 3, "waiting"), want);
	free(want);
	rows_free(q);
}

/* A change shows at once: the database is the authority, nothing is cached. */
static void
test_a_change_shows_at_once(void **state)
{
	struct wq_db *su = *state;
	struct wq_err err;
	struct stats s;
	long before, placed_before;

	wq_err_clear(&err);
	assert_true(stats_load(sa, STATS_BY_SCHOOL, &s, &err));
	before = stats_value(&s, 0, stats_col_unregistered(&s));
	placed_before = s.placed[0];
	stats_fini(&s);
	must_exec(su, "UPDATE wq.destination SET state = 'approved', code = '80' WHERE id = (SELECT min(d.id) "
		"FROM wq.destination d JOIN wq.student s ON s.id = d.student_id "
		"WHERE d.school_code = '10001' AND d.state = 'pending' AND s.destination_code IS NULL)");
	assert_true(stats_load(sa, STATS_BY_SCHOOL, &s, &err));
	assert_int_equal(stats_value(&s, 0, stats_col_unregistered(&s)), before - 1);
	assert_int_equal(s.placed[0], placed_before + 1);
	stats_fini(&s);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_figures_equal_a_direct_count),
		cmocka_unit_test(test_headers_and_total),
		cmocka_unit_test(test_each_user_sees_its_scope),
		cmocka_unit_test(test_queues_count_what_waits),
		cmocka_unit_test(test_a_change_shows_at_once),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("stats", tests, setup_fixture, teardown);
}
