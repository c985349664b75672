/*
 * test_attacks.c: what a hostile clerk with psql and their own login tried,
 * repeated against a real PostgreSQL 15 cluster (tests/db/run.sh).  Each test
 * fails when the attack works again.
 *
 * Two schools of one province, each with a demo roster loaded through the
 * real import; a school user and a department user of the first, a school
 * user of the second, a portal account.  What the first school's clerks may
 * read, and what they may call, is enumerated from the catalog, so a relation
 * or a function added later is covered too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "account.h"
#include "admin.h"
#include "dbtest.h"
#include "demo.h"
#include "import.h"
#include "util.h"

#define SCHOOL_A "10001"
#define SCHOOL_B "10002"
#define NOWHERE  "§无此值§"    /* a value no row holds */

static char *dept_a;   /* the department user's 院系 */

static double
now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Imports n demo rows for school (as db: the operator names the school, NULL for the caller's). */
static bool
import_school(struct wq_db *db, const char *code, const char *name, int n, bool as_operator, struct wq_err *err)
{
	struct demo_school school = { code, name };

	return demo_import(db, &school, n, (unsigned)atoi(code), as_operator, err);
}

static int
setup_fixture(void **state)
{
	static const char *const fixture[] = {
		"11 北京市 three-party",
		SCHOOL_A " 北京甲大学 11",
		SCHOOL_B " 北京乙大学 11",
		NULL,
	};
	struct wq_db *db = dbtest_fixture(fixture);
	struct wq_err err;

	if (!db)
		return -1;
	wq_err_clear(&err);
	if (!import_school(db, SCHOOL_A, "北京甲大学", 40, true, &err)
	    || !import_school(db, SCHOOL_B, "北京乙大学", 40, true, &err)) {
		fprintf(stderr, "fixture: %s\n", err.msg);
		return -1;
	}
	dept_a = scalar(db, "SELECT min(dept) FROM wq.student WHERE school_code = '" SCHOOL_A "'");
	add_account(db, "sa", "school", NULL, SCHOOL_A, NULL);
	add_account(db, "sb", "school", NULL, SCHOOL_B, NULL);
	add_account(db, "da1", "dept", NULL, SCHOOL_A, dept_a);
	add_account(db, "p1", "portal", NULL, NULL, NULL);
	/* an employer, an invitation and its notice, so that every table has a row */
	must_exec(db, "UPDATE wq.school_settings SET online_signing = true, registration = true "
		"WHERE school_code = '" SCHOOL_A "'");
	must_exec(db, "UPDATE wq.student SET verify_status = 'verified', training_mode = '1' "
		"WHERE id = (SELECT min(id) FROM wq.student WHERE school_code = '" SCHOOL_A "')");
	must_exec(db, "SELECT wq_api.employer_add('91350100M000100Y43', '北京示例科技有限公司')");
	must_exec(db, "SELECT wq_api.invite('91350100M000100Y43', '" SCHOOL_A "', "
		"(SELECT student_no FROM wq.student WHERE id = (SELECT min(id) FROM wq.student WHERE school_code = '" SCHOOL_A "')))");
	/* a 补登 with its paper agreement (a PDF by its bytes) */
	must_exec(db, "SELECT wq_api.portal_upload(wq_api.registration_submit('" SCHOOL_A "', "
		"(SELECT student_no FROM wq.student WHERE id = (SELECT min(id) FROM wq.student WHERE school_code = '" SCHOOL_A "')), "
		"'91350100M000100Y43'), 'student', 'scan.pdf', convert_to('%PDF-1.4 scan', 'UTF8'))");
	/* a destination registration (去向登记) of another student, with its proof */
	must_exec(db, "UPDATE wq.school_settings SET destination = true WHERE school_code = '" SCHOOL_A "'");
	must_exec(db, "UPDATE wq.student SET verify_status = 'verified', training_mode = '1' "
		"WHERE id = (SELECT min(id) + 1 FROM wq.student WHERE school_code = '" SCHOOL_A "')");
	must_exec(db, "SELECT wq_api.destination_submit('" SCHOOL_A "', "
		"(SELECT student_no FROM wq.student WHERE id = (SELECT min(id) + 1 FROM wq.student WHERE school_code = '"
		SCHOOL_A "')), '80', '{\"institution\": \"北京大学\", \"study_level\": \"研究生\"}', "
		"'offer.pdf', convert_to('%PDF-1.4 offer', 'UTF8'))");
	/* 预警单位: a mark of each school (and so a tally), one of an employer not on the platform;
	 * the invitation accepted and signed, and its termination (解约) asked for */
	{
		struct wq_db *sa = connect_as("sa", NULL, &err), *sb = sa ? connect_as("sb", NULL, &err) : NULL;

		if (!sa || !sb
		    || !db_exec(db, "SELECT wq_api.portal_act(min(id), 'accept', 'student') FROM wq.agreement "
			    "WHERE kind = 'online'", 0, NULL, &err)
		    || !db_exec(sa, "SELECT wq_api.review_decide(r.id, 'pass', r.version) FROM wq_api.agreements('signing') r "
			    "WHERE r.kind = 'online'", 0, NULL, &err)
		    || !db_exec(db, "SELECT wq_api.termination_start(min(id), 'student', '单位搬迁') FROM wq.agreement "
			    "WHERE state = 'signed'", 0, NULL, &err)
		    || !db_exec(sa, "SELECT wq_api.warning_add('91350100M000100Y43', '虚假宣传', '招聘简章夸大薪资')",
			    0, NULL, &err)
		    || !db_exec(sb, "SELECT wq_api.warning_add('91440300708461136T', '违规单位', '收取求职押金')",
			    0, NULL, &err)) {
			fprintf(stderr, "fixture: %s\n", err.msg);
			return -1;
		}
		db_close(sa);
		db_close(sb);
	}
	*state = db;
	return 0;
}

static int
teardown_fixture(void **state)
{
	free(dept_a);
	return dbtest_teardown(state);
}

/* ---- 1. plans tell nothing of other schools' rows ---------------------------- */

/* The text of an EXPLAIN (ANALYZE, VERBOSE) without timings, with the SQL literal lit replaced by '?'. */
static char *
plan_of(struct wq_db *db, const char *query, const char *lit)
{
	struct wq_err err;
	struct wq_rows *rows;
	char *sql = xasprintf("EXPLAIN (ANALYZE, VERBOSE, COSTS, TIMING OFF, SUMMARY OFF) %s", query);
	size_t len = 0, cap = 1024;
	char *out = xmalloc(cap), *p;
	int r;

	wq_err_clear(&err);
	rows = db_query(db, sql, 0, NULL, &err);
	if (!rows)
		fail_msg("%s: %s", sql, err.msg);
	out[0] = '\0';
	for (r = 0; r < rows->nrows; r++) {
		const char *line = rows_get(rows, r, 0);
		size_t n = strlen(line);

		if (len + n + 2 > cap) {
			cap = (len + n + 2) * 2;
			out = xrealloc(out, cap);
		}
		memcpy(out + len, line, n);
		len += n;
		out[len++] = '\n';
		out[len] = '\0';
	}
	rows_free(rows);
	free(sql);
	while (lit && *lit && (p = strstr(out, lit))) {
		size_t n = strlen(lit);

		memcpy(p, "'?'", 3);
		memmove(p + 3, p + n, strlen(p + n) + 1);
	}
	return out;
}

/* A plan that scans a table of wq (not a function's result) shows what row security removed. */
static void
assert_no_table_scan(const char *plan, const char *what)
{
	if (strstr(plan, " on wq.") || strstr(plan, "Scan using"))
		fail_msg("%s: the plan reads a table of wq:\n%s", what, plan);
}

/* Removes the lines of text that contain what. */
static void
drop_lines(char *text, const char *what)
{
	char *p;

	while ((p = strstr(text, what))) {
		char *start = p, *end = strchr(p, '\n');

		while (start > text && start[-1] != '\n')
			start--;
		end = end ? end + 1 : p + strlen(p);
		memmove(start, end, strlen(end) + 1);
	}
}

/* SQL literal of v (no quotes in our values). */
static char *
lit(const char *v)
{
	if (strchr(v, '\''))
		fail_msg("value with a quote: %s", v);
	return xasprintf("'%s'", v);
}

/*
 * Every relation of wq_api that login may read, every column: a condition
 * that only rows outside its scope (another school's or department's) meet
 * gives the very plan that a condition no row meets gives.  Returns how many
 * columns had such rows.
 */
static int
relations_hide_other_rows(struct wq_db *su, const char *login)
{
	struct wq_db *d = must_connect(login);
	struct wq_err err;
	struct wq_rows *cols;
	const char *params[1] = { login };
	int i, tested = 0;
	char *sql;

	wq_err_clear(&err);
	cols = db_query(su,
		"SELECT c.relname, a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
		" WHERE c.relnamespace = 'wq_api'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'f', 'p') "
		"   AND has_table_privilege($1, c.oid, 'SELECT') AND a.attnum > 0 AND NOT a.attisdropped "
		" ORDER BY 1, a.attnum", 1, params, &err);
	assert_non_null(cols);
	assert_true(cols->nrows > 50);
	for (i = 0; i < cols->nrows; i++) {
		const char *rel = rows_get(cols, i, 0), *col = rows_get(cols, i, 1);
		char *hidden, *q1, *q2, *p1, *p2, *l1, *l2;

		/* what the user sees of the column, and a value it does not see */
		must_exec(su, "BEGIN");
		sql = xasprintf("SET LOCAL SESSION AUTHORIZATION %s", login);
		must_exec(su, sql);
		free(sql);
		sql = xasprintf("CREATE TEMP TABLE seen ON COMMIT DROP AS SELECT DISTINCT %s::text AS v FROM wq_api.%s",
			col, rel);
		must_exec(su, sql);
		free(sql);
		must_exec(su, "RESET SESSION AUTHORIZATION");
		sql = xasprintf("SELECT v FROM (SELECT DISTINCT %s::text AS v FROM wq_api.%s) a "
			"WHERE v IS NOT NULL AND v <> '' AND v !~ '[''\\\\\\n]' AND length(v) < 200 "
			"AND NOT EXISTS (SELECT 1 FROM pg_temp.seen s WHERE s.v = a.v) ORDER BY v LIMIT 1", col, rel);
		hidden = scalar(su, sql);
		free(sql);
		must_exec(su, "COMMIT");
		if (!hidden)
			continue;   /* everything of this column is the user's (codes, provinces) */
		l1 = lit(hidden);
		l2 = lit(NOWHERE);
		q1 = xasprintf("SELECT * FROM wq_api.%s WHERE %s::text = %s", rel, col, l1);
		q2 = xasprintf("SELECT * FROM wq_api.%s WHERE %s::text = %s", rel, col, l2);
		p1 = plan_of(d, q1, l1);
		p2 = plan_of(d, q2, l2);
		if (strcmp(p1, p2) != 0)
			fail_msg("%s: wq_api.%s.%s: the plan differs for a value outside the scope (%s):\n%s\n"
				"for a value on no row:\n%s", login, rel, col, hidden, p1, p2);
		assert_no_table_scan(p1, rel);
		tested++;
		free(p1);
		free(p2);
		free(q1);
		free(q2);
		free(l1);
		free(l2);
		free(hidden);
	}
	rows_free(cols);
	db_close(d);
	return tested;
}

static void
test_plans_of_every_relation_hide_other_rows(void **state)
{
	/* students, departments, accounts, settings, events, schools all had hidden values */
	assert_true(relations_hide_other_rows(*state, "da1") >= 30);
	assert_true(relations_hide_other_rows(*state, "sa") >= 30);
}

/* The attack itself: is this 身份证号 (of another school) enrolled anywhere? */
static void
test_explain_analyze_is_no_enrolment_oracle(void **state)
{
	struct wq_db *su = *state, *d = must_connect("da1");
	char *idn = scalar(su, "SELECT min(id_number) FROM wq.student WHERE school_code = '" SCHOOL_B "'");
	char *l1 = lit(idn);
	char *q1 = xasprintf("SELECT id FROM wq_api.students WHERE id_number = %s", l1);
	char *q2 = xasprintf("SELECT id FROM wq_api.students WHERE id_number = %s", "'110101200001010037'");
	char *p1 = plan_of(d, q1, l1), *p2 = plan_of(d, q2, "'110101200001010037'");

	assert_string_equal(p1, p2);
	assert_no_table_scan(p1, "students");
	/* plain EXPLAIN: the estimate does not come from the statistics of every school */
	must_exec(su, "ANALYZE wq.student");
	free(p1);
	free(p2);
	p1 = plan_of(d, q1, l1);
	p2 = plan_of(d, q2, "'110101200001010037'");
	assert_string_equal(p1, p2);
	free(l1);
	free(p1);
	free(p2);
	free(q1);
	free(q2);
	free(idn);
	db_close(d);
}

/*
 * Every function of wq_api the department user may call that only reads:
 * SECURITY DEFINER (never inlined, its inner plan unseen), and called with
 * another school's values it answers and plans exactly as for values no row
 * holds.
 */
static void
test_read_functions_hide_other_rows(void **state)
{
	struct wq_db *su = *state, *d = must_connect("da1");
	struct wq_err err;
	struct wq_rows *fns;
	char *b_name = scalar(su, "SELECT min(name) FROM wq.student b WHERE school_code = '" SCHOOL_B "' "
		"AND NOT EXISTS (SELECT 1 FROM wq.student a WHERE a.school_code = '" SCHOOL_A "' AND a.name = b.name)");
	char *b_id = scalar(su, "SELECT min(id)::text FROM wq.student WHERE school_code = '" SCHOOL_B "'");
	int i;

	assert_scalar(su, "SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'wq_api'::regnamespace "
		"AND has_function_privilege('da1', p.oid, 'EXECUTE') AND NOT p.prosecdef", "0");
	wq_err_clear(&err);
	fns = db_query(su,
		"SELECT p.proname, (SELECT string_agg(format_type(t, NULL) || '|' || coalesce(n, ''), ',' ORDER BY o) "
		"                     FROM unnest(p.proargtypes::oid[], (p.proargnames)[1:p.pronargs]) WITH ORDINALITY AS x(t, n, o)) "
		"  FROM pg_proc p WHERE p.pronamespace = 'wq_api'::regnamespace AND p.provolatile <> 'v' "
		"   AND has_function_privilege('da1', p.oid, 'EXECUTE') ORDER BY 1", 0, NULL, &err);
	assert_non_null(fns);
	assert_true(fns->nrows >= 6);
	for (i = 0; i < fns->nrows; i++) {
		const char *fn = rows_get(fns, i, 0), *args = rows_get(fns, i, 1);
		char *a1 = xstrdup(""), *a2 = xstrdup(""), *list = xstrdup(args ? args : ""), *tok, *save = NULL;
		char *q1, *q2, *p1, *p2, *r1, *r2, *t;

		for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			char *bar = strchr(tok, '|');
			const char *v1, *v2;
			char *x1, *x2;

			*bar = '\0';
			/* the first text argument (the filter) gets the value; a keyset
			 * position none, the sort one that is valid */
			if (strcmp(bar + 1, "p_sort") == 0)
				v1 = v2 = "'name'";
			else if (strcmp(bar + 1, "p_col") == 0)
				v1 = v2 = "'dept'";   /* a column to list: its plan shows no table either */
			else if (strncmp(bar + 1, "p_after_", 8) == 0)
				v1 = v2 = "NULL";
			else if (strcmp(tok, "text") == 0 && !strstr(a1, "@B@"))
				v1 = "'@B@'", v2 = "'@N@'";
			else if (strcmp(tok, "text") == 0)
				v1 = v2 = "NULL";
			else if (strcmp(tok, "bigint") == 0)
				v1 = "@I@", v2 = "999999999";
			else if (strcmp(tok, "bigint[]") == 0)
				v1 = "ARRAY[@I@]::bigint[]", v2 = "ARRAY[999999999]::bigint[]";
			else if (strcmp(tok, "integer") == 0)
				v1 = v2 = "50";
			else if (strcmp(tok, "boolean") == 0)
				v1 = v2 = "false";
			else
				fail_msg("wq_api.%s: no test value for a %s argument", fn, tok);
			x1 = xasprintf("%s%s%s", a1, *a1 ? ", " : "", v1);
			x2 = xasprintf("%s%s%s", a2, *a2 ? ", " : "", v2);
			free(a1);
			free(a2);
			a1 = x1;
			a2 = x2;
		}
		/* fill in the other school's values */
		while ((t = strstr(a1, "@B@")) || (t = strstr(a1, "@I@"))) {
			char *x = xasprintf("%.*s%s%s", (int)(t - a1), a1, t[1] == 'B' ? b_name : b_id, t + 3);
			free(a1);
			a1 = x;
		}
		while ((t = strstr(a2, "@N@"))) {
			char *x = xasprintf("%.*s%s%s", (int)(t - a2), a2, NOWHERE, t + 3);
			free(a2);
			a2 = x;
		}
		q1 = xasprintf("SELECT * FROM wq_api.%s(%s)", fn, a1);
		q2 = xasprintf("SELECT * FROM wq_api.%s(%s)", fn, a2);
		{
			/* a function that refuses such an argument must refuse both the same way */
			struct wq_err e1, e2;
			bool ok1, ok2;

			wq_err_clear(&e1);
			wq_err_clear(&e2);
			ok1 = db_exec(d, q1, 0, NULL, &e1);
			ok2 = db_exec(d, q2, 0, NULL, &e2);
			if (ok1 != ok2 || (!ok1 && (strcmp(e1.sqlstate, e2.sqlstate) != 0 || strcmp(e1.msg, e2.msg) != 0)))
				fail_msg("wq_api.%s: another school's values and none give different outcomes: %s / %s",
					fn, ok1 ? "ok" : e1.msg, ok2 ? "ok" : e2.msg);
			if (!ok1) {
				free(q1);
				free(q2);
				free(a1);
				free(a2);
				free(list);
				continue;
			}
		}
		p1 = plan_of(d, q1, NULL);
		p2 = plan_of(d, q2, NULL);
		assert_no_table_scan(p1, fn);
		/* the plans are the same but for the call's arguments */
		drop_lines(p1, "Function Call:");
		drop_lines(p2, "Function Call:");
		if (strcmp(p1, p2) != 0)
			fail_msg("wq_api.%s: plans differ:\n%s\n%s", fn, p1, p2);
		/* and so are the answers */
		t = xasprintf("SELECT coalesce(string_agg(r::text, ';' ORDER BY r::text), '') FROM (%s) r", q1);
		r1 = scalar(d, t);
		free(t);
		t = xasprintf("SELECT coalesce(string_agg(r::text, ';' ORDER BY r::text), '') FROM (%s) r", q2);
		r2 = scalar(d, t);
		free(t);
		if (strcmp(r1, r2) != 0)
			fail_msg("wq_api.%s answers differently for another school's values:\n%s\n%s", fn, r1, r2);
		free(r1);
		free(r2);
		free(p1);
		free(p2);
		free(q1);
		free(q2);
		free(a1);
		free(a2);
		free(list);
	}
	rows_free(fns);
	free(b_name);
	free(b_id);
	db_close(d);
}

