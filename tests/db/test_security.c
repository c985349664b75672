/*
 * test_security.c: the database as the authority, against a real throwaway
 * PostgreSQL 15 cluster (started by tests/db/run.sh; WQ_TEST_SOCK names its
 * socket directory, WQ_TEST_DB the database).
 *
 * The fixture is made through the real code paths (migrate_run, admin_*),
 * then every check connects as a real login role of a school, a department
 * or a province.
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

#include "admin.h"
#include "dbtest.h"
#include "migrate.h"
#include "pg.h"
#include "util.h"

static int
setup_fixture(void **state)
{
	static const char *const fixture[] = {
		"11 北京市 three-party",
		"31 上海市 two-party",
		"10001 北京甲大学 11",
		"10002 北京乙大学 11",
		"10246 上海丙大学 31",
		NULL,
	};
	struct wq_db *db = dbtest_fixture(fixture);

	if (!db)
		return -1;
	add_account(db, "sa", "school", NULL, "10001", NULL);
	add_account(db, "sb", "school", NULL, "10002", NULL);
	add_account(db, "sc", "school", NULL, "10246", NULL);
	add_account(db, "da1", "dept", NULL, "10001", "计算机学院");
	add_account(db, "da2", "dept", NULL, "10001", "化学学院");
	add_account(db, "db1", "dept", NULL, "10002", "计算机学院");
	add_account(db, "prov11", "province", "11", NULL, NULL);
	add_account(db, "portal1", "portal", NULL, NULL, NULL);
	*state = db;
	return 0;
}

/* ---- scope --------------------------------------------------------------- */

static void
test_school_sees_only_its_school(void **state)
{
	struct wq_db *a = must_connect("sa"), *b = must_connect("sb");

	assert_scalar(a, "SELECT string_agg(code, ',' ORDER BY code) FROM wq_api.schools", "10001");
	assert_scalar(b, "SELECT string_agg(code, ',' ORDER BY code) FROM wq_api.schools", "10002");
	assert_scalar(a, "SELECT string_agg(name, ',' ORDER BY name) FROM wq_api.departments", "化学学院,计算机学院");
	assert_scalar(b, "SELECT string_agg(name, ',' ORDER BY name) FROM wq_api.departments", "计算机学院");
	assert_scalar(a, "SELECT string_agg(login, ',' ORDER BY login) FROM wq_api.accounts", "da1,da2,sa");
	assert_scalar(b, "SELECT string_agg(login, ',' ORDER BY login) FROM wq_api.accounts", "db1,sb");
	assert_scalar(a, "SELECT string_agg(school_code, ',') FROM wq_api.school_settings", "10001");
	assert_scalar(a, "SELECT count(*) FROM wq_api.events WHERE school_code <> '10001'", "0");
	assert_scalar(a, "SELECT school_name || '/' || kind || '/' || agreement_type FROM wq_api.me",
		"北京甲大学/school/three_party");
	db_close(a);
	db_close(b);
}

static void
test_department_sees_only_its_department(void **state)
{
	struct wq_db *d1 = must_connect("da1"), *d2 = must_connect("da2"), *e = must_connect("db1");

	assert_scalar(d1, "SELECT string_agg(name, ',') FROM wq_api.departments", "计算机学院");
	assert_scalar(d2, "SELECT string_agg(name, ',') FROM wq_api.departments", "化学学院");
	/* the same 院系 name in another school is another department */
	assert_scalar(e, "SELECT string_agg(school_code || name, ',') FROM wq_api.departments", "10002计算机学院");
	assert_scalar(d1, "SELECT string_agg(login, ',' ORDER BY login) FROM wq_api.accounts", "da1");
	assert_scalar(d1, "SELECT count(*) FROM wq_api.events WHERE dept IS DISTINCT FROM '计算机学院' "
		"AND actor <> session_user", "0");
	assert_scalar(d1, "SELECT dept || '/' || school_name FROM wq_api.me", "计算机学院/北京甲大学");
	/* a department reads its school's settings (read-only) */
	assert_scalar(d1, "SELECT string_agg(school_code, ',') FROM wq_api.school_settings", "10001");
	db_close(d1);
	db_close(d2);
	db_close(e);
}

