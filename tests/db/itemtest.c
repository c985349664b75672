/*
 * itemtest.c: the fixture and helpers of the item suites (test_destinations,
 * test_terminations): a school 10001 of 150 verified, eligible students with
 * every switch on, a second school, the portal, the school users sa / sb and
 * the 院系 clerks da / dx, two employers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itemtest.h"
#include "demo.h"
#include "util.h"

struct wq_db *pt, *sa, *sb, *da, *dx;
char stu[8][64];
char stu_x[64];

void
refused_with(struct wq_db *db, const char *want, const char *fmt, ...)
{
	va_list ap;
	char sql[4096];
	char *m;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	m = refusal(db, "%s", sql);
	if (!strstr(m, want))
		fail_msg("%s: \"%s\" does not contain \"%s\"", sql, m, want);
	free(m);
}

void
eq(char *have, const char *want)
{
	if (strcmp(have ? have : "(null)", want) != 0)
		fail_msg("\"%s\", want \"%s\"", have ? have : "(null)", want);
	free(have);
}

int
items_setup(void **state)
{
	static const char *const fixture[] = {
		"11 北京市 three-party",
		"10001 北京甲大学 11",
		"10002 北京乙大学 11",
		NULL,
	};
	static const struct demo_school school = { "10001", "北京甲大学" };
	struct wq_db *su = dbtest_fixture(fixture);
	char *dept_a, *dept_x, *v, *p, *save = NULL;
	int i;

	if (!su)
		return -1;
	add_account(su, "sa", "school", NULL, "10001", NULL);
	add_account(su, "sb", "school", NULL, "10002", NULL);
	add_account(su, "pt", "portal", NULL, NULL, NULL);
	sa = must_connect("sa");
	import_demo(sa, &school, 150);
	must_exec(su, "UPDATE wq.student SET verify_status = 'verified', training_mode = '1' WHERE school_code = '10001'");
	must_exec(su, "UPDATE wq.school_settings SET online_signing = true, registration = true, destination = true "
		"WHERE school_code = '10001'");
	dept_a = scalar(su, "SELECT dept FROM wq.student WHERE school_code = '10001' GROUP BY dept "
		"ORDER BY count(*) DESC, dept LIMIT 1");
	dept_x = q(su, "SELECT min(dept) FROM wq.student WHERE school_code = '10001' AND dept <> '%s'", dept_a);
	add_account(su, "da", "dept", NULL, "10001", dept_a);
	add_account(su, "dx", "dept", NULL, "10001", dept_x);
	v = q(su, "SELECT string_agg(student_no, ',' ORDER BY student_no) FROM (SELECT student_no FROM wq.student "
		"WHERE school_code = '10001' AND dept = '%s' ORDER BY student_no LIMIT 8) s", dept_a);
	for (i = 0, p = strtok_r(v, ",", &save); p && i < 8; i++, p = strtok_r(NULL, ",", &save))
		snprintf(stu[i], sizeof(stu[i]), "%s", p);
	if (i != 8)
		return -1;
	free(v);
	v = q(su, "SELECT min(student_no) FROM wq.student WHERE school_code = '10001' AND dept = '%s'", dept_x);
	snprintf(stu_x, sizeof(stu_x), "%s", v);
	free(v);
	free(dept_a);
	free(dept_x);
	pt = must_connect("pt");
	sb = must_connect("sb");
	da = must_connect("da");
	dx = must_connect("dx");
	must_exec(pt, "SELECT wq_api.employer_add('" EMP_A "', '北京示例科技有限公司')");
	must_exec(pt, "SELECT wq_api.employer_add('" EMP_B "', '深圳示例电子有限公司')");
	*state = su;
	return 0;
}

int
items_teardown(void **state)
{
	db_close(pt);
	db_close(sa);
	db_close(sb);
	db_close(da);
	db_close(dx);
	return dbtest_teardown(state);
}

void
set_mode(struct wq_db *su, const char *mode)
{
	char *s = q(su, "UPDATE wq.school_settings SET review_mode = '%s' WHERE school_code = '10001' RETURNING review_mode",
		mode);

	free(s);
}

char *
item_decide(struct wq_db *db, const char *list_fn, const char *id, const char *action, const char *category,
	const char *reason)
{
	char *ver = q(db, "SELECT version FROM wq_api.%s(NULL, false, %s - 1, 1) WHERE id = %s", list_fn, id, id), *out;

	if (!ver || !*ver)
		fail_msg("item %s is not in %s of this user", id, list_fn);
	out = q(db, "SELECT wq_api.review_decide(%s, '%s', %s, NULL, %s%s%s, %s%s%s)->>'state'", id, action, ver,
		category ? "'" : "", category ? category : "NULL", category ? "'" : "",
		reason ? "'" : "", reason ? reason : "NULL", reason ? "'" : "");
	free(ver);
	return out;
}