/* ---- 2. bounded work ------------------------------------------------------------ */

/* Every text (and jsonb) argument of every wq_api function: a million characters are refused at once. */
static void
test_every_text_argument_is_bounded(void **state)
{
	struct wq_db *su = *state, *s;
	struct wq_err err;
	struct wq_rows *args;
	int i;

	wq_err_clear(&err);
	args = db_query(su,
		"SELECT p.proname, p.pronargs, x.o, "
		"       (SELECT string_agg(format_type(t2, NULL), ',' ORDER BY o2) "
		"          FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS y(t2, o2)) "
		"  FROM pg_proc p, unnest(p.proargtypes::oid[]) WITH ORDINALITY AS x(t, o) "
		" WHERE p.pronamespace = 'wq_api'::regnamespace AND x.t IN ('text'::regtype, 'jsonb'::regtype) "
		" ORDER BY 1, 3", 0, NULL, &err);
	assert_non_null(args);
	assert_true(args->nrows >= 30);
	must_exec(su, "SET statement_timeout = '5s'");
	for (i = 0; i < args->nrows; i++) {
		const char *fn = rows_get(args, i, 0);
		int n = atoi(rows_get(args, i, 1)), at = atoi(rows_get(args, i, 2)), k;
		char *types = xstrdup(rows_get(args, i, 3)), *save = NULL, *tok;
		char *call = xasprintf("SELECT wq_api.%s(", fn), *x;
		double t0;

		for (k = 1, tok = strtok_r(types, ",", &save); k <= n && tok; k++, tok = strtok_r(NULL, ",", &save)) {
			if (k == at)
				x = xasprintf("%s%s%s", call, k > 1 ? ", " : "", strcmp(tok, "jsonb") == 0
					? "jsonb_build_object('handler', repeat('x', 1000000))" : "repeat('张伟', 500000)");
			else
				x = xasprintf("%s%sNULL::%s", call, k > 1 ? ", " : "", tok);
			free(call);
			call = x;
		}
		x = xasprintf("%s)", call);
		free(call);
		t0 = now_s();
		assert_refused(su, x, "22001");
		if (now_s() - t0 > 1.0)
			fail_msg("%s took %.1f s to be refused", x, now_s() - t0);
		free(x);
		free(types);
	}
	must_exec(su, "RESET statement_timeout");
	rows_free(args);
	/* as the clerk who found it: the count that took 7 s */
	s = must_connect("da1");
	assert_refused(s, "SELECT wq_api.student_count(repeat('张伟', 20000), NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
		"22001");
	db_close(s);
}