static void
test_province_sees_its_schools(void **state)
{
	struct wq_db *p = must_connect("prov11");

	assert_scalar(p, "SELECT string_agg(code, ',' ORDER BY code) FROM wq_api.schools", "10001,10002");
	assert_scalar(p, "SELECT count(*) FROM wq_api.departments WHERE school_code = '10246'", "0");
	db_close(p);
}

static void
test_portal_sees_no_school_data(void **state)
{
	struct wq_db *p = must_connect("portal1");

	assert_scalar(p, "SELECT count(*) FROM wq_api.schools", "0");
	assert_scalar(p, "SELECT count(*) FROM wq_api.departments", "0");
	assert_scalar(p, "SELECT count(*) FROM wq_api.accounts", "1");
	db_close(p);
}

/* ---- code tables ------------------------------------------------------------- */

static void
test_code_tables_readable_not_writable(void **state)
{
	struct wq_db *d = must_connect("da1");

	assert_scalar(d, "SELECT count(*) FROM wq_api.codes WHERE kind = 'ethnicity' AND code::int BETWEEN 1 AND 56", "56");
	assert_scalar(d, "SELECT string_agg(code, ',' ORDER BY code) FROM wq_api.codes "
		"WHERE kind = 'destination' AND length(code) = 2",
		"10,11,12,27,46,50,51,70,71,72,75,76,80,85");
	assert_scalar(d, "SELECT string_agg(code, ',' ORDER BY code) FROM wq_api.codes "
		"WHERE kind = 'training_mode' AND NOT eligible", "21,41");
	assert_scalar(d, "SELECT name FROM wq_api.codes WHERE kind = 'province' AND code = '45'", "广西壮族自治区");
	/* the views read functions: they cannot be written at all */
	assert_refused(d, "UPDATE wq_api.codes SET name = 'x'", "55000");
	assert_refused(d, "SELECT wq.code_find('sex', '男')", "42501");
	db_close(d);
	/* lookup by name and by short name */
	assert_scalar(*state, "SELECT wq.code_find('sex', '女') || wq.code_find('province', '江苏')", "232");
}

/* ---- direct writes are refused -------------------------------------------- */

static void
test_direct_table_access_refused(void **state)
{
	struct wq_db *s = must_connect("sa");

	assert_refused(s, "SELECT * FROM wq.account", "42501");
	assert_refused(s, "INSERT INTO wq.department VALUES ('10001', '新学院')", "42501");
	assert_refused(s, "UPDATE wq.school_settings SET max_terminations = 5", "42501");
	assert_refused(s, "DELETE FROM wq.event", "42501");
	assert_refused(s, "UPDATE wq.account SET locked = false", "42501");
	/* the views are readable, never writable (they read functions) */
	assert_refused(s, "INSERT INTO wq_api.departments VALUES ('10001', '新学院')", "55000");
	assert_refused(s, "UPDATE wq_api.school_settings SET max_terminations = 5", "55000");
	assert_refused(s, "DELETE FROM wq_api.accounts", "55000");
	/* nor may a clerk use the operator's functions */
	assert_refused(s, "SELECT wq_api.school_add('10003', '假大学', '11')", "42501");
	assert_refused(s, "SELECT wq_api.account_set_locked('da1', true)", "42501");
	assert_refused(s, "SELECT wq.log_event('x', 'y', 'z', '10001', NULL, NULL, NULL)", "42501");
	assert_refused(s, "CREATE TABLE wq_api.x (a int)", "42501");
	assert_refused(s, "CREATE TABLE public.x (a int)", "42501");
	db_close(s);

	/* nothing changed */
	assert_scalar(*state, "SELECT count(*) FROM wq.department WHERE name = '新学院'", "0");
	assert_scalar(*state, "SELECT count(*) FROM wq.school WHERE code = '10003'", "0");
}

