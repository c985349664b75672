/*
 * test_password.c: a user changes their own password (wq_api.own_password,
 * through account_own_password as the screens and `wq passwd` call it),
 * against a real throwaway PostgreSQL 15 cluster (tests/db/run.sh).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "admin.h"
#include "dbtest.h"
#include "pg.h"
#include "util.h"

static int
setup_fixture(void **state)
{
	static const char *const fixture[] = {
		"11 北京市 three-party",
		"10001 北京甲大学 11",
		NULL,
	};
	struct wq_db *db = dbtest_fixture(fixture);

	if (!db)
		return -1;
	add_account(db, "psa", "school", NULL, "10001", NULL);
	add_account(db, "pda", "dept", NULL, "10001", "计算机学院");
	add_account(db, "pdb", "dept", NULL, "10001", "化学学院");
	*state = db;
	return 0;
}

/* A department clerk sets a new password: it works for a new connection, the old one does not. */
static void
test_own_password_changes_login(void **state)
{
	struct wq_db *su = *state, *me = must_connect("pda"), *again;
	struct wq_err err;

	wq_err_clear(&err);
	assert_true(account_own_password(me, "pw-pda-new1", &err));
	db_close(me);
	wq_err_clear(&err);
	again = connect_as("pda", "pw-pda-new1", &err);
	assert_non_null(again);
	assert_scalar(again, "SELECT login FROM wq_api.me", "pda");
	/* the event: who, which account, its scope, and no verifier in it */
	assert_scalar(again, "SELECT actor || '/' || entity || '/' || entity_id || '/' || action || '/' || school_code"
		" || '/' || dept || '/' || (before IS NULL AND after IS NULL)::text"
		"  FROM wq_api.events WHERE action = 'own_password' AND entity_id = 'pda'",
		"pda/account/pda/own_password/10001/计算机学院/true");
	db_close(again);
	wq_err_clear(&err);
	assert_null(connect_as("pda", NULL, &err));
	assert_int_equal(err.code, WQ_ERR_PG_AUTH);
	/* the verifier PostgreSQL keeps is SCRAM, and the other clerk's is untouched */
	assert_scalar(su, "SELECT rolpassword LIKE 'SCRAM-SHA-256$4096:%' FROM pg_authid WHERE rolname = 'pda'", "t");
	me = must_connect("pdb");
	db_close(me);
}

/* Anything but a well-formed SCRAM-SHA-256 verifier is refused, and nothing changes. */
static void
test_own_password_refuses_bad_verifier(void **state)
{
	struct wq_db *su = *state, *me = must_connect("psa");
	char *before = scalar(su, "SELECT rolpassword FROM pg_authid WHERE rolname = 'psa'");
	char *count = scalar(su, "SELECT count(*) FROM wq.event WHERE action = 'own_password'");
	char *after, *count_after;

	assert_refused(me, "SELECT wq_api.own_password('plain-text-password')", "22023");
	assert_refused(me, "SELECT wq_api.own_password('md5' || md5('x'))", "22023");
	assert_refused(me, "SELECT wq_api.own_password('SCRAM-SHA-256$4096:c2FsdA==$abc:def')", "22023");
	assert_refused(me, "SELECT wq_api.own_password('SCRAM-SHA-256$0:c2FsdA==$"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=')", "22023");
	assert_refused(me, "SELECT wq_api.own_password(NULL)", "22023");
	/* a well-formed one with something after it */
	assert_refused(me, "SELECT wq_api.own_password('SCRAM-SHA-256$4096:c2FsdA==$"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' || chr(10) || 'x')",
		"22023");
	after = scalar(su, "SELECT rolpassword FROM pg_authid WHERE rolname = 'psa'");
	count_after = scalar(su, "SELECT count(*) FROM wq.event WHERE action = 'own_password'");
	assert_string_equal(before, after);
	assert_string_equal(count, count_after);
	assert_scalar(su, "SELECT wq.scram_verifier_valid('SCRAM-SHA-256$4096:c2FsdA==$"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=')", "t");
	/* the client's own rule comes first: too short never reaches the server */
	{
		struct wq_err err;

		wq_err_clear(&err);
		assert_false(account_own_password(me, "short", &err));
		assert_string_equal(err.msg, "密码至少 8 个字符");
	}
	free(before);
	free(after);
	free(count);
	free(count_after);
	db_close(me);
}

/* A locked account (no identity) and a login without an account may not use it. */
static void
test_own_password_needs_an_account(void **state)
{
	struct wq_db *su = *state, *me = must_connect("pdb");
	struct wq_err err;

	must_exec(su, "UPDATE wq.account SET locked = true WHERE login = 'pdb'");
	wq_err_clear(&err);
	assert_false(account_own_password(me, "pw-pdb-new1", &err));
	assert_string_equal(err.sqlstate, "42501");
	must_exec(su, "UPDATE wq.account SET locked = false WHERE login = 'pdb'");
	db_close(me);
	me = must_connect("pdb");
	db_close(me);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_password_changes_login),
		cmocka_unit_test(test_own_password_refuses_bad_verifier),
		cmocka_unit_test(test_own_password_needs_an_account),
	};

	return cmocka_run_group_tests(tests, setup_fixture, dbtest_teardown);
}