/* Clerk logins start with time limits: those made by the operator, and a school's department accounts. */
static void
test_clerk_logins_have_time_limits(void **state)
{
	struct wq_db *su = *state, *sa = must_connect("sa"), *c;
	struct wq_err err;

	wq_err_clear(&err);
	assert_true(account_dept_add(sa, "dlimit", dept_a, NULL, "pw-dlimit", &err));
	assert_scalar(su, "SELECT count(*) FROM pg_roles r JOIN wq.account a ON a.login = r.rolname "
		"WHERE NOT ('statement_timeout=30s' = ANY (coalesce(r.rolconfig, '{}')) "
		"       AND 'idle_in_transaction_session_timeout=5min' = ANY (coalesce(r.rolconfig, '{}')))", "0");
	c = must_connect("dlimit");
	assert_scalar(c, "SHOW statement_timeout", "30s");
	assert_scalar(c, "SHOW idle_in_transaction_session_timeout", "5min");
	db_close(c);
	assert_scalar(sa, "SHOW statement_timeout", "30s");
	db_close(sa);
}

/* ---- 3. 核对 is no oracle ---------------------------------------------------------- */

static void
test_verify_answers_one_way_and_changes_nothing(void **state)
{
	struct wq_db *su = *state, *p = must_connect("p1");
	char *name = scalar(su, "SELECT name FROM wq.student WHERE school_code = '" SCHOOL_A "' ORDER BY id LIMIT 1");
	char *idn = scalar(su, "SELECT id_number FROM wq.student WHERE school_code = '" SCHOOL_A "' ORDER BY id LIMIT 1");
	char *level = scalar(su, "SELECT level FROM wq.student WHERE school_code = '" SCHOOL_A "' ORDER BY id LIMIT 1");
	char *other = scalar(su, "SELECT id_number FROM wq.student WHERE school_code = '" SCHOOL_A "' "
		"AND id_number <> (SELECT id_number FROM wq.student WHERE school_code = '" SCHOOL_A "' ORDER BY id LIMIT 1) "
		"ORDER BY id LIMIT 1");
	const char *state_sql = "SELECT (SELECT count(*) FROM wq.event) || '/' || "
		"(SELECT string_agg(verify_status, ',' ORDER BY id) FROM wq.student)";
	char *before = scalar(su, state_sql), *after, *sql;
	const char *one = "{\"status\": \"not_found\"}";

	/* a name alone (another real person's 身份证号 of the school, one on no roster) */
	sql = xasprintf("SELECT wq_api.student_verify('" SCHOOL_A "', '%s', '%s', '%s')::text", name, other, level);
	assert_scalar(p, sql, one);
	free(sql);
	sql = xasprintf("SELECT wq_api.student_verify('" SCHOOL_A "', '%s', '110101200001010037', '%s')::text", name, level);
	assert_scalar(p, sql, one);
	free(sql);
	/* a real 身份证号 with a wrong name: the same answer, and the student is not marked */
	sql = xasprintf("SELECT wq_api.student_verify('" SCHOOL_A "', '无此人', '%s', '%s')::text", idn, level);
	assert_scalar(p, sql, one);
	free(sql);
	/* another school's code, a school that does not exist */
	sql = xasprintf("SELECT wq_api.student_verify('" SCHOOL_B "', '%s', '%s', '%s')::text", name, idn, level);
	assert_scalar(p, sql, one);
	free(sql);
	sql = xasprintf("SELECT wq_api.student_verify('99999', '%s', '%s', '%s')::text", name, idn, level);
	assert_scalar(p, sql, one);
	free(sql);
	after = scalar(su, state_sql);
	assert_string_equal(before, after);
	free(after);
	/* the real person verifies */
	sql = xasprintf("SELECT wq_api.student_verify('" SCHOOL_A "', '%s', '%s', '%s')->>'status'", name, idn, level);
	assert_scalar(p, sql, "verified");
	free(sql);
	/* the portal reads no events (its own 核对 events name students) */
	assert_refused(p, "SELECT count(*) FROM wq_api.events", "42501");
	assert_refused(p, "SELECT count(*) FROM wq_api.read_events()", "42501");
	assert_refused(p, "SELECT count(*) FROM wq_api.student_history(1)", "42501");
	assert_refused(p, "SELECT count(*) FROM wq_api.student_rows(NULL)", "42501");
	db_close(p);
	free(name);
	free(idn);
	free(level);
	free(other);
	free(before);
}