/* ---- settings and roles do not widen the scope ------------------------------ */

static void
test_session_settings_do_not_widen(void **state)
{
	struct wq_db *d = must_connect("da1");
	const char *q = "SELECT string_agg(login, ',' ORDER BY login) FROM wq_api.accounts";

	must_exec(d, "SET search_path = wq, wq_api, public");
	must_exec(d, "SELECT set_config('wq.school', '10002', false)");
	must_exec(d, "SET application_name = 'sa'");
	assert_scalar(d, q, "da1");
	/* a role it belongs to: session_user stays da1 */
	must_exec(d, "SET ROLE wq_dept");
	assert_scalar(d, q, "da1");
	must_exec(d, "RESET ROLE");
	/* roles it does not belong to, and other identities, are refused */
	assert_refused(d, "SET ROLE wq_school", "42501");
	assert_refused(d, "SET ROLE wq_owner", "42501");
	assert_refused(d, "SET ROLE sa", "42501");
	assert_refused(d, "SET SESSION AUTHORIZATION sa", "42501");
	assert_refused(d, "SET ROLE postgres", "42501");
	/* turning row security off makes the query fail, never widen */
	must_exec(d, "SET row_security = off");
	assert_refused(d, q, "42501");
	must_exec(d, "RESET row_security");
	assert_scalar(d, q, "da1");
	db_close(d);
}

static void
test_temp_objects_do_not_shadow(void **state)
{
	struct wq_db *d = must_connect("da1");

	must_exec(d, "CREATE TEMP TABLE account (login text, kind text, province_code text, "
		"school_code text, dept text, name text, locked boolean)");
	must_exec(d, "INSERT INTO pg_temp.account VALUES ('da1', 'school', NULL, '10002', NULL, 'x', false)");
	must_exec(d, "CREATE TEMP TABLE school (code text, name text, province_code text)");
	must_exec(d, "INSERT INTO pg_temp.school VALUES ('10002', '假大学', '31')");
	must_exec(d, "CREATE TEMP TABLE department (school_code text, name text)");
	must_exec(d, "INSERT INTO pg_temp.department VALUES ('10002', '计算机学院')");
	must_exec(d, "CREATE FUNCTION pg_temp.caller_school() RETURNS text LANGUAGE sql AS $$ SELECT '10002' $$");
	must_exec(d, "SET search_path = pg_temp, wq, wq_api, pg_catalog");
	assert_scalar(d, "SELECT kind || '/' || school_code || '/' || dept FROM wq_api.me",
		"dept/10001/计算机学院");
	assert_scalar(d, "SELECT string_agg(school_code || name, ',') FROM wq_api.departments",
		"10001计算机学院");
	assert_scalar(d, "SELECT string_agg(code, ',') FROM wq_api.schools", "10001");
	db_close(d);
}

/* ---- the catalog: how every object is declared ------------------------------ */

static void
test_catalog_rules(void **state)
{
	struct wq_db *su = *state;

	/* every table in wq has row security enabled and forced */
	assert_scalar(su, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
		"WHERE n.nspname = 'wq' AND c.relkind = 'r' AND NOT (c.relrowsecurity AND c.relforcerowsecurity)", "0");
	/* no privilege on wq tables for anyone but the owner */
	assert_scalar(su, "SELECT count(*) FROM information_schema.role_table_grants "
		"WHERE table_schema = 'wq' AND grantee NOT IN ('wq_owner', 'wq_identity', 'wq_search', 'wq_engine')", "0");
	/* wq_search reads students (and the pinyin table) for the search functions only: it may not log in and nobody may become it */
	assert_scalar(su, "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
		"WHERE r.rolname IN ('wq_search', 'wq_engine', 'wq_stats', 'wq_owner', 'wq_identity', 'wq_account_admin')", "0");
	assert_scalar(su, "SELECT string_agg(table_name || ' ' || privilege_type, ',' ORDER BY table_name, privilege_type) "
		"FROM information_schema.role_table_grants WHERE grantee = 'wq_search'", "pinyin_lead SELECT,student SELECT");
	/* wq_engine (0019) reads and writes what a decision needs, owns the engine alone, and only the API may call it */
	assert_scalar(su, "SELECT string_agg(table_name || ' ' || privilege_type, ',' ORDER BY table_name, privilege_type) "
		"FROM information_schema.role_table_grants WHERE grantee = 'wq_engine'",
		"agreement SELECT,agreement UPDATE,attachment INSERT,attachment SELECT,code SELECT,destination SELECT,"
		"destination UPDATE,employer SELECT,event INSERT,event SELECT,notice INSERT,province SELECT,"
		"review_reason SELECT,school SELECT,school_settings SELECT,student SELECT,termination SELECT,"
		"termination UPDATE,transition SELECT");
	/* of a student, only what its outcome's triggers keep (0021, 0026) */
	assert_scalar(su, "SELECT string_agg(column_name || ' ' || privilege_type, ',' ORDER BY column_name) "
		"FROM information_schema.role_column_grants WHERE grantee = 'wq_engine' AND table_name = 'student' "
		"AND privilege_type <> 'SELECT'", "destination_code UPDATE,signing_kind UPDATE,terminated UPDATE");
	assert_scalar(su, "SELECT string_agg(p.oid::regprocedure::text, ',' ORDER BY p.oid::regprocedure::text) FROM pg_proc p "
		"WHERE p.proowner = 'wq_engine'::regrole",
		"wq.agreement_act(bigint,text,text,integer,uuid,text,text,jsonb),"
		"wq.agreement_apply(wq.item_head,wq.transition,wq.school_settings,text,text,text,jsonb),"
		"wq.destination_apply(wq.item_head,wq.transition,wq.school_settings,text,text,text,jsonb),"
		"wq.item_act(bigint,text,text,integer,uuid,text,text,jsonb),"
		"wq.item_apply(wq.item_head,wq.transition,wq.school_settings,text,text,text,jsonb),"
		"wq.item_lock(bigint,record,text),wq.item_noun(text),wq.signing_started(),"
		"wq.student_destination_keep(),"
		"wq.termination_apply(wq.item_head,wq.transition,wq.school_settings,text,text,text,jsonb)");
	/* of them, only the engine's entry points are SECURITY DEFINER; the rest run inside it */
	assert_scalar(su, "SELECT string_agg(p.proname, ',' ORDER BY p.proname) FROM pg_proc p "
		"WHERE p.proowner = 'wq_engine'::regrole AND p.prosecdef",
		"agreement_act,item_act,signing_started,student_destination_keep");
	assert_scalar(su, "SELECT string_agg(r.rolname, ',' ORDER BY r.rolname) FROM pg_roles r "
		"WHERE has_function_privilege(r.oid, 'wq.agreement_act(bigint,text,text,integer,uuid,text,text,jsonb)', 'EXECUTE') "
		"AND NOT r.rolsuper", "wq_engine,wq_owner");
	assert_scalar(su, "SELECT string_agg(r.rolname, ',' ORDER BY r.rolname) FROM pg_roles r "
		"WHERE has_function_privilege(r.oid, 'wq.item_act(bigint,text,text,integer,uuid,text,text,jsonb)', 'EXECUTE') "
		"AND NOT r.rolsuper", "wq_engine,wq_owner");
	assert_scalar(su, "SELECT has_schema_privilege('wq_engine', 'wq', 'CREATE')::text", "false");
	/* every SECURITY DEFINER function pins search_path */
	assert_scalar(su, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
		"WHERE n.nspname IN ('wq', 'wq_api') AND p.prosecdef "
		"AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')", "0");
	/* nothing in wq or wq_api is executable by PUBLIC */
	assert_scalar(su, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
		"WHERE n.nspname IN ('wq', 'wq_api') AND has_function_privilege('public', p.oid, 'EXECUTE')", "0");
	/* the owner may not log in, and no group role bypasses row security */
	assert_scalar(su, "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'wq\\_%' "
		"AND (rolcanlogin OR rolsuper OR (rolbypassrls AND rolname NOT IN ('wq_search', 'wq_engine', 'wq_stats')))", "0");
	/* wq_stats (0024) reads, column by column, what the statistics count, and writes nothing */
	assert_scalar(su, "SELECT count(*) FROM information_schema.role_table_grants WHERE grantee = 'wq_stats'", "0");
	assert_scalar(su, "SELECT string_agg(DISTINCT table_name || ' ' || privilege_type, ',' ORDER BY table_name || ' ' || privilege_type) "
		"FROM information_schema.column_privileges WHERE grantee = 'wq_stats'",
		"agreement SELECT,code SELECT,destination SELECT,school SELECT,student SELECT,termination SELECT");
	assert_scalar(su, "SELECT has_schema_privilege('wq_stats', 'wq', 'CREATE')::text || "
		"has_schema_privilege('wq_stats', 'wq_api', 'CREATE')::text", "falsefalse");
}