/* ---- 4. one school cannot stall another's import ---------------------------------- */

static void
test_imports_of_other_schools_do_not_wait(void **state)
{
	struct wq_db *sa = must_connect("sa"), *sb = must_connect("sb");
	struct wq_err err;
	double t0;

	/* the lock the import used to take, taken by the other school */
	assert_scalar(sa, "SELECT pg_advisory_lock(hashtext('wq.roster_import'), hashtext('" SCHOOL_B "'))::text", "");
	must_exec(sb, "SET lock_timeout = '1s'");
	t0 = now_s();
	wq_err_clear(&err);
	if (!import_school(sb, SCHOOL_B, "北京乙大学", 40, false, &err))
		fail_msg("school B's import while A holds its old lock: %s", err.msg);
	assert_true(now_s() - t0 < 10.0);
	must_exec(sa, "SELECT pg_advisory_unlock_all()");

	/* school A's import of 1,200 new students, left open (it used to end with ANALYZE wq.student) */
	must_exec(sa, "BEGIN");
	must_exec(sa, "SELECT wq_api.roster_begin()");
	must_exec(sa, "INSERT INTO pg_temp.wq_roster_stage (line, exam_no, name, sex, id_number, ethnicity, "
		"political_status, birth_date, school_name, dept, level, major, training_mode, origin_code, origin_name, "
		"student_no, years, entry_date, grad_date, mobile, email) "
		"SELECT 1 + row_number() OVER (), NULL, name, sex, id_number, ethnicity, political_status, "
		"       to_char(birth_date, 'YYYY-MM-DD'), school_name, dept, level, major, training_mode, origin_code, "
		"       origin_name, student_no || CASE WHEN g = 0 THEN '' ELSE 'x' || g END, years, "
		"       to_char(entry_date, 'YYYY-MM-DD'), to_char(grad_date, 'YYYY-MM-DD'), mobile, email "
		"  FROM wq_api.students, generate_series(0, 30) g");
	must_exec(sa, "SELECT wq_api.roster_apply('open.csv')");
	/* school B imports 1,100 rows (1,060 new) meanwhile, without waiting for A */
	t0 = now_s();
	wq_err_clear(&err);
	if (!import_school(sb, SCHOOL_B, "北京乙大学", 1100, false, &err))
		fail_msg("school B's import while A's is open: %s", err.msg);
	assert_true(now_s() - t0 < 10.0);
	/* and A's own second import waits for its first */
	must_exec(sb, "RESET lock_timeout");
	must_exec(sa, "ROLLBACK");
	db_close(sa);
	db_close(sb);
}