/* ---- the event log ------------------------------------------------------------ */

static void
test_event_log_append_only(void **state)
{
	struct wq_db *su = *state;

	assert_scalar(su, "SELECT count(*) FROM wq.event WHERE entity = 'account' AND action = 'create'", "8");
	assert_refused(su, "UPDATE wq.event SET reason = 'x'", "42501");
	assert_refused(su, "DELETE FROM wq.event", "42501");
	assert_refused(su, "TRUNCATE wq.event", "42501");
	/* the owner too */
	must_exec(su, "BEGIN");
	must_exec(su, "SET LOCAL ROLE wq_owner");
	assert_refused(su, "UPDATE wq.event SET reason = 'x'", "42501");
	must_exec(su, "BEGIN");
	must_exec(su, "SET LOCAL ROLE wq_owner");
	assert_refused(su, "DELETE FROM wq.event", "42501");
	assert_scalar(su, "SELECT count(*) FROM wq.event WHERE reason = 'x'", "0");
}

static void
test_lock_and_unlock(void **state)
{
	struct wq_db *su = *state, *d;
	struct wq_err err;
	char *before, *after;

	before = scalar(su, "SELECT count(*) FROM wq.event WHERE entity_id = 'da2'");
	assert_true(admin_account_set_locked(su, "da2", true, &err));
	wq_err_clear(&err);
	d = connect_as("da2", NULL, &err);
	assert_null(d);
	assert_int_equal(err.code, WQ_ERR_PG_LOCKED);
	assert_string_equal(err.msg, "账号已被锁定，请联系学校就业部门");
	assert_true(admin_account_set_locked(su, "da2", false, &err));
	d = must_connect("da2");
	db_close(d);
	after = scalar(su, "SELECT count(*) FROM wq.event WHERE entity_id = 'da2'");
	assert_int_equal(atoi(after), atoi(before) + 2);
	free(before);
	free(after);
}

static void
test_wrong_password(void **state)
{
	struct wq_err err;
	struct wq_db *d;

	wq_err_clear(&err);
	d = connect_as("da1", "not-the-password", &err);
	assert_null(d);
	assert_int_equal(err.code, WQ_ERR_PG_AUTH);
	assert_string_equal(err.msg, "用户名或密码错误");
	/* an unknown user gets the very same answer */
	wq_err_clear(&err);
	d = connect_as("nobody", "x", &err);
	assert_null(d);
	assert_int_equal(err.code, WQ_ERR_PG_AUTH);
	assert_string_equal(err.msg, "用户名或密码错误");
}

static void
test_admin_refusals_change_nothing(void **state)
{
	struct wq_db *su = *state;
	struct wq_err err;
	struct admin_account a = { "dz", "dept", NULL, "10001", NULL, NULL, "x" };
	char *n1, *n2;

	n1 = scalar(su, "SELECT (SELECT count(*) FROM wq.account) || '/' || (SELECT count(*) FROM pg_roles)");
	/* dept without 院系 */
	wq_err_clear(&err);
	assert_false(admin_account_add(su, &a, &err));
	assert_int_equal(err.code, WQ_ERR_USAGE);
	/* unknown school: the role is not left behind either */
	a.school = "99999";
	a.dept = "计算机学院";
	wq_err_clear(&err);
	assert_false(admin_account_add(su, &a, &err));
	/* an existing login */
	a.login = "sa";
	a.school = "10001";
	wq_err_clear(&err);
	assert_false(admin_account_add(su, &a, &err));
	assert_string_equal(err.msg, "登录名 sa 已被使用");
	/* settings out of bounds are refused by the database itself */
	assert_refused(su, "UPDATE wq.school_settings SET max_terminations = 100", "23514");
	assert_refused(su, "UPDATE wq.school_settings SET postcode = '12345'", "23514");
	n2 = scalar(su, "SELECT (SELECT count(*) FROM wq.account) || '/' || (SELECT count(*) FROM pg_roles)");
	assert_string_equal(n1, n2);
	free(n1);
	free(n2);
}

/* ---- migrations ----------------------------------------------------------------- */

static void
test_migrate_twice_is_noop(void **state)
{
	struct wq_db *su = *state;
	struct wq_err err;
	char *before, *after;
	char out[4096] = "";
	FILE *f = fmemopen(out, sizeof(out) - 1, "w");

	before = scalar(su, "SELECT (SELECT count(*) FROM wq.schema_migration) || '/' || (SELECT count(*) FROM wq.event)");
	wq_err_clear(&err);
	assert_true(migrate_run(su, NULL, f, &err));
	fclose(f);
	assert_non_null(strstr(out, "无需更改"));
	after = scalar(su, "SELECT (SELECT count(*) FROM wq.schema_migration) || '/' || (SELECT count(*) FROM wq.event)");
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void
test_migrate_refuses_changed_file(void **state)
{
	struct wq_db *su = *state;
	struct wq_err err;
	char dir[] = "/tmp/wq-migrations-XXXXXX";
	char cmd[1024];
	FILE *devnull = fopen("/dev/null", "w");

	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "cp %s/*.sql %s/ && printf '\\n-- edited\\n' >> %s/0001_foundation.sql",
		MIGRATIONS_DIR, dir, dir);
	assert_int_equal(system(cmd), 0);
	wq_err_clear(&err);
	assert_false(migrate_run(su, dir, devnull, &err));
	assert_non_null(strstr(err.msg, "0001_foundation.sql"));
	assert_non_null(strstr(err.msg, "校验和不同"));
	/* the unchanged copy is accepted: the check is about content */
	snprintf(cmd, sizeof(cmd), "cp %s/0001_foundation.sql %s/", MIGRATIONS_DIR, dir);
	assert_int_equal(system(cmd), 0);
	wq_err_clear(&err);
	assert_true(migrate_run(su, dir, devnull, &err));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	fclose(devnull);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_school_sees_only_its_school),
		cmocka_unit_test(test_department_sees_only_its_department),
		cmocka_unit_test(test_province_sees_its_schools),
		cmocka_unit_test(test_portal_sees_no_school_data),
		cmocka_unit_test(test_code_tables_readable_not_writable),
		cmocka_unit_test(test_direct_table_access_refused),
		cmocka_unit_test(test_session_settings_do_not_widen),
		cmocka_unit_test(test_temp_objects_do_not_shadow),
		cmocka_unit_test(test_catalog_rules),
		cmocka_unit_test(test_event_log_append_only),
		cmocka_unit_test(test_lock_and_unlock),
		cmocka_unit_test(test_wrong_password),
		cmocka_unit_test(test_admin_refusals_change_nothing),
		cmocka_unit_test(test_migrate_twice_is_noop),
		cmocka_unit_test(test_migrate_refuses_changed_file),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("db", tests, setup_fixture, dbtest_teardown);
}