/* Rows staged by hand (no client checks): control and bidi characters are refused by line and field. */
static void
test_import_refuses_control_characters_by_line(void **state)
{
	struct wq_db *sa = must_connect("sa");
	struct wq_err err;

	must_exec(sa, "BEGIN");
	must_exec(sa, "SELECT wq_api.roster_begin()");
	must_exec(sa, "INSERT INTO pg_temp.wq_roster_stage (line, exam_no, name, sex, id_number, ethnicity, "
		"political_status, birth_date, school_name, dept, level, major, training_mode, origin_code, origin_name, "
		"student_no, years, entry_date, grad_date, mobile, email) "
		"SELECT 1 + row_number() OVER (ORDER BY id), NULL, "
		"       CASE WHEN row_number() OVER (ORDER BY id) = 3 THEN U&'\\202e' || name ELSE name END, sex, id_number, "
		"       ethnicity, political_status, to_char(birth_date, 'YYYY-MM-DD'), school_name, "
		"       CASE WHEN row_number() OVER (ORDER BY id) = 1 THEN dept || E'\\x1b[2J' ELSE dept END, level, major, "
		"       training_mode, origin_code, origin_name, student_no, years, to_char(entry_date, 'YYYY-MM-DD'), "
		"       to_char(grad_date, 'YYYY-MM-DD'), mobile, email FROM wq_api.students");
	wq_err_clear(&err);
	assert_false(db_exec(sa, "SELECT wq_api.roster_apply('crafted.csv')", 0, NULL, &err));
	assert_string_equal(err.sqlstate, "23514");
	assert_non_null(strstr(err.msg, "名单有 2 处错误"));
	assert_non_null(strstr(err.detail, "第 2 行: 院系: 含有控制字符"));
	assert_non_null(strstr(err.detail, "第 4 行: 姓名: 含有控制字符"));
	must_exec(sa, "ROLLBACK");
	db_close(sa);
}

static void
test_import_lock_is_the_schools_own(void **state)
{
	struct wq_db *sa = must_connect("sa"), *sa2 = must_connect("sa");

	must_exec(sa, "BEGIN");
	must_exec(sa, "SELECT wq_api.roster_begin()");
	must_exec(sa, "SELECT wq_api.roster_apply('first.csv')");
	/* a second import of the same school waits for the first */
	must_exec(sa2, "SET lock_timeout = '300ms'");
	must_exec(sa2, "BEGIN");
	must_exec(sa2, "SELECT wq_api.roster_begin()");
	assert_refused(sa2, "SELECT wq_api.roster_apply('second.csv')", "55P03");
	must_exec(sa, "ROLLBACK");
	db_close(sa);
	db_close(sa2);
}

/* ---- 5. the tables refuse what the screens would ----------------------------------- */

static void
test_every_text_column_refuses_control_and_bidi(void **state)
{
	struct wq_db *su = *state;
	struct wq_err err;
	struct wq_rows *cols;
	/* C0 (ESC, BEL, TAB, CR, LF), DEL, C1 (NEL, CSI), bidi (RLO, LRI, LRM, ALM), and a megabyte */
	static const char *const bad[] = {
		"E'a\\x1b[31mb'", "E'a\\x07b'", "E'a\\tb'", "E'a\\rb'", "E'a\\nb'", "E'a\\x7fb'",
		"U&'a\\0085b'", "U&'a\\009bb'", "U&'a\\202eb'", "U&'a\\2066b'", "U&'a\\200eb'", "U&'a\\061cb'",
		"repeat('x', 1000000)",
	};
	int i, b;

	wq_err_clear(&err);
	cols = db_query(su,
		"SELECT c.relname, a.attname, format_type(a.atttypid, NULL), "
		"       EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND (g.tgtype & 16) <> 0 "
		"               AND g.tgfoid = 'wq.event_refuse_change'::regproc), "
		"       (SELECT string_agg(quote_ident(b.attname), ', ' ORDER BY b.attnum) FROM pg_attribute b "
		"         WHERE b.attrelid = c.oid AND b.attnum > 0 AND NOT b.attisdropped AND b.attidentity = '' "
		"           AND b.attgenerated = '') "
		"  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
		" WHERE c.relnamespace = 'wq'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped "
		"   AND a.atttypid IN ('text'::regtype, 'text[]'::regtype) AND a.attgenerated = '' "
		" ORDER BY 1, a.attnum", 0, NULL, &err);
	assert_non_null(cols);
	assert_true(cols->nrows >= 60);
	for (i = 0; i < cols->nrows; i++) {
		const char *rel = rows_get(cols, i, 0), *col = rows_get(cols, i, 1), *type = rows_get(cols, i, 2);
		bool append_only = strcmp(rows_get(cols, i, 3), "t") == 0;
		const char *all = rows_get(cols, i, 4);
		/* the few multi-line fields: a reason (具体问题), a code's note, a notice, a 自由职业 description, a termination's reasons and note */
		bool multiline = (strcmp(rel, "event") == 0 && strcmp(col, "reason") == 0)
			|| (strcmp(rel, "code") == 0 && strcmp(col, "note") == 0)
			|| (strcmp(rel, "agreement") == 0 && strcmp(col, "reason") == 0)
			|| (strcmp(rel, "destination") == 0 && (strcmp(col, "reason") == 0 || strcmp(col, "description") == 0))
			|| (strcmp(rel, "termination") == 0 && (strcmp(col, "reason") == 0 || strcmp(col, "apply_reason") == 0
			    || strcmp(col, "force_note") == 0))
			|| (strcmp(rel, "notice") == 0 && strcmp(col, "text") == 0);
		char *sql = xasprintf("SELECT count(*) > 0 FROM wq.%s", rel);

		assert_scalar(su, sql, "t");   /* a row to change: the fixture covers every table */
		free(sql);
		for (b = 0; b < (int)ARRAY_SIZE(bad); b++) {
			char *v, *x;
			struct wq_err e2;
			bool ok;

			if (multiline && strcmp(bad[b], "E'a\\nb'") == 0)
				continue;
			v = strcmp(type, "text[]") == 0 ? xasprintf("ARRAY[%s]", bad[b]) : xstrdup(bad[b]);
			if (append_only) {
				/* a copy of a row, with the value in place of the column's */
				char *list = xstrdup(all), *tok, *save = NULL, *out = xstrdup("");

				for (tok = strtok_r(list, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
					char *y = xasprintf("%s%s%s", out, *out ? ", " : "", strcmp(tok, col) == 0 ? v : tok);

					free(out);
					out = y;
				}
				x = xasprintf("INSERT INTO wq.%s (%s) SELECT %s FROM wq.%s LIMIT 1", rel, all, out, rel);
				free(out);
				free(list);
			} else {
				x = xasprintf("UPDATE wq.%s SET %s = %s WHERE ctid = (SELECT ctid FROM wq.%s LIMIT 1)",
					rel, col, v, rel);
			}
			must_exec(su, "BEGIN");
			wq_err_clear(&e2);
			ok = db_exec(su, x, 0, NULL, &e2);
			must_exec(su, "ROLLBACK");
			if (ok)
				fail_msg("wq.%s.%s accepted %s", rel, col, bad[b]);
			if (strcmp(e2.sqlstate, "23514") != 0 && strcmp(e2.sqlstate, "23503") != 0)
				fail_msg("wq.%s.%s: %s refused with %s (%s), not by a constraint", rel, col, bad[b],
					e2.sqlstate, e2.msg);
			free(x);
			free(v);
		}
	}
	rows_free(cols);
}

/* The settings that `wq settings show` prints: an OSC 52 sequence is refused through the API too. */
static void
test_settings_refuse_terminal_sequences(void **state)
{
	struct wq_db *sa = must_connect("sa");

	assert_refused(sa, "SELECT wq_api.settings_set(jsonb_build_object('handler', E'\\x1b]52;c;ZWNobyBoaQ==\\x07'), NULL)",
		"23514");
	assert_refused(sa, "SELECT wq_api.settings_set(jsonb_build_object('address', U&'\\202e路'), NULL)", "23514");
	db_close(sa);
}

/* ---- 6. accounts ------------------------------------------------------------------ */

static void
test_account_functions_take_only_verifiers_and_plain_names(void **state)
{
	struct wq_db *su = *state, *sa = must_connect("sa"), *c;
	struct wq_err err;
	static const char *const names[] = {
		"current_user", "session_user", "current_role", "all", "public", "none", "pg_x", "wq_x",
		"user", "select", "Abc", "_a", "a.b", "a-b", "a", "abcdefghijklmnopqrstuvwxyz0123456789",
	};
	static const char *const verifiers[] = {
		"SCRAM-SHA-256$x", "SCRAM-SHA-256$plain-password", "SCRAM-SHA-256$4096:c2FsdA==$abc:def",
		"md5abcdef", "",
	};
	char *good, *sql;
	int i;

	wq_err_clear(&err);
	good = db_password_verifier(sa, "okname", "pw-okname", &err);
	assert_non_null(good);
	assert_scalar(su, "SELECT wq.scram_verifier_valid(NULL)::text", "false");
	for (i = 0; i < (int)ARRAY_SIZE(names); i++) {
		sql = xasprintf("SELECT wq_api.dept_account_add('%s', '%s', '', '%s')", names[i], dept_a, good);
		assert_refused(sa, sql, "22023");
		free(sql);
	}
	for (i = 0; i < (int)ARRAY_SIZE(verifiers); i++) {
		sql = xasprintf("SELECT wq_api.dept_account_add('okname', '%s', '', '%s')", dept_a, verifiers[i]);
		assert_refused(sa, sql, "22023");
		free(sql);
		sql = xasprintf("SELECT wq_api.dept_account_password('da1', '%s')", verifiers[i]);
		assert_refused(sa, sql, "22023");
		free(sql);
	}
	sql = xasprintf("SELECT wq_api.dept_account_add('okname', '%s', '', NULL)", dept_a);
	assert_refused(sa, sql, "22023");
	free(sql);
	assert_refused(sa, "SELECT wq_api.dept_account_password('da1', NULL)", "22023");
	assert_scalar(su, "SELECT count(*) FROM pg_roles WHERE rolname IN ('okname', 'current_user', 'all', 'a.b')", "0");
	/* the well-formed verifier: the account works with its password, and only with it */
	sql = xasprintf("SELECT wq_api.dept_account_add('okname', '%s', '', '%s')", dept_a, good);
	must_exec(sa, sql);
	free(sql);
	c = must_connect("okname");
	db_close(c);
	/* the operator's account functions too */
	assert_refused(su, "SELECT wq_api.account_add('current_user', 'portal', NULL, NULL, NULL, '')", "22023");
	{
		struct admin_account a = { "session_user", "portal", NULL, NULL, NULL, NULL, "pw-session_user" };

		wq_err_clear(&err);
		assert_false(admin_account_add(su, &a, &err));
		assert_scalar(su, "SELECT count(*) FROM pg_roles WHERE rolname = 'session_user'", "0");
	}
	free(good);
	db_close(sa);
}

static void
test_school_cannot_unlock_what_the_operator_locked(void **state)
{
	struct wq_db *su = *state, *sa = must_connect("sa");
	struct wq_err err;

	wq_err_clear(&err);
	assert_true(admin_account_set_locked(su, "da1", true, &err));
	assert_false(account_dept_set_locked(sa, "da1", false, &err));
	assert_non_null(strstr(err.msg, "平台管理员"));
	assert_scalar(su, "SELECT locked::text || '/' || locked_by_kind FROM wq.account WHERE login = 'da1'",
		"true/operator");
	assert_null(connect_as("da1", NULL, &err));
	/* the operator unlocks it; a school's own lock the school may lift */
	assert_true(admin_account_set_locked(su, "da1", false, &err));
	assert_true(account_dept_set_locked(sa, "da1", true, &err));
	assert_scalar(su, "SELECT locked_by_kind FROM wq.account WHERE login = 'da1'", "school");
	assert_true(account_dept_set_locked(sa, "da1", false, &err));
	assert_scalar(su, "SELECT locked::text || '/' || coalesce(locked_by_kind, '-') FROM wq.account WHERE login = 'da1'",
		"false/-");
	db_close(must_connect("da1"));
	db_close(sa);
}

/* ---- 5. the engine: only through the API, and never past the caller's scope ---- */

/*
 * wq.agreement_act bypasses row security (0019): it must be out of a clerk's
 * reach, and an item of another school must be neither locked nor told apart
 * from one that does not exist, even while that school's clerk holds it.
 */
static void
test_engine_is_reached_only_through_the_api(void **state)
{
	struct wq_db *su = *state, *sa = must_connect("sa"), *sb = must_connect("sb");
	struct wq_err err;
	char *b_id, *version, *sql, *other_msg, *missing_msg, *p;
	double t0;

	must_exec(su, "UPDATE wq.school_settings SET online_signing = true WHERE school_code = '" SCHOOL_B "'");
	must_exec(su, "UPDATE wq.student SET verify_status = 'verified', training_mode = '1' "
		"WHERE id = (SELECT min(id) FROM wq.student WHERE school_code = '" SCHOOL_B "')");
	b_id = scalar(su, "SELECT (wq_api.portal_act(wq_api.invite('91350100M000100Y43', '" SCHOOL_B "', "
		"(SELECT student_no FROM wq.student WHERE id = (SELECT min(id) FROM wq.student WHERE school_code = '"
		SCHOOL_B "'))), 'accept', 'student')->>'id')");
	version = scalar(su, "SELECT version::text FROM wq.agreement WHERE id = (SELECT min(id) FROM wq.agreement "
		"WHERE school_code = '" SCHOOL_B "')");

	/* the engine itself is not the clerk's to call, under any actor */
	sql = xasprintf("SELECT wq.agreement_act(%s, 'pass', 'reviewer', %s, NULL, NULL, NULL)", b_id, version);
	assert_refused(sa, sql, "42501");
	free(sql);
	sql = xasprintf("SELECT wq.agreement_act(%s, 'withdraw', 'employer', NULL, NULL, NULL, NULL)", b_id);
	assert_refused(sa, sql, "42501");
	free(sql);

	/* school B's clerk is deciding the item (its row locked); school A's call neither waits nor learns */
	must_exec(sb, "BEGIN");
	sql = xasprintf("SELECT wq_api.review_decide(%s, 'pass', %s)", b_id, version);
	must_exec(sb, sql);
	must_exec(sa, "SET lock_timeout = '2s'");
	t0 = now_s();
	wq_err_clear(&err);
	assert_false(db_exec(sa, sql, 0, NULL, &err));
	assert_true(now_s() - t0 < 1.5);
	assert_string_equal(err.sqlstate, "P0002");
	other_msg = xstrdup(err.msg);
	free(sql);
	wq_err_clear(&err);
	assert_false(db_exec(sa, "SELECT wq_api.review_decide(999999999, 'pass', 1)", 0, NULL, &err));
	assert_string_equal(err.sqlstate, "P0002");
	missing_msg = xstrdup(err.msg);
	p = strstr(other_msg, b_id);
	assert_non_null(p);
	sql = xasprintf("%.*s999999999%s", (int)(p - other_msg), other_msg, p + strlen(b_id));
	assert_string_equal(sql, missing_msg);
	free(sql);
	must_exec(sb, "ROLLBACK");
	/* and the item is as it was */
	sql = xasprintf("SELECT state || '/' || version FROM wq.agreement WHERE id = %s", b_id);
	{
		char *want = xasprintf("pending_review/%s", version);

		assert_scalar(su, sql, want);
		free(want);
	}
	free(sql);
	free(other_msg);
	free(missing_msg);
	free(b_id);
	free(version);
	db_close(sa);
	db_close(sb);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plans_of_every_relation_hide_other_rows),
		cmocka_unit_test(test_explain_analyze_is_no_enrolment_oracle),
		cmocka_unit_test(test_read_functions_hide_other_rows),
		cmocka_unit_test(test_every_text_argument_is_bounded),
		cmocka_unit_test(test_clerk_logins_have_time_limits),
		cmocka_unit_test(test_verify_answers_one_way_and_changes_nothing),
		cmocka_unit_test(test_imports_of_other_schools_do_not_wait),
		cmocka_unit_test(test_import_lock_is_the_schools_own),
		cmocka_unit_test(test_import_refuses_control_characters_by_line),
		cmocka_unit_test(test_every_text_column_refuses_control_and_bidi),
		cmocka_unit_test(test_settings_refuse_terminal_sequences),
		cmocka_unit_test(test_account_functions_take_only_verifiers_and_plain_names),
		cmocka_unit_test(test_school_cannot_unlock_what_the_operator_locked),
		cmocka_unit_test(test_engine_is_reached_only_through_the_api),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("attacks", tests, setup_fixture, teardown_fixture);
}
